//! The business profile, clients, projects, team members and tax rates as
//! typed (IBAN, BIC, VAT id, email addresses, country, currency, payment
//! terms, rates, budgets, rounding, numbering pattern, presentation
//! settings…), through the real use cases on books in memory. One field per
//! line; the fields are dealt out to the forms in order. Each form is
//! refused with an error naming a field, or saved and read back as saved.
#![no_main]

use std::cell::RefCell;

use billable_app::{
    AppError, AppResult, Billable, BusinessInput, ClientInput, FixedClock, MemberInput, ProjectInput, TaxRateInput,
};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static BOOKS: RefCell<Billable> = RefCell::new(
        Billable::in_memory(Box::new(FixedClock::parse("2026-03-31T09:00:00+02:00").expect("a clock")))
            .expect("books in memory"),
    );
}

fn checked<T: std::fmt::Debug>(what: &str, r: AppResult<T>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(AppError::Invalid { field, message }) => {
            assert!(!field.is_empty() && !message.is_empty(), "{what}: {field}: {message}");
            None
        }
        Err(other) => panic!("{what}: typed input is refused as invalid, not with {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(fields) = billable_fuzz::fields(data) else { return };
    let mut next = fields.iter().map(|f| f.to_string());
    let mut f = || next.next();
    BOOKS.with(|app| {
        let mut app = app.borrow_mut();
        let business = BusinessInput {
            iban: f(),
            bic: f(),
            vat_id: f(),
            email: f(),
            country: f(),
            default_currency: f(),
            payment_terms_days: f(),
            default_rate: f(),
            rounding: f(),
            invoice_number_pattern: f(),
            default_tax_mode: f(),
            pdf_template: f(),
            paper_size: f(),
            locale: f(),
            einvoicing: f(),
            name: f(),
            tax_id: f(),
            payment_link: f(),
            ..Default::default()
        };
        if let Some(b) = checked("business", app.update_business(business)) {
            assert_eq!(app.business().expect("the business reads back"), b, "the business reads back as saved");
        }
        let client = ClientInput {
            name: f(),
            emails: f().map(|e| vec![e]),
            country: f(),
            currency: f(),
            payment_terms_days: f(),
            rounding: f(),
            rate: f(),
            tax_id: f(),
            buyer_reference: f(),
            ..Default::default()
        };
        // Names that were taken before are refused ("already exists").
        let client = checked("client", app.create_client(client));
        if let Some(c) = &client {
            assert_eq!(&app.client(c.id).expect("the client reads back"), c, "the client reads back as saved");
        }
        let project = ProjectInput {
            client_id: client.as_ref().map(|c| c.id),
            name: f(),
            billing_type: f(),
            rate: f(),
            budget: f(),
            rounding: f(),
        };
        if let Some(p) = checked("project", app.create_project(project)) {
            assert_eq!(app.project(p.id).expect("the project reads back"), p, "the project reads back as saved");
        }
        let member = MemberInput { name: f(), email: f(), default_rate: f() };
        checked("member", app.create_member(member));
        let tax = TaxRateInput { name: f(), percent: f(), category: f(), exemption_reason: f() };
        checked("tax rate", app.create_tax_rate(tax));
    });
});
