//! Email: sending an invoice with its PDF, and the outbox.

use billable_app::mail::{OutboxEntry, SendInvoiceInput, SendOutcome};
use tauri::State;

use crate::books::{Books, Reply};

/// Sends an invoice with its default attachment (its PDF); `to` empty sends
/// to the client's billing emails. A message the server cannot take now is
/// queued and retried.
#[tauri::command]
#[specta::specta]
pub fn send_invoice(
    books: State<'_, Books>,
    key: String,
    to: Vec<String>,
    subject: Option<String>,
    message: Option<String>,
    copy_me: bool,
) -> Reply<SendOutcome> {
    books.call(|b| {
        let attachment = b.default_invoice_attachment(&key)?;
        let input = SendInvoiceInput { invoice: key, to, subject, message, copy_me };
        b.send_invoice(input, attachment)
    })
}

/// The outbox, newest first; `state` filters (pending, queued, sent, failed, cancelled).
#[tauri::command]
#[specta::specta]
pub fn outbox(books: State<'_, Books>, state: Option<String>) -> Reply<Vec<OutboxEntry>> {
    books.call(|b| b.outbox(state.as_deref()))
}
