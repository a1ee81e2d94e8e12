//! The early-payment discount (Skonto) through the real binary: offered on
//! the invoice, printed on its PDF, and taken by a payment in time.

use crate::support::{s, Books};

#[test]
fn two_percent_within_ten_days_is_offered_printed_and_taken() {
    let b = Books::new().at("2026-12-02T09:00:00+01:00");
    b.ok(&["tax", "add", "VAT", "--percent", "19"]);
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR", "--tax", "1"]);
    let v = b.ok(&[
        "invoice",
        "create",
        "--client",
        "Acme GmbH",
        "--line",
        "Consulting|8|125",
        "--due-date",
        "2027-01-01",
        "--early-discount",
        "2%/10",
    ]);
    assert_eq!(s(&v["total"]), "1190.00");
    assert_eq!(v["early_discount"]["days"], 10);
    assert_eq!(s(&v["early_discount_terms"]["payable"]), "1166.20");
    assert_eq!(v["early_discount_terms"]["until"], "2026-12-12");
    b.ok(&["invoice", "mark-sent", "INV-2026-0001"]);
    let text = String::from_utf8_lossy(&b.output(&["invoice", "show", "INV-2026-0001"]).stdout).to_string();
    assert!(text.contains("Early-payment discount: 2% if paid by 2026-12-12: 1166.20 EUR settles it"), "{text}");

    // The PDF says it in the invoice's language.
    let pdf = b._dir.path().join("INV-2026-0001.pdf");
    b.ok(&["invoice", "pdf", "INV-2026-0001", "--out", pdf.to_str().unwrap()]);
    let out = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext");
    let words = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("EARLY PAYMENT DISCOUNT"), "{words}");
    assert!(words.contains("2% discount if paid by Dec 12, 2026: pay €1,166.20 instead (you save €23.80)."), "{words}");
    assert!(!words.contains("C62"), "a line without a unit shows none, not its e-invoice code: {words}");

    // A period past the due date is refused by field, and nothing is written.
    let before = b.snapshot();
    let e = b.fails(&[
        "invoice",
        "create",
        "--client",
        "Acme GmbH",
        "--line",
        "X|1|1",
        "--due-date",
        "2026-12-05",
        "--early-discount",
        "2/10",
    ]);
    assert_eq!(e["field"], "early_discount", "{e}");
    assert_eq!(b.snapshot(), before);

    // Paid 1,166.20 on 10 December: settled.
    let v = b.ok(&["payment", "add", "INV-2026-0001", "--amount", "1166.20", "--date", "2026-12-10"]);
    assert_eq!(v["status"], "paid");
    assert_eq!((s(&v["balance_due"]), s(&v["early_discount_taken"])), ("0.00".into(), "23.80".into()));
    let text = String::from_utf8_lossy(&b.output(&["invoice", "show", "INV-2026-0001"]).stdout).to_string();
    assert!(text.contains("Early-payment discount          23.80 EUR"), "{text}");
    assert!(text.contains("early-payment discount of 23.80 EUR taken"), "{text}");
}
