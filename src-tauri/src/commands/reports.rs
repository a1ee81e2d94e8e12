//! Reports.

use billable_app::{TimeReport, TimeReportInput};
use tauri::State;

use crate::books::{Books, Reply};

/// Hours and amounts per client, project, task or member over a range.
#[tauri::command]
#[specta::specta]
pub fn time_report(books: State<'_, Books>, input: TimeReportInput) -> Reply<TimeReport> {
    books.call(|b| b.time_report(input))
}
