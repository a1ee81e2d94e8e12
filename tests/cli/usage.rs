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
