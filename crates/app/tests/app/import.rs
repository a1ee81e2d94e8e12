//! Importing time from Toggl Track, Clockify, Harvest and the generic CSV:
//! sample files written here with each vendor's column names, each imported
//! twice with one result; a bad row names its line and column and nothing
//! is written; a dry run previews and writes nothing; a generated export of
//! 20,000 rows lands exactly, once.

mod toggl_export;

use std::path::{Path, PathBuf};

use billable_app::views::EntryView;
use billable_app::{EntryListInput, ImportInput, ImportOutcome};
use rust_decimal_macros::dec;

use crate::support::*;

fn file(b: &Books, name: &str, text: &str) -> PathBuf {
    let path = b.path().with_file_name(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn import(b: &mut Books, path: &Path, dry_run: bool) -> ImportOutcome {
    b.import_time(path, ImportInput { dry_run, ..Default::default() }, &mut |_, _| {}).unwrap()
}

fn all(b: &mut Books) -> Vec<EntryView> {
    b.entries(EntryListInput::default()).unwrap()
}

/// Everything in the books, as JSON tables (the export's timestamp left out).
fn content(b: &mut Books) -> serde_json::Value {
    serde_json::to_value(b.export_books().unwrap().tables).unwrap()
}

type Counts = (u64, u64, u64, u64, u64, u64);

fn counts(o: &ImportOutcome) -> Counts {
    (o.entries, o.already_imported, o.clients, o.projects, o.tasks, o.members)
}

/// Imports twice: the second time creates nothing and changes nothing.
fn twice(b: &mut Books, path: &Path) -> ImportOutcome {
    let first = import(b, path, false);
    let after_first = content(b);
    let second = import(b, path, false);
    assert_eq!(counts(&second), (0, first.entries, 0, 0, 0, 0), "{second:?}");
    assert_eq!(content(b), after_first, "the second import changed the books");
    first
}

const TOGGL: &str = "\u{feff}User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)
Ana Lima,ana@studio.example,Acme GmbH,Website,Design,Homepage layout,Yes,2026-05-04,09:00:00,2026-05-04,10:30:00,01:30:00,,150.00
Ana Lima,ana@studio.example,ACME GMBH,website,,Standup,No,2026-05-05,09:00:00,2026-05-05,09:15:00,00:15:00,,0.00
Ben Ode,ben@studio.example,Globex,App,,\"Fix login, again\",Yes,2026-05-05,23:30:00,2026-05-06,00:30:00,01:00:00,,100.00
";

#[test]
fn toggl_track_detailed_report() {
    let mut b = Books::new();
    // Acme GmbH exists already: matched by name, whatever the case.
    let acme = client(&mut b, "acme gmbh", Some("EUR"), None).id;
    let path = file(&b, "Toggl_time_entries_2026-05-01_to_2026-05-31.csv", TOGGL);
    let o = twice(&mut b, &path);
    // 3 entries; clients: Globex (Acme matched); projects: Website, App;
    // tasks: Design; members: Ana Lima, Ben Ode.
    assert_eq!(counts(&o), (3, 0, 1, 2, 1, 2));
    assert_eq!(o.hours, dec!(2.75));
    let e = all(&mut b);
    type Seen = (String, String, Option<String>, String, String, i64, bool, String);
    let got: Vec<Seen> = e
        .iter()
        .map(|v| {
            (
                v.client_name.clone(),
                v.project_name.clone(),
                v.task_name.clone(),
                v.member_name.clone(),
                v.entry.date.to_string(),
                v.entry.seconds,
                v.entry.billable,
                v.entry.description.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "acme gmbh".into(),
                "Website".into(),
                Some("Design".into()),
                "Ana Lima".into(),
                "2026-05-04".into(),
                5400,
                true,
                "Homepage layout".into()
            ),
            (
                "acme gmbh".into(),
                "Website".into(),
                None,
                "Ana Lima".into(),
                "2026-05-05".into(),
                900,
                false,
                "Standup".into()
            ),
            (
                "Globex".into(),
                "App".into(),
                None,
                "Ben Ode".into(),
                "2026-05-05".into(),
                3600,
                true,
                "Fix login, again".into()
            ),
        ]
    );
    assert!(e.iter().take(2).all(|v| v.entry.client_id == acme));
    // No rate column: the rate is the amount ÷ the hours (150.00 for 1.5 h).
    assert_eq!((e[0].entry.rate, e[1].entry.rate, e[2].entry.rate), (Some(dec!(100)), None, Some(dec!(100))));
    // Start times are the local times of the file (the clock is UTC+2).
    assert_eq!(e[0].entry.start_at.unwrap().to_rfc3339(), "2026-05-04T07:00:00+00:00");
    assert_eq!(e[0].entry.end_at.unwrap().to_rfc3339(), "2026-05-04T08:30:00+00:00");
}

/// Row hashes are those earlier versions stored (SHA-256 of the row's
/// normalised content and its occurrence), so their imports are recognised.
#[test]
fn row_hashes_are_the_ones_earlier_versions_stored() {
    use sha2::{Digest, Sha256};
    let mut b = Books::new();
    let path = file(&b, "toggl.csv", TOGGL);
    import(&mut b, &path, false);
    let identity = "toggl\u{1f}acme gmbh\u{1f}website\u{1f}design\u{1f}ana lima\u{1f}2026-05-04\u{1f}\
                    2026-05-04 09:00:00\u{1f}5400\u{1f}Homepage layout\u{1f}true\u{1f}\u{1e}1";
    // Kept by the entry: the first 16 bytes (earlier versions kept all 32
    // as hexadecimal text, which migration 0007 cuts to these).
    let expected = Sha256::digest(identity.as_bytes())[..16].to_vec();
    let stored: Vec<u8> = b
        .raw()
        .connection()
        .query_row("SELECT import_hash FROM time_entries ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, expected);
}

/// A deleted imported entry takes its row's hash with it: importing the
/// file again brings that entry (and only it) back.
#[test]
fn a_deleted_imported_entry_is_imported_again() {
    let mut b = Books::new();
    let path = file(&b, "toggl.csv", TOGGL);
    import(&mut b, &path, false);
    let gone = all(&mut b).into_iter().find(|v| v.entry.description == "Standup").unwrap();
    b.delete_entry(gone.entry.id).unwrap();
    let again = import(&mut b, &path, false);
    assert_eq!((again.entries, again.already_imported), (1, 2));
    let e = all(&mut b);
    assert_eq!(e.len(), 3);
    assert_eq!(e.iter().filter(|v| v.entry.description == "Standup").count(), 1);
    assert_eq!(rollup_differences(&b), 0);
}

const CLOCKIFY: &str = "Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),Billable Rate (USD),Billable Amount (USD)
App,Globex,API review,Backend,Ben Ode,,ben@studio.example,,Yes,05/06/2026,02:00:00 PM,05/06/2026,04:15:00 PM,02:15:00,2.25,90.00,202.50
App,Globex,Planning,,Ben Ode,,ben@studio.example,,No,05/07/2026,09:00:00 AM,05/07/2026,09:30:00 AM,00:30:00,0.50,0.00,0.00
";

#[test]
fn clockify_detailed_report() {
    let mut b = Books::new();
    let path = file(&b, "Clockify_Time_Report_Detailed_05_01_2026-05_31_2026.csv", CLOCKIFY);
    let o = twice(&mut b, &path);
    assert_eq!(counts(&o), (2, 0, 1, 1, 1, 1));
    let e = all(&mut b);
    // 05/06/2026 is May 6 (month first); 2.25 h at the file's rate 90.00.
    assert_eq!((e[0].entry.date.to_string(), e[0].entry.seconds), ("2026-05-06".into(), 8100));
    assert_eq!((e[0].entry.rate, e[0].amount), (Some(dec!(90)), Some(dec!(202.50))));
    assert_eq!(e[0].entry.start_at.unwrap().to_rfc3339(), "2026-05-06T12:00:00+00:00");
    assert_eq!((e[1].entry.billable, e[1].entry.rate, e[1].entry.seconds), (false, None, 1800));
}

const HARVEST: &str = "Date,Client,Project,Project Code,Task,Notes,Hours,Hours Rounded,Billable?,Invoiced?,Approved?,First Name,Last Name,Roles,Employee?,Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,External Reference URL
2026-05-07,Acme GmbH,Website,WEB,Development,Checkout page,3.5,3.5,Yes,No,No,Ana,Lima,,Yes,120.00,420.00,50.00,175.00,Euro - EUR,
2026-05-08,Acme GmbH,Website,WEB,Development,Checkout page,0.33,0.5,No,No,No,Ana,Lima,,Yes,0,0,50.00,16.50,Euro - EUR,
";

#[test]
fn harvest_time_report() {
    let mut b = Books::new();
    let path = file(&b, "harvest_time_report_from2026-05-01to2026-05-31.csv", HARVEST);
    let o = twice(&mut b, &path);
    assert_eq!(counts(&o), (2, 0, 1, 1, 1, 1));
    let e = all(&mut b);
    // 3.5 h = 12600 s at 120.00 = 420.00; 0.33 h = 1188 s, not billable.
    assert_eq!((e[0].entry.seconds, e[0].amount, e[0].member_name.as_str()), (12600, Some(dec!(420.00)), "Ana Lima"));
    assert_eq!((e[1].entry.seconds, e[1].entry.billable), (1188, false));
    assert_eq!(e[0].task_name.as_deref(), Some("Development"));
}

const GENERIC: &str = "date,client,project,task,member,description,hours,billable,rate
2026-05-09,Initech,Audit,,,Quarterly audit,2:30,yes,110
2026-05-09,Initech,Audit,,,Quarterly audit,2:30,yes,110
2026-05-10,Initech,Audit,Report,,Write-up,1.25,no,
";

#[test]
fn generic_csv_with_two_identical_rows() {
    let mut b = Books::new();
    let path = file(&b, "time.csv", GENERIC);
    let o = twice(&mut b, &path);
    // Two identical rows are two entries (and still two after the second import).
    assert_eq!(counts(&o), (3, 0, 1, 1, 1, 0));
    let e = all(&mut b);
    assert_eq!(e.len(), 3);
    assert!(e.iter().all(|v| v.member_name == "Me"), "no member column value: the default member");
    assert_eq!((e[0].entry.seconds, e[0].amount), (9000, Some(dec!(275.00))));
    assert_eq!((e[2].entry.seconds, e[2].entry.billable), (4500, false));
}

#[test]
fn a_bad_row_names_its_line_and_column_and_nothing_is_written() {
    let mut b = Books::new();
    let before = content(&mut b);
    let text = "date,client,project,hours
2026-05-09,Initech,Audit,2
2026-05-09,Initech,Audit,two hours
2026-13-40,Initech,Audit,1
";
    let path = file(&b, "bad.csv", text);
    let e = assert_invalid(b.import_time(&path, ImportInput::default(), &mut |_, _| {}), "line 3, column hours");
    let msg = e.to_string();
    assert!(msg.contains("'two hours' is not a duration"), "{msg}");
    assert!(msg.contains("line 4, column date"), "every error is listed: {msg}");
    assert!(msg.contains("nothing was imported"), "{msg}");
    assert_eq!(content(&mut b), before, "nothing was written");
    // A row refused while the entries are being written (two are already
    // in): everything is rolled back, the rollup's trigger included.
    let path = file(
        &b,
        "late.csv",
        "date,client,project,hours,description\n2026-05-09,Initech,Audit,2,Plan\n2026-05-10,Initech,Audit,1,Do\n\
         2026-05-11,Initech,Audit,1,Bell \u{7}\n",
    );
    let e = assert_invalid(b.import_time(&path, ImportInput::default(), &mut |_, _| {}), "line 4, column description");
    assert!(e.to_string().contains("control characters"), "{e}");
    assert_eq!(content(&mut b), before, "nothing was written");
    assert_eq!(rollup_triggers(&b), 6);
    // A header that is no known export names the format option.
    let path = file(&b, "odd.csv", "a,b\n1,2\n");
    assert_invalid(b.import_time(&path, ImportInput::default(), &mut |_, _| {}), "line 1, column header");
    assert_invalid(
        b.import_time(&path, ImportInput { format: s("excel"), ..Default::default() }, &mut |_, _| {}),
        "format",
    );
}

#[test]
fn a_dry_run_previews_counts_and_first_rows_and_writes_nothing() {
    let mut b = Books::new();
    let before = content(&mut b);
    let path = file(&b, "toggl.csv", TOGGL);
    let mut seen = Vec::new();
    let o = b
        .import_time(&path, ImportInput { dry_run: true, ..Default::default() }, &mut |done, total| {
            seen.push((done, total))
        })
        .unwrap();
    assert!(o.dry_run);
    assert_eq!(counts(&o), (3, 0, 2, 2, 1, 2));
    assert_eq!(o.preview.len(), 3);
    assert_eq!((o.preview[0].line, o.preview[0].project.as_str()), (2, "Website"));
    assert_eq!(seen.last(), Some(&(3, 3)), "progress reaches the end");
    assert_eq!(content(&mut b), before, "a dry run writes nothing");
    assert_eq!(rollup_triggers(&b), 6, "the rollups' triggers set aside by the rehearsal are back");
    // The real import then does what the dry run said.
    let real = import(&mut b, &path, false);
    assert_eq!(counts(&real), counts(&o));
}

/// Toggl exports time without a client or project with those columns empty:
/// refused with the option to name, then imported under the names given.
#[test]
fn rows_without_client_or_project_take_the_names_given() {
    let mut b = Books::new();
    let text =
        "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags
Ana Lima,ana@studio.example,,,,Email,No,2026-05-04,08:00:00,2026-05-04,08:20:00,00:20:00,
Ana Lima,ana@studio.example,Acme GmbH,,,Call,Yes,2026-05-04,09:00:00,2026-05-04,09:30:00,00:30:00,
";
    let path = file(&b, "toggl.csv", text);
    let e = assert_invalid(b.import_time(&path, ImportInput::default(), &mut |_, _| {}), "line 2, column Client");
    assert!(e.to_string().contains("default client"), "{e}");
    assert!(e.to_string().contains("line 3, column Project"), "{e}");
    let o = b
        .import_time(
            &path,
            ImportInput { default_client: s("Internal"), default_project: s("General"), ..Default::default() },
            &mut |_, _| {},
        )
        .unwrap();
    // Clients Internal and Acme GmbH, each with a project General.
    assert_eq!(counts(&o), (2, 0, 2, 2, 0, 1));
    let e = all(&mut b);
    assert_eq!((e[0].client_name.as_str(), e[0].project_name.as_str()), ("Internal", "General"));
    assert_eq!((e[1].client_name.as_str(), e[1].project_name.as_str()), ("Acme GmbH", "General"));
}

/// An entry as (client, project, task, member, date, seconds, billable,
/// description).
type Landed = (String, String, String, String, String, i64, bool, String);

/// Every entry of the books, sorted, read straight from the file.
fn stored_entries(b: &Books) -> Vec<Landed> {
    let c = b.raw();
    let mut st = c
        .connection()
        .prepare(
            "SELECT c.name, p.name, COALESCE(t.name, ''), m.name, e.work_date, e.seconds, e.billable, e.description
             FROM time_entries e JOIN clients c ON c.id = e.client_id JOIN projects p ON p.id = e.project_id
             JOIN members m ON m.id = e.member_id LEFT JOIN tasks t ON t.id = e.task_id",
        )
        .unwrap();
    let mut rows: Vec<_> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.sort();
    rows
}

/// The same, read from a Toggl export with the csv crate.
fn exported_entries(path: &Path) -> Vec<Landed> {
    let mut rows: Vec<_> = csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            let d: Vec<i64> = r[11].split(':').map(|n| n.parse().unwrap()).collect();
            (
                r[2].to_string(),
                r[3].to_string(),
                r[4].to_string(),
                r[0].to_string(),
                r[7].to_string(),
                d[0] * 3600 + d[1] * 60 + d[2],
                &r[6] == "Yes",
                r[5].to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn scalar(b: &Books, sql: &str) -> i64 {
    b.scalar(sql)
}

#[test]
fn a_large_toggl_export_lands_exactly_and_only_once() {
    let mut b = Books::new();
    let path = b.path().with_file_name("Toggl_time_entries_2021-01-01_to_2025-12-31.csv");
    let written = toggl_export::write(&path, 20_000, 60, 11);
    let o = import(&mut b, &path, false);
    let rows = exported_entries(&path);
    let projects = rows.iter().map(|r| (&r.0, &r.1)).collect::<std::collections::HashSet<_>>().len();
    let tasks =
        rows.iter().filter(|r| !r.2.is_empty()).map(|r| (&r.0, &r.1, &r.2)).collect::<std::collections::HashSet<_>>();
    // 60 clients with 5 projects each, 8 users.
    assert_eq!(
        (o.rows, o.entries, o.already_imported, o.clients, o.projects, o.members),
        (20_000, 20_000, 0, 60, 300, 8)
    );
    assert_eq!((projects, o.tasks), (300, tasks.len() as u64));
    assert_eq!(o.hours, billable_app::core::time::display_hours(written.seconds));
    assert_eq!(scalar(&b, "SELECT count(*) FROM time_entries"), 20_000);
    assert_eq!(scalar(&b, "SELECT sum(seconds) FROM time_entries"), written.seconds);
    assert_eq!(scalar(&b, "SELECT count(DISTINCT import_hash) FROM time_entries"), 20_000);
    // The daily rollup the import fills in one pass equals the entries' sums.
    assert!(scalar(&b, "SELECT count(*) FROM time_daily") > 0);
    assert_eq!(rollup_differences(&b), 0);
    // Each row became the entry it describes: names, dates, durations, descriptions with commas and quotes.
    assert_eq!(stored_entries(&b), exported_entries(&path));

    // The same export again creates nothing.
    let again = import(&mut b, &path, false);
    assert_eq!(counts(&again), (0, 20_000, 0, 0, 0, 0));
    assert_eq!(scalar(&b, "SELECT count(*) FROM time_entries"), 20_000);

    // A later export holding the same rows and 500 more: only those 500 are new.
    let more = b.path().with_file_name("more.csv");
    toggl_export::write(&more, 500, 60, 12);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(std::fs::read_to_string(&more).unwrap().split_once('\n').unwrap().1);
    let wider = file(&b, "wider.csv", &text);
    let o = import(&mut b, &wider, false);
    assert_eq!((o.rows, o.entries, o.already_imported), (20_500, 500, 20_000));
    assert_eq!(scalar(&b, "SELECT count(*) FROM time_entries"), 20_500);
    assert_eq!(stored_entries(&b), exported_entries(&wider));
    let dangling = if on_postgres() {
        // PostgreSQL checks each row as it is written: no foreign key is left unchecked.
        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"
    } else {
        "SELECT count(*) FROM pragma_foreign_key_check"
    };
    assert_eq!(scalar(&b, dangling), 0);
    assert_eq!(rollup_differences(&b), 0);
    // The import puts the rollup's trigger back: an entry added by hand counts.
    let entry = all(&mut b).remove(0).entry;
    let before = scalar(&b, "SELECT sum(seconds) FROM time_daily");
    b.delete_entry(entry.id).unwrap();
    assert_eq!(scalar(&b, "SELECT sum(seconds) FROM time_daily"), before - entry.seconds);
    assert_eq!(triggers(&b, "time_daily_%"), 3);
    assert_eq!(triggers(&b, "time_worked_%"), 3);
    assert_eq!(rollup_differences(&b), 0);
}

/// The triggers of the daily rollup and of the rollup of all days in the
/// books (insert, update, delete each).
fn rollup_triggers(b: &Books) -> i64 {
    triggers(b, "time_daily_%") + triggers(b, "time_worked_%")
}

/// The triggers in the books whose names are LIKE `pattern`.
fn triggers(b: &Books, pattern: &str) -> i64 {
    let sql = if on_postgres() {
        format!("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '{pattern}'")
    } else {
        format!("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '{pattern}'")
    };
    scalar(b, &sql)
}

/// Rows of the daily rollup and of the rollup of all days (migration 0015)
/// that differ from the sums of the entries (either way).
fn rollup_differences(b: &Books) -> i64 {
    scalar(
        b,
        "SELECT count(*) FROM (
           SELECT * FROM (SELECT work_date, project_id, client_id, member_id, COALESCE(task_id, 0),
                                 COALESCE(rate, ''), billable, sum(seconds), count(*)
                          FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6, 7
                          EXCEPT SELECT work_date, project_id, client_id, member_id, task_id, rate, billable,
                                        seconds, entries FROM time_daily) AS missing
           UNION ALL
           SELECT * FROM (SELECT work_date, project_id, client_id, member_id, task_id, rate, billable, seconds,
                                 entries FROM time_daily
                          EXCEPT SELECT work_date, project_id, client_id, member_id, COALESCE(task_id, 0),
                                        COALESCE(rate, ''), billable, sum(seconds), count(*)
                          FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6, 7) AS extra) AS differences",
    ) + scalar(
        b,
        "SELECT count(*) FROM (
           SELECT * FROM (SELECT project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''),
                                 billable, sum(seconds), count(*)
                          FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6
                          EXCEPT SELECT project_id, client_id, member_id, task_id, rate, billable, seconds, entries
                          FROM time_worked) AS missing
           UNION ALL
           SELECT * FROM (SELECT project_id, client_id, member_id, task_id, rate, billable, seconds, entries
                          FROM time_worked
                          EXCEPT SELECT project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''),
                                        billable, sum(seconds), count(*)
                          FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6) AS extra) AS differences",
    )
}

/// Found by fuzzing (fuzz/regressions/import_csv/entry-end-past-the-calendar):
/// a date in the year +262142 (which chrono reads) with a start time and
/// hours put the entry's end past the end of the calendar, and the import
/// panicked. Dates have years 1 to 9999; the row is refused naming its line
/// and column, and nothing is written.
#[test]
fn a_date_at_the_end_of_the_calendar_is_refused_naming_its_cell() {
    let mut b = Books::new();
    let before = content(&mut b);
    let text = "date,client,project,start,hours\n+262142-12-31,Acme,Web,23:59,2\n9999-12-31,Acme,Web,23:59,2\n";
    let path = file(&b, "far.csv", text);
    let e = assert_invalid(b.import_time(&path, ImportInput::default(), &mut |_, _| {}), "line 2, column date");
    assert!(e.to_string().contains("+262142-12-31"), "{e}");
    assert!(!e.to_string().contains("line 3"), "9999-12-31 is a date: {e}");
    assert_eq!(content(&mut b), before, "nothing was written");
}

/// A Harvest export from a spreadsheet in a European locale: `;` between
/// columns, hours, rates and amounts as 20,0 / 100,0 / 2.000,0, the currency
/// as "Euro - EUR"; a row marked invoiced is kept as billed outside Billable
/// and never offered for invoicing.
#[test]
fn a_european_harvest_export_with_invoiced_time() {
    let mut b = Books::new();
    let text = "Date;Client;Project;Task;Notes;Hours;Billable?;Invoiced?;First Name;Last Name;Billable Rate;Billable Amount;Currency
2026-11-02;Müller AG;Relaunch;Design;Startseite;20,0;Yes;No;Ana;Lima;100,0;2.000,0;Euro - EUR
2026-11-03;Müller AG;Relaunch;Design;\"Alt; schon berechnet\";2,5;Yes;Yes;Ana;Lima;1.000,0;2.500,0;Euro - EUR
";
    let path = file(&b, "harvest_de.csv", text);
    let o = twice(&mut b, &path);
    assert_eq!((o.entries, o.billed_outside, o.number_format), (2, 1, billable_app::NumberFormat::Comma));
    let e = all(&mut b);
    assert_eq!((e[0].entry.seconds, e[0].entry.rate, e[0].amount), (72_000, Some(dec!(100)), Some(dec!(2000.00))));
    assert_eq!((e[1].entry.rate, e[1].entry.billed_outside.as_deref()), (Some(dec!(1000)), Some("")));
    assert_eq!(e[0].currency.to_string(), "EUR");
    let unbilled = b.unbilled(billable_app::UnbilledInput { client_id: e[0].entry.client_id, ..Default::default() });
    let ids: Vec<i64> = unbilled.unwrap().entries.iter().map(|v| v.entry.id).collect();
    assert_eq!(ids, vec![e[0].entry.id], "time invoiced elsewhere is not offered");
    assert_eq!(unbilled_differences(&b), 0);
}

/// The newer Clockify layout without a Client column: refused naming the
/// column unless a default client is chosen; Activity is the task; the
/// exact h:mm:ss wins over a decimal rounded to 0.00; a break is skipped
/// and listed with its line; an Invoice ID makes the row billed outside; a
/// rate comes from the amount when the rate cell is empty.
#[test]
fn the_newer_clockify_layout() {
    let mut b = Books::new();
    let text = "Project,Description,Activity,User,Email,Tags,Type,Billable,Invoiced,Invoice ID,Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),Billable Rate (USD),Billable Amount (USD)
Site,Call,Meeting,Ben Ode,ben@x.example,,Regular,Yes,No,,12/01/2026,09:00:00 AM,12/01/2026,09:01:00 AM,00:01:00,0.00,,2.50
Site,Lunch,,Ben Ode,ben@x.example,,Break,No,No,,12/01/2026,12:00:00 PM,12/01/2026,12:30:00 PM,00:30:00,0.50,,
Site,Old,,Ben Ode,ben@x.example,,Regular,Yes,Yes,INV-77,11/28/2026,01:00:00 PM,11/28/2026,03:00:00 PM,02:00:00,2.00,80.00,160.00
";
    let path = file(&b, "clockify_new.csv", text);
    let before = content(&mut b);
    assert_invalid(b.import_time(&path, ImportInput::default(), &mut |_, _| {}), "line 1, column Client");
    assert_eq!(content(&mut b), before, "nothing was written");
    let i = ImportInput { default_client: Some("Globex".into()), ..Default::default() };
    let o = b.import_time(&path, i.clone(), &mut |_, _| {}).unwrap();
    assert_eq!((o.entries, o.skipped_rows, o.billed_outside), (2, 1, 1));
    assert_eq!((o.skipped[0].line, o.skipped[0].reason.as_str()), (3, "is a break, not work"));
    assert_eq!(o.skipped[0].why, billable_app::import::SkipReason::Break);
    let again = b.import_time(&path, i, &mut |_, _| {}).unwrap();
    assert_eq!((again.entries, again.already_imported), (0, 2));
    let e = all(&mut b);
    let call = e.iter().find(|v| v.entry.description == "Call").unwrap();
    // One minute for 2.50: 150.00 an hour.
    assert_eq!(
        (call.entry.seconds, call.entry.rate, call.task_name.as_deref()),
        (60, Some(dec!(150)), Some("Meeting"))
    );
    let old = e.iter().find(|v| v.entry.description == "Old").unwrap();
    assert_eq!((old.entry.billed_outside.as_deref(), old.client_name.as_str()), (Some("INV-77"), "Globex"));
}

/// Times are local to the zone the import is given, not UTC and not the
/// computer's when another is named.
#[test]
fn local_times_in_a_named_time_zone() {
    let mut b = Books::new();
    let text = "date,client,project,start,end\n2026-07-01,Acme,Web,09:00,10:30\n2026-12-01,Acme,Web,09:00,10:30\n";
    let path = file(&b, "zoned.csv", text);
    let i = ImportInput { time_zone: Some("America/New_York".into()), ..Default::default() };
    let o = b.import_time(&path, i, &mut |_, _| {}).unwrap();
    assert_eq!(o.time_zone.as_deref(), Some("America/New_York"));
    let e = all(&mut b);
    // EDT is UTC−4 in July, EST UTC−5 in December.
    assert_eq!(e[0].entry.start_at.unwrap().to_rfc3339(), "2026-07-01T13:00:00+00:00");
    assert_eq!(e[1].entry.start_at.unwrap().to_rfc3339(), "2026-12-01T14:00:00+00:00");
    let bad = ImportInput { time_zone: Some("Mars/Olympus".into()), ..Default::default() };
    assert_invalid(b.import_time(&path, bad, &mut |_, _| {}), "time_zone");
}

/// A file that writes one number 1.5 and another 2,5 cannot be right: the
/// second is refused naming its line and column; so is month 13.
#[test]
fn mixed_number_formats_and_impossible_dates_are_refused_by_cell() {
    let mut b = Books::new();
    let before = content(&mut b);
    let mixed = file(
        &b,
        "mixed.csv",
        "date,client,project,hours,rate\n2026-05-01,Acme,Web,1.5,90\n2026-05-02,Acme,Web,\"2,5\",90\n",
    );
    assert_invalid(b.import_time(&mixed, ImportInput::default(), &mut |_, _| {}), "line 3, column hours");
    let month = file(&b, "month.csv", "date,client,project,hours\n2026-05-01,Acme,Web,1\n2026-13-01,Acme,Web,1\n");
    assert_invalid(b.import_time(&month, ImportInput::default(), &mut |_, _| {}), "line 3, column date");
    assert_eq!(content(&mut b), before, "nothing was written");
}

/// Marked as invoiced by hand (one or many), an entry leaves the unbilled
/// time and invoices from time; undone, it comes back. An entry billed here
/// cannot be marked.
#[test]
fn time_marked_invoiced_by_hand_and_undone() {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme", Some("EUR"), Some("100")).id;
    let web = project(&mut b, acme, "Web", None).id;
    let one = hours(&mut b, web, None, "2026-05-04", "2").entry.id;
    let two = hours(&mut b, web, None, "2026-05-05", "1").entry.id;
    let three = hours(&mut b, web, None, "2026-05-06", "1").entry.id;
    let marked = b.mark_billed_outside(&[one, two], "Paper invoice 17").unwrap();
    assert!(marked.iter().all(|v| v.entry.billed_outside.as_deref() == Some("Paper invoice 17")));
    let unbilled = |b: &mut Books| -> Vec<i64> {
        let u = b.unbilled(billable_app::UnbilledInput { client_id: acme, ..Default::default() }).unwrap();
        u.entries.iter().map(|v| v.entry.id).collect()
    };
    assert_eq!(unbilled(&mut b), vec![three]);
    assert_eq!(unbilled_differences(&b), 0);
    let invoice =
        created(b.invoice_from_time(billable_app::FromTimeInput { client_id: acme, ..Default::default() }).unwrap());
    assert_eq!(invoice.invoice.total, dec!(100.00), "only the hour not invoiced elsewhere");
    assert_code(b.mark_billed_outside(&[three], ""), "conflict");
    b.unmark_billed_outside(&[one]).unwrap();
    assert_eq!(unbilled(&mut b), vec![one]);
    assert_eq!(unbilled_differences(&b), 0);
    assert_invalid(b.mark_billed_outside(&[], ""), "entries");
}

/// Rows of the unbilled rollup that differ from the entries not invoiced
/// here nor outside (either way).
fn unbilled_differences(b: &Books) -> i64 {
    scalar(
        b,
        "SELECT count(*) FROM (
           SELECT * FROM (SELECT client_id, project_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''),
                                 sum(seconds), count(*)
                          FROM time_entries WHERE invoice_id IS NULL AND billed_outside IS NULL AND billable = 1
                          GROUP BY 1, 2, 3, 4, 5
                          EXCEPT SELECT client_id, project_id, member_id, task_id, rate, seconds, entries
                          FROM time_unbilled) AS missing
           UNION ALL
           SELECT * FROM (SELECT client_id, project_id, member_id, task_id, rate, seconds, entries FROM time_unbilled
                          EXCEPT SELECT client_id, project_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''),
                                        sum(seconds), count(*)
                          FROM time_entries WHERE invoice_id IS NULL AND billed_outside IS NULL AND billable = 1
                          GROUP BY 1, 2, 3, 4, 5) AS extra) AS differences",
    )
}
