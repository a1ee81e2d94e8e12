//! Time approval for time-and-materials (hourly) projects: a member's week
//! (or chosen entries) is submitted, the owner approves it or rejects it
//! with a reason; a rejected entry is edited and submitted again. A project
//! that bills only approved time (`approval_required`) gives invoicing from
//! time only its approved entries.
//!
//! The rules, in one place:
//! - only time of hourly projects that is not billed yet (here or outside)
//!   is submitted, approved or rejected;
//! - submitting takes entries not submitted yet and rejected ones (whose
//!   reason is cleared); submitted and approved entries are left as they are;
//! - approving takes submitted entries; rejecting takes submitted or
//!   approved ones and needs a reason;
//! - editing a submitted or approved entry sends it back to not submitted
//!   (`Billable::edit_entry`), so changed time is never billed as approved.

use std::collections::BTreeMap;

use billable_core::model::{Approval, BillingType};
use billable_core::time::{display_hours, IsoWeek};
use billable_store::catalog as cat;
use billable_store::time::{self as db, EntryDetail, EntryFilter};
use billable_store::Tx;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::member_or_404;
use crate::error::{AppError, AppResult};
use crate::parse;
use crate::time::{resolve_member, views};
use crate::views::EntryView;
use crate::Billable;

/// The longest rejection reason.
const MAX_REASON: usize = 500;

/// Which entries to submit, approve or reject: a week (of one member, or
/// of everyone when approving or rejecting), or chosen entries.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ApprovalInput {
    /// An ISO week (`2026-W49`) or a date in it.
    pub week: Option<String>,
    /// The member whose week it is. Submitting: the default member when not
    /// given; approving or rejecting: every member's.
    pub member_id: Option<i64>,
    /// Exactly these entries (instead of a week).
    pub entry_ids: Option<Vec<i64>>,
    /// Why the time is rejected (required to reject).
    pub reason: Option<String>,
}

/// What an approval step changed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApprovalOutcome {
    /// The state the entries are in now.
    pub approval: Approval,
    pub entries: Vec<EntryView>,
    pub seconds: i64,
    pub hours: Decimal,
    /// Entries of the week left as they were (submitted or approved
    /// already, billed, or not time of an hourly project).
    pub unchanged: u32,
}

/// A member's submitted week, waiting for the owner.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SubmittedWeek {
    /// `2026-W49`.
    pub week: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub member_id: i64,
    pub member_name: String,
    pub seconds: i64,
    pub hours: Decimal,
    pub billable_seconds: i64,
    pub billable_hours: Decimal,
    pub entries: Vec<EntryView>,
}

/// Time left out of an invoice because its project bills only approved
/// time and the time is not approved (yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Unapproved {
    pub entries: u32,
    pub seconds: i64,
    pub hours: Decimal,
}

impl Unapproved {
    pub(crate) fn of(entries: u64, seconds: i64) -> Unapproved {
        Unapproved { entries: entries as u32, seconds, hours: display_hours(seconds) }
    }

    /// "; 3.50 h awaiting approval (2 entries) were left out", or nothing.
    pub(crate) fn note(&self) -> String {
        if self.entries == 0 {
            return String::new();
        }
        format!(
            "; {} h not approved yet ({} {}) {} left out",
            self.hours,
            self.entries,
            if self.entries == 1 { "entry" } else { "entries" },
            if self.entries == 1 { "was" } else { "were" }
        )
    }
}

/// The unbilled time of a filter that its projects hold back for approval.
pub(crate) fn unapproved(tx: &Tx, f: &EntryFilter) -> AppResult<Unapproved> {
    let held = EntryFilter { gate: db::Gate::Held, unbilled_only: true, latest: None, limit: None, ..f.clone() };
    let (n, seconds) = db::entries_total(tx, &held)?;
    Ok(Unapproved::of(n, seconds))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Submit,
    Approve,
    Reject,
}

impl Step {
    fn to(self) -> Approval {
        match self {
            Step::Submit => Approval::Submitted,
            Step::Approve => Approval::Approved,
            Step::Reject => Approval::Rejected,
        }
    }
    /// The states an entry may be in to take this step.
    fn from(self, a: Approval) -> bool {
        match self {
            Step::Submit => matches!(a, Approval::None | Approval::Rejected),
            Step::Approve => a == Approval::Submitted,
            Step::Reject => matches!(a, Approval::Submitted | Approval::Approved),
        }
    }
}

fn week_of(i: &ApprovalInput) -> AppResult<Option<IsoWeek>> {
    Ok(i.week.as_deref().filter(|w| !w.trim().is_empty()).map(|w| IsoWeek::parse("week", w)).transpose()?)
}

/// Why an entry cannot take a step, if it cannot.
fn refusal(tx: &Tx, d: &EntryDetail, step: Step) -> AppResult<Option<String>> {
    let e = &d.entry;
    if e.invoice_id.is_some() || e.billed_outside.is_some() {
        return Ok(Some(format!("time entry {} is invoiced already", e.id)));
    }
    let project = cat::project(tx, e.project_id)?.ok_or_else(|| AppError::not_found("project", e.project_id))?;
    if project.billing_type != BillingType::Hourly {
        return Ok(Some(format!(
            "time entry {} is time of {}, a {} project; only time of hourly projects is approved",
            e.id,
            project.name,
            project.billing_type.as_str().replace('_', " ")
        )));
    }
    if !step.from(e.approval) {
        let state = match e.approval {
            Approval::None => "not submitted",
            other => other.as_str(),
        };
        return Ok(Some(format!("time entry {} is {state}, so it cannot be {}", e.id, step.to().as_str())));
    }
    Ok(None)
}

impl Billable {
    /// Submits a member's week (every entry of theirs in that ISO week that
    /// can be: time of hourly projects, not billed, not submitted or
    /// approved already — rejected entries go again), or chosen entries
    /// (each must be able to; otherwise nothing changes).
    pub fn submit_time(&mut self, i: ApprovalInput) -> AppResult<ApprovalOutcome> {
        self.approval_step("submit the time", Step::Submit, i)
    }

    /// Approves submitted time: a week's (one member's, or everyone's), or
    /// chosen submitted entries.
    pub fn approve_time(&mut self, i: ApprovalInput) -> AppResult<ApprovalOutcome> {
        self.approval_step("approve the time", Step::Approve, i)
    }

    /// Rejects submitted (or approved, not billed) time with a reason; the
    /// member edits it and submits it again.
    pub fn reject_time(&mut self, i: ApprovalInput) -> AppResult<ApprovalOutcome> {
        self.approval_step("reject the time", Step::Reject, i)
    }

    fn approval_step(&mut self, operation: &str, step: Step, i: ApprovalInput) -> AppResult<ApprovalOutcome> {
        let reason = match step {
            Step::Reject => {
                let r = parse::text("reason", i.reason.as_deref().unwrap_or(""))?;
                if r.is_empty() {
                    return Err(AppError::invalid("reason", "say why the time is rejected"));
                }
                if r.chars().count() > MAX_REASON {
                    return Err(AppError::invalid("reason", format!("is longer than {MAX_REASON} characters")));
                }
                r
            }
            _ => String::new(),
        };
        let week = week_of(&i)?;
        self.write(operation, |tx, _| {
            let (chosen, unchanged) = match (&i.entry_ids, week) {
                (Some(_), Some(_)) => {
                    return Err(AppError::invalid("week", "give a week or time entries, not both"));
                }
                (None, None) => return Err(AppError::invalid("week", "give a week (e.g. 2026-W49) or time entries")),
                (Some(ids), None) => {
                    if ids.is_empty() {
                        return Err(AppError::invalid("entries", "choose at least one time entry"));
                    }
                    let found = db::entries(tx, &EntryFilter { ids: Some(ids.clone()), ..Default::default() })?;
                    for id in ids {
                        let d = found.iter().find(|d| d.entry.id == *id).ok_or_else(|| AppError::not_found("time entry", *id))?;
                        if let Some(why) = refusal(tx, d, step)? {
                            return Err(AppError::conflict(format!("{why}; nothing was {}", step.to().as_str())));
                        }
                    }
                    (found, 0)
                }
                (None, Some(w)) => {
                    let member_id = match (step, i.member_id) {
                        (Step::Submit, m) => Some(resolve_member(tx, m)?),
                        (_, Some(m)) => Some(member_or_404(tx, m)?.id),
                        (_, None) => None,
                    };
                    let f = EntryFilter {
                        member_id,
                        from: Some(w.first_day()),
                        to: Some(w.last_day()),
                        approval: (step != Step::Submit).then_some(Approval::Submitted),
                        ..Default::default()
                    };
                    let all = db::entries(tx, &f)?;
                    let total = all.len();
                    let mut chosen = Vec::new();
                    for d in all {
                        if refusal(tx, &d, step)?.is_none() {
                            chosen.push(d);
                        }
                    }
                    if chosen.is_empty() {
                        let whose = match member_id {
                            Some(m) => format!("{}'s time", member_or_404(tx, m)?.name),
                            None => "time".to_string(),
                        };
                        return Err(AppError::conflict(match step {
                            Step::Submit => format!(
                                "{whose} in {w} has nothing to submit ({total} entries are submitted or approved already, billed, or not of hourly projects)"
                            ),
                            _ => format!("no {whose} of {w} is waiting for approval"),
                        }));
                    }
                    let unchanged = (total - chosen.len()) as u32;
                    (chosen, unchanged)
                }
            };
            let ids: Vec<i64> = chosen.iter().map(|d| d.entry.id).collect();
            let changed = db::set_approval(tx, &ids, step.to(), &reason)?;
            if changed != ids.len() {
                return Err(AppError::conflict("some of these time entries were billed meanwhile; nothing changed"));
            }
            let entries = views(tx, db::entries(tx, &EntryFilter { ids: Some(ids), ..Default::default() })?)?;
            let seconds = entries.iter().map(|e| e.entry.seconds).sum();
            Ok(ApprovalOutcome { approval: step.to(), hours: display_hours(seconds), seconds, entries, unchanged })
        })
    }

    /// The submitted weeks waiting for the owner, per member and ISO week
    /// (oldest week first, then by member name), with their entries and
    /// totals.
    pub fn submitted_weeks(&mut self) -> AppResult<Vec<SubmittedWeek>> {
        self.read("list the time waiting for approval", |tx, _| {
            let f = EntryFilter { approval: Some(Approval::Submitted), ..Default::default() };
            let entries = views(tx, db::entries(tx, &f)?)?;
            let mut weeks: BTreeMap<(IsoWeek, String, i64), Vec<EntryView>> = BTreeMap::new();
            for e in entries {
                let key = (IsoWeek::of(e.entry.date), e.member_name.to_lowercase(), e.entry.member_id);
                weeks.entry(key).or_default().push(e);
            }
            Ok(weeks
                .into_iter()
                .map(|((w, _, member_id), entries)| {
                    let seconds = entries.iter().map(|e| e.entry.seconds).sum();
                    let billable_seconds = entries.iter().filter(|e| e.entry.billable).map(|e| e.entry.seconds).sum();
                    SubmittedWeek {
                        week: w.to_string(),
                        from: w.first_day(),
                        to: w.last_day(),
                        member_id,
                        member_name: entries[0].member_name.clone(),
                        hours: display_hours(seconds),
                        seconds,
                        billable_hours: display_hours(billable_seconds),
                        billable_seconds,
                        entries,
                    }
                })
                .collect())
        })
    }
}
