//! The token spelling of names and [`RustType`]s: fully qualified paths, so that no model
//! name (`Box`, `Option`, `Result`: see the names torture spec) can shadow what the generated
//! code means.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::rust_api::{Gate, RustType};

/// An identifier token.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The tokens of a type of the version module `module`.
pub fn rust_type(ty: &RustType, module: &Ident) -> TokenStream {
    let inner = |t: &RustType| rust_type(t, module);
    match ty {
        RustType::Scalar(s) => {
            let s = ident(s);
            quote! { #s }
        }
        RustType::String => quote! { ::std::string::String },
        RustType::Edm(name) => {
            let name = ident(name);
            quote! { crate::runtime::edm::#name }
        }
        RustType::Json => quote! { ::serde_json::Value },
        RustType::Model(name) => {
            let name = ident(name);
            quote! { crate::#module::models::#name }
        }
        RustType::Flags(t) => {
            let t = inner(t);
            quote! { crate::runtime::Flags<#t> }
        }
        RustType::Vec(t) => {
            let t = inner(t);
            quote! { ::std::vec::Vec<#t> }
        }
        RustType::Option(t) => {
            let t = inner(t);
            quote! { ::core::option::Option<#t> }
        }
        RustType::Nullable(t) => {
            let t = inner(t);
            quote! { crate::runtime::Nullable<#t> }
        }
        RustType::Boxed(t) => {
            let t = inner(t);
            quote! { ::std::boxed::Box<#t> }
        }
        RustType::Page(t) => {
            let t = inner(t);
            quote! { crate::runtime::Page<#t> }
        }
        RustType::Unit => quote! { () },
        RustType::ImplInto(t) => {
            let t = inner(t);
            quote! { impl ::core::convert::Into<#t> }
        }
        RustType::ImplOptionalArg(t) => {
            let t = inner(t);
            quote! { impl crate::runtime::OptionalArg<#t> }
        }
    }
}

/// `#[cfg(...)]` for an item that only some cargo features compile; nothing for one that is
/// always compiled. docs.rs shows the features (`doc_cfg`).
pub fn gate(gate: &Gate) -> TokenStream {
    match cfg_predicate(gate) {
        Some(predicate) => quote! { #[cfg(#predicate)] },
        None => TokenStream::new(),
    }
}

/// What goes inside `cfg(...)` (or `cfg!(...)`) for a gate; nothing for an item that is
/// always compiled.
pub fn cfg_predicate(gate: &Gate) -> Option<TokenStream> {
    let clauses = gate.clauses()?;
    let clauses: Vec<TokenStream> = clauses
        .iter()
        .map(|features| {
            let features: Vec<&str> = features.iter().map(String::as_str).collect();
            match features.as_slice() {
                [one] => quote! { feature = #one },
                many => quote! { any(#(feature = #many),*) },
            }
        })
        .collect();
    Some(match clauses.as_slice() {
        [one] => one.clone(),
        many => quote! { all(#(#many),*) },
    })
}

/// [`gate`] of what an item's gate adds to its container's; nothing when it adds nothing.
pub fn gate_within(item: &Gate, container: &Gate) -> TokenStream {
    gate(&item.within(container))
}
