//! Durations and time rounding.

use billable_core::time::{display_hours, RoundingPolicy};
use rust_decimal::{Decimal, RoundingStrategy};

#[test]
fn rounding_the_longest_duration_stays_within_range() {
    // Found by fuzzing (fuzz/regressions/durations/rounding-up-the-longest-duration):
    // rounding i64::MAX seconds up to whole quarter hours overflowed. Past
    // the largest duration there is, the last whole interval is billed.
    let up = RoundingPolicy::parse("up:15").unwrap();
    assert_eq!(up.apply(i64::MAX), i64::MAX / 900 * 900);
    assert_eq!(up.apply(i64::MAX - 900), i64::MAX / 900 * 900);
    let nearest = RoundingPolicy::parse("nearest:4").unwrap();
    assert_eq!(nearest.apply(i64::MAX), i64::MAX / 240 * 240);
    let down = RoundingPolicy::parse("down:30").unwrap();
    assert_eq!(down.apply(i64::MAX), i64::MAX / 1800 * 1800);
    assert_eq!(up.apply(i64::MIN), 0);
    // Ordinary durations are unchanged by the guard.
    assert_eq!(up.apply(7 * 60), 15 * 60);
    assert_eq!(nearest.apply(2 * 60), 4 * 60);
}

#[test]
fn display_hours_equal_dividing_by_3600_and_rounding_half_away_from_zero() {
    let by_division = |seconds: i64| {
        (Decimal::from(seconds) / Decimal::from(3600)).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    };
    let mut checked = 0;
    for seconds in (-20_000..=400_000).chain([i64::MAX, i64::MIN + 1, 17, 18, 19, 53, 54, 55, -18, -19]) {
        let shown = display_hours(seconds);
        assert_eq!(shown, by_division(seconds), "{seconds} s");
        assert_eq!(shown.scale(), 2, "{seconds} s shows two decimals: {shown}");
        checked += 1;
    }
    assert!(checked > 420_000);
    assert_eq!(display_hours(5400).to_string(), "1.50");
    assert_eq!(display_hours(18).to_string(), "0.01", "half a hundredth rounds up");
    assert_eq!(display_hours(17).to_string(), "0.00");
}
