//! Invoice status rules. Stored statuses move draft → sent → partially paid →
//! paid, or to cancelled; "overdue" is derived, never stored.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};

/// The status stored on an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    Sent,
    PartiallyPaid,
    Paid,
    Cancelled,
}

/// The status a user sees: the stored one, or overdue when it is due and
/// unpaid past its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DisplayStatus {
    Draft,
    Sent,
    PartiallyPaid,
    Paid,
    Overdue,
    Cancelled,
}

impl InvoiceStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Sent => "sent",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Cancelled => "cancelled",
        }
    }

    /// The status as a word for sentences: "partially paid", not the
    /// identifier `partially_paid`.
    pub fn words(&self) -> &'static str {
        match self {
            InvoiceStatus::PartiallyPaid => "partially paid",
            other => other.as_str(),
        }
    }

    /// Issued invoices (anything but a draft) have frozen lines and totals.
    pub fn is_issued(&self) -> bool {
        !matches!(self, InvoiceStatus::Draft)
    }
}

impl fmt::Display for InvoiceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InvoiceStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "draft" => Ok(InvoiceStatus::Draft),
            "sent" => Ok(InvoiceStatus::Sent),
            "partially_paid" | "partial" => Ok(InvoiceStatus::PartiallyPaid),
            "paid" => Ok(InvoiceStatus::Paid),
            "cancelled" | "canceled" => Ok(InvoiceStatus::Cancelled),
            other => Err(CoreError::invalid(
                "status",
                format!("'{other}' is not an invoice status; use draft, sent, partially_paid, paid or cancelled"),
            )),
        }
    }
}

impl DisplayStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            DisplayStatus::Draft => "draft",
            DisplayStatus::Sent => "sent",
            DisplayStatus::PartiallyPaid => "partially_paid",
            DisplayStatus::Paid => "paid",
            DisplayStatus::Overdue => "overdue",
            DisplayStatus::Cancelled => "cancelled",
        }
    }

    /// The status as a word for sentences ("partially paid").
    pub fn words(&self) -> &'static str {
        match self {
            DisplayStatus::PartiallyPaid => "partially paid",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for DisplayStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DisplayStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        if s.trim().eq_ignore_ascii_case("overdue") {
            return Ok(DisplayStatus::Overdue);
        }
        s.parse::<InvoiceStatus>().map(DisplayStatus::from).map_err(|_| {
            CoreError::invalid(
                "status",
                format!(
                    "'{}' is not an invoice status; use draft, sent, partially_paid, paid, overdue or cancelled",
                    s.trim()
                ),
            )
        })
    }
}

impl From<InvoiceStatus> for DisplayStatus {
    fn from(s: InvoiceStatus) -> Self {
        match s {
            InvoiceStatus::Draft => DisplayStatus::Draft,
            InvoiceStatus::Sent => DisplayStatus::Sent,
            InvoiceStatus::PartiallyPaid => DisplayStatus::PartiallyPaid,
            InvoiceStatus::Paid => DisplayStatus::Paid,
            InvoiceStatus::Cancelled => DisplayStatus::Cancelled,
        }
    }
}

/// Overdue is derived: sent or partially paid, due date passed, balance left.
pub fn display_status(
    status: InvoiceStatus,
    due_date: NaiveDate,
    today: NaiveDate,
    balance_due: Decimal,
) -> DisplayStatus {
    let open = matches!(status, InvoiceStatus::Sent | InvoiceStatus::PartiallyPaid);
    if open && due_date < today && balance_due > Decimal::ZERO {
        DisplayStatus::Overdue
    } else {
        status.into()
    }
}

/// Lines, header amounts and taxes can be changed only on drafts.
pub fn ensure_editable(status: InvoiceStatus, number: &str) -> CoreResult<()> {
    if status == InvoiceStatus::Draft {
        Ok(())
    } else {
        Err(CoreError::conflict(format!(
            "invoice {number} is {}: its lines and totals are frozen; only drafts can be edited (the due date alone can still be moved)",
            status.words()
        )))
    }
}

/// Paid or partially paid invoices (anything with payments) cannot be deleted;
/// issued invoices are cancelled instead, so their number stays accounted for.
pub fn ensure_deletable(status: InvoiceStatus, amount_paid: Decimal, number: &str) -> CoreResult<()> {
    if !amount_paid.is_zero() || matches!(status, InvoiceStatus::Paid | InvoiceStatus::PartiallyPaid) {
        return Err(CoreError::conflict(format!("invoice {number} has payments recorded and cannot be deleted")));
    }
    if status != InvoiceStatus::Draft {
        return Err(CoreError::conflict(format!(
            "invoice {number} is {}; only drafts can be deleted — cancel it instead",
            status.words()
        )));
    }
    Ok(())
}

/// The status that payments imply for an issued invoice. A status that
/// already agrees with the payments (e.g. paid by hand on a zero total) stays.
pub fn status_for_payments(current: InvoiceStatus, total: Decimal, paid: Decimal) -> InvoiceStatus {
    match current {
        InvoiceStatus::Draft | InvoiceStatus::Cancelled => current,
        _ if agrees_with_payments(current, total, paid) => current,
        _ if paid.is_zero() => InvoiceStatus::Sent,
        _ if paid < total => InvoiceStatus::PartiallyPaid,
        _ => InvoiceStatus::Paid,
    }
}

/// Whether a stored status is consistent with the amount paid.
pub fn agrees_with_payments(status: InvoiceStatus, total: Decimal, paid: Decimal) -> bool {
    match status {
        InvoiceStatus::Draft | InvoiceStatus::Sent | InvoiceStatus::Cancelled => paid.is_zero(),
        InvoiceStatus::PartiallyPaid => paid > Decimal::ZERO && paid < total,
        InvoiceStatus::Paid => paid >= total,
    }
}

/// Checks a status set by hand: it must be reachable and agree with payments.
pub fn check_manual_status(
    current: InvoiceStatus,
    target: InvoiceStatus,
    total: Decimal,
    paid: Decimal,
    number: &str,
) -> CoreResult<()> {
    if current == target {
        return Ok(());
    }
    if target == InvoiceStatus::Draft {
        return Err(CoreError::conflict(format!(
            "invoice {number} has been issued and cannot go back to draft; issue a correction instead"
        )));
    }
    if current == InvoiceStatus::Cancelled {
        return Err(CoreError::conflict(format!("invoice {number} is cancelled; it cannot be reopened")));
    }
    if !agrees_with_payments(target, total, paid) {
        let why = match target {
            InvoiceStatus::Paid => format!("only {paid} of {total} has been paid; record a payment instead"),
            InvoiceStatus::PartiallyPaid if paid.is_zero() => "no payment has been recorded".to_string(),
            InvoiceStatus::PartiallyPaid => format!("{paid} of {total} paid means it is fully paid"),
            _ => format!("{paid} has been paid; delete the payments first"),
        };
        return Err(CoreError::invalid("status", format!("invoice {number} cannot be {}: {why}", target.words())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn overdue_is_derived() {
        let today = d("2026-05-10");
        let s = display_status(InvoiceStatus::Sent, d("2026-05-09"), today, dec!(10));
        assert_eq!(s, DisplayStatus::Overdue);
        assert_eq!(display_status(InvoiceStatus::Sent, d("2026-05-10"), today, dec!(10)), DisplayStatus::Sent);
        assert_eq!(
            display_status(InvoiceStatus::PartiallyPaid, d("2026-01-01"), today, dec!(1)),
            DisplayStatus::Overdue
        );
        assert_eq!(display_status(InvoiceStatus::Paid, d("2026-01-01"), today, dec!(0)), DisplayStatus::Paid);
        assert_eq!(display_status(InvoiceStatus::Draft, d("2026-01-01"), today, dec!(5)), DisplayStatus::Draft);
        assert_eq!(display_status(InvoiceStatus::Sent, d("2026-01-01"), today, dec!(0)), DisplayStatus::Sent);
    }

    #[test]
    fn payments_drive_the_status() {
        use InvoiceStatus::*;
        assert_eq!(status_for_payments(Sent, dec!(100), dec!(40)), PartiallyPaid);
        assert_eq!(status_for_payments(PartiallyPaid, dec!(100), dec!(100)), Paid);
        assert_eq!(status_for_payments(Paid, dec!(100), dec!(40)), PartiallyPaid);
        assert_eq!(status_for_payments(Paid, dec!(100), dec!(0)), Sent);
        assert_eq!(status_for_payments(Paid, dec!(0), dec!(0)), Paid, "set by hand, agrees");
        assert_eq!(status_for_payments(Sent, dec!(0), dec!(0)), Sent);
    }

    #[test]
    fn manual_status_must_agree_with_payments() {
        use InvoiceStatus::*;
        assert!(check_manual_status(Draft, Sent, dec!(100), dec!(0), "X").is_ok());
        assert!(check_manual_status(Sent, Paid, dec!(100), dec!(50), "X").is_err());
        assert!(check_manual_status(Sent, Draft, dec!(100), dec!(0), "X").is_err());
        assert!(check_manual_status(Sent, Cancelled, dec!(100), dec!(0), "X").is_ok());
        assert!(check_manual_status(PartiallyPaid, Cancelled, dec!(100), dec!(10), "X").is_err());
        assert!(check_manual_status(Cancelled, Sent, dec!(100), dec!(0), "X").is_err());
        assert!(check_manual_status(Sent, Paid, dec!(0), dec!(0), "X").is_ok());
    }

    #[test]
    fn only_unpaid_drafts_can_be_deleted() {
        use InvoiceStatus::*;
        assert!(ensure_deletable(Draft, dec!(0), "X").is_ok());
        assert!(ensure_deletable(Sent, dec!(0), "X").is_err());
        assert!(ensure_deletable(Paid, dec!(10), "X").is_err());
        assert!(ensure_editable(Sent, "X").is_err());
        assert!(ensure_editable(Draft, "X").is_ok());
    }
}
