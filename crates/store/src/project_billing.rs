//! Fixed-price and retainer projects: which invoices bill a project's fee,
//! how much of it they bill, a retainer's period, and which periods are
//! billed (once per project and period, enforced by the primary key).

use crate::params;
use crate::sql::{OptionalExtension, Tx};
use billable_core::billing_types::RetainerPeriod;
use chrono::NaiveDate;

use crate::codec::*;
use crate::error::StoreResult;

/// Marks an invoice as billing part of a project's fixed fee.
pub fn link_fee_invoice(c: &Tx, invoice_id: i64, project_id: i64) -> StoreResult<()> {
    c.execute("INSERT INTO fee_invoices (invoice_id, project_id) VALUES (?1, ?2)", params![invoice_id, project_id])?;
    Ok(())
}

/// The project whose fee an invoice bills, if it bills one.
pub fn fee_project_of(c: &Tx, invoice_id: i64) -> StoreResult<Option<i64>> {
    c.query_row("SELECT project_id FROM fee_invoices WHERE invoice_id = ?1", [invoice_id], |r| r.get(0)).optional()
}

/// How much of a project's fee is invoiced, in minor units: the net amount
/// (subtotal less document discount) of its fee invoices that are not
/// cancelled, less the net amount their credit notes took back. Deleted
/// drafts drop out with their link.
pub fn fee_invoiced_minor(c: &Tx, project_id: i64) -> StoreResult<i64> {
    c.query_row(
        "SELECT COALESCE(SUM(i.subtotal_minor - i.discount_minor
                    - COALESCE((SELECT SUM(n.subtotal_minor - n.discount_minor) FROM credit_notes n
                                WHERE n.invoice_id = i.id), 0)), 0)
         FROM fee_invoices f JOIN invoices i ON i.id = f.invoice_id
         WHERE f.project_id = ?1 AND i.status <> 'cancelled'",
        [project_id],
        |r| r.get(0),
    )
}

/// The fee invoices of a project, oldest first: (invoice id, number).
pub fn fee_invoices(c: &Tx, project_id: i64) -> StoreResult<Vec<(i64, String)>> {
    let mut st = c.prepare(
        "SELECT i.id, i.number FROM fee_invoices f JOIN invoices i ON i.id = f.invoice_id
         WHERE f.project_id = ?1 ORDER BY i.id",
    )?;
    let rows = st.query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_, _>>()
}

/// A retainer's period; monthly when never set.
pub fn retainer_period(c: &Tx, project_id: i64) -> StoreResult<RetainerPeriod> {
    let p = c
        .query_row("SELECT period FROM project_retainers WHERE project_id = ?1", [project_id], |r| parsed(r, 0))
        .optional()?;
    Ok(p.unwrap_or_default())
}

pub fn set_retainer_period(c: &Tx, project_id: i64, period: RetainerPeriod) -> StoreResult<()> {
    c.execute(
        "INSERT INTO project_retainers (project_id, period) VALUES (?1, ?2)
         ON CONFLICT (project_id) DO UPDATE SET period = excluded.period",
        params![project_id, period.as_str()],
    )?;
    Ok(())
}

/// The invoice that billed a retainer period, with its status and number.
pub fn retainer_invoice(
    c: &Tx,
    project_id: i64,
    period_start: NaiveDate,
) -> StoreResult<Option<(i64, String, String)>> {
    c.query_row(
        "SELECT i.id, i.number, i.status FROM retainer_invoices r JOIN invoices i ON i.id = r.invoice_id
         WHERE r.project_id = ?1 AND r.period_start = ?2",
        params![project_id, period_start.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}

/// Frees a period whose invoice was cancelled, so it can be billed again.
pub fn release_retainer_period(c: &Tx, project_id: i64, period_start: NaiveDate) -> StoreResult<()> {
    c.execute(
        "DELETE FROM retainer_invoices WHERE project_id = ?1 AND period_start = ?2",
        params![project_id, period_start.to_string()],
    )?;
    Ok(())
}

/// Records that an invoice bills a retainer period. The primary key refuses
/// a second invoice for the same project and period.
pub fn link_retainer_invoice(
    c: &Tx,
    project_id: i64,
    start: NaiveDate,
    end: NaiveDate,
    invoice_id: i64,
) -> StoreResult<()> {
    c.execute(
        "INSERT INTO retainer_invoices (project_id, period_start, period_end, invoice_id) VALUES (?1, ?2, ?3, ?4)",
        params![project_id, start.to_string(), end.to_string(), invoice_id],
    )?;
    Ok(())
}

/// The periods billed for a retainer project: (start, end, invoice number, status), newest first.
pub fn retainer_periods(c: &Tx, project_id: i64) -> StoreResult<Vec<(NaiveDate, NaiveDate, String, String)>> {
    let mut st = c.prepare(
        "SELECT r.period_start, r.period_end, i.number, i.status FROM retainer_invoices r
         JOIN invoices i ON i.id = r.invoice_id WHERE r.project_id = ?1 ORDER BY r.period_start DESC",
    )?;
    let rows = st.query_map([project_id], |r| Ok((date(r, 0)?, date(r, 1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect::<Result<_, _>>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn a_retainer_period_takes_one_invoice() {
        let s = Store::open_in_memory().unwrap();
        let c = s.connection();
        c.execute_batch(
            "INSERT INTO clients (name) VALUES ('Acme');
             INSERT INTO projects (client_id, name, billing_type, budget) VALUES (1, 'Care', 'retainer', '1500');
             INSERT INTO invoices (number, client_id, issue_date, due_date, currency, tax_mode, created_at, updated_at)
                VALUES ('A', 1, '2026-03-01', '2026-03-31', 'EUR', 'summary', 0, 0),
                       ('B', 1, '2026-03-01', '2026-03-31', 'EUR', 'summary', 0, 0);",
        )
        .unwrap();
        let (start, end) = ("2026-03-01".parse().unwrap(), "2026-03-31".parse().unwrap());
        link_retainer_invoice(c, 1, start, end, 1).unwrap();
        assert!(link_retainer_invoice(c, 1, start, end, 2).unwrap_err().is_unique_violation());
        assert_eq!(retainer_invoice(c, 1, start).unwrap().map(|r| r.1), Some("A".to_string()));
        assert_eq!(retainer_period(c, 1).unwrap(), RetainerPeriod::Monthly);
        set_retainer_period(c, 1, RetainerPeriod::Quarterly).unwrap();
        assert_eq!(retainer_period(c, 1).unwrap(), RetainerPeriod::Quarterly);
    }
}
