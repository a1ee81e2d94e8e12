//! Email records: SMTP settings (never the password), templates, the outbox
//! and reminders.

use std::collections::{HashMap, HashSet};

use crate::params;
use crate::sql::{OptionalExtension, Row, Tx};
use billable_core::late_fee::LateFee;
use billable_core::Currency;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::codec::*;
use crate::error::{StoreError, StoreResult};

/// The SMTP settings as stored (no password column exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpRow {
    pub host: String,
    pub port: u16,
    pub security: String,
    pub username: String,
    pub from_address: String,
    pub from_name: String,
    pub reply_to: Option<String>,
    pub extra_root_pem: Option<String>,
}

pub fn smtp(c: &Tx) -> StoreResult<Option<SmtpRow>> {
    c.query_row(
        "SELECT host, port, security, username, from_address, from_name, reply_to, extra_root_pem
         FROM smtp_settings WHERE id = 1",
        [],
        |r| {
            Ok(SmtpRow {
                host: r.get(0)?,
                port: r.get(1)?,
                security: r.get(2)?,
                username: r.get(3)?,
                from_address: r.get(4)?,
                from_name: r.get(5)?,
                reply_to: r.get(6)?,
                extra_root_pem: r.get(7)?,
            })
        },
    )
    .optional()
}

pub fn save_smtp(c: &Tx, s: &SmtpRow, now: DateTime<Utc>) -> StoreResult<()> {
    c.execute(
        "INSERT INTO smtp_settings (id, host, port, security, username, from_address, from_name, reply_to,
            extra_root_pem, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET host=?1, port=?2, security=?3, username=?4, from_address=?5,
            from_name=?6, reply_to=?7, extra_root_pem=?8, updated_at=?9",
        params![
            s.host,
            s.port,
            s.security,
            s.username,
            s.from_address,
            s.from_name,
            s.reply_to,
            s.extra_root_pem,
            now.timestamp()
        ],
    )?;
    Ok(())
}

// ---- templates ---------------------------------------------------------------

/// An edited template (subject, body); `None` when the default applies.
pub fn template(c: &Tx, kind: &str) -> StoreResult<Option<(String, String)>> {
    c.query_row("SELECT subject, body FROM mail_templates WHERE kind = ?1", [kind], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

pub fn save_template(c: &Tx, kind: &str, subject: &str, body: &str) -> StoreResult<()> {
    c.execute(
        "INSERT INTO mail_templates (kind, subject, body) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind) DO UPDATE SET subject = ?2, body = ?3",
        params![kind, subject, body],
    )?;
    Ok(())
}

pub fn reset_template(c: &Tx, kind: &str) -> StoreResult<()> {
    c.execute("DELETE FROM mail_templates WHERE kind = ?1", [kind])?;
    Ok(())
}

// ---- outbox ------------------------------------------------------------------

/// A job as stored, without its MIME bytes (see [`job_mime`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxJob {
    pub id: i64,
    /// invoice, reminder, overdue or estimate.
    pub kind: String,
    pub invoice_id: Option<i64>,
    pub invoice_number: Option<String>,
    /// The estimate an estimate's email carries.
    pub estimate_id: Option<i64>,
    pub estimate_number: Option<String>,
    pub state: String,
    pub phase: Option<String>,
    pub message_id: String,
    pub envelope_from: String,
    pub recipients: Vec<String>,
    pub to: Vec<String>,
    pub subject: String,
    pub attachment_name: Option<String>,
    pub size_bytes: i64,
    /// Issues the draft invoice (marks the draft estimate sent) once accepted.
    pub issues_invoice: bool,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_code: Option<String>,
    pub server_response: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A new job to queue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub invoice_id: Option<i64>,
    pub estimate_id: Option<i64>,
    pub message_id: &'a str,
    pub envelope_from: &'a str,
    pub recipients: &'a [String],
    pub to: &'a [String],
    pub subject: &'a str,
    pub mime: &'a [u8],
    pub attachment_name: Option<&'a str>,
    pub issues_invoice: bool,
}

const JOB_COLS: &str = "o.id, o.kind, o.invoice_id, i.number, o.state, o.phase, o.message_id, o.envelope_from,
    o.recipients, o.to_addresses, o.subject, o.attachment_name, length(o.mime), o.issues_invoice, o.attempts,
    o.next_attempt_at, o.last_attempt_at, o.last_error, o.last_error_code, o.server_response, o.created_at,
    o.sent_at, o.estimate_id, e.number";
const JOB_FROM: &str =
    "FROM outbox o LEFT JOIN invoices i ON i.id = o.invoice_id LEFT JOIN estimates e ON e.id = o.estimate_id";

fn job_row(r: &Row) -> StoreResult<OutboxJob> {
    Ok(OutboxJob {
        id: r.get(0)?,
        kind: r.get(1)?,
        invoice_id: r.get(2)?,
        invoice_number: r.get(3)?,
        estimate_id: r.get(22)?,
        estimate_number: r.get(23)?,
        state: r.get(4)?,
        phase: r.get(5)?,
        message_id: r.get(6)?,
        envelope_from: r.get(7)?,
        recipients: json_list(r, 8)?,
        to: json_list(r, 9)?,
        subject: r.get(10)?,
        attachment_name: r.get(11)?,
        size_bytes: r.get(12)?,
        issues_invoice: r.get(13)?,
        attempts: r.get(14)?,
        next_attempt_at: ts_opt(r, 15)?,
        last_attempt_at: ts_opt(r, 16)?,
        last_error: r.get(17)?,
        last_error_code: r.get(18)?,
        server_response: r.get(19)?,
        created_at: ts(r, 20)?,
        sent_at: ts_opt(r, 21)?,
    })
}

pub fn insert_job(c: &Tx, j: &NewJob, now: DateTime<Utc>) -> StoreResult<i64> {
    let id = c.insert(
        "INSERT INTO outbox (kind, invoice_id, estimate_id, state, message_id, envelope_from, recipients, to_addresses,
            subject, mime, attachment_name, issues_invoice, next_attempt_at, created_at)
         VALUES (?1, ?2, ?12, 'queued', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        params![
            j.kind,
            j.invoice_id,
            j.message_id,
            j.envelope_from,
            json_text(j.recipients),
            json_text(j.to),
            j.subject,
            j.mime,
            j.attachment_name,
            j.issues_invoice,
            now.timestamp(),
            j.estimate_id
        ],
    )?;
    Ok(id)
}

pub fn job(c: &Tx, id: i64) -> StoreResult<Option<OutboxJob>> {
    c.query_row(&format!("SELECT {JOB_COLS} {JOB_FROM} WHERE o.id = ?1"), [id], job_row).optional()
}

/// The exact bytes to send.
pub fn job_mime(c: &Tx, id: i64) -> StoreResult<Vec<u8>> {
    c.query_row("SELECT mime FROM outbox WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Corrupt(format!("outbox job {id} vanished")))
}

/// Jobs in the given states (all when empty), newest first.
pub fn jobs(c: &Tx, states: &[&str], limit: u32) -> StoreResult<Vec<OutboxJob>> {
    let filter = if states.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = states.iter().map(|s| format!("'{}'", s.replace('\'', ""))).collect();
        format!("WHERE o.state IN ({})", list.join(","))
    };
    let mut st = c.prepare(&format!("SELECT {JOB_COLS} {JOB_FROM} {filter} ORDER BY o.id DESC LIMIT {limit}"))?;
    let rows = st.query_map([], job_row)?;
    rows.collect::<Result<_, _>>()
}

/// Ids of queued jobs due at `now`, oldest first.
pub fn due_jobs(c: &Tx, now: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let mut st = c.prepare(
        "SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id",
    )?;
    let rows = st.query_map([now.timestamp()], |r| r.get(0))?;
    rows.collect::<Result<_, _>>()
}

/// Jobs left in 'sending' (their process stopped mid-way).
pub fn interrupted_jobs(c: &Tx) -> StoreResult<Vec<OutboxJob>> {
    let mut st = c.prepare(&format!("SELECT {JOB_COLS} {JOB_FROM} WHERE o.state = 'sending' ORDER BY o.id"))?;
    let rows = st.query_map([], job_row)?;
    rows.collect::<Result<_, _>>()
}

/// Takes a queued job for sending. False when it is no longer queued
/// (another run took it, or it was cancelled).
pub fn claim_job(c: &Tx, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    Ok(c.execute(
        "UPDATE outbox SET state = 'sending', phase = 'connecting', attempts = attempts + 1, last_attempt_at = ?2,
            next_attempt_at = NULL
         WHERE id = ?1 AND state = 'queued'",
        params![id, now.timestamp()],
    )? == 1)
}

pub fn mark_handed_over(c: &Tx, id: i64) -> StoreResult<()> {
    c.execute("UPDATE outbox SET phase = 'handed_over' WHERE id = ?1 AND state = 'sending'", [id])?;
    Ok(())
}

/// Records the server's acceptance. False when the job was not sending
/// (already recorded): recording twice changes nothing.
pub fn mark_sent(c: &Tx, id: i64, response: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    Ok(c.execute(
        "UPDATE outbox SET state = 'sent', phase = NULL, server_response = ?2, sent_at = ?3, last_error = NULL,
            last_error_code = NULL, next_attempt_at = NULL
         WHERE id = ?1 AND state = 'sending'",
        params![id, response, now.timestamp()],
    )? == 1)
}

/// Back to the queue after a failure that may pass.
pub fn mark_retry(c: &Tx, id: i64, code: &str, error: &str, next_attempt_at: DateTime<Utc>) -> StoreResult<()> {
    c.execute(
        "UPDATE outbox SET state = 'queued', phase = NULL, last_error = ?2, last_error_code = ?3,
            next_attempt_at = ?4
         WHERE id = ?1 AND state = 'sending'",
        params![id, error, code, next_attempt_at.timestamp()],
    )?;
    Ok(())
}

/// Stops retrying: the user must change something and retry by hand.
pub fn mark_failed(c: &Tx, id: i64, code: &str, error: &str) -> StoreResult<()> {
    c.execute(
        "UPDATE outbox SET state = 'failed', phase = NULL, last_error = ?2, last_error_code = ?3,
            next_attempt_at = NULL
         WHERE id = ?1 AND state = 'sending'",
        params![id, error, code],
    )?;
    Ok(())
}

/// Queues a waiting or failed job for now. False when it is in another state.
pub fn requeue(c: &Tx, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    Ok(c.execute(
        "UPDATE outbox SET state = 'queued', next_attempt_at = ?2 WHERE id = ?1 AND state IN ('queued','failed')",
        params![id, now.timestamp()],
    )? == 1)
}

/// Cancels a job that has not gone out. False when it is in another state.
pub fn cancel(c: &Tx, id: i64) -> StoreResult<bool> {
    Ok(c.execute(
        "UPDATE outbox SET state = 'cancelled', next_attempt_at = NULL WHERE id = ?1 AND state IN ('queued','failed')",
        [id],
    )? == 1)
}

/// True when an email for this invoice is waiting to go out (queued or
/// sending) and would issue it.
pub fn pending_for_invoice(c: &Tx, invoice_id: i64) -> StoreResult<Option<i64>> {
    c.query_row(
        "SELECT id FROM outbox WHERE invoice_id = ?1 AND state IN ('queued','sending') AND issues_invoice = 1
         ORDER BY id LIMIT 1",
        [invoice_id],
        |r| r.get(0),
    )
    .optional()
}

/// An email of this estimate waiting to go out (queued or sending) that
/// would mark the draft sent.
pub fn pending_for_estimate(c: &Tx, estimate_id: i64) -> StoreResult<Option<i64>> {
    c.query_row(
        "SELECT id FROM outbox WHERE estimate_id = ?1 AND state IN ('queued','sending') AND issues_invoice = 1
         ORDER BY id LIMIT 1",
        [estimate_id],
        |r| r.get(0),
    )
    .optional()
}

/// The emails of an estimate, oldest first.
pub fn jobs_for_estimate(c: &Tx, estimate_id: i64) -> StoreResult<Vec<OutboxJob>> {
    let mut st = c.prepare_cached(&format!("SELECT {JOB_COLS} {JOB_FROM} WHERE o.estimate_id = ?1 ORDER BY o.id"))?;
    let rows = st.query_map([estimate_id], job_row)?;
    rows.collect::<Result<_, _>>()
}

// ---- reminders ---------------------------------------------------------------

/// A reminder schedule: days before and after the due date, and the late
/// fees of its steps after the due date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScheduleRow {
    pub enabled: bool,
    pub days_before: Vec<u32>,
    pub days_after: Vec<u32>,
    /// By days after the due date, each a step of `days_after`.
    #[serde(default)]
    pub late_fees: Vec<StepFee>,
}

/// The late fee a reminder step adds: the step is its days after the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StepFee {
    pub days_after: u32,
    pub fee: LateFee,
}

impl ScheduleRow {
    /// The late fee of the step `days_after` the due date, if it has one.
    pub fn late_fee(&self, days_after: i64) -> Option<LateFee> {
        self.late_fees.iter().find(|f| i64::from(f.days_after) == days_after).map(|f| f.fee)
    }
}

fn step_fee(r: &Row, days_at: usize) -> StoreResult<StepFee> {
    let exact = |idx: usize| -> StoreResult<Option<Decimal>> {
        let t: Option<String> = r.get(idx)?;
        t.map(|t| t.parse::<Decimal>().map_err(|e| crate::codec::conversion(idx, e))).transpose()
    };
    let fee = match (exact(days_at + 1)?, exact(days_at + 2)?) {
        (Some(a), _) => LateFee::Fixed(a),
        (None, Some(p)) => LateFee::Percent(p),
        (None, None) => return Err(crate::codec::conversion(days_at + 1, "a late fee without amount or percent")),
    };
    Ok(StepFee { days_after: r.get(days_at)?, fee })
}

/// The late fees of one schedule, by days after the due date.
fn late_fees_of(c: &Tx, scope: &str, scope_id: i64) -> StoreResult<Vec<StepFee>> {
    let mut st = c.prepare_cached(
        "SELECT days_after, amount, percent FROM reminder_late_fees WHERE scope = ?1 AND scope_id = ?2
         ORDER BY days_after",
    )?;
    let rows = st.query_map(params![scope, scope_id], |r| step_fee(r, 0))?;
    rows.collect::<Result<_, _>>()
}

fn days(r: &Row, idx: usize) -> StoreResult<Vec<u32>> {
    let s: String = r.get(idx)?;
    serde_json::from_str(&s).map_err(|e| crate::codec::conversion(idx, e))
}

/// The schedule set for a scope ("business" with id 0, "client", "invoice").
pub fn schedule(c: &Tx, scope: &str, scope_id: i64) -> StoreResult<Option<ScheduleRow>> {
    let row = c
        .query_row(
            "SELECT enabled, days_before, days_after FROM reminder_schedules WHERE scope = ?1 AND scope_id = ?2",
            params![scope, scope_id],
            |r| {
                Ok(ScheduleRow {
                    enabled: r.get(0)?,
                    days_before: days(r, 1)?,
                    days_after: days(r, 2)?,
                    late_fees: vec![],
                })
            },
        )
        .optional()?;
    match row {
        Some(mut row) => {
            row.late_fees = late_fees_of(c, scope, scope_id)?;
            Ok(Some(row))
        }
        None => Ok(None),
    }
}

pub fn save_schedule(c: &Tx, scope: &str, scope_id: i64, s: &ScheduleRow) -> StoreResult<()> {
    c.execute(
        "INSERT INTO reminder_schedules (scope, scope_id, enabled, days_before, days_after)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (scope, scope_id) DO UPDATE SET enabled = ?3, days_before = ?4, days_after = ?5",
        params![scope, scope_id, s.enabled, days_text(&s.days_before), days_text(&s.days_after)],
    )?;
    c.execute("DELETE FROM reminder_late_fees WHERE scope = ?1 AND scope_id = ?2", params![scope, scope_id])?;
    for f in &s.late_fees {
        let (amount, percent) = match f.fee {
            LateFee::Fixed(a) => (Some(a.to_string()), None),
            LateFee::Percent(p) => (None, Some(p.to_string())),
        };
        c.execute(
            "INSERT INTO reminder_late_fees (scope, scope_id, days_after, amount, percent) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![scope, scope_id, f.days_after, amount, percent],
        )?;
    }
    Ok(())
}

pub fn clear_schedule(c: &Tx, scope: &str, scope_id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM reminder_schedules WHERE scope = ?1 AND scope_id = ?2", params![scope, scope_id])?;
    Ok(())
}

/// Every reminder schedule, by scope ("business", "client", "invoice") and
/// scope id: what a reminder run reads once instead of per invoice.
pub fn schedules(c: &Tx) -> StoreResult<HashMap<(String, i64), ScheduleRow>> {
    let mut st = c.prepare("SELECT scope, scope_id, enabled, days_before, days_after FROM reminder_schedules")?;
    let rows = st.query_map([], |r| {
        Ok((
            (r.get(0)?, r.get(1)?),
            ScheduleRow { enabled: r.get(2)?, days_before: days(r, 3)?, days_after: days(r, 4)?, late_fees: vec![] },
        ))
    })?;
    let mut all: HashMap<(String, i64), ScheduleRow> = rows.collect::<Result<_, _>>()?;
    let mut st = c.prepare(
        "SELECT scope, scope_id, days_after, amount, percent FROM reminder_late_fees ORDER BY scope, scope_id, days_after",
    )?;
    let fees = st.query_map([], |r| Ok(((r.get::<String>(0)?, r.get::<i64>(1)?), step_fee(r, 2)?)))?;
    for fee in fees {
        let (key, fee) = fee?;
        if let Some(s) = all.get_mut(&key) {
            s.late_fees.push(fee);
        }
    }
    Ok(all)
}

// ---- late fees -----------------------------------------------------------------

/// The fee invoice made for an invoice's reminder step: (id, number).
pub fn late_fee_invoice(c: &Tx, invoice_id: i64, days_after: i64) -> StoreResult<Option<(i64, String)>> {
    c.query_row(
        "SELECT f.fee_invoice_id, i.number FROM late_fee_invoices f JOIN invoices i ON i.id = f.fee_invoice_id
         WHERE f.invoice_id = ?1 AND f.days_after = ?2",
        params![invoice_id, days_after],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Links a fee invoice to the invoice and step it charges for. A second fee
/// for the same (invoice, step) is refused by the primary key.
pub fn link_late_fee(
    c: &Tx,
    invoice_id: i64,
    days_after: i64,
    fee_invoice_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    c.execute(
        "INSERT INTO late_fee_invoices (invoice_id, days_after, fee_invoice_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![invoice_id, days_after, fee_invoice_id, now.timestamp()],
    )?;
    Ok(())
}

/// Every invoice that is itself a late fee (a fee is never charged on a fee).
pub fn late_fee_invoice_ids(c: &Tx) -> StoreResult<HashSet<i64>> {
    let mut st = c.prepare("SELECT fee_invoice_id FROM late_fee_invoices")?;
    let rows = st.query_map([], |r| r.get(0))?;
    rows.collect::<Result<_, _>>()
}

/// The fee invoices made for an invoice: (days after the due date, number), by step.
pub fn late_fees_for(c: &Tx, invoice_id: i64) -> StoreResult<Vec<(i64, String)>> {
    let mut st = c.prepare(
        "SELECT f.days_after, i.number FROM late_fee_invoices f JOIN invoices i ON i.id = f.fee_invoice_id
         WHERE f.invoice_id = ?1 ORDER BY f.days_after",
    )?;
    let rows = st.query_map([invoice_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_, _>>()
}

/// An invoice that may need a reminder: issued, unpaid, not cancelled, with
/// what a reminder's words say about it (the header's stored totals).
#[derive(Debug, Clone)]
pub struct OpenInvoice {
    pub id: i64,
    pub number: String,
    pub client_id: i64,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: Currency,
    pub total: Decimal,
    pub amount_paid: Decimal,
    pub balance_due: Decimal,
}

/// The open invoices by due date.
pub fn open_invoices(c: &Tx) -> StoreResult<Vec<OpenInvoice>> {
    let mut st = c.prepare(
        "SELECT id, number, client_id, issue_date, due_date, currency, total_minor, paid_minor, balance_minor
         FROM invoices INDEXED BY invoices_open_reminders
         WHERE status IN ('sent','partially_paid') AND balance_minor > 0 ORDER BY due_date, id",
    )?;
    // Thousands of rows in a handful of currencies: each code is parsed once.
    let mut seen: Vec<(String, Currency)> = Vec::new();
    let rows = st.query_map([], |r| {
        let cur = match r.get_ref(5)? {
            crate::sql::ValueRef::Text(t) => match seen.iter().find(|(code, _)| code.as_bytes() == t) {
                Some((_, c)) => *c,
                None => {
                    let c = currency(r, 5)?;
                    seen.push((String::from_utf8_lossy(t).into_owned(), c));
                    c
                }
            },
            _ => currency(r, 5)?,
        };
        Ok(OpenInvoice {
            id: r.get(0)?,
            number: r.get(1)?,
            client_id: r.get(2)?,
            issue_date: date(r, 3)?,
            due_date: date(r, 4)?,
            currency: cur,
            total: money(r, 6, cur)?,
            amount_paid: money(r, 7, cur)?,
            balance_due: money(r, 8, cur)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

pub fn reminder_recorded(c: &Tx, invoice_id: i64, due: NaiveDate, offset_days: i64) -> StoreResult<bool> {
    c.query_row(
        "SELECT EXISTS (SELECT 1 FROM sent_reminders WHERE invoice_id = ?1 AND due_date = ?2 AND offset_days = ?3)",
        params![invoice_id, due.to_string(), offset_days],
        |r| r.get(0),
    )
}

/// The reminders recorded for invoices from `first_invoice` on: (invoice,
/// due date as stored, offset). A run passes its oldest open invoice, so
/// one read answers what [`reminder_recorded`] answers per invoice, without
/// the reminders of invoices settled long before.
pub fn reminders_from(c: &Tx, first_invoice: i64) -> StoreResult<HashSet<(i64, String, i64)>> {
    let mut st = c.prepare("SELECT invoice_id, due_date, offset_days FROM sent_reminders WHERE invoice_id >= ?1")?;
    let rows = st.query_map([first_invoice], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect::<Result<_, _>>()
}

/// The invoices whose own email (the one that issues them) is still queued
/// or sending: those [`pending_for_invoice`] finds a job for.
pub fn invoices_with_pending_email(c: &Tx) -> StoreResult<HashSet<i64>> {
    let mut st = c.prepare(
        "SELECT DISTINCT invoice_id FROM outbox
         WHERE invoice_id IS NOT NULL AND state IN ('queued','sending') AND issues_invoice = 1",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    rows.collect::<Result<_, _>>()
}

/// Records a reminder; false when it was recorded before (it goes once).
pub fn record_reminder(
    c: &Tx,
    invoice_id: i64,
    due: NaiveDate,
    offset_days: i64,
    outbox_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    Ok(c.execute(
        "INSERT INTO sent_reminders (invoice_id, due_date, offset_days, outbox_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        params![invoice_id, due.to_string(), offset_days, outbox_id, now.timestamp()],
    )? == 1)
}

fn days_text(d: &[u32]) -> String {
    let list: Vec<String> = d.iter().map(u32::to_string).collect();
    format!("[{}]", list.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap()
    }

    fn queued(c: &Tx, mid: &str) -> i64 {
        let to = vec!["a@x.example".to_string()];
        insert_job(
            c,
            &NewJob {
                kind: "invoice",
                invoice_id: None,
                estimate_id: None,
                message_id: mid,
                envelope_from: "me@x.example",
                recipients: &to,
                to: &to,
                subject: "Hi",
                mime: b"From: me\r\n\r\nbody",
                attachment_name: None,
                issues_invoice: false,
            },
            now(),
        )
        .unwrap()
    }

    #[test]
    fn a_run_reads_at_once_what_it_would_ask_per_invoice() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("books.db")).unwrap();
        let c = store.connection();
        c.execute_batch("INSERT INTO clients (id, name) VALUES (1, 'Acme'), (2, 'Globex');").unwrap();
        let statuses = ["draft", "sent", "partially_paid", "paid", "cancelled"];
        for id in 1..=60_i64 {
            let status = statuses[(id % 5) as usize];
            let balance = if id % 7 == 0 { 0 } else { 1000 + id };
            c.execute(
                "INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, tax_mode, status,
                                       total_minor, paid_minor, balance_minor, created_at, updated_at)
                 VALUES (?1, 'N-' || ?1, ?2, '2026-05-01', ?3, ?4, 'summary', ?5, 5000 + ?1, 5000 - ?6, ?6, 0, 0)",
                params![
                    id,
                    1 + id % 2,
                    format!("2026-06-{:02}", 1 + (id * 7) % 28),
                    ["EUR", "JPY", "BHD"][(id % 3) as usize],
                    status,
                    balance
                ],
            )
            .unwrap();
        }
        let day = |id: i64| NaiveDate::from_ymd_opt(2026, 6, 1 + (id * 7 % 28) as u32).unwrap();
        let job = queued(c, "<reminders@x.example>");
        for id in (1..=60).step_by(3) {
            record_reminder(c, id, day(id), -3, job, now()).unwrap();
            record_reminder(c, id, day(id), 7, job, now()).unwrap();
        }
        let to = vec!["a@x.example".to_string()];
        for (n, id) in [4_i64, 9, 11, 12].into_iter().enumerate() {
            let id = insert_job(
                c,
                &NewJob {
                    kind: "invoice",
                    invoice_id: Some(id),
                    estimate_id: None,
                    message_id: &format!("<{n}@x.example>"),
                    envelope_from: "me@x.example",
                    recipients: &to,
                    to: &to,
                    subject: "Hi",
                    mime: b"x",
                    attachment_name: None,
                    issues_invoice: id != 12,
                },
                now(),
            )
            .unwrap();
            if n == 2 {
                cancel(c, id).unwrap();
            }
        }
        save_schedule(c, "client", 2, &ScheduleRow { enabled: false, ..Default::default() }).unwrap();
        save_schedule(
            c,
            "invoice",
            5,
            &ScheduleRow {
                enabled: true,
                days_before: vec![5],
                days_after: vec![2],
                late_fees: vec![StepFee { days_after: 2, fee: LateFee::Percent("1.5".parse().unwrap()) }],
            },
        )
        .unwrap();

        // The open invoices: issued, unpaid, by due date, with their stored figures.
        let open = open_invoices(c).unwrap();
        let direct: Vec<(i64, String, i64)> = c
            .prepare(
                "SELECT id, number, total_minor FROM invoices NOT INDEXED
                 WHERE status IN ('sent','partially_paid') AND balance_minor > 0 ORDER BY due_date, id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(direct.len() > 15);
        let got: Vec<(i64, String, i64)> =
            open.iter().map(|o| (o.id, o.number.clone(), o.currency.to_minor(o.total).unwrap())).collect();
        assert_eq!(got, direct);
        let plan: Vec<String> = c
            .prepare(
                "EXPLAIN QUERY PLAN SELECT id, number, client_id, issue_date, due_date, currency, total_minor,
                        paid_minor, balance_minor
                 FROM invoices INDEXED BY invoices_open_reminders
                 WHERE status IN ('sent','partially_paid') AND balance_minor > 0 ORDER BY due_date, id",
            )
            .unwrap()
            .query_map([], |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(plan.iter().any(|l| l.contains("COVERING INDEX invoices_open_reminders")), "{plan:?}");
        assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "read in order: {plan:?}");

        // Recorded reminders, pending invoice emails and schedules: the same
        // answers as asking for each invoice.
        let first = open.iter().map(|o| o.id).min().unwrap();
        let recorded = reminders_from(c, first).unwrap();
        let pending = invoices_with_pending_email(c).unwrap();
        let schedules = schedules(c).unwrap();
        for o in &open {
            for offset in [-3, 7, 2] {
                assert_eq!(
                    recorded.contains(&(o.id, o.due_date.to_string(), offset)),
                    reminder_recorded(c, o.id, o.due_date, offset).unwrap(),
                    "invoice {} offset {offset}",
                    o.id
                );
            }
            assert_eq!(pending.contains(&o.id), pending_for_invoice(c, o.id).unwrap().is_some(), "invoice {}", o.id);
            for (scope, id) in [("invoice", o.id), ("client", o.client_id)] {
                assert_eq!(schedules.get(&(scope.to_string(), id)), schedule(c, scope, id).unwrap().as_ref());
            }
        }
        assert_eq!(pending, HashSet::from([4, 9]));
        let mut scopes: Vec<(String, i64)> = schedules.keys().cloned().collect();
        scopes.sort();
        assert_eq!(scopes, [("business".to_string(), 0), ("client".into(), 2), ("invoice".into(), 5)]);
    }

    #[test]
    fn a_job_is_claimed_once_and_its_acceptance_recorded_once() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        let id = queued(c, "<1@x.example>");
        assert_eq!(due_jobs(c, now()).unwrap(), vec![id]);
        assert!(claim_job(c, id, now()).unwrap());
        assert!(!claim_job(c, id, now()).unwrap(), "a second run cannot take it");
        assert!(due_jobs(c, now()).unwrap().is_empty());
        mark_handed_over(c, id).unwrap();
        assert_eq!(interrupted_jobs(c).unwrap()[0].phase.as_deref(), Some("handed_over"));
        assert!(mark_sent(c, id, "250 ok", now()).unwrap());
        assert!(!mark_sent(c, id, "250 ok", now()).unwrap(), "recording twice changes nothing");
        assert!(!cancel(c, id).unwrap() && !requeue(c, id, now()).unwrap(), "a sent job stays sent");
        assert_eq!(job_mime(c, id).unwrap(), b"From: me\r\n\r\nbody");
        let j = job(c, id).unwrap().unwrap();
        assert_eq!((j.state.as_str(), j.attempts, j.size_bytes), ("sent", 1, 16));
    }

    #[test]
    fn message_ids_are_unique_and_the_sending_phase_is_checked() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        queued(c, "<1@x.example>");
        let to = vec!["a@x.example".to_string()];
        let dup = insert_job(
            c,
            &NewJob {
                kind: "invoice",
                invoice_id: None,
                estimate_id: None,
                message_id: "<1@x.example>",
                envelope_from: "me@x.example",
                recipients: &to,
                to: &to,
                subject: "Hi",
                mime: b"x",
                attachment_name: None,
                issues_invoice: false,
            },
            now(),
        );
        assert!(dup.unwrap_err().is_unique_violation());
        assert!(c.execute("UPDATE outbox SET state = 'sending' WHERE id = 1", []).is_err(), "sending needs a phase");
    }

    #[test]
    fn schedules_and_reminders_are_recorded_once() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        let b = schedule(c, "business", 0).unwrap().unwrap();
        assert_eq!((b.enabled, b.days_before.clone(), b.days_after.clone()), (true, vec![7, 3, 1], vec![1, 7, 14]));
        let off = ScheduleRow {
            enabled: false,
            days_before: vec![2],
            days_after: vec![3, 10],
            late_fees: vec![
                StepFee { days_after: 3, fee: LateFee::Fixed("5.00".parse().unwrap()) },
                StepFee { days_after: 10, fee: LateFee::Percent("1.25".parse().unwrap()) },
            ],
        };
        save_schedule(c, "client", 4, &off).unwrap();
        assert_eq!(schedule(c, "client", 4).unwrap(), Some(off.clone()));
        assert_eq!(schedules(c).unwrap().get(&("client".to_string(), 4)), Some(&off));
        // Stored exactly, as decimal text.
        let stored: Vec<(i64, Option<String>, Option<String>)> = c
            .prepare("SELECT days_after, amount, percent FROM reminder_late_fees WHERE scope = 'client' ORDER BY 1")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stored, [(3, Some("5.00".to_string()), None), (10, None, Some("1.25".to_string()))]);
        assert!(
            c.execute("INSERT INTO reminder_late_fees VALUES ('client', 4, 5, '1', '2')", []).is_err(),
            "a fee is fixed or a percentage, not both"
        );
        clear_schedule(c, "client", 4).unwrap();
        assert_eq!(schedule(c, "client", 4).unwrap(), None);
        let left: i64 = c.query_row("SELECT count(*) FROM reminder_late_fees", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0, "the fees go with their schedule");
        assert!(smtp(c).unwrap().is_none());
        let cols: Vec<String> = c
            .prepare("SELECT name FROM pragma_table_info('smtp_settings')")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!cols.iter().any(|c| c.contains("pass") || c.contains("secret")), "no password column: {cols:?}");
    }
}
