//! Amounts as typed and as stored (integer minor units).

use billable_core::money::{parse_amount, AMOUNT_LIMIT};
use billable_core::Currency;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn cur(c: &str) -> Currency {
    Currency::parse(c).unwrap()
}

#[test]
fn an_amount_too_large_for_its_decimals_is_refused_naming_the_field() {
    // Found by fuzzing (fuzz/regressions/amounts/huge-amount-loses-its-decimals):
    // 664406440041666041666666166 BHD cannot carry BHD's three decimals in a
    // Decimal, so it came back with two, and its minor units overflowed.
    let err = parse_amount("amount", "664406440041666041666666166", cur("BHD")).unwrap_err();
    assert_eq!(err.field(), Some("amount"));
    assert!(err.to_string().contains("too large"), "{err}");
    assert_eq!(AMOUNT_LIMIT, 1_000_000_000_000);
    for code in ["JPY", "EUR", "BHD", "CLF"] {
        let c = cur(code);
        let largest = parse_amount("amount", "1000000000000", c).unwrap();
        assert_eq!(largest.scale(), c.minor_units(), "{code}");
        assert_eq!(c.from_minor(c.to_minor(largest).unwrap()), largest, "{code}");
        assert_eq!(parse_amount("amount", "-1000000000000", c).unwrap(), -largest);
        assert!(parse_amount("amount", "1000000000001", c).is_err(), "{code}");
    }
}

#[test]
fn minor_units_of_any_decimal_are_a_value_or_an_error() {
    // Found by fuzzing: converting a huge decimal to minor units multiplied
    // past the range of Decimal and panicked.
    for code in ["JPY", "EUR", "BHD", "CLF"] {
        let c = cur(code);
        assert_eq!(c.to_minor(Decimal::MAX).unwrap_err().field(), Some("amount"), "{code}");
        assert_eq!(c.to_minor(Decimal::MIN).unwrap_err().field(), Some("amount"), "{code}");
    }
    assert_eq!(cur("EUR").to_minor(dec!(92233720368547758.07)).unwrap(), i64::MAX);
    assert!(cur("EUR").to_minor(dec!(92233720368547758.08)).is_err());
}
