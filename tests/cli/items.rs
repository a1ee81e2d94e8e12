//! Saved items from the command line: the catalog, and invoice lines made
//! from an item by its name.

use crate::support::{s, Books};

fn books() -> Books {
    let b = Books::new().at("2026-06-01T09:00:00+02:00");
    b.ok(&["tax", "add", "VAT 19%", "--percent", "19"]);
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    b
}

#[test]
fn an_item_added_by_name_fills_a_line_with_the_quantity_given() {
    let b = books();
    let item = b.ok(&[
        "item",
        "add",
        "Hosting",
        "--rate",
        "49.90",
        "--unit",
        "months",
        "-d",
        "Managed hosting",
        "--details",
        "Daily backups\\nUptime 99.9 %",
        "--tax",
        "1",
    ]);
    assert_eq!(item["name"], "Hosting");
    assert_eq!(item["rate"], "49.9");
    assert_eq!(item["long_description"], "Daily backups\nUptime 99.9 %");
    assert_eq!(item["tax_rate_id"], 1);
    b.ok(&["item", "add", "Workshop", "--rate", "1200", "--unit", "days"]);

    let draft = b.ok(&["invoice", "create", "--client", "Acme GmbH", "--tax-mode", "inline"]);
    let n = draft["number"].as_str().unwrap().to_string();
    // 3 months × 49.90 = 149.70; VAT 19%: 28.443 → 28.44; total 178.14.
    let v = b.ok(&["invoice", "line", "add", &n, "--item", "hosting", "--qty", "3"]);
    let l = &v["lines"][0];
    assert_eq!(l["description"], "Managed hosting");
    assert_eq!(l["long_description"], "Daily backups\nUptime 99.9 %");
    assert_eq!((s(&l["quantity"]), l["unit"].as_str(), s(&l["rate"])), ("3".into(), Some("months"), "49.9".into()));
    assert_eq!(s(&l["amount"]), "149.70");
    assert_eq!(l["tax"]["name"], "VAT 19%");
    assert_eq!(
        (s(&v["subtotal"]), s(&v["tax_total"]), s(&v["total"])),
        ("149.70".into(), "28.44".into(), "178.14".into())
    );

    // A flag on the line wins over the item: 0.5 day at 1100.00 = 550.00, untaxed.
    let v = b.ok(&["invoice", "line", "add", &n, "--item", "WORKSHOP", "--quantity", "0.5", "--rate", "1100"]);
    assert_eq!(v["lines"][1]["description"], "Workshop");
    assert_eq!(s(&v["lines"][1]["amount"]), "550.00");
    assert_eq!(s(&v["total"]), "728.14");

    // Deleting the items leaves the invoice exactly as it was.
    let before = b.ok(&["invoice", "show", &n]);
    b.ok(&["item", "edit", "hosting", "--rate", "59.90"]);
    let gone = b.ok(&["item", "delete", "Hosting"]);
    assert_eq!(gone["rate"], "59.9");
    b.ok(&["item", "delete", "2"]);
    assert_eq!(b.ok(&["item", "list", "--all"]), serde_json::json!([]));
    assert_eq!(b.ok(&["invoice", "show", &n]), before);
}

#[test]
fn the_list_searches_and_archived_items_stay_out_of_new_lines() {
    let b = books();
    b.ok(&["item", "add", "Hosting", "--rate", "49.90", "-d", "Managed hosting"]);
    b.ok(&["item", "add", "Domain", "--rate", "15", "--unit", "years"]);
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["item", "list"];
        all.extend_from_slice(args);
        b.ok(&all).as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names(&[]), ["Domain", "Hosting"]);
    assert_eq!(names(&["--search", "MANAGED"]), ["Hosting"]);
    b.ok(&["item", "archive", "domain"]);
    assert_eq!(names(&[]), ["Hosting"]);
    assert_eq!(names(&["--all"]), ["Hosting", "Domain"], "archived items after the active ones");

    let table = String::from_utf8(b.output(&["item", "list", "--all"]).stdout).unwrap();
    assert!(table.contains("Managed hosting") && table.contains("archived"), "{table}");
    let n = b.ok(&["invoice", "create", "--client", "1"])["number"].as_str().unwrap().to_string();
    let e = b.fails(&["invoice", "line", "add", &n, "--item", "Domain"]);
    assert_eq!(e["field"], "lines[1].item");
    assert!(e["message"].as_str().unwrap().contains("archived"), "{e}");
    b.ok(&["item", "unarchive", "Domain"]);
    let v = b.ok(&["invoice", "line", "add", &n, "--item", "domain", "--qty", "2"]);
    assert_eq!((s(&v["lines"][0]["amount"]), v["lines"][0]["unit"].as_str()), ("30.00".into(), Some("years")));
}

#[test]
fn unknown_ambiguous_and_duplicate_names_are_refused_and_write_nothing() {
    let b = books();
    b.ok(&["item", "add", "Hosting", "--rate", "49.90"]);
    b.ok(&["item", "archive", "Hosting"]);
    b.ok(&["item", "add", "hosting", "--rate", "39"]);
    b.ok(&["item", "archive", "2"]);
    b.ok(&["item", "add", "Support", "--rate", "70"]);
    b.ok(&["item", "archive", "3"]);
    b.ok(&["item", "add", "Support", "--rate", "80"]);
    let n =
        b.ok(&["invoice", "create", "--client", "1", "--line", "Setup|1|300"])["number"].as_str().unwrap().to_string();
    let before = b.snapshot();

    let cases: &[(&[&str], &str, &str)] = &[
        (&["item", "add", "SUPPORT", "--rate", "1"], "name", "already exists"),
        (&["item", "add", "Travel"], "rate", "required"),
        (&["item", "add", "Travel", "--rate", "-1"], "rate", "negative"),
        (&["item", "add", "Travel", "--rate", "12,50"], "rate", ""),
        (&["item", "add", "Travel", "--rate", "1", "--tax", "9"], "tax_rate_id", "does not exist"),
        (&["item", "add", "  ", "--rate", "1"], "name", "required"),
        (&["item", "edit", "Nothing", "--rate", "1"], "item", "no saved item"),
        (&["item", "unarchive", "3"], "name", "already exists"),
        (&["item", "delete", "hosting"], "item", "is the name of 2 saved items"),
        (&["item", "archive", "Nobody"], "item", "no saved item has the name or id 'Nobody'"),
        (&["invoice", "line", "add", &n, "--item", "Travel"], "lines[2].item", "no saved item"),
        (&["invoice", "line", "add", &n, "--item", "hosting"], "lines[2].item", "is the name of 2 saved items"),
        (&["invoice", "line", "add", &n, "--item", "support", "--qty", "many"], "lines[2].quantity", ""),
        (&["invoice", "line", "edit", &n, "1", "--item", "Travel"], "lines[1].item", "no saved item"),
    ];
    for (args, field, words) in cases {
        let e = b.fails(args);
        assert_eq!(e["field"], *field, "{args:?}: {e}");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains(words), "{args:?}: {message}");
        assert_eq!(b.snapshot(), before, "{args:?} changed the books");
    }
    // Renaming onto an archived item's name is allowed: archived names are free.
    let renamed = b.ok(&["item", "edit", "support", "--name", "hosting"]);
    assert_eq!(renamed["name"], "hosting");
    // An active item of the name wins over the archived ones.
    assert_eq!(b.ok(&["item", "delete", "HOSTING"])["id"], 4);
}

#[test]
fn a_human_error_names_the_item_on_one_line() {
    let b = books();
    let n = b.ok(&["invoice", "create", "--client", "1"])["number"].as_str().unwrap().to_string();
    let out = b.output(&["invoice", "line", "add", &n, "--item", "Hosting"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end(), "error: lines[1].item: no saved item has the name or id 'Hosting'");
}
