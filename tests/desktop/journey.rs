//! A freelancer's first day in the app, through the real window: a client
//! and a project with a rate, the timer, a manual entry, an invoice from that
//! time with the engine's total, a partial payment, and a timer that keeps
//! running across a restart.

use crate::driver::{Driver, Session};

/// "1:02:03" → seconds.
fn seconds(clock: &str) -> i64 {
    clock.trim().split(':').fold(0, |acc, part| acc * 60 + part.parse::<i64>().expect("h:mm:ss"))
}

fn create_client_and_project(app: &Session) {
    app.click("nav-clients");
    app.click("client-new");
    app.fill("client-name", "Acme GmbH");
    app.click("client-save");
    app.wait_text("client-list", "the new client", |t| t.contains("Acme GmbH"));

    app.click("tab-projects");
    app.click("project-new");
    app.choose("project-client", "Acme GmbH");
    app.fill("project-name", "Website");
    app.fill("project-rate", "120");
    // Billed in quarter hours, so the timer's few seconds bill as 0:15.
    app.fill("project-rounding", "up:15");
    app.click("project-save");
    app.wait_text("project-list", "the new project with its rate", |t| t.contains("Website") && t.contains("120.00"));
    app.screenshot("01-projects");
}

fn time_with_the_timer(app: &Session) {
    app.click("nav-timer");
    app.choose("timer-project", "Website");
    app.fill("timer-description", "Homepage layout");
    app.click("timer-start");
    app.el("timer-stop");
    // The elapsed time ticks in the window.
    app.wait_text("timer-elapsed", "a second or more", |t| seconds(t) >= 2);
    app.screenshot("02-timer-running");
    app.click("timer-stop");
    app.el("timer-start");
    app.wait_page_text("Homepage layout");
    // A few seconds are kept as non-billable time, and the window says so;
    // this person meant it and bills it anyway.
    app.wait_text("timer-short-notice", "the short-timer rule", |t| t.contains("Website"));
    app.screenshot("02-timer-short");
    app.click("timer-short-bill");
    app.wait_for("the notice to close", || app.find_css("[data-testid=timer-short-notice]").is_none().then_some(()));
}

fn add_two_and_a_half_hours(app: &Session) {
    app.click("nav-time");
    app.choose("entry-project", "Website");
    app.fill("entry-hours", "2.5");
    app.fill("entry-description", "Client call");
    app.click("entry-add");
    app.wait_page_text("Client call");
    app.wait_text("time-totals", "both entries", |t| t.contains("Billable 2:30"));
    app.screenshot("03-time");
}

fn invoice_the_time(app: &Session) -> String {
    app.click("nav-invoices");
    app.click("invoice-from-time");
    app.choose("from-time-client", "Acme GmbH");
    // 2.5 h + the timer's seconds rounded up to 0.25 h = 2.75 h × 120.00.
    app.wait_text("from-time-total", "the engine's preview total", |t| t.contains("330.00"));
    app.screenshot("04-from-time");
    app.click("invoice-create");
    let total = app.wait_text("invoice-total", "the engine's total", |t| t.contains("330.00"));
    assert!(app.text("invoice-status").contains("Draft"));
    app.screenshot("05-invoice-draft");
    total
}

fn record_a_partial_payment(app: &Session) {
    app.click("invoice-mark-sent");
    app.wait_text("invoice-status", "Sent", |t| t.contains("Sent"));
    // The amount starts at the balance due.
    app.wait_for("the payment amount to default to the balance", || {
        (app.value("payment-amount") == "330.00").then_some(())
    });
    app.fill("payment-amount", "100");
    app.click("payment-save");
    app.wait_text("invoice-balance", "the balance after the payment", |t| t.contains("230.00"));
    app.wait_text("invoice-status", "Partially paid", |t| t.contains("Partially paid"));
    app.screenshot("06-invoice-partially-paid");
}

#[test]
#[ignore = "drives the real app window: run under Xvfb (make test)"]
fn from_a_new_client_to_a_partly_paid_invoice_and_a_timer_across_restarts() {
    let home = tempfile::tempdir().expect("a temporary home");
    let db = home.path().join("books.db");
    let driver = Driver::start(home.path(), &db);

    let app = driver.session();
    create_client_and_project(&app);
    time_with_the_timer(&app);
    add_two_and_a_half_hours(&app);
    invoice_the_time(&app);
    record_a_partial_payment(&app);

    // A timer left running when the app quits keeps running.
    app.click("nav-timer");
    app.choose("timer-project", "Website");
    app.fill("timer-description", "Across a restart");
    app.click("timer-start");
    let before = seconds(&app.wait_text("timer-elapsed", "a running timer", |t| seconds(t) >= 1));
    app.quit();

    let app = driver.session();
    app.click("nav-timer");
    app.el("timer-stop");
    let after = app.wait_text("timer-elapsed", "the time since the first start", |t| seconds(t) > before);
    assert_eq!(app.value("timer-description"), "Across a restart");
    app.wait_page_text("Website");
    app.screenshot("07-timer-after-restart");
    assert!(seconds(&after) > before, "elapsed went on from {before} s: {after}");
    app.quit();
}
