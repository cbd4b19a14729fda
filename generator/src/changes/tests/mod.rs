//! One test per rule of the change report: each edits a small model (`base.yaml`) the way
//! Microsoft's metadata changes, and checks that the rule fires with its class and a reason
//! whose every `{value}` is filled in. A last test checks that every rule has its test.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::config::Family;
use crate::model::*;
use crate::paths::PathPattern;

#[test]
fn bumps_follow_cargo_rules_below_one() {
    let v = semver::Version::parse("0.1.0").unwrap();
    assert_eq!(Bump::Major.next(&v).to_string(), "0.2.0");
    assert_eq!(Bump::Minor.next(&v).to_string(), "0.1.1");
    assert_eq!(Bump::Patch.next(&v).to_string(), "0.1.1");
    assert_eq!(Bump::None.next(&v).to_string(), "0.1.0");
    let v = semver::Version::parse("1.4.2").unwrap();
    assert_eq!(Bump::Major.next(&v).to_string(), "2.0.0");
    assert_eq!(Bump::Minor.next(&v).to_string(), "1.5.0");
    assert_eq!(Bump::Patch.next(&v).to_string(), "1.4.3");
}

#[test]
fn every_reason_names_only_values_the_comparison_gives() {
    let known = [
        "ident", "any", "old", "new", "rust", "wire", "target", "method", "struct",
    ];
    for rule in Rule::ALL {
        for name in rules::placeholders(rule.reason()) {
            assert!(known.contains(&name), "{rule:?}: `{{{name}}}`");
        }
    }
}

/// Both sides of a comparison, before the edit.
struct Case {
    old: Api,
    new: Api,
    old_outside: BTreeMap<(String, String), Property>,
    new_outside: BTreeMap<(String, String), Property>,
    old_document: BTreeSet<String>,
    families: Vec<Family>,
}

fn base() -> Api {
    crate::load::openapi::load_str(include_str!("base.yaml"), "base.yaml")
        .unwrap_or_else(|e| panic!("{e}"))
        .api
}

/// The report of an edit of the base model.
fn report(edit: impl FnOnce(&mut Case)) -> Report {
    let mut case = Case {
        old: base(),
        new: base(),
        old_outside: BTreeMap::new(),
        new_outside: BTreeMap::new(),
        old_document: BTreeSet::new(),
        families: Vec::new(),
    };
    edit(&mut case);
    let old = Side {
        label: "old".into(),
        api: &case.old,
        outside: case.old_outside.clone(),
        document_types: case.old_document.clone(),
    };
    let new = Side {
        label: "new".into(),
        api: &case.new,
        outside: case.new_outside.clone(),
        document_types: BTreeSet::new(),
    };
    Report::new(&old, &new, "api", &case.families)
}

/// Checks that `rule` fires on an edit, as its table says.
fn fires(rule: Rule, edit: impl FnOnce(&mut Case)) {
    let report = report(edit);
    let found: Vec<Rule> = report.changes.iter().map(|c| c.rule).collect();
    let change = report
        .changes
        .iter()
        .find(|c| c.rule == rule)
        .unwrap_or_else(|| panic!("{rule:?} did not fire; found {found:?}"));
    assert_eq!(change.class, rule.class(), "{change:?}");
    assert_eq!(change.kind, rule.kind(), "{change:?}");
    assert!(
        rules::placeholders(&change.reason).is_empty(),
        "{rule:?}: a value is missing from the reason: {}",
        change.reason
    );
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

fn color(api: &mut Api) -> &mut EnumType {
    match api.types.get_mut("microsoft.graph.color") {
        Some(TypeDef::Enum(e)) => e,
        _ => panic!("no enum color"),
    }
}

fn member(name: &str) -> EnumMember {
    EnumMember {
        name: name.into(),
        value: None,
        description: None,
    }
}

fn op<'a>(api: &'a mut Api, method: HttpMethod, path: &str) -> &'a mut Operation {
    api.operations
        .iter_mut()
        .find(|o| o.method == method && o.path.to_string() == path)
        .unwrap_or_else(|| panic!("no operation {method} {path}"))
}

const ITEM: &str = "/things/{thing-id}";
const VIEW: &str = "/things/{thing-id}/microsoft.graph.view(start='{start}')";

fn new_type(name: &str, base: Option<&str>) -> TypeDef {
    TypeDef::Object(ObjectType {
        name: format!("microsoft.graph.{name}"),
        kind: ObjectKind::Complex,
        base: base.map(|b| format!("microsoft.graph.{b}")),
        is_abstract: false,
        is_open: false,
        description: None,
        properties: Vec::new(),
    })
}

fn add_type(api: &mut Api, name: &str, base: Option<&str>) {
    api.types
        .insert(format!("microsoft.graph.{name}"), new_type(name, base));
}

fn new_property(name: &str, ty: TypeRef, nullable: bool) -> Property {
    Property {
        name: name.into(),
        ty,
        nullable,
        read_only: false,
        navigation: false,
        immutable: false,
        key: false,
        description: None,
    }
}

fn int32() -> TypeRef {
    TypeRef::Primitive(Primitive::Int32)
}

fn family(name: &str, pattern: &str) -> Family {
    Family {
        name: name.into(),
        description: None,
        paths: vec![PathPattern::parse(pattern).unwrap()],
    }
}

fn things_family() -> Family {
    Family {
        name: "things".into(),
        description: None,
        paths: vec![PathPattern::parse("/things/**").unwrap()],
    }
}

fn listed(api: &mut Api, values: &[&str]) {
    for q in &mut op(api, HttpMethod::Get, "/things").query {
        if let QueryOption::Select(v) = q {
            *v = values.iter().map(|s| s.to_string()).collect();
        }
    }
}

fn permissions(delegated: &[&str]) -> Option<Permissions> {
    Some(Permissions {
        delegated: delegated.iter().map(|s| s.to_string()).collect(),
        ..Permissions::default()
    })
}

/// One `#[test]` per rule, and the list of the rules they cover.
macro_rules! rule_tests {
    ($($test:ident: $rule:ident => |$case:ident| $edit:block)*) => {
        $(
            #[test]
            fn $test() {
                fires(Rule::$rule, |$case: &mut Case| $edit);
            }
        )*
        const TESTED: &[Rule] = &[$(Rule::$rule),*];
    };
}

#[test]
fn every_rule_has_a_test() {
    let tested: BTreeSet<Rule> = TESTED.iter().copied().collect();
    let untested: Vec<&Rule> = Rule::ALL.iter().filter(|r| !tested.contains(r)).collect();
    assert!(untested.is_empty(), "rules without a test: {untested:?}");
}

rule_tests! {
    family_added: FamilyAdded => |c| {
        c.families = vec![things_family()];
        c.old.operations.clear();
    }
    family_removed: FamilyRemoved => |c| {
        c.families = vec![things_family()];
        c.new.operations.clear();
    }
    type_added: TypeAdded => |c| { add_type(&mut c.new, "spare", None); }
    type_reached: TypeReached => |c| {
        add_type(&mut c.new, "spare", None);
        c.old_document.insert("microsoft.graph.spare".into());
    }
    type_removed: TypeRemoved => |c| { add_type(&mut c.old, "spare", None); }
    type_renamed: TypeRenamed => |c| { add_type(&mut c.new, "Detail", None); }
    type_reshaped: TypeReshaped => |c| {
        c.new.types.insert(
            "microsoft.graph.detail".into(),
            TypeDef::Enum(EnumType {
                name: "microsoft.graph.detail".into(),
                description: None,
                members: vec![member("a")],
                flags: false,
            }),
        );
    }
    base_changed: BaseChanged => |c| {
        object(&mut c.new, "bigThing").base = Some("microsoft.graph.entity".into());
    }
    kind_changed: KindChanged => |c| { object(&mut c.new, "detail").kind = ObjectKind::Entity; }
    now_abstract: NowAbstract => |c| { object(&mut c.new, "thing").is_abstract = true; }
    no_longer_abstract: NoLongerAbstract => |c| { object(&mut c.new, "entity").is_abstract = false; }
    first_derived: FirstDerived => |c| { add_type(&mut c.new, "richDetail", Some("detail")); }
    no_derived_left: NoDerivedLeft => |c| {
        c.new.types.remove("microsoft.graph.bigThing");
    }
    any_renamed: AnyRenamed => |c| { add_type(&mut c.new, "anyThing", None); }
    derived_added: DerivedAdded => |c| { add_type(&mut c.new, "smallThing", Some("thing")); }
    derived_removed: DerivedRemoved => |c| { add_type(&mut c.old, "smallThing", Some("thing")); }
    flags_changed: FlagsChanged => |c| { color(&mut c.new).flags = true; }
    feature_narrowed: FeatureNarrowed => |c| {
        // `color` is reached by listing things (a thing's color) and by painting one (its
        // parameters); without the property, listing no longer needs it.
        c.families = vec![family("listing", "/things"), family("painting", "/things/{thing-id}/microsoft.graph.paint")];
        object(&mut c.new, "thing").properties.retain(|p| p.name != "color");
    }
    member_added: MemberAdded => |c| { color(&mut c.new).members.insert(0, member("yellow")); }
    member_added_after_sentinel: MemberAddedAfterSentinel => |c| {
        color(&mut c.new).members.push(member("purple"));
    }
    member_renamed: MemberRenamed => |c| { color(&mut c.new).members.insert(0, member("Red")); }
    member_value_changed: MemberValueChanged => |c| { color(&mut c.new).members[0].value = Some(7); }
    member_now_after_sentinel: MemberNowAfterSentinel => |c| {
        let green = color(&mut c.new).members.remove(1);
        color(&mut c.new).members.push(green);
    }
    member_now_before_sentinel: MemberNowBeforeSentinel => |c| {
        let blue = color(&mut c.new).members.pop().unwrap();
        color(&mut c.new).members.insert(0, blue);
    }
    member_removed: MemberRemoved => |c| {
        color(&mut c.new).members.remove(1);
    }
    field_removed: FieldRemoved => |c| { object(&mut c.new, "thing").properties.retain(|p| p.name != "name"); }
    field_left_families: FieldLeftFamilies => |c| {
        let parts = property(&mut c.new, "thing", "parts").clone();
        object(&mut c.new, "thing").properties.retain(|p| p.name != "parts");
        c.new_outside.insert(("microsoft.graph.thing".into(), "parts".into()), parts);
    }
    field_added: FieldAdded => |c| {
        let p = new_property("note", TypeRef::Primitive(Primitive::String), true);
        object(&mut c.new, "thing").properties.push(p);
    }
    navigation_added: NavigationAdded => |c| {
        let mut p = new_property("related", TypeRef::collection(TypeRef::named("microsoft.graph.part")), false);
        p.navigation = true;
        object(&mut c.new, "thing").properties.push(p);
    }
    not_nullable_field_added: NotNullableFieldAdded => |c| {
        object(&mut c.new, "thing").properties.push(new_property("count", int32(), false));
    }
    required_parameter_added: RequiredParameterAdded => |c| {
        object(&mut c.new, "paint.Parameters").properties.push(new_property("coats", int32(), false));
    }
    field_renamed: FieldRenamed => |c| {
        let p = new_property("Name", TypeRef::Primitive(Primitive::String), true);
        object(&mut c.new, "thing").properties.insert(0, p);
    }
    now_nullable: NowNullable => |c| { property(&mut c.new, "thing", "size").nullable = true; }
    no_longer_nullable: NoLongerNullable => |c| { property(&mut c.new, "thing", "name").nullable = false; }
    field_retyped: FieldRetyped => |c| {
        property(&mut c.new, "thing", "size").ty = TypeRef::Primitive(Primitive::Int64);
    }
    wire_type_changed: WireTypeChanged => |c| {
        property(&mut c.new, "thing", "weight").ty = TypeRef::Primitive(Primitive::Single);
    }
    rust_type_changed: RustTypeChanged => |c| { color(&mut c.new).flags = true; }
    now_read_only: NowReadOnly => |c| { property(&mut c.new, "thing", "name").read_only = true; }
    now_immutable: NowImmutable => |c| { property(&mut c.new, "thing", "name").immutable = true; }
    no_longer_immutable: NoLongerImmutable => |c| { property(&mut c.old, "thing", "name").immutable = true; }
    no_longer_read_only: NoLongerReadOnly => |c| { property(&mut c.new, "entity", "id").read_only = false; }
    now_navigation: NowNavigation => |c| { property(&mut c.new, "thing", "size").navigation = true; }
    now_structural: NowStructural => |c| { property(&mut c.new, "thing", "parts").navigation = false; }
    outside_added: OutsideAdded => |c| {
        let p = new_property("friends", TypeRef::named("microsoft.graph.user"), true);
        c.new_outside.insert(("microsoft.graph.thing".into(), "friends".into()), p);
    }
    outside_removed: OutsideRemoved => |c| {
        let p = new_property("friends", TypeRef::named("microsoft.graph.user"), true);
        c.old_outside.insert(("microsoft.graph.thing".into(), "friends".into()), p);
    }
    verb_to_patch: VerbToPatch => |c| { op(&mut c.old, HttpMethod::Patch, ITEM).method = HttpMethod::Put; }
    verb_to_put: VerbToPut => |c| { op(&mut c.new, HttpMethod::Patch, ITEM).method = HttpMethod::Put; }
    operation_added: OperationAdded => |c| { c.old.operations.retain(|o| o.method != HttpMethod::Delete); }
    operation_removed: OperationRemoved => |c| { c.new.operations.retain(|o| o.method != HttpMethod::Delete); }
    path_renamed: PathRenamed => |c| {
        // A sibling that snakes to the same name comes first and takes `view`.
        let mut sibling = op(&mut c.new, HttpMethod::Get, ITEM).clone();
        sibling.path.segments.push(Segment::Literal("View".into()));
        c.new.operations.push(sibling);
        c.new.sort_operations();
    }
    operation_renamed: OperationRenamed => |c| {
        // A root that sorts first and is named alike takes `ThingsGet`.
        let mut twin = op(&mut c.new, HttpMethod::Get, "/things").clone();
        twin.path.segments[0] = Segment::Literal("Things".into());
        c.new.operations.push(twin);
        c.new.sort_operations();
    }
    body_changed: BodyChanged => |c| {
        op(&mut c.new, HttpMethod::Patch, ITEM).body = Some(TypeRef::named("microsoft.graph.detail"));
    }
    output_changed: OutputChanged => |c| {
        op(&mut c.new, HttpMethod::Get, ITEM).response = Response::Single(TypeRef::named("microsoft.graph.detail"));
    }
    parameter_added: ParameterAdded => |c| {
        let view = op(&mut c.new, HttpMethod::Get, VIEW);
        if let Some(Segment::Call { params, .. }) = view.path.segments.last_mut() {
            let mut end = params[0].clone();
            end.name = "end".into();
            params.push(end);
        }
    }
    parameter_widened: ParameterWidened => |c| { call_param(&mut c.new).nullable = true; }
    parameter_retyped: ParameterRetyped => |c| { call_param(&mut c.new).ty = int32(); }
    parameter_removed: ParameterRemoved => |c| {
        if let Some(Segment::Call { params, .. }) = op(&mut c.new, HttpMethod::Get, VIEW).path.segments.last_mut() {
            params.clear();
        }
    }
    query_added: QueryAdded => |c| { op(&mut c.old, HttpMethod::Get, "/things").query.retain(|q| *q != QueryOption::Top); }
    query_values_unlisted: QueryValuesUnlisted => |c| { listed(&mut c.new, &[]); }
    query_values_listed: QueryValuesListed => |c| { listed(&mut c.old, &[]); }
    query_values_added: QueryValuesAdded => |c| { listed(&mut c.new, &["id", "name", "size"]); }
    query_values_removed: QueryValuesRemoved => |c| { listed(&mut c.new, &["id"]); }
    query_removed: QueryRemoved => |c| { op(&mut c.new, HttpMethod::Get, "/things").query.retain(|q| *q != QueryOption::Top); }
    header_added: HeaderAdded => |c| { header(&mut c.new, "Prefer", false); }
    required_header_added: RequiredHeaderAdded => |c| { header(&mut c.new, "X-Required", true); }
    header_now_required: HeaderNowRequired => |c| { op(&mut c.new, HttpMethod::Patch, ITEM).headers[0].required = true; }
    header_now_optional: HeaderNowOptional => |c| { op(&mut c.old, HttpMethod::Patch, ITEM).headers[0].required = true; }
    header_removed: HeaderRemoved => |c| { op(&mut c.new, HttpMethod::Patch, ITEM).headers.clear(); }
    permissions_widened: PermissionsWidened => |c| {
        op(&mut c.old, HttpMethod::Get, ITEM).permissions = permissions(&["A"]);
        op(&mut c.new, HttpMethod::Get, ITEM).permissions = permissions(&["A", "B"]);
    }
    permissions_documented: PermissionsDocumented => |c| {
        op(&mut c.new, HttpMethod::Get, ITEM).permissions = permissions(&["A"]);
    }
    permissions_narrowed: PermissionsNarrowed => |c| {
        op(&mut c.old, HttpMethod::Get, ITEM).permissions = permissions(&["A", "B"]);
        op(&mut c.new, HttpMethod::Get, ITEM).permissions = permissions(&["A"]);
    }
    documentation: Documentation => |c| { object(&mut c.new, "thing").description = Some("Another thing.".into()); }
}

fn call_param(api: &mut Api) -> &mut CallParam {
    match op(api, HttpMethod::Get, VIEW).path.segments.last_mut() {
        Some(Segment::Call { params, .. }) => &mut params[0],
        _ => panic!("the view function has a parameter"),
    }
}

fn header(api: &mut Api, name: &str, required: bool) {
    op(api, HttpMethod::Patch, ITEM).headers.push(HeaderParam {
        name: name.into(),
        required,
        description: None,
    });
}

#[test]
fn changes_of_the_projects_corrections_are_told_from_microsofts() {
    let report = report(|c| {
        c.new.operations.retain(|o| o.method != HttpMethod::Delete);
        c.new
            .corrections
            .insert("DELETE /things/{thing-id}".into(), "why (where)".into());
        object(&mut c.new, "thing")
            .properties
            .retain(|p| p.name != "name");
    });
    let removed = report
        .changes
        .iter()
        .find(|c| c.rule == Rule::OperationRemoved)
        .unwrap();
    assert_eq!(removed.origin, Origin::Correction("why (where)".into()));
    let field = report
        .changes
        .iter()
        .find(|c| c.rule == Rule::FieldRemoved)
        .unwrap();
    assert_eq!(field.origin, Origin::Metadata);
    let markdown = render::markdown(&report, 2);
    assert!(
        markdown.contains("A change of the project's corrections: why (where)."),
        "{markdown}"
    );
}
