//! Importing a Toggl Track detailed report: 100,000 and 1,000,000 rows of a
//! realistic export (200 clients, 1,000 projects, 8 users, tasks, tags,
//! descriptions with commas and quotes, five years of dates) into fresh
//! books on disk, through `Billable::import_time` as `billable import` runs
//! it; then the same file again (every row already imported). Prints medians
//! and spreads (a benchmark, not a test: only the outcome is checked).
//! Results go to BENCHMARKS.md.
//!
//! Run: cargo bench -p billable-app --bench import   (or: make bench)
//! BENCH_IMPORT_RUNS sets the runs at 1,000,000 rows (default 3);
//! BENCH_IMPORT_KEEP=1 keeps the generated files in target/tmp/bench-import;
//! BENCH_IMPORT_ROWS=100000 measures only the sizes listed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use billable_app::import::formats::{self, Fallbacks, ReadOptions};
use billable_app::{Billable, ImportInput, SystemClock};

#[path = "../tests/app/import/toggl_export.rs"]
mod toggl_export;

fn ms(d: Duration) -> String {
    let us = d.as_micros();
    format!("{}.{:02} ms", us / 1000, (us % 1000) / 10)
}

/// Median, then min / p90 / max.
fn spread(mut runs: Vec<Duration>) -> (Duration, String) {
    runs.sort();
    let n = runs.len();
    let median = runs[n / 2];
    let p90 = runs[((n * 9).div_ceil(10)).saturating_sub(1).min(n - 1)];
    (median, format!("min {}, p90 {}, max {}, {n} runs", ms(runs[0]), ms(p90), ms(runs[n - 1])))
}

fn per_second(rows: u64, d: Duration) -> u64 {
    let us = u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1);
    rows.saturating_mul(1_000_000) / us
}

fn input() -> ImportInput {
    ImportInput { format: Some("toggl".into()), ..Default::default() }
}

/// The file of `rows` rows, written once and kept in target/tmp.
fn export(dir: &Path, rows: u64) -> (PathBuf, toggl_export::Written) {
    let path = dir.join(format!("toggl-detailed-{rows}.csv"));
    let started = Instant::now();
    let written = toggl_export::write(&path, rows, 200, 7);
    println!("  generated {} ({} MB) in {}", path.display(), written.bytes / 1_000_000, ms(started.elapsed()));
    (path, written)
}

/// One import of the whole file into fresh books, then (when asked) the
/// same file again: (first import, re-import).
fn import_once(dir: &Path, csv: &Path, written: toggl_export::Written, again: bool) -> (Duration, Option<Duration>) {
    let books = tempfile::tempdir_in(dir).expect("a folder for the books");
    let mut app = Billable::open(&books.path().join("books.db"), Box::new(SystemClock)).expect("open the books");
    let started = Instant::now();
    let out = app.import_time(csv, input(), &mut |_, _| {}).expect("import the Toggl export");
    let first = started.elapsed();
    assert_eq!(out.entries, written.rows, "every row becomes an entry");
    let second = again.then(|| {
        let started = Instant::now();
        let out = app.import_time(csv, input(), &mut |_, _| {}).expect("import the Toggl export again");
        let t = started.elapsed();
        assert_eq!((out.entries, out.already_imported), (0, written.rows), "nothing is imported twice");
        t
    });
    (first, second)
}

fn bench(dir: &Path, rows: u64, runs: usize, warm_up: bool) {
    println!("{rows} rows");
    let (csv, written) = export(dir, rows);
    let text = std::fs::read_to_string(&csv).expect("read the export");
    let parse: Vec<Duration> = (0..runs.max(3))
        .map(|_| {
            let started = Instant::now();
            let parsed = formats::parse_file(&text, None, ReadOptions::default(), &Fallbacks::default())
                .expect("a valid export");
            let t = started.elapsed();
            assert_eq!(parsed.rows.len() as u64, written.rows);
            t
        })
        .collect();
    drop(text);
    let (p, p_spread) = spread(parse);
    println!("  parse and validate only   median {} ({} rows/s; {p_spread})", ms(p), per_second(rows, p));
    if warm_up {
        import_once(dir, &csv, written, false);
    }
    let (first, again): (Vec<Duration>, Vec<Duration>) = (0..runs)
        .map(|_| {
            let (a, b) = import_once(dir, &csv, written, true);
            (a, b.unwrap_or_default())
        })
        .unzip();
    let (t, t_spread) = spread(first);
    println!("  import into fresh books   median {} ({} rows/s; {t_spread})", ms(t), per_second(rows, t));
    let (t, t_spread) = spread(again);
    println!("  same file again (skipped) median {} ({} rows/s; {t_spread})", ms(t), per_second(rows, t));
}

fn main() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-import");
    std::fs::create_dir_all(&dir).expect("a folder for the benchmark's files");
    let runs = std::env::var("BENCH_IMPORT_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3usize).max(1);
    println!("billable-app import benchmark (Toggl Track detailed report, books on disk, WAL)");
    let sizes = std::env::var("BENCH_IMPORT_ROWS").unwrap_or_else(|_| "100000,1000000".into());
    for rows in sizes.split(',').filter_map(|r| r.trim().parse::<u64>().ok()) {
        if rows >= 1_000_000 {
            bench(&dir, rows, runs, false);
        } else {
            bench(&dir, rows, 5, true);
        }
    }
    if std::env::var_os("BENCH_IMPORT_KEEP").is_none() {
        std::fs::remove_dir_all(&dir).ok();
    }
}
