//! Model → Rust tokens. Pure: no I/O, no formatting; [`crate::write`] does both.
//!
//! One API version becomes one module directory:
//!
//! ```text
//! <module>/mod.rs              entry points (`me()`, `users()`, `teams()`) and module docs
//! <module>/models/mod.rs       `mod` + `pub use` for every model
//! <module>/models/<type>.rs    one entity, complex or enum type (and its `Any*` enum)
//! <module>/requests/mod.rs     `mod` + `pub use` for every root
//! <module>/requests/<root>.rs  navigation nodes and operations below `/<root>`
//! ```

mod context;
pub mod docs;
mod extensions;
pub(crate) mod models;
pub mod requests;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

pub use context::Context;
use context::ident;
pub use requests::Alias;

use crate::model::{Api, ObjectKind, TypeDef};
use crate::names;

/// What the emitter needs besides the model.
#[derive(Clone, Debug)]
pub struct EmitOptions {
    /// The Rust module of this version: `beta`, `v1_0`.
    pub module: String,
    /// The library name users write (`msgraph_work`), for examples in docs.
    pub crate_name: String,
    /// Entry points that stand for another path (`/me` for `/users/{user-id}`).
    pub aliases: Vec<Alias>,
}

/// One emitted Rust file, relative to the version module's directory.
#[derive(Debug)]
pub struct EmittedFile {
    /// `models/work_plan_occurrence.rs`, with `/` separators.
    pub path: String,
    pub tokens: TokenStream,
}

/// Counts for the command line's summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub types: usize,
    pub operations: usize,
}

/// Emits every file of one version module.
pub fn emit(api: &Api, options: &EmitOptions) -> Result<(Vec<EmittedFile>, Stats), String> {
    let cx = Context::new(api, &options.module, &options.crate_name);
    let mut files = Vec::new();
    let mut model_decls = Vec::new();
    for def in api.types.values() {
        let stem = cx.names.file(def.name()).to_string();
        let tokens = match def {
            TypeDef::Object(o) => models::object(&cx, o),
            TypeDef::Enum(e) => models::enumeration(&cx, e),
        };
        let mut exported = vec![ident(cx.names.ident(def.name()))];
        if let (TypeDef::Object(_), Some(any)) = (def, cx.names.any(def.name())) {
            if !cx.derived(def.name()).is_empty() {
                exported.push(ident(any));
            }
        }
        model_decls.push((ident(&stem), exported));
        files.push(EmittedFile {
            path: format!("models/{stem}.rs"),
            tokens,
        });
    }
    let model_mods = model_decls.iter().map(|(stem, exported)| {
        quote! {
            mod #stem;
            pub use #stem::{#(#exported),*};
        }
    });
    let models_doc = docs::Doc::new()
        .markdown(format!(
            "The models of Microsoft Graph `{}`: one struct per entity or complex type, one open enum per enum type.",
            api.version
        ))
        .markdown(
            "Every model reads and writes Graph's JSON losslessly: properties are `Option` (absent or a value) or \
             [`Nullable`](crate::Nullable) (absent, `null`, or a value), unknown properties are kept in `extra`, \
             and enums keep values they do not know. Build them with `Default` and the `with_*` setters.",
        )
        .inner_tokens();
    files.push(EmittedFile {
        path: "models/mod.rs".into(),
        tokens: quote! {
            #models_doc
            #(#model_mods)*
        },
    });

    let tree = requests::Tree::new(&cx);
    let mut request_mods = Vec::new();
    for (stem, tokens) in requests::files(&cx, &tree) {
        request_mods.push(ident(&stem));
        files.push(EmittedFile {
            path: format!("requests/{stem}.rs"),
            tokens,
        });
    }
    let requests_doc = docs::Doc::new()
        .markdown(format!(
            "Navigation and operations of Microsoft Graph `{}`, mirroring the URL: start from the entry points in \
             the parent module.",
            api.version
        ))
        .markdown(
            "Every operation is a value that implements [`Operation`](crate::Operation): it builds an \
             `http::Request` and parses an `http::Response`, so any HTTP client can send it.",
        )
        .inner_tokens();
    files.push(EmittedFile {
        path: "requests/mod.rs".into(),
        tokens: quote! {
            #requests_doc
            #(mod #request_mods; pub use #request_mods::*;)*
        },
    });

    let entry = requests::entry_points(&cx, &tree, &options.aliases)?;
    let version_doc = docs::Doc::new()
        .markdown(format!("Microsoft Graph `{}`.", api.version))
        .markdown("Start from the functions below; each returns a navigation node whose methods follow the URL.")
        .inner_tokens();
    files.push(EmittedFile {
        path: "mod.rs".into(),
        tokens: quote! {
            #version_doc
            pub mod models;
            pub mod requests;
            #entry
        },
    });
    let types = api
        .types
        .values()
        .filter(|t| !matches!(t, TypeDef::Object(o) if o.kind == ObjectKind::ActionParameters))
        .count();
    let _ = BTreeSet::<()>::new();
    let _ = names::EXTRA_FIELD;
    Ok((
        files,
        Stats {
            types,
            operations: api.operations.len(),
        },
    ))
}
