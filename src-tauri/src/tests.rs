//! The shell booted on Tauri's mock runtime: its window, its CSP, its
//! commands over the real IPC path, and the committed TypeScript bindings.

use std::path::Path;
use std::sync::{Arc, Mutex};

use billable_app::{Billable, FixedClock};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::MockRuntime;
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

use crate::Books;

fn books() -> Books {
    let clock = FixedClock::parse("2026-05-10T09:00:00+02:00").expect("a valid instant");
    Books::new(Billable::in_memory(Box::new(clock)).expect("books in memory"))
}

fn boot() -> tauri::App<MockRuntime> {
    super::run_app(tauri::test::mock_builder().manage(books()))
        .build(tauri::generate_context!())
        .expect("the shell boots on the mock runtime")
}

fn window(app: &tauri::App<MockRuntime>) -> WebviewWindow<MockRuntime> {
    tauri::WebviewWindowBuilder::new(app, "ipc", Default::default()).build().expect("a test window")
}

/// Invokes a command as the frontend does, through the IPC handler.
fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("a URL"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: tauri::test::INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("JSON"))
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

#[test]
fn commands_reach_the_books_and_return_views_with_decimal_strings() {
    let app = boot();
    let w = window(&app);
    let client = invoke(&w, "create_client", json!({ "input": { "name": "Acme", "currency": "EUR" } })).unwrap();
    assert_eq!(client["name"], "Acme");
    let project = invoke(
        &w,
        "create_project",
        json!({ "input": { "client_id": client["id"], "name": "Website", "rate": "120" } }),
    )
    .unwrap();
    // Decimals cross the boundary as strings, never as floats.
    assert_eq!(project["rate"], "120");

    invoke(&w, "add_entry", json!({ "input": { "project_id": project["id"], "date": "2026-05-08", "hours": "2.5" } }))
        .unwrap();
    let preview = invoke(
        &w,
        "invoice_from_time",
        json!({ "input": { "client_id": client["id"], "grouping": "project", "preview": true } }),
    )
    .unwrap();
    assert_eq!(preview["result"], "preview");
    assert_eq!(preview["totals"]["total"], "300.00");

    let listed = invoke(&w, "clients", json!({ "includeArchived": false, "search": "acm" })).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));

    // "New invoice" starts an empty draft; the editor then adds lines.
    let draft = invoke(&w, "create_invoice", json!({ "input": { "client_id": client["id"], "lines": [] } })).unwrap();
    assert_eq!(draft["display_status"], "draft");
    let key = draft["number"].clone();
    let edited = invoke(
        &w,
        "add_line",
        json!({ "key": key, "input": { "description": "Hosting", "quantity": "2", "rate": "49.50" } }),
    )
    .unwrap();
    assert_eq!(edited["totals"]["total"], "99.00");
}

#[test]
fn a_refused_input_comes_back_as_code_message_and_field() {
    let app = boot();
    let w = window(&app);
    let error = invoke(&w, "create_client", json!({ "input": { "name": "  " } })).unwrap_err();
    assert_eq!(error["code"], "invalid");
    assert_eq!(error["field"], "name");
    assert!(error["message"].as_str().is_some_and(|m| m.contains("name")), "{error}");
    let none = invoke(&w, "clients", json!({ "includeArchived": true, "search": null })).unwrap();
    assert_eq!(none, json!([]), "nothing was written");

    let missing = invoke(&w, "invoice", json!({ "key": "INV-404" })).unwrap_err();
    assert_eq!(missing["code"], "not_found");
    assert!(missing.get("field").is_none(), "{missing}");
}

#[test]
fn the_timer_runs_on_the_books_in_the_state() {
    let app = boot();
    let w = window(&app);
    assert_eq!(invoke(&w, "timer_status", json!({})).unwrap(), Value::Null);
    let client = invoke(&w, "create_client", json!({ "input": { "name": "Acme" } })).unwrap();
    let project =
        invoke(&w, "create_project", json!({ "input": { "client_id": client["id"], "name": "Website" } })).unwrap();
    invoke(&w, "timer_start", json!({ "input": { "project_id": project["id"], "description": "layout" } })).unwrap();
    let status = invoke(&w, "timer_status", json!({})).unwrap();
    assert_eq!(status["project_name"], "Website");
    assert_eq!(status["description"], "layout");
    assert_eq!(app.state::<Books>().call(|b| b.timers()).map(|t| t.len()), Ok(1));
}

/// The committed bindings are what the commands export. When they differ,
/// the file is rewritten (review and commit it) and the test fails, so CI
/// catches a command changed without its bindings.
#[test]
fn typescript_bindings_are_committed_and_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings.ts");
    let fresh = super::typescript_bindings();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != fresh {
        std::fs::write(&path, &fresh).expect("write ui/src/lib/bindings.ts");
        panic!("ui/src/lib/bindings.ts did not match the Rust commands; it was regenerated: review and commit it");
    }
    for decimal in ["rate: string | null", "total: string"] {
        assert!(fresh.contains(decimal), "decimals are strings in TypeScript ({decimal})");
    }
}

/// An invoice with one line, through the commands; returns its number.
fn invoice_with_a_line(w: &WebviewWindow<MockRuntime>) -> Value {
    let client = invoke(
        w,
        "create_client",
        json!({ "input": { "name": "Acme", "currency": "EUR", "emails": ["billing@acme.test"] } }),
    )
    .unwrap();
    let draft = invoke(w, "create_invoice", json!({ "input": { "client_id": client["id"], "lines": [] } })).unwrap();
    let key = draft["number"].clone();
    invoke(w, "add_line", json!({ "key": key, "input": { "description": "Hosting", "quantity": "1", "rate": "80" } }))
        .unwrap();
    key
}

#[test]
fn save_invoice_pdf_writes_the_pdf_where_the_user_chose() {
    let app = boot();
    let w = window(&app);
    let key = invoice_with_a_line(&w);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("chosen").join("invoice.pdf");
    let written =
        invoke(&w, "save_invoice_pdf", json!({ "key": key, "path": path, "template": null, "facturx": null })).unwrap();
    assert_eq!(written, json!(path));
    let bytes = std::fs::read(&path).expect("the PDF was written");
    assert!(bytes.starts_with(b"%PDF-"), "{:?}", &bytes[..bytes.len().min(16)]);

    let refused = invoke(
        &w,
        "save_invoice_pdf",
        json!({ "key": key, "path": dir.path().join("other.pdf"), "template": "gothic", "facturx": false }),
    )
    .unwrap_err();
    assert_eq!(refused["field"], "template", "{refused}");
    assert!(!dir.path().join("other.pdf").exists(), "nothing was written");
}

#[test]
fn send_invoice_without_mail_set_up_returns_an_error_body_with_a_code() {
    let app = boot();
    let w = window(&app);
    let key = invoice_with_a_line(&w);
    let error =
        invoke(&w, "send_invoice", json!({ "key": key, "to": [], "subject": null, "message": null, "copyMe": false }))
            .unwrap_err();
    assert!(error["code"].as_str().is_some_and(|c| !c.is_empty()), "{error}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{error}");
    let outbox = invoke(&w, "outbox", json!({ "state": null })).unwrap();
    assert_eq!(outbox, json!([]), "nothing was queued");
}

#[test]
fn send_estimate_without_mail_set_up_says_so_and_queues_nothing() {
    let app = boot();
    let w = window(&app);
    let client = invoke(
        &w,
        "create_client",
        json!({ "input": { "name": "Acme", "currency": "EUR", "emails": ["billing@acme.test"] } }),
    )
    .unwrap();
    let line = json!({ "description": "Workshop", "quantity": "1", "rate": "500" });
    let est =
        invoke(&w, "create_estimate", json!({ "input": { "client_id": client["id"], "lines": [line] } })).unwrap();
    let key = est["number"].clone();
    let error =
        invoke(&w, "send_estimate", json!({ "key": key, "to": [], "subject": null, "message": null, "copyMe": false }))
            .unwrap_err();
    assert_eq!(error["code"], "mail_not_configured", "{error}");
    assert_eq!(invoke(&w, "outbox", json!({ "state": null })).unwrap(), json!([]), "nothing was queued");
    let after = invoke(&w, "estimate", json!({ "key": key })).unwrap();
    assert_eq!((after["status"].as_str(), after["emails"].clone()), (Some("draft"), json!([])));
}

#[test]
fn books_that_cannot_be_opened_answer_every_command_with_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("books.db");
    std::fs::write(&path, "a text file where the books should be, long enough to be read as one").unwrap();
    let clock = FixedClock::parse("2026-05-10T09:00:00+02:00").expect("a valid instant");
    let why = Billable::open(&path, Box::new(clock)).err().expect("not a database");
    let app = super::run_app(tauri::test::mock_builder().manage(Books::unavailable(&why)))
        .build(tauri::generate_context!())
        .expect("the shell boots without books");
    let w = window(&app);
    for (cmd, args) in [("clients", json!({ "includeArchived": false, "search": null })), ("timer_status", json!({}))] {
        let e = invoke(&w, cmd, args).unwrap_err();
        assert_eq!(e["code"], "not_a_billable_database", "{cmd}: {e}");
        assert!(e["message"].as_str().unwrap().starts_with("could not open the books: "), "{cmd}: {e}");
    }
}

#[test]
fn a_saved_item_becomes_an_invoice_line_through_the_commands() {
    let app = boot();
    let w = window(&app);
    let vat = invoke(&w, "create_tax_rate", json!({ "input": { "name": "VAT 19%", "percent": "19" } })).unwrap();
    let item = json!({ "name": "Hosting", "unit": "months", "rate": "49.90", "tax_rate_id": vat["id"].to_string() });
    let item = invoke(&w, "create_item", json!({ "input": item })).unwrap();
    assert_eq!(item["rate"], "49.9");
    let taken = invoke(&w, "create_item", json!({ "input": { "name": "HOSTING", "rate": "1" } })).unwrap_err();
    assert_eq!((taken["code"].as_str(), taken["field"].as_str()), (Some("invalid"), Some("name")));
    let found = invoke(&w, "items", json!({ "input": { "search": "host" } })).unwrap();
    assert_eq!(found.as_array().map(Vec::len), Some(1));

    let client = invoke(&w, "create_client", json!({ "input": { "name": "Acme", "currency": "EUR" } })).unwrap();
    let draft = invoke(
        &w,
        "create_invoice",
        json!({ "input": { "client_id": client["id"], "tax_mode": "inline", "lines": [] } }),
    )
    .unwrap();
    let line = json!({ "item": item["id"].to_string(), "quantity": "3" });
    let v = invoke(&w, "add_line", json!({ "key": draft["number"], "input": line })).unwrap();
    // 3 × 49.90 = 149.70; VAT 19%: 28.443 → 28.44; total 178.14.
    assert_eq!((v["lines"][0]["amount"].as_str(), v["total"].as_str()), (Some("149.70"), Some("178.14")));
    invoke(&w, "delete_item", json!({ "id": item["id"] })).unwrap();
    let after = invoke(&w, "invoice", json!({ "key": draft["number"] })).unwrap();
    assert_eq!(after["lines"], v["lines"]);
}
