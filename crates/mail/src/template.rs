//! Email templates with placeholders: `{client_name}`, `{invoice_number}`,
//! `{total}` … A line whose placeholders all come out empty is left out, so
//! "Pay online: {payment_link}" disappears when there is no payment link.
//! The invoice, reminder and overdue templates speak of an invoice
//! ([`PLACEHOLDERS`]); the estimate template of an estimate
//! ([`ESTIMATE_PLACEHOLDERS`]), and each is checked against its own list.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{MailError, MailResult};

/// Which message a template writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// The email that carries an invoice (the default template).
    Invoice,
    /// A reminder before (or on) the due date.
    Reminder,
    /// A reminder after the due date.
    Overdue,
    /// The email that carries an estimate (a quote).
    Estimate,
}

impl TemplateKind {
    pub const ALL: [TemplateKind; 4] =
        [TemplateKind::Invoice, TemplateKind::Reminder, TemplateKind::Overdue, TemplateKind::Estimate];

    pub fn as_str(&self) -> &'static str {
        match self {
            TemplateKind::Invoice => "invoice",
            TemplateKind::Reminder => "reminder",
            TemplateKind::Overdue => "overdue",
            TemplateKind::Estimate => "estimate",
        }
    }

    /// The placeholders this template may use, with what they stand for.
    pub fn placeholders(&self) -> &'static [(&'static str, &'static str)] {
        match self {
            TemplateKind::Estimate => ESTIMATE_PLACEHOLDERS,
            TemplateKind::Invoice | TemplateKind::Reminder | TemplateKind::Overdue => PLACEHOLDERS,
        }
    }
}

impl fmt::Display for TemplateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TemplateKind {
    type Err = MailError;
    fn from_str(s: &str) -> MailResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "invoice" | "default" => Ok(TemplateKind::Invoice),
            "reminder" => Ok(TemplateKind::Reminder),
            "overdue" => Ok(TemplateKind::Overdue),
            "estimate" | "quote" => Ok(TemplateKind::Estimate),
            other => Err(MailError::invalid(
                "template",
                format!("'{other}' is not a template; use invoice (the default), reminder, overdue or estimate"),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Template {
    pub kind: TemplateKind,
    pub subject: String,
    pub body: String,
}

/// Every placeholder an invoice's email (the invoice, reminder and overdue
/// templates) may use, with what it stands for.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("client_name", "the client's name"),
    ("contact_person", "the client's contact person"),
    ("invoice_number", "the invoice number"),
    ("issue_date", "the issue date"),
    ("due_date", "the due date"),
    ("total", "the invoice total with its currency"),
    ("amount_paid", "what has been paid so far"),
    ("balance_due", "what is left to pay"),
    ("currency", "the currency code"),
    ("days_overdue", "days past the due date (0 before)"),
    ("days_until_due", "days left until the due date (0 after)"),
    ("business_name", "your business name"),
    ("business_email", "your business email"),
    ("business_phone", "your business phone"),
    ("payment_link", "the payment link from your business profile"),
    ("late_fee", "the late fee a reminder charges (empty when none)"),
    ("late_fee_invoice", "the number of the late fee's invoice, attached to the reminder (empty when none)"),
];

/// Every placeholder the estimate template may use, with what it stands for.
pub const ESTIMATE_PLACEHOLDERS: &[(&str, &str)] = &[
    ("client_name", "the client's name"),
    ("contact_person", "the client's contact person"),
    ("estimate_number", "the estimate number"),
    ("issue_date", "the estimate's date"),
    ("valid_until", "the last day the estimate is valid"),
    ("total", "the estimate total with its currency"),
    ("currency", "the currency code"),
    ("business_name", "your business name"),
    ("business_email", "your business email"),
    ("business_phone", "your business phone"),
];

/// Whether `name` is a placeholder of any template.
fn known_anywhere(name: &str) -> Option<&'static str> {
    PLACEHOLDERS.iter().chain(ESTIMATE_PLACEHOLDERS).map(|(n, _)| *n).find(|n| *n == name)
}

impl Template {
    /// The templates a new set of books starts with.
    pub fn default_for(kind: TemplateKind) -> Template {
        let (subject, body) = match kind {
            TemplateKind::Invoice => (
                "Invoice {invoice_number} from {business_name}",
                "Hello {client_name},\n\nplease find attached invoice {invoice_number} over {total}, due on \
                 {due_date}.\n\nPay online: {payment_link}\n\nThank you for your business.\n\nKind regards,\n\
                 {business_name}",
            ),
            TemplateKind::Reminder => (
                "Reminder: invoice {invoice_number} is due on {due_date}",
                "Hello {client_name},\n\na friendly reminder that invoice {invoice_number} over {balance_due} is \
                 due on {due_date}.\n\nPay online: {payment_link}\n\nIf you have already paid, please disregard \
                 this message.\n\nKind regards,\n{business_name}",
            ),
            TemplateKind::Overdue => (
                "Overdue: invoice {invoice_number} ({balance_due})",
                "Hello {client_name},\n\ninvoice {invoice_number} was due on {due_date} and is now {days_overdue} \
                 days overdue. The balance due is {balance_due}.\n\nA late fee of {late_fee} is charged on the \
                 attached invoice {late_fee_invoice}.\n\nPay online: {payment_link}\n\nIf you have already \
                 paid, please disregard this message.\n\nKind regards,\n{business_name}",
            ),
            TemplateKind::Estimate => (
                "Estimate {estimate_number} from {business_name}",
                "Hello {client_name},\n\nplease find attached our estimate {estimate_number} over {total}. It is \
                 valid until {valid_until}.\n\nIf you would like to go ahead, simply reply to this email; we are \
                 happy to answer any questions.\n\nKind regards,\n{business_name}",
            ),
        };
        Template { kind, subject: subject.into(), body: body.into() }
    }

    /// Checks that the subject and body use only known placeholders and the
    /// subject is one line.
    pub fn validate(&self) -> MailResult<()> {
        if self.subject.trim().is_empty() {
            return Err(MailError::invalid("subject", "is required"));
        }
        if self.subject.contains(['\r', '\n']) {
            return Err(MailError::invalid("subject", "must be one line"));
        }
        if self.body.trim().is_empty() {
            return Err(MailError::invalid("body", "is required"));
        }
        check("subject", &self.subject, self.kind.placeholders())?;
        check("body", &self.body, self.kind.placeholders())
    }
}

/// The values placeholders stand for.
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    values: Vec<(&'static str, String)>,
}

impl Placeholders {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a placeholder (names no template knows are ignored).
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        if let Some(known) = known_anywhere(name) {
            let value = value.into();
            match self.values.iter_mut().find(|(n, _)| *n == known) {
                Some(slot) => slot.1 = value,
                None => self.values.push((known, value)),
            }
        }
        self
    }

    pub fn get(&self, name: &str) -> &str {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

enum Piece<'a> {
    Text(&'a str),
    Brace(char),
    Name(&'a str),
}

/// Splits a template into text and placeholders; `{{` and `}}` are braces.
fn pieces<'a>(field: &str, text: &'a str) -> MailResult<Vec<Piece<'a>>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        if i > 0 {
            out.push(Piece::Text(&rest[..i]));
        }
        let c = rest.as_bytes()[i];
        let after = &rest[i + 1..];
        if c == b'}' {
            if let Some(stripped) = after.strip_prefix('}') {
                out.push(Piece::Brace('}'));
                rest = stripped;
                continue;
            }
            return Err(MailError::invalid(field, "has a '}' without '{' (write }} for a brace)"));
        }
        if let Some(stripped) = after.strip_prefix('{') {
            out.push(Piece::Brace('{'));
            rest = stripped;
            continue;
        }
        let end =
            after.find('}').ok_or_else(|| MailError::invalid(field, "has a '{' without '}' (write {{ for a brace)"))?;
        // A placeholder is filled line by line: it cannot span a line break.
        if after[..end].contains('\n') {
            return Err(MailError::invalid(field, "has a '{' without '}' on its line (write {{ for a brace)"));
        }
        out.push(Piece::Name(after[..end].trim()));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

fn check(field: &str, text: &str, names: &[(&str, &str)]) -> MailResult<()> {
    for p in pieces(field, text)? {
        if let Piece::Name(n) = p {
            if !names.iter().any(|(k, _)| *k == n) {
                let known: Vec<String> = names.iter().map(|(k, _)| format!("{{{k}}}")).collect();
                return Err(MailError::invalid(
                    field,
                    format!("{{{n}}} is not a placeholder; use {}", known.join(", ")),
                ));
            }
        }
    }
    Ok(())
}

/// Fills in the placeholders of `text` (an invoice's email). Lines whose
/// placeholders all come out empty are left out.
pub fn render(field: &str, text: &str, values: &Placeholders) -> MailResult<String> {
    Ok(Compiled::new(field, text)?.render(values))
}

/// Fills in the placeholders of `text` for the email a template of `kind`
/// writes, checked against that template's placeholders.
pub fn render_for(kind: TemplateKind, field: &str, text: &str, values: &Placeholders) -> MailResult<String> {
    Ok(Compiled::for_kind(kind, field, text)?.render(values))
}

/// One part of a compiled line: byte ranges into the template's text.
#[derive(Debug, Clone)]
enum Part {
    Text(usize, usize),
    Brace(char),
    Name(usize, usize),
}

/// A template checked and split into its parts once, to be filled in many
/// times (a run of reminders writes one subject per invoice). [`render`] is
/// compiling and filling in once; both fill in the same way.
#[derive(Debug, Clone)]
pub struct Compiled {
    text: String,
    lines: Vec<Vec<Part>>,
}

impl Compiled {
    /// Checks `text` (only an invoice email's placeholders, braces paired)
    /// and splits it.
    pub fn new(field: &str, text: &str) -> MailResult<Compiled> {
        Compiled::for_kind(TemplateKind::Invoice, field, text)
    }

    /// Checks `text` (only the placeholders of a `kind` template, braces
    /// paired) and splits it.
    pub fn for_kind(kind: TemplateKind, field: &str, text: &str) -> MailResult<Compiled> {
        check(field, text, kind.placeholders())?;
        let base = text.as_ptr() as usize;
        let at = |s: &str| (s.as_ptr() as usize - base, s.as_ptr() as usize - base + s.len());
        let mut lines = Vec::new();
        for line in text.split('\n') {
            let parts = pieces(field, line)?
                .into_iter()
                .map(|p| match p {
                    Piece::Text(t) => {
                        let (a, b) = at(t);
                        Part::Text(a, b)
                    }
                    Piece::Brace(c) => Part::Brace(c),
                    Piece::Name(n) => {
                        let (a, b) = at(n);
                        Part::Name(a, b)
                    }
                })
                .collect();
            lines.push(parts);
        }
        Ok(Compiled { text: text.to_string(), lines })
    }

    /// Fills in from `values`.
    pub fn render(&self, values: &Placeholders) -> String {
        self.fill(|name, out| out.push_str(values.get(name)))
    }

    /// Fills in each placeholder by `value(name, out)`, which appends the
    /// placeholder's value to `out` (nothing for an empty one): only the
    /// placeholders the template names are asked for. Lines whose
    /// placeholders all come out empty are left out, and leaving a line out
    /// never leaves two blank lines in a row.
    pub fn fill(&self, mut value: impl FnMut(&str, &mut String)) -> String {
        let mut out = String::new();
        let (mut any, mut last_blank) = (false, false);
        for parts in &self.lines {
            let start = out.len();
            if any {
                out.push('\n');
            }
            let body = out.len();
            let (mut names, mut filled) = (0, 0);
            for p in parts {
                match *p {
                    Part::Text(a, b) => out.push_str(&self.text[a..b]),
                    Part::Brace(c) => out.push(c),
                    Part::Name(a, b) => {
                        names += 1;
                        let before = out.len();
                        value(&self.text[a..b], &mut out);
                        if out.len() > before {
                            filled += 1;
                        }
                    }
                }
            }
            if names > 0 && filled == 0 {
                out.truncate(start);
                continue;
            }
            let blank = out[body..].trim().is_empty();
            if blank && any && last_blank {
                out.truncate(start);
                continue;
            }
            any = true;
            last_blank = blank;
        }
        out.truncate(out.trim_end().len());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Placeholders {
        let mut p = Placeholders::new();
        p.set("client_name", "Acme <GmbH>").set("invoice_number", "INV-2026-0001").set("total", "1,190.00 EUR");
        p
    }

    /// What `render` gave before templates were compiled: the lines
    /// filled in one by one, empty ones left out, blank runs folded.
    fn render_line_by_line(text: &str, values: &Placeholders) -> String {
        let mut lines: Vec<String> = Vec::new();
        for line in text.split('\n') {
            let mut out = String::new();
            let (mut names, mut filled) = (0, 0);
            for p in pieces("body", line).unwrap() {
                match p {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Brace(c) => out.push(c),
                    Piece::Name(n) => {
                        names += 1;
                        let v = values.get(n);
                        if !v.is_empty() {
                            filled += 1;
                        }
                        out.push_str(v);
                    }
                }
            }
            if names > 0 && filled == 0 {
                continue;
            }
            lines.push(out);
        }
        let mut clean: Vec<String> = Vec::new();
        for l in lines {
            if l.trim().is_empty() && clean.last().is_some_and(|p: &String| p.trim().is_empty()) {
                continue;
            }
            clean.push(l);
        }
        clean.join("\n").trim_end().to_string()
    }

    #[test]
    fn a_compiled_template_fills_in_as_rendering_line_by_line_and_asks_only_for_its_names() {
        let texts = [
            "Reminder: invoice {invoice_number} is due on {due_date}",
            "{ client_name }: {{literal}} {total}",
            "Hello {contact_person},\n\n{contact_person}\n\n\nTotal {total}\n{payment_link}\n\n",
            "\n\n{contact_person}\n  \n\nKind regards,\n{business_name}   \n \n",
            "{contact_person}",
            "",
        ];
        let mut full = values();
        full.set("due_date", "2026-06-09").set("payment_link", "https://pay.example/x");
        for text in texts {
            let compiled = Compiled::new("body", text).unwrap();
            for v in [values(), full.clone(), Placeholders::new()] {
                assert_eq!(compiled.render(&v), render_line_by_line(text, &v), "{text:?}");
                assert_eq!(render("body", text, &v).unwrap(), render_line_by_line(text, &v), "{text:?}");
            }
            let mut asked: Vec<String> = Vec::new();
            compiled.fill(|n, out| {
                asked.push(n.to_string());
                out.push_str(full.get(n));
            });
            let named: Vec<String> = pieces("body", text)
                .unwrap()
                .into_iter()
                .filter_map(|p| if let Piece::Name(n) = p { Some(n.to_string()) } else { None })
                .collect();
            assert_eq!(asked, named, "{text:?}");
        }
        assert!(Compiled::new("subject", "{invoice_number").is_err());
        assert!(Compiled::new("subject", "{nope}").is_err());
    }

    #[test]
    fn a_placeholder_across_a_line_break_is_refused_when_the_template_is_saved() {
        // Found by fuzzing: "{invoice_number" and "}" on the next line passed
        // the check of the whole body but failed when filled line by line.
        let t = Template {
            kind: TemplateKind::Invoice,
            subject: "Invoice {invoice_number}".into(),
            body: "Hello,\nyour invoice {invoice_number\n} is attached.".into(),
        };
        let e = t.validate().unwrap_err();
        assert!(
            matches!(&e, MailError::Invalid { field, message } if field == "body" && message.contains("on its line")),
            "{e:?}"
        );
        assert!(render("body", &t.body, &Placeholders::new()).is_err());
    }

    #[test]
    fn placeholders_are_filled_and_braces_escaped() {
        let out = render("body", "Dear {client_name}, {{not}} {invoice_number}: {total}", &values()).unwrap();
        assert_eq!(out, "Dear Acme <GmbH>, {not} INV-2026-0001: 1,190.00 EUR");
    }

    #[test]
    fn a_line_whose_placeholders_are_all_empty_is_left_out() {
        let out = render("body", "Hi\n\nPay online: {payment_link}\n\nBye", &values()).unwrap();
        assert_eq!(out, "Hi\n\nBye");
        let mut v = values();
        v.set("payment_link", "https://pay.example/1");
        assert_eq!(render("body", "Pay online: {payment_link}", &v).unwrap(), "Pay online: https://pay.example/1");
    }

    #[test]
    fn unknown_placeholders_are_refused_naming_the_field() {
        let e = render("subject", "Invoice {invoice_nr}", &values()).unwrap_err();
        assert!(
            matches!(&e, MailError::Invalid { field, message } if field == "subject" && message.contains("{invoice_nr}"))
        );
        assert!(render("body", "a { b", &values()).is_err());
        assert!(render("body", "a } b", &values()).is_err());
    }

    #[test]
    fn the_default_templates_are_valid() {
        for k in TemplateKind::ALL {
            Template::default_for(k).validate().unwrap();
        }
        assert_eq!("default".parse::<TemplateKind>().unwrap(), TemplateKind::Invoice);
        assert_eq!("estimate".parse::<TemplateKind>().unwrap(), TemplateKind::Estimate);
    }

    #[test]
    fn the_estimate_template_speaks_of_an_estimate_and_not_of_an_invoice() {
        let default = Template::default_for(TemplateKind::Estimate);
        assert!(default.subject.contains("{estimate_number}"), "{}", default.subject);
        assert!(default.body.contains("{valid_until}") && default.body.contains("{total}"), "{}", default.body);
        let mut p = Placeholders::new();
        p.set("estimate_number", "EST-2026-0001").set("valid_until", "2026-06-30").set("total", "1,190.00 EUR");
        p.set("client_name", "Acme").set("business_name", "Studio Nord");
        let body = render_for(TemplateKind::Estimate, "body", &default.body, &p).unwrap();
        assert!(body.contains("estimate EST-2026-0001 over 1,190.00 EUR. It is valid until 2026-06-30."), "{body}");

        // An invoice's placeholders mean nothing in an estimate's email, and
        // the reverse: each is refused naming the field.
        let t = Template { body: "Due {due_date}".into(), ..default.clone() };
        let e = t.validate().unwrap_err();
        assert!(
            matches!(&e, MailError::Invalid { field, message } if field == "body" && message.contains("{due_date}"))
        );
        assert!(render_for(TemplateKind::Estimate, "subject", "{invoice_number}", &p).is_err());
        let t =
            Template { kind: TemplateKind::Invoice, subject: "Estimate {estimate_number}".into(), body: "x".into() };
        assert!(matches!(t.validate().unwrap_err(), MailError::Invalid { field, .. } if field == "subject"));
        assert!(render("subject", "{valid_until}", &p).is_err());
    }
}
