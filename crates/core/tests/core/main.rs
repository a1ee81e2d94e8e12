//! Integration tests of billable-core; modules mirror `src`.

mod credit_props;
mod parsers_props;
mod presentation;
mod recurring_props;
mod totals;
mod totals_props;
