//! Team books' people: who is connected (owner, manager or member, and as
//! which member), the PostgreSQL roles and logins behind them, and the
//! layer of grants, policies and views that holds each role to what it may
//! do (`pg/team.sql`, which explains the design). PostgreSQL only: a SQLite
//! file has one user, who owns it.

use serde::{Deserialize, Serialize};

use crate::error::{StoreError, StoreResult};
use crate::sql::{Engine, OptionalExtension, Tx};

/// The version of `pg/team.sql`; books whose team layer is older get it
/// again when their owner opens them.
pub const TEAM_VERSION: i64 = 1;

const TEAM_SQL: &str = include_str!("../pg/team.sql");

/// What a person may do in team books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum TeamRole {
    /// Everything, members included.
    Owner,
    /// Everything but managing members: sees and invoices all time.
    Manager,
    /// Tracks and edits their own time on the projects they are on.
    Member,
}

impl TeamRole {
    pub const ALL: [TeamRole; 3] = [TeamRole::Owner, TeamRole::Manager, TeamRole::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Owner => "owner",
            TeamRole::Manager => "manager",
            TeamRole::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<TeamRole> {
        TeamRole::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Who this connection is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamSession {
    /// The database login (`session_user`).
    pub login: String,
    pub role: TeamRole,
    /// The member whose login this is, if any (the owner who made the books
    /// usually has none: the first member is theirs).
    pub member_id: Option<i64>,
    /// Whether the books have the team layer (`billable team init`); books
    /// without it know no roles, and whoever connects owns them.
    pub roles: bool,
}

/// A person's login to team books.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub login: String,
    pub member_id: i64,
    pub role: TeamRole,
    /// False once removed: the role can no longer log in.
    pub active: bool,
}

/// The names the team layer of these books uses.
#[derive(Debug, Clone)]
pub struct Names {
    /// The database, also the prefix of its group roles.
    pub database: String,
    /// The schema the books' tables are in.
    pub schema: String,
}

impl Names {
    /// The group role of `role` in these books: `<db>_owner` …
    pub fn group(&self, role: TeamRole) -> String {
        format!("{}_{}", self.database, role.as_str())
    }
}

fn plain_name(what: &str, name: &str) -> StoreResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 48
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    if ok {
        Ok(())
    } else {
        Err(StoreError::Unsupported(format!(
            "team roles need a {what} name of at most 48 letters, digits and underscores, not starting with a digit ('{name}' is not)"
        )))
    }
}

/// A quoted SQL name.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Whether `login` can be a login role's name: 1–63 lowercase ASCII letters,
/// digits and underscores, starting with a letter or underscore.
pub fn valid_login(login: &str) -> bool {
    !login.is_empty()
        && login.len() <= 63
        && login.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !login.as_bytes()[0].is_ascii_digit()
}

fn postgres_only(tx: &Tx) -> StoreResult<()> {
    match tx.engine() {
        Engine::Postgres => Ok(()),
        Engine::Sqlite => Err(StoreError::Unsupported(
            "members and roles are for team books (postgres://…); a books file belongs to one person".into(),
        )),
    }
}

pub fn names(tx: &Tx) -> StoreResult<Names> {
    postgres_only(tx)?;
    let (database, schema): (String, String) =
        tx.query_row("SELECT current_database()::text, current_schema()::text", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    plain_name("database", &database)?;
    plain_name("schema", &schema)?;
    Ok(Names { database, schema })
}

/// Whether the books have the team layer.
pub fn has_roles(tx: &Tx) -> StoreResult<bool> {
    if tx.engine() != Engine::Postgres {
        return Ok(false);
    }
    tx.query_row("SELECT to_regnamespace('billable_team') IS NOT NULL", [], |r| r.get(0))
}

/// Whether this connection owns the books' tables (or is a superuser):
/// the one who may lay the team layer.
pub fn owns_books(tx: &Tx) -> StoreResult<bool> {
    tx.query_row(
        "SELECT r.rolsuper OR pg_has_role(r.oid, c.relowner, 'MEMBER')
         FROM pg_roles r, pg_class c
         WHERE r.rolname = session_user AND c.oid = to_regclass('billable_books')",
        [],
        |r| r.get(0),
    )
    .optional()
    .map(|o| o.unwrap_or(false))
}

/// Whether the team layer is older than this build's or was laid for
/// another books schema.
pub fn outdated(tx: &Tx) -> StoreResult<bool> {
    tx.query_row(
        "SELECT team_version IS DISTINCT FROM ?1 OR team_books_version IS DISTINCT FROM schema_version
         FROM billable_books WHERE id = 1",
        [TEAM_VERSION],
        |r| r.get(0),
    )
}

/// Lays (or lays again) the team layer: the group roles, then
/// `pg/team.sql`. Runs inside the caller's write transaction, as the
/// books' owner.
pub fn apply(tx: &Tx) -> StoreResult<()> {
    let n = names(tx)?;
    for role in TeamRole::ALL {
        let group = n.group(role);
        let exists: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)", [&group], |r| r.get(0))?;
        if !exists {
            tx.raw_batch(&format!("CREATE ROLE {} NOLOGIN", ident(&group)))?;
        }
    }
    tx.raw_batch(
        "ALTER TABLE billable_books ADD COLUMN IF NOT EXISTS team_version BIGINT,
                                    ADD COLUMN IF NOT EXISTS team_books_version BIGINT",
    )?;
    let sql = TEAM_SQL
        .replace("@books_name@", &literal(&n.schema))
        .replace("@books@", &ident(&n.schema))
        .replace("@db@", &ident(&n.database))
        .replace("@owner_name@", &literal(&n.group(TeamRole::Owner)))
        .replace("@manager_name@", &literal(&n.group(TeamRole::Manager)))
        .replace("@member_name@", &literal(&n.group(TeamRole::Member)))
        .replace("@owner@", &ident(&n.group(TeamRole::Owner)))
        .replace("@manager@", &ident(&n.group(TeamRole::Manager)))
        .replace("@member@", &ident(&n.group(TeamRole::Member)));
    tx.raw_batch(&sql).map_err(|e| match e {
        StoreError::Postgres(e) => StoreError::Corrupt(format!("team roles: {e}")),
        other => other,
    })?;
    tx.execute(
        "UPDATE billable_books SET team_version = ?1, team_books_version = schema_version WHERE id = 1",
        [TEAM_VERSION],
    )?;
    Ok(())
}

/// Who this connection is. Books without the team layer: an owner without
/// a member.
pub fn session(tx: &Tx) -> StoreResult<TeamSession> {
    let login: String = tx.query_row("SELECT session_user::text", [], |r| r.get(0))?;
    if !has_roles(tx)? {
        return Ok(TeamSession { login, role: TeamRole::Owner, member_id: None, roles: false });
    }
    let (role, member_id): (Option<String>, Option<i64>) =
        tx.query_row("SELECT billable_team.my_role(), billable_team.my_member_id()", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    // A login the books give no role is held to the least.
    let role = role.as_deref().and_then(TeamRole::parse).unwrap_or(TeamRole::Member);
    Ok(TeamSession { login, role, member_id, roles: true })
}

fn login_row(r: &crate::sql::Row) -> StoreResult<Login> {
    let role: String = r.get(2)?;
    Ok(Login {
        login: r.get(0)?,
        member_id: r.get(1)?,
        role: TeamRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("team role '{role}'")))?,
        active: r.get(3)?,
    })
}

/// Every login of the books, by member.
pub fn logins(tx: &Tx) -> StoreResult<Vec<Login>> {
    postgres_only(tx)?;
    let mut st = tx.prepare("SELECT login, member_id, role, active FROM billable_team.logins ORDER BY member_id")?;
    let rows = st.query_map([], login_row)?;
    rows.collect()
}

pub fn login_of_member(tx: &Tx, member_id: i64) -> StoreResult<Option<Login>> {
    postgres_only(tx)?;
    tx.query_row(
        "SELECT login, member_id, role, active FROM billable_team.logins WHERE member_id = ?1",
        [member_id],
        login_row,
    )
    .optional()
}

/// Whether a role of this name exists anywhere on the server.
pub fn role_exists(tx: &Tx, login: &str) -> StoreResult<bool> {
    tx.query_row("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)", [login], |r| r.get(0))
}

/// What the server keeps of a password: its SCRAM-SHA-256 verifier. The
/// password itself is never sent to the server, so it cannot end up in the
/// server's log.
fn verifier(password: &str) -> String {
    postgres_protocol::password::scram_sha_256(password.as_bytes())
}

fn grant_role(tx: &Tx, n: &Names, login: &str, role: TeamRole) -> StoreResult<()> {
    let q = ident(login);
    for other in TeamRole::ALL.into_iter().filter(|r| *r != role) {
        let group = n.group(other);
        let member: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                            JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = ?1 AND u.rolname = ?2)",
            [&group, login],
            |r| r.get(0),
        )?;
        if member {
            tx.raw_batch(&format!("REVOKE {} FROM {q}", ident(&group)))?;
        }
    }
    tx.raw_batch(&format!("GRANT {} TO {q}", ident(&n.group(role))))?;
    let createrole = if role == TeamRole::Owner { "CREATEROLE" } else { "NOCREATEROLE" };
    tx.raw_batch(&format!("ALTER ROLE {q} {createrole}"))?;
    let path = match role {
        TeamRole::Member => format!("SET search_path = billable_member, {}", ident(&n.schema)),
        _ => "RESET search_path".to_string(),
    };
    tx.raw_batch(&format!("ALTER ROLE {q} IN DATABASE {} {path}", ident(&n.database)))?;
    Ok(())
}

/// Creates the login role of a member (or lets a removed one log in again
/// with a new password) and links it to the member.
pub fn create_login(tx: &Tx, login: &str, password: &str, member_id: i64, role: TeamRole, now: i64) -> StoreResult<()> {
    let n = names(tx)?;
    if !valid_login(login) {
        return Err(StoreError::Unsupported(format!("'{login}' cannot be a login name")));
    }
    let q = ident(login);
    let pass = literal(&verifier(password));
    if role_exists(tx, login)? {
        tx.raw_batch(&format!("ALTER ROLE {q} LOGIN PASSWORD {pass}"))?;
    } else {
        tx.raw_batch(&format!("CREATE ROLE {q} LOGIN PASSWORD {pass}"))?;
    }
    grant_role(tx, &n, login, role)?;
    tx.execute(
        "INSERT INTO billable_team.logins (login, member_id, role, active, created_at) VALUES (?1, ?2, ?3, 1, ?4)
         ON CONFLICT (login) DO UPDATE SET member_id = EXCLUDED.member_id, role = EXCLUDED.role, active = 1",
        crate::params![login, member_id, role.as_str(), now],
    )?;
    Ok(())
}

/// Gives the connected login a new password. A login may always change
/// its own; only the SCRAM verifier is sent, as for a new login.
pub fn change_own_password(tx: &Tx, password: &str) -> StoreResult<()> {
    tx.raw_batch(&format!("ALTER ROLE CURRENT_USER PASSWORD {}", literal(&verifier(password))))
}

/// Gives a login another role.
pub fn set_role(tx: &Tx, login: &str, role: TeamRole) -> StoreResult<()> {
    let n = names(tx)?;
    grant_role(tx, &n, login, role)?;
    tx.execute("UPDATE billable_team.logins SET role = ?1 WHERE login = ?2", [role.as_str(), login])?;
    Ok(())
}

/// Takes a login's right to log in and its group away; its member and
/// their time stay.
pub fn disable_login(tx: &Tx, login: &str) -> StoreResult<()> {
    let n = names(tx)?;
    let q = ident(login);
    tx.raw_batch(&format!("ALTER ROLE {q} NOLOGIN NOCREATEROLE"))?;
    for role in TeamRole::ALL {
        tx.raw_batch(&format!("REVOKE {} FROM {q}", ident(&n.group(role))))?;
    }
    tx.execute("UPDATE billable_team.logins SET active = 0 WHERE login = ?1", [login])?;
    Ok(())
}

/// The projects a member is on, by id.
pub fn member_projects(tx: &Tx, member_id: i64) -> StoreResult<Vec<i64>> {
    postgres_only(tx)?;
    let mut st =
        tx.prepare("SELECT project_id FROM billable_team.project_members WHERE member_id = ?1 ORDER BY project_id")?;
    let rows = st.query_map([member_id], |r| r.get(0))?;
    rows.collect()
}

/// Puts a member on projects and takes them off others.
pub fn assign_projects(tx: &Tx, member_id: i64, add: &[i64], remove: &[i64]) -> StoreResult<()> {
    postgres_only(tx)?;
    for p in add {
        tx.execute(
            "INSERT INTO billable_team.project_members (project_id, member_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            [*p, member_id],
        )?;
    }
    for p in remove {
        tx.execute(
            "DELETE FROM billable_team.project_members WHERE project_id = ?1 AND member_id = ?2",
            [*p, member_id],
        )?;
    }
    Ok(())
}

/// Whether time entry `id` exists, whoever's it is (a member sees only
/// their own).
pub fn entry_exists(tx: &Tx, id: i64) -> StoreResult<bool> {
    if !has_roles(tx)? {
        return Ok(false);
    }
    tx.query_row("SELECT billable_team.entry_exists(?1)", [id], |r| r.get(0))
}
