//! The project's `specs/` agree with Microsoft's published metadata.
//!
//! 1. The model of `specs/beta/openapi.yaml` is compared with the model of Microsoft's beta
//!    OpenAPI slices (`../shared/graph-metadata/openapi/`). Every difference is listed, and the
//!    list is a reviewed snapshot: a new difference fails the test until it is understood.
//! 2. Every type of the spec has exactly the property and member names that current beta has
//!    (`type-mappings/beta-*.json`), apart from the navigation properties the slice leaves out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use codegen::model::{Api, Operation, TypeDef, TypeRef};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn graph_metadata() -> PathBuf {
    let dir = std::env::var_os("GRAPH_METADATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/graph-metadata"));
    assert!(dir.is_dir(), "this test reads Microsoft's metadata from {} (set $GRAPH_METADATA); not found", dir.display());
    dir
}

fn project() -> Api {
    codegen::load::load_file(&workspace().join("specs/beta/openapi.yaml")).unwrap().api
}

fn microsoft() -> Api {
    let dir = graph_metadata().join("openapi");
    let mut api = Api::default();
    for file in ["beta-workhoursandlocations.yaml", "beta-schedule-timeoff.yaml"] {
        api.merge(codegen::load::load_file(&dir.join(file)).unwrap().api).unwrap();
    }
    api
}

fn op_key(op: &Operation) -> String {
    format!("{} {}", op.method, op.path)
}

/// A property's type with its nullability, for comparison.
fn shape(ty: &TypeRef, nullable: bool) -> String {
    format!("{ty}{}", if nullable { "?" } else { "" })
}

fn differences(ours: &Api, theirs: &Api) -> Vec<String> {
    let mut out = Vec::new();
    let our_ops: BTreeMap<String, &Operation> = ours.operations.iter().map(|o| (op_key(o), o)).collect();
    let their_ops: BTreeMap<String, &Operation> = theirs.operations.iter().map(|o| (op_key(o), o)).collect();
    for (key, theirs) in &their_ops {
        match our_ops.get(key) {
            None => out.push(format!("operation only in Microsoft's slice: {key}")),
            Some(ours) => {
                if ours.id != theirs.id {
                    out.push(format!("{key}: operationId {} vs Microsoft's {}", ours.id, theirs.id));
                }
                if ours.query != theirs.query {
                    out.push(format!("{key}: query options {:?} vs Microsoft's {:?}", ours.query, theirs.query));
                }
                if ours.headers.iter().map(|h| &h.name).ne(theirs.headers.iter().map(|h| &h.name)) {
                    let names = |o: &Operation| o.headers.iter().map(|h| h.name.clone()).collect::<Vec<_>>();
                    out.push(format!("{key}: headers {:?} vs Microsoft's {:?}", names(ours), names(theirs)));
                }
                if ours.body != theirs.body {
                    out.push(format!("{key}: body {:?} vs Microsoft's {:?}", ours.body, theirs.body));
                }
                if ours.response != theirs.response {
                    out.push(format!("{key}: response {:?} vs Microsoft's {:?}", ours.response, theirs.response));
                }
                if ours.kind != theirs.kind {
                    out.push(format!("{key}: kind {:?} vs Microsoft's {:?}", ours.kind, theirs.kind));
                }
            }
        }
    }
    for key in our_ops.keys().filter(|k| !their_ops.contains_key(*k)) {
        out.push(format!("operation only in the project's spec: {key}"));
    }
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
                    out.push(format!("{name}: members added {added:?}, removed {removed:?}"));
                }
            }
            (TypeDef::Object(a), TypeDef::Object(b)) => {
                if a.base != b.base {
                    out.push(format!("{name}: base {:?} vs Microsoft's {:?}", a.base, b.base));
                }
                let props = |o: &codegen::model::ObjectType| -> BTreeMap<String, (String, bool, bool)> {
                    o.properties
                        .iter()
                        .map(|p| (p.name.clone(), (shape(&p.ty, p.nullable), p.nullable, matches!(p.ty, TypeRef::Named(_)))))
                        .collect()
                };
                let (pa, pb) = (props(a), props(b));
                for (prop, (their_shape, their_nullable, is_ref)) in &pb {
                    match pa.get(prop) {
                        None => out.push(format!("{name}.{prop}: only in Microsoft's slice")),
                        Some((our_shape, our_nullable, _)) if our_shape != their_shape => {
                            // Microsoft's OpenAPI writes references as a bare `$ref`, losing
                            // their nullability; only a difference in type is one.
                            if *is_ref && our_nullable != their_nullable && our_shape.trim_end_matches('?') == their_shape {
                                continue;
                            }
                            out.push(format!("{name}.{prop}: {our_shape} vs Microsoft's {their_shape}"));
                        }
                        _ => {}
                    }
                }
                for prop in pa.keys().filter(|p| !pb.contains_key(*p)) {
                    out.push(format!("{name}.{prop}: only in the project's spec"));
                }
            }
            _ => out.push(format!("{name}: an enum in one, an object in the other")),
        }
    }
    for name in ours.types.keys().filter(|n| !theirs.types.contains_key(*n)) {
        out.push(format!("type only in the project's spec: {name}"));
    }
    out
}

#[test]
fn the_beta_spec_agrees_with_microsofts_openapi() {
    let list = differences(&project(), &microsoft()).join("\n");
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
        let Some((namespace, short)) = name.rsplit_once('.') else { continue };
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
            TypeDef::Object(o) if o.kind == codegen::model::ObjectKind::ActionParameters => {}
            TypeDef::Object(o) => {
                let entry = if entities[namespace][short].is_object() { &entities[namespace][short] } else { &complex[namespace][short] };
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
                    problems.push(format!("{name}: missing {missing:?}, not in beta {extra:?}"));
                }
                checked += 1;
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 60, "only {checked} types were checked");
}
