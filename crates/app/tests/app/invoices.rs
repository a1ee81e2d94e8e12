//! Invoices: by hand and from time, drafts and issued ones, numbering,
//! cancelling, cloning, listing and bulk actions.

use billable_app::core::status::{DisplayStatus, InvoiceStatus};
use billable_app::core::tax::TaxMode;
use billable_app::{
    BulkAction, ClientInput, CloneInput, EntryListInput, FromTimeInput, HeaderInput, InvoiceInput, InvoiceListInput,
    LineInput, PaymentInput, TaxRateInput, UnbilledInput,
};
use chrono::NaiveDate;
use rust_decimal_macros::dec;

use crate::support::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Acme (EUR) with project Website at 120/h; tasks Design (no rate) and
/// Build (150/h); four unbilled entries:
///   e1 Design 2026-05-04 2h        → 240.00
///   e2 Design 2026-05-05 1h30m     → 180.00
///   e3 Build  2026-05-05 1h20m     → 200.00 (4800 s × 150 / 3600)
///   e4 (none) 2026-05-06 30m       →  60.00
/// and a second client, Globex.
struct Shop {
    acme: i64,
    globex: i64,
    website: i64,
    e: [i64; 4],
}

fn shop(b: &mut Books) -> Shop {
    let acme = client(b, "Acme", None, None).id;
    let globex = client(b, "Globex", None, None).id;
    let website = project(b, acme, "Website", Some("120")).id;
    let design = task(b, website, "Design", None).id;
    let build = task(b, website, "Build", Some("150")).id;
    let e = [
        hours(b, website, Some(design), "2026-05-04", "2").entry.id,
        hours(b, website, Some(design), "2026-05-05", "1h30m").entry.id,
        hours(b, website, Some(build), "2026-05-05", "1h20m").entry.id,
        hours(b, website, None, "2026-05-06", "30m").entry.id,
    ];
    Shop { acme, globex, website, e }
}

fn all_time(client_id: i64, grouping: &str, preview: bool) -> FromTimeInput {
    FromTimeInput { client_id, grouping: s(grouping), preview, ..Default::default() }
}

fn count(b: &mut Books) -> u64 {
    b.invoices(InvoiceListInput::default()).unwrap().total
}

fn unbilled_ids(b: &mut Books, client_id: i64) -> Vec<i64> {
    b.unbilled(UnbilledInput { client_id, ..Default::default() }).unwrap().entries.iter().map(|e| e.entry.id).collect()
}

fn numbers(rows: &billable_app::views::InvoicePage) -> Vec<&str> {
    rows.rows.iter().map(|r| r.invoice.number.as_str()).collect()
}

#[test]
fn create_by_hand_with_lines_and_header() {
    let mut b = Books::new();
    let vat = b.create_tax_rate(TaxRateInput { name: s("VAT 20%"), percent: s("20"), ..Default::default() }).unwrap();
    let c =
        b.create_client(ClientInput { name: s("Acme"), payment_terms_days: s("14"), ..Default::default() }).unwrap();
    let inv = b
        .create_invoice(InvoiceInput {
            client_id: c.id,
            number: None,
            header: HeaderInput {
                tax_rate_ids: Some(vec![vat.id]),
                notes: s("Thank you"),
                po_number: s("PO-7"),
                tags: Some(vec!["web, q2".into(), "web".into()]),
                ..Default::default()
            },
            lines: vec![
                LineInput { unit: s("hours"), ..line("Design", "10", "100") },
                LineInput { discount: s("10%"), ..line("Hosting", "1", "20") },
            ],
        })
        .unwrap();
    let i = &inv.invoice;
    assert_eq!(i.number, "INV-2026-0001");
    assert_eq!(i.status, InvoiceStatus::Draft);
    assert_eq!(i.issue_date, day("2026-05-10"), "today on the clock");
    assert_eq!(i.due_date, day("2026-05-24"), "the client's 14 days");
    assert_eq!(i.currency.code(), "EUR");
    assert_eq!(i.tags, vec!["web", "q2"]);
    assert_eq!(i.po_number, "PO-7");
    // 10 × 100 = 1000.00; 1 × 20 − 10% = 18.00; subtotal 1018.00
    // VAT 20% of 1018.00 = 203.60; total 1221.60
    assert_eq!(inv.lines.len(), 2);
    assert_eq!(inv.lines[0].amount, dec!(1000.00));
    assert_eq!(inv.lines[1].amount, dec!(18.00));
    assert_eq!(i.subtotal, dec!(1018.00));
    assert_eq!(i.tax_total, dec!(203.60));
    assert_eq!(i.total, dec!(1221.60));
    assert_eq!(i.balance_due, dec!(1221.60));
    assert_eq!(inv.totals.taxes.len(), 1);
    assert_eq!(inv.totals.taxes[0].base, dec!(1018.00));
    assert_eq!(inv.activity.iter().map(|a| a.kind.as_str()).collect::<Vec<_>>(), vec!["created"]);
    // Reading it back gives the same.
    let again = b.invoice("INV-2026-0001").unwrap();
    assert_eq!(again.invoice, inv.invoice);
    assert_eq!(again.lines, inv.lines);
    assert_eq!(b.invoice(&i.id.to_string()).unwrap().invoice.number, "INV-2026-0001", "by id too");
}

#[test]
fn bad_invoices_are_refused_whole() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let bad = |lines: Vec<LineInput>, header: HeaderInput| InvoiceInput { client_id: c, number: None, header, lines };
    let h = HeaderInput::default;
    assert_invalid(b.create_invoice(bad(vec![LineInput { rate: None, ..line("A", "1", "1") }], h())), "lines[1].rate");
    assert_invalid(b.create_invoice(bad(vec![line("A", "1", "1"), line("B", "abc", "1")], h())), "lines[2].quantity");
    assert_invalid(b.create_invoice(bad(vec![line("A", "1", "-1")], h())), "lines[1].rate");
    assert_invalid(
        b.create_invoice(bad(vec![LineInput { description: None, ..line("A", "1", "1") }], h())),
        "lines[1].description",
    );
    assert_invalid(
        b.create_invoice(bad(vec![LineInput { discount: s("50"), ..line("A", "1", "10") }], h())),
        "lines[1].discount",
    );
    assert_invalid(
        b.create_invoice(bad(vec![], HeaderInput { issue_date: s("2026-05-10"), due_date: s("2026-05-01"), ..h() })),
        "due_date",
    );
    assert_invalid(b.create_invoice(bad(vec![], HeaderInput { tax_rate_ids: Some(vec![77]), ..h() })), "taxes");
    assert_invalid(b.create_invoice(bad(vec![], HeaderInput { currency: s("ABC"), ..h() })), "currency");
    assert_invalid(b.create_invoice(bad(vec![], HeaderInput { issue_date: s("10.05.2026"), ..h() })), "issue_date");
    assert_invalid(b.create_invoice(InvoiceInput { client_id: 999, ..Default::default() }), "client");
    assert_eq!(count(&mut b), 0, "no half invoice");
    // No number was used up by the refused attempts.
    assert_eq!(manual_invoice(&mut b, c, vec![line("A", "1", "1")]).invoice.number, "INV-2026-0001");
}

#[test]
fn an_empty_draft_left_untouched_gives_its_number_back() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let empty = manual_invoice(&mut b, c, vec![]).invoice.number;
    assert_eq!(empty, "INV-2026-0001");
    assert!(b.discard_untouched_draft(&empty).unwrap(), "nothing was entered: discarded");
    assert_eq!(count(&mut b), 0);
    // The next invoice takes the number the empty draft gave back.
    let kept = manual_invoice(&mut b, c, vec![]).invoice.number;
    assert_eq!(kept, "INV-2026-0001");
    // Something entered keeps the draft and its number.
    b.add_line(&kept, line("Design", "2", "100")).unwrap();
    assert!(!b.discard_untouched_draft(&kept).unwrap());
    let touched = manual_invoice(&mut b, c, vec![]).invoice.number;
    b.set_header(&touched, HeaderInput { notes: s("Thanks"), ..Default::default() }).unwrap();
    assert!(!b.discard_untouched_draft(&touched).unwrap(), "a changed header is something entered");
    // An older empty draft goes, but its number stays used: numbers are
    // given back only by the newest, so no gap can open behind a later one.
    let older = manual_invoice(&mut b, c, vec![]).invoice.number;
    let newest = manual_invoice(&mut b, c, vec![line("A", "1", "1")]).invoice.number;
    assert!(b.discard_untouched_draft(&older).unwrap());
    assert_ne!(manual_invoice(&mut b, c, vec![]).invoice.number, older);
    // Issued invoices are never discarded.
    b.mark_sent(&newest).unwrap();
    assert!(!b.discard_untouched_draft(&newest).unwrap());
    assert_eq!(b.invoice(&newest).unwrap().invoice.number, newest);
}

#[test]
fn preview_creates_nothing_and_takes_no_number() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let p = preview(b.invoice_from_time(all_time(sh.acme, "task", true)).unwrap());
    assert_eq!(p.lines.len(), 3);
    let d: Vec<_> = p.lines.iter().map(|l| (l.description.as_str(), l.quantity, l.amount)).collect();
    assert_eq!(
        d,
        vec![
            // e1 + e2 = 3.5 h × 120 = 420.00
            ("Website / Design — May 4 – May 5, 3:30 h", dec!(3.50), dec!(420.00)),
            // e3 = 1h20m × 150 = 200.00 (1:20 h, where 1.33 × 150 would not be)
            ("Website / Build — May 5, 1:20 h", dec!(1.33), dec!(200.00)),
            // e4 = 0.5 h × 120 = 60.00
            ("Website — May 6, 0:30 h", dec!(0.50), dec!(60.00)),
        ]
    );
    assert_eq!(p.lines[0].entry_ids, vec![sh.e[0], sh.e[1]]);
    assert_eq!(p.entry_count, 4);
    assert_eq!(p.raw_seconds, 7200 + 5400 + 4800 + 1800);
    assert_eq!(p.totals.total, dec!(680.00));

    assert_eq!(count(&mut b), 0, "a preview creates no invoice");
    assert_eq!(unbilled_ids(&mut b, sh.acme).len(), 4, "and bills no time");
    let inv = created(b.invoice_from_time(all_time(sh.acme, "task", false)).unwrap());
    assert_eq!(inv.invoice.number, "INV-2026-0001", "the preview took no number");
    assert_eq!(inv.invoice.total, dec!(680.00));
    assert_eq!(inv.lines.iter().map(|l| l.amount).collect::<Vec<_>>(), vec![dec!(420.00), dec!(200.00), dec!(60.00)]);
    assert_eq!(inv.lines[1].seconds, Some(4800));
    assert_eq!(inv.lines[1].unit, "hours");
    assert!(unbilled_ids(&mut b, sh.acme).is_empty());
    for id in sh.e {
        assert_eq!(b.entry(id).unwrap().entry.invoice_id, Some(inv.invoice.id));
    }
}

#[test]
fn grouping_by_entry_project_and_day() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let by = |b: &mut Books, g: &str| preview(b.invoice_from_time(all_time(sh.acme, g, true)).unwrap());

    let entry = by(&mut b, "entry");
    assert_eq!(entry.lines.len(), 4);
    assert_eq!(entry.lines[0].description, "Website / Design — May 4, 2:00 h");
    assert_eq!(entry.lines.iter().map(|l| l.entry_ids.clone()).collect::<Vec<_>>(), sh.e.map(|e| vec![e]).to_vec());

    // Per project and rate: e1 + e2 + e4 = 4 h × 120 = 480.00; e3 at 150 = 200.00
    let project = by(&mut b, "project");
    assert_eq!(project.lines.len(), 2);
    assert_eq!(project.lines[0].description, "Website — May 4 – May 6, 4:00 h");
    assert_eq!(project.lines[0].amount, dec!(480.00));
    assert_eq!(project.lines[0].entry_ids, vec![sh.e[0], sh.e[1], sh.e[3]]);
    assert_eq!(project.lines[1].amount, dec!(200.00));

    // Per day and rate: 05-04 240.00; 05-05 at 120 180.00; 05-05 at 150 200.00; 05-06 60.00
    let days = by(&mut b, "day");
    assert_eq!(
        days.lines.iter().map(|l| (l.description.as_str(), l.amount)).collect::<Vec<_>>(),
        vec![
            ("Website — May 4, 2:00 h", dec!(240.00)),
            ("Website — May 5, 1:30 h", dec!(180.00)),
            ("Website — May 5, 1:20 h", dec!(200.00)),
            ("Website — May 6, 0:30 h", dec!(60.00)),
        ]
    );
    for p in [&entry, &project, &days] {
        assert_eq!(p.totals.total, dec!(680.00), "every grouping bills the same");
    }
    assert_invalid(b.invoice_from_time(all_time(sh.acme, "week", true)), "group");
    assert_eq!(count(&mut b), 0);
}

#[test]
fn from_time_with_chosen_ids_and_with_a_date_range() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let chosen = bill(&mut b, sh.acme, &[sh.e[0], sh.e[2]], "task");
    // e1 240.00 + e3 200.00
    assert_eq!(chosen.invoice.total, dec!(440.00));
    assert_eq!(chosen.lines.len(), 2);
    assert_eq!(unbilled_ids(&mut b, sh.acme), vec![sh.e[1], sh.e[3]]);

    // 05-05..05-06 still holds e2 and e4 unbilled (e3 is billed).
    let ranged = created(
        b.invoice_from_time(FromTimeInput {
            client_id: sh.acme,
            from: s("2026-05-05"),
            to: s("2026-05-06"),
            grouping: s("entry"),
            ..Default::default()
        })
        .unwrap(),
    );
    assert_eq!(ranged.invoice.number, "INV-2026-0002");
    assert_eq!(ranged.lines.iter().flat_map(|l| l.entry_ids.clone()).collect::<Vec<_>>(), vec![sh.e[1], sh.e[3]]);
    // 180.00 + 60.00
    assert_eq!(ranged.invoice.total, dec!(240.00));
    assert_eq!(ranged.invoice.project_id, None);

    // Nothing left in that range.
    assert_invalid(
        b.invoice_from_time(FromTimeInput { client_id: sh.acme, from: s("2026-05-04"), ..Default::default() }),
        "entries",
    );
    assert_invalid(
        b.invoice_from_time(FromTimeInput { client_id: sh.acme, entry_ids: Some(vec![]), ..Default::default() }),
        "entries",
    );
    assert_eq!(count(&mut b), 2);
}

#[test]
fn an_entry_is_never_billed_twice() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let first = bill(&mut b, sh.acme, &[sh.e[0], sh.e[1]], "task");
    let e = assert_invalid(
        b.invoice_from_time(FromTimeInput {
            client_id: sh.acme,
            entry_ids: Some(vec![sh.e[0], sh.e[1]]),
            ..Default::default()
        }),
        "entries",
    );
    assert!(e.to_string().contains(&sh.e[0].to_string()), "{e}");
    // Mixing a billed entry with an unbilled one creates nothing either.
    assert_invalid(
        b.invoice_from_time(FromTimeInput {
            client_id: sh.acme,
            entry_ids: Some(vec![sh.e[2], sh.e[0]]),
            ..Default::default()
        }),
        "entries",
    );
    // Another client's entry cannot be billed to Globex.
    assert_invalid(
        b.invoice_from_time(FromTimeInput {
            client_id: sh.globex,
            entry_ids: Some(vec![sh.e[3]]),
            ..Default::default()
        }),
        "entries",
    );
    assert_eq!(count(&mut b), 1);
    assert_eq!(unbilled_ids(&mut b, sh.acme), vec![sh.e[2], sh.e[3]]);
    assert_eq!(b.entry(sh.e[0]).unwrap().entry.invoice_id, Some(first.invoice.id));
    // The next invoice gets the next number: the failures used none.
    assert_eq!(bill(&mut b, sh.acme, &[sh.e[2]], "task").invoice.number, "INV-2026-0002");
}

#[test]
fn lines_are_added_edited_moved_and_deleted_with_totals_recomputed() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let inv = manual_invoice(&mut b, c, vec![line("Design", "10", "100"), line("Hosting", "1", "20")]);
    let n = inv.invoice.number.clone();
    assert_eq!(inv.invoice.total, dec!(1020.00));

    // + 2.5 × 80 = 200.00 → 1220.00
    let v = b.add_line(&n, line("Support", "2.5", "80")).unwrap();
    assert_eq!(v.lines.len(), 3);
    assert_eq!(v.lines[2].position, 3);
    assert_eq!(v.invoice.total, dec!(1220.00));
    // Hosting 1 → 3: 60.00 → 1260.00
    let v = b.edit_line(&n, 2, LineInput { quantity: s("3"), ..Default::default() }).unwrap();
    assert_eq!(v.lines[1].amount, dec!(60.00));
    assert_eq!(v.lines[1].description, "Hosting", "fields not given stay");
    assert_eq!(v.invoice.total, dec!(1260.00));
    // Support − 10% = 180.00 → 1240.00
    let v = b.edit_line(&n, 3, LineInput { discount: s("10%"), ..Default::default() }).unwrap();
    assert_eq!(v.lines[2].amount, dec!(180.00));
    assert_eq!(v.invoice.total, dec!(1240.00));
    // Support to the top.
    let v = b.move_line(&n, 3, 1).unwrap();
    assert_eq!(
        v.lines.iter().map(|l| (l.position, l.description.as_str())).collect::<Vec<_>>(),
        vec![(1, "Support"), (2, "Design"), (3, "Hosting")]
    );
    assert_eq!(v.invoice.total, dec!(1240.00));
    // Without Design: 180.00 + 60.00 = 240.00
    let v = b.delete_line(&n, 2).unwrap();
    assert_eq!(
        v.lines.iter().map(|l| (l.position, l.description.as_str())).collect::<Vec<_>>(),
        vec![(1, "Support"), (2, "Hosting")]
    );
    assert_eq!(v.invoice.subtotal, dec!(240.00));
    // Document discount 10% = 24.00 → 216.00; adjustment −0.50 → 215.50
    let v = b.set_header(&n, HeaderInput { discount: s("10%"), adjustment: s("-0.50"), ..Default::default() }).unwrap();
    assert_eq!(v.invoice.discount_amount, dec!(24.00));
    assert_eq!(v.invoice.adjustment, dec!(-0.50));
    assert_eq!(v.invoice.total, dec!(215.50));
    assert_eq!(v.invoice.balance_due, dec!(215.50));

    // Refused edits name the field and change nothing.
    assert_invalid(b.edit_line(&n, 5, LineInput { quantity: s("1"), ..Default::default() }), "line");
    assert_invalid(b.move_line(&n, 1, 9), "to");
    assert_invalid(b.add_line(&n, LineInput { rate: None, ..line("X", "1", "1") }), "lines[3].rate");
    assert_invalid(b.edit_line(&n, 1, LineInput { rate: s("-1"), ..Default::default() }), "lines[1].rate");
    // Support's gross is 200.00: a fixed discount of 500 is too much.
    assert_invalid(b.edit_line(&n, 1, LineInput { discount: s("500"), ..Default::default() }), "lines[1].discount");
    // Summary mode: no tax on a line.
    assert_invalid(b.edit_line(&n, 1, LineInput { tax_rate_id: s("1"), ..Default::default() }), "lines[1].tax");
    assert_invalid(b.set_header(&n, HeaderInput { adjustment: s("0.001"), ..Default::default() }), "adjustment");
    assert_invalid(b.set_header(&n, HeaderInput { discount: s("1000"), ..Default::default() }), "discount");

    let stored = b.invoice(&n).unwrap();
    assert_eq!(stored.invoice.total, dec!(215.50));
    assert_eq!(stored.lines.len(), 2);
    let kinds: Vec<_> = stored.activity.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "created",
            "line_added",
            "line_changed",
            "line_changed",
            "lines_reordered",
            "line_removed",
            "header_changed"
        ]
    );
}

#[test]
fn only_drafts_can_be_edited() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let empty = manual_invoice(&mut b, c, vec![]);
    assert_invalid(b.mark_sent(&empty.invoice.number), "lines");

    let inv = manual_invoice(&mut b, c, vec![line("Design", "10", "100")]);
    let n = inv.invoice.number.clone();
    let sent = b.mark_sent(&n).unwrap();
    assert_eq!(sent.invoice.status, InvoiceStatus::Sent);
    assert_eq!(sent.invoice.issued_at, Some(chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc()));
    let e = assert_code(b.edit_line(&n, 1, LineInput { quantity: s("1"), ..Default::default() }), "conflict");
    assert!(e.to_string().contains("only drafts"), "{e}");
    assert_code(b.set_header(&n, HeaderInput { notes: s("changed"), ..Default::default() }), "conflict");
    assert_code(b.add_line(&n, line("More", "1", "1")), "conflict");
    assert_code(b.delete_line(&n, 1), "conflict");
    assert_code(b.move_line(&n, 1, 1), "conflict");
    assert_code(b.mark_sent(&n), "conflict");
    let after = b.invoice(&n).unwrap();
    assert_eq!(after.invoice, sent.invoice, "frozen");
    assert_eq!(after.lines, sent.lines);
}

#[test]
fn deleting_a_line_releases_its_time() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let inv = created(b.invoice_from_time(all_time(sh.acme, "task", false)).unwrap());
    let n = inv.invoice.number;
    // Line 1 is Design (e1, e2, 420.00).
    let v = b.delete_line(&n, 1).unwrap();
    assert_eq!(v.invoice.total, dec!(260.00)); // 200.00 + 60.00
    assert_eq!(unbilled_ids(&mut b, sh.acme), vec![sh.e[0], sh.e[1]]);
    assert_eq!(b.entry(sh.e[2]).unwrap().entry.invoice_id, Some(v.invoice.id));
    // They can be billed again.
    assert_eq!(bill(&mut b, sh.acme, &[sh.e[0], sh.e[1]], "task").invoice.total, dec!(420.00));
}

#[test]
fn deleting_a_draft_releases_its_time_and_its_number_is_never_reused() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let first = created(b.invoice_from_time(all_time(sh.acme, "task", false)).unwrap());
    assert_eq!(first.invoice.number, "INV-2026-0001");
    let deleted = b.delete_invoice("INV-2026-0001").unwrap();
    assert_eq!(deleted.invoice.number, "INV-2026-0001");
    assert_code(b.invoice("INV-2026-0001"), "not_found");
    assert_eq!(count(&mut b), 0);
    assert_eq!(unbilled_ids(&mut b, sh.acme), sh.e.to_vec());
    for id in sh.e {
        assert_eq!(b.entry(id).unwrap().entry.invoice_id, None);
    }
    let second = created(b.invoice_from_time(all_time(sh.acme, "task", false)).unwrap());
    assert_eq!(second.invoice.number, "INV-2026-0002", "0001 is gone for good");
    // Not even by hand.
    let e = assert_invalid(
        b.create_invoice(InvoiceInput { client_id: sh.acme, number: s("INV-2026-0001"), ..Default::default() }),
        "number",
    );
    assert!(e.to_string().contains("never reused"), "{e}");
}

#[test]
fn custom_numbers_are_accepted_when_unique() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let custom = b.create_invoice(InvoiceInput { client_id: c, number: s(" ACME-7 "), ..Default::default() }).unwrap();
    assert_eq!(custom.invoice.number, "ACME-7");
    assert_invalid(
        b.create_invoice(InvoiceInput { client_id: c, number: s("ACME-7"), ..Default::default() }),
        "number",
    );
    // A deleted draft's custom number stays used.
    b.delete_invoice("ACME-7").unwrap();
    assert_invalid(
        b.create_invoice(InvoiceInput { client_id: c, number: s("ACME-7"), ..Default::default() }),
        "number",
    );
    // A custom number the pattern would give later is skipped by the pattern.
    b.create_invoice(InvoiceInput { client_id: c, number: s("INV-2026-0002"), ..Default::default() }).unwrap();
    assert_eq!(manual_invoice(&mut b, c, vec![]).invoice.number, "INV-2026-0001");
    assert_eq!(manual_invoice(&mut b, c, vec![]).invoice.number, "INV-2026-0003");
    assert_invalid(
        b.create_invoice(InvoiceInput { client_id: c, number: s("A\u{1}B"), ..Default::default() }),
        "number",
    );
    assert_eq!(count(&mut b), 3);
}

#[test]
fn the_counter_runs_per_year_of_the_issue_date() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let dated = |b: &mut Books, date: &str| {
        b.create_invoice(InvoiceInput {
            client_id: c,
            header: HeaderInput { issue_date: s(date), ..Default::default() },
            ..Default::default()
        })
        .unwrap()
        .invoice
        .number
    };
    assert_eq!(dated(&mut b, "2026-12-31"), "INV-2026-0001");
    assert_eq!(dated(&mut b, "2027-01-05"), "INV-2027-0001");
    assert_eq!(dated(&mut b, "2026-06-01"), "INV-2026-0002");
    assert_eq!(dated(&mut b, "2027-02-01"), "INV-2027-0002");
}

#[test]
fn cancelling_releases_time_but_not_with_payments() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let inv = bill(&mut b, sh.acme, &sh.e, "task");
    let n = inv.invoice.number.clone();
    b.mark_sent(&n).unwrap();
    let cancelled = b.cancel_invoice(&n).unwrap();
    assert_eq!(cancelled.invoice.status, InvoiceStatus::Cancelled);
    assert_eq!(cancelled.display_status, DisplayStatus::Cancelled);
    assert_eq!(cancelled.invoice.total, dec!(680.00), "the cancelled invoice keeps its amounts");
    assert!(cancelled.lines.iter().all(|l| l.entry_ids.is_empty()));
    assert_eq!(unbilled_ids(&mut b, sh.acme), sh.e.to_vec());
    assert_code(b.cancel_invoice(&n), "conflict");
    assert_code(b.set_status(&n, "sent"), "conflict");
    assert_code(b.delete_invoice(&n), "conflict");

    // The time goes on a new invoice, with a new number.
    let again = bill(&mut b, sh.acme, &sh.e, "task");
    assert_eq!(again.invoice.number, "INV-2026-0002");
    b.mark_sent(&again.invoice.number).unwrap();
    b.record_payment(&again.invoice.number, PaymentInput { amount: s("100"), ..Default::default() }).unwrap();
    let e = assert_code(b.cancel_invoice(&again.invoice.number), "conflict");
    assert!(e.to_string().contains("payments"), "{e}");
    assert_code(b.set_status(&again.invoice.number, "cancelled"), "conflict");
    let still = b.invoice(&again.invoice.number).unwrap();
    assert_eq!(still.invoice.status, InvoiceStatus::PartiallyPaid);
    assert!(unbilled_ids(&mut b, sh.acme).is_empty(), "the time stays billed");
}

#[test]
fn drafts_can_be_cancelled_too() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let inv = bill(&mut b, sh.acme, &[sh.e[0]], "entry");
    let v = b.set_status(&inv.invoice.number, "cancelled").unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::Cancelled);
    assert_eq!(unbilled_ids(&mut b, sh.acme).len(), 4);
}

#[test]
fn only_drafts_can_be_deleted() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let sent = manual_invoice(&mut b, c, vec![line("A", "1", "100")]).invoice.number;
    b.mark_sent(&sent).unwrap();
    let paid = manual_invoice(&mut b, c, vec![line("B", "1", "100")]).invoice.number;
    b.mark_paid(&paid).unwrap();
    let e = assert_code(b.delete_invoice(&sent), "conflict");
    assert!(e.to_string().contains("cancel it instead"), "{e}");
    let e = assert_code(b.delete_invoice(&paid), "conflict");
    assert!(e.to_string().contains("payments"), "{e}");
    assert_eq!(count(&mut b), 2);
    assert_code(b.delete_invoice("INV-2099-0001"), "not_found");
}

#[test]
fn status_set_by_hand_must_agree_with_payments() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let n = manual_invoice(&mut b, c, vec![line("A", "1", "100")]).invoice.number;
    // Draft → sent by hand issues it.
    let v = b.set_status(&n, "sent").unwrap();
    assert_eq!(v.invoice.status, InvoiceStatus::Sent);
    assert!(v.invoice.issued_at.is_some());
    assert!(v.activity.iter().any(|a| a.kind == "status_changed"));

    let e = assert_invalid(b.set_status(&n, "paid"), "status");
    assert!(e.to_string().contains("record a payment"), "{e}");
    assert_invalid(b.set_status(&n, "partially_paid"), "status");
    assert_code(b.set_status(&n, "draft"), "conflict");
    assert_invalid(b.set_status(&n, "lost"), "status");
    assert_eq!(b.invoice(&n).unwrap().invoice.status, InvoiceStatus::Sent);

    b.record_payment(&n, PaymentInput { amount: s("100.00"), ..Default::default() }).unwrap();
    assert_eq!(b.invoice(&n).unwrap().invoice.status, InvoiceStatus::Paid);
    assert_invalid(b.set_status(&n, "sent"), "status");
    assert_code(b.set_status(&n, "draft"), "conflict");
    // Setting the status it already has is fine.
    assert_eq!(b.set_status(&n, "paid").unwrap().invoice.status, InvoiceStatus::Paid);
}

#[test]
fn clone_onto_another_client_with_new_dates() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let src = created(
        b.invoice_from_time(FromTimeInput {
            client_id: sh.acme,
            project_id: Some(sh.website),
            grouping: s("task"),
            ..Default::default()
        })
        .unwrap(),
    );
    assert_eq!(src.invoice.project_id, Some(sh.website));
    b.mark_sent(&src.invoice.number).unwrap();
    let copy = b
        .clone_invoice(
            &src.invoice.number,
            CloneInput { client_id: Some(sh.globex), issue_date: s("2026-06-01"), due_date: s("2026-06-15") },
        )
        .unwrap();
    assert_eq!(copy.invoice.number, "INV-2026-0002");
    assert_eq!(copy.invoice.client_id, sh.globex);
    assert_eq!(copy.client_name, "Globex");
    assert_eq!(copy.invoice.project_id, None, "Acme's project does not follow to Globex");
    assert_eq!(copy.invoice.status, InvoiceStatus::Draft);
    assert_eq!(copy.invoice.issued_at, None);
    assert_eq!(copy.invoice.issue_date, day("2026-06-01"));
    assert_eq!(copy.invoice.due_date, day("2026-06-15"));
    assert_eq!(copy.invoice.total, dec!(680.00));
    assert_eq!(copy.lines.len(), 3);
    for (c, s) in copy.lines.iter().zip(&src.lines) {
        assert_eq!((&c.description, c.quantity, c.rate, c.amount), (&s.description, s.quantity, s.rate, s.amount));
        assert!(c.entry_ids.is_empty(), "no time links on the copy");
        assert_ne!(c.id, s.id);
    }
    // The time stays on the original.
    let original = b.invoice(&src.invoice.number).unwrap();
    assert_eq!(original.lines[0].entry_ids, vec![sh.e[0], sh.e[1]]);
    assert_eq!(original.invoice.status, InvoiceStatus::Sent);
    assert!(unbilled_ids(&mut b, sh.acme).is_empty());
    // The copy is a draft like any other: editable, and deleting it frees no time.
    b.edit_line(&copy.invoice.number, 1, LineInput { quantity: s("1"), ..Default::default() }).unwrap();
    b.delete_invoice(&copy.invoice.number).unwrap();
    assert!(unbilled_ids(&mut b, sh.acme).is_empty());

    // Same client, dates defaulting to today and the client's terms.
    let same = b.clone_invoice(&src.invoice.number, CloneInput::default()).unwrap();
    assert_eq!(same.invoice.client_id, sh.acme);
    assert_eq!(same.invoice.issue_date, day("2026-05-10"));
    assert_eq!(same.invoice.due_date, day("2026-06-09"), "30 days, the business default");
    assert_eq!(same.invoice.number, "INV-2026-0003");
    assert_invalid(
        b.clone_invoice(&src.invoice.number, CloneInput { due_date: s("2026-01-01"), ..Default::default() }),
        "due_date",
    );
}

/// A1 Acme  2026-03-01 due 03-31 100.00 sent (overdue on 05-10)
/// A2 Acme  2026-04-15 due 05-15 300.00 sent
/// G1 Globex 2026-05-01 due 05-31 200.00 draft
/// G2 Globex 2026-05-02 due 06-01  50.00 paid
fn four_invoices(b: &mut Books) -> (i64, i64) {
    let acme = client(b, "Acme", None, None).id;
    let globex = client(b, "Globex", None, None).id;
    let mut make = |client_id: i64, issue: &str, due: &str, amount: &str| {
        b.create_invoice(InvoiceInput {
            client_id,
            number: None,
            header: HeaderInput { issue_date: s(issue), due_date: s(due), ..Default::default() },
            lines: vec![line("Work", "1", amount)],
        })
        .unwrap()
        .invoice
        .number
    };
    let a1 = make(acme, "2026-03-01", "2026-03-31", "100");
    let a2 = make(acme, "2026-04-15", "2026-05-15", "300");
    let _g1 = make(globex, "2026-05-01", "2026-05-31", "200");
    let g2 = make(globex, "2026-05-02", "2026-06-01", "50");
    b.mark_sent(&a1).unwrap();
    b.mark_sent(&a2).unwrap();
    b.mark_paid(&g2).unwrap();
    (acme, globex)
}

#[test]
fn list_filters_by_status_client_dates_and_text() {
    let mut b = Books::new();
    let (acme, _) = four_invoices(&mut b);
    let list = |b: &mut Books, i: InvoiceListInput| b.invoices(i).unwrap();
    let by_status = |b: &mut Books, st: &str| list(b, InvoiceListInput { status: s(st), ..Default::default() });

    let overdue = by_status(&mut b, "overdue");
    assert_eq!(numbers(&overdue), vec!["INV-2026-0001"]);
    assert_eq!(overdue.rows[0].display_status, DisplayStatus::Overdue);
    assert_eq!(overdue.rows[0].invoice.status, InvoiceStatus::Sent, "overdue is derived, not stored");
    assert_eq!(numbers(&by_status(&mut b, "sent")), vec!["INV-2026-0002"], "overdue ones are not listed as sent");
    assert_eq!(numbers(&by_status(&mut b, "draft")), vec!["INV-2026-0003"]);
    assert_eq!(numbers(&by_status(&mut b, "paid")), vec!["INV-2026-0004"]);
    assert_eq!(by_status(&mut b, "cancelled").total, 0);
    assert_invalid(b.invoices(InvoiceListInput { status: s("lost"), ..Default::default() }), "status");

    let acme_only = list(&mut b, InvoiceListInput { client_id: Some(acme), ..Default::default() });
    assert_eq!(numbers(&acme_only), vec!["INV-2026-0001", "INV-2026-0002"]);
    let april_may = list(&mut b, InvoiceListInput { from: s("2026-04-01"), to: s("2026-05-01"), ..Default::default() });
    assert_eq!(numbers(&april_may), vec!["INV-2026-0002", "INV-2026-0003"]);

    let globex = list(&mut b, InvoiceListInput { search: s("globex"), ..Default::default() });
    assert_eq!(numbers(&globex), vec!["INV-2026-0003", "INV-2026-0004"]);
    assert!(globex.rows.iter().all(|r| r.client_name == "Globex"));
    assert_eq!(
        numbers(&list(&mut b, InvoiceListInput { search: s("0002"), ..Default::default() })),
        vec!["INV-2026-0002"]
    );
    assert_eq!(list(&mut b, InvoiceListInput { search: s("%"), ..Default::default() }).total, 0, "% is not a wildcard");
    assert_eq!(
        list(&mut b, InvoiceListInput { search: s("acme"), status: s("overdue"), ..Default::default() }).total,
        1
    );

    // Weeks later, the other sent invoice is past due too; the paid one never is.
    b.reopen("2026-06-10T09:00:00+02:00");
    let overdue = b.invoices(InvoiceListInput { status: s("overdue"), ..Default::default() }).unwrap();
    assert_eq!(numbers(&overdue), vec!["INV-2026-0001", "INV-2026-0002"]);
    assert_eq!(b.invoices(InvoiceListInput { status: s("sent"), ..Default::default() }).unwrap().total, 0);
    assert_eq!(b.invoice("INV-2026-0002").unwrap().display_status, DisplayStatus::Overdue);
    assert_eq!(b.invoice("INV-2026-0004").unwrap().display_status, DisplayStatus::Paid);
    assert_eq!(b.invoice("INV-2026-0003").unwrap().display_status, DisplayStatus::Draft);
}

#[test]
fn list_sorts_and_pages() {
    let mut b = Books::new();
    four_invoices(&mut b);
    let sorted = |b: &mut Books, key: &str, descending: bool| {
        let page = b.invoices(InvoiceListInput { sort: s(key), descending, ..Default::default() }).unwrap();
        numbers(&page).iter().map(|n| n[n.len() - 1..].to_string()).collect::<Vec<_>>().concat()
    };
    assert_eq!(sorted(&mut b, "number", false), "1234");
    assert_eq!(sorted(&mut b, "number", true), "4321");
    // Totals: 4 → 50, 1 → 100, 3 → 200, 2 → 300
    assert_eq!(sorted(&mut b, "total", false), "4132");
    assert_eq!(sorted(&mut b, "total", true), "2314");
    // Due: 1 → 03-31, 2 → 05-15, 3 → 05-31, 4 → 06-01
    assert_eq!(sorted(&mut b, "due_date", false), "1234");
    assert_eq!(sorted(&mut b, "due-date", true), "4321");
    assert_eq!(sorted(&mut b, "issue_date", true), "4321");
    assert_invalid(b.invoices(InvoiceListInput { sort: s("colour"), ..Default::default() }), "sort");

    let page = |b: &mut Books, page: u32, per_page: u32| {
        b.invoices(InvoiceListInput { page: Some(page), per_page: Some(per_page), ..Default::default() }).unwrap()
    };
    let p1 = page(&mut b, 1, 3);
    assert_eq!((p1.total, p1.rows.len(), p1.page, p1.per_page), (4, 3, 1, 3));
    assert_eq!(numbers(&p1), vec!["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]);
    let p2 = page(&mut b, 2, 3);
    assert_eq!((p2.total, numbers(&p2)), (4, vec!["INV-2026-0004"]));
    let p3 = page(&mut b, 3, 3);
    assert_eq!((p3.total, p3.rows.len()), (4, 0));
    assert_eq!(page(&mut b, 2, 2).rows.len(), 2);
    assert_invalid(b.invoices(InvoiceListInput { per_page: Some(0), ..Default::default() }), "per_page");
    assert_invalid(b.invoices(InvoiceListInput { per_page: Some(501), ..Default::default() }), "per_page");
}

#[test]
fn bulk_actions_report_each_invoice() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let n: Vec<String> =
        (1..=4).map(|i| manual_invoice(&mut b, c, vec![line("Work", "1", &format!("{i}0"))]).invoice.number).collect();
    b.mark_sent(&n[3]).unwrap();

    let r = b.bulk("mark-sent".parse::<BulkAction>().unwrap(), &[n[0].clone(), n[1].clone(), n[3].clone()]);
    assert_eq!(r.iter().map(|r| r.ok).collect::<Vec<_>>(), vec![true, true, false]);
    assert_eq!(r[0].invoice, n[0]);
    assert_eq!(r[0].status, Some(InvoiceStatus::Sent));
    assert_eq!(r[2].error.as_ref().unwrap().code, "conflict");
    assert_eq!(b.invoice(&n[1]).unwrap().invoice.status, InvoiceStatus::Sent);

    let r = b.bulk(BulkAction::MarkPaid, &[n[0].clone(), "NOPE".into()]);
    assert!(r[0].ok);
    assert_eq!(r[0].status, Some(InvoiceStatus::Paid));
    assert!(!r[1].ok);
    assert_eq!(r[1].error.as_ref().unwrap().code, "not_found");
    let paid = b.invoice(&n[0]).unwrap();
    assert_eq!(paid.invoice.amount_paid, dec!(10.00));
    assert_eq!(paid.payments.len(), 1);

    let r = b.bulk(BulkAction::Delete, &[n[2].clone(), n[0].clone(), n[1].clone()]);
    assert_eq!(r.iter().map(|r| r.ok).collect::<Vec<_>>(), vec![true, false, false]);
    assert_eq!(r[0].status, None);
    assert!(r[1].error.as_ref().unwrap().message.contains(&n[0]));
    assert_code(b.invoice(&n[2]), "not_found");
    assert_eq!(count(&mut b), 3);
    assert_invalid("archive".parse::<BulkAction>(), "action");
}

#[test]
fn tax_mode_switches_between_summary_and_inline() {
    let mut b = Books::new();
    let vat = b.create_tax_rate(TaxRateInput { name: s("VAT"), percent: s("20"), ..Default::default() }).unwrap();
    let reduced =
        b.create_tax_rate(TaxRateInput { name: s("Reduced"), percent: s("10"), ..Default::default() }).unwrap();
    let c = b
        .create_client(ClientInput { name: s("Acme"), tax_rate_ids: Some(vec![vat.id]), ..Default::default() })
        .unwrap();
    // Design 2 × 100 = 200.00, Books 1 × 50 = 50.00; the client's VAT 20% by default.
    let inv = manual_invoice(&mut b, c.id, vec![line("Design", "2", "100"), line("Books", "1", "50")]);
    let n = inv.invoice.number.clone();
    assert_eq!(inv.invoice.tax_mode, TaxMode::Summary);
    assert_eq!(inv.invoice.taxes.len(), 1);
    assert_eq!(inv.invoice.tax_total, dec!(50.00)); // 20% of 250.00
    assert_eq!(inv.invoice.total, dec!(300.00));

    let inline = b.set_header(&n, HeaderInput { tax_mode: s("inline"), ..Default::default() }).unwrap();
    assert_eq!(inline.invoice.tax_mode, TaxMode::Inline);
    assert!(inline.invoice.taxes.is_empty(), "the invoice tax moved onto the lines");
    assert!(inline.lines.iter().all(|l| l.tax.as_ref().map(|t| t.name.as_str()) == Some("VAT")));
    assert_eq!(inline.invoice.total, dec!(300.00));

    // Books at 10%: 20% of 200.00 = 40.00 and 10% of 50.00 = 5.00 → total 295.00
    let mixed =
        b.edit_line(&n, 2, LineInput { tax_rate_id: s(&reduced.id.to_string()), ..Default::default() }).unwrap();
    assert_eq!(mixed.totals.taxes.len(), 2);
    assert_eq!((mixed.totals.taxes[0].base, mixed.totals.taxes[0].amount), (dec!(200.00), dec!(40.00)));
    assert_eq!((mixed.totals.taxes[1].base, mixed.totals.taxes[1].amount), (dec!(50.00), dec!(5.00)));
    assert_eq!(mixed.invoice.total, dec!(295.00));
    // Two rates on the lines cannot become one invoice-level rate.
    assert_invalid(b.set_header(&n, HeaderInput { tax_mode: s("summary"), ..Default::default() }), "tax_mode");
    assert_eq!(b.invoice(&n).unwrap().invoice.tax_mode, TaxMode::Inline);
    assert_invalid(b.set_header(&n, HeaderInput { tax_rate_ids: Some(vec![vat.id]), ..Default::default() }), "taxes");

    b.edit_line(&n, 2, LineInput { tax_rate_id: s(&vat.id.to_string()), ..Default::default() }).unwrap();
    let summary = b.set_header(&n, HeaderInput { tax_mode: s("summary"), ..Default::default() }).unwrap();
    assert_eq!(summary.invoice.tax_mode, TaxMode::Summary);
    assert_eq!(summary.invoice.taxes.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["VAT"]);
    assert!(summary.lines.iter().all(|l| l.tax.is_none()));
    assert_eq!(summary.invoice.total, dec!(300.00));

    // Two invoice-level rates: both on 250.00 → 50.00 + 25.00 = 75.00
    let two =
        b.set_header(&n, HeaderInput { tax_rate_ids: Some(vec![vat.id, reduced.id]), ..Default::default() }).unwrap();
    assert_eq!(two.invoice.tax_total, dec!(75.00));
    assert_eq!(two.invoice.total, dec!(325.00));
    assert_invalid(b.set_header(&n, HeaderInput { tax_mode: s("inline"), ..Default::default() }), "tax_mode");
}

#[test]
fn inline_taxes_per_line_make_one_group_per_rate() {
    let mut b = Books::new();
    let standard =
        b.create_tax_rate(TaxRateInput { name: s("USt 19%"), percent: s("19"), ..Default::default() }).unwrap();
    let reduced = b.create_tax_rate(TaxRateInput { name: s("USt 7%"), percent: s("7"), ..Default::default() }).unwrap();
    let c = client(&mut b, "Acme", None, None).id;
    let with_tax = |l: LineInput, id: &str| LineInput { tax_rate_id: s(id), ..l };
    let inv = b
        .create_invoice(InvoiceInput {
            client_id: c,
            number: None,
            header: HeaderInput { tax_mode: s("inline"), ..Default::default() },
            lines: vec![
                with_tax(line("Consulting", "3", "33.33"), &standard.id.to_string()),
                with_tax(line("Books", "1.5", "10.10"), &reduced.id.to_string()),
                with_tax(line("Travel", "1", "12.34"), "none"),
                with_tax(line("Review", "0.5", "20"), &standard.id.to_string()),
            ],
        })
        .unwrap();
    // Consulting 3 × 33.33 = 99.99; Books 1.5 × 10.10 = 15.15; Travel 12.34 (untaxed); Review 10.00
    // 19% of (99.99 + 10.00 = 109.99) = 20.8981 → 20.90
    //  7% of 15.15 = 1.0605 → 1.06
    // subtotal 137.48 + tax 21.96 = 159.44
    assert_eq!(inv.invoice.tax_mode, TaxMode::Inline);
    assert_eq!(inv.lines[2].tax, None);
    let groups: Vec<_> = inv.totals.taxes.iter().map(|g| (g.tax.name.as_str(), g.base, g.amount)).collect();
    assert_eq!(groups, vec![("USt 19%", dec!(109.99), dec!(20.90)), ("USt 7%", dec!(15.15), dec!(1.06))]);
    assert_eq!(inv.invoice.subtotal, dec!(137.48));
    assert_eq!(inv.invoice.tax_total, dec!(21.96));
    assert_eq!(inv.invoice.total, dec!(159.44));
    assert_invalid(b.add_line(&inv.invoice.number, with_tax(line("X", "1", "1"), "abc")), "lines[5].tax");
    assert_invalid(b.add_line(&inv.invoice.number, with_tax(line("X", "1", "1"), "999")), "lines[5].tax");
}

#[test]
fn yen_invoices_have_no_decimals() {
    let mut b = Books::new();
    let vat = b.create_tax_rate(TaxRateInput { name: s("JCT"), percent: s("10"), ..Default::default() }).unwrap();
    let c = b
        .create_client(ClientInput {
            name: s("Tanaka KK"),
            currency: s("JPY"),
            tax_rate_ids: Some(vec![vat.id]),
            ..Default::default()
        })
        .unwrap();
    let p = project(&mut b, c.id, "Site", Some("5000"));
    let e = hours(&mut b, p.id, None, "2026-05-04", "1h20m");
    // 4800 s × 5000/h = 6666.67 → ¥6667
    assert_eq!(e.amount, Some(dec!(6667)));
    let inv = bill(&mut b, c.id, &[e.entry.id], "task");
    // + 3 × 1234.5 = 3703.5 → ¥3704
    let v = b.add_line(&inv.invoice.number, line("Licences", "3", "1234.5")).unwrap();
    assert_eq!(v.invoice.currency.code(), "JPY");
    assert_eq!(v.lines.iter().map(|l| l.amount).collect::<Vec<_>>(), vec![dec!(6667), dec!(3704)]);
    // subtotal 10371; 10% = 1037.1 → 1037; total 11408
    assert_eq!(v.invoice.subtotal, dec!(10371));
    assert_eq!(v.invoice.tax_total, dec!(1037));
    assert_eq!(v.invoice.total, dec!(11408));
    let amounts = [
        v.invoice.subtotal,
        v.invoice.tax_total,
        v.invoice.total,
        v.invoice.balance_due,
        v.totals.total,
        v.totals.taxes[0].amount,
        v.lines[0].amount,
        v.lines[1].amount,
    ];
    for a in amounts {
        assert_eq!(a.scale(), 0, "{a} has decimals");
    }
    assert_eq!(v.invoice.total.to_string(), "11408");
    assert_eq!(serde_json::to_value(&v.invoice).unwrap()["total"], "11408");
    assert_invalid(
        b.set_header(&inv.invoice.number, HeaderInput { adjustment: s("0.5"), ..Default::default() }),
        "adjustment",
    );
    let paid = b.record_payment(&inv.invoice.number, PaymentInput { amount: s("8000"), ..Default::default() }).unwrap();
    assert_eq!(paid.invoice.balance_due, dec!(3408));
    assert_eq!(paid.invoice.balance_due.scale(), 0);
}

#[test]
fn entries_listing_by_invoice_state_after_billing() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    bill(&mut b, sh.acme, &[sh.e[0]], "entry");
    let unbilled = b.entries(EntryListInput { unbilled_only: true, ..Default::default() }).unwrap();
    assert_eq!(unbilled.len(), 3);
    assert_eq!(b.entries(EntryListInput { project_id: Some(sh.website), ..Default::default() }).unwrap().len(), 4);
}

#[test]
fn time_without_a_rate_is_not_invoiced() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let priced = project(&mut b, c, "Priced", Some("100")).id;
    let unpriced = project(&mut b, c, "Unpriced", None).id;
    hours(&mut b, priced, None, "2026-05-04", "1");
    let bare = hours(&mut b, unpriced, None, "2026-05-05", "1");
    assert_eq!(bare.amount, None);
    let e = assert_invalid(b.invoice_from_time(all_time(c, "task", false)), "entries");
    assert!(e.to_string().contains("no rate"), "{e}");
    assert_eq!(count(&mut b), 0, "not even the priced hour was invoiced");
    assert_eq!(unbilled_ids(&mut b, c).len(), 2);
    // Once the client has a rate, both go through: 2 h × 100 = 200.00 with the
    // project rate on one and the client rate (100) on the other.
    b.edit_client(c, ClientInput { rate: s("100"), ..Default::default() }).unwrap();
    let inv = created(b.invoice_from_time(all_time(c, "project", false)).unwrap());
    assert_eq!(inv.invoice.total, dec!(200.00));
    assert_eq!(inv.invoice.number, "INV-2026-0001");
}

#[test]
fn views_serialize_each_key_once() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let inv = bill(&mut b, sh.acme, &sh.e, "task");
    assert_unique_json_keys(&inv);
    let page = b.invoices(InvoiceListInput::default()).unwrap();
    assert_unique_json_keys(&page.rows[0]);
    let keys = json_keys(&inv);
    for k in ["number", "status", "display_status", "total", "lines", "totals", "payments", "activity"] {
        assert!(keys.iter().any(|x| x == k), "{k} missing from {keys:?}");
    }
    let json = serde_json::to_value(&inv).unwrap();
    assert_eq!(json["total"], "680.00", "money is a string, never a float");
}
