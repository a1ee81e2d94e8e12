//! A team member's running timer, kept on this computer as well as in the
//! team books: when the team server is out of reach the window and the
//! tray still show it, the person can still stop it, and that stop goes into
//! the books when the server is back. Books files need none of this: they
//! are on this computer already.
//!
//! The copy is `kept-timer.json` in the user's data folder, written aside
//! and renamed, so a crash leaves the old copy or the new one.

use std::path::PathBuf;

use billable_app::views::{TimerStopped, TimerView};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The kept copy: which books it belongs to, the timer as last shown (by
/// the books, or as started on this computer), and what was done to it here
/// while the server was out of reach, in order, for the books to catch up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptTimer {
    /// The team books, as shown (`user@host:port/database`).
    pub books: String,
    pub timer: TimerView,
    /// When the timer shown was stopped on this computer.
    pub stopped_at: Option<DateTime<Utc>>,
    /// What the books have not seen yet, oldest first.
    #[serde(default)]
    pub pending: Vec<Pending>,
}

impl KeptTimer {
    /// Stops the timer shown here at `now`, a step kept for the books; none
    /// when it is not running.
    pub fn stop_here(&mut self, now: DateTime<Utc>) -> Option<TimerStopped> {
        if self.stopped_at.is_some() {
            return None;
        }
        self.stopped_at = Some(now);
        self.pending.push(Pending::Stop { at: now });
        Some(TimerStopped { entry: None, seconds: self.timer.timer.elapsed_seconds(now), short: false })
    }
}

/// One thing done to the timer while the team server was out of reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pending {
    /// The running timer stopped at that moment.
    Stop { at: DateTime<Utc> },
    /// A timer started at that moment.
    Start { project_id: i64, task_id: Option<i64>, description: String, billable: bool, at: DateTime<Utc> },
}

fn path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BILLABLE_KEPT_TIMER_DIR") {
        return Some(PathBuf::from(dir).join("kept-timer.json"));
    }
    directories::ProjectDirs::from("app", "Billable", "Billable").map(|d| d.data_dir().join("kept-timer.json"))
}

/// The kept timer of these books, if any.
pub fn load(books: &str) -> Option<KeptTimer> {
    let bytes = std::fs::read(path()?).ok()?;
    let mut kept = serde_json::from_slice::<KeptTimer>(&bytes).ok().filter(|k| k.books == books)?;
    // A copy from before starts were kept: its stop is the one thing pending.
    if let (Some(at), true) = (kept.stopped_at, kept.pending.is_empty()) {
        kept.pending.push(Pending::Stop { at });
    }
    Some(kept)
}

pub fn save(kept: &KeptTimer) {
    let Some(path) = path() else { return };
    let write = || -> std::io::Result<()> {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let aside = path.with_extension("json.new");
        std::fs::write(&aside, serde_json::to_vec_pretty(kept).map_err(std::io::Error::other)?)?;
        std::fs::rename(&aside, &path)
    };
    if let Err(e) = write() {
        eprintln!("Billable: the running timer could not be kept on this computer ({}): {e}", path.display());
    }
}

pub fn clear() {
    if let Some(path) = path() {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => eprintln!("Billable: {} could not be removed: {e}", path.display()),
        }
    }
}
