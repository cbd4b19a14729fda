//! Models: one struct per entity or complex type, one open enum per enum type, and an
//! `Any<Type>` enum per type that has derived types.
//!
//! Every struct carries all its properties, inherited ones first (an entity's `id` is a field
//! of `WorkPlanOccurrence`), and implements the runtime's `Model` trait so that the shared
//! (de)serializer in `runtime::model` reads and writes it losslessly. The per-type code is only
//! what cannot be shared: the field table and one `match` per direction.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{Doc, code};
use super::extensions;
use super::tokens::{self, ident, rust_type};
use crate::model::{ObjectKind, UNKNOWN_FUTURE_VALUE};
use crate::names::{self, EXTRA_FIELD, UNRECOGNIZED_VARIANT};
use crate::rust_api::{EnumApi, FieldApi, Gate, RustApi, StructApi};

/// The file for an object type: the struct, its impls, and its `Any*` enum if it has one.
pub fn object(rust: &RustApi, model: &StructApi) -> TokenStream {
    let module = ident(&rust.module);
    let name = ident(&model.ident);
    let fields = &model.fields;
    let doc = object_doc(rust, model);
    let field_gates = field_gates(rust, model);
    let gates: Vec<TokenStream> = field_gates.iter().map(tokens::gate).collect();
    let field_defs = fields.iter().zip(&gates).map(|(f, gate)| {
        let id = ident(&f.ident);
        let ty = rust_type(&f.slot(), &module);
        let doc = property_doc(f).tokens();
        quote! { #doc #gate pub #id: #ty, }
    });
    let extra = ident(EXTRA_FIELD);
    let setters = setters(fields, &gates, &module);
    let writes = write_helpers(model);
    let any = any_enum(rust, model);
    let extension = extensions::for_type(rust, model);
    let model_impl = model_impl(model, &field_gates, &gates);
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#field_defs)*
            /// Properties this version of the crate does not know, kept as received and
            /// written back unchanged (including `@odata.*` annotations).
            pub #extra: crate::runtime::Extra,
        }

        impl #name {
            #setters
            #writes
        }

        #extension

        #model_impl

        #any
    }
}

fn object_doc(rust: &RustApi, model: &StructApi) -> TokenStream {
    let object = model.object;
    let mut facts = match &object.kind {
        ObjectKind::ActionParameters { action } => {
            format!("The parameters of the OData action {}", code(action))
        }
        ObjectKind::Entity => format!("OData entity type {}", code(&object.name)),
        ObjectKind::Complex => format!("OData complex type {}", code(&object.name)),
    };
    if let Some(base) = &object.base {
        facts.push_str(&format!(
            ", derived from [`{}`](crate::{}::models::{})",
            base,
            rust.module,
            rust.names.ident(base)
        ));
    }
    if object.is_abstract {
        facts.push_str(" (abstract)");
    }
    facts.push('.');
    if let Some(any) = &model.any {
        facts.push_str(&format!(
            " Types derive from it; fields of this type hold an [`{0}`](crate::{1}::models::{0}).",
            any.ident, rust.module
        ));
    }
    let doc = Doc::new()
        .text(object.description.as_deref())
        .or_markdown(match object.kind {
            ObjectKind::ActionParameters { .. } => {
                "The parameters of this action, sent as its JSON body.".to_string()
            }
            _ => format!("The {} type.", code(names::local_name(&object.name))),
        });
    doc.markdown(facts)
        .markdown("Build one with [`Default`] and the `with_*` setters; properties left unset are not sent.")
        .features(&rust.gates.of_type(&object.name))
        .tokens()
}

fn property_doc(field: &FieldApi) -> Doc {
    let p = field.property;
    let mut facts = format!("Wire name {}: {}", code(&p.name), code(&p.ty.to_string()));
    if p.nullable {
        facts.push_str(", nullable");
    }
    if p.read_only {
        facts.push_str(", read-only");
    }
    if p.navigation {
        facts.push_str(", navigation property (present with `$expand`)");
    }
    facts.push('.');
    Doc::new().text(p.description.as_deref()).markdown(facts)
}

/// Each field's gate, when it is compiled by fewer features than its struct (a navigation
/// property whose target only some features compile).
fn field_gates(rust: &RustApi, model: &StructApi) -> Vec<Gate> {
    let owner = &model.object.name;
    let owner_gate = rust.gates.of_type(owner);
    model
        .fields
        .iter()
        .map(|f| rust.gates.of_field(owner, f.property).within(&owner_gate))
        .collect()
}

/// The runtime's `Model` for a struct: its field table and one `match` per direction, and the
/// serde impls that hand over to the runtime's shared (de)serializer. `gates` are the
/// `#[cfg]`s of `field_gates`.
fn model_impl(model: &StructApi, field_gates: &[Gate], gates: &[TokenStream]) -> TokenStream {
    let name = ident(&model.ident);
    let extra = ident(EXTRA_FIELD);
    let odata_type = &model.object.name;
    let field_names = field_names(&model.fields, field_gates);
    let (read_arms, write_body) = field_bodies(&model.fields, gates);
    quote! {
        impl crate::runtime::model::Sealed for #name {}

        impl crate::runtime::Model for #name {
            const ODATA_TYPE: &'static str = #odata_type;

            fn extra(&self) -> &crate::runtime::Extra {
                &self.#extra
            }

            fn extra_mut(&mut self) -> &mut crate::runtime::Extra {
                &mut self.#extra
            }

            const FIELDS: &'static [::core::option::Option<&'static str>] = &[#(#field_names),*];

            #[inline]
            fn read_field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                id: u16,
                map: &mut A,
                extra: &mut crate::runtime::ExtraBuilder,
            ) -> ::core::result::Result<(), A::Error> {
                #read_arms
            }

            fn write_fields<M: ::serde::ser::SerializeMap>(&self, out: &mut crate::runtime::FieldWriter<'_, M>) {
                #write_body
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                crate::runtime::model::serialize(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                crate::runtime::model::deserialize(deserializer)
            }
        }
    }
}

/// The entries of `Model::FIELDS`: each field's wire name, or `None` when the enabled
/// features leave the field out (an entry cannot take `#[cfg]`; the ids must not shift).
fn field_names(fields: &[FieldApi], gates: &[Gate]) -> Vec<TokenStream> {
    fields
        .iter()
        .zip(gates)
        .map(|(f, gate)| {
            let wire = &f.property.name;
            match tokens::cfg_predicate(gate) {
                None => quote! { ::core::option::Option::Some(#wire) },
                Some(predicate) => quote! {
                    if ::core::cfg!(#predicate) {
                        ::core::option::Option::Some(#wire)
                    } else {
                        ::core::option::Option::None
                    }
                },
            }
        })
        .collect()
}

/// The bodies of `read_field` and `write_fields`: one match arm or write per field, each
/// under its field's gate.
fn field_bodies(fields: &[FieldApi], gates: &[TokenStream]) -> (TokenStream, TokenStream) {
    let wire: Vec<&str> = fields.iter().map(|f| f.property.name.as_str()).collect();
    let ids: Vec<Literal> = (0..fields.len())
        .map(|i| Literal::u16_unsuffixed(i as u16))
        .collect();
    let idents: Vec<proc_macro2::Ident> = fields.iter().map(|f| ident(&f.ident)).collect();
    let slot_only = slot_import(gates);
    let slot = if all_gated(gates) {
        quote! { #slot_only let _ = (&map, &extra); }
    } else {
        slot_only.clone()
    };
    // A model without fields has nothing to match on: its bodies only use their arguments.
    if fields.is_empty() {
        (
            quote! { let _ = (id, map, extra); ::core::result::Result::Ok(()) },
            quote! { let _ = out; },
        )
    } else {
        (
            quote! {
                #slot
                match id {
                    #(#gates #ids => self.#idents.read(#wire, extra, map),)*
                    _ => ::core::result::Result::Ok(()),
                }
            },
            write_body(fields, gates),
        )
    }
}

/// Whether every field has a gate of its own: then, with some features, no field is compiled
/// and the bodies use neither the `Slot` methods nor their arguments.
fn all_gated(gates: &[TokenStream]) -> bool {
    gates.iter().all(|g| !g.is_empty())
}

/// `use Slot as _`, which the field arms need, allowed to go unused when they all may be.
fn slot_import(gates: &[TokenStream]) -> TokenStream {
    let allow = all_gated(gates).then(|| quote! { #[allow(unused_imports)] });
    quote! { #allow use crate::runtime::Slot as _; }
}

/// The body of `write_fields`: each field with which request bodies carry it.
fn write_body(fields: &[FieldApi], gates: &[TokenStream]) -> TokenStream {
    let writes = fields.iter().map(|f| {
        let id = ident(&f.ident);
        let wire = &f.property.name;
        let write = writer_method(f);
        quote! { out.#write(#wire, &self.#id); }
    });
    // With some features, every field may be left out.
    let unused = all_gated(gates).then(|| quote! { let _ = &out; });
    quote! {
        #unused
        #(#gates #writes)*
    }
}

/// The `FieldWriter` method for a field, after which request bodies carry it: none when the
/// service computes it (or it is the key), a create's only when it cannot change afterwards,
/// any other.
fn writer_method(field: &FieldApi) -> proc_macro2::Ident {
    let p = field.property;
    ident(if p.read_only || p.key {
        "read_only"
    } else if p.immutable {
        "create_only"
    } else {
        "field"
    })
}

/// What every model offers for writes: the changes since an earlier state (a PATCH body), and
/// for an entity the `@odata.etag` it was read with (for `If-Match`).
fn write_helpers(model: &StructApi) -> TokenStream {
    let extra = ident(EXTRA_FIELD);
    let etag = match model.object.kind {
        ObjectKind::Entity => quote! {
            /// The `@odata.etag` Graph sent with this entity, for `if_match` on a later write.
            pub fn odata_etag(&self) -> ::core::option::Option<::std::string::String> {
                self.#extra.odata_etag()
            }
        },
        _ => TokenStream::new(),
    };
    quote! {
        /// The properties that differ from `before`, ready to send with `patch`: changed ones
        /// with their new value (complex values whole), cleared nullable ones as `null`.
        pub fn changes_since(&self, before: &Self) -> Self {
            crate::runtime::body::changes_since(self, before)
        }

        #etag
    }
}

/// `with_<field>(value)` for every field, and `with_<field>_null()` for nullable ones.
fn setters(fields: &[FieldApi], gates: &[TokenStream], module: &proc_macro2::Ident) -> TokenStream {
    let mut out = TokenStream::new();
    for (f, gate) in fields.iter().zip(gates) {
        let id = ident(&f.ident);
        let setter = ident(&f.setters.set);
        let accepted = rust_type(&f.setter_value, module);
        let wrapped = if f.boxed {
            quote! { ::std::boxed::Box::new(value.into()) }
        } else {
            quote! { value.into() }
        };
        let wire = code(&f.property.name);
        let doc_set = format!(" Sets {wire}.");
        match &f.setters.set_null {
            Some(null_setter) => {
                out.extend(quote! {
                    #[doc = #doc_set]
                    #gate
                    pub fn #setter(mut self, value: impl ::core::convert::Into<#accepted>) -> Self {
                        self.#id = crate::runtime::Nullable::Value(#wrapped);
                        self
                    }
                });
                let null_setter = ident(null_setter);
                let doc_null = format!(" Sets {wire} to `null`, which clears it on the server.");
                out.extend(quote! {
                    #[doc = #doc_null]
                    #gate
                    pub fn #null_setter(mut self) -> Self {
                        self.#id = crate::runtime::Nullable::Null;
                        self
                    }
                });
            }
            None => out.extend(quote! {
                #[doc = #doc_set]
                    #gate
                pub fn #setter(mut self, value: impl ::core::convert::Into<#accepted>) -> Self {
                    self.#id = ::core::option::Option::Some(#wrapped);
                    self
                }
            }),
        }
    }
    out
}

/// `Any<Base>`: the base type or any type derived from it, chosen by `@odata.type`.
fn any_enum(rust: &RustApi, model: &StructApi) -> TokenStream {
    let Some(any_api) = &model.any else {
        return TokenStream::new();
    };
    let base = model.object;
    let any = ident(&any_api.ident);
    let module = ident(&rust.module);
    let base_ident = ident(&model.ident);
    let variants: Vec<proc_macro2::Ident> =
        any_api.variants.iter().map(|(v, _)| ident(v)).collect();
    // A derived type may be compiled by fewer features than its base: so is its variant.
    let base_gate = rust.gates.of_type(&base.name);
    let gates: Vec<TokenStream> = any_api
        .variants
        .iter()
        .map(|(_, d)| tokens::gate_within(&rust.gates.of_type(&d.name), &base_gate))
        .collect();
    let tags: Vec<&str> = any_api
        .variants
        .iter()
        .map(|(_, d)| d.name.as_str())
        .collect();
    let variant_docs: Vec<String> = any_api
        .variants
        .iter()
        .map(|(_, d)| {
            format!(
                " {} (`@odata.type` is `#{}`).",
                code(names::local_name(&d.name)),
                d.name
            )
        })
        .collect();
    let doc = Doc::new()
        .markdown(format!(
            "{} or any type derived from it, chosen by the payload's `@odata.type`.",
            code(names::local_name(&base.name))
        ))
        .markdown(format!(
            "A payload whose `@odata.type` names a type this crate does not know is read as [`{0}::{1}`], \
             with its extra properties and its `@odata.type` kept, so nothing is lost. Variants are boxed, \
             so the enum stays small however large the derived types are.",
            any, base_ident
        ))
        .tokens();
    let getters = any_getters(rust, model, &variants);
    let base_doc = format!(
        " {}, or a derived type this version of the crate does not know.",
        code(names::local_name(&base.name))
    );
    let conversions = any_conversions(&any, &base_ident, &variants, &gates, &tags, &module);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #any {
            #[doc = #base_doc]
            #base_ident(::std::boxed::Box<#base_ident>),
            #(#[doc = #variant_docs] #gates #variants(::std::boxed::Box<crate::#module::models::#variants>),)*
        }

        impl #any {
            #(#getters)*

            /// The properties the variant does not know, including its `@odata.type`.
            pub fn extra(&self) -> &crate::runtime::Extra {
                match self {
                    Self::#base_ident(value) => &value.extra,
                    #(#gates Self::#variants(value) => &value.extra,)*
                }
            }
        }

        #conversions
    }
}

/// The `Any*` enum's getters for the base type's properties.
fn any_getters(
    rust: &RustApi,
    model: &StructApi,
    variants: &[proc_macro2::Ident],
) -> Vec<TokenStream> {
    // Getters for the base type's properties, which every variant has under the same name
    // (inherited properties come first, so they are named alike in every derived struct).
    // A navigation property is compiled where its owner and its target are: the getter where
    // the base's field is, each arm where the variant's field is.
    let Some(any_api) = &model.any else {
        return Vec::new();
    };
    let base = model.object;
    let base_ident = ident(&model.ident);
    let base_gate = rust.gates.of_type(&base.name);
    let module = ident(&rust.module);
    model
        .fields
        .iter()
        .map(|f| {
            let field_gate = rust.gates.of_field(&base.name, f.property);
            let getter_gate = tokens::gate_within(&field_gate, &base_gate);
            let arm_gates: Vec<TokenStream> = any_api
                .variants
                .iter()
                .map(|(_, d)| {
                    tokens::gate_within(&rust.gates.of_field(&d.name, f.property), &field_gate)
                })
                .collect();
            let field = ident(&f.ident);
            let ty = rust_type(&f.slot(), &module);
            let doc = format!(
                " The {} property, whatever the variant.",
                code(&f.property.name)
            );
            quote! {
                #[doc = #doc]
                #getter_gate
                pub fn #field(&self) -> &#ty {
                    match self {
                        Self::#base_ident(value) => &value.#field,
                        #(#arm_gates Self::#variants(value) => &value.#field,)*
                    }
                }
            }
        })
        .collect()
}

/// What every `Any*` enum implements: `Default` (the base type), `From` each variant's struct,
/// and (de)serialization that dispatches on `@odata.type`.
fn any_conversions(
    any: &proc_macro2::Ident,
    base_ident: &proc_macro2::Ident,
    variants: &[proc_macro2::Ident],
    gates: &[TokenStream],
    tags: &[&str],
    module: &proc_macro2::Ident,
) -> TokenStream {
    quote! {
        impl ::core::default::Default for #any {
            fn default() -> Self {
                Self::#base_ident(::core::default::Default::default())
            }
        }

        impl ::core::convert::From<#base_ident> for #any {
            fn from(value: #base_ident) -> Self {
                Self::#base_ident(::std::boxed::Box::new(value))
            }
        }

        #(
            #gates
            impl ::core::convert::From<crate::#module::models::#variants> for #any {
                fn from(value: crate::#module::models::#variants) -> Self {
                    Self::#variants(::std::boxed::Box::new(value))
                }
            }
        )*

        impl ::serde::Serialize for #any {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    Self::#base_ident(value) => crate::runtime::model::serialize(&**value, serializer),
                    #(#gates Self::#variants(value) => crate::runtime::model::serialize_tagged(&**value, serializer),)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #any {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let object = crate::runtime::model::buffer(deserializer)?;
                match crate::runtime::model::odata_type(&object) {
                    #(#gates ::core::option::Option::Some(#tags) => crate::runtime::model::from_buffer::<crate::#module::models::#variants, D::Error>(object).map(Self::#variants),)*
                    _ => crate::runtime::model::from_buffer::<#base_ident, D::Error>(object).map(Self::#base_ident),
                }
            }
        }
    }
}

/// The file for an enum type: an open enum with a catch-all variant.
pub fn enumeration(model: &EnumApi, gate: &crate::rust_api::Gate) -> TokenStream {
    let e = model.enumeration;
    let name = ident(&model.ident);
    let member_docs: Vec<Doc> = model
        .members
        .iter()
        .map(|m| {
            let fact = if m.member.name == UNKNOWN_FUTURE_VALUE {
                "Sentinel of an evolvable enum: Graph sends it in place of members added after it, unless the request \
                 says `Prefer: include-unknown-enum-members` (which this crate sends where needed)."
                    .to_string()
            } else if m.after_sentinel {
                format!("Wire value {} (added after `unknownFutureValue`).", code(&m.member.name))
            } else {
                format!("Wire value {}.", code(&m.member.name))
            };
            Doc::new().text(m.member.description.as_deref()).markdown(fact)
        })
        .collect();
    let mut facts = format!("OData enum type {}", code(&e.name));
    if e.flags {
        facts.push_str(
            " (flags: properties of this type hold a [`Flags`](crate::Flags) of members)",
        );
    }
    facts.push_str(". Open: a value this crate does not know is kept as [`");
    facts.push_str(&format!(
        "{name}::Unrecognized`] and written back unchanged."
    ));
    let doc = Doc::new()
        .text(e.description.as_deref())
        .or_markdown(format!(
            "The {} enumeration.",
            code(names::local_name(&e.name))
        ))
        .markdown(facts)
        .features(gate);
    let wire: Vec<&str> = model
        .members
        .iter()
        .map(|m| m.member.name.as_str())
        .collect();
    let variants: Vec<&str> = model.members.iter().map(|m| m.variant.as_str()).collect();
    open_enum(
        &name,
        &doc,
        &wire,
        &variants,
        &member_docs,
        &TokenStream::new(),
    )
}

/// An open enum: one variant per wire value, an `Unrecognized` catch-all, and the conversions
/// and (de)serialization every open enum has.
pub fn open_enum(
    name: &proc_macro2::Ident,
    doc: &Doc,
    wire: &[&str],
    variants: &[&str],
    member_docs: &[Doc],
    gate: &TokenStream,
) -> TokenStream {
    let doc = doc.tokens();
    let variants: Vec<proc_macro2::Ident> = variants.iter().map(|v| ident(v)).collect();
    let member_docs = member_docs.iter().map(Doc::tokens);
    let unrecognized = ident(UNRECOGNIZED_VARIANT);
    quote! {
        #doc
        #gate
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#member_docs #variants,)*
            /// A value this version of the crate does not know, kept exactly as sent.
            #unrecognized(crate::runtime::UnrecognizedValue),
        }

        #gate
        impl #name {
            /// The value as Graph writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wire,)*
                    Self::#unrecognized(value) => value.as_str(),
                }
            }
        }

        #gate
        impl crate::runtime::OpenEnum for #name {
            const MEMBERS: &'static [&'static str] = &[#(#wire),*];

            fn from_wire(value: &str) -> Self {
                match value {
                    #(#wire => Self::#variants,)*
                    other => Self::#unrecognized(crate::runtime::UnrecognizedValue::new(other)),
                }
            }

            fn as_wire(&self) -> &str {
                self.as_str()
            }
        }

        #gate
        impl ::core::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                <Self as crate::runtime::OpenEnum>::from_wire(value)
            }
        }

        #gate
        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(<Self as crate::runtime::OpenEnum>::from_wire(value))
            }
        }

        #gate
        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #gate
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                crate::runtime::open_enum::deserialize(deserializer)
            }
        }
    }
}
