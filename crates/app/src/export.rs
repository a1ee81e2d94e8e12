//! Exports: time entries and invoices as CSV, the whole books as versioned
//! JSON, and invoices in Xero's sales-invoice import CSV with account codes
//! from mapping rules (task → project → default).

use billable_core::model::{Client, Invoice, InvoiceLine};
use billable_core::status::{display_status, DisplayStatus, InvoiceStatus};
use billable_core::tax::TaxMode;
use billable_core::totals::Discount;
use billable_store::catalog as cat;
use billable_store::export::{self as db, AccountRule, RuleKind, TableDump};
use billable_store::invoices::{self as inv_db, InvoiceFilter, InvoiceRow, SortKey};
use billable_store::time::{entries, EntryFilter};
use billable_store::{Tx, SCHEMA_VERSION};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::parse;
use crate::tables::write_csv;
use crate::Billable;

/// The version of the books' JSON format; raised when its shape changes.
pub const BOOKS_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    /// Client id or name.
    pub client: Option<String>,
    /// Time: billed, unbilled or non_billable. Invoices: draft, sent,
    /// partially_paid, paid, overdue, cancelled.
    pub status: Option<String>,
}

struct Filter {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    client_id: Option<i64>,
}

fn filter(tx: &Tx, clock: &dyn Clock, f: &ExportFilter) -> AppResult<Filter> {
    let from = parse::date_opt("from", f.from.as_deref(), clock)?;
    let to = parse::date_opt("to", f.to.as_deref(), clock)?;
    if let (Some(a), Some(b)) = (from, to) {
        if b < a {
            return Err(AppError::invalid("to", "is before from"));
        }
    }
    let client_id = match f.client.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(key) => Some(match cat::client_by_name(tx, key)? {
            Some(c) => c.id,
            None => match key.parse::<i64>().ok().and_then(|id| cat::client(tx, id).ok().flatten()) {
                Some(c) => c.id,
                None => return Err(AppError::invalid("client", format!("no client with id or name '{key}'"))),
            },
        }),
    };
    Ok(Filter { from, to, client_id })
}

/// Every invoice matching a filter (all pages), oldest first.
fn all_invoices(tx: &Tx, clock: &dyn Clock, f: &Filter, status: Option<String>) -> AppResult<Vec<InvoiceRow>> {
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let q = InvoiceFilter {
            status: status.clone(),
            client_id: f.client_id,
            from: f.from,
            to: f.to,
            sort: SortKey::IssueDate,
            page,
            per_page: 500,
            ..Default::default()
        };
        let (rows, total) = inv_db::list(tx, &q, clock.today())?;
        let n = rows.len();
        out.extend(rows);
        if n == 0 || out.len() as u64 >= total {
            break;
        }
        page += 1;
    }
    Ok(out)
}

fn invoice_status(text: Option<&str>) -> AppResult<Option<String>> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(Some(s.parse::<DisplayStatus>()?.as_str().to_string())),
        None => Ok(None),
    }
}

/// The whole books: every table, every row, with the format's version and
/// the schema version. Column names are the stable field names; integers
/// stay integers (amounts in minor units, `*_minor`), decimals are strings.
#[derive(Debug, Clone, Serialize)]
pub struct BooksExport {
    pub format: &'static str,
    pub format_version: u32,
    pub schema_version: i64,
    pub exported_at: chrono::DateTime<chrono::Utc>,
    pub tables: serde_json::Map<String, serde_json::Value>,
}

fn table_json(t: TableDump) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = t
        .rows
        .into_iter()
        .map(|r| {
            let obj: serde_json::Map<String, serde_json::Value> = t.columns.iter().cloned().zip(r).collect();
            serde_json::Value::Object(obj)
        })
        .collect();
    serde_json::Value::Array(rows)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct XeroExportInput {
    pub filter: ExportFilter,
    /// Dates as MM/DD/YYYY (Xero organisations in the US) instead of DD/MM/YYYY.
    pub us_dates: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct XeroRuleInput {
    /// task, project or default.
    pub kind: String,
    /// The task's or project's id (none for the default).
    pub target: Option<i64>,
    pub account_code: String,
    pub description: Option<String>,
}

/// The columns of Xero's sales-invoice import template, in its order.
pub const XERO_COLUMNS: [&str; 27] = [
    "ContactName",
    "EmailAddress",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "InvoiceNumber",
    "Reference",
    "InvoiceDate",
    "DueDate",
    "InventoryItemCode",
    "Description",
    "Quantity",
    "UnitAmount",
    "Discount",
    "AccountCode",
    "TaxType",
    "TrackingName1",
    "TrackingOption1",
    "TrackingName2",
    "TrackingOption2",
    "Currency",
    "BrandingTheme",
];

fn rule_kind(text: &str) -> AppResult<RuleKind> {
    match text.trim().to_ascii_lowercase().as_str() {
        "task" => Ok(RuleKind::Task),
        "project" => Ok(RuleKind::Project),
        "default" => Ok(RuleKind::Default),
        other => Err(AppError::invalid("kind", format!("'{other}' is not a rule kind; use task, project or default"))),
    }
}

/// The account code of a line: the first of its entries' task rule, their
/// project rule, the invoice's project rule, then the default.
fn account_code(tx: &Tx, inv: &Invoice, line: &InvoiceLine) -> AppResult<Option<String>> {
    let targets = db::line_targets(tx, line.id)?;
    for (_, task) in &targets {
        if let Some(task) = task {
            if let Some(code) = db::account_rule(tx, RuleKind::Task, Some(*task))? {
                return Ok(Some(code));
            }
        }
    }
    for (project, _) in &targets {
        if let Some(code) = db::account_rule(tx, RuleKind::Project, Some(*project))? {
            return Ok(Some(code));
        }
    }
    if let Some(p) = inv.project_id {
        if let Some(code) = db::account_rule(tx, RuleKind::Project, Some(p))? {
            return Ok(Some(code));
        }
    }
    Ok(db::account_rule(tx, RuleKind::Default, None)?)
}

fn address_lines(client: &Client) -> [String; 4] {
    let mut lines: Vec<String> =
        client.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if lines.len() > 4 {
        let rest = lines.split_off(3).join(", ");
        lines.push(rest);
    }
    let mut out: [String; 4] = Default::default();
    for (slot, l) in out.iter_mut().zip(lines) {
        *slot = l;
    }
    out
}

impl Billable {
    /// Time entries as CSV (one row per entry, with names, hours, rate and amount).
    pub fn export_time_csv(&mut self, f: ExportFilter) -> AppResult<String> {
        self.read("export time entries", |tx, clock| {
            let flt = filter(tx, clock, &f)?;
            let mut q = EntryFilter { client_id: flt.client_id, from: flt.from, to: flt.to, ..Default::default() };
            let mut billed: Option<bool> = None;
            match f.status.as_deref().map(|s| s.trim().to_ascii_lowercase().replace('-', "_")) {
                None => {}
                Some(s) if s.is_empty() => {}
                Some(s) => match s.as_str() {
                    "unbilled" => q.unbilled_only = true,
                    "billed" => billed = Some(true),
                    "non_billable" => q.billable = Some(false),
                    other => {
                        return Err(AppError::invalid(
                            "status",
                            format!("'{other}' is not a time status; use billed, unbilled or non_billable"),
                        ))
                    }
                },
            }
            let details = entries(tx, &q)?;
            let mut numbers: std::collections::HashMap<i64, String> = Default::default();
            let views = crate::time::views(tx, details)?;
            let headers: Vec<String> = [
                "id",
                "date",
                "start",
                "end",
                "client",
                "project",
                "task",
                "member",
                "description",
                "seconds",
                "hours",
                "billable",
                "rate",
                "amount",
                "currency",
                "invoice",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let mut rows = Vec::with_capacity(views.len());
            for v in views {
                if billed == Some(true) && v.entry.invoice_id.is_none() {
                    continue;
                }
                let invoice = match v.entry.invoice_id {
                    None => String::new(),
                    Some(id) => match numbers.get(&id) {
                        Some(n) => n.clone(),
                        None => {
                            let n = inv_db::invoice(tx, id)?.map(|i| i.number).unwrap_or_default();
                            numbers.insert(id, n.clone());
                            n
                        }
                    },
                };
                rows.push(vec![
                    v.entry.id.to_string(),
                    v.entry.date.to_string(),
                    v.entry.start_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    v.entry.end_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    v.client_name,
                    v.project_name,
                    v.task_name.unwrap_or_default(),
                    v.member_name,
                    v.entry.description,
                    v.entry.seconds.to_string(),
                    v.hours.to_string(),
                    if v.entry.billable { "yes" } else { "no" }.to_string(),
                    v.rate.map(|r| r.to_string()).unwrap_or_default(),
                    v.amount.map(|a| a.to_string()).unwrap_or_default(),
                    v.currency.to_string(),
                    invoice,
                ]);
            }
            write_csv(&headers, &rows)
        })
    }

    /// Invoices as CSV (one row per invoice with its totals).
    pub fn export_invoices_csv(&mut self, f: ExportFilter) -> AppResult<String> {
        self.read("export invoices", |tx, clock| {
            let flt = filter(tx, clock, &f)?;
            let list = all_invoices(tx, clock, &flt, invoice_status(f.status.as_deref())?)?;
            let headers: Vec<String> = [
                "number",
                "client",
                "issue_date",
                "due_date",
                "status",
                "currency",
                "subtotal",
                "discount",
                "tax",
                "total",
                "paid",
                "balance",
                "exchange_rate",
                "po_number",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let today = clock.today();
            let mut rows = Vec::with_capacity(list.len());
            for r in list {
                let i = r.invoice;
                let rate = billable_store::reports::exchange_rate(tx, i.id)?;
                rows.push(vec![
                    i.number.clone(),
                    r.client_name,
                    i.issue_date.to_string(),
                    i.due_date.to_string(),
                    display_status(i.status, i.due_date, today, i.balance_due).as_str().to_string(),
                    i.currency.to_string(),
                    i.subtotal.to_string(),
                    i.discount_amount.to_string(),
                    i.tax_total.to_string(),
                    i.total.to_string(),
                    i.amount_paid.to_string(),
                    i.balance_due.to_string(),
                    rate.map(|r| r.to_string()).unwrap_or_default(),
                    i.po_number,
                ]);
            }
            write_csv(&headers, &rows)
        })
    }

    /// The whole books as one JSON document (see [`BooksExport`]).
    pub fn export_books(&mut self) -> AppResult<BooksExport> {
        self.read("export the books", |tx, clock| {
            let tables = db::dump_all(tx)?.into_iter().map(|t| (t.name.clone(), table_json(t))).collect();
            Ok(BooksExport {
                format: "billable-books",
                format_version: BOOKS_FORMAT_VERSION,
                schema_version: SCHEMA_VERSION,
                exported_at: clock.now(),
                tables,
            })
        })
    }

    /// Issued invoices in Xero's sales-invoice import CSV: one row per line,
    /// account codes from the mapping rules. Drafts and cancelled invoices
    /// are left out unless a status asks for drafts.
    pub fn export_xero(&mut self, i: XeroExportInput) -> AppResult<String> {
        self.read("export invoices for Xero", |tx, clock| {
            let flt = filter(tx, clock, &i.filter)?;
            let status = invoice_status(i.filter.status.as_deref())?;
            let list = all_invoices(tx, clock, &flt, status.clone())?;
            let date_fmt = if i.us_dates { "%m/%d/%Y" } else { "%d/%m/%Y" };
            let headers: Vec<String> = XERO_COLUMNS.iter().map(|s| s.to_string()).collect();
            let mut rows = Vec::new();
            let mut clients: std::collections::HashMap<i64, Client> = Default::default();
            for r in list {
                let inv = r.invoice;
                if status.is_none() && matches!(inv.status, InvoiceStatus::Draft | InvoiceStatus::Cancelled) {
                    continue;
                }
                if inv.status == InvoiceStatus::Cancelled {
                    continue;
                }
                let client = match clients.get(&inv.client_id) {
                    Some(c) => c.clone(),
                    None => {
                        let c = crate::catalog::client_or_404(tx, inv.client_id)?;
                        clients.insert(c.id, c.clone());
                        c
                    }
                };
                let lines = inv_db::lines(tx, inv.id, inv.currency)?;
                let addr = address_lines(&client);
                let summary_tax = match inv.tax_mode {
                    TaxMode::Summary => inv.taxes.first().map(|t| t.name.clone()),
                    TaxMode::Inline => None,
                };
                let row = |description: String,
                           quantity: String,
                           unit: String,
                           discount: String,
                           code: String,
                           tax: String|
                 -> Vec<String> {
                    vec![
                        client.name.clone(),
                        client.emails.first().cloned().unwrap_or_default(),
                        addr[0].clone(),
                        addr[1].clone(),
                        addr[2].clone(),
                        addr[3].clone(),
                        String::new(),
                        String::new(),
                        String::new(),
                        client.country.clone(),
                        inv.number.clone(),
                        inv.po_number.clone(),
                        inv.issue_date.format(date_fmt).to_string(),
                        inv.due_date.format(date_fmt).to_string(),
                        String::new(),
                        description,
                        quantity,
                        unit,
                        discount,
                        code,
                        tax,
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        inv.currency.to_string(),
                        String::new(),
                    ]
                };
                let mut default_code: Option<String> = None;
                // Xero takes these amounts as tax exclusive: a gross-priced
                // invoice gives the net unit prices the engine derived.
                let engine = if inv.pricing.includes_tax() {
                    Some(billable_core::totals::totals(&crate::invoices::draft_of(&inv, &lines))?)
                } else {
                    None
                };
                for (i, line) in lines.iter().enumerate() {
                    let rate = match engine.as_ref().and_then(|t| t.lines.get(i)) {
                        Some(lt) => billable_core::totals::net_unit_price(
                            &crate::invoices::draft_of(&inv, std::slice::from_ref(line)).lines[0],
                            lt,
                        ),
                        None => line.rate,
                    };
                    let code = account_code(tx, &inv, line)?.ok_or_else(|| {
                        AppError::invalid(
                            "account_code",
                            format!(
                                "invoice {} line {} has no Xero account code: map its task or project, or set a \
                                 default account code",
                                inv.number, line.position
                            ),
                        )
                    })?;
                    default_code.get_or_insert_with(|| code.clone());
                    let tax = match inv.tax_mode {
                        TaxMode::Inline => line.tax.as_ref().map(|t| t.name.clone()),
                        TaxMode::Summary => summary_tax.clone(),
                    }
                    .unwrap_or_else(|| "Tax Exempt".to_string());
                    let (quantity, unit, discount) = match line.discount {
                        Discount::None => (line.quantity.to_string(), rate.to_string(), String::new()),
                        Discount::Percent(p) => (line.quantity.to_string(), rate.to_string(), p.to_string()),
                        // Xero's discount is a percentage: a fixed one goes into the amount.
                        Discount::Fixed(_) => ("1".to_string(), line.amount.to_string(), String::new()),
                    };
                    rows.push(row(line.description.clone(), quantity, unit, discount, code, tax));
                }
                let fallback = match default_code {
                    Some(c) => Some(c),
                    None => db::account_rule(tx, RuleKind::Default, None)?,
                };
                let extra_tax = summary_tax.clone().unwrap_or_else(|| "Tax Exempt".to_string());
                if !inv.discount_amount.is_zero() {
                    if let Some(code) = &fallback {
                        rows.push(row(
                            "Discount".into(),
                            "1".into(),
                            (-inv.discount_amount).to_string(),
                            String::new(),
                            code.clone(),
                            extra_tax.clone(),
                        ));
                    }
                }
                if !inv.adjustment.is_zero() {
                    if let Some(code) = &fallback {
                        let text = if inv.adjustment_description.is_empty() {
                            "Adjustment".to_string()
                        } else {
                            inv.adjustment_description.clone()
                        };
                        rows.push(row(
                            text,
                            "1".into(),
                            inv.adjustment.to_string(),
                            String::new(),
                            code.clone(),
                            "Tax Exempt".into(),
                        ));
                    }
                }
            }
            write_csv(&headers, &rows)
        })
    }

    pub fn xero_rules(&mut self) -> AppResult<Vec<AccountRule>> {
        self.read("list the Xero account rules", |tx, _| Ok(db::account_rules(tx)?))
    }

    /// Maps a task, a project or the default to a Xero account code.
    pub fn set_xero_rule(&mut self, i: XeroRuleInput) -> AppResult<Vec<AccountRule>> {
        self.write("save the Xero account rule", |tx, _| {
            let kind = rule_kind(&i.kind)?;
            let code = i.account_code.trim();
            if code.is_empty()
                || code.chars().count() > 10
                || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            {
                return Err(AppError::invalid(
                    "account_code",
                    format!("'{code}' is not a Xero account code (up to 10 letters, digits, '-' or '.'), e.g. 200"),
                ));
            }
            let target = match (kind, i.target) {
                (RuleKind::Default, None) => None,
                (RuleKind::Default, Some(_)) => {
                    return Err(AppError::invalid("target", "the default rule applies to no task or project"))
                }
                (_, None) => return Err(AppError::invalid("target", "name the task's or project's id")),
                (RuleKind::Task, Some(id)) => Some(crate::catalog::task_or_404(tx, id)?.id),
                (RuleKind::Project, Some(id)) => Some(crate::catalog::project_or_404(tx, id)?.id),
            };
            let description = parse::text("description", i.description.as_deref().unwrap_or(""))?;
            db::set_account_rule(tx, kind, target, code, &description)?;
            Ok(db::account_rules(tx)?)
        })
    }

    pub fn remove_xero_rule(&mut self, kind: &str, target: Option<i64>) -> AppResult<Vec<AccountRule>> {
        self.write("remove the Xero account rule", |tx, _| {
            let kind = rule_kind(kind)?;
            if !db::remove_account_rule(tx, kind, target)? {
                return Err(AppError::not_found(
                    "Xero account rule",
                    format!("{} {}", kind.as_str(), target.map(|t| t.to_string()).unwrap_or_default())
                        .trim()
                        .to_string(),
                ));
            }
            Ok(db::account_rules(tx)?)
        })
    }
}
