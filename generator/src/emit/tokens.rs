//! The token spelling of names and [`RustType`]s: fully qualified paths, so that no model
//! name (`Box`, `Option`, `Result`: see the names torture spec) can shadow what the generated
//! code means.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::rust_api::RustType;

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
