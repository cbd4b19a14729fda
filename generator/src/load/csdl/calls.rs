//! Bound actions and functions on a derived path: a `POST` per action (its parameters become
//! a body type), a `GET` per function (its parameters are written in the path).

use std::collections::BTreeSet;

use super::derive::{Derive, operation};
use super::index::Callable;
use crate::load::LoadError;
use crate::model::*;

impl Derive<'_, '_, '_> {
    /// The actions and functions bound to `ty` (or to a collection of it, when `collection`) on
    /// `path`. An overload bound closer to the path's type shadows one bound to a base type.
    pub(super) fn calls(
        &mut self,
        path: &Path,
        ty: &str,
        collection: bool,
    ) -> Result<(), LoadError> {
        let callables: Vec<Callable> = self
            .csdl
            .bound_to(ty, collection)?
            .into_iter()
            .cloned()
            .collect();
        let mut seen = BTreeSet::new();
        for c in callables {
            if !seen.insert(c.name.clone()) {
                continue;
            }
            let mut call_path = path.clone();
            call_path.segments.push(Segment::Call {
                name: c.name.clone(),
                params: match c.kind {
                    OperationKind::Function => c.params.clone(),
                    _ => Vec::new(),
                },
            });
            if self.filter.keep(&call_path) {
                let op = self.call(&c, &call_path);
                self.push(op);
            }
        }
        Ok(())
    }

    /// The operation of one action or function at `path`.
    fn call(&mut self, c: &Callable, path: &Path) -> Operation {
        let response = match &c.returns {
            None => Response::Empty,
            Some(TypeRef::Collection { item, .. }) => Response::Page((**item).clone()),
            Some(t @ TypeRef::Named(n)) if self.csdl.is_object(n) => Response::Single(t.clone()),
            Some(t) => Response::Value(t.clone()),
        };
        let (method, body, query) = match c.kind {
            OperationKind::Action => (HttpMethod::Post, self.parameters(c), vec![]),
            _ => {
                // A function answering entities takes the query options of a collection.
                let query = match &response {
                    Response::Page(TypeRef::Named(n)) if self.csdl.is_object(n) => vec![
                        QueryOption::Top,
                        QueryOption::Skip,
                        QueryOption::Search,
                        QueryOption::Filter,
                        QueryOption::Count,
                        QueryOption::Select(vec![]),
                        QueryOption::OrderBy(vec![]),
                        QueryOption::Expand(vec![]),
                    ],
                    _ => vec![],
                };
                (HttpMethod::Get, None, query)
            }
        };
        Operation {
            query,
            body,
            description: self.csdl.description(&c.name),
            ..operation(method, path, c.kind, response)
        }
    }

    /// The body of an action: its parameters as an object type, registered in the model.
    fn parameters(&mut self, c: &Callable) -> Option<TypeRef> {
        if c.params.is_empty() {
            return None;
        }
        let object = ObjectType {
            name: String::new(),
            kind: ObjectKind::ActionParameters {
                action: c.name.clone(),
            },
            base: None,
            is_abstract: false,
            is_open: false,
            description: None,
            properties: c
                .params
                .iter()
                .map(|p| Property {
                    name: p.name.clone(),
                    ty: p.ty.clone(),
                    // `Nullable` on a collection says whether its items may be null.
                    nullable: p.nullable && !matches!(p.ty, TypeRef::Collection { .. }),
                    read_only: false,
                    navigation: false,
                    immutable: false,
                    key: false,
                    description: None,
                })
                .collect(),
        };
        Some(TypeRef::Named(self.api.intern_parameters(&c.name, object)))
    }
}
