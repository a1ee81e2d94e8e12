//! Connecting to team books by hand: the server, database and login a person
//! types into the desktop app, checked field by field, the connection URL
//! made from them, and the password kept in the OS keyring — never in a
//! settings file, never shown again.

use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::{Billable, Clock, SecretStore, Sensitive};

/// The default PostgreSQL port.
pub const DEFAULT_PORT: u16 = 5432;

/// Where team books live: a PostgreSQL server, one database on it, and the
/// login (a database role) this person connects as. The password is not
/// part of it: it lives in the keyring under [`TeamServer::keyring_account`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamServer {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
}

/// What a person typed on the connection screen, unchecked.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamServerInput {
    pub host: String,
    /// Empty for the default port (5432).
    pub port: String,
    pub database: String,
    pub user: String,
}

/// The characters a URL's user, password or database part must escape.
const COMPONENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'&')
    .add(b'=')
    .add(b'+');

fn encode(part: &str) -> String {
    utf8_percent_encode(part, COMPONENT).to_string()
}

impl TeamServer {
    /// Checks what was typed: each field that is wrong is named.
    pub fn parse(input: &TeamServerInput) -> AppResult<TeamServer> {
        let host = input.host.trim();
        if host.is_empty() {
            return Err(AppError::invalid("host", "the server's name or address is missing"));
        }
        if host.contains("://") {
            return Err(AppError::invalid(
                "host",
                format!("'{host}' is a URL; give only the server's name or address"),
            ));
        }
        if let Some(c) = host.chars().find(|c| c.is_whitespace() || matches!(c, '/' | '@' | '?' | '#')) {
            return Err(AppError::invalid("host", format!("'{host}' is not a server name or address ('{c}')")));
        }
        let port = match input.port.trim() {
            "" => DEFAULT_PORT,
            p => match p.parse::<u16>() {
                Ok(n) if n > 0 => n,
                _ => return Err(AppError::invalid("port", format!("'{p}' is not a port (a number from 1 to 65535)"))),
            },
        };
        let database = input.database.trim();
        if database.is_empty() {
            return Err(AppError::invalid("database", "the database's name is missing"));
        }
        if database.len() > 63 {
            return Err(AppError::invalid("database", "a database name has at most 63 characters"));
        }
        let user = input.user.trim();
        if user.is_empty() {
            return Err(AppError::invalid("user", "the login (user name) is missing"));
        }
        if user.len() > 63 {
            return Err(AppError::invalid("user", "a login has at most 63 characters"));
        }
        // An IPv6 address is written in brackets in a URL.
        let host = if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host.to_string() };
        Ok(TeamServer { host, port, database: database.to_string(), user: user.to_string() })
    }

    /// The connection URL, with the password when there is one.
    pub fn url(&self, password: Option<&Sensitive<String>>) -> String {
        let login = match password {
            Some(p) if !p.expose().is_empty() => format!("{}:{}", encode(&self.user), encode(p.expose())),
            _ => encode(&self.user),
        };
        // A server that does not answer is given up on after ten seconds,
        // not after the operating system's minutes.
        format!("postgres://{login}@{}:{}/{}?connect_timeout=10", self.host, self.port, encode(&self.database))
    }

    /// As people see it: `user@host:port/database`. Also the account the
    /// password is filed under in the keyring.
    pub fn shown(&self) -> String {
        format!("{}@{}:{}/{}", self.user, self.host, self.port, self.database)
    }

    pub fn keyring_account(&self) -> String {
        self.shown()
    }
}

/// Team books just connected to, and why the password could not be kept
/// in the keyring when it could not (the books are open all the same; the
/// password is asked again next time).
pub struct Connected {
    pub books: Billable,
    pub keyring_problem: Option<String>,
}

/// Opens team books as a person connects to them by hand: with the password
/// typed, or the one kept in `secrets` when none is typed. Only once the
/// books are open is the password kept (`remember`) or removed, so a
/// mistyped one never replaces a working one.
pub fn connect_team_books(
    server: &TeamServer,
    typed: Option<Sensitive<String>>,
    remember: bool,
    secrets: &Arc<dyn SecretStore>,
    clock: Box<dyn Clock>,
) -> AppResult<Connected> {
    let account = server.keyring_account();
    let typed = typed.filter(|p| !p.expose().is_empty());
    let password = match &typed {
        Some(p) => Some(p.clone()),
        // A keyring that cannot be read is the same as no password kept:
        // the server then says whether it needs one.
        None => secrets.get(&account).unwrap_or(None),
    };
    let books = Billable::open_postgres(&server.url(password.as_ref()), clock)?;
    let kept = match (remember, &typed) {
        (true, Some(p)) => secrets.set(&account, p),
        (true, None) => Ok(()),
        // Not keeping it: a keyring that cannot be reached holds nothing
        // to remove either.
        (false, _) => secrets.delete(&account).or(Ok(())),
    };
    let keyring_problem = kept.err().map(|e| AppError::from(e).to_body().message);
    Ok(Connected { books, keyring_problem })
}

/// Opens team books at start-up with the password kept in the keyring.
pub fn reopen_team_books(
    server: &TeamServer,
    secrets: &Arc<dyn SecretStore>,
    clock: Box<dyn Clock>,
) -> AppResult<Billable> {
    let password = secrets.get(&server.keyring_account()).unwrap_or(None);
    Billable::open_postgres(&server.url(password.as_ref()), clock)
}

/// A new password for one's own login to team books, as typed: the
/// current one (asked again, so nobody at an unlocked computer changes it),
/// the new one and the new one again.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PasswordChangeInput {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

/// A password changed: whether the keyring now keeps the new one, and why
/// not when it kept the old one and could not be updated.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PasswordChanged {
    pub kept: bool,
    pub keyring_problem: Option<String>,
}

/// Changes the password of `server`'s login: the current one is checked by
/// connecting with it, the database then keeps the new one, and when the
/// keyring kept the old one it keeps the new one instead. Connections open
/// now stay open. Nothing changes when any field is wrong.
pub fn change_team_password(
    server: &TeamServer,
    input: &PasswordChangeInput,
    secrets: &Arc<dyn SecretStore>,
    clock: Box<dyn Clock>,
) -> AppResult<PasswordChanged> {
    if input.current.is_empty() {
        return Err(AppError::invalid("current_password", "is required"));
    }
    crate::team::check_new_password("new_password", &input.new)?;
    if input.confirm != input.new {
        return Err(AppError::invalid("confirm_password", "is not the same as the new password"));
    }
    if input.new == input.current {
        return Err(AppError::invalid("new_password", "is the password in use now"));
    }
    let current = Sensitive::new(input.current.clone());
    let mut books = Billable::open_postgres(&server.url(Some(&current)), clock).map_err(|e| {
        if e.code() == "team_books_refused" {
            AppError::invalid("current_password", format!("is not the password of {}", server.user))
        } else {
            e
        }
    })?;
    let new = Sensitive::new(input.new.clone());
    books.change_team_password(&new)?;
    let account = server.keyring_account();
    if !secrets.get(&account).is_ok_and(|kept| kept.is_some()) {
        return Ok(PasswordChanged { kept: false, keyring_problem: None });
    }
    Ok(match secrets.set(&account, &new) {
        Ok(()) => PasswordChanged { kept: true, keyring_problem: None },
        Err(e) => PasswordChanged { kept: false, keyring_problem: Some(AppError::from(e).to_body().message) },
    })
}

/// Whether a password is kept in the keyring for `server`.
pub fn password_kept(server: &TeamServer, secrets: &Arc<dyn SecretStore>) -> AppResult<bool> {
    Ok(secrets.get(&server.keyring_account()).map_err(AppError::from)?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(host: &str, port: &str, database: &str, user: &str) -> TeamServerInput {
        TeamServerInput { host: host.into(), port: port.into(), database: database.into(), user: user.into() }
    }

    #[test]
    fn what_was_typed_becomes_a_url_with_escaped_parts() {
        let s = TeamServer::parse(&input(" db.studio.example ", "", "books", "anna")).unwrap();
        assert_eq!(s.port, 5432);
        assert_eq!(s.url(None), "postgres://anna@db.studio.example:5432/books?connect_timeout=10");
        let p = Sensitive::new("p@ss:w/rd %".to_string());
        assert_eq!(
            s.url(Some(&p)),
            "postgres://anna:p%40ss%3Aw%2Frd%20%25@db.studio.example:5432/books?connect_timeout=10"
        );
        assert_eq!(s.shown(), "anna@db.studio.example:5432/books");
        let v6 = TeamServer::parse(&input("::1", "6543", "team books", "o'neil")).unwrap();
        assert_eq!(v6.url(None), "postgres://o'neil@[::1]:6543/team%20books?connect_timeout=10");
    }

    #[test]
    fn each_wrong_field_is_named() {
        let field = |i: TeamServerInput| TeamServer::parse(&i).unwrap_err().field().map(str::to_string);
        assert_eq!(field(input("", "", "books", "anna")).as_deref(), Some("host"));
        assert_eq!(field(input("postgres://x", "", "books", "anna")).as_deref(), Some("host"));
        assert_eq!(field(input("db host", "", "books", "anna")).as_deref(), Some("host"));
        assert_eq!(field(input("db", "70000", "books", "anna")).as_deref(), Some("port"));
        assert_eq!(field(input("db", "0", "books", "anna")).as_deref(), Some("port"));
        assert_eq!(field(input("db", "", " ", "anna")).as_deref(), Some("database"));
        assert_eq!(field(input("db", "", "books", "")).as_deref(), Some("user"));
    }
}
