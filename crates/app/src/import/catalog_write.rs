//! Writing a list of projects or clients into the books, in the caller's
//! transaction. Clients and projects are matched by name (ignoring case) or
//! created. The rule for a record that exists already: a field it has no
//! value for is filled from the file; a field with a different value is
//! kept, and the difference is listed as a conflict; the record's archived
//! state is never changed. A project's billing type counts as unset while
//! the project is hourly with neither rate nor budget (as a time import
//! creates it). A project whose currency is not its client's brings no rate
//! or budget (they are amounts in another currency; the currency is listed
//! as a conflict). So importing the same file again changes nothing.

use std::collections::HashSet;

use billable_core::model::{BillingType, Client, Project};
use billable_core::money::Currency;
use billable_store::catalog as cat;
use billable_store::import as db;
use billable_store::Tx;
use rust_decimal::Decimal;
use serde::Serialize;

use super::catalog::{CatalogFile, CatalogRow};
use super::{new_client, new_project};
use crate::error::AppResult;

/// Changes and conflicts listed in an outcome, at most (each kind).
const LISTED: usize = 200;

/// Which kind of record a change or conflict is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CatalogRecord {
    Client,
    Project,
}

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CatalogAction {
    /// It was new, and was created (or would be).
    Created,
    /// It existed, and empty fields of it were filled in.
    Updated,
}

/// A field a list of projects or clients sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CatalogField {
    /// A project's hourly rate.
    Rate,
    /// A client's invoice currency.
    Currency,
    /// A project's billing type (hourly or fixed fee).
    BillingType,
    /// A project's budget (a fixed fee's amount).
    Budget,
    /// A client's address.
    Address,
}

impl CatalogField {
    pub fn as_str(self) -> &'static str {
        match self {
            CatalogField::Rate => "rate",
            CatalogField::Currency => "currency",
            CatalogField::BillingType => "billing type",
            CatalogField::Budget => "budget",
            CatalogField::Address => "address",
        }
    }
}

/// A record a row created or filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CatalogChange {
    /// The line of the file (the header is line 1).
    pub line: u64,
    pub record: CatalogRecord,
    pub client: String,
    /// The project's name, for a project.
    pub project: Option<String>,
    pub action: CatalogAction,
    /// The fields given (a new record) or filled in (an update).
    pub fields: Vec<CatalogField>,
}

/// A value of the file that differs from the one in the books: the books'
/// value is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CatalogConflict {
    pub line: u64,
    pub record: CatalogRecord,
    pub client: String,
    pub project: Option<String>,
    pub field: CatalogField,
    /// The value in the books, kept: a decimal for a rate or budget, a
    /// currency code, a billing type (hourly, fixed_price, retainer), text.
    pub kept: String,
    /// The value in the file, not imported (written the same way).
    pub file: String,
}

/// What a list of projects or clients changed (or, in a dry run, would).
/// The records it created are counted in [`super::ImportOutcome`]'s
/// `clients` and `projects`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CatalogOutcome {
    /// Clients that existed and had empty fields filled in.
    pub clients_updated: u64,
    /// Projects that existed and had empty fields filled in.
    pub projects_updated: u64,
    /// Rows that changed nothing: the books have their values already (or
    /// different ones, listed as conflicts).
    pub unchanged: u64,
    /// What was created or filled in, row by row (the first 200).
    pub changes: Vec<CatalogChange>,
    /// Conflicts in all.
    pub conflict_count: u64,
    /// The first 200 of them; each difference is listed once.
    pub conflicts: Vec<CatalogConflict>,
    /// The file's columns Billable keeps nothing of (colours, codes, dates,
    /// notes, estimates in hours).
    pub ignored_columns: Vec<String>,
}

/// What one row did, as it goes.
struct Row<'a> {
    row: &'a CatalogRow,
    out: &'a mut CatalogOutcome,
    seen: &'a mut HashSet<(CatalogRecord, i64, CatalogField, String)>,
    changed: bool,
}

impl Row<'_> {
    fn change(&mut self, record: CatalogRecord, action: CatalogAction, fields: Vec<CatalogField>) {
        self.changed = true;
        if self.out.changes.len() < LISTED {
            self.out.changes.push(CatalogChange {
                line: self.row.line,
                record,
                client: self.row.client.clone(),
                project: self.row.project.clone().filter(|_| record == CatalogRecord::Project),
                action,
                fields,
            });
        }
    }

    fn conflict(&mut self, record: CatalogRecord, id: i64, field: CatalogField, kept: String, file: String) {
        if !self.seen.insert((record, id, field, file.clone())) {
            return;
        }
        self.out.conflict_count += 1;
        if self.out.conflicts.len() < LISTED {
            self.out.conflicts.push(CatalogConflict {
                line: self.row.line,
                record,
                client: self.row.client.clone(),
                project: self.row.project.clone().filter(|_| record == CatalogRecord::Project),
                field,
                kept,
                file,
            });
        }
    }

    /// Fills `ours` from `theirs` when empty (and adds `field` to
    /// `filled`); a different value is a conflict of the record `(kind, id)`.
    fn fill<T: PartialEq + Clone>(
        &mut self,
        (record, id): (CatalogRecord, i64),
        (field, filled): (CatalogField, &mut Vec<CatalogField>),
        ours: &mut Option<T>,
        theirs: Option<&T>,
        show: impl Fn(&T) -> String,
    ) {
        let Some(theirs) = theirs else { return };
        match ours {
            None => {
                *ours = Some(theirs.clone());
                filled.push(field);
            }
            Some(v) if v != theirs => {
                let kept = show(v);
                self.conflict(record, id, field, kept, show(theirs));
            }
            Some(_) => {}
        }
    }
}

fn decimal(d: &Decimal) -> String {
    d.normalize().to_string()
}

/// Counts of a list written: (clients created, projects created, outcome).
pub(super) fn write_catalog(tx: &Tx, file: &CatalogFile) -> AppResult<(u64, u64, CatalogOutcome)> {
    let projects_file = file.format.has_projects();
    let mut out = CatalogOutcome { ignored_columns: file.ignored_columns.clone(), ..Default::default() };
    let mut seen = HashSet::new();
    let (mut created_clients, mut created_projects) = (HashSet::new(), HashSet::new());
    let (mut updated_clients, mut updated_projects) = (HashSet::new(), HashSet::new());
    for row in &file.rows {
        let mut r = Row { row, out: &mut out, seen: &mut seen, changed: false };
        let address = row.address.clone().filter(|a| !a.trim().is_empty());
        let (client_id, client_currency) = match cat::client_by_name(tx, &row.client)? {
            None => {
                let client = Client {
                    currency: row.currency,
                    address: address.clone().unwrap_or_default(),
                    archived: row.archived && !projects_file,
                    ..new_client(row.client.clone())
                };
                let id = cat::insert_client(tx, &client)?;
                created_clients.insert(id);
                let given =
                    [(CatalogField::Currency, row.currency.is_some()), (CatalogField::Address, address.is_some())];
                r.change(CatalogRecord::Client, CatalogAction::Created, fields(&given));
                (id, row.currency)
            }
            Some(mut c) => {
                let mut filled = Vec::new();
                let rec = CatalogRecord::Client;
                let at = (rec, c.id);
                let code = |c: &Currency| c.code().to_string();
                r.fill(at, (CatalogField::Currency, &mut filled), &mut c.currency, row.currency.as_ref(), code);
                let mut ours = Some(c.address.clone()).filter(|a| !a.trim().is_empty());
                r.fill(at, (CatalogField::Address, &mut filled), &mut ours, address.as_ref(), String::clone);
                if !filled.is_empty() {
                    c.address = ours.unwrap_or_default();
                    cat::update_client(tx, &c)?;
                    if !created_clients.contains(&c.id) {
                        updated_clients.insert(c.id);
                    }
                    r.change(rec, CatalogAction::Updated, filled);
                }
                (c.id, c.currency)
            }
        };
        if let Some(name) = &row.project {
            let rec = CatalogRecord::Project;
            // A rate or budget in another currency than the client bills in
            // is not one to bill at (the currency conflict is listed).
            let foreign = row.currency.is_some() && row.currency != client_currency;
            let (rate, budget) = if foreign { (None, None) } else { (row.rate, row.budget) };
            let billing = row.billing_type.filter(|t| *t == BillingType::Hourly || budget.is_some());
            match db::project_id_by_name(tx, client_id, name)? {
                None => {
                    let billing_type = billing.unwrap_or_default();
                    let project = Project {
                        billing_type,
                        rate,
                        budget,
                        archived: row.archived,
                        ..new_project(client_id, name.clone())
                    };
                    created_projects.insert(cat::insert_project(tx, &project)?);
                    let given = [
                        (CatalogField::Rate, rate.is_some()),
                        (CatalogField::BillingType, billing_type != BillingType::Hourly),
                        (CatalogField::Budget, budget.is_some()),
                    ];
                    r.change(rec, CatalogAction::Created, fields(&given));
                }
                Some(id) => {
                    let Some(mut p) = cat::project(tx, id)? else { continue };
                    let mut filled = Vec::new();
                    let unset = p.billing_type == BillingType::Hourly && p.rate.is_none() && p.budget.is_none();
                    let mut type_kept = false;
                    if let Some(kind) = billing.filter(|k| *k != p.billing_type) {
                        if unset {
                            p.billing_type = kind;
                            filled.push(CatalogField::BillingType);
                        } else {
                            type_kept = true;
                            r.conflict(
                                rec,
                                p.id,
                                CatalogField::BillingType,
                                p.billing_type.as_str().into(),
                                kind.as_str().into(),
                            );
                        }
                    }
                    let at = (rec, p.id);
                    r.fill(at, (CatalogField::Rate, &mut filled), &mut p.rate, rate.as_ref(), decimal);
                    if !type_kept {
                        // The budget of a billing type that is kept would mean another thing.
                        r.fill(at, (CatalogField::Budget, &mut filled), &mut p.budget, budget.as_ref(), decimal);
                    }
                    if !filled.is_empty() {
                        cat::update_project(tx, &p)?;
                        if !created_projects.contains(&p.id) {
                            updated_projects.insert(p.id);
                        }
                        r.change(rec, CatalogAction::Updated, filled);
                    }
                }
            }
        }
        let changed = r.changed;
        if !changed {
            out.unchanged += 1;
        }
    }
    out.clients_updated = updated_clients.len() as u64;
    out.projects_updated = updated_projects.len() as u64;
    Ok((created_clients.len() as u64, created_projects.len() as u64, out))
}

fn fields(given: &[(CatalogField, bool)]) -> Vec<CatalogField> {
    given.iter().filter(|(_, on)| *on).map(|(f, _)| *f).collect()
}
