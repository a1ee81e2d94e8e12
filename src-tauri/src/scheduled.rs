//! Scheduled work while the app is open: recurring invoices, payment
//! reminders, the outbox's waiting emails and the daily automatic backup
//! (`Billable::run_scheduled`), shortly after start and then every few
//! minutes. It runs on its own thread with its own connection to the books,
//! so a slow mail server never holds up a click in the window.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};

use crate::books::Books;

/// How long after start the first pass waits (the window comes first).
const FIRST_PASS_AFTER: Duration = Duration::from_secs(5);
/// The time between passes; the outbox's shortest retry is one minute.
const EVERY: Duration = Duration::from_secs(60);

/// Starts the background passes, unless `BILLABLE_SCHEDULED=off` (for a
/// walk that sends reminders and recurring invoices by hand and must not
/// meet a pass doing the same a moment earlier).
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    if std::env::var("BILLABLE_SCHEDULED").is_ok_and(|v| v.eq_ignore_ascii_case("off")) {
        eprintln!("Billable: scheduled work is off (BILLABLE_SCHEDULED=off)");
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(FIRST_PASS_AFTER);
        // Each pass opens the books anew: the person may have changed them
        // (Data → Where your books live), or a team server may be back.
        loop {
            match app.state::<Books>().open_another() {
                Ok(Some(mut billable)) => {
                    let run = billable.run_scheduled();
                    for failure in &run.failed {
                        eprintln!("Billable: scheduled {} failed: {}", failure.part, failure.error.message);
                    }
                }
                Ok(None) => {}
                Err(e) => eprintln!("Billable: scheduled work skipped this pass: {e}"),
            }
            std::thread::sleep(EVERY);
        }
    });
}
