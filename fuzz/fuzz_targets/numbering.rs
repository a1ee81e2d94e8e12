//! Numbering patterns (`INV-{YYYY}-{SEQ:4}`) and numbers typed by hand: a
//! pattern is refused naming its field, or it reads back as itself and makes
//! a number carrying the counter for any date and counter value.
#![no_main]

use billable_core::credit::credit_note_pattern;
use billable_core::numbering::{validate_custom_number, NumberPattern};
use chrono::{Datelike, NaiveDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match NumberPattern::parse(text) {
        Err(e) => assert_eq!(e.field(), Some("number_pattern"), "{e}"),
        Ok(p) => {
            assert_eq!(NumberPattern::parse(p.as_str()).as_ref(), Ok(&p), "a pattern reads back as itself");
            let dates = [
                NaiveDate::MIN,
                NaiveDate::from_ymd_opt(2026, 3, 31).expect("a date"),
                NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date"),
                NaiveDate::MAX,
            ];
            for date in dates {
                assert_eq!(p.counter_year(date), if p.is_yearly() { date.year() } else { 0 });
                for seq in [0, 1, 42, 12_345, u64::MAX] {
                    let n = p.format(date, seq);
                    assert!(n.contains(&seq.to_string()), "{n} lacks the counter {seq}");
                    assert!(!n.chars().any(char::is_control), "{n:?} has control characters");
                }
            }
        }
    }
    if let Err(e) = credit_note_pattern(text) {
        assert_eq!(e.field(), Some("credit_note_number_pattern"), "{e}");
    }
    match validate_custom_number(text) {
        Ok(n) => {
            assert_eq!(n, n.trim());
            assert!(!n.is_empty() && n.chars().count() <= 64 && !n.chars().any(char::is_control));
        }
        Err(e) => assert_eq!(e.field(), Some("number"), "{e}"),
    }
});
