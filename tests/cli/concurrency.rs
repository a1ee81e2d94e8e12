//! Writers at once on the same books: two CLI processes; the desktop app
//! (`billable_app::Billable` in this process, one connection kept open as the
//! desktop keeps it) and the CLI; a timer started by one process while
//! another stops it. Everyone finishes, nobody sees "database is locked",
//! nothing is lost, and every outcome is one a serial order would give.

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use billable_app::{Billable, EntryInput, FixedClock, TimerStartInput};
use chrono::{DateTime, Duration, FixedOffset};

use crate::crash::check;
use crate::support::Books;

const NOW: &str = "2026-06-01T09:00:00+02:00";

fn cli_writer(db: std::path::PathBuf, w: usize, each: usize) -> thread::JoinHandle<()> {
    let books = Books { db, ..Books::new().at(NOW) };
    thread::spawn(move || {
        for i in 0..each {
            let d = format!("cli {w} entry {i}");
            let out = books.output(&["--json", "time", "add", "--project", "1", "--hours", "0.5", "-d", &d]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "cli writer {w} #{i} failed: {stdout} {stderr}");
            assert!(!stdout.contains("locked") && !stderr.contains("locked"), "{stdout} {stderr}");
        }
    })
}

#[test]
fn two_processes_writing_at_once_both_finish() {
    let b = Books::new().at(NOW);
    b.ok(&["client", "add", "Acme GmbH"]);
    b.ok(&["project", "add", "Website", "--client", "1", "--rate", "100"]);
    const EACH: usize = 25;
    let writers: Vec<_> = (0..2).map(|w| cli_writer(b.db.clone(), w, EACH)).collect();
    for w in writers {
        w.join().expect("writer finished");
    }
    let all = b.ok(&["time", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 2 * EACH);
}

/// The desktop app and the command line on the same file: the app keeps its
/// connection open and writes (entries, the timer, an invoice) while two CLI
/// processes add entries; the first CLI call of the day also makes the
/// automatic backup meanwhile.
#[test]
fn the_app_and_the_cli_write_the_same_books_at_once() {
    // Set up two days earlier, so the writers' first CLI call is the day's first.
    let b = Books::new().at("2026-05-30T09:00:00+02:00");
    b.ok(&["client", "add", "Acme GmbH"]);
    b.ok(&["project", "add", "Website", "--client", "1", "--rate", "100"]);
    b.ok(&["client", "add", "Beta Ltd"]);
    b.ok(&["project", "add", "Support", "--client", "2", "--rate", "80"]);
    const CLI_EACH: usize = 30;
    const APP_WRITES: usize = 120;

    let db = b.db.clone();
    let cli_done = Arc::new(AtomicBool::new(false));
    let done = cli_done.clone();
    // The app writes for as long as the CLI does (and at least APP_WRITES times).
    let app = thread::spawn(move || {
        let mut app = Billable::open(&db, Box::new(FixedClock::parse(NOW).unwrap())).unwrap();
        let mut i = 0;
        while i < APP_WRITES || !i.is_multiple_of(4) || !done.load(Ordering::SeqCst) {
            let r = match i % 4 {
                0 | 1 => app
                    .add_entry(EntryInput {
                        project_id: Some(2),
                        description: Some(format!("app entry {i}")),
                        date: Some("2026-05-30".into()),
                        hours: Some("0.25".into()),
                        ..Default::default()
                    })
                    .map(|_| ()),
                2 => app
                    .timer_start(TimerStartInput {
                        project_id: 2,
                        description: Some(format!("app timer {i}")),
                        ..Default::default()
                    })
                    .map(|_| ()),
                _ => app.timer_discard(None).map(|_| ()),
            };
            if let Err(e) = r {
                panic!("app write {i} failed: {:?}", e.to_body());
            }
            app.entries(Default::default()).unwrap_or_else(|e| panic!("app read {i} failed: {:?}", e.to_body()));
            i += 1;
        }
        app.invoice_from_time(billable_app::FromTimeInput { client_id: 2, ..Default::default() })
            .unwrap_or_else(|e| panic!("app invoice failed: {:?}", e.to_body()));
        i
    });
    let cli: Vec<_> = (0..2).map(|w| cli_writer(b.db.clone(), w, CLI_EACH)).collect();
    for w in cli {
        w.join().expect("a CLI writer failed");
    }
    cli_done.store(true, Ordering::SeqCst);
    let app_writes = app.join().expect("the app's writer failed");
    eprintln!("app and cli: {app_writes} app writes while the CLI made {}", 2 * CLI_EACH);

    let seen = check::books_at(&b.db, NOW, "app and cli");
    let cli_entries = seen.entries.iter().filter(|e| e.entry.description.starts_with("cli ")).count();
    let app_entries: Vec<_> = seen.entries.iter().filter(|e| e.entry.description.starts_with("app entry ")).collect();
    assert_eq!(cli_entries, 2 * CLI_EACH, "every CLI write is there");
    assert_eq!(app_entries.len(), app_writes / 2, "every app write is there");
    assert!(app_entries.iter().all(|e| e.entry.invoice_id.is_some()), "the app's invoice billed its entries");
    assert_eq!(seen.invoices.len(), 1);
    assert!(seen.timers.is_empty(), "the app discarded its last timer");
    let backups = std::fs::read_dir(b.db.with_file_name("backups")).map(|d| d.count()).unwrap_or(0);
    assert!(backups >= 2, "the day's automatic backup was made meanwhile ({backups} backups)");
}

fn at(seconds: i64) -> String {
    let t0: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(NOW).unwrap();
    (t0 + Duration::seconds(seconds)).to_rfc3339()
}

/// One process starts a timer (at t0) while another stops the timer (at
/// t0 + 30 min), over and over, with and without a timer already running
/// since t0 − 1 h. The result must be one of the two serial orders, never a
/// mix: never two running timers, never a timer lost without its entry.
#[test]
fn starting_a_timer_while_another_process_stops_it_leaves_one_consistent_state() {
    const RACES: u64 = 40;
    let pristine = Books::new().at(NOW);
    pristine.ok(&["backup", "settings", "--automatic", "off"]);
    pristine.ok(&["client", "add", "Acme GmbH"]);
    pristine.ok(&["project", "add", "Website", "--client", "1", "--rate", "100"]);
    let mut seed = crate::crash::seed("timer start/stop race");
    let mut orders = [0u32; 2];
    for race in 0..RACES {
        let ctx = format!("race {race} (seed {seed})");
        let b = crate::crash::copy_of(&pristine);
        let running_before = race % 2 == 1;
        if running_before {
            b.seen_at(&at(-3600)).ok(&["timer", "start", "--project", "1", "-d", "earlier"]);
        }
        let starter = b.seen_at(&at(0));
        let stopper = b.seen_at(&at(1800));
        let start = || starter.command(&["--json", "timer", "start", "--project", "1", "-d", "new"]);
        let stop = || stopper.command(&["--json", "timer", "stop"]);
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let pause = std::time::Duration::from_micros((seed >> 33) % 20_000);
        let (mut first, mut second) = if race % 4 < 2 { (start(), stop()) } else { (stop(), start()) };
        let a = first.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        thread::sleep(pause);
        let c = second.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let (a, c) = (a.wait_with_output().unwrap(), c.wait_with_output().unwrap());
        let (started, stopped) = if race % 4 < 2 { (a, c) } else { (c, a) };
        for o in [&started, &stopped] {
            let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
            assert!(!text.contains("locked") && !text.contains("busy"), "{ctx}: {text}");
        }
        assert!(started.status.success(), "{ctx}: the start failed: {}", String::from_utf8_lossy(&started.stdout));

        let seen = check::books_at(&b.db, &at(3600), &ctx);
        let mut seconds: Vec<i64> = seen.entries.iter().map(|e| e.entry.seconds).collect();
        seconds.sort();
        let running: Vec<_> = seen.timers.iter().map(|t| (t.timer.description.as_str(), t.timer.started_at)).collect();
        let t0 = DateTime::parse_from_rfc3339(&at(0)).unwrap().to_utc();
        // Start first: the stop ends the new timer after 30 min.
        // Stop first: the new timer keeps running from t0.
        let start_first = if running_before { vec![1800, 3600] } else { vec![1800] };
        let stop_first = if running_before { vec![5400] } else { vec![] };
        if stopped.status.success() && seconds == start_first && running.is_empty() {
            orders[0] += 1;
        } else if running == [("new", t0)] && seconds == stop_first {
            orders[1] += 1;
            assert_eq!(stopped.status.success(), running_before, "{ctx}: the stop's exit status");
        } else {
            panic!("{ctx}: not a serial outcome: entries {seconds:?}, running {running:?}, stop ok {}", stopped.status);
        }
    }
    eprintln!("timer race: {RACES} races; start first {}, stop first {}", orders[0], orders[1]);
    assert!(orders[0] > 0 && orders[1] > 0, "both orders must occur for the race to test anything: {orders:?}");
}

/// Runs the same command in two processes at once.
fn twice_at_once(b: &Books, args: &[&str]) -> [std::process::Output; 2] {
    let spawn = || b.command(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (x, y) = (spawn(), spawn());
    [x.wait_with_output().unwrap(), y.wait_with_output().unwrap()]
}

/// The one that won and the error of the one that lost.
fn one_wins(outs: &[std::process::Output; 2], ctx: &str) -> serde_json::Value {
    let won: Vec<bool> = outs.iter().map(|o| o.status.success()).collect();
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{ctx}: exactly one of the two succeeds");
    let lost = &outs[usize::from(won[0])];
    let v: serde_json::Value = serde_json::from_slice(&lost.stdout).unwrap();
    v["error"].clone()
}

/// Two processes bill the same time, then pay the same balance, at the same
/// moment: one wins, the other is told there is nothing left; no entry is
/// billed twice and no invoice is paid twice.
#[test]
fn the_same_time_billed_or_the_same_balance_paid_twice_at_once_counts_once() {
    const RACES: usize = 10;
    let pristine = Books::new().at(NOW);
    pristine.ok(&["backup", "settings", "--automatic", "off"]);
    pristine.ok(&["client", "add", "Acme GmbH"]);
    pristine.ok(&["project", "add", "Website", "--client", "1", "--rate", "100"]);
    for d in 1..=5 {
        pristine.ok(&["time", "add", "--project", "1", "--date", &format!("2026-05-0{d}"), "--hours", "1.5"]);
    }
    for race in 0..RACES {
        let ctx = format!("race {race}");
        let b = crate::crash::copy_of(&pristine);
        let e = one_wins(&twice_at_once(&b, &["--json", "invoice", "from-time", "--client", "1"]), &ctx);
        assert_eq!(e["field"], "entries", "{ctx}: the loser finds nothing left to bill: {e}");
        let seen = check::books_at(&b.db, NOW, &ctx);
        assert_eq!((seen.invoices.len(), seen.billed()), (1, 5), "{ctx}: one invoice, every entry billed once");
        let number = seen.invoices[0].invoice.number.clone();
        b.ok(&["invoice", "mark-sent", &number]);

        let e = one_wins(&twice_at_once(&b, &["--json", "payment", "add", &number]), &ctx);
        assert_eq!(e["code"], "conflict", "{ctx}: the loser finds nothing left to pay: {e}");
        let seen = check::books_at(&b.db, NOW, &ctx);
        let v = &seen.invoices[0];
        assert_eq!(v.payments.len(), 1, "{ctx}: paid once");
        assert_eq!((v.invoice.status.to_string().as_str(), v.invoice.amount_paid), ("paid", v.invoice.total), "{ctx}");
    }
}
