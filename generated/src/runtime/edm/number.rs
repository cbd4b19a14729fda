//! Hand-written runtime (not generated): numbers that JSON cannot always carry (`Edm.Double`,
//! `Edm.Single`, `Edm.Decimal`), kept in the form they were written.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::runtime::error::Error;

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
/// assert_eq!(width.to_f64(), 47.0);
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
    pub fn to_f64(&self) -> f64 {
        self.0.to_f64()
    }

    /// The value as an `f64`: the former name of [`to_f64`](Self::to_f64), kept so that code
    /// written against it still compiles.
    #[deprecated(note = "renamed to `to_f64`, like `Decimal::to_f64`")]
    pub fn value(&self) -> f64 {
        self.to_f64()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::edm::tests::round_trip;
    use serde_json::{Value, json};

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
        assert_eq!((int.to_f64(), float.to_f64()), (47.0, 47.0));
        #[allow(deprecated)]
        let old_name = int.value();
        assert_eq!(old_name, 47.0, "the deprecated alias still answers");
        assert_eq!(serde_json::to_string(&int).unwrap(), "47");
        assert_eq!(serde_json::to_string(&float).unwrap(), "47.0");

        let nan: Double = round_trip(r#""NaN""#);
        assert!(nan.to_f64().is_nan());
        assert_eq!(
            nan,
            round_trip::<Double>(r#""NaN""#),
            "NaN written the same way is equal"
        );
        assert_eq!(round_trip::<Double>(r#""INF""#).to_f64(), f64::INFINITY);
        assert_eq!(
            round_trip::<Double>(r#""-INF""#).to_f64(),
            f64::NEG_INFINITY
        );
        assert_eq!(round_trip::<Double>(r#""12.25""#).to_f64(), 12.25);
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
        assert_eq!(
            "-INF".parse::<Double>().unwrap().to_f64(),
            f64::NEG_INFINITY
        );
        assert_eq!("1e3".parse::<Double>().unwrap().to_f64(), 1000.0);
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
}
