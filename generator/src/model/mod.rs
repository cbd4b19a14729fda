//! The language-neutral API model that sits between the front ends and the emitters.
//!
//! Both front ends (OpenAPI in [`crate::load::openapi`], CSDL in [`crate::load::csdl`]) produce
//! an [`Api`]; slicing, the Rust analysis, the emitters and the change report read nothing else.
//! The Graph facts that more than one later step needs are decided here, by the loaders: the
//! service namespace ([`Api::namespace`]), updates that may answer no content
//! ([`Response::SingleOrEmpty`]), and the action an object of parameters belongs to
//! ([`ObjectKind::ActionParameters`]). Keeping OData concepts (entity vs complex type, navigation,
//! evolvable enums, bound actions and functions, paged collections) explicit here is what lets
//! one test prove that two documents in different formats describe the same API.
//!
//! Types are keyed by their qualified OData name (`microsoft.graph.workPlanOccurrence`) in a
//! `BTreeMap`, and operations are kept sorted by path and method, so everything downstream
//! iterates in a deterministic order.

mod closure;
mod hierarchy;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use closure::{Selection, select};
pub use hierarchy::{Chain, Hierarchy, walk_bases};
pub use validate::{Problem, validate};

/// The namespace of Microsoft Graph's own types and operations. Microsoft's OpenAPI documents
/// carry no namespace of their own: their names are qualified with this one.
pub const GRAPH_NAMESPACE: &str = "microsoft.graph";

/// The alias Microsoft's CSDL gives [`GRAPH_NAMESPACE`]: `graph.user`.
pub const GRAPH_ALIAS: &str = "graph";

/// One API version of one service, as described by one or more documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// The version segment of the URL: `beta` or `v1.0`.
    pub version: String,
    /// The service's own namespace (`microsoft.graph`): Graph documents and accepts bound
    /// actions and functions of this namespace without it, and names are shown without it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Every named type, keyed by qualified name.
    pub types: BTreeMap<String, TypeDef>,
    /// Every operation, sorted by [`Operation::sort_key`].
    pub operations: Vec<Operation>,
    /// Paths that lead to a resource already described at another path (recursive
    /// containment: a mail folder's child folders are mail folders), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A path whose operations and children are those of another path, relative to itself:
/// `/users/{user-id}/mailFolders/{mailFolder-id}/childFolders` is like `/users/{user-id}/mailFolders`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Link {
    /// The path that leads to the resource.
    pub path: Path,
    /// The path that describes it.
    pub target: Path,
}

/// An entry point Graph serves as another path: `/me` for `/users/{user-id}`, for the
/// signed-in user. Navigation from an alias is the target's, with another path prefix.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The path the entry point sends: `/me`.
    pub path: String,
    /// The path it stands for: `/users/{user-id}`.
    pub target: String,
}

impl Alias {
    /// The aliases Graph serves, for documents that come without a configuration.
    pub fn graph() -> Vec<Alias> {
        vec![Alias {
            path: "/me".into(),
            target: "/users/{user-id}".into(),
        }]
    }
}

/// A named type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TypeDef {
    /// An entity type, complex type, or action parameter object.
    Object(ObjectType),
    /// An enumeration.
    Enum(EnumType),
}

impl TypeDef {
    /// The qualified name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Object(o) => &o.name,
            TypeDef::Enum(e) => &e.name,
        }
    }
    /// The description the document gives, if any.
    pub fn description(&self) -> Option<&str> {
        match self {
            TypeDef::Object(o) => o.description.as_deref(),
            TypeDef::Enum(e) => e.description.as_deref(),
        }
    }
}

/// What an object type stands for in OData.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ObjectKind {
    /// An entity type: has a key, can be addressed by URL.
    Entity,
    /// A complex (structured, keyless) type.
    Complex,
    /// The parameters of an action, sent as its JSON body. Not an OData type of its own.
    ActionParameters {
        /// The action's qualified name: `microsoft.graph.setCurrentLocation`.
        action: String,
    },
}

impl ObjectKind {
    /// `entity`, `complex`, `actionparameters`: how the change report names a kind.
    pub fn as_str(&self) -> &'static str {
        match self {
            ObjectKind::Entity => "entity",
            ObjectKind::Complex => "complex",
            ObjectKind::ActionParameters { .. } => "actionparameters",
        }
    }

    /// Whether this is the parameter object of an action.
    pub fn is_action_parameters(&self) -> bool {
        matches!(self, ObjectKind::ActionParameters { .. })
    }
}

/// Reads both the current form and the unit variant `"ActionParameters"` of model records
/// written before the action was recorded (its action is then empty; see
/// [`crate::changes::record`], which restores it).
impl<'de> Deserialize<'de> for ObjectKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        enum Current {
            Entity,
            Complex,
            ActionParameters { action: String },
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Current(Current),
            Legacy(String),
        }
        Ok(match Written::deserialize(deserializer)? {
            Written::Current(Current::Entity) => ObjectKind::Entity,
            Written::Current(Current::Complex) => ObjectKind::Complex,
            Written::Current(Current::ActionParameters { action }) => {
                ObjectKind::ActionParameters { action }
            }
            Written::Legacy(kind) if kind == "ActionParameters" => ObjectKind::ActionParameters {
                action: String::new(),
            },
            Written::Legacy(other) => {
                return Err(serde::de::Error::unknown_variant(
                    &other,
                    &["Entity", "Complex", "ActionParameters"],
                ));
            }
        })
    }
}

/// An entity type, complex type, or action parameter object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectType {
    /// Qualified name: `microsoft.graph.workPlanOccurrence`.
    pub name: String,
    /// Entity, complex type or action parameters.
    pub kind: ObjectKind,
    /// Qualified name of the base type, if any.
    pub base: Option<String>,
    /// Abstract types are only sent and received as one of their derived types.
    pub is_abstract: bool,
    /// Open types accept dynamic properties; every Graph model keeps unknown properties anyway,
    /// so this is informational.
    pub is_open: bool,
    /// The description the document gives, if any.
    pub description: Option<String>,
    /// Properties declared on this type, not inherited ones, in document order.
    pub properties: Vec<Property>,
}

/// A structural or navigation property.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Property {
    /// The name on the wire (`placeId`).
    pub name: String,
    /// The property's type.
    pub ty: TypeRef,
    /// Whether `null` is a legal value (distinct from the property being absent).
    pub nullable: bool,
    /// Computed by the service: sent in answers, not taken in requests.
    pub read_only: bool,
    /// Navigation properties only appear in payloads with `$expand` (or when creating deep).
    pub navigation: bool,
    /// The description the document gives, if any.
    pub description: Option<String>,
}

/// A reference to a type from a property, parameter, body or response.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TypeRef {
    /// An `Edm` primitive.
    Primitive(Primitive),
    /// A named type by qualified name.
    Named(String),
    /// A JSON array; `item_nullable` says whether elements may be `null`.
    Collection {
        /// The type of the elements.
        item: Box<TypeRef>,
        /// Whether elements may be `null`.
        item_nullable: bool,
    },
}

impl TypeRef {
    /// A reference to a named type.
    pub fn named(name: impl Into<String>) -> Self {
        TypeRef::Named(name.into())
    }
    /// A collection whose elements are never `null`.
    pub fn collection(item: TypeRef) -> Self {
        TypeRef::Collection {
            item: Box::new(item),
            item_nullable: false,
        }
    }
    /// The named type at the bottom of this reference, looking through collections.
    pub fn named_type(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Collection { item, .. } => item.named_type(),
            TypeRef::Primitive(_) => None,
        }
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Primitive(p) => write!(f, "{}", p.edm_name()),
            TypeRef::Named(n) => f.write_str(n),
            TypeRef::Collection { item, .. } => write!(f, "Collection({item})"),
        }
    }
}

/// OData's primitive types (`Edm.*`), plus `Untyped` for values of any JSON shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Primitive {
    /// `Edm.String`
    String,
    /// `Edm.Boolean`
    Boolean,
    /// `Edm.Byte`
    Byte,
    /// `Edm.SByte`
    SByte,
    /// `Edm.Int16`
    Int16,
    /// `Edm.Int32`
    Int32,
    /// `Edm.Int64`
    Int64,
    /// `Edm.Single`
    Single,
    /// `Edm.Double`
    Double,
    /// `Edm.Decimal`
    Decimal,
    /// `Edm.DateTimeOffset`
    DateTimeOffset,
    /// `Edm.Date`
    Date,
    /// `Edm.TimeOfDay`
    TimeOfDay,
    /// `Edm.Duration`
    Duration,
    /// `Edm.Guid`
    Guid,
    /// `Edm.Binary`
    Binary,
    /// `Edm.Stream`
    Stream,
    /// `Edm.Untyped`: any JSON value.
    Untyped,
}

impl Primitive {
    /// Every primitive.
    pub const ALL: [Primitive; 18] = [
        Primitive::String,
        Primitive::Boolean,
        Primitive::Byte,
        Primitive::SByte,
        Primitive::Int16,
        Primitive::Int32,
        Primitive::Int64,
        Primitive::Single,
        Primitive::Double,
        Primitive::Decimal,
        Primitive::DateTimeOffset,
        Primitive::Date,
        Primitive::TimeOfDay,
        Primitive::Duration,
        Primitive::Guid,
        Primitive::Binary,
        Primitive::Stream,
        Primitive::Untyped,
    ];

    /// The CSDL spelling: `Edm.DateTimeOffset`.
    pub fn edm_name(self) -> &'static str {
        match self {
            Primitive::String => "Edm.String",
            Primitive::Boolean => "Edm.Boolean",
            Primitive::Byte => "Edm.Byte",
            Primitive::SByte => "Edm.SByte",
            Primitive::Int16 => "Edm.Int16",
            Primitive::Int32 => "Edm.Int32",
            Primitive::Int64 => "Edm.Int64",
            Primitive::Single => "Edm.Single",
            Primitive::Double => "Edm.Double",
            Primitive::Decimal => "Edm.Decimal",
            Primitive::DateTimeOffset => "Edm.DateTimeOffset",
            Primitive::Date => "Edm.Date",
            Primitive::TimeOfDay => "Edm.TimeOfDay",
            Primitive::Duration => "Edm.Duration",
            Primitive::Guid => "Edm.Guid",
            Primitive::Binary => "Edm.Binary",
            Primitive::Stream => "Edm.Stream",
            Primitive::Untyped => "Edm.Untyped",
        }
    }

    /// The primitive a CSDL name spells, if it is one.
    pub fn from_edm_name(name: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.edm_name() == name)
    }
}

/// An enumeration. Graph serializes members by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnumType {
    /// Qualified name: `microsoft.graph.workLocationType`.
    pub name: String,
    /// The description the document gives, if any.
    pub description: Option<String>,
    /// Members in declaration order.
    pub members: Vec<EnumMember>,
    /// Flags enums carry several members at once, comma-separated on the wire.
    pub flags: bool,
}

/// The member Graph uses to mark where an evolvable enum ends for clients that did not opt in.
pub const UNKNOWN_FUTURE_VALUE: &str = "unknownFutureValue";

impl EnumType {
    /// Members declared after `unknownFutureValue`: Graph sends the sentinel in their place
    /// unless the request says `Prefer: include-unknown-enum-members`.
    pub fn members_after_sentinel(&self) -> &[EnumMember] {
        match self
            .members
            .iter()
            .position(|m| m.name == UNKNOWN_FUTURE_VALUE)
        {
            Some(i) => &self.members[i + 1..],
            None => &[],
        }
    }
}

/// A member of an enumeration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnumMember {
    /// The name on the wire.
    pub name: String,
    /// The numeric value CSDL gives it (not used on the wire).
    pub value: Option<i64>,
    /// The description the document gives, if any.
    pub description: Option<String>,
}

/// The HTTP methods Graph operations use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl HttpMethod {
    /// Every method, in the order of [`Ord`].
    pub const ALL: [HttpMethod; 5] = [
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Delete,
    ];

    /// `GET`, `POST`, ...: the one spelling every other one is derived from.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// Whether the method replaces or changes a resource (PUT, PATCH).
    pub fn is_update(self) -> bool {
        matches!(self, HttpMethod::Put | HttpMethod::Patch)
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A method name that is not one of [`HttpMethod`]'s.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown method `{0}`")]
pub struct UnknownMethod(pub String);

impl FromStr for HttpMethod {
    type Err = UnknownMethod;

    /// `GET` (any case) → [`HttpMethod::Get`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HttpMethod::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownMethod(s.to_string()))
    }
}

/// One HTTP operation on one path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The document's identifier for the operation (OpenAPI `operationId`).
    pub id: String,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template.
    pub path: Path,
    /// Resource, action or function.
    pub kind: OperationKind,
    /// A one-line summary, if the document gives one.
    pub summary: Option<String>,
    /// The description the document gives, if any.
    pub description: Option<String>,
    /// Link to Microsoft's reference page for the operation.
    pub docs_url: Option<String>,
    /// The OData system query options the operation accepts.
    pub query: Vec<QueryOption>,
    /// Request headers the operation documents.
    pub headers: Vec<HeaderParam>,
    /// The JSON body of the request, if it takes one.
    pub body: Option<TypeRef>,
    /// What a successful answer carries.
    pub response: Response,
    /// The body of an error answer (OData's `ODataError`), when described.
    pub error: Option<TypeRef>,
    /// What Microsoft documents the operation needs, when it does.
    pub permissions: Option<Permissions>,
}

/// The least-privileged permissions of an operation, as Microsoft's reference pages give them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    /// Scopes for a signed-in user (work or school account).
    pub delegated: Vec<String>,
    /// Scopes (app roles) for an application acting as itself.
    pub application: Vec<String>,
    /// The reference page the scopes come from.
    #[serde(default)]
    pub page: Option<String>,
    /// Where the scopes come from when it is not the page of this version.
    #[serde(default)]
    pub source: Option<String>,
}

impl Operation {
    /// Deterministic order: by path, then by method.
    pub fn sort_key(&self) -> (String, HttpMethod) {
        (self.path.to_string(), self.method)
    }

    /// `GET /users/{user-id}`: how configurations and messages name an operation.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// How an operation came to exist in OData terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OperationKind {
    /// Read, create, update or delete of an entity, singleton or collection.
    Resource,
    /// A bound or unbound action (POST, side effects).
    Action,
    /// A bound or unbound function (GET, no side effects).
    Function,
}

/// What a successful response carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// A single value (usually an entity or complex object).
    Single(TypeRef),
    /// A single value, or no content at all: Graph answers an update (PUT, PATCH) with
    /// `204 No Content` unless the request asks for the representation.
    SingleOrEmpty(TypeRef),
    /// A primitive or enum value, which OData wraps as `{"value": ...}`.
    Value(TypeRef),
    /// A page of a collection, possibly continued through `@odata.nextLink`.
    Page(TypeRef),
    /// No content (204, or a success whose body is to be ignored).
    Empty,
    /// The `text/plain` integer of a `/$count` segment.
    Count,
}

impl Response {
    /// The type the response carries, if it carries one.
    pub fn type_ref(&self) -> Option<&TypeRef> {
        match self {
            Response::Single(t)
            | Response::SingleOrEmpty(t)
            | Response::Value(t)
            | Response::Page(t) => Some(t),
            Response::Empty | Response::Count => None,
        }
    }

    /// The response of an operation of `method` that answers a single `ty`: for an update,
    /// [`Response::SingleOrEmpty`] (Graph answers updates with no content by default).
    pub fn single(method: HttpMethod, ty: TypeRef) -> Response {
        if method.is_update() {
            Response::SingleOrEmpty(ty)
        } else {
            Response::Single(ty)
        }
    }
}

/// An OData system query option.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum QueryOption {
    /// `$select`, with the property names the document lists (empty: any string).
    Select(Vec<String>),
    /// `$expand`, with the navigation property names the document lists.
    Expand(Vec<String>),
    /// `$orderby`, with the sort expressions the document lists.
    OrderBy(Vec<String>),
    /// `$filter`
    Filter,
    /// `$search`
    Search,
    /// `$top`
    Top,
    /// `$skip`
    Skip,
    /// `$count`
    Count,
}

impl QueryOption {
    /// The option's name on the wire: `$select`.
    pub fn wire_name(&self) -> &'static str {
        match self {
            QueryOption::Select(_) => "$select",
            QueryOption::Expand(_) => "$expand",
            QueryOption::OrderBy(_) => "$orderby",
            QueryOption::Filter => "$filter",
            QueryOption::Search => "$search",
            QueryOption::Top => "$top",
            QueryOption::Skip => "$skip",
            QueryOption::Count => "$count",
        }
    }

    /// The option a wire name stands for, with the values a document lists for it (kept only
    /// by the options that take lists).
    pub fn from_wire_name(name: &str, listed: Vec<String>) -> Option<QueryOption> {
        Some(match name {
            "$select" => QueryOption::Select(listed),
            "$expand" => QueryOption::Expand(listed),
            "$orderby" => QueryOption::OrderBy(listed),
            "$filter" => QueryOption::Filter,
            "$search" => QueryOption::Search,
            "$top" => QueryOption::Top,
            "$skip" => QueryOption::Skip,
            "$count" => QueryOption::Count,
            _ => return None,
        })
    }

    /// The values a document lists for `$select`, `$expand` or `$orderby` (`None` for the
    /// options that take no list).
    pub fn listed_values(&self) -> Option<&[String]> {
        match self {
            QueryOption::Select(v) | QueryOption::Expand(v) | QueryOption::OrderBy(v) => Some(v),
            _ => None,
        }
    }
}

/// A request header an operation documents.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HeaderParam {
    /// Header name as documented (`If-Match`).
    pub name: String,
    /// Whether the service requires it.
    pub required: bool,
    /// The description the document gives, if any.
    pub description: Option<String>,
}

/// A URL path template: `/users/{user-id}/settings/...`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Path {
    /// The `/`-separated pieces, in order.
    pub segments: Vec<Segment>,
}

/// One `/`-separated piece of a path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Segment {
    /// A fixed name: an entity set, singleton or navigation property.
    Literal(String),
    /// A key addressing one member of a collection: `{user-id}`.
    Key {
        /// The parameter's name: `user-id`.
        param: String,
    },
    /// `$count`.
    Count,
    /// A bound action or function, by qualified name, with the function's inline parameters.
    Call {
        /// Qualified name: `microsoft.graph.occurrencesView`.
        name: String,
        /// The function's parameters, written inline (none for an action).
        params: Vec<CallParam>,
    },
}

/// A function parameter that is written inline in the path: `startDateTime='...'`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CallParam {
    /// The parameter's name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether `null` may be passed.
    pub nullable: bool,
}

impl Path {
    /// The path of `segments`.
    pub fn new(segments: Vec<Segment>) -> Path {
        Path { segments }
    }

    /// The path as Graph is sent it: bound actions and functions of `namespace` without their
    /// namespace, the way Microsoft documents them (`/users/{user-id}/occurrencesView(...)`).
    pub fn sent(&self, namespace: &str) -> String {
        let written = self.to_string();
        if namespace.is_empty() {
            return written;
        }
        written.replace(&format!("/{namespace}."), "/")
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("/");
        }
        for segment in &self.segments {
            f.write_str("/")?;
            match segment {
                Segment::Literal(s) => f.write_str(s)?,
                Segment::Key { param } => write!(f, "{{{param}}}")?,
                Segment::Count => f.write_str("$count")?,
                Segment::Call { name, params } => {
                    f.write_str(name)?;
                    if !params.is_empty() {
                        f.write_str("(")?;
                        for (i, p) in params.iter().enumerate() {
                            if i > 0 {
                                f.write_str(",")?;
                            }
                            write!(f, "{0}='{{{0}}}'", p.name)?;
                        }
                        f.write_str(")")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Why two models of one version cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// The documents describe different versions.
    #[error("cannot merge API versions `{0}` and `{1}`")]
    Versions(String, String),
    /// A type is defined differently by two documents.
    #[error("type `{0}` is defined differently in two documents")]
    Type(String),
    /// An operation is defined by two documents.
    #[error("operation {0} is defined in two documents")]
    Operation(String),
}

impl Api {
    /// An object type by qualified name.
    pub fn object(&self, name: &str) -> Option<&ObjectType> {
        match self.types.get(name) {
            Some(TypeDef::Object(o)) => Some(o),
            _ => None,
        }
    }

    /// An enum type by qualified name.
    pub fn enumeration(&self, name: &str) -> Option<&EnumType> {
        match self.types.get(name) {
            Some(TypeDef::Enum(e)) => Some(e),
            _ => None,
        }
    }

    /// A qualified name without the service's namespace: `workPlanOccurrence`,
    /// `callRecords.session` (names of other namespaces keep theirs).
    pub fn unqualified<'n>(&self, qualified: &'n str) -> &'n str {
        if self.namespace.is_empty() {
            return qualified;
        }
        qualified
            .strip_prefix(self.namespace.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            .unwrap_or(qualified)
    }

    /// The chain from the root base type down to `name` (inclusive), following `base`.
    /// Stops at a missing type or a cycle, which the loaders reject before this is used.
    pub fn ancestry(&self, name: &str) -> Vec<&ObjectType> {
        walk_bases(name, |n| self.object(n).and_then(|o| o.base.as_deref()))
            .names
            .into_iter()
            .rev()
            .filter_map(|n| self.object(n))
            .collect()
    }

    /// Every property of an object type, inherited ones first, in declaration order.
    pub fn all_properties(&self, name: &str) -> Vec<&Property> {
        self.ancestry(name)
            .into_iter()
            .flat_map(|o| o.properties.iter())
            .collect()
    }

    /// The type among `name` and its ancestors that declares `property` (the nearest one);
    /// `name` itself when none does.
    pub fn declaring<'s>(&'s self, name: &'s str, property: &str) -> &'s str {
        self.ancestry(name)
            .into_iter()
            .rev()
            .find(|o| o.properties.iter().any(|p| p.name == property))
            .map_or(name, |o| o.name.as_str())
    }

    /// Sorts operations into their canonical order.
    pub fn sort_operations(&mut self) {
        self.operations.sort_by_key(Operation::sort_key);
    }

    /// Registers the parameter object of an action as a type named `<action>.Parameters`,
    /// reusing an identical earlier one (the same action bound on several paths), and naming a
    /// different one `<action>.Parameters2`, `3`, ... Returns the type's name.
    pub fn intern_parameters(&mut self, action: &str, mut object: ObjectType) -> String {
        object.kind = ObjectKind::ActionParameters {
            action: action.to_string(),
        };
        let base = format!("{action}.Parameters");
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                base.clone()
            } else {
                format!("{base}{n}")
            };
            object.name = candidate.clone();
            match self.types.get(&candidate) {
                None => {
                    self.types
                        .insert(candidate.clone(), TypeDef::Object(object));
                    return candidate;
                }
                Some(TypeDef::Object(existing)) if *existing == object => return candidate,
                Some(_) => n += 1,
            }
        }
    }

    /// Adds another document's model of the same version. Types both documents define must be
    /// identical; an operation may only be defined once.
    pub fn merge(&mut self, other: Api) -> Result<(), MergeError> {
        if !self.version.is_empty() && !other.version.is_empty() && self.version != other.version {
            return Err(MergeError::Versions(self.version.clone(), other.version));
        }
        if self.version.is_empty() {
            self.version = other.version;
        }
        if self.namespace.is_empty() {
            self.namespace = other.namespace;
        }
        for (name, def) in other.types {
            match self.types.get(&name) {
                Some(existing) if *existing != def => return Err(MergeError::Type(name)),
                Some(_) => {}
                None => {
                    self.types.insert(name, def);
                }
            }
        }
        if self.operations.is_empty() {
            self.operations = other.operations;
        } else {
            let existing: std::collections::HashSet<(Path, HttpMethod)> = self
                .operations
                .iter()
                .map(|o| (o.path.clone(), o.method))
                .collect();
            for op in other.operations {
                if existing.contains(&(op.path.clone(), op.method)) {
                    return Err(MergeError::Operation(op.key()));
                }
                self.operations.push(op);
            }
        }
        self.links.extend(other.links);
        self.links.sort();
        self.links.dedup();
        self.sort_operations();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_read_back_from_their_names() {
        for m in HttpMethod::ALL {
            assert_eq!(m.as_str().parse::<HttpMethod>(), Ok(m));
            assert_eq!(m.as_str().to_lowercase().parse::<HttpMethod>(), Ok(m));
        }
        assert_eq!(
            "HEAD".parse::<HttpMethod>(),
            Err(UnknownMethod("HEAD".into()))
        );
    }

    #[test]
    fn records_of_action_parameters_read_in_both_forms() {
        let legacy: ObjectKind = serde_json::from_str("\"ActionParameters\"").unwrap();
        assert_eq!(
            legacy,
            ObjectKind::ActionParameters {
                action: String::new()
            }
        );
        let current = ObjectKind::ActionParameters {
            action: "microsoft.graph.x".into(),
        };
        let text = serde_json::to_string(&current).unwrap();
        assert_eq!(serde_json::from_str::<ObjectKind>(&text).unwrap(), current);
        assert_eq!(
            serde_json::from_str::<ObjectKind>("\"Entity\"").unwrap(),
            ObjectKind::Entity
        );
        assert!(serde_json::from_str::<ObjectKind>("\"Thing\"").is_err());
    }

    #[test]
    fn sent_paths_leave_the_service_namespace_out() {
        let path = Path::new(vec![
            Segment::Literal("users".into()),
            Segment::Call {
                name: "microsoft.graph.callRecords.x".into(),
                params: vec![],
            },
        ]);
        assert_eq!(path.sent("microsoft.graph"), "/users/callRecords.x");
        assert_eq!(path.sent(""), "/users/microsoft.graph.callRecords.x");
    }
}
