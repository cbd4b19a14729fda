//! The client against loopback servers that misbehave, and what every request carries: headers
//! set on an operation or on the client, a `client-request-id`, a new token after a claims
//! challenge; connections that fail before or after the request was sent, bodies cut short,
//! pages from proxies and redirects, each a clear error; and writes never sent twice.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_work::v1_0::models::TimeOff;
use msgraph_work::{
    Client, Error, ErrorKind, Permissions, RetryPolicy, StaticToken, TokenProvider,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
}

fn client(root: &str) -> Client {
    Client::builder(root, StaticToken::new("t"))
        .retry(quick_retries())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn schedule() -> msgraph_work::v1_0::requests::TeamsItemSchedule {
    msgraph_work::v1_0::teams().by_id("t").schedule()
}

#[tokio::test]
async fn headers_of_the_operation_and_the_client_arrive_with_a_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("ms-app-acts-as", "u1"))
        .and(header("x-tenant-tag", "contoso"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "s"})))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri(), StaticToken::new("t"))
        .default_header("x-tenant-tag", "contoso")
        .default_header("MS-APP-ACTS-AS", "overridden by the operation")
        .build()
        .unwrap();
    for _ in 0..2 {
        client
            .send(schedule().get().header("MS-APP-ACTS-AS", "u1"))
            .await
            .unwrap();
    }
    client
        .send(
            schedule()
                .get()
                .header("MS-APP-ACTS-AS", "u1")
                .header("client-request-id", "mine"),
        )
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let ids: Vec<String> = requests
        .iter()
        .map(|r| r.headers["client-request-id"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    for id in &ids[..2] {
        assert!(uuid_like(id), "a fresh UUID: {id}");
    }
    assert_ne!(ids[0], ids[1], "one id per request");
    assert_eq!(ids[2], "mine", "the caller's id is kept");
}

fn uuid_like(id: &str) -> bool {
    id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4 && id.as_bytes()[14] == b'4'
}

#[tokio::test]
async fn errors_name_the_request_even_when_graph_does_not_echo_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"code": "NotFound", "message": "no schedule"}})),
        )
        .mount(&server)
        .await;
    let e = client(&server.uri())
        .send(schedule().get())
        .await
        .unwrap_err();
    let sent = server.received_requests().await.unwrap()[0].headers["client-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(e.client_request_id(), Some(sent.as_str()));
}

#[tokio::test]
async fn a_read_changed_and_patched_object_sends_only_what_changed() {
    let server = MockServer::start().await;
    let read = json!({
        "@odata.etag": "W/\"3\"",
        "id": "TOF_1",
        "userId": "u1",
        "createdDateTime": "2024-01-01T00:00:00Z",
        "sharedTimeOff": {"startDateTime": "2024-03-01T08:00:00Z", "endDateTime": "2024-03-01T17:00:00Z", "timeOffReasonId": "R1"},
        "isStagedForDeletion": false
    });
    Mock::given(method("GET"))
        .and(path("/v1.0/teams/t/schedule/timesOff/TOF_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(read))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let times_off = schedule().times_off();
    let before: TimeOff = client.send(times_off.by_id("TOF_1").get()).await.unwrap();
    let mut after = before.clone();
    after.user_id = msgraph_work::Nullable::Value("u2".into());
    let etag = before.odata_etag().expect("the entity's etag");
    client
        .send(
            times_off
                .by_id("TOF_1")
                .patch(after.changes_since(&before))
                .header("If-Match", etag),
        )
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let patch = requests
        .iter()
        .find(|r| r.method.as_str() == "PATCH")
        .unwrap();
    let body: Value = serde_json::from_slice(&patch.body).unwrap();
    assert_eq!(body, json!({"userId": "u2"}));
    assert_eq!(patch.headers["if-match"], "W/\"3\"");
}

/// Records what it is asked, and gives a token that names the claims it was given.
#[derive(Default)]
struct Recording(Mutex<Vec<Option<String>>>);

impl TokenProvider for Recording {
    async fn token(&self, _: &Permissions) -> Result<String, Error> {
        self.0.lock().unwrap().push(None);
        Ok("plain".into())
    }

    async fn token_with_claims(&self, _: &Permissions, claims: &str) -> Result<String, Error> {
        self.0.lock().unwrap().push(Some(claims.to_string()));
        Ok("with-claims".into())
    }
}

const CHALLENGE: &str = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=""#;

#[tokio::test]
async fn a_claims_challenge_gets_one_new_token_and_one_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer plain"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("www-authenticate", CHALLENGE)
                .set_body_json(
                    json!({"error": {"code": "InvalidAuthenticationToken", "message": "claims"}}),
                ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer with-claims"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "s"})))
        .mount(&server)
        .await;
    let tokens = Arc::new(Recording::default());
    let client = Client::builder(server.uri(), tokens.clone())
        .build()
        .unwrap();
    let schedule = client.send(schedule().get()).await.unwrap();
    assert_eq!(schedule.id.as_deref(), Some("s"));
    assert_eq!(
        *tokens.0.lock().unwrap(),
        [
            None,
            Some(
                r#"{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}"#.to_string()
            )
        ],
        "one new token request, carrying the claims"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "one retry"
    );
}

#[tokio::test]
async fn a_second_challenge_is_returned_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).insert_header("www-authenticate", CHALLENGE))
        .mount(&server)
        .await;
    let tokens = Arc::new(Recording::default());
    let client = Client::builder(server.uri(), tokens.clone())
        .build()
        .unwrap();
    let e = client.send(schedule().get()).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(tokens.0.lock().unwrap().len(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A server that reads each request whole, counts it, then does `reply` with the connection.
fn raw_server(reply: fn(&mut TcpStream)) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            if read_request(&mut stream) {
                seen.fetch_add(1, Ordering::SeqCst);
                reply(&mut stream);
            }
        }
    });
    (root, count)
}

/// Reads one request (headers and a `Content-Length` body); false if the client went away.
fn read_request(stream: &mut TcpStream) -> bool {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let Ok(n) = stream.read(&mut buffer) else {
            return false;
        };
        if n == 0 {
            return false;
        }
        data.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&data);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return true;
            }
        }
    }
}

/// Closes the connection after the request arrived, without an answer.
fn reset(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

#[tokio::test]
async fn a_post_is_never_sent_twice_after_a_reset_while_a_get_is_retried() {
    let (root, count) = raw_server(reset);
    let client = client(&root);
    let post = schedule()
        .times_off()
        .post(TimeOff::default().with_user_id("u1"));
    let e = client.send(post).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.to_string().contains("broke"), "{e}");
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "the POST may have been applied: not resent"
    );
    let e = client.send(schedule().get()).await.unwrap_err();
    assert!(e.to_string().contains("broke"), "{e}");
    assert_eq!(count.load(Ordering::SeqCst), 4, "the GET was tried 3 times");
}

#[tokio::test]
async fn a_refused_connection_is_a_clear_error_naming_the_request() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client(&format!("http://127.0.0.1:{port}"));
    let e = client
        .send(schedule().times_off().post(TimeOff::default()))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.to_string().contains("could not connect"), "{e}");
    assert!(e.client_request_id().is_some());
}

#[tokio::test]
async fn a_body_shorter_than_its_length_is_an_error() {
    let (root, _) = raw_server(|stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\":\"s\"",
        );
    });
    let e = client(&root).send(schedule().get()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.to_string().contains("ended early"), "{e}");
}

#[tokio::test]
async fn a_proxys_html_page_and_a_redirect_are_clear_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/teams/t/schedule"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html><body>Bad gateway</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/teams/elsewhere/schedule"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", "https://login.example/"),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri(), StaticToken::new("t"))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let e = client.send(schedule().get()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Graph);
    assert_eq!(e.status().map(|s| s.as_u16()), Some(502));
    assert!(
        e.message().contains("text/html") && e.message().contains("proxy"),
        "{e}"
    );
    let redirect = msgraph_work::v1_0::teams()
        .by_id("elsewhere")
        .schedule()
        .get();
    let e = client.send(redirect).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(302));
    assert!(
        e.message().contains("redirect to https://login.example/"),
        "{e}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "not followed"
    );
}
