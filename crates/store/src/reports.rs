//! Aggregations for reports. Sums of seconds are done in SQL, or over the
//! daily time rollup in memory; money is
//! computed by the caller with exact decimals from the (rate, seconds) pairs,
//! never with SQL arithmetic on rates.

use std::collections::HashMap;

use crate::params;
use crate::sql::{OptionalExtension, Tx};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::codec::{date, dec_opt};
use crate::error::{StoreError, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TimeGroup {
    Client,
    Project,
    Task,
    Member,
    Day,
    /// ISO 8601 weeks, e.g. 2026-W19.
    Week,
    Month,
}

impl TimeGroup {
    /// The period a day falls in, for the date groups: the day itself, its
    /// ISO 8601 week (2026-W19) or its month (2026-05).
    fn period(self, day: &str) -> StoreResult<Option<String>> {
        Ok(match self {
            TimeGroup::Day => Some(day.to_owned()),
            TimeGroup::Week => {
                let date: NaiveDate = day
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("'{day}' in the daily time rollup is not a date")))?;
                let week = date.iso_week();
                Some(format!("{:04}-W{:02}", week.year(), week.week()))
            }
            TimeGroup::Month => Some(day.get(..7).unwrap_or(day).to_owned()),
            _ => None,
        })
    }
}

/// Seconds for one group at one effective rate in one currency.
#[derive(Debug, Clone)]
pub struct TimeBucket {
    pub key: Option<i64>,
    pub name: String,
    /// The client's currency; `None` means the business default.
    pub currency: Option<String>,
    /// The most specific rate set below the business default; `None` falls
    /// back to the business default rate.
    pub rate: Option<rust_decimal::Decimal>,
    pub seconds: i64,
    pub billable_seconds: i64,
}

/// Seconds per group, effective rate and currency over a date range.
///
/// The daily rollup (kept by triggers on `time_entries`) is read once by its
/// primary key's date range and summed here, by period, project, member, task
/// and entry rate; the few sums are then named and priced from the catalog.
/// SQLite's GROUP BY sorts every rollup row through a temporary B-tree, which
/// costs several times the reading itself.
pub fn time_buckets(c: &Tx, group: TimeGroup, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<TimeBucket>> {
    let mut st = c.prepare_cached(
        "SELECT work_date, project_id, client_id, member_id, task_id, rate, billable, seconds
         FROM time_daily WHERE work_date BETWEEN ?1 AND ?2",
    )?;
    let rows = st.query(params![from.to_string(), to.to_string()])?;
    buckets(c, group, rows)
}

/// Seconds per project, effective rate and currency over all the projects'
/// days, from the rollup without dates (`time_worked`, migration 0015): the
/// same sums as [`time_buckets`] by project over every day, for these
/// projects only.
pub fn worked_buckets(c: &Tx, project_ids: &[i64]) -> StoreResult<Vec<TimeBucket>> {
    let mut st = c.prepare(&format!(
        "SELECT '', project_id, client_id, member_id, task_id, rate, billable, seconds
         FROM time_worked WHERE project_id IN ({})",
        crate::codec::id_list(project_ids)
    ))?;
    let rows = st.query([])?;
    buckets(c, TimeGroup::Project, rows)
}

/// The hourly projects with a budget whose worked value is not kept
/// (`project_worked_values`, migration 0027): never priced yet, or taken
/// away by a trigger since.
pub fn unvalued_budget_projects(c: &Tx) -> StoreResult<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT p.id FROM projects p INDEXED BY projects_hourly_budget
         WHERE p.billing_type = 'hourly' AND p.budget IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM project_worked_values v WHERE v.project_id = p.id)
         ORDER BY p.id",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Every kept worked value: per project, the value of its billable time
/// worked (`None`: no time worked at all).
pub fn kept_worked_values(c: &Tx) -> StoreResult<HashMap<i64, Option<Decimal>>> {
    let mut st = c.prepare_cached("SELECT project_id, amount FROM project_worked_values")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, dec_opt(r, 1)?)))?;
    rows.collect()
}

/// Keeps these projects' worked values (priced by the caller from
/// [`worked_buckets`] in the same transaction).
pub fn keep_worked_values(c: &Tx, values: &[(i64, Option<Decimal>)]) -> StoreResult<()> {
    let mut st = c.prepare_cached(
        "INSERT INTO project_worked_values (project_id, amount) VALUES (?1, ?2)
         ON CONFLICT (project_id) DO UPDATE SET amount = excluded.amount",
    )?;
    for (project, amount) in values {
        st.execute(params![*project, crate::codec::dec_text_opt(*amount)])?;
    }
    Ok(())
}

/// The buckets of rollup rows (day, project, client, member, task, entry
/// rate, billable, seconds).
fn buckets(c: &Tx, group: TimeGroup, mut rows: crate::sql::Rows<'_>) -> StoreResult<Vec<TimeBucket>> {
    // (period, project, client, member, task, entry rate) → (seconds, billable seconds);
    // periods and entry rates are interned (a year has a few hundred days and
    // a handful of distinct entry rates).
    let mut periods: Vec<Option<String>> = Vec::new();
    let mut entry_rates: Vec<String> = Vec::new();
    type Daily = (usize, i64, i64, i64, i64, usize);
    let mut sums: HashMap<Daily, (i64, i64)> = HashMap::new();
    let mut day = String::new();
    while let Some(ref r) = rows.next()? {
        let d = text(r, 0)?;
        if periods.is_empty() || d != day {
            d.clone_into(&mut day);
            let period = group.period(d)?;
            if periods.last() != Some(&period) {
                periods.push(period);
            }
        }
        let rate = text(r, 5)?;
        let rate = match entry_rates.iter().position(|known| known == rate) {
            Some(i) => i,
            None => {
                entry_rates.push(rate.to_owned());
                entry_rates.len() - 1
            }
        };
        let key = (periods.len() - 1, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, rate);
        let (seconds, billable): (i64, bool) = (r.get(7)?, r.get(6)?);
        let sum = sums.entry(key).or_default();
        sum.0 += seconds;
        if billable {
            sum.1 += seconds;
        }
    }
    drop(rows);
    if sums.is_empty() {
        return Ok(Vec::new());
    }
    let entry_rates = entry_rates
        .iter()
        .map(|r| if r.is_empty() { Ok(None) } else { parse_rate(r).map(Some) })
        .collect::<StoreResult<Vec<_>>>()?;
    let cat = Catalog::load(c)?;
    // (group key, the project for a task's group, name, currency, rate) → sums
    type Group = (Option<i64>, i64, String, Option<String>, Option<Decimal>);
    let mut groups: HashMap<Group, (i64, i64)> = HashMap::new();
    for ((period, project_id, client_id, member_id, task_id, rate), (secs, bsecs)) in sums {
        let (Some(p), Some(cl), Some(m)) =
            (cat.projects.get(&project_id), cat.clients.get(&client_id), cat.members.get(&member_id))
        else {
            continue;
        };
        let t = (task_id != 0).then(|| cat.tasks.get(&task_id)).flatten();
        let rate = entry_rates[rate].or(t.and_then(|t| t.rate)).or(p.rate).or(cl.rate).or(m.rate);
        let (key, project, name) = match group {
            TimeGroup::Client => (Some(client_id), 0, cl.name.clone()),
            TimeGroup::Project => (Some(project_id), 0, format!("{} / {}", cl.name, p.name)),
            TimeGroup::Task => (
                (task_id != 0).then_some(task_id),
                project_id,
                format!("{} / {}", p.name, t.map_or("(no task)", |t| t.name.as_str())),
            ),
            TimeGroup::Member => (Some(member_id), 0, m.name.clone()),
            TimeGroup::Day | TimeGroup::Week | TimeGroup::Month => {
                (None, 0, periods[period].clone().unwrap_or_default())
            }
        };
        let sum = groups.entry((key, project, name, cl.currency.clone(), rate)).or_default();
        sum.0 += secs;
        sum.1 += bsecs;
    }
    let mut out: Vec<TimeBucket> = groups
        .into_iter()
        .map(|((key, _, name, currency, rate), (seconds, billable_seconds))| TimeBucket {
            key,
            name,
            currency,
            rate,
            seconds,
            billable_seconds,
        })
        .collect();
    // By name as SQLite's NOCASE compares (ASCII letters folded), then
    // exactly, so equal names keep one order.
    out.sort_by_cached_key(|b| (b.name.to_ascii_lowercase(), b.name.clone(), b.key, b.currency.clone(), b.rate));
    Ok(out)
}

/// A text column read in place.
fn text<'r>(r: &'r crate::sql::Row, i: usize) -> StoreResult<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| bad_text(i, e))
}

fn bad_text(i: usize, e: StoreError) -> StoreError {
    crate::codec::conversion(i, e)
}

fn parse_rate(text: &str) -> StoreResult<Decimal> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("'{text}' is not a rate")))
}

/// What the time report needs of each client, project, task and member:
/// names, currencies and the rates of the rate chain.
struct Named {
    name: String,
    rate: Option<Decimal>,
}

struct NamedClient {
    name: String,
    currency: Option<String>,
    rate: Option<Decimal>,
}

struct Catalog {
    clients: HashMap<i64, NamedClient>,
    projects: HashMap<i64, Named>,
    tasks: HashMap<i64, Named>,
    members: HashMap<i64, Named>,
}

impl Catalog {
    fn load(c: &Tx) -> StoreResult<Catalog> {
        let rate = |r: &crate::sql::Row, i: usize| -> StoreResult<Option<Decimal>> {
            r.get_ref(i)?
                .as_str_or_null()
                .map_err(|e| bad_text(i, e))?
                .filter(|t| !t.is_empty())
                .map(parse_rate)
                .transpose()
        };
        let named = |sql: &str| -> StoreResult<HashMap<i64, Named>> {
            let mut st = c.prepare_cached(sql)?;
            let mut rows = st.query([])?;
            let mut out = HashMap::new();
            while let Some(ref r) = rows.next()? {
                out.insert(r.get(0)?, Named { name: r.get(1)?, rate: rate(r, 2)? });
            }
            Ok(out)
        };
        let mut clients = HashMap::new();
        let mut st = c.prepare_cached("SELECT id, name, currency, rate FROM clients")?;
        let mut rows = st.query([])?;
        while let Some(ref r) = rows.next()? {
            clients.insert(r.get(0)?, NamedClient { name: r.get(1)?, currency: r.get(2)?, rate: rate(r, 3)? });
        }
        Ok(Catalog {
            clients,
            projects: named("SELECT id, name, rate FROM projects")?,
            tasks: named("SELECT id, name, rate FROM tasks")?,
            members: named("SELECT id, name, default_rate FROM members")?,
        })
    }
}

/// Unbilled billable seconds per client at one effective rate (from the
/// partial index on unbilled billable entries).
#[derive(Debug, Clone)]
pub struct UnbilledBucket {
    pub client_id: i64,
    pub client_name: String,
    /// The client's currency; `None` means the business default.
    pub currency: Option<String>,
    pub rate: Option<rust_decimal::Decimal>,
    pub seconds: i64,
    pub entries: i64,
}

pub fn unbilled_buckets(c: &Tx, to: Option<NaiveDate>) -> StoreResult<Vec<UnbilledBucket>> {
    // All unbilled work: the rollup the triggers keep (a few thousand rows);
    // up to a date: the entries themselves.
    let source = if to.is_none() {
        "SELECT client_id, project_id, member_id, NULLIF(task_id, 0) AS task_id, NULLIF(rate, '') AS rate,
                seconds AS secs, entries AS n
         FROM time_unbilled WHERE ?1 IS NULL"
    } else {
        "SELECT client_id, project_id, member_id, task_id, rate, SUM(seconds) AS secs, COUNT(*) AS n
         FROM time_entries
         WHERE invoice_id IS NULL AND billed_outside IS NULL AND billable = 1 AND work_date <= ?1
         GROUP BY client_id, project_id, member_id, task_id, rate"
    };
    let mut st = c.prepare_cached(&format!(
        "WITH a AS ({source})
         SELECT a.client_id, cl.name, cl.currency,
                COALESCE(a.rate, t.rate, p.rate, cl.rate, m.default_rate) AS eff_rate,
                SUM(a.secs), SUM(a.n)
         FROM a
         JOIN projects p ON p.id = a.project_id
         JOIN clients cl ON cl.id = a.client_id
         JOIN members m ON m.id = a.member_id
         LEFT JOIN tasks t ON t.id = a.task_id
         GROUP BY a.client_id, cl.name, cl.currency, eff_rate
         ORDER BY cl.name COLLATE NOCASE, a.client_id"
    ))?;
    let rows = st.query_map(params![to.map(|d| d.to_string())], |r| {
        Ok(UnbilledBucket {
            client_id: r.get(0)?,
            client_name: r.get(1)?,
            currency: r.get(2)?,
            rate: dec_opt(r, 3)?,
            seconds: r.get(4)?,
            entries: r.get(5)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// Issued invoices (sent, partly paid or paid) of one month in one currency
/// at one exchange rate: totals in minor units.
#[derive(Debug, Clone)]
pub struct InvoicedMonth {
    /// YYYY-MM
    pub month: String,
    pub currency: String,
    pub exchange_rate: Option<rust_decimal::Decimal>,
    pub invoices: i64,
    pub total_minor: i64,
    pub balance_minor: i64,
}

pub fn invoiced_by_month(c: &Tx, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<InvoicedMonth>> {
    let mut st = c.prepare(
        "SELECT substr(issue_date, 1, 7), currency, exchange_rate, COUNT(*), SUM(total_minor), SUM(balance_minor)
         FROM invoices INDEXED BY invoices_month_sums
         WHERE issue_date BETWEEN ?1 AND ?2 AND status IN ('sent','partially_paid','paid')
         GROUP BY 1, 2, 3
         ORDER BY 1, 2",
    )?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok(InvoicedMonth {
            month: r.get(0)?,
            currency: r.get(1)?,
            exchange_rate: dec_opt(r, 2)?,
            invoices: r.get(3)?,
            total_minor: r.get(4)?,
            balance_minor: r.get(5)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// Credit notes issued in each month, per currency and exchange rate of the
/// invoices they correct: negative `total_minor`, no invoices counted. A
/// credit note reduces what was invoiced in the month it is issued.
pub fn credited_by_month(c: &Tx, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<InvoicedMonth>> {
    let mut st = c.prepare(
        "SELECT substr(n.issue_date, 1, 7), n.currency, i.exchange_rate, -SUM(n.total_minor)
         FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id
         WHERE n.issue_date BETWEEN ?1 AND ?2
         GROUP BY 1, 2, 3
         ORDER BY 1, 2",
    )?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok(InvoicedMonth {
            month: r.get(0)?,
            currency: r.get(1)?,
            exchange_rate: dec_opt(r, 2)?,
            invoices: 0,
            total_minor: r.get(3)?,
            balance_minor: 0,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// Payments received in one month in one currency at one exchange rate,
/// less the refunds paid back that month.
#[derive(Debug, Clone)]
pub struct PaidMonth {
    pub month: String,
    pub currency: String,
    pub exchange_rate: Option<rust_decimal::Decimal>,
    pub amount_minor: i64,
}

pub fn paid_by_month(c: &Tx, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<PaidMonth>> {
    let mut st = c.prepare(
        "SELECT month, currency, exchange_rate, SUM(amount_minor) FROM (
             SELECT substr(p.paid_on, 1, 7) AS month, i.currency, i.exchange_rate, p.amount_minor
             FROM payments p INDEXED BY payments_month
             JOIN invoices i INDEXED BY invoices_currency ON i.id = p.invoice_id
             WHERE p.paid_on BETWEEN ?1 AND ?2
             UNION ALL
             SELECT substr(r.refunded_on, 1, 7), i.currency, i.exchange_rate, -r.amount_minor
             FROM refunds r JOIN invoices i ON i.id = r.invoice_id
             WHERE r.refunded_on BETWEEN ?1 AND ?2) AS u
         GROUP BY 1, 2, 3
         ORDER BY 1, 2",
    )?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok(PaidMonth { month: r.get(0)?, currency: r.get(1)?, exchange_rate: dec_opt(r, 2)?, amount_minor: r.get(3)? })
    })?;
    rows.collect::<Result<_, _>>()
}

/// An issued invoice with money still owed.
#[derive(Debug, Clone)]
pub struct OpenInvoice {
    pub id: i64,
    pub number: String,
    pub client_id: i64,
    pub client_name: String,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub balance_minor: i64,
    pub exchange_rate: Option<rust_decimal::Decimal>,
}

/// Invoices that were open on `as_of`: issued by then, and with a balance
/// on that day — today's balance plus the payments received after `as_of`
/// (so an invoice paid since still shows what was owed then).
pub fn open_invoices(c: &Tx, as_of: NaiveDate) -> StoreResult<Vec<OpenInvoice>> {
    let day = as_of.to_string();
    // Payments received after `as_of`, per invoice (none when it is today).
    let mut later: HashMap<i64, i64> = HashMap::new();
    {
        let mut st = c.prepare_cached(
            "SELECT invoice_id, amount_minor FROM payments INDEXED BY payments_date WHERE paid_on > ?1",
        )?;
        for row in st.query_map([&day], |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)))? {
            let (invoice, amount) = row?;
            *later.entry(invoice).or_default() += amount;
        }
    }
    let names: HashMap<i64, String> = {
        let mut st = c.prepare_cached("SELECT id, name FROM clients")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let row = |r: &crate::sql::Row<'_>| -> StoreResult<OpenInvoice> {
        let client_id: i64 = r.get(2)?;
        Ok(OpenInvoice {
            id: r.get(0)?,
            number: r.get(1)?,
            client_id,
            client_name: names.get(&client_id).cloned().unwrap_or_default(),
            currency: r.get(3)?,
            issue_date: date(r, 4)?,
            due_date: date(r, 5)?,
            balance_minor: r.get(6)?,
            exchange_rate: dec_opt(r, 7)?,
        })
    };
    const COLS: &str = "id, number, client_id, currency, issue_date, due_date, balance_minor, exchange_rate";
    // Open today (the index holds every column read), then those paid in
    // full since `as_of`.
    let mut out: Vec<OpenInvoice> = {
        let mut st = c.prepare_cached(&format!(
            "SELECT {COLS} FROM invoices INDEXED BY invoices_open_aging
             WHERE status IN ('sent','partially_paid') AND issue_date <= ?1"
        ))?;
        let rows = st.query_map([&day], row)?;
        rows.collect::<Result<_, _>>()?
    };
    if !later.is_empty() {
        let mut st = c.prepare_cached(&format!(
            "SELECT {COLS} FROM invoices WHERE id = ?1 AND status = 'paid' AND issue_date <= ?2"
        ))?;
        for id in later.keys() {
            if let Some(inv) = st.query_row(params![id, &day], row).optional()? {
                out.push(inv);
            }
        }
    }
    for inv in &mut out {
        inv.balance_minor += later.get(&inv.id).copied().unwrap_or(0);
    }
    out.retain(|inv| inv.balance_minor > 0);
    // By client name (case folded as SQLite's NOCASE folds), then due date.
    out.sort_by_cached_key(|inv| {
        (inv.client_name.to_ascii_lowercase(), inv.client_id, inv.due_date, inv.number.clone())
    });
    Ok(out)
}

/// The exchange rate set on an invoice (base-currency units per unit of the
/// invoice's currency).
pub fn exchange_rate(c: &Tx, invoice_id: i64) -> StoreResult<Option<rust_decimal::Decimal>> {
    c.query_row("SELECT exchange_rate FROM invoices WHERE id = ?1", [invoice_id], |r| dec_opt(r, 0))
}

pub fn set_exchange_rate(c: &Tx, invoice_id: i64, rate: Option<rust_decimal::Decimal>) -> StoreResult<()> {
    c.execute(
        "UPDATE invoices SET exchange_rate = ?2 WHERE id = ?1",
        params![invoice_id, crate::codec::dec_text_opt(rate)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    /// The time report as one SQL query straight over the entries: what the
    /// rollup summed in memory must equal.
    fn buckets_from_entries(c: &Tx, group: TimeGroup, from: NaiveDate, to: NaiveDate) -> Vec<String> {
        let (key, name) = match group {
            TimeGroup::Client => ("a.client_id", "cl.name"),
            TimeGroup::Project => ("a.project_id", "cl.name || ' / ' || p.name"),
            TimeGroup::Task => ("a.task_id", "p.name || ' / ' || COALESCE(t.name, '(no task)')"),
            TimeGroup::Member => ("a.member_id", "m.name"),
            TimeGroup::Day | TimeGroup::Week | TimeGroup::Month => ("NULL", "a.period"),
        };
        let group_by = match group {
            TimeGroup::Task => "a.project_id, a.task_id",
            TimeGroup::Day | TimeGroup::Week | TimeGroup::Month => "a.period",
            _ => key,
        };
        let period = match group {
            TimeGroup::Day => "work_date",
            TimeGroup::Week => "strftime('%G-W%V', work_date)",
            TimeGroup::Month => "substr(work_date, 1, 7)",
            _ => "NULL",
        };
        let sql = format!(
            "WITH a AS (
                 SELECT {period} AS period, project_id, client_id, member_id, task_id, rate,
                        SUM(seconds) AS secs, SUM(CASE WHEN billable = 1 THEN seconds ELSE 0 END) AS bsecs
                 FROM time_entries WHERE work_date BETWEEN ?1 AND ?2
                 GROUP BY period, project_id, client_id, member_id, task_id, rate)
             SELECT {key}, {name}, cl.currency, COALESCE(a.rate, t.rate, p.rate, cl.rate, m.default_rate) AS eff,
                    SUM(a.secs), SUM(a.bsecs)
             FROM a JOIN projects p ON p.id = a.project_id JOIN clients cl ON cl.id = a.client_id
             JOIN members m ON m.id = a.member_id LEFT JOIN tasks t ON t.id = a.task_id
             GROUP BY {group_by}, cl.currency, eff"
        );
        let mut st = c.prepare(&sql).unwrap();
        let mut out: Vec<String> = st
            .query_map(params![from.to_string(), to.to_string()], |r| {
                Ok(format!(
                    "{:?} {} {:?} {:?} {} {}",
                    r.get::<Option<i64>>(0)?,
                    r.get::<String>(1)?,
                    r.get::<Option<String>>(2)?,
                    dec_opt(r, 3)?.map(|d| d.normalize()),
                    r.get::<i64>(4)?,
                    r.get::<i64>(5)?
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.sort();
        out
    }

    #[test]
    fn the_time_report_from_the_daily_rollup_equals_a_sum_over_the_entries() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        // Rates at every level of the chain, a client in another currency,
        // two projects of the same name, and a member without a rate.
        c.execute_batch(
            "INSERT INTO members (id, name, default_rate) VALUES (2, 'Ana', '80'), (3, 'Bo', NULL);
             INSERT INTO clients (id, name, currency, rate) VALUES (1, 'Acme', NULL, '120'), (2, 'globex', 'USD', NULL),
                                                                (3, 'Zeta', NULL, NULL);
             INSERT INTO projects (id, client_id, name, rate) VALUES (1, 1, 'Web', NULL), (2, 1, 'App', '150'),
                                                                   (3, 2, 'Audit', NULL), (4, 3, 'Web', NULL);
             INSERT INTO tasks (id, project_id, name, rate) VALUES (1, 1, 'Design', '95.5'), (2, 1, 'Build', NULL),
                                                                (3, 3, 'Review', '200'), (4, 4, 'Design', NULL);",
        )
        .unwrap();
        let mut rng = fastrand::Rng::with_seed(11);
        let projects = [(1, 1, [0, 1, 2]), (2, 1, [0, 0, 0]), (3, 2, [0, 3, 3]), (4, 3, [0, 4, 4])];
        let rates = [None, None, Some(Decimal::new(100, 0)), Some(Decimal::new(1205, 1))];
        for _ in 0..3_000 {
            let (project_id, client_id, tasks) = projects[rng.usize(..projects.len())];
            let task = tasks[rng.usize(..tasks.len())];
            let e = billable_core::model::TimeEntry {
                id: 0,
                member_id: [1, 2, 3][rng.usize(..3)],
                client_id,
                project_id,
                task_id: (task != 0).then_some(task),
                date: NaiveDate::from_ymd_opt(2025, 12, 1).unwrap() + chrono::Duration::days(rng.i64(0..120)),
                start_at: None,
                end_at: None,
                seconds: rng.i64(1..=16) * 900,
                description: String::new(),
                billable: rng.u8(..10) > 2,
                rate: rates[rng.usize(..rates.len())],
                invoice_id: None,
                billed_outside: None,
                approval: Default::default(),
                approval_reason: String::new(),
            };
            crate::time::insert_entry(c, &e, 0).unwrap();
        }
        let from: NaiveDate = "2025-12-29".parse().unwrap();
        let to: NaiveDate = "2026-03-01".parse().unwrap();
        for group in [
            TimeGroup::Client,
            TimeGroup::Project,
            TimeGroup::Task,
            TimeGroup::Member,
            TimeGroup::Day,
            TimeGroup::Week,
            TimeGroup::Month,
        ] {
            let buckets = time_buckets(c, group, from, to).unwrap();
            let folded: Vec<String> = buckets.iter().map(|b| b.name.to_ascii_lowercase()).collect();
            assert!(folded.windows(2).all(|w| w[0] <= w[1]), "{group:?}: sorted by name, case folded");
            let mut got: Vec<String> = buckets
                .iter()
                .map(|b| {
                    format!(
                        "{:?} {} {:?} {:?} {} {}",
                        b.key,
                        b.name,
                        b.currency,
                        b.rate.map(|d| d.normalize()),
                        b.seconds,
                        b.billable_seconds
                    )
                })
                .collect();
            got.sort();
            let want = buckets_from_entries(c, group, from, to);
            assert!(want.len() > 3, "{group:?}: {want:?}");
            assert_eq!(got, want, "{group:?}");
        }
        assert!(time_buckets(c, TimeGroup::Week, "2030-01-01".parse().unwrap(), "2030-12-31".parse().unwrap())
            .unwrap()
            .is_empty());
    }

    /// The unbilled rollup as one query straight over the entries.
    fn unbilled_from_entries(c: &Tx) -> Vec<(i64, i64, i64, i64, String, i64, i64)> {
        let mut st = c
            .prepare(
                "SELECT client_id, project_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), SUM(seconds), COUNT(*)
                 FROM time_entries WHERE invoice_id IS NULL AND billed_outside IS NULL AND billable = 1
                 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
            )
            .unwrap();
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    fn unbilled_rollup(c: &Tx) -> Vec<(i64, i64, i64, i64, String, i64, i64)> {
        let mut st = c
            .prepare(
                "SELECT client_id, project_id, member_id, task_id, rate, seconds, entries
                 FROM time_unbilled ORDER BY 1, 2, 3, 4, 5",
            )
            .unwrap();
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    #[test]
    fn the_unbilled_rollup_follows_every_insert_edit_bill_release_and_delete() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        c.execute_batch(
            "INSERT INTO members (id, name) VALUES (2, 'Ana');
             INSERT INTO clients (id, name) VALUES (1, 'Acme'), (2, 'Globex');
             INSERT INTO projects (id, client_id, name) VALUES (1, 1, 'Web'), (2, 1, 'App'), (3, 2, 'Audit');
             INSERT INTO tasks (id, project_id, name) VALUES (1, 1, 'Design'), (2, 3, 'Review');
             -- Entries billed by an invoice 1 that this test does not need.
             PRAGMA foreign_keys = OFF;",
        )
        .unwrap();
        let mut rng = fastrand::Rng::with_seed(7);
        let projects = [(1, 1, [0, 1]), (2, 1, [0, 0]), (3, 2, [0, 2])];
        let rates = [None, Some(Decimal::new(100, 0)), Some(Decimal::new(1205, 1))];
        let mut ids = Vec::new();
        for step in 0..2_000 {
            match rng.u8(..10) {
                // Insert (most steps).
                0..=4 => {
                    let (project_id, client_id, tasks) = projects[rng.usize(..projects.len())];
                    let task = tasks[rng.usize(..2)];
                    let e = billable_core::model::TimeEntry {
                        id: 0,
                        member_id: [1, 2][rng.usize(..2)],
                        client_id,
                        project_id,
                        task_id: (task != 0).then_some(task),
                        date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(rng.i64(0..30)),
                        start_at: None,
                        end_at: None,
                        seconds: rng.i64(1..=16) * 900,
                        description: String::new(),
                        billable: rng.u8(..10) > 1,
                        rate: rates[rng.usize(..rates.len())],
                        invoice_id: None,
                        billed_outside: None,
                        approval: Default::default(),
                        approval_reason: String::new(),
                    };
                    ids.push(crate::time::insert_entry(c, &e, 0).unwrap());
                }
                _ if ids.is_empty() => {}
                // Bill or release one.
                5 | 6 => {
                    let id = ids[rng.usize(..ids.len())];
                    let invoice: Option<i64> = if rng.bool() { Some(1) } else { None };
                    c.execute(
                        "UPDATE time_entries SET invoice_id = ?2, invoice_line_id = ?2 WHERE id = ?1 AND billable = 1",
                        params![id, invoice],
                    )
                    .unwrap();
                }
                // Edit what counts: seconds, billable, rate, project.
                7 => {
                    let id = ids[rng.usize(..ids.len())];
                    c.execute("UPDATE time_entries SET seconds = seconds + 900, billable = ?2 WHERE id = ?1 AND invoice_id IS NULL", params![id, rng.bool()])
                        .unwrap();
                }
                8 => {
                    let id = ids[rng.usize(..ids.len())];
                    let rate = rates[rng.usize(..rates.len())].map(|d| d.to_string());
                    c.execute("UPDATE time_entries SET rate = ?2, project_id = 2, task_id = NULL WHERE id = ?1 AND client_id = 1", params![id, rate])
                        .unwrap();
                    c.execute("UPDATE time_entries SET description = 'edited' WHERE id = ?1", [id]).unwrap();
                }
                // Delete one.
                _ => {
                    let id = ids.swap_remove(rng.usize(..ids.len()));
                    c.execute("DELETE FROM time_entries WHERE id = ?1", [id]).unwrap();
                }
            }
            if step % 97 == 0 {
                assert_eq!(unbilled_rollup(c), unbilled_from_entries(c), "after step {step}");
            }
        }
        let want = unbilled_from_entries(c);
        assert!(want.len() > 5, "{want:?}");
        assert_eq!(unbilled_rollup(c), want);
        // Both ways of asking give the same buckets.
        let all = unbilled_buckets(c, None).unwrap();
        let up_to = unbilled_buckets(c, Some("2099-12-31".parse().unwrap())).unwrap();
        let key =
            |b: &UnbilledBucket| format!("{} {:?} {:?} {} {}", b.client_id, b.currency, b.rate, b.seconds, b.entries);
        assert_eq!(all.iter().map(key).collect::<Vec<_>>(), up_to.iter().map(key).collect::<Vec<_>>());
    }

    #[test]
    fn unbilled_value_reads_the_partial_index_and_open_invoices_their_index() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        let plan = |sql: &str| -> Vec<String> {
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let n = st.parameter_count().unwrap();
            let args: Vec<String> = (0..n).map(|_| "2026-05-31".to_string()).collect();
            st.query_map(crate::sql::params_from_iter(args), |r| r.get(3)).unwrap().map(Result::unwrap).collect()
        };
        unbilled_buckets(c, None).unwrap();
        let p = plan(
            "SELECT client_id, SUM(seconds) FROM time_entries
             WHERE invoice_id IS NULL AND billed_outside IS NULL AND billable = 1 AND (?1 IS NULL OR work_date <= ?1) GROUP BY client_id",
        );
        assert!(p.iter().any(|l| l.contains("time_entries_unbilled")), "{p:?}");
        open_invoices(c, "2026-05-31".parse().unwrap()).unwrap();
        invoiced_by_month(c, "2026-01-01".parse().unwrap(), "2026-12-31".parse().unwrap()).unwrap();
        let p = plan(
            "SELECT substr(issue_date, 1, 7), currency, SUM(total_minor) FROM invoices
             WHERE issue_date BETWEEN ?1 AND ?2 AND status IN ('sent','partially_paid','paid') GROUP BY 1, 2",
        );
        assert!(p.iter().any(|l| l.contains("COVERING INDEX invoices_month_sums")), "{p:?}");
    }
}
