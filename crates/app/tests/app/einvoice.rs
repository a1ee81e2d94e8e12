//! E-invoices of invoices made through the real use cases on a real SQLite
//! file, in every format, checked by the official XSD and EN 16931
//! Schematron; missing data refused with every field listed.

use std::path::{Path, PathBuf};
use std::process::Command;

use billable_app::views::InvoiceView;
use billable_app::{
    Billable, BusinessInput, ClientInput, EInvoiceFormat, FromTimeInput, HeaderInput, InvoiceInput, LineInput,
    TaxRateInput,
};

use crate::support::{assert_invalid, created, hours, project, s, Books};

fn validate(files: &[PathBuf]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).unwrap().to_path_buf();
    let out = Command::new(root.join(".venv/bin/python"))
        .arg(root.join("tests/python/validate_einvoice.py"))
        .args(files)
        .output()
        .expect("run the e-invoice validator (scripts/install-deps.sh installs it)");
    assert!(
        out.status.success(),
        "the official validators reject the e-invoices:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn business(b: &mut Billable) {
    b.update_business(BusinessInput {
        name: s("Nordlicht Studio GmbH"),
        street: s("Hafenstraße 12"),
        postcode: s("20457"),
        city: s("Hamburg"),
        country: s("DE"),
        vat_id: s("DE123456789"),
        email: s("billing@nordlicht.example"),
        phone: s("+49 40 123456"),
        iban: s("DE89 3704 0044 0532 0130 00"),
        bic: s("COBADEFFXXX"),
        default_currency: s("EUR"),
        ..Default::default()
    })
    .expect("business");
}

fn tax(b: &mut Billable, name: &str, percent: &str, category: &str, reason: Option<&str>) -> String {
    b.create_tax_rate(TaxRateInput {
        name: s(name),
        percent: s(percent),
        category: s(category),
        exemption_reason: reason.map(str::to_string),
    })
    .expect("tax rate")
    .id
    .to_string()
}

fn client(b: &mut Billable, name: &str, country: &str, currency: &str) -> i64 {
    b.create_client(ClientInput {
        name: s(name),
        emails: Some(vec![format!("ap@{}.example", name.to_lowercase().replace(' ', "-"))]),
        street: s("Marktplatz 1"),
        postcode: s("80331"),
        city: s("München"),
        country: s(country),
        tax_id: s(&format!("{country}987654321")),
        currency: s(currency),
        buyer_reference: s("04011000-12345-34"),
        // Japan's Peppol address is no VAT id: the client's is set by hand.
        peppol_id: (country == "JP").then(|| " 0088 : 4000001123452".to_string()),
        ..Default::default()
    })
    .expect("client")
    .id
}

fn line(description: &str, quantity: &str, rate: &str, unit: &str, discount: &str, tax: &str) -> LineInput {
    LineInput {
        description: s(description),
        quantity: s(quantity),
        rate: s(rate),
        unit: s(unit),
        discount: s(discount),
        tax_rate_id: s(tax),
        ..Default::default()
    }
}

/// The long description (BT-154) the first invoice's first line carries.
const WORKSHOP_DETAILS: &str = "Two half-day sessions on site:\nuser journeys, wireframes & a clickable prototype";

fn invoice(b: &mut Billable, client_id: i64, header: HeaderInput, lines: Vec<LineInput>) -> InvoiceView {
    b.create_invoice(InvoiceInput { client_id, lines, header, ..Default::default() }).expect("invoice")
}

/// Invoices of every kind the matrix asks for, made through the use cases.
fn invoices(b: &mut Books) -> Vec<InvoiceView> {
    business(b);
    let s19 = tax(b, "VAT 19%", "19", "S", None);
    let s7 = tax(b, "VAT 7%", "7", "S", None);
    let exempt = tax(b, "Training", "0", "E", Some("§ 4 Nr. 21 UStG"));
    let reverse = tax(b, "Reverse charge", "0", "AE", None);
    let jp10 = tax(b, "Consumption tax 10%", "10", "S", None);
    let de = client(b, "Stadt Musterhausen", "DE", "EUR");
    let fr = client(b, "Atelier Lumière", "FR", "EUR");
    let jp = client(b, "Tokyo KK", "JP", "JPY");
    let inline = || HeaderInput { tax_mode: s("inline"), ..Default::default() };
    let mut out = Vec::new();

    // Several rates, an exempt line, line and document discounts, a total
    // rounded down (the rounding amount, BT-114).
    out.push(invoice(
        b,
        de,
        HeaderInput {
            discount: s("5%"),
            adjustment: s("-0.34"),
            adjustment_description: s("Rounded"),
            po_number: s("PO-7781"),
            ..inline()
        },
        vec![
            LineInput {
                long_description: s(WORKSHOP_DETAILS),
                ..line("Design workshop", "6.5", "120.00", "hours", "10%", &s19)
            },
            line("Printed brochures", "250", "1.35", "pcs", "25.00", &s7),
            line("Training day", "1", "800.00", "pcs", "", &exempt),
        ],
    ));
    // Reverse charge to a French business.
    out.push(invoice(b, fr, inline(), vec![line("Backend development", "40", "110.00", "hours", "", &reverse)]));
    // A JPY invoice.
    out.push(invoice(
        b,
        jp,
        HeaderInput { discount: s("3%"), ..inline() },
        vec![
            line("Translation", "7.5", "8500", "hours", "", &jp10),
            line("Proofreading", "3", "4999", "pcs", "15%", &jp10),
        ],
    ));
    // 60 lines.
    let sixty: Vec<LineInput> = (1..=60)
        .map(|i| {
            let tax = if i % 3 == 0 { &s7 } else { &s19 };
            line(&format!("Sprint task #{i}"), &format!("{}.{}", 2 + i % 5, i % 10), "97.50", "hours", "", tax)
        })
        .collect();
    out.push(invoice(b, de, HeaderInput { discount: s("2.5%"), ..inline() }, sixty));
    // An early-payment discount (Skonto), 2 % within 10 days, carried in the
    // payment terms (BT-20) before the terms' own text.
    out.push(invoice(
        b,
        de,
        HeaderInput { early_discount: s("2%/10"), terms: s("Payable within 30 days."), ..inline() },
        vec![line("Consulting", "8", "125.00", "hours", "", &s19)],
    ));
    // Prices that include tax, 19 % and 7 % lines, line and document
    // discounts: the XML carries the net amounts the engine derived per
    // rate (gross / 1.19, gross / 1.07), which must add up for BR-CO-10,
    // BR-S-08 and BR-CO-17.
    out.push(invoice(
        b,
        de,
        HeaderInput { pricing: s("gross"), discount: s("3%"), ..inline() },
        vec![
            line("Espresso machine", "3", "59.99", "pcs", "10%", &s19),
            line("Coffee beans", "7", "12.49", "pcs", "", &s7),
            line("Cleaning tablets", "1", "9.95", "pcs", "", &s19),
            line("Milk jug", "2", "4.99", "pcs", "1.00", &s7),
        ],
    ));
    // Tax-inclusive yen: 1,100 / 1.1 = 1,000 and 3 × 333 = 999 / 1.1 = 908.18… → 908.
    out.push(invoice(
        b,
        jp,
        HeaderInput { pricing: s("gross"), ..inline() },
        vec![line("Train ticket", "1", "1100", "pcs", "", &jp10), line("Bento", "3", "333", "pcs", "", &jp10)],
    ));
    // Time billed from entries, summary tax: 1h20m at 150.00 = 200.00.
    let p = project(b, de, "Relaunch", Some("150.00"));
    let e1 = hours(b, p.id, None, "2026-05-04", "1h 20m");
    let e2 = hours(b, p.id, None, "2026-05-05", "2h 07m");
    out.push(created(
        b.invoice_from_time(FromTimeInput {
            client_id: de,
            entry_ids: Some(vec![e1.entry.id, e2.entry.id]),
            grouping: s("entry"),
            header: HeaderInput { tax_rate_ids: Some(vec![s19.parse().unwrap()]), ..Default::default() },
            ..Default::default()
        })
        .expect("invoice from time"),
    ));
    out
}

#[test]
fn invoices_made_by_the_app_export_valid_cii_ubl_and_xrechnung() {
    let mut b = Books::new();
    let invoices = invoices(&mut b);
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for inv in &invoices {
        for format in [EInvoiceFormat::Cii, EInvoiceFormat::Ubl, EInvoiceFormat::XRechnung] {
            let file =
                b.invoice_xml(&inv.invoice.number, format).unwrap_or_else(|e| panic!("{}: {e}", inv.invoice.number));
            assert_eq!(file.file_name, format!("{}.{}.xml", inv.invoice.number, format.as_str()));
            let text = String::from_utf8(file.bytes.clone()).unwrap();
            let total = inv.invoice.total.to_string();
            assert!(
                text.contains(&format!(">{total}<")),
                "{}: the total {total} is in the {format} XML",
                inv.invoice.number
            );
            let details =
                "<{tag}>Two half-day sessions on site:\nuser journeys, wireframes &amp; a clickable prototype</{tag}>";
            let tag = if format == EInvoiceFormat::Ubl { "cbc:Description" } else { "ram:Description" };
            if inv.invoice.number == invoices[0].invoice.number {
                let expected = details.replace("{tag}", tag);
                assert!(text.contains(&expected), "{format}: the line's long description is BT-154:\n{text}");
            }
            if inv.invoice.early_discount.is_some() {
                let tag = if format == EInvoiceFormat::Ubl { "cbc:Note" } else { "ram:Description" };
                let terms = format!("<{tag}>#SKONTO#TAGE=10#PROZENT=2.00#\nPayable within 30 days.</{tag}>");
                assert!(text.contains(&terms), "{format}: the early-payment discount in BT-20:\n{text}");
            }
            if inv.invoice.pricing == billable_core::tax::Pricing::Gross && inv.invoice.currency.code() == "EUR" {
                // 161.97 + 87.43 + 9.95 + 8.98 = 268.33 as entered, less 3 % (8.05)
                assert_eq!(inv.invoice.total.to_string(), "260.28");
                // the unit prices are net: not the 59.99 entered but 53.99 / 1.19… per piece
                assert!(!text.contains(">59.99<"), "{format}: a net price, not the gross one:\n{text}");
            }
            let path = dir.path().join(&file.file_name);
            std::fs::write(&path, &file.bytes).unwrap();
            files.push(path);
        }
    }
    assert_eq!(files.len(), 24);
    validate(&files);
}

#[test]
fn missing_e_invoice_data_is_refused_with_every_field_listed() {
    let mut b = Books::new();
    let c = b.create_client(ClientInput { name: s("Nameless Corp"), ..Default::default() }).unwrap().id;
    let inv = b
        .create_invoice(InvoiceInput {
            client_id: c,
            lines: vec![crate::support::line("Work", "1", "100")],
            ..Default::default()
        })
        .unwrap();
    let e = assert_invalid(b.invoice_xml(&inv.invoice.number, EInvoiceFormat::XRechnung), "business.name");
    let message = e.to_string();
    for field in ["business.country", "client.country", "buyer_reference", "business.iban", "lines[1].tax"] {
        assert!(message.contains(field), "{field} missing from: {message}");
    }
}

#[test]
fn a_peppol_id_is_kept_as_scheme_and_value_and_a_bad_one_names_the_field() {
    let mut b = Books::new();
    business(&mut b);
    let id = client(&mut b, "Tokyo KK", "JP", "JPY");
    assert_eq!(b.client(id).unwrap().peppol_id, "0088:4000001123452");
    let err = assert_invalid(
        b.edit_client(id, ClientInput { peppol_id: s("EM:ap@tokyo.example"), ..Default::default() }),
        "peppol_id",
    );
    assert!(err.to_string().contains("'EM' is not a Peppol identifier scheme"), "{err}");
    assert_eq!(b.client(id).unwrap().peppol_id, "0088:4000001123452", "nothing written");
    let cleared = b.edit_client(id, ClientInput { peppol_id: s(""), ..Default::default() }).unwrap();
    assert_eq!(cleared.peppol_id, "");
    let biz = b.update_business(BusinessInput { peppol_id: s("0204:991-12345-67"), ..Default::default() }).unwrap();
    assert_eq!(biz.peppol_id, "0204:991-12345-67");
}

/// A deposit invoice and the final invoice deducting it, in every format:
/// the final one carries the full amounts and its deposit as the prepaid
/// amount BT-113 (357.00 of 1,190.00), so the amount due BT-115 is 833.00.
#[test]
fn deposit_and_final_invoices_of_an_estimate_are_valid_e_invoices() {
    use billable_app::{ConvertInput, EstimateHeaderInput, EstimateInput};
    let mut b = Books::new();
    business(&mut b);
    let s19: i64 = tax(&mut b, "VAT 19%", "19", "S", None).parse().unwrap();
    let de = client(&mut b, "Stadt Musterhausen", "DE", "EUR");
    let e = b
        .create_estimate(EstimateInput {
            client_id: de,
            header: EstimateHeaderInput {
                tax_rate_ids: Some(vec![s19]),
                valid_until: s("2026-05-31"),
                terms: s("Payable within 14 days."),
                ..Default::default()
            },
            lines: vec![LineInput {
                description: s("Website relaunch"),
                quantity: s("1"),
                rate: s("1000.00"),
                ..Default::default()
            }],
            ..Default::default()
        })
        .expect("estimate");
    let n = e.estimate.number.clone();
    b.accept_estimate(&n).unwrap();
    let deposit = b
        .convert_estimate(ConvertInput { estimate: n.clone(), deposit: s("30%"), ..Default::default() })
        .expect("deposit")
        .invoice;
    b.mark_sent(&deposit.invoice.number).unwrap();
    let last = b.convert_estimate(ConvertInput { estimate: n, ..Default::default() }).expect("final").invoice;
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (inv, prepaid, due) in [(&deposit, "0.00", "357.00"), (&last, "357.00", "833.00")] {
        for format in [EInvoiceFormat::Cii, EInvoiceFormat::Ubl, EInvoiceFormat::XRechnung] {
            let file = b.invoice_xml(&inv.invoice.number, format).unwrap();
            let text = String::from_utf8(file.bytes.clone()).unwrap();
            let (prepaid_tag, due_tag) = match format {
                EInvoiceFormat::Ubl => ("cbc:PrepaidAmount", "cbc:PayableAmount"),
                _ => ("ram:TotalPrepaidAmount", "ram:DuePayableAmount"),
            };
            assert!(text.contains(&format!(">{due}</{due_tag}>")), "{format}: BT-115 is {due}:\n{text}");
            if prepaid != "0.00" {
                assert!(text.contains(&format!(">{prepaid}</{prepaid_tag}>")), "{format}: BT-113:\n{text}");
                assert!(text.contains(">1190.00<"), "{format}: the full total BT-112:\n{text}");
                assert!(text.contains(">190.00<"), "{format}: the full tax BT-110:\n{text}");
            }
            let path = dir.path().join(&file.file_name);
            std::fs::write(&path, &file.bytes).unwrap();
            files.push(path);
        }
    }
    validate(&files);
}
