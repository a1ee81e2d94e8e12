//! Late fees on reminders through the real `billable` binary: set per step
//! with `reminders schedule --late-fee`, listed by `reminders run --dry-run`
//! (which writes nothing), invoiced once by `reminders run`.

use crate::mail::mail_server::PASSWORD;
use crate::mail::Mail;
use crate::support::snapshot;

#[test]
fn a_reminder_step_invoices_its_late_fee_once_and_the_dry_run_only_lists_it() {
    let m = Mail::new();
    let server = m.server(None);
    m.setup(server.port, PASSWORD);
    // Issued 10 May, due 9 June: 1,190.00 EUR.
    let number = m.draft();
    m.ok(&["invoice", "mark-sent", &number]);

    // Refused input names the field and writes nothing.
    let before = snapshot(&m.db());
    let e = m.fails(&["reminders", "schedule", "--late-fee", "7=five"]);
    assert_eq!(e["field"], "late_fee", "{e}");
    let e = m.fails(&["reminders", "schedule", "--late-fee", "9=5.00"]);
    assert_eq!(e["field"], "late_fee", "{e}");
    assert!(e["message"].as_str().unwrap().contains("9 days after the due date is not a step"), "{e}");
    let e = m.fails(&["reminders", "schedule", "--late-fee", "5.00"]);
    assert_eq!(e["field"], "late_fee", "{e}");
    assert_eq!(snapshot(&m.db()), before, "a refused schedule writes nothing");

    let v = m.ok(&["reminders", "schedule", "--late-fee", "7=1.5%", "--late-fee", "14=5.00"]);
    assert_eq!(v["late_fees"][0]["days_after"], 7, "{v}");
    assert_eq!(v["late_fees"][0]["fee"]["kind"], "percent", "{v}");
    assert_eq!(v["late_fees"][0]["fee"]["value"], "1.5", "{v}");
    assert_eq!(v["late_fees"][1]["fee"]["kind"], "fixed", "{v}");
    assert_eq!(v["late_fees"][1]["fee"]["value"], "5.00", "{v}");

    // 16 June, 7 days overdue, reminder 2: 1.5 % of 1,190.00 is 17.85.
    let at = "2026-06-16T08:00:00+02:00";
    let before = snapshot(&m.db());
    let dry = m.ok_at(at, &["reminders", "run", "--dry-run"]);
    assert_eq!(snapshot(&m.db()), before, "a dry run writes nothing");
    let fee = &dry["reminders"][0]["late_fee"];
    assert_eq!((fee["step"].as_u64(), fee["amount"].as_str()), (Some(2), Some("17.85")), "{dry}");
    assert!(fee["fee_invoice"].is_null(), "{dry}");
    assert!(server.received().is_empty());
    // In words, too.
    let text = m.text_at(at, &["reminders", "run", "--dry-run"]);
    assert!(text.contains("17.85 EUR (1.5%) would be invoiced"), "{text}");

    let run = m.ok_at(at, &["reminders", "run"]);
    let fee_number = run["reminders"][0]["late_fee"]["fee_invoice"].as_str().expect("invoiced").to_string();
    let again = m.ok_at(at, &["reminders", "run"]);
    assert!(again["reminders"].as_array().unwrap().is_empty(), "{again}");
    let fee_inv = m.ok(&["invoice", "show", &fee_number]);
    assert_eq!(fee_inv["status"], "sent");
    assert_eq!(fee_inv["total"], "17.85");
    assert_eq!(fee_inv["lines"][0]["description"], format!("Late fee for {number}, reminder 2"));
    assert_eq!(m.ok(&["invoice", "list"])["total"], 2, "exactly one fee invoice");
    let shown = m.ok(&["invoice", "show", &number]);
    let entry =
        shown["activity"].as_array().unwrap().iter().find(|a| a["kind"] == "late_fee_invoiced").expect("logged");
    assert_eq!(entry["detail"], format!("Late fee of 17.85 EUR invoiced as {fee_number} (reminder 2)"));
}
