//! What the use cases return: plain, serializable data. Decimals serialize
//! as strings, so no front end ever holds money in a float.

use billable_core::credit::{CreditNote, CreditNoteLine, Refund};
use billable_core::model::{Activity, Invoice, InvoiceLine, Payment, RunningTimer, TimeEntry};
use billable_core::money::Money;
use billable_core::rates::RateSource;
use billable_core::status::DisplayStatus;
use billable_core::totals::Totals;
use billable_core::Currency;
use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::approval::Unapproved;

/// A time entry with its names, rate and amount.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntryView {
    #[serde(flatten)]
    pub entry: TimeEntry,
    pub client_name: String,
    pub project_name: String,
    pub task_name: Option<String>,
    pub member_name: String,
    /// Raw hours as tracked (two decimals, for display).
    pub hours: Decimal,
    /// Seconds after the rounding policy, as they would be billed.
    pub billed_seconds: i64,
    pub billed_hours: Decimal,
    /// The rate that applies (the entry's own `rate` when set, else the next
    /// in the chain). A key of its own in JSON: the flattened entry already
    /// has `rate`, the entry's override.
    #[serde(rename = "effective_rate")]
    pub rate: Option<Decimal>,
    pub rate_source: Option<RateSource>,
    /// Billed time × rate; none for non-billable entries or without a rate.
    pub amount: Option<Decimal>,
    pub currency: Currency,
}

/// Unbilled time for a client.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Unbilled {
    pub client_id: i64,
    pub client_name: String,
    pub currency: Currency,
    pub entries: Vec<EntryView>,
    pub total_seconds: i64,
    pub total_hours: Decimal,
    pub billed_seconds: i64,
    pub billed_hours: Decimal,
    /// The exact value of the billed time, rounded once (an invoice grouped
    /// per task or project bills this; one line per entry rounds each line).
    pub total_amount: Decimal,
    /// Unbilled time left out because its project bills only approved time.
    pub unapproved: Unapproved,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimerView {
    #[serde(flatten)]
    pub timer: RunningTimer,
    pub client_name: String,
    pub project_name: String,
    pub task_name: Option<String>,
    pub member_name: String,
    pub elapsed_seconds: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimerStopped {
    /// The entry created; none when the timer ran for less than a second.
    pub entry: Option<EntryView>,
    pub seconds: i64,
    /// The timer was billable but ran less than a minute: its entry is kept
    /// as non-billable (see `MIN_BILLABLE_TIMER_SECONDS`).
    pub short: bool,
}

/// The outcome of dropping idle time from the running timer.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimerIdle {
    /// The timer stopped when the person went idle.
    pub stopped: TimerStopped,
    /// The idle time left out.
    pub idle_seconds: i64,
    /// The timer running again since now, when asked to keep it running.
    pub timer: Option<TimerView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimerStarted {
    pub timer: TimerView,
    /// The timer that was running and was stopped first, if any.
    pub stopped: Option<TimerStopped>,
}

/// An invoice with everything about it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoiceView {
    #[serde(flatten)]
    pub invoice: Invoice,
    pub client_name: String,
    pub display_status: DisplayStatus,
    pub lines: Vec<InvoiceLine>,
    /// The engine's breakdown (tax groups per rate). For issued invoices the
    /// header amounts are the frozen ones.
    pub totals: Totals,
    pub payments: Vec<Payment>,
    /// What credit notes took back of the total.
    pub credited: Decimal,
    pub credit_notes: Vec<CreditNote>,
    /// Money paid back by credit notes (negative payments).
    pub refunds: Vec<Refund>,
    pub activity: Vec<Activity>,
    /// Base-currency units per unit of the invoice's currency, when set.
    pub exchange_rate: Option<Decimal>,
    /// The total in the business's base currency: the total itself for a
    /// base-currency invoice, at the exchange rate for another currency,
    /// none while a foreign invoice has no rate.
    pub total_in_base: Option<Money>,
    /// The early-payment discount as it stands: its last day, the discount
    /// and what settles the invoice until then (none without an offer).
    pub early_discount_terms: Option<EarlyDiscountTerms>,
    /// The estimate this invoice was made from (a deposit, the whole of it,
    /// or the final invoice), when it was.
    pub from_estimate: Option<crate::estimates::FromEstimate>,
    /// The deposit invoices this final invoice deducts (their sum is
    /// `prepaid`).
    pub deposits: Vec<crate::estimates::DeductedDeposit>,
    /// The client's credit in the invoice's currency, which can be applied
    /// to it.
    pub client_credit: Decimal,
}

/// An invoice's early-payment discount worked out (`early_payment`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EarlyDiscountTerms {
    pub until: chrono::NaiveDate,
    /// The discount on the total.
    pub amount: Decimal,
    /// The balance due less the discount: paid by `until`, it settles the
    /// invoice.
    pub payable: Decimal,
    /// Whether it can still be taken today (open, not past `until`, not
    /// already taken).
    pub available: bool,
}

/// A line of an invoice not created yet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviewLine {
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub rate: Decimal,
    pub amount: Decimal,
    pub seconds: i64,
    pub raw_seconds: i64,
    pub entry_ids: Vec<i64>,
    /// The expense a line bills (its lines follow the time's).
    pub expense_id: Option<i64>,
}

/// What "create from time" would create.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoicePreview {
    pub client_id: i64,
    pub client_name: String,
    pub currency: Currency,
    pub lines: Vec<PreviewLine>,
    pub totals: Totals,
    pub entry_count: usize,
    /// Expenses billed on lines of their own.
    pub expense_count: usize,
    pub raw_seconds: i64,
    pub billed_seconds: i64,
    /// Time matching the choice that is left out because its project bills
    /// only approved time.
    pub unapproved: Unapproved,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum FromTimeOutcome {
    Preview(Box<InvoicePreview>),
    Created(Box<FromTimeCreated>),
}

/// The invoice made from time, and the time left out for want of approval.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FromTimeCreated {
    #[serde(flatten)]
    pub invoice: InvoiceView,
    pub unapproved: Unapproved,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoiceListRow {
    #[serde(flatten)]
    pub invoice: Invoice,
    pub client_name: String,
    pub display_status: DisplayStatus,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoicePage {
    pub rows: Vec<InvoiceListRow>,
    /// Invoices matching the filter across all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// A credit note with its lines, totals and refund.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditNoteView {
    #[serde(flatten)]
    pub credit_note: CreditNote,
    pub invoice_number: String,
    pub client_id: i64,
    pub client_name: String,
    pub lines: Vec<CreditNoteLine>,
    /// The engine's breakdown (tax groups per rate).
    pub totals: Totals,
    pub refunds: Vec<Refund>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditNoteListRow {
    #[serde(flatten)]
    pub credit_note: CreditNote,
    pub invoice_number: String,
    pub client_name: String,
}

/// A recurring profile with what it has generated and what comes next.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecurringView {
    #[serde(flatten)]
    pub profile: billable_core::recurring::RecurringProfile,
    pub client_name: String,
    /// The next period to generate, none when the schedule is over.
    pub next_period: Option<billable_core::recurring::Period>,
    /// Cycles due now and not generated yet (generated by the next run).
    pub due_now: usize,
    pub runs: Vec<billable_core::recurring::RecurringRun>,
}

/// One invoice generated by a recurring run.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GeneratedInvoice {
    pub profile_id: i64,
    pub profile_name: String,
    pub cycle: u32,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub total: Decimal,
    pub currency: Currency,
    /// Send mode: the outbox job that emails the invoice.
    pub email_job: Option<i64>,
    /// Send mode: the email's state after the run worked the outbox (sent,
    /// queued, sending or failed).
    pub email_state: Option<String>,
}

/// A profile that could not generate an invoice (retried on the next run).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecurringFailure {
    pub profile_id: i64,
    pub profile_name: String,
    pub error: crate::ErrorBody,
}

/// What a recurring run did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecurringRunReport {
    pub today: chrono::NaiveDate,
    pub generated: Vec<GeneratedInvoice>,
    pub failed: Vec<RecurringFailure>,
    /// The pass over the outbox that followed, when a profile sends.
    pub outbox: Option<crate::mail::OutboxRun>,
    /// Why the outbox could not be worked (its emails wait for the next pass).
    pub outbox_error: Option<crate::ErrorBody>,
}

/// How a project is billed and how far: the fee and what is left of it, or
/// the retainer and its billed periods.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProjectBillingView {
    pub project: billable_core::model::Project,
    pub client_name: String,
    pub currency: Currency,
    /// Fixed price: the fee, what is invoiced and what remains.
    pub fee: Option<Decimal>,
    pub invoiced: Option<Decimal>,
    pub remaining: Option<Decimal>,
    /// Fixed price: the invoices that bill the fee.
    pub fee_invoices: Vec<String>,
    /// Retainer: the period and the periods billed (newest first).
    pub retainer_period: Option<billable_core::billing_types::RetainerPeriod>,
    pub billed_periods: Vec<BilledPeriod>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BilledPeriod {
    pub label: String,
    pub start: chrono::NaiveDate,
    pub end: chrono::NaiveDate,
    pub invoice_number: String,
    pub status: String,
}
