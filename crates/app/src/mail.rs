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

use billable_core::estimate::Estimate;
use billable_core::model::{validate_email, Business, Client, Invoice};
use billable_core::Currency;
use billable_mail::template::{ESTIMATE_PLACEHOLDERS, PLACEHOLDERS};
use billable_mail::{Attachment, MailError, Placeholders, Sensitive, SmtpSettings};
use billable_store::catalog as cat;
use billable_store::mail::{self as mdb, SmtpRow};
use billable_store::{StoreError, Tx};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::resolve;
use crate::Billable;

pub use billable_mail::{ConnectionReport, Security, Template, TemplateKind};
pub use billable_store::mail::OutboxJob as OutboxEntry;

mod estimates;
mod late_fees;
mod outbox;
mod reminders;

pub(crate) use estimates::{emails_of_estimate, ensure_no_pending_estimate_email};
pub use estimates::{EstimateSendOutcome, SendEstimateInput};
pub use late_fees::{ReminderFee, StepFeeInput};
pub(crate) use outbox::{ensure_no_pending_email, queue_invoice_job};
pub use outbox::{BulkSendResult, JobResult, OutboxRun, SendInvoiceInput, SendOutcome};
pub use reminders::{ReminderRun, ReminderView, ScheduleInput, ScheduleScope, ScheduleView};

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
#[cfg_attr(feature = "specta", derive(specta::Type))]
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
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub password: Option<Sensitive<String>>,
}

/// The SMTP settings as shown: never the password, only whether the
/// keyring holds one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TemplateView {
    #[serde(flatten)]
    pub template: Template,
    /// Unchanged from the template Billable ships.
    pub is_default: bool,
    pub placeholders: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct TemplateInput {
    pub subject: Option<String>,
    pub body: Option<String>,
    /// Back to the template Billable ships.
    pub reset: bool,
}

/// An email as it would go out.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MailPreview {
    pub kind: TemplateKind,
    /// The number of the invoice it is written for (of the estimate, for
    /// the estimate template).
    pub invoice: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The file the email carries unless another is chosen: the invoice's
    /// or the estimate's PDF (none for reminders).
    pub attachment: Option<String>,
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

/// What an email's words may say about its invoice.
struct InvoiceFacts<'a> {
    number: &'a str,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    currency: Currency,
    total: Decimal,
    amount_paid: Decimal,
    balance_due: Decimal,
}

impl<'a> From<&'a Invoice> for InvoiceFacts<'a> {
    fn from(inv: &'a Invoice) -> Self {
        InvoiceFacts {
            number: &inv.number,
            issue_date: inv.issue_date,
            due_date: inv.due_date,
            currency: inv.currency,
            total: inv.total,
            amount_paid: inv.amount_paid,
            balance_due: inv.balance_due,
        }
    }
}

impl<'a> From<&'a mdb::OpenInvoice> for InvoiceFacts<'a> {
    fn from(inv: &'a mdb::OpenInvoice) -> Self {
        InvoiceFacts {
            number: &inv.number,
            issue_date: inv.issue_date,
            due_date: inv.due_date,
            currency: inv.currency,
            total: inv.total,
            amount_paid: inv.amount_paid,
            balance_due: inv.balance_due,
        }
    }
}

fn placeholders(inv: &InvoiceFacts, client: &Client, business: &Business, today: NaiveDate) -> Placeholders {
    let mut p = Placeholders::new();
    for (name, _) in PLACEHOLDERS {
        let mut value = String::new();
        placeholder(name, inv, client, business, today, &mut value);
        p.set(name, value);
    }
    p
}

/// Appends the value of the placeholder `name` to `out`: the one place an
/// email's words about an invoice come from.
fn placeholder(
    name: &str,
    inv: &InvoiceFacts,
    client: &Client,
    business: &Business,
    today: NaiveDate,
    out: &mut String,
) {
    use std::fmt::Write as _;
    let cur = inv.currency;
    // Writing to a String cannot fail.
    let _ = match name {
        "client_name" => write!(out, "{}", client.name),
        "contact_person" => write!(out, "{}", client.contact_person),
        "invoice_number" => write!(out, "{}", inv.number),
        "issue_date" => write!(out, "{}", inv.issue_date),
        "due_date" => write!(out, "{}", inv.due_date),
        "total" => write!(out, "{}", format_money(inv.total, cur)),
        "amount_paid" => write!(out, "{}", format_money(inv.amount_paid, cur)),
        "balance_due" => write!(out, "{}", format_money(inv.balance_due, cur)),
        "currency" => write!(out, "{}", cur.code()),
        "days_overdue" => write!(out, "{}", (today - inv.due_date).num_days().max(0)),
        "days_until_due" => write!(out, "{}", (inv.due_date - today).num_days().max(0)),
        "business_name" => write!(out, "{}", business.name),
        "business_email" => write!(out, "{}", business.email),
        "business_phone" => write!(out, "{}", business.phone),
        "payment_link" => write!(out, "{}", business.payment_link),
        _ => Ok(()),
    };
}

/// Appends the value of the placeholder `name` of an estimate's email to
/// `out`: the one place an email's words about an estimate come from.
fn estimate_placeholder(name: &str, e: &Estimate, client: &Client, business: &Business, out: &mut String) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = match name {
        "client_name" => write!(out, "{}", client.name),
        "contact_person" => write!(out, "{}", client.contact_person),
        "estimate_number" => write!(out, "{}", e.number),
        "issue_date" => write!(out, "{}", e.issue_date),
        "valid_until" => write!(out, "{}", e.valid_until),
        "total" => write!(out, "{}", format_money(e.total, e.currency)),
        "currency" => write!(out, "{}", e.currency.code()),
        "business_name" => write!(out, "{}", business.name),
        "business_email" => write!(out, "{}", business.email),
        "business_phone" => write!(out, "{}", business.phone),
        _ => Ok(()),
    };
}

fn estimate_placeholders(e: &Estimate, client: &Client, business: &Business) -> Placeholders {
    let mut p = Placeholders::new();
    for (name, _) in ESTIMATE_PLACEHOLDERS {
        let mut value = String::new();
        estimate_placeholder(name, e, client, business, &mut value);
        p.set(name, value);
    }
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
    let values = placeholders(&InvoiceFacts::from(inv), &client, &business, clock.today());
    let subject = subject_line(&t, subject, &values)?;
    let body_src = message.filter(|s| !s.trim().is_empty()).unwrap_or(&t.body);
    let text = billable_mail::render_for(kind, "message", body_src, &values)?;
    Ok(Composed { subject, text, link: payment_link(&business) })
}

/// Subject and text of an estimate's email, with optional overrides. It
/// asks for no payment, so it carries no payment link.
fn compose_estimate(tx: &Tx, e: &Estimate, subject: Option<&str>, message: Option<&str>) -> AppResult<Composed> {
    let client = client_or_404(tx, e.client_id)?;
    let business = cat::business(tx)?;
    let (t, _) = template(tx, TemplateKind::Estimate)?;
    let values = estimate_placeholders(e, &client, &business);
    let subject = subject_line(&t, subject, &values)?;
    let body_src = message.filter(|s| !s.trim().is_empty()).unwrap_or(&t.body);
    let text = billable_mail::render_for(TemplateKind::Estimate, "message", body_src, &values)?;
    Ok(Composed { subject, text, link: None })
}

/// The subject an email goes out with: the one given, or the template's.
fn subject_line(t: &Template, given: Option<&str>, values: &Placeholders) -> AppResult<String> {
    let subject_src = given.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&t.subject);
    if subject_src.contains(['\r', '\n']) {
        return Err(AppError::invalid("subject", "must be one line"));
    }
    Ok(billable_mail::render_for(t.kind, "subject", subject_src, values)?)
}

/// The business's payment link under an email, when it has one.
fn payment_link(business: &Business) -> Option<String> {
    Some(business.payment_link.clone()).filter(|l| !l.is_empty())
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

/// The file an invoice's email carries when the user does not choose one:
/// `billable invoice send` without `--attach`, and the invoices recurring
/// profiles in send mode email by themselves. It is the invoice's PDF (the
/// Factur-X PDF when the business has e-invoicing on); this is the one
/// place that decides it.
pub(crate) fn default_attachment(tx: &Tx, clock: &dyn Clock, inv: &Invoice) -> AppResult<Option<Attachment>> {
    let pdf = crate::documents::email_pdf(tx, clock, inv.clone())?;
    Ok(Some(Attachment { file_name: pdf.file_name, content_type: "application/pdf".into(), bytes: pdf.bytes }))
}

/// What emailing a client's invoices without anyone pressing send needs:
/// the mail server set up and a billing email on the client. Checked when
/// a recurring profile is set to send mode and again before each invoice
/// it generates.
pub(crate) fn ensure_can_send_automatically(tx: &Tx, client: &Client) -> AppResult<()> {
    if mdb::smtp(tx)?.is_none() {
        return Err(AppError::invalid(
            "send_mode",
            "sending invoices automatically needs email, which is not set up; set up the mail server \
             in the email settings, or create drafts",
        ));
    }
    if client.emails.is_empty() {
        return Err(AppError::invalid(
            "emails",
            format!(
                "client {} has no billing email to send its invoices to automatically; add one to the client \
                 or use draft",
                client.name
            ),
        ));
    }
    Ok(())
}

fn placeholder_names(kind: TemplateKind) -> Vec<String> {
    kind.placeholders().iter().map(|(n, what)| format!("{{{n}}} — {what}")).collect()
}

impl Billable {
    /// Replaces where the SMTP password is kept (the OS keyring by default);
    /// tests use a [`billable_mail::MemoryKeyring`].
    pub fn use_secret_store(&mut self, store: std::sync::Arc<dyn billable_mail::SecretStore>) {
        self.secrets = store;
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
        let previous = self.write("save the email settings", |tx, clock| {
            let previous = mdb::smtp(tx)?;
            mdb::save_smtp(tx, &row, clock.now())?;
            Ok(previous)
        })?;
        // A password filed for another server or login is no longer used:
        // it does not stay behind in the keyring.
        if let Some(old) = previous.map(settings_of).transpose()? {
            if old.needs_password() && old.keyring_account() != account {
                let _ = self.secrets.delete(&old.keyring_account());
            }
        }
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
                    Ok(TemplateView { template, is_default, placeholders: placeholder_names(*k) })
                })
                .collect()
        })
    }

    pub fn mail_template(&mut self, kind: &str) -> AppResult<TemplateView> {
        let kind: TemplateKind = kind.parse()?;
        self.read("read the email template", |tx, _| {
            let (template, is_default) = template(tx, kind)?;
            Ok(TemplateView { template, is_default, placeholders: placeholder_names(kind) })
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
            Ok(TemplateView { template, is_default, placeholders: placeholder_names(kind) })
        })
    }

    /// The attachment an invoice's email carries unless the user picks a
    /// file or none (see [`default_attachment`]).
    pub fn default_invoice_attachment(&mut self, invoice: &str) -> AppResult<Option<Attachment>> {
        self.read("choose the invoice attachment", |tx, clock| {
            let inv = resolve(tx, invoice)?;
            default_attachment(tx, clock, &inv)
        })
    }

    /// The email a template writes for an invoice (for the estimate
    /// template, `invoice` is an estimate's number or id), as it would go out.
    pub fn preview_mail(
        &mut self,
        kind: &str,
        invoice: &str,
        subject: Option<&str>,
        message: Option<&str>,
    ) -> AppResult<MailPreview> {
        let kind: TemplateKind = kind.parse()?;
        self.read("preview the email", |tx, clock| {
            let (number, client_id, c) = if kind == TemplateKind::Estimate {
                let e = crate::estimates::resolve(tx, invoice)?;
                let c = compose_estimate(tx, &e, subject, message)?;
                (e.number, e.client_id, c)
            } else {
                let inv = resolve(tx, invoice)?;
                let c = compose(tx, clock, kind, &inv, subject, message)?;
                (inv.number, inv.client_id, c)
            };
            let client = client_or_404(tx, client_id)?;
            let attachment = match kind {
                TemplateKind::Invoice | TemplateKind::Estimate => Some(crate::documents::pdf_file_name(&number)),
                TemplateKind::Reminder | TemplateKind::Overdue => None,
            };
            Ok(MailPreview {
                kind,
                invoice: number,
                to: client.emails,
                html: billable_mail::message::html_of(&c.text, c.link.as_deref()),
                subject: c.subject,
                text: c.text,
                attachment,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
