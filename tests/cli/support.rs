//! Shared harness for end-to-end tests of the `billable` command line: a
//! fresh books file per test, the real binary, and a content snapshot of the
//! database to prove that rejected commands wrote nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

/// The `billable` binary: this test belongs to the billable-cli package, so
/// cargo builds the binary before running it.
pub fn billable_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_billable"))
}

/// A books file in a temporary folder, driven through the CLI.
pub struct Books {
    /// Kept alive with the books: the folder is removed when they drop.
    pub _dir: tempfile::TempDir,
    pub db: PathBuf,
    /// A fixed clock (RFC 3339) passed as BILLABLE_NOW, or the real one.
    pub now: Option<String>,
}

impl Default for Books {
    fn default() -> Self {
        Self::new()
    }
}

impl Books {
    pub fn new() -> Books {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("books.db");
        Books { _dir: dir, db, now: None }
    }

    /// Team books: a fresh database on the PostgreSQL server the tests
    /// started, its schema made by `billable team init`, then driven by URL.
    pub fn team() -> Books {
        let url = billable_pgtest::database();
        let init = Command::new(billable_bin())
            .env_remove("BILLABLE_DB")
            .args(["--json", "team", "init", &url])
            .output()
            .expect("run billable team init");
        assert!(init.status.success(), "team init failed: {}", String::from_utf8_lossy(&init.stdout));
        Books { _dir: tempfile::tempdir().expect("temp dir"), db: PathBuf::from(url), now: None }
    }

    pub fn at(mut self, now: &str) -> Books {
        self.now = Some(now.to_string());
        self
    }

    /// The same books seen at another instant.
    pub fn seen_at(&self, now: &str) -> Books {
        Books { _dir: tempfile::tempdir().expect("temp dir"), db: self.db.clone(), now: Some(now.to_string()) }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(billable_bin());
        c.arg("--db").arg(&self.db).args(args);
        c.env_remove("BILLABLE_DB");
        match &self.now {
            // Dates are local to the computer's zone (TZ): the run is pinned
            // to the zone the test wrote its instant in, whatever this
            // machine's zone is.
            Some(n) => c.env("BILLABLE_NOW", n).env("TZ", posix_zone(n)),
            None => c.env_remove("BILLABLE_NOW"),
        };
        c
    }

    pub fn output(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run billable")
    }

    /// Runs with `--json`, asserts success, returns the parsed output.
    pub fn ok(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.output(&all);
        assert!(
            out.status.success(),
            "billable {:?} failed: {}\n{}",
            args,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("billable {:?} printed no JSON ({e}): {}", args, String::from_utf8_lossy(&out.stdout))
        })
    }

    /// Runs with `--json`, asserts failure, returns the `error` object.
    pub fn fails(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.output(&all);
        assert!(
            !out.status.success(),
            "billable {:?} should have failed but printed {}",
            args,
            String::from_utf8_lossy(&out.stdout)
        );
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("no JSON error for {:?} ({e}): {}", args, String::from_utf8_lossy(&out.stdout)));
        v["error"].clone()
    }

    /// Every row of every table, in a stable order: equal snapshots mean the
    /// database content is identical.
    pub fn snapshot(&self) -> String {
        snapshot(&self.db)
    }
}

/// A POSIX `TZ` value for the offset an RFC 3339 instant is written with
/// (`+02:00` → `<+0200>-02:00`; POSIX counts west of Greenwich as positive).
pub fn posix_zone(instant: &str) -> String {
    let t = chrono::DateTime::parse_from_rfc3339(instant.trim()).expect("an RFC 3339 instant");
    let east = t.offset().local_minus_utc();
    if east == 0 {
        return "UTC0".into();
    }
    let (sign, west) = if east > 0 { ('+', '-') } else { ('-', '+') };
    let (h, m) = (east.abs() / 3600, east.abs() % 3600 / 60);
    format!("<{sign}{h:02}{m:02}>{west}{h:02}:{m:02}")
}

pub fn snapshot(db: &Path) -> String {
    let c = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open snapshot");
    let mut out = String::new();
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    out.push_str(&format!("user_version {version}\n"));
    let mut st = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
    let tables: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    for t in tables {
        out.push_str(&format!("== {t}\n"));
        let n = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap().column_count();
        let order = (1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
        let mut st = c.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY {order}")).unwrap();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| match r.get_ref(i).unwrap() {
                    ValueRef::Null => "NULL".into(),
                    ValueRef::Integer(v) => v.to_string(),
                    ValueRef::Real(_) => panic!("REAL value in table {t}: money must never be a float"),
                    ValueRef::Text(s) => format!("{:?}", String::from_utf8_lossy(s)),
                    ValueRef::Blob(b) => format!("blob:{}", b.len()),
                })
                .collect();
            out.push_str(&cells.join("|"));
            out.push('\n');
        }
    }
    out
}

/// A decimal field of a JSON value as a string ("12.50").
pub fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => panic!("expected a decimal string, got {other}"),
    }
}
