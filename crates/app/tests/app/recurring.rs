//! Recurring profiles generate each due period once: missed periods are
//! caught up when the app opens again, a second run (or a second process)
//! generates nothing more, and month ends stay anchored on the start date.

use std::thread;

use billable_app::core::status::InvoiceStatus;
use billable_app::{Billable, InvoiceListInput, RecurringInput};
use rust_decimal_macros::dec;

use crate::support::*;

/// A monthly support retainer template: "Support {MONTH} {YEAR}", 1 × 500.00,
/// made on 20 January 2026.
fn template(b: &mut Books) -> String {
    let c = client(b, "Acme", Some("EUR"), None);
    manual_invoice(b, c.id, vec![line("Support {MONTH} {YEAR} ({PERIOD_START} – {PERIOD_END})", "1", "500")])
        .invoice
        .number
}

fn monthly(invoice: &str, start: &str) -> RecurringInput {
    RecurringInput { invoice: invoice.into(), frequency: "monthly".into(), start_date: s(start), ..Default::default() }
}

fn invoice_count(b: &mut Billable) -> u64 {
    b.invoices(InvoiceListInput::default()).unwrap().total
}

#[test]
fn three_missed_months_are_generated_exactly_three_times() {
    let mut b = Books::at("2026-01-20T09:00:00+01:00");
    let n = template(&mut b);
    let p = b.create_recurring(monthly(&n, "2026-02-01")).unwrap();
    assert_eq!(p.profile.name, "Acme — monthly");
    assert_unique_json_keys(&p);
    assert_eq!(p.next_period.unwrap().start.to_string(), "2026-02-01");
    // Nothing is due before the first period starts.
    assert!(b.run_recurring().unwrap().generated.is_empty());

    // The app stays closed from January until 20 April: February, March and
    // April have started, so exactly those three are generated.
    b.reopen("2026-04-20T09:00:00+02:00");
    let run = b.run_recurring().unwrap();
    let got: Vec<(String, String)> =
        run.generated.iter().map(|g| (g.period_start.to_string(), g.period_end.to_string())).collect();
    assert_eq!(
        got,
        [
            ("2026-02-01".to_string(), "2026-02-28".to_string()),
            ("2026-03-01".to_string(), "2026-03-31".to_string()),
            ("2026-04-01".to_string(), "2026-04-30".to_string()),
        ]
    );
    assert!(run.failed.is_empty());
    let numbers: Vec<String> = run.generated.iter().map(|g| g.invoice_number.clone()).collect();
    assert_eq!(numbers, ["INV-2026-0002", "INV-2026-0003", "INV-2026-0004"]);
    let march = b.invoice("INV-2026-0003").unwrap();
    assert_eq!(march.invoice.status, InvoiceStatus::Draft);
    assert_eq!(march.invoice.issue_date.to_string(), "2026-03-01");
    assert_eq!(march.lines[0].description, "Support March 2026 (2026-03-01 – 2026-03-31)");
    assert_eq!(march.invoice.total, dec!(500.00));
    assert_eq!(invoice_count(&mut b), 4);

    // Run again: still three.
    assert!(b.run_recurring().unwrap().generated.is_empty());
    assert_eq!(invoice_count(&mut b), 4);
    // Deleting a generated draft does not bring its period back.
    b.delete_invoice("INV-2026-0004").unwrap();
    assert!(b.run_recurring().unwrap().generated.is_empty());
    let v = b.recurring(p.profile.id).unwrap();
    assert_eq!(v.runs.len(), 3);
    assert_eq!(v.runs[2].invoice_id, None);
    assert_eq!(v.next_period.unwrap().start.to_string(), "2026-05-01");
}

#[test]
fn two_processes_running_at_once_generate_each_month_once() {
    let mut b = Books::at("2026-01-20T09:00:00+01:00");
    let n = template(&mut b);
    b.create_recurring(monthly(&n, "2026-02-01")).unwrap();
    let path = b.path();
    // Two apps open on the same file on 20 April, both running at once.
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            thread::spawn(move || {
                let mut app = Billable::open(&path, clock("2026-04-20T09:00:00+02:00")).unwrap();
                app.run_recurring().unwrap()
            })
        })
        .collect();
    let generated: usize = runs.into_iter().map(|t| t.join().unwrap().generated.len()).sum();
    assert_eq!(generated, 3);
    b.reopen("2026-04-20T09:00:00+02:00");
    assert_eq!(invoice_count(&mut b), 4, "the template and three months");
    let descriptions: Vec<String> = ["INV-2026-0002", "INV-2026-0003", "INV-2026-0004"]
        .iter()
        .map(|n| b.invoice(n).unwrap().lines[0].description.clone())
        .collect();
    let mut months: Vec<&str> = descriptions.iter().map(|d| d.split(' ').nth(1).unwrap()).collect();
    months.sort();
    assert_eq!(months, ["April", "February", "March"]);
}

#[test]
fn a_profile_started_on_the_31st_falls_on_each_month_end() {
    let mut b = Books::at("2026-01-20T09:00:00+01:00");
    let n = template(&mut b);
    b.create_recurring(monthly(&n, "2026-01-31")).unwrap();
    b.reopen("2026-04-30T09:00:00+02:00");
    let dates: Vec<String> = b.run_recurring().unwrap().generated.iter().map(|g| g.period_start.to_string()).collect();
    assert_eq!(dates, ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]);
}

#[test]
fn paused_profiles_wait_and_limits_end_the_schedule() {
    let mut b = Books::at("2026-01-20T09:00:00+01:00");
    let n = template(&mut b);
    let p = b
        .create_recurring(RecurringInput {
            interval: Some(2),
            max_cycles: Some(2),
            name: s("Bi-monthly support"),
            ..monthly(&n, "2026-01-01")
        })
        .unwrap();
    let id = p.profile.id;
    b.set_recurring_paused(id, true).unwrap();
    assert_code(b.set_recurring_paused(id, true), "conflict");
    b.reopen("2026-12-01T09:00:00+01:00");
    assert!(b.run_recurring().unwrap().generated.is_empty(), "paused");
    b.set_recurring_paused(id, false).unwrap();
    // Every two months from January, at most two cycles: January and March.
    let dates: Vec<String> = b.run_recurring().unwrap().generated.iter().map(|g| g.period_start.to_string()).collect();
    assert_eq!(dates, ["2026-01-01", "2026-03-01"]);
    let v = b.recurring(id).unwrap();
    assert_eq!(v.next_period, None, "the schedule is over");
    // Deleting the profile keeps its invoices.
    b.delete_recurring(id).unwrap();
    assert_code(b.recurring(id), "not_found");
    assert_eq!(invoice_count(&mut b), 3);
}

#[test]
fn bad_profiles_are_refused_naming_the_field() {
    let mut b = Books::new();
    let n = template(&mut b);
    let c = b.invoice(&n).unwrap().invoice.client_id;
    let bad = manual_invoice(&mut b, c, vec![line("Support {MONHT}", "1", "5")]).invoice.number;
    assert_invalid(b.create_recurring(monthly(&bad, "2026-06-01")), "lines[1].description");
    assert_invalid(
        b.create_recurring(RecurringInput { frequency: "daily".into(), ..monthly(&n, "2026-06-01") }),
        "frequency",
    );
    assert_invalid(b.create_recurring(RecurringInput { interval: Some(0), ..monthly(&n, "2026-06-01") }), "interval");
    assert_invalid(
        b.create_recurring(RecurringInput { end_date: s("2026-05-01"), ..monthly(&n, "2026-06-01") }),
        "end_date",
    );
    assert_invalid(
        b.create_recurring(RecurringInput { max_cycles: Some(0), ..monthly(&n, "2026-06-01") }),
        "max_cycles",
    );
    assert_invalid(b.create_recurring(monthly(&n, "June")), "start_date");
    let e = assert_invalid(
        b.create_recurring(RecurringInput { send_mode: s("send"), ..monthly(&n, "2026-06-01") }),
        "send_mode",
    );
    assert!(e.to_string().contains("needs email"), "{e}");
    assert!(b.recurring_profiles().unwrap().is_empty());
    let ok = b.create_recurring(RecurringInput { send_mode: s("draft"), ..monthly(&n, "2026-06-01") }).unwrap();
    assert_eq!(ok.profile.send_mode.as_str(), "draft");
}
