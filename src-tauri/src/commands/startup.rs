//! Start-up timing. The window reports when it first painted content, so
//! the time from launch to first paint can be measured on real machines
//! (`scripts/bench-desktop.sh`). Printed only when `BILLABLE_STARTUP_TRACE`
//! is set; otherwise the report is dropped.

/// The window's first contentful paint and the moment the app's first view
/// (navigation and timer) was on screen, both in milliseconds since the Unix
/// epoch as the page's clock (`performance.timeOrigin`) gives them.
#[tauri::command]
#[specta::specta]
pub fn startup_painted(first_contentful_paint_ms: Option<u64>, first_view_ms: u64) {
    if std::env::var_os("BILLABLE_STARTUP_TRACE").is_some() {
        let fcp = first_contentful_paint_ms.map_or_else(|| "unknown".to_string(), |ms| ms.to_string());
        eprintln!("billable-desktop startup: first-contentful-paint={fcp} first-view={first_view_ms} (Unix ms)");
    }
}

/// Notes a moment of the start-up (`BILLABLE_STARTUP_TRACE`): the process
/// started, the books opened, the shell set up, the page began and finished
/// loading; in Unix milliseconds, to set beside the window's own report.
pub fn mark(what: &str) {
    if std::env::var_os("BILLABLE_STARTUP_TRACE").is_some() {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        eprintln!("billable-desktop startup mark: {what}={ms}");
    }
}
