//! Hand-written runtime (not generated): the async client (feature `client`).
//!
//! Sends [`Operation`]s with `reqwest` (rustls on ring, no C toolchain needed), the way Graph
//! expects: a bearer token from a [`TokenProvider`] asked for the operation's permissions;
//! `429`, `503` and `504` retried after `Retry-After` (or an exponential backoff with jitter)
//! within a bounded number of attempts and total time, and nothing else retried; collections
//! followed through `@odata.nextLink`; a `tracing` span per request.

use std::collections::VecDeque;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_core::Stream;
use http::StatusCode;
use http::header::{AUTHORIZATION, HeaderValue};
use tracing::Instrument;

use super::error::{Error, parse_retry_after};
use super::operation::{Operation, PagedOperation, Permissions};
use super::page::Page;

/// Supplies bearer tokens. Asked for the permissions of the operation at hand, so a provider
/// that requests tokens per scope gets exactly what it needs.
///
/// ```
/// use msgraph_work::{Error, Permissions, TokenProvider};
///
/// struct FromEnvironment;
///
/// impl TokenProvider for FromEnvironment {
///     async fn token(&self, _permissions: &Permissions) -> Result<String, Error> {
///         std::env::var("GRAPH_TOKEN").map_err(|_| Error::authentication("GRAPH_TOKEN is not set"))
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync {
    /// A bearer token (without the `Bearer ` prefix) good for an operation needing `permissions`.
    fn token(
        &self,
        permissions: &Permissions,
    ) -> impl Future<Output = Result<String, Error>> + Send;
}

/// A shared provider.
impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn token(
        &self,
        permissions: &Permissions,
    ) -> impl Future<Output = Result<String, Error>> + Send {
        (**self).token(permissions)
    }
}

/// The object-safe form of [`TokenProvider`] the client stores.
trait DynTokenProvider: Send + Sync {
    fn token<'a>(
        &'a self,
        permissions: &'a Permissions,
    ) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + 'a>>;
}

impl<T: TokenProvider> DynTokenProvider for T {
    fn token<'a>(
        &'a self,
        permissions: &'a Permissions,
    ) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + 'a>> {
        Box::pin(TokenProvider::token(self, permissions))
    }
}

/// The simplest provider: one token, given up front.
#[derive(Clone)]
pub struct StaticToken(Arc<str>);

impl StaticToken {
    /// A provider that always answers `token`.
    pub fn new(token: impl Into<String>) -> StaticToken {
        StaticToken(token.into().into())
    }
}

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    async fn token(&self, _: &Permissions) -> Result<String, Error> {
        Ok(self.0.to_string())
    }
}

/// When and how long to retry throttled requests (`429`, `503`, `504`).
///
/// Start from the default and change what you need; the fields can be read but, so that a
/// setting can be added without breaking your code, not set with a struct literal:
///
/// ```
/// use std::time::Duration;
/// use msgraph_work::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .with_max_attempts(8)
///     .with_max_elapsed(Duration::from_secs(300));
/// assert_eq!(patient.max_attempts, 8);
/// assert_eq!(patient.initial_backoff, Duration::from_secs(1)); // the default
/// assert_eq!(RetryPolicy::never().max_attempts, 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included. `1` disables retries.
    pub max_attempts: u32,
    /// The longest the client keeps retrying one request, waits included. A `Retry-After`
    /// that would go past it ends the retries: the throttling error is returned instead.
    pub max_elapsed: Duration,
    /// The first backoff when Graph gives no `Retry-After`; it doubles on each attempt.
    pub initial_backoff: Duration,
    /// The longest single backoff.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(120),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries: every answer, throttling included, is returned as it comes.
    pub fn never() -> RetryPolicy {
        RetryPolicy::default().with_max_attempts(1)
    }

    /// Attempts in all, the first included (default 5). `1` disables retries; `0` counts as `1`.
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The longest the client keeps retrying one request, waits included (default 120 s).
    #[must_use]
    pub fn with_max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// The first backoff when Graph gives no `Retry-After` (default 1 s); it doubles on each
    /// attempt.
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest single backoff (default 30 s).
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The backoff before attempt `attempt + 1` when Graph says nothing: exponential, with
    /// jitter ("equal jitter": half fixed, half random) so that clients do not retry in step.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exponential.min(self.max_backoff);
        let half = capped / 2;
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        half + half.mul_f64((random % 10_000) as f64 / 10_000.0)
    }
}

/// Configures a [`Client`]. Made by [`Client::builder`].
pub struct ClientBuilder {
    root: String,
    tokens: Arc<dyn DynTokenProvider>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_response_bytes: usize,
    http: Option<reqwest::Client>,
}

/// Shows the settings, never the token provider: it may hold a secret (a [`StaticToken`]'s
/// token, a client secret), and `Debug` output ends up in logs. A `reqwest::Client` you gave is
/// only said to be there, since its default headers may carry credentials too.
impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let http_client = match self.http {
            Some(_) => "yours",
            None => "default",
        };
        f.debug_struct("ClientBuilder")
            .field("root", &self.root)
            .field("tokens", &format_args!("<redacted>"))
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("http_client", &format_args!("{http_client}"))
            .finish()
    }
}

impl ClientBuilder {
    /// How throttled requests are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The longest one HTTP exchange may take (default 100 s, Graph's own gateway timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The largest response body accepted (default 64 MiB); a larger one is an error.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Uses a `reqwest::Client` you configured (proxies, TLS); the timeouts above are then
    /// yours to set on it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The client.
    pub fn build(self) -> Result<Client, Error> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(Duration::from_secs(100)))
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .build()
                .map_err(|e| Error::transport("cannot build the HTTP client", e))?,
        };
        let origin = origin(&self.root).ok_or_else(|| {
            Error::invalid_input(format!("`{}` is not an absolute URL", self.root))
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                root: self.root,
                origin,
                tokens: self.tokens,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

/// Sends operations to Microsoft Graph. Cheap to clone; clones share connections.
///
/// ```no_run
/// # async fn run() -> Result<(), msgraph_work::Error> {
/// use msgraph_work::{Client, StaticToken};
///
/// let client = Client::new("https://graph.microsoft.com", StaticToken::new("eyJ0..."));
/// let setting = client.send(msgraph_work::beta::me().settings().work_hours_and_locations().get()).await?;
/// println!("{:?}", setting.max_shared_work_location_details);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    root: String,
    /// `scheme://host:port` of the root: the only place `@odata.nextLink`s may lead.
    origin: String,
    tokens: Arc<dyn DynTokenProvider>,
    retry: RetryPolicy,
    max_response_bytes: usize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("root", &self.inner.root)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for a service root without the version (`https://graph.microsoft.com`), with
    /// the default timeouts and retry policy.
    ///
    /// # Panics
    ///
    /// If `root` is not an absolute URL, or the TLS backend cannot start; use
    /// [`Client::builder`] to get these as errors.
    pub fn new(root: impl Into<String>, tokens: impl TokenProvider + 'static) -> Client {
        Client::builder(root, tokens)
            .build()
            .expect("a valid root URL and a working TLS backend")
    }

    /// A builder, to set timeouts, the retry policy or the HTTP client.
    pub fn builder(root: impl Into<String>, tokens: impl TokenProvider + 'static) -> ClientBuilder {
        ClientBuilder {
            root: root.into().trim_end_matches('/').to_string(),
            tokens: Arc::new(tokens),
            retry: RetryPolicy::default(),
            timeout: None,
            connect_timeout: None,
            max_response_bytes: 64 << 20,
            http: None,
        }
    }

    /// Sends an operation and reads its answer.
    pub async fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        let permissions = op.permissions();
        let response = self
            .execute(|| op.to_http_request(&self.inner.root), &permissions)
            .await?;
        op.parse_response(response)
    }

    /// Every item of a collection, page after page: follows `@odata.nextLink` (an absolute URL
    /// that must lead to the same origin as the root). The stream ends after the last page or
    /// at the first error, which it yields.
    pub fn items<O>(&self, op: O) -> impl Stream<Item = Result<O::Item, Error>> + Send + 'static
    where
        O: PagedOperation + Send + Sync + 'static,
        O::Item: Send + 'static,
    {
        let state = Items {
            client: self.clone(),
            op,
            next: Next::First,
            buffer: VecDeque::new(),
        };
        futures_util::stream::unfold(state, |mut s| async move {
            loop {
                if let Some(item) = s.buffer.pop_front() {
                    return Some((Ok(item), s));
                }
                let page = match std::mem::replace(&mut s.next, Next::Done) {
                    Next::Done => return None,
                    Next::First => s.client.send(&s.op).await,
                    Next::Link(link) => s.client.next_page(&s.op, &link).await,
                };
                match page {
                    Ok(page) => {
                        s.next = match &page.next_link {
                            Some(link) => Next::Link(link.clone()),
                            None => Next::Done,
                        };
                        s.buffer.extend(page.into_items());
                    }
                    Err(e) => return Some((Err(e), s)),
                }
            }
        })
    }

    /// The page at `next_link`.
    async fn next_page<O: PagedOperation>(
        &self,
        op: &O,
        next_link: &str,
    ) -> Result<Page<O::Item>, Error> {
        if origin(next_link).as_deref() != Some(self.inner.origin.as_str()) {
            return Err(Error::invalid_input(format!(
                "refusing to follow @odata.nextLink `{next_link}`: it leaves {}",
                self.inner.origin
            )));
        }
        let permissions = op.permissions();
        let response = self
            .execute(|| op.next_page_request(next_link), &permissions)
            .await?;
        op.parse_response(response)
    }

    /// Sends a request (built anew for each attempt), retrying throttling answers.
    async fn execute(
        &self,
        build: impl Fn() -> Result<http::Request<Vec<u8>>, Error>,
        permissions: &Permissions,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let started = Instant::now();
        let retry = self.inner.retry;
        let mut attempt = 1;
        loop {
            let mut request = build()?;
            let token = self.inner.tokens.token(permissions).await?;
            let mut bearer = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
                Error::authentication(
                    "the token provider gave a token that is not valid in an HTTP header",
                )
            })?;
            bearer.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, bearer);
            let span = tracing::info_span!(
                "msgraph.request",
                method = %request.method(),
                path = %request.uri().path(),
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let response = self.exchange(request).instrument(span.clone()).await?;
            let status = response.status();
            span.record("status", status.as_u16());
            if let Some(id) = response
                .headers()
                .get("request-id")
                .and_then(|v| v.to_str().ok())
            {
                span.record("request_id", id);
            }
            if matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            ) && attempt < retry.max_attempts
            {
                let advised = response
                    .headers()
                    .get(http::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after);
                let wait = advised.unwrap_or_else(|| retry.backoff(attempt));
                if started.elapsed() + wait <= retry.max_elapsed {
                    span.in_scope(|| {
                        tracing::warn!(
                            status = status.as_u16(),
                            wait_ms = wait.as_millis() as u64,
                            "throttled; retrying"
                        )
                    });
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
            }
            return Ok(response);
        }
    }

    /// One HTTP exchange; the body is read whole, up to the size limit.
    async fn exchange(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let request = reqwest::Request::try_from(request)
            .map_err(|e| Error::transport("cannot send the request", e))?;
        let url = request.url().clone();
        let mut response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(|e| transport_error(&url, e))?;
        let limit = self.inner.max_response_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Error::transport(
                format!("the response from {url} is larger than the {limit}-byte limit"),
                "response too large",
            ));
        }
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| transport_error(&url, e))?
        {
            if body.len() + chunk.len() > limit {
                return Err(Error::transport(
                    format!("the response from {url} is larger than the {limit}-byte limit"),
                    "response too large",
                ));
            }
            body.extend_from_slice(&chunk);
        }
        builder
            .body(body)
            .map_err(|e| Error::transport("cannot read the response", e))
    }
}

fn transport_error(url: &reqwest::Url, e: reqwest::Error) -> Error {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    let mut redacted = url.clone();
    redacted.set_query(None);
    Error::transport(format!("the request to {redacted} {what}"), e)
}

/// `scheme://host:port` of an absolute URL.
fn origin(url: &str) -> Option<String> {
    let uri: http::Uri = url.parse().ok()?;
    let scheme = uri.scheme_str()?;
    let authority = uri.authority()?;
    let port = authority
        .port_u16()
        .unwrap_or(if scheme == "https" { 443 } else { 80 });
    Some(format!(
        "{scheme}://{}:{port}",
        authority.host().to_ascii_lowercase()
    ))
}

/// Where an `items` stream is.
enum Next {
    First,
    Link(String),
    Done,
}

struct Items<O: PagedOperation> {
    client: Client,
    op: O,
    next: Next,
    buffer: VecDeque<O::Item>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_secs(1));
        for attempt in 1..10 {
            let b = policy.backoff(attempt);
            let full =
                Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_secs(1));
            assert!(
                b >= full / 2 && b <= full,
                "attempt {attempt}: {b:?} not in [{:?}, {full:?}]",
                full / 2
            );
        }
    }

    #[test]
    fn the_builder_debug_never_shows_the_token() {
        let builder = Client::builder("https://graph.microsoft.com", StaticToken::new("s3cr3t"))
            .retry(RetryPolicy::never());
        let shown = format!("{builder:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(shown.contains("graph.microsoft.com"), "{shown}");
        assert!(shown.contains("max_attempts: 1"), "{shown}");
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            origin("https://graph.microsoft.com/beta/x").as_deref(),
            Some("https://graph.microsoft.com:443")
        );
        assert_eq!(
            origin("https://GRAPH.microsoft.com:443/v1.0").as_deref(),
            Some("https://graph.microsoft.com:443")
        );
        assert_eq!(
            origin("http://127.0.0.1:8080/beta").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_ne!(
            origin("https://evil.example/beta"),
            origin("https://graph.microsoft.com")
        );
        assert_eq!(origin("/relative"), None);
    }
}
