//! Output: JSON for scripts, tables and short summaries for people.

use billable_app::views::{EntryView, InvoicePage, InvoicePreview, InvoiceView, TimerView, Unbilled};
use billable_app::{AppError, TimeReport};
use billable_core::model::{Business, Client, Member, Payment, Project, Task, TaxRateDef};
use billable_core::time::display_hours;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use serde::Serialize;

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: could not write JSON: {e}"),
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
                    if c.archived { "archived".into() } else { String::new() },
                ]
            })
            .collect(),
        &[0, 5],
    )
}

pub fn projects(list: &[Project]) -> String {
    table(
        &["ID", "Client", "Name", "Billing", "Rate", "Budget", "Rounding", ""],
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
                    opt(&e.entry.invoice_id),
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
    s
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
    if !i.po_number.is_empty() {
        s.push_str(&format!("PO {}\n", i.po_number));
    }
    if !i.tags.is_empty() {
        s.push_str(&format!("Tags: {}\n", i.tags.join(", ")));
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
    t.subtotal = i.subtotal;
    t.total = i.total;
    s.push_str(&totals_block(&t, i.currency.code()));
    s.push_str(&format!("{:>28} {:>14} {}\n", "Paid", i.amount_paid, i.currency));
    s.push_str(&format!("{:>28} {:>14} {}\n", "Balance due", i.balance_due, i.currency));
    if !v.payments.is_empty() {
        s.push_str("\nPayments\n");
        s.push_str(&payments(&v.payments, i.currency.code()));
        s.push('\n');
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
                    l.quantity.to_string(),
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
