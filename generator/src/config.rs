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
//! sources = ["https://..."]   # Microsoft's documents `cargo xtask update` derives them from
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
//! A family path is a [`PathPattern`]: it selects one path exactly, or, ending in `/**`, a
//! path and everything below it. A top-level `permissions = "permissions.toml"` names the
//! table of each operation's least-privileged permissions (see that file). `[[correction]]`s
//! are the project's corrections of Microsoft's metadata ([`crate::corrections`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::corrections::{Correction, CorrectionError};
use crate::model::{Alias, Api, Path as ModelPath, Permissions};
use crate::paths::{PathFilter, PathPattern};

/// `specs/codegen.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The generated crate.
    #[serde(rename = "crate")]
    pub krate: CrateConfig,
    /// One entry per API version.
    #[serde(rename = "api", default)]
    pub apis: Vec<ApiConfig>,
    /// Entry points that stand for another path.
    #[serde(rename = "alias", default)]
    pub aliases: Vec<Alias>,
    /// The endpoint families the crate covers (none: whole documents).
    #[serde(rename = "family", default)]
    pub families: Vec<Family>,
    /// The permissions table, relative to `specs/`.
    #[serde(default)]
    pub permissions: Option<PathBuf>,
    /// The project's corrections of Microsoft's metadata (see [`crate::corrections`]).
    #[serde(rename = "correction", default)]
    pub corrections: Vec<Correction>,
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A file cannot be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not the TOML it should be.
    #[error("{}: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where and why.
        source: toml::de::Error,
    },
    /// A `[[correction]]` cannot be read or applied.
    #[error(transparent)]
    Correction(#[from] CorrectionError),
}

/// Reads a TOML file into `T`.
fn read_toml<T: DeserializeOwned>(path: &Path) -> Result<T, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse {
        path: path.to_path_buf(),
        source,
    })
}

impl Config {
    /// Reads the configuration file, and checks its corrections.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let config: Config = read_toml(path)?;
        crate::corrections::check(&config.corrections)?;
        Ok(config)
    }
}

/// The generated crate.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateConfig {
    /// Its directory, relative to the workspace.
    pub path: PathBuf,
    /// Its library name, for examples in docs.
    pub library: String,
}

/// One API version of the crate.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiConfig {
    /// The URL segment: `beta`, `v1.0`.
    pub version: String,
    /// The Rust module (and cargo feature): `beta`, `v1_0`.
    pub module: String,
    /// The documents, relative to `specs/`, merged in order.
    pub inputs: Vec<PathBuf>,
    /// The Microsoft documents `cargo xtask update` derives the spec from when it is given none:
    /// paths (relative to `specs/`, `${NAME}` standing for an environment variable) or URLs.
    #[serde(default)]
    pub sources: Vec<String>,
}

impl ApiConfig {
    /// Where `cargo xtask update` finds its default sources: URLs as written, paths with
    /// `${NAME}` and `${NAME:-default}` read from the environment and taken relative to
    /// `specs_dir`.
    pub fn source_locations(&self, specs_dir: &Path) -> Result<Vec<String>, String> {
        self.sources
            .iter()
            .map(|s| {
                let expanded = expand_variables(s, |name| std::env::var(name).ok())?;
                Ok(if is_url(&expanded) {
                    expanded
                } else {
                    specs_dir.join(expanded).display().to_string()
                })
            })
            .collect()
    }
}

/// Whether a source location is an `http(s)` URL.
pub fn is_url(location: &str) -> bool {
    location.starts_with("http://") || location.starts_with("https://")
}

/// `${NAME}` and `${NAME:-default}` replaced by `lookup(NAME)` (an empty value counts as unset).
fn expand_variables(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| format!("`{text}`: `${{` without `}}`"))?;
        let inner = &rest[start + 2..start + end];
        let (name, default) = match inner.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (inner, None),
        };
        match (lookup(name).filter(|v| !v.is_empty()), default) {
            (Some(value), _) => out.push_str(&value),
            (None, Some(default)) => out.push_str(default),
            (None, None) => {
                return Err(format!(
                    "`{text}`: the environment variable {name} is not set"
                ));
            }
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A group of paths that belong together: an endpoint family.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// Its name (`work-hours-and-locations`).
    pub name: String,
    /// What it covers, in a sentence.
    #[serde(default)]
    pub description: Option<String>,
    /// The paths it selects.
    pub paths: Vec<PathPattern>,
}

impl Family {
    /// Whether a path belongs to this family.
    pub fn matches(&self, path: &ModelPath) -> bool {
        self.paths.iter().any(|p| p.matches(path))
    }

    /// Whether a path template, as a document writes it, belongs to this family.
    pub fn matches_template(&self, template: &str) -> bool {
        self.paths.iter().any(|p| p.matches_template(template))
    }
}

/// Whether any of `families` selects `path`.
pub fn in_families(families: &[Family], path: &ModelPath) -> bool {
    families.iter().any(|f| f.matches(path))
}

/// The paths of some families, as a filter for deriving operations from a CSDL container: a
/// path is followed while it can still lead into a family.
#[derive(Clone, Copy, Debug)]
pub struct FamilyFilter<'a> {
    /// The families.
    pub families: &'a [Family],
}

impl PathFilter for FamilyFilter<'_> {
    fn descend(&self, path: &ModelPath) -> bool {
        self.families
            .iter()
            .flat_map(|f| &f.paths)
            .any(|p| p.may_lead_into(path))
    }

    fn keep(&self, path: &ModelPath) -> bool {
        in_families(self.families, path)
    }
}

/// The permissions table: API version → `"METHOD /path"` → permissions.
pub type PermissionsTable = BTreeMap<String, BTreeMap<String, Permissions>>;

/// Reads a permissions table (`specs/permissions.toml`).
pub fn load_permissions(path: &Path) -> Result<PermissionsTable, ConfigError> {
    read_toml(path)
}

/// Attaches the table's permissions to an API's operations. Returns the keys that name no
/// operation (a typo, or an operation Microsoft removed), apart from `skipped`: the operations
/// of corrections that were skipped (and reported). The caller reports them: an update that
/// removes an operation is not blocked by its stale entry, and the tests reject stale entries.
pub fn apply_permissions(
    api: &mut Api,
    table: &PermissionsTable,
    skipped: &[String],
) -> Vec<String> {
    let Some(entries) = table.get(&api.version) else {
        return Vec::new();
    };
    let mut unknown = Vec::new();
    for (key, permissions) in entries {
        match api.operations.iter_mut().find(|op| op.key() == *key) {
            Some(op) => op.permissions = Some(permissions.clone()),
            None if skipped.contains(key) => {}
            None => unknown.push(key.clone()),
        }
    }
    unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Segment;

    fn path(s: &str) -> ModelPath {
        ModelPath::new(
            s.trim_start_matches('/')
                .split('/')
                .map(
                    |seg| match seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                        Some(param) => Segment::Key {
                            param: param.into(),
                        },
                        None => Segment::Literal(seg.into()),
                    },
                )
                .collect(),
        )
    }

    #[test]
    fn the_filter_follows_paths_into_families_only() {
        let families = vec![Family {
            name: "f".into(),
            description: None,
            paths: [
                "/users/{user-id}/settings/x/**",
                "/teams/{team-id}/schedule",
            ]
            .into_iter()
            .map(|p| PathPattern::parse(p).unwrap())
            .collect(),
        }];
        let filter = FamilyFilter {
            families: &families,
        };
        assert!(filter.descend(&path("/users")));
        assert!(filter.descend(&path("/users/{user-id}/settings")));
        assert!(filter.descend(&path("/users/{user-id}/settings/x/y/z")));
        assert!(!filter.descend(&path("/users/{user-id}/calendar")));
        assert!(!filter.descend(&path("/groups")));
        assert!(filter.descend(&path("/teams/{team-id}/schedule")));
        assert!(!filter.descend(&path("/teams/{team-id}/schedule/shifts")));
        assert!(filter.keep(&path("/users/{user-id}/settings/x")));
        assert!(filter.keep(&path("/users/{user-id}/settings/x/y")));
        assert!(!filter.keep(&path("/users/{user-id}/settings")));
        assert!(filter.keep(&path("/teams/{team-id}/schedule")));
    }

    #[test]
    fn bad_patterns_are_configuration_errors() {
        let e = toml::from_str::<Config>(
            "[crate]\npath = \"g\"\nlibrary = \"g\"\n[[family]]\nname = \"f\"\npaths = [\"users/**\"]\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("path pattern `users/**`"), "{e}");
    }
}

#[cfg(test)]
mod expand_tests {
    use super::expand_variables;

    #[test]
    fn variables_expand_with_defaults() {
        let lookup = |name: &str| (name == "SET").then(|| "/data".to_string());
        assert_eq!(
            expand_variables("${SET}/a.xml", lookup).unwrap(),
            "/data/a.xml"
        );
        assert_eq!(
            expand_variables("${UNSET:-../x}/a.xml", lookup).unwrap(),
            "../x/a.xml"
        );
        assert_eq!(expand_variables("plain", lookup).unwrap(), "plain");
        let unset = expand_variables("${UNSET}/a", lookup).unwrap_err();
        assert!(unset.contains("UNSET is not set"), "{unset}");
        assert!(expand_variables("${OPEN", lookup).is_err());
    }
}
