//! `billable dev`: tools for developing and measuring Billable. They work on
//! files of their own and never open the user's books.

use std::process::ExitCode;
use std::time::Instant;

use billable_app::{AppResult, Billable, Clock, SeedInput, SeedOutcome};

use crate::args::DevCmd;
use crate::run::show;

pub fn dev(cmd: DevCmd, clock: Box<dyn Clock>, json: bool) -> AppResult<ExitCode> {
    match cmd {
        DevCmd::Seed(a) => {
            let started = Instant::now();
            let outcome = Billable::seed_books(
                &a.out,
                clock,
                SeedInput {
                    entries: a.entries,
                    clients: a.clients,
                    projects: a.projects,
                    invoices: a.invoices,
                    years: a.years,
                    seed: a.seed,
                },
            )?;
            let took = started.elapsed();
            show(json, &outcome, |o| seeded(o, took.as_millis()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn seeded(o: &SeedOutcome, millis: u128) -> String {
    let statuses: Vec<String> = o.statuses.iter().map(|(s, n)| format!("{n} {s}")).collect();
    format!(
        "Generated books in {} ({}.{} MB) in {}.{:03} s, from {} to {} (seed {}, generator {}):\n\
         {} team members, {} clients, {} projects, {} tasks\n\
         {} time entries: {} billed, {} unbilled\n\
         {} invoices ({}), {} lines, {} payments",
        o.path,
        o.bytes / 1_000_000,
        (o.bytes % 1_000_000) / 100_000,
        millis / 1000,
        millis % 1000,
        o.from,
        o.today,
        o.seed,
        o.generator_version,
        o.members,
        o.clients,
        o.projects,
        o.tasks,
        o.entries,
        o.billed_entries,
        o.unbilled_entries,
        o.invoices,
        statuses.join(", "),
        o.invoice_lines,
        o.payments,
    )
}
