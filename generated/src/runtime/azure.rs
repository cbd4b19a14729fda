//! Hand-written runtime (not generated): tokens from `azure_identity` credentials (feature
//! `azure-identity`).
//!
//! Depends only on `azure_core`'s `TokenCredential` trait, so any credential of the
//! `azure_identity` crate (client secret or certificate, managed identity, workload identity,
//! Azure CLI, developer tools) plugs in, and so does one of your own.

use std::sync::Arc;

use azure_core::credentials::TokenCredential;

use super::client::TokenProvider;
use super::error::Error;
use super::operation::Permissions;

/// A [`TokenProvider`] on an `azure_identity` credential.
///
/// By default it asks for `https://graph.microsoft.com/.default`: the permissions granted to
/// the app, which is what app-only and pre-consented credentials need. With
/// [`AzureIdentity::with_operation_scopes`] it asks instead for exactly the delegated scopes the
/// operation at hand documents, for credentials that sign a user in and consent per scope.
///
/// ```no_run
/// use std::sync::Arc;
/// use azure_core::credentials::TokenCredential;
/// use msgraph_work::{AzureIdentity, Client};
///
/// // `credential` is, for example, `azure_identity::ManagedIdentityCredential::new(None)?`.
/// fn graph_client(credential: Arc<dyn TokenCredential>) -> Client {
///     Client::new("https://graph.microsoft.com", AzureIdentity::new(credential))
/// }
/// ```
#[derive(Clone, Debug)]
pub struct AzureIdentity {
    credential: Arc<dyn TokenCredential>,
    resource: String,
    operation_scopes: bool,
}

impl AzureIdentity {
    /// Tokens from `credential`, for Microsoft Graph's global cloud.
    pub fn new(credential: Arc<dyn TokenCredential>) -> AzureIdentity {
        AzureIdentity {
            credential,
            resource: "https://graph.microsoft.com".into(),
            operation_scopes: false,
        }
    }

    /// Asks for the operation's documented delegated scopes instead of `.default` (falls back
    /// to `.default` when an operation documents none).
    pub fn with_operation_scopes(mut self) -> AzureIdentity {
        self.operation_scopes = true;
        self
    }

    /// The resource scopes are prefixed with, for national clouds
    /// (`https://graph.microsoft.us`, `https://microsoftgraph.chinacloudapi.cn`).
    pub fn with_resource(mut self, resource: impl Into<String>) -> AzureIdentity {
        self.resource = resource.into().trim_end_matches('/').to_string();
        self
    }

    /// The scopes asked for an operation needing `permissions`.
    fn scopes(&self, permissions: &Permissions) -> Vec<String> {
        if self.operation_scopes && !permissions.delegated.is_empty() {
            permissions
                .delegated
                .iter()
                .map(|scope| format!("{}/{scope}", self.resource))
                .collect()
        } else {
            vec![format!("{}/.default", self.resource)]
        }
    }
}

/// The claims of a claims challenge, in the `Context` of the token request that
/// [`AzureIdentity`] makes for them (`options.method_options.context.value::<ClaimsChallenge>()`).
///
/// `azure_core` 1.1's `TokenRequestOptions` has no field for claims yet, so `azure_identity`'s
/// own credentials do not read them (they answer with their cached token, and the client
/// returns Graph's `401`); a credential of your own, or a later `azure_identity`, can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimsChallenge(pub String);

impl TokenProvider for AzureIdentity {
    async fn token(&self, permissions: &Permissions) -> Result<String, Error> {
        self.get(permissions, None).await
    }

    async fn token_with_claims(
        &self,
        permissions: &Permissions,
        claims: &str,
    ) -> Result<String, Error> {
        self.get(permissions, Some(claims)).await
    }
}

impl AzureIdentity {
    /// A token for `permissions`, with the claims of a challenge if there is one.
    async fn get(&self, permissions: &Permissions, claims: Option<&str>) -> Result<String, Error> {
        let scopes = self.scopes(permissions);
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let options = claims.map(|claims| {
            let mut options = azure_core::credentials::TokenRequestOptions::default();
            options
                .method_options
                .context
                .insert(ClaimsChallenge(claims.to_string()));
            options
        });
        let token = self
            .credential
            .get_token(&scopes, options)
            .await
            .map_err(|e| {
                Error::authentication_with(
                    format!("the Azure credential gave no token for {scopes:?}"),
                    e,
                )
            })?;
        Ok(token.token.secret().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Recorded(std::sync::Mutex<Vec<Vec<String>>>);

    #[async_trait::async_trait]
    impl TokenCredential for Recorded {
        async fn get_token(
            &self,
            scopes: &[&str],
            _: Option<azure_core::credentials::TokenRequestOptions<'_>>,
        ) -> azure_core::Result<azure_core::credentials::AccessToken> {
            self.0
                .lock()
                .unwrap()
                .push(scopes.iter().map(|s| s.to_string()).collect());
            Ok(azure_core::credentials::AccessToken::new(
                "t0k3n",
                azure_core::time::OffsetDateTime::now_utc(),
            ))
        }
    }

    #[tokio::test]
    async fn asks_for_default_or_for_the_operations_scopes() {
        let recorded = Arc::new(Recorded(Default::default()));
        let permissions = Permissions::new(&["Calendars.ReadWrite"], &[]);
        let app = AzureIdentity::new(recorded.clone());
        assert_eq!(app.token(&permissions).await.unwrap(), "t0k3n");
        let user = AzureIdentity::new(recorded.clone()).with_operation_scopes();
        user.token(&permissions).await.unwrap();
        user.token(&Permissions::UNDOCUMENTED).await.unwrap();
        let asked = recorded.0.lock().unwrap().clone();
        assert_eq!(
            asked,
            [
                vec!["https://graph.microsoft.com/.default".to_string()],
                vec!["https://graph.microsoft.com/Calendars.ReadWrite".to_string()],
                vec!["https://graph.microsoft.com/.default".to_string()],
            ]
        );
    }
}
