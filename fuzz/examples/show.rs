//! Prints the draft a `totals` input decodes to, and what the engine says:
//! `cargo run --example show -- regressions/totals/<file>`.

use arbitrary::Unstructured;

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("a readable file");
        match billable_fuzz::draft(&mut Unstructured::new(&bytes)) {
            Ok(d) => {
                println!("{path}:\n{d:#?}");
                println!("{:#?}", std::panic::catch_unwind(|| billable_core::totals::totals(&d)));
            }
            Err(e) => println!("{path}: not a draft ({e})"),
        }
    }
}
