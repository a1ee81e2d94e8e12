//! `billable dev seed`: generated books, checked through the real binary
//! and the real SQLite file — counts as asked, a sound file, every entry
//! billed at most once and by the line of its own invoice, stored totals
//! equal to the engine's fresh computation, recent time unbilled.

use rusqlite::{Connection, OpenFlags};

use crate::support::{s, snapshot, Books};

const NOW: &str = "2026-11-20T10:00:00Z";
const SMALL: &[&str] =
    &["--entries", "2000", "--clients", "10", "--projects", "30", "--invoices", "150", "--years", "2", "--seed", "7"];

fn seed(b: &Books, out: &std::path::Path) -> serde_json::Value {
    let mut args = vec!["dev", "seed", "--out", out.to_str().unwrap()];
    args.extend_from_slice(SMALL);
    b.ok(&args)
}

fn count(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn generated_books_are_sound_and_their_invoices_are_the_engines() {
    let b = Books::new().at(NOW);
    let out = b._dir.path().join("generated.db");
    let done = seed(&b, &out);
    assert_eq!(done["entries"], 2000);
    assert_eq!(done["invoices"], 150);
    assert_eq!(done["clients"], 10);
    assert_eq!(done["projects"], 30);
    assert_eq!(done["today"], "2026-11-20");
    // The books named by --db were never created: dev tools do not open them.
    assert!(!b.db.exists());

    let c = Connection::open_with_flags(&out, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let integrity: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    assert_eq!(count(&c, "SELECT count(*) FROM time_entries"), 2000);
    assert_eq!(count(&c, "SELECT count(*) FROM invoices"), 150);
    assert_eq!(count(&c, "SELECT count(*) FROM clients"), 10);
    assert_eq!(count(&c, "SELECT count(*) FROM projects"), 30);
    assert_eq!(count(&c, "SELECT count(*) FROM time_entries WHERE work_date > '2026-11-20'"), 0);
    assert_eq!(count(&c, "SELECT count(*) FROM time_entries WHERE work_date < '2024-11-21'"), 0);
    // Several currencies, with addresses.
    assert!(count(&c, "SELECT count(DISTINCT currency) FROM clients") >= 4);
    assert_eq!(count(&c, "SELECT count(*) FROM clients WHERE street = '' OR city = '' OR postcode = ''"), 0);

    // Each billed entry is linked to a line of its own invoice, of its own
    // client, billable, and no cancelled invoice holds time.
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM time_entries e JOIN invoice_lines l ON l.id = e.invoice_line_id
             JOIN invoices i ON i.id = e.invoice_id
             WHERE l.invoice_id <> e.invoice_id OR i.client_id <> e.client_id OR e.billable = 0
                OR i.status = 'cancelled'"
        ),
        0
    );
    assert_eq!(
        count(&c, "SELECT count(*) FROM time_entries WHERE invoice_id IS NOT NULL AND invoice_line_id IS NULL"),
        0
    );
    // Every line made from time bills entries (unless its invoice was cancelled).
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
             WHERE i.status <> 'cancelled'
               AND NOT EXISTS (SELECT 1 FROM time_entries e WHERE e.invoice_line_id = l.id)"
        ),
        0
    );
    // Most older time is billed; the last four weeks are not.
    let billed = count(&c, "SELECT count(*) FROM time_entries WHERE invoice_id IS NOT NULL");
    assert_eq!(done["billed_entries"], billed);
    assert!(billed > 1500, "{billed} of 2000 billed");
    assert_eq!(
        count(&c, "SELECT count(*) FROM time_entries WHERE work_date > '2026-10-23' AND invoice_id IS NOT NULL"),
        0
    );
    assert!(count(&c, "SELECT count(*) FROM time_entries WHERE work_date > '2026-10-23'") > 0);
    // Statuses are mixed; payments add up to what each invoice says was paid.
    let statuses = count(&c, "SELECT count(DISTINCT status) FROM invoices");
    assert!(statuses >= 4, "{statuses} statuses");
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM invoices i
             WHERE paid_minor <> (SELECT COALESCE(SUM(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id)
                OR balance_minor <> total_minor - paid_minor"
        ),
        0
    );
    // The time report's rollup equals the entries.
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM (
                SELECT work_date, project_id, client_id, member_id, task_id, rate, billable, seconds, entries
                FROM time_daily
                EXCEPT
                SELECT work_date, project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''),
                       billable, SUM(seconds), COUNT(*)
                FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6, 7)"
        ),
        0
    );

    // Every invoice's stored totals equal the engine's fresh computation.
    let mut st = c.prepare("SELECT number FROM invoices ORDER BY id").unwrap();
    let numbers: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let generated = Books { _dir: tempfile::tempdir().unwrap(), db: out.clone(), now: Some(NOW.into()) };
    let mut overdue = 0;
    for n in &numbers {
        let v = generated.ok(&["invoice", "show", n]);
        let inv = &v;
        let t = &v["totals"];
        assert_eq!(s(&inv["subtotal"]), s(&t["subtotal"]), "{n}");
        assert_eq!(s(&inv["discount_amount"]), s(&t["discount"]), "{n}");
        assert_eq!(s(&inv["tax_total"]), s(&t["tax_total"]), "{n}");
        assert_eq!(s(&inv["total"]), s(&t["total"]), "{n}");
        for (line, lt) in v["lines"].as_array().unwrap().iter().zip(t["lines"].as_array().unwrap()) {
            assert_eq!(s(&line["amount"]), s(&lt["net"]), "{n}");
        }
        overdue += usize::from(v["display_status"] == "overdue");
    }
    assert!(overdue > 0, "some invoices are overdue");
}

#[test]
fn the_same_seed_gives_the_same_books_and_an_existing_file_is_refused() {
    let b = Books::new().at(NOW);
    let first = b._dir.path().join("a.db");
    let second = b._dir.path().join("b.db");
    seed(&b, &first);
    seed(&b, &second);
    let before = snapshot(&first);
    assert_eq!(before, snapshot(&second));

    let mut args = vec!["dev", "seed", "--out", first.to_str().unwrap()];
    args.extend_from_slice(SMALL);
    let e = b.fails(&args);
    assert_eq!(e["field"], "out");
    assert!(s(&e["message"]).contains("already exists"), "{e}");
    assert_eq!(snapshot(&first), before);

    let third = b._dir.path().join("c.db");
    let e = b.fails(&["dev", "seed", "--out", third.to_str().unwrap(), "--clients", "50", "--projects", "20"]);
    assert_eq!(e["field"], "projects");
    assert!(!third.exists(), "nothing is written for refused figures");
}
