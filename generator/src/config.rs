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
        let path = path.to_string();
        self.paths.iter().any(|pattern| match pattern.strip_suffix("/**") {
            Some(prefix) => path == prefix || path.starts_with(&format!("{prefix}/")),
            None => &path == pattern,
        })
    }
}

impl Config {
    /// Reads the configuration file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn aliases(&self) -> Vec<Alias> {
        self.aliases.iter().map(|a| Alias { path: a.path.clone(), target: a.target.clone() }).collect()
    }
}

/// The permissions table: API version → `"METHOD /path"` → permissions.
pub type PermissionsTable = BTreeMap<String, BTreeMap<String, Permissions>>;

/// Reads a permissions table (`specs/permissions.toml`).
pub fn load_permissions(path: &Path) -> Result<PermissionsTable, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Attaches the table's permissions to an API's operations. A key that names no operation is
/// an error (a typo would otherwise silently drop permissions).
pub fn apply_permissions(api: &mut Api, table: &PermissionsTable, file: &str) -> Result<(), String> {
    let Some(entries) = table.get(&api.version) else { return Ok(()) };
    for (key, permissions) in entries {
        let op = api
            .operations
            .iter_mut()
            .find(|op| format!("{} {}", op.method, op.path) == *key)
            .ok_or_else(|| format!("{file}: [{}] \"{key}\" names no operation of the {} specs", api.version, api.version))?;
        op.permissions = Some(permissions.clone());
    }
    Ok(())
}

/// The aliases Graph serves, for documents that come without a configuration.
pub fn default_aliases() -> Vec<Alias> {
    vec![Alias { path: "/me".into(), target: "/users/{user-id}".into() }]
}
