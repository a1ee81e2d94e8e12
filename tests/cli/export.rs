//! `billable invoice export`: standard e-invoice files written by the real
//! binary, checked by the official XSD and EN 16931 Schematron; missing data
//! named field by field, and nothing written.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::Books;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).unwrap().to_path_buf()
}

fn validate(files: &[PathBuf]) {
    let root = repo_root();
    let out = Command::new(root.join(".venv/bin/python"))
        .arg(root.join("tests/python/validate_einvoice.py"))
        .args(files)
        .output()
        .expect("run the e-invoice validator (scripts/install-deps.sh installs it)");
    assert!(
        out.status.success(),
        "the official validators reject the export:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A German business invoicing a public-sector client: 10 h at 95.00 and a
/// training day exempt from VAT.
fn books() -> (Books, String) {
    let b = Books::new().at("2026-03-01T08:00:00+01:00");
    b.ok(&[
        "business",
        "set",
        "--name",
        "Studio Nord",
        "--street",
        "Hafenstraße 12",
        "--postcode",
        "20457",
        "--city",
        "Hamburg",
        "--country",
        "DE",
        "--vat-id",
        "DE123456789",
        "--email",
        "billing@studio-nord.example",
        "--phone",
        "+49 40 123456",
        "--iban",
        "DE89370400440532013000",
        "--bic",
        "COBADEFFXXX",
        "--currency",
        "EUR",
    ]);
    let vat = b.ok(&["tax", "add", "VAT 19%", "--percent", "19"])["id"].to_string();
    let exempt = b.ok(&["tax", "add", "Training", "--percent", "0", "--category", "E", "--reason", "§ 4 Nr. 21 UStG"])
        ["id"]
        .to_string();
    b.ok(&[
        "client",
        "add",
        "Stadt Musterhausen",
        "--email",
        "rechnung@musterhausen.example",
        "--street",
        "Rathausplatz 1",
        "--postcode",
        "12345",
        "--city",
        "Musterhausen",
        "--country",
        "DE",
        "--buyer-reference",
        "04011000-12345-34",
    ]);
    let inv = b.ok(&[
        "invoice",
        "create",
        "--client",
        "Stadt Musterhausen",
        "--tax-mode",
        "inline",
        "--line",
        &format!("Consulting|10|95.00|hours||{vat}"),
        "--line",
        &format!("Training day|1|800.00|pcs||{exempt}"),
    ]);
    let number = inv["number"].as_str().unwrap().to_string();
    (b, number)
}

#[test]
fn invoice_export_writes_cii_ubl_and_xrechnung_that_pass_the_official_rules() {
    let (b, number) = books();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for format in ["cii", "ubl", "xrechnung"] {
        let out = dir.path().join(format!("{number}.{format}.xml"));
        let v = b.ok(&["invoice", "export", &number, "--format", format, "--out", out.to_str().unwrap()]);
        assert_eq!(v["format"], format);
        let xml = std::fs::read_to_string(&out).unwrap();
        // 10 × 95.00 = 950.00 taxed 19% = 180.50; 800.00 exempt; total 1930.50
        assert!(xml.contains("1930.50"), "{format}: {xml}");
        assert!(xml.contains("180.50"), "{format}");
        assert!(xml.contains("§ 4 Nr. 21 UStG"), "{format}");
        files.push(out);
    }
    assert!(std::fs::read_to_string(&files[2]).unwrap().contains("04011000-12345-34"));
    validate(&files);
}

#[test]
fn invoice_export_names_every_missing_field_and_writes_nothing() {
    let (b, number) = books();
    // Without the client's Leitweg-ID and postcode, and with no business phone, XRechnung cannot be written.
    b.ok(&["client", "edit", "Stadt Musterhausen", "--buyer-reference", "", "--postcode", ""]);
    b.ok(&["business", "set", "--phone", ""]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.xml");
    let before = b.snapshot();
    let err = b.fails(&["invoice", "export", &number, "--format", "xrechnung", "--out", out.to_str().unwrap()]);
    assert_eq!(err["code"], "invalid");
    let message = err["message"].as_str().unwrap();
    for field in ["business.phone", "client.postcode", "buyer_reference"] {
        assert!(message.contains(field), "{field} missing from: {message}");
    }
    assert!(!out.exists(), "nothing is written");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no partial file either");
    assert_eq!(b.snapshot(), before);

    // An unknown format is refused by name.
    let err = b.fails(&["invoice", "export", &number, "--format", "pdf", "--out", out.to_str().unwrap()]);
    assert_eq!(err["field"], "format");
    assert!(!out.exists());
}

#[test]
fn the_factur_x_pdf_carries_the_cii_export_byte_for_byte() {
    let (b, number) = books();
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("cii.xml");
    let pdf = dir.path().join("fx.pdf");
    b.ok(&["invoice", "export", &number, "--format", "cii", "--out", xml.to_str().unwrap()]);
    b.ok(&["invoice", "pdf", &number, "--facturx", "--out", pdf.to_str().unwrap()]);
    let check = Command::new("qpdf").arg("--check").arg(&pdf).output().expect("qpdf");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let shown = Command::new("qpdf").arg("--show-attachment=factur-x.xml").arg(&pdf).output().expect("qpdf");
    assert!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
    assert!(
        shown.stdout == std::fs::read(&xml).unwrap(),
        "the embedded XML differs from `invoice export --format cii`"
    );
}

#[test]
fn a_credit_note_exports_as_cii_381_and_ubl_credit_note_that_pass_the_official_rules() {
    let (b, number) = books();
    b.ok(&["invoice", "mark-sent", &number]);
    // 2 of the 10 hours taken back: 2 × 95.00 = 190.00, 19% = 36.10, 226.10.
    let cn = b.ok(&["credit-note", "create", &number, "--line", "1:2", "--reason", "2 h billed twice"]);
    let cn_number = cn["number"].as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for format in ["cii", "ubl", "xrechnung"] {
        let out = dir.path().join(format!("{cn_number}.{format}.xml"));
        let v = b.ok(&["credit-note", "export", &cn_number, "--format", format, "--out", out.to_str().unwrap()]);
        assert_eq!(v["format"], format);
        let xml = std::fs::read_to_string(&out).unwrap();
        assert!(xml.contains("226.10") && xml.contains("36.10"), "{format}: {xml}");
        assert!(xml.contains(&number), "{format} names the corrected invoice");
        assert!(!xml.contains("1930.50"), "{format} carries the credit, not the invoice");
        files.push(out);
    }
    let cii = std::fs::read_to_string(&files[0]).unwrap();
    assert!(cii.contains("<ram:TypeCode>381</ram:TypeCode>"), "{cii}");
    assert!(std::fs::read_to_string(&files[1]).unwrap().contains("<CreditNote"));
    // `invoice export` takes a credit note's number as well, to the same file.
    let same = dir.path().join("same.ubl.xml");
    b.ok(&["invoice", "export", &cn_number, "--format", "ubl", "--out", same.to_str().unwrap()]);
    assert_eq!(std::fs::read(&same).unwrap(), std::fs::read(&files[1]).unwrap());
    validate(&files);

    let pdf = dir.path().join("cn.pdf");
    let v = b.ok(&["credit-note", "pdf", &cn_number, "--out", pdf.to_str().unwrap()]);
    assert!(v["bytes"].as_u64().unwrap() > 1000);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-").output().expect("pdftotext");
    // Labels may be printed in capitals, depending on the template.
    let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
    assert!(text.contains("credit note number") && text.contains(&cn_number.to_lowercase()), "{text}");
    assert!(text.contains("corrects invoice") && text.contains(&number.to_lowercase()), "{text}");
    assert!(!text.contains("invoice number") && !text.contains("due date") && !text.contains("balance due"), "{text}");
    // An unknown credit note is named, and nothing is written.
    let missing = dir.path().join("none.xml");
    let err =
        b.fails(&["credit-note", "export", "CN-1999-0001", "--format", "cii", "--out", missing.to_str().unwrap()]);
    assert!(err.to_string().contains("CN-1999-0001"), "{err}");
    assert!(!missing.exists());
}
