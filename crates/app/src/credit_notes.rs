//! Credit notes: the correction of an issued invoice. A credit note takes
//! back all or some of its lines (or part of their quantities); the credit
//! reduces the balance due, and what exceeds it is paid back as a refund.
//! The credit note, its refund, the invoice's new balance and status and its
//! history commit together in one transaction.

use billable_core::credit::{self, credit_note_pattern, CreditNote, CreditNoteLine, CreditPick, Refund};
use billable_core::model::ActivityFacts;
use billable_core::totals::totals;
use billable_store::credit_notes as db;
use billable_store::invoices as idb;
use billable_store::{payments as pdb, Tx};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::resolve;
use crate::parse;
use crate::payments::settle;
use crate::views::{CreditNoteListRow, CreditNoteView};
use crate::Billable;

pub(crate) const SERIES: &str = "credit_note";

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct CreditNoteInput {
    /// The invoice to credit (number or id).
    pub invoice: String,
    /// Lines to credit: "N" (what is left of line N) or "N:QTY". Empty:
    /// everything left of the invoice.
    pub lines: Vec<String>,
    /// Defaults to today.
    pub date: Option<String>,
    pub reason: Option<String>,
    /// Required when the credit exceeds what is still owed: the excess is
    /// paid back to the client.
    pub refund: bool,
    /// How the refund was paid (bank transfer…).
    pub method: Option<String>,
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct CreditNoteListInput {
    pub client_id: Option<i64>,
    /// Only the credit notes of this invoice (number or id).
    pub invoice: Option<String>,
}

fn next_number(tx: &Tx, issue: chrono::NaiveDate) -> AppResult<String> {
    let pattern = credit_note_pattern(&db::number_pattern(tx)?)?;
    loop {
        let seq = idb::take_counter(tx, SERIES, pattern.counter_year(issue))?;
        let n = pattern.format(issue, seq);
        if idb::claim_number(tx, &n)? {
            return Ok(n);
        }
    }
}

fn resolve_note(tx: &Tx, key: &str) -> AppResult<CreditNote> {
    let key = key.trim();
    if let Some(n) = db::by_number(tx, key)? {
        return Ok(n);
    }
    if let Ok(id) = key.parse::<i64>() {
        if let Some(n) = db::credit_note(tx, id)? {
            return Ok(n);
        }
    }
    Err(AppError::not_found("credit note", key))
}

/// A credit note's view by number or id.
pub(crate) fn view_of(tx: &Tx, key: &str) -> AppResult<CreditNoteView> {
    let n = resolve_note(tx, key)?;
    note_view(tx, n.id)
}

fn note_view(tx: &Tx, id: i64) -> AppResult<CreditNoteView> {
    let n = db::credit_note(tx, id)?.ok_or_else(|| AppError::not_found("credit note", id))?;
    let inv = idb::invoice(tx, n.invoice_id)?.ok_or_else(|| AppError::not_found("invoice", n.invoice_id))?;
    let client = client_or_404(tx, inv.client_id)?;
    let lines = db::lines(tx, id, n.currency)?;
    let mut draft = billable_core::totals::Draft {
        currency: n.currency,
        tax_mode: n.tax_mode,
        lines: lines
            .iter()
            .map(|l| billable_core::totals::DraftLine {
                quantity: l.quantity,
                seconds: l.seconds,
                rate: l.rate,
                discount: l.discount,
                tax: l.tax.clone(),
            })
            .collect(),
        discount: if n.discount_amount.is_zero() {
            billable_core::totals::Discount::None
        } else {
            billable_core::totals::Discount::Fixed(n.discount_amount)
        },
        taxes: n.taxes.clone(),
        adjustment: n.adjustment,
        amount_paid: Decimal::ZERO,
        pricing: inv.pricing,
    };
    if inv.pricing.includes_tax() && !n.discount_amount.is_zero() {
        // The stored discount is net; tax-inclusive lines take it as
        // entered: the lines as entered less what the note takes before
        // its adjustment.
        let undiscounted =
            totals(&billable_core::totals::Draft { discount: billable_core::totals::Discount::None, ..draft.clone() })?;
        draft.discount =
            billable_core::totals::Discount::Fixed(undiscounted.entered_subtotal - (n.total - n.adjustment));
    }
    let t = totals(&draft)?;
    let refunds =
        db::refunds_for_invoice(tx, inv.id, n.currency)?.into_iter().filter(|r| r.credit_note_id == id).collect();
    Ok(CreditNoteView {
        invoice_number: inv.number,
        client_id: client.id,
        client_name: client.name,
        lines,
        totals: t,
        refunds,
        credit_note: n,
    })
}

fn create(tx: &Tx, clock: &dyn Clock, i: &CreditNoteInput) -> AppResult<CreditNoteView> {
    let inv = resolve(tx, &i.invoice)?;
    let lines = idb::lines(tx, inv.id, inv.currency)?;
    let credited = db::credited_quantities(tx, inv.id)?;
    let already: Vec<Decimal> = lines.iter().map(|l| credited.get(&l.id).copied().unwrap_or_default()).collect();
    let credited_before = inv.currency.from_minor(db::credited_minor(tx, inv.id)?);
    let picks = i.lines.iter().map(|l| CreditPick::parse(l)).collect::<Result<Vec<_>, _>>()?;
    let plan = credit::plan(&inv, &lines, &already, credited_before, &picks)?;
    let t = totals(&plan.draft)?;
    let cur = inv.currency;
    let split = credit::split(t.total, inv.balance_due);
    if !split.refunded.is_zero() && !i.refund {
        return Err(AppError::invalid(
            "refund",
            format!(
                "invoice {} has {} {cur} left to pay, so {} {cur} of this {} {cur} credit must be paid back; \
                 record it as a refund, with how it was paid",
                inv.number, inv.balance_due, split.refunded, t.total
            ),
        ));
    }
    if split.refunded.is_zero() && i.refund {
        return Err(AppError::invalid(
            "refund",
            format!(
                "nothing is paid back: the {} {cur} credit only reduces the {} {cur} still owed on {}",
                t.total, inv.balance_due, inv.number
            ),
        ));
    }
    let date = parse::date_opt("date", i.date.as_deref(), clock)?.unwrap_or_else(|| clock.today());
    if date < inv.issue_date {
        return Err(AppError::invalid(
            "date",
            format!("{date} is before invoice {} was issued ({})", inv.number, inv.issue_date),
        ));
    }
    let reason = parse::text("reason", i.reason.as_deref().unwrap_or(""))?;
    let method = parse::text("method", i.method.as_deref().unwrap_or(""))?;
    let reference = parse::text("reference", i.reference.as_deref().unwrap_or(""))?;
    let now = clock.now();
    let mut note = CreditNote {
        id: 0,
        number: next_number(tx, date)?,
        invoice_id: inv.id,
        issue_date: date,
        currency: cur,
        tax_mode: inv.tax_mode,
        reason,
        taxes: inv.taxes.clone(),
        subtotal: t.subtotal,
        discount_amount: t.discount,
        tax_total: t.tax_total,
        adjustment: t.adjustment,
        total: t.total,
        applied: split.applied,
        refunded: split.refunded,
        created_at: now,
    };
    note.id = db::insert(tx, &note, now.timestamp())?;
    for (n, (cl, lt)) in plan.lines.iter().zip(&t.lines).enumerate() {
        let src = &lines[cl.index];
        db::insert_line(
            tx,
            &CreditNoteLine {
                id: 0,
                credit_note_id: note.id,
                invoice_line_id: src.id,
                position: n as u32 + 1,
                description: src.description.clone(),
                long_description: src.long_description.clone(),
                quantity: cl.line.quantity,
                seconds: cl.line.seconds,
                unit: src.unit.clone(),
                rate: cl.line.rate,
                discount: cl.line.discount,
                tax: cl.line.tax.clone(),
                amount: lt.net,
            },
            cur,
        )?;
    }
    let mut detail = format!("{} for {} {cur}", note.number, note.total);
    if !split.applied.is_zero() {
        detail.push_str(&format!(", {} {cur} off the balance", split.applied));
    }
    if !split.refunded.is_zero() {
        detail.push_str(&format!(", {} {cur} refunded", split.refunded));
    }
    if !note.reason.is_empty() {
        detail.push_str(&format!(" — {}", note.reason));
    }
    let facts = ActivityFacts {
        number: Some(note.number.clone()),
        amount: Some(note.total),
        currency: Some(cur),
        ..Default::default()
    };
    idb::log_facts(tx, inv.id, now, "credit_note_issued", &detail, Some(&facts))?;
    if !split.refunded.is_zero() {
        let r = Refund {
            id: 0,
            invoice_id: inv.id,
            credit_note_id: note.id,
            date,
            amount: split.refunded,
            method: method.clone(),
            reference,
        };
        db::insert_refund(tx, &r, cur, now.timestamp())?;
        let by = if method.is_empty() { String::new() } else { format!(" by {method}") };
        let facts = ActivityFacts {
            amount: Some(split.refunded),
            currency: Some(cur),
            date: Some(date),
            method: (!method.is_empty()).then(|| method.clone()),
            number: Some(note.number.clone()),
            ..Default::default()
        };
        idb::log_facts(
            tx,
            inv.id,
            now,
            "refund_recorded",
            &format!("{} {cur} on {date}{by} ({})", split.refunded, note.number),
            Some(&facts),
        )?;
    }
    db::set_invoice_credited(tx, inv.id, cur.to_minor(credited_before + note.total)?)?;
    settle(tx, clock, inv.id)?;
    // The money received can never fall below what was paid back.
    if pdb::paid_minor(tx, inv.id)? < db::refunded_minor(tx, inv.id)? {
        return Err(AppError::conflict(format!("invoice {}: more would be refunded than was paid", inv.number)));
    }
    note_view(tx, note.id)
}

impl Billable {
    /// Issues a credit note against a sent or paid invoice (all of what is
    /// left of it, or chosen lines and quantities). Reduces the balance
    /// due; with `refund`, records the part that exceeds it as paid back.
    pub fn create_credit_note(&mut self, i: CreditNoteInput) -> AppResult<CreditNoteView> {
        self.write("issue the credit note", |tx, clock| create(tx, clock, &i))
    }

    /// A credit note by number or id, with its lines, totals and refund.
    pub fn credit_note(&mut self, key: &str) -> AppResult<CreditNoteView> {
        self.read("read the credit note", |tx, _| {
            let n = resolve_note(tx, key)?;
            note_view(tx, n.id)
        })
    }

    /// Credit notes, newest first.
    pub fn credit_notes(&mut self, i: CreditNoteListInput) -> AppResult<Vec<CreditNoteListRow>> {
        self.read("list credit notes", |tx, _| {
            let invoice_id = match i.invoice.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(k) => Some(resolve(tx, k)?.id),
                None => None,
            };
            Ok(db::list(tx, i.client_id, invoice_id)?
                .into_iter()
                .map(|r| CreditNoteListRow {
                    credit_note: r.credit_note,
                    invoice_number: r.invoice_number,
                    client_name: r.client_name,
                })
                .collect())
        })
    }

    /// The credit note numbering pattern (default `CN-{YYYY}-{SEQ:4}`).
    pub fn credit_note_pattern(&mut self) -> AppResult<String> {
        self.read("read the credit note numbering", |tx, _| Ok(db::number_pattern(tx)?))
    }

    /// Changes the credit note numbering pattern; numbers given out are
    /// never reused.
    pub fn set_credit_note_pattern(&mut self, pattern: &str) -> AppResult<String> {
        let p = credit_note_pattern(pattern)?;
        self.write("change the credit note numbering", |tx, _| {
            db::set_number_pattern(tx, p.as_str())?;
            Ok(p.as_str().to_string())
        })
    }
}
