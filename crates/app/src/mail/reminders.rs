//! Payment reminders: schedules (business default, per client, per invoice)
//! and the run that finds what is due today and queues it. Each reminder is
//! recorded once per (invoice, due date, offset).

use std::collections::hash_map::{Entry, HashMap};
use std::time::SystemTime;

use billable_core::model::{Business, Client};
use billable_mail::message::{new_message_id, Outgoing};
use billable_mail::{Compiled, MailError, TemplateKind};
use billable_store::catalog as cat;
use billable_store::invoices as idb;
use billable_store::mail::{self as mdb, NewJob, ScheduleRow, StepFee};
use billable_store::Tx;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::late_fees::{fee_due, invoice_fee, merge_fees, ReminderFee, StepFeeInput};
use super::outbox::OutboxRun;
use super::{default_attachment, payment_link, placeholder, settings, template, InvoiceFacts};
use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::Billable;

/// Whose reminder schedule: the business default, a client's or an invoice's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "scope", content = "id")]
pub enum ScheduleScope {
    Business,
    Client(i64),
    Invoice(i64),
}

impl ScheduleScope {
    fn key(&self) -> (&'static str, i64) {
        match self {
            ScheduleScope::Business => ("business", 0),
            ScheduleScope::Client(id) => ("client", *id),
            ScheduleScope::Invoice(id) => ("invoice", *id),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ScheduleInput {
    pub enabled: Option<bool>,
    /// Days before the due date, e.g. "7,3,1" (0 is the due date itself).
    pub days_before: Option<String>,
    /// Days after the due date, e.g. "1,7,14".
    pub days_after: Option<String>,
    /// Late fees of steps after the due date: each sets (or, empty,
    /// removes) one step's fee; the other steps keep theirs.
    pub late_fees: Option<Vec<StepFeeInput>>,
    /// Remove a client's or invoice's own schedule (the next one applies).
    pub clear: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScheduleView {
    pub scope: ScheduleScope,
    /// Where the schedule in effect comes from: invoice, client or business.
    pub source: String,
    pub enabled: bool,
    pub days_before: Vec<u32>,
    pub days_after: Vec<u32>,
    /// The late fees of steps after the due date, by step.
    pub late_fees: Vec<StepFee>,
}

/// A reminder that is due (or was skipped, with the reason).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReminderView {
    pub invoice: String,
    pub client_name: String,
    pub kind: TemplateKind,
    /// Days relative to the due date: negative before, positive after.
    pub offset_days: i64,
    pub due_date: NaiveDate,
    pub scheduled_for: NaiveDate,
    pub to: Vec<String>,
    pub subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<i64>,
    /// The late fee this reminder adds (a dry run: would add).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_fee: Option<ReminderFee>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReminderRun {
    pub today: NaiveDate,
    pub dry_run: bool,
    pub reminders: Vec<ReminderView>,
    /// The outbox pass that sent them (not on a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbox: Option<OutboxRun>,
}

impl Billable {
    // ---- reminders ------------------------------------------------------------------

    /// The schedule in effect for a scope, and where it comes from.
    pub fn reminder_schedule(&mut self, scope: ScheduleScope) -> AppResult<ScheduleView> {
        self.read("read the reminder schedule", |tx, _| schedule_view(tx, scope))
    }

    /// Sets (or clears) the reminder schedule of a scope.
    pub fn set_reminder_schedule(&mut self, scope: ScheduleScope, i: ScheduleInput) -> AppResult<ScheduleView> {
        let before = i.days_before.as_deref().map(|t| parse_days("days_before", t)).transpose()?;
        let after = i.days_after.as_deref().map(|t| parse_days("days_after", t)).transpose()?;
        self.write("save the reminder schedule", |tx, _| {
            match scope {
                ScheduleScope::Client(id) => {
                    client_or_404(tx, id)?;
                }
                ScheduleScope::Invoice(id) => {
                    idb::invoice(tx, id)?.ok_or_else(|| AppError::not_found("invoice", id))?;
                }
                ScheduleScope::Business => {}
            }
            let (name, sid) = scope.key();
            if i.clear {
                if scope == ScheduleScope::Business {
                    return Err(AppError::invalid(
                        "scope",
                        "the business schedule cannot be cleared; turn it off instead",
                    ));
                }
                mdb::clear_schedule(tx, name, sid)?;
            } else {
                let current = effective_schedule(tx, scope)?.1;
                let days_after = after.clone().unwrap_or(current.days_after);
                let late_fees = merge_fees(&current.late_fees, i.late_fees.as_deref().unwrap_or(&[]), &days_after)?;
                let row = ScheduleRow {
                    enabled: i.enabled.unwrap_or(current.enabled),
                    days_before: before.clone().unwrap_or(current.days_before),
                    days_after,
                    late_fees,
                };
                mdb::save_schedule(tx, name, sid, &row)?;
            }
            schedule_view(tx, scope)
        })
    }

    /// Finds the reminders due today and (unless `dry_run`) queues and sends
    /// them, invoicing the late fee of each step that has one (once per
    /// invoice and step). Each reminder goes once; paid, cancelled and draft
    /// invoices are never reminded. Only the latest due point of a schedule is sent, so
    /// a machine that was off for a while does not send a burst. A dry run
    /// only reads (it takes no write lock).
    pub fn run_reminders(&mut self, dry_run: bool) -> AppResult<ReminderRun> {
        let find = |tx: &Tx, clock: &dyn Clock| due_reminders(tx, clock, dry_run);
        let (today, reminders) =
            if dry_run { self.read("find due reminders", find)? } else { self.write("find due reminders", find)? };
        let outbox = if dry_run { None } else { Some(self.process_outbox()?) };
        Ok(ReminderRun { today, dry_run, reminders, outbox })
    }
}

/// What one run reads once for every invoice it looks at, the first time a
/// reminder needs it: each client, the business, and the two templates,
/// checked and compiled (subject, body).
#[derive(Default)]
struct Words {
    clients: HashMap<i64, Client>,
    business: Option<Business>,
    templates: Vec<(TemplateKind, Compiled, Compiled)>,
}

impl Words {
    /// The client, the business and the template of `kind`, read if not yet.
    fn of(
        &mut self,
        tx: &Tx,
        client_id: i64,
        kind: TemplateKind,
    ) -> AppResult<(&Client, &Business, &Compiled, &Compiled)> {
        if let Entry::Vacant(e) = self.clients.entry(client_id) {
            e.insert(client_or_404(tx, client_id)?);
        }
        if self.business.is_none() {
            self.business = Some(cat::business(tx)?);
        }
        if !self.templates.iter().any(|(k, _, _)| *k == kind) {
            let t = template(tx, kind)?.0;
            if t.subject.contains(['\r', '\n']) {
                return Err(AppError::invalid("subject", "must be one line"));
            }
            let subject = Compiled::new("subject", &t.subject)?;
            let body = Compiled::new("message", &t.body)?;
            self.templates.push((kind, subject, body));
        }
        let (_, subject, body) = self.templates.iter().find(|(k, _, _)| *k == kind).expect("read above");
        Ok((&self.clients[&client_id], self.business.as_ref().expect("read above"), subject, body))
    }
}

/// The reminders due today, each queued (in this transaction) unless
/// `dry_run`. The schedules, the reminders already recorded and the
/// invoice emails still in the outbox are read once for the run, not per
/// invoice; a dry run renders only the subject it shows.
fn due_reminders(tx: &Tx, clock: &dyn Clock, dry_run: bool) -> AppResult<(NaiveDate, Vec<ReminderView>)> {
    let today = clock.today();
    let mut out = Vec::new();
    let configured = mdb::smtp(tx)?.is_some();
    if !configured && !dry_run {
        return Err(AppError::Mail { operation: "send reminders".into(), source: MailError::NotConfigured });
    }
    let mut business_schedule = ScheduleRow::default();
    let (mut of_invoice, mut of_client) = (HashMap::new(), HashMap::new());
    for ((scope, id), s) in mdb::schedules(tx)? {
        match scope.as_str() {
            "invoice" => {
                of_invoice.insert(id, s);
            }
            "client" => {
                of_client.insert(id, s);
            }
            "business" if id == 0 => business_schedule = s,
            _ => {}
        }
    }
    let open_invoices = mdb::open_invoices(tx)?;
    let first = open_invoices.iter().map(|o| o.id).min().unwrap_or(i64::MAX);
    let recorded = mdb::reminders_from(tx, first)?;
    let pending = mdb::invoices_with_pending_email(tx)?;
    // A fee invoice is reminded like any other, but never charged a fee.
    let fee_invoices = mdb::late_fee_invoice_ids(tx)?;
    let mut words = Words::default();
    out.reserve(open_invoices.len());
    for open in open_invoices {
        // The invoice's own schedule, else its client's, else the business's.
        let sched = of_invoice.get(&open.id).or_else(|| of_client.get(&open.client_id)).unwrap_or(&business_schedule);
        let Some((kind, offset, date)) = latest_point(sched, open.issue_date, open.due_date, today) else {
            continue;
        };
        if !recorded.is_empty() && recorded.contains(&(open.id, open.due_date.to_string(), offset)) {
            continue;
        }
        let (client, business, subject, body) = words.of(tx, open.client_id, kind)?;
        let facts = InvoiceFacts::from(&open);
        let late_fee = if fee_invoices.contains(&open.id) { None } else { fee_due(sched, &open, offset) };
        let subject = subject.fill(|name, out| {
            fee_words(name, late_fee.as_ref(), out, |name, out| placeholder(name, &facts, client, business, today, out))
        });
        let mut view = ReminderView {
            invoice: open.number.clone(),
            client_name: client.name.clone(),
            kind,
            offset_days: offset,
            due_date: open.due_date,
            scheduled_for: date,
            to: client.emails.clone(),
            subject,
            skipped: None,
            job_id: None,
            late_fee,
        };
        if client.emails.is_empty() {
            view.skipped = Some(format!("client {} has no billing email", client.name));
        } else if pending.contains(&open.id) {
            view.skipped = Some("the invoice email itself is still in the outbox".into());
        } else if !dry_run {
            // The fee is invoiced first, so the reminder can name it and
            // carry its invoice.
            let mut attachment = None;
            if let Some(fee) = view.late_fee.as_mut() {
                let number = invoice_fee(tx, clock, &open, offset, fee)?;
                let fee_invoice = crate::invoices::resolve(tx, &number)?;
                attachment = default_attachment(tx, clock, &fee_invoice)?;
                fee.fee_invoice = Some(number);
            }
            let text = body.fill(|name, out| {
                fee_words(name, view.late_fee.as_ref(), out, |name, out| {
                    placeholder(name, &facts, client, business, today, out)
                })
            });
            let link = payment_link(business);
            let s = settings(tx)?;
            let attachment_name = attachment.as_ref().map(|a: &billable_mail::Attachment| a.file_name.clone());
            let outgoing = Outgoing {
                to: view.to.clone(),
                bcc: vec![],
                subject: view.subject.clone(),
                text,
                link,
                attachment,
                message_id: new_message_id(&s.from_address),
                date: SystemTime::from(clock.now()),
            };
            let built = billable_mail::build(&s, &outgoing)?;
            let now = clock.now();
            let id = mdb::insert_job(
                tx,
                &NewJob {
                    kind: kind.as_str(),
                    invoice_id: Some(open.id),
                    estimate_id: None,
                    message_id: &built.message_id,
                    envelope_from: &built.envelope_from,
                    recipients: &built.recipients,
                    to: &view.to,
                    subject: &view.subject,
                    mime: &built.mime,
                    attachment_name: attachment_name.as_deref(),
                    issues_invoice: false,
                },
                now,
            )?;
            mdb::record_reminder(tx, open.id, open.due_date, offset, id, now)?;
            let to = view.to.join(", ");
            let facts = billable_core::model::ActivityFacts {
                how: Some(kind.to_string()),
                to: Some(to.clone()),
                days: Some(offset),
                ..Default::default()
            };
            idb::log_facts(
                tx,
                open.id,
                now,
                "reminder_queued",
                &format!("{kind} reminder ({}) to {to} queued (job {id})", describe_offset(offset)),
                Some(&facts),
            )?;
            view.job_id = Some(id);
        }
        if view.skipped.is_some() {
            view.late_fee = None;
        }
        out.push(view);
    }
    Ok((today, out))
}

/// The words of a reminder's placeholder: the late fee it charges and its
/// invoice (empty without one, so their line is left out), else `words`.
fn fee_words(name: &str, fee: Option<&ReminderFee>, out: &mut String, words: impl FnOnce(&str, &mut String)) {
    use std::fmt::Write as _;
    match (name, fee) {
        ("late_fee", Some(f)) => {
            let _ = write!(out, "{}", super::format_money(f.amount, f.currency));
        }
        ("late_fee_invoice", Some(f)) => out.push_str(f.fee_invoice.as_deref().unwrap_or_default()),
        ("late_fee" | "late_fee_invoice", None) => {}
        _ => words(name, out),
    }
}

fn describe_offset(offset: i64) -> String {
    match offset {
        0 => "on the due date".into(),
        n if n < 0 => format!("{} days before the due date", -n),
        n => format!("{n} days after the due date"),
    }
}

/// The latest schedule point on or before `today` (and after the issue
/// date): which template, the offset from the due date, and its date.
fn latest_point(
    s: &ScheduleRow,
    issued: NaiveDate,
    due: NaiveDate,
    today: NaiveDate,
) -> Option<(TemplateKind, i64, NaiveDate)> {
    if !s.enabled {
        return None;
    }
    let before = s.days_before.iter().map(|d| (TemplateKind::Reminder, -i64::from(*d)));
    let after = s.days_after.iter().filter(|d| **d > 0).map(|d| (TemplateKind::Overdue, i64::from(*d)));
    before
        .chain(after)
        .map(|(k, off)| (k, off, due + Duration::days(off)))
        .filter(|(_, _, date)| *date <= today && *date > issued)
        .max_by_key(|(_, off, _)| *off)
}

fn parse_days(field: &str, text: &str) -> AppResult<Vec<u32>> {
    let mut out: Vec<u32> = Vec::new();
    for part in text.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<u32>() {
            Ok(n) if n <= 365 => {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            _ => return Err(AppError::invalid(field, format!("'{part}' is not a number of days from 0 to 365"))),
        }
    }
    out.sort_unstable_by(|a, b| b.cmp(a));
    Ok(out)
}

/// The schedule that applies to a scope, with where it comes from.
fn effective_schedule(tx: &Tx, scope: ScheduleScope) -> AppResult<(String, ScheduleRow)> {
    if let ScheduleScope::Invoice(id) = scope {
        if let Some(s) = mdb::schedule(tx, "invoice", id)? {
            return Ok(("invoice".into(), s));
        }
        let inv = idb::invoice(tx, id)?.ok_or_else(|| AppError::not_found("invoice", id))?;
        return effective_schedule(tx, ScheduleScope::Client(inv.client_id));
    }
    if let ScheduleScope::Client(id) = scope {
        if let Some(s) = mdb::schedule(tx, "client", id)? {
            return Ok(("client".into(), s));
        }
    }
    let s = mdb::schedule(tx, "business", 0)?.unwrap_or_default();
    Ok(("business".into(), s))
}

fn schedule_view(tx: &Tx, scope: ScheduleScope) -> AppResult<ScheduleView> {
    let (source, s) = effective_schedule(tx, scope)?;
    Ok(ScheduleView {
        scope,
        source,
        enabled: s.enabled,
        days_before: s.days_before,
        days_after: s.days_after,
        late_fees: s.late_fees,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_latest_point_on_or_before_today_and_after_issue_is_due() {
        let s =
            ScheduleRow { enabled: true, days_before: vec![7, 3, 1], days_after: vec![1, 7, 14], late_fees: vec![] };
        let (issued, due) = (d("2026-05-10"), d("2026-06-09"));
        assert_eq!(latest_point(&s, issued, due, d("2026-06-01")), None);
        assert_eq!(latest_point(&s, issued, due, d("2026-06-02")), Some((TemplateKind::Reminder, -7, d("2026-06-02"))));
        assert_eq!(latest_point(&s, issued, due, d("2026-06-09")), Some((TemplateKind::Reminder, -1, d("2026-06-08"))));
        assert_eq!(latest_point(&s, issued, due, d("2026-06-30")), Some((TemplateKind::Overdue, 14, d("2026-06-23"))));
        // Issued late: points before the issue date never fire.
        assert_eq!(latest_point(&s, d("2026-06-07"), due, d("2026-06-07")), None);
        let off = ScheduleRow { enabled: false, ..s };
        assert_eq!(latest_point(&off, issued, due, d("2026-06-30")), None);
    }

    #[test]
    fn days_are_parsed_checked_and_sorted() {
        assert_eq!(parse_days("before", "1, 7,3 7").unwrap(), vec![7, 3, 1]);
        assert!(parse_days("before", "3,x").is_err());
        assert!(parse_days("before", "400").is_err());
    }
}
