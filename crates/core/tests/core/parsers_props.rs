//! Whatever a person types, the parsers answer with a value or an error that
//! names the field — never a panic.

use billable_core::money::{parse_amount, parse_decimal};
use billable_core::numbering::NumberPattern;
use billable_core::time::{parse_duration, RoundingPolicy};
use billable_core::totals::Discount;
use billable_core::Currency;
use chrono::NaiveDate;
use proptest::prelude::*;

fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9:hms. %{}A-Z-]{0,40}",
        "[0-9]{1,40}(\\.[0-9]{0,30})?",
        "\\{(SEQ|YYYY|YY|MM|DD)(:[0-9]{1,4})?\\}[A-Z-]{0,5}\\{SEQ(:[0-9]{1,3})?\\}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn parsers_never_panic(text in typed()) {
        let eur = Currency::parse("EUR").unwrap();
        if let Err(e) = parse_decimal("rate", &text) { prop_assert_eq!(e.field(), Some("rate")); }
        if let Err(e) = parse_amount("amount", &text, eur) { prop_assert_eq!(e.field(), Some("amount")); }
        match parse_duration("hours", &text) {
            Ok(s) => prop_assert!(s > 0 && s <= 7 * 24 * 3600),
            Err(e) => prop_assert_eq!(e.field(), Some("hours")),
        }
        if let Err(e) = RoundingPolicy::parse(&text) { prop_assert_eq!(e.field(), Some("rounding")); }
        if let Err(e) = Discount::parse("discount", &text) { prop_assert_eq!(e.field(), Some("discount")); }
        if let Err(e) = Currency::parse(&text) { prop_assert_eq!(e.field(), Some("currency")); }
        match NumberPattern::parse(&text) {
            Ok(p) => {
                let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
                let n = p.format(d, u64::MAX);
                prop_assert!(!n.is_empty());
            }
            Err(e) => prop_assert_eq!(e.field(), Some("number_pattern")),
        }
    }
}
