//! One payment across several invoices of a client, and the client's credit.
//!
//! Money received from a client is a client payment; its shares are
//! ordinary payments of the invoices (`payments::pay`), spread oldest first
//! or as the user chose (`core::allocation`). What is left is the client's
//! credit: applied to a later invoice (another share of the same client
//! payment, dated the day it is applied) or paid back. Everything happens in
//! one transaction: a payment is spread whole or not at all.

use billable_core::allocation::{self, OpenInvoice, Share};
use billable_core::model::{ActivityFacts, ClientPayment, CreditRefund};
use billable_core::money::parse_amount;
use billable_core::{Currency, Decimal};
use billable_store::catalog as cat;
use billable_store::invoices as idb;
use billable_store::{payments as db, Tx};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{resolve, view};
use crate::parse;
use crate::payments::{delete_row, pay, settles_with, Pay};
use crate::views::InvoiceView;
use crate::Billable;

/// Money received from a client, to spread over their open invoices.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ClientPaymentInput {
    pub client: i64,
    /// Defaults to the client's invoice currency.
    pub currency: Option<String>,
    pub amount: String,
    /// Defaults to today.
    pub date: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// The shares chosen by hand; none: oldest first.
    pub allocations: Option<Vec<AllocationInput>>,
}

/// A share chosen by hand: an invoice (number) and the amount it gets.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct AllocationInput {
    pub invoice: String,
    pub amount: String,
}

/// Client credit to apply to an invoice of that client.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ApplyCreditInput {
    pub invoice: String,
    /// Defaults to what settles the invoice, or all the credit if less.
    pub amount: Option<String>,
    /// Defaults to today.
    pub date: Option<String>,
}

/// Unused client credit to pay back.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct CreditRefundInput {
    pub client: i64,
    /// Defaults to the client's invoice currency.
    pub currency: Option<String>,
    /// Defaults to all the credit in that currency.
    pub amount: Option<String>,
    pub date: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// One open invoice and what a payment would give it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedShare {
    pub invoice: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub balance_due: Decimal,
    /// What settles it on the payment's date (less within an early-payment
    /// period).
    pub settles_with: Decimal,
    /// What this payment gives it (zero: nothing).
    pub share: Decimal,
}

/// How a payment would be spread, before it is recorded.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientPaymentPlan {
    pub client_id: i64,
    pub currency: Currency,
    pub amount: Decimal,
    pub date: NaiveDate,
    /// Every open invoice of the client in the currency, oldest due first.
    pub invoices: Vec<PlannedShare>,
    /// What the payment would leave as credit.
    pub credit: Decimal,
    /// The client's credit in the currency before this payment.
    pub credit_before: Decimal,
}

/// A share of a client payment, as the list shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShareView {
    pub payment_id: i64,
    pub invoice: String,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub early_discount: Decimal,
}

/// A client payment with its shares and refunds.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientPaymentView {
    #[serde(flatten)]
    pub payment: ClientPayment,
    pub shares: Vec<ShareView>,
    pub refunds: Vec<CreditRefund>,
}

/// One amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditAmount {
    pub currency: Currency,
    pub amount: Decimal,
}

/// A client's payments and the credit they leave.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientCredit {
    pub client_id: i64,
    pub client_name: String,
    /// Credit available, per currency (only where there is some).
    pub credit: Vec<CreditAmount>,
    /// Payments received, newest first.
    pub payments: Vec<ClientPaymentView>,
}

/// How a client payment is spread.
pub(crate) enum Shares {
    OldestFirst,
    To(Vec<Share>),
}

/// A client payment, parsed.
pub(crate) struct ReceivedInput<'a> {
    pub client_id: i64,
    pub currency: Currency,
    pub amount: Decimal,
    pub date: NaiveDate,
    pub method: &'a str,
    pub reference: &'a str,
    pub note: &'a str,
    pub shares: Shares,
}

/// The client's open invoices in `cur`, as of `date`, oldest due first.
fn open_invoices(
    tx: &Tx,
    client_id: i64,
    cur: Currency,
    date: NaiveDate,
) -> AppResult<Vec<(billable_core::model::Invoice, OpenInvoice)>> {
    let mut out = Vec::new();
    for id in db::open_invoice_ids(tx, client_id, cur)? {
        let inv = idb::invoice(tx, id)?.ok_or_else(|| AppError::not_found("invoice", id))?;
        let open = OpenInvoice {
            id,
            number: inv.number.clone(),
            balance: inv.balance_due,
            settles_with: settles_with(&inv, date),
        };
        out.push((inv, open));
    }
    Ok(out)
}

fn spread(field: &str, amount: Decimal, open: &[OpenInvoice], shares: &Shares) -> AppResult<allocation::Allocation> {
    Ok(match shares {
        Shares::OldestFirst => allocation::oldest_first(amount, open),
        Shares::To(chosen) => allocation::by_hand(field, amount, open, chosen)?,
    })
}

/// The credit a client has left in `cur`.
pub(crate) fn credit_left(tx: &Tx, client_id: i64, cur: Currency) -> AppResult<Decimal> {
    Ok(db::credit_left_minor(tx, Some(client_id))?
        .into_iter()
        .find(|(_, c, _)| *c == cur)
        .map_or(cur.from_minor(0), |(_, c, m)| c.from_minor(m)))
}

/// Records a client payment and its shares; returns its id.
pub(crate) fn receive_in(tx: &Tx, clock: &dyn Clock, i: &ReceivedInput) -> AppResult<i64> {
    client_or_404(tx, i.client_id)?;
    if i.amount <= Decimal::ZERO {
        return Err(AppError::invalid("amount", "must be more than zero"));
    }
    let open = open_invoices(tx, i.client_id, i.currency, i.date)?;
    let opens: Vec<OpenInvoice> = open.iter().map(|(_, o)| o.clone()).collect();
    let plan = spread("allocations", i.amount, &opens, &i.shares)?;
    let cp = ClientPayment {
        id: 0,
        client_id: i.client_id,
        currency: i.currency,
        date: i.date,
        amount: i.amount,
        method: parse::text("method", i.method)?,
        reference: parse::text("reference", i.reference)?,
        note: parse::text("note", i.note)?,
        allocated: Decimal::ZERO,
        refunded: Decimal::ZERO,
        left: i.amount,
    };
    let id = db::insert_client_payment(tx, &cp, clock.now().timestamp())?;
    for s in &plan.shares {
        let mut inv = open
            .iter()
            .find(|(inv, _)| inv.id == s.invoice_id)
            .map(|(inv, _)| inv.clone())
            .ok_or_else(|| AppError::not_found("invoice", s.invoice_id))?;
        let p = Pay {
            amount: s.amount,
            date: i.date,
            method: &cp.method,
            reference: &cp.reference,
            note: &cp.note,
            client_payment_id: Some(id),
            kind: "payment_recorded",
        };
        pay(tx, clock, &mut inv, &p)?;
        if plan.credit > Decimal::ZERO && plan.shares.len() == 1 {
            let facts = ActivityFacts {
                amount: Some(plan.credit),
                currency: Some(i.currency),
                date: Some(i.date),
                ..Default::default()
            };
            let detail = format!("{} {} paid beyond the balance kept as the client's credit", plan.credit, i.currency);
            idb::log_facts(tx, inv.id, clock.now(), "credit_kept", &detail, Some(&facts))?;
        }
    }
    Ok(id)
}

/// The currency a client's payment is in: as given, else the client's.
fn currency_of(tx: &Tx, client_id: i64, given: Option<&str>) -> AppResult<Currency> {
    match given.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Ok(Currency::parse(c)?),
        None => {
            let client = client_or_404(tx, client_id)?;
            Ok(match client.currency {
                Some(c) => c,
                None => cat::business(tx)?.default_currency,
            })
        }
    }
}

/// The input parsed: currency, amount (zero when empty and `empty_ok`),
/// date and shares.
fn parse_input(
    tx: &Tx,
    clock: &dyn Clock,
    i: &ClientPaymentInput,
    empty_ok: bool,
) -> AppResult<(Currency, Decimal, NaiveDate, Shares)> {
    let cur = currency_of(tx, i.client, i.currency.as_deref())?;
    let amount =
        if empty_ok && i.amount.trim().is_empty() { Decimal::ZERO } else { parse_amount("amount", &i.amount, cur)? };
    let date = parse::date_opt("date", i.date.as_deref(), clock)?.unwrap_or_else(|| clock.today());
    let shares = match &i.allocations {
        None => Shares::OldestFirst,
        Some(list) => {
            let mut chosen = Vec::new();
            for (n, a) in list.iter().enumerate() {
                let field = format!("allocations[{}]", n + 1);
                let inv = resolve(tx, &a.invoice)
                    .map_err(|_| AppError::invalid(&field, format!("there is no invoice '{}'", a.invoice.trim())))?;
                let amount = parse_amount(&field, &a.amount, cur)?;
                chosen.push(Share { invoice_id: inv.id, amount });
            }
            Shares::To(chosen)
        }
    };
    Ok((cur, amount, date, shares))
}

fn payment_view(tx: &Tx, cp: ClientPayment) -> AppResult<ClientPaymentView> {
    let shares = db::shares(tx, cp.id)?
        .into_iter()
        .map(|(p, number)| ShareView {
            payment_id: p.id,
            invoice: number,
            date: p.date,
            amount: p.amount,
            early_discount: p.early_discount,
        })
        .collect();
    let refunds = db::credit_refunds(tx, cp.id, cp.currency)?;
    Ok(ClientPaymentView { payment: cp, shares, refunds })
}

fn client_credit(tx: &Tx, client_id: i64) -> AppResult<ClientCredit> {
    let client = client_or_404(tx, client_id)?;
    let credit = db::credit_left_minor(tx, Some(client_id))?
        .into_iter()
        .map(|(_, currency, m)| CreditAmount { currency, amount: currency.from_minor(m) })
        .collect();
    let mut payments = Vec::new();
    for cp in db::client_payments(tx, client_id, None)?.into_iter().rev() {
        payments.push(payment_view(tx, cp)?);
    }
    Ok(ClientCredit { client_id, client_name: client.name, credit, payments })
}

impl Billable {
    /// How a payment from a client would be spread over their open
    /// invoices, and what it would leave as credit; writes nothing. An empty
    /// amount shows the open invoices with nothing given to them.
    pub fn plan_client_payment(&mut self, i: ClientPaymentInput) -> AppResult<ClientPaymentPlan> {
        self.read("plan the payment", |tx, clock| {
            client_or_404(tx, i.client)?;
            let (currency, amount, date, shares) = parse_input(tx, clock, &i, true)?;
            let open = open_invoices(tx, i.client, currency, date)?;
            let opens: Vec<OpenInvoice> = open.iter().map(|(_, o)| o.clone()).collect();
            let plan = spread("allocations", amount, &opens, &shares)?;
            let invoices = open
                .iter()
                .map(|(inv, o)| PlannedShare {
                    invoice: inv.number.clone(),
                    issue_date: inv.issue_date,
                    due_date: inv.due_date,
                    balance_due: o.balance,
                    settles_with: o.settles_with,
                    share: plan.shares.iter().find(|s| s.invoice_id == inv.id).map_or(Decimal::ZERO, |s| s.amount),
                })
                .collect();
            Ok(ClientPaymentPlan {
                client_id: i.client,
                currency,
                amount,
                date,
                invoices,
                credit: plan.credit,
                credit_before: credit_left(tx, i.client, currency)?,
            })
        })
    }

    /// Records money received from a client: spread over their open
    /// invoices (oldest first, or as chosen), the rest kept as credit.
    pub fn receive_payment(&mut self, i: ClientPaymentInput) -> AppResult<ClientCredit> {
        self.write("record the client's payment", |tx, clock| {
            client_or_404(tx, i.client)?;
            let (currency, amount, date, shares) = parse_input(tx, clock, &i, false)?;
            let input = ReceivedInput {
                client_id: i.client,
                currency,
                amount,
                date,
                method: i.method.as_deref().unwrap_or(""),
                reference: i.reference.as_deref().unwrap_or(""),
                note: i.note.as_deref().unwrap_or(""),
                shares,
            };
            receive_in(tx, clock, &input)?;
            client_credit(tx, i.client)
        })
    }

    /// A client's payments received and the credit left, per currency.
    pub fn client_credit(&mut self, client: i64) -> AppResult<ClientCredit> {
        self.read("read the client's credit", |tx, _| client_credit(tx, client))
    }

    /// Applies the client's credit to one of their invoices: drawn from the
    /// oldest payments with credit left, dated the day it is applied.
    pub fn apply_credit(&mut self, i: ApplyCreditInput) -> AppResult<InvoiceView> {
        self.write("apply the client's credit", |tx, clock| {
            let mut inv = resolve(tx, &i.invoice)?;
            let date = parse::date_opt("date", i.date.as_deref(), clock)?.unwrap_or_else(|| clock.today());
            let left: Vec<(i64, Decimal)> = db::client_payments(tx, inv.client_id, Some(inv.currency))?
                .into_iter()
                .map(|p| (p.id, p.left))
                .collect();
            let available: Decimal = left.iter().map(|(_, l)| *l).sum();
            if available <= Decimal::ZERO {
                let client = client_or_404(tx, inv.client_id)?;
                return Err(AppError::conflict(format!("{} has no credit in {}", client.name, inv.currency)));
            }
            let amount = match i.amount.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                Some(a) => parse_amount("amount", a, inv.currency)?,
                None => settles_with(&inv, date).min(available),
            };
            if amount <= Decimal::ZERO {
                return Err(AppError::conflict(format!("invoice {} has nothing left to pay", inv.number)));
            }
            for (client_payment_id, part) in allocation::draw("amount", amount, &left)? {
                let p = Pay {
                    amount: part,
                    date,
                    method: "client credit",
                    reference: "",
                    note: "",
                    client_payment_id: Some(client_payment_id),
                    kind: "credit_applied",
                };
                pay(tx, clock, &mut inv, &p)?;
            }
            view(tx, clock, inv.id)
        })
    }

    /// Pays back unused credit (all of it in the currency when no amount is
    /// given), drawn from the oldest payments with credit left.
    pub fn refund_credit(&mut self, i: CreditRefundInput) -> AppResult<ClientCredit> {
        self.write("pay back the client's credit", |tx, clock| {
            client_or_404(tx, i.client)?;
            let cur = currency_of(tx, i.client, i.currency.as_deref())?;
            let date = parse::date_opt("date", i.date.as_deref(), clock)?.unwrap_or_else(|| clock.today());
            let left: Vec<(i64, Decimal)> =
                db::client_payments(tx, i.client, Some(cur))?.into_iter().map(|p| (p.id, p.left)).collect();
            let available: Decimal = left.iter().map(|(_, l)| *l).sum();
            let amount = match i.amount.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                Some(a) => parse_amount("amount", a, cur)?,
                None if available <= Decimal::ZERO => {
                    let client = client_or_404(tx, i.client)?;
                    return Err(AppError::conflict(format!("{} has no credit in {cur} to pay back", client.name)));
                }
                None => available,
            };
            let method = parse::text("method", i.method.as_deref().unwrap_or(""))?;
            let reference = parse::text("reference", i.reference.as_deref().unwrap_or(""))?;
            let note = parse::text("note", i.note.as_deref().unwrap_or(""))?;
            for (client_payment_id, part) in allocation::draw("amount", amount, &left)? {
                let r = CreditRefund {
                    id: 0,
                    client_payment_id,
                    date,
                    amount: part,
                    method: method.clone(),
                    reference: reference.clone(),
                    note: note.clone(),
                };
                db::insert_credit_refund(tx, &r, cur, clock.now().timestamp())?;
            }
            client_credit(tx, i.client)
        })
    }

    /// Deletes a client payment: its shares are deleted (the invoices owe
    /// them again). Refused once any of it was paid back.
    pub fn delete_client_payment(&mut self, id: i64) -> AppResult<ClientCredit> {
        self.write("delete the client's payment", |tx, clock| {
            let cp = db::client_payment(tx, id)?.ok_or_else(|| AppError::not_found("client payment", id))?;
            if cp.refunded > Decimal::ZERO {
                return Err(AppError::conflict(format!(
                    "{} {} of this payment was paid back to the client; it cannot be deleted",
                    cp.refunded, cp.currency
                )));
            }
            for (p, _) in db::shares(tx, id)? {
                delete_row(tx, clock, p.id)?;
            }
            db::delete_client_payment(tx, id)?;
            client_credit(tx, cp.client_id)
        })
    }
}
