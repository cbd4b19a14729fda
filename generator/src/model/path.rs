//! Paths: templates made of segments, links between paths, and aliases.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::TypeRef;

/// A path whose operations and children are those of another path, relative to itself:
/// `/users/{user-id}/mailFolders/{mailFolder-id}/childFolders` is like `/users/{user-id}/mailFolders`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Link {
    /// The path that leads to the resource.
    pub path: Path,
    /// The path that describes it.
    pub target: Path,
}

/// An entry point Graph serves as another path: `/me` for `/users/{user-id}`, for the
/// signed-in user. Navigation from an alias is the target's, with another path prefix.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The path the entry point sends: `/me`.
    pub path: String,
    /// The path it stands for: `/users/{user-id}`.
    pub target: String,
}

impl Alias {
    /// The aliases Graph serves, for documents that come without a configuration.
    pub fn graph() -> Vec<Alias> {
        vec![Alias {
            path: "/me".into(),
            target: "/users/{user-id}".into(),
        }]
    }
}

/// A URL path template: `/users/{user-id}/settings/...`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Path {
    /// The `/`-separated pieces, in order.
    pub segments: Vec<Segment>,
}

/// One `/`-separated piece of a path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Segment {
    /// A fixed name: an entity set, singleton or navigation property.
    Literal(String),
    /// A key addressing one member of a collection: `{user-id}`.
    Key {
        /// The parameter's name: `user-id`.
        param: String,
    },
    /// `$count`.
    Count,
    /// A bound action or function, by qualified name, with the function's inline parameters.
    Call {
        /// Qualified name: `microsoft.graph.occurrencesView`.
        name: String,
        /// The function's parameters, written inline (none for an action).
        params: Vec<CallParam>,
    },
}

/// A function parameter that is written inline in the path: `startDateTime='...'`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CallParam {
    /// The parameter's name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether `null` may be passed.
    pub nullable: bool,
}

impl Path {
    /// The path of `segments`.
    pub fn new(segments: Vec<Segment>) -> Path {
        Path { segments }
    }

    /// The path as Graph is sent it: bound actions and functions of `namespace` without their
    /// namespace, the way Microsoft documents them (`/users/{user-id}/occurrencesView(...)`).
    pub fn sent(&self, namespace: &str) -> String {
        let written = self.to_string();
        if namespace.is_empty() {
            return written;
        }
        written.replace(&format!("/{namespace}."), "/")
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("/");
        }
        for segment in &self.segments {
            f.write_str("/")?;
            match segment {
                Segment::Literal(s) => f.write_str(s)?,
                Segment::Key { param } => write!(f, "{{{param}}}")?,
                Segment::Count => f.write_str("$count")?,
                Segment::Call { name, params } => {
                    f.write_str(name)?;
                    if !params.is_empty() {
                        f.write_str("(")?;
                        for (i, p) in params.iter().enumerate() {
                            if i > 0 {
                                f.write_str(",")?;
                            }
                            write!(f, "{0}='{{{0}}}'", p.name)?;
                        }
                        f.write_str(")")?;
                    }
                }
            }
        }
        Ok(())
    }
}
