//! The business profile, clients, projects, tasks, team members, tax rates.

use billable_app::core::model::BillingType;
use billable_app::core::tax::TaxCategory;
use billable_app::core::time::{RoundingMode, RoundingPolicy};
use billable_app::core::Currency;
use billable_app::{
    BusinessInput, ClientInput, InvoiceInput, MemberInput, ProjectInput, TaskInput, TaxRateInput, TimerStartInput,
};
use rust_decimal_macros::dec;

use crate::support::*;

#[test]
fn client_create_edit_archive() {
    let mut b = Books::new();
    let c = b
        .create_client(ClientInput {
            name: s("  Acme GmbH "),
            contact_person: s("Ada"),
            emails: Some(vec!["billing@acme.example, boss@acme.example".into()]),
            country: s("de"),
            currency: s("usd"),
            payment_terms_days: s("14"),
            rounding: s("up:15"),
            rate: s("95.50"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(c.name, "Acme GmbH", "names are trimmed");
    assert_eq!(c.emails, vec!["billing@acme.example", "boss@acme.example"]);
    assert_eq!(c.country, "DE");
    assert_eq!(c.currency, Some(Currency::parse("USD").unwrap()));
    assert_eq!(c.payment_terms_days, Some(14));
    assert_eq!(c.rounding, Some(RoundingPolicy { mode: RoundingMode::Up, interval_minutes: 15 }));
    assert_eq!(c.rate, Some(dec!(95.5)));

    // What was stored is what reads back.
    assert_eq!(b.client(c.id).unwrap(), c);

    let edited = b
        .edit_client(c.id, ClientInput { name: s("Acme AG"), rate: s(""), currency: s(""), ..Default::default() })
        .unwrap();
    assert_eq!(edited.name, "Acme AG");
    assert_eq!(edited.rate, None, "empty text clears the rate");
    assert_eq!(edited.currency, None);
    assert_eq!(edited.contact_person, "Ada", "fields not given stay as they were");
    assert_eq!(b.find_client("acme ag").unwrap().id, c.id, "found by name, case-insensitively");

    let archived = b.archive_client(c.id, true).unwrap();
    assert!(archived.archived);
    assert!(b.clients(false, None).unwrap().is_empty());
    assert_eq!(b.clients(true, None).unwrap().len(), 1);
    assert!(!b.archive_client(c.id, false).unwrap().archived);
    assert_eq!(b.clients(false, Some("acme")).unwrap().len(), 1);

    assert_code(b.edit_client(999, ClientInput::default()), "not_found");
}

#[test]
fn client_validation_names_the_field() {
    let mut b = Books::new();
    let cases: Vec<(ClientInput, &str)> = vec![
        (ClientInput::default(), "name"),
        (ClientInput { name: s("   "), ..Default::default() }, "name"),
        (ClientInput { name: s("A"), emails: Some(vec!["not-an-address".into()]), ..Default::default() }, "emails"),
        (ClientInput { name: s("A"), country: s("Germany"), ..Default::default() }, "country"),
        (ClientInput { name: s("A"), currency: s("XYZ"), ..Default::default() }, "currency"),
        (ClientInput { name: s("A"), payment_terms_days: s("-1"), ..Default::default() }, "payment_terms_days"),
        (ClientInput { name: s("A"), rounding: s("up"), ..Default::default() }, "rounding"),
        (ClientInput { name: s("A"), rounding: s("up:0"), ..Default::default() }, "rounding"),
        (ClientInput { name: s("A"), rate: s("-5"), ..Default::default() }, "rate"),
        (ClientInput { name: s("A"), rate: s("1,000"), ..Default::default() }, "rate"),
        (ClientInput { name: s("A"), tax_rate_ids: Some(vec![42]), ..Default::default() }, "tax_rate_ids"),
        (ClientInput { name: s("A"), address: s("bad\u{7}bell"), ..Default::default() }, "address"),
    ];
    for (input, field) in cases {
        let e = assert_invalid(b.create_client(input.clone()), field);
        assert!(e.to_string().starts_with(field), "the message names the field: {e}");
        assert_eq!(e.to_body().field.as_deref(), Some(field));
    }
    assert!(b.clients(true, None).unwrap().is_empty(), "no rejected input left a client behind");
}

#[test]
fn duplicate_client_name_is_refused() {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme", None, None);
    let e = assert_invalid(b.create_client(ClientInput { name: s("ACME"), ..Default::default() }), "name");
    assert!(e.to_string().contains("already exists"), "{e}");
    let other = client(&mut b, "Globex", None, None);
    assert_invalid(b.edit_client(other.id, ClientInput { name: s("acme"), ..Default::default() }), "name");
    assert_eq!(b.client(other.id).unwrap().name, "Globex", "the refused rename changed nothing");
    assert_eq!(b.clients(true, None).unwrap().len(), 2);
    // Renaming to itself is fine.
    b.edit_client(acme.id, ClientInput { name: s("Acme"), ..Default::default() }).unwrap();
}

#[test]
fn archived_client_gets_no_new_projects() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None);
    let p = project(&mut b, c.id, "Website", None);
    b.archive_client(c.id, true).unwrap();
    assert_invalid(
        b.create_project(ProjectInput { client_id: Some(c.id), name: s("App"), ..Default::default() }),
        "client",
    );
    assert_eq!(b.projects(Some(c.id), true).unwrap().len(), 1);
    // An existing project may still be edited.
    b.edit_project(p.id, ProjectInput { name: s("Web site"), ..Default::default() }).unwrap();
    // Nor can another project move to the archived client.
    let g = client(&mut b, "Globex", None, None);
    let gp = project(&mut b, g.id, "Shop", None);
    assert_invalid(b.edit_project(gp.id, ProjectInput { client_id: Some(c.id), ..Default::default() }), "client");
    // And no invoice is started for it.
    assert_invalid(b.create_invoice(InvoiceInput { client_id: c.id, ..Default::default() }), "client");
    b.archive_client(c.id, false).unwrap();
    project(&mut b, c.id, "App", None);
}

#[test]
fn project_create_edit_archive_and_validation() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None);
    let p = b
        .create_project(ProjectInput {
            client_id: Some(c.id),
            name: s("Website"),
            rate: s("120"),
            rounding: s("nearest:6"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(p.billing_type, BillingType::Hourly);
    assert_eq!(p.rate, Some(dec!(120)));
    assert_eq!(p.rounding, Some(RoundingPolicy { mode: RoundingMode::Nearest, interval_minutes: 6 }));

    let e = b
        .edit_project(p.id, ProjectInput { billing_type: s("fixed_price"), budget: s("5000"), ..Default::default() })
        .unwrap();
    assert_eq!(e.billing_type, BillingType::FixedPrice);
    assert_eq!(e.budget, Some(dec!(5000)));
    assert_eq!(b.project(p.id).unwrap(), e);

    assert_invalid(b.create_project(ProjectInput { name: s("X"), ..Default::default() }), "client");
    assert_invalid(b.create_project(ProjectInput { client_id: Some(c.id), ..Default::default() }), "name");
    assert_invalid(
        b.create_project(ProjectInput { client_id: Some(999), name: s("X"), ..Default::default() }),
        "client",
    );
    assert_invalid(
        b.create_project(ProjectInput {
            client_id: Some(c.id),
            name: s("X"),
            billing_type: s("barter"),
            ..Default::default()
        }),
        "billing_type",
    );
    assert_invalid(
        b.create_project(ProjectInput {
            client_id: Some(c.id),
            name: s("X"),
            billing_type: s("retainer"),
            ..Default::default()
        }),
        "budget",
    );
    assert_invalid(
        b.create_project(ProjectInput { client_id: Some(c.id), name: s("website"), ..Default::default() }),
        "name",
    );
    assert_eq!(b.projects(None, true).unwrap().len(), 1, "nothing was created by the refused inputs");

    assert!(b.archive_project(p.id, true).unwrap().archived);
    assert!(b.projects(Some(c.id), false).unwrap().is_empty());
    // An archived project takes no new time.
    let e = err(b.timer_start(TimerStartInput { project_id: p.id, ..Default::default() }));
    assert_eq!(e.field(), Some("project"));
}

#[test]
fn task_create_edit_archive() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None);
    let p = project(&mut b, c.id, "Website", None);
    let other = project(&mut b, c.id, "App", None);
    let t = task(&mut b, p.id, "Design", Some("90"));
    assert_eq!(t.rate, Some(dec!(90)));
    let t2 = b.edit_task(t.id, TaskInput { name: s("UX design"), rate: s(""), ..Default::default() }).unwrap();
    assert_eq!(t2.name, "UX design");
    assert_eq!(t2.rate, None);
    assert_invalid(b.edit_task(t.id, TaskInput { project_id: Some(other.id), ..Default::default() }), "project");
    assert_invalid(b.create_task(TaskInput { project_id: Some(p.id), name: s(""), rate: None }), "name");
    assert_invalid(b.create_task(TaskInput { project_id: None, name: s("X"), rate: None }), "project");
    assert_invalid(b.create_task(TaskInput { project_id: Some(p.id), name: s("X"), rate: s("-1") }), "rate");
    assert_invalid(b.create_task(TaskInput { project_id: Some(p.id), name: s("ux DESIGN"), rate: None }), "name");
    assert!(b.archive_task(t.id, true).unwrap().archived);
    assert!(b.tasks(Some(p.id), false).unwrap().is_empty());
    assert_eq!(b.tasks(Some(p.id), true).unwrap().len(), 1);
}

#[test]
fn member_create_edit_archive() {
    let mut b = Books::new();
    // A fresh book has one member: the person using the app.
    let me = b.members(false).unwrap();
    assert_eq!(me.len(), 1);
    let m =
        b.create_member(MemberInput { name: s("Sam"), email: s("sam@example.com"), default_rate: s("75") }).unwrap();
    assert_eq!(m.default_rate, Some(dec!(75)));
    let m2 = b.edit_member(m.id, MemberInput { default_rate: s("80.5"), ..Default::default() }).unwrap();
    assert_eq!(m2.default_rate, Some(dec!(80.5)));
    assert_eq!(m2.email, "sam@example.com");
    assert_invalid(b.create_member(MemberInput { name: s("X"), email: s("x@"), default_rate: None }), "email");
    assert_invalid(b.create_member(MemberInput { name: None, ..Default::default() }), "name");
    assert_invalid(b.edit_member(m.id, MemberInput { default_rate: s("-1"), ..Default::default() }), "default_rate");

    // A member with a running timer is not archived from under it.
    let c = client(&mut b, "Acme", None, None);
    let p = project(&mut b, c.id, "Website", None);
    b.timer_start(TimerStartInput { project_id: p.id, member_id: Some(m.id), ..Default::default() }).unwrap();
    assert_code(b.archive_member(m.id, true), "conflict");
    b.timer_discard(Some(m.id)).unwrap();
    assert!(b.archive_member(m.id, true).unwrap().archived);
    assert_eq!(b.members(false).unwrap().len(), 1);
    assert_eq!(b.members(true).unwrap().len(), 2);
}

#[test]
fn tax_rate_create_edit_archive() {
    let mut b = Books::new();
    let vat = b.create_tax_rate(TaxRateInput { name: s("VAT"), percent: s("20%"), ..Default::default() }).unwrap();
    assert_eq!(vat.tax.percent, dec!(20));
    assert_eq!(vat.tax.category, TaxCategory::S);

    assert_invalid(b.create_tax_rate(TaxRateInput { name: s("X"), ..Default::default() }), "percent");
    assert_invalid(
        b.create_tax_rate(TaxRateInput { name: s("X"), percent: s("120"), ..Default::default() }),
        "percent",
    );
    assert_invalid(b.create_tax_rate(TaxRateInput { name: s("X"), percent: s("-1"), ..Default::default() }), "percent");
    assert_invalid(b.create_tax_rate(TaxRateInput { name: s("X"), percent: s("0"), ..Default::default() }), "percent");
    assert_invalid(b.create_tax_rate(TaxRateInput { name: s(""), percent: s("5"), ..Default::default() }), "name");
    assert_invalid(
        b.create_tax_rate(TaxRateInput { name: s("X"), percent: s("0"), category: s("Q"), ..Default::default() }),
        "category",
    );
    assert_invalid(
        b.create_tax_rate(TaxRateInput { name: s("Exempt"), percent: s("0"), category: s("E"), ..Default::default() }),
        "exemption_reason",
    );
    let exempt = b
        .create_tax_rate(TaxRateInput {
            name: s("Exempt"),
            percent: s("0"),
            category: s("e"),
            exemption_reason: s("Art. 132 VAT Directive"),
        })
        .unwrap();
    assert_eq!(exempt.tax.category, TaxCategory::E);

    let edited = b.edit_tax_rate(vat.id, TaxRateInput { percent: s("19"), ..Default::default() }).unwrap();
    assert_eq!(edited.tax.name, "VAT", "the name is kept");
    assert_eq!(edited.tax.percent, dec!(19));

    b.archive_tax_rate(vat.id, true).unwrap();
    assert_eq!(b.tax_rates(false).unwrap().len(), 1);
    assert_eq!(b.tax_rates(true).unwrap().len(), 2);
    // An archived rate is not given to a client.
    assert_invalid(
        b.create_client(ClientInput { name: s("Acme"), tax_rate_ids: Some(vec![vat.id]), ..Default::default() }),
        "tax_rate_ids",
    );
}

#[test]
fn business_profile_and_iban_checksum() {
    let mut b = Books::new();
    let biz = b
        .update_business(BusinessInput {
            name: s("Studio Nord"),
            iban: s("de89 3704 0044 0532 0130 00"),
            bic: s("cobadeffxxx"),
            default_currency: s("chf"),
            payment_terms_days: s("21"),
            default_rate: s("100"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(biz.iban, "DE89370400440532013000", "spaces dropped, upper case");
    assert_eq!(biz.bic, "COBADEFFXXX");
    assert_eq!(biz.default_currency.code(), "CHF");
    assert_eq!(biz.payment_terms_days, 21);

    // One digit off: the checksum fails.
    let e = assert_invalid(
        b.update_business(BusinessInput { iban: s("DE89370400440532013001"), ..Default::default() }),
        "iban",
    );
    assert!(e.to_string().contains("IBAN"), "{e}");
    assert_invalid(b.update_business(BusinessInput { bic: s("COBA"), ..Default::default() }), "bic");
    assert_invalid(
        b.update_business(BusinessInput { default_currency: s("EURO"), ..Default::default() }),
        "default_currency",
    );
    assert_invalid(b.update_business(BusinessInput { email: s("nobody"), ..Default::default() }), "email");
    assert_invalid(
        b.update_business(BusinessInput { logo_path: s("/no/such/logo.gif"), ..Default::default() }),
        "logo_path",
    );
    assert_invalid(
        b.update_business(BusinessInput { default_tax_mode: s("sideways"), ..Default::default() }),
        "tax_mode",
    );
    assert_eq!(b.business().unwrap(), biz, "refused changes left the profile as it was");
}

#[test]
fn number_pattern_is_validated_and_used() {
    let mut b = Books::new();
    for bad in ["INV-{YEAR}-{SEQ}", "INV", "{SEQ}{SEQ}", "INV-{SEQ:0}", "INV-{SEQ"] {
        assert_invalid(
            b.update_business(BusinessInput { invoice_number_pattern: s(bad), ..Default::default() }),
            "number_pattern",
        );
    }
    assert_eq!(b.business().unwrap().invoice_number_pattern, "INV-{YYYY}-{SEQ:4}");
    b.update_business(BusinessInput { invoice_number_pattern: s("{YY}{MM}-{SEQ:3}"), ..Default::default() }).unwrap();
    let c = client(&mut b, "Acme", None, None);
    let inv = manual_invoice(&mut b, c.id, vec![line("Work", "1", "10")]);
    assert_eq!(inv.invoice.number, "2605-001");
}

#[test]
fn moving_a_project_moves_its_unbilled_time_but_not_billed_time() {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme", None, None);
    let globex = client(&mut b, "Globex", Some("USD"), None);
    let p = project(&mut b, acme.id, "Website", Some("100"));
    let billed = hours(&mut b, p.id, None, "2026-05-04", "2");
    let open = hours(&mut b, p.id, None, "2026-05-05", "1");
    let inv = bill(&mut b, acme.id, &[billed.entry.id], "entry");

    let moved = b.edit_project(p.id, ProjectInput { client_id: Some(globex.id), ..Default::default() }).unwrap();
    assert_eq!(moved.client_id, globex.id);
    // The unbilled hour follows the project to Globex …
    assert_eq!(b.entry(open.entry.id).unwrap().entry.client_id, globex.id);
    let u = b.unbilled(billable_app::UnbilledInput { client_id: globex.id, ..Default::default() }).unwrap();
    assert_eq!(u.entries.len(), 1);
    // … while the billed two hours stay with the client they were invoiced to.
    let kept = b.entry(billed.entry.id).unwrap();
    assert_eq!(kept.entry.client_id, acme.id, "billed time stays with the invoice's client");
    assert_eq!(kept.entry.invoice_id, Some(inv.invoice.id));
    let report = b
        .time_report(billable_app::TimeReportInput {
            group: billable_app::TimeGroup::Client,
            from: "2026-05-01".into(),
            to: "2026-05-31".into(),
        })
        .unwrap();
    let acme_row = report.rows.iter().find(|r| r.name == "Acme").expect("Acme keeps its billed hours");
    assert_eq!(acme_row.seconds, 7200);
    assert_eq!(acme_row.currency.code(), "EUR");
}

#[test]
fn editing_a_tax_rate_leaves_invoices_as_they_were() {
    let mut b = Books::new();
    let vat = b.create_tax_rate(TaxRateInput { name: s("VAT"), percent: s("20"), ..Default::default() }).unwrap();
    let c = b
        .create_client(ClientInput { name: s("Acme"), tax_rate_ids: Some(vec![vat.id]), ..Default::default() })
        .unwrap();
    let sent = manual_invoice(&mut b, c.id, vec![line("Work", "1", "100")]).invoice.number;
    b.mark_sent(&sent).unwrap();
    let draft = manual_invoice(&mut b, c.id, vec![line("Work", "1", "100")]).invoice.number;
    b.edit_tax_rate(vat.id, TaxRateInput { percent: s("19"), ..Default::default() }).unwrap();
    for n in [&sent, &draft] {
        let v = b.invoice(n).unwrap();
        assert_eq!(v.invoice.taxes[0].percent, dec!(20), "{n} keeps its snapshot");
        assert_eq!(v.invoice.total, dec!(120.00));
    }
    // A new invoice takes the new rate: 100 + 19% = 119.00
    assert_eq!(manual_invoice(&mut b, c.id, vec![line("Work", "1", "100")]).invoice.total, dec!(119.00));
}
