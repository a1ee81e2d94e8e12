//! The Tauri commands, one module per domain. Each is a few lines: take the
//! books from the state, call one use case of `billable-app`, return its view
//! or its error body. No business rules live here.

use std::path::Path;

use billable_app::{AppError, AppResult};

pub mod billing;
pub mod catalog;
pub mod credit_notes;
pub mod data;
pub mod documents;
pub mod estimates;
pub mod expenses;
pub mod invoices;
pub mod items;
pub mod mail;
pub mod payments;
pub mod place;
pub mod recurring;
pub mod reports;
pub mod settings;
pub mod startup;
pub mod time;

/// Writes a file the user chose in a save dialog (creating its folder).
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> AppResult<()> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| AppError::invalid("path", format!("could not create the folder {}: {e}", folder.display())))?;
    }
    std::fs::write(path, bytes)
        .map_err(|e| AppError::invalid("path", format!("could not write {}: {e}", path.display())))
}
