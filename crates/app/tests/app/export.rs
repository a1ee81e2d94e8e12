//! Exports: Xero's sales-invoice CSV with account codes from the mapping
//! rules, the whole books as JSON (every table), and CSV of time and invoices.

use billable_app::{
    ClientInput, ExportFilter, FromTimeInput, HeaderInput, TaxRateInput, XeroExportInput, XeroRuleInput,
};

use crate::support::*;

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
    (headers, rows)
}

fn rule(b: &mut Books, kind: &str, target: Option<i64>, code: &str) {
    b.set_xero_rule(XeroRuleInput { kind: kind.into(), target, account_code: code.into(), description: None }).unwrap();
}

/// Acme (EUR, VAT 20%): Website at 100/h with tasks Design (2 h) and
/// Development (1 h); Hosting at 50/h (1 h, no task). Rules: default 200,
/// project Website 210, task Design 220. Invoiced by task and sent:
///   Design      2 × 100.00 → task rule     220
///   Development 1 × 100.00 → project rule  210
///   Hosting     1 ×  50.00 → default       200
#[test]
fn xero_sales_invoice_csv_with_account_codes_from_the_rules() {
    let mut b = Books::new();
    let vat =
        b.create_tax_rate(TaxRateInput { name: s("VAT 20%"), percent: s("20"), ..Default::default() }).unwrap().id;
    let acme = b
        .create_client(ClientInput {
            name: s("Acme GmbH"),
            emails: Some(vec!["billing@acme.example".into()]),
            address: s("Hauptstraße 1\n10115 Berlin"),
            country: s("DE"),
            currency: s("EUR"),
            tax_rate_ids: Some(vec![vat]),
            ..Default::default()
        })
        .unwrap()
        .id;
    let website = project(&mut b, acme, "Website", Some("100")).id;
    let hosting = project(&mut b, acme, "Hosting", Some("50")).id;
    let design = task(&mut b, website, "Design", None).id;
    let dev = task(&mut b, website, "Development", None).id;
    hours(&mut b, website, Some(design), "2026-05-04", "2");
    hours(&mut b, website, Some(dev), "2026-05-05", "1");
    hours(&mut b, hosting, None, "2026-05-06", "1");

    // Without any rule the export says what to do, naming the field.
    let inv = created(
        b.invoice_from_time(FromTimeInput {
            client_id: acme,
            grouping: s("task"),
            header: HeaderInput { issue_date: s("2026-05-08"), due_date: s("2026-05-22"), ..Default::default() },
            ..Default::default()
        })
        .unwrap(),
    );
    b.mark_sent(&inv.invoice.number).unwrap();
    let e = assert_invalid(b.export_xero(XeroExportInput::default()), "account_code");
    assert!(e.to_string().contains("default account code"), "{e}");

    rule(&mut b, "default", None, "200");
    rule(&mut b, "project", Some(website), "210");
    rule(&mut b, "task", Some(design), "220");
    // A draft is not exported.
    manual_invoice(&mut b, acme, vec![line("Draft work", "1", "10")]);

    let (headers, rows) = csv_rows(&b.export_xero(XeroExportInput::default()).unwrap());
    assert_eq!(
        headers,
        [
            "ContactName",
            "EmailAddress",
            "POAddressLine1",
            "POAddressLine2",
            "POAddressLine3",
            "POAddressLine4",
            "POCity",
            "PORegion",
            "POPostalCode",
            "POCountry",
            "InvoiceNumber",
            "Reference",
            "InvoiceDate",
            "DueDate",
            "InventoryItemCode",
            "Description",
            "Quantity",
            "UnitAmount",
            "Discount",
            "AccountCode",
            "TaxType",
            "TrackingName1",
            "TrackingOption1",
            "TrackingName2",
            "TrackingOption2",
            "Currency",
            "BrandingTheme",
        ]
    );
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 3, "one row per line of the sent invoice: {rows:?}");
    let mut got: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| {
            let d = &r[col("Description")];
            let which = ["Design", "Development", "Hosting"].iter().find(|w| d.contains(*w)).unwrap().to_string();
            (which, r[col("Quantity")].clone(), r[col("UnitAmount")].clone(), r[col("AccountCode")].clone())
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("Design".into(), "2".into(), "100".into(), "220".into()),
            ("Development".into(), "1".into(), "100".into(), "210".into()),
            ("Hosting".into(), "1".into(), "50".into(), "200".into()),
        ]
    );
    for r in &rows {
        assert_eq!(r[col("ContactName")], "Acme GmbH");
        assert_eq!(r[col("EmailAddress")], "billing@acme.example");
        assert_eq!(
            (r[col("POAddressLine1")].as_str(), r[col("POAddressLine2")].as_str()),
            ("Hauptstraße 1", "10115 Berlin")
        );
        assert_eq!(r[col("POCountry")], "DE");
        assert_eq!(r[col("InvoiceNumber")], inv.invoice.number);
        assert_eq!((r[col("InvoiceDate")].as_str(), r[col("DueDate")].as_str()), ("08/05/2026", "22/05/2026"));
        assert_eq!(r[col("TaxType")], "VAT 20%");
        assert_eq!(r[col("Currency")], "EUR");
    }
    let (_, us) = csv_rows(&b.export_xero(XeroExportInput { us_dates: true, ..Default::default() }).unwrap());
    assert_eq!(us[0][col("InvoiceDate")], "05/08/2026");

    // Rules are listed and removed; a bad code names the field.
    assert_eq!(b.xero_rules().unwrap().len(), 3);
    assert_invalid(
        b.set_xero_rule(XeroRuleInput {
            kind: "project".into(),
            target: Some(website),
            account_code: "2 00".into(),
            description: None,
        }),
        "account_code",
    );
    assert_code(
        b.set_xero_rule(XeroRuleInput {
            kind: "task".into(),
            target: Some(999),
            account_code: "300".into(),
            description: None,
        }),
        "not_found",
    );
    b.remove_xero_rule("task", Some(design)).unwrap();
    let (_, rows) = csv_rows(&b.export_xero(XeroExportInput::default()).unwrap());
    let design_row = rows.iter().find(|r| r[col("Description")].contains("Design")).unwrap();
    assert_eq!(design_row[col("AccountCode")], "210", "without the task rule, the project's code");
}

#[test]
fn the_json_export_holds_every_table_with_decimals_as_strings() {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme", Some("EUR"), Some("95.5")).id;
    let website = project(&mut b, acme, "Website", Some("100")).id;
    hours(&mut b, website, None, "2026-05-04", "2");
    rule(&mut b, "default", None, "200");
    let books = b.export_books().unwrap();
    let v = serde_json::to_value(&books).unwrap();
    assert_eq!(v["format"], "billable-books");
    assert_eq!(v["format_version"], 1);

    let tables = b.tables();
    let version = b.raw().schema_version().unwrap();
    assert_eq!(v["schema_version"], version);
    assert!(tables.len() >= 18, "{tables:?}");
    for t in &tables {
        let rows = v["tables"][t].as_array().unwrap_or_else(|| panic!("table {t} missing from the export"));
        let n = b.scalar(&format!("SELECT count(*) FROM \"{t}\""));
        assert_eq!(rows.len() as i64, n, "{t}");
    }
    assert_eq!(v["tables"]["clients"][0]["rate"], "95.5");
    assert_eq!(v["tables"]["projects"][0]["rate"], "100");
    assert_eq!(v["tables"]["time_entries"][0]["seconds"], 7200);
    assert_eq!(v["tables"]["xero_account_rules"][0]["account_code"], "200");
}

#[test]
fn csv_of_time_entries_and_invoices_with_filters() {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let globex = client(&mut b, "Globex", Some("USD"), None).id;
    let website = project(&mut b, acme, "Website", Some("100")).id;
    let app = project(&mut b, globex, "App", Some("80")).id;
    let billed = hours(&mut b, website, None, "2026-05-04", "2").entry.id;
    hours(&mut b, website, None, "2026-05-05", "1.5");
    hours(&mut b, app, None, "2026-05-06", "1");
    let inv = bill(&mut b, acme, &[billed], "entry");
    manual_invoice(&mut b, globex, vec![line("Setup", "1", "300")]);

    let f = |client: Option<&str>, status: Option<&str>| ExportFilter {
        client: client.map(str::to_string),
        status: status.map(str::to_string),
        ..Default::default()
    };
    let (h, rows) = csv_rows(&b.export_time_csv(f(Some("acme"), None)).unwrap());
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0][col("hours")].as_str(), rows[0][col("amount")].as_str()), ("2.00", "200.00"));
    assert_eq!(rows[0][col("invoice")], inv.invoice.number);
    let (_, unbilled) = csv_rows(&b.export_time_csv(f(Some("Acme"), Some("unbilled"))).unwrap());
    assert_eq!(unbilled.len(), 1);
    assert_eq!(unbilled[0][col("amount")], "150.00");
    let (_, range) = csv_rows(
        &b.export_time_csv(ExportFilter { from: s("2026-05-05"), to: s("2026-05-06"), ..Default::default() }).unwrap(),
    );
    assert_eq!(range.len(), 2);
    assert_invalid(b.export_time_csv(f(Some("Nobody"), None)), "client");
    assert_invalid(b.export_time_csv(f(None, Some("lost"))), "status");

    let (h, rows) = csv_rows(&b.export_invoices_csv(f(None, None)).unwrap());
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    assert_eq!(rows.len(), 2);
    let (_, drafts) = csv_rows(&b.export_invoices_csv(f(Some("Globex"), Some("draft"))).unwrap());
    assert_eq!(drafts.len(), 1);
    assert_eq!((drafts[0][col("total")].as_str(), drafts[0][col("currency")].as_str()), ("300.00", "USD"));
}
