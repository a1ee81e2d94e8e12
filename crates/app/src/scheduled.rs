//! The work that falls due while nobody is typing: recurring invoices,
//! payment reminders, the outbox's waiting emails and the daily automatic
//! backup. The desktop app runs it at start and every few minutes (on a
//! connection of its own, so a slow mail server never holds up a click);
//! `billable scheduled run` does the same for a cron job or a systemd timer.
//!
//! Each part runs on its own: one that fails (no mail server set up, a
//! server that is down) is reported and the others still run.

use serde::Serialize;

use crate::backup::AutoBackup;
use crate::mail::{OutboxRun, ReminderRun};
use crate::views::RecurringRunReport;
use crate::{AppError, Billable, ErrorBody};

/// What one scheduled pass did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScheduledRun {
    /// Recurring invoices generated (and, in send mode, emailed).
    pub recurring: Option<RecurringRunReport>,
    /// Payment reminders queued and sent; `None` when email is not set up.
    pub reminders: Option<ReminderRun>,
    /// The pass over the outbox: emails that waited for a retry.
    pub outbox: Option<OutboxRun>,
    /// The automatic backup (made at most once a day).
    pub backup: Option<AutoBackup>,
    /// The parts that failed, each with its error.
    pub failed: Vec<ScheduledFailure>,
}

/// A part of the pass that failed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScheduledFailure {
    /// `recurring`, `reminders`, `outbox` or `backup`.
    pub part: &'static str,
    pub error: ErrorBody,
}

impl Billable {
    /// Runs everything that is due now: recurring invoices, reminders (when
    /// email is set up), the outbox, and the daily automatic backup.
    pub fn run_scheduled(&mut self) -> ScheduledRun {
        let mut run = ScheduledRun::default();
        match self.run_recurring() {
            Ok(report) => run.recurring = Some(report),
            Err(e) => run.failed.push(ScheduledFailure { part: "recurring", error: e.to_body() }),
        }
        match self.run_reminders(false) {
            Ok(report) => run.reminders = Some(report),
            Err(AppError::Mail { source: billable_mail::MailError::NotConfigured, .. }) => {}
            Err(e) => run.failed.push(ScheduledFailure { part: "reminders", error: e.to_body() }),
        }
        match self.process_outbox() {
            Ok(report) => run.outbox = Some(report),
            Err(AppError::Mail { source: billable_mail::MailError::NotConfigured, .. }) => {}
            Err(e) => run.failed.push(ScheduledFailure { part: "outbox", error: e.to_body() }),
        }
        match self.auto_backup() {
            Ok(report) => run.backup = Some(report),
            Err(e) => run.failed.push(ScheduledFailure { part: "backup", error: e.to_body() }),
        }
        run
    }
}
