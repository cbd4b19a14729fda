//! The crate's types can cross threads and tasks: `Send + Sync + Unpin + 'static`, checked at
//! compile time (C-SEND-SYNC), so that losing one of these traits (a field that holds an `Rc`,
//! a `RefCell`, a borrowed `&str`) fails the build here rather than in a user's `tokio::spawn`.
//!
//! The generated operations and navigation nodes are checked through what the entry points
//! return, by inference, so this file does not depend on their generated names.

#![allow(dead_code)] // the checks are the compiling; nothing here needs to run

use msgraph_work::{Error, ErrorKind, Extra, Nullable, Page, Permissions, edm};

/// Compiles only if `T` has the auto traits a value needs to move freely between threads.
fn assert_auto_traits<T: Send + Sync + Unpin + 'static>() {}

/// The same for the type of a value, to check types that are not worth naming.
fn assert_auto_traits_of<T: Send + Sync + Unpin + 'static>(_: &T) {}

/// Compiles only if a future can be spawned on a multi-threaded executor.
fn assert_send_future<F: std::future::Future + Send>(_: F) {}

const _: fn() = || {
    assert_auto_traits::<Error>();
    assert_auto_traits::<ErrorKind>();
    assert_auto_traits::<Permissions>();
    assert_auto_traits::<Extra>();
    assert_auto_traits::<Nullable<String>>();
    assert_auto_traits::<Page<String>>();
    assert_auto_traits::<edm::DateTimeOffset>();
    assert_auto_traits::<edm::Date>();
    assert_auto_traits::<edm::TimeOfDay>();
    assert_auto_traits::<edm::Duration>();
    assert_auto_traits::<edm::Guid>();
    assert_auto_traits::<edm::Binary>();
    assert_auto_traits::<edm::Double>();
    assert_auto_traits::<edm::Decimal>();
};

/// `Error` goes into `Box<dyn Error + Send + Sync>` and `anyhow::Error`.
const _: fn() = || {
    fn into_boxed(e: Error) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        Box::new(e)
    }
};

#[cfg(feature = "client")]
const _: fn() = || {
    use msgraph_work::{Client, ClientBuilder, RetryPolicy, StaticToken};
    assert_auto_traits::<Client>();
    assert_auto_traits::<ClientBuilder>();
    assert_auto_traits::<RetryPolicy>();
    assert_auto_traits::<StaticToken>();
};

#[cfg(feature = "azure-identity")]
const _: fn() = || {
    assert_auto_traits::<msgraph_work::AzureIdentity>();
};

#[cfg(feature = "beta")]
const _: fn() = || {
    use msgraph_work::beta::models::{
        AnyScheduleEntity, TimeOff, WorkHoursAndLocationsSetting, WorkLocationType,
        WorkPlanOccurrence,
    };
    assert_auto_traits::<WorkPlanOccurrence>();
    assert_auto_traits::<WorkHoursAndLocationsSetting>();
    assert_auto_traits::<TimeOff>();
    assert_auto_traits::<AnyScheduleEntity>();
    assert_auto_traits::<WorkLocationType>();
    assert_auto_traits::<Page<WorkPlanOccurrence>>();

    // Navigation nodes and operations, whatever their generated names.
    let setting = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations();
    assert_auto_traits_of(&setting);
    assert_auto_traits_of(&setting.get());
    assert_auto_traits_of(&setting.occurrences());
    assert_auto_traits_of(&setting.occurrences().post(WorkPlanOccurrence::default()));
    assert_auto_traits_of(&setting.occurrences_view("2025-01-01T00:00:00Z", None::<String>));
    let times_off = msgraph_work::beta::teams()
        .by_id("team")
        .schedule()
        .times_off();
    assert_auto_traits_of(&times_off);
    assert_auto_traits_of(&times_off.get().top(10));
    assert_auto_traits_of(&times_off.by_id("id").delete());
};

#[cfg(feature = "v1_0")]
const _: fn() = || {
    use msgraph_work::v1_0::models::{TimeOff, WorkPlanOccurrence};
    assert_auto_traits::<WorkPlanOccurrence>();
    assert_auto_traits::<TimeOff>();
    let setting = msgraph_work::v1_0::me()
        .settings()
        .work_hours_and_locations();
    assert_auto_traits_of(&setting);
    assert_auto_traits_of(&setting.get());
    assert_auto_traits_of(
        &msgraph_work::v1_0::teams()
            .by_id("t")
            .schedule()
            .times_off()
            .get(),
    );
};

/// What the client hands out can be spawned: its futures and streams are `Send`.
#[cfg(all(feature = "client", feature = "beta"))]
fn client_futures_are_send(client: msgraph_work::Client) {
    let setting = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations();
    assert_send_future(client.send(setting.get()));
    let times_off = msgraph_work::beta::teams()
        .by_id("team")
        .schedule()
        .times_off()
        .get();
    assert_send_future(client.send(&times_off));
    // A stream of futures is neither `Sync` nor `Unpin`, and need not be: `Send` is what
    // spawning takes.
    fn assert_send_static<T: Send + 'static>(_: &T) {}
    assert_send_static(&client.items(times_off));
}

/// Gives the test harness something to list: the checks above ran when this file compiled.
#[test]
fn public_types_are_send_sync_unpin_and_static() {}
