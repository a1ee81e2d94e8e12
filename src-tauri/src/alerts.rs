//! Native notifications: a timer left running for eight hours, and invoices
//! that became overdue. Each is announced once per run of the app.

use std::collections::HashSet;

use billable_app::views::{TimerStopped, TimerView};
use billable_app::InvoiceListInput;
use chrono::{DateTime, Utc};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::books::Books;
use crate::tray::elapsed_label;

/// A timer running this long is probably forgotten.
pub const LONG_TIMER_SECONDS: i64 = 8 * 3600;

/// What was already announced.
#[derive(Debug, Default)]
pub struct Alerts {
    long_timer: Option<DateTime<Utc>>,
    overdue: HashSet<String>,
}

impl Alerts {
    /// The notice for a timer running too long, once per timer.
    pub fn long_timer(&mut self, timer: Option<&TimerView>) -> Option<(String, String)> {
        let t = timer.filter(|t| t.elapsed_seconds >= LONG_TIMER_SECONDS)?;
        if self.long_timer == Some(t.timer.started_at) {
            return None;
        }
        self.long_timer = Some(t.timer.started_at);
        Some((
            format!("Timer running for {}", elapsed_label(t.elapsed_seconds)),
            format!("{} ({}) is still being timed. Stop it if you forgot.", t.project_name, t.client_name),
        ))
    }

    /// Notices for overdue invoices not announced yet.
    pub fn overdue(&mut self, numbers: Vec<(String, String)>) -> Vec<(String, String)> {
        numbers
            .into_iter()
            .filter(|(number, _)| self.overdue.insert(number.clone()))
            .map(|(number, client)| (format!("Invoice {number} is overdue"), format!("{client} has not paid it yet.")))
            .collect()
    }
}

/// The notice for a billable timer stopped from the tray within a minute:
/// its entry is kept as non-billable, and the window offers to bill it
/// anyway (the same rule and offer as a stop in the window).
pub fn short_stop(stopped: &TimerStopped) -> Option<(String, String)> {
    let entry = stopped.entry.as_ref().filter(|_| stopped.short)?;
    Some((
        format!("Timer stopped after {} s", stopped.seconds),
        format!(
            "Under a minute on {}, so it was kept as non-billable time. Billable's window offers to bill it anyway.",
            entry.project_name
        ),
    ))
}

/// Shows a native notice (nothing, without a notification service).
pub fn show<R: Runtime>(app: &AppHandle<R>, title: String, body: String) {
    app.notification().builder().title(title).body(body).show().ok();
}

/// Checks the books and shows what is new.
pub fn check<R: Runtime>(app: &AppHandle<R>, alerts: &mut Alerts, invoices_too: bool) {
    let books = app.state::<Books>();
    let mut notices = Vec::new();
    let timer = books.call(|b| b.timer_status(None)).ok().flatten();
    notices.extend(alerts.long_timer(timer.as_ref()));
    if invoices_too {
        let filter = InvoiceListInput { status: Some("overdue".into()), per_page: Some(20), ..Default::default() };
        if let Ok(page) = books.call(|b| b.invoices(filter)) {
            let rows = page.rows.into_iter().map(|r| (r.invoice.number, r.client_name)).collect();
            notices.extend(alerts.overdue(rows));
        }
    }
    for (title, body) in notices {
        // Without a notification service (a bare X server) there is nothing to show.
        show(app, title, body);
    }
}

#[cfg(test)]
mod tests {
    use billable_app::core::model::RunningTimer;

    use super::*;

    fn timer(elapsed_seconds: i64, started_at: i64) -> TimerView {
        TimerView {
            timer: RunningTimer {
                member_id: 1,
                project_id: 1,
                task_id: None,
                description: String::new(),
                billable: true,
                started_at: DateTime::from_timestamp(started_at, 0).expect("a valid instant"),
            },
            client_name: "Acme".into(),
            project_name: "Website".into(),
            task_name: None,
            member_name: "Me".into(),
            elapsed_seconds,
        }
    }

    #[test]
    fn a_long_timer_is_announced_once_per_timer() {
        let mut alerts = Alerts::default();
        assert_eq!(alerts.long_timer(None), None);
        assert_eq!(alerts.long_timer(Some(&timer(LONG_TIMER_SECONDS - 1, 100))), None);
        let (title, body) = alerts.long_timer(Some(&timer(LONG_TIMER_SECONDS, 100))).expect("announced");
        assert_eq!(title, "Timer running for 8:00");
        assert!(body.contains("Website (Acme)"), "{body}");
        assert_eq!(alerts.long_timer(Some(&timer(LONG_TIMER_SECONDS + 60, 100))), None, "only once");
        assert!(alerts.long_timer(Some(&timer(LONG_TIMER_SECONDS, 999))).is_some(), "a new timer is announced");
    }

    /// A clock the test moves.
    struct Moved(std::sync::Arc<std::sync::atomic::AtomicI64>);

    impl billable_app::Clock for Moved {
        fn now(&self) -> DateTime<Utc> {
            DateTime::from_timestamp(self.0.load(std::sync::atomic::Ordering::SeqCst), 0).expect("an instant")
        }
        fn offset_at(&self, _: DateTime<Utc>) -> chrono::FixedOffset {
            chrono::FixedOffset::east_opt(3600).expect("an offset")
        }
    }

    #[test]
    fn a_billable_timer_stopped_within_a_minute_is_announced() {
        let at = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(1_780_000_000));
        let mut b = billable_app::Billable::in_memory(Box::new(Moved(at.clone()))).expect("books");
        let client = b
            .create_client(billable_app::ClientInput { name: Some("Acme".into()), ..Default::default() })
            .expect("a client");
        let project = b
            .create_project(billable_app::ProjectInput {
                client_id: Some(client.id),
                name: Some("Website".into()),
                rate: Some("100".into()),
                ..Default::default()
            })
            .expect("a project");
        let run = |b: &mut billable_app::Billable, seconds: i64| {
            b.timer_start(billable_app::TimerStartInput { project_id: project.id, ..Default::default() })
                .expect("started");
            at.fetch_add(seconds, std::sync::atomic::Ordering::SeqCst);
            b.timer_stop(None).expect("stopped")
        };
        let stopped = run(&mut b, 42);
        assert!(stopped.short, "{stopped:?}");
        let (title, body) = short_stop(&stopped).expect("announced");
        assert_eq!(title, "Timer stopped after 42 s");
        assert!(body.contains("Under a minute on Website") && body.contains("non-billable"), "{body}");
        assert!(!stopped.entry.as_ref().expect("kept").entry.billable, "kept as non-billable");
        // A minute or more is billed as usual, and nothing is announced.
        assert_eq!(short_stop(&run(&mut b, 60)), None);
    }

    #[test]
    fn each_overdue_invoice_is_announced_once() {
        let mut alerts = Alerts::default();
        let first = alerts.overdue(vec![("INV-1".into(), "Acme".into())]);
        assert_eq!(first, [("Invoice INV-1 is overdue".to_string(), "Acme has not paid it yet.".to_string())]);
        let second = alerts.overdue(vec![("INV-1".into(), "Acme".into()), ("INV-2".into(), "Globex".into())]);
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].0, "Invoice INV-2 is overdue");
    }
}
