//! Decoding speed of the lossless models against plain `#[derive(Deserialize)]` structs of the
//! same shape (which drop unknown properties, merge null with absent, and fail on unknown enum
//! members). Prints throughput and the ratio; run with `cargo bench -p msgraph-work --bench decode`
//! (`DECODE_FROM_STR=1` decodes both from `&str` instead of bytes). Decoding is timed without the
//! drop (reported separately as "with drop"), and the two decoders alternate run by run.
//!
//! Targets (issue 3): lossless ≥ 0.9x plain on clean data, ≥ 0.75x when every item also carries
//! unknown properties.

use std::hint::black_box;
use std::time::{Duration, Instant};

use msgraph_work::Page;
use msgraph_work::beta::models::WorkPlanOccurrence;
const ITEMS: usize = 100_000;
const RUNS: usize = 15;

mod plain {
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct Page {
        #[allow(dead_code)]
        pub value: Vec<Occurrence>,
        #[serde(rename = "@odata.nextLink")]
        #[allow(dead_code)]
        pub next_link: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Occurrence {
        pub id: Option<String>,
        pub recurrence_id: Option<String>,
        pub place_id: Option<String>,
        pub work_location_type: Option<LocationType>,
        pub start: Option<DateTimeTimeZone>,
        pub end: Option<DateTimeTimeZone>,
        pub time_off_details: Option<TimeOffDetails>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub enum LocationType {
        Unspecified,
        Office,
        Remote,
        TimeOff,
        UnknownFutureValue,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct DateTimeTimeZone {
        pub date_time: Option<String>,
        pub time_zone: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct TimeOffDetails {
        pub subject: Option<String>,
        pub is_all_day: Option<bool>,
    }
}

/// A collection response like `occurrencesView` returns, with `unknown` extra properties per item.
fn payload(unknown: bool) -> Vec<u8> {
    let mut out = String::from(
        r#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.workPlanOccurrence)","value":["#,
    );
    for i in 0..ITEMS {
        if i > 0 {
            out.push(',');
        }
        let (kind, details, recurrence) = match i % 3 {
            0 => (
                "office",
                String::new(),
                format!(
                    r#""AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBj{i:08}""#
                ),
            ),
            1 => ("remote", String::new(), "null".to_string()),
            _ => (
                "timeOff",
                r#","timeOffDetails":{"subject":"Personal Day","isAllDay":false}"#.to_string(),
                "null".to_string(),
            ),
        };
        let extra = if unknown {
            format!(
                r#","@odata.etag":"W/\"{i:016x}\"","isHybridDay":true,"capacityHint":{},"notes":"added after this crate was generated""#,
                i % 40
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            r#"{{"id":"AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e{i:08}","recurrenceId":{recurrence},"workLocationType":"{kind}","placeId":null,"start":{{"dateTime":"2025-12-15T09:00:00.0000000","timeZone":"Pacific Standard Time"}},"end":{{"dateTime":"2025-12-15T17:30:00.0000000","timeZone":"Pacific Standard Time"}}{details}{extra}}}"#
        ));
    }
    out.push_str(r#"],"@odata.nextLink":"https://graph.microsoft.com/beta/me/settings/workHoursAndLocations/occurrencesView(startDateTime='2025-01-01',endDateTime='2026-01-01')?$skiptoken=abc"}"#);
    out.into_bytes()
}

/// Times one decode: how long decoding took, and how long decoding plus dropping took.
fn time<T>(decode: impl Fn() -> T) -> (Duration, Duration) {
    let start = Instant::now();
    let value = black_box(decode());
    let decoded = start.elapsed();
    drop(value);
    (decoded, start.elapsed())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Decodes `bytes` both ways, alternating which goes first, `RUNS` times each; prints medians.
/// Returns the ratio of decoding throughput, lossless / plain.
fn measure(label: &str, bytes: &[u8]) -> f64 {
    let text = std::str::from_utf8(bytes).unwrap();
    let from_str = std::env::var_os("DECODE_FROM_STR").is_some();
    let lossless = || {
        let page: Page<WorkPlanOccurrence> = if from_str {
            serde_json::from_str(black_box(text)).unwrap()
        } else {
            serde_json::from_slice(black_box(bytes)).unwrap()
        };
        assert_eq!(page.items().len(), ITEMS);
        page
    };
    let plain = || {
        let page: plain::Page = if from_str {
            serde_json::from_str(black_box(text)).unwrap()
        } else {
            serde_json::from_slice(black_box(bytes)).unwrap()
        };
        assert_eq!(page.value.len(), ITEMS);
        page
    };
    let _ = (time(lossless), time(plain)); // warm up
    let (mut l, mut ld, mut p, mut pd) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        let (a, b) = if run % 2 == 0 {
            let a = time(lossless);
            (a, time(plain))
        } else {
            let b = time(plain);
            (time(lossless), b)
        };
        l.push(a.0);
        ld.push(a.1);
        p.push(b.0);
        pd.push(b.1);
    }
    let (l, ld, p, pd) = (median(l), median(ld), median(p), median(pd));
    let mb = bytes.len() as f64 / 1e6;
    let ratio = p.as_secs_f64() / l.as_secs_f64();
    println!(
        "{label:<24} {mb:>5.1} MB   lossless {:>6.1} ms {:>5.0} MB/s   plain {:>6.1} ms {:>5.0} MB/s   ratio {ratio:.2}x   (with drop: {:.2}x)",
        l.as_secs_f64() * 1e3,
        mb / l.as_secs_f64(),
        p.as_secs_f64() * 1e3,
        mb / p.as_secs_f64(),
        pd.as_secs_f64() / ld.as_secs_f64(),
    );
    ratio
}

fn main() {
    // `cargo test --benches` runs benches as tests with `--test`; keep that quick.
    if std::env::args().any(|a| a == "--test") {
        let bytes = payload(true);
        let page: Page<WorkPlanOccurrence> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(page.items().len(), ITEMS);
        let _: plain::Page = serde_json::from_slice(&bytes).unwrap();
        return;
    }
    println!(
        "decode {ITEMS} workPlanOccurrence items: lossless models vs plain serde derive (median of {RUNS} interleaved runs)"
    );
    let clean = measure("clean", &payload(false));
    let unknown = measure("with unknown properties", &payload(true));
    println!(
        "ratios: clean {clean:.2}x (target >= 0.90x), with unknown properties {unknown:.2}x (target >= 0.75x)"
    );
}
