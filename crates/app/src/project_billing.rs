//! Billing a project by its billing type. Hourly projects bill their
//! unbilled time (as `invoice_from_time`); fixed-price projects bill a part
//! of their fee (a percentage, a milestone amount or what remains), never
//! more than the fee in total; retainers bill their amount once per period.

use billable_core::billing_types::{fee_amount, fee_remaining, FeePart, RetainerPeriod};
use billable_core::model::{BillingType, Project};
use billable_core::tax::TaxMode;
use billable_core::Currency;
use billable_store::catalog as cat;
use billable_store::invoices as idb;
use billable_store::{project_billing as db, Tx};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{new_draft, new_line, save_draft, view, HeaderInput};
use crate::views::{BilledPeriod, FromTimeOutcome, InvoiceView, ProjectBillingView};
use crate::{Billable, FromTimeInput};

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ProjectInvoiceInput {
    pub project_id: i64,
    /// Fixed price: this percentage of the fee…
    pub percent: Option<String>,
    /// …or this milestone amount…
    pub amount: Option<String>,
    /// …or everything not invoiced yet.
    pub remaining: bool,
    /// Retainer: the period to bill (`2026-03`, `2026-Q1`, `2026`,
    /// `2026-W09`); default the current one. Hourly: not used.
    pub period: Option<String>,
    /// The line's text (default: says what is billed).
    pub description: Option<String>,
    pub issue_date: Option<String>,
    pub due_date: Option<String>,
    pub number: Option<String>,
}

fn project_or_404(tx: &Tx, id: i64) -> AppResult<Project> {
    cat::project(tx, id)?.ok_or_else(|| AppError::invalid("project", format!("project {id} does not exist")))
}

fn currency_of(tx: &Tx, p: &Project) -> AppResult<Currency> {
    let client = client_or_404(tx, p.client_id)?;
    Ok(client.currency.unwrap_or(cat::business(tx)?.default_currency))
}

fn refuse(field: &str, p: &Project, why: &str) -> AppError {
    AppError::invalid(
        field,
        format!("project {} is billed {}; {why}", p.name, p.billing_type.as_str().replace('_', " ")),
    )
}

/// Creates a one-line draft for a project and returns it.
fn one_line_invoice(
    tx: &Tx,
    clock: &dyn Clock,
    p: &Project,
    i: &ProjectInvoiceInput,
    description: String,
    amount: Decimal,
) -> AppResult<i64> {
    let header = HeaderInput {
        issue_date: i.issue_date.clone(),
        due_date: i.due_date.clone(),
        project_id: Some(Some(p.id)),
        ..Default::default()
    };
    let (mut inv, line_tax) = new_draft(tx, clock, p.client_id, i.number.as_deref(), &header, true)?;
    let now = clock.now();
    inv.id = idb::insert_invoice(tx, &inv, now.timestamp())?;
    let mut l = new_line(inv.id);
    l.position = 1;
    l.description = description;
    l.quantity = Decimal::ONE;
    l.rate = amount;
    if inv.tax_mode == TaxMode::Inline {
        l.tax = line_tax.first().cloned();
    }
    l.id = idb::insert_line(tx, &l, inv.currency)?;
    let mut lines = vec![l];
    save_draft(tx, &mut inv, &mut lines, now.timestamp())?;
    Ok(inv.id)
}

fn description(i: &ProjectInvoiceInput, default: String) -> AppResult<String> {
    match i.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => crate::parse::text("description", d),
        None => Ok(default),
    }
}

fn bill_fee(tx: &Tx, clock: &dyn Clock, p: &Project, i: &ProjectInvoiceInput) -> AppResult<InvoiceView> {
    if i.period.is_some() {
        return Err(refuse("period", p, "bill a percent, an amount or the remaining fee (periods are for retainers)"));
    }
    let fee =
        p.budget.ok_or_else(|| AppError::invalid("budget", format!("project {} has no fixed fee (budget)", p.name)))?;
    let cur = currency_of(tx, p)?;
    let part = FeePart::parse(i.percent.as_deref(), i.amount.as_deref(), i.remaining, cur)?;
    let invoiced = cur.from_minor(db::fee_invoiced_minor(tx, p.id)?);
    let amount = fee_amount(fee, invoiced, part, cur)?;
    let fee = billable_core::round_money(fee, cur);
    let what = match part {
        FeePart::Percent(pc) => format!("{pc} % of the fixed fee of {fee} {cur}"),
        FeePart::Amount(_) => format!("milestone of the fixed fee of {fee} {cur}"),
        FeePart::Remaining if invoiced.is_zero() => format!("fixed fee of {fee} {cur}"),
        FeePart::Remaining => format!("remainder of the fixed fee of {fee} {cur}"),
    };
    let text = description(i, format!("{} — {what}", p.name))?;
    let id = one_line_invoice(tx, clock, p, i, text, amount)?;
    db::link_fee_invoice(tx, id, p.id)?;
    let left = fee_remaining(fee, invoiced + amount);
    let facts = billable_core::model::ActivityFacts {
        how: Some("fixed_fee".into()),
        name: Some(p.name.clone()),
        amount: Some(amount),
        currency: Some(cur),
        ..Default::default()
    };
    idb::log_facts(
        tx,
        id,
        clock.now(),
        "created",
        &format!("{amount} {cur} of the fixed fee of project {} ({left} {cur} left to bill)", p.name),
        Some(&facts),
    )?;
    view(tx, clock, id)
}

fn bill_retainer(tx: &Tx, clock: &dyn Clock, p: &Project, i: &ProjectInvoiceInput) -> AppResult<InvoiceView> {
    for (field, given) in [("percent", i.percent.is_some()), ("amount", i.amount.is_some()), ("remaining", i.remaining)]
    {
        if given {
            return Err(refuse(field, p, "it bills its amount once per period; choose the period"));
        }
    }
    let amount = p
        .budget
        .ok_or_else(|| AppError::invalid("budget", format!("project {} has no retainer amount (budget)", p.name)))?;
    let kind = db::retainer_period(tx, p.id)?;
    let period = match i.period.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(t) => kind.parse_period(t)?,
        None => kind.containing(clock.today()),
    };
    let label = kind.label(&period);
    if let Some((_, number, status)) = db::retainer_invoice(tx, p.id, period.start)? {
        if status == "cancelled" {
            db::release_retainer_period(tx, p.id, period.start)?;
        } else {
            return Err(AppError::invalid(
                "period",
                format!("{label} of retainer {} is already billed on invoice {number}", p.name),
            ));
        }
    }
    let cur = currency_of(tx, p)?;
    let text = description(i, format!("{} — retainer {label} ({} – {})", p.name, period.start, period.end))?;
    let id = one_line_invoice(tx, clock, p, i, text, amount)?;
    db::link_retainer_invoice(tx, p.id, period.start, period.end, id)?;
    let facts = billable_core::model::ActivityFacts {
        how: Some("retainer".into()),
        name: Some(p.name.clone()),
        amount: Some(billable_core::round_money(amount, cur)),
        currency: Some(cur),
        date: Some(period.start),
        until: Some(period.end),
        ..Default::default()
    };
    let detail = format!("retainer of project {} for {label}: {amount} {cur}", p.name);
    idb::log_facts(tx, id, clock.now(), "created", &detail, Some(&facts))?;
    view(tx, clock, id)
}

/// After a draft is edited: when it bills part of a fixed fee, the fee must
/// still hold (in the caller's transaction, so a refused edit writes nothing).
pub(crate) fn check_fee(tx: &Tx, invoice_id: i64) -> AppResult<()> {
    let Some(project_id) = db::fee_project_of(tx, invoice_id)? else { return Ok(()) };
    let p = project_or_404(tx, project_id)?;
    let Some(fee) = p.budget else { return Ok(()) };
    let cur = currency_of(tx, &p)?;
    let invoiced = cur.from_minor(db::fee_invoiced_minor(tx, p.id)?);
    if invoiced > fee {
        return Err(AppError::invalid(
            "lines",
            format!(
                "this invoice bills part of the fixed fee of project {} ({} {cur}); with this change {invoiced} {cur} \
                 would be invoiced in all",
                p.name,
                billable_core::round_money(fee, cur)
            ),
        ));
    }
    Ok(())
}

fn billing_view(tx: &Tx, p: Project) -> AppResult<ProjectBillingView> {
    let client = client_or_404(tx, p.client_id)?;
    let cur = currency_of(tx, &p)?;
    let mut v = ProjectBillingView {
        client_name: client.name,
        currency: cur,
        fee: None,
        invoiced: None,
        remaining: None,
        fee_invoices: Vec::new(),
        retainer_period: None,
        billed_periods: Vec::new(),
        project: p.clone(),
    };
    match p.billing_type {
        BillingType::Hourly => {}
        BillingType::FixedPrice => {
            let invoiced = cur.from_minor(db::fee_invoiced_minor(tx, p.id)?);
            v.fee = p.budget;
            v.invoiced = Some(invoiced);
            v.remaining = p.budget.map(|f| billable_core::round_money(fee_remaining(f, invoiced), cur));
            v.fee_invoices = db::fee_invoices(tx, p.id)?.into_iter().map(|(_, n)| n).collect();
        }
        BillingType::Retainer => {
            let kind = db::retainer_period(tx, p.id)?;
            v.retainer_period = Some(kind);
            v.billed_periods = db::retainer_periods(tx, p.id)?
                .into_iter()
                .map(|(start, end, invoice_number, status)| BilledPeriod {
                    label: kind.label(&billable_core::recurring::Period { cycle: 0, start, end }),
                    start,
                    end,
                    invoice_number,
                    status,
                })
                .collect();
        }
    }
    Ok(v)
}

impl Billable {
    /// Bills a project by its billing type: a fixed-price project a part of
    /// its fee, a retainer one period, an hourly project its unbilled time
    /// (like `invoice_from_time` for the project).
    pub fn invoice_from_project(&mut self, i: ProjectInvoiceInput) -> AppResult<InvoiceView> {
        let p = self.read("read the project", |tx, _| project_or_404(tx, i.project_id))?;
        if p.billing_type == BillingType::Hourly {
            for (field, given) in [
                ("percent", i.percent.is_some()),
                ("amount", i.amount.is_some()),
                ("remaining", i.remaining),
                ("period", i.period.is_some()),
            ] {
                if given {
                    return Err(refuse(field, &p, "bill its unbilled time instead (no percent, amount or period)"));
                }
            }
            let out = self.invoice_from_time(FromTimeInput {
                client_id: p.client_id,
                project_id: Some(p.id),
                number: i.number.clone(),
                header: HeaderInput {
                    issue_date: i.issue_date.clone(),
                    due_date: i.due_date.clone(),
                    ..Default::default()
                },
                ..Default::default()
            })?;
            return match out {
                FromTimeOutcome::Created(v) => Ok(v.invoice),
                FromTimeOutcome::Preview(_) => Err(AppError::conflict("a preview was made instead of an invoice")),
            };
        }
        self.write("bill the project", |tx, clock| {
            // Read again inside the transaction: what was billed meanwhile counts.
            let p = project_or_404(tx, i.project_id)?;
            if p.archived {
                return Err(AppError::invalid("project", format!("project {} is archived", p.name)));
            }
            match p.billing_type {
                BillingType::FixedPrice => bill_fee(tx, clock, &p, &i),
                BillingType::Retainer => bill_retainer(tx, clock, &p, &i),
                BillingType::Hourly => Err(refuse("project", &p, "bill its unbilled time instead")),
            }
        })
    }

    /// How far a project is billed: fee and remaining, or retainer periods.
    pub fn project_billing(&mut self, project_id: i64) -> AppResult<ProjectBillingView> {
        self.read("read the project's billing", |tx, _| {
            let p = project_or_404(tx, project_id)?;
            billing_view(tx, p)
        })
    }

    /// Sets a retainer project's period (weekly, monthly, quarterly or
    /// yearly); the amount per period is its budget.
    pub fn set_retainer_period(&mut self, project_id: i64, period: &str) -> AppResult<ProjectBillingView> {
        let kind: RetainerPeriod = period.parse()?;
        self.write("set the retainer period", |tx, _| {
            let p = project_or_404(tx, project_id)?;
            if p.billing_type != BillingType::Retainer {
                return Err(refuse("retainer_period", &p, "only retainer projects have a period"));
            }
            db::set_retainer_period(tx, p.id, kind)?;
            billing_view(tx, p)
        })
    }
}
