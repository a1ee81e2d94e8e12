//! Integration tests of billable-core; modules mirror `src`.

mod billing_types;
mod credit_props;
mod money;
mod parsers_props;
mod presentation;
mod recurring_props;
mod time;
mod totals;
mod totals_gross;
mod totals_props;
