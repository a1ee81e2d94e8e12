//! Documents of an invoice or a credit note: its PDF (saved where the user
//! chose, or opened in the system's PDF viewer) and its e-invoice XML.

use std::path::Path;

use billable_app::core::presentation::Template;
use billable_app::{AppError, AppResult, Billable, EInvoiceFormat, PdfOptions, RenderedPdf};
use tauri::State;

use crate::books::{Books, Reply};
use crate::commands::write_file;

/// Writes the invoice's PDF to `path`; `None` takes the invoice's template
/// and the business's Factur-X setting. Returns the path written.
#[tauri::command]
#[specta::specta]
pub fn save_invoice_pdf(
    books: State<'_, Books>,
    key: String,
    path: String,
    template: Option<String>,
    facturx: Option<bool>,
) -> Reply<String> {
    books.call(|b| {
        let pdf = render(b, &key, template.as_deref(), facturx)?;
        write_file(Path::new(&path), &pdf.bytes)?;
        Ok(path)
    })
}

/// Renders the invoice's PDF into the user's cache folder (the system's
/// temporary folder when there is none) and opens it in the system's PDF
/// viewer. Returns the file's path. The webview is granted no opener
/// permission: only this command opens, and only the file it wrote.
#[tauri::command]
#[specta::specta]
pub fn invoice_pdf_preview(books: State<'_, Books>, key: String) -> Reply<String> {
    books.call(|b| open_preview(&render(b, &key, None, None)?))
}

pub(crate) fn open_preview(pdf: &RenderedPdf) -> AppResult<String> {
    open_in_viewer(&pdf.file_name, &pdf.bytes)
}

/// Writes `bytes` as `file_name` into the preview folder of the user's
/// cache and opens it with the system's viewer for its type.
pub(crate) fn open_in_viewer(file_name: &str, bytes: &[u8]) -> AppResult<String> {
    let folder = directories::ProjectDirs::from("app", "Billable", "Billable")
        .map(|d| d.cache_dir().to_path_buf())
        .unwrap_or_else(std::env::temp_dir);
    let file = folder.join("preview").join(file_name);
    write_file(&file, bytes)?;
    tauri_plugin_opener::open_path(&file, None::<&str>)
        .map_err(|e| AppError::invalid("preview", format!("could not open {}: {e}", file.display())))?;
    Ok(file.to_string_lossy().into_owned())
}

/// Writes the credit note's PDF to `path` (the business's template and
/// Factur-X setting). Returns the path written.
#[tauri::command]
#[specta::specta]
pub fn save_credit_note_pdf(books: State<'_, Books>, key: String, path: String) -> Reply<String> {
    books.call(|b| {
        write_file(Path::new(&path), &credit_note_pdf(b, &key)?.bytes)?;
        Ok(path)
    })
}

/// Opens the credit note's PDF in the system's PDF viewer, as
/// [`invoice_pdf_preview`] does for an invoice.
#[tauri::command]
#[specta::specta]
pub fn credit_note_pdf_preview(books: State<'_, Books>, key: String) -> Reply<String> {
    books.call(|b| open_preview(&credit_note_pdf(b, &key)?))
}

/// Writes the credit note's e-invoice (`cii`, `xrechnung` or `ubl`) to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_credit_note_xml(books: State<'_, Books>, key: String, format: String, path: String) -> Reply<String> {
    books.call(|b| {
        let format: EInvoiceFormat = format.parse().map_err(|e: String| AppError::invalid("format", e))?;
        write_file(Path::new(&path), &b.credit_note_xml(&key, format)?.bytes)?;
        Ok(path)
    })
}

fn credit_note_pdf(b: &mut Billable, key: &str) -> AppResult<RenderedPdf> {
    let facturx = b.business()?.einvoicing;
    b.credit_note_pdf(key, PdfOptions { template: None, facturx })
}

/// Writes the invoice's e-invoice (`cii`, `xrechnung` or `ubl`) to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_invoice_xml(books: State<'_, Books>, key: String, format: String, path: String) -> Reply<String> {
    books.call(|b| {
        let format: EInvoiceFormat = format.parse().map_err(|e: String| AppError::invalid("format", e))?;
        write_file(Path::new(&path), &b.invoice_xml(&key, format)?.bytes)?;
        Ok(path)
    })
}

fn render(b: &mut Billable, key: &str, template: Option<&str>, facturx: Option<bool>) -> AppResult<RenderedPdf> {
    let template = template
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            t.parse::<Template>().map_err(|e| AppError::invalid("template", e.to_string().replace("template: ", "")))
        })
        .transpose()?;
    let facturx = match facturx {
        Some(on) => on,
        None => b.business()?.einvoicing,
    };
    b.invoice_pdf(key, PdfOptions { template, facturx })
}
