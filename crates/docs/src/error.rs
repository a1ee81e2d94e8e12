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
}

pub type DocsResult<T> = Result<T, DocsError>;
