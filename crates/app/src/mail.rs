//! Email: SMTP setup and test, sending invoices (one or many), the outbox
//! that keeps messages until the server takes them, templates, and payment
//! reminders.
//!
//! Sending is a persisted job. `send_invoice` builds the message (attachment
//! included) and stores its exact bytes in the outbox in one transaction,
//! then tries to deliver it. A job moves queued → sending → sent; a failure
//! that may pass sends it back to the queue with back-off, one that cannot
//! (a wrong password) marks it failed until the user retries.
//!
//! Never twice: a job records when the server agreed to receive the message
//! ("handed over") before the message goes out, and its acceptance in the
//! same transaction that issues the invoice. A run interrupted before the
//! handover sends the job again (the server dropped the unfinished
//! transaction); one interrupted after it records the job as sent without
//! sending it again. Only one process works the outbox at a time (a lock
//! file beside the books).

use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::time::SystemTime;

use billable_core::model::{validate_email, Business, Client, Invoice};
use billable_core::status::InvoiceStatus;
use billable_core::Currency;
use billable_mail::message::{new_message_id, Outgoing};
use billable_mail::template::PLACEHOLDERS;
use billable_mail::{Attachment, MailError, Placeholders, Sensitive, SmtpSettings};
use billable_store::catalog as cat;
use billable_store::invoices as idb;
use billable_store::mail::{self as mdb, NewJob, OutboxJob, ScheduleRow, SmtpRow};
use billable_store::{StoreError, Tx};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{issue, resolve, view};
use crate::views::InvoiceView;
use crate::Billable;

pub use billable_mail::{ConnectionReport, Security, Template, TemplateKind};
pub use billable_store::mail::OutboxJob as OutboxEntry;

/// After this many attempts a job stops retrying by itself.
const MAX_ATTEMPTS: u32 = 30;

/// Set `BILLABLE_FAULT=abort-after-smtp-accept` to stop the process right
/// after the server accepted a message and before it is recorded: the crash
/// the outbox must survive without sending twice (used by the tests).
const FAULT_ENV: &str = "BILLABLE_FAULT";
const FAULT_AFTER_ACCEPT: &str = "abort-after-smtp-accept";

fn mail_err(operation: &str) -> impl FnOnce(MailError) -> AppError + '_ {
    move |e| match e {
        MailError::Invalid { field, message } => AppError::Invalid { field, message },
        source => AppError::Mail { operation: operation.to_string(), source },
    }
}

// ---- inputs and views ----------------------------------------------------------

/// SMTP settings typed by a person. The password is given only when it
/// changes (`None` keeps the stored one).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MailSetupInput {
    pub host: String,
    /// Default: 587 for starttls, 465 for tls, 25 for none.
    pub port: Option<u16>,
    /// starttls (default), tls or none.
    pub security: Option<String>,
    pub username: String,
    pub from_address: String,
    /// Default: the business name.
    pub from_name: Option<String>,
    pub reply_to: Option<String>,
    /// PEM of an extra root certificate to trust (a private CA).
    pub ca_pem: Option<String>,
    pub password: Option<Sensitive<String>>,
}

/// The SMTP settings as shown: never the password, only whether the
/// keyring holds one.
#[derive(Debug, Clone, Serialize)]
pub struct MailSettingsView {
    pub configured: bool,
    pub host: String,
    pub port: u16,
    pub security: Option<Security>,
    pub username: String,
    pub from_address: String,
    pub from_name: String,
    pub reply_to: Option<String>,
    pub custom_ca: bool,
    pub password_stored: bool,
    /// Why the keyring could not be asked, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyring_error: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
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

/// A job of the outbox, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxJobView {
    #[serde(flatten)]
    pub job: OutboxJob,
}

/// What sending one invoice did.
#[derive(Debug, Clone, Serialize)]
pub struct SendOutcome {
    /// sent, queued (waiting for a retry) or failed.
    pub state: String,
    pub job: OutboxJob,
    pub invoice: InvoiceView,
}

/// The result of bulk sending, per invoice.
#[derive(Debug, Clone, Serialize)]
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
pub struct JobResult {
    pub job_id: i64,
    pub invoice: Option<String>,
    /// sent, queued, failed or cancelled.
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// One pass over the outbox.
#[derive(Debug, Clone, Serialize, Default)]
pub struct OutboxRun {
    /// Another Billable was already sending; this pass did nothing.
    pub busy: bool,
    /// Jobs found interrupted by a stopped process and settled.
    pub recovered: Vec<JobResult>,
    pub results: Vec<JobResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TemplateView {
    #[serde(flatten)]
    pub template: Template,
    /// Unchanged from the template Billable ships.
    pub is_default: bool,
    pub placeholders: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TemplateInput {
    pub subject: Option<String>,
    pub body: Option<String>,
    /// Back to the template Billable ships.
    pub reset: bool,
}

/// An email as it would go out.
#[derive(Debug, Clone, Serialize)]
pub struct MailPreview {
    pub kind: TemplateKind,
    pub invoice: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Whose reminder schedule: the business default, a client's or an invoice's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[serde(default)]
pub struct ScheduleInput {
    pub enabled: Option<bool>,
    /// Days before the due date, e.g. "7,3,1" (0 is the due date itself).
    pub days_before: Option<String>,
    /// Days after the due date, e.g. "1,7,14".
    pub days_after: Option<String>,
    /// Remove a client's or invoice's own schedule (the next one applies).
    pub clear: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    pub scope: ScheduleScope,
    /// Where the schedule in effect comes from: invoice, client or business.
    pub source: String,
    pub enabled: bool,
    pub days_before: Vec<u32>,
    pub days_after: Vec<u32>,
}

/// A reminder that is due (or was skipped, with the reason).
#[derive(Debug, Clone, Serialize)]
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
}

#[derive(Debug, Clone, Serialize)]
pub struct ReminderRun {
    pub today: NaiveDate,
    pub dry_run: bool,
    pub reminders: Vec<ReminderView>,
    /// The outbox pass that sent them (not on a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbox: Option<OutboxRun>,
}

// ---- helpers -------------------------------------------------------------------

fn settings_of(row: SmtpRow) -> AppResult<SmtpSettings> {
    Ok(SmtpSettings {
        host: row.host,
        port: row.port,
        security: row.security.parse().map_err(|_| StoreError::Corrupt(format!("security '{}'", row.security)))?,
        username: row.username,
        from_address: row.from_address,
        from_name: row.from_name,
        reply_to: row.reply_to,
        extra_root_pem: row.extra_root_pem,
    })
}

fn settings(tx: &Tx) -> AppResult<SmtpSettings> {
    match mdb::smtp(tx)? {
        Some(row) => settings_of(row),
        None => Err(AppError::Mail { operation: "send email".into(), source: MailError::NotConfigured }),
    }
}

fn template(tx: &Tx, kind: TemplateKind) -> AppResult<(Template, bool)> {
    Ok(match mdb::template(tx, kind.as_str())? {
        Some((subject, body)) => (Template { kind, subject, body }, false),
        None => (Template::default_for(kind), true),
    })
}

/// "1,190.00 EUR": the amount at the currency's minor units, grouped.
pub fn format_money(amount: Decimal, currency: Currency) -> String {
    let mut a = amount;
    a.rescale(currency.minor_units());
    let text = a.abs().to_string();
    let (int, frac) = text.split_once('.').map(|(i, f)| (i, Some(f))).unwrap_or((text.as_str(), None));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if a.is_sign_negative() && !a.is_zero() { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f} {}", currency.code()),
        None => format!("{sign}{grouped} {}", currency.code()),
    }
}

fn placeholders(inv: &Invoice, client: &Client, business: &Business, today: NaiveDate) -> Placeholders {
    let cur = inv.currency;
    let mut p = Placeholders::new();
    let overdue = (today - inv.due_date).num_days().max(0);
    let until = (inv.due_date - today).num_days().max(0);
    p.set("client_name", client.name.clone())
        .set("contact_person", client.contact_person.clone())
        .set("invoice_number", inv.number.clone())
        .set("issue_date", inv.issue_date.to_string())
        .set("due_date", inv.due_date.to_string())
        .set("total", format_money(inv.total, cur))
        .set("amount_paid", format_money(inv.amount_paid, cur))
        .set("balance_due", format_money(inv.balance_due, cur))
        .set("currency", cur.code())
        .set("days_overdue", overdue.to_string())
        .set("days_until_due", until.to_string())
        .set("business_name", business.name.clone())
        .set("business_email", business.email.clone())
        .set("business_phone", business.phone.clone())
        .set("payment_link", business.payment_link.clone());
    p
}

/// Subject and text of an email for an invoice, with optional overrides.
struct Composed {
    subject: String,
    text: String,
    link: Option<String>,
}

fn compose(
    tx: &Tx,
    clock: &dyn Clock,
    kind: TemplateKind,
    inv: &Invoice,
    subject: Option<&str>,
    message: Option<&str>,
) -> AppResult<Composed> {
    let client = client_or_404(tx, inv.client_id)?;
    let business = cat::business(tx)?;
    let (t, _) = template(tx, kind)?;
    let values = placeholders(inv, &client, &business, clock.today());
    let subject_src = subject.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&t.subject);
    let body_src = message.filter(|s| !s.trim().is_empty()).unwrap_or(&t.body);
    if subject_src.contains(['\r', '\n']) {
        return Err(AppError::invalid("subject", "must be one line"));
    }
    let subject = billable_mail::render("subject", subject_src, &values)?;
    let text = billable_mail::render("message", body_src, &values)?;
    let link = Some(business.payment_link.clone()).filter(|l| !l.is_empty());
    Ok(Composed { subject, text, link })
}

/// Recipients given by the user (commas allowed), or the client's billing
/// emails.
fn recipients(given: &[String], client: &Client) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let typed: Vec<&str> =
        given.iter().flat_map(|s| s.split([',', ';'])).map(str::trim).filter(|s| !s.is_empty()).collect();
    if typed.is_empty() {
        for e in &client.emails {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(e)) {
                out.push(e.clone());
            }
        }
        if out.is_empty() {
            return Err(AppError::invalid(
                "to",
                format!("client {} has no billing email; add one to the client or give recipients", client.name),
            ));
        }
        return Ok(out);
    }
    for (i, t) in typed.iter().enumerate() {
        let e = validate_email(&format!("to[{}]", i + 1), t)?;
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&e)) {
            out.push(e);
        }
    }
    Ok(out)
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
            "invoice {} is waiting in the outbox to be emailed (job {job}); cancel that email first \
             (`billable outbox cancel {job}`)",
            inv.number
        )));
    }
    Ok(())
}

fn job_or_404(tx: &Tx, id: i64) -> AppResult<OutboxJob> {
    mdb::job(tx, id)?.ok_or_else(|| AppError::not_found("outbox job", id))
}

fn result_of(job: &OutboxJob) -> JobResult {
    JobResult {
        job_id: job.id,
        invoice: job.invoice_number.clone(),
        state: job.state.clone(),
        error: job.last_error.clone(),
        next_attempt_at: job.next_attempt_at,
    }
}

/// Records the server's acceptance, with what it means for the invoice, in
/// the caller's transaction. Recording twice changes nothing.
fn record_acceptance(tx: &Tx, clock: &dyn Clock, job: &OutboxJob, response: &str) -> AppResult<()> {
    let now = clock.now();
    if !mdb::mark_sent(tx, job.id, response, now)? {
        return Ok(());
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
                idb::log(tx, inv.id, now, "sent", &format!("emailed to {to}; the invoice is issued"))?;
            } else {
                idb::log(tx, inv.id, now, "emailed", &format!("emailed to {to}"))?;
            }
        }
        kind => {
            idb::log(tx, inv.id, now, "reminder_sent", &format!("{kind} reminder emailed to {to}"))?;
        }
    }
    Ok(())
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
    /// Replaces where the SMTP password is kept (the OS keyring by default);
    /// tests use a [`billable_mail::MemoryKeyring`].
    pub fn use_secret_store(&mut self, store: std::sync::Arc<dyn billable_mail::SecretStore>) {
        self.secrets = store;
    }

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

    // ---- settings ---------------------------------------------------------------

    /// Saves the SMTP settings; a password given goes to the OS keyring
    /// (first, so a keyring failure leaves the settings as they were).
    pub fn mail_setup(&mut self, i: MailSetupInput) -> AppResult<MailSettingsView> {
        let security: Security = match i.security.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => s.parse()?,
            None => Security::Starttls,
        };
        let business = self.business()?;
        let s = SmtpSettings {
            host: i.host.trim().to_string(),
            port: i.port.unwrap_or_else(|| security.default_port()),
            security,
            username: i.username.trim().to_string(),
            from_address: i.from_address.trim().to_string(),
            from_name: i.from_name.map(|n| n.trim().to_string()).unwrap_or(business.name),
            reply_to: i.reply_to.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()),
            extra_root_pem: i.ca_pem.filter(|p| !p.trim().is_empty()),
        };
        s.validate()?;
        let account = s.keyring_account();
        match &i.password {
            Some(pw) if s.needs_password() => {
                if pw.expose().is_empty() {
                    return Err(AppError::invalid("password", "is empty"));
                }
                self.secrets.set(&account, pw).map_err(mail_err("store the SMTP password"))?;
            }
            Some(_) => {}
            None if s.needs_password() => {
                let stored = self.secrets.get(&account).map_err(mail_err("read the SMTP password"))?;
                if stored.is_none() {
                    return Err(AppError::invalid(
                        "password",
                        format!("is required: no password is stored for {account} yet"),
                    ));
                }
            }
            None => {}
        }
        let row = SmtpRow {
            host: s.host.clone(),
            port: s.port,
            security: s.security.as_str().to_string(),
            username: s.username.clone(),
            from_address: s.from_address.clone(),
            from_name: s.from_name.clone(),
            reply_to: s.reply_to.clone(),
            extra_root_pem: s.extra_root_pem.clone(),
        };
        self.write("save the email settings", |tx, clock| {
            mdb::save_smtp(tx, &row, clock.now())?;
            Ok(())
        })?;
        self.mail_settings()
    }

    /// The SMTP settings (never the password).
    pub fn mail_settings(&mut self) -> AppResult<MailSettingsView> {
        let row = self.read("read the email settings", |tx, _| Ok(mdb::smtp(tx)?))?;
        let Some(row) = row else {
            return Ok(MailSettingsView {
                configured: false,
                host: String::new(),
                port: 0,
                security: None,
                username: String::new(),
                from_address: String::new(),
                from_name: String::new(),
                reply_to: None,
                custom_ca: false,
                password_stored: false,
                keyring_error: None,
            });
        };
        let s = settings_of(row)?;
        let (password_stored, keyring_error) = if s.needs_password() {
            match self.secrets.get(&s.keyring_account()) {
                Ok(p) => (p.is_some(), None),
                Err(e) => (false, Some(e.to_string())),
            }
        } else {
            (false, None)
        };
        Ok(MailSettingsView {
            configured: true,
            host: s.host,
            port: s.port,
            security: Some(s.security),
            username: s.username,
            from_address: s.from_address,
            from_name: s.from_name,
            reply_to: s.reply_to,
            custom_ca: s.extra_root_pem.is_some(),
            password_stored,
            keyring_error,
        })
    }

    fn password_for(&self, s: &SmtpSettings) -> Result<Option<Sensitive<String>>, MailError> {
        if !s.needs_password() {
            return Ok(None);
        }
        match self.secrets.get(&s.keyring_account())? {
            Some(p) => Ok(Some(p)),
            None => Err(MailError::NoPassword),
        }
    }

    /// Connects, secures, authenticates and offers the sender address, then
    /// leaves: the error names the step that failed.
    pub fn test_mail(&mut self) -> AppResult<ConnectionReport> {
        let s = self.read("read the email settings", |tx, _| settings(tx))?;
        let pw = self.password_for(&s).map_err(mail_err("test the mail server"))?;
        billable_mail::test_connection(&s, pw.as_ref()).map_err(mail_err("test the mail server"))
    }

    // ---- templates ----------------------------------------------------------------

    pub fn mail_templates(&mut self) -> AppResult<Vec<TemplateView>> {
        self.read("read the email templates", |tx, _| {
            TemplateKind::ALL
                .iter()
                .map(|k| {
                    let (template, is_default) = template(tx, *k)?;
                    Ok(TemplateView { template, is_default, placeholders: placeholder_names() })
                })
                .collect()
        })
    }

    pub fn mail_template(&mut self, kind: &str) -> AppResult<TemplateView> {
        let kind: TemplateKind = kind.parse()?;
        self.read("read the email template", |tx, _| {
            let (template, is_default) = template(tx, kind)?;
            Ok(TemplateView { template, is_default, placeholders: placeholder_names() })
        })
    }

    /// Changes a template (only the parts given), or resets it.
    pub fn set_mail_template(&mut self, kind: &str, i: TemplateInput) -> AppResult<TemplateView> {
        let kind: TemplateKind = kind.parse()?;
        self.write("save the email template", |tx, _| {
            if i.reset {
                mdb::reset_template(tx, kind.as_str())?;
            } else {
                let (mut t, _) = template(tx, kind)?;
                if let Some(s) = &i.subject {
                    t.subject = s.trim().to_string();
                }
                if let Some(b) = &i.body {
                    t.body = b.replace("\r\n", "\n").trim().to_string();
                }
                t.validate()?;
                mdb::save_template(tx, kind.as_str(), &t.subject, &t.body)?;
            }
            let (template, is_default) = template(tx, kind)?;
            Ok(TemplateView { template, is_default, placeholders: placeholder_names() })
        })
    }

    /// The email a template writes for an invoice, as it would go out.
    pub fn preview_mail(
        &mut self,
        kind: &str,
        invoice: &str,
        subject: Option<&str>,
        message: Option<&str>,
    ) -> AppResult<MailPreview> {
        let kind: TemplateKind = kind.parse()?;
        self.read("preview the email", |tx, clock| {
            let inv = resolve(tx, invoice)?;
            let client = client_or_404(tx, inv.client_id)?;
            let to = client.emails.clone();
            let c = compose(tx, clock, kind, &inv, subject, message)?;
            Ok(MailPreview {
                kind,
                invoice: inv.number,
                to,
                html: billable_mail::message::html_of(&c.text, c.link.as_deref()),
                subject: c.subject,
                text: c.text,
            })
        })
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
                         `billable outbox retry {}`)",
                        invoice.invoice.number, job.id, job.id
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
            if inv.status == InvoiceStatus::Cancelled {
                return Err(AppError::conflict(format!("invoice {} is cancelled; it cannot be emailed", inv.number)));
            }
            if inv.status == InvoiceStatus::Draft && idb::lines(tx, inv.id, inv.currency)?.is_empty() {
                return Err(AppError::invalid(
                    "lines",
                    format!("invoice {} has no lines; add at least one before sending it", inv.number),
                ));
            }
            ensure_no_pending_email(tx, &inv)?;
            let s = settings(tx)?;
            let client = client_or_404(tx, inv.client_id)?;
            let to = recipients(&i.to, &client)?;
            let c = compose(tx, clock, TemplateKind::Invoice, &inv, i.subject.as_deref(), i.message.as_deref())?;
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
            idb::log(tx, inv.id, now, "email_queued", &format!("email to {} queued (job {id})", to.join(", ")))?;
            Ok(id)
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
    fn deliver_now(&mut self, job_id: i64) -> AppResult<Option<MailError>> {
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
        // Claim it (a reminder for an invoice paid meanwhile is cancelled).
        let claimed = self.write("start sending", |tx, clock| {
            let job = job_or_404(tx, id)?;
            if job.state != "queued" {
                return Ok(None);
            }
            if job.kind != "invoice" {
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
        let mut on_handover = || store.write::<_, StoreError>(|tx| mdb::mark_handed_over(tx, id)).is_ok();
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
                idb::log(
                    tx,
                    inv,
                    clock.now(),
                    "email_cancelled",
                    &format!("email to {} cancelled", job.to.join(", ")),
                )?;
            }
            job_or_404(tx, id)
        })
    }

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
                let row = ScheduleRow {
                    enabled: i.enabled.unwrap_or(current.enabled),
                    days_before: before.clone().unwrap_or(current.days_before),
                    days_after: after.clone().unwrap_or(current.days_after),
                };
                mdb::save_schedule(tx, name, sid, &row)?;
            }
            schedule_view(tx, scope)
        })
    }

    /// Finds the reminders due today and (unless `dry_run`) queues and sends
    /// them. Each reminder goes once; paid, cancelled and draft invoices are
    /// never reminded. Only the latest due point of a schedule is sent, so
    /// a machine that was off for a while does not send a burst.
    pub fn run_reminders(&mut self, dry_run: bool) -> AppResult<ReminderRun> {
        let (today, reminders) = self.write("find due reminders", |tx, clock| {
            let today = clock.today();
            let mut out = Vec::new();
            let configured = mdb::smtp(tx)?.is_some();
            if !configured && !dry_run {
                return Err(AppError::Mail { operation: "send reminders".into(), source: MailError::NotConfigured });
            }
            for open in mdb::open_invoices(tx)? {
                let (_, sched) = effective_schedule(tx, ScheduleScope::Invoice(open.id))?;
                let Some((kind, offset, date)) = latest_point(&sched, open.issue_date, open.due_date, today) else {
                    continue;
                };
                if mdb::reminder_recorded(tx, open.id, open.due_date, offset)? {
                    continue;
                }
                let inv = idb::invoice(tx, open.id)?.ok_or_else(|| AppError::not_found("invoice", open.id))?;
                let client = client_or_404(tx, inv.client_id)?;
                let c = compose(tx, clock, kind, &inv, None, None)?;
                let mut view = ReminderView {
                    invoice: inv.number.clone(),
                    client_name: client.name.clone(),
                    kind,
                    offset_days: offset,
                    due_date: inv.due_date,
                    scheduled_for: date,
                    to: client.emails.clone(),
                    subject: c.subject.clone(),
                    skipped: None,
                    job_id: None,
                };
                if client.emails.is_empty() {
                    view.skipped = Some(format!("client {} has no billing email", client.name));
                } else if mdb::pending_for_invoice(tx, inv.id)?.is_some() {
                    view.skipped = Some("the invoice email itself is still in the outbox".into());
                } else if !dry_run {
                    let s = settings(tx)?;
                    let out = Outgoing {
                        to: client.emails.clone(),
                        bcc: vec![],
                        subject: c.subject.clone(),
                        text: c.text,
                        link: c.link,
                        attachment: None,
                        message_id: new_message_id(&s.from_address),
                        date: SystemTime::from(clock.now()),
                    };
                    let built = billable_mail::build(&s, &out)?;
                    let now = clock.now();
                    let id = mdb::insert_job(
                        tx,
                        &NewJob {
                            kind: kind.as_str(),
                            invoice_id: Some(inv.id),
                            message_id: &built.message_id,
                            envelope_from: &built.envelope_from,
                            recipients: &built.recipients,
                            to: &client.emails,
                            subject: &c.subject,
                            mime: &built.mime,
                            attachment_name: None,
                            issues_invoice: false,
                        },
                        now,
                    )?;
                    mdb::record_reminder(tx, inv.id, inv.due_date, offset, id, now)?;
                    idb::log(
                        tx,
                        inv.id,
                        now,
                        "reminder_queued",
                        &format!(
                            "{kind} reminder ({}) to {} queued (job {id})",
                            describe_offset(offset),
                            client.emails.join(", ")
                        ),
                    )?;
                    view.job_id = Some(id);
                }
                out.push(view);
            }
            Ok((today, out))
        })?;
        let outbox = if dry_run { None } else { Some(self.process_outbox()?) };
        Ok(ReminderRun { today, dry_run, reminders, outbox })
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
    let s = mdb::schedule(tx, "business", 0)?.unwrap_or(ScheduleRow {
        enabled: false,
        days_before: vec![],
        days_after: vec![],
    });
    Ok(("business".into(), s))
}

fn schedule_view(tx: &Tx, scope: ScheduleScope) -> AppResult<ScheduleView> {
    let (source, s) = effective_schedule(tx, scope)?;
    Ok(ScheduleView { scope, source, enabled: s.enabled, days_before: s.days_before, days_after: s.days_after })
}

fn placeholder_names() -> Vec<String> {
    PLACEHOLDERS.iter().map(|(n, what)| format!("{{{n}}} — {what}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn money_in_emails_is_grouped_at_the_currency_precision() {
        let eur = Currency::parse("EUR").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        let bhd = Currency::parse("BHD").unwrap();
        assert_eq!(format_money(Decimal::new(119_000, 2), eur), "1,190.00 EUR");
        assert_eq!(format_money(Decimal::new(1_234_567, 0), jpy), "1,234,567 JPY");
        assert_eq!(format_money(Decimal::new(-5, 3), bhd), "-0.005 BHD");
        assert_eq!(format_money(Decimal::new(999, 0), eur), "999.00 EUR");
    }

    #[test]
    fn the_latest_point_on_or_before_today_and_after_issue_is_due() {
        let s = ScheduleRow { enabled: true, days_before: vec![7, 3, 1], days_after: vec![1, 7, 14] };
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
