//! Tax-inclusive prices through the real binary: a client's default, an
//! invoice priced gross with 19 % and 7 % lines, what `invoice show` says,
//! the PDF, and a pricing that is neither gross nor net refused by field.

use crate::support::{s, Books};

#[test]
fn gross_prices_from_the_client_default_add_up_per_rate() {
    let b = Books::new().at("2026-12-06T10:00:00+01:00");
    b.ok(&["tax", "add", "VAT 19%", "--percent", "19"]);
    b.ok(&["tax", "add", "VAT 7%", "--percent", "7"]);
    b.ok(&["client", "add", "Café Rhein", "--currency", "EUR", "--prices", "gross"]);

    // 119.00 at 19 % → 100.00 net + 19.00 tax; 2 × 10.70 = 21.40 at 7 % →
    // 21.40 / 1.07 = 20.00 net + 1.40 tax. Total 140.40 = what the lines say.
    let v = b.ok(&[
        "invoice",
        "create",
        "--client",
        "Café Rhein",
        "--tax-mode",
        "inline",
        "--line",
        "Dinner|1|119.00||none|1",
        "--line",
        "Books|2|10.70||none|2",
    ]);
    assert_eq!(v["pricing"], "gross");
    assert_eq!(s(&v["total"]), "140.40");
    assert_eq!(s(&v["subtotal"]), "120.00");
    assert_eq!(s(&v["tax_total"]), "20.40");
    let groups: Vec<(String, String)> =
        v["totals"]["taxes"].as_array().unwrap().iter().map(|g| (s(&g["base"]), s(&g["amount"]))).collect();
    assert_eq!(groups, vec![("100.00".into(), "19.00".into()), ("20.00".into(), "1.40".into())]);
    assert_eq!(s(&v["totals"]["entered_subtotal"]), "140.40");

    let text = String::from_utf8_lossy(&b.output(&["invoice", "show", "INV-2026-0001"]).stdout).to_string();
    assert!(text.contains("Prices include tax"), "{text}");
    assert!(text.contains("Lines incl. tax"), "{text}");

    // The PDF shows the prices as entered and says they include VAT.
    let pdf = b._dir.path().join("gross.pdf");
    b.ok(&["invoice", "pdf", "INV-2026-0001", "--out", pdf.to_str().unwrap()]);
    let out = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext");
    let words = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("Prices include VAT"), "{words}");
    assert!(words.contains("€119.00"), "{words}");
    assert!(words.contains("€140.40"), "{words}");

    // Switched to net, the same rates get the tax on top: 119.00 + 22.61
    // and 21.40 + 1.50 → 164.51.
    let v = b.ok(&["invoice", "set", "INV-2026-0001", "--prices", "net"]);
    assert_eq!(v["pricing"], "net");
    assert_eq!(s(&v["total"]), "164.51");

    // Neither gross nor net: refused, naming the field, nothing written.
    let before = b.snapshot();
    let e = b.fails(&["invoice", "set", "INV-2026-0001", "--prices", "inclusive"]);
    assert_eq!(e["field"], "pricing", "{e}");
    let e = b.fails(&["client", "edit", "Café Rhein", "--prices", "brutto"]);
    assert_eq!(e["field"], "default_pricing", "{e}");
    assert_eq!(b.snapshot(), before);

    // A client without a default (empty) gets net invoices.
    b.ok(&["client", "edit", "Café Rhein", "--prices", ""]);
    let v = b.ok(&["invoice", "create", "--client", "Café Rhein", "--tax", "1", "--line", "Lunch|1|119"]);
    assert_eq!(v["pricing"], "net");
    assert_eq!(s(&v["total"]), "141.61");
}
