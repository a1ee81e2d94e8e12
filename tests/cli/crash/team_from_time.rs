//! kill -9 while an invoice is made from time on team books (PostgreSQL):
//! the killed command's connection drops and the server finishes its
//! transaction — committed whole or rolled back whole. Afterwards the
//! invoice exists with every line and every entry billed once, or it does
//! not exist and no entry is billed; the same command then bills
//! everything exactly once. The checks are the SQLite suite's
//! ([`check::books`]), on the team books.
//!
//! Each trial works on its own database, a copy of the prepared books
//! (`CREATE DATABASE … TEMPLATE`). `BILLABLE_PG_TRIALS` sets the number of
//! trials (default 50); `make reliability PG_TRIALS=500` runs more.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{check, Trials, NOW};
use crate::support::{s, Books};

const ENTRIES: usize = 120;
const ARGS: [&str; 10] =
    ["invoice", "from-time", "--client", "Acme GmbH", "--group", "entry", "--tax", "1", "--discount", "5%"];

fn trials() -> u64 {
    std::env::var("BILLABLE_PG_TRIALS").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(50)
}

/// The database name at the end of a team books URL.
pub(crate) fn name_of(url: &str) -> String {
    url.rsplit('/').next().unwrap().to_string()
}

/// Waits until no connection to `db` is left on the server but ours: the
/// killed command's backend has noticed its client is gone and finished
/// its transaction.
pub(crate) fn settled(db: &str) {
    let mut admin = billable_pgtest::server().admin();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let row = admin
            .query_one("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", &[&db])
            .unwrap();
        if row.get::<_, i64>(0) == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "connections to {db} are still open after 30 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A fresh copy of the prepared team books, in a database of its own.
fn copy_of(pristine: &str, n: &mut u32) -> Books {
    *n += 1;
    let name = format!("{pristine}_t{n}");
    settled(pristine);
    let mut admin = billable_pgtest::server().admin();
    admin
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {pristine} STRATEGY FILE_COPY"))
        .expect("copy the team books");
    let url = billable_pgtest::server().url(billable_pgtest::USER, &name);
    Books { db: PathBuf::from(url), ..Books::new().at(NOW) }
}

fn drop_copy(b: &Books) {
    let name = name_of(b.db.to_str().unwrap());
    settled(&name);
    billable_pgtest::server().admin().batch_execute(&format!("DROP DATABASE {name}")).expect("drop a trial's books");
}

#[test]
fn killing_invoice_from_time_on_team_books_never_leaves_half_an_invoice() {
    let trials = trials();
    let pristine = Books::team().at(NOW);
    pristine.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    pristine.ok(&["tax", "add", "VAT 19%", "--percent", "19"]);
    let mut csv = String::from("date,client,project,description,hours\n");
    for i in 0..ENTRIES {
        let quarters = (1 + i % 7) * 25;
        csv.push_str(&format!(
            "2026-06-{:02},Acme GmbH,Website,work item {i},{}.{:02}\n",
            1 + i % 30,
            quarters / 100,
            quarters % 100
        ));
    }
    let file = pristine._dir.path().join("seed.csv");
    std::fs::write(&file, csv).unwrap();
    let imported = pristine.ok(&["import", file.to_str().unwrap(), "--source", "generic"]);
    assert_eq!(imported["entries"].as_u64(), Some(ENTRIES as u64), "{imported}");
    pristine.ok(&["project", "edit", "1", "--rate", "95.50"]);
    let template = name_of(pristine.db.to_str().unwrap());
    let mut n = 0;

    let probe = copy_of(&template, &mut n);
    let expected = probe.ok(&ARGS);
    let expected_total = s(&expected["total"]);
    assert_eq!(expected["lines"].as_array().unwrap().len(), ENTRIES);
    drop_copy(&probe);

    let mut probes = Vec::new();
    let mut t = Trials::new("invoice from-time on team books", trials, || {
        let b = copy_of(&template, &mut n);
        let c = b.command(&ARGS);
        probes.push(b.db.clone());
        (b, c)
    });
    for db in probes {
        drop_copy(&Books { db, ..Books::new() });
    }
    let (mut before, mut after) = (0, 0);
    for trial in 0..trials {
        let b = copy_of(&template, &mut n);
        let (ctx, _) = t.kill(trial, b.command(&ARGS));
        settled(&name_of(b.db.to_str().unwrap()));
        let seen = check::books(&b.db, &ctx);
        assert_eq!(seen.entries.len(), ENTRIES, "{ctx}: no entry lost");
        match seen.invoices.len() {
            0 => {
                before += 1;
                assert_eq!(seen.billed(), 0, "{ctx}: entries billed without an invoice");
                let inv = b.ok(&ARGS);
                assert_eq!(s(&inv["total"]), expected_total, "{ctx}: the retry");
                assert_eq!(inv["number"], expected["number"], "{ctx}: the retry takes the number the kill gave back");
            }
            1 => {
                after += 1;
                assert_eq!(seen.invoices[0].invoice.number, expected["number"].as_str().unwrap(), "{ctx}");
                let again = b.fails(&ARGS);
                assert_eq!(again["field"], "entries", "{ctx}: entries cannot be billed twice");
            }
            n => panic!("{ctx}: {n} invoices from one command"),
        }
        let seen = check::books(&b.db, &ctx);
        assert_eq!(seen.invoices.len(), 1, "{ctx}");
        let inv = &seen.invoices[0];
        assert_eq!(inv.lines.len(), ENTRIES, "{ctx}: one line per entry");
        assert_eq!(seen.billed(), ENTRIES, "{ctx}: every entry billed, once");
        assert_eq!(inv.invoice.total.to_string(), expected_total, "{ctx}");
        drop_copy(&b);
    }
    t.report(before, after);
    assert!(after > 0, "no kill landed after the commit; the other half was not tested");
}
