//! The record of the models a generation emitted (`codegen.model.json`, beside the lock), which
//! the next `cargo xtask codegen` compares against to report what it changed.
//!
//! One type or operation per line, so that the record's own diff in a pull request is readable.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::model::{Api, Operation, TypeDef};

/// The record's file name, at the root of the generated crate.
pub const RECORD_FILE: &str = "codegen.model.json";

/// One version module's model.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The Rust module: `beta`, `v1_0`.
    pub module: String,
    /// The documents it was generated from.
    pub inputs: Vec<String>,
    pub api: Api,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    apis: Vec<RecordedApi>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordedApi {
    module: String,
    inputs: Vec<String>,
    version: String,
    types: BTreeMap<String, TypeDef>,
    operations: Vec<Operation>,
    #[serde(default)]
    links: Vec<crate::model::Link>,
}

/// The record's text.
pub fn render(apis: &[Recorded]) -> String {
    let mut out = String::from("{\"apis\": [\n");
    for (i, r) in apis.iter().enumerate() {
        let _ = write!(
            out,
            "{{\"module\": {}, \"inputs\": {}, \"version\": {}, \"types\": {{",
            json(&r.module),
            json(&r.inputs),
            json(&r.api.version)
        );
        for (j, (name, def)) in r.api.types.iter().enumerate() {
            let _ = write!(
                out,
                "{}\n{}: {}",
                if j == 0 { "" } else { "," },
                json(name),
                json(def)
            );
        }
        out.push_str("\n}, \"operations\": [");
        for (j, op) in r.api.operations.iter().enumerate() {
            let _ = write!(out, "{}\n{}", if j == 0 { "" } else { "," }, json(op));
        }
        // Written only when there are links, so records of link-free APIs stay as they were.
        if !r.api.links.is_empty() {
            out.push_str("\n], \"links\": [");
            for (j, link) in r.api.links.iter().enumerate() {
                let _ = write!(out, "{}\n{}", if j == 0 { "" } else { "," }, json(link));
            }
        }
        let _ = write!(out, "\n]}}{}\n", if i + 1 == apis.len() { "" } else { "," });
    }
    out.push_str("]}\n");
    out
}

/// Reads a record; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Vec<Recorded>, String> {
    let parsed: File = serde_json::from_str(text)
        .map_err(|e| format!("{file}: line {}, column {}: {e}", e.line(), e.column()))?;
    Ok(parsed
        .apis
        .into_iter()
        .map(|a| Recorded {
            module: a.module,
            inputs: a.inputs,
            api: Api {
                version: a.version,
                types: a.types,
                operations: a.operations,
                links: a.links,
            },
        })
        .collect())
}

/// Compact JSON of a piece of the model.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("the model is plain data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_as_written() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/specs/inheritance.yaml"
        ))
        .unwrap();
        let api = crate::load::load_str(&text, "inheritance.yaml")
            .unwrap()
            .api;
        let recorded = vec![Recorded {
            module: "beta".into(),
            inputs: vec!["inheritance.yaml".into()],
            api,
        }];
        let text = render(&recorded);
        assert_eq!(parse(&text, "record").unwrap(), recorded);
        assert!(text.lines().count() > recorded[0].api.types.len());
        assert!(
            parse("{\"apis\": [", "record")
                .unwrap_err()
                .starts_with("record: line 1")
        );
    }
}
