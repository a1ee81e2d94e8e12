//! One payment across several invoices of a client, the credit it leaves,
//! that credit applied to a later invoice and paid back. Hand-computed.

use billable_app::core::status::InvoiceStatus;
use billable_app::{
    AllocationInput, ApplyCreditInput, ClientPaymentInput, CreditRefundInput, HeaderInput, PaymentInput,
};
use rust_decimal_macros::dec;

use crate::support::*;

/// Acme with three sent invoices: 500.00 (oldest due), 300.00, 400.00.
fn three_invoices(b: &mut Books) -> (i64, Vec<String>) {
    let c = client(b, "Acme", Some("EUR"), None);
    let mut numbers = Vec::new();
    for (rate, issued, due) in
        [("500", "2026-03-01", "2026-04-01"), ("300", "2026-03-15", "2026-04-15"), ("400", "2026-04-01", "2026-04-30")]
    {
        let n = manual_invoice(b, c.id, vec![line("Work", "1", rate)]).invoice.number;
        b.set_header(&n, HeaderInput { issue_date: s(issued), due_date: s(due), ..Default::default() }).unwrap();
        b.mark_sent(&n).unwrap();
        numbers.push(n);
    }
    (c.id, numbers)
}

fn receive(client: i64, amount: &str) -> ClientPaymentInput {
    ClientPaymentInput {
        client,
        amount: amount.into(),
        date: s("2026-05-06"),
        method: s("bank transfer"),
        reference: s("TX-77"),
        ..Default::default()
    }
}

#[test]
fn one_payment_over_three_invoices_then_the_credit_on_a_later_invoice() {
    let mut b = Books::new();
    let (acme, n) = three_invoices(&mut b);

    // The plan writes nothing: 1,500.00 settles 500 + 300 + 400 and leaves 300.00.
    let plan = b.plan_client_payment(receive(acme, "1500")).unwrap();
    let shares: Vec<_> = plan.invoices.iter().map(|i| (i.invoice.as_str(), i.share)).collect();
    assert_eq!(
        shares,
        vec![(n[0].as_str(), dec!(500.00)), (n[1].as_str(), dec!(300.00)), (n[2].as_str(), dec!(400.00))]
    );
    assert_eq!((plan.credit, plan.credit_before), (dec!(300.00), dec!(0.00)));
    assert_eq!(b.invoice(&n[0]).unwrap().invoice.status, InvoiceStatus::Sent);

    let credit = b.receive_payment(receive(acme, "1500")).unwrap();
    assert_eq!(credit.credit.len(), 1);
    assert_eq!(credit.credit[0].amount, dec!(300.00));
    let p = &credit.payments[0];
    assert_eq!((p.payment.amount, p.payment.allocated, p.payment.left), (dec!(1500.00), dec!(1200.00), dec!(300.00)));
    assert_eq!(p.shares.len(), 3);
    for number in &n {
        let v = b.invoice(number).unwrap();
        assert_eq!(v.invoice.status, InvoiceStatus::Paid, "{number}");
        assert_eq!(v.invoice.balance_due, dec!(0.00));
        assert_eq!(v.payments.len(), 1);
        assert_eq!(v.payments[0].client_payment_id, Some(p.payment.id));
        assert_eq!((v.payments[0].method.as_str(), v.payments[0].reference.as_str()), ("bank transfer", "TX-77"));
        assert_eq!(v.client_credit, dec!(300.00));
    }
    // The clients' figures show the credit.
    let figures = b.client_figures(Default::default()).unwrap();
    let acme_figures = figures.clients.iter().find(|c| c.client_id == acme).unwrap();
    assert_eq!(acme_figures.credit[0].amount, dec!(300.00));

    // A later invoice of 250.00 + 19 % = 297.50: the credit pays it whole, 2.50 left.
    let vat = b
        .create_tax_rate(billable_app::TaxRateInput { name: s("VAT"), percent: s("19"), ..Default::default() })
        .unwrap();
    let later = b
        .create_invoice(billable_app::InvoiceInput {
            client_id: acme,
            lines: vec![line("Support", "1", "250")],
            header: HeaderInput { tax_rate_ids: Some(vec![vat.id]), ..Default::default() },
            ..Default::default()
        })
        .unwrap()
        .invoice
        .number;
    b.mark_sent(&later).unwrap();
    let v = b.apply_credit(ApplyCreditInput { invoice: later.clone(), ..Default::default() }).unwrap();
    assert_eq!(v.invoice.total, dec!(297.50));
    assert_eq!((v.invoice.status, v.invoice.balance_due), (InvoiceStatus::Paid, dec!(0.00)));
    assert_eq!(v.client_credit, dec!(2.50));
    assert_eq!(v.payments[0].method, "client credit");
    assert!(v.activity.iter().any(|a| a.kind == "credit_applied"));
    // Nothing left to apply it to; the rest cannot go beyond the credit.
    assert_code(b.apply_credit(ApplyCreditInput { invoice: later.clone(), ..Default::default() }), "conflict");

    // Paying back more than is left is refused; then the 2.50 goes back.
    let refund = |amount: Option<String>| CreditRefundInput {
        client: acme,
        amount,
        method: s("bank transfer"),
        ..Default::default()
    };
    let e = assert_invalid(b.refund_credit(refund(s("2.51"))), "amount");
    assert!(e.to_string().contains("more than the 2.50 of credit available"), "{e}");
    let c = b.refund_credit(refund(None)).unwrap();
    assert!(c.credit.is_empty());
    assert_eq!(c.payments[0].payment.refunded, dec!(2.50));
    assert_eq!(c.payments[0].payment.left, dec!(0.00));
    assert_code(b.refund_credit(refund(None)), "conflict");
    // A payment partly paid back cannot be deleted.
    assert_code(b.delete_client_payment(c.payments[0].payment.id), "conflict");
}

#[test]
fn shares_by_hand_and_a_partial_payment_oldest_first() {
    let mut b = Books::new();
    let (acme, n) = three_invoices(&mut b);
    // 650.00 oldest first: the first settled, the second part-paid, the third untouched.
    b.receive_payment(receive(acme, "650")).unwrap();
    let statuses: Vec<_> = n.iter().map(|x| b.invoice(x).unwrap().invoice.balance_due).collect();
    assert_eq!(statuses, vec![dec!(0.00), dec!(150.00), dec!(400.00)]);
    assert_eq!(b.invoice(&n[1]).unwrap().invoice.status, InvoiceStatus::PartiallyPaid);

    // By hand: 400 to the newest and 100 to the second, 20 left as credit.
    let hand = |a: &str, bb: &str| ClientPaymentInput {
        allocations: Some(vec![
            AllocationInput { invoice: n[2].clone(), amount: a.into() },
            AllocationInput { invoice: n[1].clone(), amount: bb.into() },
        ]),
        ..receive(acme, "520")
    };
    // More than an invoice owes is refused naming the share, and nothing is written.
    let e = assert_invalid(b.receive_payment(hand("400", "150.01")), "allocations[2]");
    assert!(e.to_string().contains("more than the 150.00"), "{e}");
    let e = assert_invalid(b.receive_payment(hand("400", "121")), "allocations");
    assert!(e.to_string().contains("more than the 520.00 received"), "{e}");
    assert_eq!(b.client_credit(acme).unwrap().payments.len(), 1);
    let c = b.receive_payment(hand("400", "100")).unwrap();
    assert_eq!(c.credit[0].amount, dec!(20.00));
    let balances: Vec<_> = n.iter().map(|x| b.invoice(x).unwrap().invoice.balance_due).collect();
    assert_eq!(balances, vec![dec!(0.00), dec!(50.00), dec!(0.00)]);

    // Deleting a share gives it back to the credit; deleting the client
    // payment takes every share back and the credit with it.
    let second = c.payments[0].clone();
    let share_to_newest = second.shares.iter().find(|s| s.invoice == n[2]).unwrap().payment_id;
    b.delete_payment(share_to_newest).unwrap();
    assert_eq!(b.client_credit(acme).unwrap().credit[0].amount, dec!(420.00));
    assert_eq!(b.invoice(&n[2]).unwrap().invoice.balance_due, dec!(400.00));
    let c = b.delete_client_payment(second.payment.id).unwrap();
    assert!(c.credit.is_empty());
    assert_eq!(b.invoice(&n[1]).unwrap().invoice.balance_due, dec!(150.00));

    // An invoice of another client, or an unknown one, is not a share.
    let other = client(&mut b, "Globex", Some("EUR"), None);
    let theirs = manual_invoice(&mut b, other.id, vec![line("Work", "1", "10")]).invoice.number;
    b.mark_sent(&theirs).unwrap();
    let bad = ClientPaymentInput {
        allocations: Some(vec![AllocationInput { invoice: theirs, amount: "10".into() }]),
        ..receive(acme, "10")
    };
    assert_invalid(b.receive_payment(bad), "allocations[1]");
    let bad = ClientPaymentInput {
        allocations: Some(vec![AllocationInput { invoice: "INV-9999".into(), amount: "10".into() }]),
        ..receive(acme, "10")
    };
    assert_invalid(b.receive_payment(bad), "allocations[1]");
    assert_invalid(b.receive_payment(receive(acme, "0")), "amount");
    assert_invalid(b.receive_payment(receive(acme, "12.345")), "amount");
    assert_invalid(b.receive_payment(ClientPaymentInput { currency: s("XYZ"), ..receive(acme, "10") }), "currency");
}

#[test]
fn an_overpayment_of_one_invoice_is_kept_as_credit_when_asked() {
    let mut b = Books::new();
    let (acme, n) = three_invoices(&mut b);
    // 550.00 on the 500.00 invoice is refused unless the rest is kept.
    let over = |keep: bool| PaymentInput { amount: s("550"), keep_excess_as_credit: keep, ..Default::default() };
    assert_invalid(b.record_payment(&n[0], over(false)), "amount");
    let v = b.record_payment(&n[0], over(true)).unwrap();
    assert_eq!((v.invoice.status, v.invoice.amount_paid), (InvoiceStatus::Paid, dec!(500.00)));
    assert_eq!(v.client_credit, dec!(50.00));
    assert!(v.activity.iter().any(|a| a.kind == "credit_kept"));
    // Nothing left to pay: refused rather than all kept as credit.
    assert_code(b.record_payment(&n[0], over(true)), "conflict");
    // The credit goes to the next invoice: 50.00 of its 300.00.
    let v = b.apply_credit(ApplyCreditInput { invoice: n[1].clone(), ..Default::default() }).unwrap();
    assert_eq!((v.invoice.status, v.invoice.balance_due), (InvoiceStatus::PartiallyPaid, dec!(250.00)));
    assert_eq!(b.client_credit(acme).unwrap().credit.len(), 0);
}

/// 1,000.00 + 19 % = 1,190.00 at 2 % within 10 days: a payment across
/// invoices made in time gives it 1,166.20, which settles it.
#[test]
fn a_share_within_the_discount_period_settles_with_the_discount() {
    let mut b = Books::new();
    let vat = b
        .create_tax_rate(billable_app::TaxRateInput { name: s("VAT"), percent: s("19"), ..Default::default() })
        .unwrap();
    let acme = client(&mut b, "Acme", Some("EUR"), None);
    let first = manual_invoice(&mut b, acme.id, vec![line("Setup", "1", "100")]).invoice.number;
    b.mark_sent(&first).unwrap();
    let skonto = b
        .create_invoice(billable_app::InvoiceInput {
            client_id: acme.id,
            lines: vec![line("Design", "10", "100")],
            header: HeaderInput { tax_rate_ids: Some(vec![vat.id]), ..Default::default() },
            ..Default::default()
        })
        .unwrap();
    let issued = skonto.invoice.issue_date;
    let sk = skonto.invoice.number;
    let due = (issued + chrono::Days::new(30)).to_string();
    b.set_header(&sk, HeaderInput { early_discount: s("2%/10"), due_date: Some(due), ..Default::default() }).unwrap();
    b.mark_sent(&sk).unwrap();
    let date = (issued + chrono::Days::new(5)).to_string();
    let c = b
        .receive_payment(ClientPaymentInput {
            client: acme.id,
            amount: "1300".into(),
            date: Some(date),
            ..Default::default()
        })
        .unwrap();
    // 100.00 (due first: the invoice without a discount is older or equal) and 1,166.20; 33.80 credit.
    let v = b.invoice(&sk).unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::Paid);
    assert_eq!(v.invoice.early_discount_taken, dec!(23.80));
    assert_eq!(v.invoice.amount_paid, dec!(1166.20));
    assert_eq!(b.invoice(&first).unwrap().invoice.status, InvoiceStatus::Paid);
    assert_eq!(c.credit[0].amount, dec!(1300.00) - dec!(100.00) - dec!(1166.20));
}
