//! Billable's desktop shell: the window around the web UI in `ui/`.
//!
//! The shell is thin (DESIGN.md §1): it owns the window, and later the tray and
//! the Tauri commands, each a few lines that call `billable-app`. It holds no
//! business rules. [`run_app`] configures a [`tauri::Builder`] for any runtime,
//! so tests can boot the same shell on Tauri's mock runtime.

/// Applies the shell's configuration (plugins, state, commands) to `builder`.
///
/// Generic over the runtime so the real app ([`run`]) and the tests
/// (`tauri::test::mock_builder()`) share one setup.
pub fn run_app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
}

/// Starts the desktop app and blocks until its last window closes.
///
/// # Panics
///
/// If the app cannot start, for example when no display is available.
pub fn run() {
    run_app(tauri::Builder::default())
        .run(tauri::generate_context!())
        .expect("could not start the Billable desktop app");
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tauri::Manager;

    fn boot() -> tauri::App<tauri::test::MockRuntime> {
        super::run_app(tauri::test::mock_builder())
            .build(tauri::generate_context!())
            .expect("the shell boots on the mock runtime")
    }

    #[test]
    fn boots_with_one_main_window_titled_billable() {
        let app = boot();
        let main = &app.config().app.windows[0];
        assert_eq!((main.label.as_str(), main.title.as_str()), ("main", "Billable"));

        let labels = Arc::new(Mutex::new(Vec::new()));
        let labels_in_loop = Arc::clone(&labels);
        // Windows from tauri.conf.json are created once the event loop is ready.
        app.run_return(move |app, event| {
            if let tauri::RunEvent::Ready = event {
                let windows = app.webview_windows();
                labels_in_loop.lock().unwrap().extend(windows.keys().cloned());
                // Closing the last window ends the (mock) event loop.
                for window in windows.values() {
                    window.destroy().unwrap();
                }
            }
        });
        // The capability in src-tauri/capabilities/ grants its permissions to `main`.
        assert_eq!(*labels.lock().unwrap(), ["main"]);
    }

    #[test]
    fn content_security_policy_allows_only_the_apps_own_assets() {
        let app = boot();
        let csp = app.config().app.security.csp.as_ref().expect("tauri.conf.json sets a CSP").to_string();
        assert!(csp.contains("default-src 'self'"), "{csp}");
        for loose in ["http:", "https:", "'unsafe-inline'", "'unsafe-eval'", "*"] {
            let loose_sources: Vec<&str> =
                csp.split(';').flat_map(str::split_whitespace).filter(|source| *source == loose).collect();
            assert!(loose_sources.is_empty(), "CSP allows {loose}: {csp}");
        }
    }
}
