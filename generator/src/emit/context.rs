//! What every emitter needs to know about the whole API: names, derived types, which fields
//! must be boxed, and how a [`TypeRef`] is spelled in Rust.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, ObjectType, Primitive, TypeDef, TypeRef};
use crate::names::TypeNames;

/// Read-only facts about one API, computed once per emission.
pub struct Context<'a> {
    pub api: &'a Api,
    pub names: TypeNames,
    /// The Rust module of this API version: `beta`, `v1_0`.
    pub module: Ident,
    /// The library's name as users write it in paths (`msgraph_work`), for doc examples.
    pub crate_name: String,
    /// Base type → every type deriving from it, directly or not, sorted.
    derived: BTreeMap<&'a str, Vec<&'a ObjectType>>,
    /// `(type, wire property)` pairs whose Rust field is boxed to break a containment cycle.
    boxed: BTreeSet<(&'a str, &'a str)>,
}

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

impl<'a> Context<'a> {
    pub fn new(api: &'a Api, module: &str, crate_name: &str) -> Context<'a> {
        let names = TypeNames::new(api);
        let derived = derived_index(api);
        let mut context = Context {
            api,
            names,
            module: ident(module),
            crate_name: crate_name.to_string(),
            derived,
            boxed: BTreeSet::new(),
        };
        context.boxed = context.cycle_fields();
        context
    }

    /// Types deriving from `name`, if any.
    pub fn derived(&self, name: &str) -> &[&'a ObjectType] {
        self.derived.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn is_boxed(&self, object: &str, property: &str) -> bool {
        self.boxed.contains(&(object, property))
    }

    /// `crate::beta::models`
    pub fn models_path(&self) -> TokenStream {
        let module = &self.module;
        quote! { crate::#module::models }
    }

    /// The Rust type of a named type as used in a property: its struct, its `Any*` enum when it
    /// has derived types, or its enum (`Flags<_>` for flags enums).
    pub fn named_type(&self, name: &str) -> TokenStream {
        let models = self.models_path();
        match self.api.types.get(name) {
            Some(TypeDef::Enum(e)) => {
                let id = ident(self.names.ident(name));
                if e.flags {
                    quote! { crate::runtime::Flags<#models::#id> }
                } else {
                    quote! { #models::#id }
                }
            }
            _ => match self.names.any(name) {
                Some(any) => {
                    let id = ident(any);
                    quote! { #models::#id }
                }
                None => {
                    let id = ident(self.names.ident(name));
                    quote! { #models::#id }
                }
            },
        }
    }

    /// The Rust type of a value of `ty` (without the surrounding `Option`/`Nullable`).
    pub fn value_type(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Primitive(p) => primitive(*p),
            TypeRef::Named(n) => self.named_type(n),
            TypeRef::Collection {
                item,
                item_nullable,
            } => {
                let item = self.value_type(item);
                if *item_nullable {
                    quote! { ::std::vec::Vec<::core::option::Option<#item>> }
                } else {
                    quote! { ::std::vec::Vec<#item> }
                }
            }
        }
    }

    /// Object types that contain themselves through fields that are not collections would have
    /// an infinite size; the fields inside such a cycle are boxed. A field is boxed when its type
    /// is in the same strongly connected component of the containment graph as its owner.
    fn cycle_fields(&self) -> BTreeSet<(&'a str, &'a str)> {
        let api = self.api;
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
        let targets = |name: &str| -> Vec<usize> {
            if !self.derived(name).is_empty() {
                return Vec::new();
            }
            index.get(name).copied().into_iter().collect()
        };
        let mut edges: Vec<Vec<(usize, &'a str)>> = vec![Vec::new(); objects.len()];
        for (i, o) in objects.iter().enumerate() {
            for p in api.all_properties(&o.name) {
                if let TypeRef::Named(n) = &p.ty {
                    for t in targets(n) {
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
                    declared.insert((self.declaring(&o.name, prop), *prop));
                }
            }
        }
        let mut boxed = BTreeSet::new();
        for o in &objects {
            for p in api.all_properties(&o.name) {
                if declared.contains(&(self.declaring(&o.name, &p.name), p.name.as_str())) {
                    boxed.insert((o.name.as_str(), p.name.as_str()));
                }
            }
        }
        boxed
    }

    /// The type among `object` and its ancestors that declares `property` (the nearest one).
    fn declaring(&self, object: &'a str, property: &str) -> &'a str {
        let mut current = self.api.object(object);
        let mut seen = BTreeSet::new();
        while let Some(o) = current {
            if o.properties.iter().any(|p| p.name == property) || !seen.insert(o.name.as_str()) {
                return o.name.as_str();
            }
            current = o.base.as_deref().and_then(|b| self.api.object(b));
        }
        object
    }
}

fn derived_index(api: &Api) -> BTreeMap<&str, Vec<&ObjectType>> {
    let mut out: BTreeMap<&str, Vec<&ObjectType>> = BTreeMap::new();
    for def in api.types.values() {
        let TypeDef::Object(o) = def else { continue };
        let mut seen = BTreeSet::new();
        let mut base = o.base.as_deref();
        while let Some(b) = base {
            if !seen.insert(b) {
                break;
            }
            out.entry(b).or_default().push(o);
            base = api.object(b).and_then(|x| x.base.as_deref());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    out
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

/// The Rust type of an `Edm` primitive.
pub fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote! { ::std::string::String },
        Primitive::Boolean => quote! { bool },
        Primitive::Byte => quote! { u8 },
        Primitive::SByte => quote! { i8 },
        Primitive::Int16 => quote! { i16 },
        Primitive::Int32 => quote! { i32 },
        Primitive::Int64 => quote! { i64 },
        Primitive::Single | Primitive::Double => quote! { crate::runtime::edm::Double },
        Primitive::Decimal => quote! { crate::runtime::edm::Decimal },
        Primitive::DateTimeOffset => quote! { crate::runtime::edm::DateTimeOffset },
        Primitive::Date => quote! { crate::runtime::edm::Date },
        Primitive::TimeOfDay => quote! { crate::runtime::edm::TimeOfDay },
        Primitive::Duration => quote! { crate::runtime::edm::Duration },
        Primitive::Guid => quote! { crate::runtime::edm::Guid },
        Primitive::Binary => quote! { crate::runtime::edm::Binary },
        Primitive::Stream | Primitive::Untyped => quote! { ::serde_json::Value },
    }
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
