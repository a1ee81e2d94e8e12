//! Writing whole books at once — generated books for measurements at scale,
//! in the caller's transaction. Invoices, lines, payments and history go through the
//! repositories' own writers, and entries through the same encoding, so the
//! books read back like any others.

use std::collections::HashMap;

use crate::params;
use crate::sql::{Param, Tx};
use billable_core::model::{Invoice, InvoiceLine, Payment, TimeEntry};
use chrono::{DateTime, Utc};

use crate::codec::placeholders;
use crate::error::{StoreError, StoreResult};
use crate::time::{with_entry_params, ENTRY_WRITE_COLS};
use crate::{invoices, payments};

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
    c: &Tx,
    entries: &[TimeEntry],
    invoices: &[BulkInvoice],
    counters: &[(&str, i32, u64)],
    now: i64,
) -> StoreResult<BulkCounts> {
    let mut counts = BulkCounts::default();
    let mut links: HashMap<i64, (i64, i64)> = HashMap::with_capacity(entries.len());
    for b in invoices {
        let inv = &b.invoice;
        let cur = inv.currency;
        let id = invoices::insert_invoice(c, inv, inv.created_at.timestamp())?;
        if !invoices::claim_number(c, &inv.number)? {
            return Err(StoreError::Corrupt(format!("invoice number {} is used twice", inv.number)));
        }
        for l in &b.lines {
            let line_id = invoices::insert_line(c, &InvoiceLine { invoice_id: id, ..l.clone() }, cur)?;
            for e in &l.entry_ids {
                if links.insert(*e, (id, line_id)).is_some() {
                    return Err(StoreError::Corrupt(format!("time entry {e} is on two invoice lines")));
                }
            }
            counts.lines += 1;
        }
        for p in &b.payments {
            payments::insert(c, &Payment { invoice_id: id, ..p.clone() }, cur, now)?;
            counts.payments += 1;
        }
        for (at, kind, detail) in &b.activity {
            invoices::log(c, id, *at, kind, detail)?;
        }
        counts.invoices += 1;
    }
    // Entries carry their ids (the lines above name them) and their links,
    // beside the columns every entry writer sets.
    let mut st = c.prepare(&format!(
        "INSERT INTO time_entries (id, {ENTRY_WRITE_COLS}, invoice_id, invoice_line_id, created_at) VALUES ({})",
        placeholders(15)
    ))?;
    for e in entries {
        let link = links.remove(&e.id);
        let (invoice_id, line_id) = (link.map(|l| l.0), link.map(|l| l.1));
        let created_at = e.end_at.map_or(now, |t| t.timestamp());
        with_entry_params(e, |values| {
            st.execute(&*[&[&e.id as &dyn Param], values, &[&invoice_id, &line_id, &created_at]].concat())
        })?;
        counts.entries += 1;
        counts.billed_entries += u64::from(link.is_some());
    }
    if let Some(e) = links.keys().next() {
        return Err(StoreError::Corrupt(format!("an invoice line bills time entry {e}, which is not in the books")));
    }
    c.ids_written("time_entries")?;
    for (series, year, next) in counters {
        c.execute(
            "INSERT INTO number_counters (series, year, next) VALUES (?1, ?2, ?3)
             ON CONFLICT (series, year) DO UPDATE SET next = max(next, excluded.next)",
            params![series, year, *next as i64],
        )?;
    }
    Ok(counts)
}
