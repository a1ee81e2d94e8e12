//! Billable on books at scale: 1,000,000 time entries over 5 years, 200
//! clients, 1,000 projects, 100,000 invoices (`billable dev seed`'s
//! defaults). Seeds them once into target/bench-books/ (kept while the
//! generator's version is the same), then measures each everyday operation
//! through the `Billable` method the CLI and the desktop call, and the time
//! report side by side with Timewarrior (`timew summary`) on the same year of
//! entries, both as whole processes. Prints medians and spread (min / p90 /
//! max) after a warm-up; asserts nothing. Results go to BENCHMARKS.md.
//!
//! Run: cargo build --release -p billable-cli && cargo bench -p billable-app --bench books   (or: make bench)
//! BILLABLE_BIN names the `billable` binary (default: target/release/billable).
//! BENCH_BOOKS_DIR names the folder of the books (default: target/bench-books);
//! BENCH_BOOKS_ONLY=TEXT measures only the rows whose name contains TEXT.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use billable_app::views::FromTimeOutcome;
use billable_app::{
    BackupSettingsInput, Billable, Clock, EntryInput, EntryListInput, FixedClock, FromTimeInput, InvoiceListInput,
    SeedInput, TimeGroup, TimeReportInput, TimerStartInput, UnbilledInput, SEED_GENERATOR_VERSION,
};
use chrono::{DateTime, Duration as Days, FixedOffset, NaiveDate, Utc};

#[path = "books/commands.rs"]
mod commands;

/// The books' "today" (and the clock of every measurement).
const NOW: &str = "2026-11-20T17:00:00Z";

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// Whether a row is measured: every row, or those named by BENCH_BOOKS_ONLY.
pub(crate) fn wanted(what: &str) -> bool {
    std::env::var("BENCH_BOOKS_ONLY").map_or(true, |only| what.contains(only.as_str()))
}

fn fixed() -> Box<dyn Clock> {
    Box::new(FixedClock::parse(NOW).expect("clock"))
}

/// A clock that moves one minute forward each time it is read: a timer
/// started and stopped by it runs for whole minutes.
struct Ticking {
    base: DateTime<Utc>,
    minutes: AtomicI64,
}

impl Clock for Ticking {
    fn now(&self) -> DateTime<Utc> {
        self.base + Days::minutes(self.minutes.fetch_add(1, Ordering::Relaxed))
    }
    fn offset_at(&self, _at: DateTime<Utc>) -> FixedOffset {
        FixedOffset::east_opt(0).expect("UTC")
    }
}

struct Stats {
    median: Duration,
    min: Duration,
    p90: Duration,
    max: Duration,
    runs: usize,
}

fn stats(mut runs: Vec<Duration>) -> Stats {
    runs.sort();
    let n = runs.len();
    Stats { median: runs[n / 2], min: runs[0], p90: runs[(n * 9 / 10).min(n - 1)], max: runs[n - 1], runs: n }
}

fn ms(d: Duration) -> String {
    let us = d.as_micros();
    format!("{}.{:03} ms", us / 1000, us % 1000)
}

/// Warm-up, then `runs` timed calls of `f` (which times what it measures).
fn measure(runs: usize, mut f: impl FnMut() -> Duration) -> Stats {
    f();
    stats((0..runs).map(|_| f()).collect())
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

struct Report(String);

impl Report {
    fn row(&mut self, what: &str, target: Option<Duration>, s: &Stats) {
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
        let _ = writeln!(self.0, "{line}");
    }
}

fn unwrap<T>(what: &str, r: billable_app::AppResult<T>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {}", e.to_body().message))
}

/// The full-size books, seeded once per generator version.
fn books(dir: &Path) -> PathBuf {
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
fn unbilled_counts(app: &mut Billable) -> Vec<(i64, usize)> {
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

fn main() {
    let dir =
        std::env::var_os("BENCH_BOOKS_DIR").map(PathBuf::from).unwrap_or_else(|| target_dir().join("bench-books"));
    let db = books(&dir);
    let today: NaiveDate = "2026-11-20".parse().expect("date");
    let year_from = (today - Days::days(364)).to_string();
    let year_to = today.to_string();
    let mut app = unwrap("open", Billable::open(&db, fixed()));
    let mut out = Report(String::new());
    println!("\n| What | Target | Median | Min / p90 / max | Runs |\n| --- | --- | --- | --- | --- |");

    // Unbilled time for one client: a typical client and the busiest one.
    let counts = unbilled_counts(&mut app);
    for (label, (client, n)) in [("median", counts[counts.len() / 2]), ("busiest", counts[0])] {
        let what = format!("Unbilled time for one client ({label}: {n} entries)");
        if !wanted(&what) {
            continue;
        }
        let s = measure(200, || {
            timed(|| unwrap("unbilled", app.unbilled(UnbilledInput { client_id: client, ..Default::default() }))).0
        });
        out.row(&what, Some(Duration::from_millis(2)), &s);
    }

    // The time report over one year: projects, and months.
    for (label, group, target) in [
        ("projects", TimeGroup::Project, Some(Duration::from_millis(20))),
        ("months", TimeGroup::Month, Some(Duration::from_millis(20))),
        ("days", TimeGroup::Day, None),
    ] {
        if !wanted(&format!("Time report by {label}, one year")) {
            continue;
        }
        let s = measure(50, || {
            timed(|| {
                unwrap(
                    "time report",
                    app.time_report(TimeReportInput { group, from: year_from.clone(), to: year_to.clone() }),
                )
            })
            .0
        });
        out.row(&format!("Time report by {label}, one year"), target, &s);
    }

    // The invoice list: 50 rows, filtered and sorted.
    let busiest_client = counts[0].0;
    let lists: [(&str, InvoiceListInput); 5] = [
        (
            "paid, newest first",
            InvoiceListInput { status: Some("paid".into()), descending: true, ..Default::default() },
        ),
        (
            "paid, by total",
            InvoiceListInput {
                status: Some("paid".into()),
                sort: Some("total".into()),
                descending: true,
                ..Default::default()
            },
        ),
        (
            "overdue, by due date",
            InvoiceListInput { status: Some("overdue".into()), sort: Some("due_date".into()), ..Default::default() },
        ),
        (
            "one client, newest first",
            InvoiceListInput { client_id: Some(busiest_client), descending: true, ..Default::default() },
        ),
        (
            "one client, paid, by number",
            InvoiceListInput {
                client_id: Some(busiest_client),
                status: Some("paid".into()),
                sort: Some("number".into()),
                ..Default::default()
            },
        ),
    ];
    for (label, input) in lists {
        if !wanted(&format!("Invoice list page, {label}")) {
            continue;
        }
        let s = measure(200, || {
            timed(|| unwrap("invoice list", app.invoices(InvoiceListInput { per_page: Some(50), ..input.clone() }))).0
        });
        out.row(&format!("Invoice list page, {label}"), Some(Duration::from_millis(5)), &s);
    }

    commands::per_command(&mut app, today, busiest_client, &mut out);

    let client = busiest_client;
    let projects = unwrap("projects", app.projects(Some(client), false));
    if wanted("Invoice from 1,000 time entries") || wanted("Invoice: invoice (a draft") {
        // An invoice from 1,000 time entries: lines, totals, commit. The client
        // gets the unbilled entries it lacks first (deleted at the end); after
        // each run the draft is deleted, which releases its time again.
        let have = unwrap(
            "entries",
            app.entries(EntryListInput { client_id: Some(client), unbilled_only: true, ..Default::default() }),
        );
        let mut added = Vec::new();
        for k in have.len()..1_000 {
            let date = (today - Days::days(1 + (k % 20) as i64)).to_string();
            let e = unwrap(
                "add entry",
                app.add_entry(EntryInput {
                    project_id: Some(projects[k % projects.len()].id),
                    date: Some(date),
                    hours: Some(format!("0.{}", 25 + k % 50)),
                    description: Some("Implementation".into()),
                    ..Default::default()
                }),
            );
            added.push(e.entry.id);
        }
        let ids: Vec<i64> = unwrap(
            "entries",
            app.entries(EntryListInput { client_id: Some(client), unbilled_only: true, ..Default::default() }),
        )
        .iter()
        .take(1_000)
        .map(|e| e.entry.id)
        .collect();
        let s = measure(30, || {
            let (took, made) = timed(|| {
                unwrap(
                    "invoice from time",
                    app.invoice_from_time(FromTimeInput {
                        client_id: client,
                        entry_ids: Some(ids.clone()),
                        ..Default::default()
                    }),
                )
            });
            if let FromTimeOutcome::Created(v) = made {
                unwrap("delete the draft", app.delete_invoice(&v.invoice.invoice.number));
            }
            took
        });
        out.row("Invoice from 1,000 time entries (lines, totals, commit)", Some(Duration::from_millis(30)), &s);
        // Opening that invoice in the editor: 1,000 lines.
        if let FromTimeOutcome::Created(v) = unwrap(
            "invoice from time",
            app.invoice_from_time(FromTimeInput {
                client_id: client,
                entry_ids: Some(ids.clone()),
                ..Default::default()
            }),
        ) {
            let number = v.invoice.invoice.number.clone();
            let lines = v.invoice.lines.len();
            let s = measure(50, || timed(|| unwrap("invoice", app.invoice(&number))).0);
            out.row(&format!("Invoice: invoice (a draft of {lines} lines)"), Some(Duration::from_millis(16)), &s);
            unwrap("delete the draft", app.delete_invoice(&number));
        }
        for id in added {
            unwrap("delete entry", app.delete_entry(id));
        }
    }
    drop(app);

    if wanted("Timer st") {
        // The timer: start and stop (which records the entry), on a clock that
        // moves; the entries it made are deleted afterwards.
        let ticking = Ticking { base: NOW.parse().expect("now"), minutes: AtomicI64::new(0) };
        let mut app = unwrap("open", Billable::open(&db, Box::new(ticking)));
        let project = projects[0].id;
        let mut starts = Vec::new();
        let mut stops = Vec::new();
        let mut made = Vec::new();
        for run in 0..201 {
            let (start, _) = timed(|| {
                unwrap("timer start", app.timer_start(TimerStartInput { project_id: project, ..Default::default() }))
            });
            let (stop, stopped) = timed(|| unwrap("timer stop", app.timer_stop(None)));
            made.extend(stopped.entry.map(|e| e.entry.id));
            if run > 0 {
                starts.push(start);
                stops.push(stop);
            }
        }
        for id in made {
            unwrap("delete entry", app.delete_entry(id));
        }
        out.row("Timer start", Some(Duration::from_millis(1)), &stats(starts));
        out.row("Timer stop (records the entry)", Some(Duration::from_millis(1)), &stats(stops));
        drop(app);
    }

    if wanted("`") {
        timewarrior(&db, &year_from, &year_to, &mut out);
    }
    let _ = std::fs::write(dir.join("results.md"), &out.0);
}

/// The same year of entries in a Timewarrior database (its data files
/// written directly: one `YYYY-MM.data` per month, `inc START - END # tag`,
/// the tag being the project), then `timew summary` for that year against
/// `billable report time --by project` for the same range, as processes.
fn timewarrior(db: &Path, from: &str, to: &str, out: &mut Report) {
    let timew = Command::new("timew").arg("--version").output();
    if !timew.as_ref().is_ok_and(|o| o.status.success()) {
        println!("\nTimewarrior (timew) is not installed (make bench-deps installs it): side-by-side skipped.");
        return;
    }
    let bin =
        std::env::var_os("BILLABLE_BIN").map(PathBuf::from).unwrap_or_else(|| target_dir().join("release/billable"));
    if !bin.exists() {
        println!("\n{} is missing (cargo build --release -p billable-cli): side-by-side skipped.", bin.display());
        return;
    }
    let mut app = unwrap("open", Billable::open(db, fixed()));
    let entries = unwrap(
        "entries",
        app.entries(EntryListInput { from: Some(from.into()), to: Some(to.into()), ..Default::default() }),
    );
    drop(app);
    let tw = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(tw.path().join("data")).expect("data dir");
    std::fs::write(tw.path().join("timewarrior.cfg"), "").expect("cfg");
    let mut months: std::collections::BTreeMap<String, String> = Default::default();
    let mut tags: std::collections::BTreeSet<String> = Default::default();
    // Entries kept by hours only get a start: one after the other from
    // 06:00 on their day.
    let mut manual_clock: std::collections::HashMap<(i64, NaiveDate), i64> = Default::default();
    for e in &entries {
        let (start, end) = match (e.entry.start_at, e.entry.end_at) {
            (Some(s), Some(t)) => (s, t),
            _ => {
                let offset = manual_clock.entry((e.entry.member_id, e.entry.date)).or_insert(6 * 3600);
                let s = e.entry.date.and_hms_opt(0, 0, 0).expect("midnight").and_utc() + Days::seconds(*offset);
                *offset += e.entry.seconds;
                (s, s + Days::seconds(e.entry.seconds))
            }
        };
        let tag = format!("{} / {}", e.client_name, e.project_name).replace('"', "'");
        let line = format!("inc {} - {} # \"{tag}\"\n", start.format("%Y%m%dT%H%M%SZ"), end.format("%Y%m%dT%H%M%SZ"));
        months.entry(start.format("%Y-%m").to_string()).or_default().push_str(&line);
        tags.insert(tag);
    }
    for (month, text) in &months {
        std::fs::write(tw.path().join("data").join(format!("{month}.data")), text).expect("data file");
    }
    let tags_json: Vec<String> = tags.iter().map(|t| format!("\"{t}\":{{\"count\":1}}")).collect();
    std::fs::write(tw.path().join("data/tags.data"), format!("{{{}}}", tags_json.join(","))).expect("tags");

    let to_next = (to.parse::<NaiveDate>().expect("to") + Days::days(1)).to_string();
    let mut timew_cmd = Command::new("timew");
    timew_cmd.env("TIMEWARRIORDB", tw.path()).args(["summary", from, "-", &to_next]);
    let mut ours = Command::new(&bin);
    ours.env("BILLABLE_NOW", NOW)
        .env_remove("BILLABLE_DB")
        .arg("--db")
        .arg(db)
        .args(["report", "time", "--by", "project", "--from", from, "--to", to]);
    let run = |c: &mut Command| -> Duration {
        let (took, o) = timed(|| c.output().expect("run"));
        assert!(o.status.success(), "{:?} failed: {}", c, String::from_utf8_lossy(&o.stderr));
        took
    };
    let check = timew_cmd.output().expect("timew");
    let lines = String::from_utf8_lossy(&check.stdout).lines().count();
    println!(
        "\nSide by side on the same {} entries ({from} to {to}); timew summary printed {lines} lines:",
        entries.len()
    );
    println!("| What | Target | Median | Min / p90 / max | Runs |\n| --- | --- | --- | --- | --- |");
    let theirs = measure(3, || run(&mut timew_cmd));
    let mine = measure(20, || run(&mut ours));
    out.row("`timew summary` one year (process)", None, &theirs);
    out.row("`billable report time --by project` one year (process)", None, &mine);
    let ratio_x10 = theirs.median.as_micros() * 10 / mine.median.as_micros().max(1);
    let line = format!("Timewarrior / Billable (medians, whole processes): {}.{}×", ratio_x10 / 10, ratio_x10 % 10);
    println!("{line}");
    let _ = writeln!(out.0, "\n{line}");
}
