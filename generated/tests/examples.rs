//! Every example of Microsoft's docs (`../shared/graph-metadata/examples/examples.json`, both
//! versions) works with the crate: the request body deserializes into the operation's input
//! and serializes back to an equal JSON value; the operation built from the documented URL
//! sends the documented method, path, query and body; and the documented response parses into
//! the operation's output and serializes back to an equal JSON value. The test walks the whole
//! file, so a new example is covered by dropping it in; an example of an operation the table
//! in `support/examples.rs` does not know fails with its name.
//!
//! v1.0 examples run against the `v1_0` module, beta ones against `beta`.

mod support;

use serde_json::Value;
use support::examples::{Example, load, operation};

/// Checks the request an operation sends against the example, then parses the documented
/// response with it and checks that the output serializes back to the same JSON.
fn exchange(example: &Example) {
    let what = format!(
        "example {} ({} {})",
        example.index, example.version, example.operation
    );
    let op = operation(example);
    let request = op.request();
    assert_eq!(request.method().as_str(), example.method, "{what}: method");
    assert_eq!(
        support::decoded(&request.uri().to_string()),
        example.expected_url("https://graph.microsoft.com"),
        "{what}: URL"
    );
    match &example.request_body {
        Some(body) => {
            let sent: Value = serde_json::from_slice(request.body())
                .unwrap_or_else(|e| panic!("{what}: body is not JSON: {e}"));
            assert_eq!(&sent, body, "{what}: body");
        }
        None => assert!(request.body().is_empty(), "{what}: no body expected"),
    }
    if let Some(prefer) = example.header("prefer") {
        let sent = request
            .headers()
            .get("prefer")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            sent.contains(&prefer),
            "{what}: Prefer {prefer} not in {sent:?}"
        );
    }
    let response = support::response(example.status, example.response_body.as_ref());
    let output = op
        .parse(response)
        .unwrap_or_else(|e| panic!("{what}: the response does not parse: {e}"));
    match &example.response_body {
        Some(body) => assert_eq!(
            &output, body,
            "{what}: the response's round trip changed the JSON"
        ),
        None => assert!(
            output.is_null(),
            "{what}: no response body, but the output is {output}"
        ),
    }
}

#[test]
fn every_documented_example_round_trips_through_its_operation() {
    let examples = load();
    assert!(
        examples.len() >= 58,
        "examples.json holds {} valid examples",
        examples.len()
    );
    let mut failures = Vec::new();
    for example in &examples {
        if let Err(panic) = std::panic::catch_unwind(|| exchange(example)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(message);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples fail:\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n\n")
    );
}

#[test]
fn only_the_invalid_json_example_is_skipped() {
    let path = support::graph_metadata().join("examples/examples.json");
    let all: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let skipped: Vec<&str> = all
        .iter()
        .filter(|e| e.get("invalid_json") == Some(&Value::Bool(true)))
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["timeoffreason-list"]);
}
