//! Integration tests of the use cases, on a real SQLite file with a fixed
//! clock. One test binary; its modules mirror `src` (DESIGN.md §7).

mod support;

mod catalog;
mod documents;
mod einvoice;
mod invoices;
mod payments;
mod reports;
mod time;
