//! Expenses, their receipts (attached from a file the open dialog chose,
//! opened in the system's viewer, saved where the save dialog chose), the
//! expense report and the expense import.

use std::path::Path;

use billable_app::{
    ExpenseImportInput, ExpenseImportOutcome, ExpenseInput, ExpenseList, ExpenseListInput, ExpenseReport,
    ExpenseReportInput, ExpenseView,
};
use tauri::State;

use crate::books::{Books, Reply};
use crate::commands::documents::open_in_viewer;
use crate::commands::write_file;

#[tauri::command]
#[specta::specta]
pub fn expenses(books: State<'_, Books>, input: ExpenseListInput) -> Reply<ExpenseList> {
    books.call(|b| b.expenses(input))
}

#[tauri::command]
#[specta::specta]
pub fn create_expense(books: State<'_, Books>, input: ExpenseInput) -> Reply<ExpenseView> {
    books.call(|b| b.create_expense(input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_expense(books: State<'_, Books>, id: i64, input: ExpenseInput) -> Reply<ExpenseView> {
    books.call(|b| b.edit_expense(id, input))
}

#[tauri::command]
#[specta::specta]
pub fn delete_expense(books: State<'_, Books>, id: i64) -> Reply<ExpenseView> {
    books.call(|b| b.delete_expense(id))
}

/// Attaches the file at `path` (chosen in the open dialog) as the receipt.
#[tauri::command]
#[specta::specta]
pub fn attach_receipt(books: State<'_, Books>, id: i64, path: String) -> Reply<ExpenseView> {
    books.call(|b| b.attach_receipt_file(id, Path::new(&path)))
}

#[tauri::command]
#[specta::specta]
pub fn remove_receipt(books: State<'_, Books>, id: i64) -> Reply<ExpenseView> {
    books.call(|b| b.remove_receipt(id))
}

/// Opens the receipt in the system's viewer; returns the file it wrote.
#[tauri::command]
#[specta::specta]
pub fn open_receipt(books: State<'_, Books>, id: i64) -> Reply<String> {
    books.call(|b| {
        let r = b.receipt(id)?;
        open_in_viewer(&format!("expense-{id}-{}", r.info.file_name), &r.bytes)
    })
}

/// Writes the receipt to `path` (chosen in the save dialog).
#[tauri::command]
#[specta::specta]
pub fn save_receipt(books: State<'_, Books>, id: i64, path: String) -> Reply<String> {
    books.call(|b| {
        write_file(Path::new(&path), &b.receipt(id)?.bytes)?;
        Ok(path)
    })
}

#[tauri::command]
#[specta::specta]
pub fn expense_report(books: State<'_, Books>, input: ExpenseReportInput) -> Reply<ExpenseReport> {
    books.call(|b| b.expense_report(input))
}

#[tauri::command]
#[specta::specta]
pub fn import_expenses(
    books: State<'_, Books>,
    path: String,
    input: ExpenseImportInput,
) -> Reply<ExpenseImportOutcome> {
    books.call(|b| b.import_expenses(Path::new(&path), input))
}
