//! Importing time entries: names matched case-insensitively, and a stable
//! hash per imported row kept by its entry (`time_entries.import_hash`,
//! unique) so the same file imported twice creates nothing new. Built for
//! files of a million rows: statements are prepared once, entry ids are
//! given here, and row hashes are looked up in hash order.

use crate::params;
use crate::sql::{OptionalExtension, Stmt, Tx};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::codec::dec_text_opt;
use crate::error::StoreResult;

pub fn client_id_by_name(c: &Tx, name: &str) -> StoreResult<Option<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM clients WHERE name = ?1 COLLATE NOCASE")?;
    st.query_row([name], |r| r.get(0)).optional()
}

pub fn project_id_by_name(c: &Tx, client_id: i64, name: &str) -> StoreResult<Option<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM projects WHERE client_id = ?1 AND name = ?2 COLLATE NOCASE")?;
    st.query_row(params![client_id, name], |r| r.get(0)).optional()
}

pub fn task_id_by_name(c: &Tx, project_id: i64, name: &str) -> StoreResult<Option<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM tasks WHERE project_id = ?1 AND name = ?2 COLLATE NOCASE")?;
    st.query_row(params![project_id, name], |r| r.get(0)).optional()
}

pub fn member_id_by_name(c: &Tx, name: &str) -> StoreResult<Option<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM members WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1")?;
    st.query_row([name], |r| r.get(0)).optional()
}

/// The bytes of a row hash an entry keeps (`time_entries.import_hash`):
/// the first 16 of its SHA-256.
pub const HASH_BYTES: usize = 16;

fn stored(hash: &[u8; 32]) -> &[u8] {
    &hash[..HASH_BYTES]
}

/// Which of these row hashes were imported before (and their entries not
/// deleted since), as positions in `hashes`. The hashes are looked up in
/// sorted order, so the index is walked, not jumped about; none are when
/// nothing was ever imported.
pub fn imported_before(c: &Tx, hashes: &[[u8; 32]]) -> StoreResult<Vec<usize>> {
    let any: bool =
        c.query_row("SELECT EXISTS (SELECT 1 FROM time_entries WHERE import_hash IS NOT NULL)", [], |r| r.get(0))?;
    if !any {
        return Ok(Vec::new());
    }
    let mut order: Vec<usize> = (0..hashes.len()).collect();
    order.sort_unstable_by_key(|i| hashes[*i]);
    let mut st = c.prepare("SELECT 1 FROM time_entries WHERE import_hash = ?1")?;
    let mut found = Vec::new();
    for i in order {
        if st.exists([stored(&hashes[i])])? {
            found.push(i);
        }
    }
    found.sort_unstable();
    Ok(found)
}

/// An imported time entry, as written (its description aside).
#[derive(Debug, Clone, Copy)]
pub struct NewEntry {
    pub member_id: i64,
    pub client_id: i64,
    pub project_id: i64,
    pub task_id: Option<i64>,
    pub date: NaiveDate,
    /// Unix seconds, UTC.
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    pub seconds: i64,
    pub billable: bool,
    pub rate: Option<Decimal>,
}

/// Rows written per INSERT statement: one statement run per 64 rows
/// instead of per row.
const BATCH: usize = 64;

/// Parameters per entry.
const PARAMS: usize = 14;

const ENTRY_COLUMNS: &str =
    "INSERT OR ROLLBACK INTO time_entries (id, member_id, client_id, project_id, task_id, work_date, \
    start_at, end_at, seconds, description, billable, rate, created_at, import_hash) VALUES ";
const ENTRY_VALUES: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

fn values(columns: &str, one: &str, rows: usize) -> String {
    let mut sql = String::from(columns);
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(one);
    }
    sql
}

/// An entry waiting for its batch; its description is kept in the writer.
struct Pending {
    id: i64,
    e: NewEntry,
    description: std::ops::Range<usize>,
    hash: [u8; 32],
}

/// The insert triggers on `time_entries` that keep the time rollups
/// (migrations 0006 and 0015), set aside while an import writes its entries.
const ROLLUP_TRIGGERS: [&str; 2] = ["time_daily_insert", "time_worked_insert"];

/// Writes the entries of one import (inside its transaction) in batches,
/// each with the hash of its row.
pub struct EntryWriter<'c> {
    conn: &'c Tx,
    /// The rollups' insert triggers, set aside for the import (see
    /// [`EntryWriter::new`]).
    triggers: Vec<String>,
    first_id: i64,
    batch: Stmt<'c>,
    one: Stmt<'c>,
    pending: Vec<Pending>,
    texts: String,
    next_id: i64,
    now: i64,
}

impl<'c> EntryWriter<'c> {
    /// Starts writing entries. The insert triggers of the daily rollup and
    /// of the rollup of all days ([`ROLLUP_TRIGGERS`]) are set aside until [`EntryWriter::finish`], which adds the new entries to
    /// the rollup in one pass and puts the trigger back exactly as it was,
    /// all in the import's transaction: other writers never see the books
    /// without it, and an import that fails or is rehearsed rolls the
    /// trigger's removal back with everything else. (Per row, the trigger's
    /// upsert makes SQLite keep a statement journal for every INSERT.)
    pub fn new(conn: &'c Tx, now: i64) -> StoreResult<EntryWriter<'c>> {
        let last: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM time_entries", [], |r| r.get(0))?;
        let mut triggers = Vec::with_capacity(ROLLUP_TRIGGERS.len());
        // On PostgreSQL the triggers stay: a member's import must not need
        // the right to drop them, and they cost no statement journal there.
        let names = if conn.lite().is_some() { &ROLLUP_TRIGGERS[..] } else { &[] };
        for name in names {
            let sql: String =
                conn.query_row("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1", [name], |r| {
                    r.get(0)
                })?;
            conn.execute_batch(&format!("DROP TRIGGER {name}"))?;
            triggers.push(sql);
        }
        Ok(EntryWriter {
            conn,
            triggers,
            first_id: last + 1,
            batch: conn.prepare(&values(ENTRY_COLUMNS, ENTRY_VALUES, BATCH))?,
            one: conn.prepare(&values(ENTRY_COLUMNS, ENTRY_VALUES, 1))?,
            pending: Vec::with_capacity(BATCH),
            texts: String::new(),
            next_id: last + 1,
            now,
        })
    }

    /// Writes one entry with its row hash (or queues it for the next
    /// batch) and returns its id.
    pub fn insert(&mut self, e: &NewEntry, description: &str, hash: [u8; 32]) -> StoreResult<i64> {
        let id = self.next_id;
        self.next_id += 1;
        let at = self.texts.len();
        self.texts.push_str(description);
        self.pending.push(Pending { id, e: *e, description: at..self.texts.len(), hash });
        if self.pending.len() == BATCH {
            bind_entries(&mut self.batch, &self.pending, &self.texts, self.now)?;
            self.batch.raw_execute()?;
            self.pending.clear();
            self.texts.clear();
        }
        Ok(id)
    }

    /// Writes the entries still queued, adds the new entries to the daily
    /// and the all-days rollups as their triggers would have, and puts the
    /// triggers back.
    pub fn finish(mut self) -> StoreResult<()> {
        for p in &self.pending {
            bind_entries(&mut self.one, std::slice::from_ref(p), &self.texts, self.now)?;
            self.one.raw_execute()?;
        }
        if self.triggers.is_empty() {
            return self.conn.ids_written("time_entries");
        }
        self.conn.execute(
            "INSERT INTO time_daily (work_date, project_id, client_id, member_id, task_id, rate, billable, seconds,
                                     entries)
             SELECT work_date, project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable,
                    SUM(seconds), COUNT(*)
             FROM time_entries WHERE id >= ?1
             GROUP BY 1, 2, 3, 4, 5, 6, 7
             ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + excluded.entries",
            [self.first_id],
        )?;
        self.conn.execute(
            "INSERT INTO time_worked (project_id, client_id, member_id, task_id, rate, billable, seconds, entries)
             SELECT project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable,
                    SUM(seconds), COUNT(*)
             FROM time_entries WHERE id >= ?1
             GROUP BY 1, 2, 3, 4, 5, 6
             ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + excluded.entries",
            [self.first_id],
        )?;
        for sql in &self.triggers {
            self.conn.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// Binds entries to an INSERT of as many rows.
fn bind_entries(st: &mut Stmt, entries: &[Pending], texts: &str, now: i64) -> StoreResult<()> {
    let mut date = [0u8; 10];
    for (i, p) in entries.iter().enumerate() {
        let e = &p.e;
        let at = i * PARAMS;
        let text;
        let day = match iso_date(e.date, &mut date) {
            Some(d) => d,
            None => {
                text = e.date.to_string();
                text.as_str()
            }
        };
        st.raw_bind_parameter(at + 1, p.id)?;
        st.raw_bind_parameter(at + 2, e.member_id)?;
        st.raw_bind_parameter(at + 3, e.client_id)?;
        st.raw_bind_parameter(at + 4, e.project_id)?;
        st.raw_bind_parameter(at + 5, e.task_id)?;
        st.raw_bind_parameter(at + 6, day)?;
        st.raw_bind_parameter(at + 7, e.start_at)?;
        st.raw_bind_parameter(at + 8, e.end_at)?;
        st.raw_bind_parameter(at + 9, e.seconds)?;
        st.raw_bind_parameter(at + 10, &texts[p.description.clone()])?;
        st.raw_bind_parameter(at + 11, e.billable)?;
        st.raw_bind_parameter(at + 12, dec_text_opt(e.rate))?;
        st.raw_bind_parameter(at + 13, now)?;
        st.raw_bind_parameter(at + 14, stored(&p.hash))?;
    }
    Ok(())
}

/// YYYY-MM-DD without allocating, for years 0 to 9999.
fn iso_date(d: NaiveDate, out: &mut [u8; 10]) -> Option<&str> {
    let y = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let digit = |n: u32| b'0' + u8::try_from(n % 10).unwrap_or(0);
    *out = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(d.month() / 10),
        digit(d.month()),
        b'-',
        digit(d.day() / 10),
        digit(d.day()),
    ];
    std::str::from_utf8(out).ok()
}

/// The page cache of this connection, in KiB (SQLite; team books' cache is
/// their server's, and this is 0 there).
pub fn cache_kib(c: &Tx) -> StoreResult<i64> {
    if c.lite().is_none() {
        return Ok(0);
    }
    let pages: i64 = c.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    if pages < 0 {
        return Ok(-pages);
    }
    let page_size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    Ok(pages * page_size / 1024)
}

/// Sets the page cache of this connection (durability is unchanged: it
/// only decides how much of the file stays in memory).
pub fn set_cache_kib(c: &Tx, kib: i64) -> StoreResult<()> {
    if let Some(c) = c.lite() {
        c.pragma_update(None, "cache_size", -kib)?;
    }
    Ok(())
}
