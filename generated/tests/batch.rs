//! JSON batching: the `$batch` requests a batch becomes (20 at most, `dependsOn` chains kept
//! together), answers in any order and in any encoding read into each operation's typed result,
//! and the client sending 45 operations, some throttled, until every one has its result.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use msgraph_work::v1_0::models::TimeOff;
use msgraph_work::{Batch, BatchKey, Client, ErrorKind, RetryPolicy, StaticToken};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ROOT: &str = "https://graph.microsoft.com";

fn times_off() -> msgraph_work::v1_0::requests::TeamsItemScheduleTimesOff {
    msgraph_work::v1_0::teams()
        .by_id("t")
        .schedule()
        .times_off()
}

/// 45 creations; 19 → 20 → 21 and 40 → 41 are chains of `dependsOn`.
fn forty_five() -> (Batch, Vec<BatchKey<TimeOff>>) {
    let mut batch = Batch::new();
    let mut keys: Vec<BatchKey<TimeOff>> = Vec::new();
    for i in 1..=45 {
        let op = times_off().post(TimeOff::default().with_user_id(format!("u{i}")));
        let key = match i {
            20 | 21 | 41 => batch.add_after(op, &[keys[i - 2]]),
            _ => batch.add(op),
        };
        keys.push(key);
    }
    (batch, keys)
}

fn body(request: &http::Request<Vec<u8>>) -> Value {
    serde_json::from_slice(request.body()).unwrap()
}

fn ids(batch_body: &Value) -> Vec<String> {
    batch_body["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn forty_five_operations_make_three_requests_with_chains_kept_whole() {
    let (batch, _) = forty_five();
    let requests = batch.to_http_requests(ROOT).unwrap();
    assert_eq!(requests.len(), 3);
    let bodies: Vec<Value> = requests.iter().map(body).collect();
    let sizes: Vec<usize> = bodies.iter().map(|b| ids(b).len()).collect();
    assert!(sizes.iter().all(|n| *n <= 20), "{sizes:?}");
    assert_eq!(sizes.iter().sum::<usize>(), 45);
    // The chain 19 → 20 → 21 is in one request, with its dependsOn.
    let holder = bodies
        .iter()
        .find(|b| ids(b).contains(&"20".to_string()))
        .unwrap();
    assert!(ids(holder).contains(&"19".to_string()) && ids(holder).contains(&"21".to_string()));
    let twenty = holder["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "20")
        .unwrap();
    assert_eq!(twenty["dependsOn"], json!(["19"]));
    assert_eq!(twenty["method"], "POST");
    assert_eq!(twenty["url"], "/teams/t/schedule/timesOff");
    assert_eq!(twenty["headers"]["content-type"], "application/json");
    assert_eq!(twenty["body"], json!({"userId": "u20"}));
    assert_eq!(requests[0].uri(), "https://graph.microsoft.com/v1.0/$batch");
    assert_eq!(requests[0].method(), http::Method::POST);
}

#[test]
fn answers_in_any_order_and_encoding_become_typed_results_or_errors() {
    let mut batch = Batch::new();
    let created = batch.add(times_off().post(TimeOff::default().with_user_id("u1")));
    let counted = batch.add(times_off().count());
    let missing = batch.add(times_off().by_id("nope").get());
    let deleted = batch.add(times_off().by_id("TOF_9").delete());
    let answer = json!({"responses": [
        {"id": "4", "status": 204, "headers": {}},
        {"id": "3", "status": 404, "headers": {"content-type": "application/json"},
         "body": {"error": {"code": "NotFound", "message": "no such time off"}}},
        {"id": "2", "status": 200, "headers": {"content-type": "text/plain"}, "body": "NDI="},
        {"id": "1", "status": 201, "headers": {"content-type": "application/json"},
         "body": {"id": "TOF_1", "userId": "u1"}}
    ]});
    let response = http::Response::builder()
        .status(200)
        .body(answer.to_string().into_bytes())
        .unwrap();
    let results = batch.parse_responses(vec![response]).unwrap();
    assert_eq!(results.get(created).unwrap().id.as_deref(), Some("TOF_1"));
    assert_eq!(
        results.get(counted).unwrap(),
        42,
        "a base64 text/plain body"
    );
    let e = results.get(missing).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Graph, Some("NotFound")));
    results.get(deleted).unwrap();
    assert_eq!(
        results.get(created).unwrap_err().kind(),
        ErrorKind::InvalidInput,
        "a result is taken once"
    );
}

#[test]
fn a_missing_answer_mixed_versions_and_long_chains_are_errors() {
    let mut batch = Batch::new();
    let first = batch.add(times_off().get());
    let second = batch.add(times_off().get());
    let answer = json!({"responses": [{"id": "1", "status": 200, "body": {"value": []}}]});
    let response = http::Response::builder()
        .status(200)
        .body(answer.to_string().into_bytes())
        .unwrap();
    let results = batch.parse_responses(vec![response]);
    assert!(results.is_err(), "request 2 has no answer");
    let _ = (first, second);

    let mut mixed = Batch::new();
    mixed.add(times_off().get());
    mixed.add(
        msgraph_work::beta::teams()
            .by_id("t")
            .schedule()
            .times_off()
            .get(),
    );
    let e = mixed.to_http_requests(ROOT).unwrap_err();
    assert!(e.to_string().contains("one API version"), "{e}");

    let mut chained = Batch::new();
    let mut last = chained.add(times_off().get());
    for _ in 0..20 {
        last = chained.add_after(times_off().get(), &[last]);
    }
    let e = chained.to_http_requests(ROOT).unwrap_err();
    assert!(
        e.to_string()
            .contains("21 operations depend on one another"),
        "{e}"
    );
}

/// Answers each sub-request of a `$batch`: created, except the first time it sees the ids in
/// `throttle_once`, which get `429` with `Retry-After: 0`, and then those that depend on a
/// request that failed, which get `424`, as Graph does.
struct Graph {
    throttle_once: Mutex<Vec<String>>,
    batches: AtomicUsize,
}

impl Respond for Graph {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.batches.fetch_add(1, Ordering::SeqCst);
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let mut throttle = self.throttle_once.lock().unwrap();
        let mut responses: Vec<Value> = Vec::new();
        let mut failed: Vec<String> = Vec::new();
        for sub in body["requests"].as_array().unwrap() {
            let id = sub["id"].as_str().unwrap().to_string();
            let waits_for_failed = sub["dependsOn"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| failed.iter().any(|f| d == f.as_str())));
            if waits_for_failed {
                failed.push(id.clone());
                responses.push(json!({"id": id, "status": 424,
                    "body": {"error": {"code": "FailedDependency", "message": "dependency failed"}}}));
            } else if let Some(at) = throttle.iter().position(|t| *t == id) {
                failed.push(id.clone());
                throttle.remove(at);
                responses.push(
                    json!({"id": id, "status": 429, "headers": {"retry-after": "0"},
                    "body": {"error": {"code": "TooManyRequests", "message": "slow down"}}}),
                );
            } else {
                let user = sub["body"]["userId"].clone();
                responses.push(json!({"id": id, "status": 201,
                    "headers": {"content-type": "application/json"},
                    "body": {"id": format!("TOF_{id}"), "userId": user}}));
            }
        }
        responses.reverse(); // Graph answers in any order
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

#[tokio::test]
async fn forty_five_creations_with_five_throttled_all_end_with_their_result() {
    let server = MockServer::start().await;
    let graph = Graph {
        throttle_once: Mutex::new(["3", "12", "20", "33", "45"].map(String::from).to_vec()),
        batches: AtomicUsize::new(0),
    };
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(graph)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri(), StaticToken::new("t"))
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    let (batch, keys) = forty_five();
    let results = client.batch(batch).await.unwrap();
    for (i, key) in keys.into_iter().enumerate() {
        let created = results
            .get(key)
            .unwrap_or_else(|e| panic!("operation {}: {e}", i + 1));
        assert_eq!(created.id, Some(format!("TOF_{}", i + 1)));
        assert_eq!(
            created.user_id.as_deref(),
            Some(format!("u{}", i + 1).as_str())
        );
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        4,
        "3 batches, then one with the throttled operations"
    );
    let retried: Value = serde_json::from_slice(&requests[3].body).unwrap();
    let mut retried_ids = ids(&retried);
    retried_ids.sort();
    // 20 was throttled: 21 failed only because of it, and goes again with it.
    assert_eq!(retried_ids, ["12", "20", "21", "3", "33", "45"]);
    let twenty_one = retried["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "21")
        .unwrap();
    assert_eq!(
        twenty_one["dependsOn"],
        json!(["20"]),
        "the chain is kept on the retry"
    );
}

#[tokio::test]
async fn throttled_operations_past_the_policy_end_with_the_throttling_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(Graph {
            throttle_once: Mutex::new(vec!["2".to_string()]),
            batches: AtomicUsize::new(0),
        })
        .mount(&server)
        .await;
    let client = Client::builder(server.uri(), StaticToken::new("t"))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let mut batch = Batch::new();
    let first = batch.add(times_off().post(TimeOff::default().with_user_id("u1")));
    let second = batch.add(times_off().post(TimeOff::default().with_user_id("u2")));
    let third = batch.add_after(times_off().post(TimeOff::default()), &[second]);
    let results = client.batch(batch).await.unwrap();
    assert!(results.get(first).is_ok());
    let e = results.get(second).unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(e.code(), Some("TooManyRequests"));
    assert_eq!(
        results.get(third).unwrap_err().status().map(|s| s.as_u16()),
        Some(424)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
