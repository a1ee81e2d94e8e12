//! The totals engine on any draft: it either refuses the draft with an error
//! naming a field, or returns totals whose parts add up to the whole, every
//! amount rounded to the currency's minor unit by `round_money`.
#![no_main]

use arbitrary::Unstructured;
use billable_core::money::round_money;
use billable_core::tax::TaxMode;
use billable_core::totals::{totals, Discount, Totals};
use billable_core::CoreError;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fuzz_target!(|data: &[u8]| {
    let Ok(draft) = billable_fuzz::draft(&mut Unstructured::new(data)) else { return };
    let before = draft.clone();
    match totals(&draft) {
        Err(CoreError::Invalid { field, message }) => {
            assert!(!field.is_empty(), "an error without its field: {message}");
            assert!(!message.is_empty(), "an empty message about {field}");
        }
        Err(other) => panic!("a draft is refused as invalid, not with {other:?}"),
        Ok(t) => {
            check(&draft, &t);
            assert_eq!(totals(&draft).as_ref(), Ok(&t), "totals are deterministic");
        }
    }
    assert_eq!(draft, before, "the engine never changes its input");
});

fn check(draft: &billable_core::totals::Draft, t: &Totals) {
    let cur = draft.currency;
    let rounded = |name: &str, v: Decimal| {
        assert_eq!(v, round_money(v, cur), "{name} = {v} is not rounded to {cur}");
        assert_eq!(v.scale(), cur.minor_units(), "{name} = {v} does not carry {cur}'s scale");
    };
    assert_eq!(t.currency, cur);
    assert_eq!(t.lines.len(), draft.lines.len());
    let mut shares = Decimal::ZERO;
    for (i, (l, d)) in t.lines.iter().zip(&draft.lines).enumerate() {
        for (name, v) in [
            ("gross", l.gross),
            ("discount", l.discount),
            ("net", l.net),
            ("document_discount", l.document_discount),
            ("taxable", l.taxable),
        ] {
            rounded(&format!("lines[{i}].{name}"), v);
        }
        assert_eq!(l.net, l.gross - l.discount, "line {i}: net = gross − discount");
        assert_eq!(l.taxable, l.net - l.document_discount, "line {i}: taxable = net − share of the discount");
        match d.discount {
            Discount::None => assert!(l.discount.is_zero()),
            Discount::Percent(p) => assert_eq!(l.discount, round_money(l.gross * p / Decimal::ONE_HUNDRED, cur)),
            Discount::Fixed(a) => {
                assert_eq!(l.discount, a);
                assert!(a <= l.gross || a.is_zero(), "line {i}: a fixed discount above the line amount");
            }
        }
        shares += l.document_discount;
    }
    for (name, v) in [
        ("subtotal", t.subtotal),
        ("discount", t.discount),
        ("taxable", t.taxable),
        ("tax_total", t.tax_total),
        ("adjustment", t.adjustment),
        ("total", t.total),
        ("amount_paid", t.amount_paid),
        ("balance_due", t.balance_due),
    ] {
        rounded(name, v);
    }
    assert_eq!(t.subtotal, t.lines.iter().map(|l| l.net).sum::<Decimal>(), "subtotal = Σ line amounts");
    assert_eq!(t.taxable, t.subtotal - t.discount, "taxable = subtotal − discount");
    assert_eq!(shares, t.discount, "the discount shares add up to the discount");
    if let Discount::Fixed(a) = draft.discount {
        assert_eq!(t.discount, a);
        assert!(t.discount <= t.subtotal.max(Decimal::ZERO), "a fixed discount above the subtotal");
    }
    for (i, g) in t.taxes.iter().enumerate() {
        rounded(&format!("taxes[{i}].base"), g.base);
        rounded(&format!("taxes[{i}].amount"), g.amount);
        assert_eq!(g.amount, round_money(g.base * g.tax.percent / Decimal::ONE_HUNDRED, cur), "tax {i}");
        assert!(!t.taxes[..i].iter().any(|o| o.tax.same_group(&g.tax)), "tax group {i} appears twice");
    }
    match draft.tax_mode {
        TaxMode::Summary => {
            assert_eq!(t.taxes.len(), draft.taxes.len());
            assert!(t.taxes.iter().all(|g| g.base == t.taxable), "summary taxes apply to the taxable amount");
        }
        TaxMode::Inline => {
            let taxed: Decimal =
                t.lines.iter().zip(&draft.lines).filter(|(_, d)| d.tax.is_some()).map(|(l, _)| l.taxable).sum();
            assert_eq!(t.taxes.iter().map(|g| g.base).sum::<Decimal>(), taxed, "inline bases = Σ taxed lines");
        }
    }
    assert_eq!(t.tax_total, t.taxes.iter().map(|g| g.amount).sum::<Decimal>(), "tax_total = Σ tax groups");
    assert_eq!(t.adjustment, draft.adjustment, "the adjustment is kept as given");
    assert_eq!(t.total, t.taxable + t.tax_total + t.adjustment, "total = subtotal − discount + tax + adjustment");
    assert_eq!(t.amount_paid, round_money(draft.amount_paid, cur));
    assert_eq!(t.balance_due, t.total - t.amount_paid, "balance = total − paid");
}
