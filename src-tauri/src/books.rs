//! The open books, shared by every command: one [`Billable`] behind a lock,
//! and the one place where an [`AppError`] becomes the `{code, message,
//! field}` body the frontend sees.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use billable_app::connection::{self, PasswordChangeInput, PasswordChanged, TeamServer, TeamServerInput};
use billable_app::core::model::{Client, Project, RunningTimer, Task};
use billable_app::views::{TimerStarted, TimerStopped, TimerView};
use billable_app::{EntryInput, TimerStartInput};
use chrono::{DateTime, Utc};

use crate::kept_timer::{self, KeptTimer, Pending};
use billable_app::{
    AppError, AppResult, Billable, BooksLocation, Clock, ErrorBody, FixedClock, OsKeyring, SecretStore, Sensitive,
    SystemClock,
};
use serde::{Deserialize, Serialize};

/// What every command returns: its view, or the error body.
pub type Reply<T> = Result<T, ErrorBody>;

/// Tauri state: the books, opened at start-up — or why they could not be
/// (a read-only folder, a full disk, a file from a newer Billable, a team
/// server out of reach): then every command answers with that error, and
/// the window shows it through the same `{code, message, field}` path as any
/// other. The books can be changed while the app runs (Data → Where your
/// books live): a file on this computer, or team books on a server.
pub struct Books {
    open: Mutex<Opened>,
    /// Names read from team books, to show a timer started while the
    /// server is out of reach.
    names: Mutex<Names>,
}

/// The clients', projects', tasks' and member's names last read from the
/// team books in this run.
#[derive(Debug, Default)]
struct Names {
    clients: HashMap<i64, String>,
    /// Project id → (client id, project name).
    projects: HashMap<i64, (i64, String)>,
    tasks: HashMap<i64, String>,
    /// The connected member: id and name.
    member: Option<(i64, String)>,
}

struct Opened {
    place: Place,
    books: Result<Billable, ErrorBody>,
    /// Why the team books' password could not be kept in the keyring.
    keyring_problem: Option<String>,
}

/// Where the books are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A books file on this computer.
    File(PathBuf),
    /// Team books connected to in the window; the password is in the keyring.
    Team(TeamServer),
    /// Team books named by a URL in `BILLABLE_DB`.
    TeamUrl(String),
    /// Books in memory (tests).
    Memory,
}

/// The saved choice of books (`books.json` in the user's config folder):
/// team books, or none for the file in the data folder.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Choice {
    #[serde(default)]
    team: Option<TeamServer>,
}

/// Where the books are and whether they are open, for the window.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct BooksPlace {
    /// `file` or `team`.
    pub kind: String,
    /// The file's path, or `user@host:port/database` (never a password).
    pub shown: String,
    /// The team books' server, when connected to in the window.
    pub team: Option<TeamServer>,
    /// Whether the team books' password is kept in the keyring.
    pub password_kept: bool,
    /// Started with `BILLABLE_DB`: a choice made in the window is used now
    /// and saved, but the variable wins at the next start.
    pub from_environment: bool,
    /// Why the books could not be opened, when they are not.
    pub error: Option<ErrorBody>,
    /// Why the password could not be kept in the keyring.
    pub keyring_problem: Option<String>,
}

impl Books {
    pub fn new(billable: Billable) -> Books {
        Books::with(Place::Memory, Ok(billable))
    }

    fn with(place: Place, books: Result<Billable, ErrorBody>) -> Books {
        Books { open: Mutex::new(Opened { place, books, keyring_problem: None }), names: Mutex::default() }
    }

    /// Books that could not be opened, for the reason given.
    pub fn unavailable(error: &AppError) -> Books {
        Books::with(Place::Memory, Err(error.to_body()))
    }

    /// Opens the books the app was started for: `BILLABLE_DB` when set (a
    /// file's path or a team URL), else the choice saved in the window
    /// (team books, with the password from the keyring), else `billable.db`
    /// in the user's data folder (the same file the `billable` command line
    /// uses). `BILLABLE_NOW` (RFC 3339) fixes the clock. Books that cannot
    /// be opened still give a window, which says why.
    pub fn open_from_env() -> Books {
        let place = match std::env::var_os("BILLABLE_DB").filter(|v| !v.is_empty()) {
            Some(v) => match BooksLocation::of(Path::new(&v)) {
                BooksLocation::File(path) => Place::File(path),
                BooksLocation::Team(url) => Place::TeamUrl(url),
            },
            None => match load_choice().team {
                Some(server) => Place::Team(server),
                None => match default_path() {
                    Ok(path) => Place::File(path),
                    Err(e) => return Books::unavailable(&e),
                },
            },
        };
        let books = open_place(&place).map_err(|e| {
            eprintln!("Billable could not open its books: {e}");
            e.to_body()
        });
        Books::with(place, books)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Opened> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Where the books are, and why they are not open when they are not.
    pub fn place(&self) -> BooksPlace {
        let opened = self.lock();
        let (kind, shown, team) = match &opened.place {
            Place::File(path) => ("file", path.display().to_string(), None),
            Place::Team(server) => ("team", server.shown(), Some(server.clone())),
            Place::TeamUrl(url) => ("team", BooksLocation::Team(url.clone()).shown(), None),
            Place::Memory => ("file", "in memory".to_string(), None),
        };
        let password_kept =
            team.as_ref().is_some_and(|s| connection::password_kept(s, &team_keyring()).unwrap_or(false));
        BooksPlace {
            kind: kind.to_string(),
            shown,
            team,
            password_kept,
            from_environment: std::env::var_os("BILLABLE_DB").is_some_and(|v| !v.is_empty()),
            error: opened.books.as_ref().err().cloned(),
            keyring_problem: opened.keyring_problem.clone(),
        }
    }

    /// Connects to team books: the password typed, or the one kept for this
    /// login. The books open now stay open when the connection fails. Once
    /// connected the choice is saved, and the password kept in the keyring
    /// when `remember` (removed from it otherwise).
    pub fn connect_team(
        &self,
        input: &TeamServerInput,
        password: Option<String>,
        remember: bool,
    ) -> AppResult<BooksPlace> {
        let server = TeamServer::parse(input)?;
        let connected =
            connection::connect_team_books(&server, password.map(Sensitive::new), remember, &team_keyring(), clock()?)?;
        save_choice(&Choice { team: Some(server.clone()) })?;
        let (billable, keyring_problem) = (connected.books, connected.keyring_problem);
        let mut opened = self.lock();
        *opened = Opened { place: Place::Team(server), books: Ok(billable), keyring_problem };
        drop(opened);
        Ok(self.place())
    }

    /// Changes the password of the login to the team books connected to in
    /// the window (the keyring keeps the new one when it kept the old).
    pub fn change_team_password(&self, input: &PasswordChangeInput) -> AppResult<PasswordChanged> {
        let server = match &self.lock().place {
            Place::Team(server) => server.clone(),
            Place::TeamUrl(_) => {
                return Err(AppError::invalid(
                    "books",
                    "these team books were opened with the address in BILLABLE_DB, which holds the password",
                ))
            }
            Place::File(_) | Place::Memory => {
                return Err(AppError::invalid("books", "a books file on this computer has no password"))
            }
        };
        connection::change_team_password(&server, input, &team_keyring(), clock()?)
    }

    /// Goes back to the books file on this computer.
    pub fn use_file(&self) -> AppResult<BooksPlace> {
        let path = default_path()?;
        let billable = open_place(&Place::File(path.clone()))?;
        save_choice(&Choice::default())?;
        *self.lock() = Opened { place: Place::File(path), books: Ok(billable), keyring_problem: None };
        Ok(self.place())
    }

    /// Tries again to open the books that could not be opened (a team
    /// server that was out of reach). Open books are left as they are.
    pub fn reconnect(&self) -> BooksPlace {
        let place = {
            let opened = self.lock();
            if opened.books.is_ok() {
                drop(opened);
                return self.place();
            }
            opened.place.clone()
        };
        if place != Place::Memory {
            let books = open_place(&place).map_err(|e| e.to_body());
            self.lock().books = books;
        }
        self.place()
    }

    /// A second connection to the same books, for work in the background
    /// that must not hold up the commands (sending email). `None` when the
    /// books live in memory or could not be opened.
    pub fn open_another(&self) -> AppResult<Option<Billable>> {
        let place = {
            let opened = self.lock();
            match &opened.books {
                Ok(_) => opened.place.clone(),
                Err(_) => Place::Memory,
            }
        };
        match place {
            Place::Memory => Ok(None),
            other => open_place(&other).map(Some),
        }
    }

    /// Runs one use case that waits on the network (a mail server) on its
    /// own connection to the books, so the other commands are not held up
    /// meanwhile; on the shared one when the books have no file.
    pub fn call_apart<T>(&self, f: impl FnOnce(&mut Billable) -> AppResult<T>) -> Reply<T> {
        match self.open_another() {
            Ok(Some(mut billable)) => f(&mut billable).map_err(|e| e.to_body()),
            Ok(None) => self.call(f),
            Err(e) => Err(e.to_body()),
        }
    }

    /// Runs `f` on a thread of its own, outside the async runtime, and
    /// waits for it: for the commands that wait on a mail server (the mail
    /// client runs its own small runtime, which cannot start on a thread of
    /// another) or read a large file. The window's thread is never held.
    pub fn off_thread<T: Send>(&self, f: impl FnOnce(&Books) -> Reply<T> + Send) -> Reply<T> {
        std::thread::scope(|scope| {
            scope.spawn(|| f(self)).join().unwrap_or_else(|_| {
                Err(AppError::conflict("the operation stopped unexpectedly; nothing was written").to_body())
            })
        })
    }

    /// Runs one use case on the books. On team books, a timer stopped while
    /// the server was out of reach goes into the books first; a server that
    /// goes away leaves the books closed (each command then says so at
    /// once) until they are opened again ([`Books::reconnect`]).
    pub fn call<T>(&self, f: impl FnOnce(&mut Billable) -> AppResult<T>) -> Reply<T> {
        // A panic in another command cannot leave the books half-written
        // (each use case is one transaction), so a poisoned lock is usable.
        let mut opened = self.lock();
        let team = team_shown(&opened.place);
        let Opened { books, .. } = &mut *opened;
        let result = match books {
            Ok(billable) => {
                if let Some(shown) = &team {
                    settle_kept_stop(billable, shown);
                }
                f(billable).map_err(|e| e.to_body())
            }
            Err(why) => Err(why.clone()),
        };
        if let Err(e) = &result {
            if team.is_some() && e.code == UNREACHABLE {
                opened.books = Err(e.clone());
            }
        }
        result
    }

    /// The team books' name as shown, when the books are team books.
    pub fn team_books(&self) -> Option<String> {
        team_shown(&self.lock().place)
    }

    /// The running timer. On team books it is also kept on this computer,
    /// and shown from there while the server is out of reach.
    pub fn timer_status(&self) -> Reply<Option<TimerView>> {
        let result = self.call(|b| b.timer_status(None));
        let Some(shown) = self.team_books() else { return result };
        match result {
            Ok(timer) => {
                match &timer {
                    Some(t) => {
                        self.remember_member(t.timer.member_id, &t.member_name);
                        keep_running(&shown, t)
                    }
                    None => kept_timer::clear(),
                }
                Ok(timer)
            }
            Err(e) if away(&e.code) => match kept_timer::load(&shown) {
                Some(kept) if kept.stopped_at.is_none() => {
                    let mut t = kept.timer;
                    t.elapsed_seconds = t.timer.elapsed_seconds(Utc::now());
                    Ok(Some(t))
                }
                Some(_) => Ok(None),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// Starts the timer; on team books the start is kept on this computer
    /// too. While the team server is out of reach the timer starts on this
    /// computer (on a project the window has read from the books) and goes
    /// into the books, from the moment it was started, when they are back.
    pub fn timer_start(&self, input: TimerStartInput) -> Reply<TimerStarted> {
        let result = self.call(|b| b.timer_start(input.clone()));
        let Some(shown) = self.team_books() else { return result };
        match result {
            Ok(started) => {
                self.remember_member(started.timer.timer.member_id, &started.timer.member_name);
                keep_running(&shown, &started.timer);
                Ok(started)
            }
            Err(e) if away(&e.code) => self.start_here(&shown, input).ok_or(e),
            Err(e) => Err(e),
        }
    }

    /// A timer started on this computer while the team server is out of
    /// reach; none when the window has not read the project's names.
    fn start_here(&self, shown: &str, input: TimerStartInput) -> Option<TimerStarted> {
        let names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        let (client_id, project_name) = names.projects.get(&input.project_id)?.clone();
        let client_name = names.clients.get(&client_id)?.clone();
        let task_name = match input.task_id {
            Some(id) => Some(names.tasks.get(&id)?.clone()),
            None => None,
        };
        let (member_id, member_name) = names.member.clone().unwrap_or_default();
        drop(names);
        let now = Utc::now();
        let description = input.description.unwrap_or_default().trim().to_string();
        let billable = input.billable.unwrap_or(true);
        // The timer running here, if any, stops at this moment.
        let (stopped, mut pending) = match kept_timer::load(shown) {
            Some(mut previous) => (previous.stop_here(now), previous.pending),
            None => (None, Vec::new()),
        };
        pending.push(Pending::Start {
            project_id: input.project_id,
            task_id: input.task_id,
            description: description.clone(),
            billable,
            at: now,
        });
        let timer = TimerView {
            timer: RunningTimer {
                member_id,
                project_id: input.project_id,
                task_id: input.task_id,
                description,
                billable,
                started_at: now,
            },
            client_name,
            project_name,
            task_name,
            member_name,
            elapsed_seconds: 0,
        };
        let kept = KeptTimer { books: shown.to_string(), timer, stopped_at: None, pending };
        kept_timer::save(&kept);
        Some(TimerStarted { timer: kept.timer, stopped })
    }

    /// Stops the timer. While the team server is out of reach, the stop is
    /// kept on this computer (the entry is made when the server is back).
    pub fn timer_stop(&self) -> Reply<TimerStopped> {
        let result = self.call(|b| b.timer_stop(None));
        let Some(shown) = self.team_books() else { return result };
        match result {
            Ok(stopped) => {
                kept_timer::clear();
                Ok(stopped)
            }
            Err(e) if away(&e.code) => {
                let mut kept = kept_timer::load(&shown).ok_or_else(|| e.clone())?;
                let stopped = kept.stop_here(Utc::now()).ok_or(e)?;
                kept_timer::save(&kept);
                Ok(stopped)
            }
            Err(e) => Err(e),
        }
    }

    /// Keeps the clients' names the window read, for a timer started while
    /// the team server is out of reach.
    pub fn remember_clients(&self, list: &[Client]) {
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        names.clients.extend(list.iter().map(|c| (c.id, c.name.clone())));
    }

    pub fn remember_projects(&self, list: &[Project]) {
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        names.projects.extend(list.iter().map(|p| (p.id, (p.client_id, p.name.clone()))));
    }

    pub fn remember_tasks(&self, list: &[Task]) {
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        names.tasks.extend(list.iter().map(|t| (t.id, t.name.clone())));
    }

    fn remember_member(&self, id: i64, name: &str) {
        self.names.lock().unwrap_or_else(PoisonError::into_inner).member = Some((id, name.to_string()));
    }

    /// A timer stopped on this computer while the team server was out of
    /// reach, not yet in the books.
    pub fn kept_stop(&self) -> Option<KeptStop> {
        let shown = self.team_books()?;
        let kept = kept_timer::load(&shown)?;
        let stopped_at = kept.stopped_at?;
        Some(KeptStop { project_name: kept.timer.project_name, started_at: kept.timer.timer.started_at, stopped_at })
    }
}

/// The error code of team books out of reach.
const UNREACHABLE: &str = "team_books_unreachable";

/// Whether an error means the team books cannot be worked on from here now
/// (out of reach, or the login refused since the password was changed
/// elsewhere): the timer is then kept on this computer.
fn away(code: &str) -> bool {
    code == UNREACHABLE || code == "team_books_refused"
}

/// A timer stopped on this computer, waiting for the team server.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct KeptStop {
    pub project_name: String,
    pub started_at: DateTime<Utc>,
    pub stopped_at: DateTime<Utc>,
}

fn team_shown(place: &Place) -> Option<String> {
    match place {
        Place::Team(server) => Some(server.shown()),
        Place::TeamUrl(url) => Some(BooksLocation::Team(url.clone()).shown()),
        Place::File(_) | Place::Memory => None,
    }
}

fn keep_running(shown: &str, timer: &TimerView) {
    let kept = KeptTimer { books: shown.to_string(), timer: timer.clone(), stopped_at: None, pending: Vec::new() };
    if kept_timer::load(shown).as_ref() != Some(&kept) {
        kept_timer::save(&kept);
    }
}

/// What was done to the timer on this computer while the team server was
/// out of reach goes into the team books, in order and at the moments it was
/// done: a stop ends the timer there, a start begins one then (a stop after
/// it makes its entry). Each step done leaves the copy; the server going
/// away again keeps the rest for the next time.
fn settle_kept_stop(billable: &mut Billable, shown: &str) {
    let Some(mut kept) = kept_timer::load(shown) else { return };
    if kept.pending.is_empty() {
        return;
    }
    while let Some(step) = kept.pending.first().cloned() {
        let done = match &step {
            Pending::Stop { at } => billable.timer_idle(None, &at.to_rfc3339(), false).map(|_| ()),
            Pending::Start { project_id, task_id, description, billable: bill, at } => billable
                .timer_start(TimerStartInput {
                    project_id: *project_id,
                    task_id: *task_id,
                    description: Some(description.clone()),
                    member_id: None,
                    billable: Some(*bill),
                    started_at: Some(at.to_rfc3339()),
                })
                .map(|_| ()),
        };
        match done {
            Ok(()) => {}
            Err(e) if away(&e.to_body().code) => {
                kept_timer::save(&kept);
                return;
            }
            // A timer started since on another computer is running: the one
            // started here becomes an entry up to its own stop or that start,
            // and the other keeps running.
            Err(e) if matches!(step, Pending::Start { .. }) && e.to_body().code == "conflict" => {
                let stop = match kept.pending.get(1) {
                    Some(Pending::Stop { at }) => Some(*at),
                    _ => None,
                };
                if stop.is_some() {
                    kept.pending.remove(1);
                }
                if let Err(e) = record_started_here(billable, &step, stop) {
                    if away(&e.to_body().code) {
                        kept_timer::save(&kept);
                        return;
                    }
                    eprintln!(
                        "Billable: the timer started while the team server was out of reach was not recorded: {e}"
                    );
                }
            }
            // Stopped elsewhere meanwhile (no timer to stop): the books are
            // right as they are.
            Err(e) => {
                eprintln!("Billable: a timer change made while the team server was out of reach was not recorded: {e}")
            }
        }
        kept.pending.remove(0);
    }
    kept_timer::clear();
}

/// A timer started here that cannot run in the books (a later one runs
/// there): its time as an entry, from its start to its stop here or to the
/// later timer's start.
fn record_started_here(billable: &mut Billable, step: &Pending, stop: Option<DateTime<Utc>>) -> AppResult<()> {
    let Pending::Start { project_id, task_id, description, billable: bill, at } = step else { return Ok(()) };
    let end = match stop {
        Some(end) => end,
        None => match billable.timer_status(None)? {
            Some(running) => running.timer.started_at,
            None => return Ok(()),
        },
    };
    if end <= *at {
        return Ok(());
    }
    billable.add_entry(EntryInput {
        project_id: Some(*project_id),
        task_id: Some(*task_id),
        description: Some(description.clone()),
        billable: Some(*bill),
        start: Some(at.to_rfc3339()),
        end: Some(end.to_rfc3339()),
        ..Default::default()
    })?;
    Ok(())
}

fn open_place(place: &Place) -> AppResult<Billable> {
    match place {
        Place::File(path) => {
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(|e| {
                    AppError::invalid("BILLABLE_DB", format!("could not create the folder {}: {e}", folder.display()))
                })?;
            }
            Billable::open(path, clock()?)
        }
        Place::Team(server) => connection::reopen_team_books(server, &team_keyring(), clock()?),
        Place::TeamUrl(url) => Billable::open_postgres(url, clock()?),
        Place::Memory => Billable::in_memory(clock()?),
    }
}

fn team_keyring() -> Arc<dyn SecretStore> {
    Arc::new(OsKeyring::TEAM_BOOKS)
}

fn choice_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("app", "Billable", "Billable").map(|d| d.config_dir().join("books.json"))
}

/// The saved choice; none (the file) when there is none or it cannot be read.
fn load_choice() -> Choice {
    let Some(path) = choice_path() else { return Choice::default() };
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            eprintln!("Billable: {} is not readable ({e}); using the books on this computer", path.display());
            Choice::default()
        }),
        Err(_) => Choice::default(),
    }
}

/// Saves the choice whole or not at all (written aside, then renamed).
fn save_choice(choice: &Choice) -> AppResult<()> {
    let path = choice_path().ok_or_else(|| AppError::invalid("books", "no user config folder was found"))?;
    let failed =
        |e: std::io::Error| AppError::invalid("books", format!("could not save the choice in {}: {e}", path.display()));
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(failed)?;
    }
    let aside = path.with_extension("json.new");
    let json = serde_json::to_vec_pretty(choice).map_err(|e| AppError::invalid("books", e.to_string()))?;
    std::fs::write(&aside, json).map_err(failed)?;
    std::fs::rename(&aside, &path).map_err(failed)
}

fn default_path() -> AppResult<PathBuf> {
    directories::ProjectDirs::from("app", "Billable", "Billable")
        .map(|d| d.data_dir().join("billable.db"))
        .ok_or_else(|| AppError::invalid("BILLABLE_DB", "no user data folder was found; set BILLABLE_DB"))
}

fn clock() -> AppResult<Box<dyn Clock>> {
    match std::env::var("BILLABLE_NOW") {
        Ok(v) if !v.trim().is_empty() => FixedClock::parse(&v)
            .map(|c| Box::new(c) as Box<dyn Clock>)
            .ok_or_else(|| AppError::invalid("BILLABLE_NOW", format!("'{v}' is not an RFC 3339 time"))),
        _ => Ok(Box::new(SystemClock)),
    }
}

#[cfg(test)]
mod tests {
    use billable_app::{ClientInput, EntryListInput, ProjectInput};

    use super::*;

    const NOW: &str = "2026-12-07T12:00:00Z";
    const BOOKS: &str = "billable@db.test:5432/books";

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// Books with two projects, the clock at NOW.
    fn books() -> (Billable, i64, i64) {
        let mut b = Billable::in_memory(Box::new(FixedClock::parse(NOW).unwrap())).unwrap();
        let c = b.create_client(ClientInput { name: Some("Acme".into()), ..Default::default() }).unwrap();
        let project = |b: &mut Billable, name: &str| {
            b.create_project(ProjectInput { client_id: Some(c.id), name: Some(name.into()), ..Default::default() })
                .unwrap()
                .id
        };
        let (one, two) = (project(&mut b, "Website"), project(&mut b, "Shop"));
        (b, one, two)
    }

    fn start(b: &mut Billable, project_id: i64, started: &str) {
        b.timer_start(TimerStartInput { project_id, started_at: Some(started.into()), ..Default::default() }).unwrap();
    }

    fn started_here(project_id: i64, when: &str) -> Pending {
        Pending::Start { project_id, task_id: None, description: "here".into(), billable: true, at: at(when) }
    }

    fn keep(pending: Vec<Pending>, stopped_at: Option<&str>) {
        let timer = TimerView {
            timer: RunningTimer {
                member_id: 1,
                project_id: 0,
                task_id: None,
                description: String::new(),
                billable: true,
                started_at: at(NOW),
            },
            client_name: String::new(),
            project_name: String::new(),
            task_name: None,
            member_name: String::new(),
            elapsed_seconds: 0,
        };
        kept_timer::save(&KeptTimer { books: BOOKS.into(), timer, stopped_at: stopped_at.map(at), pending });
    }

    /// (project, start, seconds) of every entry, oldest first.
    fn entries(b: &mut Billable) -> Vec<(i64, DateTime<Utc>, i64)> {
        let mut all: Vec<_> = b
            .entries(EntryListInput::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.entry.project_id, e.entry.start_at.unwrap(), e.entry.seconds))
            .collect();
        all.sort_by_key(|e| e.1);
        all
    }

    fn running(b: &mut Billable) -> Option<(i64, DateTime<Utc>)> {
        b.timer_status(None).unwrap().map(|t| (t.timer.project_id, t.timer.started_at))
    }

    /// What was done to the timer while the team server was away reaches
    /// the books in order and at its moments, whatever ran there meanwhile;
    /// the copy goes once it has.
    #[test]
    fn steps_kept_while_the_server_was_away_reach_the_books_at_their_moments() {
        let dir = tempfile::tempdir().unwrap();
        std::env::set_var("BILLABLE_KEPT_TIMER_DIR", dir.path());
        let file = dir.path().join("kept-timer.json");

        // The books' timer stopped here, another started here: one entry
        // up to the stop, the new timer running from its start.
        let (mut b, web, shop) = books();
        start(&mut b, web, "2026-12-07T09:00:00Z");
        keep(vec![Pending::Stop { at: at("2026-12-07T10:00:00Z") }, started_here(shop, "2026-12-07T10:30:00Z")], None);
        settle_kept_stop(&mut b, BOOKS);
        assert_eq!(entries(&mut b), vec![(web, at("2026-12-07T09:00:00Z"), 3600)]);
        assert_eq!(running(&mut b), Some((shop, at("2026-12-07T10:30:00Z"))));
        assert!(!file.exists());

        // Started and stopped here: one entry of that length, nothing running.
        let (mut b, web, _) = books();
        keep(vec![started_here(web, "2026-12-07T10:00:00Z"), Pending::Stop { at: at("2026-12-07T10:45:00Z") }], None);
        settle_kept_stop(&mut b, BOOKS);
        assert_eq!(entries(&mut b), vec![(web, at("2026-12-07T10:00:00Z"), 45 * 60)]);
        assert_eq!(running(&mut b), None);

        // A timer started since on another computer keeps running; the one
        // started here ends at its stop here, or where the other began.
        for (stop, seconds) in [(Some("2026-12-07T10:20:00Z"), 20 * 60), (None, 30 * 60)] {
            let (mut b, web, shop) = books();
            start(&mut b, shop, "2026-12-07T10:30:00Z");
            let mut pending = vec![started_here(web, "2026-12-07T10:00:00Z")];
            pending.extend(stop.map(|s| Pending::Stop { at: at(s) }));
            keep(pending, None);
            settle_kept_stop(&mut b, BOOKS);
            assert_eq!(entries(&mut b), vec![(web, at("2026-12-07T10:00:00Z"), seconds)], "stopped here: {stop:?}");
            assert_eq!(running(&mut b), Some((shop, at("2026-12-07T10:30:00Z"))), "the other timer runs on");
            assert!(!file.exists());
        }

        // A copy from before starts were kept: its stop is what is pending.
        let (mut b, web, _) = books();
        start(&mut b, web, "2026-12-07T09:00:00Z");
        keep(Vec::new(), Some("2026-12-07T09:30:00Z"));
        settle_kept_stop(&mut b, BOOKS);
        assert_eq!(entries(&mut b), vec![(web, at("2026-12-07T09:00:00Z"), 1800)]);
        assert_eq!(running(&mut b), None);

        // Other books' copy is left alone.
        let (mut b, web, _) = books();
        keep(vec![started_here(web, "2026-12-07T10:00:00Z")], None);
        settle_kept_stop(&mut b, "someone@else:5432/books");
        assert_eq!(running(&mut b), None);
        assert!(file.exists());
    }
}
