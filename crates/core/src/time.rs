//! Durations are integer seconds. Rounding time is a billing policy applied
//! when time becomes an invoice line; the raw entry is never rewritten.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};

pub const SECONDS_PER_HOUR: i64 = 3600;

/// How billed time is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum RoundingMode {
    #[default]
    None,
    Up,
    Down,
    Nearest,
}

impl RoundingMode {
    pub fn as_str(&self) -> &'static str {
        match self {
            RoundingMode::None => "none",
            RoundingMode::Up => "up",
            RoundingMode::Down => "down",
            RoundingMode::Nearest => "nearest",
        }
    }
}

impl FromStr for RoundingMode {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(RoundingMode::None),
            "up" => Ok(RoundingMode::Up),
            "down" => Ok(RoundingMode::Down),
            "nearest" => Ok(RoundingMode::Nearest),
            other => Err(CoreError::invalid(
                "rounding",
                format!("'{other}' is not a rounding mode; use none, up, down or nearest"),
            )),
        }
    }
}

/// A time rounding policy: a mode and an interval in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RoundingPolicy {
    pub mode: RoundingMode,
    pub interval_minutes: u32,
}

impl RoundingPolicy {
    pub const NONE: RoundingPolicy = RoundingPolicy { mode: RoundingMode::None, interval_minutes: 0 };

    pub fn new(mode: RoundingMode, interval_minutes: u32) -> CoreResult<RoundingPolicy> {
        if mode != RoundingMode::None && !(1..=1440).contains(&interval_minutes) {
            return Err(CoreError::invalid(
                "rounding_interval",
                format!("must be between 1 and 1440 minutes, got {interval_minutes}"),
            ));
        }
        let interval_minutes = if mode == RoundingMode::None { 0 } else { interval_minutes };
        Ok(RoundingPolicy { mode, interval_minutes })
    }

    /// Parses "none", "up:15", "nearest:6", "down:30".
    pub fn parse(text: &str) -> CoreResult<RoundingPolicy> {
        let t = text.trim();
        let (mode, interval) = match t.split_once(':') {
            Some((m, i)) => {
                let minutes = i.trim().parse::<u32>().map_err(|_| {
                    CoreError::invalid(
                        "rounding",
                        format!("'{t}': the interval after ':' must be whole minutes, e.g. up:15"),
                    )
                })?;
                (m.parse::<RoundingMode>()?, minutes)
            }
            None => {
                let mode = t.parse::<RoundingMode>()?;
                if mode != RoundingMode::None {
                    return Err(CoreError::invalid(
                        "rounding",
                        format!("'{t}' needs an interval in minutes, e.g. {t}:15"),
                    ));
                }
                (mode, 0)
            }
        };
        RoundingPolicy::new(mode, interval).map_err(|e| match e {
            CoreError::Invalid { message, .. } => CoreError::invalid("rounding", message),
            other => other,
        })
    }

    /// The billed duration for a raw duration. Zero stays zero; with rounding
    /// up, any started interval counts in full.
    pub fn apply(&self, seconds: i64) -> i64 {
        if self.mode == RoundingMode::None || self.interval_minutes == 0 || seconds <= 0 {
            return seconds.max(0);
        }
        let step = i64::from(self.interval_minutes) * 60;
        let whole = seconds / step;
        let rest = seconds % step;
        let intervals = match self.mode {
            RoundingMode::None => return seconds,
            RoundingMode::Up => whole + i64::from(rest > 0),
            RoundingMode::Down => whole,
            RoundingMode::Nearest => whole + i64::from(rest * 2 >= step),
        };
        // Past the largest duration there is, the last whole interval.
        intervals.checked_mul(step).unwrap_or(i64::MAX / step * step)
    }
}

impl fmt::Display for RoundingPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mode {
            RoundingMode::None => f.write_str("none"),
            m => write!(f, "{}:{}", m.as_str(), self.interval_minutes),
        }
    }
}

/// Hours as an exact decimal (3.75 for 3h45m). For durations that are not a
/// whole number of hundredths of an hour the result carries more digits; it
/// is never rounded here.
pub fn seconds_to_hours(seconds: i64) -> Decimal {
    (Decimal::from(seconds) / Decimal::from(SECONDS_PER_HOUR)).normalize()
}

/// Hours rounded for display (two decimals, half away from zero).
///
/// Hundredths of an hour are 36 seconds, so this is whole-number arithmetic:
/// `seconds / 36` rounded half away from zero — the same as dividing by 3,600
/// in decimals and rounding (a test compares the two), without a decimal
/// division for every entry of a long list.
pub fn display_hours(seconds: i64) -> Decimal {
    let hundredths = i128::from(seconds);
    let rounded = (hundredths.abs() + 18) / 36 * hundredths.signum();
    Decimal::from_i128_with_scale(rounded, 2)
}

/// Hours and minutes, as billed time is shown beside its rate so that the
/// amount visibly follows (`1:20` × 150.00 = 200.00, where `1.33` would not):
/// `8:30`, `0:05`, `12:00`; seconds round to the nearest minute.
pub fn hours_minutes(seconds: i64) -> String {
    let minutes = (seconds.abs() + 30) / 60;
    let sign = if seconds < 0 && minutes > 0 { "-" } else { "" };
    format!("{sign}{}:{:02}", minutes / 60, minutes % 60)
}

/// Parses a duration the user typed: decimal hours ("2.5"), hours and
/// minutes ("2:30", "1h20m", "1h 20m", "45m", "3h").
pub fn parse_duration(field: &str, text: &str) -> CoreResult<i64> {
    let t = text.trim().to_ascii_lowercase();
    let bad =
        || CoreError::invalid(field, format!("'{}' is not a duration; use hours like 2.5, 2:30 or 1h20m", text.trim()));
    if t.is_empty() {
        return Err(bad());
    }
    let seconds = if let Some((h, m)) = t.split_once(':') {
        let h: i64 = h.parse().map_err(|_| bad())?;
        let m: i64 = m.parse().map_err(|_| bad())?;
        if !(0..60).contains(&m) || !(0..=1_000_000).contains(&h) {
            return Err(bad());
        }
        h * 3600 + m * 60
    } else if t.ends_with('h') || t.ends_with('m') || t.ends_with('s') {
        let mut total: i64 = 0;
        let mut num = String::new();
        let mut seen_unit = false;
        for c in t.chars() {
            match c {
                '0'..='9' => num.push(c),
                ' ' => {}
                'h' | 'm' | 's' => {
                    let n: i64 = num.parse().map_err(|_| bad())?;
                    num.clear();
                    seen_unit = true;
                    let unit = match c {
                        'h' => 3600,
                        'm' => 60,
                        _ => 1,
                    };
                    total = n.checked_mul(unit).and_then(|v| total.checked_add(v)).ok_or_else(bad)?;
                }
                _ => return Err(bad()),
            }
        }
        if !num.is_empty() || !seen_unit {
            return Err(bad());
        }
        total
    } else {
        let hours = crate::money::parse_decimal(field, &t).map_err(|_| bad())?;
        let secs = hours.checked_mul(Decimal::from(SECONDS_PER_HOUR)).ok_or_else(bad)?;
        if secs.fract() != Decimal::ZERO {
            return Err(CoreError::invalid(field, format!("'{}' is not a whole number of seconds", text.trim())));
        }
        i64::try_from(secs).map_err(|_| bad())?
    };
    if seconds <= 0 {
        return Err(CoreError::invalid(field, "must be more than zero"));
    }
    if seconds > 24 * 3600 * 7 {
        return Err(CoreError::invalid(field, "is longer than a week; split it into several entries"));
    }
    Ok(seconds)
}

/// An ISO 8601 week, e.g. 2026-W49: Monday to Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u32,
}

impl IsoWeek {
    /// The week a date falls in.
    pub fn of(date: chrono::NaiveDate) -> IsoWeek {
        use chrono::Datelike;
        let w = date.iso_week();
        IsoWeek { year: w.year(), week: w.week() }
    }

    /// Its Monday.
    pub fn first_day(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_isoywd_opt(self.year, self.week, chrono::Weekday::Mon).expect("a checked ISO week")
    }

    /// Its Sunday.
    pub fn last_day(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_isoywd_opt(self.year, self.week, chrono::Weekday::Sun).expect("a checked ISO week")
    }

    /// Reads `2026-W49` (also `2026W49`, `2026-w49`), or a date
    /// (`2026-12-03`), meaning the week it falls in.
    pub fn parse(field: &str, text: &str) -> CoreResult<IsoWeek> {
        let t = text.trim();
        if let Ok(d) = t.parse::<chrono::NaiveDate>() {
            return Ok(IsoWeek::of(d));
        }
        let bad =
            || CoreError::invalid(field, format!("'{t}' is not a week; write it as 2026-W49 (or give a date in it)"));
        let upper = t.to_ascii_uppercase();
        let (y, w) = upper.split_once('W').ok_or_else(bad)?;
        let y = y.strip_suffix('-').unwrap_or(y);
        let year: i32 = y.parse().map_err(|_| bad())?;
        let week: u32 = w.parse().map_err(|_| bad())?;
        if !(1000..=9999).contains(&year)
            || chrono::NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon).is_none()
        {
            return Err(CoreError::invalid(field, format!("{year} has no week {week}")));
        }
        Ok(IsoWeek { year, week })
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

#[cfg(test)]
mod week_tests {
    use super::IsoWeek;
    use chrono::NaiveDate;

    #[test]
    fn weeks_read_and_print_as_iso_8601() {
        let w = IsoWeek::parse("week", "2026-W49").unwrap();
        assert_eq!(w.to_string(), "2026-W49");
        assert_eq!(w.first_day(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(w.last_day(), NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
        assert_eq!(IsoWeek::parse("week", "2026w49").unwrap(), w);
        assert_eq!(IsoWeek::parse("week", "2026-12-03").unwrap(), w);
        // 2027-01-01 is a Friday: it belongs to the last week of 2026.
        assert_eq!(IsoWeek::parse("week", "2027-01-01").unwrap().to_string(), "2026-W53");
        assert!(IsoWeek::parse("week", "2025-W53").is_err(), "2025 has 52 weeks");
        assert!(IsoWeek::parse("week", "2026-W0").is_err());
        assert!(IsoWeek::parse("week", "last week").is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn seven_minutes_rounded_up_to_fifteen() {
        let p = RoundingPolicy::parse("up:15").unwrap();
        assert_eq!(p.apply(7 * 60), 15 * 60);
        assert_eq!(p.apply(15 * 60), 15 * 60);
        assert_eq!(p.apply(15 * 60 + 1), 30 * 60);
    }

    #[test]
    fn down_and_nearest() {
        let down = RoundingPolicy::parse("down:15").unwrap();
        assert_eq!(down.apply(29 * 60 + 59), 15 * 60);
        let near = RoundingPolicy::parse("nearest:6").unwrap();
        assert_eq!(near.apply(2 * 60 + 59), 0);
        assert_eq!(near.apply(3 * 60), 6 * 60);
        assert_eq!(near.apply(8 * 60 + 59), 6 * 60);
        assert_eq!(RoundingPolicy::NONE.apply(4801), 4801);
    }

    #[test]
    fn policy_parsing_names_the_field() {
        assert_eq!(RoundingPolicy::parse("none").unwrap(), RoundingPolicy::NONE);
        assert_eq!(RoundingPolicy::parse("up:15").unwrap().to_string(), "up:15");
        for bad in ["up", "sideways:5", "up:0", "up:x", "nearest:2000"] {
            assert_eq!(RoundingPolicy::parse(bad).unwrap_err().field(), Some("rounding"), "{bad}");
        }
    }

    #[test]
    fn hours_and_minutes_round_to_the_minute() {
        assert_eq!(hours_minutes(4800), "1:20");
        assert_eq!(hours_minutes(30_600), "8:30");
        assert_eq!(hours_minutes(300), "0:05");
        assert_eq!(hours_minutes(29), "0:00");
        assert_eq!(hours_minutes(30), "0:01");
        assert_eq!(hours_minutes(-5400), "-1:30");
        assert_eq!(hours_minutes(43_200), "12:00");
    }

    #[test]
    fn hours_are_exact() {
        assert_eq!(seconds_to_hours(3 * 3600 + 45 * 60), dec!(3.75));
        assert_eq!(display_hours(4800).to_string(), "1.33");
        assert_eq!(display_hours(9000).to_string(), "2.50");
    }

    #[test]
    fn durations_parse_in_the_forms_people_type() {
        assert_eq!(parse_duration("hours", "2.5").unwrap(), 9000);
        assert_eq!(parse_duration("hours", "1:20").unwrap(), 4800);
        assert_eq!(parse_duration("hours", "1h20m").unwrap(), 4800);
        assert_eq!(parse_duration("hours", "1h 20m").unwrap(), 4800);
        assert_eq!(parse_duration("hours", "45m").unwrap(), 2700);
        for bad in
            ["", "0", "-1", "abc", "1:75", "h", "2.5x", "1000", "99999999999999999:00", "9999999999999999h", "1e3"]
        {
            assert_eq!(parse_duration("hours", bad).unwrap_err().field(), Some("hours"), "{bad}");
        }
    }
}
