//! kill -9 while a backup is restored: the books hold the old content or the
//! backup's, row for row, never a mix; restoring again then succeeds.

use super::payments::issued_invoices;
use super::{check, copy_of, import_rows, Trials};
use crate::support::snapshot;

const TRIALS: u64 = 20;

#[test]
fn killing_a_restore_leaves_the_old_books_or_the_backup_never_a_mix() {
    let (pristine, numbers) = issued_invoices(4);
    let backup = pristine.db.with_file_name("before-changes.db");
    pristine.ok(&["backup", "create", "--out", backup.to_str().unwrap()]);
    // Changes made after the backup: more time, an issued invoice, a payment.
    let rows: Vec<String> =
        (0..200).map(|i| format!("2026-06-{:02},Beta Ltd,Support,later {i},0.75", 1 + i % 28)).collect();
    import_rows(&pristine, &rows);
    pristine.ok(&["invoice", "mark-sent", &numbers[0]]);
    pristine.ok(&["payment", "add", &numbers[0], "--amount", "10"]);
    let (old, restored) = (snapshot(&pristine.db), snapshot(&backup));
    assert_ne!(old, restored);

    let args = ["backup", "restore", backup.to_str().unwrap()];
    let mut t = Trials::new("backup restore", TRIALS, || {
        let b = copy_of(&pristine);
        let c = b.command(&args);
        (b, c)
    });
    let (mut before, mut after) = (0, 0);
    for trial in 0..TRIALS {
        let b = copy_of(&pristine);
        let (ctx, _) = t.kill(trial, b.command(&args));
        check::books(&b.db, &ctx);
        let now = snapshot(&b.db);
        if now == old {
            before += 1;
        } else {
            assert!(now == restored, "{ctx}: the books are neither the old ones nor the backup");
            after += 1;
        }
        b.ok(&args);
        assert!(snapshot(&b.db) == restored, "{ctx}: the retried restore");
        check::books(&b.db, &ctx);
    }
    t.report(before, after);
}
