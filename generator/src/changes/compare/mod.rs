//! Two surfaces → classified changes, by the rules of [`super::rules`]. The comparison walks
//! types ([`types`]), the fields of structs ([`fields`]) and operations ([`operations`]); each
//! difference it finds becomes a change of one rule.
//!
//! Why the rules classify as they do (each reason names what the emitter produces):
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

mod fields;
mod operations;
mod types;

use super::surface::{Side, Surface};
use super::{Change, Origin, Rule};
use crate::config::{Family, in_families};

/// Both surfaces, and how names are shown.
struct Pair<'s> {
    old: &'s Surface,
    new: &'s Surface,
}

impl Pair<'_> {
    /// The origin of a change to the operations `keys` (`METHOD /path`, on either side): the
    /// project's correction when one of them was corrected differently on the two sides.
    fn origin(&self, keys: &[String]) -> Origin {
        for key in keys {
            let (old, new) = (self.old.corrections.get(key), self.new.corrections.get(key));
            if old != new {
                return Origin::Correction(new.or(old).cloned().unwrap_or_default());
            }
        }
        Origin::Metadata
    }

    /// The origin of a change to a type: a correction's when the type is the body of an
    /// operation whose correction changed.
    fn type_origin(&self, name: &str) -> Origin {
        let keys: Vec<String> = [self.old, self.new]
            .iter()
            .flat_map(|s| s.operations.values())
            .filter(|o| o.op.body.as_ref().and_then(|b| b.named_type()) == Some(name))
            .map(|o| o.op.key())
            .collect();
        self.origin(&keys)
    }

    /// A qualified name as the report writes it: the service's own namespace left out.
    fn short<'n>(&self, qualified: &'n str) -> &'n str {
        let namespace = if self.new.namespace.is_empty() {
            &self.old.namespace
        } else {
            &self.new.namespace
        };
        super::surface::short_in(namespace, qualified)
    }
}

/// Every change from `old` to `new`.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let pair = Pair { old, new };
    let mut out = Vec::new();
    types::types(&pair, &mut out);
    fields::fields(&pair, &mut out);
    fields::outside(&pair, &mut out);
    operations::operations(&pair, &mut out);
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
                .filter(|op| in_families(std::slice::from_ref(family), &op.path))
                .count()
        };
        match (count(old), count(new)) {
            (0, 0) => notes.push(format!(
                "The family `{}` has no operation in either document.",
                family.name
            )),
            (0, n) => out.push(
                Change::of(Rule::FamilyAdded, &family.name)
                    .detail(format!("{n} operations; absent from {}", old.label))
                    .build(),
            ),
            (n, 0) => out.push(
                Change::of(Rule::FamilyRemoved, &family.name)
                    .detail(format!("{n} operations; absent from {}", new.label))
                    .build(),
            ),
            _ => {}
        }
    }
    out
}
