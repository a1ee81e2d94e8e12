//! Time approval through the real binary: a member's week submitted,
//! approved or rejected with a reason and submitted again; a project that
//! bills only approved time invoices only that and says what it left out;
//! without the option everything is billed as before.

use serde_json::Value;

use crate::support::{s, Books};

fn ids(v: &Value) -> Vec<i64> {
    let list = v.get("entries").unwrap_or(v);
    list.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect()
}

/// Acme's Web at 100/h, Ana on the team, and Ana's time: 2 h on Monday 30
/// November and 3 h on Wednesday 2 December 2026 (week 2026-W49), 1 h on
/// Tuesday 8 December (W50).
fn books(approval_required: &str) -> (Books, [i64; 3]) {
    let b = Books::new().at("2026-12-09T09:00:00+01:00");
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    b.ok(&["project", "add", "Web", "--client", "Acme GmbH", "--rate", "100"]);
    b.ok(&["member", "add", "Ana"]);
    let p = b.ok(&["project", "edit", "Web", "--approval-required", approval_required]);
    assert_eq!(p["approval_required"], approval_required == "yes");
    let add = |date: &str, h: &str| {
        b.ok(&["time", "add", "--project", "Web", "--member", "Ana", "--date", date, "--hours", h])["id"]
            .as_i64()
            .unwrap()
    };
    let e = [add("2026-11-30", "2"), add("2026-12-02", "3"), add("2026-12-08", "1")];
    (b, e)
}

#[test]
fn a_submitted_and_approved_week_is_all_an_invoice_from_time_bills() {
    let (b, [mon, wed, next]) = books("yes");
    let sent = b.ok(&["time", "submit", "--week", "2026-W49", "--member", "Ana"]);
    assert_eq!(ids(&sent), vec![mon, wed]);
    assert_eq!(sent["approval"], "submitted");
    assert_eq!(s(&sent["hours"]), "5.00");

    let waiting = b.ok(&["time", "approvals"]);
    assert_eq!(waiting.as_array().unwrap().len(), 1, "{waiting}");
    assert_eq!(waiting[0]["week"], "2026-W49");
    assert_eq!(waiting[0]["member_name"], "Ana");
    assert_eq!(s(&waiting[0]["hours"]), "5.00");
    assert_eq!(ids(&b.ok(&["time", "list", "--approval", "submitted"])), vec![mon, wed]);
    assert_eq!(ids(&b.ok(&["time", "list", "--approval", "none"])), vec![next]);

    // Before approval the preview bills nothing and says 6 h wait.
    let nothing = b.fails(&["invoice", "from-time", "--client", "Acme GmbH", "--preview"]);
    assert!(s(&nothing["message"]).contains("6.00 h not approved yet (3 entries)"), "{nothing}");

    let ok = b.ok(&["time", "approve", "--week", "2026-W49"]);
    assert_eq!(ids(&ok), vec![mon, wed]);
    assert_eq!(b.ok(&["time", "approvals"]).as_array().unwrap().len(), 0);

    let made = b.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    assert_eq!(made["result"], "created");
    assert_eq!(s(&made["total"]), "500.00", "2 h + 3 h at 100.00");
    assert_eq!(made["unapproved"]["entries"], 1);
    assert_eq!(s(&made["unapproved"]["hours"]), "1.00");
    let billed: Vec<i64> = made["lines"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["entry_ids"].as_array().unwrap().iter().map(|i| i.as_i64().unwrap()))
        .collect();
    assert_eq!(billed, vec![mon, wed]);
    // People read what was left out.
    let text = b.output(&["invoice", "from-time", "--client", "Acme GmbH", "--preview"]);
    let text = String::from_utf8_lossy(&text.stderr).to_string() + &String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("1.00 h not approved yet (1 entry)"), "{text}");
    let unbilled =
        String::from_utf8_lossy(&b.output(&["time", "unbilled", "--client", "Acme GmbH"]).stdout).to_string();
    assert!(unbilled.contains("Left out: 1.00 h not approved yet (1 entry)"), "{unbilled}");
}

#[test]
fn rejected_time_is_edited_submitted_again_and_then_billed() {
    let (b, [mon, wed, _]) = books("yes");
    b.ok(&["time", "submit", &mon.to_string(), &wed.to_string()]);
    let missing = b.output(&["time", "reject", &wed.to_string()]);
    assert!(!missing.status.success(), "a rejection needs --reason");
    let r = b.ok(&["time", "reject", &wed.to_string(), "--reason", "Split the call from the design work"]);
    assert_eq!(r["approval"], "rejected");
    let listed = b.ok(&["time", "list", "--approval", "rejected"]);
    assert_eq!(ids(&listed), vec![wed]);
    assert_eq!(listed[0]["approval_reason"], "Split the call from the design work");
    let table = String::from_utf8_lossy(&b.output(&["time", "list", "--approval", "rejected"]).stdout).to_string();
    assert!(table.contains("rejected: Split the call"), "{table}");
    // Approving it before it is submitted again is refused, by its id.
    let refused = b.fails(&["time", "approve", &wed.to_string()]);
    assert_eq!(refused["code"], "conflict");
    assert!(s(&refused["message"]).contains(&format!("time entry {wed} is rejected")), "{refused}");

    b.ok(&["time", "approve", &mon.to_string()]);
    let edited = b.ok(&["time", "edit", &wed.to_string(), "--hours", "2.5"]);
    assert_eq!(edited["approval"], "rejected", "stays rejected until submitted again");
    let again = b.ok(&["time", "submit", "--week", "2026-12-01", "--member", "Ana"]);
    assert_eq!(ids(&again), vec![wed], "the approved Monday is left as it is");
    assert_eq!(again["unchanged"], 1);
    assert_eq!(again["entries"][0]["approval_reason"], "");
    b.ok(&["time", "approve", &wed.to_string()]);
    let made = b.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    assert_eq!(s(&made["total"]), "450.00", "2 h + 2.5 h at 100.00");
}

#[test]
fn editing_approved_time_sends_it_back_for_approval() {
    let (b, [mon, _, _]) = books("yes");
    b.ok(&["time", "submit", &mon.to_string()]);
    b.ok(&["time", "approve", &mon.to_string()]);
    let edited = b.ok(&["time", "edit", &mon.to_string(), "--hours", "4"]);
    assert_eq!(edited["approval"], "none");
    let pv = b.fails(&["invoice", "from-time", "--client", "Acme GmbH", "--entries", &mon.to_string()]);
    assert!(s(&pv["message"]).contains(&format!("time entries {mon} are not approved")), "{pv}");
}

#[test]
fn without_the_option_everything_is_billed_as_before() {
    let (b, [mon, wed, _]) = books("no");
    b.ok(&["time", "submit", &mon.to_string()]);
    b.ok(&["time", "submit", &wed.to_string()]);
    b.ok(&["time", "reject", &wed.to_string(), "--reason", "check it"]);
    let made = b.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    assert_eq!(s(&made["total"]), "600.00", "6 h at 100.00, approved or not");
    assert_eq!(made["unapproved"]["entries"], 0);
    // Billed time is no longer submitted, approved or rejected.
    let before = b.snapshot();
    let e = b.fails(&["time", "approve", &mon.to_string()]);
    assert!(s(&e["message"]).contains("invoiced already"), "{e}");
    assert_eq!(b.snapshot(), before);
}

#[test]
fn approval_input_is_checked_before_anything_changes() {
    let (b, [mon, ..]) = books("yes");
    let before = b.snapshot();
    assert_eq!(b.fails(&["time", "submit", "--week", "2026-W54"])["field"], "week");
    assert!(!b.output(&["time", "submit"]).status.success(), "a week or ids");
    assert!(!b.output(&["time", "submit", "--week", "2026-W49", &mon.to_string()]).status.success());
    assert!(!b.output(&["project", "edit", "Web", "--approval-required", "maybe"]).status.success());
    assert_eq!(b.fails(&["time", "list", "--approval", "pending"])["field"], "approval");
    b.ok(&["project", "add", "Audit", "--client", "Acme GmbH", "--billing", "fixed_price", "--budget", "900"]);
    let after_add = b.snapshot();
    assert_eq!(b.fails(&["project", "edit", "Audit", "--approval-required", "yes"])["field"], "approval_required");
    assert_eq!(b.snapshot(), after_add);
    assert_ne!(before, after_add);
}
