//! Wire names → Rust names. The only place that decides a name: of types ([`TypeNames`]),
//! fields, setters, variants, arguments and modules (here), and of navigation nodes, operation
//! structs, methods and builders ([`requests`]).
//!
//! # Rules
//!
//! * **Types** are `UpperCamelCase` of the last segment of the qualified name
//!   (`microsoft.graph.workPlanOccurrence` → `WorkPlanOccurrence`). When two types of different
//!   namespaces would share a name, each is prefixed by its namespace below `microsoft.graph`
//!   (`microsoft.graph.callRecords.identity` → `CallRecordsIdentity`). Action parameter
//!   objects are named after the action: `SetCurrentLocationParameters`. A base type with derived
//!   types also gets an `Any<Type>` enum that dispatches on `@odata.type`.
//! * **Fields and methods** are `snake_case`; **enum variants** `UpperCamelCase`.
//! * Every name is made a valid identifier: characters outside `[A-Za-z0-9_]` are dropped by
//!   the case conversion, except non-ASCII letters, which are spelled as `u<hex>` so that names
//!   stay ASCII; a leading digit gets a prefix (`_` for fields, `V` for variants and types); Rust
//!   keywords get a trailing `_` (`type` → `type_`, `Self` → `Self_`); an empty name becomes
//!   `empty`/`Empty`; the enum member `*` (OData's "all", in `$expand` lists) is `All`.
//! * Collisions after conversion (`displayName` and `display_name`, `@odata.type` and
//!   `odataType`) are resolved in declaration order: the first keeps the name, the next ones get
//!   `_2`, `_3` (fields) or `2`, `3` (variants and types), replacing a keyword's escape
//!   (`self_` then `self_2`; `Self_` then `Self2`). Names the generated code reserves
//!   (the `extra` field, the `Unrecognized` variant) count as taken.
//! * Wire names are never changed: the emitted (de)serializers use them verbatim.

mod requests;
mod types;

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

pub use requests::*;
pub use types::TypeNames;

/// Rust's strict and reserved keywords, plus the 2018+ ones.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// The field every model uses for properties it does not know.
pub const EXTRA_FIELD: &str = "extra";
/// The variant every enum uses for members it does not know.
pub const UNRECOGNIZED_VARIANT: &str = "Unrecognized";

/// Names that are not keywords but would shadow something the generated code needs.
const RESERVED_TYPE_NAMES: &[&str] = &["Self_"];

/// Spells non-ASCII characters as `u<hex>` so that identifiers stay ASCII.
fn ascii_only(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!("_u{:x}_", c as u32));
        } else {
            out.push('_');
        }
    }
    out
}

fn escape_keyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `placeId` → `place_id`; `type` → `type_`; `9lives` → `_9lives`; `` → `empty`.
pub fn snake(raw: &str) -> String {
    // `OData` is one word, not `o_data`.
    let s = ascii_only(raw).replace("OData", "Odata").to_snake_case();
    let s = if s.is_empty() { "empty".to_string() } else { s };
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    };
    escape_keyword(s)
}

/// `workPlanOccurrence` → `WorkPlanOccurrence`; `Self` → `Self_`; `2fa` → `V2fa`.
pub fn camel(raw: &str) -> String {
    let s = ascii_only(raw).to_upper_camel_case();
    let s = if s.is_empty() { "Empty".to_string() } else { s };
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    };
    escape_keyword(s)
}

/// Gives each candidate a unique name: the first keeps it, later ones get a numeric suffix.
fn dedupe(candidates: Vec<String>, taken: &mut BTreeSet<String>, separator: &str) -> Vec<String> {
    candidates
        .into_iter()
        .map(|c| {
            if taken.insert(c.clone()) {
                return c;
            }
            // A keyword's escape (`self_`) gives way to the number: `self_2`, `Self2`.
            let base = c.trim_end_matches('_');
            (2..)
                .map(|n| format!("{base}{separator}{n}"))
                .find(|candidate| taken.insert(candidate.clone()))
                .expect("an unbounded range always yields a free name")
        })
        .collect()
}

/// Field names for a struct's wire properties, in order.
pub fn field_names<'a>(wire: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = BTreeSet::from([EXTRA_FIELD.to_string()]);
    dedupe(wire.into_iter().map(snake).collect(), &mut taken, "_")
}

/// Local variables of the generated navigation methods, which parameters must not shadow.
const METHOD_LOCALS: &[&str] = &["path", "body"];

/// Parameter names for a bound function's or action's parameters, in order: like field names,
/// except that a name the generated method uses for its own locals gets a trailing `_`
/// (a `path` parameter becomes `path_`).
pub fn argument_names<'a>(wire: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: BTreeSet<String> = METHOD_LOCALS.iter().map(|l| l.to_string()).collect();
    let candidates = wire
        .into_iter()
        .map(|w| {
            let name = snake(w);
            if METHOD_LOCALS.contains(&name.as_str()) {
                format!("{name}_")
            } else {
                name
            }
        })
        .collect();
    dedupe(candidates, &mut taken, "_")
}

/// Variant names for an enum's members, in order. `*` (OData's "all", in `$expand` and
/// `$select` lists) is `All`.
pub fn variant_names<'a>(members: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = BTreeSet::from([UNRECOGNIZED_VARIANT.to_string()]);
    dedupe(
        members
            .into_iter()
            .map(|m| {
                if m == "*" {
                    "All".to_string()
                } else {
                    camel(m)
                }
            })
            .collect(),
        &mut taken,
        "",
    )
}

/// The last `.`-separated segment of a qualified name: `workPlanOccurrence` for
/// `microsoft.graph.workPlanOccurrence`.
pub fn local_name(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}

/// Windows reserves these file names regardless of extension.
const RESERVED_FILE_STEMS: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "lpt1", "lpt2", "lpt3", "mod", "lib",
];

/// A module (and file) name: snake case without a trailing `_`, except where the name is a
/// keyword (`box`, `type`) or a file name Windows reserves, which keep it (`box_`).
pub fn module_name(raw: &str) -> String {
    let stem = snake(raw).trim_end_matches('_').to_string();
    if RESERVED_FILE_STEMS.contains(&stem.as_str()) || KEYWORDS.contains(&stem.as_str()) {
        format!("{stem}_")
    } else {
        stem
    }
}

/// Deduplicates a list of wanted type names (for nodes and operations), first come first served.
pub fn unique_type_names(wanted: Vec<String>, reserved: &BTreeSet<String>) -> Vec<String> {
    let mut taken = reserved.clone();
    dedupe(wanted, &mut taken, "")
}

/// Deduplicates a list of wanted method names on one struct.
pub fn unique_method_names(wanted: Vec<String>, reserved: &[&str]) -> Vec<String> {
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    dedupe(wanted, &mut taken, "_")
}

/// The setters of one model field: `with_<field>`, and `with_<field>_null` for a nullable one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetterNames {
    /// Sets a value.
    pub set: String,
    /// Sets `null`, for nullable properties.
    pub set_null: Option<String>,
}

/// The setters of a model's fields, given each field's name and whether it is nullable,
/// unique within the model.
pub fn setter_names<'a>(fields: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<SetterNames> {
    let fields: Vec<(&str, bool)> = fields.into_iter().collect();
    let mut wanted = Vec::new();
    for (field, nullable) in &fields {
        let stem = field.trim_matches('_');
        wanted.push(format!("with_{stem}"));
        if *nullable {
            wanted.push(format!("with_{stem}_null"));
        }
    }
    let mut unique = unique_method_names(wanted, &[]).into_iter();
    fields
        .iter()
        .map(|(_, nullable)| SetterNames {
            set: unique.next().unwrap_or_default(),
            set_null: nullable.then(|| unique.next().unwrap_or_default()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_snake_case_and_escape_keywords() {
        assert_eq!(snake("placeId"), "place_id");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("9lives"), "_9lives");
        assert_eq!(snake(""), "empty");
        assert_eq!(snake("@odata.type"), "odata_type");
        assert_eq!(snake("café"), "caf_ue9");
        assert_eq!(snake("ODataError"), "odata_error");
    }

    #[test]
    fn variants_are_camel_case() {
        assert_eq!(camel("timeOff"), "TimeOff");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("2fa"), "V2fa");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("NotStarted"), "NotStarted");
    }

    #[test]
    fn collisions_get_suffixes_in_declaration_order() {
        assert_eq!(
            field_names(["displayName", "display_name", "extra"]),
            ["display_name", "display_name_2", "extra_2"]
        );
        assert_eq!(
            field_names(["@odata.type", "odataType"]),
            ["odata_type", "odata_type_2"]
        );
        assert_eq!(
            variant_names(["a", "A", "unrecognized"]),
            ["A", "A2", "Unrecognized2"]
        );
        assert_eq!(variant_names(["*", "id desc"]), ["All", "IdDesc"]);
    }

    #[test]
    fn arguments_do_not_shadow_the_methods_locals() {
        assert_eq!(
            argument_names(["path", "body", "path_", "startDateTime"]),
            ["path_", "body_", "path_2", "start_date_time"]
        );
    }

    #[test]
    fn setters_are_unique_and_nullable_ones_come_in_pairs() {
        let names = setter_names([("type_", false), ("a", true), ("a_null", false)]);
        assert_eq!(names[0].set, "with_type");
        assert_eq!(names[1].set, "with_a");
        assert_eq!(names[1].set_null.as_deref(), Some("with_a_null"));
        assert_eq!(names[2].set, "with_a_null_2");
    }
}
