//! Invoices: headers with their stored totals, lines, summary taxes, the
//! activity log and number counters.

use std::collections::HashMap;

use crate::params;
use crate::sql::{params_from_iter, OptionalExtension, Param, Row, Tx};
use billable_core::model::{Activity, ActivityFacts, Invoice, InvoiceLine};
use billable_core::status::InvoiceStatus;
use billable_core::tax::TaxRate;
use billable_core::totals::Discount;
use billable_core::Currency;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::escape_like;
use crate::codec::*;
use crate::error::{StoreError, StoreResult};

const COLS: &str = "i.id, i.number, i.client_id, i.project_id, i.category, i.tags, i.issue_date, i.due_date,
    i.currency, i.tax_mode, i.discount_kind, i.discount_value, i.adjustment_minor, i.adjustment_description,
    i.notes, i.terms, i.po_number, i.status, i.subtotal_minor, i.discount_minor, i.tax_minor, i.total_minor,
    i.paid_minor, i.balance_minor, i.created_at, i.issued_at, i.template, i.locale,
    i.early_discount_percent, i.early_discount_days, i.early_discount_taken_minor, i.pricing, i.prepaid_minor";
/// How many columns `COLS` selects (what a query adds comes after them).
const COLS_COUNT: usize = 33;

fn discount(r: &Row, kind: usize, value: usize) -> StoreResult<Discount> {
    let k: String = r.get(kind)?;
    let v = dec_opt(r, value)?;
    Discount::from_parts("discount", &k, v).map_err(|e| crate::codec::conversion(kind, e))
}

fn header_row(r: &Row) -> StoreResult<Invoice> {
    let cur = currency(r, 8)?;
    Ok(Invoice {
        id: r.get(0)?,
        number: r.get(1)?,
        client_id: r.get(2)?,
        project_id: r.get(3)?,
        category: r.get(4)?,
        tags: json_list(r, 5)?,
        issue_date: date(r, 6)?,
        due_date: date(r, 7)?,
        currency: cur,
        tax_mode: parsed(r, 9)?,
        discount: discount(r, 10, 11)?,
        taxes: Vec::new(),
        adjustment: money(r, 12, cur)?,
        adjustment_description: r.get(13)?,
        notes: r.get(14)?,
        terms: r.get(15)?,
        po_number: r.get(16)?,
        status: parsed(r, 17)?,
        subtotal: money(r, 18, cur)?,
        discount_amount: money(r, 19, cur)?,
        tax_total: money(r, 20, cur)?,
        total: money(r, 21, cur)?,
        amount_paid: money(r, 22, cur)?,
        balance_due: money(r, 23, cur)?,
        created_at: ts(r, 24)?,
        issued_at: ts_opt(r, 25)?,
        template: r.get::<Option<String>>(26)?.map(|_| parsed(r, 26)).transpose()?,
        locale: r.get::<Option<String>>(27)?.map(|_| parsed(r, 27)).transpose()?,
        early_discount: match (dec_opt(r, 28)?, r.get::<Option<u32>>(29)?) {
            (Some(percent), Some(days)) => Some(billable_core::early_payment::EarlyDiscount { percent, days }),
            _ => None,
        },
        early_discount_taken: money(r, 30, cur)?,
        pricing: parsed(r, 31)?,
        prepaid: money(r, 32, cur)?,
    })
}

fn load_taxes(c: &Tx, inv: &mut Invoice) -> StoreResult<()> {
    let mut st = c.prepare_cached(
        "SELECT name, percent, category, exemption_reason FROM invoice_taxes WHERE invoice_id = ?1
         ORDER BY position",
    )?;
    inv.taxes = st
        .query_map([inv.id], |r| {
            Ok(TaxRate { name: r.get(0)?, percent: dec(r, 1)?, category: parsed(r, 2)?, exemption_reason: r.get(3)? })
        })?
        .collect::<Result<_, _>>()?;
    Ok(())
}

fn save_taxes(c: &Tx, inv: &Invoice) -> StoreResult<()> {
    c.prepare_cached("DELETE FROM invoice_taxes WHERE invoice_id = ?1")?.execute([inv.id])?;
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO invoice_taxes (invoice_id, position, {TAX_WRITE_COLS}) VALUES ({})",
        placeholders(6)
    ))?;
    for (i, t) in inv.taxes.iter().enumerate() {
        with_tax_params(t, |values| st.execute(&*[&[&inv.id as &dyn Param, &(i as i64)], values].concat()))?;
    }
    Ok(())
}

/// The columns of a summary tax (of an invoice or a credit note), in the
/// order of [`with_tax_params`].
pub(crate) const TAX_WRITE_COLS: &str = "name, percent, category, exemption_reason";

/// Calls `f` with a tax's values for [`TAX_WRITE_COLS`].
pub(crate) fn with_tax_params<R>(t: &TaxRate, f: impl FnOnce(&[&dyn Param]) -> StoreResult<R>) -> StoreResult<R> {
    let percent = dec_text(t.percent);
    f(&[&t.name, &percent, &t.category.code(), &t.exemption_reason])
}

pub fn invoice(c: &Tx, id: i64) -> StoreResult<Option<Invoice>> {
    let inv = c.query_row(&format!("SELECT {COLS} FROM invoices i WHERE i.id = ?1"), [id], header_row).optional()?;
    match inv {
        Some(mut inv) => {
            load_taxes(c, &mut inv)?;
            Ok(Some(inv))
        }
        None => Ok(None),
    }
}

pub fn invoice_by_number(c: &Tx, number: &str) -> StoreResult<Option<Invoice>> {
    let id: Option<i64> =
        c.query_row("SELECT id FROM invoices WHERE number = ?1", [number], |r| r.get(0)).optional()?;
    match id {
        Some(id) => invoice(c, id),
        None => Ok(None),
    }
}

/// Inserts a header (with its totals) and its summary taxes; returns its id.
/// The row is created with its identity, then written by [`update_invoice`],
/// so there is one list of columns.
pub fn insert_invoice(c: &Tx, inv: &Invoice, now: i64) -> StoreResult<i64> {
    let id = c
        .prepare_cached(
            "INSERT INTO invoices (number, client_id, issue_date, due_date, currency, tax_mode, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        )?
        .insert(params![
            inv.number,
            inv.client_id,
            inv.issue_date.to_string(),
            inv.due_date.to_string(),
            inv.currency.code(),
            inv.tax_mode.as_str(),
            now
        ])?;
    update_invoice(c, &Invoice { id, ..inv.clone() }, now)?;
    Ok(id)
}

/// Writes every header field, the totals and the summary taxes.
pub fn update_invoice(c: &Tx, inv: &Invoice, now: i64) -> StoreResult<()> {
    let cur = inv.currency;
    c.prepare_cached(
        "UPDATE invoices SET number=?2, client_id=?3, project_id=?4, category=?5, tags=?6, issue_date=?7,
            due_date=?8, currency=?9, tax_mode=?10, discount_kind=?11, discount_value=?12,
            adjustment_minor=?13, adjustment_description=?14, notes=?15, terms=?16, po_number=?17,
            status=?18, subtotal_minor=?19, discount_minor=?20, tax_minor=?21, total_minor=?22,
            paid_minor=?23, balance_minor=?24, updated_at=?25, issued_at=?26, template=?27, locale=?28,
            early_discount_percent=?29, early_discount_days=?30, early_discount_taken_minor=?31, pricing=?32,
            prepaid_minor=?33
         WHERE id=?1",
    )?
    .execute(params![
        inv.id,
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
        now,
        inv.issued_at.map(|t| t.timestamp()),
        inv.template.map(|t| t.as_str()),
        inv.locale.map(|l| l.as_str()),
        dec_text_opt(inv.early_discount.map(|d| d.percent)),
        inv.early_discount.map(|d| d.days),
        minor(cur, inv.early_discount_taken)?,
        inv.pricing.as_str(),
        minor(cur, inv.prepaid)?,
    ])?;
    save_taxes(c, inv)
}

pub fn delete_invoice(c: &Tx, id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM invoices WHERE id = ?1", [id])?;
    Ok(())
}

// ---- lines ----------------------------------------------------------------

fn line_row(cur: Currency) -> impl Fn(&Row) -> StoreResult<InvoiceLine> {
    move |r| {
        let tax = match r.get::<Option<String>>(10)? {
            Some(name) => {
                Some(TaxRate { name, percent: dec(r, 11)?, category: parsed(r, 12)?, exemption_reason: r.get(13)? })
            }
            None => None,
        };
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
            discount: discount(r, 8, 9)?,
            tax,
            amount: money(r, 14, cur)?,
            entry_ids: Vec::new(),
        })
    }
}

/// The lines of an invoice in order, each with the ids of the entries it bills.
pub fn lines(c: &Tx, invoice_id: i64, cur: Currency) -> StoreResult<Vec<InvoiceLine>> {
    let mut st = c.prepare_cached(
        "SELECT id, invoice_id, position, description, quantity, seconds, unit, rate, discount_kind,
                discount_value, tax_name, tax_percent, tax_category, tax_exemption_reason, amount_minor,
                long_description
         FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position",
    )?;
    let mut lines: Vec<InvoiceLine> = st.query_map([invoice_id], line_row(cur))?.collect::<Result<_, _>>()?;
    let mut st =
        c.prepare_cached("SELECT invoice_line_id, id FROM time_entries WHERE invoice_id = ?1 ORDER BY work_date, id")?;
    let links = st.query_map([invoice_id], |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)))?;
    for link in links {
        let (line_id, entry_id) = link?;
        if let Some(l) = lines.iter_mut().find(|l| l.id == line_id) {
            l.entry_ids.push(entry_id);
        }
    }
    Ok(lines)
}

/// Inserts a line (written by [`update_line`], one list of columns).
pub fn insert_line(c: &Tx, l: &InvoiceLine, cur: Currency) -> StoreResult<i64> {
    let id = c
        .prepare_cached(
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity, rate, amount_minor)
         VALUES (?1, ?2, '', '0', '0', 0)",
        )?
        .insert(params![l.invoice_id, l.position])?;
    update_line(c, &InvoiceLine { id, ..l.clone() }, cur)?;
    Ok(id)
}

/// The priced part of a line, stored alike for invoice lines and credit
/// note lines: the columns [`LINE_BODY_COLS`].
pub(crate) struct LineBody<'a> {
    pub description: &'a str,
    pub long_description: &'a str,
    pub quantity: Decimal,
    pub seconds: Option<i64>,
    pub unit: &'a str,
    pub rate: Decimal,
    pub discount: &'a Discount,
    pub tax: Option<&'a TaxRate>,
    pub amount: Decimal,
}

pub(crate) const LINE_BODY_COLS: &str = "description, quantity, seconds, unit, rate, discount_kind, discount_value, \
    tax_name, tax_percent, tax_category, tax_exemption_reason, amount_minor, long_description";

impl<'a> From<&'a InvoiceLine> for LineBody<'a> {
    fn from(l: &'a InvoiceLine) -> LineBody<'a> {
        LineBody {
            description: &l.description,
            long_description: &l.long_description,
            quantity: l.quantity,
            seconds: l.seconds,
            unit: &l.unit,
            rate: l.rate,
            discount: &l.discount,
            tax: l.tax.as_ref(),
            amount: l.amount,
        }
    }
}

impl LineBody<'_> {
    /// Calls `f` with the line's values for [`LINE_BODY_COLS`]: the one
    /// encoding of a line every writer uses.
    pub(crate) fn with_params<R>(
        &self,
        cur: Currency,
        f: impl FnOnce(&[&dyn Param]) -> StoreResult<R>,
    ) -> StoreResult<R> {
        let quantity = dec_text(self.quantity);
        let rate = dec_text(self.rate);
        let discount_value = dec_text_opt(self.discount.value());
        let tax_percent = self.tax.map(|t| dec_text(t.percent));
        let amount = minor(cur, self.amount)?;
        f(&[
            &self.description,
            &quantity,
            &self.seconds,
            &self.unit,
            &rate,
            &self.discount.kind(),
            &discount_value,
            &self.tax.map(|t| t.name.as_str()),
            &tax_percent,
            &self.tax.map(|t| t.category.code()),
            &self.tax.and_then(|t| t.exemption_reason.as_deref()),
            &amount,
            &self.long_description,
        ])
    }
}

pub fn update_line(c: &Tx, l: &InvoiceLine, cur: Currency) -> StoreResult<()> {
    LineBody::from(l).with_params(cur, |values| {
        let mut st = c.prepare_cached(&format!(
            "UPDATE invoice_lines SET (position, {LINE_BODY_COLS}) = ({}) WHERE id = ?{}",
            placeholders(values.len() + 1),
            values.len() + 2
        ))?;
        st.execute(&*[&[&l.position as &dyn Param], values, &[&l.id]].concat())?;
        Ok(())
    })
}

/// Moves every line of an invoice out of the way of new positions (the
/// (invoice, position) pair is unique), before lines are renumbered.
pub fn park_line_positions(c: &Tx, invoice_id: i64) -> StoreResult<()> {
    c.execute("UPDATE invoice_lines SET position = -position - 1 WHERE invoice_id = ?1", [invoice_id])?;
    Ok(())
}

pub fn delete_line(c: &Tx, line_id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM invoice_lines WHERE id = ?1", [line_id])?;
    Ok(())
}

// ---- activity -------------------------------------------------------------

pub fn log(c: &Tx, invoice_id: i64, at: DateTime<Utc>, kind: &str, detail: &str) -> StoreResult<()> {
    log_facts(c, invoice_id, at, kind, detail, None)
}

/// Logs an event with what it is about as data (see [`ActivityFacts`]).
pub fn log_facts(
    c: &Tx,
    invoice_id: i64,
    at: DateTime<Utc>,
    kind: &str,
    detail: &str,
    facts: Option<&ActivityFacts>,
) -> StoreResult<()> {
    let facts = facts.map(serde_json::to_string).transpose().map_err(|e| StoreError::Corrupt(e.to_string()))?;
    c.prepare_cached("INSERT INTO invoice_activity (invoice_id, at, kind, detail, facts) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![invoice_id, at.timestamp(), kind, detail, facts])?;
    Ok(())
}

pub fn activity(c: &Tx, invoice_id: i64) -> StoreResult<Vec<Activity>> {
    let mut st = c.prepare(
        "SELECT id, invoice_id, at, kind, detail, facts FROM invoice_activity WHERE invoice_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([invoice_id], |r| {
        // Facts that cannot be read (written by a newer build) leave the text.
        let facts: Option<String> = r.get(5)?;
        Ok(Activity {
            id: r.get(0)?,
            invoice_id: r.get(1)?,
            at: ts(r, 2)?,
            kind: r.get(3)?,
            detail: r.get(4)?,
            facts: facts.and_then(|f| serde_json::from_str(&f).ok()),
        })
    })?;
    rows.collect::<Result<_, _>>()
}

// ---- numbers --------------------------------------------------------------

/// Takes the next counter value for a series and year, moving it forward.
pub fn take_counter(c: &Tx, series: &str, year: i32) -> StoreResult<u64> {
    c.execute(
        "INSERT INTO number_counters (series, year, next) VALUES (?1, ?2, 1)
         ON CONFLICT (series, year) DO NOTHING",
        params![series, year],
    )?;
    let n: i64 = c.query_row(
        "UPDATE number_counters SET next = next + 1 WHERE series = ?1 AND year = ?2 RETURNING next - 1",
        params![series, year],
        |r| r.get(0),
    )?;
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("counter {series}/{year} is {n}")))
}

/// Records a number as used for good. False when it was used before.
pub fn claim_number(c: &Tx, number: &str) -> StoreResult<bool> {
    Ok(c.prepare_cached("INSERT INTO used_numbers (number) VALUES (?1) ON CONFLICT DO NOTHING")?.execute([number])?
        == 1)
}

/// The last value a counter handed out, if any.
pub fn last_counter(c: &Tx, series: &str, year: i32) -> StoreResult<Option<u64>> {
    let next: Option<i64> = c
        .query_row("SELECT next FROM number_counters WHERE series = ?1 AND year = ?2", params![series, year], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(next.and_then(|n| u64::try_from(n - 1).ok()).filter(|n| *n > 0))
}

/// Gives back the last number a counter handed out, when it is `seq` (and
/// so the newest of its series and year): the counter steps back and the
/// number is free again. False when another number was taken since.
pub fn give_back_number(c: &Tx, series: &str, year: i32, seq: u64, number: &str) -> StoreResult<bool> {
    let Ok(seq) = i64::try_from(seq) else { return Ok(false) };
    let stepped = c.execute(
        "UPDATE number_counters SET next = next - 1 WHERE series = ?1 AND year = ?2 AND next = ?3 + 1",
        params![series, year, seq],
    )?;
    if stepped == 0 {
        return Ok(false);
    }
    c.execute("DELETE FROM used_numbers WHERE number = ?1", [number])?;
    Ok(true)
}

pub fn number_used(c: &Tx, number: &str) -> StoreResult<bool> {
    c.query_row("SELECT EXISTS (SELECT 1 FROM used_numbers WHERE number = ?1)", [number], |r| r.get(0))
}

// ---- list -----------------------------------------------------------------

/// Sort keys of the invoice list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Number,
    #[default]
    IssueDate,
    DueDate,
    Total,
}

#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    /// A stored status, or "overdue" (derived with `today`).
    pub status: Option<String>,
    pub client_id: Option<i64>,
    pub project_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Matches the number or the client's name.
    pub search: Option<String>,
    pub ids: Option<Vec<i64>>,
    /// Only invoices that bill a project of every one of these kinds (bits of
    /// `invoices.project_kinds`, [`ProjectKinds`]).
    pub project_kinds: ProjectKinds,
    /// Only invoices that bill a project over its budget, or (with the
    /// kinds' "with a budget") only those whose budget projects are all
    /// within it.
    pub budget: Option<BudgetFilter>,
    pub sort: SortKey,
    pub descending: bool,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    /// Rows to skip instead of the pages before `page` (a page read from the
    /// other end).
    pub skip: Option<u64>,
}

/// Kinds of projects an invoice bills, as kept in `invoices.project_kinds`
/// (migration 0015): one bit per billing type and per "has a budget".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectKinds(pub u8);

impl ProjectKinds {
    pub const HOURLY: u8 = 1;
    pub const FIXED_PRICE: u8 = 2;
    pub const RETAINER: u8 = 4;
    pub const WITH_BUDGET: u8 = 8;
    pub const WITHOUT_BUDGET: u8 = 16;

    /// The bit of a billing type.
    pub fn of(billing_type: billable_core::model::BillingType) -> u8 {
        use billable_core::model::BillingType::*;
        match billing_type {
            Hourly => Self::HOURLY,
            FixedPrice => Self::FIXED_PRICE,
            Retainer => Self::RETAINER,
        }
    }

    /// Every stored value that has all of these bits, for an `IN (…)` the
    /// index on `project_kinds` seeks.
    fn values(self) -> Vec<u8> {
        (0u8..32).filter(|v| v & self.0 == self.0).collect()
    }

    /// [`ProjectKinds::values`] as SQL.
    fn list(self) -> String {
        self.values().iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")
    }
}

/// The invoice list's filter by budget: the projects with a budget, over it
/// and within it (all of them, of every billing type), and which invoices
/// are wanted — those that bill a project over its budget (`over`), or
/// those that bill a project with a budget and none over it.
///
/// An invoice's projects are found from whichever list is shorter: bills a
/// project over budget ⇔ bills a project with a budget (its kinds) that is
/// not within, which for an invoice of one project (`project_count`) is
/// "is not an invoice of the projects within"; an invoice of several
/// projects is looked up among those over. So a filter over thousands of
/// invoices reads the few of the shorter list.
#[derive(Debug, Clone, Default)]
pub struct BudgetFilter {
    pub over: bool,
    pub over_projects: Vec<i64>,
    pub within_projects: Vec<i64>,
}

/// One row of the invoice list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoiceRow {
    pub invoice: Invoice,
    pub client_name: String,
}

/// A page of invoices and the number of invoices matching the filter.
pub fn list(c: &Tx, f: &InvoiceFilter, today: NaiveDate) -> StoreResult<(Vec<InvoiceRow>, u64)> {
    let (count_sql, _, args) = list_sql(f, today, false);
    let total: i64 = match quick_count(c, f, today)? {
        Some(n) => n,
        None => match budget_count(c, f)? {
            Some(n) => n,
            None => c.query_row(&count_sql, params_from_iter(args.iter()), |r| r.get(0))?,
        },
    };
    // A page past the middle of a filter by projects is read from the other
    // end: in reverse order, then turned around (the order is total, ids
    // break ties), so a late page skips what an early one would.
    let per_page = i64::from(f.per_page.clamp(1, 500));
    let offset = i64::from(f.page.max(1) - 1) * per_page;
    if offset >= total {
        // Past the last page: nothing to read.
        return Ok((Vec::new(), u64::try_from(total).unwrap_or(0)));
    }
    let from_end = f.project_kinds.0 != 0 && offset * 2 > total;
    let reversed;
    let f = if from_end {
        let rows = per_page.min(total - offset);
        let skip = total - offset - rows;
        reversed = InvoiceFilter {
            descending: !f.descending,
            page: 1,
            per_page: u32::try_from(rows).unwrap_or(1),
            skip: u64::try_from(skip).ok(),
            ..f.clone()
        };
        &reversed
    } else {
        f
    };
    // SQLite does not know how the kinds are spread, so the page's plan is
    // chosen here from the count: reading the sort order's index and
    // skipping what does not match visits about (offset + page) × all ÷
    // matching invoices; seeking the matching ones in the kinds' index
    // sorts all of them. The cheaper one is taken (an early page of a filter
    // that keeps one invoice in ten reads a few hundred; its last page sorts).
    let dense = f.project_kinds.0 != 0 && total > 0 && {
        let all: i64 =
            c.prepare_cached("SELECT COALESCE(SUM(invoices), 0) FROM invoice_counts")?.query_row([], |r| r.get(0))?;
        let through = page_offset(f).saturating_add(i64::from(f.per_page.clamp(1, 500)));
        through.saturating_mul(all) / total < total.saturating_mul(2)
    };
    let mut out: Vec<InvoiceRow> = if f.project_kinds.0 != 0 && !dense && page_offset(f) >= SORTED_HERE_FROM {
        page_sorted_here(c, f, today)?
    } else {
        let (_, sql, args) = list_sql(f, today, dense);
        let mut st = c.prepare(&sql)?;
        let rows = st.query_map(params_from_iter(args.iter()), |r| {
            Ok(InvoiceRow { invoice: header_row(r)?, client_name: r.get(COLS_COUNT)? })
        })?;
        rows.collect::<Result<_, _>>()?
    };
    if from_end {
        out.reverse();
    }
    for row in &mut out {
        load_taxes(c, &mut row.invoice)?;
    }
    Ok((out, u64::try_from(total).unwrap_or(0)))
}

/// From how many rows skipped a page of a filter by projects that is not
/// read in the sort order's index is sorted here ([`page_sorted_here`]):
/// SQLite's sorter keeps every row up to the end of the page, and by a few
/// hundred that costs more than reading the matching keys and sorting them.
const SORTED_HERE_FROM: i64 = 500;

/// Whether the filter names a client, a project, dates or a search: then
/// no kept count answers it.
fn narrowed_by_client_date_or_search(f: &InvoiceFilter) -> bool {
    let searching = f.search.as_deref().is_some_and(|s| !s.trim().is_empty());
    f.client_id.is_some() || f.project_id.is_some() || f.from.is_some() || f.to.is_some() || searching
}

/// How many invoices match a filter on the status alone (or no filter), from
/// the counts kept per status (migration 0008) and the open-invoice index,
/// without visiting the invoices; `None` for any other filter.
fn quick_count(c: &Tx, f: &InvoiceFilter, today: NaiveDate) -> StoreResult<Option<i64>> {
    if narrowed_by_client_date_or_search(f) {
        return Ok(None);
    }
    if f.ids.is_some() || f.project_kinds.0 != 0 || f.budget.is_some() {
        return Ok(None);
    }
    let stored = |status: Option<&str>| -> StoreResult<i64> {
        c.prepare_cached("SELECT COALESCE(SUM(invoices), 0) FROM invoice_counts WHERE ?1 IS NULL OR status = ?1")?
            .query_row([status], |r| r.get(0))
    };
    let overdue = |status: Option<&str>| -> StoreResult<i64> {
        c.prepare_cached(
            "SELECT count(*) FROM invoices
             WHERE status IN ('sent','partially_paid') AND (?2 IS NULL OR status = ?2)
               AND due_date < ?1 AND balance_minor > 0",
        )?
        .query_row(params![today.to_string(), status], |r| r.get(0))
    };
    Ok(Some(match f.status.as_deref() {
        None => stored(None)?,
        Some("overdue") => overdue(None)?,
        Some(s @ ("sent" | "partially_paid")) => stored(Some(s))? - overdue(Some(s))?,
        Some(s) => stored(Some(s))?,
    }))
}

/// The count and page queries of [`list`], with their parameters. `dense`:
/// the project kinds match most invoices, so the page does not seek them by
/// their index.
fn list_sql(f: &InvoiceFilter, today: NaiveDate, dense: bool) -> (String, String, Vec<crate::sql::Value>) {
    let (where_sql, args) = list_where(f, today, dense);
    let dir = if f.descending { "DESC" } else { "ASC" };
    let order = match f.sort {
        SortKey::Number => format!("i.number {dir}"),
        SortKey::IssueDate => format!("i.issue_date {dir}, i.id {dir}"),
        SortKey::DueDate => format!("i.due_date {dir}, i.id {dir}"),
        SortKey::Total => format!("i.total_minor {dir}, i.id {dir}"),
    };
    let per_page = f.per_page.clamp(1, 500);
    let offset = page_offset(f);
    let count_sql = format!("SELECT count(*) FROM invoices i {where_sql}");
    // The page's ids first, from the indexes alone (a late page skips index
    // entries, not invoice rows joined to their clients), then those rows.
    let sql = format!(
        "SELECT {COLS}, cl.name FROM invoices i JOIN clients cl ON cl.id = i.client_id
         WHERE i.id IN (SELECT i.id FROM invoices i {where_sql} ORDER BY {order} LIMIT {per_page} OFFSET {offset})
         ORDER BY {order}"
    );
    (count_sql, sql, args)
}

/// The WHERE clause of [`list_sql`] (empty for no filter), with its
/// parameters.
fn list_where(f: &InvoiceFilter, today: NaiveDate, dense: bool) -> (String, Vec<crate::sql::Value>) {
    let mut w = Where::default();
    let overdue = "i.status IN ('sent','partially_paid') AND i.due_date < ? AND i.balance_minor > 0";
    match f.status.as_deref() {
        None => {}
        Some("overdue") => w.bind(overdue, today.to_string()),
        Some(s @ ("sent" | "partially_paid")) => {
            w.bind("i.status = ?", s.to_string());
            w.bind(&format!("NOT ({overdue})"), today.to_string());
        }
        Some(s) => w.bind("i.status = ?", s.to_string()),
    }
    if let Some(v) = f.client_id {
        w.bind("i.client_id = ?", v);
    }
    if let Some(v) = f.project_id {
        w.bind("i.project_id = ?", v);
    }
    if let Some(v) = f.from {
        w.bind("i.issue_date >= ?", v.to_string());
    }
    if let Some(v) = f.to {
        w.bind("i.issue_date <= ?", v.to_string());
    }
    let search = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = search {
        // The clients whose name matches are found once (the subquery is not
        // correlated), so neither the count nor the page joins the clients.
        w.bind(
            "(i.number LIKE ? ESCAPE '\\' OR i.client_id IN (SELECT id FROM clients WHERE name LIKE ? ESCAPE '\\'))",
            format!("%{}%", escape_like(s)),
        );
    }
    if let Some(ids) = &f.ids {
        w.ids("i.id", ids);
    }
    if f.project_kinds.0 != 0 {
        let column = if dense { "+i.project_kinds" } else { "i.project_kinds" };
        w.raw(format!("{column} IN ({})", f.project_kinds.list()));
    }
    if let Some(b) = &f.budget {
        // Read in the sort order's index, an invoice's projects are looked
        // up by the invoice; otherwise the invoices of the shorter list of
        // projects are collected first.
        let sql = if dense { budget_sql_by_invoice(b) } else { budget_sql(b) };
        if let Some(sql) = sql {
            w.raw(sql);
        }
    }
    (w.sql(), w.args)
}

/// A page of a filter by projects (kinds or budget) that SQLite would
/// otherwise sort with every row before it (its sorter keeps offset + page
/// rows): the matching invoices' ids and sort keys are read without an
/// order, sorted here in the order the page asks (the key, then the id;
/// text byte-wise, as SQLite's BINARY and PostgreSQL's "C" compare), and
/// only the page's rows are then read.
fn page_sorted_here(c: &Tx, f: &InvoiceFilter, today: NaiveDate) -> StoreResult<Vec<InvoiceRow>> {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Key {
        Text(String),
        Int(i64),
    }
    let key = match f.sort {
        SortKey::Number => "i.number",
        SortKey::IssueDate => "i.issue_date",
        SortKey::DueDate => "i.due_date",
        SortKey::Total => "i.total_minor",
    };
    let (sql, args) = match f.budget.as_ref().and_then(budget_links) {
        // The invoices of the shorter list of projects, read from their
        // links one invoice row each (SQLite's CROSS JOIN keeps the links
        // outside), not collected into a list first; an invoice of several
        // of them comes more than once and is kept once below.
        Some((projects, rest)) => {
            let (where_sql, args) = list_where(&InvoiceFilter { budget: None, ..f.clone() }, today, false);
            let mut cond = vec![format!("i.id = ip.invoice_id AND ip.project_id IN ({})", id_list(projects))];
            cond.extend(where_sql.strip_prefix("WHERE ").map(str::to_string));
            cond.extend(rest);
            let sql = format!(
                "SELECT i.id, {key} FROM invoice_projects ip CROSS JOIN invoices i WHERE {}",
                cond.join(" AND ")
            );
            (sql, args)
        }
        None => {
            let (where_sql, args) = list_where(f, today, false);
            (format!("SELECT i.id, {key} FROM invoices i {where_sql}"), args)
        }
    };
    let text = f.sort != SortKey::Total;
    let mut st = c.prepare(&sql)?;
    let rows = st.query_map(params_from_iter(args.iter()), |r| {
        let id: i64 = r.get(0)?;
        Ok((if text { Key::Text(r.get(1)?) } else { Key::Int(r.get(1)?) }, id))
    })?;
    let mut keys: Vec<(Key, i64)> = rows.collect::<Result<_, _>>()?;
    if f.descending {
        keys.sort_unstable_by(|a, b| b.cmp(a));
    } else {
        keys.sort_unstable();
    }
    keys.dedup();
    let per_page = usize::try_from(f.per_page.clamp(1, 500)).unwrap_or(1);
    let offset = usize::try_from(page_offset(f)).unwrap_or(usize::MAX);
    let ids: Vec<i64> = keys.iter().skip(offset).take(per_page).map(|(_, id)| *id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut st = c.prepare(&format!(
        "SELECT {COLS}, cl.name FROM invoices i JOIN clients cl ON cl.id = i.client_id WHERE i.id IN ({})",
        id_list(&ids)
    ))?;
    let rows = st.query_map([], |r| Ok(InvoiceRow { invoice: header_row(r)?, client_name: r.get(COLS_COUNT)? }))?;
    let mut found: HashMap<i64, InvoiceRow> = HashMap::new();
    for row in rows {
        let row = row?;
        found.insert(row.invoice.id, row);
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// How many rows the page skips.
fn page_offset(f: &InvoiceFilter) -> i64 {
    f.skip.map_or_else(
        || i64::from(f.page.max(1) - 1) * i64::from(f.per_page.clamp(1, 500)),
        |n| i64::try_from(n).unwrap_or(i64::MAX),
    )
}

/// How many invoices a filter by budget keeps, from the invoice counts kept
/// per project and status (migration 0025) — when the filter asks nothing
/// else than a stored status and, at most, hourly projects (`None` for any
/// other filter, which is then counted from the invoices).
///
/// An invoice of one project is counted by its project's row. The invoices
/// of several projects (few, `project_count > 1`, their own index) are
/// looked up one by one: each is counted once, however many of the set it
/// bills. Every invoice billing a project over its budget bills one with a
/// budget, and all over-budget projects are hourly, so those within are the
/// invoices the kinds keep, less those over.
fn budget_count(c: &Tx, f: &InvoiceFilter) -> StoreResult<Option<i64>> {
    let Some(b) = &f.budget else { return Ok(None) };
    if narrowed_by_client_date_or_search(f) {
        return Ok(None);
    }
    if f.ids.is_some() || f.project_kinds.0 & !(ProjectKinds::WITH_BUDGET | ProjectKinds::HOURLY) != 0 {
        return Ok(None);
    }
    let status = match f.status.as_deref() {
        Some("overdue" | "sent" | "partially_paid") => return Ok(None),
        s => s,
    };
    let over = &b.over_projects;
    let (single_links, multi_over, multi_over_kept) = if over.is_empty() {
        (0, 0, 0)
    } else {
        let ids = id_list(over);
        let links: i64 = c
            .prepare(&format!(
                "SELECT COALESCE(SUM(invoices), 0) FROM project_invoice_counts
                 WHERE project_id IN ({ids}) AND (?1 IS NULL OR status = ?1)"
            ))?
            .query_row([status], |r| r.get(0))?;
        // Each invoice of several projects: how many of the set it bills,
        // and whether the kinds keep it.
        let mut st = c.prepare(&format!(
            "SELECT (SELECT count(*) FROM invoice_projects ip WHERE ip.invoice_id = i.id AND +ip.project_id IN ({ids})),
                    i.project_kinds IN ({})
             FROM invoices i INDEXED BY invoices_multi_project
             WHERE i.project_count > 1 AND (?1 IS NULL OR i.status = ?1)",
            f.project_kinds.list()
        ))?;
        let rows = st.query_map([status], |r| Ok((r.get::<i64>(0)?, r.get::<bool>(1)?)))?;
        let (mut multi_links, mut multi, mut multi_kept) = (0, 0, 0);
        for row in rows {
            let (n, kept) = row?;
            multi_links += n;
            if n > 0 {
                multi += 1;
                multi_kept += i64::from(kept);
            }
        }
        (links - multi_links, multi, multi_kept)
    };
    if b.over {
        return Ok(Some(single_links + multi_over));
    }
    let kept: i64 = c
        .prepare(&format!(
            "SELECT count(*) FROM invoices WHERE project_kinds IN ({}) AND (?1 IS NULL OR status = ?1)",
            f.project_kinds.list()
        ))?
        .query_row([status], |r| r.get(0))?;
    Ok(Some(kept - single_links - multi_over_kept))
}

/// [`budget_sql`] for a page read in the sort order's index: each invoice's
/// projects are looked up by the invoice (a few rows), against the projects
/// over their budget.
fn budget_sql_by_invoice(b: &BudgetFilter) -> Option<String> {
    let bills_over = || {
        format!(
            "EXISTS (SELECT 1 FROM invoice_projects ip WHERE ip.invoice_id = i.id AND +ip.project_id IN ({}))",
            id_list(&b.over_projects)
        )
    };
    let with_budget = format!("+i.project_kinds IN ({})", ProjectKinds(ProjectKinds::WITH_BUDGET).list());
    Some(match (b.over, b.over_projects.is_empty(), b.within_projects.is_empty()) {
        (true, true, _) => "0".into(),
        (true, false, true) => with_budget,
        (true, false, false) => bills_over(),
        (false, true, _) => return None,
        (false, false, true) => "0".into(),
        (false, false, false) => format!("{with_budget} AND NOT {}", bills_over()),
    })
}

/// The condition of a [`BudgetFilter`] (none when it keeps every invoice the
/// kinds keep), from the shorter of its two lists.
fn budget_sql(b: &BudgetFilter) -> Option<String> {
    budget_sql_from(b, b.over_projects.len() > b.within_projects.len())
}

/// For a page sorted here: the projects whose invoice links hold every
/// invoice the filter keeps, and what else those invoices must meet — when
/// [`budget_sql`] reads the invoices of a list of projects (`IN`), not when
/// it leaves out those of a list (`NOT IN`).
fn budget_links(b: &BudgetFilter) -> Option<(&[i64], Option<String>)> {
    let (over, within) = (&b.over_projects, &b.within_projects);
    let from_within = over.len() > within.len();
    match (b.over, over.is_empty(), within.is_empty(), from_within) {
        (true, false, false, false) => Some((over, None)),
        (false, false, false, true) => {
            Some((within, Some(format!("(i.project_count = 1 OR NOT {})", bills_any_sql(over)))))
        }
        _ => None,
    }
}

/// Whether invoice `i` bills any of these projects.
fn bills_any_sql(ids: &[i64]) -> String {
    format!(
        "EXISTS (SELECT 1 FROM invoice_projects ip2 WHERE ip2.invoice_id = i.id AND ip2.project_id IN ({}))",
        id_list(ids)
    )
}

/// [`budget_sql`] looking the invoices up among those of the projects over
/// their budget, or (`from_within`) among those of the projects within it.
fn budget_sql_from(b: &BudgetFilter, from_within: bool) -> Option<String> {
    let of = |ids: &[i64]| format!("SELECT invoice_id FROM invoice_projects WHERE project_id IN ({})", id_list(ids));
    let bills = |ids: &[i64]| {
        format!(
            "EXISTS (SELECT 1 FROM invoice_projects ip WHERE ip.invoice_id = i.id AND ip.project_id IN ({}))",
            id_list(ids)
        )
    };
    let (over, within) = (&b.over_projects, &b.within_projects);
    let with_budget = format!("i.project_kinds IN ({})", ProjectKinds(ProjectKinds::WITH_BUDGET).list());
    Some(match (b.over, over.is_empty(), within.is_empty(), from_within) {
        (true, true, _, _) => "0".into(),
        (true, false, true, _) => with_budget,
        (true, false, false, false) => format!("i.id IN ({})", of(over)),
        (true, false, false, true) => {
            format!("{with_budget} AND (i.id NOT IN ({}) OR (i.project_count > 1 AND {}))", of(within), bills(over))
        }
        (false, true, _, _) => return None,
        (false, false, true, _) => "0".into(),
        (false, false, false, false) => format!("{with_budget} AND i.id NOT IN ({})", of(over)),
        (false, false, false, true) => {
            format!("i.id IN ({}) AND (i.project_count = 1 OR NOT {})", of(within), bills(over))
        }
    })
}

/// The stored status of an invoice, for quick checks.
pub fn status(c: &Tx, id: i64) -> StoreResult<Option<InvoiceStatus>> {
    c.query_row("SELECT status FROM invoices WHERE id = ?1", [id], |r| parsed(r, 0)).optional()
}

/// The number `take_counter` would hand out next, without taking it.
pub fn peek_counter(c: &Tx, series: &str, year: i32) -> StoreResult<u64> {
    let next: Option<i64> = c
        .query_row("SELECT next FROM number_counters WHERE series = ?1 AND year = ?2", params![series, year], |r| {
            r.get(0)
        })
        .optional()?;
    let n = next.unwrap_or(1);
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("counter {series}/{year} is {n}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn plans(f: &InvoiceFilter) -> (String, String) {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        let (count_sql, sql, args) = list_sql(f, "2026-11-20".parse().unwrap(), false);
        let plan = |sql: &str| -> String {
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let rows = st.query_map(params_from_iter(args.iter()), |r| r.get::<String>(3)).unwrap();
            rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
        };
        (plan(&count_sql), plan(&sql))
    }

    fn filter(status: Option<&str>, client: Option<i64>, sort: SortKey) -> InvoiceFilter {
        InvoiceFilter {
            status: status.map(Into::into),
            client_id: client,
            sort,
            descending: true,
            page: 1,
            per_page: 50,
            ..Default::default()
        }
    }

    /// The plan of the page's id subquery alone (the rows of the page are
    /// then read by id and their 25 or 50 sorted).
    fn page_ids(plan: &str) -> String {
        let start = plan.find("SUBQUERY").unwrap_or_else(|| panic!("the page's ids come from a subquery: {plan}"));
        let rest = &plan[start..];
        rest[..rest.find("SEARCH cl").unwrap_or(rest.len())].to_string()
    }

    /// Both ways of finding the invoices of projects over (or within) their
    /// budget give the same invoices, for every split of the projects with a
    /// budget, on invoices of one and of several projects.
    #[test]
    fn the_budget_filter_finds_the_same_invoices_from_either_list() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        c.execute_batch(
            "INSERT INTO members (id, name) VALUES (2, 'Ana');
             INSERT INTO clients (id, name) VALUES (1, 'Acme');
             INSERT INTO projects (id, client_id, name, billing_type, budget) VALUES
                 (1, 1, 'A', 'hourly', '100'), (2, 1, 'B', 'hourly', '100'), (3, 1, 'C', 'hourly', '100'),
                 (4, 1, 'D', 'fixed_price', '900'), (5, 1, 'E', 'hourly', NULL);",
        )
        .unwrap();
        // Invoice n bills the projects of the bits of n (1..31): one, two or more.
        for n in 1..32i64 {
            c.execute(
                "INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, tax_mode, created_at,
                                       updated_at)
                 VALUES (?1, 'I-' || ?1, 1, '2026-01-31', '2026-02-14', 'EUR', 'summary', 0, 0)",
                [n],
            )
            .unwrap();
            c.execute(
                "INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, rate, amount_minor)
                 VALUES (?1, ?1, 1, 'Work', '1', '100', 10000)",
                [n],
            )
            .unwrap();
            for p in 1..=5i64 {
                if n & (1 << (p - 1)) != 0 {
                    c.execute(
                        "INSERT INTO time_entries (member_id, client_id, project_id, work_date, seconds, billable,
                                                   invoice_id, invoice_line_id, created_at)
                         VALUES (2, 1, ?1, '2026-01-05', 3600, 1, ?2, ?2, 0)",
                        [p, n],
                    )
                    .unwrap();
                }
            }
        }
        let ids = |cond: Option<String>| -> Vec<i64> {
            let sql = format!(
                "SELECT i.id FROM invoices i WHERE i.project_kinds IN ({}) AND {} ORDER BY 1",
                ProjectKinds(ProjectKinds::WITH_BUDGET).list(),
                cond.unwrap_or_else(|| "1".into())
            );
            let mut st = c.prepare(&sql).unwrap();
            st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
        };
        let budgeted = [1i64, 2, 3, 4];
        for split in 0..8u8 {
            // Projects 1-3 over by the bits of split; 4 (a fixed fee) within.
            let over: Vec<i64> = budgeted.iter().copied().filter(|p| *p < 4 && split & (1 << (p - 1)) != 0).collect();
            let within: Vec<i64> = budgeted.iter().copied().filter(|p| !over.contains(p)).collect();
            for wants_over in [true, false] {
                let b = BudgetFilter { over: wants_over, over_projects: over.clone(), within_projects: within.clone() };
                let expected: Vec<i64> = (1..32i64)
                    .filter(|n| {
                        let bills = |p: &i64| n & (1 << (p - 1)) != 0;
                        let budget = budgeted.iter().any(bills);
                        let any_over = over.iter().any(bills);
                        budget && if wants_over { any_over } else { !any_over }
                    })
                    .collect();
                assert_eq!(ids(budget_sql_from(&b, false)), expected, "{split} over {wants_over}, from those over");
                assert_eq!(ids(budget_sql_from(&b, true)), expected, "{split} over {wants_over}, from those within");
                assert_eq!(ids(budget_sql_by_invoice(&b)), expected, "{split} over {wants_over}, by invoice");
            }
        }
    }

    /// The invoice counts kept per project and status equal the invoices'
    /// links counted now.
    fn project_counts_agree(c: &Tx) {
        let rows = |sql: &str| -> Vec<(i64, String, i64)> {
            let mut st = c.prepare(sql).unwrap();
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
        };
        let kept =
            rows("SELECT project_id, status, invoices FROM project_invoice_counts WHERE invoices > 0 ORDER BY 1, 2");
        let truth = rows(
            "SELECT ip.project_id, i.status, count(*) FROM invoice_projects ip JOIN invoices i ON i.id = ip.invoice_id
             GROUP BY 1, 2 ORDER BY 1, 2",
        );
        assert_eq!(kept, truth, "the invoices of each project, per status");
    }

    /// A list filtered by budget counts and pages exactly what its filter
    /// keeps, for every status and every split of the projects, page by page
    /// from either end; the counts per project follow status changes and
    /// deleted invoices.
    #[test]
    fn the_budget_filter_counts_and_pages_what_it_keeps() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        c.execute_batch(
            "INSERT INTO members (id, name) VALUES (2, 'Ana');
             INSERT INTO clients (id, name) VALUES (1, 'Acme');
             INSERT INTO projects (id, client_id, name, billing_type, budget) VALUES
                 (1, 1, 'A', 'hourly', '100'), (2, 1, 'B', 'hourly', '100'), (3, 1, 'C', 'hourly', '100'),
                 (4, 1, 'D', 'fixed_price', '900'), (5, 1, 'E', 'hourly', NULL);",
        )
        .unwrap();
        // Invoice n bills the projects of the bits of n % 32; statuses vary.
        let statuses = ["draft", "sent", "paid", "cancelled"];
        for n in 1..80i64 {
            let status = statuses[usize::try_from(n % 4).unwrap()];
            c.execute(
                "INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, tax_mode, created_at,
                                       updated_at, status)
                 VALUES (?1, 'I-' || ?1, 1, '2026-01-' || printf('%02d', 1 + ?1 % 28), '2099-02-14', 'EUR', 'summary',
                         0, 0, 'draft')",
                [n],
            )
            .unwrap();
            c.execute(
                "INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, rate, amount_minor)
                 VALUES (?1, ?1, 1, 'Work', '1', '100', 10000)",
                [n],
            )
            .unwrap();
            for p in 1..=5i64 {
                if (n % 32) & (1 << (p - 1)) != 0 {
                    c.execute(
                        "INSERT INTO time_entries (member_id, client_id, project_id, work_date, seconds, billable,
                                                   invoice_id, invoice_line_id, created_at)
                         VALUES (2, 1, ?1, '2026-01-05', 3600, 1, ?2, ?2, 0)",
                        [p, n],
                    )
                    .unwrap();
                }
            }
            c.execute("UPDATE invoices SET status = ?2 WHERE id = ?1", crate::params![n, status]).unwrap();
        }
        project_counts_agree(c);
        // A status changes back and forth, an invoice and its time go.
        c.execute_batch(
            "UPDATE invoices SET status = 'paid' WHERE id IN (7, 14, 21);
             UPDATE invoices SET status = 'sent' WHERE id = 14;
             UPDATE time_entries SET invoice_id = NULL, invoice_line_id = NULL WHERE invoice_id = 31;
             DELETE FROM invoice_lines WHERE invoice_id = 31;
             DELETE FROM invoices WHERE id = 31;
             DELETE FROM time_entries WHERE invoice_id = 63;
             DELETE FROM invoice_lines WHERE invoice_id = 63;
             DELETE FROM invoices WHERE id = 63;",
        )
        .unwrap();
        project_counts_agree(c);
        let today: NaiveDate = "2026-03-01".parse().unwrap();
        let truth = |status: Option<&str>, b: &BudgetFilter| -> Vec<i64> {
            let mut st = c
                .prepare(
                    "SELECT i.id, i.status, (SELECT group_concat(project_id) FROM invoice_projects WHERE invoice_id = i.id)
                     FROM invoices i ORDER BY i.issue_date DESC, i.id DESC",
                )
                .unwrap();
            let rows =
                st.query_map([], |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<Option<String>>(2)?))).unwrap();
            rows.map(Result::unwrap)
                .filter(|(_, s, _)| status.is_none_or(|want| want == s))
                .filter(|(_, _, projects)| {
                    let projects: Vec<i64> =
                        projects.as_deref().unwrap_or("").split(',').filter_map(|p| p.parse().ok()).collect();
                    let budget = projects.iter().any(|p| (1..=4).contains(p));
                    let any_over = projects.iter().any(|p| b.over_projects.contains(p));
                    budget && if b.over { any_over } else { !any_over }
                })
                .map(|(id, _, _)| id)
                .collect()
        };
        for split in 0..8u8 {
            let over: Vec<i64> = (1..4i64).filter(|p| split & (1 << (p - 1)) != 0).collect();
            let within: Vec<i64> = (1..5i64).filter(|p| !over.contains(p)).collect();
            for wants_over in [true, false] {
                let b = BudgetFilter { over: wants_over, over_projects: over.clone(), within_projects: within.clone() };
                for status in [None, Some("draft"), Some("paid"), Some("cancelled"), Some("sent")] {
                    let expected = truth(status, &b);
                    let mut f = InvoiceFilter {
                        status: status.map(Into::into),
                        project_kinds: ProjectKinds(ProjectKinds::WITH_BUDGET),
                        budget: Some(b.clone()),
                        sort: SortKey::IssueDate,
                        descending: true,
                        page: 1,
                        per_page: 4,
                        ..Default::default()
                    };
                    if status != Some("sent") {
                        let quick = budget_count(c, &f).unwrap();
                        assert_eq!(
                            quick,
                            Some(i64::try_from(expected.len()).unwrap()),
                            "{split} {wants_over} {status:?}"
                        );
                    }
                    let mut seen = Vec::new();
                    loop {
                        let (rows, total) = list(c, &f, today).unwrap();
                        assert_eq!(total, u64::try_from(expected.len()).unwrap(), "{split} {wants_over} {status:?}");
                        if rows.is_empty() {
                            break;
                        }
                        seen.extend(rows.iter().map(|r| r.invoice.id));
                        f.page += 1;
                    }
                    assert_eq!(seen, expected, "the pages of {split} over {wants_over} {status:?}");
                    // A page sorted here is the page SQLite sorts, in every
                    // order (ties of date, due date and total broken by id).
                    for sort in [SortKey::Number, SortKey::IssueDate, SortKey::DueDate, SortKey::Total] {
                        for (descending, page) in [false, true].into_iter().flat_map(|d| (1..=4).map(move |p| (d, p))) {
                            let g = InvoiceFilter { sort, descending, page, per_page: 7, ..f.clone() };
                            let (_, sql, args) = list_sql(&g, today, false);
                            let mut st = c.prepare(&sql).unwrap();
                            let by_sqlite: Vec<i64> = st
                                .query_map(params_from_iter(args.iter()), |r| r.get(0))
                                .unwrap()
                                .map(Result::unwrap)
                                .collect();
                            let here: Vec<i64> =
                                page_sorted_here(c, &g, today).unwrap().iter().map(|r| r.invoice.id).collect();
                            assert_eq!(here, by_sqlite, "{split} {wants_over} {status:?} {sort:?} {descending} {page}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_page_of_invoices_by_status_reads_an_index_in_order() {
        for (status, sort, index) in [
            ("paid", SortKey::IssueDate, "invoices_status_date"),
            ("paid", SortKey::Total, "invoices_status_total"),
            ("overdue", SortKey::DueDate, "invoices_due_open"),
        ] {
            let (count, page) = plans(&filter(Some(status), None, sort));
            let ids = page_ids(&page);
            assert!(ids.contains(&format!("INDEX {index}")), "{status} {sort:?}: {page}");
            assert!(!ids.contains("TEMP B-TREE"), "{status} {sort:?} sorts every match: {page}");
            assert!(count.contains("COVERING INDEX") || count.contains("USING INDEX"), "{status}: {count}");
            assert!(!count.contains("cl"), "the count does not visit clients: {count}");
        }
    }

    #[test]
    fn a_page_of_one_clients_invoices_reads_the_client_index() {
        for sort in [SortKey::IssueDate, SortKey::Number, SortKey::Total] {
            let (count, page) = plans(&filter(Some("paid"), Some(7), sort));
            assert!(page_ids(&page).contains("INDEX invoices_client_status"), "{sort:?}: {page}");
            assert!(count.contains("invoices_client_status"), "{count}");
        }
    }
    #[test]
    fn counts_kept_per_status_equal_counting_the_invoices() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        c.execute_batch("INSERT INTO clients (id, name) VALUES (1, 'Acme'), (2, 'Globex');").unwrap();
        let statuses = ["draft", "sent", "partially_paid", "paid", "cancelled"];
        let mut rng = fastrand::Rng::with_seed(3);
        let mut ids: Vec<i64> = Vec::new();
        let slow = |f: &InvoiceFilter, today: NaiveDate| -> i64 {
            let (count_sql, _, args) = list_sql(f, today, false);
            c.query_row(&count_sql, params_from_iter(args.iter()), |r| r.get(0)).unwrap()
        };
        for step in 0..1_500 {
            match if ids.is_empty() { 0 } else { rng.usize(..4) } {
                0 | 1 => {
                    let n = format!("A-{step}");
                    let due = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(rng.i64(0..120));
                    let id = c
                        .insert(
                            "INSERT INTO invoices (number, client_id, issue_date, due_date, currency, tax_mode, status,
                                balance_minor, created_at, updated_at)
                             VALUES (?1, ?2, '2026-01-01', ?3, 'EUR', 'summary', ?4, ?5, 0, 0)",
                            params![n, rng.i64(1..=2), due.to_string(), statuses[rng.usize(..5)], rng.i64(0..3) * 100],
                        )
                        .unwrap();
                    ids.push(id);
                }
                2 => {
                    let id = ids[rng.usize(..ids.len())];
                    let status = statuses[rng.usize(..5)];
                    c.execute(
                        "UPDATE invoices SET status = ?2, balance_minor = ?3 WHERE id = ?1",
                        params![id, status, 0],
                    )
                    .unwrap();
                }
                _ => {
                    let id = ids.swap_remove(rng.usize(..ids.len()));
                    delete_invoice(c, id).unwrap();
                }
            }
            if step % 250 != 249 {
                continue;
            }
            for today in ["2026-01-15", "2026-03-01", "2026-06-01"] {
                let today: NaiveDate = today.parse().unwrap();
                for status in [
                    None,
                    Some("draft"),
                    Some("sent"),
                    Some("partially_paid"),
                    Some("paid"),
                    Some("cancelled"),
                    Some("overdue"),
                ] {
                    let f =
                        InvoiceFilter { status: status.map(Into::into), page: 1, per_page: 50, ..Default::default() };
                    let quick = quick_count(c, &f, today).unwrap().expect("a status alone is counted quickly");
                    assert_eq!(quick, slow(&f, today), "step {step}, {status:?} on {today}");
                    assert_eq!(list(c, &f, today).unwrap().1, u64::try_from(quick).unwrap());
                }
            }
        }
        let f = InvoiceFilter { status: Some("paid".into()), client_id: Some(1), ..Default::default() };
        assert_eq!(quick_count(c, &f, "2026-03-01".parse().unwrap()).unwrap(), None, "other filters count rows");
        let mut st = c
            .prepare(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM invoices
                 WHERE status IN ('sent','partially_paid') AND (?2 IS NULL OR status = ?2)
                   AND due_date < ?1 AND balance_minor > 0",
            )
            .unwrap();
        let plan: Vec<String> =
            st.query_map(params!["2026-03-01", "sent"], |r| r.get(3)).unwrap().map(Result::unwrap).collect();
        assert!(plan.iter().any(|p| p.contains("COVERING INDEX invoices_open_balance")), "{plan:?}");
    }
}
