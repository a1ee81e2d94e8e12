//! What the books benches share (`books`, `team_books`): the books' clock,
//! the seeded books, timing and the table of results.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use billable_app::{
    BackupSettingsInput, Billable, Clock, FixedClock, SeedInput, UnbilledInput, SEED_GENERATOR_VERSION,
};
use chrono::{DateTime, Duration as Days, FixedOffset, Utc};

/// The books' "today" (and the clock of every measurement).
pub const NOW: &str = "2026-11-20T17:00:00Z";

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// Whether a row is measured: every row, or those named by BENCH_BOOKS_ONLY.
pub fn wanted(what: &str) -> bool {
    std::env::var("BENCH_BOOKS_ONLY").map_or(true, |only| what.contains(only.as_str()))
}

pub fn fixed() -> Box<dyn Clock> {
    Box::new(FixedClock::parse(NOW).expect("clock"))
}

/// A clock that moves one minute forward each time it is read: a timer
/// started and stopped by it runs for whole minutes.
pub struct Ticking {
    pub base: DateTime<Utc>,
    pub minutes: AtomicI64,
}

impl Clock for Ticking {
    fn now(&self) -> DateTime<Utc> {
        self.base + Days::minutes(self.minutes.fetch_add(1, Ordering::Relaxed))
    }
    fn offset_at(&self, _at: DateTime<Utc>) -> FixedOffset {
        FixedOffset::east_opt(0).expect("UTC")
    }
}

#[derive(Clone, Copy)]
pub struct Stats {
    pub median: Duration,
    pub min: Duration,
    pub p90: Duration,
    pub max: Duration,
    pub runs: usize,
}

pub fn stats(mut runs: Vec<Duration>) -> Stats {
    runs.sort();
    let n = runs.len();
    Stats { median: runs[n / 2], min: runs[0], p90: runs[(n * 9 / 10).min(n - 1)], max: runs[n - 1], runs: n }
}

pub fn ms(d: Duration) -> String {
    let us = d.as_micros();
    format!("{}.{:03} ms", us / 1000, us % 1000)
}

/// Warm-up, then `runs` timed calls of `f` (which times what it measures).
pub fn measure(runs: usize, mut f: impl FnMut() -> Duration) -> Stats {
    f();
    stats((0..runs).map(|_| f()).collect())
}

pub fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

/// The rows measured, as printed (`text`, the Markdown of results.md) and
/// as figures.
#[derive(Default)]
pub struct Report {
    pub text: String,
    pub rows: Vec<(String, Option<Duration>, Stats)>,
}

impl Report {
    pub fn row(&mut self, what: &str, target: Option<Duration>, s: &Stats) {
        let verdict = match target {
            Some(t) if s.median <= t => format!("≤ {} ✓", ms(t)),
            Some(t) => format!("≤ {} ✗", ms(t)),
            None => "—".into(),
        };
        let line = format!(
            "| {what} | {verdict} | {} | {} / {} / {} | {} |",
            ms(s.median),
            ms(s.min),
            ms(s.p90),
            ms(s.max),
            s.runs
        );
        println!("{line}");
        let _ = writeln!(self.text, "{line}");
        self.rows.push((what.to_string(), target, *s));
    }
}

pub fn unwrap<T>(what: &str, r: billable_app::AppResult<T>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {}", e.to_body().message))
}

/// The full-size books, seeded once per generator version.
pub fn books(dir: &Path) -> PathBuf {
    let db = dir.join("books.db");
    let stamp = dir.join("books.version");
    let want = format!("generator {SEED_GENERATOR_VERSION}, now {NOW}, defaults");
    let have = std::fs::read_to_string(&stamp).unwrap_or_default();
    if db.exists() && have.lines().next() == Some(want.as_str()) {
        println!("Books: {} (reused; {})", db.display(), have.lines().nth(1).unwrap_or("").trim());
        return db;
    }
    std::fs::create_dir_all(dir).expect("bench folder");
    for f in ["books.db", "books.db-wal", "books.db-shm", "books.version"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    println!("Seeding {} (1,000,000 entries, 100,000 invoices)…", db.display());
    let (took, outcome) = timed(|| Billable::seed_books(&db, fixed(), SeedInput::default()));
    let outcome = unwrap("seed the books", outcome);
    // The CLI runs below must not copy these books into a backup each day.
    let mut app = unwrap("open", Billable::open(&db, fixed()));
    unwrap("backup settings", app.set_backup_settings(BackupSettingsInput { automatic: Some(false), keep: None }));
    drop(app);
    let bytes = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    let line = format!(
        "seeded in {} ms, {} MB, {} entries ({} billed), {} invoices, {} lines, {} payments",
        took.as_millis(),
        bytes / 1_000_000,
        outcome.entries,
        outcome.billed_entries,
        outcome.invoices,
        outcome.invoice_lines,
        outcome.payments
    );
    println!("Books: {line}");
    std::fs::write(&stamp, format!("{want}\n{line}\n")).expect("stamp");
    db
}

/// Unbilled entries per client, most first.
pub fn unbilled_counts(app: &mut Billable) -> Vec<(i64, usize)> {
    let clients = unwrap("clients", app.clients(false, None));
    let mut counts: Vec<(i64, usize)> = clients
        .iter()
        .map(|c| {
            let u = unwrap("unbilled", app.unbilled(UnbilledInput { client_id: c.id, ..Default::default() }));
            (c.id, u.entries.len())
        })
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}
