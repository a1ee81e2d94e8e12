//! Documents of an invoice: the view model built from the books (invoice,
//! lines, business, client, time entries, logo and signature files) and the
//! PDF, optionally finished as Factur-X. Every amount is the one the totals
//! engine computed (frozen ones for issued invoices).

use std::path::Path;
use std::sync::Arc;

use billable_core::estimate::Estimate;
use billable_core::model::{Business, Client, Invoice, InvoiceLine};
use billable_core::status::{display_status, DisplayStatus};
use billable_core::tax::{TaxMode, TaxRate};
use billable_core::totals::{net_unit_price, totals, Discount, DraftLine, LineTotals, Totals};
use billable_docs::document::{
    DocDeposit, DocDiscount, DocEarlyDiscount, DocLine, DocTimeEntry, DocumentKind, EnteredLine, EnteredTotals, Image,
    InvoiceDocument, LineDiscount, LineTax, Party, PaymentDetails, Stamp, TaxBreakdown, Template,
};
use billable_store::{catalog as cat, invoices as db, time as tdb, Tx};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{draft_of, resolve};
use crate::views::CreditNoteView;
use crate::Billable;

/// How to render a PDF; `None` takes the invoice's (or the business's) choice.
#[derive(Debug, Clone, Copy, Default)]
pub struct PdfOptions {
    pub template: Option<Template>,
    /// Embed the CII XML as Factur-X (PDF/A-3).
    pub facturx: bool,
}

/// A rendered PDF: the file name to save it under and its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedPdf {
    pub file_name: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// The early-payment discount an open invoice offers, as printed: none
/// once it is paid, cancelled or was settled early.
fn early_discount(inv: &Invoice) -> Option<DocEarlyDiscount> {
    let offer = inv.early_discount?;
    let open = inv.balance_due > Decimal::ZERO && inv.early_discount_taken.is_zero();
    if !open || inv.status == billable_core::status::InvoiceStatus::Cancelled {
        return None;
    }
    let amount = offer.amount(inv.total, inv.currency);
    Some(DocEarlyDiscount {
        offer,
        until: offer.deadline(inv.issue_date),
        amount,
        payable: offer.payable(inv.total, inv.balance_due, inv.currency),
    })
}

fn image(path: &Option<String>, setting: &str) -> AppResult<Option<Image>> {
    let Some(path) = path.as_deref().filter(|p| !p.trim().is_empty()) else { return Ok(None) };
    let bytes = std::fs::read(Path::new(path))
        .map_err(|e| AppError::invalid(setting, format!("could not read the image at {path}: {e}")))?;
    Image::from_bytes(Arc::<[u8]>::from(bytes))
        .map(Some)
        .ok_or_else(|| AppError::invalid(setting, format!("{path} is not a PNG or JPEG image")))
}

fn seller(b: &Business) -> Party {
    Party {
        name: b.name.clone(),
        street: b.street.clone(),
        postcode: b.postcode.clone(),
        city: b.city.clone(),
        country_code: b.country.clone(),
        address_extra: b.address.lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect(),
        vat_id: b.vat_id.clone(),
        tax_registration: b.tax_id.clone(),
        email: b.email.clone(),
        phone: b.phone.clone(),
        contact: String::new(),
        peppol_id: b.peppol_id.clone(),
    }
}

fn buyer(c: &Client) -> Party {
    Party {
        name: c.name.clone(),
        street: c.street.clone(),
        postcode: c.postcode.clone(),
        city: c.city.clone(),
        country_code: c.country.clone(),
        address_extra: c.address.lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect(),
        vat_id: c.tax_id.clone(),
        tax_registration: String::new(),
        email: c.emails.first().cloned().unwrap_or_default(),
        phone: String::new(),
        contact: c.contact_person.clone(),
        peppol_id: c.peppol_id.clone(),
    }
}

fn line_tax(t: &TaxRate) -> LineTax {
    LineTax {
        name: t.name.clone(),
        category: t.category,
        percent: t.percent,
        exemption_reason: t.exemption_reason.clone(),
    }
}

/// UN/ECE Recommendation 20 code for a unit as users write it.
fn unit_code(line: &InvoiceLine) -> String {
    unit_code_of(&line.unit, line.seconds)
}

fn unit_code_of(unit: &str, seconds: Option<i64>) -> String {
    if seconds.is_some() {
        return "HUR".into();
    }
    let u = unit.trim().to_lowercase();
    match u.as_str() {
        "h" | "hr" | "hrs" | "hour" | "hours" | "std" | "stunden" | "heure" | "heures" | "horas" | "uur" => "HUR",
        "d" | "day" | "days" | "tag" | "tage" | "jour" | "jours" | "día" | "días" | "dag" | "dagen" => "DAY",
        "month" | "months" | "monat" | "monate" | "mois" | "mes" | "meses" | "maand" | "maanden" => "MON",
        "week" | "weeks" | "woche" | "wochen" => "WEE",
        "km" => "KMT",
        "kg" => "KGM",
        "" | "pcs" | "pc" | "unit" | "units" | "stk" | "stück" | "x" | "item" | "items" => "C62",
        _ => "C62",
    }
    .to_string()
}

/// A line's net price per unit (what e-invoices carry) and, when the prices
/// include tax, the line as entered (what the PDF shows).
fn priced(line: DraftLine, lt: &LineTotals, t: &Totals) -> (Decimal, Option<EnteredLine>) {
    let entered = t.pricing.includes_tax().then_some(EnteredLine {
        rate: line.rate,
        discount: lt.entered_discount,
        amount: lt.entered,
    });
    (net_unit_price(&line, lt), entered)
}

fn entered_totals(t: &Totals) -> Option<EnteredTotals> {
    t.pricing.includes_tax().then_some(EnteredTotals { subtotal: t.entered_subtotal, discount: t.entered_discount })
}

fn build(tx: &Tx, clock: &dyn Clock, inv: Invoice) -> AppResult<InvoiceDocument> {
    let lines = db::lines(tx, inv.id, inv.currency)?;
    let mut doc = build_with(tx, clock, inv.clone(), &lines)?;
    doc.deposits = deposits(tx, inv.id)?;
    Ok(doc)
}

/// The deposit invoices a final invoice deducts, each with its tax per rate
/// (the engine's breakdown of its frozen lines).
fn deposits(tx: &Tx, invoice_id: i64) -> AppResult<Vec<DocDeposit>> {
    let mut out = Vec::new();
    for id in billable_store::estimates::deductions(tx, invoice_id)? {
        let d = db::invoice(tx, id)?.ok_or_else(|| AppError::not_found("invoice", id))?;
        let lines = db::lines(tx, d.id, d.currency)?;
        let t = totals(&draft_of(&d, &lines))?;
        out.push(DocDeposit {
            number: d.number.clone(),
            issue_date: d.issue_date,
            total: d.total,
            taxes: t.taxes.iter().map(breakdown).collect(),
        });
    }
    Ok(out)
}

fn breakdown(g: &billable_core::totals::TaxGroup) -> TaxBreakdown {
    TaxBreakdown {
        name: g.tax.name.clone(),
        category: g.tax.category,
        percent: g.tax.percent,
        basis: g.base,
        amount: g.amount,
        exemption_reason: g.tax.exemption_reason.clone(),
    }
}

/// The document of an estimate: laid out like an invoice of its lines,
/// titled "Estimate", valid until its date, asking for no payment.
pub(crate) fn build_estimate(tx: &Tx, clock: &dyn Clock, e: &Estimate) -> AppResult<InvoiceDocument> {
    let lines = billable_store::estimates::lines(tx, e.id, e.currency)?;
    let mut doc = build_with(tx, clock, crate::estimates::as_invoice(e), &lines)?;
    doc.kind = DocumentKind::Estimate;
    doc.stamp = None;
    doc.early_discount = None;
    doc.payment.due_date = None;
    doc.balance_due = doc.total;
    Ok(doc)
}

fn build_with(tx: &Tx, clock: &dyn Clock, inv: Invoice, lines: &[InvoiceLine]) -> AppResult<InvoiceDocument> {
    let business = cat::business(tx)?;
    let client = cat::client(tx, inv.client_id)?.ok_or_else(|| AppError::not_found("client", inv.client_id))?;
    let t = totals(&draft_of(&inv, lines))?;

    // In summary mode with one rate, that rate applies to every line.
    let summary_tax = match (inv.tax_mode, inv.taxes.as_slice()) {
        (TaxMode::Summary, [only]) => Some(line_tax(only)),
        _ => None,
    };
    let mut doc_lines = Vec::with_capacity(lines.len());
    let mut entry_projects: Vec<i64> = Vec::new();
    for (line, lt) in lines.iter().zip(&t.lines) {
        let mut entries = Vec::new();
        for id in &line.entry_ids {
            if let Some(e) = tdb::entry(tx, *id)? {
                if !entry_projects.contains(&e.project_id) {
                    entry_projects.push(e.project_id);
                }
                let member = cat::member(tx, e.member_id)?.map(|m| m.name).unwrap_or_default();
                entries.push(DocTimeEntry { date: e.date, member, description: e.description, seconds: e.seconds });
            }
        }
        entries.sort_by_key(|e| e.date);
        let discount = (!lt.discount.is_zero()).then_some(LineDiscount {
            percent: match line.discount {
                Discount::Percent(p) => Some(p),
                _ => None,
            },
            amount: lt.discount,
        });
        let (rate, entered) = priced(
            DraftLine {
                quantity: line.quantity,
                seconds: line.seconds,
                rate: line.rate,
                discount: line.discount,
                tax: line.tax.clone(),
            },
            lt,
            &t,
        );
        doc_lines.push(DocLine {
            position: line.position,
            description: line.description.clone(),
            long_description: line.long_description.clone(),
            quantity: line.quantity,
            seconds: line.seconds,
            unit_code: unit_code(line),
            unit_label: line.unit.clone(),
            rate,
            gross: lt.gross,
            discount,
            net_amount: line.amount,
            entered,
            tax: match inv.tax_mode {
                TaxMode::Inline => line.tax.as_ref().map(line_tax),
                TaxMode::Summary => summary_tax.clone(),
            },
            time_entries: entries,
        });
    }
    // The invoice's project, else the one project all its time was tracked on.
    let project_id = match (inv.project_id, entry_projects.as_slice()) {
        (Some(pid), _) => Some(pid),
        (None, [only]) => Some(*only),
        _ => None,
    };
    let project = match project_id {
        Some(pid) => cat::project(tx, pid)?.map(|p| p.name).unwrap_or_default(),
        None => String::new(),
    };
    let discount = (!inv.discount_amount.is_zero()).then(|| DocDiscount {
        label: String::new(),
        percent: match inv.discount {
            Discount::Percent(p) => Some(p),
            _ => None,
        },
        amount: inv.discount_amount,
    });
    let taxes = t.taxes.iter().map(breakdown).collect();
    let stamp = match display_status(inv.status, inv.due_date, clock.today(), inv.balance_due) {
        DisplayStatus::Paid => Some(Stamp::Paid),
        DisplayStatus::Overdue => Some(Stamp::Overdue),
        DisplayStatus::Cancelled => Some(Stamp::Cancelled),
        _ => None,
    };
    let logo = image(&business.logo_path, "logo_path")?;
    let signature = image(&business.signature_path, "signature_path")?;
    Ok(InvoiceDocument {
        kind: DocumentKind::Invoice,
        number: inv.number.clone(),
        issue_date: inv.issue_date,
        due_date: inv.due_date,
        currency: inv.currency,
        language: inv.locale.unwrap_or(business.locale),
        template: inv.template.unwrap_or(business.pdf_template),
        paper: business.paper_size,
        stamp,
        seller: seller(&business),
        buyer: buyer(&client),
        buyer_reference: client.buyer_reference.clone(),
        po_number: inv.po_number.clone(),
        project_reference: project,
        tax_mode: inv.tax_mode,
        entered: entered_totals(&t),
        lines: doc_lines,
        discount,
        taxes,
        adjustment: (!inv.adjustment.is_zero()).then(|| (inv.adjustment_description.clone(), inv.adjustment)),
        // The header's amounts: frozen for issued invoices, the engine's for drafts.
        subtotal: inv.subtotal,
        discount_total: inv.discount_amount,
        tax_total: inv.tax_total,
        total: inv.total,
        amount_paid: inv.amount_paid,
        deposits: vec![],
        balance_due: inv.balance_due,
        notes: inv.notes.clone(),
        terms: inv.terms.clone(),
        early_discount: early_discount(&inv),
        payment: PaymentDetails {
            bank_name: business.bank_name.clone(),
            iban: business.iban.clone(),
            bic: business.bic.clone(),
            payment_link: business.payment_link.clone(),
            remittance: inv.number.clone(),
            due_date: Some(inv.due_date),
        },
        logo,
        signature,
    })
}

/// The document of a credit note: the invoice's parties, the lines and
/// amounts taken back (positive, as the standards want them), the invoice it
/// corrects, and its reason as the note.
fn build_credit_note(tx: &Tx, view: CreditNoteView) -> AppResult<InvoiceDocument> {
    let business = cat::business(tx)?;
    let inv = db::invoice(tx, view.credit_note.invoice_id)?
        .ok_or_else(|| AppError::not_found("invoice", view.credit_note.invoice_id))?;
    let client = cat::client(tx, inv.client_id)?.ok_or_else(|| AppError::not_found("client", inv.client_id))?;
    let n = &view.credit_note;
    let summary_tax = match (n.tax_mode, n.taxes.as_slice()) {
        (TaxMode::Summary, [only]) => Some(line_tax(only)),
        _ => None,
    };
    let lines = view
        .lines
        .iter()
        .zip(&view.totals.lines)
        .map(|(line, lt)| {
            let (rate, entered) = priced(
                DraftLine {
                    quantity: line.quantity,
                    seconds: line.seconds,
                    rate: line.rate,
                    discount: line.discount,
                    tax: line.tax.clone(),
                },
                lt,
                &view.totals,
            );
            DocLine {
                position: line.position,
                description: line.description.clone(),
                long_description: line.long_description.clone(),
                quantity: line.quantity,
                seconds: line.seconds,
                unit_code: unit_code_of(&line.unit, line.seconds),
                unit_label: line.unit.clone(),
                rate,
                entered,
                gross: lt.gross,
                discount: (!lt.discount.is_zero()).then_some(LineDiscount {
                    percent: match line.discount {
                        Discount::Percent(p) => Some(p),
                        _ => None,
                    },
                    amount: lt.discount,
                }),
                net_amount: line.amount,
                tax: match n.tax_mode {
                    TaxMode::Inline => line.tax.as_ref().map(line_tax),
                    TaxMode::Summary => summary_tax.clone(),
                },
                time_entries: Vec::new(),
            }
        })
        .collect();
    let taxes = view
        .totals
        .taxes
        .iter()
        .map(|g| TaxBreakdown {
            name: g.tax.name.clone(),
            category: g.tax.category,
            percent: g.tax.percent,
            basis: g.base,
            amount: g.amount,
            exemption_reason: g.tax.exemption_reason.clone(),
        })
        .collect();
    let project = match inv.project_id {
        Some(pid) => cat::project(tx, pid)?.map(|p| p.name).unwrap_or_default(),
        None => String::new(),
    };
    Ok(InvoiceDocument {
        kind: DocumentKind::CreditNote { corrects: inv.number.clone() },
        number: n.number.clone(),
        issue_date: n.issue_date,
        due_date: n.issue_date,
        currency: n.currency,
        language: inv.locale.unwrap_or(business.locale),
        template: inv.template.unwrap_or(business.pdf_template),
        paper: business.paper_size,
        stamp: None,
        seller: seller(&business),
        buyer: buyer(&client),
        buyer_reference: client.buyer_reference.clone(),
        po_number: inv.po_number.clone(),
        project_reference: project,
        tax_mode: n.tax_mode,
        entered: entered_totals(&view.totals),
        lines,
        discount: (!n.discount_amount.is_zero()).then(|| DocDiscount {
            label: String::new(),
            percent: None,
            amount: n.discount_amount,
        }),
        taxes,
        adjustment: (!n.adjustment.is_zero()).then(|| (inv.adjustment_description.clone(), n.adjustment)),
        subtotal: n.subtotal,
        discount_total: n.discount_amount,
        tax_total: n.tax_total,
        total: n.total,
        amount_paid: Decimal::ZERO,
        deposits: vec![],
        balance_due: n.total,
        notes: n.reason.clone(),
        terms: String::new(),
        early_discount: None,
        payment: PaymentDetails {
            bank_name: business.bank_name.clone(),
            iban: business.iban.clone(),
            bic: business.bic.clone(),
            payment_link: String::new(),
            remittance: n.number.clone(),
            due_date: None,
        },
        logo: image(&business.logo_path, "logo_path")?,
        signature: image(&business.signature_path, "signature_path")?,
    })
}

/// A file name for an invoice number (path separators and the like replaced).
fn file_stem(number: &str) -> String {
    number.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect()
}

/// The name of a document's PDF file, as [`render_pdf`] gives it.
pub(crate) fn pdf_file_name(number: &str) -> String {
    format!("{}.pdf", file_stem(number))
}

impl Billable {
    /// The document view model of an invoice (by number or id).
    pub fn invoice_document(&mut self, key: &str) -> AppResult<InvoiceDocument> {
        self.read("read the invoice for its document", |tx, clock| build(tx, clock, resolve(tx, key)?))
    }

    /// The view models of every invoice with `status` issued in [from, to]
    /// (dates `YYYY-MM-DD`, both optional), read in one transaction.
    pub fn invoice_documents(
        &mut self,
        status: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> AppResult<Vec<InvoiceDocument>> {
        let mut keys = Vec::new();
        let mut page = 1;
        loop {
            let p = self.invoices(crate::InvoiceListInput {
                status: status.map(str::to_string),
                from: from.map(str::to_string),
                to: to.map(str::to_string),
                sort: Some("number".into()),
                page: Some(page),
                per_page: Some(500),
                ..Default::default()
            })?;
            keys.extend(p.rows.iter().map(|r| r.invoice.id));
            if u64::from(page) * 500 >= p.total {
                break;
            }
            page += 1;
        }
        self.read("read the invoices for their documents", |tx, clock| {
            keys.iter()
                .map(|id| {
                    let inv = db::invoice(tx, *id)?.ok_or_else(|| AppError::not_found("invoice", id))?;
                    build(tx, clock, inv)
                })
                .collect()
        })
    }

    /// The document view model of a credit note (by number or id).
    pub fn credit_note_document(&mut self, key: &str) -> AppResult<InvoiceDocument> {
        self.read("read the credit note for its document", |tx, _| {
            build_credit_note(tx, crate::credit_notes::view_of(tx, key)?)
        })
    }

    /// The PDF of a credit note (by number or id), titled "Credit note" and
    /// naming the invoice it corrects.
    pub fn credit_note_pdf(&mut self, key: &str, options: PdfOptions) -> AppResult<RenderedPdf> {
        let doc = self.credit_note_document(key)?;
        render_pdf(doc, options)
    }

    /// The document view model of an estimate (by number or id).
    pub fn estimate_document(&mut self, key: &str) -> AppResult<InvoiceDocument> {
        self.read("read the estimate for its document", |tx, clock| {
            build_estimate(tx, clock, &crate::estimates::resolve(tx, key)?)
        })
    }

    /// The PDF of an estimate (by number or id), titled "Estimate" with the
    /// date it is valid until.
    pub fn estimate_pdf(&mut self, key: &str, options: PdfOptions) -> AppResult<RenderedPdf> {
        let doc = self.estimate_document(key)?;
        render_pdf(doc, PdfOptions { facturx: false, ..options })
    }

    /// The PDF of an invoice (by number or id).
    pub fn invoice_pdf(&mut self, key: &str, options: PdfOptions) -> AppResult<RenderedPdf> {
        let doc = self.invoice_document(key)?;
        render_pdf(doc, options)
    }
}

/// The PDF an invoice's email carries: the business's template, and
/// Factur-X when the business has e-invoicing on.
pub(crate) fn email_pdf(tx: &Tx, clock: &dyn Clock, inv: Invoice) -> AppResult<RenderedPdf> {
    let facturx = cat::business(tx)?.einvoicing;
    render_pdf(build(tx, clock, inv)?, PdfOptions { template: None, facturx })
}

/// The PDF an estimate's email carries: the same document and renderer as
/// the estimate's preview and saved PDF (titled "Estimate"), never Factur-X.
pub(crate) fn estimate_email_pdf(tx: &Tx, clock: &dyn Clock, e: &Estimate) -> AppResult<RenderedPdf> {
    render_pdf(build_estimate(tx, clock, e)?, PdfOptions { template: None, facturx: false })
}

/// Renders a document built by [`Billable::invoice_document`] (no database:
/// safe to call from worker threads).
pub fn render_pdf(mut doc: InvoiceDocument, options: PdfOptions) -> AppResult<RenderedPdf> {
    if let Some(t) = options.template {
        doc.template = t;
    }
    let pdf = billable_docs::pdf::render(&doc)
        .map_err(|e| AppError::conflict(format!("could not write the PDF of {}: {e}", doc.number)))?;
    let bytes = if options.facturx {
        billable_docs::einvoice::facturx(&pdf, &doc).map_err(crate::einvoice::einvoice_error)?
    } else {
        pdf
    };
    Ok(RenderedPdf { file_name: pdf_file_name(&doc.number), bytes })
}

/// An image file chosen for the business (its logo, its signature), checked
/// the way the PDF will read it and returned as a `data:` URL for showing it.
/// `setting` names the field an error is about.
pub fn image_data_url(path: &str, setting: &str) -> AppResult<String> {
    use base64::Engine as _;
    let image = image(&Some(path.to_string()), setting)?
        .ok_or_else(|| AppError::invalid(setting, "no image file was chosen"))?;
    let bytes = std::fs::read(Path::new(path))
        .map_err(|e| AppError::invalid(setting, format!("could not read the image at {path}: {e}")))?;
    let mime = if bytes.starts_with(&[0x89, b'P', b'N', b'G']) { "image/png" } else { "image/jpeg" };
    drop(image);
    Ok(format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    #[test]
    fn file_names_keep_numbers_readable_and_safe() {
        assert_eq!(file_stem("INV-2026/0042"), "INV-2026_0042");
        assert_eq!(file_stem("Rechnung 7"), "Rechnung_7");
    }

    #[test]
    fn units_map_to_un_ece_codes() {
        let mut l = InvoiceLine {
            id: 1,
            invoice_id: 1,
            position: 1,
            description: String::new(),
            long_description: String::new(),
            quantity: Decimal::ONE,
            seconds: None,
            unit: "months".into(),
            rate: Decimal::ONE,
            discount: Discount::None,
            tax: None,
            amount: Decimal::ONE,
            entry_ids: vec![],
        };
        assert_eq!(unit_code(&l), "MON");
        l.unit = "pcs".into();
        assert_eq!(unit_code(&l), "C62");
        l.seconds = Some(3600);
        assert_eq!(unit_code(&l), "HUR");
    }
}
