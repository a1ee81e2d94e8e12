//! Recurring profiles generate each due period once: missed periods are
//! caught up when the app opens again, a second run (or a second process)
//! generates nothing more, and month ends stay anchored on the start date.

use std::thread;

use billable_app::core::status::InvoiceStatus;
use billable_app::{Billable, InvoiceListInput, LineInput, RecurringInput};
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
    let books = b.location();
    // Two apps open on the same books on 20 April, both running at once.
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let books = books.clone();
            thread::spawn(move || {
                let mut app = Billable::open_at(&books, clock("2026-04-20T09:00:00+02:00")).unwrap();
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

// ---- send mode, against the loopback SMTP server of the mail tests -------------

mod send_mode {
    use billable_app::core::status::InvoiceStatus;
    use billable_app::{ClientInput, RecurringInput};

    use super::monthly;
    use crate::mail::mail_server::{free_port, PASSWORD};
    use crate::mail::Fixture;
    use crate::support::*;

    const JANUARY: &str = "2026-01-20T09:00:00+01:00";
    const APRIL: &str = "2026-04-20T09:00:00+02:00";

    /// A client with one billing email and its template invoice (500.00 EUR a
    /// month), made in January.
    fn template(f: &mut Fixture, emails: Vec<String>) -> (i64, String) {
        let c = f
            .books
            .create_client(ClientInput {
                name: s("Acme GmbH"),
                currency: s("EUR"),
                emails: Some(emails),
                ..Default::default()
            })
            .unwrap();
        let n = manual_invoice(&mut f.books, c.id, vec![line("Support {MONTH} {YEAR}", "1", "500")]).invoice.number;
        (c.id, n)
    }

    fn sending(invoice: &str) -> RecurringInput {
        RecurringInput { send_mode: s("send"), ..monthly(invoice, "2026-02-01") }
    }

    const GENERATED: [&str; 3] = ["INV-2026-0002", "INV-2026-0003", "INV-2026-0004"];

    #[test]
    fn three_missed_months_are_generated_and_emailed_exactly_once_each() {
        let mut f = Fixture::new(JANUARY);
        let server = f.server(None);
        f.setup(server.port, PASSWORD);
        let (_, n) = template(&mut f, vec!["ap@acme.example".into()]);
        let p = f.books.create_recurring(sending(&n)).unwrap();
        assert_eq!(p.profile.send_mode.as_str(), "send");

        f.reopen(APRIL);
        let run = f.books.run_recurring().unwrap();
        assert!(run.failed.is_empty(), "{:?}", run.failed);
        let numbers: Vec<&str> = run.generated.iter().map(|g| g.invoice_number.as_str()).collect();
        assert_eq!(numbers, GENERATED);
        for g in &run.generated {
            assert!(g.email_job.is_some());
            assert_eq!(g.email_state.as_deref(), Some("sent"), "{}", g.invoice_number);
        }
        assert_eq!(run.outbox.as_ref().unwrap().results.len(), 3);

        let got = server.received();
        assert_eq!(got.len(), 3, "one email per generated invoice");
        let mut subjects: Vec<String> = got.iter().map(|m| m.parsed().subject().unwrap().to_string()).collect();
        subjects.sort();
        assert_eq!(
            subjects,
            GENERATED.map(|n| format!("Invoice {n} from Studio Nord")),
            "the default template, each invoice once"
        );
        for m in &got {
            assert_eq!(m.rcpt_tos(), ["ap@acme.example"], "the client's billing email");
            let body = m.parsed().body_text(0).unwrap().to_string();
            assert!(body.contains("500.00 EUR"), "{body}");
        }
        for number in GENERATED {
            let v = f.books.invoice(number).unwrap();
            assert_eq!(v.invoice.status, InvoiceStatus::Sent, "{number} is sent once the server accepted it");
        }
        let march = f.books.invoice("INV-2026-0003").unwrap();
        assert_eq!(march.lines[0].description, "Support March 2026");

        // Run again, then again after a restart: nothing new, still three emails.
        let again = f.books.run_recurring().unwrap();
        assert!(again.generated.is_empty());
        f.reopen("2026-04-21T09:00:00+02:00");
        let again = f.books.run_recurring().unwrap();
        assert!(again.generated.is_empty());
        assert!(again.outbox.unwrap().results.is_empty());
        assert_eq!(server.received().len(), 3);
        assert_eq!(f.books.outbox(None).unwrap().len(), 3);
        assert_eq!(f.books.recurring(p.profile.id).unwrap().runs.len(), 3);
    }

    #[test]
    fn with_the_server_down_the_invoices_wait_unsent_and_go_out_once_when_it_is_back() {
        let mut f = Fixture::new(JANUARY);
        let port = free_port();
        f.setup(port, PASSWORD);
        let (_, n) = template(&mut f, vec!["ap@acme.example".into()]);
        f.books.create_recurring(sending(&n)).unwrap();

        f.reopen(APRIL);
        let run = f.books.run_recurring().unwrap();
        assert_eq!(run.generated.len(), 3);
        assert!(run.generated.iter().all(|g| g.email_state.as_deref() == Some("queued")));
        for number in GENERATED {
            assert_eq!(f.books.invoice(number).unwrap().invoice.status, InvoiceStatus::Draft, "{number}");
        }
        let queued = f.books.outbox(Some("queued")).unwrap();
        assert_eq!(queued.len(), 3);
        assert!(queued.iter().all(|j| j.last_error_code.as_deref() == Some("mail_connection_refused")));

        // A second run generates and queues nothing more.
        assert!(f.books.run_recurring().unwrap().generated.is_empty());
        assert_eq!(f.books.outbox(None).unwrap().len(), 3);

        let server = f.server(Some(port));
        f.reopen("2026-04-20T09:10:00+02:00");
        let out = f.books.process_outbox().unwrap();
        assert_eq!(out.results.len(), 3);
        assert!(out.results.iter().all(|r| r.state == "sent"), "{:?}", out.results);
        for number in GENERATED {
            assert_eq!(f.books.invoice(number).unwrap().invoice.status, InvoiceStatus::Sent, "{number}");
        }
        assert!(f.books.process_outbox().unwrap().results.is_empty());
        assert!(f.books.run_recurring().unwrap().generated.is_empty());
        let got = server.received();
        assert_eq!(got.len(), 3, "delivered once each");
        let mut subjects: Vec<String> = got.iter().map(|m| m.parsed().subject().unwrap().to_string()).collect();
        subjects.sort();
        assert_eq!(subjects, GENERATED.map(|n| format!("Invoice {n} from Studio Nord")));
    }

    #[test]
    fn send_mode_needs_email_set_up_and_a_billing_email_when_created_and_when_generating() {
        let mut f = Fixture::new(JANUARY);
        let (client, n) = template(&mut f, vec![]);
        let e = assert_invalid(f.books.create_recurring(sending(&n)), "send_mode");
        assert!(e.to_string().contains("not set up"), "{e}");
        assert!(f.books.recurring_profiles().unwrap().is_empty());

        let server = f.server(None);
        f.setup(server.port, PASSWORD);
        let e = assert_invalid(f.books.create_recurring(sending(&n)), "emails");
        assert!(e.to_string().contains("Acme GmbH"), "{e}");
        assert!(f.books.recurring_profiles().unwrap().is_empty());

        let with_email = ClientInput { emails: Some(vec!["ap@acme.example".into()]), ..Default::default() };
        f.books.edit_client(client, with_email.clone()).unwrap();
        let p = f.books.create_recurring(sending(&n)).unwrap();

        // The email goes away before the periods come: the run generates
        // nothing for the profile, says why, and catches up once it is back.
        f.books.edit_client(client, ClientInput { emails: Some(vec![]), ..Default::default() }).unwrap();
        f.reopen(APRIL);
        let run = f.books.run_recurring().unwrap();
        assert!(run.generated.is_empty());
        assert_eq!(run.failed.len(), 1);
        assert_eq!(run.failed[0].profile_id, p.profile.id);
        assert_eq!(run.failed[0].error.field.as_deref(), Some("emails"));
        assert!(f.books.recurring(p.profile.id).unwrap().runs.is_empty(), "no period claimed");
        assert!(f.books.outbox(None).unwrap().is_empty());

        f.books.edit_client(client, with_email).unwrap();
        let run = f.books.run_recurring().unwrap();
        assert_eq!(run.generated.len(), 3);
        assert!(run.generated.iter().all(|g| g.email_state.as_deref() == Some("sent")));
        assert_eq!(server.received().len(), 3);
    }
}

#[test]
fn a_long_description_recurs_with_its_period_filled_in() {
    let mut b = Books::at("2026-01-20T09:00:00+01:00");
    let c = client(&mut b, "Acme", Some("EUR"), None);
    let details = LineInput {
        long_description: s("Monitoring and updates\n{PERIOD_START} – {PERIOD_END}"),
        ..line("Support {MONTH} {YEAR}", "1", "500")
    };
    let n = manual_invoice(&mut b, c.id, vec![details]).invoice.number;
    let p = b.create_recurring(monthly(&n, "2026-02-01")).unwrap();
    assert_eq!(p.profile.lines[0].long_description, "Monitoring and updates\n{PERIOD_START} – {PERIOD_END}");
    b.reopen("2026-03-05T09:00:00+01:00");
    let run = b.run_recurring().unwrap();
    assert_eq!(run.generated.len(), 2);
    let march = b.invoice(&run.generated[1].invoice_number).unwrap();
    assert_eq!(march.lines[0].long_description, "Monitoring and updates\n2026-03-01 – 2026-03-31");
    // A misspelt placeholder in the details is refused by field, as in the description.
    let bad = LineInput { long_description: s("{MONHT}"), ..line("Support", "1", "500") };
    let m = manual_invoice(&mut b, c.id, vec![bad]).invoice.number;
    let e = b.create_recurring(monthly(&m, "2026-04-01")).unwrap_err();
    assert_eq!(e.field(), Some("lines[1].long_description"), "{e}");
}
