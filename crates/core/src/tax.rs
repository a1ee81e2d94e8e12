//! Tax rates and their categories (the EN 16931 VAT category codes).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::rates::validate_percent;

/// How taxes are applied on an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum TaxMode {
    /// One or more invoice-level rates applied to the discounted subtotal.
    #[default]
    Summary,
    /// A rate per line; tax grouped per rate.
    Inline,
}

impl TaxMode {
    pub fn as_str(&self) -> &'static str {
        match self {
            TaxMode::Summary => "summary",
            TaxMode::Inline => "inline",
        }
    }
}

impl FromStr for TaxMode {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "summary" => Ok(TaxMode::Summary),
            "inline" => Ok(TaxMode::Inline),
            other => Err(CoreError::invalid("tax_mode", format!("'{other}' is not a tax mode; use summary or inline"))),
        }
    }
}

/// Whether the prices entered on an invoice include tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Pricing {
    /// Rates and amounts are net; tax is added on top.
    #[default]
    Net,
    /// Rates and amounts include tax (tax-inclusive prices); the engine
    /// derives the net amounts and the tax from them.
    Gross,
}

impl Pricing {
    pub fn as_str(&self) -> &'static str {
        match self {
            Pricing::Net => "net",
            Pricing::Gross => "gross",
        }
    }

    pub fn includes_tax(&self) -> bool {
        *self == Pricing::Gross
    }

    /// Parses "net" or "gross", naming `field` when it is neither.
    pub fn parse(field: &str, text: &str) -> CoreResult<Pricing> {
        match text.trim().to_ascii_lowercase().as_str() {
            "net" => Ok(Pricing::Net),
            "gross" => Ok(Pricing::Gross),
            other => Err(CoreError::invalid(
                field,
                format!("'{other}' is not a pricing; use gross (prices include tax) or net (tax is added)"),
            )),
        }
    }
}

impl FromStr for Pricing {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Pricing::parse("pricing", s)
    }
}

/// VAT category (UNTDID 5305 subset used by EN 16931).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum TaxCategory {
    /// Standard rate.
    #[default]
    S,
    /// Zero rated.
    Z,
    /// Exempt (needs an exemption reason).
    E,
    /// Reverse charge.
    AE,
    /// Intra-community supply.
    K,
    /// Export outside the EU.
    G,
    /// Outside the scope of tax.
    O,
}

impl TaxCategory {
    pub fn code(&self) -> &'static str {
        match self {
            TaxCategory::S => "S",
            TaxCategory::Z => "Z",
            TaxCategory::E => "E",
            TaxCategory::AE => "AE",
            TaxCategory::K => "K",
            TaxCategory::G => "G",
            TaxCategory::O => "O",
        }
    }

    /// Categories other than standard carry a 0% rate.
    pub fn requires_zero_rate(&self) -> bool {
        !matches!(self, TaxCategory::S)
    }
}

impl fmt::Display for TaxCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for TaxCategory {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "S" => Ok(TaxCategory::S),
            "Z" => Ok(TaxCategory::Z),
            "E" => Ok(TaxCategory::E),
            "AE" => Ok(TaxCategory::AE),
            "K" => Ok(TaxCategory::K),
            "G" => Ok(TaxCategory::G),
            "O" => Ok(TaxCategory::O),
            other => Err(CoreError::invalid(
                "category",
                format!(
                    "'{other}' is not a tax category; use S (standard), Z (zero), E (exempt), \
                     AE (reverse charge), K (intra-community), G (export) or O (outside scope)"
                ),
            )),
        }
    }
}

/// A tax rate as applied on a document (a snapshot: editing the rate in
/// settings later does not change issued invoices).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TaxRate {
    pub name: String,
    pub percent: Decimal,
    pub category: TaxCategory,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_reason: Option<String>,
}

impl TaxRate {
    /// Validates name, percent and category together.
    pub fn new(
        name: &str,
        percent: Decimal,
        category: TaxCategory,
        exemption_reason: Option<String>,
    ) -> CoreResult<TaxRate> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CoreError::invalid("name", "a tax rate needs a name, e.g. VAT 20%"));
        }
        let percent = validate_percent("percent", percent)?;
        if category.requires_zero_rate() && !percent.is_zero() {
            return Err(CoreError::invalid(
                "percent",
                format!("category {category} carries a 0% rate, got {percent}%"),
            ));
        }
        if category == TaxCategory::S && percent.is_zero() {
            return Err(CoreError::invalid(
                "percent",
                "a standard-rated tax needs a rate above 0%; use category Z for zero-rated",
            ));
        }
        let exemption_reason = exemption_reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        if category == TaxCategory::E && exemption_reason.is_none() {
            return Err(CoreError::invalid("exemption_reason", "an exempt (E) tax needs the reason for the exemption"));
        }
        Ok(TaxRate { name: name.to_string(), percent, category, exemption_reason })
    }

    /// Two rates are the same group when percent and category agree.
    pub fn same_group(&self, other: &TaxRate) -> bool {
        self.percent == other.percent && self.category == other.category && self.name == other.name
    }
}
