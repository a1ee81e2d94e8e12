//! Importing expenses from a generic CSV: one row per expense with the
//! columns date, amount, currency, category, vendor, note, client, project,
//! billable (and, when present, markup and tax — a tax rate's name or id).
//! The separator (`,`, `;` or tab) and the number format (`1,234.56` or
//! `1.234,56`) are told from the file; names of clients and projects must
//! be in the books already (matched like `--client`: the name in any case,
//! or the id). Every row is checked first: a file with a bad row writes
//! nothing and names each bad row's line and column. A row imported before
//! (same content, same occurrence in its file) is skipped, so importing a
//! file twice creates nothing new.

use std::path::Path;

use billable_core::model::Expense;
use billable_store::expenses as db;
use billable_store::{catalog as cat, Tx};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::formats::{read_billable, read_currency, read_date, sniff_delimiter, sniff_numbers, Columns, ReadOptions};
use super::formats::{NumberFormat, RowError};
use crate::error::{AppError, AppResult};
use crate::expenses::{apply, new_expense, ExpenseInput};
use crate::Billable;

/// The columns an expense file has (`date` and `amount` are required).
pub const EXPENSE_COLUMNS: &str = "date, amount, currency, category, vendor, note, client, project, billable";

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ExpenseImportInput {
    /// Only check the file and show what would be created.
    pub dry_run: bool,
    /// Read dates like 03/04/2026 day first.
    pub day_first: bool,
}

/// One expense a file gives, as it will be written.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExpenseImportRow {
    pub line: u64,
    pub date: chrono::NaiveDate,
    pub amount: Decimal,
    pub currency: billable_core::Currency,
    pub category: String,
    pub vendor: String,
    pub note: String,
    pub client_name: Option<String>,
    pub project_name: Option<String>,
    pub billable: bool,
}

/// What an expense import did (or, for a dry run, would do).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExpenseImportOutcome {
    pub dry_run: bool,
    /// Rows with an expense in the file.
    pub rows: u64,
    /// Expenses created (or that would be).
    pub created: u64,
    /// Rows imported before, skipped.
    pub already_imported: u64,
    pub number_format: NumberFormat,
    /// The new expenses (the first 200).
    pub preview: Vec<ExpenseImportRow>,
    /// Every bad row's line, column and why (a dry run lists them; a real
    /// import with any is refused and writes nothing).
    pub errors: Vec<RowError>,
}

const PREVIEW_ROWS: usize = 200;

struct Parsed {
    line: u64,
    expense: Expense,
    hash: [u8; 16],
}

fn column_of(field: &str) -> &str {
    match field {
        "tax_rate_id" => "tax",
        other => other,
    }
}

fn row_error(line: u64, e: AppError) -> RowError {
    match e {
        AppError::Invalid { field, message } => RowError { line, column: column_of(&field).to_string(), message },
        other => RowError { line, column: "row".into(), message: other.to_string() },
    }
}

/// A tax rate by its name (any case) or id, as the file writes it.
fn tax_rate(tx: &Tx, text: &str) -> AppResult<String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let rates = cat::tax_rates(tx, false)?;
    if let Some(r) = rates.iter().find(|r| r.tax.name.trim().eq_ignore_ascii_case(t)) {
        return Ok(r.id.to_string());
    }
    if let Some(r) = t.parse::<i64>().ok().and_then(|n| rates.iter().find(|r| r.id == n)) {
        return Ok(r.id.to_string());
    }
    Err(AppError::invalid("tax", format!("no tax rate has the name or id '{t}'")))
}

fn parse_rows(
    tx: &Tx,
    clock: &dyn crate::clock::Clock,
    text: &str,
    i: &ExpenseImportInput,
) -> AppResult<(Vec<Parsed>, Vec<RowError>, NumberFormat)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::invalid("file", format!("could not read the header line: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let cols = Columns::new(&headers);
    let col = |name: &str| cols.find(&[name]);
    let (Some(_), Some(amount_col)) = (col("date"), col("amount")) else {
        return Err(AppError::invalid(
            "file",
            format!("an expense file needs the columns date and amount (it may have {EXPENSE_COLUMNS}, markup, tax)"),
        ));
    };
    let numbers = sniff_numbers(text, delimiter, &[amount_col]);
    let opts = ReadOptions { day_first: i.day_first };
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let mut seen: std::collections::HashMap<[u8; 32], u64> = std::collections::HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(RowError { line, column: "row".into(), message: e.to_string() });
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |name: &str| col(name).and_then(|c| record.get(c)).map(str::trim).unwrap_or("");
        let mut bad = |column: &str, message: String| errors.push(RowError { line, column: column.into(), message });
        let date = match read_date(get("date"), opts) {
            Some(d) => d.to_string(),
            None => {
                bad("date", format!("'{}' is not a date; use YYYY-MM-DD, e.g. 2026-12-03", get("date")));
                continue;
            }
        };
        let amount = match numbers.read(record.get(amount_col).unwrap_or("")) {
            Some(a) => a.to_string(),
            None => {
                bad(
                    "amount",
                    format!(
                        "'{}' is not an amount (the file writes numbers like {})",
                        get("amount"),
                        numbers.example()
                    ),
                );
                continue;
            }
        };
        let currency = if get("currency").is_empty() {
            String::new()
        } else {
            match read_currency(get("currency")) {
                Some(c) => c.code().to_string(),
                None => {
                    bad("currency", format!("'{}' is not an ISO 4217 currency code such as EUR", get("currency")));
                    continue;
                }
            }
        };
        let billable = if get("billable").is_empty() {
            false
        } else {
            match read_billable(get("billable")) {
                Some(b) => b,
                None => {
                    bad("billable", format!("'{}' is not yes or no", get("billable")));
                    continue;
                }
            }
        };
        let tax = match tax_rate(tx, get("tax")) {
            Ok(t) => t,
            Err(e) => {
                errors.push(row_error(line, e));
                continue;
            }
        };
        let input = ExpenseInput {
            date: Some(date),
            amount: Some(amount),
            currency: Some(currency),
            category: Some(get("category").to_string()),
            vendor: Some(get("vendor").to_string()),
            note: Some(get("note").to_string()),
            tax_rate_id: Some(tax),
            client: Some(get("client").to_string()),
            project: Some(get("project").to_string()),
            billable: Some(billable),
            markup: Some(get("markup").to_string()),
        };
        let mut e = new_expense(tx, clock)?;
        // The client first, so an empty currency takes the client's.
        let first = apply(tx, clock, &mut e, &ExpenseInput { currency: None, amount: None, ..input.clone() });
        match first.and_then(|_| apply(tx, clock, &mut e, &input)) {
            Ok(()) => {
                let identity: Vec<&str> = record.iter().map(str::trim).collect();
                let full: [u8; 32] = Sha256::digest(identity.join("\x1f").as_bytes()).into();
                let n = seen.entry(full).or_insert(0);
                *n += 1;
                let mut h = Sha256::new();
                h.update(full);
                h.update(n.to_string().as_bytes());
                let digest: [u8; 32] = h.finalize().into();
                let mut hash = [0u8; 16];
                hash.copy_from_slice(&digest[..16]);
                out.push(Parsed { line, expense: e, hash });
            }
            Err(err) => errors.push(row_error(line, err)),
        }
    }
    Ok((out, errors, numbers))
}

impl Billable {
    /// Imports the expenses of a CSV file (see the module's description).
    pub fn import_expenses(&mut self, path: &Path, i: ExpenseImportInput) -> AppResult<ExpenseImportOutcome> {
        let bytes = std::fs::read(path)
            .map_err(|e| AppError::invalid("file", format!("could not read {}: {e}", path.display())))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            AppError::invalid("file", format!("{} is not UTF-8 text; export it as UTF-8 CSV", path.display()))
        })?;
        let dry_run = i.dry_run;
        let body = |tx: &Tx, clock: &dyn crate::clock::Clock| -> AppResult<ExpenseImportOutcome> {
            let (rows, errors, number_format) = parse_rows(tx, clock, &text, &i)?;
            if !errors.is_empty() && !dry_run {
                return Err(super::errors_to_app(errors));
            }
            let hashes: Vec<[u8; 16]> = rows.iter().map(|r| r.hash).collect();
            let before = db::imported_before(tx, &hashes)?;
            let now = clock.now().timestamp();
            let mut preview = Vec::new();
            let mut created = 0;
            let mut names: Vec<(i64, String)> = Vec::new();
            let mut name_of = |tx: &Tx, project: bool, id: Option<i64>| -> AppResult<Option<String>> {
                let Some(id) = id else { return Ok(None) };
                let key = if project { -id } else { id };
                if let Some((_, n)) = names.iter().find(|n| n.0 == key) {
                    return Ok(Some(n.clone()));
                }
                let n = if project {
                    crate::catalog::project_or_404(tx, id)?.name
                } else {
                    crate::catalog::client_or_404(tx, id)?.name
                };
                names.push((key, n.clone()));
                Ok(Some(n))
            };
            for (r, old) in rows.iter().zip(&before) {
                if *old {
                    continue;
                }
                if errors.is_empty() {
                    db::insert_expense(tx, &r.expense, Some(&r.hash), now)?;
                }
                created += 1;
                if preview.len() < PREVIEW_ROWS {
                    let e = &r.expense;
                    preview.push(ExpenseImportRow {
                        line: r.line,
                        date: e.date,
                        amount: e.amount,
                        currency: e.currency,
                        category: e.category.clone(),
                        vendor: e.vendor.clone(),
                        note: e.note.clone(),
                        client_name: name_of(tx, false, e.client_id)?,
                        project_name: name_of(tx, true, e.project_id)?,
                        billable: e.billable,
                    });
                }
            }
            Ok(ExpenseImportOutcome {
                dry_run,
                rows: (rows.len() + errors.len()) as u64,
                created,
                already_imported: before.iter().filter(|b| **b).count() as u64,
                number_format,
                preview,
                errors,
            })
        };
        if dry_run {
            let clock = self.clock.as_ref();
            self.store.rehearse(|tx| body(tx, clock)).map_err(|e| e.during("preview the expense import"))
        } else {
            self.write("import the expenses", body)
        }
    }
}
