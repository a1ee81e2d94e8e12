//! Invoices: the list, the editor of drafts, "create from time", status changes.

use billable_app::views::{FromTimeOutcome, InvoicePage, InvoiceView};
use billable_app::{
    BulkAction, BulkResult, CloneInput, FromTimeInput, HeaderInput, InvoiceInput, InvoiceListInput, LineInput,
};
use tauri::State;

use crate::books::{Books, Reply};

#[tauri::command]
#[specta::specta]
pub fn invoices(books: State<'_, Books>, filter: InvoiceListInput) -> Reply<InvoicePage> {
    books.call(|b| b.invoices(filter))
}

/// One invoice by number or id.
#[tauri::command]
#[specta::specta]
pub fn invoice(books: State<'_, Books>, key: String) -> Reply<InvoiceView> {
    books.call(|b| b.invoice(&key))
}

/// Sets how many units of the base currency one unit of the invoice's
/// currency is worth (empty clears it), for base-currency totals in the
/// money reports. Returns the invoice.
#[tauri::command]
#[specta::specta]
pub fn set_exchange_rate(books: State<'_, Books>, key: String, rate: String) -> Reply<InvoiceView> {
    books.call(|b| {
        b.set_exchange_rate(&key, &rate)?;
        b.invoice(&key)
    })
}

#[tauri::command]
#[specta::specta]
pub fn create_invoice(books: State<'_, Books>, input: InvoiceInput) -> Reply<InvoiceView> {
    books.call(|b| b.create_invoice(input))
}

/// Previews (with `preview: true`) or creates an invoice from unbilled time.
#[tauri::command]
#[specta::specta]
pub fn invoice_from_time(books: State<'_, Books>, input: FromTimeInput) -> Reply<FromTimeOutcome> {
    books.call(|b| b.invoice_from_time(input))
}

#[tauri::command]
#[specta::specta]
pub fn add_line(books: State<'_, Books>, key: String, input: LineInput) -> Reply<InvoiceView> {
    books.call(|b| b.add_line(&key, input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_line(books: State<'_, Books>, key: String, position: u32, input: LineInput) -> Reply<InvoiceView> {
    books.call(|b| b.edit_line(&key, position as usize, input))
}

#[tauri::command]
#[specta::specta]
pub fn delete_line(books: State<'_, Books>, key: String, position: u32) -> Reply<InvoiceView> {
    books.call(|b| b.delete_line(&key, position as usize))
}

#[tauri::command]
#[specta::specta]
pub fn move_line(books: State<'_, Books>, key: String, from: u32, to: u32) -> Reply<InvoiceView> {
    books.call(|b| b.move_line(&key, from as usize, to as usize))
}

#[tauri::command]
#[specta::specta]
pub fn set_header(books: State<'_, Books>, key: String, input: HeaderInput) -> Reply<InvoiceView> {
    books.call(|b| b.set_header(&key, input))
}

#[tauri::command]
#[specta::specta]
pub fn clone_invoice(books: State<'_, Books>, key: String, input: CloneInput) -> Reply<InvoiceView> {
    books.call(|b| b.clone_invoice(&key, input))
}

#[tauri::command]
#[specta::specta]
pub fn mark_sent(books: State<'_, Books>, key: String) -> Reply<InvoiceView> {
    books.call(|b| b.mark_sent(&key))
}

#[tauri::command]
#[specta::specta]
pub fn set_status(books: State<'_, Books>, key: String, status: String) -> Reply<InvoiceView> {
    books.call(|b| b.set_status(&key, &status))
}

#[tauri::command]
#[specta::specta]
pub fn cancel_invoice(books: State<'_, Books>, key: String) -> Reply<InvoiceView> {
    books.call(|b| b.cancel_invoice(&key))
}

#[tauri::command]
#[specta::specta]
pub fn delete_invoice(books: State<'_, Books>, key: String) -> Reply<InvoiceView> {
    books.call(|b| b.delete_invoice(&key))
}

/// Deletes a draft nothing was entered into (the editor left right after
/// "New invoice"), giving its number back; false when the draft is kept.
#[tauri::command]
#[specta::specta]
pub fn discard_untouched_draft(books: State<'_, Books>, key: String) -> Reply<bool> {
    books.call(|b| b.discard_untouched_draft(&key))
}

/// Applies one action to several invoices; each reports its own outcome.
#[tauri::command]
#[specta::specta]
pub fn bulk_invoices(books: State<'_, Books>, action: BulkAction, keys: Vec<String>) -> Reply<Vec<BulkResult>> {
    books.call(|b| Ok(b.bulk(action, &keys)))
}
