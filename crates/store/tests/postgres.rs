//! Team books on a real PostgreSQL server (started by the tests, see
//! `billable-pgtest`): the schema is created in an empty database, reopened
//! untouched, refused when it is newer or another program's, and the
//! repository functions read back exactly what they wrote.

use billable_core::model::SavedItem;
use billable_store::{items, Engine, Store, StoreError, SCHEMA_VERSION};
use rust_decimal::Decimal;
use std::str::FromStr;

fn hosting(name: &str, rate: &str) -> SavedItem {
    SavedItem {
        id: 0,
        name: name.into(),
        description: format!("{name} for a month"),
        long_description: String::new(),
        unit: "month".into(),
        rate: Decimal::from_str(rate).unwrap(),
        tax_rate_id: None,
        archived: false,
    }
}

#[test]
fn an_empty_database_gets_the_schema_and_reopens_untouched() {
    let url = billable_pgtest::database();
    let store = Store::open_postgres(&url).unwrap();
    assert_eq!(store.engine(), Engine::Postgres);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    let store = Store::open_postgres(&url).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let (ok, out, err) = billable_pgtest::server().psql(&url, "SELECT count(*) FROM billable_books;");
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "1");
}

#[test]
fn newer_books_and_other_programs_databases_are_refused_untouched() {
    let server = billable_pgtest::server();
    let url = billable_pgtest::database();
    drop(Store::open_postgres(&url).unwrap());
    let (ok, _, err) = server.psql(&url, "UPDATE billable_books SET schema_version = 999;");
    assert!(ok, "{err}");
    match Store::open_postgres(&url) {
        Err(StoreError::TooNew { found: 999, supported, .. }) => assert_eq!(supported, SCHEMA_VERSION),
        other => panic!("expected the books to be refused as too new, got {:?}", other.map(|_| ())),
    }
    let (_, version, _) = server.psql(&url, "SELECT schema_version FROM billable_books;");
    assert_eq!(version.trim(), "999", "a refused open changes nothing");

    let other = billable_pgtest::database();
    let (ok, _, err) = server.psql(&other, "CREATE TABLE orders (id bigint);");
    assert!(ok, "{err}");
    assert!(matches!(Store::open_postgres(&other), Err(StoreError::NotBillable { .. })));
    let (_, tables, _) =
        server.psql(&other, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public';");
    assert_eq!(tables.trim(), "1", "nothing was created beside the other program's table");
}

#[test]
fn an_unreachable_server_is_named_without_its_password() {
    let port = billable_pgtest::server().port();
    // A port nothing listens on: the test server's, plus one, is free often
    // enough; a closed port on loopback is refused at once.
    let url = format!("postgres://billable:s3cret@127.0.0.1:{}/books", port.wrapping_add(1));
    let Err(e) = Store::open_postgres(&url) else { panic!("opened books on a closed port") };
    let shown = e.to_string();
    assert!(matches!(e, StoreError::Unreachable { .. }), "{shown}");
    assert!(shown.contains("billable@127.0.0.1"), "{shown}");
    assert!(!shown.contains("s3cret"), "{shown}");
}

#[test]
fn writes_commit_together_and_read_back_exactly() {
    let mut store = Store::open_postgres(&billable_pgtest::database()).unwrap();
    let id = store.write(|tx| items::insert_item(tx, &hosting("Hosting", "49.90"))).unwrap();
    // A write that fails halfway leaves nothing behind.
    let failed: Result<(), StoreError> = store.write(|tx| {
        items::insert_item(tx, &hosting("Backup", "9.5"))?;
        items::insert_item(tx, &hosting("Hosting", "1"))?;
        Ok(())
    });
    assert!(failed.unwrap_err().is_unique_violation());
    let all = store.read(|tx| items::items(tx, true, None)).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].id, id);
    assert_eq!(all[0].rate, Decimal::from_str("49.90").unwrap());
    // Searches ignore case, as on SQLite.
    let found = store.read(|tx| items::items(tx, false, Some("HOST"))).unwrap();
    assert_eq!(found.len(), 1);
}

/// The team layer (pg/team.sql) is laid by the owner, laid again without
/// harm, and laid anew when the books open with an older one; the members'
/// views list every column of their tables, and the rollup triggers of
/// time entries run with the owner's rights.
#[test]
fn the_team_layer_is_laid_again_when_older_and_its_views_follow_the_tables() {
    use billable_store::team::{TeamRole, TEAM_VERSION};
    let server = billable_pgtest::server();
    let url = billable_pgtest::database();
    let mut store = Store::open_postgres(&url).unwrap();
    assert!(!store.team().unwrap().roles, "no roles before team init");
    store.lay_team_roles().unwrap();
    store.lay_team_roles().unwrap();
    let session = store.team().unwrap();
    assert!(session.roles);
    assert_eq!(session.role, TeamRole::Owner, "the superuser who made the books owns them");
    assert_eq!(session.member_id, None);
    drop(store);

    let (ok, _, err) =
        server.psql(&url, "UPDATE billable_books SET team_version = 0; DROP VIEW billable_member.projects CASCADE;");
    assert!(ok, "{err}");
    drop(Store::open_postgres(&url).unwrap());
    let read = |sql: &str| {
        let (ok, out, err) = server.psql(&url, sql);
        assert!(ok, "{sql}: {err}");
        out.trim().to_string()
    };
    assert_eq!(read("SELECT team_version FROM billable_books;"), TEAM_VERSION.to_string());
    assert_eq!(read("SELECT team_books_version FROM billable_books;"), SCHEMA_VERSION.to_string());
    assert_eq!(
        read(
            "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.views
              WHERE table_schema = 'billable_member';"
        ),
        "business,client_tax_rates,clients,members,projects,tasks,time_entries"
    );
    for table in ["business", "clients", "projects", "tasks", "members", "time_entries", "client_tax_rates"] {
        let columns = |schema: &str| {
            read(&format!(
                "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position)
                 FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = '{table}';"
            ))
        };
        assert_eq!(columns("billable_member"), columns("public"), "{table}");
    }
    assert_eq!(
        read(
            "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
              WHERE t.tgrelid = 'time_entries'::regclass AND NOT t.tgisinternal AND NOT p.prosecdef;"
        ),
        "0"
    );
    assert_eq!(
        read(
            "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
              WHERE t.tgrelid = 'time_entries'::regclass AND NOT t.tgisinternal
                AND NOT ('search_path=public, pg_temp' = ANY (p.proconfig));"
        ),
        "0"
    );
}
