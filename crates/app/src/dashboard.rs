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
        // Invoice counts per currency: (open, overdue).
        let counts = self.read("count the open invoices", |tx, _| {
            let mut counts: Vec<(String, usize, usize)> = Vec::new();
            for inv in billable_store::reports::open_invoices(tx, aging.as_of)? {
                let overdue = usize::from(inv.due_date < aging.as_of);
                match counts.iter_mut().find(|c| c.0 == inv.currency) {
                    Some(c) => {
                        c.1 += 1;
                        c.2 += overdue;
                    }
                    None => counts.push((inv.currency, 1, overdue)),
                }
            }
            Ok(counts)
        })?;
        let receivables = aging
            .totals
            .iter()
            .map(|t| {
                let (open, overdue) = counts.iter().find(|c| c.0 == t.currency.code()).map_or((0, 0), |c| (c.1, c.2));
                Receivables {
                    currency: t.currency,
                    outstanding: t.total,
                    overdue: t.total - t.current,
                    open_invoices: open,
                    overdue_invoices: overdue,
                }
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
                overdue: r.total - r.current,
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
