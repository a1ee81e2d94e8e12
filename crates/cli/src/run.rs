//! One arm per command: build the use case's input, call it, print.

use std::process::ExitCode;

use billable_app::views::FromTimeOutcome;
use billable_app::{
    AgingInput, BackupSettingsInput, ClientFiguresInput, ExportFilter, ImportInput, RevenueInput, UnbilledReportInput,
    XeroExportInput, XeroRuleInput,
};
use billable_app::{
    AppError, AppResult, ApprovalInput, Billable, BulkAction, BusinessInput, ClientInput, CloneInput, EInvoiceFormat,
    EntryInput, EntryListInput, FromTimeInput, HeaderInput, InvoiceInput, InvoiceListInput, ItemInput, ItemListInput,
    LineInput, MemberInput, PaymentInput, ProjectInput, TaskInput, TaxRateInput, TimeGroup, TimeReportInput,
    TimerStartInput, UnbilledInput,
};
use serde::Serialize;

use billable_app::{
    AllocationInput, ApplyCreditInput, ClientPaymentInput, ConvertInput, CreditNoteInput, CreditNoteListInput,
    CreditRefundInput, EstimateHeaderInput, EstimateInput, EstimateListInput, PdfOptions, ProjectInvoiceInput,
    RecurringInput,
};
use billable_app::{ExpenseImportInput, ExpenseInput, ExpenseListInput, ExpenseReportInput, TeamMemberInput};

use crate::args::*;
use crate::print;
use billable_app::tables::AsTable;

/// Prints JSON or the human rendering.
pub(crate) fn show<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T) -> String) {
    if json {
        print::json(value);
    } else {
        print::line(&human(value));
    }
}

/// Writes an exported file whole or not at all: a temporary file beside the
/// target, renamed over it once complete.
fn write_export(out: &std::path::Path, bytes: &[u8]) -> AppResult<()> {
    let fail = |e: std::io::Error| AppError::invalid("out", format!("could not write {}: {e}", out.display()));
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name =
        out.file_name().ok_or_else(|| AppError::invalid("out", format!("{} is not a file name", out.display())))?;
    let tmp = dir.join(format!(".{}.part", name.to_string_lossy()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

pub(crate) fn client_id(app: &mut Billable, key: &str) -> AppResult<i64> {
    app.find_client(key).map(|c| c.id).map_err(|e| match e {
        AppError::NotFound { id, .. } => AppError::invalid("client", format!("no client with id or name '{id}'")),
        other => other,
    })
}

/// A project by the name or id a person typed, among the client's projects
/// when one is given.
pub(crate) fn project_id(app: &mut Billable, key: &str, client: Option<i64>) -> AppResult<i64> {
    app.find_project(key, client).map(|p| p.id)
}

fn opt_project(app: &mut Billable, key: Option<String>, client: Option<i64>) -> AppResult<Option<i64>> {
    key.map(|k| project_id(app, &k, client)).transpose()
}

/// A task by name or id, among the project's tasks when one is known.
fn opt_task(app: &mut Billable, key: Option<String>, project: Option<i64>) -> AppResult<Option<i64>> {
    key.map(|k| app.find_task(&k, project).map(|t| t.id)).transpose()
}

fn team_member(app: &mut Billable, c: TeamMemberCmd, json: bool) -> AppResult<()> {
    let projects = |app: &mut Billable, keys: Vec<String>| -> AppResult<Vec<i64>> {
        keys.iter().map(|k| project_id(app, k, None)).collect()
    };
    match c {
        TeamMemberCmd::Add { name, email, role, login, password, projects: keys } => {
            let projects = projects(app, keys)?;
            let added =
                app.add_team_member(TeamMemberInput { name, email, role: Some(role), login, password, projects })?;
            show(json, &added, print::team_member_added);
        }
        TeamMemberCmd::List => show(json, &app.team_members()?, |l| print::team_members(l)),
        TeamMemberCmd::Role { member, role } => {
            let id = app.find_member(&member)?.id;
            show(json, &app.set_team_role(id, &role)?, |m| print::team_members(std::slice::from_ref(m)));
        }
        TeamMemberCmd::Projects { member, add, remove } => {
            let id = app.find_member(&member)?.id;
            let add = projects(app, add)?;
            let remove = projects(app, remove)?;
            show(json, &app.set_member_projects(id, &add, &remove)?, |m| print::team_members(std::slice::from_ref(m)));
        }
        TeamMemberCmd::Remove { member } => {
            let id = app.find_member(&member)?.id;
            show(json, &app.remove_team_member(id)?, |m| {
                format!("Removed {}: the login {} can no longer connect; their time stays", m.member.name, m.login)
            });
        }
    }
    Ok(())
}

/// A team member by name, email or id.
fn opt_member(app: &mut Billable, key: Option<String>) -> AppResult<Option<i64>> {
    key.map(|k| app.find_member(&k).map(|m| m.id)).transpose()
}

fn opt_client(app: &mut Billable, key: Option<String>) -> AppResult<Option<i64>> {
    key.map(|k| client_id(app, &k)).transpose()
}

fn client_input(name: Option<String>, f: ClientArgs) -> ClientInput {
    ClientInput {
        name,
        contact_person: f.contact,
        emails: (!f.emails.is_empty()).then_some(f.emails),
        address: f.address,
        country: f.country,
        tax_id: f.tax_id,
        currency: f.currency,
        payment_terms_days: f.terms,
        tax_rate_ids: if f.no_tax { Some(vec![]) } else { (!f.taxes.is_empty()).then_some(f.taxes) },
        rounding: f.rounding,
        rate: f.rate,
        street: f.street,
        postcode: f.postcode,
        city: f.city,
        buyer_reference: f.buyer_reference,
        peppol_id: f.peppol_id,
        default_pricing: f.prices,
    }
}

fn project_input(client_id: Option<i64>, name: Option<String>, f: ProjectArgs) -> ProjectInput {
    ProjectInput {
        client_id,
        name,
        billing_type: f.billing_type,
        rate: f.rate,
        budget: f.budget,
        rounding: f.rounding,
        approval_required: f.approval_required,
    }
}

fn approval_input(app: &mut Billable, a: ApprovalArgs, reason: Option<String>) -> AppResult<ApprovalInput> {
    Ok(ApprovalInput {
        week: a.week,
        member_id: opt_member(app, a.member)?,
        entry_ids: (!a.ids.is_empty()).then_some(a.ids),
        reason,
    })
}

fn header_input(h: HeaderArgs, project_id: Option<Option<i64>>) -> HeaderInput {
    HeaderInput {
        issue_date: h.issue_date,
        due_date: h.due_date,
        currency: h.currency,
        tax_mode: h.tax_mode,
        pricing: h.prices,
        tax_rate_ids: if h.no_tax { Some(vec![]) } else { (!h.taxes.is_empty()).then_some(h.taxes) },
        discount: h.discount,
        adjustment: h.adjustment,
        adjustment_description: h.adjustment_description,
        notes: h.notes,
        terms: h.terms,
        po_number: h.po_number,
        category: h.category,
        tags: if h.no_tags { Some(vec![]) } else { (!h.tags.is_empty()).then_some(h.tags) },
        project_id,
        template: h.template,
        locale: h.locale,
        early_discount: h.early_discount,
    }
}

fn entry_input(
    app: &mut Billable,
    project_id: Option<i64>,
    task_id: Option<Option<i64>>,
    billable: Option<bool>,
    f: EntryArgs,
) -> AppResult<EntryInput> {
    Ok(EntryInput {
        project_id,
        task_id,
        member_id: opt_member(app, f.member)?,
        description: f.description,
        billable,
        rate: f.rate,
        start: f.start,
        end: f.end,
        date: f.date,
        hours: f.hours,
    })
}

fn line_input(l: LineArgs) -> LineInput {
    LineInput {
        item: l.item,
        description: l.description,
        long_description: l.long_description.map(|d| d.replace("\\n", "\n")),
        quantity: l.quantity,
        unit: l.unit,
        rate: l.rate,
        discount: l.discount,
        tax_rate_id: l.tax,
    }
}

/// "DESCRIPTION|QUANTITY|RATE[|UNIT[|DISCOUNT[|TAX[|DETAILS]]]]"
fn parse_line_spec(n: usize, spec: &str) -> AppResult<LineInput> {
    let parts: Vec<&str> = spec.split('|').collect();
    if parts.len() < 3 || parts.len() > 7 {
        return Err(AppError::invalid(
            &format!("lines[{n}]"),
            format!("'{spec}' is not DESCRIPTION|QUANTITY|RATE[|UNIT[|DISCOUNT[|TAX_ID[|DETAILS]]]]"),
        ));
    }
    let get = |i: usize| parts.get(i).map(|s| s.to_string());
    Ok(LineInput {
        item: None,
        description: get(0),
        quantity: get(1),
        rate: get(2),
        unit: get(3),
        discount: get(4),
        tax_rate_id: get(5),
        long_description: get(6).map(|d| d.replace("\\n", "\n")),
    })
}

pub fn run(app: &mut Billable, cmd: Command, json: bool) -> AppResult<ExitCode> {
    match cmd {
        Command::Business(c) => match c {
            BusinessCmd::Show => show(json, &app.business()?, print::business),
            BusinessCmd::Set(a) => {
                let a = *a;
                let b = app.update_business(BusinessInput {
                    name: a.name,
                    address: a.address.map(|s| s.replace("\\n", "\n")),
                    country: a.country,
                    tax_id: a.tax_id,
                    email: a.email,
                    phone: a.phone,
                    bank_name: a.bank_name,
                    iban: a.iban,
                    bic: a.bic,
                    payment_link: a.payment_link,
                    default_currency: a.currency,
                    payment_terms_days: a.terms,
                    logo_path: a.logo,
                    default_rate: a.rate,
                    rounding: a.rounding,
                    invoice_number_pattern: a.number_pattern,
                    default_tax_mode: a.tax_mode,
                    default_notes: a.notes,
                    default_terms: a.terms_text,
                    street: a.street,
                    postcode: a.postcode,
                    city: a.city,
                    vat_id: a.vat_id,
                    pdf_template: a.template,
                    paper_size: a.paper,
                    locale: a.locale,
                    einvoicing: a.einvoicing,
                    signature_path: a.signature,
                    peppol_id: a.peppol_id,
                })?;
                show(json, &b, print::business)
            }
        },
        Command::Client(c) => match c {
            ClientCmd::Add { name, fields } => {
                let c = app.create_client(client_input(Some(name), fields))?;
                show(json, &c, |c| format!("Added client {} ({})", c.id, c.name))
            }
            ClientCmd::Edit { client, name, fields } => {
                let id = client_id(app, &client)?;
                let c = app.edit_client(id, client_input(name, fields))?;
                show(json, &c, |c| print::clients(std::slice::from_ref(c)))
            }
            ClientCmd::List { all, search } => show(json, &app.clients(all, search.as_deref())?, |l| print::clients(l)),
            ClientCmd::Show { client } => {
                let id = client_id(app, &client)?;
                show(json, &app.client(id)?, |c| print::clients(std::slice::from_ref(c)))
            }
            ClientCmd::Archive { client } => {
                let id = client_id(app, &client)?;
                show(json, &app.archive_client(id, true)?, |c| format!("Archived client {}", c.name))
            }
            ClientCmd::Unarchive { client } => {
                let id = client_id(app, &client)?;
                show(json, &app.archive_client(id, false)?, |c| format!("Client {} is active again", c.name))
            }
        },
        Command::Project(c) => match c {
            ProjectCmd::Add { name, client, fields } => {
                let cid = client_id(app, &client)?;
                let p = app.create_project(project_input(Some(cid), Some(name), fields))?;
                show(json, &p, |p| format!("Added project {} ({})", p.id, p.name))
            }
            ProjectCmd::Edit { project, name, client, fields } => {
                let id = project_id(app, &project, None)?;
                let cid = client.map(|c| client_id(app, &c)).transpose()?;
                let p = app.edit_project(id, project_input(cid, name, fields))?;
                show(json, &p, |p| print::projects(std::slice::from_ref(p)))
            }
            ProjectCmd::List { client, all } => {
                let cid = client.map(|c| client_id(app, &c)).transpose()?;
                show(json, &app.projects(cid, all)?, |l| print::projects(l))
            }
            ProjectCmd::Archive { id } => {
                show(json, &app.archive_project(id, true)?, |p| format!("Archived project {}", p.name))
            }
            ProjectCmd::Unarchive { id } => {
                show(json, &app.archive_project(id, false)?, |p| format!("Project {} is active again", p.name))
            }
            ProjectCmd::Billing { id } => show(json, &app.project_billing(id)?, print::project_billing),
            ProjectCmd::Retainer { id, period } => {
                show(json, &app.set_retainer_period(id, &period)?, print::project_billing)
            }
        },
        Command::Task(c) => match c {
            TaskCmd::Add { name, project, rate } => {
                let project = project_id(app, &project, None)?;
                let t = app.create_task(TaskInput { project_id: Some(project), name: Some(name), rate })?;
                show(json, &t, |t| format!("Added task {} ({})", t.id, t.name))
            }
            TaskCmd::Edit { id, name, rate } => {
                let t = app.edit_task(id, TaskInput { project_id: None, name, rate })?;
                show(json, &t, |t| print::tasks(std::slice::from_ref(t)))
            }
            TaskCmd::List { project, all } => {
                let project = opt_project(app, project, None)?;
                show(json, &app.tasks(project, all)?, |l| print::tasks(l))
            }
            TaskCmd::Archive { id } => {
                show(json, &app.archive_task(id, true)?, |t| format!("Archived task {}", t.name))
            }
            TaskCmd::Unarchive { id } => {
                show(json, &app.archive_task(id, false)?, |t| format!("Task {} is active again", t.name))
            }
        },
        Command::Member(c) => match c {
            MemberCmd::Add { name, email, rate } => {
                let m = app.create_member(MemberInput { name: Some(name), email, default_rate: rate })?;
                show(json, &m, |m| format!("Added team member {} ({})", m.id, m.name))
            }
            MemberCmd::Edit { id, name, email, rate } => {
                let m = app.edit_member(id, MemberInput { name, email, default_rate: rate })?;
                show(json, &m, |m| print::members(std::slice::from_ref(m)))
            }
            MemberCmd::List { all } => show(json, &app.members(all)?, |l| print::members(l)),
            MemberCmd::Archive { id } => show(json, &app.archive_member(id, true)?, |m| format!("Archived {}", m.name)),
            MemberCmd::Unarchive { id } => {
                show(json, &app.archive_member(id, false)?, |m| format!("{} is active again", m.name))
            }
        },
        Command::Tax(c) => match c {
            TaxCmd::Add { name, percent, category, reason } => {
                let t = app.create_tax_rate(TaxRateInput {
                    name: Some(name),
                    percent: Some(percent),
                    category,
                    exemption_reason: reason,
                })?;
                show(json, &t, |t| format!("Added tax rate {} ({}, {}%)", t.id, t.tax.name, t.tax.percent))
            }
            TaxCmd::Edit { id, name, percent, category, reason } => {
                let t = app.edit_tax_rate(id, TaxRateInput { name, percent, category, exemption_reason: reason })?;
                show(json, &t, |t| print::taxes(std::slice::from_ref(t)))
            }
            TaxCmd::List { all } => show(json, &app.tax_rates(all)?, |l| print::taxes(l)),
            TaxCmd::Archive { id } => {
                show(json, &app.archive_tax_rate(id, true)?, |t| format!("Archived {}", t.tax.name))
            }
            TaxCmd::Unarchive { id } => {
                show(json, &app.archive_tax_rate(id, false)?, |t| format!("{} is active again", t.tax.name))
            }
        },
        Command::Item(c) => item(app, c, json)?,
        Command::Expense(c) => expense(app, c, json)?,
        Command::Timer(c) => match c {
            TimerCmd::Start { client, project, task, description, member, non_billable } => {
                let client = opt_client(app, client)?;
                let project = project_id(app, &project, client)?;
                let task_id = opt_task(app, task, Some(project))?;
                let member_id = opt_member(app, member)?;
                let s = app.timer_start(TimerStartInput {
                    project_id: project,
                    task_id,
                    description,
                    member_id,
                    billable: Some(!non_billable),
                    started_at: None,
                })?;
                show(json, &s, |s| {
                    let mut out = String::new();
                    if let Some(st) = &s.stopped {
                        out.push_str(&format!("Stopped the running timer after {}\n", print::hms(st.seconds)));
                    }
                    out.push_str(&print::timer(&s.timer));
                    out
                })
            }
            TimerCmd::Stop { member } => {
                let member = opt_member(app, member)?;
                let s = app.timer_stop(member)?;
                show(json, &s, |s| match &s.entry {
                    Some(e) if s.short => format!(
                        "Stopped after {} — saved time entry {} as non-billable: a timer shorter than a minute \
                         bills nothing (bill it with `billable time edit {} --billable true`)",
                        print::hms(s.seconds),
                        e.entry.id,
                        e.entry.id
                    ),
                    Some(e) => format!("Stopped after {} — saved time entry {}", print::hms(s.seconds), e.entry.id),
                    None => "Stopped after less than a second — no time entry saved".into(),
                })
            }
            TimerCmd::Status { member } => {
                let member = opt_member(app, member)?;
                let t = app.timer_status(member)?;
                show(json, &t, |t| match t {
                    Some(t) => print::timer(t),
                    None => "No timer is running".into(),
                })
            }
            TimerCmd::Discard { member } => {
                let member = opt_member(app, member)?;
                show(json, &app.timer_discard(member)?, |t| {
                    format!("Discarded the timer ({})", print::hms(t.elapsed_seconds))
                })
            }
        },
        Command::Time(c) => match c {
            TimeCmd::Add { client, project, task, fields, non_billable } => {
                let client = opt_client(app, client)?;
                let project = project_id(app, &project, client)?;
                let task = opt_task(app, task, Some(project))?;
                let input = entry_input(app, Some(project), task.map(Some), Some(!non_billable), fields)?;
                let e = app.add_entry(input)?;
                show(json, &e, |e| format!("Added time entry {} ({} h on {})", e.entry.id, e.hours, e.entry.date))
            }
            TimeCmd::Edit { id, project, task, fields, billable } => {
                let project = opt_project(app, project, None)?;
                let task = match task.as_deref().map(str::trim) {
                    None => None,
                    Some("0") => Some(None),
                    Some(key) => {
                        let within = match project {
                            Some(p) => p,
                            None => app.entry(id)?.entry.project_id,
                        };
                        Some(Some(app.find_task(key, Some(within))?.id))
                    }
                };
                let input = entry_input(app, project, task, billable, fields)?;
                show(json, &app.edit_entry(id, input)?, |e| print::entries(std::slice::from_ref(e)))
            }
            TimeCmd::Delete { id } => {
                show(json, &app.delete_entry(id)?, |e| format!("Deleted time entry {}", e.entry.id))
            }
            TimeCmd::MarkInvoiced { ids, reference } => show(json, &app.mark_billed_outside(&ids, &reference)?, |l| {
                format!("Marked {} entries as invoiced outside Billable\n{}", l.len(), print::entries(l))
            }),
            TimeCmd::UnmarkInvoiced { ids } => show(json, &app.unmark_billed_outside(&ids)?, |l| {
                format!("{} entries can be invoiced again\n{}", l.len(), print::entries(l))
            }),
            TimeCmd::Submit { which } => {
                let input = approval_input(app, which, None)?;
                show(json, &app.submit_time(input)?, |o| print::approval(o, "Submitted"))
            }
            TimeCmd::Approve { which } => {
                let input = approval_input(app, which, None)?;
                show(json, &app.approve_time(input)?, |o| print::approval(o, "Approved"))
            }
            TimeCmd::Reject { which, reason } => {
                let input = approval_input(app, which, Some(reason))?;
                show(json, &app.reject_time(input)?, |o| print::approval(o, "Rejected"))
            }
            TimeCmd::Approvals => show(json, &app.submitted_weeks()?, |w| print::submitted_weeks(w)),
            TimeCmd::List {
                client,
                project,
                task,
                member,
                billable,
                non_billable,
                from,
                to,
                unbilled,
                approval,
                limit,
                latest,
            } => {
                let cid = opt_client(app, client)?;
                let project = opt_project(app, project, cid)?;
                let task = opt_task(app, task, project)?;
                let member = opt_member(app, member)?;
                let list = app.entries(EntryListInput {
                    client_id: cid,
                    project_id: project,
                    task_id: task,
                    member_id: member,
                    billable: if billable {
                        Some(true)
                    } else if non_billable {
                        Some(false)
                    } else {
                        None
                    },
                    from,
                    to,
                    unbilled_only: unbilled,
                    approval,
                    limit,
                    latest,
                })?;
                show(json, &list, |l| print::entries(l))
            }
            TimeCmd::Unbilled { client, project, from, to } => {
                let cid = client_id(app, &client)?;
                let project = opt_project(app, project, Some(cid))?;
                let u = app.unbilled(UnbilledInput { client_id: cid, project_id: project, from, to })?;
                show(json, &u, print::unbilled)
            }
        },
        Command::Invoice(c) => return invoice(app, c, json),
        Command::Estimate(c) => return estimate(app, c, json),
        Command::Recurring(c) => return recurring(app, c, json),
        Command::CreditNote(c) => return credit_note(app, c, json),
        Command::Payment(c) => match c {
            PaymentCmd::Add { invoice, amount, date, method, reference, note, keep_credit } => {
                let v = app.record_payment(
                    &invoice,
                    PaymentInput { amount, date, method, reference, note, keep_excess_as_credit: keep_credit },
                )?;
                show(json, &v, |v| {
                    format!(
                        "Payment recorded on {}: paid {} of {} {} — balance {} — {}",
                        v.invoice.number,
                        v.invoice.amount_paid,
                        v.invoice.total,
                        v.invoice.currency,
                        v.invoice.balance_due,
                        v.display_status
                    )
                })
            }
            PaymentCmd::Receive { client, amount, currency, date, method, reference, note, invoices, dry_run } => {
                let client = client_id(app, &client)?;
                let allocations = if invoices.is_empty() {
                    None
                } else {
                    let mut list = Vec::new();
                    for (n, text) in invoices.iter().enumerate() {
                        let Some((invoice, amount)) = text.split_once('=') else {
                            return Err(AppError::invalid(
                                &format!("allocations[{}]", n + 1),
                                format!("'{text}' is not NUMBER=AMOUNT, e.g. INV-2026-0003=500"),
                            ));
                        };
                        list.push(AllocationInput { invoice: invoice.trim().into(), amount: amount.trim().into() });
                    }
                    Some(list)
                };
                let input = ClientPaymentInput { client, currency, amount, date, method, reference, note, allocations };
                if dry_run {
                    let plan = app.plan_client_payment(input)?;
                    show(json, &plan, print::client_payment_plan)
                } else {
                    let credit = app.receive_payment(input)?;
                    show(json, &credit, |c| {
                        let mut s = match c.payments.first() {
                            Some(p) => format!(
                                "Payment of {} {} recorded for {}: {}\n",
                                p.payment.amount,
                                p.payment.currency,
                                c.client_name,
                                p.shares
                                    .iter()
                                    .map(|s| format!("{} {}", s.amount, s.invoice))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                            None => String::new(),
                        };
                        s.push_str(&print::credit_line(c));
                        s
                    })
                }
            }
            PaymentCmd::Received { client } => {
                let client = client_id(app, &client)?;
                show(json, &app.client_credit(client)?, print::client_credit)
            }
            PaymentCmd::DeleteReceived { id } => {
                let c = app.delete_client_payment(id)?;
                show(json, &c, |c| format!("Client payment deleted. {}", print::credit_line(c)))
            }
            PaymentCmd::List { invoice } => {
                let cur = app.invoice(&invoice)?.invoice.currency;
                show(json, &app.payments(&invoice)?, |l| print::payments(l, cur.code()))
            }
            PaymentCmd::Delete { id } => {
                let v = app.delete_payment(id)?;
                show(json, &v, |v| {
                    format!(
                        "Payment deleted; {} balance {} — {}",
                        v.invoice.number, v.invoice.balance_due, v.display_status
                    )
                })
            }
        },
        Command::Credit(c) => match c {
            CreditCmd::Show { client } => {
                let client = client_id(app, &client)?;
                show(json, &app.client_credit(client)?, print::client_credit)
            }
            CreditCmd::Apply { invoice, amount, date } => {
                let v = app.apply_credit(ApplyCreditInput { invoice, amount, date })?;
                show(json, &v, |v| {
                    format!(
                        "Credit applied to {}: paid {} of {} {} — balance {} — {}; credit left {} {}",
                        v.invoice.number,
                        v.invoice.amount_paid,
                        v.invoice.total,
                        v.invoice.currency,
                        v.invoice.balance_due,
                        v.display_status,
                        v.client_credit,
                        v.invoice.currency
                    )
                })
            }
            CreditCmd::Refund { client, amount, currency, date, method, reference, note } => {
                let client = client_id(app, &client)?;
                let c =
                    app.refund_credit(CreditRefundInput { client, currency, amount, date, method, reference, note })?;
                show(json, &c, |c| format!("Credit paid back. {}", print::credit_line(c)))
            }
        },
        Command::Mail(c) => return crate::mail::mail(app, c, json),
        Command::Outbox(c) => return crate::mail::outbox(app, c, json),
        Command::Reminders(c) => return crate::mail::reminders(app, c, json),
        Command::Scheduled(ScheduledCmd::Run) => {
            let run = app.run_scheduled();
            show(json, &run, print::scheduled_run);
            if !run.failed.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }

        // Handled before the books are opened (main.rs); they never run on them.
        Command::Dev(_) => return Err(AppError::invalid("command", "dev commands do not run on the books")),
        Command::Team(TeamCmd::Init { .. } | TeamCmd::Migrate { .. }) => {
            return Err(AppError::invalid("command", "team init and team migrate work on the books they name"))
        }
        Command::Team(TeamCmd::Whoami) => show(json, &app.team_role()?, print::team_role),
        Command::Team(TeamCmd::Password) => {
            app.change_team_password(&crate::mail::read_password("New password: ")?)?;
            let who = app.team_role()?;
            show(json, &who, |w| {
                format!(
                    "The password of {} was changed: connect with the new one from now on.",
                    w.login.as_deref().unwrap_or("this login")
                )
            })
        }
        Command::Team(TeamCmd::Member(c)) => team_member(app, c, json)?,
        Command::Report(cmd) => report(app, cmd, json)?,
        Command::Import { file, expenses_file: Some(expenses), dry_run, day_first, .. } => {
            if file.as_os_str() != "expenses" {
                return Err(AppError::invalid(
                    "file",
                    format!("import takes one file; for expenses: billable import expenses {}", expenses.display()),
                ));
            }
            let outcome = app.import_expenses(&expenses, ExpenseImportInput { dry_run, day_first })?;
            show(json, &outcome, print::expense_import);
        }
        Command::Import {
            file,
            source,
            dry_run,
            day_first,
            default_client,
            default_project,
            time_zone,
            expenses_file: None,
        } => {
            let bar = print::progress_bar();
            let mut progress = |done: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(done);
            };
            let outcome = app.import_time(
                &file,
                ImportInput { format: source, dry_run, day_first, default_client, default_project, time_zone },
                &mut progress,
            );
            bar.finish_and_clear();
            show(json, &outcome?, print::import_outcome)
        }
        Command::Export(cmd) => export(app, cmd, json)?,
        Command::Xero(cmd) => match cmd {
            XeroCmd::Map { kind, args, description } => {
                let (target, code) = match args.as_slice() {
                    [code] => (None, code.clone()),
                    [id, code] => (
                        Some(
                            id.trim()
                                .parse::<i64>()
                                .map_err(|_| AppError::invalid("id", format!("'{id}' is not a task or project id")))?,
                        ),
                        code.clone(),
                    ),
                    _ => return Err(AppError::invalid("args", "give the id and the account code")),
                };
                let rules = app.set_xero_rule(XeroRuleInput { kind, target, account_code: code, description })?;
                show(json, &rules, |r| print::xero_rules(r))
            }
            XeroCmd::Unmap { kind, id } => show(json, &app.remove_xero_rule(&kind, id)?, |r| print::xero_rules(r)),
            XeroCmd::Rules => show(json, &app.xero_rules()?, |r| print::xero_rules(r)),
        },
        Command::Backup(cmd) => match cmd {
            BackupCmd::Create { out } => {
                show(json, &app.create_backup(out.as_deref())?, |b| format!("Backed up to {}", b.path.display()))
            }
            BackupCmd::List => show(json, &app.backups()?, |l| print::backups(l)),
            BackupCmd::Restore { file } => show(json, &app.restore_backup(&file)?, |r| {
                format!(
                    "Restored the books from {}; the books as they were are kept in {}",
                    r.restored_from.display(),
                    r.previous_books.display()
                )
            }),
            BackupCmd::Check => {
                let report = app.check_integrity()?;
                show(json, &report, |r| r.message.clone());
                if !report.ok {
                    return Ok(ExitCode::from(2));
                }
            }
            BackupCmd::Settings { keep, automatic } => {
                let automatic = match automatic.as_deref().map(|a| a.trim().to_ascii_lowercase()) {
                    None => None,
                    Some(a) => Some(match a.as_str() {
                        "on" | "yes" | "true" => true,
                        "off" | "no" | "false" => false,
                        other => return Err(AppError::invalid("automatic", format!("'{other}' is not on or off"))),
                    }),
                };
                let s = if keep.is_none() && automatic.is_none() {
                    app.backup_settings()?
                } else {
                    app.set_backup_settings(BackupSettingsInput { automatic, keep })?
                };
                show(json, &s, |s| {
                    format!(
                        "Automatic backups: {} · keeping the newest {}",
                        if s.automatic { "on" } else { "off" },
                        s.keep
                    )
                })
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn item_input(name: Option<String>, f: ItemArgs) -> ItemInput {
    ItemInput {
        name,
        description: f.description,
        long_description: f.long_description.map(|d| d.replace("\\n", "\n")),
        unit: f.unit,
        rate: f.rate,
        tax_rate_id: f.tax,
    }
}

fn item(app: &mut Billable, cmd: ItemCmd, json: bool) -> AppResult<()> {
    match cmd {
        ItemCmd::Add { name, fields } => {
            let i = app.create_item(item_input(Some(name), fields))?;
            show(json, &i, |i| format!("Saved item {} ({}, {} per unit)", i.id, i.name, i.rate))
        }
        ItemCmd::Edit { item, name, fields } => {
            let id = app.find_item(&item)?.id;
            let i = app.edit_item(id, item_input(name, fields))?;
            show(json, &i, |i| print::items(std::slice::from_ref(i)))
        }
        ItemCmd::List { search, all } => {
            let list = app.items(ItemListInput { search, include_archived: all })?;
            show(json, &list, |l| print::items(l))
        }
        ItemCmd::Archive { item } => {
            let id = app.find_item(&item)?.id;
            show(json, &app.archive_item(id, true)?, |i| format!("Archived {}", i.name))
        }
        ItemCmd::Unarchive { item } => {
            let id = app.find_item(&item)?.id;
            show(json, &app.archive_item(id, false)?, |i| format!("{} is active again", i.name))
        }
        ItemCmd::Delete { item } => {
            let id = app.find_item(&item)?.id;
            show(json, &app.delete_item(id)?, |i| format!("Deleted saved item {} ({})", i.id, i.name))
        }
    }
    Ok(())
}

fn estimate_header(h: EstimateHeaderArgs, project_id: Option<Option<i64>>) -> EstimateHeaderInput {
    EstimateHeaderInput {
        issue_date: h.issue_date,
        valid_until: h.valid_until,
        currency: h.currency,
        tax_mode: h.tax_mode,
        pricing: h.prices,
        tax_rate_ids: if h.no_tax { Some(vec![]) } else { (!h.taxes.is_empty()).then_some(h.taxes) },
        discount: h.discount,
        notes: h.notes,
        terms: h.terms,
        po_number: h.po_number,
        project_id,
        template: h.template,
        locale: h.locale,
    }
}

fn estimate(app: &mut Billable, cmd: EstimateCmd, json: bool) -> AppResult<ExitCode> {
    match cmd {
        EstimateCmd::Create { client, number, project, lines, header } => {
            let cid = client_id(app, &client)?;
            let project = opt_project(app, project, Some(cid))?;
            let lines = lines.iter().enumerate().map(|(n, s)| parse_line_spec(n + 1, s)).collect::<AppResult<_>>()?;
            let v = app.create_estimate(EstimateInput {
                client_id: cid,
                number,
                header: estimate_header(header, project.map(Some)),
                lines,
            })?;
            show(json, &v, print::estimate)
        }
        EstimateCmd::Set { estimate, project, header } => {
            let project = match project.as_deref().map(str::trim) {
                None => None,
                Some("0") => Some(None),
                Some(key) => {
                    let client = app.estimate(&estimate)?.estimate.client_id;
                    Some(Some(project_id(app, key, Some(client))?))
                }
            };
            let v = app.set_estimate(&estimate, estimate_header(header, project))?;
            show(json, &v, print::estimate)
        }
        EstimateCmd::Line(l) => {
            let v = match l {
                EstimateLineCmd::Add { estimate, line } => app.add_estimate_line(&estimate, line_input(line))?,
                EstimateLineCmd::Edit { estimate, position, line } => {
                    app.edit_estimate_line(&estimate, position, line_input(line))?
                }
                EstimateLineCmd::Delete { estimate, position } => app.delete_estimate_line(&estimate, position)?,
            };
            show(json, &v, print::estimate)
        }
        EstimateCmd::Show { estimate } => show(json, &app.estimate(&estimate)?, print::estimate),
        EstimateCmd::List { status, client } => {
            let cid = opt_client(app, client)?;
            let rows = app.estimates(EstimateListInput { status, client_id: cid })?;
            show(json, &rows, |r| print::estimates(r))
        }
        EstimateCmd::Send { estimate, to, subject, message, attach, no_attach, copy_me } => {
            return crate::mail::send_estimate(
                app,
                crate::mail::EstimateSendArgs { estimate, to, subject, message, attach, no_attach, copy_me },
                json,
            )
        }
        EstimateCmd::MarkSent { estimate } => show(json, &app.mark_estimate_sent(&estimate)?, |v| {
            format!("Estimate {} is sent; it is valid until {}", v.estimate.number, v.estimate.valid_until)
        }),
        EstimateCmd::Accept { estimate } => {
            show(json, &app.accept_estimate(&estimate)?, |v| format!("Estimate {} is accepted", v.estimate.number))
        }
        EstimateCmd::Decline { estimate } => {
            show(json, &app.decline_estimate(&estimate)?, |v| format!("Estimate {} is declined", v.estimate.number))
        }
        EstimateCmd::Delete { estimate } => {
            show(json, &app.delete_estimate(&estimate)?, |v| format!("Deleted estimate {}", v.estimate.number))
        }
        EstimateCmd::Pdf { estimate, out, template } => {
            let template = template
                .map(|t| t.parse())
                .transpose()
                .map_err(|e: billable_app::core::CoreError| AppError::invalid("template", e.to_string()))?;
            let pdf = app.estimate_pdf(&estimate, PdfOptions { template, facturx: false })?;
            let out = out.unwrap_or_else(|| std::path::PathBuf::from(&pdf.file_name));
            write_export(&out, &pdf.bytes)?;
            show(json, &serde_json::json!({ "file": out, "bytes": pdf.bytes.len() }), |_| {
                format!("Wrote {} ({} KB) for {estimate}", out.display(), pdf.bytes.len().div_ceil(1024))
            });
        }
        EstimateCmd::Convert { estimate, deposit, issue_date, due_date, number } => {
            let o = app.convert_estimate(ConvertInput { estimate, deposit, issue_date, due_date, number })?;
            show(json, &o, |o| {
                let what = match o.invoice.from_estimate.as_ref().map(|f| f.kind.as_str()) {
                    Some("deposit") => "deposit invoice",
                    Some("final") => "final invoice",
                    _ => "invoice",
                };
                format!(
                    "Made draft {what} {} from estimate {}\n{}",
                    o.invoice.invoice.number,
                    o.estimate.estimate.number,
                    print::invoice(&o.invoice)
                )
            })
        }
        EstimateCmd::Numbering { pattern } => {
            let p = match pattern {
                Some(p) => app.set_estimate_pattern(&p)?,
                None => app.estimate_pattern()?,
            };
            show(json, &serde_json::json!({ "estimate_pattern": p }), |_| format!("Estimate numbers: {p}"))
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn expense_input(f: ExpenseArgs) -> ExpenseInput {
    ExpenseInput {
        date: f.date,
        amount: f.amount,
        currency: f.currency,
        category: f.category,
        vendor: f.vendor,
        note: f.note,
        tax_rate_id: f.tax,
        client: f.client,
        project: f.project,
        billable: if f.billable {
            Some(true)
        } else if f.not_billable {
            Some(false)
        } else {
            None
        },
        markup: f.markup,
    }
}

fn expense(app: &mut Billable, cmd: ExpenseCmd, json: bool) -> AppResult<()> {
    match cmd {
        ExpenseCmd::Add { fields, receipt } => {
            if let Some(file) = &receipt {
                // Checked before anything is written, so a bad receipt leaves no expense behind.
                let bytes = std::fs::metadata(file)
                    .and_then(|_| std::fs::read(file))
                    .map_err(|e| AppError::invalid("receipt", format!("could not read {}: {e}", file.display())))?;
                billable_app::receipt_type(&bytes)?;
            }
            let mut e = app.create_expense(expense_input(fields))?;
            if let Some(file) = &receipt {
                e = app.attach_receipt_file(e.expense.id, file)?;
            }
            show(json, &e, |e| {
                format!(
                    "Expense {} ({} {}, {})",
                    e.expense.id,
                    e.expense.amount,
                    e.expense.currency,
                    print::expense_what(e)
                )
            })
        }
        ExpenseCmd::Set { id, fields } => show(json, &app.edit_expense(id, expense_input(fields))?, print::expense),
        ExpenseCmd::Show { id } => show(json, &app.expense(id)?, print::expense),
        ExpenseCmd::List { client, project, from, to, state, category } => {
            let client_id = opt_client(app, client)?;
            let project_id = opt_project(app, project, client_id)?;
            let list = app.expenses(ExpenseListInput { client_id, project_id, from, to, state, category })?;
            show(json, &list, print::expenses)
        }
        ExpenseCmd::Delete { id } => show(json, &app.delete_expense(id)?, |e| {
            format!("Deleted expense {} ({})", e.expense.id, print::expense_what(e))
        }),
        ExpenseCmd::Receipt(ReceiptCmd::Attach { id, file }) => {
            show(json, &app.attach_receipt_file(id, &file)?, print::expense)
        }
        ExpenseCmd::Receipt(ReceiptCmd::Export { id, out }) => {
            let r = app.receipt(id)?;
            let out = out.unwrap_or_else(|| std::path::PathBuf::from(&r.info.file_name));
            write_export(&out, &r.bytes)?;
            show(json, &r, |r| format!("Wrote {} ({} bytes) to {}", r.info.file_name, r.info.size, out.display()))
        }
        ExpenseCmd::Receipt(ReceiptCmd::Remove { id }) => {
            show(json, &app.remove_receipt(id)?, |e| format!("Removed the receipt of expense {}", e.expense.id))
        }
    }
    Ok(())
}

fn invoice(app: &mut Billable, cmd: InvoiceCmd, json: bool) -> AppResult<ExitCode> {
    match cmd {
        InvoiceCmd::Create { client, number, project, lines, header } => {
            let cid = client_id(app, &client)?;
            let project = opt_project(app, project, Some(cid))?;
            let lines = lines.iter().enumerate().map(|(n, s)| parse_line_spec(n + 1, s)).collect::<AppResult<_>>()?;
            let v = app.create_invoice(InvoiceInput {
                client_id: cid,
                number,
                header: header_input(header, project.map(Some)),
                lines,
            })?;
            show(json, &v, print::invoice)
        }
        InvoiceCmd::FromTime {
            client,
            entries,
            project,
            from,
            to,
            group,
            preview,
            number,
            expenses,
            no_expenses,
            header,
        } => {
            let cid = client_id(app, &client)?;
            let project = opt_project(app, project, Some(cid))?;
            let out = app.invoice_from_time(FromTimeInput {
                client_id: cid,
                entry_ids: (!entries.is_empty()).then_some(entries),
                project_id: project,
                from,
                to,
                grouping: Some(group),
                preview,
                number,
                expense_ids: if no_expenses { Some(Vec::new()) } else { (!expenses.is_empty()).then_some(expenses) },
                header: header_input(header, None),
            })?;
            show(json, &out, |o| match o {
                FromTimeOutcome::Preview(p) => print::preview(p),
                FromTimeOutcome::Created(v) => print::created_from_time(v),
            })
        }
        InvoiceCmd::FromProject {
            project,
            percent,
            amount,
            remaining,
            period,
            description,
            issue_date,
            due_date,
            number,
        } => {
            let project = project_id(app, &project, None)?;
            let v = app.invoice_from_project(ProjectInvoiceInput {
                project_id: project,
                percent,
                amount,
                remaining,
                period,
                description,
                issue_date,
                due_date,
                number,
            })?;
            show(json, &v, print::invoice)
        }
        InvoiceCmd::Show { invoice } => show(json, &app.invoice(&invoice)?, print::invoice),
        InvoiceCmd::List {
            status,
            client,
            project,
            from,
            to,
            search,
            billing_type,
            budget,
            sort,
            desc,
            page,
            per_page,
        } => {
            let cid = opt_client(app, client)?;
            let project = opt_project(app, project, cid)?;
            let p = app.invoices(InvoiceListInput {
                status,
                client_id: cid,
                project_id: project,
                from,
                to,
                search,
                billing_type,
                budget,
                sort,
                descending: desc,
                page: Some(page),
                per_page: Some(per_page),
            })?;
            show(json, &p, print::invoice_page)
        }
        InvoiceCmd::Line(l) => {
            let v = match l {
                LineCmd::Add { invoice, line } => app.add_line(&invoice, line_input(line))?,
                LineCmd::Edit { invoice, position, line } => app.edit_line(&invoice, position, line_input(line))?,
                LineCmd::Delete { invoice, position } => app.delete_line(&invoice, position)?,
                LineCmd::Move { invoice, from, to } => app.move_line(&invoice, from, to)?,
            };
            show(json, &v, print::invoice)
        }
        InvoiceCmd::Set { invoice, project, header } => {
            let project = match project.as_deref().map(str::trim) {
                None => None,
                Some("0") => Some(None),
                Some(key) => {
                    let client = app.invoice(&invoice)?.invoice.client_id;
                    Some(Some(project_id(app, key, Some(client))?))
                }
            };
            let v = app.set_header(&invoice, header_input(header, project))?;
            show(json, &v, print::invoice)
        }
        InvoiceCmd::Clone { invoice, client, issue_date, due_date } => {
            let cid = client.map(|c| client_id(app, &c)).transpose()?;
            let v = app.clone_invoice(&invoice, CloneInput { client_id: cid, issue_date, due_date })?;
            show(json, &v, print::invoice)
        }
        InvoiceCmd::MarkSent { invoice } => show(json, &app.mark_sent(&invoice)?, |v| {
            format!("Invoice {} is sent; its lines and totals are frozen", v.invoice.number)
        }),
        InvoiceCmd::Status { invoice, status } => show(json, &app.set_status(&invoice, &status)?, |v| {
            format!("Invoice {} is {}", v.invoice.number, v.display_status)
        }),
        InvoiceCmd::Cancel { invoice } => {
            show(json, &app.cancel_invoice(&invoice)?, |v| format!("Invoice {} is cancelled", v.invoice.number))
        }
        InvoiceCmd::Delete { invoice } => {
            show(json, &app.delete_invoice(&invoice)?, |v| format!("Deleted draft {}", v.invoice.number))
        }
        InvoiceCmd::ExchangeRate { invoice, rate } => {
            let value = app.set_exchange_rate(&invoice, &rate)?;
            show(json, &serde_json::json!({ "invoice": invoice, "exchange_rate": value }), |_| match value {
                Some(r) => format!("Invoice {invoice}: 1 unit of its currency = {r} in the base currency"),
                None => format!("Invoice {invoice}: exchange rate cleared"),
            })
        }
        InvoiceCmd::Send { invoices, to, subject, message, attach, no_attach, copy_me } => {
            return crate::mail::send(
                app,
                crate::mail::SendArgs { invoices, to, subject, message, attach, no_attach, copy_me },
                json,
            )
        }
        InvoiceCmd::Export { invoice, format, out } => {
            let format: EInvoiceFormat = format.parse().map_err(|e: String| AppError::invalid("format", e))?;
            // A credit note's number is as good as an invoice's here.
            let file = match app.invoice_xml(&invoice, format) {
                Err(e) if e.code() == "not_found" => match app.credit_note_xml(&invoice, format) {
                    Err(cn) if cn.code() == "not_found" => return Err(e),
                    other => other?,
                },
                other => other?,
            };
            write_export(&out, &file.bytes)?;
            show(
                json,
                &serde_json::json!({ "file": out, "format": format.as_str(), "bytes": file.bytes.len() }),
                |_| format!("Wrote the {format} e-invoice of {invoice} to {}", out.display()),
            );
        }
        InvoiceCmd::Pdf { invoice, out, out_dir, template, facturx, status, from, to } => {
            let args = crate::pdf::PdfArgs { invoice, out, out_dir, template, facturx, status, from, to };
            let written = crate::pdf::run(app, args)?;
            show(json, &written, |w| match w.as_slice() {
                [one] => format!("Wrote {} ({} KB) for {}", one.file.display(), one.bytes.div_ceil(1024), one.invoice),
                many => format!("Wrote {} PDF(s)", many.len()),
            });
        }
        InvoiceCmd::Bulk { action, invoices } => {
            if action.trim().eq_ignore_ascii_case("send") {
                let args = crate::mail::SendArgs {
                    invoices,
                    to: Vec::new(),
                    subject: None,
                    message: None,
                    attach: None,
                    no_attach: false,
                    copy_me: false,
                };
                return crate::mail::send(app, args, json);
            }
            let action: BulkAction = action.parse()?;
            let results = app.bulk(action, &invoices);
            let failed = results.iter().filter(|r| !r.ok).count();
            show(json, &results, |rs| {
                rs.iter()
                    .map(|r| match &r.error {
                        None => format!(
                            "{}: ok{}",
                            r.invoice,
                            r.status.map(|s| format!(" ({})", s.words())).unwrap_or_default()
                        ),
                        Some(e) => format!("{}: failed — {}", r.invoice, e.message),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            if failed > 0 {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn recurring(app: &mut Billable, cmd: RecurringCmd, json: bool) -> AppResult<ExitCode> {
    match cmd {
        RecurringCmd::Create { invoice, frequency, interval, start_date, end_date, max_cycles, name, mode } => {
            let v = app.create_recurring(RecurringInput {
                invoice,
                name,
                frequency,
                interval,
                start_date,
                end_date,
                max_cycles,
                send_mode: Some(mode),
            })?;
            show(json, &v, print::recurring)
        }
        RecurringCmd::List => show(json, &app.recurring_profiles()?, |l| print::recurring_list(l)),
        RecurringCmd::Show { id } => show(json, &app.recurring(id)?, print::recurring),
        RecurringCmd::Pause { id } => show(json, &app.set_recurring_paused(id, true)?, |v| {
            format!("Paused recurring profile {} ({})", v.profile.id, v.profile.name)
        }),
        RecurringCmd::Resume { id } => show(json, &app.set_recurring_paused(id, false)?, |v| {
            format!(
                "Resumed recurring profile {} ({}); due periods are generated on the next run",
                v.profile.id, v.profile.name
            )
        }),
        RecurringCmd::Delete { id } => show(json, &app.delete_recurring(id)?, |v| {
            format!("Deleted recurring profile {} ({}); its invoices stay", v.profile.id, v.profile.name)
        }),
        RecurringCmd::Run => {
            let r = app.run_recurring()?;
            show(json, &r, print::recurring_run);
            if !r.failed.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn credit_note(app: &mut Billable, cmd: CreditNoteCmd, json: bool) -> AppResult<ExitCode> {
    match cmd {
        CreditNoteCmd::Create { invoice, lines, refund, method, reference, reason, date } => {
            let v =
                app.create_credit_note(CreditNoteInput { invoice, lines, date, reason, refund, method, reference })?;
            show(json, &v, print::credit_note)
        }
        CreditNoteCmd::List { client, invoice } => {
            let cid = client.map(|c| client_id(app, &c)).transpose()?;
            show(json, &app.credit_notes(CreditNoteListInput { client_id: cid, invoice })?, |l| print::credit_notes(l))
        }
        CreditNoteCmd::Show { credit_note } => show(json, &app.credit_note(&credit_note)?, print::credit_note),
        CreditNoteCmd::Pdf { credit_note, out, template } => {
            let template = template
                .as_deref()
                .map(|t| {
                    t.parse::<billable_app::core::presentation::Template>()
                        .map_err(|e| AppError::invalid("template", e.to_string().replace("template: ", "")))
                })
                .transpose()?;
            let facturx = app.business()?.einvoicing;
            let pdf = app.credit_note_pdf(&credit_note, billable_app::PdfOptions { template, facturx })?;
            let out = out.unwrap_or_else(|| std::path::PathBuf::from(&pdf.file_name));
            write_export(&out, &pdf.bytes)?;
            show(json, &serde_json::json!({ "file": out, "bytes": pdf.bytes.len() }), |_| {
                format!("Wrote {} ({} KB) for {credit_note}", out.display(), pdf.bytes.len().div_ceil(1024))
            })
        }
        CreditNoteCmd::Export { credit_note, format, out } => {
            let format: EInvoiceFormat = format.parse().map_err(|e: String| AppError::invalid("format", e))?;
            let file = app.credit_note_xml(&credit_note, format)?;
            write_export(&out, &file.bytes)?;
            show(
                json,
                &serde_json::json!({ "file": out, "format": format.as_str(), "bytes": file.bytes.len() }),
                |_| format!("Wrote the {format} e-invoice of {credit_note} to {}", out.display()),
            )
        }
        CreditNoteCmd::Pattern { pattern } => {
            let p = match pattern {
                Some(p) => app.set_credit_note_pattern(&p)?,
                None => app.credit_note_pattern()?,
            };
            show(json, &serde_json::json!({ "credit_note_number_pattern": p }), |v| {
                format!("Credit note numbers: {}", v["credit_note_number_pattern"].as_str().unwrap_or_default())
            })
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `text` to `out`, or prints it.
fn emit(json: bool, text: String, out: Option<&std::path::Path>) -> AppResult<()> {
    match out {
        None => {
            if text.ends_with('\n') {
                print::out(&text);
            } else {
                print::line(&text);
            }
        }
        Some(path) => {
            std::fs::write(path, text.as_bytes())
                .map_err(|e| AppError::invalid("out", format!("could not write {}: {e}", path.display())))?;
            if json {
                print::json(&serde_json::json!({ "out": path }));
            } else {
                print::line(&format!("Wrote {}", path.display()));
            }
        }
    }
    Ok(())
}

/// A report as a table, CSV or JSON.
fn render<T: Serialize + AsTable>(
    json: bool,
    o: &OutputArgs,
    value: &T,
    human: impl FnOnce(&T) -> String,
) -> AppResult<()> {
    let asked = o.format.trim().to_ascii_lowercase();
    if !matches!(asked.as_str(), "table" | "csv" | "json") {
        return Err(AppError::invalid("format", format!("'{asked}' is not a format; use table, csv or json")));
    }
    let format = if json { "json".to_string() } else { asked };
    let text = match format.as_str() {
        "json" => {
            serde_json::to_string_pretty(value).map_err(|e| AppError::conflict(format!("could not write JSON: {e}")))?
        }
        "csv" => value.table().to_csv()?,
        _ => human(value),
    };
    // With --json and --out, the report goes to the file and a note to stdout.
    emit(json && o.out.is_some(), text, o.out.as_deref())
}

fn report(app: &mut Billable, cmd: ReportCmd, json: bool) -> AppResult<()> {
    match cmd {
        ReportCmd::Time { by, from, to, output } => {
            let group = match by.trim().to_ascii_lowercase().as_str() {
                "client" => TimeGroup::Client,
                "project" => TimeGroup::Project,
                "task" => TimeGroup::Task,
                "member" => TimeGroup::Member,
                "day" => TimeGroup::Day,
                "week" => TimeGroup::Week,
                "month" => TimeGroup::Month,
                other => {
                    return Err(AppError::invalid(
                        "by",
                        format!("'{other}' is not a grouping; use client, project, task, member, day, week or month"),
                    ))
                }
            };
            render(json, &output, &app.time_report(TimeReportInput { group, from, to })?, print::time_report)
        }
        ReportCmd::Revenue { from, to, output } => {
            render(json, &output, &app.revenue_report(RevenueInput { from, to })?, print::revenue)
        }
        ReportCmd::Aging { as_of, output } => {
            render(json, &output, &app.aging_report(AgingInput { as_of })?, print::aging)
        }
        ReportCmd::Unbilled { to, output } => {
            render(json, &output, &app.unbilled_report(UnbilledReportInput { to })?, print::unbilled_report)
        }
        ReportCmd::Expenses { from, to, output } => {
            render(json, &output, &app.expense_report(ExpenseReportInput { from, to })?, print::expense_report)
        }
        ReportCmd::Clients { output } => {
            render(json, &output, &app.client_figures(ClientFiguresInput::default())?, print::client_figures)
        }
    }
}

fn filter(f: &FilterArgs) -> ExportFilter {
    ExportFilter { from: f.from.clone(), to: f.to.clone(), client: f.client.clone(), status: f.status.clone() }
}

fn export(app: &mut Billable, cmd: ExportCmd, json: bool) -> AppResult<()> {
    match cmd {
        ExportCmd::Time(f) => emit(json, app.export_time_csv(filter(&f))?, f.out.as_deref()),
        ExportCmd::Invoices(f) => emit(json, app.export_invoices_csv(filter(&f))?, f.out.as_deref()),
        ExportCmd::Books { out } => {
            let books = app.export_books()?;
            let text = serde_json::to_string_pretty(&books)
                .map_err(|e| AppError::conflict(format!("could not write JSON: {e}")))?;
            emit(json && out.is_some(), text, out.as_deref())
        }
        ExportCmd::Xero { filter: f, us_dates } => {
            emit(json, app.export_xero(XeroExportInput { filter: filter(&f), us_dates })?, f.out.as_deref())
        }
    }
}
