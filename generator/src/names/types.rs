//! The Rust names of an API's types: structs and enums, `Any*` enums, and the files they go to.

use std::collections::{BTreeMap, BTreeSet};

use super::{RESERVED_TYPE_NAMES, camel, dedupe, local_name, module_name};
use crate::model::{Api, ObjectKind, TypeDef};

/// The Rust names of every type of an API.
#[derive(Debug, Clone, Default)]
pub struct TypeNames {
    idents: BTreeMap<String, String>,
    any: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
}

/// The namespace of a qualified name below the API's own (`callRecords` for
/// `microsoft.graph.callRecords.identity`); a name of another namespace keeps all of it.
fn namespace_below<'n>(qualified: &'n str, root: &str) -> &'n str {
    let namespace = qualified.rsplit_once('.').map_or("", |(ns, _)| ns);
    namespace
        .strip_prefix(root)
        .unwrap_or(namespace)
        .trim_start_matches('.')
}

/// The name a type would have if no other type wanted it.
fn candidate(def: &TypeDef) -> String {
    match def {
        TypeDef::Object(o) => match &o.kind {
            ObjectKind::ActionParameters { action } => {
                format!("{}Parameters", camel(local_name(action)))
            }
            _ => camel(local_name(&o.name)),
        },
        TypeDef::Enum(e) => camel(local_name(&e.name)),
    }
}

impl TypeNames {
    /// Names every type of `api`: the local name in UpperCamelCase, qualified by its namespace
    /// below the API's own where two types would share it, then made unique.
    pub fn new(api: &Api) -> TypeNames {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for def in api.types.values() {
            *counts.entry(candidate(def)).or_default() += 1;
        }
        let mut taken: BTreeSet<String> =
            RESERVED_TYPE_NAMES.iter().map(|s| s.to_string()).collect();
        let mut names = TypeNames::default();
        let mut wanted = Vec::new();
        for def in api.types.values() {
            let c = candidate(def);
            // A type of the API's own namespace keeps the plain name; the others are qualified.
            let namespace = namespace_below(def.name(), &api.namespace);
            let c = if counts[&c] > 1 && !namespace.is_empty() {
                format!("{}{c}", camel(namespace))
            } else {
                c
            };
            wanted.push((def.name().to_string(), c));
        }
        let unique = dedupe(
            wanted.iter().map(|(_, c)| c.clone()).collect(),
            &mut taken,
            "",
        );
        for ((qualified, _), ident) in wanted.into_iter().zip(unique) {
            names.idents.insert(qualified, ident);
        }
        // `Any<Base>` enums for types with derived types.
        let bases: BTreeSet<&str> = api
            .types
            .values()
            .filter_map(|d| match d {
                TypeDef::Object(o) => o.base.as_deref(),
                _ => None,
            })
            .collect();
        let any_wanted: Vec<(String, String)> = bases
            .into_iter()
            .filter_map(|b| Some((b.to_string(), format!("Any{}", names.idents.get(b)?))))
            .collect();
        let any_unique = dedupe(
            any_wanted.iter().map(|(_, c)| c.clone()).collect(),
            &mut taken,
            "",
        );
        for ((base, _), ident) in any_wanted.into_iter().zip(any_unique) {
            names.any.insert(base, ident);
        }
        // File stems: snake case, unique even on case-insensitive file systems.
        let mut stems = BTreeSet::new();
        let qualified: Vec<String> = names.idents.keys().cloned().collect();
        let wanted: Vec<String> = qualified
            .iter()
            .map(|q| module_name(&names.idents[q]))
            .collect();
        for (q, stem) in qualified.into_iter().zip(dedupe(wanted, &mut stems, "_")) {
            names.files.insert(q, stem);
        }
        names
    }

    /// The Rust name of a type. Panics on a name the model does not have, which the loaders
    /// rule out before emission.
    pub fn ident(&self, qualified: &str) -> &str {
        self.idents
            .get(qualified)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("type `{qualified}` has no name"))
    }

    /// The `Any<Type>` name reserved for a type that is the base of others.
    pub fn any(&self, qualified: &str) -> Option<&str> {
        self.any.get(qualified).map(String::as_str)
    }

    /// The file (without `.rs`) a type is emitted to.
    pub fn file(&self, qualified: &str) -> &str {
        &self.files[qualified]
    }
}

#[cfg(test)]
mod tests {
    use super::namespace_below;

    #[test]
    fn namespaces_below_the_root_qualify_names() {
        assert_eq!(
            namespace_below("microsoft.graph.callRecords.identity", "microsoft.graph"),
            "callRecords"
        );
        assert_eq!(
            namespace_below("microsoft.graph.identity", "microsoft.graph"),
            ""
        );
        assert_eq!(
            namespace_below("other.identity", "microsoft.graph"),
            "other"
        );
        assert_eq!(namespace_below("identity", "microsoft.graph"), "");
    }
}
