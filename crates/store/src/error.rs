use thiserror::Error;

pub type StoreResult<T> = Result<T, StoreError>;

/// The engine's own error behind a busy, full or read-only refusal.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("could not open the database {path}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "the database {path} was written by a newer version of Billable (schema {found}; this version knows up to {supported}). Update Billable to open it; nothing was changed."
    )]
    TooNew { path: String, found: i64, supported: i64 },
    #[error("{path} is not a Billable database ({reason}); nothing was changed")]
    NotBillable { path: String, reason: String },
    #[error("could not upgrade the database schema")]
    Migrate(#[source] rusqlite_migration::Error),
    #[error("the database is busy: another Billable window or command kept it locked for too long; try again")]
    Busy(#[source] Cause),
    /// The disk (or the user's quota, or the file size limit) has no room
    /// left: SQLITE_FULL, or a write refused with ENOSPC, EDQUOT or EFBIG.
    #[error("the disk is full: nothing was saved. Free some space and try again")]
    DiskFull(#[source] Cause),
    /// The books file, or the folder it is in, cannot be written:
    /// SQLITE_READONLY or SQLITE_CANTOPEN.
    #[error(
        "the books file is read-only: nothing was saved. Make the file and its folder writable for you and try again"
    )]
    ReadOnly(#[source] Cause),
    #[error("a stored value is damaged: {0}")]
    Corrupt(String),
    #[error("database error")]
    Sqlite(#[source] rusqlite::Error),
    /// A query for one row found none (`.optional()` turns it into `None`).
    #[error("the row asked for does not exist")]
    NoRows,
    #[error("the query has no column {0}")]
    NoColumn(usize),
    /// The team books' server could not be reached or dropped the
    /// connection: nothing of the failed step was written.
    #[error("the team books server {server} cannot be reached ({reason}); nothing was changed. Check the network and that the server is running, then try again")]
    Unreachable { server: String, reason: String },
    /// The team books' server answered and refused the login (a wrong
    /// password, a login removed or not allowed to connect).
    #[error("the team books server {server} refused the login ({reason}). Check the login and password")]
    Refused { server: String, reason: String },
    /// What one engine does and the other leaves to others (a file's
    /// backup on team books).
    #[error("{0}")]
    Unsupported(String),
    /// The team books refused what this person's role may not do (their
    /// grants or row-level security): says what, never the server's SQL.
    #[error("not permitted: {0}; nothing was changed")]
    NotPermitted(String),
    #[error("team books error: {}", pg_message(.0))]
    Postgres(#[source] postgres::Error),
}

/// The server's own words for a refused statement ("db error" alone says
/// nothing).
fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => d.message().to_string(),
        None => e.to_string(),
    }
}

/// What a role was refused, in words: the server says "permission denied
/// for table invoices" or "new row violates row-level security policy for
/// table \"time_entries\""; the team layer's own refusals
/// (crates/store/pg/team.sql) are sentences already.
fn not_permitted(server: &str) -> String {
    let table = |rest: &str| -> String {
        let name = rest.trim().trim_matches('"');
        match name {
            "invoices" | "invoice_lines" | "invoice_taxes" | "invoice_activity" | "invoice_counts"
            | "invoice_projects" | "invoice_deposits" => "invoices".into(),
            "payments" | "client_payments" | "credit_refunds" | "refunds" => "payments".into(),
            "members" | "logins" | "project_members" => "team members".into(),
            "time_entries" | "time_daily" | "time_worked" | "time_unbilled" => "time entries".into(),
            "running_timers" => "timers".into(),
            "revenue_months" => "revenue".into(),
            other => other.replace('_', " "),
        }
    };
    if let Some(rest) = server.strip_prefix("permission denied for table ") {
        return format!("your role in these team books may not read or change {}", table(rest));
    }
    if let Some(rest) = server.strip_prefix("permission denied for view ") {
        return format!("your role in these team books may not read or change {}", table(rest));
    }
    if let Some(rest) = server.strip_prefix("permission denied for sequence ") {
        return format!("your role in these team books may not add {}", table(rest.trim_end_matches("_id_seq")));
    }
    if server.contains("row-level security") {
        return "a team member records time only for themselves and only on the projects they are on".into();
    }
    if server.contains("create role") {
        return "only an owner of the team books manages members, and making a member's login needs the server's \
                CREATEROLE right (owners added with --role owner have it)"
            .into();
    }
    if server.contains("alter role") || server.contains("admin option") || server.contains("grant role") {
        return "only an owner of the team books manages members".into();
    }
    if server.starts_with("a team member ") || server.starts_with("only ") {
        return server.to_string();
    }
    "your role in these team books does not allow this".into()
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        match e.code() {
            Some(c) if *c == SqlState::DISK_FULL => StoreError::DiskFull(Box::new(e)),
            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Busy(Box::new(e)),
            Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => StoreError::ReadOnly(Box::new(e)),
            Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => {
                StoreError::NotPermitted(not_permitted(e.as_db_error().map_or("", |d| d.message())))
            }
            None if e.is_closed()
                || std::error::Error::source(&e).is_some_and(|s| s.downcast_ref::<std::io::Error>().is_some()) =>
            {
                let reason =
                    if e.is_closed() { "the connection to the server was lost".to_string() } else { with_causes(&e) };
                StoreError::Unreachable { server: String::new(), reason }
            }
            _ => StoreError::Postgres(e),
        }
    }
}

/// An error's message followed by the causes it does not already say
/// ("error performing TLS handshake: invalid peer certificate: UnknownIssuer").
pub(crate) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        cause = c.source();
    }
    // Some libraries end a message with a link to their own manual; people
    // are helped by the words, not by that.
    match text.find(": https://") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        if matches!(e, rusqlite::Error::QueryReturnedNoRows) {
            return StoreError::NoRows;
        }
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy(Box::new(e)),
            Some(ErrorCode::DiskFull) => StoreError::DiskFull(Box::new(e)),
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => StoreError::ReadOnly(Box::new(e)),
            Some(ErrorCode::SystemIoFailure) if out_of_space() => StoreError::DiskFull(Box::new(e)),
            _ => StoreError::Sqlite(e),
        }
    }
}

/// SQLite reports SQLITE_FULL only for ENOSPC; a write refused because the
/// quota is used up (EDQUOT) or the file size limit is reached (EFBIG)
/// comes back as SQLITE_IOERR_WRITE. The system error of the failed write
/// is still the thread's errno when the error reaches us (SQLite itself
/// reads it from there for `sqlite3_system_errno`; the rollback in between
/// makes no failing system call).
fn out_of_space() -> bool {
    use std::io::ErrorKind;
    matches!(
        std::io::Error::last_os_error().kind(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge
    )
}

impl StoreError {
    /// True when a UNIQUE constraint refused the write.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
                f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            }
            StoreError::Postgres(e) => e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn a_refusal_of_the_team_books_says_what_in_words() {
        assert_eq!(
            not_permitted("permission denied for table invoice_lines"),
            "your role in these team books may not read or change invoices"
        );
        assert_eq!(
            not_permitted("permission denied for table payments"),
            "your role in these team books may not read or change payments"
        );
        assert!(not_permitted("new row violates row-level security policy for table \"time_entries\"")
            .contains("only for themselves"));
        assert!(not_permitted("permission denied to create role").contains("CREATEROLE"));
        assert_eq!(
            not_permitted("a team member cannot set the rate of their time"),
            "a team member cannot set the rate of their time"
        );
        assert_eq!(not_permitted("some words nobody expected"), "your role in these team books does not allow this");
    }

    fn io_error() -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR_WRITE), None)
    }

    #[test]
    fn a_write_refused_for_lack_of_space_is_a_full_disk() {
        // /dev/full refuses every write with ENOSPC, which stays the thread's
        // errno, as after SQLite's own failed write.
        let mut full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        assert!(full.write_all(b"books").is_err());
        let e = StoreError::from(io_error());
        assert!(matches!(e, StoreError::DiskFull(_)), "{e:?}");
        assert_eq!(e.to_string(), "the disk is full: nothing was saved. Free some space and try again");
    }

    #[test]
    fn other_io_failures_stay_storage_errors() {
        assert!(std::fs::File::open("/nonexistent/billable/books.db").is_err());
        assert!(matches!(StoreError::from(io_error()), StoreError::Sqlite(_)));
        let full = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None);
        assert!(matches!(StoreError::from(full), StoreError::DiskFull(_)));
    }
}
