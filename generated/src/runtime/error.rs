//! Hand-written runtime (not generated): the crate's single error type.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, StatusCode};

/// What kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request could not be sent or its answer not received (connection, TLS, timeout).
    Transport,
    /// Graph answered with an error status; [`Error::code`] and [`Error::message`] hold its
    /// OData error when the body carried one.
    Graph,
    /// Graph answered with success but the body does not match the model;
    /// [`Error::json_path`] says where, and [`Error::body`] keeps the body.
    Decode,
    /// A value given to the crate is not valid (an unknown time zone, a date that does not
    /// parse, a body that cannot be serialized).
    InvalidInput,
    /// No token could be had for the request (the token provider failed).
    Authentication,
}

/// An error from building a request, from the transport, from Graph, or from reading Graph's
/// answer. One type for all, so that `?` works everywhere; [`Error::kind`] tells them apart.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<StatusCode>,
    code: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    retry_after: Option<Duration>,
    json_path: Option<String>,
    body: Option<Vec<u8>>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                status: None,
                code: None,
                request_id: None,
                client_request_id: None,
                retry_after: None,
                json_path: None,
                body: None,
                source: None,
            }),
        }
    }

    /// A value the caller gave is not valid.
    pub(crate) fn invalid_input(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidInput, message)
    }

    /// A token provider could not supply a token; `message` says why.
    pub fn authentication(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Authentication, message)
    }

    /// The same, keeping the underlying error as the source.
    pub fn authentication_with(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        let mut e = Error::new(ErrorKind::Authentication, message);
        e.inner.source = Some(source.into());
        e
    }

    /// The transport failed.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn transport(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        let mut e = Error::new(ErrorKind::Transport, message);
        e.inner.source = Some(source.into());
        e
    }

    /// Names the request (its `client-request-id`) when nothing else has.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn with_client_request_id(mut self, id: &str) -> Error {
        if self.inner.client_request_id.is_none() {
            self.inner.client_request_id = Some(id.to_string());
        }
        self
    }

    /// Graph answered with a status that is not a success.
    pub(crate) fn graph(status: StatusCode, headers: &HeaderMap, body: Vec<u8>) -> Error {
        let odata = serde_json::from_slice::<serde_json::Value>(&body).ok();
        let error = odata.as_ref().and_then(|v| v.get("error"));
        let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
        let code = text(error.and_then(|e| e.get("code")));
        let message = text(error.and_then(|e| e.get("message")))
            .unwrap_or_else(|| without_odata_error(status, headers));
        let inner_error = error.and_then(|e| e.get("innerError").or_else(|| e.get("innererror")));
        let mut e = Error::new(ErrorKind::Graph, message);
        e.inner.status = Some(status);
        e.inner.code = code;
        e.inner.request_id = header(headers, "request-id")
            .or_else(|| text(inner_error.and_then(|i| i.get("request-id"))));
        e.inner.client_request_id = header(headers, "client-request-id")
            .or_else(|| text(inner_error.and_then(|i| i.get("client-request-id"))));
        e.inner.retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        e.inner.body = Some(body);
        e
    }

    /// A success body that does not match the model.
    pub(crate) fn decode(
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
        path: String,
        message: String,
    ) -> Error {
        let mut e = Error::new(ErrorKind::Decode, message);
        e.inner.status = Some(status);
        e.inner.request_id = header(headers, "request-id");
        e.inner.client_request_id = header(headers, "client-request-id");
        e.inner.json_path = Some(path);
        e.inner.body = Some(body);
        e
    }

    /// Which kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status Graph answered with, if it answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The OData error code (`"ErrorAccessDenied"`, `"NotFound"`), if Graph sent one.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// A human-readable description: Graph's message for Graph errors, ours otherwise.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Graph's `request-id`, which Microsoft support asks for.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The `client-request-id` Graph echoed back.
    pub fn client_request_id(&self) -> Option<&str> {
        self.inner.client_request_id.as_deref()
    }

    /// How long Graph asked us to wait before retrying (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// For [`ErrorKind::Decode`], where in the JSON body decoding failed (`value[3].start`).
    pub fn json_path(&self) -> Option<&str> {
        self.inner.json_path.as_deref()
    }

    /// The response body, kept as received, when there was one.
    pub fn body(&self) -> Option<&[u8]> {
        self.inner.body.as_deref()
    }

    /// The OData error body parsed into any model, for example a version's `ODataError`.
    pub fn odata_error<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(self.body()?).ok()
    }
}

/// What an error answer without an OData error body is: a redirect (which the client does not
/// follow), or a page from something between the client and Graph (a proxy's `502`).
fn without_odata_error(status: StatusCode, headers: &HeaderMap) -> String {
    if status.is_redirection() {
        let to = header(headers, "location").unwrap_or_else(|| "an unnamed place".into());
        return format!("Graph answered {status}, a redirect to {to}, which is not followed");
    }
    match header(headers, "content-type") {
        Some(media) if !media.contains("json") => {
            let media = media
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            format!(
                "Graph answered {status} with a {media} body, not an OData error: \
                 probably a proxy or gateway between the client and Graph"
            )
        }
        _ => format!("Graph answered {status} without an OData error body"),
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `Retry-After` is either a number of seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = when.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind).field("message", &i.message);
        if let Some(s) = i.status {
            d.field("status", &s);
        }
        if let Some(c) = &i.code {
            d.field("code", c);
        }
        if let Some(r) = &i.request_id {
            d.field("request_id", r);
        }
        if let Some(p) = &i.json_path {
            d.field("json_path", p);
        }
        if let Some(s) = &i.source {
            d.field("source", s);
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        match i.kind {
            ErrorKind::Graph => {
                write!(
                    f,
                    "Microsoft Graph answered {}",
                    i.status.map(|s| s.to_string()).unwrap_or_default()
                )?;
                // The code often only repeats the reason phrase (`403 Forbidden` with code
                // `Forbidden`, `404 Not Found` with `NotFound`): print it when it says more.
                if let Some(code) = i.code.as_deref().filter(|c| !repeats_reason(i.status, c)) {
                    write!(f, " {code}")?;
                }
                write!(f, ": {}", i.message)?;
                if let Some(id) = &i.request_id {
                    write!(f, " (request-id {id})")?;
                }
                Ok(())
            }
            ErrorKind::Decode => write!(
                f,
                "cannot read Graph's answer at `{}`: {}",
                i.json_path.as_deref().unwrap_or("."),
                i.message
            ),
            ErrorKind::Transport => write!(f, "transport error: {}", i.message),
            ErrorKind::InvalidInput => f.write_str(&i.message),
            ErrorKind::Authentication => write!(f, "authentication failed: {}", i.message),
        }
    }
}

/// Whether an OData error code only repeats the status's reason phrase, ignoring ASCII case and
/// spaces (`Forbidden` and `forbidden` for `403 Forbidden`, `NotFound` for `404 Not Found`).
fn repeats_reason(status: Option<StatusCode>, code: &str) -> bool {
    let Some(reason) = status.and_then(|s| s.canonical_reason()) else {
        return false;
    };
    fn squeeze(text: &str) -> impl Iterator<Item = u8> + '_ {
        text.bytes()
            .filter(|b| *b != b' ')
            .map(|b| b.to_ascii_lowercase())
    }
    squeeze(reason).eq(squeeze(code))
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_errors_carry_code_message_and_request_id() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", "abc".parse().unwrap());
        headers.insert("retry-after", "7".parse().unwrap());
        let body =
            br#"{"error":{"code":"Forbidden","message":"Nope","innerError":{"request-id":"def"}}}"#
                .to_vec();
        let e = Error::graph(StatusCode::FORBIDDEN, &headers, body);
        assert_eq!(e.kind(), ErrorKind::Graph);
        assert_eq!(e.status(), Some(StatusCode::FORBIDDEN));
        assert_eq!(e.code(), Some("Forbidden"));
        assert_eq!(e.message(), "Nope");
        assert_eq!(e.request_id(), Some("abc"));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(
            e.to_string(),
            "Microsoft Graph answered 403 Forbidden: Nope (request-id abc)"
        );
    }

    #[test]
    fn graph_error_codes_are_shown_only_when_they_say_more_than_the_status() {
        let shown = |status: StatusCode, code: &str| {
            let body = format!(r#"{{"error":{{"code":"{code}","message":"Nope"}}}}"#);
            Error::graph(status, &HeaderMap::new(), body.into_bytes()).to_string()
        };
        // The reason phrase again, in any case and with or without its spaces: left out.
        for (status, code) in [
            (StatusCode::FORBIDDEN, "Forbidden"),
            (StatusCode::FORBIDDEN, "forbidden"),
            (StatusCode::NOT_FOUND, "NotFound"),
            (StatusCode::NOT_FOUND, "notFound"),
            (StatusCode::TOO_MANY_REQUESTS, "TooManyRequests"),
        ] {
            let reason = status.canonical_reason().unwrap();
            assert_eq!(
                shown(status, code),
                format!(
                    "Microsoft Graph answered {} {reason}: Nope",
                    status.as_u16()
                ),
                "{code}"
            );
        }
        // A code that says more: kept.
        assert_eq!(
            shown(StatusCode::FORBIDDEN, "ErrorAccessDenied"),
            "Microsoft Graph answered 403 Forbidden ErrorAccessDenied: Nope"
        );
        assert_eq!(
            shown(StatusCode::NOT_FOUND, "Forbidden"),
            "Microsoft Graph answered 404 Not Found Forbidden: Nope"
        );
        // The code is still there to match on, whether shown or not.
        let e = Error::graph(
            StatusCode::FORBIDDEN,
            &HeaderMap::new(),
            br#"{"error":{"code":"Forbidden","message":"Nope"}}"#.to_vec(),
        );
        assert_eq!(e.code(), Some("Forbidden"));
    }

    #[test]
    fn graph_errors_without_a_body_still_explain() {
        let e = Error::graph(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            b"<html>".to_vec(),
        );
        assert_eq!(e.code(), None);
        assert!(e.message().contains("502"));
        assert_eq!(e.body(), Some(&b"<html>"[..]));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
