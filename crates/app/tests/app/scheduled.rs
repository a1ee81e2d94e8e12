//! One scheduled pass does what has fallen due — recurring invoices,
//! reminders, the outbox, the daily backup — and reports each part on its
//! own; a second pass finds nothing more to do.

use billable_app::{AutoBackup, RecurringInput};

use crate::support::*;

#[test]
fn a_pass_generates_due_invoices_backs_up_once_and_leaves_mail_alone_until_it_is_set_up() {
    let mut b = Books::at("2026-01-20T09:00:00+01:00");
    let c = client(&mut b, "Acme", Some("EUR"), None);
    let n = manual_invoice(&mut b, c.id, vec![line("Support {MONTH} {YEAR}", "1", "500")]).invoice.number;
    let monthly =
        RecurringInput { invoice: n, frequency: "monthly".into(), start_date: s("2026-02-01"), ..Default::default() };
    b.create_recurring(monthly).unwrap();

    b.reopen("2026-03-05T09:00:00+01:00");
    let run = b.run_scheduled();
    assert!(run.failed.is_empty(), "{:?}", run.failed);
    let generated: Vec<String> =
        run.recurring.as_ref().unwrap().generated.iter().map(|g| g.invoice_number.clone()).collect();
    assert_eq!(generated, ["INV-2026-0002", "INV-2026-0003"]);
    assert!(run.reminders.is_none(), "no email set up: no reminders");
    assert!(run.outbox.as_ref().is_some_and(|o| o.results.is_empty()));
    if on_postgres() {
        // Team books are backed up by their database server, not by the app.
        assert!(matches!(run.backup, Some(AutoBackup::Off)), "{:?}", run.backup);
    } else {
        let Some(AutoBackup::Created { backup, .. }) = &run.backup else { panic!("a backup: {:?}", run.backup) };
        assert!(backup.path.exists());
    }

    let again = b.run_scheduled();
    assert!(again.failed.is_empty(), "{:?}", again.failed);
    assert!(again.recurring.unwrap().generated.is_empty());
    if on_postgres() {
        assert!(matches!(again.backup, Some(AutoBackup::Off)), "{:?}", again.backup);
    } else {
        assert!(matches!(again.backup, Some(AutoBackup::NotDue { .. })), "{:?}", again.backup);
    }
}
