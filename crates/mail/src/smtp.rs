//! Talking to the SMTP server (lettre on a tokio runtime, rustls for TLS).
//!
//! Both operations walk the same steps and classify a failure by the step it
//! happened in: resolving the host (DNS), connecting (refused, unreachable,
//! timeout), securing the connection (TLS or STARTTLS, certificates always
//! verified), authenticating, and the envelope (sender, recipients).
//!
//! [`deliver`] calls `on_handover` after the server took the envelope and
//! agreed to receive the message, just before the message itself goes out.
//! The outbox records that moment: a job interrupted before it was never
//! received (the server drops an unfinished transaction) and is safe to send
//! again; a job interrupted after it is never sent a second time.

use std::net::SocketAddr;
use std::time::Duration;

use lettre::address::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::ClientId;
use serde::Serialize;

use crate::error::{MailError, MailResult};
use crate::sensitive::Sensitive;
use crate::settings::{Security, SmtpSettings};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest a whole exchange may take (a large attachment on a slow line).
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(300);

/// What a successful connection test found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectionReport {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The addresses the host name resolved to.
    pub addresses: Vec<String>,
    pub encrypted: bool,
    pub authenticated: bool,
    /// The sender address the server agreed to send from.
    pub sender: String,
}

/// The server took the message.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Accepted {
    /// The server's reply, e.g. "250 OK queued as 12345".
    pub response: String,
}

/// Delivery failed. `handed_over` tells whether it failed after the message
/// itself started going out (then the server may have it).
#[derive(Debug)]
pub struct DeliveryFailure {
    pub error: MailError,
    pub handed_over: bool,
}

fn runtime() -> MailResult<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| MailError::Build(format!("could not start the network runtime: {e}")))
}

fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cur = err.source();
    }
    None
}

/// The full chain of causes, for a person to read.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(err) = cur {
        let s = err.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cur = err.source();
    }
    out
}

fn host_port(s: &SmtpSettings) -> (String, u16) {
    (s.host.trim().to_string(), s.port)
}

fn connect_error(s: &SmtpSettings, e: lettre::transport::smtp::Error) -> MailError {
    let (host, port) = host_port(s);
    use std::io::ErrorKind::*;
    match io_kind(&e) {
        _ if e.is_tls() => MailError::Tls { host, port, detail: chain(&e) },
        Some(ConnectionRefused) => MailError::ConnectionRefused { host, port },
        Some(TimedOut) => MailError::Timeout { host, port },
        // tokio-rustls reports handshake failures (unknown issuer, wrong
        // name, not TLS at all) as invalid data.
        Some(InvalidData) if s.security == Security::Tls => MailError::Tls { host, port, detail: chain(&e) },
        _ if e.is_timeout() => MailError::Timeout { host, port },
        _ => MailError::Network { host, port, detail: chain(&e) },
    }
}

fn tls_parameters(s: &SmtpSettings) -> MailResult<TlsParameters> {
    let mut b = TlsParameters::builder(s.host.trim().to_string());
    if let Some(pem) = &s.extra_root_pem {
        let cert = Certificate::from_pem(pem.as_bytes())
            .map_err(|e| MailError::invalid("ca_file", format!("is not a PEM certificate ({e})")))?;
        b = b.add_root_certificate(cert);
    }
    let (host, port) = host_port(s);
    b.build_rustls().map_err(|e| MailError::Tls { host, port, detail: chain(&e) })
}

fn response_detail(e: &lettre::transport::smtp::Error) -> String {
    chain(e)
}

/// Resolves, connects, secures and authenticates.
async fn open(
    s: &SmtpSettings,
    password: Option<&Sensitive<String>>,
) -> MailResult<(AsyncSmtpConnection, Vec<SocketAddr>)> {
    let (host, port) = host_port(s);
    let addrs: Vec<SocketAddr> = match tokio::net::lookup_host((host.clone(), port)).await {
        Ok(it) => it.collect(),
        Err(e) => return Err(MailError::Dns { host, detail: e.to_string() }),
    };
    if addrs.is_empty() {
        return Err(MailError::Dns { host, detail: "the name has no address".into() });
    }
    let hello = ClientId::default();
    let implicit = match s.security {
        Security::Tls => Some(tls_parameters(s)?),
        _ => None,
    };
    let mut conn = AsyncSmtpConnection::connect_tokio1(addrs.as_slice(), Some(CONNECT_TIMEOUT), &hello, implicit, None)
        .await
        .map_err(|e| connect_error(s, e))?;
    if s.security == Security::Starttls {
        if !conn.can_starttls() {
            conn.abort().await;
            return Err(MailError::Tls {
                host,
                port,
                detail: "the server does not offer STARTTLS; choose security tls (usually port 465) or check the port"
                    .into(),
            });
        }
        let params = tls_parameters(s)?;
        if let Err(e) = conn.starttls(params, &hello).await {
            // A failed upgrade leaves no usable stream: just drop it.
            drop(conn);
            return Err(MailError::Tls { host, port, detail: chain(&e) });
        }
    }
    if s.needs_password() {
        let pw = password.ok_or(MailError::NoPassword)?;
        let creds = Credentials::new(s.username.clone(), pw.expose().clone());
        if let Err(e) = conn.auth(&[Mechanism::Plain, Mechanism::Login], &creds).await {
            conn.abort().await;
            return Err(MailError::Authentication { user: s.username.clone(), detail: response_detail(&e) });
        }
    }
    Ok((conn, addrs))
}

fn address(field: &str, a: &str) -> MailResult<Address> {
    a.parse().map_err(|e| MailError::invalid(field, format!("'{a}' is not an email address ({e})")))
}

async fn sender(conn: &mut AsyncSmtpConnection, s: &SmtpSettings, from: &str) -> MailResult<()> {
    let addr = address("from", from)?;
    if let Err(e) = conn.command(Mail::new(Some(addr), vec![])).await {
        let permanent = !e.is_transient();
        conn.abort().await;
        let _ = s;
        return Err(MailError::SenderRefused { from: from.to_string(), detail: response_detail(&e), permanent });
    }
    Ok(())
}

/// Checks every step up to the sender address, then leaves without sending
/// anything. The error says exactly which step failed.
pub fn test_connection(s: &SmtpSettings, password: Option<&Sensitive<String>>) -> MailResult<ConnectionReport> {
    s.validate()?;
    let (host, port) = host_port(s);
    runtime()?.block_on(async {
        let work = async {
            let (mut conn, addrs) = open(s, password).await?;
            sender(&mut conn, s, &s.from_address).await?;
            let _ = conn.command(Rset).await;
            let _ = conn.quit().await;
            Ok(ConnectionReport {
                host: host.clone(),
                port,
                security: s.security,
                addresses: addrs.iter().map(|a| a.to_string()).collect(),
                encrypted: conn.is_encrypted(),
                authenticated: s.needs_password(),
                sender: s.from_address.clone(),
            })
        };
        match tokio::time::timeout(EXCHANGE_TIMEOUT, work).await {
            Ok(r) => r,
            Err(_) => Err(MailError::Timeout { host: host.clone(), port }),
        }
    })
}

/// Sends `mime` (exact bytes) to `recipients`. `on_handover` runs once the
/// server agreed to receive the message and before it goes out; returning
/// false stops there (nothing is sent).
pub fn deliver(
    s: &SmtpSettings,
    password: Option<&Sensitive<String>>,
    envelope_from: &str,
    recipients: &[String],
    mime: &[u8],
    on_handover: &mut dyn FnMut() -> bool,
) -> Result<Accepted, DeliveryFailure> {
    let before = |error: MailError| DeliveryFailure { error, handed_over: false };
    s.validate().map_err(before)?;
    let (host, port) = host_port(s);
    let rt = runtime().map_err(before)?;
    rt.block_on(async {
        let mut handed_over = false;
        let work = async {
            let (mut conn, _) = open(s, password).await.map_err(before)?;
            sender(&mut conn, s, envelope_from).await.map_err(before)?;
            for to in recipients {
                let addr = address("to", to).map_err(before)?;
                if let Err(e) = conn.command(Rcpt::new(addr, vec![])).await {
                    let permanent = !e.is_transient();
                    conn.abort().await;
                    return Err(before(MailError::RecipientRefused {
                        to: to.clone(),
                        detail: response_detail(&e),
                        permanent,
                    }));
                }
            }
            if let Err(e) = conn.command(Data).await {
                let permanent = e.is_permanent();
                conn.abort().await;
                return Err(before(MailError::Rejected { detail: response_detail(&e), permanent }));
            }
            if !on_handover() {
                conn.abort().await;
                return Err(before(MailError::Build("the outbox could not record the sending".into())));
            }
            handed_over = true;
            match conn.message(mime).await {
                Ok(response) => {
                    let _ = conn.quit().await;
                    let text = format!("{} {}", response.code(), response.message().collect::<Vec<_>>().join(" "));
                    Ok(Accepted { response: text })
                }
                Err(e) if e.is_transient() || e.is_permanent() => {
                    // The server answered: it did not take the message.
                    let permanent = e.is_permanent();
                    conn.abort().await;
                    Err(DeliveryFailure {
                        error: MailError::Rejected { detail: response_detail(&e), permanent },
                        handed_over: false,
                    })
                }
                Err(e) => Err(DeliveryFailure {
                    error: MailError::Network { host: host.clone(), port, detail: chain(&e) },
                    handed_over: true,
                }),
            }
        };
        match tokio::time::timeout(EXCHANGE_TIMEOUT, work).await {
            Ok(r) => r,
            Err(_) => Err(DeliveryFailure { error: MailError::Timeout { host: host.clone(), port }, handed_over }),
        }
    })
}
