//! Changes to the fields of structs, merged over the structs that inherit a property, and to
//! the navigation properties the families leave out.

use std::collections::BTreeMap;

use super::Pair;
use crate::changes::surface::{FieldSurface, Shape, Surface};
use crate::changes::{Area, Change, Kind, Rule};
use crate::model::{GRAPH_ALIAS, GRAPH_NAMESPACE, Property, TypeRef};

/// A property change found on one or more structs, merged over the structs that inherit it.
struct FieldChange {
    change: Change,
    structs: Vec<String>,
}

/// Changes found so far, by (declaring type, subject, kind, detail).
type Merged = BTreeMap<(String, String, Kind, String), FieldChange>;

/// Field changes of every struct present on both sides, merged per declaring type.
pub(super) fn fields(pair: &Pair, out: &mut Vec<Change>) {
    let (old, new) = (pair.old, pair.new);
    let mut merged = Merged::new();
    for (name, b) in &new.types {
        let (Some(a), Shape::Struct(bs)) = (old.types.get(name), &b.shape) else {
            continue;
        };
        let Shape::Struct(as_) = &a.shape else {
            continue;
        };
        let is_parameters = bs.kind.is_action_parameters();
        for f in &bs.fields {
            match as_
                .fields
                .iter()
                .find(|o| o.property.name == f.property.name)
            {
                None => {
                    let c = added_field(pair, &b.ident, f, is_parameters);
                    record(&mut merged, &f.declared_on, c, &b.ident);
                }
                Some(o) => {
                    for c in changed_field(pair, &b.ident, o, f) {
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
            let c = removed_field(pair, new, &a.ident, o);
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

fn record(merged: &mut Merged, declared_on: &str, c: Change, struct_ident: &str) {
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

/// A property's type and facets as the report shows them: `Collection(graph.timeOff)`,
/// with Graph's namespace by the alias Microsoft's CSDL gives it.
fn property_detail(p: &Property) -> String {
    let mut detail =
        p.ty.to_string()
            .replace(&format!("{GRAPH_NAMESPACE}."), &format!("{GRAPH_ALIAS}."));
    match &p.ty {
        // A collection is never null in OData; whether its items may be is what matters.
        TypeRef::Collection { item_nullable, .. } => {
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

/// The area of a field's changes.
fn area_of(p: &Property) -> Area {
    if p.navigation {
        Area::Navigation
    } else {
        Area::Property
    }
}

fn removed_field(pair: &Pair, new: &Surface, struct_ident: &str, o: &FieldSurface) -> Change {
    let left_families = new
        .outside
        .contains_key(&(o.declared_on.clone(), o.property.name.clone()));
    let rule = if left_families {
        Rule::FieldLeftFamilies
    } else {
        Rule::FieldRemoved
    };
    Change::of(
        rule,
        format!("{}.{}", pair.short(&o.declared_on), o.property.name),
    )
    .area(area_of(&o.property))
    .detail(property_detail(&o.property))
    .rust(format!("{struct_ident}::{}: {}", o.ident, o.rust))
    .with("wire", &o.property.name)
    .build()
}

fn added_field(pair: &Pair, struct_ident: &str, f: &FieldSurface, is_parameters: bool) -> Change {
    let p = &f.property;
    let rule = if p.navigation {
        Rule::NavigationAdded
    } else if is_parameters && !p.nullable {
        Rule::RequiredParameterAdded
    } else if !p.nullable && !p.read_only {
        Rule::NotNullableFieldAdded
    } else {
        Rule::FieldAdded
    };
    Change::of(rule, format!("{}.{}", pair.short(&f.declared_on), p.name))
        .detail(property_detail(p))
        .rust(format!("{struct_ident}::{}: {}", f.ident, f.rust))
        .with("ident", struct_ident)
        .build()
}

fn changed_field(
    pair: &Pair,
    struct_ident: &str,
    o: &FieldSurface,
    f: &FieldSurface,
) -> Vec<Change> {
    let mut out = Vec::new();
    let (p, q) = (&o.property, &f.property);
    let subject = format!("{}.{}", pair.short(&f.declared_on), q.name);
    let area = area_of(q);
    let change = |rule| Change::of(rule, &subject).area(area);
    if o.ident != f.ident {
        out.push(
            change(Rule::FieldRenamed)
                .detail("Rust name")
                .rust(format!(
                    "{struct_ident}::{} → {struct_ident}::{}",
                    o.ident, f.ident
                ))
                .build(),
        );
    }
    let rust = format!("{struct_ident}::{}: {}", f.ident, f.rust);
    if p.ty != q.ty || p.nullable != q.nullable {
        let rule = match (o.rust != f.rust, p.ty == q.ty) {
            (true, true) if q.nullable => Rule::NowNullable,
            (true, true) => Rule::NoLongerNullable,
            (true, false) => Rule::FieldRetyped,
            (false, _) => Rule::WireTypeChanged,
        };
        out.push(
            change(rule)
                .detail(format!("{} → {}", property_detail(p), property_detail(q)))
                .rust(&rust)
                .with("old", &o.rust)
                .with("new", &f.rust)
                .with("rust", &f.rust)
                .build(),
        );
    } else if o.rust != f.rust {
        out.push(
            change(Rule::RustTypeChanged)
                .detail("Rust type")
                .rust(format!(
                    "{struct_ident}::{}: {} → {}",
                    f.ident, o.rust, f.rust
                ))
                .build(),
        );
    }
    if p.read_only != q.read_only {
        let (rule, detail) = if q.read_only {
            (Rule::NowReadOnly, "now read-only")
        } else {
            (Rule::NoLongerReadOnly, "no longer read-only")
        };
        out.push(change(rule).detail(detail).rust(&rust).build());
    }
    if p.immutable != q.immutable {
        let (rule, detail) = if q.immutable {
            (Rule::NowImmutable, "now immutable")
        } else {
            (Rule::NoLongerImmutable, "no longer immutable")
        };
        out.push(change(rule).detail(detail).rust(&rust).build());
    }
    if p.navigation != q.navigation {
        let (rule, detail) = if q.navigation {
            (Rule::NowNavigation, "now a navigation property")
        } else {
            (Rule::NowStructural, "now a structural property")
        };
        out.push(change(rule).detail(detail).rust(&rust).build());
    }
    if p.description != q.description {
        out.push(
            Change::of(Rule::Documentation, &subject)
                .detail("description")
                .rust(&rust)
                .build(),
        );
    }
    out
}

/// Navigation properties that the families leave out (their target is outside): no field is
/// generated, but the report says they exist.
pub(super) fn outside(pair: &Pair, out: &mut Vec<Change>) {
    let (old, new) = (pair.old, pair.new);
    for ((owner, name), p) in &new.outside {
        let existed =
            old.outside.contains_key(&(owner.clone(), name.clone())) || has_field(old, owner, name);
        if existed || !old.types.contains_key(owner) {
            continue;
        }
        out.push(
            Change::of(Rule::OutsideAdded, format!("{}.{name}", pair.short(owner)))
                .detail(property_detail(p))
                .with("target", pair.short(p.ty.named_type().unwrap_or("?")))
                .build(),
        );
    }
    for ((owner, name), p) in &old.outside {
        if new.outside.contains_key(&(owner.clone(), name.clone()))
            || has_field(new, owner, name)
            || !new.types.contains_key(owner)
        {
            continue;
        }
        out.push(
            Change::of(
                Rule::OutsideRemoved,
                format!("{}.{name}", pair.short(owner)),
            )
            .detail(property_detail(p))
            .build(),
        );
    }
}

fn has_field(surface: &Surface, owner: &str, name: &str) -> bool {
    match surface.types.get(owner).map(|t| &t.shape) {
        Some(Shape::Struct(s)) => s.fields.iter().any(|f| f.property.name == name),
        _ => false,
    }
}
