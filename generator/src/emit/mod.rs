//! [`RustApi`] → Rust tokens: printing only, pure (no I/O, no formatting; [`crate::write`]
//! does both), deciding nothing the analysis did not.
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

mod docs;
mod extensions;
mod models;
mod requests;
mod tokens;

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, TypeDef};
use crate::rust_api::{AnalysisError, EntryPoint, RustApi};
use tokens::ident;

pub use crate::rust_api::Options as EmitOptions;

/// One emitted Rust file, relative to the version module's directory.
#[derive(Debug)]
pub struct EmittedFile {
    /// `models/work_plan_occurrence.rs`, with `/` separators.
    pub path: String,
    /// Its contents, before formatting.
    pub tokens: TokenStream,
}

/// Counts for the command line's summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Types, not counting action parameter types.
    pub types: usize,
    /// Operations.
    pub operations: usize,
}

/// Why a version module cannot be emitted.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// The model has no Rust API.
    #[error("emit: {0}")]
    Analysis(#[from] AnalysisError),
    /// Rendering an emitted file failed.
    #[error("{path}: {message}")]
    Render {
        /// The file, relative to the version module.
        path: String,
        /// Why.
        message: String,
    },
    /// An emitter thread panicked (a bug).
    #[error("an emitter thread panicked")]
    Panicked,
}

/// Emits every file of one version module, on this thread.
pub fn emit(api: &Api, options: &EmitOptions) -> Result<(Vec<EmittedFile>, Stats), EmitError> {
    let rust = RustApi::new(api, options);
    let entries = rust.entry_points()?;
    let mut files = Vec::new();
    for part in parts(api) {
        emit_part(&rust, &entries, &part, &mut |file| {
            files.push(file);
            Ok(())
        })?;
    }
    Ok((files, stats(api)))
}

/// Emits every file of one version module and renders each with `render`, spreading the work
/// over the machine's cores. The analysis is done once and shared; tokens cannot cross
/// threads, so each thread prints and renders whole files on its own. Returns `(path, text)`
/// pairs in no particular order.
pub fn emit_rendered(
    api: &Api,
    options: &EmitOptions,
    render: &(dyn Fn(TokenStream) -> Result<String, String> + Sync),
) -> Result<(Vec<(String, String)>, Stats), EmitError> {
    let rust = RustApi::new(api, options);
    let entries = rust.entry_points()?;
    // The request code is the biggest part: started first, the threads finish together.
    let mut parts = parts(api);
    parts.rotate_right(1);
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(parts.len());
    let work = || -> Result<Vec<(String, String)>, EmitError> {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(i) else {
                return Ok(out);
            };
            emit_part(&rust, &entries, part, &mut |file| {
                let text = render(file.tokens).map_err(|message| EmitError::Render {
                    path: file.path.clone(),
                    message,
                })?;
                out.push((file.path, text));
                Ok(())
            })?;
        }
    };
    let results: Vec<Result<Vec<(String, String)>, EmitError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(EmitError::Panicked)))
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
    rust: &RustApi,
    entries: &[EntryPoint],
    part: &Part,
    out: &mut dyn FnMut(EmittedFile) -> Result<(), EmitError>,
) -> Result<(), EmitError> {
    match part {
        Part::Models(range) => {
            for def in rust.api.types.values().skip(range.start).take(range.len()) {
                let stem = rust.names.file(def.name()).to_string();
                let tokens = match def {
                    TypeDef::Object(o) => models::object(rust, &rust.structure(o)),
                    TypeDef::Enum(e) => {
                        models::enumeration(&rust.enumeration(e), &rust.gates.of_type(&e.name))
                    }
                };
                out(EmittedFile {
                    path: format!("models/{stem}.rs"),
                    tokens,
                })?;
            }
            Ok(())
        }
        Part::ModelsMod => out(models_mod(rust)),
        Part::Requests => requests_and_entry_points(rust, entries, out),
    }
}

/// `models/mod.rs`: a `mod` and a `pub use` per model.
fn models_mod(rust: &RustApi) -> EmittedFile {
    let api = rust.api;
    let mut model_decls = Vec::new();
    for def in api.types.values() {
        let stem = rust.names.file(def.name()).to_string();
        let mut exported = vec![ident(rust.names.ident(def.name()))];
        if let (TypeDef::Object(_), Some(any)) = (def, rust.any_enum(def.name())) {
            exported.push(ident(any));
        }
        model_decls.push((
            ident(&stem),
            exported,
            tokens::gate(&rust.gates.of_type(def.name())),
        ));
    }
    let model_mods = model_decls.iter().map(|(stem, exported, gate)| {
        quote! {
            #gate
            mod #stem;
            #gate
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
    rust: &RustApi,
    entries: &[EntryPoint],
    out: &mut dyn FnMut(EmittedFile) -> Result<(), EmitError>,
) -> Result<(), EmitError> {
    let api = rust.api;
    let mut request_mods = Vec::new();
    let mut request_gates = Vec::new();
    for (stem, tokens, gate) in requests::files(rust) {
        request_mods.push(ident(&stem));
        request_gates.push(tokens::gate(&gate));
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
            #(#request_gates mod #request_mods; #request_gates pub use #request_mods::*;)*
        },
    })?;

    let entry = requests::entry_points(rust, entries);
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
        .filter(|t| !matches!(t, TypeDef::Object(o) if o.kind.is_action_parameters()))
        .count();
    Stats {
        types,
        operations: api.operations.len(),
    }
}
