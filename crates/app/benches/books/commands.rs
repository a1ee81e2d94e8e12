//! Every read a view of the window makes when it opens (and the lists it
//! pages through), on the full-size books, through the `Billable` method its
//! desktop command calls: the Rust time of one command, which is what the
//! window waits for before it can draw. The target is one frame (16 ms).

use std::time::Duration;

use billable_app::mail::ScheduleScope;
use billable_app::{
    AgingInput, Billable, ClientFiguresInput, CreditNoteListInput, EntryListInput, InvoiceListInput, MoneyReportInput,
    NumberingInput, RevenueInput, TimeGroup, TimeReportInput, UnbilledInput, UnbilledReportInput,
};
use chrono::{Datelike, Duration as Days, NaiveDate};

use crate::measure::{measure, timed, unwrap, wanted, Report};

/// One frame at 60 Hz.
const FRAME: Duration = Duration::from_millis(16);

fn entries(from: Option<NaiveDate>, to: Option<NaiveDate>) -> EntryListInput {
    EntryListInput { from: from.map(|d| d.to_string()), to: to.map(|d| d.to_string()), ..Default::default() }
}

fn page(input: InvoiceListInput) -> InvoiceListInput {
    InvoiceListInput { per_page: Some(25), sort: Some("issue_date".into()), descending: true, ..input }
}

/// Measures each command `runs` times after a warm-up and adds its row.
pub fn per_command(app: &mut Billable, today: NaiveDate, busiest_client: i64, out: &mut Report) {
    println!("\nPer command (what each view asks for when it opens; target one frame, 16 ms of Rust time):");
    println!("| View: command (input) | Target | Median | Min / p90 / max | Runs |\n| --- | --- | --- | --- | --- |");
    let monday = today - Days::days(i64::from(today.weekday().num_days_from_monday()));
    let clients = unwrap("clients", app.clients(false, None));
    let client_ids: Vec<i64> = clients.iter().map(|c| c.id).collect();
    let projects = unwrap("projects", app.projects(Some(busiest_client), false));
    let project = projects.first().expect("the busiest client has a project").id;
    let newest = unwrap("invoices", app.invoices(page(InvoiceListInput::default())));
    let typical = newest.rows.first().expect("an invoice").invoice.number.clone();
    let last_page = u32::try_from(newest.total.div_ceil(25)).unwrap_or(u32::MAX).max(1);

    // The window checks the whole file once at start (PRAGMA integrity_check), on a
    // connection and thread of its own so no view waits for it.
    // Team books are their server's to check and to back up: no file, no
    // backups folder beside it.
    let team = unwrap("who is connected", app.team_role()).team;
    let integrity = "Start: check_integrity (the whole file, in the background)";
    if wanted(integrity) && !team {
        let s = measure(3, || timed(|| unwrap("integrity", app.check_integrity())).0);
        out.row(integrity, None, &s);
    }

    // The paid invoices within budget, and their number of pages.
    let paid_within =
        || InvoiceListInput { status: Some("paid".into()), budget: Some("within".into()), ..Default::default() };
    let found = unwrap("invoices", app.invoices(page(paid_within()))).total;
    let per_page = u64::from(page(paid_within()).per_page.unwrap_or(25));
    let pages = u32::try_from(found.div_ceil(per_page).max(1)).unwrap_or(u32::MAX);
    let mut row = |what: &str, runs: usize, f: &mut dyn FnMut(&mut Billable)| {
        if !wanted(what) {
            return;
        }
        let s = measure(runs, || timed(|| f(app)).0);
        out.row(what, Some(FRAME), &s);
    };

    // Start-up and the timer (sidebar, Timer view, tray).
    row("Start: timer_status", 200, &mut |b| {
        unwrap("timer", b.timer_status(None));
    });
    row("Timer: clients (active)", 200, &mut |b| {
        unwrap("clients", b.clients(false, None));
    });
    row("Timer: projects (all active)", 200, &mut |b| {
        unwrap("projects", b.projects(None, false));
    });
    row("Timer: tasks (one project)", 200, &mut |b| {
        unwrap("tasks", b.tasks(Some(project), false));
    });
    row("Timer: entries (recent: the newest 12 of the last 14 days)", 50, &mut |b| {
        unwrap(
            "entries",
            b.entries(EntryListInput { latest: Some(12), ..entries(Some(today - Days::days(14)), None) }),
        );
    });
    row("Tray: recent_projects (5)", 50, &mut |b| {
        unwrap("recent", b.recent_projects(5));
    });
    // Home.
    row("Home: dashboard", 50, &mut |b| {
        unwrap("dashboard", b.dashboard());
    });
    // Time.
    row("Time: entries (one day, the whole team)", 50, &mut |b| {
        unwrap("entries", b.entries(entries(Some(today), Some(today))));
    });
    row("Time: entries (this week, the whole team)", 50, &mut |b| {
        unwrap("entries", b.entries(entries(Some(monday), Some(monday + Days::days(6)))));
    });
    // Clients & projects.
    row("Clients: client_figures (every client shown)", 50, &mut |b| {
        unwrap("figures", b.client_figures(ClientFiguresInput { clients: Some(client_ids.clone()) }));
    });
    row("Clients: business", 200, &mut |b| {
        unwrap("business", b.business());
    });
    row("Clients: tax_rates", 200, &mut |b| {
        unwrap("tax rates", b.tax_rates(false));
    });
    row("Projects: projects (all, archived too)", 200, &mut |b| {
        unwrap("projects", b.projects(None, true));
    });
    row("Projects: project_billing (one project)", 200, &mut |b| {
        unwrap("billing", b.project_billing(project));
    });
    row("Members: members", 200, &mut |b| {
        unwrap("members", b.members(true));
    });
    // Invoices.
    row("Invoices: invoices (first page of 25, newest first)", 200, &mut |b| {
        unwrap("invoices", b.invoices(page(InvoiceListInput::default())));
    });
    row(&format!("Invoices: invoices (last page, {last_page})"), 200, &mut |b| {
        unwrap("invoices", b.invoices(page(InvoiceListInput { page: Some(last_page), ..Default::default() })));
    });
    row("Invoices: invoices (search \"2024\")", 100, &mut |b| {
        unwrap("invoices", b.invoices(page(InvoiceListInput { search: Some("2024".into()), ..Default::default() })));
    });
    for (label, billing_type, budget) in [
        ("billing type hourly", Some("hourly"), None),
        ("billing type retainer", Some("retainer"), None),
        ("budget over", None, Some("over")),
        ("budget within", None, Some("within")),
        ("budget none", None, Some("none")),
    ] {
        row(&format!("Invoices: invoices ({label}, first page)"), 100, &mut |b| {
            let input = InvoiceListInput {
                billing_type: billing_type.map(Into::into),
                budget: budget.map(Into::into),
                ..Default::default()
            };
            unwrap("invoices", b.invoices(page(input)));
        });
    }
    for (label, at) in [("middle page", pages / 2 + 1), ("last page", pages)] {
        row(&format!("Invoices: invoices (status paid, budget within, {label} {at} of {pages})"), 100, &mut |b| {
            unwrap("invoices", b.invoices(page(InvoiceListInput { page: Some(at), ..paid_within() })));
        });
    }
    row("Invoice: invoice (a recent one)", 200, &mut |b| {
        unwrap("invoice", b.invoice(&typical));
    });
    row("From time: unbilled (the busiest client)", 100, &mut |b| {
        unwrap("unbilled", b.unbilled(UnbilledInput { client_id: busiest_client, ..Default::default() }));
    });
    row("Recurring: recurring_profiles", 200, &mut |b| {
        unwrap("recurring", b.recurring_profiles());
    });
    row("Credit notes: credit_notes (all)", 100, &mut |b| {
        unwrap("credit notes", b.credit_notes(CreditNoteListInput::default()));
    });
    // Reports (the ranges each tab opens with).
    let from30 = (today - Days::days(29)).to_string();
    let to = today.to_string();
    row("Reports: time_report (by project, last 30 days)", 50, &mut |b| {
        unwrap(
            "time report",
            b.time_report(TimeReportInput { group: TimeGroup::Project, from: from30.clone(), to: to.clone() }),
        );
    });
    row("Reports: money_report (last 30 days)", 50, &mut |b| {
        unwrap("money report", b.money_report(MoneyReportInput { from: from30.clone(), to: to.clone() }));
    });
    let from_months = format!("{}-01", &(today - Days::days(364)).to_string()[..7]);
    row("Reports: revenue_report (12 months)", 50, &mut |b| {
        unwrap("revenue", b.revenue_report(RevenueInput { from: from_months.clone(), to: to.clone() }));
    });
    row("Reports: aging_report", 50, &mut |b| {
        unwrap("aging", b.aging_report(AgingInput::default()));
    });
    row("Reports: unbilled_report", 50, &mut |b| {
        unwrap("unbilled report", b.unbilled_report(UnbilledReportInput::default()));
    });
    // Email, Import & backups, Settings.
    row("Email: outbox", 200, &mut |b| {
        unwrap("outbox", b.outbox(None));
    });
    row("Email: mail_settings", 200, &mut |b| {
        unwrap("mail settings", b.mail_settings());
    });
    row("Email: mail_templates", 200, &mut |b| {
        unwrap("templates", b.mail_templates());
    });
    row("Email: reminder_schedule", 200, &mut |b| {
        unwrap("schedule", b.reminder_schedule(ScheduleScope::Business));
    });
    row("Email: reminders due (run_reminders, dry run)", 50, &mut |b| {
        unwrap("reminders", b.run_reminders(true));
    });
    if !team {
        row("Data: backups", 100, &mut |b| {
            unwrap("backups", b.backups());
        });
    }
    row("Data: xero_rules", 200, &mut |b| {
        unwrap("xero rules", b.xero_rules());
    });
    row("Settings: numbering_preview", 200, &mut |b| {
        unwrap("numbering", b.numbering_preview(NumberingInput::default()));
    });
}
