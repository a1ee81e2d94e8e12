//! Native notifications: a timer left running for eight hours, and invoices
//! that became overdue. Each is announced once per run of the app.

use std::collections::HashSet;

use billable_app::views::TimerView;
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
        app.notification().builder().title(title).body(body).show().ok();
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
