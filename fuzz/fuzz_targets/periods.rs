//! Retainer periods ("2026-03", "2026-Q1", "2026-W09", "2026") and the
//! period placeholders of recurring invoices ("{MONTH} {YEAR}"): a period is
//! refused naming its field, or its label reads back as the same period.
#![no_main]

use billable_core::billing_types::RetainerPeriod;
use billable_core::recurring::{check_placeholders, fill, Frequency, Period, SendMode};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

const KINDS: [RetainerPeriod; 4] =
    [RetainerPeriod::Weekly, RetainerPeriod::Monthly, RetainerPeriod::Quarterly, RetainerPeriod::Yearly];

fuzz_target!(|data: &[u8]| {
    let Ok(t) = std::str::from_utf8(data) else { return };
    for kind in KINDS {
        match kind.parse_period(t) {
            Ok(p) => {
                assert!(p.start <= p.end, "{kind}: {p:?}");
                assert_eq!(kind.containing(p.start), p);
                assert_eq!(kind.containing(p.end), p);
                let label = kind.label(&p);
                assert_eq!(kind.parse_period(&label), Ok(p), "{kind}: '{label}' reads back as {p:?}");
            }
            Err(e) => assert_eq!(e.field(), Some("period"), "{e}"),
        }
    }
    if let Err(e) = t.parse::<RetainerPeriod>() {
        assert_eq!(e.field(), Some("retainer_period"));
    }
    if let Err(e) = t.parse::<Frequency>() {
        assert!(e.field().is_some(), "{e}");
    }
    if let Err(e) = t.parse::<SendMode>() {
        assert_eq!(e.field(), Some("send_mode"));
    }
    if let Err(e) = check_placeholders("description", t) {
        assert_eq!(e.field(), Some("description"));
    }
    let periods = [
        Period { cycle: 0, start: NaiveDate::MIN, end: NaiveDate::MIN },
        Period {
            cycle: 2,
            start: NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date"),
            end: NaiveDate::from_ymd_opt(2026, 3, 31).expect("a date"),
        },
        Period { cycle: u32::MAX, start: NaiveDate::MAX, end: NaiveDate::MAX },
    ];
    for p in periods {
        let filled = fill(t, &p);
        if !t.contains('{') {
            assert_eq!(filled, t, "text without placeholders is kept as written");
        }
    }
});
