//! The record of the Microsoft documents a spec was derived from (`specs/<version>/sources.toml`,
//! written by `cargo xtask update`): each document's name (a file name or a URL), hash and
//! size. Codegen reads it as an input of its API version and copies it into the lock, so that
//! `cargo xtask codegen --check` knows what the generated code comes from.

use serde::{Deserialize, Serialize};

/// The record's file name, beside the spec it describes.
pub const SOURCES_FILE: &str = "sources.toml";

/// One source document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    /// Its file name, or its URL.
    pub name: String,
    /// `sha256:<hex>` of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "source")]
    sources: Vec<SourceRecord>,
}

/// The record's text, for the API version `version` whose spec is `spec`.
pub fn render(version: &str, spec: &str, sources: &[SourceRecord]) -> String {
    let mut out = format!(
        "# The Microsoft documents `cargo xtask update --api {version}` derived {spec} from.\n\
         # Written by the command: do not edit.\n"
    );
    for s in sources {
        out.push_str(&format!(
            "\n[[source]]\nname = {}\nsha256 = {}\nbytes = {}\n",
            quote(&s.name),
            quote(&s.sha256),
            s.bytes
        ));
    }
    out
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads a record; `file` names it in errors.
pub fn parse(text: &str) -> Result<Vec<SourceRecord>, toml::de::Error> {
    toml::from_str::<File>(text).map(|f| f.sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_as_written() {
        let sources = vec![
            SourceRecord {
                name: "https://example.com/a \"b\".xml".into(),
                sha256: "sha256:00".into(),
                bytes: 12,
            },
            SourceRecord {
                name: "c.yaml".into(),
                sha256: "sha256:01".into(),
                bytes: 3,
            },
        ];
        let text = render("beta", "openapi.yaml", &sources);
        assert!(text.starts_with("# The Microsoft documents"), "{text}");
        assert_eq!(parse(&text).unwrap(), sources);
    }
}
