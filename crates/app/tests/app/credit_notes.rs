//! Credit notes correct issued invoices: they reduce the balance due, settle
//! a fully credited invoice, and pay back what exceeds the balance as a
//! refund. Hand-checked amounts in the comments.

use billable_app::core::status::InvoiceStatus;
use billable_app::{CreditNoteInput, CreditNoteListInput, PaymentInput};
use rust_decimal_macros::dec;

use crate::support::*;

/// Design 10 h × 100.00 + Hosting 2 × 250.00 = 1,500.00 net, VAT 20 % 300.00,
/// total 1,800.00; sent.
fn sent_invoice(b: &mut Books) -> String {
    let vat = b
        .create_tax_rate(billable_app::TaxRateInput { name: s("VAT 20%"), percent: s("20"), ..Default::default() })
        .unwrap();
    let c = b
        .create_client(billable_app::ClientInput {
            name: s("Acme"),
            currency: s("EUR"),
            tax_rate_ids: Some(vec![vat.id]),
            ..Default::default()
        })
        .unwrap();
    let n = manual_invoice(b, c.id, vec![line("Design", "10", "100"), line("Hosting", "2", "250")]).invoice.number;
    let v = b.mark_sent(&n).unwrap();
    assert_eq!(v.invoice.total, dec!(1800.00));
    n
}

fn credit(invoice: &str, lines: &[&str]) -> CreditNoteInput {
    CreditNoteInput {
        invoice: invoice.to_string(),
        lines: lines.iter().map(|l| l.to_string()).collect(),
        ..Default::default()
    }
}

#[test]
fn a_credit_note_takes_a_paid_invoice_to_a_refund() {
    let mut b = Books::new();
    let n = sent_invoice(&mut b);
    let paid = b.record_payment(&n, PaymentInput { method: s("bank transfer"), ..Default::default() }).unwrap();
    assert_eq!(paid.invoice.status, InvoiceStatus::Paid);

    // 2.5 h of Design: 250.00 + 20 % = 300.00. The invoice is paid, so all of
    // it is money to pay back: without --refund nothing is written.
    let before = b.invoice(&n).unwrap();
    assert_invalid(b.create_credit_note(credit(&n, &["1:2.5"])), "refund");
    assert!(b.credit_notes(CreditNoteListInput::default()).unwrap().is_empty());
    assert_eq!(b.invoice(&n).unwrap().activity.len(), before.activity.len());

    let cn = b
        .create_credit_note(CreditNoteInput {
            refund: true,
            method: s("bank transfer"),
            reason: s("2.5 h billed twice"),
            ..credit(&n, &["1:2.5"])
        })
        .unwrap();
    assert_eq!(cn.credit_note.number, "CN-2026-0001");
    assert_eq!(cn.invoice_number, n);
    assert_unique_json_keys(&cn);
    assert_eq!(
        (cn.credit_note.subtotal, cn.credit_note.tax_total, cn.credit_note.total),
        (dec!(250.00), dec!(50.00), dec!(300.00))
    );
    assert_eq!((cn.credit_note.applied, cn.credit_note.refunded), (dec!(0.00), dec!(300.00)));
    assert_eq!(cn.lines.len(), 1);
    assert_eq!(
        (cn.lines[0].description.as_str(), cn.lines[0].quantity, cn.lines[0].amount),
        ("Design", dec!(2.5), dec!(250.00))
    );
    assert_eq!(cn.totals.taxes[0].amount, dec!(50.00));
    assert_eq!(cn.refunds.len(), 1);
    assert_eq!((cn.refunds[0].amount, cn.refunds[0].method.as_str()), (dec!(300.00), "bank transfer"));

    // The invoice: total frozen at 1,800.00; 300.00 credited; 1,800.00 paid
    // less 300.00 refunded = 1,500.00 kept; balance 1,800 − 300 − 1,500 = 0.
    let v = b.invoice(&n).unwrap();
    assert_eq!(v.invoice.total, dec!(1800.00));
    assert_eq!(v.credited, dec!(300.00));
    assert_eq!(v.invoice.amount_paid, dec!(1500.00));
    assert_eq!(v.invoice.balance_due, dec!(0.00));
    assert_eq!(v.invoice.status, InvoiceStatus::Paid);
    assert_eq!(v.credit_notes.len(), 1);
    assert_eq!(v.refunds[0].amount, dec!(300.00));
    let kinds: Vec<&str> = v.activity.iter().map(|a| a.kind.as_str()).collect();
    assert!(kinds.ends_with(&["credit_note_issued", "refund_recorded"]), "{kinds:?}");
    assert!(v.activity.iter().any(|a| a.detail.contains("CN-2026-0001 for 300.00 EUR, 300.00 EUR refunded")));
    // Beside the English text, the facts a sentence in any language needs.
    let facts = |kind: &str| v.activity.iter().rev().find(|a| a.kind == kind).and_then(|a| a.facts.clone());
    let issued = facts("credit_note_issued").expect("the credit note's facts");
    assert_eq!((issued.number.as_deref(), issued.amount), (Some("CN-2026-0001"), Some(dec!(300.00))));
    assert_eq!(issued.currency.map(|c| c.code()), Some("EUR"));
    let refund = facts("refund_recorded").expect("the refund's facts");
    assert_eq!(refund.amount, Some(dec!(300.00)));
    assert!(refund.date.is_some());
    assert_eq!(refund.method.as_deref(), Some("bank transfer"));
    let paid = facts("payment_recorded").expect("the payment's facts");
    assert_eq!((paid.amount, paid.currency.map(|c| c.code())), (Some(dec!(1800.00)), Some("EUR")));

    // The refund cannot be undone by deleting the payment it came from.
    let pid = v.payments[0].id;
    assert_code(b.delete_payment(pid), "conflict");
    // Lines stay frozen; the invoice cannot be cancelled once credited.
    assert_code(b.edit_line(&n, 1, line("x", "1", "1")), "conflict");
    assert_code(b.cancel_invoice(&n), "conflict");
}

#[test]
fn credits_reduce_the_balance_and_a_fully_credited_invoice_is_settled() {
    let mut b = Books::new();
    let n = sent_invoice(&mut b);
    // Hosting in full: 500.00 + 100.00 VAT = 600.00 off the balance.
    let first = b.create_credit_note(credit(&n, &["2"])).unwrap();
    assert_eq!((first.credit_note.total, first.credit_note.applied), (dec!(600.00), dec!(600.00)));
    let v = b.invoice(&n).unwrap();
    assert_eq!((v.invoice.balance_due, v.invoice.status), (dec!(1200.00), InvoiceStatus::Sent));
    assert!(v.refunds.is_empty());
    // A refund is refused when the credit only reduces what is owed.
    assert_invalid(b.create_credit_note(CreditNoteInput { refund: true, ..credit(&n, &["1:1"]) }), "refund");

    // More hosting than is left is refused naming the line's quantity.
    assert_invalid(b.create_credit_note(credit(&n, &["2:1"])), "line");
    assert_invalid(b.create_credit_note(credit(&n, &["1:11"])), "lines[1].quantity");
    assert_invalid(b.create_credit_note(credit(&n, &["3"])), "line");

    // Everything left (Design, 1,000.00 + 200.00): settled without a payment.
    let rest = b.create_credit_note(credit(&n, &[])).unwrap();
    assert_eq!(rest.credit_note.number, "CN-2026-0002");
    assert_eq!(rest.credit_note.total, dec!(1200.00));
    let v = b.invoice(&n).unwrap();
    assert_eq!((v.credited, v.invoice.balance_due, v.invoice.status), (dec!(1800.00), dec!(0.00), InvoiceStatus::Paid));
    assert!(v.activity.iter().any(|a| a.kind == "status_changed"
        && a.detail == "sent → paid"
        && a.facts
            .as_ref()
            .is_some_and(|f| (f.from, f.status) == (Some(InvoiceStatus::Sent), Some(InvoiceStatus::Paid)))));
    assert_code(b.create_credit_note(credit(&n, &[])), "conflict");
    // Its status follows the credit notes, not a hand-set status.
    assert_code(b.set_status(&n, "sent"), "conflict");
    // No payment can be recorded on it any more.
    assert_code(b.record_payment(&n, PaymentInput::default()), "conflict");

    let list = b.credit_notes(CreditNoteListInput::default()).unwrap();
    assert_eq!(
        list.iter().map(|r| r.credit_note.number.as_str()).collect::<Vec<_>>(),
        ["CN-2026-0002", "CN-2026-0001"]
    );
    assert_eq!(list[0].client_name, "Acme");
    assert_eq!(b.credit_note("CN-2026-0001").unwrap().lines[0].description, "Hosting");
}

#[test]
fn a_credit_beyond_a_part_payment_splits_into_balance_and_refund() {
    let mut b = Books::new();
    let n = sent_invoice(&mut b);
    b.record_payment(&n, PaymentInput { amount: s("1000"), ..Default::default() }).unwrap();
    // Credit everything (1,800.00): 800.00 still owed is cancelled, the
    // 1,000.00 received is paid back.
    assert_invalid(b.create_credit_note(credit(&n, &[])), "refund");
    let cn = b.create_credit_note(CreditNoteInput { refund: true, method: s("card"), ..credit(&n, &[]) }).unwrap();
    assert_eq!((cn.credit_note.applied, cn.credit_note.refunded), (dec!(800.00), dec!(1000.00)));
    let v = b.invoice(&n).unwrap();
    assert_eq!(
        (v.invoice.amount_paid, v.invoice.balance_due, v.invoice.status),
        (dec!(0.00), dec!(0.00), InvoiceStatus::Paid)
    );
}

#[test]
fn drafts_are_edited_not_credited_and_numbers_follow_the_pattern() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", Some("EUR"), None);
    let draft = manual_invoice(&mut b, c.id, vec![line("Design", "1", "100")]).invoice.number;
    assert_code(b.create_credit_note(credit(&draft, &[])), "conflict");
    assert_code(b.create_credit_note(credit("INV-1999-0001", &[])), "not_found");

    assert_invalid(b.set_credit_note_pattern("GS-{YEAR}"), "credit_note_number_pattern");
    assert_eq!(b.credit_note_pattern().unwrap(), "CN-{YYYY}-{SEQ:4}");
    b.set_credit_note_pattern("GS-{SEQ:3}").unwrap();
    b.mark_sent(&draft).unwrap();
    // Before the invoice was issued: refused naming the date.
    assert_invalid(b.create_credit_note(CreditNoteInput { date: s("2026-01-01"), ..credit(&draft, &[]) }), "date");
    let cn = b.create_credit_note(credit(&draft, &["1"])).unwrap();
    assert_eq!(cn.credit_note.number, "GS-001");
    assert_eq!(cn.credit_note.total, dec!(100.00));
}
