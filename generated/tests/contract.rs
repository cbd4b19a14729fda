//! The public API the foundation issue fixes, exercised by name: acceptance tests outside the
//! repository compile against exactly these paths, so a rename must fail here first.

use msgraph_work::Operation;
use msgraph_work::beta::models::*;

fn model<
    T: serde::Serialize + serde::de::DeserializeOwned + Clone + std::fmt::Debug + PartialEq,
>() {
}

#[test]
fn every_contract_model_exists_with_its_traits() {
    model::<WorkHoursAndLocationsSetting>();
    model::<WorkPlanOccurrence>();
    model::<WorkPlanRecurrence>();
    model::<TimeOffDetails>();
    model::<DateTimeTimeZone>();
    model::<PatternedRecurrence>();
    model::<RecurrencePattern>();
    model::<RecurrenceRange>();
    model::<WorkLocationType>();
    model::<DayOfWeek>();
    model::<WeekIndex>();
    model::<RecurrencePatternType>();
    model::<RecurrenceRangeType>();
    model::<MaxWorkLocationDetails>();
    model::<WorkLocationUpdateScope>();
    model::<Schedule>();
    model::<TimeOff>();
    model::<TimeOffItem>();
    model::<ScheduleEntity>();
    model::<ScheduleEntityTheme>();
    model::<TimeOffReason>();
    model::<TimeOffReasonIconType>();
    model::<TimeOffRequest>();
    model::<IdentitySet>();
    model::<Identity>();
    model::<ODataError>();
}

fn operation<O: Operation>(op: O) -> http::Request<Vec<u8>> {
    op.to_http_request("https://graph.microsoft.com")
        .expect("builds")
}

fn path(request: &http::Request<Vec<u8>>) -> String {
    request.uri().path().to_string()
}

#[test]
fn navigation_mirrors_the_url() {
    let me = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations();
    assert_eq!(
        path(&operation(me.get())),
        "/beta/me/settings/workHoursAndLocations"
    );
    assert_eq!(
        path(&operation(
            me.patch(WorkHoursAndLocationsSetting::default())
        )),
        "/beta/me/settings/workHoursAndLocations"
    );
    assert_eq!(
        path(&operation(
            me.occurrences().post(WorkPlanOccurrence::default())
        )),
        "/beta/me/settings/workHoursAndLocations/occurrences"
    );
    assert_eq!(
        path(&operation(
            me.occurrences()
                .by_id("o1")
                .put(WorkPlanOccurrence::default())
        )),
        "/beta/me/settings/workHoursAndLocations/occurrences/o1"
    );
    assert_eq!(
        path(&operation(me.occurrences().by_id("o1").delete())),
        "/beta/me/settings/workHoursAndLocations/occurrences/o1"
    );
    assert_eq!(
        path(&operation(me.occurrences().set_current_location(
            SetCurrentLocationParameters::default()
        ))),
        "/beta/me/settings/workHoursAndLocations/occurrences/setCurrentLocation"
    );
    assert_eq!(
        path(&operation(me.recurrences().get())),
        "/beta/me/settings/workHoursAndLocations/recurrences"
    );
    assert_eq!(
        path(&operation(
            me.recurrences().post(WorkPlanRecurrence::default())
        )),
        "/beta/me/settings/workHoursAndLocations/recurrences"
    );
    assert_eq!(
        path(&operation(
            me.recurrences()
                .by_id("r1")
                .put(WorkPlanRecurrence::default())
        )),
        "/beta/me/settings/workHoursAndLocations/recurrences/r1"
    );
    assert_eq!(
        path(&operation(me.recurrences().by_id("r1").delete())),
        "/beta/me/settings/workHoursAndLocations/recurrences/r1"
    );
    let view = operation(me.occurrences_view("2024-01-01T00:00:00Z", "2024-01-07T23:59:59Z"));
    assert_eq!(
        view.uri().to_string(),
        "https://graph.microsoft.com/beta/me/settings/workHoursAndLocations/occurrencesView(startDateTime='2024-01-01T00:00:00Z',endDateTime='2024-01-07T23:59:59Z')"
    );

    let user = msgraph_work::beta::users()
        .by_id("adele@contoso.com")
        .settings()
        .work_hours_and_locations();
    assert_eq!(
        path(&operation(user.get())),
        "/beta/users/adele@contoso.com/settings/workHoursAndLocations"
    );
}

#[test]
fn shifts_navigation_mirrors_the_url() {
    let schedule = msgraph_work::beta::teams().by_id("team-1").schedule();
    assert_eq!(
        path(&operation(schedule.get())),
        "/beta/teams/team-1/schedule"
    );
    assert_eq!(
        path(&operation(schedule.times_off().get())),
        "/beta/teams/team-1/schedule/timesOff"
    );
    assert_eq!(
        path(&operation(schedule.times_off().post(TimeOff::default()))),
        "/beta/teams/team-1/schedule/timesOff"
    );
    assert_eq!(
        path(&operation(schedule.times_off().by_id("t1").get())),
        "/beta/teams/team-1/schedule/timesOff/t1"
    );
    assert_eq!(
        path(&operation(
            schedule.times_off().by_id("t1").put(TimeOff::default())
        )),
        "/beta/teams/team-1/schedule/timesOff/t1"
    );
    assert_eq!(
        path(&operation(schedule.times_off().by_id("t1").delete())),
        "/beta/teams/team-1/schedule/timesOff/t1"
    );
    assert_eq!(
        path(&operation(schedule.time_off_reasons().get())),
        "/beta/teams/team-1/schedule/timeOffReasons"
    );
    assert_eq!(
        path(&operation(schedule.time_off_requests().get())),
        "/beta/teams/team-1/schedule/timeOffRequests"
    );
    assert_eq!(
        path(&operation(
            schedule
                .time_off_requests()
                .by_id("q1")
                .approve(ApproveParameters::default().with_message("ok"))
        )),
        "/beta/teams/team-1/schedule/timeOffRequests/q1/approve"
    );
}

#[test]
fn me_and_users_share_navigation_types() {
    // `/me` is an alias: the same node type as `users().by_id(..)`, with another path.
    let mine: msgraph_work::beta::requests::UsersItem = msgraph_work::beta::me();
    let theirs: msgraph_work::beta::requests::UsersItem = msgraph_work::beta::users().by_id("u1");
    assert_eq!(mine.path(), "/me");
    assert_eq!(theirs.path(), "/users/u1");
}

#[test]
fn operation_outputs_are_typed() {
    fn output<O: Operation<Output = T>, T>(_: &O) {}
    let me = msgraph_work::beta::me()
        .settings()
        .work_hours_and_locations();
    output::<_, WorkHoursAndLocationsSetting>(&me.get());
    output::<_, WorkPlanOccurrence>(&me.occurrences().post(WorkPlanOccurrence::default()));
    output::<_, Option<WorkPlanOccurrence>>(
        &me.occurrences()
            .by_id("o")
            .put(WorkPlanOccurrence::default()),
    );
    output::<_, ()>(&me.occurrences().by_id("o").delete());
    output::<_, msgraph_work::Page<WorkPlanOccurrence>>(&me.occurrences_view("a", "b"));
    output::<_, msgraph_work::Page<WorkPlanRecurrence>>(&me.recurrences().get());
    output::<_, i64>(&me.recurrences().count());
    let times_off = msgraph_work::beta::teams()
        .by_id("t")
        .schedule()
        .times_off();
    output::<_, TimeOff>(&times_off.by_id("x").get());
    output::<_, msgraph_work::Page<TimeOff>>(&times_off.get());
}
