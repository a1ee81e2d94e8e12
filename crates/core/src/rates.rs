//! Which hourly rate applies to a time entry: the most specific wins.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};

/// Where a rate came from, from most to least specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RateSource {
    Entry,
    Task,
    Project,
    Client,
    Member,
    Business,
}

/// The rates that may apply to one time entry; `None` where not set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateChain {
    pub entry: Option<Decimal>,
    pub task: Option<Decimal>,
    pub project: Option<Decimal>,
    pub client: Option<Decimal>,
    pub member: Option<Decimal>,
    pub business: Option<Decimal>,
}

impl RateChain {
    /// The most specific rate set: time entry, then task, then project, then
    /// client, then the team member's default, then the business default.
    pub fn resolve(&self) -> Option<(Decimal, RateSource)> {
        [
            (self.entry, RateSource::Entry),
            (self.task, RateSource::Task),
            (self.project, RateSource::Project),
            (self.client, RateSource::Client),
            (self.member, RateSource::Member),
            (self.business, RateSource::Business),
        ]
        .into_iter()
        .find_map(|(rate, source)| rate.map(|r| (r, source)))
    }
}

/// Rates are never negative (a correction is a negative quantity).
pub fn validate_rate(field: &str, rate: Decimal) -> CoreResult<Decimal> {
    if rate.is_sign_negative() && !rate.is_zero() {
        return Err(CoreError::invalid(field, format!("must not be negative, got {rate}")));
    }
    if rate > Decimal::from(1_000_000_000_i64) {
        return Err(CoreError::invalid(field, format!("{rate} is implausibly large")));
    }
    Ok(rate.normalize())
}

/// Tax rates are percentages from 0 to 100.
pub fn validate_percent(field: &str, percent: Decimal) -> CoreResult<Decimal> {
    if percent.is_sign_negative() && !percent.is_zero() {
        return Err(CoreError::invalid(field, format!("must not be negative, got {percent}")));
    }
    if percent > Decimal::ONE_HUNDRED {
        return Err(CoreError::invalid(field, format!("must be at most 100, got {percent}")));
    }
    Ok(percent.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn most_specific_rate_wins() {
        let mut chain = RateChain {
            entry: None,
            task: Some(dec!(120)),
            project: Some(dec!(100)),
            client: Some(dec!(90)),
            member: Some(dec!(80)),
            business: Some(dec!(70)),
        };
        assert_eq!(chain.resolve(), Some((dec!(120), RateSource::Task)));
        chain.entry = Some(dec!(200));
        assert_eq!(chain.resolve(), Some((dec!(200), RateSource::Entry)));
        let only_business = RateChain { business: Some(dec!(70)), ..RateChain::default() };
        assert_eq!(only_business.resolve(), Some((dec!(70), RateSource::Business)));
        let member = RateChain { member: Some(dec!(0)), business: Some(dec!(70)), ..Default::default() };
        assert_eq!(member.resolve(), Some((dec!(0), RateSource::Member)), "a zero rate is a rate");
        assert_eq!(RateChain::default().resolve(), None);
    }

    #[test]
    fn negative_rates_are_refused() {
        assert_eq!(validate_rate("rate", dec!(-1)).unwrap_err().field(), Some("rate"));
        assert_eq!(validate_percent("percent", dec!(-0.5)).unwrap_err().field(), Some("percent"));
        assert!(validate_percent("percent", dec!(100.01)).is_err());
        assert_eq!(validate_percent("percent", dec!(19.00)).unwrap(), dec!(19));
    }
}
