//! OData CSDL (XML, version 4.0) → [`Api`].
//!
//! Microsoft's source of truth for Graph is its CSDL; its OpenAPI is converted from it. This
//! front end reads the CSDL directly:
//!
//! * **types**: every `Schema` (with its `Alias`), entity and complex types with base types,
//!   abstract and open types, structural and navigation properties (`Nullable` defaults to
//!   true; for a collection it says whether its *items* may be null), enums (flags, member
//!   values), and `TypeDefinition`s, read as their underlying primitive;
//! * **annotations**, inline or in `Annotations` elements targeting types, properties,
//!   navigation properties and container members of any schema: descriptions
//!   (`Core.Description`), read-only (`Core.Computed`), and the capability annotations that decide
//!   which operations exist and how ([`Capabilities`]);
//! * **operations**, derived from the entity container the way Microsoft's conversion does:
//!   entity sets and singletons, then contained navigation, recursively; collections get list,
//!   create, `$count` and item operations; bound actions and functions appear on every path whose
//!   type is (or derives from) their binding type.
//!
//! Derivation can be limited to the paths a [`PathFilter`] admits, so that slicing a family out
//! of the whole v1.0 API never builds the other tens of thousands of paths.

mod annotations;
mod calls;
mod capabilities;
mod check;
mod cut;
mod derive;
pub(crate) mod descriptions;
mod index;
mod lookups;
mod types;

use roxmltree::Document;

use super::{LoadError, Loaded};
use crate::model::*;
use crate::paths::{AllPaths, PathFilter};
pub(crate) use cut::cut_csdl;
use derive::Derive;
use index::Csdl;
use types::add_odata_errors;

const CAPABILITIES: &str = "Org.OData.Capabilities.V1.";
/// The error body every Graph operation answers with, which CSDL does not describe; the types
/// are added the way Microsoft's OpenAPI conversion adds them.
pub const ODATA_ERROR: &str = "microsoft.graph.ODataErrors.ODataError";
const CORE: &str = "Org.OData.Core.V1.";

/// How deep containment is followed below an entity set or singleton when paths are not
/// shared (slicing): Microsoft's whole v1.0 API reaches everything it documents within this
/// depth; deeper paths repeat shapes already reachable at a shallower one.
pub const MAX_DEPTH: usize = 8;

/// The capability annotations that make two paths to the same entity type behave differently.
const SHAPE_TERMS: &[&str] = &[
    "ReadRestrictions",
    "InsertRestrictions",
    "UpdateRestrictions",
    "DeleteRestrictions",
    "CountRestrictions",
    "ExpandRestrictions",
    "NavigationRestrictions",
    "TopSupported",
    "SkipSupported",
    "FilterRestrictions",
    "SearchRestrictions",
    "SortRestrictions",
];

/// Parses a CSDL document and derives every operation.
pub fn load_str(text: &str, file: &str) -> Result<Loaded, LoadError> {
    load_filtered(text, file, &AllPaths)
}

/// Parses a CSDL document and derives the operations of the paths `filter` admits.
pub fn load_filtered(text: &str, file: &str, filter: &dyn PathFilter) -> Result<Loaded, LoadError> {
    let document = parse(text, file)?;
    let csdl = Csdl::read(&document, file)?;
    csdl.load(filter)
}

impl Csdl<'_, '_> {
    /// The model of the document, with the operations of the paths `filter` admits.
    pub fn load(&self, filter: &dyn PathFilter) -> Result<Loaded, LoadError> {
        // Every path: every type. Some paths: the types they reach, built after them.
        let whole = filter.share();
        let mut api = if whole {
            self.types()?
        } else {
            let mut api = Api::default();
            add_odata_errors(&mut api);
            api
        };
        let warnings = self.warnings.clone();
        Derive::new(self, &mut api, filter).run()?;
        api.sort_operations();
        api.links.sort();
        api.operations
            .dedup_by(|a, b| a.method == b.method && a.path == b.path);
        api.namespace = self.namespace.clone();
        let mut unbuilt = Vec::new();
        if !whole {
            self.reached_types(&mut api)?;
            self.check(&api, false)?;
            unbuilt = self
                .type_nodes
                .keys()
                .filter(|n| !api.types.contains_key(*n))
                .cloned()
                .collect();
            unbuilt.sort();
        }
        Ok(Loaded {
            api,
            warnings,
            unbuilt,
        })
    }
}

/// The one place XML is parsed.
pub fn parse<'a>(text: &'a str, file: &str) -> Result<Document<'a>, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError {
            file: file.into(),
            place: "document".into(),
            message: "the document is empty".into(),
        });
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        // The parser places "unexpected end of stream" at the start; the end is where it is.
        let (row, col) = match e {
            roxmltree::Error::UnexpectedEndOfStream => {
                let last = text.lines().last().unwrap_or_default();
                (text.lines().count().max(1), last.chars().count() + 1)
            }
            _ => (pos.row as usize, pos.col as usize),
        };
        LoadError {
            file: file.into(),
            place: format!("line {row}, column {col}"),
            message: format!("not well-formed XML: {e}"),
        }
    })
}
