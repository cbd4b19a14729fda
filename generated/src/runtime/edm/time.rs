//! Hand-written runtime (not generated): dates, times and durations (`Edm.DateTimeOffset`,
//! `Edm.Date`, `Edm.TimeOfDay`, `Edm.Duration`), and the strict parser they share with the
//! `timezone` module.

use jiff::civil;
use jiff::tz::Offset;

use super::text::{invalid, text_type};
use crate::runtime::error::Error;

/// An `Edm.DateTimeOffset`: an instant with a UTC offset, as Graph writes it
/// (`2019-03-14T05:35:57.755Z`, up to 7 fractional digits, or `2024-12-20T10:00:00-05:00`).
///
/// The wire text is kept as received; [`to_timestamp`](Self::to_timestamp) parses it. Parsing
/// follows the OData grammar: `YYYY-MM-DDTHH:MM[:SS[.fffffffff]]` followed by `Z` or `±HH:MM`,
/// with at most 9 fractional digits (nanoseconds).
///
/// ```
/// use msgraph_work::edm::DateTimeOffset;
///
/// let created: DateTimeOffset = serde_json::from_str(r#""2019-03-14T05:35:57.7550000Z""#).unwrap();
/// assert_eq!(created.as_str(), "2019-03-14T05:35:57.7550000Z");
/// assert_eq!(created.to_timestamp().unwrap().to_string(), "2019-03-14T05:35:57.755Z");
///
/// // Written from a timestamp: RFC 3339 in UTC, with only the fractional digits needed.
/// let now = DateTimeOffset::from("2024-12-20T15:00:00Z".parse::<jiff::Timestamp>().unwrap());
/// assert_eq!(serde_json::to_string(&now).unwrap(), r#""2024-12-20T15:00:00Z""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTimeOffset(Box<str>);

/// An `Edm.Date`: a calendar date without time or zone (`2025-12-11`).
///
/// The wire text is kept as received; [`to_date`](Self::to_date) parses it (`YYYY-MM-DD`).
///
/// ```
/// use msgraph_work::edm::Date;
///
/// let day: Date = serde_json::from_str(r#""2025-12-11""#).unwrap();
/// assert_eq!(day.to_date().unwrap(), jiff::civil::date(2025, 12, 11));
/// assert_eq!(Date::from(jiff::civil::date(2025, 1, 2)).as_str(), "2025-01-02");
/// assert!("2025-02-30".parse::<Date>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Date(Box<str>);

/// An `Edm.TimeOfDay`: a wall-clock time without date or zone (`09:00:00`,
/// `09:00:00.0000000`).
///
/// The wire text is kept as received; [`to_time`](Self::to_time) parses it
/// (`HH:MM[:SS[.fffffffff]]`, at most 9 fractional digits).
///
/// ```
/// use msgraph_work::edm::TimeOfDay;
///
/// let start: TimeOfDay = serde_json::from_str(r#""09:30:00.0000000""#).unwrap();
/// assert_eq!(start.to_time().unwrap(), jiff::civil::time(9, 30, 0, 0));
/// assert_eq!(serde_json::to_string(&start).unwrap(), r#""09:30:00.0000000""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeOfDay(Box<str>);

/// An `Edm.Duration`: an ISO 8601 duration (`PT1H30M`, `P1D`, `-P2DT3H`).
///
/// The wire text is kept as received; [`to_span`](Self::to_span) parses it into a
/// [`jiff::Span`] (which keeps the units as written, including days, weeks, months and years),
/// and [`to_std`](Self::to_std) gives a [`std::time::Duration`] for spans without years or
/// months.
///
/// ```
/// use msgraph_work::edm::Duration;
///
/// let break_length: Duration = serde_json::from_str(r#""PT1H30M""#).unwrap();
/// assert_eq!(break_length.to_std().unwrap(), std::time::Duration::from_secs(90 * 60));
/// assert_eq!(Duration::from(jiff::Span::new().days(1)).as_str(), "P1D");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Duration(Box<str>);

text_type!(DateTimeOffset, "Edm.DateTimeOffset", |text| {
    parse_date_time_offset(text).map(drop)
});
text_type!(Date, "Edm.Date", |text| parse_date(text).map(drop));
text_type!(TimeOfDay, "Edm.TimeOfDay", |text| parse_time_of_day(text)
    .map(drop));
text_type!(Duration, "Edm.Duration", |text| parse_duration(text)
    .map(drop));

impl DateTimeOffset {
    /// The instant this value denotes.
    ///
    /// Fails when the text is not an OData `DateTimeOffset` (for example a placeholder such as
    /// `"datetime-value"`, a value without `Z` or offset, or more than 9 fractional digits).
    pub fn to_timestamp(&self) -> Result<jiff::Timestamp, Error> {
        parse_date_time_offset(&self.0)
    }
}

impl From<jiff::Timestamp> for DateTimeOffset {
    /// Writes RFC 3339 in UTC with `Z` and only the fractional digits needed
    /// (`2019-03-14T05:35:57.755Z`).
    fn from(timestamp: jiff::Timestamp) -> Self {
        DateTimeOffset(timestamp.to_string().into_boxed_str())
    }
}

impl Date {
    /// The calendar date this value denotes. Fails when the text is not `YYYY-MM-DD` or names a
    /// day that does not exist.
    pub fn to_date(&self) -> Result<civil::Date, Error> {
        parse_date(&self.0)
    }
}

impl From<civil::Date> for Date {
    /// Writes `YYYY-MM-DD`.
    fn from(date: civil::Date) -> Self {
        Date(date.to_string().into_boxed_str())
    }
}

impl TimeOfDay {
    /// The wall-clock time this value denotes. Fails when the text is not
    /// `HH:MM[:SS[.fffffffff]]`.
    pub fn to_time(&self) -> Result<civil::Time, Error> {
        parse_time_of_day(&self.0)
    }
}

impl From<civil::Time> for TimeOfDay {
    /// Writes `HH:MM:SS`, with only the fractional digits needed (`09:00:00`, `09:00:00.5`).
    fn from(time: civil::Time) -> Self {
        TimeOfDay(time.to_string().into_boxed_str())
    }
}

impl Duration {
    /// The duration as a [`jiff::Span`], with the units as written (`P1D` is one day, not 24
    /// hours). Fails when the text is not an ISO 8601 duration.
    pub fn to_span(&self) -> Result<jiff::Span, Error> {
        parse_duration(&self.0)
    }

    /// The duration as a [`std::time::Duration`]. Days count as 24 hours and weeks as 7 days.
    ///
    /// Fails when the text does not parse, when it has years or months (which have no fixed
    /// length), or when it is negative.
    pub fn to_std(&self) -> Result<std::time::Duration, Error> {
        let span = self.to_span()?;
        let signed = span.to_duration(jiff::SpanRelativeTo::days_are_24_hours()).map_err(|e| {
            Error::invalid_input(format!(
                "Edm.Duration {:?} has no fixed length (years or months need a start date): {e}",
                &*self.0
            ))
        })?;
        std::time::Duration::try_from(signed).map_err(|_| {
            Error::invalid_input(format!(
                "Edm.Duration {:?} is negative and cannot be a std::time::Duration",
                &*self.0
            ))
        })
    }
}

impl From<jiff::Span> for Duration {
    /// Writes the ISO 8601 form with the span's units (`PT1H30M`, `P1D`, `-P2DT3H`).
    fn from(span: jiff::Span) -> Self {
        Duration(span.to_string().into_boxed_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Parsers
// ---------------------------------------------------------------------------------------------

fn parse_date_time_offset(text: &str) -> Result<jiff::Timestamp, Error> {
    let bad = |reason| invalid("Edm.DateTimeOffset", text, reason);
    let (date_time, offset) = parse_date_time(text).map_err(bad)?;
    let offset =
        offset.ok_or_else(|| bad("expected `Z` or an offset such as `+01:00` after the time"))?;
    offset
        .to_timestamp(date_time)
        .map_err(|_| bad("out of range"))
}

fn parse_date(text: &str) -> Result<civil::Date, Error> {
    let mut r = Reader::new(text);
    read_date(&mut r)
        .and_then(|date| r.finish().map(|()| date))
        .map_err(|reason| invalid("Edm.Date", text, reason))
}

fn parse_time_of_day(text: &str) -> Result<civil::Time, Error> {
    let mut r = Reader::new(text);
    read_time(&mut r)
        .and_then(|time| r.finish().map(|()| time))
        .map_err(|reason| invalid("Edm.TimeOfDay", text, reason))
}

fn parse_duration(text: &str) -> Result<jiff::Span, Error> {
    // The ISO 8601 parser only; `Span::from_str` would also take jiff's "friendly" `1h 30m`.
    static PARSER: jiff::fmt::temporal::SpanParser = jiff::fmt::temporal::SpanParser::new();
    PARSER
        .parse_span(text)
        .map_err(|e| invalid("Edm.Duration", text, e))
}

/// Parses `YYYY-MM-DDTHH:MM[:SS[.f{1,9}]]` with an optional `Z` or `±HH:MM`, strictly (no
/// space separator, no basic format, no bracketed annotations). Also used by the `timezone`
/// module for Graph's `dateTimeTimeZone.dateTime`.
pub(crate) fn parse_date_time(
    text: &str,
) -> Result<(civil::DateTime, Option<Offset>), &'static str> {
    let mut r = Reader::new(text);
    let date = read_date(&mut r)?;
    if !(r.eat(b'T') || r.eat(b't')) {
        return Err("expected `T` between the date and the time");
    }
    let time = read_time(&mut r)?;
    let offset = read_offset(&mut r)?;
    r.finish()?;
    Ok((civil::DateTime::from_parts(date, time), offset))
}

/// A cursor over the ASCII bytes of a date/time literal.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.pos) == Some(&byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), &'static str> {
        if self.eat(byte) { Ok(()) } else { Err(reason) }
    }

    /// The run of ASCII digits at the cursor (possibly empty), consumed.
    fn digit_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    /// Exactly two digits.
    fn two_digits(&mut self, reason: &'static str) -> Result<i8, &'static str> {
        match self.bytes.get(self.pos..self.pos + 2) {
            Some([a @ b'0'..=b'9', b @ b'0'..=b'9']) => {
                self.pos += 2;
                Ok(((a - b'0') * 10 + (b - b'0')) as i8)
            }
            _ => Err(reason),
        }
    }

    fn finish(&self) -> Result<(), &'static str> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err("unexpected text after the value")
        }
    }
}

fn number(digits: &[u8]) -> i64 {
    digits
        .iter()
        .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'))
}

/// `YYYY-MM-DD`, also `-YYYY` and the ISO 8601 expanded `±YYYYYY` that jiff writes for years
/// outside 0000–9999.
fn read_date(r: &mut Reader<'_>) -> Result<civil::Date, &'static str> {
    let negative = r.eat(b'-');
    let signed = negative || r.eat(b'+');
    let year = r.digit_run();
    if !(year.len() == 4 || (signed && year.len() == 6)) {
        return Err("expected a date `YYYY-MM-DD`");
    }
    let year = if negative {
        -number(year)
    } else {
        number(year)
    };
    r.expect(b'-', "expected a date `YYYY-MM-DD`")?;
    let month = r.two_digits("expected a two-digit month")?;
    r.expect(b'-', "expected a date `YYYY-MM-DD`")?;
    let day = r.two_digits("expected a two-digit day")?;
    let year = i16::try_from(year).map_err(|_| "year out of range")?;
    civil::Date::new(year, month, day).map_err(|_| "no such date")
}

/// `HH:MM[:SS[.f{1,9}]]`.
fn read_time(r: &mut Reader<'_>) -> Result<civil::Time, &'static str> {
    let hour = r.two_digits("expected a time `HH:MM:SS`")?;
    r.expect(b':', "expected a time `HH:MM:SS`")?;
    let minute = r.two_digits("expected two-digit minutes")?;
    let (mut second, mut nanos) = (0, 0);
    if r.eat(b':') {
        second = r.two_digits("expected two-digit seconds")?;
        if r.eat(b'.') {
            let fraction = r.digit_run();
            if fraction.is_empty() || fraction.len() > 9 {
                return Err("expected 1 to 9 fractional digits");
            }
            nanos = number(fraction) * 10i64.pow(9 - fraction.len() as u32);
        }
    }
    civil::Time::new(hour, minute, second, nanos as i32)
        .map_err(|_| "hour, minute or second out of range")
}

/// Nothing, `Z`, or `±HH:MM`.
fn read_offset(r: &mut Reader<'_>) -> Result<Option<Offset>, &'static str> {
    if r.eat(b'Z') || r.eat(b'z') {
        return Ok(Some(Offset::UTC));
    }
    let sign = if r.eat(b'+') {
        1
    } else if r.eat(b'-') {
        -1
    } else {
        return Ok(None);
    };
    let hours = r.two_digits("expected an offset `±HH:MM`")?;
    r.expect(b':', "expected an offset `±HH:MM`")?;
    let minutes = r.two_digits("expected an offset `±HH:MM`")?;
    if hours > 23 || minutes > 59 {
        return Err("offset out of range");
    }
    let seconds = sign * (i32::from(hours) * 3600 + i32::from(minutes) * 60);
    Offset::from_seconds(seconds)
        .map(Some)
        .map_err(|_| "offset out of range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::edm::tests::round_trip;

    fn ts(text: &str) -> jiff::Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn date_time_offsets_round_trip_exactly() {
        for json in [
            r#""2019-03-14T05:35:57.755Z""#,
            r#""2019-03-14T05:35:57.7550000Z""#,
            r#""2024-12-20T10:00:00-05:00""#,
            r#""2024-12-20T10:00:00+05:30""#,
            r#""2012-12-03T07:16Z""#,
            r#""datetime-value""#,
            r#""""#,
            r#""2019-03-14T05:35:57.755Z\u0000""#,
            r#""caf\u00e9""#,
        ] {
            round_trip::<DateTimeOffset>(json);
        }
    }

    #[test]
    fn date_time_offsets_parse_lazily() {
        let seven: DateTimeOffset = round_trip(r#""2019-03-14T05:35:57.1234567Z""#);
        assert_eq!(
            seven.to_timestamp().unwrap(),
            ts("2019-03-14T05:35:57.1234567Z")
        );
        let nine: DateTimeOffset = "2019-03-14T05:35:57.123456789Z".parse().unwrap();
        assert_eq!(
            nine.to_timestamp().unwrap().subsec_nanosecond(),
            123_456_789
        );
        let offset: DateTimeOffset = round_trip(r#""2024-12-20T10:00:00-05:00""#);
        assert_eq!(offset.to_timestamp().unwrap(), ts("2024-12-20T15:00:00Z"));
        let no_seconds: DateTimeOffset = round_trip(r#""2012-12-03T07:16+01:00""#);
        assert_eq!(
            no_seconds.to_timestamp().unwrap(),
            ts("2012-12-03T06:16:00Z")
        );
        let lower: DateTimeOffset = "2012-12-03t07:16:00z".parse().unwrap();
        assert_eq!(lower.to_timestamp().unwrap(), ts("2012-12-03T07:16:00Z"));

        let placeholder: DateTimeOffset = round_trip(r#""datetime-value""#);
        let error = placeholder.to_timestamp().unwrap_err();
        assert_eq!(error.kind(), crate::runtime::error::ErrorKind::InvalidInput);
        assert!(error.message().contains("datetime-value"), "{error}");
    }

    #[test]
    fn date_time_offset_parse_validates() {
        for bad in [
            "datetime-value",
            "",
            "2019-03-14",
            "2019-03-14T05:35:57",
            "2019-03-14T05:35:57.755",
            "2019-03-14 05:35:57Z",
            "2019-03-14T05:35:57.1234567890Z",
            "2019-03-14T05:35:57.Z",
            "2019-03-14T05:35:60Z",
            "2019-03-14T24:00:00Z",
            "2019-02-29T00:00:00Z",
            "2019-03-14T05:35:57+0100",
            "2019-03-14T05:35:57+01",
            "2019-03-14T05:35:57Z[Europe/Paris]",
            "20190314T053557Z",
            " 2019-03-14T05:35:57Z",
            "2019-03-14T05:35:57Z ",
        ] {
            let error = bad.parse::<DateTimeOffset>().unwrap_err();
            assert_eq!(
                error.kind(),
                crate::runtime::error::ErrorKind::InvalidInput,
                "{bad}"
            );
            assert!(error.message().contains("Edm.DateTimeOffset"), "{error}");
        }
        let ok: DateTimeOffset = "2024-02-29T23:59:59.9999999+14:00".parse().unwrap();
        assert_eq!(ok.as_str(), "2024-02-29T23:59:59.9999999+14:00");
        assert_eq!(ok.to_string(), "2024-02-29T23:59:59.9999999+14:00");
    }

    #[test]
    fn date_time_offset_from_timestamp() {
        let cases = [
            ("2019-03-14T05:35:57.755Z", "2019-03-14T05:35:57.755Z"),
            ("2019-03-14T05:35:57.7550000Z", "2019-03-14T05:35:57.755Z"),
            ("2024-12-20T10:00:00-05:00", "2024-12-20T15:00:00Z"),
            (
                "2024-12-20T10:00:00.000000001Z",
                "2024-12-20T10:00:00.000000001Z",
            ),
        ];
        for (input, written) in cases {
            let value = DateTimeOffset::from(ts(input));
            assert_eq!(value.as_str(), written);
            assert_eq!(value.to_timestamp().unwrap(), ts(input));
        }
        for extreme in [
            jiff::Timestamp::MIN,
            jiff::Timestamp::MAX,
            jiff::Timestamp::UNIX_EPOCH,
        ] {
            assert_eq!(
                DateTimeOffset::from(extreme).to_timestamp().unwrap(),
                extreme
            );
        }
    }

    #[test]
    fn dates() {
        let day: Date = round_trip(r#""2025-12-11""#);
        assert_eq!(day.to_date().unwrap(), civil::date(2025, 12, 11));
        assert_eq!(Date::from(civil::date(2025, 1, 2)).as_str(), "2025-01-02");
        assert_eq!(
            Date::from(civil::date(-1, 1, 2)).to_date().unwrap(),
            civil::date(-1, 1, 2)
        );
        let placeholder: Date = round_trip(r#""date-value""#);
        assert!(placeholder.to_date().is_err());
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-12-1",
            "20251211",
            "2025-12-11T00:00:00",
            "2025-12-11Z",
            "",
        ] {
            let error = bad.parse::<Date>().unwrap_err();
            assert!(error.message().contains("Edm.Date"), "{error}");
        }
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn times_of_day() {
        let seven: TimeOfDay = round_trip(r#""09:00:00.0000000""#);
        assert_eq!(seven.to_time().unwrap(), civil::time(9, 0, 0, 0));
        let plain: TimeOfDay = round_trip(r#""17:30:00""#);
        assert_eq!(plain.to_time().unwrap(), civil::time(17, 30, 0, 0));
        let short: TimeOfDay = "08:15".parse().unwrap();
        assert_eq!(short.to_time().unwrap(), civil::time(8, 15, 0, 0));
        let fraction: TimeOfDay = "23:59:59.1234567".parse().unwrap();
        assert_eq!(
            fraction.to_time().unwrap(),
            civil::time(23, 59, 59, 123_456_700)
        );
        assert_eq!(
            TimeOfDay::from(civil::time(9, 0, 0, 0)).as_str(),
            "09:00:00"
        );
        assert_eq!(
            TimeOfDay::from(civil::time(9, 0, 0, 500_000_000)).as_str(),
            "09:00:00.5"
        );
        for bad in [
            "9:00:00",
            "0900",
            "T09:00",
            "24:00:00",
            "09:60:00",
            "09:00:00.",
            "09:00:00Z",
            "09:00:00.1234567890",
            "time-value",
        ] {
            let error = bad.parse::<TimeOfDay>().unwrap_err();
            assert!(error.message().contains("Edm.TimeOfDay"), "{error}");
        }
        let placeholder: TimeOfDay = round_trip(r#""time-value""#);
        assert!(placeholder.to_time().is_err());
    }

    #[test]
    fn durations() {
        let hour_and_a_half: Duration = round_trip(r#""PT1H30M""#);
        assert_eq!(
            hour_and_a_half.to_span().unwrap().fieldwise(),
            jiff::Span::new().hours(1).minutes(30)
        );
        assert_eq!(
            hour_and_a_half.to_std().unwrap(),
            std::time::Duration::from_secs(5400)
        );
        let day: Duration = round_trip(r#""P1D""#);
        assert_eq!(day.to_span().unwrap().get_days(), 1);
        assert_eq!(
            day.to_std().unwrap(),
            std::time::Duration::from_secs(86_400)
        );
        let week: Duration = "P1W".parse().unwrap();
        assert_eq!(
            week.to_std().unwrap(),
            std::time::Duration::from_secs(7 * 86_400)
        );
        let negative: Duration = round_trip(r#""-P2DT3H""#);
        let span = negative.to_span().unwrap();
        assert_eq!(
            (span.signum(), span.get_days(), span.get_hours()),
            (-1, -2, -3)
        );
        assert!(
            negative
                .to_std()
                .unwrap_err()
                .message()
                .contains("negative")
        );
        let fraction: Duration = round_trip(r#""PT0.5S""#);
        assert_eq!(
            fraction.to_std().unwrap(),
            std::time::Duration::from_millis(500)
        );
        let year: Duration = round_trip(r#""P1Y""#);
        assert_eq!(year.to_span().unwrap().get_years(), 1);
        assert!(year.to_std().is_err());
        let placeholder: Duration = round_trip(r#""duration-value""#);
        assert!(placeholder.to_span().is_err());

        assert_eq!(
            Duration::from(jiff::Span::new().hours(1).minutes(30)).as_str(),
            "PT1H30M"
        );
        assert_eq!(
            Duration::from(jiff::Span::new().days(-2).hours(-3)).as_str(),
            "-P2DT3H"
        );
        assert_eq!(Duration::from(jiff::Span::new()).as_str(), "PT0S");
        for bad in ["", "P", "PT", "1h 30m", "1h", "PT1H30", "duration-value"] {
            let error = bad.parse::<Duration>().unwrap_err();
            assert!(error.message().contains("Edm.Duration"), "{error}");
        }
    }

    #[test]
    fn local_date_times_for_the_timezone_module() {
        let (dt, offset) = parse_date_time("2025-12-15T00:00:00.0000000").unwrap();
        assert_eq!(
            (dt, offset),
            (civil::date(2025, 12, 15).at(0, 0, 0, 0), None)
        );
        let (dt, offset) = parse_date_time("2025-12-15T08:30").unwrap();
        assert_eq!(
            (dt, offset),
            (civil::date(2025, 12, 15).at(8, 30, 0, 0), None)
        );
        let (_, offset) = parse_date_time("2025-12-15T00:00:00-08:00").unwrap();
        assert_eq!(offset, Some(Offset::from_hours(-8).unwrap()));
        assert!(parse_date_time("2025-12-15").is_err());
    }
}
