//! Estimates through the real use cases on a real SQLite file: numbering,
//! statuses (expired derived from the date), converting in full once,
//! deposits and the final invoice that deducts them, with hand-computed
//! amounts.

use billable_app::core::estimate::EstimateDisplay;
use billable_app::core::status::InvoiceStatus;
use billable_app::docs::document::DocumentKind;
use billable_app::{
    Billable, ConvertInput, EstimateHeaderInput, EstimateInput, EstimateListInput, EstimateView, PaymentInput,
    PdfOptions, TaxRateInput,
};

use crate::support::{assert_code, assert_invalid, client, line, s, Books};

/// A 19 % tax rate's id.
pub fn vat19(b: &mut Billable) -> i64 {
    b.create_tax_rate(TaxRateInput { name: s("VAT 19%"), percent: s("19"), category: s("S"), exemption_reason: None })
        .expect("tax rate")
        .id
}

/// 1,000.00 net at 19 %: 1,190.00, valid until 31 May 2026.
pub fn estimate(b: &mut Billable, client_id: i64, tax: i64) -> EstimateView {
    b.create_estimate(EstimateInput {
        client_id,
        header: EstimateHeaderInput {
            tax_rate_ids: Some(vec![tax]),
            valid_until: s("2026-05-31"),
            ..Default::default()
        },
        lines: vec![line("Website relaunch", "1", "1000.00")],
        ..Default::default()
    })
    .expect("create estimate")
}

fn convert(b: &mut Billable, number: &str, deposit: Option<&str>) -> billable_app::ConvertOutcome {
    b.convert_estimate(ConvertInput {
        estimate: number.into(),
        deposit: deposit.map(str::to_string),
        ..Default::default()
    })
    .expect("convert")
}

#[test]
fn a_30_percent_deposit_and_the_final_invoice_that_deducts_it() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme GmbH", Some("EUR"), None);
    let tax = vat19(&mut b);
    let e = estimate(&mut b, c.id, tax);
    assert_eq!(e.estimate.number, "EST-2026-0001");
    assert_eq!(e.estimate.total.to_string(), "1190.00");
    assert_eq!(e.display_status, EstimateDisplay::Draft);
    b.mark_estimate_sent(&e.estimate.number).unwrap();
    let e = b.accept_estimate(&e.estimate.number).unwrap();
    assert_eq!(e.display_status, EstimateDisplay::Accepted);

    let deposit = convert(&mut b, "EST-2026-0001", Some("30%"));
    let d = &deposit.invoice;
    assert_eq!(d.invoice.status, InvoiceStatus::Draft);
    assert_eq!(d.totals.taxable.to_string(), "300.00");
    assert_eq!(d.invoice.tax_total.to_string(), "57.00");
    assert_eq!(d.invoice.total.to_string(), "357.00");
    assert_eq!(d.lines.len(), 1);
    assert_eq!(d.lines[0].description, "Deposit of 30 % of estimate EST-2026-0001");
    let from = d.from_estimate.as_ref().expect("the deposit names its estimate");
    assert_eq!((from.number.as_str(), from.kind.as_str(), from.part.as_str()), ("EST-2026-0001", "deposit", "30%"));
    assert_eq!(deposit.estimate.invoices.len(), 1);
    assert_eq!(deposit.estimate.deposited.to_string(), "357.00");

    // The final invoice waits for the deposit to be issued.
    let err = assert_invalid(
        b.convert_estimate(ConvertInput { estimate: "EST-2026-0001".into(), ..Default::default() }),
        "deposit",
    );
    assert!(err.to_string().contains(&d.invoice.number), "{err}");
    b.mark_sent(&d.invoice.number).unwrap();
    let paid = b.record_payment(&d.invoice.number, PaymentInput::default()).unwrap();
    assert_eq!(paid.invoice.status, InvoiceStatus::Paid);

    let last = convert(&mut b, "EST-2026-0001", None);
    let f = &last.invoice;
    assert_eq!(f.invoice.total.to_string(), "1190.00");
    assert_eq!(f.invoice.tax_total.to_string(), "190.00");
    assert_eq!(f.invoice.prepaid.to_string(), "357.00");
    assert_eq!(f.invoice.balance_due.to_string(), "833.00");
    assert_eq!(f.lines.len(), 1, "the final invoice bills the full work");
    assert_eq!(f.lines[0].amount.to_string(), "1000.00");
    assert_eq!(f.deposits.len(), 1);
    assert_eq!(f.deposits[0].number, d.invoice.number);
    assert_eq!(f.deposits[0].total.to_string(), "357.00");
    assert_eq!(f.deposits[0].taxes[0].base.to_string(), "300.00");
    assert_eq!(f.deposits[0].taxes[0].amount.to_string(), "57.00");
    assert_eq!(f.from_estimate.as_ref().unwrap().kind, "final");
    let kinds: Vec<&str> = last.estimate.invoices.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, vec!["deposit", "final"]);
    assert!(last.estimate.converted);

    // Its PDF model shows the deposit; paying what is due settles it.
    let doc = b.invoice_document(&f.invoice.number).unwrap();
    assert_eq!(doc.deposits.len(), 1);
    assert_eq!(doc.prepaid().to_string(), "357.00");
    assert_eq!(doc.balance_due.to_string(), "833.00");
    b.mark_sent(&f.invoice.number).unwrap();
    let v = b.record_payment(&f.invoice.number, PaymentInput::default()).unwrap();
    assert_eq!(v.payments[0].amount.to_string(), "833.00");
    assert_eq!(v.invoice.status, InvoiceStatus::Paid);
    assert_eq!(v.invoice.balance_due.to_string(), "0.00");

    // A deposit deducted on a final invoice is not cancelled on its own.
    assert_code(b.cancel_invoice(&d.invoice.number), "conflict");
}

#[test]
fn an_estimate_converts_in_full_once() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme GmbH", Some("EUR"), None);
    let tax = vat19(&mut b);
    let e = estimate(&mut b, c.id, tax);
    let n = e.estimate.number.clone();
    // Only an accepted estimate converts.
    assert_invalid(b.convert_estimate(ConvertInput { estimate: n.clone(), ..Default::default() }), "status");
    b.accept_estimate(&n).unwrap();
    let full = convert(&mut b, &n, None);
    assert_eq!(full.invoice.invoice.status, InvoiceStatus::Draft);
    assert_eq!(full.invoice.invoice.total.to_string(), "1190.00");
    assert_eq!(full.invoice.lines[0].description, "Website relaunch");
    assert_eq!(full.invoice.from_estimate.as_ref().unwrap().kind, "full");

    let before = b.invoices(Default::default()).unwrap().total;
    let e2 = assert_invalid(b.convert_estimate(ConvertInput { estimate: n.clone(), ..Default::default() }), "estimate");
    assert!(e2.to_string().contains(&full.invoice.invoice.number), "{e2}");
    assert_invalid(
        b.convert_estimate(ConvertInput { estimate: n.clone(), deposit: s("10%"), ..Default::default() }),
        "deposit",
    );
    assert_eq!(b.invoices(Default::default()).unwrap().total, before, "nothing written");

    // Deleting the draft frees the estimate again.
    b.delete_invoice(&full.invoice.invoice.number).unwrap();
    let again = convert(&mut b, &n, None);
    assert!(again.estimate.converted);
    // An estimate with invoices is kept.
    assert_code(b.delete_estimate(&n), "conflict");
}

#[test]
fn deposits_stay_within_the_estimate_and_bad_parts_name_the_field() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme GmbH", Some("EUR"), None);
    let tax = vat19(&mut b);
    let e = estimate(&mut b, c.id, tax);
    let n = e.estimate.number.clone();
    b.accept_estimate(&n).unwrap();
    for bad in ["abc", "0%", "150%", "-3", "1.234"] {
        assert_invalid(
            b.convert_estimate(ConvertInput { estimate: n.clone(), deposit: s(bad), ..Default::default() }),
            "deposit",
        );
    }
    // An amount is net, like the estimate's prices: 500.00 + 95.00 tax.
    let d = convert(&mut b, &n, Some("500.00"));
    assert_eq!(d.invoice.invoice.total.to_string(), "595.00");
    // 500.01 net more would pass the estimate's 1,190.00.
    assert_invalid(
        b.convert_estimate(ConvertInput { estimate: n.clone(), deposit: s("500.01"), ..Default::default() }),
        "deposit",
    );
    let rest = convert(&mut b, &n, Some("500.00"));
    assert_eq!(rest.estimate.deposited.to_string(), "1190.00");
    assert_eq!(b.estimate(&n).unwrap().invoices.len(), 2);
}

#[test]
fn expired_is_derived_from_the_validity_date() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme GmbH", Some("EUR"), None);
    let tax = vat19(&mut b);
    let e = estimate(&mut b, c.id, tax);
    let n = e.estimate.number.clone();
    b.mark_estimate_sent(&n).unwrap();
    // Lines are fixed once sent; the validity date is not.
    assert_code(b.add_estimate_line(&n, line("Extra", "1", "10")), "conflict");
    b.reopen("2026-05-31T12:00:00+02:00");
    assert_eq!(b.estimate(&n).unwrap().display_status, EstimateDisplay::Sent);
    b.reopen("2026-06-01T09:00:00+02:00");
    assert_eq!(b.estimate(&n).unwrap().display_status, EstimateDisplay::Expired);
    let expired = b.estimates(EstimateListInput { status: s("expired"), ..Default::default() }).unwrap();
    assert_eq!(expired.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), vec![n.as_str()]);
    assert!(b.estimates(EstimateListInput { status: s("sent"), ..Default::default() }).unwrap().is_empty());
    assert_invalid(b.accept_estimate(&n), "valid_until");
    // Extending the validity brings it back.
    let v =
        b.set_estimate(&n, EstimateHeaderInput { valid_until: s("2026-06-30"), ..Default::default() }).expect("extend");
    assert_eq!(v.display_status, EstimateDisplay::Sent);
    assert_eq!(b.accept_estimate(&n).unwrap().display_status, EstimateDisplay::Accepted);
    assert_invalid(b.estimates(EstimateListInput { status: s("lost"), ..Default::default() }), "status");
}

#[test]
fn an_estimate_has_its_own_numbering_and_a_pdf_titled_estimate() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme GmbH", Some("EUR"), None);
    let tax = vat19(&mut b);
    assert_eq!(b.set_estimate_pattern("Q-{YY}{SEQ:3}").unwrap(), "Q-{YY}{SEQ:3}");
    assert_invalid(b.set_estimate_pattern("Q-{NOPE}"), "estimate_pattern");
    let e = estimate(&mut b, c.id, tax);
    assert_eq!(e.estimate.number, "Q-26001");
    // Invoices keep their own sequence.
    let inv = crate::support::manual_invoice(&mut b, c.id, vec![line("x", "1", "1")]);
    assert_eq!(inv.invoice.number, "INV-2026-0001");
    assert_invalid(
        b.create_estimate(EstimateInput {
            client_id: c.id,
            header: EstimateHeaderInput { valid_until: s("2026-05-01"), ..Default::default() },
            ..Default::default()
        }),
        "valid_until",
    );
    let doc = b.estimate_document(&e.estimate.number).unwrap();
    assert_eq!(doc.kind, DocumentKind::Estimate);
    assert_eq!(doc.due_date.to_string(), "2026-05-31");
    assert_eq!(doc.total.to_string(), "1190.00");
    let pdf = b.estimate_pdf(&e.estimate.number, PdfOptions::default()).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF"));
    assert_eq!(pdf.file_name, "Q-26001.pdf");
    // An estimate has no e-invoice.
    assert!(billable_app::docs::einvoice::check(&doc, billable_app::docs::einvoice::Format::Cii).is_err());
}
