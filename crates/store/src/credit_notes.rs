//! Credit notes, their lines and taxes, refunds, the credited amount of each
//! invoice and the credit note numbering pattern.

use std::collections::HashMap;

use crate::params;
use crate::sql::{OptionalExtension, Param, Row, Tx};
use billable_core::credit::{CreditNote, CreditNoteLine, Refund};
use billable_core::tax::TaxRate;
use billable_core::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::codec::*;
use crate::error::StoreResult;
use crate::invoices::{with_tax_params, LineBody, LINE_BODY_COLS, TAX_WRITE_COLS};

const COLS: &str = "n.id, n.number, n.invoice_id, n.issue_date, n.currency, n.tax_mode, n.reason, n.subtotal_minor,
    n.discount_minor, n.tax_minor, n.total_minor, n.applied_minor, n.refunded_minor, n.created_at";

fn note_row(r: &Row) -> StoreResult<CreditNote> {
    let cur = currency(r, 4)?;
    let subtotal = money(r, 7, cur)?;
    let discount_amount = money(r, 8, cur)?;
    let tax_total = money(r, 9, cur)?;
    let total = money(r, 10, cur)?;
    Ok(CreditNote {
        id: r.get(0)?,
        number: r.get(1)?,
        invoice_id: r.get(2)?,
        issue_date: date(r, 3)?,
        currency: cur,
        tax_mode: parsed(r, 5)?,
        reason: r.get(6)?,
        taxes: Vec::new(),
        subtotal,
        discount_amount,
        tax_total,
        adjustment: total - (subtotal - discount_amount + tax_total),
        total,
        applied: money(r, 11, cur)?,
        refunded: money(r, 12, cur)?,
        created_at: ts(r, 13)?,
    })
}

fn load_taxes(c: &Tx, n: &mut CreditNote) -> StoreResult<()> {
    let mut st = c.prepare_cached(
        "SELECT name, percent, category, exemption_reason FROM credit_note_taxes WHERE credit_note_id = ?1
         ORDER BY position",
    )?;
    n.taxes = st
        .query_map([n.id], |r| {
            Ok(TaxRate { name: r.get(0)?, percent: dec(r, 1)?, category: parsed(r, 2)?, exemption_reason: r.get(3)? })
        })?
        .collect::<Result<_, _>>()?;
    Ok(())
}

/// Inserts a credit note with its taxes; returns its id.
pub fn insert(c: &Tx, n: &CreditNote, now: i64) -> StoreResult<i64> {
    let cur = n.currency;
    let id = c.insert(
        "INSERT INTO credit_notes (number, invoice_id, issue_date, currency, tax_mode, reason, subtotal_minor,
            discount_minor, tax_minor, total_minor, applied_minor, refunded_minor, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            n.number,
            n.invoice_id,
            n.issue_date.to_string(),
            cur.code(),
            n.tax_mode.as_str(),
            n.reason,
            minor(cur, n.subtotal)?,
            minor(cur, n.discount_amount)?,
            minor(cur, n.tax_total)?,
            minor(cur, n.total)?,
            minor(cur, n.applied)?,
            minor(cur, n.refunded)?,
            now
        ],
    )?;
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO credit_note_taxes (credit_note_id, position, {TAX_WRITE_COLS}) VALUES ({})",
        placeholders(6)
    ))?;
    for (i, t) in n.taxes.iter().enumerate() {
        with_tax_params(t, |values| st.execute(&*[&[&id as &dyn Param, &(i as i64 + 1)], values].concat()))?;
    }
    Ok(id)
}

pub fn insert_line(c: &Tx, l: &CreditNoteLine, cur: Currency) -> StoreResult<i64> {
    let body = LineBody {
        description: &l.description,
        long_description: &l.long_description,
        quantity: l.quantity,
        seconds: l.seconds,
        unit: &l.unit,
        rate: l.rate,
        discount: &l.discount,
        tax: l.tax.as_ref(),
        amount: l.amount,
    };
    body.with_params(cur, |values| {
        let mut st = c.prepare_cached(&format!(
            "INSERT INTO credit_note_lines (credit_note_id, invoice_line_id, position, {LINE_BODY_COLS}) VALUES ({})",
            placeholders(values.len() + 3)
        ))?;
        let id = st.insert(&*[&[&l.credit_note_id as &dyn Param, &l.invoice_line_id, &l.position], values].concat())?;
        Ok(id)
    })
}

pub fn credit_note(c: &Tx, id: i64) -> StoreResult<Option<CreditNote>> {
    let n = c.query_row(&format!("SELECT {COLS} FROM credit_notes n WHERE n.id = ?1"), [id], note_row).optional()?;
    match n {
        Some(mut n) => {
            load_taxes(c, &mut n)?;
            Ok(Some(n))
        }
        None => Ok(None),
    }
}

pub fn by_number(c: &Tx, number: &str) -> StoreResult<Option<CreditNote>> {
    let id: Option<i64> =
        c.query_row("SELECT id FROM credit_notes WHERE number = ?1", [number], |r| r.get(0)).optional()?;
    match id {
        Some(id) => credit_note(c, id),
        None => Ok(None),
    }
}

pub fn lines(c: &Tx, credit_note_id: i64, cur: Currency) -> StoreResult<Vec<CreditNoteLine>> {
    let mut st = c.prepare_cached(
        "SELECT id, credit_note_id, invoice_line_id, position, description, quantity, seconds, unit, rate,
                discount_kind, discount_value, tax_name, tax_percent, tax_category, tax_exemption_reason,
                amount_minor, long_description
         FROM credit_note_lines WHERE credit_note_id = ?1 ORDER BY position",
    )?;
    let rows = st.query_map([credit_note_id], |r| {
        Ok(CreditNoteLine {
            id: r.get(0)?,
            credit_note_id: r.get(1)?,
            invoice_line_id: r.get(2)?,
            position: r.get(3)?,
            description: r.get(4)?,
            long_description: r.get(16)?,
            quantity: dec(r, 5)?,
            seconds: r.get(6)?,
            unit: r.get(7)?,
            rate: dec(r, 8)?,
            discount: discount_cols(r, 9, 10)?,
            tax: tax_cols(r, 11)?,
            amount: money(r, 15, cur)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// The credit notes of one invoice, oldest first.
pub fn for_invoice(c: &Tx, invoice_id: i64) -> StoreResult<Vec<CreditNote>> {
    let mut st = c.prepare(&format!("SELECT {COLS} FROM credit_notes n WHERE n.invoice_id = ?1 ORDER BY n.id"))?;
    let mut out: Vec<CreditNote> = st.query_map([invoice_id], note_row)?.collect::<Result<_, _>>()?;
    for n in &mut out {
        load_taxes(c, n)?;
    }
    Ok(out)
}

/// Quantity credited so far per invoice line id.
pub fn credited_quantities(c: &Tx, invoice_id: i64) -> StoreResult<HashMap<i64, Decimal>> {
    let mut st = c.prepare(
        "SELECT l.invoice_line_id, l.quantity FROM credit_note_lines l
         JOIN credit_notes n ON n.id = l.credit_note_id WHERE n.invoice_id = ?1",
    )?;
    let mut out: HashMap<i64, Decimal> = HashMap::new();
    for row in st.query_map([invoice_id], |r| Ok((r.get::<i64>(0)?, dec(r, 1)?)))? {
        let (line, q) = row?;
        *out.entry(line).or_default() += q;
    }
    Ok(out)
}

/// Sums of credit notes (total) and refunds for an invoice, in minor units.
pub fn credited_minor(c: &Tx, invoice_id: i64) -> StoreResult<i64> {
    c.query_row("SELECT COALESCE(SUM(total_minor), 0) FROM credit_notes WHERE invoice_id = ?1", [invoice_id], |r| {
        r.get(0)
    })
}

pub fn refunded_minor(c: &Tx, invoice_id: i64) -> StoreResult<i64> {
    c.query_row("SELECT COALESCE(SUM(amount_minor), 0) FROM refunds WHERE invoice_id = ?1", [invoice_id], |r| r.get(0))
}

/// Stores the credited total on the invoice (read back with the invoice's
/// list and views).
pub fn set_invoice_credited(c: &Tx, invoice_id: i64, credited_minor: i64) -> StoreResult<()> {
    c.execute("UPDATE invoices SET credited_minor = ?2 WHERE id = ?1", params![invoice_id, credited_minor])?;
    Ok(())
}

pub fn insert_refund(c: &Tx, r: &Refund, cur: Currency, now: i64) -> StoreResult<i64> {
    let id = c.insert(
        "INSERT INTO refunds (invoice_id, credit_note_id, refunded_on, amount_minor, method, reference, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![r.invoice_id, r.credit_note_id, r.date.to_string(), minor(cur, r.amount)?, r.method, r.reference, now],
    )?;
    Ok(id)
}

pub fn refunds_for_invoice(c: &Tx, invoice_id: i64, cur: Currency) -> StoreResult<Vec<Refund>> {
    let mut st = c.prepare(
        "SELECT id, invoice_id, credit_note_id, refunded_on, amount_minor, method, reference FROM refunds
         WHERE invoice_id = ?1 ORDER BY refunded_on, id",
    )?;
    let rows = st.query_map([invoice_id], |r| {
        Ok(Refund {
            id: r.get(0)?,
            invoice_id: r.get(1)?,
            credit_note_id: r.get(2)?,
            date: date(r, 3)?,
            amount: money(r, 4, cur)?,
            method: r.get(5)?,
            reference: r.get(6)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// One row of the credit note list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditNoteRow {
    pub credit_note: CreditNote,
    pub invoice_number: String,
    pub client_id: i64,
    pub client_name: String,
}

/// Credit notes, newest first, optionally of one client or invoice.
pub fn list(c: &Tx, client_id: Option<i64>, invoice_id: Option<i64>) -> StoreResult<Vec<CreditNoteRow>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLS}, i.number, i.client_id, cl.name FROM credit_notes n
         JOIN invoices i ON i.id = n.invoice_id JOIN clients cl ON cl.id = i.client_id
         WHERE (?1 IS NULL OR i.client_id = ?1) AND (?2 IS NULL OR n.invoice_id = ?2)
         ORDER BY n.issue_date DESC, n.id DESC"
    ))?;
    let rows = st.query_map(params![client_id, invoice_id], |r| {
        Ok(CreditNoteRow {
            credit_note: note_row(r)?,
            invoice_number: r.get(14)?,
            client_id: r.get(15)?,
            client_name: r.get(16)?,
        })
    })?;
    let mut out: Vec<CreditNoteRow> = rows.collect::<Result<_, _>>()?;
    for row in &mut out {
        load_taxes(c, &mut row.credit_note)?;
    }
    Ok(out)
}

pub fn number_pattern(c: &Tx) -> StoreResult<String> {
    c.query_row("SELECT credit_note_number_pattern FROM business WHERE id = 1", [], |r| r.get(0))
}

pub fn set_number_pattern(c: &Tx, pattern: &str) -> StoreResult<()> {
    c.execute("UPDATE business SET credit_note_number_pattern = ?1 WHERE id = 1", [pattern])?;
    Ok(())
}
