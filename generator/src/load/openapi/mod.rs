//! OpenAPI 3.0 → [`Api`].
//!
//! Reads the shapes Microsoft's OpenAPI conversion of Graph produces (OpenAPI.NET.OData):
//!
//! * component schemas named `microsoft.graph.<type>`; inheritance as
//!   `allOf: [{$ref: base}, {title, type: object, properties}]`;
//! * nullable references as `anyOf: [{$ref: X}, {type: object, nullable: true}]` (a bare `$ref`
//!   is not nullable, as OpenAPI 3.0 says);
//! * `Edm.Double` and friends either as `type: number, format: double` or as
//!   `oneOf: [number, string, $ref ReferenceNumeric]` (for `NaN`/`INF`);
//! * `$count` responses as `text/plain` integers, collection pages as objects with a `value`
//!   array and `@odata.nextLink`;
//! * bound actions and functions as path segments named `microsoft.graph.<name>(...)`, tagged
//!   by `x-ms-docs-operation-type`.
//!
//! Every error carries a JSON pointer into the document. Anything skipped becomes a
//! [`Warning`].

mod cut;
pub(crate) mod descriptions;
mod operations;
mod parse;
mod path_template;
mod refs;
mod schema;

use std::collections::BTreeSet;

use openapiv3::OpenAPI;

use super::{LoadError, Loaded, Warning};
use crate::model::*;
pub(crate) use cut::{cut_openapi, cut_openapi_documents, to_text};
use parse::parse;

/// Parses an OpenAPI 3.0 document (YAML or JSON) and builds its model.
pub fn load_str(text: &str, file: &str) -> Result<Loaded, LoadError> {
    let parse::Parsed {
        doc,
        ref_descriptions,
    } = parse(text, file)?;
    let mut loader = Loader {
        file,
        doc: &doc,
        ref_descriptions: &ref_descriptions,
        api: Api::default(),
        warnings: Vec::new(),
    };
    loader.api.version = version_from_servers(&doc).unwrap_or_default();
    // Microsoft's conversion qualifies every name with Graph's namespace, and keeps none.
    loader.api.namespace = GRAPH_NAMESPACE.to_string();
    loader.schemas()?;
    loader.paths()?;
    loader.check_references()?;
    loader.api.sort_operations();
    Ok(Loaded {
        api: loader.api,
        warnings: loader.warnings,
        unbuilt: Vec::new(),
    })
}

/// `https://graph.microsoft.com/beta/` → `beta`.
fn version_from_servers(doc: &OpenAPI) -> Option<String> {
    let url = &doc.servers.first()?.url;
    let last = url.trim_end_matches('/').rsplit('/').next()?;
    (last == "beta" || last.starts_with('v')).then(|| last.to_string())
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn unescape_pointer_token(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The place of a component schema: `#/components/schemas/microsoft.graph.user`.
fn schema_place(name: &str) -> String {
    format!("{SCHEMA_PREFIX}{}", pointer_token(name))
}

/// One document being read.
struct Loader<'a> {
    file: &'a str,
    doc: &'a OpenAPI,
    /// Descriptions beside a `$ref`, by its pointer (see [`parse::Parsed`]).
    ref_descriptions: &'a std::collections::HashMap<String, String>,
    api: Api,
    warnings: Vec<Warning>,
}

impl Loader<'_> {
    fn error(&self, place: impl Into<String>, message: impl Into<String>) -> LoadError {
        LoadError {
            file: self.file.to_string(),
            place: place.into(),
            message: message.into(),
        }
    }

    fn warn(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning {
            place: place.into(),
            message: message.into(),
        });
    }

    /// Entity types are the ones rooted at `microsoft.graph.entity` (OpenAPI has no other
    /// marker), and a base type cycle is an error.
    fn check_inheritance(&mut self) -> Result<(), LoadError> {
        let cycle = validate(&self.api, |_| false)
            .into_iter()
            .find_map(|p| match p {
                Problem::InheritanceCycle { ty, chain } => Some((ty, chain)),
                _ => None,
            });
        if let Some((name, chain)) = cycle {
            let through: BTreeSet<String> = chain.into_iter().collect();
            return Err(self.error(
                schema_place(&name),
                format!(
                    "inheritance cycle: `{name}` is its own base type through {}",
                    join(&through)
                ),
            ));
        }
        let names: Vec<String> = self.api.types.keys().cloned().collect();
        for name in names {
            let chain = walk_bases(&name, |n| {
                self.api.object(n).and_then(|o| o.base.as_deref())
            });
            let is_entity = chain.names.iter().any(|n| n.ends_with(".entity"));
            if let Some(TypeDef::Object(o)) = self.api.types.get_mut(&name) {
                if is_entity {
                    o.kind = ObjectKind::Entity;
                }
                if name.ends_with(".entity") {
                    o.is_abstract = true;
                }
            }
        }
        Ok(())
    }

    /// Every named reference must point at a type of the model.
    fn check_references(&self) -> Result<(), LoadError> {
        match validate(&self.api, |_| false).into_iter().next() {
            Some(Problem::BaseNotObject { ty, base }) => Err(self.error(
                schema_place(&ty),
                format!("base type `{base}` is not an object schema"),
            )),
            Some(Problem::UnknownType {
                ty,
                property,
                target,
            }) => Err(self.error(
                format!(
                    "{}/properties/{}",
                    schema_place(&ty),
                    pointer_token(&property)
                ),
                format!("unknown type `{target}`"),
            )),
            // Cycles were refused before the paths were read.
            Some(Problem::InheritanceCycle { .. }) | None => Ok(()),
        }
    }
}

fn join(names: &BTreeSet<String>) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
