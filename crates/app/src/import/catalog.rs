//! Reading the vendors' lists of projects and clients: Toggl Track's
//! projects and clients exports, Harvest's clients and projects exports.
//! Pure: text in, rows or row errors out (line and column named); never
//! panics on any input. The separator, the number format, currencies and
//! yes/no are read as for time ([`super::formats`]).

use billable_core::model::BillingType;
use billable_core::money::Currency;
use billable_core::rates::validate_rate;
use rust_decimal::Decimal;

use super::formats::{
    currency_in_header, header_of, read_billable, read_currency, sniff_numbers, Columns, Fallbacks, Format,
    NumberFormat, RowError,
};

/// The client's name (Harvest: "Client", "Client Name").
const CLIENT: &[&str] = &["Client", "Client Name", "Customer"];
/// The project's name (Toggl's projects export calls it "Name" or "Project").
const PROJECT: &[&str] = &["Project", "Project Name"];
/// A record's name in Toggl's exports: the project's in a list of projects,
/// the client's in a list of clients.
const NAME: &[&str] = &["Name"];
/// The hourly rate; a currency may be named in the header ("Rate (EUR)").
const RATE: &[&str] = &[
    "Hourly rate",
    "Project hourly rate",
    "Billable rate",
    "Rate",
    "Hourly rate (",
    "Project hourly rate (",
    "Billable rate (",
    "Rate (",
];
const CURRENCY: &[&str] = &["Currency", "Client Currency", "Project Currency"];
const BILLABLE: &[&str] = &["Billable", "Billable?", "Is Billable"];
/// Harvest: Project, Tasks, People or None.
const BILL_BY: &[&str] = &["Bill By", "Billable By"];
/// Harvest: Time & Materials, Fixed Fee or Non-Billable.
const TYPE: &[&str] = &["Project Type", "Billing Type", "Billing Method", "Type"];
/// A fixed fee: the amount, or yes/no (then the budget is the fee).
const FEE: &[&str] = &["Fixed Fee", "Fixed Fee?", "Is Fixed Fee", "Fee", "Fixed fee amount", "Fixed fee ("];
/// Harvest: what the budget counts (hours, or fees).
const BUDGET_BY: &[&str] = &["Budget By", "Budget Type"];
const ACTIVE: &[&str] = &["Active", "Active?", "Is Active"];
const ARCHIVED: &[&str] = &["Archived", "Archived?", "Is Archived"];
const STATUS: &[&str] = &["Status"];
const ADDRESS: &[&str] = &["Address", "Client Address", "Billing Address"];

/// Columns only a projects export has (besides the project's name).
const PROJECT_MARKS: &[&str] = &[
    "Color",
    "Colour",
    "Estimate",
    "Estimated hours",
    "Hourly rate",
    "Rate",
    "Billable rate",
    "Billable",
    "Fixed fee",
    "Template",
    "Private",
    "Tracked hours",
];
/// Columns of Harvest's projects export that Toggl's has not.
const HARVEST_PROJECT_MARKS: &[&str] = &[
    "Project Code",
    "Bill By",
    "Budget By",
    "Project Type",
    "Project Hourly Rate",
    "Billable?",
    "Project Notes",
    "Start Date",
    "End Date",
    "Fee",
    "Active?",
];
/// Columns of Harvest's clients export that Toggl's has not.
const HARVEST_CLIENT_MARKS: &[&str] =
    &["Client Name", "Address", "Client Address", "Currency", "Client Currency", "Active", "Active?"];

/// Columns of time: a file with one of them is time (perhaps an export
/// missing a column), never taken for a list of projects or clients.
const TIME_MARKS: &[&str] =
    &["Date", "Hours", "Duration", "Start", "End", "Start time", "End time", "Spent date", "Duration (h)"];

/// Recognises a list of projects or clients by its header.
pub fn detect(headers: &[String]) -> Option<Format> {
    let has = |names: &[&str]| names.iter().any(|n| headers.iter().any(|h| h.eq_ignore_ascii_case(n)));
    if has(TIME_MARKS) {
        return None;
    }
    let rate_in_header = headers.iter().any(|h| {
        let h = h.to_ascii_lowercase();
        h.starts_with("rate (") || h.starts_with("hourly rate (")
    });
    let (project, name, client) = (has(PROJECT), has(NAME), has(CLIENT));
    if project || (name && (client || has(PROJECT_MARKS) || rate_in_header)) {
        Some(if has(HARVEST_PROJECT_MARKS) { Format::HarvestProjects } else { Format::TogglProjects })
    } else if client || name {
        Some(if has(HARVEST_CLIENT_MARKS) { Format::HarvestClients } else { Format::TogglClients })
    } else {
        None
    }
}

/// One client or project, as the file gives it. `None` where the file
/// leaves a field out or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogRow {
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    pub client: String,
    /// The project's name, in a list of projects.
    pub project: Option<String>,
    pub rate: Option<Decimal>,
    /// The currency of the rate and budget (a project's), or the client's.
    pub currency: Option<Currency>,
    /// Set when the file says how the project is billed.
    pub billing_type: Option<BillingType>,
    /// A budget in money (a fixed fee's amount, or the budget of hourly
    /// work); budgets in hours are not read.
    pub budget: Option<Decimal>,
    pub address: Option<String>,
    /// The file marks the record archived (inactive).
    pub archived: bool,
}

/// The file read: its rows, how it writes numbers, and the columns it has
/// that Billable keeps nothing of.
#[derive(Debug, Clone)]
pub struct CatalogFile {
    pub format: Format,
    pub rows: Vec<CatalogRow>,
    pub number_format: NumberFormat,
    pub ignored_columns: Vec<String>,
}

/// How a project is billed, in the vendors' words: the billing type, and
/// whether it is billed at all.
fn read_project_type(text: &str) -> Option<(BillingType, bool)> {
    let t: String = text.to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    match t.as_str() {
        "timematerials" | "timeandmaterials" | "tm" | "hourly" | "time" | "timebased" => {
            Some((BillingType::Hourly, true))
        }
        "fixedfee" | "fixedprice" | "fixed" | "flatfee" => Some((BillingType::FixedPrice, true)),
        "retainer" => Some((BillingType::Retainer, true)),
        "nonbillable" | "notbillable" | "none" => Some((BillingType::Hourly, false)),
        _ => None,
    }
}

/// Harvest's "Bill By": whether the project is billed at all.
fn read_bill_by(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "project"
        | "projects"
        | "project hourly rate"
        | "tasks"
        | "task"
        | "task hourly rate"
        | "people"
        | "person"
        | "person hourly rate" => Some(true),
        "none" | "no" | "not billable" | "non-billable" => Some(false),
        _ => None,
    }
}

/// Whether a budget counts money: Harvest budgets "Total project fees" and
/// "Fees per task" are money, the others ("Total project hours", "Hours
/// per person"…) hours. `None` when the text says there is no budget.
fn budget_is_money(text: &str) -> Option<bool> {
    let t = text.to_ascii_lowercase();
    if t.is_empty() || t == "none" || t == "no budget" {
        None
    } else {
        Some(t.contains("fee") || t.contains("cost") || t.contains("money") || t.contains("amount"))
    }
}

/// Archived (true) or active (false), from a status such as "Archived".
fn read_status(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "active" | "open" | "current" => Some(false),
        "archived" | "inactive" | "closed" | "done" => Some(true),
        _ => None,
    }
}

/// An amount as vendors write it, currency and all: `85,50`, `€85.50`,
/// `85.50 EUR`. The number, and the currency it names (a code, € or £).
fn split_amount(text: &str) -> (&str, Option<Currency>) {
    let t = text.trim();
    for (symbol, code) in [("€", Some("EUR")), ("£", Some("GBP")), ("$", None)] {
        if let Some(rest) = t.strip_prefix(symbol).or_else(|| t.strip_suffix(symbol)) {
            return (rest.trim(), code.and_then(|c| Currency::parse(c).ok()));
        }
    }
    let code_at = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic());
    if let Some((number, code)) = t.rsplit_once(' ').filter(|(_, c)| code_at(c)) {
        if let Ok(c) = Currency::parse(code) {
            return (number.trim(), Some(c));
        }
    }
    if let Some((code, number)) = t.split_once(' ').filter(|(c, _)| code_at(c)) {
        if let Ok(c) = Currency::parse(code) {
            return (number.trim(), Some(c));
        }
    }
    (t, None)
}

/// The column of a budget in money: "Budget", "Project Budget", "Cost
/// Budget", "Budget (EUR)", never one counted in hours ("Budgeted Hours",
/// "Budget (hours)").
fn money_budget_column(headers: &[String]) -> Option<usize> {
    headers.iter().position(|h| {
        let h = h.to_ascii_lowercase();
        !h.contains("hour")
            && (matches!(h.as_str(), "budget" | "project budget" | "cost budget" | "budget amount")
                || h.starts_with("budget ("))
    })
}

/// Reads a list of projects or clients. Either every row is good, or the
/// errors (each naming its line and column) are returned and nothing
/// should be written.
pub fn parse_catalog(text: &str, format: Format, fallbacks: &Fallbacks) -> Result<CatalogFile, Vec<RowError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_error = |message: String| vec![RowError { line: 1, column: "header".into(), message }];
    let Some((delimiter, headers)) = header_of(text) else {
        return Err(header_error("the file has no header line".into()));
    };
    let cols = Columns::new(&headers);
    let projects = format.has_projects();
    // Toggl's exports name the record "Name": the project in a list of
    // projects (whose client is "Client"), the client in a list of clients.
    let (c_client, c_project) = if projects {
        (cols.find(CLIENT), cols.find(PROJECT).or_else(|| cols.find(NAME)))
    } else {
        (cols.find(CLIENT).or_else(|| cols.find(NAME)), None)
    };
    let mut errors = Vec::new();
    let missing = |names: &[&str], why: &str| RowError {
        line: 1,
        column: names.first().copied().unwrap_or("?").to_string(),
        message: format!("the {} export has no such column{why}", format.as_str()),
    };
    if projects && c_project.is_none() {
        errors.push(missing(PROJECT, " (the project's name)"));
    }
    if c_client.is_none() && (!projects || fallbacks.client.is_none()) {
        errors.push(missing(
            CLIENT,
            if projects { "; choose a default client for its projects" } else { " (the client's name)" },
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (c_rate, c_currency, c_billable, c_bill_by, c_type, c_fee, c_budget_by) = if projects {
        (
            cols.find(RATE),
            cols.find(CURRENCY),
            cols.find(BILLABLE),
            cols.find(BILL_BY),
            cols.find(TYPE),
            cols.find(FEE),
            cols.find(BUDGET_BY),
        )
    } else {
        (None, cols.find(CURRENCY), None, None, None, None, None)
    };
    let c_budget = if projects { money_budget_column(&headers) } else { None };
    let c_address = if projects { None } else { cols.find(ADDRESS) };
    let (c_active, c_archived, c_status) = (cols.find(ACTIVE), cols.find(ARCHIVED), cols.find(STATUS));
    let used: Vec<usize> = [
        c_client,
        c_project,
        c_rate,
        c_currency,
        c_billable,
        c_bill_by,
        c_type,
        c_fee,
        c_budget_by,
        c_budget,
        c_address,
        c_active,
        c_archived,
        c_status,
    ]
    .into_iter()
    .flatten()
    .collect();
    let ignored_columns: Vec<String> = headers
        .iter()
        .enumerate()
        .filter(|(i, h)| !used.contains(i) && !h.is_empty())
        .map(|(_, h)| h.clone())
        .collect();
    let name_of = |i: Option<usize>| i.and_then(|i| headers.get(i)).cloned().unwrap_or_default();
    let header_currency = c_rate.and_then(|i| currency_in_header(&headers[i]));
    let numeric: Vec<usize> = [c_rate, c_fee, c_budget].into_iter().flatten().collect();
    let numbers = sniff_numbers(text, delimiter, &numeric);

    let mut out = CatalogFile { format, rows: Vec::new(), number_format: numbers, ignored_columns };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                if RowError::of_csv(&e, &mut errors) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
        let mut err = |col: Option<usize>, message: String| {
            errors.push(RowError { line, column: name_of(col), message });
        };
        // A name: required, at most 200 characters, no control characters.
        let mut name = |col: Option<usize>, value: &str, why: &str, fallback: Option<&str>| -> Option<String> {
            let v = match (value, fallback) {
                ("", Some(f)) => f.trim(),
                (v, _) => v,
            };
            if v.is_empty() {
                err(col, format!("is empty; {why}"));
                None
            } else if v.chars().count() > 200 {
                err(col, "is longer than 200 characters".into());
                None
            } else if v.chars().any(char::is_control) {
                err(col, "contains control characters".into());
                None
            } else {
                Some(v.to_string())
            }
        };
        let client = if projects {
            let why = "every project needs a client (or choose a default client for the import)";
            name(c_client, get(c_client), why, fallbacks.client.as_deref())
        } else {
            name(c_client, get(c_client), "every client needs a name", None)
        };
        let project = if projects { name(c_project, get(c_project), "every project needs a name", None) } else { None };
        let mut err = |col: Option<usize>, message: String| {
            errors.push(RowError { line, column: name_of(col), message });
        };
        let yes_no = |col: Option<usize>, err: &mut dyn FnMut(Option<usize>, String)| match get(col) {
            "" => None,
            t => match read_billable(t) {
                Some(v) => Some(v),
                None => {
                    err(col, format!("'{t}' is not yes or no"));
                    None
                }
            },
        };
        // An amount in the file's number format, zero or more.
        let mut named_currency = None;
        let mut amount = |col: Option<usize>, what: &str, err: &mut dyn FnMut(Option<usize>, String)| {
            let (t, currency) = split_amount(get(col));
            if t.is_empty() {
                return None;
            }
            named_currency = named_currency.or(currency);
            match numbers.read(t) {
                Some(v) if v < Decimal::ZERO => {
                    err(col, format!("'{t}' is negative; {what} is zero or more"));
                    None
                }
                Some(v) => match validate_rate("rate", v) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        err(col, format!("'{t}' is implausibly large for {what}"));
                        None
                    }
                },
                None => {
                    err(col, format!("'{t}' is not a number as this file writes them (such as {})", numbers.example()));
                    None
                }
            }
        };
        let mut rate = amount(c_rate, "a rate", &mut err);
        let mut budget = amount(c_budget, "a budget", &mut err);
        // The fee column holds the fee, or says yes/no.
        let (fee, fixed_flag) = match get(c_fee) {
            "" => (None, None),
            t => match read_billable(t).filter(|_| NumberFormat::of(t).is_none() && t.parse::<i64>().is_err()) {
                Some(flag) => (None, Some(flag)),
                None => (amount(c_fee, "a fee", &mut err), None),
            },
        };
        let currency = match get(c_currency) {
            "" => named_currency.or(header_currency),
            t => match read_currency(t) {
                Some(c) => Some(c),
                None => {
                    err(c_currency, format!("'{t}' is not a currency (a code such as EUR, or 'Euro - EUR')"));
                    None
                }
            },
        };
        let mut billable = yes_no(c_billable, &mut err);
        match get(c_bill_by) {
            "" => {}
            t => match read_bill_by(t) {
                Some(b) => billable = Some(billable.unwrap_or(true) && b),
                None => {
                    err(c_bill_by, format!("'{t}' is not how a project is billed (Project, Tasks, People or None)"))
                }
            },
        }
        let mut billing_type = None;
        match get(c_type) {
            "" => {}
            t => match read_project_type(t) {
                Some((kind, billed)) => {
                    billing_type = Some(kind);
                    billable = Some(billable.unwrap_or(true) && billed);
                }
                None => err(
                    c_type,
                    format!("'{t}' is not a project type (Time & Materials, Fixed Fee, Non-Billable or Retainer)"),
                ),
            },
        }
        if fee.is_some() || fixed_flag == Some(true) {
            billing_type = Some(BillingType::FixedPrice);
        } else if fixed_flag == Some(false) && billing_type.is_none() {
            billing_type = Some(BillingType::Hourly);
        }
        match get(c_budget_by) {
            "" => {}
            t => match budget_is_money(t) {
                Some(true) => {}
                // A budget in hours (or none): Billable's budgets are money.
                _ => budget = None,
            },
        }
        if billing_type.is_some_and(|t| t != BillingType::Hourly) {
            // A fixed fee's (or retainer's) amount is its budget.
            budget = fee.or(budget);
            if budget.is_none() {
                let col = c_fee.or(c_budget).or(c_type);
                err(col, "gives no amount for a fixed fee project; give its fee (or budget)".into());
            }
        }
        if billable == Some(false) {
            // Not billed: a rate in the file is not one to bill at.
            rate = None;
        }
        // Archived, Status or Active, the first the row fills in.
        let archived = if !get(c_archived).is_empty() {
            yes_no(c_archived, &mut err).unwrap_or(false)
        } else if !get(c_status).is_empty() {
            let t = get(c_status);
            read_status(t).unwrap_or_else(|| {
                err(c_status, format!("'{t}' is not a status (Active or Archived)"));
                false
            })
        } else {
            !yes_no(c_active, &mut err).unwrap_or(true)
        };
        let address = match get(c_address) {
            "" => None,
            t if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') => {
                err(c_address, "contains control characters".into());
                None
            }
            t => Some(t.replace("\r\n", "\n")),
        };
        let Some(client) = client else { continue };
        if (projects && project.is_none()) || !errors.is_empty() {
            // The file will be refused: only its other errors matter now.
            continue;
        }
        out.rows.push(CatalogRow { line, client, project, rate, currency, billing_type, budget, address, archived });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(str::to_string).collect()
    }

    #[test]
    fn each_export_is_told_by_its_header() {
        let cases = [
            ("Project,Client,Billable,Hourly rate,Currency,Color,Estimate,Active", Format::TogglProjects),
            ("Name,Client,Color,Rate (EUR),Archived", Format::TogglProjects),
            ("Name,Notes", Format::TogglClients),
            ("Client,Notes,Archived", Format::TogglClients),
            ("Client Name,Address,Currency,Active?", Format::HarvestClients),
            ("Client,Address,Currency", Format::HarvestClients),
            (
                "Client,Project,Project Code,Project Type,Bill By,Project Hourly Rate,Budget By,Budget,Start Date",
                Format::HarvestProjects,
            ),
        ];
        for (header, format) in cases {
            assert_eq!(detect(&headers(header)), Some(format), "{header}");
        }
        assert_eq!(detect(&headers("Date,Hours,Notes")), None);
        // Time missing a column is not taken for a list of projects.
        assert_eq!(detect(&headers("client,project,hours")), None);
        assert_eq!(detect(&headers("Client,Project,Task,Duration")), None);
    }

    #[test]
    fn amounts_with_their_currency() {
        assert_eq!(split_amount("€85,50"), ("85,50", Currency::parse("EUR").ok()));
        assert_eq!(split_amount("85.50 USD"), ("85.50", Currency::parse("USD").ok()));
        assert_eq!(split_amount("CHF 120"), ("120", Currency::parse("CHF").ok()));
        assert_eq!(split_amount("$90"), ("90", None));
        assert_eq!(split_amount("12 abc"), ("12 abc", None));
    }

    #[test]
    fn a_harvest_fixed_fee_project_keeps_its_fee_as_the_budget() {
        let text = "Client;Project;Project Type;Project Hourly Rate;Budget By;Budget;Currency\n\
                    Acme;Relaunch;Fixed Fee;;Total project fees;12.500,00;Euro - EUR\n\
                    Acme;Support;Time & Materials;95,00;Total project hours;40;Euro - EUR\n\
                    Acme;Internal;Non-Billable;50,00;;;Euro - EUR\n";
        let f = parse_catalog(text, Format::HarvestProjects, &Fallbacks::default()).unwrap();
        assert_eq!(f.number_format, NumberFormat::Comma);
        let r = &f.rows;
        assert_eq!(
            (r[0].billing_type, r[0].budget, r[0].rate),
            (Some(BillingType::FixedPrice), Some(dec!(12500)), None)
        );
        assert_eq!((r[1].billing_type, r[1].budget, r[1].rate), (Some(BillingType::Hourly), None, Some(dec!(95))));
        assert_eq!((r[2].rate, r[2].currency.map(|c| c.code())), (None, Some("EUR")));
    }

    #[test]
    fn bad_cells_are_named_by_line_and_column() {
        let text = "Project,Client,Hourly rate,Currency\nSite,Acme,lots,EUR\n,Acme,10,EUR\nApp,Acme,10,Euros\n";
        let e = parse_catalog(text, Format::TogglProjects, &Fallbacks::default()).unwrap_err();
        let got: Vec<(u64, &str)> = e.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(got, [(2, "Hourly rate"), (3, "Project"), (4, "Currency")]);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_fails_without_panicking(text in "\\PC{0,400}") {
            for format in [Format::TogglProjects, Format::HarvestClients] {
                let _ = parse_catalog(&text, format, &Fallbacks::default());
                let _ = parse_catalog(&format!("Client,Project,Rate,Budget,Fee\n{text}"), format, &Fallbacks::default());
            }
            let _ = split_amount(&text);
        }
    }
}
