//! Missing mandatory data is reported as a list of what to fill in.

use billable_docs::einvoice::{check, xml, Format};
use billable_docs::DocsError;

use super::matrix;

fn fields(r: Result<(), Vec<billable_docs::einvoice::MissingField>>) -> Vec<String> {
    r.err().unwrap_or_default().into_iter().map(|m| m.field).collect()
}

#[test]
fn a_complete_invoice_passes_every_format() {
    for (name, doc) in matrix() {
        for format in Format::ALL {
            assert_eq!(check(&doc, format), Ok(()), "{name} as {format}");
        }
    }
}

#[test]
fn every_missing_datum_is_listed_at_once() {
    let (_, mut doc) = matrix().into_iter().find(|(n, _)| *n == "exempt-line").unwrap();
    doc.seller.vat_id.clear();
    doc.seller.tax_registration.clear();
    doc.buyer.country_code = "Germany".into();
    doc.buyer_reference.clear();
    doc.payment.iban.clear();
    doc.seller.phone.clear();
    doc.lines[1].tax.as_mut().unwrap().exemption_reason = None;
    assert_eq!(
        fields(check(&doc, Format::XRechnung)),
        ["business.vat_id", "business.phone", "client.country", "buyer_reference", "business.iban", "lines[2].tax"]
    );
    // CII (Factur-X) needs neither a Leitweg-ID, nor an IBAN, nor a phone number.
    assert_eq!(fields(check(&doc, Format::Cii)), ["business.vat_id", "client.country", "lines[2].tax"]);
    // Peppol needs a buyer reference or a PO number; this invoice has a PO number.
    assert_eq!(fields(check(&doc, Format::Ubl)), ["business.vat_id", "client.country", "lines[2].tax"]);
}

#[test]
fn reverse_charge_needs_both_vat_ids_and_no_xml_is_written_without_them() {
    let (_, mut doc) = matrix().into_iter().find(|(n, _)| *n == "reverse-charge").unwrap();
    doc.buyer.vat_id.clear();
    doc.seller.vat_id.clear();
    doc.seller.tax_registration.clear();
    assert_eq!(fields(check(&doc, Format::Cii)), ["business.vat_id", "client.vat_id"]);
    match xml(&doc, Format::Cii) {
        Err(DocsError::Incomplete { fields, .. }) => assert_eq!(fields.len(), 2),
        other => panic!("expected the missing VAT ids, got {other:?}"),
    }
}

#[test]
fn several_invoice_level_taxes_cannot_become_one_category_per_line() {
    let (_, mut doc) = matrix().into_iter().find(|(n, _)| *n == "time-billed").unwrap();
    let extra = doc.taxes[0].clone();
    doc.taxes.push(extra);
    for line in &mut doc.lines {
        line.tax = None;
    }
    assert_eq!(fields(check(&doc, Format::Cii)), ["taxes"]);
}

#[test]
fn peppol_needs_electronic_addresses_and_a_buyer_reference() {
    let (_, mut doc) = matrix().into_iter().next().unwrap();
    doc.seller.email.clear();
    doc.buyer.email.clear();
    doc.buyer_reference.clear();
    doc.po_number.clear();
    assert_eq!(fields(check(&doc, Format::Ubl)), ["business.email", "client.email", "buyer_reference"]);
    assert_eq!(check(&doc, Format::Cii), Ok(()));
}
