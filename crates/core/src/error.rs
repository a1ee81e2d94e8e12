//! Errors of the domain rules. Every one names the field (when there is one)
//! and says what is wrong in words a user can act on.

use thiserror::Error;

pub type CoreResult<T> = Result<T, CoreError>;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoreError {
    /// A value the user gave is not acceptable.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The operation is not allowed in the current state (e.g. editing a sent
    /// invoice).
    #[error("{message}")]
    Conflict { message: String },
}

impl CoreError {
    pub fn invalid(field: &str, message: impl Into<String>) -> CoreError {
        CoreError::Invalid { field: field.to_string(), message: message.into() }
    }

    pub fn conflict(message: impl Into<String>) -> CoreError {
        CoreError::Conflict { message: message.into() }
    }

    /// The field the error is about, for validation errors.
    pub fn field(&self) -> Option<&str> {
        match self {
            CoreError::Invalid { field, .. } => Some(field),
            CoreError::Conflict { .. } => None,
        }
    }

    /// The same error about a more precise field, e.g. `lines[2].rate`.
    pub fn in_field(self, prefix: &str) -> CoreError {
        match self {
            CoreError::Invalid { field, message } => CoreError::Invalid { field: format!("{prefix}.{field}"), message },
            other => other,
        }
    }
}
