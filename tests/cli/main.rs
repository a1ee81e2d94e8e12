//! End-to-end tests of the `billable` command line against a real SQLite file.
//! Registered as billable-cli's integration test (crates/cli/Cargo.toml), so
//! cargo always builds the binary under test first.

mod approval;
mod billing;
mod client_payments;
mod concurrency;
mod crash;
mod early_discount;
mod estimates;
mod expenses;
mod export;
mod gross_prices;
mod import_catalog;
mod invoice_filters;
mod items;
mod journey;
mod late_fees;
mod mail;
mod names;
mod pdf;
mod rejections;
mod reports_io;
mod seed;
mod storage;
mod support;
mod team;
mod team_concurrency;
mod team_members;
mod team_migrate;
mod usage;
