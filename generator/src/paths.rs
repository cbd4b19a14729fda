//! Path patterns, the one grammar that selects paths (`specs/codegen.toml`'s families), and
//! the filter that limits which paths a CSDL container is derived along.
//!
//! A pattern is a path template that selects that path exactly
//! (`/teams/{team-id}/schedule`), or that ends in `/**` and selects the path and everything
//! below it (`/users/{user-id}/settings/workHoursAndLocations/**`). Patterns compare segment
//! by segment with paths as documents write them (keys as `{name}`, calls with their inline
//! parameters).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

use crate::model::{Path, Segment};

/// A parsed path pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPattern {
    /// As written in the configuration.
    text: String,
    /// The segments before any `/**`.
    prefix: Vec<String>,
    /// Whether it ends in `/**`.
    recursive: bool,
}

/// Why a pattern cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("path pattern `{pattern}`: {reason}")]
pub struct PatternError {
    /// The pattern as written.
    pub pattern: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl PathPattern {
    /// Reads a pattern: `/` then segments, optionally ending in `/**`.
    pub fn parse(text: &str) -> Result<PathPattern, PatternError> {
        let error = |reason| PatternError {
            pattern: text.to_string(),
            reason,
        };
        let Some(rest) = text.strip_prefix('/') else {
            return Err(error("a pattern starts with `/`"));
        };
        let (rest, recursive) = match rest.strip_suffix("**") {
            Some(r) if r.is_empty() || r.ends_with('/') => (r.trim_end_matches('/'), true),
            _ => (rest, false),
        };
        let prefix: Vec<String> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').map(str::to_string).collect()
        };
        if prefix.iter().any(String::is_empty) {
            return Err(error("a pattern has no empty segment"));
        }
        if prefix.iter().any(|s| s.contains("**")) {
            return Err(error("`**` may only end a pattern, as `/**`"));
        }
        Ok(PathPattern {
            text: text.to_string(),
            prefix,
            recursive,
        })
    }

    /// Whether the pattern selects `path`.
    pub fn matches(&self, path: &Path) -> bool {
        self.matches_segments(path.segments.iter().map(segment_text))
    }

    /// Whether the pattern selects a path template as a document writes it (`/users/{user-id}`).
    pub fn matches_template(&self, template: &str) -> bool {
        self.matches_segments(template_segments(template))
    }

    /// Whether some path at or below `path` may be selected: `/users` may lead into
    /// `/users/{user-id}/settings/**`, `/groups` may not.
    pub fn may_lead_into(&self, path: &Path) -> bool {
        let mut pattern = self.prefix.iter();
        for segment in &path.segments {
            match pattern.next() {
                Some(expected) if *expected == segment_text(segment) => {}
                Some(_) => return false,
                None => return self.recursive,
            }
        }
        true
    }

    fn matches_segments<'s>(&self, segments: impl Iterator<Item = Cow<'s, str>>) -> bool {
        let mut pattern = self.prefix.iter();
        for segment in segments {
            match pattern.next() {
                Some(expected) if *expected == segment => {}
                Some(_) => return false,
                None => return self.recursive,
            }
        }
        pattern.next().is_none()
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for PathPattern {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PathPattern::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A segment as a document writes it.
fn segment_text(segment: &Segment) -> Cow<'_, str> {
    match segment {
        Segment::Literal(l) => Cow::Borrowed(l),
        _ => Cow::Owned(Path::new(vec![segment.clone()]).to_string()[1..].to_string()),
    }
}

/// The segments of a template (empty for `/`).
fn template_segments(template: &str) -> impl Iterator<Item = Cow<'_, str>> {
    template
        .strip_prefix('/')
        .unwrap_or(template)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(Cow::Borrowed)
}

/// Which paths to derive from a CSDL container: `descend` prunes subtrees, `keep` selects
/// operations.
pub trait PathFilter {
    /// Whether some path at or below `path` can be kept.
    fn descend(&self, path: &Path) -> bool;
    /// Whether the operations of `path` are kept.
    fn keep(&self, path: &Path) -> bool;
    /// Whether paths that lead to a resource of a shape already derived elsewhere become links
    /// to it (so that recursive containment is derived once, and every path stays reachable),
    /// instead of being derived again up to a fixed depth.
    fn share(&self) -> bool {
        false
    }
}

/// Every path, with recursive containment shared as links.
#[derive(Clone, Copy, Debug)]
pub struct AllPaths;

impl PathFilter for AllPaths {
    fn descend(&self, _: &Path) -> bool {
        true
    }
    fn keep(&self, _: &Path) -> bool {
        true
    }
    fn share(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_like_paths() {
        let p = PathPattern::parse("/users/{user-id}/settings/**").unwrap();
        assert!(p.matches_template("/users/{user-id}/settings"));
        assert!(p.matches_template("/users/{user-id}/settings/a/b"));
        assert!(!p.matches_template("/users/{user-id}/settingsX"));
        assert!(!p.matches_template("/users/{user-id}"));
        let exact = PathPattern::parse("/a/b").unwrap();
        assert!(exact.matches_template("/a/b") && !exact.matches_template("/a/b/c"));
        let all = PathPattern::parse("/**").unwrap();
        assert!(all.matches_template("/") && all.matches_template("/x/y"));
    }

    #[test]
    fn calls_and_counts_match_as_written() {
        let p = PathPattern::parse("/a/microsoft.graph.f(x='{x}')").unwrap();
        let path = Path::new(vec![
            Segment::Literal("a".into()),
            Segment::Call {
                name: "microsoft.graph.f".into(),
                params: vec![crate::model::CallParam {
                    name: "x".into(),
                    ty: crate::model::TypeRef::Primitive(crate::model::Primitive::String),
                    nullable: false,
                }],
            },
        ]);
        assert!(p.matches(&path));
        let count = PathPattern::parse("/a/$count").unwrap();
        assert!(count.matches(&Path::new(vec![
            Segment::Literal("a".into()),
            Segment::Count
        ])));
    }

    #[test]
    fn malformed_patterns_are_refused() {
        for (text, reason) in [
            ("users/**", "starts with"),
            ("/users//x", "empty segment"),
            ("/users/**/x", "`**`"),
            ("/users/a**", "`**`"),
        ] {
            let e = PathPattern::parse(text).unwrap_err();
            assert!(e.to_string().contains(reason), "{text}: {e}");
        }
    }
}
