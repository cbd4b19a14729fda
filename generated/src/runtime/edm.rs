//! Hand-written runtime (not generated): Microsoft Graph's primitive wire types (`Edm.*`).
//!
//! Graph writes dates, times, durations, GUIDs, binary data and some numbers in forms that a
//! plain `String` or `f64` does not carry faithfully. The types here are what generated models
//! use for those properties. They share three rules:
//!
//! * **Lossless.** Each type keeps the value exactly as it came over the wire and writes it back
//!   unchanged, so deserializing and serializing a model gives an equal `serde_json::Value`.
//!   Decoding never validates text: Microsoft's own examples contain placeholders such as
//!   `"startDateTime": "datetime-value"`, and a model must still read them. ([`Double`] and
//!   [`Decimal`] are the exception: they accept JSON numbers and numeric strings only.)
//! * **Lazy.** The typed value is produced on demand ([`DateTimeOffset::to_timestamp`],
//!   [`Date::to_date`], ...) with [`jiff`], and only these accessors can fail. Decoding costs one
//!   allocation, the same as decoding a `String`.
//! * **Validated on the way in.** Values built by the caller come from a typed value
//!   (`From<jiff::Timestamp>`, `From<u128>`, ...) or from [`FromStr`], which checks the text.
//!
//! The text-backed types store a `Box<str>` rather than a `String`: decoding allocates exactly
//! once either way (the bytes are copied out of the JSON input), but a `Box<str>` is two words
//! instead of three, which keeps models with many date fields smaller, and these values are never
//! appended to, so a spare capacity field would be dead weight.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use jiff::civil;
use jiff::tz::Offset;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::runtime::error::Error;

// ---------------------------------------------------------------------------------------------
// Text-backed types
// ---------------------------------------------------------------------------------------------

/// An `Edm.DateTimeOffset`: an instant with a UTC offset, as Graph writes it
/// (`2019-03-14T05:35:57.755Z`, up to 7 fractional digits, or `2024-12-20T10:00:00-05:00`).
///
/// The wire text is kept as received; [`to_timestamp`](Self::to_timestamp) parses it. Parsing
/// follows the OData grammar: `YYYY-MM-DDTHH:MM[:SS[.fffffffff]]` followed by `Z` or `±HH:MM`,
/// with at most 9 fractional digits (nanoseconds).
///
/// ```
/// use msgraph_work::edm::DateTimeOffset;
///
/// let created: DateTimeOffset = serde_json::from_str(r#""2019-03-14T05:35:57.7550000Z""#).unwrap();
/// assert_eq!(created.as_str(), "2019-03-14T05:35:57.7550000Z");
/// assert_eq!(created.to_timestamp().unwrap().to_string(), "2019-03-14T05:35:57.755Z");
///
/// // Written from a timestamp: RFC 3339 in UTC, with only the fractional digits needed.
/// let now = DateTimeOffset::from("2024-12-20T15:00:00Z".parse::<jiff::Timestamp>().unwrap());
/// assert_eq!(serde_json::to_string(&now).unwrap(), r#""2024-12-20T15:00:00Z""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTimeOffset(Box<str>);

/// An `Edm.Date`: a calendar date without time or zone (`2025-12-11`).
///
/// The wire text is kept as received; [`to_date`](Self::to_date) parses it (`YYYY-MM-DD`).
///
/// ```
/// use msgraph_work::edm::Date;
///
/// let day: Date = serde_json::from_str(r#""2025-12-11""#).unwrap();
/// assert_eq!(day.to_date().unwrap(), jiff::civil::date(2025, 12, 11));
/// assert_eq!(Date::from(jiff::civil::date(2025, 1, 2)).as_str(), "2025-01-02");
/// assert!("2025-02-30".parse::<Date>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Date(Box<str>);

/// An `Edm.TimeOfDay`: a wall-clock time without date or zone (`09:00:00`,
/// `09:00:00.0000000`).
///
/// The wire text is kept as received; [`to_time`](Self::to_time) parses it
/// (`HH:MM[:SS[.fffffffff]]`, at most 9 fractional digits).
///
/// ```
/// use msgraph_work::edm::TimeOfDay;
///
/// let start: TimeOfDay = serde_json::from_str(r#""09:30:00.0000000""#).unwrap();
/// assert_eq!(start.to_time().unwrap(), jiff::civil::time(9, 30, 0, 0));
/// assert_eq!(serde_json::to_string(&start).unwrap(), r#""09:30:00.0000000""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeOfDay(Box<str>);

/// An `Edm.Duration`: an ISO 8601 duration (`PT1H30M`, `P1D`, `-P2DT3H`).
///
/// The wire text is kept as received; [`to_span`](Self::to_span) parses it into a
/// [`jiff::Span`] (which keeps the units as written, including days, weeks, months and years),
/// and [`to_std`](Self::to_std) gives a [`std::time::Duration`] for spans without years or
/// months.
///
/// ```
/// use msgraph_work::edm::Duration;
///
/// let break_length: Duration = serde_json::from_str(r#""PT1H30M""#).unwrap();
/// assert_eq!(break_length.to_std().unwrap(), std::time::Duration::from_secs(90 * 60));
/// assert_eq!(Duration::from(jiff::Span::new().days(1)).as_str(), "P1D");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Duration(Box<str>);

/// An `Edm.Guid`: `8-4-4-4-12` hexadecimal digits
/// (`3fa85f64-5717-4562-b3fc-2c963f66afa6`).
///
/// The wire text is kept as received, including the case of its hex digits, so equality is
/// textual: `"AB…"` and `"ab…"` are different values. Compare [`to_u128`](Self::to_u128) results
/// to ignore case.
///
/// ```
/// use msgraph_work::edm::Guid;
///
/// let id: Guid = "3FA85F64-5717-4562-B3FC-2C963F66AFA6".parse().unwrap();
/// assert_eq!(id.as_str(), "3FA85F64-5717-4562-B3FC-2C963F66AFA6");
/// assert_eq!(Guid::from(id.to_u128().unwrap()).as_str(), "3fa85f64-5717-4562-b3fc-2c963f66afa6");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Guid(Box<str>);

/// An `Edm.Binary`: bytes in base64.
///
/// The wire text is kept as received. Graph writes standard base64 with padding, which is what
/// [`from_bytes`](Self::from_bytes) produces; [`to_bytes`](Self::to_bytes) also reads the
/// URL-safe alphabet (`-`, `_`) and unpadded text.
///
/// ```
/// use msgraph_work::edm::Binary;
///
/// let photo = Binary::from_bytes(b"\xff\xd8\xff");
/// assert_eq!(photo.as_str(), "/9j/");
/// let url_safe: Binary = serde_json::from_str(r#""_9j_""#).unwrap();
/// assert_eq!(url_safe.to_bytes().unwrap(), b"\xff\xd8\xff");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Binary(Box<str>);

/// The shared, text-keeping part of the text-backed types: `as_str`, `Display`, `AsRef<str>`,
/// `FromStr` (through the type's validating parser), `Serialize` and `Deserialize`.
macro_rules! text_type {
    ($ty:ident, $edm:literal, $check:expr) => {
        impl $ty {
            #[doc = concat!("The `", $edm, "` text exactly as received or written.")]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $ty {
            type Err = Error;

            fn from_str(text: &str) -> Result<Self, Error> {
                let check: fn(&str) -> Result<(), Error> = $check;
                check(text)?;
                Ok($ty(Box::from(text)))
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(TextVisitor($edm)).map($ty)
            }
        }
    };
}

text_type!(DateTimeOffset, "Edm.DateTimeOffset", |text| {
    parse_date_time_offset(text).map(drop)
});
text_type!(Date, "Edm.Date", |text| parse_date(text).map(drop));
text_type!(TimeOfDay, "Edm.TimeOfDay", |text| parse_time_of_day(text)
    .map(drop));
text_type!(Duration, "Edm.Duration", |text| parse_duration(text)
    .map(drop));
text_type!(Guid, "Edm.Guid", |text| parse_guid(text).map(drop));
text_type!(Binary, "Edm.Binary", |text| decode_base64(text).map(drop));

/// Reads any JSON string into a `Box<str>`, with one allocation and no validation.
struct TextVisitor(&'static str);

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

impl DateTimeOffset {
    /// The instant this value denotes.
    ///
    /// Fails when the text is not an OData `DateTimeOffset` (for example a placeholder such as
    /// `"datetime-value"`, a value without `Z` or offset, or more than 9 fractional digits).
    pub fn to_timestamp(&self) -> Result<jiff::Timestamp, Error> {
        parse_date_time_offset(&self.0)
    }
}

impl From<jiff::Timestamp> for DateTimeOffset {
    /// Writes RFC 3339 in UTC with `Z` and only the fractional digits needed
    /// (`2019-03-14T05:35:57.755Z`).
    fn from(timestamp: jiff::Timestamp) -> Self {
        DateTimeOffset(timestamp.to_string().into_boxed_str())
    }
}

impl Date {
    /// The calendar date this value denotes. Fails when the text is not `YYYY-MM-DD` or names a
    /// day that does not exist.
    pub fn to_date(&self) -> Result<civil::Date, Error> {
        parse_date(&self.0)
    }
}

impl From<civil::Date> for Date {
    /// Writes `YYYY-MM-DD`.
    fn from(date: civil::Date) -> Self {
        Date(date.to_string().into_boxed_str())
    }
}

impl TimeOfDay {
    /// The wall-clock time this value denotes. Fails when the text is not
    /// `HH:MM[:SS[.fffffffff]]`.
    pub fn to_time(&self) -> Result<civil::Time, Error> {
        parse_time_of_day(&self.0)
    }
}

impl From<civil::Time> for TimeOfDay {
    /// Writes `HH:MM:SS`, with only the fractional digits needed (`09:00:00`, `09:00:00.5`).
    fn from(time: civil::Time) -> Self {
        TimeOfDay(time.to_string().into_boxed_str())
    }
}

impl Duration {
    /// The duration as a [`jiff::Span`], with the units as written (`P1D` is one day, not 24
    /// hours). Fails when the text is not an ISO 8601 duration.
    pub fn to_span(&self) -> Result<jiff::Span, Error> {
        parse_duration(&self.0)
    }

    /// The duration as a [`std::time::Duration`]. Days count as 24 hours and weeks as 7 days.
    ///
    /// Fails when the text does not parse, when it has years or months (which have no fixed
    /// length), or when it is negative.
    pub fn to_std(&self) -> Result<std::time::Duration, Error> {
        let span = self.to_span()?;
        let signed = span.to_duration(jiff::SpanRelativeTo::days_are_24_hours()).map_err(|e| {
            Error::invalid_input(format!(
                "Edm.Duration {:?} has no fixed length (years or months need a start date): {e}",
                &*self.0
            ))
        })?;
        std::time::Duration::try_from(signed).map_err(|_| {
            Error::invalid_input(format!(
                "Edm.Duration {:?} is negative and cannot be a std::time::Duration",
                &*self.0
            ))
        })
    }
}

impl From<jiff::Span> for Duration {
    /// Writes the ISO 8601 form with the span's units (`PT1H30M`, `P1D`, `-P2DT3H`).
    fn from(span: jiff::Span) -> Self {
        Duration(span.to_string().into_boxed_str())
    }
}

impl Guid {
    /// The 32 hex digits read as one big-endian number, in the order they are written (not the
    /// mixed-endian byte layout of Windows' `GUID` struct). Fails when the text is not
    /// `8-4-4-4-12` hex digits.
    pub fn to_u128(&self) -> Result<u128, Error> {
        parse_guid(&self.0)
    }
}

impl From<u128> for Guid {
    /// Writes lowercase `8-4-4-4-12` hex digits, most significant first.
    fn from(value: u128) -> Self {
        let text = format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            value >> 96,
            (value >> 80) & 0xffff,
            (value >> 64) & 0xffff,
            (value >> 48) & 0xffff,
            value & 0xffff_ffff_ffff
        );
        Guid(text.into_boxed_str())
    }
}

impl Binary {
    /// The decoded bytes. Reads the standard and the URL-safe alphabets, with or without padding.
    /// Fails when the text is not base64.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        decode_base64(&self.0)
    }

    /// Encodes `bytes` as standard base64 with padding, the form Graph writes.
    pub fn from_bytes(bytes: &[u8]) -> Binary {
        Binary(
            base64::engine::general_purpose::STANDARD
                .encode(bytes)
                .into_boxed_str(),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/// How a number was written: a JSON number (kept as `serde_json` read it, so `47` stays an
/// integer and `47.0` a float) or a JSON string (`"NaN"`, `"INF"`, `"-INF"`, or a numeric string
/// under `IEEE754Compatible=true`), kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Numeric {
    Number(serde_json::Number),
    Text(Box<str>),
}

/// An `Edm.Double` or `Edm.Single`.
///
/// Graph writes it as a JSON number (`47`, `47.5`) or, for values JSON cannot hold, as one of
/// the strings `"NaN"`, `"INF"`, `"-INF"` (and, with `IEEE754Compatible=true`, as any numeric
/// string). The value keeps how it was written, so it serializes to the same JSON: `47` stays
/// `47`, `47.0` stays `47.0`, `"INF"` stays `"INF"`. Equality compares that wire form, so
/// `47` and `47.0` differ, and `"NaN"` equals `"NaN"`.
///
/// Deserialization accepts JSON numbers and strings that read as a number (Rust's `f64` syntax,
/// which includes `NaN`, `INF`, `inf`, `Infinity`, `1e5`); anything else is an error.
///
/// ```
/// use msgraph_work::edm::Double;
///
/// let width: Double = serde_json::from_str("47").unwrap();
/// assert_eq!(width.value(), 47.0);
/// assert_eq!(serde_json::to_string(&width).unwrap(), "47");
///
/// let unbounded = Double::from(f64::INFINITY);
/// assert_eq!(serde_json::to_string(&unbounded).unwrap(), r#""INF""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Double(Numeric);

/// An `Edm.Decimal`.
///
/// Graph writes it as a JSON number, or (with `IEEE754Compatible=true`) as a numeric string. The
/// value keeps what `serde_json` read: a [`serde_json::Number`] (exact digits when `serde_json`'s
/// `arbitrary_precision` feature is on, otherwise the `u64`, `i64` or `f64` it parsed) or the
/// string verbatim, and serializes it back the same way.
///
/// Deserialization accepts JSON numbers and strings that read as a number; anything else is an
/// error.
///
/// ```
/// use msgraph_work::edm::Decimal;
///
/// let amount: Decimal = serde_json::from_str("12.5").unwrap();
/// assert_eq!(amount.to_f64(), 12.5);
/// let text: Decimal = serde_json::from_str(r#""12.50""#).unwrap();
/// assert_eq!(serde_json::to_string(&text).unwrap(), r#""12.50""#);
/// assert_eq!(Decimal::from(3).to_string(), "3");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decimal(Numeric);

impl Numeric {
    /// The value as an `f64`. Text was checked to read as a number when it came in.
    fn to_f64(&self) -> f64 {
        match self {
            Numeric::Number(n) => n.as_f64().unwrap_or_else(|| text_to_f64(&n.to_string())),
            Numeric::Text(text) => text_to_f64(text),
        }
    }

    /// A finite `f64` as a JSON number; NaN and the infinities as OData's strings.
    fn from_f64(value: f64) -> Numeric {
        match serde_json::Number::from_f64(value) {
            Some(n) => Numeric::Number(n),
            None if value.is_nan() => Numeric::Text(Box::from("NaN")),
            None if value > 0.0 => Numeric::Text(Box::from("INF")),
            None => Numeric::Text(Box::from("-INF")),
        }
    }
}

impl fmt::Display for Numeric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Numeric::Number(n) => fmt::Display::fmt(n, f),
            Numeric::Text(text) => f.write_str(text),
        }
    }
}

impl Serialize for Numeric {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Numeric::Number(n) => n.serialize(serializer),
            Numeric::Text(text) => serializer.serialize_str(text),
        }
    }
}

/// Whether `text` reads as a number: Rust's `f64` syntax (digits with optional sign, fraction
/// and exponent, or `NaN`/`inf`/`infinity` in any case), which covers OData's `NaN`, `INF` and
/// `-INF`.
fn is_numeric_text(text: &str) -> bool {
    text.parse::<f64>().is_ok()
}

fn text_to_f64(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

/// Reads a JSON number or numeric string, keeping its form.
struct NumericVisitor(&'static str);

impl<'de> Visitor<'de> for NumericVisitor {
    type Value = Numeric;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an {} (a JSON number or a numeric string)", self.0)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Numeric, E> {
        Ok(Numeric::Number(value.into()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Numeric, E> {
        Ok(Numeric::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Numeric, E> {
        // JSON has no NaN or infinity; other formats may, and then OData's strings stand in.
        Ok(Numeric::from_f64(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Numeric, E> {
        if is_numeric_text(value) {
            Ok(Numeric::Text(Box::from(value)))
        } else {
            Err(E::invalid_value(de::Unexpected::Str(value), &self))
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Numeric, E> {
        self.visit_str(value)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Numeric, E> {
        if is_numeric_text(&value) {
            Ok(Numeric::Text(value.into_boxed_str()))
        } else {
            Err(E::invalid_value(de::Unexpected::Str(&value), &self))
        }
    }

    /// With `serde_json`'s `arbitrary_precision` feature (which any crate in a build can turn
    /// on), numbers arrive as a one-entry map that `serde_json::Number` knows how to read.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Numeric, A::Error> {
        serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(Numeric::Number)
    }
}

impl Double {
    /// The value as an `f64` (`"NaN"`, `"INF"` and `"-INF"` give NaN and the infinities).
    pub fn value(&self) -> f64 {
        self.0.to_f64()
    }
}

impl From<f64> for Double {
    /// Finite values become JSON numbers (`47.0`); NaN and ±infinity become the strings
    /// `"NaN"`, `"INF"` and `"-INF"`.
    fn from(value: f64) -> Self {
        Double(Numeric::from_f64(value))
    }
}

impl fmt::Display for Double {
    /// The JSON number as `serde_json` writes it (`47`, `47.5`), or the string's text (`NaN`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Double {
    type Err = Error;

    /// Reads a JSON number literal (`47` stays an integer, `47.5` and `1e3` are floats), or
    /// exactly `NaN`, `INF` or `-INF`.
    fn from_str(text: &str) -> Result<Self, Error> {
        if matches!(text, "NaN" | "INF" | "-INF") {
            return Ok(Double(Numeric::Text(Box::from(text))));
        }
        parse_json_number(text)
            .map(|n| Double(Numeric::Number(n)))
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "invalid Edm.Double {text:?}: expected a number, NaN, INF or -INF"
                ))
            })
    }
}

impl Serialize for Double {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Double {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(NumericVisitor("Edm.Double"))
            .map(Double)
    }
}

impl Decimal {
    /// The value as an `f64`, rounded to the nearest `f64` (very large values give ±infinity).
    pub fn to_f64(&self) -> f64 {
        self.0.to_f64()
    }

    /// The JSON number, when the value was written as one (`None` when it was a string).
    pub fn as_number(&self) -> Option<&serde_json::Number> {
        match &self.0 {
            Numeric::Number(n) => Some(n),
            Numeric::Text(_) => None,
        }
    }

    /// The string, when the value was written as one (`IEEE754Compatible=true`).
    pub fn as_text(&self) -> Option<&str> {
        match &self.0 {
            Numeric::Number(_) => None,
            Numeric::Text(text) => Some(text),
        }
    }
}

impl From<i64> for Decimal {
    /// Writes a JSON integer.
    fn from(value: i64) -> Self {
        Decimal(Numeric::Number(value.into()))
    }
}

impl From<f64> for Decimal {
    /// Finite values become JSON numbers. NaN and ±infinity, which `Edm.Decimal` cannot hold,
    /// become the strings `"NaN"`, `"INF"` and `"-INF"` (Graph will reject them).
    fn from(value: f64) -> Self {
        Decimal(Numeric::from_f64(value))
    }
}

impl fmt::Display for Decimal {
    /// The JSON number as `serde_json` writes it, or the string's text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Decimal {
    type Err = Error;

    /// Reads a JSON number literal (`12`, `-0.5`, `1e3`), written back as a JSON number.
    fn from_str(text: &str) -> Result<Self, Error> {
        parse_json_number(text)
            .map(|n| Decimal(Numeric::Number(n)))
            .ok_or_else(|| {
                Error::invalid_input(format!("invalid Edm.Decimal {text:?}: expected a number"))
            })
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(NumericVisitor("Edm.Decimal"))
            .map(Decimal)
    }
}

/// A JSON number literal, exactly (no surrounding whitespace), as `serde_json` reads it.
fn parse_json_number(text: &str) -> Option<serde_json::Number> {
    if text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
        && !text.ends_with(|c: char| c.is_whitespace())
    {
        text.parse().ok()
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Parsers
// ---------------------------------------------------------------------------------------------

fn invalid(edm: &str, text: &str, reason: impl fmt::Display) -> Error {
    Error::invalid_input(format!("invalid {edm} {text:?}: {reason}"))
}

fn parse_date_time_offset(text: &str) -> Result<jiff::Timestamp, Error> {
    let bad = |reason| invalid("Edm.DateTimeOffset", text, reason);
    let (date_time, offset) = parse_date_time(text).map_err(bad)?;
    let offset =
        offset.ok_or_else(|| bad("expected `Z` or an offset such as `+01:00` after the time"))?;
    offset
        .to_timestamp(date_time)
        .map_err(|_| bad("out of range"))
}

fn parse_date(text: &str) -> Result<civil::Date, Error> {
    let mut r = Reader::new(text);
    read_date(&mut r)
        .and_then(|date| r.finish().map(|()| date))
        .map_err(|reason| invalid("Edm.Date", text, reason))
}

fn parse_time_of_day(text: &str) -> Result<civil::Time, Error> {
    let mut r = Reader::new(text);
    read_time(&mut r)
        .and_then(|time| r.finish().map(|()| time))
        .map_err(|reason| invalid("Edm.TimeOfDay", text, reason))
}

fn parse_duration(text: &str) -> Result<jiff::Span, Error> {
    // The ISO 8601 parser only; `Span::from_str` would also take jiff's "friendly" `1h 30m`.
    static PARSER: jiff::fmt::temporal::SpanParser = jiff::fmt::temporal::SpanParser::new();
    PARSER
        .parse_span(text)
        .map_err(|e| invalid("Edm.Duration", text, e))
}

fn parse_guid(text: &str) -> Result<u128, Error> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if !shape_ok {
        return Err(invalid(
            "Edm.Guid",
            text,
            "expected 8-4-4-4-12 hexadecimal digits",
        ));
    }
    let value = bytes.iter().filter(|&&b| b != b'-').fold(0u128, |acc, &b| {
        (acc << 4) | u128::from(char::from(b).to_digit(16).unwrap_or(0))
    });
    Ok(value)
}

fn decode_base64(text: &str) -> Result<Vec<u8>, Error> {
    const CONFIG: GeneralPurposeConfig =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, CONFIG);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, CONFIG);
    let engine = if text.bytes().any(|b| b == b'-' || b == b'_') {
        &URL_SAFE
    } else {
        &STANDARD
    };
    engine
        .decode(text)
        .map_err(|e| invalid("Edm.Binary", text, e))
}

/// Parses `YYYY-MM-DDTHH:MM[:SS[.f{1,9}]]` with an optional `Z` or `±HH:MM`, strictly (no
/// space separator, no basic format, no bracketed annotations). Also used by the `timezone`
/// module for Graph's `dateTimeTimeZone.dateTime`.
pub(crate) fn parse_date_time(
    text: &str,
) -> Result<(civil::DateTime, Option<Offset>), &'static str> {
    let mut r = Reader::new(text);
    let date = read_date(&mut r)?;
    if !(r.eat(b'T') || r.eat(b't')) {
        return Err("expected `T` between the date and the time");
    }
    let time = read_time(&mut r)?;
    let offset = read_offset(&mut r)?;
    r.finish()?;
    Ok((civil::DateTime::from_parts(date, time), offset))
}

/// A cursor over the ASCII bytes of a date/time literal.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.pos) == Some(&byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), &'static str> {
        if self.eat(byte) { Ok(()) } else { Err(reason) }
    }

    /// The run of ASCII digits at the cursor (possibly empty), consumed.
    fn digit_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    /// Exactly two digits.
    fn two_digits(&mut self, reason: &'static str) -> Result<i8, &'static str> {
        match self.bytes.get(self.pos..self.pos + 2) {
            Some([a @ b'0'..=b'9', b @ b'0'..=b'9']) => {
                self.pos += 2;
                Ok(((a - b'0') * 10 + (b - b'0')) as i8)
            }
            _ => Err(reason),
        }
    }

    fn finish(&self) -> Result<(), &'static str> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err("unexpected text after the value")
        }
    }
}

fn number(digits: &[u8]) -> i64 {
    digits
        .iter()
        .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'))
}

/// `YYYY-MM-DD`, also `-YYYY` and the ISO 8601 expanded `±YYYYYY` that jiff writes for years
/// outside 0000–9999.
fn read_date(r: &mut Reader<'_>) -> Result<civil::Date, &'static str> {
    let negative = r.eat(b'-');
    let signed = negative || r.eat(b'+');
    let year = r.digit_run();
    if !(year.len() == 4 || (signed && year.len() == 6)) {
        return Err("expected a date `YYYY-MM-DD`");
    }
    let year = if negative {
        -number(year)
    } else {
        number(year)
    };
    r.expect(b'-', "expected a date `YYYY-MM-DD`")?;
    let month = r.two_digits("expected a two-digit month")?;
    r.expect(b'-', "expected a date `YYYY-MM-DD`")?;
    let day = r.two_digits("expected a two-digit day")?;
    let year = i16::try_from(year).map_err(|_| "year out of range")?;
    civil::Date::new(year, month, day).map_err(|_| "no such date")
}

/// `HH:MM[:SS[.f{1,9}]]`.
fn read_time(r: &mut Reader<'_>) -> Result<civil::Time, &'static str> {
    let hour = r.two_digits("expected a time `HH:MM:SS`")?;
    r.expect(b':', "expected a time `HH:MM:SS`")?;
    let minute = r.two_digits("expected two-digit minutes")?;
    let (mut second, mut nanos) = (0, 0);
    if r.eat(b':') {
        second = r.two_digits("expected two-digit seconds")?;
        if r.eat(b'.') {
            let fraction = r.digit_run();
            if fraction.is_empty() || fraction.len() > 9 {
                return Err("expected 1 to 9 fractional digits");
            }
            nanos = number(fraction) * 10i64.pow(9 - fraction.len() as u32);
        }
    }
    civil::Time::new(hour, minute, second, nanos as i32)
        .map_err(|_| "hour, minute or second out of range")
}

/// Nothing, `Z`, or `±HH:MM`.
fn read_offset(r: &mut Reader<'_>) -> Result<Option<Offset>, &'static str> {
    if r.eat(b'Z') || r.eat(b'z') {
        return Ok(Some(Offset::UTC));
    }
    let sign = if r.eat(b'+') {
        1
    } else if r.eat(b'-') {
        -1
    } else {
        return Ok(None);
    };
    let hours = r.two_digits("expected an offset `±HH:MM`")?;
    r.expect(b':', "expected an offset `±HH:MM`")?;
    let minutes = r.two_digits("expected an offset `±HH:MM`")?;
    if hours > 23 || minutes > 59 {
        return Err("offset out of range");
    }
    let seconds = sign * (i32::from(hours) * 3600 + i32::from(minutes) * 60);
    Offset::from_seconds(seconds)
        .map(Some)
        .map_err(|_| "offset out of range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;
    use serde_json::{Value, json};

    /// Decodes `json` (from text, from a reader and from a `Value`) and checks it serializes to
    /// the same `Value` and, for strings, the same text.
    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + fmt::Debug>(json: &str) -> T {
        let value: Value = serde_json::from_str(json).unwrap();
        let from_text: T = serde_json::from_str(json).unwrap();
        let from_reader: T = serde_json::from_reader(json.as_bytes()).unwrap();
        let from_value: T = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(from_text, from_reader, "{json}");
        assert_eq!(from_text, from_value, "{json}");
        assert_eq!(serde_json::to_value(&from_text).unwrap(), value, "{json}");
        if value.is_string() && !json.contains('\\') {
            assert_eq!(serde_json::to_string(&from_text).unwrap(), json);
        }
        from_text
    }

    fn ts(text: &str) -> jiff::Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn date_time_offsets_round_trip_exactly() {
        for json in [
            r#""2019-03-14T05:35:57.755Z""#,
            r#""2019-03-14T05:35:57.7550000Z""#,
            r#""2024-12-20T10:00:00-05:00""#,
            r#""2024-12-20T10:00:00+05:30""#,
            r#""2012-12-03T07:16Z""#,
            r#""datetime-value""#,
            r#""""#,
            r#""2019-03-14T05:35:57.755Z\u0000""#,
            r#""caf\u00e9""#,
        ] {
            round_trip::<DateTimeOffset>(json);
        }
    }

    #[test]
    fn date_time_offsets_parse_lazily() {
        let seven: DateTimeOffset = round_trip(r#""2019-03-14T05:35:57.1234567Z""#);
        assert_eq!(
            seven.to_timestamp().unwrap(),
            ts("2019-03-14T05:35:57.1234567Z")
        );
        let nine: DateTimeOffset = "2019-03-14T05:35:57.123456789Z".parse().unwrap();
        assert_eq!(
            nine.to_timestamp().unwrap().subsec_nanosecond(),
            123_456_789
        );
        let offset: DateTimeOffset = round_trip(r#""2024-12-20T10:00:00-05:00""#);
        assert_eq!(offset.to_timestamp().unwrap(), ts("2024-12-20T15:00:00Z"));
        let no_seconds: DateTimeOffset = round_trip(r#""2012-12-03T07:16+01:00""#);
        assert_eq!(
            no_seconds.to_timestamp().unwrap(),
            ts("2012-12-03T06:16:00Z")
        );
        let lower: DateTimeOffset = "2012-12-03t07:16:00z".parse().unwrap();
        assert_eq!(lower.to_timestamp().unwrap(), ts("2012-12-03T07:16:00Z"));

        let placeholder: DateTimeOffset = round_trip(r#""datetime-value""#);
        let error = placeholder.to_timestamp().unwrap_err();
        assert_eq!(error.kind(), crate::runtime::error::ErrorKind::InvalidInput);
        assert!(error.message().contains("datetime-value"), "{error}");
    }

    #[test]
    fn date_time_offset_parse_validates() {
        for bad in [
            "datetime-value",
            "",
            "2019-03-14",
            "2019-03-14T05:35:57",
            "2019-03-14T05:35:57.755",
            "2019-03-14 05:35:57Z",
            "2019-03-14T05:35:57.1234567890Z",
            "2019-03-14T05:35:57.Z",
            "2019-03-14T05:35:60Z",
            "2019-03-14T24:00:00Z",
            "2019-02-29T00:00:00Z",
            "2019-03-14T05:35:57+0100",
            "2019-03-14T05:35:57+01",
            "2019-03-14T05:35:57Z[Europe/Paris]",
            "20190314T053557Z",
            " 2019-03-14T05:35:57Z",
            "2019-03-14T05:35:57Z ",
        ] {
            let error = bad.parse::<DateTimeOffset>().unwrap_err();
            assert_eq!(
                error.kind(),
                crate::runtime::error::ErrorKind::InvalidInput,
                "{bad}"
            );
            assert!(error.message().contains("Edm.DateTimeOffset"), "{error}");
        }
        let ok: DateTimeOffset = "2024-02-29T23:59:59.9999999+14:00".parse().unwrap();
        assert_eq!(ok.as_str(), "2024-02-29T23:59:59.9999999+14:00");
        assert_eq!(ok.to_string(), "2024-02-29T23:59:59.9999999+14:00");
    }

    #[test]
    fn date_time_offset_from_timestamp() {
        let cases = [
            ("2019-03-14T05:35:57.755Z", "2019-03-14T05:35:57.755Z"),
            ("2019-03-14T05:35:57.7550000Z", "2019-03-14T05:35:57.755Z"),
            ("2024-12-20T10:00:00-05:00", "2024-12-20T15:00:00Z"),
            (
                "2024-12-20T10:00:00.000000001Z",
                "2024-12-20T10:00:00.000000001Z",
            ),
        ];
        for (input, written) in cases {
            let value = DateTimeOffset::from(ts(input));
            assert_eq!(value.as_str(), written);
            assert_eq!(value.to_timestamp().unwrap(), ts(input));
        }
        for extreme in [
            jiff::Timestamp::MIN,
            jiff::Timestamp::MAX,
            jiff::Timestamp::UNIX_EPOCH,
        ] {
            assert_eq!(
                DateTimeOffset::from(extreme).to_timestamp().unwrap(),
                extreme
            );
        }
    }

    #[test]
    fn dates() {
        let day: Date = round_trip(r#""2025-12-11""#);
        assert_eq!(day.to_date().unwrap(), civil::date(2025, 12, 11));
        assert_eq!(Date::from(civil::date(2025, 1, 2)).as_str(), "2025-01-02");
        assert_eq!(
            Date::from(civil::date(-1, 1, 2)).to_date().unwrap(),
            civil::date(-1, 1, 2)
        );
        let placeholder: Date = round_trip(r#""date-value""#);
        assert!(placeholder.to_date().is_err());
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-12-1",
            "20251211",
            "2025-12-11T00:00:00",
            "2025-12-11Z",
            "",
        ] {
            let error = bad.parse::<Date>().unwrap_err();
            assert!(error.message().contains("Edm.Date"), "{error}");
        }
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn times_of_day() {
        let seven: TimeOfDay = round_trip(r#""09:00:00.0000000""#);
        assert_eq!(seven.to_time().unwrap(), civil::time(9, 0, 0, 0));
        let plain: TimeOfDay = round_trip(r#""17:30:00""#);
        assert_eq!(plain.to_time().unwrap(), civil::time(17, 30, 0, 0));
        let short: TimeOfDay = "08:15".parse().unwrap();
        assert_eq!(short.to_time().unwrap(), civil::time(8, 15, 0, 0));
        let fraction: TimeOfDay = "23:59:59.1234567".parse().unwrap();
        assert_eq!(
            fraction.to_time().unwrap(),
            civil::time(23, 59, 59, 123_456_700)
        );
        assert_eq!(
            TimeOfDay::from(civil::time(9, 0, 0, 0)).as_str(),
            "09:00:00"
        );
        assert_eq!(
            TimeOfDay::from(civil::time(9, 0, 0, 500_000_000)).as_str(),
            "09:00:00.5"
        );
        for bad in [
            "9:00:00",
            "0900",
            "T09:00",
            "24:00:00",
            "09:60:00",
            "09:00:00.",
            "09:00:00Z",
            "09:00:00.1234567890",
            "time-value",
        ] {
            let error = bad.parse::<TimeOfDay>().unwrap_err();
            assert!(error.message().contains("Edm.TimeOfDay"), "{error}");
        }
        let placeholder: TimeOfDay = round_trip(r#""time-value""#);
        assert!(placeholder.to_time().is_err());
    }

    #[test]
    fn durations() {
        let hour_and_a_half: Duration = round_trip(r#""PT1H30M""#);
        assert_eq!(
            hour_and_a_half.to_span().unwrap().fieldwise(),
            jiff::Span::new().hours(1).minutes(30)
        );
        assert_eq!(
            hour_and_a_half.to_std().unwrap(),
            std::time::Duration::from_secs(5400)
        );
        let day: Duration = round_trip(r#""P1D""#);
        assert_eq!(day.to_span().unwrap().get_days(), 1);
        assert_eq!(
            day.to_std().unwrap(),
            std::time::Duration::from_secs(86_400)
        );
        let week: Duration = "P1W".parse().unwrap();
        assert_eq!(
            week.to_std().unwrap(),
            std::time::Duration::from_secs(7 * 86_400)
        );
        let negative: Duration = round_trip(r#""-P2DT3H""#);
        let span = negative.to_span().unwrap();
        assert_eq!(
            (span.signum(), span.get_days(), span.get_hours()),
            (-1, -2, -3)
        );
        assert!(
            negative
                .to_std()
                .unwrap_err()
                .message()
                .contains("negative")
        );
        let fraction: Duration = round_trip(r#""PT0.5S""#);
        assert_eq!(
            fraction.to_std().unwrap(),
            std::time::Duration::from_millis(500)
        );
        let year: Duration = round_trip(r#""P1Y""#);
        assert_eq!(year.to_span().unwrap().get_years(), 1);
        assert!(year.to_std().is_err());
        let placeholder: Duration = round_trip(r#""duration-value""#);
        assert!(placeholder.to_span().is_err());

        assert_eq!(
            Duration::from(jiff::Span::new().hours(1).minutes(30)).as_str(),
            "PT1H30M"
        );
        assert_eq!(
            Duration::from(jiff::Span::new().days(-2).hours(-3)).as_str(),
            "-P2DT3H"
        );
        assert_eq!(Duration::from(jiff::Span::new()).as_str(), "PT0S");
        for bad in ["", "P", "PT", "1h 30m", "1h", "PT1H30", "duration-value"] {
            let error = bad.parse::<Duration>().unwrap_err();
            assert!(error.message().contains("Edm.Duration"), "{error}");
        }
    }

    #[test]
    fn guids() {
        let upper: Guid = round_trip(r#""3FA85F64-5717-4562-B3FC-2C963F66AFA6""#);
        let lower: Guid = round_trip(r#""3fa85f64-5717-4562-b3fc-2c963f66afa6""#);
        assert_ne!(upper, lower, "equality is textual");
        assert_eq!(
            upper.to_u128().unwrap(),
            0x3fa85f64_5717_4562_b3fc_2c963f66afa6
        );
        assert_eq!(upper.to_u128().unwrap(), lower.to_u128().unwrap());
        assert_eq!(Guid::from(0x3fa85f64_5717_4562_b3fc_2c963f66afa6), lower);
        assert_eq!(
            Guid::from(0).as_str(),
            "00000000-0000-0000-0000-000000000000"
        );
        assert_eq!(Guid::from(u128::MAX).to_u128().unwrap(), u128::MAX);
        for bad in [
            "3fa85f64571745622b3fc2c963f66afa6",
            "{3fa85f64-5717-4562-b3fc-2c963f66afa6}",
            "3fa85f64-5717-4562-b3fc-2c963f66afa",
            "3fa85f64-5717-4562-b3fc_2c963f66afa6",
            "gfa85f64-5717-4562-b3fc-2c963f66afa6",
            "guid-value",
        ] {
            let error = bad.parse::<Guid>().unwrap_err();
            assert!(error.message().contains("Edm.Guid"), "{error}");
        }
        let placeholder: Guid = round_trip(r#""guid-value""#);
        assert!(placeholder.to_u128().is_err());
    }

    #[test]
    fn binaries() {
        let bytes = b"\xfb\xff\xbfhello";
        let standard = Binary::from_bytes(bytes);
        assert_eq!(standard.as_str(), "+/+/aGVsbG8=");
        for json in [
            r#""+/+/aGVsbG8=""#,
            r#""+/+/aGVsbG8""#,
            r#""-_-_aGVsbG8=""#,
            r#""-_-_aGVsbG8""#,
        ] {
            let value: Binary = round_trip(json);
            assert_eq!(value.to_bytes().unwrap(), bytes, "{json}");
        }
        assert_eq!(Binary::from_bytes(b"").as_str(), "");
        assert_eq!("".parse::<Binary>().unwrap().to_bytes().unwrap(), b"");
        assert_eq!(Binary::from_bytes(b"a").as_str(), "YQ==");
        for bad in ["+/-_", "Y", "YQ==YQ==", "not base64!", "YQ== "] {
            let error = bad.parse::<Binary>().unwrap_err();
            assert!(error.message().contains("Edm.Binary"), "{error}");
        }
        let placeholder: Binary = round_trip(r#""binary-value!""#);
        assert!(placeholder.to_bytes().is_err());
    }

    #[test]
    fn doubles_keep_their_wire_form() {
        for json in [
            "47",
            "47.0",
            "47.5",
            "-47",
            "0",
            "-0.0",
            "0.0",
            "1e300",
            "-1.5e-7",
            "18446744073709551615",
            "-9223372036854775808",
            "9007199254740993",
            r#""NaN""#,
            r#""INF""#,
            r#""-INF""#,
            r#""47.5""#,
            r#""1e3""#,
            r#""Infinity""#,
        ] {
            round_trip::<Double>(json);
        }
        let int: Double = round_trip("47");
        let float: Double = round_trip("47.0");
        assert_ne!(int, float);
        assert_eq!((int.value(), float.value()), (47.0, 47.0));
        assert_eq!(serde_json::to_string(&int).unwrap(), "47");
        assert_eq!(serde_json::to_string(&float).unwrap(), "47.0");

        let nan: Double = round_trip(r#""NaN""#);
        assert!(nan.value().is_nan());
        assert_eq!(
            nan,
            round_trip::<Double>(r#""NaN""#),
            "NaN written the same way is equal"
        );
        assert_eq!(round_trip::<Double>(r#""INF""#).value(), f64::INFINITY);
        assert_eq!(round_trip::<Double>(r#""-INF""#).value(), f64::NEG_INFINITY);
        assert_eq!(round_trip::<Double>(r#""12.25""#).value(), 12.25);
        assert_eq!(
            round_trip::<Double>("9007199254740993").to_string(),
            "9007199254740993"
        );

        for bad in [
            r#""abc""#,
            r#""""#,
            r#"" 1""#,
            "true",
            "null",
            "{}",
            "[]",
            r#"{"a":1}"#,
        ] {
            assert!(serde_json::from_str::<Double>(bad).is_err(), "{bad}");
            if let Ok(value) = serde_json::from_str::<Value>(bad) {
                assert!(serde_json::from_value::<Double>(value).is_err(), "{bad}");
            }
        }
    }

    #[test]
    fn doubles_from_f64_and_text() {
        let cases = [
            (f64::NAN, json!("NaN")),
            (f64::INFINITY, json!("INF")),
            (f64::NEG_INFINITY, json!("-INF")),
            (47.0, json!(47.0)),
            (-0.5, json!(-0.5)),
        ];
        for (input, wire) in cases {
            let value = Double::from(input);
            assert_eq!(serde_json::to_value(&value).unwrap(), wire);
            assert_eq!(serde_json::from_value::<Double>(wire).unwrap(), value);
        }
        assert_eq!(Double::from(47.0).to_string(), "47.0");
        assert_eq!(Double::from(f64::NAN), Double::from(f64::NAN));
        assert_eq!("47".parse::<Double>().unwrap(), round_trip::<Double>("47"));
        assert_eq!(
            "47.0".parse::<Double>().unwrap(),
            round_trip::<Double>("47.0")
        );
        assert_eq!(
            "NaN".parse::<Double>().unwrap(),
            round_trip::<Double>(r#""NaN""#)
        );
        assert_eq!("-INF".parse::<Double>().unwrap().value(), f64::NEG_INFINITY);
        assert_eq!("1e3".parse::<Double>().unwrap().value(), 1000.0);
        for bad in [
            "", "abc", "nan", "inf", "+1", " 1", "1 ", "1.", ".5", "0x10",
        ] {
            let error = bad.parse::<Double>().unwrap_err();
            assert!(error.message().contains("Edm.Double"), "{error}");
        }
    }

    #[test]
    fn decimals() {
        for json in [
            "12",
            "12.5",
            "-0.001",
            "1e-7",
            "18446744073709551615",
            r#""12.50""#,
            r#""123456789012345678901234567890.123""#,
        ] {
            round_trip::<Decimal>(json);
        }
        let number: Decimal = round_trip("12.5");
        assert_eq!(number.to_f64(), 12.5);
        assert_eq!(
            number.as_number(),
            Some(&serde_json::Number::from_f64(12.5).unwrap())
        );
        assert_eq!(number.as_text(), None);
        let text: Decimal = round_trip(r#""12.50""#);
        assert_eq!(text.to_f64(), 12.5);
        assert_eq!(text.as_number(), None);
        assert_eq!(text.as_text(), Some("12.50"));
        assert_eq!(text.to_string(), "12.50");
        assert_ne!(number, text);

        assert_eq!(serde_json::to_value(Decimal::from(3)).unwrap(), json!(3));
        assert_eq!(serde_json::to_value(Decimal::from(-3)).unwrap(), json!(-3));
        assert_eq!(
            serde_json::to_value(Decimal::from(2.5)).unwrap(),
            json!(2.5)
        );
        assert_eq!("12.5".parse::<Decimal>().unwrap(), number);
        assert_eq!("-7".parse::<Decimal>().unwrap(), Decimal::from(-7));
        for bad in ["", "abc", "NaN", "12.5.1", " 1"] {
            let error = bad.parse::<Decimal>().unwrap_err();
            assert!(error.message().contains("Edm.Decimal"), "{error}");
        }
        for bad in [r#""abc""#, "true", "null", "[]", "{}"] {
            assert!(serde_json::from_str::<Decimal>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn models_with_optional_fields_round_trip() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        #[serde(rename_all = "camelCase")]
        struct Shift {
            start_date_time: Option<DateTimeOffset>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            end_date_time: Option<DateTimeOffset>,
            day: Date,
            start: TimeOfDay,
            length: Duration,
            id: Guid,
            weight: Double,
            cost: Decimal,
            content: Binary,
        }
        let json = r#"{"startDateTime":"datetime-value","day":"2025-12-11","start":"09:00:00.0000000","length":"PT8H","id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","weight":"NaN","cost":12,"content":"aGk="}"#;
        let shift: Shift = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&shift).unwrap(), json);
        let null_start = r#"{"startDateTime":null,"day":"2025-12-11","start":"09:00:00","length":"P1D","id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","weight":1.5,"cost":"1.0","content":""}"#;
        let shift: Shift = serde_json::from_str(null_start).unwrap();
        assert_eq!(serde_json::to_string(&shift).unwrap(), null_start);
        let error =
            serde_json::from_str::<Shift>(&json.replace(r#""weight":"NaN""#, r#""weight":true"#))
                .unwrap_err();
        assert!(error.to_string().contains("Edm.Double"), "{error}");
        let error = serde_json::from_str::<Shift>(
            &json.replace(r#""day":"2025-12-11""#, r#""day":20251211"#),
        )
        .unwrap_err();
        assert!(error.to_string().contains("Edm.Date"), "{error}");
    }

    #[test]
    fn local_date_times_for_the_timezone_module() {
        let (dt, offset) = parse_date_time("2025-12-15T00:00:00.0000000").unwrap();
        assert_eq!(
            (dt, offset),
            (civil::date(2025, 12, 15).at(0, 0, 0, 0), None)
        );
        let (dt, offset) = parse_date_time("2025-12-15T08:30").unwrap();
        assert_eq!(
            (dt, offset),
            (civil::date(2025, 12, 15).at(8, 30, 0, 0), None)
        );
        let (_, offset) = parse_date_time("2025-12-15T00:00:00-08:00").unwrap();
        assert_eq!(offset, Some(Offset::from_hours(-8).unwrap()));
        assert!(parse_date_time("2025-12-15").is_err());
    }
}
