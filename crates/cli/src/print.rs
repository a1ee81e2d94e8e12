//! Output: JSON for scripts, tables and short summaries for people.

use billable_app::backup_types::{AccountRule, BackupInfo};
use billable_app::mail::{
    BulkSendResult, ConnectionReport, EstimateSendOutcome, MailPreview, MailSettingsView, OutboxEntry, OutboxRun,
    ReminderRun, ScheduleView, SendOutcome, TemplateView,
};
use billable_app::tables::AsTable;
use billable_app::views::{
    CreditNoteListRow, CreditNoteView, EntryView, FromTimeCreated, InvoicePage, InvoicePreview, InvoiceView,
    ProjectBillingView, RecurringRunReport, RecurringView, TimerView, Unapproved, Unbilled,
};
use billable_app::{
    AgingReport, AppError, CatalogAction, CatalogOutcome, ClientFiguresReport, ImportOutcome, RevenueReport,
    TimeReport, UnbilledReport,
};
use billable_app::{ApprovalOutcome, SubmittedWeek};
use billable_core::model::{Business, Client, Member, Payment, Project, SavedItem, Task, TaxRateDef};
use billable_core::time::display_hours;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use serde::Serialize;

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => line(&s),
        Err(e) => eprintln!("error: could not write JSON: {e}"),
    }
}

/// Writes `text` and a line break to standard output.
pub fn line(text: &str) {
    out(&format!("{text}\n"));
}

/// Writes `text` to standard output. Never panics: a reader that went away
/// (`billable … | head`) ends the program quietly; any other failure, such
/// as a full disk under `> file`, is said on standard error and the exit
/// status is 1. The books were already saved when output is written.
pub fn out(text: &str) {
    use std::io::{ErrorKind, Write};
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            let why = if e.kind() == ErrorKind::StorageFull { "the disk is full".to_string() } else { e.to_string() };
            eprintln!(
                "error: could not write the output: {why}; the command itself was carried out and the books are saved"
            );
            std::process::exit(1);
        }
    }
}

pub fn error(e: &AppError, as_json: bool) {
    let body = e.to_body();
    if as_json {
        json(&serde_json::json!({ "error": body }));
    } else {
        eprintln!("error: {}", body.message);
    }
}

pub fn table(header: &[&str], rows: Vec<Vec<String>>, right: &[usize]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(header.to_vec());
    for r in rows {
        t.add_row(r);
    }
    for &i in right {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t.to_string()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "—".into())
}

pub fn hms(seconds: i64) -> String {
    format!("{}:{:02}:{:02}", seconds / 3600, seconds % 3600 / 60, seconds % 60)
}

pub fn business(b: &Business) -> String {
    let mut s = String::new();
    let rows = [
        ("Name", b.name.clone()),
        ("Street", b.street.clone()),
        ("Postcode, city", format!("{} {}", b.postcode, b.city).trim().to_string()),
        ("Address", b.address.replace('\n', ", ")),
        ("Country", b.country.clone()),
        ("VAT id", b.vat_id.clone()),
        ("Peppol ID", b.peppol_id.clone()),
        ("Tax id", b.tax_id.clone()),
        ("Email", b.email.clone()),
        ("Phone", b.phone.clone()),
        ("Bank", b.bank_name.clone()),
        ("IBAN", b.iban.clone()),
        ("BIC", b.bic.clone()),
        ("Payment link", b.payment_link.clone()),
        ("Currency", b.default_currency.to_string()),
        ("Payment terms", format!("{} days", b.payment_terms_days)),
        ("Logo", opt(&b.logo_path)),
        ("Default rate", opt(&b.default_rate)),
        ("Rounding", b.rounding.to_string()),
        ("Number pattern", b.invoice_number_pattern.clone()),
        ("Tax mode", b.default_tax_mode.as_str().to_string()),
        ("PDF template", b.pdf_template.to_string()),
        ("Paper", b.paper_size.to_string()),
        ("Locale", b.locale.to_string()),
        ("E-invoicing", if b.einvoicing { "on (Factur-X)" } else { "off" }.to_string()),
        ("Signature", opt(&b.signature_path)),
    ];
    for (k, v) in rows {
        s.push_str(&format!("{k:<15} {v}\n"));
    }
    s
}

pub fn clients(list: &[Client]) -> String {
    table(
        &["ID", "Name", "Email", "Currency", "Terms", "Rate", "Rounding", ""],
        list.iter()
            .map(|c| {
                vec![
                    c.id.to_string(),
                    c.name.clone(),
                    c.emails.join(", "),
                    opt(&c.currency),
                    c.payment_terms_days.map(|d| format!("{d} d")).unwrap_or_else(|| "—".into()),
                    opt(&c.rate),
                    opt(&c.rounding),
                    [
                        (c.default_pricing == Some(billable_core::tax::Pricing::Gross)).then_some("prices incl. tax"),
                        c.archived.then_some("archived"),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                ]
            })
            .collect(),
        &[0, 5],
    )
}

pub fn projects(list: &[Project]) -> String {
    table(
        &["ID", "Client", "Name", "Billing", "Rate", "Budget", "Rounding", "Approved only", ""],
        list.iter()
            .map(|p| {
                vec![
                    p.id.to_string(),
                    p.client_id.to_string(),
                    p.name.clone(),
                    p.billing_type.as_str().into(),
                    opt(&p.rate),
                    opt(&p.budget),
                    opt(&p.rounding),
                    if p.approval_required { "yes".into() } else { String::new() },
                    if p.archived { "archived".into() } else { String::new() },
                ]
            })
            .collect(),
        &[0, 1, 4, 5],
    )
}

pub fn tasks(list: &[Task]) -> String {
    table(
        &["ID", "Project", "Name", "Rate", ""],
        list.iter()
            .map(|t| {
                vec![
                    t.id.to_string(),
                    t.project_id.to_string(),
                    t.name.clone(),
                    opt(&t.rate),
                    if t.archived { "archived".into() } else { String::new() },
                ]
            })
            .collect(),
        &[0, 1, 3],
    )
}

pub fn team_role(v: &billable_app::TeamRoleView) -> String {
    let who = match &v.member {
        Some(m) => format!(" as team member {} ({})", m.name, m.id),
        None => String::new(),
    };
    match &v.login {
        Some(login) => format!("Connected to team books as {login}: {}{who}", v.role.as_str()),
        None => format!("These books are a file: you are their {}", v.role.as_str()),
    }
}

pub fn team_members(list: &[billable_app::TeamMemberView]) -> String {
    table(
        &["ID", "Name", "Login", "Role", "Projects", ""],
        list.iter()
            .map(|m| {
                vec![
                    m.member.id.to_string(),
                    m.member.name.clone(),
                    m.login.clone(),
                    m.role.as_str().to_string(),
                    m.projects.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "),
                    if m.active { String::new() } else { "removed".into() },
                ]
            })
            .collect(),
        &[0],
    )
}

pub fn team_member_added(a: &billable_app::TeamMemberAdded) -> String {
    let mut out = format!(
        "Added {} as {} ({}). They connect with:\n  billable --db {}\n",
        a.member.member.name,
        a.member.role.as_str(),
        a.member.login,
        a.url
    );
    match &a.password {
        Some(p) => out.push_str(&format!(
            "Their password (shown this once; give it to them, it is stored nowhere in the clear): {p}"
        )),
        None => out.push_str("with the password you gave."),
    }
    out
}

pub fn members(list: &[Member]) -> String {
    table(
        &["ID", "Name", "Email", "Default rate", ""],
        list.iter()
            .map(|m| {
                vec![
                    m.id.to_string(),
                    m.name.clone(),
                    m.email.clone(),
                    opt(&m.default_rate),
                    if m.archived { "archived".into() } else { String::new() },
                ]
            })
            .collect(),
        &[0, 3],
    )
}

pub fn taxes(list: &[TaxRateDef]) -> String {
    table(
        &["ID", "Name", "Percent", "Category", "Exemption reason", ""],
        list.iter()
            .map(|t| {
                vec![
                    t.id.to_string(),
                    t.tax.name.clone(),
                    format!("{}%", t.tax.percent),
                    t.tax.category.to_string(),
                    opt(&t.tax.exemption_reason),
                    if t.archived { "archived".into() } else { String::new() },
                ]
            })
            .collect(),
        &[0, 2],
    )
}

pub fn items(list: &[SavedItem]) -> String {
    if list.is_empty() {
        return "No saved items.".into();
    }
    table(
        &["ID", "Name", "Description", "Unit", "Rate", "Tax", ""],
        list.iter()
            .map(|i| {
                let details =
                    if i.long_description.is_empty() { String::new() } else { format!("\n{}", i.long_description) };
                vec![
                    i.id.to_string(),
                    i.name.clone(),
                    format!("{}{details}", i.line_description()),
                    i.unit.clone(),
                    i.rate.to_string(),
                    i.tax_rate_id.map(|t| t.to_string()).unwrap_or_default(),
                    if i.archived { "archived".into() } else { String::new() },
                ]
            })
            .collect(),
        &[0, 4],
    )
}

pub fn timer(t: &TimerView) -> String {
    let task = t.task_name.as_deref().map(|n| format!(" / {n}")).unwrap_or_default();
    let desc = if t.timer.description.is_empty() { String::new() } else { format!(" — {}", t.timer.description) };
    format!(
        "Running: {} / {}{}{} for {}\nStarted {} · elapsed {}",
        t.client_name,
        t.project_name,
        task,
        desc,
        t.member_name,
        t.timer.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
        hms(t.elapsed_seconds)
    )
}

pub fn entries(list: &[EntryView]) -> String {
    let mut s = table(
        &[
            "ID",
            "Date",
            "Client / Project",
            "Task",
            "Member",
            "Description",
            "Hours",
            "Billed h",
            "Rate",
            "Amount",
            "Invoice",
            "Approval",
        ],
        list.iter()
            .map(|e| {
                vec![
                    e.entry.id.to_string(),
                    e.entry.date.to_string(),
                    format!("{} / {}", e.client_name, e.project_name),
                    opt(&e.task_name),
                    e.member_name.clone(),
                    e.entry.description.clone(),
                    e.hours.to_string(),
                    if e.entry.billable { e.billed_hours.to_string() } else { "non-billable".into() },
                    opt(&e.rate),
                    e.amount.map(|a| format!("{a} {}", e.currency)).unwrap_or_else(|| "—".into()),
                    match (&e.entry.invoice_id, e.entry.billed_outside.as_deref()) {
                        (Some(id), _) => id.to_string(),
                        (None, Some("")) => "outside".into(),
                        (None, Some(r)) => format!("outside: {r}"),
                        (None, None) => "—".into(),
                    },
                    approval_word(&e.entry),
                ]
            })
            .collect(),
        &[0, 6, 7, 8, 9],
    );
    let total: i64 = list.iter().map(|e| e.entry.seconds).sum();
    s.push_str(&format!("\n{} entries, {} h", list.len(), display_hours(total)));
    s
}

pub fn unbilled(u: &Unbilled) -> String {
    let mut s = format!("Unbilled time for {} ({})\n", u.client_name, u.currency);
    s.push_str(&entries(&u.entries));
    s.push_str(&format!(
        "\nTotal: {} h tracked, {} h billed, {} {}",
        u.total_hours, u.billed_hours, u.total_amount, u.currency
    ));
    s.push_str(&unapproved_note(&u.unapproved));
    s
}

/// An entry's approval in a word or two ("rejected: why").
fn approval_word(e: &billable_core::model::TimeEntry) -> String {
    use billable_core::model::Approval;
    match e.approval {
        Approval::None => "—".into(),
        Approval::Rejected if !e.approval_reason.is_empty() => format!("rejected: {}", e.approval_reason),
        a => a.as_str().into(),
    }
}

/// "Left out: 3.50 h not approved yet (2 entries) …", or nothing.
fn unapproved_note(u: &Unapproved) -> String {
    if u.entries == 0 {
        return String::new();
    }
    format!(
        "\nLeft out: {} h not approved yet ({} {}) of projects that bill only approved time",
        u.hours,
        u.entries,
        if u.entries == 1 { "entry" } else { "entries" }
    )
}

pub fn created_from_time(v: &FromTimeCreated) -> String {
    let mut s = invoice(&v.invoice);
    s.push_str(&unapproved_note(&v.unapproved));
    s
}

pub fn approval(o: &ApprovalOutcome, done: &str) -> String {
    let mut s = format!("{done} {} entries, {} h\n", o.entries.len(), o.hours);
    s.push_str(&entries(&o.entries));
    if o.unchanged > 0 {
        s.push_str(&format!(
            "\n{} other entries of the week were left as they were (submitted or approved already, billed, or not of hourly projects)",
            o.unchanged
        ));
    }
    s
}

pub fn submitted_weeks(weeks: &[SubmittedWeek]) -> String {
    if weeks.is_empty() {
        return "No time is waiting for approval".into();
    }
    table(
        &["Week", "From", "To", "Member", "Entries", "Hours", "Billable h", "Entry ids"],
        weeks
            .iter()
            .map(|w| {
                vec![
                    w.week.clone(),
                    w.from.to_string(),
                    w.to.to_string(),
                    w.member_name.clone(),
                    w.entries.len().to_string(),
                    w.hours.to_string(),
                    w.billable_hours.to_string(),
                    w.entries.iter().map(|e| e.entry.id.to_string()).collect::<Vec<_>>().join(","),
                ]
            })
            .collect(),
        &[4, 5, 6],
    )
}

fn totals_block(t: &billable_core::totals::Totals, cur: &str) -> String {
    let mut s = String::new();
    let line = |label: &str, v: String| format!("{label:>28} {v:>14} {cur}\n");
    s.push_str(&line("Subtotal", t.subtotal.to_string()));
    if !t.discount.is_zero() {
        s.push_str(&line("Discount", format!("-{}", t.discount)));
    }
    for g in &t.taxes {
        s.push_str(&line(&format!("{} on {}", g.tax.name, g.base), g.amount.to_string()));
    }
    if !t.adjustment.is_zero() {
        s.push_str(&line("Adjustment", t.adjustment.to_string()));
    }
    s.push_str(&line("Total", t.total.to_string()));
    s
}

pub fn invoice(v: &InvoiceView) -> String {
    let i = &v.invoice;
    let mut s = format!(
        "Invoice {} · {} · {}\nIssued {} · due {} · {} · tax mode {}\n",
        i.number,
        v.client_name,
        v.display_status,
        i.issue_date,
        i.due_date,
        i.currency,
        i.tax_mode.as_str()
    );
    let gross = i.pricing.includes_tax();
    if gross {
        s.push_str("Prices include tax: rates and line amounts are gross; net and tax are derived per rate\n");
    }
    if !i.po_number.is_empty() {
        s.push_str(&format!("PO {}\n", i.po_number));
    }
    if let Some(e) = &v.from_estimate {
        let what = match e.kind.as_str() {
            "deposit" => format!("deposit {} of estimate", e.part),
            "final" => "final invoice of estimate".to_string(),
            _ => "from estimate".to_string(),
        };
        s.push_str(&format!("{} {what} {}\n", if e.kind == "full" { "Made" } else { "A" }, e.number));
    }
    if !i.tags.is_empty() {
        s.push_str(&format!("Tags: {}\n", i.tags.join(", ")));
    }
    if let Some(rate) = v.exchange_rate {
        s.push_str(&format!("Exchange rate: 1 {} = {rate} in the base currency\n", i.currency));
    }
    s.push_str(&table(
        &["#", "Description", "Qty", "Unit", "Rate", "Discount", "Tax", if gross { "Incl. tax" } else { "Amount" }],
        v.lines
            .iter()
            .zip(&v.totals.lines)
            .flat_map(|(l, lt)| {
                let row = vec![
                    l.position.to_string(),
                    l.description.clone(),
                    l.seconds.map_or_else(|| l.quantity.to_string(), billable_core::time::hours_minutes),
                    l.unit.clone(),
                    l.rate.to_string(),
                    l.discount.to_string(),
                    l.tax.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
                    if gross { lt.entered.to_string() } else { l.amount.to_string() },
                ];
                // The long description, indented under the line it belongs to.
                let details = l.long_description.lines().filter(|d| !d.trim().is_empty()).map(|d| {
                    let mut r = vec![String::new(); 8];
                    r[1] = format!("  {}", d.trim_end());
                    r
                });
                std::iter::once(row).chain(details.collect::<Vec<_>>())
            })
            .collect(),
        &[0, 2, 4, 7],
    ));
    s.push('\n');
    let mut t = v.totals.clone();
    t.subtotal = i.subtotal;
    t.total = i.total;
    if gross {
        s.push_str(&format!("{:>28} {:>14} {}\n", "Lines incl. tax", t.entered_subtotal, i.currency));
        if !t.entered_discount.is_zero() {
            s.push_str(&format!(
                "{:>28} {:>14} {}\n",
                "Discount incl. tax",
                format!("-{}", t.entered_discount),
                i.currency
            ));
        }
        s.push_str(&format!("{:>28}\n", "Net:"));
    }
    s.push_str(&totals_block(&t, i.currency.code()));
    if !v.credited.is_zero() {
        s.push_str(&format!("{:>28} {:>14} {}\n", "Credited", format!("-{}", v.credited), i.currency));
    }
    for d in &v.deposits {
        let split: Vec<String> = d.taxes.iter().map(|g| format!("{} {} on {}", g.tax.name, g.amount, g.base)).collect();
        s.push_str(&format!(
            "{:>28} {:>14} {}  ({})\n",
            format!("Deposit invoice {} of {}", d.number, d.issue_date),
            format!("-{}", d.total),
            i.currency,
            split.join(", ")
        ));
    }
    s.push_str(&format!("{:>28} {:>14} {}\n", "Paid", i.amount_paid, i.currency));
    if !i.early_discount_taken.is_zero() {
        s.push_str(&format!("{:>28} {:>14} {}\n", "Early-payment discount", i.early_discount_taken, i.currency));
    }
    s.push_str(&format!("{:>28} {:>14} {}\n", "Balance due", i.balance_due, i.currency));
    if let (Some(d), Some(t)) = (i.early_discount, &v.early_discount_terms) {
        if t.available {
            s.push_str(&format!(
                "\nEarly-payment discount: {}% if paid by {}: {} {} settles it ({} {} off)\n",
                d.percent, t.until, t.payable, i.currency, t.amount, i.currency
            ));
        }
    }
    if !v.payments.is_empty() {
        s.push_str("\nPayments\n");
        s.push_str(&payments(&v.payments, i.currency.code()));
        s.push('\n');
    }
    if !v.credit_notes.is_empty() {
        s.push_str("\nCredit notes\n");
        for n in &v.credit_notes {
            s.push_str(&format!(
                "  {}  {}  {} {}  (off the balance {}, refunded {})\n",
                n.number, n.issue_date, n.total, n.currency, n.applied, n.refunded
            ));
        }
    }
    if !v.refunds.is_empty() {
        s.push_str("\nRefunds\n");
        for r in &v.refunds {
            s.push_str(&format!("  {}  -{} {}  {}\n", r.date, r.amount, i.currency, r.method));
        }
    }
    if !i.notes.is_empty() {
        s.push_str(&format!("\nNotes: {}\n", i.notes));
    }
    if !i.terms.is_empty() {
        s.push_str(&format!("Terms: {}\n", i.terms));
    }
    if !v.activity.is_empty() {
        s.push_str("\nHistory\n");
        for a in &v.activity {
            s.push_str(&format!("  {}  {:<16} {}\n", a.at.format("%Y-%m-%d %H:%M"), a.kind, a.detail));
        }
    }
    s
}

pub fn preview(p: &InvoicePreview) -> String {
    let mut s = format!(
        "Preview for {} ({}): {} entries, {} h tracked, {} h billed — nothing was created\n",
        p.client_name,
        p.currency,
        p.entry_count,
        display_hours(p.raw_seconds),
        display_hours(p.billed_seconds)
    );
    s.push_str(&table(
        &["#", "Description", "Hours", "Rate", "Amount", "Entries"],
        p.lines
            .iter()
            .enumerate()
            .map(|(n, l)| {
                vec![
                    (n + 1).to_string(),
                    l.description.clone(),
                    if l.expense_id.is_some() { String::new() } else { billable_core::time::hours_minutes(l.seconds) },
                    l.rate.to_string(),
                    l.amount.to_string(),
                    l.entry_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","),
                ]
            })
            .collect(),
        &[0, 2, 3, 4],
    ));
    s.push('\n');
    s.push_str(&totals_block(&p.totals, p.currency.code()));
    s.push_str(&unapproved_note(&p.unapproved));
    s
}

pub fn invoice_page(p: &InvoicePage) -> String {
    let mut s = table(
        &["ID", "Number", "Client", "Issued", "Due", "Status", "Total", "Balance", "Cur"],
        p.rows
            .iter()
            .map(|r| {
                vec![
                    r.invoice.id.to_string(),
                    r.invoice.number.clone(),
                    r.client_name.clone(),
                    r.invoice.issue_date.to_string(),
                    r.invoice.due_date.to_string(),
                    r.display_status.to_string(),
                    r.invoice.total.to_string(),
                    r.invoice.balance_due.to_string(),
                    r.invoice.currency.to_string(),
                ]
            })
            .collect(),
        &[0, 6, 7],
    );
    let pages = p.total.div_ceil(u64::from(p.per_page)).max(1);
    s.push_str(&format!("\n{} invoices · page {} of {}", p.total, p.page, pages));
    s
}

pub fn payments(list: &[Payment], cur: &str) -> String {
    table(
        &["ID", "Date", "Amount", "Method", "Reference", "Note"],
        list.iter()
            .map(|p| {
                vec![
                    p.id.to_string(),
                    p.date.to_string(),
                    format!("{} {cur}", p.amount),
                    p.method.clone(),
                    p.reference.clone(),
                    p.note.clone(),
                ]
            })
            .collect(),
        &[0, 2],
    )
}

pub fn time_report(r: &TimeReport) -> String {
    let mut s = format!("Time from {} to {}\n", r.from, r.to);
    s.push_str(&table(
        &["Name", "Hours", "Billable h", "Amount", "Cur", "Unpriced h"],
        r.rows
            .iter()
            .map(|row| {
                vec![
                    row.name.clone(),
                    row.hours.to_string(),
                    row.billable_hours.to_string(),
                    row.amount.to_string(),
                    row.currency.to_string(),
                    if row.unpriced_seconds > 0 {
                        display_hours(row.unpriced_seconds).to_string()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
        &[1, 2, 3, 5],
    ));
    s.push_str(&format!("\nTotal {} h, billable {} h", r.total_hours, r.billable_hours));
    for m in &r.amounts {
        s.push_str(&format!(" · {} {}", m.amount, m.currency));
    }
    s
}

fn schedule_text(v: &RecurringView) -> String {
    let p = &v.profile;
    let sch = &p.schedule;
    let mut t = if sch.interval == 1 {
        sch.frequency.to_string()
    } else {
        format!("every {} × {}", sch.interval, sch.frequency)
    };
    t.push_str(&format!(" from {}", sch.start));
    if let Some(e) = sch.end {
        t.push_str(&format!(" until {e}"));
    }
    if let Some(m) = sch.max_cycles {
        t.push_str(&format!(", at most {m}"));
    }
    t
}

pub fn recurring(v: &RecurringView) -> String {
    let p = &v.profile;
    let mut s = format!(
        "Recurring profile {} · {} · {} · {}\nClient {} · {} · {} · mode {}\n",
        p.id,
        p.name,
        p.status,
        schedule_text(v),
        v.client_name,
        p.currency,
        p.tax_mode.as_str(),
        p.send_mode
    );
    s.push_str(&table(
        &["#", "Description (template)", "Qty", "Unit", "Rate", "Discount", "Tax"],
        p.lines
            .iter()
            .enumerate()
            .map(|(n, l)| {
                vec![
                    (n + 1).to_string(),
                    l.description.clone(),
                    l.quantity.to_string(),
                    l.unit.clone(),
                    l.rate.to_string(),
                    l.discount.to_string(),
                    l.tax.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
                ]
            })
            .collect(),
        &[0, 2, 4],
    ));
    s.push('\n');
    match &v.next_period {
        Some(n) if v.due_now > 0 => {
            s.push_str(&format!("{} period(s) due now, from {}; run `billable recurring run`\n", v.due_now, n.start))
        }
        Some(n) => s.push_str(&format!("Next period {} – {}\n", n.start, n.end)),
        None => s.push_str("The schedule is over\n"),
    }
    if !v.runs.is_empty() {
        s.push_str("\nGenerated\n");
        for r in &v.runs {
            s.push_str(&format!(
                "  {} – {}  {}\n",
                r.period_start,
                r.period_end,
                r.invoice_number.clone().unwrap_or_else(|| "(draft deleted)".into())
            ));
        }
    }
    s
}

pub fn recurring_list(list: &[RecurringView]) -> String {
    table(
        &["ID", "Name", "Client", "Schedule", "Mode", "Status", "Generated", "Next"],
        list.iter()
            .map(|v| {
                vec![
                    v.profile.id.to_string(),
                    v.profile.name.clone(),
                    v.client_name.clone(),
                    schedule_text(v),
                    v.profile.send_mode.to_string(),
                    v.profile.status.to_string(),
                    v.runs.len().to_string(),
                    match &v.next_period {
                        Some(n) if v.due_now > 0 => format!("{} (due)", n.start),
                        Some(n) => n.start.to_string(),
                        None => "—".into(),
                    },
                ]
            })
            .collect(),
        &[0, 6],
    )
}

pub fn recurring_run(r: &RecurringRunReport) -> String {
    let mut s = if r.generated.is_empty() {
        format!("Nothing due on {}", r.today)
    } else {
        table(
            &["Profile", "Period", "Invoice", "Total", "Cur", "Email"],
            r.generated
                .iter()
                .map(|g| {
                    vec![
                        g.profile_name.clone(),
                        format!("{} – {}", g.period_start, g.period_end),
                        g.invoice_number.clone(),
                        g.total.to_string(),
                        g.currency.to_string(),
                        match (&g.email_job, &g.email_state) {
                            (None, _) => "—".into(),
                            (Some(job), Some(state)) => format!("{state} (job {job})"),
                            (Some(job), None) => format!("job {job}"),
                        },
                    ]
                })
                .collect(),
            &[3],
        ) + &format!("\nGenerated {} invoice(s)", r.generated.len())
    };
    let emailed = r.generated.iter().filter(|g| g.email_job.is_some()).count();
    if emailed > 0 {
        let sent = r.generated.iter().filter(|g| g.email_state.as_deref() == Some("sent")).count();
        s.push_str(&format!("; {sent} of {emailed} emailed"));
        if sent < emailed {
            s.push_str(", the rest wait in the outbox (`billable outbox list`)");
        }
    }
    if let Some(e) = &r.outbox_error {
        s.push_str(&format!("\nThe outbox was not worked: {}", e.message));
    } else if r.outbox.as_ref().is_some_and(|o| o.busy) {
        s.push_str("\nAnother Billable is sending the outbox; it sends these emails");
    }
    for f in &r.failed {
        s.push_str(&format!("\nProfile {} ({}) failed: {}", f.profile_id, f.profile_name, f.error.message));
    }
    s
}

pub fn credit_note(v: &CreditNoteView) -> String {
    let n = &v.credit_note;
    let cur = n.currency.code();
    let mut s = format!(
        "Credit note {} · {} · for invoice {} · issued {} · {}\n",
        n.number, v.client_name, v.invoice_number, n.issue_date, cur
    );
    if !n.reason.is_empty() {
        s.push_str(&format!("Reason: {}\n", n.reason));
    }
    s.push_str(&table(
        &["#", "Description", "Qty", "Unit", "Rate", "Discount", "Tax", "Amount"],
        v.lines
            .iter()
            .map(|l| {
                vec![
                    l.position.to_string(),
                    l.description.clone(),
                    l.quantity.to_string(),
                    l.unit.clone(),
                    l.rate.to_string(),
                    l.discount.to_string(),
                    l.tax.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
                    l.amount.to_string(),
                ]
            })
            .collect(),
        &[0, 2, 4, 7],
    ));
    s.push('\n');
    let mut t = v.totals.clone();
    t.subtotal = n.subtotal;
    t.total = n.total;
    s.push_str(&totals_block(&t, cur));
    s.push_str(&format!("{:>28} {:>14} {cur}\n", "Off the balance", n.applied));
    s.push_str(&format!("{:>28} {:>14} {cur}\n", "Refunded", n.refunded));
    for r in &v.refunds {
        let by = if r.method.is_empty() { String::new() } else { format!(" by {}", r.method) };
        s.push_str(&format!("Refund of {} {cur} on {}{by}\n", r.amount, r.date));
    }
    s
}

pub fn credit_notes(list: &[CreditNoteListRow]) -> String {
    table(
        &["ID", "Number", "Invoice", "Client", "Date", "Total", "Refunded", "Cur"],
        list.iter()
            .map(|r| {
                vec![
                    r.credit_note.id.to_string(),
                    r.credit_note.number.clone(),
                    r.invoice_number.clone(),
                    r.client_name.clone(),
                    r.credit_note.issue_date.to_string(),
                    r.credit_note.total.to_string(),
                    r.credit_note.refunded.to_string(),
                    r.credit_note.currency.to_string(),
                ]
            })
            .collect(),
        &[0, 5, 6],
    )
}

pub fn project_billing(v: &ProjectBillingView) -> String {
    let p = &v.project;
    let mut s = format!("Project {} ({}) · {} · billed {}\n", p.id, p.name, v.client_name, p.billing_type.as_str());
    let cur = v.currency.code();
    if let (Some(fee), Some(inv), Some(rem)) = (v.fee, v.invoiced, v.remaining) {
        s.push_str(&format!("Fixed fee {fee} {cur} · invoiced {inv} {cur} · remaining {rem} {cur}\n"));
        if !v.fee_invoices.is_empty() {
            s.push_str(&format!("Invoices: {}\n", v.fee_invoices.join(", ")));
        }
    }
    if let Some(k) = v.retainer_period {
        s.push_str(&format!("Retainer {} {cur} {k}\n", opt(&p.budget)));
        for b in &v.billed_periods {
            s.push_str(&format!("  {}  {} – {}  {} ({})\n", b.label, b.start, b.end, b.invoice_number, b.status));
        }
    }
    s
}

/// A progress bar on stderr; drawn only when stderr is a terminal.
pub fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows · {per_sec} · {eta} left") {
        bar.set_style(style);
    }
    bar
}

/// "1 client", "2 clients".
fn things(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A list of projects or clients imported (or previewed).
fn catalog_outcome(o: &ImportOutcome, c: &CatalogOutcome) -> String {
    let (created, updated) = if o.dry_run { ("would create", "would fill in") } else { ("created", "filled in") };
    let mut parts = Vec::new();
    if o.clients + o.projects > 0 {
        let mut made = Vec::new();
        if o.clients > 0 {
            made.push(things(o.clients, "client", "clients"));
        }
        if o.projects > 0 {
            made.push(things(o.projects, "project", "projects"));
        }
        parts.push(format!("{created} {}", made.join(" and ")));
    }
    if c.clients_updated + c.projects_updated > 0 {
        let mut filled = Vec::new();
        if c.clients_updated > 0 {
            filled.push(things(c.clients_updated, "client", "clients"));
        }
        if c.projects_updated > 0 {
            filled.push(things(c.projects_updated, "project", "projects"));
        }
        parts.push(format!("{updated} empty fields of {}", filled.join(" and ")));
    }
    if c.unchanged > 0 {
        parts.push(format!(
            "{} {} already up to date",
            if o.dry_run { "would skip" } else { "skipped" },
            if c.unchanged == 1 { "1 row".to_string() } else { format!("{} rows", c.unchanged) }
        ));
    }
    if parts.is_empty() {
        parts.push("changed nothing".into());
    }
    let mut s = format!(
        "{} a {} file of {}: {}.",
        if o.dry_run { "Would import" } else { "Imported" },
        o.format.as_str(),
        things(o.rows, "row", "rows"),
        parts.join("; "),
    );
    match c.conflict_count {
        0 => {}
        1 => s.push_str("\n1 value differs from the books and was kept as it is there (listed below)."),
        n => s.push_str(&format!("\n{n} values differ from the books and were kept as they are there (listed below).")),
    }
    s.push_str(&format!("\nNumbers read as {}.", o.number_format.example()));
    if !c.ignored_columns.is_empty() {
        s.push_str(&format!("\nColumns not kept: {}.", c.ignored_columns.join(", ")));
    }
    let record = |client: &str, project: &Option<String>| match project {
        Some(p) => format!("{client} / {p}"),
        None => client.to_string(),
    };
    if !c.changes.is_empty() {
        s.push('\n');
        s.push_str(&table(
            &["Line", "Client / project", "Change", "Fields"],
            c.changes
                .iter()
                .map(|ch| {
                    vec![
                        ch.line.to_string(),
                        record(&ch.client, &ch.project),
                        match ch.action {
                            CatalogAction::Created => created.to_string(),
                            CatalogAction::Updated => updated.to_string(),
                        },
                        ch.fields.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "),
                    ]
                })
                .collect(),
            &[0],
        ));
    }
    if !c.conflicts.is_empty() {
        s.push_str("\nKept as in the books (the file differs):\n");
        s.push_str(&table(
            &["Line", "Client / project", "Field", "In the books (kept)", "In the file"],
            c.conflicts
                .iter()
                .map(|k| {
                    vec![
                        k.line.to_string(),
                        record(&k.client, &k.project),
                        k.field.as_str().to_string(),
                        k.kept.clone(),
                        k.file.clone(),
                    ]
                })
                .collect(),
            &[0],
        ));
        if c.conflict_count > c.conflicts.len() as u64 {
            s.push_str(&format!("\n… and {} more", c.conflict_count - c.conflicts.len() as u64));
        }
    }
    s
}

pub fn import_outcome(o: &ImportOutcome) -> String {
    if let Some(c) = &o.catalog {
        return catalog_outcome(o, c);
    }
    let verb = if o.dry_run { "Would import" } else { "Imported" };
    let create = if o.dry_run { "would create" } else { "created" };
    let mut s = format!(
        "{verb} {} time entries ({} h) from a {} file: {} rows, {} imported before{}{}.\nIt {} {} clients, {} projects, {} tasks, {} team members.",
        o.entries,
        o.hours,
        o.format.as_str(),
        o.rows,
        o.already_imported,
        if o.skipped_rows > 0 { format!(", {} skipped", o.skipped_rows) } else { String::new() },
        if o.billed_outside > 0 {
            format!(", {} already invoiced outside Billable (never offered for invoicing)", o.billed_outside)
        } else {
            String::new()
        },
        create,
        o.clients,
        o.projects,
        o.tasks,
        o.members
    );
    s.push_str(&format!(
        "\nNumbers read as {}; times read in {}.",
        o.number_format.example(),
        o.time_zone.as_deref().unwrap_or("this computer's time zone")
    ));
    for k in &o.skipped {
        s.push_str(&format!("\nSkipped line {}: {}", k.line, k.reason));
    }
    if o.skipped_rows > o.skipped.len() as u64 {
        s.push_str(&format!("\n… and {} more skipped", o.skipped_rows - o.skipped.len() as u64));
    }
    if !o.preview.is_empty() {
        s.push('\n');
        s.push_str(&table(
            &["Line", "Date", "Client", "Project", "Task", "Member", "Hours", "Billable", "Description"],
            o.preview
                .iter()
                .map(|r| {
                    vec![
                        r.line.to_string(),
                        r.date.to_string(),
                        r.client.clone(),
                        r.project.clone(),
                        r.task.clone().unwrap_or_default(),
                        r.member.clone().unwrap_or_default(),
                        display_hours(r.seconds).to_string(),
                        if r.billable { "yes" } else { "no" }.into(),
                        r.description.clone(),
                    ]
                })
                .collect(),
            &[0, 6],
        ));
    }
    s
}

pub fn xero_rules(rules: &[AccountRule]) -> String {
    if rules.is_empty() {
        return "No Xero account rules. Set a default with: billable xero map default 200".into();
    }
    table(
        &["Applies to", "Id", "Name", "Account code", "Description"],
        rules
            .iter()
            .map(|r| {
                vec![
                    r.kind.as_str().to_string(),
                    opt(&r.target_id),
                    r.target_name.clone().unwrap_or_default(),
                    r.account_code.clone(),
                    r.description.clone(),
                ]
            })
            .collect(),
        &[1],
    )
}

pub fn backups(list: &[BackupInfo]) -> String {
    if list.is_empty() {
        return "No backups yet. Make one with: billable backup create".into();
    }
    table(
        &["Created (UTC)", "Kind", "Size", "File"],
        list.iter()
            .map(|b| {
                vec![
                    b.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    format!("{:?}", b.kind).to_lowercase(),
                    format!("{} KiB", b.bytes.div_ceil(1024)),
                    b.path.display().to_string(),
                ]
            })
            .collect(),
        &[2],
    )
}

pub fn revenue(r: &RevenueReport) -> String {
    let mut s = format!("Revenue from {} to {} (per currency)\n", r.from, r.to);
    s.push_str(&table(
        &["Month", "Cur", "Invoices", "Invoiced", "Paid", "Outstanding"],
        r.rows
            .iter()
            .map(|x| {
                vec![
                    x.month.clone(),
                    x.currency.to_string(),
                    x.invoices.to_string(),
                    x.invoiced.to_string(),
                    x.paid.to_string(),
                    x.outstanding.to_string(),
                ]
            })
            .collect(),
        &[2, 3, 4, 5],
    ));
    for t in &r.totals {
        s.push_str(&format!(
            "\nTotal {}: invoiced {} · paid {} · outstanding {}",
            t.currency, t.invoiced, t.paid, t.outstanding
        ));
    }
    if r.base.iter().any(|b| !b.invoiced.is_zero() || !b.paid.is_zero()) {
        s.push_str(&format!("\n\nIn the base currency {} (from the invoices' exchange rates)\n", r.base_currency));
        s.push_str(&table(
            &["Month", "Invoiced", "Paid", "Outstanding", "Complete"],
            r.base
                .iter()
                .map(|b| {
                    vec![
                        b.month.clone(),
                        b.invoiced.to_string(),
                        b.paid.to_string(),
                        b.outstanding.to_string(),
                        if b.complete { "yes".into() } else { "no: some invoices have no rate".into() },
                    ]
                })
                .collect(),
            &[1, 2, 3],
        ));
    }
    s
}

pub fn aging(r: &AgingReport) -> String {
    let mut s = format!("Accounts receivable aging as of {} (days overdue)\n", r.as_of);
    let cells = |name: &str, x: &billable_app::AgingRow| {
        vec![
            name.to_string(),
            x.currency.to_string(),
            x.current.to_string(),
            x.days_1_30.to_string(),
            x.days_31_60.to_string(),
            x.days_61_90.to_string(),
            x.over_90.to_string(),
            x.total.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = r.rows.iter().map(|x| cells(&x.client_name, x)).collect();
    rows.extend(r.totals.iter().map(|x| cells("Total", x)));
    s.push_str(&table(
        &["Client", "Cur", "Current", "1–30", "31–60", "61–90", "> 90", "Total"],
        rows,
        &[2, 3, 4, 5, 6, 7],
    ));
    if r.totals.len() > 1 || r.totals.iter().any(|t| t.currency != r.base_currency) {
        s.push_str(&format!("\nAll open balances in {}: {}", r.base_currency, r.base_total));
        if !r.unconverted.is_empty() {
            s.push_str(&format!(" (without {}: no exchange rate)", r.unconverted.join(", ")));
        }
    }
    s
}

pub fn client_figures(r: &ClientFiguresReport) -> String {
    if r.clients.is_empty() {
        return format!("No client owes anything or has unbilled time as of {}", r.as_of);
    }
    let t = r.table();
    let mut s = format!("What clients owe and what is not invoiced yet, as of {}\n", r.as_of);
    s.push_str(&table(&["Client", "Cur", "Outstanding", "Overdue", "Unbilled", "Unpriced h"], t.rows, &[2, 3, 4, 5]));
    s
}

pub fn unbilled_report(r: &UnbilledReport) -> String {
    let mut s = String::from("Unbilled billable work\n");
    s.push_str(&table(
        &["Client", "Cur", "Entries", "Hours", "Amount", "Unpriced h"],
        r.rows
            .iter()
            .map(|x| {
                vec![
                    x.client_name.clone(),
                    x.currency.to_string(),
                    x.entries.to_string(),
                    x.hours.to_string(),
                    x.amount.to_string(),
                    if x.unpriced_seconds > 0 { display_hours(x.unpriced_seconds).to_string() } else { String::new() },
                ]
            })
            .collect(),
        &[2, 3, 4, 5],
    ));
    for m in &r.totals {
        s.push_str(&format!("\nTotal {} {}", m.amount, m.currency));
    }
    s
}

// ---- email --------------------------------------------------------------------------

fn when(t: &Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_else(|| "—".into())
}

pub fn mail_settings(v: &MailSettingsView) -> String {
    if !v.configured {
        return "Email is not set up yet. Run `billable mail setup --help`.".into();
    }
    let password = if v.username.is_empty() {
        "not needed (no login)".to_string()
    } else if v.password_stored {
        "stored in the OS keyring".to_string()
    } else {
        match &v.keyring_error {
            Some(e) => format!("unknown: {e}"),
            None => "MISSING from the OS keyring — run `billable mail setup` again".to_string(),
        }
    };
    let rows = [
        ("Server", format!("{}:{}", v.host, v.port)),
        ("Security", v.security.map(|s| s.to_string()).unwrap_or_default()),
        ("Login", if v.username.is_empty() { "—".into() } else { v.username.clone() }),
        ("Password", password),
        ("From", format!("{} <{}>", v.from_name, v.from_address)),
        ("Reply-To", opt(&v.reply_to)),
        ("Extra root certificate", if v.custom_ca { "yes".into() } else { "no".into() }),
    ];
    rows.iter().map(|(k, v)| format!("{k:>22}: {v}")).collect::<Vec<_>>().join("\n")
}

pub fn connection_report(r: &ConnectionReport) -> String {
    format!(
        "Connection OK: {}:{} ({}) reached at {}; {}; {}; sender {} accepted. Nothing was sent.",
        r.host,
        r.port,
        r.security,
        r.addresses.join(", "),
        if r.encrypted { "encrypted" } else { "NOT encrypted" },
        if r.authenticated { "logged in" } else { "no login" },
        r.sender
    )
}

pub fn templates(list: &[TemplateView]) -> String {
    let mut out = String::new();
    for t in list {
        out.push_str(&format!(
            "── {} template{} ──\nSubject: {}\n\n{}\n\n",
            t.template.kind,
            if t.is_default { " (default)" } else { "" },
            t.template.subject,
            t.template.body
        ));
    }
    if let Some(t) = list.first() {
        out.push_str("Placeholders:\n");
        for p in &t.placeholders {
            out.push_str(&format!("  {p}\n"));
        }
    }
    out.trim_end().to_string()
}

pub fn mail_preview(p: &MailPreview, html: bool) -> String {
    let mut out = format!("To: {}\nSubject: {}\n", p.to.join(", "), p.subject);
    if let Some(a) = &p.attachment {
        out.push_str(&format!("Attachment: {a}\n"));
    }
    out.push_str(&format!("\n{}", p.text));
    if html {
        out.push_str("\n\n── HTML ──\n");
        out.push_str(&p.html);
    }
    out
}

pub fn send_outcome(o: &SendOutcome) -> String {
    let to = o.job.to.join(", ");
    match o.state.as_str() {
        "sent" => format!(
            "Emailed invoice {} to {to}{} — invoice is {}.",
            o.invoice.invoice.number,
            o.job.attachment_name.as_ref().map(|a| format!(" with {a}")).unwrap_or_default(),
            o.invoice.display_status
        ),
        _ if o.job.last_error.is_none() => format!(
            "Invoice {}: the email is queued (job {}); another Billable is sending the outbox right now and will \
             send it. The invoice stays {} until the email is accepted.",
            o.invoice.invoice.number, o.job.id, o.invoice.display_status
        ),
        _ => format!(
            "Invoice {} could not be emailed yet; it waits in the outbox (job {}) and will be retried at {}.\n\
             Last error: {}\nThe invoice stays {} until the email is accepted.",
            o.invoice.invoice.number,
            o.job.id,
            when(&o.job.next_attempt_at),
            o.job.last_error.clone().unwrap_or_default(),
            o.invoice.display_status
        ),
    }
}

pub fn estimate_send_outcome(o: &EstimateSendOutcome) -> String {
    let to = o.job.to.join(", ");
    let number = &o.estimate.estimate.number;
    match o.state.as_str() {
        "sent" => format!(
            "Emailed estimate {number} to {to}{} — estimate is {}, valid until {}.",
            o.job.attachment_name.as_ref().map(|a| format!(" with {a}")).unwrap_or_default(),
            o.estimate.display_status,
            o.estimate.estimate.valid_until
        ),
        _ if o.job.last_error.is_none() => format!(
            "Estimate {number}: the email is queued (job {}); another Billable is sending the outbox right now and \
             will send it. The estimate stays {} until the email is accepted.",
            o.job.id, o.estimate.display_status
        ),
        _ => format!(
            "Estimate {number} could not be emailed yet; it waits in the outbox (job {}) and will be retried at {}.\n\
             Last error: {}\nThe estimate stays {} until the email is accepted.",
            o.job.id,
            when(&o.job.next_attempt_at),
            o.job.last_error.clone().unwrap_or_default(),
            o.estimate.display_status
        ),
    }
}

pub fn bulk_send(results: &[BulkSendResult]) -> String {
    results
        .iter()
        .map(|r| match &r.error {
            None => format!("{}: {} (job {})", r.invoice, r.state.clone().unwrap_or_default(), opt(&r.job_id)),
            Some(e) => format!("{}: failed — {}", r.invoice, e.message),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn outbox(list: &[OutboxEntry]) -> String {
    if list.is_empty() {
        return "The outbox is empty.".into();
    }
    let rows = list
        .iter()
        .map(|j| {
            vec![
                j.id.to_string(),
                j.state.clone(),
                j.kind.clone(),
                opt(&j.invoice_number.clone().or_else(|| j.estimate_number.clone())),
                j.to.join(", "),
                j.attempts.to_string(),
                match j.state.as_str() {
                    "sent" => format!("sent {}", when(&j.sent_at)),
                    "queued" => format!("retry {}", when(&j.next_attempt_at)),
                    _ => when(&j.last_attempt_at),
                },
                j.last_error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(&["Job", "State", "Kind", "For", "To", "Tries", "When", "Last error"], rows, &[0, 5])
}

pub fn outbox_run(r: &OutboxRun) -> String {
    if r.busy {
        return "Another Billable is sending the outbox right now; nothing to do here.".into();
    }
    let mut lines: Vec<String> = Vec::new();
    for j in r.recovered.iter().chain(&r.results) {
        let inv = match (&j.invoice, &j.estimate) {
            (Some(i), _) => format!(" (invoice {i})"),
            (None, Some(e)) => format!(" (estimate {e})"),
            (None, None) => String::new(),
        };
        lines.push(match j.state.as_str() {
            "sent" => format!("job {}{inv}: sent", j.job_id),
            "queued" => format!(
                "job {}{inv}: waiting, retry at {} — {}",
                j.job_id,
                when(&j.next_attempt_at),
                j.error.clone().unwrap_or_default()
            ),
            s => {
                format!("job {}{inv}: {s}{}", j.job_id, j.error.as_ref().map(|e| format!(" — {e}")).unwrap_or_default())
            }
        });
    }
    if lines.is_empty() {
        "Nothing was due in the outbox.".into()
    } else {
        lines.join("\n")
    }
}

pub fn reminder_run(r: &ReminderRun) -> String {
    let mut out = String::new();
    if r.reminders.is_empty() {
        out.push_str(&format!("No reminders are due on {}.", r.today));
    } else {
        let rows = r
            .reminders
            .iter()
            .map(|m| {
                vec![
                    m.invoice.clone(),
                    m.client_name.clone(),
                    m.kind.to_string(),
                    match m.offset_days {
                        0 => "due today".into(),
                        n if n < 0 => format!("{} d before due", -n),
                        n => format!("{n} d overdue"),
                    },
                    m.to.join(", "),
                    match (&m.skipped, m.job_id) {
                        (Some(why), _) => format!("skipped: {why}"),
                        (None, Some(id)) => format!("queued (job {id})"),
                        (None, None) => "would be sent".into(),
                    },
                    match &m.late_fee {
                        None => "—".into(),
                        Some(f) => match &f.fee_invoice {
                            Some(n) => format!("{} {} ({}) invoiced as {n}", f.amount, f.currency, f.fee),
                            None => format!("{} {} ({}) would be invoiced", f.amount, f.currency, f.fee),
                        },
                    },
                ]
            })
            .collect();
        out.push_str(&format!(
            "Reminders due on {}{}:\n",
            r.today,
            if r.dry_run { " (dry run: nothing sent)" } else { "" }
        ));
        out.push_str(&table(&["Invoice", "Client", "Template", "When", "To", "Outcome", "Late fee"], rows, &[]));
    }
    if let Some(o) = &r.outbox {
        out.push('\n');
        out.push_str(&outbox_run(o));
    }
    out
}

pub fn schedule(s: &ScheduleView) -> String {
    let days = |d: &[u32]| {
        if d.is_empty() {
            "none".to_string()
        } else {
            d.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
        }
    };
    let mut out = format!(
        "Reminders {} (schedule of the {}): {} days before the due date; {} days after.",
        if s.enabled { "on" } else { "off" },
        s.source,
        days(&s.days_before),
        days(&s.days_after)
    );
    if !s.late_fees.is_empty() {
        let fees: Vec<String> = s.late_fees.iter().map(|f| format!("{} days after: {}", f.days_after, f.fee)).collect();
        out.push_str(&format!("\nLate fees: {}.", fees.join("; ")));
    }
    out
}

pub fn scheduled_run(r: &billable_app::ScheduledRun) -> String {
    let mut parts = Vec::new();
    if let Some(recurring) = &r.recurring {
        parts.push(format!("Recurring invoices\n{}", recurring_run(recurring)));
    }
    if let Some(reminders) = &r.reminders {
        parts.push(format!("Reminders\n{}", reminder_run(reminders)));
    }
    if let Some(outbox) = &r.outbox {
        parts.push(format!("Outbox\n{}", outbox_run(outbox)));
    }
    if let Some(backup) = &r.backup {
        parts.push(format!(
            "Automatic backup\n{}",
            match backup {
                billable_app::AutoBackup::Created { backup, .. } => format!("made {}", backup.path.display()),
                billable_app::AutoBackup::NotDue { newest } => format!("not due (newest: {})", newest.path.display()),
                billable_app::AutoBackup::Off => "off".to_string(),
                billable_app::AutoBackup::Damaged { report } => format!("not made: {}", report.message),
            }
        ));
    }
    for f in &r.failed {
        parts.push(format!("{} failed: {}", f.part, f.error.message));
    }
    parts.join("\n\n")
}

/// An estimate: header, lines, totals and the invoices made from it.
pub fn estimate(v: &billable_app::EstimateView) -> String {
    let e = &v.estimate;
    let mut s = format!(
        "Estimate {} · {} · {}\nIssued {} · valid until {} · {} · tax mode {}\n",
        e.number,
        v.client_name,
        v.display_status,
        e.issue_date,
        e.valid_until,
        e.currency,
        e.tax_mode.as_str()
    );
    let gross = e.pricing.includes_tax();
    if gross {
        s.push_str("Prices include tax: rates and line amounts are gross; net and tax are derived per rate\n");
    }
    if !e.po_number.is_empty() {
        s.push_str(&format!("PO {}\n", e.po_number));
    }
    s.push_str(&table(
        &["#", "Description", "Qty", "Unit", "Rate", "Discount", "Tax", if gross { "Incl. tax" } else { "Amount" }],
        v.lines
            .iter()
            .zip(&v.totals.lines)
            .map(|(l, lt)| {
                vec![
                    l.position.to_string(),
                    l.description.clone(),
                    l.quantity.to_string(),
                    l.unit.clone(),
                    l.rate.to_string(),
                    l.discount.to_string(),
                    l.tax.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
                    if gross { lt.entered.to_string() } else { l.amount.to_string() },
                ]
            })
            .collect(),
        &[0, 2, 4, 7],
    ));
    s.push('\n');
    s.push_str(&totals_block(&v.totals, e.currency.code()));
    if !v.invoices.is_empty() {
        s.push_str("\nInvoices made from it\n");
        for m in &v.invoices {
            let what = match m.kind.as_str() {
                "deposit" => format!("deposit {}", m.part),
                "final" => "final invoice".to_string(),
                _ => "in full".to_string(),
            };
            s.push_str(&format!(
                "  {}  {}  {} {}  {}  ({})\n",
                m.number,
                m.issue_date,
                m.total,
                e.currency,
                what,
                m.status.words()
            ));
        }
        if !v.deposited.is_zero() {
            s.push_str(&format!("  Deposits invoiced: {} {}\n", v.deposited, e.currency));
        }
    }
    if !v.emails.is_empty() {
        s.push_str("\nEmails\n");
        for j in &v.emails {
            let when = match j.state.as_str() {
                "sent" => format!("sent {}", when(&j.sent_at)),
                "queued" => format!("waiting, retry {}", when(&j.next_attempt_at)),
                state => format!("{state} (job {})", j.id),
            };
            s.push_str(&format!("  {}  {when}\n", j.to.join(", ")));
        }
    }
    if !e.notes.is_empty() {
        s.push_str(&format!("\nNotes: {}\n", e.notes));
    }
    if !e.terms.is_empty() {
        s.push_str(&format!("Terms: {}\n", e.terms));
    }
    s
}

/// The estimate list.
pub fn estimates(rows: &[billable_app::EstimateListRow]) -> String {
    if rows.is_empty() {
        return "No estimates.".to_string();
    }
    table(
        &["Number", "Client", "Issued", "Valid until", "Total", "Status"],
        rows.iter()
            .map(|r| {
                vec![
                    r.number.clone(),
                    r.client_name.clone(),
                    r.issue_date.to_string(),
                    r.valid_until.to_string(),
                    format!("{} {}", r.total, r.currency),
                    r.display_status.to_string(),
                ]
            })
            .collect(),
        &[4],
    )
}

// ---- expenses -----------------------------------------------------------------

/// What an expense was: its note, else its category, and the vendor.
pub fn expense_what(e: &billable_app::ExpenseView) -> String {
    let x = &e.expense;
    let what = [x.note.as_str(), x.category.as_str()].into_iter().find(|t| !t.trim().is_empty()).unwrap_or("expense");
    if x.vendor.trim().is_empty() {
        what.to_string()
    } else {
        format!("{what}, {}", x.vendor)
    }
}

fn expense_state(e: &billable_app::ExpenseView) -> String {
    match (&e.invoice_number, e.expense.billable) {
        (Some(n), _) => format!("billed on {n}"),
        (None, true) => "unbilled".into(),
        (None, false) => "not billable".into(),
    }
}

pub fn expense(e: &billable_app::ExpenseView) -> String {
    let x = &e.expense;
    let mut s = format!("Expense {} — {}\n", x.id, x.date);
    let mut row = |k: &str, v: String| {
        if !v.trim().is_empty() {
            s.push_str(&format!("{k:<10} {v}\n"));
        }
    };
    row("Amount", format!("{} {} (net)", x.amount, x.currency));
    row("Category", x.category.clone());
    row("Vendor", x.vendor.clone());
    row("Note", x.note.clone());
    row("Tax", e.tax_name.clone().unwrap_or_default());
    row("Client", e.client_name.clone().unwrap_or_default());
    row("Project", e.project_name.clone().unwrap_or_default());
    row("Markup", x.markup.map(|m| format!("{m} %")).unwrap_or_default());
    if x.billable {
        row("Bills", format!("{} {} before tax", e.billed_amount, x.currency));
    }
    row("State", expense_state(e));
    row(
        "Receipt",
        e.receipt.as_ref().map(|r| format!("{} ({}, {} bytes)", r.file_name, r.media_type, r.size)).unwrap_or_default(),
    );
    s.trim_end().to_string()
}

pub fn expenses(l: &billable_app::ExpenseList) -> String {
    if l.expenses.is_empty() {
        return "No expenses.".into();
    }
    let mut s = table(
        &["ID", "Date", "Amount", "Cur", "Category", "Vendor", "Note", "Client / project", "State", "Receipt"],
        l.expenses
            .iter()
            .map(|e| {
                let x = &e.expense;
                let on = match (&e.client_name, &e.project_name) {
                    (Some(c), Some(p)) => format!("{c} / {p}"),
                    (Some(c), None) => c.clone(),
                    _ => String::new(),
                };
                vec![
                    x.id.to_string(),
                    x.date.to_string(),
                    x.amount.to_string(),
                    x.currency.to_string(),
                    x.category.clone(),
                    x.vendor.clone(),
                    x.note.clone(),
                    on,
                    expense_state(e),
                    e.receipt.as_ref().map(|r| r.file_name.clone()).unwrap_or_default(),
                ]
            })
            .collect(),
        &[0, 2],
    );
    for t in &l.totals {
        s.push_str(&format!(
            "\nTotal {} {} in {} expenses · billable {} · unbilled {}",
            t.amount, t.currency, t.count, t.billable, t.unbilled
        ));
    }
    s
}

pub fn expense_import(o: &billable_app::ExpenseImportOutcome) -> String {
    let mut s = if o.dry_run {
        format!("Dry run: {} rows, {} expenses would be created", o.rows, o.created)
    } else {
        format!("Imported {} expenses from {} rows", o.created, o.rows)
    };
    if o.already_imported > 0 {
        s.push_str(&format!(", {} imported before (skipped)", o.already_imported));
    }
    if !o.preview.is_empty() {
        s.push('\n');
        s.push_str(&table(
            &["Line", "Date", "Amount", "Cur", "Category", "Vendor", "Note", "Client", "Project", "Billable"],
            o.preview
                .iter()
                .map(|r| {
                    vec![
                        r.line.to_string(),
                        r.date.to_string(),
                        r.amount.to_string(),
                        r.currency.to_string(),
                        r.category.clone(),
                        r.vendor.clone(),
                        r.note.clone(),
                        r.client_name.clone().unwrap_or_default(),
                        r.project_name.clone().unwrap_or_default(),
                        if r.billable { "yes".into() } else { "no".into() },
                    ]
                })
                .collect(),
            &[0, 2],
        ));
    }
    for e in &o.errors {
        s.push_str(&format!("\nLine {}, column {}: {}", e.line, e.column, e.message));
    }
    if !o.errors.is_empty() {
        s.push_str("\nNothing can be imported until these rows are fixed.");
    }
    s
}

pub fn expense_report(r: &billable_app::ExpenseReport) -> String {
    let mut s = format!("Expenses and profit {} – {}\n", r.from, r.to);
    s.push_str(&table(
        &["Project", "Client", "Cur", "Billed", "Expenses", "Profit"],
        r.projects
            .iter()
            .map(|p| {
                vec![
                    if p.project_id.is_some() { p.project_name.clone() } else { "(no project)".into() },
                    p.client_name.clone(),
                    p.currency.to_string(),
                    p.billed.to_string(),
                    p.expenses.to_string(),
                    p.profit.to_string(),
                ]
            })
            .collect(),
        &[3, 4, 5],
    ));
    s.push('\n');
    s.push_str(&table(
        &["Category", "Cur", "Count", "Amount", "Billable"],
        r.categories
            .iter()
            .map(|c| {
                vec![
                    if c.category.is_empty() { "(none)".into() } else { c.category.clone() },
                    c.currency.to_string(),
                    c.count.to_string(),
                    c.amount.to_string(),
                    c.billable.to_string(),
                ]
            })
            .collect(),
        &[2, 3, 4],
    ));
    for t in &r.totals {
        s.push_str(&format!(
            "\nTotal {}: billed {} · expenses {} · profit {}",
            t.currency, t.billed, t.expenses, t.profit
        ));
    }
    s
}

/// "Credit left: 300.00 EUR" (or "No credit left").
pub fn credit_line(c: &billable_app::ClientCredit) -> String {
    if c.credit.is_empty() {
        return format!("{} has no credit left.", c.client_name);
    }
    let parts: Vec<String> = c.credit.iter().map(|a| format!("{} {}", a.amount, a.currency)).collect();
    format!("{} has {} of credit left.", c.client_name, parts.join(" and "))
}

pub fn client_credit(c: &billable_app::ClientCredit) -> String {
    let mut s = credit_line(c);
    s.push('\n');
    if c.payments.is_empty() {
        s.push_str("No payments received across invoices.\n");
        return s;
    }
    let rows = c
        .payments
        .iter()
        .map(|p| {
            let cur = p.payment.currency;
            let shares = p.shares.iter().map(|s| format!("{} {}", s.amount, s.invoice)).collect::<Vec<_>>().join(", ");
            vec![
                p.payment.id.to_string(),
                p.payment.date.to_string(),
                format!("{} {cur}", p.payment.amount),
                shares,
                format!("{} {cur}", p.payment.refunded),
                format!("{} {cur}", p.payment.left),
                p.payment.method.clone(),
                p.payment.reference.clone(),
            ]
        })
        .collect();
    s.push_str(&table(
        &["ID", "Received", "Amount", "Went to", "Paid back", "Credit left", "Method", "Reference"],
        rows,
        &[0, 2, 4, 5],
    ));
    s
}

pub fn client_payment_plan(p: &billable_app::ClientPaymentPlan) -> String {
    let cur = p.currency;
    let mut s = format!("A payment of {} {cur} on {} would go to:\n", p.amount, p.date);
    let rows = p
        .invoices
        .iter()
        .map(|i| {
            vec![
                i.invoice.clone(),
                i.due_date.to_string(),
                format!("{} {cur}", i.balance_due),
                format!("{} {cur}", i.settles_with),
                format!("{} {cur}", i.share),
            ]
        })
        .collect();
    s.push_str(&table(&["Invoice", "Due", "Balance", "Settles with", "Share"], rows, &[2, 3, 4]));
    s.push_str(&format!("\nLeft as credit: {} {cur} (credit before: {} {cur})", p.credit, p.credit_before));
    s
}
