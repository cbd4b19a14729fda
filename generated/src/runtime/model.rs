//! Hand-written runtime (not generated): what every generated model is made of.
//!
//! Models are lossless: reading a Graph payload and writing it back gives the same JSON.
//! * A property that may be `null` is a [`Nullable`] (absent, null, or a value); any other
//!   property is an `Option` (absent or a value).
//! * Properties the model does not know, and `null`s sent for properties the metadata says are
//!   not nullable, are kept in the model's [`Extra`] and written back unchanged.
//! * Generated structs implement [`Model`]; their `Deserialize`/`Serialize` impls call
//!   [`deserialize`] and [`serialize`] here. These are written by hand, not with
//!   `#[serde(flatten)]`, because flatten buffers every field through an intermediate map and
//!   was measured to cost about 20% on clean payloads and far more with unknown properties.
//! * Unknown properties are kept as the JSON text they arrived as (serde_json's raw value
//!   protocol), one allocation per object that has any: parsing them into `serde_json::Value`s
//!   in a map cost more than half the decoding speed when every item carried a few.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

pub use super::body::BodyMode;
use super::body::{BODY_MODE, is_response_control};
pub use super::nullable::Nullable;

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
    fn members(&self) -> Vec<(Cow<'_, str>, &RawValue)> {
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
    fn begin_member(&mut self, key: &str) {
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
    fn push_value<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<(), A::Error> {
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

/// A model generated from an entity or complex type.
///
/// The hidden items are the glue between generated code and this runtime; they are not part
/// of the supported API. The trait is sealed: only the crate's generated models implement it.
///
/// ```compile_fail,E0277
/// #[derive(Default)]
/// struct Mine {
///     extra: msgraph_work::Extra,
/// }
/// impl msgraph_work::Model for Mine {
///     const ODATA_TYPE: &'static str = "mine";
///     fn extra(&self) -> &msgraph_work::Extra { &self.extra }
///     fn extra_mut(&mut self) -> &mut msgraph_work::Extra { &mut self.extra }
///     fn field_id(_: &str) -> Option<u16> { None }
///     fn read_field<'de, A: serde::de::MapAccess<'de>>(&mut self, _: u16, _: &mut A, _: &mut msgraph_work::runtime::ExtraBuilder) -> Result<(), A::Error> { Ok(()) }
///     fn write_fields<M: serde::ser::SerializeMap>(&self, _: &mut msgraph_work::runtime::FieldWriter<'_, M>) -> Result<(), M::Error> { Ok(()) }
/// }
/// ```
pub trait Model: Default + sealed::Sealed {
    /// The qualified OData type name: `microsoft.graph.workPlanOccurrence`.
    const ODATA_TYPE: &'static str;

    /// Properties this model does not know, kept as received.
    fn extra(&self) -> &Extra;

    /// Properties this model does not know, mutably.
    fn extra_mut(&mut self) -> &mut Extra;

    #[doc(hidden)]
    fn field_id(key: &str) -> Option<u16>;

    #[doc(hidden)]
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        id: u16,
        map: &mut A,
        extra: &mut ExtraBuilder,
    ) -> Result<(), A::Error>;

    /// Writes each field to `out` (`field`, `read_only` or `create_only`, after which request
    /// bodies carry it): `out` writes those that are set and that the body being written takes.
    #[doc(hidden)]
    fn write_fields<M: SerializeMap>(&self, out: &mut FieldWriter<'_, M>) -> Result<(), M::Error>;
}

/// Which request bodies carry a field. A model written back whole (`BodyMode::Whole`) carries
/// every field; a body for a POST, PUT or PATCH leaves out what Graph computes or keeps.
#[derive(Clone, Copy)]
enum InBody {
    Always,
    OnCreate,
    Never,
}

/// Where `Model::write_fields` writes: the serializer's map, the kind of body being written,
/// and, when the model's unknown properties hold a `null` kept for one of its own fields, which
/// of those fields are set (their kept `null` must then not be written).
#[doc(hidden)]
pub struct FieldWriter<'a, M> {
    map: &'a mut M,
    mode: BodyMode,
    /// The keys of the model's own fields that its extra properties also hold, and whether
    /// each is set; almost always empty.
    shadowed: Vec<(String, bool)>,
}

impl<M: SerializeMap> FieldWriter<'_, M> {
    /// Writes a field that any body carries, if it is set.
    #[inline]
    pub fn field<S: Slot>(&mut self, key: &'static str, slot: &S) -> Result<(), M::Error> {
        self.write(key, InBody::Always, slot)
    }

    /// Writes a field the service computes (or the key), if it is set and the model is
    /// written whole rather than as a request body.
    #[inline]
    pub fn read_only<S: Slot>(&mut self, key: &'static str, slot: &S) -> Result<(), M::Error> {
        self.write(key, InBody::Never, slot)
    }

    /// Writes a field only a create sets, if it is set and the body is not an update's.
    #[inline]
    pub fn create_only<S: Slot>(&mut self, key: &'static str, slot: &S) -> Result<(), M::Error> {
        self.write(key, InBody::OnCreate, slot)
    }

    #[inline]
    fn write<S: Slot>(
        &mut self,
        key: &'static str,
        in_body: InBody,
        slot: &S,
    ) -> Result<(), M::Error> {
        if !slot.is_set() {
            return Ok(());
        }
        // Set, the field shadows a kept `null` even in a body that leaves the field out.
        if let Some(entry) = self.shadowed.iter_mut().find(|(k, _)| k == key) {
            entry.1 = true;
        }
        let carried = match in_body {
            InBody::Always => true,
            InBody::OnCreate => self.mode.writes_create_only(),
            InBody::Never => self.mode.writes_read_only(),
        };
        if !carried {
            return Ok(());
        }
        slot.write(key, self.map)
    }
}

impl<M> fmt::Debug for FieldWriter<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldWriter")
            .field("mode", &self.mode)
            .field("shadowed", &self.shadowed)
            .finish_non_exhaustive()
    }
}

/// How a field of a model is read from and written to a JSON object. Implemented for `Option`
/// (absent or value) and [`Nullable`] (absent, null or value).
///
/// Sealed: only this crate implements it, so its methods can change without breaking anyone.
///
/// ```compile_fail,E0277
/// use msgraph_work::runtime::{ExtraBuilder, Slot};
/// use serde::{de::MapAccess, ser::SerializeMap};
///
/// struct Mine;
///
/// impl Slot for Mine {
///     fn read<'de, A: MapAccess<'de>>(&mut self, _: &'static str, _: &mut ExtraBuilder, _: &mut A)
///         -> Result<(), A::Error> { Ok(()) }
///     fn is_set(&self) -> bool { false }
///     fn write<M: SerializeMap>(&self, _: &'static str, _: &mut M)
///         -> Result<(), M::Error> { Ok(()) }
/// }
/// ```
#[doc(hidden)]
pub trait Slot: sealed::Sealed {
    /// Reads the value of `key` into the slot. A `null` that the slot cannot hold is kept in
    /// `extra` rather than dropped.
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        key: &'static str,
        extra: &mut ExtraBuilder,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// Whether the property is present.
    fn is_set(&self) -> bool;
    /// Writes the property if it is present.
    fn write<M: SerializeMap>(&self, key: &'static str, map: &mut M) -> Result<(), M::Error>;
}

/// The supertrait that seals [`Slot`] and [`Model`]: it is public (as a supertrait must be)
/// but in a module private to the crate, so other crates cannot name it, hence cannot
/// implement it, hence cannot implement [`Slot`] or [`Model`]. Generated models implement it.
mod sealed {
    pub trait Sealed {}

    impl<T> Sealed for Option<T> {}
    impl<T> Sealed for super::Nullable<T> {}
}

#[doc(hidden)]
pub(crate) use sealed::Sealed;

impl<T: Serialize + for<'de> Deserialize<'de>> Slot for Option<T> {
    #[inline]
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        key: &'static str,
        extra: &mut ExtraBuilder,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match map.next_value::<Option<T>>()? {
            Some(v) => *self = Some(v),
            None => {
                *self = None;
                extra.push_null(key);
            }
        }
        Ok(())
    }
    #[inline]
    fn is_set(&self) -> bool {
        self.is_some()
    }
    #[inline]
    fn write<M: SerializeMap>(&self, key: &'static str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Some(v) => map.serialize_entry(key, v),
            None => Ok(()),
        }
    }
}

impl<T: Serialize + for<'de> Deserialize<'de>> Slot for Nullable<T> {
    #[inline]
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        _: &'static str,
        _: &mut ExtraBuilder,
        map: &mut A,
    ) -> Result<(), A::Error> {
        *self = map.next_value::<Nullable<T>>()?;
        Ok(())
    }
    #[inline]
    fn is_set(&self) -> bool {
        self.is_present()
    }
    #[inline]
    fn write<M: SerializeMap>(&self, key: &'static str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Nullable::Absent => Ok(()),
            Nullable::Null => map.serialize_entry(key, &()),
            Nullable::Value(v) => map.serialize_entry(key, v),
        }
    }
}

/// A map key, resolved against a model's fields; an unknown key is written straight into the
/// extra properties' text, so no key is ever allocated.
enum Key {
    Known(u16),
    Unknown,
}

struct KeySeed<'b, T> {
    extra: &'b mut ExtraBuilder,
    model: PhantomData<T>,
}

impl<'de, T: Model> DeserializeSeed<'de> for KeySeed<'_, T> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<T: Model> Visitor<'_> for KeySeed<'_, T> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match T::field_id(key) {
            Some(id) => Key::Known(id),
            None => {
                self.extra.begin_member(key);
                Key::Unknown
            }
        })
    }
}

struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: Model> Visitor<'de> for ModelVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::ODATA_TYPE)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        let mut extra = ExtraBuilder::new();
        while let Some(key) = map.next_key_seed(KeySeed::<T> {
            extra: &mut extra,
            model: PhantomData,
        })? {
            match key {
                Key::Known(id) => out.read_field(id, &mut map, &mut extra)?,
                Key::Unknown => extra.push_value(&mut map)?,
            }
        }
        *out.extra_mut() = extra.finish();
        Ok(out)
    }
}

/// Deserializes a model from a JSON object.
#[doc(hidden)]
pub fn deserialize<'de, T: Model, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor::<T>(PhantomData))
}

/// Serializes a model: its fields in declaration order, then the kept unknown properties.
#[doc(hidden)]
pub fn serialize<T: Model, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    write_model(value, &mut map)?;
    map.end()
}

/// Serializes a model inside an `Any*` enum: as [`serialize`], but makes sure `@odata.type`
/// is present so that Graph knows which derived type it receives.
#[doc(hidden)]
pub fn serialize_tagged<T: Model, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    if !value.extra().contains_key("@odata.type") {
        map.serialize_entry("@odata.type", &format_args!("#{}", T::ODATA_TYPE))?;
    }
    write_model(value, &mut map)?;
    map.end()
}

/// Writes a model's fields, then its kept unknown properties, into `map`.
fn write_model<T: Model, M: SerializeMap>(value: &T, map: &mut M) -> Result<(), M::Error> {
    let mode = BODY_MODE.with(|m| m.get());
    let extra = value.extra();
    let members = if extra.is_empty() {
        Vec::new()
    } else {
        extra.members()
    };
    // A `null` kept for a known field is shadowed once the field has a value again.
    let shadowed = members
        .iter()
        .filter(|(key, _)| T::field_id(key).is_some())
        .map(|(key, _)| (key.to_string(), false))
        .collect();
    let mut out = FieldWriter {
        map,
        mode,
        shadowed,
    };
    value.write_fields(&mut out)?;
    let FieldWriter { map, shadowed, .. } = out;
    for (key, raw) in members {
        if mode != BodyMode::Whole && is_response_control(&key) {
            continue;
        }
        if shadowed.iter().any(|(k, set)| *set && *k == key) {
            continue;
        }
        map.serialize_entry(&*key, raw)?;
    }
    Ok(())
}

/// Reads a JSON object whole, for `@odata.type` dispatch.
#[doc(hidden)]
pub fn buffer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<serde_json::Map<String, serde_json::Value>, D::Error> {
    serde_json::Map::deserialize(deserializer)
}

/// The `@odata.type` of a buffered object, without the leading `#`.
#[doc(hidden)]
pub fn odata_type(object: &serde_json::Map<String, serde_json::Value>) -> Option<&str> {
    object
        .get("@odata.type")
        .and_then(|v| v.as_str())
        .map(|t| t.trim_start_matches('#'))
}

/// Finishes `@odata.type` dispatch: deserializes the buffered object as `T`, boxed as the
/// `Any*` variants hold it. Called with both types spelled out and the variant as a function
/// (`.map(Self::Variant)`): with a closure per arm, type-checking an enum of 1,500 variants
/// took seconds.
#[doc(hidden)]
pub fn from_buffer<T: Model, E: de::Error>(
    object: serde_json::Map<String, serde_json::Value>,
) -> Result<Box<T>, E> {
    deserialize(serde_json::Value::Object(object))
        .map(Box::new)
        .map_err(E::custom)
}
