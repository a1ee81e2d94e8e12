//! Members and roles of team books, enforced by PostgreSQL: an owner adds
//! members with `billable team member add`; each connects with their own
//! login and password (the test server asks every login but its superuser
//! for one). A member's app tracks their own time, and psql with the
//! member's credentials is refused invoices, payments, rates and other
//! members' entries by the database itself; a manager invoices everyone's
//! time but cannot manage members; two members' timers run at once.

use serde_json::Value;

use crate::support::{s, Books};

const NOW: &str = "2026-12-07T09:00:00+01:00";

/// `postgres://login@host/db` with its password.
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (login, host) = rest.split_once('@').unwrap();
    format!("{scheme}://{login}:{password}@{host}")
}

fn psql(url: &str, sql: &str) -> (bool, String, String) {
    billable_pgtest::server().psql(url, sql)
}

/// What psql as `url` reads, asserted to succeed.
fn reads(url: &str, sql: &str) -> String {
    let (ok, out, err) = psql(url, sql);
    assert!(ok, "{sql}: {err}");
    out.trim().to_string()
}

/// psql as `url` is refused `sql`; returns the server's words.
fn refused(url: &str, sql: &str) -> String {
    let (ok, out, err) = psql(url, sql);
    assert!(!ok, "{sql} should have been refused, read {out}");
    err
}

/// A person's own books: the team URL with their password.
fn as_person(owner: &Books, added: &Value, password: &str) -> (Books, String) {
    let url = with_password(added["url"].as_str().unwrap(), password);
    let mut b = owner.seen_at(NOW);
    b.db = url.clone().into();
    (b, url)
}

struct Team {
    owner: Books,
    ana: Books,
    ana_url: String,
    ana_password: String,
    bob: Books,
    bob_url: String,
    mia: Books,
    mia_url: String,
    /// Bob's entry on Website, 2 h on 1 December.
    bob_entry: i64,
}

/// Acme GmbH at 120/h, Website at 150/h (Ana and Bob are on it), Intranet
/// (nobody is); Ana and Bob members, Mia a manager; 2 h of Bob's on
/// Website, invoiced and half paid by the owner.
fn team() -> Team {
    let owner = Books::team().at(NOW);
    owner.ok(&["client", "add", "Acme GmbH", "--currency", "EUR", "--rate", "120"]);
    owner.ok(&["project", "add", "Website", "--client", "Acme GmbH", "--rate", "150", "--budget", "9000"]);
    owner.ok(&["project", "add", "Intranet", "--client", "Acme GmbH"]);

    let ana = owner.ok(&["team", "member", "add", "Ana Lima", "--email", "ana@studio.example", "--project", "Website"]);
    assert_eq!(ana["role"], "member");
    assert_eq!(ana["member"]["name"], "Ana Lima");
    assert_eq!(ana["projects"][0]["name"], "Website");
    let login = ana["login"].as_str().unwrap();
    let url = ana["url"].as_str().unwrap();
    assert!(login.ends_with("_ana_lima"), "{login}");
    assert!(url.starts_with(&format!("postgres://{login}@127.0.0.1:")), "{url}");
    let password = ana["password"].as_str().unwrap().to_string();
    assert_eq!(password.len(), 24);
    assert!(!url.contains(&password));
    let (ana_books, ana_url) = as_person(&owner, &ana, &password);

    let bob = owner.ok(&[
        "team",
        "member",
        "add",
        "Bob",
        "--project",
        "Website",
        "--password",
        "bob-has-a-long-one",
        "--login",
        &format!("{}_bob", login.trim_end_matches("_ana_lima")),
    ]);
    assert_eq!(bob["password"], Value::Null, "a given password is not shown back");
    let (bob_books, bob_url) = as_person(&owner, &bob, "bob-has-a-long-one");
    let mia = owner.ok(&["team", "member", "add", "Mia", "--role", "manager", "--password", "mia-manages-things"]);
    let (mia_books, mia_url) = as_person(&owner, &mia, "mia-manages-things");

    let bob_entry =
        owner.ok(&["time", "add", "--project", "Website", "--member", "Bob", "--date", "2026-12-01", "--hours", "2"])
            ["id"]
            .as_i64()
            .unwrap();
    let invoice = owner.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    let number = invoice["number"].as_str().unwrap().to_string();
    owner.ok(&["invoice", "mark-sent", &number]);
    owner.ok(&["payment", "add", &number, "--amount", "150"]);
    Team {
        owner,
        ana: ana_books,
        ana_url,
        ana_password: password,
        bob: bob_books,
        bob_url,
        mia: mia_books,
        mia_url,
        bob_entry,
    }
}

#[test]
fn a_member_connecting_with_psql_is_refused_invoices_payments_rates_and_others_time() {
    let t = team();
    let url = &t.ana_url;
    // A wrong password does not connect.
    let wrong = t.ana_url.replace(&t.ana_password, "not-her-password");
    assert!(refused(&wrong, "SELECT 1;").contains("password authentication failed"));

    for table in ["invoices", "invoice_lines", "payments", "client_payments", "revenue_months", "time_daily"] {
        let err = refused(url, &format!("SELECT count(*) FROM public.{table};"));
        assert!(err.contains("permission denied"), "{table}: {err}");
        let err = refused(url, &format!("SELECT count(*) FROM {table};"));
        assert!(err.contains("permission denied"), "{table} by the search path: {err}");
    }
    // Rates: not in the tables, and blank in the views she reads.
    for (table, col) in [
        ("projects", "rate"),
        ("projects", "budget"),
        ("clients", "rate"),
        ("members", "default_rate"),
        ("time_entries", "rate"),
        ("business", "default_rate"),
    ] {
        let err = refused(url, &format!("SELECT {col} FROM public.{table};"));
        assert!(err.contains("permission denied"), "public.{table}.{col}: {err}");
    }
    assert_eq!(reads(url, "SELECT name, rate IS NULL, budget IS NULL FROM projects;"), "Website|t|t");
    assert_eq!(reads(url, "SELECT name, rate IS NULL FROM clients;"), "Acme GmbH|t");
    assert_eq!(reads(url, "SELECT name, default_rate IS NULL FROM members;"), "Ana Lima|t");
    assert_eq!(reads(url, "SELECT default_rate IS NULL, iban FROM business;"), "t|");
    // Other members' entries: zero rows, and changes that touch nothing.
    assert_eq!(reads(url, "SELECT count(*) FROM time_entries;"), "0");
    assert_eq!(reads(url, "SELECT count(*) FROM public.time_entries;"), "0");
    assert_eq!(reads(url, &format!("UPDATE public.time_entries SET seconds = 60 WHERE id = {};", t.bob_entry)), "");
    assert_eq!(reads(url, &format!("DELETE FROM time_entries WHERE id = {};", t.bob_entry)), "");
    let bob_seconds =
        reads(&t.owner.db.to_string_lossy(), &format!("SELECT seconds FROM time_entries WHERE id = {};", t.bob_entry));
    assert_eq!(bob_seconds, "7200", "Bob's entry is untouched");
    // Writing time as someone else, or on a project she is not on, is refused.
    let bob_id = reads(&t.owner.db.to_string_lossy(), "SELECT id FROM members WHERE name = 'Bob';");
    let website = reads(&t.owner.db.to_string_lossy(), "SELECT id FROM projects WHERE name = 'Website';");
    let intranet = reads(&t.owner.db.to_string_lossy(), "SELECT id FROM projects WHERE name = 'Intranet';");
    let err = refused(
        url,
        &format!(
            "INSERT INTO public.running_timers (member_id, project_id, started_at) VALUES ({bob_id}, {website}, 0);"
        ),
    );
    assert!(err.contains("row-level security"), "{err}");
    let ana_id = reads(&t.owner.db.to_string_lossy(), "SELECT id FROM members WHERE name = 'Ana Lima';");
    let err = refused(
        url,
        &format!(
            "INSERT INTO public.running_timers (member_id, project_id, started_at) VALUES ({ana_id}, {intranet}, 0);"
        ),
    );
    assert!(err.contains("row-level security"), "{err}");
    let err = refused(
        url,
        &format!(
            "INSERT INTO time_entries (member_id, client_id, project_id, work_date, seconds, rate, created_at)
        SELECT {ana_id}, client_id, id, '2026-12-02', 60, '999', 0 FROM projects WHERE id = {website};"
        ),
    );
    assert!(err.contains("cannot set the rate"), "{err}");
    // The rollups and members are not hers to write.
    assert!(refused(url, "DELETE FROM public.time_daily;").contains("permission denied"));
    assert!(refused(url, "UPDATE public.members SET name = 'Ana';").contains("permission denied"));
    assert!(refused(url, "CREATE ROLE intruder;").contains("permission denied"));
    // Her own time, through psql, is hers.
    let written = reads(
        url,
        &format!(
            "INSERT INTO time_entries (member_id, client_id, project_id, work_date, seconds, created_at)
        SELECT {ana_id}, client_id, id, '2026-12-02', 1800, 0 FROM projects WHERE id = {website} RETURNING seconds;"
        ),
    );
    assert_eq!(written, "1800");
    assert_eq!(reads(url, "SELECT count(*), sum(seconds) FROM time_entries;"), "1|1800");
    // and counted in the rollups the owner reads.
    let owner = t.owner.db.to_string_lossy().to_string();
    assert_eq!(reads(&owner, &format!("SELECT sum(seconds) FROM time_daily WHERE member_id = {ana_id};")), "1800");
    assert_eq!(reads(&owner, &format!("SELECT seconds FROM time_unbilled WHERE member_id = {ana_id};")), "1800");
    // She cannot approve her own time, nor change it once it is billed.
    let mine = reads(url, "SELECT id FROM time_entries;");
    let err = refused(url, &format!("UPDATE public.time_entries SET approval = 'approved' WHERE id = {mine};"));
    assert!(err.contains("row-level security"), "{err}");
    let err = refused(url, &format!("UPDATE time_entries SET approval = 'approved' WHERE id = {mine};"));
    assert!(err.contains("cannot approve"), "{err}");
    t.owner.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    assert_eq!(reads(url, &format!("UPDATE public.time_entries SET seconds = 60 WHERE id = {mine} RETURNING id;")), "");
    assert_eq!(reads(url, &format!("DELETE FROM public.time_entries WHERE id = {mine} RETURNING id;")), "");
    let billed = format!("SELECT seconds, invoice_id IS NOT NULL FROM time_entries WHERE id = {mine};");
    assert_eq!(reads(&owner, &billed), "1800|t");
}

#[test]
fn a_members_app_tracks_their_own_time_and_two_timers_run_at_once() {
    let t = team();
    let who = t.ana.ok(&["team", "whoami"]);
    assert_eq!(who["role"], "member");
    assert_eq!(who["member"]["name"], "Ana Lima");
    assert_eq!(who["team"], true);

    // Ana and Bob start their timers; both run.
    let a = t.ana.ok(&["timer", "start", "--project", "Website", "-d", "Homepage"]);
    assert_eq!(a["timer"]["member_name"], "Ana Lima");
    let b = t.bob.ok(&["timer", "start", "--project", "Website", "-d", "Checkout"]);
    assert_eq!(b["timer"]["member_name"], "Bob");
    let owner = t.owner.db.to_string_lossy().to_string();
    assert_eq!(reads(&owner, "SELECT count(*) FROM running_timers;"), "2");
    assert_eq!(t.ana.ok(&["timer", "status"])["description"], "Homepage");
    assert_eq!(t.bob.ok(&["timer", "status"])["description"], "Checkout");

    // 45 minutes later Ana stops hers: her entry; Bob's runs on.
    let later = "2026-12-07T09:45:00+01:00";
    let mut ana_later = t.ana.seen_at(later);
    ana_later.db = t.ana.db.clone();
    let stopped = ana_later.ok(&["timer", "stop"]);
    assert_eq!(stopped["seconds"], 2700);
    let entry = stopped["entry"]["id"].as_i64().unwrap();
    assert_eq!(reads(&owner, "SELECT count(*) FROM running_timers;"), "1");
    assert_eq!(t.bob.ok(&["timer", "status"])["description"], "Checkout");

    // Manual time and an edit of her own; her list is hers alone.
    let added = t.ana.ok(&["time", "add", "--project", "Website", "--date", "2026-12-03", "--hours", "1.5"]);
    let added_id = added["id"].as_i64().unwrap();
    let edited = t.ana.ok(&["time", "edit", &added_id.to_string(), "--hours", "2", "-d", "Review"]);
    assert_eq!(s(&edited["hours"]), "2.00");
    let list = t.ana.ok(&["time", "list"]);
    let ids: Vec<i64> = list.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![added_id, entry]);
    for e in list.as_array().unwrap() {
        assert_eq!(e["member_name"], "Ana Lima");
        // No rate reaches her app, so no amount either.
        assert!(e["rate"].is_null() && e["effective_rate"].is_null() && e["amount"].is_null(), "{e}");
    }

    // Bob's entry: refused by name, nothing written.
    let before = reads(&owner, "SELECT * FROM time_entries ORDER BY id;");
    let err = t.ana.fails(&["time", "edit", &t.bob_entry.to_string(), "--hours", "9"]);
    assert_eq!(err["code"], "not_permitted", "{err}");
    assert!(err["message"].as_str().unwrap().contains("another team member's"), "{err}");
    let err = t.ana.fails(&["time", "delete", &t.bob_entry.to_string()]);
    assert_eq!(err["code"], "not_permitted", "{err}");
    // A rate, someone else's time, invoices: refused with a clear code.
    let err =
        t.ana.fails(&["time", "add", "--project", "Website", "--date", "2026-12-04", "--hours", "1", "--rate", "300"]);
    assert_eq!(err["code"], "not_permitted", "{err}");
    assert!(err["message"].as_str().unwrap().contains("cannot set the rate"), "{err}");
    let err = t.ana.fails(&["invoice", "list"]);
    assert_eq!(err["code"], "not_permitted", "{err}");
    assert!(err["message"].as_str().unwrap().contains("invoices"), "{err}");
    assert!(!err["message"].as_str().unwrap().contains("permission denied"), "{err}");
    let err = t.ana.fails(&["timer", "start", "--project", "Intranet"]);
    assert_ne!(err["code"], "storage", "{err}");
    assert_eq!(reads(&owner, "SELECT * FROM time_entries ORDER BY id;"), before, "nothing was written");

    // The projects she sees are the ones she is on.
    let projects = t.ana.ok(&["project", "list"]);
    let names: Vec<&str> = projects.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Website"]);
    assert!(projects[0]["rate"].is_null());
}

#[test]
fn a_manager_invoices_everyones_time_but_cannot_manage_members() {
    let t = team();
    let ana_entry = t.ana.ok(&["time", "add", "--project", "Website", "--date", "2026-12-02", "--hours", "3"])["id"]
        .as_i64()
        .unwrap()
        .to_string();
    assert_eq!(t.mia.ok(&["team", "whoami"])["role"], "manager");
    // Ana submits her week; approving it is a manager's.
    t.ana.ok(&["time", "submit", "--week", "2026-W49"]);
    let err = t.ana.fails(&["time", "approve", "--week", "2026-W49"]);
    assert_eq!(err["code"], "not_permitted", "{err}");
    assert!(err["message"].as_str().unwrap().contains("cannot approve"), "{err}");
    t.mia.ok(&["time", "approve", "--week", "2026-W49", "--member", "Ana Lima"]);
    assert_eq!(t.mia.ok(&["time", "list", "--approval", "approved"]).as_array().unwrap().len(), 1);
    // Her change of approved time sends it back to not submitted.
    let edited = t.ana.ok(&["time", "edit", &ana_entry, "-d", "Reviewed"]);
    assert_eq!(edited["approval"], "none", "{edited}");
    assert_eq!(t.mia.ok(&["time", "list", "--approval", "approved"]).as_array().unwrap().len(), 0);
    // Everyone's time, rates and all.
    let all = t.mia.ok(&["time", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    // Invoicing Ana's time: 3 h × 150.00 = 450.00.
    let made = t.mia.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    assert_eq!(s(&made["total"]), "450.00");
    assert_eq!(made["lines"][0]["rate"], "150");
    // Members are the owner's.
    let err = t.mia.fails(&["team", "member", "add", "Zoe"]);
    assert_eq!(err["code"], "not_permitted", "{err}");
    let err = t.mia.fails(&["member", "add", "Zoe"]);
    assert_eq!(err["code"], "not_permitted", "{err}");
    let err = t.mia.fails(&["team", "member", "role", "Ana Lima", "--role", "owner"]);
    assert_eq!(err["code"], "not_permitted", "{err}");
    let owner = t.owner.db.to_string_lossy().to_string();
    assert_eq!(reads(&owner, "SELECT count(*) FROM members WHERE name = 'Zoe';"), "0");
    assert!(refused(&t.mia_url, "INSERT INTO members (name) VALUES ('Zoe');").contains("permission denied"));
    assert!(refused(&t.mia_url, "CREATE ROLE zoe LOGIN;").contains("permission denied"));
    assert!(refused(&t.mia_url, "DELETE FROM billable_team.logins;").contains("permission denied"));
    // but may read invoices and payments through psql.
    assert_eq!(reads(&t.mia_url, "SELECT count(*) FROM invoices;"), "2");
    assert_eq!(reads(&t.mia_url, "SELECT count(*) FROM payments;"), "1");

    // Reports by member cover the whole team.
    let report = t.mia.ok(&["report", "time", "--by", "member", "--from", "2026-12-01", "--to", "2026-12-31"]);
    let mut rows: Vec<(String, String)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap().to_string(), s(&r["hours"])))
        .collect();
    rows.sort();
    assert_eq!(rows, vec![("Ana Lima".to_string(), "3.00".to_string()), ("Bob".to_string(), "2.00".to_string())]);
}

#[test]
fn roles_change_and_a_removed_member_cannot_connect_but_their_time_stays() {
    let t = team();
    let owner = t.owner.db.to_string_lossy().to_string();
    let list = t.owner.ok(&["team", "member", "list"]);
    let roles: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["member"]["name"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, vec![("Ana Lima", "member"), ("Bob", "member"), ("Mia", "manager")]);

    // Ana becomes a manager: from her next connection she reads invoices.
    assert!(refused(&t.ana_url, "SELECT count(*) FROM invoices;").contains("permission denied"));
    let changed = t.owner.ok(&["team", "member", "role", "Ana Lima", "--role", "manager"]);
    assert_eq!(changed["role"], "manager");
    assert_eq!(reads(&t.ana_url, "SELECT count(*) FROM invoices;"), "1");
    assert_eq!(t.ana.ok(&["team", "whoami"])["role"], "manager");
    assert_eq!(t.ana.ok(&["time", "list"]).as_array().unwrap().len(), 1, "Bob's entry too");

    // Projects: Bob off Website, on Intranet.
    let moved = t.owner.ok(&["team", "member", "projects", "Bob", "--add", "Intranet", "--remove", "Website"]);
    assert_eq!(moved["projects"][0]["name"], "Intranet");
    assert_eq!(moved["projects"].as_array().unwrap().len(), 1);
    t.bob.ok(&["timer", "start", "--project", "Intranet"]);
    t.bob.ok(&["timer", "discard"]);

    // Bob is removed: his login no longer connects; his time stays.
    let removed = t.owner.ok(&["team", "member", "remove", "Bob"]);
    assert_eq!(removed["active"], false);
    assert!(refused(&t.bob_url, "SELECT 1;").contains("not permitted to log in"));
    assert_eq!(reads(&owner, &format!("SELECT seconds FROM time_entries WHERE id = {};", t.bob_entry)), "7200");
    let list = t.owner.ok(&["team", "member", "list"]);
    let bob = list.as_array().unwrap().iter().find(|m| m["member"]["name"] == "Bob").unwrap();
    assert_eq!(bob["active"], false);
    // A member's wrong input names its field and writes nothing.
    let err = t.owner.fails(&["team", "member", "add", "Zoe", "--role", "boss"]);
    assert_eq!(err["field"], "role");
    let err = t.owner.fails(&["team", "member", "add", "Zoe", "--password", "short"]);
    assert_eq!(err["field"], "password");
    let err = t.owner.fails(&["team", "member", "add", "Zoe", "--login", "Zoe!"]);
    assert_eq!(err["field"], "login");
    assert_eq!(reads(&owner, "SELECT count(*) FROM members WHERE name = 'Zoe';"), "0");
}

#[test]
fn a_books_file_has_one_person_its_owner() {
    let b = Books::new();
    let who = b.ok(&["team", "whoami"]);
    assert_eq!(who["team"], false);
    assert_eq!(who["role"], "owner");
    let err = b.fails(&["team", "member", "add", "Ana"]);
    assert_eq!(err["code"], "not_for_team_books", "{err}");
}

/// Runs `billable team password` on `books`, the new password piped in.
fn change_password(books: &Books, new: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = books
        .command(&["--json", "team", "password"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run billable");
    child.stdin.take().unwrap().write_all(new.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_member_changes_her_own_password_and_the_old_one_no_longer_connects() {
    let t = team();
    let short = change_password(&t.ana, "short\n");
    assert!(!short.status.success());
    let err: Value = serde_json::from_slice(&short.stdout).unwrap();
    assert_eq!(err["error"]["field"], "new_password", "{err}");
    assert_eq!(reads(&t.ana_url, "SELECT 1;"), "1", "the password is unchanged");

    let out = change_password(&t.ana, "ana-picked-this-one\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let who: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(who["role"], "member");
    assert!(refused(&t.ana_url, "SELECT 1;").contains("password authentication failed"));
    let new_url = t.ana_url.replace(&t.ana_password, "ana-picked-this-one");
    assert_eq!(reads(&new_url, "SELECT current_user = session_user;"), "t");
    // The app with the old password is told the server refused the login.
    let err = t.ana.fails(&["team", "whoami"]);
    assert_eq!(err["code"], "team_books_refused", "{err}");
    let mut ana = t.ana.seen_at(NOW);
    ana.db = new_url.into();
    assert_eq!(ana.ok(&["team", "whoami"])["role"], "member");
    // Nobody else's password changed.
    assert_eq!(reads(&t.bob_url, "SELECT 1;"), "1");
}
