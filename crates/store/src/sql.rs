//! The one place that knows which engine holds the books.
//!
//! Repository functions write their SQL once, in the dialect both engines
//! share, and run it through a [`Tx`]: the SQLite file of one user, or the
//! PostgreSQL database of a team. A use case never learns which it is; the
//! engine is chosen when the books are opened ([`crate::Store::open`]).
//!
//! SQL is written with SQLite's `?1` placeholders. On PostgreSQL they become
//! `$1`, `LIKE` becomes `ILIKE` (SQLite's LIKE ignores ASCII case), `IFNULL`
//! becomes `COALESCE`, `CAST(… AS INTEGER)` becomes `BIGINT`, and SQLite's
//! `INDEXED BY` hints are dropped; everything else is sent as written.
//! Where the engines really differ, a repository function asks
//! [`Tx::engine`] and writes both forms side by side.

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::types::{FromSql, IsNull, Kind, ToSql as PgToSql, Type};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::error::{StoreError, StoreResult};

/// Which engine holds the books.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// An open connection to the books; inside [`crate::Store::write`] and
/// [`crate::Store::read`] it is in a transaction. Repository functions
/// take `&Tx`.
pub struct Tx {
    pub(crate) conn: Conn,
}

pub(crate) enum Conn {
    Lite(rusqlite::Connection),
    Pg(Box<PgConn>),
}

pub(crate) struct PgConn {
    pub(crate) client: RefCell<postgres::Client>,
    /// Prepared statements by their SQL, then by the types declared for
    /// their parameters; looked up without copying the SQL.
    statements: RefCell<HashMap<String, HashMap<Vec<u32>, postgres::Statement>>>,
    /// Who is connected, read once the books are open.
    pub(crate) team: Option<crate::team::TeamSession>,
}

impl PgConn {
    pub(crate) fn new(client: postgres::Client) -> PgConn {
        PgConn { client: RefCell::new(client), statements: RefCell::new(HashMap::new()), team: None }
    }

    fn statement(&self, sql: &str, args: &[PgValue]) -> StoreResult<postgres::Statement> {
        let types: Vec<Type> = args.iter().map(PgValue::declared).collect();
        let oids: Vec<u32> = types.iter().map(Type::oid).collect();
        if let Some(st) = self.statements.borrow().get(sql).and_then(|by_types| by_types.get(&oids)) {
            return Ok(st.clone());
        }
        let translated = to_postgres(sql);
        let st = if types.iter().any(|t| t.oid() == 0) {
            // A NULL or a truth value whose place may say nothing of its
            // type (`?2 IS NULL OR …`): tried inside a savepoint, since a
            // statement PostgreSQL cannot type aborts the transaction; then
            // a NULL is taken as text and a truth value as a boolean.
            let mut client = self.client.borrow_mut();
            client.batch_execute("SAVEPOINT billable_prepare")?;
            match client.prepare_typed(&translated, &types) {
                Ok(st) => {
                    client.batch_execute("RELEASE SAVEPOINT billable_prepare")?;
                    st
                }
                Err(e)
                    if e.code() == Some(&postgres::error::SqlState::INDETERMINATE_DATATYPE)
                        || e.code() == Some(&postgres::error::SqlState::AMBIGUOUS_PARAMETER) =>
                {
                    client
                        .batch_execute("ROLLBACK TO SAVEPOINT billable_prepare; RELEASE SAVEPOINT billable_prepare")?;
                    let typed = inferred_types(&mut client, &translated, args, &types)?;
                    client.prepare_typed(&translated, &typed).map_err(|e| trace(e, &translated))?
                }
                Err(e) => {
                    let e = trace(e, &translated);
                    client
                        .batch_execute("ROLLBACK TO SAVEPOINT billable_prepare; RELEASE SAVEPOINT billable_prepare")?;
                    return Err(e.into());
                }
            }
        } else {
            self.client.borrow_mut().prepare_typed(&translated, &types).map_err(|e| trace(e, &translated))?
        };
        let mut cache = self.statements.borrow_mut();
        if cache.len() > 512 {
            cache.clear();
        }
        cache.entry(sql.to_string()).or_default().insert(oids, st.clone());
        Ok(st)
    }

    /// The prepared statement and the values bound to it.
    fn bind(&self, sql: &str, args: &[&dyn Param]) -> StoreResult<(postgres::Statement, Vec<PgValue>)> {
        let values: Vec<PgValue> = args.iter().map(|a| a.pg()).collect();
        Ok((self.statement(sql, &values)?, values))
    }

    fn query(&self, sql: &str, args: &[&dyn Param]) -> StoreResult<Vec<postgres::Row>> {
        let (st, values) = self.bind(sql, args)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        Ok(self.client.borrow_mut().query(&st, &refs).map_err(|e| trace(e, &to_postgres(sql)))?)
    }

    fn execute(&self, sql: &str, args: &[&dyn Param]) -> StoreResult<usize> {
        let (st, values) = self.bind(sql, args)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        Ok(self.client.borrow_mut().execute(&st, &refs).map_err(|e| trace(e, &to_postgres(sql)))? as usize)
    }

    pub(crate) fn batch(&self, sql: &str) -> StoreResult<()> {
        Ok(self.client.borrow_mut().batch_execute(sql).map_err(|e| trace(e, sql))?)
    }
}

/// The types of parameters the server could not infer (`$1 IS NULL OR
/// client_id = $1`: PostgreSQL gives up on the first place it meets `$1`).
/// Learnt from the statement without its `$n IS [NOT] NULL` tests of those
/// parameters, where their other places tell; a parameter no other place
/// types is taken as text (a NULL) or a boolean (a truth value).
fn inferred_types(
    client: &mut postgres::Client,
    translated: &str,
    args: &[PgValue],
    declared: &[Type],
) -> StoreResult<Vec<Type>> {
    let unknown: Vec<usize> = (0..declared.len()).filter(|&i| declared[i].oid() == 0).collect();
    let probe = without_null_tests(translated, &unknown);
    let mut typed: Vec<Type> = args.iter().map(PgValue::fallback).collect();
    client.batch_execute("SAVEPOINT billable_probe")?;
    match client.prepare_typed(&probe, declared) {
        Ok(st) => {
            client.batch_execute("RELEASE SAVEPOINT billable_probe")?;
            for &i in &unknown {
                if let Some(t) = st.params().get(i) {
                    typed[i] = t.clone();
                }
            }
        }
        Err(_) => client.batch_execute("ROLLBACK TO SAVEPOINT billable_probe; RELEASE SAVEPOINT billable_probe")?,
    }
    Ok(typed)
}

/// `sql` with each `$n IS NULL` / `$n IS NOT NULL` of the parameters
/// `params` (0-based) replaced by `NULL IS NULL`: a probe of the types the
/// parameters' other places give them.
fn without_null_tests(sql: &str, params: &[usize]) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let n: usize = sql[i + 1..j].parse().unwrap_or(0);
            if n > 0 && params.contains(&(n - 1)) {
                let words: Vec<&str> = sql[j..].split_whitespace().take(3).collect();
                let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
                let test = match upper.as_slice() {
                    [is, null, ..] if is == "IS" && null.trim_end_matches(')') == "NULL" => Some(2),
                    [is, not, null] if is == "IS" && not == "NOT" && null.trim_end_matches(')') == "NULL" => Some(3),
                    _ => None,
                };
                if let Some(count) = test {
                    // Skip past the words `IS [NOT] NULL`, keeping what follows NULL.
                    let mut k = j;
                    for _ in 0..count {
                        while k < b.len() && b[k].is_ascii_whitespace() {
                            k += 1;
                        }
                        while k < b.len() && is_word(b[k]) {
                            k += 1;
                        }
                    }
                    out.push_str("NULL IS NULL");
                    i = k;
                    continue;
                }
            }
            out.push_str(&sql[i..j]);
            i = j;
            continue;
        }
        let ch = sql[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// With `BILLABLE_SQL_TRACE` set, a statement PostgreSQL refuses is
/// printed with the server's words and the SQL it was sent.
fn trace(e: postgres::Error, translated: &str) -> postgres::Error {
    if std::env::var_os("BILLABLE_SQL_TRACE").is_some() {
        let why = e.as_db_error().map_or_else(|| e.to_string(), |d| d.message().to_string());
        eprintln!("PostgreSQL refused: {why}\n{translated}");
    }
    e
}

impl Tx {
    pub fn engine(&self) -> Engine {
        match self.conn {
            Conn::Lite(_) => Engine::Sqlite,
            Conn::Pg(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (the online backup,
    /// `PRAGMA`s); `None` on PostgreSQL.
    pub(crate) fn lite(&self) -> Option<&rusqlite::Connection> {
        match &self.conn {
            Conn::Lite(c) => Some(c),
            Conn::Pg(_) => None,
        }
    }

    /// Runs one statement; returns the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, p: P) -> StoreResult<usize> {
        p.with(|args| match &self.conn {
            Conn::Lite(c) => Ok(c.prepare_cached(sql)?.execute(lite_args(args))?),
            Conn::Pg(c) => c.execute(sql, args),
        })
    }

    /// Runs an INSERT and returns the id of the new row.
    pub fn insert<P: Params>(&self, sql: &str, p: P) -> StoreResult<i64> {
        p.with(|args| match &self.conn {
            Conn::Lite(c) => {
                c.prepare_cached(sql)?.execute(lite_args(args))?;
                Ok(c.last_insert_rowid())
            }
            Conn::Pg(c) => {
                let rows = c.query(&format!("{sql} RETURNING id"), args)?;
                let row = rows.first().ok_or(StoreError::NoRows)?;
                <i64 as FromColumn>::pg(row, 0)
            }
        })
    }

    /// After rows were written into `table` with ids of their own (an
    /// import, a bulk copy): PostgreSQL's id sequence is moved past them, as
    /// SQLite's next rowid already is.
    pub fn ids_written(&self, table: &str) -> StoreResult<()> {
        if let Conn::Pg(c) = &self.conn {
            c.batch(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            ))?;
        }
        Ok(())
    }

    /// Runs several statements of PostgreSQL's own dialect, as written (the
    /// team layer's DDL); on SQLite as `execute_batch`.
    pub(crate) fn raw_batch(&self, sql: &str) -> StoreResult<()> {
        match &self.conn {
            Conn::Lite(c) => Ok(c.execute_batch(sql)?),
            Conn::Pg(c) => c.batch(sql),
        }
    }

    /// Who is connected to team books (read when they were opened); `None`
    /// for a SQLite file.
    pub fn team(&self) -> Option<&crate::team::TeamSession> {
        match &self.conn {
            Conn::Lite(_) => None,
            Conn::Pg(c) => c.team.as_ref(),
        }
    }

    /// Runs several statements without parameters.
    pub fn execute_batch(&self, sql: &str) -> StoreResult<()> {
        match &self.conn {
            Conn::Lite(c) => Ok(c.execute_batch(sql)?),
            Conn::Pg(c) => c.batch(&to_postgres(sql)),
        }
    }

    /// The first row of a query, mapped by `f`; [`StoreError::NoRows`] when
    /// there is none (see [`OptionalExtension::optional`]).
    pub fn query_row<T, P: Params, F>(&self, sql: &str, p: P, f: F) -> StoreResult<T>
    where
        F: FnOnce(&Row) -> StoreResult<T>,
    {
        self.prepare_cached(sql)?.query_row(p, f)
    }

    pub fn prepare(&self, sql: &str) -> StoreResult<Stmt<'_>> {
        Ok(Stmt {
            tx: self,
            inner: match &self.conn {
                Conn::Lite(c) => StmtInner::Lite(c.prepare(sql)?),
                Conn::Pg(c) => StmtInner::Pg { conn: c, sql: sql.to_string(), bound: Vec::new() },
            },
        })
    }

    pub fn prepare_cached(&self, sql: &str) -> StoreResult<Stmt<'_>> {
        Ok(Stmt {
            tx: self,
            inner: match &self.conn {
                Conn::Lite(c) => StmtInner::LiteCached(c.prepare_cached(sql)?),
                Conn::Pg(c) => StmtInner::Pg { conn: c, sql: sql.to_string(), bound: Vec::new() },
            },
        })
    }
}

fn lite_args<'a>(args: &'a [&'a dyn Param]) -> impl rusqlite::Params + 'a {
    rusqlite::params_from_iter(args.iter().map(|a| *a as &dyn rusqlite::ToSql))
}

/// A prepared statement.
pub struct Stmt<'c> {
    tx: &'c Tx,
    inner: StmtInner<'c>,
}

enum StmtInner<'c> {
    Lite(rusqlite::Statement<'c>),
    LiteCached(rusqlite::CachedStatement<'c>),
    Pg { conn: &'c PgConn, sql: String, bound: Vec<Value> },
}

impl<'c> Stmt<'c> {
    fn lite(&mut self) -> Option<&mut rusqlite::Statement<'c>> {
        match &mut self.inner {
            StmtInner::Lite(s) => Some(s),
            StmtInner::LiteCached(s) => Some(s),
            StmtInner::Pg { .. } => None,
        }
    }

    pub fn execute<P: Params>(&mut self, p: P) -> StoreResult<usize> {
        if let Some(s) = self.lite() {
            return p.with(|args| Ok(s.execute(lite_args(args))?));
        }
        let StmtInner::Pg { conn, sql, .. } = &self.inner else { unreachable!("a SQLite statement was handled above") };
        p.with(|args| conn.execute(sql, args))
    }

    /// Runs an INSERT and returns the id of the new row.
    pub fn insert<P: Params>(&mut self, p: P) -> StoreResult<i64> {
        if let Some(s) = self.lite() {
            p.with(|args| Ok(s.execute(lite_args(args))?))?;
            return Ok(self.tx.lite().map_or(0, |c| c.last_insert_rowid()));
        }
        let StmtInner::Pg { conn, sql, .. } = &self.inner else { unreachable!("a SQLite statement was handled above") };
        let rows = p.with(|args| conn.query(&format!("{sql} RETURNING id"), args))?;
        let row = rows.first().ok_or(StoreError::NoRows)?;
        <i64 as FromColumn>::pg(row, 0)
    }

    /// How many parameters the statement takes.
    pub fn parameter_count(&mut self) -> StoreResult<usize> {
        match &mut self.inner {
            StmtInner::Lite(s) => Ok(s.parameter_count()),
            StmtInner::LiteCached(s) => Ok(s.parameter_count()),
            StmtInner::Pg { conn, sql, .. } => Ok(conn.client.borrow_mut().prepare(&to_postgres(sql))?.params().len()),
        }
    }

    /// How many columns the result has.
    pub fn column_count(&self) -> StoreResult<usize> {
        Ok(self.column_names()?.len())
    }

    /// The names of the result's columns.
    pub fn column_names(&self) -> StoreResult<Vec<String>> {
        match &self.inner {
            StmtInner::Lite(s) => Ok(s.column_names().into_iter().map(str::to_string).collect()),
            StmtInner::LiteCached(s) => Ok(s.column_names().into_iter().map(str::to_string).collect()),
            StmtInner::Pg { conn, sql, .. } => {
                let st = conn.client.borrow_mut().prepare(&to_postgres(sql))?;
                Ok(st.columns().iter().map(|c| c.name().to_string()).collect())
            }
        }
    }

    pub fn query_row<T, P: Params, F>(&mut self, p: P, f: F) -> StoreResult<T>
    where
        F: FnOnce(&Row) -> StoreResult<T>,
    {
        let mut rows = self.query(p)?;
        match rows.next()? {
            Some(r) => f(&r),
            None => Err(StoreError::NoRows),
        }
    }

    /// True when the query returns a row.
    pub fn exists<P: Params>(&mut self, p: P) -> StoreResult<bool> {
        let mut rows = self.query(p)?;
        Ok(rows.next()?.is_some())
    }

    pub fn query<P: Params>(&mut self, p: P) -> StoreResult<Rows<'_>> {
        let s: &mut rusqlite::Statement<'c> = match &mut self.inner {
            StmtInner::Lite(s) => s,
            StmtInner::LiteCached(s) => s,
            StmtInner::Pg { conn, sql, .. } => {
                let rows = p.with(|args| conn.query(sql, args))?;
                return Ok(Rows { inner: RowsInner::Pg(rows.into_iter(), None) });
            }
        };
        // The rows borrow the statement; the parameters are bound first.
        p.with(|args| Ok(s.raw_bind_parameters(args)?))?;
        Ok(Rows { inner: RowsInner::Lite(s.raw_query()) })
    }

    /// The rows of the query, each mapped by `f`.
    pub fn query_map<T, P: Params, F>(&mut self, p: P, mut f: F) -> StoreResult<std::vec::IntoIter<StoreResult<T>>>
    where
        F: FnMut(&Row) -> StoreResult<T>,
    {
        let mut rows = self.query(p)?;
        let mut out = Vec::new();
        loop {
            match rows.next() {
                Ok(Some(r)) => out.push(f(&r)),
                Ok(None) => break,
                Err(e) => {
                    out.push(Err(e));
                    break;
                }
            }
        }
        Ok(out.into_iter())
    }

    /// Binds one parameter (1-based) for [`Stmt::raw_execute`]: for loops
    /// that write many rows through one statement.
    pub fn raw_bind_parameter<T: Param>(&mut self, idx: usize, value: T) -> StoreResult<()> {
        match &mut self.inner {
            StmtInner::Lite(s) => Ok(s.raw_bind_parameter(idx, value)?),
            StmtInner::LiteCached(s) => Ok(s.raw_bind_parameter(idx, value)?),
            StmtInner::Pg { bound, .. } => {
                if bound.len() < idx {
                    bound.resize(idx, Value::Null);
                }
                bound[idx - 1] = value.pg().0;
                Ok(())
            }
        }
    }

    pub fn raw_execute(&mut self) -> StoreResult<usize> {
        match &mut self.inner {
            StmtInner::Lite(s) => Ok(s.raw_execute()?),
            StmtInner::LiteCached(s) => Ok(s.raw_execute()?),
            StmtInner::Pg { conn, sql, bound } => {
                let args: Vec<&dyn Param> = bound.iter().map(|v| v as &dyn Param).collect();
                conn.execute(sql, &args)
            }
        }
    }
}

trait BindAll {
    fn raw_bind_parameters(&mut self, args: &[&dyn Param]) -> rusqlite::Result<()>;
}

impl BindAll for rusqlite::Statement<'_> {
    fn raw_bind_parameters(&mut self, args: &[&dyn Param]) -> rusqlite::Result<()> {
        let expected = self.parameter_count();
        if args.len() != expected {
            return Err(rusqlite::Error::InvalidParameterCount(args.len(), expected));
        }
        for (i, a) in args.iter().enumerate() {
            self.raw_bind_parameter(i + 1, *a as &dyn rusqlite::ToSql)?;
        }
        Ok(())
    }
}

/// The rows of a query, read one at a time.
pub struct Rows<'s> {
    inner: RowsInner<'s>,
}

enum RowsInner<'s> {
    Lite(rusqlite::Rows<'s>),
    Pg(std::vec::IntoIter<postgres::Row>, Option<postgres::Row>),
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> StoreResult<Option<Row<'_>>> {
        match &mut self.inner {
            RowsInner::Lite(rows) => Ok(rows.next()?.map(|r| Row { inner: RowInner::Lite(r) })),
            RowsInner::Pg(rows, current) => {
                *current = rows.next();
                Ok(current.as_ref().map(|r| Row { inner: RowInner::Pg(r) }))
            }
        }
    }
}

/// One row of a result.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

enum RowInner<'r> {
    Lite(&'r rusqlite::Row<'r>),
    Pg(&'r postgres::Row),
}

impl<'r> Row<'r> {
    /// The value of column `idx` (from 0).
    pub fn get<T: FromColumn>(&self, idx: usize) -> StoreResult<T> {
        match self.inner {
            RowInner::Lite(r) => Ok(r.get::<_, T>(idx)?),
            RowInner::Pg(r) => T::pg(r, idx),
        }
    }

    /// The raw value of column `idx`, borrowed where it can be.
    pub fn get_ref(&self, idx: usize) -> StoreResult<ValueRef<'r>> {
        match self.inner {
            RowInner::Lite(r) => Ok(match r.get_ref(idx)? {
                rusqlite::types::ValueRef::Null => ValueRef::Null,
                rusqlite::types::ValueRef::Integer(i) => ValueRef::Integer(i),
                rusqlite::types::ValueRef::Real(_) => {
                    return Err(StoreError::Corrupt(format!("column {idx} holds a floating-point number")))
                }
                rusqlite::types::ValueRef::Text(t) => ValueRef::Text(t),
                rusqlite::types::ValueRef::Blob(b) => ValueRef::Blob(b),
            }),
            RowInner::Pg(r) => {
                let ty = r.columns().get(idx).ok_or(StoreError::NoColumn(idx))?.type_().clone();
                let Some(raw) = r.try_get::<_, Option<Raw>>(idx)? else { return Ok(ValueRef::Null) };
                Ok(if is_text(&ty) {
                    ValueRef::Text(raw.0)
                } else if ty == Type::BYTEA {
                    ValueRef::Blob(raw.0)
                } else {
                    ValueRef::Integer(pg_integer(&ty, raw.0, idx)?)
                })
            }
        }
    }
}

/// A column value as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

impl<'a> ValueRef<'a> {
    pub fn as_str(&self) -> StoreResult<&'a str> {
        match self {
            ValueRef::Text(t) => {
                std::str::from_utf8(t).map_err(|e| StoreError::Corrupt(format!("text that is not UTF-8: {e}")))
            }
            other => Err(StoreError::Corrupt(format!("expected text, found {other:?}"))),
        }
    }

    pub fn as_str_or_null(&self) -> StoreResult<Option<&'a str>> {
        match self {
            ValueRef::Null => Ok(None),
            other => other.as_str().map(Some),
        }
    }
}

/// Everything a column is read as: the types rusqlite reads, read the same
/// way from PostgreSQL.
pub trait FromColumn: rusqlite::types::FromSql + Sized {
    fn pg(r: &postgres::Row, idx: usize) -> StoreResult<Self>;
}

struct Raw<'a>(&'a [u8]);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

fn is_text(ty: &Type) -> bool {
    matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN)
}

/// An integer from any of PostgreSQL's integer types, a boolean or a whole
/// NUMERIC (what `SUM` of a BIGINT column gives).
fn pg_integer(ty: &Type, raw: &[u8], idx: usize) -> StoreResult<i64> {
    let bad = |e: Box<dyn std::error::Error + Sync + Send>| StoreError::Corrupt(format!("column {idx}: {e}"));
    Ok(match *ty {
        Type::INT8 => i64::from_sql(ty, raw).map_err(bad)?,
        Type::INT4 => i64::from(i32::from_sql(ty, raw).map_err(bad)?),
        Type::INT2 => i64::from(i16::from_sql(ty, raw).map_err(bad)?),
        Type::BOOL => i64::from(bool::from_sql(ty, raw).map_err(bad)?),
        Type::NUMERIC => {
            let d = Decimal::from_sql(ty, raw).map_err(bad)?;
            if !d.fract().is_zero() {
                return Err(StoreError::Corrupt(format!("column {idx}: {d} is not a whole number")));
            }
            d.to_i64().ok_or_else(|| StoreError::Corrupt(format!("column {idx}: {d} is out of range")))?
        }
        _ => return Err(StoreError::Corrupt(format!("column {idx}: a {ty} where a number was expected"))),
    })
}

fn pg_value<T>(
    r: &postgres::Row,
    idx: usize,
    f: impl FnOnce(&Type, &[u8]) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    let ty = r.columns().get(idx).ok_or(StoreError::NoColumn(idx))?.type_().clone();
    match r.try_get::<_, Option<Raw>>(idx)? {
        None => Ok(None),
        Some(raw) => f(&ty, raw.0).map(Some),
    }
}

fn null_in(idx: usize) -> StoreError {
    StoreError::Corrupt(format!("column {idx} is empty (NULL) where a value was expected"))
}

macro_rules! integer_columns {
    ($($t:ty),*) => {$(
        impl FromColumn for $t {
            fn pg(r: &postgres::Row, idx: usize) -> StoreResult<Self> {
                pg_value(r, idx, |ty, raw| {
                    let n = pg_integer(ty, raw, idx)?;
                    <$t>::try_from(n).map_err(|_| StoreError::Corrupt(format!("column {idx}: {n} is out of range")))
                })?
                .ok_or_else(|| null_in(idx))
            }
        }
    )*};
}
integer_columns!(i64, i32, i16, i8, u64, u32, u16, u8, usize);

impl FromColumn for bool {
    fn pg(r: &postgres::Row, idx: usize) -> StoreResult<Self> {
        pg_value(r, idx, |ty, raw| Ok(pg_integer(ty, raw, idx)? != 0))?.ok_or_else(|| null_in(idx))
    }
}

impl FromColumn for String {
    fn pg(r: &postgres::Row, idx: usize) -> StoreResult<Self> {
        pg_value(r, idx, |ty, raw| {
            if is_text(ty) {
                String::from_utf8(raw.to_vec()).map_err(|e| StoreError::Corrupt(format!("column {idx}: {e}")))
            } else {
                Err(StoreError::Corrupt(format!("column {idx}: a {ty} where text was expected")))
            }
        })?
        .ok_or_else(|| null_in(idx))
    }
}

impl FromColumn for Vec<u8> {
    fn pg(r: &postgres::Row, idx: usize) -> StoreResult<Self> {
        pg_value(r, idx, |_, raw| Ok(raw.to_vec()))?.ok_or_else(|| null_in(idx))
    }
}

impl<T: FromColumn> FromColumn for Option<T> {
    fn pg(r: &postgres::Row, idx: usize) -> StoreResult<Self> {
        match r.try_get::<_, Option<Raw>>(idx)? {
            None => Ok(None),
            Some(_) => T::pg(r, idx).map(Some),
        }
    }
}

/// An owned parameter or column value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Integer(i64),
    Text(String),
    Blob(Vec<u8>),
    /// A truth value: stored as 0 or 1, compared as a boolean where the SQL
    /// asks for one.
    Bool(bool),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Integer(v)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as V};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(V::Null),
            Value::Integer(i) => ToSqlOutput::Borrowed(V::Integer(*i)),
            Value::Text(t) => ToSqlOutput::Borrowed(V::Text(t.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(V::Blob(b)),
            Value::Bool(b) => ToSqlOutput::Borrowed(V::Integer(i64::from(*b))),
        })
    }
}

impl rusqlite::types::FromSql for Value {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        use rusqlite::types::ValueRef as V;
        Ok(match v {
            V::Null => Value::Null,
            V::Integer(i) => Value::Integer(i),
            V::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            V::Blob(b) => Value::Blob(b.to_vec()),
            V::Real(_) => return Err(rusqlite::types::FromSqlError::InvalidType),
        })
    }
}

impl FromColumn for Value {
    fn pg(r: &postgres::Row, idx: usize) -> StoreResult<Self> {
        let ty = r.columns().get(idx).ok_or(StoreError::NoColumn(idx))?.type_().clone();
        let Some(raw) = r.try_get::<_, Option<Raw>>(idx)? else { return Ok(Value::Null) };
        Ok(if is_text(&ty) {
            Value::Text(String::from_utf8_lossy(raw.0).into_owned())
        } else if ty == Type::BYTEA {
            Value::Blob(raw.0.to_vec())
        } else {
            Value::Integer(pg_integer(&ty, raw.0, idx)?)
        })
    }
}

/// A value bound for PostgreSQL, converted to the type the server expects
/// for its place in the statement.
#[derive(Debug)]
pub struct PgValue(Value);

impl PgValue {
    /// The type the statement is prepared with: integers as BIGINT, text as
    /// TEXT; truth values and NULLs are left for the server to infer from
    /// where they stand (a flag column, `OR ?1`, `?1 IS NULL OR …`).
    fn declared(&self) -> Type {
        match &self.0 {
            Value::Integer(_) => Type::INT8,
            Value::Text(_) => Type::TEXT,
            Value::Blob(_) => Type::BYTEA,
            Value::Null | Value::Bool(_) => unspecified(),
        }
    }
}

impl PgValue {
    /// The type of a value whose place in the statement does not tell.
    fn fallback(&self) -> Type {
        match &self.0 {
            Value::Null => Type::TEXT,
            Value::Bool(_) => Type::BOOL,
            _ => self.declared(),
        }
    }
}

fn unspecified() -> Type {
    Type::new(String::new(), 0, Kind::Simple, String::new())
}

impl PgToSql for PgValue {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let int = |i: i64, out: &mut bytes::BytesMut| -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
            match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::NUMERIC => Decimal::from(i).to_sql(ty, out),
                _ if is_text(ty) => i.to_string().to_sql(&Type::TEXT, out),
                _ => Err(format!("an integer cannot be stored as {ty}").into()),
            }
        };
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => int(*i, out),
            Value::Bool(b) => int(i64::from(*b), out),
            Value::Text(t) => match *ty {
                _ if is_text(ty) => t.as_str().to_sql(&Type::TEXT, out),
                Type::INT8 | Type::INT4 | Type::INT2 => match t.parse::<i64>() {
                    Ok(i) => int(i, out),
                    Err(_) => Err(format!("'{t}' is not a whole number").into()),
                },
                Type::NUMERIC => t.parse::<Decimal>()?.to_sql(ty, out),
                Type::BYTEA => t.as_bytes().to_sql(ty, out),
                _ => Err(format!("text cannot be stored as {ty}").into()),
            },
            Value::Blob(b) => b.as_slice().to_sql(&Type::BYTEA, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A parameter of a statement: anything rusqlite binds, bound the same way
/// on PostgreSQL.
pub trait Param: rusqlite::ToSql {
    fn pg(&self) -> PgValue;
}

impl Param for Value {
    fn pg(&self) -> PgValue {
        PgValue(self.clone())
    }
}

macro_rules! integer_params {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn pg(&self) -> PgValue {
                PgValue(Value::Integer(i64::try_from(*self).unwrap_or(i64::MAX)))
            }
        }
    )*};
}
integer_params!(i64, i32, i16, i8, u32, u16, u8);

impl Param for u64 {
    fn pg(&self) -> PgValue {
        // rusqlite refuses a u64 above i64::MAX; so does this.
        PgValue(i64::try_from(*self).map_or(Value::Text(self.to_string()), Value::Integer))
    }
}

impl Param for usize {
    fn pg(&self) -> PgValue {
        PgValue(i64::try_from(*self).map_or(Value::Text(self.to_string()), Value::Integer))
    }
}

impl Param for bool {
    fn pg(&self) -> PgValue {
        PgValue(Value::Bool(*self))
    }
}

impl Param for String {
    fn pg(&self) -> PgValue {
        PgValue(Value::Text(self.clone()))
    }
}

impl Param for str {
    fn pg(&self) -> PgValue {
        PgValue(Value::Text(self.to_string()))
    }
}

impl Param for Vec<u8> {
    fn pg(&self) -> PgValue {
        PgValue(Value::Blob(self.clone()))
    }
}

impl Param for [u8] {
    fn pg(&self) -> PgValue {
        PgValue(Value::Blob(self.to_vec()))
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn pg(&self) -> PgValue {
        (**self).pg()
    }
}

impl<T: Param> Param for Option<T> {
    fn pg(&self) -> PgValue {
        match self {
            Some(v) => v.pg(),
            None => PgValue(Value::Null),
        }
    }
}

/// The parameters of a statement: `params![a, b]`, `[id]`, `[]`, or
/// `params_from_iter(values)`.
pub trait Params {
    fn with<T>(self, f: impl FnOnce(&[&dyn Param]) -> StoreResult<T>) -> StoreResult<T>;
}

impl Params for &[&dyn Param] {
    fn with<T>(self, f: impl FnOnce(&[&dyn Param]) -> StoreResult<T>) -> StoreResult<T> {
        f(self)
    }
}

impl<const N: usize> Params for &[&dyn Param; N] {
    fn with<T>(self, f: impl FnOnce(&[&dyn Param]) -> StoreResult<T>) -> StoreResult<T> {
        f(self)
    }
}

/// `[]`: no parameters.
impl Params for [&dyn Param; 0] {
    fn with<T>(self, f: impl FnOnce(&[&dyn Param]) -> StoreResult<T>) -> StoreResult<T> {
        f(&[])
    }
}

macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<P: Param> Params for [P; $n] {
            fn with<T>(self, f: impl FnOnce(&[&dyn Param]) -> StoreResult<T>) -> StoreResult<T> {
                let refs: Vec<&dyn Param> = self.iter().map(|p| p as &dyn Param).collect();
                f(&refs)
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);

/// Parameters from an iterator of values (e.g. a built-up WHERE clause).
pub struct ParamsFromIter<I>(I);

pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: Param,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: Param,
{
    fn with<T>(self, f: impl FnOnce(&[&dyn Param]) -> StoreResult<T>) -> StoreResult<T> {
        let values: Vec<I::Item> = self.0.into_iter().collect();
        let refs: Vec<&dyn Param> = values.iter().map(|p| p as &dyn Param).collect();
        f(&refs)
    }
}

/// `params![a, b, c]`: the parameters of a statement, in order.
#[macro_export]
macro_rules! params {
    () => { &[] as &[&dyn $crate::sql::Param] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::sql::Param),+] as &[&dyn $crate::sql::Param] };
}
pub use crate::params;

/// `.optional()` on a query for one row: no row is `None`, not an error.
pub trait OptionalExtension<T> {
    fn optional(self) -> StoreResult<Option<T>>;
}

impl<T> OptionalExtension<T> for StoreResult<T> {
    fn optional(self) -> StoreResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// SQLite's dialect → PostgreSQL's: placeholders, LIKE, IFNULL, INTEGER
/// casts and index hints; string literals, quoted names and comments are
/// left as they are.
pub fn to_postgres(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next_bare = 1usize;
    let mut i = 0;
    let word_at = |i: usize, w: &str| -> bool {
        let end = i + w.len();
        end <= b.len()
            && sql[i..end].eq_ignore_ascii_case(w)
            && (i == 0 || !is_word(b[i - 1]))
            && (end == b.len() || !is_word(b[end]))
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' => {
                let mut j = i + 1;
                while j < b.len() {
                    if b[j] == c {
                        if j + 1 < b.len() && b[j + 1] == c {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j += 1;
                }
                let end = (j + 1).min(b.len());
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                let end = sql[i..].find('\n').map_or(b.len(), |n| i + n);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'?' => {
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j > i + 1 {
                    let n: usize = sql[i + 1..j].parse().unwrap_or(0);
                    next_bare = next_bare.max(n + 1);
                    out.push('$');
                    out.push_str(&sql[i + 1..j]);
                } else {
                    out.push('$');
                    out.push_str(&next_bare.to_string());
                    next_bare += 1;
                }
                i = j;
            }
            _ if word_at(i, "LIKE") => {
                out.push_str("ILIKE");
                i += 4;
            }
            _ if word_at(i, "IS") => {
                // SQLite's `a IS b` / `a IS NOT b` compare NULLs as values;
                // PostgreSQL says IS [NOT] DISTINCT FROM, except before
                // NULL, TRUE, FALSE or DISTINCT.
                let rest = &sql[i + 2..];
                let next = rest.trim_start();
                let word = |t: &str| -> String { t.bytes().take_while(|c| is_word(*c)).map(char::from).collect() };
                let first = word(next).to_ascii_uppercase();
                let (negated, after) = if first == "NOT" {
                    let t = next[3..].trim_start();
                    (true, word(t).to_ascii_uppercase())
                } else {
                    (false, first)
                };
                if matches!(after.as_str(), "NULL" | "TRUE" | "FALSE" | "DISTINCT" | "UNKNOWN") {
                    out.push_str("IS");
                    i += 2;
                } else if negated {
                    out.push_str("IS DISTINCT FROM");
                    i = b.len() - next[3..].len();
                } else {
                    out.push_str("IS NOT DISTINCT FROM");
                    i += 2;
                }
            }
            _ if word_at(i, "INSERT") && {
                let t = sql[i + 6..].trim_start();
                t.len() >= 2
                    && t[..2].eq_ignore_ascii_case("OR")
                    && ["ROLLBACK", "ABORT", "FAIL"].iter().any(|w| {
                        let u = t[2..].trim_start();
                        u.len() >= w.len() && u[..w.len()].eq_ignore_ascii_case(w)
                    })
            } =>
            {
                // `INSERT OR ROLLBACK|ABORT|FAIL`: a failing INSERT aborts the
                // transaction on PostgreSQL anyway.
                let t = sql[i + 6..].trim_start()[2..].trim_start();
                let len = t.bytes().take_while(|c| is_word(*c)).count();
                out.push_str("INSERT");
                i = b.len() - t.len() + len;
            }
            _ if word_at(i, "IFNULL") => {
                out.push_str("COALESCE");
                i += 6;
            }
            _ if word_at(i, "INDEXED") => {
                // `INDEXED BY name` (a hint for SQLite's planner): dropped.
                let rest = &sql[i + 7..];
                let after_by = rest.trim_start();
                if after_by.len() >= 2 && after_by[..2].eq_ignore_ascii_case("BY") {
                    let name = after_by[2..].trim_start();
                    let len = name.bytes().take_while(|c| is_word(*c)).count();
                    i = b.len() - name.len() + len;
                } else {
                    out.push_str("INDEXED");
                    i += 7;
                }
            }
            _ if word_at(i, "AS") && sql[i + 2..].trim_start().len() >= 7 && {
                let t = sql[i + 2..].trim_start();
                t[..7].eq_ignore_ascii_case("INTEGER") && t.as_bytes().get(7).is_none_or(|c| !is_word(*c))
            } =>
            {
                let t = sql[i + 2..].trim_start();
                out.push_str("AS BIGINT");
                i = b.len() - t.len() + 7;
            }
            _ => {
                let ch = sql[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn a_probe_drops_the_null_tests_of_untyped_parameters() {
        assert_eq!(
            super::without_null_tests("($1 IS NULL OR client_id = $1) AND ($2 IS NOT NULL) AND $3 IS NULL", &[0, 1]),
            "(NULL IS NULL OR client_id = $1) AND (NULL IS NULL) AND $3 IS NULL"
        );
        assert_eq!(super::without_null_tests("$10 IS NULL OR $1 = 'x'", &[0]), "$10 IS NULL OR $1 = 'x'");
    }

    #[test]
    fn sqlite_sql_becomes_postgres_sql() {
        assert_eq!(to_postgres("SELECT a FROM t WHERE id = ?1 AND b = ?2"), "SELECT a FROM t WHERE id = $1 AND b = $2");
        assert_eq!(to_postgres("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
        assert_eq!(to_postgres("x = ?3 OR y = ?"), "x = $3 OR y = $4");
        assert_eq!(to_postgres("name LIKE '%' || ?1 || '%' ESCAPE '\\'"), "name ILIKE '%' || $1 || '%' ESCAPE '\\'");
        assert_eq!(to_postgres("SELECT 'a ? LIKE b', \"q?\" FROM t"), "SELECT 'a ? LIKE b', \"q?\" FROM t");
        assert_eq!(to_postgres("IFNULL(a, 0), unlike, likely"), "COALESCE(a, 0), unlike, likely");
        assert_eq!(to_postgres("FROM invoices INDEXED BY invoices_open WHERE"), "FROM invoices  WHERE");
        assert_eq!(to_postgres("CAST(x AS INTEGER), CAST(y AS integer)"), "CAST(x AS BIGINT), CAST(y AS BIGINT)");
        assert_eq!(to_postgres("a AS integral"), "a AS integral");
        assert_eq!(to_postgres("-- it's a comment ?\nSELECT ?"), "-- it's a comment ?\nSELECT $1");
        assert_eq!(to_postgres("'it''s' = ?2"), "'it''s' = $2");
        assert_eq!(to_postgres("a IS ?1 AND b IS NOT 'x'"), "a IS NOT DISTINCT FROM $1 AND b IS DISTINCT FROM 'x'");
        assert_eq!(to_postgres("a IS NULL OR b IS NOT NULL"), "a IS NULL OR b IS NOT NULL");
        assert_eq!(to_postgres("INSERT OR ROLLBACK INTO t VALUES (?)"), "INSERT INTO t VALUES ($1)");
    }
}
