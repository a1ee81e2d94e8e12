//! Estimates: list, create and edit drafts, send, accept or decline, delete,
//! convert into invoices (in full, or a deposit), and their PDF.

use std::path::Path;

use billable_app::{
    ConvertInput, ConvertOutcome, EstimateHeaderInput, EstimateInput, EstimateListInput, EstimateListRow, EstimateView,
    LineInput, PdfOptions,
};
use tauri::State;

use super::write_file;
use crate::books::{Books, Reply};

#[tauri::command]
#[specta::specta]
pub fn estimates(books: State<'_, Books>, input: EstimateListInput) -> Reply<Vec<EstimateListRow>> {
    books.call(|b| b.estimates(input))
}

#[tauri::command]
#[specta::specta]
pub fn estimate(books: State<'_, Books>, key: String) -> Reply<EstimateView> {
    books.call(|b| b.estimate(&key))
}

#[tauri::command]
#[specta::specta]
pub fn create_estimate(books: State<'_, Books>, input: EstimateInput) -> Reply<EstimateView> {
    books.call(|b| b.create_estimate(input))
}

#[tauri::command]
#[specta::specta]
pub fn set_estimate(books: State<'_, Books>, key: String, input: EstimateHeaderInput) -> Reply<EstimateView> {
    books.call(|b| b.set_estimate(&key, input))
}

#[tauri::command]
#[specta::specta]
pub fn add_estimate_line(books: State<'_, Books>, key: String, input: LineInput) -> Reply<EstimateView> {
    books.call(|b| b.add_estimate_line(&key, input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_estimate_line(
    books: State<'_, Books>,
    key: String,
    position: u32,
    input: LineInput,
) -> Reply<EstimateView> {
    books.call(|b| b.edit_estimate_line(&key, position as usize, input))
}

#[tauri::command]
#[specta::specta]
pub fn delete_estimate_line(books: State<'_, Books>, key: String, position: u32) -> Reply<EstimateView> {
    books.call(|b| b.delete_estimate_line(&key, position as usize))
}

#[tauri::command]
#[specta::specta]
pub fn mark_estimate_sent(books: State<'_, Books>, key: String) -> Reply<EstimateView> {
    books.call(|b| b.mark_estimate_sent(&key))
}

#[tauri::command]
#[specta::specta]
pub fn accept_estimate(books: State<'_, Books>, key: String) -> Reply<EstimateView> {
    books.call(|b| b.accept_estimate(&key))
}

#[tauri::command]
#[specta::specta]
pub fn decline_estimate(books: State<'_, Books>, key: String) -> Reply<EstimateView> {
    books.call(|b| b.decline_estimate(&key))
}

#[tauri::command]
#[specta::specta]
pub fn delete_estimate(books: State<'_, Books>, key: String) -> Reply<EstimateView> {
    books.call(|b| b.delete_estimate(&key))
}

/// A draft invoice from an accepted estimate: a deposit, or the whole of it.
#[tauri::command]
#[specta::specta]
pub fn convert_estimate(books: State<'_, Books>, input: ConvertInput) -> Reply<ConvertOutcome> {
    books.call(|b| b.convert_estimate(input))
}

/// Writes the estimate's PDF to `path`. Returns the path written.
#[tauri::command]
#[specta::specta]
pub fn save_estimate_pdf(books: State<'_, Books>, key: String, path: String) -> Reply<String> {
    books.call(|b| {
        write_file(Path::new(&path), &b.estimate_pdf(&key, PdfOptions::default())?.bytes)?;
        Ok(path)
    })
}

/// Opens the estimate's PDF in the system's PDF viewer, as
/// `invoice_pdf_preview` does for an invoice.
#[tauri::command]
#[specta::specta]
pub fn estimate_pdf_preview(books: State<'_, Books>, key: String) -> Reply<String> {
    books.call(|b| super::documents::open_preview(&b.estimate_pdf(&key, PdfOptions::default())?))
}
