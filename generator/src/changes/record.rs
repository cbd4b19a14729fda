//! The record of the models a generation emitted (`codegen.model.json`, beside the lock), which
//! the next `cargo xtask codegen` compares against to report what it changed.
//!
//! One type or operation per line, so that the record's own diff in a pull request is readable.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::model::{Api, GRAPH_NAMESPACE, Link, ObjectKind, Operation, Response, TypeDef};

/// The record's file name, at the root of the generated crate.
pub const RECORD_FILE: &str = "codegen.model.json";

/// One version module's model.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The Rust module: `beta`, `v1_0`.
    pub module: String,
    /// The documents it was generated from.
    pub inputs: Vec<String>,
    /// The model.
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
    /// Absent from records written before the model held the namespace.
    #[serde(default)]
    namespace: Option<String>,
    types: BTreeMap<String, TypeDef>,
    operations: Vec<Operation>,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    corrections: BTreeMap<String, String>,
}

/// The record's text.
pub fn render(apis: &[Recorded]) -> String {
    let mut out = String::from("{\"apis\": [\n");
    for (i, r) in apis.iter().enumerate() {
        let _ = write!(
            out,
            "{{\"module\": {}, \"inputs\": {}, \"version\": {}, \"namespace\": {}, \"types\": {{",
            json(&r.module),
            json(&r.inputs),
            json(&r.api.version),
            json(&r.api.namespace)
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
        out.push_str("\n]");
        if !r.api.corrections.is_empty() {
            out.push_str(", \"corrections\": {");
            for (j, (key, why)) in r.api.corrections.iter().enumerate() {
                let _ = write!(
                    out,
                    "{}\n{}: {}",
                    if j == 0 { "" } else { "," },
                    json(key),
                    json(why)
                );
            }
            out.push_str("\n}");
        }
        let _ = writeln!(out, "}}{}", if i + 1 == apis.len() { "" } else { "," });
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
        .map(|a| {
            let legacy = a.namespace.is_none();
            let mut api = Api {
                version: a.version,
                namespace: a.namespace.unwrap_or_default(),
                types: a.types,
                operations: a.operations,
                links: a.links,
                corrections: a.corrections,
            };
            if legacy {
                upgrade(&mut api);
            }
            Recorded {
                module: a.module,
                inputs: a.inputs,
                api,
            }
        })
        .collect())
}

/// Restores in a record written before the model held them the facts the generator derived
/// then: Graph's namespace, updates that may answer no content, and the action of each
/// parameters object (from its name, `<action>.Parameters<N>`).
fn upgrade(api: &mut Api) {
    api.namespace = GRAPH_NAMESPACE.to_string();
    for op in &mut api.operations {
        if let Response::Single(ty) = &op.response {
            op.response = Response::single(op.method, ty.clone());
        }
    }
    for def in api.types.values_mut() {
        if let TypeDef::Object(o) = def {
            if let ObjectKind::ActionParameters { action } = &mut o.kind {
                if action.is_empty() {
                    *action = o
                        .name
                        .trim_end_matches(|c: char| c.is_ascii_digit())
                        .trim_end_matches(".Parameters")
                        .to_string();
                }
            }
        }
    }
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
