//! A realistic Toggl Track detailed-report CSV of any size, for the import
//! tests and the import benchmark (`benches/import.rs`): Toggl's columns and
//! formats, a few hundred clients and projects, several users with rates,
//! tasks, tags, descriptions with commas and quotes, five years of dates in
//! order, some entries running past midnight. Deterministic: a seed gives
//! the same file every time.

use std::io::Write;
use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime};

/// The header of a Toggl Track detailed report exported as CSV.
pub const HEADER: [&str; 14] = [
    "User",
    "Email",
    "Client",
    "Project",
    "Task",
    "Description",
    "Billable",
    "Start date",
    "Start time",
    "End date",
    "End time",
    "Duration",
    "Tags",
    "Amount (EUR)",
];

const WORDS: [&str; 20] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Tyrell",
    "Wonka",
    "Stark",
    "Wayne",
    "Cyberdyne",
    "Gringotts",
    "Oceanic",
    "Nakatomi",
    "Monarch",
    "Aperture",
    "Massive",
    "Pied Piper",
    "Dunder",
];
const SUFFIXES: [&str; 10] = ["GmbH", "Ltd", "SAS", "Inc.", "& Co.", "B.V.", "S.L.", "AB", "Oy", "S.r.l."];
const PROJECTS: [&str; 10] = [
    "Website",
    "Mobile app",
    "Brand refresh",
    "Support, maintenance",
    "API integration",
    "Data migration",
    "SEO audit",
    "Intranet \"Hub\"",
    "Checkout",
    "Analytics",
];
const USERS: [(&str, &str, i64); 8] = [
    ("Ana Lima", "ana@studio.example", 120),
    ("Ben Ode", "ben@studio.example", 95),
    ("Chloé Martin", "chloe@studio.example", 110),
    ("Dev Patel", "dev@studio.example", 85),
    ("Eva Novak", "eva@studio.example", 130),
    ("Finn Berg", "finn@studio.example", 75),
    ("Gita Rao", "gita@studio.example", 100),
    ("Hugo Weiss", "hugo@studio.example", 90),
];
const TASKS: [&str; 5] = ["Design", "Development", "Meetings", "Review", "QA"];
const TAGS: [&str; 5] = ["", "", "urgent", "design, frontend", "meeting, client"];
const DESCRIPTIONS: [&str; 8] = [
    "Homepage layout",
    "Fix \"login\" bug, again",
    "Call with client, notes and follow-up",
    "Sprint planning",
    "Code review: checkout, payments",
    "Write \"Getting started\" guide",
    "Standup",
    "Deploy, smoke tests",
];

/// What a generated file holds, to check an import against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub rows: u64,
    pub seconds: i64,
    pub bytes: u64,
}

pub fn client_name(i: usize) -> String {
    format!("{} {}", WORDS[i % WORDS.len()], SUFFIXES[(i / WORDS.len()) % SUFFIXES.len()])
}

/// Writes `rows` rows for `clients` clients (five projects each; up to 200
/// clients have distinct names) spread over the five years from 2021-01-01,
/// in date order, as Toggl exports them.
pub fn write(path: &Path, rows: u64, clients: usize, seed: u64) -> Written {
    let clients = clients.clamp(1, WORDS.len() * SUFFIXES.len());
    let names: Vec<String> = (0..clients).map(client_name).collect();
    let mut rng = fastrand::Rng::with_seed(seed);
    let file = std::fs::File::create(path).expect("create the Toggl export");
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    w.write_record(HEADER).expect("write the header");
    let first = NaiveDate::from_ymd_opt(2021, 1, 1).expect("a date");
    let days: u64 = 5 * 365 + 1;
    let mut total = 0i64;
    let mut description = String::new();
    for i in 0..rows {
        let day = first + Duration::days(i64::try_from(i * days / rows.max(1)).unwrap_or(0));
        let (user, email, rate) = USERS[rng.usize(..USERS.len())];
        let client = rng.usize(..clients);
        let project = PROJECTS[(client * 3 + rng.usize(..5)) % PROJECTS.len()];
        let task = if rng.u8(..10) < 4 { TASKS[rng.usize(..TASKS.len())] } else { "" };
        description.clear();
        description.push_str(DESCRIPTIONS[rng.usize(..DESCRIPTIONS.len())]);
        if rng.bool() {
            description.push_str(&format!(" (#{})", rng.u32(1..20_000)));
        }
        // Mostly working hours; one entry in fifty starts late and may run past midnight.
        let start_second = if rng.u8(..50) == 0 { rng.i64(20 * 3600..24 * 3600) } else { rng.i64(7 * 3600..18 * 3600) };
        let seconds = rng.i64(60..4 * 3600);
        let start: NaiveDateTime = day.and_hms_opt(0, 0, 0).expect("midnight") + Duration::seconds(start_second);
        let end = start + Duration::seconds(seconds);
        let billable = rng.u8(..10) < 8;
        let cents = if billable { (rate * 100 * seconds + 1800) / 3600 } else { 0 };
        let duration = format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
        w.write_record([
            user,
            email,
            names[client].as_str(),
            project,
            task,
            description.as_str(),
            if billable { "Yes" } else { "No" },
            &start.date().to_string(),
            &start.time().format("%H:%M:%S").to_string(),
            &end.date().to_string(),
            &end.time().format("%H:%M:%S").to_string(),
            &duration,
            TAGS[rng.usize(..TAGS.len())],
            &format!("{}.{:02}", cents / 100, cents % 100),
        ])
        .expect("write a row");
        total += seconds;
    }
    let mut inner = w.into_inner().expect("flush the Toggl export");
    inner.flush().expect("flush the Toggl export");
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Written { rows, seconds: total, bytes }
}
