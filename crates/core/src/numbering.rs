//! Invoice numbering patterns such as `INV-{YYYY}-{SEQ:4}`.
//!
//! Placeholders: `{YYYY}` year, `{YY}` two-digit year, `{MM}` month, `{DD}`
//! day (of the issue date), `{SEQ}` or `{SEQ:n}` the counter zero-padded to
//! n digits. The counter runs per year when the pattern contains the year,
//! otherwise it never resets.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Part {
    Text(String),
    Year4,
    Year2,
    Month,
    Day,
    Seq(usize),
}

/// A parsed, valid numbering pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberPattern {
    source: String,
    parts: Vec<Part>,
}

pub const DEFAULT_INVOICE_PATTERN: &str = "INV-{YYYY}-{SEQ:4}";

impl NumberPattern {
    pub fn parse(pattern: &str) -> CoreResult<NumberPattern> {
        let field = "number_pattern";
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = pattern.trim();
        if rest.is_empty() {
            return Err(CoreError::invalid(field, "is empty; e.g. INV-{YYYY}-{SEQ:4}"));
        }
        while let Some(c) = rest.chars().next() {
            if c == '{' {
                let end = rest
                    .find('}')
                    .ok_or_else(|| CoreError::invalid(field, format!("'{pattern}' has a '{{' without its '}}'")))?;
                let name = &rest[1..end];
                let part = match name {
                    "YYYY" => Part::Year4,
                    "YY" => Part::Year2,
                    "MM" => Part::Month,
                    "DD" => Part::Day,
                    "SEQ" => Part::Seq(1),
                    _ => match name.strip_prefix("SEQ:").map(|n| n.parse::<usize>()) {
                        Some(Ok(n)) if (1..=12).contains(&n) => Part::Seq(n),
                        Some(_) => {
                            return Err(CoreError::invalid(
                                field,
                                format!("{{{name}}}: the width after SEQ: must be 1 to 12"),
                            ))
                        }
                        None => {
                            return Err(CoreError::invalid(
                                field,
                                format!(
                                    "{{{name}}} is not a placeholder; use {{YYYY}}, {{YY}}, {{MM}}, {{DD}}, {{SEQ}} or {{SEQ:4}}"
                                ),
                            ))
                        }
                    },
                };
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(part);
                rest = &rest[end + 1..];
            } else if c == '}' {
                return Err(CoreError::invalid(field, format!("'{pattern}' has a '}}' without its '{{'")));
            } else {
                if c.is_control() {
                    return Err(CoreError::invalid(field, "must not contain control characters"));
                }
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        let seqs = parts.iter().filter(|p| matches!(p, Part::Seq(_))).count();
        if seqs != 1 {
            return Err(CoreError::invalid(
                field,
                format!("'{pattern}' must contain the counter {{SEQ}} (or {{SEQ:4}}) exactly once"),
            ));
        }
        Ok(NumberPattern { source: pattern.trim().to_string(), parts })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the counter restarts each year.
    pub fn is_yearly(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Year4 | Part::Year2))
    }

    /// The counter's scope for an issue date: the year, or 0 when the
    /// counter never resets.
    pub fn counter_year(&self, date: NaiveDate) -> i32 {
        if self.is_yearly() {
            date.year()
        } else {
            0
        }
    }

    /// The number for a date and counter value.
    pub fn format(&self, date: NaiveDate, seq: u64) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Year4 => out.push_str(&format!("{:04}", date.year())),
                Part::Year2 => out.push_str(&format!("{:02}", date.year().rem_euclid(100))),
                Part::Month => out.push_str(&format!("{:02}", date.month())),
                Part::Day => out.push_str(&format!("{:02}", date.day())),
                Part::Seq(w) => out.push_str(&format!("{seq:0w$}", w = *w)),
            }
        }
        out
    }
}

/// Checks a number typed by hand (uniqueness is the store's job).
pub fn validate_custom_number(number: &str) -> CoreResult<String> {
    let n = number.trim();
    if n.is_empty() {
        return Err(CoreError::invalid("number", "is empty"));
    }
    if n.chars().count() > 64 {
        return Err(CoreError::invalid("number", "is longer than 64 characters"));
    }
    if n.chars().any(|c| c.is_control()) {
        return Err(CoreError::invalid("number", "must not contain control characters"));
    }
    Ok(n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn formats_the_default_pattern() {
        let p = NumberPattern::parse(DEFAULT_INVOICE_PATTERN).unwrap();
        assert_eq!(p.format(d("2026-03-31"), 42), "INV-2026-0042");
        assert_eq!(p.format(d("2026-03-31"), 12345), "INV-2026-12345");
        assert!(p.is_yearly());
        assert_eq!(p.counter_year(d("2026-03-31")), 2026);
    }

    #[test]
    fn other_placeholders() {
        let p = NumberPattern::parse("{YY}{MM}{DD}/{SEQ}").unwrap();
        assert_eq!(p.format(d("2027-01-05"), 7), "270105/7");
        let flat = NumberPattern::parse("A{SEQ:3}").unwrap();
        assert!(!flat.is_yearly());
        assert_eq!(flat.counter_year(d("2027-01-05")), 0);
    }

    #[test]
    fn bad_patterns_name_the_field() {
        for bad in ["", "INV", "{SEQ}{SEQ}", "INV-{YEAR}-{SEQ}", "{SEQ:0}", "{SEQ", "SEQ}", "{SEQ:99}"] {
            let e = NumberPattern::parse(bad).unwrap_err();
            assert_eq!(e.field(), Some("number_pattern"), "{bad}");
        }
    }
}
