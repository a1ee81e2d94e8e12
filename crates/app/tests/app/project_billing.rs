//! Billing projects by type: fixed price (a percentage, a milestone or the
//! rest of the fee, never more than the fee) and retainers (once per period).

use billable_app::core::status::InvoiceStatus;
use billable_app::{CreditNoteInput, LineInput, ProjectInput, ProjectInvoiceInput};
use rust_decimal_macros::dec;

use crate::support::*;

fn project_of(b: &mut Books, billing: &str, budget: &str) -> i64 {
    let c = client(b, "Acme", Some("EUR"), None);
    b.create_project(ProjectInput {
        client_id: Some(c.id),
        name: s("Relaunch"),
        billing_type: s(billing),
        budget: s(budget),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn fee(project_id: i64) -> ProjectInvoiceInput {
    ProjectInvoiceInput { project_id, ..Default::default() }
}

#[test]
fn forty_percent_then_the_remaining_sixty_and_nothing_more() {
    let mut b = Books::new();
    let p = project_of(&mut b, "fixed_price", "10000");
    // 40 % of 10,000.00 = 4,000.00.
    let first = b.invoice_from_project(ProjectInvoiceInput { percent: s("40"), ..fee(p) }).unwrap();
    assert_eq!(first.invoice.total, dec!(4000.00));
    assert_eq!(first.invoice.project_id, Some(p));
    assert_eq!(first.lines[0].description, "Relaunch — 40 % of the fixed fee of 10000.00 EUR");
    // The draft cannot be edited past the fee either: 4,000.00 → 12,000.00 is refused.
    let e = assert_invalid(
        b.edit_line(&first.invoice.number, 1, LineInput { rate: s("12000"), ..Default::default() }),
        "lines",
    );
    assert!(e.to_string().contains("12000.00 EUR would be invoiced in all"), "{e}");
    assert_eq!(b.invoice(&first.invoice.number).unwrap().invoice.total, dec!(4000.00));
    // The remaining 60 % = 6,000.00.
    let rest = b.invoice_from_project(ProjectInvoiceInput { remaining: true, ..fee(p) }).unwrap();
    assert_eq!(rest.invoice.total, dec!(6000.00));
    let billing = b.project_billing(p).unwrap();
    assert_eq!((billing.invoiced, billing.remaining), (Some(dec!(10000.00)), Some(dec!(0.00))));
    // Nothing more: refused naming the field, nothing written.
    let before = b.invoices(Default::default()).unwrap().total;
    let e = assert_invalid(b.invoice_from_project(ProjectInvoiceInput { remaining: true, ..fee(p) }), "remaining");
    assert!(e.to_string().contains("nothing of the fixed fee of 10000.00 EUR is left"), "{e}");
    assert_invalid(b.invoice_from_project(ProjectInvoiceInput { percent: s("1"), ..fee(p) }), "percent");
    assert_invalid(b.invoice_from_project(ProjectInvoiceInput { amount: s("0.01"), ..fee(p) }), "amount");
    assert_eq!(b.invoices(Default::default()).unwrap().total, before);

    // Cancelling the 6,000.00 draft frees its part: a milestone of 2,500.00 fits.
    b.cancel_invoice(&rest.invoice.number).unwrap();
    let m = b.invoice_from_project(ProjectInvoiceInput { amount: s("2500"), ..fee(p) }).unwrap();
    assert_eq!(m.invoice.total, dec!(2500.00));
    // 3,500.00 left; 40 % (4,000.00) is too much.
    let e = assert_invalid(b.invoice_from_project(ProjectInvoiceInput { percent: s("40"), ..fee(p) }), "percent");
    assert!(e.to_string().contains("4000.00 EUR is more than the 3500.00 EUR left"), "{e}");
    // Crediting the first invoice in full frees its 4,000.00 too: 7,500.00 left.
    b.mark_sent(&first.invoice.number).unwrap();
    b.create_credit_note(CreditNoteInput { invoice: first.invoice.number.clone(), ..Default::default() }).unwrap();
    assert_eq!(b.project_billing(p).unwrap().remaining, Some(dec!(7500.00)));
    // Flags of other billing types are refused naming them.
    assert_invalid(b.invoice_from_project(ProjectInvoiceInput { period: s("2026-05"), ..fee(p) }), "period");
    assert_invalid(
        b.invoice_from_project(ProjectInvoiceInput { percent: s("10"), remaining: true, ..fee(p) }),
        "percent",
    );
}

#[test]
fn a_retainer_is_billed_once_per_period() {
    let mut b = Books::new();
    let p = project_of(&mut b, "retainer", "1500");
    let march = b.invoice_from_project(ProjectInvoiceInput { period: s("2026-03"), ..fee(p) }).unwrap();
    assert_eq!(march.invoice.total, dec!(1500.00));
    assert_eq!(march.lines[0].description, "Relaunch — retainer 2026-03 (2026-03-01 – 2026-03-31)");
    let e = assert_invalid(b.invoice_from_project(ProjectInvoiceInput { period: s("2026-03"), ..fee(p) }), "period");
    assert!(e.to_string().contains(&march.invoice.number), "{e}");
    // Without a period: the current one (May 2026).
    let may = b.invoice_from_project(fee(p)).unwrap();
    assert!(may.lines[0].description.contains("2026-05"), "{}", may.lines[0].description);
    // A cancelled period can be billed again.
    b.cancel_invoice(&march.invoice.number).unwrap();
    let again = b.invoice_from_project(ProjectInvoiceInput { period: s("2026-03"), ..fee(p) }).unwrap();
    assert_eq!(again.invoice.status, InvoiceStatus::Draft);
    let v = b.project_billing(p).unwrap();
    assert_eq!(v.billed_periods.iter().map(|x| x.label.as_str()).collect::<Vec<_>>(), ["2026-05", "2026-03"]);

    // Quarterly: periods are written 2026-Q2; a month is refused.
    b.set_retainer_period(p, "quarterly").unwrap();
    assert_invalid(b.invoice_from_project(ProjectInvoiceInput { period: s("2026-06"), ..fee(p) }), "period");
    let q = b.invoice_from_project(ProjectInvoiceInput { period: s("2026-Q3"), ..fee(p) }).unwrap();
    assert!(q.lines[0].description.contains("(2026-07-01 – 2026-09-30)"));
    assert_invalid(b.invoice_from_project(ProjectInvoiceInput { percent: s("40"), ..fee(p) }), "percent");
    assert_invalid(b.set_retainer_period(p, "daily"), "retainer_period");
}

#[test]
fn hourly_projects_bill_their_time() {
    let mut b = Books::new();
    let c = client(&mut b, "Acme", Some("EUR"), None);
    let p = project(&mut b, c.id, "Website", Some("120"));
    hours(&mut b, p.id, None, "2026-05-04", "2.5");
    let v = b.invoice_from_project(fee(p.id)).unwrap();
    assert_eq!(v.invoice.total, dec!(300.00));
    assert_invalid(b.invoice_from_project(ProjectInvoiceInput { percent: s("40"), ..fee(p.id) }), "percent");
    assert_invalid(b.set_retainer_period(p.id, "monthly"), "retainer_period");
    assert_invalid(b.invoice_from_project(fee(999)), "project");
}
