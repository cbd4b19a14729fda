//! Inheritance: the one walk up a type's base types, and the one index of the types deriving
//! from each type. Both guard against cycles, so that every caller (the loaders before they
//! have rejected a cyclic document, slicing, the Rust analysis, the change report) can use
//! them on any input.

use std::collections::BTreeMap;

use super::{Api, TypeDef};

/// A type and its base types, the type first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain<'a> {
    /// The type, then its base type, then that one's, ...
    pub names: Vec<&'a str>,
    /// Whether the walk stopped because a base type came round again.
    pub cycle: bool,
}

/// Walks from `start` up through `base_of` until a type has no base, or a base repeats.
pub fn walk_bases<'a>(start: &'a str, base_of: impl Fn(&'a str) -> Option<&'a str>) -> Chain<'a> {
    let mut names = vec![start];
    let mut current = start;
    while let Some(base) = base_of(current) {
        if names.contains(&base) {
            return Chain { names, cycle: true };
        }
        names.push(base);
        current = base;
    }
    Chain {
        names,
        cycle: false,
    }
}

/// Which types derive from which, directly or not.
#[derive(Clone, Debug, Default)]
pub struct Hierarchy<'a> {
    /// Base type → every type deriving from it, directly or not, sorted by name.
    descendants: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Hierarchy<'a> {
    /// The hierarchy of an API's object types.
    pub fn new(api: &'a Api) -> Hierarchy<'a> {
        let bases = api.types.values().filter_map(|def| match def {
            TypeDef::Object(o) => Some((o.name.as_str(), o.base.as_deref()?)),
            TypeDef::Enum(_) => None,
        });
        Hierarchy::from_bases(bases)
    }

    /// The hierarchy of `(type, base type)` pairs.
    pub fn from_bases(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Hierarchy<'a> {
        let base_of: BTreeMap<&'a str, &'a str> = pairs.into_iter().collect();
        let mut descendants: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
        for &name in base_of.keys() {
            let chain = walk_bases(name, |n| base_of.get(n).copied());
            for &ancestor in &chain.names[1..] {
                descendants.entry(ancestor).or_default().push(name);
            }
        }
        for list in descendants.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        Hierarchy { descendants }
    }

    /// Every type deriving from `base`, directly or not, sorted by name.
    pub fn descendants(&self, base: &str) -> &[&'a str] {
        self.descendants.get(base).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_stop_at_the_root_or_at_a_cycle() {
        let bases = BTreeMap::from([("c", "b"), ("b", "a"), ("x", "y"), ("y", "x")]);
        let walk = |start| walk_bases(start, |n| bases.get(n).copied());
        assert_eq!(walk("c").names, ["c", "b", "a"]);
        assert!(!walk("c").cycle);
        assert_eq!(walk("x").names, ["x", "y"]);
        assert!(walk("x").cycle);
    }

    #[test]
    fn descendants_are_transitive_sorted_and_cycle_safe() {
        let h = Hierarchy::from_bases([("c", "b"), ("b", "a"), ("d", "a"), ("x", "y"), ("y", "x")]);
        assert_eq!(h.descendants("a"), ["b", "c", "d"]);
        assert_eq!(h.descendants("b"), ["c"]);
        assert!(h.descendants("c").is_empty());
        assert_eq!(h.descendants("x"), ["y"]);
    }
}
