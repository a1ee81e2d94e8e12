//! Reports, import, export and backups through the real `billable` binary.
//! Expected figures are worked out by hand in the comments.

use std::path::Path;

use crate::support::{s, Books};

/// The CSV's rows, the header first, read by a real CSV parser (quoted
/// fields may hold commas and line breaks).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_string).collect())
        .collect()
}

fn stdout(b: &Books, args: &[&str]) -> String {
    let out = b.output(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Today is 2026-06-30. Acme (EUR): A1 100.00 due 06-30 (current), A2 300.00
/// due 06-10 (20 days: 1–30), A3 500.00 due 03-01 (121 days: over 90), A3
/// half paid (250.00 open). Globex (USD): G1 80.00 due 05-01 (60 days: 31–60),
/// exchange rate 0.9 → 72.00 EUR. Totals: EUR 650.00, USD 80.00; base 722.00.
/// Revenue June–March: A1–A3 issued 2026-03-01 → 2026-03 EUR invoiced 900.00,
/// G1 issued 04-01 → 2026-04 USD 80.00; 250.00 EUR paid in 2026-06.
#[test]
fn aging_and_revenue_reports_as_csv_and_json() {
    let b = Books::new().at("2026-06-30T12:00:00+00:00");
    b.ok(&["business", "set", "--currency", "EUR"]);
    b.ok(&["client", "add", "Acme", "--currency", "EUR"]);
    b.ok(&["client", "add", "Globex", "--currency", "USD"]);
    for (n, client, amount, issue, due) in [
        ("A1", "Acme", "100", "2026-03-01", "2026-06-30"),
        ("A2", "Acme", "300", "2026-03-01", "2026-06-10"),
        ("A3", "Acme", "500", "2026-03-01", "2026-03-01"),
        ("G1", "Globex", "80", "2026-04-01", "2026-05-01"),
    ] {
        let line = format!("Work|1|{amount}");
        b.ok(&[
            "invoice",
            "create",
            "--client",
            client,
            "--number",
            n,
            "--line",
            &line,
            "--issue-date",
            issue,
            "--due-date",
            due,
            "--no-tax",
        ]);
        b.ok(&["invoice", "mark-sent", n]);
    }
    b.ok(&["payment", "add", "A3", "--amount", "250", "--date", "2026-06-15"]);
    b.ok(&["invoice", "exchange-rate", "G1", "0.9"]);

    let csv = stdout(&b, &["report", "aging", "--format", "csv"]);
    assert_eq!(
        csv_rows(&csv),
        csv_rows(
            "client,currency,current,days_1_30,days_31_60,days_61_90,over_90,total
Acme,EUR,100.00,300.00,0,0,250.00,650.00
Globex,USD,0,0,80.00,0,0,80.00
Total,EUR,100.00,300.00,0,0,250.00,650.00
Total,USD,0,0,80.00,0,0,80.00"
        )
    );
    let aging = b.ok(&["report", "aging"]);
    assert_eq!(s(&aging["base_total"]), "722.00");
    assert_eq!(aging["as_of"], "2026-06-30");

    let out = b.db.with_file_name("revenue.csv");
    stdout(
        &b,
        &[
            "report",
            "revenue",
            "--from",
            "2026-03-01",
            "--to",
            "2026-06-30",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let rows = csv_rows(&text);
    assert_eq!(rows[0], ["month", "currency", "invoices", "invoiced", "paid", "outstanding"]);
    assert_eq!(rows[1], ["2026-03", "EUR", "3", "900.00", "0", "650.00"]);
    assert_eq!(rows[2], ["2026-04", "USD", "1", "80.00", "0", "80.00"]);
    assert_eq!(rows[3], ["2026-06", "EUR", "0", "0", "250.00", "0"]);

    // Per client: Acme owes 650.00 EUR, of it 550.00 overdue (A2 300.00 and
    // A3's 250.00; A1 is due today); Globex 80.00 USD, all overdue, and
    // 1h30m at 60.00 = 90.00 USD not invoiced yet.
    b.ok(&["project", "add", "App", "--client", "2", "--rate", "60"]);
    let app = b.ok(&["project", "list"])[0]["id"].to_string();
    b.ok(&["time", "add", "--project", &app, "--date", "2026-06-29", "--hours", "1h30m"]);
    let csv = stdout(&b, &["report", "clients", "--format", "csv"]);
    assert_eq!(
        csv_rows(&csv),
        csv_rows(
            "client,currency,outstanding,overdue,unbilled,unpriced_hours
Acme,EUR,650.00,550.00,0.00,
Globex,USD,80.00,80.00,90.00,
Total,EUR,650.00,550.00,0.00,
Total,USD,80.00,80.00,90.00,"
        )
    );
    let figures = b.ok(&["report", "clients"]);
    assert_eq!(figures["clients"][0]["overdue"][0]["invoices"], serde_json::json!(["A3", "A2"]));
    let table = stdout(&b, &["report", "clients"]);
    assert!(table.contains("Outstanding") && table.contains("90.00"), "{table}");

    let table = stdout(&b, &["report", "aging"]);
    assert!(table.contains("Globex") && table.contains("31–60"), "{table}");
    let e = b.fails(&["report", "aging", "--format", "xml"]);
    assert_eq!(e["field"], "format");
    let e = b.fails(&["report", "time", "--by", "year", "--from", "2026-01-01", "--to", "2026-12-31"]);
    assert_eq!(e["field"], "by");
}

const TOGGL: &str = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)
Ana Lima,ana@studio.example,Acme GmbH,Website,Design,Homepage,Yes,2026-05-04,09:00:00,2026-05-04,10:30:00,01:30:00,,150.00
Ana Lima,ana@studio.example,Acme GmbH,Website,Design,Homepage,Yes,2026-05-05,09:00:00,2026-05-05,10:00:00,01:00:00,,100.00
";

#[test]
fn import_twice_then_report_by_week_and_export() {
    let b = Books::new().at("2026-05-10T09:00:00+02:00");
    let file = b.db.with_file_name("toggl.csv");
    std::fs::write(&file, TOGGL).unwrap();
    let f = file.to_str().unwrap();
    b.ok(&["business", "show"]);
    let before = b.snapshot();
    let dry = b.ok(&["import", f, "--dry-run"]);
    assert_eq!(
        (dry["entries"].as_u64(), dry["clients"].as_u64(), dry["dry_run"].as_bool()),
        (Some(2), Some(1), Some(true))
    );
    assert_eq!(b.snapshot(), before, "a dry run writes nothing");
    let first = b.ok(&["import", f, "--source", "toggl"]);
    assert_eq!(
        (first["entries"].as_u64(), first["tasks"].as_u64(), first["members"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    let after = b.snapshot();
    let second = b.ok(&["import", f]);
    assert_eq!((second["entries"].as_u64(), second["already_imported"].as_u64()), (Some(0), Some(2)));
    assert_eq!(b.snapshot(), after, "the second import creates nothing");

    // 1.5 h + 1 h in ISO week 19; no rate is set, so the file's amounts give
    // one: 150.00 / 1.5 h = 100.00 an hour, 2.50 h = 250.00, nothing unpriced.
    let week = stdout(
        &b,
        &["report", "time", "--by", "week", "--from", "2026-05-01", "--to", "2026-05-31", "--format", "csv"],
    );
    assert_eq!(csv_rows(&week)[1], ["2026-W19", "2.50", "2.50", "250.00", "EUR", "0.00"]);

    let time_csv = stdout(&b, &["export", "time", "--client", "Acme GmbH", "--status", "unbilled"]);
    assert_eq!(time_csv.lines().count(), 3, "{time_csv}");

    // A bad row: the line and column are named, exit code 1, nothing written.
    let bad = b.db.with_file_name("bad.csv");
    std::fs::write(&bad, TOGGL.replace("01:00:00", "1h-ish")).unwrap();
    let e = b.fails(&["import", bad.to_str().unwrap()]);
    assert_eq!(e["field"], "line 3, column Duration");
    assert_eq!(b.snapshot(), after);
}

#[test]
fn books_json_and_xero_csv_with_mapped_account_codes() {
    let b = Books::new().at("2026-05-10T09:00:00+02:00");
    b.ok(&["client", "add", "Acme", "--currency", "EUR", "--email", "ap@acme.example"]);
    let p = b.ok(&["project", "add", "Website", "--client", "Acme", "--rate", "100"]);
    let pid = p["id"].to_string();
    b.ok(&["time", "add", "--project", &pid, "--date", "2026-05-04", "--hours", "2"]);
    let inv = b.ok(&["invoice", "from-time", "--client", "Acme", "--no-tax"]);
    let number = inv["number"].as_str().unwrap().to_string();
    b.ok(&["invoice", "mark-sent", &number]);
    b.ok(&["xero", "map", "default", "200"]);
    let rules = b.ok(&["xero", "map", "project", &pid, "210", "--description", "Web income"]);
    assert_eq!(rules.as_array().unwrap().len(), 2);

    let out = b.db.with_file_name("xero.csv");
    b.ok(&["export", "xero", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<Vec<String>> = csv_rows(&text);
    let col = |n: &str| rows[0].iter().position(|h| h == n).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][col("ContactName")], "Acme");
    assert_eq!(rows[1][col("EmailAddress")], "ap@acme.example");
    assert_eq!(rows[1][col("InvoiceNumber")], number);
    assert_eq!((rows[1][col("Quantity")].as_str(), rows[1][col("UnitAmount")].as_str()), ("2", "100"));
    assert_eq!(rows[1][col("AccountCode")], "210");
    assert_eq!(rows[1][col("TaxType")], "Tax Exempt");

    let books_file = b.db.with_file_name("books.json");
    b.ok(&["export", "books", "--out", books_file.to_str().unwrap()]);
    let books: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&books_file).unwrap()).unwrap();
    assert_eq!(books["format_version"], 1);
    for t in [
        "business",
        "clients",
        "projects",
        "time_entries",
        "invoices",
        "invoice_lines",
        "xero_account_rules",
        "backup_settings",
    ] {
        assert!(books["tables"][t].is_array(), "{t} missing");
    }
    assert_eq!(books["tables"]["invoices"][0]["number"], number.as_str());
}

fn corrupt(good: &Path, dest: &Path) {
    let mut bytes = std::fs::read(good).unwrap();
    for b in bytes.iter_mut().skip(4096).step_by(5) {
        *b = 0x5A;
    }
    std::fs::write(dest, bytes).unwrap();
}

#[test]
fn backup_create_list_and_restore_refusing_a_corrupted_file() {
    let b = Books::new().at("2026-05-10T09:00:00+02:00");
    b.ok(&["client", "add", "Acme"]);
    let backup = b.ok(&["backup", "create"]);
    let good = backup["path"].as_str().unwrap().to_string();
    assert!(good.contains("/backups/billable-20260510-070000"), "{good}");
    let list = b.ok(&["backup", "list"]);
    assert!(list.as_array().unwrap().iter().any(|x| x["path"] == good.as_str()), "{list}");

    b.ok(&["client", "add", "Later"]);
    let books_now = b.snapshot();
    let damaged = b.db.with_file_name("damaged.db");
    corrupt(Path::new(&good), &damaged);
    let e = b.fails(&["backup", "restore", damaged.to_str().unwrap()]);
    assert_eq!(e["field"], "file");
    assert!(e["message"].as_str().unwrap().contains("damaged"), "{e}");
    assert_eq!(b.snapshot(), books_now, "a refused restore leaves the books untouched");

    let restored = b.ok(&["backup", "restore", &good]);
    let names: Vec<String> =
        b.ok(&["client", "list"]).as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, ["Acme"], "the backup's data is back");
    assert!(Path::new(restored["previous_books"].as_str().unwrap()).is_file());
    let check = b.ok(&["backup", "check"]);
    assert_eq!(check["ok"], true);
    let settings = b.ok(&["backup", "settings", "--keep", "3"]);
    assert_eq!(settings["keep"], 3);
}
