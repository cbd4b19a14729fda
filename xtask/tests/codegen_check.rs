//! `cargo xtask codegen` against a copy of the repository: a fresh run changes nothing, and
//! `--check` fails, with a diff and a reason, after a hand edit of a generated file and after
//! an edit of a spec.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A scratch copy of `specs/` and `generated/`, the two trees codegen reads and writes.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("msgraph-xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repository().join("specs"), &dir.join("specs"));
    copy_dir(&repository().join("generated"), &dir.join("generated"));
    dir
}

fn xtask(workspace: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--workspace")
        .arg(workspace)
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_fresh_codegen_changes_nothing() {
    let dir = scratch("fresh");
    let out = xtask(&dir, &["codegen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(" 0  written,") && stdout.contains(" 0  removed"),
        "{stdout}"
    );
    let check = xtask(&dir, &["codegen", "--check"]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_fails_after_a_hand_edit_of_a_generated_file() {
    let dir = scratch("hand-edit");
    let file = dir.join("generated/src/beta/models/time_off.rs");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        original.replace(
            "pub struct TimeOff {",
            "pub struct TimeOff {\n    pub hacked: bool,",
        ),
    )
    .unwrap();
    let out = xtask(&dir, &["codegen", "--check"]);
    assert!(!out.status.success(), "the check must fail");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        stdout.contains("--- a/src/beta/models/time_off.rs"),
        "a diff names the file:\n{stdout}"
    );
    assert!(
        stdout.contains("-    pub hacked: bool,"),
        "the diff shows the edit:\n{stdout}"
    );
    assert!(
        stderr.contains("`src/beta/models/time_off.rs` was edited by hand"),
        "{stderr}"
    );
    assert!(stderr.contains("run `cargo xtask codegen`"), "{stderr}");
    assert!(
        std::fs::read_to_string(&file).unwrap().contains("hacked"),
        "check mode writes nothing"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_fails_after_an_edit_of_a_spec() {
    let dir = scratch("spec-edit");
    let spec = dir.join("specs/beta/openapi.yaml");
    let original = std::fs::read_to_string(&spec).unwrap();
    let edited = original.replacen(
        "        - darkYellow\n        - unknownFutureValue\n",
        "        - darkYellow\n        - unknownFutureValue\n        - brandNewColor\n",
        1,
    );
    assert_ne!(
        edited, original,
        "the test edits the scheduleEntityTheme enum"
    );
    std::fs::write(&spec, edited).unwrap();
    let out = xtask(&dir, &["codegen", "--check"]);
    assert!(!out.status.success(), "the check must fail");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(stdout.contains("+    BrandNewColor,"), "{stdout}");
    assert!(
        stderr.contains("input `specs/beta/openapi.yaml` changed since the last codegen"),
        "{stderr}"
    );
    // Regenerating brings it back in step.
    assert!(xtask(&dir, &["codegen"]).status.success());
    assert!(xtask(&dir, &["codegen", "--check"]).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
