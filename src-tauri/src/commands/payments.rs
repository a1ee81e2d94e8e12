//! Payments against an invoice, payments across a client's invoices and
//! the client's credit.

use billable_app::views::InvoiceView;
use billable_app::{
    ApplyCreditInput, ClientCredit, ClientPaymentInput, ClientPaymentPlan, CreditRefundInput, PaymentInput,
};
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

/// How a payment from a client would be spread over their open invoices;
/// writes nothing (the form's preview).
#[tauri::command]
#[specta::specta]
pub fn plan_client_payment(books: State<'_, Books>, input: ClientPaymentInput) -> Reply<ClientPaymentPlan> {
    books.call(|b| b.plan_client_payment(input))
}

/// Records one payment from a client across their open invoices.
#[tauri::command]
#[specta::specta]
pub fn receive_payment(books: State<'_, Books>, input: ClientPaymentInput) -> Reply<ClientCredit> {
    books.call(|b| b.receive_payment(input))
}

/// A client's payments received and the credit they have left.
#[tauri::command]
#[specta::specta]
pub fn client_credit(books: State<'_, Books>, client: i64) -> Reply<ClientCredit> {
    books.call(|b| b.client_credit(client))
}

/// Applies the client's credit to one of their invoices.
#[tauri::command]
#[specta::specta]
pub fn apply_credit(books: State<'_, Books>, input: ApplyCreditInput) -> Reply<InvoiceView> {
    books.call(|b| b.apply_credit(input))
}

/// Pays unused credit back to the client.
#[tauri::command]
#[specta::specta]
pub fn refund_credit(books: State<'_, Books>, input: CreditRefundInput) -> Reply<ClientCredit> {
    books.call(|b| b.refund_credit(input))
}

/// Deletes a payment received from a client with its shares of invoices.
#[tauri::command]
#[specta::specta]
pub fn delete_client_payment(books: State<'_, Books>, id: i64) -> Reply<ClientCredit> {
    books.call(|b| b.delete_client_payment(id))
}
