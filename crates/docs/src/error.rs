//! Errors of the document crate.

use thiserror::Error;

/// What can go wrong while turning an invoice view model into a document.
#[derive(Debug, Error)]
pub enum DocsError {
    /// An image (logo, signature) could not be decoded.
    #[error("could not read the {what} image: {reason}")]
    Image { what: &'static str, reason: String },
    /// A font shipped with Billable could not be parsed.
    #[error("could not load the font {name}: {reason}")]
    Font { name: &'static str, reason: String },
    /// The PDF writer failed.
    #[error("could not write the PDF of {number}: {reason}")]
    Pdf { number: String, reason: String },
    /// A value could not be formatted for the invoice's language.
    #[error("could not format {what} for {locale}: {reason}")]
    Format { what: String, locale: String, reason: String },
    /// The e-invoice could not be produced.
    #[error("{0}")]
    EInvoice(String),
    /// The invoice lacks data the e-invoice format requires; every missing datum is listed.
    #[error("the {format} e-invoice of {number} needs: {}", fields.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; "))]
    Incomplete { number: String, format: &'static str, fields: Vec<crate::einvoice::MissingField> },
}

pub type DocsResult<T> = Result<T, DocsError>;
