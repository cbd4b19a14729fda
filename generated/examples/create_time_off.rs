//! Creates a time-off occurrence in the signed-in user's work plan on a real Microsoft 365
//! tenant (Graph beta: `POST /me/settings/workHoursAndLocations/occurrences`), then reads it back
//! through `occurrencesView` and deletes it unless told to keep it.
//!
//! ```text
//! GRAPH_TOKEN=eyJ0eX... cargo run -p msgraph-work --example create_time_off
//! ```
//!
//! Environment:
//! * `GRAPH_TOKEN` (required): a delegated access token with `Calendars.ReadWrite`, for example
//!   from `az account get-access-token --resource https://graph.microsoft.com --query accessToken -o tsv`
//!   or Graph Explorer.
//! * `GRAPH_TIME_ZONE` (optional, default `UTC`): a Windows or IANA time zone for the day off.
//! * `GRAPH_DAY` (optional, default tomorrow): the day off, `YYYY-MM-DD`.
//! * `GRAPH_KEEP=1` (optional): keep the occurrence instead of deleting it afterwards.
//! * `GRAPH_ROOT` (optional, default `https://graph.microsoft.com`): another service root.

use std::process::ExitCode;

use futures::TryStreamExt;
use msgraph_work::beta::models::{
    DateTimeTimeZone, TimeOffDetails, WorkLocationType, WorkPlanOccurrence,
};
use msgraph_work::{Client, StaticToken};

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(token) = std::env::var("GRAPH_TOKEN") else {
        eprintln!(
            "This example creates a day off in your own work plan on Microsoft Graph (beta), reads it back, \
             and deletes it again.\n\n\
             It needs a delegated access token with the Calendars.ReadWrite permission in GRAPH_TOKEN, e.g.\n\n    \
             GRAPH_TOKEN=$(az account get-access-token --resource https://graph.microsoft.com --query accessToken -o tsv) \\\n    \
             cargo run -p msgraph-work --example create_time_off\n\n\
             Optional: GRAPH_TIME_ZONE (default UTC), GRAPH_DAY (YYYY-MM-DD, default tomorrow), GRAPH_KEEP=1 to keep it."
        );
        return ExitCode::from(2);
    };
    match run(token).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(id) = e
                .downcast_ref::<msgraph_work::Error>()
                .and_then(|e| e.request_id())
            {
                eprintln!("request-id: {id} (Microsoft support asks for it)");
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(token: String) -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::var("GRAPH_ROOT").unwrap_or_else(|_| "https://graph.microsoft.com".into());
    let zone = std::env::var("GRAPH_TIME_ZONE").unwrap_or_else(|_| "UTC".into());
    let day = match std::env::var("GRAPH_DAY") {
        Ok(day) => day,
        Err(_) => jiff::ZonedDateTime::now().date().tomorrow()?.to_string(),
    };
    let client = Client::new(root, StaticToken::new(token));
    let plan = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations();

    let day_off = WorkPlanOccurrence::default()
        .with_start(
            DateTimeTimeZone::default()
                .with_date_time(format!("{day}T00:00:00.0000000"))
                .with_time_zone(zone.clone()),
        )
        .with_end(
            DateTimeTimeZone::default()
                .with_date_time(format!("{day}T23:59:59.0000000"))
                .with_time_zone(zone.clone()),
        )
        .with_work_location_type(WorkLocationType::TimeOff)
        .with_time_off_details(
            TimeOffDetails::default()
                .with_subject("Day off (msgraph-work example)")
                .with_is_all_day(true),
        );
    let created = client.send(plan.occurrences().post(day_off)).await?;
    let id = created.id.clone().unwrap_or_default();
    let start = created
        .start
        .as_ref()
        .map(|s| s.to_timestamp())
        .transpose()?;
    println!(
        "created occurrence {id} starting at {}",
        start.map(|s| s.to_string()).unwrap_or_default()
    );

    let seen: Vec<WorkPlanOccurrence> = client
        .items(plan.occurrences_view(format!("{day}T00:00:00Z"), format!("{day}T23:59:59Z")))
        .try_collect()
        .await?;
    println!("occurrencesView for {day}: {} occurrence(s)", seen.len());
    for occurrence in &seen {
        println!("  {:?} {:?}", occurrence.work_location_type, occurrence.id);
    }

    if std::env::var_os("GRAPH_KEEP").is_none() && !id.is_empty() {
        client.send(plan.occurrences().by_id(&id).delete()).await?;
        println!("deleted occurrence {id}");
    }
    Ok(())
}
