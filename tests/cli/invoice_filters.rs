//! The invoice list filtered by the projects an invoice bills (seed 003's
//! filters by budget and by project): by billing type, and by where a
//! project's time worked stands against its budget — through the real
//! binary, with the rollups the filters read compared after every change
//! with what the invoices and time entries themselves say.

use rusqlite::Connection;
use serde_json::Value;

use crate::support::Books;

fn numbers(b: &Books, filter: &[&str]) -> Vec<String> {
    let mut args = vec!["invoice", "list", "--sort", "number"];
    args.extend_from_slice(filter);
    let list = b.ok(&args);
    let rows: Vec<String> =
        list["rows"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_string()).collect();
    assert_eq!(list["total"], Value::from(rows.len()), "{filter:?}: the count agrees with the rows: {list}");
    rows
}

fn short(n: &[&str]) -> Vec<String> {
    n.iter().map(|n| format!("INV-2026-000{n}")).collect()
}

/// One row of the time worked on a project: project, client, member, task,
/// entry rate, billable, seconds, entries.
type Worked = (i64, i64, i64, i64, String, i64, i64, i64);

/// What the rollups say equals what the books say: the kinds of the
/// projects each invoice bills, and each project's time over all its days.
fn rollups_agree(b: &Books) {
    let c = Connection::open(&b.db).unwrap();
    let wrong: i64 = c
        .query_row(
            "SELECT count(*) FROM invoices i WHERE i.project_kinds IS NOT COALESCE((
                 SELECT MAX(p.billing_type = 'hourly') + 2 * MAX(p.billing_type = 'fixed_price')
                      + 4 * MAX(p.billing_type = 'retainer') + 8 * MAX(p.budget IS NOT NULL)
                      + 16 * MAX(p.budget IS NULL)
                 FROM projects p
                 WHERE p.id = i.project_id
                    OR p.id IN (SELECT project_id FROM time_entries WHERE invoice_id = i.id)), 0)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wrong, 0, "every invoice's project kinds match its header and its time");
    let miscounted: i64 = c
        .query_row(
            "SELECT count(*) FROM invoices i WHERE i.project_count <> (
                 SELECT count(*) FROM projects p
                 WHERE p.id = i.project_id
                    OR p.id IN (SELECT project_id FROM time_entries WHERE invoice_id = i.id))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(miscounted, 0, "every invoice's number of projects");
    let counts = |sql: &str| -> Vec<(i64, String, i64)> {
        let mut st = c.prepare(sql).unwrap();
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert_eq!(
        counts("SELECT project_id, status, invoices FROM project_invoice_counts WHERE invoices > 0 ORDER BY 1, 2"),
        counts(
            "SELECT ip.project_id, i.status, count(*) FROM invoice_projects ip JOIN invoices i ON i.id = ip.invoice_id
             GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        "the invoices of each project, per status"
    );
    let rows = |sql: &str| -> Vec<Worked> {
        let mut st = c.prepare(sql).unwrap();
        let rows = st
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    let kept = rows(
        "SELECT project_id, client_id, member_id, task_id, rate, billable, seconds, entries
         FROM time_worked ORDER BY 1, 2, 3, 4, 5, 6",
    );
    let computed = rows(
        "SELECT project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable, SUM(seconds),
                count(*)
         FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6",
    );
    assert_eq!(kept, computed, "the time worked on each project, all days together");
}

#[test]
fn the_invoice_list_filters_by_billing_type_and_by_budget() {
    let b = Books::new().at("2026-06-01T09:00:00+02:00");
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    // Web: hourly at 100 within 500; Support: hourly at 80 without a budget;
    // Relaunch: fixed at 10,000; Care: a retainer of 1,500 a month.
    b.ok(&["project", "add", "Web", "--client", "Acme GmbH", "--rate", "100", "--budget", "500"]);
    b.ok(&["project", "add", "Support", "--client", "Acme GmbH", "--rate", "80"]);
    b.ok(&["project", "add", "Relaunch", "--client", "Acme GmbH", "--billing", "fixed_price", "--budget", "10000"]);
    b.ok(&["project", "add", "Care", "--client", "Acme GmbH", "--billing", "retainer", "--budget", "1500"]);
    rollups_agree(&b);

    // INV-0001 bills 3 h of Web (300.00) and 2 h of Support (160.00): Web's
    // time is worth 300.00, within its budget.
    b.ok(&["time", "add", "--project", "Web", "--date", "2026-05-04", "--hours", "3"]);
    b.ok(&["time", "add", "--project", "Support", "--date", "2026-05-05", "--hours", "2"]);
    b.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    b.ok(&["invoice", "mark-sent", "INV-2026-0001"]);
    assert_eq!(numbers(&b, &["--budget", "within"]), short(&["1"]));
    assert!(numbers(&b, &["--budget", "over"]).is_empty());
    rollups_agree(&b);

    // 4 h more of Web: 700.00 worked, over its 500.00 (billed or not: the
    // project's billing view shows the same); INV-0002 bills them.
    b.ok(&["time", "add", "--project", "Web", "--date", "2026-05-11", "--hours", "4"]);
    assert_eq!(numbers(&b, &["--budget", "over"]), short(&["1"]));
    b.ok(&["invoice", "from-time", "--client", "Acme GmbH", "--project", "Web"]);
    b.ok(&["invoice", "mark-sent", "INV-2026-0002"]);
    // INV-0003: 40 % of Relaunch's fee; INV-0004: Care for March; INV-0005:
    // an invoice of no project.
    b.ok(&["invoice", "from-project", "Relaunch", "--percent", "40"]);
    b.ok(&["invoice", "from-project", "Care", "--period", "2026-03"]);
    b.ok(&["invoice", "create", "--client", "Acme GmbH", "--line", "Domain|1|20"]);
    rollups_agree(&b);

    assert_eq!(numbers(&b, &[]).len(), 5);
    assert_eq!(numbers(&b, &["--billing-type", "hourly"]), short(&["1", "2"]));
    assert_eq!(numbers(&b, &["--billing-type", "fixed price"]), short(&["3"]));
    assert_eq!(numbers(&b, &["--billing-type", "retainer"]), short(&["4"]));
    // Over: both invoices of Web. Within: a budget and none over it (a fixed
    // fee is never invoiced past, a retainer is billed once a period). None:
    // a project without a budget.
    assert_eq!(numbers(&b, &["--budget", "over"]), short(&["1", "2"]));
    assert_eq!(numbers(&b, &["--budget", "within"]), short(&["3", "4"]));
    assert_eq!(numbers(&b, &["--budget", "none"]), short(&["1"]));
    assert_eq!(numbers(&b, &["--billing-type", "hourly", "--budget", "over"]), short(&["1", "2"]));
    assert!(numbers(&b, &["--billing-type", "fixed_price", "--budget", "over"]).is_empty());
    assert_eq!(numbers(&b, &["--billing-type", "fixed_price", "--budget", "within"]), short(&["3"]));
    // With the other filters.
    assert!(numbers(&b, &["--billing-type", "hourly", "--status", "draft"]).is_empty());
    assert_eq!(numbers(&b, &["--budget", "within", "--status", "draft"]), short(&["3", "4"]));
    assert_eq!(numbers(&b, &["--budget", "over", "--search", "0002"]), short(&["2"]));

    // A budget of 750.00: within again; an hour more (800.00) is over, and
    // deleting it is within again.
    b.ok(&["project", "edit", "Web", "--budget", "750"]);
    assert!(numbers(&b, &["--budget", "over"]).is_empty());
    assert_eq!(numbers(&b, &["--budget", "within"]), short(&["1", "2", "3", "4"]));
    let extra = b.ok(&["time", "add", "--project", "Web", "--date", "2026-05-18", "--hours", "1"]);
    rollups_agree(&b);
    assert_eq!(numbers(&b, &["--budget", "over"]), short(&["1", "2"]));
    b.ok(&["time", "delete", &extra["id"].to_string()]);
    rollups_agree(&b);
    assert!(numbers(&b, &["--budget", "over"]).is_empty());

    // Support gets a budget: no invoice bills a project without one.
    b.ok(&["project", "edit", "Support", "--budget", "1000"]);
    rollups_agree(&b);
    assert!(numbers(&b, &["--budget", "none"]).is_empty());
    assert_eq!(numbers(&b, &["--budget", "within"]), short(&["1", "2", "3", "4"]));

    // A draft from time is listed until it is deleted.
    b.ok(&["time", "add", "--project", "Support", "--date", "2026-05-19", "--hours", "1"]);
    b.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    assert_eq!(numbers(&b, &["--billing-type", "hourly"]), short(&["1", "2", "6"]));
    rollups_agree(&b);
    b.ok(&["invoice", "delete", "INV-2026-0006"]);
    rollups_agree(&b);
    assert_eq!(numbers(&b, &["--billing-type", "hourly"]), short(&["1", "2"]));

    // Bad filters name the field and what is wrong.
    let e = b.fails(&["invoice", "list", "--budget", "much"]);
    assert_eq!(e["field"], "budget", "{e}");
    assert!(e["message"].as_str().unwrap().contains("'much' is not a budget filter; use over, within or none"), "{e}");
    let e = b.fails(&["invoice", "list", "--billing-type", "weekly"]);
    assert_eq!(e["field"], "billing_type", "{e}");
    assert!(e["message"].as_str().unwrap().contains("'weekly' is not a billing type"), "{e}");
}
