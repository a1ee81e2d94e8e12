//! Names, email addresses, country codes and tax rates as typed: each is
//! refused naming its field, or kept trimmed. One field per line: name,
//! percent, category, exemption reason.
#![no_main]

use billable_core::model::{require_name, validate_country, validate_email};
use billable_core::money::parse_decimal;
use billable_core::tax::{TaxCategory, TaxRate};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fuzz_target!(|data: &[u8]| {
    let Some(fields) = billable_fuzz::fields(data) else { return };
    let field = |i: usize| fields.get(i).copied().unwrap_or("");
    for t in &fields {
        match require_name("name", t) {
            Ok(n) => assert!(n == n.trim() && !n.is_empty() && n.chars().count() <= 200),
            Err(e) => assert_eq!(e.field(), Some("name")),
        }
        match validate_email("email", t) {
            Ok(m) => {
                assert_eq!(m, m.trim());
                assert_eq!(m.matches('@').count(), 1, "{m}");
                assert!(!m.chars().any(char::is_whitespace));
            }
            Err(e) => assert_eq!(e.field(), Some("email")),
        }
        match validate_country("country", t) {
            Ok(c) => assert!(c.is_empty() || (c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase()))),
            Err(e) => assert_eq!(e.field(), Some("country")),
        }
    }
    let percent = parse_decimal("percent", field(1)).unwrap_or(Decimal::ZERO);
    let category = field(2).parse::<TaxCategory>().unwrap_or_default();
    let reason = fields.get(3).map(|r| r.to_string());
    match TaxRate::new(field(0), percent, category, reason) {
        Ok(t) => {
            assert!(!t.name.is_empty() && t.name == t.name.trim());
            assert!(t.percent >= Decimal::ZERO && t.percent <= Decimal::ONE_HUNDRED);
            assert_eq!(t.category.requires_zero_rate(), t.percent.is_zero());
            if t.category == TaxCategory::E {
                assert!(t.exemption_reason.is_some());
            }
        }
        Err(e) => {
            let f = e.field().unwrap_or_default();
            assert!(["name", "percent", "exemption_reason"].contains(&f), "{e}");
        }
    }
});
