//! Integration tests of the use cases, on a real SQLite file with a fixed
//! clock. One test binary; its modules mirror `src` (DESIGN.md §7).

mod support;

mod approval;
mod backup;
mod budgets;
mod catalog;
mod client_payments;
mod credit_notes;
mod documents;
mod einvoice;
mod estimates;
mod expenses;
mod export;
mod gross_prices;
mod import;
mod invoices;
mod items;
mod mail;
mod mail_estimates;
mod payments;
mod project_billing;
mod recurring;
mod reports;
mod revenue;
mod scheduled;
mod team;
mod time;
