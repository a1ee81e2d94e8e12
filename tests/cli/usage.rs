//! `--help` explains every command with an example.

use crate::support::billable_bin;
use std::process::Command;

fn help(args: &[&str]) -> String {
    let out = Command::new(billable_bin()).args(args).arg("--help").output().unwrap();
    assert!(out.status.success(), "{args:?} --help failed");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_command_that_changes_the_books_has_an_example() {
    let with_examples: &[&[&str]] = &[
        &["business", "set"],
        &["client", "add"],
        &["client", "edit"],
        &["project", "add"],
        &["task", "add"],
        &["member", "add"],
        &["tax", "add"],
        &["item", "add"],
        &["item", "edit"],
        &["item", "list"],
        &["item", "archive"],
        &["item", "unarchive"],
        &["item", "delete"],
        &["timer", "start"],
        &["time", "add"],
        &["time", "edit"],
        &["time", "list"],
        &["time", "unbilled"],
        &["invoice", "create"],
        &["invoice", "from-time"],
        &["invoice", "list"],
        &["invoice", "set"],
        &["invoice", "clone"],
        &["invoice", "status"],
        &["invoice", "bulk"],
        &["invoice", "line", "add"],
        &["invoice", "line", "edit"],
        &["payment", "add"],
        &["report", "time"],
        &["invoice", "from-project"],
        &["project", "billing"],
        &["project", "retainer"],
        &["recurring", "create"],
        &["recurring", "run"],
        &["credit-note", "create"],
        &["credit-note", "list"],
        &["credit-note", "pattern"],
        &["report", "revenue"],
        &["report", "aging"],
        &["report", "unbilled"],
        &["report", "clients"],
        &["import"],
        &["export", "time"],
        &["export", "invoices"],
        &["export", "books"],
        &["export", "xero"],
        &["xero", "map"],
        &["xero", "unmap"],
        &["xero", "rules"],
        &["backup", "create"],
        &["backup", "list"],
        &["backup", "restore"],
        &["backup", "check"],
        &["backup", "settings"],
        &["invoice", "exchange-rate"],
        &["invoice", "send"],
        &["estimate", "send"],
        &["estimate", "mark-sent"],
        &["mail", "setup"],
        &["mail", "show"],
        &["mail", "test"],
        &["mail", "template", "show"],
        &["mail", "template", "edit"],
        &["mail", "template", "preview"],
        &["outbox", "list"],
        &["outbox", "retry"],
        &["outbox", "cancel"],
        &["outbox", "run"],
        &["reminders", "run"],
        &["reminders", "show"],
        &["reminders", "schedule"],
    ];
    for args in with_examples {
        let h = help(args);
        assert!(h.contains("Example: billable"), "{args:?} --help has no example:\n{h}");
    }
    let top = help(&[]);
    for cmd in [
        "business",
        "client",
        "project",
        "task",
        "member",
        "tax",
        "item",
        "timer",
        "time",
        "invoice",
        "payment",
        "report",
        "recurring",
        "credit-note",
        "import",
        "export",
        "xero",
        "backup",
        "mail",
        "outbox",
        "reminders",
    ] {
        assert!(top.contains(cmd), "top-level help lacks {cmd}");
    }
    assert!(top.contains("--json") && top.contains("--db"));
}

#[test]
fn under_json_a_usage_error_is_json_naming_the_argument() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("books.db");
    let run = |args: &[&str]| Command::new(billable_bin()).arg("--db").arg(&db).args(args).output().unwrap();
    // An unknown flag: the error object every other error has, on stdout.
    let out = run(&["--json", "client", "add", "Acme", "--colour", "blue"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["error"]["code"], "usage", "{v}");
    assert_eq!(v["error"]["field"], "colour", "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("--colour"), "{v}");
    // A missing argument.
    let out = run(&["--json", "payment", "add"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["error"]["code"], "usage", "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("usage: billable payment add"), "{v}");
    // Without --json, clap's own text on stderr; nothing is written either way.
    let out = run(&["client", "add", "Acme", "--colour", "blue"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unexpected argument '--colour'"));
    assert!(!db.exists(), "no books were opened");
}
