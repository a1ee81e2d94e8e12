//! Payments: record, delete, list. Payments move an issued invoice between
//! sent, partially paid and paid.

use billable_core::allocation::Share;
use billable_core::credit;
use billable_core::model::ActivityFacts;
use billable_core::model::{Invoice, Payment};
use billable_core::money::parse_amount;
use billable_core::status::InvoiceStatus;
use billable_store::invoices as idb;
use billable_store::{credit_notes as cdb, payments as db, Tx};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::client_payments::{ReceivedInput, Shares};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{resolve, view};
use crate::parse;
use crate::views::InvoiceView;
use crate::Billable;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct PaymentInput {
    /// Defaults to the balance due.
    pub amount: Option<String>,
    /// Defaults to today.
    pub date: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// More than the balance due is kept as the client's credit (otherwise
    /// it is refused).
    pub keep_excess_as_credit: bool,
}

/// Re-sums payments, refunds and credit notes and moves the status to agree
/// with them (a fully credited invoice is settled).
pub(crate) fn settle(tx: &Tx, clock: &dyn Clock, invoice_id: i64) -> AppResult<()> {
    let mut inv = idb::invoice(tx, invoice_id)?.ok_or_else(|| AppError::not_found("invoice", invoice_id))?;
    let before = inv.status;
    let cur = inv.currency;
    let s = credit::settle(
        inv.status,
        inv.total,
        cur.from_minor(cdb::credited_minor(tx, invoice_id)?),
        cur.from_minor(db::paid_minor(tx, invoice_id)?),
        cur.from_minor(cdb::refunded_minor(tx, invoice_id)?),
        cur.from_minor(db::early_discount_minor(tx, invoice_id)?),
    );
    inv.early_discount_taken = cur.from_minor(db::early_discount_minor(tx, invoice_id)?);
    inv.amount_paid = s.amount_paid;
    inv.balance_due = s.balance_due;
    inv.status = s.status;
    idb::update_invoice(tx, &inv, clock.now().timestamp())?;
    if inv.status != before {
        let facts = ActivityFacts { from: Some(before), status: Some(inv.status), ..Default::default() };
        idb::log_facts(
            tx,
            inv.id,
            clock.now(),
            "status_changed",
            &format!("{} → {}", before.words(), inv.status.words()),
            Some(&facts),
        )?;
    }
    Ok(())
}

/// One payment to record against an invoice: already parsed.
pub(crate) struct Pay<'a> {
    pub amount: Decimal,
    pub date: chrono::NaiveDate,
    pub method: &'a str,
    pub reference: &'a str,
    pub note: &'a str,
    /// The client payment it is a share of.
    pub client_payment_id: Option<i64>,
    /// The activity entry: `payment_recorded`, or `credit_applied`.
    pub kind: &'static str,
}

/// Issues a draft that money is received on: its amounts are now binding.
pub(crate) fn issue_on_payment(tx: &Tx, clock: &dyn Clock, inv: &mut Invoice) -> AppResult<()> {
    if inv.status != InvoiceStatus::Draft {
        return Ok(());
    }
    let n = &inv.number;
    let lines = idb::lines(tx, inv.id, inv.currency)?;
    if lines.is_empty() {
        return Err(AppError::invalid("lines", format!("invoice {n} has no lines; there is nothing to pay")));
    }
    inv.status = InvoiceStatus::Sent;
    inv.issued_at = Some(clock.now());
    idb::update_invoice(tx, inv, clock.now().timestamp())?;
    let facts = ActivityFacts { how: Some("payment".into()), ..Default::default() };
    idb::log_facts(tx, inv.id, clock.now(), "sent", "issued when a payment was recorded", Some(&facts))?;
    Ok(())
}

/// What settles `inv` when paid on `date`: its balance, or the balance less
/// the early-payment discount within its period.
pub(crate) fn settles_with(inv: &Invoice, date: chrono::NaiveDate) -> Decimal {
    match inv.early_discount {
        Some(d) if date <= d.deadline(inv.issue_date) && inv.early_discount_taken.is_zero() => {
            d.payable(inv.total, inv.balance_due, inv.currency)
        }
        _ => inv.balance_due,
    }
}

/// Records `p` against an open (or draft, which it issues) invoice and
/// settles it. More than the balance is refused.
pub(crate) fn pay(tx: &Tx, clock: &dyn Clock, inv: &mut Invoice, p: &Pay) -> AppResult<i64> {
    let n = inv.number.clone();
    if inv.status == InvoiceStatus::Cancelled {
        return Err(AppError::conflict(format!("invoice {n} is cancelled; it takes no payments")));
    }
    issue_on_payment(tx, clock, inv)?;
    let balance = inv.balance_due;
    if p.amount <= Decimal::ZERO {
        return Err(AppError::invalid("amount", "must be more than zero"));
    }
    if p.amount > balance {
        return Err(AppError::invalid(
            "amount",
            format!("{} {} is more than the balance due of {balance} {}", p.amount, inv.currency, inv.currency),
        ));
    }
    // Paid within the early-payment period, less at most the discount:
    // settled, the rest taken as the discount (`early_payment`).
    let early = inv
        .early_discount
        .and_then(|d| d.taken(inv.issue_date, inv.total, inv.currency, balance, p.date, p.amount))
        .unwrap_or(Decimal::ZERO);
    let row = Payment {
        id: 0,
        invoice_id: inv.id,
        date: p.date,
        amount: p.amount,
        method: parse::text("method", p.method)?,
        reference: parse::text("reference", p.reference)?,
        note: parse::text("note", p.note)?,
        early_discount: early,
        client_payment_id: p.client_payment_id,
    };
    let id = db::insert(tx, &row, inv.currency, clock.now().timestamp())?;
    let facts = ActivityFacts {
        amount: Some(p.amount),
        currency: Some(inv.currency),
        date: Some(p.date),
        method: (!row.method.is_empty()).then(|| row.method.clone()),
        ..Default::default()
    };
    let detail = if p.kind == "credit_applied" {
        format!("client credit of {} {} applied on {}", p.amount, inv.currency, p.date)
    } else {
        let method = if row.method.is_empty() { String::new() } else { format!(" by {}", row.method) };
        format!("{} {} on {}{method}", p.amount, inv.currency, p.date)
    };
    idb::log_facts(tx, inv.id, clock.now(), p.kind, &detail, Some(&facts))?;
    if early > Decimal::ZERO {
        let facts = ActivityFacts {
            amount: Some(early),
            currency: Some(inv.currency),
            date: Some(p.date),
            ..Default::default()
        };
        let detail = format!("early-payment discount of {early} {} taken", inv.currency);
        idb::log_facts(tx, inv.id, clock.now(), "early_discount_taken", &detail, Some(&facts))?;
    }
    settle(tx, clock, inv.id)?;
    *inv = idb::invoice(tx, inv.id)?.ok_or_else(|| AppError::not_found("invoice", inv.id))?;
    Ok(id)
}

fn record(tx: &Tx, clock: &dyn Clock, key: &str, i: &PaymentInput) -> AppResult<InvoiceView> {
    let mut inv = resolve(tx, key)?;
    let n = inv.number.clone();
    if inv.status == InvoiceStatus::Cancelled {
        return Err(AppError::conflict(format!("invoice {n} is cancelled; it takes no payments")));
    }
    issue_on_payment(tx, clock, &mut inv)?;
    let amount = match i.amount.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => parse_amount("amount", a, inv.currency)?,
        None if inv.balance_due <= Decimal::ZERO => {
            return Err(AppError::conflict(format!("invoice {n} has nothing left to pay")));
        }
        None => inv.balance_due,
    };
    let date = parse::date_opt("date", i.date.as_deref(), clock)?.unwrap_or_else(|| clock.today());
    let method = i.method.as_deref().unwrap_or("");
    let reference = i.reference.as_deref().unwrap_or("");
    let note = i.note.as_deref().unwrap_or("");
    if amount > inv.balance_due && i.keep_excess_as_credit && inv.balance_due <= Decimal::ZERO {
        return Err(AppError::conflict(format!("invoice {n} has nothing left to pay")));
    }
    if amount > inv.balance_due && i.keep_excess_as_credit {
        // Overpaid: the whole amount is a client payment, the balance goes
        // to this invoice and the rest stays as the client's credit.
        let input = ReceivedInput {
            client_id: inv.client_id,
            currency: inv.currency,
            amount,
            date,
            method,
            reference,
            note,
            shares: Shares::To(vec![Share { invoice_id: inv.id, amount: inv.balance_due }]),
        };
        crate::client_payments::receive_in(tx, clock, &input)?;
        return view(tx, clock, inv.id);
    }
    pay(
        tx,
        clock,
        &mut inv,
        &Pay { amount, date, method, reference, note, client_payment_id: None, kind: "payment_recorded" },
    )?;
    view(tx, clock, inv.id)
}

/// Deletes one payment row and settles its invoice again (a share of a
/// client payment goes back to the client's credit). Returns the invoice.
pub(crate) fn delete_row(tx: &Tx, clock: &dyn Clock, id: i64) -> AppResult<i64> {
    let (_, invoice_id) = db::get(tx, id)?.ok_or_else(|| AppError::not_found("payment", id))?;
    let inv = idb::invoice(tx, invoice_id)?.ok_or_else(|| AppError::not_found("invoice", invoice_id))?;
    let p = db::for_invoice(tx, invoice_id, inv.currency)?.into_iter().find(|p| p.id == id);
    let refunded = cdb::refunded_minor(tx, invoice_id)?;
    if refunded > 0 {
        let left =
            db::paid_minor(tx, invoice_id)? - p.as_ref().map_or(0, |p| inv.currency.to_minor(p.amount).unwrap_or(0));
        if left < refunded {
            return Err(AppError::conflict(format!(
                "invoice {} has {} {} refunded by credit notes; this payment cannot be deleted without \
                 leaving less paid than was refunded",
                inv.number,
                inv.currency.from_minor(refunded),
                inv.currency
            )));
        }
    }
    db::delete(tx, id)?;
    if let Some(p) = p {
        let facts = ActivityFacts {
            amount: Some(p.amount),
            currency: Some(inv.currency),
            date: Some(p.date),
            ..Default::default()
        };
        idb::log_facts(
            tx,
            invoice_id,
            clock.now(),
            "payment_deleted",
            &format!("{} {} of {}", p.amount, inv.currency, p.date),
            Some(&facts),
        )?;
    }
    settle(tx, clock, invoice_id)?;
    Ok(invoice_id)
}

impl Billable {
    /// Records a payment (the balance due when no amount is given). More
    /// than the balance is refused.
    pub fn record_payment(&mut self, key: &str, i: PaymentInput) -> AppResult<InvoiceView> {
        self.write("record the payment", |tx, clock| record(tx, clock, key, &i))
    }

    /// Records a payment of the whole balance, today.
    pub fn mark_paid(&mut self, key: &str) -> AppResult<InvoiceView> {
        self.write("mark the invoice paid", |tx, clock| {
            record(tx, clock, key, &PaymentInput { method: Some("marked paid".into()), ..Default::default() })
        })
    }

    /// Deletes a payment; the invoice's balance and status follow.
    pub fn delete_payment(&mut self, id: i64) -> AppResult<InvoiceView> {
        self.write("delete the payment", |tx, clock| {
            let invoice_id = delete_row(tx, clock, id)?;
            view(tx, clock, invoice_id)
        })
    }

    /// The payments of an invoice, oldest first.
    pub fn payments(&mut self, key: &str) -> AppResult<Vec<Payment>> {
        self.read("list payments", |tx, _| {
            let inv = resolve(tx, key)?;
            Ok(db::for_invoice(tx, inv.id, inv.currency)?)
        })
    }
}
