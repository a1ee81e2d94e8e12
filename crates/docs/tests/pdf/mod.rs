//! The invoice PDF: valid files (qpdf), the text a reader extracts
//! (pdftotext) carries every line and the engine's totals in the invoice's
//! locale, pages flow with the header repeated, every script renders.

mod format;
mod girocode;
mod render;
