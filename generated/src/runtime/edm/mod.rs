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
//!   (`From<jiff::Timestamp>`, `From<u128>`, ...) or from [`FromStr`](std::str::FromStr),
//!   which checks the text.
//!
//! The text-backed types store a `Box<str>` rather than a `String`: decoding allocates exactly
//! once either way (the bytes are copied out of the JSON input), but a `Box<str>` is two words
//! instead of three, which keeps models with many date fields smaller, and these values are never
//! appended to, so a spare capacity field would be dead weight.
//!
//! One file per family: `time.rs` (dates, times and durations), `number.rs` (doubles and
//! decimals), `binary.rs` (GUIDs and base64 bytes); `text.rs` holds what the text-backed types
//! share.

mod binary;
mod number;
mod text;
mod time;

pub use binary::{Binary, Guid};
pub use number::{Decimal, Double};
pub use time::{Date, DateTimeOffset, Duration, TimeOfDay};

pub(crate) use time::parse_date_time;

#[cfg(test)]
mod tests;
