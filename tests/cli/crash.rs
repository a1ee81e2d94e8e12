//! kill -9 in the middle of creating an invoice from time: after restart no
//! half invoice exists, no entry is billed twice, no entry is lost.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::{s, Books};
use rusqlite::Connection;

const ENTRIES: i64 = 3000;
const TRIALS: u64 = 24;

/// Books with one client and ENTRIES unbilled entries (seeded in one SQL
/// transaction for speed; the schema itself comes from the CLI).
fn seeded() -> Books {
    let b = Books::new().at("2026-07-01T09:00:00+02:00");
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    b.ok(&["project", "add", "Website", "--client", "1", "--rate", "95.50"]);
    let mut c = Connection::open(&b.db).unwrap();
    let tx = c.transaction().unwrap();
    {
        let mut st = tx
            .prepare(
                "INSERT INTO time_entries (member_id, client_id, project_id, work_date, seconds, description, billable, created_at)
                 VALUES (1, 1, 1, ?1, ?2, ?3, 1, 0)",
            )
            .unwrap();
        for i in 0..ENTRIES {
            let day = format!("2026-06-{:02}", 1 + i % 30);
            st.execute(rusqlite::params![day, 600 + (i * 37) % 7200, format!("work item {i}")]).unwrap();
        }
    }
    tx.commit().unwrap();
    b
}

/// A small deterministic generator for kill delays (no randomness crate
/// needed; the seed is printed so a failure can be replayed).
fn next(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    *seed >> 33
}

fn check_consistent(b: &Books, trial: u64) -> bool {
    let c = Connection::open(&b.db).unwrap();
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok", "trial {trial}: integrity");
    let entries: i64 = c.query_row("SELECT count(*) FROM time_entries", [], |r| r.get(0)).unwrap();
    assert_eq!(entries, ENTRIES, "trial {trial}: no entry lost");
    let invoices: i64 = c.query_row("SELECT count(*) FROM invoices", [], |r| r.get(0)).unwrap();
    let billed: i64 =
        c.query_row("SELECT count(*) FROM time_entries WHERE invoice_id IS NOT NULL", [], |r| r.get(0)).unwrap();
    let lines: i64 = c.query_row("SELECT count(*) FROM invoice_lines", [], |r| r.get(0)).unwrap();
    let orphans: i64 = c
        .query_row(
            "SELECT count(*) FROM time_entries e LEFT JOIN invoice_lines l ON l.id = e.invoice_line_id
             WHERE e.invoice_id IS NOT NULL AND (l.id IS NULL OR l.invoice_id <> e.invoice_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "trial {trial}: every billed entry points at a line of its invoice");
    match invoices {
        0 => {
            assert_eq!((billed, lines), (0, 0), "trial {trial}: nothing half-written");
            false
        }
        1 => {
            assert_eq!(billed, ENTRIES, "trial {trial}: the invoice billed every entry, once");
            assert_eq!(lines, ENTRIES, "trial {trial}: one line per entry");
            true
        }
        n => panic!("trial {trial}: {n} invoices from one command"),
    }
}

#[test]
fn killing_invoice_from_time_never_leaves_half_an_invoice() {
    let pristine = seeded();
    let args = ["invoice", "from-time", "--client", "1", "--group", "entry"];

    // How long an undisturbed run takes, to aim the kills inside it.
    let probe = Books::new();
    std::fs::copy(&pristine.db, &probe.db).unwrap();
    let t0 = Instant::now();
    let done = probe.ok(&args);
    let full = t0.elapsed();
    let expected_total = s(&done["total"]);
    assert_eq!(done["lines"].as_array().unwrap().len() as i64, ENTRIES);

    let mut seed = 0x5eed_u64;
    let (mut killed_before, mut completed) = (0, 0);
    for trial in 0..TRIALS {
        let b = Books::new().at("2026-07-01T09:00:00+02:00");
        std::fs::copy(&pristine.db, &b.db).unwrap();
        let max = full.as_micros() as u64 * 12 / 10 + 1;
        let delay = Duration::from_micros(next(&mut seed) % max);
        let mut child = b.command(&args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        child.wait().unwrap();

        if check_consistent(&b, trial) {
            completed += 1;
            let again = b.fails(&args);
            assert_eq!(again["field"], "entries", "trial {trial}: entries cannot be billed twice");
        } else {
            killed_before += 1;
            // After the crash the same command bills everything, exactly once.
            let inv = b.ok(&args);
            assert_eq!(s(&inv["total"]), expected_total, "trial {trial}");
            assert!(check_consistent(&b, trial));
        }
        // Stored totals equal a fresh computation by the engine.
        let shown = b.ok(&["invoice", "show", "1"]);
        assert_eq!(s(&shown["total"]), s(&shown["totals"]["total"]), "trial {trial}");
        assert_eq!(s(&shown["total"]), expected_total, "trial {trial}");
    }
    eprintln!(
        "crash trials: {TRIALS} (full run {:?}): {killed_before} killed before commit, {completed} completed",
        full
    );
    assert!(killed_before > 0, "no kill landed inside the transaction; the test did not test anything");
}
