//! Every rejected input names the field (or says why it is not allowed),
//! exits non-zero, and leaves the database content exactly as it was.

use crate::support::Books;

/// Books with a client, a project, unbilled time, a draft and a sent invoice.
fn books() -> Books {
    let b = Books::new().at("2026-06-01T09:00:00+02:00");
    b.ok(&["tax", "add", "VAT 20%", "--percent", "20"]);
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR", "--tax", "1"]);
    b.ok(&["project", "add", "Website", "--client", "1", "--rate", "100"]);
    b.ok(&["time", "add", "--project", "1", "--date", "2026-05-20", "--hours", "2"]);
    b.ok(&["time", "add", "--project", "1", "--date", "2026-05-21", "--hours", "3"]);
    let sent = b.ok(&["invoice", "from-time", "--client", "1", "--entries", "1"]);
    assert_eq!(sent["number"], "INV-2026-0001");
    b.ok(&["invoice", "mark-sent", "INV-2026-0001"]);
    b.ok(&["invoice", "create", "--client", "1", "--line", "Hosting|1|10"]);
    b
}

/// (arguments, expected field — or the code when there is no field)
const CASES: &[(&[&str], &str)] = &[
    (&["client", "add", "  "], "name"),
    (&["client", "add", "acme gmbh"], "name"),
    (&["client", "add", "New", "--currency", "XYZ"], "currency"),
    (&["client", "add", "New", "--email", "not-an-email"], "emails"),
    (&["client", "add", "New", "--country", "Germany"], "country"),
    (&["client", "add", "New", "--terms", "-3"], "payment_terms_days"),
    (&["client", "add", "New", "--rounding", "up"], "rounding"),
    (&["client", "add", "New", "--tax", "99"], "tax_rate_ids"),
    (&["project", "add", "P", "--client", "Nobody"], "client"),
    (&["project", "add", "P", "--client", "1", "--rate", "-5"], "rate"),
    (&["project", "add", "Website", "--client", "1"], "name"),
    (&["project", "add", "P", "--client", "1", "--billing", "fixed_price"], "budget"),
    (&["task", "add", "T", "--project", "42"], "project"),
    (&["tax", "add", "Bad", "--percent", "120"], "percent"),
    (&["tax", "add", "Exempt", "--percent", "0", "--category", "E"], "exemption_reason"),
    (&["tax", "add", "Odd", "--percent", "5", "--category", "Q"], "category"),
    (&["member", "add", "Ana", "--email", "ana@"], "email"),
    (&["business", "set", "--iban", "DE89370400440532013001"], "iban"),
    (&["business", "set", "--number-pattern", "INV-{YEAR}"], "number_pattern"),
    (&["business", "set", "--currency", "EURO"], "default_currency"),
    (&["time", "add", "--project", "1", "--hours", "abc"], "hours"),
    (&["time", "add", "--project", "1", "--hours", "0"], "hours"),
    (&["time", "add", "--project", "99", "--hours", "1"], "project"),
    (&["time", "add", "--project", "1", "--start", "2026-05-04T14:00", "--end", "2026-05-04T13:00"], "end"),
    (&["time", "add", "--project", "1", "--start", "yesterday", "--end", "2026-05-04T13:00"], "start"),
    (&["time", "add", "--project", "1", "--hours", "1", "--date", "31/05/2026"], "date"),
    (&["time", "add", "--project", "1", "--hours", "2", "--start", "2026-05-04T13:00"], "hours"),
    (&["time", "edit", "1", "--hours", "5"], "conflict"),
    (&["time", "delete", "1"], "conflict"),
    (&["time", "delete", "999"], "not_found"),
    (&["timer", "stop"], "conflict"),
    (&["timer", "start", "--project", "1", "--task", "7"], "task"),
    (&["invoice", "create", "--client", "1", "--line", "X|1|-5"], "lines[1].rate"),
    (&["invoice", "create", "--client", "1", "--line", "X|one|5"], "lines[1].quantity"),
    (&["invoice", "create", "--client", "1", "--line", "X|1"], "lines[1]"),
    (&["invoice", "create", "--client", "1", "--line", "X|1|5", "--discount", "200%"], "discount"),
    (&["invoice", "create", "--client", "1", "--line", "X|1|5", "--discount", "6"], "discount"),
    (&["invoice", "create", "--client", "1", "--line", "X|1|5", "--adjustment", "0.001"], "adjustment"),
    (&["invoice", "create", "--client", "1", "--line", "X|1|5", "--number", "INV-2026-0001"], "number"),
    (&["invoice", "create", "--client", "1", "--line", "X|1|5", "--due-date", "2020-01-01"], "due_date"),
    (&["invoice", "create", "--client", "1", "--line", "X|1|5", "--tax-mode", "sideways"], "tax_mode"),
    (&["invoice", "from-time", "--client", "1", "--entries", "1"], "entries"),
    (&["invoice", "from-time", "--client", "1", "--entries", "999"], "entries"),
    (&["invoice", "from-time", "--client", "1", "--group", "week"], "group"),
    (&["invoice", "set", "INV-2026-0001", "--notes", "changed"], "conflict"),
    (&["invoice", "line", "add", "INV-2026-0001", "-d", "X", "--rate", "1"], "conflict"),
    (&["invoice", "line", "edit", "INV-2026-0002", "9", "--rate", "1"], "line"),
    (&["invoice", "line", "edit", "INV-2026-0002", "1", "--rate", "1.2.3"], "lines[1].rate"),
    (&["invoice", "status", "INV-2026-0001", "paid"], "status"),
    (&["invoice", "status", "INV-2026-0001", "draft"], "conflict"),
    (&["invoice", "status", "INV-2026-0001", "lost"], "status"),
    (&["invoice", "delete", "INV-2026-0001"], "conflict"),
    (&["invoice", "mark-sent", "INV-2026-0001"], "conflict"),
    (&["invoice", "show", "INV-1999-0001"], "not_found"),
    (&["invoice", "list", "--sort", "colour"], "sort"),
    (&["invoice", "list", "--status", "lost"], "status"),
    (&["payment", "add", "INV-2026-0001", "--amount", "100000"], "amount"),
    (&["payment", "add", "INV-2026-0001", "--amount", "1.001"], "amount"),
    (&["payment", "add", "INV-2026-0001", "--amount", "-5"], "amount"),
    (&["payment", "add", "INV-2026-0001", "--amount", "10", "--date", "soon"], "date"),
    (&["payment", "delete", "77"], "not_found"),
    (&["report", "time", "--by", "colour", "--from", "2026-01-01", "--to", "2026-12-31"], "by"),
    (&["report", "time", "--from", "2026-12-31", "--to", "2026-01-01"], "to"),
];

#[test]
fn rejected_inputs_name_the_field_and_write_nothing() {
    let b = books();
    let before = b.snapshot();
    let mut failures = Vec::new();
    for (args, expected) in CASES {
        let err = b.fails(args);
        let got_field = err["field"].as_str();
        let got_code = err["code"].as_str().unwrap_or("");
        let message = err["message"].as_str().unwrap_or("");
        let ok = got_field == Some(expected) || (got_field.is_none() && got_code == *expected);
        if !ok {
            failures
                .push(format!("{args:?}: expected {expected}, got field {got_field:?} code {got_code} — {message}"));
        }
        assert!(!message.is_empty(), "{args:?} gave no message");
        if let Some(f) = got_field {
            assert!(message.starts_with(f), "{args:?}: the message names the field: {message}");
        }
        assert_eq!(b.snapshot(), before, "{args:?} changed the database");
    }
    assert!(failures.is_empty(), "wrong errors:\n{}", failures.join("\n"));
}

#[test]
fn human_errors_are_one_line_on_stderr_with_a_non_zero_exit() {
    let b = books();
    let out = b.output(&["payment", "add", "INV-2026-0001", "--amount", "100000"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: amount: 100000.00 EUR is more than the balance due of 240.00 EUR"), "{err}");
}

#[test]
fn bulk_actions_report_each_invoice() {
    let b = books();
    let out = b.output(&["--json", "invoice", "bulk", "mark-sent", "INV-2026-0002", "INV-2026-0001", "NOPE"]);
    assert_eq!(out.status.code(), Some(1), "some failed");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[0]["status"], "sent");
    assert_eq!(v[1]["ok"], false);
    assert_eq!(v[1]["error"]["code"], "conflict");
    assert_eq!(v[2]["error"]["code"], "not_found");
    let paid = b.ok(&["invoice", "bulk", "mark-paid", "INV-2026-0001", "INV-2026-0002"]);
    assert_eq!(paid[0]["status"], "paid");
    assert_eq!(paid[1]["status"], "paid");
    let list = b.ok(&["invoice", "list", "--status", "paid"]);
    assert_eq!(list["total"], 2);
}

#[test]
fn a_database_from_a_newer_billable_is_refused_untouched() {
    let b = books();
    {
        let c = rusqlite::Connection::open(&b.db).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = b.snapshot();
    let err = b.fails(&["client", "list"]);
    assert_eq!(err["code"], "database_too_new");
    assert!(err["message"].as_str().unwrap().contains("newer version of Billable"), "{err}");
    assert_eq!(b.snapshot(), before);
}

#[test]
fn the_due_date_alone_moves_on_an_open_invoice_and_statuses_read_as_words() {
    let b = books();
    let before = b.ok(&["invoice", "show", "INV-2026-0001"]);
    assert_eq!(before["total"], "240.00");
    let moved = b.ok(&["invoice", "set", "INV-2026-0001", "--due-date", "2026-07-15"]);
    assert_eq!(moved["due_date"], "2026-07-15");
    assert_eq!(moved["status"], "sent");
    assert_eq!(moved["total"], before["total"]);
    assert_eq!(moved["lines"], before["lines"], "lines untouched");
    let last = moved["activity"].as_array().unwrap().iter().find(|a| a["kind"] == "due_date_moved").cloned();
    let last = last.unwrap_or_else(|| panic!("the move is in the activity: {moved}"));
    assert!(last["detail"].as_str().unwrap().ends_with("to 2026-07-15"), "{last}");

    // Anything else with it is refused, and nothing is written.
    let snap = b.snapshot();
    let e = b.fails(&["invoice", "set", "INV-2026-0001", "--due-date", "2026-07-20", "--notes", "Thanks"]);
    assert_eq!(e["code"], "conflict");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("is sent") && msg.contains("due date alone"), "{msg}");
    let e = b.fails(&["invoice", "set", "INV-2026-0001", "--due-date", "2026-05-01"]);
    assert_eq!(e["field"], "due_date");
    assert_eq!(b.snapshot(), snap);

    // Statuses in sentences are words, not identifiers.
    b.ok(&["payment", "add", "INV-2026-0001", "--amount", "100"]);
    let e = b.fails(&["invoice", "set", "INV-2026-0001", "--notes", "Thanks"]);
    assert!(e["message"].as_str().unwrap().contains("is partially paid:"), "{e}");
    let partly = b.ok(&["invoice", "show", "INV-2026-0001"]);
    let change =
        partly["activity"].as_array().unwrap().iter().find(|a| a["kind"] == "status_changed").cloned().unwrap();
    assert_eq!(change["detail"], "sent → partially paid");

    // Paid: nothing is due any more.
    b.ok(&["payment", "add", "INV-2026-0001", "--amount", "140"]);
    let e = b.fails(&["invoice", "set", "INV-2026-0001", "--due-date", "2026-08-01"]);
    assert_eq!(e["code"], "conflict");
    assert!(e["message"].as_str().unwrap().contains("is paid: nothing is due any more"), "{e}");
}
