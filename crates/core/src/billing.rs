//! Turning time into invoice lines: rounding policy per entry, then grouping.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::time::{display_hours, RoundingPolicy};

/// How time entries become invoice lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// One line per time entry.
    Entry,
    /// One line per task (and rate).
    #[default]
    Task,
    /// One line per project (and rate).
    Project,
    /// One line per day (and rate).
    Day,
}

impl Grouping {
    pub fn as_str(&self) -> &'static str {
        match self {
            Grouping::Entry => "entry",
            Grouping::Task => "task",
            Grouping::Project => "project",
            Grouping::Day => "day",
        }
    }
}

impl fmt::Display for Grouping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Grouping {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "entry" | "entries" => Ok(Grouping::Entry),
            "task" => Ok(Grouping::Task),
            "project" => Ok(Grouping::Project),
            "day" => Ok(Grouping::Day),
            other => Err(CoreError::invalid(
                "group",
                format!("'{other}' is not a grouping; use entry, task, project or day"),
            )),
        }
    }
}

/// A billable time entry with everything needed to bill it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillableEntry {
    pub id: i64,
    pub date: NaiveDate,
    pub project_id: i64,
    pub project_name: String,
    pub task_id: Option<i64>,
    pub task_name: Option<String>,
    pub member_name: String,
    pub description: String,
    /// Raw duration as tracked.
    pub seconds: i64,
    /// The resolved hourly rate.
    pub rate: Decimal,
    /// The rounding policy of the entry's project (or client, or business).
    pub rounding: RoundingPolicy,
}

impl BillableEntry {
    /// The duration billed after the rounding policy; the raw entry stays.
    pub fn billed_seconds(&self) -> i64 {
        self.rounding.apply(self.seconds)
    }
}

/// An invoice line proposed from time entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimeLine {
    /// What the line bills, without its period and hours (see
    /// `first_date`/`last_date` and `seconds`): the project and task, the
    /// entry's own description, or the day's projects.
    pub description: String,
    /// The days the line's entries were worked.
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    /// Hours shown on the invoice (two decimals).
    pub quantity: Decimal,
    /// Billed seconds after rounding; the amount is computed from these.
    pub seconds: i64,
    /// Raw tracked seconds, for reference.
    pub raw_seconds: i64,
    pub rate: Decimal,
    pub entry_ids: Vec<i64>,
}

#[derive(PartialEq, Eq)]
enum Key {
    Entry(i64),
    Task(i64, Option<i64>, Decimal),
    Project(i64, Decimal),
    Day(NaiveDate, Decimal),
}

/// Groups entries into lines. Lines keep the order of the first entry that
/// made them; entries should come sorted by date.
pub fn group_entries(entries: &[BillableEntry], grouping: Grouping) -> Vec<TimeLine> {
    let mut groups: Vec<(Key, Vec<&BillableEntry>)> = Vec::new();
    for e in entries {
        let key = match grouping {
            Grouping::Entry => Key::Entry(e.id),
            Grouping::Task => Key::Task(e.project_id, e.task_id, e.rate),
            Grouping::Project => Key::Project(e.project_id, e.rate),
            Grouping::Day => Key::Day(e.date, e.rate),
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(e),
            None => groups.push((key, vec![e])),
        }
    }
    groups
        .into_iter()
        .map(|(key, members)| {
            let seconds: i64 = members.iter().map(|e| e.billed_seconds()).sum();
            let raw_seconds: i64 = members.iter().map(|e| e.seconds).sum();
            let first = members[0];
            let description = match key {
                Key::Entry(_) => {
                    let mut d = project_and_task(first);
                    if !first.description.trim().is_empty() {
                        d.push_str(": ");
                        d.push_str(first.description.trim());
                    }
                    d
                }
                Key::Task(..) => project_and_task(first),
                Key::Project(..) => first.project_name.clone(),
                Key::Day(..) => {
                    let mut names: Vec<&str> = Vec::new();
                    for m in &members {
                        if !names.contains(&m.project_name.as_str()) {
                            names.push(&m.project_name);
                        }
                    }
                    names.join(", ")
                }
            };
            TimeLine {
                description,
                first_date: members.iter().map(|e| e.date).min().unwrap_or(first.date),
                last_date: members.iter().map(|e| e.date).max().unwrap_or(first.date),
                quantity: display_hours(seconds),
                seconds,
                raw_seconds,
                rate: first.rate,
                entry_ids: members.iter().map(|e| e.id).collect(),
            }
        })
        .collect()
}

fn project_and_task(e: &BillableEntry) -> String {
    match &e.task_name {
        Some(t) => format!("{} / {}", e.project_name, t),
        None => e.project_name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn entry(id: i64, date: &str, project: i64, task: Option<i64>, secs: i64, rate: Decimal) -> BillableEntry {
        BillableEntry {
            id,
            date: date.parse().unwrap(),
            project_id: project,
            project_name: format!("P{project}"),
            task_id: task,
            task_name: task.map(|t| format!("T{t}")),
            member_name: "Me".into(),
            description: format!("work {id}"),
            seconds: secs,
            rate,
            rounding: RoundingPolicy::parse("up:15").unwrap(),
        }
    }

    #[test]
    fn groups_by_task_and_rate_with_rounding_per_entry() {
        let es = vec![
            entry(1, "2026-03-01", 1, Some(1), 7 * 60, dec!(100)),
            entry(2, "2026-03-02", 1, Some(1), 50 * 60, dec!(100)),
            entry(3, "2026-03-02", 1, Some(2), 3600, dec!(100)),
            entry(4, "2026-03-03", 1, Some(1), 3600, dec!(120)),
        ];
        let lines = group_entries(&es, Grouping::Task);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].entry_ids, vec![1, 2]);
        assert_eq!(lines[0].seconds, 15 * 60 + 60 * 60, "7→15 min and 50→60 min");
        assert_eq!(lines[0].raw_seconds, 57 * 60);
        assert_eq!(lines[0].quantity, dec!(1.25));
        assert_eq!(lines[0].description, "P1 / T1");
        assert_eq!((lines[0].first_date, lines[0].last_date), (es[0].date, es[1].date), "the span worked");
        assert_eq!(lines[2].rate, dec!(120));
    }

    #[test]
    fn other_groupings() {
        let es = vec![
            entry(1, "2026-03-01", 1, Some(1), 3600, dec!(100)),
            entry(2, "2026-03-01", 2, None, 3600, dec!(100)),
            entry(3, "2026-03-02", 1, Some(2), 3600, dec!(100)),
        ];
        assert_eq!(group_entries(&es, Grouping::Entry).len(), 3);
        assert_eq!(group_entries(&es, Grouping::Project).len(), 2);
        let days = group_entries(&es, Grouping::Day);
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].description, "P1, P2");
        assert_eq!((days[0].first_date, days[0].last_date), (es[0].date, es[0].date));
        let entry = &group_entries(&es, Grouping::Entry)[1];
        assert_eq!(entry.description, "P2: work 2");
        assert_eq!(entry.first_date, es[1].date);
    }
}
