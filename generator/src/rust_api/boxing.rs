//! Which fields are boxed. Object types that contain themselves through fields that are not
//! collections would have an infinite size; the fields inside such a cycle are boxed. A field
//! is boxed when its type is in the same strongly connected component of the containment
//! graph as its owner.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, Hierarchy, ObjectType, TypeDef, TypeRef};

/// `(type, wire property)` pairs whose Rust field is boxed.
pub fn boxed_fields<'a>(api: &'a Api, hierarchy: &Hierarchy<'a>) -> BTreeSet<(&'a str, &'a str)> {
    let objects: Vec<&'a ObjectType> = api
        .types
        .values()
        .filter_map(|t| match t {
            TypeDef::Object(o) => Some(o),
            _ => None,
        })
        .collect();
    let index: BTreeMap<&str, usize> = objects
        .iter()
        .enumerate()
        .map(|(i, o)| (o.name.as_str(), i))
        .collect();
    // Edges: owner → the struct a non-collection field embeds inline. A field whose type has
    // derived types holds an `Any*` enum, whose variants are boxed: no edge.
    let target = |name: &str| -> Option<usize> {
        if !hierarchy.descendants(name).is_empty() {
            return None;
        }
        index.get(name).copied()
    };
    let mut edges: Vec<Vec<(usize, &'a str)>> = vec![Vec::new(); objects.len()];
    for (i, o) in objects.iter().enumerate() {
        for p in api.all_properties(&o.name) {
            if let TypeRef::Named(n) = &p.ty {
                if let Some(t) = target(n) {
                    edges[i].push((t, p.name.as_str()));
                }
            }
        }
    }
    let component = strongly_connected(objects.len(), |v| {
        edges[v].iter().map(|(t, _)| *t).collect()
    });
    // A property is boxed in the type that declares it and in every type inheriting it, so
    // that it has one Rust type across a hierarchy (the `Any*` enums' getters rely on it).
    let mut declared = BTreeSet::new();
    for (i, o) in objects.iter().enumerate() {
        for (t, prop) in &edges[i] {
            if component[*t] == component[i] {
                declared.insert((api.declaring(&o.name, prop), *prop));
            }
        }
    }
    let mut boxed = BTreeSet::new();
    for o in &objects {
        for p in api.all_properties(&o.name) {
            if declared.contains(&(api.declaring(&o.name, &p.name), p.name.as_str())) {
                boxed.insert((o.name.as_str(), p.name.as_str()));
            }
        }
    }
    boxed
}

/// Tarjan's algorithm, iterative (the whole Graph API has thousands of types). Returns the
/// component id of each vertex.
fn strongly_connected(n: usize, successors: impl Fn(usize) -> Vec<usize>) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNVISITED; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // Each frame: vertex, its successors, and the position of the next one to visit.
        let mut frames: Vec<(usize, Vec<usize>, usize)> = vec![(root, successors(root), 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(frame) = frames.last_mut() {
            let (v, succ, pos) = (frame.0, &frame.1, frame.2);
            if pos < succ.len() {
                let w = succ[pos];
                frame.2 += 1;
                if index[w] == UNVISITED {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, successors(w), 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                frames.pop();
                if let Some(parent) = frames.last() {
                    let p = parent.0;
                    low[p] = low[p].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component[w] = next_component;
                        if w == v {
                            break;
                        }
                    }
                    next_component += 1;
                }
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn components_group_cycles() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 alone.
        let edges = [vec![1], vec![2], vec![0], vec![3], vec![]];
        let c = strongly_connected(5, |v| edges[v].clone());
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[0], c[3]);
        assert_ne!(c[3], c[4]);
    }
}
