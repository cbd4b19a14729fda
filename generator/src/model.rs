//! The language-neutral API model that sits between the front ends and the emitters.
//!
//! Both front ends (OpenAPI in [`crate::load::openapi`], CSDL later) produce an [`Api`]; the
//! emitters read nothing else. Keeping OData concepts (entity vs complex type, navigation,
//! evolvable enums, bound actions and functions, paged collections) explicit here is what lets
//! one test prove that two documents in different formats describe the same API.
//!
//! Types are keyed by their qualified OData name (`microsoft.graph.workPlanOccurrence`) in a
//! `BTreeMap`, and operations are kept sorted by path and method, so everything downstream
//! iterates in a deterministic order.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One API version of one service, as described by one or more documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// The version segment of the URL: `beta` or `v1.0`.
    pub version: String,
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
    pub path: Path,
    pub target: Path,
}

/// A named type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TypeDef {
    Object(ObjectType),
    Enum(EnumType),
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Object(o) => &o.name,
            TypeDef::Enum(e) => &e.name,
        }
    }
    pub fn description(&self) -> Option<&str> {
        match self {
            TypeDef::Object(o) => o.description.as_deref(),
            TypeDef::Enum(e) => e.description.as_deref(),
        }
    }
}

/// What an object type stands for in OData.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ObjectKind {
    /// An entity type: has a key, can be addressed by URL.
    Entity,
    /// A complex (structured, keyless) type.
    Complex,
    /// The parameters of an action, sent as its JSON body. Not an OData type of its own.
    ActionParameters,
}

/// An entity type, complex type, or action parameter object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectType {
    /// Qualified name: `microsoft.graph.workPlanOccurrence`.
    pub name: String,
    pub kind: ObjectKind,
    /// Qualified name of the base type, if any.
    pub base: Option<String>,
    pub is_abstract: bool,
    /// Open types accept dynamic properties; every Graph model keeps unknown properties anyway,
    /// so this is informational.
    pub is_open: bool,
    pub description: Option<String>,
    /// Properties declared on this type, not inherited ones, in document order.
    pub properties: Vec<Property>,
}

/// A structural or navigation property.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Property {
    /// The name on the wire (`placeId`).
    pub name: String,
    pub ty: TypeRef,
    /// Whether `null` is a legal value (distinct from the property being absent).
    pub nullable: bool,
    pub read_only: bool,
    /// Navigation properties only appear in payloads with `$expand` (or when creating deep).
    pub navigation: bool,
    pub description: Option<String>,
}

/// A reference to a type from a property, parameter, body or response.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TypeRef {
    Primitive(Primitive),
    /// A named type by qualified name.
    Named(String),
    /// A JSON array; `item_nullable` says whether elements may be `null`.
    Collection {
        item: Box<TypeRef>,
        item_nullable: bool,
    },
}

impl TypeRef {
    pub fn named(name: impl Into<String>) -> Self {
        TypeRef::Named(name.into())
    }
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
    String,
    Boolean,
    Byte,
    SByte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Guid,
    Binary,
    Stream,
    Untyped,
}

impl Primitive {
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

    pub fn from_edm_name(name: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.edm_name() == name)
    }
}

/// An enumeration. Graph serializes members by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnumType {
    pub name: String,
    pub description: Option<String>,
    /// Members in declaration order.
    pub members: Vec<EnumMember>,
    /// Flags enums carry several members at once, comma-separated on the wire.
    pub flags: bool,
}

/// The member Graph uses to mark where an evolvable enum ends for clients that did not opt in.
pub const UNKNOWN_FUTURE_VALUE: &str = "unknownFutureValue";

impl EnumType {
    /// Evolvable enums end with `unknownFutureValue`; Graph sends that sentinel in place of any
    /// member declared after it unless the request says `Prefer: include-unknown-enum-members`.
    pub fn is_evolvable(&self) -> bool {
        self.members.iter().any(|m| m.name == UNKNOWN_FUTURE_VALUE)
    }

    /// Members declared after `unknownFutureValue`.
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnumMember {
    pub name: String,
    pub value: Option<i64>,
    pub description: Option<String>,
}

/// The HTTP methods Graph operations use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One HTTP operation on one path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The document's identifier for the operation (OpenAPI `operationId`).
    pub id: String,
    pub method: HttpMethod,
    pub path: Path,
    pub kind: OperationKind,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Link to Microsoft's reference page for the operation.
    pub docs_url: Option<String>,
    /// The OData system query options the operation accepts.
    pub query: Vec<QueryOption>,
    /// Request headers the operation documents.
    pub headers: Vec<HeaderParam>,
    pub body: Option<TypeRef>,
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
    /// A primitive or enum value, which OData wraps as `{"value": ...}`.
    Value(TypeRef),
    /// A page of a collection, possibly continued through `@odata.nextLink`.
    Page(TypeRef),
    /// No content (204, or a success whose body is to be ignored).
    Empty,
    /// The `text/plain` integer of a `/$count` segment.
    Count,
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
    Filter,
    Search,
    Top,
    Skip,
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
}

/// A request header an operation documents.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HeaderParam {
    /// Header name as documented (`If-Match`).
    pub name: String,
    pub required: bool,
    pub description: Option<String>,
}

/// A URL path template: `/users/{user-id}/settings/...`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Path {
    pub segments: Vec<Segment>,
}

/// One `/`-separated piece of a path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Segment {
    /// A fixed name: an entity set, singleton or navigation property.
    Literal(String),
    /// A key addressing one member of a collection: `{user-id}`.
    Key { param: String },
    /// `$count`.
    Count,
    /// A bound action or function, by qualified name, with the function's inline parameters.
    Call {
        name: String,
        params: Vec<CallParam>,
    },
}

/// A function parameter that is written inline in the path: `startDateTime='...'`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CallParam {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: bool,
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

impl Api {
    pub fn object(&self, name: &str) -> Option<&ObjectType> {
        match self.types.get(name) {
            Some(TypeDef::Object(o)) => Some(o),
            _ => None,
        }
    }

    pub fn enumeration(&self, name: &str) -> Option<&EnumType> {
        match self.types.get(name) {
            Some(TypeDef::Enum(e)) => Some(e),
            _ => None,
        }
    }

    /// The chain from the root base type down to `name` (inclusive), following `base`.
    /// Stops at a missing type or a cycle, which the loaders reject before this is used.
    pub fn ancestry(&self, name: &str) -> Vec<&ObjectType> {
        let mut chain = Vec::new();
        let mut next = Some(name);
        while let Some(current) = next {
            let Some(object) = self.object(current) else {
                break;
            };
            if chain.iter().any(|o: &&ObjectType| o.name == object.name) {
                break;
            }
            chain.push(object);
            next = object.base.as_deref();
        }
        chain.reverse();
        chain
    }

    /// Every property of an object type, inherited ones first, in declaration order.
    pub fn all_properties(&self, name: &str) -> Vec<&Property> {
        self.ancestry(name)
            .into_iter()
            .flat_map(|o| o.properties.iter())
            .collect()
    }

    /// Every type deriving from `name`, directly or transitively, sorted by name.
    pub fn derived_types(&self, name: &str) -> Vec<&ObjectType> {
        let mut out: Vec<&ObjectType> = self
            .types
            .values()
            .filter_map(|t| match t {
                TypeDef::Object(o) if o.name != name => Some(o),
                _ => None,
            })
            .filter(|o| self.ancestry(&o.name).iter().any(|a| a.name == name))
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Sorts operations into their canonical order.
    pub fn sort_operations(&mut self) {
        self.operations.sort_by_key(Operation::sort_key);
    }

    /// Registers the parameter object of an action as a type named `<action>.Parameters`,
    /// reusing an identical earlier one (the same action bound on several paths), and naming a
    /// different one `<action>.Parameters2`, `3`, ... Returns the type's name.
    pub fn intern_parameters(&mut self, action: &str, mut object: ObjectType) -> String {
        object.kind = ObjectKind::ActionParameters;
        let base = format!("{action}.Parameters");
        for n in 1.. {
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
                Some(_) => continue,
            }
        }
        unreachable!("the loop above only ends by returning")
    }

    /// Adds another document's model of the same version. Types both documents define must be
    /// identical; an operation may only be defined once.
    pub fn merge(&mut self, other: Api) -> Result<(), String> {
        if !self.version.is_empty() && !other.version.is_empty() && self.version != other.version {
            return Err(format!(
                "cannot merge API versions `{}` and `{}`",
                self.version, other.version
            ));
        }
        if self.version.is_empty() {
            self.version = other.version;
        }
        for (name, def) in other.types {
            match self.types.get(&name) {
                Some(existing) if *existing != def => {
                    return Err(format!(
                        "type `{name}` is defined differently in two documents"
                    ));
                }
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
                    return Err(format!(
                        "operation {} {} is defined in two documents",
                        op.method, op.path
                    ));
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
