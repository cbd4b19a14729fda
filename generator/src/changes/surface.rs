//! What the generator emits for a model, in Rust terms: the names and types code using the
//! crate writes. The change report compares two of these, so that every reason it gives is
//! about the shape the emitter actually produces (open enums, `#[non_exhaustive]` structs,
//! `Option`/`Nullable` fields, `Any*` enums, builder methods) rather than about OData alone.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;

use crate::emit::Context;
use crate::emit::models::slot_type;
use crate::emit::requests::{self, Tree};
use crate::model::{
    Api, EnumMember, HttpMethod, ObjectKind, Operation, Property, QueryOption, Segment, TypeDef,
    UNKNOWN_FUTURE_VALUE,
};
use crate::names;

/// One side of a comparison: a model and the navigation properties its slice left out.
pub struct Side<'a> {
    /// How the report names this side (a file name).
    pub label: String,
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
    pub types: BTreeMap<String, TypeSurface>,
    /// Keyed by [`OpKey`].
    pub operations: BTreeMap<OpKey, OpSurface>,
    pub outside: BTreeMap<(String, String), Property>,
    pub document_types: BTreeSet<String>,
}

/// An operation's identity across versions: its path with keys and call parameters left out
/// (they are compared separately), and its method.
pub type OpKey = (String, HttpMethod);

pub struct TypeSurface {
    /// Qualified OData name.
    pub name: String,
    /// The Rust name in `models`.
    pub ident: String,
    pub description: Option<String>,
    pub shape: Shape,
}

pub enum Shape {
    Struct(StructSurface),
    Enum(EnumSurface),
}

pub struct StructSurface {
    pub kind: ObjectKind,
    pub base: Option<String>,
    pub is_abstract: bool,
    /// The `Any*` enum that stands for this type in fields, when it has derived types.
    pub any: Option<String>,
    /// Qualified names of the types deriving from it.
    pub derived: Vec<String>,
    /// Every field, inherited ones first.
    pub fields: Vec<FieldSurface>,
}

pub struct FieldSurface {
    pub property: Property,
    /// The Rust field name.
    pub ident: String,
    /// The field's Rust type: `Nullable<bool>`.
    pub rust: String,
    /// The type that declares the property.
    pub declared_on: String,
}

pub struct EnumSurface {
    pub flags: bool,
    pub members: Vec<MemberSurface>,
}

pub struct MemberSurface {
    pub member: EnumMember,
    pub variant: String,
    /// Declared after `unknownFutureValue`.
    pub after_sentinel: bool,
}

pub struct OpSurface {
    pub op: Operation,
    /// How code reaches it: `teams().by_id(id).schedule().times_off().post(body)`.
    pub chain: String,
    /// The name of the operation's struct in `requests`.
    pub struct_name: String,
    pub body: Option<String>,
    pub output: String,
    pub query: Vec<QuerySurface>,
    /// (wire name, builder method, required)
    pub headers: Vec<(String, String, bool)>,
    /// Function parameters written in the path: (wire name, argument name, Rust type).
    pub params: Vec<(String, String, String)>,
}

pub struct QuerySurface {
    /// `$select`
    pub wire: &'static str,
    pub method: &'static str,
    /// The values the document lists, if any.
    pub values: Vec<String>,
    /// The enum of those values.
    pub enum_name: Option<String>,
}

impl Surface {
    /// Computes the surface the emitter produces for a model, in the module `module`.
    pub fn new(side: &Side, module: &str) -> Surface {
        let api = side.api;
        let cx = Context::new(api, module, "crate");
        let tree = Tree::new(&cx);
        let mut types = BTreeMap::new();
        for def in api.types.values() {
            let shape = match def {
                TypeDef::Object(o) => {
                    let derived: Vec<String> =
                        cx.derived(&o.name).iter().map(|d| d.name.clone()).collect();
                    let any = if derived.is_empty() {
                        None
                    } else {
                        cx.names.any(&o.name).map(str::to_string)
                    };
                    let properties = api.all_properties(&o.name);
                    let idents = names::field_names(properties.iter().map(|p| p.name.as_str()));
                    let fields = properties
                        .iter()
                        .zip(idents)
                        .map(|(p, ident)| {
                            let value = cx.value_type(&p.ty);
                            let value = if cx.is_boxed(&o.name, &p.name) {
                                quote::quote! { ::std::boxed::Box<#value> }
                            } else {
                                value
                            };
                            FieldSurface {
                                property: (*p).clone(),
                                ident,
                                rust: rust_type(slot_type(p, &value), module),
                                declared_on: declaring(api, &o.name, &p.name),
                            }
                        })
                        .collect();
                    Shape::Struct(StructSurface {
                        kind: o.kind,
                        base: o.base.clone(),
                        is_abstract: o.is_abstract,
                        any,
                        derived,
                        fields,
                    })
                }
                TypeDef::Enum(e) => {
                    let variants = names::variant_names(e.members.iter().map(|m| m.name.as_str()));
                    let sentinel = e
                        .members
                        .iter()
                        .position(|m| m.name == UNKNOWN_FUTURE_VALUE);
                    let members = e
                        .members
                        .iter()
                        .zip(variants)
                        .enumerate()
                        .map(|(i, (m, variant))| MemberSurface {
                            member: m.clone(),
                            variant,
                            after_sentinel: sentinel.is_some_and(|s| i > s),
                        })
                        .collect();
                    Shape::Enum(EnumSurface {
                        flags: e.flags,
                        members,
                    })
                }
            };
            let ty = TypeSurface {
                name: def.name().to_string(),
                ident: cx.names.ident(def.name()).to_string(),
                description: def.description().map(str::to_string),
                shape,
            };
            types.insert(def.name().to_string(), ty);
        }
        let mut operations = BTreeMap::new();
        for op in &api.operations {
            let surface = OpSurface {
                chain: tree.chain(op),
                struct_name: tree.operation_name(op).to_string(),
                body: op
                    .body
                    .as_ref()
                    .map(|b| rust_type(cx.value_type(b), module)),
                output: rust_type(requests::output(&cx, op).0, module),
                query: op
                    .query
                    .iter()
                    .map(|q| QuerySurface {
                        wire: q.wire_name(),
                        method: requests::query_method(q),
                        values: match q {
                            QueryOption::Select(v)
                            | QueryOption::Expand(v)
                            | QueryOption::OrderBy(v) => v.clone(),
                            _ => Vec::new(),
                        },
                        enum_name: requests::query_enum(&tree, q).map(str::to_string),
                    })
                    .collect(),
                headers: op
                    .headers
                    .iter()
                    .map(|h| (h.name.clone(), requests::header_method(&h.name), h.required))
                    .collect(),
                params: call_params(op, module),
                op: op.clone(),
            };
            operations.insert((normalized_path(op), op.method), surface);
        }
        Surface {
            types,
            operations,
            outside: side.outside.clone(),
            document_types: side.document_types.clone(),
        }
    }
}

/// The type among `name` and its ancestors that declares `property`.
fn declaring(api: &Api, name: &str, property: &str) -> String {
    api.ancestry(name)
        .into_iter()
        .find(|o| o.properties.iter().any(|p| p.name == property))
        .map(|o| o.name.clone())
        .unwrap_or_else(|| name.to_string())
}

/// The function parameters of every call segment of an operation's path.
fn call_params(op: &Operation, module: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for segment in &op.path.segments {
        let Segment::Call { params, .. } = segment else {
            continue;
        };
        let args = names::argument_names(params.iter().map(|p| p.name.as_str()));
        for (p, arg) in params.iter().zip(args) {
            let (ty, _) = requests::call_param_type(p, &quote::format_ident!("{}", arg));
            out.push((p.name.clone(), arg, rust_type(ty, module)));
        }
    }
    out
}

/// A path with keys as `{}` and calls by name only: `/users/{}/settings/occurrencesView`.
pub fn normalized_path(op: &Operation) -> String {
    let mut out = String::new();
    for segment in &op.path.segments {
        out.push('/');
        match segment {
            Segment::Literal(l) => out.push_str(l),
            Segment::Key { .. } => out.push_str("{}"),
            Segment::Count => out.push_str("$count"),
            Segment::Call { name, .. } => {
                out.push_str(name.strip_prefix("microsoft.graph.").unwrap_or(name))
            }
        }
    }
    out
}

/// A Rust type as a user reads it: `Nullable<Vec<AnyIdentitySet>>`, without the crate paths.
pub fn rust_type(tokens: TokenStream, module: &str) -> String {
    // `TokenStream`'s text spaces every token: `crate :: runtime :: Nullable < bool >`.
    let mut text = tokens.to_string();
    let models = format!("crate :: {module} :: models :: ");
    let requests = format!("crate :: {module} :: requests :: ");
    for prefix in [
        models.as_str(),
        requests.as_str(),
        "crate :: runtime :: ",
        ":: core :: option :: ",
        ":: core :: convert :: ",
        ":: std :: string :: ",
        ":: std :: vec :: ",
        ":: std :: boxed :: ",
    ] {
        text = text.replace(prefix, "");
    }
    for (from, to) in [
        (" :: ", "::"),
        (" < ", "<"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
    ] {
        text = text.replace(from, to);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn rust_types_read_like_code() {
        let t = quote! { crate::runtime::Nullable<::std::vec::Vec<crate::beta::models::AnyIdentitySet>> };
        assert_eq!(rust_type(t, "beta"), "Nullable<Vec<AnyIdentitySet>>");
        let t = quote! { impl ::core::convert::Into<::std::string::String> };
        assert_eq!(rust_type(t, "beta"), "impl Into<String>");
        let t = quote! { ::core::option::Option<crate::runtime::edm::DateTimeOffset> };
        assert_eq!(rust_type(t, "beta"), "Option<edm::DateTimeOffset>");
    }
}
