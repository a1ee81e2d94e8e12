//! Building the email: headers, a plain-text body with its HTML alternative
//! (user text escaped), an optional attachment, and a stable Message-ID.
//! The result is the exact bytes to hand to the server, so what is queued
//! in the outbox is byte for byte what is sent.

use std::time::SystemTime;

use billable_core::model::validate_email;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use serde::Serialize;

use crate::error::{MailError, MailResult};
use crate::settings::SmtpSettings;

/// A file attached to an email (the invoice PDF).
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Attachment {
    pub fn pdf(file_name: impl Into<String>, bytes: Vec<u8>) -> Attachment {
        Attachment { file_name: file_name.into(), content_type: "application/pdf".into(), bytes }
    }
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// What to send, before it becomes MIME.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub to: Vec<String>,
    /// A blind copy to the sender ("copy to self").
    pub bcc: Vec<String>,
    pub subject: String,
    /// The message as plain text; the HTML alternative is made from it.
    pub text: String,
    /// Text in `text` to show as a link in HTML (e.g. the payment link).
    pub link: Option<String>,
    pub attachment: Option<Attachment>,
    /// Unique per email, kept across retries: `<…@domain>`.
    pub message_id: String,
    pub date: SystemTime,
}

/// An email ready for the server.
#[derive(Debug, Clone, Serialize)]
pub struct Built {
    pub message_id: String,
    pub envelope_from: String,
    /// Every envelope recipient (To and Bcc).
    pub recipients: Vec<String>,
    #[serde(skip)]
    pub mime: Vec<u8>,
}

/// A new Message-ID in the sender's domain.
pub fn new_message_id(from_address: &str) -> String {
    let domain = from_address.rsplit_once('@').map(|(_, d)| d).unwrap_or("billable.invalid");
    format!("<{}.billable@{}>", uuid::Uuid::new_v4().simple(), domain)
}

fn mailbox(field: &str, name: Option<&str>, address: &str) -> MailResult<Mailbox> {
    if name.is_some_and(|n| n.chars().any(char::is_control)) {
        return Err(MailError::invalid(&format!("{field}_name"), "must be one line without control characters"));
    }
    let address = validate_email(field, address).map_err(|e| MailError::invalid(field, e.to_string()))?;
    let addr =
        address.parse().map_err(|e| MailError::invalid(field, format!("'{address}' is not an email address ({e})")))?;
    Ok(Mailbox::new(name.map(str::to_string).filter(|n| !n.trim().is_empty()), addr))
}

/// The HTML alternative: the text escaped, paragraphs on blank lines, line
/// breaks kept, and `link` (when it is an http(s) URL) made clickable.
pub fn html_of(text: &str, link: Option<&str>) -> String {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n\
         <body style=\"font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; font-size: 15px; \
         line-height: 1.5; color: #1f2328;\">\n",
    );
    let link = link.filter(|l| l.starts_with("https://") || l.starts_with("http://"));
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let mut escaped = html_escape::encode_text(para).replace('\n', "<br>\n");
        if let Some(l) = link {
            let e = html_escape::encode_text(l).to_string();
            let a = format!("<a href=\"{}\">{}</a>", html_escape::encode_double_quoted_attribute(l), e);
            escaped = escaped.replace(&e, &a);
        }
        html.push_str("<p>");
        html.push_str(&escaped);
        html.push_str("</p>\n");
    }
    html.push_str("</body></html>\n");
    html
}

/// Builds the MIME message from the settings (sender, reply-to) and `out`.
pub fn build(settings: &SmtpSettings, out: &Outgoing) -> MailResult<Built> {
    if out.to.is_empty() {
        return Err(MailError::invalid("to", "at least one recipient is required"));
    }
    if out.subject.contains(['\r', '\n']) {
        return Err(MailError::invalid("subject", "must be one line"));
    }
    let from = mailbox("from", Some(&settings.from_name), &settings.from_address)?;
    let mut b = Message::builder()
        .message_id(Some(out.message_id.clone()))
        .date(out.date)
        .from(from)
        .subject(out.subject.clone())
        .user_agent(format!("Billable {}", env!("CARGO_PKG_VERSION")));
    for (i, to) in out.to.iter().enumerate() {
        b = b.to(mailbox(&format!("to[{}]", i + 1), None, to)?);
    }
    for (i, bcc) in out.bcc.iter().enumerate() {
        b = b.bcc(mailbox(&format!("bcc[{}]", i + 1), None, bcc)?);
    }
    if let Some(r) = &settings.reply_to {
        b = b.reply_to(mailbox("reply_to", None, r)?);
    }
    let text = out.text.replace("\r\n", "\n");
    let alternative = MultiPart::alternative_plain_html(text.clone(), html_of(&text, out.link.as_deref()));
    let body = match &out.attachment {
        None => alternative,
        Some(a) => {
            let ct = ContentType::parse(&a.content_type)
                .map_err(|e| MailError::invalid("attachment", format!("bad content type {}: {e}", a.content_type)))?;
            let part: SinglePart = MimeAttachment::new(a.file_name.clone()).body(a.bytes.clone(), ct);
            MultiPart::mixed().multipart(alternative).singlepart(part)
        }
    };
    let msg = b.multipart(body).map_err(|e| MailError::Build(e.to_string()))?;
    let env = msg.envelope();
    Ok(Built {
        message_id: out.message_id.clone(),
        envelope_from: env.from().map(|a| a.to_string()).unwrap_or_default(),
        recipients: env.to().iter().map(|a| a.to_string()).collect(),
        mime: msg.formatted(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Security;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "smtp.example.com".into(),
            port: 587,
            security: Security::Starttls,
            username: "me".into(),
            from_address: "billing@studio.example".into(),
            from_name: "Studio Nord".into(),
            reply_to: Some("ana@studio.example".into()),
            extra_root_pem: None,
        }
    }

    fn outgoing() -> Outgoing {
        Outgoing {
            to: vec!["a@acme.example".into(), "b@acme.example".into()],
            bcc: vec!["billing@studio.example".into()],
            subject: "Invoice INV-1 from Studio Nord".into(),
            text: "Hello <Acme & Co>,\n\nPay online: https://pay.example/x?a=1&b=2\n\nBye".into(),
            link: Some("https://pay.example/x?a=1&b=2".into()),
            attachment: Some(Attachment::pdf("INV-1.pdf", b"%PDF-1.4 fake".to_vec())),
            message_id: new_message_id("billing@studio.example"),
            date: SystemTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_sender_name_with_control_characters_is_refused_naming_it() {
        // Found by fuzzing: a NUL in the sender's name made the From header
        // unreadable, and the message failed to build without naming a field.
        let mut s = settings();
        s.from_name = "Studio\0Nord".into();
        let out = Outgoing {
            to: vec!["a@acme.example".into()],
            bcc: vec![],
            subject: "Invoice".into(),
            text: "Hello".into(),
            link: None,
            attachment: None,
            message_id: new_message_id("billing@studio.example"),
            date: SystemTime::UNIX_EPOCH,
        };
        for e in [s.validate().unwrap_err(), build(&s, &out).unwrap_err()] {
            assert!(matches!(&e, MailError::Invalid { field, .. } if field == "from_name"), "{e:?}");
        }
        // Quotes and angle brackets in a name are fine: they are encoded.
        s.from_name = "Studio \"Nord\" <Billing> & Co.".into();
        s.validate().unwrap();
        let built = build(&s, &out).unwrap();
        assert_eq!(built.envelope_from, "billing@studio.example");
    }

    #[test]
    fn the_message_has_headers_alternatives_and_the_attachment() {
        let out = outgoing();
        let b = build(&settings(), &out).unwrap();
        let mime = String::from_utf8(b.mime.clone()).unwrap();
        assert!(mime.contains(&format!("Message-ID: {}", out.message_id)), "{mime}");
        assert!(mime.contains("From: \"Studio Nord\" <billing@studio.example>"), "{mime}");
        assert!(mime.contains("To: a@acme.example, b@acme.example"), "{mime}");
        assert!(mime.contains("Reply-To: ana@studio.example"), "{mime}");
        assert!(!mime.contains("Bcc:"), "the blind copy stays blind: {mime}");
        assert!(mime.contains("multipart/alternative") && mime.contains("multipart/mixed"));
        assert!(mime.contains("filename=\"INV-1.pdf\""));
        assert_eq!(b.recipients, vec!["a@acme.example", "b@acme.example", "billing@studio.example"]);
        assert_eq!(b.envelope_from, "billing@studio.example");
    }

    #[test]
    fn user_text_is_escaped_in_html_and_the_link_is_clickable() {
        let h = html_of("Hello <Acme & Co>,\n\nPay: https://p.example/?a=1&b=2", Some("https://p.example/?a=1&b=2"));
        assert!(h.contains("Hello &lt;Acme &amp; Co&gt;,"), "{h}");
        assert!(!h.contains("<Acme"));
        assert!(h.contains("<a href=\"https://p.example/?a=1&amp;b=2\">https://p.example/?a=1&amp;b=2</a>"), "{h}");
        let h = html_of("<script>alert(1)</script>", Some("javascript:alert(1)"));
        assert!(!h.contains("<script>") && !h.contains("<a "), "{h}");
    }

    #[test]
    fn a_message_needs_recipients_and_a_one_line_subject() {
        let mut o = outgoing();
        o.to.clear();
        assert!(matches!(build(&settings(), &o), Err(MailError::Invalid { field, .. }) if field == "to"));
        let mut o = outgoing();
        o.to = vec!["not-an-address".into()];
        assert!(matches!(build(&settings(), &o), Err(MailError::Invalid { field, .. }) if field == "to[1]"));
        let mut o = outgoing();
        o.subject = "Bcc: evil@x.example\r\nX".into();
        assert!(build(&settings(), &o).is_err());
    }

    #[test]
    fn message_ids_are_unique_in_the_senders_domain() {
        let a = new_message_id("billing@studio.example");
        assert!(a.starts_with('<') && a.ends_with("@studio.example>"));
        assert_ne!(a, new_message_id("billing@studio.example"));
    }
}
