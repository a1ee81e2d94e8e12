//! Reading time exports of other tools: Toggl Track (detailed report CSV),
//! Clockify (detailed report CSV), Harvest (time report CSV) and Billable's
//! generic CSV. Pure: text in, rows or row errors out (line and column
//! named); never panics on any input. The vendors' lists of projects and
//! clients are read by [`super::catalog`], with the helpers shared here
//! (separator, number format, currencies, yes/no).

use std::collections::HashMap;

use billable_core::money::Currency;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The files Billable imports: time from each tool, and the lists of
/// projects and clients of Toggl Track and Harvest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Toggl,
    Clockify,
    Harvest,
    Generic,
    /// Toggl Track's projects export (name, client, rate, currency…).
    TogglProjects,
    /// Toggl Track's clients export.
    TogglClients,
    /// Harvest's clients export (name, address, currency…).
    HarvestClients,
    /// Harvest's projects export (client, project, rate, budget…).
    HarvestProjects,
}

/// The names `--source` takes, for messages and the help text.
pub const FORMAT_NAMES: &str =
    "toggl, clockify, harvest, generic, toggl-projects, toggl-clients, harvest-clients or harvest-projects";

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Toggl => "toggl",
            Format::Clockify => "clockify",
            Format::Harvest => "harvest",
            Format::Generic => "generic",
            Format::TogglProjects => "toggl-projects",
            Format::TogglClients => "toggl-clients",
            Format::HarvestClients => "harvest-clients",
            Format::HarvestProjects => "harvest-projects",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().replace(['_', ' '], "-").as_str() {
            "toggl" | "toggl-track" => Some(Format::Toggl),
            "clockify" => Some(Format::Clockify),
            "harvest" => Some(Format::Harvest),
            "generic" | "csv" | "billable" => Some(Format::Generic),
            "toggl-projects" | "toggl-track-projects" => Some(Format::TogglProjects),
            "toggl-clients" | "toggl-track-clients" => Some(Format::TogglClients),
            "harvest-clients" => Some(Format::HarvestClients),
            "harvest-projects" => Some(Format::HarvestProjects),
            _ => None,
        }
    }

    /// A list of projects or clients, not of time.
    pub fn is_catalog(self) -> bool {
        matches!(self, Format::TogglProjects | Format::TogglClients | Format::HarvestClients | Format::HarvestProjects)
    }

    /// A list of projects (with their clients), not of clients alone.
    pub fn has_projects(self) -> bool {
        matches!(self, Format::TogglProjects | Format::HarvestProjects)
    }
}

/// The columns of the generic CSV, for the documentation and `--help`.
pub const GENERIC_COLUMNS: &str = "date (YYYY-MM-DD, required), client (required), project (required), task, \
member, description, hours (decimal hours such as 1.5, or 1:30 / 01:30:00) or start and end (HH:MM, with \
date), billable (yes/no, true/false, 1/0; default yes), rate (decimal hourly rate for this entry)";

/// One row of time, as read from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportRow {
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    pub client: String,
    pub project: String,
    pub task: Option<String>,
    pub member: Option<String>,
    pub date: NaiveDate,
    /// Local wall-clock start and end, when the file has them.
    pub start: Option<NaiveDateTime>,
    pub end: Option<NaiveDateTime>,
    pub seconds: i64,
    pub description: String,
    pub billable: bool,
    pub rate: Option<Decimal>,
    /// The file's currency for this row (its currency column, or the one
    /// named in a column such as "Amount (EUR)").
    pub currency: Option<String>,
    /// Set when the file marks the row as invoiced already (outside
    /// Billable): the vendor's invoice id, or empty when it gives none.
    pub billed_outside: Option<String>,
}

/// A row of the file that is not imported, and why (listed in the preview
/// and the result, so nothing with time in it disappears unseen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SkippedRow {
    pub line: u64,
    /// Why, for a person to read (the CLI prints it).
    pub reason: String,
    /// Why, for a screen to word in its own language.
    pub why: SkipReason,
}

/// Why a row is not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Its duration is 0.
    NoTime,
    /// The file says it is a break.
    Break,
    /// The file says it is time off.
    TimeOff,
    /// The file says it is a holiday.
    Holiday,
}

/// How a file writes its numbers: `1,234.56` (point) or `1.234,56` (comma).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NumberFormat {
    #[default]
    Point,
    Comma,
}

impl NumberFormat {
    fn decimal(self) -> char {
        match self {
            NumberFormat::Point => '.',
            NumberFormat::Comma => ',',
        }
    }

    fn grouping(self) -> char {
        match self {
            NumberFormat::Point => ',',
            NumberFormat::Comma => '.',
        }
    }

    /// An example, for messages: 1,234.56 or 1.234,56.
    pub fn example(self) -> &'static str {
        match self {
            NumberFormat::Point => "1,234.56",
            NumberFormat::Comma => "1.234,56",
        }
    }

    /// What a number tells of its file's format: `None` when it could be
    /// read either way (`12`, `1,250`, `1.250`).
    pub(crate) fn of(text: &str) -> Option<NumberFormat> {
        let t = text.trim().trim_start_matches(['-', '+']);
        let (point, comma) = (t.rfind('.'), t.rfind(','));
        match (point, comma) {
            (Some(p), Some(c)) => Some(if p > c { NumberFormat::Point } else { NumberFormat::Comma }),
            (None, None) => None,
            (Some(at), None) | (None, Some(at)) => {
                let sep = t.as_bytes()[at];
                let groups_of_three = t.split(char::from(sep)).enumerate().all(|(i, g)| {
                    g.bytes().all(|b| b.is_ascii_digit())
                        && if i == 0 { (1..=3).contains(&g.len()) } else { g.len() == 3 }
                });
                if groups_of_three {
                    None
                } else if sep == b'.' {
                    Some(NumberFormat::Point)
                } else {
                    Some(NumberFormat::Comma)
                }
            }
        }
    }

    /// Reads a number written in this format: digits, at most one decimal
    /// separator, and grouping (thousands) separators only between groups
    /// of three digits before it. Spaces used for grouping are allowed.
    pub fn read(self, text: &str) -> Option<Decimal> {
        let t: String = text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')).collect();
        let (sign, body) = match t.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", t.strip_prefix('+').unwrap_or(&t)),
        };
        let mut parts = body.split(self.decimal());
        let whole = parts.next()?;
        let fraction = parts.next();
        if parts.next().is_some() || whole.is_empty() {
            return None;
        }
        let groups: Vec<&str> = whole.split(self.grouping()).collect();
        let digits_only = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
        let grouped_right = groups.len() == 1
            || groups
                .iter()
                .enumerate()
                .all(|(i, g)| digits_only(g) && if i == 0 { g.len() <= 3 } else { g.len() == 3 });
        if !groups.iter().all(|g| digits_only(g)) || !grouped_right {
            return None;
        }
        if fraction.is_some_and(|f| !digits_only(f)) {
            return None;
        }
        let plain =
            format!("{sign}{}{}{}", groups.concat(), if fraction.is_some() { "." } else { "" }, fraction.unwrap_or(""));
        plain.parse::<Decimal>().ok().map(|d| d.normalize())
    }
}
/// A row the file cannot give: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl RowError {
    /// Records a row the CSV reader could not read; true when reading must
    /// stop (the file itself failed), false to go on with the next row.
    pub(super) fn of_csv(e: &csv::Error, errors: &mut Vec<RowError>) -> bool {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        errors.push(RowError { line, column: "row".into(), message: e.to_string() });
        matches!(e.kind(), csv::ErrorKind::Io(_))
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

/// How dates like 03/04/2026 are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read d/m/y instead of m/d/y (the vendors' US default).
    pub day_first: bool,
}

/// Names used when a row's client or project column is empty (Toggl and
/// Clockify export time without a project or client that way).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fallbacks {
    pub client: Option<String>,
    pub project: Option<String>,
}

/// The names of a file (clients, projects, tasks, members), each spelling
/// kept once; spellings that differ only in case share one lowercase form.
#[derive(Debug, Clone, Default)]
pub struct Names {
    spelled: Vec<String>,
    /// Per spelling, its lowercase form (an index into `lowered`).
    class: Vec<u32>,
    lowered: Vec<String>,
    by_spelling: HashMap<String, u32>,
    by_lowered: HashMap<String, u32>,
}

impl Names {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(id) = self.by_spelling.get(name) {
            return *id;
        }
        let lower = name.to_lowercase();
        let class = match self.by_lowered.get(&lower) {
            Some(c) => *c,
            None => {
                let c = self.lowered.len() as u32;
                self.by_lowered.insert(lower.clone(), c);
                self.lowered.push(lower);
                c
            }
        };
        let id = self.spelled.len() as u32;
        self.spelled.push(name.to_string());
        self.class.push(class);
        self.by_spelling.insert(name.to_string(), id);
        id
    }

    /// The name as the file spells it.
    pub fn text(&self, id: u32) -> &str {
        &self.spelled[id as usize]
    }

    /// Its lowercase form: names are matched ignoring case.
    pub fn lowercase(&self, id: u32) -> &str {
        &self.lowered[self.class[id as usize] as usize]
    }

    /// One number per lowercase form (so "Acme" and "ACME" share it).
    pub fn class(&self, id: u32) -> u32 {
        self.class[id as usize]
    }

    /// How many lowercase forms there are.
    pub fn classes(&self) -> usize {
        self.lowered.len()
    }
}

/// One row of time, compactly: names as numbers in [`Names`], the
/// description as a span of [`Parsed::texts`].
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub client: u32,
    pub project: u32,
    pub task: Option<u32>,
    pub member: Option<u32>,
    pub date: NaiveDate,
    pub start: Option<NaiveDateTime>,
    pub end: Option<NaiveDateTime>,
    pub seconds: i64,
    description: std::ops::Range<usize>,
    pub billable: bool,
    pub rate: Option<Decimal>,
    /// The rate was worked out from the row's amount (not read from a rate
    /// column): left out of the row's hash, which earlier versions made
    /// without it.
    pub rate_from_amount: bool,
    pub currency: Option<Currency>,
    /// The vendor's invoice id when the file marks the row invoiced.
    pub billed_outside: Option<u32>,
    /// The row's stable hash (SHA-256 of its content and occurrence).
    pub hash: [u8; 32],
}

/// The parsed file: its format and rows, each with a stable hash.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub format: Format,
    pub rows: Vec<Row>,
    pub names: Names,
    /// The descriptions of all rows, one after the other.
    texts: String,
    /// Rows with no time (zero duration), left out.
    pub empty_rows: u64,
    /// Every row left out, with its line and why.
    pub skipped: Vec<SkippedRow>,
    /// How the file writes its numbers.
    pub number_format: NumberFormat,
    /// The column separator: `,`, `;` or a tab.
    pub delimiter: u8,
    /// The vendors' invoice ids, each spelling kept once.
    invoice_ids: Names,
}

impl Parsed {
    pub fn description(&self, row: &Row) -> &str {
        &self.texts[row.description.clone()]
    }

    /// A row with its names and description spelled out.
    pub fn import_row(&self, row: &Row) -> ImportRow {
        ImportRow {
            line: row.line,
            client: self.names.text(row.client).to_string(),
            project: self.names.text(row.project).to_string(),
            task: row.task.map(|t| self.names.text(t).to_string()),
            member: row.member.map(|m| self.names.text(m).to_string()),
            date: row.date,
            start: row.start,
            end: row.end,
            seconds: row.seconds,
            description: self.description(row).to_string(),
            billable: row.billable,
            rate: row.rate,
            currency: row.currency.map(|c| c.code().to_string()),
            billed_outside: row.billed_outside.map(|i| self.invoice_ids.text(i).to_string()),
        }
    }

    /// The vendor's invoice id of a row the file marks invoiced.
    pub fn billed_outside(&self, row: &Row) -> Option<&str> {
        row.billed_outside.map(|i| self.invoice_ids.text(i))
    }

    /// The row's content, normalised (names compared case-insensitively),
    /// written into `out`: what its hash is made of.
    fn identity(&self, format: Format, row: &Row, out: &mut String) {
        use std::fmt::Write;
        const SEP: char = '\u{1f}';
        out.clear();
        out.push_str(format.as_str());
        out.push(SEP);
        out.push_str(self.names.lowercase(row.client));
        out.push(SEP);
        out.push_str(self.names.lowercase(row.project));
        out.push(SEP);
        out.push_str(row.task.map(|t| self.names.lowercase(t)).unwrap_or(""));
        out.push(SEP);
        out.push_str(row.member.map(|m| self.names.lowercase(m)).unwrap_or(""));
        out.push(SEP);
        let _ = write!(out, "{}", row.date);
        out.push(SEP);
        if let Some(s) = row.start {
            let _ = write!(out, "{s}");
        }
        out.push(SEP);
        let _ = write!(out, "{}", row.seconds);
        out.push(SEP);
        out.push_str(self.description(row));
        out.push(SEP);
        out.push_str(if row.billable { "true" } else { "false" });
        out.push(SEP);
        if let Some(r) = row.rate.filter(|_| !row.rate_from_amount) {
            let _ = write!(out, "{}", r.normalize());
        }
    }

    /// Gives every row its hash: SHA-256 of its identity and its occurrence
    /// in the file (so two identical rows of one file are two entries, and
    /// the file imported again matches both). The hashing is shared out
    /// over the machine's cores; counting occurrences stays in file order.
    fn hash_rows(&mut self) {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
        let chunk = self.rows.len().div_ceil(threads).max(1);
        let format = self.format;
        // Per row: the digest of its identity alone, and the hash it gets as
        // the first occurrence (what nearly every row is).
        let mut keys = vec![[0u8; 32]; self.rows.len()];
        let mut rows = std::mem::take(&mut self.rows);
        {
            let this = &*self;
            std::thread::scope(|scope| {
                for (rows, keys) in rows.chunks_mut(chunk).zip(keys.chunks_mut(chunk)) {
                    scope.spawn(move || {
                        let mut identity = String::with_capacity(256);
                        for (row, key) in rows.iter_mut().zip(keys.iter_mut()) {
                            this.identity(format, row, &mut identity);
                            let mut h = Sha256::new();
                            h.update(identity.as_bytes());
                            *key = h.clone().finalize().into();
                            h.update(b"\x1e1");
                            row.hash = h.finalize().into();
                        }
                    });
                }
            });
        }
        let mut seen: HashMap<[u8; 32], u64> = HashMap::with_capacity(rows.len());
        let mut identity = String::new();
        for (row, key) in rows.iter_mut().zip(keys) {
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            if *n > 1 {
                self.identity(format, row, &mut identity);
                row.hash = hash_of(&identity, *n);
            }
        }
        self.rows = rows;
    }
}

/// Lowercase hexadecimal, as row hashes are stored.
pub fn hex(hash: &[u8; 32]) -> String {
    let mut s = String::with_capacity(64);
    for b in hash {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

/// The header of a file: its separator and column names (a byte order mark
/// and spaces trimmed); `None` when it has no header line to read.
pub(crate) fn header_of(text: &str) -> Option<(u8, Vec<String>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().ok()?;
    Some((delimiter, headers.iter().map(|s| s.trim().trim_matches('\u{feff}').to_string()).collect()))
}

/// Recognises a file by its header: a time export first, else a list of
/// projects or clients.
pub fn detect_file(text: &str) -> Option<Format> {
    let (_, headers) = header_of(text)?;
    detect(&headers).or_else(|| super::catalog::detect(&headers))
}

/// Recognises a vendor's time export by its header.
pub fn detect(headers: &[String]) -> Option<Format> {
    let has = |name: &str| headers.iter().any(|h| h == name);
    let has_ci = |name: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(name));
    if has("Duration (h)") || has("Duration (decimal)") || (has("Start Date") && has("Start Time")) {
        Some(Format::Clockify)
    } else if has("Hours") && has("First Name") && has("Last Name") {
        Some(Format::Harvest)
    } else if has("Start date") && has("Duration") {
        Some(Format::Toggl)
    } else if has_ci("date") && has_ci("project") && (has_ci("hours") || has_ci("start")) {
        Some(Format::Generic)
    } else {
        None
    }
}

pub(crate) struct Columns {
    index: HashMap<String, usize>,
}

impl Columns {
    pub(crate) fn new(headers: &[String]) -> Columns {
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            index.entry(h.to_ascii_lowercase()).or_insert(i);
        }
        Columns { index }
    }

    /// The position of a column, by exact name or by a prefix such as
    /// "Billable Rate (" for "Billable Rate (USD)".
    pub(crate) fn find(&self, names: &[&str]) -> Option<usize> {
        for n in names {
            let n = n.to_ascii_lowercase();
            if let Some(i) = self.index.get(&n) {
                return Some(*i);
            }
            if n.ends_with('(') {
                if let Some((_, i)) = self.index.iter().filter(|(k, _)| k.starts_with(&n)).min_by_key(|(_, i)| **i) {
                    return Some(*i);
                }
            }
        }
        None
    }
}

/// Where each field is read from, per format.
struct Layout {
    client: Vec<&'static str>,
    project: Vec<&'static str>,
    task: Vec<&'static str>,
    member: Vec<&'static str>,
    member_last: Vec<&'static str>,
    description: Vec<&'static str>,
    date: Vec<&'static str>,
    start_time: Vec<&'static str>,
    end_date: Vec<&'static str>,
    end_time: Vec<&'static str>,
    /// Duration columns, most exact first.
    duration: Vec<&'static str>,
    billable: Vec<&'static str>,
    rate: Vec<&'static str>,
    /// The amount billed for the row; the rate is taken from it (amount ÷
    /// hours) when the file has no rate column.
    amount: Vec<&'static str>,
    currency: Vec<&'static str>,
    /// Yes/no: invoiced already.
    invoiced: Vec<&'static str>,
    invoice_id: Vec<&'static str>,
    /// The kind of entry (Clockify: regular work, a break, time off).
    kind: Vec<&'static str>,
}

/// `None` for a list of projects or clients, which has no time to read.
fn layout(format: Format) -> Option<Layout> {
    Some(match format {
        Format::Toggl => Layout {
            client: vec!["Client"],
            project: vec!["Project"],
            task: vec!["Task"],
            member: vec!["User", "Member"],
            member_last: vec![],
            description: vec!["Description"],
            date: vec!["Start date"],
            start_time: vec!["Start time"],
            end_date: vec!["End date"],
            end_time: vec!["End time"],
            duration: vec!["Duration"],
            billable: vec!["Billable"],
            rate: vec!["Billable rate (", "Rate ("],
            amount: vec!["Amount (", "Billable amount ("],
            currency: vec!["Currency"],
            invoiced: vec!["Invoiced"],
            invoice_id: vec!["Invoice ID"],
            kind: vec![],
        },
        Format::Clockify => Layout {
            client: vec!["Client"],
            project: vec!["Project"],
            task: vec!["Task", "Activity"],
            member: vec!["User"],
            member_last: vec![],
            description: vec!["Description"],
            date: vec!["Start Date"],
            start_time: vec!["Start Time"],
            end_date: vec!["End Date"],
            end_time: vec!["End Time"],
            duration: vec!["Duration (h)", "Duration (decimal)"],
            billable: vec!["Billable"],
            rate: vec!["Billable Rate ("],
            amount: vec!["Billable Amount (", "Amount ("],
            currency: vec!["Currency"],
            invoiced: vec!["Invoiced"],
            invoice_id: vec!["Invoice ID"],
            kind: vec!["Type"],
        },
        Format::Harvest => Layout {
            client: vec!["Client"],
            project: vec!["Project"],
            task: vec!["Task"],
            member: vec!["First Name", "First name"],
            member_last: vec!["Last Name", "Last name"],
            description: vec!["Notes"],
            date: vec!["Date"],
            start_time: vec![],
            end_date: vec![],
            end_time: vec![],
            duration: vec!["Hours"],
            billable: vec!["Billable?"],
            rate: vec!["Billable Rate"],
            amount: vec!["Billable Amount"],
            currency: vec!["Currency"],
            invoiced: vec!["Invoiced?", "Invoiced"],
            invoice_id: vec!["Invoice ID", "Invoice"],
            kind: vec![],
        },
        Format::Generic => Layout {
            client: vec!["client"],
            project: vec!["project"],
            task: vec!["task"],
            member: vec!["member", "user"],
            member_last: vec![],
            description: vec!["description", "notes"],
            date: vec!["date"],
            start_time: vec!["start"],
            end_date: vec![],
            end_time: vec!["end"],
            duration: vec!["hours", "duration"],
            billable: vec!["billable"],
            rate: vec!["rate"],
            amount: vec!["amount"],
            currency: vec!["currency"],
            invoiced: vec!["invoiced"],
            invoice_id: vec!["invoice id", "invoice"],
            kind: vec![],
        },
        Format::TogglProjects | Format::TogglClients | Format::HarvestClients | Format::HarvestProjects => return None,
    })
}

/// The column separator of a file: the one of `,`, `;` and tab that its
/// header line uses most (outside quotes); a comma when none.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], std::cmp::Reverse(*i))).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// The currency a column's header names, as in "Amount (EUR)".
pub(crate) fn currency_in_header(header: &str) -> Option<Currency> {
    let (_, rest) = header.rsplit_once('(')?;
    Currency::parse(rest.strip_suffix(')')?).ok()
}

/// A currency as vendors write it: `EUR`, `Euro - EUR`, `United States
/// Dollar (USD)`.
pub fn read_currency(text: &str) -> Option<Currency> {
    let t = text.trim();
    if let Ok(c) = Currency::parse(t) {
        return Some(c);
    }
    let code: String = t.trim_end_matches(')').chars().rev().take_while(|c| c.is_ascii_alphabetic()).collect();
    if code.len() != 3 {
        return None;
    }
    Currency::parse(&code.chars().rev().collect::<String>()).ok()
}

/// The rate behind an amount billed for some seconds: to the cent when
/// that gives the amount back, else to four decimals.
fn rate_from_amount(amount: Decimal, seconds: i64) -> Option<Decimal> {
    if seconds <= 0 || amount <= Decimal::ZERO {
        return None;
    }
    let hours = Decimal::from(seconds) / Decimal::from(3600);
    let exact = amount.checked_div(hours)?;
    let cents = exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let back = (cents * hours).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let rate =
        if back == amount { cents } else { exact.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero) };
    Some(rate.normalize())
}

/// The number format of a file: told by the first number in its numeric
/// columns that can be read only one way (`1.5`, `20,0`, `2.000,0`); when
/// every number could be read either way (`12`, `1,250`), a comma for files
/// separated by `;` (spreadsheets in European locales) and a point otherwise.
pub(crate) fn sniff_numbers(text: &str, delimiter: u8, columns: &[usize]) -> NumberFormat {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    while let Ok(true) = reader.read_byte_record(&mut record) {
        for i in columns {
            let Some(value) = record.get(*i).and_then(|f| std::str::from_utf8(f).ok()) else { continue };
            if value.contains(':') {
                continue;
            }
            if let Some(f) = NumberFormat::of(value) {
                return f;
            }
        }
    }
    if delimiter == b';' {
        NumberFormat::Comma
    } else {
        NumberFormat::Point
    }
}

/// Reads a whole file. Either every row is good, or the errors (each naming
/// its line and column) are returned and nothing should be written.
pub fn parse_file(
    text: &str,
    format: Option<Format>,
    opts: ReadOptions,
    fallbacks: &Fallbacks,
) -> Result<Parsed, Vec<RowError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().trim_matches('\u{feff}').to_string()).collect(),
        Err(e) => return Err(vec![RowError { line: 1, column: "header".into(), message: e.to_string() }]),
    };
    let format = match format.or_else(|| detect(&headers)) {
        Some(f) => f,
        None => {
            return Err(vec![RowError {
                line: 1,
                column: "header".into(),
                message: "the columns are not those of a Toggl Track, Clockify or Harvest export (time, projects \
                          or clients), nor of the generic CSV; choose the format instead of having it recognised"
                    .into(),
            }])
        }
    };
    let Some(lay) = layout(format) else {
        return Err(vec![RowError {
            line: 1,
            column: "header".into(),
            message: format!("a {} file lists projects or clients, not time", format.as_str()),
        }]);
    };
    let cols = Columns::new(&headers);
    let mut errors = Vec::new();
    let missing = |names: &[&str], why: &str| RowError {
        line: 1,
        column: names.first().copied().unwrap_or("?").to_string(),
        message: format!("the {} export has no such column{why}", format.as_str()),
    };
    // Client and project may be left out of an export when a default is
    // chosen for the import.
    let c_client = cols.find(&lay.client);
    if c_client.is_none() && fallbacks.client.is_none() {
        errors.push(missing(&lay.client, "; choose a default client for its rows"));
    }
    let c_project = cols.find(&lay.project);
    if c_project.is_none() && fallbacks.project.is_none() {
        errors.push(missing(&lay.project, "; choose a default project for its rows"));
    }
    let c_date = cols.find(&lay.date);
    if c_date.is_none() {
        errors.push(missing(&lay.date, ""));
    }
    let c_durations: Vec<usize> = lay.duration.iter().filter_map(|n| cols.find(&[n])).collect();
    let c_start = cols.find(&lay.start_time);
    let c_end = cols.find(&lay.end_time);
    if c_durations.is_empty() && (c_start.is_none() || c_end.is_none()) {
        errors.push(missing(&lay.duration, ""));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let c_task = cols.find(&lay.task);
    let c_member = cols.find(&lay.member);
    let c_member_last = cols.find(&lay.member_last);
    let c_description = cols.find(&lay.description);
    let c_end_date = cols.find(&lay.end_date);
    let c_billable = cols.find(&lay.billable);
    let c_rate = cols.find(&lay.rate);
    let c_amount = cols.find(&lay.amount);
    let c_currency = cols.find(&lay.currency);
    let c_invoiced = cols.find(&lay.invoiced);
    let c_invoice_id = cols.find(&lay.invoice_id);
    let c_kind = cols.find(&lay.kind);
    let name_of = |i: Option<usize>| i.and_then(|i| headers.get(i)).cloned().unwrap_or_default();
    // A currency named in the rate's or amount's header ("Amount (EUR)").
    let header_currency = [c_rate, c_amount].into_iter().flatten().find_map(|i| currency_in_header(&headers[i]));
    let numeric: Vec<usize> = c_durations.iter().copied().chain([c_rate, c_amount].into_iter().flatten()).collect();
    let numbers = sniff_numbers(text, delimiter, &numeric);
    let number_error =
        |t: &str| format!("'{t}' is not a number as this file writes them (such as {})", numbers.example());

    let mut parsed = Parsed {
        format,
        rows: Vec::new(),
        names: Names::default(),
        texts: String::new(),
        empty_rows: 0,
        skipped: Vec::new(),
        number_format: numbers,
        delimiter,
        invoice_ids: Names::default(),
    };
    let mut record = csv::ByteRecord::new();
    let mut full_name = String::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                if RowError::of_csv(&e, &mut errors) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        // The text is UTF-8 and fields split at ASCII bytes, so every field is UTF-8.
        let field = |i: usize| record.get(i).and_then(|f| std::str::from_utf8(f).ok());
        if (0..record.len()).all(|i| field(i).is_none_or(|f| f.trim().is_empty())) {
            continue;
        }
        let get = |i: Option<usize>| i.and_then(field).map(str::trim).unwrap_or("");
        let mut err = |col: Option<usize>, message: String| {
            errors.push(RowError { line, column: name_of(col), message });
        };
        let client = match (get(c_client), &fallbacks.client) {
            ("", Some(f)) => f.trim(),
            (v, _) => v,
        };
        if client.is_empty() {
            err(c_client, "is empty; every entry needs a client (or choose a default client for the import)".into());
        }
        let project = match (get(c_project), &fallbacks.project) {
            ("", Some(f)) => f.trim(),
            (v, _) => v,
        };
        if project.is_empty() {
            err(c_project, "is empty; every entry needs a project (or choose a default project for the import)".into());
        }
        let date = match read_date(get(c_date), opts) {
            Some(d) => Some(d),
            None => {
                err(c_date, format!("'{}' is not a date (YYYY-MM-DD, M/D/YYYY or D.M.YYYY)", get(c_date)));
                None
            }
        };
        let start_time = match get(c_start) {
            "" => None,
            t => match read_time(t) {
                Some(t) => Some(t),
                None => {
                    err(c_start, format!("'{t}' is not a time of day (HH:MM or HH:MM:SS)"));
                    None
                }
            },
        };
        let end_time = match get(c_end) {
            "" => None,
            t => match read_time(t) {
                Some(t) => Some(t),
                None => {
                    err(c_end, format!("'{t}' is not a time of day (HH:MM or HH:MM:SS)"));
                    None
                }
            },
        };
        let end_date = match get(c_end_date) {
            "" => date,
            t => match read_date(t, opts) {
                Some(d) => Some(d),
                None => {
                    err(c_end_date, format!("'{t}' is not a date"));
                    None
                }
            },
        };
        let start = date.zip(start_time).map(|(d, t)| d.and_time(t));
        let mut end = end_date.zip(end_time).map(|(d, t)| d.and_time(t));
        if let (Some(s), Some(e)) = (start, end) {
            // An end before the start on the same date runs past midnight.
            if e < s && get(c_end_date).is_empty() {
                end = e.checked_add_signed(chrono::Duration::days(1));
            }
        }
        // The time of the row, the most exact reading first: start and end
        // with their dates; a duration as h:mm:ss; start and end times
        // alone (an end before the start runs past midnight); a decimal
        // duration (which vendors round, so 0.00 may stand for a minute).
        let span = match (start, end) {
            (Some(s), Some(e)) if e >= s => Some((e - s).num_seconds()),
            (Some(_), Some(_)) => {
                err(c_end, "is before the start".into());
                None
            }
            _ => None,
        };
        let mut clock_duration = None;
        let mut decimal_duration = None;
        let mut bad_duration = false;
        for c in &c_durations {
            let t = get(Some(*c));
            if t.is_empty() {
                continue;
            }
            let read = if t.contains(':') { read_clock_duration(t) } else { read_decimal_hours(t, numbers) };
            match read {
                Some(s) if t.contains(':') => {
                    clock_duration.get_or_insert(s);
                }
                Some(s) => {
                    decimal_duration.get_or_insert(s);
                }
                None => {
                    err(
                        Some(*c),
                        format!(
                            "'{t}' is not a duration (01:30:00, 1:30 or hours like {})",
                            match numbers {
                                NumberFormat::Point => "1.5",
                                NumberFormat::Comma => "1,5",
                            }
                        ),
                    );
                    bad_duration = true;
                }
            }
        }
        let with_dates = !get(c_end_date).is_empty();
        let seconds = if with_dates && span.is_some() { span } else { clock_duration.or(span).or(decimal_duration) };
        if seconds.is_none() && !bad_duration && !(start.is_some() && end.is_some()) {
            err(c_durations.first().copied().or(c_end), "is empty; give a duration or a start and an end".into());
        }
        if seconds.is_some_and(|s| s > 7 * 24 * 3600) {
            err(c_durations.first().copied().or(c_end), "is longer than a week".into());
        }
        let billable = match read_billable(get(c_billable)) {
            Some(b) => b,
            None => {
                err(c_billable, format!("'{}' is not yes or no", get(c_billable).to_ascii_lowercase()));
                true
            }
        };
        let mut rate = match get(c_rate) {
            "" => None,
            t => match numbers.read(t) {
                Some(r) if r > Decimal::ZERO => Some(r),
                Some(r) if r < Decimal::ZERO => {
                    err(c_rate, format!("'{t}' is negative; a rate is zero or more"));
                    None
                }
                Some(_) => None,
                None => {
                    err(c_rate, number_error(t));
                    None
                }
            },
        };
        let amount = match get(c_amount) {
            "" => None,
            t => match numbers.read(t) {
                Some(a) => Some(a),
                None => {
                    err(c_amount, number_error(t));
                    None
                }
            },
        };
        let currency = match get(c_currency) {
            "" => header_currency,
            t => match read_currency(t) {
                Some(c) => Some(c),
                None => {
                    err(c_currency, format!("'{t}' is not a currency (a code such as EUR, or 'Euro - EUR')"));
                    None
                }
            },
        };
        let invoiced = match get(c_invoiced) {
            "" => false,
            t => match read_billable(t) {
                Some(v) => v,
                None => {
                    err(c_invoiced, format!("'{}' is not yes or no", t.to_ascii_lowercase()));
                    false
                }
            },
        };
        let invoice_id = get(c_invoice_id);
        let kind = get(c_kind).to_ascii_lowercase().replace(['_', '-'], " ");
        let (Some(date), Some(seconds)) = (date, seconds) else { continue };
        if client.is_empty() || project.is_empty() {
            continue;
        }
        if !errors.is_empty() {
            // The file will be refused: only its other errors matter now.
            continue;
        }
        let not_work = match kind.as_str() {
            "break" => Some((SkipReason::Break, "a break")),
            "time off" => Some((SkipReason::TimeOff, "time off")),
            "holiday" => Some((SkipReason::Holiday, "a holiday")),
            _ => None,
        };
        if let Some((why, what)) = not_work {
            parsed.skipped.push(SkippedRow { line, reason: format!("is {what}, not work"), why });
            continue;
        }
        if seconds == 0 {
            parsed.empty_rows += 1;
            parsed.skipped.push(SkippedRow {
                line,
                reason: "has no time (its duration is 0)".into(),
                why: SkipReason::NoTime,
            });
            continue;
        }
        let from_amount = rate.is_none() && billable;
        if from_amount {
            rate = amount.and_then(|a| rate_from_amount(a, seconds));
        }
        let member = match (get(c_member), get(c_member_last)) {
            ("", "") => None,
            (first, "") => Some(parsed.names.intern(first)),
            ("", last) => Some(parsed.names.intern(last)),
            (first, last) => {
                full_name.clear();
                full_name.push_str(first);
                full_name.push(' ');
                full_name.push_str(last);
                Some(parsed.names.intern(&full_name))
            }
        };
        let task = match get(c_task) {
            "" => None,
            t => Some(parsed.names.intern(t)),
        };
        let billed_outside = (invoiced || !invoice_id.is_empty()).then(|| parsed.invoice_ids.intern(invoice_id));
        let description = get(c_description);
        let at = parsed.texts.len();
        parsed.texts.push_str(description);
        parsed.rows.push(Row {
            line,
            client: parsed.names.intern(client),
            project: parsed.names.intern(project),
            task,
            member,
            date,
            start,
            end: start.and_then(|s| s.checked_add_signed(chrono::Duration::seconds(seconds))).or(end),
            seconds,
            description: at..parsed.texts.len(),
            billable,
            rate,
            rate_from_amount: from_amount && rate.is_some(),
            currency,
            billed_outside,
            hash: [0; 32],
        });
    }
    if errors.is_empty() {
        parsed.hash_rows();
        Ok(parsed)
    } else {
        Err(errors)
    }
}

/// Yes or no, in the vendors' words; `None` for anything else.
pub(crate) fn read_billable(text: &str) -> Option<bool> {
    const YES: [&str; 5] = ["", "yes", "y", "true", "1"];
    const NO: [&str; 5] = ["no", "n", "false", "0", "non-billable"];
    if YES.iter().any(|w| text.eq_ignore_ascii_case(w)) || text.eq_ignore_ascii_case("billable") {
        Some(true)
    } else if NO.iter().any(|w| text.eq_ignore_ascii_case(w)) || text.eq_ignore_ascii_case("not billable") {
        Some(false)
    } else {
        None
    }
}

/// A stable hash of a row's identity and its occurrence in the file.
fn hash_of(identity: &str, occurrence: u64) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(identity.as_bytes());
    h.update(b"\x1e");
    h.update(occurrence.to_string().as_bytes());
    h.finalize().into()
}

/// 2026-03-05, 3/5/2026 (month first, or day first when asked), 05.03.2026;
/// years 1 to 9999 (a year such as +262142 would put the entry's end past
/// the end of the calendar).
pub fn read_date(text: &str, opts: ReadOptions) -> Option<NaiveDate> {
    let t = text.trim();
    // The common shape first, without the general parser.
    let common = match t.as_bytes() {
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] => {
            match (digits(&[*y1, *y2, *y3, *y4]), digits(&[*m1, *m2]), digits(&[*d1, *d2])) {
                (Some(y), Some(m), Some(d)) => Some(NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)),
                _ => None,
            }
        }
        _ => None,
    };
    let date = if let Some(date) = common {
        date
    } else if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Some(d)
    } else if t.contains('/') {
        let fmt = if opts.day_first { "%d/%m/%Y" } else { "%m/%d/%Y" };
        NaiveDate::parse_from_str(t, fmt).ok()
    } else if t.contains('.') {
        NaiveDate::parse_from_str(t, "%d.%m.%Y").ok()
    } else {
        None
    };
    date.filter(|d| (1..=9999).contains(&d.year()))
}

/// The number written by ASCII digits only.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
}

/// 09:30, 09:30:15, 9:30 AM, 09:30:15 PM.
pub fn read_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    // HH:MM:SS first, without the general parser (a leap second takes the long way).
    if let [h1, h2, b':', m1, m2, b':', s1, s2] = t.as_bytes() {
        if let (Some(h), Some(m), Some(s)) = (digits(&[*h1, *h2]), digits(&[*m1, *m2]), digits(&[*s1, *s2])) {
            if s < 60 {
                return NaiveTime::from_hms_opt(h, m, s);
            }
        }
    }
    ["%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p"].iter().find_map(|f| NaiveTime::parse_from_str(t, f).ok())
}

/// 01:30:00, 1:30, or decimal hours (1.5, or 1,5 in a file that writes
/// numbers so); rounded to whole seconds.
pub fn read_duration(text: &str, numbers: NumberFormat) -> Option<i64> {
    if text.contains(':') {
        read_clock_duration(text)
    } else {
        read_decimal_hours(text, numbers)
    }
}

/// 01:30:00 or 1:30 (hours may pass 24).
fn read_clock_duration(text: &str) -> Option<i64> {
    let t = text.trim();
    let mut nums = [0i64; 3];
    let mut count = 0;
    for part in t.split(':') {
        let n = part.trim().parse::<i64>().ok().filter(|n| *n >= 0)?;
        *nums.get_mut(count)? = n;
        count += 1;
    }
    let (h, m, s) = match (count, nums) {
        (2, [h, m, _]) => (h, m, 0),
        (3, [h, m, s]) => (h, m, s),
        _ => return None,
    };
    if m >= 60 || s >= 60 || h > 1_000_000 {
        return None;
    }
    Some(h * 3600 + m * 60 + s)
}

/// Decimal hours in the file's number format, rounded to whole seconds.
fn read_decimal_hours(text: &str, numbers: NumberFormat) -> Option<i64> {
    let hours = numbers.read(text)?;
    if hours < Decimal::ZERO || hours > Decimal::from(1_000_000) {
        return None;
    }
    let secs =
        hours.checked_mul(Decimal::from(3600))?.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_vendor_shape() {
        let (point, comma) = (NumberFormat::Point, NumberFormat::Comma);
        assert_eq!(read_duration("01:30:00", point), Some(5400));
        assert_eq!(read_duration("1:30", comma), Some(5400));
        assert_eq!(read_duration("1.5", point), Some(5400));
        assert_eq!(read_duration("1,25", comma), Some(4500));
        assert_eq!(read_duration("30:00:00", point), Some(30 * 3600));
        // 0.33 h = 1188 s exactly.
        assert_eq!(read_duration("0.33", point), Some(1188));
        for bad in ["", "abc", "1:75", "-1", "1:2:3:4", "99999999999999999999999", "1e3", "1,5"] {
            assert_eq!(read_duration(bad, point), None, "{bad}");
        }
        assert_eq!(read_duration("1.5", comma), None);
    }

    #[test]
    fn dates_month_first_unless_day_first() {
        let us = ReadOptions::default();
        let eu = ReadOptions { day_first: true };
        assert_eq!(read_date("03/04/2026", us), NaiveDate::from_ymd_opt(2026, 3, 4));
        assert_eq!(read_date("03/04/2026", eu), NaiveDate::from_ymd_opt(2026, 4, 3));
        assert_eq!(read_date("2026-04-03", us), NaiveDate::from_ymd_opt(2026, 4, 3));
        assert_eq!(read_date("03.04.2026", us), NaiveDate::from_ymd_opt(2026, 4, 3));
        assert_eq!(read_date("13/13/2026", us), None);
    }

    #[test]
    fn a_files_number_format_is_told_by_its_numbers() {
        use NumberFormat::*;
        assert_eq!(NumberFormat::of("20,0"), Some(Comma));
        assert_eq!(NumberFormat::of("2.000,0"), Some(Comma));
        assert_eq!(NumberFormat::of("1,234.56"), Some(Point));
        assert_eq!(NumberFormat::of("1.5"), Some(Point));
        for either in ["12", "1,250", "1.250", "12.345.678"] {
            assert_eq!(NumberFormat::of(either), None, "{either}");
        }
        assert_eq!(Comma.read("2.000,0"), Some(Decimal::from(2000)));
        assert_eq!(Comma.read("100,0"), Some(Decimal::from(100)));
        assert_eq!(Comma.read("1 250,50"), Some("1250.5".parse().unwrap()));
        assert_eq!(Point.read("1,234.56"), Some("1234.56".parse().unwrap()));
        assert_eq!(Point.read("-3.75"), Some("-3.75".parse().unwrap()));
        for bad in ["1,234.56", "1.2.3,4", "12,34,5", ",5", "1e3", "abc"] {
            assert_eq!(Comma.read(bad), None, "{bad}");
        }
        for bad in ["2.000,0", "1,25", "1.2.3"] {
            assert_eq!(Point.read(bad), None, "{bad}");
        }
    }

    #[test]
    fn separators_currencies_and_rates_from_amounts() {
        assert_eq!(sniff_delimiter("Date;Client;\"A, B\";Hours\n1,2,3"), b';');
        assert_eq!(sniff_delimiter("Date,Client,Hours"), b',');
        assert_eq!(sniff_delimiter("Date\tClient\tHours"), b'\t');
        assert_eq!(read_currency("Euro - EUR").map(|c| c.code()), Some("EUR"));
        assert_eq!(read_currency("United States Dollar (USD)").map(|c| c.code()), Some("USD"));
        assert_eq!(read_currency("usd").map(|c| c.code()), Some("USD"));
        assert_eq!(read_currency("Euros"), None);
        // 150.00 for 1.5 h is 100 an hour; 100.00 for 20 minutes is 300.
        assert_eq!(rate_from_amount("150.00".parse().unwrap(), 5400), Some(Decimal::from(100)));
        assert_eq!(rate_from_amount("100.00".parse().unwrap(), 1200), Some(Decimal::from(300)));
        // 33.33 for 20 minutes: 99.99 an hour gives 33.33 back.
        assert_eq!(rate_from_amount("33.33".parse().unwrap(), 1200), Some("99.99".parse().unwrap()));
        assert_eq!(rate_from_amount(Decimal::ZERO, 1200), None);
    }

    #[test]
    fn dates_without_leading_zeros() {
        let us = ReadOptions::default();
        assert_eq!(read_date("2016-01-1", us), NaiveDate::from_ymd_opt(2016, 1, 1));
        assert_eq!(read_date("2016-1-01", us), NaiveDate::from_ymd_opt(2016, 1, 1));
        assert_eq!(read_date("2016-13-01", us), None);
    }

    #[test]
    fn times_with_and_without_am_pm() {
        assert_eq!(read_time("09:30"), NaiveTime::from_hms_opt(9, 30, 0));
        assert_eq!(read_time("01:15:00 PM"), NaiveTime::from_hms_opt(13, 15, 0));
        assert_eq!(read_time("25:00"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_fails_without_panicking(text in "\\PC{0,400}") {
            let _ = parse_file(&text, None, ReadOptions::default(), &Fallbacks::default());
            let _ = parse_file(
                &format!("date,client,project,hours\n{text}"),
                None,
                ReadOptions::default(),
                &Fallbacks { client: Some(text.clone()), project: None },
            );
            let _ = read_duration(&text, NumberFormat::Point);
            let _ = read_duration(&text, NumberFormat::Comma);
            let _ = NumberFormat::of(&text);
            let _ = read_date(&text, ReadOptions::default());
        }
    }
}
