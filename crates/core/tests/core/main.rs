//! Integration tests of billable-core; modules mirror `src`.

mod totals;
mod totals_props;
