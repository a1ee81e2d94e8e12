//! Durations and time rounding.

use billable_core::time::RoundingPolicy;

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
