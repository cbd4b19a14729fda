//! Hand-written runtime (not generated): the unknown properties a model keeps.
//!
//! Unknown properties are kept as the JSON text they arrived as (serde_json's raw value
//! protocol), one allocation per object that has any: parsing them into `serde_json::Value`s
//! in a map cost more than half the decoding speed when every item carried a few.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// Properties a model does not know, kept as the JSON text they arrived as, in their order.
///
/// This is where `@odata.*` annotations (`@odata.etag`, `@odata.context`, `@odata.type`),
/// properties added to Graph after this crate was generated, and properties the schema no
/// longer has end up. Writing the model back writes them unchanged, byte for byte.
///
/// They are stored as one JSON object text rather than parsed into values: decoding a payload
/// full of unknown properties then costs one allocation per object instead of several per
/// property. Reading them (`get`, `iter`) parses on demand.
///
/// ```
/// use msgraph_work::beta::models::TimeOff;
///
/// let t: TimeOff = serde_json::from_str(r#"{"id":"1","@odata.etag":"W/\"7\"","brandNew":[1,2]}"#).unwrap();
/// assert_eq!(t.extra.odata_etag().as_deref(), Some("W/\"7\""));
/// assert_eq!(t.extra.get("brandNew"), Some(serde_json::json!([1, 2])));
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"id":"1","@odata.etag":"W/\"7\"","brandNew":[1,2]}"#);
/// ```
#[derive(Clone, Default)]
pub struct Extra {
    /// `{"key":value,...}`, or nothing.
    json: Option<Box<str>>,
}

impl Extra {
    /// An empty set.
    pub fn new() -> Extra {
        Extra::default()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.json.is_none()
    }

    /// How many properties are kept.
    ///
    /// # Cost
    ///
    /// Not a stored count: each call parses the whole kept text (one JSON object) to list its
    /// members, so it takes time linear in the size of the unknown properties and allocates.
    /// To ask whether there are any, use [`is_empty`](Self::is_empty), which is free.
    pub fn len(&self) -> usize {
        self.members().len()
    }

    /// The kept properties as one JSON object text, if there are any.
    pub fn as_json(&self) -> Option<&str> {
        self.json.as_deref()
    }

    /// A kept property, parsed into an owned [`serde_json::Value`].
    ///
    /// # Cost
    ///
    /// Not a field access: each call parses the kept text to find `key` (linear in the size of
    /// all the unknown properties), then parses the value it found into a new `Value`,
    /// allocating for each string, array and object in it. Keep the result rather than asking
    /// again. [`get_raw`](Self::get_raw) finds the value the same way but borrows its JSON text
    /// instead of building a tree; `serde_json::from_str(raw.get())` then reads it straight
    /// into a type of your own.
    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        self.get_raw(key)
            .map(|raw| serde_json::from_str(raw.get()).expect("kept values are valid JSON"))
    }

    /// A kept property, as its JSON text.
    pub fn get_raw(&self, key: &str) -> Option<&RawValue> {
        self.members()
            .into_iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Whether a property is kept.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get_raw(key).is_some()
    }

    /// The kept properties, in the order they arrived.
    pub fn iter(&self) -> impl Iterator<Item = (Cow<'_, str>, &RawValue)> {
        self.members().into_iter()
    }

    /// Adds or replaces a property; it is written after the model's own properties.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: serde_json::Value,
    ) -> Option<serde_json::Value> {
        let key = key.into();
        let previous = self.remove(&key);
        let mut text = String::new();
        for (k, v) in self.members() {
            text.push(if text.is_empty() { '{' } else { ',' });
            write_json_string(&mut text, &k);
            text.push(':');
            text.push_str(v.get());
        }
        text.push(if text.is_empty() { '{' } else { ',' });
        write_json_string(&mut text, &key);
        text.push(':');
        text.push_str(&value.to_string());
        text.push('}');
        self.json = Some(text.into_boxed_str());
        previous
    }

    /// Removes a property.
    pub fn remove(&mut self, key: &str) -> Option<serde_json::Value> {
        let members = self.members();
        let removed = members.iter().rev().find(|(k, _)| k == key)?.1.get();
        let removed = serde_json::from_str(removed).expect("kept values are valid JSON");
        let mut text = String::new();
        for (k, v) in members.iter().filter(|(k, _)| k != key) {
            text.push(if text.is_empty() { '{' } else { ',' });
            write_json_string(&mut text, k);
            text.push(':');
            text.push_str(v.get());
        }
        let json = if text.is_empty() {
            None
        } else {
            text.push('}');
            Some(text.into_boxed_str())
        };
        self.json = json;
        Some(removed)
    }

    /// The `@odata.type` annotation without its leading `#`, if present.
    pub fn odata_type(&self) -> Option<String> {
        match self.get("@odata.type")? {
            serde_json::Value::String(s) => Some(s.trim_start_matches('#').to_owned()),
            _ => None,
        }
    }

    /// The `@odata.etag` annotation, which `If-Match` takes, if present.
    pub fn odata_etag(&self) -> Option<String> {
        match self.get("@odata.etag")? {
            serde_json::Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The kept members, borrowed from the stored text.
    pub(crate) fn members(&self) -> Vec<(Cow<'_, str>, &RawValue)> {
        let Some(json) = &self.json else {
            return Vec::new();
        };
        serde_json::from_str::<Members<'_>>(json)
            .expect("the kept text is a JSON object")
            .0
    }
}

impl PartialEq for Extra {
    /// Equal when they hold the same properties with equal JSON values, however written.
    fn eq(&self, other: &Self) -> bool {
        if self.json == other.json {
            return true;
        }
        let parse = |e: &Extra| -> serde_json::Map<String, serde_json::Value> {
            e.json
                .as_deref()
                .map(|j| serde_json::from_str(j).expect("valid JSON"))
                .unwrap_or_default()
        };
        parse(self) == parse(other)
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.members().iter().map(|(k, v)| (k, v.get())))
            .finish()
    }
}

/// The members of a JSON object, in order, borrowing from the text.
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<CowKey<'de>>()? {
                    out.push((key.0, map.next_value()?));
                }
                Ok(Members(out))
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// A key borrowed when it has no escapes, owned otherwise.
struct CowKey<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for CowKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<CowKey<'de>, E> {
                Ok(CowKey(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CowKey<'de>, E> {
                Ok(CowKey(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// Collects a model's unknown properties while it is read, as JSON text.
///
/// The text is written into a per-thread scratch buffer, and copied into an allocation of
/// exactly its size when the object ends, so a model with unknown properties costs one
/// allocation and one without costs none. Models nest (a field's value is read while its
/// parent is being read), and each builder only ever appends after the text of the builders
/// that started before it and are still open, and truncates back when it ends: the scratch
/// buffer is used as a stack.
#[doc(hidden)]
#[derive(Debug)]
pub struct ExtraBuilder {
    /// Where this builder's text starts in the scratch buffer.
    start: usize,
    /// Whether anything has been written (the `{` is written with the first member).
    open: bool,
}

thread_local! {
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

#[inline]
fn with_scratch<R>(f: impl FnOnce(&mut String) -> R) -> R {
    SCRATCH.with(|s| f(&mut s.borrow_mut()))
}

impl ExtraBuilder {
    /// A builder whose text starts at the end of the scratch buffer.
    pub fn new() -> ExtraBuilder {
        ExtraBuilder {
            start: with_scratch(|s| s.len()),
            open: false,
        }
    }

    /// Writes `{` or `,`, then `"key":`.
    #[inline]
    pub(crate) fn begin_member(&mut self, key: &str) {
        let first = !self.open;
        self.open = true;
        with_scratch(|text| {
            text.push(if first { '{' } else { ',' });
            write_json_string(text, key);
            text.push(':');
        });
    }

    /// Keeps `"key":null` (a null for a property that cannot hold one).
    pub fn push_null(&mut self, key: &str) {
        self.begin_member(key);
        with_scratch(|text| text.push_str("null"));
    }

    /// Keeps the next value of `map`, whose key was written by `begin_member`.
    pub(crate) fn push_value<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<(), A::Error> {
        map.next_value_seed(RawAppend)
    }

    /// The finished set.
    pub fn finish(mut self) -> Extra {
        if !self.open {
            return Extra::default();
        }
        let json = with_scratch(|text| {
            text.push('}');
            let json: Box<str> = text[self.start..].into();
            text.truncate(self.start);
            json
        });
        self.open = false;
        Extra { json: Some(json) }
    }
}

impl Default for ExtraBuilder {
    fn default() -> Self {
        ExtraBuilder::new()
    }
}

impl Drop for ExtraBuilder {
    /// On an error mid-object, gives the scratch space back.
    fn drop(&mut self) {
        if self.open {
            with_scratch(|text| text.truncate(self.start));
        }
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push_str(s);
    } else {
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    use std::fmt::Write;
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
    }
    out.push('"');
}

/// serde_json hands out the text of a value when asked for this newtype struct (its
/// `RawValue` protocol, available with the `raw_value` feature).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Appends the JSON text of one value to the scratch buffer, without parsing it into a tree.
struct RawAppend;

impl<'de> DeserializeSeed<'de> for RawAppend {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, self)
    }
}

impl<'de> Visitor<'de> for RawAppend {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    /// serde_json: a one-entry map whose value is the raw text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if map.next_key::<de::IgnoredAny>()?.is_none() {
            return Err(de::Error::custom("expected the text of a JSON value"));
        }
        map.next_value_seed(AppendText)
    }
    /// Any other deserializer: read the value and write it as JSON.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        with_scratch(|text| text.push_str(&value.to_string()));
        Ok(())
    }
}

struct AppendText;

impl<'de> DeserializeSeed<'de> for AppendText {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for AppendText {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the text of a JSON value")
    }
    fn visit_str<E: de::Error>(self, raw: &str) -> Result<(), E> {
        with_scratch(|text| text.push_str(raw));
        Ok(())
    }
}
