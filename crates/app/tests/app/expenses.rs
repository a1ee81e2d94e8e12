//! Expenses: kept with a receipt, billed once on an invoice from time at
//! their amount plus markup and with their own tax, released with the draft,
//! counted in the unbilled figures and the profit report, imported from CSV.

use billable_app::{
    ClientFiguresInput, ExpenseImportInput, ExpenseInput, ExpenseListInput, ExpenseReportInput, FromTimeInput,
    HeaderInput, TaxRateInput,
};
use rust_decimal_macros::dec;

use crate::support::*;

struct Shop {
    acme: i64,
    website: i64,
    vat: i64,
}

/// Acme (EUR) with project Website at 120/h, 2 h of unbilled time on
/// 2026-05-04 (240.00) and a 19 % VAT rate.
fn shop(b: &mut Books) -> Shop {
    let acme = client(b, "Acme", Some("EUR"), None).id;
    let website = project(b, acme, "Website", Some("120")).id;
    hours(b, website, None, "2026-05-04", "2");
    let vat = b
        .create_tax_rate(TaxRateInput { name: s("VAT 19"), percent: s("19"), category: s("S"), ..Default::default() })
        .unwrap()
        .id;
    Shop { acme, website, vat }
}

fn train(sh: &Shop) -> ExpenseInput {
    ExpenseInput {
        date: s("2026-05-03"),
        amount: s("100.00"),
        category: s("Travel"),
        vendor: s("Deutsche Bahn"),
        note: s("Train Berlin–Hamburg"),
        tax_rate_id: s(&sh.vat.to_string()),
        client: s("Acme"),
        project: s("Website"),
        billable: Some(true),
        markup: s("15"),
        ..Default::default()
    }
}

fn inline(client_id: i64, preview: bool) -> FromTimeInput {
    FromTimeInput {
        client_id,
        preview,
        header: HeaderInput { tax_mode: s("inline"), ..Default::default() },
        ..Default::default()
    }
}

#[test]
fn an_expense_with_markup_is_billed_once_on_an_invoice_from_time_and_released_with_the_draft() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let e = b.create_expense(train(&sh)).unwrap();
    assert_eq!(e.expense.amount, dec!(100.00));
    assert_eq!(e.expense.currency.code(), "EUR", "the client's currency");
    assert_eq!(e.expense.project_id, Some(sh.website));
    assert_eq!(e.billed_amount, dec!(115.00));

    // Beside the unbilled time: 240.00 of time + 115.00 of expense.
    let figures = b.client_figures(ClientFiguresInput::default()).unwrap();
    let acme = figures.clients.iter().find(|c| c.client_id == sh.acme).unwrap();
    assert_eq!(acme.unbilled[0].amount, dec!(355.00));

    let p = preview(b.invoice_from_time(inline(sh.acme, true)).unwrap());
    assert_eq!(p.expense_count, 1);
    assert_eq!(p.lines.len(), 2);
    assert_eq!(p.lines[1].expense_id, Some(e.expense.id));
    assert_eq!(p.lines[1].amount, dec!(115.00));

    let inv = created(b.invoice_from_time(inline(sh.acme, false)).unwrap());
    assert_eq!(inv.lines.len(), 2);
    let line = &inv.lines[1];
    assert_eq!(line.description, "Expense: Train Berlin–Hamburg (Deutsche Bahn), May 3, 2026");
    assert_eq!((line.quantity, line.rate, line.amount), (dec!(1), dec!(115.00), dec!(115.00)));
    assert_eq!(line.tax.as_ref().map(|t| t.percent), Some(dec!(19)));
    // 240.00 untaxed time + 115.00 + 19 % of 115.00 (21.85).
    assert_eq!(inv.totals.tax_total, dec!(21.85));
    assert_eq!(inv.totals.total, dec!(376.85));
    let billed = b.expense(e.expense.id).unwrap();
    assert_eq!(billed.expense.invoice_id, Some(inv.invoice.id));
    assert_eq!(billed.invoice_number.as_deref(), Some(inv.invoice.number.as_str()));

    // Never twice: nothing is left to bill, and new time bills alone.
    assert_invalid(b.invoice_from_time(inline(sh.acme, false)), "entries");
    assert_invalid(
        b.invoice_from_time(FromTimeInput { expense_ids: Some(vec![e.expense.id]), ..inline(sh.acme, false) }),
        "expenses",
    );
    hours(&mut b, sh.website, None, "2026-05-05", "1");
    let second = created(b.invoice_from_time(inline(sh.acme, false)).unwrap());
    assert_eq!(second.lines.len(), 1, "{:?}", second.lines);
    assert_eq!(second.totals.total, dec!(120.00));

    // A billed expense is neither changed nor deleted.
    assert_code(b.edit_expense(e.expense.id, ExpenseInput { amount: s("1"), ..Default::default() }), "conflict");
    assert_code(b.delete_expense(e.expense.id), "conflict");

    // Deleting the draft releases it; the next invoice bills it again, once.
    b.delete_invoice(&inv.invoice.number).unwrap();
    assert_eq!(b.expense(e.expense.id).unwrap().expense.invoice_id, None);
    let third = created(
        b.invoice_from_time(FromTimeInput {
            entry_ids: Some(vec![]),
            expense_ids: Some(vec![e.expense.id]),
            ..inline(sh.acme, false)
        })
        .unwrap(),
    );
    assert_eq!(third.lines.len(), 1);
    assert_eq!(third.totals.total, dec!(136.85));

    // Cancelling an issued invoice releases it too.
    b.mark_sent(&third.invoice.number).unwrap();
    b.cancel_invoice(&third.invoice.number).unwrap();
    let list = b.expenses(ExpenseListInput { state: s("unbilled"), ..Default::default() }).unwrap();
    assert_eq!(list.expenses.len(), 1);
    assert_eq!(list.totals[0].unbilled, dec!(115.00));
}

#[test]
fn a_receipt_is_kept_in_the_books_up_to_10_mib_and_only_as_pdf_or_image() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let id = b.create_expense(train(&sh)).unwrap().expense.id;
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let e = assert_invalid(b.attach_receipt(id, "ticket.pdf", &big), "receipt");
    assert!(e.to_string().contains("at most 10 MiB"), "{e}");
    assert_invalid(b.attach_receipt(id, "notes.txt", b"just some text"), "receipt");
    assert!(b.expense(id).unwrap().receipt.is_none(), "nothing kept");

    // Exactly 10 MiB is allowed.
    big.truncate(10 * 1024 * 1024);
    b.attach_receipt(id, "/home/me/ticket.pdf", &big).unwrap();
    let png = [&b"\x89PNG\r\n\x1a\n"[..], &[0u8; 32][..]].concat();
    let v = b.attach_receipt(id, "ticket.png", &png).unwrap();
    let r = v.receipt.unwrap();
    assert_eq!((r.file_name.as_str(), r.media_type.as_str(), r.size), ("ticket.png", "image/png", 40));
    assert_eq!(b.receipt(id).unwrap().bytes, png);

    // In the books: a backup restored gives it back byte for byte (a backup
    // of the SQLite file; team books are backed up by their server).
    if !on_postgres() {
        let backup = b.create_backup(None).unwrap();
        b.remove_receipt(id).unwrap();
        assert_code(b.receipt(id), "invalid");
        b.restore_backup(std::path::Path::new(&backup.path)).unwrap();
        assert_eq!(b.receipt(id).unwrap().bytes, png);
    }
    let books = serde_json::to_string(&b.export_books().unwrap()).unwrap();
    assert!(books.contains("expense_receipts") && books.contains("89504e470d0a1a0a"), "the export has the receipt");
}

#[test]
fn bad_expenses_are_refused_naming_the_field() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    let refused = |b: &mut Books, i: ExpenseInput, field: &str| {
        assert_invalid(b.create_expense(i), field);
    };
    refused(&mut b, ExpenseInput { amount: None, ..train(&sh) }, "amount");
    refused(&mut b, ExpenseInput { amount: s("12.345"), ..train(&sh) }, "amount");
    refused(&mut b, ExpenseInput { amount: s("-5"), ..train(&sh) }, "amount");
    refused(&mut b, ExpenseInput { date: s("2026-02-30"), ..train(&sh) }, "date");
    refused(&mut b, ExpenseInput { currency: s("EURO"), ..train(&sh) }, "currency");
    refused(&mut b, ExpenseInput { markup: s("-1"), ..train(&sh) }, "markup");
    refused(&mut b, ExpenseInput { client: s("Nobody"), ..train(&sh) }, "client");
    refused(&mut b, ExpenseInput { tax_rate_id: s("99"), ..train(&sh) }, "tax_rate_id");
    refused(&mut b, ExpenseInput { client: s(""), project: s(""), ..train(&sh) }, "client");
    assert!(b.expenses(ExpenseListInput::default()).unwrap().expenses.is_empty(), "nothing written");
}

#[test]
fn the_profit_of_a_project_is_what_issued_invoices_billed_less_its_expenses_per_currency() {
    let mut b = Books::new();
    let sh = shop(&mut b);
    b.create_expense(train(&sh)).unwrap();
    b.create_expense(ExpenseInput {
        date: s("2026-05-06"),
        amount: s("30.00"),
        category: s("Software"),
        project: s("Website"),
        ..Default::default()
    })
    .unwrap();
    b.create_expense(ExpenseInput {
        date: s("2026-05-07"),
        amount: s("50"),
        currency: s("USD"),
        category: s("Software"),
        ..Default::default()
    })
    .unwrap();
    // Outside the range: not counted.
    b.create_expense(ExpenseInput {
        date: s("2026-06-01"),
        amount: s("999"),
        project: s("Website"),
        ..Default::default()
    })
    .unwrap();
    // A draft bills nothing yet.
    let inv = created(b.invoice_from_time(inline(sh.acme, false)).unwrap());
    let report = |b: &mut Books| {
        b.expense_report(ExpenseReportInput { from: "2026-05-01".into(), to: "2026-05-31".into() }).unwrap()
    };
    let r = report(&mut b);
    let web = r.projects.iter().find(|p| p.project_id == Some(sh.website)).unwrap();
    assert_eq!((web.billed, web.expenses, web.profit), (dec!(0), dec!(130.00), dec!(-130.00)));
    b.mark_sent(&inv.invoice.number).unwrap();
    let r = report(&mut b);
    // Billed: 240.00 of time + 115.00 of the expense line (net, before tax);
    // expenses: 100.00 + 30.00 → profit 225.00.
    let rows: Vec<_> = r
        .projects
        .iter()
        .map(|p| (p.project_name.as_str(), p.currency.code(), p.billed, p.expenses, p.profit, p.expense_count))
        .collect();
    assert_eq!(
        rows,
        [("Website", "EUR", dec!(355.00), dec!(130.00), dec!(225.00), 2), ("", "USD", dec!(0), dec!(50), dec!(-50), 1)]
    );
    let cats: Vec<_> =
        r.categories.iter().map(|c| (c.category.as_str(), c.currency.code(), c.amount, c.billable)).collect();
    assert_eq!(
        cats,
        [
            ("Software", "EUR", dec!(30.00), dec!(0)),
            ("Software", "USD", dec!(50), dec!(0)),
            ("Travel", "EUR", dec!(100.00), dec!(100.00))
        ]
    );
    let totals: Vec<_> = r.totals.iter().map(|t| (t.currency.code(), t.billed, t.expenses, t.profit)).collect();
    assert_eq!(totals, [("EUR", dec!(355.00), dec!(130.00), dec!(225.00)), ("USD", dec!(0), dec!(50), dec!(-50))]);
}

#[test]
fn a_csv_of_expenses_with_a_bad_row_writes_nothing_and_names_its_line_and_column() {
    let mut b = Books::new();
    shop(&mut b);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("expenses.csv");
    let good = "date,amount,currency,category,vendor,note,client,project,billable\n\
                2026-05-03,100.00,EUR,Travel,Deutsche Bahn,Train Berlin–Hamburg,Acme,Website,yes\n\
                2026-05-04,\"1,249.00\",,Hardware,Shop,Laptop,,,no\n";
    std::fs::write(
        &file,
        format!("{good}2026-05-05,abc,EUR,Meals,Cafe,Lunch,Acme,,yes\n2026-05-06,5,EUR,Meals,,,Nobody,,yes\n"),
    )
    .unwrap();
    let dry = b.import_expenses(&file, ExpenseImportInput { dry_run: true, ..Default::default() }).unwrap();
    let errors: Vec<_> = dry.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(errors, [(4, "amount"), (5, "client")], "{:?}", dry.errors);
    assert_eq!(dry.preview.len(), 2);
    assert_eq!(dry.preview[1].amount, dec!(1249.00));
    let e = assert_invalid(b.import_expenses(&file, ExpenseImportInput::default()), "line 4, column amount");
    assert!(e.to_string().contains("nothing was imported"), "{e}");
    assert!(b.expenses(ExpenseListInput::default()).unwrap().expenses.is_empty(), "nothing written");

    std::fs::write(&file, good).unwrap();
    let done = b.import_expenses(&file, ExpenseImportInput::default()).unwrap();
    assert_eq!((done.created, done.already_imported), (2, 0));
    let list = b.expenses(ExpenseListInput::default()).unwrap();
    assert_eq!(list.expenses.len(), 2);
    assert!(list.expenses[0].expense.billable && list.expenses[0].project_name.as_deref() == Some("Website"));
    assert_eq!(list.expenses[1].expense.currency.code(), "EUR", "the business default");
    let again = b.import_expenses(&file, ExpenseImportInput::default()).unwrap();
    assert_eq!((again.created, again.already_imported), (0, 2));
}
