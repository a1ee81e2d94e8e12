//! Shared set-up: Billable's books in a real SQLite file inside a temporary
//! folder, read through a clock stopped at a chosen instant. With
//! `BILLABLE_TEST_DB=postgres` the same tests run on team books: a fresh
//! database on a PostgreSQL server the tests start themselves
//! (`billable-pgtest`).

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;

use billable_app::core::model::{Client, Project, Task};
use billable_app::views::{EntryView, FromTimeOutcome, InvoicePreview, InvoiceView};
use billable_app::{
    AppError, Billable, BooksLocation, ClientInput, EntryInput, FixedClock, FromTimeInput, InvoiceInput, LineInput,
    ProjectInput, TaskInput,
};
use billable_store::{Store, StoreError};
use tempfile::TempDir;

/// The default "now": Sunday 10 May 2026, 09:00 in UTC+2.
pub const NOW: &str = "2026-05-10T09:00:00+02:00";

pub fn clock(at: &str) -> Box<FixedClock> {
    Box::new(FixedClock::parse(at).unwrap_or_else(|| panic!("bad test clock {at}")))
}

/// Books on disk (or on the test PostgreSQL server); derefs to the
/// [`Billable`] open on them.
pub struct Books {
    app: Option<Billable>,
    dir: TempDir,
    /// The team books' URL when the tests run on PostgreSQL.
    url: Option<String>,
}

/// True when the tests run on PostgreSQL (`BILLABLE_TEST_DB=postgres`).
pub fn on_postgres() -> bool {
    std::env::var("BILLABLE_TEST_DB").is_ok_and(|v| v == "postgres")
}

impl Books {
    pub fn new() -> Books {
        Books::at(NOW)
    }

    pub fn at(now: &str) -> Books {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = on_postgres().then(billable_pgtest::database);
        let app = match &url {
            Some(url) => Billable::open_postgres(url, clock(now)).expect("open the team books"),
            None => Billable::open(&dir.path().join("books.db"), clock(now)).expect("open the books"),
        };
        Books { app: Some(app), dir, url }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("books.db")
    }

    /// Closes the books and opens the same file again with the clock at
    /// `now`, as after the app was quit (or killed) and restarted.
    pub fn reopen(&mut self, now: &str) {
        let path = self.path();
        // Close first, so nothing but the file carries state over.
        drop(self.app.take());
        self.app = Some(match &self.url {
            Some(url) => Billable::open_postgres(url, clock(now)).expect("reopen the team books"),
            None => Billable::open(&path, clock(now)).expect("reopen the books"),
        });
    }
}

impl Books {
    /// Where these books are: their file, or their team database.
    pub fn location(&self) -> BooksLocation {
        match &self.url {
            Some(url) => BooksLocation::Team(url.clone()),
            None => BooksLocation::File(self.path()),
        }
    }

    /// The same books opened by another app, as another process would open
    /// them, with its clock at `now`.
    pub fn open_another(&self, now: &str) -> Billable {
        Billable::open_at(&self.location(), clock(now)).expect("open the books a second time")
    }

    /// A second connection to the same books, beside the app's (as another
    /// process would open them): for tests that read rows straight from the
    /// books or change them behind the app's back. Its SQL is written as in
    /// the store, in SQLite's dialect, and runs on either engine.
    pub fn raw(&self) -> Store {
        match &self.url {
            Some(url) => Store::open_postgres(url).expect("connect to the team books"),
            None => Store::open(&self.path()).expect("open the books file"),
        }
    }

    /// The one integer a query returns.
    pub fn scalar(&self, sql: &str) -> i64 {
        self.raw().connection().query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The names of the books' tables, sorted. Team books' `billable_books`
    /// (which schema they hold, as a SQLite file's header does) is not one.
    pub fn tables(&self) -> Vec<String> {
        let sql = if self.url.is_some() {
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'billable_books'"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        };
        let store = self.raw();
        let mut st = store.connection().prepare(sql).expect("list the tables");
        let mut tables: Vec<String> =
            st.query_map([], |r| r.get(0)).expect("list the tables").collect::<Result<_, _>>().expect("a table name");
        tables.sort();
        tables
    }

    /// Runs one statement straight on the books; returns the rows changed.
    pub fn execute(&self, sql: &str) -> Result<usize, StoreError> {
        self.raw().connection().execute(sql, [])
    }
}

impl Deref for Books {
    type Target = Billable;
    fn deref(&self) -> &Billable {
        self.app.as_ref().expect("books open")
    }
}

impl DerefMut for Books {
    fn deref_mut(&mut self) -> &mut Billable {
        self.app.as_mut().expect("books open")
    }
}

pub fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// The error of a call that must fail.
#[track_caller]
pub fn err<T: std::fmt::Debug>(r: Result<T, AppError>) -> AppError {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    }
}

/// Asserts a validation error naming `field`.
#[track_caller]
pub fn assert_invalid<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) -> AppError {
    let e = err(r);
    assert_eq!(e.code(), "invalid", "{e}");
    assert_eq!(e.field(), Some(field), "{e}");
    e
}

/// Asserts an error with `code` (conflict, not_found…).
#[track_caller]
pub fn assert_code<T: std::fmt::Debug>(r: Result<T, AppError>, code: &str) -> AppError {
    let e = err(r);
    assert_eq!(e.code(), code, "{e}");
    e
}

pub fn client(b: &mut Billable, name: &str, currency: Option<&str>, rate: Option<&str>) -> Client {
    b.create_client(ClientInput {
        name: s(name),
        currency: currency.map(str::to_string),
        rate: rate.map(str::to_string),
        ..Default::default()
    })
    .expect("create client")
}

pub fn project(b: &mut Billable, client_id: i64, name: &str, rate: Option<&str>) -> Project {
    b.create_project(ProjectInput {
        client_id: Some(client_id),
        name: s(name),
        rate: rate.map(str::to_string),
        ..Default::default()
    })
    .expect("create project")
}

pub fn task(b: &mut Billable, project_id: i64, name: &str, rate: Option<&str>) -> Task {
    b.create_task(TaskInput { project_id: Some(project_id), name: s(name), rate: rate.map(str::to_string) })
        .expect("create task")
}

/// A manual entry of `hours` on `date` for the default member.
pub fn hours(b: &mut Billable, project_id: i64, task_id: Option<i64>, date: &str, hours: &str) -> EntryView {
    b.add_entry(EntryInput {
        project_id: Some(project_id),
        task_id: Some(task_id),
        date: s(date),
        hours: s(hours),
        ..Default::default()
    })
    .expect("add entry")
}

pub fn line(description: &str, quantity: &str, rate: &str) -> LineInput {
    LineInput { description: s(description), quantity: s(quantity), rate: s(rate), ..Default::default() }
}

/// A draft typed by hand.
pub fn manual_invoice(b: &mut Billable, client_id: i64, lines: Vec<LineInput>) -> InvoiceView {
    b.create_invoice(InvoiceInput { client_id, lines, ..Default::default() }).expect("create invoice")
}

pub fn created(o: FromTimeOutcome) -> InvoiceView {
    match o {
        FromTimeOutcome::Created(v) => v.invoice,
        FromTimeOutcome::Preview(p) => panic!("expected an invoice, got a preview {p:?}"),
    }
}

pub fn preview(o: FromTimeOutcome) -> InvoicePreview {
    match o {
        FromTimeOutcome::Preview(p) => *p,
        FromTimeOutcome::Created(v) => {
            panic!("expected a preview, got invoice {}", v.invoice.invoice.number)
        }
    }
}

/// Bills exactly these entries for a client.
pub fn bill(b: &mut Billable, client_id: i64, ids: &[i64], grouping: &str) -> InvoiceView {
    created(
        b.invoice_from_time(FromTimeInput {
            client_id,
            entry_ids: Some(ids.to_vec()),
            grouping: s(grouping),
            ..Default::default()
        })
        .expect("invoice from time"),
    )
}

/// The keys of a serialized object's top level, in order, duplicates kept
/// (a `serde_json::Value` would silently keep only the last of each).
pub fn json_keys<T: serde::Serialize>(value: &T) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some((k, _)) = map.next_entry::<String, serde::de::IgnoredAny>()? {
                        keys.push(k);
                    }
                    Ok(Keys(keys))
                }
            }
            d.deserialize_map(V)
        }
    }
    let text = serde_json::to_string(value).expect("serializable");
    serde_json::from_str::<Keys>(&text).expect("an object").0
}

/// Asserts no key appears twice at the top level of the JSON form.
#[track_caller]
pub fn assert_unique_json_keys<T: serde::Serialize>(value: &T) {
    let keys = json_keys(value);
    let mut dupes: Vec<&String> = keys.iter().filter(|k| keys.iter().filter(|o| o == k).count() > 1).collect();
    dupes.dedup();
    assert!(dupes.is_empty(), "duplicate JSON keys {dupes:?} in {keys:?}");
}
