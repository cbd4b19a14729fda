//! Creates Teams Shifts time-off entries in bulk from a CSV file, with JSON batching
//! (Graph v1.0: `POST /teams/{id}/schedule/timesOff`, 20 per `$batch` request).
//!
//! ```text
//! GRAPH_TOKEN=eyJ0eX... cargo run -p msgraph-work --example bulk_time_off -- --team TEAM_ID time_off.csv
//! cargo run -p msgraph-work --example bulk_time_off -- --team TEAM_ID --dry-run time_off.csv
//! ```
//!
//! The CSV has a header line and the columns `userId`, `startDateTime`, `endDateTime` (ISO 8601
//! with `Z` or an offset) and `timeOffReasonId`, in any order:
//!
//! ```text
//! userId,startDateTime,endDateTime,timeOffReasonId
//! c5d0c76b-80c4-481c-be50-923cd8d680a1,2025-07-01T07:00:00Z,2025-07-01T15:00:00Z,TOR_1
//! ```
//!
//! Every row is checked before anything is sent; a malformed row is reported with its line
//! number and nothing is sent. Then the entries are created in batches, with a progress line on
//! stderr, and each row that Graph refused is reported with why. `--dry-run` prints the
//! `$batch` requests instead of sending them, and needs no token.
//!
//! Environment: `GRAPH_TOKEN` (a token with `Schedule.ReadWrite.All`), `GRAPH_ROOT` (default
//! `https://graph.microsoft.com`).

use std::process::ExitCode;

use msgraph_work::edm::DateTimeOffset;
use msgraph_work::v1_0::models::{TimeOff, TimeOffItem};
use msgraph_work::{Batch, BatchKey, Client, StaticToken};

/// How many rows one `Client::batch` call sends (in `$batch` requests of 20).
const ROWS_PER_CALL: usize = 100;

const USAGE: &str = "usage: bulk_time_off --team TEAM_ID [--dry-run] FILE.csv";

/// One row of the file, checked.
struct Row {
    line: u64,
    user_id: String,
    entry: TimeOff,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rows = match read_rows(&args.file) {
        Ok(rows) => rows,
        Err(problems) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            eprintln!("nothing was sent");
            return ExitCode::FAILURE;
        }
    };
    let root = std::env::var("GRAPH_ROOT").unwrap_or_else(|_| "https://graph.microsoft.com".into());
    if args.dry_run {
        return dry_run(&root, &args.team, rows);
    }
    let Ok(token) = std::env::var("GRAPH_TOKEN") else {
        eprintln!(
            "error: set GRAPH_TOKEN to a token with Schedule.ReadWrite.All (or use --dry-run)"
        );
        return ExitCode::from(2);
    };
    let client = Client::new(root, StaticToken::new(token));
    send(&client, &args.team, rows).await
}

#[derive(Debug)]
struct Args {
    team: String,
    dry_run: bool,
    file: String,
}

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
        let (mut team, mut dry_run, mut file) = (None, false, None);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--team" => team = Some(args.next().ok_or("--team needs a team id")?),
                "--dry-run" => dry_run = true,
                flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
                _ if file.is_none() => file = Some(arg),
                _ => return Err(format!("unexpected argument {arg}")),
            }
        }
        Ok(Args {
            team: team.ok_or("--team is required")?,
            dry_run,
            file: file.ok_or("the CSV file is required")?,
        })
    }
}

/// Every row of the file, or every problem found in it (with line numbers).
fn read_rows(path: &str) -> Result<Vec<Row>, Vec<String>> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| vec![format!("{path}: {e}")])?;
    let headers = reader
        .headers()
        .map_err(|e| vec![format!("{path}: {e}")])?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let columns: Vec<Option<usize>> = ["userId", "startDateTime", "endDateTime", "timeOffReasonId"]
        .iter()
        .map(|c| column(c))
        .collect();
    if let Some(missing) = columns.iter().position(Option::is_none) {
        let name = ["userId", "startDateTime", "endDateTime", "timeOffReasonId"][missing];
        return Err(vec![format!("{path}: line 1: no `{name}` column")]);
    }
    let columns: Vec<usize> = columns.into_iter().flatten().collect();
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("{path}: line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| {
            record
                .get(columns[i])
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        match row(line, field(0), &field(1), &field(2), field(3)) {
            Ok(row) => rows.push(row),
            Err(e) => problems.push(format!("{path}: line {line}: {e}")),
        }
    }
    match problems.is_empty() {
        true => Ok(rows),
        false => Err(problems),
    }
}

/// One entry, checked: a user, an end after the start, a reason.
fn row(line: u64, user_id: String, start: &str, end: &str, reason: String) -> Result<Row, String> {
    if user_id.is_empty() {
        return Err("userId is empty".into());
    }
    if reason.is_empty() {
        return Err("timeOffReasonId is empty".into());
    }
    let parse = |name: &str, text: &str| -> Result<DateTimeOffset, String> {
        text.parse::<DateTimeOffset>().map_err(|e| {
            format!("{name} `{text}` is not an ISO 8601 date and time with Z or an offset: {e}")
        })
    };
    let (start, end) = (parse("startDateTime", start)?, parse("endDateTime", end)?);
    let (from, to) = (
        start.to_timestamp().map_err(|e| e.to_string())?,
        end.to_timestamp().map_err(|e| e.to_string())?,
    );
    if to <= from {
        return Err(format!(
            "endDateTime {end} is not after startDateTime {start}"
        ));
    }
    let item = TimeOffItem::default()
        .with_start_date_time(start)
        .with_end_date_time(end)
        .with_time_off_reason_id(reason);
    let entry = TimeOff::default()
        .with_user_id(user_id.clone())
        .with_shared_time_off(item);
    Ok(Row {
        line,
        user_id,
        entry,
    })
}

fn batch_of(team: &str, rows: &[Row]) -> (Batch, Vec<BatchKey<TimeOff>>) {
    let times_off = msgraph_work::v1_0::teams()
        .by_id(team)
        .schedule()
        .times_off();
    let mut batch = Batch::new();
    let keys = rows
        .iter()
        .map(|row| batch.add(times_off.post(row.entry.clone())))
        .collect();
    (batch, keys)
}

/// Prints the `$batch` requests the rows would be sent in.
fn dry_run(root: &str, team: &str, rows: Vec<Row>) -> ExitCode {
    let (batch, _) = batch_of(team, &rows);
    match batch.to_http_requests(root) {
        Ok(requests) => {
            for request in requests {
                let body: serde_json::Value =
                    serde_json::from_slice(request.body()).expect("a batch body is JSON");
                println!("{} {}", request.method(), request.uri());
                println!("{}\n", serde_json::to_string_pretty(&body).expect("JSON"));
            }
            eprintln!(
                "{} time-off entries in {} $batch request(s); nothing sent (--dry-run)",
                rows.len(),
                rows.len().div_ceil(20)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Creates the entries, reporting progress and each row Graph refused.
async fn send(client: &Client, team: &str, rows: Vec<Row>) -> ExitCode {
    let (mut created, mut failed) = (0, Vec::new());
    for part in rows.chunks(ROWS_PER_CALL) {
        let (batch, keys) = batch_of(team, part);
        let results = match client.batch(batch).await {
            Ok(results) => results,
            Err(e) => {
                eprintln!("\nerror: the batch request failed: {e}");
                for row in part {
                    failed.push(format!(
                        "line {} ({}): not sent: the batch failed",
                        row.line, row.user_id
                    ));
                }
                continue;
            }
        };
        for (row, key) in part.iter().zip(keys) {
            match results.get(key) {
                Ok(_) => created += 1,
                Err(e) => failed.push(format!("line {} ({}): {e}", row.line, row.user_id)),
            }
        }
        eprint!(
            "\rcreated {created} of {} ({} failed)",
            rows.len(),
            failed.len()
        );
    }
    eprintln!();
    for failure in &failed {
        eprintln!("failed: {failure}");
    }
    println!("{created} created, {} failed", failed.len());
    match failed.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV file in the temporary directory, removed when dropped.
    struct TempCsv(std::path::PathBuf);

    impl TempCsv {
        fn new(name: &str, text: &str) -> TempCsv {
            let path = std::env::temp_dir()
                .join(format!("bulk_time_off_{}_{name}.csv", std::process::id()));
            std::fs::write(&path, text).unwrap();
            TempCsv(path)
        }

        fn path(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }

    impl Drop for TempCsv {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_nothing_is_kept() {
        let file = TempCsv::new(
            "bad",
            "timeOffReasonId,userId,startDateTime,endDateTime\n\
             TOR_1,u1,2025-07-01T07:00:00Z,2025-07-01T15:00:00Z\n\
             TOR_1,,2025-07-01T07:00:00Z,2025-07-01T15:00:00Z\n\
             TOR_1,u3,yesterday,2025-07-01T15:00:00Z\n\
             TOR_1,u4,2025-07-01T15:00:00Z,2025-07-01T07:00:00Z\n\
             TOR_1,u5,2025-07-01T07:00:00Z\n\
             ,u6,2025-07-01T07:00:00+02:00,2025-07-01T15:00:00+02:00\n",
        );
        let problems = read_rows(file.path()).err().expect("the file has bad rows");
        let lines: Vec<&str> = problems
            .iter()
            .map(|p| p.split(": ").nth(1).unwrap())
            .collect();
        assert_eq!(
            lines,
            ["line 3", "line 4", "line 5", "line 6", "line 7"],
            "{problems:#?}"
        );
        assert!(problems[0].ends_with("userId is empty"), "{}", problems[0]);
        assert!(
            problems[1].contains("startDateTime `yesterday`"),
            "{}",
            problems[1]
        );
        assert!(problems[2].contains("is not after"), "{}", problems[2]);
        assert!(
            problems[4].ends_with("timeOffReasonId is empty"),
            "{}",
            problems[4]
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let file = TempCsv::new("columns", "userId,startDateTime,endDateTime\nu1,a,b\n");
        let problems = read_rows(file.path()).err().expect("a column is missing");
        assert!(
            problems[0].ends_with("line 1: no `timeOffReasonId` column"),
            "{problems:?}"
        );
        assert!(read_rows("/nonexistent/time_off.csv").is_err());
    }

    #[test]
    fn forty_five_rows_make_three_batch_requests_of_creations() {
        let mut text = String::from("userId,startDateTime,endDateTime,timeOffReasonId\n");
        for i in 1..=45 {
            text.push_str(&format!(
                "u{i},2025-07-01T07:00:00Z,2025-07-01T15:00:00-01:00,TOR_{i}\n"
            ));
        }
        let file = TempCsv::new("good", &text);
        let rows = read_rows(file.path()).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(rows.len(), 45);
        assert_eq!((rows[0].line, rows[44].line), (2, 46));
        let (batch, keys) = batch_of("team 1", &rows);
        assert_eq!(keys.len(), 45);
        let requests = batch
            .to_http_requests("https://graph.microsoft.com")
            .unwrap();
        assert_eq!(requests.len(), 3);
        let first: serde_json::Value = serde_json::from_slice(requests[0].body()).unwrap();
        let creations = first["requests"].as_array().unwrap();
        assert_eq!(creations.len(), 20);
        assert_eq!(creations[0]["method"], "POST");
        assert_eq!(creations[0]["url"], "/teams/team%201/schedule/timesOff");
        assert_eq!(
            creations[0]["body"],
            serde_json::json!({
                "userId": "u1",
                "sharedTimeOff": {
                    "startDateTime": "2025-07-01T07:00:00Z",
                    "endDateTime": "2025-07-01T15:00:00-01:00",
                    "timeOffReasonId": "TOR_1",
                },
            })
        );
    }

    #[test]
    fn the_command_line_needs_a_team_and_a_file() {
        let parse = |args: &[&str]| Args::parse(args.iter().map(|a| a.to_string()));
        let args = parse(&["--team", "T", "--dry-run", "f.csv"]).unwrap();
        assert_eq!(
            (args.team.as_str(), args.dry_run, args.file.as_str()),
            ("T", true, "f.csv")
        );
        assert!(parse(&["f.csv"]).unwrap_err().contains("--team"));
        assert!(parse(&["--team", "T"]).unwrap_err().contains("CSV file"));
        assert!(parse(&["--team"]).unwrap_err().contains("team id"));
        assert!(
            parse(&["--team", "T", "--force", "f.csv"])
                .unwrap_err()
                .contains("--force")
        );
    }
}
