//! Property tests: whatever the draft, the parts add up to the whole exactly,
//! every amount is at currency precision, and nothing drifts.

use billable_core::tax::{TaxCategory, TaxMode, TaxRate};
use billable_core::totals::{totals, Discount, Draft, DraftLine, Totals};
use billable_core::{round_money, Currency};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec!["EUR", "USD", "JPY", "BHD", "KWD", "GBP"]).prop_map(|c| Currency::parse(c).unwrap())
}

fn decimal(min: i64, max: i64, scale: u32) -> impl Strategy<Value = Decimal> {
    (min..=max).prop_map(move |n| Decimal::new(n, scale))
}

fn tax_rate() -> impl Strategy<Value = TaxRate> {
    prop::sample::select(vec![
        ("VAT 20%", "20"),
        ("VAT 19%", "19"),
        ("VAT 7%", "7"),
        ("GST 2.5%", "2.5"),
        ("Reduced 5.5%", "5.5"),
        ("Odd 17.125%", "17.125"),
    ])
    .prop_map(|(n, p)| TaxRate::new(n, p.parse().unwrap(), TaxCategory::S, None).unwrap())
}

fn line(inline: bool) -> impl Strategy<Value = DraftLine> {
    (
        decimal(-50_000, 1_000_000, 2),
        decimal(0, 5_000_000, 3),
        prop::option::of(1i64..200_000),
        0u8..3,
        decimal(0, 10_000, 2),
        tax_rate(),
    )
        .prop_map(move |(quantity, rate, seconds, dkind, dval, tax)| DraftLine {
            quantity,
            seconds,
            rate,
            discount: match dkind {
                0 => Discount::None,
                1 => Discount::Percent((dval / Decimal::ONE_HUNDRED).min(Decimal::ONE_HUNDRED)),
                _ => Discount::None,
            },
            tax: inline.then_some(tax),
        })
}

fn draft() -> impl Strategy<Value = Draft> {
    (any::<bool>(), currency()).prop_flat_map(|(inline, currency)| {
        (
            prop::collection::vec(line(inline), 1..25),
            0u8..3,
            decimal(0, 10_000, 2),
            prop::collection::vec(tax_rate(), 0..3),
            decimal(-10_000, 10_000, 0),
            decimal(0, 100_000, 0),
        )
            .prop_map(move |(lines, dkind, dval, mut taxes, adj, paid)| {
                taxes.dedup_by(|a, b| a.same_group(b));
                taxes.sort_by(|a, b| a.name.cmp(&b.name));
                taxes.dedup_by(|a, b| a.same_group(b));
                let unit = Decimal::new(1, currency.minor_units());
                Draft {
                    currency,
                    tax_mode: if inline { TaxMode::Inline } else { TaxMode::Summary },
                    lines,
                    discount: match dkind {
                        0 => Discount::None,
                        _ => Discount::Percent((dval / Decimal::ONE_HUNDRED).min(Decimal::ONE_HUNDRED)),
                    },
                    taxes: if inline { vec![] } else { taxes },
                    adjustment: adj * unit,
                    amount_paid: paid * unit,
                    pricing: Default::default(),
                }
            })
    })
}

fn at_precision(v: Decimal, t: &Totals) -> bool {
    round_money(v, t.currency) == v && v.scale() == t.currency.minor_units()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parts_add_up_to_the_whole(d in draft()) {
        let t = match totals(&d) {
            Ok(t) => t,
            // A percent document discount never exceeds the subtotal, but a
            // negative subtotal is possible; those drafts are not of interest.
            Err(e) => { prop_assert!(e.field().is_some()); return Ok(()); }
        };
        prop_assert_eq!(t.lines.len(), d.lines.len());
        for l in &t.lines {
            prop_assert_eq!(l.net, l.gross - l.discount);
            prop_assert_eq!(l.taxable, l.net - l.document_discount);
            for v in [l.gross, l.discount, l.net, l.document_discount, l.taxable] {
                prop_assert!(at_precision(v, &t), "{} not at precision", v);
            }
        }
        prop_assert_eq!(t.subtotal, t.lines.iter().map(|l| l.net).sum::<Decimal>());
        prop_assert_eq!(t.discount, t.lines.iter().map(|l| l.document_discount).sum::<Decimal>());
        prop_assert_eq!(t.taxable, t.subtotal - t.discount);
        prop_assert_eq!(t.tax_total, t.taxes.iter().map(|g| g.amount).sum::<Decimal>());
        for g in &t.taxes {
            prop_assert_eq!(g.amount, round_money(g.base * g.tax.percent / Decimal::ONE_HUNDRED, t.currency));
        }
        match d.tax_mode {
            TaxMode::Inline => {
                // every line carries a tax here, so the groups cover the taxable amount exactly
                prop_assert_eq!(t.taxes.iter().map(|g| g.base).sum::<Decimal>(), t.taxable);
            }
            TaxMode::Summary => {
                for g in &t.taxes { prop_assert_eq!(g.base, t.taxable); }
            }
        }
        prop_assert_eq!(t.total, t.taxable + t.tax_total + t.adjustment);
        prop_assert_eq!(t.balance_due, t.total - t.amount_paid);
        for v in [t.subtotal, t.discount, t.taxable, t.tax_total, t.adjustment, t.total, t.amount_paid, t.balance_due] {
            prop_assert!(at_precision(v, &t), "{} not at precision", v);
        }
        // deterministic: the same draft gives the same totals
        prop_assert_eq!(totals(&d).unwrap(), t);
    }

    #[test]
    fn tax_inclusive_prices_add_up_per_group_and_to_the_entered_total(mut d in draft()) {
        d.pricing = billable_core::tax::Pricing::Gross;
        let Ok(t) = totals(&d) else { return Ok(()) };
        let cur = t.currency;
        for l in &t.lines {
            prop_assert_eq!(l.net, l.gross - l.discount);
            prop_assert_eq!(l.taxable, l.net - l.document_discount);
            for v in [l.gross, l.discount, l.net, l.document_discount, l.taxable, l.entered, l.entered_discount] {
                prop_assert!(at_precision(v, &t), "{} not at precision", v);
            }
        }
        prop_assert_eq!(t.subtotal, t.lines.iter().map(|l| l.net).sum::<Decimal>());
        prop_assert_eq!(t.discount, t.lines.iter().map(|l| l.document_discount).sum::<Decimal>());
        prop_assert_eq!(t.taxable, t.subtotal - t.discount);
        prop_assert_eq!(t.entered_subtotal, t.lines.iter().map(|l| l.entered).sum::<Decimal>());
        // what the customer pays is what was entered, less the discounts
        prop_assert_eq!(t.total, t.entered_subtotal - t.entered_discount + t.adjustment);
        prop_assert_eq!(t.total, t.taxable + t.tax_total + t.adjustment);
        match d.tax_mode {
            TaxMode::Inline => {
                for g in &t.taxes {
                    let members: Vec<usize> = (0..d.lines.len()).filter(|&i| d.lines[i].tax.as_ref().is_some_and(|x| x.same_group(&g.tax))).collect();
                    // BR-S-08: the group's basis is the sum of its lines' net bases
                    prop_assert_eq!(g.base, members.iter().map(|&i| t.lines[i].taxable).sum::<Decimal>());
                    // tax = gross − net, so within a unit or two of basis × rate
                    prop_assert_eq!(g.base, round_money(g.base, cur));
                    prop_assert!((g.amount - g.base * g.tax.percent / Decimal::ONE_HUNDRED).abs() < Decimal::new(1, cur.minor_units()) * Decimal::TWO);
                }
            }
            TaxMode::Summary => {
                for g in &t.taxes { prop_assert_eq!(g.base, t.taxable); }
            }
        }
        prop_assert_eq!(totals(&d).unwrap(), t);
    }

    #[test]
    fn reordering_lines_does_not_change_the_totals_in_summary_mode(mut d in draft()) {
        d.tax_mode = TaxMode::Summary;
        for l in &mut d.lines { l.tax = None; }
        let Ok(a) = totals(&d) else { return Ok(()) };
        let mut r = d.clone();
        r.lines.reverse();
        let b = totals(&r).unwrap();
        prop_assert_eq!(a.total, b.total);
        prop_assert_eq!(a.tax_total, b.tax_total);
    }

    #[test]
    fn garbage_never_panics(q in any::<i64>(), s in 0u32..28, r in any::<i64>(), secs in any::<i64>(), adj in any::<i64>()) {
        let d = Draft {
            currency: Currency::parse("EUR").unwrap(),
            tax_mode: TaxMode::Summary,
            lines: vec![DraftLine { quantity: Decimal::new(q, s), seconds: Some(secs), rate: Decimal::new(r, s), discount: Discount::None, tax: None }],
            discount: Discount::Percent(Decimal::new(r, s)),
            taxes: vec![],
            adjustment: Decimal::new(adj, s),
            amount_paid: Decimal::ZERO,
            pricing: billable_core::tax::Pricing::Gross,
        };
        let _ = totals(&d);
    }
}
