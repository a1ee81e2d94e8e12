//! Billing a project by its type: what part of a fixed-price project's fee
//! may still be invoiced, and which period a retainer invoice covers.
//! (Hourly projects bill their unbilled time: see `billing`.)

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::money::{parse_amount, parse_decimal, round_money, Currency};
use crate::rates::validate_percent;
use crate::recurring::Period;

/// How much of a fixed fee to bill now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum FeePart {
    /// Everything not invoiced yet.
    Remaining,
    /// A percentage of the whole fee (e.g. 40 → 40 % of the fee).
    Percent(Decimal),
    /// A milestone amount.
    Amount(Decimal),
}

impl FeePart {
    /// The field a user typed this in, for errors.
    pub fn field(&self) -> &'static str {
        match self {
            FeePart::Remaining => "remaining",
            FeePart::Percent(_) => "percent",
            FeePart::Amount(_) => "amount",
        }
    }

    /// Reads `--percent 40`, `--amount 2500.00` or `--remaining` (exactly one).
    pub fn parse(percent: Option<&str>, amount: Option<&str>, remaining: bool, cur: Currency) -> CoreResult<FeePart> {
        match (percent, amount, remaining) {
            (Some(p), None, false) => {
                let v = validate_percent("percent", parse_decimal("percent", p.trim().trim_end_matches('%'))?)?;
                if v.is_zero() {
                    return Err(CoreError::invalid("percent", "must be more than 0"));
                }
                Ok(FeePart::Percent(v))
            }
            (None, Some(a), false) => {
                let v = parse_amount("amount", a, cur)?;
                if v <= Decimal::ZERO {
                    return Err(CoreError::invalid("amount", "must be more than zero"));
                }
                Ok(FeePart::Amount(v))
            }
            (None, None, true) => Ok(FeePart::Remaining),
            (None, None, false) => Err(CoreError::invalid(
                "percent",
                "say how much of the fee to bill: a percent, an amount or the remaining",
            )),
            _ => Err(CoreError::invalid("percent", "give only one of percent, amount or remaining")),
        }
    }
}

/// What is left of a fee after `invoiced` (never below zero).
pub fn fee_remaining(fee: Decimal, invoiced: Decimal) -> Decimal {
    (fee - invoiced).max(Decimal::ZERO)
}

/// The amount to invoice for `part` of a fixed `fee` of which `invoiced` has
/// been billed already (counting invoices not cancelled, less what credit
/// notes took back). Never lets the total billed pass the fee: the error
/// names the field and says what remains.
pub fn fee_amount(fee: Decimal, invoiced: Decimal, part: FeePart, cur: Currency) -> CoreResult<Decimal> {
    let remaining = round_money(fee_remaining(fee, invoiced), cur);
    let amount = match part {
        FeePart::Remaining => remaining,
        FeePart::Percent(p) => round_money(fee * p / Decimal::ONE_HUNDRED, cur),
        FeePart::Amount(a) => round_money(a, cur),
    };
    if remaining.is_zero() {
        return Err(CoreError::invalid(
            part.field(),
            format!(
                "nothing of the fixed fee of {} {cur} is left to bill ({} {cur} already invoiced)",
                round_money(fee, cur),
                round_money(invoiced, cur)
            ),
        ));
    }
    if amount <= Decimal::ZERO {
        return Err(CoreError::invalid(part.field(), "comes to nothing; bill a larger part of the fee"));
    }
    if amount > remaining {
        return Err(CoreError::invalid(
            part.field(),
            format!(
                "{amount} {cur} is more than the {remaining} {cur} left of the fixed fee of {} {cur}",
                round_money(fee, cur)
            ),
        ));
    }
    Ok(amount)
}

/// A retainer's billing period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum RetainerPeriod {
    Weekly,
    #[default]
    Monthly,
    Quarterly,
    Yearly,
}

impl RetainerPeriod {
    pub fn as_str(&self) -> &'static str {
        match self {
            RetainerPeriod::Weekly => "weekly",
            RetainerPeriod::Monthly => "monthly",
            RetainerPeriod::Quarterly => "quarterly",
            RetainerPeriod::Yearly => "yearly",
        }
    }

    /// How a period of this kind is written, for help and errors.
    pub fn example(&self) -> &'static str {
        match self {
            RetainerPeriod::Weekly => "2026-W09",
            RetainerPeriod::Monthly => "2026-03",
            RetainerPeriod::Quarterly => "2026-Q1",
            RetainerPeriod::Yearly => "2026",
        }
    }

    /// The period containing `day`.
    pub fn containing(&self, day: NaiveDate) -> Period {
        let start = match self {
            RetainerPeriod::Weekly => day.week(Weekday::Mon).first_day(),
            RetainerPeriod::Monthly => day.with_day(1).unwrap_or(day),
            RetainerPeriod::Quarterly => {
                NaiveDate::from_ymd_opt(day.year(), (day.month() - 1) / 3 * 3 + 1, 1).unwrap_or(day)
            }
            RetainerPeriod::Yearly => NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
        };
        let next = match self {
            RetainerPeriod::Weekly => start.checked_add_days(Days::new(7)),
            RetainerPeriod::Monthly => start.checked_add_months(Months::new(1)),
            RetainerPeriod::Quarterly => start.checked_add_months(Months::new(3)),
            RetainerPeriod::Yearly => start.checked_add_months(Months::new(12)),
        };
        let end = next.and_then(|n| n.pred_opt()).unwrap_or(start);
        Period { cycle: 0, start, end }
    }

    /// Reads a period written as `2026-03` (monthly), `2026-Q1` (quarterly),
    /// `2026` (yearly) or `2026-W09` (weekly); it must match this retainer's
    /// period.
    pub fn parse_period(&self, text: &str) -> CoreResult<Period> {
        let t = text.trim().to_ascii_uppercase();
        let bad = || {
            CoreError::invalid(
                "period",
                format!(
                    "'{}' is not a {} period; write it like {}",
                    text.trim(),
                    self.as_str().trim_end_matches("ly"),
                    self.example()
                ),
            )
        };
        let year = |s: &str| -> Option<i32> {
            (s.len() == 4 && s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse().ok()).flatten()
        };
        let day = match self {
            RetainerPeriod::Yearly => year(&t).and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)),
            RetainerPeriod::Monthly => t.split_once('-').and_then(|(y, m)| {
                let m: u32 = (m.len() == 2).then(|| m.parse().ok()).flatten()?;
                NaiveDate::from_ymd_opt(year(y)?, m, 1)
            }),
            RetainerPeriod::Quarterly => t.split_once("-Q").and_then(|(y, q)| {
                let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                NaiveDate::from_ymd_opt(year(y)?, (q - 1) * 3 + 1, 1)
            }),
            RetainerPeriod::Weekly => t.split_once("-W").and_then(|(y, w)| {
                let w: u32 = w.parse().ok()?;
                NaiveDate::from_isoywd_opt(year(y)?, w, Weekday::Mon)
            }),
        };
        day.map(|d| self.containing(d)).ok_or_else(bad)
    }

    /// The period written the way `parse_period` reads it.
    pub fn label(&self, p: &Period) -> String {
        let d = p.start;
        match self {
            RetainerPeriod::Weekly => format!("{:04}-W{:02}", d.iso_week().year(), d.iso_week().week()),
            RetainerPeriod::Monthly => format!("{:04}-{:02}", d.year(), d.month()),
            RetainerPeriod::Quarterly => format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            RetainerPeriod::Yearly => format!("{:04}", d.year()),
        }
    }
}

impl fmt::Display for RetainerPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RetainerPeriod {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "weekly" | "week" => Ok(RetainerPeriod::Weekly),
            "monthly" | "month" => Ok(RetainerPeriod::Monthly),
            "quarterly" | "quarter" => Ok(RetainerPeriod::Quarterly),
            "yearly" | "year" | "annually" => Ok(RetainerPeriod::Yearly),
            other => Err(CoreError::invalid(
                "retainer_period",
                format!("'{other}' is not a retainer period; use weekly, monthly, quarterly or yearly"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn forty_percent_then_the_remaining_sixty_then_nothing() {
        // Fee 12,345.67: 40 % is 4,938.268 → 4,938.27; the rest is
        // 12,345.67 − 4,938.27 = 7,407.40; then nothing is left.
        let fee = dec!(12345.67);
        let first = fee_amount(fee, dec!(0), FeePart::Percent(dec!(40)), eur()).unwrap();
        assert_eq!(first, dec!(4938.27));
        let rest = fee_amount(fee, first, FeePart::Remaining, eur()).unwrap();
        assert_eq!(rest, dec!(7407.40));
        assert_eq!(first + rest, fee);
        let again = fee_amount(fee, first + rest, FeePart::Remaining, eur()).unwrap_err();
        assert_eq!(again.field(), Some("remaining"));
        assert!(again.to_string().contains("nothing of the fixed fee of 12345.67 EUR is left"), "{again}");
        let pct = fee_amount(fee, first + rest, FeePart::Percent(dec!(1)), eur()).unwrap_err();
        assert_eq!(pct.field(), Some("percent"));
    }

    #[test]
    fn never_more_than_the_fee() {
        let fee = dec!(10000);
        assert_eq!(fee_amount(fee, dec!(0), FeePart::Amount(dec!(2500)), eur()).unwrap(), dec!(2500));
        let e = fee_amount(fee, dec!(8000), FeePart::Percent(dec!(40)), eur()).unwrap_err();
        assert_eq!(e.field(), Some("percent"));
        assert!(e.to_string().contains("4000.00 EUR is more than the 2000.00 EUR left"), "{e}");
        let e = fee_amount(fee, dec!(8000), FeePart::Amount(dec!(2000.01)), eur()).unwrap_err();
        assert_eq!(e.field(), Some("amount"));
        assert_eq!(fee_amount(fee, dec!(8000), FeePart::Amount(dec!(2000)), eur()).unwrap(), dec!(2000));
        // A credited or cancelled part frees its share again.
        assert_eq!(fee_remaining(fee, dec!(10000) - dec!(4000)), dec!(4000));
    }

    #[test]
    fn fee_parts_are_read_one_at_a_time() {
        let cur = eur();
        assert_eq!(FeePart::parse(Some("40"), None, false, cur).unwrap(), FeePart::Percent(dec!(40)));
        assert_eq!(FeePart::parse(Some("40%"), None, false, cur).unwrap(), FeePart::Percent(dec!(40)));
        assert_eq!(FeePart::parse(None, Some("99.5"), false, cur).unwrap(), FeePart::Amount(dec!(99.50)));
        assert_eq!(FeePart::parse(None, None, true, cur).unwrap(), FeePart::Remaining);
        assert_eq!(FeePart::parse(Some("140"), None, false, cur).unwrap_err().field(), Some("percent"));
        assert_eq!(FeePart::parse(None, Some("1.001"), false, cur).unwrap_err().field(), Some("amount"));
        assert!(FeePart::parse(Some("1"), Some("1"), false, cur).is_err());
        assert!(FeePart::parse(None, None, false, cur).is_err());
    }

    #[test]
    fn retainer_periods() {
        let m = RetainerPeriod::Monthly.parse_period("2026-02").unwrap();
        assert_eq!((m.start, m.end), (d("2026-02-01"), d("2026-02-28")));
        let q = RetainerPeriod::Quarterly.parse_period("2026-q4").unwrap();
        assert_eq!((q.start, q.end), (d("2026-10-01"), d("2026-12-31")));
        let y = RetainerPeriod::Yearly.parse_period("2028").unwrap();
        assert_eq!((y.start, y.end), (d("2028-01-01"), d("2028-12-31")));
        let w = RetainerPeriod::Weekly.parse_period("2026-W01").unwrap();
        assert_eq!((w.start, w.end), (d("2025-12-29"), d("2026-01-04")));
        assert_eq!(RetainerPeriod::Weekly.label(&w), "2026-W01");
        assert_eq!(RetainerPeriod::Quarterly.label(&q), "2026-Q4");
        for bad in ["2026-13", "2026-3", "26-03", "2026-Q1", "March"] {
            let e = RetainerPeriod::Monthly.parse_period(bad).unwrap_err();
            assert_eq!(e.field(), Some("period"), "{bad}");
        }
        assert!(RetainerPeriod::Monthly.parse_period("2026-Q1").unwrap_err().to_string().contains("2026-03"));
        assert_eq!(RetainerPeriod::Monthly.containing(d("2026-03-17")).start, d("2026-03-01"));
    }
}
