//! Lookups in the index: actions and functions (parsed on first use) and what they are bound
//! to, container members, inheritance, and navigation properties.

use std::rc::Rc;

use roxmltree::Node;

use super::index::{Callable, Csdl, Navigation, binding_key};
use crate::load::LoadError;
use crate::model::*;

impl Csdl<'_, '_> {
    /// What an `Action` or `Function` element is bound to, reading only its first parameter.
    pub(super) fn binding_of(&self, node: Node) -> Result<Option<(String, bool)>, LoadError> {
        if node.attribute("IsBound") != Some("true") {
            return Ok(None);
        }
        let Some(first) = node.children().find(|n| n.tag_name().name() == "Parameter") else {
            return Ok(None);
        };
        Ok(binding_key(
            &self.type_ref(first, self.attr(first, "Type")?)?,
        ))
    }

    /// The `i`th action or function of the document, parsed on first use.
    pub(super) fn callable_at(&self, i: usize) -> Result<&Callable, LoadError> {
        if let Some(c) = self.callables[i].get() {
            return Ok(c);
        }
        let (node, namespace) = &self.callable_nodes[i];
        let parsed = self.callable(*node, namespace)?;
        Ok(self.callables[i].get_or_init(|| parsed))
    }

    pub(super) fn callable(&self, node: Node, namespace: &str) -> Result<Callable, LoadError> {
        let name = format!("{namespace}.{}", self.attr(node, "Name")?);
        let kind = if node.tag_name().name() == "Action" {
            OperationKind::Action
        } else {
            OperationKind::Function
        };
        let bound = node.attribute("IsBound") == Some("true");
        let mut params = Vec::new();
        let mut binding = None;
        for (i, p) in node
            .children()
            .filter(|n| n.tag_name().name() == "Parameter")
            .enumerate()
        {
            let ty = self.type_ref(p, self.attr(p, "Type")?)?;
            if bound && i == 0 {
                binding = Some(ty);
                continue;
            }
            params.push(CallParam {
                name: self.attr(p, "Name")?.to_string(),
                ty,
                nullable: p.attribute("Nullable") != Some("false"),
            });
        }
        if bound && binding.is_none() {
            return Err(self.error(node, format!("bound `{name}` has no binding parameter")));
        }
        let returns = match node
            .children()
            .find(|n| n.tag_name().name() == "ReturnType")
        {
            Some(r) => Some(self.type_ref(r, self.attr(r, "Type")?)?),
            None => None,
        };
        Ok(Callable {
            name,
            kind,
            binding,
            params,
            returns,
            position: node.range().start,
        })
    }

    /// The type an entity set or singleton holds.
    pub(super) fn member_type(&self, name: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.entity_type.as_str())
    }

    /// A navigation property of a type (or of a base type): the type that declares it, its
    /// target, and whether it is a collection.
    pub(super) fn navigation_of(
        &self,
        ty: &str,
        name: &str,
    ) -> Result<Option<(String, String, bool)>, LoadError> {
        Ok(self
            .all_navigation(ty)?
            .into_iter()
            .find(|(_, n)| n.name == name)
            .map(|(declaring, n)| (declaring, n.target, n.collection)))
    }

    /// The action or function a call segment on a path of type `ty` invokes: the one bound
    /// closest to `ty`.
    pub(super) fn resolve_call(
        &self,
        name: &str,
        ty: &str,
        collection: bool,
    ) -> Result<Option<&Callable>, LoadError> {
        Ok(self
            .bound_to(ty, collection)?
            .into_iter()
            .find(|c| c.name == name))
    }

    /// The actions and functions bound to `ty` (or to a collection of it) or to one of its base
    /// types: those bound closest first, then in document order.
    pub(super) fn bound_to(&self, ty: &str, collection: bool) -> Result<Vec<&Callable>, LoadError> {
        let mut out = Vec::new();
        for t in self.ancestry(ty).into_iter().rev() {
            for &i in self
                .bound
                .get(&(t.to_string(), collection))
                .into_iter()
                .flatten()
            {
                out.push(self.callable_at(i)?);
            }
        }
        Ok(out)
    }

    /// Whether a type of the document is an entity or complex type.
    pub(super) fn is_object(&self, name: &str) -> bool {
        self.type_nodes
            .get(name)
            .is_some_and(|n| n.tag_name().name() != "EnumType")
    }

    /// The chain from the root base type down to `name` (inclusive), as [`Api::ancestry`]
    /// gives it, read from the document's `BaseType` attributes. Stops at a type the document
    /// does not define or that is an enum, or at a cycle (which the checks reject).
    pub(super) fn ancestry<'s>(&'s self, name: &str) -> Vec<&'s str> {
        let Some((start, _)) = self.type_nodes.get_key_value(name) else {
            return Vec::new();
        };
        let object = |n: &str| {
            self.type_nodes
                .get_key_value(n)
                .filter(|(_, node)| node.tag_name().name() != "EnumType")
                .map(|(key, _)| key.as_str())
        };
        let mut chain: Vec<&str> =
            walk_bases(start.as_str(), |n| object(self.bases.get(n)?.as_str())).names;
        if object(start).is_none() {
            chain.clear();
        }
        chain.reverse();
        chain
    }

    /// The navigation properties a type declares, read on first use.
    pub(super) fn declared_navigation(&self, ty: &str) -> Result<Rc<Vec<Navigation>>, LoadError> {
        if let Some(found) = self.navigation.borrow().get(ty) {
            return Ok(found.clone());
        }
        let mut navigation = Vec::new();
        if let Some(node) = self.type_nodes.get(ty) {
            for child in node
                .children()
                .filter(|n| n.tag_name().name() == "NavigationProperty")
            {
                let (target, collection) = match self.type_ref(child, self.attr(child, "Type")?)? {
                    TypeRef::Named(n) => (n, false),
                    TypeRef::Collection { item, .. } => match *item {
                        TypeRef::Named(n) => (n, true),
                        _ => {
                            return Err(self
                                .error(child, "a navigation property must target an entity type"));
                        }
                    },
                    TypeRef::Primitive(_) => {
                        return Err(
                            self.error(child, "a navigation property must target an entity type")
                        );
                    }
                };
                navigation.push(Navigation {
                    name: self.attr(child, "Name")?.to_string(),
                    target,
                    collection,
                    contained: child.attribute("ContainsTarget") == Some("true"),
                });
            }
        }
        let navigation = Rc::new(navigation);
        self.navigation
            .borrow_mut()
            .insert(ty.to_string(), navigation.clone());
        Ok(navigation)
    }

    /// The navigation properties of a type, inherited ones first.
    pub(super) fn all_navigation(
        &self,
        name: &str,
    ) -> Result<Vec<(String, Navigation)>, LoadError> {
        let mut out = Vec::new();
        for ty in self.ancestry(name) {
            for n in self.declared_navigation(ty)?.iter() {
                out.push((ty.to_string(), n.clone()));
            }
        }
        Ok(out)
    }
}
