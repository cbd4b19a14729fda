//! The language-neutral API model that sits between the front ends and the emitters.
//!
//! Both front ends (OpenAPI in [`crate::load::openapi`], CSDL in [`crate::load::csdl`]) produce
//! an [`Api`]; slicing, the Rust analysis, the emitters and the change report read nothing else.
//! The Graph facts that more than one later step needs are decided here, by the loaders: the
//! service namespace ([`Api::namespace`]), updates that may answer no content
//! ([`Response::SingleOrEmpty`]), and the action an object of parameters belongs to
//! ([`ObjectKind::ActionParameters`]). Keeping OData concepts (entity vs complex type, navigation,
//! evolvable enums, bound actions and functions, paged collections) explicit here is what lets
//! one test prove that two documents in different formats describe the same API.
//!
//! Types are keyed by their qualified OData name (`microsoft.graph.workPlanOccurrence`) in a
//! `BTreeMap`, and operations are kept sorted by path and method, so everything downstream
//! iterates in a deterministic order.

mod closure;
mod hierarchy;
mod operations;
mod path;
mod types;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use closure::{Reach, Selection, reach, reach_from, select};
pub use hierarchy::{Chain, Hierarchy, walk_bases};
pub use operations::*;
pub use path::*;
pub use types::*;
pub use validate::{Problem, validate};

/// The namespace of Microsoft Graph's own types and operations. Microsoft's OpenAPI documents
/// carry no namespace of their own: their names are qualified with this one.
pub const GRAPH_NAMESPACE: &str = "microsoft.graph";

/// The alias Microsoft's CSDL gives [`GRAPH_NAMESPACE`]: `graph.user`.
pub const GRAPH_ALIAS: &str = "graph";

/// One API version of one service, as described by one or more documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// The version segment of the URL: `beta` or `v1.0`.
    pub version: String,
    /// The service's own namespace (`microsoft.graph`): Graph documents and accepts bound
    /// actions and functions of this namespace without it, and names are shown without it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Every named type, keyed by qualified name.
    pub types: BTreeMap<String, TypeDef>,
    /// Every operation, sorted by [`Operation::sort_key`].
    pub operations: Vec<Operation>,
    /// Paths that lead to a resource already described at another path (recursive
    /// containment: a mail folder's child folders are mail folders), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Operations the project's corrections added, replaced or removed (`METHOD /path`), with
    /// why: the change report tells their changes from Microsoft's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub corrections: BTreeMap<String, String>,
}

/// Why two models of one version cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// The documents describe different versions.
    #[error("cannot merge API versions `{0}` and `{1}`")]
    Versions(String, String),
    /// A type is defined differently by two documents.
    #[error("type `{0}` is defined differently in two documents")]
    Type(String),
    /// An operation is defined by two documents.
    #[error("operation {0} is defined in two documents")]
    Operation(String),
}

impl Api {
    /// An object type by qualified name.
    pub fn object(&self, name: &str) -> Option<&ObjectType> {
        match self.types.get(name) {
            Some(TypeDef::Object(o)) => Some(o),
            _ => None,
        }
    }

    /// An object type by qualified name, to change it.
    pub fn object_mut(&mut self, name: &str) -> Option<&mut ObjectType> {
        match self.types.get_mut(name) {
            Some(TypeDef::Object(o)) => Some(o),
            _ => None,
        }
    }

    /// An enum type by qualified name.
    pub fn enumeration(&self, name: &str) -> Option<&EnumType> {
        match self.types.get(name) {
            Some(TypeDef::Enum(e)) => Some(e),
            _ => None,
        }
    }

    /// A qualified name without the service's namespace: `workPlanOccurrence`,
    /// `callRecords.session` (names of other namespaces keep theirs).
    pub fn unqualified<'n>(&self, qualified: &'n str) -> &'n str {
        if self.namespace.is_empty() {
            return qualified;
        }
        qualified
            .strip_prefix(self.namespace.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            .unwrap_or(qualified)
    }

    /// The chain from the root base type down to `name` (inclusive), following `base`.
    /// Stops at a missing type or a cycle, which the loaders reject before this is used.
    pub fn ancestry(&self, name: &str) -> Vec<&ObjectType> {
        walk_bases(name, |n| self.object(n).and_then(|o| o.base.as_deref()))
            .names
            .into_iter()
            .rev()
            .filter_map(|n| self.object(n))
            .collect()
    }

    /// Every property of an object type, inherited ones first, in declaration order.
    pub fn all_properties(&self, name: &str) -> Vec<&Property> {
        self.ancestry(name)
            .into_iter()
            .flat_map(|o| o.properties.iter())
            .collect()
    }

    /// The type among `name` and its ancestors that declares `property` (the nearest one);
    /// `name` itself when none does.
    pub fn declaring<'s>(&'s self, name: &'s str, property: &str) -> &'s str {
        self.ancestry(name)
            .into_iter()
            .rev()
            .find(|o| o.properties.iter().any(|p| p.name == property))
            .map_or(name, |o| o.name.as_str())
    }

    /// Sorts operations into their canonical order.
    pub fn sort_operations(&mut self) {
        self.operations.sort_by_key(Operation::sort_key);
    }

    /// Registers the parameter object of an action as a type named `<action>.Parameters`,
    /// reusing an identical earlier one (the same action bound on several paths), and naming a
    /// different one `<action>.Parameters2`, `3`, ... Returns the type's name.
    pub fn intern_parameters(&mut self, action: &str, mut object: ObjectType) -> String {
        object.kind = ObjectKind::ActionParameters {
            action: action.to_string(),
        };
        let base = format!("{action}.Parameters");
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                base.clone()
            } else {
                format!("{base}{n}")
            };
            object.name = candidate.clone();
            match self.types.get(&candidate) {
                None => {
                    self.types
                        .insert(candidate.clone(), TypeDef::Object(object));
                    return candidate;
                }
                Some(TypeDef::Object(existing)) if *existing == object => return candidate,
                Some(_) => n += 1,
            }
        }
    }

    /// Adds another document's model of the same version. Types both documents define must be
    /// identical; an operation may only be defined once.
    pub fn merge(&mut self, other: Api) -> Result<(), MergeError> {
        if !self.version.is_empty() && !other.version.is_empty() && self.version != other.version {
            return Err(MergeError::Versions(self.version.clone(), other.version));
        }
        if self.version.is_empty() {
            self.version = other.version;
        }
        if self.namespace.is_empty() {
            self.namespace = other.namespace;
        }
        for (name, def) in other.types {
            match self.types.get(&name) {
                Some(existing) if *existing != def => return Err(MergeError::Type(name)),
                Some(_) => {}
                None => {
                    self.types.insert(name, def);
                }
            }
        }
        if self.operations.is_empty() {
            self.operations = other.operations;
        } else {
            let existing: std::collections::HashSet<(Path, HttpMethod)> = self
                .operations
                .iter()
                .map(|o| (o.path.clone(), o.method))
                .collect();
            for op in other.operations {
                if existing.contains(&(op.path.clone(), op.method)) {
                    return Err(MergeError::Operation(op.key()));
                }
                self.operations.push(op);
            }
        }
        self.links.extend(other.links);
        self.links.sort();
        self.links.dedup();
        self.corrections.extend(other.corrections);
        self.sort_operations();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_read_back_from_their_names() {
        for m in HttpMethod::ALL {
            assert_eq!(m.as_str().parse::<HttpMethod>(), Ok(m));
            assert_eq!(m.as_str().to_lowercase().parse::<HttpMethod>(), Ok(m));
        }
        assert_eq!(
            "HEAD".parse::<HttpMethod>(),
            Err(UnknownMethod("HEAD".into()))
        );
    }

    #[test]
    fn records_of_action_parameters_read_in_both_forms() {
        let legacy: ObjectKind = serde_json::from_str("\"ActionParameters\"").unwrap();
        assert_eq!(
            legacy,
            ObjectKind::ActionParameters {
                action: String::new()
            }
        );
        let current = ObjectKind::ActionParameters {
            action: "microsoft.graph.x".into(),
        };
        let text = serde_json::to_string(&current).unwrap();
        assert_eq!(serde_json::from_str::<ObjectKind>(&text).unwrap(), current);
        assert_eq!(
            serde_json::from_str::<ObjectKind>("\"Entity\"").unwrap(),
            ObjectKind::Entity
        );
        assert!(serde_json::from_str::<ObjectKind>("\"Thing\"").is_err());
    }

    #[test]
    fn sent_paths_leave_the_service_namespace_out() {
        let path = Path::new(vec![
            Segment::Literal("users".into()),
            Segment::Call {
                name: "microsoft.graph.callRecords.x".into(),
                params: vec![],
            },
        ]);
        assert_eq!(path.sent("microsoft.graph"), "/users/callRecords.x");
        assert_eq!(path.sent(""), "/users/microsoft.graph.callRecords.x");
    }
}
