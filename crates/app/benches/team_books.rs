//! Team books on PostgreSQL beside the books file, on the same full-size
//! books (1,000,000 time entries, 100,000 invoices: the books bench's,
//! seeded once into target/bench-books/). Starts a PostgreSQL server of its
//! own (`billable_pgtest::kept`, Debian's package) whose data stays in
//! target/bench-books/pg/, moves the books file into team books there with
//! `billable team migrate`'s use case (timed; done again only when the books
//! file was seeded anew), then measures every daily operation of the books
//! bench through the same `Billable` methods, first on the file, then on the
//! team books, and prints both engines' medians per row. Asserts nothing.
//! Results go to BENCHMARKS.md ("Team books on PostgreSQL").
//!
//! Run: cargo bench -p billable-app --bench team_books   (or: make bench)
//! BENCH_BOOKS_DIR names the folder of the books (default: target/bench-books);
//! BENCH_BOOKS_ONLY=TEXT measures only the rows whose name contains TEXT;
//! BENCH_TEAM_REMIGRATE=1 moves the books in again even when they are there.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use billable_app::{migrate_to_team, Billable};

#[path = "books/commands.rs"]
mod commands;
#[path = "books/daily.rs"]
mod daily;
#[path = "books/measure.rs"]
mod measure;

use measure::{books, fixed, ms, target_dir, timed, unwrap, Report, Stats};

/// The server's settings, on top of PostgreSQL's defaults (durability
/// among them: `fsync` and `synchronous_commit` on, as a team's server
/// runs). Memory for books of this size: the whole database fits in
/// shared buffers, as the whole file fits in the operating system's cache
/// for SQLite.
const SERVER: &[(&str, &str)] = &[
    ("shared_buffers", "1GB"),
    ("effective_cache_size", "8GB"),
    ("work_mem", "16MB"),
    ("maintenance_work_mem", "256MB"),
    ("max_wal_size", "4GB"),
];

/// The database of the team books on the bench's server.
const DATABASE: &str = "books";

/// The team books, moved in from the books file unless they are there from
/// an earlier run of the same books file (its seeding stamp).
fn team_books(server: &billable_pgtest::Server, dir: &Path, file: &Path) -> String {
    let url = server.url(billable_pgtest::USER, DATABASE);
    let stamp = dir.join("pg.version");
    let seeded = std::fs::read_to_string(dir.join("books.version")).expect("the books' stamp");
    let have = std::fs::read_to_string(&stamp).unwrap_or_default();
    let mut admin = server.admin();
    let exists =
        !admin.query("SELECT 1 FROM pg_database WHERE datname = $1", &[&DATABASE]).expect("databases").is_empty();
    let again = std::env::var_os("BENCH_TEAM_REMIGRATE").is_some();
    if exists && !again && have.starts_with(&seeded) {
        println!("Team books: {url} (reused; {})", have[seeded.len()..].trim());
        return url;
    }
    let _ = std::fs::remove_file(&stamp);
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DATABASE}")).expect("drop the old team books");
    admin.batch_execute(&format!("CREATE DATABASE {DATABASE}")).expect("create the team books");
    // The file at the schema of this build, as opening it in the app would leave it.
    drop(unwrap("open the books file", Billable::open(file, fixed())));
    println!("Moving {} into {url} (billable team migrate)…", file.display());
    let (took, report) = timed(|| migrate_to_team(file, &url));
    let report = unwrap("migrate", report);
    let entries = report.copied.get("time_entries").copied().unwrap_or(0);
    let rebuilt: u64 = report.rebuilt.values().sum();
    // What autovacuum does soon after a bulk load: statistics for the
    // planner, and the visibility map index-only scans rely on.
    let (vacuum, (ok, _, err)) = timed(|| server.psql(&url, "VACUUM (ANALYZE);"));
    assert!(ok, "VACUUM (ANALYZE): {err}");
    let size: i64 = admin.query_one("SELECT pg_database_size($1)", &[&DATABASE]).expect("the database's size").get(0);
    let line = format!(
        "migrated in {} ms ({} rows copied, {entries} of them entries, {rebuilt} rollup rows built by the triggers, \
         verified), VACUUM (ANALYZE) {} ms, {} MB",
        took.as_millis(),
        report.rows,
        vacuum.as_millis(),
        size / 1_000_000
    );
    println!("Team books: {line}");
    std::fs::write(&stamp, format!("{seeded}{line}\n")).expect("stamp");
    url
}

fn main() {
    let dir =
        std::env::var_os("BENCH_BOOKS_DIR").map(PathBuf::from).unwrap_or_else(|| target_dir().join("bench-books"));
    let file = books(&dir);
    let server = billable_pgtest::kept(&dir.join("pg"), SERVER).unwrap_or_else(|e| panic!("PostgreSQL: {e}"));
    let url = team_books(&server, &dir, &file);

    println!("\nOn the books file (SQLite):");
    let mut lite = Report::default();
    daily::daily(&|clock| unwrap("open", Billable::open(&file, clock)), &mut lite);
    println!("\nOn the team books (PostgreSQL):");
    let mut pg = Report::default();
    daily::daily(&|clock| unwrap("open", Billable::open_postgres(&url, clock)), &mut pg);
    drop(server);

    let mut text = String::new();
    let _ = writeln!(
        text,
        "| What | Books file (SQLite), median | Team books (PostgreSQL), median | PostgreSQL min / p90 / max | × |\n\
         | --- | --- | --- | --- | --- |"
    );
    for (what, _, l) in &lite.rows {
        let Some((_, _, p)) = pg.rows.iter().find(|(w, _, _)| w == what) else {
            let _ = writeln!(text, "| {what} | {} | — | — | — |", ms(l.median));
            continue;
        };
        let _ = writeln!(
            text,
            "| {what} | {} | {} | {} / {} / {} | {} |",
            ms(l.median),
            ms(p.median),
            ms(p.min),
            ms(p.p90),
            ms(p.max),
            ratio(l, p)
        );
    }
    println!("\nSide by side:\n{text}");
    let _ = std::fs::write(dir.join("team-results.md"), &text);
}

/// How many times the team books' median is the file's, to one decimal.
fn ratio(file: &Stats, team: &Stats) -> String {
    let x10 = team.median.as_micros() * 10 / file.median.as_micros().max(1);
    format!("{}.{}", x10 / 10, x10 % 10)
}
