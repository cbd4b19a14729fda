//! Hand-written runtime (not generated): what the `Edm` types' tests share, and a test of all
//! of them together in one model. Each family's own tests are beside it.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::*;

/// Decodes `json` (from text, from a reader and from a `Value`) and checks it serializes to
/// the same `Value` and, for strings, the same text.
pub(super) fn round_trip<T: Serialize + DeserializeOwned + PartialEq + fmt::Debug>(
    json: &str,
) -> T {
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
    let error =
        serde_json::from_str::<Shift>(&json.replace(r#""day":"2025-12-11""#, r#""day":20251211"#))
            .unwrap_err();
    assert!(error.to_string().contains("Edm.Date"), "{error}");
}
