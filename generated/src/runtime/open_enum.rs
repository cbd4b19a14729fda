//! Hand-written runtime (not generated): open enums.
//!
//! Graph adds enum members without notice. Every generated enum has a catch-all
//! `Unrecognized` variant holding an [`UnrecognizedValue`], so a member this crate does not
//! know yet is read, kept, and written back unchanged instead of failing the whole response.
//! The enums are `#[non_exhaustive]`, so adding the member in a later version of the crate is
//! not a breaking change.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// A generated enum: members by their wire names, plus a catch-all for the rest.
pub trait OpenEnum: Sized {
    /// The wire names of the known members, in declaration order.
    const MEMBERS: &'static [&'static str];

    /// The member with this wire name, or `Unrecognized` holding it.
    fn from_wire(value: &str) -> Self;

    /// The wire name.
    fn as_wire(&self) -> &str;
}

/// An enum value this version of the crate does not know, exactly as Graph sent it.
///
/// It can only be made by parsing, so an `Unrecognized` variant never holds a known member.
///
/// It is one pointer wide (the text lives behind a second box), so that an enum with this
/// variant is no larger than two words: enums are everywhere in models, unknown values rare.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnrecognizedValue(Box<Box<str>>);

impl UnrecognizedValue {
    #[doc(hidden)]
    pub fn new(value: &str) -> UnrecognizedValue {
        UnrecognizedValue(Box::new(value.into()))
    }

    /// The value as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnrecognizedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self.0, f)
    }
}

impl fmt::Display for UnrecognizedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

struct EnumVisitor<T>(PhantomData<T>);

impl<T: OpenEnum> Visitor<'_> for EnumVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an enum member name (a string)")
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from_wire(value))
    }
}

/// Deserializes an open enum from a JSON string.
#[doc(hidden)]
pub fn deserialize<'de, T: OpenEnum, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_str(EnumVisitor(PhantomData))
}

/// The value of a flags enum: several members at once, comma-separated on the wire
/// (`"user,manager"`). The text is kept as sent; [`Flags::members`] reads it.
///
/// ```
/// use msgraph_work::{Flags, OpenEnum};
/// # #[derive(Debug, PartialEq)] enum Color { Red, Blue, Other(String) }
/// # impl OpenEnum for Color {
/// #     const MEMBERS: &'static [&'static str] = &["red", "blue"];
/// #     fn from_wire(v: &str) -> Self { match v { "red" => Color::Red, "blue" => Color::Blue, o => Color::Other(o.into()) } }
/// #     fn as_wire(&self) -> &str { match self { Color::Red => "red", Color::Blue => "blue", Color::Other(o) => o } }
/// # }
/// let both: Flags<Color> = Flags::from_members([Color::Red, Color::Blue]);
/// assert_eq!(both.as_str(), "red,blue");
/// assert!(both.contains(&Color::Blue));
/// ```
pub struct Flags<T> {
    wire: String,
    members: PhantomData<fn() -> T>,
}

impl<T: OpenEnum> Flags<T> {
    /// A value holding these members.
    pub fn from_members(members: impl IntoIterator<Item = T>) -> Flags<T> {
        let wire = members
            .into_iter()
            .map(|m| m.as_wire().to_owned())
            .collect::<Vec<_>>()
            .join(",");
        Flags {
            wire,
            members: PhantomData,
        }
    }

    /// The members, parsed from the wire text.
    pub fn members(&self) -> impl Iterator<Item = T> + '_ {
        self.wire
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(T::from_wire)
    }

    /// Whether a member is set.
    pub fn contains(&self, member: &T) -> bool {
        self.wire
            .split(',')
            .map(str::trim)
            .any(|m| m == member.as_wire())
    }

    /// The wire text, as sent.
    pub fn as_str(&self) -> &str {
        &self.wire
    }
}

impl<T: OpenEnum> From<T> for Flags<T> {
    /// A value holding one member.
    fn from(member: T) -> Self {
        Flags::from_members([member])
    }
}

impl<T> Clone for Flags<T> {
    fn clone(&self) -> Self {
        Flags {
            wire: self.wire.clone(),
            members: PhantomData,
        }
    }
}

impl<T> PartialEq for Flags<T> {
    fn eq(&self, other: &Self) -> bool {
        self.wire == other.wire
    }
}

impl<T> Eq for Flags<T> {}

impl<T> std::hash::Hash for Flags<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.wire.hash(state)
    }
}

impl<T> fmt::Debug for Flags<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Flags({:?})", self.wire)
    }
}

impl<T> serde::Serialize for Flags<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.wire)
    }
}

impl<'de, T> serde::Deserialize<'de> for Flags<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|wire| Flags {
            wire,
            members: PhantomData,
        })
    }
}
