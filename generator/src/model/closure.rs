//! The types a set of operations reaches: what a slice of a model keeps besides its
//! operations. The rules:
//!
//! * a type is kept when an operation's body, response, error or parameter uses it ("a
//!   position"), or when a kept type's structural property uses it (also a position), or when
//!   it is a base type of a kept type;
//! * every type deriving from a type used in a position is kept too, so that `@odata.type` can
//!   select it; a type kept only as a base type does not bring its derived types (a slice with
//!   `timeOffItem` does not need every `scheduleEntity`);
//! * a navigation property is kept only when its target is kept as a position; the others are
//!   dropped (they only appear with `$expand`, and whatever they carry is still kept by the
//!   models, as unknown properties).

use std::collections::BTreeSet;

use super::{Api, Hierarchy, Operation, Segment, TypeDef, TypeRef};

/// What a slice keeps of a model besides its operations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Kept types.
    pub types: BTreeSet<String>,
    /// Kept types whose derived types are kept too (used in a position).
    pub positions: BTreeSet<String>,
    /// `(type, property)` of every dropped navigation property.
    pub dropped_navigation: BTreeSet<(String, String)>,
}

/// The types `operations` reach in `api`, and the navigation properties that stay out.
pub fn select(api: &Api, operations: &[Operation]) -> Selection {
    let mut selection = Selection::default();
    // (type, used in a position?)
    let mut pending: Vec<(String, bool)> = Vec::new();
    for op in operations {
        pending.extend(named_by(op).map(|n| (n.to_string(), true)));
    }
    let hierarchy = Hierarchy::new(api);
    let mut navigation: Vec<(String, String, String)> = Vec::new();
    while let Some((name, position)) = pending.pop() {
        let newly_positioned = position && selection.positions.insert(name.clone());
        if !selection.types.insert(name.clone()) && !newly_positioned {
            continue;
        }
        let Some(def) = api.types.get(&name) else {
            continue;
        };
        if newly_positioned {
            for d in hierarchy.descendants(&name) {
                pending.push((d.to_string(), false));
            }
        }
        let TypeDef::Object(object) = def else {
            continue;
        };
        if let Some(base) = &object.base {
            pending.push((base.clone(), false));
        }
        for p in &object.properties {
            let Some(target) = p.ty.named_type() else {
                continue;
            };
            if p.navigation {
                navigation.push((name.clone(), p.name.clone(), target.to_string()));
            } else {
                pending.push((target.to_string(), true));
            }
        }
    }
    for (owner, property, target) in navigation {
        if !selection.positions.contains(&target) {
            selection.dropped_navigation.insert((owner, property));
        }
    }
    selection
}

/// The types the code of some operations names: what a cargo feature compiles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// Every type reached: the types of the operations' bodies, answers, errors and
    /// parameters, and from there every structural property's type and every base type.
    pub types: BTreeSet<String>,
    /// The types used in a position (an operation's, or a structural property's): a value of
    /// one of their derived types may arrive there.
    pub positions: BTreeSet<String>,
}

/// What the code of `operations` names in `api`, a model already sliced. Navigation
/// properties and derived types are not followed: a navigation field, and the variant of an
/// `Any*` enum, are compiled only where their type is (each is gated on its own), so that one
/// entity does not drag in the whole API.
pub fn reach<'a>(api: &Api, operations: impl IntoIterator<Item = &'a Operation>) -> Reach {
    let mut start = Vec::new();
    for op in operations {
        start.extend(named_by(op).map(str::to_string));
    }
    reach_from(api, start)
}

/// The types an operation names directly: its body, answer, error and function parameters.
fn named_by(op: &Operation) -> impl Iterator<Item = &str> {
    let mut refs: Vec<&TypeRef> = op.body.iter().chain(op.error.iter()).collect();
    refs.extend(op.response.type_ref());
    for segment in &op.path.segments {
        if let Segment::Call { params, .. } = segment {
            refs.extend(params.iter().map(|p| &p.ty));
        }
    }
    refs.into_iter().filter_map(|t| t.named_type())
}

/// What the types `start` (used in positions) name, as [`reach`].
pub fn reach_from(api: &Api, start: impl IntoIterator<Item = String>) -> Reach {
    let mut out = Reach::default();
    let mut pending: Vec<(String, bool)> = start.into_iter().map(|n| (n, true)).collect();
    while let Some((name, position)) = pending.pop() {
        if position {
            out.positions.insert(name.clone());
        }
        if !out.types.insert(name.clone()) {
            continue;
        }
        let Some(TypeDef::Object(object)) = api.types.get(&name) else {
            continue;
        };
        if let Some(base) = &object.base {
            pending.push((base.clone(), false));
        }
        pending.extend(
            object
                .properties
                .iter()
                .filter(|p| !p.navigation)
                .filter_map(|p| p.ty.named_type())
                .map(|t| (t.to_string(), true)),
        );
    }
    out
}
