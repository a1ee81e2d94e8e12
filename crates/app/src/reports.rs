//! Reports: time (hours and amounts) grouped by client, project, task or
//! member, and money invoiced and paid per month. Money is never added
//! across currencies.

use std::collections::HashMap;

use billable_core::time::display_hours;
use billable_core::{round_money, Currency, Money};
use billable_store::catalog as cat;
use billable_store::reports::{time_buckets, TimeGroup};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::parse;
use crate::Billable;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimeReportInput {
    pub group: TimeGroup,
    pub from: String,
    pub to: String,
}

/// One row: a group in one currency.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimeReportRow {
    pub key: Option<i64>,
    pub name: String,
    pub seconds: i64,
    pub hours: Decimal,
    pub billable_seconds: i64,
    pub billable_hours: Decimal,
    pub currency: Currency,
    /// Billable time × rate (raw time, before rounding policies).
    pub amount: Decimal,
    /// Billable seconds for which no rate is set anywhere.
    pub unpriced_seconds: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimeReport {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub rows: Vec<TimeReportRow>,
    pub total_seconds: i64,
    pub total_hours: Decimal,
    pub billable_seconds: i64,
    pub billable_hours: Decimal,
    /// Amount totals, one per currency.
    pub amounts: Vec<Money>,
}

impl Billable {
    pub fn time_report(&mut self, i: TimeReportInput) -> AppResult<TimeReport> {
        self.read("build the time report", |tx, clock| {
            let from = parse::date("from", &i.from, clock)?;
            let to = parse::date("to", &i.to, clock)?;
            if to < from {
                return Err(AppError::invalid("to", "is before from"));
            }
            let rows = report_rows(tx, time_buckets(tx, i.group, from, to)?)?;
            let mut amounts: Vec<Money> = Vec::new();
            for row in &rows {
                match amounts.iter_mut().find(|m| m.currency == row.currency) {
                    Some(m) => m.amount += row.amount,
                    None => amounts.push(Money { amount: row.amount, currency: row.currency }),
                }
            }
            let total_seconds = rows.iter().map(|r| r.seconds).sum();
            let billable_seconds = rows.iter().map(|r| r.billable_seconds).sum();
            Ok(TimeReport {
                from,
                to,
                total_hours: display_hours(total_seconds),
                billable_hours: display_hours(billable_seconds),
                total_seconds,
                billable_seconds,
                amounts,
                rows,
            })
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MoneyReportInput {
    pub from: String,
    pub to: String,
}

/// What was invoiced (issued invoices, by issue date) and paid (payments,
/// by payment date) in one month, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MonthMoney {
    /// `YYYY-MM`.
    pub month: String,
    pub currency: Currency,
    pub invoiced: Decimal,
    pub paid: Decimal,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MoneyReport {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// By month, then currency; months with neither are left out.
    pub months: Vec<MonthMoney>,
}

impl Billable {
    /// Invoiced versus paid per month and currency over a range: the
    /// revenue report's figures (credit notes and refunds included), for
    /// the desktop's chart.
    pub fn money_report(&mut self, i: MoneyReportInput) -> AppResult<MoneyReport> {
        let r = self.revenue_report(crate::RevenueInput { from: i.from, to: i.to })?;
        let months = r
            .rows
            .into_iter()
            .map(|x| MonthMoney { month: x.month, currency: x.currency, invoiced: x.invoiced, paid: x.paid })
            .collect();
        Ok(MoneyReport { from: r.from, to: r.to, months })
    }
}

/// The report's rows of these buckets: per key, name and currency, the
/// seconds and the amount of the billable ones at their rates (the
/// business's default rate when none is set), summed exactly and rounded
/// once per row.
fn report_rows(
    tx: &billable_store::Tx,
    buckets: Vec<billable_store::reports::TimeBucket>,
) -> AppResult<Vec<TimeReportRow>> {
    let business = cat::business(tx)?;
    let mut rows: Vec<TimeReportRow> = Vec::new();
    // Exact sums per row before rounding once per row.
    let mut exact: Vec<Decimal> = Vec::new();
    // Row of each (key, name, currency), so a year by day stays linear.
    let mut index: HashMap<(Option<i64>, String, Currency), usize> = HashMap::new();
    for b in buckets {
        let currency = match &b.currency {
            Some(c) => Currency::parse(c)?,
            None => business.default_currency,
        };
        let rate = b.rate.or(business.default_rate);
        let idx = match index.get(&(b.key, b.name.clone(), currency)) {
            Some(idx) => *idx,
            None => {
                index.insert((b.key, b.name.clone(), currency), rows.len());
                rows.push(TimeReportRow {
                    key: b.key,
                    name: b.name.clone(),
                    seconds: 0,
                    hours: Decimal::ZERO,
                    billable_seconds: 0,
                    billable_hours: Decimal::ZERO,
                    currency,
                    amount: Decimal::ZERO,
                    unpriced_seconds: 0,
                });
                exact.push(Decimal::ZERO);
                rows.len() - 1
            }
        };
        let row = &mut rows[idx];
        row.seconds += b.seconds;
        row.billable_seconds += b.billable_seconds;
        match rate {
            Some(r) => exact[idx] += Decimal::from(b.billable_seconds) * r / Decimal::from(3600),
            None => row.unpriced_seconds += b.billable_seconds,
        }
    }
    for (row, e) in rows.iter_mut().zip(exact) {
        row.hours = display_hours(row.seconds);
        row.billable_hours = display_hours(row.billable_seconds);
        row.amount = round_money(e, row.currency);
    }
    Ok(rows)
}

/// The value of the billable time worked on each of these projects over all
/// their days, as the time report by project prices it.
pub(crate) fn worked_value(tx: &billable_store::Tx, project_ids: &[i64]) -> AppResult<HashMap<i64, Decimal>> {
    let rows = report_rows(tx, billable_store::reports::worked_buckets(tx, project_ids)?)?;
    Ok(rows.into_iter().filter_map(|r| r.key.map(|k| (k, r.amount))).collect())
}

/// The worked value of every hourly project with a budget, as
/// [`worked_value`] prices it: kept (`project_worked_values`, migration
/// 0027) or, for a project whose value a trigger took away (or that has
/// none yet), priced now. A project without any time worked has none.
pub(crate) fn budget_worked_values(tx: &billable_store::Tx) -> AppResult<HashMap<i64, Decimal>> {
    let missing = billable_store::reports::unvalued_budget_projects(tx)?;
    let mut values: HashMap<i64, Decimal> = billable_store::reports::kept_worked_values(tx)?
        .into_iter()
        .filter_map(|(project, amount)| amount.map(|a| (project, a)))
        .collect();
    if !missing.is_empty() {
        values.extend(worked_value(tx, &missing)?);
    }
    Ok(values)
}

/// Prices the hourly projects with a budget whose worked value is not kept,
/// and keeps it: run at the end of every write, in its transaction, so the
/// values it leaves are those of the books it commits.
pub(crate) fn keep_worked_values(tx: &billable_store::Tx) -> AppResult<()> {
    let missing = billable_store::reports::unvalued_budget_projects(tx)?;
    if missing.is_empty() {
        return Ok(());
    }
    let worked = worked_value(tx, &missing)?;
    let values: Vec<(i64, Option<Decimal>)> = missing.iter().map(|p| (*p, worked.get(p).copied())).collect();
    billable_store::reports::keep_worked_values(tx, &values)?;
    Ok(())
}

/// The expense and profit report over a range of days.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ExpenseReportInput {
    pub from: String,
    pub to: String,
}

/// One project in one currency: what issued invoices billed for it, what
/// was spent on it, and the difference.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProjectProfitRow {
    /// None: invoices and expenses of no project.
    pub project_id: Option<i64>,
    pub project_name: String,
    pub client_name: String,
    pub currency: Currency,
    /// Net line amounts (before document discount and tax) of issued
    /// invoices (sent, partly paid, paid) dated in the range.
    pub billed: Decimal,
    /// Net amounts of every expense dated in the range, billable or not.
    pub expenses: Decimal,
    pub expense_count: i64,
    /// billed − expenses.
    pub profit: Decimal,
}

/// One category in one currency.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CategoryRow {
    /// '' for expenses without a category.
    pub category: String,
    pub currency: Currency,
    pub count: i64,
    pub amount: Decimal,
    /// The billable ones' net amounts.
    pub billable: Decimal,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExpenseReport {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub projects: Vec<ProjectProfitRow>,
    pub categories: Vec<CategoryRow>,
    /// Per currency: billed, expenses, profit over every row.
    pub totals: Vec<ProfitTotal>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProfitTotal {
    pub currency: Currency,
    pub billed: Decimal,
    pub expenses: Decimal,
    pub profit: Decimal,
}

impl Billable {
    /// Expenses per project and per category, and each project's profit
    /// (billed minus expenses), always per currency.
    pub fn expense_report(&mut self, i: ExpenseReportInput) -> AppResult<ExpenseReport> {
        self.read("build the expense report", |tx, clock| {
            let from = parse::date("from", &i.from, clock)?;
            let to = parse::date("to", &i.to, clock)?;
            if to < from {
                return Err(AppError::invalid("to", "is before from"));
            }
            use billable_store::expenses as edb;
            let cur = |code: &str| Currency::parse(code).map_err(AppError::from);
            let mut projects: Vec<ProjectProfitRow> = Vec::new();
            let mut names: HashMap<Option<i64>, (String, String)> = HashMap::new();
            let mut row = |tx: &billable_store::Tx,
                           projects: &mut Vec<ProjectProfitRow>,
                           project_id: Option<i64>,
                           currency: Currency|
             -> AppResult<usize> {
                if let Some(n) = projects.iter().position(|r| r.project_id == project_id && r.currency == currency) {
                    return Ok(n);
                }
                if let std::collections::hash_map::Entry::Vacant(v) = names.entry(project_id) {
                    let named = match project_id {
                        Some(id) => {
                            let p = crate::catalog::project_or_404(tx, id)?;
                            (p.name, crate::catalog::client_or_404(tx, p.client_id)?.name)
                        }
                        None => (String::new(), String::new()),
                    };
                    v.insert(named);
                }
                let (project_name, client_name) = names[&project_id].clone();
                projects.push(ProjectProfitRow {
                    project_id,
                    project_name,
                    client_name,
                    currency,
                    billed: Decimal::ZERO,
                    expenses: Decimal::ZERO,
                    expense_count: 0,
                    profit: Decimal::ZERO,
                });
                Ok(projects.len() - 1)
            };
            for (project, code, minor) in edb::billed_by_project(tx, Some(from), Some(to))? {
                let c = cur(&code)?;
                let n = row(tx, &mut projects, project, c)?;
                projects[n].billed += c.from_minor(minor);
            }
            for s in edb::sums_by_project(tx, Some(from), Some(to))? {
                let c = cur(&s.currency)?;
                let n = row(tx, &mut projects, s.key, c)?;
                projects[n].expenses += c.from_minor(s.amount_minor);
                projects[n].expense_count += s.count;
            }
            let mut totals: Vec<ProfitTotal> = Vec::new();
            for p in &mut projects {
                p.profit = p.billed - p.expenses;
                match totals.iter_mut().find(|t| t.currency == p.currency) {
                    Some(t) => {
                        t.billed += p.billed;
                        t.expenses += p.expenses;
                        t.profit += p.profit;
                    }
                    None => totals.push(ProfitTotal {
                        currency: p.currency,
                        billed: p.billed,
                        expenses: p.expenses,
                        profit: p.profit,
                    }),
                }
            }
            projects.sort_by(|a, b| {
                (a.project_id.is_none(), a.client_name.to_lowercase(), a.project_name.to_lowercase(), a.currency.code())
                    .cmp(&(
                        b.project_id.is_none(),
                        b.client_name.to_lowercase(),
                        b.project_name.to_lowercase(),
                        b.currency.code(),
                    ))
            });
            totals.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
            let categories = edb::sums_by_category(tx, Some(from), Some(to))?
                .into_iter()
                .map(|s| {
                    let c = cur(&s.currency)?;
                    Ok(CategoryRow {
                        category: s.key,
                        currency: c,
                        count: s.count,
                        amount: c.from_minor(s.amount_minor),
                        billable: c.from_minor(s.billable_minor),
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            Ok(ExpenseReport { from, to, projects, categories, totals })
        })
    }
}
