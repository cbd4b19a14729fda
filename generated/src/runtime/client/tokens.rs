//! Where bearer tokens come from: the [`TokenProvider`] trait, and [`StaticToken`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::runtime::error::Error;
use crate::runtime::operation::Permissions;

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
///
/// When Graph refuses a token with a claims challenge (Continuous Access Evaluation: a `401`
/// whose `WWW-Authenticate` says `error="insufficient_claims"`), the client asks
/// [`token_with_claims`](TokenProvider::token_with_claims) once for a token that satisfies the
/// claims, and retries the request once with it. A provider that can ask its identity platform
/// for claims overrides that method; the default asks [`token`](TokenProvider::token) again.
pub trait TokenProvider: Send + Sync {
    /// A bearer token (without the `Bearer ` prefix) good for an operation needing `permissions`.
    fn token(
        &self,
        permissions: &Permissions,
    ) -> impl Future<Output = Result<String, Error>> + Send;

    /// A new token that also satisfies `claims`: the JSON claims request of a challenge,
    /// decoded (`{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}`), which
    /// MSAL-style libraries take as is. By default, the same as [`token`](TokenProvider::token).
    fn token_with_claims(
        &self,
        permissions: &Permissions,
        claims: &str,
    ) -> impl Future<Output = Result<String, Error>> + Send {
        let _ = claims;
        self.token(permissions)
    }
}

/// A shared provider.
impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn token(
        &self,
        permissions: &Permissions,
    ) -> impl Future<Output = Result<String, Error>> + Send {
        (**self).token(permissions)
    }

    fn token_with_claims(
        &self,
        permissions: &Permissions,
        claims: &str,
    ) -> impl Future<Output = Result<String, Error>> + Send {
        (**self).token_with_claims(permissions, claims)
    }
}

/// A boxed token future.
pub(super) type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, Error>> + Send + 'a>>;

/// The object-safe form of [`TokenProvider`] the client stores.
pub(super) trait DynTokenProvider: Send + Sync {
    fn token<'a>(&'a self, permissions: &'a Permissions) -> TokenFuture<'a>;
    fn token_with_claims<'a>(
        &'a self,
        permissions: &'a Permissions,
        claims: &'a str,
    ) -> TokenFuture<'a>;
}

impl<T: TokenProvider> DynTokenProvider for T {
    fn token<'a>(&'a self, permissions: &'a Permissions) -> TokenFuture<'a> {
        Box::pin(TokenProvider::token(self, permissions))
    }

    fn token_with_claims<'a>(
        &'a self,
        permissions: &'a Permissions,
        claims: &'a str,
    ) -> TokenFuture<'a> {
        Box::pin(TokenProvider::token_with_claims(self, permissions, claims))
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

/// The claims a `401` challenges for, decoded, when its `WWW-Authenticate` is a Bearer
/// challenge with `error="insufficient_claims"` and a `claims` parameter (base64 of JSON).
pub(super) fn claims_challenge(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|challenge| {
            let params = bearer_params(challenge)?;
            let error = params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("error"))?;
            if error.1 != "insufficient_claims" {
                return None;
            }
            let claims = &params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("claims"))?
                .1;
            Some(decode_claims(claims))
        })
}

/// The `name="value"` parameters of a `Bearer` challenge.
fn bearer_params(challenge: &str) -> Option<Vec<(String, String)>> {
    let rest = challenge.trim_start();
    let scheme_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if !rest[..scheme_end].eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = rest[scheme_end..].trim_start();
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().trim_start_matches(',').trim().to_string();
        rest = rest[eq + 1..].trim_start();
        let value = if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            let value = quoted[..end].to_string();
            rest = quoted.get(end + 1..).unwrap_or("");
            value
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let value = rest[..end].trim().to_string();
            rest = &rest[end..];
            value
        };
        params.push((name, value));
        rest = rest.trim_start().trim_start_matches(',').trim_start();
    }
    Some(params)
}

/// The claims as JSON text: decoded from base64 (standard or URL-safe, padded or not), or as
/// given when they are not base64 of UTF-8 text.
fn decode_claims(claims: &str) -> String {
    use base64::Engine as _;
    use base64::engine::DecodePaddingMode;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    let lenient =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let standard = GeneralPurpose::new(&base64::alphabet::STANDARD, lenient);
    let url_safe = GeneralPurpose::new(&base64::alphabet::URL_SAFE, lenient);
    standard
        .decode(claims)
        .or_else(|_| url_safe.decode(claims))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| claims.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_challenges_are_found_and_decoded() {
        let mut headers = http::HeaderMap::new();
        headers.append(
            http::header::WWW_AUTHENTICATE,
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=""#
                .parse()
                .unwrap(),
        );
        assert_eq!(
            claims_challenge(&headers).as_deref(),
            Some(r#"{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}"#)
        );
        let mut other = http::HeaderMap::new();
        other.append(
            http::header::WWW_AUTHENTICATE,
            r#"Bearer error="invalid_token", error_description="expired""#
                .parse()
                .unwrap(),
        );
        assert_eq!(claims_challenge(&other), None);
        assert_eq!(claims_challenge(&http::HeaderMap::new()), None);
    }
}
