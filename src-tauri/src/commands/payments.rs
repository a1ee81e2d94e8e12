//! Payments against an invoice.

use billable_app::views::InvoiceView;
use billable_app::PaymentInput;
use tauri::State;

use crate::books::{Books, Reply};

/// Records a payment (the amount defaults to the balance due).
#[tauri::command]
#[specta::specta]
pub fn record_payment(books: State<'_, Books>, key: String, input: PaymentInput) -> Reply<InvoiceView> {
    books.call(|b| b.record_payment(&key, input))
}

#[tauri::command]
#[specta::specta]
pub fn mark_paid(books: State<'_, Books>, key: String) -> Reply<InvoiceView> {
    books.call(|b| b.mark_paid(&key))
}

#[tauri::command]
#[specta::specta]
pub fn delete_payment(books: State<'_, Books>, id: i64) -> Reply<InvoiceView> {
    books.call(|b| b.delete_payment(id))
}
