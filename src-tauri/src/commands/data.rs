//! The books as files: importing time from other trackers, exporting CSV,
//! JSON and Xero files, and backups (list, make, restore, the automatic
//! ones, the integrity check).

use std::path::Path;
use std::time::{Duration, Instant};

use billable_app::backup_types::{AccountRule, BackupSettings};
use billable_app::{
    BackupInfo, BackupSettingsInput, ExportFilter, ImportInput, ImportOutcome, IntegrityReport, RestoreOutcome,
    XeroExportInput, XeroRuleInput,
};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::books::{Books, Reply};
use crate::commands::write_file;

/// How far an import is, sent on the command's progress channel.
#[derive(Debug, Clone, Copy, Serialize, specta::Type)]
pub struct ImportProgress {
    pub done: u64,
    pub total: u64,
}

/// Reads a Toggl, Clockify, Harvest or generic CSV export of time entries,
/// or a Toggl Track or Harvest list of projects or clients (the outcome's
/// `catalog` then says what was filled in and which values were kept).
/// With `dry_run` it only tells what would be created and shows the first
/// rows; otherwise it imports, telling its progress on `progress`. Entries
/// imported before are recognised and skipped.
#[tauri::command]
#[specta::specta]
pub async fn import_time(
    books: State<'_, Books>,
    path: String,
    input: ImportInput,
    progress: Channel<ImportProgress>,
) -> Reply<ImportOutcome> {
    books.off_thread(|books| {
        books.call(|b| {
            let mut last = Instant::now();
            let mut tell = |done: u64, total: u64| {
                // A few updates a second are enough for a progress bar.
                if done == total || last.elapsed() >= Duration::from_millis(100) {
                    last = Instant::now();
                    progress.send(ImportProgress { done, total }).ok();
                }
            };
            b.import_time(Path::new(&path), input, &mut tell)
        })
    })
}

/// Writes time entries as CSV to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_time_csv(books: State<'_, Books>, filter: ExportFilter, path: String) -> Reply<String> {
    books.call(|b| {
        write_file(Path::new(&path), b.export_time_csv(filter)?.as_bytes())?;
        Ok(path)
    })
}

/// Writes invoices as CSV to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_invoices_csv(books: State<'_, Books>, filter: ExportFilter, path: String) -> Reply<String> {
    books.call(|b| {
        write_file(Path::new(&path), b.export_invoices_csv(filter)?.as_bytes())?;
        Ok(path)
    })
}

/// Writes the whole books as one JSON document to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_books_json(books: State<'_, Books>, path: String) -> Reply<String> {
    books.call(|b| {
        let export = b.export_books()?;
        let text = serde_json::to_string_pretty(&export)
            .map_err(|e| billable_app::AppError::conflict(format!("could not write JSON: {e}")))?;
        write_file(Path::new(&path), text.as_bytes())?;
        Ok(path)
    })
}

/// Writes Xero's sales-invoice import CSV to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_xero(books: State<'_, Books>, input: XeroExportInput, path: String) -> Reply<String> {
    books.call(|b| {
        write_file(Path::new(&path), b.export_xero(input)?.as_bytes())?;
        Ok(path)
    })
}

/// The rules that give Xero lines their account codes.
#[tauri::command]
#[specta::specta]
pub fn xero_rules(books: State<'_, Books>) -> Reply<Vec<AccountRule>> {
    books.call(|b| b.xero_rules())
}

#[tauri::command]
#[specta::specta]
pub fn set_xero_rule(books: State<'_, Books>, input: XeroRuleInput) -> Reply<Vec<AccountRule>> {
    books.call(|b| b.set_xero_rule(input))
}

#[tauri::command]
#[specta::specta]
pub fn remove_xero_rule(books: State<'_, Books>, kind: String, target: Option<i64>) -> Reply<Vec<AccountRule>> {
    books.call(|b| b.remove_xero_rule(&kind, target))
}

/// The backups in the books' backups folder, newest first.
#[tauri::command]
#[specta::specta]
pub fn backups(books: State<'_, Books>) -> Reply<Vec<BackupInfo>> {
    books.call(|b| b.backups())
}

/// Makes a backup now, into the backups folder.
#[tauri::command]
#[specta::specta]
pub fn create_backup(books: State<'_, Books>) -> Reply<BackupInfo> {
    books.call(|b| b.create_backup(None))
}

/// Replaces the books with a backup (the current books are backed up first).
#[tauri::command]
#[specta::specta]
pub fn restore_backup(books: State<'_, Books>, path: String) -> Reply<RestoreOutcome> {
    books.call(|b| b.restore_backup(Path::new(&path)))
}

#[tauri::command]
#[specta::specta]
pub fn backup_settings(books: State<'_, Books>) -> Reply<BackupSettings> {
    books.call(|b| b.backup_settings())
}

#[tauri::command]
#[specta::specta]
pub fn set_backup_settings(books: State<'_, Books>, input: BackupSettingsInput) -> Reply<BackupSettings> {
    books.call(|b| b.set_backup_settings(input))
}

/// Checks the books file; when it is damaged, names the newest good backup.
/// The check reads the whole file (seconds on large books), so it runs on a
/// thread and a connection of its own: the window's other commands go on
/// meanwhile (the window asks for it once at start).
#[tauri::command(async)]
#[specta::specta]
pub fn check_integrity(books: State<'_, Books>) -> Reply<IntegrityReport> {
    books.off_thread(|books| books.call_apart(|b| b.check_integrity()))
}
