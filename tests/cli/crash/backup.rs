//! kill -9 during the automatic backup made on the day's first start: the
//! books are untouched, every backup listed is a whole copy, and a copy cut
//! short does not stay behind taking the space of the books.

use std::time::{Duration, SystemTime};

use super::payments::issued_invoices;
use super::{check, copy_of, Trials};
use crate::support::snapshot;

const TRIALS: u64 = 20;
const NEXT_DAY: &str = "2026-07-02T09:00:00+02:00";

fn partials(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().ends_with(".partial")).collect())
        .unwrap_or_default()
}

#[test]
fn killing_the_automatic_backup_leaves_whole_backups_only() {
    let (pristine, _) = issued_invoices(6);
    pristine.ok(&["backup", "settings", "--automatic", "on"]);
    let content = snapshot(&pristine.db);
    let list = ["client", "list"];

    let mut t = Trials::new("automatic backup", TRIALS, || {
        let b = copy_of(&pristine);
        let c = b.seen_at(NEXT_DAY).command(&list);
        (b, c)
    });
    let (mut before, mut after, mut left_over) = (0, 0, 0);
    for trial in 0..TRIALS {
        let b = copy_of(&pristine);
        let (ctx, _) = t.kill(trial, b.seen_at(NEXT_DAY).command(&list));
        check::books(&b.db, &ctx);
        assert!(snapshot(&b.db) == content, "{ctx}: a backup changed the books");
        let listed = b.ok(&["backup", "list"]);
        let listed = listed.as_array().unwrap();
        for backup in listed {
            let path = backup["path"].as_str().unwrap();
            assert!(snapshot(std::path::Path::new(path)) == content, "{ctx}: {path} is not a whole copy");
        }
        if listed.is_empty() {
            before += 1;
        } else {
            after += 1;
        }
        let dir = b.db.with_file_name("backups");
        let cut_short = partials(&dir);
        if !cut_short.is_empty() {
            left_over += 1;
            // An hour later nobody is writing it: the next backup clears it.
            let hour_ago = SystemTime::now() - Duration::from_secs(2 * 3600);
            for p in &cut_short {
                std::fs::File::options().write(true).open(p).unwrap().set_modified(hour_ago).unwrap();
            }
            b.seen_at("2026-07-03T09:00:00+02:00").ok(&list);
            assert_eq!(partials(&dir), Vec::<std::path::PathBuf>::new(), "{ctx}: the cut-short copy was cleared");
        }
    }
    eprintln!("automatic backup: {left_over} kills left a partial copy behind");
    t.report(before, after);
}
