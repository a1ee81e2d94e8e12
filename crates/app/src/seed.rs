//! Generated books at scale, for measurements: a business with its team,
//! clients in several currencies, projects with rates and rounding, tasks,
//! years of time entries, and invoices made from that time exactly as
//! "invoice from time" makes them (grouped by the billing engine, totals by
//! the totals engine, every entry linked to the line that bills it), with
//! payments and a realistic mix of statuses. Deterministic for a seed.

use std::path::Path;

use billable_core::billing::{group_entries, BillableEntry, Grouping};
use billable_core::credit;
use billable_core::model::{Client, Invoice, InvoiceLine, Member, Payment, Project, Task, TaxRateDef, TimeEntry};
use billable_core::numbering::NumberPattern;
use billable_core::rates::RateChain;
use billable_core::status::InvoiceStatus;
use billable_core::tax::{TaxCategory, TaxMode, TaxRate};
use billable_core::time::RoundingPolicy;
use billable_core::totals::{totals, Discount};
use billable_core::{round_money, Currency};
use billable_store::bulk::{self, BulkInvoice};
use billable_store::catalog as cat;
use billable_store::Tx;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{blank_draft, draft_of, new_line, SERIES};
use crate::Billable;

/// The generator's version: books made by another version differ.
pub const SEED_GENERATOR_VERSION: u32 = 1;

/// The size of the books to generate.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct SeedInput {
    pub entries: u64,
    pub clients: u64,
    pub projects: u64,
    pub invoices: u64,
    /// Years of time, ending today.
    pub years: u64,
    /// The same seed gives the same books.
    pub seed: u64,
}

impl Default for SeedInput {
    fn default() -> Self {
        SeedInput { entries: 1_000_000, clients: 200, projects: 1_000, invoices: 100_000, years: 5, seed: 1 }
    }
}

/// What was generated.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SeedOutcome {
    pub path: String,
    pub generator_version: u32,
    pub seed: u64,
    pub from: NaiveDate,
    pub today: NaiveDate,
    pub members: u64,
    pub clients: u64,
    pub projects: u64,
    pub tasks: u64,
    pub entries: u64,
    pub billed_entries: u64,
    pub unbilled_entries: u64,
    pub invoices: u64,
    pub invoice_lines: u64,
    pub payments: u64,
    /// Invoices per stored status (draft, sent, partially_paid, paid, cancelled).
    pub statuses: Vec<(String, u64)>,
    pub bytes: u64,
}

const FIRST: &[&str] = &[
    "Nord", "Blue", "Silver", "Green", "Amber", "Cedar", "Harbor", "Summit", "Maple", "Orbit", "Pioneer", "Quartz",
    "River", "Stone", "Tidal", "Urban", "Vista", "Willow", "Zenith", "Aurora",
];
const SECOND: &[&str] = &[
    "Logistics",
    "Analytics",
    "Foods",
    "Media",
    "Robotics",
    "Health",
    "Energy",
    "Textiles",
    "Optics",
    "Finance",
    "Travel",
    "Software",
    "Labs",
    "Studios",
    "Mobility",
    "Retail",
    "Pharma",
    "Design",
    "Systems",
    "Ventures",
];
const PROJECTS: &[&str] = &[
    "Website relaunch",
    "Mobile app",
    "Brand refresh",
    "Data platform",
    "Shop migration",
    "Annual report",
    "Customer portal",
    "SEO audit",
    "Design system",
    "API integration",
    "Marketing site",
    "Onboarding flow",
    "Analytics dashboard",
    "Security review",
    "Intranet",
    "Newsletter",
];
const TASKS: &[&str] = &["Design", "Development", "Meetings", "Review", "Testing", "Research", "Support", "Content"];
const MEMBERS: &[&str] = &[
    "Anna Keller",
    "Ben Hofmann",
    "Clara Wagner",
    "David Braun",
    "Elif Yilmaz",
    "Felix Richter",
    "Greta Lang",
    "Hannah Vogel",
    "Ivan Petrov",
    "Julia Frank",
    "Karl Neumann",
    "Lea Schubert",
    "Mia Roth",
    "Noah Krause",
    "Olga Sokolova",
    "Paul Winter",
    "Rosa Lehmann",
    "Samir Haddad",
    "Tina Berger",
    "Uwe Fischer",
];
const WORK: &[&str] = &[
    "Layout of the start page",
    "Call with the client",
    "Fixing review comments",
    "Sprint planning",
    "Implementing the checkout",
    "Writing copy",
    "Database migration",
    "Bug triage",
    "Wireframes",
    "Deployment",
    "Accessibility fixes",
    "Performance tuning",
];

/// Where clients are, by currency: (currency, country, cities with postcodes).
/// (currency, country, cities with their postcodes).
type Place = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

const PLACES: &[Place] = &[
    ("EUR", "DE", &[("Berlin", "10115"), ("Hamburg", "20095"), ("München", "80331"), ("Köln", "50667")]),
    ("EUR", "FR", &[("Paris", "75002"), ("Lyon", "69002")]),
    ("EUR", "NL", &[("Amsterdam", "1012 AB"), ("Utrecht", "3511 AA")]),
    ("EUR", "AT", &[("Wien", "1010"), ("Graz", "8010")]),
    ("USD", "US", &[("New York, NY", "10001"), ("Austin, TX", "73301"), ("Seattle, WA", "98101")]),
    ("GBP", "GB", &[("London", "EC1A 1BB"), ("Manchester", "M1 1AE")]),
    ("CHF", "CH", &[("Zürich", "8001"), ("Basel", "4051")]),
    ("JPY", "JP", &[("Tokyo", "100-0001")]),
];
/// Which place each client of a cycle of 20 is in (mostly Germany and the EU).
const PLACE_CYCLE: [usize; 20] = [0, 4, 1, 0, 5, 2, 0, 6, 3, 0, 7, 0, 4, 1, 0, 5, 2, 0, 4, 3];

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

fn at(date: NaiveDate, seconds: i64) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or_default() + Duration::seconds(seconds)
}

fn check(i: &SeedInput) -> AppResult<()> {
    let range = |field: &str, v: u64, min: u64, max: u64| {
        if v < min || v > max {
            Err(AppError::invalid(field, format!("must be from {min} to {max}")))
        } else {
            Ok(())
        }
    };
    range("entries", i.entries, 1, 20_000_000)?;
    range("clients", i.clients, 1, 100_000)?;
    range("projects", i.projects, 1, 1_000_000)?;
    range("invoices", i.invoices, 0, 10_000_000)?;
    range("years", i.years, 1, 50)?;
    if i.projects < i.clients {
        return Err(AppError::invalid(
            "projects",
            "must be at least the number of clients (each client has a project)",
        ));
    }
    if i.invoices > i.entries {
        return Err(AppError::invalid("invoices", "must be at most the number of entries (each bills at least one)"));
    }
    Ok(())
}

/// The catalog as written: what the entries and invoices refer to.
struct Catalog {
    business: billable_core::model::Business,
    members: Vec<Member>,
    clients: Vec<Client>,
    projects: Vec<Project>,
    /// Tasks of each project (same order as `projects`).
    tasks: Vec<Vec<Task>>,
    taxes: Vec<TaxRateDef>,
}

fn write_catalog(tx: &Tx, i: &SeedInput, rng: &mut fastrand::Rng) -> AppResult<Catalog> {
    let mut business = cat::business(tx)?;
    business.name = "Nordlicht Studio GmbH".into();
    business.street = "Torstraße 140".into();
    business.postcode = "10119".into();
    business.city = "Berlin".into();
    business.country = "DE".into();
    business.vat_id = "DE298765432".into();
    business.email = "billing@nordlicht.example".into();
    business.phone = "+49 30 1234567".into();
    business.bank_name = "Commerzbank".into();
    business.iban = "DE89370400440532013000".into();
    business.bic = "COBADEFFXXX".into();
    business.default_currency = Currency::parse("EUR")?;
    business.payment_terms_days = 14;
    business.default_rate = Some(dec(90));
    business.default_terms = "Payable within 14 days without deduction.".into();
    cat::update_business(tx, &business)?;

    let mut taxes = Vec::new();
    for (name, percent, category, reason) in [
        ("VAT 19%", 19, TaxCategory::S, None),
        ("VAT 7%", 7, TaxCategory::S, None),
        ("Reverse charge", 0, TaxCategory::AE, Some("Reverse charge")),
        ("Export outside the EU", 0, TaxCategory::G, Some("Export outside the EU")),
    ] {
        let mut t = TaxRateDef {
            id: 0,
            tax: TaxRate {
                name: name.into(),
                percent: dec(percent),
                category,
                exemption_reason: reason.map(Into::into),
            },
            archived: false,
        };
        t.id = cat::insert_tax_rate(tx, &t)?;
        taxes.push(t);
    }

    let n_members = (i.entries / 60_000).clamp(3, MEMBERS.len() as u64) as usize;
    let mut members = Vec::new();
    for (n, name) in MEMBERS.iter().take(n_members).enumerate() {
        let email = format!("{}@nordlicht.example", name.split(' ').next().unwrap_or("team").to_lowercase());
        let mut m = Member {
            id: 0,
            name: (*name).into(),
            email,
            default_rate: Some(dec(70 + 5 * rng.i64(0..=8))),
            archived: false,
        };
        if n == 0 {
            // The person using the app is member 1.
            m.id = 1;
            cat::update_member(tx, &m)?;
        } else {
            m.id = cat::insert_member(tx, &m)?;
        }
        members.push(m);
    }

    let mut clients = Vec::new();
    for n in 0..i.clients as usize {
        let (code, country, cities) = PLACES[PLACE_CYCLE[n % PLACE_CYCLE.len()]];
        let (city, postcode) = cities[n % cities.len()];
        let mut name = format!("{} {}", FIRST[n % FIRST.len()], SECOND[(n / FIRST.len()) % SECOND.len()]);
        if n >= FIRST.len() * SECOND.len() {
            name = format!("{name} {}", n / (FIRST.len() * SECOND.len()) + 1);
        }
        let legal = match country {
            "DE" | "AT" | "CH" => "GmbH",
            "FR" => "SAS",
            "NL" => "B.V.",
            "GB" => "Ltd",
            "JP" => "K.K.",
            _ => "Inc.",
        };
        let slug: String = name.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
        let tax = match country {
            "DE" => vec![taxes[0].id],
            "FR" | "NL" | "AT" => vec![taxes[2].id],
            _ => vec![taxes[3].id],
        };
        let mut c = Client {
            id: 0,
            name: format!("{name} {legal}"),
            contact_person: MEMBERS[(n * 7) % MEMBERS.len()].into(),
            emails: vec![format!("billing@{slug}.example")],
            address: String::new(),
            country: country.into(),
            tax_id: String::new(),
            currency: Some(Currency::parse(code)?),
            payment_terms_days: [None, Some(30), None, Some(21)][n % 4],
            tax_rate_ids: tax,
            rounding: [None, None, Some("up:15")][n % 3].map(RoundingPolicy::parse).transpose()?,
            rate: (n % 5 == 0).then(|| dec(100 + 10 * rng.i64(0..=6))),
            archived: false,
            street: format!(
                "{} {}",
                ["Market Street", "Hauptstraße", "Rue de la Paix", "Keizersgracht"][n % 4],
                n % 180 + 1
            ),
            postcode: postcode.into(),
            city: city.into(),
            buyer_reference: String::new(),
            peppol_id: String::new(),
            default_pricing: None,
        };
        c.id = cat::insert_client(tx, &c)?;
        clients.push(c);
    }

    let mut projects = Vec::new();
    let mut tasks = Vec::new();
    let roundings = [None, Some("up:15"), Some("nearest:6"), None, Some("up:6")];
    for n in 0..i.projects as usize {
        let client = &clients[n % clients.len()];
        let round = n / clients.len();
        let mut name = PROJECTS[round % PROJECTS.len()].to_string();
        if round >= PROJECTS.len() {
            name = format!("{name} {}", round / PROJECTS.len() + 1);
        }
        let mut p = Project {
            id: 0,
            client_id: client.id,
            name,
            billing_type: Default::default(),
            rate: (rng.u8(..10) < 7).then(|| dec(80 + 5 * rng.i64(0..=20))),
            budget: (n % 4 == 0).then(|| dec(500 * rng.i64(10..=60))),
            rounding: roundings[n % roundings.len()].map(RoundingPolicy::parse).transpose()?,
            archived: false,
            approval_required: false,
        };
        p.id = cat::insert_project(tx, &p)?;
        let mut own = Vec::new();
        for k in 0..2 + n % 3 {
            let mut t = Task {
                id: 0,
                project_id: p.id,
                name: TASKS[(n + k) % TASKS.len()].into(),
                rate: (rng.u8(..10) == 0).then(|| dec(120 + 10 * rng.i64(0..=4))),
                archived: false,
            };
            t.id = cat::insert_task(tx, &t)?;
            own.push(t);
        }
        projects.push(p);
        tasks.push(own);
    }
    Ok(Catalog { business, members, clients, projects, tasks, taxes })
}

/// Time entries over the working days from `from` to `today`, in date
/// order, ids 1.. . Each member works on a few projects a month and on two
/// or three of them a day, in many short stretches.
fn entries(i: &SeedInput, c: &Catalog, from: NaiveDate, today: NaiveDate, rng: &mut fastrand::Rng) -> Vec<TimeEntry> {
    let days: Vec<NaiveDate> = from
        .iter_days()
        .take_while(|d| *d <= today)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) || *d == today)
        .collect();
    let n_days = days.len() as u64;
    let n_members = c.members.len();
    let mut out: Vec<TimeEntry> = Vec::with_capacity(i.entries as usize);
    // Each member's projects for a month: (month index, project indexes).
    let mut portfolios: Vec<(i64, Vec<usize>)> = vec![(-1, Vec::new()); n_members];
    for (d, day) in days.iter().enumerate() {
        let d = d as u64;
        let today_count = (i.entries * (d + 1) / n_days - i.entries * d / n_days) as usize;
        let month = i64::from(day.year()) * 12 + i64::from(day.month0());
        for (m, member) in c.members.iter().enumerate() {
            let mine = today_count / n_members + usize::from(m < today_count % n_members);
            if mine == 0 {
                continue;
            }
            if portfolios[m].0 != month {
                let picks = (0..5).map(|_| rng.usize(..c.projects.len())).collect();
                portfolios[m] = (month, picks);
            }
            // What the member works on that day: a project, usually a task,
            // now and then internal (non-billable) work or a special rate.
            let activities: Vec<(usize, Option<i64>, bool, Option<Decimal>)> = (0..rng.usize(2..=3))
                .map(|_| {
                    let p = portfolios[m].1[rng.usize(..5)];
                    let t = &c.tasks[p];
                    let task = (rng.u8(..10) < 8).then(|| t[rng.usize(..t.len())].id);
                    (p, task, rng.u8(..100) < 93, (rng.u8(..100) < 3).then(|| dec(150)))
                })
                .collect();
            let mut clock = 7 * 3600 + rng.i64(0..3600);
            for k in 0..mine {
                let (p, task_id, billable, rate) = activities[(k * activities.len()) / mine];
                let project = &c.projects[p];
                let seconds = rng.i64(4..=16) * 60 + rng.i64(0..60);
                let timed = clock + seconds < 22 * 3600 && rng.u8(..10) < 7;
                let start = at(*day, clock);
                clock += seconds + rng.i64(0..300);
                out.push(TimeEntry {
                    id: out.len() as i64 + 1,
                    member_id: member.id,
                    client_id: project.client_id,
                    project_id: project.id,
                    task_id,
                    date: *day,
                    start_at: timed.then_some(start),
                    end_at: timed.then(|| start + Duration::seconds(seconds)),
                    seconds,
                    description: WORK[rng.usize(..WORK.len())].into(),
                    billable,
                    rate,
                    invoice_id: None,
                    billed_outside: None,
                    approval: Default::default(),
                    approval_reason: String::new(),
                });
            }
        }
    }
    out
}

/// Splits the billable time up to `cutoff` into `count` invoices: each
/// project gets invoices in proportion to its time, each invoice a run of
/// the project's entries in date order. Returns (project index, entry
/// indexes) per invoice.
fn chunks(entries: &[TimeEntry], c: &Catalog, cutoff: NaiveDate, count: u64) -> AppResult<Vec<(usize, Vec<usize>)>> {
    let index_of = |project_id: i64| c.projects.partition_point(|p| p.id < project_id);
    let mut per_project: Vec<Vec<usize>> = vec![Vec::new(); c.projects.len()];
    for (n, e) in entries.iter().enumerate() {
        if e.billable && e.date <= cutoff {
            per_project[index_of(e.project_id)].push(n);
        }
    }
    let total: u64 = per_project.iter().map(|v| v.len() as u64).sum();
    if count > total {
        return Err(AppError::invalid(
            "invoices",
            format!("only {total} billable entries are old enough to bill; ask for at most {total} invoices"),
        ));
    }
    if count == 0 {
        return Ok(Vec::new());
    }
    // Largest remainders: exactly `count` invoices, none empty.
    let mut shares: Vec<(u64, u64, usize)> = per_project
        .iter()
        .enumerate()
        .map(|(p, v)| {
            let exact = count as u128 * v.len() as u128;
            ((exact / total as u128) as u64, (exact % total as u128) as u64, p)
        })
        .collect();
    let given: u64 = shares.iter().map(|s| s.0).sum();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| shares[*b].1.cmp(&shares[*a].1).then(a.cmp(b)));
    for p in order.into_iter().take((count - given) as usize) {
        shares[p].0 += 1;
    }
    let mut out = Vec::with_capacity(count as usize);
    for (k, _, p) in shares {
        let list = &per_project[p];
        let k = k as usize;
        for j in 0..k {
            out.push((p, list[j * list.len() / k..(j + 1) * list.len() / k].to_vec()));
        }
    }
    Ok(out)
}

/// One invoice made from a run of entries, as `invoice from time` makes it.
fn invoice(
    c: &Catalog,
    entries: &[TimeEntry],
    project: usize,
    run: &[usize],
    today: NaiveDate,
    rng: &mut fastrand::Rng,
) -> AppResult<BulkInvoice> {
    let p = &c.projects[project];
    let client = c.clients.partition_point(|x| x.id < p.client_id);
    let client = &c.clients[client];
    let billable: Vec<BillableEntry> = run
        .iter()
        .map(|n| {
            let e = &entries[*n];
            let task = e.task_id.and_then(|t| c.tasks[project].iter().find(|x| x.id == t));
            let member = &c.members[c.members.partition_point(|m| m.id < e.member_id)];
            let chain = RateChain {
                entry: e.rate,
                task: task.and_then(|t| t.rate),
                project: p.rate,
                client: client.rate,
                member: member.default_rate,
                business: c.business.default_rate,
            };
            let (rate, _) = chain.resolve().ok_or_else(|| AppError::invalid("entries", "an entry has no rate"))?;
            Ok(BillableEntry {
                id: e.id,
                date: e.date,
                project_id: p.id,
                project_name: p.name.clone(),
                task_id: e.task_id,
                task_name: task.map(|t| t.name.clone()),
                member_name: member.name.clone(),
                description: e.description.clone(),
                seconds: e.seconds,
                rate,
                rounding: p.rounding.or(client.rounding).unwrap_or(c.business.rounding),
            })
        })
        .collect::<AppResult<_>>()?;
    let last = billable.iter().map(|b| b.date).max().unwrap_or(today);
    let issue = (last + Duration::days(rng.i64(1..=3))).min(today);
    let taxes: Vec<TaxRate> = client
        .tax_rate_ids
        .iter()
        .filter_map(|id| c.taxes.iter().find(|t| t.id == *id))
        .map(|t| t.tax.clone())
        .collect();
    let mut inv = Invoice {
        project_id: Some(p.id),
        tax_mode: TaxMode::Summary,
        discount: if rng.u8(..100) < 5 { Discount::Percent(dec(5)) } else { Discount::None },
        taxes,
        ..blank_draft(client, &c.business, issue, at(issue, 8 * 3600))
    };
    let currency = inv.currency;
    let locale = inv.locale.unwrap_or(c.business.locale);
    let mut lines: Vec<InvoiceLine> = group_entries(&billable, Grouping::Task)
        .into_iter()
        .enumerate()
        .map(|(n, t)| InvoiceLine {
            position: n as u32 + 1,
            description: crate::invoices::time_line_description(&t, locale, currency),
            quantity: t.quantity,
            seconds: Some(t.seconds),
            unit: "hours".into(),
            rate: t.rate,
            entry_ids: t.entry_ids,
            ..new_line(0)
        })
        .collect();
    let t = totals(&draft_of(&inv, &lines))?;
    for (l, lt) in lines.iter_mut().zip(&t.lines) {
        l.amount = lt.net;
    }
    inv.subtotal = t.subtotal;
    inv.discount_amount = t.discount;
    inv.tax_total = t.tax_total;
    inv.total = t.total;
    inv.amount_paid = t.amount_paid;
    inv.balance_due = t.balance_due;

    let age = (today - issue).num_days();
    let roll = rng.u8(..100);
    // The status the invoice should reach: older invoices are mostly paid;
    // the last billing run (time stays unbilled for four weeks) is half drafts.
    let target = match age {
        a if a > 90 => match roll {
            0..=89 => InvoiceStatus::Paid,
            90..=92 => InvoiceStatus::PartiallyPaid,
            93..=95 => InvoiceStatus::Sent,
            _ => InvoiceStatus::Cancelled,
        },
        a if a > 35 => match roll {
            0..=39 => InvoiceStatus::Paid,
            40..=54 => InvoiceStatus::PartiallyPaid,
            55..=94 => InvoiceStatus::Sent,
            _ => InvoiceStatus::Cancelled,
        },
        _ => match roll {
            0..=49 => InvoiceStatus::Draft,
            50..=89 => InvoiceStatus::Sent,
            _ => InvoiceStatus::Paid,
        },
    };
    let mut activity =
        vec![(inv.created_at, "created", format!("draft from {} time entries, grouped per task", billable.len()))];
    let mut payments = Vec::new();
    if target != InvoiceStatus::Draft {
        inv.status = InvoiceStatus::Sent;
        inv.issued_at = Some(at(issue, 9 * 3600));
        activity.push((at(issue, 9 * 3600), "sent", "marked as sent".into()));
    }
    let paid_on = |rng: &mut fastrand::Rng| (issue + Duration::days(rng.i64(2..=45))).min(today);
    let amounts: Vec<Decimal> = match target {
        InvoiceStatus::Paid if rng.u8(..10) < 2 => {
            let first = round_money(inv.total * Decimal::new(4, 1), currency);
            vec![first, inv.total - first]
        }
        InvoiceStatus::Paid => vec![inv.total],
        InvoiceStatus::PartiallyPaid => vec![round_money(inv.total / dec(2), currency)],
        _ => vec![],
    };
    for amount in amounts.into_iter().filter(|a| *a > Decimal::ZERO) {
        let date = paid_on(rng).max(payments.last().map_or(issue, |p: &Payment| p.date));
        activity.push((
            at(date, 12 * 3600),
            "payment_recorded",
            format!("{amount} {currency} on {date} by bank transfer"),
        ));
        payments.push(Payment {
            id: 0,
            invoice_id: 0,
            date,
            amount,
            method: "bank transfer".into(),
            reference: String::new(),
            note: String::new(),
            early_discount: Decimal::ZERO,
            client_payment_id: None,
        });
    }
    if !payments.is_empty() {
        let paid: Decimal = payments.iter().map(|p| p.amount).sum();
        let s = credit::settle(inv.status, inv.total, Decimal::ZERO, paid, Decimal::ZERO, Decimal::ZERO);
        let when = at(payments.last().map_or(issue, |p| p.date), 12 * 3600);
        if s.status != inv.status {
            activity.push((when, "status_changed", format!("{} → {}", inv.status.words(), s.status.words())));
        }
        inv.amount_paid = s.amount_paid;
        inv.balance_due = s.balance_due;
        inv.status = s.status;
    }
    if target == InvoiceStatus::Cancelled {
        // Cancelling releases the time: the lines stay, the links go.
        let released: usize = lines.iter().map(|l| l.entry_ids.len()).sum();
        for l in &mut lines {
            l.entry_ids.clear();
        }
        activity.push((
            at(issue + Duration::days(1), 10 * 3600),
            "cancelled",
            format!("sent → cancelled; {released} time entries released"),
        ));
        inv.status = InvoiceStatus::Cancelled;
    }
    Ok(BulkInvoice { invoice: inv, lines, payments, activity })
}

/// Generates the books and writes them in the caller's transaction.
fn generate(tx: &Tx, clock: &dyn Clock, i: &SeedInput) -> AppResult<(SeedOutcome, bulk::BulkCounts)> {
    let mut rng = fastrand::Rng::with_seed(i.seed);
    let today = clock.today();
    let from = today
        .checked_sub_months(chrono::Months::new(12 * i.years as u32))
        .ok_or_else(|| AppError::invalid("years", "reaches before the calendar"))?
        + Duration::days(1);
    let c = write_catalog(tx, i, &mut rng)?;
    let entries = entries(i, &c, from, today, &mut rng);
    // The last four weeks stay unbilled (when the books span more than that).
    let cutoff = (today - Duration::days(28)).max(from + Duration::days(((today - from).num_days() / 2).max(0)));
    let mut invoices = Vec::with_capacity(i.invoices as usize);
    for (p, run) in chunks(&entries, &c, cutoff, i.invoices)? {
        invoices.push(invoice(&c, &entries, p, &run, today, &mut rng)?);
    }
    // Numbers in order of issue, from the business's pattern.
    invoices.sort_by_key(|b| (b.invoice.issue_date, b.invoice.project_id));
    let pattern = NumberPattern::parse(&c.business.invoice_number_pattern)?;
    let mut counters: Vec<(&str, i32, u64)> = Vec::new();
    for b in &mut invoices {
        let year = pattern.counter_year(b.invoice.issue_date);
        let seq = match counters.iter_mut().find(|(_, y, _)| *y == year) {
            Some(c) => {
                c.2 += 1;
                c.2 - 1
            }
            None => {
                counters.push((SERIES, year, 2));
                1
            }
        };
        b.invoice.number = pattern.format(b.invoice.issue_date, seq);
        if let Some(created) = b.activity.first_mut() {
            created.2 = format!("draft {} {}", b.invoice.number, created.2.trim_start_matches("draft "));
        }
    }
    let counts = bulk::insert_books(tx, &entries, &invoices, &counters, clock.now().timestamp())?;
    let mut statuses: Vec<(String, u64)> = Vec::new();
    for s in ["draft", "sent", "partially_paid", "paid", "cancelled"] {
        let n = invoices.iter().filter(|b| b.invoice.status.as_str() == s).count() as u64;
        statuses.push((s.to_string(), n));
    }
    let outcome = SeedOutcome {
        path: String::new(),
        generator_version: SEED_GENERATOR_VERSION,
        seed: i.seed,
        from,
        today,
        members: c.members.len() as u64,
        clients: c.clients.len() as u64,
        projects: c.projects.len() as u64,
        tasks: c.tasks.iter().map(|t| t.len() as u64).sum(),
        entries: counts.entries,
        billed_entries: counts.billed_entries,
        unbilled_entries: counts.entries - counts.billed_entries,
        invoices: counts.invoices,
        invoice_lines: counts.lines,
        payments: counts.payments,
        statuses,
        bytes: 0,
    };
    Ok((outcome, counts))
}

impl Billable {
    /// Writes generated books (see the module) to a new file `out`, in one
    /// transaction. An existing file is refused and left alone; when
    /// anything fails, the new file is removed.
    pub fn seed_books(out: &Path, clock: Box<dyn Clock>, i: SeedInput) -> AppResult<SeedOutcome> {
        check(&i)?;
        if out.as_os_str().is_empty() {
            return Err(AppError::invalid("out", "is required"));
        }
        if out.exists() {
            return Err(AppError::invalid(
                "out",
                format!("{} already exists; generated books go to a new file", out.display()),
            ));
        }
        let result: AppResult<SeedOutcome> = (|| {
            let mut app = Billable::open(out, clock)?;
            let (mut outcome, _) = app.write("write the generated books", |tx, clock| generate(tx, clock, &i))?;
            drop(app);
            outcome.path = out.display().to_string();
            outcome.bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
            Ok(outcome)
        })();
        if result.is_err() {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = out.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
        result
    }
}
