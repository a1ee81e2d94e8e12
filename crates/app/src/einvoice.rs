//! E-invoice exports: an invoice as CII (Factur-X EN 16931), XRechnung or
//! UBL (Peppol BIS Billing 3.0) XML. Missing mandatory data is refused with
//! every missing field listed, before any XML is produced.

use billable_docs::einvoice::{self, MissingField};
use billable_docs::DocsError;
use serde::Serialize;

pub use billable_docs::einvoice::Format as EInvoiceFormat;

use crate::{AppError, AppResult, Billable};

/// An e-invoice file: the name to save it under and its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct XmlFile {
    pub file_name: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

impl Billable {
    /// The e-invoice of an invoice (by number or id) in `format`.
    pub fn invoice_xml(&mut self, key: &str, format: EInvoiceFormat) -> AppResult<XmlFile> {
        let doc = self.invoice_document(key)?;
        let bytes = einvoice::xml(&doc, format).map_err(einvoice_error)?;
        Ok(XmlFile { file_name: format.file_name(&doc.number), bytes })
    }

    /// The e-invoice of a credit note (by number or id): CII type 381, or a
    /// UBL CreditNote, referring to the invoice it corrects.
    pub fn credit_note_xml(&mut self, key: &str, format: EInvoiceFormat) -> AppResult<XmlFile> {
        let doc = self.credit_note_document(key)?;
        let bytes = einvoice::xml(&doc, format).map_err(einvoice_error)?;
        Ok(XmlFile { file_name: format.file_name(&doc.number), bytes })
    }
}

/// The error for missing e-invoice data: names the first field and lists them all.
pub(crate) fn missing_data(number: &str, format: &str, fields: &[MissingField]) -> AppError {
    let list: Vec<String> = fields.iter().map(|f| format!("{} ({})", f.field, f.message)).collect();
    AppError::Invalid {
        field: fields.first().map(|f| f.field.clone()).unwrap_or_else(|| "invoice".to_string()),
        message: format!("the {format} e-invoice of {number} needs, before it can be written: {}", list.join("; ")),
    }
}

/// Maps a document error of the e-invoice writers to the app's error.
pub(crate) fn einvoice_error(e: DocsError) -> AppError {
    match e {
        DocsError::Incomplete { number, format, fields } => missing_data(&number, format, &fields),
        other => AppError::conflict(other.to_string()),
    }
}
