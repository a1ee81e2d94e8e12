//! The home view: what is owed and overdue per currency, the unbilled work,
//! the clients who owe the most and the running timer — the figures of the
//! aging and unbilled reports, so the dashboard and the reports always agree.

use billable_core::money::{Currency, Money};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::AppResult;
use crate::revenue::{AgingInput, UnbilledReportInput};
use crate::views::TimerView;
use crate::Billable;

/// How many clients the "owes the most" list shows.
const TOP_CLIENTS: usize = 5;

/// Open balances of one currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Receivables {
    pub currency: Currency,
    /// Everything issued and not yet paid.
    pub outstanding: Decimal,
    /// The part of it past its due date.
    pub overdue: Decimal,
    /// How many invoices are open, and how many of them overdue.
    pub open_invoices: usize,
    pub overdue_invoices: usize,
}

/// A client with an open balance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientOwing {
    pub client_id: i64,
    pub client_name: String,
    pub currency: Currency,
    pub outstanding: Decimal,
    pub overdue: Decimal,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Dashboard {
    pub today: chrono::NaiveDate,
    /// Per currency, by currency code.
    pub receivables: Vec<Receivables>,
    /// The value of billable time not invoiced yet, per currency.
    pub unbilled: Vec<Money>,
    /// Unbilled hours with no rate to price them.
    pub unpriced_hours: Decimal,
    /// The clients who owe the most (by outstanding amount, within a currency
    /// the largest first; currencies by code).
    pub top_clients: Vec<ClientOwing>,
    pub timer: Option<TimerView>,
}

impl Billable {
    /// The home view's figures as of today.
    pub fn dashboard(&mut self) -> AppResult<Dashboard> {
        let aging = self.aging_report(AgingInput { as_of: None })?;
        let unbilled = self.unbilled_report(UnbilledReportInput { to: None })?;
        let timer = self.timer_status(None)?;
        let receivables = aging
            .totals
            .iter()
            .map(|t| Receivables {
                currency: t.currency,
                outstanding: t.total,
                overdue: t.overdue,
                open_invoices: t.invoices.len(),
                overdue_invoices: t.overdue_invoices.len(),
            })
            .collect();
        let mut owing: Vec<ClientOwing> = aging
            .rows
            .iter()
            .filter(|r| !r.total.is_zero())
            .map(|r| ClientOwing {
                client_id: r.client_id,
                client_name: r.client_name.clone(),
                currency: r.currency,
                outstanding: r.total,
                overdue: r.overdue,
            })
            .collect();
        owing.sort_by(|a, b| b.outstanding.cmp(&a.outstanding).then_with(|| a.client_name.cmp(&b.client_name)));
        owing.truncate(TOP_CLIENTS);
        let unpriced_seconds: i64 = unbilled.rows.iter().map(|r| r.unpriced_seconds).sum();
        Ok(Dashboard {
            today: aging.as_of,
            receivables,
            unbilled: unbilled.totals,
            unpriced_hours: billable_core::time::display_hours(unpriced_seconds),
            top_clients: owing,
            timer,
        })
    }
}
