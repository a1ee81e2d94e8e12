//! Two writers on the same books at once (say the desktop app and a script):
//! both finish, nobody sees "database is locked", nothing is lost.

use std::thread;

use crate::support::Books;

#[test]
fn two_processes_writing_at_once_both_finish() {
    let b = Books::new().at("2026-06-01T09:00:00+02:00");
    b.ok(&["client", "add", "Acme GmbH"]);
    b.ok(&["project", "add", "Website", "--client", "1", "--rate", "100"]);
    const EACH: usize = 25;
    let db = b.db.clone();
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let books = Books { db: db.clone(), ..Books::new().at("2026-06-01T09:00:00+02:00") };
            thread::spawn(move || {
                for i in 0..EACH {
                    let d = format!("writer {w} entry {i}");
                    let out = books.output(&["--json", "time", "add", "--project", "1", "--hours", "0.5", "-d", &d]);
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    let stdout = String::from_utf8_lossy(&out.stdout);
                    assert!(out.status.success(), "writer {w} #{i} failed: {stdout} {stderr}");
                    assert!(!stdout.contains("locked") && !stderr.contains("locked"));
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer finished");
    }
    let all = b.ok(&["time", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 2 * EACH);
}
