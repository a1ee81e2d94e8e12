//! Reports.

use billable_app::{MoneyReport, MoneyReportInput, TimeReport, TimeReportInput};
use tauri::State;

use crate::books::{Books, Reply};

/// Hours and amounts per client, project, task or member over a range.
#[tauri::command]
#[specta::specta]
pub fn time_report(books: State<'_, Books>, input: TimeReportInput) -> Reply<TimeReport> {
    books.call(|b| b.time_report(input))
}

/// Invoiced versus paid per month and currency over a range.
#[tauri::command]
#[specta::specta]
pub fn money_report(books: State<'_, Books>, input: MoneyReportInput) -> Reply<MoneyReport> {
    books.call(|b| b.money_report(input))
}
