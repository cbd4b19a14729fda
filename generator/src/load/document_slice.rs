//! Documents → slices of themselves (`cargo xtask slice`): the same format out as in, holding
//! what the configured families reach and nothing more.
//!
//! What to keep is decided on the model ([`crate::slice()`]); this module only carries that
//! decision back to the document:
//!
//! * **CSDL** is cut by deleting the byte ranges of the elements it does not keep
//!   ([`super::csdl`]'s `cut`), so every element it keeps stays as Microsoft wrote it;
//! * **OpenAPI** is cut on its YAML tree ([`super::openapi`]'s `cut`).

use crate::config::{Family, in_families};
use crate::load::{LoadError, Warning};
use crate::model::Api;

/// A document's slice, and what went into it.
#[derive(Debug)]
pub struct DocumentSlice {
    /// The slice, in the document's format.
    pub text: String,
    /// Operations it keeps.
    pub operations: usize,
    /// Types it keeps.
    pub types: usize,
    /// Families with no path in the document (not there yet, or misspelled).
    pub missing_families: Vec<String>,
    /// What the loader skipped.
    pub warnings: Vec<Warning>,
}

/// Cuts a document (either format) down to the families.
pub fn slice_document(
    text: &str,
    file: &str,
    families: &[Family],
) -> Result<DocumentSlice, LoadError> {
    match crate::load::sniff_format(text) {
        crate::load::Format::Csdl => super::csdl::cut_csdl(text, file, families),
        crate::load::Format::OpenApi => super::openapi::cut_openapi(text, file, families),
    }
}

/// The families with no operation in a model.
pub(crate) fn missing_families(api: &Api, families: &[Family]) -> Vec<String> {
    families
        .iter()
        .filter(|f| {
            !api.operations
                .iter()
                .any(|op| in_families(std::slice::from_ref(f), &op.path))
        })
        .map(|f| f.name.clone())
        .collect()
}
