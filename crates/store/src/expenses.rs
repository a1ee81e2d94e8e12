//! Expenses and their receipts (migration 0023).

use crate::params;
use crate::sql::{OptionalExtension, Row, Tx};
use billable_core::model::{Expense, ReceiptInfo};
use billable_core::money::Currency;
use chrono::NaiveDate;

use crate::codec::*;
use crate::error::StoreResult;

const COLS: &str = "id, date, amount_minor, currency, category, vendor, note, tax_rate_id, client_id, project_id,
    billable, markup, invoice_id, invoice_line_id";

fn expense_row(r: &Row) -> StoreResult<Expense> {
    let cur = currency(r, 3)?;
    Ok(Expense {
        id: r.get(0)?,
        date: date(r, 1)?,
        amount: money(r, 2, cur)?,
        currency: cur,
        category: r.get(4)?,
        vendor: r.get(5)?,
        note: r.get(6)?,
        tax_rate_id: r.get(7)?,
        client_id: r.get(8)?,
        project_id: r.get(9)?,
        billable: r.get(10)?,
        markup: dec_opt(r, 11)?,
        invoice_id: r.get(12)?,
        invoice_line_id: r.get(13)?,
    })
}

/// Writes a new expense (its billing state as given); returns its id.
pub fn insert_expense(c: &Tx, e: &Expense, import_hash: Option<&[u8]>, now: i64) -> StoreResult<i64> {
    let id = c
        .prepare_cached(
            "INSERT INTO expenses (date, amount_minor, currency, category, vendor, note, tax_rate_id, client_id,
            project_id, billable, markup, import_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .insert(params![
            e.date.to_string(),
            minor(e.currency, e.amount)?,
            e.currency.code(),
            e.category,
            e.vendor,
            e.note,
            e.tax_rate_id,
            e.client_id,
            e.project_id,
            e.billable,
            dec_text_opt(e.markup),
            import_hash,
            now
        ])?;
    Ok(id)
}

/// Rewrites an unbilled expense's fields; returns whether it was unbilled.
pub fn update_expense(c: &Tx, e: &Expense) -> StoreResult<bool> {
    Ok(c.execute(
        "UPDATE expenses SET date=?2, amount_minor=?3, currency=?4, category=?5, vendor=?6, note=?7,
            tax_rate_id=?8, client_id=?9, project_id=?10, billable=?11, markup=?12
         WHERE id=?1 AND invoice_id IS NULL",
        params![
            e.id,
            e.date.to_string(),
            minor(e.currency, e.amount)?,
            e.currency.code(),
            e.category,
            e.vendor,
            e.note,
            e.tax_rate_id,
            e.client_id,
            e.project_id,
            e.billable,
            dec_text_opt(e.markup)
        ],
    )? > 0)
}

/// Deletes an unbilled expense and its receipt; returns whether it did.
pub fn delete_expense(c: &Tx, id: i64) -> StoreResult<bool> {
    Ok(c.execute("DELETE FROM expenses WHERE id = ?1 AND invoice_id IS NULL", [id])? > 0)
}

pub fn expense(c: &Tx, id: i64) -> StoreResult<Option<Expense>> {
    c.query_row(&format!("SELECT {COLS} FROM expenses WHERE id = ?1"), [id], expense_row).optional()
}

/// Which expenses a list shows.
#[derive(Debug, Clone, Default)]
pub struct ExpenseFilter {
    pub client_id: Option<i64>,
    pub project_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Some(true): billed ones only; Some(false): not billed (billable or not).
    pub billed: Option<bool>,
    pub billable: Option<bool>,
    pub category: Option<String>,
    pub currency: Option<Currency>,
    pub ids: Option<Vec<i64>>,
}

/// Expenses by date (newest last), then id.
pub fn expenses(c: &Tx, f: &ExpenseFilter) -> StoreResult<Vec<Expense>> {
    let mut w = Where::default();
    if let Some(v) = f.client_id {
        w.bind("client_id = ?", v);
    }
    if let Some(v) = f.project_id {
        w.bind("project_id = ?", v);
    }
    if let Some(v) = f.from {
        w.bind("date >= ?", v.to_string());
    }
    if let Some(v) = f.to {
        w.bind("date <= ?", v.to_string());
    }
    match f.billed {
        Some(true) => w.raw("invoice_id IS NOT NULL"),
        Some(false) => w.raw("invoice_id IS NULL"),
        None => {}
    }
    if let Some(v) = f.billable {
        w.bind("billable = ?", v);
    }
    if let Some(v) = &f.category {
        w.bind("category = ? COLLATE NOCASE", v.clone());
    }
    if let Some(v) = f.currency {
        w.bind("currency = ?", v.code().to_string());
    }
    if let Some(ids) = &f.ids {
        w.ids("id", ids);
    }
    let sql = format!("SELECT {COLS} FROM expenses {} ORDER BY date, id", w.sql());
    let mut st = c.prepare(&sql)?;
    let rows = st.query_map(crate::sql::params_from_iter(w.args.iter()), expense_row)?;
    rows.collect::<Result<_, _>>()
}

/// Marks unbilled billable expenses as billed by one invoice line; returns
/// how many it marked (an expense billed meanwhile is not counted).
pub fn mark_billed(c: &Tx, ids: &[i64], invoice_id: i64, line_id: i64) -> StoreResult<usize> {
    let mut st = c.prepare_cached(
        "UPDATE expenses SET invoice_id = ?1, invoice_line_id = ?2
         WHERE id = ?3 AND invoice_id IS NULL AND billable = 1",
    )?;
    let mut n = 0;
    for id in ids {
        n += st.execute(params![invoice_id, line_id, id])?;
    }
    Ok(n)
}

/// Releases the expenses an invoice billed; returns how many.
pub fn release_invoice(c: &Tx, invoice_id: i64) -> StoreResult<usize> {
    c.execute("UPDATE expenses SET invoice_id = NULL, invoice_line_id = NULL WHERE invoice_id = ?1", [invoice_id])
}

/// Releases the expense one line billed; returns how many.
pub fn release_line(c: &Tx, line_id: i64) -> StoreResult<usize> {
    c.execute("UPDATE expenses SET invoice_id = NULL, invoice_line_id = NULL WHERE invoice_line_id = ?1", [line_id])
}

/// Which of these import hashes the books hold already.
pub fn imported_before(c: &Tx, hashes: &[[u8; 16]]) -> StoreResult<Vec<bool>> {
    let mut st = c.prepare_cached("SELECT 1 FROM expenses WHERE import_hash = ?1")?;
    hashes.iter().map(|h| st.exists([&h[..]])).collect()
}

// ---- receipts ---------------------------------------------------------------

/// Puts a receipt on an expense, replacing the one it had.
pub fn set_receipt(c: &Tx, expense_id: i64, file_name: &str, media_type: &str, bytes: &[u8]) -> StoreResult<()> {
    c.execute(
        "INSERT INTO expense_receipts (expense_id, file_name, media_type, size, bytes) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (expense_id) DO UPDATE SET file_name = excluded.file_name, media_type = excluded.media_type,
            size = excluded.size, bytes = excluded.bytes",
        params![expense_id, file_name, media_type, bytes.len() as i64, bytes],
    )?;
    Ok(())
}

pub fn remove_receipt(c: &Tx, expense_id: i64) -> StoreResult<bool> {
    Ok(c.execute("DELETE FROM expense_receipts WHERE expense_id = ?1", [expense_id])? > 0)
}

pub fn receipt_info(c: &Tx, expense_id: i64) -> StoreResult<Option<ReceiptInfo>> {
    c.query_row("SELECT file_name, media_type, size FROM expense_receipts WHERE expense_id = ?1", [expense_id], |r| {
        Ok(ReceiptInfo { file_name: r.get(0)?, media_type: r.get(1)?, size: r.get(2)? })
    })
    .optional()
}

/// Receipt facts of many expenses at once, by expense id.
pub fn receipt_infos(c: &Tx) -> StoreResult<Vec<(i64, ReceiptInfo)>> {
    let mut st = c.prepare("SELECT expense_id, file_name, media_type, size FROM expense_receipts ORDER BY 1")?;
    let rows = st.query_map([], |r| {
        Ok((r.get(0)?, ReceiptInfo { file_name: r.get(1)?, media_type: r.get(2)?, size: r.get(3)? }))
    })?;
    rows.collect::<Result<_, _>>()
}

pub fn receipt_bytes(c: &Tx, expense_id: i64) -> StoreResult<Option<(ReceiptInfo, Vec<u8>)>> {
    c.query_row(
        "SELECT file_name, media_type, size, bytes FROM expense_receipts WHERE expense_id = ?1",
        [expense_id],
        |r| Ok((ReceiptInfo { file_name: r.get(0)?, media_type: r.get(1)?, size: r.get(2)? }, r.get(3)?)),
    )
    .optional()
}

// ---- reports ----------------------------------------------------------------

/// A sum of expenses in one currency, grouped by `key` (a project id, or a
/// category as text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseSum<K> {
    pub key: K,
    pub currency: String,
    pub count: i64,
    pub amount_minor: i64,
    pub billable_minor: i64,
}

const IN_RANGE: &str = "(?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2)";

/// Expenses per project (None: no project) and currency over a range of days.
pub fn sums_by_project(
    c: &Tx,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> StoreResult<Vec<ExpenseSum<Option<i64>>>> {
    let mut st = c.prepare(&format!(
        "SELECT project_id, currency, COUNT(*), SUM(amount_minor), SUM(CASE WHEN billable = 1 THEN amount_minor ELSE 0 END)
         FROM expenses WHERE {IN_RANGE} GROUP BY project_id, currency ORDER BY project_id, currency"
    ))?;
    let rows = st.query_map(params![from.map(|d| d.to_string()), to.map(|d| d.to_string())], |r| {
        Ok(ExpenseSum {
            key: r.get(0)?,
            currency: r.get(1)?,
            count: r.get(2)?,
            amount_minor: r.get(3)?,
            billable_minor: r.get(4)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// Expenses per category and currency over a range of days.
pub fn sums_by_category(
    c: &Tx,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> StoreResult<Vec<ExpenseSum<String>>> {
    let mut st = c.prepare(&format!(
        "SELECT MIN(category), currency, COUNT(*), SUM(amount_minor),
                SUM(CASE WHEN billable = 1 THEN amount_minor ELSE 0 END)
         FROM expenses WHERE {IN_RANGE} GROUP BY category COLLATE NOCASE, currency
         ORDER BY MIN(category) COLLATE NOCASE, currency"
    ))?;
    let rows = st.query_map(params![from.map(|d| d.to_string()), to.map(|d| d.to_string())], |r| {
        Ok(ExpenseSum {
            key: r.get(0)?,
            currency: r.get(1)?,
            count: r.get(2)?,
            amount_minor: r.get(3)?,
            billable_minor: r.get(4)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// What issued invoices (sent, partly paid, paid) dated in the range billed
/// per project and currency: the net line amounts (before document discount
/// and tax). A line belongs to the project of the expense it bills, else to
/// the one project of the time it bills, else to the invoice's project
/// (None: none of these).
pub fn billed_by_project(
    c: &Tx,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> StoreResult<Vec<(Option<i64>, String, i64)>> {
    let mut st = c.prepare(
        "SELECT COALESCE(
                    (SELECT e.project_id FROM expenses e WHERE e.invoice_line_id = l.id),
                    (SELECT CASE WHEN COUNT(DISTINCT t.project_id) = 1 THEN MIN(t.project_id) END
                       FROM time_entries t WHERE t.invoice_line_id = l.id),
                    i.project_id) AS project,
                i.currency, SUM(l.amount_minor)
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
         WHERE i.status IN ('sent','partially_paid','paid')
           AND (?1 IS NULL OR i.issue_date >= ?1) AND (?2 IS NULL OR i.issue_date <= ?2)
         GROUP BY project, i.currency ORDER BY project, i.currency",
    )?;
    let rows = st.query_map(params![from.map(|d| d.to_string()), to.map(|d| d.to_string())], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    rows.collect::<Result<_, _>>()
}

/// Unbilled billable expenses per client and currency: count, net sum and
/// the rows themselves (for the billed amounts with markup).
pub fn unbilled(c: &Tx, to: Option<NaiveDate>) -> StoreResult<Vec<Expense>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLS} FROM expenses WHERE billable = 1 AND invoice_id IS NULL AND (?1 IS NULL OR date <= ?1)
         ORDER BY client_id, date, id"
    ))?;
    let rows = st.query_map(params![to.map(|d| d.to_string())], expense_row)?;
    rows.collect::<Result<_, _>>()
}
