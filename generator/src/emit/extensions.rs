//! Hand-picked methods for specific Graph types, delegating to the runtime.
//!
//! A model is plain data, but a few Graph types deserve behaviour: `dateTimeTimeZone` holds a
//! wall-clock time and a *Windows* time-zone name, which no date library reads directly.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::ident;
use crate::model::{Primitive, TypeRef};
use crate::rust_api::{RustApi, StructApi};

/// The types that get methods of their own, by qualified name, and what emits them.
const EXTENSIONS: &[(&str, Extension)] =
    &[("microsoft.graph.dateTimeTimeZone", date_time_time_zone)];

type Extension = fn(&RustApi, &StructApi) -> TokenStream;

/// Extra inherent methods for a model, if it is one of the types that get them.
pub fn for_type(rust: &RustApi, model: &StructApi) -> TokenStream {
    EXTENSIONS
        .iter()
        .find(|(name, _)| *name == model.object.name)
        .map_or_else(TokenStream::new, |(_, extension)| extension(rust, model))
}

/// `to_timestamp` and `from_timestamp`, when the type has the two string properties Graph
/// documents. The wire form stays what Graph sent; these only read or make it.
fn date_time_time_zone(rust: &RustApi, model: &StructApi) -> TokenStream {
    let find = |wire: &str| {
        model.fields.iter().find(|f| {
            f.property.name == wire && f.property.ty == TypeRef::Primitive(Primitive::String)
        })
    };
    let (Some(date_time), Some(time_zone)) = (find("dateTime"), find("timeZone")) else {
        return TokenStream::new();
    };
    let date_time_field = ident(&date_time.ident);
    let time_zone_field = ident(&time_zone.ident);
    let (date_time, time_zone) = (date_time.property, time_zone.property);
    let wrap = |nullable: bool, value: TokenStream| {
        if nullable {
            quote! { crate::runtime::Nullable::Value(#value) }
        } else {
            quote! { ::core::option::Option::Some(#value) }
        }
    };
    let set_date_time = wrap(date_time.nullable, quote! { date_time });
    let set_time_zone = wrap(time_zone.nullable, quote! { time_zone });
    let name = ident(&model.ident);
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
            rust.crate_name, rust.module, name
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
