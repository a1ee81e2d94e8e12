//! Expenses from the command line: recorded with a receipt, listed, billed
//! once by an invoice from time (even by two processes at once), released
//! with the draft, imported from CSV, reported with the projects' profit;
//! bad input refused naming the field with the books left unchanged.

use std::process::Stdio;

use crate::support::{s, Books};

const NOW: &str = "2026-12-07T10:00:00+01:00";

/// Acme (EUR), project Website at 120/h, 2 h of time on 2026-12-04 and
/// VAT 19 % (tax rate 1).
fn books() -> Books {
    let b = Books::new().at(NOW);
    b.ok(&["backup", "settings", "--automatic", "off"]);
    b.ok(&["client", "add", "Acme", "--currency", "EUR"]);
    b.ok(&["project", "add", "Website", "--client", "Acme", "--rate", "120"]);
    b.ok(&["tax", "add", "VAT 19", "--percent", "19"]);
    b.ok(&["time", "add", "--project", "Website", "--date", "2026-12-04", "--hours", "2"]);
    b
}

fn pdf(b: &Books, name: &str, size: usize) -> std::path::PathBuf {
    let path = b.db.with_file_name(name);
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(size, b'%');
    std::fs::write(&path, bytes).unwrap();
    path
}

fn train(b: &Books, receipt: &std::path::Path) -> serde_json::Value {
    b.ok(&[
        "expense",
        "add",
        "--date",
        "2026-12-03",
        "--amount",
        "100",
        "--category",
        "Travel",
        "--vendor",
        "Deutsche Bahn",
        "--note",
        "Train Berlin–Hamburg",
        "--project",
        "Website",
        "--billable",
        "--markup",
        "15",
        "--tax",
        "1",
        "--receipt",
        receipt.to_str().unwrap(),
    ])
}

#[test]
fn an_expense_with_a_receipt_is_billed_once_on_an_invoice_from_time_and_released_with_the_draft() {
    let b = books();
    let ticket = pdf(&b, "ticket.pdf", 2048);
    let e = train(&b, &ticket);
    assert_eq!((s(&e["amount"]), s(&e["billed_amount"])), ("100.00".into(), "115.00".into()));
    assert_eq!((e["currency"].as_str(), e["client_name"].as_str()), (Some("EUR"), Some("Acme")));
    assert_eq!(
        (e["receipt"]["media_type"].as_str(), e["receipt"]["size"].as_i64()),
        (Some("application/pdf"), Some(2048))
    );
    let id = e["id"].as_i64().unwrap().to_string();

    let out = b.db.with_file_name("back.pdf");
    b.ok(&["expense", "receipt", "export", &id, "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&ticket).unwrap());

    let unbilled = b.ok(&["report", "unbilled"]);
    assert_eq!(s(&unbilled["rows"][0]["amount"]), "355.00", "240.00 of time and 115.00 of expense");

    let inv = b.ok(&["invoice", "from-time", "--client", "Acme", "--tax-mode", "inline"]);
    let lines = inv["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["description"], "Expense: Train Berlin–Hamburg (Deutsche Bahn), Dec 3, 2026");
    assert_eq!(s(&lines[1]["amount"]), "115.00");
    assert_eq!((s(&inv["tax_total"]), s(&inv["total"])), ("21.85".into(), "376.85".into()));
    let number = inv["number"].as_str().unwrap().to_string();
    assert_eq!(b.ok(&["expense", "show", &id])["invoice_number"].as_str(), Some(number.as_str()));

    // Never twice.
    let e = b.fails(&["invoice", "from-time", "--client", "Acme"]);
    assert_eq!(e["field"], "entries", "{e}");
    let e = b.fails(&["invoice", "from-time", "--client", "Acme", "--expenses", &id]);
    assert_eq!(e["field"], "expenses", "{e}");
    let e = b.fails(&["expense", "delete", &id]);
    assert_eq!(e["code"], "conflict", "{e}");

    // Deleting the draft releases it.
    b.ok(&["invoice", "delete", &number]);
    let list = b.ok(&["expense", "list", "--client", "Acme", "--state", "unbilled"]);
    assert_eq!(list["expenses"].as_array().unwrap().len(), 1);
    assert_eq!(s(&list["totals"][0]["unbilled"]), "115.00");
    let inv = b.ok(&["invoice", "from-time", "--client", "Acme", "--no-expenses"]);
    assert_eq!(inv["lines"].as_array().unwrap().len(), 1, "time only");
    b.ok(&["invoice", "mark-sent", inv["number"].as_str().unwrap()]);
    let inv = b.ok(&["invoice", "from-time", "--client", "Acme", "--expenses", &id, "--tax-mode", "inline"]);
    assert_eq!(s(&inv["total"]), "136.85");
    b.ok(&["invoice", "mark-sent", inv["number"].as_str().unwrap()]);

    // Profit: 240.00 of time and 115.00 of expense on issued invoices, less 100.00 spent.
    let r = b.ok(&["report", "expenses", "--from", "2026-12-01", "--to", "2026-12-31"]);
    let p = &r["projects"][0];
    assert_eq!(
        (s(&p["billed"]), s(&p["expenses"]), s(&p["profit"])),
        ("355.00".into(), "100.00".into(), "255.00".into())
    );
    let csv = b.output(&["report", "expenses", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("kind,name,client,currency,billed,expenses,profit,count\n"), "{csv}");
    assert!(csv.contains("project,Website,Acme,EUR,355.00,100.00,255.00,1\n"), "{csv}");
    assert!(csv.contains("category,Travel,,EUR,,100.00,,1\n"), "{csv}");
}

#[test]
fn bad_expenses_and_receipts_are_refused_naming_the_field_and_nothing_is_written() {
    let b = books();
    let big = pdf(&b, "big.pdf", 10 * 1024 * 1024 + 1);
    let text = b.db.with_file_name("notes.txt");
    std::fs::write(&text, "not a receipt").unwrap();
    let before = b.snapshot();
    let cases: [(&[&str], &str); 8] = [
        (&["expense", "add", "--amount", "abc"], "amount"),
        (&["expense", "add", "--category", "Travel"], "amount"),
        (&["expense", "add", "--amount", "5", "--date", "2026-13-01"], "date"),
        (&["expense", "add", "--amount", "5", "--currency", "EURO"], "currency"),
        (&["expense", "add", "--amount", "5", "--billable"], "client"),
        (&["expense", "add", "--amount", "5", "--client", "Acme", "--markup", "-3"], "markup"),
        (&["expense", "add", "--amount", "5", "--receipt", big.to_str().unwrap()], "receipt"),
        (&["expense", "add", "--amount", "5", "--receipt", text.to_str().unwrap()], "receipt"),
    ];
    for (args, field) in cases {
        let e = b.fails(args);
        assert_eq!(e["field"], field, "{args:?}: {e}");
        assert_eq!(b.snapshot(), before, "{args:?} left the books unchanged");
    }
    let e = b.fails(&["expense", "add", "--amount", "5", "--receipt", big.to_str().unwrap()]);
    assert!(e["message"].as_str().unwrap().contains("at most 10 MiB"), "{e}");

    let id = b.ok(&["expense", "add", "--amount", "5"])["id"].as_i64().unwrap().to_string();
    let before = b.snapshot();
    let e = b.fails(&["expense", "receipt", "attach", &id, big.to_str().unwrap()]);
    assert_eq!(e["field"], "receipt", "{e}");
    let e = b.fails(&["expense", "set", &id, "--amount", "1.234"]);
    assert_eq!(e["field"], "amount", "{e}");
    assert_eq!(b.snapshot(), before);
}

#[test]
fn expenses_are_imported_from_csv_once_and_a_bad_row_imports_nothing() {
    let b = books();
    let file = b.db.with_file_name("expenses.csv");
    let good = "date;amount;currency;category;vendor;note;client;project;billable\n\
                2026-12-03;100,00;EUR;Travel;Deutsche Bahn;Train Berlin–Hamburg;Acme;Website;yes\n\
                2026-12-05;1.249,00;;Hardware;Shop;Laptop;;;no\n";
    std::fs::write(&file, format!("{good}2026-12-06;12,50;EUR;Meals;;;Globex;;yes\n")).unwrap();
    let before = b.snapshot();
    let dry = b.ok(&["import", "expenses", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry["errors"][0]["line"], 4);
    assert_eq!(dry["errors"][0]["column"], "client");
    let e = b.fails(&["import", "expenses", file.to_str().unwrap()]);
    assert_eq!(e["field"], "line 4, column client", "{e}");
    assert_eq!(b.snapshot(), before, "nothing was imported");

    std::fs::write(&file, good).unwrap();
    let done = b.ok(&["import", "expenses", file.to_str().unwrap()]);
    assert_eq!((done["created"].as_i64(), done["number_format"].as_str()), (Some(2), Some("comma")));
    let list = b.ok(&["expense", "list"]);
    assert_eq!(s(&list["expenses"][1]["amount"]), "1249.00");
    let again = b.ok(&["import", "expenses", file.to_str().unwrap()]);
    assert_eq!((again["created"].as_i64(), again["already_imported"].as_i64()), (Some(0), Some(2)));
}

/// Two processes bill the same expense at once: one invoice bills it, the
/// other finds nothing left.
#[test]
fn one_expense_billed_by_two_processes_at_once_is_billed_once() {
    for race in 0..5 {
        let b = Books::new().at(NOW);
        b.ok(&["backup", "settings", "--automatic", "off"]);
        b.ok(&["client", "add", "Acme"]);
        b.ok(&["expense", "add", "--client", "Acme", "--amount", "80", "--billable", "--note", "Hotel"]);
        let spawn = || {
            b.command(&["--json", "invoice", "from-time", "--client", "Acme"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (x, y) = (spawn(), spawn());
        let outs = [x.wait_with_output().unwrap(), y.wait_with_output().unwrap()];
        let won = outs.iter().filter(|o| o.status.success()).count();
        assert_eq!(won, 1, "race {race}: exactly one of the two bills it");
        let invoices = b.ok(&["invoice", "list"]);
        assert_eq!(invoices["total"], 1, "race {race}");
        let billed = b.ok(&["expense", "list", "--state", "billed"]);
        assert_eq!(billed["expenses"].as_array().unwrap().len(), 1, "race {race}");
    }
}
