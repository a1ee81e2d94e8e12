//! `billable`: the command line. A thin client of billable-app: it parses
//! flags, calls one use case, and prints the result as a table or JSON.

mod args;
mod dev;
mod mail;
mod pdf;
mod print;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use billable_app::{
    newest_good_backup, AppError, AutoBackup, Billable, BooksLocation, Clock, StoppedClock, SystemClock,
};

/// When the books cannot be opened because they are damaged, names the
/// newest good backup.
fn offer_backup(e: &AppError, path: &std::path::Path) {
    if e.code() != "storage" || !path.exists() {
        return;
    }
    if let Some(b) = newest_good_backup(path) {
        eprintln!(
            "The books could not be opened. The newest good backup is {} from {}: restore it by copying it over {} (keep the damaged file).",
            b.path.display(),
            b.created_at.format("%Y-%m-%d %H:%M UTC"),
            path.display()
        );
    }
}
use clap::Parser;

use crate::args::Cli;

/// `billable team init URL`: the schema in an empty database, or older team
/// books brought up to date, and the team's roles laid (again).
fn team_init(url: &str, clock: Box<dyn Clock>, json: bool) -> Result<ExitCode, AppError> {
    let location = BooksLocation::of(std::path::Path::new(url));
    let BooksLocation::Team(url) = &location else {
        return Err(AppError::invalid("url", format!("'{url}' is not a postgres:// URL")));
    };
    let mut app = Billable::open_postgres(url, clock)?;
    app.lay_team_roles()?;
    let version = app.schema_version()?;
    let shown = location.shown();
    if json {
        println!("{}", serde_json::json!({ "url": shown, "schema_version": version }));
    } else {
        println!("Team books are ready at {shown} (schema {version}). Use them with --db {shown} or BILLABLE_DB.");
    }
    Ok(ExitCode::SUCCESS)
}

/// `billable team migrate --from FILE --to URL`: a books file moved into
/// empty team books.
fn team_migrate(from: &std::path::Path, to: &str, json: bool) -> Result<ExitCode, AppError> {
    let started = std::time::Instant::now();
    let report = billable_app::migrate_to_team(from, to)?;
    if json {
        print::json(&report);
    } else {
        let rows: Vec<Vec<String>> = report
            .copied
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(t, n)| vec![t.clone(), n.to_string(), "copied".into()])
            .chain(
                report
                    .rebuilt
                    .iter()
                    .filter(|(_, n)| **n > 0)
                    .map(|(t, n)| vec![t.clone(), n.to_string(), "built by the team books".into()]),
            )
            .collect();
        print::line(&print::table(&["Table", "Rows", ""], rows, &[1]));
        print::line(&format!(
            "Moved {} rows of {} into the team books at {} in {:.1} s, checked against the file row by row. \
             Use them with --db {} or BILLABLE_DB.",
            report.rows,
            report.from,
            report.to,
            started.elapsed().as_secs_f64(),
            report.to
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn default_db() -> Result<PathBuf, AppError> {
    directories::ProjectDirs::from("app", "Billable", "Billable")
        .map(|d| d.data_dir().join("billable.db"))
        .ok_or_else(|| AppError::invalid("db", "no user data folder was found; pass --db PATH"))
}

/// `BILLABLE_NOW` (RFC 3339) stops the clock at that instant, for scripts and
/// tests; dates and local times are still in this computer's time zone (`TZ`).
fn clock() -> Result<Box<dyn Clock>, AppError> {
    match std::env::var("BILLABLE_NOW") {
        Ok(v) if !v.trim().is_empty() => StoppedClock::parse(&v)
            .map(|c| Box::new(c) as Box<dyn Clock>)
            .ok_or_else(|| AppError::invalid("BILLABLE_NOW", format!("'{v}' is not an RFC 3339 time"))),
        _ => Ok(Box::new(SystemClock)),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let json = cli.json;
    // Development tools work on files of their own, never on the books.
    let command = match cli.command {
        args::Command::Dev(cmd) => {
            return finish(clock().and_then(|clock| dev::dev(cmd, clock, json)), json);
        }
        other => other,
    };
    // `team init` and `team migrate` work on the books they name, not on those of --db.
    let command = match command {
        args::Command::Team(args::TeamCmd::Init { url }) => {
            return finish(clock().and_then(|clock| team_init(&url, clock, json)), json);
        }
        args::Command::Team(args::TeamCmd::Migrate { from, to }) => {
            return finish(team_migrate(&from, &to, json), json);
        }
        other => other,
    };
    let result = (|| {
        let path = match &cli.db {
            Some(p) => p.clone(),
            None => default_db()?,
        };
        let location = BooksLocation::of(&path);
        let mut app = match Billable::open_at(&location, clock()?) {
            Ok(app) => app,
            Err(e) => {
                offer_backup(&e, &path);
                return Err(e);
            }
        };
        // Backups of a file are made on start, at most daily (not while
        // managing backups); team books are backed up by their server.
        if matches!(location, BooksLocation::File(_)) && !matches!(command, args::Command::Backup(_)) {
            match app.auto_backup() {
                Ok(AutoBackup::Damaged { report }) => eprintln!("warning: {}", report.message),
                Ok(_) => {}
                Err(e) => eprintln!("warning: the automatic backup failed: {}", e.to_body().message),
            }
        }
        run::run(&mut app, command, json)
    })();
    finish(result, json)
}

/// A command line clap cannot read: its own text, or under `--json` the same
/// `{"error": …}` as every other error, with code `usage` and the argument
/// it is about as the field. Exit status 2, as clap's.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let wants_json = std::env::args_os().skip(1).take_while(|a| a != "--").any(|a| a == "--json");
    if !wants_json || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        e.exit();
    }
    let field = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    }
    .map(|arg| {
        let name = arg.split_whitespace().next().unwrap_or(&arg).to_string();
        name.trim_start_matches('-').trim_matches(|c| c == '<' || c == '>').to_ascii_lowercase().replace('-', "_")
    });
    let rendered = e.render().to_string();
    let mut message = rendered.lines().next().unwrap_or_default().trim_start_matches("error:").trim().to_string();
    if let Some(usage) = rendered.lines().find_map(|l| l.strip_prefix("Usage: ")) {
        message.push_str(&format!(" (usage: {})", usage.trim()));
    }
    let body = billable_app::ErrorBody { code: "usage".to_string(), message, field };
    print::json(&serde_json::json!({ "error": body }));
    ExitCode::from(2)
}

fn finish(result: Result<ExitCode, AppError>, json: bool) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            print::error(&e, json);
            ExitCode::from(1)
        }
    }
}
