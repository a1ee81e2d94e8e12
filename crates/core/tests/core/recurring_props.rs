//! Property tests of recurring schedules: periods tile the calendar without
//! gaps or overlaps, month ends stay anchored on the start date, and "due"
//! and "next" agree with each other.

use billable_core::recurring::{Frequency, Schedule};
use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;

fn frequency() -> impl Strategy<Value = Frequency> {
    prop::sample::select(vec![Frequency::Weekly, Frequency::Monthly, Frequency::Quarterly, Frequency::Yearly])
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0u64..36_500).prop_map(|d| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Days::new(d))
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
    let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
    (next.unwrap() - first).num_days() as u32
}

proptest! {
    #[test]
    fn periods_tile_the_calendar(freq in frequency(), interval in 1u32..13, start in date(), n in 0u32..150) {
        let s = Schedule { frequency: freq, interval, start, end: None, max_cycles: None };
        let a = s.period(n).unwrap();
        let b = s.period(n + 1).unwrap();
        prop_assert_eq!(a.end.succ_opt().unwrap(), b.start);
        prop_assert!(a.start <= a.end);
        prop_assert!(a.start < b.start);
    }

    #[test]
    fn month_ends_are_anchored_on_the_start_day(interval in 1u32..13, start in date(), n in 0u32..150) {
        let s = Schedule { frequency: Frequency::Monthly, interval, start, end: None, max_cycles: None };
        let d = s.cycle_start(n).unwrap();
        prop_assert_eq!(d.day(), start.day().min(days_in_month(d.year(), d.month())));
        let months = (d.year() - start.year()) * 12 + d.month() as i32 - start.month() as i32;
        prop_assert_eq!(months, (n * interval) as i32);
    }

    #[test]
    fn due_and_next_agree(freq in frequency(), interval in 1u32..5, start in date(), ahead in 0u64..4_000, cap in prop::option::of(1u32..40)) {
        let s = Schedule { frequency: freq, interval, start, end: None, max_cycles: cap };
        let today = start + Days::new(ahead);
        let due = s.due(today, 10_000);
        prop_assert!(due.iter().all(|p| p.start <= today));
        prop_assert!(due.iter().enumerate().all(|(i, p)| p.cycle as usize == i));
        match s.next_after(today) {
            Some(next) => {
                prop_assert!(next.start > today);
                prop_assert_eq!(next.cycle as usize, due.len());
            }
            None => prop_assert_eq!(Some(due.len() as u32), cap),
        }
    }
}
