//! What an e-invoice needs before it can be written: every missing mandatory
//! datum, reported together as a list of what to fill in.

use std::fmt;

use billable_core::tax::{TaxCategory, TaxMode};

use super::Format;
use crate::document::InvoiceDocument;

/// One datum the e-invoice needs and the invoice lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingField {
    /// Where to fill it in, e.g. `business.vat_id`, `client.country`, `lines[3].tax`.
    pub field: String,
    /// What to fill in and why, in a sentence.
    pub message: String,
}

impl MissingField {
    fn new(field: impl Into<String>, message: impl Into<String>) -> MissingField {
        MissingField { field: field.into(), message: message.into() }
    }
}

impl fmt::Display for MissingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn is_country_code(s: &str) -> bool {
    let s = s.trim();
    s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic())
}

/// A Peppol invoice is routed by the parties' participant ids (BT-34 with
/// PEPPOL-EN16931-R020, BT-49 with R010): one set on the party, or one that
/// follows from its VAT id (or a German buyer's Leitweg-ID). The seller is
/// asked without a buyer reference, the buyer with one.
fn peppol_address(party: &crate::document::Party, buyer_reference: Option<&str>) -> Option<MissingField> {
    let (who, whose, bt, rule) = match buyer_reference {
        None => ("business", "the business's", 34, "R020"),
        Some(_) => ("client", "the client's", 49, "R010"),
    };
    match super::peppol::endpoint(party, buyer_reference) {
        Ok(Some(_)) => None,
        Ok(None) => Some(MissingField::new(
            format!("{who}.peppol_id"),
            format!("{whose} Peppol ID, the address Peppol delivers to, as scheme:identifier (e.g. 0088:4000001123452 for a GLN, 0204:991-12345-67 for a Leitweg-ID); a VAT id of most European countries gives one by itself (BT-{bt}, PEPPOL-EN16931-{rule})"),
        )),
        Err(problem) => Some(MissingField::new(format!("{who}.peppol_id"), problem)),
    }
}

/// Checks that `doc` holds everything `format` requires. Returns every
/// missing datum at once, in a stable order (business, client, invoice, lines).
pub fn check(doc: &InvoiceDocument, format: Format) -> Result<(), Vec<MissingField>> {
    let mut missing = Vec::new();
    if doc.kind == crate::document::DocumentKind::Estimate {
        // An estimate is an offer, not an invoice: no e-invoice format has one.
        missing.push(MissingField::new("kind", "an estimate has no e-invoice; convert it into an invoice first"));
        return Err(missing);
    }
    let mut need = |cond: bool, field: &str, message: &str| {
        if cond {
            missing.push(MissingField::new(field, message));
        }
    };
    let xrechnung = format == Format::XRechnung;
    let peppol = format == Format::Ubl;
    let categories: Vec<TaxCategory> = doc.lines.iter().filter_map(|l| l.tax.as_ref().map(|t| t.category)).collect();
    let has = |c: TaxCategory| categories.contains(&c);
    let (seller, buyer) = (&doc.seller, &doc.buyer);

    // The seller: the user's business.
    need(blank(&seller.name), "business.name", "the business's legal name (BT-27)");
    need(
        !is_country_code(&seller.country_code),
        "business.country",
        "the business's country as a two-letter ISO code, e.g. DE (BT-40)",
    );
    let seller_registered = !blank(&seller.vat_id) || !blank(&seller.tax_registration);
    if has(TaxCategory::K) || has(TaxCategory::G) {
        need(blank(&seller.vat_id), "business.vat_id", "the business's VAT identification number, required for intra-community supplies and exports (BR-IC-02, BR-G-02)");
    } else {
        need(!seller_registered, "business.vat_id", "the business's VAT identification number or tax number, so the buyer can identify the seller (BR-CO-26, BR-S-02, BR-E-02, BR-AE-02)");
    }
    if xrechnung {
        need(blank(&seller.city), "business.city", "the business's city (BR-DE-3)");
        need(blank(&seller.postcode), "business.postcode", "the business's postcode (BR-DE-4)");
        need(
            blank(&seller.phone),
            "business.phone",
            "the business's telephone number for the seller contact (BR-DE-6)",
        );
        need(
            blank(&seller.email),
            "business.email",
            "the business's email address for the seller contact and electronic address (BR-DE-7, BT-34)",
        );
    } else if peppol {
        if let Some(m) = peppol_address(seller, None) {
            need(true, &m.field, &m.message);
        }
    }

    // The buyer: the client.
    need(blank(&buyer.name), "client.name", "the client's legal name (BT-44)");
    need(
        !is_country_code(&buyer.country_code),
        "client.country",
        "the client's country as a two-letter ISO code, e.g. FR (BT-55)",
    );
    if has(TaxCategory::AE) || has(TaxCategory::K) {
        need(blank(&buyer.vat_id), "client.vat_id", "the client's VAT identification number, required for reverse charge and intra-community supplies (BR-AE-04, BR-IC-04)");
    }
    if xrechnung {
        need(blank(&buyer.city), "client.city", "the client's city (BR-DE-8)");
        need(blank(&buyer.postcode), "client.postcode", "the client's postcode (BR-DE-9)");
        need(blank(&buyer.email), "client.email", "the client's email address, the buyer's electronic address (BT-49)");
    } else if peppol {
        if let Some(m) = peppol_address(buyer, Some(&doc.buyer_reference)) {
            need(true, &m.field, &m.message);
        }
    }

    // The invoice.
    need(blank(&doc.number), "number", "the invoice number (BT-1)");
    need(
        doc.currency.minor_units() > 2,
        "currency",
        "an e-invoice states amounts with at most two decimals (BR-DEC); invoices in this currency cannot be exported",
    );
    if xrechnung {
        need(
            blank(&doc.buyer_reference),
            "buyer_reference",
            "the buyer reference: the client's Leitweg-ID (BT-10, BR-DE-15)",
        );
        need(
            blank(&doc.payment.iban),
            "business.iban",
            "the business's IBAN for the payment instructions (BR-DE-1, BR-DE-23)",
        );
    } else if peppol {
        need(
            blank(&doc.buyer_reference) && blank(&doc.po_number),
            "buyer_reference",
            "a buyer reference or a purchase order number (BT-10 or BT-13, PEPPOL-EN16931-R003)",
        );
    }
    if has(TaxCategory::O) && categories.iter().any(|&c| c != TaxCategory::O) {
        need(true, "taxes", "'outside the scope of VAT' (O) cannot be combined with other VAT categories on one e-invoice (BR-O-11); issue separate invoices");
    }
    if doc.tax_mode == TaxMode::Summary && doc.taxes.len() > 1 {
        need(true, "taxes", "an e-invoice carries one VAT category per line, and this invoice applies several invoice-level taxes to every line; switch the invoice to inline taxes (a rate per line)");
    }
    if doc.lines.is_empty() {
        need(true, "lines", "at least one line (BR-16)");
    }
    if let Some(super::model::AdjustmentSlot::Impossible(amount)) = super::model::adjustment(doc) {
        need(
            true,
            "adjustment",
            &format!(
                "an adjustment of {amount} {} after tax has no place in an e-invoice: EN 16931 taxes every allowance and charge on taxed lines, and leaves untaxed only a rounding under 1 {0} (BT-114); give it as a discount, which is taxed, or as a line",
                doc.currency.code()
            ),
        );
    }

    // The lines.
    for line in &doc.lines {
        let at = |what: &str| format!("lines[{}].{what}", line.position);
        need(blank(&line.description), &at("description"), "a description, the item name (BT-153)");
        need(blank(&line.unit_code), &at("unit"), "a unit (BT-130), e.g. hours or pieces");
        if peppol {
            let stated = super::model::billed_quantity(line, doc) * line.rate;
            if (stated - line.gross).abs() > rust_decimal::Decimal::new(2, 2) {
                need(
                    true,
                    &at("rate"),
                    &format!(
                        "the price {} is finer than {} can be paid in: {} × {} is {}, but the line amount is {}; Peppol needs quantity × price to give the amount (PEPPOL-EN16931-R120), so enter the price in whole {}",
                        line.rate.normalize(),
                        doc.currency.code(),
                        line.quantity.normalize(),
                        line.rate.normalize(),
                        stated.normalize(),
                        line.gross,
                        if doc.currency.minor_units() == 0 { "units" } else { "cents" },
                    ),
                );
            }
        }
        match &line.tax {
            None if doc.tax_mode == TaxMode::Summary && doc.taxes.len() > 1 => {}
            None => need(true, &at("tax"), "a tax rate with its VAT category: every e-invoice line has one (BT-151)"),
            Some(t) if t.category == TaxCategory::E => need(
                t.exemption_reason.as_deref().is_none_or(blank),
                &at("tax"),
                "the exemption reason of the exempt (E) tax rate (BT-120, BR-E-10)",
            ),
            Some(_) => {}
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing)
    }
}
