//! An estimate's email: the estimate's PDF (titled "Estimate") sent to the
//! client through the same outbox as invoices — the exact message queued
//! in one transaction, delivered at most once, retried with back-off. A
//! draft estimate becomes sent when the server accepts the email; a sent
//! one may be emailed again while it is valid, an accepted one as a copy
//! until it is converted. The estimate's emails are its history.

use std::time::SystemTime;

use billable_core::estimate::{ensure_emailable, Estimate, EstimateStatus};
use billable_mail::message::{new_message_id, Outgoing};
use billable_mail::{Attachment, TemplateKind};
use billable_store::estimates as edb;
use billable_store::mail::{self as mdb, NewJob, OutboxJob};
use billable_store::Tx;
use serde::{Deserialize, Serialize};

use super::outbox::job_or_404;
use super::{compose_estimate, recipients, settings};
use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::estimates::{resolve, view, whole_invoice_number, EstimateView};
use crate::Billable;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct SendEstimateInput {
    /// Estimate number or id.
    pub estimate: String,
    /// Recipients; empty for the client's billing emails.
    pub to: Vec<String>,
    /// Replaces the template's subject (placeholders allowed).
    pub subject: Option<String>,
    /// Replaces the template's message (placeholders allowed).
    pub message: Option<String>,
    /// A blind copy to the sender address.
    pub copy_me: bool,
}

/// What emailing one estimate did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EstimateSendOutcome {
    /// sent, queued (waiting for a retry) or failed.
    pub state: String,
    pub job: OutboxJob,
    pub estimate: EstimateView,
}

/// Refuses to change a draft estimate whose email is waiting in the outbox:
/// what is queued must stay what the estimate says.
pub(crate) fn ensure_no_pending_estimate_email(tx: &Tx, e: &Estimate) -> AppResult<()> {
    if let Some(job) = mdb::pending_for_estimate(tx, e.id)? {
        return Err(AppError::conflict(format!(
            "estimate {} is waiting in the outbox to be emailed (job {job}); cancel that email in the outbox first",
            e.number
        )));
    }
    Ok(())
}

/// The emails of an estimate, oldest first: its history of being sent.
pub(crate) fn emails_of_estimate(tx: &Tx, estimate_id: i64) -> AppResult<Vec<OutboxJob>> {
    Ok(mdb::jobs_for_estimate(tx, estimate_id)?)
}

/// Checks that the estimate can be emailed, builds the message and stores
/// its bytes as a queued job, in the caller's transaction.
fn queue_estimate_job(
    tx: &Tx,
    clock: &dyn Clock,
    e: &Estimate,
    i: &SendEstimateInput,
    attachment: Option<Attachment>,
) -> AppResult<i64> {
    let converted = whole_invoice_number(tx, e.id)?;
    ensure_emailable(e.status, e.valid_until, clock.today(), converted.as_deref(), &e.number)?;
    if edb::lines(tx, e.id, e.currency)?.is_empty() {
        return Err(AppError::invalid(
            "lines",
            format!("estimate {} has no lines; add at least one before emailing it", e.number),
        ));
    }
    ensure_no_pending_estimate_email(tx, e)?;
    let s = settings(tx)?;
    let client = client_or_404(tx, e.client_id)?;
    let to = recipients(&i.to, &client)?;
    let c = compose_estimate(tx, e, i.subject.as_deref(), i.message.as_deref())?;
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
    Ok(mdb::insert_job(
        tx,
        &NewJob {
            kind: TemplateKind::Estimate.as_str(),
            invoice_id: None,
            estimate_id: Some(e.id),
            message_id: &built.message_id,
            envelope_from: &built.envelope_from,
            recipients: &built.recipients,
            to: &to,
            subject: &c.subject,
            mime: &built.mime,
            attachment_name: attachment_name.as_deref(),
            issues_invoice: e.status == EstimateStatus::Draft,
        },
        clock.now(),
    )?)
}

/// What the server's acceptance of an estimate's email means for the
/// estimate, in the caller's transaction (after the job is marked sent): a
/// draft becomes sent.
pub(super) fn record_acceptance(tx: &Tx, clock: &dyn Clock, job: &OutboxJob) -> AppResult<()> {
    let Some(id) = job.estimate_id else { return Ok(()) };
    let Some(mut e) = edb::estimate(tx, id)? else { return Ok(()) };
    if job.issues_invoice && e.status == EstimateStatus::Draft {
        let now = clock.now();
        e.status = EstimateStatus::Sent;
        e.sent_at = Some(now);
        edb::update_estimate(tx, &e, now.timestamp())?;
    }
    Ok(())
}

/// Whether a queued estimate email is no longer wanted when its turn comes:
/// the estimate was deleted, declined or converted in full meanwhile (it is
/// cancelled rather than sent).
pub(super) fn no_longer_wanted(tx: &Tx, job: &OutboxJob) -> AppResult<bool> {
    let Some(id) = job.estimate_id else { return Ok(true) };
    let Some(e) = edb::estimate(tx, id)? else { return Ok(true) };
    Ok(e.status == EstimateStatus::Declined || whole_invoice_number(tx, id)?.is_some())
}

impl Billable {
    /// Emails an estimate: the message (with `attachment`, byte for byte) is
    /// queued in the outbox, then delivered. A draft becomes sent only when
    /// the server accepts it. When the server cannot be reached the email
    /// waits in the outbox (state "queued") and the estimate stays as it
    /// was; a failure that needs the user (a wrong password) is an error and
    /// the job waits as "failed" for `retry_outbox`. A declined or converted
    /// estimate, or one past its validity date, is refused and nothing is
    /// written.
    pub fn send_estimate(
        &mut self,
        i: SendEstimateInput,
        attachment: Option<Attachment>,
    ) -> AppResult<EstimateSendOutcome> {
        let job_id = self.write("queue the estimate email", |tx, clock| {
            let e = resolve(tx, &i.estimate)?;
            queue_estimate_job(tx, clock, &e, &i, attachment)
        })?;
        let failure = self.deliver_now(job_id)?;
        let (job, estimate) = self.read("read the outbox", |tx, clock| {
            let job = job_or_404(tx, job_id)?;
            let id = job.estimate_id.ok_or_else(|| AppError::not_found("estimate", &i.estimate))?;
            Ok((job, view(tx, clock, id)?))
        })?;
        if job.state == "failed" {
            if let Some(source) = failure {
                return Err(AppError::Mail {
                    operation: format!(
                        "email estimate {} (the email waits in the outbox as failed job {}; fix the cause, then \
                         retry it from the outbox)",
                        estimate.estimate.number, job.id
                    ),
                    source,
                });
            }
        }
        Ok(EstimateSendOutcome { state: job.state.clone(), job, estimate })
    }

    /// The file an estimate's email carries unless the user picks another
    /// or none: the estimate's PDF, as its preview and saved PDF are made.
    pub fn default_estimate_attachment(&mut self, estimate: &str) -> AppResult<Option<Attachment>> {
        self.read("make the estimate's PDF for its email", |tx, clock| {
            let e = resolve(tx, estimate)?;
            let pdf = crate::documents::estimate_email_pdf(tx, clock, &e)?;
            Ok(Some(Attachment { file_name: pdf.file_name, content_type: "application/pdf".into(), bytes: pdf.bytes }))
        })
    }
}
