// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK composites pages through OpenGL by default. Billable's views
    // are forms and tables: drawn on the CPU they open sooner and the web
    // process needs about half the memory (measured in BENCHMARKS.md), and
    // machines whose GL drivers show a blank WebKit window work too. A value
    // the user set is kept. Set before anything else starts, while the
    // process has one thread.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    billable_desktop::run();
}
