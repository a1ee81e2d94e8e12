//! Invoice PDF render time: a one-page invoice, a 50-page invoice, and a
//! batch of 1,000 invoices rendered on every core (rayon), as `billable
//! invoice pdf --out-dir` does. Prints medians (a benchmark, not a test:
//! nothing is asserted). Results go to BENCHMARKS.md.
//!
//! Run: cargo bench -p billable-docs --bench pdf   (or: make bench)
//! One case only (e.g. under `valgrind --tool=callgrind`): pass `one-page`,
//! `long` or `batch` as the argument.

use billable_docs::document::InvoiceDocument;
use billable_docs::pdf::render;
use rayon::prelude::*;

#[path = "../tests/einvoice/fixture.rs"]
#[allow(dead_code)]
mod fixture;

mod invoices;
mod timing;
use invoices::{fifty_pages, one_page};
use timing::measure;

fn pages(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).map(|d| d.get_pages().len()).unwrap_or(0)
}

fn main() {
    let threads = rayon::current_num_threads();
    println!("billable-docs PDF benchmark ({threads} worker threads)");
    let only = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    let run = |case: &str| only.as_deref().is_none_or(|o| o == case);

    if run("one-page") {
        let doc = one_page(1);
        let pdf = render(&doc).unwrap();
        let t = measure(50, || {
            render(&doc).unwrap();
        });
        println!("one-page invoice ({} page, {} KB)     {}", pages(&pdf), pdf.len() / 1024, t);
    }
    if run("long") {
        long();
    }
    if run("batch") {
        batch(threads);
    }
}

fn long() {
    let long = fifty_pages();
    let pdf = render(&long).unwrap();
    let t = measure(15, || {
        render(&long).unwrap();
    });
    println!("long invoice ({} pages, {} KB)      {}", pages(&pdf), pdf.len() / 1024, t);
}

fn batch(threads: usize) {
    let batch: Vec<InvoiceDocument> = (1..=1000).map(one_page).collect();
    let t = measure(5, || {
        let bytes: usize = batch.par_iter().map(|d| render(d).unwrap().len()).sum();
        assert!(bytes > 0);
    });
    let per_second = 1000 * 1000 / t.median.as_millis().max(1);
    println!("1,000 invoices on {threads} threads          {t} ({per_second} invoices/s)");
}
