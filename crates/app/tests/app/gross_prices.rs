//! Tax-inclusive prices through the use cases: a client's default, the
//! header's pricing refused by field when it is neither, a recurring profile
//! that keeps its invoice's pricing, and a credit note of a gross invoice.

use billable_app::core::tax::Pricing;
use billable_app::{ClientInput, CreditNoteInput, HeaderInput, RecurringInput, TaxRateInput};
use rust_decimal_macros::dec;

use crate::support::*;

/// A client whose invoices are priced gross, with VAT 19 % by default; one
/// invoice of 119.00 at 19 % less a 10 % document discount: 107.10 gross,
/// 107.10 / 1.19 = 90.00 net, 17.10 tax.
fn gross_invoice(b: &mut Books) -> String {
    let vat = b.create_tax_rate(TaxRateInput { name: s("VAT 19%"), percent: s("19"), ..Default::default() }).unwrap();
    let c = b
        .create_client(ClientInput {
            name: s("Café Rhein"),
            currency: s("EUR"),
            tax_rate_ids: Some(vec![vat.id]),
            default_pricing: s("gross"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(c.default_pricing, Some(Pricing::Gross));
    let v = manual_invoice(b, c.id, vec![line("Dinner for two", "1", "119.00")]);
    assert_eq!(v.invoice.pricing, Pricing::Gross);
    assert_eq!((v.invoice.subtotal, v.invoice.tax_total, v.invoice.total), (dec!(100.00), dec!(19.00), dec!(119.00)));
    let n = v.invoice.number;
    let v = b.set_header(&n, HeaderInput { discount: s("10%"), ..Default::default() }).unwrap();
    assert_eq!((v.invoice.tax_total, v.invoice.total), (dec!(17.10), dec!(107.10)));
    assert_eq!(v.totals.taxable, dec!(90.00));
    n
}

#[test]
fn a_client_default_prices_its_invoices_gross_and_a_bad_pricing_names_the_field() {
    let mut b = Books::new();
    let n = gross_invoice(&mut b);
    assert_invalid(b.set_header(&n, HeaderInput { pricing: s("inclusive"), ..Default::default() }), "pricing");
    let c = b.invoice(&n).unwrap().invoice.client_id;
    assert_invalid(
        b.edit_client(c, ClientInput { default_pricing: s("brutto"), ..Default::default() }),
        "default_pricing",
    );
    // Back to net: the same rate gets 19 % on top (119.00 − 10 % = 107.10, + 20.35 = 127.45).
    let v = b.set_header(&n, HeaderInput { pricing: s("net"), ..Default::default() }).unwrap();
    assert_eq!(v.invoice.total, dec!(127.45));
    // The client's default removed: new invoices are net.
    let client = b.edit_client(c, ClientInput { default_pricing: s(""), ..Default::default() }).unwrap();
    assert_eq!(client.default_pricing, None);
    assert_eq!(manual_invoice(&mut b, c, vec![line("Lunch", "1", "10")]).invoice.pricing, Pricing::Net);
}

#[test]
fn a_recurring_profile_keeps_the_gross_pricing_of_its_invoice() {
    let mut b = Books::at("2026-01-20T09:00:00+01:00");
    let n = gross_invoice(&mut b);
    let c = b.invoice(&n).unwrap().invoice.client_id;
    // The client's default changes; the profile keeps what its invoice had.
    b.edit_client(c, ClientInput { default_pricing: s("net"), ..Default::default() }).unwrap();
    b.create_recurring(RecurringInput {
        invoice: n,
        frequency: "monthly".into(),
        start_date: s("2026-01-01"),
        ..Default::default()
    })
    .unwrap();
    let run = b.run_recurring().unwrap();
    assert_eq!(run.generated.len(), 1);
    let v = b.invoice(&run.generated[0].invoice_number).unwrap();
    assert_eq!(v.invoice.pricing, Pricing::Gross);
    assert_eq!(v.invoice.total, dec!(107.10));
}

#[test]
fn a_credit_note_of_a_gross_invoice_takes_back_its_total() {
    let mut b = Books::new();
    let n = gross_invoice(&mut b);
    b.mark_sent(&n).unwrap();
    let cn = b.create_credit_note(CreditNoteInput { invoice: n.clone(), ..Default::default() }).unwrap();
    assert_eq!((cn.credit_note.total, cn.credit_note.tax_total), (dec!(107.10), dec!(17.10)));
    // Read back, the note computes the same amounts from its stored lines.
    let again = b.credit_note(&cn.credit_note.number).unwrap();
    assert_eq!(again.totals.total, dec!(107.10));
    assert_eq!(again.totals.tax_total, dec!(17.10));
    assert_eq!(again.totals.taxable, dec!(90.00));
}

#[test]
fn the_xero_export_of_a_gross_invoice_gives_net_unit_prices() {
    let mut b = Books::new();
    let n = gross_invoice(&mut b);
    b.mark_sent(&n).unwrap();
    b.set_xero_rule(billable_app::XeroRuleInput {
        kind: "default".into(),
        target: None,
        account_code: "200".into(),
        description: None,
    })
    .unwrap();
    let text = b.export_xero(billable_app::XeroExportInput::default()).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let unit = headers.iter().position(|h| h == "UnitAmount").unwrap();
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
    // Xero adds the tax: 119.00 entered at 19 % is 100 net per unit, and
    // the 10 % discount is the net 10.00 (119.00 − 10 % = 107.10 gross).
    assert_eq!(rows[0][unit], "100");
    assert!(rows.iter().any(|r| r[unit] == "-10.00"), "{rows:?}");
}

#[test]
fn a_partial_credit_of_a_gross_invoice_shares_a_fixed_discount_as_entered() {
    // 119.00 at 19 % and 107.00 at 7 % (100.00 net each), less a fixed
    // 22.60 (10 % of the 226.00 entered): line 1 bore 22.60 × 119 / 226 =
    // 11.90 of it. Crediting line 1 takes back 107.10: 90.00 net + 17.10
    // tax. (Shared by net amounts, 100 / 200, it would be 11.30 and 107.70.)
    let mut b = Books::new();
    let high = b.create_tax_rate(TaxRateInput { name: s("VAT 19%"), percent: s("19"), ..Default::default() }).unwrap();
    let low = b.create_tax_rate(TaxRateInput { name: s("VAT 7%"), percent: s("7"), ..Default::default() }).unwrap();
    let c = b.create_client(ClientInput { name: s("Café Rhein"), currency: s("EUR"), ..Default::default() }).unwrap();
    let v = b
        .create_invoice(billable_app::InvoiceInput {
            client_id: c.id,
            header: HeaderInput {
                pricing: s("gross"),
                tax_mode: s("inline"),
                discount: s("22.60"),
                ..Default::default()
            },
            lines: vec![
                billable_app::LineInput { tax_rate_id: Some(high.id.to_string()), ..line("Dinner", "1", "119.00") },
                billable_app::LineInput { tax_rate_id: Some(low.id.to_string()), ..line("Books", "1", "107.00") },
            ],
            ..Default::default()
        })
        .unwrap();
    // 226.00 − 22.60 = 203.40: 19 %: 107.10 → 90.00 + 17.10; 7 %: 96.30 → 90.00 + 6.30.
    assert_eq!((v.invoice.total, v.invoice.tax_total), (dec!(203.40), dec!(23.40)));
    let n = v.invoice.number;
    b.mark_sent(&n).unwrap();
    let cn = b
        .create_credit_note(CreditNoteInput { invoice: n.clone(), lines: vec!["1".into()], ..Default::default() })
        .unwrap();
    assert_eq!((cn.credit_note.total, cn.credit_note.tax_total), (dec!(107.10), dec!(17.10)));
    let again = b.credit_note(&cn.credit_note.number).unwrap();
    assert_eq!((again.totals.total, again.totals.taxable), (dec!(107.10), dec!(90.00)));
    // The rest credits exactly what is left: 203.40 − 107.10 = 96.30.
    let rest = b.create_credit_note(CreditNoteInput { invoice: n, ..Default::default() }).unwrap();
    assert_eq!(rest.credit_note.total, dec!(96.30));
}
