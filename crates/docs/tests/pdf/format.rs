use billable_core::Currency;
use billable_docs::document::Locale;
use billable_docs::pdf::format::Formats;
use chrono::NaiveDate;
use rust_decimal_macros::dec;

fn eur() -> Currency {
    Currency::parse("EUR").unwrap()
}

fn plain(s: String) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

#[test]
fn money_follows_each_locale_with_exact_decimals() {
    let cases = [
        (Locale::DeDe, "1.234,56 €"),
        (Locale::EnGb, "€1,234.56"),
        (Locale::EnUs, "€1,234.56"),
        (Locale::FrFr, "1 234,56 €"),
        (Locale::NlNl, "€ 1.234,56"),
    ];
    for (locale, want) in cases {
        assert_eq!(plain(Formats::get(locale, eur()).unwrap().money(dec!(1234.56))), want, "{locale}");
    }
    // Digits a float would lose survive.
    let f = Formats::get(Locale::EnUs, Currency::parse("USD").unwrap()).unwrap();
    assert_eq!(f.money(dec!(90071992547409.93)), "$90,071,992,547,409.93");
    assert_eq!(f.money(dec!(-0.43)), "-$0.43");
    let yen = Formats::get(Locale::JaJp, Currency::parse("JPY").unwrap()).unwrap();
    assert!(["￥1,235", "¥1,235"].contains(&yen.money(dec!(1235)).as_str()), "{}", yen.money(dec!(1235)));
}

#[test]
fn numbers_percentages_and_dates() {
    let de = Formats::get(Locale::DeDe, eur()).unwrap();
    assert_eq!(de.number(dec!(1234.50)), "1.234,5");
    assert_eq!(plain(de.percent(dec!(19))), "19 %");
    assert_eq!(de.date(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()), "31.03.2026");
    let us = Formats::get(Locale::EnUs, eur()).unwrap();
    assert_eq!(us.percent(dec!(7.5)), "7.5%");
    assert_eq!(us.date(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()), "Mar 31, 2026");
}
