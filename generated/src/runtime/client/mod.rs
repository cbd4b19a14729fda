//! Hand-written runtime (not generated): the async client (feature `client`).
//!
//! Sends [`Operation`]s with `reqwest` (rustls on ring, no C toolchain needed), the way Graph
//! expects: a bearer token from a [`TokenProvider`] asked for the operation's permissions, and
//! asked again with the claims of a claims challenge; a fresh `client-request-id` on every
//! request; `429`, `503` and `504` retried after `Retry-After` (or an exponential backoff with
//! jitter) within a bounded number of attempts and total time; a failed connection retried
//! when sending again is safe; redirects not followed; collections followed through
//! `@odata.nextLink`; a `tracing` span per request.

mod batch;
mod builder;
mod policy;
mod tokens;
mod transport;

use std::collections::VecDeque;
use std::sync::Arc;

use futures_core::Stream;

use super::error::Error;
use super::operation::{Operation, PagedOperation};
use super::page::Page;
pub use builder::ClientBuilder;
pub use policy::RetryPolicy;
use tokens::DynTokenProvider;
pub use tokens::{StaticToken, TokenProvider};

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
    /// Sent with every request that does not set its own.
    default_headers: http::HeaderMap,
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
            default_headers: Vec::new(),
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
