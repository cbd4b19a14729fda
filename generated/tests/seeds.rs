//! The three documents the project started from (`../shared/seeds/`) must work exactly: their
//! request bodies deserialize into the models and back unchanged, the builders produce their
//! method, URL and body, and their documented responses parse into the typed outputs.

mod support;

use msgraph_work::beta::models::{
    DayOfWeek, RecurrencePatternType, RecurrenceRangeType, WorkLocationType, WorkPlanOccurrence,
    WorkPlanRecurrence,
};
use msgraph_work::{Nullable, Operation};
use support::{Exchange, assert_round_trip, decoded, response, seed_exchange};

const ROOT: &str = "https://graph.microsoft.com";

/// Checks the request an operation builds against the documented one. `version` replaces the
/// documented version segment when the page documents another version than the module's.
fn assert_request(op: &impl Operation, documented: &Exchange, version: Option<(&str, &str)>) {
    let request = op.to_http_request(ROOT).expect("the request builds");
    assert_eq!(request.method().as_str(), documented.method);
    let mut expected = documented.url.clone();
    if let Some((from, to)) = version {
        expected = expected.replacen(from, to, 1);
    }
    assert_eq!(decoded(&request.uri().to_string()), expected);
    let body: serde_json::Value = serde_json::from_slice(request.body()).expect("the body is JSON");
    assert_eq!(
        Some(&body),
        documented.request_body.as_ref(),
        "the body is the documented one"
    );
    assert_eq!(request.headers()["content-type"], "application/json");
}

#[test]
fn seed_000_creates_a_time_off_occurrence() {
    let seed = seed_exchange("000_c20fd9f540fe79b5.txt");
    let body: WorkPlanOccurrence =
        assert_round_trip(seed.request_body.as_ref().expect("a request body"));
    assert_eq!(body.work_location_type, Some(WorkLocationType::TimeOff));
    assert_eq!(
        body.start
            .as_ref()
            .and_then(|s| s.time_zone.value())
            .map(String::as_str),
        Some("Pacific Standard Time")
    );

    let op = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations()
        .occurrences()
        .post(body);
    assert_request(&op, &seed, None);

    let created = op
        .parse_response(response(seed.status, seed.response_body.as_ref()))
        .expect("the response parses");
    assert_eq!(seed.status, 201);
    assert!(
        created
            .id
            .as_deref()
            .is_some_and(|id| id.starts_with("AAMkADljNDFh"))
    );
    assert_eq!(created.recurrence_id, Nullable::Null);
    assert_eq!(created.place_id, Nullable::Null);
    let details = created.time_off_details.as_ref().expect("time off details");
    assert_eq!(details.subject.as_deref(), Some("Personal Day"));
    assert_eq!(details.is_all_day, Some(false));
    assert!(
        created.extra.get("@odata.context").is_some(),
        "annotations are kept"
    );
    assert_round_trip::<WorkPlanOccurrence>(seed.response_body.as_ref().unwrap());
}

#[test]
fn seed_001_replaces_a_recurrence() {
    let seed = seed_exchange("001_16767c8429e8c5d5.txt");
    let body: WorkPlanRecurrence =
        assert_round_trip(seed.request_body.as_ref().expect("a request body"));
    let pattern = body
        .recurrence
        .as_ref()
        .and_then(|r| r.pattern.as_ref())
        .expect("a pattern");
    assert_eq!(pattern.type_, Some(RecurrencePatternType::Weekly));
    assert_eq!(
        pattern.days_of_week.as_deref(),
        Some(&[DayOfWeek::Thursday][..])
    );

    let id = seed.url.rsplit('/').next().unwrap().to_string();
    let op = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations()
        .recurrences()
        .by_id(&id)
        .put(body);
    assert_request(&op, &seed, None);

    assert_eq!(seed.status, 200);
    let replaced = op
        .parse_response(response(seed.status, seed.response_body.as_ref()))
        .expect("the response parses");
    let replaced = replaced.expect("a 200 carries the recurrence");
    let range = replaced
        .recurrence
        .as_ref()
        .and_then(|r| r.range.as_ref())
        .expect("a range");
    assert_eq!(range.type_, Some(RecurrenceRangeType::NoEnd));
    assert_eq!(range.end_date, Nullable::Null);
    assert_eq!(
        range.start_date.as_ref().value().map(|d| d.as_str()),
        Some("2025-12-11")
    );
    assert_round_trip::<WorkPlanRecurrence>(seed.response_body.as_ref().unwrap());
}

#[test]
fn seed_002_creates_a_time_off_in_a_schedule() {
    // A v1.0 page: the v1.0 module.
    use msgraph_work::v1_0::models::{ScheduleEntityTheme, TimeOff};
    let seed = seed_exchange("002_557ed129bb93afe2.txt");
    let body: TimeOff = assert_round_trip(seed.request_body.as_ref().expect("a request body"));
    assert_eq!(body.draft_time_off, Nullable::Null);
    let shared = body.shared_time_off.value().expect("a shared time off");
    assert_eq!(shared.theme, Some(ScheduleEntityTheme::Blue));

    let op = msgraph_work::v1_0::teams()
        .by_id("{teamId}")
        .schedule()
        .times_off()
        .post(body);
    assert_request(&op, &seed, None);

    assert_eq!(seed.status, 201);
    let created = op
        .parse_response(response(seed.status, seed.response_body.as_ref()))
        .expect("the response parses");
    assert_eq!(
        created.id.as_deref(),
        Some("SHFT_d0941bce-2229-43f5-b1cd-c9e2eaf592cf")
    );
    assert_eq!(
        created.extra.odata_etag().as_deref(),
        Some("\"40021ee2-0000-0c00-0000-672ea2790000\"")
    );
    let modified_by = created.last_modified_by.value().expect("lastModifiedBy");
    assert!(modified_by.application().is_null());
    assert_round_trip::<TimeOff>(seed.response_body.as_ref().unwrap());
}
