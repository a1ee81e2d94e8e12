//! Saved items: the catalog, and invoice lines made from an item.

use billable_app::core::model::SavedItem;
use billable_app::{HeaderInput, InvoiceInput, ItemInput, ItemListInput, LineInput, TaxRateInput};
use rust_decimal_macros::dec;

use crate::support::*;

fn vat(b: &mut Books, percent: &str) -> i64 {
    let name = format!("VAT {percent}%");
    b.create_tax_rate(TaxRateInput { name: s(&name), percent: s(percent), ..Default::default() }).unwrap().id
}

fn hosting(b: &mut Books, tax: Option<i64>) -> SavedItem {
    b.create_item(ItemInput {
        name: s("Hosting"),
        description: s("Managed hosting"),
        long_description: s("Daily backups\r\nUptime 99.9 %"),
        unit: s("months"),
        rate: s("49.90"),
        tax_rate_id: tax.map(|t| t.to_string()),
    })
    .unwrap()
}

fn from_item(key: &str) -> LineInput {
    LineInput { item: s(key), ..Default::default() }
}

fn inline() -> HeaderInput {
    HeaderInput { tax_mode: s("inline"), ..Default::default() }
}

fn count(b: &Books, table: &str) -> i64 {
    b.scalar(&format!("SELECT count(*) FROM {table}"))
}

#[test]
fn a_line_from_an_item_takes_its_fields_and_the_quantity_given() {
    let mut b = Books::new();
    let vat19 = vat(&mut b, "19");
    let item = hosting(&mut b, Some(vat19));
    assert_eq!(item.rate, dec!(49.9));
    assert_eq!(item.long_description, "Daily backups\nUptime 99.9 %");
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let inv =
        b.create_invoice(InvoiceInput { client_id: acme, header: inline(), ..Default::default() }).unwrap().invoice;

    // 3 months × 49.90 = 149.70; VAT 19% of 149.70 = 28.443 → 28.44; total 178.14.
    let v = b.add_line(&inv.number, LineInput { quantity: s("3"), ..from_item("HOSTING") }).unwrap();
    let l = &v.lines[0];
    assert_eq!(
        (l.description.as_str(), l.long_description.as_str(), l.unit.as_str()),
        ("Managed hosting", "Daily backups\nUptime 99.9 %", "months")
    );
    assert_eq!((l.quantity, l.rate, l.amount), (dec!(3), dec!(49.9), dec!(149.70)));
    let tax = l.tax.as_ref().expect("the item's tax rate");
    assert_eq!((tax.name.as_str(), tax.percent), ("VAT 19%", dec!(19)));
    assert_eq!(v.totals.taxes.len(), 1);
    assert_eq!((v.totals.taxes[0].base, v.totals.taxes[0].amount), (dec!(149.70), dec!(28.44)));
    assert_eq!((v.invoice.subtotal, v.invoice.tax_total, v.invoice.total), (dec!(149.70), dec!(28.44), dec!(178.14)));

    // Every field given on the line wins over the item's: 2 × 45.00 = 90.00
    // less 10% = 81.00, untaxed; the item's details stay.
    let v = b
        .add_line(
            &inv.number,
            LineInput {
                description: s("Hosting (staging)"),
                quantity: s("2"),
                rate: s("45"),
                unit: s("mo"),
                discount: s("10%"),
                tax_rate_id: s("none"),
                ..from_item(&item.id.to_string())
            },
        )
        .unwrap();
    let l = &v.lines[1];
    assert_eq!(
        (l.description.as_str(), l.unit.as_str(), l.rate, l.amount),
        ("Hosting (staging)", "mo", dec!(45), dec!(81.00))
    );
    assert_eq!(l.long_description, "Daily backups\nUptime 99.9 %");
    assert!(l.tax.is_none());
    assert_eq!((v.invoice.subtotal, v.invoice.tax_total, v.invoice.total), (dec!(230.70), dec!(28.44), dec!(259.14)));

    // Without a quantity a line from an item bills one.
    let v = b.add_line(&inv.number, from_item("hosting")).unwrap();
    assert_eq!((v.lines[2].quantity, v.lines[2].amount), (dec!(1), dec!(49.90)));
    // 149.70 + 81.00 + 49.90 = 280.60; VAT 19% of 199.60 = 37.924 → 37.92; total 318.52.
    assert_eq!((v.invoice.subtotal, v.invoice.tax_total, v.invoice.total), (dec!(280.60), dec!(37.92), dec!(318.52)));
}

#[test]
fn an_invoice_typed_with_item_lines_and_a_line_edited_from_an_item() {
    let mut b = Books::new();
    let vat19 = vat(&mut b, "19");
    hosting(&mut b, Some(vat19));
    b.create_item(ItemInput { name: s("Workshop"), unit: s("days"), rate: s("1200"), ..Default::default() }).unwrap();
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let v = b
        .create_invoice(InvoiceInput {
            client_id: acme,
            header: inline(),
            lines: vec![LineInput { quantity: s("1.5"), ..from_item("workshop") }, line("Travel", "1", "85")],
            ..Default::default()
        })
        .unwrap();
    // An item without a description puts its name on the line: 1.5 × 1200 = 1800.00, + 85.00.
    assert_eq!((v.lines[0].description.as_str(), v.lines[0].unit.as_str()), ("Workshop", "days"));
    assert_eq!((v.lines[0].amount, v.invoice.total), (dec!(1800.00), dec!(1885.00)));

    // Editing line 2 with an item takes the item's fields; the quantity stays.
    let v = b.edit_line(&v.invoice.number, 2, from_item("Hosting")).unwrap();
    let l = &v.lines[1];
    assert_eq!(
        (l.description.as_str(), l.quantity, l.rate, l.amount),
        ("Managed hosting", dec!(1), dec!(49.9), dec!(49.90))
    );
    // 1800.00 + 49.90 = 1849.90; VAT 19% of 49.90 = 9.481 → 9.48; total 1859.38.
    assert_eq!((v.invoice.tax_total, v.invoice.total), (dec!(9.48), dec!(1859.38)));
}

#[test]
fn on_an_invoice_with_summary_taxes_the_invoice_taxes_every_line() {
    let mut b = Books::new();
    let vat19 = vat(&mut b, "19");
    let vat7 = vat(&mut b, "7");
    hosting(&mut b, Some(vat19));
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let header = HeaderInput { tax_mode: s("summary"), tax_rate_ids: Some(vec![vat7]), ..Default::default() };
    let v = b
        .create_invoice(InvoiceInput {
            client_id: acme,
            header,
            lines: vec![LineInput { quantity: s("2"), ..from_item("Hosting") }],
            ..Default::default()
        })
        .unwrap();
    // 2 × 49.90 = 99.80; the invoice's 7%: 6.986 → 6.99; total 106.79.
    assert!(v.lines[0].tax.is_none());
    assert_eq!((v.invoice.subtotal, v.invoice.tax_total, v.invoice.total), (dec!(99.80), dec!(6.99), dec!(106.79)));
}

#[test]
fn changing_or_deleting_an_item_leaves_invoices_made_from_it_unchanged() {
    let mut b = Books::new();
    let vat19 = vat(&mut b, "19");
    let item = hosting(&mut b, Some(vat19));
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let n = b
        .create_invoice(InvoiceInput {
            client_id: acme,
            header: inline(),
            lines: vec![LineInput { quantity: s("12"), ..from_item("Hosting") }],
            ..Default::default()
        })
        .unwrap()
        .invoice
        .number;
    let before = serde_json::to_value(b.invoice(&n).unwrap()).unwrap();
    // 12 × 49.90 = 598.80; VAT 19%: 113.772 → 113.77; total 712.57.
    assert_eq!(before["total"], "712.57");

    b.edit_item(item.id, ItemInput { rate: s("59.90"), description: s("Hosting plus"), ..Default::default() }).unwrap();
    assert_eq!(serde_json::to_value(b.invoice(&n).unwrap()).unwrap(), before);
    let deleted = b.delete_item(item.id).unwrap();
    assert_eq!(deleted.rate, dec!(59.9));
    assert_eq!(serde_json::to_value(b.invoice(&n).unwrap()).unwrap(), before);
    assert_eq!(count(&b, "saved_items"), 0);
    assert_eq!(count(&b, "invoice_lines"), 1);
    assert_code(b.item(item.id), "not_found");
    assert_code(b.delete_item(item.id), "not_found");
    // The deleted item is gone for new lines; the error names the line's field.
    assert_invalid(b.add_line(&n, from_item("Hosting")), "lines[2].item");
    assert_eq!(serde_json::to_value(b.invoice(&n).unwrap()).unwrap(), before);
}

#[test]
fn a_duplicate_name_is_refused_naming_the_field_and_nothing_is_written() {
    let mut b = Books::new();
    let item = hosting(&mut b, None);
    let e =
        assert_invalid(b.create_item(ItemInput { name: s("  hOsTiNg "), rate: s("1"), ..Default::default() }), "name");
    assert!(e.to_string().contains("already exists"), "{e}");
    // Case is ignored beyond ASCII too.
    b.create_item(ItemInput { name: s("Übersetzung"), rate: s("0.12"), unit: s("words"), ..Default::default() })
        .unwrap();
    assert_invalid(b.create_item(ItemInput { name: s("ÜBERSETZUNG"), rate: s("1"), ..Default::default() }), "name");
    assert_invalid(b.edit_item(item.id, ItemInput { name: s("übersetzung"), ..Default::default() }), "name");
    assert_eq!(count(&b, "saved_items"), 2);
    assert_eq!(b.item(item.id).unwrap().name, "Hosting");

    // An archived item frees its name; it comes back only while the name is free.
    b.archive_item(item.id, true).unwrap();
    let second = b.create_item(ItemInput { name: s("hosting"), rate: s("39"), ..Default::default() }).unwrap();
    assert_invalid(b.archive_item(item.id, false), "name");
    assert!(b.item(item.id).unwrap().archived);
    b.edit_item(second.id, ItemInput { name: s("Hosting (new)"), ..Default::default() }).unwrap();
    assert!(!b.archive_item(item.id, false).unwrap().archived);
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let mut b = Books::new();
    let old = vat(&mut b, "16");
    b.archive_tax_rate(old, true).unwrap();
    let with = |f: ItemInput| ItemInput { name: f.name.or(s("Support")), rate: f.rate.or(s("80")), ..f };
    assert_invalid(b.create_item(ItemInput { rate: s("80"), ..Default::default() }), "name");
    assert_invalid(b.create_item(ItemInput { name: s("Support"), ..Default::default() }), "rate");
    assert_invalid(b.create_item(with(ItemInput { name: s("   "), ..Default::default() })), "name");
    for rate in ["", "ten", "-5", "1e3", "12,50"] {
        assert_invalid(b.create_item(with(ItemInput { rate: s(rate), ..Default::default() })), "rate");
    }
    for tax in ["7", "VAT", &old.to_string()] {
        assert_invalid(b.create_item(with(ItemInput { tax_rate_id: s(tax), ..Default::default() })), "tax_rate_id");
    }
    assert_invalid(b.create_item(with(ItemInput { unit: s("h\u{7}"), ..Default::default() })), "unit");
    assert_invalid(b.create_item(with(ItemInput { name: s(&"x".repeat(201)), ..Default::default() })), "name");
    assert_eq!(count(&b, "saved_items"), 0);

    let item = b.create_item(with(ItemInput::default())).unwrap();
    assert_invalid(b.edit_item(item.id, ItemInput { rate: s("-1"), ..Default::default() }), "rate");
    assert_invalid(b.edit_item(item.id, ItemInput { rate: s(""), ..Default::default() }), "rate");
    assert_eq!(b.item(item.id).unwrap().rate, dec!(80));
    assert_code(b.edit_item(item.id + 1, ItemInput::default()), "not_found");
}

#[test]
fn a_line_names_an_item_that_exists_and_is_active() {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let inv = manual_invoice(&mut b, acme, vec![line("Setup", "1", "300")]);
    let n = inv.invoice.number.clone();
    let e = assert_invalid(b.add_line(&n, from_item("Hosting")), "lines[2].item");
    assert!(e.to_string().contains("no saved item has the name or id 'Hosting'"), "{e}");

    let first = hosting(&mut b, None);
    b.archive_item(first.id, true).unwrap();
    let e = assert_invalid(b.add_line(&n, from_item("hosting")), "lines[2].item");
    assert!(e.to_string().contains("archived"), "{e}");
    // Two archived items with one name: a name that says nothing is refused, naming both.
    let second = hosting(&mut b, None);
    b.archive_item(second.id, true).unwrap();
    let e = assert_invalid(b.find_item("HOSTING"), "item");
    let text = e.to_string();
    assert!(
        text.contains(&format!("{} (archived)", first.id)) && text.contains(&format!("{} (archived)", second.id)),
        "{text}"
    );
    assert_invalid(
        b.create_invoice(InvoiceInput { client_id: acme, lines: vec![from_item("hosting")], ..Default::default() }),
        "lines[1].item",
    );
    assert_eq!(b.invoice(&n).unwrap().lines.len(), 1);
    assert_eq!(count(&b, "invoices"), 1);
    // An active item of that name is the one picked.
    let active = hosting(&mut b, None);
    assert_eq!(b.find_item("hosting").unwrap().id, active.id);
    assert_eq!(b.find_item(&first.id.to_string()).unwrap().id, first.id);
}

#[test]
fn the_list_searches_names_descriptions_and_details() {
    let mut b = Books::new();
    hosting(&mut b, None);
    b.create_item(ItemInput {
        name: s("Workshop"),
        description: s("On-site workshop"),
        rate: s("1200"),
        ..Default::default()
    })
    .unwrap();
    let old = b.create_item(ItemInput { name: s("Domain"), rate: s("15"), ..Default::default() }).unwrap();
    b.archive_item(old.id, true).unwrap();
    let names = |b: &mut Books, search: Option<&str>, all: bool| -> Vec<String> {
        b.items(ItemListInput { search: search.map(str::to_string), include_archived: all })
            .unwrap()
            .into_iter()
            .map(|i| i.name)
            .collect()
    };
    assert_eq!(names(&mut b, None, false), ["Hosting", "Workshop"]);
    assert_eq!(names(&mut b, None, true), ["Hosting", "Workshop", "Domain"]);
    assert_eq!(names(&mut b, Some("SITE"), false), ["Workshop"]);
    assert_eq!(names(&mut b, Some("uptime"), false), ["Hosting"]);
    assert_eq!(names(&mut b, Some("dom"), false), Vec::<String>::new());
    assert_eq!(names(&mut b, Some("dom"), true), ["Domain"]);
    assert_eq!(names(&mut b, Some("  "), false), ["Hosting", "Workshop"]);
}
