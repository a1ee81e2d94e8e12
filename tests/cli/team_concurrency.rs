//! Team books under load: five `billable` processes at once against one
//! PostgreSQL database (a real server the tests start), each as its own team
//! member, each running its own timer: time entries added, the timer started
//! and stopped, invoices made from the time, sent and paid in two payments.
//! No command shows an error, invoice numbers are unique and without gaps,
//! every entry is billed exactly once, and every stored total and rollup
//! equals a fresh computation (the checks of the SQLite crash suite, run on
//! the team books).
//!
//! `BILLABLE_PG_OPS` sets the operations per process (default 50, rounded
//! up to blocks of 10); `make reliability PG_OPS=500` runs more.

use std::path::PathBuf;
use std::thread;

use chrono::{DateTime, Duration, FixedOffset};

use crate::crash::check;
use crate::support::Books;

const NOW: &str = "2026-06-01T09:00:00+02:00";
const PROCESSES: usize = 5;
/// The operations of one block: timer start, four entries, timer stop,
/// invoice from time, mark sent, a part payment, the rest.
const BLOCK: usize = 10;

fn blocks() -> usize {
    let ops: usize = std::env::var("BILLABLE_PG_OPS").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(50);
    ops.div_ceil(BLOCK).max(1)
}

fn at(minutes: usize) -> String {
    let t0: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(NOW).unwrap();
    (t0 + Duration::minutes(minutes as i64)).to_rfc3339()
}

/// What one process saw: the commands that failed and the invoices it made.
struct Outcome {
    failures: Vec<String>,
    numbers: Vec<String>,
    calls: usize,
}

fn worker(url: PathBuf, p: usize, project: String, blocks: usize) -> thread::JoinHandle<Outcome> {
    thread::spawn(move || {
        let member = format!("Member {p}");
        let client = format!("Client {p}");
        let (mut failures, mut numbers, mut calls) = (Vec::new(), Vec::new(), 0);
        let mut minute = 0;
        let mut run = |args: &[&str]| -> Option<serde_json::Value> {
            minute += 1;
            calls += 1;
            let books = Books { db: url.clone(), ..Books::new().at(&at(minute)) };
            let mut all = vec!["--json"];
            all.extend_from_slice(args);
            let o = books.output(&all);
            let stdout = String::from_utf8_lossy(&o.stdout).to_string();
            let stderr = String::from_utf8_lossy(&o.stderr).to_string();
            if !o.status.success() || stdout.contains("\"error\"") || !stderr.trim().is_empty() {
                failures.push(format!("process {p}: billable {args:?}: {stdout} {stderr}"));
                return None;
            }
            serde_json::from_str(&stdout).ok()
        };
        for b in 0..blocks {
            let timer = format!("timer {p}.{b}");
            run(&["timer", "start", "--project", &project, "--member", &member, "-d", &timer]);
            for j in 1..=4 {
                let hours = ["0.25", "0.5", "0.75", "1"][j - 1];
                let date = format!("2026-05-{:02}", 1 + (b * 4 + j) % 28);
                let d = format!("entry {p}.{b}.{j}");
                run(&[
                    "time",
                    "add",
                    "--project",
                    &project,
                    "--member",
                    &member,
                    "--date",
                    &date,
                    "--hours",
                    hours,
                    "-d",
                    &d,
                ]);
            }
            run(&["timer", "stop", "--member", &member]);
            let Some(inv) = run(&["invoice", "from-time", "--client", &client]) else { continue };
            let number = inv["number"].as_str().unwrap_or_default().to_string();
            numbers.push(number.clone());
            run(&["invoice", "mark-sent", &number]);
            run(&["payment", "add", &number, "--amount", "10", "--method", "bank transfer"]);
            run(&["payment", "add", &number]);
        }
        Outcome { failures, numbers, calls }
    })
}

#[test]
fn five_processes_writing_team_books_at_once_lose_nothing_and_bill_once() {
    let b = Books::team().at(NOW);
    b.ok(&["tax", "add", "VAT 19%", "--percent", "19"]);
    let mut projects = Vec::new();
    for p in 0..PROCESSES {
        b.ok(&["member", "add", &format!("Member {p}")]);
        b.ok(&["client", "add", &format!("Client {p}"), "--currency", "EUR"]);
        let rate = format!("{}.50", 80 + p * 10);
        let project = b.ok(&["project", "add", "Work", "--client", &format!("Client {p}"), "--rate", &rate]);
        projects.push(project["id"].to_string());
    }
    let blocks = blocks();
    let started = std::time::Instant::now();
    let workers: Vec<_> =
        projects.iter().enumerate().map(|(p, project)| worker(b.db.clone(), p, project.clone(), blocks)).collect();
    let outcomes: Vec<Outcome> = workers.into_iter().map(|w| w.join().expect("a process's thread")).collect();
    let took = started.elapsed();
    let calls: usize = outcomes.iter().map(|o| o.calls).sum();
    eprintln!("team books: {PROCESSES} processes × {} operations ({calls} commands) in {took:.1?}", blocks * BLOCK);
    let failures: Vec<&String> = outcomes.iter().flat_map(|o| &o.failures).collect();
    assert!(failures.is_empty(), "{} commands failed; the first: {}", failures.len(), failures[0]);
    assert_eq!(calls, PROCESSES * blocks * BLOCK);

    // Numbers: unique and without gaps, each made by one process.
    let invoices = PROCESSES * blocks;
    let mut numbers: Vec<String> = outcomes.iter().flat_map(|o| o.numbers.clone()).collect();
    numbers.sort();
    let expected: Vec<String> = (1..=invoices).map(|n| format!("INV-2026-{n:04}")).collect();
    assert_eq!(numbers, expected, "invoice numbers unique and gap-free");

    // The books whole: every entry billed once, on a line of its own
    // invoice; stored totals the engine's; payments adding up; rollups exact.
    let seen = check::books_at(&b.db, &at(10_000), "five processes");
    assert_eq!(seen.invoices.len(), invoices);
    assert_eq!(seen.entries.len(), invoices * 5, "four entries and a timer's per block");
    assert_eq!(seen.billed(), seen.entries.len(), "every entry billed, once");
    assert!(seen.timers.is_empty(), "every timer stopped");
    for v in &seen.invoices {
        let n = &v.invoice.number;
        assert_eq!(v.invoice.status.to_string(), "paid", "{n}");
        assert_eq!(v.payments.len(), 2, "{n}: a part payment and the rest");
        let client = v.invoice.client_id;
        let billed: Vec<_> = seen.entries.iter().filter(|e| e.entry.invoice_id == Some(v.invoice.id)).collect();
        assert_eq!(billed.len(), 5, "{n}: the five entries of one block");
        assert!(billed.iter().all(|e| e.entry.client_id == client), "{n}: only its client's time");
    }
}
