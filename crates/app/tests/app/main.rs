//! Integration tests of the use cases, on a real SQLite file with a fixed
//! clock. One test binary; its modules mirror `src` (DESIGN.md §7).

mod support;

mod backup;
mod catalog;
mod export;
mod import;
mod invoices;
mod payments;
mod reports;
mod revenue;
mod time;
