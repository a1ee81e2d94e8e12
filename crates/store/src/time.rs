//! Time entries and running timers.

use crate::params;
use crate::sql::Value;
use crate::sql::{params_from_iter, OptionalExtension, Param, Row, Tx};
use billable_core::model::{Approval, RunningTimer, TimeEntry};
use billable_core::rates::RateChain;
use billable_core::time::RoundingPolicy;
use chrono::NaiveDate;

use crate::codec::*;
use crate::error::StoreResult;

const ENTRY_COLS: &str = "e.id, e.member_id, e.client_id, e.project_id, e.task_id, e.work_date, e.start_at,
    e.end_at, e.seconds, e.description, e.billable, e.rate, e.invoice_id, e.billed_outside, e.approval, e.approval_reason";

fn entry_row(r: &Row) -> StoreResult<TimeEntry> {
    Ok(TimeEntry {
        id: r.get(0)?,
        member_id: r.get(1)?,
        client_id: r.get(2)?,
        project_id: r.get(3)?,
        task_id: r.get(4)?,
        date: date(r, 5)?,
        start_at: ts_opt(r, 6)?,
        end_at: ts_opt(r, 7)?,
        seconds: r.get(8)?,
        description: r.get(9)?,
        billable: r.get(10)?,
        rate: dec_opt(r, 11)?,
        invoice_id: r.get(12)?,
        billed_outside: r.get(13)?,
        approval: parsed_opt::<Approval>(r, 14)?.unwrap_or_default(),
        approval_reason: r.get(15)?,
    })
}

/// The columns of an entry its writers set, in the order of
/// [`with_entry_params`].
pub(crate) const ENTRY_WRITE_COLS: &str =
    "member_id, client_id, project_id, task_id, work_date, start_at, end_at, seconds, description, billable, rate";

/// Calls `f` with an entry's values for [`ENTRY_WRITE_COLS`]: the one
/// encoding of an entry every writer uses.
pub(crate) fn with_entry_params<R>(e: &TimeEntry, f: impl FnOnce(&[&dyn Param]) -> StoreResult<R>) -> StoreResult<R> {
    let date = e.date.to_string();
    let start_at = e.start_at.map(|t| t.timestamp());
    let end_at = e.end_at.map(|t| t.timestamp());
    let rate = dec_text_opt(e.rate);
    f(&[
        &e.member_id,
        &e.client_id,
        &e.project_id,
        &e.task_id,
        &date,
        &start_at,
        &end_at,
        &e.seconds,
        &e.description,
        &e.billable,
        &rate,
    ])
}

pub fn insert_entry(c: &Tx, e: &TimeEntry, now: i64) -> StoreResult<i64> {
    with_entry_params(e, |values| {
        let mut st = c.prepare_cached(&format!(
            "INSERT INTO time_entries ({ENTRY_WRITE_COLS}, created_at) VALUES ({})",
            placeholders(values.len() + 1)
        ))?;
        let id = st.insert(&*[values, &[&now]].concat())?;
        Ok(id)
    })
}

/// Updates an unbilled entry; returns false when the entry is billed (or
/// gone), in which case nothing changed.
pub fn update_unbilled_entry(c: &Tx, e: &TimeEntry) -> StoreResult<bool> {
    with_entry_params(e, |values| {
        let mut st = c.prepare_cached(&format!(
            "UPDATE time_entries SET ({ENTRY_WRITE_COLS}) = ({}) WHERE id = ?{} AND invoice_id IS NULL",
            placeholders(values.len()),
            values.len() + 1
        ))?;
        Ok(st.execute(&*[values, &[&e.id]].concat())? == 1)
    })
}

pub fn delete_unbilled_entry(c: &Tx, id: i64) -> StoreResult<bool> {
    Ok(c.execute("DELETE FROM time_entries WHERE id = ?1 AND invoice_id IS NULL", [id])? == 1)
}

pub fn entry(c: &Tx, id: i64) -> StoreResult<Option<TimeEntry>> {
    c.query_row(&format!("SELECT {ENTRY_COLS} FROM time_entries e WHERE e.id = ?1"), [id], entry_row).optional()
}

/// Filters for listing entries; every field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub client_id: Option<i64>,
    pub project_id: Option<i64>,
    pub task_id: Option<i64>,
    pub member_id: Option<i64>,
    pub billable: Option<bool>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub unbilled_only: bool,
    pub invoice_id: Option<i64>,
    pub ids: Option<Vec<i64>>,
    /// Only entries in this approval state.
    pub approval: Option<Approval>,
    /// Only entries an invoice from time may bill, or only those it holds
    /// back, by their projects' "bill only approved time".
    pub gate: Gate,
    pub limit: Option<u32>,
    /// Only the newest this many (latest day first, then the entry
    /// recorded last), still listed oldest first.
    pub latest: Option<u32>,
}

/// Which entries pass the approval gate of invoicing from time: a project
/// with `approval_required` bills only its approved entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Gate {
    #[default]
    Any,
    /// Entries an invoice may bill (the project needs no approval, or the
    /// entry is approved).
    Passes,
    /// Entries held back (the project needs approval, the entry has none).
    Held,
}

/// An entry with the names and rates around it.
#[derive(Debug, Clone)]
pub struct EntryDetail {
    pub entry: TimeEntry,
    pub client_name: String,
    pub project_name: String,
    pub task_name: Option<String>,
    pub member_name: String,
    /// Every rate but the business default, most specific first.
    pub rates: RateChain,
    /// The project's rounding policy, else the client's.
    pub rounding: Option<RoundingPolicy>,
}

fn detail_row(r: &Row) -> StoreResult<EntryDetail> {
    let entry = entry_row(r)?;
    let base = 16;
    // Read in place: a long list would otherwise copy the same policy text
    // out of every row.
    let rounding = |i: usize| -> StoreResult<Option<RoundingPolicy>> {
        Ok(r.get_ref(i)?.as_str_or_null().ok().flatten().and_then(|s| RoundingPolicy::parse(s).ok()))
    };
    let rounding = match rounding(base + 8)? {
        Some(p) => Some(p),
        None => rounding(base + 9)?,
    };
    Ok(EntryDetail {
        rates: RateChain {
            entry: entry.rate,
            task: dec_opt(r, base + 4)?,
            project: dec_opt(r, base + 5)?,
            client: dec_opt(r, base + 6)?,
            member: dec_opt(r, base + 7)?,
            business: None,
        },
        entry,
        client_name: r.get(base)?,
        project_name: r.get(base + 1)?,
        task_name: r.get(base + 2)?,
        member_name: r.get(base + 3)?,
        rounding,
    })
}

/// The projects of the entries since `from`, the latest day first (within a
/// day, the entry recorded last first), each once, as long as `wanted`
/// returns true for each new one; reads entries only until `enough` are found,
/// a batch at a time (team books send a statement's rows all at once: the
/// whole range would cross the network for the first few projects).
pub fn recent_project_ids(
    c: &Tx,
    from: NaiveDate,
    enough: usize,
    mut wanted: impl FnMut(i64) -> StoreResult<bool>,
) -> StoreResult<Vec<i64>> {
    const BATCH: i64 = 256;
    let mut st = c.prepare_cached(
        "SELECT project_id, work_date, id FROM time_entries INDEXED BY time_entries_date
         WHERE work_date >= ?1 AND (work_date, id) < (?2, ?3)
         ORDER BY work_date DESC, id DESC LIMIT ?4",
    )?;
    let mut seen: Vec<i64> = Vec::new();
    let mut out = Vec::new();
    // Before every entry: a day after any, an id above any.
    let mut after = ("9999-12-31".to_string(), i64::MAX);
    while out.len() < enough {
        let batch: Vec<(i64, String, i64)> = st
            .query_map(params![from.to_string(), after.0, after.1, BATCH], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<StoreResult<_>>()?;
        let last = batch.len() < BATCH as usize;
        for (project, date, id) in batch {
            after = (date, id);
            if out.len() == enough || seen.contains(&project) {
                continue;
            }
            seen.push(project);
            if wanted(project)? {
                out.push(project);
            }
        }
        if last {
            break;
        }
    }
    Ok(out)
}

/// Entries matching the filter, oldest first, with names and rates.
pub fn entries(c: &Tx, f: &EntryFilter) -> StoreResult<Vec<EntryDetail>> {
    let (sql, args) = entries_query(f);
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(params_from_iter(args), detail_row)?;
    rows.collect::<Result<_, _>>()
}

/// How many entries match the filter and their seconds (its `latest` and
/// `limit` are ignored).
pub fn entries_total(c: &Tx, f: &EntryFilter) -> StoreResult<(u64, i64)> {
    let w = entries_where(f);
    let mut st = c.prepare_cached(&format!(
        "SELECT COUNT(*), COALESCE(SUM(e.seconds), 0) FROM time_entries e JOIN projects p ON p.id = e.project_id {}",
        w.sql()
    ))?;
    st.query_row(params_from_iter(w.args), |r| Ok((r.get::<i64>(0)? as u64, r.get(1)?)))
}

fn entries_where(f: &EntryFilter) -> Where {
    let mut w = Where::default();
    if let Some(v) = f.client_id {
        w.bind("e.client_id = ?", v);
    }
    if let Some(v) = f.project_id {
        w.bind("e.project_id = ?", v);
    }
    if let Some(v) = f.task_id {
        w.bind("e.task_id = ?", v);
    }
    if let Some(v) = f.member_id {
        w.bind("e.member_id = ?", v);
    }
    if let Some(v) = f.billable {
        w.bind("e.billable = ?", i64::from(v));
    }
    if let Some(v) = f.from {
        w.bind("e.work_date >= ?", v.to_string());
    }
    if let Some(v) = f.to {
        w.bind("e.work_date <= ?", v.to_string());
    }
    if let Some(v) = f.invoice_id {
        w.bind("e.invoice_id = ?", v);
    }
    if f.unbilled_only {
        w.raw("e.invoice_id IS NULL AND e.billed_outside IS NULL AND e.billable = 1");
    }
    if let Some(ids) = &f.ids {
        w.ids("e.id", ids);
    }
    match f.approval {
        None => {}
        Some(Approval::None) => w.raw("e.approval IS NULL"),
        Some(a) => w.bind("e.approval = ?", a.as_str().to_string()),
    }
    match f.gate {
        Gate::Any => {}
        Gate::Passes => w.raw("(p.approval_required = 0 OR e.approval = 'approved')"),
        Gate::Held => w.raw("p.approval_required = 1 AND e.approval IS NOT 'approved'"),
    }
    w
}

fn entries_query(f: &EntryFilter) -> (String, Vec<Value>) {
    let w = entries_where(f);
    let limit = f.limit.map(|l| format!("LIMIT {l}")).unwrap_or_default();
    if let Some(n) = f.latest {
        // The newest n by the date index (no sort of the whole range), then
        // in the usual order.
        let sql = format!(
            "SELECT * FROM (
                 SELECT {ENTRY_COLS}, cl.name, p.name, t.name, m.name, t.rate, p.rate, cl.rate, m.default_rate,
                        p.rounding, cl.rounding
                 FROM time_entries e
                 JOIN projects p ON p.id = e.project_id
                 JOIN clients cl ON cl.id = e.client_id
                 JOIN members m ON m.id = e.member_id
                 LEFT JOIN tasks t ON t.id = e.task_id
                 {}
                 ORDER BY e.work_date DESC, e.id DESC
                 LIMIT {n}) AS latest
             ORDER BY work_date, start_at, id
             {limit}",
            w.sql()
        );
        return (sql, w.args);
    }
    let sql = format!(
        "SELECT {ENTRY_COLS}, cl.name, p.name, t.name, m.name, t.rate, p.rate, cl.rate, m.default_rate,
                p.rounding, cl.rounding
         FROM time_entries e
         JOIN projects p ON p.id = e.project_id
         JOIN clients cl ON cl.id = e.client_id
         JOIN members m ON m.id = e.member_id
         LEFT JOIN tasks t ON t.id = e.task_id
         {}
         ORDER BY e.work_date, e.start_at, e.id
         {limit}",
        w.sql()
    );
    (sql, w.args)
}

/// Marks entries as billed by an invoice line — only those still unbilled
/// and billable. Returns how many were marked; the caller rolls back when it
/// is fewer than asked for, so an entry is never billed twice.
pub fn mark_billed(c: &Tx, ids: &[i64], invoice_id: i64, line_id: i64) -> StoreResult<usize> {
    let mut st = c.prepare_cached(
        "UPDATE time_entries SET invoice_id = ?1, invoice_line_id = ?2
         WHERE id = ?3 AND invoice_id IS NULL AND billed_outside IS NULL AND billable = 1",
    )?;
    let mut n = 0;
    for id in ids {
        n += st.execute(params![invoice_id, line_id, id])?;
    }
    Ok(n)
}

/// Marks entries as invoiced outside Billable, with that invoice's
/// reference ('' for none) — only those not billed by an invoice here.
/// Entries marked already take the new reference. Returns how many.
pub fn mark_billed_outside(c: &Tx, ids: &[i64], reference: &str) -> StoreResult<usize> {
    let mut st =
        c.prepare_cached("UPDATE time_entries SET billed_outside = ?1 WHERE id = ?2 AND invoice_id IS NULL")?;
    let mut n = 0;
    for id in ids {
        n += st.execute(params![reference, id])?;
    }
    Ok(n)
}

/// Sets the approval of entries not billed yet (`reason` is kept only for a
/// rejection). Returns how many changed; billed entries are left alone.
pub fn set_approval(c: &Tx, ids: &[i64], approval: Approval, reason: &str) -> StoreResult<usize> {
    let state = (approval != Approval::None).then_some(approval.as_str());
    let reason = if approval == Approval::Rejected { reason } else { "" };
    let mut st = c.prepare_cached(
        "UPDATE time_entries SET approval = ?1, approval_reason = ?2
         WHERE id = ?3 AND invoice_id IS NULL AND billed_outside IS NULL",
    )?;
    let mut n = 0;
    for id in ids {
        n += st.execute(params![state, reason, id])?;
    }
    Ok(n)
}

/// Takes the outside-invoice mark off entries; returns how many had it.
pub fn unmark_billed_outside(c: &Tx, ids: &[i64]) -> StoreResult<usize> {
    let mut st =
        c.prepare_cached("UPDATE time_entries SET billed_outside = NULL WHERE id = ?1 AND billed_outside IS NOT NULL")?;
    let mut n = 0;
    for id in ids {
        n += st.execute([id])?;
    }
    Ok(n)
}

/// Releases every entry billed by an invoice; returns how many.
pub fn release_invoice(c: &Tx, invoice_id: i64) -> StoreResult<usize> {
    c.execute("UPDATE time_entries SET invoice_id = NULL, invoice_line_id = NULL WHERE invoice_id = ?1", [invoice_id])
}

/// Releases the entries billed by one line; returns how many.
pub fn release_line(c: &Tx, line_id: i64) -> StoreResult<usize> {
    c.execute("UPDATE time_entries SET invoice_id = NULL, invoice_line_id = NULL WHERE invoice_line_id = ?1", [line_id])
}

// ---- timers ---------------------------------------------------------------

fn timer_row(r: &Row) -> StoreResult<RunningTimer> {
    Ok(RunningTimer {
        member_id: r.get(0)?,
        project_id: r.get(1)?,
        task_id: r.get(2)?,
        description: r.get(3)?,
        billable: r.get(4)?,
        started_at: ts(r, 5)?,
    })
}

pub fn timer(c: &Tx, member_id: i64) -> StoreResult<Option<RunningTimer>> {
    c.query_row(
        "SELECT member_id, project_id, task_id, description, billable, started_at
         FROM running_timers WHERE member_id = ?1",
        [member_id],
        timer_row,
    )
    .optional()
}

pub fn timers(c: &Tx) -> StoreResult<Vec<RunningTimer>> {
    let mut st = c.prepare(
        "SELECT member_id, project_id, task_id, description, billable, started_at FROM running_timers
         ORDER BY started_at",
    )?;
    let rows = st.query_map([], timer_row)?;
    rows.collect::<Result<_, _>>()
}

pub fn insert_timer(c: &Tx, t: &RunningTimer) -> StoreResult<()> {
    c.execute(
        "INSERT INTO running_timers (member_id, project_id, task_id, description, billable, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![t.member_id, t.project_id, t.task_id, t.description, t.billable, t.started_at.timestamp()],
    )?;
    Ok(())
}

/// Removes a member's timer; returns whether one was running.
pub fn delete_timer(c: &Tx, member_id: i64) -> StoreResult<bool> {
    Ok(c.execute("DELETE FROM running_timers WHERE member_id = ?1", [member_id])? == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn plan(sql: &str, args: Vec<Value>) -> String {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = st.query_map(params_from_iter(args), |r| r.get::<String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn unbilled_time_for_a_client_uses_the_partial_index() {
        let f = EntryFilter { client_id: Some(1), unbilled_only: true, ..Default::default() };
        let (sql, args) = entries_query(&f);
        let p = plan(&sql, args);
        assert!(p.contains("USING INDEX time_entries_unbilled"), "{p}");
        assert!(!p.contains("SCAN e"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "the list comes out of the index in order: {p}");
    }

    #[test]
    fn gated_unbilled_time_still_uses_the_partial_index_and_approvals_their_own() {
        let f = EntryFilter { client_id: Some(1), unbilled_only: true, gate: Gate::Passes, ..Default::default() };
        let (sql, args) = entries_query(&f);
        let p = plan(&sql, args);
        assert!(p.contains("USING INDEX time_entries_unbilled"), "{p}");
        let f = EntryFilter { approval: Some(Approval::Submitted), ..Default::default() };
        let (sql, args) = entries_query(&f);
        let p = plan(&sql, args);
        assert!(p.contains("USING INDEX time_entries_approval"), "{p}");
    }

    #[test]
    fn the_gate_splits_unbilled_time_by_approval() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        c.execute_batch(
            "INSERT INTO clients (id, name) VALUES (1, 'Acme');
             INSERT INTO projects (id, client_id, name, approval_required) VALUES (1, 1, 'Gated', 1), (2, 1, 'Open', 0);",
        )
        .unwrap();
        let add = |project_id: i64, seconds: i64| {
            let e = TimeEntry {
                id: 0,
                member_id: 1,
                client_id: 1,
                project_id,
                task_id: None,
                date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
                start_at: None,
                end_at: None,
                seconds,
                description: String::new(),
                billable: true,
                rate: None,
                invoice_id: None,
                billed_outside: None,
                approval: Approval::None,
                approval_reason: String::new(),
            };
            insert_entry(c, &e, 0).unwrap()
        };
        let gated_approved = add(1, 3600);
        let gated_submitted = add(1, 1800);
        add(1, 900);
        let open = add(2, 600);
        set_approval(c, &[gated_approved], Approval::Approved, "ignored").unwrap();
        set_approval(c, &[gated_submitted], Approval::Submitted, "").unwrap();
        set_approval(c, &[open], Approval::Rejected, "why").unwrap();
        let f = |gate| EntryFilter { client_id: Some(1), unbilled_only: true, gate, ..Default::default() };
        let ids = |g| entries(c, &f(g)).unwrap().iter().map(|d| d.entry.id).collect::<Vec<_>>();
        assert_eq!(ids(Gate::Passes), vec![gated_approved, open]);
        assert_eq!(entries_total(c, &f(Gate::Held)).unwrap(), (2, 2700));
        assert_eq!(entries_total(c, &f(Gate::Any)).unwrap(), (4, 6900));
        assert_eq!(entry(c, gated_approved).unwrap().unwrap().approval_reason, "", "only a rejection keeps a reason");
        assert_eq!(entry(c, open).unwrap().unwrap().approval_reason, "why");
    }

    #[test]
    fn entries_of_a_date_range_use_the_date_index() {
        let f = EntryFilter { from: "2026-01-05".parse().ok(), to: "2026-01-11".parse().ok(), ..Default::default() };
        let (sql, args) = entries_query(&f);
        let p = plan(&sql, args);
        assert!(p.contains("SEARCH e USING INDEX time_entries_date"), "{p}");
    }

    #[test]
    fn entries_of_a_project_in_a_range_use_an_index() {
        let f = EntryFilter {
            project_id: Some(1),
            from: "2026-01-01".parse().ok(),
            to: "2026-01-31".parse().ok(),
            ..Default::default()
        };
        let (sql, args) = entries_query(&f);
        let p = plan(&sql, args);
        assert!(p.contains("SEARCH e USING INDEX"), "{p}");
    }

    /// The rollup as stored, and as computed from the entries now.
    fn rollup_and_truth(c: &Tx) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let rows = |sql: &str| -> Vec<Vec<String>> {
            let mut st = c.prepare(sql).unwrap();
            let n = st.column_count().unwrap();
            st.query_map([], |r| (0..n).map(|i| r.get::<crate::sql::Value>(i).map(|v| format!("{v:?}"))).collect())
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let mut stored = rows(
            "SELECT work_date, project_id, client_id, member_id, task_id, rate, billable, seconds, entries
             FROM time_daily ORDER BY 1, 2, 3, 4, 5, 6, 7",
        );
        let mut truth = rows(
            "SELECT work_date, project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable,
                    SUM(seconds), COUNT(*)
             FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7",
        );
        // The rollup of all days (migration 0015).
        stored.extend(rows(
            "SELECT 'all days', project_id, client_id, member_id, task_id, rate, billable, seconds, entries
             FROM time_worked ORDER BY 2, 3, 4, 5, 6, 7",
        ));
        truth.extend(rows(
            "SELECT 'all days', project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable,
                    SUM(seconds), COUNT(*)
             FROM time_entries GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3, 4, 5, 6, 7",
        ));
        // The projects each invoice bills by its time, and their kinds
        // (migration 0015; these invoices name no project in the header).
        stored
            .extend(rows("SELECT 'link', project_id, invoice_id, entries, header FROM invoice_projects ORDER BY 2, 3"));
        truth.extend(rows(
            "SELECT 'link', project_id, invoice_id, COUNT(*), 0 FROM time_entries WHERE invoice_id IS NOT NULL
             GROUP BY 2, 3 ORDER BY 2, 3",
        ));
        stored.extend(rows(
            "SELECT 'per project', project_id, status, invoices FROM project_invoice_counts WHERE invoices > 0
             ORDER BY 2, 3",
        ));
        truth.extend(rows(
            "SELECT 'per project', te.project_id, i.status, count(DISTINCT te.invoice_id)
             FROM time_entries te JOIN invoices i ON i.id = te.invoice_id GROUP BY 2, 3 ORDER BY 2, 3",
        ));
        stored.extend(rows("SELECT 'kinds', id, project_kinds, project_count FROM invoices ORDER BY 2"));
        truth.extend(rows(
            "SELECT 'kinds', i.id, COALESCE((SELECT MAX(p.billing_type = 'hourly') + 2 * MAX(p.billing_type = 'fixed_price')
                      + 4 * MAX(p.billing_type = 'retainer') + 8 * MAX(p.budget IS NOT NULL) + 16 * MAX(p.budget IS NULL)
                 FROM projects p WHERE p.id IN (SELECT project_id FROM time_entries WHERE invoice_id = i.id)), 0),
                    (SELECT count(DISTINCT project_id) FROM time_entries WHERE invoice_id = i.id)
             FROM invoices i ORDER BY 2",
        ));
        (stored, truth)
    }

    #[test]
    fn the_daily_rollup_equals_the_entries_after_random_changes() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        c.execute_batch(
            "INSERT INTO members (id, name) VALUES (2, 'Ana');
             INSERT INTO clients (id, name) VALUES (1, 'Acme'), (2, 'Globex');
             INSERT INTO projects (id, client_id, name, billing_type, budget)
             VALUES (1, 1, 'Web', 'hourly', NULL), (2, 1, 'App', 'fixed_price', '5000'), (3, 2, 'Audit', 'hourly', '800');
             INSERT INTO tasks (id, project_id, name) VALUES (1, 1, 'Design'), (2, 1, 'Build'), (3, 3, 'Review');
             INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, tax_mode, created_at, updated_at)
             VALUES (1, 'A-1', 1, '2026-01-31', '2026-02-14', 'EUR', 'summary', 0, 0),
                    (2, 'A-2', 2, '2026-01-31', '2026-02-14', 'EUR', 'summary', 0, 0);
             INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, rate, amount_minor)
             VALUES (1, 1, 1, 'Web', '1', '100', 100), (2, 2, 1, 'Audit', '1', '100', 100);",
        )
        .unwrap();
        let mut rng = fastrand::Rng::with_seed(7);
        let projects = [(1, 1, [None, Some(1), Some(2)]), (2, 1, [None, None, None]), (3, 2, [None, Some(3), Some(3)])];
        let rates = [None, Some(rust_decimal::Decimal::new(100, 0)), Some(rust_decimal::Decimal::new(1205, 1))];
        let random_entry = |rng: &mut fastrand::Rng, id: i64| {
            let (project_id, client_id, tasks) = projects[rng.usize(..projects.len())];
            TimeEntry {
                id,
                member_id: rng.i64(1..=2),
                client_id,
                project_id,
                task_id: tasks[rng.usize(..tasks.len())],
                date: NaiveDate::from_ymd_opt(2026, 1, rng.u32(1..=6)).unwrap(),
                start_at: None,
                end_at: None,
                seconds: rng.i64(1..=4) * 900,
                description: String::new(),
                billable: rng.u8(..10) > 1,
                rate: rates[rng.usize(..rates.len())],
                invoice_id: None,
                billed_outside: None,
                approval: Default::default(),
                approval_reason: String::new(),
            }
        };
        let mut ids: Vec<i64> = Vec::new();
        let mut ops = [0usize; 6];
        for step in 0..2_000 {
            let op = if ids.is_empty() { 0 } else { rng.usize(..6) };
            match op {
                0 => ids.push(insert_entry(c, &random_entry(&mut rng, 0), 0).unwrap()),
                1 => {
                    let id = ids[rng.usize(..ids.len())];
                    let mut e = random_entry(&mut rng, id);
                    // Often only one field changes, as an edit does.
                    if rng.bool() {
                        e = TimeEntry { seconds: e.seconds + 60, ..entry(c, id).unwrap().unwrap() };
                    }
                    update_unbilled_entry(c, &e).unwrap();
                }
                2 => {
                    let id = ids.swap_remove(rng.usize(..ids.len()));
                    if !delete_unbilled_entry(c, id).unwrap() {
                        ids.push(id);
                    }
                }
                3 => {
                    let id = ids[rng.usize(..ids.len())];
                    let e = entry(c, id).unwrap().unwrap();
                    let (inv, line) = if e.client_id == 1 { (1, 1) } else { (2, 2) };
                    mark_billed(c, &[id], inv, line).unwrap();
                }
                4 => {
                    release_invoice(c, rng.i64(1..=2)).unwrap();
                }
                _ => {
                    release_line(c, rng.i64(1..=2)).unwrap();
                }
            }
            ops[op] += 1;
            if step % 50 == 0 {
                let (stored, truth) = rollup_and_truth(c);
                assert_eq!(stored, truth, "after step {step}");
            }
        }
        let (stored, truth) = rollup_and_truth(c);
        assert_eq!(stored, truth);
        assert!(ops.iter().all(|n| *n > 100), "every kind of change ran: {ops:?}");
        let billed: i64 =
            c.query_row("SELECT count(*) FROM time_entries WHERE invoice_id IS NOT NULL", [], |r| r.get(0)).unwrap();
        assert!(billed > 0 && !stored.is_empty());
    }
}
