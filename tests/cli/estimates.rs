//! Estimates through the real binary: create, send, accept, a 30 % deposit
//! and the final invoice that deducts it (hand-computed), converting in full
//! once, the PDF titled "Estimate", and bad input refused by field with the
//! books unchanged.

use crate::support::{s, Books};

fn setup(b: &Books) {
    b.ok(&["tax", "add", "VAT 19%", "--percent", "19"]);
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    // 1,000.00 net at 19 %: 1,190.00.
    let e = b.ok(&[
        "estimate",
        "create",
        "--client",
        "Acme GmbH",
        "--tax",
        "1",
        "--valid-until",
        "2026-12-31",
        "--line",
        "Website relaunch|1|1000.00",
    ]);
    assert_eq!(e["number"], "EST-2026-0001");
    assert_eq!(s(&e["total"]), "1190.00");
}

#[test]
fn an_estimate_becomes_a_deposit_and_a_final_invoice() {
    let b = Books::new().at("2026-12-01T10:00:00+01:00");
    setup(&b);
    assert_eq!(b.ok(&["estimate", "mark-sent", "EST-2026-0001"])["display_status"], "sent");
    assert_eq!(b.ok(&["estimate", "accept", "EST-2026-0001"])["display_status"], "accepted");

    let d = b.ok(&["estimate", "convert", "EST-2026-0001", "--deposit", "30%"]);
    let inv = &d["invoice"];
    assert_eq!(inv["number"], "INV-2026-0001");
    assert_eq!(s(&inv["subtotal"]), "300.00");
    assert_eq!(s(&inv["tax_total"]), "57.00");
    assert_eq!(s(&inv["total"]), "357.00");
    assert_eq!(inv["from_estimate"]["kind"], "deposit");
    b.ok(&["invoice", "mark-sent", "INV-2026-0001"]);

    let f = b.ok(&["estimate", "convert", "EST-2026-0001"]);
    let inv = &f["invoice"];
    assert_eq!(inv["number"], "INV-2026-0002");
    assert_eq!(s(&inv["total"]), "1190.00");
    assert_eq!(s(&inv["prepaid"]), "357.00");
    assert_eq!(s(&inv["balance_due"]), "833.00");
    assert_eq!(inv["deposits"][0]["number"], "INV-2026-0001");

    let text = String::from_utf8_lossy(&b.output(&["invoice", "show", "INV-2026-0002"]).stdout).to_string();
    assert!(text.contains("final invoice of estimate EST-2026-0001"), "{text}");
    assert!(text.contains("Deposit invoice INV-2026-0001 of 2026-12-01"), "{text}");
    assert!(text.contains("-357.00"), "{text}");
    let text = String::from_utf8_lossy(&b.output(&["estimate", "show", "EST-2026-0001"]).stdout).to_string();
    assert!(text.contains("INV-2026-0001") && text.contains("deposit 30%"), "{text}");
    assert!(text.contains("INV-2026-0002") && text.contains("final invoice"), "{text}");

    // The final invoice's PDF deducts the deposit; the estimate's is an estimate.
    let pdf = b._dir.path().join("final.pdf");
    b.ok(&["invoice", "pdf", "INV-2026-0002", "--out", pdf.to_str().unwrap()]);
    let words = pdf_words(&pdf);
    assert!(words.contains("Deposit invoice INV-2026-0001 of Dec 1, 2026"), "{words}");
    assert!(words.contains("-€357.00") || words.contains("−€357.00"), "{words}");
    assert!(words.contains("€833.00"), "{words}");
    let pdf = b._dir.path().join("estimate.pdf");
    b.ok(&["estimate", "pdf", "EST-2026-0001", "--out", pdf.to_str().unwrap()]);
    let words = pdf_words(&pdf);
    assert!(words.starts_with("ESTIMATE EST-2026-0001"), "{words}");
    assert!(words.contains("ESTIMATE NUMBER ISSUE DATE VALID UNTIL"), "{words}");
    assert!(words.contains("Dec 31, 2026"), "{words}");
    assert!(!words.contains("Balance due"), "{words}");

    let list = b.ok(&["estimate", "list", "--status", "accepted"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

fn pdf_words(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn bad_estimate_input_is_refused_by_field_and_writes_nothing() {
    let b = Books::new().at("2026-12-01T10:00:00+01:00");
    setup(&b);
    let before = b.snapshot();
    // Not accepted yet.
    assert_eq!(b.fails(&["estimate", "convert", "EST-2026-0001"])["field"], "status");
    assert_eq!(b.snapshot(), before);
    b.ok(&["estimate", "accept", "EST-2026-0001"]);
    let before = b.snapshot();
    for bad in ["thirty", "0%", "120%", "-5", "2000.00"] {
        let e = b.fails(&["estimate", "convert", "EST-2026-0001", "--deposit", bad]);
        assert_eq!(e["field"], "deposit", "{bad}: {e}");
    }
    assert_eq!(
        b.fails(&["estimate", "create", "--client", "Acme GmbH", "--valid-until", "2026-11-01"])["field"],
        "valid_until"
    );
    assert_eq!(b.fails(&["estimate", "list", "--status", "lost"])["field"], "status");
    assert_eq!(b.snapshot(), before, "refused input left the books as they were");

    b.ok(&["estimate", "convert", "EST-2026-0001"]);
    let before = b.snapshot();
    let e = b.fails(&["estimate", "convert", "EST-2026-0001"]);
    assert_eq!(e["field"], "estimate");
    assert!(e["message"].as_str().unwrap().contains("INV-2026-0001"), "{e}");
    assert_eq!(b.snapshot(), before);
}

#[test]
fn a_sent_estimate_expires_after_its_validity_date() {
    let b = Books::new().at("2026-12-01T10:00:00+01:00");
    setup(&b);
    b.ok(&["estimate", "mark-sent", "EST-2026-0001"]);
    let later = b.seen_at("2027-01-01T10:00:00+01:00");
    assert_eq!(later.ok(&["estimate", "show", "EST-2026-0001"])["display_status"], "expired");
    assert_eq!(later.ok(&["estimate", "list", "--status", "expired"]).as_array().unwrap().len(), 1);
    assert_eq!(later.fails(&["estimate", "accept", "EST-2026-0001"])["field"], "valid_until");
    later.ok(&["estimate", "set", "EST-2026-0001", "--valid-until", "2027-01-31"]);
    assert_eq!(later.ok(&["estimate", "accept", "EST-2026-0001"])["display_status"], "accepted");
}
