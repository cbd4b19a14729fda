//! What the generator emits for a model, in Rust terms: the names and types code using the
//! crate writes, projected from the [`RustApi`] the emitter prints. The change report compares
//! two of these, so that every reason it gives is about the shape the emitter actually
//! produces (open enums, `#[non_exhaustive]` structs, `Option`/`Nullable` fields, `Any*`
//! enums, builder methods) rather than about OData alone.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    Api, EnumMember, HttpMethod, ObjectKind, Operation, Property, Segment, TypeDef,
};
use crate::rust_api::{Features, Options, RustApi, RustType};

/// One side of a comparison: a model and the navigation properties its slice left out.
pub struct Side<'a> {
    /// How the report names this side (a file name).
    pub label: String,
    /// The model.
    pub api: &'a Api,
    /// `(declaring type, property)` → property, for navigation properties of kept types that the
    /// slice drops because their target is outside the families: no field is generated for them.
    pub outside: BTreeMap<(String, String), Property>,
    /// Every type of the whole document, when the side is a slice of it: a type new to the
    /// slice may be old to the document.
    pub document_types: BTreeSet<String>,
}

/// The Rust surface of one API version.
pub struct Surface {
    /// The service's namespace, left out of the names the report shows.
    pub namespace: String,
    /// Every type, by qualified name.
    pub types: BTreeMap<String, TypeSurface>,
    /// Every operation, keyed by [`OpKey`].
    pub operations: BTreeMap<OpKey, OpSurface>,
    /// See [`Side::outside`].
    pub outside: BTreeMap<(String, String), Property>,
    /// See [`Side::document_types`].
    pub document_types: BTreeSet<String>,
    /// See [`Api::corrections`].
    pub corrections: BTreeMap<String, String>,
}

/// An operation's identity across versions: its path with keys and call parameters left out
/// (they are compared separately), and its method.
pub type OpKey = (String, HttpMethod);

/// A type's Rust surface.
pub struct TypeSurface {
    /// Qualified OData name.
    pub name: String,
    /// The Rust name in `models`.
    pub ident: String,
    /// The description the document gives, if any.
    pub description: Option<String>,
    /// Struct or enum.
    pub shape: Shape,
    /// The cargo features that compile it, when the crate has features.
    pub features: Option<BTreeSet<String>>,
}

/// What a type becomes.
pub enum Shape {
    /// A struct (entity, complex type, action parameters).
    Struct(StructSurface),
    /// An open enum.
    Enum(EnumSurface),
}

/// A struct's surface.
pub struct StructSurface {
    /// What the type is in OData.
    pub kind: ObjectKind,
    /// Its base type, qualified.
    pub base: Option<String>,
    /// Whether it is abstract.
    pub is_abstract: bool,
    /// The `Any*` enum that stands for this type in fields, when it has derived types.
    pub any: Option<String>,
    /// The types deriving from it: qualified name and Rust name (the `Any*` variant).
    pub derived: Vec<(String, String)>,
    /// Every field, inherited ones first.
    pub fields: Vec<FieldSurface>,
}

/// A field's surface.
pub struct FieldSurface {
    /// The property.
    pub property: Property,
    /// The Rust field name.
    pub ident: String,
    /// The field's Rust type: `Nullable<bool>`.
    pub rust: RustType,
    /// The type that declares the property.
    pub declared_on: String,
}

/// An enum's surface.
pub struct EnumSurface {
    /// Whether it is a flags enum.
    pub flags: bool,
    /// Its members, in order.
    pub members: Vec<MemberSurface>,
}

/// A member's surface.
pub struct MemberSurface {
    /// The member.
    pub member: EnumMember,
    /// The variant's name.
    pub variant: String,
    /// Declared after `unknownFutureValue`.
    pub after_sentinel: bool,
}

/// An operation's surface.
pub struct OpSurface {
    /// The operation.
    pub op: Operation,
    /// How code reaches it: `teams().by_id(id).schedule().times_off().post(body)`.
    pub chain: String,
    /// The name of the operation's struct in `requests`.
    pub struct_name: String,
    /// The body it takes.
    pub body: Option<RustType>,
    /// Its output.
    pub output: RustType,
    /// Its query builders.
    pub query: Vec<QuerySurface>,
    /// Its header builders.
    pub headers: Vec<HeaderSurface>,
    /// Function parameters written in the path.
    pub params: Vec<ParamSurface>,
}

/// A query builder's surface.
pub struct QuerySurface {
    /// `$select`
    pub wire: &'static str,
    /// The builder method.
    pub method: &'static str,
    /// The values the document lists, if any.
    pub values: Vec<String>,
    /// The enum of those values.
    pub enum_name: Option<String>,
}

/// A header builder's surface.
pub struct HeaderSurface {
    /// The header's name.
    pub wire: String,
    /// The builder method.
    pub method: String,
    /// Whether the service requires it.
    pub required: bool,
}

/// A function parameter's surface.
pub struct ParamSurface {
    /// The parameter's name.
    pub wire: String,
    /// The argument's name.
    pub arg: String,
    /// The argument's type.
    pub ty: RustType,
}

impl Surface {
    /// The surface the emitter produces for a model, in the module `module` of a crate whose
    /// features are cut as `features`.
    pub fn new(side: &Side, module: &str, features: &Features) -> Surface {
        let api = side.api;
        let options = Options {
            module: module.to_string(),
            crate_name: "crate".to_string(),
            features: features.clone(),
            ..Options::default()
        };
        let rust = RustApi::new(api, &options);
        let types = api
            .types
            .values()
            .map(|def| (def.name().to_string(), type_surface(&rust, def)))
            .collect();
        let operations = api
            .operations
            .iter()
            .map(|op| ((normalized_path(api, op), op.method), op_surface(&rust, op)))
            .collect();
        Surface {
            namespace: api.namespace.clone(),
            types,
            operations,
            outside: side.outside.clone(),
            document_types: side.document_types.clone(),
            corrections: api.corrections.clone(),
        }
    }
}

/// `qualified` without `namespace` and its dot.
pub fn short_in<'n>(namespace: &str, qualified: &'n str) -> &'n str {
    if namespace.is_empty() {
        return qualified;
    }
    qualified
        .strip_prefix(namespace)
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or(qualified)
}

fn type_surface(rust: &RustApi, def: &TypeDef) -> TypeSurface {
    let (ident, shape) = match def {
        TypeDef::Object(o) => {
            let s = rust.structure(o);
            let shape = Shape::Struct(StructSurface {
                kind: o.kind.clone(),
                base: o.base.clone(),
                is_abstract: o.is_abstract,
                any: s.any.as_ref().map(|a| a.ident.clone()),
                derived: s
                    .any
                    .iter()
                    .flat_map(|a| &a.variants)
                    .map(|(variant, d)| (d.name.clone(), variant.clone()))
                    .collect(),
                fields: s
                    .fields
                    .iter()
                    .map(|f| FieldSurface {
                        property: f.property.clone(),
                        ident: f.ident.clone(),
                        rust: f.slot(),
                        declared_on: f.declared_on.to_string(),
                    })
                    .collect(),
            });
            (s.ident, shape)
        }
        TypeDef::Enum(e) => {
            let e = rust.enumeration(e);
            let shape = Shape::Enum(EnumSurface {
                flags: e.enumeration.flags,
                members: e
                    .members
                    .iter()
                    .map(|m| MemberSurface {
                        member: m.member.clone(),
                        variant: m.variant.clone(),
                        after_sentinel: m.after_sentinel,
                    })
                    .collect(),
            });
            (e.ident, shape)
        }
    };
    TypeSurface {
        name: def.name().to_string(),
        ident,
        description: def.description().map(str::to_string),
        shape,
        features: rust.gates.of_type(def.name()).features().cloned(),
    }
}

fn op_surface<'a>(rust: &RustApi<'a>, op: &'a Operation) -> OpSurface {
    let o = rust.operation(op);
    OpSurface {
        chain: o.chain,
        struct_name: o.struct_name,
        body: o.body,
        output: o.output,
        query: o
            .query
            .iter()
            .map(|q| QuerySurface {
                wire: q.option.wire_name(),
                method: q.method,
                values: q.option.listed_values().unwrap_or_default().to_vec(),
                enum_name: q.values_enum.clone(),
            })
            .collect(),
        headers: o
            .headers
            .iter()
            .map(|h| HeaderSurface {
                wire: h.header.name.clone(),
                method: h.method.clone(),
                required: h.header.required,
            })
            .collect(),
        params: o
            .params
            .iter()
            .map(|p| ParamSurface {
                wire: p.param.name.clone(),
                arg: p.arg.clone(),
                ty: p.ty.clone(),
            })
            .collect(),
        op: op.clone(),
    }
}

/// A path with keys as `{}` and calls by name only: `/users/{}/settings/occurrencesView`.
pub fn normalized_path(api: &Api, op: &Operation) -> String {
    let mut out = String::new();
    for segment in &op.path.segments {
        out.push('/');
        match segment {
            Segment::Literal(l) => out.push_str(l),
            Segment::Key { .. } => out.push_str("{}"),
            Segment::Count => out.push_str("$count"),
            Segment::Call { name, .. } => out.push_str(api.unqualified(name)),
        }
    }
    out
}
