//! Front ends: documents in, [`crate::model::Api`] out.
//!
//! Each front end reports problems as a [`LoadError`] that names the file and the place in it
//! (a JSON pointer for OpenAPI), and collects non-fatal [`Warning`]s for things it chose to skip,
//! so that nothing is dropped silently.

pub mod csdl;
mod document_slice;
pub mod openapi;
pub mod spec;

pub(crate) use document_slice::missing_families;
pub use document_slice::{DocumentSlice, slice_document};
pub use spec::{Derivation, DerivedSpec, Source, derive_spec};

use std::fmt;
use std::path::Path;

/// A problem that stops a document from loading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {place}: {message}")]
pub struct LoadError {
    /// The document, as given by the caller.
    pub file: String,
    /// Where in the document: a JSON pointer (`#/paths/~1users/get`) or `line 3, column 7`.
    pub place: String,
    /// What is wrong.
    pub message: String,
}

/// Something a front end skipped or approximated; printed by the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where in the document.
    pub place: String,
    /// What was skipped or approximated, and why.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// A loaded document: its model and what the loader had to say about it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The document's model.
    pub api: crate::model::Api,
    /// What the loader skipped or approximated.
    pub warnings: Vec<Warning>,
    /// Types the document defines that the model leaves out: a CSDL load limited to some
    /// paths builds only the types they reach.
    pub unbuilt: Vec<String>,
}

/// The formats the front ends read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OpenAPI 3.0, YAML or JSON.
    OpenApi,
    /// OData CSDL 4.0, XML.
    Csdl,
}

/// Guesses a document's format from its first non-blank characters: CSDL is XML.
pub fn sniff_format(text: &str) -> Format {
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
    {
        Format::Csdl
    } else {
        Format::OpenApi
    }
}

/// Loads a document of either format from its text; `file` names it in messages.
pub fn load_str(text: &str, file: &str) -> Result<Loaded, LoadError> {
    match sniff_format(text) {
        Format::OpenApi => openapi::load_str(text, file),
        Format::Csdl => csdl::load_str(text, file),
    }
}

/// Reads and loads a document of either format; messages name it as given.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    load_str(&read_text(path)?, &path.display().to_string())
}

/// Reads a file as UTF-8 text, with a [`LoadError`] that names it when that fails.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let display = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LoadError {
        file: display.clone(),
        place: "file".into(),
        message: format!("cannot read: {e}"),
    })?;
    String::from_utf8(bytes).map_err(|e| LoadError {
        file: display,
        place: format!("byte {}", e.utf8_error().valid_up_to()),
        message: "not valid UTF-8".into(),
    })
}
