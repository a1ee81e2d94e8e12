//! The outbox: an email is a job holding its exact MIME bytes; it moves
//! queued → sending → sent, or back to queued with back-off, or to failed
//! (needs the user), or cancelled. See the module above for the rule that
//! makes a message go out at most once.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::time::SystemTime;

use billable_core::model::ActivityFacts;
use billable_core::model::Invoice;
use billable_core::status::InvoiceStatus;
use billable_mail::message::{new_message_id, Outgoing};
use billable_mail::{Attachment, MailError, Sensitive, TemplateKind};
use billable_store::invoices as idb;
use billable_store::mail::{self as mdb, NewJob, OutboxJob};
use billable_store::{StoreError, Tx};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{compose, recipients, settings};
use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{issue, resolve, view};
use crate::views::InvoiceView;
use crate::Billable;

/// After this many attempts a job stops retrying by itself.
const MAX_ATTEMPTS: u32 = 30;

/// Set `BILLABLE_FAULT=abort-after-smtp-accept` to stop the process right
/// after the server accepted a message and before it is recorded: the crash
/// the outbox must survive without sending twice (used by the tests).
const FAULT_ENV: &str = "BILLABLE_FAULT";
const FAULT_AFTER_ACCEPT: &str = "abort-after-smtp-accept";

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct SendInvoiceInput {
    /// Invoice number or id.
    pub invoice: String,
    /// Recipients; empty for the client's billing emails.
    pub to: Vec<String>,
    /// Replaces the template's subject (placeholders allowed).
    pub subject: Option<String>,
    /// Replaces the template's message (placeholders allowed).
    pub message: Option<String>,
    /// A blind copy to the sender address.
    pub copy_me: bool,
}

/// What sending one invoice did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SendOutcome {
    /// sent, queued (waiting for a retry) or failed.
    pub state: String,
    pub job: OutboxJob,
    pub invoice: InvoiceView,
}

/// The result of bulk sending, per invoice.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkSendResult {
    pub invoice: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::ErrorBody>,
}

/// What one pass over the outbox did to a job.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JobResult {
    pub job_id: i64,
    pub invoice: Option<String>,
    /// The estimate an estimate's email carries.
    pub estimate: Option<String>,
    /// sent, queued, failed or cancelled.
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// One pass over the outbox.
#[derive(Debug, Clone, Serialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxRun {
    /// Another Billable was already sending; this pass did nothing.
    pub busy: bool,
    /// Jobs found interrupted by a stopped process and settled.
    pub recovered: Vec<JobResult>,
    pub results: Vec<JobResult>,
}

fn backoff(attempts: u32) -> Duration {
    match attempts {
        0 | 1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(15),
        4 => Duration::hours(1),
        5 => Duration::hours(3),
        _ => Duration::hours(6),
    }
}

/// Refuses to change a draft whose email is waiting in the outbox: what is
/// queued must stay what the invoice says.
pub(crate) fn ensure_no_pending_email(tx: &Tx, inv: &Invoice) -> AppResult<()> {
    if let Some(job) = mdb::pending_for_invoice(tx, inv.id)? {
        return Err(AppError::conflict(format!(
            "invoice {} is waiting in the outbox to be emailed (job {job}); cancel that email in the outbox first",
            inv.number
        )));
    }
    Ok(())
}

pub(super) fn job_or_404(tx: &Tx, id: i64) -> AppResult<OutboxJob> {
    mdb::job(tx, id)?.ok_or_else(|| AppError::not_found("outbox job", id))
}

fn result_of(job: &OutboxJob) -> JobResult {
    JobResult {
        job_id: job.id,
        invoice: job.invoice_number.clone(),
        estimate: job.estimate_number.clone(),
        state: job.state.clone(),
        error: job.last_error.clone(),
        next_attempt_at: job.next_attempt_at,
    }
}

/// Records the server's acceptance, with what it means for the invoice (or
/// the estimate), in the caller's transaction. Recording twice changes
/// nothing.
fn record_acceptance(tx: &Tx, clock: &dyn Clock, job: &OutboxJob, response: &str) -> AppResult<()> {
    let now = clock.now();
    if !mdb::mark_sent(tx, job.id, response, now)? {
        return Ok(());
    }
    if job.kind == TemplateKind::Estimate.as_str() {
        return super::estimates::record_acceptance(tx, clock, job);
    }
    let Some(invoice_id) = job.invoice_id else { return Ok(()) };
    let Some(mut inv) = idb::invoice(tx, invoice_id)? else { return Ok(()) };
    let to = job.recipients.join(", ");
    match job.kind.as_str() {
        "invoice" => {
            if job.issues_invoice && inv.status == InvoiceStatus::Draft {
                let lines = idb::lines(tx, inv.id, inv.currency)?;
                issue(clock, &mut inv, &lines)?;
                idb::update_invoice(tx, &inv, now.timestamp())?;
                let facts = ActivityFacts { how: Some("email".into()), to: Some(to.clone()), ..Default::default() };
                let detail = format!("emailed to {to}; the invoice is issued");
                idb::log_facts(tx, inv.id, now, "sent", &detail, Some(&facts))?;
            } else {
                let facts = ActivityFacts { to: Some(to.clone()), ..Default::default() };
                idb::log_facts(tx, inv.id, now, "emailed", &format!("emailed to {to}"), Some(&facts))?;
            }
        }
        kind => {
            let facts = ActivityFacts { how: Some(kind.to_string()), to: Some(to.clone()), ..Default::default() };
            let detail = format!("{kind} reminder emailed to {to}");
            idb::log_facts(tx, inv.id, now, "reminder_sent", &detail, Some(&facts))?;
        }
    }
    Ok(())
}

/// Queues an invoice's email in the caller's transaction (the invoice's
/// `invoice` key in `i` is not read): checks that the invoice can be emailed,
/// builds the message and stores its bytes as a queued job. Used by
/// `send_invoice` and by recurring profiles in send mode, so a generated
/// invoice and its email are written together.
pub(crate) fn queue_invoice_job(
    tx: &Tx,
    clock: &dyn Clock,
    inv: &Invoice,
    i: &SendInvoiceInput,
    attachment: Option<Attachment>,
) -> AppResult<i64> {
    if inv.status == InvoiceStatus::Cancelled {
        return Err(AppError::conflict(format!("invoice {} is cancelled; it cannot be emailed", inv.number)));
    }
    if inv.status == InvoiceStatus::Draft && idb::lines(tx, inv.id, inv.currency)?.is_empty() {
        return Err(AppError::invalid(
            "lines",
            format!("invoice {} has no lines; add at least one before sending it", inv.number),
        ));
    }
    ensure_no_pending_email(tx, inv)?;
    let s = settings(tx)?;
    let client = client_or_404(tx, inv.client_id)?;
    let to = recipients(&i.to, &client)?;
    let c = compose(tx, clock, TemplateKind::Invoice, inv, i.subject.as_deref(), i.message.as_deref())?;
    let bcc = if i.copy_me { vec![s.from_address.clone()] } else { vec![] };
    let attachment_name = attachment.as_ref().map(|a| a.file_name.clone());
    let out = Outgoing {
        to: to.clone(),
        bcc,
        subject: c.subject.clone(),
        text: c.text,
        link: c.link,
        attachment,
        message_id: new_message_id(&s.from_address),
        date: SystemTime::from(clock.now()),
    };
    let built = billable_mail::build(&s, &out)?;
    let now = clock.now();
    let id = mdb::insert_job(
        tx,
        &NewJob {
            kind: TemplateKind::Invoice.as_str(),
            invoice_id: Some(inv.id),
            estimate_id: None,
            message_id: &built.message_id,
            envelope_from: &built.envelope_from,
            recipients: &built.recipients,
            to: &to,
            subject: &c.subject,
            mime: &built.mime,
            attachment_name: attachment_name.as_deref(),
            issues_invoice: inv.status == InvoiceStatus::Draft,
        },
        now,
    )?;
    let facts = ActivityFacts { to: Some(to.join(", ")), ..Default::default() };
    let detail = format!("email to {} queued (job {id})", to.join(", "));
    idb::log_facts(tx, inv.id, now, "email_queued", &detail, Some(&facts))?;
    Ok(id)
}

/// The lock that lets one process at a time work the outbox.
enum OutboxLock {
    Held(#[allow(dead_code)] Option<File>),
    Busy,
}

fn lock_path(db: &std::path::Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".outbox-lock");
    db.with_file_name(name)
}

impl Billable {
    fn outbox_lock(&self) -> AppResult<OutboxLock> {
        let Some(path) = self.path.as_deref() else { return Ok(OutboxLock::Held(None)) };
        let lp = lock_path(path);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lp)
            .map_err(|e| AppError::conflict(format!("could not open the outbox lock {}: {e}", lp.display())))?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => Ok(OutboxLock::Held(Some(file))),
            Err(fs4::TryLockError::WouldBlock) => Ok(OutboxLock::Busy),
            Err(fs4::TryLockError::Error(e)) => {
                Err(AppError::conflict(format!("could not lock the outbox {}: {e}", lp.display())))
            }
        }
    }

    // ---- sending ------------------------------------------------------------------

    /// Emails an invoice: the message (with `attachment`, byte for byte) is
    /// queued in the outbox, then delivered. A draft becomes sent only when
    /// the server accepts it. When the server cannot be reached the email
    /// waits in the outbox (state "queued") and the invoice stays as it was;
    /// a failure that needs the user (a wrong password) is an error and the
    /// job waits as "failed" for `retry_outbox`.
    pub fn send_invoice(&mut self, i: SendInvoiceInput, attachment: Option<Attachment>) -> AppResult<SendOutcome> {
        let job_id = self.queue_invoice_email(&i, attachment)?;
        let failure = self.deliver_now(job_id)?;
        let (job, invoice) = self.read("read the outbox", |tx, clock| {
            let job = job_or_404(tx, job_id)?;
            let inv_id = job.invoice_id.ok_or_else(|| AppError::not_found("invoice", &i.invoice))?;
            Ok((job, view(tx, clock, inv_id)?))
        })?;
        if job.state == "failed" {
            if let Some(source) = failure {
                return Err(AppError::Mail {
                    operation: format!(
                        "email invoice {} (the email waits in the outbox as failed job {}; fix the cause, then \
                         retry it from the outbox)",
                        invoice.invoice.number, job.id
                    ),
                    source,
                });
            }
        }
        Ok(SendOutcome { state: job.state.clone(), job, invoice })
    }

    fn queue_invoice_email(&mut self, i: &SendInvoiceInput, attachment: Option<Attachment>) -> AppResult<i64> {
        self.write("queue the invoice email", |tx, clock| {
            let inv = resolve(tx, &i.invoice)?;
            queue_invoice_job(tx, clock, &inv, i, attachment)
        })
    }

    /// Emails several invoices, each on its own; reports each result.
    pub fn send_invoices(&mut self, inputs: Vec<(SendInvoiceInput, Option<Attachment>)>) -> Vec<BulkSendResult> {
        inputs
            .into_iter()
            .map(|(input, attachment)| {
                let key = input.invoice.clone();
                match self.send_invoice(input, attachment) {
                    Ok(o) => BulkSendResult {
                        invoice: o.invoice.invoice.number.clone(),
                        ok: true,
                        state: Some(o.state),
                        job_id: Some(o.job.id),
                        error: None,
                    },
                    Err(e) => {
                        BulkSendResult { invoice: key, ok: false, state: None, job_id: None, error: Some(e.to_body()) }
                    }
                }
            })
            .collect()
    }

    /// Delivers one queued job now if no other process holds the outbox
    /// (then that process sends it).
    pub(super) fn deliver_now(&mut self, job_id: i64) -> AppResult<Option<MailError>> {
        let lock = self.outbox_lock()?;
        if matches!(lock, OutboxLock::Busy) {
            return Ok(None);
        }
        self.recover_interrupted()?;
        let mut password = None;
        let (_, failure) = self.run_job(job_id, &mut password)?;
        drop(lock);
        Ok(failure)
    }

    /// Settles jobs a stopped process left in "sending". Call with the lock.
    fn recover_interrupted(&mut self) -> AppResult<Vec<JobResult>> {
        self.write("recover interrupted emails", |tx, clock| {
            let mut out = Vec::new();
            for job in mdb::interrupted_jobs(tx)? {
                if job.phase.as_deref() == Some("handed_over") {
                    record_acceptance(
                        tx,
                        clock,
                        &job,
                        "recorded after a restart: Billable stopped after handing the message to the server, \
                         so it was not sent again",
                    )?;
                } else {
                    mdb::mark_retry(
                        tx,
                        job.id,
                        "interrupted",
                        "Billable stopped before the server received the message; it will be sent again",
                        clock.now(),
                    )?;
                }
                out.push(result_of(&job_or_404(tx, job.id)?));
            }
            Ok(out)
        })
    }

    /// Sends one job: claim, deliver, record. Call with the lock held.
    fn run_job(
        &mut self,
        id: i64,
        password: &mut Option<Result<Option<Sensitive<String>>, MailError>>,
    ) -> AppResult<(JobResult, Option<MailError>)> {
        // Claim it (a reminder for an invoice paid meanwhile is cancelled,
        // and so is the email of an estimate declined or converted meanwhile).
        let claimed = self.write("start sending", |tx, clock| {
            let job = job_or_404(tx, id)?;
            if job.state != "queued" {
                return Ok(None);
            }
            if job.kind == TemplateKind::Estimate.as_str() && super::estimates::no_longer_wanted(tx, &job)? {
                mdb::cancel(tx, id)?;
                return Ok(None);
            }
            if matches!(job.kind.as_str(), "reminder" | "overdue") {
                let settled = match job.invoice_id {
                    Some(inv) => {
                        !matches!(idb::status(tx, inv)?, Some(InvoiceStatus::Sent | InvoiceStatus::PartiallyPaid))
                    }
                    None => true,
                };
                if settled {
                    mdb::cancel(tx, id)?;
                    return Ok(None);
                }
            }
            if !mdb::claim_job(tx, id, clock.now())? {
                return Ok(None);
            }
            let s = settings(tx)?;
            let mime = mdb::job_mime(tx, id)?;
            Ok(Some((job_or_404(tx, id)?, s, mime)))
        })?;
        let Some((job, s, mime)) = claimed else {
            return self.read("read the outbox", |tx, _| Ok((result_of(&job_or_404(tx, id)?), None)));
        };
        if password.is_none() {
            *password = Some(self.password_for(&s));
        }
        let pw = match password.as_ref() {
            Some(Ok(p)) => p.clone(),
            Some(Err(e)) => {
                let e = e.clone();
                return Ok((self.record_failure(&job, &e, false)?, Some(e)));
            }
            None => None,
        };
        let store = &mut self.store;
        // Recorded from a thread of its own: the handover is called inside
        // the mail's network runtime, and the PostgreSQL client of team
        // books blocks on a runtime of its own, which cannot start there.
        let mut on_handover = || {
            std::thread::scope(|t| {
                t.spawn(|| store.write::<_, StoreError>(|tx| mdb::mark_handed_over(tx, id)).is_ok())
                    .join()
                    .unwrap_or(false)
            })
        };
        let result =
            billable_mail::deliver(&s, pw.as_ref(), &job.envelope_from, &job.recipients, &mime, &mut on_handover);
        match result {
            Ok(accepted) => {
                if std::env::var(FAULT_ENV).is_ok_and(|v| v == FAULT_AFTER_ACCEPT) {
                    std::process::abort();
                }
                let r = self.write("record the sent email", |tx, clock| {
                    record_acceptance(tx, clock, &job, &accepted.response)?;
                    Ok(result_of(&job_or_404(tx, id)?))
                })?;
                Ok((r, None))
            }
            Err(f) => Ok((self.record_failure(&job, &f.error, f.handed_over)?, Some(f.error))),
        }
    }

    fn record_failure(&mut self, job: &OutboxJob, error: &MailError, handed_over: bool) -> AppResult<JobResult> {
        let id = job.id;
        self.write("record the email failure", |tx, clock| {
            let current = job_or_404(tx, id)?;
            if handed_over {
                // The server may have it: never send it again.
                record_acceptance(
                    tx,
                    clock,
                    &current,
                    &format!("the connection ended after the message was handed over ({error}); not sent again"),
                )?;
            } else if error.is_permanent() {
                mdb::mark_failed(tx, id, error.code(), &error.to_string())?;
            } else if current.attempts >= MAX_ATTEMPTS {
                mdb::mark_failed(
                    tx,
                    id,
                    error.code(),
                    &format!("gave up after {} attempts: {error}", current.attempts),
                )?;
            } else {
                let next = clock.now() + backoff(current.attempts);
                mdb::mark_retry(tx, id, error.code(), &error.to_string(), next)?;
            }
            Ok(result_of(&job_or_404(tx, id)?))
        })
    }

    // ---- the outbox -----------------------------------------------------------------

    /// Sends every job that is due, after settling interrupted ones.
    pub fn process_outbox(&mut self) -> AppResult<OutboxRun> {
        let lock = self.outbox_lock()?;
        if matches!(lock, OutboxLock::Busy) {
            return Ok(OutboxRun { busy: true, ..Default::default() });
        }
        let recovered = self.recover_interrupted()?;
        let due = self.read("read the outbox", |tx, clock| Ok(mdb::due_jobs(tx, clock.now())?))?;
        let mut password = None;
        let mut results = Vec::new();
        for id in due {
            results.push(self.run_job(id, &mut password)?.0);
        }
        drop(lock);
        Ok(OutboxRun { busy: false, recovered, results })
    }

    /// The outbox, newest first; `state` filters (queued, sending, sent,
    /// failed, cancelled; "pending" for queued, sending and failed).
    pub fn outbox(&mut self, state: Option<&str>) -> AppResult<Vec<OutboxJob>> {
        let states: Vec<&str> = match state.map(|s| s.trim().to_ascii_lowercase()) {
            None => vec![],
            Some(s) if s.is_empty() || s == "all" => vec![],
            Some(s) => match s.as_str() {
                "pending" => vec!["queued", "sending", "failed"],
                "queued" => vec!["queued"],
                "sending" => vec!["sending"],
                "sent" => vec!["sent"],
                "failed" => vec!["failed"],
                "cancelled" | "canceled" => vec!["cancelled"],
                other => {
                    return Err(AppError::invalid(
                        "state",
                        format!(
                            "'{other}' is not an outbox state; use pending, queued, sending, sent, failed or cancelled"
                        ),
                    ))
                }
            },
        };
        self.read("read the outbox", |tx, _| Ok(mdb::jobs(tx, &states, 500)?))
    }

    /// Sends a waiting or failed job now (every one when `id` is `None`).
    pub fn retry_outbox(&mut self, id: Option<i64>) -> AppResult<OutboxRun> {
        self.write("retry the email", |tx, clock| {
            match id {
                Some(id) => {
                    let job = job_or_404(tx, id)?;
                    if !mdb::requeue(tx, id, clock.now())? {
                        return Err(AppError::conflict(format!(
                            "outbox job {id} is {}; only queued or failed emails can be retried",
                            job.state
                        )));
                    }
                }
                None => {
                    for job in mdb::jobs(tx, &["queued", "failed"], 10_000)? {
                        mdb::requeue(tx, job.id, clock.now())?;
                    }
                }
            }
            Ok(())
        })?;
        self.process_outbox()
    }

    /// Cancels an email that has not gone out.
    pub fn cancel_outbox(&mut self, id: i64) -> AppResult<OutboxJob> {
        self.write("cancel the email", |tx, clock| {
            let job = job_or_404(tx, id)?;
            if !mdb::cancel(tx, id)? {
                return Err(AppError::conflict(format!(
                    "outbox job {id} is {}; only queued or failed emails can be cancelled",
                    job.state
                )));
            }
            if let Some(inv) = job.invoice_id {
                let facts = ActivityFacts { to: Some(job.to.join(", ")), ..Default::default() };
                idb::log_facts(
                    tx,
                    inv,
                    clock.now(),
                    "email_cancelled",
                    &format!("email to {} cancelled", job.to.join(", ")),
                    Some(&facts),
                )?;
            }
            job_or_404(tx, id)
        })
    }
}
