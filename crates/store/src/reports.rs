//! Aggregations for reports. Sums of seconds are done in SQL; money is
//! computed by the caller with exact decimals from the (rate, seconds) pairs,
//! never with SQL arithmetic on rates.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::codec::dec_opt;
use crate::error::StoreResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TimeGroup {
    Client,
    Project,
    Task,
    Member,
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
    };
    let group_by = match group {
        TimeGroup::Task => "a.project_id, a.task_id",
        _ => key,
    };
    // Sum the entries first (from the covering index alone), then join the
    // few resulting rows to their names and rates.
    format!(
        "WITH a AS (
             SELECT project_id, client_id, member_id, task_id, rate,
                    SUM(seconds) AS secs, SUM(CASE WHEN billable = 1 THEN seconds ELSE 0 END) AS bsecs
             FROM time_entries
             WHERE work_date BETWEEN ?1 AND ?2
             GROUP BY project_id, client_id, member_id, task_id, rate)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn the_time_report_reads_only_the_covering_index() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        let from: NaiveDate = "2026-01-01".parse().unwrap();
        let to: NaiveDate = "2026-12-31".parse().unwrap();
        for group in [TimeGroup::Client, TimeGroup::Project, TimeGroup::Task, TimeGroup::Member] {
            time_buckets(c, group, from, to).unwrap();
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {}", time_buckets_sql(group))).unwrap();
            let plan: Vec<String> = st
                .query_map(params![from.to_string(), to.to_string()], |r| r.get(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(plan.iter().any(|p| p.contains("COVERING INDEX time_entries_report")), "{group:?}: {plan:?}");
            assert!(!plan.iter().any(|p| p.starts_with("SCAN time_entries")), "{group:?}: {plan:?}");
        }
    }
}

/// An amount in minor units for one month (`YYYY-MM`) and one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthAmount {
    pub month: String,
    pub currency: String,
    pub minor: i64,
}

fn month_amounts(c: &Connection, sql: &str, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<MonthAmount>> {
    let mut st = c.prepare(sql)?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok(MonthAmount { month: r.get(0)?, currency: r.get(1)?, minor: r.get(2)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Totals of issued invoices (neither drafts nor cancelled) per month of
/// issue and currency.
pub fn invoiced_by_month(c: &Connection, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<MonthAmount>> {
    month_amounts(
        c,
        "SELECT substr(issue_date, 1, 7), currency, SUM(total_minor) FROM invoices
         WHERE status NOT IN ('draft', 'cancelled') AND issue_date BETWEEN ?1 AND ?2
         GROUP BY 1, 2 ORDER BY 1, 2",
        from,
        to,
    )
}

/// Payments received per month and currency (of invoices not cancelled).
pub fn paid_by_month(c: &Connection, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<MonthAmount>> {
    month_amounts(
        c,
        "SELECT substr(p.paid_on, 1, 7), i.currency, SUM(p.amount_minor) FROM payments p
         JOIN invoices i ON i.id = p.invoice_id
         WHERE i.status <> 'cancelled' AND p.paid_on BETWEEN ?1 AND ?2
         GROUP BY 1, 2 ORDER BY 1, 2",
        from,
        to,
    )
}
