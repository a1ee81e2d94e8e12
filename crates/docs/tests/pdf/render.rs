use std::path::Path;
use std::process::Command;

use billable_core::tax::TaxCategory;
use billable_core::totals::Discount;
use billable_docs::document::{DocTimeEntry, InvoiceDocument, Locale, Paper, Stamp, Template};
use billable_docs::pdf::render;
use rust_decimal_macros::dec;

use crate::einvoice::fixture::{date, hours, time, units, vat, zero_rate, Spec};

/// A realistic invoice: time and fixed-price lines, a line discount, an
/// exempt line, a document discount and a negative adjustment.
pub fn sample() -> InvoiceDocument {
    let s19 = || Some(vat(dec!(19)));
    let mut spec = Spec::inline(
        "INV-2026-0042",
        vec![
            time(
                "Design workshop with the marketing team, including preparation and a written summary",
                12_600,
                dec!(120),
                s19(),
            ),
            hours("Frontend development: product pages, checkout and account area", dec!(24.5), dec!(95), s19()),
            units("Stock photography licences", dec!(6), dec!(49.90), s19()).discount(Discount::Percent(dec!(10))),
            units(
                "Training course (exempt)",
                dec!(1),
                dec!(450),
                Some(zero_rate(TaxCategory::E, Some("Exempt under §4 Nr. 21 UStG"))),
            ),
        ],
    );
    spec.discount = Discount::Percent(dec!(5));
    spec.adjustment = dec!(-0.43);
    spec.adjustment_label = "Rounding".into();
    let mut doc = spec.build();
    doc.lines[0].time_entries = vec![
        DocTimeEntry {
            date: date(2026, 1, 12),
            member: "Ada Berg".into(),
            description: "Workshop".into(),
            seconds: 7_200,
        },
        DocTimeEntry {
            date: date(2026, 1, 13),
            member: "Ben Ortiz".into(),
            description: "Summary and follow-up notes".into(),
            seconds: 5_400,
        },
    ];
    doc
}

fn tool(name: &str, args: &[&str]) -> std::process::Output {
    Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} must be installed (scripts/install-deps.sh): {e}"))
}

/// Writes the PDF, checks it with qpdf and returns its text (pdftotext -layout).
pub fn checked_text(pdf: &[u8], dir: &Path, name: &str) -> String {
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let path = file.to_str().unwrap();
    // BILLABLE_PDF_OUT=dir keeps a copy of every PDF the tests write (to look at them).
    if let Ok(keep) = std::env::var("BILLABLE_PDF_OUT") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&file, Path::new(&keep).join(format!("{name}.pdf"))).unwrap();
    }
    let qpdf = tool("qpdf", &["--check", path]);
    assert!(
        qpdf.status.success(),
        "qpdf --check {name}: {}{}",
        String::from_utf8_lossy(&qpdf.stdout),
        String::from_utf8_lossy(&qpdf.stderr)
    );
    let text = tool("pdftotext", &["-layout", path, "-"]);
    assert!(text.status.success(), "pdftotext {name}");
    String::from_utf8(text.stdout).unwrap()
}

fn pages(text: &str) -> usize {
    text.matches('\u{c}').count()
}

#[test]
fn a_classic_invoice_carries_its_number_client_lines_and_the_engine_totals() {
    let dir = tempfile::tempdir().unwrap();
    let doc = sample();
    let text = checked_text(&render(&doc).unwrap(), dir.path(), "classic");
    for needle in
        ["INVOICE", "INV-2026-0042", "Client & Söhne <KG>", "Nordlicht Studio GmbH", "PO-7781", "Website relaunch"]
    {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    for line in &doc.lines {
        let first_words: String = line.description.split(' ').take(2).collect::<Vec<_>>().join(" ");
        assert!(text.contains(&first_words), "missing line {first_words:?}");
    }
    // en-GB, as the engine computed them.
    assert_eq!(doc.subtotal, dec!(3466.96));
    let mut amounts = vec!["€3,466.96".to_string(), "€420.00".into(), "€2,327.50".into(), "-€29.94".into()];
    amounts.extend([doc.discount_total, doc.tax_total, doc.balance_due].map(|a| format!("€{}", with_commas(a))));
    for amount in &amounts {
        assert!(text.contains(amount), "missing {amount} in\n{text}");
    }
    assert!(text.contains(&format!("€{}", with_commas(doc.total))), "total {} missing", doc.total);
    assert!(text.contains("Exempt under §4 Nr. 21 UStG"));
    assert!(text.contains("DE89 3704 0044 0532 0130 00"));
    assert!(text.contains(&format!("Page 1 of {}", pages(&text))));
}

fn with_commas(d: rust_decimal::Decimal) -> String {
    let s = format!("{d:.2}");
    let (int, frac) = s.split_once('.').unwrap();
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{frac}")
}

#[test]
fn the_detailed_template_lists_each_time_entry_under_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = sample();
    doc.template = Template::Detailed;
    let text = checked_text(&render(&doc).unwrap(), dir.path(), "detailed");
    assert!(text.contains("Ada Berg") && text.contains("Ben Ortiz"), "{text}");
    assert!(text.contains("Summary and follow-up notes"));
    assert!(text.contains("2.00 h") && text.contains("1.50 h"), "{text}");
    // The classic template does not list them.
    doc.template = Template::Classic;
    let classic = checked_text(&render(&doc).unwrap(), dir.path(), "classic");
    assert!(!classic.contains("Ben Ortiz"));
}

#[test]
fn sixty_lines_flow_over_pages_with_the_header_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let lines = (1..=60)
        .map(|i| hours(&format!("Line item number {i} with a description"), dec!(1.5), dec!(80), Some(vat(dec!(19)))))
        .collect();
    let mut doc = Spec::inline("INV-2026-0060", lines).build();
    doc.template = Template::Minimal;
    doc.paper = Paper::Letter;
    let text = checked_text(&render(&doc).unwrap(), dir.path(), "long");
    let n = pages(&text);
    assert!(n >= 2, "60 lines on {n} page(s)");
    assert!(text.contains(&format!("Page 1 of {n}")) && text.contains(&format!("Page {n} of {n}")));
    assert_eq!(
        text.matches("DESCRIPTION").count(),
        n.min(text.split('\u{c}').filter(|p| p.contains("Line item")).count())
    );
    for i in 1..=60 {
        assert!(text.contains(&format!("Line item number {i} with")), "line {i} missing");
    }
    assert!(text.contains(&format!("€{}", with_commas(doc.total))));
}

#[test]
fn every_locale_writes_amounts_and_dates_its_own_way() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (Locale::EnUs, "€3,466.96", "Invoice"),
        (Locale::EnGb, "€3,466.96", "31 Jan 2026"),
        (Locale::DeDe, "3.466,96\u{a0}€", "31.01.2026"),
        (Locale::FrFr, "3\u{202f}466,96\u{a0}€", "31 janv. 2026"),
        (Locale::EsEs, "3466,96\u{a0}€", "Factura"),
        (Locale::NlNl, "€\u{a0}3.466,96", "Factuur"),
        (Locale::JaJp, "€3,466.96", "2026/01/31"),
    ];
    for (locale, amount, word) in cases {
        let mut doc = sample();
        doc.language = locale;
        let text = checked_text(&render(&doc).unwrap(), dir.path(), locale.tag());
        let flat = text.replace(['\u{a0}', '\u{202f}'], " ");
        let amount = amount.replace(['\u{a0}', '\u{202f}'], " ");
        assert!(flat.contains(&amount), "{locale}: {amount:?} missing in\n{text}");
        assert!(text.to_uppercase().contains(&word.to_uppercase()), "{locale}: {word:?} missing in\n{text}");
    }
}

#[test]
fn yen_invoices_have_no_minor_units() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = Spec::inline("INV-JP-1", vec![units("コンサルティング", dec!(3), dec!(41250), Some(vat(dec!(10))))]);
    spec.currency = "JPY";
    let mut doc = spec.build();
    doc.language = Locale::JaJp;
    let text = checked_text(&render(&doc).unwrap(), dir.path(), "jpy");
    assert!(text.contains("請求書") && text.contains("コンサルティング"), "{text}");
    assert!(text.contains("￥136,125") || text.contains("¥136,125"), "{text}");
}

#[test]
fn any_script_renders_and_a_character_no_font_has_does_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = sample();
    doc.buyer.name = "Ελληνική Εταιρεία ΑΕ".into();
    doc.lines[0].description = "Разработка сайта — ₹ 1,000 · £ · ¥ · Ünïcödé · 日本語 · 🦀🧾".into();
    doc.notes = "Пожалуйста, оплатите 🙏".into();
    doc.stamp = Some(Stamp::Overdue);
    let text = checked_text(&render(&doc).unwrap(), dir.path(), "scripts");
    for needle in ["Ελληνική Εταιρεία ΑΕ", "Разработка сайта", "₹", "£", "Ünïcödé", "日本語", "Пожалуйста", "OVERDUE"]
    {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn a_paid_invoice_is_stamped_and_shows_what_was_paid() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = Spec::inline("INV-2026-0007", vec![units("Retainer", dec!(1), dec!(1000), Some(vat(dec!(19))))]);
    spec.paid = dec!(1190);
    let mut doc = spec.build();
    doc.stamp = Some(Stamp::Paid);
    let text = checked_text(&render(&doc).unwrap(), dir.path(), "paid");
    assert!(text.contains("PAID") && text.contains("-€1,190.00") && text.contains("€0.00"), "{text}");
    // Nothing left to pay: no transfer code.
    assert!(!text.contains("Scan to pay"));
}

fn fixture(name: &str) -> billable_docs::document::Image {
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap();
    billable_docs::document::Image::from_bytes(bytes).expect("a PNG or JPEG fixture")
}

#[test]
fn every_template_places_the_logo_and_the_signature() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = sample();
    doc.logo = Some(fixture("logo.png"));
    doc.signature = Some(fixture("signature.jpg"));
    doc.payment.payment_link = "https://pay.nordlicht.example/INV-2026-0042".into();
    for template in Template::ALL {
        doc.template = *template;
        let name = format!("template-{template}");
        let text = checked_text(&render(&doc).unwrap(), dir.path(), &name);
        assert!(text.contains("Authorised signature") && text.contains("https://pay.nordlicht.example"), "{text}");
        let images = tool("pdfimages", &["-list", dir.path().join(format!("{name}.pdf")).to_str().unwrap()]);
        let listed = String::from_utf8_lossy(&images.stdout);
        assert_eq!(listed.lines().count() - 2, 2, "{template}: logo and signature expected:\n{listed}");
    }
    // A file that is no image is reported, not drawn.
    assert!(billable_docs::document::Image::from_bytes(b"GIF89a".to_vec()).is_none());
}

#[test]
fn a_description_longer_than_a_page_continues_on_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let words: Vec<String> = (1..=900).map(|i| format!("word{i}")).collect();
    let mut doc = sample();
    doc.lines[1].description = words.join(" ");
    let text = checked_text(&render(&doc).unwrap(), dir.path(), "very-long-line");
    assert!(pages(&text) >= 2, "one page for 900 words");
    let seen: std::collections::HashSet<&str> = text.split_whitespace().collect();
    for w in &words {
        assert!(seen.contains(w.as_str()), "{w} missing");
    }
    assert!(text.contains("Training course (exempt)") && text.contains(&format!("€{}", with_commas(doc.total))));
}

/// The embedded font programs (inflated) of a PDF, sorted (printpdf orders
/// the fonts by their generated names).
fn font_programs(pdf: &[u8], name: &str) -> Vec<Vec<u8>> {
    let parsed = lopdf::Document::load_mem(pdf).unwrap();
    let mut programs = Vec::new();
    for object in parsed.objects.values() {
        if let lopdf::Object::Stream(s) = object {
            if let Ok(length1) = s.dict.get(b"Length1").and_then(lopdf::Object::as_i64) {
                let program = s.decompressed_content().unwrap();
                assert_eq!(program.len() as i64, length1, "{name}: a font program of the wrong length");
                assert_eq!(&program[..4], &[0, 1, 0, 0], "{name}: not a TrueType program");
                programs.push(program);
            }
        }
    }
    programs.sort();
    programs
}

#[test]
fn a_font_subset_reused_from_an_earlier_invoice_is_the_same_program() {
    let dir = tempfile::tempdir().unwrap();
    let doc = sample();
    let first = render(&doc).unwrap();
    // Another invoice in between draws other characters (other subsets).
    let mut other = sample();
    other.buyer.name = "Ωmega Кафе 株式会社".into();
    let between = render(&other).unwrap();
    let again = render(&doc).unwrap();
    let (p1, p2, p3) =
        (font_programs(&first, "first"), font_programs(&between, "between"), font_programs(&again, "again"));
    assert!(p1.len() >= 2 && p3.len() == p1.len(), "{} and {} embedded font programs", p1.len(), p3.len());
    assert!(p1 == p3, "the second rendering embeds other font programs");
    assert!(p2.len() == 3 && p2 != p1, "the invoice with Greek, Cyrillic and Japanese embeds its own subsets");
    let t1 = checked_text(&first, dir.path(), "first");
    checked_text(&between, dir.path(), "between");
    assert_eq!(t1, checked_text(&again, dir.path(), "again"));
}
