//! Team books in the window: a person connects to the agency's PostgreSQL
//! (a real server the walk starts) from Data → Where your books live, with
//! the password kept in a real keyring (GNOME Keyring on a private D-Bus);
//! the views then show the team's books and the timer writes into them; a
//! restart reconnects with the kept password; a server out of reach is said
//! plainly above every view, and the person can go back to the file.

#[path = "../support/secret_service.rs"]
mod secret_service;

use std::path::Path;
use std::process::Command;

use secret_service::SecretService;

use crate::areas::cli;
use crate::driver::{Driver, Session};
use crate::locales::main_text;

const PASSWORD: &str = "team-books-pw";

fn billable(url: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new(cli())
        .env_remove("BILLABLE_DB")
        .args(["--json", "--db", url])
        .args(args)
        .output()
        .expect("run billable");
    assert!(out.status.success(), "billable {args:?}: {}", String::from_utf8_lossy(&out.stdout));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn psql(url: &str, sql: &str) -> String {
    let (ok, out, err) = billable_pgtest::server().psql(url, sql);
    assert!(ok, "{sql}: {err}");
    out.trim().to_string()
}

/// Waits until the app that just quit has left the session bus: the
/// single-instance guard of a new start would otherwise hand over to it.
fn gone_from_bus(keyring: &SecretService) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let out = Command::new("dbus-send")
            .args(["--session", "--dest=org.freedesktop.DBus", "--type=method_call", "--print-reply"])
            .args(["/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"])
            .env("DBUS_SESSION_BUS_ADDRESS", &keyring.address)
            .output()
            .expect("run dbus-send (apt package dbus)");
        let names = String::from_utf8_lossy(&out.stdout).to_string();
        if !names.contains("SingleInstance") {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "the app did not leave the bus: {names}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

fn wait_main(app: &Session, text: &str) {
    app.wait_for(&format!("the view to show {text:?}"), || main_text(app).contains(text).then_some(()));
}

#[test]
#[ignore = "needs a display: run under xvfb-run (make e2e)"]
fn connect_to_team_books_work_in_them_reconnect_and_go_back_to_the_file() {
    let url = billable_pgtest::database();
    let port = billable_pgtest::server().port();
    let database = url.rsplit('/').next().expect("a database name").to_string();
    billable(&url, &["team", "init", &url]);
    billable(&url, &["client", "add", "Nordlicht Agentur", "--currency", "EUR"]);
    billable(&url, &["project", "add", "Brand refresh", "--client", "Nordlicht Agentur", "--rate", "110"]);

    let home = tempfile::tempdir().expect("a home");
    let keyring = SecretService::start();
    let vars = [("BILLABLE_DB", ""), ("DBUS_SESSION_BUS_ADDRESS", keyring.address.as_str())];
    // BILLABLE_DB is empty: the app opens what was chosen in the window,
    // or the file in its data folder.
    let driver = Driver::start_with(home.path(), Path::new(""), Some("en_US.UTF-8"), &vars);
    let app = driver.session();

    app.click("nav-data");
    app.wait_text("place-current", "the file on this computer", |t| t.contains("On this computer"));
    app.click("place-show-connect");
    // A field left empty is named, and nothing changes.
    app.fill("place-database", &database);
    app.fill("place-user", "billable");
    app.click("place-connect");
    app.wait_page_text("the server's name or address is missing");
    app.screenshot("team/connect-missing-host");

    app.fill("place-host", "127.0.0.1");
    app.fill("place-port", &port.to_string());
    app.fill("place-password-input", PASSWORD);
    app.screenshot("team/connect-form");
    app.click("place-connect");
    // The window starts afresh on the team books and says so once.
    app.wait_text("place-notice", "the connection", |t| t.contains("Connected to the team books"));
    app.click("nav-data");
    let shown = format!("billable@127.0.0.1:{port}/{database}");
    app.wait_text("place-shown", "the team books", |t| t == shown);
    app.wait_text("place-password", "the password kept", |t| t.contains("kept in this computer's keyring"));
    assert!(app.find_css("[data-testid=backups-on-server]").is_some(), "backups say the server keeps them");
    app.screenshot("team/connected");
    assert_eq!(
        keyring.lookup("Billable team books", &shown).as_deref(),
        Some(PASSWORD),
        "the password is in the keyring under the login it opens"
    );
    let choice = std::fs::read_to_string(home.path().join("config/billable/books.json")).expect("the saved choice");
    assert!(choice.contains("127.0.0.1") && !choice.contains(PASSWORD), "{choice}");

    // The views show the team's books; the timer writes into them.
    app.click("nav-clients");
    wait_main(&app, "Nordlicht Agentur");
    app.click("nav-timer");
    app.choose("timer-project", "Brand refresh");
    app.fill("timer-description", "Logo drafts");
    app.click("timer-start");
    app.el("timer-stop");
    assert_eq!(psql(&url, "SELECT description FROM running_timers;"), "Logo drafts");
    app.wait_text("timer-elapsed", "two seconds", |t| t != "0:00:00" && t != "0:00:01");
    app.click("timer-stop");
    app.el("timer-start");
    // Under a minute: the short-timer rule asks; the entry is kept.
    app.wait_text("timer-short-notice", "the short-timer rule", |t| t.contains("Brand refresh"));
    app.click("timer-short-bill");
    app.wait_for("the entry in the team books", || {
        (psql(&url, "SELECT count(*) FROM time_entries WHERE description = 'Logo drafts';") == "1").then_some(())
    });
    app.quit();
    gone_from_bus(&keyring);

    // A restart opens the team books again with the kept password.
    let app = driver.session();
    app.click("nav-clients");
    wait_main(&app, "Nordlicht Agentur");
    app.quit();
    gone_from_bus(&keyring);

    // The server out of reach: said above every view, with a way back.
    let gone = format!(
        "{{\"team\":{{\"host\":\"127.0.0.1\",\"port\":{},\"database\":\"{database}\",\"user\":\"billable\"}}}}",
        billable_pgtest::server().port().wrapping_add(1)
    );
    std::fs::write(home.path().join("config/billable/books.json"), gone).expect("write the choice");
    let app = driver.session();
    app.wait_text("books-unreachable", "the unreachable server", |t| {
        t.contains("Billable cannot reach the team books at billable@127.0.0.1")
    });
    app.screenshot("team/unreachable");
    app.click("books-settings");
    app.wait_text("place-error", "why the books are not open", |t| t.contains("not open"));
    app.click("place-use-file");
    app.wait_text("place-notice", "the file again", |t| t.contains("Now using the books on this computer"));
    app.click("nav-data");
    app.wait_text("place-current", "the file", |t| t.contains("On this computer"));
    assert!(app.find_css("[data-testid=books-unreachable]").is_none(), "the banner is gone");
    app.click("nav-clients");
    app.wait_for("the file's empty client list", || (!main_text(&app).contains("Nordlicht")).then_some(()));
    app.quit();
}

/// A door between the app and the team server that the walk can shut (every
/// connection cut, new ones closed at once) and open again: the server out
/// of reach as a broken network makes it.
struct Gate {
    port: u16,
    open: std::sync::Arc<std::sync::atomic::AtomicBool>,
    live: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Gate {
    fn to(target: u16) -> Gate {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, Mutex};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port for the gate");
        let port = listener.local_addr().expect("its address").port();
        let open = Arc::new(AtomicBool::new(true));
        let live: Arc<Mutex<Vec<std::net::TcpStream>>> = Arc::new(Mutex::new(Vec::new()));
        let (o, l) = (open.clone(), live.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !o.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = std::net::TcpStream::connect(("127.0.0.1", target)) else { continue };
                let mut held = l.lock().expect("the connections");
                held.push(client.try_clone().expect("a handle"));
                held.push(server.try_clone().expect("a handle"));
                drop(held);
                for (mut from, mut to) in
                    [(client.try_clone().expect("a handle"), server.try_clone().expect("a handle")), (server, client)]
                {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                }
            }
        });
        Gate { port, open, live }
    }

    fn shut(&self) {
        self.open.store(false, std::sync::atomic::Ordering::SeqCst);
        for c in self.live.lock().expect("the connections").drain(..) {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
    }

    fn reopen(&self) {
        self.open.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
#[ignore = "needs a display: run under xvfb-run (make e2e)"]
fn a_timer_stopped_while_the_team_server_is_away_reaches_the_books_when_it_is_back() {
    let url = billable_pgtest::database();
    let database = url.rsplit('/').next().expect("a database name").to_string();
    billable(&url, &["team", "init", &url]);
    billable(&url, &["client", "add", "Nordlicht Agentur", "--currency", "EUR"]);
    billable(&url, &["project", "add", "Brand refresh", "--client", "Nordlicht Agentur", "--rate", "110"]);
    let gate = Gate::to(billable_pgtest::server().port());

    // The person connected to these team books earlier (the choice saved).
    let home = tempfile::tempdir().expect("a home");
    let config = home.path().join("config/billable");
    std::fs::create_dir_all(&config).expect("the config folder");
    let choice = format!(
        "{{\"team\":{{\"host\":\"127.0.0.1\",\"port\":{},\"database\":\"{database}\",\"user\":\"billable\"}}}}",
        gate.port
    );
    std::fs::write(config.join("books.json"), choice).expect("the saved choice");
    let driver = Driver::start_with(home.path(), Path::new(""), Some("en_US.UTF-8"), &[("BILLABLE_DB", "")]);
    let app = driver.session();

    app.choose("timer-project", "Brand refresh");
    app.fill("timer-description", "Workshop");
    app.click("timer-start");
    app.el("timer-stop");
    assert_eq!(psql(&url, "SELECT description FROM running_timers;"), "Workshop");
    let kept = home.path().join("data/billable/kept-timer.json");
    assert!(std::fs::read_to_string(&kept).expect("the timer kept on this computer").contains("Workshop"));

    // The network goes: the timer still stops, on this computer.
    gate.shut();
    app.wait_text("timer-elapsed", "a few seconds", |t| !["0:00:00", "0:00:01", "0:00:02"].contains(&t));
    app.click("timer-stop");
    app.wait_text("timer-kept-stop", "the stop kept here", |t| t.contains("Brand refresh"));
    app.wait_text("books-unreachable", "the server out of reach", |t| t.contains("cannot reach the team books"));
    app.screenshot("team/timer-kept-offline");
    assert_eq!(psql(&url, "SELECT count(*) FROM time_entries;"), "0", "nothing reached the books yet");
    assert!(std::fs::read_to_string(&kept).expect("the kept stop").contains("stopped_at\": \"20"));

    // Still away: a new timer starts on this computer, on a project the
    // window had read, and runs.
    app.fill("timer-description", "Offline notes");
    app.click("timer-start");
    app.el("timer-stop");
    app.wait_text("timer-kept-running", "the timer kept here", |t| !t.is_empty());
    app.wait_text("timer-elapsed", "a few seconds", |t| !["0:00:00", "0:00:01", "0:00:02"].contains(&t));
    let kept_now = std::fs::read_to_string(&kept).expect("the start kept here");
    assert!(kept_now.contains("\"kind\": \"start\"") && kept_now.contains("Offline notes"), "{kept_now}");
    app.screenshot("team/timer-started-offline");
    assert_eq!(psql(&url, "SELECT description FROM running_timers;"), "Workshop", "the books still have the first");

    // The network is back: the books open again by themselves, and the stop
    // goes into them at the moment it was made.
    gate.reopen();
    app.wait_text("place-notice", "the books back", |t| t.contains("reachable again"));
    app.wait_for("the entry in the team books", || {
        (psql(&url, "SELECT count(*) FROM time_entries WHERE description = 'Workshop';") == "1").then_some(())
    });
    let seconds: i64 = psql(&url, "SELECT seconds FROM time_entries;").parse().expect("seconds");
    assert!((2..60).contains(&seconds), "the entry ends when the timer was stopped: {seconds} s");
    // The timer started while away runs in the books from that moment.
    app.wait_for("the timer started offline in the books", || {
        (psql(&url, "SELECT description FROM running_timers;") == "Offline notes").then_some(())
    });
    let running_for: i64 =
        psql(&url, "SELECT floor(extract(epoch FROM now()) - started_at)::bigint FROM running_timers;")
            .parse()
            .expect("its age");
    assert!(running_for >= 3, "it counts from its start on this computer: {running_for} s");
    app.wait_for("the kept stop to go", || app.find_css("[data-testid=timer-kept-stop]").is_none().then_some(()));
    app.screenshot("team/timer-back");
    app.click("timer-stop");
    app.wait_for("its entry", || {
        (psql(&url, "SELECT count(*) FROM time_entries WHERE description = 'Offline notes';") == "1").then_some(())
    });
    let both: i64 = psql(&url, "SELECT count(*) FROM time_entries;").parse().expect("a count");
    assert_eq!(both, 2, "each timer once");
    assert_eq!(psql(&url, "SELECT count(*) FROM running_timers;"), "0");
    app.wait_for("the copy to go", || (!kept.exists()).then_some(()));
    app.quit();
}

#[test]
#[ignore = "needs a display: run under xvfb-run (make e2e)"]
fn a_team_member_connects_with_their_own_login_and_the_window_offers_their_time_only() {
    let url = billable_pgtest::database();
    let port = billable_pgtest::server().port();
    let database = url.rsplit('/').next().expect("a database name").to_string();
    billable(&url, &["team", "init", &url]);
    billable(&url, &["client", "add", "Nordlicht Agentur", "--currency", "EUR", "--rate", "120"]);
    billable(&url, &["project", "add", "Brand refresh", "--client", "Nordlicht Agentur", "--rate", "110"]);
    billable(&url, &["project", "add", "Intranet", "--client", "Nordlicht Agentur"]);
    let ana = billable(
        &url,
        &["team", "member", "add", "Ana Lima", "--project", "Brand refresh", "--password", "ana-tracks-her-time"],
    );
    let login = ana["login"].as_str().expect("Ana's login").to_string();

    let home = tempfile::tempdir().expect("a home");
    let driver = Driver::start_with(home.path(), Path::new(""), Some("en_US.UTF-8"), &[("BILLABLE_DB", "")]);
    let app = driver.session();
    app.click("nav-data");
    app.click("place-show-connect");
    app.fill("place-host", "127.0.0.1");
    app.fill("place-port", &port.to_string());
    app.fill("place-database", &database);
    app.fill("place-user", &login);
    // A wrong password: the server's refusal is said, and nothing changes.
    app.fill("place-password-input", "not-her-password");
    app.click("place-connect");
    app.wait_text("place-connect-error", "the refusal", |t| t.contains("password authentication failed"));
    app.wait_text("place-current", "still the file", |t| t.contains("On this computer"));
    app.fill("place-password-input", "ana-tracks-her-time");
    app.click("place-remember");
    app.click("place-connect");
    app.wait_text("place-notice", "the connection", |t| t.contains("Connected to the team books"));

    // Her role offers her timer and time, not invoices, reports or email.
    app.el("nav-timer");
    for hidden in ["nav-dashboard", "nav-invoices", "nav-estimates", "nav-reports", "nav-email", "nav-clients"] {
        assert!(app.find_css(&format!("[data-testid={hidden}]")).is_none(), "{hidden} is not offered to a member");
    }
    app.choose("timer-project", "Brand refresh");
    app.fill("timer-description", "Moodboard");
    app.click("timer-start");
    app.el("timer-stop");
    app.screenshot("team/member-timer");
    assert_eq!(
        psql(&url, "SELECT m.name FROM running_timers r JOIN members m ON m.id = r.member_id;"),
        "Ana Lima",
        "the timer is hers"
    );
    app.wait_text("timer-elapsed", "two seconds", |t| t != "0:00:00" && t != "0:00:01");
    app.click("timer-stop");
    app.wait_text("timer-short-notice", "the short-timer rule", |t| t.contains("Brand refresh"));
    app.click("timer-short-bill");
    app.click("nav-time");
    wait_main(&app, "Moodboard");
    app.screenshot("team/member-time");
    assert!(app.find_css("[data-testid=view-error]").is_none(), "the Time view works for a member");
    // Her week goes for approval; approving weeks and marking time invoiced
    // elsewhere are a manager's, and not offered.
    app.el("time-mode-grid");
    app.click("time-span-week");
    app.el("time-submit-week");
    for hidden in ["time-mode-approvals", "time-mark-start"] {
        assert!(app.find_css(&format!("[data-testid={hidden}]")).is_none(), "{hidden} is not offered to a member");
    }
    app.click("nav-data");
    app.wait_text("place-shown", "her login", |t| t.starts_with(&login));
    assert!(app.find_css("[data-testid=backup-create]").is_none(), "no backups offered to a member");

    // She changes her password: the current one is asked again.
    app.click("password-show");
    app.fill("password-current", "not-her-password");
    app.fill("password-new", "ana-picked-a-new-one");
    app.fill("password-confirm", "ana-picked-a-new-one");
    app.click("password-save");
    app.wait_text("password-form", "the wrong current password named", |t| t.contains("is not the password of"));
    app.fill("password-current", "ana-tracks-her-time");
    app.click("password-save");
    app.wait_text("password-changed", "the change", |t| t.contains("was changed"));
    app.screenshot("team/member-password");
    let new_url = format!("postgres://{login}:ana-picked-a-new-one@127.0.0.1:{port}/{database}");
    assert_eq!(psql(&new_url, "SELECT current_user;"), login, "the new password connects");
    let old_url = format!("postgres://{login}:ana-tracks-her-time@127.0.0.1:{port}/{database}");
    let (connected, _, err) = billable_pgtest::server().psql(&old_url, "SELECT 1;");
    assert!(!connected && err.contains("password authentication failed"), "the old one does not: {err}");
    app.quit();
}
