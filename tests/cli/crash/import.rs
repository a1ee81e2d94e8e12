//! kill -9 during a Toggl import. The importer promises one transaction: a
//! file is imported whole or not at all (clients, projects, members and
//! entries together), and importing it again creates nothing new.

use super::{books, check, copy_of, import_rows, Trials};
use crate::support::Books;

const ROWS: usize = 600;
const TRIALS: u64 = 50;

fn toggl_csv() -> String {
    let mut s = String::from(
        "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)\n",
    );
    for i in 0..ROWS {
        let day = format!("2026-05-{:02}", 1 + i % 28);
        let (h, m) = (8 + i % 9, (i * 7) % 60);
        s.push_str(&format!(
            "Ana Lima,ana@studio.example,Client {},Project {},,Toggl work {i},Yes,{day},{h:02}:{m:02}:00,{day},{:02}:{m:02}:00,01:00:00,,\n",
            i % 5,
            i % 12,
            h + 1
        ));
    }
    s
}

fn counts(b: &Books, ctx: &str) -> (usize, usize, usize) {
    let seen = check::books(&b.db, ctx);
    let clients = b.ok(&["client", "list"]).as_array().unwrap().len();
    let members = b.ok(&["member", "list"]).as_array().unwrap().len();
    (seen.entries.len(), clients, members)
}

#[test]
fn killing_an_import_applies_the_file_whole_or_not_at_all() {
    let pristine = books();
    // Books that already know one of the file's clients, with time of their own.
    let rows: Vec<String> =
        (0..20).map(|i| format!("2026-04-{:02},Client 0,Project 0,own work {i},2", 1 + i)).collect();
    import_rows(&pristine, &rows);
    let csv = pristine.db.with_file_name("toggl.csv");
    std::fs::write(&csv, toggl_csv()).unwrap();
    let args = ["import", csv.to_str().unwrap(), "--source", "toggl"];
    let untouched = counts(&pristine, "import: pristine");
    assert_eq!(untouched, (20, 1, 1));
    let whole = (20 + ROWS, 5, 2);

    let mut t = Trials::new("import (Toggl)", TRIALS, || {
        let b = copy_of(&pristine);
        let c = b.command(&args);
        (b, c)
    });
    let (mut before, mut after) = (0, 0);
    for trial in 0..TRIALS {
        let b = copy_of(&pristine);
        let (ctx, _) = t.kill(trial, b.command(&args));
        let found = counts(&b, &ctx);
        let again = b.ok(&args);
        if found == untouched {
            before += 1;
            assert_eq!(again["entries"].as_u64(), Some(ROWS as u64), "{ctx}: the retry imports the file");
        } else {
            after += 1;
            assert_eq!(found, whole, "{ctx}: the file was imported in part");
            assert_eq!(
                (again["entries"].as_u64(), again["already_imported"].as_u64()),
                (Some(0), Some(ROWS as u64)),
                "{ctx}: the retry creates nothing new"
            );
        }
        assert_eq!(counts(&b, &ctx), whole, "{ctx}");
    }
    t.report(before, after);
}
