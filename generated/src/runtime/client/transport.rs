//! One request, as many times as it takes: headers, the token (again after a claims
//! challenge), retries of throttled answers and of failed connections, and faults as errors.

use std::time::Instant;

use http::header::{AUTHORIZATION, HeaderValue};
use http::{Method, StatusCode};
use tracing::Instrument;

use super::Client;
use super::tokens::claims_challenge;
use crate::runtime::error::{Error, parse_retry_after};
use crate::runtime::operation::Permissions;

/// The header that names a request for Graph's logs, which Microsoft support asks for.
const CLIENT_REQUEST_ID: &str = "client-request-id";

/// An exchange that failed, and whether the request can have reached the server.
pub(super) struct Failure {
    error: Error,
    /// The connection was never made: sending again cannot repeat anything.
    before_sending: bool,
}

impl Client {
    /// Sends a request (built anew for each attempt): throttling answers are retried after the
    /// wait Graph asks for, failed connections when sending again is safe (always for GET,
    /// PUT and DELETE; for POST and PATCH only when the request cannot have reached the
    /// server), and a claims challenge once with a token for the claims.
    pub(super) async fn execute(
        &self,
        build: impl Fn() -> Result<http::Request<Vec<u8>>, Error>,
        permissions: &Permissions,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let started = Instant::now();
        let retry = self.inner.retry;
        let mut attempt = 1;
        let mut claims: Option<String> = None;
        loop {
            let (request, request_id) = self
                .authorized(build()?, permissions, claims.as_deref())
                .await?;
            let idempotent = matches!(
                *request.method(),
                Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
            );
            let span = tracing::info_span!(
                "msgraph.request",
                method = %request.method(),
                path = %request.uri().path(),
                attempt,
                client_request_id = %request_id,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let mut response = match self.exchange(request).instrument(span.clone()).await {
                Ok(response) => response,
                Err(failure) => {
                    let wait = retry.backoff(attempt);
                    if (idempotent || failure.before_sending)
                        && attempt < retry.max_attempts
                        && started.elapsed() + wait <= retry.max_elapsed
                    {
                        span.in_scope(|| {
                            tracing::warn!(error = %failure.error, "connection failed; retrying")
                        });
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    return Err(failure.error.with_client_request_id(&request_id));
                }
            };
            // Errors name the request even when Graph does not echo its id.
            if !response.headers().contains_key(CLIENT_REQUEST_ID) {
                if let Ok(value) = HeaderValue::from_str(&request_id) {
                    response.headers_mut().insert(CLIENT_REQUEST_ID, value);
                }
            }
            let status = response.status();
            span.record("status", status.as_u16());
            if let Some(id) = response
                .headers()
                .get("request-id")
                .and_then(|v| v.to_str().ok())
            {
                span.record("request_id", id);
            }
            if status == StatusCode::UNAUTHORIZED && claims.is_none() {
                if let Some(challenged) = claims_challenge(response.headers()) {
                    span.in_scope(|| tracing::info!("claims challenge; asking for a new token"));
                    claims = Some(challenged);
                    continue;
                }
            }
            if is_throttled(status) && attempt < retry.max_attempts {
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

    /// The request with its headers and a bearer token (for `claims`, after a challenge), and
    /// its `client-request-id`.
    async fn authorized(
        &self,
        mut request: http::Request<Vec<u8>>,
        permissions: &Permissions,
        claims: Option<&str>,
    ) -> Result<(http::Request<Vec<u8>>, String), Error> {
        let request_id = self.add_headers(&mut request);
        let token = match claims {
            None => self.inner.tokens.token(permissions).await,
            Some(claims) => {
                self.inner
                    .tokens
                    .token_with_claims(permissions, claims)
                    .await
            }
        }
        .map_err(|e| e.with_client_request_id(&request_id))?;
        let mut bearer = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
            Error::authentication(
                "the token provider gave a token that is not valid in an HTTP header",
            )
            .with_client_request_id(&request_id)
        })?;
        bearer.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, bearer);
        Ok((request, request_id))
    }

    /// The default headers the request does not set itself, and a `client-request-id` unless
    /// the caller chose one; returns the id.
    fn add_headers(&self, request: &mut http::Request<Vec<u8>>) -> String {
        let headers = request.headers_mut();
        for (name, value) in &self.inner.default_headers {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        match headers.get(CLIENT_REQUEST_ID).and_then(|v| v.to_str().ok()) {
            Some(id) => id.to_string(),
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                headers.insert(
                    CLIENT_REQUEST_ID,
                    HeaderValue::from_str(&id).expect("a UUID is a valid header value"),
                );
                id
            }
        }
    }

    /// One HTTP exchange; the body is read whole, up to the size limit.
    async fn exchange(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Failure> {
        let request = reqwest::Request::try_from(request).map_err(|e| Failure {
            error: Error::transport("cannot send the request", e),
            before_sending: true,
        })?;
        let url = request.url().clone();
        let mut response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(|e| failure(&url, e, false))?;
        let limit = self.inner.max_response_bytes;
        let too_large = || Failure {
            error: Error::transport(
                format!(
                    "the response from {} is larger than the {limit}-byte limit",
                    redacted(&url)
                ),
                "response too large",
            ),
            before_sending: false,
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| failure(&url, e, true))? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        builder.body(body).map_err(|e| Failure {
            error: Error::transport("cannot read the response", e),
            before_sending: false,
        })
    }
}

/// `429`, `503` and `504`: Graph asks to come back later.
pub(super) fn is_throttled(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// A URL without its query, which may hold personal data.
fn redacted(url: &reqwest::Url) -> reqwest::Url {
    let mut redacted = url.clone();
    redacted.set_query(None);
    redacted
}

/// What failed, in words that say what happened: no connection, no answer in time, a
/// connection that broke, or an answer that ended early.
fn failure(url: &reqwest::Url, e: reqwest::Error, reading_body: bool) -> Failure {
    let url = redacted(url);
    let (what, before_sending) = if e.is_timeout() {
        (format!("the request to {url} timed out"), false)
    } else if e.is_connect() {
        (format!("could not connect to {url}"), true)
    } else if reading_body || e.is_body() || e.is_decode() {
        (
            format!(
                "the response from {url} ended early: the connection broke or the body is \
                 shorter than its Content-Length"
            ),
            false,
        )
    } else {
        (
            format!("the connection to {url} broke before the answer arrived (reset or closed)"),
            false,
        )
    };
    Failure {
        error: Error::transport(what, e),
        before_sending,
    }
}
