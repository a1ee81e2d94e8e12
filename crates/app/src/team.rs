//! Members and roles of team books: who is connected, and the owner's
//! management of members' logins (`billable team member …`). What each role
//! may do is enforced by PostgreSQL (crates/store/pg/team.sql); these use
//! cases create the logins and report who is who. A SQLite file has one
//! person, its owner.

use billable_core::model::{require_name, validate_email, Member};
use billable_store::catalog as cat;
use billable_store::team::{self as db, TeamRole};
use billable_store::{Engine, Tx};
use serde::{Deserialize, Serialize};

use billable_mail::Sensitive;

use crate::catalog::member_or_404;
use crate::error::{AppError, AppResult};
use crate::Billable;

/// Who is connected to the books.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamRoleView {
    /// Team books (PostgreSQL) rather than a file.
    pub team: bool,
    /// What this person may do: a file's user and whoever connects to team
    /// books without roles are owners.
    pub role: TeamRole,
    /// The database login, on team books.
    pub login: Option<String>,
    /// The member of this connection: their timer, their time.
    pub member: Option<Member>,
}

/// A member's login to team books.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamMemberView {
    pub member: Member,
    pub login: String,
    pub role: TeamRole,
    /// False once removed: the login can no longer connect.
    pub active: bool,
    /// The projects the member is on (members see only these).
    pub projects: Vec<ProjectName>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProjectName {
    pub id: i64,
    pub name: String,
}

/// A member just added: how they connect.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamMemberAdded {
    #[serde(flatten)]
    pub member: TeamMemberView,
    /// The books' URL for this member, without a password.
    pub url: String,
    /// The generated password, shown this once (not when one was given).
    pub password: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct TeamMemberInput {
    /// The member's name; an existing member of that name without a login
    /// gets it.
    pub name: String,
    pub email: Option<String>,
    /// owner, manager or member (the default).
    pub role: Option<String>,
    /// The database login; `<database>_<name>` when not given.
    pub login: Option<String>,
    /// At least 12 characters; generated when not given.
    pub password: Option<String>,
    /// Projects the member is on, by id.
    pub projects: Vec<i64>,
}

const GENERATED_PASSWORD_LEN: usize = 24;
const MIN_PASSWORD_LEN: usize = 12;

/// A new password for a login: long enough to withstand guessing, and
/// without control characters (which no keyboard types).
pub(crate) fn check_new_password(field: &str, password: &str) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::invalid(field, format!("needs at least {MIN_PASSWORD_LEN} characters")));
    }
    if password.chars().any(char::is_control) {
        return Err(AppError::invalid(field, "has a control character"));
    }
    Ok(())
}

fn parse_role(v: Option<&str>) -> AppResult<TeamRole> {
    match v {
        None => Ok(TeamRole::Member),
        Some(s) => TeamRole::parse(s)
            .ok_or_else(|| AppError::invalid("role", format!("'{s}' is not a role: owner, manager or member"))),
    }
}

/// A password of letters and digits from the system's random source.
fn generate_password() -> AppResult<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut out = String::with_capacity(GENERATED_PASSWORD_LEN);
    while out.len() < GENERATED_PASSWORD_LEN {
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf)
            .map_err(|e| AppError::conflict(format!("no random numbers for a password from this system: {e}")))?;
        // Rejection sampling: only bytes below the largest multiple of the
        // alphabet's size, so every character is equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        for b in buf {
            if (b as usize) < limit && out.len() < GENERATED_PASSWORD_LEN {
                out.push(ALPHABET[b as usize % ALPHABET.len()] as char);
            }
        }
    }
    Ok(out)
}

/// `<database>_<name>` in lowercase ASCII letters, digits and underscores.
fn default_login(database: &str, name: &str, member_id: i64) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    let slug = slug.trim_end_matches('_');
    let slug = if slug.is_empty() { format!("member{member_id}") } else { slug.to_string() };
    let mut login = format!("{}_{slug}", database.to_ascii_lowercase());
    login.truncate(63);
    login
}

/// `postgres://owner@host/db` with `login` as its user.
fn url_for(shown: &str, login: &str) -> String {
    match shown.find("://") {
        Some(scheme) => {
            let rest = &shown[scheme + 3..];
            let host = match rest.find('@') {
                Some(at) => &rest[at + 1..],
                None => rest,
            };
            format!("{}{login}@{host}", &shown[..scheme + 3])
        }
        None => shown.to_string(),
    }
}

fn member_view(tx: &Tx, login: db::Login) -> AppResult<TeamMemberView> {
    let member = member_or_404(tx, login.member_id)?;
    let projects = db::member_projects(tx, login.member_id)?
        .into_iter()
        .map(|id| Ok(ProjectName { id, name: cat::project(tx, id)?.map(|p| p.name).unwrap_or_default() }))
        .collect::<AppResult<_>>()?;
    Ok(TeamMemberView { member, login: login.login, role: login.role, active: login.active, projects })
}

fn login_or_404(tx: &Tx, member_id: i64) -> AppResult<db::Login> {
    let m = member_or_404(tx, member_id)?;
    db::login_of_member(tx, member_id)?
        .ok_or_else(|| AppError::conflict(format!("{} has no login to the team books", m.name)))
}

fn check_projects(tx: &Tx, ids: &[i64]) -> AppResult<()> {
    for id in ids {
        cat::project(tx, *id)?.ok_or_else(|| AppError::invalid("project", format!("project {id} does not exist")))?;
    }
    Ok(())
}

impl Billable {
    /// Who is connected: the role and member of this connection (on a
    /// file: its owner, no member).
    pub fn team_role(&mut self) -> AppResult<TeamRoleView> {
        self.read("read who is connected", |tx, _| {
            let Some(session) = tx.team().cloned() else {
                return Ok(TeamRoleView { team: false, role: TeamRole::Owner, login: None, member: None });
            };
            let member = session.member_id.map(|id| cat::member(tx, id)).transpose()?.flatten();
            Ok(TeamRoleView { team: true, role: session.role, login: Some(session.login), member })
        })
    }

    /// Gives this connection's login to team books a new password (any
    /// role may change its own). The connection stays open; the next one
    /// needs the new password. A books file has no logins.
    pub fn change_team_password(&mut self, new: &Sensitive<String>) -> AppResult<()> {
        check_new_password("new_password", new.expose())?;
        self.write("change the password", |tx, _| {
            if tx.engine() == Engine::Sqlite {
                return Err(AppError::invalid("new_password", "only team books have logins with passwords"));
            }
            db::change_own_password(tx, new.expose())?;
            Ok(())
        })
    }

    /// Every member with a login to the team books.
    pub fn team_members(&mut self) -> AppResult<Vec<TeamMemberView>> {
        self.read("list the team's members", |tx, _| db::logins(tx)?.into_iter().map(|l| member_view(tx, l)).collect())
    }

    /// Adds a member to the team books: their member row (or an existing
    /// one of that name without a login), their database login in the
    /// role's group, and the projects they are on. Only an owner may; the
    /// database refuses anyone else.
    pub fn add_team_member(&mut self, i: TeamMemberInput) -> AppResult<TeamMemberAdded> {
        let role = parse_role(i.role.as_deref())?;
        let name = require_name("name", &i.name)?;
        let email = match i.email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(e) => Some(validate_email("email", e)?),
        };
        let (password, generated) = match i.password.as_deref() {
            Some(p) => {
                check_new_password("password", p)?;
                (p.to_string(), false)
            }
            None => (generate_password()?, true),
        };
        if let Some(l) = &i.login {
            if !db::valid_login(l) {
                return Err(AppError::invalid(
                    "login",
                    format!("'{l}' is not a login name: up to 63 lowercase letters, digits and _, not starting with a digit"),
                ));
            }
        }
        let shown = self.location.clone().unwrap_or_default();
        self.write("add the team member", |tx, clock| {
            let names = db::names(tx)?;
            check_projects(tx, &i.projects)?;
            let existing = cat::members(tx, true)?.into_iter().find(|m| m.name.to_lowercase() == name.to_lowercase());
            let member = match existing {
                Some(m) => {
                    if let Some(l) = db::login_of_member(tx, m.id)?.filter(|l| l.active) {
                        return Err(AppError::conflict(format!("{} already logs in as {}", m.name, l.login)));
                    }
                    let mut m = m;
                    if let Some(e) = &email {
                        m.email = e.clone();
                    }
                    m.archived = false;
                    cat::update_member(tx, &m)?;
                    m
                }
                None => {
                    let mut m = Member {
                        id: 0,
                        name: name.clone(),
                        email: email.clone().unwrap_or_default(),
                        default_rate: None,
                        archived: false,
                    };
                    m.id = cat::insert_member(tx, &m)?;
                    m
                }
            };
            let login = i.login.clone().unwrap_or_else(|| default_login(&names.database, &member.name, member.id));
            let ours = db::logins(tx)?.into_iter().find(|l| l.login == login);
            match &ours {
                Some(l) if l.member_id != member.id => {
                    return Err(AppError::invalid("login", format!("{login} is another member's login")));
                }
                None if db::role_exists(tx, &login)? => {
                    return Err(AppError::invalid(
                        "login",
                        format!("a database role named {login} exists on this server already; choose another login"),
                    ));
                }
                _ => {}
            }
            db::create_login(tx, &login, &password, member.id, role, clock.now().timestamp())?;
            db::assign_projects(tx, member.id, &i.projects, &[])?;
            let view = member_view(tx, login_or_404(tx, member.id)?)?;
            Ok(TeamMemberAdded {
                url: url_for(&shown, &view.login),
                password: generated.then(|| password.clone()),
                member: view,
            })
        })
    }

    /// Gives a member another role (from their next connection on).
    pub fn set_team_role(&mut self, member_id: i64, role: &str) -> AppResult<TeamMemberView> {
        let role = parse_role(Some(role))?;
        self.write("change the member's role", |tx, _| {
            let l = login_or_404(tx, member_id)?;
            if !l.active {
                return Err(AppError::conflict(format!("{} was removed; add them again", l.login)));
            }
            db::set_role(tx, &l.login, role)?;
            member_view(tx, login_or_404(tx, member_id)?)
        })
    }

    /// Removes a member from the team books: their login can no longer
    /// connect and belongs to no role; the member is archived, their time
    /// entries stay.
    pub fn remove_team_member(&mut self, member_id: i64) -> AppResult<TeamMemberView> {
        self.write("remove the team member", |tx, _| {
            let l = login_or_404(tx, member_id)?;
            db::disable_login(tx, &l.login)?;
            let mut m = member_or_404(tx, member_id)?;
            m.archived = true;
            cat::update_member(tx, &m)?;
            member_view(tx, login_or_404(tx, member_id)?)
        })
    }

    /// Puts a member on projects and takes them off others.
    pub fn set_member_projects(&mut self, member_id: i64, add: &[i64], remove: &[i64]) -> AppResult<TeamMemberView> {
        self.write("change the member's projects", |tx, _| {
            let l = login_or_404(tx, member_id)?;
            check_projects(tx, add)?;
            db::assign_projects(tx, member_id, add, remove)?;
            member_view(tx, l)
        })
    }

    /// Lays the team layer (roles, grants, row-level security, the members'
    /// views) on team books: `billable team init`.
    pub fn lay_team_roles(&mut self) -> AppResult<()> {
        self.store.lay_team_roles().map_err(|e| AppError::from(e).during("set up the team's roles"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_logins_are_the_database_and_the_name_in_plain_letters() {
        assert_eq!(default_login("books", "Ana Lima", 3), "books_ana_lima");
        assert_eq!(default_login("Studio", "José  O'Brien", 4), "studio_jos_o_brien");
        assert_eq!(default_login("books", "李", 7), "books_member7");
        assert!(db::valid_login(&default_login("books", &"x".repeat(100), 1)));
    }

    #[test]
    fn member_urls_carry_the_login_and_no_password() {
        assert_eq!(
            url_for("postgres://owner@db.example:5433/books", "books_ana"),
            "postgres://books_ana@db.example:5433/books"
        );
        assert_eq!(
            url_for("postgresql://db.example/books?sslmode=require", "b_x"),
            "postgresql://b_x@db.example/books?sslmode=require"
        );
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_eq!(a.len(), GENERATED_PASSWORD_LEN);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }
}
