//! Annotation values, and the annotations of a target, parsed on first use.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

use roxmltree::Node;

use super::index::Csdl;
use super::{CAPABILITIES, CORE, SHAPE_TERMS};
use crate::load::LoadError;

/// A value of an annotation. Ordered, so that the capability annotations of a path can be part
/// of the key of its shape.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Value {
    /// `Bool="true"`
    Bool(bool),
    /// `String="..."`
    String(String),
    /// `Int="3"`
    Int(i64),
    /// An enum member, like `Org.OData.Capabilities.V1.HttpMethod/PUT`.
    Enum(String),
    /// A path, like `NavigationPropertyPath`.
    Path(String),
    /// `<Record>` of `<PropertyValue>`s, in document order.
    Record(Vec<(String, Value)>),
    /// `<Collection>`
    Collection(Vec<Value>),
    /// Anything else (or nesting deeper than any real annotation).
    Other,
}

impl Value {
    /// A property of a record.
    pub(super) fn get(&self, property: &str) -> Option<&Value> {
        match self {
            Value::Record(props) => props.iter().find(|(k, _)| k == property).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of a `Bool`.
    pub(super) fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The text of a `String`, an enum member or a path.
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::Enum(s) | Value::Path(s) => Some(s),
            _ => None,
        }
    }
}

impl<'a, 'input> Csdl<'a, 'input> {
    /// Records the `Annotation` children of an element; `target` is only made when it has some.
    pub(super) fn note_inline_annotations(
        &mut self,
        node: Node<'a, 'input>,
        target: impl FnOnce() -> String,
    ) -> Result<(), LoadError> {
        let mut annotations = node
            .children()
            .filter(|n| n.tag_name().name() == "Annotation")
            .peekable();
        if annotations.peek().is_none() {
            return Ok(());
        }
        let target = target();
        for annotation in annotations {
            self.note_annotation(annotation, &target)?;
        }
        Ok(())
    }

    pub(super) fn note_annotation(
        &mut self,
        node: Node<'a, 'input>,
        target: &str,
    ) -> Result<(), LoadError> {
        self.attr(node, "Term")?;
        match self.annotation_nodes.get_mut(target) {
            Some(nodes) => nodes.push(node),
            None => {
                self.annotation_nodes
                    .insert(Cow::Owned(target.to_string()), vec![node]);
            }
        }
        Ok(())
    }

    /// The annotations of a target, parsed on first use.
    pub(super) fn terms(&self, target: &str) -> Option<Rc<BTreeMap<String, Value>>> {
        if let Some(terms) = self.annotations.borrow().get(target) {
            return Some(terms.clone());
        }
        let nodes = self.annotation_nodes.get(target)?;
        let mut terms = BTreeMap::new();
        for node in nodes {
            let term = self.qualify(node.attribute("Term").unwrap_or_default());
            let term = term
                .strip_prefix(CAPABILITIES)
                .or_else(|| term.strip_prefix(CORE))
                .map(str::to_string)
                .unwrap_or(term);
            terms.insert(term, self.value(*node));
        }
        let terms = Rc::new(terms);
        self.annotations
            .borrow_mut()
            .insert(target.to_string(), terms.clone());
        Some(terms)
    }

    /// An annotation's value: an attribute (`Bool="true"`) or a child element (`<Record>`).
    pub(super) fn value(&self, node: Node) -> Value {
        self.value_at(node, 0)
    }

    pub(super) fn value_at(&self, node: Node, depth: usize) -> Value {
        for (attribute, make) in [
            (
                "Bool",
                (|v: &str| Value::Bool(v == "true")) as fn(&str) -> Value,
            ),
            ("String", |v: &str| Value::String(v.to_string())),
            ("Int", |v: &str| {
                v.parse().map(Value::Int).unwrap_or(Value::Other)
            }),
            ("EnumMember", |v: &str| Value::Enum(v.to_string())),
            ("Path", |v: &str| Value::Path(v.to_string())),
            ("NavigationPropertyPath", |v: &str| {
                Value::Path(v.to_string())
            }),
            ("PropertyPath", |v: &str| Value::Path(v.to_string())),
        ] {
            if let Some(v) = node.attribute(attribute) {
                return make(v);
            }
        }
        match node.children().find(Node::is_element) {
            Some(child) => self.element_value(child, depth),
            None => Value::Other,
        }
    }

    /// An annotation's element value; nesting deeper than any real annotation (a hostile
    /// document) reads as [`Value::Other`] rather than recursing further.
    pub(super) fn element_value(&self, node: Node, depth: usize) -> Value {
        if depth > 32 {
            return Value::Other;
        }
        let text = || node.text().unwrap_or_default().trim().to_string();
        match node.tag_name().name() {
            "Record" => Value::Record(
                node.children()
                    .filter(|n| n.tag_name().name() == "PropertyValue")
                    .map(|p| {
                        (
                            p.attribute("Property").unwrap_or_default().to_string(),
                            self.value_at(p, depth + 1),
                        )
                    })
                    .collect(),
            ),
            "Collection" => Value::Collection(
                node.children()
                    .filter(Node::is_element)
                    .map(|c| self.element_value(c, depth + 1))
                    .collect(),
            ),
            "Bool" => Value::Bool(text() == "true"),
            "String" => Value::String(text()),
            "Int" => text().parse().map(Value::Int).unwrap_or(Value::Other),
            "EnumMember" => Value::Enum(text()),
            "Path" | "NavigationPropertyPath" | "PropertyPath" => Value::Path(text()),
            _ => Value::Other,
        }
    }

    /// An annotation on a target.
    pub(super) fn annotation(&self, target: &str, term: &str) -> Option<Value> {
        self.terms(target)?.get(term).cloned()
    }

    /// The capability annotations of a path's own target, part of the key of its shape.
    pub(super) fn shape_context(&self, target: &str) -> Vec<(String, Value)> {
        let Some(terms) = self.terms(target) else {
            return Vec::new();
        };
        terms
            .iter()
            .filter(|(t, _)| SHAPE_TERMS.contains(&t.as_str()))
            .map(|(t, v)| (t.clone(), v.clone()))
            .collect()
    }

    pub(super) fn description(&self, target: &str) -> Option<String> {
        self.annotation(target, "Description")
            .or_else(|| self.annotation(target, "LongDescription"))
            .as_ref()
            .and_then(Value::as_str)
            .map(str::to_string)
    }
}
