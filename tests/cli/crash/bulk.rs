//! kill -9 during bulk actions (mark sent, delete drafts, mark paid): each
//! invoice is its own transaction, so afterwards the invoices done are a
//! prefix of the list, each either wholly done or untouched, and running the
//! action again on the rest finishes the job.

use super::payments::issued_invoices;
use super::{check, copy_of, Trials};

const TRIALS_PER_ACTION: u64 = 20;
const DRAFTS: usize = 6;

#[derive(Clone, Copy, Debug)]
enum Action {
    MarkSent,
    Delete,
    MarkPaid,
}

impl Action {
    fn cli(self) -> &'static str {
        match self {
            Action::MarkSent => "mark-sent",
            Action::Delete => "delete",
            Action::MarkPaid => "mark-paid",
        }
    }
}

fn args(action: Action, numbers: &[String]) -> Vec<&str> {
    let mut a = vec!["invoice", "bulk", action.cli()];
    a.extend(numbers.iter().map(String::as_str));
    a
}

/// Whether the action is done for this invoice; panics when it is half done.
fn done(seen: &check::Seen, action: Action, number: &str, ctx: &str) -> bool {
    let v = seen.invoice(number);
    match action {
        Action::MarkSent => match v.map(|v| v.invoice.status.to_string()).as_deref() {
            Some("draft") => false,
            Some("sent") => true,
            other => panic!("{ctx}: {number} is {other:?}"),
        },
        Action::Delete => match v {
            None => true,
            Some(v) => {
                assert_eq!(v.invoice.status.to_string(), "draft", "{ctx}: {number}");
                false
            }
        },
        Action::MarkPaid => {
            let v = v.unwrap_or_else(|| panic!("{ctx}: {number} vanished"));
            match (v.invoice.status.to_string().as_str(), v.payments.len()) {
                ("sent", 0) => false,
                ("paid", 1) => {
                    assert_eq!(v.payments[0].amount, v.invoice.total, "{ctx}: {number} paid in full");
                    true
                }
                other => panic!("{ctx}: {number} is {other:?}"),
            }
        }
    }
}

#[test]
fn killing_bulk_actions_leaves_each_invoice_done_or_untouched() {
    let (pristine, numbers) = issued_invoices(2 * DRAFTS);
    let (drafts, sent) = numbers.split_at(DRAFTS);
    pristine.ok(&args(Action::MarkSent, sent));
    let entries = check::books(&pristine.db, "bulk: pristine").entries.len();

    let mut between = 0;
    for action in [Action::MarkSent, Action::Delete, Action::MarkPaid] {
        let list = match action {
            Action::MarkPaid => sent,
            _ => drafts,
        };
        let what = match action {
            Action::MarkSent => "invoice bulk mark-sent",
            Action::Delete => "invoice bulk delete",
            Action::MarkPaid => "invoice bulk mark-paid",
        };
        let mut t = Trials::new(what, TRIALS_PER_ACTION, || {
            let b = copy_of(&pristine);
            let c = b.command(&args(action, list));
            (b, c)
        });
        let (mut before, mut after) = (0, 0);
        for trial in 0..TRIALS_PER_ACTION {
            let b = copy_of(&pristine);
            let (ctx, _) = t.kill(trial, b.command(&args(action, list)));
            let seen = check::books(&b.db, &ctx);
            assert_eq!(seen.entries.len(), entries, "{ctx}: no entry lost");
            let flags: Vec<bool> = list.iter().map(|n| done(&seen, action, n, &ctx)).collect();
            let n_done = flags.iter().filter(|d| **d).count();
            assert!(flags[..n_done].iter().all(|d| *d), "{ctx}: done out of order: {flags:?}");
            match n_done {
                0 => before += 1,
                n if n == list.len() => after += 1,
                _ => between += 1,
            }
            if n_done < list.len() {
                b.ok(&args(action, &list[n_done..]));
            }
            let seen = check::books(&b.db, &ctx);
            assert_eq!(seen.entries.len(), entries, "{ctx}: no entry lost");
            assert!(list.iter().all(|n| done(&seen, action, n, &ctx)), "{ctx}: the retry finished the job");
            if let Action::Delete = action {
                assert_eq!(seen.invoices.len(), 2 * DRAFTS - list.len(), "{ctx}");
                assert_eq!(seen.billed(), entries / 2, "{ctx}: the deleted drafts' time is unbilled again");
            }
        }
        t.report(before, after);
    }
    eprintln!("bulk: {between} kills landed between two invoices of one command");
}
