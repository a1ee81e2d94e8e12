//! Durations and rounding policies as typed ("2.5", "1:20", "1h20m",
//! "up:15"): refused naming the field, or a duration of one second to a
//! week; a policy reads back as itself and rounds any duration to whole
//! intervals in its direction, never below zero.
#![no_main]

use billable_core::time::{display_hours, parse_duration, seconds_to_hours, RoundingMode, RoundingPolicy};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

const WEEK: i64 = 7 * 24 * 3600;

fuzz_target!(|data: &[u8]| {
    let Ok(t) = std::str::from_utf8(data) else { return };
    let typed = match parse_duration("hours", t) {
        Ok(s) => {
            assert!(s > 0 && s <= WEEK, "{s}");
            // Exact when the hours are a finite decimal, else to 28 digits.
            let back = seconds_to_hours(s) * Decimal::from(3600) - Decimal::from(s);
            assert!(back.abs() < Decimal::new(1, 20), "{s} s → {} h", seconds_to_hours(s));
            assert_eq!(display_hours(s).scale(), 2);
            Some(s)
        }
        Err(e) => {
            assert_eq!(e.field(), Some("hours"), "{e}");
            None
        }
    };
    match RoundingPolicy::parse(t) {
        Ok(p) => {
            assert_eq!(RoundingPolicy::parse(&p.to_string()), Ok(p), "a policy reads back as itself");
            let step = i64::from(p.interval_minutes) * 60;
            for s in typed.into_iter().chain([0, 1, 59, 60, 899, 900, 901, WEEK, -1, i64::MAX, i64::MIN]) {
                let billed = p.apply(s);
                assert!(billed >= 0, "{p}: {s} → {billed}");
                if p.mode == RoundingMode::None || s <= 0 {
                    assert_eq!(billed, s.max(0));
                    continue;
                }
                assert_eq!(billed % step, 0, "{p}: {s} → {billed} is not whole intervals");
                match p.mode {
                    RoundingMode::Up => assert!(billed >= s || s > i64::MAX - step, "{p}: {s} → {billed}"),
                    RoundingMode::Down => assert!(billed <= s && s - billed < step),
                    RoundingMode::Nearest => assert!((billed - s).abs() * 2 <= step || s > i64::MAX - step),
                    RoundingMode::None => {}
                }
            }
        }
        Err(e) => assert_eq!(e.field(), Some("rounding"), "{e}"),
    }
});
