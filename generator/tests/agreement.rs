//! The project's `specs/` agree with Microsoft's published metadata.
//!
//! 1. The model of Microsoft's latest full v1.0 CSDL, sliced to the families, equals the model
//!    of the project's v1.0 CSDL slice (descriptions aside).
//! 2. The model of `specs/beta/openapi.yaml` is compared with the model of Microsoft's beta
//!    OpenAPI slices (`../shared/graph-metadata/openapi/`), sliced to the families the same
//!    way. Every difference is listed, and the list is a reviewed snapshot: a new difference
//!    fails the test until it is understood. The differences between the project's beta and
//!    v1.0 are listed the same way.
//! 3. Every type of the beta spec has exactly the property and member names that current beta
//!    has (`type-mappings/beta-*.json`), apart from the navigation properties the slice leaves out.
//! 4. Every permission in `specs/permissions.toml` is what Microsoft's pages say.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use support::{families, graph_metadata, workspace};

use codegen::model::{Api, Operation, TypeDef, TypeRef};

/// A document's model, sliced to the project's families.
fn sliced(path: &std::path::Path) -> Api {
    let families = families();
    let loaded = codegen::load_inputs(&[path.to_path_buf()], &workspace(), &families)
        .unwrap_or_else(|e| panic!("{e}"));
    codegen::slice(&loaded.api, &families).api
}

fn project() -> Api {
    sliced(&workspace().join("specs/beta/openapi.yaml"))
}

fn project_v1() -> Api {
    sliced(&workspace().join("specs/v1.0/csdl.xml"))
}

fn microsoft() -> Api {
    let dir = graph_metadata().join("openapi");
    let mut api = Api::default();
    for file in [
        "beta-workhoursandlocations.yaml",
        "beta-schedule-timeoff.yaml",
    ] {
        api.merge(codegen::load::load_file(&dir.join(file)).unwrap().api)
            .unwrap();
    }
    codegen::slice(&api, &families()).api
}

/// A model without its descriptions, summaries and documentation links.
fn without_descriptions(mut api: Api) -> Api {
    for def in api.types.values_mut() {
        match def {
            TypeDef::Object(o) => {
                o.description = None;
                o.properties.iter_mut().for_each(|p| p.description = None);
            }
            TypeDef::Enum(e) => {
                e.description = None;
                e.members.iter_mut().for_each(|m| m.description = None);
            }
        }
    }
    for op in &mut api.operations {
        op.summary = None;
        op.description = None;
        op.docs_url = None;
        op.headers.iter_mut().for_each(|h| h.description = None);
    }
    api
}

#[test]
fn the_v1_spec_is_microsofts_latest_v1_csdl_sliced() {
    let theirs = without_descriptions(sliced(&graph_metadata().join("csdl/v1.0-Prod-latest.csdl")));
    let ours = without_descriptions(project_v1());
    assert!(!ours.operations.is_empty());
    let differences = differences(&ours, &theirs, true);
    assert!(
        differences.is_empty(),
        "the v1.0 spec differs from Microsoft's latest v1.0 CSDL:\n{}",
        differences.join("\n")
    );
    assert_eq!(
        ours, theirs,
        "the models are equal in every other respect too"
    );
}

#[test]
fn the_differences_between_beta_and_v1_are_the_expected_ones() {
    let differences = differences(&project(), &project_v1(), false);
    assert!(
        differences
            .contains(&"microsoft.graph.timeOff.teamInfo: only in the project's spec".to_string()),
        "{differences:#?}"
    );
    assert!(
        differences
            .contains(&"microsoft.graph.timeOff.userInfo: only in the project's spec".to_string()),
        "{differences:#?}"
    );
    let list = differences
        .join("\n")
        .replace("Microsoft's slice", "v1.0")
        .replace("the project's spec", "beta")
        .replace("Microsoft's", "v1.0's");
    insta::assert_snapshot!("differences_between_beta_and_v1", list);
}

fn op_key(op: &Operation) -> String {
    format!("{} {}", op.method, op.path)
}

/// A property's type with its nullability, for comparison.
fn shape(ty: &TypeRef, nullable: bool) -> String {
    format!("{ty}{}", if nullable { "?" } else { "" })
}

fn differences(ours: &Api, theirs: &Api, compare_ids: bool) -> Vec<String> {
    let mut out = operation_differences(ours, theirs, compare_ids);
    out.extend(type_differences(ours, theirs));
    out
}

fn operation_differences(ours: &Api, theirs: &Api, compare_ids: bool) -> Vec<String> {
    let mut out = Vec::new();
    let our_ops: BTreeMap<String, &Operation> =
        ours.operations.iter().map(|o| (op_key(o), o)).collect();
    let their_ops: BTreeMap<String, &Operation> =
        theirs.operations.iter().map(|o| (op_key(o), o)).collect();
    for (key, theirs) in &their_ops {
        match our_ops.get(key) {
            None => out.push(format!("operation only in Microsoft's slice: {key}")),
            Some(ours) => {
                if compare_ids && ours.id != theirs.id {
                    out.push(format!(
                        "{key}: operationId {} vs Microsoft's {}",
                        ours.id, theirs.id
                    ));
                }
                if ours.query != theirs.query {
                    out.push(format!(
                        "{key}: query options {:?} vs Microsoft's {:?}",
                        ours.query, theirs.query
                    ));
                }
                if ours
                    .headers
                    .iter()
                    .map(|h| &h.name)
                    .ne(theirs.headers.iter().map(|h| &h.name))
                {
                    let names = |o: &Operation| {
                        o.headers.iter().map(|h| h.name.clone()).collect::<Vec<_>>()
                    };
                    out.push(format!(
                        "{key}: headers {:?} vs Microsoft's {:?}",
                        names(ours),
                        names(theirs)
                    ));
                }
                if ours.body != theirs.body {
                    out.push(format!(
                        "{key}: body {:?} vs Microsoft's {:?}",
                        ours.body, theirs.body
                    ));
                }
                if ours.response != theirs.response {
                    out.push(format!(
                        "{key}: response {:?} vs Microsoft's {:?}",
                        ours.response, theirs.response
                    ));
                }
                if ours.kind != theirs.kind {
                    out.push(format!(
                        "{key}: kind {:?} vs Microsoft's {:?}",
                        ours.kind, theirs.kind
                    ));
                }
            }
        }
    }
    for key in our_ops.keys().filter(|k| !their_ops.contains_key(*k)) {
        out.push(format!("operation only in the project's spec: {key}"));
    }
    out
}

fn type_differences(ours: &Api, theirs: &Api) -> Vec<String> {
    let mut out = Vec::new();
    for (name, theirs) in &theirs.types {
        let Some(ours) = ours.types.get(name) else {
            out.push(format!("type only in Microsoft's slice: {name}"));
            continue;
        };
        match (ours, theirs) {
            (TypeDef::Enum(a), TypeDef::Enum(b)) => {
                let a: Vec<&str> = a.members.iter().map(|m| m.name.as_str()).collect();
                let b: Vec<&str> = b.members.iter().map(|m| m.name.as_str()).collect();
                if a != b {
                    let added: Vec<&&str> = a.iter().filter(|m| !b.contains(m)).collect();
                    let removed: Vec<&&str> = b.iter().filter(|m| !a.contains(m)).collect();
                    out.push(format!(
                        "{name}: members added {added:?}, removed {removed:?}"
                    ));
                }
            }
            (TypeDef::Object(a), TypeDef::Object(b)) => out.extend(object_differences(name, a, b)),
            _ => out.push(format!("{name}: an enum in one, an object in the other")),
        }
    }
    for name in ours.types.keys().filter(|n| !theirs.types.contains_key(*n)) {
        out.push(format!("type only in the project's spec: {name}"));
    }
    out
}

fn object_differences(
    name: &str,
    a: &codegen::model::ObjectType,
    b: &codegen::model::ObjectType,
) -> Vec<String> {
    let mut out = Vec::new();
    if a.base != b.base {
        out.push(format!(
            "{name}: base {:?} vs Microsoft's {:?}",
            a.base, b.base
        ));
    }
    let props = |o: &codegen::model::ObjectType| -> BTreeMap<String, (String, bool, bool)> {
        o.properties
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    (
                        shape(&p.ty, p.nullable),
                        p.nullable,
                        matches!(p.ty, TypeRef::Named(_)),
                    ),
                )
            })
            .collect()
    };
    let (pa, pb) = (props(a), props(b));
    for (prop, (their_shape, their_nullable, is_ref)) in &pb {
        match pa.get(prop) {
            None => out.push(format!("{name}.{prop}: only in Microsoft's slice")),
            Some((our_shape, our_nullable, _)) if our_shape != their_shape => {
                // Microsoft's OpenAPI writes references as a bare `$ref`, losing
                // their nullability; only a difference in type is one.
                if *is_ref
                    && our_nullable != their_nullable
                    && our_shape.trim_end_matches('?') == their_shape
                {
                    continue;
                }
                out.push(format!(
                    "{name}.{prop}: {our_shape} vs Microsoft's {their_shape}"
                ));
            }
            _ => {}
        }
    }
    for prop in pa.keys().filter(|p| !pb.contains_key(*p)) {
        out.push(format!("{name}.{prop}: only in the project's spec"));
    }
    out
}

#[test]
fn the_beta_spec_agrees_with_microsofts_openapi() {
    let list = differences(&project(), &microsoft(), true).join("\n");
    insta::assert_snapshot!("differences_from_microsoft_beta_openapi", list);
}

/// Navigation properties the slice leaves out because their targets are outside the families.
const LEFT_OUT: &[(&str, &str)] = &[
    ("schedule", "dayNotes"),
    ("schedule", "offerShiftRequests"),
    ("schedule", "openShiftChangeRequests"),
    ("schedule", "openShifts"),
    ("schedule", "schedulingGroups"),
    ("schedule", "shifts"),
    ("schedule", "shiftsRoleDefinitions"),
    ("schedule", "swapShiftsChangeRequests"),
    ("schedule", "timeCards"),
];

/// Properties of current beta the slice leaves out because no source gives their type.
const UNTYPED: &[(&str, &str)] = &[("teamworkUserIdentity", "userPrincipalName")];

fn mapping(file: &str) -> serde_json::Value {
    let path = graph_metadata().join("type-mappings").join(file);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn every_type_has_the_current_beta_names() {
    let api = project();
    let entities = mapping("beta-entity-types.json");
    let complex = mapping("beta-complex-types.json");
    let enums = mapping("beta-enum-types.json");
    let mut problems = Vec::new();
    let mut checked = 0;
    for (name, def) in &api.types {
        let Some((namespace, short)) = name.rsplit_once('.') else {
            continue;
        };
        match def {
            TypeDef::Enum(e) => {
                let Some(expected) = enums[namespace][short].as_array() else {
                    problems.push(format!("{name}: not in beta's enum types"));
                    continue;
                };
                let expected: BTreeSet<&str> = expected.iter().filter_map(|v| v.as_str()).collect();
                let actual: BTreeSet<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
                if expected != actual {
                    problems.push(format!("{name}: members {actual:?}, beta has {expected:?}"));
                }
                checked += 1;
            }
            TypeDef::Object(o) if o.kind.is_action_parameters() => {}
            TypeDef::Object(o) => {
                let entry = if entities[namespace][short].is_object() {
                    &entities[namespace][short]
                } else {
                    &complex[namespace][short]
                };
                if !entry.is_object() {
                    if !name.contains("ODataErrors") {
                        problems.push(format!("{name}: not in beta's entity or complex types"));
                    }
                    continue;
                }
                let mut expected: BTreeSet<&str> = ["properties", "navigationProperties"]
                    .iter()
                    .flat_map(|k| entry[*k].as_array().into_iter().flatten())
                    .filter_map(|v| v.as_str())
                    .collect();
                for (ty, prop) in LEFT_OUT.iter().chain(UNTYPED) {
                    if *ty == short {
                        expected.remove(prop);
                    }
                }
                let actual: BTreeSet<&str> = o.properties.iter().map(|p| p.name.as_str()).collect();
                if expected != actual {
                    let missing: Vec<&&str> = expected.difference(&actual).collect();
                    let extra: Vec<&&str> = actual.difference(&expected).collect();
                    problems.push(format!(
                        "{name}: missing {missing:?}, not in beta {extra:?}"
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 60, "only {checked} types were checked");
}

/// The least-privileged scopes a page documents for a version, when it has a table
/// (`None`: the page has no permissions table).
fn documented(
    permissions: &[serde_json::Value],
    version: &str,
    page: &str,
) -> Option<(Vec<String>, Vec<String>)> {
    let mut entries: Vec<&serde_json::Value> = permissions
        .iter()
        .filter(|e| {
            e["api_version"] == version
                && e["operation"] == page
                && e["delegated_work_or_school"]["least_privileged"].is_array()
        })
        .collect();
    // Where a page was seen twice, the newer one counts.
    entries.sort_by_key(|e| e["is_newest_version_seen"] != true);
    let e = entries.first()?;
    let scopes = |kind: &str| -> Vec<String> {
        e[kind]["least_privileged"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    Some((scopes("delegated_work_or_school"), scopes("application")))
}

#[test]
fn the_permissions_table_agrees_with_microsofts_pages() {
    let table =
        codegen::config::load_permissions(&workspace().join("specs/permissions.toml")).unwrap();
    let pages: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(graph_metadata().join("examples/permissions.json")).unwrap(),
    )
    .unwrap();
    let text = std::fs::read_to_string(workspace().join("specs/permissions.toml")).unwrap();
    for (version, mut api) in [("beta", project()), ("v1.0", project_v1())] {
        api.version = version.to_string();
        let config =
            codegen::config::Config::load(&workspace().join("specs/codegen.toml")).unwrap();
        codegen::corrections::apply(&mut api, &config.corrections).unwrap();
        codegen::config::apply_permissions(&mut api, &table, "specs/permissions.toml", &[])
            .expect("every key names an operation");
        let other = if version == "beta" { "v1.0" } else { "beta" };
        let entries = &table[version];
        let mut covered = BTreeSet::new();
        for (key, p) in entries {
            let page = p
                .page
                .as_deref()
                .unwrap_or_else(|| panic!("{key}: no page"));
            covered.insert(page.to_string());
            let ours = (p.delegated.clone(), p.application.clone());
            match (documented(&pages, version, page), p.source.as_deref()) {
                (Some(theirs), None) => assert_eq!(
                    ours, theirs,
                    "{version} {key}: the page {page} says otherwise"
                ),
                (Some(_), Some(source)) => panic!(
                    "{version} {key}: the page {page} has a table, yet the source is {source:?}"
                ),
                (None, Some(source)) if source.contains(&format!("the {other} page")) => {
                    let theirs = documented(&pages, other, page).unwrap_or_else(|| {
                        panic!("{key}: the {other} page of {page} has no table")
                    });
                    assert_eq!(
                        ours, theirs,
                        "{version} {key}: the {other} page of {page} says otherwise"
                    );
                }
                (None, Some(source)) if source.starts_with("seed 000") => {
                    let seed = std::fs::read_to_string(
                        workspace().join("../shared/seeds/000_c20fd9f540fe79b5.txt"),
                    )
                    .unwrap();
                    assert!(
                        p.delegated.iter().all(|s| seed.contains(s.as_str())),
                        "{key}: seed 000 does not list {:?}",
                        p.delegated
                    );
                }
                (None, source) => panic!(
                    "{version} {key}: {page} has no table and the source {source:?} is not one this test can check"
                ),
            }
        }
        // Every page of this version with a table is in the table.
        for e in &pages {
            let page = e["operation"].as_str().unwrap();
            if e["api_version"] == version && documented(&pages, version, page).is_some() {
                assert!(
                    covered.contains(page),
                    "the {version} page {page} documents permissions the table does not carry"
                );
            }
        }
        // Operations without an entry are documented nowhere.
        for op in api.operations.iter().filter(|op| op.permissions.is_none()) {
            let key = format!("{} {}", op.method, op.path);
            let page = text
                .lines()
                .find(|l| l.contains(&key))
                .and_then(|l| l.rsplit_once('('))
                .map(|(_, page)| page.trim_end_matches(')'));
            if let Some(page) = page {
                assert!(
                    documented(&pages, "beta", page).is_none()
                        && documented(&pages, "v1.0", page).is_none(),
                    "{key}: {page} documents permissions"
                );
            }
        }
    }
}
