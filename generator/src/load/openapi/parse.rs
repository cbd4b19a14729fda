//! The one place YAML is parsed, with the checks that give broken documents a clear error
//! before the schema parser sees them. `serde_norway` is the maintained fork of `serde_yaml`.

use openapiv3::OpenAPI;

use crate::load::LoadError;

/// Parses an OpenAPI 3.0 document (YAML or JSON).
pub(super) fn parse(text: &str, file: &str) -> Result<OpenAPI, LoadError> {
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
    serde_norway::from_value(value).map_err(|e| {
        err(
            "document".into(),
            format!("not a valid OpenAPI 3.0 document: {e}"),
        )
    })
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
