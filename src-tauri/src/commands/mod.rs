//! The Tauri commands, one module per domain. Each is a few lines: take the
//! books from the state, call one use case of `billable-app`, return its view
//! or its error body. No business rules live here.

pub mod catalog;
pub mod documents;
pub mod invoices;
pub mod mail;
pub mod payments;
pub mod reports;
pub mod settings;
pub mod startup;
pub mod time;
