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
//! * Unknown properties are kept as JSON text ([`Extra`], in `extra.rs`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use super::body::BodyMode;
use super::body::{BODY_MODE, is_response_control};
pub use super::extra::{Extra, ExtraBuilder};
pub use super::nullable::Nullable;

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
///     const FIELDS: &'static [Option<&'static str>] = &[];
///     fn read_field<'de, A: serde::de::MapAccess<'de>>(&mut self, _: u16, _: &mut A, _: &mut msgraph_work::runtime::ExtraBuilder) -> Result<(), A::Error> { Ok(()) }
///     fn write_fields<M: serde::ser::SerializeMap>(&self, _: &mut msgraph_work::runtime::FieldWriter<'_, M>) {}
/// }
/// ```
pub trait Model: Default + sealed::Sealed {
    /// The qualified OData type name: `microsoft.graph.workPlanOccurrence`.
    const ODATA_TYPE: &'static str;

    /// Properties this model does not know, kept as received.
    fn extra(&self) -> &Extra;

    /// Properties this model does not know, mutably.
    fn extra_mut(&mut self) -> &mut Extra;

    /// The wire names of the fields, indexed by the ids `read_field` takes; `None` for a
    /// field the enabled features leave out, so that its property is kept in `extra`.
    /// A table rather than a generated `match`: the compiler spent a call per field on it.
    #[doc(hidden)]
    const FIELDS: &'static [Option<&'static str>];

    /// The id of the field named `key`.
    #[doc(hidden)]
    fn field_id(key: &str) -> Option<u16> {
        field_id_from(Self::FIELDS, key, 0)
    }

    #[doc(hidden)]
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        id: u16,
        map: &mut A,
        extra: &mut ExtraBuilder,
    ) -> Result<(), A::Error>;

    /// Writes each field to `out` (`field`, `read_only` or `create_only`, after which request
    /// bodies carry it): `out` writes those that are set and that the body being written takes,
    /// and keeps the first error.
    #[doc(hidden)]
    fn write_fields<M: SerializeMap>(&self, out: &mut FieldWriter<'_, M>);
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
///
/// It keeps the first error and writes nothing after it, so that `write_fields` is a plain
/// list of calls: a `?` per field was a large share of what the compiler spent on models.
#[doc(hidden)]
pub struct FieldWriter<'a, M: SerializeMap> {
    map: &'a mut M,
    mode: BodyMode,
    error: Option<M::Error>,
    /// The keys of the model's own fields that its extra properties also hold, and whether
    /// each is set; almost always empty.
    shadowed: Vec<(String, bool)>,
}

impl<M: SerializeMap> FieldWriter<'_, M> {
    /// Writes a field that any body carries, if it is set.
    #[inline]
    pub fn field<S: Slot>(&mut self, key: &'static str, slot: &S) {
        self.write(key, InBody::Always, slot)
    }

    /// Writes a field the service computes (or the key), if it is set and the model is
    /// written whole rather than as a request body.
    #[inline]
    pub fn read_only<S: Slot>(&mut self, key: &'static str, slot: &S) {
        self.write(key, InBody::Never, slot)
    }

    /// Writes a field only a create sets, if it is set and the body is not an update's.
    #[inline]
    pub fn create_only<S: Slot>(&mut self, key: &'static str, slot: &S) {
        self.write(key, InBody::OnCreate, slot)
    }

    #[inline]
    fn write<S: Slot>(&mut self, key: &'static str, in_body: InBody, slot: &S) {
        if self.error.is_some() || !slot.is_set() {
            return;
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
        if carried {
            if let Err(error) = slot.write(key, self.map) {
                self.error = Some(error);
            }
        }
    }
}

impl<M: SerializeMap> fmt::Debug for FieldWriter<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldWriter")
            .field("mode", &self.mode)
            .field("shadowed", &self.shadowed)
            .field("failed", &self.error.is_some())
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

/// The id of the field named `key`, trying `expected` first: Graph writes an object's
/// properties in declaration order, so the field after the last one read is usually next.
#[inline]
fn field_id_from(fields: &[Option<&str>], key: &str, expected: usize) -> Option<u16> {
    if let Some(Some(name)) = fields.get(expected) {
        if *name == key {
            return Some(expected as u16);
        }
    }
    let id = fields.iter().position(|name| *name == Some(key))?;
    Some(id as u16)
}

/// A map key, resolved against a model's fields; an unknown key is written straight into the
/// extra properties' text, so no key is ever allocated.
enum Key {
    Known(u16),
    Unknown,
}

struct KeySeed<'b, T> {
    extra: &'b mut ExtraBuilder,
    /// The id after the last field read: where the next key is looked up first.
    next: &'b mut usize,
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
        Ok(match field_id_from(T::FIELDS, key, *self.next) {
            Some(id) => {
                *self.next = usize::from(id) + 1;
                Key::Known(id)
            }
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
        let mut next = 0;
        while let Some(key) = map.next_key_seed(KeySeed::<T> {
            extra: &mut extra,
            next: &mut next,
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
    // Empty (and free) unless the model kept unknown properties.
    let members = value.extra().members();
    // A `null` kept for a known field is shadowed once the field has a value again.
    let shadowed = members
        .iter()
        .filter(|(key, _)| T::field_id(key).is_some())
        .map(|(key, _)| (key.to_string(), false))
        .collect();
    let mut out = FieldWriter {
        map,
        mode,
        error: None,
        shadowed,
    };
    value.write_fields(&mut out);
    let FieldWriter {
        map,
        shadowed,
        error,
        ..
    } = out;
    if let Some(error) = error {
        return Err(error);
    }
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
