//! Changes to operations: added and removed, verbs swapped, how they are reached, bodies,
//! outputs, function parameters, query options, headers and permissions.

use std::collections::BTreeSet;

use super::Pair;
use crate::changes::surface::{OpSurface, Surface};
use crate::changes::{Change, Rule};
use crate::model::{HttpMethod, Permissions};
use crate::rust_api::RustType;

fn op_subject(surface: &Surface, op: &OpSurface) -> String {
    format!("{} {}", op.op.method, op.op.path.sent(&surface.namespace))
}

pub(super) fn operations(pair: &Pair, out: &mut Vec<Change>) {
    let (old, new) = (pair.old, pair.new);
    // A path whose only update verb changed is one change, not a removal and an addition.
    let mut swapped: BTreeSet<(String, HttpMethod)> = BTreeSet::new();
    for ((path, method), a) in &old.operations {
        let (other, rule) = match method {
            HttpMethod::Put => (HttpMethod::Patch, Rule::VerbToPatch),
            HttpMethod::Patch => (HttpMethod::Put, Rule::VerbToPut),
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
        let start = out.len();
        out.push(
            Change::of(rule, op_subject(new, b))
                .detail(format!("{method} → {other}"))
                .rust(format!("{} → {}", a.chain, b.chain))
                .with("method", method.as_str().to_lowercase())
                .build(),
        );
        operation_changes(new, a, b, out);
        attribute(pair, &[a, b], &mut out[start..]);
    }
    let keys: BTreeSet<&(String, HttpMethod)> =
        old.operations.keys().chain(new.operations.keys()).collect();
    for key in keys {
        if swapped.contains(key) {
            continue;
        }
        let (a, b) = (old.operations.get(key), new.operations.get(key));
        let start = out.len();
        match (a, b) {
            (None, Some(b)) => out.push(
                Change::of(Rule::OperationAdded, op_subject(new, b))
                    .detail(operation_summary(b))
                    .rust(&b.chain)
                    .with("struct", &b.struct_name)
                    .build(),
            ),
            (Some(a), None) => out.push(
                Change::of(Rule::OperationRemoved, op_subject(old, a))
                    .detail(operation_summary(a))
                    .rust(&a.chain)
                    .with("struct", &a.struct_name)
                    .build(),
            ),
            (Some(a), Some(b)) => operation_changes(new, a, b, out),
            (None, None) => {}
        }
        let ops: Vec<&OpSurface> = a.into_iter().chain(b).collect();
        attribute(pair, &ops, &mut out[start..]);
    }
}

/// Marks the changes of some operations as the project's corrections', when one of them was
/// corrected differently on the two sides.
fn attribute(pair: &Pair, ops: &[&OpSurface], changes: &mut [Change]) {
    let keys: Vec<String> = ops.iter().map(|o| o.op.key()).collect();
    let origin = pair.origin(&keys);
    for c in changes {
        c.origin = origin.clone();
    }
}

fn operation_summary(op: &OpSurface) -> String {
    let mut s = format!("→ {}", op.output);
    if let Some(body) = &op.body {
        s = format!("body {body} {s}");
    }
    s
}

fn operation_changes(new: &Surface, a: &OpSurface, b: &OpSurface, out: &mut Vec<Change>) {
    let subject = op_subject(new, b);
    // Arguments are compared as parameters; here only the method names matter.
    if without_arguments(&a.chain) != without_arguments(&b.chain) && a.op.method == b.op.method {
        out.push(
            Change::of(Rule::PathRenamed, &subject)
                .detail("how it is reached")
                .rust(format!("{} → {}", a.chain, b.chain))
                .build(),
        );
    }
    // A verb change renames the struct too; that is reported as the verb change.
    if a.struct_name != b.struct_name && a.op.method == b.op.method {
        out.push(
            Change::of(Rule::OperationRenamed, &subject)
                .detail("Rust name of the operation")
                .rust(format!("{} → {}", a.struct_name, b.struct_name))
                .build(),
        );
    }
    if a.body != b.body {
        let show = |b: &Option<RustType>| b.as_ref().map_or("none".into(), |b| b.to_string());
        out.push(
            Change::of(Rule::BodyChanged, &subject)
                .detail(format!("body {} → {}", show(&a.body), show(&b.body)))
                .rust(&b.chain)
                .build(),
        );
    }
    if a.output != b.output {
        out.push(
            Change::of(Rule::OutputChanged, &subject)
                .detail(format!("output {} → {}", a.output, b.output))
                .rust(format!("<{} as Operation>::Output", b.struct_name))
                .build(),
        );
    }
    parameters(&subject, a, b, out);
    query(&subject, a, b, out);
    headers(&subject, a, b, out);
    permissions(&subject, a, b, out);
    if a.op.summary != b.op.summary
        || a.op.description != b.op.description
        || a.op.docs_url != b.op.docs_url
    {
        out.push(
            Change::of(Rule::Documentation, &subject)
                .detail("summary, description or link")
                .rust(&b.chain)
                .build(),
        );
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
    for p in &b.params {
        let change = |rule| Change::of(rule, format!("{subject} ({})", p.wire));
        let rust = format!("{}: {}: {}", b.chain, p.arg, p.ty);
        match a.params.iter().find(|o| o.wire == p.wire) {
            None => out.push(change(Rule::ParameterAdded).rust(rust).build()),
            Some(o) if o.ty != p.ty || o.arg != p.arg => {
                // A text parameter that becomes nullable still takes the strings it took.
                let widened = matches!((&o.ty, &p.ty), (RustType::ImplInto(x), RustType::ImplOptionalArg(y)) if x == y)
                    && o.arg == p.arg;
                let rule = if widened {
                    Rule::ParameterWidened
                } else {
                    Rule::ParameterRetyped
                };
                out.push(
                    change(rule)
                        .detail(format!("{} → {}", o.ty, p.ty))
                        .rust(rust)
                        .build(),
                );
            }
            Some(_) => {}
        }
    }
    for o in a
        .params
        .iter()
        .filter(|o| !b.params.iter().any(|p| p.wire == o.wire))
    {
        out.push(
            Change::of(Rule::ParameterRemoved, format!("{subject} ({})", o.wire))
                .rust(format!("{}: {}: {}", a.chain, o.arg, o.ty))
                .build(),
        );
    }
}

fn query(subject: &str, a: &OpSurface, b: &OpSurface, out: &mut Vec<Change>) {
    for q in &b.query {
        let rust = format!("{}::{}", b.struct_name, q.method);
        let change = |rule| Change::of(rule, format!("{subject} {}", q.wire));
        let Some(o) = a.query.iter().find(|o| o.wire == q.wire) else {
            out.push(change(Rule::QueryAdded).rust(rust).build());
            continue;
        };
        let added: Vec<&str> = q
            .values
            .iter()
            .filter(|v| !o.values.contains(v))
            .map(String::as_str)
            .collect();
        let removed: Vec<&str> = o
            .values
            .iter()
            .filter(|v| !q.values.contains(v))
            .map(String::as_str)
            .collect();
        match (&o.enum_name, &q.enum_name) {
            (Some(old), None) => out.push(
                change(Rule::QueryValuesUnlisted)
                    .detail("values no longer listed")
                    .rust(&rust)
                    .with("old", old)
                    .build(),
            ),
            (None, Some(name)) => out.push(
                change(Rule::QueryValuesListed)
                    .detail(format!("values now listed: {}", q.values.join(", ")))
                    .rust(&rust)
                    .with("new", name)
                    .build(),
            ),
            _ => {
                if !added.is_empty() {
                    out.push(
                        change(Rule::QueryValuesAdded)
                            .detail(format!("values {}", added.join(", ")))
                            .rust(format!(
                                "{rust}({})",
                                q.enum_name.as_deref().unwrap_or("strings")
                            ))
                            .build(),
                    );
                }
                if !removed.is_empty() {
                    out.push(
                        change(Rule::QueryValuesRemoved)
                            .detail(format!("values {}", removed.join(", ")))
                            .rust(format!(
                                "{rust}({})",
                                o.enum_name.as_deref().unwrap_or("strings")
                            ))
                            .build(),
                    );
                }
            }
        }
    }
    for o in a
        .query
        .iter()
        .filter(|o| !b.query.iter().any(|q| q.wire == o.wire))
    {
        out.push(
            Change::of(Rule::QueryRemoved, format!("{subject} {}", o.wire))
                .rust(format!("{}::{}", a.struct_name, o.method))
                .build(),
        );
    }
}

fn headers(subject: &str, a: &OpSurface, b: &OpSurface, out: &mut Vec<Change>) {
    for h in &b.headers {
        let rust = format!("{}::{}", b.struct_name, h.method);
        let change = |rule| Change::of(rule, format!("{subject} {}", h.wire));
        match a
            .headers
            .iter()
            .find(|o| o.wire.eq_ignore_ascii_case(&h.wire))
        {
            None => {
                let rule = if h.required {
                    Rule::RequiredHeaderAdded
                } else {
                    Rule::HeaderAdded
                };
                out.push(change(rule).rust(rust).build());
            }
            Some(o) if o.required != h.required => {
                let (rule, detail) = if h.required {
                    (Rule::HeaderNowRequired, "now required")
                } else {
                    (Rule::HeaderNowOptional, "now optional")
                };
                out.push(change(rule).detail(detail).rust(rust).build());
            }
            Some(_) => {}
        }
    }
    for o in a.headers.iter().filter(|o| {
        !b.headers
            .iter()
            .any(|h| h.wire.eq_ignore_ascii_case(&o.wire))
    }) {
        out.push(
            Change::of(Rule::HeaderRemoved, format!("{subject} {}", o.wire))
                .rust(format!("{}::{}", a.struct_name, o.method))
                .build(),
        );
    }
}

fn permissions(subject: &str, a: &OpSurface, b: &OpSurface, out: &mut Vec<Change>) {
    let (pa, pb) = (&a.op.permissions, &b.op.permissions);
    if pa == pb {
        return;
    }
    let scopes = |p: &Option<Permissions>| -> (Vec<String>, Vec<String>) {
        p.as_ref()
            .map(|p| (p.delegated.clone(), p.application.clone()))
            .unwrap_or_default()
    };
    let ((da, aa), (db, ab)) = (scopes(pa), scopes(pb));
    let rust = format!("<{} as Operation>::permissions", b.struct_name);
    if (&da, &aa) == (&db, &ab) {
        out.push(
            Change::of(Rule::Documentation, subject)
                .detail("where the permissions come from")
                .rust(rust)
                .build(),
        );
        return;
    }
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
    let new_scopes = db.iter().any(|s| !da.contains(s)) || ab.iter().any(|s| !aa.contains(s));
    let rule = if pa.is_some() && new_scopes {
        Rule::PermissionsWidened
    } else if pa.is_none() {
        Rule::PermissionsDocumented
    } else {
        Rule::PermissionsNarrowed
    };
    out.push(Change::of(rule, subject).detail(detail).rust(rust).build());
}
