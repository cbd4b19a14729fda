//! Component schemas → types, and the type of any schema a property, parameter, body or
//! response uses, read the way Microsoft's conversion writes them.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::{Loader, SCHEMA_PREFIX, pointer_token};
use crate::load::LoadError;
use crate::model::*;

/// A schema or a reference to one, borrowed from the document.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

pub(super) fn view<S: Borrow<Schema>>(r: &ReferenceOr<S>) -> SchemaRef<'_> {
    match r {
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaRef::Item(s.borrow()),
    }
}

/// The structural kinds a schema can have, read from either `openapiv3` representation.
pub(super) enum Shape<'a> {
    String {
        format: Option<String>,
        enumeration: Vec<String>,
    },
    Number {
        format: Option<String>,
    },
    Integer {
        format: Option<String>,
    },
    Boolean,
    Array {
        items: Option<SchemaRef<'a>>,
    },
    Object {
        properties: Vec<(&'a str, SchemaRef<'a>)>,
        has_additional: bool,
    },
    AllOf(Vec<SchemaRef<'a>>),
    AnyOf(Vec<SchemaRef<'a>>),
    OneOf(Vec<SchemaRef<'a>>),
    Not,
    Any,
    /// A `type` OpenAPI 3.0 does not have.
    UnknownType(&'a str),
}

/// The formats `openapiv3` knows by name, spelled as documents write them.
trait FormatName {
    fn name(&self) -> &'static str;
}

impl FormatName for StringFormat {
    fn name(&self) -> &'static str {
        match self {
            StringFormat::Date => "date",
            StringFormat::DateTime => "date-time",
            StringFormat::Password => "password",
            StringFormat::Byte => "byte",
            StringFormat::Binary => "binary",
        }
    }
}

impl FormatName for NumberFormat {
    fn name(&self) -> &'static str {
        match self {
            NumberFormat::Float => "float",
            NumberFormat::Double => "double",
        }
    }
}

impl FormatName for IntegerFormat {
    fn name(&self) -> &'static str {
        match self {
            IntegerFormat::Int32 => "int32",
            IntegerFormat::Int64 => "int64",
        }
    }
}

/// A schema's `format`, known to `openapiv3` or not.
fn format_of<T: FormatName>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(t.name().to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub(super) fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Shape::String {
            format: format_of(&s.format),
            enumeration: s.enumeration.iter().flatten().cloned().collect(),
        },
        SchemaKind::Type(Type::Number(n)) => Shape::Number {
            format: format_of(&n.format),
        },
        SchemaKind::Type(Type::Integer(i)) => Shape::Integer {
            format: format_of(&i.format),
        },
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Array(a)) => Shape::Array {
            items: a.items.as_ref().map(view),
        },
        SchemaKind::Type(Type::Object(o)) => Shape::Object {
            properties: o
                .properties
                .iter()
                .map(|(k, v)| (k.as_str(), view(v)))
                .collect(),
            has_additional: !matches!(
                o.additional_properties,
                None | Some(AdditionalProperties::Any(false))
            ),
        },
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of.iter().map(view).collect()),
        SchemaKind::AnyOf { any_of } => Shape::AnyOf(any_of.iter().map(view).collect()),
        SchemaKind::OneOf { one_of } => Shape::OneOf(one_of.iter().map(view).collect()),
        SchemaKind::Not { .. } => Shape::Not,
        SchemaKind::Any(any) => {
            if !any.all_of.is_empty() {
                Shape::AllOf(any.all_of.iter().map(view).collect())
            } else if !any.any_of.is_empty() {
                Shape::AnyOf(any.any_of.iter().map(view).collect())
            } else if !any.one_of.is_empty() {
                Shape::OneOf(any.one_of.iter().map(view).collect())
            } else if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                Shape::Object {
                    properties: any
                        .properties
                        .iter()
                        .map(|(k, v)| (k.as_str(), view(v)))
                        .collect(),
                    has_additional: any.additional_properties.is_some(),
                }
            } else {
                match any.typ.as_deref() {
                    Some("string") => Shape::String {
                        format: any.format.clone(),
                        enumeration: any
                            .enumeration
                            .iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect(),
                    },
                    Some("number") => Shape::Number {
                        format: any.format.clone(),
                    },
                    Some("integer") => Shape::Integer {
                        format: any.format.clone(),
                    },
                    Some("boolean") => Shape::Boolean,
                    Some("array") => Shape::Array {
                        items: any.items.as_ref().map(view),
                    },
                    Some(other) => Shape::UnknownType(other),
                    None => Shape::Any,
                }
            }
        }
    }
}

/// A resolved property or parameter type.
pub(super) struct Typed {
    pub(super) ty: TypeRef,
    pub(super) nullable: bool,
}

impl<'a> Loader<'a> {
    pub(super) fn schemas(&mut self) -> Result<(), LoadError> {
        let Some(components) = &self.doc.components else {
            return Ok(());
        };
        for (name, schema) in &components.schemas {
            let at = format!("{SCHEMA_PREFIX}{}", pointer_token(name));
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            if name == "ReferenceNumeric" {
                continue; // the `NaN`/`INF` strings of numbers, handled by the runtime's number types
            }
            if self.page_item(SchemaRef::Item(schema), &at)?.is_some() {
                continue; // collection responses become `Page<T>`, not types
            }
            match shape(schema) {
                Shape::String { enumeration, .. } if !enumeration.is_empty() => {
                    let e = self.enum_type(name, schema, enumeration);
                    self.api.types.insert(name.clone(), TypeDef::Enum(e));
                }
                Shape::Object { .. } | Shape::AllOf(_) => {
                    let o = self.object_type(name, schema, &at)?;
                    self.api.types.insert(name.clone(), TypeDef::Object(o));
                }
                // Primitive schemas (`ODataCountResponse`, `ReferenceNumeric`) are inlined where used.
                _ => {}
            }
        }
        self.check_inheritance()
    }

    fn enum_type(&self, name: &str, schema: &'a Schema, members: Vec<String>) -> EnumType {
        let flags = schema
            .schema_data
            .extensions
            .get("x-ms-enum-flags")
            .and_then(|v| v.get("isFlags"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let described = member_descriptions(&schema.schema_data);
        EnumType {
            name: name.to_string(),
            description: schema.schema_data.description.clone(),
            members: members
                .into_iter()
                .map(|m| EnumMember {
                    description: described.get(&m).cloned(),
                    name: m,
                    value: None,
                })
                .collect(),
            flags,
        }
    }

    pub(super) fn object_type(
        &mut self,
        name: &str,
        schema: &'a Schema,
        at: &str,
    ) -> Result<ObjectType, LoadError> {
        let mut object = ObjectType {
            name: name.to_string(),
            kind: ObjectKind::Complex,
            base: None,
            is_abstract: false,
            is_open: false,
            description: schema.schema_data.description.clone(),
            properties: Vec::new(),
        };
        let mut parts = vec![(SchemaRef::Item(schema), at.to_string())];
        while let Some((part, part_at)) = parts.pop() {
            match part {
                SchemaRef::Ref(reference) => {
                    let (base, _) = self.resolve_schema_ref(reference, &part_at)?;
                    if let Some(previous) = &object.base {
                        return Err(self.error(
                            &part_at,
                            format!("`{name}` inherits from both `{previous}` and `{base}`; OData types have one base type"),
                        ));
                    }
                    object.base = Some(base);
                }
                SchemaRef::Item(s) => {
                    if object.description.is_none() {
                        object.description = s.schema_data.description.clone();
                    }
                    match shape(s) {
                        Shape::AllOf(items) => {
                            // Push in reverse so that parts are read in document order.
                            for (i, item) in items.into_iter().enumerate().rev() {
                                parts.push((item, format!("{part_at}/allOf/{i}")));
                            }
                        }
                        Shape::Object {
                            properties,
                            has_additional,
                        } => {
                            object.is_open |= has_additional;
                            for (prop_name, prop) in properties {
                                let prop_at =
                                    format!("{part_at}/properties/{}", pointer_token(prop_name));
                                if prop_name == "@odata.type" {
                                    continue; // the runtime writes and reads the type annotation itself
                                }
                                let typed = self.type_of(prop, &prop_at)?;
                                let data = match prop {
                                    SchemaRef::Item(s) => Some(&s.schema_data),
                                    SchemaRef::Ref(_) => None,
                                };
                                object.properties.push(Property {
                                    name: prop_name.to_string(),
                                    ty: typed.ty,
                                    nullable: typed.nullable,
                                    read_only: data.is_some_and(|d| d.read_only),
                                    navigation: data.is_some_and(|d| {
                                        d.extensions
                                            .get("x-ms-navigationProperty")
                                            .and_then(|v| v.as_bool())
                                            == Some(true)
                                    }),
                                    immutable: false,
                                    // Microsoft's conversion leaves keys unmarked; Graph's is
                                    // the `id` of the root entity type.
                                    key: name == "microsoft.graph.entity" && prop_name == "id",
                                    description: data
                                        .and_then(|d| d.description.clone())
                                        .or_else(|| self.ref_descriptions.get(&prop_at).cloned()),
                                });
                            }
                        }
                        Shape::Any => {}
                        _ => {
                            return Err(self.error(
                                &part_at,
                                format!("`{name}`: expected an object schema in its allOf"),
                            ));
                        }
                    }
                }
            }
        }
        let mut seen = BTreeSet::new();
        for p in &object.properties {
            if !seen.insert(p.name.as_str()) {
                return Err(self.error(at, format!("property `{}` is declared twice", p.name)));
            }
        }
        Ok(object)
    }

    /// The type of a property, parameter, body or response schema.
    pub(super) fn type_of(&mut self, schema: SchemaRef<'a>, at: &str) -> Result<Typed, LoadError> {
        match schema {
            SchemaRef::Ref(reference) => {
                let (name, target) = self.resolve_schema_ref(reference, at)?;
                if self.is_named_type(target) {
                    Ok(Typed {
                        ty: TypeRef::Named(name),
                        nullable: false,
                    })
                } else {
                    // A primitive schema in components (e.g. `ODataCountResponse`): inline it.
                    self.type_of(
                        SchemaRef::Item(target),
                        &format!("{SCHEMA_PREFIX}{}", pointer_token(&name)),
                    )
                }
            }
            SchemaRef::Item(s) => {
                let nullable = s.schema_data.nullable;
                let ty = match shape(s) {
                    Shape::String { format, .. } => {
                        TypeRef::Primitive(self.string_format(format.as_deref(), at)?)
                    }
                    Shape::Number { format } => TypeRef::Primitive(self.number_format(
                        format.as_deref(),
                        at,
                        Primitive::Double,
                    )?),
                    Shape::Integer { format } => TypeRef::Primitive(self.number_format(
                        format.as_deref(),
                        at,
                        Primitive::Int64,
                    )?),
                    Shape::Boolean => TypeRef::Primitive(Primitive::Boolean),
                    Shape::Array { items } => {
                        let Some(items) = items else {
                            return Err(self.error(at, "array schema without `items`"));
                        };
                        let item = self.type_of(items, &format!("{at}/items"))?;
                        TypeRef::Collection {
                            item: Box::new(item.ty),
                            item_nullable: item.nullable,
                        }
                    }
                    Shape::AllOf(parts) if parts.len() == 1 => {
                        let inner = self.type_of(parts[0], &format!("{at}/allOf/0"))?;
                        return Ok(Typed {
                            ty: inner.ty,
                            nullable: nullable || inner.nullable,
                        });
                    }
                    Shape::AnyOf(parts) | Shape::OneOf(parts) => {
                        return self.alternatives(&parts, nullable, at);
                    }
                    Shape::Object { properties, .. } if !properties.is_empty() => {
                        self.warn(at, "inline object schema read as untyped JSON; give it a name in components to get a model");
                        TypeRef::Primitive(Primitive::Untyped)
                    }
                    Shape::AllOf(_) => {
                        self.warn(at, "inline allOf read as untyped JSON; give it a name in components to get a model");
                        TypeRef::Primitive(Primitive::Untyped)
                    }
                    Shape::Object { .. } | Shape::Any => TypeRef::Primitive(Primitive::Untyped),
                    Shape::Not => return Err(self.error(at, "`not` schemas are not supported")),
                    Shape::UnknownType(other) => {
                        return Err(self.error(
                            at,
                            format!("unknown type `{other}`: OpenAPI 3.0 types are string, number, integer, boolean, array and object"),
                        ));
                    }
                };
                Ok(Typed { ty, nullable })
            }
        }
    }

    /// `anyOf`/`oneOf`: Graph uses them for nullable references and for numbers that may be
    /// sent as the strings `NaN`, `INF`, `-INF`.
    fn alternatives(
        &mut self,
        parts: &[SchemaRef<'a>],
        outer_nullable: bool,
        at: &str,
    ) -> Result<Typed, LoadError> {
        let mut nullable = outer_nullable;
        let mut named = Vec::new();
        let mut numbers = Vec::new();
        let mut strings = 0;
        for (i, part) in parts.iter().enumerate() {
            let part_at = format!("{at}/{i}");
            match part {
                SchemaRef::Ref(reference) => {
                    let (name, target) = self.resolve_schema_ref(reference, &part_at)?;
                    if name == "ReferenceNumeric" {
                        continue; // the NaN/INF strings, handled by the runtime's number types
                    }
                    if self.is_named_type(target) {
                        named.push(name);
                    } else {
                        let t = self.type_of(*part, &part_at)?;
                        numbers.push(t.ty);
                    }
                }
                SchemaRef::Item(s) => {
                    nullable |= s.schema_data.nullable;
                    match shape(s) {
                        Shape::Object { properties, .. }
                            if properties.is_empty() && s.schema_data.nullable => {}
                        Shape::Number { .. } | Shape::Integer { .. } => {
                            numbers.push(self.type_of(*part, &part_at)?.ty)
                        }
                        Shape::String { format: None, .. } => strings += 1,
                        _ => {
                            let t = self.type_of(*part, &part_at)?;
                            numbers.push(t.ty);
                        }
                    }
                }
            }
        }
        match (named.as_slice(), numbers.as_slice()) {
            ([one], []) if strings == 0 => Ok(Typed {
                ty: TypeRef::Named(one.clone()),
                nullable,
            }),
            ([], [one]) => Ok(Typed {
                ty: one.clone(),
                nullable,
            }),
            ([], []) if strings > 0 => Ok(Typed {
                ty: TypeRef::Primitive(Primitive::String),
                nullable,
            }),
            _ => {
                self.warn(
                    at,
                    "alternatives (anyOf/oneOf) of several types read as untyped JSON",
                );
                Ok(Typed {
                    ty: TypeRef::Primitive(Primitive::Untyped),
                    nullable,
                })
            }
        }
    }

    fn is_named_type(&self, schema: &Schema) -> bool {
        match shape(schema) {
            Shape::String { enumeration, .. } => !enumeration.is_empty(),
            Shape::Object { .. } | Shape::AllOf(_) => true,
            _ => false,
        }
    }

    fn string_format(&self, format: Option<&str>, at: &str) -> Result<Primitive, LoadError> {
        Ok(match format {
            None => Primitive::String,
            Some("date-time") => Primitive::DateTimeOffset,
            Some("date") => Primitive::Date,
            Some("time") => Primitive::TimeOfDay,
            Some("duration") => Primitive::Duration,
            Some("uuid") => Primitive::Guid,
            Some("base64url") | Some("byte") => Primitive::Binary,
            Some("binary") => Primitive::Stream,
            // Formats that constrain a string without changing its type.
            Some("email" | "uri" | "url" | "hostname" | "password" | "regex") => Primitive::String,
            Some(other) => return Err(self.error(at, format!("unknown string format `{other}`"))),
        })
    }

    fn number_format(
        &self,
        format: Option<&str>,
        at: &str,
        default: Primitive,
    ) -> Result<Primitive, LoadError> {
        Ok(match format {
            None => default,
            Some("int8") => Primitive::SByte,
            Some("uint8") => Primitive::Byte,
            Some("int16") => Primitive::Int16,
            Some("int32") => Primitive::Int32,
            Some("int64") => Primitive::Int64,
            Some("float") => Primitive::Single,
            Some("double") => Primitive::Double,
            Some("decimal") => Primitive::Decimal,
            Some(other) => return Err(self.error(at, format!("unknown number format `{other}`"))),
        })
    }

    /// If a schema is an OData collection page (`value` array plus `@odata.nextLink`), the type
    /// of its items.
    pub(super) fn page_item(
        &mut self,
        schema: SchemaRef<'a>,
        at: &str,
    ) -> Result<Option<TypeRef>, LoadError> {
        let schema = match schema {
            SchemaRef::Ref(reference) => self.resolve_schema_ref(reference, at)?.1,
            SchemaRef::Item(s) => s,
        };
        let mut properties: Vec<(&'a str, SchemaRef<'a>)> = Vec::new();
        let mut pending = vec![schema];
        // A cyclic `allOf` (which inheritance checking reports) must not loop here.
        let mut seen: BTreeSet<*const Schema> = BTreeSet::new();
        while let Some(s) = pending.pop() {
            if !seen.insert(s as *const Schema) {
                continue;
            }
            match shape(s) {
                Shape::Object { properties: p, .. } => properties.extend(p),
                Shape::AllOf(parts) => {
                    for part in parts {
                        match part {
                            SchemaRef::Item(s) => pending.push(s),
                            SchemaRef::Ref(reference) => {
                                pending.push(self.resolve_schema_ref(reference, at)?.1)
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let has_next_link = properties
            .iter()
            .any(|(name, _)| *name == "@odata.nextLink");
        let Some((_, value)) = properties.iter().find(|(name, _)| *name == "value") else {
            return Ok(None);
        };
        if !has_next_link {
            return Ok(None);
        }
        let value = self.type_of(*value, &format!("{at}/properties/value"))?;
        match value.ty {
            TypeRef::Collection { item, .. } => Ok(Some(*item)),
            _ => Ok(None),
        }
    }

    // ----- paths -------------------------------------------------------------------------------
}

/// Microsoft's conversion can describe each enum member under `x-ms-enum.values`.
fn member_descriptions(data: &SchemaData) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(values) = data
        .extensions
        .get("x-ms-enum")
        .and_then(|v| v.get("values"))
        .and_then(|v| v.as_array())
    {
        for v in values {
            if let (Some(name), Some(desc)) = (
                v.get("value").and_then(|x| x.as_str()),
                v.get("description").and_then(|x| x.as_str()),
            ) {
                out.insert(name.to_string(), desc.to_string());
            }
        }
    }
    out
}
