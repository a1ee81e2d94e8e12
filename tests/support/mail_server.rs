//! A real SMTP server on loopback for the mail tests: aiosmtpd from the
//! repository's `.venv` (tests/python/smtp_server.py), with STARTTLS on a
//! certificate from a test CA made here, and AUTH. Shared by the app tests
//! and the CLI end-to-end tests (included with `#[path]`).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

pub const USER: &str = "studio";
pub const PASSWORD: &str = "c0rrect-h0rse-battery-staple";

/// The repository root: the including crate's folder (the desktop app's
/// tests) or the nearest folder above it (crates/<name>) that holds tests/python.
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().find(|dir| dir.join("tests/python/smtp_server.py").exists()).map(Path::to_path_buf).unwrap_or(here)
}

fn python() -> PathBuf {
    let p = repo_root().join(".venv/bin/python");
    assert!(p.exists(), "{} is missing: run scripts/install-deps.sh (make deps)", p.display());
    p
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().unwrap().port()
}

/// A test CA and a server certificate it signed for 127.0.0.1 and localhost.
pub struct TestCa {
    pub ca_pem: String,
    pub ca_file: PathBuf,
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
}

pub fn test_ca(dir: &Path) -> TestCa {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType};
    let mut ca = CertificateParams::new(Vec::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "Billable Test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    leaf.subject_alt_names.push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    leaf.distinguished_name.push(DnType::CommonName, "localhost");
    leaf.use_authority_key_identifier_extension = true;
    let leaf_key = KeyPair::generate().unwrap();
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();
    let t = TestCa {
        ca_pem: ca_cert.pem(),
        ca_file: dir.join("ca.pem"),
        cert_file: dir.join("server.pem"),
        key_file: dir.join("server.key"),
    };
    std::fs::write(&t.ca_file, &t.ca_pem).unwrap();
    std::fs::write(&t.cert_file, leaf_cert.pem()).unwrap();
    std::fs::write(&t.key_file, leaf_key.serialize_pem()).unwrap();
    t
}

#[derive(Clone, Default)]
pub struct ServerOptions {
    pub port: Option<u16>,
    /// STARTTLS (required) on this CA's server certificate.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// AUTH required with these credentials.
    pub auth: Option<(String, String)>,
    pub reject_sender: Option<String>,
}

/// A running server; stopped when dropped. Received messages stay in
/// `outdir` (they outlive a restart on the same folder).
pub struct MailServer {
    child: Child,
    stdin: Option<ChildStdin>,
    pub port: u16,
    pub outdir: PathBuf,
}

impl MailServer {
    pub fn start(outdir: &Path, o: &ServerOptions) -> MailServer {
        std::fs::create_dir_all(outdir).unwrap();
        let port = o.port.unwrap_or_else(free_port);
        let mut c = Command::new(python());
        c.arg(repo_root().join("tests/python/smtp_server.py"))
            .args(["--port", &port.to_string()])
            .arg("--outdir")
            .arg(outdir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some((cert, key)) = &o.tls {
            c.arg("--cert").arg(cert).arg("--key").arg(key);
        }
        if let Some((u, p)) = &o.auth {
            c.args(["--user", u, "--password", p]);
        }
        if let Some(r) = &o.reject_sender {
            c.args(["--reject-sender", r]);
        }
        let mut child = c.spawn().expect("start the SMTP server");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        assert!(line.starts_with("READY"), "the SMTP server did not start: {line:?}");
        let stdin = child.stdin.take();
        MailServer { child, stdin, port, outdir: outdir.to_path_buf() }
    }

    /// The messages received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        received(&self.outdir)
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

pub struct Received {
    pub envelope: serde_json::Value,
    pub raw: Vec<u8>,
}

impl Received {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default().parse(&self.raw).expect("a MIME message")
    }

    pub fn rcpt_tos(&self) -> Vec<String> {
        self.envelope["rcpt_tos"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    }
}

pub fn received(outdir: &Path) -> Vec<Received> {
    let mut names: Vec<PathBuf> = match std::fs::read_dir(outdir) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect(),
        Err(_) => vec![],
    };
    names.sort();
    names
        .into_iter()
        .map(|p| Received {
            envelope: serde_json::from_slice(&std::fs::read(p.with_extension("json")).unwrap()).unwrap(),
            raw: std::fs::read(&p).unwrap(),
        })
        .collect()
}

/// A small, valid PDF made by qpdf (the invoice stand-in).
pub fn pdf_fixture(dir: &Path) -> Vec<u8> {
    let path = dir.join("fixture.pdf");
    let out = Command::new("qpdf").arg("--empty").arg(&path).output().expect("run qpdf (apt package qpdf)");
    assert!(out.status.success(), "qpdf failed: {}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    bytes
}
