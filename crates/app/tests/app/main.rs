//! Integration tests of the use cases, on a real SQLite file with a fixed
//! clock. One test binary; its modules mirror `src` (DESIGN.md §7).

mod support;

mod catalog;
mod credit_notes;
mod invoices;
mod payments;
mod project_billing;
mod recurring;
mod reports;
mod time;
