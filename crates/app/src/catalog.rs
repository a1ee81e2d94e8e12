//! The business profile, clients, projects, tasks, team members, tax rates.

use billable_core::model::{
    require_name, validate_country, validate_email, BillingType, Business, Client, Member, Project, Task, TaxRateDef,
};
use billable_core::numbering::NumberPattern;
use billable_core::tax::{TaxCategory, TaxMode, TaxRate};
use billable_core::time::RoundingPolicy;
use billable_core::{money::parse_decimal, Currency};
use billable_store::{catalog as db, StoreError, Tx};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::parse;
use crate::Billable;

/// Changes to the business profile; `None` leaves a field as it is, an
/// empty string clears an optional one.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct BusinessInput {
    pub name: Option<String>,
    pub address: Option<String>,
    pub country: Option<String>,
    pub tax_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub bank_name: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub payment_link: Option<String>,
    pub default_currency: Option<String>,
    pub payment_terms_days: Option<String>,
    pub logo_path: Option<String>,
    pub default_rate: Option<String>,
    pub rounding: Option<String>,
    pub invoice_number_pattern: Option<String>,
    pub default_tax_mode: Option<String>,
    pub default_notes: Option<String>,
    pub default_terms: Option<String>,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub vat_id: Option<String>,
    /// classic, minimal or detailed.
    pub pdf_template: Option<String>,
    /// a4 or letter.
    pub paper_size: Option<String>,
    /// en-US, en-GB, de-DE, fr-FR, es-ES, nl-NL or ja-JP.
    pub locale: Option<String>,
    /// on or off: embed the e-invoice (Factur-X) in PDFs by default.
    pub einvoicing: Option<String>,
    pub signature_path: Option<String>,
    /// The Peppol participant id, `scheme:value` (e.g. 0088:4000001123452); empty: from the VAT id.
    pub peppol_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ClientInput {
    pub name: Option<String>,
    pub contact_person: Option<String>,
    pub emails: Option<Vec<String>>,
    pub address: Option<String>,
    pub country: Option<String>,
    pub tax_id: Option<String>,
    pub currency: Option<String>,
    pub payment_terms_days: Option<String>,
    pub tax_rate_ids: Option<Vec<i64>>,
    pub rounding: Option<String>,
    pub rate: Option<String>,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    /// BT-10, e.g. an XRechnung Leitweg-ID such as 04011000-1234512345-06.
    pub buyer_reference: Option<String>,
    /// The Peppol participant id, `scheme:value` (e.g. 9930:DE123456789); empty: from the VAT id.
    pub peppol_id: Option<String>,
    /// The pricing of this client's new invoices: "gross" (prices include
    /// tax), "net"; empty: net, no default.
    pub default_pricing: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ProjectInput {
    pub client_id: Option<i64>,
    pub name: Option<String>,
    pub billing_type: Option<String>,
    pub rate: Option<String>,
    pub budget: Option<String>,
    pub rounding: Option<String>,
    /// Bill only approved time (hourly projects only).
    pub approval_required: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct TaskInput {
    pub project_id: Option<i64>,
    pub name: Option<String>,
    pub rate: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct MemberInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub default_rate: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct TaxRateInput {
    pub name: Option<String>,
    pub percent: Option<String>,
    pub category: Option<String>,
    pub exemption_reason: Option<String>,
}

fn opt_email(field: &str, v: &str) -> AppResult<String> {
    if v.trim().is_empty() {
        Ok(String::new())
    } else {
        Ok(validate_email(field, v)?)
    }
}

/// A path to a PNG or JPEG file (logo, signature); empty clears it.
fn image_path(field: &str, v: &str) -> AppResult<Option<String>> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let lower = v.to_ascii_lowercase();
    if !(lower.ends_with(".png") || lower.ends_with(".jpg") || lower.ends_with(".jpeg")) {
        return Err(AppError::invalid(field, "the image must be a PNG or JPEG file"));
    }
    if !std::path::Path::new(v).is_file() {
        return Err(AppError::invalid(field, format!("no file at {v}")));
    }
    Ok(Some(v.to_string()))
}

/// A Peppol participant id as the user typed it, kept as `scheme:value`;
/// empty clears it (the VAT id's is used).
fn peppol_id(field: &str, v: &str) -> AppResult<String> {
    if v.trim().is_empty() {
        return Ok(String::new());
    }
    billable_docs::einvoice::peppol::parse(v).map(|id| id.to_string()).map_err(|e| AppError::invalid(field, e))
}

/// A VAT identification number: a two-letter country prefix and 2–13
/// letters or digits (spaces, dots and dashes as people type them are dropped).
fn vat_id(field: &str, v: &str) -> AppResult<String> {
    let id: String = v.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '-').collect::<String>();
    let id = id.to_ascii_uppercase();
    if id.is_empty() {
        return Ok(id);
    }
    let (prefix, rest) = id.split_at(id.char_indices().nth(2).map_or(id.len(), |(i, _)| i));
    let ok = prefix.len() == 2
        && prefix.chars().all(|c| c.is_ascii_uppercase())
        && (2..=13).contains(&rest.len())
        && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '*');
    if ok {
        Ok(id)
    } else {
        Err(AppError::invalid(
            field,
            format!("'{}' is not a VAT id; it starts with the country code, e.g. DE123456789", v.trim()),
        ))
    }
}

/// A presentation setting (template, paper, locale) whose error names `field`.
pub(crate) fn setting<T: std::str::FromStr<Err = billable_core::CoreError>>(field: &str, v: &str) -> AppResult<T> {
    v.parse::<T>().map_err(|e| match e {
        billable_core::CoreError::Invalid { message, .. } => AppError::invalid(field, message),
        other => other.into(),
    })
}

fn on_off(field: &str, v: &str) -> AppResult<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        other => Err(AppError::invalid(field, format!("'{other}' is not on or off"))),
    }
}

fn rounding_opt(v: &str) -> AppResult<Option<RoundingPolicy>> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        Ok(Some(RoundingPolicy::parse(v)?))
    }
}

pub(crate) fn unique(e: StoreError, field: &str, message: String) -> AppError {
    if e.is_unique_violation() {
        AppError::invalid(field, message)
    } else {
        e.into()
    }
}

pub(crate) fn client_or_404(tx: &Tx, id: i64) -> AppResult<Client> {
    db::client(tx, id)?.ok_or_else(|| AppError::not_found("client", id))
}

pub(crate) fn project_or_404(tx: &Tx, id: i64) -> AppResult<Project> {
    db::project(tx, id)?.ok_or_else(|| AppError::not_found("project", id))
}

pub(crate) fn task_or_404(tx: &Tx, id: i64) -> AppResult<Task> {
    db::task(tx, id)?.ok_or_else(|| AppError::not_found("task", id))
}

pub(crate) fn member_or_404(tx: &Tx, id: i64) -> AppResult<Member> {
    db::member(tx, id)?.ok_or_else(|| AppError::not_found("team member", id))
}

pub(crate) fn tax_rate_or_404(tx: &Tx, id: i64) -> AppResult<TaxRateDef> {
    db::tax_rate(tx, id)?.ok_or_else(|| AppError::not_found("tax rate", id))
}

/// What [`pick`] looks for: the input field, the thing's name, and how a
/// person tells apart several with the same name.
pub(crate) struct Wanted<'a> {
    pub field: &'a str,
    pub what: &'a str,
    pub narrow: &'a str,
}

/// One of `items` by a key that is its name (exact, any case) or its id, as
/// a person types `--project Web` or `--project 3`. Active ones are looked
/// at before archived ones. A name that several share is refused, naming
/// each with `label` (asked only then).
pub(crate) fn pick<T>(
    Wanted { field, what, narrow }: Wanted,
    key: &str,
    items: Vec<T>,
    id: impl Fn(&T) -> i64,
    archived: impl Fn(&T) -> bool,
    names: impl Fn(&T) -> Vec<String>,
    label: impl Fn(&T) -> AppResult<String>,
) -> AppResult<T> {
    let key = key.trim();
    if key.is_empty() {
        return Err(AppError::invalid(field, format!("give the {what}'s name or id")));
    }
    let wanted = key.to_lowercase();
    let (active, archived): (Vec<T>, Vec<T>) = items.into_iter().partition(|t| !archived(t));
    for group in [active, archived] {
        let (mut hits, rest): (Vec<T>, Vec<T>) =
            group.into_iter().partition(|t| names(t).iter().any(|n| n.trim().to_lowercase() == wanted));
        match hits.len() {
            0 => {
                if let Some(t) = key.parse::<i64>().ok().and_then(|n| rest.into_iter().find(|t| id(t) == n)) {
                    return Ok(t);
                }
            }
            1 => return Ok(hits.remove(0)),
            n => {
                let mut each = hits.iter().map(&label).collect::<AppResult<Vec<String>>>()?;
                let last = each.pop().unwrap_or_default();
                return Err(AppError::invalid(
                    field,
                    format!("'{key}' is the name of {n} {what}s: {} and {last}; give the id{narrow}", each.join(", ")),
                ));
            }
        }
    }
    Err(AppError::invalid(field, format!("no {what} has the name or id '{key}'")))
}

fn apply_client(tx: &Tx, c: &mut Client, i: &ClientInput) -> AppResult<()> {
    if let Some(v) = &i.name {
        c.name = require_name("name", v)?;
    }
    if let Some(v) = &i.contact_person {
        c.contact_person = parse::text("contact_person", v)?;
    }
    if let Some(list) = &i.emails {
        let mut emails = Vec::new();
        for e in list.iter().flat_map(|e| e.split([',', ';'])).map(str::trim).filter(|e| !e.is_empty()) {
            emails.push(validate_email("emails", e)?);
        }
        c.emails = emails;
    }
    if let Some(v) = &i.address {
        c.address = parse::text("address", v)?;
    }
    if let Some(v) = &i.country {
        c.country = validate_country("country", v)?;
    }
    if let Some(v) = &i.tax_id {
        c.tax_id = parse::text("tax_id", v)?;
    }
    if let Some(v) = &i.currency {
        c.currency = if v.trim().is_empty() { None } else { Some(Currency::parse(v)?) };
    }
    if let Some(v) = &i.payment_terms_days {
        c.payment_terms_days = parse::days("payment_terms_days", v)?;
    }
    if let Some(ids) = &i.tax_rate_ids {
        for id in ids {
            let t = db::tax_rate(tx, *id)?
                .ok_or_else(|| AppError::invalid("tax_rate_ids", format!("tax rate {id} does not exist")))?;
            if t.archived {
                return Err(AppError::invalid("tax_rate_ids", format!("tax rate {} is archived", t.tax.name)));
            }
        }
        let mut ids = ids.clone();
        ids.dedup();
        c.tax_rate_ids = ids;
    }
    if let Some(v) = &i.rounding {
        c.rounding = rounding_opt(v)?;
    }
    if let Some(v) = &i.rate {
        c.rate = parse::rate_opt("rate", v)?;
    }
    if let Some(v) = &i.street {
        c.street = parse::text("street", v)?;
    }
    if let Some(v) = &i.postcode {
        c.postcode = parse::text("postcode", v)?;
    }
    if let Some(v) = &i.city {
        c.city = parse::text("city", v)?;
    }
    if let Some(v) = &i.buyer_reference {
        c.buyer_reference = parse::text("buyer_reference", v)?;
    }
    if let Some(v) = &i.default_pricing {
        c.default_pricing = match v.trim() {
            "" => None,
            v => Some(billable_core::tax::Pricing::parse("default_pricing", v)?),
        };
    }
    if let Some(v) = &i.peppol_id {
        c.peppol_id = peppol_id("peppol_id", v)?;
    }
    Ok(())
}

fn apply_project(tx: &Tx, p: &mut Project, i: &ProjectInput) -> AppResult<()> {
    if let Some(id) = i.client_id {
        let c =
            db::client(tx, id)?.ok_or_else(|| AppError::invalid("client", format!("client {id} does not exist")))?;
        if c.archived && p.client_id != id {
            return Err(AppError::invalid("client", format!("client {} is archived", c.name)));
        }
        p.client_id = id;
    }
    if let Some(v) = &i.name {
        p.name = require_name("name", v)?;
    }
    if let Some(v) = &i.billing_type {
        p.billing_type = v.parse::<BillingType>()?;
    }
    if let Some(v) = &i.rate {
        p.rate = parse::rate_opt("rate", v)?;
    }
    if let Some(v) = &i.budget {
        p.budget = parse::rate_opt("budget", v)?;
    }
    if let Some(v) = &i.rounding {
        p.rounding = rounding_opt(v)?;
    }
    if let Some(v) = i.approval_required {
        if v && p.billing_type != BillingType::Hourly {
            return Err(AppError::invalid(
                "approval_required",
                format!(
                    "only hourly (time and materials) projects bill approved time; {} is {}",
                    p.name,
                    p.billing_type.as_str().replace('_', " ")
                ),
            ));
        }
        p.approval_required = v;
    } else if p.billing_type != BillingType::Hourly {
        // A project that stops being billed by the hour stops billing by approval.
        p.approval_required = false;
    }
    if p.billing_type != BillingType::Hourly && p.budget.is_none() {
        return Err(AppError::invalid(
            "budget",
            format!("a {} project needs its amount as the budget", p.billing_type.as_str().replace('_', " ")),
        ));
    }
    Ok(())
}

impl Billable {
    // ---- business ---------------------------------------------------------

    pub fn business(&mut self) -> AppResult<Business> {
        self.read("read the business profile", |tx, _| Ok(db::business(tx)?))
    }

    pub fn update_business(&mut self, i: BusinessInput) -> AppResult<Business> {
        self.write("save the business profile", |tx, _| {
            let mut b = db::business(tx)?;
            if let Some(v) = &i.name {
                b.name = parse::text("name", v)?;
            }
            if let Some(v) = &i.address {
                b.address = parse::text("address", v)?;
            }
            if let Some(v) = &i.country {
                b.country = validate_country("country", v)?;
            }
            if let Some(v) = &i.tax_id {
                b.tax_id = parse::text("tax_id", v)?;
            }
            if let Some(v) = &i.email {
                b.email = opt_email("email", v)?;
            }
            if let Some(v) = &i.phone {
                b.phone = parse::text("phone", v)?;
            }
            if let Some(v) = &i.bank_name {
                b.bank_name = parse::text("bank_name", v)?;
            }
            if let Some(v) = &i.iban {
                let iban: String = v.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
                if !iban.is_empty() && !iban_ok(&iban) {
                    return Err(AppError::invalid("iban", format!("'{}' is not a valid IBAN (checksum)", v.trim())));
                }
                b.iban = iban;
            }
            if let Some(v) = &i.bic {
                let bic = v.trim().to_uppercase();
                if !bic.is_empty() && bic.len() != 8 && bic.len() != 11 {
                    return Err(AppError::invalid("bic", format!("'{bic}' is not a BIC (8 or 11 characters)")));
                }
                b.bic = bic;
            }
            if let Some(v) = &i.payment_link {
                b.payment_link = parse::text("payment_link", v)?;
            }
            if let Some(v) = &i.default_currency {
                b.default_currency = Currency::parse(v).map_err(|_| {
                    AppError::invalid("default_currency", format!("'{}' is not an ISO 4217 currency code", v.trim()))
                })?;
            }
            if let Some(v) = &i.payment_terms_days {
                b.payment_terms_days = parse::days("payment_terms_days", v)?.unwrap_or(0);
            }
            if let Some(v) = &i.logo_path {
                b.logo_path = image_path("logo_path", v)?;
            }
            if let Some(v) = &i.default_rate {
                b.default_rate = parse::rate_opt("default_rate", v)?;
            }
            if let Some(v) = &i.rounding {
                b.rounding = if v.trim().is_empty() { RoundingPolicy::NONE } else { RoundingPolicy::parse(v)? };
            }
            if let Some(v) = &i.invoice_number_pattern {
                b.invoice_number_pattern = NumberPattern::parse(v)?.as_str().to_string();
            }
            if let Some(v) = &i.default_tax_mode {
                b.default_tax_mode = v.parse::<TaxMode>()?;
            }
            if let Some(v) = &i.default_notes {
                b.default_notes = parse::text("default_notes", v)?;
            }
            if let Some(v) = &i.default_terms {
                b.default_terms = parse::text("default_terms", v)?;
            }
            if let Some(v) = &i.street {
                b.street = parse::text("street", v)?;
            }
            if let Some(v) = &i.postcode {
                b.postcode = parse::text("postcode", v)?;
            }
            if let Some(v) = &i.city {
                b.city = parse::text("city", v)?;
            }
            if let Some(v) = &i.vat_id {
                b.vat_id = vat_id("vat_id", v)?;
            }
            if let Some(v) = &i.pdf_template {
                b.pdf_template = setting("pdf_template", v)?;
            }
            if let Some(v) = &i.paper_size {
                b.paper_size = setting("paper_size", v)?;
            }
            if let Some(v) = &i.locale {
                b.locale = setting("locale", v)?;
            }
            if let Some(v) = &i.einvoicing {
                b.einvoicing = on_off("einvoicing", v)?;
            }
            if let Some(v) = &i.signature_path {
                b.signature_path = image_path("signature_path", v)?;
            }
            if let Some(v) = &i.peppol_id {
                b.peppol_id = peppol_id("peppol_id", v)?;
            }
            db::update_business(tx, &b)?;
            Ok(b)
        })
    }

    // ---- clients ----------------------------------------------------------

    pub fn create_client(&mut self, i: ClientInput) -> AppResult<Client> {
        self.write("create the client", |tx, _| {
            let mut c = Client {
                id: 0,
                name: String::new(),
                contact_person: String::new(),
                emails: vec![],
                address: String::new(),
                country: String::new(),
                tax_id: String::new(),
                currency: None,
                payment_terms_days: None,
                tax_rate_ids: vec![],
                rounding: None,
                rate: None,
                archived: false,
                street: String::new(),
                postcode: String::new(),
                city: String::new(),
                buyer_reference: String::new(),
                peppol_id: String::new(),
                default_pricing: None,
            };
            if i.name.is_none() {
                return Err(AppError::invalid("name", "is required"));
            }
            apply_client(tx, &mut c, &i)?;
            c.id = db::insert_client(tx, &c)
                .map_err(|e| unique(e, "name", format!("a client named '{}' already exists", c.name)))?;
            Ok(c)
        })
    }

    pub fn edit_client(&mut self, id: i64, i: ClientInput) -> AppResult<Client> {
        self.write("save the client", |tx, _| {
            let mut c = client_or_404(tx, id)?;
            apply_client(tx, &mut c, &i)?;
            db::update_client(tx, &c)
                .map_err(|e| unique(e, "name", format!("a client named '{}' already exists", c.name)))?;
            Ok(c)
        })
    }

    pub fn archive_client(&mut self, id: i64, archived: bool) -> AppResult<Client> {
        self.write("archive the client", |tx, _| {
            let mut c = client_or_404(tx, id)?;
            c.archived = archived;
            db::update_client(tx, &c)?;
            Ok(c)
        })
    }

    pub fn client(&mut self, id: i64) -> AppResult<Client> {
        self.read("read the client", |tx, _| client_or_404(tx, id))
    }

    /// Finds a client by id or by exact name (case-insensitive).
    pub fn find_client(&mut self, key: &str) -> AppResult<Client> {
        self.read("find the client", |tx, _| {
            if let Some(c) = db::client_by_name(tx, key.trim())? {
                return Ok(c);
            }
            match key.trim().parse::<i64>() {
                Ok(id) => client_or_404(tx, id),
                Err(_) => Err(AppError::not_found("client", key.trim())),
            }
        })
    }

    pub fn clients(&mut self, include_archived: bool, search: Option<&str>) -> AppResult<Vec<Client>> {
        self.read("list clients", |tx, _| Ok(db::clients(tx, include_archived, search)?))
    }

    // ---- projects ---------------------------------------------------------

    pub fn create_project(&mut self, i: ProjectInput) -> AppResult<Project> {
        self.write("create the project", |tx, _| {
            let Some(client_id) = i.client_id else {
                return Err(AppError::invalid("client", "is required"));
            };
            if i.name.is_none() {
                return Err(AppError::invalid("name", "is required"));
            }
            let client = db::client(tx, client_id)?
                .ok_or_else(|| AppError::invalid("client", format!("client {client_id} does not exist")))?;
            if client.archived {
                return Err(AppError::invalid("client", format!("client {} is archived", client.name)));
            }
            let mut p = Project {
                id: 0,
                client_id,
                name: String::new(),
                billing_type: BillingType::Hourly,
                rate: None,
                budget: None,
                rounding: None,
                archived: false,
                approval_required: false,
            };
            apply_project(tx, &mut p, &i)?;
            p.id = db::insert_project(tx, &p)
                .map_err(|e| unique(e, "name", format!("{} already has a project named '{}'", client.name, p.name)))?;
            Ok(p)
        })
    }

    pub fn edit_project(&mut self, id: i64, i: ProjectInput) -> AppResult<Project> {
        self.write("save the project", |tx, _| {
            let mut p = project_or_404(tx, id)?;
            apply_project(tx, &mut p, &i)?;
            db::update_project(tx, &p)
                .map_err(|e| unique(e, "name", format!("the client already has a project named '{}'", p.name)))?;
            Ok(p)
        })
    }

    pub fn archive_project(&mut self, id: i64, archived: bool) -> AppResult<Project> {
        self.write("archive the project", |tx, _| {
            let mut p = project_or_404(tx, id)?;
            p.archived = archived;
            db::update_project(tx, &p)?;
            Ok(p)
        })
    }

    pub fn project(&mut self, id: i64) -> AppResult<Project> {
        self.read("read the project", |tx, _| project_or_404(tx, id))
    }

    /// A project by its name or id (`--project Web`), among the client's
    /// projects when a client is given. A name two clients' projects share
    /// is refused, naming both.
    pub fn find_project(&mut self, key: &str, client_id: Option<i64>) -> AppResult<Project> {
        self.read("find the project", |tx, _| {
            let narrow = if client_id.is_some() { "" } else { " or the client" };
            pick(
                Wanted { field: "project", what: "project", narrow },
                key,
                db::projects(tx, client_id, true)?,
                |p| p.id,
                |p| p.archived,
                |p| vec![p.name.clone()],
                |p| Ok(format!("{} ({})", p.id, client_or_404(tx, p.client_id)?.name)),
            )
        })
    }

    /// A task by its name or id (`--task Design`), among the project's tasks
    /// when a project is given.
    pub fn find_task(&mut self, key: &str, project_id: Option<i64>) -> AppResult<Task> {
        self.read("find the task", |tx, _| {
            let narrow = if project_id.is_some() { "" } else { " or the project" };
            pick(
                Wanted { field: "task", what: "task", narrow },
                key,
                db::tasks(tx, project_id, true)?,
                |t| t.id,
                |t| t.archived,
                |t| vec![t.name.clone()],
                |t| Ok(format!("{} ({})", t.id, project_or_404(tx, t.project_id)?.name)),
            )
        })
    }

    /// A team member by name, email or id (`--member Ana`).
    pub fn find_member(&mut self, key: &str) -> AppResult<Member> {
        self.read("find the team member", |tx, _| {
            pick(
                Wanted { field: "member", what: "team member", narrow: " or the email" },
                key,
                db::members(tx, true)?,
                |m| m.id,
                |m| m.archived,
                |m| vec![m.name.clone(), m.email.clone()],
                |m| Ok(if m.email.is_empty() { m.id.to_string() } else { format!("{} ({})", m.id, m.email) }),
            )
        })
    }

    pub fn projects(&mut self, client_id: Option<i64>, include_archived: bool) -> AppResult<Vec<Project>> {
        self.read("list projects", |tx, _| Ok(db::projects(tx, client_id, include_archived)?))
    }

    // ---- tasks ------------------------------------------------------------

    pub fn create_task(&mut self, i: TaskInput) -> AppResult<Task> {
        self.write("create the task", |tx, _| {
            let Some(project_id) = i.project_id else {
                return Err(AppError::invalid("project", "is required"));
            };
            let p = db::project(tx, project_id)?
                .ok_or_else(|| AppError::invalid("project", format!("project {project_id} does not exist")))?;
            let mut t = Task { id: 0, project_id, name: String::new(), rate: None, archived: false };
            t.name = require_name("name", i.name.as_deref().unwrap_or(""))?;
            if let Some(v) = &i.rate {
                t.rate = parse::rate_opt("rate", v)?;
            }
            t.id = db::insert_task(tx, &t)
                .map_err(|e| unique(e, "name", format!("{} already has a task named '{}'", p.name, t.name)))?;
            Ok(t)
        })
    }

    pub fn edit_task(&mut self, id: i64, i: TaskInput) -> AppResult<Task> {
        self.write("save the task", |tx, _| {
            let mut t = task_or_404(tx, id)?;
            if i.project_id.is_some_and(|p| p != t.project_id) {
                return Err(AppError::invalid("project", "a task cannot move to another project"));
            }
            if let Some(v) = &i.name {
                t.name = require_name("name", v)?;
            }
            if let Some(v) = &i.rate {
                t.rate = parse::rate_opt("rate", v)?;
            }
            db::update_task(tx, &t)
                .map_err(|e| unique(e, "name", format!("the project already has a task named '{}'", t.name)))?;
            Ok(t)
        })
    }

    pub fn archive_task(&mut self, id: i64, archived: bool) -> AppResult<Task> {
        self.write("archive the task", |tx, _| {
            let mut t = task_or_404(tx, id)?;
            t.archived = archived;
            db::update_task(tx, &t)?;
            Ok(t)
        })
    }

    pub fn tasks(&mut self, project_id: Option<i64>, include_archived: bool) -> AppResult<Vec<Task>> {
        self.read("list tasks", |tx, _| Ok(db::tasks(tx, project_id, include_archived)?))
    }

    // ---- members ----------------------------------------------------------

    pub fn create_member(&mut self, i: MemberInput) -> AppResult<Member> {
        self.write("add the team member", |tx, _| {
            let mut m =
                Member { id: 0, name: String::new(), email: String::new(), default_rate: None, archived: false };
            m.name = require_name("name", i.name.as_deref().unwrap_or(""))?;
            if let Some(v) = &i.email {
                m.email = opt_email("email", v)?;
            }
            if let Some(v) = &i.default_rate {
                m.default_rate = parse::rate_opt("default_rate", v)?;
            }
            m.id = db::insert_member(tx, &m)?;
            Ok(m)
        })
    }

    pub fn edit_member(&mut self, id: i64, i: MemberInput) -> AppResult<Member> {
        self.write("save the team member", |tx, _| {
            let mut m = member_or_404(tx, id)?;
            if let Some(v) = &i.name {
                m.name = require_name("name", v)?;
            }
            if let Some(v) = &i.email {
                m.email = opt_email("email", v)?;
            }
            if let Some(v) = &i.default_rate {
                m.default_rate = parse::rate_opt("default_rate", v)?;
            }
            db::update_member(tx, &m)?;
            Ok(m)
        })
    }

    pub fn archive_member(&mut self, id: i64, archived: bool) -> AppResult<Member> {
        self.write("archive the team member", |tx, _| {
            let mut m = member_or_404(tx, id)?;
            if archived && !m.archived && billable_store::time::timer(tx, id)?.is_some() {
                return Err(AppError::conflict(format!("{} has a timer running; stop it first", m.name)));
            }
            m.archived = archived;
            db::update_member(tx, &m)?;
            Ok(m)
        })
    }

    pub fn members(&mut self, include_archived: bool) -> AppResult<Vec<Member>> {
        self.read("list team members", |tx, _| Ok(db::members(tx, include_archived)?))
    }

    // ---- tax rates --------------------------------------------------------

    pub fn create_tax_rate(&mut self, i: TaxRateInput) -> AppResult<TaxRateDef> {
        self.write("create the tax rate", |tx, _| {
            let tax = build_tax(None, &i)?;
            let mut def = TaxRateDef { id: 0, tax, archived: false };
            def.id = db::insert_tax_rate(tx, &def)?;
            Ok(def)
        })
    }

    /// Edits a tax rate in settings. Invoices keep the snapshot they took.
    pub fn edit_tax_rate(&mut self, id: i64, i: TaxRateInput) -> AppResult<TaxRateDef> {
        self.write("save the tax rate", |tx, _| {
            let mut def = tax_rate_or_404(tx, id)?;
            def.tax = build_tax(Some(&def.tax), &i)?;
            db::update_tax_rate(tx, &def)?;
            Ok(def)
        })
    }

    pub fn archive_tax_rate(&mut self, id: i64, archived: bool) -> AppResult<TaxRateDef> {
        self.write("archive the tax rate", |tx, _| {
            let mut def = tax_rate_or_404(tx, id)?;
            def.archived = archived;
            db::update_tax_rate(tx, &def)?;
            Ok(def)
        })
    }

    pub fn tax_rates(&mut self, include_archived: bool) -> AppResult<Vec<TaxRateDef>> {
        self.read("list tax rates", |tx, _| Ok(db::tax_rates(tx, include_archived)?))
    }
}

fn build_tax(old: Option<&TaxRate>, i: &TaxRateInput) -> AppResult<TaxRate> {
    let name = i.name.clone().or_else(|| old.map(|o| o.name.clone())).unwrap_or_default();
    let percent = match &i.percent {
        Some(p) => parse_decimal("percent", p.trim().trim_end_matches('%'))?,
        None => match old {
            Some(o) => o.percent,
            None => return Err(AppError::invalid("percent", "is required, e.g. 20")),
        },
    };
    let category = match &i.category {
        Some(c) => c.parse::<TaxCategory>()?,
        None => old.map(|o| o.category).unwrap_or_default(),
    };
    let reason = match &i.exemption_reason {
        Some(r) => Some(r.clone()),
        None => old.and_then(|o| o.exemption_reason.clone()),
    };
    Ok(TaxRate::new(&name, percent, category, reason)?)
}

fn iban_ok(iban: &str) -> bool {
    iban.parse::<iban::Iban>().is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn iban_checksum() {
        assert!(super::iban_ok("DE89370400440532013000"));
        assert!(super::iban_ok("GB82WEST12345698765432"));
        assert!(!super::iban_ok("DE89370400440532013001"));
        assert!(!super::iban_ok("DE89"));
    }
}
