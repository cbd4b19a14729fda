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

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that may be absent, explicitly `null`, or carry a value.
///
/// Graph distinguishes the three: in a `PATCH`, an absent property is left unchanged while
/// `null` clears it; in a response, `null` says the value is not set.
///
/// ```
/// use msgraph_work::Nullable;
///
/// let mut place: Nullable<String> = Nullable::default(); // absent: not sent at all
/// assert!(place.is_absent());
/// place = Nullable::Null; // sent as `null`: clears the value on the server
/// place = "office-42".to_string().into(); // sent as a value
/// assert_eq!(place.value().map(String::as_str), Some("office-42"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not present in the JSON object.
    #[default]
    Absent,
    /// Present as `null`.
    Null,
    /// Present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, mutably, if there is one.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Consumes `self`, returning the value if there is one.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Whether the property is absent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is present as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether the property is present (as `null` or a value).
    pub fn is_present(&self) -> bool {
        !self.is_absent()
    }

    /// Borrows the value: `Nullable<&T>`.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }

    /// Maps the value, keeping absent and null as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }
}

impl<T: std::ops::Deref> Nullable<T> {
    /// Borrows the value through `Deref`: `Nullable<String>` → `Option<&str>`.
    pub fn as_deref(&self) -> Option<&T::Target> {
        self.value().map(|v| &**v)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes `null` (present), not absent.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            _ => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

/// Properties a model does not know, kept as they were received, in key order.
///
/// This is where `@odata.*` annotations (`@odata.etag`, `@odata.context`, `@odata.type`),
/// properties added to Graph after this crate was generated, and properties the schema no
/// longer has end up. Writing the model back writes them unchanged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra(serde_json::Map<String, serde_json::Value>);

impl Extra {
    /// An empty set.
    pub fn new() -> Extra {
        Extra::default()
    }

    /// A kept property by name.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.get(key)
    }

    /// Adds or replaces a property; it is written after the model's own properties.
    pub fn insert(&mut self, key: impl Into<String>, value: serde_json::Value) -> Option<serde_json::Value> {
        self.0.insert(key.into(), value)
    }

    /// Removes a property.
    pub fn remove(&mut self, key: &str) -> Option<serde_json::Value> {
        self.0.remove(key)
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many properties are kept.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The kept properties, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &serde_json::Value)> {
        self.0.iter()
    }

    /// The `@odata.type` annotation without its leading `#`, if present.
    pub fn odata_type(&self) -> Option<&str> {
        self.get("@odata.type").and_then(|v| v.as_str()).map(|t| t.trim_start_matches('#'))
    }

    /// The `@odata.etag` annotation, which `If-Match` takes, if present.
    pub fn odata_etag(&self) -> Option<&str> {
        self.get("@odata.etag").and_then(|v| v.as_str())
    }
}

/// A model generated from an entity or complex type.
///
/// The hidden items are the glue between generated code and this runtime; they are not part
/// of the supported API.
pub trait Model: Default {
    /// The qualified OData type name: `microsoft.graph.workPlanOccurrence`.
    const ODATA_TYPE: &'static str;

    /// Properties this model does not know, kept as received.
    fn extra(&self) -> &Extra;

    /// Properties this model does not know, mutably.
    fn extra_mut(&mut self) -> &mut Extra;

    #[doc(hidden)]
    /// The wire names of the model's properties, indexed by field id.
    const FIELDS: &'static [&'static str];

    #[doc(hidden)]
    fn field_id(key: &str) -> Option<u16>;

    #[doc(hidden)]
    fn read_field<'de, A: MapAccess<'de>>(&mut self, id: u16, map: &mut A) -> Result<(), A::Error>;

    #[doc(hidden)]
    fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;

    #[doc(hidden)]
    fn is_set(&self, id: u16) -> bool;
}

/// How a field of a model is read from and written to a JSON object. Implemented for `Option`
/// (absent or value) and [`Nullable`] (absent, null or value).
#[doc(hidden)]
pub trait Slot {
    /// Reads the value of `key` into the slot. A `null` that the slot cannot hold is kept in
    /// `extra` rather than dropped.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &'static str, extra: &mut Extra, map: &mut A) -> Result<(), A::Error>;
    /// Whether the property is present.
    fn is_set(&self) -> bool;
    /// Writes the property if it is present.
    fn write<M: SerializeMap>(&self, key: &'static str, map: &mut M) -> Result<(), M::Error>;
}

impl<T: Serialize + for<'de> Deserialize<'de>> Slot for Option<T> {
    #[inline]
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &'static str, extra: &mut Extra, map: &mut A) -> Result<(), A::Error> {
        match map.next_value::<Option<T>>()? {
            Some(v) => *self = Some(v),
            None => {
                *self = None;
                extra.insert(key, serde_json::Value::Null);
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
    fn read<'de, A: MapAccess<'de>>(&mut self, _: &'static str, _: &mut Extra, map: &mut A) -> Result<(), A::Error> {
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

/// A map key, resolved against a model's fields without allocating for known names.
enum Key {
    Known(u16),
    Unknown(String),
}

struct KeySeed<T>(PhantomData<T>);

impl<'de, T: Model> DeserializeSeed<'de> for KeySeed<T> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<T: Model> Visitor<'_> for KeySeed<T> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match T::field_id(key) {
            Some(id) => Key::Known(id),
            None => Key::Unknown(key.to_owned()),
        })
    }
    fn visit_string<E: de::Error>(self, key: String) -> Result<Key, E> {
        Ok(match T::field_id(&key) {
            Some(id) => Key::Known(id),
            None => Key::Unknown(key),
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
        while let Some(key) = map.next_key_seed(KeySeed::<T>(PhantomData))? {
            match key {
                Key::Known(id) => out.read_field(id, &mut map)?,
                Key::Unknown(name) => {
                    let value: serde_json::Value = map.next_value()?;
                    out.extra_mut().insert(name, value);
                }
            }
        }
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
    value.write_fields(&mut map)?;
    write_extra(value, &mut map)?;
    map.end()
}

/// Serializes a model inside an `Any*` enum: as [`serialize`], but makes sure `@odata.type`
/// is present so that Graph knows which derived type it receives.
#[doc(hidden)]
pub fn serialize_tagged<T: Model, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    if value.extra().get("@odata.type").is_none() {
        map.serialize_entry("@odata.type", &format_args!("#{}", T::ODATA_TYPE))?;
    }
    value.write_fields(&mut map)?;
    write_extra(value, &mut map)?;
    map.end()
}

fn write_extra<T: Model, M: SerializeMap>(value: &T, map: &mut M) -> Result<(), M::Error> {
    for (key, v) in value.extra().iter() {
        // A `null` kept for a known field is shadowed once the field has a value again.
        if let Some(id) = T::field_id(key) {
            if value.is_set(id) {
                continue;
            }
        }
        map.serialize_entry(key, v)?;
    }
    Ok(())
}

/// Reads a JSON object whole, for `@odata.type` dispatch.
#[doc(hidden)]
pub fn buffer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<serde_json::Map<String, serde_json::Value>, D::Error> {
    serde_json::Map::deserialize(deserializer)
}

/// The `@odata.type` of a buffered object, without the leading `#`.
#[doc(hidden)]
pub fn odata_type(object: &serde_json::Map<String, serde_json::Value>) -> Option<&str> {
    object.get("@odata.type").and_then(|v| v.as_str()).map(|t| t.trim_start_matches('#'))
}

/// Finishes `@odata.type` dispatch: deserializes the buffered object as `T`.
#[doc(hidden)]
pub fn from_buffer<T: Model, E: de::Error>(object: serde_json::Map<String, serde_json::Value>) -> Result<T, E> {
    deserialize(serde_json::Value::Object(object)).map_err(E::custom)
}
