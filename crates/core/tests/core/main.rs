//! Integration tests of billable-core; modules mirror `src`.

mod parsers_props;
mod presentation;
mod totals;
mod totals_props;
