//! kill -9 while an invoice is made from time: afterwards the invoice exists
//! with every line and every entry billed once, or it does not exist and no
//! entry is billed; the same command then bills everything exactly once.

use super::{books, check, copy_of, import_rows, Trials};
use crate::support::s;

const ENTRIES: usize = 400;
const TRIALS: u64 = 50;
const ARGS: [&str; 9] =
    ["invoice", "from-time", "--client", "Acme GmbH", "--group", "entry", "--tax", "1", "--discount"];

fn args() -> Vec<&'static str> {
    let mut a = ARGS.to_vec();
    a.push("5%");
    a
}

#[test]
fn killing_invoice_from_time_never_leaves_half_an_invoice() {
    let pristine = books();
    pristine.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    pristine.ok(&["tax", "add", "VAT 19%", "--percent", "19"]);
    let rows: Vec<String> = (0..ENTRIES)
        .map(|i| {
            let quarters = (1 + i % 7) * 25;
            format!(
                "2026-06-{:02},Acme GmbH,Website,work item {i},{}.{:02}",
                1 + i % 30,
                quarters / 100,
                quarters % 100
            )
        })
        .collect();
    import_rows(&pristine, &rows);
    pristine.ok(&["project", "edit", "1", "--rate", "95.50"]);

    let probe = copy_of(&pristine);
    let expected = probe.ok(&args());
    let expected_total = s(&expected["total"]);
    assert_eq!(expected["lines"].as_array().unwrap().len(), ENTRIES);

    let mut t = Trials::new("invoice from-time", TRIALS, || {
        let b = copy_of(&pristine);
        let c = b.command(&args());
        (b, c)
    });
    let (mut before, mut after) = (0, 0);
    for trial in 0..TRIALS {
        let b = copy_of(&pristine);
        let (ctx, _) = t.kill(trial, b.command(&args()));
        let seen = check::books(&b.db, &ctx);
        assert_eq!(seen.entries.len(), ENTRIES, "{ctx}: no entry lost");
        match seen.invoices.len() {
            0 => {
                before += 1;
                assert_eq!(seen.billed(), 0, "{ctx}: entries billed without an invoice");
                let inv = b.ok(&args());
                assert_eq!(s(&inv["total"]), expected_total, "{ctx}: the retry");
            }
            1 => {
                after += 1;
                let again = b.fails(&args());
                assert_eq!(again["field"], "entries", "{ctx}: entries cannot be billed twice");
            }
            n => panic!("{ctx}: {n} invoices from one command"),
        }
        let seen = check::books(&b.db, &ctx);
        assert_eq!(seen.invoices.len(), 1, "{ctx}");
        let inv = &seen.invoices[0];
        assert_eq!(inv.lines.len(), ENTRIES, "{ctx}: one line per entry");
        assert_eq!(seen.billed(), ENTRIES, "{ctx}: every entry billed, once");
        assert_eq!(inv.invoice.total.to_string(), expected_total, "{ctx}");
    }
    t.report(before, after);
}
