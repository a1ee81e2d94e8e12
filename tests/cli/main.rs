//! End-to-end tests of the `billable` command line against a real SQLite file.
//! Registered as billable-cli's integration test (crates/cli/Cargo.toml), so
//! cargo always builds the binary under test first.

mod concurrency;
mod crash;
mod export;
mod journey;
mod pdf;
mod rejections;
mod support;
mod usage;
