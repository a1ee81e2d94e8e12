//! The timer survives kill -9: killed while starting, it is running from the
//! start instant or not at all; killed while stopping, it is still running
//! or it became exactly one entry. Reopened at any later clock, `timer
//! status` shows the exact elapsed seconds (BILLABLE_NOW fixes the clock).

use chrono::{DateTime, Duration, FixedOffset};

use super::{books, check, copy_of, Trials, NOW};

const TRIALS: u64 = 30;
const START: [&str; 6] = ["timer", "start", "--project", "1", "-d", "Homepage layout"];
const STOP: [&str; 2] = ["timer", "stop"];

fn at(seconds: i64) -> String {
    let t0: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(NOW).unwrap();
    (t0 + Duration::seconds(seconds)).to_rfc3339()
}

#[test]
fn a_killed_timer_keeps_its_exact_elapsed_time() {
    let pristine = books();
    pristine.ok(&["client", "add", "Acme GmbH"]);
    pristine.ok(&["project", "add", "Website", "--client", "Acme GmbH", "--rate", "100"]);
    let t0: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(NOW).unwrap();

    let mut starts = Trials::new("timer start", TRIALS, || {
        let b = copy_of(&pristine);
        let c = b.command(&START);
        (b, c)
    });
    let mut stops = Trials::new("timer stop", TRIALS, || {
        let b = copy_of(&pristine);
        b.ok(&START);
        let c = b.seen_at(&at(60)).command(&STOP);
        (b, c)
    });
    let (mut start_lost, mut start_kept, mut stop_lost, mut stop_kept) = (0, 0, 0, 0);
    for trial in 0..TRIALS {
        let b = copy_of(&pristine);
        let (ctx, _) = starts.kill(trial, b.command(&START));

        // Reopened later: running since t0 with the exact elapsed time, or not started.
        let d1 = 1 + starts.below(30_000) as i64;
        let status = b.seen_at(&at(d1)).ok(&["timer", "status"]);
        if status.is_null() {
            start_lost += 1;
            let seen = check::books_at(&b.db, &at(d1), &ctx);
            assert!(seen.timers.is_empty() && seen.entries.is_empty(), "{ctx}: nothing half-started");
            b.ok(&START);
        } else {
            start_kept += 1;
        }
        let status = b.seen_at(&at(d1)).ok(&["timer", "status"]);
        assert_eq!(status["elapsed_seconds"].as_i64(), Some(d1), "{ctx}: elapsed after a restart");
        let seen = check::books_at(&b.db, &at(d1), &ctx);
        assert_eq!((seen.timers.len(), seen.entries.len()), (1, 0), "{ctx}");
        assert_eq!(seen.timers[0].timer.started_at, t0, "{ctx}: started at the start instant");

        // Killed while stopping: still running (exact time), or one entry of exactly d2 seconds.
        let d2 = d1 + 1 + stops.below(30_000) as i64;
        let stopper = b.seen_at(&at(d2));
        let (ctx, _) = stops.kill(trial, stopper.command(&STOP));
        let d3 = d2 + stops.below(5_000) as i64;
        let seen = check::books_at(&b.db, &at(d3), &ctx);
        match (seen.timers.len(), seen.entries.len()) {
            (1, 0) => {
                stop_lost += 1;
                assert_eq!(seen.timers[0].elapsed_seconds, d3, "{ctx}: elapsed after a restart");
                let stopped = stopper.ok(&STOP);
                assert_eq!(stopped["seconds"].as_i64(), Some(d2), "{ctx}: the retried stop");
            }
            (0, 1) => stop_kept += 1,
            other => panic!("{ctx}: (running timers, entries) = {other:?}"),
        }
        let seen = check::books_at(&b.db, &at(d3), &ctx);
        assert_eq!((seen.timers.len(), seen.entries.len()), (0, 1), "{ctx}");
        let e = &seen.entries[0].entry;
        assert_eq!(e.seconds, d2, "{ctx}: the entry has the exact time");
        assert_eq!(e.start_at, Some(t0.to_utc()), "{ctx}");
        assert_eq!(e.end_at, Some((t0 + Duration::seconds(d2)).to_utc()), "{ctx}");
    }
    starts.report(start_lost, start_kept);
    stops.report(stop_lost, stop_kept);
}
