//! Names work wherever ids do: projects, tasks and team members are given by
//! name (any case) or id, a name that several share is refused naming each
//! and writes nothing; and time invoiced outside Billable is marked, kept
//! out of invoicing, and unmarked again.

use serde_json::Value;

use crate::support::Books;

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// Two clients that each have a project called Website, a task Design on
/// Acme's, and a team member Ana.
struct Studio {
    b: Books,
    acme_site: i64,
    globex_site: i64,
    design: i64,
    ana: i64,
}

fn studio() -> Studio {
    let b = Books::new().at("2026-03-30T12:00:00+02:00");
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    b.ok(&["client", "add", "Globex AG", "--currency", "EUR"]);
    let acme_site = id(&b.ok(&["project", "add", "Website", "--client", "Acme GmbH", "--rate", "100"]));
    let globex_site = id(&b.ok(&["project", "add", "Website", "--client", "Globex AG", "--rate", "80"]));
    let design = id(&b.ok(&["task", "add", "Design", "--project", &acme_site.to_string()]));
    let ana = id(&b.ok(&["member", "add", "Ana Lima", "--email", "ana@studio.example"]));
    Studio { b, acme_site, globex_site, design, ana }
}

#[test]
fn projects_tasks_and_members_by_name_and_an_ambiguous_name_refused() {
    let s = studio();
    let b = &s.b;
    let before = b.snapshot();
    let e = b.fails(&["time", "add", "--project", "Website", "--date", "2026-03-28", "--hours", "2"]);
    assert_eq!(e["field"], "project");
    let m = e["message"].as_str().unwrap();
    assert!(m.contains("2 projects") && m.contains("Acme GmbH") && m.contains("Globex AG"), "{m}");
    assert!(m.contains(&s.acme_site.to_string()) && m.contains(&s.globex_site.to_string()), "{m}");
    let e = b.fails(&["time", "add", "--project", "Webshop", "--date", "2026-03-28", "--hours", "2"]);
    assert_eq!(
        (e["field"].as_str(), e["message"].as_str()),
        (Some("project"), Some("project: no project has the name or id 'Webshop'"))
    );
    let e =
        b.fails(&["time", "add", "--client", "Acme GmbH", "--project", "website", "--task", "Copy", "--hours", "1"]);
    assert_eq!(e["field"], "task");
    let e = b.fails(&["timer", "start", "--client", "Acme GmbH", "--project", "Website", "--member", "Ben"]);
    assert_eq!(e["field"], "member");
    assert_eq!(b.snapshot(), before, "a refused name writes nothing");

    // Any case; the task among the project's, the member by email.
    let added = b.ok(&[
        "time",
        "add",
        "--client",
        "acme gmbh",
        "--project",
        "website",
        "--task",
        "DESIGN",
        "--member",
        "ana@studio.example",
        "--date",
        "2026-03-28",
        "--hours",
        "2",
        "-d",
        "Hero",
    ]);
    assert_eq!(
        (added["project_id"].as_i64(), added["task_id"].as_i64(), added["member_id"].as_i64()),
        (Some(s.acme_site), Some(s.design), Some(s.ana))
    );
    // An id still works, and a project id is an id even where names clash.
    let by_id = b.ok(&["time", "add", "--project", &s.globex_site.to_string(), "--date", "2026-03-28", "--hours", "1"]);
    assert_eq!(by_id["project_id"].as_i64(), Some(s.globex_site));

    let started = b.ok(&["timer", "start", "--client", "Globex AG", "--project", "Website", "--member", "ana lima"]);
    assert_eq!(started["timer"]["project_id"].as_i64(), Some(s.globex_site), "{started}");
    let status = b.ok(&["timer", "status", "--member", "Ana Lima"]);
    assert_eq!(status["project_id"].as_i64(), Some(s.globex_site), "{status}");
    b.ok(&["timer", "discard", "--member", "ana@studio.example"]);

    let listed = b.ok(&["time", "list", "--client", "Acme GmbH", "--project", "Website", "--member", "Ana Lima"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let listed = b.ok(&["time", "list", "--task", "Design"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let entry = id(&listed[0]);
    // Moving the entry to Globex's Website by name, then back by id; the task goes.
    let moved = b.ok(&["time", "edit", &entry.to_string(), "--project", &s.globex_site.to_string(), "--task", "0"]);
    assert_eq!((moved["project_id"].as_i64(), moved["task_id"].as_i64()), (Some(s.globex_site), None));
    let e = b.fails(&["time", "edit", &entry.to_string(), "--task", "Design"]);
    assert_eq!(e["field"], "task", "Design is Acme's task, not Globex's: {e}");

    let unbilled = b.ok(&["time", "unbilled", "--client", "Globex AG", "--project", "Website"]);
    assert_eq!(unbilled["entries"].as_array().map(Vec::len), Some(2), "{unbilled}");
    let preview = b.ok(&["invoice", "from-time", "--client", "Globex AG", "--project", "website", "--preview"]);
    assert!(preview.to_string().contains("Website"), "{preview}");
    let tasks = b.ok(&["task", "list", "--project", &s.acme_site.to_string()]);
    assert_eq!(tasks.as_array().map(Vec::len), Some(1));
    let e = b.fails(&["task", "list", "--project", "Website"]);
    assert_eq!(e["field"], "project");
}

#[test]
fn time_invoiced_elsewhere_is_marked_kept_out_of_invoicing_and_unmarked() {
    let s = studio();
    let b = &s.b;
    let site = s.acme_site.to_string();
    let one = id(&b.ok(&["time", "add", "--project", &site, "--date", "2026-03-02", "--hours", "3"]));
    let two = id(&b.ok(&["time", "add", "--project", &site, "--date", "2026-03-03", "--hours", "2"]));
    let three = id(&b.ok(&["time", "add", "--project", &site, "--date", "2026-03-04", "--hours", "1"]));
    let internal =
        id(&b.ok(&["time", "add", "--project", &site, "--date", "2026-03-04", "--hours", "1", "--non-billable"]));
    let (one_s, two_s, three_s) = (one.to_string(), two.to_string(), three.to_string());

    let before = b.snapshot();
    let e = b.fails(&["time", "mark-invoiced", &one_s, &internal.to_string(), "--reference", "Harvest #2041"]);
    assert!(e["message"].as_str().unwrap().contains("not billable"), "{e}");
    let long = "x".repeat(201);
    let e = b.fails(&["time", "mark-invoiced", &one_s, "--reference", &long]);
    assert_eq!(e["field"], "reference");
    let e = b.fails(&["time", "mark-invoiced", &one_s, "999"]);
    assert!(e["message"].as_str().unwrap().contains("999"), "{e}");
    assert_eq!(b.snapshot(), before, "a refused mark writes nothing");

    let marked = b.ok(&["time", "mark-invoiced", &one_s, &two_s, "--reference", "Harvest #2041"]);
    assert_eq!(marked.as_array().map(Vec::len), Some(2));
    assert_eq!(marked[0]["billed_outside"], "Harvest #2041");
    let unbilled = b.ok(&["time", "unbilled", "--client", "Acme GmbH"]);
    let ids: Vec<i64> = unbilled["entries"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(ids, vec![three], "only the unmarked billable hour is offered");
    let text = String::from_utf8(b.output(&["time", "list", "--client", "Acme GmbH"]).stdout).unwrap();
    assert!(text.contains("outside: Harvest #2041"), "{text}");
    // The tracked-time report still counts marked time: 3 + 2 + 1 billable hours.
    let report = b.ok(&["report", "time", "--from", "2026-03-01", "--to", "2026-03-31"]);
    assert_eq!(report["billable_hours"], "6.00", "{report}");

    // An invoice bills only the open hour; the entry it bills cannot be marked.
    let inv = b.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    assert_eq!(inv["total"], "100.00", "{inv}");
    let before = b.snapshot();
    let e = b.fails(&["time", "mark-invoiced", &three_s]);
    assert!(e["message"].as_str().unwrap().contains(&three_s), "{e}");
    assert_eq!(b.snapshot(), before);

    let unmarked = b.ok(&["time", "unmark-invoiced", &one_s]);
    assert!(unmarked[0]["billed_outside"].is_null(), "{unmarked}");
    let unbilled = b.ok(&["time", "unbilled", "--client", "Acme GmbH"]);
    let ids: Vec<i64> = unbilled["entries"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(ids, vec![one], "offered for invoicing again");
}

/// `BILLABLE_NOW` stops the clock at an instant; "today" is still decided in
/// the computer's time zone (`TZ`), as with the real clock. 23:30 UTC on
/// 10 May is already 11 May in Berlin.
#[test]
fn billable_now_is_an_instant_and_today_is_in_the_computers_zone() {
    let s = studio();
    let site = s.acme_site.to_string();
    let today_in = |tz: &str| {
        let out =
            s.b.command(&["--json", "time", "add", "--project", &site, "--hours", "1"])
                .env("BILLABLE_NOW", "2026-05-10T23:30:00Z")
                .env("TZ", tz)
                .output()
                .expect("run billable");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        v["date"].as_str().expect("a date").to_string()
    };
    assert_eq!(today_in("Europe/Berlin"), "2026-05-11");
    assert_eq!(today_in("UTC0"), "2026-05-10");
    assert_eq!(today_in("America/Los_Angeles"), "2026-05-10");
}
