//! Money reports, always per currency (EUR is never added to USD): invoiced,
//! paid and outstanding by month; unbilled work value per client; accounts
//! receivable aging per client. Where an invoice carries an exchange rate, a
//! base-currency total is shown as well.

use billable_core::time::display_hours;
use billable_core::{round_money, Currency, Money};
use billable_store::catalog as cat;
use billable_store::reports as rep;
use billable_store::Tx;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::parse;
use crate::Billable;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevenueInput {
    pub from: String,
    pub to: String,
}

/// One month in one currency.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevenueRow {
    /// YYYY-MM
    pub month: String,
    pub currency: Currency,
    /// Invoices issued this month (sent, partly paid or paid).
    pub invoices: i64,
    /// Their totals.
    pub invoiced: Decimal,
    /// Payments received this month (on any invoice).
    pub paid: Decimal,
    /// What is still owed today on the invoices issued this month.
    pub outstanding: Decimal,
}

/// One month in the base currency, from the invoices' exchange rates.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BaseRevenueRow {
    pub month: String,
    pub invoiced: Decimal,
    pub paid: Decimal,
    pub outstanding: Decimal,
    /// False when some foreign-currency amount of the month has no exchange
    /// rate (and is left out of these figures).
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevenueTotal {
    pub currency: Currency,
    pub invoiced: Decimal,
    pub paid: Decimal,
    pub outstanding: Decimal,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevenueReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub base_currency: Currency,
    pub rows: Vec<RevenueRow>,
    /// Per currency over the whole range.
    pub totals: Vec<RevenueTotal>,
    pub base: Vec<BaseRevenueRow>,
}

/// Exact base-currency sums of a month before rounding.
#[derive(Default)]
struct BaseAcc {
    invoiced: Decimal,
    paid: Decimal,
    outstanding: Decimal,
    complete: bool,
}

fn rate_to_base(currency: Currency, base: Currency, rate: Option<Decimal>) -> Option<Decimal> {
    if currency == base {
        Some(Decimal::ONE)
    } else {
        rate
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgingInput {
    /// The date overdue days are counted to (default: today).
    pub as_of: Option<String>,
}

/// One client's open balances in one currency, by days overdue.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgingRow {
    pub client_id: i64,
    pub client_name: String,
    pub currency: Currency,
    /// Not yet due (or due on the day).
    pub current: Decimal,
    pub days_1_30: Decimal,
    pub days_31_60: Decimal,
    pub days_61_90: Decimal,
    pub over_90: Decimal,
    pub total: Decimal,
    /// Past its due date: everything but `current`.
    pub overdue: Decimal,
    pub invoices: Vec<String>,
    /// Those of `invoices` past their due date.
    pub overdue_invoices: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgingReport {
    pub as_of: NaiveDate,
    pub base_currency: Currency,
    pub rows: Vec<AgingRow>,
    /// One row per currency (client fields empty).
    pub totals: Vec<AgingRow>,
    /// All open balances in the base currency, from the invoices' exchange rates.
    pub base_total: Decimal,
    /// Open foreign-currency invoices without an exchange rate (left out of `base_total`).
    pub unconverted: Vec<String>,
}

/// The aging bucket for a number of days overdue: 0 current, 1 for 1–30,
/// 2 for 31–60, 3 for 61–90, 4 for more than 90.
pub fn aging_bucket(days_overdue: i64) -> usize {
    match days_overdue {
        i64::MIN..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        _ => 4,
    }
}

impl AgingRow {
    fn empty(client_id: i64, client_name: String, currency: Currency) -> AgingRow {
        AgingRow {
            client_id,
            client_name,
            currency,
            current: Decimal::ZERO,
            days_1_30: Decimal::ZERO,
            days_31_60: Decimal::ZERO,
            days_61_90: Decimal::ZERO,
            over_90: Decimal::ZERO,
            total: Decimal::ZERO,
            overdue: Decimal::ZERO,
            invoices: Vec::new(),
            overdue_invoices: Vec::new(),
        }
    }

    fn add(&mut self, bucket: usize, amount: Decimal, number: &str) {
        let slot = match bucket {
            0 => &mut self.current,
            1 => &mut self.days_1_30,
            2 => &mut self.days_31_60,
            3 => &mut self.days_61_90,
            _ => &mut self.over_90,
        };
        *slot += amount;
        self.total += amount;
        self.invoices.push(number.to_string());
        if bucket > 0 {
            self.overdue += amount;
            self.overdue_invoices.push(number.to_string());
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientFiguresInput {
    /// The clients whose figures are summed into `totals` (the rows a list
    /// shows); none given: every client.
    pub clients: Option<Vec<i64>>,
}

/// One non-zero amount in one currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Figure {
    pub currency: Currency,
    pub amount: Decimal,
    /// The open invoices behind an outstanding or overdue amount.
    pub invoices: Vec<String>,
}

/// What one client owes and what is not invoiced yet, per currency.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientFigures {
    pub client_id: i64,
    pub client_name: String,
    /// Open balances (the aging total).
    pub outstanding: Vec<Figure>,
    /// Open balances past their due date.
    pub overdue: Vec<Figure>,
    /// Billable time not invoiced yet, at its rates.
    pub unbilled: Vec<Figure>,
    /// Unbilled billable time that no rate prices.
    pub unpriced_seconds: i64,
    /// Credit left from payments beyond what was owed, to apply or pay back.
    pub credit: Vec<Figure>,
}

/// The three figures summed per currency (without invoice numbers).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FigureTotals {
    pub outstanding: Vec<Figure>,
    pub overdue: Vec<Figure>,
    pub unbilled: Vec<Figure>,
}

/// Every client with an open balance or unbilled time (a client absent has
/// none), and the sums over the clients asked for.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientFiguresReport {
    pub as_of: NaiveDate,
    pub clients: Vec<ClientFigures>,
    pub totals: FigureTotals,
}

/// Adds `amount` in `currency` to `list`, merging a currency already there.
fn put(list: &mut Vec<Figure>, currency: Currency, amount: Decimal, invoices: &[String]) {
    match list.iter_mut().find(|f| f.currency == currency) {
        Some(f) => {
            f.amount += amount;
            for n in invoices {
                if !f.invoices.contains(n) {
                    f.invoices.push(n.clone());
                }
            }
        }
        None => list.push(Figure { currency, amount, invoices: invoices.to_vec() }),
    }
}

/// Drops zero amounts and orders by currency code.
fn tidy(list: &mut Vec<Figure>) {
    list.retain(|f| !f.amount.is_zero());
    list.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UnbilledReportInput {
    /// Only work done on or before this date.
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UnbilledRow {
    pub client_id: i64,
    pub client_name: String,
    pub currency: Currency,
    pub entries: i64,
    pub seconds: i64,
    pub hours: Decimal,
    /// Billable time × rate (raw time, before rounding policies), plus the
    /// unbilled billable expenses at what billing them charges before tax.
    pub amount: Decimal,
    /// Seconds for which no rate is set anywhere.
    pub unpriced_seconds: i64,
    /// Unbilled billable expenses (dated up to the report's end).
    pub expenses: i64,
    /// Their part of `amount`: each expense × (1 + markup), rounded once.
    pub expense_amount: Decimal,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UnbilledReport {
    pub to: Option<NaiveDate>,
    pub rows: Vec<UnbilledRow>,
    pub totals: Vec<Money>,
}

impl Billable {
    /// Invoiced, paid and outstanding per month and currency.
    pub fn revenue_report(&mut self, i: RevenueInput) -> AppResult<RevenueReport> {
        self.read("build the revenue report", |tx, clock| {
            let from = parse::date("from", &i.from, clock)?;
            let to = parse::date("to", &i.to, clock)?;
            if to < from {
                return Err(AppError::invalid("to", "is before from"));
            }
            let base_currency = cat::business(tx)?.default_currency;
            let mut rows: Vec<RevenueRow> = Vec::new();
            let mut base: Vec<(String, BaseAcc)> = Vec::new();
            fn row<'a>(rows: &'a mut Vec<RevenueRow>, month: &str, currency: Currency) -> &'a mut RevenueRow {
                let idx = match rows.iter().position(|r| r.month == month && r.currency == currency) {
                    Some(i) => i,
                    None => {
                        rows.push(RevenueRow {
                            month: month.to_string(),
                            currency,
                            invoices: 0,
                            invoiced: Decimal::ZERO,
                            paid: Decimal::ZERO,
                            outstanding: Decimal::ZERO,
                        });
                        rows.len() - 1
                    }
                };
                &mut rows[idx]
            }
            fn acc<'a>(base: &'a mut Vec<(String, BaseAcc)>, month: &str) -> &'a mut BaseAcc {
                let idx = match base.iter().position(|(m, _)| m == month) {
                    Some(i) => i,
                    None => {
                        base.push((month.to_string(), BaseAcc { complete: true, ..Default::default() }));
                        base.len() - 1
                    }
                };
                &mut base[idx].1
            }
            // Invoiced, credited and paid per month, currency and rate, from
            // the monthly rollup (the same groups as summing the rows).
            let sums = billable_store::revenue::revenue_months(tx, from, to)?;
            for m in sums.invoiced.into_iter().chain(sums.credited) {
                let cur = Currency::parse(&m.currency)?;
                let invoiced = cur.from_minor(m.total_minor);
                let outstanding = cur.from_minor(m.balance_minor);
                let r = row(&mut rows, &m.month, cur);
                r.invoices += m.invoices;
                r.invoiced += invoiced;
                r.outstanding += outstanding;
                let a = acc(&mut base, &m.month);
                match rate_to_base(cur, base_currency, m.exchange_rate) {
                    Some(rate) => {
                        a.invoiced += invoiced * rate;
                        a.outstanding += outstanding * rate;
                    }
                    None => a.complete = false,
                }
            }
            for p in sums.paid {
                let cur = Currency::parse(&p.currency)?;
                let paid = cur.from_minor(p.amount_minor);
                row(&mut rows, &p.month, cur).paid += paid;
                let a = acc(&mut base, &p.month);
                match rate_to_base(cur, base_currency, p.exchange_rate) {
                    Some(rate) => a.paid += paid * rate,
                    None => a.complete = false,
                }
            }
            rows.sort_by(|a, b| (&a.month, a.currency.code()).cmp(&(&b.month, b.currency.code())));
            base.sort_by(|a, b| a.0.cmp(&b.0));
            let mut totals: Vec<RevenueTotal> = Vec::new();
            for r in &rows {
                let t = match totals.iter_mut().position(|t| t.currency == r.currency) {
                    Some(i) => &mut totals[i],
                    None => {
                        totals.push(RevenueTotal {
                            currency: r.currency,
                            invoiced: Decimal::ZERO,
                            paid: Decimal::ZERO,
                            outstanding: Decimal::ZERO,
                        });
                        totals.last_mut().expect("just pushed")
                    }
                };
                t.invoiced += r.invoiced;
                t.paid += r.paid;
                t.outstanding += r.outstanding;
            }
            totals.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
            let base = base
                .into_iter()
                .map(|(month, a)| BaseRevenueRow {
                    month,
                    invoiced: round_money(a.invoiced, base_currency),
                    paid: round_money(a.paid, base_currency),
                    outstanding: round_money(a.outstanding, base_currency),
                    complete: a.complete,
                })
                .collect();
            Ok(RevenueReport { from, to, base_currency, rows, totals, base })
        })
    }

    /// Open balances per client and currency in the buckets current, 1–30,
    /// 31–60, 61–90 and over 90 days overdue, as of a date (default today).
    pub fn aging_report(&mut self, i: AgingInput) -> AppResult<AgingReport> {
        self.read("build the aging report", |tx, clock| {
            let as_of = parse::date_opt("as_of", i.as_of.as_deref(), clock)?.unwrap_or_else(|| clock.today());
            aging(tx, as_of)
        })
    }

    /// The value of unbilled billable work per client and currency.
    pub fn unbilled_report(&mut self, i: UnbilledReportInput) -> AppResult<UnbilledReport> {
        self.read("build the unbilled report", |tx, clock| {
            let to = parse::date_opt("to", i.to.as_deref(), clock)?;
            unbilled(tx, to)
        })
    }

    /// Outstanding, overdue and unbilled per client and currency as of
    /// today (the aging and unbilled reports joined in one read), with
    /// their sums over the clients asked for.
    pub fn client_figures(&mut self, i: ClientFiguresInput) -> AppResult<ClientFiguresReport> {
        self.read("work out the client figures", |tx, clock| {
            let as_of = clock.today();
            let aged = aging(tx, as_of)?;
            let work = unbilled(tx, None)?;
            let mut clients: Vec<ClientFigures> = Vec::new();
            fn of<'a>(clients: &'a mut Vec<ClientFigures>, id: i64, name: &str) -> &'a mut ClientFigures {
                let idx = match clients.iter().position(|c| c.client_id == id) {
                    Some(i) => i,
                    None => {
                        clients.push(ClientFigures {
                            client_id: id,
                            client_name: name.to_string(),
                            outstanding: Vec::new(),
                            overdue: Vec::new(),
                            unbilled: Vec::new(),
                            unpriced_seconds: 0,
                            credit: Vec::new(),
                        });
                        clients.len() - 1
                    }
                };
                &mut clients[idx]
            }
            for row in &aged.rows {
                let c = of(&mut clients, row.client_id, &row.client_name);
                put(&mut c.outstanding, row.currency, row.total, &row.invoices);
                put(&mut c.overdue, row.currency, row.overdue, &row.overdue_invoices);
            }
            for row in &work.rows {
                let c = of(&mut clients, row.client_id, &row.client_name);
                put(&mut c.unbilled, row.currency, row.amount, &[]);
                c.unpriced_seconds += row.unpriced_seconds;
            }
            for (client_id, currency, minor) in billable_store::payments::credit_left_minor(tx, None)? {
                let name = match clients.iter().find(|c| c.client_id == client_id) {
                    Some(c) => c.client_name.clone(),
                    None => crate::catalog::client_or_404(tx, client_id)?.name,
                };
                let c = of(&mut clients, client_id, &name);
                put(&mut c.credit, currency, currency.from_minor(minor), &[]);
            }
            let mut totals = FigureTotals::default();
            for c in &mut clients {
                tidy(&mut c.outstanding);
                tidy(&mut c.overdue);
                tidy(&mut c.unbilled);
                if i.clients.as_ref().is_none_or(|ids| ids.contains(&c.client_id)) {
                    // The sums name no invoices (thousands across all clients).
                    for f in &c.outstanding {
                        put(&mut totals.outstanding, f.currency, f.amount, &[]);
                    }
                    for f in &c.overdue {
                        put(&mut totals.overdue, f.currency, f.amount, &[]);
                    }
                    for f in &c.unbilled {
                        put(&mut totals.unbilled, f.currency, f.amount, &[]);
                    }
                }
            }
            tidy(&mut totals.outstanding);
            tidy(&mut totals.overdue);
            tidy(&mut totals.unbilled);
            clients.sort_by_key(|c| c.client_id);
            Ok(ClientFiguresReport { as_of, clients, totals })
        })
    }

    /// Sets (or with empty text, clears) an invoice's exchange rate to the
    /// base currency: how many base units one unit of its currency is worth.
    pub fn set_exchange_rate(&mut self, invoice: &str, rate: &str) -> AppResult<Option<Decimal>> {
        self.write("set the exchange rate", |tx, _| {
            let inv = crate::invoices::resolve(tx, invoice)?;
            let t = rate.trim();
            let value = if t.is_empty() {
                None
            } else {
                let v = billable_core::money::parse_decimal("exchange_rate", t)?;
                if v <= Decimal::ZERO {
                    return Err(AppError::invalid("exchange_rate", "must be more than zero"));
                }
                if v.scale() > 10 {
                    return Err(AppError::invalid("exchange_rate", "has more than 10 decimals"));
                }
                Some(v)
            };
            let base = cat::business(tx)?.default_currency;
            if inv.currency == base && value.is_some_and(|v| v != Decimal::ONE) {
                return Err(AppError::invalid(
                    "exchange_rate",
                    format!("invoice {} is in the base currency {}; its rate is always 1", inv.number, base),
                ));
            }
            rep::set_exchange_rate(tx, inv.id, value)?;
            Ok(value)
        })
    }
}

/// The aging report as of a date, inside a read.
fn aging(tx: &Tx, as_of: NaiveDate) -> AppResult<AgingReport> {
    let base_currency = cat::business(tx)?.default_currency;
    let mut rows: Vec<AgingRow> = Vec::new();
    let mut totals: Vec<AgingRow> = Vec::new();
    let mut base_exact = Decimal::ZERO;
    let mut unconverted = Vec::new();
    for inv in rep::open_invoices(tx, as_of)? {
        let cur = Currency::parse(&inv.currency)?;
        let amount = cur.from_minor(inv.balance_minor);
        let bucket = aging_bucket((as_of - inv.due_date).num_days());
        // The invoices come by client: most belong to the row just before.
        let same = |r: &AgingRow| r.client_id == inv.client_id && r.currency == cur;
        let found = if rows.last().is_some_and(same) { Some(rows.len() - 1) } else { rows.iter().position(same) };
        let idx = match found {
            Some(i) => i,
            None => {
                rows.push(AgingRow::empty(inv.client_id, inv.client_name.clone(), cur));
                rows.len() - 1
            }
        };
        rows[idx].add(bucket, amount, &inv.number);
        let t = match totals.iter().position(|t| t.currency == cur) {
            Some(i) => i,
            None => {
                totals.push(AgingRow::empty(0, String::new(), cur));
                totals.len() - 1
            }
        };
        totals[t].add(bucket, amount, &inv.number);
        match rate_to_base(cur, base_currency, inv.exchange_rate) {
            Some(rate) => base_exact += amount * rate,
            None => unconverted.push(inv.number),
        }
    }
    totals.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
    Ok(AgingReport {
        as_of,
        base_currency,
        rows,
        totals,
        base_total: round_money(base_exact, base_currency),
        unconverted,
    })
}

/// The unbilled report up to a date (all work without one), inside a read.
fn unbilled(tx: &Tx, to: Option<NaiveDate>) -> AppResult<UnbilledReport> {
    let business = cat::business(tx)?;
    let mut rows: Vec<UnbilledRow> = Vec::new();
    let mut exact: Vec<Decimal> = Vec::new();
    for b in rep::unbilled_buckets(tx, to)? {
        let currency = match &b.currency {
            Some(c) => Currency::parse(c)?,
            None => business.default_currency,
        };
        let idx = match rows.iter().position(|r| r.client_id == b.client_id && r.currency == currency) {
            Some(i) => i,
            None => {
                rows.push(UnbilledRow {
                    client_id: b.client_id,
                    client_name: b.client_name.clone(),
                    currency,
                    entries: 0,
                    seconds: 0,
                    hours: Decimal::ZERO,
                    amount: Decimal::ZERO,
                    unpriced_seconds: 0,
                    expenses: 0,
                    expense_amount: Decimal::ZERO,
                });
                exact.push(Decimal::ZERO);
                rows.len() - 1
            }
        };
        rows[idx].entries += b.entries;
        rows[idx].seconds += b.seconds;
        match b.rate.or(business.default_rate) {
            Some(r) => exact[idx] += Decimal::from(b.seconds) * r / Decimal::from(3600),
            None => rows[idx].unpriced_seconds += b.seconds,
        }
    }
    for e in billable_store::expenses::unbilled(tx, to)? {
        let Some(client_id) = e.client_id else { continue };
        let idx = match rows.iter().position(|r| r.client_id == client_id && r.currency == e.currency) {
            Some(i) => i,
            None => {
                rows.push(UnbilledRow {
                    client_id,
                    client_name: crate::catalog::client_or_404(tx, client_id)?.name,
                    currency: e.currency,
                    entries: 0,
                    seconds: 0,
                    hours: Decimal::ZERO,
                    amount: Decimal::ZERO,
                    unpriced_seconds: 0,
                    expenses: 0,
                    expense_amount: Decimal::ZERO,
                });
                exact.push(Decimal::ZERO);
                rows.len() - 1
            }
        };
        rows[idx].expenses += 1;
        rows[idx].expense_amount += billable_core::expense::billed_amount(e.amount, e.markup, e.currency);
    }
    let mut totals: Vec<Money> = Vec::new();
    for (row, e) in rows.iter_mut().zip(exact) {
        row.hours = display_hours(row.seconds);
        row.amount = round_money(e, row.currency) + row.expense_amount;
        match totals.iter_mut().find(|m| m.currency == row.currency) {
            Some(m) => m.amount += row.amount,
            None => totals.push(Money { amount: row.amount, currency: row.currency }),
        }
    }
    Ok(UnbilledReport { to, rows, totals })
}

#[cfg(test)]
mod tests {
    use super::aging_bucket;

    #[test]
    fn bucket_edges() {
        assert_eq!(aging_bucket(-5), 0);
        assert_eq!(aging_bucket(0), 0);
        assert_eq!(aging_bucket(1), 1);
        assert_eq!(aging_bucket(30), 1);
        assert_eq!(aging_bucket(31), 2);
        assert_eq!(aging_bucket(60), 2);
        assert_eq!(aging_bucket(61), 3);
        assert_eq!(aging_bucket(90), 3);
        assert_eq!(aging_bucket(91), 4);
    }
}
