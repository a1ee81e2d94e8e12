//! The invoice as the renderers see it: plain data, built by the app from the
//! books. Every amount here is exactly what the totals engine computed; the
//! renderers format and place them, they never recompute money.

use std::fmt;
use std::sync::Arc;

use billable_core::money::Currency;
pub use billable_core::presentation::{Locale, Paper, Template};
use billable_core::tax::{TaxCategory, TaxMode};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A finished invoice (or credit note), ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocument {
    pub kind: DocumentKind,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: Currency,
    pub language: Locale,
    pub template: Template,
    pub paper: Paper,
    pub stamp: Option<Stamp>,
    pub seller: Party,
    pub buyer: Party,
    /// BT-10: the buyer's reference (in Germany the XRechnung Leitweg-ID).
    pub buyer_reference: String,
    /// BT-13: the buyer's purchase order number.
    pub po_number: String,
    /// BT-11: the project this invoice bills (its name).
    pub project_reference: String,
    pub tax_mode: TaxMode,
    /// Set when the prices were entered with tax included: what the PDF
    /// shows (the amounts below stay net, as the e-invoices carry them).
    pub entered: Option<EnteredTotals>,
    pub lines: Vec<DocLine>,
    /// The document-level discount, when there is one.
    pub discount: Option<DocDiscount>,
    /// One row per tax rate and category.
    pub taxes: Vec<TaxBreakdown>,
    /// A manual adjustment (description, signed amount), when not zero.
    pub adjustment: Option<(String, Decimal)>,
    /// Sum of the line amounts (after line discounts).
    pub subtotal: Decimal,
    /// The document discount's amount (positive).
    pub discount_total: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
    pub amount_paid: Decimal,
    /// The deposit invoices a final invoice deducts (BT-113 with the
    /// payments); `balance_due` is already net of them.
    pub deposits: Vec<DocDeposit>,
    pub balance_due: Decimal,
    pub notes: String,
    pub terms: String,
    /// The early-payment discount offered (Skonto), when one is and the
    /// invoice is still open.
    pub early_discount: Option<DocEarlyDiscount>,
    pub payment: PaymentDetails,
    pub logo: Option<Image>,
    pub signature: Option<Image>,
}

/// An early-payment discount as printed and carried in the e-invoice's
/// payment terms: the offer (a percentage within days of the issue date),
/// its last day `until`, and what it makes of the balance due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocEarlyDiscount {
    pub offer: billable_core::early_payment::EarlyDiscount,
    pub until: NaiveDate,
    /// The discount (positive).
    pub amount: Decimal,
    /// What settles the invoice when paid by `until`.
    pub payable: Decimal,
}

impl InvoiceDocument {
    /// The payment terms (BT-20) of an e-invoice: the early-payment
    /// discount as a structured line (`#SKONTO#TAGE=10#PROZENT=2.00#`, the
    /// form German recipients read, ending in a line break), then the terms.
    pub fn payment_terms(&self) -> String {
        let mut text = String::new();
        if let Some(d) = &self.early_discount {
            text.push_str(&d.offer.terms_line());
        }
        text.push_str(self.terms.trim());
        text
    }
}

/// A deposit invoice deducted on a final invoice: its number, date, total
/// (what it asked for, tax included) and its tax per rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocDeposit {
    pub number: String,
    pub issue_date: NaiveDate,
    pub total: Decimal,
    pub taxes: Vec<TaxBreakdown>,
}

impl InvoiceDocument {
    /// What was paid before this invoice: payments and deducted deposits
    /// (BT-113, PrepaidAmount / TotalPrepaidAmount).
    pub fn prepaid(&self) -> Decimal {
        self.amount_paid + self.deposits.iter().map(|d| d.total).sum::<Decimal>()
    }
}

/// What kind of document this is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentKind {
    Invoice,
    /// An estimate (quote): `due_date` is the date it is valid until; it
    /// asks for no payment and has no e-invoice.
    Estimate,
    /// A credit note correcting the invoice with this number.
    CreditNote {
        corrects: String,
    },
}

/// A postal party: the seller (the user's business) or the buyer (the client).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    /// Legal name.
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2, e.g. `DE`.
    pub country_code: String,
    /// Other free address lines (a building, a department, a free-form address).
    pub address_extra: Vec<String>,
    /// VAT identification number, e.g. `DE123456789`.
    pub vat_id: String,
    /// Another tax registration (a national tax number).
    pub tax_registration: String,
    pub email: String,
    pub phone: String,
    /// The person to address.
    pub contact: String,
    /// The Peppol participant id set by the user, `scheme:value` (e.g.
    /// `0088:4000001123452`); empty to derive it from the VAT id (see
    /// [`crate::einvoice::peppol`]).
    pub peppol_id: String,
}

impl Party {
    /// The address as printed: street, extra lines, "postcode city", country.
    pub fn address_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.street.trim().is_empty() {
            lines.push(self.street.trim().to_string());
        }
        lines.extend(self.address_extra.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()));
        let place = format!("{} {}", self.postcode.trim(), self.city.trim()).trim().to_string();
        if !place.is_empty() {
            lines.push(place);
        }
        lines
    }
}

/// One line of the invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLine {
    /// 1-based position on the invoice.
    pub position: u32,
    pub description: String,
    /// More detail under the description (BT-154), possibly several lines.
    pub long_description: String,
    pub quantity: Decimal,
    /// For a line made from time: the billed seconds, shown as hours and
    /// minutes (`1:20`) so that quantity × rate visibly gives the amount.
    pub seconds: Option<i64>,
    /// UN/ECE Recommendation 20 code: `HUR` hours, `C62` units, …
    pub unit_code: String,
    /// The unit as the user wrote it (e.g. "hours", "pcs").
    pub unit_label: String,
    pub rate: Decimal,
    /// Quantity × rate, as computed by the totals engine, before the line discount.
    pub gross: Decimal,
    pub discount: Option<LineDiscount>,
    /// The line amount after its discount.
    pub net_amount: Decimal,
    /// The line's tax (inline mode) or the invoice's tax applying to it (summary mode with one rate).
    pub tax: Option<LineTax>,
    /// The price, discount and amount as entered, tax included, on an
    /// invoice priced gross; `rate`, `gross`, `discount` and `net_amount`
    /// are then the net ones the engine derived.
    pub entered: Option<EnteredLine>,
    /// The time entries this line bills (shown by the detailed template).
    pub time_entries: Vec<DocTimeEntry>,
}

/// A line as entered on a tax-inclusive invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnteredLine {
    pub rate: Decimal,
    /// The line discount (positive), tax included.
    pub discount: Decimal,
    /// The line amount after its discount, tax included.
    pub amount: Decimal,
}

/// The sums of a tax-inclusive invoice as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnteredTotals {
    /// The sum of the line amounts, tax included.
    pub subtotal: Decimal,
    /// The document discount, tax included (positive).
    pub discount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDiscount {
    /// The percentage, when the discount was given as one.
    pub percent: Option<Decimal>,
    /// The discount's amount (positive).
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTax {
    pub name: String,
    pub category: TaxCategory,
    pub percent: Decimal,
    pub exemption_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTimeEntry {
    pub date: NaiveDate,
    pub member: String,
    pub description: String,
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocDiscount {
    pub label: String,
    pub percent: Option<Decimal>,
    /// The discount's amount (positive).
    pub amount: Decimal,
}

/// One tax group: rate and category, its basis and its amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxBreakdown {
    pub name: String,
    pub category: TaxCategory,
    pub percent: Decimal,
    pub basis: Decimal,
    pub amount: Decimal,
    pub exemption_reason: Option<String>,
}

/// How to pay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentDetails {
    pub bank_name: String,
    pub iban: String,
    pub bic: String,
    pub payment_link: String,
    /// What the payer writes as the transfer's reference (the invoice number).
    pub remittance: String,
    pub due_date: Option<NaiveDate>,
}

/// An image to place on the document (logo, signature): the file's bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    pub bytes: Arc<[u8]>,
    pub format: ImageFormat,
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Image").field("format", &self.format).field("bytes", &self.bytes.len()).finish()
    }
}

impl Image {
    /// Recognises PNG and JPEG by their signature; `None` for anything else.
    pub fn from_bytes(bytes: impl Into<Arc<[u8]>>) -> Option<Image> {
        let bytes: Arc<[u8]> = bytes.into();
        let format = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            ImageFormat::Png
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            ImageFormat::Jpeg
        } else {
            return None;
        };
        Some(Image { bytes, format })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Png,
    Jpeg,
}

/// A status stamp printed across the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stamp {
    Paid,
    Overdue,
    Cancelled,
}
