//! OASIS UBL 2.1 Invoice / CreditNote with the Peppol BIS Billing 3.0
//! customization and profile identifiers.

use chrono::NaiveDate;

use super::model::{AllowanceCharge, Category, Line, Semantic};
use super::peppol;
use super::xml::El;
use super::Format;
use crate::document::{DocumentKind, Party};

const INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
const CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
const PROFILE: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

fn date(name: &'static str, d: NaiveDate) -> El {
    El::text(name, d.format("%Y-%m-%d").to_string())
}

pub(crate) fn document(s: &Semantic<'_>) -> El {
    let doc = s.doc;
    let credit = matches!(doc.kind, DocumentKind::CreditNote { .. });
    let cur = s.currency();
    let mut root = if credit {
        El::new("CreditNote").attr("xmlns", CREDIT_NOTE)
    } else {
        El::new("Invoice").attr("xmlns", INVOICE)
    }
    .attr("xmlns:cac", CAC)
    .attr("xmlns:cbc", CBC)
    .child(El::text("cbc:CustomizationID", Format::Ubl.specification_id()))
    .child(El::text("cbc:ProfileID", PROFILE))
    .child(El::text("cbc:ID", &doc.number))
    .child(date("cbc:IssueDate", doc.issue_date));
    if credit {
        root.push(El::text("cbc:CreditNoteTypeCode", "381"));
    } else {
        root.push(date("cbc:DueDate", doc.due_date));
        root.push(El::text("cbc:InvoiceTypeCode", "380"));
    }
    root = root
        .opt("cbc:Note", &doc.notes)
        .child(El::text("cbc:DocumentCurrencyCode", cur))
        .opt("cbc:BuyerReference", &doc.buyer_reference);
    if let Some((start, end)) = s.period {
        root.push(El::new("cac:InvoicePeriod").child(date("cbc:StartDate", start)).child(date("cbc:EndDate", end)));
    }
    if !doc.po_number.trim().is_empty() {
        root.push(El::new("cac:OrderReference").child(El::text("cbc:ID", &doc.po_number)));
    }
    if let DocumentKind::CreditNote { corrects } = &doc.kind {
        root.push(
            El::new("cac:BillingReference")
                .child(El::new("cac:InvoiceDocumentReference").child(El::text("cbc:ID", corrects))),
        );
    }
    if !credit && !doc.project_reference.trim().is_empty() {
        root.push(El::new("cac:ProjectReference").child(El::text("cbc:ID", &doc.project_reference)));
    }
    root.push(El::new("cac:AccountingSupplierParty").child(party(s, &doc.seller, None, true)));
    root.push(El::new("cac:AccountingCustomerParty").child(party(
        s,
        &doc.buyer,
        Some(doc.buyer_reference.as_str()),
        false,
    )));
    if s.delivery_date.is_some() || s.deliver_to_country.is_some() {
        root.push(El::new("cac:Delivery").maybe(s.delivery_date.map(|d| date("cbc:ActualDeliveryDate", d))).maybe(
            s.deliver_to_country.as_ref().map(|c| {
                let b = &doc.buyer;
                El::new("cac:DeliveryLocation").child(
                    El::new("cac:Address")
                        .opt("cbc:StreetName", &b.street)
                        .opt("cbc:CityName", &b.city)
                        .opt("cbc:PostalZone", &b.postcode)
                        .child(El::new("cac:Country").child(El::text("cbc:IdentificationCode", c))),
                )
            }),
        ));
    }
    if !doc.payment.iban.trim().is_empty() {
        let iban: String = doc.payment.iban.chars().filter(|c| !c.is_whitespace()).collect();
        let remittance = if doc.payment.remittance.trim().is_empty() { &doc.number } else { &doc.payment.remittance };
        let bic = doc.payment.bic.trim();
        root.push(
            El::new("cac:PaymentMeans")
                .child(El::text("cbc:PaymentMeansCode", s.payment_means_code()))
                .maybe(credit.then(|| date("cbc:PaymentDueDate", doc.due_date)))
                .opt("cbc:PaymentID", remittance)
                .child(
                    El::new("cac:PayeeFinancialAccount")
                        .child(El::text("cbc:ID", iban))
                        .opt("cbc:Name", &doc.seller.name)
                        .maybe(
                            (!bic.is_empty())
                                .then(|| El::new("cac:FinancialInstitutionBranch").child(El::text("cbc:ID", bic))),
                        ),
                ),
        );
    }
    let terms = doc.payment_terms();
    if !terms.trim().is_empty() {
        root.push(El::new("cac:PaymentTerms").child(El::text("cbc:Note", &terms)));
    }
    for a in &s.allowances_charges {
        root.push(allowance_charge(s, a));
    }
    let mut tax_total = El::new("cac:TaxTotal").child(money(s, "cbc:TaxAmount", s.totals.tax_total));
    for g in &s.groups {
        tax_total.push(
            El::new("cac:TaxSubtotal")
                .child(money(s, "cbc:TaxableAmount", g.basis))
                .child(money(s, "cbc:TaxAmount", g.amount))
                .child(category("cac:TaxCategory", &g.category, true)),
        );
    }
    root.push(tax_total);
    let t = &s.totals;
    root.push(
        El::new("cac:LegalMonetaryTotal")
            .child(money(s, "cbc:LineExtensionAmount", t.line_total))
            .child(money(s, "cbc:TaxExclusiveAmount", t.tax_exclusive))
            .child(money(s, "cbc:TaxInclusiveAmount", t.tax_inclusive))
            .child(money(s, "cbc:AllowanceTotalAmount", t.allowance_total))
            .child(money(s, "cbc:ChargeTotalAmount", t.charge_total))
            .child(money(s, "cbc:PrepaidAmount", t.prepaid))
            .maybe((!t.rounding.is_zero()).then(|| money(s, "cbc:PayableRoundingAmount", t.rounding)))
            .child(money(s, "cbc:PayableAmount", t.payable)),
    );
    root.children(s.lines.iter().map(|l| line(s, l, credit)))
}

fn money(s: &Semantic<'_>, name: &'static str, value: rust_decimal::Decimal) -> El {
    El::text(name, s.amount(value)).attr("currencyID", s.currency())
}

/// A VAT category; `breakdown` for the VAT breakdown (BG-23), which states
/// its rate and exemption reason, else a line's or an allowance's.
fn category(name: &'static str, c: &Category, breakdown: bool) -> El {
    let percent = if breakdown { Some(c.breakdown_percent_text()) } else { c.percent_text() };
    let mut el = El::new(name).child(El::text("cbc:ID", c.code())).maybe(percent.map(|p| El::text("cbc:Percent", p)));
    if breakdown {
        el = el.maybe(c.exemption_code().map(|code| El::text("cbc:TaxExemptionReasonCode", code)));
        if let Some(reason) = &c.exemption_reason {
            el.push(El::text("cbc:TaxExemptionReason", reason));
        }
    }
    el.child(El::new("cac:TaxScheme").child(El::text("cbc:ID", "VAT")))
}

fn party(s: &Semantic<'_>, p: &Party, buyer_reference: Option<&str>, seller: bool) -> El {
    let mut el = El::new("cac:Party");
    // `check` made sure there is one (PEPPOL-EN16931-R010, R020).
    if let Ok(Some(id)) = peppol::endpoint(p, buyer_reference) {
        el.push(El::text("cbc:EndpointID", id.value).attr("schemeID", id.scheme));
    }
    if let Some(id) = seller.then(|| s.seller_identifier()).flatten() {
        el.push(El::new("cac:PartyIdentification").child(El::text("cbc:ID", id)));
    }
    el.push(El::new("cac:PartyName").child(El::text("cbc:Name", &p.name)));
    let extra: Vec<&str> = p.address_extra.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    let mut address = El::new("cac:PostalAddress").opt("cbc:StreetName", &p.street);
    if !extra.is_empty() {
        address = address.opt("cbc:AdditionalStreetName", &extra.join(", "));
    }
    el.push(address.opt("cbc:CityName", &p.city).opt("cbc:PostalZone", &p.postcode).child(
        El::new("cac:Country").child(El::text("cbc:IdentificationCode", p.country_code.trim().to_ascii_uppercase())),
    ));
    if s.states_vat_ids() && !p.vat_id.trim().is_empty() {
        el.push(
            El::new("cac:PartyTaxScheme")
                .child(El::text("cbc:CompanyID", &p.vat_id))
                .child(El::new("cac:TaxScheme").child(El::text("cbc:ID", "VAT"))),
        );
    }
    if seller && !p.tax_registration.trim().is_empty() {
        el.push(
            El::new("cac:PartyTaxScheme")
                .child(El::text("cbc:CompanyID", &p.tax_registration))
                .child(El::new("cac:TaxScheme").child(El::text("cbc:ID", "TAX"))),
        );
    }
    el.push(El::new("cac:PartyLegalEntity").child(El::text("cbc:RegistrationName", &p.name)));
    let contact = El::new("cac:Contact")
        .opt("cbc:Name", s.contact_name(p, seller))
        .opt("cbc:Telephone", &p.phone)
        .opt("cbc:ElectronicMail", &p.email);
    if contact.has_children() {
        el.push(contact);
    }
    el
}

fn allowance_charge(s: &Semantic<'_>, a: &AllowanceCharge) -> El {
    El::new("cac:AllowanceCharge")
        .child(El::text("cbc:ChargeIndicator", if a.charge { "true" } else { "false" }))
        .maybe(a.reason_code.map(|c| El::text("cbc:AllowanceChargeReasonCode", c)))
        .child(El::text("cbc:AllowanceChargeReason", &a.reason))
        .maybe(a.percent.map(|p| El::text("cbc:MultiplierFactorNumeric", p.to_string())))
        .child(money(s, "cbc:Amount", a.amount))
        .maybe(a.base.map(|b| money(s, "cbc:BaseAmount", b)))
        .child(category("cac:TaxCategory", &a.category, false))
}

fn line(s: &Semantic<'_>, l: &Line<'_>, credit: bool) -> El {
    let d = l.doc;
    let (name, quantity) = if credit {
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
    } else {
        ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    };
    let mut el = El::new(name)
        .child(El::text("cbc:ID", d.position.to_string()))
        .child(El::text(quantity, l.quantity.to_string()).attr("unitCode", d.unit_code.trim()))
        .child(money(s, "cbc:LineExtensionAmount", d.net_amount));
    if let Some(discount) = &d.discount {
        if !discount.amount.is_zero() {
            el.push(
                El::new("cac:AllowanceCharge")
                    .child(El::text("cbc:ChargeIndicator", "false"))
                    .child(El::text("cbc:AllowanceChargeReasonCode", "95"))
                    .child(El::text("cbc:AllowanceChargeReason", "Discount"))
                    .maybe(l.discount_percent.map(|p| El::text("cbc:MultiplierFactorNumeric", p.to_string())))
                    .child(money(s, "cbc:Amount", discount.amount))
                    .maybe(l.discount_percent.map(|_| money(s, "cbc:BaseAmount", d.gross))),
            );
        }
    }
    // UBL's cac:Item puts the description (BT-154) before the name (BT-153).
    el.child(
        El::new("cac:Item")
            .opt("cbc:Description", &d.long_description)
            .child(El::text("cbc:Name", &d.description))
            .child(category("cac:ClassifiedTaxCategory", &l.category, false)),
    )
    .child(El::new("cac:Price").child(El::text("cbc:PriceAmount", d.rate.to_string()).attr("currencyID", s.currency())))
}
