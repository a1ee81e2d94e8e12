//! Documents: the view model built from the books (amounts as the engine
//! computed them, time entries under their lines, settings and overrides),
//! and the PDF; missing logo or signature files are named by their setting.

use billable_app::core::presentation::{Locale, Paper, Template};
use billable_app::docs::document::Stamp;
use billable_app::{BusinessInput, HeaderInput, PaymentInput, PdfOptions};
use rust_decimal_macros::dec;

use crate::support::*;

#[test]
fn the_document_carries_the_books_as_the_engine_computed_them() {
    let mut b = Books::new();
    b.update_business(BusinessInput {
        name: s("Studio Nord"),
        street: s("Hafenstraße 12"),
        postcode: s("20457"),
        city: s("Hamburg"),
        country: s("de"),
        vat_id: s("de 123 456 789"),
        iban: s("DE89 3704 0044 0532 0130 00"),
        locale: s("de-DE"),
        paper_size: s("letter"),
        pdf_template: s("minimal"),
        ..Default::default()
    })
    .unwrap();
    let c = client(&mut b, "Acme GmbH", Some("EUR"), Some("100"));
    b.edit_client(
        c.id,
        billable_app::ClientInput {
            buyer_reference: s("04011000-1234512345-06"),
            street: s("Ring 1"),
            ..Default::default()
        },
    )
    .unwrap();
    let p = project(&mut b, c.id, "Relaunch", None);
    let e1 = hours(&mut b, p.id, None, "2026-05-04", "1.5").entry.id;
    let e2 = hours(&mut b, p.id, None, "2026-05-05", "2.25").entry.id;
    let inv = bill(&mut b, c.id, &[e1, e2], "project");
    let number = inv.invoice.number.clone();

    let doc = b.invoice_document(&number).unwrap();
    assert_eq!(doc.seller.vat_id, "DE123456789");
    assert_eq!(doc.seller.country_code, "DE");
    assert_eq!(doc.buyer.street, "Ring 1");
    assert_eq!(doc.buyer_reference, "04011000-1234512345-06");
    assert_eq!(doc.project_reference, "Relaunch");
    assert_eq!((doc.language, doc.paper, doc.template), (Locale::DeDe, Paper::Letter, Template::Minimal));
    assert_eq!(doc.lines.len(), 1);
    let line = &doc.lines[0];
    assert_eq!(line.unit_code, "HUR");
    assert_eq!(line.time_entries.iter().map(|e| e.seconds).collect::<Vec<_>>(), vec![5_400, 8_100]);
    assert_eq!(line.net_amount, dec!(375.00));
    assert_eq!(
        (doc.subtotal, doc.total, doc.balance_due),
        (inv.invoice.subtotal, inv.invoice.total, inv.invoice.balance_due)
    );
    assert_eq!(doc.payment.remittance, number);
    assert_eq!(doc.stamp, None);

    // The invoice's own template and locale win over the business's.
    b.set_header(&number, HeaderInput { template: s("detailed"), locale: s("fr-FR"), ..Default::default() }).unwrap();
    let doc = b.invoice_document(&number).unwrap();
    assert_eq!((doc.template, doc.language), (Template::Detailed, Locale::FrFr));
    b.set_header(&number, HeaderInput { template: s(""), ..Default::default() }).unwrap();
    assert_eq!(b.invoice_document(&number).unwrap().template, Template::Minimal);

    // Paid in full: stamped.
    b.mark_sent(&number).unwrap();
    b.record_payment(&number, PaymentInput { amount: Some(inv.invoice.total.to_string()), ..Default::default() })
        .unwrap();
    assert_eq!(b.invoice_document(&number).unwrap().stamp, Some(Stamp::Paid));

    let pdf = b.invoice_pdf(&number, PdfOptions::default()).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    assert_eq!(pdf.file_name, format!("{number}.pdf"));
}

#[test]
fn settings_are_checked_by_field_and_nothing_is_saved() {
    let mut b = Books::new();
    let before = b.business().unwrap();
    assert_invalid(b.update_business(BusinessInput { locale: s("xx-YY"), ..Default::default() }), "locale");
    assert_invalid(b.update_business(BusinessInput { pdf_template: s("fancy"), ..Default::default() }), "pdf_template");
    assert_invalid(b.update_business(BusinessInput { paper_size: s("a5"), ..Default::default() }), "paper_size");
    assert_invalid(b.update_business(BusinessInput { einvoicing: s("maybe"), ..Default::default() }), "einvoicing");
    assert_invalid(b.update_business(BusinessInput { vat_id: s("123456"), ..Default::default() }), "vat_id");
    assert_invalid(b.update_business(BusinessInput { country: s("Germany"), ..Default::default() }), "country");
    assert_invalid(
        b.update_business(BusinessInput {
            name: s("Changed"),
            signature_path: s("/no/such/sig.png"),
            ..Default::default()
        }),
        "signature_path",
    );
    assert_eq!(b.business().unwrap(), before);
    let on = b.update_business(BusinessInput { einvoicing: s("on"), ..Default::default() }).unwrap();
    assert!(on.einvoicing);
}

#[test]
fn a_logo_file_that_went_missing_is_named_by_its_setting() {
    let mut b = Books::new();
    let dir = tempfile::tempdir().unwrap();
    let logo = dir.path().join("logo.png");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/tests/fixtures/logo.png"), &logo).unwrap();
    b.update_business(BusinessInput {
        name: s("Studio Nord"),
        logo_path: s(logo.to_str().unwrap()),
        ..Default::default()
    })
    .unwrap();
    let c = client(&mut b, "Acme", None, None);
    let number = manual_invoice(&mut b, c.id, vec![line("Work", "1", "100")]).invoice.number;
    assert!(b.invoice_document(&number).unwrap().logo.is_some());
    std::fs::remove_file(&logo).unwrap();
    let e = assert_invalid(b.invoice_document(&number), "logo_path");
    assert!(e.to_string().contains("logo.png"), "{e}");
    assert_invalid(b.invoice_pdf(&number, PdfOptions::default()), "logo_path");
}
