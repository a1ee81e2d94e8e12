//! Shared pieces of Billable's fuzz targets.
//!
//! Structured targets (the totals engine) read their input through
//! [`arbitrary::Unstructured`]: a byte is a choice, integers are little-endian,
//! a list is "a byte with its low bit set, then an element", repeated. The
//! [`Encoder`] writes the same layout, so the seed corpus is made from the
//! drafts of the test suite (see the `seeds` binary), and a round-trip test
//! proves that decoding a seed gives back the draft it was made from.
//!
//! Text targets take the fuzz input as UTF-8 text; targets that need several
//! fields read one field per line.

use arbitrary::{Result, Unstructured};
use billable_core::money::Currency;
use billable_core::tax::{TaxCategory, TaxMode, TaxRate};
use billable_core::totals::{Discount, Draft, DraftLine};
use rust_decimal::Decimal;

/// The currencies the totals engine is fuzzed in: every number of minor
/// units ISO 4217 has (0, 2, 3 and 4).
pub const CURRENCIES: [&str; 10] = ["EUR", "USD", "JPY", "BHD", "KWD", "CLF", "GBP", "CHF", "ISK", "UYW"];

/// Tax names; the engine groups taxes by name, percent and category.
pub const TAX_NAMES: [&str; 8] =
    ["VAT", "VAT 20%", "VAT 7%", "VAT 19%", "Levy 2.5%", "Consumption tax", "GST", "Sales tax"];

pub const CATEGORIES: [TaxCategory; 7] =
    [TaxCategory::S, TaxCategory::Z, TaxCategory::E, TaxCategory::AE, TaxCategory::K, TaxCategory::G, TaxCategory::O];

/// At most this many lines or taxes per draft (enough to overflow a sum of
/// the largest accepted amounts).
pub const MAX_ITEMS: usize = 256;

fn pick<T: Copy>(u: &mut Unstructured<'_>, from: &[T]) -> Result<T> {
    let i: u8 = u.arbitrary()?;
    Ok(from[usize::from(i) % from.len()])
}

/// A decimal: a small number with a few decimals (what people type), a
/// 64-bit mantissa at any scale, or any decimal at all (up to ±7.9·10²⁸).
pub fn decimal(u: &mut Unstructured<'_>) -> Result<Decimal> {
    let tag: u8 = u.arbitrary()?;
    Ok(match tag % 3 {
        0 => {
            let m: i32 = u.arbitrary()?;
            let s: u8 = u.arbitrary()?;
            Decimal::new(i64::from(m), u32::from(s % 7))
        }
        1 => {
            let m: i64 = u.arbitrary()?;
            let s: u8 = u.arbitrary()?;
            Decimal::new(m, u32::from(s % 29))
        }
        _ => {
            let lo: u32 = u.arbitrary()?;
            let mid: u32 = u.arbitrary()?;
            let hi: u32 = u.arbitrary()?;
            let neg: bool = u.arbitrary()?;
            let s: u8 = u.arbitrary()?;
            Decimal::from_parts(lo, mid, hi, neg, u32::from(s % 29))
        }
    })
}

fn discount(u: &mut Unstructured<'_>) -> Result<Discount> {
    let tag: u8 = u.arbitrary()?;
    Ok(match tag % 3 {
        0 => Discount::None,
        1 => Discount::Percent(decimal(u)?),
        _ => Discount::Fixed(decimal(u)?),
    })
}

fn tax(u: &mut Unstructured<'_>) -> Result<TaxRate> {
    let name = pick(u, &TAX_NAMES)?.to_string();
    let percent = decimal(u)?;
    let category = pick(u, &CATEGORIES)?;
    let reason: bool = u.arbitrary()?;
    Ok(TaxRate { name, percent, category, exemption_reason: reason.then(|| "Exempt under article 132".to_string()) })
}

fn line(u: &mut Unstructured<'_>) -> Result<DraftLine> {
    let quantity = decimal(u)?;
    let has_seconds: bool = u.arbitrary()?;
    let seconds = if has_seconds { Some(u.arbitrary::<i64>()?) } else { None };
    let rate = decimal(u)?;
    let discount = discount(u)?;
    let has_tax: bool = u.arbitrary()?;
    let tax = if has_tax { Some(tax(u)?) } else { None };
    Ok(DraftLine { quantity, seconds, rate, discount, tax })
}

fn list<T>(u: &mut Unstructured<'_>, mut item: impl FnMut(&mut Unstructured<'_>) -> Result<T>) -> Result<Vec<T>> {
    let mut out = Vec::new();
    while out.len() < MAX_ITEMS && u.arbitrary::<bool>()? {
        out.push(item(u)?);
    }
    Ok(out)
}

/// A draft for the totals engine.
pub fn draft(u: &mut Unstructured<'_>) -> Result<Draft> {
    let code = pick(u, &CURRENCIES)?;
    let currency = Currency::parse(code).map_err(|_| arbitrary::Error::IncorrectFormat)?;
    let inline: bool = u.arbitrary()?;
    let tax_mode = if inline { TaxMode::Inline } else { TaxMode::Summary };
    let lines = list(u, line)?;
    let discount = discount(u)?;
    let taxes = list(u, tax)?;
    let adjustment = decimal(u)?;
    let amount_paid = decimal(u)?;
    // Net prices: the target's checks are those of net drafts; tax-inclusive
    // prices are covered by the core's property tests.
    Ok(Draft { currency, tax_mode, lines, discount, taxes, adjustment, amount_paid, pricing: Default::default() })
}

/// Writes values in the layout the decoders above read.
#[derive(Debug, Default)]
pub struct Encoder {
    pub bytes: Vec<u8>,
}

impl Encoder {
    fn byte(&mut self, b: u8) {
        self.bytes.push(b);
    }

    fn index_of<T: PartialEq>(from: &[T], v: &T) -> u8 {
        let i = from.iter().position(|x| x == v).expect("a value the decoder can produce");
        u8::try_from(i).expect("small table")
    }

    pub fn decimal(&mut self, d: Decimal) {
        let m = d.mantissa();
        match i64::try_from(m) {
            Ok(m) => {
                self.byte(1);
                self.bytes.extend_from_slice(&m.to_le_bytes());
                self.byte(u8::try_from(d.scale()).expect("scale ≤ 28"));
            }
            Err(_) => {
                // `serialize` gives flags, then lo, mid and hi, little-endian.
                let raw = d.serialize();
                self.byte(2);
                self.bytes.extend_from_slice(&raw[4..16]);
                self.byte(u8::from(d.is_sign_negative()));
                self.byte(u8::try_from(d.scale()).expect("scale ≤ 28"));
            }
        }
    }

    fn discount(&mut self, d: Discount) {
        match d {
            Discount::None => self.byte(0),
            Discount::Percent(p) => {
                self.byte(1);
                self.decimal(p);
            }
            Discount::Fixed(a) => {
                self.byte(2);
                self.decimal(a);
            }
        }
    }

    fn tax(&mut self, t: &TaxRate) {
        self.byte(Self::index_of(&TAX_NAMES, &t.name.as_str()));
        self.decimal(t.percent);
        self.byte(Self::index_of(&CATEGORIES, &t.category));
        self.byte(u8::from(t.exemption_reason.is_some()));
    }

    fn line(&mut self, l: &DraftLine) {
        self.decimal(l.quantity);
        match l.seconds {
            Some(s) => {
                self.byte(1);
                self.bytes.extend_from_slice(&s.to_le_bytes());
            }
            None => self.byte(0),
        }
        self.decimal(l.rate);
        self.discount(l.discount);
        match &l.tax {
            Some(t) => {
                self.byte(1);
                self.tax(t);
            }
            None => self.byte(0),
        }
    }

    /// A draft; tax exemption reasons are not encoded (only whether there
    /// is one).
    pub fn draft(&mut self, d: &Draft) {
        self.byte(Self::index_of(&CURRENCIES, &d.currency.code()));
        self.byte(u8::from(d.tax_mode == TaxMode::Inline));
        for l in &d.lines {
            self.byte(1);
            self.line(l);
        }
        self.byte(0);
        self.discount(d.discount);
        for t in &d.taxes {
            self.byte(1);
            self.tax(t);
        }
        self.byte(0);
        self.decimal(d.adjustment);
        self.decimal(d.amount_paid);
    }
}

/// The fuzz input as text, split into its lines (one field per line).
pub fn fields(data: &[u8]) -> Option<Vec<&str>> {
    let text = std::str::from_utf8(data).ok()?;
    Some(text.split('\n').collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn decode(bytes: &[u8]) -> Draft {
        draft(&mut Unstructured::new(bytes)).unwrap()
    }

    #[test]
    fn an_encoded_draft_decodes_to_itself() {
        let eur = Currency::parse("EUR").unwrap();
        let vat = TaxRate::new("VAT", dec!(20), TaxCategory::S, None).unwrap();
        let exempt = TaxRate::new("GST", dec!(0), TaxCategory::E, Some("Exempt under article 132".into())).unwrap();
        let d = Draft {
            currency: eur,
            tax_mode: TaxMode::Inline,
            lines: vec![
                DraftLine {
                    quantity: dec!(1.333),
                    seconds: Some(4800),
                    rate: dec!(150.00),
                    discount: Discount::Percent(dec!(10)),
                    tax: Some(vat),
                },
                DraftLine {
                    quantity: dec!(-2),
                    seconds: None,
                    rate: Decimal::MAX,
                    discount: Discount::Fixed(dec!(0.01)),
                    tax: Some(exempt),
                },
            ],
            discount: Discount::Fixed(dec!(12.5)),
            taxes: vec![],
            adjustment: Decimal::MIN,
            amount_paid: dec!(0),
            pricing: Default::default(),
        };
        let mut e = Encoder::default();
        e.draft(&d);
        assert_eq!(decode(&e.bytes), d);
    }
}
