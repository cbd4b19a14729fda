//! `cargo xtask codegen` against a copy of the repository: a fresh run changes nothing, and
//! `--check` fails, with a diff and a reason, after a hand edit of a generated file and after
//! an edit of a spec.

mod support;

use std::path::Path;

use support::{repository, scratch, text, xtask};

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
        "      - darkYellow\n      - unknownFutureValue\n",
        "      - darkYellow\n      - unknownFutureValue\n      - brandNewColor\n",
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

/// The beta spec without `workPlanOccurrence.placeId`, and with a new `scheduleEntityTheme` member.
fn edit_beta_spec(spec: &Path) {
    let original = std::fs::read_to_string(spec).unwrap();
    let removed = "          placeId:\n            type: string\n            description: For office work (workLocationType office), the ID of the place in the Microsoft Graph places directory; otherwise unused.\n            nullable: true\n          recurrenceId:";
    assert!(
        original.contains(removed),
        "the test removes workPlanOccurrence.placeId"
    );
    let edited = original
        .replacen(removed, "          recurrenceId:", 1)
        .replacen(
            "      - darkYellow\n      - unknownFutureValue\n",
            "      - darkYellow\n      - unknownFutureValue\n      - brandNewColor\n",
            1,
        );
    assert!(edited.contains("brandNewColor"));
    std::fs::write(spec, edited).unwrap();
}

#[test]
fn codegen_reports_what_it_changed_and_adds_it_to_the_changelog() {
    let dir = scratch("changelog");
    edit_beta_spec(&dir.join("specs/beta/openapi.yaml"));
    // The check names the changes it would make.
    let check = xtask(&dir, &["codegen", "--check"]);
    assert!(!check.status.success());
    assert!(
        text(&check.stdout).contains("**1 breaking**"),
        "{}",
        text(&check.stdout)
    );
    let changelog = dir.join("generated/CHANGELOG.md");
    let before = std::fs::read_to_string(&changelog).unwrap();
    let out = xtask(&dir, &["codegen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("## API changes in `beta`"), "{stdout}");
    assert!(
        stdout.contains("**property removed**: `workPlanOccurrence.placeId`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("**enum member added**: `scheduleEntityTheme.brandNewColor`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Suggested version bump: **major** (to 0.2.0)"),
        "{stdout}"
    );
    let after = std::fs::read_to_string(&changelog).unwrap();
    let unreleased = after.find("## Unreleased").expect("an Unreleased heading");
    let entry = after
        .find("`WorkPlanOccurrence::place_id: Nullable<String>`")
        .expect("the change is in the changelog");
    assert!(unreleased < entry, "{after}");
    assert!(
        after.ends_with(&before[before.find("## Unreleased").unwrap() + "## Unreleased\n".len()..]),
        "earlier entries are kept"
    );
    // Nothing changed since: no new entry, and the check passes.
    assert!(xtask(&dir, &["codegen"]).status.success());
    assert_eq!(std::fs::read_to_string(&changelog).unwrap(), after);
    assert!(xtask(&dir, &["codegen", "--check"]).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_reports_and_fails_on_breaking_changes() {
    let dir = scratch("diff");
    let old = repository().join("specs/beta/openapi.yaml");
    let new = dir.join("edited.yaml");
    std::fs::copy(&old, &new).unwrap();
    edit_beta_spec(&new);
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let out = xtask(&dir, &["diff", old, new]);
    assert!(
        out.status.success(),
        "without --fail-on a report is a success: {}",
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("### Breaking") && stdout.contains("`WorkPlanOccurrence::place_id"),
        "{stdout}"
    );
    let out = xtask(&dir, &["diff", old, new, "--fail-on", "breaking"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("1 breaking change"),
        "{}",
        text(&out.stderr)
    );
    let out = xtask(&dir, &["diff", old, new, "--all", "--format", "json"]);
    let json = text(&out.stdout);
    assert!(
        json.starts_with('{')
            && json.contains("\"class\": \"breaking\"")
            && json.contains("\"bump\": \"major\""),
        "{json}"
    );
    // The other way round, the property comes back (not breaking) and the member goes (breaking).
    let out = xtask(&dir, &["diff", new, old, "--fail-on", "breaking"]);
    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    let non_breaking = stdout
        .find("### Non-breaking")
        .expect("a non-breaking section");
    assert!(
        stdout
            .find("**enum member removed**: `scheduleEntityTheme.brandNewColor`")
            .unwrap()
            < non_breaking,
        "{stdout}"
    );
    assert!(
        stdout
            .find("**property added**: `workPlanOccurrence.placeId`")
            .unwrap()
            > non_breaking,
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
