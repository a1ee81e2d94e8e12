//! What must hold in any books, whatever was interrupted: checked through
//! the app itself (`billable_app::Billable`), the way the desktop reopens the
//! file after a crash — a books file, or team books on PostgreSQL (a
//! `postgres://` URL where the file's path would be).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use billable_app::core::status::InvoiceStatus;
use billable_app::views::{EntryView, InvoiceView, TimerView};
use billable_app::{Billable, BooksLocation, EntryListInput, FixedClock, InvoiceListInput};
use rust_decimal::Decimal;

use super::NOW;

/// The books as the app sees them after a reopen.
pub struct Seen {
    pub invoices: Vec<InvoiceView>,
    pub entries: Vec<EntryView>,
    pub timers: Vec<TimerView>,
}

impl Seen {
    pub fn invoice(&self, number: &str) -> Option<&InvoiceView> {
        self.invoices.iter().find(|v| v.invoice.number == number)
    }

    pub fn billed(&self) -> usize {
        self.entries.iter().filter(|e| e.entry.invoice_id.is_some()).count()
    }
}

/// Opens the books with the app at `now` and checks every invariant:
/// `PRAGMA integrity_check` is ok (on a file; team books are their
/// server's to check); invoice numbers are unique; every invoice
/// has its lines, and its stored totals (and each line's amount) equal a
/// fresh computation by the totals engine; payments add up to what the
/// invoice says is paid and due, and the status agrees with them; every
/// billed entry sits on exactly one line of its own invoice, and no line
/// claims an entry that is not billed to it; every rollup kept by triggers
/// equals a fresh count of the rows it comes from ([`rollups_are_exact`]).
pub fn books_at(db: &Path, now: &str, ctx: &str) -> Seen {
    let clock = FixedClock::parse(now).unwrap();
    let location = BooksLocation::of(db);
    let mut app = Billable::open_at(&location, Box::new(clock)).unwrap_or_else(|e| panic!("{ctx}: reopen failed: {e}"));
    if matches!(location, BooksLocation::File(_)) {
        assert_eq!(app.integrity_check().unwrap(), "ok", "{ctx}: PRAGMA integrity_check");
    }

    let page = app.invoices(InvoiceListInput { per_page: Some(500), ..Default::default() }).unwrap();
    assert!(page.total <= 500, "{ctx}: more invoices than the check reads");
    let mut numbers = HashSet::new();
    let mut invoices = Vec::new();
    for row in page.rows {
        let number = row.invoice.number.clone();
        assert!(numbers.insert(number.clone()), "{ctx}: invoice number {number} is used twice");
        let v = app.invoice(&number).unwrap_or_else(|e| panic!("{ctx}: invoice {number} cannot be read: {e}"));
        invoice_is_whole(&v, ctx);
        invoices.push(v);
    }

    let entries = app.entries(EntryListInput::default()).unwrap();
    let mut on_lines: HashMap<i64, i64> = HashMap::new();
    for v in &invoices {
        for l in &v.lines {
            for e in &l.entry_ids {
                assert!(on_lines.insert(*e, v.invoice.id).is_none(), "{ctx}: entry {e} is billed on two lines");
            }
        }
    }
    for e in &entries {
        let id = e.entry.id;
        assert_eq!(
            e.entry.invoice_id,
            on_lines.get(&id).copied(),
            "{ctx}: entry {id} is marked billed to one invoice and listed on the lines of another"
        );
    }
    assert_eq!(on_lines.len(), entries.iter().filter(|e| e.entry.invoice_id.is_some()).count(), "{ctx}");

    let timers = app.timers().unwrap();
    let members: HashSet<i64> = timers.iter().map(|t| t.timer.member_id).collect();
    assert_eq!(members.len(), timers.len(), "{ctx}: two running timers for one member");
    drop(app);
    rollups_are_exact(db, ctx);
    Seen { invoices, entries, timers }
}

/// A connection for the rollup checks: the file through rusqlite, team
/// books through PostgreSQL's client.
enum Reader {
    File(rusqlite::Connection),
    Team(postgres::Client),
}

impl Reader {
    fn open(db: &Path) -> Reader {
        match BooksLocation::of(db) {
            BooksLocation::Team(url) => Reader::Team(postgres::Client::connect(&url, postgres::NoTls).unwrap()),
            // Opened as the app opens it (it only reads): a read-only
            // connection would leave the write-ahead log files behind when it
            // closes, and a later check of a read-only folder would find them.
            BooksLocation::File(path) => Reader::File(rusqlite::Connection::open(path).unwrap()),
        }
    }

    /// The rows of a query, each as its values joined by `|` (NULL empty),
    /// as text on both engines.
    fn rows(&mut self, sql: &str) -> Vec<String> {
        match self {
            Reader::Team(c) => c
                .simple_query(sql)
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .into_iter()
                .filter_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => {
                        Some((0..r.len()).map(|i| r.get(i).unwrap_or_default()).collect::<Vec<_>>().join("|"))
                    }
                    _ => None,
                })
                .collect(),
            Reader::File(c) => {
                let mut st = c.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
                let n = st.column_count();
                st.query_map([], |r| {
                    let cells: Vec<String> = (0..n)
                        .map(|i| match r.get_ref(i).unwrap() {
                            rusqlite::types::ValueRef::Null => String::new(),
                            rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                            rusqlite::types::ValueRef::Real(v) => panic!("a float in {sql}: {v}"),
                            rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                                String::from_utf8_lossy(t).into_owned()
                            }
                        })
                        .collect();
                    Ok(cells.join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect()
            }
        }
    }
}

/// Every table kept by triggers holds exactly what a fresh count of the
/// rows it comes from gives, on either engine.
pub fn rollups_are_exact(db: &Path, ctx: &str) {
    let db = &mut Reader::open(db);
    revenue_rollup_is_exact(db, ctx);
    project_counts_are_exact(db, ctx);
    for (what, kept, counted) in [
        (
            "the daily time rollup",
            "SELECT work_date, project_id, client_id, member_id, task_id, rate, billable, seconds, entries
             FROM time_daily ORDER BY 1, 2, 3, 4, 5, 6, 7",
            "SELECT work_date, project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable,
                    sum(seconds), count(*)
             FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7",
        ),
        (
            "the all-days time rollup",
            "SELECT project_id, client_id, member_id, task_id, rate, billable, seconds, entries
             FROM time_worked ORDER BY 1, 2, 3, 4, 5, 6",
            "SELECT project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable,
                    sum(seconds), count(*)
             FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6",
        ),
        (
            "the unbilled time rollup",
            "SELECT client_id, project_id, member_id, task_id, rate, seconds, entries
             FROM time_unbilled ORDER BY 1, 2, 3, 4, 5",
            "SELECT client_id, project_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), sum(seconds), count(*)
             FROM time_entries WHERE invoice_id IS NULL AND billed_outside IS NULL AND billable = 1
             GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
        ),
        (
            "the invoice counts per status",
            "SELECT status, invoices FROM invoice_counts WHERE invoices > 0 ORDER BY 1",
            "SELECT status, count(*) FROM invoices GROUP BY 1 ORDER BY 1",
        ),
        (
            "the projects of each invoice",
            "SELECT project_id, invoice_id, entries, header FROM invoice_projects ORDER BY 1, 2",
            "SELECT project_id, invoice_id, sum(entries), max(header) FROM (
                SELECT project_id, invoice_id, count(*) AS entries, 0 AS header
                FROM time_entries WHERE invoice_id IS NOT NULL GROUP BY 1, 2
                UNION ALL
                SELECT project_id, id, 0, 1 FROM invoices WHERE project_id IS NOT NULL) AS u
             GROUP BY 1, 2 ORDER BY 1, 2",
        ),
    ] {
        assert_eq!(db.rows(kept), db.rows(counted), "{ctx}: {what} differs from the rows it counts");
    }
}

/// The monthly revenue rollup (kept by triggers, migration 0016) holds
/// exactly the sums of the invoices, credit notes, payments and refunds.
fn revenue_rollup_is_exact(db: &mut Reader, ctx: &str) {
    let kept = db.rows(
        "SELECT month, currency, rate, invoices, invoiced_minor, balance_minor, credit_notes, credited_minor,
                payments, paid_minor
         FROM revenue_months ORDER BY 1, 2, 3",
    );
    let summed = db.rows(
        "SELECT month, currency, rate, sum(a), sum(b), sum(c), sum(d), sum(e), sum(f), sum(g) FROM (
            SELECT substr(issue_date, 1, 7) AS month, currency, COALESCE(exchange_rate, '') AS rate,
                   1 AS a, total_minor AS b, balance_minor AS c, 0 AS d, 0 AS e, 0 AS f, 0 AS g
            FROM invoices WHERE status IN ('sent','partially_paid','paid')
            UNION ALL
            SELECT substr(n.issue_date, 1, 7), n.currency, COALESCE(i.exchange_rate, ''), 0, 0, 0, 1, n.total_minor, 0, 0
            FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id
            UNION ALL
            SELECT substr(p.paid_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 0, 0, 0, 0, 0, 1, p.amount_minor
            FROM payments p JOIN invoices i ON i.id = p.invoice_id
            UNION ALL
            SELECT substr(r.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 0, 0, 0, 0, 0, 1,
                   -r.amount_minor
            FROM refunds r JOIN invoices i ON i.id = r.invoice_id) AS u
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    );
    assert_eq!(kept, summed, "{ctx}: the monthly revenue rollup differs from the sums of the rows");
}

/// The invoice counts per project and status (kept by triggers, migration
/// 0025) equal the invoices' links counted now.
fn project_counts_are_exact(db: &mut Reader, ctx: &str) {
    let kept =
        db.rows("SELECT project_id, status, invoices FROM project_invoice_counts WHERE invoices > 0 ORDER BY 1, 2");
    let counted = db.rows(
        "SELECT ip.project_id, i.status, count(*) FROM invoice_projects ip JOIN invoices i ON i.id = ip.invoice_id
         GROUP BY 1, 2 ORDER BY 1, 2",
    );
    assert_eq!(kept, counted, "{ctx}: the invoices counted per project differ from the invoices' links");
}

pub fn books(db: &Path, ctx: &str) -> Seen {
    books_at(db, NOW, ctx)
}

fn invoice_is_whole(v: &InvoiceView, ctx: &str) {
    let i = &v.invoice;
    let t = &v.totals;
    let n = &i.number;
    assert!(!v.lines.is_empty(), "{ctx}: invoice {n} has no lines");
    let positions: Vec<u32> = v.lines.iter().map(|l| l.position).collect();
    assert_eq!(positions, (1..=v.lines.len() as u32).collect::<Vec<_>>(), "{ctx}: {n}'s line positions");
    assert_eq!(
        (i.subtotal, i.discount_amount, i.tax_total, i.total),
        (t.subtotal, t.discount, t.tax_total, t.total),
        "{ctx}: {n}'s stored totals differ from the engine's"
    );
    assert_eq!(t.lines.len(), v.lines.len(), "{ctx}: {n}");
    for (l, lt) in v.lines.iter().zip(&t.lines) {
        assert_eq!(l.amount, lt.net, "{ctx}: {n} line {}'s stored amount differs from the engine's", l.position);
    }
    assert!(v.credit_notes.is_empty() && v.refunds.is_empty(), "{ctx}: these books have no credit notes");
    let paid: Decimal = v.payments.iter().map(|p| p.amount).sum();
    assert_eq!(i.amount_paid, paid, "{ctx}: {n}'s paid amount is not the sum of its payments");
    assert_eq!(i.balance_due, i.total - paid, "{ctx}: {n}'s balance");
    let consistent = match i.status {
        InvoiceStatus::Draft | InvoiceStatus::Sent | InvoiceStatus::Cancelled => paid.is_zero(),
        InvoiceStatus::PartiallyPaid => paid > Decimal::ZERO && paid < i.total,
        InvoiceStatus::Paid => paid == i.total,
    };
    assert!(consistent, "{ctx}: {n} is {} with {paid} paid of {}", i.status, i.total);
}
