//! The revenue report's sums per month, currency and exchange rate, read
//! from the monthly rollup `revenue_months` (migration 0016, kept exact by
//! triggers on invoices, payments, refunds and credit notes in the
//! transaction of every write). A range of whole months is a few rows of
//! it; a month the range covers only in part is summed from the rows of
//! its days in the range, or, when the range leaves out fewer days than it
//! takes, from the month's rollup less the days left out. Either way the
//! sums equal [`crate::reports::invoiced_by_month`],
//! [`crate::reports::credited_by_month`] and [`crate::reports::paid_by_month`]
//! over the same range, group for group.

use std::collections::BTreeMap;
use std::str::FromStr;

use crate::params;
use crate::sql::Tx;
use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;

use crate::error::StoreResult;
use crate::reports::{InvoicedMonth, PaidMonth};

/// What the revenue report reads for a range of days, each list grouped by
/// month, currency and exchange rate, ordered by month and currency.
#[derive(Debug, Clone, Default)]
pub struct RevenueMonths {
    /// Issued invoices (sent, partly paid or paid) by issue month.
    pub invoiced: Vec<InvoicedMonth>,
    /// Credit notes by issue month: negative `total_minor`, no invoices counted.
    pub credited: Vec<InvoicedMonth>,
    /// Payments less refunds by the month they were received.
    pub paid: Vec<PaidMonth>,
}

/// The rollup's columns for one month, currency and rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sums {
    invoices: i64,
    invoiced: i64,
    balance: i64,
    credit_notes: i64,
    credited: i64,
    payments: i64,
    paid: i64,
}

impl Sums {
    fn add(&mut self, o: &Sums, sign: i64) {
        self.invoices += sign * o.invoices;
        self.invoiced += sign * o.invoiced;
        self.balance += sign * o.balance;
        self.credit_notes += sign * o.credit_notes;
        self.credited += sign * o.credited;
        self.payments += sign * o.payments;
        self.paid += sign * o.paid;
    }
}

/// (YYYY-MM, currency, exchange rate as stored or '' for none)
type Key = (String, String, String);

/// The first day of `d`'s month.
fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("every month has a first day")
}

/// The last day of the month starting on `start`.
fn month_end(start: NaiveDate) -> NaiveDate {
    next_month(start) - Duration::days(1)
}

fn next_month(start: NaiveDate) -> NaiveDate {
    start.checked_add_months(chrono::Months::new(1)).expect("within the calendar")
}

fn prev_month(start: NaiveDate) -> NaiveDate {
    start.checked_sub_months(chrono::Months::new(1)).expect("within the calendar")
}

/// YYYY-MM, as `substr(date, 1, 7)` reads it from a stored date.
fn month_text(start: NaiveDate) -> String {
    format!("{:04}-{:02}", start.year(), start.month())
}

/// Sums of invoices, credit notes, payments and refunds for a range of days
/// (whole or part months), per month, currency and rate, into `out` with `sign`.
fn add_days(c: &Tx, from: NaiveDate, to: NaiveDate, sign: i64, out: &mut BTreeMap<Key, Sums>) -> StoreResult<()> {
    let (from, to) = (from.to_string(), to.to_string());
    let mut st = c.prepare_cached(
        "SELECT substr(issue_date, 1, 7), currency, COALESCE(exchange_rate, ''), COUNT(*), SUM(total_minor),
                SUM(balance_minor)
         FROM invoices INDEXED BY invoices_month_sums
         WHERE issue_date BETWEEN ?1 AND ?2 AND status IN ('sent','partially_paid','paid')
         GROUP BY 1, 2, 3",
    )?;
    let mut rows = st.query(params![from, to])?;
    while let Some(ref r) = rows.next()? {
        let s = Sums { invoices: r.get(3)?, invoiced: r.get(4)?, balance: r.get(5)?, ..Default::default() };
        out.entry((r.get(0)?, r.get(1)?, r.get(2)?)).or_default().add(&s, sign);
    }
    let mut st = c.prepare_cached(
        "SELECT substr(n.issue_date, 1, 7), n.currency, COALESCE(i.exchange_rate, ''), COUNT(*), SUM(n.total_minor)
         FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id
         WHERE n.issue_date BETWEEN ?1 AND ?2
         GROUP BY 1, 2, 3",
    )?;
    let mut rows = st.query(params![from, to])?;
    while let Some(ref r) = rows.next()? {
        let s = Sums { credit_notes: r.get(3)?, credited: r.get(4)?, ..Default::default() };
        out.entry((r.get(0)?, r.get(1)?, r.get(2)?)).or_default().add(&s, sign);
    }
    let mut st = c.prepare_cached(
        "SELECT month, currency, rate, COUNT(*), SUM(amount_minor) FROM (
             SELECT substr(p.paid_on, 1, 7) AS month, i.currency AS currency,
                    COALESCE(i.exchange_rate, '') AS rate, p.amount_minor AS amount_minor
             FROM payments p INDEXED BY payments_month
             JOIN invoices i INDEXED BY invoices_currency ON i.id = p.invoice_id
             WHERE p.paid_on BETWEEN ?1 AND ?2
             UNION ALL
             SELECT substr(r.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), -r.amount_minor
             FROM refunds r JOIN invoices i ON i.id = r.invoice_id
             WHERE r.refunded_on BETWEEN ?1 AND ?2) AS u
         GROUP BY 1, 2, 3",
    )?;
    let mut rows = st.query(params![from, to])?;
    while let Some(ref r) = rows.next()? {
        let s = Sums { payments: r.get(3)?, paid: r.get(4)?, ..Default::default() };
        out.entry((r.get(0)?, r.get(1)?, r.get(2)?)).or_default().add(&s, sign);
    }
    Ok(())
}

/// The rollup's rows of the months `from` to `to` (YYYY-MM), into `out` with `sign`.
fn add_months(c: &Tx, from: &str, to: &str, sign: i64, out: &mut BTreeMap<Key, Sums>) -> StoreResult<()> {
    let mut st = c.prepare_cached(
        "SELECT month, currency, rate, invoices, invoiced_minor, balance_minor, credit_notes, credited_minor,
                payments, paid_minor
         FROM revenue_months WHERE month BETWEEN ?1 AND ?2",
    )?;
    let mut rows = st.query(params![from, to])?;
    while let Some(ref r) = rows.next()? {
        let s = Sums {
            invoices: r.get(3)?,
            invoiced: r.get(4)?,
            balance: r.get(5)?,
            credit_notes: r.get(6)?,
            credited: r.get(7)?,
            payments: r.get(8)?,
            paid: r.get(9)?,
        };
        out.entry((r.get(0)?, r.get(1)?, r.get(2)?)).or_default().add(&s, sign);
    }
    Ok(())
}

/// Invoiced, credited and paid per month, currency and exchange rate for
/// the days `from` to `to`, from the monthly rollup.
pub fn revenue_months(c: &Tx, from: NaiveDate, to: NaiveDate) -> StoreResult<RevenueMonths> {
    // Stored dates have years 1 to 9999 (four digits, so they compare as
    // text); a range reaching past them covers the same rows clamped.
    let from = from.max(NaiveDate::from_ymd_opt(1, 1, 1).expect("a date"));
    let to = to.min(NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date"));
    let mut sums: BTreeMap<Key, Sums> = BTreeMap::new();
    if from <= to {
        let (first, last) = (month_start(from), month_start(to));
        // The months wholly inside the range, read from the rollup.
        let whole_from = if from == first { first } else { next_month(first) };
        let whole_to = if to == month_end(last) { last } else { prev_month(last) };
        if whole_from <= whole_to {
            add_months(c, &month_text(whole_from), &month_text(whole_to), 1, &mut sums)?;
        }
        // The months at either end that the range covers in part.
        let mut ends = vec![first];
        if last != first {
            ends.push(last);
        }
        for start in ends.into_iter().filter(|m| *m < whole_from || *m > whole_to) {
            let end = month_end(start);
            let (lo, hi) = (from.max(start), to.min(end));
            let taken = (hi - lo).num_days() + 1;
            let month_days = (end - start).num_days() + 1;
            if taken <= month_days - taken {
                add_days(c, lo, hi, 1, &mut sums)?;
            } else {
                let month = month_text(start);
                add_months(c, &month, &month, 1, &mut sums)?;
                if lo > start {
                    add_days(c, start, lo - Duration::days(1), -1, &mut sums)?;
                }
                if hi < end {
                    add_days(c, hi + Duration::days(1), end, -1, &mut sums)?;
                }
            }
        }
    }
    let mut out = RevenueMonths::default();
    for ((month, currency, rate), s) in sums {
        let exchange_rate = match rate.as_str() {
            "" => None,
            text => Some(Decimal::from_str(text).map_err(|e| crate::codec::conversion(2, e))?),
        };
        if s.invoices > 0 {
            out.invoiced.push(InvoicedMonth {
                month: month.clone(),
                currency: currency.clone(),
                exchange_rate,
                invoices: s.invoices,
                total_minor: s.invoiced,
                balance_minor: s.balance,
            });
        }
        if s.credit_notes > 0 {
            out.credited.push(InvoicedMonth {
                month: month.clone(),
                currency: currency.clone(),
                exchange_rate,
                invoices: 0,
                total_minor: -s.credited,
                balance_minor: 0,
            });
        }
        if s.payments > 0 {
            out.paid.push(PaidMonth { month, currency, exchange_rate, amount_minor: s.paid });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::{credited_by_month, invoiced_by_month, paid_by_month};
    use crate::sql::OptionalExtension;
    use crate::{Store, StoreError};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The rollup table as stored, and the same sums grouped straight from
    /// the invoices, credit notes, payments and refunds.
    fn table_and_truth(c: &Tx) -> (Vec<String>, Vec<String>) {
        let rows = |sql: &str| -> Vec<String> {
            let mut st = c.prepare(sql).unwrap();
            let n = st.column_count().unwrap();
            st.query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| match r.get_ref(i).unwrap() {
                        crate::sql::ValueRef::Integer(v) => v.to_string(),
                        crate::sql::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                Ok(cells.join(" "))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        let stored = rows(
            "SELECT month, currency, rate, invoices, invoiced_minor, balance_minor, credit_notes, credited_minor,
                    payments, paid_minor
             FROM revenue_months ORDER BY 1, 2, 3",
        );
        let truth = rows(
            "SELECT month, currency, rate, sum(invoices), sum(invoiced), sum(balance), sum(credit_notes),
                    sum(credited), sum(payments), sum(paid)
             FROM (
                SELECT substr(issue_date, 1, 7) AS month, currency, COALESCE(exchange_rate, '') AS rate,
                       1 AS invoices, total_minor AS invoiced, balance_minor AS balance, 0 AS credit_notes,
                       0 AS credited, 0 AS payments, 0 AS paid
                FROM invoices WHERE status IN ('sent','partially_paid','paid')
                UNION ALL
                SELECT substr(n.issue_date, 1, 7), n.currency, COALESCE(i.exchange_rate, ''), 0, 0, 0, 1,
                       n.total_minor, 0, 0
                FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id
                UNION ALL
                SELECT substr(p.paid_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 0, 0, 0, 0, 0, 1,
                       p.amount_minor
                FROM payments p JOIN invoices i ON i.id = p.invoice_id
                UNION ALL
                SELECT substr(r.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 0, 0, 0, 0, 0, 1,
                       -r.amount_minor
                FROM refunds r JOIN invoices i ON i.id = r.invoice_id)
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        );
        (stored, truth)
    }

    /// The three lists as comparable lines, in one order.
    fn lines(invoiced: &[InvoicedMonth], credited: &[InvoicedMonth], paid: &[PaidMonth]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (what, list) in [("invoiced", invoiced), ("credited", credited)] {
            out.extend(list.iter().map(|m| {
                format!(
                    "{what} {} {} {:?} {} {} {}",
                    m.month, m.currency, m.exchange_rate, m.invoices, m.total_minor, m.balance_minor
                )
            }));
        }
        out.extend(
            paid.iter().map(|p| format!("paid {} {} {:?} {}", p.month, p.currency, p.exchange_rate, p.amount_minor)),
        );
        out.sort();
        out
    }

    /// The rollup-backed read against the direct sums over the rows.
    fn read_and_direct(c: &Tx, from: NaiveDate, to: NaiveDate) -> (Vec<String>, Vec<String>) {
        let r = revenue_months(c, from, to).unwrap();
        let read = lines(&r.invoiced, &r.credited, &r.paid);
        let direct = lines(
            &invoiced_by_month(c, from, to).unwrap(),
            &credited_by_month(c, from, to).unwrap(),
            &paid_by_month(c, from, to).unwrap(),
        );
        (read, direct)
    }

    /// Ranges the views ask for (whole months, the last 30 days, a year to
    /// today) and odd ones: one day, the first or last day of a month, a
    /// range inside one month, across a year's end, backwards.
    fn ranges(rng: &mut fastrand::Rng) -> Vec<(NaiveDate, NaiveDate)> {
        let mut out = vec![
            (d("2025-01-01"), d("2027-12-31")),
            (d("2025-11-01"), d("2026-03-31")),
            (d("2025-12-01"), d("2025-12-31")),
            (d("2025-12-31"), d("2026-01-01")),
            (d("2026-01-15"), d("2026-01-15")),
            (d("2026-01-02"), d("2026-01-30")),
            (d("2026-01-01"), d("2026-01-30")),
            (d("2026-01-02"), d("2026-01-31")),
            (d("2026-02-01"), d("2026-02-28")),
            (d("2025-11-21"), d("2026-02-20")),
            (d("2026-02-10"), d("2026-01-10")),
            (d("0001-01-01"), d("9999-12-31")),
        ];
        let start = d("2025-10-20");
        for _ in 0..12 {
            let a = start + Duration::days(rng.i64(0..180));
            out.push((a, a + Duration::days(rng.i64(0..120))));
        }
        out
    }

    const CURRENCIES: [&str; 3] = ["EUR", "USD", "JPY"];
    const RATES: [Option<&str>; 4] = [None, Some("1.1"), Some("0.92"), Some("150.5")];
    const STATUSES: [&str; 5] = ["draft", "sent", "partially_paid", "paid", "cancelled"];

    fn day(rng: &mut fastrand::Rng) -> String {
        // Five months around a year's end, so changes cross months and years.
        (d("2025-11-01") + Duration::days(rng.i64(0..151))).to_string()
    }

    fn pick(rng: &mut fastrand::Rng, c: &Tx, table: &str) -> Option<i64> {
        c.query_row(&format!("SELECT id FROM {table} ORDER BY random() LIMIT 1"), [], |r| r.get(0))
            .optional()
            .unwrap()
            .filter(|_| rng.bool() || rng.bool())
    }

    /// One random write that moves revenue: invoices issued, paid, cancelled,
    /// re-dated, re-priced, moved to another currency or exchange rate, or
    /// deleted; payments, credit notes and refunds added, changed, moved to
    /// another invoice and deleted. Writes the schema refuses (a foreign key
    /// still pointing at a row deleted) fail whole, as they do in use.
    fn random_write(rng: &mut fastrand::Rng, c: &Tx, serial: &mut i64) -> usize {
        *serial += 1;
        let op = rng.usize(..14);
        let amount = rng.i64(1..=500_000);
        let res = match op {
            0 | 1 => c.execute(
                "INSERT INTO invoices (number, client_id, issue_date, due_date, currency, tax_mode, status,
                                       total_minor, paid_minor, balance_minor, exchange_rate, created_at, updated_at)
                 VALUES (?1, 1, ?2, ?2, ?3, 'summary', ?4, ?5, 0, ?6, ?7, 0, 0)",
                params![
                    format!("T-{serial}"),
                    day(rng),
                    CURRENCIES[rng.usize(..3)],
                    STATUSES[rng.usize(..5)],
                    amount,
                    rng.i64(0..=amount),
                    RATES[rng.usize(..4)]
                ],
            ),
            2 | 3 => match pick(rng, c, "invoices") {
                // Often one field, as an edit or a payment does; sometimes several.
                Some(id) => match rng.usize(..7) {
                    0 => c.execute(
                        "UPDATE invoices SET status = ?2 WHERE id = ?1",
                        params![id, STATUSES[rng.usize(..5)]],
                    ),
                    1 => c.execute("UPDATE invoices SET issue_date = ?2 WHERE id = ?1", params![id, day(rng)]),
                    2 => c.execute(
                        "UPDATE invoices SET currency = ?2 WHERE id = ?1",
                        params![id, CURRENCIES[rng.usize(..3)]],
                    ),
                    3 => crate::reports::set_exchange_rate(
                        c,
                        id,
                        RATES[rng.usize(..4)].map(|r| Decimal::from_str(r).unwrap()),
                    )
                    .map(|_| 1),
                    4 => c.execute(
                        "UPDATE invoices SET paid_minor = paid_minor + ?2, balance_minor = balance_minor - ?2,
                                status = CASE WHEN balance_minor - ?2 <= 0 THEN 'paid' ELSE 'partially_paid' END
                         WHERE id = ?1",
                        params![id, amount / 7],
                    ),
                    5 => c.execute(
                        "UPDATE invoices SET total_minor = ?2, balance_minor = ?2 - paid_minor WHERE id = ?1",
                        params![id, amount],
                    ),
                    _ => c.execute(
                        "UPDATE invoices SET status = ?2, issue_date = ?3, currency = ?4, exchange_rate = ?5,
                                total_minor = ?6 WHERE id = ?1",
                        params![
                            id,
                            STATUSES[rng.usize(..5)],
                            day(rng),
                            CURRENCIES[rng.usize(..3)],
                            RATES[rng.usize(..4)],
                            amount
                        ],
                    ),
                },
                None => Ok(0),
            },
            4 => match pick(rng, c, "invoices") {
                Some(id) => c.execute("DELETE FROM invoices WHERE id = ?1", [id]),
                None => Ok(0),
            },
            5 | 6 => match pick(rng, c, "invoices") {
                Some(id) => c.execute(
                    "INSERT INTO payments (invoice_id, paid_on, amount_minor, created_at) VALUES (?1, ?2, ?3, 0)",
                    params![id, day(rng), amount],
                ),
                None => Ok(0),
            },
            7 => match (pick(rng, c, "payments"), pick(rng, c, "invoices")) {
                (Some(p), Some(i)) => match rng.usize(..3) {
                    0 => c.execute("UPDATE payments SET paid_on = ?2 WHERE id = ?1", params![p, day(rng)]),
                    1 => c.execute("UPDATE payments SET amount_minor = ?2 WHERE id = ?1", params![p, amount]),
                    _ => c.execute("UPDATE payments SET invoice_id = ?2 WHERE id = ?1", params![p, i]),
                },
                _ => Ok(0),
            },
            8 => match pick(rng, c, "payments") {
                Some(p) => c.execute("DELETE FROM payments WHERE id = ?1", [p]),
                None => Ok(0),
            },
            9 => match c
                .query_row("SELECT id, currency FROM invoices ORDER BY random() LIMIT 1", [], |r| {
                    Ok((r.get::<i64>(0)?, r.get::<String>(1)?))
                })
                .optional()
                .unwrap()
            {
                Some((id, currency)) => {
                    // Mostly the invoice's currency; now and then another, as
                    // the report reads the credit note's own.
                    let currency = if rng.u8(..5) == 0 { CURRENCIES[rng.usize(..3)].to_string() } else { currency };
                    let refunded = rng.i64(0..=amount);
                    c.execute(
                        "INSERT INTO credit_notes (number, invoice_id, issue_date, currency, tax_mode, subtotal_minor,
                                                   discount_minor, tax_minor, total_minor, applied_minor,
                                                   refunded_minor, created_at)
                         VALUES (?1, ?2, ?3, ?4, 'summary', ?5, 0, 0, ?5, ?6, ?7, 0)",
                        params![format!("CN-{serial}"), id, day(rng), currency, amount, amount - refunded, refunded],
                    )
                }
                None => Ok(0),
            },
            10 => match (pick(rng, c, "credit_notes"), pick(rng, c, "invoices")) {
                (Some(n), Some(i)) => match rng.usize(..4) {
                    0 => c.execute("UPDATE credit_notes SET issue_date = ?2 WHERE id = ?1", params![n, day(rng)]),
                    1 => c.execute(
                        "UPDATE credit_notes SET total_minor = ?2, subtotal_minor = ?2, applied_minor = ?2,
                                refunded_minor = 0 WHERE id = ?1",
                        params![n, amount],
                    ),
                    2 => c.execute(
                        "UPDATE credit_notes SET currency = ?2 WHERE id = ?1",
                        params![n, CURRENCIES[rng.usize(..3)]],
                    ),
                    _ => c.execute("UPDATE credit_notes SET invoice_id = ?2 WHERE id = ?1", params![n, i]),
                },
                _ => Ok(0),
            },
            11 => match pick(rng, c, "credit_notes") {
                Some(n) => c.execute("DELETE FROM credit_notes WHERE id = ?1", [n]),
                None => Ok(0),
            },
            12 => match c
                .query_row("SELECT id, invoice_id FROM credit_notes ORDER BY random() LIMIT 1", [], |r| {
                    Ok((r.get::<i64>(0)?, r.get::<i64>(1)?))
                })
                .optional()
                .unwrap()
            {
                Some((n, i)) => c.execute(
                    "INSERT INTO refunds (invoice_id, credit_note_id, refunded_on, amount_minor, created_at)
                     VALUES (?1, ?2, ?3, ?4, 0)",
                    params![i, n, day(rng), amount],
                ),
                None => Ok(0),
            },
            _ => match (pick(rng, c, "refunds"), pick(rng, c, "invoices")) {
                (Some(r), Some(i)) => match rng.usize(..4) {
                    0 => c.execute("UPDATE refunds SET refunded_on = ?2 WHERE id = ?1", params![r, day(rng)]),
                    1 => c.execute("UPDATE refunds SET amount_minor = ?2 WHERE id = ?1", params![r, amount]),
                    2 => c.execute("UPDATE refunds SET invoice_id = ?2 WHERE id = ?1", params![r, i]),
                    _ => c.execute("DELETE FROM refunds WHERE id = ?1", [r]),
                },
                _ => Ok(0),
            },
        };
        match res {
            Ok(_) => op,
            // A delete of an invoice or credit note a payment, credit note or
            // refund still points at (and nothing else) is refused.
            Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                if matches!(op, 4 | 11) && e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
            {
                100
            }
            Err(e) => panic!("write {op} failed: {e}"),
        }
    }

    #[test]
    fn the_monthly_rollup_equals_the_rows_after_every_kind_of_change() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("books.db")).unwrap();
        store.connection().execute_batch("INSERT INTO clients (id, name) VALUES (1, 'Acme');").unwrap();
        let mut rng = fastrand::Rng::with_seed(16);
        let mut serial = 0;
        let mut done = [0usize; 15];
        let mut refused = 0;
        for step in 0..3_000 {
            let c = store.connection();
            match random_write(&mut rng, c, &mut serial) {
                100 => refused += 1,
                op => done[op] += 1,
            }
            if step % 150 == 149 {
                let (stored, truth) = table_and_truth(c);
                assert_eq!(stored, truth, "after step {step}");
                for (from, to) in ranges(&mut rng) {
                    let (read, direct) = read_and_direct(c, from, to);
                    assert_eq!(read, direct, "{from} to {to} after step {step}");
                }
            }
        }
        // Every kind of write happened, and the schema refused some deletes.
        assert!(done.iter().take(14).all(|n| *n > 50), "{done:?}");
        assert!(refused > 0);
        let c = store.connection();
        let invoices: i64 = c.query_row("SELECT count(*) FROM invoices", [], |r| r.get(0)).unwrap();
        let rows: i64 = c.query_row("SELECT count(*) FROM revenue_months", [], |r| r.get(0)).unwrap();
        assert!(invoices > 300 && rows > 20, "{invoices} invoices, {rows} rollup rows");

        // A transaction that fails after writing leaves the rollup as it was.
        let before = table_and_truth(c).0;
        let failed: Result<(), StoreError> = store.write(|tx| {
            for _ in 0..50 {
                random_write(&mut rng, tx, &mut serial);
            }
            Err(StoreError::Corrupt("stopped half-way".into()))
        });
        assert!(failed.is_err());
        let (stored, truth) = table_and_truth(store.connection());
        assert_eq!(stored, before);
        assert_eq!(stored, truth);
    }

    #[test]
    fn the_migration_sums_the_books_it_finds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("books.db");
        {
            let store = Store::open(&path).unwrap();
            let c = store.connection();
            c.execute_batch("INSERT INTO clients (id, name) VALUES (1, 'Acme');").unwrap();
            let mut rng = fastrand::Rng::with_seed(15);
            let mut serial = 0;
            for _ in 0..600 {
                random_write(&mut rng, c, &mut serial);
            }
            // The books as an older Billable left them: no rollup yet.
            c.execute_batch(
                "DROP TABLE revenue_months;
                 DROP INDEX invoices_open_reminders;",
            )
            .unwrap();
            let names: Vec<String> = c
                .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'revenue_months%'")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            for n in names {
                c.execute_batch(&format!("DROP TRIGGER {n}")).unwrap();
            }
            // The migration, as opening such books runs it (later
            // migrations already ran here, so it is run on its own).
            c.execute_batch(include_str!("../migrations/0016_revenue_months_and_open_reminders.sql")).unwrap();
        }
        let store = Store::open(&path).unwrap();
        let (stored, truth) = table_and_truth(store.connection());
        assert!(stored.len() > 20, "{stored:?}");
        assert_eq!(stored, truth);
        let (read, direct) = read_and_direct(store.connection(), d("2025-11-17"), d("2026-03-04"));
        assert!(!read.is_empty());
        assert_eq!(read, direct);
    }

    #[test]
    fn a_year_of_whole_months_reads_the_rollup_alone() {
        let store = Store::open_in_memory().unwrap();
        let c = store.connection();
        c.execute_batch(
            "INSERT INTO clients (id, name) VALUES (1, 'Acme');
             INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, tax_mode, status,
                                   total_minor, balance_minor, created_at, updated_at)
             VALUES (1, 'A-1', 1, '2026-03-31', '2026-04-14', 'EUR', 'summary', 'sent', 10000, 10000, 0, 0);",
        )
        .unwrap();
        // Whole months only: the rollup's rows; no invoice or payment is read.
        c.execute_batch("DROP INDEX invoices_month_sums; DROP INDEX payments_month;").unwrap();
        let r = revenue_months(c, d("2026-01-01"), d("2026-12-31")).unwrap();
        assert_eq!(r.invoiced.len(), 1);
        assert_eq!((r.invoiced[0].month.as_str(), r.invoiced[0].total_minor), ("2026-03", 10000));
    }
}
