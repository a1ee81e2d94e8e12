//! Late fees: a reminder step after the due date may add a fee, fixed
//! ("5.00") or a percentage of the open balance ("1.5%").
//!
//! The rule, in one place:
//! - A fixed fee is its amount, a percentage fee that share of the balance
//!   still open when the reminder goes; either is rounded once to the
//!   invoice's currency (half away from zero).
//! - Amounts and percentages are exact decimals with at most four decimal
//!   places, above zero; a percentage is below 100.
//! - A fee that rounds to nothing is not invoiced.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::money::{round_money, Currency};

/// A step's late fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum LateFee {
    /// A fixed amount in the invoice's currency.
    Fixed(Decimal),
    /// A percentage of the open balance.
    Percent(Decimal),
}

impl LateFee {
    /// Reads "5.00" (fixed) or "1.5%" / "1.5 %" (a percentage of the balance);
    /// errors name `field`.
    pub fn parse(field: &str, text: &str) -> CoreResult<LateFee> {
        let t = text.trim();
        let (number, percent) = match t.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (t, false),
        };
        let bad = || {
            CoreError::invalid(
                field,
                format!("'{t}' is not a late fee; give an amount such as 5.00 or a percentage such as 1.5%"),
            )
        };
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(bad());
        }
        let value: Decimal = number.parse().map_err(|_| bad())?;
        if value <= Decimal::ZERO {
            return Err(CoreError::invalid(field, format!("the late fee must be above 0, not {t}")));
        }
        if value.normalize().scale() > 4 {
            return Err(CoreError::invalid(field, format!("the late fee {t} has more than four decimals")));
        }
        if percent {
            if value >= Decimal::ONE_HUNDRED {
                return Err(CoreError::invalid(field, format!("the percentage must be below 100, not {t}")));
            }
            Ok(LateFee::Percent(value.normalize()))
        } else {
            if value > Decimal::from(1_000_000_000) {
                return Err(CoreError::invalid(field, format!("the late fee {t} is too large")));
            }
            Ok(LateFee::Fixed(value))
        }
    }

    /// The fee for an invoice with `balance` open, rounded once to `currency`.
    pub fn amount(&self, balance: Decimal, currency: Currency) -> Decimal {
        match self {
            LateFee::Fixed(a) => round_money(*a, currency),
            LateFee::Percent(p) => round_money(balance * *p / Decimal::ONE_HUNDRED, currency),
        }
    }
}

/// As typed: "5.00" or "1.5%".
impl fmt::Display for LateFee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LateFee::Fixed(a) => write!(f, "{a}"),
            LateFee::Percent(p) => write!(f, "{p}%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn fees_are_read_exactly_and_rounded_once_to_the_currency() {
        let eur = Currency::parse("EUR").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(LateFee::parse("f", " 1.5 % ").unwrap(), LateFee::Percent(dec("1.5")));
        assert_eq!(LateFee::parse("f", "5.00").unwrap(), LateFee::Fixed(dec("5.00")));
        // 1.5 % of 1,190.00 is 17.85; of 1,190.10 it is 17.8515, rounded to 17.85.
        assert_eq!(LateFee::Percent(dec("1.5")).amount(dec("1190.00"), eur), dec("17.85"));
        assert_eq!(LateFee::Percent(dec("1.5")).amount(dec("1190.10"), eur), dec("17.85"));
        // 50 % of 0.01 is 0.005: half away from zero gives 0.01 (banker's rounding would give 0.00).
        assert_eq!(LateFee::Percent(dec("50")).amount(dec("0.01"), eur), dec("0.01"));
        assert_eq!(LateFee::Fixed(dec("5.5")).amount(dec("100"), jpy), dec("6"));
        assert_eq!(LateFee::Fixed(dec("5.00")).to_string(), "5.00");
        assert_eq!(LateFee::Percent(dec("1.5")).to_string(), "1.5%");
    }

    #[test]
    fn refused_fees_name_the_field() {
        for bad in ["", "%", "abc", "-5", "0", "0%", "100%", "1e3", "5.00001", "1,5"] {
            let e = LateFee::parse("late_fee", bad).unwrap_err();
            assert_eq!(e.field(), Some("late_fee"), "{bad}");
        }
    }
}
