//! Credit notes: the only way to correct an issued invoice. A credit note
//! takes back all or some of an invoice's lines (or part of their
//! quantities), priced by the same totals engine as the invoice; the credit
//! first reduces what is still owed and any rest is paid back as a refund.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::model::{Invoice, InvoiceLine};
use crate::money::Currency;
use crate::money::{parse_decimal, round_money};
use crate::numbering::NumberPattern;
use crate::status::{status_for_payments, InvoiceStatus};
use crate::tax::{TaxMode, TaxRate};
use crate::totals::{totals, Discount, Draft, DraftLine};

/// A credit note: a document of its own, with its own number, that takes
/// back part or all of an issued invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditNote {
    pub id: i64,
    pub number: String,
    pub invoice_id: i64,
    pub issue_date: NaiveDate,
    pub currency: Currency,
    pub tax_mode: TaxMode,
    pub reason: String,
    /// Summary-mode taxes (those of the invoice).
    pub taxes: Vec<TaxRate>,
    pub subtotal: Decimal,
    pub discount_amount: Decimal,
    pub tax_total: Decimal,
    pub adjustment: Decimal,
    pub total: Decimal,
    /// The part that reduced the invoice's balance due.
    pub applied: Decimal,
    /// The part paid back to the client.
    pub refunded: Decimal,
    pub created_at: DateTime<Utc>,
}

/// A line of a credit note, taken from an invoice line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditNoteLine {
    pub id: i64,
    pub credit_note_id: i64,
    pub invoice_line_id: i64,
    pub position: u32,
    pub description: String,
    /// The invoice line's long description.
    #[serde(default)]
    pub long_description: String,
    pub quantity: Decimal,
    pub seconds: Option<i64>,
    pub unit: String,
    pub rate: Decimal,
    pub discount: Discount,
    pub tax: Option<TaxRate>,
    pub amount: Decimal,
}

/// Money paid back to a client: a negative payment, made by a credit note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Refund {
    pub id: i64,
    pub invoice_id: i64,
    pub credit_note_id: i64,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub method: String,
    pub reference: String,
}

pub const DEFAULT_CREDIT_NOTE_PATTERN: &str = "CN-{YYYY}-{SEQ:4}";

/// Checks a credit note numbering pattern (same placeholders as invoices).
pub fn credit_note_pattern(text: &str) -> CoreResult<NumberPattern> {
    NumberPattern::parse(text).map_err(|e| match e {
        CoreError::Invalid { message, .. } => CoreError::invalid("credit_note_number_pattern", message),
        other => other,
    })
}

/// Which line to credit (1-based position) and how much of it; `None`
/// credits what is left of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditPick {
    pub position: u32,
    pub quantity: Option<Decimal>,
}

impl CreditPick {
    /// Reads `N` or `N:QTY` (e.g. `2:1.5`).
    pub fn parse(text: &str) -> CoreResult<CreditPick> {
        let t = text.trim();
        let (pos, qty) = match t.split_once(':') {
            Some((p, q)) => (p, Some(q)),
            None => (t, None),
        };
        let position = pos.trim().parse::<u32>().ok().filter(|p| *p >= 1).ok_or_else(|| {
            CoreError::invalid(
                "line",
                format!("'{t}' is not a line: use its position, or POSITION:QUANTITY like 2:1.5"),
            )
        })?;
        let quantity = qty.map(|q| parse_decimal(&format!("lines[{position}].quantity"), q)).transpose()?;
        Ok(CreditPick { position, quantity })
    }
}

/// One line of a credit note, taken from an invoice line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditLine {
    /// Index into the invoice's lines.
    pub index: usize,
    pub line: DraftLine,
}

/// What a credit note will contain: its lines and the draft the totals
/// engine prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditPlan {
    pub lines: Vec<CreditLine>,
    pub draft: Draft,
}

/// Plans a credit note against an issued invoice.
///
/// `already` holds, per invoice line, the quantity credited by earlier credit
/// notes; `credited_before` is the total they credited. Without picks, every
/// line is credited for what is left of it. A partial quantity is priced
/// from the quantity (the line's tracked seconds are not split); a fixed line
/// discount and a fixed document discount are shared pro rata. The credit
/// note that leaves nothing of the invoice uncredited takes exactly what is
/// left of its total (any rounding or adjustment goes into its adjustment),
/// so all credit notes of an invoice never add up to more than its total.
pub fn plan(
    inv: &Invoice,
    lines: &[InvoiceLine],
    already: &[Decimal],
    credited_before: Decimal,
    picks: &[CreditPick],
) -> CoreResult<CreditPlan> {
    if !matches!(inv.status, InvoiceStatus::Sent | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid) {
        return Err(CoreError::conflict(format!(
            "invoice {} is {}; only sent or paid invoices take a credit note{}",
            inv.number,
            inv.status,
            if inv.status == InvoiceStatus::Draft { " (edit the draft instead)" } else { "" }
        )));
    }
    let cur = inv.currency;
    let left = |i: usize| lines[i].quantity - already.get(i).copied().unwrap_or_default();
    let mut chosen: Vec<(usize, Decimal)> = Vec::new();
    if picks.is_empty() {
        for i in 0..lines.len() {
            if !left(i).is_zero() {
                chosen.push((i, left(i)));
            }
        }
        if chosen.is_empty() {
            return Err(CoreError::conflict(format!("invoice {} is fully credited already", inv.number)));
        }
    }
    for p in picks {
        let n = lines.len();
        let i = p.position as usize;
        if i == 0 || i > n {
            return Err(CoreError::invalid(
                "line",
                format!("there is no line {i}; invoice {} has {n} line(s)", inv.number),
            ));
        }
        let i = i - 1;
        if chosen.iter().any(|(c, _)| *c == i) {
            return Err(CoreError::invalid("line", format!("line {} is chosen twice", p.position)));
        }
        let rest = left(i);
        if rest.is_zero() {
            return Err(CoreError::invalid("line", format!("line {} is fully credited already", p.position)));
        }
        let q = p.quantity.unwrap_or(rest);
        let field = format!("lines[{}].quantity", p.position);
        if q.is_zero() || q.is_sign_negative() != rest.is_sign_negative() || q.abs() > rest.abs() {
            return Err(CoreError::invalid(
                &field,
                format!("{q} is not a quantity that can be credited; {rest} of line {} is left to credit", p.position),
            ));
        }
        chosen.push((i, q));
    }
    let credit_lines: Vec<CreditLine> = chosen
        .iter()
        .map(|&(i, q)| {
            let l = &lines[i];
            let whole = q == l.quantity;
            let discount = match l.discount {
                Discount::Fixed(f) if !whole && !l.quantity.is_zero() => {
                    Discount::Fixed(round_money(f * q / l.quantity, cur).abs())
                }
                d => d,
            };
            CreditLine {
                index: i,
                line: DraftLine {
                    quantity: q,
                    seconds: if whole { l.seconds } else { None },
                    rate: l.rate,
                    discount,
                    tax: l.tax.clone(),
                },
            }
        })
        .collect();
    let mut draft = Draft {
        currency: cur,
        tax_mode: inv.tax_mode,
        lines: credit_lines.iter().map(|c| c.line.clone()).collect(),
        discount: Discount::None,
        taxes: inv.taxes.clone(),
        adjustment: Decimal::ZERO,
        amount_paid: Decimal::ZERO,
        pricing: inv.pricing,
    };
    let before_discount = totals(&draft)?;
    // A fixed discount is shared in the terms it was entered in: net
    // subtotals, or, when the prices include tax, the lines as entered.
    let (part, whole) = if inv.pricing.includes_tax() {
        let all = Draft {
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
            ..draft.clone()
        };
        (before_discount.entered_subtotal, totals(&all)?.entered_subtotal)
    } else {
        (before_discount.subtotal, inv.subtotal)
    };
    draft.discount = match inv.discount {
        Discount::Fixed(f) if !whole.is_zero() => {
            let share = round_money(f * part / whole, cur);
            Discount::Fixed(share.max(Decimal::ZERO).min(part.max(Decimal::ZERO)))
        }
        d => d,
    };
    let available = inv.total - credited_before;
    let everything = (0..lines.len()).all(|i| {
        let taken = chosen.iter().find(|(c, _)| *c == i).map(|(_, q)| *q).unwrap_or_default();
        (left(i) - taken).is_zero()
    });
    let t = totals(&draft)?;
    if everything {
        draft.adjustment = available - t.total;
    } else if t.total > available {
        return Err(CoreError::invalid(
            "line",
            format!(
                "this credit of {} {cur} is more than the {available} {cur} of the invoice left to credit",
                t.total
            ),
        ));
    }
    let t = totals(&draft)?;
    if t.total <= Decimal::ZERO {
        return Err(CoreError::invalid(
            "line",
            format!("this credit comes to {} {cur}; a credit note must credit more than zero", t.total),
        ));
    }
    Ok(CreditPlan { lines: credit_lines, draft })
}

/// How a credit is settled: first against what is still owed, the rest paid
/// back to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditSplit {
    /// Reduces the invoice's balance due.
    pub applied: Decimal,
    /// Paid back (a refund).
    pub refunded: Decimal,
}

pub fn split(credit: Decimal, balance_due: Decimal) -> CreditSplit {
    let applied = credit.min(balance_due.max(Decimal::ZERO));
    CreditSplit { applied, refunded: credit - applied }
}

/// The amounts of an issued invoice once credits and refunds are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Settlement {
    /// Payments less refunds.
    pub amount_paid: Decimal,
    /// total − credited − early-payment discount taken − amount_paid.
    pub balance_due: Decimal,
    pub status: InvoiceStatus,
}

/// Balance and status of an invoice from its total, its credits, payments,
/// refunds and the early-payment discount its settling payment took. A fully credited invoice is settled (paid) even when no
/// money was received; otherwise payments drive the status as usual, on the
/// total less what was credited.
pub fn settle(
    current: InvoiceStatus,
    total: Decimal,
    credited: Decimal,
    paid: Decimal,
    refunded: Decimal,
    early_discount_taken: Decimal,
) -> Settlement {
    let amount_paid = paid - refunded;
    // An early-payment discount taken is owed no more (`early_payment`).
    let owed = total - credited - early_discount_taken;
    let balance_due = owed - amount_paid;
    let status = if current.is_issued()
        && current != InvoiceStatus::Cancelled
        && !credited.is_zero()
        && balance_due <= Decimal::ZERO
    {
        InvoiceStatus::Paid
    } else {
        status_for_payments(current, owed, amount_paid)
    };
    Settlement { amount_paid, balance_due, status }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tax::TaxCategory;
    use chrono::{NaiveDate, TimeZone, Utc};
    use rust_decimal_macros::dec;

    fn vat() -> TaxRate {
        TaxRate { name: "VAT 20%".into(), percent: dec!(20), category: TaxCategory::S, exemption_reason: None }
    }

    fn line(pos: u32, qty: Decimal, rate: Decimal) -> InvoiceLine {
        InvoiceLine {
            id: i64::from(pos),
            invoice_id: 1,
            position: pos,
            description: format!("line {pos}"),
            long_description: String::new(),
            quantity: qty,
            seconds: None,
            unit: String::new(),
            rate,
            discount: Discount::None,
            tax: None,
            amount: qty * rate,
            entry_ids: vec![],
        }
    }

    /// 10 h × 100 + 2 × 250 = 1,500.00 net, 20 % VAT 300.00, total 1,800.00.
    fn invoice(status: InvoiceStatus) -> (Invoice, Vec<InvoiceLine>) {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let inv = Invoice {
            id: 1,
            number: "INV-2026-0001".into(),
            client_id: 1,
            project_id: None,
            category: String::new(),
            tags: vec![],
            issue_date: d,
            due_date: d,
            currency: Currency::parse("EUR").unwrap(),
            tax_mode: TaxMode::Summary,
            pricing: Default::default(),
            discount: Discount::None,
            taxes: vec![vat()],
            adjustment: dec!(0),
            adjustment_description: String::new(),
            notes: String::new(),
            terms: String::new(),
            po_number: String::new(),
            status,
            subtotal: dec!(1500.00),
            discount_amount: dec!(0),
            tax_total: dec!(300.00),
            total: dec!(1800.00),
            amount_paid: dec!(0),
            balance_due: dec!(1800.00),
            created_at: Utc.timestamp_opt(0, 0).unwrap(),
            issued_at: None,
            template: None,
            locale: None,
            early_discount: None,
            early_discount_taken: Decimal::ZERO,
            prepaid: Decimal::ZERO,
        };
        (inv, vec![line(1, dec!(10), dec!(100)), line(2, dec!(2), dec!(250))])
    }

    #[test]
    fn part_of_a_line_is_credited_with_its_tax() {
        // 2.5 h of line 1: 250.00 + 20 % = 300.00.
        let (inv, lines) = invoice(InvoiceStatus::Sent);
        let p = plan(&inv, &lines, &[dec!(0), dec!(0)], dec!(0), &[CreditPick::parse("1:2.5").unwrap()]).unwrap();
        let t = totals(&p.draft).unwrap();
        assert_eq!((t.subtotal, t.tax_total, t.total), (dec!(250.00), dec!(50.00), dec!(300.00)));
        // Then the rest of everything: 7.5 h + 2 × 250 = 1,250.00 + 250.00 = 1,500.00.
        let rest = plan(&inv, &lines, &[dec!(2.5), dec!(0)], dec!(300), &[]).unwrap();
        assert_eq!(totals(&rest.draft).unwrap().total, dec!(1500.00));
        // Nothing is left after that.
        let e = plan(&inv, &lines, &[dec!(10), dec!(2)], dec!(1800), &[]).unwrap_err();
        assert!(e.to_string().contains("fully credited"), "{e}");
    }

    #[test]
    fn quantities_beyond_the_line_are_refused_naming_it() {
        let (inv, lines) = invoice(InvoiceStatus::Paid);
        let e = plan(&inv, &lines, &[dec!(8), dec!(0)], dec!(960), &[CreditPick::parse("1:3").unwrap()]).unwrap_err();
        assert_eq!(e.field(), Some("lines[1].quantity"));
        let e = plan(&inv, &lines, &[dec!(0), dec!(0)], dec!(0), &[CreditPick::parse("3").unwrap()]).unwrap_err();
        assert_eq!(e.field(), Some("line"));
        let e = plan(&inv, &lines, &[dec!(0), dec!(0)], dec!(0), &[CreditPick::parse("2:-1").unwrap()]).unwrap_err();
        assert_eq!(e.field(), Some("lines[2].quantity"));
        assert_eq!(CreditPick::parse("x").unwrap_err().field(), Some("line"));
        assert_eq!(CreditPick::parse("1:abc").unwrap_err().field(), Some("lines[1].quantity"));
    }

    #[test]
    fn only_issued_invoices_take_credit_notes() {
        for s in [InvoiceStatus::Draft, InvoiceStatus::Cancelled] {
            let (inv, lines) = invoice(s);
            assert!(matches!(plan(&inv, &lines, &[dec!(0), dec!(0)], dec!(0), &[]), Err(CoreError::Conflict { .. })));
        }
    }

    #[test]
    fn the_last_credit_takes_exactly_what_is_left() {
        // 3 × 33.33 = 99.99 less a fixed 10.00 = 89.99, VAT 17.998 → 18.00,
        // total 107.99. A third: 33.33 − 3.33 (10.00 / 3) = 30.00 + 6.00 VAT
        // = 36.00; twice is 72.00, so the last third takes 107.99 − 72.00 =
        // 35.99 (an adjustment of −0.01), not 36.00.
        let (mut inv, mut lines) = invoice(InvoiceStatus::Sent);
        lines.truncate(1);
        lines[0].quantity = dec!(3);
        lines[0].rate = dec!(33.33);
        lines[0].discount = Discount::Fixed(dec!(10.00));
        inv.subtotal = dec!(89.99);
        inv.tax_total = dec!(18.00);
        inv.total = dec!(107.99);
        let one = plan(&inv, &lines, &[dec!(0)], dec!(0), &[CreditPick::parse("1:1").unwrap()]).unwrap();
        assert_eq!(totals(&one.draft).unwrap().total, dec!(36.00));
        let last = plan(&inv, &lines, &[dec!(2)], dec!(72.00), &[]).unwrap();
        assert_eq!(last.draft.adjustment, dec!(-0.01));
        assert_eq!(totals(&last.draft).unwrap().total, dec!(35.99));
    }

    #[test]
    fn a_credit_reduces_the_balance_then_refunds() {
        assert_eq!(split(dec!(300), dec!(1800)), CreditSplit { applied: dec!(300), refunded: dec!(0) });
        assert_eq!(split(dec!(300), dec!(100)), CreditSplit { applied: dec!(100), refunded: dec!(200) });
        assert_eq!(split(dec!(300), dec!(0)), CreditSplit { applied: dec!(0), refunded: dec!(300) });
    }

    #[test]
    fn settlement_follows_credits_payments_and_refunds() {
        use InvoiceStatus::*;
        // Fully credited, nothing paid: settled.
        let s = settle(Sent, dec!(1800), dec!(1800), dec!(0), dec!(0), dec!(0));
        assert_eq!((s.balance_due, s.status), (dec!(0), Paid));
        // Partly credited, unpaid: still sent with a smaller balance.
        let s = settle(Sent, dec!(1800), dec!(300), dec!(0), dec!(0), dec!(0));
        assert_eq!((s.balance_due, s.status), (dec!(1500), Sent));
        // Paid 1,800, credited 300 and refunded 300: paid 1,500 net, balance 0.
        let s = settle(Paid, dec!(1800), dec!(300), dec!(1800), dec!(300), dec!(0));
        assert_eq!((s.amount_paid, s.balance_due, s.status), (dec!(1500), dec!(0), Paid));
        // Paid 1,000 of 1,800, credit 800 applied: settled.
        let s = settle(PartiallyPaid, dec!(1800), dec!(800), dec!(1000), dec!(0), dec!(0));
        assert_eq!((s.balance_due, s.status), (dec!(0), Paid));
        // No credit: exactly the payment rules.
        assert_eq!(settle(Sent, dec!(100), dec!(0), dec!(40), dec!(0), dec!(0)).status, PartiallyPaid);
        assert_eq!(settle(Draft, dec!(100), dec!(0), dec!(0), dec!(0), dec!(0)).status, Draft);
        // 1,190.00 paid 1,166.20 within the early-payment period: 23.80 taken, settled.
        let s = settle(Sent, dec!(1190), dec!(0), dec!(1166.20), dec!(0), dec!(23.80));
        assert_eq!((s.amount_paid, s.balance_due, s.status), (dec!(1166.20), dec!(0), Paid));
    }
}
