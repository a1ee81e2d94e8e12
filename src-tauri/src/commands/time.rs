//! The timer (of the default member), time entries and unbilled time.

use billable_app::core::model::Project;
use billable_app::views::{EntryView, TimerIdle, TimerStarted, TimerStopped, TimerView, Unbilled};
use billable_app::{
    ApprovalInput, ApprovalOutcome, EntryInput, EntryListInput, SubmittedWeek, TimerStartInput, UnbilledInput,
};
use tauri::State;

use crate::books::{Books, KeptStop, Reply};

#[tauri::command]
#[specta::specta]
pub fn timer_status(books: State<'_, Books>) -> Reply<Option<TimerView>> {
    books.timer_status()
}

#[tauri::command]
#[specta::specta]
pub fn timer_start(books: State<'_, Books>, input: TimerStartInput) -> Reply<TimerStarted> {
    books.timer_start(input)
}

/// How long the person has not touched the keyboard or mouse, in seconds
/// (the whole system, not only this window); none where the system does
/// not tell (some Wayland desktops). `BILLABLE_IDLE_FILE` names a file
/// whose number is used instead, for the desktop walks under Xvfb.
#[tauri::command]
#[specta::specta]
pub fn idle_seconds() -> Option<u64> {
    if let Some(path) = std::env::var_os("BILLABLE_IDLE_FILE") {
        return std::fs::read_to_string(path).ok().and_then(|t| t.trim().parse().ok());
    }
    system_idle_time::get_idle_time().ok().map(|d| d.as_secs())
}

/// Leaves idle time out of the running timer: stops it when the person
/// went idle and, with `keep_running`, starts it again now.
#[tauri::command]
#[specta::specta]
pub fn timer_idle(books: State<'_, Books>, idle_since: String, keep_running: bool) -> Reply<TimerIdle> {
    books.call(|b| b.timer_idle(None, &idle_since, keep_running))
}

#[tauri::command]
#[specta::specta]
pub fn timer_stop(books: State<'_, Books>) -> Reply<TimerStopped> {
    books.timer_stop()
}

/// A timer stopped while the team server was out of reach, waiting to go
/// into the books.
#[tauri::command]
#[specta::specta]
pub fn kept_timer_stop(books: State<'_, Books>) -> Option<KeptStop> {
    books.kept_stop()
}

#[tauri::command]
#[specta::specta]
pub fn timer_discard(books: State<'_, Books>) -> Reply<TimerView> {
    books.call(|b| b.timer_discard(None))
}

#[tauri::command]
#[specta::specta]
pub fn recent_projects(books: State<'_, Books>, limit: u32) -> Reply<Vec<Project>> {
    books.call(|b| b.recent_projects(limit))
}

#[tauri::command]
#[specta::specta]
pub fn entries(books: State<'_, Books>, filter: EntryListInput) -> Reply<Vec<EntryView>> {
    books.call(|b| b.entries(filter))
}

#[tauri::command]
#[specta::specta]
pub fn add_entry(books: State<'_, Books>, input: EntryInput) -> Reply<EntryView> {
    books.call(|b| b.add_entry(input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_entry(books: State<'_, Books>, id: i64, input: EntryInput) -> Reply<EntryView> {
    books.call(|b| b.edit_entry(id, input))
}

#[tauri::command]
#[specta::specta]
pub fn delete_entry(books: State<'_, Books>, id: i64) -> Reply<EntryView> {
    books.call(|b| b.delete_entry(id))
}

#[tauri::command]
#[specta::specta]
pub fn unbilled(books: State<'_, Books>, input: UnbilledInput) -> Reply<Unbilled> {
    books.call(|b| b.unbilled(input))
}

/// Marks time entries as invoiced outside Billable (by another tool or by
/// hand), with that invoice's reference: they stay in the reports but are
/// never offered for invoicing again.
#[tauri::command]
#[specta::specta]
pub fn mark_entries_invoiced(books: State<'_, Books>, ids: Vec<i64>, reference: String) -> Reply<Vec<EntryView>> {
    books.call(|b| b.mark_billed_outside(&ids, &reference))
}

/// Takes the "invoiced outside Billable" mark off time entries, so they are
/// offered for invoicing again.
#[tauri::command]
#[specta::specta]
pub fn unmark_entries_invoiced(books: State<'_, Books>, ids: Vec<i64>) -> Reply<Vec<EntryView>> {
    books.call(|b| b.unmark_billed_outside(&ids))
}

/// Submits a member's week (or chosen entries) for approval.
#[tauri::command]
#[specta::specta]
pub fn submit_time(books: State<'_, Books>, input: ApprovalInput) -> Reply<ApprovalOutcome> {
    books.call(|b| b.submit_time(input))
}

#[tauri::command]
#[specta::specta]
pub fn approve_time(books: State<'_, Books>, input: ApprovalInput) -> Reply<ApprovalOutcome> {
    books.call(|b| b.approve_time(input))
}

/// Rejects submitted time with `input.reason`.
#[tauri::command]
#[specta::specta]
pub fn reject_time(books: State<'_, Books>, input: ApprovalInput) -> Reply<ApprovalOutcome> {
    books.call(|b| b.reject_time(input))
}

/// The submitted weeks waiting for approval, per member.
#[tauri::command]
#[specta::specta]
pub fn submitted_weeks(books: State<'_, Books>) -> Reply<Vec<SubmittedWeek>> {
    books.call(|b| b.submitted_weeks())
}
