//! Two surfaces → classified changes.
//!
//! The rules, and why (each reason names what the emitter produces):
//!
//! * structs are `#[non_exhaustive]`, built with `Default` and `with_*` setters, and every field
//!   is `Option` or `Nullable`: a new property never breaks code; a removed or retyped one does,
//!   and so does a nullability flip, which swaps `Option<T>` and `Nullable<T>`;
//! * enums are `#[non_exhaustive]` and open (`Unrecognized` keeps unknown values): a new member
//!   never breaks code; a removed one does;
//! * a type with derived types is used through its `Any*` enum: a first derived type changes
//!   every field of that type, a further one only adds a variant (which changes how those
//!   payloads decode, so it needs attention);
//! * navigation and operations are methods named after the URL and the verb: a removed
//!   operation, a verb turned into another (PUT into PATCH), a changed body, output or function
//!   parameter breaks code; a new one does not;
//! * Rust names are made unique across a whole API, so a new type or property can rename an
//!   existing one: that is breaking, and reported as such.

use std::collections::{BTreeMap, BTreeSet};

use super::surface::{
    EnumSurface, FieldSurface, OpSurface, Shape, StructSurface, Surface, TypeSurface,
};
use super::{Area, Change, Class, Kind, Side, short};
use crate::config::Family;
use crate::model::{HttpMethod, ObjectKind, Property};

fn change(
    class: Class,
    kind: Kind,
    area: Area,
    subject: impl Into<String>,
    detail: impl Into<String>,
    rust: impl Into<String>,
    reason: impl Into<String>,
) -> Change {
    Change {
        class,
        kind,
        area,
        subject: subject.into(),
        detail: detail.into(),
        rust: rust.into(),
        reason: reason.into(),
    }
}

/// Every change from `old` to `new`.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Vec::new();
    types(old, new, &mut out);
    fields(old, new, &mut out);
    outside(old, new, &mut out);
    operations(old, new, &mut out);
    out
}

/// Families that appear or disappear between the two sides; and, as notes, families that
/// exist in neither.
pub fn families(
    old: &Side,
    new: &Side,
    families: &[Family],
    notes: &mut Vec<String>,
) -> Vec<Change> {
    let mut out = Vec::new();
    for family in families {
        let count = |side: &Side| {
            side.api
                .operations
                .iter()
                .filter(|op| family.matches(&op.path))
                .count()
        };
        let (before, after) = (count(old), count(new));
        match (before, after) {
            (0, 0) => notes.push(format!(
                "The family `{}` has no operation in either document.",
                family.name
            )),
            (0, n) => out.push(change(
                Class::NonBreaking,
                Kind::Added,
                Area::Family,
                &family.name,
                format!("{n} operations; absent from {}", old.label),
                "",
                "the API was introduced: its operations and types are listed as added",
            )),
            (n, 0) => out.push(change(
                Class::Breaking,
                Kind::Removed,
                Area::Family,
                &family.name,
                format!("{n} operations; absent from {}", new.label),
                "",
                "every operation of the family is gone: code that calls them no longer compiles",
            )),
            _ => {}
        }
    }
    out
}

fn types(old: &Surface, new: &Surface, out: &mut Vec<Change>) {
    let names: BTreeSet<&String> = old.types.keys().chain(new.types.keys()).collect();
    for name in names {
        match (old.types.get(name), new.types.get(name)) {
            (None, Some(t)) => out.push(change(
                Class::NonBreaking,
                Kind::Added,
                Area::Type,
                short(name),
                type_summary(t),
                format!("models::{}", t.ident),
                if old.document_types.contains(name) {
                    "a new type in the crate (already in the document, now reached by the families); nothing existing changes"
                } else {
                    "a new type; nothing existing changes"
                },
            )),
            (Some(t), None) => out.push(change(
                Class::Breaking,
                Kind::Removed,
                Area::Type,
                short(name),
                type_summary(t),
                format!("models::{}", t.ident),
                format!("`{}` is no longer generated: code that names it no longer compiles", t.ident),
            )),
            (Some(a), Some(b)) => type_changes(a, b, out),
            (None, None) => {}
        }
    }
}

fn type_summary(t: &TypeSurface) -> String {
    match &t.shape {
        Shape::Struct(s) => {
            let kind = match s.kind {
                ObjectKind::Entity => "entity type",
                ObjectKind::Complex => "complex type",
                ObjectKind::ActionParameters => "action parameters",
            };
            match &s.base {
                Some(base) => format!("{kind} derived from {}", short(base)),
                None => kind.to_string(),
            }
        }
        Shape::Enum(e) => {
            let members: Vec<&str> = e.members.iter().map(|m| m.member.name.as_str()).collect();
            format!(
                "{}enum: {}",
                if e.flags { "flags " } else { "" },
                members.join(", ")
            )
        }
    }
}

fn type_changes(a: &TypeSurface, b: &TypeSurface, out: &mut Vec<Change>) {
    let subject = short(&b.name);
    let rust = format!("models::{}", b.ident);
    if a.ident != b.ident {
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::Type,
            subject,
            "Rust name",
            format!("models::{} → models::{}", a.ident, b.ident),
            format!("the Rust name changes to stay unique among the API's types: code that names `{}` no longer compiles", a.ident),
        ));
    }
    if a.description != b.description {
        out.push(change(
            Class::NonBreaking,
            Kind::Changed,
            Area::Documentation,
            subject,
            "description",
            &rust,
            "documentation only",
        ));
    }
    match (&a.shape, &b.shape) {
        (Shape::Struct(x), Shape::Struct(y)) => struct_changes(subject, &rust, &b.ident, x, y, out),
        (Shape::Enum(x), Shape::Enum(y)) => enum_changes(subject, &b.ident, x, y, out),
        _ => out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::Type,
            subject,
            format!("{} → {}", type_summary(a), type_summary(b)),
            rust,
            "the type changes between a struct and an enum: code that uses it no longer compiles",
        )),
    }
}

fn struct_changes(
    subject: &str,
    rust: &str,
    ident: &str,
    a: &StructSurface,
    b: &StructSurface,
    out: &mut Vec<Change>,
) {
    if a.base != b.base {
        let show = |base: &Option<String>| {
            base.as_deref()
                .map(short)
                .unwrap_or("no base type")
                .to_string()
        };
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::Type,
            subject,
            format!("base type {} → {}", show(&a.base), show(&b.base)),
            rust,
            format!("`{ident}` inherits other fields, and belongs to another `Any*` enum"),
        ));
    }
    if a.kind != b.kind {
        out.push(change(
            Class::NeedsAttention,
            Kind::Changed,
            Area::Type,
            subject,
            format!("{:?} → {:?}", a.kind, b.kind).to_lowercase(),
            rust,
            "the struct is unchanged, but OData addresses it differently (an entity has a key and its own URL)",
        ));
    }
    if a.is_abstract != b.is_abstract {
        let (class, reason) = if b.is_abstract {
            (
                Class::NeedsAttention,
                format!(
                    "the service no longer sends or accepts a plain `{ident}`, only its derived types"
                ),
            )
        } else {
            (
                Class::NonBreaking,
                format!("the service may now send or accept a plain `{ident}`"),
            )
        };
        out.push(change(
            class,
            Kind::Changed,
            Area::Type,
            subject,
            if b.is_abstract {
                "now abstract"
            } else {
                "no longer abstract"
            },
            rust,
            reason,
        ));
    }
    match (&a.any, &b.any) {
        (None, Some(any)) => out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::DerivedType,
            subject,
            format!("first derived types: {}", b.derived.iter().map(|d| short(d)).collect::<Vec<_>>().join(", ")),
            format!("{ident} → {any}"),
            format!("`{ident}` now has derived types, so every field, body and output of this type becomes `{any}`: code that uses them as `{ident}` no longer compiles"),
        )),
        (Some(any), None) => out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::DerivedType,
            subject,
            "no derived types left",
            format!("{any} → {ident}"),
            format!("`{ident}` has no derived types any more, so `{any}` is gone and fields of this type are `{ident}`: code that uses `{any}` no longer compiles"),
        )),
        (Some(any_a), Some(any)) => {
            if any_a != any {
                out.push(change(
                    Class::Breaking,
                    Kind::Changed,
                    Area::DerivedType,
                    subject,
                    "Rust name of the `Any*` enum",
                    format!("{any_a} → {any}"),
                    format!("code that names `{any_a}` no longer compiles"),
                ));
            }
            for d in b.derived.iter().filter(|d| !a.derived.contains(d)) {
                out.push(change(
                    Class::NeedsAttention,
                    Kind::Added,
                    Area::DerivedType,
                    format!("{subject} ← {}", short(d)),
                    format!("`@odata.type` #{d}"),
                    format!("{any}::{}", crate::names::camel(crate::names::short_name(d))),
                    format!(
                        "`{any}` is `#[non_exhaustive]`, so code compiles, but payloads of this type, until now read as `{any}::{ident}` (their extra properties in `extra`), now arrive as the new variant"
                    ),
                ));
            }
            for d in a.derived.iter().filter(|d| !b.derived.contains(d)) {
                out.push(change(
                    Class::Breaking,
                    Kind::Removed,
                    Area::DerivedType,
                    format!("{subject} ← {}", short(d)),
                    format!("`@odata.type` #{d}"),
                    format!("{any}::{}", crate::names::camel(crate::names::short_name(d))),
                    format!("the variant is gone: code that names it no longer compiles; such payloads now arrive as `{any}::{ident}`"),
                ));
            }
        }
        (None, None) => {}
    }
}

fn enum_changes(
    subject: &str,
    ident: &str,
    a: &EnumSurface,
    b: &EnumSurface,
    out: &mut Vec<Change>,
) {
    if a.flags != b.flags {
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::Type,
            subject,
            if b.flags { "now a flags enum" } else { "no longer a flags enum" },
            format!("models::{ident}"),
            format!("fields of this type change between `Flags<{ident}>` and `{ident}`: code that uses them no longer compiles"),
        ));
    }
    for m in &b.members {
        let member_subject = format!("{subject}.{}", m.member.name);
        let rust = format!("{ident}::{}", m.variant);
        match a.members.iter().find(|o| o.member.name == m.member.name) {
            None => {
                let mut reason = format!(
                    "a new variant; the enum is `#[non_exhaustive]` and open, so matches already have a wildcard arm; the value, until now read as `{ident}::Unrecognized`, now arrives as `{rust}`"
                );
                if m.after_sentinel {
                    reason = format!(
                        "a new variant; the enum is `#[non_exhaustive]` and open, so matches already have a wildcard arm; declared after `unknownFutureValue`, so Graph sends it only when asked with `Prefer: include-unknown-enum-members`, which the crate sends on every operation whose output can hold it: where Graph sent `unknownFutureValue` (or a value read as `{ident}::Unrecognized`), `{rust}` now arrives"
                    );
                }
                let value = m.member.value.map(|v| format!("= {v}")).unwrap_or_default();
                out.push(change(
                    Class::NonBreaking,
                    Kind::Added,
                    Area::EnumMember,
                    member_subject,
                    value,
                    rust,
                    reason,
                ));
            }
            Some(o) => {
                if o.variant != m.variant {
                    out.push(change(
                        Class::Breaking,
                        Kind::Changed,
                        Area::EnumMember,
                        &member_subject,
                        "Rust name",
                        format!("{ident}::{} → {rust}", o.variant),
                        "the variant is renamed to stay unique: code that names it no longer compiles",
                    ));
                }
                if o.member.value != m.member.value {
                    let show =
                        |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "none".into());
                    out.push(change(
                        Class::NonBreaking,
                        Kind::Changed,
                        Area::EnumMember,
                        &member_subject,
                        format!("value {} → {}", show(o.member.value), show(m.member.value)),
                        &rust,
                        "Graph's JSON carries member names, not values",
                    ));
                }
                if o.after_sentinel != m.after_sentinel {
                    out.push(change(
                        Class::NeedsAttention,
                        Kind::Changed,
                        Area::EnumMember,
                        &member_subject,
                        if m.after_sentinel { "now after unknownFutureValue" } else { "now before unknownFutureValue" },
                        &rust,
                        if m.after_sentinel {
                            "Graph now sends it only when asked with `Prefer: include-unknown-enum-members`, and `UnknownFutureValue` otherwise"
                        } else {
                            "Graph now sends it to every client"
                        },
                    ));
                }
                if o.member.description != m.member.description {
                    out.push(change(
                        Class::NonBreaking,
                        Kind::Changed,
                        Area::Documentation,
                        &member_subject,
                        "description",
                        &rust,
                        "documentation only",
                    ));
                }
            }
        }
    }
    for o in a
        .members
        .iter()
        .filter(|o| !b.members.iter().any(|m| m.member.name == o.member.name))
    {
        out.push(change(
            Class::Breaking,
            Kind::Removed,
            Area::EnumMember,
            format!("{subject}.{}", o.member.name),
            "",
            format!("{ident}::{}", o.variant),
            format!("the variant is gone: code that names it no longer compiles; if the service still sends the value, it arrives as `{ident}::Unrecognized`"),
        ));
    }
}

/// A property change found on one or more structs, merged over the structs that inherit it.
struct FieldChange {
    change: Change,
    structs: Vec<String>,
}

/// Field changes of every struct present on both sides, merged per declaring type.
fn fields(old: &Surface, new: &Surface, out: &mut Vec<Change>) {
    let mut merged: BTreeMap<(String, String, Kind, String), FieldChange> = BTreeMap::new();
    for (name, b) in &new.types {
        let (Some(a), Shape::Struct(bs)) = (old.types.get(name), &b.shape) else {
            continue;
        };
        let Shape::Struct(as_) = &a.shape else {
            continue;
        };
        let kind_of = |s: &StructSurface| s.kind;
        let is_parameters = kind_of(bs) == ObjectKind::ActionParameters;
        for f in &bs.fields {
            match as_
                .fields
                .iter()
                .find(|o| o.property.name == f.property.name)
            {
                None => {
                    let c = added_field(&b.ident, f, is_parameters);
                    record(&mut merged, &f.declared_on, c, &b.ident);
                }
                Some(o) => {
                    for c in changed_field(&b.ident, o, f) {
                        record(&mut merged, &f.declared_on, c, &b.ident);
                    }
                }
            }
        }
        for o in as_
            .fields
            .iter()
            .filter(|o| !bs.fields.iter().any(|f| f.property.name == o.property.name))
        {
            let mut reason = format!(
                "the field is gone: code that reads or sets it no longer compiles; if the service still sends `{}`, the value is kept in `extra`",
                o.property.name
            );
            if new
                .outside
                .contains_key(&(o.declared_on.clone(), o.property.name.clone()))
            {
                reason = "its target type is no longer reached by the configured families, so the field is no longer generated: code that uses it no longer compiles; expanded values arrive in `extra`".to_string();
            }
            let c = change(
                Class::Breaking,
                Kind::Removed,
                if o.property.navigation {
                    Area::Navigation
                } else {
                    Area::Property
                },
                format!("{}.{}", short(&o.declared_on), o.property.name),
                property_detail(&o.property),
                format!("{}::{}: {}", a.ident, o.ident, o.rust),
                reason,
            );
            record(&mut merged, &o.declared_on, c, &a.ident);
        }
    }
    for (_, mut f) in merged {
        f.structs.sort();
        f.structs.dedup();
        // `TimeOff::created_by: T` → `TimeOff, TimeOffReason, ...::created_by: T`.
        if f.structs.len() > 1 {
            if let Some((_, rest)) = f.change.rust.split_once("::") {
                let shown: Vec<&str> = f.structs.iter().take(6).map(String::as_str).collect();
                let more = if f.structs.len() > 6 {
                    format!(" and {} more", f.structs.len() - 6)
                } else {
                    String::new()
                };
                f.change.rust = format!("{{{}{more}}}::{rest}", shown.join(", "));
            }
        }
        out.push(f.change);
    }
}

fn record(
    merged: &mut BTreeMap<(String, String, Kind, String), FieldChange>,
    declared_on: &str,
    c: Change,
    struct_ident: &str,
) {
    let key = (
        declared_on.to_string(),
        c.subject.clone(),
        c.kind,
        c.detail.clone(),
    );
    match merged.get_mut(&key) {
        Some(existing) => existing.structs.push(struct_ident.to_string()),
        None => {
            merged.insert(
                key,
                FieldChange {
                    change: c,
                    structs: vec![struct_ident.to_string()],
                },
            );
        }
    }
}

fn property_detail(p: &Property) -> String {
    let mut detail = p.ty.to_string().replace("microsoft.graph.", "graph.");
    match &p.ty {
        // A collection is never null in OData; whether its items may be is what matters.
        crate::model::TypeRef::Collection { item_nullable, .. } => {
            if *item_nullable {
                detail.push_str(", items nullable");
            }
        }
        _ if p.nullable => detail.push_str(", nullable"),
        _ => detail.push_str(", not nullable"),
    }
    if p.read_only {
        detail.push_str(", read-only");
    }
    detail
}

fn added_field(struct_ident: &str, f: &FieldSurface, is_parameters: bool) -> Change {
    let p = &f.property;
    let subject = format!("{}.{}", short(&f.declared_on), p.name);
    let rust = format!("{struct_ident}::{}: {}", f.ident, f.rust);
    let (class, area, reason) = if p.navigation {
        (Class::NonBreaking, Area::Navigation, "a new field, filled only when asked with `$expand`; structs are `#[non_exhaustive]` and built with `Default` and `with_*` setters, so existing code compiles".to_string())
    } else if is_parameters && !p.nullable {
        (
            Class::NeedsAttention,
            Area::Property,
            "a new required parameter: the parameters struct is `#[non_exhaustive]` with setters, so code compiles, but calls that do not set it may be refused by the service".to_string(),
        )
    } else if !p.nullable && !p.read_only {
        (
            Class::NeedsAttention,
            Area::Property,
            format!(
                "a new field; it compiles like any addition (structs are `#[non_exhaustive]`, fields are `Option`), but the service declares it not nullable: requests that create or replace `{struct_ident}` may have to set it"
            ),
        )
    } else {
        (
            Class::NonBreaking,
            Area::Property,
            "a new field; structs are `#[non_exhaustive]` and built with `Default` and `with_*` setters, so existing code compiles; the value, until now kept in `extra`, now arrives in the field".to_string(),
        )
    };
    change(
        class,
        Kind::Added,
        area,
        subject,
        property_detail(p),
        rust,
        reason,
    )
}

fn changed_field(struct_ident: &str, o: &FieldSurface, f: &FieldSurface) -> Vec<Change> {
    let mut out = Vec::new();
    let (p, q) = (&o.property, &f.property);
    let subject = format!("{}.{}", short(&f.declared_on), q.name);
    let area = if q.navigation {
        Area::Navigation
    } else {
        Area::Property
    };
    if o.ident != f.ident {
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            area,
            &subject,
            "Rust name",
            format!("{struct_ident}::{} → {struct_ident}::{}", o.ident, f.ident),
            "the field is renamed to stay unique among the struct's fields: code that uses it no longer compiles",
        ));
    }
    let rust = format!("{struct_ident}::{}: {}", f.ident, f.rust);
    if p.ty != q.ty || p.nullable != q.nullable {
        let detail = format!("{} → {}", property_detail(p), property_detail(q));
        let (class, reason) = if o.rust != f.rust {
            let why = if p.ty == q.ty && p.nullable != q.nullable {
                if q.nullable {
                    "it may now be `null`, so the field becomes `Nullable<T>` (absent, null, or a value) instead of `Option<T>`"
                } else {
                    "it may no longer be `null`, so the field becomes `Option<T>` (absent or a value) instead of `Nullable<T>`"
                }
            } else {
                "the field's type changes"
            };
            (
                Class::Breaking,
                format!(
                    "{why}: `{}` → `{}`; code that reads or sets it no longer compiles",
                    o.rust, f.rust
                ),
            )
        } else {
            (
                Class::NeedsAttention,
                format!(
                    "the Rust type stays `{}`, but the values the service accepts or sends change",
                    f.rust
                ),
            )
        };
        out.push(change(
            class,
            Kind::Changed,
            area,
            &subject,
            detail,
            &rust,
            reason,
        ));
    } else if o.rust != f.rust {
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            area,
            &subject,
            "Rust type",
            format!("{struct_ident}::{}: {} → {}", f.ident, o.rust, f.rust),
            "the field's Rust type changes (see the changes to its type): code that reads or sets it no longer compiles",
        ));
    }
    if p.read_only != q.read_only {
        let (class, reason) = if q.read_only {
            (
                Class::NeedsAttention,
                "the service now computes it: it ignores or rejects it in requests",
            )
        } else {
            (Class::NonBreaking, "it can now be written")
        };
        out.push(change(
            class,
            Kind::Changed,
            area,
            &subject,
            if q.read_only {
                "now read-only"
            } else {
                "no longer read-only"
            },
            &rust,
            reason,
        ));
    }
    if p.navigation != q.navigation {
        out.push(change(
            Class::NeedsAttention,
            Kind::Changed,
            area,
            &subject,
            if q.navigation {
                "now a navigation property"
            } else {
                "now a structural property"
            },
            &rust,
            if q.navigation {
                "the field is filled only when asked with `$expand`"
            } else {
                "the field now arrives without `$expand`"
            },
        ));
    }
    if p.description != q.description {
        out.push(change(
            Class::NonBreaking,
            Kind::Changed,
            Area::Documentation,
            &subject,
            "description",
            &rust,
            "documentation only",
        ));
    }
    out
}

/// Navigation properties that the families leave out (their target is outside): no field is
/// generated, but the report says they exist.
fn outside(old: &Surface, new: &Surface, out: &mut Vec<Change>) {
    for ((owner, name), p) in &new.outside {
        let existed = old.outside.contains_key(&(owner.clone(), name.clone()))
            || old_has_field(old, owner, name);
        if existed || !old.types.contains_key(owner) {
            continue;
        }
        out.push(change(
            Class::NonBreaking,
            Kind::Added,
            Area::Navigation,
            format!("{}.{name}", short(owner)),
            property_detail(p),
            "",
            format!(
                "its target type `{}` is outside the configured families, so no field is generated; values asked for with `$expand` arrive in `extra`",
                short(p.ty.named_type().unwrap_or("?"))
            ),
        ));
    }
    for ((owner, name), p) in &old.outside {
        if new.outside.contains_key(&(owner.clone(), name.clone()))
            || old_has_field(new, owner, name)
            || !new.types.contains_key(owner)
        {
            continue;
        }
        out.push(change(
            Class::NonBreaking,
            Kind::Removed,
            Area::Navigation,
            format!("{}.{name}", short(owner)),
            property_detail(p),
            "",
            "its target type was outside the configured families, so no field was generated for it and no code used it",
        ));
    }
}

fn old_has_field(surface: &Surface, owner: &str, name: &str) -> bool {
    match surface.types.get(owner).map(|t| &t.shape) {
        Some(Shape::Struct(s)) => s.fields.iter().any(|f| f.property.name == name),
        _ => false,
    }
}

fn op_subject(op: &OpSurface) -> String {
    format!(
        "{} {}",
        op.op.method,
        op.op.path.to_string().replace("/microsoft.graph.", "/")
    )
}

fn operations(old: &Surface, new: &Surface, out: &mut Vec<Change>) {
    // A path whose only update verb changed is one change, not a removal and an addition.
    let mut swapped: BTreeSet<(String, HttpMethod)> = BTreeSet::new();
    for ((path, method), a) in &old.operations {
        let other = match method {
            HttpMethod::Put => HttpMethod::Patch,
            HttpMethod::Patch => HttpMethod::Put,
            _ => continue,
        };
        let gone = !new.operations.contains_key(&(path.clone(), *method));
        let Some(b) = new.operations.get(&(path.clone(), other)) else {
            continue;
        };
        if !gone || old.operations.contains_key(&(path.clone(), other)) {
            continue;
        }
        swapped.insert((path.clone(), *method));
        swapped.insert((path.clone(), other));
        let semantics = if other == HttpMethod::Patch {
            "PATCH sends only the fields that are set, where PUT replaced the whole object"
        } else {
            "PUT replaces the whole object, where PATCH sent only the fields that were set: unset fields are now cleared"
        };
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::Verb,
            op_subject(b),
            format!("{method} → {other}"),
            format!("{} → {}", a.chain, b.chain),
            format!("the method is named after the verb, so code calling `.{}(…)` no longer compiles; {semantics}", method.as_str().to_lowercase()),
        ));
        operation_changes(a, b, out);
    }
    let keys: BTreeSet<&(String, HttpMethod)> =
        old.operations.keys().chain(new.operations.keys()).collect();
    for key in keys {
        if swapped.contains(key) {
            continue;
        }
        match (old.operations.get(key), new.operations.get(key)) {
            (None, Some(b)) => out.push(change(
                Class::NonBreaking,
                Kind::Added,
                Area::Operation,
                op_subject(b),
                operation_summary(b),
                &b.chain,
                format!(
                    "a new method and operation struct (`{}`); nothing existing changes",
                    b.struct_name
                ),
            )),
            (Some(a), None) => out.push(change(
                Class::Breaking,
                Kind::Removed,
                Area::Operation,
                op_subject(a),
                operation_summary(a),
                &a.chain,
                format!(
                    "the method and `{}` are gone: code that calls it no longer compiles",
                    a.struct_name
                ),
            )),
            (Some(a), Some(b)) => operation_changes(a, b, out),
            (None, None) => {}
        }
    }
}

fn operation_summary(op: &OpSurface) -> String {
    let mut s = format!("→ {}", op.output);
    if let Some(body) = &op.body {
        s = format!("body {body} {s}");
    }
    s
}

fn operation_changes(a: &OpSurface, b: &OpSurface, out: &mut Vec<Change>) {
    let subject = op_subject(b);
    // Arguments are compared as parameters; here only the method names matter.
    if without_arguments(&a.chain) != without_arguments(&b.chain) && a.op.method == b.op.method {
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::Operation,
            &subject,
            "how it is reached",
            format!("{} → {}", a.chain, b.chain),
            "a navigation method is renamed to stay unique: code that calls it no longer compiles",
        ));
    }
    // A verb change renames the struct too; that is reported as the verb change.
    if a.struct_name != b.struct_name && a.op.method == b.op.method {
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::Operation,
            &subject,
            "Rust name of the operation",
            format!("{} → {}", a.struct_name, b.struct_name),
            "the operation's struct is renamed to stay unique: code that names the type no longer compiles",
        ));
    }
    if a.body != b.body {
        let show = |b: &Option<String>| b.clone().unwrap_or_else(|| "none".into());
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::Operation,
            &subject,
            format!("body {} → {}", show(&a.body), show(&b.body)),
            &b.chain,
            "the method takes another body: code that calls it no longer compiles",
        ));
    }
    if a.output != b.output {
        out.push(change(
            Class::Breaking,
            Kind::Changed,
            Area::Operation,
            &subject,
            format!("output {} → {}", a.output, b.output),
            format!("<{} as Operation>::Output", b.struct_name),
            "the operation's `Output` changes: code that uses the result no longer compiles",
        ));
    }
    parameters(&subject, a, b, out);
    query(&subject, a, b, out);
    headers(&subject, a, b, out);
    permissions(&subject, a, b, out);
    if a.op.summary != b.op.summary
        || a.op.description != b.op.description
        || a.op.docs_url != b.op.docs_url
    {
        out.push(change(
            Class::NonBreaking,
            Kind::Changed,
            Area::Documentation,
            &subject,
            "summary, description or link",
            &b.chain,
            "documentation only",
        ));
    }
}

/// `a().b(x, y).c(body)` → `a().b().c()`.
fn without_arguments(chain: &str) -> String {
    let mut out = String::with_capacity(chain.len());
    let mut depth = 0usize;
    for c in chain.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth == 1 {
                    out.push('(');
                }
            }
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(')');
                }
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn parameters(subject: &str, a: &OpSurface, b: &OpSurface, out: &mut Vec<Change>) {
    for (wire, arg, ty) in &b.params {
        match a.params.iter().find(|(w, _, _)| w == wire) {
            None => out.push(change(
                Class::Breaking,
                Kind::Added,
                Area::Parameter,
                format!("{subject} ({wire})"),
                "",
                format!("{}: {arg}: {ty}", b.chain),
                "the function takes a new argument: code that calls it no longer compiles",
            )),
            Some((_, old_arg, old_ty)) if old_ty != ty || old_arg != arg => {
                // A text parameter that becomes nullable still takes the strings it took.
                let widened = old_ty == "impl Into<String>"
                    && ty == "impl OptionalArg<String>"
                    && old_arg == arg;
                let (class, reason) = if widened {
                    (
                        Class::NonBreaking,
                        "the argument may now be `None`; strings are still accepted",
                    )
                } else {
                    (
                        Class::Breaking,
                        "the argument's type changes: code that calls it no longer compiles",
                    )
                };
                out.push(change(
                    class,
                    Kind::Changed,
                    Area::Parameter,
                    format!("{subject} ({wire})"),
                    format!("{old_ty} → {ty}"),
                    format!("{}: {arg}: {ty}", b.chain),
                    reason,
                ));
            }
            Some(_) => {}
        }
    }
    for (wire, arg, ty) in a
        .params
        .iter()
        .filter(|(w, _, _)| !b.params.iter().any(|(x, _, _)| x == w))
    {
        out.push(change(
            Class::Breaking,
            Kind::Removed,
            Area::Parameter,
            format!("{subject} ({wire})"),
            "",
            format!("{}: {arg}: {ty}", a.chain),
            "the function takes one argument less: code that calls it no longer compiles",
        ));
    }
}

fn query(subject: &str, a: &OpSurface, b: &OpSurface, out: &mut Vec<Change>) {
    for q in &b.query {
        let rust = format!("{}::{}", b.struct_name, q.method);
        match a.query.iter().find(|o| o.wire == q.wire) {
            None => out.push(change(
                Class::NonBreaking,
                Kind::Added,
                Area::QueryOption,
                format!("{subject} {}", q.wire),
                "",
                rust,
                "a new builder method; nothing existing changes",
            )),
            Some(o) => {
                let added: Vec<&String> =
                    q.values.iter().filter(|v| !o.values.contains(v)).collect();
                let removed: Vec<&String> =
                    o.values.iter().filter(|v| !q.values.contains(v)).collect();
                let list =
                    |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                match (&o.enum_name, &q.enum_name) {
                    (Some(_), None) => out.push(change(
                        Class::Breaking,
                        Kind::Changed,
                        Area::QueryOption,
                        format!("{subject} {}", q.wire),
                        "values no longer listed",
                        &rust,
                        format!("the method takes strings only: code that passes `{}` values no longer compiles", o.enum_name.as_deref().unwrap_or_default()),
                    )),
                    (None, Some(name)) => out.push(change(
                        Class::NonBreaking,
                        Kind::Changed,
                        Area::QueryOption,
                        format!("{subject} {}", q.wire),
                        format!("values now listed: {}", q.values.join(", ")),
                        &rust,
                        format!("the method now takes `{name}` values, and still strings"),
                    )),
                    _ => {
                        if !added.is_empty() {
                            out.push(change(
                                Class::NonBreaking,
                                Kind::Added,
                                Area::QueryOption,
                                format!("{subject} {}", q.wire),
                                format!("values {}", list(&added)),
                                format!("{rust}({})", q.enum_name.as_deref().unwrap_or("strings")),
                                "new variants of an open enum; nothing existing changes",
                            ));
                        }
                        if !removed.is_empty() {
                            out.push(change(
                                Class::Breaking,
                                Kind::Removed,
                                Area::QueryOption,
                                format!("{subject} {}", q.wire),
                                format!("values {}", list(&removed)),
                                format!("{rust}({})", o.enum_name.as_deref().unwrap_or("strings")),
                                "the variants are gone: code that names them no longer compiles",
                            ));
                        }
                    }
                }
            }
        }
    }
    for o in a
        .query
        .iter()
        .filter(|o| !b.query.iter().any(|q| q.wire == o.wire))
    {
        out.push(change(
            Class::Breaking,
            Kind::Removed,
            Area::QueryOption,
            format!("{subject} {}", o.wire),
            "",
            format!("{}::{}", a.struct_name, o.method),
            "the builder method is gone: code that calls it no longer compiles",
        ));
    }
}

fn headers(subject: &str, a: &OpSurface, b: &OpSurface, out: &mut Vec<Change>) {
    for (wire, method, required) in &b.headers {
        let rust = format!("{}::{method}", b.struct_name);
        match a
            .headers
            .iter()
            .find(|(w, _, _)| w.eq_ignore_ascii_case(wire))
        {
            None => {
                let (class, reason) = if *required {
                    (
                        Class::NeedsAttention,
                        "a new builder method; the service requires the header, so requests without it may be refused",
                    )
                } else {
                    (
                        Class::NonBreaking,
                        "a new builder method; nothing existing changes",
                    )
                };
                out.push(change(
                    class,
                    Kind::Added,
                    Area::Header,
                    format!("{subject} {wire}"),
                    "",
                    rust,
                    reason,
                ));
            }
            Some((_, _, was_required)) if was_required != required => out.push(change(
                if *required {
                    Class::NeedsAttention
                } else {
                    Class::NonBreaking
                },
                Kind::Changed,
                Area::Header,
                format!("{subject} {wire}"),
                if *required {
                    "now required"
                } else {
                    "now optional"
                },
                rust,
                if *required {
                    "requests without the header may be refused"
                } else {
                    "the header may be left out"
                },
            )),
            Some(_) => {}
        }
    }
    for (wire, method, _) in a
        .headers
        .iter()
        .filter(|(w, _, _)| !b.headers.iter().any(|(x, _, _)| x.eq_ignore_ascii_case(w)))
    {
        out.push(change(
            Class::Breaking,
            Kind::Removed,
            Area::Header,
            format!("{subject} {wire}"),
            "",
            format!("{}::{method}", a.struct_name),
            "the builder method is gone: code that calls it no longer compiles",
        ));
    }
}

fn permissions(subject: &str, a: &OpSurface, b: &OpSurface, out: &mut Vec<Change>) {
    let (pa, pb) = (&a.op.permissions, &b.op.permissions);
    if pa == pb {
        return;
    }
    let scopes = |p: &Option<crate::model::Permissions>| -> (Vec<String>, Vec<String>) {
        p.as_ref()
            .map(|p| (p.delegated.clone(), p.application.clone()))
            .unwrap_or_default()
    };
    let ((da, aa), (db, ab)) = (scopes(pa), scopes(pb));
    let show = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let detail = format!(
        "delegated {} → {}; application {} → {}",
        show(&da),
        show(&db),
        show(&aa),
        show(&ab)
    );
    let rust = format!("<{} as Operation>::permissions", b.struct_name);
    let new_scopes = db.iter().any(|s| !da.contains(s)) || ab.iter().any(|s| !aa.contains(s));
    let (class, reason) = if pa.is_some() && new_scopes {
        (
            Class::NeedsAttention,
            "the least-privileged scopes change: tokens must carry the new ones (a `TokenProvider` is asked for them)",
        )
    } else if pa.is_none() {
        (Class::NonBreaking, "the permissions are now documented")
    } else {
        (Class::NonBreaking, "fewer or the same scopes are needed")
    };
    if (da, aa) == (db, ab) {
        out.push(change(
            Class::NonBreaking,
            Kind::Changed,
            Area::Documentation,
            subject,
            "where the permissions come from",
            rust,
            "documentation only",
        ));
    } else {
        out.push(change(
            class,
            Kind::Changed,
            Area::Permissions,
            subject,
            detail,
            rust,
            reason,
        ));
    }
}
