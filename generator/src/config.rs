//! The project's configuration: `specs/codegen.toml`, shared by `codegen`, `slice` and `diff`.
//!
//! ```toml
//! [crate]
//! path = "generated"          # the generated crate, relative to the workspace
//! library = "msgraph_work"    # its library name, for examples in docs
//!
//! [[api]]
//! version = "beta"            # the URL segment
//! module = "beta"             # the Rust module (and cargo feature)
//! inputs = ["beta/openapi.yaml"]   # documents, relative to specs/, merged in order
//!
//! [[alias]]
//! path = "/me"                # an entry point Graph serves as an alias...
//! target = "/users/{user-id}" # ...of this path
//!
//! [[family]]
//! name = "work-hours-and-locations"
//! paths = ["/users/{user-id}/settings/workHoursAndLocations/**"]
//! ```
//!
//! A family path selects one path exactly, or, ending in `/**`, a path and everything below it.
//! A top-level `permissions = "permissions.toml"` names the table of each operation's
//! least-privileged permissions (see that file).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::emit::Alias;
use crate::model::{Api, Path as ModelPath, Permissions};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(rename = "crate")]
    pub krate: CrateConfig,
    #[serde(rename = "api", default)]
    pub apis: Vec<ApiConfig>,
    #[serde(rename = "alias", default)]
    pub aliases: Vec<AliasConfig>,
    #[serde(rename = "family", default)]
    pub families: Vec<Family>,
    /// The permissions table, relative to `specs/`.
    #[serde(default)]
    pub permissions: Option<PathBuf>,
    #[serde(rename = "documented", default)]
    pub documented: Vec<Documented>,
}

/// An operation Microsoft documents that its metadata declares differently: generated like
/// another operation of the same path, with another method.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Documented {
    /// The API version (`v1.0`).
    pub api: String,
    /// `PUT /teams/{team-id}/schedule/timesOff/{timeOff-id}`.
    pub operation: String,
    /// The operation of the metadata it mirrors: `PATCH /teams/...`.
    pub like: String,
    /// Request headers the documentation adds (`Prefer`).
    #[serde(default)]
    pub headers: Vec<String>,
    /// The reference page that documents it.
    pub page: String,
}

/// Adds the documented operations of `api`'s version.
pub fn apply_documented(api: &mut Api, documented: &[Documented]) -> Result<(), String> {
    for d in documented.iter().filter(|d| d.api == api.version) {
        let Some((method, path)) = d.operation.split_once(' ') else {
            return Err(format!(
                "documented operation `{}` is not \"METHOD /path\"",
                d.operation
            ));
        };
        let method = match method {
            "GET" => crate::model::HttpMethod::Get,
            "POST" => crate::model::HttpMethod::Post,
            "PUT" => crate::model::HttpMethod::Put,
            "PATCH" => crate::model::HttpMethod::Patch,
            "DELETE" => crate::model::HttpMethod::Delete,
            other => {
                return Err(format!(
                    "documented operation `{}`: unknown method `{other}`",
                    d.operation
                ));
            }
        };
        if api
            .operations
            .iter()
            .any(|op| op.method == method && op.path.to_string() == path)
        {
            return Err(format!(
                "documented operation `{}` is already in the metadata; remove it from the configuration",
                d.operation
            ));
        }
        let like = api
            .operations
            .iter()
            .find(|op| format!("{} {}", op.method, op.path) == d.like)
            .ok_or_else(|| {
                format!(
                    "documented operation `{}` mirrors `{}`, which the {} metadata does not have",
                    d.operation, d.like, api.version
                )
            })?;
        let mut op = like.clone();
        op.method = method;
        op.id = d.operation.clone();
        op.description = Some(format!(
            "Documented by Microsoft (reference page `{}`); the metadata declares `{}`.",
            d.page, d.like
        ));
        for header in &d.headers {
            op.headers.push(crate::model::HeaderParam {
                name: header.clone(),
                required: false,
                description: None,
            });
        }
        api.operations.push(op);
    }
    api.sort_operations();
    Ok(())
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateConfig {
    pub path: PathBuf,
    pub library: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiConfig {
    pub version: String,
    pub module: String,
    pub inputs: Vec<PathBuf>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasConfig {
    pub path: String,
    pub target: String,
}

/// A group of paths that belong together: an endpoint family.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub paths: Vec<String>,
}

impl Family {
    /// Whether a path template belongs to this family.
    pub fn matches(&self, path: &ModelPath) -> bool {
        self.matches_template(&path.to_string())
    }

    /// Whether a path template, as a document writes it, belongs to this family.
    pub fn matches_template(&self, path: &str) -> bool {
        self.paths
            .iter()
            .any(|pattern| match pattern.strip_suffix("/**") {
                Some(prefix) => path == prefix || path.starts_with(&format!("{prefix}/")),
                None => path == pattern,
            })
    }
}

impl Config {
    /// Reads the configuration file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn aliases(&self) -> Vec<Alias> {
        self.aliases
            .iter()
            .map(|a| Alias {
                path: a.path.clone(),
                target: a.target.clone(),
            })
            .collect()
    }
}

/// The permissions table: API version → `"METHOD /path"` → permissions.
pub type PermissionsTable = BTreeMap<String, BTreeMap<String, Permissions>>;

/// Reads a permissions table (`specs/permissions.toml`).
pub fn load_permissions(path: &Path) -> Result<PermissionsTable, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Attaches the table's permissions to an API's operations. A key that names no operation is
/// an error (a typo would otherwise silently drop permissions).
pub fn apply_permissions(
    api: &mut Api,
    table: &PermissionsTable,
    file: &str,
) -> Result<(), String> {
    let Some(entries) = table.get(&api.version) else {
        return Ok(());
    };
    for (key, permissions) in entries {
        let op = api
            .operations
            .iter_mut()
            .find(|op| format!("{} {}", op.method, op.path) == *key)
            .ok_or_else(|| {
                format!(
                    "{file}: [{}] \"{key}\" names no operation of the {} specs",
                    api.version, api.version
                )
            })?;
        op.permissions = Some(permissions.clone());
    }
    Ok(())
}

/// The aliases Graph serves, for documents that come without a configuration.
pub fn default_aliases() -> Vec<Alias> {
    vec![Alias {
        path: "/me".into(),
        target: "/users/{user-id}".into(),
    }]
}
