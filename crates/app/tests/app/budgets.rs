//! The worked value Billable keeps per hourly project with a budget
//! (`project_worked_values`, migration 0027), which the invoice list's
//! filter by budget reads: after every kind of change to what it is priced
//! from, the kept values are exactly what pricing the books afresh gives
//! (the time report by project over all days), and the filter follows.

use std::collections::BTreeMap;

use billable_app::{
    BusinessInput, ClientInput, EntryInput, InvoiceListInput, MemberInput, ProjectInput, TaskInput, TimeGroup,
    TimeReportInput,
};
use rust_decimal::Decimal;

use crate::support::*;

/// The kept values: per project, its amount (`None`: no time worked).
fn kept(b: &Books) -> BTreeMap<i64, Option<Decimal>> {
    let store = b.raw();
    let mut st = store.connection().prepare("SELECT project_id, amount FROM project_worked_values").unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get::<i64>(0)?, r.get::<Option<String>>(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .map(|(p, a)| (p, a.map(|a| a.parse::<Decimal>().expect("a decimal amount"))));
    rows.collect()
}

/// What pricing the books now gives, for these projects: the time report by
/// project over every day.
fn fresh(b: &mut Books, projects: &[i64]) -> BTreeMap<i64, Option<Decimal>> {
    let r = b
        .time_report(TimeReportInput { group: TimeGroup::Project, from: "2000-01-01".into(), to: "2099-12-31".into() })
        .expect("time report");
    projects
        .iter()
        .map(|p| (*p, r.rows.iter().filter(|row| row.key == Some(*p)).map(|row| row.amount).next_back()))
        .collect()
}

/// The invoices the list keeps for a filter by budget, by number.
fn listed(b: &mut Books, budget: &str) -> Vec<String> {
    let page = b
        .invoices(InvoiceListInput { budget: s(budget), per_page: Some(500), ..Default::default() })
        .expect("invoice list");
    assert_eq!(page.total as usize, page.rows.len(), "{budget}: the count is the rows");
    let mut numbers: Vec<String> = page.rows.into_iter().map(|r| r.invoice.number).collect();
    numbers.sort();
    numbers
}

#[test]
fn the_kept_worked_values_equal_a_fresh_pricing_after_every_kind_of_change() {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme GmbH", Some("EUR"), Some("100"));
    let beta = client(&mut b, "Beta Ltd", Some("JPY"), None);
    let budget = |b: &mut Books, client_id: i64, name: &str, amount: &str| {
        b.create_project(ProjectInput {
            client_id: Some(client_id),
            name: s(name),
            budget: s(amount),
            ..Default::default()
        })
        .expect("create project")
        .id
    };
    let site = budget(&mut b, acme.id, "Website", "1000");
    let app = budget(&mut b, acme.id, "App", "250.50");
    let yen = budget(&mut b, beta.id, "Shop", "90000");
    let plain = project(&mut b, acme.id, "Support", None).id;
    let projects = [site, app, yen, plain];
    let ana = b.create_member(MemberInput { name: s("Ana"), default_rate: s("80"), ..Default::default() }).unwrap();
    let design = task(&mut b, app, "Design", Some("120.25"));

    // After each change: the kept values are what pricing gives now, and
    // (for a change that moves one) some value moved, so a value kept from
    // before would have been caught.
    let mut last: BTreeMap<i64, Option<Decimal>> = [site, app, yen].iter().map(|p| (*p, None)).collect();
    let mut check = |b: &mut Books, after: &str, moves: bool| {
        let kept = kept(b);
        let fresh = fresh(b, &projects);
        for p in [site, app, yen] {
            assert_eq!(kept.get(&p), Some(&fresh[&p]), "{after}: project {p} kept as priced now");
        }
        assert!(!kept.contains_key(&plain), "{after}: a project without a budget is not priced");
        let now: BTreeMap<i64, Option<Decimal>> = [site, app, yen].iter().map(|p| (*p, fresh[p])).collect();
        assert_eq!(now != last, moves, "{after}: the values moved ({last:?} → {now:?})");
        last = now;
    };
    check(&mut b, "no time yet", false);

    // Time added, edited, deleted and billed.
    let e1 = hours(&mut b, site, None, "2026-05-04", "6").entry.id;
    let e2 = hours(&mut b, app, Some(design.id), "2026-05-04", "1.5").entry.id;
    // Of the default member, who has no rate (nor has the client): unpriced
    // until the business has a default rate.
    let e3 = hours(&mut b, yen, None, "2026-05-05", "2.25").entry.id;
    hours(&mut b, yen, None, "2026-05-06", "1");
    let e5 = hours(&mut b, site, None, "2026-05-06", "2").entry.id;
    hours(&mut b, plain, None, "2026-05-05", "3");
    check(&mut b, "time added", true);
    assert_eq!(kept(&b)[&site], Some(Decimal::from(800)), "8 h at the client's 100");
    b.edit_entry(e1, EntryInput { hours: s("11"), ..Default::default() }).unwrap();
    check(&mut b, "an entry's hours edited", true);
    b.edit_entry(e2, EntryInput { rate: s("99.99"), ..Default::default() }).unwrap();
    check(&mut b, "an entry's rate set", true);
    b.edit_entry(e2, EntryInput { project_id: Some(site), task_id: Some(None), ..Default::default() }).unwrap();
    check(&mut b, "an entry moved to another project", true);
    b.edit_entry(e5, EntryInput { billable: Some(false), ..Default::default() }).unwrap();
    check(&mut b, "an entry made non-billable", true);
    b.edit_entry(e3, EntryInput { member_id: Some(ana.id), ..Default::default() }).unwrap();
    check(&mut b, "an entry given to another member", true);
    let e4 = hours(&mut b, app, Some(design.id), "2026-05-06", "2").entry.id;
    check(&mut b, "an entry of a task added", true);
    bill(&mut b, acme.id, &[e1, e4], "project");
    check(&mut b, "time billed (worked all the same)", false);
    b.delete_entry(e2).unwrap();
    check(&mut b, "an entry deleted", true);

    // Rates at every level of the chain, and the business's default.
    b.edit_client(acme.id, ClientInput { rate: s("110"), ..Default::default() }).unwrap();
    check(&mut b, "the client's rate changed", true);
    b.edit_project(site, ProjectInput { rate: s("95.5"), ..Default::default() }).unwrap();
    check(&mut b, "the project's rate changed", true);
    b.edit_member(ana.id, MemberInput { default_rate: s("80.333"), ..Default::default() }).unwrap();
    check(&mut b, "a member's rate changed", true);
    b.edit_task(design.id, TaskInput { rate: s("130"), ..Default::default() }).unwrap();
    check(&mut b, "a task's rate changed", true);
    b.edit_client(beta.id, ClientInput { currency: s("EUR"), ..Default::default() }).unwrap();
    check(&mut b, "a client's currency changed", true);
    b.update_business(BusinessInput { default_rate: s("70"), ..Default::default() }).unwrap();
    check(&mut b, "the business's default rate changed", true);
    b.edit_project(site, ProjectInput { rate: s(""), ..Default::default() }).unwrap();
    check(&mut b, "the project's rate cleared", true);

    // Budgets: a new one, a changed one, one taken away.
    b.edit_project(plain, ProjectInput { budget: s("100"), ..Default::default() }).unwrap();
    let kept_now = kept(&b);
    assert_eq!(kept_now.get(&plain), Some(&fresh(&mut b, &projects)[&plain]), "a project given a budget is priced");
    b.edit_project(plain, ProjectInput { budget: s(""), ..Default::default() }).unwrap();
    check(&mut b, "a budget taken away", false);
}

#[test]
fn the_filter_by_budget_follows_the_time_and_rates_and_prices_what_is_not_kept() {
    let mut b = Books::new();
    let acme = client(&mut b, "Acme GmbH", Some("EUR"), Some("100"));
    let site = b
        .create_project(ProjectInput {
            client_id: Some(acme.id),
            name: s("Website"),
            budget: s("1000"),
            ..Default::default()
        })
        .unwrap()
        .id;
    let e1 = hours(&mut b, site, None, "2026-05-04", "5").entry.id;
    let invoice = bill(&mut b, acme.id, &[e1], "project").invoice.number;
    assert_eq!((listed(&mut b, "within"), listed(&mut b, "over")), (vec![invoice.clone()], vec![]), "500 of 1000");

    hours(&mut b, site, None, "2026-05-05", "5.5");
    assert_eq!((listed(&mut b, "within"), listed(&mut b, "over")), (vec![], vec![invoice.clone()]), "1050 of 1000");

    b.edit_project(site, ProjectInput { budget: s("1050"), ..Default::default() }).unwrap();
    assert_eq!(listed(&mut b, "within"), vec![invoice.clone()], "exactly the budget is within it");

    // The client's rate changed behind the app's back: its trigger takes the
    // value away, and the list prices the time again when it reads.
    b.execute(&format!("UPDATE clients SET rate = '100.01' WHERE id = {}", acme.id)).unwrap();
    assert!(kept(&b).is_empty(), "the value is taken away with the rate");
    assert_eq!(listed(&mut b, "over"), vec![invoice.clone()], "1050.11 of 1050, priced when read");
    // The next write keeps it again.
    b.edit_client(acme.id, ClientInput { address: s("Hauptstraße 1, Berlin"), ..Default::default() }).unwrap();
    assert_eq!(kept(&b).get(&site), Some(&Some("1050.11".parse().unwrap())));
    assert_eq!(listed(&mut b, "over"), vec![invoice]);

    // Books opened without a value (as after the migration) get it at once.
    b.execute("DELETE FROM project_worked_values").unwrap();
    b.reopen(NOW);
    assert_eq!(kept(&b).get(&site), Some(&Some("1050.11".parse().unwrap())), "priced when the books open");
}

/// A page deep in a long list filtered by budget (sorted from the matching
/// keys: 500 rows or more skipped from either end, and too few matches for
/// reading the sort order's index) is the page the unfiltered list gives
/// once the invoices of projects over budget and without one are left out,
/// in every sort and direction.
#[test]
fn a_late_page_of_the_filter_by_budget_is_the_list_without_the_projects_over() {
    use billable_app::{HeaderInput, InvoiceInput};
    let mut b = Books::new();
    let acme = client(&mut b, "Acme GmbH", Some("EUR"), Some("100"));
    let mut budget = |name: &str, amount: &str| {
        b.create_project(ProjectInput {
            client_id: Some(acme.id),
            name: s(name),
            budget: s(amount),
            ..Default::default()
        })
        .expect("create project")
        .id
    };
    let (within, over) = (budget("Website", "1000"), budget("App", "10"));
    let plain = project(&mut b, acme.id, "Support", None).id;
    hours(&mut b, over, None, "2026-05-04", "1");
    // 1,100 of 4,400 invoices within the budget, 3,300 over it or without one.
    let mut left_out = Vec::new();
    for n in 0..4400 {
        let project = match n % 4 {
            0 => within,
            1 => over,
            _ => plain,
        };
        let date = format!("2026-{:02}-{:02}", 1 + n % 4, 1 + n % 28);
        let v = b
            .create_invoice(InvoiceInput {
                client_id: acme.id,
                header: HeaderInput { project_id: Some(Some(project)), issue_date: s(&date), ..Default::default() },
                lines: vec![line("Work", "1", &format!("{}", 10 + n % 13))],
                ..Default::default()
            })
            .expect("create invoice");
        if project != within {
            left_out.push(v.invoice.number);
        }
    }
    for sort in ["issue_date", "due_date", "total", "number"] {
        for descending in [false, true] {
            let list = |b: &mut Books, budget: Option<&str>, page: u32, per_page: u32| -> (Vec<String>, u64) {
                let p = b
                    .invoices(InvoiceListInput {
                        budget: budget.map(str::to_string),
                        sort: s(sort),
                        descending,
                        page: Some(page),
                        per_page: Some(per_page),
                        ..Default::default()
                    })
                    .expect("invoice list");
                (p.rows.into_iter().map(|r| r.invoice.number).collect(), p.total)
            };
            let left_out: std::collections::HashSet<&String> = left_out.iter().collect();
            let all: Vec<String> = (1..=9).flat_map(|p| list(&mut b, None, p, 500).0).collect();
            assert_eq!(all.len(), 4400);
            let expected: Vec<String> = all.into_iter().filter(|n| !left_out.contains(n)).collect();
            assert_eq!(expected.len(), 1100);
            for page in [1, 21, 22, 23, 24] {
                let (rows, total) = list(&mut b, Some("within"), page, 25);
                assert_eq!(total, 1100, "{sort} {descending}");
                let at = usize::try_from(page - 1).unwrap() * 25;
                assert_eq!(rows, expected[at..at + 25], "{sort} {descending}: page {page} of 25 rows");
            }
        }
    }
}
