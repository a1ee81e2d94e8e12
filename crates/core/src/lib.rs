//! Billable's domain: money, currency, rounding, rates, totals, numbering,
//! status rules and timer state.
//!
//! Architecture invariant: pure. No IO, no SQL, no clock reads — callers pass
//! `now` and `today` in. Everything here is deterministic and unit-tested.

pub mod allocation;
pub mod billing;
pub mod billing_types;
pub mod credit;
pub mod early_payment;
pub mod error;
pub mod estimate;
pub mod expense;
pub mod late_fee;
pub mod model;
pub mod money;
pub mod numbering;
pub mod presentation;
pub mod rates;
pub mod recurring;
pub mod status;
pub mod tax;
pub mod time;
pub mod totals;

pub use error::{CoreError, CoreResult};
pub use money::{round_money, Currency, Money};
pub use rust_decimal::Decimal;
