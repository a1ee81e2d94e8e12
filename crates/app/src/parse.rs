//! Reading what a person typed. Every failure names the field.

use billable_core::money::parse_decimal;
use billable_core::rates::validate_rate;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use rust_decimal::Decimal;

use crate::clock::Clock;
use crate::error::{AppError, AppResult};

/// A date as `YYYY-MM-DD` (or `today`).
pub fn date(field: &str, text: &str, clock: &dyn Clock) -> AppResult<NaiveDate> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("today") {
        return Ok(clock.today());
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .filter(in_calendar)
        .ok_or_else(|| AppError::invalid(field, format!("'{t}' is not a date; use YYYY-MM-DD, e.g. 2026-03-31")))
}

/// Years 1 to 9999: what YYYY writes. Dates near the ends of the calendar
/// (chrono reads years up to ±262142) would overflow the arithmetic on them
/// (time zones, due dates, entry ends).
fn in_calendar(d: &NaiveDate) -> bool {
    (1..=9999).contains(&d.year())
}

pub fn date_opt(field: &str, text: Option<&str>, clock: &dyn Clock) -> AppResult<Option<NaiveDate>> {
    text.map(|t| date(field, t, clock)).transpose()
}

/// A local date and time (`2026-03-31T09:00`, `2026-03-31 09:00:30`), a
/// time today (`09:00`), or an RFC 3339 instant with its offset.
pub fn datetime(field: &str, text: &str, clock: &dyn Clock) -> AppResult<DateTime<Utc>> {
    let t = text.trim();
    let at = datetime_any(t, clock);
    // chrono reads a second 60 as a leap second lasting two, so durations
    // across it would not add up: a time has 0 to 59 seconds.
    if at.is_some_and(|(_, leap)| leap) {
        return Err(AppError::invalid(field, format!("'{t}' has a 60th second; use :59 or the next minute")));
    }
    at.map(|(at, _)| at).ok_or_else(|| {
        AppError::invalid(field, format!("'{t}' is not a date and time; use YYYY-MM-DDTHH:MM, e.g. 2026-03-31T09:00"))
    })
}

/// The instant typed, and whether it had a 60th second.
fn datetime_any(t: &str, clock: &dyn Clock) -> Option<(DateTime<Utc>, bool)> {
    let leap = |nanos: u32| nanos >= 1_000_000_000;
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        if in_calendar(&dt.date_naive()) {
            return Some((dt.with_timezone(&Utc), leap(dt.nanosecond())));
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(t, fmt) {
            if in_calendar(&local.date()) {
                return Some((clock.local_to_utc(local), leap(local.nanosecond())));
            }
        }
    }
    for fmt in ["%H:%M:%S", "%H:%M"] {
        if let Ok(time) = NaiveTime::parse_from_str(t, fmt) {
            return Some((clock.local_to_utc(clock.today().and_time(time)), leap(time.nanosecond())));
        }
    }
    None
}

/// An optional rate: empty text clears it.
pub fn rate_opt(field: &str, text: &str) -> AppResult<Option<Decimal>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    Ok(Some(validate_rate(field, parse_decimal(field, t)?)?))
}

/// A required rate.
pub fn rate(field: &str, text: &str) -> AppResult<Decimal> {
    Ok(validate_rate(field, parse_decimal(field, text)?)?)
}

/// A whole number of days for payment terms.
pub fn days(field: &str, text: &str) -> AppResult<Option<u32>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(n) if n <= 3650 => Ok(Some(n)),
        _ => Err(AppError::invalid(field, format!("'{t}' is not a number of days from 0 to 3650"))),
    }
}

/// Trims text fields; control characters other than newlines and tabs are
/// refused so nothing invisible ends up on an invoice.
pub fn text(field: &str, value: &str) -> AppResult<String> {
    checked_text(field, value).map(str::to_string)
}

/// [`text`] without the copy: the trimmed text, or why it is refused.
pub fn checked_text<'a>(field: &str, value: &'a str) -> AppResult<&'a str> {
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(AppError::invalid(field, "contains control characters"));
    }
    if value.len() > 10_000 && value.chars().count() > 10_000 {
        return Err(AppError::invalid(field, "is longer than 10,000 characters"));
    }
    Ok(value.trim())
}
