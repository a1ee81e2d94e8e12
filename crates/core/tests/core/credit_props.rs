//! Property tests of credit notes: whatever the invoice and however it is
//! credited piece by piece, the credit notes never add up to more than its
//! total, and crediting what is left takes it to exactly its total.

use billable_core::credit::{plan, CreditPick};
use billable_core::model::{Invoice, InvoiceLine};
use billable_core::status::InvoiceStatus;
use billable_core::tax::{TaxCategory, TaxMode, TaxRate};
use billable_core::totals::{totals, Discount, Draft, DraftLine};
use billable_core::Currency;
use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec!["EUR", "JPY", "BHD"]).prop_map(|c| Currency::parse(c).unwrap())
}

fn discount() -> impl Strategy<Value = Discount> {
    (0u8..3, 0i64..5000).prop_map(|(k, v)| match k {
        0 => Discount::None,
        1 => Discount::Percent(Decimal::new(v, 2)),
        _ => Discount::Fixed(Decimal::new(v / 10, 0)),
    })
}

fn line() -> impl Strategy<Value = (Decimal, Decimal, Discount)> {
    (100i64..10_000, 100i64..100_000, discount()).prop_map(|(q, r, d)| (Decimal::new(q, 2), Decimal::new(r, 2), d))
}

fn invoice(
    cur: Currency,
    lines: &[(Decimal, Decimal, Discount)],
    doc: Discount,
) -> Option<(Invoice, Vec<InvoiceLine>)> {
    let vat = TaxRate::new("VAT 19%", Decimal::new(19, 0), TaxCategory::S, None).unwrap();
    let draft_lines: Vec<DraftLine> = lines
        .iter()
        .map(|(q, r, d)| DraftLine { quantity: *q, seconds: None, rate: *r, discount: *d, tax: None })
        .collect();
    let draft = Draft {
        currency: cur,
        tax_mode: TaxMode::Summary,
        lines: draft_lines,
        discount: doc,
        taxes: vec![vat.clone()],
        adjustment: Decimal::ZERO,
        amount_paid: Decimal::ZERO,
        pricing: Default::default(),
    };
    let t = totals(&draft).ok()?;
    if t.total <= Decimal::ZERO {
        return None;
    }
    let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let inv = Invoice {
        id: 1,
        number: "INV-1".into(),
        client_id: 1,
        project_id: None,
        category: String::new(),
        tags: vec![],
        issue_date: d,
        due_date: d,
        currency: cur,
        tax_mode: TaxMode::Summary,
        pricing: Default::default(),
        discount: doc,
        taxes: vec![vat],
        adjustment: Decimal::ZERO,
        adjustment_description: String::new(),
        notes: String::new(),
        terms: String::new(),
        po_number: String::new(),
        status: InvoiceStatus::Sent,
        subtotal: t.subtotal,
        discount_amount: t.discount,
        tax_total: t.tax_total,
        total: t.total,
        amount_paid: Decimal::ZERO,
        balance_due: t.total,
        created_at: Utc.timestamp_opt(0, 0).unwrap(),
        issued_at: None,
        template: None,
        locale: None,
        early_discount: None,
        early_discount_taken: Decimal::ZERO,
        prepaid: Decimal::ZERO,
    };
    let lines = lines
        .iter()
        .zip(&t.lines)
        .enumerate()
        .map(|(i, ((q, r, d), lt))| InvoiceLine {
            id: i as i64 + 1,
            invoice_id: 1,
            position: i as u32 + 1,
            description: format!("line {i}"),
            long_description: String::new(),
            quantity: *q,
            seconds: None,
            unit: String::new(),
            rate: *r,
            discount: *d,
            tax: None,
            amount: lt.net,
            entry_ids: vec![],
        })
        .collect();
    Some((inv, lines))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn credits_never_exceed_the_total_and_the_last_takes_the_rest(
        cur in currency(),
        lines in prop::collection::vec(line(), 1..6),
        doc in discount(),
        picks in prop::collection::vec((0usize..6, 1u32..100), 0..8),
    ) {
        let Some((inv, lines)) = invoice(cur, &lines, doc) else { return Ok(()) };
        let mut already = vec![Decimal::ZERO; lines.len()];
        let mut credited = Decimal::ZERO;
        for (i, pct) in picks {
            let i = i % lines.len();
            let left = lines[i].quantity - already[i];
            let q = (left * Decimal::from(pct) / Decimal::ONE_HUNDRED).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
            if q.is_zero() {
                continue;
            }
            let pick = CreditPick { position: i as u32 + 1, quantity: Some(q) };
            if let Ok(p) = plan(&inv, &lines, &already, credited, &[pick]) {
                let t = totals(&p.draft).unwrap();
                prop_assert!(t.total > Decimal::ZERO);
                credited += t.total;
                already[i] += q;
                prop_assert!(credited <= inv.total, "credited {} of {}", credited, inv.total);
            }
        }
        let last = plan(&inv, &lines, &already, credited, &[]);
        if credited < inv.total {
            let t = totals(&last.unwrap().draft).unwrap();
            prop_assert_eq!(credited + t.total, inv.total);
        }
    }
}
