//! Payments received against invoices.

use crate::params;
use crate::sql::{OptionalExtension, Row, Tx};
use billable_core::model::{ClientPayment, CreditRefund, Payment};
use billable_core::Currency;

use crate::codec::*;
use crate::error::StoreResult;

fn payment_row(cur: Currency) -> impl Fn(&Row) -> StoreResult<Payment> {
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
            client_payment_id: r.get(8)?,
        })
    }
}

pub fn insert(c: &Tx, p: &Payment, cur: Currency, now: i64) -> StoreResult<i64> {
    let id = c
        .prepare_cached(
            "INSERT INTO payments (invoice_id, paid_on, amount_minor, method, reference, note, created_at,
                               early_discount_minor, client_payment_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .insert(params![
            p.invoice_id,
            p.date.to_string(),
            minor(cur, p.amount)?,
            p.method,
            p.reference,
            p.note,
            now,
            minor(cur, p.early_discount)?,
            p.client_payment_id
        ])?;
    Ok(id)
}

pub fn for_invoice(c: &Tx, invoice_id: i64, cur: Currency) -> StoreResult<Vec<Payment>> {
    let mut st = c.prepare(
        "SELECT id, invoice_id, paid_on, amount_minor, method, reference, note, early_discount_minor,
                client_payment_id FROM payments
         WHERE invoice_id = ?1 ORDER BY paid_on, id",
    )?;
    let rows = st.query_map([invoice_id], payment_row(cur))?;
    rows.collect::<Result<_, _>>()
}

/// A payment and the invoice it belongs to.
pub fn get(c: &Tx, id: i64) -> StoreResult<Option<(i64, i64)>> {
    c.query_row("SELECT id, invoice_id FROM payments WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()
}

pub fn delete(c: &Tx, id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM payments WHERE id = ?1", [id])?;
    Ok(())
}

/// The early-payment discount the invoice's payments took, in minor units.
pub fn early_discount_minor(c: &Tx, invoice_id: i64) -> StoreResult<i64> {
    c.query_row(
        "SELECT COALESCE(SUM(early_discount_minor), 0) FROM payments WHERE invoice_id = ?1",
        [invoice_id],
        |r| r.get(0),
    )
}

/// Sum of payments in minor units.
pub fn paid_minor(c: &Tx, invoice_id: i64) -> StoreResult<i64> {
    c.query_row("SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE invoice_id = ?1", [invoice_id], |r| r.get(0))
}

// ---- client payments: one payment across invoices, and client credit ---------

const CLIENT_PAYMENT: &str = "SELECT cp.id, cp.client_id, cp.currency, cp.received_on, cp.amount_minor, cp.method,
            cp.reference, cp.note,
            (SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE client_payment_id = cp.id),
            (SELECT COALESCE(SUM(amount_minor), 0) FROM credit_refunds WHERE client_payment_id = cp.id)
     FROM client_payments cp";

fn client_payment_row(r: &Row) -> StoreResult<ClientPayment> {
    let cur = currency(r, 2)?;
    let amount: i64 = r.get(4)?;
    let allocated: i64 = r.get(8)?;
    let refunded: i64 = r.get(9)?;
    Ok(ClientPayment {
        id: r.get(0)?,
        client_id: r.get(1)?,
        currency: cur,
        date: date(r, 3)?,
        amount: cur.from_minor(amount),
        method: r.get(5)?,
        reference: r.get(6)?,
        note: r.get(7)?,
        allocated: cur.from_minor(allocated),
        refunded: cur.from_minor(refunded),
        left: cur.from_minor(amount - allocated - refunded),
    })
}

pub fn insert_client_payment(c: &Tx, p: &ClientPayment, now: i64) -> StoreResult<i64> {
    let id = c.prepare_cached(
        "INSERT INTO client_payments (client_id, currency, received_on, amount_minor, method, reference, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .insert(params![
        p.client_id,
        p.currency.code(),
        p.date.to_string(),
        minor(p.currency, p.amount)?,
        p.method,
        p.reference,
        p.note,
        now
    ])?;
    Ok(id)
}

pub fn client_payment(c: &Tx, id: i64) -> StoreResult<Option<ClientPayment>> {
    c.query_row(&format!("{CLIENT_PAYMENT} WHERE cp.id = ?1"), [id], client_payment_row).optional()
}

/// A client's payments, oldest first; in one currency when given.
pub fn client_payments(c: &Tx, client_id: i64, cur: Option<Currency>) -> StoreResult<Vec<ClientPayment>> {
    let mut st = c.prepare(&format!(
        "{CLIENT_PAYMENT} WHERE cp.client_id = ?1 AND (?2 IS NULL OR cp.currency = ?2)
         ORDER BY cp.received_on, cp.id"
    ))?;
    let rows = st.query_map(params![client_id, cur.map(|c| c.code().to_string())], client_payment_row)?;
    rows.collect::<Result<_, _>>()
}

/// The shares of a client payment (payments rows), oldest first, with the
/// invoice number and currency.
pub fn shares(c: &Tx, client_payment_id: i64) -> StoreResult<Vec<(Payment, String)>> {
    let mut st = c.prepare(
        "SELECT p.id, p.invoice_id, p.paid_on, p.amount_minor, p.method, p.reference, p.note, p.early_discount_minor,
                p.client_payment_id, i.number, i.currency
         FROM payments p JOIN invoices i ON i.id = p.invoice_id
         WHERE p.client_payment_id = ?1 ORDER BY p.paid_on, p.id",
    )?;
    let rows = st.query_map([client_payment_id], |r| {
        let cur = currency(r, 10)?;
        Ok((payment_row(cur)(r)?, r.get::<String>(9)?))
    })?;
    rows.collect::<Result<_, _>>()
}

pub fn insert_credit_refund(c: &Tx, r: &CreditRefund, cur: Currency, now: i64) -> StoreResult<i64> {
    let id = c.prepare_cached(
        "INSERT INTO credit_refunds (client_payment_id, refunded_on, amount_minor, method, reference, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .insert(params![
        r.client_payment_id,
        r.date.to_string(),
        minor(cur, r.amount)?,
        r.method,
        r.reference,
        r.note,
        now
    ])?;
    Ok(id)
}

/// The refunds of unused credit from a client payment, oldest first.
pub fn credit_refunds(c: &Tx, client_payment_id: i64, cur: Currency) -> StoreResult<Vec<CreditRefund>> {
    let mut st = c.prepare(
        "SELECT id, client_payment_id, refunded_on, amount_minor, method, reference, note FROM credit_refunds
         WHERE client_payment_id = ?1 ORDER BY refunded_on, id",
    )?;
    let rows = st.query_map([client_payment_id], |r| {
        Ok(CreditRefund {
            id: r.get(0)?,
            client_payment_id: r.get(1)?,
            date: date(r, 2)?,
            amount: money(r, 3, cur)?,
            method: r.get(4)?,
            reference: r.get(5)?,
            note: r.get(6)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// Deletes a client payment that has no shares and no refunds left.
pub fn delete_client_payment(c: &Tx, id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM client_payments WHERE id = ?1", [id])?;
    Ok(())
}

/// Every client's credit still available, per currency, in minor units:
/// (client, currency, minor), only where it is more than zero.
pub fn credit_left_minor(c: &Tx, client_id: Option<i64>) -> StoreResult<Vec<(i64, Currency, i64)>> {
    let mut st = c.prepare_cached(
        "SELECT client_id, currency, credit FROM (
           SELECT cp.client_id, cp.currency,
                  SUM(cp.amount_minor
                      - (SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE client_payment_id = cp.id)
                      - (SELECT COALESCE(SUM(amount_minor), 0) FROM credit_refunds WHERE client_payment_id = cp.id))
                    AS credit
           FROM client_payments cp WHERE ?1 IS NULL OR cp.client_id = ?1
           GROUP BY cp.client_id, cp.currency) AS per_currency
         WHERE credit > 0 ORDER BY client_id, currency",
    )?;
    let rows = st.query_map([client_id], |r| Ok((r.get(0)?, currency(r, 1)?, r.get(2)?)))?;
    rows.collect::<Result<_, _>>()
}

/// A client's open invoices in one currency (issued, with a balance), the
/// oldest due first.
pub fn open_invoice_ids(c: &Tx, client_id: i64, cur: Currency) -> StoreResult<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT id FROM invoices
         WHERE client_id = ?1 AND currency = ?2 AND status IN ('sent','partially_paid') AND balance_minor > 0
         ORDER BY due_date, issue_date, id",
    )?;
    let rows = st.query_map(params![client_id, cur.code()], |r| r.get(0))?;
    rows.collect::<Result<_, _>>()
}
