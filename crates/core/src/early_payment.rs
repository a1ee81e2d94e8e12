//! The early-payment discount (Skonto): "2 % within 10 days" takes a
//! percentage off the invoice's total when it is paid within that many days
//! of its issue date.
//!
//! The rule, in one place:
//! - The discount is `percent` of the invoice's total (tax included, as
//!   payment terms quote it), rounded once to the currency's minor unit.
//! - It may be taken until the deadline, the issue date plus `days`, which
//!   is on or before the due date.
//! - A payment dated on or before the deadline that leaves no more than the
//!   discount owing settles the invoice: what it leaves is the discount
//!   taken. A payment that leaves more is an ordinary partial payment.
//! - E-invoices carry it in the payment terms (BT-20) in the structured
//!   form German recipients read: `#SKONTO#TAGE=10#PROZENT=2.00#`.

use std::fmt;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::money::{round_money, Currency};

/// An early-payment discount: `percent` off within `days` of the issue date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EarlyDiscount {
    pub percent: Decimal,
    pub days: u32,
}

const FIELD: &str = "early_discount";

impl EarlyDiscount {
    /// Checks the parts: a percentage above 0 and below 100 with at most two
    /// decimals, and a period of 1 to 365 days.
    pub fn new(percent: Decimal, days: u32) -> CoreResult<EarlyDiscount> {
        if percent <= Decimal::ZERO || percent >= Decimal::ONE_HUNDRED {
            return Err(CoreError::invalid(
                FIELD,
                format!("the percentage must be above 0 and below 100, not {percent}"),
            ));
        }
        if percent.normalize().scale() > 2 {
            return Err(CoreError::invalid(FIELD, format!("the percentage {percent} has more than two decimals")));
        }
        if !(1..=365).contains(&days) {
            return Err(CoreError::invalid(FIELD, format!("the period must be 1 to 365 days, not {days}")));
        }
        Ok(EarlyDiscount { percent: percent.normalize(), days })
    }

    /// The last day the discount may be taken.
    pub fn deadline(&self, issue_date: NaiveDate) -> NaiveDate {
        issue_date.checked_add_days(Days::new(u64::from(self.days))).unwrap_or(NaiveDate::MAX)
    }

    /// The discount on a total, rounded once to the currency.
    pub fn amount(&self, total: Decimal, currency: Currency) -> Decimal {
        round_money(total * self.percent / Decimal::ONE_HUNDRED, currency)
    }

    /// What settles an invoice with `total` and `balance` owing when paid in
    /// time: the balance less the discount, never below zero.
    pub fn payable(&self, total: Decimal, balance: Decimal, currency: Currency) -> Decimal {
        (balance - self.amount(total, currency)).max(Decimal::ZERO)
    }

    /// Refuses a period that ends after the due date (about `field`: the
    /// discount, or the due date being moved).
    pub fn check_against(&self, field: &str, issue_date: NaiveDate, due_date: NaiveDate) -> CoreResult<()> {
        let deadline = self.deadline(issue_date);
        if deadline > due_date {
            return Err(CoreError::invalid(
                field,
                format!(
                    "the early-payment discount period of {} days ends on {deadline}, after the due date {due_date}; shorten it or \
                     move the due date",
                    self.days
                ),
            ));
        }
        Ok(())
    }

    /// The payment-terms line of an e-invoice (BT-20) in the structured form
    /// of the German e-invoice rules, ending with its line break.
    pub fn terms_line(&self) -> String {
        format!("#SKONTO#TAGE={}#PROZENT={:.2}#\n", self.days, self.percent)
    }

    /// What a payment dated `paid_on` of `amount`, against an invoice
    /// issued on `issue_date` with `total` and `balance` owing, leaves as
    /// the discount taken: `Some` when it settles the invoice early.
    pub fn taken(
        &self,
        issue_date: NaiveDate,
        total: Decimal,
        currency: Currency,
        balance: Decimal,
        paid_on: NaiveDate,
        amount: Decimal,
    ) -> Option<Decimal> {
        if paid_on > self.deadline(issue_date) || amount <= Decimal::ZERO {
            return None;
        }
        let left = balance - amount;
        (left > Decimal::ZERO && left <= self.amount(total, currency)).then_some(left)
    }
}

impl fmt::Display for EarlyDiscount {
    /// `2%/10`, the form the CLI takes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%/{}", self.percent.normalize(), self.days)
    }
}

impl FromStr for EarlyDiscount {
    type Err = CoreError;

    /// `2%/10`, `2/10`, `2 % / 10 days` or `1.5%/14d`.
    fn from_str(s: &str) -> CoreResult<EarlyDiscount> {
        let bad = || {
            CoreError::invalid(
                FIELD,
                format!(
                    "'{}' is not an early-payment discount; write the percentage and the days, e.g. 2%/10",
                    s.trim()
                ),
            )
        };
        let (percent, days) = s.split_once('/').ok_or_else(bad)?;
        let percent = percent.trim().trim_end_matches('%').trim();
        let days = days.trim();
        let days = days
            .strip_suffix("days")
            .or_else(|| days.strip_suffix("day"))
            .or_else(|| days.strip_suffix('d'))
            .unwrap_or(days)
            .trim();
        let percent: Decimal = percent.parse().map_err(|_| bad())?;
        let days: u32 = days.parse().map_err(|_| bad())?;
        EarlyDiscount::new(percent, days)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn reads_the_forms_people_write() {
        for text in ["2%/10", "2/10", "2 % / 10 days", " 2%/10d "] {
            assert_eq!(text.parse::<EarlyDiscount>().unwrap(), EarlyDiscount { percent: dec!(2), days: 10 }, "{text}");
        }
        assert_eq!("1.5%/14".parse::<EarlyDiscount>().unwrap().to_string(), "1.5%/14");
        for (text, says) in [
            ("2%", "is not an early-payment discount"),
            ("two/10", "is not an early-payment discount"),
            ("0%/10", "above 0 and below 100"),
            ("100/10", "above 0 and below 100"),
            ("2.125/10", "more than two decimals"),
            ("2/0", "1 to 365 days"),
            ("2/400", "1 to 365 days"),
        ] {
            let e = text.parse::<EarlyDiscount>().unwrap_err();
            assert_eq!(e.field(), Some(FIELD), "{text}");
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn two_percent_of_1190_within_10_days() {
        let s = EarlyDiscount::new(dec!(2), 10).unwrap();
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(s.deadline(d("2026-12-02")), d("2026-12-12"));
        assert_eq!(s.amount(dec!(1190.00), eur), dec!(23.80));
        // Paid 1,166.20 on the last day: settled, 23.80 taken.
        assert_eq!(
            s.taken(d("2026-12-02"), dec!(1190), eur, dec!(1190), d("2026-12-12"), dec!(1166.20)),
            Some(dec!(23.80))
        );
        // A day late, or 1,166.19: an ordinary partial payment.
        assert_eq!(s.taken(d("2026-12-02"), dec!(1190), eur, dec!(1190), d("2026-12-13"), dec!(1166.20)), None);
        assert_eq!(s.taken(d("2026-12-02"), dec!(1190), eur, dec!(1190), d("2026-12-12"), dec!(1166.19)), None);
        // The whole balance takes nothing.
        assert_eq!(s.taken(d("2026-12-02"), dec!(1190), eur, dec!(1190), d("2026-12-05"), dec!(1190)), None);
        // After a partial payment, the rest less the discount settles it.
        assert_eq!(
            s.taken(d("2026-12-02"), dec!(1190), eur, dec!(690), d("2026-12-05"), dec!(666.20)),
            Some(dec!(23.80))
        );
    }

    #[test]
    fn rounds_once_to_the_currency() {
        let s = EarlyDiscount::new(dec!(3), 7).unwrap();
        assert_eq!(s.amount(dec!(1001), Currency::parse("JPY").unwrap()), dec!(30));
        assert_eq!(s.amount(dec!(10.005), Currency::parse("BHD").unwrap()), dec!(0.300));
        assert_eq!(s.amount(dec!(0.50), Currency::parse("EUR").unwrap()), dec!(0.02));
    }

    #[test]
    fn the_period_ends_by_the_due_date() {
        let s = EarlyDiscount::new(dec!(2), 10).unwrap();
        assert!(s.check_against(FIELD, d("2026-12-02"), d("2026-12-12")).is_ok());
        let e = s.check_against("due_date", d("2026-12-02"), d("2026-12-11")).unwrap_err();
        assert_eq!(e.field(), Some("due_date"));
        assert!(e.to_string().contains("ends on 2026-12-12, after the due date 2026-12-11"), "{e}");
    }

    #[test]
    fn the_e_invoice_terms_line() {
        assert_eq!(EarlyDiscount::new(dec!(2), 10).unwrap().terms_line(), "#SKONTO#TAGE=10#PROZENT=2.00#\n");
        assert_eq!(EarlyDiscount::new(dec!(1.5), 14).unwrap().terms_line(), "#SKONTO#TAGE=14#PROZENT=1.50#\n");
    }
}
