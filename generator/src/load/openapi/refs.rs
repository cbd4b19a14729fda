//! `$ref`s to components, resolved in one place: component schemas (which may refer to each
//! other in a chain, and are named by the model), and parameters, responses and request bodies
//! (one level, as Microsoft's documents use them).

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{Components, Parameter, ReferenceOr, RequestBody, Response, Schema};

use super::{Loader, SCHEMA_PREFIX, unescape_pointer_token};
use crate::load::LoadError;

/// A kind of component that `$ref`s can point to.
pub(super) trait Component: Sized {
    /// The section of `components`: `parameters`.
    const SECTION: &'static str;
    /// How messages name it: `parameter`.
    const WHAT: &'static str;
    /// The section in a document's components.
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Component for Parameter {
    const SECTION: &'static str = "parameters";
    const WHAT: &'static str = "parameter";
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.parameters
    }
}

impl Component for Response {
    const SECTION: &'static str = "responses";
    const WHAT: &'static str = "response";
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.responses
    }
}

impl Component for RequestBody {
    const SECTION: &'static str = "requestBodies";
    const WHAT: &'static str = "request body";
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.request_bodies
    }
}

impl<'a> Loader<'a> {
    /// The component a parameter, response or request body is, or refers to.
    pub(super) fn resolve<T: Component>(
        &self,
        item: &'a ReferenceOr<T>,
        at: &str,
    ) -> Result<&'a T, LoadError> {
        let reference = match item {
            ReferenceOr::Item(t) => return Ok(t),
            ReferenceOr::Reference { reference } => reference,
        };
        let name = reference
            .strip_prefix(&format!("#/components/{}/", T::SECTION))
            .map(unescape_pointer_token)
            .ok_or_else(|| {
                self.error(
                    at,
                    format!("unsupported {} reference `{reference}`", T::WHAT),
                )
            })?;
        match self
            .doc
            .components
            .as_ref()
            .and_then(|c| T::section(c).get(&name))
        {
            Some(ReferenceOr::Item(t)) => Ok(t),
            Some(ReferenceOr::Reference { .. }) => {
                Err(self.error(at, format!("nested {} reference `{reference}`", T::WHAT)))
            }
            None => Err(self.error(at, format!("dangling reference `{reference}`"))),
        }
    }

    fn component_schema(&self, name: &str) -> Option<&'a ReferenceOr<Schema>> {
        self.doc.components.as_ref()?.schemas.get(name)
    }

    /// Follows a `$ref` to a component schema, through any chain of references, returning its
    /// name and schema.
    pub(super) fn resolve_schema_ref(
        &self,
        reference: &str,
        at: &str,
    ) -> Result<(String, &'a Schema), LoadError> {
        let Some(token) = reference.strip_prefix(SCHEMA_PREFIX) else {
            return Err(self.error(
                at,
                format!(
                    "unsupported reference `{reference}`: only `{SCHEMA_PREFIX}...` is followed"
                ),
            ));
        };
        let mut seen = BTreeSet::new();
        let mut current = unescape_pointer_token(token);
        loop {
            match self.component_schema(&current) {
                None => {
                    return Err(self.error(
                        at,
                        format!(
                            "dangling reference `{reference}`: no schema `{current}` in components"
                        ),
                    ));
                }
                Some(ReferenceOr::Item(schema)) => return Ok((current, schema)),
                Some(ReferenceOr::Reference { reference: next }) => {
                    if !seen.insert(current.clone()) {
                        return Err(
                            self.error(at, format!("reference cycle through `{reference}`"))
                        );
                    }
                    let Some(token) = next.strip_prefix(SCHEMA_PREFIX) else {
                        return Err(self.error(at, format!("unsupported reference `{next}`")));
                    };
                    current = unescape_pointer_token(token);
                }
            }
        }
    }
}
