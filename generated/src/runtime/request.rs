//! Hand-written runtime (not generated): the one type every generated operation is.
//!
//! A generated operation (`TeamsItemScheduleGet`, ...) is a type alias of [`Request`] with a
//! marker type that says, as types and constants only, what the operation answers, what body
//! it sends and how its answer is read ([`Spec`]). Building the request, parsing the answer,
//! the headers, `Clone` and `Debug` are implemented here once, not once per operation: with
//! thousands of operations (the whole v1.0 API has 6,456), that is most of what the compiler
//! had to check per operation. The query and header builders (`select`, `top`, `if_match`,
//! ...) are written once here too, each for the operations whose marker takes it ([`takes`]);
//! only builders particular to one operation (typed `$select` values, headers of its own)
//! stay in an inherent impl on its alias.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::Error;
use super::operation::{Operation, PagedOperation, Permissions, RequestParts, response};
use super::page::Page;

/// A Graph operation, ready to be sent: its request parts (method, encoded path, query,
/// headers) and its body. Every generated operation is one (through a type alias), so that
/// what all operations share is written and compiled once.
///
/// The query and header builders below (`select`, `top`, `if_match`, ...) exist on the
/// operations that take them: each operation's docs list its own.
#[must_use = "an operation does nothing until it is sent"]
pub struct Request<S: Spec> {
    pub(crate) request: RequestParts,
    pub(crate) body: S::Body,
}

/// What makes an operation itself, stated by a hidden marker type per operation.
///
/// Sealed in practice: the markers are unnameable outside the crate.
#[doc(hidden)]
pub trait Spec {
    /// What a successful answer is read into.
    type Output;
    /// The body sent (`()` for an operation without one).
    type Body: Serialize + Clone + fmt::Debug;
    /// How the answer is read.
    type Parse: Parse<Self::Output>;
    /// Whether the body is sent at all. Said here as well as by [`WithBody`] because a generic
    /// impl cannot ask whether a trait is implemented; the generator writes both together.
    const SENDS_BODY: bool = false;
    /// The permissions Microsoft documents for it.
    const PERMISSIONS: Permissions = Permissions::UNDOCUMENTED;
}

/// Operations that send a body, which can be read and changed before sending.
#[doc(hidden)]
pub trait WithBody: Spec {}

/// Operations that answer one page of a collection.
#[doc(hidden)]
pub trait Paged: Spec<Output = Page<Self::Item>> {
    /// The items of the collection.
    type Item;
}

/// How an answer is read into `T`: implemented by the markers of [`parse`].
#[doc(hidden)]
pub trait Parse<T> {
    fn parse(response: http::Response<Vec<u8>>) -> Result<T, Error>;
}

/// The ways of reading an answer, as types for [`Spec::Parse`].
#[doc(hidden)]
pub mod parse {
    /// A JSON body.
    #[derive(Debug)]
    pub enum Json {}
    /// A JSON body, or nothing (204).
    #[derive(Debug)]
    pub enum OptionalJson {}
    /// A primitive or enum wrapped as `{"value": ...}`.
    #[derive(Debug)]
    pub enum Value {}
    /// A success whose body is not needed.
    #[derive(Debug)]
    pub enum Empty {}
    /// The `text/plain` number of `$count`.
    #[derive(Debug)]
    pub enum Count {}
}

impl<T: DeserializeOwned> Parse<T> for parse::Json {
    fn parse(response: http::Response<Vec<u8>>) -> Result<T, Error> {
        response::json(response)
    }
}

impl<T: DeserializeOwned> Parse<Option<T>> for parse::OptionalJson {
    fn parse(response: http::Response<Vec<u8>>) -> Result<Option<T>, Error> {
        response::optional_json(response)
    }
}

impl<T: DeserializeOwned> Parse<T> for parse::Value {
    fn parse(response: http::Response<Vec<u8>>) -> Result<T, Error> {
        response::value(response)
    }
}

impl Parse<()> for parse::Empty {
    fn parse(response: http::Response<Vec<u8>>) -> Result<(), Error> {
        response::empty(response)
    }
}

impl Parse<i64> for parse::Count {
    fn parse(response: http::Response<Vec<u8>>) -> Result<i64, Error> {
        response::count(response)
    }
}

/// The query options and headers an operation takes, as marker traits its [`Spec`] marker
/// implements. Each gives `Request` one builder method, so an operation has exactly the
/// builders Graph documents for it, and each builder is compiled once, not once per operation.
///
/// A list takes `top`; one entity does not:
///
/// ```
/// let page = msgraph_work::v1_0::teams().by_id("t").schedule().times_off().get().top(5);
/// ```
///
/// ```compile_fail,E0599
/// let one = msgraph_work::v1_0::teams().by_id("t").schedule().get().top(5);
/// ```
#[doc(hidden)]
pub mod takes {
    use super::Spec;

    /// `select`: `$select` with any property names.
    pub trait Select: Spec {}
    /// `expand`: `$expand` with any navigation property names.
    pub trait Expand: Spec {}
    /// `order_by`: `$orderby` with any expressions.
    pub trait OrderBy: Spec {}
    /// `filter`: `$filter`.
    pub trait Filter: Spec {}
    /// `search`: `$search`.
    pub trait Search: Spec {}
    /// `top`: `$top`.
    pub trait Top: Spec {}
    /// `skip`: `$skip`.
    pub trait Skip: Spec {}
    /// `count`: `$count=true`.
    pub trait Count: Spec {}
    /// `if_match`: the `If-Match` header.
    pub trait IfMatch: Spec {}
    /// `prefer`: the `Prefer` header.
    pub trait Prefer: Spec {}
    /// `consistency_level`: the `ConsistencyLevel` header.
    pub trait ConsistencyLevel: Spec {}
}

impl<S: takes::Select> Request<S> {
    /// Asks for only these properties (`$select`).
    pub fn select<I, T>(mut self, items: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.request.query_list("$select", items);
        self
    }
}

impl<S: takes::Expand> Request<S> {
    /// Asks Graph to include these navigation properties (`$expand`).
    pub fn expand<I, T>(mut self, items: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.request.query_list("$expand", items);
        self
    }
}

impl<S: takes::OrderBy> Request<S> {
    /// Sorts by these expressions (`name desc`) (`$orderby`).
    pub fn order_by<I, T>(mut self, items: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.request.query_list("$orderby", items);
        self
    }
}

impl<S: takes::Filter> Request<S> {
    /// Filters the items with an OData expression (`$filter`).
    pub fn filter(mut self, expression: impl Into<String>) -> Self {
        self.request.query("$filter", expression.into());
        self
    }
}

impl<S: takes::Search> Request<S> {
    /// Searches the items (`$search`); Graph expects the phrase in double quotes.
    pub fn search(mut self, expression: impl Into<String>) -> Self {
        self.request.query("$search", expression.into());
        self
    }
}

impl<S: takes::Top> Request<S> {
    /// Asks for at most this many items per page (`$top`).
    pub fn top(mut self, n: u32) -> Self {
        self.request.query("$top", n.to_string());
        self
    }
}

impl<S: takes::Skip> Request<S> {
    /// Skips this many items (`$skip`).
    pub fn skip(mut self, n: u32) -> Self {
        self.request.query("$skip", n.to_string());
        self
    }
}

impl<S: takes::Count> Request<S> {
    /// Asks Graph to include the total number of items (`$count=true`) in `@odata.count`.
    pub fn count(mut self, include: bool) -> Self {
        self.request.query("$count", include.to_string());
        self
    }
}

impl<S: takes::IfMatch> Request<S> {
    /// Only applies the operation if the entity still has this `@odata.etag` (`If-Match`).
    pub fn if_match(mut self, etag: impl Into<String>) -> Self {
        self.request.header("If-Match", etag.into());
        self
    }
}

impl<S: takes::Prefer> Request<S> {
    /// Adds a preference to the `Prefer` header, for example `return=representation`.
    pub fn prefer(mut self, preference: impl Into<String>) -> Self {
        self.request.prefer(preference.into());
        self
    }
}

impl<S: takes::ConsistencyLevel> Request<S> {
    /// Sets `ConsistencyLevel` (Graph wants `eventual` for advanced queries).
    pub fn consistency_level(mut self, level: impl Into<String>) -> Self {
        self.request.header("ConsistencyLevel", level.into());
        self
    }
}

impl<S: Spec> Request<S> {
    /// Sets a request header: any name (`client-request-id`, `MS-APP-ACTS-AS`, ...),
    /// replacing an earlier value. An invalid name or value makes `to_http_request` fail.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.header(name.into(), value.into());
        self
    }

    fn sent_body(&self) -> Option<&S::Body> {
        S::SENDS_BODY.then_some(&self.body)
    }
}

impl<S: WithBody> Request<S> {
    /// The body that will be sent.
    pub fn body(&self) -> &S::Body {
        &self.body
    }

    /// The body that will be sent, to change it before sending.
    pub fn body_mut(&mut self) -> &mut S::Body {
        &mut self.body
    }
}

impl<S: Spec> Operation for Request<S> {
    type Output = S::Output;

    fn to_http_request(&self, root: &str) -> Result<http::Request<Vec<u8>>, Error> {
        self.request.build(root, self.sent_body())
    }

    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<S::Output, Error> {
        S::Parse::parse(response)
    }

    fn permissions(&self) -> Permissions {
        S::PERMISSIONS
    }
}

impl<S: Paged> PagedOperation for Request<S> {
    type Item = S::Item;

    fn next_page_request(&self, next_link: &str) -> Result<http::Request<Vec<u8>>, Error> {
        // The next page is a GET of the link: no body, whatever the first request sent.
        self.request.build_for_url(next_link, None::<&()>)
    }
}

impl<S: Spec> Clone for Request<S> {
    fn clone(&self) -> Self {
        Request {
            request: self.request.clone(),
            body: self.body.clone(),
        }
    }
}

impl<S: Spec> fmt::Debug for Request<S> {
    /// Named after the operation (`TeamsItemScheduleGet { .. }`), as its alias is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct(super::node::marker_name::<S>());
        out.field("request", &self.request);
        if S::SENDS_BODY {
            out.field("body", &self.body);
        }
        out.finish()
    }
}
