//! The async client against loopback servers the tests start (wiremock): every docs example
//! replayed, throttling, paging, Graph errors, no content, broken bodies, concurrency, hostile
//! ids, timeouts and size limits. No test touches the network.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use msgraph_work::beta::models::{TimeOff, WorkPlanOccurrence};
use msgraph_work::{
    Client, Error, ErrorKind, Permissions, RetryPolicy, StaticToken, TokenProvider,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri(), StaticToken::new("test-token"))
        .retry(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

/// Matches a request by method, decoded path and query, and JSON body.
struct Expected {
    method: String,
    url: String,
    body: Option<Value>,
}

impl Match for Expected {
    fn matches(&self, request: &Request) -> bool {
        let url = match request.url.query() {
            Some(query) => support::decoded(&format!("{}?{query}", request.url.path())),
            None => support::decoded(request.url.path()),
        };
        let body_ok = match &self.body {
            Some(expected) => {
                serde_json::from_slice::<Value>(&request.body).ok().as_ref() == Some(expected)
            }
            None => request.body.is_empty(),
        };
        request.method.as_str() == self.method && url == self.url && body_ok
    }
}

#[tokio::test]
async fn a_server_replaying_every_docs_example_gets_exactly_the_documented_requests() {
    let examples = support::examples::load();
    let mut failures = Vec::new();
    for example in &examples {
        let server = MockServer::start().await;
        let mut answer = ResponseTemplate::new(example.status);
        if let Some(body) = &example.response_body {
            answer = answer.set_body_json(body);
        }
        Mock::given(Expected {
            method: example.method.clone(),
            url: example.expected_url(""),
            body: example.request_body.clone(),
        })
        .and(header("authorization", "Bearer test-token"))
        .respond_with(answer)
        .expect(1)
        .mount(&server)
        .await;
        let op = support::examples::operation(example);
        let what = format!(
            "example {} ({} {})",
            example.index, example.version, example.operation
        );
        match op.send(&client(&server)).await {
            Ok(output) => {
                let expected = example.response_body.clone().unwrap_or(Value::Null);
                if output != expected {
                    failures.push(format!("{what}: output {output} is not the documented {expected}"));
                }
            }
            Err(e) => failures.push(format!("{what}: {e} (the server did not recognise the request, or the answer did not parse)")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples fail:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn throttled_then_accepted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .set_body_json(
                    json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
                ),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "SHFT_1"})))
        .mount(&server)
        .await;
    let time_off = client(&server)
        .send(
            msgraph_work::beta::teams()
                .by_id("t")
                .schedule()
                .times_off()
                .by_id("SHFT_1")
                .get(),
        )
        .await
        .unwrap();
    assert_eq!(time_off.id.as_deref(), Some("SHFT_1"));
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        3,
        "two throttled attempts, then the accepted one"
    );
}

#[tokio::test]
async fn service_unavailable_without_retry_after_backs_off_and_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(504))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;
    let page = client(&server)
        .send(
            msgraph_work::beta::teams()
                .by_id("t")
                .schedule()
                .times_off()
                .get(),
        )
        .await
        .unwrap();
    assert!(page.items().is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn retries_are_bounded_and_end_with_the_throttling_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .set_body_json(
                    json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
                ),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri(), StaticToken::new("t"))
        .retry(RetryPolicy::default().with_max_attempts(3))
        .build()
        .unwrap();
    let e = client
        .send(
            msgraph_work::beta::me()
                .settings()
                .work_hours_and_locations()
                .get(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(e.code(), Some("TooManyRequests"));
    assert_eq!(e.retry_after(), Some(Duration::ZERO));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_time_budget_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let e = client(&server)
        .send(
            msgraph_work::beta::me()
                .settings()
                .work_hours_and_locations()
                .get(),
        )
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn nothing_else_is_retried() {
    for status in [400, 401, 403, 404, 409, 500, 502] {
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let e = client(&server)
            .send(
                msgraph_work::beta::teams()
                    .by_id("t")
                    .schedule()
                    .times_off()
                    .by_id("x")
                    .delete(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{status} must not be retried"
        );
    }
}

#[tokio::test]
async fn three_pages_are_followed_through_next_link() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0/teams/t/schedule/timesOff", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/teams/t/schedule/timesOff"))
        .and(Query("$skiptoken", None))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "1"}, {"id": "2"}], "@odata.nextLink": format!("{base}?$skiptoken=p2")})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(Query("$skiptoken", Some("p2")))
        .and(header("prefer", "include-unknown-enum-members"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"value": [{"id": "3"}], "@odata.nextLink": format!("{base}?$skiptoken=p3")}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(Query("$skiptoken", Some("p3")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "4"}, {"id": "5"}]})),
        )
        .mount(&server)
        .await;
    // v1.0: its time off reaches an enum with members after `unknownFutureValue`, so every
    // page asks for them.
    let items: Vec<msgraph_work::v1_0::models::TimeOff> = client(&server)
        .items(
            msgraph_work::v1_0::teams()
                .by_id("t")
                .schedule()
                .times_off()
                .get(),
        )
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = items.iter().map(|t| t.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// Matches a query parameter's value, or its absence.
struct Query(&'static str, Option<&'static str>);

impl Match for Query {
    fn matches(&self, request: &Request) -> bool {
        let value = request
            .url
            .query_pairs()
            .find(|(k, _)| k == self.0)
            .map(|(_, v)| v.into_owned());
        value.as_deref() == self.1
    }
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "1"}], "@odata.nextLink": "https://attacker.example/steal?token"})))
        .mount(&server)
        .await;
    let results: Vec<Result<TimeOff, Error>> = client(&server)
        .items(
            msgraph_work::beta::teams()
                .by_id("t")
                .schedule()
                .times_off()
                .get(),
        )
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    let e = results[1].as_ref().unwrap_err();
    assert!(e.to_string().contains("refusing to follow"), "{e}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_forbidden_answer_is_a_graph_error_with_its_details() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("request-id", "7d4b2c1a-0000-4000-8000-000000000001")
                .insert_header("client-request-id", "c-1")
                .set_body_json(json!({"error": {"code": "Forbidden", "message": "Missing scope Schedule.Read.All", "innerError": {"date": "2026-01-01T00:00:00", "request-id": "7d4b2c1a-0000-4000-8000-000000000001"}}})),
        )
        .mount(&server)
        .await;
    let e = client(&server)
        .send(msgraph_work::beta::teams().by_id("t").schedule().get())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Graph);
    assert_eq!(e.status(), Some(http::StatusCode::FORBIDDEN));
    assert_eq!(e.code(), Some("Forbidden"));
    assert_eq!(e.message(), "Missing scope Schedule.Read.All");
    assert_eq!(e.request_id(), Some("7d4b2c1a-0000-4000-8000-000000000001"));
    assert_eq!(e.client_request_id(), Some("c-1"));
    let typed: msgraph_work::beta::models::ODataError = e.odata_error().unwrap();
    assert_eq!(typed.error.unwrap().code.as_deref(), Some("Forbidden"));
}

#[tokio::test]
async fn no_content_is_unit_or_none() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let times_off = msgraph_work::beta::teams()
        .by_id("t")
        .schedule()
        .times_off();
    client.send(times_off.by_id("x").delete()).await.unwrap();
    let replaced = client
        .send(times_off.by_id("x").put(TimeOff::default()))
        .await
        .unwrap();
    assert_eq!(
        replaced, None,
        "a 204 to a PUT is no representation, not an error"
    );
}

#[tokio::test]
async fn a_broken_body_is_a_decode_error_naming_the_json_path_and_keeping_the_body() {
    let server = MockServer::start().await;
    let body = r#"{"value":[{"id":"1"},{"id":"2","start":{"dateTime":42}}]}"#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let op = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations()
        .occurrences_view("a", "b");
    let e = client(&server).send(op).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.json_path(), Some("value[1].start.dateTime"));
    assert_eq!(e.body(), Some(body.as_bytes()));
    assert_eq!(e.status(), Some(http::StatusCode::OK));
}

#[tokio::test]
async fn no_server_answer_makes_the_client_panic() {
    let answers: Vec<ResponseTemplate> = vec![
        ResponseTemplate::new(200).set_body_raw("not json", "application/json"),
        ResponseTemplate::new(200).set_body_raw("", "application/json"),
        ResponseTemplate::new(200).set_body_raw("[1,2,3]", "application/json"),
        ResponseTemplate::new(200).set_body_raw(
            format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
            "application/json",
        ),
        ResponseTemplate::new(200).set_body_raw(vec![0xff, 0xfe, 0x00], "application/json"),
        ResponseTemplate::new(502).set_body_raw("<html>Bad gateway</html>", "text/html"),
        ResponseTemplate::new(500).set_body_raw(r#"{"error":"not an object"}"#, "application/json"),
        ResponseTemplate::new(299),
        ResponseTemplate::new(200).set_body_raw(
            r#"{"value":[{"id":"1"}],"@odata.nextLink":12}"#,
            "application/json",
        ),
    ];
    for answer in answers {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let client = client(&server);
        let _ = client
            .send(msgraph_work::beta::teams().by_id("t").schedule().get())
            .await;
        let _ = client
            .send(
                msgraph_work::beta::teams()
                    .by_id("t")
                    .schedule()
                    .times_off()
                    .count(),
            )
            .await;
        let _: Vec<_> = client
            .items(
                msgraph_work::beta::teams()
                    .by_id("t")
                    .schedule()
                    .times_off()
                    .get(),
            )
            .collect()
            .await;
    }
}

#[tokio::test]
async fn fifty_concurrent_requests_from_one_client() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": body["timeOffDetails"]["subject"]}))
                .set_delay(Duration::from_millis(20))
        })
        .expect(50)
        .mount(&server)
        .await;
    let client = client(&server);
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let body = WorkPlanOccurrence::default().with_time_off_details(
                    msgraph_work::beta::models::TimeOffDetails::default()
                        .with_subject(format!("day {i}")),
                );
                client
                    .send(
                        msgraph_work::beta::me()
                            .settings()
                            .work_hours_and_locations()
                            .occurrences()
                            .post(body),
                    )
                    .await
            })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        let created = task.await.unwrap().unwrap();
        assert_eq!(created.id.as_deref(), Some(format!("day {i}").as_str()));
    }
}

#[tokio::test]
async fn hostile_ids_stay_one_path_segment() {
    let hostile = [
        "a/b?c#d%e f",
        "../../admin",
        "...",
        "AAMk+x==",
        "-leading-dash",
        "adele.vance@contoso.com",
        "x=1&y=2",
        "ünïcødé",
        "'; DROP",
        "a\\b",
    ];
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server);
    for id in hostile {
        client
            .send(
                msgraph_work::beta::teams()
                    .by_id(id)
                    .schedule()
                    .times_off()
                    .by_id(id)
                    .get(),
            )
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    for (request, id) in requests.iter().zip(hostile) {
        let segments: Vec<String> = request
            .url
            .path_segments()
            .unwrap()
            .map(support::decoded)
            .collect();
        assert_eq!(
            segments,
            ["beta", "teams", id, "schedule", "timesOff", id],
            "{id:?} changed the path: {}",
            request.url
        );
        assert_eq!(request.url.query(), None, "{id:?} added a query");
        assert_eq!(request.url.fragment(), None, "{id:?} added a fragment");
    }
    // `.`, `..` and the empty id cannot stay one segment (URL parsers remove dot segments, even
    // encoded ones): they are refused before anything is sent.
    let before = server.received_requests().await.unwrap().len();
    for id in [".", "..", ""] {
        let e = client
            .send(msgraph_work::beta::teams().by_id(id).schedule().get())
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{id:?}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), before);
    // Function parameters are quoted literals: a quote cannot close one.
    let view = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations()
        .occurrences_view("x',endDateTime='y", "z");
    client.send(view).await.unwrap();
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert!(
        support::decoded(last.url.path())
            .ends_with("occurrencesView(startDateTime='x'',endDateTime=''y',endDateTime='z')")
    );
}

#[tokio::test]
async fn timeouts_are_configurable_and_are_transport_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri(), StaticToken::new("t"))
        .timeout(Duration::from_millis(200))
        .retry(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    let e = client
        .send(msgraph_work::beta::teams().by_id("t").schedule().get())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.to_string().contains("timed out"), "{e}");
    assert!(
        e.client_request_id().is_some(),
        "the error names the request"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "a GET that timed out is sent again, within the policy"
    );
}

#[tokio::test]
async fn a_response_larger_than_the_limit_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("x".repeat(10_000), "application/json"),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri(), StaticToken::new("t"))
        .max_response_bytes(1_000)
        .build()
        .unwrap();
    let e = client
        .send(msgraph_work::beta::teams().by_id("t").schedule().get())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.to_string().contains("larger than"), "{e}");
}

/// Records what it is asked for.
#[derive(Default)]
struct Recording(Mutex<Vec<Permissions>>);

impl TokenProvider for Recording {
    async fn token(&self, permissions: &Permissions) -> Result<String, Error> {
        self.0.lock().unwrap().push(*permissions);
        Ok("scoped-token".into())
    }
}

#[tokio::test]
async fn the_token_provider_is_asked_for_the_operations_permissions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer scoped-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let recording = Arc::new(Recording::default());
    let client = Client::new(server.uri(), recording.clone());
    client
        .send(
            msgraph_work::beta::me()
                .settings()
                .work_hours_and_locations()
                .get(),
        )
        .await
        .unwrap();
    client
        .send(msgraph_work::beta::teams().by_id("t").schedule().get())
        .await
        .unwrap();
    let asked = recording.0.lock().unwrap().clone();
    assert_eq!(asked[0], Permissions::new(&["Calendars.ReadBasic"], &[]));
    assert_eq!(
        asked[1],
        Permissions::new(&["Schedule.Read.All"], &["Schedule.Read.All"])
    );
}

#[tokio::test]
async fn a_failing_token_provider_is_an_authentication_error_and_nothing_is_sent() {
    struct Failing;
    impl TokenProvider for Failing {
        async fn token(&self, _: &Permissions) -> Result<String, Error> {
            Err(Error::authentication("no credentials configured"))
        }
    }
    let server = MockServer::start().await;
    let e = Client::new(server.uri(), Failing)
        .send(msgraph_work::beta::teams().by_id("t").schedule().get())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}
