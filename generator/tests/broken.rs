//! Broken or odd documents: each gives a clear error (or warning) that names the file and the
//! place, and never a panic. The messages are snapshotted: they are part of the product.

mod support;

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

/// A minimal valid document with `paths` and `schemas` spliced in.
fn openapi(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.1\ninfo:\n  title: t\n  version: v1.0\npaths:\n{paths}components:\n  schemas:\n{schemas}"
    )
}

/// A GET at `path` answering `schema` (YAML, indented for a response).
fn get(path: &str, schema: &str) -> String {
    format!(
        "  {path}:\n    get:\n      operationId: op_{}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                {schema}\n",
        path.len()
    )
}

const THING: &str =
    "    thing:\n      type: object\n      properties:\n        id:\n          type: string\n";

/// Each broken document, its error snapshotted by name.
macro_rules! broken {
    ($($test:ident: $file:expr, $text:expr;)*) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), error($file, &$text));
        }
    )*};
}

broken! {
    empty_openapi: "empty.yaml", "";
    whitespace_only: "blank.yaml", "  \n\n";
    invalid_yaml: "bad.yaml", "openapi: 3.0.1\npaths: [\n";
    swagger_2: "swagger.yaml", "swagger: '2.0'\ninfo: {title: t, version: v}\npaths: {}\n";
    openapi_3_1: "v31.yaml", "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\n";
    not_a_mapping: "list.yaml", "- a\n- b\n";
    dangling_ref: "dangling.yaml", openapi(&get("/things", "$ref: '#/components/schemas/missing'"), THING);
    cyclic_all_of: "cycle.yaml", openapi(
        &get("/things", "$ref: '#/components/schemas/a'"),
        "    a:\n      allOf:\n        - $ref: '#/components/schemas/b'\n    b:\n      allOf:\n        - $ref: '#/components/schemas/a'\n",
    );
    unknown_type: "type.yaml", openapi(&get("/things", "type: wibble"), THING);
    unbalanced_braces: "braces.yaml", openapi(&get("/things/{thing-id", "$ref: '#/components/schemas/thing'"), THING);
    undeclared_path_parameter: "params.yaml", openapi(&get("/things/{thing-id}", "$ref: '#/components/schemas/thing'"), THING);
    truncated_openapi: "truncated.yaml", {
        let text = std::fs::read_to_string(support::workspace().join("specs/beta/openapi.yaml")).unwrap();
        text[..text.len() * 3 / 5].to_string()
    };
    csdl_missing_type: "missing.xml", r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="a"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><Property Name="b" Type="n.missing"/></EntityType>
<EntityContainer Name="c"><EntitySet Name="as" EntityType="n.a"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>"#;
    csdl_missing_base: "base.xml", r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="a" BaseType="n.gone"><Property Name="b" Type="Edm.String"/></EntityType></Schema></edmx:DataServices></edmx:Edmx>"#;
    csdl_unknown_primitive: "edm.xml", r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<ComplexType Name="a"><Property Name="b" Type="Edm.Wibble"/></ComplexType></Schema></edmx:DataServices></edmx:Edmx>"#;
    truncated_csdl: "truncated.xml", {
        let text = std::fs::read_to_string(support::workspace().join("specs/v1.0/csdl.xml")).unwrap();
        text[..text.len() / 2].to_string()
    };
    empty_csdl: "empty.xml", "<?xml version=\"1.0\"?>";
    unknown_format: "format.yaml", openapi(&get("/things", "type: string\n                format: wibble"), THING);
}

/// Deeply nested documents are errors (the parsers' depth limits), not stack overflows.
#[test]
fn deeply_nested_documents_are_errors_not_crashes() {
    let depth = 100_000;
    let yaml = format!(
        "openapi: 3.0.1\ninfo: {{title: t, version: v}}\npaths: {{}}\nx: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let e = error("deep.yaml", &yaml);
    assert!(e.starts_with("deep.yaml: "), "{e}");
    let xml = format!(
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"x\"><edmx:DataServices>{}{}</edmx:DataServices></edmx:Edmx>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let e = error("deep.xml", &xml);
    assert!(e.starts_with("deep.xml: "), "{e}");
    insta::assert_snapshot!(
        "deep_yaml_and_xml",
        format!("{}\n{}", error("deep.yaml", &yaml), e)
    );
}
