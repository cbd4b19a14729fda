//! Operations: an HTTP method on a path, with what it takes and what it answers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Path, TypeRef};

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
