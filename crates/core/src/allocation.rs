//! One payment across several invoices of a client, and the client's credit.
//!
//! A client pays one amount in one currency. It is spread over the client's
//! open invoices — oldest first, or as the user says — and whatever is left
//! stays as the client's credit, to be applied to a later invoice or paid
//! back. Each share settles its invoice by the ordinary payment rules, so an
//! invoice still within its early-payment period is settled by its
//! discounted amount.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};

/// An open invoice a payment may go to, oldest first in the slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: i64,
    /// The invoice number, for messages.
    pub number: String,
    /// What is owed.
    pub balance: Decimal,
    /// What settles it on the payment's date: the balance, or less within an
    /// early-payment period.
    pub settles_with: Decimal,
}

/// One share of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub invoice_id: i64,
    pub amount: Decimal,
}

/// How a payment is spread: the shares (in the order given) and what is left
/// as credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub shares: Vec<Share>,
    pub credit: Decimal,
}

/// Spreads `amount` over `open` oldest first: each invoice in turn gets what
/// settles it, the last one reached what remains; the rest is credit.
pub fn oldest_first(amount: Decimal, open: &[OpenInvoice]) -> Allocation {
    let mut left = amount.max(Decimal::ZERO);
    let mut shares = Vec::new();
    for inv in open {
        if left.is_zero() {
            break;
        }
        let want = inv.settles_with.min(inv.balance);
        if want <= Decimal::ZERO {
            continue;
        }
        let take = want.min(left);
        shares.push(Share { invoice_id: inv.id, amount: take });
        left -= take;
    }
    Allocation { shares, credit: left }
}

/// Checks shares the user chose: each to one of `open`, once, more than zero
/// and no more than its balance, together no more than `amount`. The rest is
/// credit. `field` names the shares in errors (e.g. `allocations`).
pub fn by_hand(field: &str, amount: Decimal, open: &[OpenInvoice], chosen: &[Share]) -> CoreResult<Allocation> {
    let mut total = Decimal::ZERO;
    for (i, s) in chosen.iter().enumerate() {
        let at = format!("{field}[{}]", i + 1);
        let Some(inv) = open.iter().find(|o| o.id == s.invoice_id) else {
            return Err(CoreError::invalid(
                &at,
                "that invoice is not one of the client's open invoices in this currency",
            ));
        };
        if chosen[..i].iter().any(|p| p.invoice_id == s.invoice_id) {
            return Err(CoreError::invalid(&at, format!("invoice {} is given twice", inv.number)));
        }
        if s.amount <= Decimal::ZERO {
            return Err(CoreError::invalid(
                &at,
                format!("the amount for invoice {} must be more than zero", inv.number),
            ));
        }
        if s.amount > inv.balance {
            return Err(CoreError::invalid(
                &at,
                format!("{} is more than the {} invoice {} still owes", s.amount, inv.balance, inv.number),
            ));
        }
        total += s.amount;
    }
    if total > amount {
        return Err(CoreError::invalid(
            field,
            format!("the shares add up to {total}, more than the {amount} received"),
        ));
    }
    Ok(Allocation { shares: chosen.to_vec(), credit: amount - total })
}

/// Draws `amount` from credits that have `left` each (oldest first): the
/// part taken from each, in order. Refused when the credits do not cover it.
pub fn draw(field: &str, amount: Decimal, left: &[(i64, Decimal)]) -> CoreResult<Vec<(i64, Decimal)>> {
    if amount <= Decimal::ZERO {
        return Err(CoreError::invalid(field, "must be more than zero"));
    }
    let available: Decimal = left.iter().map(|(_, l)| *l).filter(|l| *l > Decimal::ZERO).sum();
    if amount > available {
        return Err(CoreError::invalid(field, format!("{amount} is more than the {available} of credit available")));
    }
    let mut need = amount;
    let mut out = Vec::new();
    for &(id, l) in left {
        if need.is_zero() {
            break;
        }
        if l <= Decimal::ZERO {
            continue;
        }
        let take = l.min(need);
        out.push((id, take));
        need -= take;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn open(id: i64, balance: Decimal) -> OpenInvoice {
        OpenInvoice { id, number: format!("INV-{id}"), balance, settles_with: balance }
    }

    #[test]
    fn oldest_first_settles_in_turn_and_keeps_the_rest_as_credit() {
        // 1,500.00 over 500.00, 300.00 and 400.00: all three settled, 300.00 credit.
        let invs = [open(1, dec!(500.00)), open(2, dec!(300.00)), open(3, dec!(400.00))];
        let a = oldest_first(dec!(1500.00), &invs);
        assert_eq!(
            a.shares,
            vec![
                Share { invoice_id: 1, amount: dec!(500.00) },
                Share { invoice_id: 2, amount: dec!(300.00) },
                Share { invoice_id: 3, amount: dec!(400.00) }
            ]
        );
        assert_eq!(a.credit, dec!(300.00));
        // 650.00: the first settled, the second part-paid with 150.00, the third untouched.
        let a = oldest_first(dec!(650.00), &invs);
        assert_eq!(a.shares.len(), 2);
        assert_eq!(a.shares[1], Share { invoice_id: 2, amount: dec!(150.00) });
        assert_eq!(a.credit, dec!(0));
        // No open invoice: all credit.
        assert_eq!(oldest_first(dec!(80), &[]).credit, dec!(80));
    }

    #[test]
    fn an_invoice_within_its_discount_period_takes_its_discounted_amount() {
        let mut skonto = open(1, dec!(1190.00));
        skonto.settles_with = dec!(1166.20);
        let a = oldest_first(dec!(1200.00), &[skonto, open(2, dec!(100.00))]);
        assert_eq!(a.shares[0].amount, dec!(1166.20));
        assert_eq!(a.shares[1].amount, dec!(33.80));
        assert_eq!(a.credit, dec!(0));
    }

    #[test]
    fn shares_by_hand_are_checked_and_name_the_share() {
        let invs = [open(1, dec!(500.00)), open(2, dec!(300.00))];
        let ok = by_hand(
            "allocations",
            dec!(600),
            &invs,
            &[Share { invoice_id: 2, amount: dec!(300) }, Share { invoice_id: 1, amount: dec!(200) }],
        )
        .unwrap();
        assert_eq!(ok.credit, dec!(100));
        let e = by_hand("allocations", dec!(600), &invs, &[Share { invoice_id: 1, amount: dec!(501) }]).unwrap_err();
        assert_eq!(e.field(), Some("allocations[1]"));
        assert!(e.to_string().contains("more than the 500.00 invoice INV-1 still owes"), "{e}");
        let e = by_hand("allocations", dec!(600), &invs, &[Share { invoice_id: 9, amount: dec!(1) }]).unwrap_err();
        assert_eq!(e.field(), Some("allocations[1]"));
        let twice = [Share { invoice_id: 1, amount: dec!(1) }, Share { invoice_id: 1, amount: dec!(1) }];
        assert_eq!(by_hand("allocations", dec!(600), &invs, &twice).unwrap_err().field(), Some("allocations[2]"));
        let zero = [Share { invoice_id: 1, amount: dec!(0) }];
        assert_eq!(by_hand("allocations", dec!(600), &invs, &zero).unwrap_err().field(), Some("allocations[1]"));
        let over = [Share { invoice_id: 1, amount: dec!(500) }, Share { invoice_id: 2, amount: dec!(300) }];
        let e = by_hand("allocations", dec!(600), &invs, &over).unwrap_err();
        assert_eq!(e.field(), Some("allocations"));
        assert!(e.to_string().contains("add up to 800"), "{e}");
    }

    #[test]
    fn credit_is_drawn_oldest_first_and_never_beyond_what_is_left() {
        let left = [(1, dec!(0)), (2, dec!(120.00)), (3, dec!(200.00))];
        assert_eq!(draw("amount", dec!(150), &left).unwrap(), vec![(2, dec!(120.00)), (3, dec!(30.00))]);
        assert_eq!(draw("amount", dec!(320), &left).unwrap().len(), 2);
        let e = draw("amount", dec!(320.01), &left).unwrap_err();
        assert_eq!(e.field(), Some("amount"));
        assert!(e.to_string().contains("more than the 320.00 of credit available"), "{e}");
        assert_eq!(draw("amount", dec!(0), &left).unwrap_err().field(), Some("amount"));
    }
}
