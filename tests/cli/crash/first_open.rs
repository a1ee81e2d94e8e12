//! kill -9 while new books are being created (the schema written on first
//! use): the file left behind opens, checks whole and works.

use super::{check, Trials, NOW};
use crate::support::Books;

const TRIALS: u64 = 20;
const ARGS: [&str; 3] = ["client", "add", "Acme GmbH"];

#[test]
fn killing_the_first_run_leaves_books_that_open() {
    let mut t = Trials::new("first run (schema creation)", TRIALS, || {
        let b = Books::new().at(NOW);
        let c = b.command(&ARGS);
        (b, c)
    });
    let (mut before, mut after) = (0, 0);
    for trial in 0..TRIALS {
        let b = Books::new().at(NOW);
        let (ctx, _) = t.kill(trial, b.command(&ARGS));
        if b.db.exists() {
            check::books(&b.db, &ctx);
        }
        let clients = b.ok(&["client", "list"]).as_array().unwrap().len();
        match clients {
            0 => {
                before += 1;
                b.ok(&ARGS);
            }
            1 => after += 1,
            n => panic!("{ctx}: {n} clients"),
        }
        check::books(&b.db, &ctx);
        assert_eq!(b.ok(&["client", "list"]).as_array().unwrap().len(), 1, "{ctx}");
    }
    t.report(before, after);
}
