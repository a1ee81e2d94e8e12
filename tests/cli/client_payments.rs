//! One payment across a client's invoices through the real binary: spread
//! oldest first, the rest kept as credit, applied to a later invoice and
//! paid back; bad input refused by field with nothing written.

use crate::support::{s, Books};

fn invoice(b: &Books, rate: &str, issued: &str, due: &str) -> String {
    let line = format!("Work|1|{rate}");
    let v = b.ok(&[
        "invoice",
        "create",
        "--client",
        "Acme GmbH",
        "--line",
        &line,
        "--issue-date",
        issued,
        "--due-date",
        due,
    ]);
    let n = s(&v["number"]);
    b.ok(&["invoice", "mark-sent", &n]);
    n
}

#[test]
fn a_payment_over_three_invoices_leaves_credit_for_the_next() {
    let b = Books::new().at("2026-12-02T09:00:00+01:00");
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    let a = invoice(&b, "500", "2026-10-01", "2026-10-31");
    let c = invoice(&b, "400", "2026-11-01", "2026-11-30");
    let m = invoice(&b, "300", "2026-10-15", "2026-11-14");

    // The dry run shows the oldest due first and writes nothing.
    let before = b.snapshot();
    let plan = b.ok(&["payment", "receive", "--client", "Acme GmbH", "--amount", "1500", "--dry-run"]);
    let order: Vec<String> = plan["invoices"].as_array().unwrap().iter().map(|i| s(&i["invoice"])).collect();
    assert_eq!(order, vec![a.clone(), m.clone(), c.clone()]);
    assert_eq!(s(&plan["credit"]), "300.00");
    assert_eq!(b.snapshot(), before);

    // Bad input: named, nothing written.
    let e = b.fails(&["payment", "receive", "--client", "Acme GmbH", "--amount", "abc"]);
    assert_eq!(e["field"], "amount", "{e}");
    let e = b.fails(&["payment", "receive", "--client", "Nobody", "--amount", "10"]);
    assert_eq!(e["field"], "client", "{e}");
    let e = b.fails(&["payment", "receive", "--client", "Acme GmbH", "--amount", "10", "--invoice", "INV-2026-0001"]);
    assert_eq!(e["field"], "allocations[1]", "{e}");
    let share = format!("{a}=600");
    let e = b.fails(&["payment", "receive", "--client", "Acme GmbH", "--amount", "700", "--invoice", &share]);
    assert_eq!(e["field"], "allocations[1]", "{e}");
    assert_eq!(b.snapshot(), before);

    let v = b.ok(&[
        "payment",
        "receive",
        "--client",
        "Acme GmbH",
        "--amount",
        "1500",
        "--date",
        "2026-12-01",
        "--method",
        "bank transfer",
    ]);
    assert_eq!(s(&v["credit"][0]["amount"]), "300.00");
    for n in [&a, &m, &c] {
        assert_eq!(b.ok(&["invoice", "show", n])["status"], "paid", "{n}");
    }
    let text = String::from_utf8_lossy(&b.output(&["credit", "show", "--client", "Acme GmbH"]).stdout).to_string();
    assert!(text.contains("Acme GmbH has 300.00 EUR of credit left."), "{text}");

    // The next invoice, 250.00, is paid from the credit; 50.00 is paid back.
    let next = invoice(&b, "250", "2026-12-02", "2026-12-16");
    let v = b.ok(&["credit", "apply", &next]);
    assert_eq!((v["status"].as_str(), s(&v["client_credit"])), (Some("paid"), "50.00".to_string()));
    let e = b.fails(&["credit", "refund", "--client", "Acme GmbH", "--amount", "60"]);
    assert_eq!(e["field"], "amount", "{e}");
    let v = b.ok(&["credit", "refund", "--client", "Acme GmbH", "--method", "bank transfer"]);
    assert!(v["credit"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(s(&v["payments"][0]["refunded"]), "50.00");

    // An overpayment of one invoice is kept only when asked.
    let last = invoice(&b, "100", "2026-12-02", "2026-12-16");
    let e = b.fails(&["payment", "add", &last, "--amount", "120"]);
    assert_eq!(e["field"], "amount", "{e}");
    let v = b.ok(&["payment", "add", &last, "--amount", "120", "--keep-credit"]);
    assert_eq!((v["status"].as_str(), s(&v["client_credit"])), (Some("paid"), "20.00".to_string()));
}
