//! Shared by the integration tests: finding Microsoft's reference data in `../shared`, and
//! reading the HTTP examples of the seed documents.
#![allow(dead_code)]

pub mod examples;

use std::path::PathBuf;

/// `../shared/graph-metadata`, or `$GRAPH_METADATA`. Panics with an explanation when absent:
/// these tests exist to check the crate against reality, and must not pass silently without it.
pub fn graph_metadata() -> PathBuf {
    locate("GRAPH_METADATA", "graph-metadata")
}

/// `../shared/seeds`, or `$GRAPH_SEEDS`.
pub fn seeds() -> PathBuf {
    locate("GRAPH_SEEDS", "seeds")
}

fn locate(variable: &str, folder: &str) -> PathBuf {
    let candidate = match std::env::var_os(variable) {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared")
            .join(folder),
    };
    if !candidate.is_dir() {
        panic!(
            "this test reads Microsoft's reference data from {} (set ${variable} to its location); \
             it was not found. `.ci/run` sets it to ../shared/{folder} beside the clone.",
            candidate.display()
        );
    }
    candidate
}

/// One HTTP exchange documented in a seed page.
#[derive(Debug)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    pub request_body: Option<serde_json::Value>,
    pub status: u16,
    pub response_body: Option<serde_json::Value>,
}

/// Reads the example request (`POST https://...` + JSON) and response (`HTTP/1.1 201 ...` +
/// JSON) of a seed page.
pub fn seed_exchange(file: &str) -> Exchange {
    let path = seeds().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines: Vec<&str> = text.lines().collect();
    let request_line = lines
        .iter()
        .position(|l| {
            ["GET ", "POST ", "PUT ", "PATCH ", "DELETE "]
                .iter()
                .any(|m| l.starts_with(m))
                && l.contains("https://")
        })
        .unwrap_or_else(|| panic!("{file}: no example request line"));
    let (method, url) = lines[request_line].split_once(' ').expect("method and URL");
    let request_body = json_after(&lines, request_line + 1);
    let status_line = lines
        .iter()
        .position(|l| l.starts_with("HTTP/1.1 "))
        .unwrap_or_else(|| panic!("{file}: no response"));
    let status = lines[status_line]
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let response_body = json_after(&lines, status_line + 1);
    Exchange {
        method: method.to_string(),
        url: url.trim().to_string(),
        request_body,
        status,
        response_body,
    }
}

/// The JSON object that starts on the first line after `from` that starts with `{` (headers
/// come first), ending at the matching `}`.
fn json_after(lines: &[&str], from: usize) -> Option<serde_json::Value> {
    let mut i = from;
    while i < lines.len() && lines[i].contains(':') && !lines[i].starts_with('{') {
        i += 1; // headers
    }
    if i >= lines.len() || !lines[i].starts_with('{') {
        return None;
    }
    let mut depth = 0i32;
    let mut text = String::new();
    for line in &lines[i..] {
        text.push_str(line);
        text.push('\n');
        let mut in_string = false;
        let mut escaped = false;
        for c in line.chars() {
            match (in_string, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, '\\') => escaped = true,
                (true, false, '"') => in_string = false,
                (false, _, '"') => in_string = true,
                (false, _, '{') => depth += 1,
                (false, _, '}') => depth -= 1,
                _ => {}
            }
        }
        if depth == 0 {
            break;
        }
    }
    Some(
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("example JSON does not parse: {e}\n{text}")),
    )
}

/// A URL path with its percent-encoding undone, for comparing with documented URLs that keep
/// placeholders such as `{teamId}` literally.
pub fn decoded(url: &str) -> String {
    percent_encoding::percent_decode_str(url)
        .decode_utf8_lossy()
        .into_owned()
}

/// Serializes a value and checks it equals the JSON it was read from.
pub fn assert_round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(
    json: &serde_json::Value,
) -> T {
    let value: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("does not deserialize: {e}\n{json:#}"));
    let back = serde_json::to_value(&value).expect("serializes");
    assert_eq!(&back, json, "round trip changed the JSON");
    value
}

/// A response as Graph would send it.
pub fn response(status: u16, body: Option<&serde_json::Value>) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(
            body.map(|b| serde_json::to_vec(b).unwrap())
                .unwrap_or_default(),
        )
        .unwrap()
}
