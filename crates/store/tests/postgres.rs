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
