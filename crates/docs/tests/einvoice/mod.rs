//! E-invoices: the data check, CII / XRechnung / UBL validated by the
//! official XSD and EN 16931 Schematron, and Factur-X.

mod check;
mod facturx;
pub mod fixture;
mod formats;

use billable_core::tax::TaxCategory;
use billable_core::totals::Discount;
use billable_docs::document::{DocumentKind, InvoiceDocument};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use fixture::{hours, time, units, vat, zero_rate, Spec};

/// The invoices every format is validated on.
pub fn matrix() -> Vec<(&'static str, InvoiceDocument)> {
    let s19 = || Some(vat(dec!(19)));
    let s7 = || Some(vat(dec!(7)));
    let mut out = Vec::new();

    out.push((
        "several-rates",
        Spec::inline(
            "INV-2026-0001",
            vec![
                hours("Design workshop", dec!(6.5), dec!(120.00), s19())
                    .long("Two half-day sessions on site:\nuser journeys, wireframes & a clickable prototype <v1>"),
                units("Printed brochures", dec!(250), dec!(1.35), s7()),
                hours("Project management", dec!(2), dec!(95.00), s19()),
            ],
        )
        .build(),
    ));

    out.push((
        "exempt-line",
        Spec::inline(
            "INV-2026-0002",
            vec![
                hours("Consulting", dec!(3), dec!(150.00), s19()),
                units(
                    "Training course (exempt)",
                    dec!(1),
                    dec!(890.00),
                    Some(zero_rate(TaxCategory::E, Some("Exempt under § 4 Nr. 21 UStG (vocational training)"))),
                ),
            ],
        )
        .build(),
    ));

    let mut reverse = Spec::inline(
        "INV-2026-0003",
        vec![
            hours("Backend development", dec!(40), dec!(110.00), Some(zero_rate(TaxCategory::AE, None))),
            units(
                "Server setup",
                dec!(1),
                dec!(450.00),
                Some(zero_rate(TaxCategory::AE, Some("Reverse charge: VAT due by the recipient"))),
            ),
        ],
    );
    reverse.buyer_country = "FR";
    out.push(("reverse-charge", reverse.build()));

    let mut discounts = Spec::inline(
        "INV-2026-0004",
        vec![
            hours("Illustration", dec!(12), dec!(85.00), s19()).discount(Discount::Percent(dec!(10))),
            units("Licence", dec!(3), dec!(199.99), s7()).discount(Discount::Fixed(dec!(25.00))),
            hours("Review call", dec!(1.25), dec!(85.00), s19()),
        ],
    );
    discounts.discount = Discount::Percent(dec!(5));
    out.push(("line-and-document-discounts", discounts.build()));

    let mut negative = Spec::inline(
        "INV-2026-0005",
        vec![hours("Maintenance", dec!(10), dec!(90.00), s19()), units("Domain", dec!(2), dec!(14.99), s7())],
    );
    // A total rounded down to whole euros: the rounding amount (BT-114).
    negative.adjustment = dec!(-0.55);
    negative.adjustment_label = "Rounded to whole euros".into();
    negative.discount = Discount::Fixed(dec!(20.00));
    out.push(("negative-adjustment", negative.build()));

    let mut positive =
        Spec::summary("INV-2026-0006", vat(dec!(19)), vec![hours("Support", dec!(4), dec!(80.00), None)]);
    positive.adjustment = dec!(0.02);
    positive.adjustment_label = "Rounding".into();
    positive.paid = dec!(100.00);
    out.push(("positive-adjustment-partly-paid", positive.build()));

    let mut jpy = Spec::inline(
        "INV-2026-0007",
        vec![
            hours("Translation", dec!(7.5), dec!(8500), Some(vat(dec!(10)))),
            units("Proofreading", dec!(3), dec!(4999), Some(vat(dec!(8)))).discount(Discount::Percent(dec!(15))),
        ],
    );
    jpy.currency = "JPY";
    jpy.discount = Discount::Percent(dec!(3));
    jpy.buyer_country = "JP";
    out.push(("jpy", jpy.build()));

    let long: Vec<_> = (1..=60)
        .map(|i| {
            let tax = if i % 3 == 0 { s7() } else { s19() };
            let l = hours(
                &format!("Sprint task #{i}: implementation and tests"),
                Decimal::new(25 + i * 7, 1),
                dec!(97.50),
                tax,
            );
            if i % 10 == 0 {
                l.discount(Discount::Percent(dec!(12.5)))
            } else {
                l
            }
        })
        .collect();
    let mut sixty = Spec::inline("INV-2026-0008", long);
    sixty.discount = Discount::Percent(dec!(2.5));
    out.push(("sixty-lines", sixty.build()));

    out.push((
        "time-billed",
        Spec::summary(
            "INV-2026-0009",
            vat(dec!(19)),
            vec![
                time("Pairing session", 4800, dec!(150.00), None),
                time("Bug triage", 2000, dec!(133.33), None),
                time("Release", 11111, dec!(1000.00), None),
            ],
        )
        .build(),
    ));

    let mut ic = Spec::inline(
        "INV-2026-0010",
        vec![units("Hardware kit", dec!(5), dec!(240.00), Some(zero_rate(TaxCategory::K, None)))],
    );
    ic.buyer_country = "AT";
    out.push(("intra-community", ic.build()));

    let mut export = Spec::inline(
        "INV-2026-0011",
        vec![
            hours("Remote consulting", dec!(8), dec!(140.00), Some(zero_rate(TaxCategory::G, None))),
            units("Zero-rated books", dec!(4), dec!(19.90), Some(zero_rate(TaxCategory::Z, None))),
        ],
    );
    export.buyer_country = "US";
    out.push(("export-and-zero-rated", export.build()));

    let mut outside = Spec::inline(
        "INV-2026-0012",
        vec![hours("Speaker fee", dec!(1), dec!(500.00), Some(zero_rate(TaxCategory::O, None)))],
    );
    outside.adjustment = dec!(-50.00);
    outside.adjustment_label = "Travel already reimbursed".into();
    out.push(("outside-scope", outside.build()));

    let mut credit =
        Spec::inline("CN-2026-0001", vec![hours("Refund: cancelled workshop day", dec!(8), dec!(120.00), s19())]);
    credit.kind = DocumentKind::CreditNote { corrects: "INV-2026-0001".into() };
    out.push(("credit-note", credit.build()));

    out
}
