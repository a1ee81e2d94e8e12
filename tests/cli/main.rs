//! End-to-end tests of the `billable` command line against a real SQLite file.

mod crash;
mod journey;
mod rejections;
mod usage;
