//! Exports: every table of the books as plain rows, and the Xero account
//! mapping rules.

use crate::params;
use crate::sql::ValueRef;
use crate::sql::{Engine, OptionalExtension, Tx};
use serde::{Deserialize, Serialize};

use crate::error::StoreResult;

/// One table: its column names and rows. Integers stay integers (money is in
/// minor units, `*_minor`); text — including every decimal — stays text.
#[derive(Debug, Clone, Serialize)]
pub struct TableDump {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// The names of the books' tables (not the engine's own), sorted: the same
/// list on SQLite and on PostgreSQL.
pub fn table_names(c: &Tx) -> StoreResult<Vec<String>> {
    let mut st = c.prepare(match c.engine() {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Engine::Postgres => {
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'billable_books'
             ORDER BY 1"
        }
    })?;
    let names = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(names)
}

/// Every row of every table, ordered by the first column (the id, where
/// there is one), then by the other columns in the order of their names:
/// the same order on either engine (text byte-wise, NULLs first), so the
/// same books export the same wherever they are kept.
pub fn dump_all(c: &Tx) -> StoreResult<Vec<TableDump>> {
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let mut out = Vec::new();
    for name in table_names(c)? {
        let quoted = quote(&name);
        let columns: Vec<String> = c.prepare(&format!("SELECT * FROM {quoted} LIMIT 0"))?.column_names()?;
        let mut order: Vec<&String> = columns.iter().collect();
        order[1..].sort();
        let nulls = if c.engine() == Engine::Postgres { " NULLS FIRST" } else { "" };
        let order: Vec<String> = order.iter().map(|col| format!("{}{nulls}", quote(col))).collect();
        let mut st = c.prepare(&format!("SELECT * FROM {quoted} ORDER BY {}", order.join(", ")))?;
        let n = columns.len();
        let mut rows = Vec::new();
        let mut q = st.query([])?;
        while let Some(ref r) = q.next()? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(match r.get_ref(i)? {
                    ValueRef::Null => serde_json::Value::Null,
                    ValueRef::Integer(v) => serde_json::Value::from(v),
                    // No column holds a float; keep any such value exact as text.
                    ValueRef::Text(t) => serde_json::Value::String(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => serde_json::Value::String(b.iter().map(|x| format!("{x:02x}")).collect()),
                });
            }
            rows.push(row);
        }
        out.push(TableDump { name, columns, rows });
    }
    Ok(out)
}

/// What an account rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Task,
    Project,
    Default,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Task => "task",
            RuleKind::Project => "project",
            RuleKind::Default => "default",
        }
    }
}

/// A Xero account code for a task, a project, or the default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AccountRule {
    pub id: i64,
    pub kind: RuleKind,
    pub target_id: Option<i64>,
    /// The task's or project's name (client / project / task).
    pub target_name: Option<String>,
    pub account_code: String,
    pub description: String,
}

pub fn account_rules(c: &Tx) -> StoreResult<Vec<AccountRule>> {
    let mut st = c.prepare(
        "SELECT r.id, r.kind, r.target_id, r.account_code, r.description,
                CASE r.kind
                  WHEN 'task' THEN (SELECT cl.name || ' / ' || p.name || ' / ' || t.name FROM tasks t
                                    JOIN projects p ON p.id = t.project_id JOIN clients cl ON cl.id = p.client_id
                                    WHERE t.id = r.target_id)
                  WHEN 'project' THEN (SELECT cl.name || ' / ' || p.name FROM projects p
                                       JOIN clients cl ON cl.id = p.client_id WHERE p.id = r.target_id)
                END
         FROM xero_account_rules r
         ORDER BY CASE r.kind WHEN 'default' THEN 0 WHEN 'project' THEN 1 ELSE 2 END, r.target_id",
    )?;
    let rows = st.query_map([], |r| {
        let kind: String = r.get(1)?;
        Ok(AccountRule {
            id: r.get(0)?,
            kind: match kind.as_str() {
                "task" => RuleKind::Task,
                "project" => RuleKind::Project,
                _ => RuleKind::Default,
            },
            target_id: r.get(2)?,
            account_code: r.get(3)?,
            description: r.get(4)?,
            target_name: r.get(5)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// Sets the account code for a target (replacing its rule, if any).
pub fn set_account_rule(
    c: &Tx,
    kind: RuleKind,
    target_id: Option<i64>,
    code: &str,
    description: &str,
) -> StoreResult<()> {
    remove_account_rule(c, kind, target_id)?;
    c.execute(
        "INSERT INTO xero_account_rules (kind, target_id, account_code, description) VALUES (?1, ?2, ?3, ?4)",
        params![kind.as_str(), target_id, code, description],
    )?;
    Ok(())
}

/// Removes a target's rule; false when it had none.
pub fn remove_account_rule(c: &Tx, kind: RuleKind, target_id: Option<i64>) -> StoreResult<bool> {
    let n = c.execute(
        "DELETE FROM xero_account_rules WHERE kind = ?1 AND target_id IS ?2",
        params![kind.as_str(), target_id],
    )?;
    Ok(n > 0)
}

pub fn account_rule(c: &Tx, kind: RuleKind, target_id: Option<i64>) -> StoreResult<Option<String>> {
    c.query_row(
        "SELECT account_code FROM xero_account_rules WHERE kind = ?1 AND target_id IS ?2",
        params![kind.as_str(), target_id],
        |r| r.get(0),
    )
    .optional()
}

/// The (project, task) pairs of the time entries billed by an invoice line.
pub fn line_targets(c: &Tx, line_id: i64) -> StoreResult<Vec<(i64, Option<i64>)>> {
    let mut st =
        c.prepare_cached("SELECT DISTINCT project_id, task_id FROM time_entries WHERE invoice_line_id = ?1")?;
    let rows = st.query_map([line_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_, _>>()
}
