//! The time report: hours and amounts per group, never adding currencies.

use billable_app::core::{Currency, Money};
use billable_app::{EntryInput, MemberInput, TimeGroup, TimeReport, TimeReportInput};
use rust_decimal_macros::dec;

use crate::support::*;

fn eur() -> Currency {
    Currency::parse("EUR").unwrap()
}

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

/// Acme (EUR, Website at 100/h) and Globex (USD, App at 80/h), May 2026:
///   Me  Acme   05-04 2h billable       → 200.00 EUR
///   Me  Acme   05-05 1h non-billable   →   0
///   Me  Globex 05-06 1h30m billable    → 120.00 USD
///   Sam Globex 05-07 30m billable      →  40.00 USD
///   Me  Acme   04-30 5h (outside May)
fn books() -> Books {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let globex = client(&mut b, "Globex", Some("USD"), None).id;
    let website = project(&mut b, acme, "Website", Some("100")).id;
    let app = project(&mut b, globex, "App", Some("80")).id;
    let sam = b.create_member(MemberInput { name: s("Sam"), ..Default::default() }).unwrap().id;
    hours(&mut b, website, None, "2026-05-04", "2");
    b.add_entry(EntryInput {
        project_id: Some(website),
        date: s("2026-05-05"),
        hours: s("1"),
        billable: Some(false),
        ..Default::default()
    })
    .unwrap();
    hours(&mut b, app, None, "2026-05-06", "1h30m");
    b.add_entry(EntryInput {
        project_id: Some(app),
        member_id: Some(sam),
        date: s("2026-05-07"),
        hours: s("30m"),
        ..Default::default()
    })
    .unwrap();
    hours(&mut b, website, None, "2026-04-30", "5");
    b
}

fn may(b: &mut Books, group: TimeGroup) -> TimeReport {
    b.time_report(TimeReportInput { group, from: "2026-05-01".into(), to: "2026-05-31".into() }).unwrap()
}

type Row = (String, i64, i64, Currency, rust_decimal::Decimal);

fn rows(r: &TimeReport) -> Vec<Row> {
    r.rows.iter().map(|r| (r.name.clone(), r.seconds, r.billable_seconds, r.currency, r.amount)).collect()
}

#[test]
fn by_client_with_hours_and_amounts_per_currency() {
    let mut b = books();
    let r = may(&mut b, TimeGroup::Client);
    assert_eq!(
        rows(&r),
        vec![
            ("Acme".to_string(), 3 * 3600, 2 * 3600, eur(), dec!(200.00)),
            ("Globex".to_string(), 2 * 3600, 2 * 3600, usd(), dec!(160.00)),
        ]
    );
    assert_eq!(r.rows[0].hours, dec!(3.00));
    assert_eq!(r.rows[0].billable_hours, dec!(2.00));
    assert_eq!(r.total_seconds, 5 * 3600, "April's 5 h are outside the range");
    assert_eq!(r.billable_seconds, 4 * 3600);
    assert_eq!(r.total_hours, dec!(5.00));
    // Never 360 of anything.
    assert_eq!(r.amounts, vec![Money::new(dec!(200.00), eur()), Money::new(dec!(160.00), usd())]);
}

#[test]
fn by_project() {
    let mut b = books();
    let r = may(&mut b, TimeGroup::Project);
    assert_eq!(
        rows(&r),
        vec![
            ("Acme / Website".to_string(), 3 * 3600, 2 * 3600, eur(), dec!(200.00)),
            ("Globex / App".to_string(), 2 * 3600, 2 * 3600, usd(), dec!(160.00)),
        ]
    );
}

#[test]
fn by_member_splits_a_member_across_currencies() {
    let mut b = books();
    let r = may(&mut b, TimeGroup::Member);
    // Me: 3 h for Acme in EUR (2 h billable, 200.00), 1.5 h for Globex in USD (120.00)
    // Sam: 0.5 h for Globex (40.00 USD)
    let mut got = rows(&r);
    got.sort_by(|a, b| (a.0.clone(), a.3.code()).cmp(&(b.0.clone(), b.3.code())));
    assert_eq!(
        got,
        vec![
            ("Me".to_string(), 3 * 3600, 2 * 3600, eur(), dec!(200.00)),
            ("Me".to_string(), 5400, 5400, usd(), dec!(120.00)),
            ("Sam".to_string(), 1800, 1800, usd(), dec!(40.00)),
        ]
    );
    assert_eq!(r.amounts.len(), 2);
    assert!(r.amounts.contains(&Money::new(dec!(200.00), eur())));
    assert!(r.amounts.contains(&Money::new(dec!(160.00), usd())));
}

#[test]
fn a_range_that_ends_before_it_starts_is_refused() {
    let mut b = books();
    assert_invalid(
        b.time_report(TimeReportInput { group: TimeGroup::Client, from: "2026-05-31".into(), to: "2026-05-01".into() }),
        "to",
    );
    assert_invalid(
        b.time_report(TimeReportInput { group: TimeGroup::Client, from: "May".into(), to: "2026-05-01".into() }),
        "from",
    );
    let april = b
        .time_report(TimeReportInput { group: TimeGroup::Client, from: "2026-04-30".into(), to: "2026-04-30".into() })
        .unwrap();
    assert_eq!(rows(&april), vec![("Acme".to_string(), 5 * 3600, 5 * 3600, eur(), dec!(500.00))]);
}

/// The same May entries by day, ISO week and month (W19 is 4–10 May 2026).
#[test]
fn by_day_week_and_month() {
    let mut b = books();
    let r = may(&mut b, TimeGroup::Day);
    let days: Vec<(String, i64)> = r.rows.iter().map(|r| (r.name.clone(), r.seconds)).collect();
    assert_eq!(
        days,
        vec![
            ("2026-05-04".into(), 7200),
            ("2026-05-05".into(), 3600),
            ("2026-05-06".into(), 5400),
            ("2026-05-07".into(), 1800),
        ]
    );
    let r = may(&mut b, TimeGroup::Week);
    // One week, two currencies: two rows, never one sum.
    let weeks: Vec<Row> = rows(&r);
    assert_eq!(
        weeks,
        vec![
            ("2026-W19".into(), 10800, 7200, eur(), dec!(200.00)),
            ("2026-W19".into(), 7200, 7200, usd(), dec!(160.00)),
        ]
    );
    let r = b
        .time_report(TimeReportInput { group: TimeGroup::Month, from: "2026-04-01".into(), to: "2026-05-31".into() })
        .unwrap();
    let months: Vec<(String, i64, Currency)> = r.rows.iter().map(|r| (r.name.clone(), r.seconds, r.currency)).collect();
    assert_eq!(
        months,
        vec![("2026-04".into(), 18000, eur()), ("2026-05".into(), 10800, eur()), ("2026-05".into(), 7200, usd())]
    );
}

mod money {
    use billable_app::core::Currency;
    use billable_app::{HeaderInput, InvoiceInput, MoneyReportInput, MonthMoney, PaymentInput};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use crate::support::*;

    fn issued(b: &mut Books, client_id: i64, date: &str, rate: &str) -> String {
        let header = HeaderInput { issue_date: s(date), ..Default::default() };
        let lines = vec![line("Work", "1", rate)];
        b.create_invoice(InvoiceInput { client_id, header, lines, ..Default::default() }).unwrap().invoice.number
    }

    fn month(month: &str, code: &str, invoiced: Decimal, paid: Decimal) -> MonthMoney {
        MonthMoney { month: month.into(), currency: Currency::parse(code).unwrap(), invoiced, paid }
    }

    #[test]
    fn invoiced_by_issue_month_and_paid_by_payment_month_per_currency() {
        let mut b = Books::new();
        let acme = client(&mut b, "Acme", Some("EUR"), None).id;
        let globex = client(&mut b, "Globex", Some("USD"), None).id;
        let april = issued(&mut b, acme, "2026-04-20", "300");
        b.mark_sent(&april).unwrap();
        let pay = |amount: &str, date: &str| PaymentInput { amount: s(amount), date: s(date), ..Default::default() };
        b.record_payment(&april, pay("100", "2026-04-25")).unwrap();
        b.record_payment(&april, pay("50", "2026-05-02")).unwrap();
        let may = issued(&mut b, globex, "2026-05-03", "80");
        b.mark_sent(&may).unwrap();
        b.record_payment(&may, PaymentInput { date: s("2026-05-05"), ..Default::default() }).unwrap();
        // Drafts and cancelled invoices were never owed.
        issued(&mut b, acme, "2026-05-04", "1000");
        let cancelled = issued(&mut b, acme, "2026-05-04", "2000");
        b.mark_sent(&cancelled).unwrap();
        b.cancel_invoice(&cancelled).unwrap();
        // Outside the range.
        let march = issued(&mut b, acme, "2026-03-31", "999");
        b.mark_sent(&march).unwrap();

        let report = b.money_report(MoneyReportInput { from: "2026-04-01".into(), to: "2026-05-31".into() }).unwrap();
        assert_eq!(
            report.months,
            [
                month("2026-04", "EUR", dec!(300.00), dec!(100.00)),
                month("2026-05", "EUR", dec!(0), dec!(50.00)),
                month("2026-05", "USD", dec!(80.00), dec!(80.00)),
            ]
        );
        let json = serde_json::to_value(&report.months[0]).unwrap();
        assert_eq!(json["invoiced"], "300.00", "amounts are decimal strings");
    }

    /// The Reports view opens on the last 30 days: months cut at both ends
    /// are summed from the invoices and payments of those days (on team
    /// books too), the whole months between from the monthly rollup.
    #[test]
    fn a_range_cut_mid_month_counts_the_days_inside_it() {
        let mut b = Books::new();
        let acme = client(&mut b, "Acme", Some("EUR"), None).id;
        let early = issued(&mut b, acme, "2026-04-02", "70");
        b.mark_sent(&early).unwrap();
        let april = issued(&mut b, acme, "2026-04-20", "300");
        b.mark_sent(&april).unwrap();
        let pay = |amount: &str, date: &str| PaymentInput { amount: s(amount), date: s(date), ..Default::default() };
        b.record_payment(&early, pay("70", "2026-04-10")).unwrap();
        b.record_payment(&april, pay("100", "2026-04-25")).unwrap();
        b.record_payment(&april, pay("50", "2026-06-02")).unwrap();
        let june = issued(&mut b, acme, "2026-06-12", "40");
        b.mark_sent(&june).unwrap();

        let report = b.money_report(MoneyReportInput { from: "2026-04-15".into(), to: "2026-06-10".into() }).unwrap();
        assert_eq!(
            report.months,
            [month("2026-04", "EUR", dec!(300.00), dec!(100.00)), month("2026-06", "EUR", dec!(0), dec!(50.00))]
        );
    }

    #[test]
    fn a_range_ending_before_it_starts_is_refused() {
        let mut b = Books::new();
        let r = b.money_report(MoneyReportInput { from: "2026-05-01".into(), to: "2026-04-01".into() });
        assert_invalid(r, "to");
    }
}
