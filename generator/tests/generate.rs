//! `generate` makes standalone crates that compile: from Microsoft's real beta slices, from the
//! project's spec, and from every focused spec. Each crate is checked with `cargo check
//! --offline` (dependencies come from the workspace's lock and the local registry cache), and
//! must compile without warnings.

mod support;

use std::path::Path;
use std::process::Command;
use support::{graph_metadata, workspace};

/// Runs a cargo command (offline, quiet) on the generated crate at `dir`, with the target
/// directory the generated crates share.
fn cargo_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(args)
        .args(["--offline", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/generated-crates/target"),
        )
        .output()
        .expect("cargo runs")
}

/// Generates a crate from `spec` and checks that it compiles without warnings.
fn generate_and_check(spec: &Path, name: &str) {
    let out = workspace().join("target/generated-crates").join(name);
    let summary = codegen::generate(spec, &out, Some(name), None, codegen::Mode::Write)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        summary.operations > 0 && summary.types > 0,
        "{name}: {summary:?}"
    );
    // The same dependency versions as the workspace, without touching the network.
    std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let check = cargo_in(&out, &["check", "--message-format", "short"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{name} does not compile:\n{stderr}");
    assert!(
        !stderr.contains("warning"),
        "{name} compiles with warnings:\n{stderr}"
    );
    check_one_feature(&out, name);
    // Generating again changes nothing.
    let again = codegen::generate(spec, &out, Some(name), None, codegen::Mode::Check).unwrap();
    assert!(
        again.report.is_clean(),
        "{name}: a second generation differs:\n{}",
        again.report.diff
    );
}

/// The module features a generated crate declares (all but the runtime's).
fn module_features(crate_dir: &Path) -> Vec<String> {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap()).unwrap();
    manifest["features"]
        .as_table()
        .unwrap()
        .keys()
        .filter(|k| !matches!(k.as_str(), "default" | "client" | "azure-identity"))
        .cloned()
        .collect()
}

/// With several module features, the crate compiles without warnings with the first alone.
fn check_one_feature(crate_dir: &Path, name: &str) {
    let features = module_features(crate_dir);
    if features.len() < 2 {
        return;
    }
    let one = format!("{},client", features[0]);
    checks_without_warnings(crate_dir, &format!("{name} with {one}"), Some(&one));
}

/// `cargo check` of a generated crate, with `features` alone or its defaults, passes without
/// warnings.
fn checks_without_warnings(crate_dir: &Path, what: &str, features: Option<&str>) {
    let mut args = vec!["check", "--message-format", "short"];
    if let Some(f) = features {
        args.extend(["--no-default-features", "--features", f]);
    }
    let check = cargo_in(crate_dir, &args);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{what} does not compile:\n{stderr}");
    assert!(
        !stderr.contains("warning"),
        "{what} has warnings:\n{stderr}"
    );
}

#[test]
fn standalone_crates_compile() {
    let metadata = graph_metadata();
    generate_and_check(
        &metadata.join("openapi/beta-workhoursandlocations.yaml"),
        "ms-beta-work-hours",
    );
    generate_and_check(
        &metadata.join("openapi/beta-schedule-timeoff.yaml"),
        "ms-beta-schedule",
    );
    generate_and_check(&workspace().join("specs/beta/openapi.yaml"), "project-beta");
    generate_and_check(&workspace().join("specs/v1.0/csdl.xml"), "project-v1");
    for spec in [
        "inheritance.yaml",
        "nullable.yaml",
        "enums.yaml",
        "paging.yaml",
        "calls.yaml",
        "recursion.yaml",
        "query-lists.yaml",
        "capabilities.csdl.xml",
    ] {
        let path = workspace().join("generator/tests/specs").join(spec);
        generate_and_check(
            &path,
            &format!("focused-{}", spec.split('.').next().unwrap()),
        );
    }
}

/// The slice of every version of Microsoft's v1.0 CSDL makes a crate that compiles.
#[test]
fn crates_from_every_csdl_slice_compile() {
    let config = codegen::config::Config::load(&workspace().join("specs/codegen.toml")).unwrap();
    let dir = workspace().join("target/generated-crates/slices");
    std::fs::create_dir_all(&dir).unwrap();
    let files = support::csdl_documents();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let cut = codegen::slice_document(&text, &file.display().to_string(), &config.families)
            .unwrap_or_else(|e| panic!("{e}"));
        let stem = file
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_lowercase()
            .replace('.', "-");
        let slice = dir.join(format!("{stem}.xml"));
        std::fs::write(&slice, &cut.text).unwrap();
        generate_and_check(&slice, &format!("ms-{stem}"));
    }
}

/// Microsoft's whole beta Users module (1.6 MB, with a duplicated operationId for the same
/// operation at two paths) makes a crate that compiles.
#[test]
fn the_whole_beta_users_module_compiles() {
    generate_and_check(
        &graph_metadata().join("openapi/modules-2023-11/beta-Users.yml"),
        "ms-beta-users",
    );
}

/// `generate --config` keeps the configured families of a whole document: the same
/// operations as generating from the document cut down to them.
#[test]
fn generate_with_a_config_keeps_its_families() {
    let config_path = workspace().join("specs/codegen.toml");
    let config = codegen::config::Config::load(&config_path).unwrap();
    let input = graph_metadata().join("csdl/v1.0-Prod-latest.csdl");
    let dir = workspace().join("target/generated-crates/config");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(&input).unwrap();
    let cut = codegen::slice_document(&text, "v1.0-Prod-latest.csdl", &config.families).unwrap();
    let slice = dir.join("slice.xml");
    std::fs::write(&slice, &cut.text).unwrap();

    let operations = |out: &Path| -> Vec<String> {
        let record =
            std::fs::read_to_string(out.join(codegen::changes::record::RECORD_FILE)).unwrap();
        let recorded = codegen::changes::record::parse(&record, "record").unwrap();
        recorded[0]
            .api
            .operations
            .iter()
            .map(|op| format!("{} {}", op.method, op.path))
            .collect()
    };
    let sliced_out = dir.join("from-config");
    let summary = codegen::generate(
        &input,
        &sliced_out,
        Some("from-config"),
        Some(&config_path),
        codegen::Mode::Write,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let cut_out = dir.join("from-cut");
    codegen::generate(
        &slice,
        &cut_out,
        Some("from-cut"),
        None,
        codegen::Mode::Write,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let from_config = operations(&sliced_out);
    assert_eq!(summary.operations, from_config.len());
    let in_families = |op: &String| {
        let path = op.split_once(' ').unwrap().1;
        config.families.iter().any(|f| f.matches_template(path))
    };
    assert!(from_config.iter().all(in_families), "{from_config:#?}");
    // The cut document keeps the entity sets the families go through, so it also has their
    // own operations (`GET /teams`): the families' operations are the same.
    let from_cut: Vec<String> = operations(&cut_out)
        .into_iter()
        .filter(|op| in_families(op))
        .collect();
    assert_eq!(from_config, from_cut);
}

/// Names that fight Rust (`tests/specs/names.yaml`: keywords and std type names, names that
/// collide after case conversion, digits, non-ASCII letters, dashes and dots, empty and
/// numeric enum members, self-containing types) make a crate that compiles without warnings
/// and reads and writes every one of those properties unchanged.
#[test]
fn names_that_fight_rust_compile_and_round_trip() {
    let name = "focused-names";
    generate_and_check(&workspace().join("generator/tests/specs/names.yaml"), name);
    let out = workspace().join("target/generated-crates").join(name);
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(
        out.join("tests/round_trip.rs"),
        r#"
use focused_names::beta::models::{Box, Type, Weird};

#[test]
fn every_name_round_trips() {
    let json = serde_json::json!({
        "type": "t", "self": "s", "Self": "S", "crate": "c", "super": "su", "fn": "f",
        "async": "a", "@odata.id": "i", "odataId": "j", "displayName": null,
        "display_name": "d", "DisplayName": "D", "9lives": 9, "café": "é", "naïve-name": "n",
        "dash-name": "-", "dot.name": ".", "extra": "x", "": "empty",
        "weird": "", "self_type": {"me": {"me": {}}}, "lowerSelf": {"value": "v"},
        "digits": {"count": 1}, "accented": {"crème": "c"},
        "Box": {"inner": {"inner": {}, "boxes": [{}]}, "option": {"some": "s", "None": "n", "back": {}}},
        "Option": {"some": "s"}, "Result": {"ok": true, "Err": "e"}, "String": {"len": 3},
        "unknown": [1, {"deep": null}]
    });
    let value: Type = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(value.type_.as_deref(), Some("t"));
    assert_eq!(value.self_2.as_deref(), Some("S"));
    assert_eq!(value.extra_2.as_deref(), Some("x"));
    assert_eq!(value.empty.as_deref(), Some("empty"));
    assert_eq!(value._9lives, Some(9));
    assert_eq!(value.weird, Some(Weird::Empty));
    assert_eq!(serde_json::to_value(&value).unwrap(), json);
    for (member, wire) in [(Weird::V1, "1"), (Weird::Self2, "self"), (Weird::Unrecognized2, "Unrecognized"), (Weird::All, "*"), (Weird::WithSpace, "with space"), (Weird::AfterFuture, "afterFuture")] {
        assert_eq!(serde_json::to_value(&member).unwrap(), serde_json::json!(wire));
        assert_eq!(serde_json::from_value::<Weird>(serde_json::json!(wire)).unwrap(), member);
    }
    let built = Type::default().with_type("t").with_9lives(9).with_self_2("S").with_box(Box::default());
    assert_eq!(built.type_.as_deref(), Some("t"));
}
"#,
    )
    .unwrap();
    let test = cargo_in(&out, &["test", "--test", "round_trip"]);
    assert!(
        test.status.success(),
        "the names crate's round trip fails:\n{}\n{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
}

/// A property whose field the enabled features leave out (`widget.maker`, whose target
/// `people` does not reach) is kept as unknown and written back unchanged; with the field's
/// feature it is read into the field. Both ways, the fields after it are read.
#[test]
fn a_property_the_features_leave_out_is_kept_and_written_back() {
    let name = "focused-gates";
    generate_and_check(
        &workspace().join("generator/tests/specs/gates.csdl.xml"),
        name,
    );
    let out = workspace().join("target/generated-crates").join(name);
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(
        out.join("tests/gates.rs"),
        r#"
use focused_gates::v1_0::models::Widget;

#[test]
fn maker_is_read_or_kept() {
    let json = serde_json::json!({
        "id": "w1", "label": "pump", "maker": {"id": "c1", "name": "Contoso"}, "size": 3
    });
    let widget: Widget = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(widget.label.as_deref(), Some("pump"));
    assert_eq!(widget.size.value(), Some(&3));
    #[cfg(any(feature = "companies", feature = "widgets"))]
    assert_eq!(widget.maker.value().and_then(|m| m.name.as_deref()), Some("Contoso"));
    #[cfg(not(any(feature = "companies", feature = "widgets")))]
    assert_eq!(widget.extra.get("maker"), Some(json["maker"].clone()));
    assert_eq!(serde_json::to_value(&widget).unwrap(), json);
}
"#,
    )
    .unwrap();
    for features in [&["--no-default-features", "--features", "people"][..], &[]] {
        let mut args = vec!["test", "--test", "gates"];
        args.extend(features);
        let test = cargo_in(&out, &args);
        assert!(
            test.status.success(),
            "{name} {features:?}: the gated field's round trip fails:\n{}\n{}",
            String::from_utf8_lossy(&test.stdout),
            String::from_utf8_lossy(&test.stderr)
        );
    }
}

/// The whole v1.0 API (3,800 models, 6,400 operations) makes a crate that compiles without
/// warnings with every module feature, and with `users` alone. Minutes and gigabytes of
/// rustc: not in CI (which checks one feature alone on every smaller crate above); run it
/// with `cargo test --release -p msgraph-codegen --test generate -- --ignored`.
#[test]
#[ignore = "minutes of cargo check; run with --ignored"]
fn the_whole_v1_api_compiles_with_all_features_and_with_users_alone() {
    let name = "ms-v1-whole";
    let out = workspace().join("target/generated-crates").join(name);
    let spec = graph_metadata().join("csdl/v1.0-Prod-latest.csdl");
    codegen::generate(&spec, &out, Some(name), None, codegen::Mode::Write)
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    assert!(module_features(&out).contains(&"users".to_string()));
    checks_without_warnings(&out, "the whole v1.0 crate", None);
    checks_without_warnings(&out, "users alone", Some("users,client"));
}

/// Two top-level modules that both answer a `gadget`, as `generate --all` makes features of.
const TWO_ROOTS: &str = r#"
openapi: 3.0.4
info: { title: roots, version: v1.0 }
servers: [{ url: https://graph.microsoft.com/v1.0/ }]
paths:
  /shops/{shop-id}:
    get:
      operationId: shops_Get
      parameters:
        - { name: shop-id, in: path, required: true, schema: { type: string } }
      responses:
        2XX:
          description: Success
          content:
            application/json:
              schema: { $ref: '#/components/schemas/microsoft.graph.SHOP_ANSWER' }
  /labs/{lab-id}:
    get:
      operationId: labs_Get
      parameters:
        - { name: lab-id, in: path, required: true, schema: { type: string } }
      responses:
        2XX:
          description: Success
          content:
            application/json:
              schema: { $ref: '#/components/schemas/microsoft.graph.gadget' }
components:
  schemas:
    microsoft.graph.gadget:
      type: object
      properties:
        name: { type: string, nullable: true }
    microsoft.graph.receipt:
      type: object
      properties:
        total: { type: number, format: double }
"#;

/// Regenerating a whole-document crate reports a type that a top-level module's feature no
/// longer compiles (`shops` stops answering gadgets) as breaking for builds with that feature.
#[test]
fn a_type_a_module_no_longer_reaches_is_reported_for_its_feature() {
    let dir = workspace().join("target/generated-crates/feature-narrowed");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("roots.yaml");
    let out = dir.join("crate");
    let generate = |answer: &str| {
        std::fs::write(&spec, TWO_ROOTS.replace("SHOP_ANSWER", answer)).unwrap();
        codegen::generate(&spec, &out, Some("roots"), None, codegen::Mode::Write)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let first = generate("gadget");
    assert!(first.changes.iter().all(|r| r.is_empty()));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nlabs = []\nshops = []\n"), "{manifest}");

    let second = generate("receipt");
    let changes: Vec<&codegen::changes::Change> =
        second.changes.iter().flat_map(|r| &r.changes).collect();
    let narrowed = changes
        .iter()
        .find(|c| c.rule == codegen::changes::Rule::FeatureNarrowed)
        .unwrap_or_else(|| panic!("no feature-narrowed change in {changes:#?}"));
    assert_eq!(narrowed.subject, "gadget");
    assert_eq!(narrowed.class, codegen::changes::Class::Breaking);
    assert!(narrowed.reason.contains("`shops`"), "{}", narrowed.reason);
    assert!(
        narrowed.detail.contains("`labs`, `shops` → `labs`"),
        "{}",
        narrowed.detail
    );
    let changelog = std::fs::read_to_string(out.join("CHANGELOG.md")).unwrap();
    assert!(changelog.contains("gadget"), "{changelog}");
}

#[test]
fn diff_of_whole_documents_reports_a_type_a_module_no_longer_reaches() {
    let dir = workspace().join("target/generated-crates/feature-narrowed-diff");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    std::fs::write(&old, TWO_ROOTS.replace("SHOP_ANSWER", "gadget")).unwrap();
    std::fs::write(&new, TWO_ROOTS.replace("SHOP_ANSWER", "receipt")).unwrap();
    let report =
        codegen::diff(&old, &new, codegen::DiffScope::All).unwrap_or_else(|e| panic!("{e}"));
    let narrowed = report
        .changes
        .iter()
        .find(|c| c.rule == codegen::changes::Rule::FeatureNarrowed)
        .unwrap_or_else(|| panic!("no feature-narrowed change in {:#?}", report.changes));
    assert_eq!(narrowed.subject, "gadget");
    assert!(
        narrowed.detail.contains("`labs`, `shops` → `labs`"),
        "{}",
        narrowed.detail
    );
    // The same document on both sides: nothing to report, features included.
    let same = codegen::diff(&old, &old, codegen::DiffScope::All).unwrap();
    assert!(same.changes.is_empty(), "{:#?}", same.changes);
}
