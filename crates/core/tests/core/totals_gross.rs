//! Tax-inclusive prices, hand-computed: each group's net is
//! round(gross / (1 + rate)), its tax gross − net, and the lines' net
//! amounts are shared out of the group's net by largest remainder.

use billable_core::tax::{Pricing, TaxCategory, TaxMode, TaxRate};
use billable_core::totals::{totals, Discount, Draft, DraftLine, Totals};
use billable_core::Currency;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn tax(name: &str, pct: Decimal) -> TaxRate {
    TaxRate::new(name, pct, TaxCategory::S, None).unwrap()
}

fn line(q: Decimal, rate: Decimal, tax: Option<TaxRate>) -> DraftLine {
    DraftLine { quantity: q, seconds: None, rate, discount: Discount::None, tax }
}

fn gross(c: &str, mode: TaxMode, lines: Vec<DraftLine>, taxes: Vec<TaxRate>) -> Draft {
    Draft {
        currency: Currency::parse(c).unwrap(),
        tax_mode: mode,
        lines,
        discount: Discount::None,
        taxes,
        adjustment: Decimal::ZERO,
        amount_paid: Decimal::ZERO,
        pricing: Pricing::Gross,
    }
}

fn nets(t: &Totals) -> Vec<Decimal> {
    t.lines.iter().map(|l| l.net).collect()
}

fn groups(t: &Totals) -> Vec<(Decimal, Decimal)> {
    t.taxes.iter().map(|g| (g.base, g.amount)).collect()
}

#[test]
fn one_hundred_nineteen_gross_at_19_percent_is_100_net_and_19_tax() {
    // 119.00 / 1.19 = 100.00; tax 119.00 − 100.00 = 19.00
    let d = gross("EUR", TaxMode::Summary, vec![line(dec!(1), dec!(119.00), None)], vec![tax("VAT", dec!(19))]);
    let t = totals(&d).unwrap();
    assert_eq!(nets(&t), vec![dec!(100.00)]);
    assert_eq!(t.subtotal, dec!(100.00));
    assert_eq!(t.taxable, dec!(100.00));
    assert_eq!(groups(&t), vec![(dec!(100.00), dec!(19.00))]);
    assert_eq!(t.tax_total, dec!(19.00));
    assert_eq!(t.total, dec!(119.00));
    assert_eq!(t.entered_subtotal, dec!(119.00));
    assert_eq!(t.lines[0].entered, dec!(119.00));
    assert_eq!(t.pricing, Pricing::Gross);
    // the same draft priced net adds the tax on top: 119.00 + 22.61 = 141.61
    let net = totals(&Draft { pricing: Pricing::Net, ..d }).unwrap();
    assert_eq!(net.total, dec!(141.61));
}

fn mixed() -> Draft {
    let (high, low) = (tax("VAT 19%", dec!(19)), tax("VAT 7%", dec!(7)));
    gross(
        "EUR",
        TaxMode::Inline,
        vec![
            line(dec!(1), dec!(10.00), Some(high.clone())),
            line(dec!(1), dec!(10.00), Some(high.clone())),
            line(dec!(1), dec!(10.00), Some(high)),
            line(dec!(2), dec!(12.50), Some(low)),
        ],
        vec![],
    )
}

#[test]
fn a_mixed_19_and_7_percent_gross_invoice_adds_up_per_group() {
    // 19 %: gross 30.00 → net 30.00 / 1.19 = 25.2100… → 25.21, tax 4.79.
    //   lines 10.00 / 1.19 = 8.4033… each: truncated 8.40 × 3 = 25.20, the
    //   one cent left goes to the largest remainder (all equal: the first
    //   line) → 8.41, 8.40, 8.40 (= 25.21).
    // 7 %: gross 2 × 12.50 = 25.00 → net 25.00 / 1.07 = 23.3644… → 23.36,
    //   tax 1.64.
    // net 25.21 + 23.36 = 48.57, tax 4.79 + 1.64 = 6.43, total 55.00 —
    // exactly the gross lines 30.00 + 25.00.
    let t = totals(&mixed()).unwrap();
    assert_eq!(nets(&t), vec![dec!(8.41), dec!(8.40), dec!(8.40), dec!(23.36)]);
    assert_eq!(groups(&t), vec![(dec!(25.21), dec!(4.79)), (dec!(23.36), dec!(1.64))]);
    assert_eq!(t.subtotal, dec!(48.57));
    assert_eq!(t.tax_total, dec!(6.43));
    assert_eq!(t.total, dec!(55.00));
}

#[test]
fn a_document_discount_on_gross_prices_is_taken_before_the_split() {
    // 10 % of the gross 55.00 = 5.50, shared 1.00, 1.00, 1.00, 2.50 → line
    // bases (gross) 9.00, 9.00, 9.00, 22.50.
    // 19 %: 27.00 / 1.19 = 22.6890… → 22.69, tax 4.31; bases 9.00 / 1.19 =
    //   7.5630… → 7.56 × 3 = 22.68, the cent to the first: 7.57, 7.56, 7.56.
    // 7 %: 22.50 / 1.07 = 21.0280… → 21.03, tax 1.47.
    // line nets stay 8.41, 8.40, 8.40, 23.36 (48.57); net discount 48.57 −
    // (22.69 + 21.03 = 43.72) = 4.85; tax 5.78; total 43.72 + 5.78 = 49.50
    // = 55.00 − 5.50.
    let mut d = mixed();
    d.discount = Discount::Percent(dec!(10));
    let t = totals(&d).unwrap();
    assert_eq!(t.entered_subtotal, dec!(55.00));
    assert_eq!(t.entered_discount, dec!(5.50));
    assert_eq!(nets(&t), vec![dec!(8.41), dec!(8.40), dec!(8.40), dec!(23.36)]);
    assert_eq!(
        t.lines.iter().map(|l| l.taxable).collect::<Vec<_>>(),
        vec![dec!(7.57), dec!(7.56), dec!(7.56), dec!(21.03)]
    );
    assert_eq!(groups(&t), vec![(dec!(22.69), dec!(4.31)), (dec!(21.03), dec!(1.47))]);
    assert_eq!(t.subtotal, dec!(48.57));
    assert_eq!(t.discount, dec!(4.85));
    assert_eq!(t.taxable, dec!(43.72));
    assert_eq!(t.tax_total, dec!(5.78));
    assert_eq!(t.total, dec!(49.50));
}

#[test]
fn a_line_discount_on_a_gross_price() {
    // 119.00 less 10 % = 11.90 → 107.10 gross; 107.10 / 1.19 = 90.00 net,
    // tax 17.10; the discount net 11.90 / 1.19 = 10.00, before it 100.00.
    let mut l = line(dec!(1), dec!(119.00), Some(tax("VAT", dec!(19))));
    l.discount = Discount::Percent(dec!(10));
    let t = totals(&gross("EUR", TaxMode::Inline, vec![l], vec![])).unwrap();
    let lt = &t.lines[0];
    assert_eq!((lt.gross, lt.discount, lt.net), (dec!(100.00), dec!(10.00), dec!(90.00)));
    assert_eq!((lt.entered, lt.entered_discount), (dec!(107.10), dec!(11.90)));
    assert_eq!(groups(&t), vec![(dec!(90.00), dec!(17.10))]);
    assert_eq!(t.total, dec!(107.10));
}

#[test]
fn yen_gross_prices_have_no_minor_units() {
    // 10 %: 1,000 + 500 = 1,500 → 1,500 / 1.1 = 1,363.63… → 1,364, tax 136.
    //   lines 909.09… → 909 and 454.54… → 454 (1,363); the yen left goes to
    //   the larger remainder (.54 over .09): 909, 455.
    // 8 %: 540 / 1.08 = 500, tax 40. Total 2,040 = the gross lines.
    let (std, reduced) = (tax("消費税 10%", dec!(10)), tax("軽減 8%", dec!(8)));
    let d = gross(
        "JPY",
        TaxMode::Inline,
        vec![
            line(dec!(1), dec!(1000), Some(std.clone())),
            line(dec!(1), dec!(500), Some(std)),
            line(dec!(1), dec!(540), Some(reduced)),
        ],
        vec![],
    );
    let t = totals(&d).unwrap();
    assert_eq!(nets(&t), vec![dec!(909), dec!(455), dec!(500)]);
    assert_eq!(groups(&t), vec![(dec!(1364), dec!(136)), (dec!(500), dec!(40))]);
    assert_eq!(t.tax_total, dec!(176));
    assert_eq!(t.total, dec!(2040));
}

#[test]
fn bahraini_dinar_gross_prices_have_three_decimals() {
    // 10 %: 1.234 + 2.345 = 3.579 → 3.579 / 1.1 = 3.25363… → 3.254, tax
    //   0.325. lines 1.12181… → 1.121 and 2.13181… → 2.131 (3.252); the two
    //   fils left go one each (equal remainders, the first first): 1.122, 2.132.
    let vat = tax("VAT", dec!(10));
    let d = gross(
        "BHD",
        TaxMode::Inline,
        vec![line(dec!(1), dec!(1.234), Some(vat.clone())), line(dec!(1), dec!(2.345), Some(vat))],
        vec![],
    );
    let t = totals(&d).unwrap();
    assert_eq!(nets(&t), vec![dec!(1.122), dec!(2.132)]);
    assert_eq!(groups(&t), vec![(dec!(3.254), dec!(0.325))]);
    assert_eq!(t.total, dec!(3.579));
    assert_eq!(t.total.scale(), 3);
}

#[test]
fn exempt_zero_rate_and_untaxed_lines_are_net_as_entered() {
    // exempt 0 %: 50.00 stays 50.00, tax 0; untaxed 20.00 stays 20.00;
    // 119.00 at 19 % → 100.00 + 19.00. Total 189.00 = 50 + 20 + 119.
    let exempt = TaxRate::new("Exempt", dec!(0), TaxCategory::E, Some("§ 4 UStG".into())).unwrap();
    let d = gross(
        "EUR",
        TaxMode::Inline,
        vec![
            line(dec!(1), dec!(50.00), Some(exempt)),
            line(dec!(1), dec!(20.00), None),
            line(dec!(1), dec!(119.00), Some(tax("VAT", dec!(19)))),
        ],
        vec![],
    );
    let t = totals(&d).unwrap();
    assert_eq!(nets(&t), vec![dec!(50.00), dec!(20.00), dec!(100.00)]);
    assert_eq!(groups(&t), vec![(dec!(50.00), dec!(0.00)), (dec!(100.00), dec!(19.00))]);
    assert_eq!(t.total, dec!(189.00));
}

#[test]
fn several_summary_rates_split_the_gross_once_and_the_last_takes_the_rest() {
    // 19 % + 2.5 % = 21.5 %: 121.50 / 1.215 = 100.00; tax 21.50: 19 % of
    // 100.00 = 19.00, the last rate the rest 2.50.
    let d = gross(
        "EUR",
        TaxMode::Summary,
        vec![line(dec!(1), dec!(121.50), None)],
        vec![tax("VAT", dec!(19)), tax("Levy", dec!(2.5))],
    );
    let t = totals(&d).unwrap();
    assert_eq!(groups(&t), vec![(dec!(100.00), dec!(19.00)), (dec!(100.00), dec!(2.50))]);
    assert_eq!(t.total, dec!(121.50));
}
