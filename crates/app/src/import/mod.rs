//! Importing time entries from Toggl Track, Clockify, Harvest and the
//! generic CSV. Clients, projects, tasks and members are matched by name
//! (case-insensitively) or created; every row is recorded by a stable hash so
//! importing the same file twice creates nothing new. A row error names its
//! line and column, and then nothing is written. Everything happens in one
//! transaction; a dry run rehearses it and rolls back.

pub mod formats;

use std::collections::HashMap;
use std::path::Path;

use billable_core::model::{require_name, Client, Member, Project, Task, TimeEntry};
use billable_core::time::display_hours;
use billable_store::catalog as cat;
use billable_store::import as db;
use billable_store::Tx;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use formats::{Fallbacks, Format, ImportRow, ReadOptions, RowError, GENERIC_COLUMNS};

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::Billable;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImportInput {
    /// toggl, clockify, harvest or generic; detected from the header when unset.
    pub format: Option<String>,
    /// Only show what would be created.
    pub dry_run: bool,
    /// Read dates like 03/04/2026 day first.
    pub day_first: bool,
    /// The client for rows whose client column is empty.
    pub default_client: Option<String>,
    /// The project for rows whose project column is empty.
    pub default_project: Option<String>,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub format: Format,
    pub dry_run: bool,
    /// Rows with time in the file.
    pub rows: u64,
    /// Entries created (or that would be).
    pub entries: u64,
    /// Rows imported before, skipped.
    pub already_imported: u64,
    /// Rows with no time, skipped.
    pub empty_rows: u64,
    pub clients: u64,
    pub projects: u64,
    pub tasks: u64,
    pub members: u64,
    /// Hours of the new entries.
    pub hours: Decimal,
    /// The first new rows.
    pub preview: Vec<ImportRow>,
}

/// Names already resolved in this import.
#[derive(Default)]
struct Names {
    clients: HashMap<String, i64>,
    projects: HashMap<(i64, String), i64>,
    tasks: HashMap<(i64, String), i64>,
    members: HashMap<String, i64>,
}

fn row_error(line: u64, column: &str, e: AppError) -> AppError {
    let message = match &e {
        AppError::Invalid { message, .. } => message.clone(),
        other => other.to_string(),
    };
    AppError::invalid(&format!("line {line}, column {column}"), message)
}

fn errors_to_app(errors: Vec<RowError>) -> AppError {
    let first = errors.first().cloned().unwrap_or(RowError { line: 0, column: "?".into(), message: "?".into() });
    let mut message = first.message.clone();
    if errors.len() > 1 {
        let rest: Vec<String> = errors.iter().skip(1).take(19).map(|e| e.to_string()).collect();
        message.push_str(&format!(
            " ({} more: {}{}); nothing was imported",
            errors.len() - 1,
            rest.join("; "),
            if errors.len() > 20 { "; …" } else { "" }
        ));
    } else {
        message.push_str("; nothing was imported");
    }
    AppError::invalid(&format!("line {}, column {}", first.line, first.column), message)
}

fn run(
    tx: &Tx,
    clock: &dyn Clock,
    parsed: formats::Parsed,
    dry_run: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> AppResult<ImportOutcome> {
    let total = parsed.rows.len() as u64;
    let now = clock.now().timestamp();
    let source = parsed.format.as_str();
    let default_member = cat::default_member(tx)?.map(|m| m.id);
    let mut names = Names::default();
    let mut out = ImportOutcome {
        format: parsed.format,
        dry_run,
        rows: total,
        entries: 0,
        already_imported: 0,
        empty_rows: parsed.empty_rows,
        clients: 0,
        projects: 0,
        tasks: 0,
        members: 0,
        hours: Decimal::ZERO,
        preview: Vec::new(),
    };
    let mut seconds: i64 = 0;
    for (done, (row, hash)) in parsed.rows.into_iter().enumerate() {
        if done % 1000 == 0 {
            progress(done as u64, total);
        }
        if db::is_imported(tx, &hash)? {
            out.already_imported += 1;
            continue;
        }
        let line = row.line;
        let client_key = row.client.to_lowercase();
        let client_id = match names.clients.get(&client_key) {
            Some(id) => *id,
            None => {
                let id = match db::client_id_by_name(tx, &row.client)? {
                    Some(id) => id,
                    None => {
                        let name =
                            require_name("client", &row.client).map_err(|e| row_error(line, "client", e.into()))?;
                        out.clients += 1;
                        cat::insert_client(tx, &new_client(name))?
                    }
                };
                names.clients.insert(client_key, id);
                id
            }
        };
        let project_key = (client_id, row.project.to_lowercase());
        let project_id = match names.projects.get(&project_key) {
            Some(id) => *id,
            None => {
                let id = match db::project_id_by_name(tx, client_id, &row.project)? {
                    Some(id) => id,
                    None => {
                        let name =
                            require_name("project", &row.project).map_err(|e| row_error(line, "project", e.into()))?;
                        out.projects += 1;
                        cat::insert_project(tx, &new_project(client_id, name))?
                    }
                };
                names.projects.insert(project_key, id);
                id
            }
        };
        let task_id = match &row.task {
            None => None,
            Some(task) => {
                let key = (project_id, task.to_lowercase());
                Some(match names.tasks.get(&key) {
                    Some(id) => *id,
                    None => {
                        let id = match db::task_id_by_name(tx, project_id, task)? {
                            Some(id) => id,
                            None => {
                                let name = require_name("task", task).map_err(|e| row_error(line, "task", e.into()))?;
                                out.tasks += 1;
                                cat::insert_task(tx, &Task { id: 0, project_id, name, rate: None, archived: false })?
                            }
                        };
                        names.tasks.insert(key, id);
                        id
                    }
                })
            }
        };
        let member_id = match &row.member {
            None => {
                default_member.ok_or_else(|| AppError::conflict("there is no active team member to import time for"))?
            }
            Some(member) => {
                let key = member.to_lowercase();
                match names.members.get(&key) {
                    Some(id) => *id,
                    None => {
                        let id = match db::member_id_by_name(tx, member)? {
                            Some(id) => id,
                            None => {
                                let name =
                                    require_name("member", member).map_err(|e| row_error(line, "member", e.into()))?;
                                out.members += 1;
                                cat::insert_member(
                                    tx,
                                    &Member { id: 0, name, email: String::new(), default_rate: None, archived: false },
                                )?
                            }
                        };
                        names.members.insert(key, id);
                        id
                    }
                }
            }
        };
        let description =
            crate::parse::text("description", &row.description).map_err(|e| row_error(line, "description", e))?;
        let entry = TimeEntry {
            id: 0,
            member_id,
            client_id,
            project_id,
            task_id,
            date: row.date,
            start_at: row.start.map(|s| clock.local_to_utc(s)),
            end_at: row.start.map(|s| clock.local_to_utc(s + chrono::Duration::seconds(row.seconds))),
            seconds: row.seconds,
            description,
            billable: row.billable,
            rate: row.rate,
            invoice_id: None,
        };
        db::insert_imported_entry(tx, &entry, &hash, source, now)?;
        out.entries += 1;
        seconds += row.seconds;
        if out.preview.len() < 5 {
            out.preview.push(row);
        }
    }
    progress(total, total);
    out.hours = display_hours(seconds);
    Ok(out)
}

fn new_client(name: String) -> Client {
    Client {
        id: 0,
        name,
        contact_person: String::new(),
        emails: Vec::new(),
        address: String::new(),
        country: String::new(),
        tax_id: String::new(),
        currency: None,
        payment_terms_days: None,
        tax_rate_ids: Vec::new(),
        rounding: None,
        rate: None,
        archived: false,
        street: String::new(),
        postcode: String::new(),
        city: String::new(),
        buyer_reference: String::new(),
    }
}

fn new_project(client_id: i64, name: String) -> Project {
    Project {
        id: 0,
        client_id,
        name,
        billing_type: Default::default(),
        rate: None,
        budget: None,
        rounding: None,
        archived: false,
    }
}

impl Billable {
    /// Imports the time entries of a file (see [`Format`]); `progress` is
    /// told (rows done, rows in all) as the import goes.
    pub fn import_time(
        &mut self,
        path: &Path,
        i: ImportInput,
        progress: &mut dyn FnMut(u64, u64),
    ) -> AppResult<ImportOutcome> {
        let format = match i.format.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            None => None,
            Some(f) => Some(Format::parse(f).ok_or_else(|| {
                AppError::invalid("format", format!("'{f}' is not a format; use toggl, clockify, harvest or generic"))
            })?),
        };
        let bytes = std::fs::read(path)
            .map_err(|e| AppError::invalid("file", format!("could not read {}: {e}", path.display())))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            AppError::invalid("file", format!("{} is not UTF-8 text; export it as UTF-8 CSV", path.display()))
        })?;
        let fallbacks = Fallbacks {
            client: i.default_client.clone().filter(|c| !c.trim().is_empty()),
            project: i.default_project.clone().filter(|p| !p.trim().is_empty()),
        };
        let parsed = formats::parse_file(&text, format, ReadOptions { day_first: i.day_first }, &fallbacks)
            .map_err(errors_to_app)?;
        let clock = self.clock.as_ref();
        if i.dry_run {
            self.store.rehearse(|tx| run(tx, clock, parsed, true, progress)).map_err(|e| e.during("preview the import"))
        } else {
            self.store.write(|tx| run(tx, clock, parsed, false, progress)).map_err(|e| e.during("import time"))
        }
    }
}
