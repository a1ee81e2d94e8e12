//! Backups of the books: automatic on start (at most daily, keeping the
//! newest N), by hand, and restore — only of a healthy Billable database, with
//! the current books backed up first and replaced in one step. An integrity
//! check tells the user clearly when the books are damaged and offers the
//! newest good backup.

use std::path::{Path, PathBuf};

use billable_store::backup::{self as db, BackupSettings, Unhealthy};
use billable_store::{Engine, Store, StoreError};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::Billable;

const PREFIX: &str = "billable-";

/// Why a backup was made; part of its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    Automatic,
    Manual,
    /// The books as they were just before a restore replaced them.
    BeforeRestore,
}

impl BackupKind {
    fn tag(self) -> &'static str {
        match self {
            BackupKind::Automatic => "auto",
            BackupKind::Manual => "manual",
            BackupKind::BeforeRestore => "before-restore",
        }
    }
}

/// A backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupInfo {
    pub path: PathBuf,
    pub kind: BackupKind,
    pub created_at: DateTime<Utc>,
    pub bytes: u64,
}

/// The result of the integrity check on start.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IntegrityReport {
    pub ok: bool,
    pub problems: Vec<String>,
    /// When the books are damaged: the newest backup that passes the check.
    pub newest_good_backup: Option<BackupInfo>,
    /// A sentence for the user.
    pub message: String,
}

/// What `auto_backup` did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum AutoBackup {
    Created {
        backup: BackupInfo,
        removed: Vec<PathBuf>,
    },
    /// The newest automatic backup is less than a day old.
    NotDue {
        newest: BackupInfo,
    },
    /// Automatic backups are off (or the books live in memory).
    Off,
    /// The books failed the integrity check; no backup was made over the
    /// good ones.
    Damaged {
        report: IntegrityReport,
    },
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RestoreOutcome {
    pub restored_from: PathBuf,
    /// The books as they were before, kept in the backups folder.
    pub previous_books: PathBuf,
    pub schema_version: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupSettingsInput {
    pub automatic: Option<bool>,
    /// How many automatic backups to keep (1–1000).
    pub keep: Option<String>,
}

/// The backups folder beside a books file.
pub fn backups_dir(db_path: &Path) -> PathBuf {
    db_path.parent().map(|p| p.join("backups")).unwrap_or_else(|| PathBuf::from("backups"))
}

/// A copy cut short when its process was killed stays beside the backups as
/// `billable-….db.<pid>.partial`, as big as the books. One untouched for an
/// hour is not being written any more: it is removed.
fn remove_leftover_copies(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(PREFIX) && name.ends_with(".partial")) {
            continue;
        }
        let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if age.is_some_and(|age| age > std::time::Duration::from_secs(3600)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn parse_name(path: &Path) -> Option<(DateTime<Utc>, BackupKind)> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(".db")?;
    // billable-20260510-090000[-N]-auto.db
    let stamp = rest.get(..15)?;
    let at = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?.and_utc();
    let kind = if rest.ends_with("-auto") {
        BackupKind::Automatic
    } else if rest.ends_with("-before-restore") {
        BackupKind::BeforeRestore
    } else if rest.ends_with("-manual") {
        BackupKind::Manual
    } else {
        return None;
    };
    Some((at, kind))
}

/// The backups in a folder, newest first.
pub fn list_backups(dir: &Path) -> Vec<BackupInfo> {
    let mut out: Vec<BackupInfo> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .filter_map(|e| {
                let path = e.path();
                let (created_at, kind) = parse_name(&path)?;
                let bytes = e.metadata().ok()?.len();
                Some(BackupInfo { path, kind, created_at, bytes })
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.path.cmp(&a.path)));
    out
}

/// The newest backup beside `db_path` that is a healthy Billable database.
pub fn newest_good_backup(db_path: &Path) -> Option<BackupInfo> {
    list_backups(&backups_dir(db_path)).into_iter().find(|b| db::inspect(&b.path).is_ok())
}

fn io_error(operation: &str, path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::conflict(format!("could not {operation} {}: {e}", path.display()))
}

impl Billable {
    fn books_path(&self, operation: &str) -> AppResult<PathBuf> {
        if self.store.engine() == Engine::Postgres {
            let why = "team books on PostgreSQL are backed up by their database server, not by Billable";
            return Err(AppError::from(StoreError::Unsupported(why.into())).during(operation));
        }
        self.path.clone().ok_or_else(|| {
            AppError::conflict(format!("could not {operation}: these books live in memory, not in a file"))
        })
    }

    /// A free file name in the backups folder for a backup made now.
    fn backup_name(&self, kind: BackupKind) -> AppResult<PathBuf> {
        let dir = backups_dir(&self.books_path("back up the books")?);
        let stamp = self.clock.now().format("%Y%m%d-%H%M%S").to_string();
        let mut n = 1;
        loop {
            let name = if n == 1 {
                format!("{PREFIX}{stamp}-{}.db", kind.tag())
            } else {
                format!("{PREFIX}{stamp}-{n}-{}.db", kind.tag())
            };
            let path = dir.join(name);
            if !path.exists() {
                return Ok(path);
            }
            n += 1;
        }
    }

    fn write_backup(&self, dest: &Path) -> AppResult<()> {
        self.store.backup_to(dest).map_err(|e| AppError::from(e).during("back up the books"))
    }

    fn info(path: &Path, kind: BackupKind, at: DateTime<Utc>) -> BackupInfo {
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        BackupInfo { path: path.to_path_buf(), kind, created_at: at, bytes }
    }

    /// Backs the books up now, into `out` or the backups folder.
    pub fn create_backup(&mut self, out: Option<&Path>) -> AppResult<BackupInfo> {
        let dest = match out {
            Some(p) => p.to_path_buf(),
            None => self.backup_name(BackupKind::Manual)?,
        };
        if let Some(books) = &self.path {
            if dest == *books {
                return Err(AppError::invalid("out", "is the books file itself; choose another file"));
            }
        }
        self.write_backup(&dest)?;
        Ok(Self::info(&dest, BackupKind::Manual, self.clock.now()))
    }

    /// The backups beside the books, newest first.
    pub fn backups(&self) -> AppResult<Vec<BackupInfo>> {
        Ok(list_backups(&backups_dir(&self.books_path("list backups")?)))
    }

    pub fn backup_settings(&mut self) -> AppResult<BackupSettings> {
        self.read("read the backup settings", |tx, _| Ok(db::settings(tx)?))
    }

    pub fn set_backup_settings(&mut self, i: BackupSettingsInput) -> AppResult<BackupSettings> {
        self.write("save the backup settings", |tx, _| {
            let mut s = db::settings(tx)?;
            if let Some(a) = i.automatic {
                s.automatic = a;
            }
            if let Some(k) = i.keep.as_deref() {
                s.keep = match k.trim().parse::<u32>() {
                    Ok(n) if (1..=1000).contains(&n) => n,
                    _ => {
                        return Err(AppError::invalid("keep", format!("'{}' is not a number from 1 to 1000", k.trim())))
                    }
                };
            }
            db::save_settings(tx, &s)?;
            Ok(s)
        })
    }

    /// Called when the app (or the CLI) starts: when automatic backups are
    /// on and the newest is a day old or more, checks the books' integrity
    /// and backs them up into `backups/` beside them, keeping the newest N.
    pub fn auto_backup(&mut self) -> AppResult<AutoBackup> {
        let Some(path) = self.path.clone() else { return Ok(AutoBackup::Off) };
        let settings = self.backup_settings()?;
        if !settings.automatic {
            return Ok(AutoBackup::Off);
        }
        let dir = backups_dir(&path);
        let now = self.clock.now();
        let autos: Vec<BackupInfo> =
            list_backups(&dir).into_iter().filter(|b| b.kind == BackupKind::Automatic).collect();
        if let Some(newest) = autos.first() {
            if now - newest.created_at < chrono::Duration::days(1) && newest.created_at <= now {
                return Ok(AutoBackup::NotDue { newest: newest.clone() });
            }
        }
        let report = self.check_integrity()?;
        if !report.ok {
            return Ok(AutoBackup::Damaged { report });
        }
        remove_leftover_copies(&dir);
        let dest = self.backup_name(BackupKind::Automatic)?;
        self.write_backup(&dest)?;
        let backup = Self::info(&dest, BackupKind::Automatic, now);
        let mut removed = Vec::new();
        let autos: Vec<BackupInfo> =
            list_backups(&dir).into_iter().filter(|b| b.kind == BackupKind::Automatic).collect();
        for old in autos.iter().skip(settings.keep as usize) {
            std::fs::remove_file(&old.path).map_err(|e| io_error("remove the old backup", &old.path, e))?;
            removed.push(old.path.clone());
        }
        Ok(AutoBackup::Created { backup, removed })
    }

    /// `PRAGMA integrity_check` of the open books, with the newest good
    /// backup offered when they are damaged.
    pub fn check_integrity(&mut self) -> AppResult<IntegrityReport> {
        // A check that cannot even run (a malformed file) is a problem too.
        let problems = match self.store.integrity_problems() {
            Ok(p) => p,
            // Team books: their server's to check, and not damaged for that.
            Err(e @ StoreError::Unsupported(_)) => return Err(AppError::from(e).during("check the books")),
            Err(e) => {
                vec![format!("{e}: {}", std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default())]
            }
        };
        if problems.is_empty() {
            return Ok(IntegrityReport {
                ok: true,
                problems,
                newest_good_backup: None,
                message: "The books passed the integrity check.".into(),
            });
        }
        let newest = self.path.as_deref().and_then(newest_good_backup);
        let message = match &newest {
            Some(b) => format!(
                "The books are damaged ({}). The newest good backup is {} from {}: restore it ({}).",
                problems.iter().take(3).cloned().collect::<Vec<_>>().join("; "),
                b.path.display(),
                b.created_at.format("%Y-%m-%d %H:%M UTC"),
                b.path.display()
            ),
            None => format!(
                "The books are damaged ({}) and no good backup was found. Copy the file somewhere safe before changing anything.",
                problems.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
            ),
        };
        Ok(IntegrityReport { ok: false, problems, newest_good_backup: newest, message })
    }

    /// Replaces the books with a backup. Refuses a file that is not a
    /// healthy Billable database (another program's, damaged, or written by
    /// a newer version) and then changes nothing. Otherwise the current books
    /// are first backed up into the backups folder, then replaced in one
    /// step, and brought up to this version's schema.
    pub fn restore_backup(&mut self, file: &Path) -> AppResult<RestoreOutcome> {
        let path = self.books_path("restore a backup")?;
        if let (Ok(a), Ok(b)) = (file.canonicalize(), path.canonicalize()) {
            if a == b {
                return Err(AppError::invalid("file", "is the open books file itself"));
            }
        }
        db::inspect(file).map_err(|why: Unhealthy| {
            AppError::invalid(
                "file",
                format!("{} cannot be restored: {why}; the books were not changed", file.display()),
            )
        })?;
        let previous = self.backup_name(BackupKind::BeforeRestore)?;
        self.write_backup(&previous)?;
        self.store.replace_with(file).map_err(|e| AppError::from(e).during("restore the backup"))?;
        // Reopen so a backup from an older version gets this version's schema.
        self.store = Store::open(&path).map_err(|e| AppError::from(e).during("reopen the restored books"))?;
        let schema_version = self.store.schema_version()?;
        Ok(RestoreOutcome { restored_from: file.to_path_buf(), previous_books: previous, schema_version })
    }
}
