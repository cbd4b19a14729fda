//! Which cargo features compile each item, so that a user pays only for what they enable: a
//! feature per family (the project's crate, `generate --config`), or per top-level module of
//! the API (`generate --all`: `users`, `groups`, `teams`; `me` goes with `users`).
//!
//! An operation belongs to the features of its path. A type belongs to every feature whose
//! operations can name it ([`crate::model::reach`]): shared types compile when any of them is
//! enabled. A navigation node belongs to the features of the operations below it, a listed
//! query value enum to those of the operations that take it.

use std::collections::{BTreeMap, BTreeSet};

use super::requests::Tree;
use crate::config::{Family, in_families};
use crate::model::{Api, Operation, Reach, Segment, reach, reach_from};
use crate::names;

/// How the features of a crate are cut.
#[derive(Clone, Debug, Default)]
pub enum Features {
    /// No features: everything is compiled.
    #[default]
    None,
    /// One feature per family, named after it.
    Families(Vec<Family>),
    /// One feature per top-level module (entity set or singleton), named after its entry
    /// point; `me` is compiled with `users`.
    TopLevel,
}

/// The features that compile an item: a conjunction of clauses, each satisfied by any one of
/// its features (a navigation field needs its owner's and its target's); or, ungated, always.
/// An empty clause is never satisfied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gate(Option<Vec<BTreeSet<String>>>);

impl Gate {
    /// An item compiled whatever the features.
    pub fn always() -> Gate {
        Gate(None)
    }

    fn any(features: BTreeSet<String>) -> Gate {
        Gate(Some(vec![features]))
    }

    /// The clauses, all of which must hold; `None` when the item is always compiled.
    pub fn clauses(&self) -> Option<&[BTreeSet<String>]> {
        self.0.as_deref()
    }

    /// The features, any of which compiles the item, when the gate is a single clause.
    pub fn features(&self) -> Option<&BTreeSet<String>> {
        match self.clauses()? {
            [one] => Some(one),
            _ => None,
        }
    }

    /// What remains of this gate inside an item gated by `container`: the clauses the
    /// container does not already imply (a clause is implied by any narrower one).
    pub fn within(&self, container: &Gate) -> Gate {
        let (Some(clauses), Some(outer)) = (self.clauses(), container.clauses()) else {
            return self.clone();
        };
        let rest: Vec<BTreeSet<String>> = clauses
            .iter()
            .filter(|c| !outer.iter().any(|o| o.is_subset(c)))
            .cloned()
            .collect();
        if rest.is_empty() {
            Gate::always()
        } else {
            Gate(Some(rest))
        }
    }
}

/// The gates of every item of a version module.
#[derive(Clone, Debug, Default)]
pub struct Gates {
    /// Every feature, in order: those the crate's manifest declares.
    pub all: BTreeSet<String>,
    enabled: bool,
    types: BTreeMap<String, BTreeSet<String>>,
    operations: BTreeMap<String, BTreeSet<String>>,
    nodes: Vec<BTreeSet<String>>,
}

impl Gates {
    /// The gates of `api`'s items, its operations arranged in `tree`.
    pub fn new(api: &Api, tree: &Tree, features: &Features) -> Gates {
        let Some(assign) = assigner(features, api) else {
            return Gates::default();
        };
        let operations: BTreeMap<String, BTreeSet<String>> = api
            .operations
            .iter()
            .map(|op| (op.key(), assign(op)))
            .collect();
        let all: BTreeSet<String> = operations.values().flatten().cloned().collect();
        let reaches: BTreeMap<&String, Reach> = all
            .iter()
            .map(|feature| {
                let ops = api
                    .operations
                    .iter()
                    .filter(|op| operations[&op.key()].contains(feature));
                (feature, reach(api, ops))
            })
            .collect();
        let mut types: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (feature, reached) in &reaches {
            for name in &reached.types {
                types
                    .entry(name.clone())
                    .or_default()
                    .insert((*feature).clone());
            }
        }
        derived_only(api, &reaches, &all, &mut types);
        let nodes = node_features(tree, &operations);
        Gates {
            all,
            enabled: true,
            types,
            operations,
            nodes,
        }
    }

    fn gate(&self, features: Option<&BTreeSet<String>>) -> Gate {
        if !self.enabled {
            return Gate::always();
        }
        Gate::any(
            features
                .filter(|f| !f.is_empty())
                .unwrap_or(&self.all)
                .clone(),
        )
    }

    /// The gate of a type.
    pub fn of_type(&self, name: &str) -> Gate {
        self.gate(self.types.get(name))
    }

    /// The gate of a field: its owner's, and for a navigation property also its target's,
    /// which may be compiled by other features (navigation is not followed by reach).
    pub fn of_field(&self, owner: &str, property: &crate::model::Property) -> Gate {
        let owner_gate = self.of_type(owner);
        match (
            property.navigation,
            property.ty.named_type(),
            owner_gate.clauses(),
        ) {
            (true, Some(target), Some([owner_features])) => {
                let target = self.of_type(target);
                match target.features() {
                    Some(t) if !owner_features.is_subset(t) => {
                        Gate(Some(vec![owner_features.clone(), t.clone()]))
                    }
                    _ => owner_gate,
                }
            }
            _ => owner_gate,
        }
    }

    /// The gate of an operation.
    pub fn of_operation(&self, op: &Operation) -> Gate {
        self.gate(self.operations.get(&op.key()))
    }

    /// The gate of a navigation node: the features of everything below it.
    pub fn of_node(&self, node: usize) -> Gate {
        self.gate(self.nodes.get(node))
    }

    /// The gate of something the operations `ops` share (a listed query value enum).
    pub fn of_operations<'o>(&self, ops: impl IntoIterator<Item = &'o Operation>) -> Gate {
        let mut features = BTreeSet::new();
        for op in ops {
            features.extend(
                self.operations
                    .get(&op.key())
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
        }
        self.gate(Some(&features))
    }
}

impl Features {
    /// The features of a crate made from `api`, as its manifest declares them.
    pub fn names(&self, api: &Api) -> BTreeSet<String> {
        match assigner(self, api) {
            Some(assign) => api.operations.iter().flat_map(assign).collect(),
            None => BTreeSet::new(),
        }
    }
}

/// The features an operation belongs to, when the crate has features.
type Assign = Box<dyn Fn(&Operation) -> BTreeSet<String>>;

fn assigner(features: &Features, api: &Api) -> Option<Assign> {
    match features {
        Features::None => None,
        Features::Families(families) => {
            let families = families.clone();
            Some(Box::new(move |op| {
                families
                    .iter()
                    .filter(|f| in_families(std::slice::from_ref(*f), &op.path))
                    .map(|f| f.name.clone())
                    .collect()
            }))
        }
        Features::TopLevel => {
            let has_users = api.operations.iter().any(|op| top_level(op) == "users");
            Some(Box::new(move |op| {
                let module = match top_level(op) {
                    "me" if has_users => "users".to_string(),
                    other => names::entry_point(other),
                };
                BTreeSet::from([module])
            }))
        }
    }
}

/// Types no feature names, only met as a derived type (an `Any*` variant): each goes with the
/// features that use its nearest base in a position, where a value of it may arrive, and so
/// does what it names (which may position further derived types: repeated until nothing
/// changes). Types still unclaimed then (met nowhere) go with every feature.
fn derived_only(
    api: &Api,
    reaches: &BTreeMap<&String, Reach>,
    all: &BTreeSet<String>,
    types: &mut BTreeMap<String, BTreeSet<String>>,
) {
    let mut positioned: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (feature, reach) in reaches {
        for position in &reach.positions {
            positioned
                .entry(position.clone())
                .or_default()
                .insert((*feature).clone());
        }
    }
    let claim = |name: &String,
                 features: &BTreeSet<String>,
                 types: &mut BTreeMap<String, BTreeSet<String>>,
                 positioned: &mut BTreeMap<String, BTreeSet<String>>| {
        let reach = reach_from(api, [name.clone()]);
        for reached in reach.types {
            types
                .entry(reached)
                .or_default()
                .extend(features.iter().cloned());
        }
        for position in reach.positions {
            positioned
                .entry(position)
                .or_default()
                .extend(features.iter().cloned());
        }
    };
    // Only types no operation reaches are claimed; sets only grow, so this ends.
    let unreached: Vec<&String> = api
        .types
        .keys()
        .filter(|t| !types.contains_key(*t))
        .collect();
    loop {
        let mut changed = false;
        for &name in &unreached {
            let mut ancestor = api.object(name).and_then(|o| o.base.clone());
            while let Some(base) = ancestor {
                if let Some(features) = positioned.get(&base).cloned() {
                    if types.get(name).is_none_or(|have| !features.is_subset(have)) {
                        claim(name, &features, types, &mut positioned);
                        changed = true;
                    }
                    break;
                }
                ancestor = api.object(&base).and_then(|o| o.base.clone());
            }
        }
        if !changed {
            break;
        }
    }
    let unclaimed: Vec<String> = api
        .types
        .keys()
        .filter(|t| !types.contains_key(*t))
        .cloned()
        .collect();
    for name in &unclaimed {
        claim(name, all, types, &mut positioned);
    }
}

/// The first segment of an operation's path.
fn top_level(op: &Operation) -> &str {
    match op.path.segments.first() {
        Some(Segment::Literal(name)) => name,
        _ => "",
    }
}

/// Each node's features: those of its operations, of its children and of the nodes its links
/// lead to.
fn node_features(
    tree: &Tree,
    operations: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<BTreeSet<String>> {
    let mut features: Vec<BTreeSet<String>> = tree
        .nodes
        .iter()
        .map(|node| {
            node.operations
                .iter()
                .flat_map(|o| operations.get(&o.op.key()).into_iter().flatten().cloned())
                .collect()
        })
        .collect();
    // Children come after their parents: fold them in backwards, then links, until nothing
    // changes (a link may lead up the tree).
    loop {
        let mut changed = false;
        for i in (1..tree.nodes.len()).rev() {
            let parent = tree.nodes[i].parent;
            let from_links: BTreeSet<String> = tree.nodes[i]
                .links
                .iter()
                .flat_map(|l| features[l.target].clone())
                .collect();
            let own = features[i].clone();
            for f in own.into_iter().chain(from_links.clone()) {
                changed |= features[i].insert(f.clone());
                changed |= features[parent].insert(f);
            }
        }
        if !changed {
            return features;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(features: &[&str]) -> BTreeSet<String> {
        features.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn a_gate_within_its_container_keeps_only_what_the_container_does_not_imply() {
        let owner = Gate::any(any(&["users", "groups"]));
        let field = Gate(Some(vec![any(&["users", "groups"]), any(&["sites"])]));
        assert_eq!(field.within(&owner), Gate::any(any(&["sites"])));
        // A wider clause is implied by a narrower one.
        let wider = Gate::any(any(&["users", "groups", "sites"]));
        assert_eq!(wider.within(&owner), Gate::always());
        // A narrower one is not.
        let narrower = Gate::any(any(&["users"]));
        assert_eq!(narrower.within(&owner), narrower);
        assert_eq!(owner.within(&Gate::always()), owner);
        assert_eq!(Gate::always().within(&owner), Gate::always());
        assert_eq!(
            field.features(),
            None,
            "two clauses are not one set of features"
        );
    }
}
