//! kill -9 while a payment is recorded: afterwards the payment exists and the
//! invoice's paid amount, balance and status follow it, or none of them
//! changed; recording it again then succeeds once.

use rust_decimal::Decimal;

use super::{books, check, copy_of, import_rows, Trials};
use crate::support::Books;

const TRIALS: u64 = 50;

/// Books with three issued invoices of ten entries each; their numbers.
pub fn issued_invoices(count: usize) -> (Books, Vec<String>) {
    let b = books();
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    b.ok(&["tax", "add", "VAT 19%", "--percent", "19"]);
    let rows: Vec<String> = (0..count * 10)
        .map(|i| format!("2026-06-{:02},Acme GmbH,Project {},task {i},1.{:02}", 1 + i % 28, i / 10, (i * 7) % 100))
        .collect();
    import_rows(&b, &rows);
    let mut numbers = Vec::new();
    for p in 1..=count {
        b.ok(&["project", "edit", &p.to_string(), "--rate", "87.35"]);
        let inv = b.ok(&["invoice", "from-time", "--client", "Acme GmbH", "--project", &p.to_string(), "--tax", "1"]);
        numbers.push(inv["number"].as_str().unwrap().to_string());
    }
    (b, numbers)
}

fn args(number: &str, amount: Option<&str>, trial: u64) -> Vec<String> {
    let mut a = vec!["payment".into(), "add".into(), number.to_string(), "--method".into(), "bank transfer".into()];
    a.extend(["--reference".into(), format!("TX-{trial}")]);
    if let Some(amount) = amount {
        a.extend(["--amount".into(), amount.to_string()]);
    }
    a
}

fn strs(a: &[String]) -> Vec<&str> {
    a.iter().map(String::as_str).collect()
}

#[test]
fn killing_a_payment_never_leaves_paid_and_status_out_of_step() {
    let (pristine, numbers) = issued_invoices(3);
    let mut sent = vec!["invoice", "bulk", "mark-sent"];
    sent.extend(numbers.iter().map(String::as_str));
    pristine.ok(&sent);

    let mut t = Trials::new("payment add", TRIALS, || {
        let b = copy_of(&pristine);
        let c = b.command(&strs(&args(&numbers[0], None, 0)));
        (b, c)
    });
    let (mut before, mut after) = (0, 0);
    for trial in 0..TRIALS {
        let b = copy_of(&pristine);
        let number = &numbers[trial as usize % numbers.len()];
        // Even trials pay part (partially paid), odd ones the balance (paid).
        let amount = trial.is_multiple_of(2).then_some("100.00");
        let a = args(number, amount, trial);
        let (ctx, _) = t.kill(trial, b.command(&strs(&a)));
        let seen = check::books(&b.db, &ctx);
        let total = seen.invoice(number).unwrap().invoice.total;
        match seen.invoice(number).unwrap().payments.len() {
            0 => {
                before += 1;
                b.ok(&strs(&a));
            }
            1 => after += 1,
            n => panic!("{ctx}: {n} payments from one command"),
        }
        let seen = check::books(&b.db, &ctx);
        for v in &seen.invoices {
            let i = &v.invoice;
            if &i.number == number {
                let want = amount.map_or(total, |a| a.parse::<Decimal>().unwrap());
                assert_eq!(v.payments.len(), 1, "{ctx}: one payment");
                assert_eq!(v.payments[0].amount, want, "{ctx}");
                assert_eq!(v.payments[0].reference, format!("TX-{trial}"), "{ctx}");
                let status = if amount.is_some() { "partially_paid" } else { "paid" };
                assert_eq!(i.status.to_string(), status, "{ctx}");
            } else {
                assert!(v.payments.is_empty() && i.status.to_string() == "sent", "{ctx}: {} untouched", i.number);
            }
        }
    }
    t.report(before, after);
}
