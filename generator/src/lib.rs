//! A code generator for Microsoft Graph: metadata in, lossless Rust bindings out.
//!
//! The pipeline, top to bottom (the steps are [`job`]'s, which `codegen`, `generate` and
//! `diff` compose):
//!
//! 1. **load** ([`load`]): OpenAPI 3.0 and OData CSDL documents become one [`model::Api`];
//! 2. **slice** ([`slice()`]): the configured families ([`config`]) and the types they reach;
//! 3. **analyse** ([`rust_api`]): every Rust name and type, decided once ([`names`]);
//! 4. **emit** ([`emit()`]): the analysis printed as Rust tokens;
//! 5. **write** ([`write`]): tokens formatted with `prettyplease`, compared with the files on
//!    disk, and written (or, with `--check`, diffed), with a lock recording the inputs;
//! 6. **report** ([`changes`]): what the regeneration changed for users, in the changelog.
//!
//! [`codegen()`] runs it for the project's own crate from `specs/codegen.toml`; [`generate()`]
//! makes a standalone crate from any document; [`diff()`] compares two documents;
//! [`slice_document`] cuts a document down to the families, in its own format.
#![deny(missing_docs)]

pub mod changes;
pub mod config;
pub mod corrections;
mod emit;
mod job;
pub mod load;
pub mod model;
mod names;
pub mod paths;
mod rust_api;
mod slice;
pub mod sources;
mod standalone;
mod update;
mod write;

pub use emit::{EmitError, EmitOptions, EmittedFile, Stats, emit};
pub use job::{DiffScope, Error, Summary, codegen, diff, generate, load_inputs, plan};
pub use load::{DocumentSlice, slice_document};
pub use rust_api::Features;
pub use slice::{Sliced, slice};
pub use update::{Absorbed, SourceDocument, Update, UpdateOptions, update};
pub use write::{Mode, Plan, WriteError, Written, render};

/// The README's examples, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
