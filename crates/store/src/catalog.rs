//! The business profile, clients, projects, tasks, team members and tax rates.

use crate::params;
use crate::sql::{OptionalExtension, Row, Tx};
use billable_core::model::{Business, Client, Member, Project, Task, TaxRateDef};
use billable_core::tax::TaxRate;
use billable_core::time::RoundingPolicy;

use crate::codec::*;
use crate::error::StoreResult;

// ---- business -------------------------------------------------------------

pub fn business(c: &Tx) -> StoreResult<Business> {
    c.query_row(
        "SELECT name, address, country, tax_id, email, phone, bank_name, iban, bic, payment_link,
                default_currency, payment_terms_days, logo_path, default_rate, rounding,
                invoice_number_pattern, default_tax_mode, default_notes, default_terms,
                street, postcode, city, vat_id, pdf_template, paper_size, locale, einvoicing, signature_path,
                peppol_id
         FROM business WHERE id = 1",
        [],
        |r| {
            Ok(Business {
                name: r.get(0)?,
                address: r.get(1)?,
                country: r.get(2)?,
                tax_id: r.get(3)?,
                email: r.get(4)?,
                phone: r.get(5)?,
                bank_name: r.get(6)?,
                iban: r.get(7)?,
                bic: r.get(8)?,
                payment_link: r.get(9)?,
                default_currency: currency(r, 10)?,
                payment_terms_days: r.get(11)?,
                logo_path: r.get(12)?,
                default_rate: dec_opt(r, 13)?,
                rounding: rounding(r, 14)?,
                invoice_number_pattern: r.get(15)?,
                default_tax_mode: parsed(r, 16)?,
                default_notes: r.get(17)?,
                default_terms: r.get(18)?,
                street: r.get(19)?,
                postcode: r.get(20)?,
                city: r.get(21)?,
                vat_id: r.get(22)?,
                pdf_template: parsed(r, 23)?,
                paper_size: parsed(r, 24)?,
                locale: parsed(r, 25)?,
                einvoicing: r.get(26)?,
                signature_path: r.get(27)?,
                peppol_id: r.get(28)?,
            })
        },
    )
}

pub fn update_business(c: &Tx, b: &Business) -> StoreResult<()> {
    c.execute(
        "UPDATE business SET name=?1, address=?2, country=?3, tax_id=?4, email=?5, phone=?6,
            bank_name=?7, iban=?8, bic=?9, payment_link=?10, default_currency=?11,
            payment_terms_days=?12, logo_path=?13, default_rate=?14, rounding=?15,
            invoice_number_pattern=?16, default_tax_mode=?17, default_notes=?18, default_terms=?19,
            street=?20, postcode=?21, city=?22, vat_id=?23, pdf_template=?24, paper_size=?25, locale=?26,
            einvoicing=?27, signature_path=?28, peppol_id=?29
         WHERE id = 1",
        params![
            b.name,
            b.address,
            b.country,
            b.tax_id,
            b.email,
            b.phone,
            b.bank_name,
            b.iban,
            b.bic,
            b.payment_link,
            b.default_currency.code(),
            b.payment_terms_days,
            b.logo_path,
            dec_text_opt(b.default_rate),
            b.rounding.to_string(),
            b.invoice_number_pattern,
            b.default_tax_mode.as_str(),
            b.default_notes,
            b.default_terms,
            b.street,
            b.postcode,
            b.city,
            b.vat_id,
            b.pdf_template.as_str(),
            b.paper_size.as_str(),
            b.locale.as_str(),
            b.einvoicing,
            b.signature_path,
            b.peppol_id,
        ],
    )?;
    Ok(())
}

fn rounding(r: &Row, idx: usize) -> StoreResult<RoundingPolicy> {
    let s: String = r.get(idx)?;
    RoundingPolicy::parse(&s).map_err(|_| crate::codec::conversion(idx, "bad rounding"))
}

fn rounding_opt(r: &Row, idx: usize) -> StoreResult<Option<RoundingPolicy>> {
    let s: Option<String> = r.get(idx)?;
    match s {
        None => Ok(None),
        Some(_) => rounding(r, idx).map(Some),
    }
}

// ---- members --------------------------------------------------------------

const MEMBER_COLS: &str = "id, name, email, default_rate, archived";

fn member_row(r: &Row) -> StoreResult<Member> {
    Ok(Member { id: r.get(0)?, name: r.get(1)?, email: r.get(2)?, default_rate: dec_opt(r, 3)?, archived: r.get(4)? })
}

pub fn insert_member(c: &Tx, m: &Member) -> StoreResult<i64> {
    let id = c.insert(
        "INSERT INTO members (name, email, default_rate, archived) VALUES (?1, ?2, ?3, ?4)",
        params![m.name, m.email, dec_text_opt(m.default_rate), m.archived],
    )?;
    Ok(id)
}

pub fn update_member(c: &Tx, m: &Member) -> StoreResult<()> {
    c.execute(
        "UPDATE members SET name=?2, email=?3, default_rate=?4, archived=?5 WHERE id=?1",
        params![m.id, m.name, m.email, dec_text_opt(m.default_rate), m.archived],
    )?;
    Ok(())
}

pub fn member(c: &Tx, id: i64) -> StoreResult<Option<Member>> {
    c.query_row(&format!("SELECT {MEMBER_COLS} FROM members WHERE id = ?1"), [id], member_row).optional()
}

pub fn members(c: &Tx, include_archived: bool) -> StoreResult<Vec<Member>> {
    let mut st = c.prepare(&format!(
        "SELECT {MEMBER_COLS} FROM members WHERE archived = 0 OR ?1 ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = st.query_map([include_archived], member_row)?;
    rows.collect::<Result<_, _>>()
}

/// The member time is tracked for when none is named: the first active one.
pub fn default_member(c: &Tx) -> StoreResult<Option<Member>> {
    c.query_row(&format!("SELECT {MEMBER_COLS} FROM members WHERE archived = 0 ORDER BY id LIMIT 1"), [], member_row)
        .optional()
}

// ---- tax rates ------------------------------------------------------------

const TAX_COLS: &str = "id, name, percent, category, exemption_reason, archived";

fn tax_row(r: &Row) -> StoreResult<TaxRateDef> {
    Ok(TaxRateDef {
        id: r.get(0)?,
        tax: TaxRate { name: r.get(1)?, percent: dec(r, 2)?, category: parsed(r, 3)?, exemption_reason: r.get(4)? },
        archived: r.get(5)?,
    })
}

pub fn insert_tax_rate(c: &Tx, t: &TaxRateDef) -> StoreResult<i64> {
    let id = c.insert(
        "INSERT INTO tax_rates (name, percent, category, exemption_reason, archived) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![t.tax.name, dec_text(t.tax.percent), t.tax.category.code(), t.tax.exemption_reason, t.archived],
    )?;
    Ok(id)
}

pub fn update_tax_rate(c: &Tx, t: &TaxRateDef) -> StoreResult<()> {
    c.execute(
        "UPDATE tax_rates SET name=?2, percent=?3, category=?4, exemption_reason=?5, archived=?6 WHERE id=?1",
        params![t.id, t.tax.name, dec_text(t.tax.percent), t.tax.category.code(), t.tax.exemption_reason, t.archived],
    )?;
    Ok(())
}

pub fn tax_rate(c: &Tx, id: i64) -> StoreResult<Option<TaxRateDef>> {
    c.query_row(&format!("SELECT {TAX_COLS} FROM tax_rates WHERE id = ?1"), [id], tax_row).optional()
}

pub fn tax_rates(c: &Tx, include_archived: bool) -> StoreResult<Vec<TaxRateDef>> {
    let mut st = c.prepare(&format!("SELECT {TAX_COLS} FROM tax_rates WHERE archived = 0 OR ?1 ORDER BY id"))?;
    let rows = st.query_map([include_archived], tax_row)?;
    rows.collect::<Result<_, _>>()
}

// ---- clients --------------------------------------------------------------

const CLIENT_COLS: &str = "id, name, contact_person, emails, address, country, tax_id, currency,
    payment_terms_days, rounding, rate, archived, street, postcode, city, buyer_reference, peppol_id, default_pricing";

fn client_row(c: &Tx) -> impl Fn(&Row) -> StoreResult<Client> + '_ {
    move |r| {
        let id: i64 = r.get(0)?;
        let mut st =
            c.prepare_cached("SELECT tax_rate_id FROM client_tax_rates WHERE client_id = ?1 ORDER BY position")?;
        let tax_rate_ids = st.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(Client {
            id,
            name: r.get(1)?,
            contact_person: r.get(2)?,
            emails: json_list(r, 3)?,
            address: r.get(4)?,
            country: r.get(5)?,
            tax_id: r.get(6)?,
            currency: r.get::<Option<String>>(7)?.map(|_| currency(r, 7)).transpose()?,
            payment_terms_days: r.get(8)?,
            tax_rate_ids,
            rounding: rounding_opt(r, 9)?,
            rate: dec_opt(r, 10)?,
            archived: r.get(11)?,
            street: r.get(12)?,
            postcode: r.get(13)?,
            city: r.get(14)?,
            buyer_reference: r.get(15)?,
            peppol_id: r.get(16)?,
            default_pricing: r.get::<Option<String>>(17)?.map(|_| parsed(r, 17)).transpose()?,
        })
    }
}

fn set_client_taxes(c: &Tx, client: &Client) -> StoreResult<()> {
    c.execute("DELETE FROM client_tax_rates WHERE client_id = ?1", [client.id])?;
    for (i, t) in client.tax_rate_ids.iter().enumerate() {
        c.execute(
            "INSERT INTO client_tax_rates (client_id, tax_rate_id, position) VALUES (?1, ?2, ?3)",
            params![client.id, t, i as i64],
        )?;
    }
    Ok(())
}

pub fn insert_client(c: &Tx, client: &Client) -> StoreResult<i64> {
    let id = c.insert(
        "INSERT INTO clients (name, contact_person, emails, address, country, tax_id, currency,
            payment_terms_days, rounding, rate, archived, street, postcode, city, buyer_reference, peppol_id,
            default_pricing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            client.name,
            client.contact_person,
            json_text(&client.emails),
            client.address,
            client.country,
            client.tax_id,
            client.currency.map(|c| c.code()),
            client.payment_terms_days,
            client.rounding.map(|r| r.to_string()),
            dec_text_opt(client.rate),
            client.archived,
            client.street,
            client.postcode,
            client.city,
            client.buyer_reference,
            client.peppol_id,
            client.default_pricing.map(|p| p.as_str()),
        ],
    )?;
    set_client_taxes(c, &Client { id, ..client.clone() })?;
    Ok(id)
}

pub fn update_client(c: &Tx, client: &Client) -> StoreResult<()> {
    c.execute(
        "UPDATE clients SET name=?2, contact_person=?3, emails=?4, address=?5, country=?6, tax_id=?7,
            currency=?8, payment_terms_days=?9, rounding=?10, rate=?11, archived=?12, street=?13, postcode=?14,
            city=?15, buyer_reference=?16, peppol_id=?17, default_pricing=?18 WHERE id=?1",
        params![
            client.id,
            client.name,
            client.contact_person,
            json_text(&client.emails),
            client.address,
            client.country,
            client.tax_id,
            client.currency.map(|c| c.code()),
            client.payment_terms_days,
            client.rounding.map(|r| r.to_string()),
            dec_text_opt(client.rate),
            client.archived,
            client.street,
            client.postcode,
            client.city,
            client.buyer_reference,
            client.peppol_id,
            client.default_pricing.map(|p| p.as_str()),
        ],
    )?;
    set_client_taxes(c, client)
}

pub fn client(c: &Tx, id: i64) -> StoreResult<Option<Client>> {
    c.query_row(&format!("SELECT {CLIENT_COLS} FROM clients WHERE id = ?1"), [id], client_row(c)).optional()
}

pub fn client_by_name(c: &Tx, name: &str) -> StoreResult<Option<Client>> {
    c.query_row(&format!("SELECT {CLIENT_COLS} FROM clients WHERE name = ?1 COLLATE NOCASE"), [name], client_row(c))
        .optional()
}

pub fn clients(c: &Tx, include_archived: bool, search: Option<&str>) -> StoreResult<Vec<Client>> {
    let mut st = c.prepare(&format!(
        "SELECT {CLIENT_COLS} FROM clients
         WHERE (archived = 0 OR ?1) AND (?2 IS NULL OR name LIKE '%' || ?2 || '%' ESCAPE '\\')
         ORDER BY name COLLATE NOCASE"
    ))?;
    let pattern = search.map(escape_like);
    let rows = st.query_map(params![include_archived, pattern], client_row(c))?;
    rows.collect::<Result<_, _>>()
}

/// Escapes LIKE wildcards in user text.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

// ---- projects -------------------------------------------------------------

const PROJECT_COLS: &str = "id, client_id, name, billing_type, rate, budget, rounding, archived, approval_required";

fn project_row(r: &Row) -> StoreResult<Project> {
    Ok(Project {
        id: r.get(0)?,
        client_id: r.get(1)?,
        name: r.get(2)?,
        billing_type: parsed(r, 3)?,
        rate: dec_opt(r, 4)?,
        budget: dec_opt(r, 5)?,
        rounding: rounding_opt(r, 6)?,
        archived: r.get(7)?,
        approval_required: r.get(8)?,
    })
}

pub fn insert_project(c: &Tx, p: &Project) -> StoreResult<i64> {
    let id = c.insert(
        "INSERT INTO projects (client_id, name, billing_type, rate, budget, rounding, archived, approval_required)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            p.client_id,
            p.name,
            p.billing_type.as_str(),
            dec_text_opt(p.rate),
            dec_text_opt(p.budget),
            p.rounding.map(|r| r.to_string()),
            p.archived,
            p.approval_required
        ],
    )?;
    Ok(id)
}

/// Updates a project; when it moves to another client its unbilled entries
/// move with it (billed ones stay with the invoice's client).
pub fn update_project(c: &Tx, p: &Project) -> StoreResult<()> {
    c.execute(
        "UPDATE projects SET client_id=?2, name=?3, billing_type=?4, rate=?5, budget=?6, rounding=?7,
            archived=?8, approval_required=?9 WHERE id=?1",
        params![
            p.id,
            p.client_id,
            p.name,
            p.billing_type.as_str(),
            dec_text_opt(p.rate),
            dec_text_opt(p.budget),
            p.rounding.map(|r| r.to_string()),
            p.archived,
            p.approval_required
        ],
    )?;
    c.execute(
        "UPDATE time_entries SET client_id = ?2
         WHERE project_id = ?1 AND client_id <> ?2 AND invoice_id IS NULL",
        params![p.id, p.client_id],
    )?;
    Ok(())
}

pub fn project(c: &Tx, id: i64) -> StoreResult<Option<Project>> {
    c.query_row(&format!("SELECT {PROJECT_COLS} FROM projects WHERE id = ?1"), [id], project_row).optional()
}

pub fn projects(c: &Tx, client_id: Option<i64>, include_archived: bool) -> StoreResult<Vec<Project>> {
    let mut st = c.prepare(&format!(
        "SELECT {PROJECT_COLS} FROM projects WHERE (?1 IS NULL OR client_id = ?1) AND (archived = 0 OR ?2)
         ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = st.query_map(params![client_id, include_archived], project_row)?;
    rows.collect::<Result<_, _>>()
}

// ---- tasks ----------------------------------------------------------------

const TASK_COLS: &str = "id, project_id, name, rate, archived";

fn task_row(r: &Row) -> StoreResult<Task> {
    Ok(Task { id: r.get(0)?, project_id: r.get(1)?, name: r.get(2)?, rate: dec_opt(r, 3)?, archived: r.get(4)? })
}

pub fn insert_task(c: &Tx, t: &Task) -> StoreResult<i64> {
    let id = c.insert(
        "INSERT INTO tasks (project_id, name, rate, archived) VALUES (?1, ?2, ?3, ?4)",
        params![t.project_id, t.name, dec_text_opt(t.rate), t.archived],
    )?;
    Ok(id)
}

pub fn update_task(c: &Tx, t: &Task) -> StoreResult<()> {
    c.execute(
        "UPDATE tasks SET name=?2, rate=?3, archived=?4 WHERE id=?1",
        params![t.id, t.name, dec_text_opt(t.rate), t.archived],
    )?;
    Ok(())
}

pub fn task(c: &Tx, id: i64) -> StoreResult<Option<Task>> {
    c.query_row(&format!("SELECT {TASK_COLS} FROM tasks WHERE id = ?1"), [id], task_row).optional()
}

pub fn tasks(c: &Tx, project_id: Option<i64>, include_archived: bool) -> StoreResult<Vec<Task>> {
    let mut st = c.prepare(&format!(
        "SELECT {TASK_COLS} FROM tasks WHERE (?1 IS NULL OR project_id = ?1) AND (archived = 0 OR ?2)
         ORDER BY project_id, name COLLATE NOCASE"
    ))?;
    let rows = st.query_map(params![project_id, include_archived], task_row)?;
    rows.collect::<Result<_, _>>()
}
