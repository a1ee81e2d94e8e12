//! The business profile (numbering, defaults) and tax rates.

use billable_app::core::model::{Business, TaxRateDef};
use billable_app::{BusinessInput, TaxRateInput};
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
