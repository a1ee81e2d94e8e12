//! The window under the locales machines really have: `C.UTF-8` (most
//! containers and minimal installs), German, and no locale at all. Every
//! view must show its content — a view that renders nothing is the worst
//! bug the app can have — with amounts and labels in the locale's language.

use crate::driver::{Driver, Session};
use crate::views::seed;

/// What one locale must look like: the sidebar's label for Invoices and the
/// seeded paid invoice's total (12 h × 120.00 + 19 % VAT) as laid out there.
struct Expect {
    invoices_label: &'static str,
    paid_total: &'static str,
    /// The invoice list's heading and the paid invoice's status chip.
    list_heading: &'static str,
    paid_status: &'static str,
    /// The seeded estimate's total (2,000.00 + 19 % VAT) as laid out there.
    estimate_total: &'static str,
}

fn no_view_failed(app: &Session, view: &str) {
    assert!(app.find_css("[data-testid=\"view-error\"]").is_none(), "the {view} view failed under this locale");
}

pub(crate) fn main_text(app: &Session) -> String {
    app.script("return document.querySelector('main').innerText;", serde_json::json!([]))
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Visits every view and waits for content that only a rendered view has.
fn every_view_shows_its_content(app: &Session, expect: &Expect, shots: &str) {
    app.el("timer-stop");
    app.wait_for("the timer's recent entries", || main_text(app).contains("Backup restore test").then_some(()));
    no_view_failed(app, "timer");

    let views: [(&str, &str); 7] = [
        ("nav-time", "Navigation polish"),
        ("nav-clients", "Acme GmbH"),
        ("nav-invoices", expect.paid_total),
        ("nav-estimates", expect.estimate_total),
        ("nav-expenses", "Hetzner Online"),
        ("nav-reports", "Website relaunch"),
        ("nav-settings", "INV-"),
    ];
    for (nav, content) in views {
        app.click(nav);
        app.wait_for(&format!("{nav} to show {content:?}"), || {
            let text = main_text(app);
            (text.contains(content)
                || app.script(
                    "return [...document.querySelectorAll('main input')].some(i => i.value.includes(arguments[0]));",
                    serde_json::json!([content]),
                ) == serde_json::json!(true))
            .then_some(())
        });
        no_view_failed(app, nav);
        let current = app.script(
            "return document.querySelector('[aria-current=page]')?.dataset.testid ?? null;",
            serde_json::json!([]),
        );
        assert_eq!(current, serde_json::json!(nav), "the sidebar marks the view that is shown");
        app.screenshot(&format!("{shots}/{}", nav.trim_start_matches("nav-")));
    }
    assert_eq!(app.text("nav-invoices").trim(), expect.invoices_label);
    app.click("nav-invoices");
    app.wait_for("the invoice list in the locale's language", || {
        let text = main_text(app);
        (text.starts_with(expect.list_heading) && text.contains(expect.paid_status)).then_some(())
    });
}

fn walk(lang: Option<&str>, expect: &Expect, shots: &str) {
    let home = tempfile::tempdir().expect("a temporary home");
    let db = home.path().join("books.db");
    seed(&db);
    let driver = Driver::start_in(home.path(), &db, lang);
    let app = driver.session();
    every_view_shows_its_content(&app, expect, shots);
    app.quit();
}

#[test]
#[ignore = "drives the real app window: run under Xvfb (make test)"]
fn every_view_under_c_utf8() {
    walk(
        Some("C.UTF-8"),
        &Expect {
            invoices_label: "Invoices",
            paid_total: "€1,713.60",
            list_heading: "Invoices",
            paid_status: "Paid",
            estimate_total: "€2,380.00",
        },
        "locale-c",
    );
}

#[test]
#[ignore = "drives the real app window: run under Xvfb (make test)"]
fn every_view_without_a_locale() {
    walk(
        None,
        &Expect {
            invoices_label: "Invoices",
            paid_total: "€1,713.60",
            list_heading: "Invoices",
            paid_status: "Paid",
            estimate_total: "€2,380.00",
        },
        "locale-unset",
    );
}

#[test]
#[ignore = "drives the real app window: run under Xvfb (make test)"]
fn every_view_in_german() {
    walk(
        Some("de_DE.UTF-8"),
        &Expect {
            invoices_label: "Rechnungen",
            paid_total: "1.713,60\u{a0}€",
            list_heading: "Rechnungen",
            paid_status: "Bezahlt",
            estimate_total: "2.380,00\u{a0}€",
        },
        "locale-de",
    );
}
