//! The errors of every layer after the loaders (whose messages `broken.rs` snapshots): the
//! configuration, merging documents, corrections and permissions, emitting and writing. Each
//! names the file and what is wrong with it; the messages are snapshotted because they are
//! part of the product.

mod support;

use std::path::{Path, PathBuf};

use support::workspace;

/// A scratch workspace holding a copy of the project's `specs/`, with `edit` applied to
/// `specs/codegen.toml`.
fn scratch(name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("msgraph-errors-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let specs = dir.join("specs");
    for sub in ["beta", "v1.0"] {
        std::fs::create_dir_all(specs.join(sub)).unwrap();
    }
    for file in [
        "codegen.toml",
        "permissions.toml",
        "beta/openapi.yaml",
        "v1.0/csdl.xml",
    ] {
        std::fs::copy(workspace().join("specs").join(file), specs.join(file)).unwrap();
    }
    let config = specs.join("codegen.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, edit(text)).unwrap();
    dir
}

/// The error `codegen::plan` gives for a scratch workspace, with its directory left out.
fn plan_error(dir: &Path) -> String {
    let error = match codegen::plan(dir) {
        Ok(_) => panic!("{}: planned, but an error was expected", dir.display()),
        Err(e) => e.to_string(),
    };
    let _ = std::fs::remove_dir_all(dir);
    error.replace(&dir.display().to_string(), "<workspace>")
}

#[test]
fn a_configuration_that_is_not_toml() {
    let dir = scratch("toml", |t| t.replace("[crate]", "[crate"));
    insta::assert_snapshot!(plan_error(&dir), @r"
    configuration: <workspace>/specs/codegen.toml: TOML parse error at line 7, column 7
      |
    7 | [crate
      |       ^
    unclosed table, expected `]`
    ");
}

#[test]
fn a_family_pattern_that_does_not_parse() {
    let dir = scratch("pattern", |t| {
        t.replace(
            "\"/teams/{team-id}/schedule\",",
            "\"teams/{team-id}/schedule\",",
        )
    });
    let error = plan_error(&dir);
    assert!(
        error.contains("path pattern `teams/{team-id}/schedule`: a pattern starts with `/`"),
        "{error}"
    );
}

#[test]
fn a_correction_with_an_unknown_method() {
    let dir = scratch("method", |t| {
        t.replace(
            "add = \"PUT /teams/{team-id}/schedule/timesOff/{timeOff-id}\"",
            "add = \"FETCH /teams/{team-id}/schedule/timesOff/{timeOff-id}\"",
        )
    });
    insta::assert_snapshot!(plan_error(&dir), @"configuration: correction `add FETCH /teams/{team-id}/schedule/timesOff/{timeOff-id}`: `FETCH /teams/{team-id}/schedule/timesOff/{timeOff-id}` has an unknown method `FETCH`");
}

#[test]
fn a_correction_that_says_two_things() {
    let dir = scratch("two-things", |t| {
        t.replacen(
            "add = \"PUT /teams/{team-id}/schedule/timesOff/{timeOff-id}\"",
            "add = \"PUT /teams/{team-id}/schedule/timesOff/{timeOff-id}\"\nremove = \"GET /teams\"",
            1,
        )
    });
    let error = plan_error(&dir);
    assert!(
        error.starts_with(
            "configuration: correction `add PUT /teams/{team-id}/schedule/timesOff/{timeOff-id}`: a correction either removes"
        ),
        "{error}"
    );
}

/// What became of each correction when planning a scratch workspace.
fn outcomes(dir: &Path) -> Vec<String> {
    let (_, summary) = codegen::plan(dir).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(dir);
    summary
        .corrections
        .iter()
        .map(|(version, a)| format!("{version} {}: {:?}", a.correction, a.outcome))
        .collect()
}

#[test]
fn corrections_that_no_longer_fit_are_reported_not_fatal() {
    let dir = scratch("fit", |t| {
        t.replace(
            "like = \"PATCH /teams/{team-id}/schedule/timesOff/{timeOff-id}\"",
            "like = \"PATCH /teams/{team-id}/schedule/nothing\"",
        ) + "\n[[correction]]\napi = [\"v1.0\"]\nremove = \"GET /nowhere\"\nbecause = \"b\"\nsource = \"s\"\n"
    });
    let outcomes = outcomes(&dir);
    let conflict = "v1.0 add PUT /teams/{team-id}/schedule/timesOff/{timeOff-id}: Conflicts(\"the metadata has no PATCH /teams/{team-id}/schedule/nothing to model PUT /teams/{team-id}/schedule/timesOff/{timeOff-id} on\")";
    let agrees = "v1.0 remove GET /nowhere: MetadataAgrees(\"the metadata has no GET /nowhere\")";
    assert!(outcomes.iter().any(|o| o == conflict), "{outcomes:#?}");
    assert!(outcomes.iter().any(|o| o == agrees), "{outcomes:#?}");
}

#[test]
fn permissions_for_an_operation_that_does_not_exist() {
    let dir = scratch("permissions", |t| t);
    let table = dir.join("specs/permissions.toml");
    let mut text = std::fs::read_to_string(&table).unwrap();
    text = text.replacen(
        "[beta]\n",
        "[beta]\n\"GET /nowhere\" = { delegated = [], application = [] }\n",
        1,
    );
    std::fs::write(&table, text).unwrap();
    // A warning, not an error: an update that removes an operation is not blocked by its
    // entry (the agreement tests reject stale entries in the project's own table).
    let (_, summary) = codegen::plan(&dir).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    insta::assert_snapshot!(summary.notices.join("\n"), @r#"specs/permissions.toml: [beta] "GET /nowhere" names no operation of the beta specs: its permissions are unused (remove the entry)"#);
}

#[test]
fn two_documents_that_disagree_on_a_type() {
    let dir = scratch("merge", |t| {
        t.replace(
            "inputs = [\"beta/openapi.yaml\"]",
            "inputs = [\"beta/openapi.yaml\", \"beta/other.yaml\"]",
        )
    });
    let other = std::fs::read_to_string(dir.join("specs/beta/openapi.yaml"))
        .unwrap()
        .replacen("paths:", "paths: {}\nunused:", 1)
        .replace(
            "    microsoft.graph.timeOffDetails:",
            "    microsoft.graph.timeOffDetails:\n      description: Changed.",
        );
    std::fs::write(dir.join("specs/beta/other.yaml"), other).unwrap();
    let error = plan_error(&dir);
    assert!(
        error.starts_with("specs/beta/other.yaml: ")
            && error.contains("is defined differently in two documents"),
        "{error}"
    );
}

#[test]
fn two_entry_points_with_one_name() {
    let api = codegen::load::load_file(&workspace().join("specs/beta/openapi.yaml"))
        .unwrap()
        .api;
    let alias = |path: &str| codegen::model::Alias {
        path: path.into(),
        target: "/users/{user-id}".into(),
    };
    let options = codegen::EmitOptions {
        module: "beta".into(),
        crate_name: "msgraph_work".into(),
        aliases: vec![alias("/me"), alias("/Me")],
        ..Default::default()
    };
    let error = codegen::emit(&api, &options).unwrap_err().to_string();
    insta::assert_snapshot!(error, @"emit: two entry points are named `me`");
}

#[test]
fn a_crate_directory_that_cannot_be_written() {
    let dir = scratch("write", |t| {
        t.replace("path = \"generated\"", "path = \"blocked\"")
    });
    // A file where the crate's directory should be.
    std::fs::write(dir.join("blocked"), "not a directory").unwrap();
    let error = match codegen::codegen(&dir, codegen::Mode::Write) {
        Ok(_) => panic!("wrote into a file"),
        Err(e) => e.to_string(),
    };
    let _ = std::fs::remove_dir_all(&dir);
    let error = error.replace(&dir.display().to_string(), "<workspace>");
    assert!(
        error.starts_with("<workspace>/blocked/") && error.contains(": cannot "),
        "{error}"
    );
}
