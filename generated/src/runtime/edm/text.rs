//! Hand-written runtime (not generated): what the text-backed `Edm` types share.
//!
//! [`DateTimeOffset`](super::DateTimeOffset), [`Date`](super::Date),
//! [`TimeOfDay`](super::TimeOfDay), [`Duration`](super::Duration), [`Guid`](super::Guid) and
//! [`Binary`](super::Binary) each wrap the wire text (a `Box<str>`) and differ only in how
//! they check and parse it; everything else is written once here, by `text_type!`.

use std::fmt;

use serde::de::{self, Visitor};

use crate::runtime::error::Error;

/// The shared, text-keeping part of the text-backed types: `as_str`, `Display`, `AsRef<str>`,
/// `FromStr` (through the type's validating parser), `Serialize` and `Deserialize`.
///
/// `$ty` must be a tuple struct around a `Box<str>`; `$check` validates text given to
/// `FromStr` (decoding never validates, see the module docs).
macro_rules! text_type {
    ($ty:ident, $edm:literal, $check:expr) => {
        impl $ty {
            #[doc = concat!("The `", $edm, "` text exactly as received or written.")]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::runtime::error::Error;

            fn from_str(text: &str) -> Result<Self, $crate::runtime::error::Error> {
                let check: fn(&str) -> Result<(), $crate::runtime::error::Error> = $check;
                check(text)?;
                Ok($ty(Box::from(text)))
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                deserializer
                    .deserialize_str($crate::runtime::edm::text::TextVisitor($edm))
                    .map($ty)
            }
        }
    };
}

pub(super) use text_type;

/// Reads any JSON string into a `Box<str>`, with one allocation and no validation.
pub(super) struct TextVisitor(pub(super) &'static str);

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Box<str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an {} string", self.0)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Box<str>, E> {
        Ok(Box::from(value))
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Box<str>, E> {
        Ok(Box::from(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Box<str>, E> {
        Ok(value.into_boxed_str())
    }
}

/// The error for text that is not a valid `edm` value: `invalid Edm.Date "2025-02-30": ...`.
pub(super) fn invalid(edm: &str, text: &str, reason: impl fmt::Display) -> Error {
    Error::invalid_input(format!("invalid {edm} {text:?}: {reason}"))
}
