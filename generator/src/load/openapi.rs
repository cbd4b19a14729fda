//! OpenAPI 3.0 → [`Api`].
//!
//! Reads the shapes Microsoft's OpenAPI conversion of Graph produces (OpenAPI.NET.OData):
//!
//! * component schemas named `microsoft.graph.<type>`; inheritance as
//!   `allOf: [{$ref: base}, {title, type: object, properties}]`;
//! * nullable references as `anyOf: [{$ref: X}, {type: object, nullable: true}]` (a bare `$ref`
//!   is not nullable, as OpenAPI 3.0 says);
//! * `Edm.Double` and friends either as `type: number, format: double` or as
//!   `oneOf: [number, string, $ref ReferenceNumeric]` (for `NaN`/`INF`);
//! * `$count` responses as `text/plain` integers, collection pages as objects with a `value`
//!   array and `@odata.nextLink`;
//! * bound actions and functions as path segments named `microsoft.graph.<name>(...)`, tagged
//!   by `x-ms-docs-operation-type`.
//!
//! Every error carries a JSON pointer into the document. Anything skipped becomes a
//! [`Warning`].

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, MediaType, OpenAPI, Operation as OaOperation, Parameter,
    ParameterSchemaOrContent, ReferenceOr, RequestBody, Response as OaResponse, Schema, SchemaData,
    SchemaKind, StatusCode, Type, VariantOrUnknownOrEmpty,
};

use super::{LoadError, Loaded, Warning};
use crate::model::*;

/// Parses an OpenAPI 3.0 document (YAML or JSON) and builds its model.
pub fn load_str(text: &str, file: &str) -> Result<Loaded, LoadError> {
    let doc = parse(text, file)?;
    let mut loader = Loader {
        file,
        doc: &doc,
        api: Api::default(),
        warnings: Vec::new(),
    };
    loader.api.version = version_from_servers(&doc).unwrap_or_default();
    loader.schemas()?;
    loader.paths()?;
    loader.check_references()?;
    loader.api.sort_operations();
    Ok(Loaded {
        api: loader.api,
        warnings: loader.warnings,
        unbuilt: Vec::new(),
    })
}

/// The one place YAML is parsed. `serde_norway` is the maintained fork of `serde_yaml`.
fn parse(text: &str, file: &str) -> Result<OpenAPI, LoadError> {
    let err = |place: String, message: String| LoadError {
        file: file.to_string(),
        place,
        message,
    };
    if text.trim().is_empty() {
        return Err(err("document".into(), "the document is empty".into()));
    }
    // The YAML parser takes time quadratic in the nesting of flow collections before its own
    // recursion limit stops it: refuse absurd nesting up front.
    if let Some((line, column)) = too_deep_flow(text, MAX_FLOW_DEPTH) {
        return Err(err(
            format!("line {line}, column {column}"),
            format!("collections nested deeper than {MAX_FLOW_DEPTH} levels"),
        ));
    }
    // Look at the version first, so that Swagger 2.0 or OpenAPI 3.1 get a clear message rather
    // than a confusing schema error.
    let value: serde_norway::Value =
        serde_norway::from_str(text).map_err(|e| err(yaml_place(&e), e.to_string()))?;
    let Some(map) = value.as_mapping() else {
        return Err(err(
            "document".into(),
            "expected a mapping (an OpenAPI object) at the top level".into(),
        ));
    };
    if let Some(swagger) = map.get("swagger") {
        return Err(err(
            "#/swagger".into(),
            format!(
                "Swagger {} documents are not supported; convert to OpenAPI 3.0 first",
                scalar(swagger)
            ),
        ));
    }
    match map.get("openapi") {
        None => {
            return Err(err(
                "#/openapi".into(),
                "missing the `openapi` version field".into(),
            ));
        }
        Some(v) => {
            let version = scalar(v);
            if !version.starts_with("3.0") {
                return Err(err(
                    "#/openapi".into(),
                    format!("OpenAPI {version} is not supported; only OpenAPI 3.0.x documents are"),
                ));
            }
        }
    }
    serde_norway::from_value(value).map_err(|e| {
        err(
            "document".into(),
            format!("not a valid OpenAPI 3.0 document: {e}"),
        )
    })
}

fn scalar(v: &serde_norway::Value) -> String {
    match v {
        serde_norway::Value::String(s) => s.clone(),
        serde_norway::Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

fn yaml_place(e: &serde_norway::Error) -> String {
    match e.location() {
        Some(l) => format!("line {}, column {}", l.line(), l.column()),
        None => "document".into(),
    }
}

/// `https://graph.microsoft.com/beta/` → `beta`.
fn version_from_servers(doc: &OpenAPI) -> Option<String> {
    let url = &doc.servers.first()?.url;
    let last = url.trim_end_matches('/').rsplit('/').next()?;
    (last == "beta" || last.starts_with('v')).then(|| last.to_string())
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn unescape_pointer_token(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// A schema or a reference to one, borrowed from the document.
#[derive(Clone, Copy)]
enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

fn view<S: Borrow<Schema>>(r: &ReferenceOr<S>) -> SchemaRef<'_> {
    match r {
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaRef::Item(s.borrow()),
    }
}

/// The structural kinds a schema can have, read from either `openapiv3` representation.
enum Shape<'a> {
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

fn format_of<T: std::fmt::Debug>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(format!("{t:?}").to_ascii_lowercase()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Shape::String {
            format: format_of(&s.format).map(|f| {
                if f == "datetime" {
                    "date-time".into()
                } else {
                    f
                }
            }),
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
struct Typed {
    ty: TypeRef,
    nullable: bool,
}

struct Loader<'a> {
    file: &'a str,
    doc: &'a OpenAPI,
    api: Api,
    warnings: Vec<Warning>,
}

impl<'a> Loader<'a> {
    fn error(&self, place: impl Into<String>, message: impl Into<String>) -> LoadError {
        LoadError {
            file: self.file.to_string(),
            place: place.into(),
            message: message.into(),
        }
    }

    fn warn(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning {
            place: place.into(),
            message: message.into(),
        });
    }

    fn component_schema(&self, name: &str) -> Option<&'a ReferenceOr<Schema>> {
        self.doc.components.as_ref()?.schemas.get(name)
    }

    /// Follows a `$ref` to a component schema, returning its name and schema.
    fn resolve_schema_ref(
        &self,
        reference: &str,
        at: &str,
    ) -> Result<(String, &'a Schema), LoadError> {
        let Some(token) = reference.strip_prefix(SCHEMA_PREFIX) else {
            return Err(self.error(
                at,
                format!(
                    "unsupported reference `{reference}`: only `{SCHEMA_PREFIX}...` is followed"
                ),
            ));
        };
        let name = unescape_pointer_token(token);
        let mut seen = BTreeSet::new();
        let mut current = name.clone();
        loop {
            match self.component_schema(&current) {
                None => {
                    return Err(self.error(
                        at,
                        format!(
                            "dangling reference `{reference}`: no schema `{current}` in components"
                        ),
                    ));
                }
                Some(ReferenceOr::Item(schema)) => return Ok((current, schema)),
                Some(ReferenceOr::Reference { reference: next }) => {
                    if !seen.insert(current.clone()) {
                        return Err(
                            self.error(at, format!("reference cycle through `{reference}`"))
                        );
                    }
                    let Some(token) = next.strip_prefix(SCHEMA_PREFIX) else {
                        return Err(self.error(at, format!("unsupported reference `{next}`")));
                    };
                    current = unescape_pointer_token(token);
                }
            }
        }
    }

    // ----- component schemas -----------------------------------------------------------------

    fn schemas(&mut self) -> Result<(), LoadError> {
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

    fn object_type(
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
                                    description: data.and_then(|d| d.description.clone()),
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

    /// Entity types are the ones rooted at `microsoft.graph.entity` (OpenAPI has no other
    /// marker), and a base type cycle is an error.
    fn check_inheritance(&mut self) -> Result<(), LoadError> {
        let names: Vec<String> = self.api.types.keys().cloned().collect();
        for name in &names {
            let mut seen = BTreeSet::new();
            let mut current = name.clone();
            let mut is_entity = false;
            loop {
                if !seen.insert(current.clone()) {
                    return Err(self.error(
                        format!("{SCHEMA_PREFIX}{}", pointer_token(name)),
                        format!(
                            "inheritance cycle: `{name}` is its own base type through {}",
                            join(&seen)
                        ),
                    ));
                }
                if current.ends_with(".entity") {
                    is_entity = true;
                }
                match self.api.object(&current).and_then(|o| o.base.clone()) {
                    Some(base) => current = base,
                    None => break,
                }
            }
            if let Some(TypeDef::Object(o)) = self.api.types.get_mut(name) {
                if is_entity {
                    o.kind = ObjectKind::Entity;
                }
                if name.ends_with(".entity") {
                    o.is_abstract = true;
                }
            }
        }
        Ok(())
    }

    /// The type of a property, parameter, body or response schema.
    fn type_of(&mut self, schema: SchemaRef<'a>, at: &str) -> Result<Typed, LoadError> {
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
    fn page_item(&mut self, schema: SchemaRef<'a>, at: &str) -> Result<Option<TypeRef>, LoadError> {
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

    fn paths(&mut self) -> Result<(), LoadError> {
        for (template, item) in &self.doc.paths.paths {
            let at = format!("#/paths/{}", pointer_token(template));
            let ReferenceOr::Item(item) = item else {
                return Err(self.error(&at, "path item references are not supported"));
            };
            let methods = [
                (HttpMethod::Get, &item.get, "get"),
                (HttpMethod::Post, &item.post, "post"),
                (HttpMethod::Put, &item.put, "put"),
                (HttpMethod::Patch, &item.patch, "patch"),
                (HttpMethod::Delete, &item.delete, "delete"),
            ];
            for other in [
                ("head", &item.head),
                ("options", &item.options),
                ("trace", &item.trace),
            ] {
                if other.1.is_some() {
                    self.warn(
                        format!("{at}/{}", other.0),
                        "HEAD, OPTIONS and TRACE operations are not generated",
                    );
                }
            }
            for (method, op, key) in methods {
                let Some(op) = op else { continue };
                let op_at = format!("{at}/{key}");
                let mut params: Vec<&'a Parameter> = Vec::new();
                for (i, p) in item
                    .parameters
                    .iter()
                    .chain(op.parameters.iter())
                    .enumerate()
                {
                    params.push(self.parameter(p, &format!("{op_at}/parameters/{i}"))?);
                }
                let operation = self.operation(template, method, op, &params, &op_at)?;
                self.api.operations.push(operation);
            }
        }
        // The operationId names nothing in the generated code (paths do), so a duplicate only
        // matters when it reveals a broken document: two different operations under one name.
        // Microsoft's beta Users module reuses `user_GetPhoto` for the same read at `/photo`
        // and `/photos/{id}`: that is accepted, with a warning.
        let mut ids: BTreeMap<&str, &Operation> = BTreeMap::new();
        let mut same = Vec::new();
        for op in &self.api.operations {
            let Some(previous) = ids.insert(&op.id, op) else {
                continue;
            };
            let place = format!(
                "#/paths/{}/{}",
                pointer_token(&op.path.to_string()),
                op.method.as_str().to_ascii_lowercase()
            );
            if (op.method, &op.body, &op.response)
                != (previous.method, &previous.body, &previous.response)
            {
                return Err(self.error(
                    place,
                    format!(
                        "duplicate operationId `{}` (also used by {} {}, which is a different operation)",
                        op.id, previous.method, previous.path
                    ),
                ));
            }
            same.push((
                place,
                format!(
                    "duplicate operationId `{}` (also used by {} {}): the same operation at two paths; both are generated",
                    op.id, previous.method, previous.path
                ),
            ));
        }
        for (place, message) in same {
            self.warn(place, message);
        }
        Ok(())
    }

    fn parameter(
        &self,
        p: &'a ReferenceOr<Parameter>,
        at: &str,
    ) -> Result<&'a Parameter, LoadError> {
        match p {
            ReferenceOr::Item(p) => Ok(p),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/parameters/")
                    .map(unescape_pointer_token)
                    .ok_or_else(|| {
                        self.error(at, format!("unsupported parameter reference `{reference}`"))
                    })?;
                match self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.parameters.get(&name))
                {
                    Some(ReferenceOr::Item(p)) => Ok(p),
                    Some(ReferenceOr::Reference { .. }) => {
                        Err(self.error(at, format!("nested parameter reference `{reference}`")))
                    }
                    None => Err(self.error(at, format!("dangling reference `{reference}`"))),
                }
            }
        }
    }

    fn operation(
        &mut self,
        template: &str,
        method: HttpMethod,
        op: &'a OaOperation,
        params: &[&'a Parameter],
        at: &str,
    ) -> Result<Operation, LoadError> {
        let kind = match op
            .extensions
            .get("x-ms-docs-operation-type")
            .and_then(|v| v.as_str())
        {
            Some("action") => OperationKind::Action,
            Some("function") => OperationKind::Function,
            _ => OperationKind::Resource,
        };
        let mut aliases = BTreeSet::new();
        let path = self.path(template, kind, params, &mut aliases, at)?;
        let mut query = Vec::new();
        let mut headers = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let p_at = format!("{at}/parameters/{i}");
            match p {
                Parameter::Query { parameter_data, .. } if aliases.contains(&parameter_data.name) => {}
                Parameter::Query { parameter_data, .. } => match query_option(&parameter_data.name, parameter_allowed_values(p)) {
                    Some(option) => query.push(option),
                    None => self.warn(p_at, format!("query parameter `{}` is not an OData system query option; not generated", parameter_data.name)),
                },
                Parameter::Header { parameter_data, .. } => headers.push(HeaderParam {
                    name: parameter_data.name.clone(),
                    required: parameter_data.required,
                    description: parameter_data.description.clone(),
                }),
                Parameter::Cookie { parameter_data, .. } => {
                    self.warn(p_at, format!("cookie parameter `{}` is not generated", parameter_data.name))
                }
                Parameter::Path { .. } => {}
            }
        }
        query.sort();
        query.dedup();
        let body = match &op.request_body {
            None => None,
            Some(body) => self.request_body(body, &path, &format!("{at}/requestBody"))?,
        };
        let response = self.response(op, &format!("{at}/responses"))?;
        let error = self.error_response(op, &format!("{at}/responses"))?;
        let id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {template}"));
        Ok(Operation {
            id,
            method,
            path,
            kind,
            summary: op.summary.clone(),
            description: op.description.clone(),
            docs_url: op.external_docs.as_ref().map(|d| d.url.clone()),
            query,
            headers,
            body,
            response,
            error,
            permissions: None,
        })
    }

    /// The type of an error answer: the `default` response, or a 4XX/5XX one.
    fn error_response(
        &mut self,
        op: &'a OaOperation,
        at: &str,
    ) -> Result<Option<TypeRef>, LoadError> {
        let candidates = op
            .responses
            .default
            .iter()
            .map(|r| (r, "default".to_string()))
            .chain(
                op.responses
                    .responses
                    .iter()
                    .filter_map(|(code, r)| match code {
                        StatusCode::Code(c) if *c >= 400 => Some((r, c.to_string())),
                        StatusCode::Range(r4) if *r4 >= 4 => Some((r, format!("{r4}XX"))),
                        _ => None,
                    }),
            );
        for (response, key) in candidates {
            let at = format!("{at}/{key}");
            let response = self.resolve_response(response, &at)?;
            if let Some((media, content)) = json_content(&response.content) {
                if let Some(schema) = &content.schema {
                    let typed = self.type_of(
                        view(schema),
                        &format!("{at}/content/{}/schema", pointer_token(media)),
                    )?;
                    if typed.ty.named_type().is_some() {
                        return Ok(Some(typed.ty));
                    }
                }
            }
        }
        Ok(None)
    }

    fn resolve_response(
        &self,
        response: &'a ReferenceOr<OaResponse>,
        at: &str,
    ) -> Result<&'a OaResponse, LoadError> {
        match response {
            ReferenceOr::Item(r) => Ok(r),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/responses/")
                    .map(unescape_pointer_token)
                    .ok_or_else(|| {
                        self.error(at, format!("unsupported response reference `{reference}`"))
                    })?;
                match self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.responses.get(&name))
                {
                    Some(ReferenceOr::Item(r)) => Ok(r),
                    _ => Err(self.error(at, format!("dangling reference `{reference}`"))),
                }
            }
        }
    }

    /// Splits a path template into segments and checks it against the declared parameters.
    /// Query parameters that stand for function parameter aliases are added to `aliases`.
    fn path(
        &mut self,
        template: &str,
        kind: OperationKind,
        params: &[&'a Parameter],
        aliases: &mut BTreeSet<String>,
        at: &str,
    ) -> Result<Path, LoadError> {
        let declared: BTreeMap<&str, &Parameter> = params
            .iter()
            .filter_map(|p| match p {
                Parameter::Path { parameter_data, .. } => Some((parameter_data.name.as_str(), *p)),
                _ => None,
            })
            .collect();
        let mut used = BTreeSet::new();
        let Some(rest) = template.strip_prefix('/') else {
            return Err(self.error(at, "path must start with `/`"));
        };
        let mut segments = Vec::new();
        let raw: Vec<&str> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').collect()
        };
        let last = raw.len().saturating_sub(1);
        for (i, raw_segment) in raw.iter().enumerate() {
            if raw_segment.is_empty() {
                return Err(self.error(at, format!("empty segment in path `{template}`")));
            }
            check_braces(raw_segment)
                .map_err(|m| self.error(at, format!("{m} in path `{template}`")))?;
            let segment = if let Some(inner) = raw_segment
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
            {
                used.insert(inner.to_string());
                Segment::Key {
                    param: inner.to_string(),
                }
            } else if *raw_segment == "$count" {
                Segment::Count
            } else if let Some(open) = raw_segment.find('(') {
                let name = &raw_segment[..open];
                let Some(args) = raw_segment[open + 1..].strip_suffix(')') else {
                    return Err(self.error(
                        at,
                        format!("unbalanced parentheses in segment `{raw_segment}`"),
                    ));
                };
                let mut call_params = Vec::new();
                for arg in args.split(',').filter(|a| !a.is_empty()) {
                    let Some((param_name, value)) = arg.split_once('=') else {
                        return Err(self
                            .error(at, format!("function argument `{arg}` is not `name=value`")));
                    };
                    let placeholder = value.trim_matches('\'');
                    // A parameter alias (`userId='@userId'`): OData lets the value come from the
                    // query (`@userId=...`), and Microsoft's documents declare it as a query
                    // parameter. The crate writes the value inline, which means the same.
                    if let Some(alias) = placeholder.strip_prefix('@') {
                        let query = params.iter().find_map(|p| match p {
                            Parameter::Query { parameter_data, .. }
                                if parameter_data.name.trim_start_matches('@') == alias =>
                            {
                                Some(parameter_data)
                            }
                            _ => None,
                        });
                        let Some(data) = query else {
                            return Err(self.error(at, format!("function argument `{arg}` refers to the alias `@{alias}`, which no query parameter declares")));
                        };
                        let typed = match &data.format {
                            ParameterSchemaOrContent::Schema(schema) => self
                                .type_of(view(schema), &format!("{at}/parameters/{}", data.name))?,
                            ParameterSchemaOrContent::Content(_) => Typed {
                                ty: TypeRef::Primitive(Primitive::String),
                                nullable: true,
                            },
                        };
                        aliases.insert(data.name.clone());
                        call_params.push(CallParam {
                            name: param_name.to_string(),
                            ty: typed.ty,
                            nullable: typed.nullable || !data.required,
                        });
                        continue;
                    }
                    let Some(placeholder) = placeholder
                        .strip_prefix('{')
                        .and_then(|s| s.strip_suffix('}'))
                    else {
                        return Err(self.error(
                            at,
                            format!(
                                "function argument `{arg}` has no `{{parameter}}` (nor an `@alias`)"
                            ),
                        ));
                    };
                    used.insert(placeholder.to_string());
                    let typed = match declared.get(placeholder) {
                        Some(Parameter::Path {
                            parameter_data:
                                openapiv3::ParameterData {
                                    format: ParameterSchemaOrContent::Schema(schema),
                                    ..
                                },
                            ..
                        }) => {
                            self.type_of(view(schema), &format!("{at}/parameters/{placeholder}"))?
                        }
                        _ => Typed {
                            ty: TypeRef::Primitive(Primitive::String),
                            nullable: false,
                        },
                    };
                    call_params.push(CallParam {
                        name: param_name.to_string(),
                        ty: typed.ty,
                        nullable: typed.nullable,
                    });
                }
                Segment::Call {
                    name: name.to_string(),
                    params: call_params,
                }
            } else if i == last && kind != OperationKind::Resource {
                Segment::Call {
                    name: raw_segment.to_string(),
                    params: Vec::new(),
                }
            } else {
                Segment::Literal(raw_segment.to_string())
            };
            segments.push(segment);
        }
        for name in &used {
            if !declared.contains_key(name.as_str()) {
                return Err(self.error(
                    at,
                    format!("path parameter `{{{name}}}` is used in `{template}` but not declared"),
                ));
            }
        }
        for name in declared.keys() {
            if !used.contains(*name) {
                return Err(self.error(
                    at,
                    format!("path parameter `{name}` is declared but not used in `{template}`"),
                ));
            }
        }
        Ok(Path { segments })
    }

    fn request_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        path: &Path,
        at: &str,
    ) -> Result<Option<TypeRef>, LoadError> {
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/requestBodies/")
                    .map(unescape_pointer_token)
                    .ok_or_else(|| {
                        self.error(
                            at,
                            format!("unsupported request body reference `{reference}`"),
                        )
                    })?;
                match self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.request_bodies.get(&name))
                {
                    Some(ReferenceOr::Item(b)) => b,
                    _ => return Err(self.error(at, format!("dangling reference `{reference}`"))),
                }
            }
        };
        let Some((media, content)) = json_content(&body.content) else {
            if let Some((media, _)) = body.content.first() {
                self.warn(
                    at,
                    format!("request body of type `{media}` is not generated"),
                );
            }
            return Ok(None);
        };
        let at = format!("{at}/content/{}/schema", pointer_token(media));
        let Some(schema) = &content.schema else {
            return Ok(None);
        };
        // Action parameters arrive as an inline object: give them a model of their own.
        if let ReferenceOr::Item(s) = schema {
            if let Shape::Object { properties, .. } = shape(s) {
                if !properties.is_empty() {
                    let action = match path.segments.last() {
                        Some(Segment::Call { name, .. }) => name.clone(),
                        _ => format!("{}.request", path_name(path)),
                    };
                    let name = self.intern_parameters(&action, s, &at)?;
                    return Ok(Some(TypeRef::Named(name)));
                }
            }
        }
        Ok(Some(self.type_of(view(schema), &at)?.ty))
    }

    /// Registers the parameter object of an action (see [`Api::intern_parameters`]).
    fn intern_parameters(
        &mut self,
        action: &str,
        schema: &'a Schema,
        at: &str,
    ) -> Result<String, LoadError> {
        let object = self.object_type(action, schema, at)?;
        Ok(self.api.intern_parameters(action, object))
    }

    fn response(&mut self, op: &'a OaOperation, at: &str) -> Result<Response, LoadError> {
        let success = op.responses.responses.iter().find(|(code, _)| match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        });
        let Some((code, response)) = success else {
            return Err(self.error(at, "no success (2XX) response is described"));
        };
        let code_text = match code {
            StatusCode::Code(c) => c.to_string(),
            StatusCode::Range(r) => format!("{r}XX"),
        };
        let at = format!("{at}/{code_text}");
        let response = self.resolve_response(response, &at)?;
        if let Some(content) = response.content.get("text/plain") {
            if let Some(schema) = &content.schema {
                let typed =
                    self.type_of(view(schema), &format!("{at}/content/text~1plain/schema"))?;
                if matches!(
                    typed.ty,
                    TypeRef::Primitive(Primitive::Int32 | Primitive::Int64)
                ) {
                    return Ok(Response::Count);
                }
            }
        }
        let Some((media, content)) = json_content(&response.content) else {
            if let Some((media, _)) = response.content.first() {
                self.warn(&at, format!("response body of type `{media}` is not parsed; the operation returns nothing"));
            }
            return Ok(Response::Empty);
        };
        let Some(schema) = &content.schema else {
            return Ok(Response::Empty);
        };
        let at = format!("{at}/content/{}/schema", pointer_token(media));
        if let Some(item) = self.page_item(view(schema), &at)? {
            return Ok(Response::Page(item));
        }
        // OData wraps a primitive or enum result as `{"value": ...}`.
        if let ReferenceOr::Item(s) = schema {
            if let Shape::Object { properties, .. } = shape(s) {
                if let [("value", value)] = properties.as_slice() {
                    let typed = self.type_of(*value, &format!("{at}/properties/value"))?;
                    return Ok(Response::Value(typed.ty));
                }
            }
        }
        let typed = self.type_of(view(schema), &at)?;
        Ok(Response::Single(typed.ty))
    }

    /// Every named reference must point at a type of the model.
    fn check_references(&self) -> Result<(), LoadError> {
        for def in self.api.types.values() {
            let TypeDef::Object(o) = def else { continue };
            let at = format!("{SCHEMA_PREFIX}{}", pointer_token(&o.name));
            if let Some(base) = &o.base {
                if self.api.object(base).is_none() {
                    return Err(
                        self.error(&at, format!("base type `{base}` is not an object schema"))
                    );
                }
            }
            for p in &o.properties {
                if let Some(n) = p.ty.named_type() {
                    if !self.api.types.contains_key(n) {
                        return Err(self.error(
                            format!("{at}/properties/{}", pointer_token(&p.name)),
                            format!("unknown type `{n}`"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

fn join(names: &BTreeSet<String>) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_braces(segment: &str) -> Result<(), String> {
    let mut depth = 0i32;
    for c in segment.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if !(0..=1).contains(&depth) {
            return Err(format!("unbalanced braces in segment `{segment}`"));
        }
    }
    if depth != 0 {
        return Err(format!("unbalanced braces in segment `{segment}`"));
    }
    Ok(())
}

/// A name for a path, for synthesized types that have nothing better.
fn path_name(path: &Path) -> String {
    path.segments
        .iter()
        .filter_map(|s| match s {
            Segment::Literal(l) => Some(l.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn json_content(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content.iter().find(|(media, _)| {
        let media = media.split(';').next().unwrap_or("").trim();
        media == "application/json" || media.ends_with("+json")
    })
}

fn query_option(name: &str, allowed: Vec<String>) -> Option<QueryOption> {
    Some(match name {
        "$select" => QueryOption::Select(allowed),
        "$expand" => QueryOption::Expand(allowed),
        "$orderby" => QueryOption::OrderBy(allowed),
        "$filter" => QueryOption::Filter,
        "$search" => QueryOption::Search,
        "$top" => QueryOption::Top,
        "$skip" => QueryOption::Skip,
        "$count" => QueryOption::Count,
        _ => return None,
    })
}

/// The values a `$select`/`$expand`/`$orderby` parameter lists in `items.enum`, if any.
fn parameter_allowed_values(p: &Parameter) -> Vec<String> {
    let data = p.parameter_data_ref();
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format else {
        return Vec::new();
    };
    let Shape::Array {
        items: Some(SchemaRef::Item(items)),
    } = shape(schema)
    else {
        return Vec::new();
    };
    match shape(items) {
        Shape::String { enumeration, .. } => enumeration,
        _ => Vec::new(),
    }
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

/// Deeper flow collections (`[`, `{`) than any real document has.
const MAX_FLOW_DEPTH: usize = 128;

/// Where flow collections first nest deeper than `max`, ignoring quoted text and comments (an
/// approximation of YAML's grammar that errs on the side of letting the parser decide).
fn too_deep_flow(text: &str, max: usize) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    for c in text.chars() {
        column += 1;
        match (quote, c) {
            (_, '\n') => {
                line += 1;
                column = 0;
                comment = false;
            }
            _ if comment => {}
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => comment = true,
            (None, '[' | '{') => {
                depth += 1;
                if depth > max {
                    return Some((line, column));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    None
}
