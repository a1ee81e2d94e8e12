//! A picture of every main view on a realistic set of books (for the README),
//! and how long the app takes from launch to its first paint.

use std::time::Instant;

use billable_app::{
    BusinessInput, ClientInput, EntryInput, EstimateHeaderInput, EstimateInput, ExpenseInput, HeaderInput,
    InvoiceInput, LineInput, PaymentInput, ProjectInput, SystemClock, TaskInput, TaxRateInput, TimerStartInput,
};
use chrono::{Duration, Local};
use serde_json::json;

use crate::driver::Driver;

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn day(offset: i64) -> String {
    (Local::now().date_naive() + Duration::days(offset)).to_string()
}

/// A studio's books: clients, projects, a fortnight of time, invoices in
/// every status and a running timer.
pub fn seed(db: &std::path::Path) {
    let mut b = billable_app::Billable::open(db, Box::new(SystemClock)).expect("open the books");
    b.update_business(BusinessInput {
        name: s("Studio Nord"),
        country: s("DE"),
        email: s("hello@studio-nord.example"),
        iban: s("DE89370400440532013000"),
        ..Default::default()
    })
    .unwrap();
    let vat = b.create_tax_rate(TaxRateInput { name: s("VAT 19%"), percent: s("19"), ..Default::default() }).unwrap();
    let client = |b: &mut billable_app::Billable, name: &str, currency: &str| {
        b.create_client(ClientInput {
            name: s(name),
            currency: s(currency),
            tax_rate_ids: Some(vec![vat.id]),
            payment_terms_days: s("14"),
            ..Default::default()
        })
        .unwrap()
    };
    let acme = client(&mut b, "Acme GmbH", "EUR");
    let globex = client(&mut b, "Globex AG", "EUR");
    let initech = client(&mut b, "Initech Ltd", "EUR");
    let project = |b: &mut billable_app::Billable, client: i64, name: &str, rate: &str| {
        b.create_project(ProjectInput {
            client_id: Some(client),
            name: s(name),
            rate: s(rate),
            rounding: s("up:15"),
            ..Default::default()
        })
        .unwrap()
    };
    let website = project(&mut b, acme.id, "Website relaunch", "120");
    let shop = project(&mut b, globex.id, "Online shop", "95");
    let support = project(&mut b, initech.id, "Support retainer", "80");
    let design = b.create_task(TaskInput { project_id: Some(website.id), name: s("Design"), rate: None }).unwrap();
    let work: [(i64, i64, &str, &str, bool); 12] = [
        (-13, website.id, "3", "Kick-off workshop", true),
        (-12, website.id, "4.5", "Wireframes", true),
        (-11, shop.id, "2", "Catalogue import", true),
        (-10, support.id, "1.25", "Mail server update", true),
        (-7, website.id, "5", "Homepage design", true),
        (-6, shop.id, "3.5", "Checkout flow", true),
        (-5, support.id, "0.5", "Internal planning", false),
        (-4, website.id, "2.75", "Content migration", true),
        (-3, shop.id, "4", "Payment provider", true),
        (-2, website.id, "1.5", "Review with client", true),
        (-1, support.id, "2", "Backup restore test", true),
        (0, website.id, "1.25", "Navigation polish", true),
    ];
    for (offset, project_id, hours, description, billable) in work {
        b.add_entry(EntryInput {
            project_id: Some(project_id),
            task_id: (project_id == website.id).then_some(Some(design.id)),
            date: Some(day(offset)),
            hours: s(hours),
            description: s(description),
            billable: Some(billable),
            ..Default::default()
        })
        .unwrap();
    }
    let line = |d: &str, q: &str, r: &str| LineInput {
        description: s(d),
        quantity: s(q),
        unit: s("h"),
        rate: s(r),
        ..Default::default()
    };
    let invoice = |b: &mut billable_app::Billable, client: i64, issued: i64, lines: Vec<LineInput>| {
        let header = HeaderInput { issue_date: Some(day(issued)), ..Default::default() };
        b.create_invoice(InvoiceInput { client_id: client, number: None, header, lines }).unwrap().invoice.number
    };
    let paid = invoice(&mut b, acme.id, -60, vec![line("Concept and sitemap", "12", "120")]);
    b.mark_sent(&paid).unwrap();
    b.record_payment(&paid, PaymentInput { date: Some(day(-40)), ..Default::default() }).unwrap();
    let overdue = invoice(&mut b, globex.id, -40, vec![line("Shop setup", "16", "95")]);
    b.mark_sent(&overdue).unwrap();
    let partly = invoice(&mut b, initech.id, -10, vec![line("Support, last month", "14", "80")]);
    b.mark_sent(&partly).unwrap();
    b.record_payment(&partly, PaymentInput { amount: s("500"), ..Default::default() }).unwrap();
    let sent = invoice(&mut b, acme.id, -3, vec![line("Design sprint", "20", "120")]);
    b.mark_sent(&sent).unwrap();
    let cancelled = invoice(&mut b, globex.id, -20, vec![line("Duplicate of shop setup", "16", "95")]);
    b.mark_sent(&cancelled).unwrap();
    b.cancel_invoice(&cancelled).unwrap();
    invoice(
        &mut b,
        acme.id,
        0,
        vec![
            line("Homepage design", "5", "120"),
            line("Content migration", "2.75", "120"),
            line("Hosting, one year", "1", "240"),
        ],
    );
    // An estimate sent to Globex: 2,000.00 + 19 % VAT = 2,380.00.
    let estimate = b
        .create_estimate(EstimateInput {
            client_id: globex.id,
            number: None,
            header: EstimateHeaderInput { issue_date: Some(day(-2)), ..Default::default() },
            lines: vec![LineInput {
                description: s("Shop relaunch concept"),
                quantity: s("1"),
                rate: s("2000"),
                ..Default::default()
            }],
        })
        .unwrap();
    b.mark_estimate_sent(&estimate.estimate.number).unwrap();
    // Running costs, not billed on: in the Expenses view and the profit report.
    b.create_expense(ExpenseInput {
        date: Some(day(-8)),
        amount: s("39.00"),
        category: s("Hosting"),
        vendor: s("Hetzner Online"),
        note: s("Staging server"),
        project: Some(website.id.to_string()),
        billable: Some(false),
        ..Default::default()
    })
    .unwrap();
    b.timer_start(TimerStartInput { project_id: shop.id, description: s("Shipping rules"), ..Default::default() })
        .unwrap();
}

#[test]
#[ignore = "drives the real app window: run under Xvfb (make test)"]
fn every_main_view_on_realistic_books() {
    let home = tempfile::tempdir().expect("a temporary home");
    let db = home.path().join("books.db");
    seed(&db);
    let driver = Driver::start(home.path(), &db);

    let launched = Instant::now();
    let app = driver.session();
    app.el("timer-stop");
    let first_paint = launched.elapsed();
    let paint = app.script(
        "const p = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint'); \
         return p ? Math.round(p.startTime) : null;",
        json!([]),
    );
    println!(
        "launch to the running timer shown: {} ms; first contentful paint {} ms after navigation",
        first_paint.as_millis(),
        paint
    );

    app.click("nav-time");
    app.wait_page_text("Navigation polish");
    app.screenshot("views/time");
    app.click("nav-clients");
    // Each client's figures and their sums, worked out by the books.
    app.wait_text("client-total-outstanding", "what the clients owe", |t| t.chars().any(|c| "€$£".contains(c)));
    app.wait_text("client-total-overdue", "what is overdue", |t| t.chars().any(|c| "€$£".contains(c)));
    app.click("tab-projects");
    app.wait_text("project-list", "the projects", |t| t.contains("Online shop"));
    app.screenshot("views/clients");
    app.click("nav-invoices");
    app.wait_text("invoice-list", "the invoices", |t| t.contains("Overdue"));
    app.screenshot("views/invoices");
    app.script(
        "[...document.querySelectorAll('[data-testid=invoice-row] button')].find(b => b.closest('tr').textContent.includes('Draft')).click()",
        json!([]),
    );
    app.wait_text("invoice-total", "the draft's total", |t| t.contains("1,392.30"));
    app.screenshot("views/invoice");
    app.click("nav-estimates");
    app.wait_text("estimate-list", "the sent estimate", |t| t.contains("€2,380.00") && t.contains("Sent"));
    app.screenshot("views/estimates");
    app.click("nav-expenses");
    app.wait_text("expense-list", "the expenses", |t| t.contains("Hetzner Online"));
    app.screenshot("views/expenses");
    app.click("nav-reports");
    app.wait_page_text("Website relaunch");
    // This month: the partly paid and the sent invoice, and the 500.00 paid.
    app.wait_text("money-report", "invoiced and paid this month", |t| t.contains("€500.00"));
    app.screenshot("views/reports");
    app.click("nav-settings");
    app.wait_for("the business name", || (app.value("settings-name") == "Studio Nord").then_some(()));
    app.screenshot("views/settings");
    app.click("nav-timer");
    app.wait_page_text("Recent entries");
    app.wait_text("timer-elapsed", "the running timer", |t| t != "0:00:00");
    app.screenshot("views/timer");
    app.quit();
}
