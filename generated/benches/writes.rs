//! Writes: a 20-request `$batch` of time-off creations built and its answer parsed, and a model
//! serialized as a request body (read-only properties and control information left out)
//! against plain serialization: the same model written whole, and a plain
//! `#[derive(Serialize)]` struct of the same shape. Prints the figures and ratios; run with
//! `cargo bench -p msgraph-work --bench writes`.
//!
//! Target (issue 13): a write body at >= 0.9x the speed of plain serialization.

use std::hint::black_box;
use std::time::{Duration, Instant};

use msgraph_work::runtime::BodyMode;
use msgraph_work::runtime::body::to_body_json;
use msgraph_work::v1_0::models::TimeOff;
use msgraph_work::{Batch, Operation};
use serde_json::json;

const RUNS: usize = 15;
const MODELS: usize = 100_000;
const BATCHES: usize = 2_000;

mod plain {
    use serde::Serialize;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct TimeOff {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub created_date_time: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub last_modified_date_time: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub last_modified_by: Option<IdentitySet>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub user_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub shared_time_off: Option<TimeOffItem>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_staged_for_deletion: Option<bool>,
    }

    #[derive(Serialize)]
    pub struct IdentitySet {
        pub user: Identity,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Identity {
        pub id: String,
        pub display_name: String,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct TimeOffItem {
        pub start_date_time: String,
        pub end_date_time: String,
        pub theme: String,
        pub time_off_reason_id: String,
    }
}

fn json_of_time_off() -> serde_json::Value {
    json!({
        "id": "TOF_1",
        "createdDateTime": "2024-01-01T00:00:00Z",
        "lastModifiedDateTime": "2024-01-02T00:00:00Z",
        "lastModifiedBy": {"user": {"id": "u9", "displayName": "Manager"}},
        "userId": "u1",
        "sharedTimeOff": {
            "startDateTime": "2024-03-01T08:00:00Z",
            "endDateTime": "2024-03-01T17:00:00Z",
            "theme": "blue",
            "timeOffReasonId": "R1"
        },
        "isStagedForDeletion": false
    })
}

fn plain_time_off() -> plain::TimeOff {
    plain::TimeOff {
        id: Some("TOF_1".into()),
        created_date_time: Some("2024-01-01T00:00:00Z".into()),
        last_modified_date_time: Some("2024-01-02T00:00:00Z".into()),
        last_modified_by: Some(plain::IdentitySet {
            user: plain::Identity {
                id: "u9".into(),
                display_name: "Manager".into(),
            },
        }),
        user_id: Some("u1".into()),
        shared_time_off: Some(plain::TimeOffItem {
            start_date_time: "2024-03-01T08:00:00Z".into(),
            end_date_time: "2024-03-01T17:00:00Z".into(),
            theme: "blue".into(),
            time_off_reason_id: "R1".into(),
        }),
        is_staged_for_deletion: Some(false),
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The median time of `f` over `RUNS` runs, after one warm-up.
fn time(mut f: impl FnMut()) -> Duration {
    f();
    median(
        (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed()
            })
            .collect(),
    )
}

/// A batch of 20 creations, its request built and its answer parsed.
fn batch_round_trip(answer: &[u8]) -> usize {
    let times_off = msgraph_work::v1_0::teams()
        .by_id("t")
        .schedule()
        .times_off();
    let mut batch = Batch::new();
    let keys: Vec<_> = (0..20)
        .map(|i| batch.add(times_off.post(TimeOff::default().with_user_id(format!("u{i}")))))
        .collect();
    let requests = batch
        .to_http_requests("https://graph.microsoft.com")
        .unwrap();
    let response = http::Response::builder()
        .status(200)
        .body(answer.to_vec())
        .unwrap();
    let results = batch.parse_responses(vec![response]).unwrap();
    let created = keys.into_iter().filter(|k| results.get(*k).is_ok()).count();
    requests.len() + created
}

fn batch_answer() -> Vec<u8> {
    let responses: Vec<_> = (1..=20)
        .map(|i| {
            json!({"id": i.to_string(), "status": 201, "headers": {"content-type": "application/json"},
                   "body": {"id": format!("TOF_{i}"), "userId": format!("u{i}")}})
        })
        .collect();
    json!({ "responses": responses }).to_string().into_bytes()
}

fn main() {
    let model: TimeOff = serde_json::from_value(json_of_time_off()).unwrap();
    let plain = plain_time_off();
    let answer = batch_answer();
    if std::env::args().any(|a| a == "--test") {
        assert_eq!(batch_round_trip(&answer), 21);
        let body = to_body_json(&model, BodyMode::Update).unwrap();
        assert!(!String::from_utf8(body).unwrap().contains("createdDateTime"));
        let op = msgraph_work::v1_0::teams()
            .by_id("t")
            .schedule()
            .times_off()
            .by_id("x")
            .put(model);
        assert!(op.to_http_request("https://graph.microsoft.com").is_ok());
        return;
    }
    let per_batch = time(|| {
        for _ in 0..BATCHES {
            black_box(batch_round_trip(black_box(&answer)));
        }
    }) / BATCHES as u32;
    println!("a $batch of 20 time-off creations, request built and answer parsed: {per_batch:.1?}");
    let body = time(|| {
        for _ in 0..MODELS {
            black_box(to_body_json(black_box(&model), BodyMode::Update).unwrap());
        }
    });
    let whole = time(|| {
        for _ in 0..MODELS {
            black_box(serde_json::to_vec(black_box(&model)).unwrap());
        }
    });
    let derived = time(|| {
        for _ in 0..MODELS {
            black_box(serde_json::to_vec(black_box(&plain)).unwrap());
        }
    });
    // The same with nothing to leave out: what the body mode itself costs.
    let writable: TimeOff = serde_json::from_value(json!({
        "userId": "u1",
        "sharedTimeOff": {"startDateTime": "2024-03-01T08:00:00Z", "endDateTime": "2024-03-01T17:00:00Z", "theme": "blue", "timeOffReasonId": "R1"},
        "isStagedForDeletion": false
    }))
    .unwrap();
    let writable_body = time(|| {
        for _ in 0..MODELS {
            black_box(to_body_json(black_box(&writable), BodyMode::Update).unwrap());
        }
    });
    let writable_whole = time(|| {
        for _ in 0..MODELS {
            black_box(serde_json::to_vec(black_box(&writable)).unwrap());
        }
    });
    let rate = |d: Duration| MODELS as f64 / d.as_secs_f64() / 1e6;
    println!(
        "serialize {MODELS} timeOff models (median of {RUNS}): as a write body {body:.1?} ({:.2} M/s), \
         whole {whole:.1?} ({:.2} M/s), plain serde derive {derived:.1?} ({:.2} M/s)",
        rate(body),
        rate(whole),
        rate(derived)
    );
    println!(
        "ratios: write body vs whole model {:.2}x, write body vs plain derive {:.2}x (target >= 0.90x); \
         with nothing to leave out, write body vs whole {:.2}x",
        whole.as_secs_f64() / body.as_secs_f64(),
        derived.as_secs_f64() / body.as_secs_f64(),
        writable_whole.as_secs_f64() / writable_body.as_secs_f64()
    );
}
