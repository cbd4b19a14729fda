//! Configuring a [`Client`]: [`ClientBuilder`].

use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};

use super::policy::RetryPolicy;
use super::tokens::DynTokenProvider;
use super::{Client, Inner, origin};
use crate::runtime::error::Error;

/// Configures a [`Client`]. Made by [`Client::builder`].
pub struct ClientBuilder {
    pub(super) root: String,
    pub(super) tokens: Arc<dyn DynTokenProvider>,
    pub(super) retry: RetryPolicy,
    pub(super) timeout: Option<Duration>,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) max_response_bytes: usize,
    pub(super) http: Option<reqwest::Client>,
    pub(super) default_headers: Vec<(String, String)>,
}

/// Shows the settings, never the token provider: it may hold a secret (a
/// [`StaticToken`](super::StaticToken)'s token, a client secret), and `Debug` output ends up
/// in logs. A `reqwest::Client` you gave is only said to be there, since its default headers
/// may carry credentials too, and so are the values of default headers.
impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let http_client = match self.http {
            Some(_) => "yours",
            None => "default",
        };
        let headers: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        f.debug_struct("ClientBuilder")
            .field("root", &self.root)
            .field("tokens", &format_args!("<redacted>"))
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("http_client", &format_args!("{http_client}"))
            .field("default_headers", &headers)
            .finish()
    }
}

impl ClientBuilder {
    /// How throttled requests, and requests whose connection failed, are retried.
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

    /// A header sent with every request, unless the operation sets its own
    /// (`operation.header(..)`). Checked by [`build`](Self::build).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Uses a `reqwest::Client` you configured (proxies, TLS); the timeouts above are then
    /// yours to set on it, and so is its redirect policy (the client's own follows none).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The client; an error when the root is not an absolute URL, a default header is not
    /// valid HTTP, or the TLS backend cannot start.
    pub fn build(self) -> Result<Client, Error> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(Duration::from_secs(100)))
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                // Graph does not redirect API calls; a redirect is a proxy's or a captive
                // portal's, and following it would send the token elsewhere.
                .redirect(reqwest::redirect::Policy::none())
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
        let mut default_headers = http::HeaderMap::new();
        for (name, value) in self.default_headers {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid_input(format!("`{name}` is not a valid HTTP header name"))
            })?;
            let value = HeaderValue::from_str(&value).map_err(|_| {
                Error::invalid_input(format!(
                    "the value of default header `{name}` is not valid in HTTP"
                ))
            })?;
            default_headers.insert(header, value);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                root: self.root,
                origin,
                tokens: self.tokens,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                default_headers,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::client::StaticToken;

    #[test]
    fn the_builder_debug_never_shows_the_token() {
        let builder = Client::builder("https://graph.microsoft.com", StaticToken::new("s3cr3t"))
            .retry(RetryPolicy::never())
            .default_header("x-api-key", "k3y");
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("k3y"),
            "{shown}"
        );
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(shown.contains("graph.microsoft.com"), "{shown}");
        assert!(shown.contains("max_attempts: 1"), "{shown}");
        assert!(shown.contains("x-api-key"), "{shown}");
    }

    #[test]
    fn invalid_default_headers_are_errors() {
        let bad = Client::builder("https://graph.microsoft.com", StaticToken::new("t"))
            .default_header("bad name", "x")
            .build();
        assert!(bad.is_err());
        let bad = Client::builder("https://graph.microsoft.com", StaticToken::new("t"))
            .default_header("x-ok", "line\nbreak")
            .build();
        assert!(bad.is_err());
    }
}
