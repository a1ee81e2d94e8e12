//! The invoice in EN 16931 terms, shared by the CII and UBL writers: each
//! line's VAT category, the document-level allowances and charges, the VAT
//! breakdown (BG-23) and the document totals (BT-106 … BT-115).
//!
//! Nothing here recomputes money. The totals engine already shared the
//! document discount out over the lines and grouped the tax; this module only
//! regroups those amounts the way EN 16931 lays them out:
//! - a VAT group's document-discount share is the sum of its lines' amounts
//!   minus the group's taxable basis, written as one document-level
//!   allowance per VAT category;
//! - the adjustment (after tax in Billable, so it carries no VAT) is, when
//!   smaller than one unit of the currency, the rounding amount (BT-114);
//!   else, when every line is in one untaxed category (exempt, reverse
//!   charge, outside the scope…), a document-level charge or allowance in
//!   that category. A larger adjustment of taxed lines has no place in
//!   EN 16931, whose allowances and charges are all taxed: [`adjustment`]
//!   says so and `check` refuses it (give it as a discount or a line).

use billable_core::money::round_money;
use billable_core::tax::TaxCategory;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::document::{DocLine, InvoiceDocument, LineTax, Party, TaxBreakdown};

/// A VAT category with its rate (and, where the category carries one, the
/// exemption reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Category {
    pub code: TaxCategory,
    pub percent: Decimal,
    pub exemption_reason: Option<String>,
}

impl Category {
    fn new(code: TaxCategory, percent: Decimal, reason: &Option<String>) -> Category {
        let exemption_reason = if carries_exemption(code) {
            reason.as_ref().map(|r| r.trim().to_string()).filter(|r| !r.is_empty())
        } else {
            None
        };
        Category { code, percent: percent.normalize(), exemption_reason }
    }

    pub fn from_line(tax: &LineTax) -> Category {
        Category::new(tax.category, tax.percent, &tax.exemption_reason)
    }

    pub fn from_breakdown(tax: &TaxBreakdown) -> Category {
        Category::new(tax.category, tax.percent, &tax.exemption_reason)
    }

    /// BT-151 / BT-118 code.
    pub fn code(&self) -> &'static str {
        self.code.code()
    }

    /// BT-152 / BT-119: absent for "not subject to VAT" (BR-O-05, BR-O-09).
    pub fn percent_text(&self) -> Option<String> {
        (self.code != TaxCategory::O).then(|| self.percent.to_string())
    }

    /// BT-119, the rate of a VAT breakdown: stated for every category, 0 for
    /// "not subject to VAT" (EN 16931 leaves it out of the lines only,
    /// BR-O-05; XRechnung and Peppol's German rules want it in the
    /// breakdown, BR-DE-14 and DE-R-014).
    pub fn breakdown_percent_text(&self) -> String {
        self.percent.to_string()
    }

    /// BT-121: the VATEX code for the categories that have one.
    pub fn exemption_code(&self) -> Option<&'static str> {
        match self.code {
            TaxCategory::AE => Some("VATEX-EU-AE"),
            TaxCategory::K => Some("VATEX-EU-IC"),
            TaxCategory::G => Some("VATEX-EU-G"),
            TaxCategory::O => Some("VATEX-EU-O"),
            _ => None,
        }
    }
}

/// Categories whose breakdown states why no VAT is charged (BT-120/BT-121);
/// S and Z must not (BR-S-10, BR-Z-10).
fn carries_exemption(code: TaxCategory) -> bool {
    matches!(code, TaxCategory::E | TaxCategory::AE | TaxCategory::K | TaxCategory::G | TaxCategory::O)
}

/// One invoice line (BG-25).
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    pub doc: &'a DocLine,
    /// BT-129: the quantity, precise enough that quantity × price gives the
    /// engine's amount for lines billed from exact seconds.
    pub quantity: Decimal,
    pub category: Category,
    /// The line discount's percent (BT-138), where it gives the discount's
    /// amount (see [`stated_percent`]).
    pub discount_percent: Option<Decimal>,
}

/// A document-level allowance (BG-20) or charge (BG-21).
#[derive(Debug, Clone)]
pub(crate) struct AllowanceCharge {
    pub charge: bool,
    pub amount: Decimal,
    pub base: Option<Decimal>,
    pub percent: Option<Decimal>,
    /// UNTDID 5189 (allowances) reason code.
    pub reason_code: Option<&'static str>,
    pub reason: String,
    pub category: Category,
}

/// One VAT breakdown row (BG-23).
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub category: Category,
    pub basis: Decimal,
    pub amount: Decimal,
}

/// The document totals (BG-22).
#[derive(Debug, Clone)]
pub(crate) struct Totals {
    pub line_total: Decimal,
    pub allowance_total: Decimal,
    pub charge_total: Decimal,
    pub tax_exclusive: Decimal,
    pub tax_total: Decimal,
    pub tax_inclusive: Decimal,
    pub prepaid: Decimal,
    /// BT-114: an after-tax adjustment smaller than one currency unit.
    pub rounding: Decimal,
    pub payable: Decimal,
}

/// Where an after-tax adjustment goes in EN 16931 terms.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AdjustmentSlot {
    /// BT-114, the rounding amount.
    Rounding(Decimal),
    /// A document-level charge or allowance in this untaxed category.
    Untaxed(Category, Decimal),
    /// A larger adjustment of taxed lines: no place for it.
    Impossible(Decimal),
}

/// The adjustment of `doc`, rounded to the currency, and where it goes.
pub(crate) fn adjustment(doc: &InvoiceDocument) -> Option<AdjustmentSlot> {
    let amount = round_money(doc.adjustment.as_ref()?.1, doc.currency);
    if amount.is_zero() {
        return None;
    }
    if amount.abs() < Decimal::ONE {
        return Some(AdjustmentSlot::Rounding(amount));
    }
    let mut categories = doc
        .lines
        .iter()
        .filter_map(|l| l.tax.as_ref().map(Category::from_line))
        .chain(doc.taxes.iter().map(Category::from_breakdown));
    let first = categories.next();
    let slot = match first {
        Some(c) if c.percent.is_zero() && categories.all(|o| same_category(&o, &c)) => {
            AdjustmentSlot::Untaxed(c, amount)
        }
        _ => AdjustmentSlot::Impossible(amount),
    };
    Some(slot)
}

#[derive(Debug, Clone)]
pub(crate) struct Semantic<'a> {
    pub doc: &'a InvoiceDocument,
    pub lines: Vec<Line<'a>>,
    pub allowances_charges: Vec<AllowanceCharge>,
    pub groups: Vec<Group>,
    pub totals: Totals,
    /// BG-14: first and last day of the time billed, when lines came from time.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// BT-72 when there is no period: the issue date (BR-IC-11 for
    /// intra-community supplies; XRechnung's BR-DE-TMP-32 for every invoice).
    pub delivery_date: Option<NaiveDate>,
    /// BT-80, for intra-community supplies (BR-IC-12).
    pub deliver_to_country: Option<String>,
}

impl<'a> Semantic<'a> {
    /// Lays the document out. Expects [`super::check`] to have passed (every
    /// line has a tax).
    pub fn new(doc: &'a InvoiceDocument) -> Semantic<'a> {
        let cur = doc.currency;
        let lines: Vec<Line<'a>> = doc
            .lines
            .iter()
            .map(|l| Line {
                doc: l,
                quantity: billed_quantity(l, doc),
                category: l.tax.as_ref().map(Category::from_line).unwrap_or(Category {
                    code: TaxCategory::S,
                    percent: Decimal::ZERO,
                    exemption_reason: None,
                }),
                discount_percent: l.discount.as_ref().and_then(|d| stated_percent(d.percent, l.gross, d.amount)),
            })
            .collect();

        // VAT groups as the engine computed them, merged per category and rate.
        let mut groups: Vec<Group> = Vec::new();
        for t in &doc.taxes {
            let category = Category::from_breakdown(t);
            match groups.iter_mut().find(|g| same_category(&g.category, &category)) {
                Some(g) => {
                    g.basis += t.basis;
                    g.amount += t.amount;
                }
                None => groups.push(Group { category, basis: t.basis, amount: t.amount }),
            }
        }
        for g in &mut groups {
            let from_taxes = doc.taxes.iter().map(Category::from_breakdown);
            let from_lines = lines.iter().map(|l| l.category.clone());
            let same: Vec<Category> = from_taxes.chain(from_lines).filter(|c| same_category(c, &g.category)).collect();
            g.category.exemption_reason = merged_reason(same.into_iter().map(|c| c.exemption_reason));
        }

        // The document discount, per VAT group.
        let mut allowances_charges = Vec::new();
        let mut discount_parts = Vec::new();
        for g in &groups {
            let net: Decimal =
                lines.iter().filter(|l| same_category(&l.category, &g.category)).map(|l| l.doc.net_amount).sum();
            let share = round_money(net - g.basis, cur);
            if !share.is_zero() {
                discount_parts.push((g.category.clone(), share, net));
            }
        }
        let label = doc.discount.as_ref().map(|d| d.label.trim().to_string()).filter(|l| !l.is_empty());
        let single = discount_parts.len() == 1;
        for (category, share, net) in discount_parts {
            let percent = doc.discount.as_ref().and_then(|d| d.percent).filter(|_| single && share.is_sign_positive());
            let percent = stated_percent(percent, round_money(net, cur), share);
            allowances_charges.push(AllowanceCharge {
                charge: share.is_sign_negative(),
                amount: share.abs(),
                base: percent.map(|_| round_money(net, cur)),
                percent,
                reason_code: share.is_sign_positive().then_some("95"),
                reason: label.clone().unwrap_or_else(|| "Discount".to_string()),
                category,
            });
        }

        // The adjustment: the rounding amount, or a charge or allowance in
        // the lines' untaxed category (`check` refused any other).
        let mut rounding = Decimal::ZERO;
        match adjustment(doc) {
            Some(AdjustmentSlot::Rounding(amount)) => rounding = amount,
            Some(AdjustmentSlot::Untaxed(mut category, amount)) => {
                match groups.iter_mut().find(|g| same_category(&g.category, &category)) {
                    Some(g) => {
                        g.basis += amount;
                        category = g.category.clone();
                    }
                    None => groups.push(Group { category: category.clone(), basis: amount, amount: Decimal::ZERO }),
                }
                let reason = doc.adjustment.as_ref().map(|a| a.0.trim()).unwrap_or_default();
                allowances_charges.push(AllowanceCharge {
                    charge: amount.is_sign_positive(),
                    amount: amount.abs(),
                    base: None,
                    percent: None,
                    reason_code: None,
                    reason: if reason.is_empty() { "Adjustment".to_string() } else { reason.to_string() },
                    category,
                });
            }
            Some(AdjustmentSlot::Impossible(_)) | None => {}
        }
        for g in &mut groups {
            g.basis = round_money(g.basis, cur);
            g.amount = round_money(g.amount, cur);
        }

        let line_total = round_money(lines.iter().map(|l| l.doc.net_amount).sum(), cur);
        let allowance_total = round_money(allowances_charges.iter().filter(|a| !a.charge).map(|a| a.amount).sum(), cur);
        let charge_total = round_money(allowances_charges.iter().filter(|a| a.charge).map(|a| a.amount).sum(), cur);
        let tax_exclusive = round_money(line_total - allowance_total + charge_total, cur);
        let tax_total = round_money(doc.tax_total, cur);
        let totals = Totals {
            line_total,
            allowance_total,
            charge_total,
            tax_exclusive,
            tax_total,
            tax_inclusive: round_money(tax_exclusive + tax_total, cur),
            prepaid: round_money(doc.prepaid(), cur),
            rounding,
            payable: round_money(doc.balance_due, cur),
        };

        let dates = doc.lines.iter().flat_map(|l| l.time_entries.iter().map(|e| e.date));
        let period = dates.clone().min().zip(dates.max());
        let intra_community = lines.iter().any(|l| l.category.code == TaxCategory::K);
        Semantic {
            doc,
            lines,
            allowances_charges,
            groups,
            totals,
            period,
            delivery_date: period.is_none().then_some(doc.issue_date),
            deliver_to_country: intra_community.then(|| doc.buyer.country_code.trim().to_ascii_uppercase()),
        }
    }

    /// An amount in the invoice currency's precision, e.g. `1250.00`, `1250` (JPY).
    pub fn amount(&self, value: Decimal) -> String {
        round_money(value, self.doc.currency).to_string()
    }

    pub fn currency(&self) -> &'static str {
        self.doc.currency.code()
    }

    /// Whether VAT identifiers may be stated: not on invoices "not subject
    /// to VAT" (BR-O-02 … BR-O-04).
    pub fn states_vat_ids(&self) -> bool {
        !self.groups.iter().any(|g| g.category.code == TaxCategory::O)
    }

    /// BT-29, the seller identifier, when the VAT identifier is not stated
    /// (BR-CO-26): the tax number, else the VAT number.
    pub fn seller_identifier(&self) -> Option<&str> {
        let seller = &self.doc.seller;
        if self.states_vat_ids() && !seller.vat_id.trim().is_empty() {
            return None;
        }
        [seller.tax_registration.trim(), seller.vat_id.trim()].into_iter().find(|s| !s.is_empty())
    }

    /// BT-41 / BT-56, the contact point's name: the person set on the party,
    /// else, for the seller, the business itself; the seller's contact
    /// always carries a name (BR-DE-5, DE-R-005), one rule for CII and UBL.
    pub fn contact_name<'p>(&self, p: &'p Party, seller: bool) -> &'p str {
        if p.contact.trim().is_empty() && seller {
            p.name.as_str()
        } else {
            p.contact.as_str()
        }
    }

    /// BT-81: SEPA credit transfer (58) for euro invoices, else credit transfer (30).
    pub fn payment_means_code(&self) -> &'static str {
        if self.doc.currency.code() == "EUR" {
            "58"
        } else {
            "30"
        }
    }
}

/// One VAT breakdown per category and rate (BR-AE-08, BR-E-08…): rates that
/// differ only by name or exemption wording fall together.
fn same_category(a: &Category, b: &Category) -> bool {
    a.code == b.code && a.percent == b.percent
}

/// The exemption reasons of a category's lines and taxes, each once, joined.
fn merged_reason(reasons: impl Iterator<Item = Option<String>>) -> Option<String> {
    let mut all: Vec<String> = Vec::new();
    for r in reasons.flatten() {
        if !all.contains(&r) {
            all.push(r);
        }
    }
    (!all.is_empty()).then(|| all.join("; "))
}

/// A discount's percent, stated beside its base only where base × percent
/// ÷ 100 gives its amount within 0.02 (PEPPOL-EN16931-R040): a
/// discount rounded to the currency's unit (15 % of 14,997 JPY is 2,250) is
/// stated as its amount alone.
pub(crate) fn stated_percent(percent: Option<Decimal>, base: Decimal, amount: Decimal) -> Option<Decimal> {
    percent.filter(|p| (base * p / Decimal::ONE_HUNDRED - amount).abs() <= Decimal::new(2, 2)).map(|p| p.normalize())
}

/// The quantity to state so that quantity × price is the engine's amount.
/// Lines billed from time carry hours rounded for display; their amount came
/// from the exact seconds, so the stated quantity is the amount ÷ rate to six
/// decimals (an hour to the 3.6 ms).
pub(crate) fn billed_quantity(line: &DocLine, doc: &InvoiceDocument) -> Decimal {
    let q = line.quantity;
    if line.rate.is_zero() || round_money(q * line.rate, doc.currency) == line.gross {
        return q.normalize();
    }
    (line.gross / line.rate).round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero).normalize()
}
