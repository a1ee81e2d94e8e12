//! The email commands: `mail`, `invoice send`, `estimate send`, `outbox`, `reminders`.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use billable_app::mail::{
    BulkSendResult, MailSetupInput, ScheduleInput, ScheduleScope, SendEstimateInput, SendInvoiceInput, StepFeeInput,
    TemplateInput,
};
use billable_app::{AppError, AppResult, Attachment, Billable, Sensitive};

use crate::args::{MailCmd, OutboxCmd, RemindersCmd, TemplateCmd};
use crate::print;
use crate::run::{client_id, show};

/// Reads the SMTP password: all of standard input when it is not a
/// terminal (one trailing newline dropped), else a prompt without echo.
pub(crate) fn read_password(prompt: &str) -> AppResult<Sensitive<String>> {
    let stdin = std::io::stdin();
    let text = if stdin.is_terminal() {
        rpassword::prompt_password(prompt)
            .map_err(|e| AppError::invalid("password", format!("could not be read at the prompt: {e}")))?
    } else {
        let mut s = String::new();
        stdin
            .lock()
            .read_to_string(&mut s)
            .map_err(|e| AppError::invalid("password", format!("could not be read from standard input: {e}")))?;
        if s.ends_with('\n') {
            s.pop();
            if s.ends_with('\r') {
                s.pop();
            }
        }
        s
    };
    if text.is_empty() {
        return Err(AppError::invalid("password", "is empty (pipe it on standard input or type it at the prompt)"));
    }
    Ok(Sensitive::new(text))
}

fn read_file(field: &str, path: &PathBuf) -> AppResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| AppError::invalid(field, format!("could not read {}: {e}", path.display())))
}

pub fn mail(app: &mut Billable, cmd: MailCmd, json: bool) -> AppResult<ExitCode> {
    match cmd {
        MailCmd::Setup(a) => {
            let a = *a;
            let user = a.user.unwrap_or_default();
            let ca_pem = match &a.ca_file {
                Some(p) => Some(
                    String::from_utf8(read_file("ca_file", p)?)
                        .map_err(|_| AppError::invalid("ca_file", "is not a PEM (text) certificate"))?,
                ),
                None => None,
            };
            let password = if user.trim().is_empty() || a.keep_password {
                None
            } else {
                Some(read_password(&format!("SMTP password for {}@{}: ", user.trim(), a.host.trim()))?)
            };
            let v = app.mail_setup(MailSetupInput {
                host: a.host,
                port: a.port,
                security: a.security,
                username: user,
                from_address: a.from,
                from_name: a.from_name,
                reply_to: a.reply_to,
                ca_pem,
                password,
            })?;
            show(json, &v, |v| format!("Email is set up.\n{}", print::mail_settings(v)))
        }
        MailCmd::Show => show(json, &app.mail_settings()?, print::mail_settings),
        MailCmd::Test => show(json, &app.test_mail()?, print::connection_report),
        MailCmd::Template(t) => match t {
            TemplateCmd::Show { kind } => match kind {
                Some(k) => show(json, &app.mail_template(&k)?, |t| print::templates(std::slice::from_ref(t))),
                None => show(json, &app.mail_templates()?, |l| print::templates(l)),
            },
            TemplateCmd::Edit { kind, subject, body, body_file, reset } => {
                let body = match body_file {
                    Some(p) => Some(
                        String::from_utf8(read_file("body_file", &p)?)
                            .map_err(|_| AppError::invalid("body_file", "is not UTF-8 text"))?,
                    ),
                    None => body.map(|b| b.replace("\\n", "\n")),
                };
                let v = app.set_mail_template(&kind, TemplateInput { subject, body, reset })?;
                show(json, &v, |t| print::templates(std::slice::from_ref(t)))
            }
            TemplateCmd::Preview { kind, invoice, estimate, html } => {
                let key = invoice.or(estimate).unwrap_or_default();
                let p = app.preview_mail(&kind, &key, None, None)?;
                show(json, &p, |p| print::mail_preview(p, html))
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

pub struct SendArgs {
    pub invoices: Vec<String>,
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub message: Option<String>,
    pub attach: Option<PathBuf>,
    pub no_attach: bool,
    pub copy_me: bool,
}

/// A file given with --attach, byte for byte.
fn attach_file(path: &PathBuf, default_name: &str) -> AppResult<Attachment> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| default_name.into());
    let bytes = read_file("attach", path)?;
    let content_type = if bytes.starts_with(b"%PDF-") { "application/pdf" } else { "application/octet-stream" };
    Ok(Attachment { file_name: name, content_type: content_type.into(), bytes })
}

pub fn send(app: &mut Billable, a: SendArgs, json: bool) -> AppResult<ExitCode> {
    let attachment = match &a.attach {
        // --no-attach: nothing attached.
        _ if a.no_attach => None,
        Some(_) if a.invoices.len() > 1 => {
            return Err(AppError::invalid("attach", "attaches one file to one invoice; send the invoices one by one"))
        }
        Some(path) => Some(attach_file(path, "invoice.pdf")?),
        // The default attachment, chosen by the books (as for invoices that
        // recurring profiles send).
        None if a.invoices.len() == 1 => app.default_invoice_attachment(&a.invoices[0])?,
        None => None,
    };
    let input = |invoice: String| SendInvoiceInput {
        invoice,
        to: a.to.clone(),
        subject: a.subject.clone(),
        message: a.message.as_ref().map(|m| m.replace("\\n", "\n")),
        copy_me: a.copy_me,
    };
    if a.invoices.len() == 1 {
        let invoice = a.invoices[0].clone();
        let out = app.send_invoice(input(invoice), attachment)?;
        show(json, &out, print::send_outcome);
        return Ok(ExitCode::SUCCESS);
    }
    // Each invoice on its own: one whose PDF cannot be made (missing
    // e-invoice data, say) is reported and the others still go out.
    let mut results = Vec::new();
    for invoice in &a.invoices {
        let attachment = if a.no_attach { Ok(None) } else { app.default_invoice_attachment(invoice) };
        match attachment {
            Ok(attachment) => results.extend(app.send_invoices(vec![(input(invoice.clone()), attachment)])),
            Err(e) => results.push(BulkSendResult {
                invoice: invoice.clone(),
                ok: false,
                state: None,
                job_id: None,
                error: Some(e.to_body()),
            }),
        }
    }
    let failed = results.iter().filter(|r| !r.ok).count();
    show(json, &results, |rs| print::bulk_send(rs));
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

pub struct EstimateSendArgs {
    pub estimate: String,
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub message: Option<String>,
    pub attach: Option<PathBuf>,
    pub no_attach: bool,
    pub copy_me: bool,
}

/// `billable estimate send`: as `invoice send` for one invoice, with the
/// estimate's PDF attached by default.
pub fn send_estimate(app: &mut Billable, a: EstimateSendArgs, json: bool) -> AppResult<ExitCode> {
    let attachment = match &a.attach {
        _ if a.no_attach => None,
        Some(path) => Some(attach_file(path, "estimate.pdf")?),
        None => app.default_estimate_attachment(&a.estimate)?,
    };
    let input = SendEstimateInput {
        estimate: a.estimate,
        to: a.to,
        subject: a.subject,
        message: a.message.map(|m| m.replace("\\n", "\n")),
        copy_me: a.copy_me,
    };
    let out = app.send_estimate(input, attachment)?;
    show(json, &out, print::estimate_send_outcome);
    Ok(ExitCode::SUCCESS)
}

pub fn outbox(app: &mut Billable, cmd: OutboxCmd, json: bool) -> AppResult<ExitCode> {
    match cmd {
        OutboxCmd::List { state } => show(json, &app.outbox(state.as_deref())?, |l| print::outbox(l)),
        OutboxCmd::Retry { id } => show(json, &app.retry_outbox(id)?, print::outbox_run),
        OutboxCmd::Cancel { id } => {
            show(json, &app.cancel_outbox(id)?, |j| format!("Cancelled outbox job {} ({})", j.id, j.subject))
        }
        OutboxCmd::Run => show(json, &app.process_outbox()?, print::outbox_run),
    }
    Ok(ExitCode::SUCCESS)
}

fn scope(app: &mut Billable, client: Option<String>, invoice: Option<String>) -> AppResult<ScheduleScope> {
    Ok(match (client, invoice) {
        (Some(c), _) => ScheduleScope::Client(client_id(app, &c)?),
        (None, Some(i)) => ScheduleScope::Invoice(app.invoice(&i)?.invoice.id),
        (None, None) => ScheduleScope::Business,
    })
}

/// `--late-fee 7=5.00`: the step (days after the due date) and its fee.
fn step_fee(text: &str) -> AppResult<StepFeeInput> {
    let bad = || {
        AppError::invalid(
            "late_fee",
            format!(
                "'{text}' is not DAYS=FEE; give the step's days after the due date and its fee, e.g. 7=5.00 or 14=1.5%"
            ),
        )
    };
    let (days, fee) = text.split_once('=').ok_or_else(bad)?;
    let days_after = days.trim().parse::<u32>().map_err(|_| bad())?;
    if fee.trim().is_empty() {
        return Err(bad());
    }
    Ok(StepFeeInput { days_after, fee: fee.trim().to_string() })
}

pub fn reminders(app: &mut Billable, cmd: RemindersCmd, json: bool) -> AppResult<ExitCode> {
    match cmd {
        RemindersCmd::Run { dry_run } => show(json, &app.run_reminders(dry_run)?, print::reminder_run),
        RemindersCmd::Show { client, invoice } => {
            let sc = scope(app, client, invoice)?;
            show(json, &app.reminder_schedule(sc)?, print::schedule)
        }
        RemindersCmd::Schedule { client, invoice, before, after, late_fee, on, off, clear } => {
            let late_fees = late_fee.iter().map(|t| step_fee(t)).collect::<AppResult<Vec<_>>>()?;
            let late_fees = (!late_fees.is_empty()).then_some(late_fees);
            let sc = scope(app, client, invoice)?;
            let enabled = if on {
                Some(true)
            } else if off {
                Some(false)
            } else {
                None
            };
            let v = app.set_reminder_schedule(
                sc,
                ScheduleInput { enabled, days_before: before, days_after: after, late_fees, clear },
            )?;
            show(json, &v, print::schedule)
        }
    }
    Ok(ExitCode::SUCCESS)
}
