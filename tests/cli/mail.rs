//! Email end to end through the real `billable` binary: the password in a
//! real Secret Service (gnome-keyring in a D-Bus session this test starts)
//! and nowhere in the database; a real SMTP server on loopback with
//! STARTTLS and AUTH; a crash right after the server accepted a message;
//! the outbox while the server is down; reminders with a fixed today.

#[path = "../support/mail_server.rs"]
pub(crate) mod mail_server;
#[path = "../support/secret_service.rs"]
mod secret_service;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use mail_server::{pdf_fixture, test_ca, MailServer, ServerOptions, TestCa, PASSWORD, USER};
use secret_service::SecretService;
use serde_json::Value;

use crate::support::Books;

const NOW: &str = "2026-05-10T09:00:00+02:00";
const FROM: &str = "billing@studio.example";

/// Books with a business, a client and a real keyring; the SMTP server is
/// started by the test (also used by the late-fee tests).
pub(crate) struct Mail {
    books: Books,
    keyring: SecretService,
    ca: TestCa,
    dir: tempfile::TempDir,
    /// Everything `billable` printed, to check the password never shows.
    printed: std::cell::RefCell<Vec<u8>>,
}

impl Mail {
    pub(crate) fn new() -> Mail {
        let dir = tempfile::tempdir().unwrap();
        let ca = test_ca(dir.path());
        let m =
            Mail { books: Books::new().at(NOW), keyring: SecretService::start(), ca, dir, printed: Default::default() };
        m.ok(&["business", "set", "--name", "Studio Nord"]);
        m.ok(&["client", "add", "Acme GmbH", "--currency", "EUR", "--email", "ap@acme.example"]);
        m
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = self.books.command(args);
        c.env("DBUS_SESSION_BUS_ADDRESS", &self.keyring.address).env_remove("BILLABLE_FAULT");
        c
    }

    fn run(&self, c: &mut Command, stdin: Option<&str>) -> Output {
        let mut child = c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
        drop(input);
        let out = child.wait_with_output().unwrap();
        self.printed.borrow_mut().extend_from_slice(&out.stdout);
        self.printed.borrow_mut().extend_from_slice(&out.stderr);
        out
    }

    fn json(&self, args: &[&str], stdin: Option<&str>, at: Option<&str>) -> (bool, Value) {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let mut c = self.command(&all);
        if let Some(t) = at {
            c.env("BILLABLE_NOW", t);
        }
        let out = self.run(&mut c, stdin);
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: no JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.success(), v)
    }

    pub(crate) fn ok(&self, args: &[&str]) -> Value {
        let (ok, v) = self.json(args, None, None);
        assert!(ok, "billable {args:?} failed: {v}");
        v
    }

    pub(crate) fn ok_at(&self, at: &str, args: &[&str]) -> Value {
        let (ok, v) = self.json(args, None, Some(at));
        assert!(ok, "billable {args:?} failed: {v}");
        v
    }

    /// The books' database file.
    pub(crate) fn db(&self) -> PathBuf {
        self.books.db.clone()
    }

    /// What a command prints for a person (no `--json`) at `at`.
    pub(crate) fn text_at(&self, at: &str, args: &[&str]) -> String {
        let mut c = self.command(args);
        c.env("BILLABLE_NOW", at);
        let out = self.run(&mut c, None);
        assert!(out.status.success(), "billable {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    pub(crate) fn fails(&self, args: &[&str]) -> Value {
        let (ok, v) = self.json(args, None, None);
        assert!(!ok, "billable {args:?} should have failed: {v}");
        v["error"].clone()
    }

    pub(crate) fn setup(&self, port: u16, password: &str) {
        let ca = self.ca.ca_file.to_string_lossy().to_string();
        let port = port.to_string();
        let args = [
            "mail",
            "setup",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "starttls",
            "--user",
            USER,
            "--from",
            FROM,
            "--from-name",
            "Studio Nord",
            "--ca-file",
            &ca,
        ];
        let (ok, v) = self.json(&args, Some(&format!("{password}\n")), None);
        assert!(ok, "mail setup failed: {v}");
        assert_eq!(v["password_stored"], true, "{v}");
    }

    pub(crate) fn server(&self, port: Option<u16>) -> MailServer {
        MailServer::start(
            &self.dir.path().join("received"),
            &ServerOptions {
                port,
                tls: Some((self.ca.cert_file.clone(), self.ca.key_file.clone())),
                auth: Some((USER.into(), PASSWORD.into())),
                reject_sender: None,
            },
        )
    }

    pub(crate) fn draft(&self) -> String {
        let v = self.ok(&["invoice", "create", "--client", "Acme GmbH", "--line", "Logo design|1|1190"]);
        v["number"].as_str().unwrap().to_string()
    }

    pub(crate) fn status(&self, number: &str) -> String {
        self.ok(&["invoice", "show", number])["status"].as_str().unwrap().to_string()
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn database_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect()
}

#[test]
fn the_password_lives_in_the_keyring_and_nowhere_in_the_database() {
    let m = Mail::new();
    // Held open so the write-ahead log stays on disk to be searched too (the
    // last connection to close would fold it into the file and delete it).
    let holder = rusqlite::Connection::open(&m.books.db).unwrap();
    holder.query_row("SELECT count(*) FROM clients", [], |r| r.get::<_, i64>(0)).unwrap();
    let server = m.server(None);
    m.setup(server.port, PASSWORD);
    let account = format!("{USER}@127.0.0.1:{}", server.port);
    assert_eq!(m.keyring.lookup("Billable SMTP", &account).as_deref(), Some(PASSWORD), "stored in the Secret Service");
    let shown = m.ok(&["mail", "show"]);
    assert_eq!(shown["password_stored"], true);

    let test = m.ok(&["mail", "test"]);
    assert_eq!((test["encrypted"].clone(), test["authenticated"].clone()), (Value::Bool(true), Value::Bool(true)));

    let number = m.draft();
    let pdf_path = m.dir.path().join(format!("{number}.pdf"));
    std::fs::write(&pdf_path, pdf_fixture(m.dir.path())).unwrap();
    let out = m.ok(&["invoice", "send", &number, "--attach", pdf_path.to_str().unwrap(), "--copy-me"]);
    assert_eq!(out["state"], "sent", "{out}");
    assert_eq!(out["invoice"]["status"], "sent");
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos(), vec!["ap@acme.example", FROM]);
    let msg = got[0].parsed();
    assert_eq!(msg.attachments().next().unwrap().contents(), std::fs::read(&pdf_path).unwrap().as_slice());

    // A wrong password (read from standard input again): a clear error,
    // nothing marked sent, nothing received.
    m.setup(server.port, "wrong-password");
    let second = m.draft();
    let e = m.fails(&["invoice", "send", &second]);
    assert_eq!(e["code"], "mail_authentication", "{e}");
    assert!(e["message"].as_str().unwrap().contains("username or password"), "{e}");
    assert_eq!(m.status(&second), "draft");
    assert_eq!(server.received().len(), 1);
    assert_eq!(m.fails(&["mail", "test"])["code"], "mail_authentication");
    m.setup(server.port, PASSWORD);
    let failed = m.ok(&["outbox", "list", "--state", "failed"]);
    let id = failed[0]["id"].as_i64().unwrap().to_string();
    let retried = m.ok(&["outbox", "retry", &id]);
    assert_eq!(retried["results"][0]["state"], "sent", "{retried}");
    assert_eq!(m.status(&second), "sent");

    // The password is nowhere in the database (file, WAL, shared memory),
    // nor in anything billable printed.
    let files = database_files(&m.books.db);
    assert!(files.iter().any(|f| f.to_string_lossy().ends_with("-wal")), "the database and its WAL: {files:?}");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        assert!(!contains(&bytes, PASSWORD.as_bytes()), "the password is in {}", f.display());
        assert!(!contains(&bytes, b"wrong-password"), "the old password is in {}", f.display());
    }
    // The scan does see the books: the mail settings themselves are there.
    assert!(files.iter().any(|f| contains(&std::fs::read(f).unwrap(), FROM.as_bytes())), "settings not found");
    drop(holder);
    let printed = m.printed.borrow();
    assert!(!contains(&printed, PASSWORD.as_bytes()) && !contains(&printed, b"wrong-password"));
}

/// Without `--attach`, the email carries the invoice's PDF: the very file
/// `billable invoice pdf` writes, byte for byte, named after the invoice.
#[test]
fn the_invoice_pdf_is_attached_by_default_byte_for_byte() {
    use mail_parser::MimeHeaders;
    let m = Mail::new();
    let server = m.server(None);
    m.setup(server.port, PASSWORD);
    let number = m.draft();
    let pdf_path = m.dir.path().join("generated.pdf");
    m.ok(&["invoice", "pdf", &number, "--out", pdf_path.to_str().unwrap()]);
    let generated = std::fs::read(&pdf_path).unwrap();
    assert!(generated.starts_with(b"%PDF-"));

    let out = m.ok(&["invoice", "send", &number]);
    assert_eq!(out["state"], "sent", "{out}");
    let got = server.received();
    assert_eq!(got.len(), 1);
    let msg = got[0].parsed();
    let attachments: Vec<_> = msg.attachments().collect();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].attachment_name(), Some(format!("{number}.pdf").as_str()));
    let ct = attachments[0].content_type().unwrap();
    assert_eq!((ct.ctype(), ct.subtype()), ("application", Some("pdf")));
    assert_eq!(attachments[0].contents(), generated.as_slice());

    // --no-attach sends the email alone.
    let second = m.draft();
    m.ok(&["invoice", "send", &second, "--no-attach"]);
    let got = server.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].parsed().attachments().count(), 0);
}

#[test]
fn a_crash_right_after_the_server_accepted_sends_no_duplicate_after_restart() {
    let m = Mail::new();
    let server = m.server(None);
    m.setup(server.port, PASSWORD);
    let number = m.draft();

    let mut c = m.command(&["--json", "invoice", "send", &number]);
    c.env("BILLABLE_FAULT", "abort-after-smtp-accept");
    let out = m.run(&mut c, None);
    assert!(!out.status.success(), "the fault point stops the process");
    assert_eq!(server.received().len(), 1, "the server accepted the message before the crash");
    assert_eq!(m.status(&number), "draft", "the acceptance was not recorded");
    let pending = m.ok(&["outbox", "list", "--state", "pending"]);
    assert_eq!(pending[0]["state"], "sending");
    assert_eq!(pending[0]["phase"], "handed_over");

    // Restart: the interrupted job is settled without sending it again.
    let run = m.ok(&["outbox", "run"]);
    assert_eq!(run["recovered"][0]["state"], "sent", "{run}");
    assert_eq!(m.status(&number), "sent");
    m.ok(&["outbox", "run"]);
    m.ok_at("2026-05-11T09:00:00+02:00", &["outbox", "run"]);
    assert_eq!(server.received().len(), 1, "no duplicate");
    let shown = m.ok(&["invoice", "show", &number]);
    let sent = shown["activity"].as_array().unwrap().iter().find(|a| a["kind"] == "sent").expect("logged");
    assert!(sent["detail"].as_str().unwrap().contains("ap@acme.example"));
}

#[test]
fn with_the_server_down_the_invoice_waits_in_the_outbox_and_goes_out_once() {
    let m = Mail::new();
    let port = mail_server::free_port();
    m.setup(port, PASSWORD);
    let number = m.draft();
    let out = m.ok(&["invoice", "send", &number, "--no-attach"]);
    assert_eq!(out["state"], "queued");
    assert_eq!(out["job"]["last_error_code"], "mail_connection_refused");
    assert_eq!(m.status(&number), "draft");
    let listed = m.ok(&["outbox", "list"]);
    assert_eq!(listed[0]["state"], "queued");
    assert!(listed[0]["next_attempt_at"].is_string());

    let server = m.server(Some(port));
    m.ok_at("2026-05-10T09:02:00+02:00", &["outbox", "run"]);
    assert_eq!(m.status(&number), "sent");
    m.ok_at("2026-05-10T10:00:00+02:00", &["outbox", "run"]);
    assert_eq!(server.received().len(), 1, "delivered exactly once");

    // Reminders with a fixed today: 3 days before the 9 June due date.
    let dry = m.ok_at("2026-06-06T08:00:00+02:00", &["reminders", "run", "--dry-run"]);
    assert_eq!(dry["reminders"].as_array().unwrap().len(), 1);
    assert_eq!(dry["reminders"][0]["offset_days"], -3);
    assert_eq!(server.received().len(), 1);
    m.ok_at("2026-06-06T08:00:00+02:00", &["reminders", "run"]);
    m.ok_at("2026-06-06T18:00:00+02:00", &["reminders", "run"]);
    assert_eq!(server.received().len(), 2, "the reminder went once");
    m.ok(&["payment", "add", &number]);
    let after = m.ok_at("2026-06-20T08:00:00+02:00", &["reminders", "run"]);
    assert!(after["reminders"].as_array().unwrap().is_empty(), "a paid invoice is never reminded");
    assert_eq!(server.received().len(), 2);
}

#[test]
fn recurring_send_mode_is_refused_until_email_can_go_out_then_emails_each_period_once() {
    let m = Mail::new();
    let acme = m.draft();
    m.ok(&["client", "add", "Globex", "--currency", "EUR"]);
    let v = m.ok(&["invoice", "create", "--client", "Globex", "--line", "Hosting|1|50"]);
    let globex = v["number"].as_str().unwrap().to_string();

    // No mail server set up: refused, naming the mode, nothing written.
    let before = m.books.snapshot();
    let e = m.fails(&["recurring", "create", &acme, "--frequency", "monthly", "--mode", "send"]);
    assert_eq!(e["field"], "send_mode", "{e}");
    assert!(e["message"].as_str().unwrap().contains("set up the mail server"), "{e}");
    assert_eq!(m.books.snapshot(), before, "nothing written");

    let server = m.server(None);
    m.setup(server.port, PASSWORD);
    // A client without a billing email: refused, naming the client's emails.
    let before = m.books.snapshot();
    let e = m.fails(&["recurring", "create", &globex, "--frequency", "monthly", "--mode", "send"]);
    assert_eq!(e["field"], "emails", "{e}");
    assert!(e["message"].as_str().unwrap().contains("Globex"), "{e}");
    assert_eq!(m.books.snapshot(), before, "nothing written");

    let p = m.ok(&["recurring", "create", &acme, "--frequency", "monthly", "--start", "2026-05-01", "--mode", "send"]);
    assert_eq!(p["send_mode"], "send");
    let id = p["id"].to_string();
    let shown = m.run(&mut m.command(&["recurring", "show", &id]), None);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("mode send"));
    let listed = m.run(&mut m.command(&["recurring", "list"]), None);
    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(listed.contains("Mode") && listed.contains(" send "), "{listed}");

    // Two months later: May, June and July, each generated and emailed once.
    let run = m.ok_at("2026-07-15T09:00:00+02:00", &["recurring", "run"]);
    let generated = run["generated"].as_array().unwrap();
    let numbers: Vec<&str> = generated.iter().map(|g| g["invoice_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["INV-2026-0003", "INV-2026-0004", "INV-2026-0005"]);
    assert!(generated.iter().all(|g| g["email_state"] == "sent"), "{run}");
    for n in &numbers {
        assert_eq!(m.status(n), "sent", "{n}");
    }
    let got = server.received();
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|r| r.rcpt_tos() == ["ap@acme.example"]));
    let again = m.ok_at("2026-07-16T09:00:00+02:00", &["recurring", "run"]);
    assert!(again["generated"].as_array().unwrap().is_empty());
    assert_eq!(server.received().len(), 3, "each invoice emailed exactly once");
}

#[test]
fn invoice_bulk_send_emails_each_invoice_once_and_names_the_one_that_cannot_go() {
    let m = Mail::new();
    let server = m.server(None);
    m.setup(server.port, PASSWORD);
    let first = m.draft();
    let second = m.draft();
    let cancelled = m.draft();
    m.ok(&["invoice", "mark-sent", &cancelled]);
    m.ok(&["invoice", "cancel", &cancelled]);
    let out = m.json(&["invoice", "bulk", "send", &first, &second, &cancelled], None, None).1;
    let rows = out.as_array().unwrap_or_else(|| panic!("one result per invoice: {out}"));
    assert_eq!(rows.len(), 3, "{out}");
    assert_eq!((rows[0]["ok"].as_bool(), rows[0]["state"].as_str()), (Some(true), Some("sent")), "{out}");
    assert_eq!((rows[1]["ok"].as_bool(), rows[1]["state"].as_str()), (Some(true), Some("sent")), "{out}");
    assert_eq!(rows[2]["ok"], false, "{out}");
    assert!(rows[2]["error"]["message"].as_str().unwrap().contains(&cancelled), "{out}");
    let got = server.received();
    assert_eq!(got.len(), 2, "two emails, the cancelled invoice's not among them");
    let subjects: Vec<String> = got.iter().map(|g| g.parsed().subject().unwrap_or_default().to_string()).collect();
    assert!(
        subjects.iter().any(|s| s.contains(&first)) && subjects.iter().any(|s| s.contains(&second)),
        "{subjects:?}"
    );
    assert_eq!(m.status(&first), "sent");
    assert_eq!(m.status(&second), "sent");
}

#[test]
fn estimate_send_emails_the_estimate_pdf_and_the_draft_becomes_sent() {
    let m = Mail::new();
    let server = m.server(None);
    m.setup(server.port, PASSWORD);
    let created = m.ok(&[
        "estimate",
        "create",
        "--client",
        "Acme GmbH",
        "--line",
        "Brand workshop|2|450",
        "--valid-until",
        "2026-06-30",
    ]);
    let number = created["number"].as_str().unwrap().to_string();
    assert_eq!(number, "EST-2026-0001");

    // The estimate template, as it would go out for this estimate.
    let preview = m.text_at(NOW, &["mail", "template", "preview", "estimate", "--estimate", &number]);
    assert!(preview.contains("Subject: Estimate EST-2026-0001 from Studio Nord"), "{preview}");
    assert!(preview.contains("Attachment: EST-2026-0001.pdf"), "{preview}");
    assert!(preview.contains("estimate EST-2026-0001 over 900.00 EUR. It is valid until 2026-06-30."), "{preview}");

    // Sent as a person types it: the client's address, a blind copy to me.
    let said = m.text_at(NOW, &["estimate", "send", &number, "--copy-me"]);
    assert_eq!(
        said.trim(),
        "Emailed estimate EST-2026-0001 to ap@acme.example with EST-2026-0001.pdf — estimate is sent, valid until \
         2026-06-30."
    );
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos(), vec!["ap@acme.example", FROM]);
    let msg = got[0].parsed();
    assert_eq!(msg.subject(), Some("Estimate EST-2026-0001 from Studio Nord"));
    let attached = msg.attachments().next().expect("the estimate's PDF");
    let pdf = attached.contents();
    assert!(pdf.starts_with(b"%PDF-"));
    let path = m.dir.path().join("attached.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("ESTIMATE") && text.contains("EST-2026-0001") && text.contains("VALID UNTIL"), "{text}");
    let shown = m.ok(&["estimate", "show", &number]);
    assert_eq!(shown["display_status"], "sent", "{shown}");
    assert_eq!(shown["emails"][0]["state"], "sent", "{shown}");

    // Again (a sent estimate may go again), to another address with another
    // subject and nothing attached.
    let again = m.ok(&[
        "estimate",
        "send",
        &number,
        "--to",
        "cto@acme.example",
        "--subject",
        "Our offer {estimate_number} ({total})",
        "--no-attach",
    ]);
    assert_eq!((again["state"].as_str(), again["job"]["kind"].as_str()), (Some("sent"), Some("estimate")), "{again}");
    let got = server.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].rcpt_tos(), vec!["cto@acme.example"]);
    let msg = got[1].parsed();
    assert_eq!(msg.subject(), Some("Our offer EST-2026-0001 (900.00 EUR)"));
    assert!(msg.attachments().next().is_none(), "--no-attach sends none");
    let listed = m.text_at(NOW, &["outbox", "list"]);
    assert!(listed.contains("EST-2026-0001") && listed.contains("estimate"), "{listed}");

    // Refused, with nothing queued: a bad address (naming the field), a
    // declined estimate (naming why).
    let jobs = m.ok(&["outbox", "list"]).as_array().unwrap().len();
    let e = m.fails(&["estimate", "send", &number, "--to", "not-an-address"]);
    assert_eq!(e["field"], "to[1]", "{e}");
    m.ok(&["estimate", "decline", &number]);
    let e = m.fails(&["estimate", "send", &number]);
    assert_eq!(e["code"], "conflict", "{e}");
    assert!(e["message"].as_str().unwrap().contains("EST-2026-0001 was declined"), "{e}");
    assert_eq!(m.ok(&["outbox", "list"]).as_array().unwrap().len(), jobs, "nothing queued");
    assert_eq!(server.received().len(), 2, "nothing sent");
}
