//! Importing the vendors' lists of projects and clients: Toggl Track's
//! projects (EUR rates in the European number format) and clients exports,
//! Harvest's clients and projects exports ("Euro - EUR", budgets). Each is
//! imported twice with one result; a bad row is refused with its line and
//! column and nothing is written; a dry run writes nothing; time imported
//! after its projects is billed at their rates.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::*;

fn file(b: &Books, name: &str, text: &str) -> PathBuf {
    let path = b.db.with_file_name(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("expected a count, got {v}"))
}

/// (clients created, projects created, clients filled in, projects filled in, rows unchanged, conflicts)
fn counts(o: &Value) -> (u64, u64, u64, u64, u64, u64) {
    let c = &o["catalog"];
    (
        n(&o["clients"]),
        n(&o["projects"]),
        n(&c["clients_updated"]),
        n(&c["projects_updated"]),
        n(&c["unchanged"]),
        n(&c["conflict_count"]),
    )
}

/// Imports `path` twice: the second time fills in nothing, creates nothing
/// and leaves the books exactly as the first left them.
fn twice(b: &Books, path: &Path) -> Value {
    let f = path.to_str().unwrap();
    let first = b.ok(&["import", f]);
    let after = b.snapshot();
    let second = b.ok(&["import", f]);
    let c = counts(&first);
    assert_eq!(counts(&second), (0, 0, 0, 0, n(&first["rows"]), c.5), "{second}");
    assert_eq!(b.snapshot(), after, "the second import changed the books");
    first
}

/// A project of the books by its client's and its own name.
fn project(b: &Books, client: &str, name: &str) -> Value {
    let clients = b.ok(&["client", "list", "--all"]);
    let client_id = clients.as_array().unwrap().iter().find(|c| c["name"] == client).expect(client)["id"].clone();
    let projects = b.ok(&["project", "list", "--all"]);
    projects
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name && p["client_id"] == client_id)
        .unwrap_or_else(|| panic!("no project {name} of {client} in {projects}"))
        .clone()
}

fn client(b: &Books, name: &str) -> Value {
    let clients = b.ok(&["client", "list", "--all"]);
    clients.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("no {name}")).clone()
}

/// A decimal of the JSON, as written without trailing zeros ("85.50" → "85.5").
fn dec(v: &Value) -> String {
    let t = s(v);
    if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    }
}

/// Toggl Track's projects export from a German spreadsheet: `;`, a byte
/// order mark, numbers as 1.234,56.
const TOGGL_PROJECTS: &str = "\u{feff}Project;Client;Billable;Hourly rate;Currency;Fixed fee;Color;Estimate;Active
Website;Acme GmbH;Yes;85,50;EUR;;#06aaf5;40;Yes
Relaunch;Acme GmbH;Yes;;EUR;2.500,00;#c56bff;;Yes
Intern;Acme GmbH;No;50,00;EUR;;#525266;;No
";

const TOGGL_TIME: &str =
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags
Ana Lima,ana@studio.example,Acme GmbH,Website,,Homepage,Yes,2026-05-04,09:00:00,2026-05-04,10:30:00,01:30:00,
Ana Lima,ana@studio.example,acme gmbh,WEBSITE,,Menu and footer,Yes,2026-05-05,13:00:00,2026-05-05,15:15:00,02:15:00,
";

#[test]
fn import_toggl_projects_then_their_time_is_billed_at_the_imported_rate() {
    let b = Books::new().at("2026-05-10T09:00:00+02:00");
    b.ok(&["business", "show"]);
    let projects = file(&b, "Toggl_projects.csv", TOGGL_PROJECTS);
    let p = projects.to_str().unwrap();

    let before = b.snapshot();
    let dry = b.ok(&["import", p, "--dry-run"]);
    assert_eq!((dry["format"].as_str(), dry["dry_run"].as_bool()), (Some("toggl_projects"), Some(true)));
    assert_eq!(counts(&dry), (1, 3, 0, 0, 0, 0), "{dry}");
    assert_eq!(dry["number_format"], "comma");
    assert_eq!(b.snapshot(), before, "a dry run writes nothing");

    let first = twice(&b, &projects);
    assert_eq!(counts(&first), (1, 3, 0, 0, 0, 0), "{first}");
    let ignored: Vec<&str> =
        first["catalog"]["ignored_columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(ignored, ["Color", "Estimate"]);

    let website = project(&b, "Acme GmbH", "Website");
    assert_eq!((dec(&website["rate"]), website["billing_type"].as_str()), ("85.5".into(), Some("hourly")));
    let relaunch = project(&b, "Acme GmbH", "Relaunch");
    assert_eq!((relaunch["billing_type"].as_str(), dec(&relaunch["budget"])), (Some("fixed_price"), "2500".into()));
    // Not billable in Toggl: no rate to bill at; inactive there, archived here.
    let intern = project(&b, "Acme GmbH", "Intern");
    assert_eq!((intern["rate"].is_null(), intern["archived"].as_bool()), (true, Some(true)), "{intern}");
    assert_eq!(client(&b, "Acme GmbH")["currency"], "EUR");

    // Toggl's time export without rate or amount columns: matched to the
    // imported project, whatever the case.
    let time = file(&b, "Toggl_time_entries.csv", TOGGL_TIME);
    let t = b.ok(&["import", time.to_str().unwrap()]);
    assert_eq!((n(&t["entries"]), n(&t["clients"]), n(&t["projects"])), (2, 0, 0), "{t}");

    let inv = b.ok(&["invoice", "from-time", "--client", "Acme GmbH", "--no-tax"]);
    // 1:30 + 2:15 = 13,500 seconds at 85.50 an hour, computed here in cents:
    // 8550 × 13500 / 3600 = 32,062.5 cents, half away from zero 32,063.
    let (rate_cents, seconds): (u64, u64) = (8550, 5400 + 8100);
    let cents = (rate_cents * seconds * 2 + 3600) / (2 * 3600);
    let expected = format!("{}.{:02}", cents / 100, cents % 100);
    assert_eq!(expected, "320.63");
    assert_eq!((s(&inv["total"]), inv["currency"].as_str()), (expected, Some("EUR")), "{inv}");
}

#[test]
fn import_toggl_clients_matches_existing_ones_and_creates_the_rest() {
    let b = Books::new().at("2026-05-10T09:00:00+02:00");
    b.ok(&["client", "add", "acme gmbh"]);
    let path = file(&b, "Toggl_clients.csv", "Name,Notes\nAcme GmbH,Key account\nGlobex,\n");
    let first = twice(&b, &path);
    assert_eq!(first["format"], "toggl_clients");
    assert_eq!(counts(&first), (1, 0, 0, 0, 1, 0), "{first}");
    assert_eq!(first["catalog"]["ignored_columns"], serde_json::json!(["Notes"]));
    let names: Vec<String> =
        b.ok(&["client", "list"]).as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().into()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"acme gmbh".to_string()) && names.contains(&"Globex".to_string()), "{names:?}");
}

const HARVEST_CLIENTS: &str = "Client Name,Address,Currency,Active?
Acme GmbH,\"Hafenstraße 1
20457 Hamburg\",Euro - EUR,Yes
Globex,,US Dollar - USD,Yes
Initech,,British Pound - GBP,No
";

const HARVEST_PROJECTS: &str = "Client,Project,Project Code,Project Type,Bill By,Project Hourly Rate,Budget By,Budget,Currency,Start Date,End Date,Project Notes,Active?
Acme GmbH,Relaunch,AC-01,Fixed Fee,Project,,Total project fees,\"12,500.00\",Euro - EUR,2026-01-01,2026-06-30,New site,Yes
Acme GmbH,Support,AC-02,Time & Materials,Project,95.00,Total project hours,40,Euro - EUR,,,,Yes
Globex,App,GX-1,Time & Materials,Project,120.00,Total project fees,\"8,000.00\",US Dollar - USD,,,,Yes
Globex,Legacy,GX-2,Time & Materials,Project,99.00,,,Euro - EUR,,,,No
";

#[test]
fn import_harvest_clients_then_projects_filling_in_and_keeping_what_differs() {
    let b = Books::new().at("2026-05-10T09:00:00+02:00");
    // Acme exists without a currency; its Support project has a rate of its own.
    b.ok(&["client", "add", "ACME GmbH"]);
    b.ok(&["project", "add", "support", "--client", "ACME GmbH", "--rate", "90"]);

    let clients = file(&b, "harvest_clients.csv", HARVEST_CLIENTS);
    let c = twice(&b, &clients);
    assert_eq!(c["format"], "harvest_clients");
    // Globex and Initech created; Acme's empty currency and address filled in.
    assert_eq!(counts(&c), (2, 0, 1, 0, 0, 0), "{c}");
    let acme = client(&b, "ACME GmbH");
    assert_eq!(
        (acme["currency"].as_str(), acme["address"].as_str()),
        (Some("EUR"), Some("Hafenstraße 1\n20457 Hamburg"))
    );
    assert_eq!(client(&b, "Initech")["archived"], true);
    assert_eq!(client(&b, "Globex")["currency"], "USD");

    let projects = file(&b, "harvest_projects.csv", HARVEST_PROJECTS);
    let dry = b.ok(&["import", projects.to_str().unwrap(), "--dry-run"]);
    let before = b.snapshot();
    assert_eq!(counts(&dry), (0, 3, 0, 0, 1, 2), "{dry}");
    let p = twice(&b, &projects);
    assert_ne!(b.snapshot(), before);
    assert_eq!(p["format"], "harvest_projects");
    // Relaunch, App and Legacy created; Support's rate differs (90 in the
    // books, 95 in the file): kept, and listed; its budget is in hours, not
    // kept. Legacy's rate is in euros while Globex bills in dollars: the
    // currency is listed, and the rate is not one to bill Globex at.
    assert_eq!(counts(&p), (0, 3, 0, 0, 1, 2), "{p}");
    let conflict = &p["catalog"]["conflicts"][0];
    assert_eq!(
        (conflict["line"].as_u64(), conflict["field"].as_str(), dec(&conflict["kept"]), dec(&conflict["file"])),
        (Some(3), Some("rate"), "90".into(), "95".into()),
        "{conflict}"
    );
    assert_eq!(conflict["project"], "Support");
    let relaunch = project(&b, "ACME GmbH", "Relaunch");
    assert_eq!((relaunch["billing_type"].as_str(), dec(&relaunch["budget"])), (Some("fixed_price"), "12500".into()));
    let support = project(&b, "ACME GmbH", "support");
    assert_eq!((dec(&support["rate"]), support["budget"].is_null()), ("90".into(), true), "{support}");
    let app = project(&b, "Globex", "App");
    assert_eq!((dec(&app["rate"]), dec(&app["budget"])), ("120".into(), "8000".into()));
    let legacy = project(&b, "Globex", "Legacy");
    assert_eq!((legacy["rate"].is_null(), legacy["archived"].as_bool()), (true, Some(true)), "{legacy}");
    let currency = &p["catalog"]["conflicts"][1];
    assert_eq!(
        (currency["line"].as_u64(), currency["record"].as_str(), currency["field"].as_str()),
        (Some(5), Some("client"), Some("currency"))
    );
    assert_eq!((currency["kept"].as_str(), currency["file"].as_str()), (Some("USD"), Some("EUR")));

    // The text output names the conflict and what was kept.
    let out = b.output(&["import", projects.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Kept as in the books") && text.contains("Support") && text.contains("95"), "{text}");

    // A header that could be either vendor's is read as the one named.
    let plain = file(&b, "projects.csv", "Client,Project,Hourly rate\nGlobex,Portal,70\n");
    let named = b.ok(&["import", plain.to_str().unwrap(), "--source", "harvest-projects"]);
    assert_eq!((named["format"].as_str(), n(&named["projects"])), (Some("harvest_projects"), 1));
    let e = b.fails(&["import", plain.to_str().unwrap(), "--source", "toggl-tasks"]);
    assert!(e["message"].as_str().unwrap().contains("harvest-projects"), "{e}");
}

#[test]
fn import_refuses_bad_project_rows_by_line_and_column_and_writes_nothing() {
    let b = Books::new().at("2026-05-10T09:00:00+02:00");
    b.ok(&["client", "add", "Acme GmbH"]);
    let before = b.snapshot();
    let bad = file(
        &b,
        "bad_projects.csv",
        "Project;Client;Hourly rate;Currency
Website;Acme GmbH;85,50;EUR
App;Acme GmbH;viel;EUR
Shop;Acme GmbH;70,00;Euros
;Acme GmbH;60,00;EUR
",
    );
    for dry in [true, false] {
        let mut args = vec!["import", bad.to_str().unwrap()];
        if dry {
            args.push("--dry-run");
        }
        let e = b.fails(&args);
        assert_eq!(e["field"], "line 3, column Hourly rate", "{e}");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains("'viel' is not a number") && message.contains("1.234,56"), "{message}");
        assert!(message.contains("line 4, column Currency: 'Euros' is not a currency"), "{message}");
        assert!(message.contains("line 5, column Project: is empty"), "{message}");
        assert!(message.ends_with("nothing was imported"), "{message}");
        assert_eq!(b.snapshot(), before, "a refused file writes nothing");
    }
}
