//! Integration tests of billable-core; modules mirror `src`.

mod parsers_props;
mod totals;
mod totals_props;
