//! Writing whole books at once — generated books for measurements at scale:
//! every row goes through one prepared statement per table, in the caller's
//! transaction. The rows are the ones the repositories write one by one
//! (same columns, same encodings), so the books read back like any others.

use std::collections::HashMap;

use billable_core::model::{Invoice, InvoiceLine, Payment, TimeEntry};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use crate::codec::*;
use crate::error::{StoreError, StoreResult};

/// An invoice with its lines (each naming the entries it bills), payments
/// and history. A cancelled invoice's lines bill no entries.
#[derive(Debug, Clone)]
pub struct BulkInvoice {
    pub invoice: Invoice,
    pub lines: Vec<InvoiceLine>,
    pub payments: Vec<Payment>,
    /// (when, kind, detail), oldest first.
    pub activity: Vec<(DateTime<Utc>, &'static str, String)>,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct BulkCounts {
    pub entries: u64,
    pub billed_entries: u64,
    pub invoices: u64,
    pub lines: u64,
    pub payments: u64,
}

/// Writes invoices (with their numbers recorded as used), their lines,
/// taxes, payments and activity, then the time entries — with the ids they
/// carry, linked to the invoice line that bills them. `counters` are the
/// numbering counters to leave behind: (series, year, next).
pub fn insert_books(
    c: &Connection,
    entries: &[TimeEntry],
    invoices: &[BulkInvoice],
    counters: &[(&str, i32, u64)],
    now: i64,
) -> StoreResult<BulkCounts> {
    let mut counts = BulkCounts::default();
    let mut links: HashMap<i64, (i64, i64)> = HashMap::with_capacity(entries.len());
    {
        let mut inv_st = c.prepare(
            "INSERT INTO invoices (number, client_id, project_id, category, tags, issue_date, due_date, currency,
                tax_mode, discount_kind, discount_value, adjustment_minor, adjustment_description, notes, terms,
                po_number, status, subtotal_minor, discount_minor, tax_minor, total_minor, paid_minor,
                balance_minor, created_at, updated_at, issued_at, template, locale)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                ?21, ?22, ?23, ?24, ?24, ?25, ?26, ?27)",
        )?;
        let mut tax_st = c.prepare(
            "INSERT INTO invoice_taxes (invoice_id, position, name, percent, category, exemption_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut line_st = c.prepare(
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity, seconds, unit, rate,
                discount_kind, discount_value, tax_name, tax_percent, tax_category, tax_exemption_reason,
                amount_minor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        let mut pay_st = c.prepare(
            "INSERT INTO payments (invoice_id, paid_on, amount_minor, method, reference, note, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut log_st =
            c.prepare("INSERT INTO invoice_activity (invoice_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)")?;
        let mut used_st = c.prepare("INSERT INTO used_numbers (number) VALUES (?1)")?;
        for b in invoices {
            let inv = &b.invoice;
            let cur = inv.currency;
            inv_st.execute(params![
                inv.number,
                inv.client_id,
                inv.project_id,
                inv.category,
                json_text(&inv.tags),
                inv.issue_date.to_string(),
                inv.due_date.to_string(),
                cur.code(),
                inv.tax_mode.as_str(),
                inv.discount.kind(),
                dec_text_opt(inv.discount.value()),
                minor(cur, inv.adjustment)?,
                inv.adjustment_description,
                inv.notes,
                inv.terms,
                inv.po_number,
                inv.status.as_str(),
                minor(cur, inv.subtotal)?,
                minor(cur, inv.discount_amount)?,
                minor(cur, inv.tax_total)?,
                minor(cur, inv.total)?,
                minor(cur, inv.amount_paid)?,
                minor(cur, inv.balance_due)?,
                inv.created_at.timestamp(),
                inv.issued_at.map(|t| t.timestamp()),
                inv.template.map(|t| t.as_str()),
                inv.locale.map(|l| l.as_str()),
            ])?;
            let id = c.last_insert_rowid();
            used_st.execute([&inv.number])?;
            for (i, t) in inv.taxes.iter().enumerate() {
                tax_st.execute(params![
                    id,
                    i as i64,
                    t.name,
                    dec_text(t.percent),
                    t.category.code(),
                    t.exemption_reason
                ])?;
            }
            for l in &b.lines {
                line_st.execute(params![
                    id,
                    l.position,
                    l.description,
                    dec_text(l.quantity),
                    l.seconds,
                    l.unit,
                    dec_text(l.rate),
                    l.discount.kind(),
                    dec_text_opt(l.discount.value()),
                    l.tax.as_ref().map(|t| t.name.as_str()),
                    l.tax.as_ref().map(|t| dec_text(t.percent)),
                    l.tax.as_ref().map(|t| t.category.code()),
                    l.tax.as_ref().and_then(|t| t.exemption_reason.as_deref()),
                    minor(cur, l.amount)?,
                ])?;
                let line_id = c.last_insert_rowid();
                for e in &l.entry_ids {
                    if links.insert(*e, (id, line_id)).is_some() {
                        return Err(StoreError::Corrupt(format!("time entry {e} is on two invoice lines")));
                    }
                }
                counts.lines += 1;
            }
            for p in &b.payments {
                pay_st.execute(params![
                    id,
                    p.date.to_string(),
                    minor(cur, p.amount)?,
                    p.method,
                    p.reference,
                    p.note,
                    now
                ])?;
                counts.payments += 1;
            }
            for (at, kind, detail) in &b.activity {
                log_st.execute(params![id, at.timestamp(), kind, detail])?;
            }
            counts.invoices += 1;
        }
    }
    let mut st = c.prepare(
        "INSERT INTO time_entries (id, member_id, client_id, project_id, task_id, work_date, start_at, end_at,
            seconds, description, billable, rate, invoice_id, invoice_line_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    for e in entries {
        let link = links.remove(&e.id);
        st.execute(params![
            e.id,
            e.member_id,
            e.client_id,
            e.project_id,
            e.task_id,
            e.date.to_string(),
            e.start_at.map(|t| t.timestamp()),
            e.end_at.map(|t| t.timestamp()),
            e.seconds,
            e.description,
            e.billable,
            dec_text_opt(e.rate),
            link.map(|l| l.0),
            link.map(|l| l.1),
            e.end_at.map_or(now, |t| t.timestamp()),
        ])?;
        counts.entries += 1;
        counts.billed_entries += u64::from(link.is_some());
    }
    if let Some(e) = links.keys().next() {
        return Err(StoreError::Corrupt(format!("an invoice line bills time entry {e}, which is not in the books")));
    }
    for (series, year, next) in counters {
        c.execute(
            "INSERT INTO number_counters (series, year, next) VALUES (?1, ?2, ?3)
             ON CONFLICT (series, year) DO UPDATE SET next = max(next, excluded.next)",
            params![series, year, *next as i64],
        )?;
    }
    Ok(counts)
}
