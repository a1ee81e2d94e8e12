//! Billable's documents out: the invoice PDF and the standard e-invoices.
//!
//! Architecture invariant: takes a finished [`document::InvoiceDocument`]
//! (plain data, every amount as the totals engine computed it) and returns
//! bytes. No database, no recomputation of money, no clock.

pub mod document;
pub mod einvoice;
pub mod error;
pub mod pdf;

pub use document::InvoiceDocument;
pub use error::{DocsError, DocsResult};
