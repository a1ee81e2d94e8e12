//! Recurring invoices: profiles made from an invoice, their schedule and
//! what they generated.

use billable_app::views::{RecurringRunReport, RecurringView};
use billable_app::RecurringInput;
use tauri::State;

use crate::books::{Books, Reply};

#[tauri::command]
#[specta::specta]
pub fn recurring_profiles(books: State<'_, Books>) -> Reply<Vec<RecurringView>> {
    books.call(|b| b.recurring_profiles())
}

#[tauri::command]
#[specta::specta]
pub fn recurring_profile(books: State<'_, Books>, id: i64) -> Reply<RecurringView> {
    books.call(|b| b.recurring(id))
}

/// A profile that repeats an invoice's lines on a schedule.
#[tauri::command]
#[specta::specta]
pub fn create_recurring(books: State<'_, Books>, input: RecurringInput) -> Reply<RecurringView> {
    books.call(|b| b.create_recurring(input))
}

#[tauri::command]
#[specta::specta]
pub fn set_recurring_paused(books: State<'_, Books>, id: i64, paused: bool) -> Reply<RecurringView> {
    books.call(|b| b.set_recurring_paused(id, paused))
}

/// Deletes a profile; the invoices it generated stay.
#[tauri::command]
#[specta::specta]
pub fn delete_recurring(books: State<'_, Books>, id: i64) -> Reply<RecurringView> {
    books.call(|b| b.delete_recurring(id))
}

/// Generates every invoice that is due now (also done in the background).
#[tauri::command]
#[specta::specta]
pub async fn run_recurring(books: State<'_, Books>) -> Reply<RecurringRunReport> {
    // Profiles in send mode email their invoices: off the async runtime.
    books.off_thread(|books| books.call(|b| b.run_recurring()))
}
