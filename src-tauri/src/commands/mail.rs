//! Email: the mail server's settings (the password goes to the OS keyring,
//! never back to the window), the templates, sending an invoice or an
//! estimate with its PDF, the outbox, and the reminder schedules.

use billable_app::mail::{
    ConnectionReport, EstimateSendOutcome, MailPreview, MailSettingsView, MailSetupInput, OutboxEntry, OutboxRun,
    ReminderRun, ScheduleInput, ScheduleScope, ScheduleView, SendEstimateInput, SendInvoiceInput, SendOutcome,
    TemplateInput, TemplateView,
};
use tauri::State;

use crate::books::{Books, Reply};

/// The SMTP settings (never the password; only whether the keyring has one).
#[tauri::command]
#[specta::specta]
pub fn mail_settings(books: State<'_, Books>) -> Reply<MailSettingsView> {
    books.call(|b| b.mail_settings())
}

/// Saves the SMTP settings; a password given is stored in the OS keyring
/// only. `password: null` keeps the stored one.
#[tauri::command]
#[specta::specta]
pub fn mail_setup(books: State<'_, Books>, input: MailSetupInput) -> Reply<MailSettingsView> {
    books.call(|b| b.mail_setup(input))
}

/// Connects to the mail server and signs in; the error names the step that failed.
/// Runs off the window's thread: a slow server does not freeze the window.
#[tauri::command]
#[specta::specta]
pub async fn test_mail(books: State<'_, Books>) -> Reply<ConnectionReport> {
    books.off_thread(|books| books.call_apart(|b| b.test_mail()))
}

/// The email templates (invoice, reminder, overdue notice, estimate).
#[tauri::command]
#[specta::specta]
pub fn mail_templates(books: State<'_, Books>) -> Reply<Vec<TemplateView>> {
    books.call(|b| b.mail_templates())
}

#[tauri::command]
#[specta::specta]
pub fn set_mail_template(books: State<'_, Books>, kind: String, input: TemplateInput) -> Reply<TemplateView> {
    books.call(|b| b.set_mail_template(&kind, input))
}

/// The email a template (with the given, unsaved subject and body) writes
/// for an invoice (for the estimate template: an estimate).
#[tauri::command]
#[specta::specta]
pub fn preview_mail(
    books: State<'_, Books>,
    kind: String,
    invoice: String,
    subject: Option<String>,
    message: Option<String>,
) -> Reply<MailPreview> {
    books.call(|b| b.preview_mail(&kind, &invoice, subject.as_deref(), message.as_deref()))
}

/// Sends an invoice with its default attachment (its PDF); `to` empty sends
/// to the client's billing emails. A message the server cannot take now is
/// queued and retried.
#[tauri::command]
#[specta::specta]
pub async fn send_invoice(
    books: State<'_, Books>,
    key: String,
    to: Vec<String>,
    subject: Option<String>,
    message: Option<String>,
    copy_me: bool,
) -> Reply<SendOutcome> {
    books.off_thread(|books| {
        books.call_apart(|b| {
            let attachment = b.default_invoice_attachment(&key)?;
            let input = SendInvoiceInput { invoice: key, to, subject, message, copy_me };
            b.send_invoice(input, attachment)
        })
    })
}

/// Sends an estimate with its PDF; `to` empty sends to the client's billing
/// emails. A draft becomes sent once the server accepts the email; a
/// message the server cannot take now is queued and retried.
#[tauri::command]
#[specta::specta]
pub async fn send_estimate(
    books: State<'_, Books>,
    key: String,
    to: Vec<String>,
    subject: Option<String>,
    message: Option<String>,
    copy_me: bool,
) -> Reply<EstimateSendOutcome> {
    books.off_thread(|books| {
        books.call_apart(|b| {
            let attachment = b.default_estimate_attachment(&key)?;
            let input = SendEstimateInput { estimate: key, to, subject, message, copy_me };
            b.send_estimate(input, attachment)
        })
    })
}

/// The outbox, newest first; `state` filters (pending, queued, sent, failed, cancelled).
#[tauri::command]
#[specta::specta]
pub fn outbox(books: State<'_, Books>, state: Option<String>) -> Reply<Vec<OutboxEntry>> {
    books.call(|b| b.outbox(state.as_deref()))
}

/// Tries a waiting or failed email again now (`id`), or every waiting one.
#[tauri::command]
#[specta::specta]
pub async fn retry_outbox(books: State<'_, Books>, id: Option<i64>) -> Reply<OutboxRun> {
    books.off_thread(|books| books.call_apart(|b| b.retry_outbox(id)))
}

/// Cancels an email that has not gone out.
#[tauri::command]
#[specta::specta]
pub fn cancel_outbox(books: State<'_, Books>, id: i64) -> Reply<OutboxEntry> {
    books.call(|b| b.cancel_outbox(id))
}

/// The reminder schedule of the business, a client or an invoice, and
/// where it comes from.
#[tauri::command]
#[specta::specta]
pub fn reminder_schedule(books: State<'_, Books>, scope: ScheduleScope) -> Reply<ScheduleView> {
    books.call(|b| b.reminder_schedule(scope))
}

#[tauri::command]
#[specta::specta]
pub fn set_reminder_schedule(
    books: State<'_, Books>,
    scope: ScheduleScope,
    input: ScheduleInput,
) -> Reply<ScheduleView> {
    books.call(|b| b.set_reminder_schedule(scope, input))
}

/// The reminders due today, as they would go out (nothing is sent).
#[tauri::command]
#[specta::specta]
pub fn reminders_due(books: State<'_, Books>) -> Reply<ReminderRun> {
    books.call(|b| b.run_reminders(true))
}

/// Sends the payment reminders that are due now (the app also does this on
/// its own every minute); with `dry_run`, only tells which would go out.
#[tauri::command]
#[specta::specta]
pub async fn run_reminders(books: State<'_, Books>, dry_run: bool) -> Reply<ReminderRun> {
    books.off_thread(|books| books.call_apart(|b| b.run_reminders(dry_run)))
}
