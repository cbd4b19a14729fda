//! Families → the closure of operations and types they reach. A model operation, so it works
//! the same on OpenAPI and CSDL.
//!
//! The rules:
//!
//! * an operation is kept when a family selects its path;
//! * a type is kept when an operation's body, response, error or parameter uses it ("a
//!   position"),
//!   or when a kept type's structural property uses it (also a position), or when it is a base
//!   type of a kept type;
//! * every type deriving from a type used in a position is kept too, so that `@odata.type` can
//!   select it; a type kept only as a base type does not bring its derived types (a slice with
//!   `timeOffItem` does not need every `scheduleEntity`);
//! * a navigation property is kept only when its target is kept as a position; the others are
//!   dropped from the slice (they only appear with `$expand`, and whatever they carry is still
//!   kept by the models, as unknown properties).

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Family;
use crate::load::csdl::PathFilter;
use crate::model::{Api, Operation, Path, Response, TypeDef, TypeRef};

/// What a slice keeps of a model: operations, types, and the navigation properties of each
/// kept type that survive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Kept types.
    pub types: BTreeSet<String>,
    /// Kept types whose derived types are kept too (used in a position).
    pub positions: BTreeSet<String>,
    /// `(type, property)` of every dropped navigation property.
    pub dropped_navigation: BTreeSet<(String, String)>,
}

/// The families' slice of a model.
pub fn slice(api: &Api, families: &[Family]) -> Api {
    let operations: Vec<Operation> = api
        .operations
        .iter()
        .filter(|op| families.iter().any(|f| f.matches(&op.path)))
        .cloned()
        .collect();
    let selection = select(api, &operations);
    let mut sliced = apply(api, operations, &selection);
    let in_families = |path: &Path| families.iter().any(|f| f.matches(path));
    sliced.links = api
        .links
        .iter()
        .filter(|l| in_families(&l.path) && in_families(&l.target))
        .cloned()
        .collect();
    sliced
}

/// The types a set of operations reaches.
pub fn select(api: &Api, operations: &[Operation]) -> Selection {
    let mut selection = Selection::default();
    // (type, used in a position?)
    let mut pending: Vec<(String, bool)> = Vec::new();
    for op in operations {
        let mut refs: Vec<&TypeRef> = op.body.iter().chain(op.error.iter()).collect();
        match &op.response {
            Response::Single(t) | Response::Page(t) | Response::Value(t) => refs.push(t),
            Response::Empty | Response::Count => {}
        }
        for segment in &op.path.segments {
            if let crate::model::Segment::Call { params, .. } = segment {
                refs.extend(params.iter().map(|p| &p.ty));
            }
        }
        pending.extend(
            refs.into_iter()
                .filter_map(|t| t.named_type())
                .map(|n| (n.to_string(), true)),
        );
    }
    let derived = derived_index(api);
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
            for d in derived.get(name.as_str()).into_iter().flatten() {
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

/// A model holding only what a selection keeps.
pub fn apply(api: &Api, operations: Vec<Operation>, selection: &Selection) -> Api {
    let mut types = BTreeMap::new();
    for name in &selection.types {
        let Some(def) = api.types.get(name) else {
            continue;
        };
        let mut def = def.clone();
        if let TypeDef::Object(o) = &mut def {
            o.properties.retain(|p| {
                !selection
                    .dropped_navigation
                    .contains(&(name.clone(), p.name.clone()))
            });
        }
        types.insert(name.clone(), def);
    }
    let mut sliced = Api {
        version: api.version.clone(),
        types,
        operations,
        links: Vec::new(),
    };
    sliced.sort_operations();
    sliced
}

/// Base type → every type deriving from it, directly or not.
fn derived_index(api: &Api) -> BTreeMap<&str, Vec<&str>> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for def in api.types.values() {
        let TypeDef::Object(o) = def else { continue };
        let mut seen = BTreeSet::new();
        let mut base = o.base.as_deref();
        while let Some(b) = base {
            if !seen.insert(b) {
                break;
            }
            out.entry(b).or_default().push(&o.name);
            base = api.object(b).and_then(|x| x.base.as_deref());
        }
    }
    out
}

/// The paths of the configured families, as a filter for deriving operations from a CSDL
/// container: a path is followed while it can still lead into a family.
pub struct FamilyFilter<'a> {
    pub families: &'a [Family],
}

impl PathFilter for FamilyFilter<'_> {
    fn descend(&self, path: &Path) -> bool {
        let path = path.to_string();
        self.families.iter().flat_map(|f| &f.paths).any(|pattern| {
            let prefix = pattern.strip_suffix("/**").unwrap_or(pattern);
            prefix == path
                || prefix.starts_with(&format!("{path}/"))
                || (pattern.ends_with("/**") && path.starts_with(&format!("{prefix}/")))
        })
    }

    fn keep(&self, path: &Path) -> bool {
        self.families.iter().any(|f| f.matches(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Segment;

    fn path(s: &str) -> Path {
        Path {
            segments: s
                .trim_start_matches('/')
                .split('/')
                .map(
                    |seg| match seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                        Some(param) => Segment::Key {
                            param: param.into(),
                        },
                        None => Segment::Literal(seg.into()),
                    },
                )
                .collect(),
        }
    }

    #[test]
    fn the_filter_follows_paths_into_families_only() {
        let families = vec![Family {
            name: "f".into(),
            description: None,
            paths: vec![
                "/users/{user-id}/settings/x/**".into(),
                "/teams/{team-id}/schedule".into(),
            ],
        }];
        let filter = FamilyFilter {
            families: &families,
        };
        assert!(filter.descend(&path("/users")));
        assert!(filter.descend(&path("/users/{user-id}/settings")));
        assert!(filter.descend(&path("/users/{user-id}/settings/x/y/z")));
        assert!(!filter.descend(&path("/users/{user-id}/calendar")));
        assert!(!filter.descend(&path("/groups")));
        assert!(filter.descend(&path("/teams/{team-id}/schedule")));
        assert!(!filter.descend(&path("/teams/{team-id}/schedule/shifts")));
        assert!(filter.keep(&path("/users/{user-id}/settings/x")));
        assert!(filter.keep(&path("/users/{user-id}/settings/x/y")));
        assert!(!filter.keep(&path("/users/{user-id}/settings")));
        assert!(filter.keep(&path("/teams/{team-id}/schedule")));
    }
}
