//! `billable invoice pdf`: the real binary writes valid PDFs (qpdf) whose
//! text carries the invoice's number, client, lines and the engine's totals
//! in the business's locale; a batch writes one PDF per matching invoice.

use std::path::Path;
use std::process::Command;

use crate::support::Books;

fn text_of(pdf: &Path) -> String {
    let qpdf = Command::new("qpdf").arg("--check").arg(pdf).output().expect("qpdf (scripts/install-deps.sh)");
    assert!(qpdf.status.success(), "qpdf --check {}: {}", pdf.display(), String::from_utf8_lossy(&qpdf.stdout));
    let out = Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    String::from_utf8(out.stdout).unwrap()
}

fn books() -> Books {
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
        "--iban",
        "DE89370400440532013000",
        "--bic",
        "COBADEFFXXX",
        "--currency",
        "EUR",
        "--locale",
        "de-DE",
    ]);
    b.ok(&["tax", "add", "MwSt. 19%", "--percent", "19"]);
    b.ok(&[
        "client",
        "add",
        "Acme GmbH",
        "--street",
        "Ringstr. 1",
        "--postcode",
        "50667",
        "--city",
        "Köln",
        "--country",
        "DE",
    ]);
    b
}

#[test]
fn invoice_pdf_writes_a_valid_pdf_with_the_engine_totals_in_the_locale() {
    let b = books();
    let inv = b.ok(&[
        "invoice",
        "create",
        "--client",
        "Acme GmbH",
        "--tax",
        "1",
        "--po",
        "PO-99",
        "--line",
        "Konzeption und Workshop|7.5|120",
        "--line",
        "Hosting|12|15.90|months",
    ]);
    let number = inv["number"].as_str().unwrap().to_string();
    assert_eq!(inv["total"], "1298.05"); // 900.00 + 190.80, and 19% of it (207.25)
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rechnung.pdf");
    let v = b.ok(&["invoice", "pdf", &number, "--out", out.to_str().unwrap(), "--template", "detailed"]);
    assert_eq!(v[0]["invoice"], number.as_str());
    let text = text_of(&out);
    for needle in [
        number.as_str(),
        "RECHNUNG",
        "Acme GmbH",
        "Konzeption und Workshop",
        "Hosting",
        "PO-99",
        "1.090,80 €",
        "207,25 €",
        "1.298,05 €",
    ] {
        assert!(
            text.contains(needle) || text.replace('\u{a0}', " ").contains(&needle.replace('\u{a0}', " ")),
            "{needle:?} missing in\n{text}"
        );
    }
}

#[test]
fn a_batch_writes_one_pdf_per_matching_invoice() {
    let b = books();
    for i in 1..=3 {
        let inv = b.ok(&["invoice", "create", "--client", "Acme GmbH", "--line", &format!("Arbeit {i}|1|100")]);
        if i < 3 {
            b.ok(&["invoice", "mark-sent", inv["number"].as_str().unwrap()]);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let v = b.ok(&["invoice", "pdf", "--status", "sent", "--out-dir", dir.path().to_str().unwrap()]);
    assert_eq!(v.as_array().unwrap().len(), 2);
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    for name in &names {
        assert!(name.ends_with(".pdf"));
        let text = text_of(&dir.path().join(name));
        assert!(text.contains("Acme GmbH"));
    }
}

#[test]
fn invoice_pdf_refuses_bad_input_by_field_and_writes_nothing() {
    let b = books();
    let inv = b.ok(&["invoice", "create", "--client", "Acme GmbH", "--line", "Arbeit|1|100"]);
    let number = inv["number"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    let err = b.fails(&["invoice", "pdf", number, "--out", out.to_str().unwrap(), "--template", "fancy"]);
    assert_eq!(err["field"], "template");
    let err = b.fails(&["business", "set", "--locale", "xx-YY"]);
    assert_eq!(err["field"], "locale");
    let err = b.fails(&["business", "set", "--vat-id", "123"]);
    assert_eq!(err["field"], "vat_id");
    let err = b.fails(&["business", "set", "--signature", "/nonexistent/sig.png"]);
    assert_eq!(err["field"], "signature_path");
    assert!(!out.exists());
}

#[test]
fn facturx_embeds_the_cii_export_when_asked_or_when_the_business_turned_it_on() {
    let b = books();
    b.ok(&["business", "set", "--email", "billing@studio-nord.example", "--phone", "+49 40 123456"]);
    b.ok(&["client", "edit", "Acme GmbH", "--email", "ap@acme.example", "--tax-id", "DE987654321"]);
    let inv = b.ok(&["invoice", "create", "--client", "Acme GmbH", "--tax", "1", "--line", "Beratung|10|95"]);
    let number = inv["number"].as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let attachments = |pdf: &Path| {
        let out = Command::new("qpdf").arg("--list-attachments").arg(pdf).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let plain = dir.path().join("plain.pdf");
    b.ok(&["invoice", "pdf", &number, "--out", plain.to_str().unwrap()]);
    text_of(&plain);
    assert!(!attachments(&plain).contains("factur-x.xml"));

    let fx = dir.path().join("fx.pdf");
    b.ok(&["invoice", "pdf", &number, "--out", fx.to_str().unwrap(), "--facturx"]);
    assert!(text_of(&fx).contains("1.130,50"));
    assert!(attachments(&fx).contains("factur-x.xml"), "{}", attachments(&fx));

    b.ok(&["business", "set", "--einvoicing", "on"]);
    let default = dir.path().join("default.pdf");
    b.ok(&["invoice", "pdf", &number, "--out", default.to_str().unwrap()]);
    assert!(attachments(&default).contains("factur-x.xml"));
}

#[test]
fn a_long_line_description_reaches_show_the_pdf_the_e_invoice_and_a_credit_note() {
    let b = books();
    // Every part of the line syntax, the long description last ("\n" starts a new line).
    let inv = b.ok(&[
        "invoice",
        "create",
        "--client",
        "Acme GmbH",
        "--tax",
        "1",
        "--line",
        "Konzeption|7.5|120|hours|||Zwei Workshops vor Ort\\nSitemap, Wireframes und Prototyp",
    ]);
    let number = inv["number"].as_str().unwrap().to_string();
    assert_eq!(inv["lines"][0]["long_description"], "Zwei Workshops vor Ort\nSitemap, Wireframes und Prototyp");
    // Added and edited on its own; "" removes it.
    b.ok(&[
        "invoice",
        "line",
        "add",
        &number,
        "-d",
        "Hosting",
        "--quantity",
        "12",
        "--rate",
        "15.90",
        "--details",
        "Juli–Juni",
    ]);
    b.ok(&["invoice", "line", "edit", &number, "2", "--long-description", "Managed Hosting\\nJuli 2026 – Juni 2027"]);
    let v =
        b.ok(&["invoice", "line", "add", &number, "-d", "Domain", "--quantity", "1", "--rate", "12", "--details", "x"]);
    assert_eq!(v["lines"][2]["long_description"], "x");
    let v = b.ok(&["invoice", "line", "edit", &number, "3", "--long-description", ""]);
    assert_eq!(v["lines"][2]["long_description"], "");
    assert_eq!(v["lines"][1]["long_description"], "Managed Hosting\nJuli 2026 – Juni 2027");
    // The totals do not depend on it: 900.00 + 190.80 + 12.00 = 1102.80, 19% = 209.53.
    assert_eq!(v["total"], "1312.33");
    // Control characters are refused, by field, and nothing is written.
    let before = b.snapshot();
    let e = b.fails(&["invoice", "line", "edit", &number, "1", "--long-description", "bad\u{7}bell"]);
    assert_eq!(e["field"], "lines[1].long_description", "{e}");
    assert_eq!(b.snapshot(), before);

    // `invoice show` prints it under its line, one row per line of text.
    let text = String::from_utf8(b.output(&["invoice", "show", &number]).stdout).unwrap();
    let at =
        |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}:\n{text}"));
    assert_eq!(at("Zwei Workshops vor Ort"), at("Konzeption") + 1, "{text}");
    assert_eq!(at("Sitemap, Wireframes und Prototyp"), at("Konzeption") + 2, "{text}");
    assert_eq!(at("Juli 2026 – Juni 2027"), at("Hosting") + 2, "{text}");

    // The PDF prints it under the description, each line of it.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rechnung.pdf");
    b.ok(&["invoice", "pdf", &number, "--out", out.to_str().unwrap()]);
    let pdf = text_of(&out);
    let row = |needle: &str| pdf.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}:\n{pdf}"));
    assert!(row("Konzeption") < row("Zwei Workshops vor Ort"), "{pdf}");
    assert!(row("Zwei Workshops vor Ort") < row("Sitemap, Wireframes und Prototyp"), "{pdf}");
    assert!(row("Sitemap, Wireframes und Prototyp") < row("Hosting"), "{pdf}");
    assert!(row("Managed Hosting") < row("Juli 2026 – Juni 2027"), "{pdf}");
    assert!(row("Juli 2026 – Juni 2027") < row("Domain"), "{pdf}");

    // The e-invoice carries it as the item description (BT-154).
    b.ok(&["business", "set", "--email", "billing@studio-nord.example", "--phone", "+49 40 123456"]);
    b.ok(&[
        "client",
        "edit",
        "Acme GmbH",
        "--tax-id",
        "DE987654321",
        "--email",
        "ap@acme.example",
        "--buyer-reference",
        "04011000-1",
    ]);
    for (format, tag) in [("cii", "ram:Description"), ("ubl", "cbc:Description")] {
        let xml = dir.path().join(format!("{format}.xml"));
        b.ok(&["invoice", "export", &number, "--format", format, "--out", xml.to_str().unwrap()]);
        let xml = std::fs::read_to_string(&xml).unwrap();
        assert!(
            xml.contains(&format!("<{tag}>Zwei Workshops vor Ort\nSitemap, Wireframes und Prototyp</{tag}>")),
            "{format}:\n{xml}"
        );
    }

    // A credit note of the line keeps it.
    b.ok(&["invoice", "mark-sent", &number]);
    let cn = b.ok(&["credit-note", "create", &number, "--line", "2:1", "--reason", "Hosting doppelt"]);
    assert_eq!(cn["lines"][0]["long_description"], "Managed Hosting\nJuli 2026 – Juni 2027");
}
