//! The invoices the document benchmarks render: a one-page invoice and a
//! 50-page one, the same in every benchmark so their figures compare.

#![allow(dead_code)]

use billable_docs::document::{InvoiceDocument, Template};
use rust_decimal::Decimal;

use super::fixture::{hours, units, vat, Spec};

/// Four lines, EUR, 19 % VAT, GiroCode: one page. `number` tells a batch's
/// invoices apart.
pub fn one_page(number: usize) -> InvoiceDocument {
    let s19 = || Some(vat(Decimal::from(19)));
    Spec::inline(
        &format!("INV-2026-{number:05}"),
        vec![
            hours("Design workshop and written summary", Decimal::new(35, 1), Decimal::from(120), s19()),
            hours("Frontend development: product pages and checkout", Decimal::new(245, 1), Decimal::from(95), s19()),
            units("Stock photography licences", Decimal::from(6), Decimal::new(4990, 2), s19()),
            units("Hosting, 12 months", Decimal::from(12), Decimal::new(1590, 2), s19()),
        ],
    )
    .build()
}

/// 1,065 lines in the classic template: 50 pages, the header repeated.
pub fn fifty_pages() -> InvoiceDocument {
    let lines = (1..=1065)
        .map(|i| {
            hours(
                &format!("Support ticket #{i}: analysis and fix"),
                Decimal::new(15, 1),
                Decimal::from(80),
                Some(vat(Decimal::from(19))),
            )
        })
        .collect();
    let mut doc = Spec::inline("INV-2026-LONG", lines).build();
    doc.template = Template::Classic;
    doc
}
