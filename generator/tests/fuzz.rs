//! Property tests: the OpenAPI loader, the CSDL loader and the generated models' decoding take
//! real inputs (the project's specs, a Graph response) with random edits (bytes deleted,
//! structural characters inserted, slices duplicated, truncations) and must return a value or
//! an error, never panic. A panic fails the test with the shrunk edits that caused it.
//!
//! `cargo test` runs 64 cases per property (`PROPTEST_CASES` sets another number); `.ci/run`
//! runs 2,000. For a longer run:
//! `PROPTEST_CASES=100000 cargo test --release -p msgraph-codegen --test fuzz`.

mod support;

use proptest::prelude::*;

/// Characters that change the structure of YAML, XML and JSON.
const STRUCTURAL: &[u8] = b"{}[]<>/:,'\"\n -&*!|#=?@$%\\\t0";

/// One edit: what to do, where (a fraction of the length), and a byte to use.
#[derive(Clone, Debug)]
enum Edit {
    Delete { at: f64, len: u8 },
    Insert { at: f64, byte: u8 },
    Duplicate { at: f64, len: u8 },
    Truncate { at: f64 },
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0.0..1.0f64;
    prop_oneof![
        (at.clone(), any::<u8>()).prop_map(|(at, len)| Edit::Delete { at, len }),
        (at.clone(), 0..STRUCTURAL.len()).prop_map(|(at, i)| Edit::Insert {
            at,
            byte: STRUCTURAL[i]
        }),
        (at.clone(), any::<u8>()).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        at.prop_map(|at| Edit::Truncate { at }),
    ]
}

fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for e in edits {
        let pos = |at: f64| ((bytes.len() as f64 * at) as usize).min(bytes.len());
        match *e {
            Edit::Delete { at, len } => {
                let start = pos(at);
                let end = (start + len as usize).min(bytes.len());
                bytes.drain(start..end);
            }
            Edit::Insert { at, byte } => {
                let i = pos(at);
                bytes.insert(i, byte);
            }
            Edit::Duplicate { at, len } => {
                let start = pos(at);
                let end = (start + len as usize).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Edit::Truncate { at } => {
                let i = pos(at);
                bytes.truncate(i);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn spec(path: &str) -> String {
    std::fs::read_to_string(support::workspace().join(path)).unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_openapi_loader_never_panics(edits in prop::collection::vec(edit(), 1..6)) {
        thread_local!(static SPEC: String = spec("specs/beta/openapi.yaml"));
        let text = SPEC.with(|s| mutate(s, &edits));
        let _ = codegen::load::load_str(&text, "fuzz.yaml");
    }

    #[test]
    fn the_csdl_loader_and_cutter_never_panic(edits in prop::collection::vec(edit(), 1..6)) {
        thread_local!(static SPEC: String = spec("specs/v1.0/csdl.xml"));
        let text = SPEC.with(|s| mutate(s, &edits));
        let _ = codegen::load::load_str(&text, "fuzz.xml");
        let _ = codegen::slice_document(&text, "fuzz.xml", &[]);
    }

    #[test]
    fn model_decoding_never_panics(edits in prop::collection::vec(edit(), 1..6)) {
        use msgraph_work::beta::models::{TimeOff, WorkPlanOccurrence};
        const PAGE: &str = r#"{"@odata.context":"x","@odata.nextLink":"https://graph.microsoft.com/beta/next","value":[
{"id":"1","recurrenceId":null,"workLocationType":"office","placeId":"p","start":{"dateTime":"2025-03-03T09:00:00.0000000","timeZone":"Pacific Standard Time"},"end":{"dateTime":"2025-03-03T17:00:00","timeZone":"UTC"},"timeOffDetails":{"subject":"s","isAllDay":false},"newThing":[1,2.5e3,{"x":null}]},
{"id":"2","workLocationType":"spaceStation","start":{"dateTime":"2025-03-03T09:00:00","timeZone":"Tokyo Standard Time"}}]}"#;
        const TIME_OFF: &str = r##"{"@odata.etag":"W/\"1\"","id":"TOff_1","createdDateTime":"2019-03-14T04:32:51.451Z","userId":"u","sharedTimeOff":{"@odata.type":"#microsoft.graph.timeOffItem","startDateTime":"2019-03-11T07:00:00Z","endDateTime":"2019-03-12T07:00:00Z","theme":"white","timeOffReasonId":"r"},"draftTimeOff":null,"lastModifiedBy":{"user":{"id":"u","displayName":"d"},"application":null}}"##;
        let page = mutate(PAGE, &edits);
        if let Ok(decoded) = serde_json::from_str::<msgraph_work::Page<WorkPlanOccurrence>>(&page) {
            // What decodes writes back as the same JSON value it read.
            let again = serde_json::to_value(&decoded).unwrap();
            let read: serde_json::Value = serde_json::from_str(&page).unwrap();
            prop_assert_eq!(again, read);
        }
        let time_off = mutate(TIME_OFF, &edits);
        if let Ok(decoded) = serde_json::from_str::<TimeOff>(&time_off) {
            let again = serde_json::to_value(&decoded).unwrap();
            let read: serde_json::Value = serde_json::from_str(&time_off).unwrap();
            prop_assert_eq!(again, read);
        }
    }
}

/// The edits reach past the parsers: some mutated documents still load, others fail later
/// than the syntax (so the properties above exercise the whole loaders).
#[test]
fn mutations_reach_past_the_parsers() {
    for (path, file) in [
        ("specs/beta/openapi.yaml", "fuzz.yaml"),
        ("specs/v1.0/csdl.xml", "fuzz.xml"),
    ] {
        let text = spec(path);
        let (mut loaded, mut failed) = (0, 0);
        for i in 0..200 {
            let edits = [Edit::Delete {
                at: i as f64 / 200.0,
                len: 7,
            }];
            match codegen::load::load_str(&mutate(&text, &edits), file) {
                Ok(_) => loaded += 1,
                Err(_) => failed += 1,
            }
        }
        assert!(
            loaded > 0 && failed > 0,
            "{path}: {loaded} loaded, {failed} failed"
        );
    }
}
