//! Hand-written runtime (not generated): sans-IO operations.
//!
//! The [`Operation`] trait, the [`RequestParts`] every operation holds (method, encoded path,
//! query, headers), and reading responses. Generated operations are all one type,
//! [`Request`](super::request::Request), which implements `Operation` with these: nothing about
//! building requests or reading responses is repeated per operation.

use std::borrow::Cow;
use std::fmt::Write as _;

use http::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::body::BodyMode;
use super::encode;
use super::error::Error;
use super::page::Page;

/// A Graph operation: a value that knows how to become an HTTP request and how to read the
/// answer, without doing any I/O itself. Send it with the crate's client, or with any HTTP
/// client:
///
/// ```
/// use msgraph_work::Operation;
///
/// let op = msgraph_work::beta::teams().by_id("team-1").schedule().times_off().get().top(10);
/// let request = op.to_http_request("https://graph.microsoft.com").unwrap();
/// assert_eq!(request.method(), http::Method::GET);
/// assert_eq!(request.uri(), "https://graph.microsoft.com/beta/teams/team-1/schedule/timesOff?$top=10");
///
/// let response = http::Response::builder()
///     .status(200)
///     .body(br#"{"value":[{"id":"SHFT_1","userId":"u1"}]}"#.to_vec())
///     .unwrap();
/// let page = op.parse_response(response).unwrap();
/// assert_eq!(page.items()[0].id.as_deref(), Some("SHFT_1"));
/// ```
pub trait Operation {
    /// What a successful response is read into.
    type Output;

    /// The HTTP request, for a service root without the version (`https://graph.microsoft.com`);
    /// the operation adds `/beta` or `/v1.0`.
    fn to_http_request(&self, root: &str) -> Result<http::Request<Vec<u8>>, Error>;

    /// Reads the answer: the typed output for a success, an [`Error`] otherwise.
    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error>;

    /// The permissions Microsoft documents for this operation (least privileged), which a
    /// token provider is asked for.
    fn permissions(&self) -> Permissions {
        Permissions::UNDOCUMENTED
    }
}

impl<O: Operation + ?Sized> Operation for &O {
    type Output = O::Output;
    fn to_http_request(&self, root: &str) -> Result<http::Request<Vec<u8>>, Error> {
        (**self).to_http_request(root)
    }
    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        (**self).parse_response(response)
    }
    fn permissions(&self) -> Permissions {
        (**self).permissions()
    }
}

/// An operation that answers one page of a collection, continued through `@odata.nextLink`.
pub trait PagedOperation: Operation<Output = Page<Self::Item>> {
    /// The items of the collection.
    type Item;

    /// The request for the page at `next_link`, an absolute URL Graph gave in the previous
    /// page; it keeps the operation's headers (`Prefer`, `ConsistencyLevel`).
    fn next_page_request(&self, next_link: &str) -> Result<http::Request<Vec<u8>>, Error>;
}

impl<O: PagedOperation + ?Sized> PagedOperation for &O {
    type Item = O::Item;
    fn next_page_request(&self, next_link: &str) -> Result<http::Request<Vec<u8>>, Error> {
        (**self).next_page_request(next_link)
    }
}

/// The least-privileged permissions an operation needs, as Microsoft documents them.
///
/// Delegated scopes are for a signed-in user (work or school account); application scopes are
/// for an app acting as itself. An empty list means that kind of access is not supported.
///
/// The fields can be read, but a value is made with [`Permissions::new`] or is
/// [`Permissions::UNDOCUMENTED`] (also the [`Default`]), so that a field can be added without
/// breaking your code:
///
/// ```
/// use msgraph_work::Permissions;
///
/// let read = Permissions::new(&["Schedule.Read.All"], &["Schedule.Read.All"]);
/// assert!(read.documented);
/// assert_eq!(read.delegated, ["Schedule.Read.All"]);
/// assert_eq!(Permissions::default(), Permissions::UNDOCUMENTED);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Permissions {
    /// Scopes for delegated access, least privileged first.
    pub delegated: &'static [&'static str],
    /// Scopes (app roles) for application access.
    pub application: &'static [&'static str],
    /// Whether Microsoft documents the permissions of this operation at all.
    pub documented: bool,
}

impl Permissions {
    /// The permissions of an operation Microsoft does not document them for.
    pub const UNDOCUMENTED: Permissions = Permissions {
        delegated: &[],
        application: &[],
        documented: false,
    };

    /// Documented permissions: delegated scopes (least privileged first) and application
    /// scopes; an empty list where that kind of access is not supported.
    pub const fn new(
        delegated: &'static [&'static str],
        application: &'static [&'static str],
    ) -> Permissions {
        Permissions {
            delegated,
            application,
            documented: true,
        }
    }
}

impl Default for Permissions {
    /// [`Permissions::UNDOCUMENTED`], what an operation without documented permissions has.
    fn default() -> Self {
        Permissions::UNDOCUMENTED
    }
}

/// A function parameter that may be `null`: a value (`&str`, `String`) or an `Option` of one.
pub trait OptionalArg<T> {
    /// The value, or `None` for `null`.
    fn into_arg(self) -> Option<T>;
}

impl OptionalArg<String> for &str {
    fn into_arg(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl OptionalArg<String> for String {
    fn into_arg(self) -> Option<String> {
        Some(self)
    }
}

impl OptionalArg<String> for &String {
    fn into_arg(self) -> Option<String> {
        Some(self.clone())
    }
}

impl OptionalArg<String> for Option<&str> {
    fn into_arg(self) -> Option<String> {
        self.map(str::to_owned)
    }
}

impl OptionalArg<String> for Option<String> {
    fn into_arg(self) -> Option<String> {
        self
    }
}

/// The parts of a request an operation builds up: method, path, query options, headers.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestParts {
    method: Method,
    version: &'static str,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(Cow<'static, str>, String)>,
    prefer: Vec<Cow<'static, str>>,
    accept: &'static str,
}

impl RequestParts {
    /// `path` is already encoded and starts with `/`; `version` is `beta` or `v1.0`.
    pub fn new(method: Method, version: &'static str, path: String) -> RequestParts {
        RequestParts {
            method,
            version,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            prefer: Vec::new(),
            accept: "application/json",
        }
    }

    /// The media type the answer is asked in (`Accept`): JSON, unless set (`text/plain` for
    /// `$count`).
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = media_type;
    }

    /// Sets a query option, replacing an earlier value.
    pub fn query(&mut self, name: &'static str, value: String) {
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, value));
    }

    /// Sets a query option to a comma-separated list.
    pub fn query_list<I: IntoIterator<Item = S>, S: AsRef<str>>(
        &mut self,
        name: &'static str,
        items: I,
    ) {
        let mut value = String::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                value.push(',');
            }
            value.push_str(item.as_ref());
        }
        self.query(name, value);
    }

    /// Sets a header, replacing an earlier value of the same name (in any case). The name and
    /// value are checked when the request is built: an invalid one is an error then.
    pub fn header(&mut self, name: impl Into<Cow<'static, str>>, value: String) {
        let name = name.into();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value));
    }

    /// Adds a preference to the `Prefer` header.
    pub fn prefer(&mut self, preference: impl Into<Cow<'static, str>>) {
        let preference = preference.into();
        if !self.prefer.contains(&preference) {
            self.prefer.push(preference);
        }
    }

    /// The full URL for a service root.
    pub fn url(&self, root: &str) -> String {
        let mut url = String::with_capacity(root.len() + self.path.len() + 32);
        url.push_str(root.trim_end_matches('/'));
        url.push('/');
        url.push_str(self.version);
        url.push_str(&self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            let _ = write!(url, "{}", encode::query_value(value));
        }
        url
    }

    /// The request for `root`, with a JSON body if one is given.
    pub fn build<B: Serialize + ?Sized>(
        &self,
        root: &str,
        body: Option<&B>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.check_segments()?;
        self.build_for_url(&self.url(root), body)
    }

    /// An id that is `.`, `..` or empty cannot be sent: URL parsers (RFC 3986 and WHATWG alike)
    /// treat `.` and `..` as dot segments, encoded or not, and remove them, so the request
    /// would address another path. Such an id is an error here, before anything is sent.
    fn check_segments(&self) -> Result<(), Error> {
        for segment in self.path.split('/').skip(1) {
            if segment.is_empty()
                || segment.eq_ignore_ascii_case("%2E")
                || segment.eq_ignore_ascii_case("%2E%2E")
            {
                let id = if segment.is_empty() {
                    String::new()
                } else {
                    ".".repeat(segment.len() / 3)
                };
                return Err(Error::invalid_input(format!(
                    "{id:?} cannot be an id: it would not stay one path segment of `{}`",
                    self.path
                )));
            }
        }
        Ok(())
    }

    /// The request for an absolute URL Graph gave (`@odata.nextLink`), keeping the headers.
    pub fn build_for_url<B: Serialize + ?Sized>(
        &self,
        url: &str,
        body: Option<&B>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let mut builder = http::Request::builder()
            .method(self.method.clone())
            .uri(url);
        let headers = builder.headers_mut().expect("the builder has no error yet");
        headers.insert(ACCEPT, HeaderValue::from_static(self.accept));
        for (name, value) in &self.headers {
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::invalid_input(format!(
                    "the value of header `{name}` is not valid in HTTP: {value:?}"
                ))
            })?;
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid_input(format!("`{name}` is not a valid HTTP header name"))
            })?;
            headers.insert(name, value);
        }
        if !self.prefer.is_empty() {
            let joined = self.prefer.join(", ");
            let value = HeaderValue::from_str(&joined).map_err(|_| {
                Error::invalid_input(format!(
                    "the Prefer header is not valid in HTTP: {joined:?}"
                ))
            })?;
            headers.insert("prefer", value);
        }
        let body = match body {
            Some(body) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                let mode = match self.method {
                    Method::POST => BodyMode::Create,
                    _ => BodyMode::Update,
                };
                super::body::with_body_mode(mode, || serde_json::to_vec(body)).map_err(|e| {
                    Error::invalid_input(format!("cannot serialize the request body: {e}"))
                })?
            }
            None => Vec::new(),
        };
        builder
            .body(body)
            .map_err(|e| Error::invalid_input(format!("cannot build the request for {url}: {e}")))
    }
}

/// Reading responses.
#[doc(hidden)]
pub mod response {
    use super::*;

    fn success(
        response: http::Response<Vec<u8>>,
    ) -> Result<(StatusCode, http::HeaderMap, Vec<u8>), Error> {
        let (parts, body) = response.into_parts();
        if !parts.status.is_success() {
            return Err(Error::graph(parts.status, &parts.headers, body));
        }
        Ok((parts.status, parts.headers, body))
    }

    fn decode<T: DeserializeOwned>(
        status: StatusCode,
        headers: &http::HeaderMap,
        body: Vec<u8>,
    ) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&body);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Ok(value) => match deserializer.end() {
                Ok(()) => Ok(value),
                Err(e) => Err(Error::decode(
                    status,
                    headers,
                    body,
                    ".".into(),
                    e.to_string(),
                )),
            },
            Err(e) => {
                let path = e.path().to_string();
                let message = e.into_inner().to_string();
                Err(Error::decode(status, headers, body, path, message))
            }
        }
    }

    /// A JSON body read into `T`.
    pub fn json<T: DeserializeOwned>(response: http::Response<Vec<u8>>) -> Result<T, Error> {
        let (status, headers, body) = success(response)?;
        decode(status, &headers, body)
    }

    /// A JSON body read into `T`, or `None` for a success without content (204).
    pub fn optional_json<T: DeserializeOwned>(
        response: http::Response<Vec<u8>>,
    ) -> Result<Option<T>, Error> {
        let (status, headers, body) = success(response)?;
        if status == StatusCode::NO_CONTENT || body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        decode(status, &headers, body).map(Some)
    }

    /// A primitive or enum result, which OData wraps as `{"value": ...}`.
    pub fn value<T: DeserializeOwned>(response: http::Response<Vec<u8>>) -> Result<T, Error> {
        json::<Wrapped<T>>(response).map(|w| w.0)
    }

    /// `{"value": T}`, other members ignored (`@odata.context`).
    struct Wrapped<T>(T);

    impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Wrapped<T> {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V<T>(std::marker::PhantomData<T>);
            impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
                type Value = Wrapped<T>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object with a `value`")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Wrapped<T>, A::Error> {
                    let mut value = None;
                    while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                        if key == "value" {
                            value = Some(map.next_value()?);
                        } else {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                    value
                        .map(Wrapped)
                        .ok_or_else(|| serde::de::Error::missing_field("value"))
                }
            }
            deserializer.deserialize_map(V(std::marker::PhantomData))
        }
    }

    /// A success whose body, if any, is not needed.
    pub fn empty(response: http::Response<Vec<u8>>) -> Result<(), Error> {
        success(response).map(|_| ())
    }

    /// The `text/plain` number of a `$count` request.
    pub fn count(response: http::Response<Vec<u8>>) -> Result<i64, Error> {
        let (status, headers, body) = success(response)?;
        let text = String::from_utf8_lossy(&body);
        let trimmed = text.trim().trim_start_matches('\u{feff}');
        trimmed.parse::<i64>().map_err(|_| {
            let message = format!("expected a count (an integer), got {:?}", truncate(trimmed));
            Error::decode(status, &headers, body.clone(), ".".into(), message)
        })
    }

    fn truncate(text: &str) -> String {
        text.chars().take(80).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_put_the_version_and_encode_the_query() {
        let mut parts = RequestParts::new(Method::GET, "beta", "/me/settings".into());
        parts.query_list("$expand", ["recurrences", "occurrences"]);
        parts.query("$filter", "a eq 'b&c'".into());
        assert_eq!(
            parts.url("https://graph.microsoft.com/"),
            "https://graph.microsoft.com/beta/me/settings?$expand=recurrences,occurrences&$filter=a%20eq%20'b%26c'"
        );
    }

    #[test]
    fn headers_and_preferences_are_sent() {
        let mut parts = RequestParts::new(Method::DELETE, "v1.0", "/x".into());
        parts.header("If-Match", "W/\"1\"".into());
        parts.prefer("return=representation");
        parts.prefer("include-unknown-enum-members");
        parts.prefer("return=representation");
        let request = parts
            .build::<()>("https://graph.microsoft.com", None)
            .unwrap();
        assert_eq!(request.headers()["if-match"], "W/\"1\"");
        assert_eq!(
            request.headers()["prefer"],
            "return=representation, include-unknown-enum-members"
        );
        assert!(request.headers().get("content-type").is_none());
    }

    #[test]
    fn dot_and_empty_ids_are_refused() {
        for id in [".", "..", ""] {
            let mut path = String::from("/teams");
            encode::push_segment(&mut path, id);
            path.push_str("/schedule");
            let parts = RequestParts::new(Method::GET, "beta", path);
            let e = parts
                .build::<()>("https://graph.microsoft.com", None)
                .unwrap_err();
            assert!(e.to_string().contains("cannot be an id"), "{id:?}: {e}");
        }
    }

    #[test]
    fn bad_header_values_are_errors_not_panics() {
        let mut parts = RequestParts::new(Method::DELETE, "v1.0", "/x".into());
        parts.header("If-Match", "a\nb".into());
        let e = parts
            .build::<()>("https://graph.microsoft.com", None)
            .unwrap_err();
        assert!(e.to_string().contains("If-Match"));
    }

    #[test]
    fn decode_errors_name_the_json_path() {
        let response = http::Response::builder()
            .status(200)
            .body(br#"{"value":[{"a":1},{"a":"x"}]}"#.to_vec())
            .unwrap();
        #[derive(serde::Deserialize, Debug)]
        struct Page {
            #[allow(dead_code)]
            value: Vec<Item>,
        }
        #[derive(serde::Deserialize, Debug)]
        struct Item {
            #[allow(dead_code)]
            a: i32,
        }
        let e = response::json::<Page>(response).unwrap_err();
        assert_eq!(e.json_path(), Some("value[1].a"));
        assert_eq!(e.kind(), crate::runtime::error::ErrorKind::Decode);
        assert!(e.body().is_some());
    }

    #[test]
    fn values_are_unwrapped() {
        let ok = http::Response::builder()
            .status(200)
            .body(br#"{"@odata.context":"x","value":"text"}"#.to_vec())
            .unwrap();
        assert_eq!(response::value::<String>(ok).unwrap(), "text");
        let missing = http::Response::builder()
            .status(200)
            .body(br#"{"other":1}"#.to_vec())
            .unwrap();
        assert!(response::value::<String>(missing).is_err());
    }

    #[test]
    fn counts_are_numbers() {
        let ok = http::Response::builder()
            .status(200)
            .body(b"42".to_vec())
            .unwrap();
        assert_eq!(response::count(ok).unwrap(), 42);
        let bad = http::Response::builder()
            .status(200)
            .body(b"forty-two".to_vec())
            .unwrap();
        assert!(response::count(bad).is_err());
    }
}
