//! Money reports on fixed dates, checked by hand: aging buckets and revenue
//! by month, each per currency (EUR and USD are never added), with the
//! base-currency figures from invoices' exchange rates.

use billable_app::core::Currency;
use billable_app::{
    AgingInput, CreditNoteInput, HeaderInput, InvoiceInput, PaymentInput, RevenueInput, UnbilledReportInput,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::support::*;

fn cur(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

/// An issued invoice of one line (quantity 1 at `amount`, no tax).
fn issued(b: &mut Books, client_id: i64, number: &str, amount: &str, issue: &str, due: &str) {
    b.create_invoice(InvoiceInput {
        client_id,
        number: s(number),
        header: HeaderInput {
            issue_date: s(issue),
            due_date: s(due),
            tax_rate_ids: Some(vec![]),
            ..Default::default()
        },
        lines: vec![line("Work", "1", amount)],
    })
    .unwrap();
    b.mark_sent(number).unwrap();
}

fn pay(b: &mut Books, number: &str, amount: &str, date: &str) {
    b.record_payment(number, PaymentInput { amount: s(amount), date: s(date), ..Default::default() }).unwrap();
}

/// Today is 2026-06-30 (the business's base currency is EUR).
///
/// Acme (EUR), each due date → days overdue on 2026-06-30 → bucket:
///   A1 100.00 due 07-15 → not due      → current
///   A2 200.00 due 06-30 → 0            → current
///   A3 300.00 due 06-29 → 1            → 1–30
///   A4 400.00 due 05-31 → 30           → 1–30
///   A5 500.00 due 05-30 → 31           → 31–60 (120.00 paid: 380.00 open)
///   A6 600.00 due 04-01 → 30+31+29=90  → 61–90
///   A7 700.00 due 03-31 → 91           → over 90
///   A8  50.00 paid in full             → not listed
///   A9 draft                           → not listed
/// Globex (USD):
///   G1 1000.00 due 06-15 → 15  → 1–30 (exchange rate 0.9: 900.00 EUR)
///   G2  250.00 due 02-01 → 149 → over 90 (no exchange rate)
///
/// Acme EUR: current 300.00, 1–30 700.00, 31–60 380.00, 61–90 600.00, >90 700.00, total 2680.00
/// Globex USD: 1–30 1000.00, >90 250.00, total 1250.00
/// Base: 2680.00 + 900.00 = 3580.00 EUR, G2 unconverted.
#[test]
fn aging_buckets_per_client_and_currency_on_fixed_dates() {
    let mut b = Books::at("2026-06-30T12:00:00+00:00");
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let globex = client(&mut b, "Globex", Some("USD"), None).id;
    for (n, amount, due) in [
        ("A1", "100", "2026-07-15"),
        ("A2", "200", "2026-06-30"),
        ("A3", "300", "2026-06-29"),
        ("A4", "400", "2026-05-31"),
        ("A5", "500", "2026-05-30"),
        ("A6", "600", "2026-04-01"),
        ("A7", "700", "2026-03-31"),
        ("A8", "50", "2026-03-01"),
    ] {
        issued(&mut b, acme, n, amount, "2026-01-15", due);
    }
    pay(&mut b, "A5", "120", "2026-06-01");
    pay(&mut b, "A8", "50", "2026-03-01");
    b.create_invoice(InvoiceInput {
        client_id: acme,
        number: s("A9"),
        header: HeaderInput { issue_date: s("2026-01-15"), due_date: s("2026-02-01"), ..Default::default() },
        lines: vec![line("Draft", "1", "999")],
    })
    .unwrap();
    issued(&mut b, globex, "G1", "1000", "2026-01-15", "2026-06-15");
    issued(&mut b, globex, "G2", "250", "2026-01-15", "2026-02-01");
    b.set_exchange_rate("G1", "0.9").unwrap();

    let r = b.aging_report(AgingInput::default()).unwrap();
    assert_eq!(r.as_of.to_string(), "2026-06-30", "today comes from the clock");
    let got: Vec<(String, Currency, [Decimal; 6])> = r
        .rows
        .iter()
        .map(|x| {
            (
                x.client_name.clone(),
                x.currency,
                [x.current, x.days_1_30, x.days_31_60, x.days_61_90, x.over_90, x.total],
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "Acme".to_string(),
                cur("EUR"),
                [dec!(300.00), dec!(700.00), dec!(380.00), dec!(600.00), dec!(700.00), dec!(2680.00)]
            ),
            ("Globex".to_string(), cur("USD"), [dec!(0), dec!(1000.00), dec!(0), dec!(0), dec!(250.00), dec!(1250.00)]),
        ]
    );
    assert_eq!(r.rows[0].invoices, ["A7", "A6", "A5", "A4", "A3", "A2", "A1"]);
    // One total per currency: EUR and USD are never added together.
    let totals: Vec<(Currency, Decimal)> = r.totals.iter().map(|t| (t.currency, t.total)).collect();
    assert_eq!(totals, vec![(cur("EUR"), dec!(2680.00)), (cur("USD"), dec!(1250.00))]);
    assert_eq!(r.base_currency, cur("EUR"));
    assert_eq!(r.base_total, dec!(3580.00));
    assert_eq!(r.unconverted, ["G2"]);

    // The same books a month earlier (as of 2026-05-31): A1–A4 are current
    // (100+200+300+400 = 1000.00), A5 is 1 day overdue and its 120.00 was
    // paid only on 06-01 (500.00 open then), A6 60 days, A7 61, G1 not due,
    // G2 119. A8 was paid on 03-01 and stays out.
    let r = b.aging_report(AgingInput { as_of: s("2026-05-31") }).unwrap();
    let acme_row = &r.rows[0];
    assert_eq!(
        [acme_row.current, acme_row.days_1_30, acme_row.days_31_60, acme_row.days_61_90, acme_row.over_90],
        [dec!(1000.00), dec!(500.00), dec!(600.00), dec!(700.00), dec!(0)]
    );
    assert!(!acme_row.invoices.contains(&"A8".to_string()));
    assert_eq!((r.rows[1].current, r.rows[1].over_90), (dec!(1000.00), dec!(250.00)));
    // Fully paid since: on 2026-02-28 nothing was due yet and A8 was open.
    let r = b.aging_report(AgingInput { as_of: s("2026-02-28") }).unwrap();
    assert_eq!((r.rows[0].current, r.rows[0].total), (dec!(2850.00), dec!(2850.00)));
    // G1 not due, G2 27 days overdue.
    assert_eq!((r.rows[1].current, r.rows[1].days_1_30), (dec!(1000.00), dec!(250.00)));
}

/// April–May 2026, base currency EUR:
///   R1 EUR 1000.00 issued 04-10; paid 400.00 on 04-20 and 600.00 on 05-05
///   R2 USD  500.00 issued 04-15; paid 200.00 on 05-10; rate 0.9 (set later)
///   R3 EUR  300.00 issued 05-02; unpaid
///   R4 EUR draft issued 05-03          → not counted
///   R5 USD  100.00 issued 03-31        → outside the range
/// 2026-04 EUR: 1 invoice, invoiced 1000.00, paid 400.00, outstanding 0.00
/// 2026-04 USD: 1 invoice, invoiced  500.00, paid   0.00, outstanding 300.00
/// 2026-05 EUR: 1 invoice, invoiced  300.00, paid 600.00, outstanding 300.00
/// 2026-05 USD: 0 invoices,          paid 200.00
/// Base 2026-04: invoiced 1000 + 500×0.9 = 1450.00, paid 400.00, outstanding 300×0.9 = 270.00
/// Base 2026-05: invoiced 300.00, paid 600 + 200×0.9 = 780.00, outstanding 300.00
#[test]
fn revenue_by_month_per_currency_with_a_base_currency_total() {
    let mut b = Books::at("2026-06-30T12:00:00+00:00");
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let globex = client(&mut b, "Globex", Some("USD"), None).id;
    issued(&mut b, acme, "R1", "1000", "2026-04-10", "2026-05-10");
    pay(&mut b, "R1", "400", "2026-04-20");
    pay(&mut b, "R1", "600", "2026-05-05");
    issued(&mut b, globex, "R2", "500", "2026-04-15", "2026-05-15");
    pay(&mut b, "R2", "200", "2026-05-10");
    issued(&mut b, acme, "R3", "300", "2026-05-02", "2026-06-01");
    b.create_invoice(InvoiceInput {
        client_id: acme,
        number: s("R4"),
        header: HeaderInput { issue_date: s("2026-05-03"), ..Default::default() },
        lines: vec![line("Draft", "1", "999")],
    })
    .unwrap();
    issued(&mut b, globex, "R5", "100", "2026-03-31", "2026-04-30");
    let input = || RevenueInput { from: "2026-04-01".into(), to: "2026-05-31".into() };

    let r = b.revenue_report(input()).unwrap();
    let rows: Vec<(String, Currency, i64, Decimal, Decimal, Decimal)> =
        r.rows.iter().map(|x| (x.month.clone(), x.currency, x.invoices, x.invoiced, x.paid, x.outstanding)).collect();
    assert_eq!(
        rows,
        vec![
            ("2026-04".into(), cur("EUR"), 1, dec!(1000.00), dec!(400.00), dec!(0.00)),
            ("2026-04".into(), cur("USD"), 1, dec!(500.00), dec!(0), dec!(300.00)),
            ("2026-05".into(), cur("EUR"), 1, dec!(300.00), dec!(600.00), dec!(300.00)),
            ("2026-05".into(), cur("USD"), 0, dec!(0), dec!(200.00), dec!(0)),
        ]
    );
    let totals: Vec<(Currency, Decimal, Decimal, Decimal)> =
        r.totals.iter().map(|t| (t.currency, t.invoiced, t.paid, t.outstanding)).collect();
    assert_eq!(
        totals,
        vec![
            (cur("EUR"), dec!(1300.00), dec!(1000.00), dec!(300.00)),
            (cur("USD"), dec!(500.00), dec!(200.00), dec!(300.00))
        ]
    );
    // Without R2's exchange rate the base figures are marked incomplete.
    assert!(r.base.iter().all(|m| !m.complete), "{:?}", r.base);

    b.set_exchange_rate("R2", "0.9").unwrap();
    let r = b.revenue_report(input()).unwrap();
    let base: Vec<(String, Decimal, Decimal, Decimal, bool)> =
        r.base.iter().map(|m| (m.month.clone(), m.invoiced, m.paid, m.outstanding, m.complete)).collect();
    assert_eq!(
        base,
        vec![
            ("2026-04".into(), dec!(1450.00), dec!(400.00), dec!(270.00), true),
            ("2026-05".into(), dec!(300.00), dec!(780.00), dec!(300.00), true),
        ]
    );
}

/// A credit note reduces what was invoiced in the month it is issued, and its
/// refund reduces what was received that month; the invoice's own month is
/// left as it was.
///   C1 EUR 1000.00 issued 04-10, paid in full 04-20
///   CN on C1, 06-05: 250.00 (0.25 of its one line), all refunded 06-05
/// 2026-04 EUR: 1 invoice, invoiced 1000.00, paid 1000.00, outstanding 0.00
/// 2026-06 EUR: 0 invoices, invoiced −250.00, paid −250.00, outstanding 0.00
/// Total EUR: invoiced 750.00, paid 750.00, outstanding 0.00
#[test]
fn credit_notes_and_refunds_count_in_the_month_they_are_issued() {
    let mut b = Books::at("2026-06-30T12:00:00+00:00");
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    issued(&mut b, acme, "C1", "1000", "2026-04-10", "2026-05-10");
    pay(&mut b, "C1", "1000", "2026-04-20");
    b.create_credit_note(CreditNoteInput {
        invoice: "C1".into(),
        lines: vec!["1:0.25".into()],
        date: s("2026-06-05"),
        refund: true,
        ..Default::default()
    })
    .unwrap();

    let r = b.revenue_report(RevenueInput { from: "2026-04-01".into(), to: "2026-06-30".into() }).unwrap();
    let rows: Vec<(String, i64, Decimal, Decimal, Decimal)> =
        r.rows.iter().map(|x| (x.month.clone(), x.invoices, x.invoiced, x.paid, x.outstanding)).collect();
    assert_eq!(
        rows,
        vec![
            ("2026-04".into(), 1, dec!(1000.00), dec!(1000.00), dec!(0.00)),
            ("2026-06".into(), 0, dec!(-250.00), dec!(-250.00), dec!(0)),
        ]
    );
    let totals: Vec<(Currency, Decimal, Decimal, Decimal)> =
        r.totals.iter().map(|t| (t.currency, t.invoiced, t.paid, t.outstanding)).collect();
    assert_eq!(totals, vec![(cur("EUR"), dec!(750.00), dec!(750.00), dec!(0.00))]);
}

#[test]
fn an_exchange_rate_must_be_a_positive_decimal_and_is_one_for_the_base_currency() {
    let mut b = Books::at("2026-06-30T12:00:00+00:00");
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let globex = client(&mut b, "Globex", Some("USD"), None).id;
    issued(&mut b, acme, "E1", "10", "2026-06-01", "2026-06-15");
    issued(&mut b, globex, "U1", "10", "2026-06-01", "2026-06-15");
    assert_invalid(b.set_exchange_rate("U1", "-1"), "exchange_rate");
    assert_invalid(b.set_exchange_rate("U1", "abc"), "exchange_rate");
    assert_invalid(b.set_exchange_rate("E1", "1.2"), "exchange_rate");
    assert_eq!(b.set_exchange_rate("U1", "1.0845").unwrap(), Some(dec!(1.0845)));
    assert_eq!(b.invoice("U1").unwrap().exchange_rate, Some(dec!(1.0845)), "the invoice shows its rate");
    assert_eq!(b.set_exchange_rate("U1", "").unwrap(), None);
}

/// Unbilled: Acme (EUR) 2h at 100 + 30m at 100 = 250.00 EUR; Globex (USD)
/// 1h30m at 80 = 120.00 USD; a billed and a non-billable entry are left out.
#[test]
fn unbilled_work_value_per_client_and_currency() {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let globex = client(&mut b, "Globex", Some("USD"), None).id;
    let website = project(&mut b, acme, "Website", Some("100")).id;
    let app = project(&mut b, globex, "App", Some("80")).id;
    hours(&mut b, website, None, "2026-05-04", "2");
    hours(&mut b, website, None, "2026-05-05", "0.5");
    let billed = hours(&mut b, website, None, "2026-05-06", "3").entry.id;
    bill(&mut b, acme, &[billed], "entry");
    hours(&mut b, app, None, "2026-05-06", "1h30m");
    b.add_entry(billable_app::EntryInput {
        project_id: Some(app),
        date: s("2026-05-07"),
        hours: s("4"),
        billable: Some(false),
        ..Default::default()
    })
    .unwrap();
    let r = b.unbilled_report(UnbilledReportInput::default()).unwrap();
    let rows: Vec<(String, Currency, i64, Decimal, Decimal)> =
        r.rows.iter().map(|x| (x.client_name.clone(), x.currency, x.entries, x.hours, x.amount)).collect();
    assert_eq!(
        rows,
        vec![
            ("Acme".into(), cur("EUR"), 2, dec!(2.50), dec!(250.00)),
            ("Globex".into(), cur("USD"), 1, dec!(1.50), dec!(120.00)),
        ]
    );
    // Work up to 05-04 only: Acme's 2h, nothing of Globex.
    let r = b.unbilled_report(UnbilledReportInput { to: s("2026-05-04") }).unwrap();
    assert_eq!(r.rows.len(), 1);
    assert_eq!((r.rows[0].amount, r.totals[0].amount), (dec!(200.00), dec!(200.00)));
}

/// Client figures on 2026-06-30, by hand:
///   Acme (EUR): A1 100.00 due 07-15 (not due), A2 250.00 due 06-01
///   (overdue, 50.00 paid: 200.00 open), A3 in USD 80.00 due 06-29 (overdue);
///   unbilled 1h30m at 100 = 150.00 EUR and 2h on a project without a rate.
///   Globex (EUR): G1 40.00 due 05-01 (overdue); unbilled 30m at 60 = 30.00.
///   Initech: nothing open, nothing unbilled → absent.
/// Outstanding Acme: EUR 300.00 (A1 + A2), USD 80.00; overdue EUR 200.00,
/// USD 80.00. Sums over Acme and Globex: outstanding EUR 340.00, USD 80.00;
/// overdue EUR 240.00, USD 80.00; unbilled EUR 180.00. Over Globex alone:
/// outstanding and overdue EUR 40.00, unbilled EUR 30.00.
#[test]
fn client_figures_join_open_balances_and_unbilled_time_per_currency() {
    use billable_app::ClientFiguresInput;
    let mut b = Books::at("2026-06-30T12:00:00+00:00");
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let globex = client(&mut b, "Globex", Some("EUR"), None).id;
    let initech = client(&mut b, "Initech", Some("EUR"), None).id;
    issued(&mut b, acme, "A1", "100", "2026-06-01", "2026-07-15");
    issued(&mut b, acme, "A2", "250", "2026-05-01", "2026-06-01");
    pay(&mut b, "A2", "50", "2026-06-10");
    b.create_invoice(InvoiceInput {
        client_id: acme,
        number: s("A3"),
        header: HeaderInput {
            issue_date: s("2026-06-01"),
            due_date: s("2026-06-29"),
            currency: s("USD"),
            tax_rate_ids: Some(vec![]),
            ..Default::default()
        },
        lines: vec![line("Work", "1", "80")],
    })
    .unwrap();
    b.mark_sent("A3").unwrap();
    issued(&mut b, globex, "G1", "40", "2026-04-01", "2026-05-01");
    let website = project(&mut b, acme, "Website", Some("100")).id;
    let unpriced = project(&mut b, acme, "Pro bono", None).id;
    let shop = project(&mut b, globex, "Shop", Some("60")).id;
    hours(&mut b, website, None, "2026-06-20", "1h30m");
    hours(&mut b, unpriced, None, "2026-06-21", "2");
    hours(&mut b, shop, None, "2026-06-22", "0.5");

    let money = |list: &[billable_app::Figure]| -> Vec<(String, Decimal)> {
        list.iter().map(|f| (f.currency.code().to_string(), f.amount)).collect()
    };
    let r = b.client_figures(ClientFiguresInput::default()).unwrap();
    assert_eq!(r.as_of.to_string(), "2026-06-30");
    let ids: Vec<i64> = r.clients.iter().map(|c| c.client_id).collect();
    assert_eq!(ids, vec![acme, globex], "Initech ({initech}) has nothing to show");
    let a = &r.clients[0];
    assert_eq!(money(&a.outstanding), vec![("EUR".into(), dec!(300.00)), ("USD".into(), dec!(80.00))]);
    assert_eq!(a.outstanding[0].invoices, ["A2", "A1"]);
    assert_eq!(money(&a.overdue), vec![("EUR".into(), dec!(200.00)), ("USD".into(), dec!(80.00))]);
    assert_eq!(a.overdue[0].invoices, ["A2"], "only the overdue invoice stands behind the overdue amount");
    assert_eq!(money(&a.unbilled), vec![("EUR".into(), dec!(150.00))]);
    assert_eq!(a.unpriced_seconds, 7200);
    assert_eq!(money(&r.totals.outstanding), vec![("EUR".into(), dec!(340.00)), ("USD".into(), dec!(80.00))]);
    assert_eq!(money(&r.totals.overdue), vec![("EUR".into(), dec!(240.00)), ("USD".into(), dec!(80.00))]);
    assert_eq!(money(&r.totals.unbilled), vec![("EUR".into(), dec!(180.00))]);

    // The sums follow the clients shown: Globex alone (and Initech, who adds nothing).
    let r = b.client_figures(ClientFiguresInput { clients: Some(vec![globex, initech]) }).unwrap();
    assert_eq!(r.clients.len(), 2, "every client's figures are still given");
    assert_eq!(money(&r.totals.outstanding), vec![("EUR".into(), dec!(40.00))]);
    assert_eq!(money(&r.totals.overdue), vec![("EUR".into(), dec!(40.00))]);
    assert_eq!(money(&r.totals.unbilled), vec![("EUR".into(), dec!(30.00))]);
    let r = b.client_figures(ClientFiguresInput { clients: Some(vec![]) }).unwrap();
    assert!(r.totals.outstanding.is_empty() && r.totals.unbilled.is_empty());
}
