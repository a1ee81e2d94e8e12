//! Time approval: submit a week, approve or reject it, and invoices from
//! time of projects that bill only approved time.

use billable_app::core::model::Approval;
use billable_app::{
    ApprovalInput, EntryInput, EntryListInput, FromTimeInput, MemberInput, ProjectInput, UnbilledInput,
};
use rust_decimal_macros::dec;

use crate::support::*;

/// Acme with project Web at 100/h (bills only approved time when `gated`),
/// and a second member, Ana.
fn books(gated: bool) -> (Books, i64, i64, i64) {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", None, None).id;
    let p = project(&mut b, c, "Web", Some("100")).id;
    if gated {
        b.edit_project(p, ProjectInput { approval_required: Some(true), ..Default::default() }).unwrap();
    }
    let ana = b.create_member(MemberInput { name: s("Ana"), ..Default::default() }).unwrap().id;
    (b, c, p, ana)
}

fn ana_hours(b: &mut Books, p: i64, ana: i64, date: &str, h: &str) -> i64 {
    b.add_entry(EntryInput {
        project_id: Some(p),
        member_id: Some(ana),
        date: s(date),
        hours: s(h),
        ..Default::default()
    })
    .unwrap()
    .entry
    .id
}

fn week(w: &str, member: Option<i64>) -> ApprovalInput {
    ApprovalInput { week: s(w), member_id: member, ..Default::default() }
}

fn ids(list: &[i64]) -> ApprovalInput {
    ApprovalInput { entry_ids: Some(list.to_vec()), ..Default::default() }
}

fn state(b: &mut Books, id: i64) -> (Approval, String) {
    let e = b.entry(id).unwrap().entry;
    (e.approval, e.approval_reason)
}

#[test]
fn a_week_is_submitted_approved_and_only_approved_time_is_invoiced() {
    let (mut b, c, p, ana) = books(true);
    // Week 2026-W19 is 4–10 May 2026.
    let mon = ana_hours(&mut b, p, ana, "2026-05-04", "2");
    let tue = ana_hours(&mut b, p, ana, "2026-05-05", "3");
    let next_week = ana_hours(&mut b, p, ana, "2026-05-11", "1");
    let mine = hours(&mut b, p, None, "2026-05-06", "4").entry.id; // the default member's

    let sent = b.submit_time(week("2026-W19", Some(ana))).unwrap();
    assert_eq!(sent.approval, Approval::Submitted);
    assert_eq!(sent.entries.iter().map(|e| e.entry.id).collect::<Vec<_>>(), vec![mon, tue]);
    assert_eq!(sent.seconds, 5 * 3600);
    assert_eq!(state(&mut b, next_week).0, Approval::None, "another week stays");
    assert_eq!(state(&mut b, mine).0, Approval::None, "another member's time stays");
    // Submitting again finds nothing new.
    let again = assert_code(b.submit_time(week("2026-W19", Some(ana))), "conflict");
    assert!(again.to_string().contains("nothing to submit"), "{again}");

    let waiting = b.submitted_weeks().unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0].week.as_str(), waiting[0].member_name.as_str()), ("2026-W19", "Ana"));
    assert_eq!(waiting[0].from.to_string(), "2026-05-04");
    assert_eq!(waiting[0].to.to_string(), "2026-05-10");
    assert_eq!((waiting[0].seconds, waiting[0].entries.len()), (5 * 3600, 2));

    // Nothing approved yet: the gated project offers nothing, and says how much waits.
    let u = b.unbilled(UnbilledInput { client_id: c, ..Default::default() }).unwrap();
    assert!(u.entries.is_empty());
    assert_eq!((u.unapproved.entries, u.unapproved.seconds), (4, 10 * 3600));
    let none = assert_invalid(b.invoice_from_time(FromTimeInput { client_id: c, ..Default::default() }), "entries");
    assert!(none.to_string().contains("10.00 h not approved yet (4 entries)"), "{none}");

    // Approve Monday only, by id; then the invoice bills 2 h = 200.00 and leaves 8 h out.
    b.approve_time(ids(&[mon])).unwrap();
    let pv = preview(b.invoice_from_time(FromTimeInput { client_id: c, preview: true, ..Default::default() }).unwrap());
    assert_eq!(pv.entry_count, 1);
    assert_eq!(pv.totals.total, dec!(200.00));
    assert_eq!((pv.unapproved.entries, pv.unapproved.seconds, pv.unapproved.hours), (3, 8 * 3600, dec!(8.00)));
    // Naming an unapproved entry is refused, by its id.
    let named = assert_invalid(
        b.invoice_from_time(FromTimeInput { client_id: c, entry_ids: Some(vec![mon, tue]), ..Default::default() }),
        "entries",
    );
    assert!(named.to_string().contains(&format!("time entries {tue} are not approved")), "{named}");

    // Approve the rest of the week (every member's submitted time of W19).
    let approved = b.approve_time(week("2026-W19", None)).unwrap();
    assert_eq!(approved.entries.iter().map(|e| e.entry.id).collect::<Vec<_>>(), vec![tue]);
    assert!(b.submitted_weeks().unwrap().is_empty());
    let made = created(b.invoice_from_time(FromTimeInput { client_id: c, ..Default::default() }).unwrap());
    assert_eq!(made.invoice.total, dec!(500.00), "2 h + 3 h at 100");
    let billed: Vec<i64> = made.lines.iter().flat_map(|l| l.entry_ids.clone()).collect();
    assert_eq!(billed.len(), 2);
    assert!(billed.contains(&mon) && billed.contains(&tue));
    let left = b.unbilled(UnbilledInput { client_id: c, ..Default::default() }).unwrap();
    assert_eq!((left.unapproved.entries, left.unapproved.seconds), (2, 5 * 3600));
    // Billed time can no longer be rejected.
    assert_code(b.reject_time(ApprovalInput { reason: s("late"), ..ids(&[mon]) }), "conflict");
}

#[test]
fn rejected_time_carries_its_reason_is_edited_and_submitted_again() {
    let (mut b, c, p, ana) = books(true);
    let e = ana_hours(&mut b, p, ana, "2026-05-05", "3");
    b.submit_time(ids(&[e])).unwrap();
    assert_invalid(b.reject_time(ids(&[e])), "reason");
    assert_invalid(b.reject_time(ApprovalInput { reason: s("  "), ..ids(&[e]) }), "reason");
    let r = b.reject_time(ApprovalInput { reason: s("Split the call from the design work"), ..ids(&[e]) }).unwrap();
    assert_eq!(r.approval, Approval::Rejected);
    assert_eq!(state(&mut b, e), (Approval::Rejected, "Split the call from the design work".to_string()));
    let listed = b.entries(EntryListInput { approval: s("rejected"), ..Default::default() }).unwrap();
    assert_eq!(listed.iter().map(|v| v.entry.id).collect::<Vec<_>>(), vec![e]);
    // A rejected entry cannot be approved before it is submitted again.
    let refused = assert_code(b.approve_time(ids(&[e])), "conflict");
    assert!(refused.to_string().contains("is rejected"), "{refused}");

    // Edited, it stays rejected with its reason until submitted again.
    b.edit_entry(e, EntryInput { hours: s("2"), ..Default::default() }).unwrap();
    assert_eq!(state(&mut b, e).0, Approval::Rejected);
    let again = b.submit_time(week("2026-05-07", Some(ana))).unwrap();
    assert_eq!(again.entries.len(), 1);
    assert_eq!(state(&mut b, e), (Approval::Submitted, String::new()), "the reason goes with the resubmission");
    b.approve_time(week("2026-W19", Some(ana))).unwrap();
    let made = created(b.invoice_from_time(FromTimeInput { client_id: c, ..Default::default() }).unwrap());
    assert_eq!(made.invoice.total, dec!(200.00), "the edited 2 h");
}

#[test]
fn editing_approved_time_sends_it_back_to_not_submitted() {
    let (mut b, c, p, ana) = books(true);
    let e = ana_hours(&mut b, p, ana, "2026-05-05", "3");
    b.submit_time(week("2026-W19", Some(ana))).unwrap();
    b.approve_time(week("2026-W19", Some(ana))).unwrap();
    // Saving without a change keeps the approval.
    b.edit_entry(e, EntryInput::default()).unwrap();
    assert_eq!(state(&mut b, e).0, Approval::Approved);
    let v = b.edit_entry(e, EntryInput { hours: s("5"), ..Default::default() }).unwrap();
    assert_eq!(v.entry.approval, Approval::None);
    let u = b.unbilled(UnbilledInput { client_id: c, ..Default::default() }).unwrap();
    assert!(u.entries.is_empty(), "the changed 5 h are not billed as approved");
    assert_eq!(u.unapproved.seconds, 5 * 3600);
    // A submitted entry also goes back when it is edited.
    b.submit_time(ids(&[e])).unwrap();
    b.edit_entry(e, EntryInput { description: s("Design review"), ..Default::default() }).unwrap();
    assert_eq!(state(&mut b, e).0, Approval::None);
}

#[test]
fn without_the_project_option_everything_is_billed_as_before() {
    let (mut b, c, p, ana) = books(false);
    let a = ana_hours(&mut b, p, ana, "2026-05-04", "2");
    let r = ana_hours(&mut b, p, ana, "2026-05-05", "1");
    ana_hours(&mut b, p, ana, "2026-05-06", "1.5");
    b.submit_time(ids(&[a, r])).unwrap();
    b.reject_time(ApprovalInput { reason: s("check"), ..ids(&[r]) }).unwrap();
    let u = b.unbilled(UnbilledInput { client_id: c, ..Default::default() }).unwrap();
    assert_eq!(u.entries.len(), 3);
    assert_eq!(u.unapproved.entries, 0);
    let made = created(b.invoice_from_time(FromTimeInput { client_id: c, ..Default::default() }).unwrap());
    assert_eq!(made.invoice.total, dec!(450.00), "4.5 h at 100, approved or not");
}

#[test]
fn only_hourly_projects_take_approval() {
    let (mut b, c, _, ana) = books(false);
    let fixed = b
        .create_project(ProjectInput {
            client_id: Some(c),
            name: s("Audit"),
            billing_type: s("fixed_price"),
            budget: s("1000"),
            ..Default::default()
        })
        .unwrap();
    assert_invalid(
        b.edit_project(fixed.id, ProjectInput { approval_required: Some(true), ..Default::default() }),
        "approval_required",
    );
    let e = ana_hours(&mut b, fixed.id, ana, "2026-05-05", "1");
    let refused = assert_code(b.submit_time(ids(&[e])), "conflict");
    assert!(refused.to_string().contains("only time of hourly projects"), "{refused}");
    assert_code(b.submit_time(week("2026-W19", Some(ana))), "conflict");
    assert_invalid(b.submit_time(ApprovalInput::default()), "week");
    assert_invalid(b.submit_time(week("2026-W60", Some(ana))), "week");
}
