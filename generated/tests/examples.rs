//! Every example of Microsoft's docs (`../shared/graph-metadata/examples/examples.json`, both
//! versions) works with the crate: the request body deserializes into the operation's input
//! and serializes back to an equal JSON value; the operation built from the documented URL
//! sends the documented method, path, query and body; and the documented response parses into
//! the operation's output and serializes back to an equal JSON value. The test walks the whole
//! file, so a new example is covered by dropping it in; an example of an operation the table
//! below does not know fails with its name.
//!
//! v1.0 examples run against the beta module until the v1.0 module exists: the operations and
//! shapes are the same.

mod support;

use msgraph_work::Operation;
use msgraph_work::beta;
use msgraph_work::beta::models::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

const ROOT: &str = "https://graph.microsoft.com";

struct Example {
    index: usize,
    operation: String,
    version: String,
    method: String,
    url: String,
    request_headers: serde_json::Map<String, Value>,
    request_body: Option<Value>,
    status: u16,
    response_body: Option<Value>,
}

impl Example {
    /// Path segments after the version, percent-decoded.
    fn segments(&self) -> Vec<String> {
        let path = self.url.split_once('?').map(|(p, _)| p).unwrap_or(&self.url);
        let after_version = path.split_once(&format!("/{}/", self.version)).map(|(_, rest)| rest).unwrap_or(path);
        after_version.split('/').map(support::decoded).collect()
    }

    fn query(&self, name: &str) -> Option<String> {
        let (_, query) = self.url.split_once('?')?;
        query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}="))).map(support::decoded)
    }

    /// The user a work-hours example addresses: `/me/...` or `/users/{id}/...`.
    fn user(&self) -> beta::requests::UsersItem {
        let s = self.segments();
        if s[0] == "me" { beta::me() } else { beta::users().by_id(&s[1]) }
    }

    /// The work-hours setting of that user.
    fn setting(&self) -> beta::requests::UsersItemSettingsWorkHoursAndLocations {
        self.user().settings().work_hours_and_locations()
    }

    /// The schedule of the team a Shifts example addresses.
    fn schedule(&self) -> beta::requests::TeamsItemSchedule {
        beta::teams().by_id(&self.segments()[1]).schedule()
    }

    /// The id of the item, for URLs ending in `/{id}` or `/{id}/action`.
    fn item(&self, from_end: usize) -> String {
        let s = self.segments();
        s[s.len() - 1 - from_end].clone()
    }

    fn body<T: DeserializeOwned + Serialize>(&self) -> T {
        let json = self.request_body.as_ref().unwrap_or_else(|| panic!("example {} has no request body", self.index));
        round_trip::<T>(json, &format!("example {} ({}) request", self.index, self.operation))
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(json: &Value, what: &str) -> T {
    let value: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{what}: does not deserialize: {e}"));
    let back = serde_json::to_value(&value).unwrap();
    assert_eq!(&back, json, "{what}: the round trip changed the JSON");
    value
}

/// Checks the request an operation sends against the example, then parses the documented
/// response with it and checks that the output serializes back to the same JSON.
fn exchange<O>(op: O, example: &Example)
where
    O: Operation,
    O::Output: Serialize,
{
    let what = format!("example {} ({} {})", example.index, example.version, example.operation);
    let request = op.to_http_request(ROOT).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(request.method().as_str(), example.method, "{what}: method");
    let mut expected = example.url.replacen(&format!("/{}/", example.version), "/beta/", 1);
    // Graph documents `/me/...` and placeholders literally; compare decoded URLs.
    if let Some(q) = expected.find('?') {
        expected.replace_range(q.., &support::decoded(&expected[q..]));
    }
    assert_eq!(support::decoded(&request.uri().to_string()), expected, "{what}: URL");
    match &example.request_body {
        Some(body) => {
            let sent: Value = serde_json::from_slice(request.body()).unwrap_or_else(|e| panic!("{what}: body is not JSON: {e}"));
            assert_eq!(&sent, body, "{what}: body");
        }
        None => assert!(request.body().is_empty(), "{what}: no body expected"),
    }
    for (name, value) in &example.request_headers {
        if name.eq_ignore_ascii_case("prefer") {
            let sent = request.headers().get("prefer").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
            assert!(sent.contains(value.as_str().unwrap()), "{what}: Prefer {value} not in {sent:?}");
        }
    }

    let response = support::response(example.status, example.response_body.as_ref());
    let output = op.parse_response(response).unwrap_or_else(|e| panic!("{what}: the response does not parse: {e}"));
    let back = serde_json::to_value(&output).unwrap();
    match &example.response_body {
        Some(body) => assert_eq!(&back, body, "{what}: the response's round trip changed the JSON"),
        None => assert!(back.is_null(), "{what}: no response body, but the output is {back}"),
    }
}

/// Builds the operation an example documents, from its URL and body, and exercises it.
fn run(example: &Example) {
    let e = example;
    let representation = e.request_headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("prefer") && v == "return=representation");
    match e.operation.as_str() {
        "workhoursandlocationssetting-get" => {
            let mut op = e.setting().get();
            if let Some(expand) = e.query("$expand") {
                op = op.expand(expand.split(','));
            }
            exchange(op, e)
        }
        "workhoursandlocationssetting-update" => exchange(e.setting().patch(e.body::<WorkHoursAndLocationsSetting>()), e),
        "workhoursandlocationssetting-occurrencesview" => {
            let s = e.segments();
            let call = s.last().unwrap();
            let args: Vec<&str> = call.split('\'').collect(); // occurrencesView(startDateTime='a',endDateTime='b')
            exchange(e.setting().occurrences_view(args[1], args[3]), e)
        }
        "workplanoccurrence-create" => exchange(e.setting().occurrences().post(e.body::<WorkPlanOccurrence>()), e),
        "workplanoccurrence-update" => {
            exchange(e.setting().occurrences().by_id(e.item(0)).put(e.body::<WorkPlanOccurrence>()), e)
        }
        "workplanoccurrence-delete" => exchange(e.setting().occurrences().by_id(e.item(0)).delete(), e),
        "workplanoccurrence-setcurrentlocation" => {
            exchange(e.setting().occurrences().set_current_location(e.body::<SetCurrentLocationParameters>()), e)
        }
        "workplanrecurrence-list" => exchange(e.setting().recurrences().get(), e),
        "workplanrecurrence-create" => exchange(e.setting().recurrences().post(e.body::<WorkPlanRecurrence>()), e),
        "workplanrecurrence-update" => {
            exchange(e.setting().recurrences().by_id(e.item(0)).put(e.body::<WorkPlanRecurrence>()), e)
        }
        "workplanrecurrence-delete" => exchange(e.setting().recurrences().by_id(e.item(0)).delete(), e),
        "schedule-get" => exchange(e.schedule().get(), e),
        "timeoff-create" => exchange(e.schedule().times_off().post(e.body::<TimeOff>()), e),
        "timeoff-list" => {
            let mut op = e.schedule().times_off().get();
            if let Some(filter) = e.query("$filter") {
                op = op.filter(filter);
            }
            exchange(op, e)
        }
        "timeoff-get" => exchange(e.schedule().times_off().by_id(e.item(0)).get(), e),
        "timeoff-put" => {
            let mut op = e.schedule().times_off().by_id(e.item(0)).put(e.body::<TimeOff>());
            if representation {
                op = op.prefer("return=representation");
            }
            exchange(op, e)
        }
        "timeoff-delete" => exchange(e.schedule().times_off().by_id(e.item(0)).delete(), e),
        "timeoffreason-create" => exchange(e.schedule().time_off_reasons().post(e.body::<TimeOffReason>()), e),
        "timeoffreason-list" => exchange(e.schedule().time_off_reasons().get(), e),
        "timeoffreason-get" => exchange(e.schedule().time_off_reasons().by_id(e.item(0)).get(), e),
        "timeoffreason-put" => {
            let mut op = e.schedule().time_off_reasons().by_id(e.item(0)).put(e.body::<TimeOffReason>());
            if representation {
                op = op.prefer("return=representation");
            }
            exchange(op, e)
        }
        "timeoffreason-delete" => exchange(e.schedule().time_off_reasons().by_id(e.item(0)).delete(), e),
        "timeoffrequest-list" => exchange(e.schedule().time_off_requests().get(), e),
        "timeoffrequest-get" => exchange(e.schedule().time_off_requests().by_id(e.item(0)).get(), e),
        "timeoffrequest-approve" => {
            exchange(e.schedule().time_off_requests().by_id(e.item(1)).approve(e.body::<ApproveParameters>()), e)
        }
        "timeoffrequest-decline" => {
            exchange(e.schedule().time_off_requests().by_id(e.item(1)).decline(e.body::<DeclineParameters>()), e)
        }
        other => panic!("example {} documents `{other}`, which this test does not know: add it to the table", e.index),
    }
}

fn load() -> Vec<Example> {
    let path = support::graph_metadata().join("examples/examples.json");
    let all: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    all.into_iter()
        .enumerate()
        .filter(|(_, e)| e.get("invalid_json") != Some(&Value::Bool(true)))
        .map(|(index, e)| Example {
            index,
            operation: e["operation"].as_str().unwrap().to_string(),
            version: e["api_version"].as_str().unwrap().to_string(),
            method: e["method"].as_str().unwrap().to_string(),
            url: e["url"].as_str().unwrap().to_string(),
            request_headers: e["request_headers"].as_object().cloned().unwrap_or_default(),
            request_body: Some(e["request_body"].clone()).filter(|b| !b.is_null()),
            status: e["response_status"].as_u64().unwrap() as u16,
            response_body: Some(e["response_body"].clone()).filter(|b| !b.is_null()),
        })
        .collect()
}

#[test]
fn every_documented_example_round_trips_through_its_operation() {
    let examples = load();
    assert!(examples.len() >= 58, "examples.json holds {} valid examples", examples.len());
    let mut failures = Vec::new();
    for example in &examples {
        if let Err(panic) = std::panic::catch_unwind(|| run(example)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(message);
        }
    }
    assert!(failures.is_empty(), "{} of {} examples fail:\n\n{}", failures.len(), examples.len(), failures.join("\n\n"));
}

#[test]
fn only_the_invalid_json_example_is_skipped() {
    let path = support::graph_metadata().join("examples/examples.json");
    let all: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let skipped: Vec<&str> =
        all.iter().filter(|e| e.get("invalid_json") == Some(&Value::Bool(true))).map(|e| e["operation"].as_str().unwrap()).collect();
    assert_eq!(skipped, ["timeoffreason-list"]);
}
