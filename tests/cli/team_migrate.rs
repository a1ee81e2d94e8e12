//! `billable team migrate --from FILE --to URL`: one user's books file moved
//! into team books on a real PostgreSQL server (started by the tests). The
//! proof is the books' own JSON export, identical from the file and from the
//! team books; then the team books go on where the file left off. Refused
//! migrations write nothing, on either side.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::mail::mail_server::PASSWORD;
use crate::mail::Mail;
use crate::support::{billable_bin, Books};

/// The clock of the hand-made books (the mail harness's).
const NOW: &str = "2026-05-10T09:00:00+02:00";

fn billable(args: &[&str], now: &str) -> std::process::Output {
    Command::new(billable_bin())
        .env_remove("BILLABLE_DB")
        .env("BILLABLE_NOW", now)
        .env("TZ", crate::support::posix_zone(now))
        .args(args)
        .output()
        .expect("run billable")
}

/// `billable --json team migrate`: (succeeded, its JSON).
fn migrate(from: &Path, to: &str, now: &str) -> (bool, Value) {
    let out = billable(&["--json", "team", "migrate", "--from", from.to_str().unwrap(), "--to", to], now);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "team migrate printed no JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), v)
}

fn migrated(from: &Path, to: &str, now: &str) -> Value {
    let (ok, v) = migrate(from, to, now);
    assert!(ok, "team migrate failed: {v}");
    v
}

fn refused(from: &Path, to: &str, now: &str) -> Value {
    let (ok, v) = migrate(from, to, now);
    assert!(!ok, "team migrate should have been refused: {v}");
    v["error"].clone()
}

/// The books' JSON export (`billable export books`) of a file or of team books.
fn export(db: &str, now: &str) -> Value {
    let out = billable(&["--db", db, "export", "books"], now);
    assert!(out.status.success(), "export books of {db} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("the export is JSON")
}

/// The first table and row where two exports differ, for a readable failure.
fn first_difference(a: &Value, b: &Value) -> String {
    for (name, rows) in a["tables"].as_object().unwrap() {
        let other = &b["tables"][name];
        if rows != other {
            let (x, y) = (rows.as_array().unwrap(), other.as_array().map(Vec::as_slice).unwrap_or_default());
            let at = x.iter().zip(y).position(|(p, q)| p != q).unwrap_or(x.len().min(y.len()));
            return format!(
                "{name}: {} rows vs {}; first difference at row {at}: {:?} vs {:?}",
                x.len(),
                y.len(),
                x.get(at),
                y.get(at)
            );
        }
    }
    "the tables are equal; the header differs".into()
}

fn assert_same_books(file: &Value, team: &Value, ctx: &str) {
    assert!(file == team, "{ctx}: the exports differ: {}", first_difference(file, team));
}

/// Rows of a team books query through psql (`a|b` per row).
fn psql(url: &str, sql: &str) -> String {
    let (ok, out, err) = billable_pgtest::server().psql(url, sql);
    assert!(ok, "psql {sql}: {err}");
    out.trim().to_string()
}

fn team(url: &str, now: &str) -> Books {
    Books { db: PathBuf::from(url), ..Books::new().at(now) }
}

fn file_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// Hand-made books with every kind of row: the business, tax rates, clients
/// in two currencies, members, hourly, fixed-price and retainer projects,
/// tasks, time billed, unbilled, non-billable, imported (with its row hash)
/// and invoiced outside Billable, a running timer, invoices from time and
/// by hand (sent, partly paid, paid, cancelled, a deleted draft), a credit
/// note with a refund, an estimate turned into a deposit, an expense with a
/// receipt, a recurring profile, reminders with a late fee, saved items,
/// account codes, a client payment with credit, and the outbox (one email
/// sent to a real SMTP server, one waiting while the server is down).
fn hand_made_books() -> Mail {
    let m = Mail::new();
    let server = m.server(None);
    m.setup(server.port, PASSWORD);
    m.ok(&[
        "business",
        "set",
        "--name",
        "Studio Nord",
        "--street",
        "Hafenstraße 12",
        "--postcode",
        "20457",
        "--city",
        "Hamburg",
        "--country",
        "DE",
        "--currency",
        "EUR",
        "--iban",
        "DE89370400440532013000",
        "--vat-id",
        "DE123456789",
    ]);
    m.ok(&["tax", "add", "VAT 19%", "--percent", "19"]);
    m.ok(&["tax", "add", "Reduced", "--percent", "7"]);
    m.ok(&["client", "add", "Tokyo KK", "--currency", "JPY", "--email", "ap@tokyo.example"]);
    m.ok(&["member", "add", "Ana Lima", "--email", "ana@studio.example", "--rate", "90"]);
    m.ok(&["project", "add", "Website", "--client", "Acme GmbH", "--rate", "120", "--rounding", "up:15"]);
    m.ok(&["project", "add", "Brand book", "--client", "Acme GmbH", "--billing", "fixed_price", "--budget", "4000"]);
    m.ok(&["project", "add", "Care", "--client", "Tokyo KK", "--billing", "retainer", "--budget", "50000"]);
    m.ok(&["task", "add", "Design", "--project", "Website", "--rate", "130.50"]);
    m.ok(&["project", "retainer", "3", "--period", "quarterly"]);
    let tricky = "Call with \\ \"Ana\" — ü € 日本 \\N";
    for (date, hours, more) in [
        ("2026-05-04", "2.5", vec!["-d", tricky]),
        ("2026-05-05", "1.25", vec!["--task", "Design", "-d", "Wireframes"]),
        ("2026-05-06", "0.75", vec!["--member", "Ana Lima", "-d", "Review"]),
        ("2026-05-06", "1", vec!["--non-billable", "-d", "Internal"]),
        ("2026-05-07", "3", vec!["-d", "Later"]),
    ] {
        let mut args = vec!["time", "add", "--project", "Website", "--date", date, "--hours", hours];
        args.extend(more);
        m.ok(&args);
    }
    m.ok(&["time", "add", "--project", "Care", "--date", "2026-05-05", "--hours", "2", "-d", "Support"]);
    let csv = m.db().with_file_name("toggl.csv");
    std::fs::write(
        &csv,
        "date,client,project,description,hours\n2026-05-01,Acme GmbH,Website,Imported one,1.5\n\
         2026-05-02,Acme GmbH,Website,Imported two,0.5\n",
    )
    .unwrap();
    m.ok(&["import", csv.to_str().unwrap(), "--source", "generic"]);
    let outside =
        m.ok(&["time", "add", "--project", "Website", "--date", "2026-05-03", "--hours", "1"])["id"].to_string();
    m.ok(&["time", "mark-invoiced", &outside, "--reference", "OLD-17"]);

    // Invoices: from time (sent, partly paid), by hand (paid, then a credit
    // note with a refund), cancelled, and a draft deleted.
    let from_time = m.ok(&["invoice", "from-time", "--client", "Acme GmbH", "--to", "2026-05-06", "--tax", "1"]);
    let first = from_time["number"].as_str().unwrap().to_string();
    m.ok(&["invoice", "mark-sent", &first]);
    m.ok(&["payment", "add", &first, "--amount", "100", "--method", "bank transfer"]);
    let by_hand = m.ok(&[
        "invoice",
        "create",
        "--client",
        "Acme GmbH",
        "--project",
        "Brand book",
        "--line",
        "Logo|1|1500.00|pcs||1",
        "--line",
        "Guide|2|750.5|pcs|10%|2|Two chapters\nprinted",
        "--discount",
        "5%",
        "--notes",
        "Thank you",
        "--tax-mode",
        "inline",
    ]);
    let second = by_hand["number"].as_str().unwrap().to_string();
    m.ok(&["invoice", "mark-sent", &second]);
    m.ok(&["payment", "add", &second]);
    m.ok(&[
        "credit-note",
        "create",
        &second,
        "--line",
        "2:1",
        "--refund",
        "--method",
        "bank transfer",
        "--reason",
        "One chapter dropped",
    ]);
    let jpy = m.ok(&["invoice", "create", "--client", "Tokyo KK", "--line", "Retainer|1|50000"]);
    let third = jpy["number"].as_str().unwrap().to_string();
    m.ok(&["invoice", "mark-sent", &third]);
    m.ok(&["invoice", "cancel", &third]);
    let draft = m.ok(&["invoice", "create", "--client", "Acme GmbH", "--project", "Website", "--line", "Gone|1|10"]);
    m.ok(&["invoice", "delete", draft["number"].as_str().unwrap()]);
    m.ok(&["invoice", "from-project", "Brand book", "--percent", "25"]);
    m.ok(&["invoice", "from-project", "Care"]);
    m.ok(&["recurring", "create", &second, "--frequency", "monthly", "--start", "2026-06-01", "--max-cycles", "12"]);

    // An estimate accepted and turned into a deposit invoice.
    m.ok(&["estimate", "create", "--client", "Acme GmbH", "--line", "Shop|1|8000|pcs||1", "--tax-mode", "inline"]);
    m.ok(&["estimate", "send", "EST-2026-0001"]);
    m.ok(&["estimate", "accept", "EST-2026-0001"]);
    m.ok(&["estimate", "convert", "EST-2026-0001", "--deposit", "30%"]);

    // An expense with a receipt (a real PNG), billable to the client.
    let receipt = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/icons/32x32.png");
    m.ok(&[
        "expense",
        "add",
        "--date",
        "2026-05-08",
        "--amount",
        "84.20",
        "--vendor",
        "Bahn",
        "--client",
        "Acme GmbH",
        "--billable",
        "--markup",
        "10",
        "--receipt",
        receipt.to_str().unwrap(),
    ]);

    // Client money, saved items, account codes, reminders with a late fee.
    m.ok(&["payment", "receive", "--client", "Acme GmbH", "--amount", "5000", "--method", "bank transfer"]);
    m.ok(&["item", "add", "Hosting", "--rate", "49.90", "--unit", "months", "-d", "Managed hosting", "--tax", "1"]);
    m.ok(&["xero", "map", "default", "200"]);
    m.ok(&["reminders", "schedule", "--client", "Acme GmbH", "--after", "3,10", "--late-fee", "10=5.00"]);

    // Email: one sent, one waiting in the outbox while the server is down.
    let mailed = m.draft();
    m.ok(&["invoice", "send", &mailed]);
    drop(server);
    let waiting = m.draft();
    m.ok(&["invoice", "send", &waiting]);
    m.ok(&["timer", "start", "--project", "Website", "--member", "Ana Lima", "-d", "Running"]);
    // Text with every character COPY escapes (no command takes control
    // characters in a short field, a file may still hold them).
    let c = rusqlite::Connection::open(m.db()).unwrap();
    c.execute(
        "UPDATE business SET default_notes = ?1",
        ["Tab\there, back\\slash, \\N, line\nbreak, return\r, \u{8}\u{b}\u{c}\u{1} — ü € 日本"],
    )
    .unwrap();
    m
}

#[test]
fn a_file_with_every_kind_of_row_moves_into_team_books_and_exports_the_same() {
    let m = hand_made_books();
    let file = m.db();
    let books = file.to_str().unwrap().to_string();
    let before = export(&books, NOW);
    for table in [
        "business",
        "members",
        "tax_rates",
        "clients",
        "projects",
        "project_retainers",
        "fee_invoices",
        "retainer_invoices",
        "tasks",
        "time_entries",
        "running_timers",
        "invoices",
        "invoice_lines",
        "invoice_taxes",
        "payments",
        "client_payments",
        "credit_notes",
        "credit_note_lines",
        "refunds",
        "invoice_activity",
        "number_counters",
        "recurring_profiles",
        "recurring_lines",
        "estimates",
        "estimate_lines",
        "estimate_invoices",
        "expenses",
        "expense_receipts",
        "saved_items",
        "xero_account_rules",
        "reminder_schedules",
        "reminder_late_fees",
        "smtp_settings",
        "outbox",
        "time_daily",
        "time_unbilled",
        "time_worked",
        "invoice_projects",
        "revenue_months",
        "invoice_counts",
        "project_invoice_counts",
    ] {
        let rows = before["tables"][table].as_array().map_or(0, Vec::len);
        assert!(rows > 0, "the hand-made books have rows in {table}");
    }
    let outbox = before["tables"]["outbox"].as_array().unwrap();
    let states: Vec<&str> = outbox.iter().map(|r| r["state"].as_str().unwrap()).collect();
    assert!(states.contains(&"sent") && states.contains(&"queued"), "{states:?}");
    let zero = before["tables"]["invoice_counts"].as_array().unwrap().iter().any(|r| r["invoices"] == 0);
    assert!(zero, "a status whose last invoice left it is kept at zero (the deleted draft)");
    assert!(
        before["tables"]["time_entries"].as_array().unwrap().iter().any(|r| r["import_hash"].is_string()),
        "imported entries carry their row hash"
    );
    let file_before = file_bytes(&file);

    // Into team books made by `team init` (migrate would make them too).
    let url = billable_pgtest::database();
    let init = billable(&["--json", "team", "init", &url], NOW);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stdout));
    let done = migrated(&file, &url, NOW);
    assert_eq!(done["to"], url.as_str(), "{done}");
    assert_eq!(done["copied"]["clients"], 2, "{done}");
    assert_eq!(done["copied"]["time_entries"], before["tables"]["time_entries"].as_array().unwrap().len(), "{done}");
    assert_eq!(done["copied"]["expense_receipts"], 1, "{done}");
    assert_eq!(done["rebuilt"]["time_daily"], before["tables"]["time_daily"].as_array().unwrap().len(), "{done}");
    assert_eq!(done["rebuilt"]["revenue_months"], before["tables"]["revenue_months"].as_array().unwrap().len());
    let counted: u64 = done["copied"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(done["rows"], counted, "{done}");

    assert_eq!(file_bytes(&file), file_before, "the file is only read");
    let after = export(&url, NOW);
    assert_same_books(&before, &after, "hand-made books");

    // BLOBs byte for byte: the receipt as it went in, and the emails' MIME.
    let team_books = team(&url, NOW);
    let expense = team_books.ok(&["expense", "list"])["expenses"][0]["id"].to_string();
    let out = m.db().with_file_name("receipt-from-team.png");
    team_books.ok(&["expense", "receipt", "export", &expense, "--out", out.to_str().unwrap()]);
    let receipt = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/icons/32x32.png");
    assert_eq!(file_bytes(&out), file_bytes(&receipt), "the receipt, byte for byte");
    assert_eq!(
        psql(&url, "SELECT count(*) FROM outbox WHERE length(mime) > 1000"),
        "3",
        "the three emails' messages (the estimate's and both invoices') are there whole"
    );

    // The team books go on where the file left off: next ids and numbers.
    let file_books = Books { db: file.clone(), ..Books::new().at(NOW) };
    let next_in_file = file_books.ok(&["client", "add", "Next Client"]);
    let next_in_team = team_books.ok(&["client", "add", "Next Client"]);
    assert_eq!(next_in_team["id"], next_in_file["id"], "the next client id");
    let status = team_books.ok(&["timer", "status", "--member", "Ana Lima"]);
    assert!(status.to_string().contains("Running"), "the running timer moved along: {status}");
    let stopped = team_books.ok(&["timer", "stop", "--member", "Ana Lima"]);
    let stopped_in_file = file_books.ok(&["timer", "stop", "--member", "Ana Lima"]);
    assert_eq!(stopped["id"], stopped_in_file["id"], "the timer's entry takes the next entry id");
    let inv_team = team_books.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    let inv_file = file_books.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    assert_eq!(inv_team["number"], inv_file["number"], "the next invoice number");
    assert_eq!(inv_team["id"], inv_file["id"]);
    assert_eq!(inv_team["total"], inv_file["total"]);
    assert_same_books(&export(&books, NOW), &export(&url, NOW), "after the same work on both");
}

/// `billable dev seed` books of 10,000 entries and 1,000 invoices: the same
/// export from the team books, then new work there succeeds with the next
/// ids and numbers, exactly as on the file.
#[test]
fn ten_thousand_entries_and_a_thousand_invoices_move_with_identical_exports() {
    const SEEDED: &str = "2026-11-20T10:00:00Z";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seeded.db");
    let books = file.to_str().unwrap().to_string();
    let seed = billable(
        &[
            "--json",
            "dev",
            "seed",
            "--out",
            &books,
            "--entries",
            "10000",
            "--invoices",
            "1000",
            "--clients",
            "40",
            "--projects",
            "150",
            "--years",
            "2",
            "--seed",
            "11",
        ],
        SEEDED,
    );
    assert!(seed.status.success(), "{}", String::from_utf8_lossy(&seed.stdout));
    let before = export(&books, SEEDED);
    assert_eq!(before["tables"]["time_entries"].as_array().unwrap().len(), 10_000);
    assert_eq!(before["tables"]["invoices"].as_array().unwrap().len(), 1_000);

    let url = billable_pgtest::database();
    let t0 = Instant::now();
    let done = migrated(&file, &url, SEEDED);
    let took = t0.elapsed();
    eprintln!(
        "team migrate: {} rows copied and {} rollup rows built and checked in {took:.2?} (10,000 entries, 1,000 invoices)",
        done["rows"],
        done["rebuilt"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum::<u64>()
    );
    assert_eq!(done["copied"]["time_entries"], 10_000, "{done}");
    assert_eq!(done["copied"]["invoices"], 1_000, "{done}");
    assert_same_books(&before, &export(&url, SEEDED), "seeded books");

    // New work, the same on the file and on the team books.
    let on_file = Books { db: file.clone(), ..Books::new().at(SEEDED) };
    let on_team = team(&url, SEEDED);
    let client = on_file.ok(&["report", "unbilled"]);
    let client = client["rows"].as_array().and_then(|r| r.first()).map(|r| r["client_id"].to_string());
    let client = client.expect("the seeded books have unbilled time");
    let project = on_file.ok(&["project", "list", "--client", &client])[0]["id"].to_string();
    let add = ["time", "add", "--project", &project, "--date", "2026-11-19", "--hours", "1.5", "-d", "after the move"];
    let entry_file = on_file.ok(&add);
    let entry_team = on_team.ok(&add);
    assert_eq!(entry_team["id"], 10_001, "the next entry id: {entry_team}");
    assert_eq!(entry_team["id"], entry_file["id"]);
    let from_time = ["invoice", "from-time", "--client", &client];
    let inv_file = on_file.ok(&from_time);
    let inv_team = on_team.ok(&from_time);
    assert_eq!(inv_team["id"], 1_001, "the next invoice id: {inv_team}");
    assert_eq!((&inv_team["number"], &inv_team["total"]), (&inv_file["number"], &inv_file["total"]));
    assert_same_books(&export(&books, SEEDED), &export(&url, SEEDED), "after the same work on both");
}

/// A team database's tables, for "nothing was written".
fn team_tables(url: &str) -> String {
    psql(url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
}

#[test]
fn team_books_that_hold_books_are_never_merged_into() {
    let file_books = Books::new().at(NOW);
    file_books.ok(&["client", "add", "Acme GmbH"]);
    file_books.ok(&["project", "add", "Website", "--client", "Acme GmbH", "--rate", "100"]);
    file_books.ok(&["time", "add", "--project", "Website", "--date", "2026-05-04", "--hours", "2"]);

    // Team books with a client of their own.
    let held = Books::team().at(NOW);
    let url = held.db.to_str().unwrap().to_string();
    held.ok(&["client", "add", "Beta Ltd"]);
    let before = export(&url, NOW);
    let e = refused(&file_books.db, &url, NOW);
    assert_eq!(e["field"], "to", "{e}");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("already hold books (clients)") && message.contains("never merges"), "{message}");
    assert_same_books(&before, &export(&url, NOW), "refused team books");

    // Only the business profile changed: books all the same.
    let profiled = Books::team().at(NOW);
    let url = profiled.db.to_str().unwrap().to_string();
    profiled.ok(&["business", "set", "--name", "Team Studio"]);
    let e = refused(&file_books.db, &url, NOW);
    assert_eq!(e["field"], "to", "{e}");
    assert!(e["message"].as_str().unwrap().contains("(business)"), "{e}");
    assert_eq!(psql(&url, "SELECT name FROM business"), "Team Studio");
    assert_eq!(psql(&url, "SELECT count(*) FROM time_entries"), "0");

    // The same file into empty team books goes in whole; a second time it is refused.
    let empty = billable_pgtest::database();
    let text = billable(&["team", "migrate", "--from", file_books.db.to_str().unwrap(), "--to", &empty], NOW);
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stdout));
    let said = String::from_utf8_lossy(&text.stdout);
    assert!(said.contains("time_entries") && said.contains("time_daily"), "{said}");
    assert!(said.contains("into the team books at") && said.contains("checked against the file row by row"), "{said}");
    let e = refused(&file_books.db, &empty, NOW);
    assert_eq!(e["field"], "to", "{e}");
    assert_eq!(psql(&empty, "SELECT count(*) FROM time_entries"), "1", "not copied twice");
}

#[test]
fn a_missing_foreign_or_newer_file_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let url = billable_pgtest::database();

    let missing = dir.path().join("nowhere.db");
    let e = refused(&missing, &url, NOW);
    assert_eq!(e["field"], "from", "{e}");
    assert!(e["message"].as_str().unwrap().contains("there is no books file"), "{e}");
    assert!(!missing.exists(), "the missing file is not created");

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "these are my notes, not a database at all, and long enough to be read".repeat(20)).unwrap();
    let e = refused(&text, &url, NOW);
    assert_eq!(e["field"], "from", "{e}");
    assert!(e["message"].as_str().unwrap().contains("is not a Billable books file"), "{e}");

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE songs (title TEXT)").unwrap();
    let e = refused(&other, &url, NOW);
    assert_eq!(e["field"], "from", "{e}");
    assert!(e["message"].as_str().unwrap().contains("another program's data"), "{e}");

    let newer = Books::new().at(NOW);
    newer.ok(&["client", "add", "Acme GmbH"]);
    let version: i64 = {
        let c = rusqlite::Connection::open(&newer.db).unwrap();
        let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        c.pragma_update(None, "user_version", v + 1).unwrap();
        v + 1
    };
    let e = refused(&newer.db, &url, NOW);
    assert_eq!(e["field"], "from", "{e}");
    assert!(e["message"].as_str().unwrap().contains(&format!("newer version of Billable (schema {version}")), "{e}");

    let e = refused(&newer.db, "books.db", NOW);
    assert_eq!(e["field"], "to", "{e}");
    assert_eq!(team_tables(&url), "0", "no refusal wrote anything into the database");
}

/// A row the team books refuse, in the last tables copied: everything
/// copied before it is rolled back, and the same file, once mended, goes in.
#[test]
fn a_row_the_team_books_refuse_leaves_them_as_they_were() {
    let b = Books::new().at(NOW);
    b.ok(&["client", "add", "Acme GmbH"]);
    b.ok(&["project", "add", "Website", "--client", "Acme GmbH", "--rate", "100"]);
    for day in 1..=9 {
        b.ok(&["time", "add", "--project", "Website", "--date", &format!("2026-05-0{day}"), "--hours", "1"]);
    }
    let sent = b.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    b.ok(&["invoice", "mark-sent", sent["number"].as_str().unwrap()]);
    // SQLite keeps any value in a column; PostgreSQL's BIGINT does not.
    b.ok(&["payment", "add", sent["number"].as_str().unwrap(), "--amount", "100"]);
    let c = rusqlite::Connection::open(&b.db).unwrap();
    c.execute("UPDATE payments SET created_at = 'yesterday'", []).unwrap();

    let url = billable_pgtest::database();
    let e = refused(&b.db, &url, NOW);
    assert_eq!(e["code"], "conflict", "{e}");
    assert!(e["message"].as_str().unwrap().contains("could not copy payments"), "{e}");
    for table in ["clients", "time_entries", "invoices", "time_daily", "invoice_counts"] {
        assert_eq!(psql(&url, &format!("SELECT count(*) FROM {table}")), "0", "{table} was rolled back");
    }
    c.execute("UPDATE payments SET created_at = 1778396400", []).unwrap();
    drop(c);
    migrated(&b.db, &url, NOW);
    assert_same_books(&export(b.db.to_str().unwrap(), NOW), &export(&url, NOW), "mended books");
}

/// kill -9 at points spread over a migration: the team books hold the whole
/// file or no books at all (the schema may be there: it is made, and
/// committed, first); a migration run again then completes.
#[test]
fn a_killed_migration_leaves_the_whole_books_or_none() {
    const SEEDED: &str = "2026-11-20T10:00:00Z";
    const TRIALS: u64 = 10;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seeded.db");
    let books = file.to_str().unwrap().to_string();
    let seed = billable(
        &[
            "--json",
            "dev",
            "seed",
            "--out",
            &books,
            "--entries",
            "3000",
            "--invoices",
            "300",
            "--clients",
            "20",
            "--projects",
            "60",
            "--years",
            "2",
            "--seed",
            "5",
        ],
        SEEDED,
    );
    assert!(seed.status.success(), "{}", String::from_utf8_lossy(&seed.stdout));
    let whole = export(&books, SEEDED);
    let command = |url: &str| {
        let mut c = Command::new(billable_bin());
        c.env_remove("BILLABLE_DB")
            .env("BILLABLE_NOW", SEEDED)
            .args(["--json", "team", "migrate", "--from", &books, "--to", url]);
        c
    };
    let mut t = crate::crash::Trials::new("team migrate", TRIALS, || {
        let url = billable_pgtest::database();
        let c = command(&url);
        (team(&url, SEEDED), c)
    });
    let (mut none, mut all) = (0, 0);
    for trial in 0..TRIALS {
        let url = billable_pgtest::database();
        let (ctx, _) = t.kill(trial, command(&url));
        // The killed command's server side has finished: committed or rolled back.
        crate::crash::team_from_time::settled(&crate::crash::team_from_time::name_of(&url));
        let tables = team_tables(&url);
        if tables != "0" && psql(&url, "SELECT count(*) FROM clients") != "0" {
            all += 1;
            assert_same_books(&whole, &export(&url, SEEDED), &ctx);
            continue;
        }
        none += 1;
        if tables != "0" {
            assert_eq!(psql(&url, "SELECT count(*) FROM time_entries"), "0", "{ctx}: no half books");
            assert_eq!(psql(&url, "SELECT count(*) FROM time_daily"), "0", "{ctx}: no half rollups");
        }
        migrated(&file, &url, SEEDED);
        assert_same_books(&whole, &export(&url, SEEDED), &ctx);
    }
    t.report(none, all);
}
