//! Estimates (quotes): their status rules, and what a deposit invoice of an
//! estimate bills. An estimate is priced exactly like an invoice (the same
//! lines, taxes, discount and pricing mode, the same totals engine); it moves
//! draft → sent → accepted or declined, and "expired" is derived from its
//! validity date, never stored.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::money::{parse_amount, parse_decimal, round_money, Currency};
use crate::presentation::{Locale, Template};
use crate::rates::validate_percent;
use crate::tax::{Pricing, TaxMode, TaxRate};
use crate::totals::{Discount, Draft, DraftLine, Totals};

/// The status stored on an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EstimateStatus {
    Draft,
    Sent,
    Accepted,
    Declined,
}

/// The status a person sees: the stored one, or expired when a sent
/// estimate's validity date has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EstimateDisplay {
    Draft,
    Sent,
    Accepted,
    Declined,
    Expired,
}

impl EstimateStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            EstimateStatus::Draft => "draft",
            EstimateStatus::Sent => "sent",
            EstimateStatus::Accepted => "accepted",
            EstimateStatus::Declined => "declined",
        }
    }
}

impl fmt::Display for EstimateStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EstimateStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "draft" => Ok(EstimateStatus::Draft),
            "sent" => Ok(EstimateStatus::Sent),
            "accepted" => Ok(EstimateStatus::Accepted),
            "declined" => Ok(EstimateStatus::Declined),
            other => Err(CoreError::invalid(
                "status",
                format!("'{other}' is not an estimate status; use draft, sent, accepted or declined"),
            )),
        }
    }
}

impl EstimateDisplay {
    pub fn as_str(&self) -> &'static str {
        match self {
            EstimateDisplay::Draft => "draft",
            EstimateDisplay::Sent => "sent",
            EstimateDisplay::Accepted => "accepted",
            EstimateDisplay::Declined => "declined",
            EstimateDisplay::Expired => "expired",
        }
    }
}

impl fmt::Display for EstimateDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EstimateDisplay {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        if s.trim().eq_ignore_ascii_case("expired") {
            return Ok(EstimateDisplay::Expired);
        }
        s.parse::<EstimateStatus>().map(EstimateDisplay::from).map_err(|_| {
            CoreError::invalid(
                "status",
                format!("'{}' is not an estimate status; use draft, sent, accepted, declined or expired", s.trim()),
            )
        })
    }
}

impl From<EstimateStatus> for EstimateDisplay {
    fn from(s: EstimateStatus) -> Self {
        match s {
            EstimateStatus::Draft => EstimateDisplay::Draft,
            EstimateStatus::Sent => EstimateDisplay::Sent,
            EstimateStatus::Accepted => EstimateDisplay::Accepted,
            EstimateStatus::Declined => EstimateDisplay::Declined,
        }
    }
}

/// What a person sees: a sent estimate is expired the day after it was
/// valid until (it is still valid on that day).
pub fn display_status(status: EstimateStatus, valid_until: NaiveDate, today: NaiveDate) -> EstimateDisplay {
    match status {
        EstimateStatus::Sent if today > valid_until => EstimateDisplay::Expired,
        other => other.into(),
    }
}

/// Lines, prices, client and currency change only while an estimate is a draft.
pub fn ensure_editable(status: EstimateStatus, number: &str) -> CoreResult<()> {
    if status == EstimateStatus::Draft {
        return Ok(());
    }
    Err(CoreError::conflict(format!(
        "estimate {number} is {status}; only a draft's lines and prices can change (its validity date can change until it is accepted or declined)"
    )))
}

/// The validity date changes until the client has decided.
pub fn ensure_validity_editable(status: EstimateStatus, number: &str) -> CoreResult<()> {
    match status {
        EstimateStatus::Draft | EstimateStatus::Sent => Ok(()),
        other => Err(CoreError::invalid(
            "valid_until",
            format!("estimate {number} is {other}; its validity date no longer changes"),
        )),
    }
}

/// Marking an estimate sent: a draft, or a sent one again (sent twice).
pub fn ensure_sendable(status: EstimateStatus, number: &str) -> CoreResult<()> {
    match status {
        EstimateStatus::Draft | EstimateStatus::Sent => Ok(()),
        other => Err(CoreError::conflict(format!("estimate {number} is {other}; it is not sent again"))),
    }
}

/// Emailing an estimate to the client: a draft (it becomes sent when the
/// server accepts the email) or a sent one again while it is valid, and an
/// accepted one (a copy of what was agreed) until it is converted in full.
/// Never a declined estimate, nor one converted into `converted_into`, the
/// invoice that bills the whole of it.
pub fn ensure_emailable(
    status: EstimateStatus,
    valid_until: NaiveDate,
    today: NaiveDate,
    converted_into: Option<&str>,
    number: &str,
) -> CoreResult<()> {
    if let Some(invoice) = converted_into {
        return Err(CoreError::conflict(format!(
            "estimate {number} is converted into invoice {invoice}; it is not emailed any more (email the invoice instead)"
        )));
    }
    match status {
        EstimateStatus::Declined => Err(CoreError::conflict(format!(
            "estimate {number} was declined; a declined estimate is not emailed (make a new estimate for a new offer)"
        ))),
        EstimateStatus::Draft | EstimateStatus::Sent if today > valid_until => Err(CoreError::invalid(
            "valid_until",
            format!("estimate {number} expired after {valid_until}; move its validity date before emailing it"),
        )),
        EstimateStatus::Draft | EstimateStatus::Sent | EstimateStatus::Accepted => Ok(()),
    }
}

/// The client's answer. An estimate is accepted while it is valid (a draft
/// the client accepted on the spot, or a sent one not expired), declined
/// any time before it was accepted.
pub fn check_decision(
    status: EstimateStatus,
    to: EstimateStatus,
    valid_until: NaiveDate,
    today: NaiveDate,
    number: &str,
) -> CoreResult<()> {
    match (status, to) {
        (EstimateStatus::Draft | EstimateStatus::Sent, EstimateStatus::Accepted) => {
            if today > valid_until {
                return Err(CoreError::invalid(
                    "valid_until",
                    format!(
                        "estimate {number} expired after {valid_until}; extend its validity date before it is accepted"
                    ),
                ));
            }
            Ok(())
        }
        (EstimateStatus::Draft | EstimateStatus::Sent, EstimateStatus::Declined) => Ok(()),
        (EstimateStatus::Accepted, EstimateStatus::Declined) => {
            Err(CoreError::conflict(format!("estimate {number} is accepted; an accepted estimate is not declined")))
        }
        (from, to) if from == to => Err(CoreError::conflict(format!("estimate {number} is already {from}"))),
        (from, to) => Err(CoreError::conflict(format!("estimate {number} is {from}; it cannot become {to}"))),
    }
}

/// Only an accepted estimate becomes invoices.
pub fn ensure_convertible(status: EstimateStatus, number: &str) -> CoreResult<()> {
    if status == EstimateStatus::Accepted {
        return Ok(());
    }
    Err(CoreError::invalid(
        "status",
        format!("estimate {number} is {status}; only an accepted estimate is converted into invoices"),
    ))
}

/// An estimate: the header with its current totals (the engine's, in the
/// estimate's currency). Its lines are [`crate::model::InvoiceLine`]s whose
/// `invoice_id` is the estimate's id and that bill no time entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Estimate {
    pub id: i64,
    pub number: String,
    pub client_id: i64,
    pub project_id: Option<i64>,
    pub issue_date: NaiveDate,
    pub valid_until: NaiveDate,
    pub currency: Currency,
    pub tax_mode: TaxMode,
    pub pricing: Pricing,
    pub discount: Discount,
    /// Summary-mode taxes.
    pub taxes: Vec<TaxRate>,
    pub notes: String,
    pub terms: String,
    pub po_number: String,
    pub status: EstimateStatus,
    pub subtotal: Decimal,
    pub discount_amount: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
    pub template: Option<Template>,
    pub locale: Option<Locale>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// How much of an estimate a deposit invoice bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DepositPart {
    /// A percentage of the estimate (30 → 30 %).
    Percent(Decimal),
    /// An amount, as the estimate's prices are entered: net of tax when the
    /// estimate is priced net, tax included when it is priced gross.
    Amount(Decimal),
}

impl DepositPart {
    /// Reads `30%` (a percentage) or `500.00` (an amount in `cur`).
    pub fn parse(field: &str, text: &str, cur: Currency) -> CoreResult<DepositPart> {
        let t = text.trim();
        if let Some(p) = t.strip_suffix('%') {
            let v = validate_percent(field, parse_decimal(field, p.trim())?)?;
            if v.is_zero() {
                return Err(CoreError::invalid(field, "must be more than 0 %"));
            }
            return Ok(DepositPart::Percent(v));
        }
        if t.is_empty() {
            return Err(CoreError::invalid(
                field,
                "is empty; give a percentage such as 30% or an amount such as 500.00",
            ));
        }
        let v = parse_amount(field, t, cur)?;
        if v <= Decimal::ZERO {
            return Err(CoreError::invalid(field, "must be more than zero"));
        }
        Ok(DepositPart::Amount(v))
    }

    /// The part as typed, for the line's text and the link (`30%`, `500.00`).
    pub fn text(&self) -> String {
        match self {
            DepositPart::Percent(p) => format!("{}%", p.normalize()),
            DepositPart::Amount(a) => a.to_string(),
        }
    }
}

/// One line of a deposit invoice: an amount as entered (in the estimate's
/// pricing mode) and, in inline tax mode, the tax rate of the estimate's
/// lines it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositShare {
    pub tax: Option<TaxRate>,
    pub amount: Decimal,
}

/// What an estimate's tax groups amount to as entered: per tax rate in
/// inline mode (plus the untaxed rest), one group in summary mode (every line
/// carries every summary rate). Net pricing: the groups' tax bases after
/// discounts; gross pricing: bases plus tax.
fn entered_groups(draft: &Draft, t: &Totals) -> Vec<DepositShare> {
    let gross = draft.pricing == Pricing::Gross;
    match draft.tax_mode {
        TaxMode::Summary => {
            let amount = if gross { t.taxable + t.tax_total } else { t.taxable };
            vec![DepositShare { tax: None, amount }]
        }
        TaxMode::Inline => {
            let mut out: Vec<DepositShare> = t
                .taxes
                .iter()
                .map(|g| DepositShare {
                    tax: Some(g.tax.clone()),
                    amount: if gross { g.base + g.amount } else { g.base },
                })
                .collect();
            let untaxed = t.taxable - t.taxes.iter().map(|g| g.base).sum::<Decimal>();
            if !untaxed.is_zero() {
                out.push(DepositShare { tax: None, amount: untaxed });
            }
            out
        }
    }
}

/// The lines of a deposit invoice for `part` of an estimate (its draft and
/// the engine's totals of it): one line per tax group, so the deposit carries
/// the estimate's tax on its own amount. A percentage takes that share of
/// each group, each rounded once by `round_money`; an amount is shared over
/// the groups in proportion to them, the last group taking what the others
/// leave so the lines add up to the amount exactly.
pub fn deposit_shares(draft: &Draft, t: &Totals, part: DepositPart, field: &str) -> CoreResult<Vec<DepositShare>> {
    let cur = draft.currency;
    let groups = entered_groups(draft, t);
    let whole: Decimal = groups.iter().map(|g| g.amount).sum();
    if whole <= Decimal::ZERO {
        return Err(CoreError::invalid(field, "the estimate's total is zero; there is nothing to take a deposit of"));
    }
    let shares: Vec<DepositShare> = match part {
        DepositPart::Percent(p) => groups
            .into_iter()
            .map(|g| DepositShare { amount: round_money(g.amount * p / Decimal::ONE_HUNDRED, cur), tax: g.tax })
            .collect(),
        DepositPart::Amount(a) => {
            if a > whole {
                return Err(CoreError::invalid(
                    field,
                    format!("{a} {cur} is more than the estimate's {} of {whole} {cur}", entered_word(draft.pricing)),
                ));
            }
            let n = groups.len();
            let mut given = Decimal::ZERO;
            groups
                .into_iter()
                .enumerate()
                .map(|(i, g)| {
                    let amount = if i + 1 == n { a - given } else { round_money(a * g.amount / whole, cur) };
                    given += amount;
                    DepositShare { amount, tax: g.tax }
                })
                .collect()
        }
    };
    let shares: Vec<DepositShare> = shares.into_iter().filter(|s| !s.amount.is_zero()).collect();
    if shares.is_empty() {
        return Err(CoreError::invalid(field, format!("that deposit rounds to zero {cur}")));
    }
    Ok(shares)
}

fn entered_word(p: Pricing) -> &'static str {
    match p {
        Pricing::Net => "net amount",
        Pricing::Gross => "total",
    }
}

/// The draft of a deposit invoice made of `shares` (summary taxes as the
/// estimate's), for the engine.
pub fn deposit_draft(estimate: &Draft, shares: &[DepositShare]) -> Draft {
    Draft {
        currency: estimate.currency,
        tax_mode: estimate.tax_mode,
        lines: shares
            .iter()
            .map(|s| DraftLine {
                quantity: Decimal::ONE,
                seconds: None,
                rate: s.amount,
                discount: Discount::None,
                tax: s.tax.clone(),
            })
            .collect(),
        discount: Discount::None,
        taxes: estimate.taxes.clone(),
        adjustment: Decimal::ZERO,
        amount_paid: Decimal::ZERO,
        pricing: estimate.pricing,
    }
}

/// A deposit never takes the deposits past the estimate: the totals of the
/// deposits invoiced so far plus this one stay within the estimate's total.
pub fn check_deposit_fits(
    field: &str,
    estimate_total: Decimal,
    deposited: Decimal,
    deposit_total: Decimal,
    cur: Currency,
) -> CoreResult<()> {
    let left = round_money(estimate_total - deposited, cur);
    if deposit_total > left {
        return Err(CoreError::invalid(
            field,
            format!(
                "a deposit of {deposit_total} {cur} is more than the {left} {cur} of the estimate not yet taken as deposits"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tax::TaxCategory;
    use crate::totals::totals;
    use rust_decimal_macros::dec;

    #[test]
    fn an_estimate_is_emailed_while_it_is_an_open_offer() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let (valid, today) = (d("2026-05-31"), d("2026-05-10"));
        for status in [EstimateStatus::Draft, EstimateStatus::Sent, EstimateStatus::Accepted] {
            assert!(ensure_emailable(status, valid, today, None, "EST-1").is_ok(), "{status}");
            assert!(ensure_emailable(status, valid, valid, None, "EST-1").is_ok(), "{status} on its last day");
        }
        let declined = ensure_emailable(EstimateStatus::Declined, valid, today, None, "EST-1").unwrap_err();
        assert!(declined.to_string().contains("EST-1 was declined"), "{declined}");
        let converted =
            ensure_emailable(EstimateStatus::Accepted, valid, today, Some("INV-2026-0007"), "EST-1").unwrap_err();
        assert!(converted.to_string().contains("converted into invoice INV-2026-0007"), "{converted}");
        for status in [EstimateStatus::Draft, EstimateStatus::Sent] {
            let e = ensure_emailable(status, valid, d("2026-06-01"), None, "EST-1").unwrap_err();
            assert_eq!(e.field(), Some("valid_until"), "{e}");
            assert!(e.to_string().contains("expired after 2026-05-31"), "{e}");
        }
        assert!(ensure_emailable(EstimateStatus::Accepted, valid, d("2026-06-01"), None, "EST-1").is_ok());
    }

    fn vat(p: Decimal) -> TaxRate {
        TaxRate { name: format!("VAT {p}%"), percent: p, category: TaxCategory::S, exemption_reason: None }
    }

    fn draft(mode: TaxMode, pricing: Pricing, lines: Vec<(Decimal, Option<TaxRate>)>, taxes: Vec<TaxRate>) -> Draft {
        Draft {
            currency: Currency::parse("EUR").unwrap(),
            tax_mode: mode,
            lines: lines
                .into_iter()
                .map(|(rate, tax)| DraftLine {
                    quantity: Decimal::ONE,
                    seconds: None,
                    rate,
                    discount: Discount::None,
                    tax,
                })
                .collect(),
            discount: Discount::None,
            taxes,
            adjustment: Decimal::ZERO,
            amount_paid: Decimal::ZERO,
            pricing,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_sent_estimate_expires_the_day_after_its_validity() {
        let until = d(2026, 12, 31);
        assert_eq!(display_status(EstimateStatus::Sent, until, d(2026, 12, 31)), EstimateDisplay::Sent);
        assert_eq!(display_status(EstimateStatus::Sent, until, d(2027, 1, 1)), EstimateDisplay::Expired);
        assert_eq!(display_status(EstimateStatus::Accepted, until, d(2027, 1, 1)), EstimateDisplay::Accepted);
        assert_eq!(display_status(EstimateStatus::Draft, until, d(2027, 1, 1)), EstimateDisplay::Draft);
    }

    #[test]
    fn an_expired_estimate_is_not_accepted_but_may_be_declined() {
        let until = d(2026, 12, 31);
        let e =
            check_decision(EstimateStatus::Sent, EstimateStatus::Accepted, until, d(2027, 1, 1), "EST-1").unwrap_err();
        assert_eq!(e.field(), Some("valid_until"));
        check_decision(EstimateStatus::Sent, EstimateStatus::Declined, until, d(2027, 1, 1), "EST-1").unwrap();
        check_decision(EstimateStatus::Sent, EstimateStatus::Accepted, until, until, "EST-1").unwrap();
        assert!(check_decision(EstimateStatus::Accepted, EstimateStatus::Declined, until, until, "EST-1").is_err());
        assert!(check_decision(EstimateStatus::Declined, EstimateStatus::Accepted, until, until, "EST-1").is_err());
    }

    #[test]
    fn deposit_parts_read_percentages_and_amounts() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(DepositPart::parse("deposit", "30%", eur).unwrap(), DepositPart::Percent(dec!(30)));
        assert_eq!(DepositPart::parse("deposit", " 500.00 ", eur).unwrap(), DepositPart::Amount(dec!(500.00)));
        for bad in ["0%", "101%", "-5", "0", "", "abc", "1.234"] {
            let e = DepositPart::parse("deposit", bad, eur).unwrap_err();
            assert_eq!(e.field(), Some("deposit"), "{bad}");
        }
    }

    /// 1,000.00 net at 19 %: a 30 % deposit is one line of 300.00 net, 57.00
    /// tax, 357.00 in all.
    #[test]
    fn thirty_percent_of_a_net_estimate() {
        let est = draft(TaxMode::Summary, Pricing::Net, vec![(dec!(1000.00), None)], vec![vat(dec!(19))]);
        let t = totals(&est).unwrap();
        let shares = deposit_shares(&est, &t, DepositPart::Percent(dec!(30)), "deposit").unwrap();
        assert_eq!(shares, vec![DepositShare { tax: None, amount: dec!(300.00) }]);
        let dt = totals(&deposit_draft(&est, &shares)).unwrap();
        assert_eq!((dt.taxable, dt.tax_total, dt.total), (dec!(300.00), dec!(57.00), dec!(357.00)));
    }

    /// Inline rates 19 % (1,000.00) and 7 % (200.00), an amount of 600.00
    /// net: 500.00 and 100.00, tax 95.00 + 7.00.
    #[test]
    fn an_amount_is_shared_over_the_rates() {
        let est = draft(
            TaxMode::Inline,
            Pricing::Net,
            vec![(dec!(1000.00), Some(vat(dec!(19)))), (dec!(200.00), Some(vat(dec!(7))))],
            vec![],
        );
        let t = totals(&est).unwrap();
        let shares = deposit_shares(&est, &t, DepositPart::Amount(dec!(600.00)), "deposit").unwrap();
        assert_eq!(shares.iter().map(|s| s.amount).collect::<Vec<_>>(), vec![dec!(500.00), dec!(100.00)]);
        let dt = totals(&deposit_draft(&est, &shares)).unwrap();
        assert_eq!((dt.tax_total, dt.total), (dec!(102.00), dec!(702.00)));
        let e = deposit_shares(&est, &t, DepositPart::Amount(dec!(1200.01)), "deposit").unwrap_err();
        assert_eq!(e.field(), Some("deposit"));
    }

    /// Gross prices: 1,190.00 including 19 %; 30 % is 357.00 gross, which the
    /// engine splits into 300.00 + 57.00.
    #[test]
    fn a_gross_estimate_takes_its_deposit_gross() {
        let est = draft(TaxMode::Inline, Pricing::Gross, vec![(dec!(1190.00), Some(vat(dec!(19))))], vec![]);
        let t = totals(&est).unwrap();
        let shares = deposit_shares(&est, &t, DepositPart::Percent(dec!(30)), "deposit").unwrap();
        assert_eq!(shares[0].amount, dec!(357.00));
        let dt = totals(&deposit_draft(&est, &shares)).unwrap();
        assert_eq!((dt.taxable, dt.tax_total, dt.total), (dec!(300.00), dec!(57.00), dec!(357.00)));
    }

    #[test]
    fn deposits_stay_within_the_estimate() {
        let eur = Currency::parse("EUR").unwrap();
        check_deposit_fits("deposit", dec!(1190.00), dec!(357.00), dec!(833.00), eur).unwrap();
        let e = check_deposit_fits("deposit", dec!(1190.00), dec!(357.00), dec!(833.01), eur).unwrap_err();
        assert_eq!(e.field(), Some("deposit"));
    }
}
