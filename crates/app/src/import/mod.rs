//! Importing time entries from Toggl Track, Clockify, Harvest and the
//! generic CSV. Clients, projects, tasks and members are matched by name
//! (case-insensitively) or created; every row is recorded by a stable hash so
//! importing the same file twice creates nothing new. A row error names its
//! line and column, and then nothing is written. Everything happens in one
//! transaction; a dry run rehearses it and rolls back.
//!
//! The same door takes the vendors' lists of projects and clients (Toggl
//! Track's projects and clients exports, Harvest's clients and projects
//! exports), so rates, currencies, billing types and budgets arrive before
//! the time that is billed at them ([`catalog`], [`catalog_write`]).

pub mod catalog;
pub mod catalog_write;
pub mod expenses;
pub mod formats;

use std::collections::HashMap;
use std::path::Path;

use billable_core::model::{require_name, Client, Member, Project, Task};
use billable_core::time::display_hours;
use billable_store::catalog as cat;
use billable_store::import as db;
use billable_store::Tx;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use catalog_write::{CatalogAction, CatalogChange, CatalogConflict, CatalogField, CatalogOutcome, CatalogRecord};
pub use formats::{
    Fallbacks, Format, ImportRow, NumberFormat, ReadOptions, RowError, SkipReason, SkippedRow, FORMAT_NAMES,
    GENERIC_COLUMNS,
};

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::Billable;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportInput {
    /// toggl, clockify, harvest, generic, toggl-projects, toggl-clients,
    /// harvest-clients or harvest-projects; recognised from the header when
    /// unset.
    pub format: Option<String>,
    /// Only show what would be created.
    pub dry_run: bool,
    /// Read dates like 03/04/2026 day first.
    pub day_first: bool,
    /// The client for rows whose client column is empty (time, or projects).
    pub default_client: Option<String>,
    /// The project for rows whose project column is empty.
    pub default_project: Option<String>,
    /// The time zone the file's times are local to, such as Europe/Berlin
    /// (default: the computer's).
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Rows listed as skipped in an outcome, at most.
const SKIPPED_LISTED: usize = 100;

/// What an import did (or, for a dry run, would do). A list of projects or
/// clients fills `rows`, `clients` and `projects` (the records created) and
/// `catalog`; it has no entries.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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
    /// Rows left out (no time, breaks, time off), in all.
    pub skipped_rows: u64,
    /// The first of them, each with its line and why.
    pub skipped: Vec<SkippedRow>,
    /// New entries the file marks as invoiced already: kept as billed
    /// outside Billable, never offered for invoicing.
    pub billed_outside: u64,
    /// How the file writes its numbers (told from the file itself).
    pub number_format: NumberFormat,
    /// The time zone its times were read in; `None` for the computer's.
    pub time_zone: Option<String>,
    pub clients: u64,
    pub projects: u64,
    pub tasks: u64,
    pub members: u64,
    /// Hours of the new entries.
    pub hours: Decimal,
    /// The first new rows.
    pub preview: Vec<ImportRow>,
    /// For a list of projects or clients: what it filled in, and where the
    /// books keep a value that differs from the file's. `None` for time.
    pub catalog: Option<CatalogOutcome>,
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

/// Names already resolved in this import, by their lowercase forms in the
/// file ([`formats::Names::class`]).
struct Resolved {
    clients: Vec<Option<i64>>,
    projects: HashMap<(i64, u32), i64>,
    tasks: HashMap<(i64, u32), i64>,
    members: Vec<Option<i64>>,
}

/// The page cache an import works with, in KiB: enough for the pages a
/// million rows keep touching (the index leaves of every project, the row
/// hashes), where the default 2 MB would write them out and read them back.
const IMPORT_CACHE_KIB: i64 = 64 * 1024;

/// Where the file's local times are turned into instants.
enum Zone<'a> {
    Computer(&'a dyn Clock),
    Named(chrono_tz::Tz),
}

impl Zone<'_> {
    /// Unix seconds of a local wall-clock time. A time that the zone skips
    /// (the hour clocks spring forward) is read an hour later; one it has
    /// twice (the hour they fall back) is the first.
    fn utc(&self, local: chrono::NaiveDateTime) -> i64 {
        use chrono::TimeZone;
        match self {
            Zone::Computer(clock) => clock.local_to_utc(local).timestamp(),
            Zone::Named(tz) => match tz.from_local_datetime(&local).earliest() {
                Some(t) => t.timestamp(),
                None => tz
                    .from_local_datetime(&(local + chrono::Duration::hours(1)))
                    .earliest()
                    .map(|t| t.timestamp() - 3600)
                    .unwrap_or_else(|| local.and_utc().timestamp()),
            },
        }
    }
}

fn run(
    tx: &Tx,
    clock: &dyn Clock,
    zone: &Zone,
    parsed: formats::Parsed,
    dry_run: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> AppResult<ImportOutcome> {
    let cache = db::cache_kib(tx)?;
    db::set_cache_kib(tx, cache.max(IMPORT_CACHE_KIB))?;
    let out = write_rows(tx, clock, zone, parsed, dry_run, progress);
    db::set_cache_kib(tx, cache)?;
    out
}

fn write_rows(
    tx: &Tx,
    clock: &dyn Clock,
    zone: &Zone,
    parsed: formats::Parsed,
    dry_run: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> AppResult<ImportOutcome> {
    let total = parsed.rows.len() as u64;
    let now = clock.now().timestamp();
    let default_member = cat::default_member(tx)?.map(|m| m.id);
    let names = &parsed.names;
    let mut ids = Resolved {
        clients: vec![None; names.classes()],
        projects: HashMap::new(),
        tasks: HashMap::new(),
        members: vec![None; names.classes()],
    };
    let mut out = ImportOutcome {
        format: parsed.format,
        dry_run,
        rows: total,
        entries: 0,
        already_imported: 0,
        empty_rows: parsed.empty_rows,
        skipped_rows: parsed.skipped.len() as u64,
        skipped: parsed.skipped.iter().take(SKIPPED_LISTED).cloned().collect(),
        billed_outside: 0,
        number_format: parsed.number_format,
        time_zone: match zone {
            Zone::Computer(_) => None,
            Zone::Named(tz) => Some(tz.name().to_string()),
        },
        clients: 0,
        projects: 0,
        tasks: 0,
        members: 0,
        hours: Decimal::ZERO,
        preview: Vec::new(),
        catalog: None,
    };
    let hashes: Vec<[u8; 32]> = parsed.rows.iter().map(|r| r.hash).collect();
    let mut before = db::imported_before(tx, &hashes)?.into_iter().peekable();
    drop(hashes);
    let mut writer = db::EntryWriter::new(tx, now)?;
    let mut seconds: i64 = 0;
    // Entries the file marks invoiced, with the vendor's invoice id.
    let mut outside: Vec<(i64, &str)> = Vec::new();
    for (done, row) in parsed.rows.iter().enumerate() {
        if done % 1000 == 0 {
            progress(done as u64, total);
        }
        if before.next_if_eq(&done).is_some() {
            out.already_imported += 1;
            continue;
        }
        let line = row.line;
        let client_class = names.class(row.client) as usize;
        let client_id = match ids.clients[client_class] {
            Some(id) => id,
            None => {
                let spelled = names.text(row.client);
                let id = match db::client_id_by_name(tx, spelled)? {
                    Some(id) => id,
                    None => {
                        let name = require_name("client", spelled).map_err(|e| row_error(line, "client", e.into()))?;
                        out.clients += 1;
                        cat::insert_client(tx, &Client { currency: row.currency, ..new_client(name) })?
                    }
                };
                ids.clients[client_class] = Some(id);
                id
            }
        };
        let project_key = (client_id, names.class(row.project));
        let project_id = match ids.projects.get(&project_key) {
            Some(id) => *id,
            None => {
                let spelled = names.text(row.project);
                let id = match db::project_id_by_name(tx, client_id, spelled)? {
                    Some(id) => id,
                    None => {
                        let name =
                            require_name("project", spelled).map_err(|e| row_error(line, "project", e.into()))?;
                        out.projects += 1;
                        cat::insert_project(tx, &new_project(client_id, name))?
                    }
                };
                ids.projects.insert(project_key, id);
                id
            }
        };
        let task_id = match row.task {
            None => None,
            Some(task) => {
                let key = (project_id, names.class(task));
                Some(match ids.tasks.get(&key) {
                    Some(id) => *id,
                    None => {
                        let spelled = names.text(task);
                        let id = match db::task_id_by_name(tx, project_id, spelled)? {
                            Some(id) => id,
                            None => {
                                let name =
                                    require_name("task", spelled).map_err(|e| row_error(line, "task", e.into()))?;
                                out.tasks += 1;
                                cat::insert_task(tx, &Task { id: 0, project_id, name, rate: None, archived: false })?
                            }
                        };
                        ids.tasks.insert(key, id);
                        id
                    }
                })
            }
        };
        let member_id = match row.member {
            None => {
                default_member.ok_or_else(|| AppError::conflict("there is no active team member to import time for"))?
            }
            Some(member) => {
                let class = names.class(member) as usize;
                match ids.members[class] {
                    Some(id) => id,
                    None => {
                        let spelled = names.text(member);
                        let id = match db::member_id_by_name(tx, spelled)? {
                            Some(id) => id,
                            None => {
                                let name =
                                    require_name("member", spelled).map_err(|e| row_error(line, "member", e.into()))?;
                                out.members += 1;
                                cat::insert_member(
                                    tx,
                                    &Member { id: 0, name, email: String::new(), default_rate: None, archived: false },
                                )?
                            }
                        };
                        ids.members[class] = Some(id);
                        id
                    }
                }
            }
        };
        let description = crate::parse::checked_text("description", parsed.description(row))
            .map_err(|e| row_error(line, "description", e))?;
        let entry = db::NewEntry {
            member_id,
            client_id,
            project_id,
            task_id,
            date: row.date,
            start_at: row.start.map(|s| zone.utc(s)),
            end_at: row.start.map(|s| zone.utc(s + chrono::Duration::seconds(row.seconds))),
            seconds: row.seconds,
            billable: row.billable,
            rate: row.rate,
        };
        let id = writer.insert(&entry, description, row.hash)?;
        if let Some(reference) = parsed.billed_outside(row) {
            if row.billable {
                outside.push((id, reference));
            }
        }
        out.entries += 1;
        seconds += row.seconds;
        if out.preview.len() < 5 {
            out.preview.push(parsed.import_row(row));
        }
    }
    writer.finish()?;
    for (id, reference) in &outside {
        let reference = crate::parse::checked_text("invoice id", reference)?;
        billable_store::time::mark_billed_outside(tx, &[*id], &reference.chars().take(200).collect::<String>())?;
    }
    out.billed_outside = outside.len() as u64;
    progress(total, total);
    out.hours = display_hours(seconds);
    Ok(out)
}

pub(crate) fn new_client(name: String) -> Client {
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
        peppol_id: String::new(),
        default_pricing: None,
    }
}

pub(crate) fn new_project(client_id: i64, name: String) -> Project {
    Project {
        id: 0,
        client_id,
        name,
        billing_type: Default::default(),
        rate: None,
        budget: None,
        rounding: None,
        archived: false,
        approval_required: false,
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
            Some(f) => Some(
                Format::parse(f)
                    .ok_or_else(|| AppError::invalid("format", format!("'{f}' is not a format; use {FORMAT_NAMES}")))?,
            ),
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
        if let Some(f) = format.or_else(|| formats::detect_file(&text)).filter(|f| f.is_catalog()) {
            return self.import_catalog(&text, f, i.dry_run, &fallbacks, progress);
        }
        let clock = self.clock.as_ref();
        let zone = match i.time_zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
            None => Zone::Computer(clock),
            Some(name) => Zone::Named(name.parse::<chrono_tz::Tz>().map_err(|_| {
                AppError::invalid("time_zone", format!("'{name}' is not a time zone; use a name such as Europe/Berlin"))
            })?),
        };
        let parsed = formats::parse_file(&text, format, ReadOptions { day_first: i.day_first }, &fallbacks)
            .map_err(errors_to_app)?;
        if i.dry_run {
            self.store
                .write_bulk(false, |tx| run(tx, clock, &zone, parsed, true, progress))
                .map_err(|e| e.during("preview the import"))
        } else {
            self.store
                .write_bulk(true, |tx| {
                    let out = run(tx, clock, &zone, parsed, false, progress)?;
                    crate::reports::keep_worked_values(tx)?;
                    Ok::<_, AppError>(out)
                })
                .map_err(|e| e.during("import time"))
        }
    }

    /// Imports a list of projects or clients (see [`catalog`]): matched by
    /// name or created, empty fields filled, differences kept and listed as
    /// conflicts; all in one transaction, rolled back for a dry run.
    fn import_catalog(
        &mut self,
        text: &str,
        format: Format,
        dry_run: bool,
        fallbacks: &Fallbacks,
        progress: &mut dyn FnMut(u64, u64),
    ) -> AppResult<ImportOutcome> {
        let file = catalog::parse_catalog(text, format, fallbacks).map_err(errors_to_app)?;
        let rows = file.rows.len() as u64;
        progress(0, rows);
        let write = |tx: &Tx| catalog_write::write_catalog(tx, &file);
        let (clients, projects, catalog) = if dry_run {
            self.store.rehearse(write).map_err(|e| e.during("preview the import"))?
        } else {
            self.store
                .write(|tx| {
                    let out = write(tx)?;
                    crate::reports::keep_worked_values(tx)?;
                    Ok::<_, AppError>(out)
                })
                .map_err(|e| e.during("import projects and clients"))?
        };
        progress(rows, rows);
        Ok(ImportOutcome {
            format,
            dry_run,
            rows,
            entries: 0,
            already_imported: 0,
            empty_rows: 0,
            skipped_rows: 0,
            skipped: Vec::new(),
            billed_outside: 0,
            number_format: file.number_format,
            time_zone: None,
            clients,
            projects,
            tasks: 0,
            members: 0,
            hours: Decimal::ZERO,
            preview: Vec::new(),
            catalog: Some(catalog),
        })
    }
}
