//! Billable's desktop shell: the window around the web UI in `ui/`, the tray
//! timer and the Tauri commands.
//!
//! The shell is thin (DESIGN.md §1): each command takes the books from the
//! state, calls one use case of `billable-app` and returns its view or its
//! `{code, message, field}` error. It holds no business rules. [`run_app`]
//! configures a [`tauri::Builder`] for any runtime, so tests can boot the
//! same shell on Tauri's mock runtime.

mod alerts;
mod books;
pub mod commands;
mod kept_timer;
mod scheduled;
pub mod tray;
mod webkit;

use std::time::{Duration, Instant};

use specta_typescript::{BigIntExportBehavior, Typescript};
use tauri::{Manager, Runtime, WindowEvent};

pub use books::{Books, Reply};

/// Every command, with its types, for the invoke handler and the bindings.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    use commands::{
        billing, catalog, credit_notes, data, documents, estimates, expenses, invoices, items, mail, payments, place,
        recurring, reports, settings, startup, time,
    };
    tauri_specta::Builder::<R>::new().commands(tauri_specta::collect_commands![
        catalog::clients,
        catalog::create_client,
        catalog::edit_client,
        catalog::archive_client,
        catalog::projects,
        catalog::create_project,
        catalog::edit_project,
        catalog::archive_project,
        catalog::tasks,
        catalog::create_task,
        catalog::edit_task,
        catalog::archive_task,
        catalog::members,
        catalog::create_member,
        catalog::edit_member,
        catalog::archive_member,
        items::items,
        items::create_item,
        items::edit_item,
        items::archive_item,
        items::delete_item,
        settings::business,
        settings::update_business,
        settings::tax_rates,
        settings::create_tax_rate,
        settings::edit_tax_rate,
        settings::archive_tax_rate,
        time::timer_status,
        time::timer_start,
        time::timer_stop,
        time::timer_idle,
        time::idle_seconds,
        time::timer_discard,
        time::recent_projects,
        time::entries,
        time::add_entry,
        time::edit_entry,
        time::delete_entry,
        time::unbilled,
        time::mark_entries_invoiced,
        time::unmark_entries_invoiced,
        time::submit_time,
        time::approve_time,
        time::reject_time,
        time::submitted_weeks,
        invoices::invoices,
        invoices::invoice,
        invoices::set_exchange_rate,
        invoices::create_invoice,
        invoices::invoice_from_time,
        invoices::add_line,
        invoices::edit_line,
        invoices::delete_line,
        invoices::move_line,
        invoices::set_header,
        invoices::clone_invoice,
        invoices::mark_sent,
        invoices::set_status,
        invoices::cancel_invoice,
        invoices::delete_invoice,
        invoices::discard_untouched_draft,
        invoices::bulk_invoices,
        documents::save_invoice_pdf,
        documents::invoice_pdf_preview,
        documents::export_invoice_xml,
        documents::save_credit_note_pdf,
        documents::credit_note_pdf_preview,
        documents::export_credit_note_xml,
        mail::send_invoice,
        mail::send_estimate,
        mail::outbox,
        mail::mail_settings,
        mail::mail_setup,
        mail::test_mail,
        mail::mail_templates,
        mail::set_mail_template,
        mail::preview_mail,
        mail::retry_outbox,
        mail::cancel_outbox,
        mail::reminder_schedule,
        mail::set_reminder_schedule,
        mail::reminders_due,
        mail::run_reminders,
        payments::record_payment,
        payments::mark_paid,
        payments::delete_payment,
        payments::plan_client_payment,
        payments::receive_payment,
        payments::client_credit,
        payments::apply_credit,
        payments::refund_credit,
        payments::delete_client_payment,
        recurring::recurring_profiles,
        recurring::recurring_profile,
        recurring::create_recurring,
        recurring::set_recurring_paused,
        recurring::delete_recurring,
        recurring::run_recurring,
        estimates::estimates,
        estimates::estimate,
        estimates::create_estimate,
        estimates::set_estimate,
        estimates::add_estimate_line,
        estimates::edit_estimate_line,
        estimates::delete_estimate_line,
        estimates::mark_estimate_sent,
        estimates::accept_estimate,
        estimates::decline_estimate,
        estimates::delete_estimate,
        estimates::convert_estimate,
        estimates::save_estimate_pdf,
        estimates::estimate_pdf_preview,
        credit_notes::credit_notes,
        credit_notes::credit_note,
        credit_notes::create_credit_note,
        billing::project_billing,
        billing::invoice_from_project,
        billing::set_retainer_period,
        reports::time_report,
        reports::money_report,
        reports::revenue_report,
        reports::aging_report,
        reports::unbilled_report,
        reports::client_figures,
        reports::save_report_csv,
        reports::dashboard,
        expenses::expenses,
        expenses::create_expense,
        expenses::edit_expense,
        expenses::delete_expense,
        expenses::attach_receipt,
        expenses::remove_receipt,
        expenses::open_receipt,
        expenses::save_receipt,
        expenses::expense_report,
        expenses::import_expenses,
        data::import_time,
        data::export_time_csv,
        data::export_invoices_csv,
        data::export_books_json,
        place::books_place,
        place::connect_team_books,
        place::change_team_password,
        place::use_books_on_this_computer,
        place::reconnect_books,
        place::team_role,
        time::kept_timer_stop,
        data::export_xero,
        data::xero_rules,
        data::set_xero_rule,
        data::remove_xero_rule,
        data::backups,
        data::create_backup,
        data::restore_backup,
        data::backup_settings,
        data::set_backup_settings,
        data::check_integrity,
        settings::numbering_preview,
        settings::set_credit_note_pattern,
        settings::image_preview,
        startup::startup_painted,
    ])
}

/// The TypeScript bindings of every command (`ui/src/lib/bindings.ts`).
/// Integers are numbers (ids and seconds stay far below 2^53); decimals are strings.
pub fn typescript_bindings() -> String {
    let language = Typescript::default()
        .bigint(BigIntExportBehavior::Number)
        .header("// Generated from the Rust commands by `cargo test -p billable-desktop bindings`. Do not edit.\n// @ts-nocheck");
    specta_builder::<tauri::Wry>().export_str(language).expect("the commands' types export to TypeScript")
}

/// Applies the shell's configuration (commands) to `builder`. The caller
/// manages the [`Books`] state.
///
/// Generic over the runtime so the real app ([`run`]) and the tests
/// (`tauri::test::mock_builder()`) share one setup.
pub fn run_app<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(specta_builder::<R>().invoke_handler())
}

/// Starts the desktop app and blocks until it quits.
///
/// # Panics
///
/// If the app cannot start, for example when no display is available.
pub fn run() {
    // Books that cannot be opened (read-only, a full disk, a newer version's
    // file) still get a window: each view shows why, in its error banner.
    commands::startup::mark("main");
    let books = Books::open_from_env();
    commands::startup::mark("books-open");
    // The single-instance plugin comes first: a second launch focuses the first.
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| tray::show_main_window(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(books)
        .setup(|app| {
            commands::startup::mark("setup");
            let handle = app.handle().clone();
            if let Some(window) = app.get_webview_window("main") {
                webkit::apply(&window, webkit::Tuning::from_env());
            }
            // Where the desktop has a tray, closing the window keeps Billable
            // (and its timer) in the tray; elsewhere it quits.
            let has_tray = match tray::create(&handle) {
                Ok(_) => true,
                Err(e) => {
                    eprintln!("Billable: no system tray ({e}); closing the window quits");
                    false
                }
            };
            app.manage(HasTray(has_tray));
            scheduled::start(&handle);
            std::thread::spawn(move || watch(&handle));
            commands::startup::mark("setup-done");
            Ok(())
        })
        .on_page_load(|_, payload| {
            commands::startup::mark(match payload.event() {
                tauri::webview::PageLoadEvent::Started => "page-load-started",
                tauri::webview::PageLoadEvent::Finished => "page-load-finished",
            });
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.app_handle().state::<HasTray>().0 {
                    api.prevent_close();
                    window.hide().ok();
                }
            }
        });
    match run_app(builder).run(tauri::generate_context!()) {
        Ok(()) => {}
        Err(e) if handover_failed(&e) => start_again(&e),
        Err(e) => panic!("could not start the Billable desktop app: {e}"),
    }
}

/// A launch made while the Billable already running is quitting: the
/// single-instance guard found its name still on the session bus, but the
/// quitting app no longer answers to be shown.
fn handover_failed(e: &tauri::Error) -> bool {
    e.to_string().contains("failed to forward arguments to the running instance")
}

/// Starts this launch afresh once the quitting app has gone (a few tries,
/// a moment apart), instead of not starting at all.
fn start_again(e: &tauri::Error) -> ! {
    const TRIES: u32 = 10;
    let tried: u32 = std::env::var("BILLABLE_START_AGAIN").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    if tried >= TRIES {
        panic!("could not start the Billable desktop app: {e}");
    }
    std::thread::sleep(Duration::from_millis(300));
    let exe =
        std::env::current_exe().unwrap_or_else(|err| panic!("could not start the Billable desktop app: {e} ({err})"));
    let mut again = std::process::Command::new(exe);
    again.args(std::env::args_os().skip(1)).env("BILLABLE_START_AGAIN", (tried + 1).to_string());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = again.exec();
        panic!("could not start the Billable desktop app again: {err}");
    }
    #[cfg(not(unix))]
    {
        match again.status() {
            Ok(status) => std::process::exit(status.code().unwrap_or(1)),
            Err(err) => panic!("could not start the Billable desktop app again: {err}"),
        }
    }
}

/// Whether the tray icon exists (so a closed window can hide into it).
struct HasTray(bool);

/// Keeps the tray's elapsed time current and raises notifications.
fn watch<R: Runtime>(app: &tauri::AppHandle<R>) {
    let mut tray_state = tray::TrayState::default();
    let mut alerts = alerts::Alerts::default();
    let mut last_invoice_check: Option<Instant> = None;
    loop {
        tray::refresh(app, &mut tray_state).ok();
        let invoices_due = last_invoice_check.is_none_or(|at| at.elapsed() >= Duration::from_secs(3600));
        alerts::check(app, &mut alerts, invoices_due);
        if invoices_due {
            last_invoice_check = Some(Instant::now());
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

#[cfg(test)]
mod tests;
