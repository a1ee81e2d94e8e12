//! Late fees on reminders. A schedule's step after the due date may carry a
//! fee (fixed, or a percentage of the open balance). Issued invoices are
//! frozen, so the fee is its own invoice: same client, currency and tax
//! mode, one line, numbered from the normal sequence and issued at once,
//! linked to the invoice and the step. One fee per (invoice, step): the link
//! table's primary key refuses a second, so two runs never make two.

use billable_core::late_fee::LateFee;
use billable_core::model::ActivityFacts;
use billable_core::Currency;
use billable_store::catalog as cat;
use billable_store::invoices as idb;
use billable_store::mail::{self as mdb, OpenInvoice, ScheduleRow, StepFee};
use billable_store::Tx;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::format_money;
use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{assign_number, blank_draft, issue, new_line, save_draft};

/// A step's late fee as typed: "5.00", "1.5%", or "" for none.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct StepFeeInput {
    /// The step: days after the due date (one of the schedule's).
    pub days_after: u32,
    /// "5.00" (fixed), "1.5%" (of the open balance), or empty for none.
    pub fee: String,
}

/// The late fee a reminder adds (or, on a dry run, would add).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReminderFee {
    /// The reminder's step after the due date: 1 for the first overdue notice.
    pub step: u32,
    pub fee: LateFee,
    /// The fee rounded to the invoice's currency.
    pub amount: Decimal,
    pub currency: Currency,
    /// The fee invoice's number (once invoiced).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee_invoice: Option<String>,
}

/// The schedule's fees with the input applied: a fee typed for a step sets
/// it, an empty one removes it; steps no longer in `days_after` lose theirs.
pub(super) fn merge_fees(current: &[StepFee], input: &[StepFeeInput], days_after: &[u32]) -> AppResult<Vec<StepFee>> {
    let mut out: Vec<StepFee> = current.iter().filter(|f| days_after.contains(&f.days_after)).copied().collect();
    for i in input {
        if i.days_after == 0 || !days_after.contains(&i.days_after) {
            let steps: Vec<String> = days_after.iter().filter(|d| **d > 0).map(u32::to_string).collect();
            return Err(AppError::invalid(
                "late_fee",
                format!(
                    "{} days after the due date is not a step of the schedule (its steps after the due date: {})",
                    i.days_after,
                    if steps.is_empty() { "none".to_string() } else { steps.join(", ") }
                ),
            ));
        }
        out.retain(|f| f.days_after != i.days_after);
        let text = i.fee.trim();
        if !text.is_empty() && !text.eq_ignore_ascii_case("none") {
            out.push(StepFee { days_after: i.days_after, fee: LateFee::parse("late_fee", text)? });
        }
    }
    out.sort_by_key(|f| f.days_after);
    Ok(out)
}

/// The step number of `offset` days after the due date: its place among the
/// schedule's steps after the due date (1 for the first).
pub(super) fn step_number(s: &ScheduleRow, offset: i64) -> u32 {
    let mut after: Vec<u32> = s.days_after.iter().copied().filter(|d| *d > 0).collect();
    after.sort_unstable();
    after.iter().position(|d| i64::from(*d) == offset).map_or(0, |p| p as u32 + 1)
}

/// The fee the step `offset` would add to an open invoice, if any.
pub(super) fn fee_due(s: &ScheduleRow, open: &OpenInvoice, offset: i64) -> Option<ReminderFee> {
    if offset <= 0 {
        return None;
    }
    let fee = s.late_fee(offset)?;
    let amount = fee.amount(open.balance_due, open.currency);
    if amount <= Decimal::ZERO {
        return None;
    }
    Some(ReminderFee { step: step_number(s, offset), fee, amount, currency: open.currency, fee_invoice: None })
}

/// Invoices the fee (in the run's transaction) unless this step's fee was
/// invoiced before; returns its number either way.
pub(super) fn invoice_fee(
    tx: &Tx,
    clock: &dyn Clock,
    open: &OpenInvoice,
    offset: i64,
    fee: &ReminderFee,
) -> AppResult<String> {
    if let Some((_, number)) = mdb::late_fee_invoice(tx, open.id, offset)? {
        return Ok(number);
    }
    let original = idb::invoice(tx, open.id)?.ok_or_else(|| AppError::not_found("invoice", open.id))?;
    let client = client_or_404(tx, original.client_id)?;
    let business = cat::business(tx)?;
    let now = clock.now();
    let today = clock.today();
    let mut inv = blank_draft(&client, &business, today, now);
    inv.currency = original.currency;
    inv.tax_mode = original.tax_mode;
    inv.taxes = vec![];
    inv.template = original.template;
    inv.locale = original.locale;
    inv.number = assign_number(tx, None, today)?;
    inv.id = idb::insert_invoice(tx, &inv, now.timestamp())?;
    let mut line = new_line(inv.id);
    line.position = 1;
    line.description = format!("Late fee for {}, reminder {}", original.number, fee.step);
    line.quantity = Decimal::ONE;
    line.rate = fee.amount;
    line.id = idb::insert_line(tx, &line, inv.currency)?;
    let mut lines = vec![line];
    save_draft(tx, &mut inv, &mut lines, now.timestamp())?;
    issue(clock, &mut inv, &lines)?;
    idb::update_invoice(tx, &inv, now.timestamp())?;
    mdb::link_late_fee(tx, original.id, offset, inv.id, now)?;
    let shown = format_money(fee.amount, fee.currency);
    let facts = |number: &str| ActivityFacts {
        how: Some("late_fee".into()),
        amount: Some(fee.amount),
        currency: Some(fee.currency),
        number: Some(number.to_string()),
        count: Some(fee.step),
        days: Some(offset),
        ..Default::default()
    };
    idb::log_facts(
        tx,
        inv.id,
        now,
        "created",
        &format!("Late fee of {shown} for {}, reminder {}; issued at once", original.number, fee.step),
        Some(&facts(&original.number)),
    )?;
    idb::log_facts(
        tx,
        original.id,
        now,
        "late_fee_invoiced",
        &format!("Late fee of {shown} invoiced as {} (reminder {})", inv.number, fee.step),
        Some(&facts(&inv.number)),
    )?;
    Ok(inv.number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fee(d: u32, text: &str) -> StepFeeInput {
        StepFeeInput { days_after: d, fee: text.into() }
    }

    #[test]
    fn fees_are_merged_by_step_and_only_for_steps_of_the_schedule() {
        let after = [1, 7, 14];
        let set = merge_fees(&[], &[fee(7, "5.00"), fee(14, "1.5%")], &after).unwrap();
        assert_eq!(
            set.iter().map(|f| (f.days_after, f.fee.to_string())).collect::<Vec<_>>(),
            [(7, "5.00".to_string()), (14, "1.5%".to_string())]
        );
        let less = merge_fees(&set, &[fee(7, "")], &after).unwrap();
        assert_eq!(less.iter().map(|f| f.days_after).collect::<Vec<_>>(), [14]);
        assert_eq!(merge_fees(&set, &[], &[1, 7]).unwrap().len(), 1, "a step dropped loses its fee");
        let e = merge_fees(&set, &[fee(9, "5")], &after).unwrap_err();
        assert!(e.to_string().contains("9 days after the due date is not a step"), "{e}");
        assert!(merge_fees(&set, &[fee(7, "five")], &after).is_err());
        let s = ScheduleRow { days_after: vec![14, 1, 7], ..Default::default() };
        assert_eq!((step_number(&s, 1), step_number(&s, 7), step_number(&s, 14)), (1, 2, 3));
    }
}
