//! The one place YAML is parsed, with the checks that give broken documents a clear error
//! before the schema parser sees them. `serde_norway` is the maintained fork of `serde_yaml`.

use std::collections::HashMap;

use openapiv3::OpenAPI;

use crate::load::LoadError;

/// A parsed document, with what the schema parser drops: the descriptions written beside a
/// `$ref` (OpenAPI 3.0 ignores a reference's siblings, yet documents describe properties so),
/// by the JSON pointer of the reference (`#/components/schemas/x/properties/createdBy`).
pub(super) struct Parsed {
    pub doc: OpenAPI,
    pub ref_descriptions: HashMap<String, String>,
}

/// Parses an OpenAPI 3.0 document (YAML or JSON).
pub(super) fn parse(text: &str, file: &str) -> Result<Parsed, LoadError> {
    let err = |place: String, message: String| LoadError {
        file: file.to_string(),
        place,
        message,
    };
    if text.trim().is_empty() {
        return Err(err("document".into(), "the document is empty".into()));
    }
    // The YAML parser takes time quadratic in the nesting of flow collections before its own
    // recursion limit stops it: refuse absurd nesting up front.
    if let Some((line, column)) = too_deep_flow(text, MAX_FLOW_DEPTH) {
        return Err(err(
            format!("line {line}, column {column}"),
            format!("collections nested deeper than {MAX_FLOW_DEPTH} levels"),
        ));
    }
    // Look at the version first, so that Swagger 2.0 or OpenAPI 3.1 get a clear message rather
    // than a confusing schema error.
    let value: serde_norway::Value =
        serde_norway::from_str(text).map_err(|e| err(yaml_place(&e), e.to_string()))?;
    let Some(map) = value.as_mapping() else {
        return Err(err(
            "document".into(),
            "expected a mapping (an OpenAPI object) at the top level".into(),
        ));
    };
    if let Some(swagger) = map.get("swagger") {
        return Err(err(
            "#/swagger".into(),
            format!(
                "Swagger {} documents are not supported; convert to OpenAPI 3.0 first",
                scalar(swagger)
            ),
        ));
    }
    match map.get("openapi") {
        None => {
            return Err(err(
                "#/openapi".into(),
                "missing the `openapi` version field".into(),
            ));
        }
        Some(v) => {
            let version = scalar(v);
            if !version.starts_with("3.0") {
                return Err(err(
                    "#/openapi".into(),
                    format!("OpenAPI {version} is not supported; only OpenAPI 3.0.x documents are"),
                ));
            }
        }
    }
    let mut ref_descriptions = HashMap::new();
    collect_ref_descriptions(&value, "#".into(), &mut ref_descriptions);
    let doc = serde_path_to_error::deserialize(value).map_err(|e| {
        let place = match e.path().to_string() {
            path if path == "." => "document".to_string(),
            path => format!("at {path}"),
        };
        err(
            place,
            format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
        )
    })?;
    Ok(Parsed {
        doc,
        ref_descriptions,
    })
}

/// The descriptions beside a `$ref`, by the reference's pointer.
fn collect_ref_descriptions(
    value: &serde_norway::Value,
    at: String,
    out: &mut HashMap<String, String>,
) {
    use serde_norway::Value;
    match value {
        Value::Mapping(map) => {
            if map.contains_key("$ref") {
                if let Some(text) = map.get("description").and_then(Value::as_str) {
                    out.insert(at, text.to_string());
                }
                return;
            }
            for (key, child) in map {
                let key = key.as_str().unwrap_or_default();
                collect_ref_descriptions(child, format!("{at}/{}", super::pointer_token(key)), out);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_ref_descriptions(item, format!("{at}/{i}"), out);
            }
        }
        Value::Tagged(tagged) => collect_ref_descriptions(&tagged.value, at, out),
        _ => {}
    }
}

fn scalar(v: &serde_norway::Value) -> String {
    match v {
        serde_norway::Value::String(s) => s.clone(),
        serde_norway::Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

fn yaml_place(e: &serde_norway::Error) -> String {
    match e.location() {
        Some(l) => format!("line {}, column {}", l.line(), l.column()),
        None => "document".into(),
    }
}

/// Deeper flow collections (`[`, `{`) than any real document has.
const MAX_FLOW_DEPTH: usize = 128;

/// Where flow collections first nest deeper than `max`, ignoring quoted text and comments (an
/// approximation of YAML's grammar that errs on the side of letting the parser decide).
fn too_deep_flow(text: &str, max: usize) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    for c in text.chars() {
        column += 1;
        match (quote, c) {
            (_, '\n') => {
                line += 1;
                column = 0;
                comment = false;
            }
            _ if comment => {}
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => comment = true,
            (None, '[' | '{') => {
                depth += 1;
                if depth > max {
                    return Some((line, column));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    None
}
