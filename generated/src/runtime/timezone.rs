//! Hand-written runtime (not generated): Windows and IANA time zones for Graph's
//! `dateTimeTimeZone`.
//!
//! Graph's `dateTimeTimeZone` is a wall-clock time plus a zone name:
//! `{ "dateTime": "2025-12-15T00:00:00.0000000", "timeZone": "Pacific Standard Time" }`. The
//! name is usually a **Windows** time-zone name, which no date library reads directly, but may
//! also be an IANA name (`America/Los_Angeles`) or one of several spellings of UTC. This module
//! turns such a pair into a [`jiff::Timestamp`] and back, honouring daylight saving time.
//!
//! Windows names are mapped to IANA names with the Unicode CLDR project's `windowsZones` table
//! (the territory `001` entry of each Windows zone), as packaged by the `windows-timezones`
//! crate. CLDR data is © Unicode, Inc., distributed under the Unicode License
//! (<https://www.unicode.org/license.txt>). The IANA zones themselves come from the time-zone
//! database `jiff` finds: the system's (`/usr/share/zoneinfo`) on Unix, a copy bundled into the
//! binary on Windows and WebAssembly. UTC needs no database.

use std::str::FromStr;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use windows_timezones::WindowsTimezone;

use crate::runtime::edm;
use crate::runtime::error::Error;

/// Spellings of UTC that Graph and Outlook use besides the Windows name `UTC`:
/// `tzone://Microsoft/Utc` (in `originalStartTimeZone` and `originalEndTimeZone`), Windows'
/// display names, and the common IANA aliases. Matched case-insensitively.
const UTC_NAMES: &[&str] = &[
    "UTC",
    "Etc/UTC",
    "tzone://Microsoft/Utc",
    "Coordinated Universal Time",
    "(UTC) Coordinated Universal Time",
    "GMT",
    "Etc/GMT",
    "Etc/Universal",
    "Universal",
    "Etc/Zulu",
    "Zulu",
    "Etc/UCT",
    "UCT",
];

/// IANA names that CLDR still uses but the IANA database has since renamed. The old names live
/// on as links in the database's `backward` file, which some systems package separately (recent
/// Debian and Ubuntu put it in `tzdata-legacy`). Tried when the CLDR name itself is not found.
const RENAMED: &[(&str, &str)] = &[
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("America/Godthab", "America/Nuuk"),
    ("America/Indianapolis", "America/Indiana/Indianapolis"),
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("Asia/Katmandu", "Asia/Kathmandu"),
    ("Asia/Rangoon", "Asia/Yangon"),
    ("Europe/Kiev", "Europe/Kyiv"),
];

/// Lists every Windows zone once, for the case-insensitive lookup. In tests, an exhaustive
/// `match` over the same list makes the build fail if `windows-timezones` gains a zone that is
/// not listed here.
macro_rules! windows_zones {
    ($($zone:ident),* $(,)?) => {
        /// Every zone in the CLDR table of the `windows-timezones` version this was written for.
        const WINDOWS_ZONES: &[WindowsTimezone] = &[$(WindowsTimezone::$zone),*];

        /// Compiles only while [`WINDOWS_ZONES`] names every `WindowsTimezone` variant (there is
        /// no wildcard arm).
        #[cfg(test)]
        fn is_listed(zone: WindowsTimezone) -> bool {
            match zone {
                $(WindowsTimezone::$zone)|* => true,
            }
        }
    };
}

windows_zones! {
    DatelineStandardTime, UtcMinus11, AleutianStandardTime, HawaiianStandardTime,
    MarquesasStandardTime, AlaskanStandardTime, UtcMinus09, PacificStandardTimeMexico, UtcMinus08,
    PacificStandardTime, UsMountainStandardTime, MountainStandardTimeMexico, MountainStandardTime,
    YukonStandardTime, CentralAmericaStandardTime, CentralStandardTime, EasterIslandStandardTime,
    CentralStandardTimeMexico, CanadaCentralStandardTime, SaPacificStandardTime,
    EasternStandardTimeMexico, EasternStandardTime, HaitiStandardTime, CubaStandardTime,
    UsEasternStandardTime, TurksAndCaicosStandardTime, ParaguayStandardTime, AtlanticStandardTime,
    VenezuelaStandardTime, CentralBrazilianStandardTime, SaWesternStandardTime,
    PacificSaStandardTime, NewfoundlandStandardTime, TocantinsStandardTime,
    ESouthAmericaStandardTime, SaEasternStandardTime, ArgentinaStandardTime, GreenlandStandardTime,
    MontevideoStandardTime, MagallanesStandardTime, SaintPierreStandardTime, BahiaStandardTime,
    UtcMinus02, AzoresStandardTime, CapeVerdeStandardTime, Utc, GmtStandardTime,
    GreenwichStandardTime, SaoTomeStandardTime, MoroccoStandardTime, WEuropeStandardTime,
    CentralEuropeStandardTime, RomanceStandardTime, CentralEuropeanStandardTime,
    WCentralAfricaStandardTime, JordanStandardTime, GtbStandardTime, MiddleEastStandardTime,
    EgyptStandardTime, EEuropeStandardTime, SyriaStandardTime, WestBankStandardTime,
    SouthAfricaStandardTime, FleStandardTime, IsraelStandardTime, SouthSudanStandardTime,
    KaliningradStandardTime, SudanStandardTime, LibyaStandardTime, NamibiaStandardTime,
    ArabicStandardTime, TurkeyStandardTime, ArabStandardTime, BelarusStandardTime,
    RussianStandardTime, EAfricaStandardTime, IranStandardTime, ArabianStandardTime,
    AstrakhanStandardTime, AzerbaijanStandardTime, RussiaTimeZone3, MauritiusStandardTime,
    SaratovStandardTime, GeorgianStandardTime, VolgogradStandardTime, CaucasusStandardTime,
    AfghanistanStandardTime, WestAsiaStandardTime, EkaterinburgStandardTime, PakistanStandardTime,
    QyzylordaStandardTime, IndiaStandardTime, SriLankaStandardTime, NepalStandardTime,
    CentralAsiaStandardTime, BangladeshStandardTime, OmskStandardTime, MyanmarStandardTime,
    SeAsiaStandardTime, AltaiStandardTime, WMongoliaStandardTime, NorthAsiaStandardTime,
    NCentralAsiaStandardTime, TomskStandardTime, ChinaStandardTime, NorthAsiaEastStandardTime,
    SingaporeStandardTime, WAustraliaStandardTime, TaipeiStandardTime, UlaanbaatarStandardTime,
    AusCentralWStandardTime, TransbaikalStandardTime, TokyoStandardTime, NorthKoreaStandardTime,
    KoreaStandardTime, YakutskStandardTime, CenAustraliaStandardTime, AusCentralStandardTime,
    EAustraliaStandardTime, AusEasternStandardTime, WestPacificStandardTime, TasmaniaStandardTime,
    VladivostokStandardTime, LordHoweStandardTime, BougainvilleStandardTime, RussiaTimeZone10,
    MagadanStandardTime, NorfolkStandardTime, SakhalinStandardTime, CentralPacificStandardTime,
    RussiaTimeZone11, NewZealandStandardTime, UtcPlus12, FijiStandardTime,
    ChathamIslandsStandardTime, UtcPlus13, TongaStandardTime, SamoaStandardTime,
    LineIslandsStandardTime,
}

/// The IANA name CLDR gives for a Windows time-zone name (`"Pacific Standard Time"` →
/// `"America/Los_Angeles"`), using the territory `001` (main) entry.
///
/// Names are matched exactly as Windows spells them and, failing that, case-insensitively
/// (ASCII). The UTC spellings Graph and Outlook use (`UTC`, `tzone://Microsoft/Utc`,
/// `Coordinated Universal Time`, `Etc/UTC`, `GMT`, ...) give `"Etc/UTC"`. Anything else gives
/// `None`, including other IANA names, which are not Windows names (see [`resolve_time_zone`]).
///
/// The IANA names are CLDR's, which keep some older spellings (`"Asia/Calcutta"` rather than
/// `"Asia/Kolkata"`); the time-zone database knows both.
///
/// ```
/// use msgraph_work::windows_to_iana;
///
/// assert_eq!(windows_to_iana("W. Europe Standard Time"), Some("Europe/Berlin"));
/// assert_eq!(windows_to_iana("pacific standard time"), Some("America/Los_Angeles"));
/// assert_eq!(windows_to_iana("tzone://Microsoft/Utc"), Some("Etc/UTC"));
/// assert_eq!(windows_to_iana("America/Los_Angeles"), None);
/// ```
pub fn windows_to_iana(windows_name: &str) -> Option<&'static str> {
    if let Ok(zone) = WindowsTimezone::from_str(windows_name) {
        return Some(zone.tzdb_id());
    }
    if is_utc_name(windows_name) {
        return Some("Etc/UTC");
    }
    WINDOWS_ZONES
        .iter()
        .find(|zone| zone.name().eq_ignore_ascii_case(windows_name))
        .map(|zone| zone.tzdb_id())
}

/// The time zone a Graph `timeZone` value names: a Windows name (through CLDR's table, see
/// [`windows_to_iana`]), an IANA name known to the time-zone database (matched
/// case-insensitively, as `jiff` does), or a UTC spelling.
///
/// An unknown name is an `ErrorKind::InvalidInput` error whose message names the zone. This
/// includes Outlook's custom zones (`"tzone://Microsoft/Custom"`, `"Customized Time Zone"`),
/// whose rules Graph describes elsewhere (`customTimeZone`) rather than by name.
///
/// ```
/// use msgraph_work::resolve_time_zone;
///
/// let winter: jiff::Timestamp = "2025-12-15T16:00:00Z".parse().unwrap();
/// for name in ["Pacific Standard Time", "America/Los_Angeles"] {
///     let zone = resolve_time_zone(name).unwrap();
///     assert_eq!(zone.to_datetime(winter).to_string(), "2025-12-15T08:00:00");
/// }
/// assert!(resolve_time_zone("Mars Standard Time").unwrap_err().to_string().contains("Mars Standard Time"));
/// ```
pub fn resolve_time_zone(name: &str) -> Result<TimeZone, Error> {
    if is_utc_name(name) {
        return Ok(TimeZone::UTC);
    }
    if let Some(iana) = windows_to_iana(name) {
        return cldr_zone(name, iana);
    }
    TimeZone::get(name).map_err(|_| {
        Error::invalid_input(format!(
            "unknown time zone {name:?}: not a Windows time-zone name from CLDR's table, an IANA \
             name in the time-zone database, or UTC"
        ))
    })
}

/// The instant a Graph `dateTimeTimeZone` denotes.
///
/// `date_time` is a local wall-clock time `YYYY-MM-DDTHH:MM[:SS[.f]]` with 0 to 9 fractional
/// digits (Graph writes 7). `time_zone` is resolved with [`resolve_time_zone`], and the local
/// time is converted with the zone's rules for that date, daylight saving time included.
///
/// A wall-clock time that does not exist (in the gap when clocks jump forward) or exists twice
/// (in the fold when they fall back) is resolved the way `jiff`'s "compatible" disambiguation
/// (the behaviour RFC 5545, iCalendar, specifies) does: in a gap, the time is read with the offset
/// in force before the gap, which lands after it (02:30 on a spring-forward night in Berlin is
/// 03:30 CEST); in a fold, the earlier of the two instants is taken (02:30 on a fall-back night
/// in Berlin is 02:30 CEST, not CET).
///
/// Graph writes `dateTime` without an offset. If one is present anyway (`Z` or `±HH:MM`), it
/// fixes the instant and `time_zone` is not consulted (it must still be present).
///
/// Errors: a missing `date_time` or `time_zone`, a `date_time` that does not parse, or an
/// unknown zone.
#[allow(dead_code)] // used by the generated `dateTimeTimeZone` models
pub(crate) fn to_timestamp(
    date_time: Option<&str>,
    time_zone: Option<&str>,
) -> Result<Timestamp, Error> {
    let date_time =
        date_time.ok_or_else(|| Error::invalid_input("dateTimeTimeZone has no dateTime"))?;
    let time_zone =
        time_zone.ok_or_else(|| Error::invalid_input("dateTimeTimeZone has no timeZone"))?;
    let (local, offset) = edm::parse_date_time(date_time).map_err(|reason| {
        Error::invalid_input(format!(
            "invalid dateTime {date_time:?} (expected a local time such as 2025-12-15T09:00:00.0000000): {reason}"
        ))
    })?;
    let converted = match offset {
        Some(offset) => offset.to_timestamp(local),
        None => resolve_time_zone(time_zone)?.to_timestamp(local),
    };
    converted.map_err(|e| {
        Error::invalid_input(format!(
            "dateTime {date_time:?} in {time_zone:?} is out of range: {e}"
        ))
    })
}

/// The wall-clock text of `timestamp` in `time_zone` (resolved with [`resolve_time_zone`]), in
/// Graph's form `YYYY-MM-DDTHH:MM:SS.fffffff` with exactly 7 fractional digits (digits beyond
/// 100 ns are dropped, not rounded), and the zone name exactly as the caller gave it.
///
/// Errors: an unknown zone.
#[allow(dead_code)] // used by the generated `dateTimeTimeZone` models
pub(crate) fn from_timestamp(
    timestamp: Timestamp,
    time_zone: &str,
) -> Result<(String, String), Error> {
    let local = resolve_time_zone(time_zone)?.to_datetime(timestamp);
    let year = local.year();
    let text = format!(
        "{}{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}",
        if year < 0 { "-" } else { "" },
        year.unsigned_abs(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second(),
        local.subsec_nanosecond() / 100
    );
    Ok((text, time_zone.to_owned()))
}

fn is_utc_name(name: &str) -> bool {
    UTC_NAMES.iter().any(|utc| utc.eq_ignore_ascii_case(name))
}

/// Looks up the IANA zone CLDR gives for `windows_name`, falling back to its current name.
fn cldr_zone(windows_name: &str, iana: &str) -> Result<TimeZone, Error> {
    cldr_zone_in(TimeZone::get, windows_name, iana)
}

/// [`cldr_zone`] with the database lookup passed in, so tests can play a database without the
/// old names.
fn cldr_zone_in(
    get: impl Fn(&str) -> Result<TimeZone, jiff::Error>,
    windows_name: &str,
    iana: &str,
) -> Result<TimeZone, Error> {
    get(iana).or_else(|error| {
        RENAMED
            .iter()
            .find(|(old, _)| *old == iana)
            .and_then(|(_, new)| get(new).ok())
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "time zone {windows_name:?} is {iana:?} in CLDR's table, which the time-zone database does not have: {error}"
                ))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::error::ErrorKind;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn at(date_time: &str, time_zone: &str) -> Timestamp {
        to_timestamp(Some(date_time), Some(time_zone))
            .unwrap_or_else(|e| panic!("{date_time} {time_zone}: {e}"))
    }

    #[test]
    fn pacific_standard_time_in_winter_and_summer() {
        // PST is UTC-8, PDT is UTC-7.
        assert_eq!(
            at("2025-12-15T00:00:00.0000000", "Pacific Standard Time"),
            ts("2025-12-15T08:00:00Z")
        );
        assert_eq!(
            at("2025-12-15T08:00:00.0000000", "Pacific Standard Time"),
            ts("2025-12-15T16:00:00Z")
        );
        assert_eq!(
            at("2025-07-01T08:00:00.0000000", "Pacific Standard Time"),
            ts("2025-07-01T15:00:00Z")
        );
        assert_eq!(
            at("2025-07-01T08:00:00", "America/Los_Angeles"),
            ts("2025-07-01T15:00:00Z")
        );
        assert_eq!(
            windows_to_iana("Pacific Standard Time"),
            Some("America/Los_Angeles")
        );
    }

    #[test]
    fn w_europe_standard_time_across_the_2025_switches() {
        let zone = "W. Europe Standard Time";
        // Spring forward on 2025-03-30 at 02:00 CET (01:00Z).
        assert_eq!(
            at("2025-03-30T01:59:59.9999999", zone),
            ts("2025-03-30T00:59:59.9999999Z")
        );
        assert_eq!(
            at("2025-03-30T03:00:00.0000000", zone),
            ts("2025-03-30T01:00:00Z")
        );
        assert_eq!(
            at("2025-03-29T12:00:00.0000000", zone),
            ts("2025-03-29T11:00:00Z")
        );
        assert_eq!(
            at("2025-03-31T12:00:00.0000000", zone),
            ts("2025-03-31T10:00:00Z")
        );
        // Fall back on 2025-10-26 at 03:00 CEST (01:00Z).
        assert_eq!(
            at("2025-10-25T12:00:00.0000000", zone),
            ts("2025-10-25T10:00:00Z")
        );
        assert_eq!(
            at("2025-10-27T12:00:00.0000000", zone),
            ts("2025-10-27T11:00:00Z")
        );
    }

    #[test]
    fn gaps_move_forward_and_folds_take_the_earlier_instant() {
        // 02:30 does not exist in Berlin on 2025-03-30: read with CET (+01:00), it is 03:30 CEST.
        assert_eq!(
            at("2025-03-30T02:30:00.0000000", "W. Europe Standard Time"),
            ts("2025-03-30T01:30:00Z")
        );
        // 02:30 happens twice on 2025-10-26: first in CEST (+02:00), then in CET (+01:00).
        assert_eq!(
            at("2025-10-26T02:30:00.0000000", "W. Europe Standard Time"),
            ts("2025-10-26T00:30:00Z")
        );
        // The same in Los Angeles: 02:30 on 2025-03-09 does not exist, 01:30 on 2025-11-02 is twice.
        assert_eq!(
            at("2025-03-09T02:30:00.0000000", "Pacific Standard Time"),
            ts("2025-03-09T10:30:00Z")
        );
        assert_eq!(
            at("2025-11-02T01:30:00.0000000", "Pacific Standard Time"),
            ts("2025-11-02T08:30:00Z")
        );
    }

    #[test]
    fn iana_names_and_case_insensitive_windows_names() {
        assert_eq!(
            at("2025-07-01T12:00:00", "Europe/Berlin"),
            ts("2025-07-01T10:00:00Z")
        );
        assert_eq!(
            at("2025-07-01T12:00:00", "europe/berlin"),
            ts("2025-07-01T10:00:00Z")
        );
        assert_eq!(
            at("2025-07-01T12:00:00", "Asia/Kolkata"),
            ts("2025-07-01T06:30:00Z")
        );
        assert_eq!(
            at("2025-07-01T12:00:00", "India Standard Time"),
            ts("2025-07-01T06:30:00Z")
        );
        assert_eq!(
            at("2025-07-01T12:00:00", "Asia/Tokyo"),
            ts("2025-07-01T03:00:00Z")
        );
        assert_eq!(
            at("2025-07-01T12:00:00", "w. europe standard time"),
            ts("2025-07-01T10:00:00Z")
        );
        assert_eq!(
            at("2025-07-01T12:00:00", "PACIFIC STANDARD TIME"),
            ts("2025-07-01T19:00:00Z")
        );
        assert_eq!(
            windows_to_iana("w. europe standard time"),
            Some("Europe/Berlin")
        );
        assert_eq!(windows_to_iana("UTC-11"), Some("Etc/GMT+11"));
        assert_eq!(
            at("2025-07-01T12:00:00", "UTC-11"),
            ts("2025-07-01T23:00:00Z")
        );
        assert_eq!(
            at("2025-07-01T12:00:00", "UTC+12"),
            ts("2025-07-01T00:00:00Z")
        );
        assert_eq!(windows_to_iana("America/Los_Angeles"), None);
        assert_eq!(windows_to_iana("Mars Standard Time"), None);
    }

    #[test]
    fn utc_spellings() {
        for name in [
            "UTC",
            "utc",
            "Etc/UTC",
            "tzone://Microsoft/Utc",
            "TZONE://MICROSOFT/UTC",
            "Coordinated Universal Time",
            "(UTC) Coordinated Universal Time",
            "GMT",
            "Etc/GMT",
            "Zulu",
        ] {
            assert_eq!(windows_to_iana(name), Some("Etc/UTC"), "{name}");
            let zone = resolve_time_zone(name).unwrap();
            assert_eq!(
                zone.to_offset(ts("2025-07-01T00:00:00Z")),
                jiff::tz::Offset::UTC,
                "{name}"
            );
            assert_eq!(
                at("2025-07-01T12:00:00.0000000", name),
                ts("2025-07-01T12:00:00Z"),
                "{name}"
            );
        }
        // "GMT Standard Time" is London, not UTC.
        assert_eq!(
            at("2025-07-01T12:00:00", "GMT Standard Time"),
            ts("2025-07-01T11:00:00Z")
        );
    }

    #[test]
    fn unknown_zones_are_errors_that_name_the_zone() {
        for name in [
            "Mars Standard Time",
            "tzone://Microsoft/Custom",
            "Customized Time Zone",
            "",
            "Pacific Standard Time ",
        ] {
            let error = resolve_time_zone(name).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput);
            assert!(error.message().contains(&format!("{name:?}")), "{error}");
            let error = to_timestamp(Some("2025-12-15T00:00:00.0000000"), Some(name)).unwrap_err();
            assert!(error.message().contains(&format!("{name:?}")), "{error}");
            let error = from_timestamp(ts("2025-12-15T00:00:00Z"), name).unwrap_err();
            assert!(error.message().contains(&format!("{name:?}")), "{error}");
        }
    }

    #[test]
    fn missing_or_malformed_parts_are_errors() {
        let missing_date_time = to_timestamp(None, Some("UTC")).unwrap_err();
        assert!(
            missing_date_time.message().contains("dateTime"),
            "{missing_date_time}"
        );
        let missing_zone = to_timestamp(Some("2025-12-15T00:00:00"), None).unwrap_err();
        assert!(
            missing_zone.message().contains("timeZone"),
            "{missing_zone}"
        );
        for bad in [
            "datetime-value",
            "2025-12-15",
            "2025-12-15 00:00:00",
            "2025-12-15T00:00:00.1234567890",
            "2025-02-30T00:00:00",
        ] {
            let error = to_timestamp(Some(bad), Some("UTC")).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput);
            assert!(error.message().contains(bad), "{error}");
        }
    }

    #[test]
    fn fractional_digits_from_none_to_nine() {
        assert_eq!(at("2025-12-15T08:00", "UTC"), ts("2025-12-15T08:00:00Z"));
        assert_eq!(at("2025-12-15T08:00:00", "UTC"), ts("2025-12-15T08:00:00Z"));
        assert_eq!(
            at("2025-12-15T08:00:00.5", "UTC"),
            ts("2025-12-15T08:00:00.5Z")
        );
        assert_eq!(
            at("2025-12-15T08:00:00.1234567", "UTC"),
            ts("2025-12-15T08:00:00.1234567Z")
        );
        assert_eq!(
            at("2025-12-15T08:00:00.123456789", "UTC"),
            ts("2025-12-15T08:00:00.123456789Z")
        );
    }

    #[test]
    fn an_explicit_offset_wins_over_the_zone() {
        assert_eq!(
            at("2025-12-15T08:00:00-05:00", "Pacific Standard Time"),
            ts("2025-12-15T13:00:00Z")
        );
        assert_eq!(
            at("2025-12-15T08:00:00Z", "Pacific Standard Time"),
            ts("2025-12-15T08:00:00Z")
        );
        // The zone is not consulted, so a custom zone does not stop an explicit instant.
        assert_eq!(
            at(
                "2025-12-15T08:00:00.0000000+01:00",
                "tzone://Microsoft/Custom"
            ),
            ts("2025-12-15T07:00:00Z")
        );
    }

    #[test]
    fn from_timestamp_writes_graphs_form_and_keeps_the_zone_name() {
        let instant = ts("2025-12-15T16:00:00Z");
        assert_eq!(
            from_timestamp(instant, "Pacific Standard Time").unwrap(),
            (
                "2025-12-15T08:00:00.0000000".to_owned(),
                "Pacific Standard Time".to_owned()
            )
        );
        assert_eq!(
            from_timestamp(instant, "pacific standard time").unwrap(),
            (
                "2025-12-15T08:00:00.0000000".to_owned(),
                "pacific standard time".to_owned()
            )
        );
        assert_eq!(
            from_timestamp(instant, "UTC").unwrap().0,
            "2025-12-15T16:00:00.0000000"
        );
        assert_eq!(
            from_timestamp(instant, "Asia/Kathmandu").unwrap().0,
            "2025-12-15T21:45:00.0000000"
        );
        assert_eq!(
            from_timestamp(ts("2025-07-01T15:00:00Z"), "Pacific Standard Time")
                .unwrap()
                .0,
            "2025-07-01T08:00:00.0000000"
        );
        // Digits beyond 100 ns are dropped.
        assert_eq!(
            from_timestamp(ts("2025-12-15T16:00:00.123456789Z"), "UTC")
                .unwrap()
                .0,
            "2025-12-15T16:00:00.1234567"
        );
        assert_eq!(
            from_timestamp(ts("-000001-01-01T00:00:00Z"), "UTC")
                .unwrap()
                .0,
            "-0001-01-01T00:00:00.0000000"
        );
    }

    #[test]
    fn from_timestamp_then_to_timestamp_round_trips() {
        let zones = [
            "Pacific Standard Time",
            "W. Europe Standard Time",
            "India Standard Time",
            "Nepal Standard Time",
            "Chatham Islands Standard Time",
            "Lord Howe Standard Time",
            "UTC",
            "tzone://Microsoft/Utc",
            "America/New_York",
            "Australia/Sydney",
        ];
        let instants = [
            "2025-01-15T12:34:56.1234567Z",
            "2025-03-30T00:30:00Z",
            "2025-03-30T01:30:00Z",
            "2025-07-01T00:00:00Z",
            "2025-10-26T00:30:00Z",
            "2025-11-02T08:30:00Z",
            "2025-12-31T23:59:59.9999999Z",
        ];
        for zone in zones {
            for instant in instants {
                let (date_time, time_zone) = from_timestamp(ts(instant), zone).unwrap();
                assert_eq!(
                    date_time.len(),
                    "2025-12-15T08:00:00.0000000".len(),
                    "{date_time}"
                );
                assert_eq!(time_zone, zone);
                let back = to_timestamp(Some(&date_time), Some(&time_zone)).unwrap();
                // A time in the second pass of a fold reads back as the first pass, an hour
                // earlier (or 30 minutes on Lord Howe Island); everywhere else it is exact.
                let local = resolve_time_zone(zone).unwrap().to_datetime(ts(instant));
                let ambiguous = resolve_time_zone(zone)
                    .unwrap()
                    .to_ambiguous_timestamp(local)
                    .is_ambiguous();
                if ambiguous {
                    assert!(
                        back <= ts(instant),
                        "{zone} {instant} -> {date_time} -> {back}"
                    );
                } else {
                    assert_eq!(back, ts(instant), "{zone} {instant} -> {date_time}");
                }
            }
        }
        // The fold case, explicitly: 2025-11-02T08:30Z is 01:30 PST, the second 01:30 that day.
        let (date_time, _) =
            from_timestamp(ts("2025-11-02T09:30:00Z"), "Pacific Standard Time").unwrap();
        assert_eq!(date_time, "2025-11-02T01:30:00.0000000");
        assert_eq!(
            at(&date_time, "Pacific Standard Time"),
            ts("2025-11-02T08:30:00Z")
        );
    }

    #[test]
    fn renamed_cldr_names_fall_back_to_the_current_name() {
        // A database without the `backward` links, as on Ubuntu without `tzdata-legacy`.
        let without_old_names = |name: &str| {
            if RENAMED.iter().any(|(old, _)| *old == name) {
                TimeZone::get("No/Such_Zone")
            } else {
                TimeZone::get(name)
            }
        };
        let kolkata =
            cldr_zone_in(without_old_names, "India Standard Time", "Asia/Calcutta").unwrap();
        assert_eq!(kolkata.iana_name(), Some("Asia/Kolkata"));
        let kyiv = cldr_zone_in(without_old_names, "FLE Standard Time", "Europe/Kiev").unwrap();
        assert_eq!(kyiv.iana_name(), Some("Europe/Kyiv"));
        let nothing = |_: &str| TimeZone::get("No/Such_Zone");
        let error = cldr_zone_in(nothing, "India Standard Time", "Asia/Calcutta").unwrap_err();
        assert!(
            error.message().contains("\"India Standard Time\""),
            "{error}"
        );
        assert!(error.message().contains("\"Asia/Calcutta\""), "{error}");
    }

    #[test]
    fn every_windows_zone_in_cldr_resolves() {
        let mut seen = std::collections::HashSet::new();
        let mut missing_from_database = Vec::new();
        for &zone in WINDOWS_ZONES {
            assert!(is_listed(zone));
            assert!(seen.insert(zone.name()), "{} listed twice", zone.name());
            let name = zone.name();
            let iana = zone.tzdb_id();
            assert_eq!(windows_to_iana(name), Some(iana), "{name}");
            assert_eq!(windows_to_iana(&name.to_lowercase()), Some(iana), "{name}");
            assert_eq!(windows_to_iana(&name.to_uppercase()), Some(iana), "{name}");
            if TimeZone::get(iana).is_err() {
                missing_from_database.push(iana);
            }
            let resolved = resolve_time_zone(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            // The zone behaves like the one CLDR names (or its current name).
            let expected = TimeZone::get(iana)
                .or_else(|_| TimeZone::get(RENAMED.iter().find(|(old, _)| *old == iana).unwrap().1))
                .unwrap();
            for instant in ["2025-01-15T12:00:00Z", "2025-07-15T12:00:00Z"] {
                assert_eq!(
                    resolved.to_offset(ts(instant)),
                    expected.to_offset(ts(instant)),
                    "{name}"
                );
            }
            // And a whole dateTimeTimeZone converts.
            to_timestamp(Some("2025-06-01T09:00:00.0000000"), Some(name))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert_eq!(WINDOWS_ZONES.len(), 139);
        assert!(
            RENAMED
                .iter()
                .all(|(old, _)| WINDOWS_ZONES.iter().any(|zone| zone.tzdb_id() == *old))
        );
        if !missing_from_database.is_empty() {
            eprintln!(
                "CLDR names missing from this time-zone database (resolved via RENAMED): {missing_from_database:?}"
            );
        }
    }
}
