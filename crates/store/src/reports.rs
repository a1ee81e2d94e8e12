//! Aggregations for reports. Sums of seconds are done in SQL; money is
//! computed by the caller with exact decimals from the (rate, seconds) pairs,
//! never with SQL arithmetic on rates.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::codec::dec_opt;
use crate::error::StoreResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    let (key, name) = match group {
        TimeGroup::Client => ("e.client_id", "cl.name"),
        TimeGroup::Project => ("e.project_id", "cl.name || ' / ' || p.name"),
        TimeGroup::Task => ("e.task_id", "p.name || ' / ' || COALESCE(t.name, '(no task)')"),
        TimeGroup::Member => ("e.member_id", "m.name"),
    };
    let group_by = match group {
        TimeGroup::Task => "e.project_id, e.task_id",
        _ => key,
    };
    let sql = format!(
        "SELECT {key}, {name}, cl.currency,
                COALESCE(e.rate, t.rate, p.rate, cl.rate, m.default_rate) AS eff_rate,
                SUM(e.seconds), SUM(CASE WHEN e.billable = 1 THEN e.seconds ELSE 0 END)
         FROM time_entries e
         JOIN projects p ON p.id = e.project_id
         JOIN clients cl ON cl.id = e.client_id
         JOIN members m ON m.id = e.member_id
         LEFT JOIN tasks t ON t.id = e.task_id
         WHERE e.work_date BETWEEN ?1 AND ?2
         GROUP BY {group_by}, cl.currency, eff_rate
         ORDER BY 2 COLLATE NOCASE"
    );
    let mut st = c.prepare(&sql)?;
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
