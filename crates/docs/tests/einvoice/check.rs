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
    // Peppol needs a buyer reference or a PO number; this invoice has a PO
    // number. Without a VAT id the business has no Peppol address either.
    assert_eq!(
        fields(check(&doc, Format::Ubl)),
        ["business.vat_id", "business.peppol_id", "client.country", "lines[2].tax"]
    );
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
fn peppol_needs_participant_ids_and_a_buyer_reference() {
    let (_, mut doc) = matrix().into_iter().next().unwrap();
    // Email addresses are no Peppol addresses (PEPPOL-EN16931-CL008): the
    // German VAT ids are (9930).
    doc.seller.email.clear();
    doc.buyer.email.clear();
    assert_eq!(check(&doc, Format::Ubl), Ok(()));
    doc.seller.vat_id = "DK12345678".into();
    doc.buyer.vat_id.clear();
    doc.buyer_reference.clear();
    doc.po_number.clear();
    let missing = check(&doc, Format::Ubl).unwrap_err();
    assert_eq!(
        missing.iter().map(|m| m.field.as_str()).collect::<Vec<_>>(),
        ["business.peppol_id", "client.peppol_id", "buyer_reference"]
    );
    assert!(missing[1].message.contains("0088:"), "{}", missing[1].message);
    assert_eq!(check(&doc, Format::Cii), Ok(()));
    // Set by hand, they are used; a malformed one is refused with why.
    doc.seller.peppol_id = "0184:12345678".into();
    doc.buyer.peppol_id = "EM:ap@client.example".into();
    doc.po_number = "PO-1".into();
    let missing = check(&doc, Format::Ubl).unwrap_err();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].field, "client.peppol_id");
    assert!(missing[0].message.contains("'EM' is not a Peppol identifier scheme"), "{}", missing[0].message);
    doc.buyer.peppol_id = "0088:4000001123452".into();
    let x = String::from_utf8(xml(&doc, Format::Ubl).unwrap()).unwrap();
    assert!(x.contains(r#"<cbc:EndpointID schemeID="0184">12345678</cbc:EndpointID>"#), "{x}");
    assert!(x.contains(r#"<cbc:EndpointID schemeID="0088">4000001123452</cbc:EndpointID>"#), "{x}");
}

#[test]
fn a_german_public_buyer_is_addressed_by_its_leitweg_id() {
    let (_, mut doc) = matrix().into_iter().next().unwrap();
    doc.buyer.vat_id.clear();
    doc.buyer_reference = "991-12345-67".into();
    let x = String::from_utf8(xml(&doc, Format::Ubl).unwrap()).unwrap();
    assert!(x.contains(r#"<cbc:EndpointID schemeID="0204">991-12345-67</cbc:EndpointID>"#), "{x}");
    assert!(x.contains(r#"<cbc:EndpointID schemeID="9930">DE123456789</cbc:EndpointID>"#), "{x}");
}

#[test]
fn a_price_finer_than_the_currency_is_refused_for_peppol() {
    // 1 × 5000.5 JPY is an amount of 5001: Peppol wants quantity × price to
    // give the amount (PEPPOL-EN16931-R120), so the line is named.
    let (_, mut doc) = matrix().into_iter().find(|(n, _)| *n == "jpy").unwrap();
    let line = &mut doc.lines[0];
    line.quantity = rust_decimal::Decimal::ONE;
    line.rate = rust_decimal_macros::dec!(5000.5);
    line.gross = rust_decimal_macros::dec!(5001);
    let missing = check(&doc, Format::Ubl).unwrap_err();
    assert_eq!(missing.iter().map(|m| m.field.as_str()).collect::<Vec<_>>(), ["lines[1].rate"]);
    assert!(missing[0].message.contains("1 × 5000.5 is 5000.5, but the line amount is 5001"), "{}", missing[0].message);
    assert!(missing[0].message.contains("whole units"), "{}", missing[0].message);
}

#[test]
fn the_peppol_schemes_are_the_vendored_rules_list() {
    // The schemes Billable accepts are exactly those of PEPPOL-EN16931-CL008
    // in the official rules the test suite runs.
    let sch = std::fs::read_to_string(
        super::fixture::repo_root().join("tests/einvoice-rules/_src/peppol/PEPPOL-EN16931-UBL.sch"),
    )
    .unwrap();
    let start = sch.find(r#"<let name="eaid" value="tokenize('"#).expect("the eaid list") + 34;
    let end = start + sch[start..].find('\'').unwrap();
    let mut official: Vec<&str> = sch[start..end].split_whitespace().collect();
    let mut ours = billable_docs::einvoice::peppol::SCHEMES.to_vec();
    official.sort_unstable();
    ours.sort_unstable();
    assert_eq!(ours, official);
}
