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
use std::time::Duration;

use billable_app::{Billable, EntryListInput};
use chrono::{Duration as Days, NaiveDate};

#[path = "books/commands.rs"]
mod commands;
#[path = "books/daily.rs"]
mod daily;
#[path = "books/measure.rs"]
mod measure;

use measure::{books, fixed, measure, target_dir, timed, unwrap, wanted, Report, NOW};

fn main() {
    let dir =
        std::env::var_os("BENCH_BOOKS_DIR").map(PathBuf::from).unwrap_or_else(|| target_dir().join("bench-books"));
    let db = books(&dir);
    let mut out = Report::default();
    daily::daily(&|clock| unwrap("open", Billable::open(&db, clock)), &mut out);
    if wanted("`") {
        let today: NaiveDate = daily::TODAY.parse().expect("date");
        let year_from = (today - Days::days(364)).to_string();
        timewarrior(&db, &year_from, &today.to_string(), &mut out);
    }
    let _ = std::fs::write(dir.join("results.md"), &out.text);
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
    let _ = writeln!(out.text, "\n{line}");
}
