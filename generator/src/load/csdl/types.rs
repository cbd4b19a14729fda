//! Types: every type of the document, or the ones a filtered load's operations reach, built
//! from their elements; and OData's error types, which CSDL does not describe.

use std::collections::BTreeSet;

use roxmltree::Node;

use super::annotations::Value;
use super::index::Csdl;
use crate::load::LoadError;
use crate::model::*;

impl Csdl<'_, '_> {
    /// Every type of the document, checked.
    pub(super) fn types(&self) -> Result<Api, LoadError> {
        let mut api = Api::default();
        // In name order, so that the first error reported is always the same one.
        let mut names: Vec<&String> = self.type_nodes.keys().collect();
        names.sort();
        for name in names {
            let def = self.build_type(name, self.type_nodes[name])?;
            api.types.insert(name.clone(), def);
        }
        self.check(&api, true)?;
        add_odata_errors(&mut api);
        Ok(api)
    }

    /// Adds to `api` the types its operations reach, as [`select`] follows them (with the
    /// derived types of those in a position), built from their elements: a filtered load builds
    /// these and no other.
    pub(super) fn reached_types(&self, api: &mut Api) -> Result<(), LoadError> {
        let hierarchy =
            Hierarchy::from_bases(self.bases.iter().map(|(t, b)| (t.as_str(), b.as_str())));
        loop {
            let selection = select(api, &api.operations);
            let mut missing: BTreeSet<&str> = selection
                .types
                .iter()
                .map(String::as_str)
                .filter(|n| !api.types.contains_key(*n))
                .collect();
            for positioned in &selection.positions {
                for d in hierarchy.descendants(positioned) {
                    if !api.types.contains_key(*d) {
                        missing.insert(d);
                    }
                }
            }
            // A name no schema defines stays missing: `check` reports it where it is used.
            let buildable: Vec<(String, Node)> = missing
                .into_iter()
                .filter_map(|n| self.type_nodes.get_key_value(n))
                .map(|(k, v)| (k.clone(), *v))
                .collect();
            if buildable.is_empty() {
                return Ok(());
            }
            for (name, node) in buildable {
                let def = self.build_type(&name, node)?;
                api.types.insert(name, def);
            }
        }
    }

    /// One type, from its element.
    pub(super) fn build_type(&self, name: &str, node: Node) -> Result<TypeDef, LoadError> {
        Ok(match node.tag_name().name() {
            "EnumType" => TypeDef::Enum(EnumType {
                name: name.to_string(),
                description: self.description(name),
                members: node
                    .children()
                    .filter(|n| n.tag_name().name() == "Member")
                    .map(|m| {
                        let member = m.attribute("Name").unwrap_or_default().to_string();
                        EnumMember {
                            description: self.description(&format!("{name}/{member}")),
                            value: m.attribute("Value").and_then(|v| v.parse().ok()),
                            name: member,
                        }
                    })
                    .collect(),
                flags: node.attribute("IsFlags") == Some("true"),
            }),
            kind => {
                let mut properties = Vec::new();
                // `<Key><PropertyRef Name="id"/></Key>`.
                let keys: Vec<&str> = node
                    .children()
                    .filter(|n| n.tag_name().name() == "Key")
                    .flat_map(|k| k.children())
                    .filter_map(|r| r.attribute("Name"))
                    .collect();
                for p in node
                    .children()
                    .filter(|n| matches!(n.tag_name().name(), "Property" | "NavigationProperty"))
                {
                    let prop = self.attr(p, "Name")?;
                    let target = format!("{name}/{prop}");
                    let navigation = p.tag_name().name() == "NavigationProperty";
                    let mut ty = self.type_ref(p, self.attr(p, "Type")?)?;
                    // `Nullable` on a collection says whether its items may be null; a
                    // collection of related entities never holds nulls.
                    if let (true, TypeRef::Collection { item_nullable, .. }) = (navigation, &mut ty)
                    {
                        *item_nullable = false;
                    }
                    let collection = matches!(ty, TypeRef::Collection { .. });
                    properties.push(Property {
                        name: prop.to_string(),
                        nullable: !collection && p.attribute("Nullable") != Some("false"),
                        read_only: self
                            .annotation(&target, "Computed")
                            .as_ref()
                            .and_then(Value::as_bool)
                            == Some(true),
                        navigation,
                        immutable: self
                            .annotation(&target, "Immutable")
                            .as_ref()
                            .and_then(Value::as_bool)
                            == Some(true),
                        key: keys.contains(&prop),
                        description: self.description(&target),
                        ty,
                    });
                }
                TypeDef::Object(ObjectType {
                    name: name.to_string(),
                    kind: if kind == "EntityType" {
                        ObjectKind::Entity
                    } else {
                        ObjectKind::Complex
                    },
                    base: node.attribute("BaseType").map(|b| self.qualify(b)),
                    is_abstract: node.attribute("Abstract") == Some("true"),
                    is_open: node.attribute("OpenType") == Some("true"),
                    description: self.description(name),
                    properties,
                })
            }
        })
    }
}

/// OData's error body: `{"error": {"code", "message", "target", "details", "innerError"}}`.
pub(super) fn add_odata_errors(api: &mut Api) {
    let string = |name: &str, nullable: bool| Property {
        name: name.into(),
        ty: TypeRef::Primitive(Primitive::String),
        nullable,
        read_only: false,
        navigation: false,
        immutable: false,
        key: false,
        description: None,
    };
    let object = |name: &str, properties: Vec<Property>| {
        TypeDef::Object(ObjectType {
            name: format!("microsoft.graph.ODataErrors.{name}"),
            kind: ObjectKind::Complex,
            base: None,
            is_abstract: false,
            is_open: true,
            description: None,
            properties,
        })
    };
    let reference = |name: &str, ty: TypeRef| Property {
        name: name.into(),
        ty,
        nullable: false,
        read_only: false,
        navigation: false,
        immutable: false,
        key: false,
        description: None,
    };
    let details = TypeRef::collection(TypeRef::named("microsoft.graph.ODataErrors.ErrorDetails"));
    for def in [
        object(
            "ODataError",
            vec![reference(
                "error",
                TypeRef::named("microsoft.graph.ODataErrors.MainError"),
            )],
        ),
        object(
            "MainError",
            vec![
                string("code", false),
                string("message", false),
                string("target", true),
                reference("details", details),
                reference(
                    "innerError",
                    TypeRef::named("microsoft.graph.ODataErrors.InnerError"),
                ),
            ],
        ),
        object(
            "ErrorDetails",
            vec![
                string("code", false),
                string("message", false),
                string("target", true),
            ],
        ),
        object("InnerError", vec![]),
    ] {
        api.types.entry(def.name().to_string()).or_insert(def);
    }
}
