//! The timer, time entries, rates, rounding and unbilled time.

use billable_app::core::rates::RateSource;
use billable_app::{
    BusinessInput, ClientInput, EntryInput, EntryListInput, FromTimeInput, MemberInput, ProjectInput, TimerStartInput,
    UnbilledInput,
};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal_macros::dec;

use crate::support::*;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Acme (EUR, no rate) with project Website at 120/h.
fn acme(b: &mut Books) -> (i64, i64) {
    let c = client(b, "Acme", None, None);
    let p = project(b, c.id, "Website", Some("120"));
    (c.id, p.id)
}

#[test]
fn timer_survives_a_restart_with_the_right_elapsed_time() {
    let mut b = Books::at("2026-05-10T09:00:00+02:00");
    let (_, p) = acme(&mut b);
    let started =
        b.timer_start(TimerStartInput { project_id: p, description: s("homepage"), ..Default::default() }).unwrap();
    assert!(started.stopped.is_none());
    assert_eq!(started.timer.elapsed_seconds, 0);
    assert_eq!(started.timer.timer.started_at, utc("2026-05-10T07:00:00Z"));

    // The process dies; the timer was written the moment it started.
    b.reopen("2026-05-10T10:15:30+02:00");
    let status = b.timer_status(None).unwrap().expect("the timer is still running");
    // 09:00:00 → 10:15:30 = 1h 15m 30s = 4530 s
    assert_eq!(status.elapsed_seconds, 4530);
    assert_eq!(status.project_name, "Website");
    assert_eq!(status.client_name, "Acme");
    assert_eq!(status.timer.description, "homepage");
    assert!(b.entries(EntryListInput::default()).unwrap().is_empty(), "no entry until it stops");

    let stopped = b.timer_stop(None).unwrap();
    assert_eq!(stopped.seconds, 4530);
    let e = stopped.entry.expect("an entry");
    assert_eq!(e.entry.seconds, 4530);
    assert_eq!(e.entry.start_at, Some(utc("2026-05-10T07:00:00Z")));
    assert_eq!(e.entry.end_at, Some(utc("2026-05-10T08:15:30Z")));
    assert_eq!(e.entry.date, day("2026-05-10"));
    assert_eq!(e.entry.description, "homepage");
    // 4530 s × 120/h = 151.00 (4530/3600 = 1.258333… h × 120 = 150.999…)
    assert_eq!(e.amount, Some(dec!(151.00)));
    assert!(b.timer_status(None).unwrap().is_none());
    assert_code(b.timer_stop(None), "conflict");

    // And the entry is on disk too.
    b.reopen("2026-05-10T11:00:00+02:00");
    let all = b.entries(EntryListInput::default()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].entry.seconds, 4530);
}

#[test]
fn the_local_date_of_a_timer_is_the_day_it_started() {
    // 23:30 local on the 9th is 21:30 UTC; the entry belongs to the 9th.
    let mut b = Books::at("2026-05-09T23:30:00+02:00");
    let (_, p) = acme(&mut b);
    b.timer_start(TimerStartInput { project_id: p, ..Default::default() }).unwrap();
    b.reopen("2026-05-10T00:45:00+02:00");
    let e = b.timer_stop(None).unwrap().entry.unwrap();
    assert_eq!(e.entry.date, day("2026-05-09"));
    assert_eq!(e.entry.seconds, 75 * 60);
}

#[test]
fn starting_a_timer_stops_the_running_one() {
    let mut b = Books::at("2026-05-10T09:00:00+02:00");
    let (_, p) = acme(&mut b);
    let t = task(&mut b, p, "Design", None);
    let globex = client(&mut b, "Globex", None, None);
    let other = project(&mut b, globex.id, "Shop", Some("80"));
    b.timer_start(TimerStartInput { project_id: p, task_id: Some(t.id), ..Default::default() }).unwrap();
    b.reopen("2026-05-10T09:45:00+02:00");
    let second = b.timer_start(TimerStartInput { project_id: other.id, ..Default::default() }).unwrap();
    let stopped = second.stopped.expect("the first timer was stopped");
    assert_eq!(stopped.seconds, 45 * 60);
    let first = stopped.entry.expect("its entry was created");
    assert_eq!(first.entry.project_id, p);
    assert_eq!(first.entry.task_id, Some(t.id));
    assert_eq!(first.entry.end_at, Some(utc("2026-05-10T07:45:00Z")));
    assert_eq!(second.timer.project_name, "Shop");
    assert_eq!(second.timer.timer.started_at, utc("2026-05-10T07:45:00Z"));

    let timers = b.timers().unwrap();
    assert_eq!(timers.len(), 1, "one timer per member");
    assert_eq!(timers[0].timer.project_id, other.id);
    let entries = b.entries(EntryListInput::default()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entry.seconds, 2700);
}

/// A start made while the team books were out of reach reaches them later
/// with its own moment: the timer running then ends there, and nothing
/// earlier than a timer started since replaces it.
#[test]
fn a_timer_start_made_earlier_counts_from_its_own_moment() {
    let mut b = Books::at("2026-05-10T09:00:00+02:00");
    let (_, p) = acme(&mut b);
    b.timer_start(TimerStartInput { project_id: p, description: Some("Call".into()), ..Default::default() }).unwrap();
    b.reopen("2026-05-10T10:00:00+02:00");
    let at = |s: &str| TimerStartInput { project_id: p, started_at: Some(s.into()), ..Default::default() };
    assert_invalid(b.timer_start(at("2026-05-10T10:00:01+02:00")), "started_at");
    assert_invalid(b.timer_start(at("half past nine")), "started_at");
    let started = b.timer_start(at("2026-05-10T09:20:00+02:00")).unwrap();
    assert_eq!(started.timer.timer.started_at, utc("2026-05-10T07:20:00Z"));
    assert_eq!(started.timer.elapsed_seconds, 40 * 60);
    let call = started.stopped.unwrap().entry.unwrap();
    assert_eq!((call.entry.seconds, call.entry.end_at), (20 * 60, Some(utc("2026-05-10T07:20:00Z"))));
    // A start from before the running timer began is refused, and changes nothing.
    let err = b.timer_start(at("2026-05-10T09:10:00+02:00")).unwrap_err();
    assert_eq!(err.code(), "conflict", "{err}");
    assert_eq!(b.timer_status(None).unwrap().unwrap().timer.started_at, utc("2026-05-10T07:20:00Z"));
    assert_eq!(b.entries(EntryListInput::default()).unwrap().len(), 1);
}

#[test]
fn a_refused_timer_start_keeps_the_running_timer() {
    let mut b = Books::new();
    let (_, p) = acme(&mut b);
    b.timer_start(TimerStartInput { project_id: p, ..Default::default() }).unwrap();
    assert_invalid(b.timer_start(TimerStartInput { project_id: 999, ..Default::default() }), "project");
    assert_eq!(b.timer_status(None).unwrap().unwrap().timer.project_id, p);
    assert!(b.entries(EntryListInput::default()).unwrap().is_empty());
}

#[test]
fn discarding_a_timer_records_nothing() {
    let mut b = Books::at("2026-05-10T09:00:00+02:00");
    let (_, p) = acme(&mut b);
    b.timer_start(TimerStartInput { project_id: p, ..Default::default() }).unwrap();
    b.reopen("2026-05-10T09:20:00+02:00");
    let gone = b.timer_discard(None).unwrap();
    assert_eq!(gone.elapsed_seconds, 1200);
    assert!(b.timer_status(None).unwrap().is_none());
    assert!(b.entries(EntryListInput::default()).unwrap().is_empty());
    assert_code(b.timer_discard(None), "conflict");
}

#[test]
fn manual_entries_by_start_and_end_or_date_and_hours() {
    let mut b = Books::new();
    let (c, p) = acme(&mut b);
    let span = b
        .add_entry(EntryInput {
            project_id: Some(p),
            start: s("2026-05-08T09:00"),
            end: s("2026-05-08T10:20"),
            description: s("kick-off"),
            ..Default::default()
        })
        .unwrap();
    // Local 09:00 at UTC+2 is 07:00 UTC.
    assert_eq!(span.entry.start_at, Some(utc("2026-05-08T07:00:00Z")));
    assert_eq!(span.entry.end_at, Some(utc("2026-05-08T08:20:00Z")));
    assert_eq!(span.entry.seconds, 4800);
    assert_eq!(span.entry.date, day("2026-05-08"));
    assert_eq!(span.entry.client_id, c);
    assert_eq!(span.hours, dec!(1.33));
    // 1h20m at 120/h = 160.00 exactly (not 1.33 × 120 = 159.60).
    assert_eq!(span.amount, Some(dec!(160.00)));

    let hm = hours(&mut b, p, None, "2026-05-07", "1h20m");
    assert_eq!(hm.entry.seconds, 4800);
    assert_eq!(hm.entry.date, day("2026-05-07"));
    assert_eq!(hm.entry.start_at, None);

    let dec_hours = hours(&mut b, p, None, "2026-05-06", "2.5");
    assert_eq!(dec_hours.entry.seconds, 9000);
    assert_eq!(dec_hours.amount, Some(dec!(300.00)));

    // Without a date: today on the clock.
    let today = b.add_entry(EntryInput { project_id: Some(p), hours: s("45m"), ..Default::default() }).unwrap();
    assert_eq!(today.entry.date, day("2026-05-10"));

    // Listing by date range, newest filters applied.
    let may_6_to_7 =
        b.entries(EntryListInput { from: s("2026-05-06"), to: s("2026-05-07"), ..Default::default() }).unwrap();
    assert_eq!(may_6_to_7.iter().map(|e| e.entry.id).collect::<Vec<_>>(), vec![dec_hours.entry.id, hm.entry.id]);
}

/// Found while fuzzing the typed dates: chrono reads years up to ±262142,
/// and a start there overflowed converting local time to UTC. Dates have
/// years 1 to 9999.
#[test]
fn dates_at_the_ends_of_the_calendar_are_refused_naming_the_field() {
    let mut b = Books::new();
    let (_, p) = acme(&mut b);
    let base = EntryInput { project_id: Some(p), ..Default::default() };
    for far in ["+262142-12-31T23:59", "-262143-01-01T00:00", "+10000-01-01 00:00", "0000-12-31T23:00"] {
        let e = assert_invalid(
            b.add_entry(EntryInput { start: s(far), end: s("2026-05-08T10:00"), ..base.clone() }),
            "start",
        );
        assert!(e.to_string().contains(far), "{e}");
    }
    assert_invalid(b.add_entry(EntryInput { hours: s("1"), date: s("+262142-12-31"), ..base.clone() }), "date");
    let last =
        b.add_entry(EntryInput { start: s("9999-12-31T22:00"), end: s("9999-12-31T23:00"), ..base.clone() }).unwrap();
    assert_eq!(last.entry.seconds, 3600);
}

#[test]
fn a_sixtieth_second_is_refused_naming_the_field() {
    // Found by fuzzing: chrono reads ":60" as a leap second lasting two, so
    // the entry's seconds and its end minus start differed by one.
    let mut b = Books::new();
    let (_, p) = acme(&mut b);
    let base = EntryInput { project_id: Some(p), ..Default::default() };
    for (start, end, field) in [
        ("2026-03-31T01:00:60+02:05", "2026-03-30 20:00:59", "start"),
        ("2026-03-30 20:00:00", "2026-03-30 22:59:60", "end"),
        ("2026-03-30T23:59:60Z", "2026-03-31T02:00:00Z", "start"),
    ] {
        let e = assert_invalid(b.add_entry(EntryInput { start: s(start), end: s(end), ..base.clone() }), field);
        assert!(e.to_string().contains("60th second"), "{e}");
    }
    let ok = b
        .add_entry(EntryInput { start: s("2026-03-30 20:00:59"), end: s("2026-03-30 22:00:59"), ..base.clone() })
        .unwrap();
    let (start, end) = (ok.entry.start_at.unwrap(), ok.entry.end_at.unwrap());
    assert_eq!(((end - start).num_seconds(), ok.entry.seconds), (7200, 7200));
}

#[test]
fn bad_entries_are_refused_naming_the_field() {
    let mut b = Books::new();
    let (_, p) = acme(&mut b);
    let base = EntryInput { project_id: Some(p), ..Default::default() };
    let e = assert_invalid(
        b.add_entry(EntryInput { start: s("2026-05-08T10:00"), end: s("2026-05-08T09:00"), ..base.clone() }),
        "end",
    );
    assert!(e.to_string().contains("after the start"), "{e}");
    assert_invalid(
        b.add_entry(EntryInput { start: s("2026-05-08T10:00"), end: s("2026-05-08T10:00"), ..base.clone() }),
        "end",
    );
    assert_invalid(
        b.add_entry(EntryInput { start: s("yesterday"), end: s("2026-05-08T10:00"), ..base.clone() }),
        "start",
    );
    assert_invalid(b.add_entry(EntryInput { hours: s("abc"), ..base.clone() }), "hours");
    assert_invalid(b.add_entry(EntryInput { hours: s("0"), ..base.clone() }), "hours");
    assert_invalid(b.add_entry(base.clone()), "hours");
    assert_invalid(b.add_entry(EntryInput { hours: s("1"), date: s("10/05/2026"), ..base.clone() }), "date");
    assert_invalid(
        b.add_entry(EntryInput {
            hours: s("1"),
            start: s("2026-05-08T09:00"),
            end: s("2026-05-08T10:00"),
            ..base.clone()
        }),
        "hours",
    );
    assert_invalid(b.add_entry(EntryInput { hours: s("1"), rate: s("-3"), ..base.clone() }), "rate");
    assert_invalid(b.add_entry(EntryInput { hours: s("1"), project_id: None, ..Default::default() }), "project");
    assert_invalid(b.add_entry(EntryInput { hours: s("1"), member_id: Some(99), ..base.clone() }), "member");
    assert!(b.entries(EntryListInput::default()).unwrap().is_empty(), "nothing was written");
}

#[test]
fn entries_are_edited_and_deleted_until_billed() {
    let mut b = Books::new();
    let (c, p) = acme(&mut b);
    let e1 = hours(&mut b, p, None, "2026-05-04", "2");
    let e2 = hours(&mut b, p, None, "2026-05-05", "1");

    let edited = b
        .edit_entry(e1.entry.id, EntryInput { hours: s("3"), description: s("more work"), ..Default::default() })
        .unwrap();
    assert_eq!(edited.entry.seconds, 10800);
    assert_eq!(edited.entry.date, day("2026-05-04"), "the date stays");
    assert_eq!(edited.amount, Some(dec!(360.00)));
    assert_invalid(b.edit_entry(e1.entry.id, EntryInput { hours: s("x"), ..Default::default() }), "hours");
    assert_eq!(b.entry(e1.entry.id).unwrap().entry.seconds, 10800);

    let inv = bill(&mut b, c, &[e1.entry.id], "entry");
    let e = assert_code(b.edit_entry(e1.entry.id, EntryInput { hours: s("1"), ..Default::default() }), "conflict");
    assert!(e.to_string().contains(&inv.invoice.number), "the message names the invoice: {e}");
    assert_code(b.delete_entry(e1.entry.id), "conflict");
    let still = b.entry(e1.entry.id).unwrap();
    assert_eq!(still.entry.seconds, 10800);
    assert_eq!(still.entry.invoice_id, Some(inv.invoice.id));

    // The unbilled one goes.
    b.delete_entry(e2.entry.id).unwrap();
    assert_code(b.entry(e2.entry.id), "not_found");
    assert_eq!(b.entries(EntryListInput::default()).unwrap().len(), 1);
}

#[test]
fn the_most_specific_rate_wins() {
    let mut b = Books::new();
    b.update_business(BusinessInput { default_rate: s("50"), ..Default::default() }).unwrap();
    let me = b.members(false).unwrap()[0].clone();
    b.edit_member(me.id, MemberInput { default_rate: s("60"), ..Default::default() }).unwrap();
    let sam = b.create_member(MemberInput { name: s("Sam"), ..Default::default() }).unwrap();

    let rated = client(&mut b, "Rated", None, Some("70"));
    let p_rated = project(&mut b, rated.id, "Rated project", Some("80"));
    let t_rated = task(&mut b, p_rated.id, "Rated task", Some("90"));
    let p_plain = project(&mut b, rated.id, "Plain project", None);
    let bare = client(&mut b, "Bare", None, None);
    let p_bare = project(&mut b, bare.id, "Bare project", None);

    let add = |b: &mut Books, p: i64, t: Option<i64>, member: Option<i64>, rate: Option<&str>| {
        b.add_entry(EntryInput {
            project_id: Some(p),
            task_id: Some(t),
            member_id: member,
            rate: rate.map(str::to_string),
            date: s("2026-05-04"),
            hours: s("1.5"),
            ..Default::default()
        })
        .unwrap()
    };
    // Each 1.5 h, so the amount is 1.5 × the rate that won.
    let cases = [
        (add(&mut b, p_rated.id, Some(t_rated.id), None, Some("100")), RateSource::Entry, dec!(100), dec!(150.00)),
        (add(&mut b, p_rated.id, Some(t_rated.id), None, None), RateSource::Task, dec!(90), dec!(135.00)),
        (add(&mut b, p_rated.id, None, None, None), RateSource::Project, dec!(80), dec!(120.00)),
        (add(&mut b, p_plain.id, None, None, None), RateSource::Client, dec!(70), dec!(105.00)),
        (add(&mut b, p_bare.id, None, None, None), RateSource::Member, dec!(60), dec!(90.00)),
        (add(&mut b, p_bare.id, None, Some(sam.id), None), RateSource::Business, dec!(50), dec!(75.00)),
    ];
    for (e, source, rate, amount) in cases {
        assert_eq!(e.rate_source, Some(source), "entry {}", e.entry.id);
        assert_eq!(e.rate, Some(rate), "entry {}", e.entry.id);
        assert_eq!(e.amount, Some(amount), "entry {}", e.entry.id);
    }

    // Taking the business default away leaves Sam's bare entry unpriced.
    b.update_business(BusinessInput { default_rate: s(""), ..Default::default() }).unwrap();
    let unpriced = b.entries(EntryListInput { member_id: Some(sam.id), ..Default::default() }).unwrap();
    assert_eq!(unpriced[0].rate, None);
    assert_eq!(unpriced[0].rate_source, None);
    assert_eq!(unpriced[0].amount, None);
}

#[test]
fn non_billable_entries_carry_no_amount_and_are_not_unbilled() {
    let mut b = Books::new();
    let (c, p) = acme(&mut b);
    let internal = b
        .add_entry(EntryInput { project_id: Some(p), hours: s("2"), billable: Some(false), ..Default::default() })
        .unwrap();
    assert!(!internal.entry.billable);
    assert_eq!(internal.rate, Some(dec!(120)), "the rate is still shown");
    assert_eq!(internal.amount, None);
    hours(&mut b, p, None, "2026-05-09", "1");
    let u = b.unbilled(UnbilledInput { client_id: c, ..Default::default() }).unwrap();
    assert_eq!(u.entries.len(), 1);
    assert_eq!(u.total_seconds, 3600);
    assert_eq!(u.total_amount, dec!(120.00));
    // Nor can it be billed by naming it.
    let e = assert_invalid(
        b.invoice_from_time(billable_app::FromTimeInput {
            client_id: c,
            entry_ids: Some(vec![internal.entry.id]),
            ..Default::default()
        }),
        "entries",
    );
    assert!(e.to_string().contains(&internal.entry.id.to_string()), "{e}");
    let billable_only = b.entries(EntryListInput { billable: Some(false), ..Default::default() }).unwrap();
    assert_eq!(billable_only.len(), 1);
}

#[test]
fn unbilled_time_per_client_with_totals() {
    let mut b = Books::new();
    let (c, p) = acme(&mut b);
    let app = project(&mut b, c, "App", Some("90"));
    let globex = client(&mut b, "Globex", None, Some("200"));
    let gp = project(&mut b, globex.id, "Shop", None);

    hours(&mut b, p, None, "2026-05-04", "1h20m"); // 4800 s × 120 = 160.00
    hours(&mut b, p, None, "2026-05-05", "0.25"); // 900 s × 120 = 30.00
    hours(&mut b, app.id, None, "2026-05-06", "10m"); // 600 s × 90 = 15.00
    hours(&mut b, gp.id, None, "2026-05-06", "3"); // another client's

    let u = b.unbilled(UnbilledInput { client_id: c, ..Default::default() }).unwrap();
    assert_eq!(u.client_name, "Acme");
    assert_eq!(u.currency.code(), "EUR");
    assert_eq!(u.entries.len(), 3);
    assert_eq!(u.total_seconds, 4800 + 900 + 600);
    assert_eq!(u.total_hours, dec!(1.75)); // 6300 s = 1.75 h
    assert_eq!(u.total_amount, dec!(205.00)); // 160 + 30 + 15

    let only_app = b.unbilled(UnbilledInput { client_id: c, project_id: Some(app.id), ..Default::default() }).unwrap();
    assert_eq!(only_app.total_amount, dec!(15.00));
    let may_5 = b
        .unbilled(UnbilledInput { client_id: c, from: s("2026-05-05"), to: s("2026-05-05"), ..Default::default() })
        .unwrap();
    assert_eq!(may_5.total_seconds, 900);
    assert_eq!(may_5.total_amount, dec!(30.00));

    // Once billed, time is no longer unbilled.
    let first = u.entries[0].entry.id;
    bill(&mut b, c, &[first], "entry");
    let after = b.unbilled(UnbilledInput { client_id: c, ..Default::default() }).unwrap();
    assert_eq!(after.entries.len(), 2);
    assert_eq!(after.total_amount, dec!(45.00));
    let listed = b.entries(EntryListInput { client_id: Some(c), unbilled_only: true, ..Default::default() }).unwrap();
    assert_eq!(listed.len(), 2);
    assert_code(b.unbilled(UnbilledInput { client_id: 999, ..Default::default() }), "not_found");
}

#[test]
fn the_unbilled_total_is_the_value_of_the_time_rounded_once() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None);
    let p = project(&mut b, c.id, "Website", Some("100"));
    // Three single minutes at 100.00/h: each is 1.666… → 1.67 shown per entry,
    // but together they are 3 min = 5.00, and that is what a task line bills.
    for d in ["2026-05-04", "2026-05-05", "2026-05-06"] {
        assert_eq!(hours(&mut b, p.id, None, d, "1m").amount, Some(dec!(1.67)));
    }
    let u = b.unbilled(UnbilledInput { client_id: c.id, ..Default::default() }).unwrap();
    assert_eq!(u.total_amount, dec!(5.00));
    let by_task = preview(
        b.invoice_from_time(FromTimeInput {
            client_id: c.id,
            grouping: s("task"),
            preview: true,
            ..Default::default()
        })
        .unwrap(),
    );
    assert_eq!(by_task.totals.total, u.total_amount);
}

#[test]
fn rounding_policy_project_over_client_over_business() {
    let mut b = Books::new();
    b.update_business(BusinessInput { rounding: s("up:15"), ..Default::default() }).unwrap();
    let a = b
        .create_client(ClientInput { name: s("Acme"), rounding: s("up:30"), rate: s("100"), ..Default::default() })
        .unwrap();
    let own = b
        .create_project(ProjectInput {
            client_id: Some(a.id),
            name: s("Own policy"),
            rounding: s("nearest:6"),
            ..Default::default()
        })
        .unwrap();
    let inherits = project(&mut b, a.id, "Client policy", None);
    let g = client(&mut b, "Globex", None, Some("100"));
    let business = project(&mut b, g.id, "Business policy", None);

    // 7 minutes (420 s) on each.
    let e_own = hours(&mut b, own.id, None, "2026-05-04", "7m");
    let e_client = hours(&mut b, inherits.id, None, "2026-05-04", "7m");
    let e_biz = hours(&mut b, business.id, None, "2026-05-04", "7m");
    for e in [&e_own, &e_client, &e_biz] {
        assert_eq!(e.entry.seconds, 420, "the raw time is never rewritten");
    }
    // nearest:6 → 420 s is 1 interval + 60 s (< half of 360) → 360 s; 6 min × 100/h = 10.00
    assert_eq!(e_own.billed_seconds, 360);
    assert_eq!(e_own.amount, Some(dec!(10.00)));
    // up:30 → 1800 s; 0.5 h × 100 = 50.00
    assert_eq!(e_client.billed_seconds, 1800);
    assert_eq!(e_client.billed_hours, dec!(0.50));
    assert_eq!(e_client.amount, Some(dec!(50.00)));
    // up:15 → 900 s; 0.25 h × 100 = 25.00
    assert_eq!(e_biz.billed_seconds, 900);
    assert_eq!(e_biz.amount, Some(dec!(25.00)));

    // Billed, the line carries the rounded time; the entry keeps its raw seconds.
    let inv = bill(&mut b, a.id, &[e_client.entry.id], "entry");
    assert_eq!(inv.lines[0].seconds, Some(1800));
    assert_eq!(inv.lines[0].quantity, dec!(0.50));
    assert_eq!(inv.invoice.total, dec!(50.00));
    let after = b.entry(e_client.entry.id).unwrap();
    assert_eq!(after.entry.seconds, 420);
    assert_eq!(after.billed_seconds, 1800);

    // Unbilled shows both raw and billed time.
    let u = b.unbilled(UnbilledInput { client_id: a.id, ..Default::default() }).unwrap();
    assert_eq!(u.total_seconds, 420);
    assert_eq!(u.billed_seconds, 360);
}

#[test]
fn an_entry_in_json_has_its_own_rate_and_the_rate_that_applies() {
    let mut b = Books::new();
    let (_, p) = acme(&mut b);
    let plain = hours(&mut b, p, None, "2026-05-04", "1");
    let special =
        b.add_entry(EntryInput { project_id: Some(p), hours: s("1"), rate: s("200"), ..Default::default() }).unwrap();
    for e in [&plain, &special] {
        assert_unique_json_keys(e);
    }
    let plain = serde_json::to_value(&plain).unwrap();
    let special = serde_json::to_value(&special).unwrap();
    // The entry's own rate (none, or the override) …
    assert_eq!(plain["rate"], serde_json::Value::Null);
    assert_eq!(special["rate"], "200");
    // … and the one that applies, with where it came from; decimals as strings.
    assert_eq!(plain["effective_rate"], "120");
    assert_eq!(plain["rate_source"], "project");
    assert_eq!(special["effective_rate"], "200");
    assert_eq!(special["rate_source"], "entry");
    assert_eq!(plain["amount"], "120.00");
}

#[test]
fn moving_an_entry_to_another_clients_project_moves_its_client() {
    let mut b = Books::new();
    let (acme, p) = acme(&mut b);
    let globex = client(&mut b, "Globex", None, Some("90"));
    let shop = project(&mut b, globex.id, "Shop", None);
    let t = task(&mut b, p, "Design", None);
    let e = hours(&mut b, p, Some(t.id), "2026-05-04", "2");
    // A task of another project is refused.
    assert_invalid(
        b.edit_entry(
            e.entry.id,
            EntryInput { project_id: Some(shop.id), task_id: Some(Some(t.id)), ..Default::default() },
        ),
        "task",
    );
    let moved = b.edit_entry(e.entry.id, EntryInput { project_id: Some(shop.id), ..Default::default() }).unwrap();
    assert_eq!(moved.entry.client_id, globex.id);
    assert_eq!(moved.entry.task_id, None, "the old project's task is dropped");
    assert_eq!(moved.rate_source, Some(RateSource::Client));
    assert_eq!(moved.amount, Some(dec!(180.00)));
    assert!(b.unbilled(UnbilledInput { client_id: acme, ..Default::default() }).unwrap().entries.is_empty());
    assert_eq!(
        b.unbilled(UnbilledInput { client_id: globex.id, ..Default::default() }).unwrap().total_amount,
        dec!(180.00)
    );
}

#[test]
fn idle_time_is_left_out_by_stopping_where_the_person_went_away() {
    let mut b = Books::at("2026-05-10T09:00:00+02:00");
    let (_, p) = acme(&mut b);
    b.timer_start(TimerStartInput { project_id: p, description: Some("Design".into()), ..Default::default() }).unwrap();
    // Away from 09:40 until 10:00; the timer keeps running again from now.
    b.reopen("2026-05-10T10:00:00+02:00");
    let idle = b.timer_idle(None, "2026-05-10T09:40:00+02:00", true).unwrap();
    assert_eq!(idle.idle_seconds, 20 * 60);
    let kept = idle.stopped.entry.expect("the time before is kept");
    assert_eq!((kept.entry.seconds, kept.entry.description.as_str()), (40 * 60, "Design"));
    let again = idle.timer.expect("running again");
    assert_eq!((again.timer.project_id, again.timer.description.as_str(), again.elapsed_seconds), (p, "Design", 0));
    // Away again, and this time it stops where the person went away.
    b.reopen("2026-05-10T11:00:00+02:00");
    let idle = b.timer_idle(None, "2026-05-10T10:30:00+02:00", false).unwrap();
    assert_eq!(idle.stopped.entry.unwrap().entry.seconds, 30 * 60);
    assert!(idle.timer.is_none());
    assert!(b.timer_status(None).unwrap().is_none());
    // Bad input names its field and changes nothing.
    b.timer_start(TimerStartInput { project_id: p, ..Default::default() }).unwrap();
    assert_invalid(b.timer_idle(None, "2026-05-10T12:00:00+02:00", false), "idle_since");
    assert_invalid(b.timer_idle(None, "half past ten", false), "idle_since");
    assert!(b.timer_status(None).unwrap().is_some(), "still running");
    // Idle since before the start: the whole run was idle, nothing is billed.
    b.reopen("2026-05-10T11:30:00+02:00");
    let idle = b.timer_idle(None, "2026-05-10T08:00:00+02:00", false).unwrap();
    assert!(idle.stopped.entry.is_none());
    assert_code(b.timer_idle(None, "2026-05-10T11:00:00+02:00", false), "conflict");
}

#[test]
fn a_timer_shorter_than_a_minute_is_kept_but_bills_nothing() {
    let mut b = Books::at("2026-05-10T09:00:00+02:00");
    let (c, p) = acme(&mut b);
    b.timer_start(TimerStartInput { project_id: p, description: Some("Oops".into()), ..Default::default() }).unwrap();
    b.reopen("2026-05-10T09:00:12+02:00");
    let stopped = b.timer_stop(None).unwrap();
    assert!(stopped.short, "12 s is under the minimum");
    let e = stopped.entry.expect("the time is kept");
    assert_eq!((e.entry.seconds, e.entry.billable, e.entry.description.as_str()), (12, false, "Oops"));
    assert_eq!(b.unbilled(UnbilledInput { client_id: c, ..Default::default() }).unwrap().total_seconds, 0);
    // Exactly a minute is billable time.
    b.timer_start(TimerStartInput { project_id: p, ..Default::default() }).unwrap();
    b.reopen("2026-05-10T09:01:12+02:00");
    let stopped = b.timer_stop(None).unwrap();
    assert!(!stopped.short);
    assert!(stopped.entry.unwrap().entry.billable);
    // Switching projects after a few seconds applies the same rule.
    b.timer_start(TimerStartInput { project_id: p, ..Default::default() }).unwrap();
    b.reopen("2026-05-10T09:01:42+02:00");
    let switched = b.timer_start(TimerStartInput { project_id: p, ..Default::default() }).unwrap();
    let first = switched.stopped.expect("the running timer was stopped");
    assert!(first.short && !first.entry.unwrap().entry.billable);
}

#[test]
fn a_timer_stopped_at_once_records_nothing_and_a_non_billable_one_is_kept_so() {
    let mut b = Books::at("2026-05-10T09:00:00+02:00");
    let (c, p) = acme(&mut b);
    b.timer_start(TimerStartInput { project_id: p, ..Default::default() }).unwrap();
    let stopped = b.timer_stop(None).unwrap();
    assert_eq!((stopped.seconds, stopped.entry.is_none()), (0, true));
    assert!(b.timer_status(None).unwrap().is_none());

    b.timer_start(TimerStartInput { project_id: p, billable: Some(false), ..Default::default() }).unwrap();
    b.reopen("2026-05-10T09:30:00+02:00");
    let e = b.timer_stop(None).unwrap().entry.unwrap();
    assert!(!e.entry.billable);
    assert_eq!(e.amount, None);
    assert_eq!(b.unbilled(UnbilledInput { client_id: c, ..Default::default() }).unwrap().total_seconds, 0);
}

#[test]
fn recent_projects_are_the_latest_worked_on_first_without_archived_ones() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None);
    let site = project(&mut b, c.id, "Website", Some("100"));
    let shop = project(&mut b, c.id, "Shop", Some("100"));
    let old = project(&mut b, c.id, "Archive", Some("100"));
    let idle = project(&mut b, c.id, "Idle", Some("100"));
    hours(&mut b, old.id, None, "2026-05-01", "1");
    hours(&mut b, site.id, None, "2026-05-02", "1");
    hours(&mut b, shop.id, None, "2026-05-08", "1");
    hours(&mut b, site.id, None, "2026-05-09", "1");
    // More than 60 days ago: no longer recent.
    hours(&mut b, idle.id, None, "2026-02-01", "1");
    b.archive_project(old.id, true).unwrap();

    let names = |list: Vec<billable_app::core::model::Project>| list.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(names(b.recent_projects(10).unwrap()), ["Website", "Shop"]);
    assert_eq!(names(b.recent_projects(1).unwrap()), ["Website"]);
}

/// The entries are read a batch at a time: a project whose latest entry lies
/// behind many of another's is found all the same, and the one worked on
/// the same day but recorded earlier comes after.
#[test]
fn recent_projects_are_found_behind_many_entries_of_one_project() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None);
    let busy = project(&mut b, c.id, "Busy", Some("100"));
    let quiet = project(&mut b, c.id, "Quiet", Some("100"));
    let first = project(&mut b, c.id, "First", Some("100"));
    hours(&mut b, first.id, None, "2026-05-01", "1");
    hours(&mut b, quiet.id, None, "2026-05-01", "1");
    for day in 2..=8 {
        for _ in 0..45 {
            hours(&mut b, busy.id, None, &format!("2026-05-0{day}"), "0.1");
        }
    }
    let names = |list: Vec<billable_app::core::model::Project>| list.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(names(b.recent_projects(5).unwrap()), ["Busy", "Quiet", "First"]);
}

#[test]
fn the_latest_entries_are_the_newest_few_listed_oldest_first() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None);
    let site = project(&mut b, c.id, "Website", Some("100"));
    for (date, h) in [("2026-05-04", "1"), ("2026-05-06", "2"), ("2026-05-05", "3"), ("2026-05-06", "4")] {
        hours(&mut b, site.id, None, date, h);
    }
    let seconds = |list: Vec<billable_app::views::EntryView>| {
        list.into_iter().map(|e| (e.entry.date.to_string(), e.entry.seconds / 3600)).collect::<Vec<_>>()
    };
    let newest = b.entries(EntryListInput { latest: Some(3), ..Default::default() }).unwrap();
    assert_eq!(
        seconds(newest),
        [("2026-05-05".to_string(), 3), ("2026-05-06".to_string(), 2), ("2026-05-06".to_string(), 4)]
    );
    let since =
        b.entries(EntryListInput { latest: Some(10), from: Some("2026-05-06".into()), ..Default::default() }).unwrap();
    assert_eq!(seconds(since).len(), 2);
    // `limit` keeps the oldest.
    let oldest = b.entries(EntryListInput { limit: Some(1), ..Default::default() }).unwrap();
    assert_eq!(seconds(oldest), [("2026-05-04".to_string(), 1)]);
}
