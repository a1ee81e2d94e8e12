//! Estimates (migration 0022): headers with their totals, lines (stored like
//! invoice lines, through the same `LineBody` encoding), summary taxes, the
//! estimate number pattern, the invoices made from an estimate, and the
//! deposit invoices a final invoice deducts.

use crate::params;
use crate::sql::{OptionalExtension, Param, Row, Tx};
use billable_core::estimate::Estimate;
use billable_core::model::InvoiceLine;
use billable_core::status::InvoiceStatus;
use billable_core::tax::TaxRate;
use billable_core::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::codec::*;
use crate::error::StoreResult;
use crate::invoices::{with_tax_params, LineBody, LINE_BODY_COLS, TAX_WRITE_COLS};

const COLS: &str = "id, number, client_id, project_id, issue_date, valid_until, currency, tax_mode, pricing,
    discount_kind, discount_value, notes, terms, po_number, status, subtotal_minor, discount_minor, tax_minor,
    total_minor, template, locale, created_at, sent_at, decided_at";

fn header_row(r: &Row) -> StoreResult<Estimate> {
    let cur = currency(r, 6)?;
    Ok(Estimate {
        id: r.get(0)?,
        number: r.get(1)?,
        client_id: r.get(2)?,
        project_id: r.get(3)?,
        issue_date: date(r, 4)?,
        valid_until: date(r, 5)?,
        currency: cur,
        tax_mode: parsed(r, 7)?,
        pricing: parsed(r, 8)?,
        discount: discount_cols(r, 9, 10)?,
        taxes: Vec::new(),
        notes: r.get(11)?,
        terms: r.get(12)?,
        po_number: r.get(13)?,
        status: parsed(r, 14)?,
        subtotal: money(r, 15, cur)?,
        discount_amount: money(r, 16, cur)?,
        tax_total: money(r, 17, cur)?,
        total: money(r, 18, cur)?,
        template: parsed_opt(r, 19)?,
        locale: parsed_opt(r, 20)?,
        created_at: ts(r, 21)?,
        sent_at: ts_opt(r, 22)?,
        decided_at: ts_opt(r, 23)?,
    })
}

fn load_taxes(c: &Tx, e: &mut Estimate) -> StoreResult<()> {
    let mut st = c.prepare_cached(
        "SELECT name, percent, category, exemption_reason FROM estimate_taxes WHERE estimate_id = ?1
         ORDER BY position",
    )?;
    e.taxes = st
        .query_map([e.id], |r| {
            Ok(TaxRate { name: r.get(0)?, percent: dec(r, 1)?, category: parsed(r, 2)?, exemption_reason: r.get(3)? })
        })?
        .collect::<Result<_, _>>()?;
    Ok(())
}

fn save_taxes(c: &Tx, e: &Estimate) -> StoreResult<()> {
    c.prepare_cached("DELETE FROM estimate_taxes WHERE estimate_id = ?1")?.execute([e.id])?;
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO estimate_taxes (estimate_id, position, {TAX_WRITE_COLS}) VALUES ({})",
        placeholders(6)
    ))?;
    for (i, t) in e.taxes.iter().enumerate() {
        with_tax_params(t, |values| st.execute(&*[&[&e.id as &dyn Param, &(i as i64)], values].concat()))?;
    }
    Ok(())
}

pub fn estimate(c: &Tx, id: i64) -> StoreResult<Option<Estimate>> {
    let e = c.query_row(&format!("SELECT {COLS} FROM estimates WHERE id = ?1"), [id], header_row).optional()?;
    match e {
        Some(mut e) => {
            load_taxes(c, &mut e)?;
            Ok(Some(e))
        }
        None => Ok(None),
    }
}

pub fn estimate_by_number(c: &Tx, number: &str) -> StoreResult<Option<Estimate>> {
    let id: Option<i64> =
        c.query_row("SELECT id FROM estimates WHERE number = ?1", [number], |r| r.get(0)).optional()?;
    match id {
        Some(id) => estimate(c, id),
        None => Ok(None),
    }
}

/// Inserts a header (written by [`update_estimate`], one list of columns).
pub fn insert_estimate(c: &Tx, e: &Estimate, now: i64) -> StoreResult<i64> {
    let id = c.prepare_cached(
        "INSERT INTO estimates (number, client_id, issue_date, valid_until, currency, tax_mode, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .insert(params![
        e.number,
        e.client_id,
        e.issue_date.to_string(),
        e.valid_until.to_string(),
        e.currency.code(),
        e.tax_mode.as_str(),
        now
    ])?;
    update_estimate(c, &Estimate { id, ..e.clone() }, now)?;
    Ok(id)
}

/// Writes every header field, the totals and the summary taxes.
pub fn update_estimate(c: &Tx, e: &Estimate, now: i64) -> StoreResult<()> {
    let cur = e.currency;
    c.prepare_cached(
        "UPDATE estimates SET number=?2, client_id=?3, project_id=?4, issue_date=?5, valid_until=?6, currency=?7,
            tax_mode=?8, pricing=?9, discount_kind=?10, discount_value=?11, notes=?12, terms=?13, po_number=?14,
            status=?15, subtotal_minor=?16, discount_minor=?17, tax_minor=?18, total_minor=?19, template=?20,
            locale=?21, sent_at=?22, decided_at=?23, updated_at=?24
         WHERE id=?1",
    )?
    .execute(params![
        e.id,
        e.number,
        e.client_id,
        e.project_id,
        e.issue_date.to_string(),
        e.valid_until.to_string(),
        cur.code(),
        e.tax_mode.as_str(),
        e.pricing.as_str(),
        e.discount.kind(),
        dec_text_opt(e.discount.value()),
        e.notes,
        e.terms,
        e.po_number,
        e.status.as_str(),
        minor(cur, e.subtotal)?,
        minor(cur, e.discount_amount)?,
        minor(cur, e.tax_total)?,
        minor(cur, e.total)?,
        e.template.map(|t| t.as_str()),
        e.locale.map(|l| l.as_str()),
        e.sent_at.map(|t| t.timestamp()),
        e.decided_at.map(|t| t.timestamp()),
        now,
    ])?;
    save_taxes(c, e)
}

pub fn delete_estimate(c: &Tx, id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM estimates WHERE id = ?1", [id])?;
    Ok(())
}

// ---- lines ----------------------------------------------------------------

fn line_row(cur: Currency) -> impl Fn(&Row) -> StoreResult<InvoiceLine> {
    move |r| {
        Ok(InvoiceLine {
            id: r.get(0)?,
            invoice_id: r.get(1)?,
            position: r.get(2)?,
            description: r.get(3)?,
            long_description: r.get(15)?,
            quantity: dec(r, 4)?,
            seconds: r.get(5)?,
            unit: r.get(6)?,
            rate: dec(r, 7)?,
            discount: discount_cols(r, 8, 9)?,
            tax: tax_cols(r, 10)?,
            amount: money(r, 14, cur)?,
            entry_ids: Vec::new(),
        })
    }
}

/// The lines of an estimate in order (`invoice_id` holds the estimate's id).
pub fn lines(c: &Tx, estimate_id: i64, cur: Currency) -> StoreResult<Vec<InvoiceLine>> {
    let mut st = c.prepare_cached(
        "SELECT id, estimate_id, position, description, quantity, seconds, unit, rate, discount_kind,
                discount_value, tax_name, tax_percent, tax_category, tax_exemption_reason, amount_minor,
                long_description
         FROM estimate_lines WHERE estimate_id = ?1 ORDER BY position",
    )?;
    let lines = st.query_map([estimate_id], line_row(cur))?.collect::<Result<_, _>>()?;
    Ok(lines)
}

pub fn insert_line(c: &Tx, l: &InvoiceLine, cur: Currency) -> StoreResult<i64> {
    let id = c
        .prepare_cached(
            "INSERT INTO estimate_lines (estimate_id, position, description, quantity, rate, amount_minor)
         VALUES (?1, ?2, '', '0', '0', 0)",
        )?
        .insert(params![l.invoice_id, l.position])?;
    update_line(c, &InvoiceLine { id, ..l.clone() }, cur)?;
    Ok(id)
}

pub fn update_line(c: &Tx, l: &InvoiceLine, cur: Currency) -> StoreResult<()> {
    LineBody::from(l).with_params(cur, |values| {
        let mut st = c.prepare_cached(&format!(
            "UPDATE estimate_lines SET (position, {LINE_BODY_COLS}) = ({}) WHERE id = ?{}",
            placeholders(values.len() + 1),
            values.len() + 2
        ))?;
        st.execute(&*[&[&l.position as &dyn Param], values, &[&l.id]].concat())?;
        Ok(())
    })
}

/// Moves every line out of the way of new positions before renumbering.
pub fn park_line_positions(c: &Tx, estimate_id: i64) -> StoreResult<()> {
    c.execute("UPDATE estimate_lines SET position = -position - 1 WHERE estimate_id = ?1", [estimate_id])?;
    Ok(())
}

pub fn delete_line(c: &Tx, line_id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM estimate_lines WHERE id = ?1", [line_id])?;
    Ok(())
}

// ---- numbering --------------------------------------------------------------

pub fn number_pattern(c: &Tx) -> StoreResult<String> {
    c.query_row("SELECT estimate_number_pattern FROM business WHERE id = 1", [], |r| r.get(0))
}

pub fn set_number_pattern(c: &Tx, pattern: &str) -> StoreResult<()> {
    c.execute("UPDATE business SET estimate_number_pattern = ?1 WHERE id = 1", [pattern])?;
    Ok(())
}

// ---- the list ---------------------------------------------------------------

/// An estimate in the list, with its client's name.
#[derive(Debug, Clone)]
pub struct EstimateRow {
    pub estimate: Estimate,
    pub client_name: String,
}

/// Estimates, newest first. `status` is a stored status, or `expired` (sent
/// and valid until before `today`); `sent` then means sent and still valid.
pub fn list(c: &Tx, status: Option<&str>, client_id: Option<i64>, today: NaiveDate) -> StoreResult<Vec<EstimateRow>> {
    let today = today.to_string();
    let cols = COLS.split(',').map(|c| format!("e.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {cols}, c.name FROM estimates e JOIN clients c ON c.id = e.client_id
         WHERE (?1 IS NULL
                OR (?1 = 'expired' AND e.status = 'sent' AND e.valid_until < ?2)
                OR (?1 = 'sent' AND e.status = 'sent' AND e.valid_until >= ?2)
                OR (?1 NOT IN ('expired', 'sent') AND e.status = ?1))
           AND (?3 IS NULL OR e.client_id = ?3)
         ORDER BY e.issue_date DESC, e.id DESC"
    );
    let mut st = c.prepare(&sql)?;
    let rows = st.query_map(params![status, today, client_id], |r| {
        Ok(EstimateRow { estimate: header_row(r)?, client_name: r.get(24)? })
    })?;
    let mut out: Vec<EstimateRow> = rows.collect::<Result<_, _>>()?;
    for row in &mut out {
        load_taxes(c, &mut row.estimate)?;
    }
    Ok(out)
}

// ---- invoices made from estimates -------------------------------------------

/// How an invoice came from an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// The whole estimate, no deposits before it.
    Full,
    /// A deposit (a percentage or an amount of it).
    Deposit,
    /// The whole estimate, deducting its deposits.
    Final,
}

impl Made {
    pub fn as_str(&self) -> &'static str {
        match self {
            Made::Full => "full",
            Made::Deposit => "deposit",
            Made::Final => "final",
        }
    }

    fn parse(s: &str) -> Made {
        match s {
            "deposit" => Made::Deposit,
            "final" => Made::Final,
            _ => Made::Full,
        }
    }
}

/// An invoice made from an estimate.
#[derive(Debug, Clone)]
pub struct MadeInvoice {
    pub invoice_id: i64,
    pub number: String,
    pub issue_date: NaiveDate,
    pub status: InvoiceStatus,
    pub total: Decimal,
    pub kind: Made,
    /// A deposit's part as typed (`30%`, `500.00`); empty otherwise.
    pub part: String,
    /// The estimate it came from.
    pub estimate_id: i64,
    pub estimate_number: String,
}

fn made_row(r: &Row) -> StoreResult<MadeInvoice> {
    let cur = currency(r, 4)?;
    Ok(MadeInvoice {
        invoice_id: r.get(0)?,
        number: r.get(1)?,
        issue_date: date(r, 2)?,
        status: parsed(r, 3)?,
        total: money(r, 5, cur)?,
        kind: Made::parse(&r.get::<String>(6)?),
        part: r.get(7)?,
        estimate_id: r.get(8)?,
        estimate_number: r.get(9)?,
    })
}

const MADE_SELECT: &str = "SELECT i.id, i.number, i.issue_date, i.status, i.currency, i.total_minor, l.kind, l.part,
        e.id, e.number
    FROM estimate_invoices l JOIN invoices i ON i.id = l.invoice_id JOIN estimates e ON e.id = l.estimate_id";

/// Records that an invoice was made from an estimate. A second whole
/// conversion breaks the partial unique index `estimate_invoices_whole`.
pub fn link_invoice(c: &Tx, invoice_id: i64, estimate_id: i64, kind: Made, part: &str) -> StoreResult<()> {
    c.execute(
        "INSERT INTO estimate_invoices (invoice_id, estimate_id, kind, part) VALUES (?1, ?2, ?3, ?4)",
        params![invoice_id, estimate_id, kind.as_str(), part],
    )?;
    Ok(())
}

/// Forgets the link of an invoice (a cancelled whole conversion, so the
/// estimate may be converted again).
pub fn unlink_invoice(c: &Tx, invoice_id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM estimate_invoices WHERE invoice_id = ?1", [invoice_id])?;
    Ok(())
}

/// The invoices made from an estimate, oldest first.
pub fn invoices_of(c: &Tx, estimate_id: i64) -> StoreResult<Vec<MadeInvoice>> {
    let mut st = c.prepare_cached(&format!("{MADE_SELECT} WHERE l.estimate_id = ?1 ORDER BY i.id"))?;
    let rows = st.query_map([estimate_id], made_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Where an invoice came from, when it came from an estimate.
pub fn made_from(c: &Tx, invoice_id: i64) -> StoreResult<Option<MadeInvoice>> {
    c.query_row(&format!("{MADE_SELECT} WHERE l.invoice_id = ?1"), [invoice_id], made_row).optional()
}

/// Whether any invoice was made from the estimate.
pub fn has_invoices(c: &Tx, estimate_id: i64) -> StoreResult<bool> {
    c.query_row("SELECT EXISTS (SELECT 1 FROM estimate_invoices WHERE estimate_id = ?1)", [estimate_id], |r| r.get(0))
}

// ---- deposits deducted on a final invoice -----------------------------------

/// Records the deposit invoices a final invoice deducts, in order. A
/// deposit deducted on another invoice already breaks the unique key.
pub fn add_deductions(c: &Tx, invoice_id: i64, deposit_ids: &[i64]) -> StoreResult<()> {
    let mut st = c.prepare_cached(
        "INSERT INTO invoice_deposits (invoice_id, deposit_invoice_id, position) VALUES (?1, ?2, ?3)",
    )?;
    for (i, d) in deposit_ids.iter().enumerate() {
        st.execute(params![invoice_id, d, i as i64 + 1])?;
    }
    Ok(())
}

/// Forgets what a (cancelled) final invoice deducted.
pub fn clear_deductions(c: &Tx, invoice_id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM invoice_deposits WHERE invoice_id = ?1", [invoice_id])?;
    Ok(())
}

/// The deposit invoices a final invoice deducts, in order.
pub fn deductions(c: &Tx, invoice_id: i64) -> StoreResult<Vec<i64>> {
    let mut st =
        c.prepare_cached("SELECT deposit_invoice_id FROM invoice_deposits WHERE invoice_id = ?1 ORDER BY position")?;
    let rows = st.query_map([invoice_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The final invoice a deposit invoice is deducted on, if any.
pub fn deducted_on(c: &Tx, deposit_invoice_id: i64) -> StoreResult<Option<String>> {
    c.query_row(
        "SELECT i.number FROM invoice_deposits d JOIN invoices i ON i.id = d.invoice_id
         WHERE d.deposit_invoice_id = ?1",
        [deposit_invoice_id],
        |r| r.get(0),
    )
    .optional()
}
