//! `billable`: the command line. A thin client of billable-app: it parses
//! flags, calls one use case, and prints the result as a table or JSON.

mod args;
mod pdf;
mod print;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use billable_app::{AppError, Billable, Clock, FixedClock, SystemClock};
use clap::Parser;

use crate::args::Cli;

fn default_db() -> Result<PathBuf, AppError> {
    directories::ProjectDirs::from("app", "Billable", "Billable")
        .map(|d| d.data_dir().join("billable.db"))
        .ok_or_else(|| AppError::invalid("db", "no user data folder was found; pass --db PATH"))
}

/// `BILLABLE_NOW` (RFC 3339) fixes the clock, for scripts and tests.
fn clock() -> Result<Box<dyn Clock>, AppError> {
    match std::env::var("BILLABLE_NOW") {
        Ok(v) if !v.trim().is_empty() => FixedClock::parse(&v)
            .map(|c| Box::new(c) as Box<dyn Clock>)
            .ok_or_else(|| AppError::invalid("BILLABLE_NOW", format!("'{v}' is not an RFC 3339 time"))),
        _ => Ok(Box::new(SystemClock)),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    let result = (|| {
        let path = match &cli.db {
            Some(p) => p.clone(),
            None => default_db()?,
        };
        let mut app = Billable::open(&path, clock()?)?;
        run::run(&mut app, cli.command, json)
    })();
    match result {
        Ok(code) => code,
        Err(e) => {
            print::error(&e, json);
            ExitCode::from(1)
        }
    }
}
