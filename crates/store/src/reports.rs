//! Aggregations for reports. Sums of seconds are done in SQL; money is
//! computed by the caller with exact decimals from the (rate, seconds) pairs,
//! never with SQL arithmetic on rates.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::codec::{date, dec_opt};
use crate::error::StoreResult;

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
    /// The period expression over `work_date` for the date groups.
    fn period(self) -> Option<&'static str> {
        match self {
            TimeGroup::Day => Some("work_date"),
            TimeGroup::Week => Some("strftime('%G-W%V', work_date)"),
            TimeGroup::Month => Some("substr(work_date, 1, 7)"),
            _ => None,
        }
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

pub fn time_buckets(c: &Connection, group: TimeGroup, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<TimeBucket>> {
    let mut st = c.prepare(&time_buckets_sql(group))?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok(TimeBucket {
            key: r.get(0)?,
            name: r.get(1)?,
            currency: r.get(2)?,
            rate: dec_opt(r, 3)?,
            seconds: r.get(4)?,
            billable_seconds: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn time_buckets_sql(group: TimeGroup) -> String {
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
    let (period_col, period_group) = match group.period() {
        Some(expr) => (format!("{expr} AS period, "), "period, "),
        None => (String::new(), ""),
    };
    // Sum the daily rollup first (kept by triggers on time_entries, read by
    // its primary key's date range), then join the few resulting rows to
    // their names and rates.
    format!(
        "WITH a AS (
             SELECT {period_col}project_id, client_id, member_id, NULLIF(task_id, 0) AS task_id,
                    NULLIF(rate, '') AS rate,
                    SUM(seconds) AS secs, SUM(CASE WHEN billable = 1 THEN seconds ELSE 0 END) AS bsecs
             FROM time_daily
             WHERE work_date BETWEEN ?1 AND ?2
             GROUP BY {period_group}project_id, client_id, member_id, time_daily.task_id, time_daily.rate)
         SELECT {key}, {name}, cl.currency,
                COALESCE(a.rate, t.rate, p.rate, cl.rate, m.default_rate) AS eff_rate,
                SUM(a.secs), SUM(a.bsecs)
         FROM a
         JOIN projects p ON p.id = a.project_id
         JOIN clients cl ON cl.id = a.client_id
         JOIN members m ON m.id = a.member_id
         LEFT JOIN tasks t ON t.id = a.task_id
         GROUP BY {group_by}, cl.currency, eff_rate
         ORDER BY 2 COLLATE NOCASE"
    )
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

pub fn unbilled_buckets(c: &Connection, to: Option<NaiveDate>) -> StoreResult<Vec<UnbilledBucket>> {
    let mut st = c.prepare(
        "WITH a AS (
             SELECT client_id, project_id, member_id, task_id, rate, SUM(seconds) AS secs, COUNT(*) AS n
             FROM time_entries
             WHERE invoice_id IS NULL AND billable = 1 AND (?1 IS NULL OR work_date <= ?1)
             GROUP BY client_id, project_id, member_id, task_id, rate)
         SELECT a.client_id, cl.name, cl.currency,
                COALESCE(a.rate, t.rate, p.rate, cl.rate, m.default_rate) AS eff_rate,
                SUM(a.secs), SUM(a.n)
         FROM a
         JOIN projects p ON p.id = a.project_id
         JOIN clients cl ON cl.id = a.client_id
         JOIN members m ON m.id = a.member_id
         LEFT JOIN tasks t ON t.id = a.task_id
         GROUP BY a.client_id, cl.currency, eff_rate
         ORDER BY cl.name COLLATE NOCASE, a.client_id",
    )?;
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
    Ok(rows.collect::<Result<_, _>>()?)
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

pub fn invoiced_by_month(c: &Connection, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<InvoicedMonth>> {
    let mut st = c.prepare(
        "SELECT substr(issue_date, 1, 7), currency, exchange_rate, COUNT(*), SUM(total_minor), SUM(balance_minor)
         FROM invoices
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
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Credit notes issued in each month, per currency and exchange rate of the
/// invoices they correct: negative `total_minor`, no invoices counted. A
/// credit note reduces what was invoiced in the month it is issued.
pub fn credited_by_month(c: &Connection, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<InvoicedMonth>> {
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
    Ok(rows.collect::<Result<_, _>>()?)
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

pub fn paid_by_month(c: &Connection, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<PaidMonth>> {
    let mut st = c.prepare(
        "SELECT month, currency, exchange_rate, SUM(amount_minor) FROM (
             SELECT substr(p.paid_on, 1, 7) AS month, i.currency, i.exchange_rate, p.amount_minor
             FROM payments p JOIN invoices i ON i.id = p.invoice_id
             WHERE p.paid_on BETWEEN ?1 AND ?2
             UNION ALL
             SELECT substr(r.refunded_on, 1, 7), i.currency, i.exchange_rate, -r.amount_minor
             FROM refunds r JOIN invoices i ON i.id = r.invoice_id
             WHERE r.refunded_on BETWEEN ?1 AND ?2)
         GROUP BY 1, 2, 3
         ORDER BY 1, 2",
    )?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok(PaidMonth { month: r.get(0)?, currency: r.get(1)?, exchange_rate: dec_opt(r, 2)?, amount_minor: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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
pub fn open_invoices(c: &Connection, as_of: NaiveDate) -> StoreResult<Vec<OpenInvoice>> {
    let mut st = c.prepare(
        "SELECT i.id, i.number, i.client_id, cl.name, i.currency, i.issue_date, i.due_date,
                i.balance_minor + COALESCE((SELECT SUM(p.amount_minor) FROM payments p
                                            WHERE p.invoice_id = i.id AND p.paid_on > ?1), 0) AS open_minor,
                i.exchange_rate
         FROM invoices i JOIN clients cl ON cl.id = i.client_id
         WHERE i.status IN ('sent','partially_paid','paid') AND i.issue_date <= ?1
         AND open_minor > 0
         ORDER BY cl.name COLLATE NOCASE, i.client_id, i.due_date, i.number",
    )?;
    let rows = st.query_map(params![as_of.to_string()], |r| {
        Ok(OpenInvoice {
            id: r.get(0)?,
            number: r.get(1)?,
            client_id: r.get(2)?,
            client_name: r.get(3)?,
            currency: r.get(4)?,
            issue_date: date(r, 5)?,
            due_date: date(r, 6)?,
            balance_minor: r.get(7)?,
            exchange_rate: dec_opt(r, 8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The exchange rate set on an invoice (base-currency units per unit of the
/// invoice's currency).
pub fn exchange_rate(c: &Connection, invoice_id: i64) -> StoreResult<Option<rust_decimal::Decimal>> {
    Ok(c.query_row("SELECT exchange_rate FROM invoices WHERE id = ?1", [invoice_id], |r| dec_opt(r, 0))?)
}

pub fn set_exchange_rate(c: &Connection, invoice_id: i64, rate: Option<rust_decimal::Decimal>) -> StoreResult<()> {
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

    #[test]
    fn the_time_report_reads_the_daily_rollup_by_date_range() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        let from: NaiveDate = "2026-01-01".parse().unwrap();
        let to: NaiveDate = "2026-12-31".parse().unwrap();
        for group in [
            TimeGroup::Client,
            TimeGroup::Project,
            TimeGroup::Task,
            TimeGroup::Member,
            TimeGroup::Day,
            TimeGroup::Week,
            TimeGroup::Month,
        ] {
            time_buckets(c, group, from, to).unwrap();
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {}", time_buckets_sql(group))).unwrap();
            let plan: Vec<String> = st
                .query_map(params![from.to_string(), to.to_string()], |r| r.get(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(
                plan.iter().any(|p| p.contains("SEARCH time_daily USING PRIMARY KEY (work_date>? AND work_date<?)")),
                "{group:?}: {plan:?}"
            );
            assert!(!plan.iter().any(|p| p.contains("time_entries")), "{group:?}: {plan:?}");
        }
    }

    #[test]
    fn unbilled_value_reads_the_partial_index_and_open_invoices_their_index() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        let plan = |sql: &str| -> Vec<String> {
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let n = st.parameter_count();
            let args: Vec<String> = (0..n).map(|_| "2026-05-31".to_string()).collect();
            st.query_map(rusqlite::params_from_iter(args), |r| r.get(3)).unwrap().map(Result::unwrap).collect()
        };
        unbilled_buckets(c, None).unwrap();
        let p = plan(
            "SELECT client_id, SUM(seconds) FROM time_entries
             WHERE invoice_id IS NULL AND billable = 1 AND (?1 IS NULL OR work_date <= ?1) GROUP BY client_id",
        );
        assert!(p.iter().any(|l| l.contains("time_entries_unbilled")), "{p:?}");
        open_invoices(c, "2026-05-31".parse().unwrap()).unwrap();
        invoiced_by_month(c, "2026-01-01".parse().unwrap(), "2026-12-31".parse().unwrap()).unwrap();
        let p = plan(
            "SELECT substr(issue_date, 1, 7), currency, SUM(total_minor) FROM invoices
             WHERE issue_date BETWEEN ?1 AND ?2 AND status IN ('sent','partially_paid','paid') GROUP BY 1, 2",
        );
        assert!(p.iter().any(|l| l.contains("USING INDEX")), "{p:?}");
    }
}
