//! Backups: automatic at most daily keeping the newest N, restore that
//! refuses anything but a healthy Billable database (leaving the books
//! untouched), and restore of a good backup bringing the data back.

use std::path::{Path, PathBuf};

use billable_app::{newest_good_backup, AutoBackup, BackupKind, BackupSettingsInput};

use crate::support::*;

fn content(b: &mut Books) -> serde_json::Value {
    serde_json::to_value(b.export_books().unwrap().tables).unwrap()
}

fn client_names(path: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut st = c.prepare("SELECT name FROM clients ORDER BY name").unwrap();
    st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

/// A copy of `good` whose pages after the first are overwritten with junk.
fn corrupted_copy(good: &Path, dest: &Path) {
    let mut bytes = std::fs::read(good).unwrap();
    assert!(bytes.len() > 4 * 4096, "the backup has several pages");
    for b in bytes.iter_mut().skip(4096).step_by(7) {
        *b = 0xA5;
    }
    std::fs::write(dest, bytes).unwrap();
}

fn books_with_data() -> Books {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme", Some("EUR"), None).id;
    let website = project(&mut b, acme, "Website", Some("100")).id;
    hours(&mut b, website, None, "2026-05-04", "2");
    b
}

#[test]
fn restore_refuses_a_damaged_a_foreign_and_a_newer_file_and_leaves_the_books_untouched() {
    if on_postgres() {
        return; // backups, restores and integrity checks of a SQLite file: team books' server does those
    }
    let mut b = books_with_data();
    let good = b.create_backup(None).unwrap().path;
    let dir: PathBuf = b.path().parent().unwrap().to_path_buf();

    let damaged = dir.join("damaged.db");
    corrupted_copy(&good, &damaged);
    let foreign = dir.join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hi');")
        .unwrap();
    let newer = dir.join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        c.pragma_update(None, "user_version", v + 1).unwrap();
    }
    let text = dir.join("notes.txt");
    std::fs::write(&text, "not a database, only some words to fill a little space in the file").unwrap();

    let before = content(&mut b);
    let backups_before = b.backups().unwrap();
    for (file, why) in [
        (&damaged, "damaged"),
        (&foreign, "another program's database"),
        (&newer, "newer version of Billable"),
        (&text, "not a readable SQLite database"),
        (&dir.join("missing.db"), "no such file"),
    ] {
        let e = assert_invalid(b.restore_backup(file), "file");
        assert!(e.to_string().contains(why), "{}: {e}", file.display());
        assert!(e.to_string().contains("the books were not changed"), "{e}");
        assert_eq!(content(&mut b), before, "{} changed the books", file.display());
        assert_eq!(b.backups().unwrap(), backups_before, "no backup is made for a refused restore");
    }
    // The books still work.
    client(&mut b, "Still here", None, None);
}

#[test]
fn restoring_a_good_backup_brings_the_data_back_and_keeps_the_books_it_replaced() {
    if on_postgres() {
        return; // backups, restores and integrity checks of a SQLite file: team books' server does those
    }
    let mut b = books_with_data();
    let backup = b.create_backup(None).unwrap();
    assert_eq!(backup.kind, BackupKind::Manual);
    let before = content(&mut b);
    client(&mut b, "Added later", None, None);
    assert_ne!(content(&mut b), before);

    let out = b.restore_backup(&backup.path).unwrap();
    assert_eq!(content(&mut b), before, "the books are those of the backup");
    assert_eq!(client_names(&out.previous_books), ["Acme", "Added later"], "the replaced books are kept");
    assert!(b.backups().unwrap().iter().any(|x| x.kind == BackupKind::BeforeRestore && x.path == out.previous_books));
    // The restored books are open and writable, and survive a reopen.
    client(&mut b, "After restore", None, None);
    b.reopen(NOW);
    assert_eq!(client_names(&b.path()), ["Acme", "After restore"]);
    // A backup written elsewhere restores too.
    let elsewhere = b.path().with_file_name("copy.db");
    b.create_backup(Some(&elsewhere)).unwrap();
    assert_eq!(client_names(&elsewhere), ["Acme", "After restore"]);
}

#[test]
fn automatic_backups_run_at_most_daily_and_keep_the_newest_n() {
    if on_postgres() {
        return; // backups, restores and integrity checks of a SQLite file: team books' server does those
    }
    let mut b = Books::at("2026-05-10T09:00:00+00:00");
    assert!(matches!(b.auto_backup().unwrap(), AutoBackup::Created { .. }));
    assert!(matches!(b.auto_backup().unwrap(), AutoBackup::NotDue { .. }), "not twice a day");
    b.reopen("2026-05-11T08:59:00+00:00");
    assert!(matches!(b.auto_backup().unwrap(), AutoBackup::NotDue { .. }), "23 h 59 m later");
    b.set_backup_settings(BackupSettingsInput { keep: s("2"), ..Default::default() }).unwrap();
    assert_invalid(b.set_backup_settings(BackupSettingsInput { keep: s("0"), ..Default::default() }), "keep");
    for day in ["2026-05-11T09:00:00+00:00", "2026-05-12T09:00:00+00:00", "2026-05-13T10:00:00+00:00"] {
        b.reopen(day);
        assert!(matches!(b.auto_backup().unwrap(), AutoBackup::Created { .. }), "{day}");
    }
    let autos: Vec<String> = b
        .backups()
        .unwrap()
        .iter()
        .filter(|x| x.kind == BackupKind::Automatic)
        .map(|x| x.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(autos, ["billable-20260513-100000-auto.db", "billable-20260512-090000-auto.db"]);
    b.set_backup_settings(BackupSettingsInput { automatic: Some(false), ..Default::default() }).unwrap();
    b.reopen("2026-05-20T09:00:00+00:00");
    assert!(matches!(b.auto_backup().unwrap(), AutoBackup::Off));
}

#[test]
fn the_integrity_check_passes_and_the_newest_good_backup_is_offered() {
    if on_postgres() {
        return; // backups, restores and integrity checks of a SQLite file: team books' server does those
    }
    let mut b = Books::at("2026-05-10T09:00:00+00:00");
    let report = b.check_integrity().unwrap();
    assert!(report.ok && report.problems.is_empty(), "{report:?}");
    let older = b.create_backup(None).unwrap().path;
    b.reopen("2026-05-11T09:00:00+00:00");
    let newer = b.create_backup(None).unwrap().path;
    assert_eq!(newest_good_backup(&b.path()).unwrap().path, newer);
    // The newest is damaged: the one before it is offered.
    let copy = newer.with_extension("tmp");
    corrupted_copy(&newer, &copy);
    std::fs::rename(&copy, &newer).unwrap();
    assert_eq!(newest_good_backup(&b.path()).unwrap().path, older);
}
