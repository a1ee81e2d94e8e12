//! Billable's email: SMTP delivery with lettre (tokio, rustls), the SMTP
//! password in the OS keyring, templates with placeholders, and building the
//! MIME message (plain text and HTML alternatives, the invoice attached).
//!
//! Architecture invariant: depends on `billable-core` only. It knows SMTP,
//! MIME and the keyring, nothing about SQL or use cases: the `app` crate
//! stores what this crate builds (the exact MIME bytes) in the outbox and
//! hands them back to [`smtp::deliver`]. The password only ever travels in a
//! [`Sensitive`], whose `Debug` and `Display` redact it.

mod error;
pub mod message;
pub mod secrets;
mod sensitive;
pub mod settings;
pub mod smtp;
pub mod template;

pub use error::{MailError, MailResult};
pub use message::{build, Attachment, Built, Outgoing};
pub use secrets::{MemoryKeyring, OsKeyring, SecretStore};
pub use sensitive::Sensitive;
pub use settings::{Security, SmtpSettings};
pub use smtp::{deliver, test_connection, Accepted, ConnectionReport, DeliveryFailure};
pub use template::{render, render_for, Compiled, Placeholders, Template, TemplateKind};
