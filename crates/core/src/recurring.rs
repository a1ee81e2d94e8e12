//! Recurring invoices: the schedule of a profile (frequency × interval from a
//! start date, up to an end date or a number of cycles), the periods it
//! covers, which are due on a given day, and the period placeholders filled
//! into line text per cycle.
//!
//! Dates are anchored on the start date, never chained: a monthly profile
//! started on Jan 31 falls on Feb 28 (29 in a leap year), Mar 31, Apr 30…
//! because cycle n is `start + n × interval` months (chrono's
//! `checked_add_months` clamps to the month's last day).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::money::Currency;
use crate::tax::{Pricing, TaxMode, TaxRate};
use crate::totals::Discount;

/// How often a profile repeats (times its interval).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
    pub fn as_str(&self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Yearly => "yearly",
        }
    }

    /// Months per step (weekly is counted in days instead).
    fn months(&self) -> u32 {
        match self {
            Frequency::Weekly => 0,
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::Yearly => 12,
        }
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Frequency {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "weekly" | "week" => Ok(Frequency::Weekly),
            "monthly" | "month" => Ok(Frequency::Monthly),
            "quarterly" | "quarter" => Ok(Frequency::Quarterly),
            "yearly" | "year" | "annually" => Ok(Frequency::Yearly),
            other => Err(CoreError::invalid(
                "frequency",
                format!("'{other}' is not a frequency; use weekly, monthly, quarterly or yearly"),
            )),
        }
    }
}

/// What happens to an invoice when its cycle comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum SendMode {
    /// Generate a draft for the user to review and send.
    #[default]
    Draft,
    /// Issue it and send it by email through the outbox.
    Send,
}

impl SendMode {
    pub fn as_str(&self) -> &'static str {
        match self {
            SendMode::Draft => "draft",
            SendMode::Send => "send",
        }
    }
}

impl fmt::Display for SendMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SendMode {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "draft" | "drafts" => Ok(SendMode::Draft),
            "send" | "auto" | "auto_send" => Ok(SendMode::Send),
            other => Err(CoreError::invalid("send_mode", format!("'{other}' is not a send mode; use draft or send"))),
        }
    }
}

/// Largest interval accepted (every 100 months, weeks…).
pub const MAX_INTERVAL: u32 = 100;

/// When a profile's cycles fall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Schedule {
    pub frequency: Frequency,
    /// Every `interval` weeks/months/quarters/years (≥ 1).
    pub interval: u32,
    pub start: NaiveDate,
    /// No cycle starts after this date.
    pub end: Option<NaiveDate>,
    /// At most this many cycles.
    pub max_cycles: Option<u32>,
}

/// One cycle of a schedule: the period it bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Period {
    /// 0-based cycle number.
    pub cycle: u32,
    pub start: NaiveDate,
    /// The day before the next cycle starts.
    pub end: NaiveDate,
}

impl Schedule {
    /// Checks the interval, end date and cycle limit.
    pub fn validate(&self) -> CoreResult<()> {
        if self.interval == 0 || self.interval > MAX_INTERVAL {
            return Err(CoreError::invalid("interval", format!("must be from 1 to {MAX_INTERVAL}")));
        }
        if let Some(end) = self.end {
            if end < self.start {
                return Err(CoreError::invalid("end_date", format!("{end} is before the start date {}", self.start)));
            }
        }
        if self.max_cycles == Some(0) {
            return Err(CoreError::invalid("max_cycles", "must be at least 1"));
        }
        Ok(())
    }

    /// The date cycle `n` starts, anchored on the start date. None past the
    /// calendar's end.
    pub fn cycle_start(&self, n: u32) -> Option<NaiveDate> {
        let steps = n.checked_mul(self.interval)?;
        match self.frequency {
            Frequency::Weekly => self.start.checked_add_days(Days::new(u64::from(steps) * 7)),
            f => self.start.checked_add_months(Months::new(steps.checked_mul(f.months())?)),
        }
    }

    /// Cycle `n`, when the schedule has one (within the end date and the
    /// cycle limit).
    pub fn period(&self, n: u32) -> Option<Period> {
        if self.max_cycles.is_some_and(|m| n >= m) {
            return None;
        }
        let start = self.cycle_start(n)?;
        if self.end.is_some_and(|e| start > e) {
            return None;
        }
        let end = self.cycle_start(n.checked_add(1)?)?.pred_opt()?;
        Some(Period { cycle: n, start, end })
    }

    /// Every cycle that has started on or before `today`, oldest first, at
    /// most `limit` of them.
    pub fn due(&self, today: NaiveDate, limit: usize) -> Vec<Period> {
        let mut out = Vec::new();
        let mut n = 0;
        while out.len() < limit {
            match self.period(n) {
                Some(p) if p.start <= today => out.push(p),
                _ => break,
            }
            n += 1;
        }
        out
    }

    /// The first cycle starting after `today`, if the schedule has one.
    pub fn next_after(&self, today: NaiveDate) -> Option<Period> {
        // Jump close to today instead of walking from the start.
        let mut n = match self.frequency {
            Frequency::Weekly => {
                let days = (today - self.start).num_days().max(0) as u64;
                u32::try_from(days / (7 * u64::from(self.interval))).unwrap_or(u32::MAX)
            }
            f => {
                let months = (today.year() - self.start.year()) * 12 + today.month() as i32 - self.start.month() as i32;
                let per = (f.months() * self.interval) as i32;
                u32::try_from((months / per - 1).max(0)).unwrap_or(0)
            }
        };
        loop {
            let p = self.period(n)?;
            if p.start > today {
                return Some(p);
            }
            n = n.checked_add(1)?;
        }
    }

    /// Whether the schedule has no cycle left after the ones up to `today`.
    pub fn is_finished(&self, today: NaiveDate) -> bool {
        self.next_after(today).is_none()
    }
}

/// A template line of a recurring profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TemplateLine {
    /// May carry period placeholders such as `{MONTH} {YEAR}`.
    pub description: String,
    /// The long description under it (may carry the same placeholders).
    #[serde(default)]
    pub long_description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub rate: Decimal,
    pub discount: Discount,
    /// Inline-mode tax.
    pub tax: Option<TaxRate>,
}

/// Whether a profile generates invoices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ProfileStatus {
    #[default]
    Active,
    Paused,
}

impl ProfileStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            ProfileStatus::Active => "active",
            ProfileStatus::Paused => "paused",
        }
    }
}

impl fmt::Display for ProfileStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProfileStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim() {
            "active" => Ok(ProfileStatus::Active),
            "paused" => Ok(ProfileStatus::Paused),
            other => Err(CoreError::invalid("status", format!("'{other}' is not a profile status"))),
        }
    }
}

/// A recurring profile: an invoice template and its schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecurringProfile {
    pub id: i64,
    pub name: String,
    pub client_id: i64,
    pub project_id: Option<i64>,
    /// The invoice the template was made from, while it exists.
    pub source_invoice_id: Option<i64>,
    pub currency: Currency,
    pub tax_mode: TaxMode,
    pub discount: Discount,
    /// Summary-mode taxes.
    pub taxes: Vec<TaxRate>,
    pub adjustment: Decimal,
    pub adjustment_description: String,
    pub notes: String,
    pub terms: String,
    pub po_number: String,
    pub category: String,
    pub tags: Vec<String>,
    /// Days until due; the client's (or business) terms when unset.
    pub payment_terms_days: Option<u32>,
    pub schedule: Schedule,
    pub send_mode: SendMode,
    pub status: ProfileStatus,
    pub lines: Vec<TemplateLine>,
    pub created_at: DateTime<Utc>,
    /// Whether the template's rates include tax, like its invoice's.
    #[serde(default)]
    pub pricing: Pricing,
}

/// A cycle that has been generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecurringRun {
    pub profile_id: i64,
    pub cycle: u32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// None when the generated draft was deleted since.
    pub invoice_id: Option<i64>,
    pub invoice_number: Option<String>,
    pub created_at: DateTime<Utc>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The placeholders line text may carry, filled per cycle from its period.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("PERIOD_START", "first day of the period, 2026-03-01"),
    ("PERIOD_END", "last day of the period, 2026-03-31"),
    ("MONTH", "month name of the period start, March"),
    ("MM", "month number of the period start, 03"),
    ("YEAR", "year of the period start, 2026"),
    ("QUARTER", "quarter of the period start, Q1"),
    ("WEEK", "ISO week of the period start, 09"),
    ("NEXT_MONTH", "the month after the period start, April"),
    ("PREV_MONTH", "the month before the period start, February"),
];

fn month_name(m: u32) -> &'static str {
    MONTHS[(m as usize + 11) % 12]
}

fn value(name: &str, p: &Period) -> Option<String> {
    let d = p.start;
    Some(match name {
        "PERIOD_START" => d.to_string(),
        "PERIOD_END" => p.end.to_string(),
        "MONTH" => month_name(d.month()).to_string(),
        "MM" => format!("{:02}", d.month()),
        "YEAR" => format!("{:04}", d.year()),
        "QUARTER" => format!("Q{}", (d.month() - 1) / 3 + 1),
        "WEEK" => format!("{:02}", d.iso_week().week()),
        "NEXT_MONTH" => month_name(d.month() % 12 + 1).to_string(),
        "PREV_MONTH" => month_name((d.month() + 10) % 12 + 1).to_string(),
        _ => return None,
    })
}

/// Whether `{…}` encloses a placeholder-shaped name (capitals, digits, _).
fn placeholder_name(inner: &str) -> bool {
    !inner.is_empty() && inner.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Checks that every `{NAME}` in a template is a known placeholder.
pub fn check_placeholders(field: &str, text: &str) -> CoreResult<()> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if placeholder_name(name) && !PLACEHOLDERS.iter().any(|(n, _)| *n == name) {
                    let known = PLACEHOLDERS.iter().map(|(n, _)| format!("{{{n}}}")).collect::<Vec<_>>().join(", ");
                    return Err(CoreError::invalid(field, format!("{{{name}}} is not a placeholder; use {known}")));
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    Ok(())
}

/// Fills the period placeholders of a template; other text (including
/// braces that are not placeholders) is kept as written.
pub fn fill(text: &str, p: &Period) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| value(&after[..close], p).map(|v| (close, v))) {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn monthly(start: &str) -> Schedule {
        Schedule { frequency: Frequency::Monthly, interval: 1, start: d(start), end: None, max_cycles: None }
    }

    #[test]
    fn month_end_is_anchored_on_the_start_date() {
        let s = monthly("2026-01-31");
        let starts: Vec<String> = (0..5).map(|n| s.cycle_start(n).unwrap().to_string()).collect();
        // Feb has 28 days in 2026; March goes back to the 31st, not the 28th.
        assert_eq!(starts, ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]);
        let leap = monthly("2028-01-31");
        assert_eq!(leap.cycle_start(1), Some(d("2028-02-29")));
        assert_eq!(leap.cycle_start(2), Some(d("2028-03-31")));
        // The period ends the day before the next one starts.
        assert_eq!(s.period(0).unwrap().end, d("2026-02-27"));
        assert_eq!(s.period(1).unwrap().end, d("2026-03-30"));
    }

    #[test]
    fn intervals_and_frequencies() {
        let every_two = Schedule { interval: 2, ..monthly("2026-01-15") };
        assert_eq!(every_two.cycle_start(3), Some(d("2026-07-15")));
        let q = Schedule { frequency: Frequency::Quarterly, ..monthly("2026-01-01") };
        assert_eq!(q.period(1).unwrap(), Period { cycle: 1, start: d("2026-04-01"), end: d("2026-06-30") });
        let w = Schedule { frequency: Frequency::Weekly, interval: 2, ..monthly("2026-03-02") };
        assert_eq!(w.period(1).unwrap(), Period { cycle: 1, start: d("2026-03-16"), end: d("2026-03-29") });
        let y = Schedule { frequency: Frequency::Yearly, ..monthly("2024-02-29") };
        assert_eq!(y.cycle_start(1), Some(d("2025-02-28")));
        assert_eq!(y.cycle_start(4), Some(d("2028-02-29")));
    }

    #[test]
    fn due_cycles_stop_at_today_the_end_date_and_the_cycle_limit() {
        // Started Jan 1, app closed until Apr 10: Jan, Feb, Mar, Apr are due.
        let s = monthly("2026-01-01");
        let due = s.due(d("2026-04-10"), 1000);
        assert_eq!(
            due.iter().map(|p| p.start.to_string()).collect::<Vec<_>>(),
            ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]
        );
        assert_eq!(s.due(d("2025-12-31"), 1000), vec![]);
        let capped = Schedule { max_cycles: Some(2), ..s };
        assert_eq!(capped.due(d("2026-12-31"), 1000).len(), 2);
        assert!(capped.is_finished(d("2026-12-31")));
        let ended = Schedule { end: Some(d("2026-03-01")), ..s };
        assert_eq!(ended.due(d("2026-12-31"), 1000).len(), 3, "a cycle starting on the end date counts");
        assert_eq!(s.next_after(d("2026-04-10")).unwrap().start, d("2026-05-01"));
        assert_eq!(s.due(d("2030-01-01"), 5).len(), 5, "the limit caps one run");
    }

    #[test]
    fn bad_schedules_name_the_field() {
        let s = monthly("2026-01-01");
        assert_eq!(Schedule { interval: 0, ..s }.validate().unwrap_err().field(), Some("interval"));
        assert_eq!(Schedule { end: Some(d("2025-01-01")), ..s }.validate().unwrap_err().field(), Some("end_date"));
        assert_eq!(Schedule { max_cycles: Some(0), ..s }.validate().unwrap_err().field(), Some("max_cycles"));
        assert_eq!("fortnightly".parse::<Frequency>().unwrap_err().field(), Some("frequency"));
    }

    #[test]
    fn placeholders_are_filled_per_cycle() {
        let p = Period { cycle: 2, start: d("2026-03-01"), end: d("2026-03-31") };
        assert_eq!(
            fill("Retainer {MONTH} {YEAR} ({PERIOD_START} – {PERIOD_END}), {QUARTER}", &p),
            "Retainer March 2026 (2026-03-01 – 2026-03-31), Q1"
        );
        assert_eq!(fill("{MM}/{YEAR} next {NEXT_MONTH} prev {PREV_MONTH}", &p), "03/2026 next April prev February");
        let dec = Period { cycle: 0, start: d("2026-12-01"), end: d("2026-12-31") };
        assert_eq!(fill("{NEXT_MONTH}, {QUARTER}", &dec), "January, Q4");
        assert_eq!(fill("{unknown} {} {", &p), "{unknown} {} {", "other braces stay");
        assert!(check_placeholders("d", "Support {MONTH} {YEAR}").is_ok());
        assert!(check_placeholders("d", "json {\"a\": 1}").is_ok());
        assert_eq!(
            check_placeholders("lines[1].description", "{MONHT}").unwrap_err().field(),
            Some("lines[1].description")
        );
    }
}
