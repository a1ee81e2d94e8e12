//! Backups with SQLite's online backup API: a consistent copy of the books
//! while they are open, a health check of any file before it is restored,
//! and a restore that replaces the books in one step.

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};

use crate::db::{APPLICATION_ID, SCHEMA_VERSION};
use crate::error::{StoreError, StoreResult};
use crate::sql::Tx;
use crate::Store;

/// Why a file cannot be restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unhealthy {
    /// Not an SQLite database at all (or unreadable).
    NotADatabase { reason: String },
    /// An SQLite database of another program.
    Foreign,
    /// Written by a newer Billable.
    TooNew { found: i64, supported: i64 },
    /// `PRAGMA integrity_check` found problems.
    Damaged { problems: Vec<String> },
}

impl std::fmt::Display for Unhealthy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unhealthy::NotADatabase { reason } => write!(f, "it is not a readable SQLite database ({reason})"),
            Unhealthy::Foreign => write!(f, "it is another program's database, not Billable's"),
            Unhealthy::TooNew { found, supported } => write!(
                f,
                "it was written by a newer version of Billable (schema {found}; this version knows up to {supported})"
            ),
            Unhealthy::Damaged { problems } => {
                write!(f, "it is damaged: {}", problems.iter().take(3).cloned().collect::<Vec<_>>().join("; "))
            }
        }
    }
}

/// The problems `PRAGMA integrity_check` reports (empty when healthy).
pub fn integrity_problems(c: &Connection) -> StoreResult<Vec<String>> {
    let mut st = c.prepare("PRAGMA integrity_check")?;
    let rows: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(if rows.len() == 1 && rows[0] == "ok" { Vec::new() } else { rows })
}

/// Checks that `path` is a healthy Billable database this version can open:
/// Billable's application id, a clean integrity check, a schema that is not
/// newer. Returns its schema version. The file is opened read-only.
pub fn inspect(path: &Path) -> Result<i64, Unhealthy> {
    let not_db = |e: rusqlite::Error| Unhealthy::NotADatabase { reason: e.to_string() };
    if !path.is_file() {
        return Err(Unhealthy::NotADatabase { reason: "no such file".into() });
    }
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(not_db)?;
    let app_id: i64 = c.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(not_db)?;
    if app_id != APPLICATION_ID {
        return Err(Unhealthy::Foreign);
    }
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(not_db)?;
    if version > SCHEMA_VERSION {
        return Err(Unhealthy::TooNew { found: version, supported: SCHEMA_VERSION });
    }
    let problems = match integrity_problems(&c) {
        Ok(p) => p,
        Err(e) => vec![e.to_string()],
    };
    if !problems.is_empty() {
        return Err(Unhealthy::Damaged { problems });
    }
    Ok(version)
}

/// Copies `from` into a new file at `dest` with the online backup API: a
/// consistent snapshot even while others write. The copy is written beside
/// `dest` first and renamed into place, so `dest` is never half written.
pub fn copy_to(from: &Connection, dest: &Path) -> StoreResult<()> {
    let shown = dest.display().to_string();
    let io = |e: std::io::Error| StoreError::NotBillable { path: shown.clone(), reason: e.to_string() };
    if let Some(parent) = dest.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
    }
    let partial = partial_path(dest);
    let _ = std::fs::remove_file(&partial);
    let copied = (|| -> StoreResult<()> {
        let mut to = Connection::open(&partial)?;
        let backup = Backup::new(from, &mut to)?;
        // All pages in one step: one consistent snapshot.
        while backup.step(-1)? != StepResult::Done {}
        Ok(())
    })()
    .and_then(|()| std::fs::rename(&partial, dest).map_err(io));
    if copied.is_err() {
        // A copy cut short (a full disk, most often) must not stay behind
        // and keep the space it took.
        let _ = std::fs::remove_file(&partial);
    }
    copied
}

fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    // One per process, so two processes backing up at once never share one.
    name.push(format!(".{}.partial", std::process::id()));
    dest.with_file_name(name)
}

impl Store {
    /// Writes a consistent copy of the open books to `dest`.
    pub fn backup_to(&self, dest: &Path) -> StoreResult<()> {
        copy_to(self.tx.lite().ok_or_else(|| team_books("backed up"))?, dest)
    }

    /// Replaces the books' whole content with the database at `source` in
    /// one step of the backup API (one write transaction: readers see the
    /// old books or the new ones, never a mix). Check `source` with
    /// [`inspect`] first; reopen the store afterwards so an older schema is
    /// brought up to date.
    pub fn replace_with(&mut self, source: &Path) -> StoreResult<()> {
        let from = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let to = self.lite_mut().ok_or_else(|| team_books("restored from a backup file"))?;
        let backup = Backup::new(&from, to)?;
        while backup.step(-1)? != StepResult::Done {}
        Ok(())
    }

    /// The integrity problems of the open books (empty when healthy).
    pub fn integrity_problems(&self) -> StoreResult<Vec<String>> {
        integrity_problems(self.tx.lite().ok_or_else(|| team_books("checked for damage"))?)
    }
}

/// Team books are backed up, restored and checked by their PostgreSQL
/// server (`pg_dump`, its own replicas); Billable does that for a file.
fn team_books(what: &str) -> StoreError {
    StoreError::Unsupported(format!("team books on PostgreSQL are {what} by their database server, not by Billable"))
}

/// Backup settings: whether to back up on start, and how many to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupSettings {
    pub automatic: bool,
    pub keep: u32,
}

pub fn settings(c: &Tx) -> StoreResult<BackupSettings> {
    c.query_row("SELECT automatic, keep FROM backup_settings WHERE id = 1", [], |r| {
        Ok(BackupSettings { automatic: r.get(0)?, keep: r.get(1)? })
    })
}

pub fn save_settings(c: &Tx, s: &BackupSettings) -> StoreResult<()> {
    c.execute(
        "UPDATE backup_settings SET automatic = ?1, keep = ?2 WHERE id = 1",
        crate::params![s.automatic, s.keep],
    )?;
    Ok(())
}
