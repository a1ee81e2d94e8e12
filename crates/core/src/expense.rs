//! Expenses billed to clients: what an expense's invoice line amounts to.

use rust_decimal::Decimal;

use crate::error::{CoreError, CoreResult};
use crate::money::{round_money, Currency};

/// The most a markup may add, in percent.
pub const MAX_MARKUP_PERCENT: u32 = 1000;

/// What billing an expense charges: its net amount plus the markup percent,
/// rounded once to the currency's minor units (100.00 at 15 % is 115.00).
/// Tax is the invoice line's, added by the totals engine.
pub fn billed_amount(amount: Decimal, markup: Option<Decimal>, currency: Currency) -> Decimal {
    let factor = Decimal::ONE + markup.unwrap_or(Decimal::ZERO) / Decimal::ONE_HUNDRED;
    round_money(amount * factor, currency)
}

/// A markup percent from 0 to [`MAX_MARKUP_PERCENT`].
pub fn validate_markup(field: &str, percent: Decimal) -> CoreResult<Decimal> {
    if percent.is_sign_negative() && !percent.is_zero() {
        return Err(CoreError::invalid(field, "must not be negative"));
    }
    if percent > Decimal::from(MAX_MARKUP_PERCENT) {
        return Err(CoreError::invalid(field, format!("must be at most {MAX_MARKUP_PERCENT} %")));
    }
    Ok(percent.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn markup_is_added_and_rounded_once_half_away_from_zero() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(billed_amount(d("100.00"), Some(d("15")), eur), d("115.00"));
        assert_eq!(billed_amount(d("100.00"), None, eur), d("100.00"));
        // 0.10 × 1.125 = 0.1125 → 0.11; 0.30 × 1.125 = 0.3375 → 0.34
        assert_eq!(billed_amount(d("0.10"), Some(d("12.5")), eur), d("0.11"));
        assert_eq!(billed_amount(d("0.30"), Some(d("12.5")), eur), d("0.34"));
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(billed_amount(d("1000"), Some(d("5.05")), jpy), d("1051"));
    }

    #[test]
    fn a_markup_is_between_zero_and_a_thousand_percent() {
        assert_eq!(validate_markup("markup", d("15.0")).unwrap(), d("15"));
        assert!(validate_markup("markup", d("-1")).unwrap_err().to_string().contains("markup"));
        assert!(validate_markup("markup", d("1000.01")).is_err());
    }
}
