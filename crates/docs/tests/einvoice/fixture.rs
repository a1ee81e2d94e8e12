//! Invoices for the e-invoice tests, with every amount computed by the real
//! totals engine (`billable_core::totals::totals`), laid out as the app lays
//! out an `InvoiceDocument`.

use std::path::{Path, PathBuf};
use std::process::Command;

use billable_core::money::Currency;
use billable_core::tax::{TaxCategory, TaxMode, TaxRate};
use billable_core::totals::{totals, Discount, Draft, DraftLine};
use billable_docs::document::{
    DocDiscount, DocLine, DocTimeEntry, DocumentKind, InvoiceDocument, LineDiscount, LineTax, Locale, Paper, Party,
    PaymentDetails, TaxBreakdown, Template,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn vat(percent: Decimal) -> TaxRate {
    TaxRate::new(&format!("VAT {percent}%"), percent, TaxCategory::S, None).unwrap()
}

pub fn zero_rate(category: TaxCategory, reason: Option<&str>) -> TaxRate {
    TaxRate::new(category.code(), Decimal::ZERO, category, reason.map(str::to_string)).unwrap()
}

/// One line as the user entered it.
#[derive(Clone)]
pub struct L {
    pub description: String,
    pub long_description: String,
    pub quantity: Decimal,
    pub seconds: Option<i64>,
    pub unit: &'static str,
    pub rate: Decimal,
    pub discount: Discount,
    pub tax: Option<TaxRate>,
}

pub fn hours(description: &str, quantity: Decimal, rate: Decimal, tax: Option<TaxRate>) -> L {
    L {
        description: description.into(),
        long_description: String::new(),
        quantity,
        seconds: None,
        unit: "hours",
        rate,
        discount: Discount::None,
        tax,
    }
}

pub fn units(description: &str, quantity: Decimal, rate: Decimal, tax: Option<TaxRate>) -> L {
    L { unit: "pcs", ..hours(description, quantity, rate, tax) }
}

/// A line billed from tracked time: the amount comes from the exact seconds,
/// the quantity is the hours rounded for display.
pub fn time(description: &str, seconds: i64, rate: Decimal, tax: Option<TaxRate>) -> L {
    let shown = (Decimal::from(seconds) / Decimal::from(3600))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    L { seconds: Some(seconds), ..hours(description, shown, rate, tax) }
}

impl L {
    pub fn discount(mut self, d: Discount) -> L {
        self.discount = d;
        self
    }

    /// The long description under the line's name (BT-154).
    pub fn long(mut self, text: &str) -> L {
        self.long_description = text.into();
        self
    }
}

/// The invoice as entered; `build` runs the engine.
#[derive(Clone)]
pub struct Spec {
    pub number: String,
    pub currency: &'static str,
    pub tax_mode: TaxMode,
    pub taxes: Vec<TaxRate>,
    pub lines: Vec<L>,
    pub discount: Discount,
    pub adjustment: Decimal,
    pub adjustment_label: String,
    pub paid: Decimal,
    pub kind: DocumentKind,
    pub seller_country: &'static str,
    pub buyer_country: &'static str,
}

impl Spec {
    pub fn inline(number: &str, lines: Vec<L>) -> Spec {
        Spec {
            number: number.into(),
            currency: "EUR",
            tax_mode: TaxMode::Inline,
            taxes: Vec::new(),
            lines,
            discount: Discount::None,
            adjustment: Decimal::ZERO,
            adjustment_label: String::new(),
            paid: Decimal::ZERO,
            kind: DocumentKind::Invoice,
            seller_country: "DE",
            buyer_country: "DE",
        }
    }

    pub fn summary(number: &str, tax: TaxRate, lines: Vec<L>) -> Spec {
        Spec { tax_mode: TaxMode::Summary, taxes: vec![tax], ..Spec::inline(number, lines) }
    }

    pub fn build(&self) -> InvoiceDocument {
        let currency = Currency::parse(self.currency).unwrap();
        let draft = Draft {
            currency,
            tax_mode: self.tax_mode,
            lines: self
                .lines
                .iter()
                .map(|l| DraftLine {
                    quantity: l.quantity,
                    seconds: l.seconds,
                    rate: l.rate,
                    discount: l.discount,
                    tax: if self.tax_mode == TaxMode::Inline { l.tax.clone() } else { None },
                })
                .collect(),
            discount: self.discount,
            taxes: self.taxes.clone(),
            adjustment: self.adjustment,
            amount_paid: self.paid,
            pricing: Default::default(),
        };
        let t = totals(&draft).expect("the engine accepts the test invoice");
        let line_tax = |tax: &TaxRate| LineTax {
            name: tax.name.clone(),
            category: tax.category,
            percent: tax.percent,
            exemption_reason: tax.exemption_reason.clone(),
        };
        let lines = self
            .lines
            .iter()
            .zip(&t.lines)
            .enumerate()
            .map(|(i, (l, a))| DocLine {
                position: i as u32 + 1,
                description: l.description.clone(),
                long_description: l.long_description.clone(),
                quantity: l.quantity,
                seconds: l.seconds,
                unit_code: if l.unit == "hours" { "HUR" } else { "C62" }.to_string(),
                unit_label: l.unit.to_string(),
                rate: l.rate,
                gross: a.gross,
                discount: match l.discount {
                    Discount::None => None,
                    Discount::Percent(p) => Some(LineDiscount { percent: Some(p), amount: a.discount }),
                    Discount::Fixed(_) => Some(LineDiscount { percent: None, amount: a.discount }),
                },
                net_amount: a.net,
                entered: None,
                tax: match self.tax_mode {
                    TaxMode::Inline => l.tax.as_ref().map(line_tax),
                    TaxMode::Summary if self.taxes.len() == 1 => Some(line_tax(&self.taxes[0])),
                    TaxMode::Summary => None,
                },
                time_entries: match l.seconds {
                    Some(s) => vec![DocTimeEntry {
                        date: date(2026, 1, 5 + (i as u32 % 20)),
                        member: "Ada".into(),
                        description: l.description.clone(),
                        seconds: s,
                    }],
                    None => Vec::new(),
                },
            })
            .collect();
        InvoiceDocument {
            kind: self.kind.clone(),
            number: self.number.clone(),
            issue_date: date(2026, 1, 31),
            due_date: date(2026, 3, 2),
            currency,
            language: Locale::EnGb,
            template: Template::Classic,
            paper: Paper::A4,
            stamp: None,
            seller: Party {
                name: "Nordlicht Studio GmbH".into(),
                street: "Hafenstraße 12".into(),
                postcode: "20457".into(),
                city: "Hamburg".into(),
                country_code: self.seller_country.into(),
                address_extra: vec!["3. OG".into()],
                vat_id: format!("{}123456789", self.seller_country),
                tax_registration: "22/815/08150".into(),
                email: "billing@nordlicht.example".into(),
                phone: "+49 40 123456".into(),
                contact: "Ada Berg".into(),
                peppol_id: String::new(),
            },
            buyer: Party {
                name: "Client & Söhne <KG>".into(),
                street: "Marktplatz 1".into(),
                postcode: "80331".into(),
                city: "München".into(),
                country_code: self.buyer_country.into(),
                address_extra: Vec::new(),
                vat_id: format!("{}987654321", self.buyer_country),
                tax_registration: String::new(),
                email: "ap@client.example".into(),
                phone: String::new(),
                contact: "Jo Kunde".into(),
                // Where the VAT id is no Peppol address (Japan, the US…) the
                // client's Peppol ID is set: a GLN.
                peppol_id: if billable_docs::einvoice::peppol::from_vat_id(&format!("{}1", self.buyer_country))
                    .is_none()
                {
                    "0088:4000001123452".into()
                } else {
                    String::new()
                },
            },
            buyer_reference: "04011000-12345-34".into(),
            po_number: "PO-7781".into(),
            project_reference: "Website relaunch".into(),
            tax_mode: self.tax_mode,
            entered: None,
            lines,
            discount: match self.discount {
                Discount::None => None,
                Discount::Percent(p) => {
                    Some(DocDiscount { label: format!("Discount {p}%"), percent: Some(p), amount: t.discount })
                }
                Discount::Fixed(_) => Some(DocDiscount { label: "Discount".into(), percent: None, amount: t.discount }),
            },
            taxes: t
                .taxes
                .iter()
                .map(|g| TaxBreakdown {
                    name: g.tax.name.clone(),
                    category: g.tax.category,
                    percent: g.tax.percent,
                    basis: g.base,
                    amount: g.amount,
                    exemption_reason: g.tax.exemption_reason.clone(),
                })
                .collect(),
            adjustment: (!t.adjustment.is_zero()).then(|| (self.adjustment_label.clone(), t.adjustment)),
            subtotal: t.subtotal,
            discount_total: t.discount,
            tax_total: t.tax_total,
            total: t.total,
            amount_paid: t.amount_paid,
            deposits: vec![],
            balance_due: t.balance_due,
            notes: "Thank you for your business.".into(),
            terms: "Payable within 30 days.".into(),
            early_discount: None,
            payment: PaymentDetails {
                bank_name: "Hamburger Sparkasse".into(),
                iban: "DE89 3704 0044 0532 0130 00".into(),
                bic: "COBADEFFXXX".into(),
                payment_link: String::new(),
                remittance: self.number.clone(),
                due_date: Some(date(2026, 3, 2)),
            },
            logo: None,
            signature: None,
        }
    }
}

/// The repository root (the validator and its Python environment live there).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).unwrap().to_path_buf()
}

/// Runs the official XSD and EN 16931 Schematron on the files; panics with
/// the validator's report when any file has an error.
pub fn validate(files: &[PathBuf]) -> String {
    let root = repo_root();
    let python = root.join(".venv/bin/python");
    assert!(python.exists(), "{} is missing: run scripts/install-deps.sh (make test does)", python.display());
    let out = Command::new(python)
        .arg(root.join("tests/python/validate_einvoice.py"))
        .args(files)
        .output()
        .expect("run the e-invoice validator");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the official validators reject the e-invoice(s):\n{report}");
    report
}
