//! Families → the slice of a model they select: the operations of their paths and the
//! closure of types those reach ([`crate::model::select`]). A model operation, so it works
//! the same on OpenAPI and CSDL.

use std::collections::BTreeMap;

use crate::config::{Family, in_families};
use crate::model::{Api, Operation, Property, Selection, TypeDef, select};

/// A model cut down to some families, with the selection that decided what it keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct Sliced {
    /// The sliced model.
    pub api: Api,
    /// The types it keeps and the navigation properties it drops.
    pub selection: Selection,
}

/// The families' slice of a model.
pub fn slice(api: &Api, families: &[Family]) -> Sliced {
    let operations: Vec<Operation> = api
        .operations
        .iter()
        .filter(|op| in_families(families, &op.path))
        .cloned()
        .collect();
    let selection = select(api, &operations);
    let mut sliced = apply(api, operations, &selection);
    sliced.links = api
        .links
        .iter()
        .filter(|l| in_families(families, &l.path) && in_families(families, &l.target))
        .cloned()
        .collect();
    Sliced {
        api: sliced,
        selection,
    }
}

/// A model holding `operations` and what `selection` keeps of `api`'s types.
fn apply(api: &Api, operations: Vec<Operation>, selection: &Selection) -> Api {
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
        namespace: api.namespace.clone(),
        types,
        operations,
        links: Vec::new(),
        corrections: api.corrections.clone(),
    };
    sliced.sort_operations();
    sliced
}

/// `(declaring type, property)` → property, for the navigation properties of kept types that
/// a slice of `whole` drops because their target is outside the families.
pub fn dropped_properties(
    whole: &Api,
    selection: &Selection,
) -> BTreeMap<(String, String), Property> {
    let mut out = BTreeMap::new();
    for (owner, property) in &selection.dropped_navigation {
        if let Some(p) = whole
            .object(owner)
            .and_then(|o| o.properties.iter().find(|p| &p.name == property))
        {
            out.insert((owner.clone(), property.clone()), p.clone());
        }
    }
    out
}
