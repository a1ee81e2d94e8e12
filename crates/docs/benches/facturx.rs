//! Factur-X render time: the invoice PDF, then its finishing as PDF/A-3 with
//! the CII XML embedded, for a one-page and a 60-line invoice. Prints the
//! median of repeated runs (a benchmark, not a test: nothing is asserted).
//!
//! Run: cargo bench -p billable-docs --bench facturx

use std::time::Duration;

use billable_docs::einvoice::{facturx, xml, Format};
use billable_docs::pdf::render;
use rust_decimal::Decimal;

#[path = "../tests/einvoice/fixture.rs"]
#[allow(dead_code)]
mod fixture;

use fixture::{hours, units, vat, Spec};

mod timing;

/// Prints the median and spread of `runs` timed calls after one warm-up.
fn measure(label: &str, runs: usize, f: impl FnMut()) -> Duration {
    let s = timing::measure(runs, f);
    println!("{label:<48} {s} over {runs} runs");
    s.median
}

fn main() {
    let small = Spec::inline(
        "INV-2026-0001",
        vec![
            hours("Design workshop", Decimal::new(65, 1), Decimal::new(12000, 2), Some(vat(Decimal::from(19)))),
            units("Printed brochures", Decimal::from(250), Decimal::new(135, 2), Some(vat(Decimal::from(7)))),
            hours("Project management", Decimal::from(2), Decimal::new(9500, 2), Some(vat(Decimal::from(19)))),
        ],
    )
    .build();
    let long = Spec::inline(
        "INV-2026-0002",
        (1..=60)
            .map(|i| {
                hours(
                    &format!("Sprint task #{i}: implementation, review and tests"),
                    Decimal::new(25 + i * 7, 1),
                    Decimal::new(9750, 2),
                    Some(vat(Decimal::from(if i % 3 == 0 { 7 } else { 19 }))),
                )
            })
            .collect(),
    )
    .build();
    for (name, doc) in [("1 page, 3 lines", &small), ("60 lines", &long)] {
        let pdf = render(doc).expect("render");
        measure(&format!("CII XML ({name})"), 200, || {
            xml(doc, Format::Cii).expect("xml");
        });
        measure(&format!("PDF ({name})"), 30, || {
            render(doc).expect("render");
        });
        measure(&format!("Factur-X finishing of the PDF ({name})"), 30, || {
            facturx(&pdf, doc).expect("facturx");
        });
        measure(&format!("Factur-X PDF, render + finish ({name})"), 30, || {
            facturx(&render(doc).expect("render"), doc).expect("facturx");
        });
    }
}
