//! The models read tomorrow's responses without failing or losing data, and write back what
//! they read unchanged: open enums, absent/null/value, unknown properties, derived types by
//! `@odata.type`, and Graph's wire types.

use msgraph_work::beta::models::*;
use msgraph_work::{Nullable, OpenEnum, Operation};
use serde_json::{Value, json};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(json: Value) -> T {
    let value: T = serde_json::from_value(json.clone()).expect("deserializes");
    assert_eq!(
        serde_json::to_value(&value).unwrap(),
        json,
        "the round trip changed the JSON"
    );
    value
}

#[test]
fn unknown_enum_values_are_kept_and_written_back() {
    let theme: ScheduleEntityTheme = round_trip(json!("ultraviolet"));
    match &theme {
        ScheduleEntityTheme::Unrecognized(value) => assert_eq!(value.as_str(), "ultraviolet"),
        other => panic!("expected Unrecognized, got {other:?}"),
    }
    // A known member spelled differently (Graph's docs send `Monday`) is kept as sent.
    let day: DayOfWeek = round_trip(json!("Monday"));
    assert_eq!(day.as_str(), "Monday");
    assert_ne!(day, DayOfWeek::Monday);
    // Parsing a known value gives the known variant, never `Unrecognized`.
    assert_eq!(DayOfWeek::from("monday"), DayOfWeek::Monday);
    assert_eq!(
        "timeOff".parse::<WorkLocationType>().unwrap(),
        WorkLocationType::TimeOff
    );
}

#[test]
fn members_after_unknown_future_value_are_known_members() {
    // v1.0: Microsoft's beta documents here predate the 23 members.
    use msgraph_work::v1_0::models::ScheduleEntityTheme;
    assert_eq!(
        round_trip::<ScheduleEntityTheme>(json!("darkRed")),
        ScheduleEntityTheme::DarkRed
    );
    assert_eq!(
        round_trip::<ScheduleEntityTheme>(json!("silver")),
        ScheduleEntityTheme::Silver
    );
    assert_eq!(
        round_trip::<ScheduleEntityTheme>(json!("unknownFutureValue")),
        ScheduleEntityTheme::UnknownFutureValue
    );
    let members = <ScheduleEntityTheme as OpenEnum>::MEMBERS;
    let sentinel = members
        .iter()
        .position(|m| *m == "unknownFutureValue")
        .unwrap();
    assert_eq!(
        members.len() - sentinel - 1,
        23,
        "23 members follow unknownFutureValue"
    );
}

#[test]
fn operations_whose_output_holds_late_enum_members_ask_for_them() {
    fn prefer(op: impl Operation) -> String {
        let request = op.to_http_request("https://graph.microsoft.com").unwrap();
        request
            .headers()
            .get("prefer")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
    // v1.0: Microsoft's beta documents here predate the late members.
    use msgraph_work::v1_0::models::TimeOff;
    let schedule = msgraph_work::v1_0::teams().by_id("t").schedule();
    // timeOff → sharedTimeOff (timeOffItem) → theme (scheduleEntityTheme): 23 late members.
    assert_eq!(
        prefer(schedule.times_off().get()),
        "include-unknown-enum-members"
    );
    assert_eq!(
        prefer(schedule.times_off().by_id("x").get()),
        "include-unknown-enum-members"
    );
    assert!(
        prefer(
            schedule
                .times_off()
                .by_id("x")
                .put(TimeOff::default())
                .prefer("return=representation")
        )
        .contains("include-unknown-enum-members")
    );
    // No enum with late members in the output: no preference.
    let setting = msgraph_work::v1_0::me()
        .settings()
        .work_hours_and_locations();
    assert_eq!(prefer(setting.recurrences().get()), "");
    assert_eq!(prefer(schedule.times_off().by_id("x").delete()), "");
}

#[test]
fn absent_null_and_value_are_three_states() {
    let absent: WorkPlanOccurrence = round_trip(json!({}));
    assert_eq!(absent.place_id, Nullable::Absent);
    let null: WorkPlanOccurrence = round_trip(json!({"placeId": null}));
    assert_eq!(null.place_id, Nullable::Null);
    let value: WorkPlanOccurrence = round_trip(json!({"placeId": "p1"}));
    assert_eq!(value.place_id.as_deref(), Some("p1"));
    // Built with the setters, each state serializes as itself.
    let built = WorkPlanOccurrence::default()
        .with_place_id_null()
        .with_recurrence_id("r1");
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({"placeId": null, "recurrenceId": "r1"})
    );
}

#[test]
fn null_for_a_non_nullable_property_is_kept_not_dropped() {
    // The metadata says `start` cannot be null; a server that sends null anyway is read and
    // written back as it was.
    let occurrence: WorkPlanOccurrence = round_trip(json!({"start": null, "id": "o1"}));
    assert_eq!(occurrence.start, None);
    assert_eq!(occurrence.extra.get("start"), Some(Value::Null));
    // Once the field has a value again, the kept null no longer shadows it.
    let fixed =
        occurrence.with_start(DateTimeTimeZone::default().with_date_time("2025-01-01T00:00:00"));
    let written = serde_json::to_value(&fixed).unwrap();
    assert_eq!(written["start"], json!({"dateTime": "2025-01-01T00:00:00"}));
}

#[test]
fn unknown_properties_and_annotations_are_kept() {
    let json = json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#x",
        "@odata.etag": "W/\"1\"",
        "id": "o1",
        "workLocationType": "office",
        "brandNewProperty": {"nested": [1, 2.5, "three", null, true]},
        "displayName": "a property the schema no longer has"
    });
    let occurrence: WorkPlanOccurrence = round_trip(json);
    assert_eq!(occurrence.extra.odata_etag().as_deref(), Some("W/\"1\""));
    assert_eq!(occurrence.extra.len(), 4);
}

/// Keys are looked up where the last one was found first (Graph writes declaration order):
/// any other order, with unknown keys between, reads the same fields.
#[test]
fn properties_in_any_order_are_read_into_their_fields() {
    let text = |keys: &[(&str, &str)]| {
        let members: Vec<String> = keys.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", members.join(","))
    };
    let mut keys = vec![
        ("id", "\"o1\""),
        ("recurrenceId", "\"r1\""),
        ("unknownOne", "1"),
        ("placeId", "\"p1\""),
        ("workLocationType", "\"remote\""),
        (
            "end",
            "{\"dateTime\":\"2026-01-01T10:00:00\",\"timeZone\":\"UTC\"}",
        ),
        ("unknownTwo", "[2]"),
    ];
    for _ in 0..2 {
        let occurrence: WorkPlanOccurrence = serde_json::from_str(&text(&keys)).unwrap();
        assert_eq!(occurrence.id.as_deref(), Some("o1"));
        assert_eq!(occurrence.recurrence_id.as_deref(), Some("r1"));
        assert_eq!(occurrence.place_id.as_deref(), Some("p1"));
        assert_eq!(
            occurrence.work_location_type,
            Some(WorkLocationType::Remote)
        );
        assert!(occurrence.end.is_some() && occurrence.start.is_none());
        assert_eq!(occurrence.extra.len(), 2);
        keys.reverse();
    }
}

#[test]
fn numbers_stay_numbers() {
    let pattern: RecurrencePattern =
        round_trip(json!({"interval": 1, "month": 0, "dayOfMonth": 31}));
    assert_eq!(pattern.interval, Some(1));
    let coordinates: GeoCoordinates =
        round_trip(json!({"latitude": 47.6, "longitude": -122, "altitude": "NaN"}));
    assert_eq!(coordinates.latitude.value().map(|d| d.to_f64()), Some(47.6));
    assert!(coordinates.altitude.value().unwrap().to_f64().is_nan());
}

// The derived types of `identity` are v1.0's: Microsoft's beta OpenAPI documents here have no
// discriminator for them.
#[test]
fn odata_type_selects_the_derived_model() {
    use msgraph_work::v1_0::models::{AnyIdentity, IdentitySet, TeamworkUserIdentityType};
    let set: IdentitySet = round_trip(json!({
        "user": {"@odata.type": "#microsoft.graph.teamworkUserIdentity", "id": "u1", "userIdentityType": "aadUser"},
        "application": {"@odata.type": "#microsoft.graph.teamworkApplicationIdentity", "id": "a1", "applicationIdentityType": "bot"},
        "device": null
    }));
    match set.user.value() {
        Some(AnyIdentity::TeamworkUserIdentity(user)) => {
            assert_eq!(user.id.as_deref(), Some("u1"));
            assert_eq!(
                user.user_identity_type.value(),
                Some(&TeamworkUserIdentityType::AadUser)
            );
        }
        other => panic!("expected a teamworkUserIdentity, got {other:?}"),
    }
    assert!(matches!(
        set.application.value(),
        Some(AnyIdentity::TeamworkApplicationIdentity(_))
    ));
    // Base properties are reachable whatever the variant.
    assert_eq!(set.user.value().unwrap().id().as_deref(), Some("u1"));
}

#[test]
fn an_unknown_derived_type_is_kept_losslessly() {
    use msgraph_work::v1_0::models::AnyIdentity;
    let json = json!({"@odata.type": "#microsoft.graph.someIdentityOfTomorrow", "id": "x", "displayName": "X", "newField": 1});
    let identity: AnyIdentity = round_trip(json);
    match &identity {
        AnyIdentity::Identity(base) => {
            assert_eq!(base.id.as_deref(), Some("x"));
            assert_eq!(
                base.extra.odata_type().as_deref(),
                Some("microsoft.graph.someIdentityOfTomorrow")
            );
        }
        other => panic!("expected the base type, got {other:?}"),
    }
    // Without `@odata.type`, properties of a derived type stay in the base type's `extra`.
    let plain: AnyIdentity = round_trip(
        json!({"id": "366c0b19", "displayName": "John Doe", "userIdentityType": "aadUser"}),
    );
    assert_eq!(
        plain.extra().get("userIdentityType"),
        Some(json!("aadUser"))
    );
}

#[test]
fn a_derived_model_sent_on_its_own_says_what_it_is() {
    use msgraph_work::v1_0::models::{AnyIdentity, TeamworkUserIdentity};
    let user = TeamworkUserIdentity::default().with_id("u1");
    let any: AnyIdentity = user.into();
    let written = serde_json::to_value(&any).unwrap();
    assert_eq!(
        written,
        json!({"@odata.type": "#microsoft.graph.teamworkUserIdentity", "id": "u1"})
    );
    // Reading that back selects the same variant (keeping the annotation it was sent with).
    let back: AnyIdentity = serde_json::from_value(written.clone()).unwrap();
    assert!(matches!(back, AnyIdentity::TeamworkUserIdentity(_)));
    assert_eq!(serde_json::to_value(&back).unwrap(), written);
}

#[test]
fn wire_types_keep_their_text_and_parse_on_demand() {
    let request: TimeOffRequest = round_trip(json!({
        "startDateTime": "2019-03-14T05:35:57.7550000Z",
        "endDateTime": "datetime-value",
        "createdDateTime": "2024-12-20T10:00:00-05:00"
    }));
    let start = request.start_date_time.value().unwrap();
    assert_eq!(
        start.to_timestamp().unwrap().to_string(),
        "2019-03-14T05:35:57.755Z"
    );
    assert!(
        request
            .end_date_time
            .value()
            .unwrap()
            .to_timestamp()
            .is_err(),
        "a placeholder is kept, but is not a date"
    );
    let range: RecurrenceRange = round_trip(json!({"startDate": "2025-12-11", "endDate": null}));
    assert_eq!(
        range.start_date.value().unwrap().to_date().unwrap(),
        jiff::civil::date(2025, 12, 11)
    );
}

#[test]
fn windows_time_zones_become_instants_and_back() {
    let winter = DateTimeTimeZone::default()
        .with_date_time("2025-12-15T00:00:00.0000000")
        .with_time_zone("Pacific Standard Time");
    assert_eq!(
        winter.to_timestamp().unwrap().to_string(),
        "2025-12-15T08:00:00Z"
    );
    let summer = DateTimeTimeZone::default()
        .with_date_time("2025-07-15T00:00:00.0000000")
        .with_time_zone("Pacific Standard Time");
    assert_eq!(
        summer.to_timestamp().unwrap().to_string(),
        "2025-07-15T07:00:00Z"
    );
    let iana = DateTimeTimeZone::default()
        .with_date_time("2025-07-15T09:30:00")
        .with_time_zone("Europe/Paris");
    assert_eq!(
        iana.to_timestamp().unwrap().to_string(),
        "2025-07-15T07:30:00Z"
    );
    let unknown = DateTimeTimeZone::default()
        .with_date_time("2025-07-15T09:30:00")
        .with_time_zone("Mars Standard Time");
    let error = unknown.to_timestamp().unwrap_err();
    assert!(error.to_string().contains("Mars Standard Time"), "{error}");

    let instant: jiff::Timestamp = "2025-03-30T01:30:00Z".parse().unwrap();
    let local = DateTimeTimeZone::from_timestamp(instant, "W. Europe Standard Time").unwrap();
    assert_eq!(
        local.date_time.as_deref(),
        Some("2025-03-30T03:30:00.0000000")
    );
    assert_eq!(local.time_zone.as_deref(), Some("W. Europe Standard Time"));
    assert_eq!(local.to_timestamp().unwrap(), instant);
}

/// A hostile server's deeply nested JSON never overflows the stack: in an unknown property it
/// is kept as raw text (skipped over without recursion) and written back unchanged, at any
/// level of the model; nesting the models themselves stops at serde_json's recursion limit.
/// Huge flat payloads still decode.
#[test]
fn deeply_nested_json_is_kept_raw_or_an_error_not_a_crash() {
    let depth = 100_000;
    let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let unknown = format!(r#"{{"id":"a","surprise":{nested}}}"#);
    let kept: WorkPlanOccurrence = serde_json::from_str(&unknown).expect("kept raw");
    assert_eq!(serde_json::to_string(&kept).unwrap(), unknown);

    // The same inside a nested model (`start` is a dateTimeTimeZone).
    let mut inner = String::from(r#"{"start":{"extra":"#);
    inner.push_str(&nested);
    inner.push_str("}}");
    let kept: WorkPlanOccurrence = serde_json::from_str(&inner).expect("kept raw");
    assert_eq!(serde_json::to_string(&kept).unwrap(), inner);

    let items: Vec<String> = (0..200_000)
        .map(|i| format!(r#"{{"id":"{i}","unknownBag":[{i},{{"k":null}}]}}"#))
        .collect();
    let page = format!(r#"{{"value":[{}]}}"#, items.join(","));
    let decoded: msgraph_work::Page<WorkPlanOccurrence> = serde_json::from_str(&page).unwrap();
    assert_eq!(decoded.items().len(), 200_000);
}

/// Takes `budget` bytes, then fails every write, counting the writes tried after failing.
struct FailingWriter {
    budget: usize,
    tried_after_failing: usize,
}

impl std::io::Write for FailingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.budget == 0 {
            self.tried_after_failing += 1;
            return Err(std::io::Error::other("full"));
        }
        let n = buf.len().min(self.budget);
        self.budget -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failing_writer_stops_the_model_at_its_first_error() {
    let occurrence = WorkPlanOccurrence::default()
        .with_id("o1")
        .with_place_id("p1")
        .with_recurrence_id("r1")
        .with_work_location_type(WorkLocationType::Office);
    let mut writer = FailingWriter {
        budget: 12,
        tried_after_failing: 0,
    };
    let error = serde_json::to_writer(&mut writer, &occurrence).expect_err("the writer fails");
    assert!(error.is_io(), "{error}");
    // The field that failed tried once; no field after it was written.
    assert_eq!(writer.tried_after_failing, 1);
}
