//! The checks of a loaded CSDL model, placed by line: the model's own ([`validate`]), and the
//! references of actions, functions and container members.

use super::Csdl;
use crate::load::LoadError;
use crate::model::{Api, Problem, TypeRef, validate};

impl Csdl<'_, '_> {
    /// Every named type a type, property, parameter or container member refers to exists;
    /// inheritance has no cycle. Only the types in `api` are checked, and with `whole` false
    /// only the actions and functions already read: a filtered load checks what it reads.
    pub(super) fn check(&self, api: &Api, whole: bool) -> Result<(), LoadError> {
        let defined = |n: &str| self.type_nodes.contains_key(n) || api.types.contains_key(n);
        if let Some(problem) = validate(api, defined).into_iter().next() {
            return Err(self.type_problem(problem));
        }
        // Every action and function of a whole load; those a filtered load parsed.
        for i in 0..self.callables.len() {
            let c = if whole {
                self.callable_at(i)?
            } else if let Some(c) = self.callables[i].get() {
                c
            } else {
                continue;
            };
            let mut refs: Vec<&TypeRef> = c.params.iter().map(|p| &p.ty).collect();
            refs.extend(c.binding.iter());
            refs.extend(c.returns.iter());
            if let Some(n) = refs
                .into_iter()
                .filter_map(TypeRef::named_type)
                .find(|n| !defined(n))
            {
                return Err(LoadError {
                    file: self.file.clone(),
                    place: format!("line {}", self.line_at(c.position)),
                    message: format!(
                        "`{}` refers to the type `{n}`, which no schema defines",
                        c.name
                    ),
                });
            }
        }
        for m in &self.members {
            if !self.is_object(&m.entity_type) {
                return Err(LoadError {
                    file: self.file.clone(),
                    place: format!("container member `{}`", m.name),
                    message: format!(
                        "its type `{}` is not an entity type of the document",
                        m.entity_type
                    ),
                });
            }
        }
        Ok(())
    }

    /// A problem of the model's types, placed at the element of the type or property.
    fn type_problem(&self, problem: Problem) -> LoadError {
        let (ty, property, message) = match problem {
            Problem::BaseNotObject { ty, base } => {
                let message =
                    format!("`{ty}` derives from `{base}`, which is not an entity or complex type");
                (ty, None, message)
            }
            Problem::InheritanceCycle { ty, .. } => {
                let message = format!("inheritance cycle through `{ty}`");
                (ty, None, message)
            }
            Problem::UnknownType {
                ty,
                property,
                target,
            } => {
                let message =
                    format!("`{ty}/{property}` has the type `{target}`, which no schema defines");
                (ty, Some(property), message)
            }
        };
        let Some(node) = self.type_nodes.get(&ty) else {
            // Types the loader adds (OData's errors) have no element; they are never wrong.
            return LoadError {
                file: self.file.clone(),
                place: format!("type `{ty}`"),
                message,
            };
        };
        let element = property
            .and_then(|p| {
                node.children().find(|n| {
                    matches!(n.tag_name().name(), "Property" | "NavigationProperty")
                        && n.attribute("Name") == Some(p.as_str())
                })
            })
            .unwrap_or(*node);
        self.error(element, message)
    }
}
