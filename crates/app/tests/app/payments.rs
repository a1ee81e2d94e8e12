//! Payments move an issued invoice to partially paid and paid, and back.

use billable_app::core::status::InvoiceStatus;
use billable_app::PaymentInput;
use chrono::NaiveDate;
use rust_decimal_macros::dec;

use crate::support::*;

fn pay(amount: &str) -> PaymentInput {
    PaymentInput { amount: s(amount), ..Default::default() }
}

/// A sent invoice of 1000.00 + 20% VAT = 1200.00 for Acme.
fn sent_invoice(b: &mut Books) -> String {
    let vat = b
        .create_tax_rate(billable_app::TaxRateInput { name: s("VAT"), percent: s("20"), ..Default::default() })
        .unwrap();
    let c = b
        .create_client(billable_app::ClientInput {
            name: s("Acme"),
            tax_rate_ids: Some(vec![vat.id]),
            ..Default::default()
        })
        .unwrap();
    let n = manual_invoice(b, c.id, vec![line("Design", "10", "100")]).invoice.number;
    let v = b.mark_sent(&n).unwrap();
    assert_eq!(v.invoice.total, dec!(1200.00));
    n
}

#[test]
fn partial_then_final_payment() {
    let mut b = Books::new();
    let n = sent_invoice(&mut b);
    let v = b
        .record_payment(
            &n,
            PaymentInput {
                amount: s("500"),
                date: s("2026-05-08"),
                method: s("bank transfer"),
                reference: s("TX-1"),
                note: s("first half-ish"),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(v.invoice.amount_paid, dec!(500.00));
    assert_eq!(v.invoice.balance_due, dec!(700.00));
    assert_eq!(v.totals.balance_due, dec!(700.00));
    assert_eq!(v.payments.len(), 1);
    let p = &v.payments[0];
    assert_eq!(p.date, NaiveDate::from_ymd_opt(2026, 5, 8).unwrap());
    assert_eq!((p.method.as_str(), p.reference.as_str()), ("bank transfer", "TX-1"));

    // The rest, without an amount: the balance, today.
    let v = b.record_payment(&n, PaymentInput::default()).unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::Paid);
    assert_eq!(v.invoice.amount_paid, dec!(1200.00));
    assert_eq!(v.invoice.balance_due, dec!(0.00));
    assert_eq!(v.payments[1].amount, dec!(700.00));
    assert_eq!(v.payments[1].date, NaiveDate::from_ymd_opt(2026, 5, 10).unwrap());
    assert_eq!(b.payments(&n).unwrap().len(), 2);
    // Nothing left to pay.
    assert_code(b.record_payment(&n, PaymentInput::default()), "conflict");
    assert_invalid(b.record_payment(&n, pay("0.01")), "amount");

    // And the paid state is on disk.
    b.reopen("2026-09-01T09:00:00+02:00");
    let v = b.invoice(&n).unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::Paid);
    assert_eq!(v.display_status, billable_app::core::status::DisplayStatus::Paid, "paid is never overdue");
}

#[test]
fn a_payment_larger_than_the_balance_is_refused_and_writes_nothing() {
    let mut b = Books::new();
    let n = sent_invoice(&mut b);
    let e = assert_invalid(b.record_payment(&n, pay("1200.01")), "amount");
    assert!(e.to_string().contains("balance due"), "{e}");
    b.record_payment(&n, pay("1000")).unwrap();
    assert_invalid(b.record_payment(&n, pay("200.01")), "amount");
    let v = b.invoice(&n).unwrap();
    assert_eq!(v.payments.len(), 1);
    assert_eq!(v.invoice.amount_paid, dec!(1000.00));
    assert_eq!(v.invoice.balance_due, dec!(200.00));
    assert_eq!(v.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(v.activity.iter().filter(|a| a.kind == "payment_recorded").count(), 1);
}

#[test]
fn amounts_are_checked_against_the_currency() {
    let mut b = Books::new();
    let n = sent_invoice(&mut b);
    let e = assert_invalid(b.record_payment(&n, pay("10.005")), "amount");
    assert!(e.to_string().contains("EUR"), "{e}");
    assert_invalid(b.record_payment(&n, pay("-5")), "amount");
    assert_invalid(b.record_payment(&n, pay("0")), "amount");
    assert_invalid(b.record_payment(&n, pay("ten")), "amount");
    assert_invalid(b.record_payment(&n, PaymentInput { date: s("12/05/2026"), ..pay("10") }), "date");
    assert!(b.payments(&n).unwrap().is_empty());
    assert_eq!(b.invoice(&n).unwrap().invoice.status, InvoiceStatus::Sent);

    // Yen take no decimals at all.
    let c = client(&mut b, "Tanaka KK", Some("JPY"), None).id;
    let jp = manual_invoice(&mut b, c, vec![line("Work", "1", "1000")]).invoice.number;
    b.mark_sent(&jp).unwrap();
    assert_invalid(b.record_payment(&jp, pay("100.5")), "amount");
    assert_eq!(b.record_payment(&jp, pay("100")).unwrap().invoice.balance_due, dec!(900));
}

#[test]
fn deleting_a_payment_moves_the_status_back() {
    let mut b = Books::new();
    let n = sent_invoice(&mut b);
    b.record_payment(&n, pay("200")).unwrap();
    let v = b.record_payment(&n, pay("1000")).unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::Paid);
    let (first, second) = (v.payments[0].id, v.payments[1].id);

    let v = b.delete_payment(second).unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(v.invoice.amount_paid, dec!(200.00));
    assert_eq!(v.invoice.balance_due, dec!(1000.00));
    let v = b.delete_payment(first).unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::Sent);
    assert_eq!(v.invoice.amount_paid, dec!(0.00));
    assert_eq!(v.invoice.balance_due, dec!(1200.00));
    assert!(v.payments.is_empty());
    assert!(v.activity.iter().any(|a| a.kind == "payment_deleted"));
    assert_code(b.delete_payment(first), "not_found");
    // With no payments left it can be cancelled.
    assert_eq!(b.cancel_invoice(&n).unwrap().invoice.status, InvoiceStatus::Cancelled);
}

#[test]
fn a_cancelled_invoice_takes_no_payment() {
    let mut b = Books::new();
    let n = sent_invoice(&mut b);
    b.cancel_invoice(&n).unwrap();
    let e = assert_code(b.record_payment(&n, pay("10")), "conflict");
    assert!(e.to_string().contains("cancelled"), "{e}");
    assert_code(b.mark_paid(&n), "conflict");
    assert!(b.payments(&n).unwrap().is_empty());
    assert_code(b.record_payment("INV-1999-0001", pay("10")), "not_found");
}

#[test]
fn a_payment_on_a_draft_issues_it() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let n = manual_invoice(&mut b, c, vec![line("Design", "3", "100")]).invoice.number;
    let v = b.record_payment(&n, pay("100")).unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::PartiallyPaid);
    assert!(v.invoice.issued_at.is_some());
    assert_eq!(v.invoice.balance_due, dec!(200.00));
    // Now frozen like any issued invoice.
    assert_code(b.add_line(&n, line("More", "1", "1")), "conflict");

    // A refused payment on a draft leaves it a draft.
    let d = manual_invoice(&mut b, c, vec![line("Design", "1", "100")]).invoice.number;
    assert_invalid(b.record_payment(&d, pay("100.01")), "amount");
    let still = b.invoice(&d).unwrap();
    assert_eq!(still.invoice.status, InvoiceStatus::Draft);
    assert_eq!(still.invoice.issued_at, None);
    // An empty draft has nothing to pay.
    let empty = manual_invoice(&mut b, c, vec![]).invoice.number;
    assert_invalid(b.record_payment(&empty, pay("1")), "lines");
    assert_eq!(b.invoice(&empty).unwrap().invoice.status, InvoiceStatus::Draft);
}

#[test]
fn the_activity_log_records_what_happened() {
    let mut b = Books::at("2026-05-10T09:00:00+02:00");
    let n = sent_invoice(&mut b);
    b.reopen("2026-05-20T15:30:00+02:00");
    b.record_payment(&n, PaymentInput { method: s("card"), ..pay("200") }).unwrap();
    b.record_payment(&n, pay("1000")).unwrap();
    let v = b.invoice(&n).unwrap();
    let kinds: Vec<_> = v.activity.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec!["created", "sent", "payment_recorded", "status_changed", "payment_recorded", "status_changed"]
    );
    assert_eq!(v.activity[0].at.to_rfc3339(), "2026-05-10T07:00:00+00:00");
    assert_eq!(v.activity[2].at.to_rfc3339(), "2026-05-20T13:30:00+00:00");
    assert!(v.activity[2].detail.contains("200.00 EUR"), "{}", v.activity[2].detail);
    assert!(v.activity[2].detail.contains("card"), "{}", v.activity[2].detail);
    assert!(v.activity[3].detail.contains("sent → partially paid"), "{}", v.activity[3].detail);
    assert!(v.activity[5].detail.contains("partially paid → paid"), "{}", v.activity[5].detail);
}

/// Skonto: 1,000.00 + 19 % = 1,190.00 offered at 2 % within 10 days, that
/// is 23.80 off: 1,166.20 paid by the tenth day settles it.
#[test]
fn an_early_payment_less_the_discount_settles_the_invoice() {
    use billable_app::core::early_payment::EarlyDiscount;
    use billable_app::HeaderInput;
    let mut b = Books::new();
    let vat = b
        .create_tax_rate(billable_app::TaxRateInput { name: s("VAT"), percent: s("19"), ..Default::default() })
        .unwrap();
    let c = b
        .create_client(billable_app::ClientInput {
            name: s("Acme"),
            tax_rate_ids: Some(vec![vat.id]),
            ..Default::default()
        })
        .unwrap();
    let draft = manual_invoice(&mut b, c.id, vec![line("Design", "10", "100")]);
    let n = draft.invoice.number.clone();
    let issued = draft.invoice.issue_date;
    let day = |d: u64| (issued + chrono::Days::new(d)).to_string();
    let header = |early: &str, due: Option<String>| HeaderInput {
        early_discount: s(early),
        due_date: due,
        ..Default::default()
    };
    // A period that ends after the due date is refused, and nothing is written.
    let e = assert_invalid(b.set_header(&n, header("2%/40", Some(day(30)))), "early_discount");
    assert!(e.to_string().contains("after the due date"), "{e}");
    assert_eq!(b.invoice(&n).unwrap().invoice.early_discount, None);
    assert_invalid(b.set_header(&n, header("2 percent", None)), "early_discount");

    let v = b.set_header(&n, header("2%/10", Some(day(30)))).unwrap();
    assert_eq!(v.invoice.total, dec!(1190.00));
    assert_eq!(v.invoice.early_discount, Some(EarlyDiscount { percent: dec!(2), days: 10 }));
    let terms = v.early_discount_terms.clone().expect("the discount worked out");
    assert_eq!(terms.until.to_string(), day(10));
    assert_eq!((terms.amount, terms.payable, terms.available), (dec!(23.80), dec!(1166.20), true));
    b.mark_sent(&n).unwrap();
    // The due date cannot move before the discount's last day.
    assert_invalid(b.set_header(&n, HeaderInput { due_date: Some(day(9)), ..Default::default() }), "due_date");

    // 1,166.20 on the last day: paid, 23.80 taken, logged.
    let v = b.record_payment(&n, PaymentInput { amount: s("1166.20"), date: Some(day(10)), ..Default::default() });
    let v = v.unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::Paid);
    assert_eq!(
        (v.invoice.amount_paid, v.invoice.balance_due, v.invoice.early_discount_taken),
        (dec!(1166.20), dec!(0.00), dec!(23.80))
    );
    assert_eq!(v.payments[0].early_discount, dec!(23.80));
    assert!(v.activity.iter().any(|a| a.kind == "early_discount_taken"), "{:?}", v.activity);
    assert!(!v.early_discount_terms.expect("still offered").available, "taken once");

    // Deleting that payment gives the discount back.
    let v = b.delete_payment(v.payments[0].id).unwrap();
    assert_eq!(
        (v.invoice.status, v.invoice.balance_due, v.invoice.early_discount_taken),
        (InvoiceStatus::Sent, dec!(1190.00), dec!(0.00))
    );

    // A day late, the same amount is an ordinary partial payment.
    let v = b.record_payment(&n, PaymentInput { amount: s("1166.20"), date: Some(day(11)), ..Default::default() });
    let v = v.unwrap();
    assert_eq!(
        (v.invoice.status, v.invoice.balance_due, v.invoice.early_discount_taken),
        (InvoiceStatus::PartiallyPaid, dec!(23.80), dec!(0.00))
    );
}
