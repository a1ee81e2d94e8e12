//! Payments received against invoices.

use billable_core::model::Payment;
use billable_core::Currency;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::codec::*;
use crate::error::StoreResult;

fn payment_row(cur: Currency) -> impl Fn(&Row) -> rusqlite::Result<Payment> {
    move |r| {
        Ok(Payment {
            id: r.get(0)?,
            invoice_id: r.get(1)?,
            date: date(r, 2)?,
            amount: money(r, 3, cur)?,
            method: r.get(4)?,
            reference: r.get(5)?,
            note: r.get(6)?,
            early_discount: money(r, 7, cur)?,
        })
    }
}

pub fn insert(c: &Connection, p: &Payment, cur: Currency, now: i64) -> StoreResult<i64> {
    c.prepare_cached(
        "INSERT INTO payments (invoice_id, paid_on, amount_minor, method, reference, note, created_at,
                               early_discount_minor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        p.invoice_id,
        p.date.to_string(),
        minor(cur, p.amount)?,
        p.method,
        p.reference,
        p.note,
        now,
        minor(cur, p.early_discount)?
    ])?;
    Ok(c.last_insert_rowid())
}

pub fn for_invoice(c: &Connection, invoice_id: i64, cur: Currency) -> StoreResult<Vec<Payment>> {
    let mut st = c.prepare(
        "SELECT id, invoice_id, paid_on, amount_minor, method, reference, note, early_discount_minor FROM payments
         WHERE invoice_id = ?1 ORDER BY paid_on, id",
    )?;
    let rows = st.query_map([invoice_id], payment_row(cur))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A payment and the invoice it belongs to.
pub fn get(c: &Connection, id: i64) -> StoreResult<Option<(i64, i64)>> {
    Ok(c.query_row("SELECT id, invoice_id FROM payments WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn delete(c: &Connection, id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM payments WHERE id = ?1", [id])?;
    Ok(())
}

/// The early-payment discount the invoice's payments took, in minor units.
pub fn early_discount_minor(c: &Connection, invoice_id: i64) -> StoreResult<i64> {
    Ok(c.query_row(
        "SELECT COALESCE(SUM(early_discount_minor), 0) FROM payments WHERE invoice_id = ?1",
        [invoice_id],
        |r| r.get(0),
    )?)
}

/// Sum of payments in minor units.
pub fn paid_minor(c: &Connection, invoice_id: i64) -> StoreResult<i64> {
    Ok(c.query_row("SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE invoice_id = ?1", [invoice_id], |r| {
        r.get(0)
    })?)
}
