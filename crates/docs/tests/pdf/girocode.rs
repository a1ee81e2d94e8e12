use billable_docs::pdf::girocode::{modules, payload};
use rust_decimal_macros::dec;

use super::render::sample;

#[test]
fn the_epc_payload_follows_epc069_12() {
    let mut doc = sample();
    doc.balance_due = dec!(1234.5);
    let p = payload(&doc).unwrap();
    assert_eq!(
        p,
        "BCD\n002\n1\nSCT\nCOBADEFFXXX\nNordlicht Studio GmbH\nDE89370400440532013000\nEUR1234.50\n\n\nINV-2026-0042"
    );
    let (width, dark) = modules(&p).unwrap();
    assert_eq!(dark.len(), width * width);
    assert!(width >= 21);
}

#[test]
fn only_eur_invoices_with_an_iban_and_a_balance_get_a_code() {
    let mut doc = sample();
    doc.payment.iban.clear();
    assert!(payload(&doc).is_none());
    let mut doc = sample();
    doc.balance_due = dec!(0);
    assert!(payload(&doc).is_none());
    let mut doc = sample();
    doc.currency = billable_core::Currency::parse("USD").unwrap();
    assert!(payload(&doc).is_none());
    let mut doc = sample();
    doc.seller.name = "N".repeat(90);
    assert_eq!(payload(&doc).unwrap().lines().nth(5).unwrap().len(), 70);
}

#[test]
fn the_code_is_printed_on_eur_invoices() {
    let dir = tempfile::tempdir().unwrap();
    let doc = sample();
    let text = super::render::checked_text(&billable_docs::pdf::render(&doc).unwrap(), dir.path(), "qr");
    assert!(text.contains("Scan to pay (SEPA)"), "{text}");
}
