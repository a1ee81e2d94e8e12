//! Writes the seed corpora, fuzz/corpus/<target>/, from the examples of the
//! test suites (each seed names the test it comes from):
//! `cargo run --example seeds` in fuzz/.

use std::fs;
use std::path::Path;

use arbitrary::Unstructured;
use billable_core::money::Currency;
use billable_core::tax::{TaxCategory, TaxMode, TaxRate};
use billable_core::totals::{Discount, Draft, DraftLine};
use billable_fuzz::Encoder;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

fn tax(name: &str, pct: &str) -> TaxRate {
    TaxRate::new(name, d(pct), TaxCategory::S, None).expect("a tax rate")
}

fn line(q: &str, rate: &str) -> DraftLine {
    DraftLine { quantity: d(q), seconds: None, rate: d(rate), discount: Discount::None, tax: None }
}

fn draft(c: &str, mode: TaxMode, lines: Vec<DraftLine>) -> Draft {
    Draft {
        currency: Currency::parse(c).expect("a currency"),
        tax_mode: mode,
        lines,
        discount: Discount::None,
        taxes: vec![],
        adjustment: Decimal::ZERO,
        amount_paid: Decimal::ZERO,
        pricing: Default::default(),
    }
}

/// The drafts of crates/core/tests/core/totals.rs.
fn drafts() -> Vec<(&'static str, Draft)> {
    let mut several = draft("EUR", TaxMode::Summary, vec![line("10", "100"), line("3.75", "80")]);
    several.discount = Discount::Percent(d("10"));
    several.taxes = vec![tax("VAT 19%", "19"), tax("Levy 2.5%", "2.5")];
    several.adjustment = d("-0.55");
    several.amount_paid = d("421");

    let mut l1 = line("2", "49.99");
    l1.discount = Discount::Percent(d("10"));
    l1.tax = Some(tax("VAT 20%", "20"));
    let mut l2 = line("1", "33.33");
    l2.discount = Discount::Fixed(d("3.33"));
    l2.tax = Some(tax("VAT 7%", "7"));
    let mut l3 = line("2.5", "10.05");
    l3.tax = Some(tax("VAT 20%", "20"));
    let mut inline = draft("EUR", TaxMode::Inline, vec![l1, l2, l3]);
    inline.discount = Discount::Fixed(d("14.51"));

    let mut summary = inline.clone();
    for l in &mut summary.lines {
        l.tax = None;
    }
    summary.tax_mode = TaxMode::Summary;
    summary.taxes = vec![tax("VAT 20%", "20")];

    let mut jpy = draft("JPY", TaxMode::Summary, vec![line("1.5", "3333"), line("3", "1234")]);
    jpy.taxes = vec![tax("Consumption tax", "10")];
    let mut jpy_fraction = jpy.clone();
    jpy_fraction.adjustment = d("0.5");

    let mut bhd = draft("BHD", TaxMode::Summary, vec![line("2.5", "12.345")]);
    bhd.taxes = vec![tax("VAT", "10")];

    let mut hour_twenty = line("1.33", "150.00");
    hour_twenty.seconds = Some(4800);
    let hour_twenty = draft("USD", TaxMode::Summary, vec![hour_twenty]);

    let mut quarter = line("0.25", "100");
    quarter.seconds = Some(900);
    let quarter = draft("EUR", TaxMode::Summary, vec![quarter]);

    let mut correction = draft("EUR", TaxMode::Summary, vec![line("5", "100"), line("-1", "50")]);
    correction.taxes = vec![tax("VAT", "20")];

    let mut too_much_discount = draft("EUR", TaxMode::Summary, vec![line("1", "10")]);
    too_much_discount.discount = Discount::Fixed(d("10.01"));

    vec![
        ("several_summary_taxes", several),
        ("inline_taxes_with_discounts", inline),
        ("summary_versus_inline", summary),
        ("jpy_has_no_minor_units", jpy),
        ("jpy_refuses_a_fraction", jpy_fraction),
        ("bhd_has_three_minor_units", bhd),
        ("one_hour_twenty_at_150", hour_twenty),
        ("seven_minutes_up_to_fifteen", quarter),
        ("a_negative_correction_line", correction),
        ("invalid_document_discount", too_much_discount),
    ]
}

/// Text seeds per target: what the tests of each parser type in.
fn texts() -> Vec<(&'static str, Vec<String>)> {
    let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        // crates/core/src/numbering.rs and credit.rs tests, tests/core/parsers_props.rs
        (
            "numbering",
            list(&[
                "INV-{YYYY}-{SEQ:4}",
                "{YY}{MM}{DD}/{SEQ}",
                "A{SEQ:3}",
                "CN-{YYYY}-{SEQ:4}",
                "INV-{YEAR}-{SEQ}",
                "{SEQ}{SEQ}",
                "{SEQ:0}",
                "{SEQ:99}",
                "INV-2026-0042",
            ]),
        ),
        // crates/core/src/money.rs, totals.rs, billing_types.rs, credit.rs tests
        (
            "amounts",
            list(&[
                "150.00", " 150.00 ", "-3.75", "1,000", "1e5", "1.2.3", "--1", "10.005", "10.5", "EUR", "usd", "BHD",
                "XAU", "10%", "25.00", "none", "40", "40%", "2500.00", "2", "2:1.5", "inline", "AE",
            ]),
        ),
        // crates/core/src/time.rs tests
        (
            "durations",
            list(&[
                "2.5",
                "1:20",
                "1h20m",
                "1h 20m",
                "45m",
                "3h",
                "1:75",
                "9999999999999999h",
                "up:15",
                "down:30",
                "nearest:6",
                "none",
                "up:0",
                "nearest:2000",
                "sideways:5",
            ]),
        ),
        // crates/core/src/billing_types.rs and recurring.rs tests
        (
            "periods",
            list(&[
                "2026-03",
                "2026-Q1",
                "2026-q4",
                "2026-W09",
                "2026",
                "2026-13",
                "26-03",
                "monthly",
                "{MONTH} {YEAR}",
                "Retainer {PERIOD_START} to {PERIOD_END}, {QUARTER}, week {WEEK}",
                "{NEXT_MONTH} {PREV_MONTH} {MM}",
                "{NOPE} {lower}",
            ]),
        ),
        // crates/core/src/model.rs and tax.rs tests: name, percent, category, reason
        (
            "names",
            list(&[
                "VAT 20%\n20\nS",
                "Exempt\n0\nE\nArticle 132",
                "Reverse charge\n0\nAE",
                "Ana Lima\nana@example.com\nDE",
                " \n-1\nX",
            ]),
        ),
    ]
}

/// The exports the importer tests read (crates/app/tests/app/import.rs):
/// the text of `const NAME: &str = "…";`.
fn export_of_the_tests(name: &str) -> String {
    let tests = include_str!("../../crates/app/tests/app/import.rs");
    let start = tests.find(&format!("const {name}: &str = \"")).expect("the export in the tests");
    let rest = &tests[start..];
    let body = &rest[rest.find('"').expect("its text") + 1..rest.find("\";\n").expect("its end")];
    body.replace("\\u{feff}", "\u{feff}").replace("\\\"", "\"")
}

fn app_texts() -> Vec<(&'static str, Vec<String>)> {
    let exports: Vec<String> =
        ["TOGGL", "CLOCKIFY", "HARVEST", "GENERIC"].iter().map(|n| export_of_the_tests(n)).collect();
    let lines = |items: &[&[&str]]| items.iter().map(|f| f.join("\n")).collect::<Vec<_>>();
    let default = billable_mail::Template::default_for(billable_mail::TemplateKind::Invoice);
    let overdue = billable_mail::Template::default_for(billable_mail::TemplateKind::Overdue);
    vec![
        ("import_csv", exports.clone()),
        ("import_books", exports),
        // crates/app/tests/app/time.rs: start, end, date, hours, rate, description
        (
            "entries",
            lines(&[
                &["2026-03-31T09:00", "2026-03-31T10:20", "", "", "150", "Design review"],
                &["", "", "2026-03-30", "1h20m", "", "Call"],
                &["", "", "today", "2.5", "95.50", ""],
                &["09:00", "17:30", "", "", "", ""],
                &["2026-03-31T09:00:00+02:00", "2026-03-31 10:00:30", "", "", "", ""],
            ]),
        ),
        // crates/app/tests/app/catalog.rs: the business form, then client,
        // project, member and tax rate (see fuzz_targets/settings.rs)
        (
            "settings",
            lines(&[&[
                "DE89 3704 0044 0532 0130 00", "COBADEFFXXX", "DE 123.456.789", "billing@studio.example", "de", "EUR",
                "30", "95", "up:15", "INV-{YYYY}-{SEQ:4}", "summary", "classic", "a4", "de-DE", "on", "Studio Nord",
                "DE123456789", "https://pay.example/studio", "Acme GmbH", "ap@acme.example, cto@acme.example", "DE",
                "EUR", "14", "nearest:6", "120", "DE987654321", "04011000-1234512345-06", "Website", "fixed_price",
                "", "4800.00", "", "Ana Lima", "ana@studio.example", "80", "VAT 19%", "19", "S", "",
            ]]),
        ),
        // crates/mail/src/template.rs: subject, body (the default templates)
        ("mail", vec![
            format!("{}\n{}", default.subject, default.body),
            format!("{}\n{}", overdue.subject, overdue.body),
            "Invoice {invoice_number}\nbilling@studio.example\na@acme.example\n\nStudio Nord\nsmtp.example.com\nme\nhttps://pay.example/x?a=1&b=2".into(),
        ]),
    ]
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::create_dir_all(dir).expect("the corpus directory");
    fs::write(dir.join(name), bytes).expect("a seed file");
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (name, draft) in drafts() {
        let mut e = Encoder::default();
        e.draft(&draft);
        let back = billable_fuzz::draft(&mut Unstructured::new(&e.bytes)).expect("a seed decodes");
        assert_eq!(back, draft, "{name}: the seed decodes to another draft");
        write(&root.join("totals"), name, &e.bytes);
    }
    for (target, seeds) in texts().into_iter().chain(app_texts()) {
        for (i, text) in seeds.iter().enumerate() {
            write(&root.join(target), &format!("seed-{i:02}"), text.as_bytes());
        }
    }
    println!("seed corpora written to {}", root.display());
}
