//! kill -9 at random points while the books are being written: invoice from
//! time, payments, bulk actions, imports and the timer. After every kill the
//! books are reopened by the app and checked whole (see [`check`]), then the
//! interrupted command is run again and must succeed.
//!
//! Kill delays come from a seeded generator: half of the trials are spread
//! evenly over an undisturbed run of the command, half are random (aimed at
//! the part of the run where the books are written). The seed
//! is printed and named in every failure; `BILLABLE_CRASH_SEED=<seed>` replays
//! the same kill points.

mod backup;
mod bulk;
pub mod check;
mod first_open;
mod from_time;
mod import;
mod payments;
mod restore;
pub(crate) mod team_from_time;
mod timer;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::support::Books;

/// The clock of every crash trial.
pub const NOW: &str = "2026-07-01T09:00:00+02:00";

/// A small seeded generator (PCG step): the kill points of a run.
pub struct Rng(u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The seed of this run: `BILLABLE_CRASH_SEED`, or a new one each run so
/// every run explores other kill points.
pub fn seed(what: &str) -> u64 {
    let seed = match std::env::var("BILLABLE_CRASH_SEED") {
        Ok(s) => s.trim().parse().expect("BILLABLE_CRASH_SEED is a number"),
        Err(_) => SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64 % 1_000_000_007,
    };
    eprintln!("{what}: seed {seed} (replay with BILLABLE_CRASH_SEED={seed})");
    seed
}

/// Books configured for trials: a fixed clock, no automatic backup (each
/// trial's copy would otherwise start with one and move the kill points).
pub fn books() -> Books {
    let b = Books::new().at(NOW);
    b.ok(&["backup", "settings", "--automatic", "off"]);
    b
}

/// A fresh copy of closed books (no -wal left behind), in its own folder.
pub fn copy_of(pristine: &Books) -> Books {
    let b = Books::new().at(pristine.now.as_deref().unwrap_or(NOW));
    std::fs::copy(&pristine.db, &b.db).unwrap();
    b
}

/// Imports a generic CSV (date, client, project, description, hours) through
/// the CLI, so the seeded books are made by the product itself.
pub fn import_rows(b: &Books, rows: &[String]) {
    let file = b.db.with_file_name("seed.csv");
    let mut text = String::from("date,client,project,description,hours\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    std::fs::write(&file, text).unwrap();
    let out = b.ok(&["import", file.to_str().unwrap(), "--source", "generic"]);
    assert_eq!(out["entries"].as_u64(), Some(rows.len() as u64), "seed import: {out}");
}

/// Kill trials of one command: where to kill, and what happened.
pub struct Trials {
    pub what: &'static str,
    pub seed: u64,
    pub trials: u64,
    rng: Rng,
    /// An undisturbed run, spawn to exit.
    full: Duration,
    pub killed: u64,
    pub finished: u64,
}

impl Trials {
    /// Times three undisturbed runs, each on fresh books from `probe` (kept
    /// alive while its command runs), and aims the kills at the median.
    pub fn new(what: &'static str, trials: u64, mut probe: impl FnMut() -> (Books, Command)) -> Trials {
        let seed = seed(what);
        let mut runs: Vec<Duration> = (0..3)
            .map(|_| {
                let (_books, mut command) = probe();
                let t0 = Instant::now();
                let out = command.output().unwrap();
                let took = t0.elapsed();
                let said = String::from_utf8_lossy(&out.stdout);
                assert!(out.status.success(), "{what}: the undisturbed run failed: {said}");
                took
            })
            .collect();
        runs.sort();
        Trials { what, seed, trials, rng: Rng(seed), full: runs[1], killed: 0, finished: 0 }
    }

    /// Even trials are spread evenly over 0–110 % of an undisturbed run; odd
    /// ones are random over its last two thirds and a tenth beyond, where the
    /// writing happens (the first third is start-up and opening the books).
    fn delay(&mut self, trial: u64) -> Duration {
        let full = self.full.as_micros() as u64;
        let span = full * 11 / 10 + 1;
        let half = self.trials.div_ceil(2).max(1);
        let micros = if trial.is_multiple_of(2) {
            span * (trial / 2) / half
        } else {
            full / 3 + self.rng.below(span - full / 3)
        };
        Duration::from_micros(micros)
    }

    /// Spawns `command`, sends SIGKILL after this trial's delay, and returns
    /// the trial's label for assertion messages and whether the command had
    /// already finished by itself.
    pub fn kill(&mut self, trial: u64, mut command: Command) -> (String, bool) {
        let delay = self.delay(trial);
        let mut child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL on Unix
        child.wait().unwrap();
        if finished {
            self.finished += 1;
        } else {
            self.killed += 1;
        }
        (format!("{} trial {trial} (kill after {delay:?}, seed {})", self.what, self.seed), finished)
    }

    /// A uniform draw, for the trial's own choices.
    pub fn below(&mut self, n: u64) -> u64 {
        self.rng.below(n)
    }

    /// Prints the figures and proves that kills landed inside the command.
    pub fn report(&self, before_commit: u64, after_commit: u64) {
        eprintln!(
            "{}: {} trials, undisturbed run {:?}; {} killed while running, {} had exited; books found before the \
             change {before_commit}, after it {after_commit}",
            self.what, self.trials, self.full, self.killed, self.finished
        );
        assert!(before_commit > 0, "{}: no kill landed before the commit; nothing was tested", self.what);
    }
}
