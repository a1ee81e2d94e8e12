//! The use cases' error: what the front doors turn into `{code, message, field?}`.

use billable_core::CoreError;
use billable_mail::MailError;
use billable_store::StoreError;
use serde::Serialize;
use thiserror::Error;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, Error)]
pub enum AppError {
    /// Bad input: names the field and what is wrong with it.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    /// Not allowed in the current state (e.g. editing a sent invoice).
    #[error("{0}")]
    Conflict(String),
    /// The person's role in team books does not allow this.
    #[error("not permitted: {0}")]
    NotPermitted(String),
    #[error("could not {operation}: {source}")]
    Store {
        operation: String,
        #[source]
        source: StoreError,
    },
    /// Email: settings, the keyring, or the mail server (the code says which
    /// step failed: mail_dns, mail_tls, mail_authentication …).
    #[error("could not {operation}: {source}")]
    Mail {
        operation: String,
        #[source]
        source: MailError,
    },
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid { field: field.to_string(), message: message.into() }
    }

    pub fn not_found(what: &'static str, id: impl ToString) -> AppError {
        AppError::NotFound { what, id: id.to_string() }
    }

    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError::Conflict(message.into())
    }

    pub fn not_permitted(message: impl Into<String>) -> AppError {
        AppError::NotPermitted(message.into())
    }

    /// A stable code the front doors can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid { .. } => "invalid",
            AppError::NotFound { .. } => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::NotPermitted(_) => "not_permitted",
            AppError::Store { source, .. } => match source {
                StoreError::TooNew { .. } => "database_too_new",
                StoreError::NotBillable { .. } => "not_a_billable_database",
                StoreError::Busy(_) => "busy",
                StoreError::DiskFull(_) => "disk_full",
                StoreError::ReadOnly(_) => "read_only",
                StoreError::Unreachable { .. } => "team_books_unreachable",
                StoreError::Refused { .. } => "team_books_refused",
                StoreError::Unsupported(_) => "not_for_team_books",
                StoreError::NotPermitted(_) => "not_permitted",
                _ => "storage",
            },
            AppError::Mail { source, .. } => source.code(),
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The shape both front doors show: `{code, message, field?}`.
    pub fn to_body(&self) -> ErrorBody {
        let message = match self {
            AppError::Invalid { field, message } => format!("{field}: {message}"),
            other => other.to_string(),
        };
        ErrorBody { code: self.code().to_string(), message, field: self.field().map(str::to_string) }
    }

    /// Adds what was being done to a storage error.
    pub(crate) fn during(self, operation: &str) -> AppError {
        match self {
            AppError::Store { source, .. } => AppError::Store { operation: operation.to_string(), source },
            AppError::Mail { source, .. } => AppError::Mail { operation: operation.to_string(), source },
            other => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Invalid { field, message } => AppError::Invalid { field, message },
            CoreError::Conflict { message } => AppError::Conflict(message),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(source: StoreError) -> Self {
        AppError::Store { operation: "complete the operation".into(), source }
    }
}

impl From<MailError> for AppError {
    fn from(e: MailError) -> Self {
        match e {
            MailError::Invalid { field, message } => AppError::Invalid { field, message },
            source => AppError::Mail { operation: "send email".into(), source },
        }
    }
}
