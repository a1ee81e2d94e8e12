//! The totals engine: a pure function from a draft to its totals, in named
//! steps: lines → line discounts → document discount → taxes grouped by rate
//! → adjustment → total → payments → balance. Every amount is rounded once,
//! by `round_money`, at the step that produces it, so the parts always add up
//! to the whole.
//!
//! Tax-inclusive prices ([`Pricing::Gross`]): the lines, line discounts and
//! document discount are computed as entered (tax included), then each tax
//! group is split once: its net basis is `round_money(gross / (1 + rate))`
//! and its tax is `gross − net`, so every group adds up exactly and the
//! total is the sum of the entered amounts less discounts. The lines' net
//! amounts are then shared out of their group's net by largest remainder,
//! so they add up to the group's basis exactly (EN 16931 BR-CO-10, BR-S-08).
//! Lines without tax, and zero-rate lines, are net as entered.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::money::{round_money, Currency};
use crate::rates::{validate_percent, validate_rate};
use crate::tax::{Pricing, TaxMode, TaxRate};
use crate::time::SECONDS_PER_HOUR;

/// Largest quantity, rate, line amount or amount accepted (in absolute
/// value), so that the sums and products of the engine stay far from the
/// limits of `Decimal`; past them an amount is refused, never wrapped.
const LIMIT: i64 = crate::money::AMOUNT_LIMIT;

/// A discount on a line or on the whole document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Discount {
    #[default]
    None,
    /// A percentage of the amount (0–100).
    Percent(Decimal),
    /// A fixed amount in the invoice currency.
    Fixed(Decimal),
}

impl Discount {
    pub fn kind(&self) -> &'static str {
        match self {
            Discount::None => "none",
            Discount::Percent(_) => "percent",
            Discount::Fixed(_) => "fixed",
        }
    }

    pub fn value(&self) -> Option<Decimal> {
        match self {
            Discount::None => None,
            Discount::Percent(v) | Discount::Fixed(v) => Some(*v),
        }
    }

    /// Rebuilds a discount from its stored kind and value.
    pub fn from_parts(field: &str, kind: &str, value: Option<Decimal>) -> CoreResult<Discount> {
        match (kind, value) {
            ("none", _) => Ok(Discount::None),
            ("percent", Some(v)) => Ok(Discount::Percent(v)),
            ("fixed", Some(v)) => Ok(Discount::Fixed(v)),
            (k, _) => Err(CoreError::invalid(field, format!("'{k}' is not a discount"))),
        }
    }

    /// Parses "none", "10%" (percent) or "25.00" (fixed amount). A discount
    /// of nothing ("0", "0.00", "0%") is no discount.
    pub fn parse(field: &str, text: &str) -> CoreResult<Discount> {
        let t = text.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("none") {
            return Ok(Discount::None);
        }
        if let Some(p) = t.strip_suffix('%') {
            let v = validate_percent(field, crate::money::parse_decimal(field, p)?)?;
            return Ok(if v.is_zero() { Discount::None } else { Discount::Percent(v) });
        }
        let v = crate::money::parse_decimal(field, t)?;
        if v.is_sign_negative() && !v.is_zero() {
            return Err(CoreError::invalid(field, "a discount must not be negative"));
        }
        Ok(if v.is_zero() { Discount::None } else { Discount::Fixed(v) })
    }
}

impl fmt::Display for Discount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Discount::None => f.write_str("none"),
            Discount::Percent(p) => write!(f, "{p}%"),
            Discount::Fixed(a) => write!(f, "{a}"),
        }
    }
}

impl FromStr for Discount {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Discount::parse("discount", s)
    }
}

/// One line of a draft, as the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DraftLine {
    /// Units (hours, pieces…); fractional and negative (a correction) allowed.
    pub quantity: Decimal,
    /// For lines made from time: the billed seconds. When set, the amount is
    /// computed from the seconds exactly (1h20m at 150.00 is 200.00, not
    /// 1.33 × 150.00) and `quantity` is the hours shown.
    #[serde(default)]
    pub seconds: Option<i64>,
    /// Price per unit; never negative.
    pub rate: Decimal,
    #[serde(default)]
    pub discount: Discount,
    /// Inline mode only: this line's tax rate.
    #[serde(default)]
    pub tax: Option<TaxRate>,
}

/// What the totals of a document are computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Draft {
    pub currency: Currency,
    pub tax_mode: TaxMode,
    pub lines: Vec<DraftLine>,
    /// Document discount, applied to the subtotal of the lines.
    #[serde(default)]
    pub discount: Discount,
    /// Summary mode only: invoice-level tax rates, each applied to the
    /// discounted subtotal.
    #[serde(default)]
    pub taxes: Vec<TaxRate>,
    /// After tax; may be negative.
    #[serde(default)]
    pub adjustment: Decimal,
    #[serde(default)]
    pub amount_paid: Decimal,
    /// Whether the rates, discounts and adjustment entered include tax.
    #[serde(default)]
    pub pricing: Pricing,
}

/// The amounts of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LineTotals {
    /// quantity × rate, rounded.
    pub gross: Decimal,
    /// The line's own discount.
    pub discount: Decimal,
    /// gross − discount: the line amount shown on the invoice.
    pub net: Decimal,
    /// This line's share of the document discount.
    pub document_discount: Decimal,
    /// net − share of document discount: the line's tax base.
    pub taxable: Decimal,
    /// The line amount as entered, after its discount: tax included when
    /// the prices are gross; `net` otherwise.
    #[serde(default)]
    pub entered: Decimal,
    /// The line discount as entered (tax included when the prices are gross).
    #[serde(default)]
    pub entered_discount: Decimal,
}

/// One row of the tax breakdown: one per rate and category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TaxGroup {
    pub tax: TaxRate,
    pub base: Decimal,
    pub amount: Decimal,
}

/// Everything the engine computes for a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Totals {
    pub currency: Currency,
    pub lines: Vec<LineTotals>,
    /// Sum of the line amounts (after line discounts).
    pub subtotal: Decimal,
    /// The document discount.
    pub discount: Decimal,
    /// subtotal − discount.
    pub taxable: Decimal,
    pub taxes: Vec<TaxGroup>,
    pub tax_total: Decimal,
    pub adjustment: Decimal,
    /// taxable + tax_total + adjustment.
    pub total: Decimal,
    pub amount_paid: Decimal,
    /// total − amount_paid.
    pub balance_due: Decimal,
    #[serde(default)]
    pub pricing: Pricing,
    /// The sum of the line amounts as entered (tax included when the prices
    /// are gross; `subtotal` otherwise).
    #[serde(default)]
    pub entered_subtotal: Decimal,
    /// The document discount as entered (`discount` when prices are net).
    #[serde(default)]
    pub entered_discount: Decimal,
}

/// Computes the totals of a draft. Validates first; never mutates the input.
pub fn totals(draft: &Draft) -> CoreResult<Totals> {
    validate(draft)?;
    let cur = draft.currency;
    let lines = line_amounts(draft)?;
    let subtotal = sum("lines", lines.iter().map(|l| l.net))?;
    let discount = document_discount(draft, subtotal)?;
    let taxable = subtotal - discount;
    let lines = allocate_document_discount(lines, discount, subtotal, cur)?;
    let (entered_subtotal, entered_discount) = (round_money(subtotal, cur), round_money(discount, cur));
    let (lines, subtotal, discount, taxable, taxes) = match draft.pricing {
        Pricing::Net => {
            let taxes = tax_groups(draft, &lines, taxable)?;
            (lines, subtotal, discount, taxable, taxes)
        }
        Pricing::Gross => {
            let (lines, taxes) = split_gross(draft, lines)?;
            let subtotal = sum("lines", lines.iter().map(|l| l.net))?;
            let taxable = sum("lines", lines.iter().map(|l| l.taxable))?;
            (lines, subtotal, subtotal - taxable, taxable, taxes)
        }
    };
    let tax_total = sum("taxes", taxes.iter().map(|g| g.amount))?;
    let adjustment = round_money(draft.adjustment, cur);
    let total = round_money(sum("total", [taxable, tax_total, adjustment])?, cur);
    let amount_paid = round_money(draft.amount_paid, cur);
    Ok(Totals {
        currency: cur,
        lines,
        subtotal: round_money(subtotal, cur),
        discount: round_money(discount, cur),
        taxable: round_money(taxable, cur),
        taxes,
        tax_total: round_money(tax_total, cur),
        adjustment,
        total,
        amount_paid,
        balance_due: round_money(total - amount_paid, cur),
        pricing: draft.pricing,
        entered_subtotal,
        entered_discount,
    })
}

/// The net price per unit of a line, as e-invoices state it: the entered
/// rate when it is net (or the line carries no tax), else the line's net
/// amount before its discount divided by its quantity, to six decimals, so
/// that quantity × price gives the net amount (PEPPOL-EN16931-R120).
pub fn net_unit_price(line: &DraftLine, amounts: &LineTotals) -> Decimal {
    if amounts.gross == amounts.entered + amounts.entered_discount || line.quantity.is_zero() {
        return line.rate;
    }
    (amounts.gross / line.quantity)
        .round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// A sum that is refused, naming the field, rather than overflowing.
fn sum(field: &str, values: impl IntoIterator<Item = Decimal>) -> CoreResult<Decimal> {
    values.into_iter().try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v)).ok_or_else(|| too_large(field))
}

fn too_large(field: &str) -> CoreError {
    CoreError::invalid(field, format!("the amounts add up to more than {LIMIT}; split the document"))
}

fn check_bounds(field: &str, v: Decimal) -> CoreResult<()> {
    if v.abs() > Decimal::from(LIMIT) {
        return Err(CoreError::invalid(field, format!("{v} is too large")));
    }
    Ok(())
}

fn check_precision(field: &str, v: Decimal, cur: Currency) -> CoreResult<()> {
    if v.normalize().scale() > cur.minor_units() {
        return Err(CoreError::invalid(
            field,
            format!("{v} has more decimals than {} allows ({})", cur.code(), cur.minor_units()),
        ));
    }
    Ok(())
}

fn validate_discount(field: &str, d: Discount, cur: Currency) -> CoreResult<()> {
    match d {
        Discount::None => Ok(()),
        Discount::Percent(p) => validate_percent(field, p).map(|_| ()),
        Discount::Fixed(a) => {
            if a.is_sign_negative() && !a.is_zero() {
                return Err(CoreError::invalid(field, "a discount must not be negative"));
            }
            check_bounds(field, a)?;
            check_precision(field, a, cur)
        }
    }
}

fn validate(draft: &Draft) -> CoreResult<()> {
    let cur = draft.currency;
    for (i, line) in draft.lines.iter().enumerate() {
        let f = |name: &str| format!("lines[{}].{name}", i + 1);
        check_bounds(&f("quantity"), line.quantity)?;
        validate_rate(&f("rate"), line.rate)?;
        check_bounds(&f("rate"), line.rate)?;
        if let Some(s) = line.seconds {
            if s.abs() > 10_000 * SECONDS_PER_HOUR * 100 {
                return Err(CoreError::invalid(&f("hours"), "is too large"));
            }
        }
        let gross = gross(line, cur).filter(|g| g.abs() <= Decimal::from(LIMIT)).ok_or_else(|| {
            CoreError::invalid(
                &f(if line.seconds.is_some() { "hours" } else { "quantity" }),
                format!("the line comes to more than {LIMIT} {}; split it", cur.code()),
            )
        })?;
        validate_discount(&f("discount"), line.discount, cur)?;
        if let Discount::Fixed(d) = line.discount {
            if !d.is_zero() && (gross.is_sign_negative() || d > gross) {
                return Err(CoreError::invalid(
                    &f("discount"),
                    format!("a fixed discount of {d} is more than the line amount {gross}"),
                ));
            }
        }
        match (&line.tax, draft.tax_mode) {
            (Some(_), TaxMode::Summary) => {
                return Err(CoreError::invalid(
                    &f("tax"),
                    "this invoice uses summary taxes; switch it to inline mode to tax lines one by one",
                ))
            }
            (Some(t), TaxMode::Inline) => {
                validate_percent(&f("tax"), t.percent)?;
            }
            (None, _) => {}
        }
    }
    validate_discount("discount", draft.discount, cur)?;
    if draft.tax_mode == TaxMode::Inline && !draft.taxes.is_empty() {
        return Err(CoreError::invalid(
            "taxes",
            "this invoice uses inline taxes (a rate per line); invoice-level taxes apply in summary mode",
        ));
    }
    for (i, t) in draft.taxes.iter().enumerate() {
        validate_percent("taxes", t.percent)?;
        if draft.taxes[..i].iter().any(|o| o.same_group(t)) {
            return Err(CoreError::invalid("taxes", format!("{} is applied twice", t.name)));
        }
    }
    check_bounds("adjustment", draft.adjustment)?;
    check_precision("adjustment", draft.adjustment, cur)?;
    check_bounds("amount_paid", draft.amount_paid)?;
    Ok(())
}

/// quantity × rate (or seconds × rate / 3600), rounded; None when it does
/// not fit in a `Decimal`.
fn gross(line: &DraftLine, cur: Currency) -> Option<Decimal> {
    let exact = match line.seconds {
        Some(s) => Decimal::from(s).checked_mul(line.rate)? / Decimal::from(SECONDS_PER_HOUR),
        None => line.quantity.checked_mul(line.rate)?,
    };
    Some(round_money(exact, cur))
}

/// Step 1 and 2: line amounts and line discounts.
fn line_amounts(draft: &Draft) -> CoreResult<Vec<LineTotals>> {
    let cur = draft.currency;
    draft
        .lines
        .iter()
        .map(|line| {
            let gross = gross(line, cur).ok_or_else(|| too_large("lines"))?;
            let discount = match line.discount {
                Discount::None => Decimal::ZERO,
                Discount::Percent(p) => round_money(gross * p / Decimal::ONE_HUNDRED, cur),
                Discount::Fixed(d) => round_money(d, cur),
            };
            let net = round_money(gross - discount, cur);
            Ok(LineTotals {
                gross,
                discount: round_money(discount, cur),
                net,
                document_discount: round_money(Decimal::ZERO, cur),
                taxable: net,
                entered: net,
                entered_discount: round_money(discount, cur),
            })
        })
        .collect()
}

/// Step 3: the document discount.
fn document_discount(draft: &Draft, subtotal: Decimal) -> CoreResult<Decimal> {
    let cur = draft.currency;
    match draft.discount {
        Discount::None => Ok(Decimal::ZERO),
        Discount::Percent(p) => Ok(round_money(subtotal * p / Decimal::ONE_HUNDRED, cur)),
        Discount::Fixed(d) => {
            if d > subtotal.max(Decimal::ZERO) {
                return Err(CoreError::invalid(
                    "discount",
                    format!("a discount of {d} is more than the subtotal {}", round_money(subtotal, cur)),
                ));
            }
            Ok(round_money(d, cur))
        }
    }
}

/// Shares the document discount out over the lines in proportion to their
/// amounts (largest remainder, in minor units), so each tax group has an
/// exact base and the shares add up to the discount exactly.
fn allocate_document_discount(
    mut lines: Vec<LineTotals>,
    discount: Decimal,
    subtotal: Decimal,
    cur: Currency,
) -> CoreResult<Vec<LineTotals>> {
    if discount.is_zero() || subtotal.is_zero() || lines.is_empty() {
        return Ok(lines);
    }
    let unit = Decimal::new(1, cur.minor_units());
    // discount × net / subtotal; when the product does not fit, the share of
    // the subtotal first (then the last digits may differ, and the largest
    // remainders below still make the shares add up exactly).
    let share = |net: Decimal| {
        discount
            .checked_mul(net)
            .and_then(|p| p.checked_div(subtotal))
            .or_else(|| net.checked_div(subtotal).and_then(|r| r.checked_mul(discount)))
            .ok_or_else(|| too_large("discount"))
    };
    let exact: Vec<Decimal> = lines.iter().map(|l| share(l.net)).collect::<CoreResult<_>>()?;
    let mut shares: Vec<Decimal> = exact
        .iter()
        .map(|e| e.round_dp_with_strategy(cur.minor_units(), rust_decimal::RoundingStrategy::ToZero))
        .collect();
    let mut residual = discount - shares.iter().copied().sum::<Decimal>();
    // Hand out the remaining minor units to the largest remainders first.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    let negative = residual.is_sign_negative();
    let step = if negative { -unit } else { unit };
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - shares[a], exact[b] - shares[b]);
        let (ra, rb) = if negative { (-ra, -rb) } else { (ra, rb) };
        rb.cmp(&ra).then(a.cmp(&b))
    });
    let mut i = 0;
    while !residual.is_zero() {
        shares[order[i % order.len()]] += step;
        residual -= step;
        i += 1;
    }
    for (line, share) in lines.iter_mut().zip(shares) {
        line.document_discount = round_money(share, cur);
        line.taxable = round_money(line.net - share, cur);
    }
    Ok(lines)
}

/// Step 4: taxes, one group per rate, each rounded once.
fn tax_groups(draft: &Draft, lines: &[LineTotals], taxable: Decimal) -> CoreResult<Vec<TaxGroup>> {
    let cur = draft.currency;
    let mut groups: Vec<TaxGroup> = Vec::new();
    match draft.tax_mode {
        TaxMode::Summary => {
            for tax in &draft.taxes {
                groups.push(TaxGroup { tax: tax.clone(), base: taxable, amount: Decimal::ZERO });
            }
        }
        TaxMode::Inline => {
            for (line, amounts) in draft.lines.iter().zip(lines) {
                let Some(tax) = &line.tax else { continue };
                match groups.iter_mut().find(|g| g.tax.same_group(tax)) {
                    Some(g) => g.base = sum("taxes", [g.base, amounts.taxable])?,
                    None => groups.push(TaxGroup { tax: tax.clone(), base: amounts.taxable, amount: Decimal::ZERO }),
                }
            }
        }
    }
    for g in &mut groups {
        g.base = round_money(g.base, cur);
        let amount = g.base.checked_mul(g.tax.percent).ok_or_else(|| too_large("taxes"))?;
        g.amount = round_money(amount / Decimal::ONE_HUNDRED, cur);
    }
    Ok(groups)
}

/// Step 4 of tax-inclusive prices: splits each tax group's entered (gross)
/// amounts into net and tax, once per group, and shares the group's net out
/// over its lines.
///
/// The rounding rule, per group of rate `r` (in summary mode one group whose
/// rate is the sum of the invoice's rates):
/// - `basis = round_money(Σ line taxable (gross) / (1 + r))`,
///   `tax = Σ line taxable (gross) − basis` — the group adds up exactly;
/// - the lines' amounts after their discounts are netted the same way
///   (`round_money(Σ gross / (1 + r))`) and that sum is shared out over the
///   lines by largest remainder of `gross / (1 + r)` (ties to the earlier
///   line), as are the bases; a line's net document-discount share is its
///   net amount less its net basis, its net line discount
///   `round_money(entered discount / (1 + r))`;
/// - several summary rates: each tax but the last is `round_money(basis ×
///   rate)`, the last takes what is left of the group's tax.
///
/// Lines without tax (and zero rates) keep their entered amounts.
fn split_gross(draft: &Draft, mut lines: Vec<LineTotals>) -> CoreResult<(Vec<LineTotals>, Vec<TaxGroup>)> {
    let cur = draft.currency;
    // (taxes of the group, combined percent, its lines)
    let mut buckets: Vec<(Vec<TaxRate>, Decimal, Vec<usize>)> = Vec::new();
    match draft.tax_mode {
        TaxMode::Summary => {
            if !draft.taxes.is_empty() {
                let percent = sum("taxes", draft.taxes.iter().map(|t| t.percent))?;
                buckets.push((draft.taxes.clone(), percent, (0..lines.len()).collect()));
            }
        }
        TaxMode::Inline => {
            for (i, line) in draft.lines.iter().enumerate() {
                let Some(tax) = &line.tax else { continue };
                match buckets.iter_mut().find(|b| b.0[0].same_group(tax)) {
                    Some(b) => b.2.push(i),
                    None => buckets.push((vec![tax.clone()], tax.percent, vec![i])),
                }
            }
        }
    }
    let mut groups = Vec::new();
    for (taxes, percent, members) in buckets {
        let divisor = Decimal::ONE + percent / Decimal::ONE_HUNDRED;
        let net_of = |gross: Decimal| gross.checked_div(divisor).ok_or_else(|| too_large("taxes"));
        let gross_amounts: Vec<Decimal> = members.iter().map(|&i| lines[i].net).collect();
        let gross_bases: Vec<Decimal> = members.iter().map(|&i| lines[i].taxable).collect();
        let group_gross = sum("taxes", gross_bases.iter().copied())?;
        let amounts_net = round_money(net_of(sum("lines", gross_amounts.iter().copied())?)?, cur);
        let basis = round_money(net_of(group_gross)?, cur);
        let nets = largest_remainder(
            amounts_net,
            &gross_amounts.iter().map(|&g| net_of(g)).collect::<CoreResult<Vec<_>>>()?,
            cur,
        );
        let bases =
            largest_remainder(basis, &gross_bases.iter().map(|&g| net_of(g)).collect::<CoreResult<Vec<_>>>()?, cur);
        for ((&i, net), base) in members.iter().zip(nets).zip(bases) {
            let l = &mut lines[i];
            let discount = round_money(net_of(l.entered_discount)?, cur);
            l.net = round_money(net, cur);
            l.discount = discount;
            l.gross = round_money(l.net + discount, cur);
            l.taxable = round_money(base, cur);
            l.document_discount = round_money(l.net - l.taxable, cur);
        }
        let tax = round_money(group_gross - basis, cur);
        let mut left = tax;
        let count = taxes.len();
        for (n, t) in taxes.into_iter().enumerate() {
            let amount = if n + 1 == count {
                left
            } else {
                let a = basis.checked_mul(t.percent).ok_or_else(|| too_large("taxes"))?;
                round_money(a / Decimal::ONE_HUNDRED, cur)
            };
            left -= amount;
            groups.push(TaxGroup { tax: t, base: basis, amount: round_money(amount, cur) });
        }
    }
    Ok((lines, groups))
}

/// Shares `total` (already at the currency's scale) out in minor units
/// following the exact amounts `exact`: each gets its amount truncated, and
/// the units left go to the largest remainders first (ties to the earlier
/// one), so the shares add up to `total` exactly.
fn largest_remainder(total: Decimal, exact: &[Decimal], cur: Currency) -> Vec<Decimal> {
    if exact.is_empty() {
        return Vec::new();
    }
    let unit = Decimal::new(1, cur.minor_units());
    let mut shares: Vec<Decimal> = exact
        .iter()
        .map(|e| e.round_dp_with_strategy(cur.minor_units(), rust_decimal::RoundingStrategy::ToZero))
        .collect();
    let mut residual = total - shares.iter().copied().sum::<Decimal>();
    let negative = residual.is_sign_negative();
    let step = if negative { -unit } else { unit };
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - shares[a], exact[b] - shares[b]);
        let (ra, rb) = if negative { (-ra, -rb) } else { (ra, rb) };
        rb.cmp(&ra).then(a.cmp(&b))
    });
    let mut i = 0;
    while !residual.is_zero() {
        shares[order[i % order.len()]] += step;
        residual -= step;
        i += 1;
    }
    shares
}
