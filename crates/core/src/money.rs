//! Money: exact decimals with an ISO 4217 currency, and the one rounding
//! function every amount goes through.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};

/// The largest amount (in absolute value) a field of money takes: a
/// trillion of any currency. Within it every amount keeps its currency's
/// decimals exactly and fits the integer minor units it is stored as.
pub const AMOUNT_LIMIT: i64 = 1_000_000_000_000;

/// An ISO 4217 currency known to the maintained currency table, with its
/// number of minor units (JPY 0, EUR 2, BHD 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(transparent))]
pub struct Currency(#[cfg_attr(feature = "specta", specta(type = String))] iso_currency::Currency);

impl Currency {
    /// Parses a three-letter code such as `EUR`; case-insensitive. Codes that
    /// are not in the table, or that have no minor unit (precious metals,
    /// testing codes), are refused.
    pub fn parse(code: &str) -> CoreResult<Currency> {
        let upper = code.trim().to_ascii_uppercase();
        let currency = iso_currency::Currency::from_code(&upper).ok_or_else(|| {
            CoreError::invalid("currency", format!("'{}' is not an ISO 4217 currency code", code.trim()))
        })?;
        if currency.exponent().is_none() {
            return Err(CoreError::invalid(
                "currency",
                format!("'{upper}' is not a currency that invoices can be issued in"),
            ));
        }
        Ok(Currency(currency))
    }

    /// The three-letter ISO code.
    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// Number of digits after the decimal point (minor units).
    pub fn minor_units(&self) -> u32 {
        u32::from(self.0.exponent().unwrap_or(2))
    }

    /// The currency's own symbol, e.g. `€` or `¥` (display only).
    pub fn symbol(&self) -> String {
        self.0.symbol().to_string()
    }

    /// The English name of the currency.
    pub fn name(&self) -> &str {
        self.0.name()
    }

    /// Rounds an amount to this currency's precision, half away from zero.
    pub fn round(&self, amount: Decimal) -> Decimal {
        round_money(amount, *self)
    }

    /// Converts a rounded amount to integer minor units (cents), the form
    /// money columns are stored in.
    pub fn to_minor(&self, amount: Decimal) -> CoreResult<i64> {
        let too_large = || CoreError::invalid("amount", format!("{amount} is too large"));
        let scaled =
            self.round(amount).checked_mul(Decimal::from(10_i64.pow(self.minor_units()))).ok_or_else(too_large)?;
        i64::try_from(scaled.trunc()).map_err(|_| too_large())
    }

    /// Converts integer minor units back to an exact decimal amount.
    pub fn from_minor(&self, minor: i64) -> Decimal {
        Decimal::new(minor, self.minor_units())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// The one rounding function for money: round to the currency's minor units,
/// half away from zero. Never call `Decimal::round`/`round_dp` on money: they
/// round half to even.
pub fn round_money(amount: Decimal, currency: Currency) -> Decimal {
    let mut rounded = amount.round_dp_with_strategy(currency.minor_units(), RoundingStrategy::MidpointAwayFromZero);
    // Always carry the currency's scale so "12.5" prints as "12.50".
    rounded.rescale(currency.minor_units());
    rounded
}

/// An amount with its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount: round_money(amount, currency), currency }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Parses a decimal the user typed ("1250", "1250.5", "-3.75"), naming the
/// field when it is not a number. Thousands separators and exponents are
/// refused rather than guessed at.
pub fn parse_decimal(field: &str, text: &str) -> CoreResult<Decimal> {
    let t = text.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(field, "is empty; expected a number such as 12.50"));
    }
    let ok = t.char_indices().all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !ok || t.matches('.').count() > 1 {
        return Err(CoreError::invalid(
            field,
            format!("'{t}' is not a number; use digits with an optional '.' such as 12.50"),
        ));
    }
    Decimal::from_str(t)
        .map_err(|_| CoreError::invalid(field, format!("'{t}' is not a number or is too large")))
        .map(|d| d.normalize())
}

/// Parses a money amount for a currency: a number with no more decimals than
/// the currency has minor units (no silent rounding of what the user typed),
/// at most [`AMOUNT_LIMIT`].
pub fn parse_amount(field: &str, text: &str, currency: Currency) -> CoreResult<Decimal> {
    let value = parse_decimal(field, text)?;
    if value.abs() > Decimal::from(AMOUNT_LIMIT) {
        return Err(CoreError::invalid(
            field,
            format!("'{}' is too large; amounts go up to {AMOUNT_LIMIT}", text.trim()),
        ));
    }
    if value.scale() > currency.minor_units() {
        return Err(CoreError::invalid(
            field,
            format!("'{}' has more decimals than {} allows ({})", text.trim(), currency.code(), currency.minor_units()),
        ));
    }
    Ok(round_money(value, currency))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn cur(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[test]
    fn minor_units_come_from_the_currency_table() {
        assert_eq!(cur("JPY").minor_units(), 0);
        assert_eq!(cur("EUR").minor_units(), 2);
        assert_eq!(cur("usd").minor_units(), 2);
        assert_eq!(cur("BHD").minor_units(), 3);
        assert_eq!(cur("KWD").minor_units(), 3);
    }

    #[test]
    fn unknown_currencies_are_refused_naming_the_field() {
        let err = Currency::parse("XYZ").unwrap_err();
        assert_eq!(err.field(), Some("currency"));
        assert!(err.to_string().contains("XYZ"), "{err}");
        assert!(Currency::parse("XAU").is_err(), "gold has no minor unit");
    }

    #[test]
    fn rounding_is_half_away_from_zero_at_currency_precision() {
        assert_eq!(round_money(dec!(2.345), cur("EUR")), dec!(2.35));
        assert_eq!(round_money(dec!(2.355), cur("EUR")), dec!(2.36));
        assert_eq!(round_money(dec!(-2.345), cur("EUR")), dec!(-2.35));
        assert_eq!(round_money(dec!(0.125), cur("EUR")), dec!(0.13), "banker's would give 0.12");
        assert_eq!(round_money(dec!(2.5), cur("JPY")), dec!(3));
        assert_eq!(round_money(dec!(1.0005), cur("BHD")), dec!(1.001));
        assert_eq!(round_money(dec!(12.5), cur("EUR")).to_string(), "12.50");
    }

    #[test]
    fn minor_unit_conversion_round_trips() {
        let eur = cur("EUR");
        assert_eq!(eur.to_minor(dec!(12.34)).unwrap(), 1234);
        assert_eq!(eur.from_minor(-1234), dec!(-12.34));
        assert_eq!(cur("BHD").to_minor(dec!(1.001)).unwrap(), 1001);
        assert_eq!(cur("JPY").to_minor(dec!(1500)).unwrap(), 1500);
    }

    #[test]
    fn parsing_names_the_field() {
        assert_eq!(parse_decimal("rate", " 150.00 ").unwrap(), dec!(150));
        assert_eq!(parse_decimal("quantity", "-3.75").unwrap(), dec!(-3.75));
        for bad in ["", "abc", "1,000", "1e5", "1.2.3", "--1"] {
            let err = parse_decimal("rate", bad).unwrap_err();
            assert_eq!(err.field(), Some("rate"), "{bad}");
        }
        assert!(parse_amount("amount", "10.005", cur("EUR")).is_err());
        assert_eq!(parse_amount("amount", "10.005", cur("BHD")).unwrap(), dec!(10.005));
        assert!(parse_amount("amount", "10.5", cur("JPY")).is_err());
    }
}
