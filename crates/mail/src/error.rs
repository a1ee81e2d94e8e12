//! What can go wrong with email, classified so the user learns exactly what
//! failed (DNS, connection refused, TLS, authentication, sender refused …)
//! and the outbox knows whether trying again later can help.

use thiserror::Error;

pub type MailResult<T> = Result<T, MailError>;

#[derive(Debug, Clone, Error)]
pub enum MailError {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("email is not set up yet: set up the mail server in the email settings")]
    NotConfigured,
    #[error("could not find the mail server {host}: {detail}")]
    Dns { host: String, detail: String },
    #[error("the mail server {host}:{port} refused the connection (is the server running, and the port right?)")]
    ConnectionRefused { host: String, port: u16 },
    #[error("could not reach the mail server {host}:{port}: {detail}")]
    Network { host: String, port: u16, detail: String },
    #[error("the mail server {host}:{port} did not answer in time")]
    Timeout { host: String, port: u16 },
    #[error("secure connection (TLS) to {host}:{port} failed: {detail}")]
    Tls { host: String, port: u16, detail: String },
    #[error("the mail server rejected the username or password for {user}: {detail}")]
    Authentication { user: String, detail: String },
    #[error("the mail server refused the sender address {from}: {detail}")]
    SenderRefused { from: String, detail: String, permanent: bool },
    #[error("the mail server refused the recipient {to}: {detail}")]
    RecipientRefused { to: String, detail: String, permanent: bool },
    #[error("the mail server did not accept the message: {detail}")]
    Rejected { detail: String, permanent: bool },
    #[error("the SMTP password is not in the OS keyring; enter it again in the email settings")]
    NoPassword,
    #[error("OS keyring ({operation}): {detail}")]
    Keyring { operation: &'static str, detail: String },
    #[error("could not build the email: {0}")]
    Build(String),
}

impl MailError {
    pub fn invalid(field: &str, message: impl Into<String>) -> MailError {
        MailError::Invalid { field: field.to_string(), message: message.into() }
    }

    /// A stable code the front doors can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            MailError::Invalid { .. } => "invalid",
            MailError::NotConfigured => "mail_not_configured",
            MailError::Dns { .. } => "mail_dns",
            MailError::ConnectionRefused { .. } => "mail_connection_refused",
            MailError::Network { .. } => "mail_network",
            MailError::Timeout { .. } => "mail_timeout",
            MailError::Tls { .. } => "mail_tls",
            MailError::Authentication { .. } => "mail_authentication",
            MailError::SenderRefused { .. } => "mail_sender_refused",
            MailError::RecipientRefused { .. } => "mail_recipient_refused",
            MailError::Rejected { .. } => "mail_rejected",
            MailError::NoPassword => "mail_no_password",
            MailError::Keyring { .. } => "keyring",
            MailError::Build(_) => "mail_build",
        }
    }

    /// True when trying again later cannot help without the user changing
    /// something (settings, password, addresses).
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Dns { .. }
            | MailError::ConnectionRefused { .. }
            | MailError::Network { .. }
            | MailError::Timeout { .. } => false,
            MailError::Rejected { permanent, .. }
            | MailError::SenderRefused { permanent, .. }
            | MailError::RecipientRefused { permanent, .. } => *permanent,
            MailError::Keyring { .. } => false,
            _ => true,
        }
    }
}
