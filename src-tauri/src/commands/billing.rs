//! Projects billed by type: part of a fixed fee, or a retainer period.

use billable_app::views::{InvoiceView, ProjectBillingView};
use billable_app::ProjectInvoiceInput;
use tauri::State;

use crate::books::{Books, Reply};

/// The fee and what is left of it, or the retainer and its billed periods.
#[tauri::command]
#[specta::specta]
pub fn project_billing(books: State<'_, Books>, project_id: i64) -> Reply<ProjectBillingView> {
    books.call(|b| b.project_billing(project_id))
}

/// A draft invoice billing a project by its type (a percentage, an amount
/// or the rest of a fixed fee; one retainer period; or its unbilled time).
#[tauri::command]
#[specta::specta]
pub fn invoice_from_project(books: State<'_, Books>, input: ProjectInvoiceInput) -> Reply<InvoiceView> {
    books.call(|b| b.invoice_from_project(input))
}

#[tauri::command]
#[specta::specta]
pub fn set_retainer_period(books: State<'_, Books>, project_id: i64, period: String) -> Reply<ProjectBillingView> {
    books.call(|b| b.set_retainer_period(project_id, &period))
}
