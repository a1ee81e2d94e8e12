//! The business profile (numbering, defaults) and tax rates.

use billable_app::core::model::{Business, TaxRateDef};
use billable_app::{BusinessInput, NumberingInput, NumberingView, TaxRateInput};
use tauri::State;

use crate::books::{Books, Reply};

#[tauri::command]
#[specta::specta]
pub fn business(books: State<'_, Books>) -> Reply<Business> {
    books.call(|b| b.business())
}

#[tauri::command]
#[specta::specta]
pub fn update_business(books: State<'_, Books>, input: BusinessInput) -> Reply<Business> {
    books.call(|b| b.update_business(input))
}

#[tauri::command]
#[specta::specta]
pub fn tax_rates(books: State<'_, Books>, include_archived: bool) -> Reply<Vec<TaxRateDef>> {
    books.call(|b| b.tax_rates(include_archived))
}

#[tauri::command]
#[specta::specta]
pub fn create_tax_rate(books: State<'_, Books>, input: TaxRateInput) -> Reply<TaxRateDef> {
    books.call(|b| b.create_tax_rate(input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_tax_rate(books: State<'_, Books>, id: i64, input: TaxRateInput) -> Reply<TaxRateDef> {
    books.call(|b| b.edit_tax_rate(id, input))
}

#[tauri::command]
#[specta::specta]
pub fn archive_tax_rate(books: State<'_, Books>, id: i64, archived: bool) -> Reply<TaxRateDef> {
    books.call(|b| b.archive_tax_rate(id, archived))
}

/// The invoice and credit note numbering patterns (typed ones, else the
/// saved ones) and the next number of each. Changes nothing.
#[tauri::command]
#[specta::specta]
pub fn numbering_preview(books: State<'_, Books>, input: NumberingInput) -> Reply<NumberingView> {
    books.call(|b| b.numbering_preview(input))
}

/// Saves the credit note numbering pattern (the invoice one is part of the business).
#[tauri::command]
#[specta::specta]
pub fn set_credit_note_pattern(books: State<'_, Books>, pattern: String) -> Reply<String> {
    books.call(|b| b.set_credit_note_pattern(&pattern))
}

/// An image chosen for the logo or the signature, checked as the PDF will
/// read it, as a `data:` URL to show it. `setting` is `logo_path` or `signature_path`.
#[tauri::command]
#[specta::specta]
pub fn image_preview(path: String, setting: String) -> Reply<String> {
    let field = match setting.as_str() {
        "signature_path" => "signature_path",
        _ => "logo_path",
    };
    billable_app::image_data_url(&path, field).map_err(|e| e.to_body())
}
