//! The daily operations on the full-size books, through the `Billable`
//! methods the CLI and the desktop call: unbilled time, time reports,
//! invoice list pages, every read of every view, an invoice from time and
//! the timer. The same rows on a books file and on team books.

use std::sync::atomic::AtomicI64;
use std::time::Duration;

use billable_app::views::FromTimeOutcome;
use billable_app::{
    Billable, Clock, EntryInput, EntryListInput, FromTimeInput, InvoiceListInput, TimeGroup, TimeReportInput,
    TimerStartInput, UnbilledInput,
};
use chrono::{Duration as Days, NaiveDate};

use crate::commands;
use crate::measure::{fixed, measure, stats, timed, unbilled_counts, unwrap, wanted, Report, Ticking, NOW};

/// The books' "today".
pub const TODAY: &str = "2026-11-20";

/// Measures every daily operation on the books `open` opens (with the clock
/// it is given), adding a row to `out` for each.
pub fn daily(open: &dyn Fn(Box<dyn Clock>) -> Billable, out: &mut Report) {
    let today: NaiveDate = TODAY.parse().expect("date");
    let year_from = (today - Days::days(364)).to_string();
    let year_to = today.to_string();
    let mut app = open(fixed());
    println!("\n| What | Target | Median | Min / p90 / max | Runs |\n| --- | --- | --- | --- | --- |");

    // Unbilled time for one client: a typical client and the busiest one.
    let counts = unbilled_counts(&mut app);
    for (label, (client, n)) in [("median", counts[counts.len() / 2]), ("busiest", counts[0])] {
        let what = format!("Unbilled time for one client ({label}: {n} entries)");
        if !wanted(&what) {
            continue;
        }
        let s = measure(200, || {
            timed(|| unwrap("unbilled", app.unbilled(UnbilledInput { client_id: client, ..Default::default() }))).0
        });
        out.row(&what, Some(Duration::from_millis(2)), &s);
    }

    // The time report over one year: projects, and months.
    for (label, group, target) in [
        ("projects", TimeGroup::Project, Some(Duration::from_millis(20))),
        ("months", TimeGroup::Month, Some(Duration::from_millis(20))),
        ("days", TimeGroup::Day, None),
    ] {
        if !wanted(&format!("Time report by {label}, one year")) {
            continue;
        }
        let s = measure(50, || {
            timed(|| {
                unwrap(
                    "time report",
                    app.time_report(TimeReportInput { group, from: year_from.clone(), to: year_to.clone() }),
                )
            })
            .0
        });
        out.row(&format!("Time report by {label}, one year"), target, &s);
    }

    // The invoice list: 50 rows, filtered and sorted.
    let busiest_client = counts[0].0;
    let lists: [(&str, InvoiceListInput); 5] = [
        (
            "paid, newest first",
            InvoiceListInput { status: Some("paid".into()), descending: true, ..Default::default() },
        ),
        (
            "paid, by total",
            InvoiceListInput {
                status: Some("paid".into()),
                sort: Some("total".into()),
                descending: true,
                ..Default::default()
            },
        ),
        (
            "overdue, by due date",
            InvoiceListInput { status: Some("overdue".into()), sort: Some("due_date".into()), ..Default::default() },
        ),
        (
            "one client, newest first",
            InvoiceListInput { client_id: Some(busiest_client), descending: true, ..Default::default() },
        ),
        (
            "one client, paid, by number",
            InvoiceListInput {
                client_id: Some(busiest_client),
                status: Some("paid".into()),
                sort: Some("number".into()),
                ..Default::default()
            },
        ),
    ];
    for (label, input) in lists {
        if !wanted(&format!("Invoice list page, {label}")) {
            continue;
        }
        let s = measure(200, || {
            timed(|| unwrap("invoice list", app.invoices(InvoiceListInput { per_page: Some(50), ..input.clone() }))).0
        });
        out.row(&format!("Invoice list page, {label}"), Some(Duration::from_millis(5)), &s);
    }

    commands::per_command(&mut app, today, busiest_client, out);

    let client = busiest_client;
    let projects = unwrap("projects", app.projects(Some(client), false));
    if wanted("Invoice from 1,000 time entries") || wanted("Invoice: invoice (a draft") {
        // An invoice from 1,000 time entries: lines, totals, commit. The client
        // gets the unbilled entries it lacks first (deleted at the end); after
        // each run the draft is deleted, which releases its time again.
        let have = unwrap(
            "entries",
            app.entries(EntryListInput { client_id: Some(client), unbilled_only: true, ..Default::default() }),
        );
        let mut added = Vec::new();
        for k in have.len()..1_000 {
            let date = (today - Days::days(1 + (k % 20) as i64)).to_string();
            let e = unwrap(
                "add entry",
                app.add_entry(EntryInput {
                    project_id: Some(projects[k % projects.len()].id),
                    date: Some(date),
                    hours: Some(format!("0.{}", 25 + k % 50)),
                    description: Some("Implementation".into()),
                    ..Default::default()
                }),
            );
            added.push(e.entry.id);
        }
        let ids: Vec<i64> = unwrap(
            "entries",
            app.entries(EntryListInput { client_id: Some(client), unbilled_only: true, ..Default::default() }),
        )
        .iter()
        .take(1_000)
        .map(|e| e.entry.id)
        .collect();
        let s = measure(30, || {
            let (took, made) = timed(|| {
                unwrap(
                    "invoice from time",
                    app.invoice_from_time(FromTimeInput {
                        client_id: client,
                        entry_ids: Some(ids.clone()),
                        ..Default::default()
                    }),
                )
            });
            if let FromTimeOutcome::Created(v) = made {
                unwrap("delete the draft", app.delete_invoice(&v.invoice.invoice.number));
            }
            took
        });
        out.row("Invoice from 1,000 time entries (lines, totals, commit)", Some(Duration::from_millis(30)), &s);
        // Opening that invoice in the editor: 1,000 lines.
        if let FromTimeOutcome::Created(v) = unwrap(
            "invoice from time",
            app.invoice_from_time(FromTimeInput {
                client_id: client,
                entry_ids: Some(ids.clone()),
                ..Default::default()
            }),
        ) {
            let number = v.invoice.invoice.number.clone();
            let lines = v.invoice.lines.len();
            let s = measure(50, || timed(|| unwrap("invoice", app.invoice(&number))).0);
            out.row(&format!("Invoice: invoice (a draft of {lines} lines)"), Some(Duration::from_millis(16)), &s);
            unwrap("delete the draft", app.delete_invoice(&number));
        }
        for id in added {
            unwrap("delete entry", app.delete_entry(id));
        }
    }
    drop(app);

    if wanted("Timer st") {
        // The timer: start and stop (which records the entry), on a clock that
        // moves; the entries it made are deleted afterwards.
        let ticking = Ticking { base: NOW.parse().expect("now"), minutes: AtomicI64::new(0) };
        let mut app = open(Box::new(ticking));
        let project = projects[0].id;
        let mut starts = Vec::new();
        let mut stops = Vec::new();
        let mut made = Vec::new();
        for run in 0..201 {
            let (start, _) = timed(|| {
                unwrap("timer start", app.timer_start(TimerStartInput { project_id: project, ..Default::default() }))
            });
            let (stop, stopped) = timed(|| unwrap("timer stop", app.timer_stop(None)));
            made.extend(stopped.entry.map(|e| e.entry.id));
            if run > 0 {
                starts.push(start);
                stops.push(stop);
            }
        }
        for id in made {
            unwrap("delete entry", app.delete_entry(id));
        }
        out.row("Timer start", Some(Duration::from_millis(1)), &stats(starts));
        out.row("Timer stop (records the entry)", Some(Duration::from_millis(1)), &stats(stops));
        drop(app);
    }
}
