//! How the window's web engine (WebKitGTK on Linux) draws and caches, set
//! through its settings API once the window exists.
//!
//! Billable's pages are a handful of local views, never the web. They are
//! drawn on the CPU (hardware acceleration never): WebKit's OpenGL
//! compositor, which on machines without a GPU driver (and under Xvfb) runs
//! on Mesa's software rasteriser, made the first view come 4.2 s after
//! launch instead of 0.9 s and the web process take 318 MiB instead of
//! 143 MiB; drawing on the CPU also keeps a window from going blank on a
//! broken GL driver. WebKit's browser features (a large memory cache, the
//! back-forward page cache, WebGL, Web Audio) buy nothing here and are off.
//! The measured effect of each choice is in BENCHMARKS.md (Desktop app).
//!
//! `BILLABLE_WEBKIT` overrides the choices for measuring them
//! (`scripts/bench-desktop.sh`): a comma-separated list of `gpu` / `cpu`
//! (WebKit's own hardware-acceleration policy / never), `cache=viewer` /
//! `cache=browser` (WebKit's cache model) and `lean=off` (keep WebKit's
//! browser features on). A user whose machine draws better through its GPU
//! can set `BILLABLE_WEBKIT=gpu`.

use tauri::{Runtime, WebviewWindow};

/// How pages are drawn: WebKit's hardware-acceleration policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drawing {
    /// WebKit's default: composited through OpenGL (under Xvfb or without a
    /// GPU driver, Mesa's software rasteriser).
    Gpu,
    /// Drawn on the CPU, without the OpenGL compositor.
    Cpu,
}

/// The choices applied to the window's webview.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tuning {
    pub drawing: Drawing,
    /// WebKit's "document viewer" cache model (no page cache, the smallest
    /// memory cache) rather than the "web browser" one.
    pub viewer_cache: bool,
    /// WebGL, Web Audio and the back-forward page cache off.
    pub lean: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Self { drawing: Drawing::Cpu, viewer_cache: true, lean: true }
    }
}

impl Tuning {
    /// The shipped choices, overridden item by item by `BILLABLE_WEBKIT`.
    pub fn from_env() -> Self {
        std::env::var("BILLABLE_WEBKIT").map_or_else(|_| Self::default(), |v| Self::parse(&v))
    }

    /// Reads a `BILLABLE_WEBKIT` value; unknown items are reported and ignored.
    pub fn parse(value: &str) -> Self {
        let mut tuning = Self::default();
        for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item {
                "gpu" => tuning.drawing = Drawing::Gpu,
                "cpu" => tuning.drawing = Drawing::Cpu,
                "cache=viewer" => tuning.viewer_cache = true,
                "cache=browser" => tuning.viewer_cache = false,
                "lean=on" => tuning.lean = true,
                "lean=off" => tuning.lean = false,
                other => eprintln!("Billable: BILLABLE_WEBKIT item {other:?} is not known; ignored"),
            }
        }
        tuning
    }
}

/// Applies `tuning` to the window's webview (Linux; elsewhere the system's
/// web engine keeps its defaults).
pub fn apply<R: Runtime>(window: &WebviewWindow<R>, tuning: Tuning) {
    #[cfg(target_os = "linux")]
    {
        let applied = window.with_webview(move |webview| {
            use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};
            let view = webview.inner();
            if let Some(settings) = WebViewExt::settings(&view) {
                // Gpu keeps WebKit's own policy.
                if tuning.drawing == Drawing::Cpu {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
                if tuning.lean {
                    settings.set_enable_webgl(false);
                    settings.set_enable_webaudio(false);
                    settings.set_enable_page_cache(false);
                }
            }
            if tuning.viewer_cache {
                if let Some(context) = view.context() {
                    context.set_cache_model(CacheModel::DocumentViewer);
                }
            }
        });
        if let Err(e) = applied {
            eprintln!("Billable: could not tune the web view ({e})");
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (window, tuning);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_choices_and_overrides() {
        assert_eq!(Tuning::parse(""), Tuning::default());
        assert_eq!(Tuning::default().drawing, Drawing::Cpu, "pages are drawn on the CPU unless asked otherwise");
        let t = Tuning::parse("cpu, cache=browser,lean=off,bogus");
        assert_eq!(t, Tuning { drawing: Drawing::Cpu, viewer_cache: false, lean: false });
        assert_eq!(Tuning::parse("cpu,gpu").drawing, Drawing::Gpu);
        assert_eq!(
            Tuning::parse("gpu,cache=browser,lean=off"),
            Tuning { drawing: Drawing::Gpu, viewer_cache: false, lean: false }
        );
    }
}
