//! Billable's store: the schema and its migrations, and repository
//! functions for every record of the books, on SQLite (one user's file) or
//! PostgreSQL (a team's books); see [`sql`].
//!
//! Architecture invariant: this crate knows SQL and nothing about use cases.
//! Repository functions take a `&Tx` (the books, in a transaction);
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
pub mod migrate;
pub mod payments;
pub mod project_billing;
pub mod recurring;
pub mod reports;
pub mod revenue;
pub mod sql;
pub mod team;
pub mod time;

pub use db::{shown_url, Store, SCHEMA_VERSION};
pub use error::{StoreError, StoreResult};
pub use sql::{Engine, Tx};
