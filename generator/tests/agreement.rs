//! The project's `specs/` agree with Microsoft's published metadata.
//!
//! 1. Each API version's spec is exactly what `cargo xtask update` derives from the Microsoft
//!    documents `specs/codegen.toml` names (`../shared/graph-metadata`), and the generated
//!    crate is what they give: a hand edit of `specs/` that is not a declared correction fails.
//! 2. The differences between the beta and v1.0 models the crate is generated from (after the
//!    project's corrections) are listed, and the list is a reviewed snapshot: each one is a
//!    difference Microsoft's metadata makes.
//! 3. Where Microsoft's beta documents lag current beta (`type-mappings/beta-*.json`), the
//!    lag is listed and reviewed the same way.
//! 4. Every permission in `specs/permissions.toml` is what Microsoft's pages say.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use support::{families, graph_metadata, workspace};

use codegen::model::{Api, Operation, TypeDef, TypeRef};

#[test]
fn the_specs_are_what_update_derives_from_microsofts_documents() {
    let root = workspace();
    let config = codegen::config::Config::load(&root.join("specs/codegen.toml")).unwrap();
    // The default sources read $GRAPH_METADATA; point it where the tests find the data.
    let metadata = graph_metadata();
    for api in &config.apis {
        let locations = api
            .source_locations(&root.join("specs"))
            .map(|l| {
                l.into_iter()
                    .map(|l| locate(&l, &metadata))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !locations.is_empty(),
            "[[api]] {} names no sources",
            api.version
        );
        let sources: Vec<codegen::SourceDocument> = locations
            .iter()
            .map(|l| codegen::SourceDocument::read(std::path::Path::new(l)).unwrap())
            .collect();
        let update = codegen::update(
            &root,
            &api.version,
            &sources,
            codegen::UpdateOptions::default(),
            codegen::Mode::Check,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            update.specs_changed.is_empty(),
            "{}: not what `cargo xtask update --api {}` derives from {locations:?}; run it, \
             or declare the change as a [[correction]]",
            update.specs_changed.join(", "),
            api.version
        );
        assert!(
            update.generation.report.is_clean(),
            "the generated crate is not what the derived {} spec gives:\n{}",
            api.version,
            update.generation.report.diff
        );
    }
}

/// A default source's location, with the reference data wherever the tests found it.
fn locate(location: &str, metadata: &std::path::Path) -> String {
    match location.split_once("graph-metadata/") {
        Some((_, relative)) => metadata.join(relative).display().to_string(),
        None => location.to_string(),
    }
}

/// A spec's model, sliced to the project's families (before the corrections).
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

/// The models the crate was generated from, after the project's corrections, by module.
fn generated_models() -> BTreeMap<String, Api> {
    let path = workspace().join("generated/codegen.model.json");
    let text = std::fs::read_to_string(&path).unwrap();
    codegen::changes::record::parse(&text, "codegen.model.json")
        .unwrap()
        .into_iter()
        .map(|r| (r.module, r.api))
        .collect()
}

#[test]
fn the_differences_between_beta_and_v1_are_the_expected_ones() {
    let models = generated_models();
    let differences = differences(&models["beta"], &models["v1_0"], false);
    assert!(
        differences
            .contains(&"microsoft.graph.timeOff.teamInfo: only in the project's spec".to_string()),
        "{differences:#?}"
    );
    assert!(
        !differences.iter().any(|d| d.contains("/occurrences")),
        "beta and v1.0 offer the same operations on occurrences: {differences:#?}"
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
fn microsofts_beta_documents_lag_current_beta_only_where_reviewed() {
    let api = generated_models().remove("beta").unwrap();
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
    assert!(checked > 30, "only {checked} types were checked");
    insta::assert_snapshot!("beta_documents_behind_current_beta", problems.join("\n"));
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
        let unknown = codegen::config::apply_permissions(&mut api, &table, &[]);
        assert!(
            unknown.is_empty(),
            "{version}: keys that name no operation: {unknown:?}"
        );
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
