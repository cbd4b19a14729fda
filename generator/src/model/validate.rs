//! The checks every front end makes on the types it built: base types that are object types,
//! no inheritance cycle, property types that exist. Each front end says where a problem is in
//! its own terms (a JSON pointer, a line), so the checks return problems rather than errors.

use super::{Api, TypeDef, walk_bases};

/// Something wrong with a model's types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// `ty` derives from `base`, which is not an object type of the model.
    BaseNotObject {
        /// The derived type.
        ty: String,
        /// The base it names.
        base: String,
    },
    /// `ty` is its own base type, through `chain` (which starts at `ty`).
    InheritanceCycle {
        /// The type the walk started at.
        ty: String,
        /// The types the walk went through before one came round again.
        chain: Vec<String>,
    },
    /// A property of `ty` has a type that does not exist.
    UnknownType {
        /// The type that declares the property.
        ty: String,
        /// The property.
        property: String,
        /// The type it names.
        target: String,
    },
}

/// Every problem of the object types of `api`, by type name, and for each type its base, its
/// inheritance, then its properties in order. `defined` says whether a name no type of `api`
/// has is known anyway (a type of the document that a partial load did not build).
pub fn validate(api: &Api, defined: impl Fn(&str) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (name, def) in &api.types {
        let TypeDef::Object(o) = def else { continue };
        if let Some(base) = &o.base {
            if api.object(base).is_none() {
                problems.push(Problem::BaseNotObject {
                    ty: name.clone(),
                    base: base.clone(),
                });
            }
        }
        let chain = walk_bases(name, |n| api.object(n).and_then(|o| o.base.as_deref()));
        if chain.cycle {
            problems.push(Problem::InheritanceCycle {
                ty: name.clone(),
                chain: chain.names.iter().map(|n| n.to_string()).collect(),
            });
        }
        for p in &o.properties {
            if let Some(target) = p.ty.named_type() {
                if !api.types.contains_key(target) && !defined(target) {
                    problems.push(Problem::UnknownType {
                        ty: name.clone(),
                        property: p.name.clone(),
                        target: target.to_string(),
                    });
                }
            }
        }
    }
    problems
}
