//! The open books, shared by every command: one [`Billable`] behind a lock,
//! and the one place where an [`AppError`] becomes the `{code, message,
//! field}` body the frontend sees.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use billable_app::{AppError, AppResult, Billable, Clock, ErrorBody, FixedClock, SystemClock};

/// What every command returns: its view, or the error body.
pub type Reply<T> = Result<T, ErrorBody>;

/// Tauri state: the books, opened once at start-up — or why they could not
/// be (a read-only folder, a full disk, a file from a newer Billable): then
/// every command answers with that error, and the window shows it through
/// the same `{code, message, field}` path as any other.
pub struct Books(Mutex<Result<Billable, ErrorBody>>);

impl Books {
    pub fn new(billable: Billable) -> Books {
        Books(Mutex::new(Ok(billable)))
    }

    /// Books that could not be opened, for the reason given.
    pub fn unavailable(error: &AppError) -> Books {
        Books(Mutex::new(Err(error.to_body())))
    }

    /// Opens the books the app was started for: `BILLABLE_DB` when set,
    /// else `billable.db` in the user's data folder (the same file the
    /// `billable` command line uses). `BILLABLE_NOW` (RFC 3339) fixes the clock.
    pub fn open_from_env() -> AppResult<Books> {
        let path = match std::env::var_os("BILLABLE_DB").filter(|v| !v.is_empty()) {
            Some(path) => PathBuf::from(path),
            None => default_path()?,
        };
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| {
                AppError::invalid("BILLABLE_DB", format!("could not create the folder {}: {e}", folder.display()))
            })?;
        }
        Ok(Books::new(Billable::open(&path, clock()?)?))
    }

    /// A second connection to the same books file, for work in the
    /// background that must not hold up the commands (sending email). `None`
    /// when the books live in memory or could not be opened.
    pub fn open_another(&self) -> AppResult<Option<Billable>> {
        let path = match &*self.0.lock().unwrap_or_else(PoisonError::into_inner) {
            Ok(billable) => billable.path().map(PathBuf::from),
            Err(_) => None,
        };
        match path {
            Some(path) => Ok(Some(Billable::open(&path, clock()?)?)),
            None => Ok(None),
        }
    }

    /// Runs one use case that waits on the network (a mail server) on its
    /// own connection to the books, so the other commands are not held up
    /// meanwhile; on the shared one when the books have no file.
    pub fn call_apart<T>(&self, f: impl FnOnce(&mut Billable) -> AppResult<T>) -> Reply<T> {
        match self.open_another() {
            Ok(Some(mut billable)) => f(&mut billable).map_err(|e| e.to_body()),
            Ok(None) => self.call(f),
            Err(e) => Err(e.to_body()),
        }
    }

    /// Runs `f` on a thread of its own, outside the async runtime, and
    /// waits for it: for the commands that wait on a mail server (the mail
    /// client runs its own small runtime, which cannot start on a thread of
    /// another) or read a large file. The window's thread is never held.
    pub fn off_thread<T: Send>(&self, f: impl FnOnce(&Books) -> Reply<T> + Send) -> Reply<T> {
        std::thread::scope(|scope| {
            scope.spawn(|| f(self)).join().unwrap_or_else(|_| {
                Err(AppError::conflict("the operation stopped unexpectedly; nothing was written").to_body())
            })
        })
    }

    /// Runs one use case on the books.
    pub fn call<T>(&self, f: impl FnOnce(&mut Billable) -> AppResult<T>) -> Reply<T> {
        // A panic in another command cannot leave the books half-written
        // (each use case is one transaction), so a poisoned lock is usable.
        let mut books = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &mut *books {
            Ok(billable) => f(billable).map_err(|e| e.to_body()),
            Err(why) => Err(why.clone()),
        }
    }
}

fn default_path() -> AppResult<PathBuf> {
    directories::ProjectDirs::from("app", "Billable", "Billable")
        .map(|d| d.data_dir().join("billable.db"))
        .ok_or_else(|| AppError::invalid("BILLABLE_DB", "no user data folder was found; set BILLABLE_DB"))
}

fn clock() -> AppResult<Box<dyn Clock>> {
    match std::env::var("BILLABLE_NOW") {
        Ok(v) if !v.trim().is_empty() => FixedClock::parse(&v)
            .map(|c| Box::new(c) as Box<dyn Clock>)
            .ok_or_else(|| AppError::invalid("BILLABLE_NOW", format!("'{v}' is not an RFC 3339 time"))),
        _ => Ok(Box::new(SystemClock)),
    }
}
