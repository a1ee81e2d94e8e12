//! Recurring invoices: a profile made from an invoice (its lines, client,
//! currency, taxes, notes…) and a schedule; `run_recurring` generates every
//! cycle that is due and not generated yet — periods missed while the app
//! was closed each once. Each generation is its own transaction, and the
//! cycle is claimed in the database (unique per profile and period) before
//! the invoice is written, so two processes running at once never generate
//! a period twice.
//!
//! A profile in send mode also queues the invoice's email in the outbox in
//! that same transaction (a crash never leaves a generated invoice without
//! its email, and a second run never queues it again); the run then works
//! the outbox, and the invoice becomes sent when the server accepts it.

use billable_core::model::ActivityFacts;
use billable_core::recurring::{
    check_placeholders, fill, Frequency, Period, ProfileStatus, RecurringProfile, Schedule, SendMode, TemplateLine,
};
use billable_core::totals::totals;
use billable_store::catalog as cat;
use billable_store::invoices as idb;
use billable_store::mail as mdb;
use billable_store::{recurring as db, Tx};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::catalog::client_or_404;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::invoices::{draft_of, new_draft, new_line, resolve, save_draft, HeaderInput};
use crate::mail::{default_attachment, ensure_can_send_automatically, queue_invoice_job, SendInvoiceInput};
use crate::parse;
use crate::views::{GeneratedInvoice, RecurringFailure, RecurringRunReport, RecurringView};
use crate::Billable;

/// At most this many cycles of one profile are generated per run (a daily
/// profile that started years ago catches up over several runs).
const MAX_CYCLES_PER_RUN: usize = 400;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct RecurringInput {
    /// The invoice to make the template from (number or id).
    pub invoice: String,
    /// Defaults to the client's name and the frequency.
    pub name: Option<String>,
    /// weekly, monthly, quarterly or yearly.
    pub frequency: String,
    /// Every N weeks/months/quarters/years (default 1).
    pub interval: Option<u32>,
    /// The first period's date (default today).
    pub start_date: Option<String>,
    /// No cycle starts after this date.
    pub end_date: Option<String>,
    /// At most this many invoices.
    pub max_cycles: Option<u32>,
    /// "draft" (generate drafts to review, the default) or "send" (email
    /// each invoice to the client's billing emails; needs the mail server
    /// set up and a billing email on the client).
    pub send_mode: Option<String>,
}

fn profile_or_404(tx: &Tx, id: i64) -> AppResult<RecurringProfile> {
    db::profile(tx, id)?.ok_or_else(|| AppError::not_found("recurring profile", id))
}

/// Cycles due on `today` that are not generated yet.
fn pending(tx: &Tx, p: &RecurringProfile, today: NaiveDate) -> AppResult<Vec<Period>> {
    let done = db::generated_cycles(tx, p.id)?;
    let mut out = Vec::new();
    let mut n = 0u32;
    while out.len() < MAX_CYCLES_PER_RUN {
        match p.schedule.period(n) {
            Some(period) if period.start <= today => {
                if done.binary_search(&n).is_err() {
                    out.push(period);
                }
            }
            _ => break,
        }
        n += 1;
    }
    Ok(out)
}

fn profile_view(tx: &Tx, clock: &dyn Clock, p: RecurringProfile) -> AppResult<RecurringView> {
    let today = clock.today();
    let client = client_or_404(tx, p.client_id)?;
    let runs = db::runs(tx, p.id)?;
    let due_now = if p.status == ProfileStatus::Active { pending(tx, &p, today)?.len() } else { 0 };
    let next_period = match runs.last() {
        // The first cycle not generated yet: due now, or the next to come.
        _ if due_now > 0 => pending(tx, &p, today)?.first().copied(),
        Some(last) => p.schedule.period(last.cycle + 1),
        None => p.schedule.period(0),
    };
    Ok(RecurringView { client_name: client.name, next_period, due_now, runs, profile: p })
}

fn create(tx: &Tx, clock: &dyn Clock, i: &RecurringInput) -> AppResult<RecurringView> {
    let inv = resolve(tx, &i.invoice)?;
    let lines = idb::lines(tx, inv.id, inv.currency)?;
    if lines.is_empty() {
        return Err(AppError::invalid("invoice", format!("invoice {} has no lines to repeat", inv.number)));
    }
    let client = client_or_404(tx, inv.client_id)?;
    if client.archived {
        return Err(AppError::invalid("invoice", format!("client {} is archived", client.name)));
    }
    let frequency: Frequency = i.frequency.parse()?;
    let send_mode = match i.send_mode.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s.parse::<SendMode>()?,
        None => SendMode::Draft,
    };
    if send_mode == SendMode::Send {
        ensure_can_send_automatically(tx, &client)?;
    }
    let schedule = Schedule {
        frequency,
        interval: i.interval.unwrap_or(1),
        start: parse::date_opt("start_date", i.start_date.as_deref(), clock)?.unwrap_or_else(|| clock.today()),
        end: parse::date_opt("end_date", i.end_date.as_deref(), clock)?,
        max_cycles: i.max_cycles,
    };
    schedule.validate()?;
    for (n, l) in lines.iter().enumerate() {
        check_placeholders(&format!("lines[{}].description", n + 1), &l.description)?;
        check_placeholders(&format!("lines[{}].long_description", n + 1), &l.long_description)?;
    }
    check_placeholders("notes", &inv.notes)?;
    let name = match i.name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(n) => billable_core::model::require_name("name", n)?,
        None => format!("{} — {}", client.name, frequency),
    };
    let now = clock.now();
    let mut p = RecurringProfile {
        id: 0,
        name,
        client_id: inv.client_id,
        project_id: inv.project_id,
        source_invoice_id: Some(inv.id),
        currency: inv.currency,
        tax_mode: inv.tax_mode,
        pricing: inv.pricing,
        discount: inv.discount,
        taxes: inv.taxes.clone(),
        adjustment: inv.adjustment,
        adjustment_description: inv.adjustment_description.clone(),
        notes: inv.notes.clone(),
        terms: inv.terms.clone(),
        po_number: inv.po_number.clone(),
        category: inv.category.clone(),
        tags: inv.tags.clone(),
        payment_terms_days: u32::try_from((inv.due_date - inv.issue_date).num_days()).ok(),
        schedule,
        send_mode,
        status: ProfileStatus::Active,
        lines: lines
            .iter()
            .map(|l| TemplateLine {
                description: l.description.clone(),
                long_description: l.long_description.clone(),
                quantity: l.quantity,
                unit: l.unit.clone(),
                rate: l.rate,
                discount: l.discount,
                tax: l.tax.clone(),
            })
            .collect(),
        created_at: now,
    };
    p.id = db::insert_profile(tx, &p, now.timestamp())?;
    let facts = ActivityFacts { name: Some(p.name.clone()), ..Default::default() };
    let detail = format!("recurring profile {} ({})", p.id, p.name);
    idb::log_facts(tx, inv.id, now, "recurring_created", &detail, Some(&facts))?;
    profile_view(tx, clock, p)
}

/// Generates one cycle in the caller's transaction. None when the cycle was
/// generated meanwhile (by another process) or the profile was paused or
/// deleted.
fn generate(tx: &Tx, clock: &dyn Clock, profile_id: i64, period: Period) -> AppResult<Option<GeneratedInvoice>> {
    let Some(p) = db::profile(tx, profile_id)? else { return Ok(None) };
    if p.status != ProfileStatus::Active || p.schedule.period(period.cycle) != Some(period) {
        return Ok(None);
    }
    if p.send_mode == SendMode::Send {
        ensure_can_send_automatically(tx, &client_or_404(tx, p.client_id)?)?;
    }
    let now = clock.now();
    if !db::claim_cycle(tx, p.id, period.cycle, period.start, period.end, now.timestamp())? {
        return Ok(None);
    }
    let terms = p.payment_terms_days.map(|d| (period.start + Duration::days(i64::from(d))).to_string());
    let header = HeaderInput { issue_date: Some(period.start.to_string()), due_date: terms, ..Default::default() };
    let (mut inv, _) = new_draft(tx, clock, p.client_id, None, &header, true)?;
    inv.project_id = p.project_id.filter(|id| cat::project(tx, *id).ok().flatten().is_some());
    inv.currency = p.currency;
    inv.tax_mode = p.tax_mode;
    inv.pricing = p.pricing;
    inv.discount = p.discount;
    inv.taxes = p.taxes.clone();
    inv.adjustment = p.adjustment;
    inv.adjustment_description = fill(&p.adjustment_description, &period);
    inv.notes = fill(&p.notes, &period);
    inv.terms = p.terms.clone();
    inv.po_number = p.po_number.clone();
    inv.category = p.category.clone();
    inv.tags = p.tags.clone();
    inv.id = idb::insert_invoice(tx, &inv, now.timestamp())?;
    let mut lines = Vec::new();
    for (n, t) in p.lines.iter().enumerate() {
        let mut l = new_line(inv.id);
        l.position = n as u32 + 1;
        l.description = fill(&t.description, &period);
        l.long_description = fill(&t.long_description, &period);
        l.quantity = t.quantity;
        l.unit = t.unit.clone();
        l.rate = t.rate;
        l.discount = t.discount;
        l.tax = t.tax.clone();
        l.id = idb::insert_line(tx, &l, inv.currency)?;
        lines.push(l);
    }
    save_draft(tx, &mut inv, &mut lines, now.timestamp())?;
    db::set_cycle_invoice(tx, p.id, period.cycle, inv.id)?;
    let facts = ActivityFacts {
        how: Some("recurring".into()),
        name: Some(p.name.clone()),
        date: Some(period.start),
        until: Some(period.end),
        ..Default::default()
    };
    idb::log_facts(
        tx,
        inv.id,
        now,
        "created",
        &format!("draft {} from recurring profile {} for {} – {}", inv.number, p.name, period.start, period.end),
        Some(&facts),
    )?;
    let total = totals(&draft_of(&inv, &lines))?.total;
    let email_job = match p.send_mode {
        SendMode::Draft => None,
        SendMode::Send => {
            let inv = idb::invoice(tx, inv.id)?.ok_or_else(|| AppError::not_found("invoice", inv.id))?;
            let attachment = default_attachment(tx, clock, &inv)?;
            let input = SendInvoiceInput { invoice: inv.number.clone(), ..Default::default() };
            Some(queue_invoice_job(tx, clock, &inv, &input, attachment)?)
        }
    };
    Ok(Some(GeneratedInvoice {
        profile_id: p.id,
        profile_name: p.name,
        cycle: period.cycle,
        period_start: period.start,
        period_end: period.end,
        invoice_id: inv.id,
        invoice_number: inv.number,
        total,
        currency: inv.currency,
        email_job,
        email_state: None,
    }))
}

impl Billable {
    /// Makes a recurring profile from an invoice's lines and header, with a
    /// schedule. Line text may carry period placeholders such as
    /// `{MONTH} {YEAR}`.
    pub fn create_recurring(&mut self, i: RecurringInput) -> AppResult<RecurringView> {
        self.write("create the recurring profile", |tx, clock| create(tx, clock, &i))
    }

    pub fn recurring(&mut self, id: i64) -> AppResult<RecurringView> {
        self.read("read the recurring profile", |tx, clock| {
            let p = profile_or_404(tx, id)?;
            profile_view(tx, clock, p)
        })
    }

    pub fn recurring_profiles(&mut self) -> AppResult<Vec<RecurringView>> {
        self.read("list recurring profiles", |tx, clock| {
            db::profiles(tx, false)?.into_iter().map(|p| profile_view(tx, clock, p)).collect()
        })
    }

    /// Pauses (no invoices are generated) or resumes a profile. Periods that
    /// came while it was paused are generated on the next run after it
    /// resumes, each once.
    pub fn set_recurring_paused(&mut self, id: i64, paused: bool) -> AppResult<RecurringView> {
        self.write(if paused { "pause the recurring profile" } else { "resume the recurring profile" }, |tx, clock| {
            let p = profile_or_404(tx, id)?;
            let target = if paused { ProfileStatus::Paused } else { ProfileStatus::Active };
            if p.status == target {
                return Err(AppError::conflict(format!("recurring profile {} is already {target}", p.id)));
            }
            db::set_status(tx, id, target, clock.now().timestamp())?;
            profile_view(tx, clock, profile_or_404(tx, id)?)
        })
    }

    /// Deletes a profile; the invoices it generated stay.
    pub fn delete_recurring(&mut self, id: i64) -> AppResult<RecurringView> {
        self.write("delete the recurring profile", |tx, clock| {
            let p = profile_or_404(tx, id)?;
            let v = profile_view(tx, clock, p)?;
            db::delete_profile(tx, id)?;
            Ok(v)
        })
    }

    /// Generates every due cycle of every active profile that is not
    /// generated yet: `billable recurring run`, and the desktop app on start
    /// and periodically. One transaction per invoice; safe to run twice or
    /// from two processes at once. A profile that fails (say its client was
    /// archived, or it sends and email is no longer set up) is reported and
    /// retried on the next run.
    ///
    /// When an active profile is in send mode the outbox is worked after the
    /// invoices are generated: their emails go out now, or wait in the
    /// outbox (retried with back-off) when the server cannot be reached.
    pub fn run_recurring(&mut self) -> AppResult<RecurringRunReport> {
        let (today, work, sends) = self.read("find due recurring invoices", |tx, clock| {
            let today = clock.today();
            let mut work = Vec::new();
            let mut sends = false;
            for p in db::profiles(tx, true)? {
                sends |= p.send_mode == SendMode::Send;
                let due = pending(tx, &p, today)?;
                if !due.is_empty() {
                    work.push((p.id, p.name.clone(), due));
                }
            }
            Ok((today, work, sends))
        })?;
        let mut report =
            RecurringRunReport { today, generated: Vec::new(), failed: Vec::new(), outbox: None, outbox_error: None };
        for (id, name, periods) in work {
            for period in periods {
                match self.write("generate the recurring invoice", |tx, clock| generate(tx, clock, id, period)) {
                    Ok(Some(g)) => report.generated.push(g),
                    Ok(None) => {}
                    Err(e) => {
                        report.failed.push(RecurringFailure {
                            profile_id: id,
                            profile_name: name.clone(),
                            error: e.to_body(),
                        });
                        break;
                    }
                }
            }
        }
        if sends || report.generated.iter().any(|g| g.email_job.is_some()) {
            // The invoices are written and their emails queued whatever
            // happens here: a failure to work the outbox is reported, and
            // the emails wait for the next pass.
            match self.process_outbox() {
                Ok(run) => report.outbox = Some(run),
                Err(e) => report.outbox_error = Some(e.to_body()),
            }
            let jobs: Vec<i64> = report.generated.iter().filter_map(|g| g.email_job).collect();
            if !jobs.is_empty() {
                let states = self.read("read the outbox", |tx, _| {
                    jobs.iter().map(|id| Ok(mdb::job(tx, *id)?.map(|j| j.state))).collect::<AppResult<Vec<_>>>()
                })?;
                let mut states = states.into_iter();
                for g in report.generated.iter_mut().filter(|g| g.email_job.is_some()) {
                    g.email_state = states.next().flatten();
                }
            }
        }
        Ok(report)
    }
}
