//! One user's books file moved into team books (`billable team migrate`):
//! every row of the file, with its ids, in one transaction on PostgreSQL.
//!
//! - **The file is only read.** It is opened read-only. A file of an older
//!   schema is copied into memory with SQLite's online backup and brought up
//!   to date there, as opening it would bring the file itself up to date; a
//!   file from a newer Billable, another program's file or a missing one is
//!   refused before anything is written.
//! - **Team books that hold nothing.** The database is opened as `team init`
//!   opens it (the schema is made in an empty database, older team books are
//!   brought up to date) and must hold no books yet: no row in any table but
//!   the four a fresh book starts with (the business, the first member, the
//!   backup settings and the default reminder schedule), and those exactly as
//!   they start. Two sets of books are never merged.
//! - **All or nothing.** Everything is written in one transaction behind the
//!   books' write lock, so no member's app writes in between; any failure, a
//!   refused row, a lost connection or a killed process leaves the team
//!   books as they were.
//! - **Base tables** are copied in foreign-key order (a row's parents are
//!   there before it), with their ids, by `COPY … FROM STDIN`; afterwards
//!   each table's identity is moved past the copied ids
//!   ([`Tx::ids_written`]), so the next client, invoice or entry gets the id
//!   the file would have given it. Numbering (`number_counters`,
//!   `used_numbers`) is copied with the rest, so the next invoice number is
//!   the file's next one.
//! - **Rollups** ([`ROLLUPS`]: tables kept only by triggers, and the
//!   invoices' `project_kinds` and `project_count`, which triggers set) are
//!   not copied: the team books' own triggers build them as the base rows go
//!   in, exactly as they keep them afterwards, so they start from the
//!   figures those triggers would have arrived at and every later write
//!   moves them from there. The alternative — copying the file's figures
//!   with the triggers switched off — needs the rights of the tables' owner
//!   (`ALTER TABLE … DISABLE TRIGGER`) or of a superuser
//!   (`session_replication_role`), and would take the file's figures on
//!   trust. One kind of rollup row no trigger makes from rows that exist:
//!   a count that fell back to zero (`invoice_counts` and
//!   `project_invoice_counts` keep a status after its last invoice left it).
//!   Those rows are copied as they are ([`ZERO_COUNTS`]), so the team books'
//!   export is the file's; so are the projects' worked values, which
//!   Billable prices and no trigger writes.
//! - **Verified before commit.** Every table, base and rollup, is then read
//!   back from the team books (`COPY … TO STDOUT`) and compared row by row,
//!   value by value, with the file, both in the same order: text exactly,
//!   integers exactly, BLOBs byte for byte. A single difference — a rollup
//!   the triggers built otherwise than the file's, a value the server
//!   changed — fails the migration and nothing is written.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use thiserror::Error;

use crate::db::{migrations, shown_url, APPLICATION_ID, PG_SCHEMA_VERSION, SCHEMA_VERSION};
use crate::error::StoreError;
use crate::sql::{Conn, Tx};
use crate::Store;

/// The tables kept by triggers alone: built by the team books' triggers as
/// the base rows are copied, never copied themselves (except
/// [`ZERO_COUNTS`]).
pub const ROLLUPS: &[&str] = &[
    "invoice_counts",
    "invoice_projects",
    "project_invoice_counts",
    "project_worked_values",
    "revenue_months",
    "time_daily",
    "time_unbilled",
    "time_worked",
];

/// Rollup rows that no trigger builds from the rows there are: counts that
/// went back to zero and stay as rows, and the worked values of projects
/// (migration 0027), which Billable prices and its triggers only take
/// away. Copied as they are, after every base row (whose triggers would
/// take them away again); the team books' base rows are then the file's,
/// so each value is what pricing them there gives.
pub const ZERO_COUNTS: &[(&str, &str)] =
    &[("invoice_counts", "invoices = 0"), ("project_invoice_counts", "invoices = 0"), ("project_worked_values", "1")];

/// The rows a fresh book starts with (crates/store/pg/0001_books.sql): the
/// only rows team books may hold to be migrated into, and only unchanged.
const STARTING_ROWS: &[(&str, &str)] = &[
    ("business", "(id) VALUES (1)"),
    ("members", "(id, name) VALUES (1, 'Me')"),
    ("backup_settings", "(id) VALUES (1)"),
    (
        "reminder_schedules",
        "(scope, scope_id, enabled, days_before, days_after) VALUES ('business', 0, 1, '[7,3,1]', '[1,7,14]')",
    ),
];

/// Rows per `COPY` statement: the triggers of a statement's rows run when
/// it ends, and PostgreSQL keeps their queue in memory until then.
const ROWS_PER_COPY: u64 = 20_000;

/// What was moved: each table's rows in the team books, and whether the
/// table was copied or built by the triggers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub name: String,
    pub rows: u64,
    pub rebuilt: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub schema_version: i64,
    /// In the order they were copied (foreign-key order), the rollups last.
    pub tables: Vec<TableCount>,
}

/// Why nothing was migrated.
#[derive(Debug, Error)]
pub enum MigrateError {
    #[error("there is no books file at {path}; nothing was written")]
    SourceMissing { path: String },
    #[error("{path} is not a Billable books file ({reason}); nothing was written")]
    SourceNotBillable { path: String, reason: String },
    #[error(
        "{path} was written by a newer version of Billable (schema {found}; this version knows up to {supported}). Update Billable to migrate it; nothing was written"
    )]
    SourceTooNew { path: String, found: i64, supported: i64 },
    #[error(
        "the team books at {server} already hold books ({}); a migration never merges two sets of books. Migrate into a new, empty database; nothing was written",
        .tables.join(", ")
    )]
    TargetHoldsBooks { server: String, tables: Vec<String> },
    #[error("the books file and the team books do not have the same tables ({0}); nothing was written")]
    SchemaMismatch(String),
    #[error("could not copy {table} into the team books: {source}; nothing was written")]
    Copy {
        table: String,
        #[source]
        source: StoreError,
    },
    #[error("{table} in the team books would differ from the file's ({detail}); nothing was written")]
    Differs { table: String, detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How a column is stored on PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Text,
    Bytes,
}

struct Column {
    name: String,
    kind: Kind,
}

struct Table {
    name: String,
    columns: Vec<Column>,
    rollup: bool,
}

impl Table {
    fn column_list(&self) -> String {
        self.columns.iter().map(|c| quote(&c.name)).collect::<Vec<_>>().join(", ")
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Moves the books file at `from` into the team books at `url` (see the
/// module's documentation).
pub fn file_to_team(from: &Path, url: &str) -> Result<Migrated, MigrateError> {
    let src = open_source(from)?;
    let mut store = Store::open_postgres(url)?;
    let server = shown_url(url);
    let team_version = store.schema_version()?;
    if PG_SCHEMA_VERSION != SCHEMA_VERSION || team_version != SCHEMA_VERSION {
        return Err(MigrateError::SchemaMismatch(format!(
            "file schema {SCHEMA_VERSION}, team books schema {team_version}"
        )));
    }
    // One snapshot of the file, even while the desktop app writes it.
    src.execute_batch("BEGIN").map_err(StoreError::from)?;
    let out = store.write(|tx| copy_all(&src, tx, &server));
    let _ = src.execute_batch("COMMIT");
    Ok(Migrated { schema_version: SCHEMA_VERSION, tables: out? })
}

/// The file, read-only; an older schema brought up to date in memory.
fn open_source(path: &Path) -> Result<Connection, MigrateError> {
    let shown = path.display().to_string();
    let not_billable = |reason: String| MigrateError::SourceNotBillable { path: shown.clone(), reason };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(MigrateError::SourceMissing { path: shown.clone() })
        }
        Err(e) => return Err(not_billable(e.to_string())),
        Ok(m) if !m.is_file() => return Err(not_billable("it is not a file".into())),
        Ok(_) => {}
    }
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| not_billable(e.to_string()))?;
    let app_id: i64 =
        c.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| not_billable(e.to_string()))?;
    if app_id != APPLICATION_ID {
        let tables: i64 = c
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))
            .map_err(|e| not_billable(e.to_string()))?;
        return Err(not_billable(if tables == 0 {
            "it holds no books".into()
        } else {
            "it holds another program's data".into()
        }));
    }
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(StoreError::from)?;
    if version > SCHEMA_VERSION {
        return Err(MigrateError::SourceTooNew { path: shown, found: version, supported: SCHEMA_VERSION });
    }
    if version == SCHEMA_VERSION {
        return Ok(c);
    }
    let mut mem = Connection::open_in_memory().map_err(StoreError::from)?;
    rusqlite::backup::Backup::new(&c, &mut mem)
        .and_then(|b| b.run_to_completion(1024, std::time::Duration::ZERO, None))
        .map_err(StoreError::from)?;
    mem.pragma_update(None, "foreign_keys", "ON").map_err(StoreError::from)?;
    migrations().to_latest(&mut mem).map_err(StoreError::Migrate)?;
    Ok(mem)
}

fn copy_all(src: &Connection, tx: &Tx, server: &str) -> Result<Vec<TableCount>, MigrateError> {
    let Conn::Pg(pg) = &tx.conn else {
        return Err(MigrateError::SchemaMismatch("the target is not team books".into()));
    };
    let (tables, identities) = {
        let mut client = pg.client.borrow_mut();
        // COPY TO writes BYTEA as hex, as the file's BLOBs are written to it.
        client.batch_execute("SET LOCAL bytea_output = 'hex'").map_err(StoreError::from)?;
        let tables = plan(src, &mut client)?;
        let holding = holds_books(&mut client, &tables)?;
        if !holding.is_empty() {
            return Err(MigrateError::TargetHoldsBooks { server: server.to_string(), tables: holding });
        }
        let starting: Vec<String> =
            STARTING_ROWS.iter().rev().map(|(t, _)| format!("DELETE FROM {};", quote(t))).collect();
        client.batch_execute(&starting.concat()).map_err(StoreError::from)?;
        for t in tables.iter().filter(|t| !t.rollup) {
            copy_rows(src, &mut client, t, None)?;
        }
        for (name, zero) in ZERO_COUNTS {
            if let Some(t) = tables.iter().find(|t| t.name == *name) {
                copy_rows(src, &mut client, t, Some(zero))?;
            }
        }
        let identities: Vec<String> = client
            .query(
                "SELECT table_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'
                 ORDER BY 1",
                &[],
            )
            .map_err(StoreError::from)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        (tables, identities)
    };
    for table in &identities {
        tx.ids_written(table)?;
    }
    let mut client = pg.client.borrow_mut();
    let mut counts = Vec::with_capacity(tables.len());
    let (base, rollups): (Vec<&Table>, Vec<&Table>) = tables.iter().partition(|t| !t.rollup);
    for t in base.into_iter().chain(rollups) {
        let rows = verify(src, &mut client, t)?;
        counts.push(TableCount { name: t.name.clone(), rows, rebuilt: t.rollup });
    }
    Ok(counts)
}

/// Every table of the books, parents before the tables that refer to them;
/// the same tables and columns on both sides, or a [`MigrateError::SchemaMismatch`].
fn plan(src: &Connection, client: &mut postgres::Client) -> Result<Vec<Table>, MigrateError> {
    let lite = |e: rusqlite::Error| MigrateError::Store(StoreError::from(e));
    let names: Vec<String> = src
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .map_err(lite)?;
    let mut team: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for r in client
        .query(
            "SELECT c.table_name::text, c.column_name::text, c.data_type::text
             FROM information_schema.columns c JOIN information_schema.tables t
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
               AND c.table_name <> 'billable_books'
             ORDER BY c.table_name, c.ordinal_position",
            &[],
        )
        .map_err(StoreError::from)?
    {
        team.entry(r.get(0)).or_default().push((r.get(1), r.get(2)));
    }
    let file: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let other: BTreeSet<&str> = team.keys().map(String::as_str).collect();
    if let Some(t) = file.difference(&other).next() {
        return Err(MigrateError::SchemaMismatch(format!("{t} is in the file, not in the team books")));
    }
    if let Some(t) = other.difference(&file).next() {
        return Err(MigrateError::SchemaMismatch(format!("{t} is in the team books, not in the file")));
    }
    let mut tables = BTreeMap::new();
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in &names {
        let columns: Vec<String> = src
            .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
            .and_then(|mut st| st.query_map([name], |r| r.get(0))?.collect())
            .map_err(lite)?;
        let kinds: BTreeMap<&str, &str> = team[name].iter().map(|(c, k)| (c.as_str(), k.as_str())).collect();
        if columns.len() != kinds.len() {
            return Err(MigrateError::SchemaMismatch(format!("{name} has other columns in the team books")));
        }
        let mut cols = Vec::with_capacity(columns.len());
        for c in columns {
            let kind = match kinds.get(c.as_str()) {
                Some(&"bigint") | Some(&"integer") | Some(&"smallint") => Kind::Integer,
                Some(&"text") => Kind::Text,
                Some(&"bytea") => Kind::Bytes,
                Some(other) => {
                    return Err(MigrateError::SchemaMismatch(format!("{name}.{c} is {other} in the team books")))
                }
                None => return Err(MigrateError::SchemaMismatch(format!("{name}.{c} is not in the team books"))),
            };
            cols.push(Column { name: c, kind });
        }
        let refs: BTreeSet<String> = src
            .prepare("SELECT \"table\" FROM pragma_foreign_key_list(?1)")
            .and_then(|mut st| st.query_map([name], |r| r.get(0))?.collect())
            .map_err(lite)?;
        parents.insert(name.clone(), refs.into_iter().filter(|p| p != name).collect());
        let rollup = ROLLUPS.contains(&name.as_str());
        tables.insert(name.clone(), Table { name: name.clone(), columns: cols, rollup });
    }
    // Kahn's order, by name among the tables that are ready.
    let mut order = Vec::with_capacity(tables.len());
    let mut done = BTreeSet::new();
    while done.len() < parents.len() {
        let ready: Vec<String> = parents
            .iter()
            .filter(|(t, ps)| !done.contains(*t) && ps.iter().all(|p| done.contains(p) || !parents.contains_key(p)))
            .map(|(t, _)| t.clone())
            .collect();
        if ready.is_empty() {
            return Err(MigrateError::SchemaMismatch("the file's foreign keys go round in a circle".into()));
        }
        for t in ready {
            done.insert(t.clone());
            order.extend(tables.remove(&t));
        }
    }
    Ok(order)
}

/// The tables of the team books that hold books: any row in a table but
/// the starting ones, and a starting table whose rows are not the ones it
/// starts with.
fn holds_books(client: &mut postgres::Client, tables: &[Table]) -> Result<Vec<String>, MigrateError> {
    let mut holding = Vec::new();
    for t in tables {
        let q = quote(&t.name);
        let held = match STARTING_ROWS.iter().find(|(name, _)| *name == t.name) {
            None => {
                client.query_one(&format!("SELECT EXISTS (SELECT 1 FROM {q})"), &[]).map_err(StoreError::from)?.get(0)
            }
            Some((_, rows)) => {
                let fresh = quote(&format!("billable_fresh_{}", t.name));
                client
                    .batch_execute(&format!(
                        "CREATE TEMP TABLE {fresh} (LIKE {q} INCLUDING DEFAULTS) ON COMMIT DROP;
                         INSERT INTO {fresh} {rows};"
                    ))
                    .map_err(StoreError::from)?;
                let differs: bool = client
                    .query_one(
                        &format!(
                            "SELECT EXISTS ((TABLE {q} EXCEPT ALL TABLE {fresh}) UNION ALL (TABLE {fresh} EXCEPT ALL TABLE {q}))"
                        ),
                        &[],
                    )
                    .map_err(StoreError::from)?
                    .get(0);
                client.batch_execute(&format!("DROP TABLE {fresh}")).map_err(StoreError::from)?;
                differs
            }
        };
        if held {
            holding.push(t.name.clone());
        }
    }
    Ok(holding)
}

/// Copies the file's rows of `t` (those matching `only`, when given);
/// returns how many.
fn copy_rows(
    src: &Connection,
    client: &mut postgres::Client,
    t: &Table,
    only: Option<&str>,
) -> Result<u64, MigrateError> {
    let failed = |source: StoreError| MigrateError::Copy { table: t.name.clone(), source };
    let cols = t.column_list();
    let filter = only.map(|w| format!(" WHERE {w}")).unwrap_or_default();
    let mut st = src.prepare(&format!("SELECT {cols} FROM {}{filter}", quote(&t.name))).map_err(StoreError::from)?;
    let mut rows = st.query([]).map_err(StoreError::from)?;
    let copy = format!("COPY {} ({cols}) FROM STDIN", quote(&t.name));
    let mut line = Vec::with_capacity(256);
    let mut n = 0u64;
    // One COPY per ROWS_PER_COPY rows, begun at the first row of each.
    while let Some(r) = rows.next().map_err(StoreError::from)? {
        let mut w = client.copy_in(&copy).map_err(|e| failed(e.into()))?;
        let mut in_copy = 0;
        let mut next = Some(r);
        while let Some(r) = next {
            line.clear();
            encode_row(r, t, &mut line)?;
            if let Err(e) = w.write_all(&line) {
                // The server's own reason comes with the end of the COPY.
                return Err(match w.finish() {
                    Err(pg) => failed(pg.into()),
                    Ok(_) => failed(StoreError::Unreachable { server: String::new(), reason: e.to_string() }),
                });
            }
            n += 1;
            in_copy += 1;
            next = if in_copy < ROWS_PER_COPY { rows.next().map_err(StoreError::from)? } else { None };
        }
        w.finish().map_err(|e| failed(e.into()))?;
    }
    Ok(n)
}

/// Compares every row of `t` in the team books with the file's, in one
/// order on both sides: all columns in the file's order, text byte-wise
/// (SQLite's BINARY, PostgreSQL's "C"), NULLs first. Returns the rows.
fn verify(src: &Connection, client: &mut postgres::Client, t: &Table) -> Result<u64, MigrateError> {
    let differs = |detail: String| MigrateError::Differs { table: t.name.clone(), detail };
    let cols = t.column_list();
    // No column of the file has a collation of its own: all compare as BINARY.
    let lite_order: Vec<String> = t.columns.iter().map(|c| quote(&c.name)).collect();
    let pg_order: Vec<String> = t.columns.iter().map(|c| format!("{} NULLS FIRST", quote(&c.name))).collect();
    let mut st = src
        .prepare(&format!("SELECT {cols} FROM {} ORDER BY {}", quote(&t.name), lite_order.join(", ")))
        .map_err(StoreError::from)?;
    let mut rows = st.query([]).map_err(StoreError::from)?;
    let mut reader = client
        .copy_out(&format!("COPY (SELECT {cols} FROM {} ORDER BY {}) TO STDOUT", quote(&t.name), pg_order.join(", ")))
        .map_err(StoreError::from)?;
    let read_failed = |e: std::io::Error| StoreError::Unreachable { server: String::new(), reason: e.to_string() };
    let mut expected = Vec::with_capacity(256);
    let mut found = Vec::with_capacity(256);
    let mut n = 0u64;
    let mut outcome = Ok(());
    // The end of the COPY is read once: the stream must not be read past it.
    let mut at_end = false;
    while let Some(r) = rows.next().map_err(StoreError::from)? {
        n += 1;
        expected.clear();
        encode_row(r, t, &mut expected)?;
        found.clear();
        if reader.read_until(b'\n', &mut found).map_err(read_failed)? == 0 {
            at_end = true;
            outcome = Err(differs(format!("it has {} rows, the file {}", n - 1, row_count(&mut rows, n)?)));
            break;
        }
        if found != expected {
            outcome = Err(differs(format!("row {n}, {}", first_difference(t, &expected, &found))));
            break;
        }
    }
    if outcome.is_ok() {
        found.clear();
        if reader.read_until(b'\n', &mut found).map_err(read_failed)? > 0 {
            outcome = Err(differs(format!("it has more rows than the file's {n}")));
        } else {
            at_end = true;
        }
    }
    if !at_end {
        // The rest of the COPY is read, so the connection is ready for the next statement.
        std::io::copy(&mut reader, &mut std::io::sink()).map_err(read_failed)?;
    }
    outcome.map(|()| n)
}

/// How many rows the file has: `seen` and those left in `rows`.
fn row_count(rows: &mut rusqlite::Rows<'_>, seen: u64) -> Result<u64, MigrateError> {
    let mut n = seen;
    while rows.next().map_err(StoreError::from)?.is_some() {
        n += 1;
    }
    Ok(n)
}

/// The first column whose values differ between two encoded rows (the
/// values themselves are not shown: they may be anything of the books).
fn first_difference(t: &Table, expected: &[u8], found: &[u8]) -> String {
    let a: Vec<&[u8]> = expected.strip_suffix(b"\n").unwrap_or(expected).split(|b| *b == b'\t').collect();
    let b: Vec<&[u8]> = found.strip_suffix(b"\n").unwrap_or(found).split(|b| *b == b'\t').collect();
    match t.columns.iter().zip(a.iter().zip(&b)).find(|(_, (x, y))| x != y) {
        Some((c, _)) => format!("column {}", c.name),
        None => "a different number of columns".into(),
    }
}

/// One row in COPY's text format: values separated by tabs, `\N` for NULL,
/// text with its backslashes and control characters escaped as PostgreSQL
/// writes them (`COPY … TO` writes exactly these escapes), BYTEA as `\x`
/// and hex.
fn encode_row(r: &rusqlite::Row<'_>, t: &Table, out: &mut Vec<u8>) -> Result<(), MigrateError> {
    for (i, c) in t.columns.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        let v = r.get_ref(i).map_err(StoreError::from)?;
        let bad = |what: &str| MigrateError::Copy {
            table: t.name.clone(),
            source: StoreError::Corrupt(format!("{}.{} holds {what}", t.name, c.name)),
        };
        match (v, c.kind) {
            (ValueRef::Null, _) => out.extend_from_slice(b"\\N"),
            (ValueRef::Integer(i), Kind::Integer | Kind::Text) => out.extend_from_slice(i.to_string().as_bytes()),
            (ValueRef::Real(_), _) => return Err(bad("a floating-point number")),
            (ValueRef::Text(s), Kind::Text | Kind::Integer) => {
                if std::str::from_utf8(s).is_err() {
                    return Err(bad("text that is not UTF-8"));
                }
                escape(s, out)
            }
            (ValueRef::Blob(b), Kind::Text) => match std::str::from_utf8(b) {
                Ok(_) => escape(b, out),
                Err(_) => return Err(bad("bytes where text belongs")),
            },
            (ValueRef::Text(b) | ValueRef::Blob(b), Kind::Bytes) => {
                out.extend_from_slice(b"\\\\x");
                for byte in b {
                    out.extend_from_slice(format!("{byte:02x}").as_bytes());
                }
            }
            (ValueRef::Integer(_), Kind::Bytes) => return Err(bad("a number where bytes belong")),
            (ValueRef::Blob(_), Kind::Integer) => return Err(bad("bytes where a number belongs")),
        }
    }
    out.push(b'\n');
    Ok(())
}

fn escape(s: &[u8], out: &mut Vec<u8>) {
    for &b in s {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x0b => out.extend_from_slice(b"\\v"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table a trigger writes is a rollup, except the invoices whose
    /// project kinds and count the links' triggers set (and which are
    /// verified with every other table).
    #[test]
    fn the_rollups_are_the_tables_triggers_write() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        let bodies: Vec<String> = c
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut written = BTreeSet::new();
        for body in &bodies {
            let words: Vec<String> = body
                .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_lowercase)
                .skip_while(|w| w != "begin")
                .collect();
            for w in words.windows(3) {
                match (w[0].as_str(), w[1].as_str(), w[2].as_str()) {
                    ("into", t, _) | ("update", t, _) if t != "set" => written.insert(t.to_string()),
                    ("delete", "from", t) => written.insert(t.to_string()),
                    _ => false,
                };
            }
        }
        let rollups: BTreeSet<String> = ROLLUPS.iter().map(|s| s.to_string()).collect();
        let mut expected = rollups.clone();
        expected.insert("invoices".into());
        assert_eq!(written, expected, "tables written by triggers");
    }

    #[test]
    fn text_is_escaped_as_copy_writes_it() {
        let mut out = Vec::new();
        escape(b"a\\b\tc\nd\re\x08\x0c\x0bf\x01", &mut out);
        assert_eq!(out, b"a\\\\b\\tc\\nd\\re\\b\\f\\vf\x01");
    }
}

#[cfg(test)]
mod pg_tests {
    use super::*;

    fn count(url: &str, sql: &str) -> i64 {
        let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
        c.query_one(sql, &[]).unwrap().get(0)
    }

    /// A file of an older schema is brought up to date in memory and moved
    /// whole; the file itself stays byte for byte what it was.
    #[test]
    fn an_older_file_is_moved_without_being_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut c = Connection::open(&path).unwrap();
            c.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
            migrations().to_version(&mut c, 12).unwrap();
            c.execute_batch(
                "INSERT INTO clients (id, name) VALUES (1, 'Acme');
                 INSERT INTO projects (id, client_id, name, rate) VALUES (1, 1, 'Web', '100');
                 INSERT INTO time_entries (member_id, client_id, project_id, work_date, seconds, created_at)
                 VALUES (1, 1, 1, '2026-03-02', 3600, 0), (1, 1, 1, '2026-03-02', 1800, 0),
                        (1, 1, 1, '2026-03-03', 900, 0);",
            )
            .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let url = billable_pgtest::database();
        let done = file_to_team(&path, &url).unwrap();
        assert_eq!(done.schema_version, SCHEMA_VERSION);
        let rows = |name: &str| done.tables.iter().find(|t| t.name == name).map(|t| (t.rows, t.rebuilt));
        assert_eq!(rows("time_entries"), Some((3, false)));
        assert_eq!(rows("time_daily"), Some((2, true)));
        assert_eq!(rows("time_worked"), Some((1, true)));
        assert_eq!(std::fs::read(&path).unwrap(), before, "the file is only read");
        let v: i64 = Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 12, "the file keeps its schema");
        assert_eq!(count(&url, "SELECT sum(seconds)::bigint FROM time_unbilled"), 6300);
        // The identities continue after the copied ids.
        let mut team = Store::open_postgres(&url).unwrap();
        let id = team.write(|tx| tx.insert("INSERT INTO clients (name) VALUES ('Beta')", [])).unwrap();
        assert_eq!(id, 2);
    }
}
