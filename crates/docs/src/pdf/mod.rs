//! The invoice PDF.
