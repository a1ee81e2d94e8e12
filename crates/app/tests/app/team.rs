//! Who is connected, and members' logins: a file has one person, its owner;
//! team books know each login's role and member. On team books (run with
//! `BILLABLE_TEST_DB=postgres`) a member added by the owner opens the books
//! with their own password, and the use cases run on what PostgreSQL lets
//! them see: their own timer beside the owner's, their own time, and no
//! invoices.

use billable_app::{
    AppError, Billable, BooksLocation, EntryInput, EntryListInput, InvoiceListInput, TeamMemberInput, TeamRole,
    TimerStartInput,
};

use crate::support::*;

#[test]
fn the_person_at_a_file_or_at_team_books_without_roles_is_their_owner() {
    let mut b = Books::new();
    let who = b.team_role().unwrap();
    assert_eq!(who.role, TeamRole::Owner);
    assert!(who.member.is_none());
    assert_eq!(who.team, on_postgres());
    if !on_postgres() {
        let err = b.add_team_member(TeamMemberInput { name: "Ana".into(), ..Default::default() }).unwrap_err();
        assert_eq!(err.code(), "not_for_team_books", "{err}");
        assert_eq!(b.scalar("SELECT count(*) FROM members WHERE name = 'Ana'"), 0);
    }
}

fn member_url(url: &str, login: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{login}:{password}@{host}")
}

#[test]
fn a_member_opens_team_books_with_their_password_and_sees_their_own_time() {
    if !on_postgres() {
        return;
    }
    let mut b = Books::new();
    let BooksLocation::Team(url) = b.location() else { unreachable!() };
    b.lay_team_roles().unwrap();
    let c = client(&mut b, "Acme", Some("EUR"), Some("120"));
    let web = project(&mut b, c.id, "Website", Some("150"));
    let added = b
        .add_team_member(TeamMemberInput {
            name: "Ana".into(),
            password: Some("ana-long-password".into()),
            projects: vec![web.id],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(added.member.role, TeamRole::Member);
    assert!(added.password.is_none());
    // The owner's own time, on the default member.
    b.add_entry(EntryInput {
        project_id: Some(web.id),
        date: Some("2026-05-08".into()),
        hours: Some("2".into()),
        ..Default::default()
    })
    .unwrap();
    b.timer_start(TimerStartInput { project_id: web.id, ..Default::default() }).unwrap();

    let mut ana =
        Billable::open_postgres(&member_url(&url, &added.member.login, "ana-long-password"), clock(NOW)).unwrap();
    let who = ana.team_role().unwrap();
    assert_eq!(who.role, TeamRole::Member);
    assert_eq!(who.member.as_ref().map(|m| m.id), Some(added.member.member.id));
    assert_eq!(who.login.as_deref(), Some(added.member.login.as_str()));

    // Her timer beside the owner's: two run at once.
    let started = ana.timer_start(TimerStartInput { project_id: web.id, ..Default::default() }).unwrap();
    assert_eq!(started.timer.member_name, "Ana");
    assert_eq!(b.timers().unwrap().len(), 2);
    assert_eq!(ana.timers().unwrap().len(), 1, "a member sees only her own timer");
    let mine = ana
        .add_entry(EntryInput {
            project_id: Some(web.id),
            date: Some("2026-05-09".into()),
            hours: Some("1".into()),
            ..Default::default()
        })
        .unwrap();
    let seen = ana.entries(EntryListInput::default()).unwrap();
    assert_eq!(seen.iter().map(|e| e.entry.id).collect::<Vec<_>>(), vec![mine.entry.id]);
    assert!(seen[0].amount.is_none(), "no rate reaches a member");
    assert_eq!(b.entries(EntryListInput::default()).unwrap().len(), 2, "the owner sees everyone's");

    let err = ana.invoices(InvoiceListInput::default()).unwrap_err();
    assert_eq!(err.code(), "not_permitted", "{err}");
    assert!(matches!(err, AppError::Store { .. }), "refused by the database: {err:?}");
    let owners = b.entries(EntryListInput::default()).unwrap();
    let theirs = owners.iter().find(|e| e.entry.id != mine.entry.id).unwrap().entry.id;
    let err = ana.delete_entry(theirs).unwrap_err();
    assert_eq!(err.code(), "not_permitted", "{err}");
    assert_eq!(b.entries(EntryListInput::default()).unwrap().len(), 2);
}

#[test]
fn a_member_changes_her_own_password_and_the_keyring_keeps_the_new_one() {
    use billable_app::connection::{self, PasswordChangeInput, TeamServer, TeamServerInput};
    use billable_app::{MemoryKeyring, SecretStore, Sensitive};
    use std::sync::Arc;

    let mut b = Books::new();
    let BooksLocation::Team(url) = b.location() else {
        // A books file has no logins: nothing to change, and it says so.
        let err = b.change_team_password(&Sensitive::new("a-long-new-password".to_string())).unwrap_err();
        assert_eq!(err.field(), Some("new_password"), "{err}");
        return;
    };
    b.lay_team_roles().unwrap();
    let c = client(&mut b, "Acme", Some("EUR"), Some("120"));
    project(&mut b, c.id, "Website", Some("150"));
    let added = b
        .add_team_member(TeamMemberInput {
            name: "Ana".into(),
            password: Some("ana-long-password".into()),
            ..Default::default()
        })
        .unwrap();
    let login = added.member.login.clone();
    let (_, rest) = url.split_once("://").unwrap();
    let host_part = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let (host_port, database) = host_part.split_once('/').unwrap();
    let (host, port) = host_port.rsplit_once(':').unwrap();
    let database = database.split('?').next().unwrap();
    let server = TeamServer::parse(&TeamServerInput {
        host: host.into(),
        port: port.into(),
        database: database.into(),
        user: login.clone(),
    })
    .unwrap();
    let keyring: Arc<dyn SecretStore> = Arc::new(MemoryKeyring::default());
    keyring.set(&server.keyring_account(), &Sensitive::new("ana-long-password".to_string())).unwrap();
    let change = |current: &str, new: &str, confirm: &str| {
        connection::change_team_password(
            &server,
            &PasswordChangeInput { current: current.into(), new: new.into(), confirm: confirm.into() },
            &keyring,
            clock(NOW),
        )
    };

    // Each wrong field is named, and the password stays as it was.
    for (current, new, confirm, field) in [
        ("", "ana-new-long-password", "ana-new-long-password", "current_password"),
        ("ana-long-password", "short", "short", "new_password"),
        ("ana-long-password", "ana-new-long-password", "ana-new-long-passwort", "confirm_password"),
        ("ana-long-password", "ana-long-password", "ana-long-password", "new_password"),
        ("not-her-password-at-all", "ana-new-long-password", "ana-new-long-password", "current_password"),
    ] {
        let err = change(current, new, confirm).unwrap_err();
        assert_eq!(err.field(), Some(field), "{err}");
    }
    Billable::open_postgres(&member_url(&url, &login, "ana-long-password"), clock(NOW))
        .expect("the old one still works");

    let changed = change("ana-long-password", "ana-new-long-password", "ana-new-long-password").unwrap();
    assert!(changed.kept && changed.keyring_problem.is_none());
    assert_eq!(keyring.get(&server.keyring_account()).unwrap().unwrap().expose(), "ana-new-long-password");
    let refused = Billable::open_postgres(&member_url(&url, &login, "ana-long-password"), clock(NOW)).err().unwrap();
    assert_eq!(refused.code(), "team_books_refused", "{refused}");
    assert!(refused.to_string().contains("refused the login"), "{refused}");
    let mut ana = Billable::open_postgres(&member_url(&url, &login, "ana-new-long-password"), clock(NOW)).unwrap();
    assert_eq!(ana.team_role().unwrap().role, TeamRole::Member);
    // A password that was not kept stays out of the keyring.
    keyring.delete(&server.keyring_account()).unwrap();
    let changed = change("ana-new-long-password", "ana-third-long-password", "ana-third-long-password").unwrap();
    assert!(!changed.kept);
    assert!(keyring.get(&server.keyring_account()).unwrap().is_none());
}
