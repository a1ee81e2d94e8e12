//! UN/CEFACT Cross Industry Invoice (D16B) in the Factur-X / ZUGFeRD 2.x
//! EN 16931 profile; with the XRechnung specification identifier it is an
//! XRechnung 3.0 CII invoice.

use chrono::NaiveDate;

use super::model::{AllowanceCharge, Category, Semantic};
use super::xml::El;
use super::Format;
use crate::document::{DocumentKind, Party};

const RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
const RAM: &str = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
const QDT: &str = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
const UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";

pub(crate) fn document(s: &Semantic<'_>, format: Format) -> El {
    let doc = s.doc;
    let type_code = match doc.kind {
        DocumentKind::Invoice | DocumentKind::Estimate => "380",
        DocumentKind::CreditNote { .. } => "381",
    };
    let mut exchanged = El::new("rsm:ExchangedDocument")
        .child(El::text("ram:ID", &doc.number))
        .child(El::text("ram:TypeCode", type_code))
        .child(El::new("ram:IssueDateTime").child(date("udt:DateTimeString", doc.issue_date)));
    if !doc.notes.trim().is_empty() {
        exchanged.push(El::new("ram:IncludedNote").child(El::text("ram:Content", &doc.notes)));
    }

    let mut transaction = El::new("rsm:SupplyChainTradeTransaction").children(s.lines.iter().map(|l| line(s, l)));
    transaction.push(agreement(s));
    transaction.push(delivery(s));
    transaction.push(settlement(s));

    El::new("rsm:CrossIndustryInvoice")
        .attr("xmlns:rsm", RSM)
        .attr("xmlns:qdt", QDT)
        .attr("xmlns:ram", RAM)
        .attr("xmlns:udt", UDT)
        .child(
            El::new("rsm:ExchangedDocumentContext").child(
                El::new("ram:GuidelineSpecifiedDocumentContextParameter")
                    .child(El::text("ram:ID", format.specification_id())),
            ),
        )
        .child(exchanged)
        .child(transaction)
}

fn date(name: &'static str, d: NaiveDate) -> El {
    El::text(name, d.format("%Y%m%d").to_string()).attr("format", "102")
}

fn line(s: &Semantic<'_>, l: &super::model::Line<'_>) -> El {
    let d = l.doc;
    let mut settlement = El::new("ram:SpecifiedLineTradeSettlement").child(line_tax(&l.category));
    if let Some(discount) = &d.discount {
        if !discount.amount.is_zero() {
            settlement.push(
                El::new("ram:SpecifiedTradeAllowanceCharge")
                    .child(indicator(false))
                    .maybe(l.discount_percent.map(|p| El::text("ram:CalculationPercent", p.to_string())))
                    .maybe(l.discount_percent.map(|_| El::text("ram:BasisAmount", s.amount(d.gross))))
                    .child(El::text("ram:ActualAmount", s.amount(discount.amount)))
                    .child(El::text("ram:ReasonCode", "95"))
                    .child(El::text("ram:Reason", "Discount")),
            );
        }
    }
    settlement.push(
        El::new("ram:SpecifiedTradeSettlementLineMonetarySummation")
            .child(El::text("ram:LineTotalAmount", s.amount(d.net_amount))),
    );
    El::new("ram:IncludedSupplyChainTradeLineItem")
        .child(El::new("ram:AssociatedDocumentLineDocument").child(El::text("ram:LineID", d.position.to_string())))
        .child(
            El::new("ram:SpecifiedTradeProduct")
                .child(El::text("ram:Name", &d.description))
                .opt("ram:Description", &d.long_description),
        )
        .child(
            El::new("ram:SpecifiedLineTradeAgreement").child(
                El::new("ram:NetPriceProductTradePrice").child(El::text("ram:ChargeAmount", d.rate.to_string())),
            ),
        )
        .child(
            El::new("ram:SpecifiedLineTradeDelivery")
                .child(El::text("ram:BilledQuantity", l.quantity.to_string()).attr("unitCode", d.unit_code.trim())),
        )
        .child(settlement)
}

fn indicator(charge: bool) -> El {
    El::new("ram:ChargeIndicator").child(El::text("udt:Indicator", if charge { "true" } else { "false" }))
}

fn line_tax(c: &Category) -> El {
    El::new("ram:ApplicableTradeTax")
        .child(El::text("ram:TypeCode", "VAT"))
        .child(El::text("ram:CategoryCode", c.code()))
        .maybe(c.percent_text().map(|p| El::text("ram:RateApplicablePercent", p)))
}

fn party(s: &Semantic<'_>, name: &'static str, p: &Party, seller: bool) -> El {
    let mut el = El::new(name)
        .maybe(seller.then(|| s.seller_identifier()).flatten().map(|id| El::text("ram:ID", id)))
        .child(El::text("ram:Name", &p.name));
    let mut contact = El::new("ram:DefinedTradeContact").opt("ram:PersonName", s.contact_name(p, seller));
    if seller || !p.contact.trim().is_empty() {
        if !p.phone.trim().is_empty() {
            contact
                .push(El::new("ram:TelephoneUniversalCommunication").child(El::text("ram:CompleteNumber", &p.phone)));
        }
        if !p.email.trim().is_empty() {
            contact.push(El::new("ram:EmailURIUniversalCommunication").child(El::text("ram:URIID", &p.email)));
        }
    }
    if contact.has_children() {
        el.push(contact);
    }
    let mut address =
        El::new("ram:PostalTradeAddress").opt("ram:PostcodeCode", &p.postcode).opt("ram:LineOne", &p.street);
    let extra: Vec<&str> = p.address_extra.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    if let Some(first) = extra.first() {
        address = address.opt("ram:LineTwo", first);
    }
    if extra.len() > 1 {
        address = address.opt("ram:LineThree", &extra[1..].join(", "));
    }
    el.push(
        address
            .opt("ram:CityName", &p.city)
            .child(El::text("ram:CountryID", p.country_code.trim().to_ascii_uppercase())),
    );
    if !p.email.trim().is_empty() {
        el.push(El::new("ram:URIUniversalCommunication").child(El::text("ram:URIID", &p.email).attr("schemeID", "EM")));
    }
    if s.states_vat_ids() && !p.vat_id.trim().is_empty() {
        el.push(El::new("ram:SpecifiedTaxRegistration").child(El::text("ram:ID", &p.vat_id).attr("schemeID", "VA")));
    }
    if seller && !p.tax_registration.trim().is_empty() {
        el.push(
            El::new("ram:SpecifiedTaxRegistration")
                .child(El::text("ram:ID", &p.tax_registration).attr("schemeID", "FC")),
        );
    }
    el
}

fn agreement(s: &Semantic<'_>) -> El {
    let doc = s.doc;
    let mut el = El::new("ram:ApplicableHeaderTradeAgreement")
        .opt("ram:BuyerReference", &doc.buyer_reference)
        .child(party(s, "ram:SellerTradeParty", &doc.seller, true))
        .child(party(s, "ram:BuyerTradeParty", &doc.buyer, false));
    if !doc.po_number.trim().is_empty() {
        el.push(El::new("ram:BuyerOrderReferencedDocument").child(El::text("ram:IssuerAssignedID", &doc.po_number)));
    }
    if !doc.project_reference.trim().is_empty() {
        el.push(
            El::new("ram:SpecifiedProcuringProject")
                .child(El::text("ram:ID", &doc.project_reference))
                .child(El::text("ram:Name", &doc.project_reference)),
        );
    }
    el
}

fn delivery(s: &Semantic<'_>) -> El {
    let mut el = El::new("ram:ApplicableHeaderTradeDelivery");
    if let Some(country) = &s.deliver_to_country {
        // The goods go to the buyer's address (BG-15; BR-DE-10, BR-DE-11).
        let b = &s.doc.buyer;
        el.push(
            El::new("ram:ShipToTradeParty").child(
                El::new("ram:PostalTradeAddress")
                    .opt("ram:PostcodeCode", &b.postcode)
                    .opt("ram:LineOne", &b.street)
                    .opt("ram:CityName", &b.city)
                    .child(El::text("ram:CountryID", country)),
            ),
        );
    }
    if let Some(d) = s.delivery_date {
        el.push(
            El::new("ram:ActualDeliverySupplyChainEvent")
                .child(El::new("ram:OccurrenceDateTime").child(date("udt:DateTimeString", d))),
        );
    }
    el
}

fn breakdown_tax(c: &Category) -> Vec<El> {
    let mut out = vec![El::text("ram:TypeCode", "VAT")];
    if let Some(reason) = &c.exemption_reason {
        out.push(El::text("ram:ExemptionReason", reason));
    }
    out
}

fn allowance_charge(s: &Semantic<'_>, a: &AllowanceCharge) -> El {
    let c = &a.category;
    El::new("ram:SpecifiedTradeAllowanceCharge")
        .child(indicator(a.charge))
        .maybe(a.percent.map(|p| El::text("ram:CalculationPercent", p.to_string())))
        .maybe(a.base.map(|b| El::text("ram:BasisAmount", s.amount(b))))
        .child(El::text("ram:ActualAmount", s.amount(a.amount)))
        .maybe(a.reason_code.map(|code| El::text("ram:ReasonCode", code)))
        .child(El::text("ram:Reason", &a.reason))
        .child(
            El::new("ram:CategoryTradeTax")
                .child(El::text("ram:TypeCode", "VAT"))
                .child(El::text("ram:CategoryCode", c.code()))
                .maybe(c.percent_text().map(|p| El::text("ram:RateApplicablePercent", p))),
        )
}

fn settlement(s: &Semantic<'_>) -> El {
    let doc = s.doc;
    let cur = s.currency();
    let remittance = if doc.payment.remittance.trim().is_empty() { &doc.number } else { &doc.payment.remittance };
    let mut el = El::new("ram:ApplicableHeaderTradeSettlement")
        .opt("ram:PaymentReference", remittance)
        .child(El::text("ram:InvoiceCurrencyCode", cur));
    if !doc.payment.iban.trim().is_empty() {
        let iban: String = doc.payment.iban.chars().filter(|c| !c.is_whitespace()).collect();
        let bic = doc.payment.bic.trim();
        el.push(
            El::new("ram:SpecifiedTradeSettlementPaymentMeans")
                .child(El::text("ram:TypeCode", s.payment_means_code()))
                .child(El::new("ram:PayeePartyCreditorFinancialAccount").child(El::text("ram:IBANID", iban)))
                .maybe((!bic.is_empty()).then(|| {
                    El::new("ram:PayeeSpecifiedCreditorFinancialInstitution").child(El::text("ram:BICID", bic))
                })),
        );
    }
    for g in &s.groups {
        let c = &g.category;
        let mut tax = El::new("ram:ApplicableTradeTax")
            .child(El::text("ram:CalculatedAmount", s.amount(g.amount)))
            .children(breakdown_tax(c))
            .child(El::text("ram:BasisAmount", s.amount(g.basis)))
            .child(El::text("ram:CategoryCode", c.code()));
        if let Some(code) = c.exemption_code() {
            tax.push(El::text("ram:ExemptionReasonCode", code));
        }
        el.push(tax.child(El::text("ram:RateApplicablePercent", c.breakdown_percent_text())));
    }
    if let Some((start, end)) = s.period {
        el.push(
            El::new("ram:BillingSpecifiedPeriod")
                .child(El::new("ram:StartDateTime").child(date("udt:DateTimeString", start)))
                .child(El::new("ram:EndDateTime").child(date("udt:DateTimeString", end))),
        );
    }
    for a in &s.allowances_charges {
        el.push(allowance_charge(s, a));
    }
    // Not trimmed: an early-payment discount's line ends in the line break
    // the German rules ask for (BR-DE-18).
    let terms = doc.payment_terms();
    el.push(
        El::new("ram:SpecifiedTradePaymentTerms")
            .maybe((!terms.trim().is_empty()).then(|| El::text_untrimmed("ram:Description", &terms)))
            .child(El::new("ram:DueDateDateTime").child(date("udt:DateTimeString", doc.due_date))),
    );
    let t = &s.totals;
    el.push(
        El::new("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
            .child(El::text("ram:LineTotalAmount", s.amount(t.line_total)))
            .child(El::text("ram:ChargeTotalAmount", s.amount(t.charge_total)))
            .child(El::text("ram:AllowanceTotalAmount", s.amount(t.allowance_total)))
            .child(El::text("ram:TaxBasisTotalAmount", s.amount(t.tax_exclusive)))
            .child(El::text("ram:TaxTotalAmount", s.amount(t.tax_total)).attr("currencyID", cur))
            .maybe((!t.rounding.is_zero()).then(|| El::text("ram:RoundingAmount", s.amount(t.rounding))))
            .child(El::text("ram:GrandTotalAmount", s.amount(t.tax_inclusive)))
            .child(El::text("ram:TotalPrepaidAmount", s.amount(t.prepaid)))
            .child(El::text("ram:DuePayableAmount", s.amount(t.payable))),
    );
    if let DocumentKind::CreditNote { corrects } = &doc.kind {
        el.push(El::new("ram:InvoiceReferencedDocument").child(El::text("ram:IssuerAssignedID", corrects)));
    }
    el
}
