//! Expenses: money spent, maybe on behalf of a client, with a receipt kept
//! in the books. The amount is net (tax comes on top, by the expense's tax
//! rate, when it is billed); a billable expense is billed once, on a line
//! of its own of an invoice from time (`invoices::expense_lines`).

use billable_core::expense::{billed_amount, validate_markup};
use billable_core::model::{Expense, ReceiptInfo};
use billable_core::money::{parse_amount, parse_decimal, Currency};
use billable_store::expenses::{self as db, ExpenseFilter};
use billable_store::{catalog as cat, Tx};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::{client_or_404, pick, project_or_404, Wanted};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::parse;
use crate::Billable;

/// The largest receipt the books keep: 10 MiB.
pub const MAX_RECEIPT_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of receipt files the books keep, told from their first bytes.
pub const RECEIPT_TYPES: [&str; 5] = ["application/pdf", "image/png", "image/jpeg", "image/webp", "image/heif"];

/// An expense as typed. `None` leaves a field as it is when editing.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ExpenseInput {
    /// YYYY-MM-DD or `today`.
    pub date: Option<String>,
    /// Net amount (before tax), e.g. 89.90.
    pub amount: Option<String>,
    /// ISO 4217; empty: the client's currency, else the business default.
    pub currency: Option<String>,
    pub category: Option<String>,
    pub vendor: Option<String>,
    pub note: Option<String>,
    /// A tax rate id; empty or "none": untaxed.
    pub tax_rate_id: Option<String>,
    /// The client's name or id; empty: none (the project's client when a
    /// project is given).
    pub client: Option<String>,
    /// The project's name or id; empty: none.
    pub project: Option<String>,
    pub billable: Option<bool>,
    /// Percent added when billed, e.g. 15; empty: none.
    pub markup: Option<String>,
}

/// Which expenses a list shows.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ExpenseListInput {
    pub client_id: Option<i64>,
    pub project_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `billed`, `unbilled` (billable, not billed yet), `not_billable`, or
    /// empty for all.
    pub state: Option<String>,
    pub category: Option<String>,
}

/// An expense with the names and figures the lists show.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExpenseView {
    #[serde(flatten)]
    pub expense: Expense,
    pub client_name: Option<String>,
    pub project_name: Option<String>,
    pub tax_name: Option<String>,
    pub tax_percent: Option<Decimal>,
    /// What billing it charges before tax: amount × (1 + markup), rounded once.
    pub billed_amount: Decimal,
    pub invoice_number: Option<String>,
    pub receipt: Option<ReceiptInfo>,
}

/// Totals per currency of the expenses a list shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExpenseTotal {
    pub currency: Currency,
    pub count: u32,
    pub amount: Decimal,
    /// Billable ones, at their billed amounts.
    pub billable: Decimal,
    /// Billable ones not billed yet, at their billed amounts.
    pub unbilled: Decimal,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExpenseList {
    pub expenses: Vec<ExpenseView>,
    pub totals: Vec<ExpenseTotal>,
}

/// A receipt's bytes, to save or open.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReceiptFile {
    #[serde(flatten)]
    pub info: ReceiptInfo,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

pub(crate) fn expense_or_404(tx: &Tx, id: i64) -> AppResult<Expense> {
    db::expense(tx, id)?.ok_or_else(|| AppError::not_found("expense", id))
}

/// The one rule for a receipt: at most [`MAX_RECEIPT_BYTES`], and a PDF,
/// PNG, JPEG, WebP or HEIC file as its bytes say (not its name). Returns
/// the media type.
pub fn receipt_type(bytes: &[u8]) -> AppResult<&'static str> {
    if bytes.is_empty() {
        return Err(AppError::invalid("receipt", "the file is empty"));
    }
    if bytes.len() > MAX_RECEIPT_BYTES {
        return Err(AppError::invalid(
            "receipt",
            format!(
                "the file is {:.1} MiB; a receipt may be at most 10 MiB",
                // Display only: the size in MiB with one decimal.
                Decimal::from(bytes.len()) / Decimal::from(1024 * 1024)
            ),
        ));
    }
    let kind = infer::get(bytes).map(|k| k.mime_type());
    match kind {
        Some(m) => RECEIPT_TYPES.iter().find(|t| **t == m).copied().ok_or_else(|| {
            AppError::invalid("receipt", format!("a {m} file cannot be a receipt; use a PDF, PNG, JPEG, WebP or HEIC"))
        }),
        None => Err(AppError::invalid("receipt", "the file is not a PDF, PNG, JPEG, WebP or HEIC image")),
    }
}

/// A client by name or id.
pub(crate) fn find_client(tx: &Tx, field: &str, key: &str) -> AppResult<billable_core::model::Client> {
    pick(
        Wanted { field, what: "client", narrow: "" },
        key,
        cat::clients(tx, true, None)?,
        |c| c.id,
        |c| c.archived,
        |c| vec![c.name.clone()],
        |c| Ok(c.id.to_string()),
    )
}

/// A project by name or id, among a client's when one is known.
pub(crate) fn find_project(
    tx: &Tx,
    field: &str,
    key: &str,
    client_id: Option<i64>,
) -> AppResult<billable_core::model::Project> {
    let narrow = if client_id.is_some() { "" } else { " or the client" };
    pick(
        Wanted { field, what: "project", narrow },
        key,
        cat::projects(tx, client_id, true)?,
        |p| p.id,
        |p| p.archived,
        |p| vec![p.name.clone()],
        |p| Ok(format!("{} ({})", p.id, client_or_404(tx, p.client_id)?.name)),
    )
}

fn tax_rate_id(tx: &Tx, v: &str) -> AppResult<Option<i64>> {
    let t = v.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let id: i64 = t
        .parse()
        .map_err(|_| AppError::invalid("tax_rate_id", format!("'{t}' is not the id of a tax rate in the books")))?;
    let def = cat::tax_rate(tx, id)?
        .ok_or_else(|| AppError::invalid("tax_rate_id", format!("tax rate {id} does not exist")))?;
    if def.archived {
        return Err(AppError::invalid("tax_rate_id", format!("tax rate {} is archived", def.tax.name)));
    }
    Ok(Some(id))
}

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| s.trim().is_empty())
}

/// Applies what was typed to `e`, field by field; every refusal names its field.
pub(crate) fn apply(tx: &Tx, clock: &dyn Clock, e: &mut Expense, i: &ExpenseInput) -> AppResult<()> {
    if let Some(v) = &i.date {
        e.date = parse::date("date", v, clock)?;
    }
    if let Some(v) = &i.client {
        e.client_id = if v.trim().is_empty() { None } else { Some(find_client(tx, "client", v)?.id) };
    }
    if let Some(v) = &i.project {
        e.project_id = if v.trim().is_empty() {
            None
        } else {
            let p = find_project(tx, "project", v, if blank(&i.client) { None } else { e.client_id })?;
            match e.client_id {
                Some(c) if c != p.client_id && i.client.as_deref().is_some_and(|s| !s.trim().is_empty()) => {
                    return Err(AppError::invalid("project", format!("project {} belongs to another client", p.name)))
                }
                _ => e.client_id = Some(p.client_id),
            }
            Some(p.id)
        };
    } else if let (Some(pid), Some(cid)) = (e.project_id, e.client_id) {
        if project_or_404(tx, pid)?.client_id != cid {
            e.project_id = None;
        }
    }
    if e.client_id.is_none() {
        e.project_id = None;
    }
    if let Some(v) = &i.currency {
        e.currency = if v.trim().is_empty() {
            default_currency(tx, e.client_id)?
        } else {
            Currency::parse(v.trim()).map_err(|_| {
                AppError::invalid("currency", format!("'{}' is not an ISO 4217 currency code such as EUR", v.trim()))
            })?
        };
    }
    if let Some(v) = &i.amount {
        if v.trim().is_empty() {
            return Err(AppError::invalid("amount", "is required, e.g. 89.90"));
        }
        let amount = parse_amount("amount", v, e.currency)?;
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(AppError::invalid("amount", "must not be negative"));
        }
        e.amount = amount;
    } else {
        // A new currency keeps the amount only when it fits its minor units.
        parse_amount("amount", &e.amount.to_string(), e.currency)?;
    }
    if let Some(v) = &i.category {
        e.category = parse::text("category", v)?;
    }
    if let Some(v) = &i.vendor {
        e.vendor = parse::text("vendor", v)?;
    }
    if let Some(v) = &i.note {
        e.note = parse::text("note", v)?;
    }
    if let Some(v) = &i.tax_rate_id {
        e.tax_rate_id = tax_rate_id(tx, v)?;
    }
    if let Some(v) = &i.markup {
        let t = v.trim().trim_end_matches('%').trim();
        e.markup = if t.is_empty() { None } else { Some(validate_markup("markup", parse_decimal("markup", t)?)?) };
    }
    if let Some(b) = i.billable {
        e.billable = b;
    }
    if e.billable && e.client_id.is_none() {
        return Err(AppError::invalid("client", "a billable expense needs the client it is billed to"));
    }
    Ok(())
}

fn default_currency(tx: &Tx, client_id: Option<i64>) -> AppResult<Currency> {
    if let Some(c) = client_id {
        if let Some(cur) = client_or_404(tx, c)?.currency {
            return Ok(cur);
        }
    }
    Ok(cat::business(tx)?.default_currency)
}

pub(crate) fn new_expense(tx: &Tx, clock: &dyn Clock) -> AppResult<Expense> {
    Ok(Expense {
        id: 0,
        date: clock.today(),
        amount: Decimal::ZERO,
        currency: cat::business(tx)?.default_currency,
        category: String::new(),
        vendor: String::new(),
        note: String::new(),
        tax_rate_id: None,
        client_id: None,
        project_id: None,
        billable: false,
        markup: None,
        invoice_id: None,
        invoice_line_id: None,
    })
}

/// A new expense from what was typed (amount required; currency from the
/// client when not given).
pub(crate) fn from_input(tx: &Tx, clock: &dyn Clock, i: &ExpenseInput) -> AppResult<Expense> {
    if i.amount.is_none() || blank(&i.amount) {
        return Err(AppError::invalid("amount", "is required, e.g. 89.90"));
    }
    let mut e = new_expense(tx, clock)?;
    let mut i = i.clone();
    if i.currency.is_none() {
        i.currency = Some(String::new());
    }
    // The client first, so an empty currency can take the client's.
    apply(tx, clock, &mut e, &ExpenseInput { currency: None, amount: None, ..i.clone() })?;
    apply(tx, clock, &mut e, &ExpenseInput { currency: i.currency.clone(), amount: i.amount.clone(), ..i })?;
    Ok(e)
}

fn views(tx: &Tx, list: Vec<Expense>) -> AppResult<Vec<ExpenseView>> {
    let receipts = db::receipt_infos(tx)?;
    let mut out = Vec::with_capacity(list.len());
    let mut clients: Vec<(i64, String)> = Vec::new();
    let mut projects: Vec<(i64, String)> = Vec::new();
    for e in list {
        let client_name = match e.client_id {
            Some(id) => Some(match clients.iter().find(|c| c.0 == id) {
                Some(c) => c.1.clone(),
                None => {
                    let n = client_or_404(tx, id)?.name;
                    clients.push((id, n.clone()));
                    n
                }
            }),
            None => None,
        };
        let project_name = match e.project_id {
            Some(id) => Some(match projects.iter().find(|p| p.0 == id) {
                Some(p) => p.1.clone(),
                None => {
                    let n = project_or_404(tx, id)?.name;
                    projects.push((id, n.clone()));
                    n
                }
            }),
            None => None,
        };
        let tax = match e.tax_rate_id {
            Some(id) => cat::tax_rate(tx, id)?.map(|d| d.tax),
            None => None,
        };
        let invoice_number = match e.invoice_id {
            Some(id) => billable_store::invoices::invoice(tx, id)?.map(|i| i.number),
            None => None,
        };
        let receipt = receipts.binary_search_by_key(&e.id, |r| r.0).ok().map(|n| receipts[n].1.clone());
        out.push(ExpenseView {
            billed_amount: billed_amount(e.amount, e.markup, e.currency),
            tax_name: tax.as_ref().map(|t| t.name.clone()),
            tax_percent: tax.map(|t| t.percent),
            client_name,
            project_name,
            invoice_number,
            receipt,
            expense: e,
        });
    }
    Ok(out)
}

fn view(tx: &Tx, e: Expense) -> AppResult<ExpenseView> {
    Ok(views(tx, vec![e])?.remove(0))
}

fn totals(list: &[ExpenseView]) -> Vec<ExpenseTotal> {
    let mut out: Vec<ExpenseTotal> = Vec::new();
    for v in list {
        let e = &v.expense;
        let idx = match out.iter().position(|t| t.currency == e.currency) {
            Some(i) => i,
            None => {
                out.push(ExpenseTotal {
                    currency: e.currency,
                    count: 0,
                    amount: Decimal::ZERO,
                    billable: Decimal::ZERO,
                    unbilled: Decimal::ZERO,
                });
                out.len() - 1
            }
        };
        let t = &mut out[idx];
        t.count += 1;
        t.amount += e.amount;
        if e.billable {
            t.billable += v.billed_amount;
            if e.invoice_id.is_none() {
                t.unbilled += v.billed_amount;
            }
        }
    }
    out.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
    out
}

fn billed_refusal(tx: &Tx, e: &Expense, what: &str) -> AppResult<AppError> {
    let number = match e.invoice_id {
        Some(id) => billable_store::invoices::invoice(tx, id)?.map(|i| i.number).unwrap_or_else(|| id.to_string()),
        None => String::new(),
    };
    Ok(AppError::conflict(format!(
        "expense {} is billed on invoice {number}; {what} it after deleting that draft or cancelling the invoice",
        e.id
    )))
}

impl Billable {
    pub fn create_expense(&mut self, i: ExpenseInput) -> AppResult<ExpenseView> {
        self.write("save the expense", |tx, clock| {
            let mut e = from_input(tx, clock, &i)?;
            e.id = db::insert_expense(tx, &e, None, clock.now().timestamp())?;
            view(tx, e)
        })
    }

    /// Changes an expense not billed yet.
    pub fn edit_expense(&mut self, id: i64, i: ExpenseInput) -> AppResult<ExpenseView> {
        self.write("save the expense", |tx, clock| {
            let mut e = expense_or_404(tx, id)?;
            if e.invoice_id.is_some() {
                return Err(billed_refusal(tx, &e, "change")?);
            }
            apply(tx, clock, &mut e, &i)?;
            db::update_expense(tx, &e)?;
            view(tx, e)
        })
    }

    /// Deletes an expense not billed yet, with its receipt.
    pub fn delete_expense(&mut self, id: i64) -> AppResult<ExpenseView> {
        self.write("delete the expense", |tx, _| {
            let e = expense_or_404(tx, id)?;
            if e.invoice_id.is_some() {
                return Err(billed_refusal(tx, &e, "delete")?);
            }
            let shown = view(tx, e)?;
            db::delete_expense(tx, id)?;
            Ok(shown)
        })
    }

    pub fn expense(&mut self, id: i64) -> AppResult<ExpenseView> {
        self.read("read the expense", |tx, _| view(tx, expense_or_404(tx, id)?))
    }

    pub fn expenses(&mut self, i: ExpenseListInput) -> AppResult<ExpenseList> {
        self.read("list the expenses", |tx, clock| {
            let mut f = ExpenseFilter {
                client_id: i.client_id,
                project_id: i.project_id,
                from: parse::date_opt("from", i.from.as_deref(), clock)?,
                to: parse::date_opt("to", i.to.as_deref(), clock)?,
                category: i.category.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string),
                ..Default::default()
            };
            match i.state.as_deref().map(str::trim).unwrap_or("") {
                "" | "all" => {}
                "billed" => f.billed = Some(true),
                "unbilled" => {
                    f.billed = Some(false);
                    f.billable = Some(true);
                }
                "not_billable" | "not-billable" => f.billable = Some(false),
                other => {
                    return Err(AppError::invalid(
                        "state",
                        format!("'{other}' is not one of billed, unbilled, not_billable"),
                    ))
                }
            }
            let expenses = views(tx, db::expenses(tx, &f)?)?;
            let totals = totals(&expenses);
            Ok(ExpenseList { expenses, totals })
        })
    }

    /// Puts a receipt on an expense (replacing any): checked by
    /// [`receipt_type`], kept in the books. A billed expense may get one too.
    pub fn attach_receipt(&mut self, id: i64, file_name: &str, bytes: &[u8]) -> AppResult<ExpenseView> {
        let media_type = receipt_type(bytes)?;
        let name = std::path::Path::new(file_name.trim())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "receipt".into());
        let name = parse::text("receipt", &name)?;
        self.write("attach the receipt", |tx, _| {
            let e = expense_or_404(tx, id)?;
            db::set_receipt(tx, id, &name, media_type, bytes)?;
            view(tx, e)
        })
    }

    /// Reads an attached receipt from a file on this computer.
    pub fn attach_receipt_file(&mut self, id: i64, path: &std::path::Path) -> AppResult<ExpenseView> {
        let len = std::fs::metadata(path)
            .map_err(|e| AppError::invalid("receipt", format!("could not read {}: {e}", path.display())))?
            .len();
        if len > MAX_RECEIPT_BYTES as u64 {
            return Err(AppError::invalid(
                "receipt",
                format!(
                    "the file is {:.1} MiB; a receipt may be at most 10 MiB",
                    Decimal::from(len) / Decimal::from(1024 * 1024)
                ),
            ));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| AppError::invalid("receipt", format!("could not read {}: {e}", path.display())))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.attach_receipt(id, &name, &bytes)
    }

    pub fn remove_receipt(&mut self, id: i64) -> AppResult<ExpenseView> {
        self.write("remove the receipt", |tx, _| {
            let e = expense_or_404(tx, id)?;
            if !db::remove_receipt(tx, id)? {
                return Err(AppError::invalid("receipt", format!("expense {id} has no receipt")));
            }
            view(tx, e)
        })
    }

    pub fn receipt(&mut self, id: i64) -> AppResult<ReceiptFile> {
        self.read("read the receipt", |tx, _| {
            expense_or_404(tx, id)?;
            let (info, bytes) = db::receipt_bytes(tx, id)?
                .ok_or_else(|| AppError::invalid("receipt", format!("expense {id} has no receipt")))?;
            Ok(ReceiptFile { info, bytes })
        })
    }
}
