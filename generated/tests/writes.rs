//! Writes send what Graph takes: request bodies leave out what the service computes, the key
//! and response control information, at any depth, and keep unknown properties; an update
//! sends only what changed with `changes_since`; every operation takes any header.

mod support;

use msgraph_work::v1_0::models::{TimeOff, TimeOffItem, WorkPlanRecurrence};
use msgraph_work::{ErrorKind, Nullable, Operation};
use serde_json::{Value, json};
use support::seed_exchange;

const ROOT: &str = "https://graph.microsoft.com";

fn body_of(op: &impl Operation) -> Value {
    let request = op.to_http_request(ROOT).expect("the request builds");
    serde_json::from_slice(request.body()).expect("a JSON body")
}

/// A time off entry as Graph answers it: with the key, computed properties, control
/// information and a property this crate does not know.
fn time_off_read_from_graph() -> TimeOff {
    serde_json::from_value(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#teams('t')/schedule/timesOff/$entity",
        "@odata.etag": "W/\"7\"",
        "id": "TOF_1",
        "createdDateTime": "2024-01-01T00:00:00Z",
        "lastModifiedDateTime": "2024-01-02T00:00:00Z",
        "lastModifiedBy": {"user": {"id": "u9", "displayName": "Manager"}},
        "userId": "u1",
        "sharedTimeOff": {
            "startDateTime": "2024-03-01T08:00:00Z",
            "endDateTime": "2024-03-01T17:00:00Z",
            "theme": "blue",
            "timeOffReasonId": "R1",
            "sharedTimeOff@odata.navigationLink": "ignored"
        },
        "isStagedForDeletion": false,
        "brandNewProperty": {"kept": true}
    }))
    .unwrap()
}

#[test]
fn bodies_leave_out_computed_properties_keys_and_control_information() {
    let read = time_off_read_from_graph();
    // Writing back the whole value keeps everything (lossless)...
    let whole = serde_json::to_value(&read).unwrap();
    assert_eq!(whole["@odata.etag"], "W/\"7\"");
    assert_eq!(whole["id"], "TOF_1");
    // ...but a request body does not carry what Graph computes or answers with.
    let put = msgraph_work::v1_0::teams()
        .by_id("t")
        .schedule()
        .times_off()
        .by_id("TOF_1")
        .put(read.clone());
    let body = body_of(&put);
    let object = body.as_object().unwrap();
    for gone in [
        "@odata.context",
        "@odata.etag",
        "id",
        "createdDateTime",
        "lastModifiedDateTime",
        "lastModifiedBy",
    ] {
        assert!(!object.contains_key(gone), "{gone} is not sent: {body}");
    }
    assert_eq!(body["userId"], "u1");
    assert_eq!(
        body["brandNewProperty"],
        json!({"kept": true}),
        "unknown properties are sent: they may be Graph's newer ones"
    );
    assert!(
        body["sharedTimeOff"]
            .get("sharedTimeOff@odata.navigationLink")
            .is_none(),
        "control information goes at any depth: {body}"
    );
    assert_eq!(body["sharedTimeOff"]["timeOffReasonId"], "R1");
    // A create leaves them out too.
    let post = msgraph_work::v1_0::teams()
        .by_id("t")
        .schedule()
        .times_off()
        .post(read);
    assert!(body_of(&post).get("id").is_none());
}

#[test]
fn type_and_bind_annotations_are_request_information_and_stay() {
    let mut recurrence = WorkPlanRecurrence::default();
    recurrence.extra.insert(
        "workLocationDetails@odata.bind",
        json!("https://graph.microsoft.com/beta/places/1"),
    );
    recurrence
        .extra
        .insert("@odata.type", json!("#microsoft.graph.workPlanRecurrence"));
    let op = msgraph_work::v1_0::me()
        .settings()
        .work_hours_and_locations()
        .recurrences()
        .post(recurrence);
    let body = body_of(&op);
    assert_eq!(
        body["workLocationDetails@odata.bind"],
        "https://graph.microsoft.com/beta/places/1"
    );
    assert_eq!(body["@odata.type"], "#microsoft.graph.workPlanRecurrence");
}

#[test]
fn a_put_of_the_seeds_answer_sends_no_read_only_property_and_keeps_an_unknown_one() {
    let seed = seed_exchange("001_16767c8429e8c5d5.txt");
    let mut answer = seed
        .response_body
        .clone()
        .expect("the seed documents the answer");
    answer["someFutureProperty"] = json!("kept");
    let read: msgraph_work::beta::models::WorkPlanRecurrence =
        serde_json::from_value(answer.clone()).unwrap();
    let id = read.id.clone().expect("the answer has the id");
    let op = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations()
        .recurrences()
        .by_id(&id)
        .put(read);
    let body = body_of(&op);
    assert!(body.get("id").is_none(), "{body}");
    assert!(
        body.as_object()
            .unwrap()
            .keys()
            .all(|k| !k.contains("@odata.") || k == "@odata.type"),
        "{body}"
    );
    assert_eq!(body["someFutureProperty"], "kept");
    for (key, value) in answer.as_object().unwrap() {
        if key != "id" && !key.contains("@odata.") {
            assert_eq!(&body[key], value, "{key} is sent as read");
        }
    }
}

#[test]
fn changes_since_holds_exactly_what_changed() {
    let before = time_off_read_from_graph();
    let mut after = before.clone();
    after.user_id = Nullable::Value("u2".into());
    after.is_staged_for_deletion = Nullable::Absent; // cleared
    if let Nullable::Value(shared) = &mut after.shared_time_off {
        shared.theme = None; // a nested change sends the complex value whole
    }
    after.extra.insert("anotherNewProperty", json!(1));
    let changes = after.changes_since(&before);
    let written = serde_json::to_value(&changes).unwrap();
    assert_eq!(
        written,
        json!({
            "isStagedForDeletion": null,
            "sharedTimeOff": {
                "startDateTime": "2024-03-01T08:00:00Z",
                "endDateTime": "2024-03-01T17:00:00Z",
                "timeOffReasonId": "R1",
                "sharedTimeOff@odata.navigationLink": "ignored"
            },
            "userId": "u2",
            "anotherNewProperty": 1
        })
    );
    assert_eq!(
        before.changes_since(&before),
        TimeOff::default(),
        "nothing changed: nothing to send"
    );
    // A property that cannot be null is not cleared by an update: it is left out.
    let item =
        TimeOffItem::default().with_theme(msgraph_work::v1_0::models::ScheduleEntityTheme::Blue);
    assert_eq!(
        TimeOffItem::default().changes_since(&item),
        TimeOffItem::default()
    );
    assert_eq!(before.odata_etag().as_deref(), Some("W/\"7\""));
}

#[test]
fn every_operation_takes_any_header_and_refuses_invalid_ones() {
    let op = msgraph_work::v1_0::teams()
        .by_id("t")
        .schedule()
        .times_off()
        .get()
        .header("MS-APP-ACTS-AS", "u1")
        .header("client-request-id", "6f1c0b9e-0000-4000-8000-000000000001");
    let request = op.to_http_request(ROOT).unwrap();
    assert_eq!(request.headers()["ms-app-acts-as"], "u1");
    assert_eq!(
        request.headers()["client-request-id"],
        "6f1c0b9e-0000-4000-8000-000000000001"
    );
    let bad_name = msgraph_work::v1_0::teams()
        .by_id("t")
        .schedule()
        .get()
        .header("bad name", "x");
    assert_eq!(
        bad_name.to_http_request(ROOT).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let bad_value = msgraph_work::v1_0::teams()
        .by_id("t")
        .schedule()
        .get()
        .header("x-note", "line\nbreak");
    assert_eq!(
        bad_value.to_http_request(ROOT).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn counts_ask_for_text() {
    let count = msgraph_work::beta::teams()
        .by_id("t")
        .schedule()
        .times_off()
        .count();
    let request = count.to_http_request(ROOT).unwrap();
    assert_eq!(request.headers()["accept"], "text/plain");
}

#[test]
fn a_null_kept_for_a_read_only_key_is_left_out_of_a_body_once_the_key_is_set() {
    // A server sent `"id": null`, which the key cannot hold: it is kept in `extra`.
    let read: TimeOff = serde_json::from_value(json!({"id": null, "userId": "u1"})).unwrap();
    assert_eq!(read.extra.get("id"), Some(Value::Null));
    // Unset, the kept null is what the model has, and a body carries it as read.
    let unset = msgraph_work::v1_0::teams()
        .by_id("t")
        .schedule()
        .times_off()
        .post(read.clone());
    assert_eq!(body_of(&unset), json!({"id": null, "userId": "u1"}));
    // Set, the key shadows the null: written whole, the model has the key; in a body, where
    // the key is left out, the null is not sent in its place.
    let keyed = read.with_id("TOF_1");
    assert_eq!(
        serde_json::to_value(&keyed).unwrap(),
        json!({"id": "TOF_1", "userId": "u1"})
    );
    let post = msgraph_work::v1_0::teams()
        .by_id("t")
        .schedule()
        .times_off()
        .post(keyed);
    assert_eq!(body_of(&post), json!({"userId": "u1"}));
}
