//! Changes to types: added and removed, renamed, reshaped, inheritance and derived types, and
//! enum members.

use std::collections::BTreeSet;

use super::Pair;
use crate::changes::surface::{EnumSurface, Shape, StructSurface, TypeSurface};
use crate::changes::{Change, Rule};
use crate::model::ObjectKind;

pub(super) fn types(pair: &Pair, out: &mut Vec<Change>) {
    let (old, new) = (pair.old, pair.new);
    let names: BTreeSet<&String> = old.types.keys().chain(new.types.keys()).collect();
    for name in names {
        let start = out.len();
        match (old.types.get(name), new.types.get(name)) {
            (None, Some(t)) => {
                let rule = if old.document_types.contains(name) {
                    Rule::TypeReached
                } else {
                    Rule::TypeAdded
                };
                out.push(
                    Change::of(rule, pair.short(name))
                        .detail(type_summary(pair, t))
                        .rust(format!("models::{}", t.ident))
                        .build(),
                );
            }
            (Some(t), None) => out.push(
                Change::of(Rule::TypeRemoved, pair.short(name))
                    .detail(type_summary(pair, t))
                    .rust(format!("models::{}", t.ident))
                    .with("ident", &t.ident)
                    .build(),
            ),
            (Some(a), Some(b)) => type_changes(pair, a, b, out),
            (None, None) => {}
        }
        let origin = pair.type_origin(name);
        for c in &mut out[start..] {
            c.origin = origin.clone();
        }
    }
}

fn type_summary(pair: &Pair, t: &TypeSurface) -> String {
    match &t.shape {
        Shape::Struct(s) => {
            let kind = match s.kind {
                ObjectKind::Entity => "entity type",
                ObjectKind::Complex => "complex type",
                ObjectKind::ActionParameters { .. } => "action parameters",
            };
            match &s.base {
                Some(base) => format!("{kind} derived from {}", pair.short(base)),
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

fn type_changes(pair: &Pair, a: &TypeSurface, b: &TypeSurface, out: &mut Vec<Change>) {
    let subject = pair.short(&b.name);
    let rust = format!("models::{}", b.ident);
    if a.ident != b.ident {
        out.push(
            Change::of(Rule::TypeRenamed, subject)
                .detail("Rust name")
                .rust(format!("models::{} → models::{}", a.ident, b.ident))
                .with("old", &a.ident)
                .build(),
        );
    }
    if a.description != b.description {
        out.push(
            Change::of(Rule::Documentation, subject)
                .detail("description")
                .rust(&rust)
                .build(),
        );
    }
    feature_changes(subject, &rust, a, b, out);
    match (&a.shape, &b.shape) {
        (Shape::Struct(x), Shape::Struct(y)) => {
            struct_changes(pair, subject, &rust, &b.ident, x, y, out)
        }
        (Shape::Enum(x), Shape::Enum(y)) => enum_changes(subject, &b.ident, x, y, out),
        _ => out.push(
            Change::of(Rule::TypeReshaped, subject)
                .detail(format!(
                    "{} → {}",
                    type_summary(pair, a),
                    type_summary(pair, b)
                ))
                .rust(rust)
                .build(),
        ),
    }
}

/// Features that compiled a type and no longer do: a build with only those loses it.
fn feature_changes(
    subject: &str,
    rust: &str,
    a: &TypeSurface,
    b: &TypeSurface,
    out: &mut Vec<Change>,
) {
    let (Some(before), Some(after)) = (&a.features, &b.features) else {
        return;
    };
    let lost: Vec<&String> = before.difference(after).collect();
    if lost.is_empty() {
        return;
    }
    let list = |features: Vec<&String>| {
        features
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push(
        Change::of(Rule::FeatureNarrowed, subject)
            .detail(format!(
                "cargo features: {} → {}",
                list(before.iter().collect()),
                list(after.iter().collect())
            ))
            .rust(rust)
            .with("old", list(lost))
            .with("new", list(after.iter().collect()))
            .build(),
    );
}

fn struct_changes(
    pair: &Pair,
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
                .map(|b| pair.short(b))
                .unwrap_or("no base type")
                .to_string()
        };
        out.push(
            Change::of(Rule::BaseChanged, subject)
                .detail(format!("base type {} → {}", show(&a.base), show(&b.base)))
                .rust(rust)
                .with("ident", ident)
                .build(),
        );
    }
    if a.kind != b.kind {
        out.push(
            Change::of(Rule::KindChanged, subject)
                .detail(format!("{} → {}", a.kind.as_str(), b.kind.as_str()))
                .rust(rust)
                .build(),
        );
    }
    if a.is_abstract != b.is_abstract {
        let (rule, detail) = if b.is_abstract {
            (Rule::NowAbstract, "now abstract")
        } else {
            (Rule::NoLongerAbstract, "no longer abstract")
        };
        out.push(
            Change::of(rule, subject)
                .detail(detail)
                .rust(rust)
                .with("ident", ident)
                .build(),
        );
    }
    derived_changes(pair, subject, ident, a, b, out);
}

/// Changes to the `Any*` enum of a type and its variants.
fn derived_changes(
    pair: &Pair,
    subject: &str,
    ident: &str,
    a: &StructSurface,
    b: &StructSurface,
    out: &mut Vec<Change>,
) {
    match (&a.any, &b.any) {
        (None, Some(any)) => {
            let first: Vec<&str> = b.derived.iter().map(|(d, _)| pair.short(d)).collect();
            out.push(
                Change::of(Rule::FirstDerived, subject)
                    .detail(format!("first derived types: {}", first.join(", ")))
                    .rust(format!("{ident} → {any}"))
                    .with("ident", ident)
                    .with("any", any)
                    .build(),
            );
        }
        (Some(any), None) => out.push(
            Change::of(Rule::NoDerivedLeft, subject)
                .detail("no derived types left")
                .rust(format!("{any} → {ident}"))
                .with("ident", ident)
                .with("any", any)
                .build(),
        ),
        (Some(any_a), Some(any)) => {
            if any_a != any {
                out.push(
                    Change::of(Rule::AnyRenamed, subject)
                        .detail("Rust name of the `Any*` enum")
                        .rust(format!("{any_a} → {any}"))
                        .with("old", any_a)
                        .build(),
                );
            }
            let has = |s: &StructSurface, d: &str| s.derived.iter().any(|(x, _)| x == d);
            let changed = b
                .derived
                .iter()
                .filter(|(d, _)| !has(a, d))
                .map(|d| (Rule::DerivedAdded, d))
                .chain(
                    a.derived
                        .iter()
                        .filter(|(d, _)| !has(b, d))
                        .map(|d| (Rule::DerivedRemoved, d)),
                );
            for (rule, (d, variant)) in changed {
                out.push(
                    Change::of(rule, format!("{subject} ← {}", pair.short(d)))
                        .detail(format!("`@odata.type` #{d}"))
                        .rust(format!("{any}::{variant}"))
                        .with("any", any)
                        .with("ident", ident)
                        .build(),
                );
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
        out.push(
            Change::of(Rule::FlagsChanged, subject)
                .detail(if b.flags {
                    "now a flags enum"
                } else {
                    "no longer a flags enum"
                })
                .rust(format!("models::{ident}"))
                .with("ident", ident)
                .build(),
        );
    }
    for m in &b.members {
        let member_subject = format!("{subject}.{}", m.member.name);
        let rust = format!("{ident}::{}", m.variant);
        let Some(o) = a.members.iter().find(|o| o.member.name == m.member.name) else {
            let rule = if m.after_sentinel {
                Rule::MemberAddedAfterSentinel
            } else {
                Rule::MemberAdded
            };
            let value = m.member.value.map(|v| format!("= {v}")).unwrap_or_default();
            out.push(
                Change::of(rule, member_subject)
                    .detail(value)
                    .rust(&rust)
                    .with("ident", ident)
                    .with("rust", &rust)
                    .build(),
            );
            continue;
        };
        if o.variant != m.variant {
            out.push(
                Change::of(Rule::MemberRenamed, &member_subject)
                    .detail("Rust name")
                    .rust(format!("{ident}::{} → {rust}", o.variant))
                    .build(),
            );
        }
        if o.member.value != m.member.value {
            let show = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "none".into());
            out.push(
                Change::of(Rule::MemberValueChanged, &member_subject)
                    .detail(format!(
                        "value {} → {}",
                        show(o.member.value),
                        show(m.member.value)
                    ))
                    .rust(&rust)
                    .build(),
            );
        }
        if o.after_sentinel != m.after_sentinel {
            let (rule, detail) = if m.after_sentinel {
                (Rule::MemberNowAfterSentinel, "now after unknownFutureValue")
            } else {
                (
                    Rule::MemberNowBeforeSentinel,
                    "now before unknownFutureValue",
                )
            };
            out.push(
                Change::of(rule, &member_subject)
                    .detail(detail)
                    .rust(&rust)
                    .build(),
            );
        }
        if o.member.description != m.member.description {
            out.push(
                Change::of(Rule::Documentation, &member_subject)
                    .detail("description")
                    .rust(&rust)
                    .build(),
            );
        }
    }
    for o in a
        .members
        .iter()
        .filter(|o| !b.members.iter().any(|m| m.member.name == o.member.name))
    {
        out.push(
            Change::of(Rule::MemberRemoved, format!("{subject}.{}", o.member.name))
                .rust(format!("{ident}::{}", o.variant))
                .with("ident", ident)
                .build(),
        );
    }
}
