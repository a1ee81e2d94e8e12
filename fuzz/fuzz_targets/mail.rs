//! Email templates and messages as typed: a template whose placeholders
//! check out always renders; a message is refused naming its field (sender,
//! recipients, reply-to, subject, SMTP settings) or built. One field per
//! line: subject, body, then sender, recipient, reply-to, sender name, host,
//! username and payment link.
#![no_main]

use std::time::SystemTime;

use billable_mail::message::{build, html_of, new_message_id, Attachment, Outgoing};
use billable_mail::settings::{Security, SmtpSettings};
use billable_mail::template::{render, Placeholders, Template, TemplateKind, PLACEHOLDERS};
use billable_mail::MailError;
use libfuzzer_sys::fuzz_target;

fn named(what: &str, e: MailError) {
    match e {
        MailError::Invalid { field, message } => assert!(!field.is_empty() && !message.is_empty(), "{what}"),
        other => panic!("{what}: typed input is refused as invalid, not with {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(fields) = billable_fuzz::fields(data) else { return };
    let field = |i: usize| fields.get(i).copied().unwrap_or("").to_string();
    let body = fields.get(1..).map(|b| b.join("\n")).unwrap_or_default();
    let mut values = Placeholders::new();
    for (i, (name, _)) in PLACEHOLDERS.iter().enumerate() {
        // Some placeholders empty (their lines are left out), some with braces.
        let v = match i % 3 {
            0 => String::new(),
            1 => format!("{{{name}}}"),
            _ => field(i + 2),
        };
        values.set(name, v);
    }
    for kind in [TemplateKind::Invoice, TemplateKind::Reminder, TemplateKind::Overdue] {
        let t = Template { kind, subject: field(0), body: body.clone() };
        match t.validate() {
            Ok(()) => {
                let subject = render("subject", &t.subject, &values);
                let text = render("body", &t.body, &values);
                assert!(subject.is_ok(), "a valid subject does not render: {subject:?}");
                assert!(text.is_ok(), "a valid body does not render: {text:?}");
            }
            Err(e) => named("template", e),
        }
    }
    let link = field(8);
    let html = html_of(&body, Some(&link));
    assert!(html.ends_with("</body></html>\n"));
    let settings = SmtpSettings {
        host: field(6),
        port: 587,
        security: Security::Starttls,
        username: field(7),
        from_address: field(2),
        from_name: field(5),
        reply_to: Some(field(4)).filter(|r| !r.is_empty()),
        extra_root_pem: None,
    };
    if let Err(e) = settings.validate() {
        named("settings", e);
    }
    let out = Outgoing {
        to: vec![field(3)],
        bcc: vec![],
        subject: field(0),
        text: body.clone(),
        link: Some(link),
        attachment: Some(Attachment::pdf(format!("{}.pdf", field(5)), b"%PDF-1.7".to_vec())),
        message_id: new_message_id(&field(2)),
        date: SystemTime::UNIX_EPOCH,
    };
    match build(&settings, &out) {
        Ok(b) => assert!(!b.mime.is_empty() && b.recipients.len() == 1),
        Err(e) => named("message", e),
    }
});
