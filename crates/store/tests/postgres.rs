//! Team books on a real PostgreSQL server (started by the tests, see
//! `billable-pgtest`): the schema is created in an empty database, reopened
//! untouched, refused when it is newer or another program's, and the
//! repository functions read back exactly what they wrote.

use billable_core::model::SavedItem;
use billable_store::{items, mail, Engine, Store, StoreError, SCHEMA_VERSION};
use chrono::{TimeZone, Utc};
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

#[test]
fn team_books_are_reached_over_tls_and_a_certificate_no_root_vouches_for_is_refused_when_checked() {
    // The test server has TLS with a certificate it made for itself, as a
    // Debian server has: the default (sslmode=prefer) and `require` encrypt.
    let url = billable_pgtest::database();
    for url in [url.clone(), format!("{url}?sslmode=require")] {
        let mut store = Store::open_postgres(&url).unwrap();
        let encrypted: bool = store
            .read(|tx| tx.query_row("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", [], |r| r.get(0)))
            .unwrap();
        assert!(encrypted, "{url} was not encrypted");
    }
    // Checking the certificate: nothing this computer trusts signed it.
    let checked = Store::open_postgres(&format!("{url}?sslmode=verify-full")).err().expect("refused");
    match checked {
        StoreError::Unreachable { server, reason } => {
            assert!(reason.to_lowercase().contains("certificate"), "{reason}");
            assert!(!server.contains('?'), "options are not shown: {server}");
        }
        other => panic!("expected an unreachable server, got {other:?}"),
    }
}

/// Team books made before estimates were emailed (schema 24, as
/// pg/0001_books.sql left them) keep their outbox rows with their ids, the
/// reminders' links to them and their edited templates when they are
/// opened; afterwards the outbox has estimate_id beside invoice_id (column
/// order as in SQLite), its keys under their usual names, the next job after
/// the kept ones, and refuses an email naming both an invoice and an estimate.
#[test]
fn team_books_from_before_estimate_emails_keep_their_outbox_and_reminders() {
    let server = billable_pgtest::server();
    let url = billable_pgtest::database();
    let at_24 = format!(
        "BEGIN;
         CREATE TABLE billable_books (
             id BIGINT PRIMARY KEY CHECK (id = 1),
             application TEXT NOT NULL DEFAULT 'billable' CHECK (application = 'billable'),
             schema_version BIGINT NOT NULL
         );
         INSERT INTO billable_books (id, schema_version) VALUES (1, 24);
         {}
         INSERT INTO clients (id, name) VALUES (1, 'Acme');
         INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, tax_mode, status, created_at,
                               updated_at)
         VALUES (7, 'INV-1', 1, '2026-05-01', '2026-05-31', 'EUR', 'summary', 'sent', 0, 0);
         INSERT INTO outbox (id, kind, invoice_id, state, message_id, envelope_from, recipients, to_addresses,
                             subject, mime, issues_invoice, created_at, sent_at)
         VALUES (3, 'reminder', 7, 'sent', '<m3@x>', 'me@x', '[\"a@x\"]', '[\"a@x\"]', 'Reminder', '\\x41', 0,
                 10, 11);
         INSERT INTO sent_reminders (invoice_id, due_date, offset_days, outbox_id, created_at)
         VALUES (7, '2026-05-31', -3, 3, 10);
         INSERT INTO mail_templates (kind, subject, body) VALUES ('invoice', 'My subject', 'My body');
         INSERT INTO estimates (id, number, client_id, issue_date, valid_until, currency, tax_mode, created_at,
                                updated_at)
         VALUES (2, 'EST-1', 1, '2026-05-01', '2026-05-31', 'EUR', 'summary', 0, 0);
         COMMIT;",
        include_str!("../pg/0001_books.sql")
    );
    let (ok, _, err) = server.psql(&url, &at_24);
    assert!(ok, "{err}");

    let mut store = Store::open_postgres(&url).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let q = |sql: &str| {
        let (ok, out, err) = server.psql(&url, sql);
        assert!(ok, "{sql}: {err}");
        out.trim().to_string()
    };
    assert_eq!(q("SELECT id, kind, invoice_id, state, encode(mime, 'hex') FROM outbox"), "3|reminder|7|sent|41");
    assert_eq!(q("SELECT outbox_id FROM sent_reminders"), "3", "the reminder still names its email");
    assert_eq!(q("SELECT subject FROM mail_templates WHERE kind = 'invoice'"), "My subject");
    assert_eq!(
        q("SELECT string_agg(column_name::text, ',' ORDER BY ordinal_position) FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = 'outbox' AND ordinal_position <= 5"),
        "id,kind,invoice_id,estimate_id,state"
    );
    assert_eq!(
        q("SELECT string_agg(conname::text, ',' ORDER BY conname) FROM pg_constraint
           WHERE conrelid = 'outbox'::regclass"),
        "outbox_check,outbox_estimate_id_check,outbox_estimate_id_fkey,outbox_invoice_id_check,\
         outbox_invoice_id_fkey,outbox_issues_invoice_check,outbox_kind_check,outbox_message_id_key,outbox_phase_check,\
         outbox_pkey,outbox_state_check"
    );
    assert_eq!(
        q("SELECT string_agg(conname::text, ',' ORDER BY conname) FROM pg_constraint
           WHERE conrelid = 'sent_reminders'::regclass AND contype = 'f'"),
        "sent_reminders_invoice_id_fkey,sent_reminders_outbox_id_fkey"
    );
    assert_eq!(q("SELECT pg_get_serial_sequence('outbox', 'id')"), "public.outbox_id_seq");
    assert_eq!(
        q("SELECT string_agg(indexname::text, ',' ORDER BY indexname) FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename = 'outbox'"),
        "outbox_due,outbox_estimate,outbox_invoice,outbox_message_id_key,outbox_pkey,outbox_state"
    );
    assert_eq!(q("SELECT count(*) FROM pg_class WHERE relname LIKE 'outbox_old%'"), "0");

    let to = vec!["client@x.example".to_string()];
    let now = Utc.with_ymd_and_hms(2026, 5, 2, 9, 0, 0).unwrap();
    let id = store
        .write(|tx| {
            mail::insert_job(
                tx,
                &mail::NewJob {
                    kind: "estimate",
                    invoice_id: None,
                    estimate_id: Some(2),
                    message_id: "<e1@x>",
                    envelope_from: "me@x",
                    recipients: &to,
                    to: &to,
                    subject: "Estimate EST-1",
                    mime: b"MIME",
                    attachment_name: Some("EST-1.pdf"),
                    issues_invoice: true,
                },
                now,
            )
        })
        .unwrap();
    assert_eq!(id, 4, "the next email comes after the kept ones, as in SQLite");
    let jobs = store.read(|tx| mail::jobs_for_estimate(tx, 2)).unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!((jobs[0].id, jobs[0].estimate_number.as_deref(), jobs[0].invoice_id), (4, Some("EST-1"), None));
    assert_eq!(store.read(|tx| mail::pending_for_estimate(tx, 2)).unwrap(), Some(4));

    let refused = |sql: &str| {
        let (ok, _, err) = server.psql(&url, sql);
        assert!(!ok, "accepted: {sql}");
        err
    };
    let err = refused(
        "INSERT INTO outbox (kind, invoice_id, estimate_id, message_id, envelope_from, recipients, to_addresses,
                             subject, mime, created_at)
         VALUES ('estimate', 7, 2, '<e2@x>', 'me@x', '[]', '[]', 'S', '\\x41', 0);",
    );
    assert!(err.contains("outbox_invoice_id_check"), "an estimate's email names no invoice: {err}");
    let err = refused(
        "INSERT INTO outbox (kind, invoice_id, estimate_id, message_id, envelope_from, recipients, to_addresses,
                             subject, mime, created_at)
         VALUES ('invoice', 7, 2, '<e3@x>', 'me@x', '[]', '[]', 'S', '\\x41', 0);",
    );
    assert!(err.contains("outbox_estimate_id_check"), "an invoice's email names no estimate: {err}");
    refused(
        "INSERT INTO outbox (kind, estimate_id, message_id, envelope_from, recipients, to_addresses, subject, mime,
                             created_at)
         VALUES ('estimate', 99, '<e4@x>', 'me@x', '[]', '[]', 'S', '\\x41', 0);",
    );
    q("INSERT INTO mail_templates (kind, subject, body) VALUES ('estimate', 'E', 'B');");
    refused("INSERT INTO mail_templates (kind, subject, body) VALUES ('receipt', 'R', 'B');");

    // The restored foreign keys: a deleted email unlinks its reminder, a
    // deleted estimate leaves its email behind.
    q("DELETE FROM outbox WHERE id = 3;");
    assert_eq!(q("SELECT count(*) FROM sent_reminders WHERE outbox_id IS NULL"), "1");
    q("DELETE FROM estimates WHERE id = 2;");
    assert_eq!(q("SELECT count(*) FROM outbox WHERE id = 4 AND estimate_id IS NULL"), "1");
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
        "business,client_tax_rates,clients,members,project_worked_values,projects,tasks,time_entries"
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
