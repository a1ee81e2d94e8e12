//! The timer, time entries and unbilled time.

use billable_core::billing::BillableEntry;
use billable_core::model::{Approval, Business, Project, RunningTimer, TimeEntry};
use billable_core::rates::RateSource;
use billable_core::time::{display_hours, parse_duration, RoundingPolicy};
use billable_core::{round_money, Currency};
use billable_store::catalog as cat;
use billable_store::team::TeamRole;
use billable_store::time::{self as db, EntryDetail, EntryFilter, Gate};
use billable_store::Tx;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::approval::unapproved;
use crate::catalog::{client_or_404, member_or_404, project_or_404, task_or_404};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::parse;
use crate::views::{EntryView, TimerIdle, TimerStarted, TimerStopped, TimerView, Unbilled};
use crate::Billable;

const MAX_ENTRY_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct TimerStartInput {
    pub project_id: i64,
    pub task_id: Option<i64>,
    pub description: Option<String>,
    /// Whose timer; the default member when not given.
    pub member_id: Option<i64>,
    pub billable: Option<bool>,
    /// When the timer started, for a start made on the person's computer
    /// while the team books were out of reach (RFC 3339; not in the
    /// future). A timer running then is stopped at that moment; one started
    /// later is left running and the start refused. Now when not given.
    pub started_at: Option<String>,
}

/// A time entry to add, or changes to one. Give start and end, or a date and
/// hours. `None` leaves a field unchanged when editing.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EntryInput {
    pub project_id: Option<i64>,
    /// `Some(None)` removes the task.
    pub task_id: Option<Option<i64>>,
    pub member_id: Option<i64>,
    pub description: Option<String>,
    pub billable: Option<bool>,
    /// Empty text clears an entry rate.
    pub rate: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub date: Option<String>,
    pub hours: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EntryListInput {
    pub client_id: Option<i64>,
    pub project_id: Option<i64>,
    pub task_id: Option<i64>,
    pub member_id: Option<i64>,
    pub billable: Option<bool>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub unbilled_only: bool,
    /// Only entries in this approval state: none, submitted, approved,
    /// rejected.
    pub approval: Option<String>,
    pub limit: Option<u32>,
    /// Only the newest this many entries (still listed oldest first): the
    /// timer's recent entries.
    pub latest: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct UnbilledInput {
    pub client_id: i64,
    pub project_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// An entry's rate, its source, the rounding policy and currency that apply.
pub(crate) struct Priced {
    pub rate: Option<(Decimal, RateSource)>,
    pub rounding: RoundingPolicy,
    pub currency: Currency,
}

pub(crate) fn price(d: &EntryDetail, business: &Business, client_currency: Option<Currency>) -> Priced {
    let mut chain = d.rates;
    chain.business = business.default_rate;
    Priced {
        rate: chain.resolve(),
        rounding: d.rounding.unwrap_or(business.rounding),
        currency: client_currency.unwrap_or(business.default_currency),
    }
}

pub(crate) fn entry_view(d: EntryDetail, business: &Business, client_currency: Option<Currency>) -> EntryView {
    let p = price(&d, business, client_currency);
    let billed_seconds = p.rounding.apply(d.entry.seconds);
    let amount = match (d.entry.billable, p.rate) {
        (true, Some((rate, _))) => {
            Some(round_money(Decimal::from(billed_seconds) * rate / Decimal::from(3600), p.currency))
        }
        _ => None,
    };
    EntryView {
        hours: display_hours(d.entry.seconds),
        billed_seconds,
        billed_hours: display_hours(billed_seconds),
        rate: p.rate.map(|r| r.0),
        rate_source: p.rate.map(|r| r.1),
        amount,
        currency: p.currency,
        client_name: d.client_name,
        project_name: d.project_name,
        task_name: d.task_name,
        member_name: d.member_name,
        entry: d.entry,
    }
}

/// The billable form of an entry, for invoicing.
pub(crate) fn billable_entry(d: &EntryDetail, business: &Business, cur: Option<Currency>) -> AppResult<BillableEntry> {
    let p = price(d, business, cur);
    let Some((rate, _)) = p.rate else {
        return Err(AppError::invalid(
            "entries",
            format!(
                "time entry {} ({} on {}) has no rate: set one on the project, client, team member or business",
                d.entry.id, d.project_name, d.entry.date
            ),
        ));
    };
    Ok(BillableEntry {
        id: d.entry.id,
        date: d.entry.date,
        project_id: d.entry.project_id,
        project_name: d.project_name.clone(),
        task_id: d.entry.task_id,
        task_name: d.task_name.clone(),
        member_name: d.member_name.clone(),
        description: d.entry.description.clone(),
        seconds: d.entry.seconds,
        rate,
        rounding: p.rounding,
    })
}

pub(crate) fn views(tx: &Tx, details: Vec<EntryDetail>) -> AppResult<Vec<EntryView>> {
    let business = cat::business(tx)?;
    let mut currencies: Vec<(i64, Option<Currency>)> = Vec::new();
    let mut out = Vec::with_capacity(details.len());
    for d in details {
        let cur = match currencies.iter().find(|(id, _)| *id == d.entry.client_id) {
            Some((_, c)) => *c,
            None => {
                let c = client_or_404(tx, d.entry.client_id)?.currency;
                currencies.push((d.entry.client_id, c));
                c
            }
        };
        out.push(entry_view(d, &business, cur));
    }
    Ok(out)
}

fn one_view(tx: &Tx, id: i64) -> AppResult<EntryView> {
    let details = db::entries(tx, &EntryFilter { ids: Some(vec![id]), ..Default::default() })?;
    views(tx, details)?.pop().ok_or_else(|| missing_entry(tx, id))
}

/// Whose time: the member asked for, else the member of this connection
/// (on team books, the member whose login is connected), else the default
/// member. A member of team books tracks only their own time.
pub(crate) fn resolve_member(tx: &Tx, member_id: Option<i64>) -> AppResult<i64> {
    let session = tx.team();
    let me = session.and_then(|s| s.member_id);
    let member_role = session.is_some_and(|s| s.roles && s.role == TeamRole::Member);
    match member_id {
        Some(id) if member_role && Some(id) != me => Err(AppError::not_permitted(format!(
            "a team member tracks only their own time, and team member {id} is someone else; nothing was changed"
        ))),
        Some(id) => {
            let m = cat::member(tx, id)?
                .ok_or_else(|| AppError::invalid("member", format!("team member {id} does not exist")))?;
            if m.archived {
                return Err(AppError::invalid("member", format!("{} is archived", m.name)));
            }
            Ok(id)
        }
        None if me.is_some() => resolve_member(tx, me),
        None if member_role => Err(AppError::not_permitted(
            "this login is not linked to a team member of these books; ask an owner to add you",
        )),
        None => cat::default_member(tx)?
            .map(|m| m.id)
            .ok_or_else(|| AppError::invalid("member", "there is no active team member; add one first")),
    }
}

/// Why entry `id` cannot be found: on team books a member sees only their
/// own entries, so another member's is named as such.
fn missing_entry(tx: &Tx, id: i64) -> AppError {
    if tx.team().is_some_and(|s| s.roles && s.role == TeamRole::Member)
        && billable_store::team::entry_exists(tx, id).unwrap_or(false)
    {
        return AppError::not_permitted(format!(
            "time entry {id} is another team member's; a member changes only their own time, nothing was changed"
        ));
    }
    AppError::not_found("time entry", id)
}

/// Checks that the project is active and the task belongs to it; returns the
/// client id the entry belongs to.
fn check_project_task(tx: &Tx, project_id: i64, task_id: Option<i64>, new: bool) -> AppResult<i64> {
    let p = cat::project(tx, project_id)?
        .ok_or_else(|| AppError::invalid("project", format!("project {project_id} does not exist")))?;
    if new && p.archived {
        return Err(AppError::invalid("project", format!("project {} is archived", p.name)));
    }
    if let Some(t) = task_id {
        let task = cat::task(tx, t)?.ok_or_else(|| AppError::invalid("task", format!("task {t} does not exist")))?;
        if task.project_id != project_id {
            return Err(AppError::invalid("task", format!("task {} belongs to another project", task.name)));
        }
        if new && task.archived {
            return Err(AppError::invalid("task", format!("task {} is archived", task.name)));
        }
    }
    Ok(p.client_id)
}

fn timer_view(tx: &Tx, t: RunningTimer, now: DateTime<Utc>) -> AppResult<TimerView> {
    let p = project_or_404(tx, t.project_id)?;
    let c = client_or_404(tx, p.client_id)?;
    let task_name = match t.task_id {
        Some(id) => Some(task_or_404(tx, id)?.name),
        None => None,
    };
    let member_name = member_or_404(tx, t.member_id)?.name;
    Ok(TimerView {
        elapsed_seconds: t.elapsed_seconds(now),
        client_name: c.name,
        project_name: p.name,
        task_name,
        member_name,
        timer: t,
    })
}

/// Stops a member's timer inside a transaction, creating its entry.
/// A timer stopped sooner than this (a click by mistake, a start and stop to
/// switch projects) is kept as non-billable time, so stray seconds never
/// bill a rounded-up quarter hour; the person can bill it anyway.
pub const MIN_BILLABLE_TIMER_SECONDS: i64 = 60;

fn stop_in(tx: &Tx, clock: &dyn Clock, member_id: i64) -> AppResult<Option<TimerStopped>> {
    stop_at(tx, clock, member_id, clock.now())
}

/// Stops the member's timer as if at `at` (now, or when the person went
/// idle): the entry ends there.
fn stop_at(tx: &Tx, clock: &dyn Clock, member_id: i64, at: DateTime<Utc>) -> AppResult<Option<TimerStopped>> {
    let Some(t) = db::timer(tx, member_id)? else {
        return Ok(None);
    };
    let now = clock.now();
    let seconds = t.elapsed_seconds(at).min(MAX_ENTRY_SECONDS);
    db::delete_timer(tx, member_id)?;
    if seconds == 0 {
        return Ok(Some(TimerStopped { entry: None, seconds, short: false }));
    }
    let short = t.billable && seconds < MIN_BILLABLE_TIMER_SECONDS;
    let client_id = check_project_task(tx, t.project_id, t.task_id, false)?;
    let entry = TimeEntry {
        id: 0,
        member_id,
        client_id,
        project_id: t.project_id,
        task_id: t.task_id,
        date: clock.local_date(t.started_at),
        start_at: Some(t.started_at),
        end_at: Some(t.started_at + chrono::Duration::seconds(seconds)),
        seconds,
        description: t.description,
        billable: t.billable && !short,
        rate: None,
        invoice_id: None,
        billed_outside: None,
        approval: Default::default(),
        approval_reason: String::new(),
    };
    let id = db::insert_entry(tx, &entry, now.timestamp())?;
    Ok(Some(TimerStopped { entry: Some(one_view(tx, id)?), seconds, short }))
}

impl Billable {
    // ---- timer ------------------------------------------------------------

    /// Starts a timer, persisted at once. A timer already running for the
    /// member is stopped first (its entry is created in the same transaction).
    pub fn timer_start(&mut self, i: TimerStartInput) -> AppResult<TimerStarted> {
        self.write("start the timer", |tx, clock| {
            let member_id = resolve_member(tx, i.member_id)?;
            check_project_task(tx, i.project_id, i.task_id, true)?;
            let description = parse::text("description", i.description.as_deref().unwrap_or(""))?;
            let started_at = match i.started_at.as_deref() {
                None => clock.now(),
                Some(at) => {
                    let at = parse::datetime("started_at", at, clock)?;
                    if at > clock.now() {
                        return Err(AppError::invalid("started_at", "is in the future"));
                    }
                    at
                }
            };
            let earlier = i.started_at.is_some();
            if let Some(running) = db::timer(tx, member_id)?.filter(|r| earlier && r.started_at > started_at) {
                return Err(AppError::conflict(format!(
                    "a timer started later ({}) is running",
                    running.started_at.to_rfc3339()
                )));
            }
            let stopped = stop_at(tx, clock, member_id, started_at)?;
            let t = RunningTimer {
                member_id,
                project_id: i.project_id,
                task_id: i.task_id,
                description,
                billable: i.billable.unwrap_or(true),
                started_at,
            };
            db::insert_timer(tx, &t)?;
            Ok(TimerStarted { timer: timer_view(tx, t, clock.now())?, stopped })
        })
    }

    /// Stops the running timer and records its time entry.
    pub fn timer_stop(&mut self, member_id: Option<i64>) -> AppResult<TimerStopped> {
        self.write("stop the timer", |tx, clock| {
            let member_id = resolve_member(tx, member_id)?;
            stop_in(tx, clock, member_id)?.ok_or_else(|| AppError::conflict("no timer is running"))
        })
    }

    /// After the person was away: stops the running timer at `idle_since`
    /// (the time before is kept as an entry, the idle time is not), and with
    /// `keep_running` starts it again now on the same project, task and
    /// description, all in one transaction. `idle_since` before the timer
    /// started counts from its start; in the future, it is refused.
    pub fn timer_idle(&mut self, member_id: Option<i64>, idle_since: &str, keep_running: bool) -> AppResult<TimerIdle> {
        self.write("drop the idle time", |tx, clock| {
            let member_id = resolve_member(tx, member_id)?;
            let t = db::timer(tx, member_id)?.ok_or_else(|| AppError::conflict("no timer is running"))?;
            let since = parse::datetime("idle_since", idle_since, clock)?;
            if since > clock.now() {
                return Err(AppError::invalid("idle_since", "is in the future"));
            }
            let since = since.max(t.started_at);
            let idle_seconds = (clock.now() - since).num_seconds().max(0);
            let stopped =
                stop_at(tx, clock, member_id, since)?.ok_or_else(|| AppError::conflict("no timer is running"))?;
            let restarted = if keep_running {
                let again = RunningTimer { started_at: clock.now(), ..t };
                db::insert_timer(tx, &again)?;
                Some(timer_view(tx, again, clock.now())?)
            } else {
                None
            };
            Ok(TimerIdle { stopped, idle_seconds, timer: restarted })
        })
    }

    /// The running timer, if any, with its elapsed time.
    pub fn timer_status(&mut self, member_id: Option<i64>) -> AppResult<Option<TimerView>> {
        self.read("read the timer", |tx, clock| {
            let member_id = resolve_member(tx, member_id)?;
            match db::timer(tx, member_id)? {
                Some(t) => Ok(Some(timer_view(tx, t, clock.now())?)),
                None => Ok(None),
            }
        })
    }

    /// Every running timer (all members).
    pub fn timers(&mut self) -> AppResult<Vec<TimerView>> {
        self.read("read the timers", |tx, clock| {
            db::timers(tx)?.into_iter().map(|t| timer_view(tx, t, clock.now())).collect()
        })
    }

    /// Throws the running timer away without recording time.
    pub fn timer_discard(&mut self, member_id: Option<i64>) -> AppResult<TimerView> {
        self.write("discard the timer", |tx, clock| {
            let member_id = resolve_member(tx, member_id)?;
            let t = db::timer(tx, member_id)?.ok_or_else(|| AppError::conflict("no timer is running"))?;
            let view = timer_view(tx, t, clock.now())?;
            db::delete_timer(tx, member_id)?;
            Ok(view)
        })
    }

    // ---- entries ----------------------------------------------------------

    pub fn add_entry(&mut self, i: EntryInput) -> AppResult<EntryView> {
        self.write("add the time entry", |tx, clock| {
            let project_id = i.project_id.ok_or_else(|| AppError::invalid("project", "is required"))?;
            let task_id = i.task_id.flatten();
            let client_id = check_project_task(tx, project_id, task_id, true)?;
            let member_id = resolve_member(tx, i.member_id)?;
            let mut e = TimeEntry {
                id: 0,
                member_id,
                client_id,
                project_id,
                task_id,
                date: clock.today(),
                start_at: None,
                end_at: None,
                seconds: 0,
                description: String::new(),
                billable: i.billable.unwrap_or(true),
                rate: None,
                invoice_id: None,
                billed_outside: None,
                approval: Default::default(),
                approval_reason: String::new(),
            };
            apply_entry(&mut e, &i, clock, true)?;
            let id = db::insert_entry(tx, &e, clock.now().timestamp())?;
            one_view(tx, id)
        })
    }

    pub fn edit_entry(&mut self, id: i64, i: EntryInput) -> AppResult<EntryView> {
        self.write("save the time entry", |tx, clock| {
            let mut e = db::entry(tx, id)?.ok_or_else(|| missing_entry(tx, id))?;
            if let Some(inv) = e.invoice_id {
                return Err(billed(tx, id, inv));
            }
            let before = e.clone();
            if let Some(p) = i.project_id {
                e.project_id = p;
                if i.task_id.is_none() {
                    e.task_id = None;
                }
            }
            if let Some(t) = i.task_id {
                e.task_id = t;
            }
            e.client_id = check_project_task(tx, e.project_id, e.task_id, i.project_id.is_some())?;
            if let Some(m) = i.member_id {
                e.member_id = resolve_member(tx, Some(m))?;
            }
            if let Some(b) = i.billable {
                e.billable = b;
            }
            apply_entry(&mut e, &i, clock, false)?;
            if !db::update_unbilled_entry(tx, &e)? {
                return Err(AppError::conflict(format!("time entry {id} was billed meanwhile; nothing changed")));
            }
            // Changed time is never billed as approved: a submitted or
            // approved entry goes back to not submitted. A rejected one
            // keeps its reason until it is submitted again.
            if e != before && matches!(e.approval, Approval::Submitted | Approval::Approved) {
                db::set_approval(tx, &[id], Approval::None, "")?;
            }
            one_view(tx, id)
        })
    }

    pub fn delete_entry(&mut self, id: i64) -> AppResult<EntryView> {
        self.write("delete the time entry", |tx, _| {
            let view = one_view(tx, id)?;
            if let Some(inv) = view.entry.invoice_id {
                return Err(billed(tx, id, inv));
            }
            db::delete_unbilled_entry(tx, id)?;
            Ok(view)
        })
    }

    /// Marks entries as invoiced outside Billable (time billed from another
    /// tool or by hand), with that invoice's reference if any: they stay in
    /// the reports but are never offered for invoicing again. An entry that
    /// an invoice here bills, or one that is not billable, is refused by its
    /// id and nothing is marked. Marking again changes the reference.
    pub fn mark_billed_outside(&mut self, ids: &[i64], reference: &str) -> AppResult<Vec<EntryView>> {
        let reference = parse::checked_text("reference", reference)?;
        if reference.chars().count() > 200 {
            return Err(AppError::invalid("reference", "is longer than 200 characters"));
        }
        if ids.is_empty() {
            return Err(AppError::invalid("entries", "choose at least one time entry"));
        }
        self.write("mark the time as invoiced", |tx, _| {
            for id in ids {
                let e = db::entry(tx, *id)?.ok_or_else(|| missing_entry(tx, *id))?;
                if let Some(inv) = e.invoice_id {
                    return Err(billed(tx, *id, inv));
                }
                if !e.billable {
                    return Err(AppError::conflict(format!(
                        "time entry {id} is not billable, so it is never invoiced; nothing was marked"
                    )));
                }
            }
            db::mark_billed_outside(tx, ids, reference)?;
            ids.iter().map(|id| one_view(tx, *id)).collect()
        })
    }

    /// Takes the "invoiced outside Billable" mark off entries, so they are
    /// offered for invoicing again. Entries without the mark are left as
    /// they are; an id that does not exist is refused.
    pub fn unmark_billed_outside(&mut self, ids: &[i64]) -> AppResult<Vec<EntryView>> {
        if ids.is_empty() {
            return Err(AppError::invalid("entries", "choose at least one time entry"));
        }
        self.write("undo the invoiced mark", |tx, _| {
            for id in ids {
                db::entry(tx, *id)?.ok_or_else(|| AppError::not_found("time entry", *id))?;
            }
            db::unmark_billed_outside(tx, ids)?;
            ids.iter().map(|id| one_view(tx, *id)).collect()
        })
    }

    pub fn entry(&mut self, id: i64) -> AppResult<EntryView> {
        self.read("read the time entry", |tx, _| one_view(tx, id))
    }

    pub fn entries(&mut self, i: EntryListInput) -> AppResult<Vec<EntryView>> {
        self.read("list time entries", |tx, clock| {
            let f = EntryFilter {
                client_id: i.client_id,
                project_id: i.project_id,
                task_id: i.task_id,
                member_id: i.member_id,
                billable: i.billable,
                from: parse::date_opt("from", i.from.as_deref(), clock)?,
                to: parse::date_opt("to", i.to.as_deref(), clock)?,
                unbilled_only: i.unbilled_only,
                invoice_id: None,
                ids: None,
                approval: i.approval.as_deref().map(str::parse::<Approval>).transpose()?,
                gate: Default::default(),
                limit: i.limit,
                latest: i.latest,
            };
            views(tx, db::entries(tx, &f)?)
        })
    }

    /// Projects worked on lately, the most recent first: the timer's quick
    /// picks. Looks at the last 60 days; archived projects are left out.
    pub fn recent_projects(&mut self, limit: u32) -> AppResult<Vec<Project>> {
        self.read("list recent projects", |tx, clock| {
            let from = clock.today() - chrono::Duration::days(60);
            let mut recent: Vec<Project> = Vec::new();
            db::recent_project_ids(tx, from, limit as usize, |id| {
                Ok(match cat::project(tx, id)? {
                    Some(p) if !p.archived => {
                        recent.push(p);
                        true
                    }
                    _ => false,
                })
            })?;
            Ok(recent)
        })
    }

    /// Unbilled billable time for a client that an invoice from time would
    /// bill, with hours and amounts; time its projects hold back until it
    /// is approved is left out and counted in `unapproved`.
    pub fn unbilled(&mut self, i: UnbilledInput) -> AppResult<Unbilled> {
        self.read("list unbilled time", |tx, clock| {
            let client = client_or_404(tx, i.client_id)?;
            let business = cat::business(tx)?;
            let f = EntryFilter {
                client_id: Some(client.id),
                project_id: i.project_id,
                from: parse::date_opt("from", i.from.as_deref(), clock)?,
                to: parse::date_opt("to", i.to.as_deref(), clock)?,
                unbilled_only: true,
                gate: Gate::Passes,
                ..Default::default()
            };
            let unapproved = unapproved(tx, &f)?;
            let entries: Vec<EntryView> =
                db::entries(tx, &f)?.into_iter().map(|d| entry_view(d, &business, client.currency)).collect();
            let currency = client.currency.unwrap_or(business.default_currency);
            let total_seconds = entries.iter().map(|e| e.entry.seconds).sum();
            let billed_seconds = entries.iter().map(|e| e.billed_seconds).sum();
            // The exact value of the time, rounded once — what an invoice with
            // one line per rate bills; per-entry amounts are rounded each.
            let exact: Decimal = entries
                .iter()
                .filter_map(|e| e.rate.map(|r| Decimal::from(e.billed_seconds) * r / Decimal::from(3600)))
                .sum();
            let total_amount = round_money(exact, currency);
            Ok(Unbilled {
                client_id: client.id,
                client_name: client.name,
                currency,
                total_hours: display_hours(total_seconds),
                billed_hours: display_hours(billed_seconds),
                total_seconds,
                billed_seconds,
                total_amount,
                entries,
                unapproved,
            })
        })
    }
}

fn billed(tx: &Tx, id: i64, invoice_id: i64) -> AppError {
    let number = billable_store::invoices::invoice(tx, invoice_id)
        .ok()
        .flatten()
        .map(|i| i.number)
        .unwrap_or_else(|| invoice_id.to_string());
    AppError::conflict(format!(
        "time entry {id} is billed on invoice {number}; remove it from that invoice (or cancel the invoice) first"
    ))
}

/// Applies times, duration, description and rate to an entry.
fn apply_entry(e: &mut TimeEntry, i: &EntryInput, clock: &dyn Clock, new: bool) -> AppResult<()> {
    if let Some(d) = &i.description {
        e.description = parse::text("description", d)?;
    }
    if let Some(r) = &i.rate {
        e.rate = parse::rate_opt("rate", r)?;
    }
    let has_span = i.start.is_some() || i.end.is_some();
    let has_hours = i.hours.is_some();
    if has_span && has_hours {
        return Err(AppError::invalid("hours", "give either start and end, or hours — not both"));
    }
    if has_span {
        let start = match &i.start {
            Some(s) => parse::datetime("start", s, clock)?,
            None => e.start_at.ok_or_else(|| AppError::invalid("start", "is required with end"))?,
        };
        let end = match &i.end {
            Some(s) => parse::datetime("end", s, clock)?,
            None => e.end_at.ok_or_else(|| AppError::invalid("end", "is required with start"))?,
        };
        if end <= start {
            return Err(AppError::invalid("end", "must be after the start"));
        }
        let seconds = (end - start).num_seconds();
        if seconds > MAX_ENTRY_SECONDS {
            return Err(AppError::invalid("end", "the entry is longer than a week; split it into several entries"));
        }
        if i.date.is_some() {
            return Err(AppError::invalid(
                "date",
                "the date comes from the start; give either start and end, or date and hours",
            ));
        }
        e.start_at = Some(start);
        e.end_at = Some(end);
        e.seconds = seconds;
        e.date = clock.local_date(start);
    } else {
        if let Some(h) = &i.hours {
            e.seconds = parse_duration("hours", h)?;
            e.start_at = None;
            e.end_at = None;
        } else if new {
            return Err(AppError::invalid("hours", "give the hours (e.g. 2.5 or 1h20m), or start and end"));
        }
        if let Some(d) = &i.date {
            e.date = parse::date("date", d, clock)?;
            if e.start_at.is_some() && i.hours.is_none() {
                return Err(AppError::invalid("date", "this entry has start and end times; change those instead"));
            }
        }
    }
    Ok(())
}
