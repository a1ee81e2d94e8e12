//! An estimate emailed through the outbox (`src/mail/estimates.rs`) to a
//! real SMTP server on loopback (aiosmtpd with STARTTLS and AUTH): what
//! arrives (the estimate's PDF, the template filled in), the draft becoming
//! sent only once the server accepted it, the server being down, and the
//! estimates that are refused with nothing queued.

use std::process::Command;

use billable_app::core::estimate::{EstimateDisplay, EstimateStatus};
use billable_app::mail::{SendEstimateInput, TemplateInput};
use billable_app::{Attachment, Billable, ClientInput, ConvertInput, EstimateHeaderInput, EstimateInput};
use mail_parser::MimeHeaders;

use crate::estimates::{estimate, vat19};
use crate::mail::{mail_server, Fixture};
use crate::support::*;

/// A client with a billing email and its draft estimate of 1,000.00 net at
/// 19 % (1,190.00 EUR), valid until 31 May 2026.
fn draft_estimate(b: &mut Billable, name: &str, emails: &[&str]) -> String {
    let c = b
        .create_client(ClientInput {
            name: s(name),
            currency: s("EUR"),
            emails: Some(emails.iter().map(|e| e.to_string()).collect()),
            ..Default::default()
        })
        .unwrap();
    let known = b.tax_rates(false).unwrap().into_iter().find(|r| r.tax.name == "VAT 19%").map(|r| r.id);
    let tax = known.unwrap_or_else(|| vat19(b));
    estimate(b, c.id, tax).estimate.number
}

fn send(number: &str) -> SendEstimateInput {
    SendEstimateInput { estimate: number.to_string(), ..Default::default() }
}

fn with_pdf(b: &mut Billable, number: &str) -> Option<Attachment> {
    let pdf = b.default_estimate_attachment(number).expect("the estimate's PDF");
    assert!(pdf.is_some(), "an estimate's email carries its PDF");
    pdf
}

/// The text of a PDF, by poppler's pdftotext.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("attached.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn an_estimate_arrives_with_its_pdf_and_the_template_filled_in_and_the_draft_becomes_sent() {
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, mail_server::PASSWORD);
    let number = draft_estimate(&mut f.books, "Müller & Söhne", &["ap@mueller.example"]);
    assert_eq!(number, "EST-2026-0001");
    let pdf = with_pdf(&mut f.books, &number);

    let out = f.books.send_estimate(send(&number), pdf.clone()).expect("send the estimate");
    assert_eq!(out.state, "sent");
    assert_eq!(out.job.kind, "estimate");
    assert_eq!(out.job.estimate_number.as_deref(), Some(number.as_str()));
    assert_eq!(out.job.invoice_id, None);
    assert_eq!(out.estimate.estimate.status, EstimateStatus::Sent, "accepted by the server: the draft is sent");
    assert_eq!(out.estimate.display_status, EstimateDisplay::Sent);
    assert!(out.estimate.estimate.sent_at.is_some());
    assert_eq!(out.estimate.emails.len(), 1, "the estimate keeps its email");
    assert_eq!(
        (out.estimate.emails[0].state.as_str(), out.estimate.emails[0].to.clone()),
        ("sent", vec!["ap@mueller.example".to_string()])
    );

    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos(), vec!["ap@mueller.example"]);
    let m = got[0].parsed();
    assert_eq!(m.subject(), Some("Estimate EST-2026-0001 from Studio Nord"));
    let text = m.body_text(0).unwrap();
    assert!(text.contains("Hello Müller & Söhne,"), "{text}");
    assert!(text.contains("estimate EST-2026-0001 over 1,190.00 EUR. It is valid until 2026-05-31."), "{text}");
    assert!(!text.contains('{') && !text.contains('}'), "every placeholder filled: {text}");
    assert!(!text.contains("pay.example"), "an estimate asks for no payment: {text}");

    let att: Vec<_> = m.attachments().collect();
    assert_eq!(att.len(), 1);
    assert_eq!(att[0].attachment_name(), Some("EST-2026-0001.pdf"));
    assert_eq!(
        att[0].content_type().map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or(""))).as_deref(),
        Some("application/pdf")
    );
    let bytes = att[0].contents();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    assert_eq!(bytes, pdf.unwrap().bytes.as_slice(), "the PDF arrives byte for byte");
    let words = pdf_text(bytes);
    // The title and labels are drawn in capitals: "ESTIMATE", "VALID UNTIL".
    let first = words.lines().next().unwrap_or_default();
    assert_eq!(first.trim().to_lowercase(), "estimate", "titled Estimate: {words}");
    assert!(words.contains("ESTIMATE NUMBER") && words.contains("VALID UNTIL"), "{words}");
    assert!(words.contains("EST-2026-0001") && words.contains("May 31, 2026"), "{words}");
    assert!(words.contains("€1,190.00"), "{words}");
    assert!(!words.to_lowercase().contains("invoice"), "not an invoice: {words}");

    // The outbox lists it with its estimate.
    let listed = f.books.outbox(Some("sent")).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].estimate_number.as_deref(), Some("EST-2026-0001"));

    // An edited template; a sent estimate is emailed again (it stays sent),
    // to a typed recipient with a blind copy to me.
    f.books
        .set_mail_template(
            "estimate",
            TemplateInput {
                subject: s("Quote {estimate_number} for {client_name}"),
                body: s("Dear {contact_person}\nTotal: {total} ({currency}), offer dated {issue_date}, valid to {valid_until}.\n{business_name}"),
                reset: false,
            },
        )
        .unwrap();
    let pdf = with_pdf(&mut f.books, &number);
    let again = f
        .books
        .send_estimate(
            SendEstimateInput { to: vec!["boss@mueller.example".into()], copy_me: true, ..send(&number) },
            pdf,
        )
        .unwrap();
    assert_eq!(again.state, "sent");
    assert_eq!(again.estimate.estimate.status, EstimateStatus::Sent);
    assert_eq!(again.estimate.emails.len(), 2);
    let got = server.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].rcpt_tos(), vec!["boss@mueller.example", "billing@studio.example"]);
    let m = got[1].parsed();
    assert_eq!(m.subject(), Some("Quote EST-2026-0001 for Müller & Söhne"));
    let text = m.body_text(0).unwrap().replace("\r\n", "\n");
    assert_eq!(
        text.trim_end(),
        "Total: 1,190.00 EUR (EUR), offer dated 2026-05-10, valid to 2026-05-31.\nStudio Nord",
        "the line of the empty contact person is left out"
    );
    // A placeholder of an invoice's email is refused in an estimate's, naming the field.
    assert_invalid(
        f.books.send_estimate(SendEstimateInput { subject: s("{due_date}"), ..send(&number) }, None),
        "subject",
    );
    assert_eq!(server.received().len(), 2);
}

#[test]
fn converted_declined_and_expired_estimates_and_bad_addresses_are_refused_with_nothing_queued() {
    let mut f = Fixture::new(NOW);
    let server = f.server(None);
    f.setup(server.port, mail_server::PASSWORD);

    // Converted in full: the invoice is what the client gets now.
    let converted = draft_estimate(&mut f.books, "Acme GmbH", &["ap@acme.example"]);
    f.books.mark_estimate_sent(&converted).unwrap();
    f.books.accept_estimate(&converted).unwrap();
    let invoice = f
        .books
        .convert_estimate(ConvertInput { estimate: converted.clone(), ..Default::default() })
        .unwrap()
        .invoice
        .invoice
        .number;
    let pdf = with_pdf(&mut f.books, &converted);
    let e = assert_code(f.books.send_estimate(send(&converted), pdf), "conflict");
    assert!(e.to_string().contains(&format!("{converted} is converted into invoice {invoice}")), "{e}");

    // Declined.
    let declined = draft_estimate(&mut f.books, "Globex AG", &["ap@globex.example"]);
    f.books.decline_estimate(&declined).unwrap();
    let e = assert_code(f.books.send_estimate(send(&declined), None), "conflict");
    assert!(e.to_string().contains("was declined"), "{e}");

    // Past its validity date: the date to move is named.
    let c = f.books.find_client("Globex AG").unwrap().id;
    let old = f
        .books
        .create_estimate(EstimateInput {
            client_id: c,
            header: EstimateHeaderInput {
                issue_date: s("2026-04-01"),
                valid_until: s("2026-04-30"),
                ..Default::default()
            },
            lines: vec![line("Audit", "1", "500")],
            ..Default::default()
        })
        .unwrap()
        .estimate
        .number;
    let e = assert_invalid(f.books.send_estimate(send(&old), None), "valid_until");
    assert!(e.to_string().contains("expired after 2026-04-30"), "{e}");

    // Bad recipients name the field; a client without an email too.
    let open = draft_estimate(&mut f.books, "Initech", &[]);
    assert_invalid(f.books.send_estimate(send(&open), None), "to");
    assert_invalid(
        f.books.send_estimate(
            SendEstimateInput { to: vec!["ok@initech.example, not-an-address".into()], ..send(&open) },
            None,
        ),
        "to[2]",
    );

    assert!(f.books.outbox(None).unwrap().is_empty(), "nothing queued");
    assert!(server.received().is_empty(), "nothing sent");
    assert_eq!(f.books.estimate(&open).unwrap().estimate.status, EstimateStatus::Draft);
    assert_eq!(f.books.estimate(&old).unwrap().estimate.status, EstimateStatus::Draft);
    assert!(f.books.estimate(&open).unwrap().emails.is_empty());
}

#[test]
fn with_the_server_down_the_estimate_email_waits_and_the_estimate_becomes_sent_when_it_goes_out() {
    let mut f = Fixture::new(NOW);
    let port = mail_server::free_port();
    f.setup(port, mail_server::PASSWORD);
    let number = draft_estimate(&mut f.books, "Acme GmbH", &["ap@acme.example"]);
    let declined = draft_estimate(&mut f.books, "Globex AG", &["ap@globex.example"]);

    let pdf = with_pdf(&mut f.books, &number);
    let out = f.books.send_estimate(send(&number), pdf).expect("queued, not an error");
    assert_eq!(out.state, "queued");
    assert_eq!(out.job.last_error_code.as_deref(), Some("mail_connection_refused"));
    assert_eq!(out.estimate.estimate.status, EstimateStatus::Draft, "unsent until the server accepts it");
    // What waits to go out stays what the estimate says.
    let e = assert_code(f.books.add_estimate_line(&number, line("Extra", "1", "5")), "conflict");
    assert!(e.to_string().contains("outbox"), "{e}");
    assert_code(f.books.delete_estimate(&number), "conflict");
    let e = assert_code(f.books.send_estimate(send(&number), None), "conflict");
    assert!(e.to_string().contains("waiting in the outbox"), "{e}");

    // An estimate declined while its email waits is not emailed after all.
    f.books.send_estimate(send(&declined), None).unwrap();
    f.books.decline_estimate(&declined).unwrap();

    let server = f.server(Some(port));
    f.reopen("2026-05-10T09:05:00+02:00");
    let run = f.books.process_outbox().unwrap();
    let states: Vec<(Option<String>, String)> =
        run.results.iter().map(|r| (r.estimate.clone(), r.state.clone())).collect();
    assert_eq!(states, vec![(Some(number.clone()), "sent".into()), (Some(declined.clone()), "cancelled".into())]);
    assert_eq!(f.books.estimate(&number).unwrap().estimate.status, EstimateStatus::Sent);
    assert_eq!(f.books.estimate(&declined).unwrap().estimate.status, EstimateStatus::Declined);
    f.reopen("2026-05-11T09:00:00+02:00");
    f.books.process_outbox().unwrap();
    let got = server.received();
    assert_eq!(got.len(), 1, "delivered exactly once, and only the wanted estimate");
    assert_eq!(got[0].parsed().subject(), Some(format!("Estimate {number} from Studio Nord").as_str()));
}
