//! A small WebDriver client over HTTP (ureq) and the processes behind it:
//! tauri-driver, which starts WebKitWebDriver, which starts the app.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

/// How long a step may take to show its result before the test fails.
const PATIENCE: Duration = Duration::from_secs(30);

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin/tauri-driver"));
    match in_cargo_home {
        Some(path) if path.exists() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

/// tauri-driver on free ports, with the app's environment: its books, its
/// config and data folders (window state) in `home`, and an English locale.
pub struct Driver {
    process: Child,
    url: String,
}

impl Driver {
    pub fn start(home: &Path, db: &Path) -> Driver {
        Driver::start_in(home, db, Some("en_US.UTF-8"))
    }

    /// As [`Driver::start`], with the app under the locale `lang` (`LANG` and
    /// `LC_ALL`), or with no locale at all (`None`: both unset, as are
    /// `LANGUAGE` and the `LC_*` categories).
    pub fn start_in(home: &Path, db: &Path, lang: Option<&str>) -> Driver {
        Driver::start_with(home, db, lang, &[])
    }

    /// As [`Driver::start_in`], with more variables in the app's environment.
    pub fn start_with(home: &Path, db: &Path, lang: Option<&str>, vars: &[(&str, &str)]) -> Driver {
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new(tauri_driver());
        command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("BILLABLE_DB", db)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"));
        for (name, _) in std::env::vars_os() {
            if name.to_str().is_some_and(|n| n.starts_with("LC_") || n == "LANGUAGE" || n == "LANG") {
                command.env_remove(name);
            }
        }
        if let Some(lang) = lang {
            command.env("LANG", lang).env("LC_ALL", lang);
        }
        command.envs(vars.iter().copied());
        let process = command
            .env_remove("BILLABLE_NOW")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tauri-driver (installed by scripts/install-deps.sh)");
        let driver = Driver { process, url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + PATIENCE;
        while ureq::get(&format!("{}/status", driver.url)).call().is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not answer on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    /// Starts the app and opens a WebDriver session on its window.
    pub fn session(&self) -> Session {
        let app = env!("CARGO_BIN_EXE_billable-desktop");
        let caps = json!({
            "capabilities": { "alwaysMatch": { "tauri:options": { "application": app } } }
        });
        let reply = post(&format!("{}/session", self.url), &caps);
        let id = reply["value"]["sessionId"].as_str().expect("a session id").to_string();
        Session { base: format!("{}/session/{id}", self.url), open: true }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.process.kill().ok();
        self.process.wait().ok();
    }
}

fn post(url: &str, body: &Value) -> Value {
    match ureq::post(url).send_json(body) {
        Ok(r) => r.into_json().expect("a JSON reply"),
        Err(ureq::Error::Status(code, r)) => {
            let body: Value = r.into_json().unwrap_or(Value::Null);
            panic!("WebDriver {url} answered {code}: {body}")
        }
        Err(e) => panic!("WebDriver {url}: {e}"),
    }
}

fn try_post(url: &str, body: &Value) -> Result<Value, Value> {
    match ureq::post(url).send_json(body) {
        Ok(r) => Ok(r.into_json().unwrap_or(Value::Null)),
        Err(ureq::Error::Status(_, r)) => Err(r.into_json().unwrap_or(Value::Null)),
        Err(e) => Err(json!(e.to_string())),
    }
}

fn get(url: &str) -> Result<Value, Value> {
    match ureq::get(url).call() {
        Ok(r) => Ok(r.into_json().unwrap_or(Value::Null)),
        Err(ureq::Error::Status(_, r)) => Err(r.into_json().unwrap_or(Value::Null)),
        Err(e) => Err(json!(e.to_string())),
    }
}

/// One run of the app, seen through WebDriver.
pub struct Session {
    base: String,
    open: bool,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Session {
    fn css(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    /// The element matching a CSS selector now, if any.
    pub fn find_css(&self, selector: &str) -> Option<String> {
        let reply = try_post(&format!("{}/element", self.base), &json!({ "using": "css selector", "value": selector }));
        if std::env::var_os("E2E_DEBUG").is_some() {
            eprintln!("find {selector}: {reply:?}");
        }
        reply.ok().and_then(|v| v["value"][ELEMENT].as_str().map(str::to_string))
    }

    /// Waits for the element with this `data-testid`.
    pub fn el(&self, testid: &str) -> String {
        self.wait_for(&format!("the element {testid}"), || self.find_css(&Self::css(testid)))
    }

    /// Clicks the element with this `data-testid`, finding it again on each
    /// try (a view that re-renders while loading replaces its elements) and
    /// scrolling it to the middle of its scroll area when a click missed.
    pub fn click(&self, testid: &str) {
        self.el(testid);
        let last = std::cell::RefCell::new(Value::Null);
        self.wait_for(&format!("{testid} to take a click"), || {
            let id = self.find_css(&Self::css(testid))?;
            match try_post(&format!("{}/element/{id}/click", self.base), &json!({})) {
                Ok(v) => Some(v),
                Err(e) => {
                    if *last.borrow() != e {
                        eprintln!("click {testid}: {e}");
                    }
                    *last.borrow_mut() = e;
                    let script = "arguments[0].scrollIntoView({ block: 'center' });";
                    let _ = try_post(
                        &format!("{}/execute/sync", self.base),
                        &json!({ "script": script, "args": [{ ELEMENT: id }] }),
                    );
                    None
                }
            }
        });
    }

    /// Replaces the text of an input.
    pub fn fill(&self, testid: &str, text: &str) {
        let id = self.el(testid);
        post(&format!("{}/element/{id}/clear", self.base), &json!({}));
        post(&format!("{}/element/{id}/value", self.base), &json!({ "text": text }));
    }

    /// Types keys into the element with this `data-testid` without clearing
    /// it first ("\u{E015}" is the down arrow, "\u{E007}" Enter).
    pub fn keys(&self, testid: &str, keys: &str) {
        let id = self.el(testid);
        post(&format!("{}/element/{id}/value", self.base), &json!({ "text": keys }));
    }

    /// Types into the element a CSS selector finds (waiting for it), after
    /// clearing it; "\u{E007}" in `text` is the Enter key.
    pub fn fill_css(&self, selector: &str, text: &str) {
        let id = self.wait_for(&format!("the element {selector}"), || self.find_css(selector));
        post(&format!("{}/element/{id}/clear", self.base), &json!({}));
        post(&format!("{}/element/{id}/value", self.base), &json!({ "text": text }));
    }

    pub fn text(&self, testid: &str) -> String {
        let id = self.el(testid);
        get(&format!("{}/element/{id}/text", self.base))
            .ok()
            .and_then(|v| v["value"].as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub fn value(&self, testid: &str) -> String {
        let id = self.el(testid);
        get(&format!("{}/element/{id}/property/value", self.base))
            .ok()
            .and_then(|v| v["value"].as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The value of the input a CSS selector finds (waiting for it).
    pub fn value_css(&self, selector: &str) -> String {
        let id = self.wait_for(&format!("the element {selector}"), || self.find_css(selector));
        get(&format!("{}/element/{id}/property/value", self.base))
            .ok()
            .and_then(|v| v["value"].as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Runs a script in the page and returns its value.
    pub fn script(&self, script: &str, args: Value) -> Value {
        post(&format!("{}/execute/sync", self.base), &json!({ "script": script, "args": args }))["value"].clone()
    }

    /// Chooses the option of a `<select>` whose text is `label`, as a person does.
    pub fn choose(&self, testid: &str, label: &str) {
        self.el(testid);
        let script = "const s = document.querySelector(arguments[0]); \
             const o = [...s.options].find(o => o.textContent.trim() === arguments[1]); \
             if (!o) return false; s.value = o.value; \
             s.dispatchEvent(new Event('change', { bubbles: true })); return true;";
        self.wait_for(&format!("the option {label} in {testid}"), || {
            self.script(script, json!([Self::css(testid), label])).as_bool().filter(|chosen| *chosen)
        });
    }

    /// Sets an input's value as typing would end (an `input` and a `change`
    /// event): for date fields, whose typing WebKit handles per segment.
    pub fn set(&self, testid: &str, value: &str) {
        self.el(testid);
        let script = "const e = document.querySelector(arguments[0]); e.focus(); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', { bubbles: true })); \
             e.dispatchEvent(new Event('change', { bubbles: true })); return e.value === arguments[1];";
        assert_eq!(self.script(script, json!([Self::css(testid), value])), json!(true), "{testid} took '{value}'");
    }

    /// Chooses the option of a `<select>` whose text contains `text`.
    pub fn choose_containing(&self, testid: &str, text: &str) {
        self.el(testid);
        let script = "const s = document.querySelector(arguments[0]); \
             const o = [...s.options].find(o => o.textContent.includes(arguments[1])); \
             if (!o) return false; s.value = o.value; \
             s.dispatchEvent(new Event('change', { bubbles: true })); return true;";
        self.wait_for(&format!("an option with '{text}' in {testid}"), || {
            self.script(script, json!([Self::css(testid), text])).as_bool().filter(|chosen| *chosen)
        });
    }

    /// Clicks the element `testid` inside the row (`tr`, `li` or element with
    /// `data-row`) whose text contains `row_text`.
    pub fn click_in_row(&self, testid: &str, row_text: &str) {
        let script = "const hit = [...document.querySelectorAll(arguments[0])].find(e => { \
               const row = e.closest('tr, li, [data-row], [data-testid$=\"-row\"]'); \
               return row && row.textContent.includes(arguments[1]); }); \
             if (!hit) return false; hit.scrollIntoView({ block: 'center' }); hit.click(); return true;";
        self.wait_for(&format!("{testid} in the row with '{row_text}'"), || {
            self.script(script, json!([Self::css(testid), row_text])).as_bool().filter(|clicked| *clicked)
        });
    }

    /// How many elements carry `testid` now.
    pub fn count(&self, testid: &str) -> usize {
        let script = "return document.querySelectorAll(arguments[0]).length;";
        self.script(script, json!([Self::css(testid)])).as_u64().unwrap_or(0) as usize
    }

    /// Answers the next native file dialogs (open or save) with these paths,
    /// as a person picking them would (see ui/src/lib/dialogs.ts).
    pub fn answer_dialogs(&self, paths: &[&Path]) {
        let paths: Vec<String> = paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        self.script(
            "window.__billableDialogAnswers = [...(window.__billableDialogAnswers ?? []), ...arguments[0]];",
            json!([paths]),
        );
    }

    /// Waits until the text of `testid` satisfies `check`, and returns it.
    pub fn wait_text(&self, testid: &str, what: &str, check: impl Fn(&str) -> bool) -> String {
        self.wait_for(&format!("{testid} to show {what}"), || {
            let id = self.find_css(&Self::css(testid))?;
            let text = get(&format!("{}/element/{id}/text", self.base)).ok()?["value"].as_str()?.to_string();
            check(&text).then_some(text)
        })
    }

    /// Waits until the page body contains `text`.
    pub fn wait_page_text(&self, text: &str) {
        self.wait_for(&format!("the page to show '{text}'"), || {
            self.script("return document.body.innerText", json!([])).as_str().filter(|t| t.contains(text)).map(|_| ())
        });
    }

    pub fn wait_for<T>(&self, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(found) = probe() {
                return found;
            }
            if Instant::now() > deadline {
                let body = self.script("return document.body.innerText", json!([]));
                let shot = self.screenshot("failure");
                eprintln!("the window at the failure: {}", shot.display());
                panic!("waited in vain for {what}; the window shows:\n{}", body.as_str().unwrap_or_default());
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Saves a PNG of the window under `artifacts/desktop/`.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        // Two animation frames: what the DOM holds now is painted.
        let frames = "const done = arguments[arguments.length - 1]; \
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        try_post(&format!("{}/execute/async", self.base), &json!({ "script": frames, "args": [] })).ok();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/desktop").join(format!("{name}.png"));
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create artifacts/desktop");
        let reply = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(8))
            .build()
            .get(&format!("{}/screenshot", self.base))
            .call();
        match reply.ok().and_then(|r| r.into_json::<Value>().ok()) {
            Some(reply) => {
                let png = base64::engine::general_purpose::STANDARD
                    .decode(reply["value"].as_str().expect("base64 PNG"))
                    .expect("valid base64");
                std::fs::write(&path, png).expect("write the screenshot");
            }
            None => {
                // WebKitWebDriver sometimes never answers a screenshot of a
                // page drawn on the CPU: the display's own pixels instead.
                let ok = std::process::Command::new("import")
                    .args(["-window", "root"])
                    .arg(&path)
                    .status()
                    .is_ok_and(|s| s.success());
                assert!(ok, "no screenshot of {name}: WebDriver did not answer and `import` failed");
            }
        }
        path
    }

    /// Ends the session, which quits the app.
    pub fn quit(mut self) {
        self.close();
    }

    fn close(&mut self) {
        if self.open {
            self.open = false;
            ureq::delete(&self.base).call().ok();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.close();
    }
}
