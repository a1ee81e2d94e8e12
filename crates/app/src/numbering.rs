//! How invoices and credit notes are numbered, and the numbers they would
//! get next — so a person can see a pattern's effect before saving it.

use billable_core::credit::credit_note_pattern;
use billable_core::error::CoreError;
use billable_core::numbering::NumberPattern;
use billable_store::{catalog as cat, credit_notes as cdb, invoices as idb, Tx};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::Billable;

/// Patterns to preview; `None` takes the saved one.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NumberingInput {
    pub invoice_pattern: Option<String>,
    pub credit_note_pattern: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NumberingView {
    pub invoice_pattern: String,
    /// The number the next invoice issued today would get.
    pub next_invoice: String,
    pub credit_note_pattern: String,
    pub next_credit_note: String,
}

/// A pattern's error, about the field the person typed it in.
fn about(field: &'static str) -> impl Fn(CoreError) -> AppError {
    move |e| match e {
        CoreError::Invalid { message, .. } => AppError::invalid(field, message),
        other => other.into(),
    }
}

/// The next free number of a series under `pattern`, without taking it.
fn next_free(tx: &Tx, series: &str, pattern: &NumberPattern, today: NaiveDate) -> AppResult<String> {
    let mut seq = idb::peek_counter(tx, series, pattern.counter_year(today))?;
    loop {
        let n = pattern.format(today, seq);
        if !idb::number_used(tx, &n)? {
            return Ok(n);
        }
        seq += 1;
    }
}

impl Billable {
    /// The numbering patterns (the given ones, else the saved ones) and the
    /// numbers they would give next. Changes nothing.
    pub fn numbering_preview(&mut self, i: NumberingInput) -> AppResult<NumberingView> {
        self.read("preview the numbering", |tx, clock| {
            let typed = |v: &Option<String>| v.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string);
            let invoice_text = match typed(&i.invoice_pattern) {
                Some(p) => p,
                None => cat::business(tx)?.invoice_number_pattern,
            };
            let credit_text = match typed(&i.credit_note_pattern) {
                Some(p) => p,
                None => cdb::number_pattern(tx)?,
            };
            let invoice = NumberPattern::parse(&invoice_text).map_err(about("invoice_pattern"))?;
            let credit = credit_note_pattern(&credit_text).map_err(about("credit_note_pattern"))?;
            let today = clock.today();
            Ok(NumberingView {
                next_invoice: next_free(tx, crate::invoices::SERIES, &invoice, today)?,
                next_credit_note: next_free(tx, crate::credit_notes::SERIES, &credit, today)?,
                invoice_pattern: invoice.as_str().to_string(),
                credit_note_pattern: credit.as_str().to_string(),
            })
        })
    }
}
