//! Email against a real SMTP server on loopback (aiosmtpd with STARTTLS on a
//! test CA and AUTH): what arrives, the outbox when the server is down, a
//! wrong password, interrupted sends, reminders with a fixed today.

#[path = "../../../../tests/support/mail_server.rs"]
pub(crate) mod mail_server;

use std::sync::Arc;

use billable_app::core::status::InvoiceStatus;
use billable_app::mail::{MailSetupInput, ScheduleInput, ScheduleScope, SendInvoiceInput, StepFeeInput, TemplateInput};
use billable_app::{Attachment, Billable, BusinessInput, ClientInput, MemoryKeyring, SecretStore, Sensitive};
use mail_parser::MimeHeaders;
use mail_server::{pdf_fixture, test_ca, MailServer, ServerOptions, TestCa, PASSWORD, USER};
use tempfile::TempDir;

use crate::support::*;

const FROM: &str = "billing@studio.example";

/// Books with a business, an in-memory keyring and a test CA; the SMTP
/// server is started by the test (also used by the recurring tests).
pub(crate) struct Fixture {
    pub(crate) books: Books,
    keyring: Arc<MemoryKeyring>,
    ca: TestCa,
    dir: TempDir,
}

impl Fixture {
    pub(crate) fn new(now: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let ca = test_ca(dir.path());
        let mut books = Books::at(now);
        let keyring = Arc::new(MemoryKeyring::new());
        books.use_secret_store(keyring.clone());
        books
            .update_business(BusinessInput {
                name: s("Studio Nord"),
                payment_link: s("https://pay.example/studio?ref=1&x=2"),
                ..Default::default()
            })
            .unwrap();
        Fixture { books, keyring, ca, dir }
    }

    fn server_options(&self, port: Option<u16>) -> ServerOptions {
        ServerOptions {
            port,
            tls: Some((self.ca.cert_file.clone(), self.ca.key_file.clone())),
            auth: Some((USER.into(), PASSWORD.into())),
            reject_sender: None,
        }
    }

    pub(crate) fn server(&self, port: Option<u16>) -> MailServer {
        MailServer::start(&self.dir.path().join("received"), &self.server_options(port))
    }

    pub(crate) fn setup(&mut self, port: u16, password: &str) {
        self.books
            .mail_setup(MailSetupInput {
                host: "127.0.0.1".into(),
                port: Some(port),
                security: s("starttls"),
                username: USER.into(),
                from_address: FROM.into(),
                from_name: s("Studio Nord"),
                reply_to: s("ana@studio.example"),
                ca_pem: Some(self.ca.ca_pem.clone()),
                password: Some(Sensitive::new(password.to_string())),
            })
            .expect("mail setup");
    }

    pub(crate) fn reopen(&mut self, now: &str) {
        self.books.reopen(now);
        self.books.use_secret_store(self.keyring.clone());
    }

    fn pdf(&self) -> Attachment {
        Attachment::pdf("invoice.pdf", pdf_fixture(self.dir.path()))
    }
}

/// A client with two billing emails and a draft of 1,190.00 EUR.
fn draft(b: &mut Billable, name: &str) -> (i64, String) {
    let c = b
        .create_client(ClientInput {
            name: s(name),
            currency: s("EUR"),
            emails: Some(vec!["ap@acme.example".into(), "cfo@acme.example".into()]),
            ..Default::default()
        })
        .unwrap();
    let v = manual_invoice(b, c.id, vec![line("Logo design", "1", "1190")]);
    (c.id, v.invoice.number)
}

fn send(inv: &str) -> SendInvoiceInput {
    SendInvoiceInput { invoice: inv.to_string(), ..Default::default() }
}

#[test]
fn an_invoice_arrives_with_its_headers_both_bodies_and_the_pdf_byte_identical() {
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, PASSWORD);
    let (_, number) = draft(&mut f.books, "Müller & <Söhne>");
    let pdf = f.pdf();

    let out = f.books.send_invoice(send(&number), Some(pdf.clone())).expect("send");
    assert_eq!(out.state, "sent");
    assert_eq!(out.invoice.invoice.status, InvoiceStatus::Sent, "accepted: the draft is issued");
    let act = out.invoice.activity.iter().find(|a| a.kind == "sent").expect("activity records the sending");
    assert!(act.detail.contains("ap@acme.example, cfo@acme.example"), "{}", act.detail);

    let got = server.received();
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert_eq!(r.envelope["auth_user"], USER);
    assert_eq!(r.envelope["tls"], true, "STARTTLS before anything was sent");
    assert_eq!(r.envelope["mail_from"], FROM);
    assert_eq!(r.rcpt_tos(), vec!["ap@acme.example", "cfo@acme.example"]);
    let m = r.parsed();
    assert_eq!(m.subject(), Some(format!("Invoice {number} from Studio Nord").as_str()));
    assert_eq!(m.message_id(), Some(out.job.message_id.trim_matches(['<', '>'])));
    let from = m.from().unwrap().first().unwrap();
    assert_eq!((from.name(), from.address()), (Some("Studio Nord"), Some(FROM)));
    let to: Vec<_> = m.to().unwrap().iter().map(|a| a.address().unwrap().to_string()).collect();
    assert_eq!(to, vec!["ap@acme.example", "cfo@acme.example"]);
    assert_eq!(m.reply_to().unwrap().first().unwrap().address(), Some("ana@studio.example"));
    let date = m.date().expect("a Date header");
    assert_eq!((date.year, date.month, date.day), (2026, 5, 10), "dated by the books' clock");

    let text = m.body_text(0).unwrap();
    assert!(text.contains("Hello Müller & <Söhne>,"), "{text}");
    assert!(text.contains(&format!("invoice {number} over 1,190.00 EUR")), "{text}");
    assert!(text.contains("Pay online: https://pay.example/studio?ref=1&x=2"), "{text}");
    let html = m.body_html(0).unwrap();
    assert!(html.contains("Hello Müller &amp; &lt;Söhne&gt;,"), "user text escaped in HTML: {html}");
    assert!(!html.contains("<Söhne>"));
    assert!(html.contains("<a href=\"https://pay.example/studio?ref=1&amp;x=2\">"), "{html}");

    let att: Vec<_> = m.attachments().collect();
    assert_eq!(att.len(), 1);
    assert_eq!(att[0].attachment_name(), Some("invoice.pdf"));
    assert_eq!(
        att[0].content_type().map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or(""))).as_deref(),
        Some("application/pdf")
    );
    assert_eq!(att[0].contents(), pdf.bytes.as_slice(), "the PDF arrives byte for byte");

    // Sending an issued invoice again is a new email; it stays sent.
    let again = f.books.send_invoice(send(&number), None).unwrap();
    assert_eq!(again.state, "sent");
    assert_eq!(server.received().len(), 2);
    assert!(server.received()[1].parsed().attachments().next().is_none(), "--no-attach sends none");
}

#[test]
fn recipients_subject_and_message_can_be_overridden_and_a_copy_goes_to_me() {
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, PASSWORD);
    let (_, number) = draft(&mut f.books, "Acme GmbH");
    let out = f
        .books
        .send_invoice(
            SendInvoiceInput {
                invoice: number.clone(),
                to: vec!["boss@acme.example, ap@acme.example".into(), "boss@acme.example".into()],
                subject: s("Your invoice {invoice_number}"),
                message: s("Hi,\n\nhere it is: {total}, due {due_date}."),
                copy_me: true,
            },
            None,
        )
        .unwrap();
    assert_eq!(out.job.to, vec!["boss@acme.example", "ap@acme.example"]);
    let got = server.received();
    assert_eq!(got[0].rcpt_tos(), vec!["boss@acme.example", "ap@acme.example", FROM], "the copy is a blind one");
    let m = got[0].parsed();
    assert_eq!(m.subject(), Some(format!("Your invoice {number}").as_str()));
    assert!(m.bcc().is_none(), "no Bcc header leaks");
    assert!(m.body_text(0).unwrap().contains("here it is: 1,190.00 EUR, due 2026-06-09."));

    assert_invalid(f.books.send_invoice(SendInvoiceInput { to: vec!["nope".into()], ..send(&number) }, None), "to[1]");
    assert_invalid(
        f.books.send_invoice(SendInvoiceInput { subject: s("Invoice {nr}"), ..send(&number) }, None),
        "subject",
    );
    assert_eq!(server.received().len(), 1, "refused input sends nothing");
}

#[test]
fn with_the_server_down_the_email_waits_and_goes_out_exactly_once_when_it_is_back() {
    let mut f = Fixture::new(NOW);
    let port = mail_server::free_port();
    f.setup(port, PASSWORD);
    let (_, number) = draft(&mut f.books, "Acme GmbH");
    let pdf = f.pdf();

    let out = f.books.send_invoice(send(&number), Some(pdf.clone())).expect("queued, not an error");
    assert_eq!(out.state, "queued");
    assert_eq!(out.invoice.invoice.status, InvoiceStatus::Draft, "unsent until accepted");
    assert_eq!(out.job.last_error_code.as_deref(), Some("mail_connection_refused"));
    assert!(out.job.next_attempt_at.unwrap() > f.books.clock().now(), "retried later, with back-off");
    let e = assert_code(f.books.add_line(&number, line("Extra", "1", "5")), "conflict");
    assert!(e.to_string().contains("outbox"), "{e}");

    // Not due yet: nothing happens.
    let run = f.books.process_outbox().unwrap();
    assert!(run.results.is_empty());

    let server = f.server(Some(port));
    f.reopen("2026-05-10T09:05:00+02:00");
    let run = f.books.process_outbox().unwrap();
    assert_eq!(run.results.len(), 1);
    assert_eq!(run.results[0].state, "sent");
    assert_eq!(f.books.invoice(&number).unwrap().invoice.status, InvoiceStatus::Sent);
    let run = f.books.process_outbox().unwrap();
    assert!(run.results.is_empty());
    f.reopen("2026-05-11T09:00:00+02:00");
    f.books.process_outbox().unwrap();
    let got = server.received();
    assert_eq!(got.len(), 1, "delivered exactly once");
    let m = got[0].parsed();
    assert_eq!(m.attachments().next().unwrap().contents(), pdf.bytes.as_slice());
    let sent = f.books.outbox(Some("sent")).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].attempts, 2);
}

#[test]
fn a_wrong_password_is_an_authentication_error_and_nothing_is_marked_sent() {
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, "not-the-password");
    let (_, number) = draft(&mut f.books, "Acme GmbH");

    let e = assert_code(f.books.send_invoice(send(&number), None), "mail_authentication");
    let msg = e.to_body().message;
    assert!(msg.contains("rejected the username or password"), "{msg}");
    assert!(!msg.contains("not-the-password"), "the password is never in a message: {msg}");
    assert_eq!(f.books.invoice(&number).unwrap().invoice.status, InvoiceStatus::Draft);
    assert!(server.received().is_empty());
    let failed = f.books.outbox(Some("failed")).unwrap();
    assert_eq!(failed.len(), 1);
    // Failed jobs are not retried by themselves.
    f.reopen("2026-05-12T09:00:00+02:00");
    f.books.process_outbox().unwrap();
    assert!(server.received().is_empty());

    f.setup(server.port, PASSWORD);
    let run = f.books.retry_outbox(Some(failed[0].id)).unwrap();
    assert_eq!(run.results[0].state, "sent");
    assert_eq!(server.received().len(), 1);
    assert_eq!(f.books.invoice(&number).unwrap().invoice.status, InvoiceStatus::Sent);
}

#[test]
fn the_connection_test_names_the_step_that_failed() {
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, PASSWORD);
    let ok = f.books.test_mail().expect("connection test");
    assert!(ok.encrypted && ok.authenticated);
    assert!(server.received().is_empty(), "a test sends nothing");

    let base = |host: &str, port: u16, ca: Option<String>| MailSetupInput {
        host: host.into(),
        port: Some(port),
        security: s("starttls"),
        username: USER.into(),
        from_address: FROM.into(),
        ca_pem: ca,
        ..Default::default()
    };
    let ca = Some(f.ca.ca_pem.clone());
    f.books.mail_setup(base("mail.nonexistent.invalid", 587, ca.clone())).unwrap_err();
    f.keyring.set(&format!("{USER}@mail.nonexistent.invalid:587"), &Sensitive::new(PASSWORD.into())).unwrap();
    f.books.mail_setup(base("mail.nonexistent.invalid", 587, ca.clone())).unwrap();
    assert_code(f.books.test_mail(), "mail_dns");

    let closed = mail_server::free_port();
    f.keyring.set(&format!("{USER}@127.0.0.1:{closed}"), &Sensitive::new(PASSWORD.into())).unwrap();
    f.books.mail_setup(base("127.0.0.1", closed, ca.clone())).unwrap();
    assert_code(f.books.test_mail(), "mail_connection_refused");

    // Without the test CA the server's certificate is not trusted.
    f.books
        .mail_setup(MailSetupInput {
            password: Some(Sensitive::new(PASSWORD.into())),
            ..base("127.0.0.1", server.port, None)
        })
        .unwrap();
    let e = assert_code(f.books.test_mail(), "mail_tls");
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");

    f.setup(server.port, "wrong");
    assert_code(f.books.test_mail(), "mail_authentication");

    let picky = MailServer::start(
        &f.dir.path().join("picky"),
        &ServerOptions { reject_sender: Some(FROM.into()), ..f.server_options(None) },
    );
    f.setup(picky.port, PASSWORD);
    let e = assert_code(f.books.test_mail(), "mail_sender_refused");
    assert!(e.to_string().contains("553"), "{e}");
    // Moving to another server removes the old server's password.
    let old = format!("{USER}@127.0.0.1:{}", server.port);
    assert!(f.keyring.get(&old).unwrap().is_none(), "the password of a server no longer used stays behind");
    assert!(f.keyring.get(&format!("{USER}@127.0.0.1:{}", picky.port)).unwrap().is_some());
}

#[test]
fn a_send_interrupted_after_the_handover_is_never_repeated_and_one_before_it_is() {
    let mut f = Fixture::new(NOW);
    let port = mail_server::free_port();
    f.setup(port, PASSWORD);
    let (_, first) = draft(&mut f.books, "Acme GmbH");
    let (_, second) = draft(&mut f.books, "Beta Ltd");
    let a = f.books.send_invoice(send(&first), None).unwrap().job.id;
    let b = f.books.send_invoice(send(&second), None).unwrap().job.id;
    // As a process stopped mid-send leaves them: `a` after the server took
    // the message, `b` while still connecting.
    let c = f.books.raw();
    c.connection().execute("UPDATE outbox SET state = 'sending', phase = 'handed_over' WHERE id = ?1", [a]).unwrap();
    c.connection().execute("UPDATE outbox SET state = 'sending', phase = 'connecting' WHERE id = ?1", [b]).unwrap();
    drop(c);

    let server = f.server(Some(port));
    f.reopen("2026-05-10T09:01:00+02:00");
    let run = f.books.process_outbox().unwrap();
    assert_eq!(run.recovered.len(), 2);
    assert_eq!(f.books.invoice(&first).unwrap().invoice.status, InvoiceStatus::Sent, "recorded, not resent");
    assert_eq!(f.books.invoice(&second).unwrap().invoice.status, InvoiceStatus::Sent, "sent again, once");
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].parsed().subject().unwrap().contains(&second));
    f.books.process_outbox().unwrap();
    assert_eq!(server.received().len(), 1);
}

#[test]
fn outbox_jobs_can_be_cancelled_and_only_waiting_ones() {
    let mut f = Fixture::new(NOW);
    f.setup(mail_server::free_port(), PASSWORD);
    let (_, number) = draft(&mut f.books, "Acme GmbH");
    let job = f.books.send_invoice(send(&number), None).unwrap().job;
    let cancelled = f.books.cancel_outbox(job.id).unwrap();
    assert_eq!(cancelled.state, "cancelled");
    assert_code(f.books.cancel_outbox(job.id), "conflict");
    assert_code(f.books.retry_outbox(Some(job.id)), "conflict");
    assert_code(f.books.cancel_outbox(999), "not_found");
    // The draft can be edited again.
    f.books.add_line(&number, line("Extra", "1", "5")).unwrap();
    assert_invalid(f.books.outbox(Some("lost")), "state");
}

#[test]
fn templates_are_edited_checked_and_previewed() {
    let mut f = Fixture::new(NOW);
    let (_, number) = draft(&mut f.books, "Acme & Co");
    assert!(f.books.mail_templates().unwrap().iter().all(|t| t.is_default));
    assert_invalid(
        f.books.set_mail_template("reminder", TemplateInput { body: s("Pay {amount}!"), ..Default::default() }),
        "body",
    );
    let t = f
        .books
        .set_mail_template(
            "reminder",
            TemplateInput {
                subject: s("Nudge: {invoice_number}"),
                body: s("Dear {client_name}, {balance_due}."),
                reset: false,
            },
        )
        .unwrap();
    assert!(!t.is_default);
    let p = f.books.preview_mail("reminder", &number, None, None).unwrap();
    assert_eq!(p.subject, format!("Nudge: {number}"));
    assert_eq!(p.text, "Dear Acme & Co, 1,190.00 EUR.");
    assert!(p.html.contains("Dear Acme &amp; Co, 1,190.00 EUR."));
    let t = f.books.set_mail_template("reminder", TemplateInput { reset: true, ..Default::default() }).unwrap();
    assert!(t.is_default);
    assert_invalid(f.books.mail_template("thanks"), "template");
}

#[test]
fn reminders_with_a_fixed_today_go_out_as_scheduled_once_and_never_for_paid_or_cancelled() {
    // Issued 10 May, due 9 June (30 days).
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, PASSWORD);
    let (_, open) = draft(&mut f.books, "Open Ltd");
    let (_, paid) = draft(&mut f.books, "Paid Ltd");
    let (_, cancelled) = draft(&mut f.books, "Cancelled Ltd");
    let (_, _draft_only) = draft(&mut f.books, "Draft Ltd");
    let (quiet_client, quiet) = draft(&mut f.books, "Quiet Ltd");
    let (_, custom) = draft(&mut f.books, "Custom Ltd");
    for n in [&open, &paid, &cancelled, &quiet, &custom] {
        f.books.mark_sent(n).unwrap();
    }
    f.books.mark_paid(&paid).unwrap();
    f.books.cancel_invoice(&cancelled).unwrap();
    f.books
        .set_reminder_schedule(
            ScheduleScope::Client(quiet_client),
            ScheduleInput { enabled: Some(false), ..Default::default() },
        )
        .unwrap();
    let custom_id = f.books.invoice(&custom).unwrap().invoice.id;
    let sched = f
        .books
        .set_reminder_schedule(
            ScheduleScope::Invoice(custom_id),
            ScheduleInput { days_before: s("5"), days_after: s("2"), ..Default::default() },
        )
        .unwrap();
    assert_eq!(
        (sched.source.as_str(), sched.days_before.clone(), sched.days_after.clone()),
        ("invoice", vec![5], vec![2])
    );
    let business = f.books.reminder_schedule(ScheduleScope::Business).unwrap();
    assert_eq!((business.days_before, business.days_after), (vec![7, 3, 1], vec![1, 7, 14]));

    // 6 June: 3 days before the due date (custom: its 5-day point, 4 June).
    f.reopen("2026-06-06T08:00:00+02:00");
    let dry = f.books.run_reminders(true).unwrap();
    let mut due: Vec<(String, i64)> = dry.reminders.iter().map(|r| (r.invoice.clone(), r.offset_days)).collect();
    due.sort();
    let mut expected = vec![(open.clone(), -3), (custom.clone(), -5)];
    expected.sort();
    assert_eq!(due, expected);
    assert!(server.received().is_empty(), "a dry run sends nothing");

    let run = f.books.run_reminders(false).unwrap();
    assert_eq!(run.reminders.len(), 2);
    assert!(run.outbox.unwrap().results.iter().all(|r| r.state == "sent"));
    assert_eq!(server.received().len(), 2);
    let subjects: Vec<String> = server.received().iter().map(|r| r.parsed().subject().unwrap().to_string()).collect();
    assert!(subjects.contains(&format!("Reminder: invoice {open} is due on 2026-06-09")), "{subjects:?}");

    // Same day, again: nothing new. Next day: still the same point.
    assert!(f.books.run_reminders(false).unwrap().reminders.is_empty());
    f.reopen("2026-06-07T08:00:00+02:00");
    assert!(f.books.run_reminders(false).unwrap().reminders.is_empty());
    assert_eq!(server.received().len(), 2);

    // 16 June: 7 days overdue for `open` (the 1-day point was missed: only
    // the latest goes), 7 days for custom's 2-day point.
    f.reopen("2026-06-16T08:00:00+02:00");
    let run = f.books.run_reminders(false).unwrap();
    let mut due: Vec<(String, i64)> = run.reminders.iter().map(|r| (r.invoice.clone(), r.offset_days)).collect();
    due.sort();
    let mut expected = vec![(open.clone(), 7), (custom.clone(), 2)];
    expected.sort();
    assert_eq!(due, expected);
    let got = server.received();
    assert_eq!(got.len(), 4);
    let overdue = got
        .iter()
        .map(|r| r.parsed())
        .find(|m| m.subject().unwrap().contains(&open) && m.subject().unwrap().starts_with("Overdue"))
        .expect("an overdue email");
    assert!(overdue.body_text(0).unwrap().contains("now 7 days overdue"));
    for never in [&paid, &cancelled, &quiet] {
        assert!(got.iter().all(|r| !r.parsed().subject().unwrap().contains(never.as_str())), "{never} reminded");
    }
    let activity = f.books.invoice(&open).unwrap().activity;
    assert_eq!(activity.iter().filter(|a| a.kind == "reminder_sent").count(), 2);
}

#[test]
fn the_dry_run_lists_each_due_reminder_word_for_word_as_the_run_then_sends_it_and_writes_nothing() {
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, PASSWORD);
    f.books
        .set_mail_template(
            "reminder",
            TemplateInput {
                subject: s("{client_name}: {invoice_number} has {balance_due} of {total} open ({amount_paid} paid), \
                            due {due_date} in {days_until_due} days"),
                ..Default::default()
            },
        )
        .unwrap();
    let (_, part_paid) = draft(&mut f.books, "Part Paid Ltd");
    let (_, custom) = draft(&mut f.books, "Custom Ltd");
    let silent = f
        .books
        .create_client(ClientInput { name: s("No Mail Ltd"), currency: s("EUR"), ..Default::default() })
        .unwrap();
    let no_mail = manual_invoice(&mut f.books, silent.id, vec![line("Audit", "2", "500")]).invoice.number;
    for n in [&part_paid, &custom, &no_mail] {
        f.books.mark_sent(n).unwrap();
    }
    f.books.record_payment(&part_paid, billable_app::PaymentInput { amount: s("190"), ..Default::default() }).unwrap();
    let custom_id = f.books.invoice(&custom).unwrap().invoice.id;
    f.books
        .set_reminder_schedule(
            ScheduleScope::Invoice(custom_id),
            ScheduleInput { days_before: s("5"), days_after: s("2"), ..Default::default() },
        )
        .unwrap();

    // 6 June: the business's 3-day point for two, the invoice's own 5-day point (4 June) for one.
    f.reopen("2026-06-06T08:00:00+02:00");
    let dry = f.books.run_reminders(true).unwrap();
    assert!(dry.dry_run && dry.outbox.is_none());
    let seen: Vec<String> = dry
        .reminders
        .iter()
        .map(|r| {
            format!(
                "{} | {} | {} | {} | {} | {} | {} | {} | {:?} | {:?}",
                r.invoice,
                r.client_name,
                r.kind.as_str(),
                r.offset_days,
                r.due_date,
                r.scheduled_for,
                r.to.join(", "),
                r.subject,
                r.skipped,
                r.job_id
            )
        })
        .collect();
    let mails = "ap@acme.example, cfo@acme.example";
    let mut expected = vec![
        format!(
            "{part_paid} | Part Paid Ltd | reminder | -3 | 2026-06-09 | 2026-06-06 | {mails} | Part Paid Ltd: \
             {part_paid} has 1,000.00 EUR of 1,190.00 EUR open (190.00 EUR paid), due 2026-06-09 in 3 days | None | None"
        ),
        format!(
            "{custom} | Custom Ltd | reminder | -5 | 2026-06-09 | 2026-06-04 | {mails} | Custom Ltd: {custom} has \
             1,190.00 EUR of 1,190.00 EUR open (0.00 EUR paid), due 2026-06-09 in 3 days | None | None"
        ),
        format!(
            "{no_mail} | No Mail Ltd | reminder | -3 | 2026-06-09 | 2026-06-06 |  | No Mail Ltd: {no_mail} has \
             1,000.00 EUR of 1,000.00 EUR open (0.00 EUR paid), due 2026-06-09 in 3 days | \
             Some(\"client No Mail Ltd has no billing email\") | None"
        ),
    ];
    // Listed by due date, then as the invoices were made.
    expected.sort_by_key(|l| [&part_paid, &custom, &no_mail].iter().position(|n| l.starts_with(n.as_str())));
    assert_eq!(seen, expected);
    assert!(server.received().is_empty(), "a dry run sends nothing");
    assert!(f.books.outbox(None).unwrap().is_empty(), "a dry run queues nothing");
    assert_eq!(f.books.run_reminders(true).unwrap().reminders.len(), 3, "and records nothing");

    // The run sends what the dry run listed, with the subjects it showed.
    let run = f.books.run_reminders(false).unwrap();
    assert_eq!(run.reminders.len(), 3);
    for (d, r) in dry.reminders.iter().zip(&run.reminders) {
        assert_eq!((&d.invoice, &d.subject, &d.to, &d.skipped), (&r.invoice, &r.subject, &r.to, &r.skipped));
        assert_eq!(r.job_id.is_some(), r.skipped.is_none());
    }
    let mut subjects: Vec<String> =
        server.received().iter().map(|m| m.parsed().subject().unwrap().to_string()).collect();
    subjects.sort();
    let mut shown: Vec<String> =
        dry.reminders.iter().filter(|r| r.skipped.is_none()).map(|r| r.subject.clone()).collect();
    shown.sort();
    assert_eq!(subjects, shown);
    let body = server.received().iter().map(|m| m.parsed().body_text(0).unwrap().to_string()).collect::<Vec<_>>();
    assert!(body.iter().all(|b| b.contains("https://pay.example/studio?ref=1&x=2")), "{body:?}");
    // Now recorded: the skipped one stays listed, the others are done.
    let again = f.books.run_reminders(true).unwrap();
    assert_eq!(again.reminders.iter().map(|r| r.invoice.clone()).collect::<Vec<_>>(), vec![no_mail]);
}

/// Every row of every table, as text: what a run that writes nothing leaves as it was.
fn snapshot(b: &Books) -> Vec<String> {
    let c = b.raw();
    let c = c.connection();
    let mut out = Vec::new();
    for t in b.tables() {
        let mut st = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count().unwrap();
        let rows = st
            .query_map([], |r| {
                let cells: Vec<String> = (0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>();
                Ok(format!("{t}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

fn count(b: &Books, sql: &str) -> i64 {
    b.scalar(sql)
}

fn fees(entries: &[(u32, &str)]) -> Option<Vec<StepFeeInput>> {
    Some(entries.iter().map(|(d, f)| StepFeeInput { days_after: *d, fee: f.to_string() }).collect())
}

#[test]
fn a_late_fee_is_its_own_issued_invoice_made_once_per_invoice_and_step() {
    // Issued 10 May, due 9 June, 1,190.00 EUR open. Steps after the due
    // date: 1, 7 (reminder 2: 1.5 % of the balance) and 14 (reminder 3: 5.00).
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, PASSWORD);
    let (client_id, number) = draft(&mut f.books, "Late Ltd");
    f.books.mark_sent(&number).unwrap();
    let sched = f
        .books
        .set_reminder_schedule(
            ScheduleScope::Business,
            ScheduleInput { late_fees: fees(&[(7, "1.5%"), (14, "5.00")]), ..Default::default() },
        )
        .unwrap();
    assert_eq!(
        sched.late_fees.iter().map(|s| (s.days_after, s.fee.to_string())).collect::<Vec<_>>(),
        [(7, "1.5%".to_string()), (14, "5.00".to_string())]
    );

    // 16 June, 7 days overdue. The dry run shows the fee and writes nothing.
    f.reopen("2026-06-16T08:00:00+02:00");
    let before = snapshot(&f.books);
    let dry = f.books.run_reminders(true).unwrap();
    assert_eq!(snapshot(&f.books), before, "a dry run writes nothing");
    assert_eq!(dry.reminders.len(), 1);
    let fee = dry.reminders[0].late_fee.clone().expect("the fee it would add");
    assert_eq!((fee.step, fee.amount, fee.currency.code(), fee.fee_invoice), (2, dec("17.85"), "EUR", None));
    assert!(server.received().is_empty());

    // The run invoices it: one line, issued at once, same client, currency and tax mode.
    let run = f.books.run_reminders(false).unwrap();
    let fee_number = run.reminders[0].late_fee.clone().unwrap().fee_invoice.expect("invoiced");
    assert_ne!(fee_number, number);
    let original = f.books.invoice(&number).unwrap();
    let fee_inv = f.books.invoice(&fee_number).unwrap();
    assert_eq!(fee_inv.invoice.status, InvoiceStatus::Sent);
    assert_eq!(fee_inv.invoice.client_id, client_id);
    assert_eq!(fee_inv.invoice.currency, original.invoice.currency);
    assert_eq!(fee_inv.invoice.tax_mode, original.invoice.tax_mode);
    assert_eq!(fee_inv.lines.len(), 1);
    assert_eq!(fee_inv.lines[0].description, format!("Late fee for {number}, reminder 2"));
    assert_eq!((fee_inv.invoice.total, fee_inv.invoice.balance_due), (dec("17.85"), dec("17.85")));
    assert_eq!(original.invoice.total, dec("1190.00"), "the reminded invoice is frozen");
    assert_eq!(original.invoice.balance_due, dec("1190.00"));
    // Numbered from the normal sequence: the next number after the invoice's.
    let next = |n: &str| {
        let (head, seq) = n.rsplit_once('-').unwrap();
        format!("{head}-{:0width$}", seq.parse::<u32>().unwrap() + 1, width = seq.len())
    };
    assert_eq!(fee_number, next(&number));

    // The reminder names the fee and carries the fee invoice's PDF; the
    // first overdue notice, before any fee, says nothing of one.
    let got = server.received();
    let m = got.last().expect("the reminder went out").parsed();
    let text = m.body_text(0).unwrap();
    assert!(
        text.contains(&format!("A late fee of 17.85 EUR is charged on the attached invoice {fee_number}.")),
        "{text}"
    );
    let files: Vec<String> = m.attachments().filter_map(|a| a.attachment_name().map(str::to_string)).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].contains(&fee_number) && files[0].ends_with(".pdf"), "{files:?}");
    let pdf = m.attachments().next().unwrap().contents();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");

    // The activity of both.
    let entry = original.activity.iter().find(|a| a.kind == "late_fee_invoiced").expect("listed on the invoice");
    assert_eq!(entry.detail, format!("Late fee of 17.85 EUR invoiced as {fee_number} (reminder 2)"));
    let facts = entry.facts.clone().unwrap();
    assert_eq!((facts.amount, facts.number.as_deref(), facts.count), (Some(dec("17.85")), Some(&*fee_number), Some(2)));
    let own = fee_inv.activity.iter().find(|a| a.kind == "created").expect("its own activity");
    assert_eq!(own.detail, format!("Late fee of 17.85 EUR for {number}, reminder 2; issued at once"));
    assert_eq!(own.facts.clone().unwrap().how.as_deref(), Some("late_fee"));

    // Twice the same day, and again when the reminder record is gone (as if
    // another process had sent it): still exactly one fee for the step.
    assert!(f.books.run_reminders(false).unwrap().reminders.is_empty());
    let fee_sql = format!("SELECT count(*) FROM late_fee_invoices WHERE invoice_id = {}", original.invoice.id);
    assert_eq!(count(&f.books, &fee_sql), 1);
    f.books.execute("DELETE FROM sent_reminders").unwrap();
    let again = f.books.run_reminders(false).unwrap();
    assert_eq!(again.reminders[0].late_fee.clone().unwrap().fee_invoice.as_deref(), Some(&*fee_number));
    assert_eq!(count(&f.books, &fee_sql), 1);
    assert_eq!(count(&f.books, "SELECT count(*) FROM invoices"), 2);
    let dup = f.books.execute(&format!(
        "INSERT INTO late_fee_invoices (invoice_id, days_after, fee_invoice_id, created_at)
         VALUES ({}, 7, {}, 0)",
        original.invoice.id, original.invoice.id
    ));
    assert!(dup.is_err(), "the primary key refuses a second fee for one (invoice, step)");

    // 23 June, 14 days overdue: the fixed fee of reminder 3, 5.00.
    f.reopen("2026-06-23T08:00:00+02:00");
    let dry = f.books.run_reminders(true).unwrap();
    let due: Vec<(String, Option<String>)> =
        dry.reminders.iter().map(|r| (r.invoice.clone(), r.late_fee.as_ref().map(|f| f.amount.to_string()))).collect();
    assert_eq!(due, [(number.clone(), Some("5.00".to_string()))], "the fee invoice is never charged a fee");
    let run = f.books.run_reminders(false).unwrap();
    let fixed = run.reminders[0].late_fee.clone().unwrap();
    assert_eq!((fixed.step, fixed.amount), (3, dec("5.00")));
    let fixed_inv = f.books.invoice(fixed.fee_invoice.as_deref().unwrap()).unwrap();
    assert_eq!(fixed_inv.invoice.total, dec("5.00"));
    assert_eq!(fixed_inv.lines[0].description, format!("Late fee for {number}, reminder 3"));
    assert_eq!(count(&f.books, &fee_sql), 2);
    let listed = f.books.invoice(&number).unwrap().activity;
    assert_eq!(listed.iter().filter(|a| a.kind == "late_fee_invoiced").count(), 2);
}

#[test]
fn late_fees_are_checked_by_step_and_a_refused_one_writes_nothing() {
    let mut f = Fixture::new(NOW);
    let before = snapshot(&f.books);
    let e = assert_invalid(
        f.books.set_reminder_schedule(
            ScheduleScope::Business,
            ScheduleInput { days_after: s("1,7"), late_fees: fees(&[(7, "5.00"), (9, "1%")]), ..Default::default() },
        ),
        "late_fee",
    );
    assert!(e.to_string().contains("9 days after the due date is not a step"), "{e}");
    assert_invalid(
        f.books.set_reminder_schedule(
            ScheduleScope::Business,
            ScheduleInput { late_fees: fees(&[(7, "1,5 %")]), ..Default::default() },
        ),
        "late_fee",
    );
    assert_eq!(snapshot(&f.books), before, "a refused schedule writes nothing");
    // A step dropped from the schedule drops its fee; an empty fee removes one.
    f.books
        .set_reminder_schedule(
            ScheduleScope::Business,
            ScheduleInput { late_fees: fees(&[(7, "5.00"), (14, "2%")]), ..Default::default() },
        )
        .unwrap();
    let v = f
        .books
        .set_reminder_schedule(ScheduleScope::Business, ScheduleInput { days_after: s("1,7"), ..Default::default() })
        .unwrap();
    assert_eq!(v.late_fees.iter().map(|s| s.days_after).collect::<Vec<_>>(), [7]);
    let v = f
        .books
        .set_reminder_schedule(
            ScheduleScope::Business,
            ScheduleInput { late_fees: fees(&[(7, "")]), ..Default::default() },
        )
        .unwrap();
    assert!(v.late_fees.is_empty());
}

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

#[test]
fn two_processes_running_reminders_at_once_invoice_one_late_fee() {
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, PASSWORD);
    let (_, number) = draft(&mut f.books, "Twice Ltd");
    f.books.mark_sent(&number).unwrap();
    f.books
        .set_reminder_schedule(
            ScheduleScope::Business,
            ScheduleInput { late_fees: fees(&[(7, "1.5%")]), ..Default::default() },
        )
        .unwrap();
    let at = "2026-06-16T08:00:00+02:00";
    f.reopen(at);
    let mut other = f.books.open_another(at);
    other.use_secret_store(f.keyring.clone());
    let (a, b) = std::thread::scope(|s| {
        let one = s.spawn(|| f.books.run_reminders(false).map(|r| r.reminders.len()));
        let two = s.spawn(|| other.run_reminders(false).map(|r| r.reminders.len()));
        (one.join().unwrap(), two.join().unwrap())
    });
    // One of them queued the reminder; the other found it recorded (or
    // found the outbox busy) and made nothing.
    let made: usize = [&a, &b].iter().map(|r| r.as_ref().map_or(0, |n| *n)).sum();
    assert_eq!(made, 1, "{a:?} {b:?}");
    assert_eq!(count(&f.books, "SELECT count(*) FROM late_fee_invoices"), 1);
    assert_eq!(count(&f.books, "SELECT count(*) FROM invoices"), 2);
    assert_eq!(count(&f.books, "SELECT count(*) FROM invoices WHERE total_minor = 1785"), 1);
}
