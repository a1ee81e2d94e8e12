//! Amounts, numbers and dates written the way the invoice's locale expects,
//! with ICU4X and its compiled CLDR data: grouping and decimal separators,
//! where the currency symbol goes ("1.234,56 €", "€1,234.56", "￥1,235"),
//! and the medium date format. Amounts go to the formatter as exact decimals
//! (parsed from the `Decimal`'s text), never through a float.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use billable_core::money::Currency;
use chrono::{Datelike, NaiveDate};
use fixed_decimal::Decimal as FixedDecimal;
use icu_calendar::{Date, Iso};
use icu_datetime::fieldsets::{MD, YMD};
use icu_datetime::DateTimeFormatter;
use icu_decimal::DecimalFormatter;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale_core::Locale as IcuLocale;
use rust_decimal::Decimal;

use crate::document::Locale;
use crate::error::{DocsError, DocsResult};

/// Formatters for one locale and currency, built once per process and shared.
pub struct Formats {
    locale: Locale,
    currency: Currency,
    money: CurrencyFormatter<DecimalFormatter>,
    number: DecimalFormatter,
    percent: PercentFormatter<DecimalFormatter>,
    date: DateTimeFormatter<YMD>,
    month_day: DateTimeFormatter<MD>,
}

fn error(what: &str, locale: Locale, reason: impl ToString) -> DocsError {
    DocsError::Format { what: what.to_string(), locale: locale.tag().to_string(), reason: reason.to_string() }
}

fn icu_locale(locale: Locale) -> DocsResult<IcuLocale> {
    locale.tag().parse::<IcuLocale>().map_err(|e| error("the locale", locale, e))
}

fn iso(date: NaiveDate) -> Option<Date<Iso>> {
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    Date::<Iso>::try_new_iso(date.year(), month, day).ok()
}

type Cache = Mutex<HashMap<(Locale, &'static str), &'static Formats>>;

impl Formats {
    /// The shared formatters for `locale` and `currency` (built on first use;
    /// ICU4X's data is compiled in, so this never touches the disk).
    pub fn get(locale: Locale, currency: Currency) -> DocsResult<&'static Formats> {
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        let key = (locale, currency.code());
        if let Some(f) = cache.lock().map_err(|e| error("amounts", locale, e))?.get(&key) {
            return Ok(f);
        }
        let built: &'static Formats = Box::leak(Box::new(Formats::new(locale, currency)?));
        let mut guard = cache.lock().map_err(|e| error("amounts", locale, e))?;
        Ok(*guard.entry(key).or_insert(built))
    }

    fn new(locale: Locale, currency: Currency) -> DocsResult<Formats> {
        let loc = icu_locale(locale)?;
        let code = CurrencyType::try_from_str(currency.code()).map_err(|e| error("the currency", locale, e))?;
        let money = CurrencyFormatter::try_new_symbol((&loc).into(), code, Default::default())
            .map_err(|e| error("amounts", locale, e))?;
        let number =
            DecimalFormatter::try_new((&loc).into(), Default::default()).map_err(|e| error("numbers", locale, e))?;
        let percent = PercentFormatter::try_new((&loc).into(), Default::default())
            .map_err(|e| error("percentages", locale, e))?;
        let date = DateTimeFormatter::try_new((&loc).into(), YMD::medium()).map_err(|e| error("dates", locale, e))?;
        let month_day =
            DateTimeFormatter::try_new((&loc).into(), MD::medium()).map_err(|e| error("dates", locale, e))?;
        Ok(Formats { locale, currency, money, number, percent, date, month_day })
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// An amount with its currency symbol, at the currency's precision:
    /// `1.234,56 €` (de-DE), `€1,234.56` (en-GB), `￥1,235` (ja-JP).
    pub fn money(&self, amount: Decimal) -> String {
        let fixed = self.fixed(amount, self.currency.minor_units());
        let text = self.money.format_fixed_decimal(&fixed).to_string();
        text
    }

    /// A plain number with grouping, keeping its own decimals (quantities,
    /// rates): `1.5` → `1,5` in de-DE.
    pub fn number(&self, value: Decimal) -> String {
        let v = value.normalize();
        let fixed = self.fixed(v, v.scale());
        self.number.format(&fixed).to_string()
    }

    /// A number at a fixed number of decimals (hours as `1.50`).
    pub fn number_dp(&self, value: Decimal, decimals: u32) -> String {
        let fixed = self.fixed(value, decimals);
        self.number.format(&fixed).to_string()
    }

    /// A percentage as the locale writes it: `19%`, `19 %` (de-DE), `7,5 %`.
    pub fn percent(&self, value: Decimal) -> String {
        let v = value.normalize();
        let fixed = self.fixed(v, v.scale());
        self.percent.format(&fixed).to_string()
    }

    /// A date in the locale's medium style: `31.03.2026`, `31 Mar 2026`, `2026/03/31`.
    pub fn date(&self, date: NaiveDate) -> String {
        match iso(date) {
            Some(d) => self.date.format(&d).to_string(),
            None => date.to_string(),
        }
    }

    /// A span of days as the locale writes it: `Mar 14 – Mar 18` (en-US),
    /// `14. März – 18. März` (de-DE), one day alone, and the years when the span
    /// crosses one (`28 Dec 2026 – 3 Jan 2027`).
    pub fn period(&self, from: NaiveDate, to: NaiveDate) -> String {
        let (from, to) = if from <= to { (from, to) } else { (to, from) };
        let month_day = |d: NaiveDate| match iso(d) {
            Some(i) => self.month_day.format(&i).to_string(),
            None => d.to_string(),
        };
        if from == to {
            month_day(from)
        } else if from.year() == to.year() {
            format!("{} – {}", month_day(from), month_day(to))
        } else {
            format!("{} – {}", self.date(from), self.date(to))
        }
    }

    /// The exact decimal as ICU's decimal, with `decimals` fraction digits
    /// shown. Parsed from the `Decimal`'s own text, so no digit is lost.
    fn fixed(&self, value: Decimal, decimals: u32) -> FixedDecimal {
        let mut v = value;
        v.rescale(decimals);
        let text = v.to_string();
        text.parse::<FixedDecimal>().unwrap_or_else(|_| FixedDecimal::from(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_read_as_the_locale_writes_them() {
        let eur = Currency::parse("EUR").unwrap();
        let us = Formats::get(Locale::EnUs, eur).unwrap();
        assert_eq!(us.period(d(2026, 3, 14), d(2026, 3, 18)), "Mar 14 – Mar 18");
        assert_eq!(us.period(d(2026, 3, 14), d(2026, 3, 14)), "Mar 14");
        assert_eq!(us.period(d(2026, 3, 18), d(2026, 3, 14)), "Mar 14 – Mar 18", "either order");
        let de = Formats::get(Locale::DeDe, eur).unwrap();
        assert_eq!(de.period(d(2026, 3, 14), d(2026, 3, 18)), "14. März – 18. März");
        let gb = Formats::get(Locale::EnGb, eur).unwrap();
        assert_eq!(gb.period(d(2026, 12, 28), d(2027, 1, 3)), "28 Dec 2026 – 3 Jan 2027");
    }
}
