//! Retainer periods as written and read.

use billable_core::billing_types::RetainerPeriod;

#[test]
fn a_week_of_an_early_year_reads_back_from_its_label() {
    // Found by fuzzing (fuzz/regressions/periods/week-label-of-an-early-year):
    // "0026-W1" is the week from 0025-12-29, labelled "26-W01", which is not
    // a week period; the label now carries four year digits like the others.
    let weekly = RetainerPeriod::Weekly;
    let p = weekly.parse_period("0026-W1").unwrap();
    assert_eq!(p.start.to_string(), "0025-12-29");
    assert_eq!(weekly.label(&p), "0026-W01");
    assert_eq!(weekly.parse_period(&weekly.label(&p)), Ok(p));
    let p = weekly.parse_period("2026-W09").unwrap();
    assert_eq!(weekly.label(&p), "2026-W09");
    let monthly = RetainerPeriod::Monthly.parse_period("0026-03").unwrap();
    assert_eq!(RetainerPeriod::Monthly.label(&monthly), "0026-03");
}
