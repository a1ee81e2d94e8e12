//! The system tray: the timer at a glance and at a click.
//!
//! The icon changes while a timer runs; the tooltip (and, where the desktop
//! shows it, the title) names the running project and its elapsed time. The
//! menu starts one of the recent projects, stops the timer, opens the window
//! or quits. A quit leaves a running timer in the books, so it is still
//! running, with the right elapsed time, at the next start.

use std::fmt;
use std::time::{Duration, Instant};

use billable_app::views::TimerView;
use billable_app::TimerStartInput;
use chrono::{DateTime, Utc};
use tauri::image::Image;
use tauri::menu::{Menu, MenuEvent, MenuId, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::books::Books;

/// Emitted to the window when the timer was started or stopped from the tray;
/// a stop carries what it stopped (`TimerStopped`), a start nothing (null).
pub const TIMER_CHANGED: &str = "timer-changed";
const TRAY_ID: &str = "billable-tray";
/// How many recent projects the menu offers to start.
const RECENT: u32 = 5;

const IDLE_ICON: &[u8] = include_bytes!("../../assets/icons/tray-idle.png");
const RUNNING_ICON: &[u8] = include_bytes!("../../assets/icons/tray-running.png");

/// The tray menu's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayMenuId {
    Open,
    Stop,
    Quit,
    /// Start the timer on this project.
    Start(i64),
}

impl fmt::Display for TrayMenuId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrayMenuId::Open => f.write_str("open"),
            TrayMenuId::Stop => f.write_str("stop"),
            TrayMenuId::Quit => f.write_str("quit"),
            TrayMenuId::Start(project) => write!(f, "start:{project}"),
        }
    }
}

// `MenuId: From<T: ToString>` (muda) turns a `TrayMenuId` into its menu id.

impl TryFrom<&MenuId> for TrayMenuId {
    type Error = String;
    fn try_from(id: &MenuId) -> Result<TrayMenuId, String> {
        match id.as_ref() {
            "open" => Ok(TrayMenuId::Open),
            "stop" => Ok(TrayMenuId::Stop),
            "quit" => Ok(TrayMenuId::Quit),
            other => other
                .strip_prefix("start:")
                .and_then(|p| p.parse().ok())
                .map(TrayMenuId::Start)
                .ok_or_else(|| format!("'{other}' is not an item of the tray menu")),
        }
    }
}

/// "1:05" for 65 minutes: the elapsed time as the tray shows it.
pub fn elapsed_label(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// What the tray shows; rebuilt only when it changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrayLook {
    pub running: bool,
    pub tooltip: String,
    pub menu: Vec<(TrayMenuId, String)>,
}

impl TrayLook {
    pub fn new(timer: Option<&TimerView>, recent: &[(i64, String)]) -> TrayLook {
        let mut menu = vec![(TrayMenuId::Open, "Open Billable".to_string())];
        let tooltip = match timer {
            Some(t) => {
                menu.push((TrayMenuId::Stop, format!("Stop timer ({})", t.project_name)));
                format!("Billable: {} ({}), {}", t.project_name, t.client_name, elapsed_label(t.elapsed_seconds))
            }
            None => "Billable: no timer running".to_string(),
        };
        let running_project = timer.map(|t| t.timer.project_id);
        for (id, name) in recent.iter().filter(|(id, _)| Some(*id) != running_project) {
            menu.push((TrayMenuId::Start(*id), format!("Start: {name}")));
        }
        menu.push((TrayMenuId::Quit, "Quit Billable".to_string()));
        TrayLook { running: timer.is_some(), tooltip, menu }
    }
}

/// Creates the tray icon. Fails where the desktop has no tray.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<TrayIcon<R>> {
    let look = current_look(app);
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(look.running)?)
        .tooltip(&look.tooltip)
        .menu(&menu(app, &look)?)
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu_event)
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
                show_main_window(tray.app_handle());
            }
        })
        .build(app)
}

/// What the tray shows now, and the recent projects it was built from.
#[derive(Debug, Default)]
pub struct TrayState {
    look: TrayLook,
    recent: Vec<(i64, String)>,
    recent_read: Option<(Instant, Option<DateTime<Utc>>)>,
}

/// The recent projects change rarely: read again every half minute, or when
/// a timer started or stopped.
const RECENT_EVERY: Duration = Duration::from_secs(30);

/// Brings the tray up to date with the books (called every second).
pub fn refresh<R: Runtime>(app: &AppHandle<R>, state: &mut TrayState) -> tauri::Result<()> {
    let Some(tray) = app.tray_by_id(TRAY_ID) else { return Ok(()) };
    let books = app.state::<Books>();
    let timer = books.timer_status().ok().flatten();
    let started = timer.as_ref().map(|t| t.timer.started_at);
    let stale = match state.recent_read {
        Some((at, seen)) => at.elapsed() >= RECENT_EVERY || seen != started,
        None => true,
    };
    if stale {
        state.recent = recent(app);
        state.recent_read = Some((Instant::now(), started));
    }
    let look = TrayLook::new(timer.as_ref(), &state.recent);
    let shown = &state.look;
    if look.running != shown.running {
        tray.set_icon(Some(icon(look.running)?))?;
    }
    if look.tooltip != shown.tooltip {
        tray.set_tooltip(Some(&look.tooltip))?;
        let title = look.tooltip.strip_prefix("Billable: ").filter(|_| look.running);
        tray.set_title(title)?;
    }
    if look.menu != shown.menu {
        tray.set_menu(Some(menu(app, &look)?))?;
    }
    state.look = look;
    Ok(())
}

fn recent<R: Runtime>(app: &AppHandle<R>) -> Vec<(i64, String)> {
    let books = app.state::<Books>();
    books.call(|b| b.recent_projects(RECENT)).unwrap_or_default().into_iter().map(|p| (p.id, p.name)).collect()
}

fn current_look<R: Runtime>(app: &AppHandle<R>) -> TrayLook {
    let timer = app.state::<Books>().timer_status().ok().flatten();
    TrayLook::new(timer.as_ref(), &recent(app))
}

fn icon(running: bool) -> tauri::Result<Image<'static>> {
    Image::from_bytes(if running { RUNNING_ICON } else { IDLE_ICON })
}

fn menu<R: Runtime>(app: &AppHandle<R>, look: &TrayLook) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for (i, (id, label)) in look.menu.iter().enumerate() {
        if matches!(id, TrayMenuId::Quit) || (i == 1 && look.menu.len() > 2) {
            menu.append(&PredefinedMenuItem::separator(app)?)?;
        }
        menu.append(&MenuItem::with_id(app, *id, label, true, None::<&str>)?)?;
    }
    Ok(menu)
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let Ok(id) = TrayMenuId::try_from(event.id()) else { return };
    let books = app.state::<Books>();
    match id {
        TrayMenuId::Open => show_main_window(app),
        TrayMenuId::Quit => app.exit(0),
        TrayMenuId::Stop => {
            if let Ok(stopped) = books.timer_stop() {
                if let Some((title, body)) = crate::alerts::short_stop(&stopped) {
                    crate::alerts::show(app, title, body);
                }
                // The window shows the same short-timer notice as after a
                // stop of its own.
                app.emit(TIMER_CHANGED, stopped).ok();
            }
        }
        TrayMenuId::Start(project_id) => {
            if books.timer_start(TimerStartInput { project_id, ..Default::default() }).is_ok() {
                app.emit(TIMER_CHANGED, ()).ok();
            }
        }
    }
}

/// Shows, unminimizes and focuses the main window.
pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        window.unminimize().ok();
        window.show().ok();
        window.set_focus().ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_round_trip_through_tauri_menu_ids() {
        for id in [TrayMenuId::Open, TrayMenuId::Stop, TrayMenuId::Quit, TrayMenuId::Start(42)] {
            assert_eq!(TrayMenuId::try_from(&MenuId::from(id)), Ok(id));
        }
        assert!(TrayMenuId::try_from(&MenuId::new("start:x")).is_err());
        assert!(TrayMenuId::try_from(&MenuId::new("other")).is_err());
    }

    fn running(project_id: i64, elapsed_seconds: i64) -> TimerView {
        TimerView {
            timer: billable_app::core::model::RunningTimer {
                member_id: 1,
                project_id,
                task_id: None,
                description: String::new(),
                billable: true,
                started_at: chrono::DateTime::UNIX_EPOCH,
            },
            client_name: "Acme".into(),
            project_name: "Website".into(),
            task_name: None,
            member_name: "Me".into(),
            elapsed_seconds,
        }
    }

    #[test]
    fn the_menu_offers_stop_while_running_and_the_other_recent_projects() {
        let recent = [(1, "Website".to_string()), (2, "Shop".to_string())];
        let idle = TrayLook::new(None, &recent);
        assert!(!idle.running);
        assert_eq!(idle.tooltip, "Billable: no timer running");
        let ids: Vec<TrayMenuId> = idle.menu.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [TrayMenuId::Open, TrayMenuId::Start(1), TrayMenuId::Start(2), TrayMenuId::Quit]);

        let busy = TrayLook::new(Some(&running(1, 3 * 3600 + 7 * 60)), &recent);
        assert!(busy.running);
        assert_eq!(busy.tooltip, "Billable: Website (Acme), 3:07");
        let ids: Vec<TrayMenuId> = busy.menu.iter().map(|(id, _)| *id).collect();
        // The running project is not offered again; stop is.
        assert_eq!(ids, [TrayMenuId::Open, TrayMenuId::Stop, TrayMenuId::Start(2), TrayMenuId::Quit]);
        assert_ne!(idle, busy, "a started timer changes the tray");
    }

    #[test]
    fn elapsed_shows_hours_and_minutes() {
        assert_eq!(elapsed_label(0), "0:00");
        assert_eq!(elapsed_label(59), "0:00");
        assert_eq!(elapsed_label(65 * 60 + 30), "1:05");
        assert_eq!(elapsed_label(10 * 3600), "10:00");
    }
}
