//! Saved items: the catalog of products and services invoice lines are
//! picked from.

use billable_app::core::model::SavedItem;
use billable_app::{ItemInput, ItemListInput};
use tauri::State;

use crate::books::{Books, Reply};

#[tauri::command]
#[specta::specta]
pub fn items(books: State<'_, Books>, input: ItemListInput) -> Reply<Vec<SavedItem>> {
    books.call(|b| b.items(input))
}

#[tauri::command]
#[specta::specta]
pub fn create_item(books: State<'_, Books>, input: ItemInput) -> Reply<SavedItem> {
    books.call(|b| b.create_item(input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_item(books: State<'_, Books>, id: i64, input: ItemInput) -> Reply<SavedItem> {
    books.call(|b| b.edit_item(id, input))
}

#[tauri::command]
#[specta::specta]
pub fn archive_item(books: State<'_, Books>, id: i64, archived: bool) -> Reply<SavedItem> {
    books.call(|b| b.archive_item(id, archived))
}

#[tauri::command]
#[specta::specta]
pub fn delete_item(books: State<'_, Books>, id: i64) -> Reply<SavedItem> {
    books.call(|b| b.delete_item(id))
}
