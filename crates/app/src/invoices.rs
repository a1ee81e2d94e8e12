//! Invoices: create (by hand or from time), edit drafts, issue, cancel,
//! delete, clone, list and bulk actions.

use billable_core::billing::{group_entries, Grouping};
use billable_core::early_payment::EarlyDiscount;
use billable_core::model::{ActivityFacts, BillingType, Business, Client, Invoice, InvoiceLine};
use billable_core::money::{parse_decimal, Money};
use billable_core::numbering::{validate_custom_number, NumberPattern};
use billable_core::status::{check_manual_status, display_status, ensure_deletable, ensure_editable, InvoiceStatus};
use billable_core::tax::{Pricing, TaxMode, TaxRate};
use billable_core::totals::{totals, Discount, Draft, DraftLine, Totals};
use billable_core::Currency;
use billable_store::catalog as cat;
use billable_store::invoices::{self as db, InvoiceFilter, SortKey};
use billable_store::time::{self as tdb, EntryFilter, Gate};
use billable_store::{credit_notes as cdb, payments as pdb, Tx};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::approval::unapproved;
use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::parse;
use crate::time::billable_entry;
use crate::views::{
    EarlyDiscountTerms, FromTimeCreated, FromTimeOutcome, InvoiceListRow, InvoicePage, InvoicePreview, InvoiceView,
    PreviewLine,
};
use crate::Billable;

pub(crate) const SERIES: &str = "invoice";
pub(crate) const MAX_LINES: usize = 5_000;

/// A line typed by a person. When editing, `None` leaves a field unchanged.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct LineInput {
    /// A saved item, by name (any case) or id: the line takes its
    /// description, details, unit, rate and tax rate; every other field given
    /// here wins over the item's (the rule: `invoices::with_item`).
    pub item: Option<String>,
    pub description: Option<String>,
    /// More detail printed under the description (several lines allowed);
    /// empty removes it.
    pub long_description: Option<String>,
    pub quantity: Option<String>,
    pub unit: Option<String>,
    pub rate: Option<String>,
    /// "none", "10%" or a fixed amount.
    pub discount: Option<String>,
    /// Inline mode: a tax rate id; empty or "none" for no tax.
    pub tax_rate_id: Option<String>,
}

/// Header fields of a draft. `None` leaves a field unchanged.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct HeaderInput {
    pub issue_date: Option<String>,
    pub due_date: Option<String>,
    pub currency: Option<String>,
    pub tax_mode: Option<String>,
    /// "gross": the rates entered include tax; "net": tax is added on top.
    /// A new invoice takes its client's default (net when it has none).
    pub pricing: Option<String>,
    /// Summary mode: the invoice-level tax rates, by id.
    pub tax_rate_ids: Option<Vec<i64>>,
    pub discount: Option<String>,
    pub adjustment: Option<String>,
    pub adjustment_description: Option<String>,
    pub notes: Option<String>,
    pub terms: Option<String>,
    pub po_number: Option<String>,
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    /// `Some(None)` detaches the project.
    pub project_id: Option<Option<i64>>,
    /// PDF template (classic, minimal, detailed); empty: the business default.
    pub template: Option<String>,
    /// Locale of the document (e.g. de-DE); empty: the business default.
    pub locale: Option<String>,
    /// The early-payment discount (Skonto), e.g. `2%/10`: 2 % off the total
    /// when paid within 10 days of the issue date; empty: none.
    pub early_discount: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct InvoiceInput {
    pub client_id: i64,
    /// A custom number; the numbering pattern is used when absent.
    pub number: Option<String>,
    #[serde(flatten)]
    pub header: HeaderInput,
    pub lines: Vec<LineInput>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct FromTimeInput {
    pub client_id: i64,
    /// Bill exactly these entries…
    pub entry_ids: Option<Vec<i64>>,
    /// …or every unbilled billable entry matching these filters.
    pub project_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub grouping: Option<String>,
    /// Compute the lines and totals without creating anything.
    pub preview: bool,
    pub number: Option<String>,
    /// Bill exactly these unbilled billable expenses (an empty list: none)…
    /// or, when absent and no entries are chosen, every unbilled billable
    /// expense of the client in the invoice's currency matching the project
    /// and dates (`invoices::expense_lines`).
    pub expense_ids: Option<Vec<i64>>,
    #[serde(flatten)]
    pub header: HeaderInput,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct CloneInput {
    pub client_id: Option<i64>,
    pub issue_date: Option<String>,
    pub due_date: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct InvoiceListInput {
    pub status: Option<String>,
    pub client_id: Option<i64>,
    pub project_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub search: Option<String>,
    /// Only invoices billing a project of this billing type: hourly,
    /// fixed_price or retainer.
    pub billing_type: Option<String>,
    /// Only invoices billing a project whose budget is `over` (invoiced
    /// more than it), `within` it, or that has `none`.
    pub budget: Option<String>,
    pub sort: Option<String>,
    pub descending: bool,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Where a project stands against its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BudgetState {
    Over,
    Within,
    None,
}

impl std::str::FromStr for BudgetState {
    type Err = AppError;
    fn from_str(s: &str) -> AppResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "over" => Ok(BudgetState::Over),
            "within" | "under" => Ok(BudgetState::Within),
            "none" => Ok(BudgetState::None),
            other => {
                Err(AppError::invalid("budget", format!("'{other}' is not a budget filter; use over, within or none")))
            }
        }
    }
}

/// What the invoice list's filters by billing type and budget ask of the
/// store: the kinds of project an invoice must bill, and where the projects
/// with a budget stand.
#[derive(Default)]
struct ProjectFilter {
    kinds: billable_store::invoices::ProjectKinds,
    budget: Option<billable_store::invoices::BudgetFilter>,
}

/// The invoice list's filters by the projects an invoice bills (by its
/// header or its time entries). By billing type: it bills a project of that
/// type. By budget: `over` when it bills an hourly project whose billable
/// time worked, at its rates, is worth more than its budget (the figure the
/// project's billing view shows against the budget); `within` when it bills
/// a project with a budget and none over it; `none` when it bills a project
/// without a budget. A fixed fee is never invoiced past and a retainer is
/// billed once a period, so those projects are always within their budget.
fn project_filter(tx: &Tx, billing_type: Option<&str>, budget: Option<&str>) -> AppResult<ProjectFilter> {
    use billable_store::invoices::ProjectKinds;
    let billing_type =
        billing_type.map(str::trim).filter(|s| !s.is_empty()).map(str::parse::<BillingType>).transpose()?;
    let budget = budget.map(str::trim).filter(|s| !s.is_empty()).map(str::parse::<BudgetState>).transpose()?;
    let mut f = ProjectFilter::default();
    if let Some(t) = billing_type {
        f.kinds.0 |= ProjectKinds::of(t);
    }
    match budget {
        None => return Ok(f),
        Some(BudgetState::None) => {
            f.kinds.0 |= ProjectKinds::WITHOUT_BUDGET;
            return Ok(f);
        }
        Some(BudgetState::Over | BudgetState::Within) => f.kinds.0 |= ProjectKinds::WITH_BUDGET,
    }
    let projects = cat::projects(tx, None, true)?;
    let hourly: Vec<(i64, Decimal)> = projects
        .iter()
        .filter(|p| p.billing_type == BillingType::Hourly)
        .filter_map(|p| p.budget.map(|b| (p.id, b)))
        .collect();
    // The values Billable keeps for these projects (any it does not are
    // priced now).
    let over: Vec<i64> = if hourly.is_empty() {
        Vec::new()
    } else {
        let worked = crate::reports::budget_worked_values(tx)?;
        hourly.iter().filter(|(id, budget)| worked.get(id).is_some_and(|v| v > budget)).map(|(id, _)| *id).collect()
    };
    let within: Vec<i64> =
        projects.iter().filter(|p| p.budget.is_some() && !over.contains(&p.id)).map(|p| p.id).collect();
    let wants_over = budget == Some(BudgetState::Over);
    // Only hourly projects are ever over.
    let over = if wants_over && billing_type.is_some_and(|t| t != BillingType::Hourly) { Vec::new() } else { over };
    f.budget =
        Some(billable_store::invoices::BudgetFilter { over: wants_over, over_projects: over, within_projects: within });
    Ok(f)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    MarkSent,
    MarkPaid,
    Delete,
}

impl std::str::FromStr for BulkAction {
    type Err = AppError;
    fn from_str(s: &str) -> AppResult<Self> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "mark_sent" => Ok(BulkAction::MarkSent),
            "mark_paid" => Ok(BulkAction::MarkPaid),
            "delete" => Ok(BulkAction::Delete),
            other => Err(AppError::invalid(
                "action",
                format!("'{other}' is not a bulk action; use mark-sent, mark-paid, send or delete"),
            )),
        }
    }
}

/// What a bulk action did to one invoice.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkResult {
    pub invoice: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<InvoiceStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::ErrorBody>,
}

// ---- helpers ---------------------------------------------------------------

/// An invoice by number, or by id when no invoice has that number.
pub(crate) fn resolve(tx: &Tx, key: &str) -> AppResult<Invoice> {
    let key = key.trim();
    if let Some(inv) = db::invoice_by_number(tx, key)? {
        return Ok(inv);
    }
    if let Ok(id) = key.parse::<i64>() {
        if let Some(inv) = db::invoice(tx, id)? {
            return Ok(inv);
        }
    }
    Err(AppError::not_found("invoice", key))
}

pub(crate) fn draft_of(inv: &Invoice, lines: &[InvoiceLine]) -> Draft {
    Draft {
        currency: inv.currency,
        tax_mode: inv.tax_mode,
        lines: lines
            .iter()
            .map(|l| DraftLine {
                quantity: l.quantity,
                seconds: l.seconds,
                rate: l.rate,
                discount: l.discount,
                tax: l.tax.clone(),
            })
            .collect(),
        discount: inv.discount,
        taxes: inv.taxes.clone(),
        adjustment: inv.adjustment,
        amount_paid: inv.amount_paid,
        pricing: inv.pricing,
    }
}

/// Recomputes a draft's totals with the engine and stores them (lines and
/// header) in the caller's transaction. Errors name the offending field.
pub(crate) fn save_draft(tx: &Tx, inv: &mut Invoice, lines: &mut [InvoiceLine], now: i64) -> AppResult<Totals> {
    if lines.len() > MAX_LINES {
        return Err(AppError::invalid("lines", format!("an invoice holds at most {MAX_LINES} lines")));
    }
    let t = totals(&draft_of(inv, lines))?;
    for (l, lt) in lines.iter_mut().zip(&t.lines) {
        l.amount = lt.net;
    }
    crate::estimates::check_prepaid(inv, &t)?;
    set_header_totals(inv, &t);
    db::update_invoice(tx, inv, now)?;
    db::park_line_positions(tx, inv.id)?;
    for (i, l) in lines.iter_mut().enumerate() {
        l.position = i as u32 + 1;
        db::update_line(tx, l, inv.currency)?;
    }
    Ok(t)
}

fn set_header_totals(inv: &mut Invoice, t: &Totals) {
    inv.subtotal = t.subtotal;
    inv.discount_amount = t.discount;
    inv.tax_total = t.tax_total;
    inv.total = t.total;
    inv.amount_paid = t.amount_paid;
    // A final invoice owes its total less the deposits it deducts.
    inv.balance_due = t.balance_due - inv.prepaid;
}

pub(crate) fn view(tx: &Tx, clock: &dyn Clock, id: i64) -> AppResult<InvoiceView> {
    let inv = db::invoice(tx, id)?.ok_or_else(|| AppError::not_found("invoice", id))?;
    let lines = db::lines(tx, id, inv.currency)?;
    let client = client_or_404(tx, inv.client_id)?;
    let mut t = totals(&draft_of(&inv, &lines))?;
    // An issued invoice shows what was frozen; payments move only the balance.
    t.amount_paid = inv.amount_paid;
    t.balance_due = inv.balance_due;
    let exchange_rate = billable_store::reports::exchange_rate(tx, id)?;
    let base = cat::business(tx)?.default_currency;
    let total_in_base = if inv.currency == base {
        Some(Money::new(t.total, base))
    } else {
        exchange_rate.map(|rate| Money::new(t.total * rate, base))
    };
    let early_discount_terms = inv.early_discount.map(|d| {
        let amount = d.amount(inv.total, inv.currency);
        let until = d.deadline(inv.issue_date);
        EarlyDiscountTerms {
            until,
            amount,
            payable: d.payable(inv.total, inv.balance_due, inv.currency),
            available: inv.status != InvoiceStatus::Cancelled
                && inv.balance_due > amount
                && inv.early_discount_taken.is_zero()
                && clock.today() <= until,
        }
    });
    let (from_estimate, deposits) = crate::estimates::invoice_links(tx, id)?;
    Ok(InvoiceView {
        from_estimate,
        deposits,
        client_credit: crate::client_payments::credit_left(tx, inv.client_id, inv.currency)?,
        early_discount_terms,
        display_status: display_status(inv.status, inv.due_date, clock.today(), inv.balance_due),
        client_name: client.name,
        payments: pdb::for_invoice(tx, id, inv.currency)?,
        credited: inv.currency.from_minor(cdb::credited_minor(tx, id)?),
        credit_notes: cdb::for_invoice(tx, id)?,
        refunds: cdb::refunds_for_invoice(tx, id, inv.currency)?,
        activity: db::activity(tx, id)?,
        exchange_rate,
        total_in_base,
        lines,
        totals: t,
        invoice: inv,
    })
}

/// What a line made from time says it is, in the invoice's language: what
/// was worked, when and how long, e.g. "Mobile app / Design — Mar 14 – Mar
/// 18, 8:30 h" (the hours as the quantity column shows them).
pub(crate) fn time_line_description(
    line: &billable_core::billing::TimeLine,
    locale: billable_core::presentation::Locale,
    currency: Currency,
) -> String {
    let period = match billable_docs::pdf::format::Formats::get(locale, currency) {
        Ok(f) => f.period(line.first_date, line.last_date),
        Err(_) if line.first_date == line.last_date => line.first_date.to_string(),
        Err(_) => format!("{} – {}", line.first_date, line.last_date),
    };
    format!("{} — {period}, {} h", line.description, billable_core::time::hours_minutes(line.seconds))
}

/// What a line billing an expense says, in the invoice's language:
/// "Expense: Train Berlin–Hamburg (Deutsche Bahn), 3 Dec 2026" — the note
/// (else the category), the vendor, the date.
pub(crate) fn expense_line_description(
    e: &billable_core::model::Expense,
    locale: billable_core::presentation::Locale,
    currency: Currency,
) -> String {
    let date = match billable_docs::pdf::format::Formats::get(locale, currency) {
        Ok(f) => f.date(e.date),
        Err(_) => e.date.to_string(),
    };
    let what = [e.note.as_str(), e.category.as_str()].into_iter().map(str::trim).find(|t| !t.is_empty());
    let label = if locale.tag().starts_with("de") { "Auslage" } else { "Expense" };
    let mut out = String::from(label);
    if let Some(w) = what {
        out.push_str(": ");
        out.push_str(w);
    }
    let vendor = e.vendor.trim();
    if !vendor.is_empty() {
        out.push_str(&format!(" ({vendor})"));
    }
    out.push_str(&format!(", {date}"));
    out
}

/// The unbilled billable expenses an invoice from time bills: the chosen
/// ones (each must be the client's, unbilled, billable and in the invoice's
/// currency), or — with none chosen and no entries chosen — every such
/// expense of the client matching the project and dates.
fn expenses_to_bill(
    tx: &Tx,
    i: &FromTimeInput,
    client: &Client,
    currency: Currency,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<Vec<billable_core::model::Expense>> {
    use billable_store::expenses::{expenses, ExpenseFilter};
    let base = ExpenseFilter {
        client_id: Some(client.id),
        billed: Some(false),
        billable: Some(true),
        currency: Some(currency),
        ..Default::default()
    };
    match (&i.expense_ids, &i.entry_ids) {
        (Some(ids), _) if ids.is_empty() => Ok(Vec::new()),
        (Some(ids), _) => {
            let found = expenses(tx, &ExpenseFilter { ids: Some(ids.clone()), ..base })?;
            let missing: Vec<String> =
                ids.iter().filter(|id| !found.iter().any(|e| e.id == **id)).map(|id| id.to_string()).collect();
            if !missing.is_empty() {
                return Err(AppError::invalid(
                    "expenses",
                    format!(
                        "expenses {} are not unbilled billable expenses of {} in {} (already billed, not billable, another client's or currency's, or missing)",
                        missing.join(", "),
                        client.name,
                        currency.code()
                    ),
                ));
            }
            Ok(found)
        }
        (None, Some(_)) => Ok(Vec::new()),
        (None, None) => Ok(expenses(tx, &ExpenseFilter { project_id: i.project_id, from, to, ..base })?),
    }
}

pub(crate) fn tax_snapshots(tx: &Tx, ids: &[i64], field: &str) -> AppResult<Vec<TaxRate>> {
    let mut out: Vec<TaxRate> = Vec::new();
    for id in ids {
        let def =
            cat::tax_rate(tx, *id)?.ok_or_else(|| AppError::invalid(field, format!("tax rate {id} does not exist")))?;
        if def.archived {
            return Err(AppError::invalid(field, format!("tax rate {} is archived", def.tax.name)));
        }
        if !out.iter().any(|t| t.same_group(&def.tax)) {
            out.push(def.tax);
        }
    }
    Ok(out)
}

fn line_tax(tx: &Tx, text: &str, field: &str) -> AppResult<Option<TaxRate>> {
    let t = text.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let id: i64 =
        t.parse().map_err(|_| AppError::invalid(field, format!("'{t}' is not the id of a tax rate in the books")))?;
    Ok(tax_snapshots(tx, &[id], field)?.pop())
}

/// The one rule for a line made from a saved item: the item's description
/// (its name when it has none), details, unit, rate and tax rate fill every
/// field the input leaves out; a field given on the line wins. An invoice
/// with summary taxes taxes every line with its own rates, so there the
/// item's tax rate is not put on the line. The line copies the values and
/// keeps no link: changing or deleting the item never changes an invoice.
pub(crate) fn with_item(tx: &Tx, i: &LineInput, idx: usize, mode: TaxMode) -> AppResult<LineInput> {
    let Some(key) = &i.item else { return Ok(i.clone()) };
    let field = format!("lines[{idx}].item");
    let item = crate::items::find(tx, &field, key)?;
    if item.archived {
        return Err(AppError::invalid(
            &field,
            format!("the saved item '{}' is archived; bring it back to use it on a line", item.name),
        ));
    }
    let or = |given: &Option<String>, from_item: String| Some(given.clone().unwrap_or(from_item));
    Ok(LineInput {
        item: None,
        description: or(&i.description, item.line_description().to_string()),
        long_description: or(&i.long_description, item.long_description.clone()),
        unit: or(&i.unit, item.unit.clone()),
        rate: or(&i.rate, item.rate.normalize().to_string()),
        tax_rate_id: match (&i.tax_rate_id, item.tax_rate_id, mode) {
            (Some(given), _, _) => Some(given.clone()),
            (None, Some(id), TaxMode::Inline) => Some(id.to_string()),
            (None, _, _) => None,
        },
        quantity: i.quantity.clone(),
        discount: i.discount.clone(),
    })
}

pub(crate) fn apply_line(tx: &Tx, l: &mut InvoiceLine, i: &LineInput, idx: usize) -> AppResult<()> {
    let f = |name: &str| format!("lines[{idx}].{name}");
    if let Some(v) = &i.description {
        l.description = parse::text(&f("description"), v)?;
        if l.description.is_empty() {
            return Err(AppError::invalid(&f("description"), "is required"));
        }
    }
    if let Some(v) = &i.long_description {
        l.long_description = parse::text(&f("long_description"), v)?.replace("\r\n", "\n");
    }
    if let Some(v) = &i.quantity {
        l.quantity = parse_decimal(&f("quantity"), v)?;
        // A quantity typed by hand replaces the tracked seconds.
        l.seconds = None;
    }
    if let Some(v) = &i.unit {
        l.unit = parse::text(&f("unit"), v)?;
    }
    if let Some(v) = &i.rate {
        l.rate = parse::rate(&f("rate"), v)?;
    }
    if let Some(v) = &i.discount {
        l.discount = Discount::parse(&f("discount"), v)?;
    }
    if let Some(v) = &i.tax_rate_id {
        l.tax = line_tax(tx, v, &f("tax"))?;
    }
    Ok(())
}

pub(crate) fn new_line(invoice_id: i64) -> InvoiceLine {
    InvoiceLine {
        id: 0,
        invoice_id,
        position: 0,
        description: String::new(),
        long_description: String::new(),
        quantity: Decimal::ONE,
        seconds: None,
        unit: String::new(),
        rate: Decimal::ZERO,
        discount: Discount::None,
        tax: None,
        amount: Decimal::ZERO,
        entry_ids: vec![],
    }
}

/// Gives the invoice its number: a custom one if unique, else the next from
/// the pattern. Every number handed out is recorded and never reused.
pub(crate) fn assign_number(tx: &Tx, custom: Option<&str>, issue: NaiveDate) -> AppResult<String> {
    if let Some(n) = custom.map(str::trim).filter(|n| !n.is_empty()) {
        let n = validate_custom_number(n)?;
        if !db::claim_number(tx, &n)? {
            return Err(AppError::invalid("number", format!("{n} is already used; invoice numbers are never reused")));
        }
        return Ok(n);
    }
    let pattern = NumberPattern::parse(&cat::business(tx)?.invoice_number_pattern)?;
    loop {
        let seq = db::take_counter(tx, SERIES, pattern.counter_year(issue))?;
        let n = pattern.format(issue, seq);
        if db::claim_number(tx, &n)? {
            return Ok(n);
        }
    }
}

/// Applies header changes to a draft (and checks them).
pub(crate) fn apply_header(
    tx: &Tx,
    clock: &dyn Clock,
    inv: &mut Invoice,
    lines: &mut [InvoiceLine],
    h: &HeaderInput,
) -> AppResult<()> {
    if let Some(v) = &h.issue_date {
        inv.issue_date = parse::date("issue_date", v, clock)?;
    }
    if let Some(v) = &h.due_date {
        inv.due_date = parse::date("due_date", v, clock)?;
    }
    ensure_due_after_issue(inv.due_date, inv.issue_date)?;
    if let Some(v) = &h.currency {
        inv.currency = Currency::parse(v)?;
    }
    if let Some(ids) = &h.tax_rate_ids {
        inv.taxes = tax_snapshots(tx, ids, "taxes")?;
    }
    if let Some(v) = &h.tax_mode {
        let mode = v.parse::<TaxMode>()?;
        if mode != inv.tax_mode {
            switch_tax_mode(inv, lines, mode)?;
        }
    }
    if let Some(v) = &h.pricing {
        inv.pricing = Pricing::parse("pricing", v)?;
    }
    if let Some(v) = &h.discount {
        inv.discount = Discount::parse("discount", v)?;
    }
    if let Some(v) = &h.adjustment {
        inv.adjustment = if v.trim().is_empty() { Decimal::ZERO } else { parse_decimal("adjustment", v)? };
    }
    if let Some(v) = &h.adjustment_description {
        inv.adjustment_description = parse::text("adjustment_description", v)?;
    }
    if let Some(v) = &h.notes {
        inv.notes = parse::text("notes", v)?;
    }
    if let Some(v) = &h.terms {
        inv.terms = parse::text("terms", v)?;
    }
    if let Some(v) = &h.po_number {
        inv.po_number = parse::text("po_number", v)?;
    }
    if let Some(v) = &h.category {
        inv.category = parse::text("category", v)?;
    }
    if let Some(v) = &h.template {
        inv.template = if v.trim().is_empty() { None } else { Some(crate::catalog::setting("template", v)?) };
    }
    if let Some(v) = &h.locale {
        inv.locale = if v.trim().is_empty() { None } else { Some(crate::catalog::setting("locale", v)?) };
    }
    if let Some(v) = &h.early_discount {
        inv.early_discount = if v.trim().is_empty() { None } else { Some(v.parse::<EarlyDiscount>()?) };
    }
    if let Some(d) = inv.early_discount {
        d.check_against(
            if h.early_discount.is_some() { "early_discount" } else { "due_date" },
            inv.issue_date,
            inv.due_date,
        )?;
    }
    if let Some(tags) = &h.tags {
        let mut clean: Vec<String> = Vec::new();
        for t in tags.iter().flat_map(|t| t.split(',')) {
            let t = parse::text("tags", t)?;
            if !t.is_empty() && !clean.contains(&t) {
                clean.push(t);
            }
        }
        inv.tags = clean;
    }
    if let Some(p) = h.project_id {
        if let Some(pid) = p {
            let project = cat::project(tx, pid)?
                .ok_or_else(|| AppError::invalid("project", format!("project {pid} does not exist")))?;
            if project.client_id != inv.client_id {
                return Err(AppError::invalid(
                    "project",
                    format!("project {} belongs to another client", project.name),
                ));
            }
        }
        inv.project_id = p;
    }
    Ok(())
}

/// Moves taxes between invoice level and lines when the tax mode changes.
fn switch_tax_mode(inv: &mut Invoice, lines: &mut [InvoiceLine], mode: TaxMode) -> AppResult<()> {
    match mode {
        TaxMode::Inline => {
            if inv.taxes.len() > 1 {
                return Err(AppError::invalid(
                    "tax_mode",
                    "inline mode takes one tax per line; keep at most one invoice tax before switching",
                ));
            }
            let tax = inv.taxes.pop();
            for l in lines.iter_mut() {
                l.tax = tax.clone();
            }
        }
        TaxMode::Summary => {
            let mut taxes: Vec<TaxRate> = Vec::new();
            for l in lines.iter_mut() {
                if let Some(t) = l.tax.take() {
                    if !taxes.iter().any(|x| x.same_group(&t)) {
                        taxes.push(t);
                    }
                }
            }
            if taxes.len() > 1 {
                return Err(AppError::invalid(
                    "tax_mode",
                    "the lines carry different tax rates; summary mode would apply every rate to every line",
                ));
            }
            inv.taxes = taxes;
        }
    }
    inv.tax_mode = mode;
    Ok(())
}

/// A new, empty draft for a client on an issue date: the client's currency
/// and payment terms (or the business's), the business's tax mode, notes and
/// terms; no number, lines, discount or taxes yet, and zero totals.
pub(crate) fn blank_draft(client: &Client, business: &Business, issue: NaiveDate, now: DateTime<Utc>) -> Invoice {
    let terms_days = client.payment_terms_days.unwrap_or(business.payment_terms_days);
    Invoice {
        id: 0,
        number: String::new(),
        client_id: client.id,
        project_id: None,
        category: String::new(),
        tags: vec![],
        issue_date: issue,
        due_date: issue + Duration::days(i64::from(terms_days)),
        currency: client.currency.unwrap_or(business.default_currency),
        tax_mode: business.default_tax_mode,
        pricing: client.default_pricing.unwrap_or_default(),
        discount: Discount::None,
        taxes: vec![],
        adjustment: Decimal::ZERO,
        adjustment_description: String::new(),
        notes: business.default_notes.clone(),
        terms: business.default_terms.clone(),
        po_number: String::new(),
        status: InvoiceStatus::Draft,
        subtotal: Decimal::ZERO,
        discount_amount: Decimal::ZERO,
        tax_total: Decimal::ZERO,
        total: Decimal::ZERO,
        amount_paid: Decimal::ZERO,
        balance_due: Decimal::ZERO,
        created_at: now,
        issued_at: None,
        template: None,
        locale: None,
        early_discount: None,
        early_discount_taken: Decimal::ZERO,
        prepaid: Decimal::ZERO,
    }
}

/// A new draft header for a client, with the client's and business defaults.
/// The number is assigned only when `assign` is set (a preview takes none).
pub(crate) fn new_draft(
    tx: &Tx,
    clock: &dyn Clock,
    client_id: i64,
    number: Option<&str>,
    h: &HeaderInput,
    assign: bool,
) -> AppResult<(Invoice, Vec<TaxRate>)> {
    let client = cat::client(tx, client_id)?
        .ok_or_else(|| AppError::invalid("client", format!("client {client_id} does not exist")))?;
    if client.archived {
        return Err(AppError::invalid("client", format!("client {} is archived", client.name)));
    }
    let business = cat::business(tx)?;
    let issue = parse::date_opt("issue_date", h.issue_date.as_deref(), clock)?.unwrap_or_else(|| clock.today());
    let now = clock.now();
    let default_taxes = tax_snapshots(tx, &client.tax_rate_ids, "taxes")?;
    let mut inv = blank_draft(&client, &business, issue, now);
    // The mode first, so the client's default taxes land where it puts them.
    if let Some(m) = &h.tax_mode {
        inv.tax_mode = m.parse::<TaxMode>()?;
    }
    let line_default = match inv.tax_mode {
        TaxMode::Summary => {
            inv.taxes = default_taxes;
            Vec::new()
        }
        TaxMode::Inline => default_taxes.into_iter().take(1).collect(),
    };
    let mut h = h.clone();
    h.tax_mode = None;
    apply_header(tx, clock, &mut inv, &mut [], &h)?;
    if assign {
        inv.number = assign_number(tx, number, inv.issue_date)?;
    }
    Ok((inv, line_default))
}

pub(crate) fn issue(clock: &dyn Clock, inv: &mut Invoice, lines: &[InvoiceLine]) -> AppResult<()> {
    if lines.is_empty() {
        return Err(AppError::invalid(
            "lines",
            format!("invoice {} has no lines; add at least one before issuing it", inv.number),
        ));
    }
    inv.status = InvoiceStatus::Sent;
    inv.issued_at = Some(clock.now());
    Ok(())
}

impl Billable {
    /// Creates a draft invoice with lines typed by hand.
    pub fn create_invoice(&mut self, i: InvoiceInput) -> AppResult<InvoiceView> {
        self.write("create the invoice", |tx, clock| {
            let (mut inv, line_tax) = new_draft(tx, clock, i.client_id, i.number.as_deref(), &i.header, true)?;
            let now = clock.now();
            inv.id = db::insert_invoice(tx, &inv, now.timestamp())?;
            let mut lines = Vec::new();
            for (n, li) in i.lines.iter().enumerate() {
                let li = &with_item(tx, li, n + 1, inv.tax_mode)?;
                let mut l = new_line(inv.id);
                l.tax = line_tax.first().cloned();
                if li.description.is_none() {
                    return Err(AppError::invalid(&format!("lines[{}].description", n + 1), "is required"));
                }
                if li.rate.is_none() {
                    return Err(AppError::invalid(&format!("lines[{}].rate", n + 1), "is required"));
                }
                apply_line(tx, &mut l, li, n + 1)?;
                l.position = n as u32 + 1;
                l.id = db::insert_line(tx, &l, inv.currency)?;
                lines.push(l);
            }
            save_draft(tx, &mut inv, &mut lines, now.timestamp())?;
            let facts =
                ActivityFacts { how: Some("by_hand".into()), count: Some(lines.len() as u32), ..Default::default() };
            let detail = format!("draft {} with {} line(s)", inv.number, lines.len());
            db::log_facts(tx, inv.id, now, "created", &detail, Some(&facts))?;
            view(tx, clock, inv.id)
        })
    }

    /// Creates an invoice from unbilled time (chosen entries, or a filter),
    /// or previews it. The invoice, its lines and the marking of every entry
    /// commit together; an entry billed meanwhile aborts everything.
    pub fn invoice_from_time(&mut self, i: FromTimeInput) -> AppResult<FromTimeOutcome> {
        let preview = i.preview;
        let body = |tx: &Tx, clock: &dyn Clock| -> AppResult<FromTimeOutcome> {
            let client = client_or_404(tx, i.client_id)?;
            let business = cat::business(tx)?;
            let grouping = i.grouping.as_deref().map(str::parse::<Grouping>).transpose()?.unwrap_or_default();
            let filter = EntryFilter {
                client_id: Some(client.id),
                project_id: i.project_id,
                from: parse::date_opt("from", i.from.as_deref(), clock)?,
                to: parse::date_opt("to", i.to.as_deref(), clock)?,
                unbilled_only: true,
                ids: i.entry_ids.clone(),
                ..Default::default()
            };
            let unapproved = unapproved(tx, &filter)?;
            let chose_expenses = i.expense_ids.as_ref().is_some_and(|e| !e.is_empty());
            let details = match &i.entry_ids {
                Some(ids) if ids.is_empty() && chose_expenses => Vec::new(),
                _ => tdb::entries(tx, &EntryFilter { gate: Gate::Passes, ..filter.clone() })?,
            };
            if let Some(ids) = &i.entry_ids {
                if ids.is_empty() && !chose_expenses {
                    return Err(AppError::invalid("entries", "choose at least one time entry or expense"));
                }
                if unapproved.entries > 0 {
                    let held = tdb::entries(tx, &EntryFilter { gate: Gate::Held, ..filter.clone() })?;
                    let held: Vec<String> = held.iter().map(|d| d.entry.id.to_string()).collect();
                    return Err(AppError::invalid(
                        "entries",
                        format!(
                            "time entries {} are not approved, and their projects bill only approved time; approve them first (billable time approve)",
                            held.join(", ")
                        ),
                    ));
                }
                let missing: Vec<String> = ids
                    .iter()
                    .filter(|id| !details.iter().any(|d| d.entry.id == **id))
                    .map(|id| id.to_string())
                    .collect();
                if !missing.is_empty() {
                    return Err(AppError::invalid(
                        "entries",
                        format!(
                            "time entries {} are not unbilled billable time of {} (already billed, non-billable, another client's, outside the filters, or missing)",
                            missing.join(", "),
                            client.name
                        ),
                    ));
                }
            }
            let mut header = i.header.clone();
            if header.project_id.is_none() {
                header.project_id = i.project_id.map(Some);
            }
            let (mut inv, line_tax) = new_draft(tx, clock, client.id, i.number.as_deref(), &header, !i.preview)?;
            let to_bill = expenses_to_bill(tx, &i, &client, inv.currency, filter.from, filter.to)?;
            if details.is_empty() && to_bill.is_empty() {
                return Err(AppError::invalid(
                    "entries",
                    format!(
                        "{} has no unbilled billable time or expenses matching the filters{}",
                        client.name,
                        unapproved.note()
                    ),
                ));
            }
            let billable: Vec<_> =
                details.iter().map(|d| billable_entry(d, &business, client.currency)).collect::<AppResult<_>>()?;
            let time_lines = group_entries(&billable, grouping);
            if time_lines.len() > MAX_LINES {
                return Err(AppError::invalid(
                    "group",
                    format!("that makes {} lines; group by task or project instead", time_lines.len()),
                ));
            }
            let locale = inv.locale.unwrap_or(business.locale);
            let mut lines: Vec<InvoiceLine> = time_lines
                .iter()
                .enumerate()
                .map(|(n, t)| InvoiceLine {
                    position: n as u32 + 1,
                    description: time_line_description(t, locale, inv.currency),
                    quantity: t.quantity,
                    seconds: Some(t.seconds),
                    unit: "hours".into(),
                    rate: t.rate,
                    tax: line_tax.first().cloned(),
                    entry_ids: t.entry_ids.clone(),
                    ..new_line(0)
                })
                .collect();
            let expense_lines = expense_lines(tx, &to_bill, inv.tax_mode, locale, inv.currency, lines.len())?;
            lines.extend(expense_lines);
            if lines.len() > MAX_LINES {
                return Err(AppError::invalid(
                    "expenses",
                    format!("that makes {} lines; an invoice holds at most {MAX_LINES}", lines.len()),
                ));
            }
            let t = totals(&draft_of(&inv, &lines))?;
            if i.preview {
                let preview = InvoicePreview {
                    client_id: client.id,
                    client_name: client.name.clone(),
                    currency: inv.currency,
                    lines: lines
                        .iter()
                        .zip(&t.lines)
                        .enumerate()
                        .map(|(n, (l, lt))| {
                            let tl = time_lines.get(n);
                            PreviewLine {
                                description: l.description.clone(),
                                quantity: l.quantity,
                                unit: l.unit.clone(),
                                rate: l.rate,
                                amount: lt.net,
                                seconds: tl.map_or(0, |t| t.seconds),
                                raw_seconds: tl.map_or(0, |t| t.raw_seconds),
                                entry_ids: tl.map(|t| t.entry_ids.clone()).unwrap_or_default(),
                                expense_id: n.checked_sub(time_lines.len()).map(|k| to_bill[k].id),
                            }
                        })
                        .collect(),
                    expense_count: to_bill.len(),
                    entry_count: billable.len(),
                    raw_seconds: time_lines.iter().map(|l| l.raw_seconds).sum(),
                    billed_seconds: time_lines.iter().map(|l| l.seconds).sum(),
                    totals: t,
                    unapproved,
                };
                return Ok(FromTimeOutcome::Preview(Box::new(preview)));
            }
            let now = clock.now();
            inv.id = db::insert_invoice(tx, &inv, now.timestamp())?;
            for (n, l) in lines.iter_mut().enumerate() {
                l.invoice_id = inv.id;
                l.id = db::insert_line(tx, l, inv.currency)?;
                let marked = tdb::mark_billed(tx, &l.entry_ids, inv.id, l.id)?;
                if marked != l.entry_ids.len() {
                    return Err(AppError::conflict(
                        "some of these time entries were billed meanwhile; nothing was created",
                    ));
                }
                if let Some(k) = n.checked_sub(time_lines.len()) {
                    if billable_store::expenses::mark_billed(tx, &[to_bill[k].id], inv.id, l.id)? != 1 {
                        return Err(AppError::conflict(format!(
                            "expense {} was billed meanwhile; nothing was created",
                            to_bill[k].id
                        )));
                    }
                }
            }
            save_draft(tx, &mut inv, &mut lines, now.timestamp())?;
            let facts = ActivityFacts {
                how: Some("from_time".into()),
                count: Some(billable.len() as u32),
                ..Default::default()
            };
            let with_expenses = match to_bill.len() {
                0 => String::new(),
                1 => " and 1 expense".to_string(),
                n => format!(" and {n} expenses"),
            };
            db::log_facts(
                tx,
                inv.id,
                now,
                "created",
                &format!(
                    "draft {} from {} time entries{with_expenses}, grouped per {}{}",
                    inv.number,
                    billable.len(),
                    grouping,
                    unapproved.note()
                ),
                Some(&facts),
            )?;
            Ok(FromTimeOutcome::Created(Box::new(FromTimeCreated { invoice: view(tx, clock, inv.id)?, unapproved })))
        };
        if preview {
            self.read("preview the invoice", body)
        } else {
            self.write("create the invoice from time", body)
        }
    }

    /// An invoice by number or id, with lines, totals, payments and history.
    pub fn invoice(&mut self, key: &str) -> AppResult<InvoiceView> {
        self.read("read the invoice", |tx, clock| {
            let inv = resolve(tx, key)?;
            view(tx, clock, inv.id)
        })
    }

    /// Runs a change on a draft: load, change, recompute, save, log.
    fn edit_draft(
        &mut self,
        key: &str,
        operation: &str,
        f: impl FnOnce(
            &Tx,
            &dyn Clock,
            &mut Invoice,
            &mut Vec<InvoiceLine>,
        ) -> AppResult<(&'static str, String, ActivityFacts)>,
    ) -> AppResult<InvoiceView> {
        self.write(operation, |tx, clock| {
            let mut inv = resolve(tx, key)?;
            ensure_editable(inv.status, &inv.number)?;
            crate::mail::ensure_no_pending_email(tx, &inv)?;
            let mut lines = db::lines(tx, inv.id, inv.currency)?;
            let (kind, detail, facts) = f(tx, clock, &mut inv, &mut lines)?;
            let now = clock.now();
            save_draft(tx, &mut inv, &mut lines, now.timestamp())?;
            crate::project_billing::check_fee(tx, inv.id)?;
            db::log_facts(tx, inv.id, now, kind, &detail, Some(&facts))?;
            view(tx, clock, inv.id)
        })
    }

    pub fn add_line(&mut self, key: &str, i: LineInput) -> AppResult<InvoiceView> {
        self.edit_draft(key, "add the line", |tx, _, inv, lines| {
            let n = lines.len() + 1;
            let i = with_item(tx, &i, n, inv.tax_mode)?;
            let mut l = new_line(inv.id);
            if inv.tax_mode == TaxMode::Inline {
                let client = client_or_404(tx, inv.client_id)?;
                l.tax = tax_snapshots(tx, &client.tax_rate_ids, "taxes")?.into_iter().next();
            }
            if i.description.is_none() {
                return Err(AppError::invalid(&format!("lines[{n}].description"), "is required"));
            }
            if i.rate.is_none() {
                return Err(AppError::invalid(&format!("lines[{n}].rate"), "is required"));
            }
            apply_line(tx, &mut l, &i, n)?;
            l.position = n as u32;
            l.id = db::insert_line(tx, &l, inv.currency)?;
            let d = format!("line {n}: {}", l.description);
            lines.push(l);
            Ok(("line_added", d, ActivityFacts { line: Some(n as u32), ..Default::default() }))
        })
    }

    /// Changes line `position` (1-based).
    pub fn edit_line(&mut self, key: &str, position: usize, i: LineInput) -> AppResult<InvoiceView> {
        self.edit_draft(key, "change the line", |tx, _, inv, lines| {
            let l = line_at(lines, position)?;
            let i = with_item(tx, &i, position, inv.tax_mode)?;
            apply_line(tx, l, &i, position)?;
            let facts = ActivityFacts { line: Some(position as u32), ..Default::default() };
            Ok(("line_changed", format!("line {position}: {}", l.description), facts))
        })
    }

    /// Removes line `position`; time it billed becomes unbilled again.
    pub fn delete_line(&mut self, key: &str, position: usize) -> AppResult<InvoiceView> {
        self.edit_draft(key, "remove the line", |tx, _, _, lines| {
            let l = line_at(lines, position)?.clone();
            let released = tdb::release_line(tx, l.id)?;
            billable_store::expenses::release_line(tx, l.id)?;
            db::delete_line(tx, l.id)?;
            lines.remove(position - 1);
            let facts =
                ActivityFacts { line: Some(position as u32), count: Some(released as u32), ..Default::default() };
            let detail = format!("line {position}: {} ({released} time entries released)", l.description);
            Ok(("line_removed", detail, facts))
        })
    }

    /// Moves a line from one position to another (both 1-based).
    pub fn move_line(&mut self, key: &str, from: usize, to: usize) -> AppResult<InvoiceView> {
        self.edit_draft(key, "reorder the lines", |_, _, _, lines| {
            line_at(lines, from)?;
            if to == 0 || to > lines.len() {
                return Err(AppError::invalid("to", format!("must be a line position from 1 to {}", lines.len())));
            }
            let l = lines.remove(from - 1);
            lines.insert(to - 1, l);
            let facts = ActivityFacts { line: Some(from as u32), position: Some(to as u32), ..Default::default() };
            Ok(("lines_reordered", format!("line {from} moved to {to}"), facts))
        })
    }

    /// Changes header fields of a draft. On an issued invoice that is still
    /// open (sent or partially paid) the due date alone can be moved: it
    /// touches neither lines nor totals, and reminders follow the new date.
    pub fn set_header(&mut self, key: &str, h: HeaderInput) -> AppResult<InvoiceView> {
        if let Some(due) = h.due_date.as_deref().filter(|_| changes_only_due_date(&h)) {
            let issued = self.read("read the invoice", |tx, _| Ok(resolve(tx, key)?.status.is_issued()))?;
            if issued {
                return self.move_due_date(key, due);
            }
        }
        self.edit_draft(key, "change the invoice", |tx, clock, inv, lines| {
            apply_header(tx, clock, inv, lines, &h)?;
            Ok(("header_changed", describe_header(&h), ActivityFacts::default()))
        })
    }

    /// Moves the due date of an issued, open invoice (a payment plan agreed
    /// with the client, a typo in the terms). A draft's due date changes like
    /// any header field.
    fn move_due_date(&mut self, key: &str, due: &str) -> AppResult<InvoiceView> {
        self.write("move the due date", |tx, clock| {
            let mut inv = resolve(tx, key)?;
            if matches!(inv.status, InvoiceStatus::Paid | InvoiceStatus::Cancelled) {
                return Err(AppError::conflict(format!(
                    "invoice {} is {}: nothing is due any more, so its due date cannot be moved",
                    inv.number,
                    inv.status.words()
                )));
            }
            crate::mail::ensure_no_pending_email(tx, &inv)?;
            let before = inv.due_date;
            let after = parse::date("due_date", due, clock)?;
            ensure_due_after_issue(after, inv.issue_date)?;
            if let Some(d) = inv.early_discount {
                d.check_against("due_date", inv.issue_date, after)?;
            }
            if after == before {
                return view(tx, clock, inv.id);
            }
            inv.due_date = after;
            let now = clock.now();
            db::update_invoice(tx, &inv, now.timestamp())?;
            let facts = ActivityFacts { date: Some(after), ..Default::default() };
            db::log_facts(
                tx,
                inv.id,
                now,
                "due_date_moved",
                &format!("due date moved from {before} to {after}"),
                Some(&facts),
            )?;
            view(tx, clock, inv.id)
        })
    }

    /// A new draft with the same lines (not the time links) for a client and
    /// dates.
    pub fn clone_invoice(&mut self, key: &str, i: CloneInput) -> AppResult<InvoiceView> {
        self.write("clone the invoice", |tx, clock| {
            let src = resolve(tx, key)?;
            let src_lines = db::lines(tx, src.id, src.currency)?;
            let client_id = i.client_id.unwrap_or(src.client_id);
            let issue = parse::date_opt("issue_date", i.issue_date.as_deref(), clock)?.unwrap_or_else(|| clock.today());
            let (mut inv, _) = new_draft(
                tx,
                clock,
                client_id,
                None,
                &HeaderInput {
                    issue_date: Some(issue.to_string()),
                    due_date: i.due_date.clone(),
                    ..Default::default()
                },
                true,
            )?;
            // Onto another client, the invoice takes that client's currency
            // and default taxes; the lines and their prices stay as they were.
            let same_client = client_id == src.client_id;
            let fresh = inv;
            inv = Invoice {
                id: 0,
                number: fresh.number.clone(),
                client_id,
                project_id: if same_client { src.project_id } else { None },
                issue_date: issue,
                due_date: fresh.due_date,
                currency: if same_client { src.currency } else { fresh.currency },
                taxes: if same_client || src.tax_mode != fresh.tax_mode {
                    src.taxes.clone()
                } else {
                    fresh.taxes.clone()
                },
                status: InvoiceStatus::Draft,
                amount_paid: Decimal::ZERO,
                early_discount_taken: Decimal::ZERO,
                prepaid: Decimal::ZERO,
                created_at: clock.now(),
                issued_at: None,
                ..src.clone()
            };
            let now = clock.now();
            inv.id = db::insert_invoice(tx, &inv, now.timestamp())?;
            let mut lines = Vec::new();
            for l in &src_lines {
                let mut n = InvoiceLine { id: 0, invoice_id: inv.id, entry_ids: vec![], ..l.clone() };
                n.id = db::insert_line(tx, &n, inv.currency)?;
                lines.push(n);
            }
            save_draft(tx, &mut inv, &mut lines, now.timestamp())?;
            let facts =
                ActivityFacts { how: Some("clone".into()), number: Some(src.number.clone()), ..Default::default() };
            db::log_facts(tx, inv.id, now, "created", &format!("cloned from {}", src.number), Some(&facts))?;
            view(tx, clock, inv.id)
        })
    }

    /// Issues a draft: its lines and totals are frozen from now on.
    pub fn mark_sent(&mut self, key: &str) -> AppResult<InvoiceView> {
        self.write("mark the invoice sent", |tx, clock| {
            let mut inv = resolve(tx, key)?;
            if inv.status != InvoiceStatus::Draft {
                return Err(AppError::conflict(format!("invoice {} is already {}", inv.number, inv.status.words())));
            }
            let lines = db::lines(tx, inv.id, inv.currency)?;
            issue(clock, &mut inv, &lines)?;
            db::update_invoice(tx, &inv, clock.now().timestamp())?;
            let facts = ActivityFacts { how: Some("by_hand".into()), ..Default::default() };
            db::log_facts(tx, inv.id, clock.now(), "sent", "marked as sent", Some(&facts))?;
            view(tx, clock, inv.id)
        })
    }

    /// Sets a status by hand; it must agree with the payments.
    pub fn set_status(&mut self, key: &str, status: &str) -> AppResult<InvoiceView> {
        let target: InvoiceStatus = status.parse()?;
        if target == InvoiceStatus::Cancelled {
            return self.cancel_invoice(key);
        }
        self.write("change the status", |tx, clock| {
            let mut inv = resolve(tx, key)?;
            let from = inv.status;
            if cdb::credited_minor(tx, inv.id)? > 0 && from != target {
                return Err(AppError::conflict(format!(
                    "invoice {} has credit notes; its status follows them and its payments",
                    inv.number
                )));
            }
            check_manual_status(from, target, inv.total - inv.prepaid, inv.amount_paid, &inv.number)?;
            if from == target {
                return view(tx, clock, inv.id);
            }
            if from == InvoiceStatus::Draft {
                let lines = db::lines(tx, inv.id, inv.currency)?;
                issue(clock, &mut inv, &lines)?;
            }
            inv.status = target;
            db::update_invoice(tx, &inv, clock.now().timestamp())?;
            let facts = ActivityFacts {
                how: Some("by_hand".into()),
                from: Some(from),
                status: Some(target),
                ..Default::default()
            };
            let detail = format!("{} → {} (set by hand)", from.words(), target.words());
            db::log_facts(tx, inv.id, clock.now(), "status_changed", &detail, Some(&facts))?;
            view(tx, clock, inv.id)
        })
    }

    /// Cancels an invoice without payments; its time becomes unbilled again
    /// and its number stays used.
    pub fn cancel_invoice(&mut self, key: &str) -> AppResult<InvoiceView> {
        self.write("cancel the invoice", |tx, clock| {
            let mut inv = resolve(tx, key)?;
            let from = inv.status;
            if from == InvoiceStatus::Cancelled {
                return Err(AppError::conflict(format!("invoice {} is already cancelled", inv.number)));
            }
            check_manual_status(from, InvoiceStatus::Cancelled, inv.total - inv.prepaid, inv.amount_paid, &inv.number)
                .map_err(|_| {
                    AppError::conflict(format!(
                        "invoice {} has payments recorded; delete them (or issue a credit) before cancelling",
                        inv.number
                    ))
                })?;
            if cdb::credited_minor(tx, inv.id)? > 0 {
                return Err(AppError::conflict(format!(
                    "invoice {} has credit notes; it is corrected by them and cannot be cancelled",
                    inv.number
                )));
            }
            crate::estimates::release_on_cancel(tx, &mut inv)?;
            let released = tdb::release_invoice(tx, inv.id)?;
            billable_store::expenses::release_invoice(tx, inv.id)?;
            inv.status = InvoiceStatus::Cancelled;
            db::update_invoice(tx, &inv, clock.now().timestamp())?;
            let facts = ActivityFacts { from: Some(from), count: Some(released as u32), ..Default::default() };
            db::log_facts(
                tx,
                inv.id,
                clock.now(),
                "cancelled",
                &format!("{from} → cancelled; {released} time entries released"),
                Some(&facts),
            )?;
            view(tx, clock, inv.id)
        })
    }

    /// Deletes a draft; its time becomes unbilled again. The number is not
    /// reused.
    pub fn delete_invoice(&mut self, key: &str) -> AppResult<InvoiceView> {
        self.write("delete the invoice", |tx, clock| {
            let inv = resolve(tx, key)?;
            ensure_deletable(inv.status, inv.amount_paid, &inv.number)?;
            crate::mail::ensure_no_pending_email(tx, &inv)?;
            let v = view(tx, clock, inv.id)?;
            tdb::release_invoice(tx, inv.id)?;
            billable_store::expenses::release_invoice(tx, inv.id)?;
            db::delete_invoice(tx, inv.id)?;
            Ok(v)
        })
    }

    /// Deletes a draft nobody has entered anything into — no lines, no change
    /// since it was created — and gives its number back when it is the
    /// newest of its series, so opening a new invoice and leaving it empty
    /// uses up no number. Any other invoice is kept: the answer is false.
    pub fn discard_untouched_draft(&mut self, key: &str) -> AppResult<bool> {
        self.write("discard the empty draft", |tx, _| {
            let inv = resolve(tx, key)?;
            if inv.status != InvoiceStatus::Draft || !db::lines(tx, inv.id, inv.currency)?.is_empty() {
                return Ok(false);
            }
            let activity = db::activity(tx, inv.id)?;
            if activity.len() != 1 || activity[0].kind != "created" {
                return Ok(false);
            }
            crate::mail::ensure_no_pending_email(tx, &inv)?;
            db::delete_invoice(tx, inv.id)?;
            let pattern = NumberPattern::parse(&cat::business(tx)?.invoice_number_pattern)?;
            let year = pattern.counter_year(inv.issue_date);
            if let Some(seq) = db::last_counter(tx, SERIES, year)? {
                if pattern.format(inv.issue_date, seq) == inv.number {
                    db::give_back_number(tx, SERIES, year, seq, &inv.number)?;
                }
            }
            Ok(true)
        })
    }

    /// A page of invoices, filtered and sorted.
    pub fn invoices(&mut self, i: InvoiceListInput) -> AppResult<InvoicePage> {
        self.read("list invoices", |tx, clock| {
            let status = match i.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => Some(s.parse::<billable_core::status::DisplayStatus>()?.as_str().to_string()),
                None => None,
            };
            let sort = match i.sort.as_deref().map(|s| s.trim().to_ascii_lowercase().replace('-', "_")) {
                None => SortKey::IssueDate,
                Some(s) => match s.as_str() {
                    "number" => SortKey::Number,
                    "issue_date" | "date" => SortKey::IssueDate,
                    "due_date" | "due" => SortKey::DueDate,
                    "total" | "amount" => SortKey::Total,
                    other => {
                        return Err(AppError::invalid(
                            "sort",
                            format!("'{other}' is not a sort key; use number, issue_date, due_date or total"),
                        ))
                    }
                },
            };
            let per_page = i.per_page.unwrap_or(50);
            if !(1..=500).contains(&per_page) {
                return Err(AppError::invalid("per_page", "must be from 1 to 500"));
            }
            let page = i.page.unwrap_or(1).max(1);
            let projects = project_filter(tx, i.billing_type.as_deref(), i.budget.as_deref())?;
            let f = InvoiceFilter {
                skip: None,
                status,
                client_id: i.client_id,
                project_id: i.project_id,
                from: parse::date_opt("from", i.from.as_deref(), clock)?,
                to: parse::date_opt("to", i.to.as_deref(), clock)?,
                search: i.search.clone(),
                ids: None,
                project_kinds: projects.kinds,
                budget: projects.budget,
                sort,
                descending: i.descending,
                page,
                per_page,
            };
            let today = clock.today();
            let (rows, total) = db::list(tx, &f, today)?;
            Ok(InvoicePage {
                rows: rows
                    .into_iter()
                    .map(|r| InvoiceListRow {
                        display_status: display_status(
                            r.invoice.status,
                            r.invoice.due_date,
                            today,
                            r.invoice.balance_due,
                        ),
                        invoice: r.invoice,
                        client_name: r.client_name,
                    })
                    .collect(),
                total,
                page,
                per_page,
            })
        })
    }

    /// Applies an action to several invoices, each in its own transaction;
    /// reports what happened to each.
    pub fn bulk(&mut self, action: BulkAction, keys: &[String]) -> Vec<BulkResult> {
        keys.iter()
            .map(|key| {
                let result = match action {
                    BulkAction::MarkSent => self.mark_sent(key).map(|v| Some(v.invoice.status)),
                    BulkAction::MarkPaid => self.mark_paid(key).map(|v| Some(v.invoice.status)),
                    BulkAction::Delete => self.delete_invoice(key).map(|_| None),
                };
                match result {
                    Ok(status) => BulkResult { invoice: key.clone(), ok: true, status, error: None },
                    Err(e) => BulkResult { invoice: key.clone(), ok: false, status: None, error: Some(e.to_body()) },
                }
            })
            .collect()
    }
}

fn describe_header(h: &HeaderInput) -> String {
    let mut changed: Vec<&str> = Vec::new();
    let fields: [(&str, bool); 18] = [
        ("issue date", h.issue_date.is_some()),
        ("due date", h.due_date.is_some()),
        ("currency", h.currency.is_some()),
        ("tax mode", h.tax_mode.is_some()),
        ("pricing", h.pricing.is_some()),
        ("taxes", h.tax_rate_ids.is_some()),
        ("discount", h.discount.is_some()),
        ("adjustment", h.adjustment.is_some()),
        ("adjustment description", h.adjustment_description.is_some()),
        ("notes", h.notes.is_some()),
        ("terms", h.terms.is_some()),
        ("PO number", h.po_number.is_some()),
        ("category", h.category.is_some()),
        ("tags", h.tags.is_some()),
        ("project", h.project_id.is_some()),
        ("template", h.template.is_some()),
        ("locale", h.locale.is_some()),
        ("early-payment discount", h.early_discount.is_some()),
    ];
    for (name, set) in fields {
        if set {
            changed.push(name);
        }
    }
    if changed.is_empty() {
        "nothing changed".into()
    } else {
        format!("changed {}", changed.join(", "))
    }
}

/// An invoice falls due on or after the day it is issued.
fn ensure_due_after_issue(due: NaiveDate, issue: NaiveDate) -> AppResult<()> {
    if due < issue {
        return Err(AppError::invalid("due_date", format!("{due} is before the issue date {issue}")));
    }
    Ok(())
}

/// True when the due date is the one field set: `describe_header` names
/// every field of the input, so a field added there is counted here too.
fn changes_only_due_date(h: &HeaderInput) -> bool {
    h.due_date.is_some() && describe_header(h) == "changed due date"
}

pub(crate) fn line_at(lines: &mut [InvoiceLine], position: usize) -> AppResult<&mut InvoiceLine> {
    let n = lines.len();
    if position == 0 || position > n {
        return Err(AppError::invalid("line", format!("there is no line {position}; this invoice has {n} line(s)")));
    }
    Ok(&mut lines[position - 1])
}

/// The lines billing expenses, after `after` lines of time: quantity 1 at
/// the expense's amount plus its markup, rounded once
/// (`core::expense::billed_amount`), taxed by the expense's tax rate on an
/// invoice with taxes per line (an invoice with summary taxes applies its
/// own rates to every line).
fn expense_lines(
    tx: &Tx,
    expenses: &[billable_core::model::Expense],
    mode: TaxMode,
    locale: billable_core::presentation::Locale,
    currency: Currency,
    after: usize,
) -> AppResult<Vec<InvoiceLine>> {
    let mut out = Vec::with_capacity(expenses.len());
    for (n, e) in expenses.iter().enumerate() {
        let tax = match (mode, e.tax_rate_id) {
            (TaxMode::Inline, Some(id)) => cat::tax_rate(tx, id)?.map(|d| d.tax),
            _ => None,
        };
        out.push(InvoiceLine {
            position: (after + n) as u32 + 1,
            description: expense_line_description(e, locale, currency),
            quantity: Decimal::ONE,
            rate: billable_core::expense::billed_amount(e.amount, e.markup, currency),
            tax,
            ..new_line(0)
        });
    }
    Ok(out)
}
