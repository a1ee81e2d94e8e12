//! Estimates (quotes): create and edit drafts (the same lines, taxes,
//! discount and pricing as invoices, totals from the same engine), mark sent,
//! accepted or declined, delete, list; and convert an accepted estimate into
//! invoices — the whole of it once, or deposits (a percentage or an amount)
//! and then a final invoice that deducts them (BT-113).

use billable_core::estimate::{
    check_decision, check_deposit_fits, deposit_shares, display_status, ensure_convertible, ensure_editable,
    ensure_sendable, ensure_validity_editable, DepositPart, Estimate, EstimateDisplay, EstimateStatus,
};
use billable_core::model::{ActivityFacts, Invoice, InvoiceLine};
use billable_core::numbering::{validate_custom_number, NumberPattern};
use billable_core::status::InvoiceStatus;
use billable_core::tax::TaxMode;
use billable_core::totals::{totals, Discount, Totals};
use billable_core::Currency;
use billable_store::estimates::{self as db, Made, MadeInvoice};
use billable_store::{invoices as idb, Tx};
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{
    apply_header, apply_line, draft_of, line_at, new_draft, new_line, save_draft, with_item, HeaderInput, LineInput,
    MAX_LINES,
};
use crate::views::InvoiceView;
use crate::Billable;

pub(crate) const SERIES: &str = "estimate";
/// How long a new estimate is valid when no date is given.
pub(crate) const DEFAULT_VALID_DAYS: i64 = 30;

/// Header fields of an estimate. `None` leaves a field unchanged.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EstimateHeaderInput {
    pub issue_date: Option<String>,
    /// The last day the offer holds (default: 30 days after the issue date).
    pub valid_until: Option<String>,
    pub currency: Option<String>,
    pub tax_mode: Option<String>,
    /// "gross": the rates entered include tax; "net": tax is added on top.
    pub pricing: Option<String>,
    /// Summary mode: the estimate-level tax rates, by id.
    pub tax_rate_ids: Option<Vec<i64>>,
    pub discount: Option<String>,
    pub notes: Option<String>,
    pub terms: Option<String>,
    pub po_number: Option<String>,
    /// `Some(None)` detaches the project.
    pub project_id: Option<Option<i64>>,
    pub template: Option<String>,
    pub locale: Option<String>,
}

impl EstimateHeaderInput {
    fn as_header(&self) -> HeaderInput {
        HeaderInput {
            issue_date: self.issue_date.clone(),
            due_date: self.valid_until.clone(),
            currency: self.currency.clone(),
            tax_mode: self.tax_mode.clone(),
            pricing: self.pricing.clone(),
            tax_rate_ids: self.tax_rate_ids.clone(),
            discount: self.discount.clone(),
            notes: self.notes.clone(),
            terms: self.terms.clone(),
            po_number: self.po_number.clone(),
            project_id: self.project_id,
            template: self.template.clone(),
            locale: self.locale.clone(),
            ..Default::default()
        }
    }

    /// Whether anything but the validity date is set.
    fn changes_more_than_validity(&self) -> bool {
        let h = EstimateHeaderInput { valid_until: None, ..self.clone() };
        h.issue_date.is_some()
            || h.currency.is_some()
            || h.tax_mode.is_some()
            || h.pricing.is_some()
            || h.tax_rate_ids.is_some()
            || h.discount.is_some()
            || h.notes.is_some()
            || h.terms.is_some()
            || h.po_number.is_some()
            || h.project_id.is_some()
            || h.template.is_some()
            || h.locale.is_some()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EstimateInput {
    pub client_id: i64,
    /// A custom number; the estimate numbering pattern is used when absent.
    pub number: Option<String>,
    #[serde(flatten)]
    pub header: EstimateHeaderInput,
    pub lines: Vec<LineInput>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EstimateListInput {
    /// draft, sent, accepted, declined or expired.
    pub status: Option<String>,
    pub client_id: Option<i64>,
}

/// Turning an accepted estimate into an invoice.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ConvertInput {
    /// The estimate, by number or id.
    pub estimate: String,
    /// A deposit: `30%` or an amount such as `500.00` (in the estimate's
    /// pricing: net, or tax included when it is priced gross). None: the
    /// whole estimate — the final invoice when deposits were invoiced.
    pub deposit: Option<String>,
    pub issue_date: Option<String>,
    pub due_date: Option<String>,
    /// A custom invoice number.
    pub number: Option<String>,
}

/// An invoice made from an estimate, as the estimate shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MadeInvoiceView {
    pub number: String,
    /// `full`, `deposit` or `final`.
    pub kind: String,
    /// A deposit's part as asked for (`30%`, `500.00`).
    pub part: String,
    pub status: InvoiceStatus,
    pub issue_date: NaiveDate,
    pub total: Decimal,
}

impl From<&MadeInvoice> for MadeInvoiceView {
    fn from(m: &MadeInvoice) -> Self {
        MadeInvoiceView {
            number: m.number.clone(),
            kind: m.kind.as_str().to_string(),
            part: m.part.clone(),
            status: m.status,
            issue_date: m.issue_date,
            total: m.total,
        }
    }
}

/// An estimate with its lines, the engine's totals and the invoices made
/// from it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EstimateView {
    #[serde(flatten)]
    pub estimate: Estimate,
    pub client_name: String,
    pub display_status: EstimateDisplay,
    pub lines: Vec<InvoiceLine>,
    pub totals: Totals,
    pub invoices: Vec<MadeInvoiceView>,
    /// The totals of its deposit invoices that are not cancelled.
    pub deposited: Decimal,
    /// Whether it is converted in full (by a full or final invoice not cancelled).
    pub converted: bool,
    /// Its emails through the outbox, oldest first (sent, waiting, failed
    /// or cancelled): when and to whom it was sent.
    pub emails: Vec<billable_store::mail::OutboxJob>,
}

/// A row of the estimate list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EstimateListRow {
    pub id: i64,
    pub number: String,
    pub client_name: String,
    pub issue_date: NaiveDate,
    pub valid_until: NaiveDate,
    pub currency: Currency,
    pub total: Decimal,
    pub status: EstimateStatus,
    pub display_status: EstimateDisplay,
}

/// What converting an estimate made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConvertOutcome {
    pub estimate: EstimateView,
    pub invoice: InvoiceView,
}

/// Where an invoice came from, as the invoice shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FromEstimate {
    pub number: String,
    /// `full`, `deposit` or `final`.
    pub kind: String,
    pub part: String,
}

/// A deposit invoice a final invoice deducts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeductedDeposit {
    pub number: String,
    pub issue_date: NaiveDate,
    /// What it asked for, tax included.
    pub total: Decimal,
    /// Its tax per rate.
    pub taxes: Vec<billable_core::totals::TaxGroup>,
}

// ---- helpers ---------------------------------------------------------------

/// An estimate by number, or by id when no estimate has that number.
pub(crate) fn resolve(tx: &Tx, key: &str) -> AppResult<Estimate> {
    let key = key.trim();
    if let Some(e) = db::estimate_by_number(tx, key)? {
        return Ok(e);
    }
    if let Ok(id) = key.parse::<i64>() {
        if let Some(e) = db::estimate(tx, id)? {
            return Ok(e);
        }
    }
    Err(AppError::not_found("estimate", key))
}

/// The estimate in the shape of a draft invoice, so the invoice's header
/// rules, totals and document layout apply to it unchanged (`due_date` is
/// the validity date).
pub(crate) fn as_invoice(e: &Estimate) -> Invoice {
    Invoice {
        id: e.id,
        number: e.number.clone(),
        client_id: e.client_id,
        project_id: e.project_id,
        category: String::new(),
        tags: vec![],
        issue_date: e.issue_date,
        due_date: e.valid_until,
        currency: e.currency,
        tax_mode: e.tax_mode,
        pricing: e.pricing,
        discount: e.discount,
        taxes: e.taxes.clone(),
        adjustment: Decimal::ZERO,
        adjustment_description: String::new(),
        notes: e.notes.clone(),
        terms: e.terms.clone(),
        po_number: e.po_number.clone(),
        status: InvoiceStatus::Draft,
        subtotal: e.subtotal,
        discount_amount: e.discount_amount,
        tax_total: e.tax_total,
        total: e.total,
        amount_paid: Decimal::ZERO,
        balance_due: e.total,
        created_at: e.created_at,
        issued_at: None,
        template: e.template,
        locale: e.locale,
        early_discount: None,
        early_discount_taken: Decimal::ZERO,
        prepaid: Decimal::ZERO,
    }
}

fn take_header(e: &mut Estimate, inv: &Invoice) {
    e.project_id = inv.project_id;
    e.issue_date = inv.issue_date;
    e.valid_until = inv.due_date;
    e.currency = inv.currency;
    e.tax_mode = inv.tax_mode;
    e.pricing = inv.pricing;
    e.discount = inv.discount;
    e.taxes = inv.taxes.clone();
    e.notes = inv.notes.clone();
    e.terms = inv.terms.clone();
    e.po_number = inv.po_number.clone();
    e.template = inv.template;
    e.locale = inv.locale;
}

/// The invoice header's errors about its due date are about the estimate's
/// validity date.
fn as_estimate_error(e: AppError) -> AppError {
    match e.field() {
        Some("due_date") => AppError::invalid("valid_until", e.to_body().message.replace("due date", "validity date")),
        _ => e,
    }
}

/// Gives the estimate its number: a custom one if unused, else the next of
/// the estimate pattern. Every number handed out is recorded, never reused.
fn assign_number(tx: &Tx, custom: Option<&str>, issue: NaiveDate) -> AppResult<String> {
    if let Some(n) = custom.map(str::trim).filter(|n| !n.is_empty()) {
        let n = validate_custom_number(n)?;
        if !idb::claim_number(tx, &n)? {
            return Err(AppError::invalid("number", format!("{n} is already used; numbers are never reused")));
        }
        return Ok(n);
    }
    let pattern = NumberPattern::parse(&db::number_pattern(tx)?)?;
    loop {
        let seq = idb::take_counter(tx, SERIES, pattern.counter_year(issue))?;
        let n = pattern.format(issue, seq);
        if idb::claim_number(tx, &n)? {
            return Ok(n);
        }
    }
}

/// Recomputes an estimate's totals with the engine and stores header and lines.
fn save(tx: &Tx, e: &mut Estimate, lines: &mut [InvoiceLine], now: i64) -> AppResult<Totals> {
    if lines.len() > MAX_LINES {
        return Err(AppError::invalid("lines", format!("an estimate holds at most {MAX_LINES} lines")));
    }
    let t = totals(&draft_of(&as_invoice(e), lines))?;
    for (l, lt) in lines.iter_mut().zip(&t.lines) {
        l.amount = lt.net;
    }
    e.subtotal = t.subtotal;
    e.discount_amount = t.discount;
    e.tax_total = t.tax_total;
    e.total = t.total;
    db::update_estimate(tx, e, now)?;
    db::park_line_positions(tx, e.id)?;
    for (i, l) in lines.iter_mut().enumerate() {
        l.position = i as u32 + 1;
        db::update_line(tx, l, e.currency)?;
    }
    Ok(t)
}

fn is_whole(m: &MadeInvoice) -> bool {
    matches!(m.kind, Made::Full | Made::Final) && m.status != InvoiceStatus::Cancelled
}

/// The invoice that converts the estimate in full (not cancelled), if any.
pub(crate) fn whole_invoice_number(tx: &Tx, estimate_id: i64) -> AppResult<Option<String>> {
    Ok(db::invoices_of(tx, estimate_id)?.into_iter().find(is_whole).map(|m| m.number))
}

fn live_deposits(made: &[MadeInvoice]) -> Vec<&MadeInvoice> {
    made.iter().filter(|m| m.kind == Made::Deposit && m.status != InvoiceStatus::Cancelled).collect()
}

pub(crate) fn view(tx: &Tx, clock: &dyn Clock, id: i64) -> AppResult<EstimateView> {
    let e = db::estimate(tx, id)?.ok_or_else(|| AppError::not_found("estimate", id))?;
    let lines = db::lines(tx, id, e.currency)?;
    let client = client_or_404(tx, e.client_id)?;
    let t = totals(&draft_of(&as_invoice(&e), &lines))?;
    let made = db::invoices_of(tx, id)?;
    Ok(EstimateView {
        display_status: display_status(e.status, e.valid_until, clock.today()),
        client_name: client.name,
        lines,
        totals: t,
        deposited: live_deposits(&made).iter().map(|m| m.total).sum(),
        converted: made.iter().any(is_whole),
        invoices: made.iter().map(MadeInvoiceView::from).collect(),
        emails: crate::mail::emails_of_estimate(tx, id)?,
        estimate: e,
    })
}

/// What an invoice shows of its estimate: where it came from and the
/// deposits it deducts.
pub(crate) fn invoice_links(tx: &Tx, invoice_id: i64) -> AppResult<(Option<FromEstimate>, Vec<DeductedDeposit>)> {
    let from = db::made_from(tx, invoice_id)?.map(|m| FromEstimate {
        number: m.estimate_number,
        kind: m.kind.as_str().to_string(),
        part: m.part,
    });
    let mut deposits = Vec::new();
    for id in db::deductions(tx, invoice_id)? {
        let d = idb::invoice(tx, id)?.ok_or_else(|| AppError::not_found("invoice", id))?;
        let lines = idb::lines(tx, d.id, d.currency)?;
        let t = totals(&draft_of(&d, &lines))?;
        deposits.push(DeductedDeposit { number: d.number, issue_date: d.issue_date, total: d.total, taxes: t.taxes });
    }
    Ok((from, deposits))
}

/// A final invoice never deducts more than its total.
pub(crate) fn check_prepaid(inv: &Invoice, t: &Totals) -> AppResult<()> {
    if inv.prepaid > t.total {
        return Err(AppError::invalid(
            "lines",
            format!(
                "invoice {} deducts deposits of {} {}; its total of {} {} must not be less",
                inv.number, inv.prepaid, inv.currency, t.total, inv.currency
            ),
        ));
    }
    Ok(())
}

/// When an invoice is cancelled: a deposit deducted on a final invoice stays
/// (cancel the final invoice first); a cancelled whole conversion frees its
/// estimate (it may be converted again) and its deposits (a new final
/// invoice may deduct them).
pub(crate) fn release_on_cancel(tx: &Tx, inv: &mut Invoice) -> AppResult<()> {
    if let Some(final_number) = db::deducted_on(tx, inv.id)? {
        return Err(AppError::conflict(format!(
            "invoice {} is a deposit deducted on the final invoice {final_number}; cancel that one first",
            inv.number
        )));
    }
    if let Some(m) = db::made_from(tx, inv.id)? {
        if matches!(m.kind, Made::Full | Made::Final) {
            db::unlink_invoice(tx, inv.id)?;
            db::clear_deductions(tx, inv.id)?;
        }
    }
    Ok(())
}

/// Copies an estimate's lines onto an invoice.
fn copy_lines(lines: &[InvoiceLine], invoice_id: i64) -> Vec<InvoiceLine> {
    lines
        .iter()
        .map(|l| InvoiceLine {
            id: 0,
            invoice_id,
            position: l.position,
            description: l.description.clone(),
            long_description: l.long_description.clone(),
            quantity: l.quantity,
            seconds: l.seconds,
            unit: l.unit.clone(),
            rate: l.rate,
            discount: l.discount,
            tax: l.tax.clone(),
            amount: l.amount,
            entry_ids: vec![],
        })
        .collect()
}

/// A new draft invoice for an estimate: its client, currency, tax mode,
/// taxes, pricing, project, purchase order, template and language; the
/// invoice's own dates (issue today, due after the payment terms) unless given.
fn invoice_for(tx: &Tx, clock: &dyn Clock, e: &Estimate, i: &ConvertInput) -> AppResult<Invoice> {
    let header = HeaderInput { issue_date: i.issue_date.clone(), due_date: i.due_date.clone(), ..Default::default() };
    let (mut inv, _) = new_draft(tx, clock, e.client_id, i.number.as_deref(), &header, true)?;
    inv.currency = e.currency;
    inv.tax_mode = e.tax_mode;
    inv.taxes = e.taxes.clone();
    inv.pricing = e.pricing;
    inv.project_id = e.project_id;
    inv.po_number = e.po_number.clone();
    inv.template = e.template;
    inv.locale = e.locale;
    Ok(inv)
}

fn deposit_invoice(
    tx: &Tx,
    clock: &dyn Clock,
    e: &Estimate,
    i: &ConvertInput,
    text: &str,
    made: &[MadeInvoice],
) -> AppResult<i64> {
    if let Some(whole) = made.iter().find(|m| is_whole(m)) {
        return Err(AppError::invalid(
            "deposit",
            format!(
                "estimate {} is already converted in full into invoice {}; no deposit follows it",
                e.number, whole.number
            ),
        ));
    }
    let part = DepositPart::parse("deposit", text, e.currency)?;
    let lines = db::lines(tx, e.id, e.currency)?;
    let draft = draft_of(&as_invoice(e), &lines);
    let t = totals(&draft)?;
    let shares = deposit_shares(&draft, &t, part, "deposit")?;
    let mut inv = invoice_for(tx, clock, e, i)?;
    let now = clock.now();
    inv.id = idb::insert_invoice(tx, &inv, now.timestamp())?;
    let several = shares.len() > 1;
    let what = match part {
        DepositPart::Percent(p) => format!("Deposit of {} % of estimate {}", p.normalize(), e.number),
        DepositPart::Amount(_) => format!("Deposit on estimate {}", e.number),
    };
    let mut inv_lines = Vec::new();
    for (n, s) in shares.iter().enumerate() {
        let mut l = new_line(inv.id);
        l.position = n as u32 + 1;
        l.description = match (&s.tax, several) {
            (Some(tax), true) => format!("{what} — {}", tax.name),
            (None, true) if e.tax_mode == TaxMode::Inline => format!("{what} — untaxed"),
            _ => what.clone(),
        };
        l.quantity = Decimal::ONE;
        l.rate = s.amount;
        l.tax = s.tax.clone();
        l.id = idb::insert_line(tx, &l, inv.currency)?;
        inv_lines.push(l);
    }
    save_draft(tx, &mut inv, &mut inv_lines, now.timestamp())?;
    let deposited: Decimal = live_deposits(made).iter().map(|m| m.total).sum();
    check_deposit_fits("deposit", e.total, deposited, inv.total, e.currency)?;
    db::link_invoice(tx, inv.id, e.id, Made::Deposit, &part.text())?;
    let facts = ActivityFacts {
        how: Some("deposit".into()),
        number: Some(e.number.clone()),
        amount: Some(inv.total),
        currency: Some(inv.currency),
        ..Default::default()
    };
    let detail = format!("deposit {} of estimate {}: {} {}", part.text(), e.number, inv.total, inv.currency);
    idb::log_facts(tx, inv.id, now, "created", &detail, Some(&facts))?;
    Ok(inv.id)
}

fn whole_invoice(tx: &Tx, clock: &dyn Clock, e: &Estimate, i: &ConvertInput, made: &[MadeInvoice]) -> AppResult<i64> {
    if let Some(whole) = made.iter().find(|m| is_whole(m)) {
        return Err(AppError::invalid(
            "estimate",
            format!(
                "estimate {} is already converted in full into invoice {}; an estimate converts in full once (cancel or delete {} to convert it again)",
                e.number, whole.number, whole.number
            ),
        ));
    }
    let deposits = live_deposits(made);
    if let Some(draft) = deposits.iter().find(|d| d.status == InvoiceStatus::Draft) {
        return Err(AppError::invalid(
            "deposit",
            format!(
                "deposit invoice {} of estimate {} is still a draft; issue it (or delete it) before the final invoice deducts it",
                draft.number, e.number
            ),
        ));
    }
    let mut inv = invoice_for(tx, clock, e, i)?;
    inv.discount = e.discount;
    inv.prepaid = deposits.iter().map(|d| d.total).sum();
    let now = clock.now();
    inv.id = idb::insert_invoice(tx, &inv, now.timestamp())?;
    let mut lines = copy_lines(&db::lines(tx, e.id, e.currency)?, inv.id);
    for l in &mut lines {
        l.id = idb::insert_line(tx, l, inv.currency)?;
    }
    save_draft(tx, &mut inv, &mut lines, now.timestamp())?;
    let ids: Vec<i64> = deposits.iter().map(|d| d.invoice_id).collect();
    db::add_deductions(tx, inv.id, &ids)?;
    let kind = if ids.is_empty() { Made::Full } else { Made::Final };
    db::link_invoice(tx, inv.id, e.id, kind, "")?;
    let facts = ActivityFacts {
        how: Some(if ids.is_empty() { "estimate" } else { "final" }.into()),
        number: Some(e.number.clone()),
        count: Some(ids.len() as u32),
        ..Default::default()
    };
    let detail = if ids.is_empty() {
        format!("draft {} from estimate {}", inv.number, e.number)
    } else {
        let numbers: Vec<&str> = deposits.iter().map(|d| d.number.as_str()).collect();
        format!(
            "final invoice {} of estimate {}, deducting deposit(s) {} ({} {})",
            inv.number,
            e.number,
            numbers.join(", "),
            inv.prepaid,
            inv.currency
        )
    };
    idb::log_facts(tx, inv.id, now, "created", &detail, Some(&facts))?;
    Ok(inv.id)
}

impl Billable {
    /// Creates a draft estimate with lines typed by hand.
    pub fn create_estimate(&mut self, i: EstimateInput) -> AppResult<EstimateView> {
        self.write("create the estimate", |tx, clock| {
            let mut h = i.header.as_header();
            h.due_date = None;
            let (inv, line_tax) = new_draft(tx, clock, i.client_id, None, &h, false).map_err(as_estimate_error)?;
            let mut shape = inv;
            shape.due_date = match &i.header.valid_until {
                Some(v) => crate::parse::date("valid_until", v, clock)?,
                None => shape.issue_date + Duration::days(DEFAULT_VALID_DAYS),
            };
            if shape.due_date < shape.issue_date {
                return Err(AppError::invalid(
                    "valid_until",
                    format!("{} is before the issue date {}", shape.due_date, shape.issue_date),
                ));
            }
            let now = clock.now();
            let mut e = Estimate {
                id: 0,
                number: assign_number(tx, i.number.as_deref(), shape.issue_date)?,
                client_id: i.client_id,
                project_id: None,
                issue_date: shape.issue_date,
                valid_until: shape.due_date,
                currency: shape.currency,
                tax_mode: shape.tax_mode,
                pricing: shape.pricing,
                discount: Discount::None,
                taxes: vec![],
                notes: String::new(),
                terms: String::new(),
                po_number: String::new(),
                status: EstimateStatus::Draft,
                subtotal: Decimal::ZERO,
                discount_amount: Decimal::ZERO,
                tax_total: Decimal::ZERO,
                total: Decimal::ZERO,
                template: None,
                locale: None,
                created_at: now,
                sent_at: None,
                decided_at: None,
            };
            take_header(&mut e, &shape);
            e.id = db::insert_estimate(tx, &e, now.timestamp())?;
            let mut lines = Vec::new();
            for (n, li) in i.lines.iter().enumerate() {
                let li = &with_item(tx, li, n + 1, e.tax_mode)?;
                let mut l = new_line(e.id);
                l.tax = line_tax.first().cloned();
                if li.description.is_none() {
                    return Err(AppError::invalid(&format!("lines[{}].description", n + 1), "is required"));
                }
                if li.rate.is_none() {
                    return Err(AppError::invalid(&format!("lines[{}].rate", n + 1), "is required"));
                }
                apply_line(tx, &mut l, li, n + 1)?;
                l.position = n as u32 + 1;
                l.id = db::insert_line(tx, &l, e.currency)?;
                lines.push(l);
            }
            save(tx, &mut e, &mut lines, now.timestamp())?;
            view(tx, clock, e.id)
        })
    }

    /// An estimate by number or id, with lines, totals and its invoices.
    pub fn estimate(&mut self, key: &str) -> AppResult<EstimateView> {
        self.read("read the estimate", |tx, clock| {
            let e = resolve(tx, key)?;
            view(tx, clock, e.id)
        })
    }

    /// Estimates, newest first, by status (`expired` is derived) and client.
    pub fn estimates(&mut self, i: EstimateListInput) -> AppResult<Vec<EstimateListRow>> {
        let status = match i.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(s.parse::<EstimateDisplay>()?),
            None => None,
        };
        self.read("list the estimates", |tx, clock| {
            let today = clock.today();
            let rows = db::list(tx, status.map(|s| s.as_str()), i.client_id, today)?;
            Ok(rows
                .into_iter()
                .map(|r| EstimateListRow {
                    id: r.estimate.id,
                    display_status: display_status(r.estimate.status, r.estimate.valid_until, today),
                    number: r.estimate.number,
                    client_name: r.client_name,
                    issue_date: r.estimate.issue_date,
                    valid_until: r.estimate.valid_until,
                    currency: r.estimate.currency,
                    total: r.estimate.total,
                    status: r.estimate.status,
                })
                .collect())
        })
    }

    /// Runs a change on an estimate's lines or header.
    fn edit_estimate(
        &mut self,
        key: &str,
        operation: &str,
        validity_only: bool,
        f: impl FnOnce(&Tx, &dyn Clock, &mut Estimate, &mut Vec<InvoiceLine>) -> AppResult<()>,
    ) -> AppResult<EstimateView> {
        self.write(operation, |tx, clock| {
            let mut e = resolve(tx, key)?;
            if validity_only {
                ensure_validity_editable(e.status, &e.number)?;
            } else {
                ensure_editable(e.status, &e.number)?;
            }
            crate::mail::ensure_no_pending_estimate_email(tx, &e)?;
            let mut lines = db::lines(tx, e.id, e.currency)?;
            f(tx, clock, &mut e, &mut lines)?;
            save(tx, &mut e, &mut lines, clock.now().timestamp())?;
            view(tx, clock, e.id)
        })
    }

    /// Changes an estimate's header. A sent estimate changes only its
    /// validity date; a draft changes anything.
    pub fn set_estimate(&mut self, key: &str, h: EstimateHeaderInput) -> AppResult<EstimateView> {
        let validity_only = !h.changes_more_than_validity();
        self.edit_estimate(key, "change the estimate", validity_only, |tx, clock, e, lines| {
            let mut shape = as_invoice(e);
            apply_header(tx, clock, &mut shape, lines, &h.as_header()).map_err(as_estimate_error)?;
            take_header(e, &shape);
            Ok(())
        })
    }

    pub fn add_estimate_line(&mut self, key: &str, i: LineInput) -> AppResult<EstimateView> {
        self.edit_estimate(key, "add the line", false, |tx, _, e, lines| {
            let n = lines.len() + 1;
            let i = with_item(tx, &i, n, e.tax_mode)?;
            let mut l = new_line(e.id);
            if e.tax_mode == TaxMode::Inline {
                let client = client_or_404(tx, e.client_id)?;
                l.tax = crate::invoices::tax_snapshots(tx, &client.tax_rate_ids, "taxes")?.into_iter().next();
            }
            if i.description.is_none() {
                return Err(AppError::invalid(&format!("lines[{n}].description"), "is required"));
            }
            if i.rate.is_none() {
                return Err(AppError::invalid(&format!("lines[{n}].rate"), "is required"));
            }
            apply_line(tx, &mut l, &i, n)?;
            l.position = n as u32;
            l.id = db::insert_line(tx, &l, e.currency)?;
            lines.push(l);
            Ok(())
        })
    }

    /// Changes line `position` (1-based).
    pub fn edit_estimate_line(&mut self, key: &str, position: usize, i: LineInput) -> AppResult<EstimateView> {
        self.edit_estimate(key, "change the line", false, |tx, _, e, lines| {
            let i = with_item(tx, &i, position, e.tax_mode)?;
            let l = line_at(lines, position)?;
            apply_line(tx, l, &i, position)
        })
    }

    pub fn delete_estimate_line(&mut self, key: &str, position: usize) -> AppResult<EstimateView> {
        self.edit_estimate(key, "delete the line", false, |tx, _, _, lines| {
            let id = line_at(lines, position)?.id;
            db::delete_line(tx, id)?;
            lines.remove(position - 1);
            Ok(())
        })
    }

    /// Marks an estimate sent (given to the client): its lines and prices
    /// are fixed from now on.
    pub fn mark_estimate_sent(&mut self, key: &str) -> AppResult<EstimateView> {
        self.write("mark the estimate sent", |tx, clock| {
            let mut e = resolve(tx, key)?;
            ensure_sendable(e.status, &e.number)?;
            if db::lines(tx, e.id, e.currency)?.is_empty() {
                return Err(AppError::invalid(
                    "lines",
                    format!("estimate {} has no lines; add at least one before sending it", e.number),
                ));
            }
            e.status = EstimateStatus::Sent;
            e.sent_at = Some(clock.now());
            db::update_estimate(tx, &e, clock.now().timestamp())?;
            view(tx, clock, e.id)
        })
    }

    /// Records the client's acceptance (while the estimate is valid).
    pub fn accept_estimate(&mut self, key: &str) -> AppResult<EstimateView> {
        self.decide(key, EstimateStatus::Accepted, "accept the estimate")
    }

    /// Records that the client declined.
    pub fn decline_estimate(&mut self, key: &str) -> AppResult<EstimateView> {
        self.decide(key, EstimateStatus::Declined, "decline the estimate")
    }

    fn decide(&mut self, key: &str, to: EstimateStatus, operation: &str) -> AppResult<EstimateView> {
        self.write(operation, |tx, clock| {
            let mut e = resolve(tx, key)?;
            check_decision(e.status, to, e.valid_until, clock.today(), &e.number)?;
            if db::lines(tx, e.id, e.currency)?.is_empty() {
                return Err(AppError::invalid("lines", format!("estimate {} has no lines", e.number)));
            }
            if e.sent_at.is_none() {
                e.sent_at = Some(clock.now());
            }
            e.status = to;
            e.decided_at = Some(clock.now());
            db::update_estimate(tx, &e, clock.now().timestamp())?;
            view(tx, clock, e.id)
        })
    }

    /// Deletes an estimate no invoice was made from. Its number stays used.
    pub fn delete_estimate(&mut self, key: &str) -> AppResult<EstimateView> {
        self.write("delete the estimate", |tx, clock| {
            let e = resolve(tx, key)?;
            crate::mail::ensure_no_pending_estimate_email(tx, &e)?;
            if db::has_invoices(tx, e.id)? {
                return Err(AppError::conflict(format!(
                    "invoices were made from estimate {}; it is kept with them",
                    e.number
                )));
            }
            let v = view(tx, clock, e.id)?;
            db::delete_estimate(tx, e.id)?;
            Ok(v)
        })
    }

    /// Converts an accepted estimate: a deposit invoice (`deposit` given),
    /// or the whole of it — a draft with the same lines, deducting the
    /// deposits invoiced before (the final invoice). In one transaction.
    pub fn convert_estimate(&mut self, i: ConvertInput) -> AppResult<ConvertOutcome> {
        self.write("convert the estimate", |tx, clock| {
            let e = resolve(tx, &i.estimate)?;
            ensure_convertible(e.status, &e.number)?;
            let made = db::invoices_of(tx, e.id)?;
            let id = match i.deposit.as_deref() {
                Some(text) => deposit_invoice(tx, clock, &e, &i, text, &made)?,
                None => whole_invoice(tx, clock, &e, &i, &made)?,
            };
            Ok(ConvertOutcome { estimate: view(tx, clock, e.id)?, invoice: crate::invoices::view(tx, clock, id)? })
        })
    }

    /// The estimate numbering pattern.
    pub fn estimate_pattern(&mut self) -> AppResult<String> {
        self.read("read the estimate numbering", |tx, _| Ok(db::number_pattern(tx)?))
    }

    /// Sets the estimate numbering pattern (e.g. `EST-{YYYY}-{SEQ:4}`).
    pub fn set_estimate_pattern(&mut self, pattern: &str) -> AppResult<String> {
        let p = NumberPattern::parse(pattern).map_err(|e| AppError::invalid("estimate_pattern", e.to_string()))?;
        self.write("set the estimate numbering", |tx, _| {
            db::set_number_pattern(tx, p.as_str())?;
            Ok(p.as_str().to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_validity_date_is_a_validity_change() {
        let h = EstimateHeaderInput { valid_until: Some("2026-12-31".into()), ..Default::default() };
        assert!(!h.changes_more_than_validity());
        let h = EstimateHeaderInput { notes: Some("x".into()), ..h };
        assert!(h.changes_more_than_validity());
    }
}
