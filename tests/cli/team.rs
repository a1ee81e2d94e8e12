//! `billable team init`: team books' schema made in an empty PostgreSQL
//! database (a real server the tests start), made again without harm, and
//! the books then opened with `--db URL`.

use crate::support::billable_bin;
use std::process::Command;

fn billable(args: &[&str]) -> std::process::Output {
    Command::new(billable_bin()).env_remove("BILLABLE_DB").args(args).output().expect("run billable")
}

#[test]
fn team_init_makes_the_schema_once_and_the_books_open_by_url() {
    let url = billable_pgtest::database();
    let first = billable(&["--json", "team", "init", &url]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(v["url"], url.as_str());
    let version = v["schema_version"].as_i64().unwrap();
    assert!(version >= 24, "{v}");
    let again = billable(&["--json", "team", "init", &url]);
    assert!(again.status.success());
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&again.stdout).unwrap()["schema_version"], version);

    let client = billable(&["--json", "--db", &url, "client", "add", "Acme GmbH", "--currency", "EUR"]);
    assert!(client.status.success(), "{}", String::from_utf8_lossy(&client.stdout));
    let (ok, out, err) = billable_pgtest::server().psql(&url, "SELECT name, currency FROM clients;");
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "Acme GmbH|EUR");
}

#[test]
fn team_init_refuses_a_file_and_names_an_unreachable_server_without_its_password() {
    let not_url = billable(&["--json", "team", "init", "books.db"]);
    assert_eq!(not_url.status.code(), Some(1));
    let e: serde_json::Value = serde_json::from_slice(&not_url.stdout).unwrap();
    assert_eq!(e["error"]["field"], "url", "{e}");

    let port = billable_pgtest::server().port().wrapping_add(1);
    let url = format!("postgres://owner:s3cret@127.0.0.1:{port}/books");
    let out = billable(&["--json", "team", "init", &url]);
    assert!(!out.status.success());
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["error"]["code"], "team_books_unreachable", "{e}");
    let message = e["error"]["message"].as_str().unwrap();
    assert!(message.contains("owner@127.0.0.1"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");
}
