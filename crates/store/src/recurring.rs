//! Recurring profiles (an invoice template and its schedule) and the cycles
//! generated from them. A cycle is recorded once per profile and period: the
//! primary key and a unique index make a second generation impossible, even
//! from another process.

use crate::params;
use crate::sql::{OptionalExtension, Row, Tx};
use billable_core::recurring::{ProfileStatus, RecurringProfile, RecurringRun, Schedule, TemplateLine};
use billable_core::tax::TaxRate;
use chrono::NaiveDate;

use crate::codec::*;
use crate::error::StoreResult;

const COLS: &str = "id, name, client_id, project_id, source_invoice_id, currency, tax_mode, discount_kind,
    discount_value, adjustment_minor, adjustment_description, notes, terms, po_number, category, tags,
    payment_terms_days, frequency, interval, start_date, end_date, max_cycles, send_mode, status, created_at, pricing";

fn profile_row(r: &Row) -> StoreResult<RecurringProfile> {
    let cur = currency(r, 5)?;
    let end: Option<String> = r.get(20)?;
    let end = match end {
        Some(_) => Some(date(r, 20)?),
        None => None,
    };
    Ok(RecurringProfile {
        id: r.get(0)?,
        name: r.get(1)?,
        client_id: r.get(2)?,
        project_id: r.get(3)?,
        source_invoice_id: r.get(4)?,
        currency: cur,
        tax_mode: parsed(r, 6)?,
        discount: discount_cols(r, 7, 8)?,
        taxes: Vec::new(),
        adjustment: money(r, 9, cur)?,
        adjustment_description: r.get(10)?,
        notes: r.get(11)?,
        terms: r.get(12)?,
        po_number: r.get(13)?,
        category: r.get(14)?,
        tags: json_list(r, 15)?,
        payment_terms_days: r.get(16)?,
        schedule: Schedule {
            frequency: parsed(r, 17)?,
            interval: r.get(18)?,
            start: date(r, 19)?,
            end,
            max_cycles: r.get(21)?,
        },
        send_mode: parsed(r, 22)?,
        status: parsed(r, 23)?,
        lines: Vec::new(),
        created_at: ts(r, 24)?,
        pricing: parsed(r, 25)?,
    })
}

fn load_parts(c: &Tx, p: &mut RecurringProfile) -> StoreResult<()> {
    let mut st = c.prepare_cached(
        "SELECT name, percent, category, exemption_reason FROM recurring_taxes WHERE profile_id = ?1 ORDER BY position",
    )?;
    p.taxes = st
        .query_map([p.id], |r| {
            Ok(TaxRate { name: r.get(0)?, percent: dec(r, 1)?, category: parsed(r, 2)?, exemption_reason: r.get(3)? })
        })?
        .collect::<Result<_, _>>()?;
    let mut st = c.prepare_cached(
        "SELECT description, quantity, unit, rate, discount_kind, discount_value, tax_name, tax_percent,
                tax_category, tax_exemption_reason, long_description
         FROM recurring_lines WHERE profile_id = ?1 ORDER BY position",
    )?;
    p.lines = st
        .query_map([p.id], |r| {
            Ok(TemplateLine {
                description: r.get(0)?,
                long_description: r.get(10)?,
                quantity: dec(r, 1)?,
                unit: r.get(2)?,
                rate: dec(r, 3)?,
                discount: discount_cols(r, 4, 5)?,
                tax: tax_cols(r, 6)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(())
}

/// Inserts a profile with its template lines and taxes; returns its id.
pub fn insert_profile(c: &Tx, p: &RecurringProfile, now: i64) -> StoreResult<i64> {
    let cur = p.currency;
    let s = &p.schedule;
    let id = c.insert(
        "INSERT INTO recurring_profiles (name, client_id, project_id, source_invoice_id, currency, tax_mode,
            discount_kind, discount_value, adjustment_minor, adjustment_description, notes, terms, po_number,
            category, tags, payment_terms_days, frequency, interval, start_date, end_date, max_cycles,
            send_mode, status, created_at, updated_at, pricing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
            ?22, ?23, ?24, ?24, ?25)",
        params![
            p.name,
            p.client_id,
            p.project_id,
            p.source_invoice_id,
            cur.code(),
            p.tax_mode.as_str(),
            p.discount.kind(),
            dec_text_opt(p.discount.value()),
            minor(cur, p.adjustment)?,
            p.adjustment_description,
            p.notes,
            p.terms,
            p.po_number,
            p.category,
            json_text(&p.tags),
            p.payment_terms_days,
            s.frequency.as_str(),
            s.interval,
            s.start.to_string(),
            s.end.map(|d| d.to_string()),
            s.max_cycles,
            p.send_mode.as_str(),
            p.status.as_str(),
            now,
            p.pricing.as_str(),
        ],
    )?;
    for (i, t) in p.taxes.iter().enumerate() {
        c.execute(
            "INSERT INTO recurring_taxes (profile_id, position, name, percent, category, exemption_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, i as i64 + 1, t.name, dec_text(t.percent), t.category.code(), t.exemption_reason],
        )?;
    }
    for (i, l) in p.lines.iter().enumerate() {
        c.execute(
            "INSERT INTO recurring_lines (profile_id, position, description, quantity, unit, rate, discount_kind,
                discount_value, tax_name, tax_percent, tax_category, tax_exemption_reason, long_description)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                id,
                i as i64 + 1,
                l.description,
                dec_text(l.quantity),
                l.unit,
                dec_text(l.rate),
                l.discount.kind(),
                dec_text_opt(l.discount.value()),
                l.tax.as_ref().map(|t| t.name.clone()),
                l.tax.as_ref().map(|t| dec_text(t.percent)),
                l.tax.as_ref().map(|t| t.category.code()),
                l.tax.as_ref().and_then(|t| t.exemption_reason.clone()),
                l.long_description,
            ],
        )?;
    }
    Ok(id)
}

pub fn profile(c: &Tx, id: i64) -> StoreResult<Option<RecurringProfile>> {
    let p =
        c.query_row(&format!("SELECT {COLS} FROM recurring_profiles WHERE id = ?1"), [id], profile_row).optional()?;
    match p {
        Some(mut p) => {
            load_parts(c, &mut p)?;
            Ok(Some(p))
        }
        None => Ok(None),
    }
}

/// Every profile (or only active ones), oldest first.
pub fn profiles(c: &Tx, active_only: bool) -> StoreResult<Vec<RecurringProfile>> {
    let mut st =
        c.prepare(&format!("SELECT {COLS} FROM recurring_profiles WHERE (?1 = 0 OR status = 'active') ORDER BY id"))?;
    let mut out: Vec<RecurringProfile> = st.query_map([active_only], profile_row)?.collect::<Result<_, _>>()?;
    for p in &mut out {
        load_parts(c, p)?;
    }
    Ok(out)
}

pub fn set_status(c: &Tx, id: i64, status: ProfileStatus, now: i64) -> StoreResult<()> {
    c.execute(
        "UPDATE recurring_profiles SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), now],
    )?;
    Ok(())
}

/// Deletes a profile and its history of cycles; invoices it generated stay.
pub fn delete_profile(c: &Tx, id: i64) -> StoreResult<()> {
    c.execute("DELETE FROM recurring_profiles WHERE id = ?1", [id])?;
    Ok(())
}

/// Records that a cycle is being generated. False when it was generated
/// before (the unique constraint refused it): the caller generates nothing.
pub fn claim_cycle(
    c: &Tx,
    profile_id: i64,
    cycle: u32,
    start: NaiveDate,
    end: NaiveDate,
    now: i64,
) -> StoreResult<bool> {
    let n = c.execute(
        "INSERT INTO recurring_runs (profile_id, cycle, period_start, period_end, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        params![profile_id, cycle, start.to_string(), end.to_string(), now],
    )?;
    Ok(n == 1)
}

pub fn set_cycle_invoice(c: &Tx, profile_id: i64, cycle: u32, invoice_id: i64) -> StoreResult<()> {
    c.execute(
        "UPDATE recurring_runs SET invoice_id = ?3 WHERE profile_id = ?1 AND cycle = ?2",
        params![profile_id, cycle, invoice_id],
    )?;
    Ok(())
}

/// The cycles generated for a profile, oldest first.
pub fn runs(c: &Tx, profile_id: i64) -> StoreResult<Vec<RecurringRun>> {
    let mut st = c.prepare(
        "SELECT r.profile_id, r.cycle, r.period_start, r.period_end, r.invoice_id, i.number, r.created_at
         FROM recurring_runs r LEFT JOIN invoices i ON i.id = r.invoice_id
         WHERE r.profile_id = ?1 ORDER BY r.cycle",
    )?;
    let rows = st.query_map([profile_id], |r| {
        Ok(RecurringRun {
            profile_id: r.get(0)?,
            cycle: r.get(1)?,
            period_start: date(r, 2)?,
            period_end: date(r, 3)?,
            invoice_id: r.get(4)?,
            invoice_number: r.get(5)?,
            created_at: ts(r, 6)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// The cycle numbers already generated for a profile.
pub fn generated_cycles(c: &Tx, profile_id: i64) -> StoreResult<Vec<u32>> {
    let mut st = c.prepare_cached("SELECT cycle FROM recurring_runs WHERE profile_id = ?1 ORDER BY cycle")?;
    let rows = st.query_map([profile_id], |r| r.get(0))?;
    rows.collect::<Result<_, _>>()
}

/// The profile that generated an invoice, and the period.
pub fn run_of_invoice(c: &Tx, invoice_id: i64) -> StoreResult<Option<(i64, NaiveDate, NaiveDate)>> {
    c.query_row(
        "SELECT profile_id, period_start, period_end FROM recurring_runs WHERE invoice_id = ?1",
        [invoice_id],
        |r| Ok((r.get(0)?, date(r, 1)?, date(r, 2)?)),
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn books() -> Store {
        let s = Store::open_in_memory().unwrap();
        s.connection().execute("INSERT INTO clients (name) VALUES ('Acme')", []).unwrap();
        s.connection()
            .execute(
                "INSERT INTO recurring_profiles (name, client_id, currency, tax_mode, frequency, start_date,
                    created_at, updated_at) VALUES ('p', 1, 'EUR', 'summary', 'monthly', '2026-01-01', 0, 0)",
                [],
            )
            .unwrap();
        s
    }

    #[test]
    fn a_cycle_is_claimed_once() {
        let s = books();
        let c = s.connection();
        assert!(claim_cycle(c, 1, 0, d("2026-01-01"), d("2026-01-31"), 0).unwrap());
        assert!(!claim_cycle(c, 1, 0, d("2026-01-01"), d("2026-01-31"), 0).unwrap());
        assert_eq!(generated_cycles(c, 1).unwrap(), vec![0]);
    }

    #[test]
    fn the_database_refuses_a_second_row_for_a_period() {
        let s = books();
        let c = s.connection();
        let insert = |cycle: i64, start: &str| {
            c.execute(
                "INSERT INTO recurring_runs (profile_id, cycle, period_start, period_end, created_at)
                 VALUES (1, ?1, ?2, '2026-01-31', 0)",
                crate::params![cycle, start],
            )
        };
        insert(0, "2026-01-01").unwrap();
        // Same cycle, or the same period under another cycle number: refused.
        assert!(insert(0, "2026-02-01").unwrap_err().is_unique_violation());
        assert!(insert(5, "2026-01-01").unwrap_err().is_unique_violation());
    }
}
