//! Hand-written runtime (not generated): identifiers and bytes (`Edm.Guid`, `Edm.Binary`).

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::text::{invalid, text_type};
use crate::runtime::error::Error;

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

text_type!(Guid, "Edm.Guid", |text| parse_guid(text).map(drop));
text_type!(Binary, "Edm.Binary", |text| decode_base64(text).map(drop));

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::edm::tests::round_trip;

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
}
