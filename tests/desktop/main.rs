//! End-to-end tests of the desktop app: the real `billable-desktop` binary in
//! a real WebKitGTK window, driven through tauri-driver and WebKitWebDriver
//! with the W3C WebDriver protocol. They need an X display, so they are
//! `#[ignore]`d in a plain `cargo test`; `make test` runs them under Xvfb:
//!
//! ```sh
//! xvfb-run -a cargo test -p billable-desktop --test desktop -- --ignored --test-threads=1
//! ```
//!
//! Screenshots of each step are saved under `artifacts/desktop/`.

mod areas;
mod driver;
mod journey;
mod locales;
mod team;
mod views;
