//! A freelancer's month, from the first client to the last payment.
//! Every expected figure is worked out by hand in the comments.

use crate::support::{s, Books};

#[test]
fn client_to_paid_invoice() {
    run_client_to_paid_invoice(Books::new());
}

#[test]
fn client_to_paid_invoice_on_team_books() {
    run_client_to_paid_invoice(Books::team());
}

fn run_client_to_paid_invoice(b: Books) {
    let b = b.at("2026-03-01T08:00:00+01:00");
    b.ok(&["business", "set", "--name", "Studio Nord", "--country", "DE", "--currency", "EUR", "--terms", "14"]);
    let vat = b.ok(&["tax", "add", "VAT 19%", "--percent", "19"]);
    let vat_id = vat["id"].to_string();
    let client = b.ok(&["client", "add", "Acme GmbH", "--email", "billing@acme.example", "--tax", &vat_id]);
    assert_eq!(client["name"], "Acme GmbH");
    let web = b.ok(&["project", "add", "Website", "--client", "Acme GmbH", "--rate", "150", "--rounding", "up:15"]);
    let web_id = web["id"].to_string();
    let support = b.ok(&["project", "add", "Support", "--client", "Acme GmbH", "--rate", "150.00"]);
    let support_id = support["id"].to_string();

    // Timer: 09:00 → 10:20 local is 4800 s; billed with up:15 as 5400 s (1.5 h) = 225.00
    let started =
        b.seen_at("2026-03-02T09:00:00+01:00").ok(&["timer", "start", "--project", &web_id, "-d", "Homepage"]);
    assert_eq!(started["timer"]["project_name"], "Website");
    assert_eq!(started["stopped"], serde_json::Value::Null);
    let status = b.seen_at("2026-03-02T10:20:00+01:00").ok(&["timer", "status"]);
    assert_eq!(status["elapsed_seconds"], 4800);
    let stopped = b.seen_at("2026-03-02T10:20:00+01:00").ok(&["timer", "stop"]);
    assert_eq!(stopped["seconds"], 4800);
    assert_eq!(stopped["entry"]["date"], "2026-03-02");
    assert_eq!(s(&stopped["entry"]["amount"]), "225.00");
    assert_eq!(b.ok(&["timer", "status"]), serde_json::Value::Null);

    // 2.5 h = 375.00; 14:00–14:07 is 7 min, rounded up to 15 min = 37.50
    b.ok(&["time", "add", "--project", &web_id, "--date", "2026-03-03", "--hours", "2.5", "-d", "Call"]);
    let short =
        b.ok(&["time", "add", "--project", &web_id, "--start", "2026-03-04T14:00", "--end", "2026-03-04T14:07"]);
    assert_eq!(short["seconds"], 420, "the raw entry keeps its 7 minutes");
    assert_eq!(short["billed_seconds"], 900);
    assert_eq!(s(&short["amount"]), "37.50");
    // 1h 20m at 150.00 without rounding = 200.00 (not 1.33 × 150 = 199.50)
    let sup = b.ok(&["time", "add", "--project", &support_id, "--date", "2026-03-05", "--hours", "1h 20m"]);
    assert_eq!(s(&sup["amount"]), "200.00");
    // Internal work: no amount, never billed
    let internal =
        b.ok(&["time", "add", "--project", &web_id, "--date", "2026-03-05", "--hours", "1", "--non-billable"]);
    assert_eq!(internal["amount"], serde_json::Value::Null);

    // Unbilled: raw 4800 + 9000 + 420 + 4800 = 19020 s = 5.28 h; billed 5400 + 9000 + 900 + 4800 = 20100 s = 5.58 h
    // amount 225.00 + 375.00 + 37.50 + 200.00 = 837.50
    let unbilled = b.ok(&["time", "unbilled", "--client", "Acme GmbH"]);
    assert_eq!(unbilled["entries"].as_array().unwrap().len(), 4);
    assert_eq!(unbilled["total_seconds"], 19020);
    assert_eq!(s(&unbilled["total_hours"]), "5.28");
    assert_eq!(s(&unbilled["billed_hours"]), "5.58");
    assert_eq!(s(&unbilled["total_amount"]), "837.50");

    // Preview per task: Website 637.50, Support 200.00; subtotal 837.50;
    // VAT 19% = 159.125 → 159.13; total 996.63. Nothing is created.
    let preview = b.ok(&["invoice", "from-time", "--client", "Acme GmbH", "--group", "task", "--preview"]);
    assert_eq!(preview["result"], "preview");
    assert_eq!(preview["lines"].as_array().unwrap().len(), 2);
    assert_eq!(s(&preview["totals"]["total"]), "996.63");
    assert_eq!(b.ok(&["invoice", "list"])["total"], 0);

    let inv = b.seen_at("2026-03-06T10:00:00+01:00").ok(&[
        "invoice",
        "from-time",
        "--client",
        "Acme GmbH",
        "--group",
        "task",
    ]);
    assert_eq!(inv["result"], "created");
    assert_eq!(inv["number"], "INV-2026-0001");
    assert_eq!(inv["status"], "draft");
    assert_eq!(inv["due_date"], "2026-03-20", "issue date + 14 days of terms");
    let lines = inv["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(s(&lines[0]["amount"]), "637.50");
    assert_eq!(s(&lines[0]["quantity"]), "4.25");
    assert_eq!(s(&lines[1]["amount"]), "200.00");
    assert_eq!(s(&inv["subtotal"]), "837.50");
    assert_eq!(s(&inv["tax_total"]), "159.13");
    assert_eq!(s(&inv["total"]), "996.63");
    assert_eq!(s(&inv["balance_due"]), "996.63");

    // Everything billable is billed now; the internal hour stays out.
    let after = b.ok(&["time", "unbilled", "--client", "Acme GmbH"]);
    assert_eq!(after["entries"].as_array().unwrap().len(), 0);
    assert_eq!(s(&after["total_amount"]), "0.00");

    b.ok(&["invoice", "mark-sent", "INV-2026-0001"]);
    // 996.63 − 300.00 = 696.63 left
    let part = b.ok(&[
        "payment",
        "add",
        "INV-2026-0001",
        "--amount",
        "300",
        "--method",
        "bank transfer",
        "--date",
        "2026-03-10",
    ]);
    assert_eq!(part["status"], "partially_paid");
    assert_eq!(s(&part["amount_paid"]), "300.00");
    assert_eq!(s(&part["balance_due"]), "696.63");
    // The rest, defaulting to the balance
    let full = b.ok(&["payment", "add", "INV-2026-0001", "--date", "2026-03-15"]);
    assert_eq!(full["status"], "paid");
    assert_eq!(s(&full["balance_due"]), "0.00");
    let payments = b.ok(&["payment", "list", "INV-2026-0001"]);
    assert_eq!(s(&payments[1]["amount"]), "696.63");

    let shown = b.ok(&["invoice", "show", "INV-2026-0001"]);
    assert_eq!(shown["display_status"], "paid");
    let kinds: Vec<&str> = shown["activity"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        vec!["created", "sent", "payment_recorded", "status_changed", "payment_recorded", "status_changed"]
    );

    // Report: 19020 s + 3600 s internal = 22620 s = 6.28 h; billable 5.28 h;
    // amount on raw time: Website (4800+9000+420) × 150/3600 = 592.50, Support 200.00
    let report = b.ok(&["report", "time", "--by", "project", "--from", "2026-03-01", "--to", "2026-03-31"]);
    assert_eq!(s(&report["total_hours"]), "6.28");
    assert_eq!(s(&report["billable_hours"]), "5.28");
    let rows = report["rows"].as_array().unwrap();
    let website = rows.iter().find(|r| r["name"] == "Acme GmbH / Website").unwrap();
    assert_eq!(s(&website["amount"]), "592.50");
    assert_eq!(report["amounts"][0]["currency"], "EUR");
    assert_eq!(s(&report["amounts"][0]["amount"]), "792.50");

    // Paid invoices cannot be deleted; their time cannot be edited.
    let err = b.fails(&["invoice", "delete", "INV-2026-0001"]);
    assert_eq!(err["code"], "conflict");
    let entry_id = stopped["entry"]["id"].to_string();
    let err = b.fails(&["time", "edit", &entry_id, "--hours", "3"]);
    assert_eq!(err["code"], "conflict");
    assert!(err["message"].as_str().unwrap().contains("INV-2026-0001"));
}

#[test]
fn manual_invoice_with_discounts_taxes_and_corrections() {
    run_manual_invoice_with_discounts_taxes_and_corrections(Books::new());
}

#[test]
fn manual_invoice_with_discounts_taxes_and_corrections_on_team_books() {
    run_manual_invoice_with_discounts_taxes_and_corrections(Books::team());
}

fn run_manual_invoice_with_discounts_taxes_and_corrections(b: Books) {
    let b = b.at("2026-04-01T09:00:00+02:00");
    let vat20 = b.ok(&["tax", "add", "VAT 20%", "--percent", "20"])["id"].to_string();
    let vat7 = b.ok(&["tax", "add", "VAT 7%", "--percent", "7"])["id"].to_string();
    b.ok(&["client", "add", "Beta Ltd", "--currency", "EUR"]);
    // Inline: 2 × 49.99 = 99.98 − 10% (10.00) = 89.98 @20%; 33.33 − 3.33 = 30.00 @7%;
    // 2.5 × 10.05 = 25.125 → 25.13 @20%. Subtotal 145.11; document discount 14.51;
    // shares 9.00 / 3.00 / 2.51 → bases 103.60 @20% = 20.72 and 27.00 @7% = 1.89; total 153.21
    let l1 = format!("Design|2|49.99|hours|10%|{vat20}");
    let l2 = format!("Licence|1|33.33|pcs|3.33|{vat7}");
    let l3 = format!("Support|2.5|10.05|hours||{vat20}");
    let inv = b.ok(&[
        "invoice",
        "create",
        "--client",
        "Beta Ltd",
        "--tax-mode",
        "inline",
        "--discount",
        "14.51",
        "--line",
        &l1,
        "--line",
        &l2,
        "--line",
        &l3,
    ]);
    assert_eq!(s(&inv["subtotal"]), "145.11");
    assert_eq!(s(&inv["tax_total"]), "22.61");
    assert_eq!(s(&inv["total"]), "153.21");
    let groups = inv["totals"]["taxes"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(s(&groups[0]["base"]), "103.60");
    assert_eq!(s(&groups[1]["amount"]), "1.89");

    // A correction line −1 × 25.00 @20% and an adjustment of −0.21:
    // subtotal 145.11 − 25.00 = 120.11; discount 14.51 shared ∝ net:
    // 10.8701 / 3.6242 / 3.0359 / −3.0201 → truncated 10.87 / 3.62 / 3.03 / −3.02 (14.50),
    // the last 0.01 to the largest remainder (line 3) → 10.87 / 3.62 / 3.04 / −3.02
    // bases: 20% = 79.11 + 22.09 − 21.98 = 79.22 → 15.84; 7% = 26.38 → 1.85; tax 17.69
    // total = 105.60 + 17.69 − 0.21 = 123.08
    let number = inv["number"].as_str().unwrap().to_string();
    let corr = b.ok(&[
        "invoice",
        "line",
        "add",
        &number,
        "-d",
        "Credit for delay",
        "--quantity",
        "-1",
        "--rate",
        "25",
        "--tax",
        &vat20,
    ]);
    assert_eq!(corr["lines"].as_array().unwrap().len(), 4);
    assert_eq!(s(&corr["lines"][3]["amount"]), "-25.00");
    let adj = b.ok(&["invoice", "set", &number, "--adjustment", "-0.21"]);
    assert_eq!(s(&adj["subtotal"]), "120.11");
    assert_eq!(s(&adj["totals"]["taxable"]), "105.60");
    assert_eq!(s(&adj["totals"]["taxes"][0]["base"]), "79.22");
    assert_eq!(s(&adj["totals"]["taxes"][0]["amount"]), "15.84");
    assert_eq!(s(&adj["totals"]["taxes"][1]["amount"]), "1.85");
    assert_eq!(s(&adj["adjustment"]), "-0.21");
    assert_eq!(s(&adj["total"]), "123.08");

    // Move the correction to the top, then remove it: back to 153.21 − 0.21 = 153.00
    let moved = b.ok(&["invoice", "line", "move", &number, "4", "1"]);
    assert_eq!(moved["lines"][0]["description"], "Credit for delay");
    assert_eq!(moved["lines"][0]["position"], 1);
    assert_eq!(s(&moved["total"]), "123.08", "order does not change the totals");
    let removed = b.ok(&["invoice", "line", "delete", &number, "1"]);
    assert_eq!(removed["lines"].as_array().unwrap().len(), 3);
    assert_eq!(removed["lines"][0]["description"], "Design");
    assert_eq!(s(&removed["total"]), "153.00");
    let kinds: Vec<&str> =
        removed["activity"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["created", "line_added", "header_changed", "lines_reordered", "line_removed"]);
}

#[test]
fn jpy_and_bhd_precision_end_to_end() {
    run_jpy_and_bhd_precision_end_to_end(Books::new());
}

#[test]
fn jpy_and_bhd_precision_end_to_end_on_team_books() {
    run_jpy_and_bhd_precision_end_to_end(Books::team());
}

fn run_jpy_and_bhd_precision_end_to_end(b: Books) {
    let b = b.at("2026-05-01T09:00:00+09:00");
    let tax = b.ok(&["tax", "add", "Consumption tax", "--percent", "10"])["id"].to_string();
    b.ok(&["client", "add", "Tokyo KK", "--currency", "JPY", "--tax", &tax]);
    // 1.5 × 3333 = 4999.5 → 5000; 3 × 1234 = 3702; 8702 + 10% (870.2 → 870) = 9572
    let inv = b.ok(&[
        "invoice",
        "create",
        "--client",
        "Tokyo KK",
        "--line",
        "Consulting|1.5|3333",
        "--line",
        "Workshop|3|1234",
    ]);
    assert_eq!(s(&inv["total"]), "9572");
    let err = b.fails(&["payment", "add", inv["number"].as_str().unwrap(), "--amount", "100.5"]);
    assert_eq!(err["field"], "amount", "JPY has no fractions: {err}");

    b.ok(&["client", "add", "Manama WLL", "--currency", "BHD"]);
    // 2.5 × 12.345 = 30.8625 → 30.863 (half away from zero)
    let inv = b.ok(&["invoice", "create", "--client", "Manama WLL", "--line", "Audit|2.5|12.345"]);
    assert_eq!(s(&inv["total"]), "30.863");
}
