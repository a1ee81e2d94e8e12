//! Importing time entries: names matched case-insensitively, and a stable
//! hash per imported row (unique) so the same file imported twice creates
//! nothing new. Statements are prepared once and reused across rows.

use billable_core::model::TimeEntry;
use rusqlite::{params, Connection, OptionalExtension};

use crate::codec::dec_text_opt;
use crate::error::StoreResult;

pub fn client_id_by_name(c: &Connection, name: &str) -> StoreResult<Option<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM clients WHERE name = ?1 COLLATE NOCASE")?;
    Ok(st.query_row([name], |r| r.get(0)).optional()?)
}

pub fn project_id_by_name(c: &Connection, client_id: i64, name: &str) -> StoreResult<Option<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM projects WHERE client_id = ?1 AND name = ?2 COLLATE NOCASE")?;
    Ok(st.query_row(params![client_id, name], |r| r.get(0)).optional()?)
}

pub fn task_id_by_name(c: &Connection, project_id: i64, name: &str) -> StoreResult<Option<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM tasks WHERE project_id = ?1 AND name = ?2 COLLATE NOCASE")?;
    Ok(st.query_row(params![project_id, name], |r| r.get(0)).optional()?)
}

pub fn member_id_by_name(c: &Connection, name: &str) -> StoreResult<Option<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM members WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1")?;
    Ok(st.query_row([name], |r| r.get(0)).optional()?)
}

/// True when a row with this hash was imported before.
pub fn is_imported(c: &Connection, hash: &str) -> StoreResult<bool> {
    let mut st = c.prepare_cached("SELECT 1 FROM imported_rows WHERE hash = ?1")?;
    Ok(st.exists([hash])?)
}

/// Inserts an imported entry and records its row hash, with statements
/// prepared once per transaction.
pub fn insert_imported_entry(c: &Connection, e: &TimeEntry, hash: &str, source: &str, now: i64) -> StoreResult<i64> {
    let mut st = c.prepare_cached(
        "INSERT INTO time_entries (member_id, client_id, project_id, task_id, work_date, start_at, end_at,
            seconds, description, billable, rate, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    st.execute(params![
        e.member_id,
        e.client_id,
        e.project_id,
        e.task_id,
        e.date.to_string(),
        e.start_at.map(|t| t.timestamp()),
        e.end_at.map(|t| t.timestamp()),
        e.seconds,
        e.description,
        e.billable,
        dec_text_opt(e.rate),
        now
    ])?;
    let id = c.last_insert_rowid();
    let mut rec =
        c.prepare_cached("INSERT INTO imported_rows (hash, source, entry_id, imported_at) VALUES (?1, ?2, ?3, ?4)")?;
    rec.execute(params![hash, source, id, now])?;
    Ok(id)
}
