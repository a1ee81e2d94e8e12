//! Credit notes: correcting an issued invoice (all of it, some lines, part
//! of a quantity) and recording the refund of what was paid too much.

use billable_app::views::{CreditNoteListRow, CreditNoteView};
use billable_app::{CreditNoteInput, CreditNoteListInput};
use tauri::State;

use crate::books::{Books, Reply};

#[tauri::command]
#[specta::specta]
pub fn credit_notes(books: State<'_, Books>, filter: CreditNoteListInput) -> Reply<Vec<CreditNoteListRow>> {
    books.call(|b| b.credit_notes(filter))
}

/// One credit note by number or id.
#[tauri::command]
#[specta::specta]
pub fn credit_note(books: State<'_, Books>, key: String) -> Reply<CreditNoteView> {
    books.call(|b| b.credit_note(&key))
}

#[tauri::command]
#[specta::specta]
pub fn create_credit_note(books: State<'_, Books>, input: CreditNoteInput) -> Reply<CreditNoteView> {
    books.call(|b| b.create_credit_note(input))
}
