//! Every report as a plain table of text cells: the CLI prints it, and
//! `to_csv` writes it as CSV (RFC 4180, via the csv crate) for spreadsheets.
//! Decimals are written exactly as the report holds them.

use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::reports::TimeReport;
use crate::revenue::{AgingReport, AgingRow, ClientFiguresReport, Figure, RevenueReport, UnbilledReport};
use billable_core::Currency;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table { headers: headers.iter().map(|h| h.to_string()).collect(), rows: Vec::new() }
    }

    pub fn to_csv(&self) -> AppResult<String> {
        write_csv(&self.headers, &self.rows)
    }
}

/// Rows as CSV text with a header line.
pub fn write_csv(headers: &[String], rows: &[Vec<String>]) -> AppResult<String> {
    let fail = |e: csv::Error| AppError::conflict(format!("could not write CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers).map_err(fail)?;
    for r in rows {
        w.write_record(r).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| AppError::conflict(format!("could not write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::conflict(format!("could not write CSV: {e}")))
}

/// A report that can be shown as one table.
pub trait AsTable {
    fn table(&self) -> Table;
}

impl AsTable for TimeReport {
    fn table(&self) -> Table {
        let mut t = Table::new(&["name", "hours", "billable_hours", "amount", "currency", "unpriced_hours"]);
        for r in &self.rows {
            t.rows.push(vec![
                r.name.clone(),
                r.hours.to_string(),
                r.billable_hours.to_string(),
                r.amount.to_string(),
                r.currency.to_string(),
                billable_core::time::display_hours(r.unpriced_seconds).to_string(),
            ]);
        }
        t
    }
}

impl AsTable for RevenueReport {
    fn table(&self) -> Table {
        let mut t = Table::new(&["month", "currency", "invoices", "invoiced", "paid", "outstanding"]);
        for r in &self.rows {
            t.rows.push(vec![
                r.month.clone(),
                r.currency.to_string(),
                r.invoices.to_string(),
                r.invoiced.to_string(),
                r.paid.to_string(),
                r.outstanding.to_string(),
            ]);
        }
        for b in &self.base {
            t.rows.push(vec![
                b.month.clone(),
                format!("{} (base{})", self.base_currency, if b.complete { "" } else { ", incomplete" }),
                String::new(),
                b.invoiced.to_string(),
                b.paid.to_string(),
                b.outstanding.to_string(),
            ]);
        }
        t
    }
}

fn aging_cells(name: &str, r: &AgingRow) -> Vec<String> {
    vec![
        name.to_string(),
        r.currency.to_string(),
        r.current.to_string(),
        r.days_1_30.to_string(),
        r.days_31_60.to_string(),
        r.days_61_90.to_string(),
        r.over_90.to_string(),
        r.total.to_string(),
    ]
}

impl AsTable for AgingReport {
    fn table(&self) -> Table {
        let mut t =
            Table::new(&["client", "currency", "current", "days_1_30", "days_31_60", "days_61_90", "over_90", "total"]);
        for r in &self.rows {
            t.rows.push(aging_cells(&r.client_name, r));
        }
        for r in &self.totals {
            t.rows.push(aging_cells("Total", r));
        }
        t
    }
}

impl AsTable for ClientFiguresReport {
    /// One row per client and currency, then one per currency for the sums.
    fn table(&self) -> Table {
        let mut t = Table::new(&["client", "currency", "outstanding", "overdue", "unbilled", "unpriced_hours"]);
        let mut put = |name: &str, lists: [&[Figure]; 3], unpriced: i64| {
            let mut currencies: Vec<Currency> = lists.iter().flat_map(|l| l.iter().map(|f| f.currency)).collect();
            currencies.sort_by(|a, b| a.code().cmp(b.code()));
            currencies.dedup();
            let amount = |list: &[Figure], c: Currency| {
                list.iter()
                    .find(|f| f.currency == c)
                    .map_or_else(|| c.from_minor(0).to_string(), |f| f.amount.to_string())
            };
            let hours =
                if unpriced > 0 { billable_core::time::display_hours(unpriced).to_string() } else { String::new() };
            if currencies.is_empty() {
                t.rows.push(vec![name.to_string(), String::new(), String::new(), String::new(), String::new(), hours]);
                return;
            }
            for (i, c) in currencies.into_iter().enumerate() {
                t.rows.push(vec![
                    name.to_string(),
                    c.to_string(),
                    amount(lists[0], c),
                    amount(lists[1], c),
                    amount(lists[2], c),
                    if i == 0 { hours.clone() } else { String::new() },
                ]);
            }
        };
        for c in &self.clients {
            put(&c.client_name, [&c.outstanding, &c.overdue, &c.unbilled], c.unpriced_seconds);
        }
        let sums = &self.totals;
        if !(sums.outstanding.is_empty() && sums.unbilled.is_empty()) {
            put("Total", [&sums.outstanding, &sums.overdue, &sums.unbilled], 0);
        }
        t
    }
}

impl AsTable for UnbilledReport {
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "client",
            "currency",
            "entries",
            "hours",
            "amount",
            "unpriced_hours",
            "expenses",
            "expense_amount",
        ]);
        for r in &self.rows {
            t.rows.push(vec![
                r.client_name.clone(),
                r.currency.to_string(),
                r.entries.to_string(),
                r.hours.to_string(),
                r.amount.to_string(),
                billable_core::time::display_hours(r.unpriced_seconds).to_string(),
                r.expenses.to_string(),
                r.expense_amount.to_string(),
            ]);
        }
        t
    }
}

/// Expenses and profit per project, then expenses per category, each row
/// in one currency (`kind` tells the two parts apart).
impl AsTable for crate::reports::ExpenseReport {
    fn table(&self) -> Table {
        let mut t = Table::new(&["kind", "name", "client", "currency", "billed", "expenses", "profit", "count"]);
        for r in &self.projects {
            t.rows.push(vec![
                "project".into(),
                r.project_name.clone(),
                r.client_name.clone(),
                r.currency.to_string(),
                r.billed.to_string(),
                r.expenses.to_string(),
                r.profit.to_string(),
                r.expense_count.to_string(),
            ]);
        }
        for r in &self.categories {
            t.rows.push(vec![
                "category".into(),
                r.category.clone(),
                String::new(),
                r.currency.to_string(),
                String::new(),
                r.amount.to_string(),
                String::new(),
                r.count.to_string(),
            ]);
        }
        t
    }
}

/// A report to write as CSV: which one, with its input.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "report", content = "input", rename_all = "snake_case")]
pub enum ReportRequest {
    Time(crate::reports::TimeReportInput),
    Revenue(crate::revenue::RevenueInput),
    Aging(crate::revenue::AgingInput),
    Unbilled(crate::revenue::UnbilledReportInput),
    Expenses(crate::reports::ExpenseReportInput),
}

impl crate::Billable {
    /// A report as CSV, the same text `billable report … --format csv` writes.
    pub fn report_csv(&mut self, r: ReportRequest) -> AppResult<String> {
        let table = match r {
            ReportRequest::Time(i) => self.time_report(i)?.table(),
            ReportRequest::Revenue(i) => self.revenue_report(i)?.table(),
            ReportRequest::Aging(i) => self.aging_report(i)?.table(),
            ReportRequest::Unbilled(i) => self.unbilled_report(i)?.table(),
            ReportRequest::Expenses(i) => self.expense_report(i)?.table(),
        };
        table.to_csv()
    }
}
