//! Billing breadth through the real binary: recurring invoices generated
//! once per period (run twice, or by two processes at once), a credit note
//! that takes a paid invoice to a refund, a fixed-price project billed 40 %
//! then 60 % and nothing more, retainers once per period — and every
//! rejected input leaves the books exactly as they were.

use std::thread;

use serde_json::Value;

use crate::support::{s, Books};

fn numbers(list: &Value) -> Vec<String> {
    list["rows"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_string()).collect()
}

/// Books on 20 January 2026 with a monthly profile from 1 February made from
/// a 500.00 support invoice whose line names its month.
fn recurring_books() -> Books {
    let b = Books::new().at("2026-01-20T09:00:00+01:00");
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    b.ok(&["invoice", "create", "--client", "1", "--line", "Support {MONTH} {YEAR}|1|500"]);
    let p = b.ok(&["recurring", "create", "INV-2026-0001", "--frequency", "monthly", "--start", "2026-02-01"]);
    assert_eq!(p["id"], 1);
    assert_eq!(p["send_mode"], "draft");
    b
}

/// `billable scheduled run`, for a cron job: what is due is done once, each
/// part reported; mail is left alone while it is not set up.
#[test]
fn a_scheduled_run_does_what_fell_due_once() {
    let b = recurring_books();
    let march = b.seen_at("2026-03-05T09:00:00+01:00");
    let run = march.ok(&["scheduled", "run"]);
    assert_eq!(run["recurring"]["generated"].as_array().unwrap().len(), 2, "{run}");
    assert!(run["reminders"].is_null(), "{run}");
    assert_eq!(run["failed"].as_array().unwrap().len(), 0, "{run}");
    let again = march.output(&["scheduled", "run"]);
    assert!(again.status.success());
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(text.contains("Nothing due on 2026-03-05"), "{text}");
    assert!(text.contains("Nothing was due in the outbox."), "{text}");
    assert_eq!(march.ok(&["invoice", "list"])["total"], 3);
}

#[test]
fn a_monthly_profile_generates_three_missed_months_exactly_three_times() {
    let b = recurring_books();
    // Closed until 20 April: February, March and April are due.
    let april = b.seen_at("2026-04-20T09:00:00+02:00");
    let run = april.ok(&["recurring", "run"]);
    let made: Vec<(String, String)> = run["generated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["period_start"].as_str().unwrap().into(), g["invoice_number"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        made,
        [
            ("2026-02-01".to_string(), "INV-2026-0002".to_string()),
            ("2026-03-01".to_string(), "INV-2026-0003".to_string()),
            ("2026-04-01".to_string(), "INV-2026-0004".to_string()),
        ]
    );
    let feb = april.ok(&["invoice", "show", "INV-2026-0002"]);
    assert_eq!(feb["lines"][0]["description"], "Support February 2026");
    assert_eq!(feb["issue_date"], "2026-02-01");
    assert_eq!(feb["status"], "draft");
    // Run twice: still three, and nothing in the books changed.
    let before = april.snapshot();
    assert!(april.ok(&["recurring", "run"])["generated"].as_array().unwrap().is_empty());
    assert_eq!(april.snapshot(), before);
    let out = april.output(&["recurring", "run"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nothing due on 2026-04-20"));
    assert_eq!(april.ok(&["invoice", "list"])["total"], 4);
}

#[test]
fn two_processes_running_at_once_still_make_three() {
    let b = recurring_books();
    let db = b.db.clone();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let books = Books { db: db.clone(), ..Books::new().at("2026-04-20T09:00:00+02:00") };
            thread::spawn(move || books.ok(&["recurring", "run"])["generated"].as_array().unwrap().len())
        })
        .collect();
    let generated: usize = runs.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(generated, 3);
    let april = b.seen_at("2026-04-20T09:00:00+02:00");
    let all = april.ok(&["invoice", "list"]);
    assert_eq!(numbers(&all).len(), 4);
    let show = april.ok(&["recurring", "show", "1"]);
    assert_eq!(show["runs"].as_array().unwrap().len(), 3);
    assert_eq!(show["next_period"]["start"], "2026-05-01");
}

#[test]
fn pause_resume_and_delete_a_profile() {
    let b = recurring_books();
    b.ok(&["recurring", "pause", "1"]);
    let march = b.seen_at("2026-03-05T09:00:00+01:00");
    assert!(march.ok(&["recurring", "run"])["generated"].as_array().unwrap().is_empty());
    assert_eq!(march.ok(&["recurring", "list"])[0]["status"], "paused");
    march.ok(&["recurring", "resume", "1"]);
    assert_eq!(march.ok(&["recurring", "run"])["generated"].as_array().unwrap().len(), 2);
    march.ok(&["recurring", "delete", "1"]);
    assert!(march.ok(&["recurring", "list"]).as_array().unwrap().is_empty());
    assert_eq!(march.ok(&["invoice", "list"])["total"], 3, "generated invoices stay");
}

/// Books with a paid invoice: Design 10 × 100.00 + Hosting 2 × 250.00 =
/// 1,500.00 + VAT 20 % 300.00 = 1,800.00, paid in full.
fn paid_books() -> Books {
    let b = Books::new().at("2026-06-01T09:00:00+02:00");
    b.ok(&["tax", "add", "VAT 20%", "--percent", "20"]);
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR", "--tax", "1"]);
    b.ok(&["invoice", "create", "--client", "1", "--line", "Design|10|100", "--line", "Hosting|2|250"]);
    b.ok(&["invoice", "mark-sent", "INV-2026-0001"]);
    let v = b.ok(&["payment", "add", "INV-2026-0001", "--method", "bank transfer"]);
    assert_eq!(v["status"], "paid");
    b
}

#[test]
fn a_credit_note_takes_a_paid_invoice_to_a_refund() {
    let b = paid_books();
    // 2.5 h of Design = 250.00 + 50.00 VAT = 300.00, all paid back.
    let cn = b.ok(&[
        "credit-note",
        "create",
        "INV-2026-0001",
        "--line",
        "1:2.5",
        "--refund",
        "--method",
        "bank transfer",
        "--reason",
        "2.5 h billed twice",
    ]);
    assert_eq!(cn["number"], "CN-2026-0001");
    assert_eq!(
        (s(&cn["total"]), s(&cn["refunded"]), s(&cn["applied"])),
        ("300.00".into(), "300.00".into(), "0.00".into())
    );
    assert_eq!(s(&cn["lines"][0]["amount"]), "250.00");
    let inv = b.ok(&["invoice", "show", "INV-2026-0001"]);
    assert_eq!(inv["status"], "paid");
    assert_eq!(
        (s(&inv["total"]), s(&inv["credited"]), s(&inv["amount_paid"]), s(&inv["balance_due"])),
        ("1800.00".into(), "300.00".into(), "1500.00".into(), "0.00".into())
    );
    assert_eq!(s(&inv["refunds"][0]["amount"]), "300.00");
    let kinds: Vec<&str> = inv["activity"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"credit_note_issued") && kinds.contains(&"refund_recorded"), "{kinds:?}");
    // The human view of the invoice shows the credit and the refund.
    let text = String::from_utf8(b.output(&["invoice", "show", "INV-2026-0001"]).stdout).unwrap();
    assert!(text.contains("Credited") && text.contains("-300.00"), "{text}");
    assert!(text.contains("CN-2026-0001") && text.contains("Refunds"), "{text}");
    // Listed and shown by number.
    let list = b.ok(&["credit-note", "list"]);
    assert_eq!(list[0]["invoice_number"], "INV-2026-0001");
    assert_eq!(b.ok(&["credit-note", "show", "CN-2026-0001"])["reason"], "2.5 h billed twice");
    // The next one takes the next number, never a used one.
    let next = b.ok(&["credit-note", "create", "INV-2026-0001", "--line", "2:1", "--refund"]);
    assert_eq!(next["number"], "CN-2026-0002");
}

#[test]
fn a_fixed_price_project_is_billed_forty_then_sixty_percent_and_nothing_more() {
    let b = Books::new().at("2026-06-01T09:00:00+02:00");
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    b.ok(&["project", "add", "Relaunch", "--client", "1", "--billing", "fixed_price", "--budget", "10000"]);
    let first = b.ok(&["invoice", "from-project", "1", "--percent", "40"]);
    assert_eq!(s(&first["total"]), "4000.00");
    let rest = b.ok(&["invoice", "from-project", "1", "--remaining"]);
    assert_eq!(s(&rest["total"]), "6000.00");
    let billing = b.ok(&["project", "billing", "1"]);
    assert_eq!((s(&billing["invoiced"]), s(&billing["remaining"])), ("10000.00".into(), "0.00".into()));
    let before = b.snapshot();
    for (args, field) in [
        (&["invoice", "from-project", "1", "--remaining"][..], "remaining"),
        (&["invoice", "from-project", "1", "--percent", "10"][..], "percent"),
        (&["invoice", "from-project", "1", "--amount", "0.01"][..], "amount"),
    ] {
        let e = b.fails(args);
        assert_eq!(e["field"], field, "{args:?}: {e}");
        assert!(e["message"].as_str().unwrap().contains("nothing of the fixed fee of 10000.00 EUR is left"), "{e}");
    }
    assert_eq!(b.snapshot(), before, "refused attempts wrote nothing");
}

#[test]
fn a_retainer_is_billed_once_per_period() {
    let b = Books::new().at("2026-06-01T09:00:00+02:00");
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    b.ok(&["project", "add", "Care plan", "--client", "1", "--billing", "retainer", "--budget", "1500"]);
    let march = b.ok(&["invoice", "from-project", "1", "--period", "2026-03"]);
    assert_eq!(s(&march["total"]), "1500.00");
    assert_eq!(march["lines"][0]["description"], "Care plan — retainer 2026-03 (2026-03-01 – 2026-03-31)");
    let before = b.snapshot();
    assert_eq!(b.fails(&["invoice", "from-project", "1", "--period", "2026-03"])["field"], "period");
    assert_eq!(b.snapshot(), before);
    let q = b.ok(&["project", "retainer", "1", "--period", "quarterly"]);
    assert_eq!(q["retainer_period"], "quarterly");
    assert_eq!(s(&b.ok(&["invoice", "from-project", "1", "--period", "2026-Q3"])["total"]), "1500.00");
}

/// (arguments, expected field — or the code when there is no field)
const REJECTED: &[(&[&str], &str)] = &[
    (&["recurring", "create", "INV-2026-0001", "--frequency", "daily"], "frequency"),
    (&["recurring", "create", "INV-2026-0001", "--frequency", "monthly", "--every", "0"], "interval"),
    (
        &[
            "recurring",
            "create",
            "INV-2026-0001",
            "--frequency",
            "monthly",
            "--start",
            "2026-06-01",
            "--end",
            "2026-01-01",
        ],
        "end_date",
    ),
    (&["recurring", "create", "INV-2026-0001", "--frequency", "monthly", "--max-cycles", "0"], "max_cycles"),
    (&["recurring", "create", "INV-2026-0001", "--frequency", "monthly", "--mode", "send"], "send_mode"),
    (&["recurring", "create", "INV-2026-0001", "--frequency", "monthly", "--start", "01/06/2026"], "start_date"),
    (&["recurring", "create", "INV-2099-0001", "--frequency", "monthly"], "not_found"),
    (&["recurring", "pause", "9"], "not_found"),
    (&["credit-note", "create", "INV-2026-0001", "--line", "1:2.5"], "refund"),
    (&["credit-note", "create", "INV-2026-0001", "--line", "1:11", "--refund"], "lines[1].quantity"),
    (&["credit-note", "create", "INV-2026-0001", "--line", "7", "--refund"], "line"),
    (&["credit-note", "create", "INV-2026-0001", "--line", "one", "--refund"], "line"),
    (&["credit-note", "create", "INV-2026-0001", "--date", "2026-01-01", "--refund"], "date"),
    (&["credit-note", "create", "INV-2026-0002"], "conflict"),
    (&["credit-note", "pattern", "CN-{YEAR}"], "credit_note_number_pattern"),
    (&["invoice", "from-project", "1", "--percent", "140"], "percent"),
    (&["invoice", "from-project", "1", "--percent", "10", "--amount", "5"], "percent"),
    (&["invoice", "from-project", "1", "--period", "2026-03"], "period"),
    (&["invoice", "from-project", "1"], "percent"),
    (&["invoice", "from-project", "2", "--period", "March"], "period"),
    (&["invoice", "from-project", "2", "--amount", "5"], "amount"),
    (&["invoice", "from-project", "9", "--remaining"], "project"),
    (&["project", "retainer", "1", "--period", "monthly"], "retainer_period"),
    (&["project", "retainer", "2", "--period", "daily"], "retainer_period"),
];

#[test]
fn rejected_billing_inputs_name_the_field_and_change_nothing() {
    let b = paid_books();
    // A draft (INV-2026-0002), a fixed-price project 1 and a retainer project 2.
    b.ok(&["invoice", "create", "--client", "1", "--line", "Extra|1|10"]);
    b.ok(&["project", "add", "Relaunch", "--client", "1", "--billing", "fixed_price", "--budget", "10000"]);
    b.ok(&["project", "add", "Care", "--client", "1", "--billing", "retainer", "--budget", "1500"]);
    let before = b.snapshot();
    for (args, expected) in REJECTED {
        let e = b.fails(args);
        let got = e["field"].as_str().unwrap_or_else(|| e["code"].as_str().unwrap());
        assert_eq!(got, *expected, "{args:?}: {e}");
        assert_eq!(b.snapshot(), before, "{args:?} changed the books");
    }
}
