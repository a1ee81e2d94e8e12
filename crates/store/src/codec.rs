//! Converting between column values and domain values. Damaged values become
//! a conversion error naming the column, never a panic.

use crate::error::{StoreError, StoreResult};
use std::str::FromStr;

use crate::sql::Row;
use billable_core::Currency;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// A stored value that does not convert to what the column holds.
pub(crate) fn conversion(idx: usize, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("column {idx}: {e}"))
}

fn bad(idx: usize, what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("column {idx}: '{value}' is not a valid {what}"))
}

pub fn dec(row: &Row, idx: usize) -> StoreResult<Decimal> {
    let s: String = row.get(idx)?;
    Decimal::from_str(&s).map_err(|_| bad(idx, "decimal", &s))
}

pub fn dec_opt(row: &Row, idx: usize) -> StoreResult<Option<Decimal>> {
    let s: Option<String> = row.get(idx)?;
    s.map(|s| Decimal::from_str(&s).map_err(|_| bad(idx, "decimal", &s))).transpose()
}

/// Canonical text for a decimal column: no trailing zeros.
pub fn dec_text(d: Decimal) -> String {
    d.normalize().to_string()
}

pub fn dec_text_opt(d: Option<Decimal>) -> Option<String> {
    d.map(dec_text)
}

pub fn date(row: &Row, idx: usize) -> StoreResult<NaiveDate> {
    // Dates are stored as YYYY-MM-DD: read those digits where they stand
    // (lists of thousands of rows read two dates each); anything else goes
    // through the general parser, which decides the same way.
    if let crate::sql::ValueRef::Text(t) = row.get_ref(idx)? {
        if let Some(d) = iso_date(t) {
            return Ok(d);
        }
    }
    let s: String = row.get(idx)?;
    NaiveDate::from_str(&s).map_err(|_| bad(idx, "date", &s))
}

/// `YYYY-MM-DD` (four, two and two ASCII digits) that is a real date.
fn iso_date(t: &[u8]) -> Option<NaiveDate> {
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        t[r].iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
    };
    if t.len() != 10 || t[4] != b'-' || t[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

pub fn ts(row: &Row, idx: usize) -> StoreResult<DateTime<Utc>> {
    let n: i64 = row.get(idx)?;
    DateTime::from_timestamp(n, 0).ok_or_else(|| bad(idx, "timestamp", &n.to_string()))
}

pub fn ts_opt(row: &Row, idx: usize) -> StoreResult<Option<DateTime<Utc>>> {
    let n: Option<i64> = row.get(idx)?;
    n.map(|n| DateTime::from_timestamp(n, 0).ok_or_else(|| bad(idx, "timestamp", &n.to_string()))).transpose()
}

pub fn currency(row: &Row, idx: usize) -> StoreResult<Currency> {
    let s: String = row.get(idx)?;
    Currency::parse(&s).map_err(|_| bad(idx, "currency", &s))
}

/// Any `FromStr` domain enum stored as text.
pub fn parsed<T: FromStr>(row: &Row, idx: usize) -> StoreResult<T> {
    let s: String = row.get(idx)?;
    s.parse::<T>().map_err(|_| bad(idx, std::any::type_name::<T>(), &s))
}

/// A domain enum stored as text, or NULL.
pub fn parsed_opt<T: FromStr>(row: &Row, idx: usize) -> StoreResult<Option<T>> {
    let s: Option<String> = row.get(idx)?;
    s.map(|s| s.parse::<T>().map_err(|_| bad(idx, std::any::type_name::<T>(), &s))).transpose()
}

pub fn json_list(row: &Row, idx: usize) -> StoreResult<Vec<String>> {
    let s: String = row.get(idx)?;
    serde_json::from_str(&s).map_err(|_| bad(idx, "list", &s))
}

pub fn json_text(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// Money in integer minor units → decimal at the currency's scale.
pub fn money(row: &Row, idx: usize, cur: Currency) -> StoreResult<Decimal> {
    let n: i64 = row.get(idx)?;
    Ok(cur.from_minor(n))
}

/// An amount already rounded by the engine → minor units.
pub fn minor(cur: Currency, amount: Decimal) -> StoreResult<i64> {
    cur.to_minor(amount).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A WHERE clause built from optional filters, with numbered parameters.
#[derive(Default)]
pub struct Where {
    cond: Vec<String>,
    pub args: Vec<crate::sql::Value>,
}

impl Where {
    /// Adds a condition whose every `?` stands for `v`.
    pub fn bind(&mut self, sql: &str, v: impl Into<crate::sql::Value>) {
        self.args.push(v.into());
        self.cond.push(sql.replace('?', &format!("?{}", self.args.len())));
    }

    /// Adds a condition without parameters.
    pub fn raw(&mut self, sql: impl Into<String>) {
        self.cond.push(sql.into());
    }

    /// `IN (…)` over integer ids (integers only, so no injection).
    pub fn ids(&mut self, column: &str, ids: &[i64]) {
        self.cond.push(format!("{column} IN ({})", id_list(ids)));
    }

    pub fn sql(&self) -> String {
        if self.cond.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.cond.join(" AND "))
        }
    }
}

/// Integer ids as the inside of an SQL `IN (…)`: `3,7,12` (integers only,
/// so no injection). No ids is a query of no rows, since PostgreSQL has no
/// empty `IN ()`: `x IN (…)` is false and `x NOT IN (…)` true, as in SQLite.
pub fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "SELECT 0 WHERE 1 = 0".to_string();
    }
    ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// A discount stored as kind + value columns.
pub fn discount_cols(r: &Row, kind: usize, value: usize) -> StoreResult<billable_core::totals::Discount> {
    let k: String = r.get(kind)?;
    let v = dec_opt(r, value)?;
    billable_core::totals::Discount::from_parts("discount", &k, v).map_err(|e| crate::codec::conversion(kind, e))
}

/// An inline tax stored as name, percent, category, exemption reason
/// columns starting at `idx` (none when the name is NULL).
pub fn tax_cols(r: &Row, idx: usize) -> StoreResult<Option<billable_core::tax::TaxRate>> {
    match r.get::<Option<String>>(idx)? {
        Some(name) => Ok(Some(billable_core::tax::TaxRate {
            name,
            percent: dec(r, idx + 1)?,
            category: parsed(r, idx + 2)?,
            exemption_reason: r.get(idx + 3)?,
        })),
        None => Ok(None),
    }
}

/// "?1, ?2, …, ?n": the parameters of a statement that binds `n` values in order.
pub fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_date_is_read_as_the_general_parser_reads_it() {
        let store = crate::Store::open_in_memory().unwrap();
        let c = store.connection();
        let mut texts: Vec<String> = vec![
            "2026-02-28".into(),
            "2026-02-29".into(),
            "2024-02-29".into(),
            "0001-01-01".into(),
            "9999-12-31".into(),
            "2026-13-01".into(),
            "2026-00-10".into(),
            "2026-04-31".into(),
            "2026-1-01".into(),
            "+2026-01-01".into(),
            " 2026-01-01".into(),
            "2026/01/01".into(),
            "2026-01-0x".into(),
            "".into(),
        ];
        let mut day = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..800 {
            texts.push(day.to_string());
            day += chrono::Duration::days(13);
        }
        for t in texts {
            let fast: Result<NaiveDate, String> =
                c.query_row("SELECT ?1", [&t], |r| date(r, 0)).map_err(|e| e.to_string());
            let general = NaiveDate::from_str(&t).map_err(|_| bad(0, "date", &t).to_string());
            assert_eq!(fast, general, "{t:?}");
        }
    }
}
