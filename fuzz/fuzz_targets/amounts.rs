//! Money and numbers as typed: decimals, amounts in every currency (and
//! their integer minor units, the stored form), currency codes, discounts,
//! rates, percentages, fixed-fee parts and credit note picks. Each answers
//! with a value that reads back as itself or an error naming its field.
#![no_main]

use billable_core::billing_types::{fee_amount, FeePart};
use billable_core::credit::CreditPick;
use billable_core::money::{parse_amount, parse_decimal, round_money, Currency};
use billable_core::rates::{validate_percent, validate_rate};
use billable_core::tax::{TaxCategory, TaxMode};
use billable_core::totals::Discount;
use billable_fuzz::CURRENCIES;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fuzz_target!(|data: &[u8]| {
    let Ok(t) = std::str::from_utf8(data) else { return };
    match parse_decimal("rate", t) {
        Ok(v) => {
            assert_eq!(parse_decimal("rate", &v.to_string()), Ok(v), "a decimal reads back as itself");
            match validate_rate("rate", v) {
                Ok(r) => assert!(!r.is_sign_negative() || r.is_zero()),
                Err(e) => assert_eq!(e.field(), Some("rate")),
            }
            match validate_percent("percent", v) {
                Ok(p) => assert!(p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED),
                Err(e) => assert_eq!(e.field(), Some("percent")),
            }
        }
        Err(e) => assert_eq!(e.field(), Some("rate"), "{e}"),
    }
    match Currency::parse(t) {
        Ok(c) => {
            assert!(c.minor_units() <= 4);
            assert_eq!(Currency::parse(c.code()), Ok(c));
        }
        Err(e) => assert_eq!(e.field(), Some("currency"), "{e}"),
    }
    for code in CURRENCIES {
        let cur = Currency::parse(code).expect("a currency");
        match parse_amount("amount", t, cur) {
            Ok(v) => {
                assert_eq!(v, round_money(v, cur));
                assert_eq!(v.scale(), cur.minor_units());
                match cur.to_minor(v) {
                    Ok(minor) => assert_eq!(cur.from_minor(minor), v, "minor units round-trip"),
                    Err(e) => assert_eq!(e.field(), Some("amount"), "{e}"),
                }
                // A fixed fee of this amount, half of it billed.
                if let Ok(part) = FeePart::parse(Some("50"), None, false, cur) {
                    if let Ok(a) = fee_amount(v, Decimal::ZERO, part, cur) {
                        assert!(a > Decimal::ZERO && a <= v);
                    }
                }
            }
            Err(e) => assert_eq!(e.field(), Some("amount"), "{e}"),
        }
        match FeePart::parse(Some(t), None, false, cur) {
            Ok(FeePart::Percent(p)) => {
                assert!(p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED);
                for fee in ["1000", "1", "999999999999"] {
                    let fee = parse_amount("fee", fee, cur).expect("a fee");
                    if let Ok(a) = fee_amount(fee, Decimal::ZERO, FeePart::Percent(p), cur) {
                        assert!(a > Decimal::ZERO && a <= fee, "{a} of a fee of {fee}");
                    }
                }
            }
            Ok(other) => panic!("a percent read as {other:?}"),
            Err(e) => assert_eq!(e.field(), Some("percent"), "{e}"),
        }
        match FeePart::parse(None, Some(t), false, cur) {
            Ok(FeePart::Amount(a)) => assert!(a > Decimal::ZERO),
            Ok(other) => panic!("an amount read as {other:?}"),
            Err(e) => assert_eq!(e.field(), Some("amount"), "{e}"),
        }
    }
    match Discount::parse("discount", t) {
        Ok(d) => {
            match d {
                Discount::None => {}
                Discount::Percent(p) => assert!(p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED),
                Discount::Fixed(a) => assert!(a >= Decimal::ZERO),
            }
            assert_eq!(Discount::parse("discount", &d.to_string()), Ok(d), "a discount reads back as itself");
        }
        Err(e) => assert_eq!(e.field(), Some("discount"), "{e}"),
    }
    match CreditPick::parse(t) {
        Ok(p) => assert!(p.position >= 1),
        Err(e) => {
            let f = e.field().unwrap_or_default().to_string();
            assert!(f == "line" || (f.starts_with("lines[") && f.ends_with("].quantity")), "{e}");
        }
    }
    if let Err(e) = t.parse::<TaxMode>() {
        assert_eq!(e.field(), Some("tax_mode"));
    }
    if let Err(e) = t.parse::<TaxCategory>() {
        assert_eq!(e.field(), Some("category"));
    }
});
