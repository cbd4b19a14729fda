//! The API change report on Microsoft's real history, and on synthetic edits.
//!
//! 1. Each step between the seven published v1.0 CSDL documents in
//!    `../shared/graph-metadata/csdl/` is reported within the project's families; the report is
//!    a reviewed snapshot, and it is checked against `CHANGES.md` (Microsoft's change log of the
//!    focus types over 254 versions): every change listed there for the step is in the report,
//!    with the same class, and every reported change to a focus type is listed there.
//! 2. Edits made by the tests to the project's beta model (a removed property, a retyped
//!    property, a removed enum member, PUT turned into PATCH, a property becoming non-nullable,
//!    and more) are classified as they must be.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use support::{families, graph_metadata, workspace};

use codegen::changes::{Area, Change, Class, Kind, Report, Side, render};
use codegen::model::{
    Api, HttpMethod, ObjectKind, ObjectType, Primitive, Property, QueryOption, Segment, TypeDef,
    TypeRef,
};

/// An entry of `CHANGES.md`'s change log.
#[derive(Debug)]
struct Logged {
    /// `non-breaking`, `conditional`, `breaking`.
    class: String,
    text: String,
}

/// The change log entries of the version first published on master as `commit` (short hash).
fn logged(changes_md: &str, commit: &str) -> Vec<Logged> {
    let mut out = Vec::new();
    let mut in_section = false;
    let mut section_commit = String::new();
    for line in changes_md.lines() {
        if line.starts_with("### #") {
            in_section = true;
            section_commit.clear();
        } else if line.starts_with("## ") {
            in_section = false;
        } else if in_section {
            if let Some(rest) = line.strip_prefix("- first on master: `") {
                section_commit = rest.chars().take(7).collect();
            } else if let Some(rest) = line.strip_prefix("- [") {
                if section_commit == commit {
                    let (class, text) =
                        rest.split_once("] ").expect("entries are `- [class] text`");
                    out.push(Logged {
                        class: class.to_string(),
                        text: text.to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The focus types `CHANGES.md` tracks.
fn focus_types(changes_md: &str) -> BTreeSet<String> {
    let line = changes_md
        .lines()
        .find(|l| l.starts_with("Focus types (namespace microsoft.graph): "))
        .expect("the focus types are listed");
    let list = line.trim_start_matches("Focus types (namespace microsoft.graph): ");
    let list = list.split(" (").next().unwrap();
    let mut out: BTreeSet<String> = list
        .split(", ")
        .map(|s| s.trim_end_matches('.').to_string())
        .collect();
    out.extend([
        "maxWorkLocationDetails".to_string(),
        "workLocationUpdateScope".to_string(),
    ]);
    out
}

fn find<'r>(report: &'r Report, area: &[Area], kind: Kind, subject: &str) -> Option<&'r Change> {
    report
        .changes
        .iter()
        .find(|c| area.contains(&c.area) && c.kind == kind && c.subject == subject)
}

fn operation_added(report: &Report, segment: &str) -> bool {
    report.changes.iter().any(|c| {
        c.area == Area::Operation
            && c.kind == Kind::Added
            && c.subject
                .split('/')
                .any(|s| s == segment || s.starts_with(&format!("{segment}(")))
    })
}

fn family_added(report: &Report) -> bool {
    report
        .changes
        .iter()
        .any(|c| c.area == Area::Family && c.kind == Kind::Added)
}

/// Every change the log lists for a step is in the report, with the same class.
fn check_logged_changes_are_reported(report: &Report, entries: &[Logged]) {
    let expected_class = |entry: &Logged| match entry.class.as_str() {
        "breaking" => Class::Breaking,
        // Conditional on the shape of the Rust code: our enums are open and `#[non_exhaustive]`,
        // our structs `#[non_exhaustive]` with `Option` fields, so these never break.
        "non-breaking" | "conditional" => Class::NonBreaking,
        other => panic!("unknown class `{other}` in CHANGES.md"),
    };
    for entry in entries {
        let text = entry.text.as_str();
        let head = text.split(": ").next().unwrap();
        if let Some(rest) = ["EnumType ", "ComplexType ", "EntityType "]
            .iter()
            .find_map(|k| text.strip_prefix(k))
        {
            let name = rest.split_whitespace().next().unwrap();
            let c = find(report, &[Area::Type], Kind::Added, name)
                .unwrap_or_else(|| panic!("`{text}` is not reported as an added type"));
            assert_eq!(c.class, expected_class(entry), "{text}");
        } else if let Some(rest) = ["Action ", "Function "]
            .iter()
            .find_map(|k| text.strip_prefix(k))
        {
            let name = rest.split('(').next().unwrap();
            assert!(
                operation_added(report, name),
                "`{text}`: no operation calling `{name}` is reported as added"
            );
        } else if let Some(target) = text.strip_prefix('@') {
            // Capability annotations of a type added in the same step: they shape its
            // operations, which are reported with the type.
            let ty = target.split([' ', '/']).next().unwrap();
            assert!(
                text.contains("[annotation on newly added type/member]"),
                "an annotation change on an existing type: `{text}`"
            );
            assert!(
                find(report, &[Area::Type], Kind::Added, ty).is_some(),
                "`{text}`: `{ty}` is not reported as added"
            );
        } else if text.contains(" members added: ") {
            let members = text
                .split(" members added: ")
                .nth(1)
                .unwrap()
                .split(" [")
                .next()
                .unwrap();
            for member in members.split(", ") {
                let name = member.split('=').next().unwrap();
                let subject = format!("{head}.{name}");
                let c = find(report, &[Area::EnumMember], Kind::Added, &subject)
                    .unwrap_or_else(|| panic!("`{subject}` is not reported as added"));
                assert_eq!(c.class, expected_class(entry), "{subject}");
                assert!(
                    c.reason.contains("`#[non_exhaustive]` and open"),
                    "the reason names the open enum: {}",
                    c.reason
                );
            }
        } else if let Some((_, property)) = head.split_once('.') {
            match find(
                report,
                &[Area::Property, Area::Navigation],
                Kind::Added,
                head,
            ) {
                Some(c) => assert_eq!(c.class, expected_class(entry), "{text}"),
                // A navigation property of a type outside the slice: what it leads to is a
                // family, reported through its operations.
                None => assert!(
                    operation_added(report, property) && family_added(report),
                    "`{text}` is neither a reported property nor the way into an added family"
                ),
            }
        } else {
            panic!("an entry of CHANGES.md this test does not understand: `{text}`");
        }
    }
}

/// Every reported change to a focus type is one the log lists.
fn check_reported_focus_changes_are_logged(
    report: &Report,
    entries: &[Logged],
    focus: &BTreeSet<String>,
) {
    let logged_text: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
    let mentions = |needle: &str| logged_text.iter().any(|t| t.contains(needle));
    for c in &report.changes {
        let explained = match c.area {
            Area::Documentation | Area::Family => true,
            Area::Type if c.reason.contains("already in the document") => {
                // A type the families now reach through a logged change.
                !focus.contains(&c.subject)
                    || mentions(&format!("graph.{}", c.subject))
                    || family_added(report)
            }
            Area::Type => {
                !focus.contains(&c.subject) || mentions(&format!("Type {} added", c.subject))
            }
            Area::DerivedType => {
                // `base ← derived`: a change of the derived type.
                let derived = c.subject.split(" ← ").nth(1).unwrap();
                !focus.contains(derived) || mentions(&format!("Type {derived} added"))
            }
            Area::Property | Area::Navigation | Area::EnumMember => {
                let owner = c.subject.split('.').next().unwrap();
                !focus.contains(owner)
                    || mentions(&format!("{}:", c.subject))
                    || (c.area == Area::EnumMember
                        && mentions(&format!("{}=", c.subject.split('.').nth(1).unwrap())))
            }
            Area::Operation => {
                let last = c
                    .subject
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .split('(')
                    .next()
                    .unwrap();
                family_added(report)
                    || mentions(&format!("Action {last}("))
                    || mentions(&format!("Function {last}("))
            }
            _ => false,
        };
        assert!(explained, "reported but not in CHANGES.md: {c:?}");
    }
}

fn history_step(old: &str, new: &str) {
    let dir = graph_metadata().join("csdl");
    let changes_md = std::fs::read_to_string(dir.join("CHANGES.md")).unwrap();
    let config = workspace().join("specs/codegen.toml");
    let report = codegen::diff(
        &dir.join(old),
        &dir.join(new),
        codegen::DiffScope::Config(&config),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let date = |f: &str| {
        f.trim_start_matches("v1.0-Prod-")
            .trim_end_matches(".csdl")
            .get(..10)
            .unwrap_or("latest")
            .to_string()
    };
    insta::assert_snapshot!(
        format!("history_{}_to_{}", date(old), date(new)),
        render::markdown(&report, 2)
    );
    assert_eq!(
        report.counts.breaking, 0,
        "CHANGES.md lists no breaking change in Microsoft's history"
    );
    // `v1.0-Prod-2024-12-13-02cc4a5.csdl` → `02cc4a5`, the first master commit of a change.
    let commit = new.trim_end_matches(".csdl").rsplit('-').next().unwrap();
    let entries = logged(&changes_md, commit);
    check_logged_changes_are_reported(&report, &entries);
    check_reported_focus_changes_are_logged(&report, &entries, &focus_types(&changes_md));
}

#[test]
fn history_2024_11_26_to_2024_12_13() {
    history_step(
        "v1.0-Prod-2024-11-26-8a6af9c.csdl",
        "v1.0-Prod-2024-12-13-02cc4a5.csdl",
    );
}

#[test]
fn history_2024_12_13_to_2025_02_04() {
    history_step(
        "v1.0-Prod-2024-12-13-02cc4a5.csdl",
        "v1.0-Prod-2025-02-04-6cf9a12.csdl",
    );
}

#[test]
fn history_2025_02_04_to_2025_12_16() {
    history_step(
        "v1.0-Prod-2025-02-04-6cf9a12.csdl",
        "v1.0-Prod-2025-12-16-cf73260.csdl",
    );
}

#[test]
fn history_2025_12_16_to_2025_12_23() {
    history_step(
        "v1.0-Prod-2025-12-16-cf73260.csdl",
        "v1.0-Prod-2025-12-23-1fd0f98.csdl",
    );
}

#[test]
fn history_2025_12_23_to_2026_05_06() {
    history_step(
        "v1.0-Prod-2025-12-23-1fd0f98.csdl",
        "v1.0-Prod-2026-05-06-75f0fe0.csdl",
    );
}

#[test]
fn history_2026_05_06_to_latest() {
    history_step("v1.0-Prod-2026-05-06-75f0fe0.csdl", "v1.0-Prod-latest.csdl");
}

#[test]
fn the_log_is_read_whole() {
    // The history tests above depend on reading CHANGES.md right: four changes, 2 + 7 + 20 + 1
    // entries (the last one lists the 23 new members of scheduleEntityTheme).
    let changes_md = std::fs::read_to_string(graph_metadata().join("csdl/CHANGES.md")).unwrap();
    let counts: Vec<usize> = ["02cc4a5", "6cf9a12", "1fd0f98", "75f0fe0"]
        .iter()
        .map(|c| logged(&changes_md, c).len())
        .collect();
    assert_eq!(counts, [2, 7, 20, 1]);
    assert!(focus_types(&changes_md).contains("workPlanOccurrence"));
}

// ---- synthetic edits ----

/// The project's beta model, sliced to its families.
fn beta() -> Api {
    let families = families();
    let path = workspace().join("specs/beta/openapi.yaml");
    let loaded =
        codegen::load_inputs(&[path], &workspace(), &families).unwrap_or_else(|e| panic!("{e}"));
    codegen::slice(&loaded.api, &families).api
}

fn report(old: &Api, new: &Api) -> Report {
    let side = |label: &str, api| Side {
        label: label.into(),
        api,
        outside: Default::default(),
        document_types: Default::default(),
    };
    Report::new(
        &side("before.yaml", old),
        &side("after.yaml", new),
        "beta",
        &[],
    )
}

fn object<'a>(api: &'a mut Api, name: &str) -> &'a mut ObjectType {
    let qualified = format!("microsoft.graph.{name}");
    api.object_mut(&qualified)
        .unwrap_or_else(|| panic!("no object type {name}"))
}

fn property<'a>(api: &'a mut Api, ty: &str, name: &str) -> &'a mut Property {
    object(api, ty)
        .property_mut(name)
        .unwrap_or_else(|| panic!("no property {ty}.{name}"))
}

fn operation<'a>(
    api: &'a mut Api,
    method: HttpMethod,
    path: &str,
) -> &'a mut codegen::model::Operation {
    api.operations
        .iter_mut()
        .find(|o| o.method == method && o.path.to_string() == path)
        .unwrap_or_else(|| panic!("no {method} {path}"))
}

const OCCURRENCE: &str =
    "/users/{user-id}/settings/workHoursAndLocations/occurrences/{workPlanOccurrence-id}";

type Edit = fn(&mut Api);

/// (what the test does, the edit, the change it must produce: area, kind, subject, class)
type Case = (&'static str, Edit, Area, Kind, &'static str, Class);

fn edits() -> Vec<Case> {
    let mut cases = type_edits();
    cases.extend(operation_edits());
    cases
}

/// Edits of types, properties and enum members.
fn type_edits() -> Vec<Case> {
    vec![
        (
            "a removed property",
            |api| {
                object(api, "workPlanOccurrence")
                    .properties
                    .retain(|p| p.name != "placeId")
            },
            Area::Property,
            Kind::Removed,
            "workPlanOccurrence.placeId",
            Class::Breaking,
        ),
        (
            "a retyped property",
            |api| {
                property(api, "workPlanOccurrence", "placeId").ty =
                    TypeRef::Primitive(Primitive::Guid)
            },
            Area::Property,
            Kind::Changed,
            "workPlanOccurrence.placeId",
            Class::Breaking,
        ),
        (
            "a removed enum member",
            |api| match api.types.get_mut("microsoft.graph.workLocationType") {
                Some(TypeDef::Enum(e)) => e.members.retain(|m| m.name != "remote"),
                _ => unreachable!(),
            },
            Area::EnumMember,
            Kind::Removed,
            "workLocationType.remote",
            Class::Breaking,
        ),
        (
            "PUT turned into PATCH",
            |api| operation(api, HttpMethod::Put, OCCURRENCE).method = HttpMethod::Patch,
            Area::Verb,
            Kind::Changed,
            "PATCH /users/{user-id}/settings/workHoursAndLocations/occurrences/{workPlanOccurrence-id}",
            Class::Breaking,
        ),
        (
            "a property becoming non-nullable",
            |api| property(api, "workPlanOccurrence", "placeId").nullable = false,
            Area::Property,
            Kind::Changed,
            "workPlanOccurrence.placeId",
            Class::Breaking,
        ),
        (
            "a nullable property added",
            |api| {
                let mut p = property(api, "workPlanOccurrence", "recurrenceId").clone();
                p.name = "placeName".into();
                object(api, "workPlanOccurrence").properties.push(p);
            },
            Area::Property,
            Kind::Added,
            "workPlanOccurrence.placeName",
            Class::NonBreaking,
        ),
        (
            "a required property added",
            |api| {
                let mut p = property(api, "workPlanOccurrence", "recurrenceId").clone();
                (p.name, p.nullable) = ("calendarId".into(), false);
                object(api, "workPlanOccurrence").properties.push(p);
            },
            Area::Property,
            Kind::Added,
            "workPlanOccurrence.calendarId",
            Class::NeedsAttention,
        ),
        (
            "an enum member added",
            |api| match api.types.get_mut("microsoft.graph.workLocationType") {
                Some(TypeDef::Enum(e)) => {
                    let mut m = e.members[0].clone();
                    m.name = "hybrid".into();
                    e.members.insert(3, m);
                }
                _ => unreachable!(),
            },
            Area::EnumMember,
            Kind::Added,
            "workLocationType.hybrid",
            Class::NonBreaking,
        ),
    ]
}

/// Edits of operations, and the rest.
fn operation_edits() -> Vec<Case> {
    vec![
        (
            "an operation removed",
            |api| {
                api.operations.retain(|o| {
                    !(o.method == HttpMethod::Delete && o.path.to_string() == OCCURRENCE)
                })
            },
            Area::Operation,
            Kind::Removed,
            "DELETE /users/{user-id}/settings/workHoursAndLocations/occurrences/{workPlanOccurrence-id}",
            Class::Breaking,
        ),
        (
            "a first derived type",
            |api| {
                api.types.insert(
                    "microsoft.graph.sickLeaveDetails".into(),
                    TypeDef::Object(ObjectType {
                        name: "microsoft.graph.sickLeaveDetails".into(),
                        kind: ObjectKind::Complex,
                        base: Some("microsoft.graph.timeOffDetails".into()),
                        is_abstract: false,
                        is_open: false,
                        description: None,
                        properties: Vec::new(),
                    }),
                );
            },
            Area::DerivedType,
            Kind::Changed,
            "timeOffDetails",
            Class::Breaking,
        ),
        (
            "a function parameter added",
            |api| {
                let op = api
                    .operations
                    .iter_mut()
                    .find(|o| o.path.to_string().contains("occurrencesView"))
                    .unwrap();
                if let Some(Segment::Call { params, .. }) = op.path.segments.last_mut() {
                    let mut p = params[0].clone();
                    p.name = "timeZone".into();
                    params.push(p);
                }
            },
            Area::Parameter,
            Kind::Added,
            "GET /users/{user-id}/settings/workHoursAndLocations/occurrencesView(startDateTime='{startDateTime}',endDateTime='{endDateTime}',timeZone='{timeZone}') (timeZone)",
            Class::Breaking,
        ),
        (
            "a query option removed",
            |api| {
                let op = operation(
                    api,
                    HttpMethod::Get,
                    "/users/{user-id}/settings/workHoursAndLocations/recurrences",
                );
                op.query.retain(|q| *q != QueryOption::Top);
            },
            Area::QueryOption,
            Kind::Removed,
            "GET /users/{user-id}/settings/workHoursAndLocations/recurrences $top",
            Class::Breaking,
        ),
        (
            "a property becoming read-only",
            |api| property(api, "workPlanOccurrence", "placeId").read_only = true,
            Area::Property,
            Kind::Changed,
            "workPlanOccurrence.placeId",
            Class::NeedsAttention,
        ),
    ]
}

#[test]
fn synthetic_edits_are_classified() {
    let base = beta();
    assert!(
        report(&base, &base).is_empty(),
        "a model compared with itself has no change"
    );
    for (what, edit, area, kind, subject, class) in edits() {
        let mut edited = base.clone();
        edit(&mut edited);
        edited.sort_operations();
        let r = report(&base, &edited);
        let found = r
            .changes
            .iter()
            .find(|c| c.area == area && c.kind == kind && c.subject == subject)
            .unwrap_or_else(|| {
                panic!(
                    "{what}: no {area:?} {kind:?} `{subject}` in\n{}",
                    render::markdown(&r, 2)
                )
            });
        assert_eq!(found.class, class, "{what}: {found:?}");
        assert!(
            !found.reason.is_empty() && !found.rust.is_empty(),
            "{what}: {found:?}"
        );
        assert_eq!(
            r.has_breaking(),
            r.changes.iter().any(|c| c.class == Class::Breaking)
        );
        // And the other way round: the reverse edit is reported too.
        assert!(
            !report(&edited, &base).is_empty(),
            "{what}: the reverse edit is reported"
        );
    }
}

#[test]
fn synthetic_edits_report() {
    // All the edits at once, as a reader sees them.
    let base = beta();
    let mut edited = base.clone();
    for (what, edit, ..) in edits() {
        if what != "a retyped property"
            && what != "a property becoming non-nullable"
            && what != "a property becoming read-only"
        {
            edit(&mut edited);
        }
    }
    edited.sort_operations();
    let r = report(&base, &edited).with_current_version("0.3.1");
    assert_eq!(r.next_version.as_deref(), Some("0.4.0"));
    insta::assert_snapshot!("synthetic_edits", render::markdown(&r, 2));
    let json: serde_json::Value = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(json["bump"], "major");
    assert_eq!(
        json["counts"]["breaking"].as_u64().unwrap() as usize,
        r.counts.breaking
    );
    assert!(
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["class"].is_string() && c["reason"].is_string())
    );
}

#[test]
fn documents_in_different_formats_compare() {
    // Microsoft's beta OpenAPI slices against the project's beta spec; Microsoft's v1.0
    // OpenAPI module of 2023 against its CSDL of today (where work hours did not exist yet).
    let config = workspace().join("specs/codegen.toml");
    let scope = || codegen::DiffScope::Config(&config);
    let metadata = graph_metadata();
    let teams_2023 = metadata.join("openapi/modules-2023-11/v1.0-Teams.yml");
    let latest = metadata.join("csdl/v1.0-Prod-latest.csdl");
    let r = codegen::diff(&teams_2023, &latest, scope()).unwrap_or_else(|e| panic!("{e}"));
    let introduced = find(&r, &[Area::Family], Kind::Added, "work-hours-and-locations")
        .expect("the family is reported as introduced");
    assert_eq!(introduced.class, Class::NonBreaking);
    assert!(find(&r, &[Area::Type], Kind::Added, "workPlanOccurrence").is_some());
    // And the whole documents, without families.
    let whole = codegen::diff(
        &metadata.join("openapi/beta-workhoursandlocations.yaml"),
        &workspace().join("specs/beta/openapi.yaml"),
        codegen::DiffScope::All,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(whole.scope, codegen::changes::Scope::All);
    assert!(!whole.is_empty());
}

#[test]
fn a_broken_document_is_an_error_that_names_it() {
    let dir = std::env::temp_dir().join(format!("msgraph-diff-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "openapi: 3.0.1\npaths: [\n").unwrap();
    let good = workspace().join("specs/beta/openapi.yaml");
    let e = codegen::diff(&good, &broken, codegen::DiffScope::All)
        .unwrap_err()
        .to_string();
    assert!(e.contains("broken.yaml"), "{e}");
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}
