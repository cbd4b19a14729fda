//! The capability annotations that decide which operations a path has, and how.

use super::Csdl;
use super::annotations::Value;
use crate::model::HeaderParam;

/// The capability annotations that apply to one path, merged from the annotations of its entity
/// set or navigation property and of its entity type (and base types), the more specific first.
#[derive(Clone, Debug)]
pub(super) struct Capabilities {
    /// The collection (or single entity) can be read.
    pub(super) readable: bool,
    /// An item of the collection can be read by key.
    pub(super) readable_by_key: bool,
    /// Items can be created.
    pub(super) insertable: bool,
    /// The entity can be updated.
    pub(super) updatable: bool,
    /// `UpdateMethod`: PUT instead of PATCH.
    pub(super) update_put: bool,
    /// The entity can be deleted.
    pub(super) deletable: bool,
    /// `$count` is supported.
    pub(super) countable: bool,
    /// `$expand` is supported on the path's own operations.
    pub(super) expandable: bool,
    /// `$top` is supported.
    pub(super) top: bool,
    /// `$skip` is supported.
    pub(super) skip: bool,
    /// `$filter` is supported.
    pub(super) filterable: bool,
    /// `$search` is supported.
    pub(super) searchable: bool,
    /// `$orderby` is supported.
    pub(super) sortable: bool,
    /// The custom headers each kind of request documents.
    pub(super) headers: CustomHeaders,
}

/// The custom headers of reads (of the collection), reads by key, inserts, updates and deletes.
#[derive(Clone, Debug, Default)]
pub(super) struct CustomHeaders {
    /// Reads of a collection, a singleton or a single-valued navigation property.
    pub(super) read: Vec<HeaderParam>,
    /// Reads of an item by key.
    pub(super) read_by_key: Vec<HeaderParam>,
    /// Creations.
    pub(super) insert: Vec<HeaderParam>,
    /// Updates.
    pub(super) update: Vec<HeaderParam>,
    /// Deletions.
    pub(super) delete: Vec<HeaderParam>,
}

/// The `CustomHeaders` of a restrictions record.
fn custom_headers(record: Option<&Value>) -> Vec<HeaderParam> {
    let Some(Value::Collection(items)) = record.and_then(|v| v.get("CustomHeaders")) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            Some(HeaderParam {
                name: item.get("Name").and_then(Value::as_str)?.to_string(),
                required: item
                    .get("Required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                description: item
                    .get("Description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
        })
        .collect()
}

impl Csdl<'_, '_> {
    /// Capabilities for a path reached through `targets` (most specific first).
    pub(super) fn capabilities(&self, targets: &[String]) -> Capabilities {
        let find =
            |term: &str| -> Option<Value> { targets.iter().find_map(|t| self.annotation(t, term)) };
        let flag = |term: &str, property: &str| -> bool {
            find(term)
                .as_ref()
                .and_then(|v| v.get(property))
                .and_then(Value::as_bool)
                .unwrap_or(true)
        };
        let plain =
            |term: &str| -> bool { find(term).as_ref().and_then(Value::as_bool).unwrap_or(true) };
        let read = find("ReadRestrictions");
        let read_by_key = read.as_ref().and_then(|v| v.get("ReadByKeyRestrictions"));
        let update = find("UpdateRestrictions");
        let headers = CustomHeaders {
            read: custom_headers(read.as_ref()),
            read_by_key: custom_headers(read_by_key),
            insert: custom_headers(find("InsertRestrictions").as_ref()),
            update: custom_headers(update.as_ref()),
            delete: custom_headers(find("DeleteRestrictions").as_ref()),
        };
        Capabilities {
            readable: flag("ReadRestrictions", "Readable"),
            readable_by_key: read_by_key
                .and_then(|v| v.get("Readable"))
                .and_then(Value::as_bool)
                .unwrap_or(true),
            insertable: flag("InsertRestrictions", "Insertable"),
            updatable: flag("UpdateRestrictions", "Updatable"),
            update_put: update
                .as_ref()
                .and_then(|v| v.get("UpdateMethod"))
                .and_then(Value::as_str)
                .is_some_and(|m| m.ends_with("/PUT")),
            deletable: flag("DeleteRestrictions", "Deletable"),
            countable: flag("CountRestrictions", "Countable"),
            expandable: self.expandable(targets),
            top: plain("TopSupported"),
            skip: plain("SkipSupported"),
            filterable: flag("FilterRestrictions", "Filterable"),
            searchable: flag("SearchRestrictions", "Searchable"),
            sortable: flag("SortRestrictions", "Sortable"),
            headers,
        }
    }

    /// `ExpandRestrictions` on a navigation property says whether it can be expanded from its
    /// parent, not whether the operations on its own path take `$expand`: only the path's own
    /// targets (its container member, its types) count.
    fn expandable(&self, targets: &[String]) -> bool {
        targets
            .iter()
            .filter(|t| {
                t.split_once('/')
                    .is_none_or(|(head, _)| head == self.container_name)
            })
            .find_map(|t| self.annotation(t, "ExpandRestrictions"))
            .as_ref()
            .and_then(|v| v.get("Expandable"))
            .and_then(Value::as_bool)
            .unwrap_or(true)
    }

    /// Whether a navigation property can be followed: `NavigationRestrictions` on the property
    /// itself, or `RestrictedProperties` of the path's own restrictions, may say `Navigability`
    /// is `None`.
    pub(super) fn navigable(&self, owner_targets: &[String], declaring: &str, nav: &str) -> bool {
        let none = |v: &Value| {
            v.get("Navigability")
                .and_then(Value::as_str)
                .is_some_and(|n| n.ends_with("/None"))
        };
        if self
            .annotation(&format!("{declaring}/{nav}"), "NavigationRestrictions")
            .is_some_and(|v| none(&v))
        {
            return false;
        }
        let restrictions = owner_targets
            .iter()
            .find_map(|t| self.annotation(t, "NavigationRestrictions"));
        let restricted = restrictions
            .as_ref()
            .and_then(|v| v.get("RestrictedProperties"));
        if let Some(Value::Collection(items)) = restricted {
            for item in items {
                if item.get("NavigationProperty").and_then(Value::as_str) == Some(nav) && none(item)
                {
                    return false;
                }
            }
        }
        true
    }
}
