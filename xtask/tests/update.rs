//! `cargo xtask update` against copies of the repository: the checked-in specs are what it
//! derives; Microsoft's changes reach the spec, the code and the changelog, with the project's
//! descriptions kept; the change report tells Microsoft's changes from the corrections'; and a
//! source that cannot be used leaves every file as it was.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_norway::Value;
use support::{graph_metadata, scratch, text, xtask};

/// Every file of `specs/` and `generated/`, to show what a command changed.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    for sub in ["specs", "generated"] {
        walk(&dir.join(sub), dir, &mut out);
    }
    out
}

/// The files that differ between two trees.
fn changed(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<&PathBuf> = before.keys().chain(after.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| p.display().to_string())
        .collect()
}

fn metadata(relative: &str) -> String {
    graph_metadata().join(relative).display().to_string()
}

/// Runs an update that must succeed, and returns what it printed.
fn update(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["update"];
    all.extend_from_slice(args);
    let out = xtask(dir, &all);
    assert!(
        out.status.success(),
        "{args:?} failed:\n{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Runs an update that must fail without writing anything, and returns its error output.
fn failed_update(dir: &Path, args: &[&str]) -> String {
    let before = tree(dir);
    let mut all = vec!["update"];
    all.extend_from_slice(args);
    let out = xtask(dir, &all);
    assert!(!out.status.success(), "{args:?} must fail");
    assert_eq!(
        changed(&before, &tree(dir)),
        Vec::<String>::new(),
        "nothing is written"
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("nothing was written"), "{stderr}");
    stderr
}

#[test]
fn a_fresh_update_from_the_configured_sources_changes_nothing() {
    let dir = scratch("update-fresh");
    let before = tree(&dir);
    let v1 = update(&dir, &["--api", "v1.0"]);
    assert!(
        v1.contains("specs/v1.0/csdl.xml: up to date with the sources"),
        "{v1}"
    );
    assert!(
        v1.contains("Nothing changed for users of the crate."),
        "{v1}"
    );
    let beta = update(&dir, &["--api", "beta"]);
    assert!(
        beta.contains("specs/beta/openapi.yaml: up to date"),
        "{beta}"
    );
    assert_eq!(changed(&before, &tree(&dir)), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Microsoft's beta work-hours document, changed: a property added (with Microsoft's
/// description) and one removed, one retyped, an enum member after `unknownFutureValue`, and an
/// operation removed.
fn modified_work_hours_document(path: &Path) {
    let source = metadata("openapi/beta-workhoursandlocations.yaml");
    let mut doc: Value = serde_norway::from_str(&std::fs::read_to_string(source).unwrap()).unwrap();
    let schemas = &mut doc["components"]["schemas"];
    let occurrence = schemas["microsoft.graph.workPlanOccurrence"]["allOf"][1]["properties"]
        .as_mapping_mut()
        .unwrap();
    occurrence
        .remove("placeId")
        .expect("Microsoft's occurrence has placeId");
    occurrence.insert(
        "mood".into(),
        serde_norway::from_str(
            "{type: string, nullable: true, description: Microsoft's words about the mood.}",
        )
        .unwrap(),
    );
    schemas["microsoft.graph.timeOffDetails"]["properties"]["subject"] =
        serde_norway::from_str("{type: number, format: int32, nullable: true}").unwrap();
    let members = schemas["microsoft.graph.workLocationType"]["enum"]
        .as_sequence_mut()
        .unwrap();
    assert_eq!(
        members.last().and_then(Value::as_str),
        Some("unknownFutureValue")
    );
    members.push("hybrid".into());
    let recurrence = doc["paths"]
        ["/users/{user-id}/settings/workHoursAndLocations/recurrences/{workPlanRecurrence-id}"]
        .as_mapping_mut()
        .unwrap();
    recurrence
        .remove("delete")
        .expect("Microsoft's recurrence can be deleted");
    std::fs::write(path, serde_norway::to_string(&doc).unwrap()).unwrap();
}

/// Updates beta from a work-hours document and Microsoft's schedule document.
fn update_beta_from(dir: &Path, work_hours: &Path) -> String {
    let schedule = metadata("openapi/beta-schedule-timeoff.yaml");
    let work_hours = work_hours.to_str().unwrap();
    update(
        dir,
        &["--api", "beta", "--input", work_hours, "--input", &schedule],
    )
}

#[test]
fn microsofts_changes_reach_the_spec_the_code_and_the_changelog() {
    let dir = scratch("update-modified");
    let spec_path = dir.join("specs/beta/openapi.yaml");
    let original: Value =
        serde_norway::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
    let our_words = |doc: &Value| -> String {
        doc["components"]["schemas"]["microsoft.graph.workPlanOccurrence"]["allOf"][1]["properties"]
            ["recurrenceId"]["description"]
            .as_str()
            .expect("the project describes recurrenceId")
            .to_string()
    };
    let recurrence_words = our_words(&original);
    let modified = dir.join("Users-modified.yaml");
    modified_work_hours_document(&modified);
    let stdout = update_beta_from(&dir, &modified);

    // The spec: Microsoft's structure, the project's words.
    let spec_text = std::fs::read_to_string(&spec_path).unwrap();
    let spec: Value = serde_norway::from_str(&spec_text).unwrap();
    let occurrence = &spec["components"]["schemas"]["microsoft.graph.workPlanOccurrence"]["allOf"]
        [1]["properties"];
    assert!(occurrence.get("mood").is_some() && occurrence.get("placeId").is_none());
    assert_eq!(
        our_words(&spec),
        recurrence_words,
        "untouched descriptions survive"
    );
    assert!(
        !spec_text.contains("Microsoft's words"),
        "Microsoft's descriptions are not copied"
    );
    assert!(
        stdout.contains("workPlanOccurrence/allOf[1]/properties/mood/description"),
        "the new property is listed as having no description yet:\n{stdout}"
    );
    let sources = std::fs::read_to_string(dir.join("specs/beta/sources.toml")).unwrap();
    assert!(
        sources.contains("name = \"Users-modified.yaml\""),
        "{sources}"
    );

    // The code.
    let models = dir.join("generated/src/beta/models");
    let read = |file: &str| std::fs::read_to_string(models.join(file)).unwrap();
    let occurrence_rs = read("work_plan_occurrence.rs");
    assert!(occurrence_rs.contains("pub mood: crate::runtime::Nullable<::std::string::String>"));
    assert!(!occurrence_rs.contains("pub place_id"));
    assert!(
        occurrence_rs.contains(&recurrence_words),
        "the docs keep the project's words"
    );
    assert!(read("time_off_details.rs").contains("pub subject: crate::runtime::Nullable<i32>"));
    assert!(read("work_location_type.rs").contains("Hybrid,"));
    let users = std::fs::read_to_string(dir.join("generated/src/beta/requests/users.rs")).unwrap();
    assert!(
        !users.contains("RecurrencesItemDelete"),
        "the operation is gone"
    );

    // The changelog, and the summary.
    let changelog = std::fs::read_to_string(dir.join("generated/CHANGELOG.md")).unwrap();
    for entry in [
        "**property added**: `workPlanOccurrence.mood`",
        "**property removed**: `workPlanOccurrence.placeId`",
        "**property changed**: `timeOffDetails.subject` (Edm.String, nullable → Edm.Int32, nullable)",
        "**enum member added**: `workLocationType.hybrid`",
        "**operation removed**: `DELETE /users/{user-id}/settings/workHoursAndLocations/recurrences/{workPlanRecurrence-id}`",
    ] {
        assert!(
            changelog.contains(entry),
            "{entry} is in the changelog:\n{changelog}"
        );
        assert!(
            stdout.contains(entry),
            "{entry} is in the summary:\n{stdout}"
        );
    }
    assert!(stdout.contains("suggested version: 0.2.0"), "{stdout}");
    // Again with the same sources: nothing changes.
    let before = tree(&dir);
    let again = update_beta_from(&dir, &modified);
    assert!(again.contains("up to date with the sources"), "{again}");
    assert_eq!(changed(&before, &tree(&dir)), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_late_theme_members_are_reported_as_non_breaking_additions() {
    let dir = scratch("update-theme");
    update(
        &dir,
        &[
            "--api",
            "v1.0",
            "--input",
            &metadata("csdl/clean/v1.0-clean-2026-01-06-98ea6ad0.xml"),
        ],
    );
    let stdout = update(
        &dir,
        &[
            "--api",
            "v1.0",
            "--input",
            &metadata("csdl/clean/v1.0-clean-2026-06-03-91235222.xml"),
        ],
    );
    // Between the two documents Microsoft also added `sharePointGroupIdentity`, which needs
    // attention (a new derived type); the 23 members are plain additions.
    assert!(
        stdout.contains(
            "Microsoft's changes to the families (the current specs/v1.0/csdl.xml → v1.0-clean-2026-06-03-91235222.xml): 0 breaking,"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("What changed for users of `v1.0` (minor): 0 breaking,"),
        "{stdout}"
    );
    let non_breaking = stdout
        .find("### Non-breaking")
        .expect("a non-breaking section");
    let members: Vec<usize> = stdout
        .match_indices("**enum member added**: `scheduleEntityTheme.")
        .map(|(at, _)| at)
        .collect();
    assert_eq!(members.len(), 23, "{stdout}");
    assert!(members.iter().all(|at| *at > non_breaking), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_raw_csdl_changes_the_schedule_verb_and_the_report_names_the_correction() {
    let dir = scratch("update-raw");
    let stdout = update(
        &dir,
        &[
            "--api",
            "v1.0",
            "--input",
            &metadata("csdl/v1.0-Prod-latest.csdl"),
        ],
    );
    assert!(
        stdout.contains(
            "  - verb changed `PATCH /teams/{team-id}/schedule` (PUT → PATCH): by add PUT /teams/{team-id}/schedule"
        ),
        "Microsoft's change is named, with the correction that keeps it from users:\n{stdout}"
    );
    assert!(
        !stdout.contains("correction `add PUT /teams/{team-id}/schedule` is no longer needed"),
        "{stdout}"
    );
    let teams = std::fs::read_to_string(dir.join("generated/src/v1_0/requests/teams.rs")).unwrap();
    assert!(
        teams.contains("pub type TeamsItemSchedulePut ="),
        "users keep PUT"
    );
    assert!(!teams.contains("pub type TeamsItemSchedulePatch ="));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unusable_sources_leave_everything_as_it_was() {
    let dir = scratch("update-errors");
    // A source without one of the families.
    let stderr = failed_update(
        &dir,
        &[
            "--api",
            "beta",
            "--input",
            &metadata("openapi/beta-workhoursandlocations.yaml"),
        ],
    );
    assert!(
        stderr.contains("beta-workhoursandlocations.yaml")
            && stderr.contains("family `teams-shifts-time-off`"),
        "{stderr}"
    );
    // A truncated source.
    let whole =
        std::fs::read_to_string(metadata("csdl/clean/v1.0-clean-2026-06-03-91235222.xml")).unwrap();
    let truncated = dir.join("truncated.xml");
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let stderr = failed_update(
        &dir,
        &["--api", "v1.0", "--input", truncated.to_str().unwrap()],
    );
    assert!(
        stderr.contains("truncated.xml: line ") && stderr.contains("not well-formed XML"),
        "{stderr}"
    );
    // An unreachable URL (a port nothing listens on any more).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/v1.0.xml");
    let stderr = failed_update(&dir, &["--api", "v1.0", "--input", &url]);
    assert!(
        stderr.contains(&format!("{url}: cannot download")),
        "{stderr}"
    );
    // A version the configuration does not have.
    let stderr = failed_update(&dir, &["--api", "v2.0", "--input", &url]);
    assert!(stderr.contains("no [[api]]"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Serves the files of a directory on a loopback port until the test ends.
fn serve(dir: PathBuf) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let address = format!("http://{}", server.server_addr().to_ip().unwrap());
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let name = request.url().trim_start_matches('/').to_string();
            let response = match std::fs::read(dir.join(&name)) {
                Ok(bytes) if !name.contains("..") => tiny_http::Response::from_data(bytes),
                _ => tiny_http::Response::from_string("not found").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    address
}

#[test]
fn sources_are_downloaded_and_recorded_by_url() {
    let dir = scratch("update-download");
    let base = serve(graph_metadata().join("openapi"));
    let missing = format!("{base}/Teams-gone.yaml");
    let stderr = failed_update(&dir, &["--api", "beta", "--input", &missing]);
    assert!(
        stderr.contains(&format!("{missing}: cannot download")) && stderr.contains("404"),
        "{stderr}"
    );
    let users = format!("{base}/beta-workhoursandlocations.yaml");
    let teams = format!("{base}/beta-schedule-timeoff.yaml");
    let stdout = update(
        &dir,
        &["--api", "beta", "--input", &users, "--input", &teams],
    );
    assert!(
        stdout.contains("specs changed: specs/beta/sources.toml"),
        "only the record changes: {stdout}"
    );
    let sources = std::fs::read_to_string(dir.join("specs/beta/sources.toml")).unwrap();
    assert!(
        sources.contains(&format!("name = \"{users}\"")),
        "{sources}"
    );
    assert!(
        sources.contains(&format!("name = \"{teams}\"")),
        "{sources}"
    );
    let lock = std::fs::read_to_string(dir.join("generated/codegen.lock.json")).unwrap();
    assert!(
        lock.contains(&users),
        "the lock records where the spec comes from"
    );
    let check = xtask(&dir, &["codegen", "--check"]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
