//! The records of the books, as plain data. The store persists them, the use
//! cases change them, the front doors show them.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::money::Currency;
use crate::presentation::{Locale, Paper, Template};
use crate::status::InvoiceStatus;
use crate::tax::{Pricing, TaxMode, TaxRate};
use crate::time::RoundingPolicy;
use crate::totals::Discount;

/// The user's own business: who invoices are from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Business {
    pub name: String,
    pub address: String,
    /// ISO 3166-1 alpha-2, e.g. DE.
    pub country: String,
    pub tax_id: String,
    pub email: String,
    pub phone: String,
    pub bank_name: String,
    pub iban: String,
    pub bic: String,
    pub payment_link: String,
    pub default_currency: Currency,
    pub payment_terms_days: u32,
    pub logo_path: Option<String>,
    pub default_rate: Option<Decimal>,
    pub rounding: RoundingPolicy,
    pub invoice_number_pattern: String,
    pub default_tax_mode: TaxMode,
    pub default_notes: String,
    pub default_terms: String,
    /// Structured postal address (e-invoices need it); `address` keeps any other lines.
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// VAT identification number (e.g. DE123456789); `tax_id` is any other tax number.
    pub vat_id: String,
    /// Defaults for every invoice's PDF.
    pub pdf_template: Template,
    pub paper_size: Paper,
    pub locale: Locale,
    /// Embed the e-invoice (Factur-X) in PDFs by default.
    pub einvoicing: bool,
    /// An image (PNG/JPEG) printed above the signature line.
    pub signature_path: Option<String>,
    /// The Peppol participant id (`scheme:value`, e.g. `0088:4000001123452`)
    /// Peppol invoices are sent from; empty: derived from the VAT id.
    pub peppol_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Client {
    pub id: i64,
    pub name: String,
    pub contact_person: String,
    /// Billing email addresses.
    pub emails: Vec<String>,
    pub address: String,
    pub country: String,
    pub tax_id: String,
    /// Invoice currency; the business default when unset.
    pub currency: Option<Currency>,
    pub payment_terms_days: Option<u32>,
    /// Tax rates applied by default to this client's invoices.
    pub tax_rate_ids: Vec<i64>,
    pub rounding: Option<RoundingPolicy>,
    pub rate: Option<Decimal>,
    pub archived: bool,
    /// Structured postal address; `address` keeps any other lines.
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// The reference the client asks for on invoices (BT-10; in Germany the
    /// XRechnung Leitweg-ID).
    pub buyer_reference: String,
    /// The Peppol participant id the client receives invoices at; empty:
    /// derived from its VAT id (or a German Leitweg-ID).
    pub peppol_id: String,
    /// Whether this client's new invoices are priced with tax included;
    /// `None`: net (migration 0021).
    #[serde(default)]
    pub default_pricing: Option<Pricing>,
}

/// How a project is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BillingType {
    /// Time and materials: uninvoiced billable time.
    #[default]
    Hourly,
    /// A fixed fee (the budget).
    FixedPrice,
    /// A fixed amount per period (the budget).
    Retainer,
}

impl BillingType {
    pub fn as_str(&self) -> &'static str {
        match self {
            BillingType::Hourly => "hourly",
            BillingType::FixedPrice => "fixed_price",
            BillingType::Retainer => "retainer",
        }
    }
}

impl std::str::FromStr for BillingType {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "hourly" => Ok(BillingType::Hourly),
            "fixed_price" | "fixed" => Ok(BillingType::FixedPrice),
            "retainer" => Ok(BillingType::Retainer),
            other => Err(CoreError::invalid(
                "billing_type",
                format!("'{other}' is not a billing type; use hourly, fixed_price or retainer"),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Project {
    pub id: i64,
    pub client_id: i64,
    pub name: String,
    pub billing_type: BillingType,
    pub rate: Option<Decimal>,
    /// Fixed fee, retainer amount per period, or budget for hourly work.
    pub budget: Option<Decimal>,
    pub rounding: Option<RoundingPolicy>,
    pub archived: bool,
    /// Bill only approved time (hourly projects): invoicing from time offers
    /// and bills only the entries the owner approved.
    #[serde(default)]
    pub approval_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Task {
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub rate: Option<Decimal>,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub default_rate: Option<Decimal>,
    pub archived: bool,
}

/// A saved item: a product or service to pick invoice lines from. A line
/// made from it copies its fields; the line keeps no link to the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavedItem {
    pub id: i64,
    /// What the item is called in the catalog (unique among active items).
    pub name: String,
    /// The line's description; empty: the name.
    pub description: String,
    /// More detail printed under the line's description.
    pub long_description: String,
    pub unit: String,
    /// Price per unit, in the currency of the invoice it is used on.
    pub rate: Decimal,
    /// The line's tax rate (inline mode); none: the invoice's default.
    pub tax_rate_id: Option<i64>,
    pub archived: bool,
}

impl SavedItem {
    /// What a line made from the item says.
    pub fn line_description(&self) -> &str {
        if self.description.is_empty() {
            &self.name
        } else {
            &self.description
        }
    }
}

/// A tax rate defined in settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TaxRateDef {
    pub id: i64,
    #[serde(flatten)]
    pub tax: TaxRate,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimeEntry {
    pub id: i64,
    pub member_id: i64,
    pub client_id: i64,
    pub project_id: i64,
    pub task_id: Option<i64>,
    /// The local date the work was done.
    pub date: NaiveDate,
    pub start_at: Option<DateTime<Utc>>,
    pub end_at: Option<DateTime<Utc>>,
    /// Raw tracked duration in seconds; never rewritten by rounding.
    pub seconds: i64,
    pub description: String,
    pub billable: bool,
    /// A rate for this entry only; overrides every other rate.
    pub rate: Option<Decimal>,
    /// The invoice that billed this entry.
    pub invoice_id: Option<i64>,
    /// Set when the time was invoiced outside Billable (marked by hand, or
    /// imported as invoiced): that invoice's reference, or empty when there
    /// is none. Such an entry is never offered for invoicing.
    #[serde(default)]
    pub billed_outside: Option<String>,
    /// Where the entry is in the owner's approval (time of hourly projects).
    #[serde(default)]
    pub approval: Approval,
    /// Why the owner rejected it (empty unless rejected).
    #[serde(default)]
    pub approval_reason: String,
}

/// A time entry's approval. Editing a submitted or approved entry sends it
/// back to `None`; a rejected entry stays rejected (with its reason) until
/// it is submitted again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// Not submitted.
    #[default]
    None,
    Submitted,
    Approved,
    Rejected,
}

impl Approval {
    /// The stored word (`None` is stored as NULL).
    pub fn as_str(&self) -> &'static str {
        match self {
            Approval::None => "none",
            Approval::Submitted => "submitted",
            Approval::Approved => "approved",
            Approval::Rejected => "rejected",
        }
    }
}

impl std::str::FromStr for Approval {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "unsubmitted" | "" => Ok(Approval::None),
            "submitted" => Ok(Approval::Submitted),
            "approved" => Ok(Approval::Approved),
            "rejected" => Ok(Approval::Rejected),
            other => Err(CoreError::invalid(
                "approval",
                format!("'{other}' is not an approval state; use none, submitted, approved or rejected"),
            )),
        }
    }
}

/// A running timer, persisted the moment it starts (one per member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RunningTimer {
    pub member_id: i64,
    pub project_id: i64,
    pub task_id: Option<i64>,
    pub description: String,
    pub billable: bool,
    pub started_at: DateTime<Utc>,
}

impl RunningTimer {
    /// Whole seconds elapsed at `now` (never negative, even if the clock
    /// went backwards).
    pub fn elapsed_seconds(&self, now: DateTime<Utc>) -> i64 {
        (now - self.started_at).num_seconds().max(0)
    }
}

/// An invoice header with its frozen (or, for drafts, current) totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Invoice {
    pub id: i64,
    pub number: String,
    pub client_id: i64,
    pub project_id: Option<i64>,
    pub category: String,
    pub tags: Vec<String>,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: Currency,
    pub tax_mode: TaxMode,
    /// Whether the rates entered include tax (migration 0021).
    #[serde(default)]
    pub pricing: Pricing,
    pub discount: Discount,
    /// Summary-mode taxes.
    pub taxes: Vec<TaxRate>,
    pub adjustment: Decimal,
    pub adjustment_description: String,
    pub notes: String,
    pub terms: String,
    pub po_number: String,
    pub status: InvoiceStatus,
    pub subtotal: Decimal,
    pub discount_amount: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
    pub amount_paid: Decimal,
    pub balance_due: Decimal,
    pub created_at: DateTime<Utc>,
    pub issued_at: Option<DateTime<Utc>>,
    /// PDF template and locale for this invoice (the business default when unset).
    pub template: Option<Template>,
    pub locale: Option<Locale>,
    /// The early-payment discount offered (Skonto), when one is.
    #[serde(default)]
    pub early_discount: Option<crate::early_payment::EarlyDiscount>,
    /// The early-payment discount taken by the payment that settled it.
    #[serde(default)]
    pub early_discount_taken: Decimal,
    /// What deposit invoices deducted on this (final) invoice were for
    /// (BT-113; migration 0022): the balance is total − prepaid − payments.
    #[serde(default)]
    pub prepaid: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoiceLine {
    pub id: i64,
    pub invoice_id: i64,
    pub position: u32,
    pub description: String,
    /// More detail under the short description (BT-154 in an e-invoice);
    /// may span several lines, empty when the line has none.
    #[serde(default)]
    pub long_description: String,
    pub quantity: Decimal,
    /// Billed seconds, for lines made from time.
    pub seconds: Option<i64>,
    pub unit: String,
    pub rate: Decimal,
    pub discount: Discount,
    /// Inline-mode tax.
    pub tax: Option<TaxRate>,
    /// The line amount after its discount.
    pub amount: Decimal,
    pub entry_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Payment {
    pub id: i64,
    pub invoice_id: i64,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub method: String,
    pub reference: String,
    pub note: String,
    /// The early-payment discount this payment took (zero for most).
    #[serde(default)]
    pub early_discount: Decimal,
    /// The client payment this is a share of (a payment across invoices, or
    /// client credit applied); `None` for a payment of this invoice alone.
    #[serde(default)]
    pub client_payment_id: Option<i64>,
}

/// Money received from a client in one currency, spread over their
/// invoices (`Payment::client_payment_id`); what is not spread is the
/// client's credit, applied later or paid back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientPayment {
    pub id: i64,
    pub client_id: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub method: String,
    pub reference: String,
    pub note: String,
    /// The part gone to invoices.
    pub allocated: Decimal,
    /// The part paid back.
    pub refunded: Decimal,
    /// amount − allocated − refunded: credit still available.
    pub left: Decimal,
}

/// Unused client credit paid back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditRefund {
    pub id: i64,
    pub client_payment_id: i64,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub method: String,
    pub reference: String,
    pub note: String,
}

/// One event in an invoice's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Activity {
    pub id: i64,
    pub invoice_id: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    /// The event in English words (what the command line prints).
    pub detail: String,
    /// The event as data, for a sentence in the reader's language (none on
    /// entries written before facts were kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<ActivityFacts>,
}

/// What an activity entry is about. Which fields are set depends on the
/// kind: a payment has `amount`, `currency`, `date` and maybe `method`; an
/// email has `to`; a status change has `from` and `status`; …
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ActivityFacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// The end of a period (with `date` as its start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Email recipients, comma-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Another document's number: the credit note, the invoice cloned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The status before a change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<InvoiceStatus>,
    /// The status after a change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<InvoiceStatus>,
    /// A project's or a recurring profile's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How many lines or time entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// A line's position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Where a line was moved to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// Days from the due date (negative: before it), for a reminder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// How it came about: `by_hand`, `from_time`, `clone`, `recurring`,
    /// `fixed_fee`, `retainer`, `email`, `payment`; for a reminder its kind
    /// (`reminder`, `overdue`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
}

/// Checks a required name.
pub fn require_name(field: &str, value: &str) -> CoreResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(CoreError::invalid(field, "is required"));
    }
    if v.chars().count() > 200 {
        return Err(CoreError::invalid(field, "is longer than 200 characters"));
    }
    Ok(v.to_string())
}

/// Checks an email address in the shape people type (local@domain.tld).
pub fn validate_email(field: &str, value: &str) -> CoreResult<String> {
    let v = value.trim();
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
                && !domain.contains('@')
        }
        None => false,
    };
    if ok {
        Ok(v.to_string())
    } else {
        Err(CoreError::invalid(field, format!("'{v}' is not an email address")))
    }
}

/// Checks an ISO 3166-1 alpha-2 country code (empty is allowed: not set).
pub fn validate_country(field: &str, value: &str) -> CoreResult<String> {
    let v = value.trim().to_ascii_uppercase();
    if v.is_empty() || (v.len() == 2 && v.chars().all(|c| c.is_ascii_uppercase())) {
        Ok(v)
    } else {
        Err(CoreError::invalid(field, format!("'{}' is not a two-letter country code such as DE", value.trim())))
    }
}

/// An expense: money spent (a train ticket, hosting, a licence) in one
/// currency, with the tax rate that applies to it, maybe on behalf of a
/// client and project. `amount` is net — before tax — as FreshBooks and
/// Harvest users enter it; the tax rate is added on top when it is billed.
/// A billable expense belongs to a client and is billed once, on an invoice
/// line of its own (`invoice_id`, `invoice_line_id`), at `amount × (1 +
/// markup / 100)` rounded once ([`crate::expense::billed_amount`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Expense {
    pub id: i64,
    pub date: NaiveDate,
    /// Net, at the currency's scale.
    pub amount: Decimal,
    pub currency: Currency,
    pub category: String,
    pub vendor: String,
    pub note: String,
    /// The tax rate the expense's invoice line carries; none: untaxed.
    pub tax_rate_id: Option<i64>,
    pub client_id: Option<i64>,
    pub project_id: Option<i64>,
    pub billable: bool,
    /// Percent added when billed (15 for 15 %); none: billed at cost.
    pub markup: Option<Decimal>,
    pub invoice_id: Option<i64>,
    pub invoice_line_id: Option<i64>,
}

/// What is known about an expense's receipt without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReceiptInfo {
    pub file_name: String,
    /// application/pdf, image/png, image/jpeg, image/webp or image/heif.
    pub media_type: String,
    pub size: i64,
}
