//! Reports, the home view's figures, and any report saved as CSV.

use std::path::Path;

use billable_app::{
    AgingInput, AgingReport, ClientFiguresInput, ClientFiguresReport, Dashboard, MoneyReport, MoneyReportInput,
    ReportRequest, RevenueInput, RevenueReport, TimeReport, TimeReportInput, UnbilledReport, UnbilledReportInput,
};
use tauri::State;

use crate::books::{Books, Reply};
use crate::commands::write_file;

/// Hours and amounts per client, project, task, member, day, week or month over a range.
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

/// Invoiced, paid and outstanding per month and currency.
#[tauri::command]
#[specta::specta]
pub fn revenue_report(books: State<'_, Books>, input: RevenueInput) -> Reply<RevenueReport> {
    books.call(|b| b.revenue_report(input))
}

/// Open balances per client in the buckets current, 1–30, 31–60, 61–90 and over 90 days.
#[tauri::command]
#[specta::specta]
pub fn aging_report(books: State<'_, Books>, input: AgingInput) -> Reply<AgingReport> {
    books.call(|b| b.aging_report(input))
}

/// The value of billable time not invoiced yet, per client.
#[tauri::command]
#[specta::specta]
pub fn unbilled_report(books: State<'_, Books>, input: UnbilledReportInput) -> Reply<UnbilledReport> {
    books.call(|b| b.unbilled_report(input))
}

/// Outstanding, overdue and unbilled per client and currency, summed over the clients shown.
#[tauri::command]
#[specta::specta]
pub fn client_figures(books: State<'_, Books>, input: ClientFiguresInput) -> Reply<ClientFiguresReport> {
    books.call(|b| b.client_figures(input))
}

/// Writes a report as CSV (the text `billable report … --format csv` writes) to `path`.
#[tauri::command]
#[specta::specta]
pub fn save_report_csv(books: State<'_, Books>, request: ReportRequest, path: String) -> Reply<String> {
    books.call(|b| {
        write_file(Path::new(&path), b.report_csv(request)?.as_bytes())?;
        Ok(path)
    })
}

/// The home view: outstanding and overdue per currency, unbilled work,
/// the clients who owe the most, the running timer.
#[tauri::command]
#[specta::specta]
pub fn dashboard(books: State<'_, Books>) -> Reply<Dashboard> {
    books.call(|b| b.dashboard())
}
