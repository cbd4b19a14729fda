//! Broken or odd documents: each gives a clear error (or warning) that names the file and the
//! place, and never a panic. The messages are snapshotted: they are part of the product.

use codegen::load::{LoadError, Loaded, load_str};

fn load(file: &str, text: &str) -> Result<Loaded, LoadError> {
    load_str(text, file)
}

fn error(file: &str, text: &str) -> String {
    match load(file, text) {
        Ok(_) => panic!("{file}: loaded, but an error was expected"),
        Err(e) => e.to_string(),
    }
}

/// An OpenAPI document with two GET operations named `id` at `/a` and `/b`, answering
/// `a_type` and `b_type`.
fn two_gets(a_type: &str, b_type: &str) -> String {
    let op = |ty: &str| {
        format!(
            "    get:\n      operationId: item_Get\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: {ty}\n"
        )
    };
    format!(
        "openapi: 3.0.1\ninfo:\n  title: t\n  version: v1.0\npaths:\n  /a:\n{}  /b:\n{}",
        op(a_type),
        op(b_type)
    )
}

#[test]
fn a_duplicate_operation_id_for_the_same_operation_is_a_warning() {
    let loaded = load("dup.yaml", &two_gets("string", "string")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.api.operations.len(), 2);
    let warnings: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.place, w.message))
        .collect();
    insta::assert_snapshot!(warnings.join("\n"), @"#/paths/~1b/get: duplicate operationId `item_Get` (also used by GET /a): the same operation at two paths; both are generated");
}

#[test]
fn a_duplicate_operation_id_for_different_operations_is_an_error() {
    insta::assert_snapshot!(error("dup.yaml", &two_gets("string", "integer")), @"dup.yaml: #/paths/~1b/get: duplicate operationId `item_Get` (also used by GET /a, which is a different operation)");
}
