//! Microsoft's docs examples (`examples.json`) and, for each, the operation the crate builds
//! for it. Shared by the sans-IO test and the client's replay test.

use std::future::Future;
use std::pin::Pin;

use msgraph_work::Operation;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub struct Example {
    pub index: usize,
    pub operation: String,
    pub version: String,
    pub method: String,
    pub url: String,
    pub request_headers: serde_json::Map<String, Value>,
    pub request_body: Option<Value>,
    pub status: u16,
    pub response_body: Option<Value>,
}

impl Example {
    /// Path segments after the version, percent-decoded.
    pub fn segments(&self) -> Vec<String> {
        let path = self
            .url
            .split_once('?')
            .map(|(p, _)| p)
            .unwrap_or(&self.url);
        let after_version = path
            .split_once(&format!("/{}/", self.version))
            .map(|(_, rest)| rest)
            .unwrap_or(path);
        after_version
            .split('/')
            .map(crate::support::decoded)
            .collect()
    }

    /// The URL the crate should send for this example, under `root`: the documented one with
    /// its percent-encoding undone (Graph documents `/me/...` and placeholders literally).
    pub fn expected_url(&self, root: &str) -> String {
        let path = self
            .url
            .strip_prefix("https://graph.microsoft.com")
            .unwrap_or(&self.url);
        crate::support::decoded(&format!("{root}{path}"))
    }

    /// A documented request header, by name (any case).
    pub fn header(&self, name: &str) -> Option<String> {
        self.request_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string)
    }

    pub fn query(&self, name: &str) -> Option<String> {
        let (_, query) = self.url.split_once('?')?;
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .map(crate::support::decoded)
    }

    /// The id of the item, for URLs ending in `/{id}` or `/{id}/action`.
    fn item(&self, from_end: usize) -> String {
        let s = self.segments();
        s[s.len() - 1 - from_end].clone()
    }

    fn body<T: DeserializeOwned + Serialize>(&self) -> T {
        let json = self
            .request_body
            .as_ref()
            .unwrap_or_else(|| panic!("example {} has no request body", self.index));
        round_trip::<T>(
            json,
            &format!("example {} ({}) request", self.index, self.operation),
        )
    }
}

/// An operation whose output can be compared as JSON, sent either sans-IO or by the client.
pub trait ExampleOp: Send + Sync {
    fn request(&self) -> http::Request<Vec<u8>>;
    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Value, msgraph_work::Error>;
    fn send<'a>(
        &'a self,
        client: &'a msgraph_work::Client,
    ) -> Pin<Box<dyn Future<Output = Result<Value, msgraph_work::Error>> + Send + 'a>>;
}

impl<O> ExampleOp for O
where
    O: Operation + Send + Sync,
    O::Output: Serialize,
{
    fn request(&self) -> http::Request<Vec<u8>> {
        self.to_http_request("https://graph.microsoft.com")
            .expect("the request builds")
    }
    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Value, msgraph_work::Error> {
        self.parse_response(response)
            .map(|output| serde_json::to_value(output).unwrap())
    }
    fn send<'a>(
        &'a self,
        client: &'a msgraph_work::Client,
    ) -> Pin<Box<dyn Future<Output = Result<Value, msgraph_work::Error>> + Send + 'a>> {
        Box::pin(async move {
            client
                .send(self)
                .await
                .map(|output| serde_json::to_value(output).unwrap())
        })
    }
}

pub fn round_trip<T: DeserializeOwned + Serialize>(json: &Value, what: &str) -> T {
    let value: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{what}: does not deserialize: {e}"));
    let back = serde_json::to_value(&value).unwrap();
    assert_eq!(&back, json, "{what}: the round trip changed the JSON");
    value
}

/// The operation an example documents, built from its URL and body with the crate's API: the
/// `v1_0` module for v1.0 examples, `beta` for beta ones.
pub fn operation(example: &Example) -> Box<dyn ExampleOp> {
    match example.version.as_str() {
        "v1.0" => v1_0::operation(example),
        _ => beta::operation(example),
    }
}

/// The table, once per version module: both have the same navigation and the same models.
macro_rules! table {
    ($module:ident) => {
        pub mod $module {
            use super::*;
            use msgraph_work::$module as api;
            use msgraph_work::$module::models::*;

            fn user(e: &Example) -> api::requests::UsersItem {
                let s = e.segments();
                if s[0] == "me" { api::me() } else { api::users().by_id(&s[1]) }
            }

            fn setting(e: &Example) -> api::requests::UsersItemSettingsWorkHoursAndLocations {
                user(e).settings().work_hours_and_locations()
            }

            fn schedule(e: &Example) -> api::requests::TeamsItemSchedule {
                api::teams().by_id(&e.segments()[1]).schedule()
            }

            pub fn operation(example: &Example) -> Box<dyn ExampleOp> {
    let e = example;
    let representation = e.request_headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("prefer") && v == "return=representation");
    match e.operation.as_str() {
        "workhoursandlocationssetting-get" => {
            let mut op = setting(e).get();
            if let Some(expand) = e.query("$expand") {
                op = op.expand(expand.split(','));
            }
            Box::new(op)
        }
        "workhoursandlocationssetting-update" => Box::new(setting(e).patch(e.body::<WorkHoursAndLocationsSetting>())),
        "workhoursandlocationssetting-occurrencesview" => {
            let s = e.segments();
            let call = s.last().unwrap();
            let args: Vec<&str> = call.split('\'').collect(); // occurrencesView(startDateTime='a',endDateTime='b')
            Box::new(setting(e).occurrences_view(args[1], args[3]))
        }
        "workplanoccurrence-create" => Box::new(setting(e).occurrences().post(e.body::<WorkPlanOccurrence>())),
        "workplanoccurrence-update" => {
            Box::new(setting(e).occurrences().by_id(e.item(0)).put(e.body::<WorkPlanOccurrence>()))
        }
        "workplanoccurrence-delete" => Box::new(setting(e).occurrences().by_id(e.item(0)).delete()),
        "workplanoccurrence-setcurrentlocation" => {
            Box::new(setting(e).occurrences().set_current_location(e.body::<SetCurrentLocationParameters>()))
        }
        "workplanrecurrence-list" => Box::new(setting(e).recurrences().get()),
        "workplanrecurrence-create" => Box::new(setting(e).recurrences().post(e.body::<WorkPlanRecurrence>())),
        "workplanrecurrence-update" => {
            Box::new(setting(e).recurrences().by_id(e.item(0)).put(e.body::<WorkPlanRecurrence>()))
        }
        "workplanrecurrence-delete" => Box::new(setting(e).recurrences().by_id(e.item(0)).delete()),
        "schedule-get" => Box::new(schedule(e).get()),
        "timeoff-create" => Box::new(schedule(e).times_off().post(e.body::<TimeOff>())),
        "timeoff-list" => {
            let mut op = schedule(e).times_off().get();
            if let Some(filter) = e.query("$filter") {
                op = op.filter(filter);
            }
            Box::new(op)
        }
        "timeoff-get" => Box::new(schedule(e).times_off().by_id(e.item(0)).get()),
        "timeoff-put" => {
            let mut op = schedule(e).times_off().by_id(e.item(0)).put(e.body::<TimeOff>());
            if representation {
                op = op.prefer("return=representation");
            }
            Box::new(op)
        }
        "timeoff-delete" => Box::new(schedule(e).times_off().by_id(e.item(0)).delete()),
        "timeoffreason-create" => Box::new(schedule(e).time_off_reasons().post(e.body::<TimeOffReason>())),
        "timeoffreason-list" => Box::new(schedule(e).time_off_reasons().get()),
        "timeoffreason-get" => Box::new(schedule(e).time_off_reasons().by_id(e.item(0)).get()),
        "timeoffreason-put" => {
            let mut op = schedule(e).time_off_reasons().by_id(e.item(0)).put(e.body::<TimeOffReason>());
            if representation {
                op = op.prefer("return=representation");
            }
            Box::new(op)
        }
        "timeoffreason-delete" => Box::new(schedule(e).time_off_reasons().by_id(e.item(0)).delete()),
        "timeoffrequest-list" => Box::new(schedule(e).time_off_requests().get()),
        "timeoffrequest-get" => Box::new(schedule(e).time_off_requests().by_id(e.item(0)).get()),
        "timeoffrequest-approve" => {
            Box::new(schedule(e).time_off_requests().by_id(e.item(1)).approve(e.body::<ApproveParameters>()))
        }
        "timeoffrequest-decline" => {
            Box::new(schedule(e).time_off_requests().by_id(e.item(1)).decline(e.body::<DeclineParameters>()))
        }
        other => panic!("example {} documents `{other}`, which this test does not know: add it to the table", e.index),
    }
}
        }
    };
}

table!(beta);
table!(v1_0);

/// Every example except the one whose body is not valid JSON.
pub fn load() -> Vec<Example> {
    let path = crate::support::graph_metadata().join("examples/examples.json");
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
            request_headers: e["request_headers"]
                .as_object()
                .cloned()
                .unwrap_or_default(),
            request_body: Some(e["request_body"].clone()).filter(|b| !b.is_null()),
            status: e["response_status"].as_u64().unwrap() as u16,
            response_body: Some(e["response_body"].clone()).filter(|b| !b.is_null()),
        })
        .collect()
}
