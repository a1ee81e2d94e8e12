//! How to reach the SMTP server. The password is not here: it lives in the
//! OS keyring, filed under [`SmtpSettings::keyring_account`].

use std::fmt;
use std::str::FromStr;

use billable_core::model::validate_email;
use serde::{Deserialize, Serialize};

use crate::error::{MailError, MailResult};

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (usually port 587); refused
    /// when the server does not offer it.
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption: only for a relay on this machine or a trusted network.
    None,
}

impl Security {
    pub fn as_str(&self) -> &'static str {
        match self {
            Security::Starttls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }

    pub fn default_port(&self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Security {
    type Err = MailError;
    fn from_str(s: &str) -> MailResult<Self> {
        match s.trim().to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "starttls" => Ok(Security::Starttls),
            "tls" | "ssl" | "smtps" | "implicittls" => Ok(Security::Tls),
            "none" | "plain" => Ok(Security::None),
            other => Err(MailError::invalid(
                "security",
                format!("'{other}' is not a connection security; use starttls, tls or none"),
            )),
        }
    }
}

/// The SMTP settings of the books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty for a server without authentication.
    pub username: String,
    pub from_address: String,
    /// The sender's display name (e.g. the business name).
    pub from_name: String,
    pub reply_to: Option<String>,
    /// PEM of an extra root certificate to trust, for a server whose
    /// certificate is signed by a private CA. The public roots stay trusted;
    /// certificates are always verified.
    pub extra_root_pem: Option<String>,
}

impl SmtpSettings {
    /// Checks every field; errors name the field.
    pub fn validate(&self) -> MailResult<()> {
        let host = self.host.trim();
        if host.is_empty() {
            return Err(MailError::invalid("host", "is required"));
        }
        if host.chars().any(|c| c.is_whitespace() || c == '/' || c == '@') {
            return Err(MailError::invalid("host", format!("'{host}' is not a host name or address")));
        }
        if self.port == 0 {
            return Err(MailError::invalid("port", "must be from 1 to 65535"));
        }
        validate_email("from", &self.from_address).map_err(|e| MailError::invalid("from", e.to_string()))?;
        if let Some(r) = &self.reply_to {
            validate_email("reply_to", r).map_err(|e| MailError::invalid("reply_to", e.to_string()))?;
        }
        if self.from_name.chars().any(char::is_control) {
            return Err(MailError::invalid("from_name", "must be one line without control characters"));
        }
        if self.username.contains(['\r', '\n']) {
            return Err(MailError::invalid("user", "must be one line"));
        }
        if self.security == Security::None && self.needs_password() && !is_loopback(host) {
            return Err(MailError::invalid(
                "security",
                "a password is never sent without encryption, except to a server on this machine; use starttls or tls",
            ));
        }
        if let Some(pem) = &self.extra_root_pem {
            if !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(MailError::invalid("ca_file", "holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
            }
            lettre::transport::smtp::client::Certificate::from_pem(pem.as_bytes())
                .map_err(|e| MailError::invalid("ca_file", format!("is not a PEM certificate ({e})")))?;
        }
        Ok(())
    }

    /// The keyring account the password is filed under: one per server and
    /// user, so switching servers never sends one server's password to
    /// another.
    pub fn keyring_account(&self) -> String {
        format!("{}@{}:{}", self.username, self.host.trim().to_ascii_lowercase(), self.port)
    }

    /// True when the server wants a password.
    pub fn needs_password(&self) -> bool {
        !self.username.is_empty()
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "smtp.example.com".into(),
            port: 587,
            security: Security::Starttls,
            username: "me".into(),
            from_address: "me@example.com".into(),
            from_name: "Studio Nord".into(),
            reply_to: None,
            extra_root_pem: None,
        }
    }

    #[test]
    fn security_parses_the_words_people_use() {
        assert_eq!("STARTTLS".parse::<Security>().unwrap(), Security::Starttls);
        assert_eq!("ssl".parse::<Security>().unwrap(), Security::Tls);
        assert_eq!("none".parse::<Security>().unwrap(), Security::None);
        assert!(matches!("smoke".parse::<Security>(), Err(MailError::Invalid { field, .. }) if field == "security"));
    }

    #[test]
    fn validation_names_the_field() {
        settings().validate().unwrap();
        let field = |s: SmtpSettings| match s.validate() {
            Err(MailError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        };
        assert_eq!(field(SmtpSettings { host: " ".into(), ..settings() }), "host");
        assert_eq!(field(SmtpSettings { port: 0, ..settings() }), "port");
        assert_eq!(field(SmtpSettings { from_address: "nobody".into(), ..settings() }), "from");
        assert_eq!(field(SmtpSettings { reply_to: Some("x@".into()), ..settings() }), "reply_to");
        assert_eq!(field(SmtpSettings { extra_root_pem: Some("junk".into()), ..settings() }), "ca_file");
        assert_eq!(field(SmtpSettings { security: Security::None, ..settings() }), "security");
        let local = SmtpSettings { security: Security::None, host: "127.0.0.1".into(), ..settings() };
        local.validate().unwrap();
    }
}
