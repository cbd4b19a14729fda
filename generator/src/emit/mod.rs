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

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;
use quote::quote;

pub use context::Context;
use context::ident;
pub use requests::Alias;

use crate::model::{Api, ObjectKind, TypeDef};

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

/// Emits every file of one version module, on this thread.
pub fn emit(api: &Api, options: &EmitOptions) -> Result<(Vec<EmittedFile>, Stats), String> {
    let cx = Context::new(api, &options.module, &options.crate_name);
    let mut files = Vec::new();
    for part in parts(api) {
        emit_part(&cx, options, &part, &mut |file| {
            files.push(file);
            Ok(())
        })?;
    }
    Ok((files, stats(api)))
}

/// Emits every file of one version module and renders each with `render`, spreading the work
/// over the machine's cores. Tokens cannot cross threads, so each thread emits and renders
/// whole files on its own. Returns `(path, text)` pairs in no particular order.
pub fn emit_rendered(
    api: &Api,
    options: &EmitOptions,
    render: &(dyn Fn(TokenStream) -> Result<String, String> + Sync),
) -> Result<(Vec<(String, String)>, Stats), String> {
    // The request code is the biggest part: started first, the threads finish together.
    let mut parts = parts(api);
    parts.rotate_right(1);
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(parts.len());
    let work = || -> Result<Vec<(String, String)>, String> {
        let mut out = Vec::new();
        let mut cx = None;
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(i) else {
                return Ok(out);
            };
            let cx =
                cx.get_or_insert_with(|| Context::new(api, &options.module, &options.crate_name));
            emit_part(cx, options, part, &mut |file| {
                out.push((file.path, render(file.tokens)?));
                Ok(())
            })?;
        }
    };
    let results: Vec<Result<Vec<(String, String)>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("an emitter thread panicked".to_string()))
            })
            .collect()
    });
    let mut files = Vec::new();
    for result in results {
        files.extend(result?);
    }
    Ok((files, stats(api)))
}

/// A share of the emission that one thread does alone: all the request code (one piece, as it
/// hangs on one path tree), the models' `mod.rs`, or a run of models.
enum Part {
    Requests,
    ModelsMod,
    Models(Range<usize>),
}

/// How many models make one [`Part`]: small enough to balance the threads' loads.
const MODELS_PER_PART: usize = 64;

/// The parts of a module, in file order: models, their `mod.rs`, the request code.
fn parts(api: &Api) -> Vec<Part> {
    let n = api.types.len();
    let mut parts: Vec<Part> = (0..n)
        .step_by(MODELS_PER_PART)
        .map(|start| Part::Models(start..(start + MODELS_PER_PART).min(n)))
        .collect();
    parts.push(Part::ModelsMod);
    parts.push(Part::Requests);
    parts
}

fn emit_part(
    cx: &Context,
    options: &EmitOptions,
    part: &Part,
    out: &mut dyn FnMut(EmittedFile) -> Result<(), String>,
) -> Result<(), String> {
    match part {
        Part::Models(range) => {
            for def in cx.api.types.values().skip(range.start).take(range.len()) {
                let stem = cx.names.file(def.name()).to_string();
                let tokens = match def {
                    TypeDef::Object(o) => models::object(cx, o),
                    TypeDef::Enum(e) => models::enumeration(cx, e),
                };
                out(EmittedFile {
                    path: format!("models/{stem}.rs"),
                    tokens,
                })?;
            }
            Ok(())
        }
        Part::ModelsMod => out(models_mod(cx)),
        Part::Requests => requests_and_entry_points(cx, options, out),
    }
}

/// `models/mod.rs`: a `mod` and a `pub use` per model.
fn models_mod(cx: &Context) -> EmittedFile {
    let api = cx.api;
    let mut model_decls = Vec::new();
    for def in api.types.values() {
        let stem = cx.names.file(def.name()).to_string();
        let mut exported = vec![ident(cx.names.ident(def.name()))];
        if let (TypeDef::Object(_), Some(any)) = (def, cx.names.any(def.name())) {
            if !cx.derived(def.name()).is_empty() {
                exported.push(ident(any));
            }
        }
        model_decls.push((ident(&stem), exported));
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
    EmittedFile {
        path: "models/mod.rs".into(),
        tokens: quote! {
            #models_doc
            #(#model_mods)*
        },
    }
}

/// Every file of the request code: one per root, `requests/mod.rs`, and the version's
/// `mod.rs` with the entry points.
fn requests_and_entry_points(
    cx: &Context,
    options: &EmitOptions,
    out: &mut dyn FnMut(EmittedFile) -> Result<(), String>,
) -> Result<(), String> {
    let api = cx.api;
    let tree = requests::Tree::new(cx);
    let mut request_mods = Vec::new();
    for (stem, tokens) in requests::files(cx, &tree) {
        request_mods.push(ident(&stem));
        out(EmittedFile {
            path: format!("requests/{stem}.rs"),
            tokens,
        })?;
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
    out(EmittedFile {
        path: "requests/mod.rs".into(),
        tokens: quote! {
            #requests_doc
            #(mod #request_mods; pub use #request_mods::*;)*
        },
    })?;

    let entry = requests::entry_points(cx, &tree, &options.aliases)?;
    let version_doc = docs::Doc::new()
        .markdown(format!("Microsoft Graph `{}`.", api.version))
        .markdown("Start from the functions below; each returns a navigation node whose methods follow the URL.")
        .inner_tokens();
    out(EmittedFile {
        path: "mod.rs".into(),
        tokens: quote! {
            #version_doc
            pub mod models;
            pub mod requests;
            #entry
        },
    })
}

/// Counts for the summary: types (not counting action parameter types), operations.
fn stats(api: &Api) -> Stats {
    let types = api
        .types
        .values()
        .filter(|t| !matches!(t, TypeDef::Object(o) if o.kind == ObjectKind::ActionParameters))
        .count();
    Stats {
        types,
        operations: api.operations.len(),
    }
}
