//! Integration tests of billable-docs; modules mirror `src`.
mod einvoice;
mod pdf;
