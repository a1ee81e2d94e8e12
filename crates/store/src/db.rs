use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};

use crate::error::{StoreError, StoreResult};
use crate::sql::{Conn, Engine, OptionalExtension, PgConn, Tx};
use crate::team::{self, TeamSession};

/// 'BILL' in the SQLite header: tells a Billable database from any other.
pub(crate) const APPLICATION_ID: i64 = 0x4249_4C4C;

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_documents.sql"),
    include_str!("../migrations/0003_billing.sql"),
    include_str!("../migrations/0004_reports_io.sql"),
    include_str!("../migrations/0005_mail.sql"),
    include_str!("../migrations/0006_time_rollup.sql"),
    include_str!("../migrations/0007_import_hash.sql"),
    include_str!("../migrations/0008_list_counts.sql"),
    include_str!("../migrations/0009_activity_facts.sql"),
    include_str!("../migrations/0010_open_and_unbilled.sql"),
    include_str!("../migrations/0011_peppol_ids.sql"),
    include_str!("../migrations/0012_billed_outside.sql"),
    include_str!("../migrations/0013_long_description.sql"),
    include_str!("../migrations/0014_time_approval.sql"),
    include_str!("../migrations/0015_invoice_projects.sql"),
    include_str!("../migrations/0016_revenue_months_and_open_reminders.sql"),
    include_str!("../migrations/0017_saved_items.sql"),
    include_str!("../migrations/0018_early_discount.sql"),
    // Numbered apart while both were in progress; the order is what they landed in.
    include_str!("../migrations/0020_late_fees.sql"),
    include_str!("../migrations/0021_gross_prices.sql"),
    include_str!("../migrations/0022_estimates.sql"),
    include_str!("../migrations/0023_expenses.sql"),
    include_str!("../migrations/0024_client_payments.sql"),
    include_str!("../migrations/0025_project_invoice_counts.sql"),
    include_str!("../migrations/0026_estimate_mail.sql"),
    include_str!("../migrations/0027_project_worked_values.sql"),
];

/// The page cache of every connection, in KiB.
const PAGE_CACHE_KIB: i64 = 32 * 1024;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The PostgreSQL schema, one migration per SQLite schema it catches up
/// with: team books at version N hold exactly what a SQLite file at version
/// N holds. Append-only, like SQLite's.
const PG_MIGRATIONS: &[(i64, &str)] = &[
    (24, include_str!("../pg/0001_books.sql")),
    (25, include_str!("../pg/0002_estimate_mail.sql")),
    (26, include_str!("../pg/0003_project_worked_values.sql")),
];

/// The schema version of team books this build writes.
pub(crate) const PG_SCHEMA_VERSION: i64 = PG_MIGRATIONS[PG_MIGRATIONS.len() - 1].0;

/// The key of the advisory lock every write to team books holds: writers
/// take turns, as SQLite's writers do, so a use case never meets a
/// serialization failure and invoice numbers are taken one at a time.
const PG_WRITE_LOCK: i64 = 0x4249_4C4C;

/// Open Billable books: a SQLite file, or team books on PostgreSQL.
pub struct Store {
    pub(crate) tx: Tx,
}

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Rolls a transaction back unless it was committed, even on a panic.
struct Open<'a> {
    tx: &'a Tx,
    done: bool,
}

impl Open<'_> {
    fn begin(tx: &Tx, write: bool) -> StoreResult<Open<'_>> {
        match &tx.conn {
            Conn::Lite(c) => c.execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN DEFERRED" })?,
            Conn::Pg(c) if write => {
                c.batch("BEGIN ISOLATION LEVEL READ COMMITTED")?;
                c.batch(&format!("SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})"))?;
            }
            Conn::Pg(c) => c.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?,
        }
        Ok(Open { tx, done: false })
    }

    fn end(mut self, commit: bool) -> StoreResult<()> {
        self.done = true;
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        match &self.tx.conn {
            Conn::Lite(c) => Ok(c.execute_batch(sql)?),
            Conn::Pg(c) => c.batch(sql),
        }
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = match &self.tx.conn {
                Conn::Lite(c) => c.execute_batch("ROLLBACK").map_err(StoreError::from),
                Conn::Pg(c) => c.batch("ROLLBACK"),
            };
        }
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path`, configures it (WAL,
    /// foreign keys, busy timeout) and brings its schema up to date. A
    /// database from a newer Billable, or a file that is not a Billable
    /// database, is refused untouched.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let shown = path.display().to_string();
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() && !parent.exists() {
                std::fs::create_dir_all(parent).map_err(|e| StoreError::NotBillable {
                    path: shown.clone(),
                    reason: format!("its folder could not be created: {e}"),
                })?;
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|source| match StoreError::from(source) {
            StoreError::Sqlite(source) => StoreError::Open { path: shown.clone(), source },
            other => other,
        })?;
        Self::prepare(conn, &shown)
    }

    /// An in-memory database, for tests of the layers above.
    pub fn open_in_memory() -> StoreResult<Store> {
        let conn =
            Connection::open_in_memory().map_err(|source| StoreError::Open { path: ":memory:".into(), source })?;
        Self::prepare(conn, ":memory:")
    }

    /// Opens team books on PostgreSQL (`postgres://user@host/dbname`),
    /// creating the schema in an empty database and bringing an older one
    /// up to date. Books from a newer Billable, or a database that holds
    /// another program's tables, are refused untouched.
    pub fn open_postgres(url: &str) -> StoreResult<Store> {
        let shown = shown_url(url);
        let (url, verify) = tls_mode(url);
        let client = postgres::Client::connect(&url, tls(verify)?).map_err(|e| match StoreError::from(e) {
            StoreError::Unreachable { reason, .. } => StoreError::Unreachable { server: shown.clone(), reason },
            // Class 28, invalid authorization: the server is there and said no.
            StoreError::Postgres(e) if e.code().is_some_and(|c| c.code().starts_with("28")) => {
                StoreError::Refused { server: shown.clone(), reason: crate::error::with_causes(&e) }
            }
            StoreError::Postgres(e) => {
                StoreError::Unreachable { server: shown.clone(), reason: crate::error::with_causes(&e) }
            }
            other => other,
        })?;
        let mut store = Store { tx: Tx { conn: Conn::Pg(Box::new(PgConn::new(client))) } };
        store.migrate_postgres(&shown)?;
        // The owner brings an older team layer up to date (a member could not).
        let stale = store.read_tx(|tx| Ok(team::has_roles(tx)? && team::owns_books(tx)? && team::outdated(tx)?))?;
        if stale {
            store.write(team::apply)?;
        }
        store.read_session()?;
        Ok(store)
    }

    /// Lays the team layer on team books (roles, grants, row-level
    /// security and the members' views; `pg/team.sql`), or lays it again:
    /// `billable team init`. Only the books' owner may.
    pub fn lay_team_roles(&mut self) -> StoreResult<()> {
        if self.engine() != Engine::Postgres {
            return Err(StoreError::Unsupported("team roles are for team books (postgres://…)".into()));
        }
        self.write(|tx| {
            if !team::owns_books(tx)? {
                return Err(StoreError::NotPermitted(
                    "only the owner of the team books' tables (or a superuser) sets up their roles".into(),
                ));
            }
            team::apply(tx)
        })?;
        self.read_session()
    }

    fn read_session(&mut self) -> StoreResult<()> {
        let session = self.read_tx(team::session)?;
        if let Conn::Pg(c) = &mut self.tx.conn {
            c.team = Some(session);
        }
        Ok(())
    }

    /// Who is connected to team books; `None` for a file.
    pub fn team(&self) -> Option<&TeamSession> {
        self.tx.team()
    }

    fn migrate_postgres(&self, shown: &str) -> StoreResult<()> {
        let Conn::Pg(c) = &self.tx.conn else { return Ok(()) };
        let version = |tx: &Tx| -> StoreResult<Option<i64>> {
            let marked: bool = tx.query_row("SELECT to_regclass('billable_books') IS NOT NULL", [], |r| r.get(0))?;
            if !marked {
                let tables: i64 = tx.query_row(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                    [],
                    |r| r.get(0),
                )?;
                if tables > 0 {
                    return Err(StoreError::NotBillable {
                        path: shown.to_string(),
                        reason: "it holds another program's tables".into(),
                    });
                }
                return Ok(None);
            }
            tx.query_row("SELECT schema_version FROM billable_books WHERE id = 1", [], |r| r.get(0)).map(Some)
        };
        let newest = PG_SCHEMA_VERSION;
        let found = { self.read_tx(|tx| version(tx))? };
        if let Some(found) = found {
            if found > newest {
                return Err(StoreError::TooNew { path: shown.to_string(), found, supported: newest });
            }
            if found == newest {
                return Ok(());
            }
        }
        let open = Open::begin(&self.tx, true)?;
        // Checked again under the write lock: another member's app may have
        // migrated meanwhile.
        let found = version(&self.tx)?;
        if found.is_none() {
            c.batch(
                "CREATE TABLE billable_books (
                    id BIGINT PRIMARY KEY CHECK (id = 1),
                    application TEXT NOT NULL DEFAULT 'billable' CHECK (application = 'billable'),
                    schema_version BIGINT NOT NULL
                 );
                 INSERT INTO billable_books (id, schema_version) VALUES (1, 0);",
            )?;
        }
        let found = found.unwrap_or(0);
        // The members' views name the columns of the tables a migration may
        // change: they go first and are made again after it.
        let roles = team::has_roles(&self.tx)?;
        if roles {
            self.tx.raw_batch("DROP SCHEMA IF EXISTS billable_member CASCADE")?;
        }
        for (version, sql) in PG_MIGRATIONS.iter().filter(|m| m.0 > found) {
            c.batch(sql).map_err(|e| match e {
                StoreError::Postgres(e) => StoreError::Corrupt(format!("team books schema {version}: {e}")),
                other => other,
            })?;
            self.tx.execute("UPDATE billable_books SET schema_version = ?1 WHERE id = 1", [*version])?;
        }
        if roles {
            team::apply(&self.tx)?;
        }
        open.end(true)
    }

    fn read_tx<T>(&self, f: impl FnOnce(&Tx) -> StoreResult<T>) -> StoreResult<T> {
        let open = Open::begin(&self.tx, false)?;
        let out = f(&self.tx)?;
        open.end(true)?;
        Ok(out)
    }

    fn prepare(mut conn: Connection, shown: &str) -> StoreResult<Store> {
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.set_prepared_statement_cache_capacity(128);
        // Reading the header first also tells a non-database file apart. A
        // file that cannot be read for another reason (read-only folder, full
        // disk, locked) says so rather than being called foreign.
        let app_id: i64 =
            conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| match StoreError::from(e) {
                StoreError::Sqlite(e) => StoreError::NotBillable { path: shown.to_string(), reason: e.to_string() },
                other => other,
            })?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))?;
        if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
            return Err(StoreError::NotBillable {
                path: shown.to_string(),
                reason: "it holds another program's data".into(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: shown.to_string(), found: version, supported: SCHEMA_VERSION });
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // SQLite's default page cache is 2 MB; books of a million entries
        // keep re-reading the pages of the lists and reports people open
        // most, so each connection keeps up to 32 MiB of them (filled only
        // as pages are read).
        conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
        if shown != ":memory:" {
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Corrupt(format!("could not switch to WAL journal (got {mode})")));
            }
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        if version < SCHEMA_VERSION {
            if app_id == 0 {
                conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            }
            migrations().to_latest(&mut conn).map_err(StoreError::Migrate)?;
        }
        Ok(Store { tx: Tx { conn: Conn::Lite(conn) } })
    }

    /// Which engine holds these books.
    pub fn engine(&self) -> Engine {
        self.tx.engine()
    }

    /// The schema version of the open books.
    pub fn schema_version(&self) -> StoreResult<i64> {
        match &self.tx.conn {
            Conn::Lite(c) => Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?),
            Conn::Pg(_) => {
                self.tx.query_row("SELECT schema_version FROM billable_books WHERE id = 1", [], |r| r.get(0))
            }
        }
    }

    /// Runs `f` in one write transaction (taken immediately, so two writers
    /// queue behind the busy timeout instead of failing midway; on
    /// PostgreSQL behind the books' write lock). Everything `f` writes
    /// commits together or not at all.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let open = Open::begin(&self.tx, true)?;
        let out = f(&self.tx)?;
        open.end(true)?;
        Ok(out)
    }

    /// Runs `f` in a write transaction that is always rolled back: a
    /// rehearsal (e.g. an import's dry run) that shows exactly what would be
    /// written, and writes nothing.
    pub fn rehearse<T, E>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let open = Open::begin(&self.tx, true)?;
        let out = f(&self.tx)?;
        open.end(false)?;
        Ok(out)
    }

    /// Runs `f` in one write transaction built for writing many rows (an
    /// import), then commits it (`commit`) or rolls it back (a rehearsal).
    /// On SQLite, foreign keys are checked once for the whole transaction,
    /// before it commits, instead of row by row: with per-row checks SQLite
    /// keeps a statement journal for every multi-row INSERT, copying each
    /// page it touches to a temporary file first. Every table is checked
    /// (`PRAGMA foreign_key_check`) except `time_entries`, of which the rows
    /// added by the transaction are (a bulk write adds entries; it neither
    /// deletes the rows entries refer to nor repoints entries that were
    /// there), so a small import into large books stays quick. A dangling
    /// reference fails the transaction and nothing is written, as before.
    /// Foreign keys are on again afterwards, whatever happens. PostgreSQL
    /// checks them row by row, as in any write.
    pub fn write_bulk<T, E>(&mut self, commit: bool, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let Conn::Lite(conn) = &self.tx.conn else {
            return if commit { self.write(f) } else { self.rehearse(f) };
        };
        struct ForeignKeysOn<'a>(&'a Connection);
        impl Drop for ForeignKeysOn<'_> {
            fn drop(&mut self) {
                let _ = self.0.pragma_update(None, "foreign_keys", "ON");
            }
        }
        conn.pragma_update(None, "foreign_keys", "OFF").map_err(StoreError::from)?;
        let _on = ForeignKeysOn(conn);
        // Dropped before `_on`: rolled back unless committed, even on a panic.
        let open = Open::begin(&self.tx, true)?;
        let last_entry: i64 = self.tx.query_row("SELECT COALESCE(MAX(id), 0) FROM time_entries", [], |r| r.get(0))?;
        let out = f(&self.tx)?;
        if commit {
            check_foreign_keys(&self.tx, last_entry)?;
            open.end(true)?;
        } else {
            open.end(false)?;
        }
        Ok(out)
    }

    /// Runs `f` in a read transaction: a consistent snapshot.
    pub fn read<T, E>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let open = Open::begin(&self.tx, false)?;
        let out = f(&self.tx)?;
        open.end(true)?;
        Ok(out)
    }

    /// The connection, outside any transaction.
    pub fn connection(&self) -> &Tx {
        &self.tx
    }

    /// The SQLite connection, for what only a file has (the online backup).
    pub(crate) fn lite_mut(&mut self) -> Option<&mut Connection> {
        match &mut self.tx.conn {
            Conn::Lite(c) => Some(c),
            Conn::Pg(_) => None,
        }
    }
}

/// `postgres://user:secret@host/db` as shown to people: without the password.
/// How a team books URL asks for TLS, as PostgreSQL's own clients read
/// `sslmode`: `disable`; `prefer` (the default) and `require` encrypt without
/// checking who answers; `verify-ca` and `verify-full` also check the
/// server's certificate against the roots this computer trusts (its own
/// store, where a company's CA lives, and Mozilla's list).
///
/// Returns the URL the client library takes (it knows only `disable`,
/// `prefer` and `require`) and whether to check the certificate.
fn tls_mode(url: &str) -> (String, bool) {
    for verified in ["sslmode=verify-full", "sslmode=verify-ca"] {
        if url.contains(verified) {
            return (url.replace(verified, "sslmode=require"), true);
        }
    }
    (url.to_string(), false)
}

fn tls(verify: bool) -> StoreResult<tokio_postgres_rustls::MakeRustlsConnect> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Unsupported(format!("TLS to the team books server: {e}")))?;
    let config = if verify {
        let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(std::sync::Arc::new(Unverified(provider)))
            .with_no_client_auth()
    };
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// `sslmode=prefer`/`require`: the connection is encrypted and its handshake
/// checked, but the certificate is taken as it comes, as PostgreSQL's own
/// clients do (a server's self-made certificate works).
#[derive(Debug)]
struct Unverified(std::sync::Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A team books URL as people see it: without its password or its options.
pub fn shown_url(url: &str) -> String {
    // Options after `?` (connect_timeout, sslmode) are not for people.
    let url = url.split('?').next().unwrap_or(url);
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or(user);
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// Fails when a row refers to a row that does not exist: in any table but
/// `time_entries`, or in an entry with an id above `last_entry`.
fn check_foreign_keys(c: &Tx, last_entry: i64) -> StoreResult<()> {
    let dangling = |table: String, parent: String| {
        Err(StoreError::Corrupt(format!("a row of {table} refers to a missing row of {parent}")))
    };
    let mut st = c.prepare(
        "SELECT c.\"table\", c.parent FROM sqlite_schema s, pragma_foreign_key_check(s.name) c
         WHERE s.type = 'table' AND s.name <> 'time_entries' LIMIT 1",
    )?;
    if let Some((table, parent)) = st.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional()? {
        return dangling(table, parent);
    }
    let keys: Vec<(String, String, String)> = c
        .prepare("SELECT \"table\", \"from\", COALESCE(\"to\", 'id') FROM pragma_foreign_key_list('time_entries')")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    for (parent, from, to) in keys {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM time_entries e WHERE e.id > ?1 AND e.{from} IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{to} = e.{from}))",
            from = quote(&from),
            parent = quote(&parent),
            to = quote(&to),
        );
        if c.query_row(&sql, [last_entry], |r| r.get::<bool>(0))? {
            return dangling("time_entries".into(), parent);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    /// Team books catch up with every SQLite schema: the newest PostgreSQL
    /// migration is SCHEMA_VERSION, and the versions only go up.
    #[test]
    fn the_postgresql_migrations_reach_the_sqlite_schema_version() {
        assert_eq!(PG_MIGRATIONS.last().map(|m| m.0), Some(SCHEMA_VERSION));
        assert!(PG_MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0), "versions go up");
    }

    #[test]
    fn a_fresh_database_gets_the_latest_schema_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("books.db");
        {
            let store = Store::open(&path).unwrap();
            let v: i64 = store.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
            assert_eq!(v, SCHEMA_VERSION);
            let fk: i64 = store.connection().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
            assert_eq!(fk, 1);
            let mode: String = store.connection().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
            assert_eq!(mode, "wal");
        }
        Store::open(&path).unwrap();
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("books.db");
        drop(Store::open(&path).unwrap());
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::TooNew { .. }));
        assert!(err.to_string().contains("newer version of Billable"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_refused_write_is_reported_as_read_only_books() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("books.db");
        drop(Store::open(&path).unwrap());
        let ro = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let err = StoreError::from(ro.execute("INSERT INTO members (name) VALUES ('x')", []).unwrap_err());
        assert!(matches!(err, StoreError::ReadOnly(_)), "{err:?}");
        assert!(err.to_string().starts_with("the books file is read-only: nothing was saved"), "{err}");
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        Connection::open(&path).unwrap().execute("CREATE TABLE t (x)", []).unwrap();
        assert!(matches!(Store::open(&path), Err(StoreError::NotBillable { .. })));
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"this is not a database at all, just some text padding it out....").unwrap();
        assert!(Store::open(&junk).is_err());
    }

    #[test]
    fn the_daily_rollup_is_filled_from_the_entries_already_there() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        migrations().to_version(&mut conn, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO clients (id, name) VALUES (1, 'Acme');
             INSERT INTO projects (id, client_id, name) VALUES (1, 1, 'Web');
             INSERT INTO tasks (id, project_id, name) VALUES (1, 1, 'Design');
             INSERT INTO time_entries (member_id, client_id, project_id, task_id, work_date, seconds, billable, rate,
                                       created_at)
             VALUES (1, 1, 1, NULL, '2026-03-02', 3600, 1, NULL, 0),
                    (1, 1, 1, NULL, '2026-03-02', 1800, 1, NULL, 0),
                    (1, 1, 1, 1, '2026-03-02', 900, 1, NULL, 0),
                    (1, 1, 1, 1, '2026-03-02', 600, 0, NULL, 0),
                    (1, 1, 1, 1, '2026-03-03', 300, 1, '120', 0);",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let mut st = conn
            .prepare("SELECT work_date, task_id, rate, billable, seconds, entries FROM time_daily ORDER BY 1, 2, 3, 4")
            .unwrap();
        let rows: Vec<(String, i64, String, i64, i64, i64)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let row = |d: &str, t: i64, rate: &str, b: i64, s: i64, n: i64| (d.to_string(), t, rate.to_string(), b, s, n);
        assert_eq!(
            rows,
            vec![
                row("2026-03-02", 0, "", 1, 5400, 2),
                row("2026-03-02", 1, "", 0, 600, 1),
                row("2026-03-02", 1, "", 1, 900, 1),
                row("2026-03-03", 1, "120", 1, 300, 1),
            ]
        );
    }

    #[test]
    fn invoice_counts_are_filled_from_the_invoices_already_there() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let counts = MIGRATIONS.iter().position(|m| m.contains("CREATE TABLE invoice_counts")).unwrap();
        migrations().to_version(&mut conn, counts).unwrap();
        conn.execute_batch(
            "INSERT INTO clients (id, name) VALUES (1, 'Acme');
             INSERT INTO invoices (number, client_id, issue_date, due_date, currency, tax_mode, status, created_at,
                                   updated_at)
             VALUES ('A-1', 1, '2026-03-02', '2026-03-16', 'EUR', 'summary', 'paid', 0, 0),
                    ('A-2', 1, '2026-03-02', '2026-03-16', 'EUR', 'summary', 'paid', 0, 0),
                    ('A-3', 1, '2026-03-02', '2026-03-16', 'EUR', 'summary', 'sent', 0, 0);",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        conn.execute("UPDATE invoices SET status = 'paid' WHERE number = 'A-3'", []).unwrap();
        conn.execute("DELETE FROM invoices WHERE number = 'A-1'", []).unwrap();
        let mut st = conn.prepare("SELECT status, invoices FROM invoice_counts ORDER BY 1").unwrap();
        let rows: Vec<(String, i64)> =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        assert_eq!(rows, vec![("paid".to_string(), 2), ("sent".to_string(), 0)]);
    }

    /// Books from before saved items open with an empty catalog, their tax
    /// rates still referable by an item; an item cannot name a missing rate.
    #[test]
    fn books_from_before_saved_items_get_an_empty_catalog() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let items = MIGRATIONS.iter().position(|m| m.contains("CREATE TABLE saved_items")).unwrap();
        migrations().to_version(&mut conn, items).unwrap();
        conn.execute("INSERT INTO tax_rates (id, name, percent) VALUES (1, 'VAT 19%', '19')", []).unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let count: i64 = conn.query_row("SELECT count(*) FROM saved_items", [], |r| r.get(0)).unwrap();
        assert_eq!(count, 0);
        conn.execute("INSERT INTO saved_items (name, rate, tax_rate_id) VALUES ('Hosting', '49.9', 1)", []).unwrap();
        let missing = conn.execute("INSERT INTO saved_items (name, rate, tax_rate_id) VALUES ('Domain', '15', 7)", []);
        assert!(missing.is_err(), "a tax rate that does not exist is refused");
        let blank = conn.execute("INSERT INTO saved_items (name, rate) VALUES ('', '15')", []);
        assert!(blank.is_err(), "an item has a name");
    }

    /// Books from before estimates were emailed keep their outbox, the
    /// reminders' links to it and their edited templates; afterwards a job
    /// carries an estimate (never an estimate and an invoice) and the
    /// estimate template can be saved.
    #[test]
    fn books_from_before_estimate_emails_keep_their_outbox_and_reminders() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let estimate_mail = MIGRATIONS.iter().position(|m| m.contains("CREATE TABLE outbox_new")).unwrap();
        migrations().to_version(&mut conn, estimate_mail).unwrap();
        conn.execute_batch(
            "INSERT INTO clients (id, name) VALUES (1, 'Acme');
             INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, tax_mode, status, created_at,
                                   updated_at)
             VALUES (7, 'INV-1', 1, '2026-05-01', '2026-05-31', 'EUR', 'summary', 'sent', 0, 0);
             INSERT INTO outbox (id, kind, invoice_id, state, message_id, envelope_from, recipients, to_addresses,
                                 subject, mime, issues_invoice, created_at, sent_at)
             VALUES (3, 'reminder', 7, 'sent', '<m3@x>', 'me@x', '[\"a@x\"]', '[\"a@x\"]', 'Reminder', X'41', 0,
                     10, 11);
             INSERT INTO sent_reminders (invoice_id, due_date, offset_days, outbox_id, created_at)
             VALUES (7, '2026-05-31', -3, 3, 10);
             INSERT INTO mail_templates (kind, subject, body) VALUES ('invoice', 'My subject', 'My body');",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let kept: (i64, String, i64) = conn
            .query_row("SELECT id, kind, invoice_id FROM outbox", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        assert_eq!(kept, (3, "reminder".into(), 7));
        let link: Option<i64> = conn.query_row("SELECT outbox_id FROM sent_reminders", [], |r| r.get(0)).unwrap();
        assert_eq!(link, Some(3), "the reminder still names its email");
        let subject: String =
            conn.query_row("SELECT subject FROM mail_templates WHERE kind = 'invoice'", [], |r| r.get(0)).unwrap();
        assert_eq!(subject, "My subject");
        conn.execute("INSERT INTO mail_templates (kind, subject, body) VALUES ('estimate', 'E', 'B')", []).unwrap();

        conn.execute_batch(
            "INSERT INTO estimates (id, number, client_id, issue_date, valid_until, currency, tax_mode, created_at,
                                    updated_at)
             VALUES (2, 'EST-1', 1, '2026-05-01', '2026-05-31', 'EUR', 'summary', 0, 0);",
        )
        .unwrap();
        let job = |kind: &str, invoice: Option<i64>, estimate: Option<i64>, mid: &str| {
            conn.execute(
                "INSERT INTO outbox (kind, invoice_id, estimate_id, message_id, envelope_from, recipients,
                                     to_addresses, subject, mime, created_at)
                 VALUES (?1, ?2, ?3, ?4, 'me@x', '[]', '[]', 'S', X'41', 0)",
                rusqlite::params![kind, invoice, estimate, mid],
            )
        };
        job("estimate", None, Some(2), "<e1@x>").unwrap();
        assert!(job("estimate", Some(7), Some(2), "<e2@x>").is_err(), "an estimate's email names no invoice");
        assert!(job("invoice", Some(7), Some(2), "<e3@x>").is_err(), "an invoice's email names no estimate");
        assert!(job("estimate", None, Some(99), "<e4@x>").is_err(), "the estimate exists");
        conn.execute("DELETE FROM estimates WHERE id = 2", []).unwrap();
        let orphan: Option<i64> =
            conn.query_row("SELECT estimate_id FROM outbox WHERE message_id = '<e1@x>'", [], |r| r.get(0)).unwrap();
        assert_eq!(orphan, None, "a deleted estimate leaves its sent email behind");
    }

    /// Rows imported before migration 0007 (64 hex digits in imported_rows)
    /// are still recognised after it; an entry without a recorded row, or
    /// one deleted before, is not.
    #[test]
    fn rows_imported_before_the_lean_hashes_are_still_recognised() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        migrations().to_version(&mut conn, 6).unwrap();
        let hash = |seed: u8| -> [u8; 32] { std::array::from_fn(|i| seed.wrapping_mul(31).wrapping_add(i as u8 * 7)) };
        let hex = |h: [u8; 32]| -> String { h.iter().map(|b| format!("{b:02x}")).collect() };
        conn.execute_batch(
            "INSERT INTO clients (id, name) VALUES (1, 'Acme');
             INSERT INTO projects (id, client_id, name) VALUES (1, 1, 'Web');
             INSERT INTO time_entries (id, member_id, client_id, project_id, work_date, seconds, created_at)
             VALUES (1, 1, 1, 1, '2026-03-02', 3600, 0), (2, 1, 1, 1, '2026-03-02', 1800, 0),
                    (3, 1, 1, 1, '2026-03-03', 900, 0), (4, 1, 1, 1, '2026-03-04', 600, 0);",
        )
        .unwrap();
        for (seed, entry) in [(1u8, 1i64), (2, 2), (4, 4)] {
            conn.execute(
                "INSERT INTO imported_rows (hash, source, entry_id, imported_at) VALUES (?1, 'toggl', ?2, 0)",
                rusqlite::params![hex(hash(seed)), entry],
            )
            .unwrap();
        }
        // Entry 4 is deleted before migrating: its row goes with it.
        conn.execute("DELETE FROM time_entries WHERE id = 4", []).unwrap();
        migrations().to_latest(&mut conn).unwrap();

        let conn = Tx { conn: Conn::Lite(conn) };
        let stored: Vec<(i64, Option<Vec<u8>>)> = conn
            .prepare("SELECT id, import_hash FROM time_entries ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(stored, vec![(1, Some(hash(1)[..16].to_vec())), (2, Some(hash(2)[..16].to_vec())), (3, None)]);
        let asked = [hash(3), hash(2), hash(4), hash(1)];
        assert_eq!(crate::import::imported_before(&conn, &asked).unwrap(), vec![1, 3]);
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'imported_rows'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0);
        // Deleting an entry now drops its hash with it.
        conn.execute("DELETE FROM time_entries WHERE id = 1", []).unwrap();
        assert_eq!(crate::import::imported_before(&conn, &asked).unwrap(), vec![1]);
    }

    /// A bulk write checks foreign keys once, before committing: a dangling
    /// reference fails it and nothing is written; foreign keys are on again
    /// afterwards, and a rehearsal writes nothing.
    #[test]
    fn a_bulk_write_checks_foreign_keys_before_committing() {
        let mut store = Store::open_in_memory().unwrap();
        let count = |s: &Store| -> i64 { s.tx.query_row("SELECT count(*) FROM clients", [], |r| r.get(0)).unwrap() };
        let err = store
            .write_bulk(true, |tx| {
                tx.execute("INSERT INTO clients (id, name) VALUES (1, 'Acme')", [])?;
                tx.execute("INSERT INTO projects (client_id, name) VALUES (99, 'Web')", [])?;
                Ok::<_, StoreError>(())
            })
            .unwrap_err();
        assert!(err.to_string().contains("projects refers to a missing row of clients"), "{err}");
        let err = store
            .write_bulk(true, |tx| {
                tx.execute(
                    "INSERT INTO time_entries (member_id, client_id, project_id, work_date, seconds, created_at)
                     VALUES (1, 7, 8, '2026-03-02', 60, 0)",
                    [],
                )?;
                Ok::<_, StoreError>(())
            })
            .unwrap_err();
        assert!(err.to_string().contains("time_entries refers to a missing row of"), "{err}");
        let entries: i64 = store.tx.query_row("SELECT count(*) FROM time_entries", [], |r| r.get(0)).unwrap();
        assert_eq!(entries, 0);
        assert_eq!(count(&store), 0);
        let fk: i64 = store.tx.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        store.write_bulk(false, |tx| tx.execute("INSERT INTO clients (id, name) VALUES (1, 'Acme')", [])).unwrap();
        assert_eq!(count(&store), 0);
        store.write_bulk(true, |tx| tx.execute("INSERT INTO clients (id, name) VALUES (1, 'Acme')", [])).unwrap();
        assert_eq!(count(&store), 1);
    }
}
