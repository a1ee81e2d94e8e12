//! Hand-computed totals. Every expected figure below was worked out on paper
//! (the working is in the comments), not by running the engine.

use billable_core::billing::{group_entries, BillableEntry, Grouping};
use billable_core::tax::{TaxCategory, TaxMode, TaxRate};
use billable_core::time::RoundingPolicy;
use billable_core::totals::{totals, Discount, Draft, DraftLine};
use billable_core::Currency;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn cur(c: &str) -> Currency {
    Currency::parse(c).unwrap()
}

fn tax(name: &str, pct: Decimal) -> TaxRate {
    TaxRate::new(name, pct, TaxCategory::S, None).unwrap()
}

fn line(q: Decimal, rate: Decimal) -> DraftLine {
    DraftLine { quantity: q, seconds: None, rate, discount: Discount::None, tax: None }
}

fn draft(c: &str, mode: TaxMode, lines: Vec<DraftLine>) -> Draft {
    Draft {
        currency: cur(c),
        tax_mode: mode,
        lines,
        discount: Discount::None,
        taxes: vec![],
        adjustment: Decimal::ZERO,
        amount_paid: Decimal::ZERO,
        pricing: Default::default(),
    }
}

#[test]
fn several_summary_taxes_document_discount_negative_adjustment_and_payment() {
    // 10 × 100.00 = 1000.00; 3.75 × 80.00 = 300.00; subtotal 1300.00
    // 10% discount = 130.00 → taxable 1170.00
    // VAT 19% = 222.30; levy 2.5% = 29.25 → tax 251.55
    // adjustment −0.55 → total 1421.00; paid 421.00 → balance 1000.00
    let mut d = draft("EUR", TaxMode::Summary, vec![line(dec!(10), dec!(100)), line(dec!(3.75), dec!(80))]);
    d.discount = Discount::Percent(dec!(10));
    d.taxes = vec![tax("VAT 19%", dec!(19)), tax("Levy 2.5%", dec!(2.5))];
    d.adjustment = dec!(-0.55);
    d.amount_paid = dec!(421);
    let t = totals(&d).unwrap();
    assert_eq!(t.lines[0].net, dec!(1000.00));
    assert_eq!(t.lines[1].net, dec!(300.00));
    assert_eq!(t.subtotal, dec!(1300.00));
    assert_eq!(t.discount, dec!(130.00));
    assert_eq!(t.taxable, dec!(1170.00));
    assert_eq!(t.taxes.len(), 2);
    assert_eq!((t.taxes[0].base, t.taxes[0].amount), (dec!(1170.00), dec!(222.30)));
    assert_eq!((t.taxes[1].base, t.taxes[1].amount), (dec!(1170.00), dec!(29.25)));
    assert_eq!(t.tax_total, dec!(251.55));
    assert_eq!(t.adjustment, dec!(-0.55));
    assert_eq!(t.total, dec!(1421.00));
    assert_eq!(t.balance_due, dec!(1000.00));
    assert_eq!(t.total.to_string(), "1421.00", "amounts carry the currency's scale");
}

fn inline_draft() -> Draft {
    // L1: 2 × 49.99 = 99.98, −10% = 9.998 → 10.00, net 89.98, VAT 20%
    // L2: 1 × 33.33, −3.33 fixed → net 30.00, VAT 7%
    // L3: 2.5 × 10.05 = 25.125 → 25.13 (half away from zero; banker's gives 25.12), VAT 20%
    let vat20 = tax("VAT 20%", dec!(20));
    let vat7 = tax("VAT 7%", dec!(7));
    let mut l1 = line(dec!(2), dec!(49.99));
    l1.discount = Discount::Percent(dec!(10));
    l1.tax = Some(vat20.clone());
    let mut l2 = line(dec!(1), dec!(33.33));
    l2.discount = Discount::Fixed(dec!(3.33));
    l2.tax = Some(vat7);
    let mut l3 = line(dec!(2.5), dec!(10.05));
    l3.tax = Some(vat20);
    let mut d = draft("EUR", TaxMode::Inline, vec![l1, l2, l3]);
    d.discount = Discount::Fixed(dec!(14.51));
    d
}

#[test]
fn inline_taxes_with_line_and_document_discounts() {
    // subtotal 89.98 + 30.00 + 25.13 = 145.11; document discount 14.51
    // shares of 14.51 ∝ net: 8.9974, 2.9998, 2.5128 → truncated 8.99, 2.99, 2.51 (14.49);
    // the 0.02 left goes to the largest remainders (L2, then L1): 9.00, 3.00, 2.51
    // taxable per line: 80.98, 27.00, 22.62
    // VAT 20%: base 80.98 + 22.62 = 103.60 → 20.72; VAT 7%: base 27.00 → 1.89
    // total = 130.60 + 22.61 = 153.21
    let t = totals(&inline_draft()).unwrap();
    let nets: Vec<_> = t.lines.iter().map(|l| l.net).collect();
    assert_eq!(nets, vec![dec!(89.98), dec!(30.00), dec!(25.13)]);
    assert_eq!(t.lines[0].discount, dec!(10.00));
    let shares: Vec<_> = t.lines.iter().map(|l| l.document_discount).collect();
    assert_eq!(shares, vec![dec!(9.00), dec!(3.00), dec!(2.51)]);
    assert_eq!(t.subtotal, dec!(145.11));
    assert_eq!(t.taxable, dec!(130.60));
    assert_eq!(t.taxes.len(), 2);
    assert_eq!(t.taxes[0].tax.percent, dec!(20));
    assert_eq!((t.taxes[0].base, t.taxes[0].amount), (dec!(103.60), dec!(20.72)));
    assert_eq!((t.taxes[1].base, t.taxes[1].amount), (dec!(27.00), dec!(1.89)));
    assert_eq!(t.tax_total, dec!(22.61));
    assert_eq!(t.total, dec!(153.21));
}

#[test]
fn summary_versus_inline_on_the_same_lines() {
    // The same lines and discount with one invoice-level 20%: 130.60 × 20% = 26.12
    let mut d = inline_draft();
    for l in &mut d.lines {
        l.tax = None;
    }
    d.tax_mode = TaxMode::Summary;
    d.taxes = vec![tax("VAT 20%", dec!(20))];
    let t = totals(&d).unwrap();
    assert_eq!(t.taxable, dec!(130.60));
    assert_eq!(t.tax_total, dec!(26.12));
    assert_eq!(t.total, dec!(156.72));
}

#[test]
fn jpy_has_no_minor_units() {
    // 1.5 × 3333 = 4999.5 → 5000; 3 × 1234 = 3702; subtotal 8702; 10% = 870.2 → 870; total 9572
    let mut d = draft("JPY", TaxMode::Summary, vec![line(dec!(1.5), dec!(3333)), line(dec!(3), dec!(1234))]);
    d.taxes = vec![tax("Consumption tax", dec!(10))];
    let t = totals(&d).unwrap();
    assert_eq!(t.lines[0].net, dec!(5000));
    assert_eq!(t.subtotal, dec!(8702));
    assert_eq!(t.tax_total, dec!(870));
    assert_eq!(t.total, dec!(9572));
    assert_eq!(t.total.to_string(), "9572");
    d.adjustment = dec!(0.5);
    let err = totals(&d).unwrap_err();
    assert_eq!(err.field(), Some("adjustment"), "JPY has no fractions: {err}");
}

#[test]
fn bhd_has_three_minor_units() {
    // 2.5 × 12.345 = 30.8625 → 30.863 (banker's: 30.862); 10% = 3.0863 → 3.086; total 33.949
    let mut d = draft("BHD", TaxMode::Summary, vec![line(dec!(2.5), dec!(12.345))]);
    d.taxes = vec![tax("VAT", dec!(10))];
    let t = totals(&d).unwrap();
    assert_eq!(t.subtotal, dec!(30.863));
    assert_eq!(t.tax_total, dec!(3.086));
    assert_eq!(t.total, dec!(33.949));
    assert_eq!(t.total.to_string(), "33.949");
}

#[test]
fn one_hour_twenty_at_150_is_200() {
    // 1h20m = 4800 s; 4800 × 150.00 / 3600 = 200.00 exactly (1.33 × 150 would be 199.50)
    let mut l = line(dec!(1.33), dec!(150.00));
    l.seconds = Some(4800);
    let t = totals(&draft("USD", TaxMode::Summary, vec![l])).unwrap();
    assert_eq!(t.total, dec!(200.00));
}

#[test]
fn seven_minutes_rounded_up_to_fifteen_becomes_a_quarter_hour_line() {
    // 7 min with "up:15" → 15 min = 0.25 h at 100.00 = 25.00; the raw 420 s is kept
    let e = BillableEntry {
        id: 1,
        date: "2026-03-02".parse().unwrap(),
        project_id: 1,
        project_name: "Website".into(),
        task_id: None,
        task_name: None,
        member_name: "Ana".into(),
        description: "call".into(),
        seconds: 420,
        rate: dec!(100),
        rounding: RoundingPolicy::parse("up:15").unwrap(),
    };
    let lines = group_entries(&[e], Grouping::Entry);
    assert_eq!(lines[0].seconds, 900);
    assert_eq!(lines[0].raw_seconds, 420);
    assert_eq!(lines[0].quantity, dec!(0.25));
    let l = DraftLine {
        quantity: lines[0].quantity,
        seconds: Some(lines[0].seconds),
        rate: lines[0].rate,
        discount: Discount::None,
        tax: None,
    };
    assert_eq!(totals(&draft("EUR", TaxMode::Summary, vec![l])).unwrap().total, dec!(25.00));
}

#[test]
fn a_negative_correction_line() {
    // 5 × 100 = 500.00; −1 × 50 = −50.00; subtotal 450.00; 20% = 90.00; total 540.00
    let mut d = draft("EUR", TaxMode::Summary, vec![line(dec!(5), dec!(100)), line(dec!(-1), dec!(50))]);
    d.taxes = vec![tax("VAT", dec!(20))];
    let t = totals(&d).unwrap();
    assert_eq!(t.lines[1].net, dec!(-50.00));
    assert_eq!(t.total, dec!(540.00));
}

#[test]
fn invalid_drafts_name_the_field() {
    let mut d = draft("EUR", TaxMode::Summary, vec![line(dec!(1), dec!(-5))]);
    assert_eq!(totals(&d).unwrap_err().field(), Some("lines[1].rate"));
    d.lines = vec![line(dec!(1), dec!(10))];
    d.discount = Discount::Fixed(dec!(10.01));
    assert_eq!(totals(&d).unwrap_err().field(), Some("discount"));
    d.discount = Discount::Percent(dec!(101));
    assert_eq!(totals(&d).unwrap_err().field(), Some("discount"));
    d.discount = Discount::None;
    d.lines[0].discount = Discount::Fixed(dec!(11));
    assert_eq!(totals(&d).unwrap_err().field(), Some("lines[1].discount"));
    d.lines[0].discount = Discount::None;
    d.lines[0].tax = Some(tax("VAT", dec!(20)));
    assert_eq!(totals(&d).unwrap_err().field(), Some("lines[1].tax"), "line tax in summary mode");
    d.lines[0].tax = None;
    d.taxes = vec![TaxRate { name: "Bad".into(), percent: dec!(-1), category: TaxCategory::S, exemption_reason: None }];
    assert_eq!(totals(&d).unwrap_err().field(), Some("taxes"));
    d.taxes = vec![];
    d.lines[0].quantity = dec!(1e15);
    assert_eq!(totals(&d).unwrap_err().field(), Some("lines[1].quantity"));
}

#[test]
fn the_engine_does_not_mutate_its_input() {
    let d = inline_draft();
    let before = d.clone();
    let a = totals(&d).unwrap();
    let b = totals(&d).unwrap();
    assert_eq!(d, before);
    assert_eq!(a, b);
}

// Found by fuzzing (cargo fuzz; the inputs are kept in fuzz/regressions/).

#[test]
fn a_line_too_large_to_carry_is_refused_naming_it_not_a_panic() {
    // fuzz/regressions/totals/discount-share-overflow: 1,395,395,328 × 369,295,360
    // CLF = 5.2·10¹⁷ with a 21.2…% document discount; sharing the discount out
    // multiplied it by the line amount (10³⁵) past the range of Decimal.
    let mut d = draft("CLF", TaxMode::Summary, vec![line(dec!(1395395328), dec!(369295360))]);
    d.discount = Discount::Percent(dec!(21.205276113114710));
    d.adjustment = dec!(-1669418.5);
    let err = totals(&d).unwrap_err();
    assert_eq!(err.field(), Some("lines[1].quantity"), "{err}");
    assert!(err.to_string().contains("1000000000000"), "{err}");
    // From time: 1,000,000 hours at 1,000,000.00 = 10¹² is the most a line carries.
    let mut l = line(dec!(1000000), dec!(1000000));
    l.seconds = Some(1_000_000 * 3600);
    assert!(totals(&draft("EUR", TaxMode::Summary, vec![l.clone()])).is_ok());
    l.seconds = Some(1_000_000 * 3600 + 36);
    assert_eq!(totals(&draft("EUR", TaxMode::Summary, vec![l])).unwrap_err().field(), Some("lines[1].hours"));
}

#[test]
fn the_largest_lines_still_share_a_discount_exactly() {
    // 80,000 lines of 10¹² (the most a line carries) and a cent, all taken
    // off by a 100% discount: discount × line amount (8·10²⁸) passes the
    // range of Decimal, so each share is worked out from the line's part of
    // the subtotal; the shares still add up to the discount to the cent.
    let mut lines = vec![line(dec!(1000000000000), dec!(1)); 80_000];
    lines.push(line(dec!(1), dec!(0.01)));
    let mut d = draft("EUR", TaxMode::Summary, lines);
    d.discount = Discount::Percent(dec!(100));
    d.taxes = vec![tax("VAT 20%", dec!(20))];
    let t = totals(&d).unwrap();
    assert_eq!(t.subtotal, dec!(80000000000000000.01));
    assert_eq!(t.discount, t.subtotal);
    assert_eq!(t.lines.iter().map(|l| l.document_discount).sum::<Decimal>(), t.discount);
    assert_eq!(t.lines[0].document_discount, dec!(1000000000000.00));
    assert_eq!(t.lines[80_000].document_discount, dec!(0.01));
    assert!(t.lines.iter().all(|l| l.taxable.is_zero()));
    assert_eq!(t.total, dec!(0));
}

#[test]
fn a_discount_of_nothing_is_no_discount() {
    // fuzz/regressions/amounts/zero-fixed-discount: "00.00" was a fixed discount
    // of 0 while "0" was none, and the fixed 0 printed as "0" read back as none.
    for nothing in ["", "none", "0", "0.00", "00.00", "0%", "0.0%", "-0"] {
        assert_eq!(Discount::parse("discount", nothing), Ok(Discount::None), "{nothing:?}");
    }
    assert_eq!(Discount::parse("discount", "25.00"), Ok(Discount::Fixed(dec!(25))));
    assert_eq!(Discount::parse("discount", "10%"), Ok(Discount::Percent(dec!(10))));
    assert_eq!(Discount::parse("discount", "-1").unwrap_err().field(), Some("discount"));
}
