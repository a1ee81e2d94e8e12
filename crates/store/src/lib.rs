//! Billable's SQLite store: the schema and its migrations, and repository
//! functions for every record of the books.
//!
//! Architecture invariant: this crate knows SQL and nothing about use cases.
//! Repository functions take a `&Connection` (a transaction derefs to one);
//! the caller — the `app` crate — decides what runs in one transaction via
//! [`Store::write`]. Money is stored exactly: integer minor units or
//! canonical decimal text, never REAL.

pub mod backup;
pub mod bulk;
pub mod catalog;
mod codec;
pub mod credit_notes;
mod db;
mod error;
pub mod estimates;
pub mod expenses;
pub mod export;
pub mod import;
pub mod invoices;
pub mod items;
pub mod mail;
pub mod payments;
pub mod project_billing;
pub mod recurring;
pub mod reports;
pub mod revenue;
pub mod time;

pub use db::{Store, Tx, SCHEMA_VERSION};
pub use error::{StoreError, StoreResult};
pub use rusqlite::Connection;
