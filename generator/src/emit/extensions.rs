//! Hand-picked methods for specific Graph types, delegating to the runtime.
//!
//! A model is plain data, but a few Graph types deserve behaviour: `dateTimeTimeZone` holds a
//! wall-clock time and a *Windows* time-zone name, which no date library reads directly.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{Context, ident};
use crate::model::{ObjectType, Primitive, TypeRef};
use crate::names;

/// Extra inherent methods for `object`, if it is one of the types that get them.
pub fn for_type(cx: &Context, object: &ObjectType) -> TokenStream {
    match names::short_name(&object.name) {
        "dateTimeTimeZone" => date_time_time_zone(cx, object),
        _ => TokenStream::new(),
    }
}

/// `to_timestamp` and `from_timestamp`, when the type has the two string properties Graph
/// documents. The wire form stays what Graph sent; these only read or make it.
fn date_time_time_zone(cx: &Context, object: &ObjectType) -> TokenStream {
    let properties = cx.api.all_properties(&object.name);
    let fields = names::field_names(properties.iter().map(|p| p.name.as_str()));
    let find = |wire: &str| {
        properties
            .iter()
            .zip(&fields)
            .find(|(p, _)| p.name == wire && p.ty == TypeRef::Primitive(Primitive::String))
    };
    let (Some((date_time, date_time_field)), Some((time_zone, time_zone_field))) =
        (find("dateTime"), find("timeZone"))
    else {
        return TokenStream::new();
    };
    let date_time_field = ident(date_time_field);
    let time_zone_field = ident(time_zone_field);
    let wrap = |nullable: bool, value: TokenStream| {
        if nullable {
            quote! { crate::runtime::Nullable::Value(#value) }
        } else {
            quote! { ::core::option::Option::Some(#value) }
        }
    };
    let set_date_time = wrap(date_time.nullable, quote! { date_time });
    let set_time_zone = wrap(time_zone.nullable, quote! { time_zone });
    let name = ident(cx.names.ident(&object.name));
    let to_doc = super::docs::Doc::new()
        .markdown("The instant this wall-clock time denotes in its time zone.")
        .markdown(
            "`timeZone` may be a Windows time-zone name (`\"Pacific Standard Time\"`, every zone in CLDR's \
             windowsZones table), an IANA name (`\"America/Los_Angeles\"`) or `\"UTC\"`. Daylight saving time is \
             honoured; a wall-clock time that falls in a DST gap or fold is resolved the way `jiff`'s \"compatible\" \
             disambiguation does (a gap moves forward, a fold takes the earlier instant). A missing or unknown zone, \
             or a `dateTime` that does not parse, is an error.",
        )
        .markdown(format!(
            "```\nlet json = r#\"{{\"dateTime\":\"2025-12-15T08:00:00.0000000\",\"timeZone\":\"Pacific Standard Time\"}}\"#;\n\
             let start: {}::{}::models::{} = serde_json::from_str(json).unwrap();\n\
             assert_eq!(start.to_timestamp().unwrap().to_string(), \"2025-12-15T16:00:00Z\");\n```",
            cx.crate_name, cx.module, name
        ))
        .tokens();
    quote! {
        impl #name {
            #to_doc
            pub fn to_timestamp(&self) -> ::core::result::Result<::jiff::Timestamp, crate::Error> {
                crate::runtime::timezone::to_timestamp(self.#date_time_field.as_deref(), self.#time_zone_field.as_deref())
            }

            /// The wall-clock time of `timestamp` in `time_zone` (a Windows, IANA or UTC name, as
            /// for [`Self::to_timestamp`]), in Graph's form: `2025-12-15T08:00:00.0000000`.
            /// The zone name is kept as given.
            pub fn from_timestamp(timestamp: ::jiff::Timestamp, time_zone: &str) -> ::core::result::Result<Self, crate::Error> {
                let (date_time, time_zone) = crate::runtime::timezone::from_timestamp(timestamp, time_zone)?;
                ::core::result::Result::Ok(Self {
                    #date_time_field: #set_date_time,
                    #time_zone_field: #set_time_zone,
                    ..::core::default::Default::default()
                })
            }
        }
    }
}
