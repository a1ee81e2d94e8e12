//! What the use cases return: plain, serializable data. Decimals serialize
//! as strings, so no front end ever holds money in a float.

use billable_core::model::{Activity, Invoice, InvoiceLine, Payment, RunningTimer, TimeEntry};
use billable_core::rates::RateSource;
use billable_core::status::DisplayStatus;
use billable_core::totals::Totals;
use billable_core::Currency;
use rust_decimal::Decimal;
use serde::Serialize;

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
}

#[derive(Debug, Clone, Serialize)]
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
    pub activity: Vec<Activity>,
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
    pub raw_seconds: i64,
    pub billed_seconds: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum FromTimeOutcome {
    Preview(Box<InvoicePreview>),
    Created(Box<InvoiceView>),
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
