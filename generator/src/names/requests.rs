//! The names of the request code: navigation node structs, operation types, the methods
//! that lead from node to node, query-value enums, builder methods, entry points, and the key
//! parameters of derived path templates.

use std::collections::BTreeSet;

use super::{camel, local_name, snake};
use crate::model::{HttpMethod, Path, QueryOption, Segment};

/// Methods every navigation node has, which its navigation methods must not take.
pub const NODE_METHODS: &[&str] = &["new", "path"];

/// The name of a navigation node (a struct in `requests`) for a path, built from its segments:
/// `/users/{user-id}/settings` → `UsersItemSettings`. Keys become `Item`; `$count` `Count`;
/// calls their unqualified name.
pub fn node_name(path: &Path) -> String {
    let mut out = String::new();
    for segment in &path.segments {
        match segment {
            Segment::Literal(l) => out.push_str(&camel(l)),
            Segment::Key { .. } => out.push_str("Item"),
            Segment::Count => out.push_str("Count"),
            Segment::Call { name, .. } => out.push_str(&camel(local_name(name))),
        }
    }
    if out.is_empty() {
        "Root".to_string()
    } else {
        out
    }
}

/// The method of a node that performs an HTTP operation: `get`, `post`, ...
pub fn verb_method(method: HttpMethod) -> String {
    method.as_str().to_ascii_lowercase()
}

/// The struct of an operation on a node: `UsersItemSettingsGet`.
pub fn operation_struct(node: &str, method: HttpMethod) -> String {
    format!("{node}{}", camel(&verb_method(method)))
}

/// The method that leads from a node to its child at `segment`: a navigation property by its
/// snake_case name, a key by `by_id` (or `by_<param>` when a node has `several_keys`),
/// `$count` by `count`, an action or function by its unqualified snake_case name.
pub fn child_method(segment: &Segment, several_keys: bool) -> String {
    match segment {
        Segment::Literal(l) => snake(l),
        Segment::Key { param } if several_keys => format!("by_{}", snake(param)),
        Segment::Key { .. } => "by_id".to_string(),
        Segment::Count => "count".to_string(),
        Segment::Call { name, .. } => snake(local_name(name)),
    }
}

/// The entry point of a root or alias path: `/me` → `me`.
pub fn entry_point(path: &str) -> String {
    snake(path.trim_start_matches('/'))
}

/// The builder method of a query option.
pub fn query_method(q: &QueryOption) -> &'static str {
    match q {
        QueryOption::Select(_) => "select",
        QueryOption::Expand(_) => "expand",
        QueryOption::OrderBy(_) => "order_by",
        QueryOption::Filter => "filter",
        QueryOption::Search => "search",
        QueryOption::Top => "top",
        QueryOption::Skip => "skip",
        QueryOption::Count => "count",
    }
}

/// The enum of the values listed for a query option, named after what the operation answers
/// (`base`): `WorkPlanOccurrenceSelect`. `None` for options that take no list.
pub fn query_enum(base: &str, q: &QueryOption) -> Option<String> {
    let suffix = match q {
        QueryOption::Select(_) => "Select",
        QueryOption::Expand(_) => "Expand",
        QueryOption::OrderBy(_) => "OrderBy",
        _ => return None,
    };
    Some(format!("{base}{suffix}"))
}

/// A request header whose builder is named and shaped after what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KnownHeader {
    /// `If-Match`: `if_match(etag)`.
    IfMatch,
    /// `Prefer`: `prefer(preference)`, which adds to the header.
    Prefer,
    /// `ConsistencyLevel`: `consistency_level(level)`.
    ConsistencyLevel,
}

impl KnownHeader {
    /// The known header a wire name (in any case) stands for.
    pub fn of(wire: &str) -> Option<KnownHeader> {
        match wire.to_ascii_lowercase().as_str() {
            "if-match" => Some(KnownHeader::IfMatch),
            "prefer" => Some(KnownHeader::Prefer),
            "consistencylevel" => Some(KnownHeader::ConsistencyLevel),
            _ => None,
        }
    }

    /// Its builder method.
    pub fn method(self) -> &'static str {
        match self {
            KnownHeader::IfMatch => "if_match",
            KnownHeader::Prefer => "prefer",
            KnownHeader::ConsistencyLevel => "consistency_level",
        }
    }
}

/// The builder method of a request header: a known header's, or `header_<name>`.
pub fn header_method(wire: &str) -> String {
    match KnownHeader::of(wire) {
        Some(known) => known.method().to_string(),
        None => format!("header_{}", snake(wire).trim_start_matches('_')),
    }
}

/// The key parameter of a path that addresses one `entity` of a collection, as Microsoft's
/// conversion names it (`{timeOff-id}`), numbered when the path already has one of that name
/// (`{timeOff-id1}`).
pub fn key_parameter(entity: &str, taken: &BTreeSet<String>) -> String {
    let short = local_name(entity);
    let mut param = format!("{short}-id");
    let mut n = 1;
    while taken.contains(&param) {
        param = format!("{short}-id{n}");
        n += 1;
    }
    param
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_names_follow_the_path() {
        let path = Path::new(vec![
            Segment::Literal("users".into()),
            Segment::Key {
                param: "user-id".into(),
            },
            Segment::Literal("settings".into()),
            Segment::Call {
                name: "microsoft.graph.occurrencesView".into(),
                params: vec![],
            },
        ]);
        assert_eq!(node_name(&path), "UsersItemSettingsOccurrencesView");
        assert_eq!(
            operation_struct("UsersItem", HttpMethod::Patch),
            "UsersItemPatch"
        );
    }

    #[test]
    fn methods_follow_the_segments() {
        let key = Segment::Key {
            param: "user-id".into(),
        };
        assert_eq!(child_method(&key, false), "by_id");
        assert_eq!(child_method(&key, true), "by_user_id");
        assert_eq!(child_method(&Segment::Count, false), "count");
        assert_eq!(header_method("ConsistencyLevel"), "consistency_level");
        assert_eq!(header_method("MS-APP-ACTS-AS"), "header_ms_app_acts_as");
        assert_eq!(entry_point("/me"), "me");
    }

    #[test]
    fn key_parameters_are_numbered_when_taken() {
        let taken = BTreeSet::from(["user-id".to_string()]);
        assert_eq!(key_parameter("microsoft.graph.user", &taken), "user-id1");
        assert_eq!(key_parameter("microsoft.graph.team", &taken), "team-id");
    }
}
