//! Hand-written runtime (not generated): what a model becomes as a request body.
//!
//! Models are lossless: written back whole, they give what was read. A request body is
//! different: Graph computes some properties, assigns the key, and answers with control
//! information (`@odata.etag`, `@odata.context`) that it does not take back. The body of a
//! POST, PUT or PATCH leaves those out, at every depth, and keeps the rest, unknown properties
//! included. [`changes_since`] makes the body of a PATCH: only what changed.

use serde::Serialize;

use super::model::{Model, deserialize};

/// What a model is written as: a whole value (the default: what was read is written back), or
/// a request body, which leaves out what the service does not take.
///
/// In a body, properties the metadata marks read-only (computed by the service, or the key)
/// and OData control information other than `@odata.type` (`@odata.etag`, `@odata.context`,
/// `…@odata.navigationLink`, …) are not written, at any depth: Graph rejects or ignores them,
/// and Microsoft's SDKs never send them. An update (PUT, PATCH) also leaves out properties that
/// can only be set when the object is created. Unknown properties are still written: they may
/// be properties Graph gained after this crate was generated, which the caller means to send.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BodyMode {
    /// Everything the model holds.
    #[default]
    Whole,
    /// The body of a create (POST).
    Create,
    /// The body of an update (PUT, PATCH).
    Update,
}

impl BodyMode {
    /// Whether properties computed by the service (and keys) are written.
    #[inline]
    pub fn writes_read_only(self) -> bool {
        self == BodyMode::Whole
    }

    /// Whether properties that only a create may set are written.
    #[inline]
    pub fn writes_create_only(self) -> bool {
        self != BodyMode::Update
    }
}

thread_local! {
    /// The mode of the body being serialized on this thread, if any: set for the duration of
    /// one request body's serialization, so that nested models follow it too.
    pub(crate) static BODY_MODE: std::cell::Cell<BodyMode> = const { std::cell::Cell::new(BodyMode::Whole) };
}

/// Runs `f` (a serialization) with models written in `mode`, restoring the previous mode after,
/// even on a panic.
pub(crate) fn with_body_mode<R>(mode: BodyMode, f: impl FnOnce() -> R) -> R {
    struct Restore(BodyMode);
    impl Drop for Restore {
        fn drop(&mut self) {
            BODY_MODE.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(BODY_MODE.with(|m| m.replace(mode)));
    f()
}

/// A value's JSON as a request body in `mode` (what operations send), for those who build
/// requests themselves.
#[doc(hidden)]
pub fn to_body_json<T: Serialize + ?Sized>(
    value: &T,
    mode: BodyMode,
) -> serde_json::Result<Vec<u8>> {
    with_body_mode(mode, || serde_json::to_vec(value))
}

/// OData control information that a request body does not carry (OData JSON format, section
/// 4.5), as annotation names: `@odata.etag`, or `property@odata.navigationLink`. `odata.type`
/// (which derived type a value is) and `odata.bind` (binding a navigation property) are
/// request information and stay.
const RESPONSE_CONTROL: &[&str] = &[
    "odata.context",
    "odata.metadataEtag",
    "odata.count",
    "odata.nextLink",
    "odata.deltaLink",
    "odata.id",
    "odata.editLink",
    "odata.readLink",
    "odata.etag",
    "odata.navigationLink",
    "odata.associationLink",
    "odata.mediaEditLink",
    "odata.mediaReadLink",
    "odata.mediaContentType",
    "odata.mediaEtag",
    "odata.removed",
];

/// Whether a key of a JSON object is control information a request body leaves out.
pub(crate) fn is_response_control(key: &str) -> bool {
    match key.rsplit_once('@') {
        Some((_, annotation)) => RESPONSE_CONTROL.contains(&annotation),
        None => false,
    }
}

/// The properties of `after` that differ from `before`, as a model of the same type: what a
/// PATCH should send. Changed properties carry their new value (complex values whole, which
/// is right whether the service merges or replaces them); a property `before` had and `after`
/// lacks is sent as `null` when it can hold one, and left out otherwise (an update cannot
/// clear it); unknown properties are compared the same way. Control information
/// (`@odata.etag`, ...) is never a change.
#[doc(hidden)]
pub fn changes_since<T>(after: &T, before: &T) -> T
where
    T: Model + Serialize + serde::de::DeserializeOwned,
{
    let object = |model: &T| match with_body_mode(BodyMode::Whole, || serde_json::to_value(model)) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => unreachable!("a model is written as a JSON object"),
    };
    let (after_map, before_map) = (object(after), object(before));
    let mut changes = serde_json::Map::new();
    for (key, value) in &after_map {
        if !is_response_control(key) && before_map.get(key) != Some(value) {
            changes.insert(key.clone(), value.clone());
        }
    }
    let mut cleared = Vec::new();
    for key in before_map.keys() {
        if !after_map.contains_key(key) && !is_response_control(key) && key != "@odata.type" {
            changes.insert(key.clone(), serde_json::Value::Null);
            cleared.push(key.clone());
        }
    }
    let mut out: T = deserialize(serde_json::Value::Object(changes))
        .unwrap_or_else(|e| unreachable!("a model reads what it wrote: {e}"));
    // A `null` for a property that cannot hold one went to `extra`: it cannot be sent.
    for key in cleared {
        if T::field_id(&key).is_some() {
            out.extra_mut().remove(&key);
        }
    }
    out
}
