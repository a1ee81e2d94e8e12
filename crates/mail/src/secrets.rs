//! Where passwords live: the SMTP server's and the team books' server's, in
//! the OS keyring (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows) through the `keyring` crate, or an in-memory store
//! for tests. Never the database.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{MailError, MailResult};
use crate::sensitive::Sensitive;

/// The service name the SMTP password is filed under in the OS keyring.
pub const SERVICE: &str = "Billable SMTP";

/// The service name the team books' database password is filed under.
pub const TEAM_BOOKS_SERVICE: &str = "Billable team books";

pub trait SecretStore: Send + Sync {
    fn set(&self, account: &str, secret: &Sensitive<String>) -> MailResult<()>;
    /// `None` when nothing is stored for `account`.
    fn get(&self, account: &str) -> MailResult<Option<Sensitive<String>>>;
    /// Removes the secret; nothing stored is not an error.
    fn delete(&self, account: &str) -> MailResult<()>;
}

/// The operating system's keyring, for the passwords of one service.
#[derive(Debug, Clone, Copy)]
pub struct OsKeyring {
    service: &'static str,
}

impl OsKeyring {
    /// The SMTP server's password.
    pub const SMTP: OsKeyring = OsKeyring { service: SERVICE };
    /// The team books' database password.
    pub const TEAM_BOOKS: OsKeyring = OsKeyring { service: TEAM_BOOKS_SERVICE };
}

impl Default for OsKeyring {
    fn default() -> Self {
        OsKeyring::SMTP
    }
}

fn keyring_error(operation: &'static str, e: keyring::Error) -> MailError {
    let detail = match e {
        keyring::Error::NoDefaultStore => {
            "no keyring service is available (on Linux: a Secret Service such as GNOME Keyring or KWallet, \
             running and unlocked in your session)"
                .to_string()
        }
        keyring::Error::NoStorageAccess(inner) => format!("access was refused ({inner})"),
        keyring::Error::PlatformFailure(inner) => inner.to_string(),
        other => other.to_string(),
    };
    MailError::Keyring { operation, detail }
}

impl SecretStore for OsKeyring {
    fn set(&self, account: &str, secret: &Sensitive<String>) -> MailResult<()> {
        let entry = keyring::Entry::new(self.service, account).map_err(|e| keyring_error("storing the password", e))?;
        entry.set_password(secret.expose()).map_err(|e| keyring_error("storing the password", e))
    }

    fn get(&self, account: &str) -> MailResult<Option<Sensitive<String>>> {
        let entry = keyring::Entry::new(self.service, account).map_err(|e| keyring_error("reading the password", e))?;
        match entry.get_password() {
            Ok(p) => Ok(Some(Sensitive::new(p))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error("reading the password", e)),
        }
    }

    fn delete(&self, account: &str) -> MailResult<()> {
        let entry =
            keyring::Entry::new(self.service, account).map_err(|e| keyring_error("removing the password", e))?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error("removing the password", e)),
        }
    }
}

/// A keyring in memory: for tests, and for books opened in memory.
#[derive(Debug, Default)]
pub struct MemoryKeyring {
    items: Mutex<HashMap<String, Sensitive<String>>>,
}

impl MemoryKeyring {
    pub fn new() -> Self {
        Self::default()
    }
}

impl SecretStore for MemoryKeyring {
    fn set(&self, account: &str, secret: &Sensitive<String>) -> MailResult<()> {
        self.items.lock().map_err(|_| poisoned())?.insert(account.to_string(), secret.clone());
        Ok(())
    }

    fn get(&self, account: &str) -> MailResult<Option<Sensitive<String>>> {
        Ok(self.items.lock().map_err(|_| poisoned())?.get(account).cloned())
    }

    fn delete(&self, account: &str) -> MailResult<()> {
        self.items.lock().map_err(|_| poisoned())?.remove(account);
        Ok(())
    }
}

fn poisoned() -> MailError {
    MailError::Keyring { operation: "in memory", detail: "a previous use panicked".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_keyring_stores_reads_and_deletes() {
        let k = MemoryKeyring::new();
        assert!(k.get("a").unwrap().is_none());
        k.set("a", &Sensitive::new("s3cret".into())).unwrap();
        assert_eq!(k.get("a").unwrap().unwrap().expose(), "s3cret");
        k.delete("a").unwrap();
        k.delete("a").unwrap();
        assert!(k.get("a").unwrap().is_none());
    }
}
