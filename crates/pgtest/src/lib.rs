//! A real PostgreSQL server for tests, as the mail tests start a real SMTP
//! server: `initdb` from Debian's `postgresql` package into a temporary
//! folder, a server on a free loopback port, one per test process, and an
//! empty database per test ([`database`]).
//!
//! The server stops when the test process ends, however it ends: it is
//! started by a small shell that waits on a pipe from this process and
//! stops the server (and removes its folder) when the pipe closes. The
//! server's own safety settings are off (`fsync`, synchronous commit):
//! tests of durability use SQLite's files or kill the client, not the
//! server.
//!
//! The tests' superuser (`billable`) connects without a password; any other
//! login over TCP gives its password (SCRAM-SHA-256), as team members do.
//!
//! PostgreSQL refuses to run as root; when the tests run as root (a CI
//! machine), the server runs as the `postgres` user the package creates.
//!
//! Benchmarks start a server of their own ([`kept`]): its data stays in a
//! folder they name (`target/bench-books/pg`), so books moved in once are
//! there the next run, and it runs with the settings they give, PostgreSQL's
//! own durability included.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The running server of this test process.
pub struct Server {
    port: u16,
    dir: PathBuf,
    /// The shell that owns the server; its stdin is the pipe that keeps it
    /// running.
    keeper: Mutex<(Child, Option<ChildStdin>)>,
}

impl Drop for Server {
    /// Stops the server and waits until it has stopped (and, unless its
    /// folder is kept, removed its folder). The tests' server lives as long
    /// as their process; the pipe's end stops it then.
    fn drop(&mut self) {
        let keeper = self.keeper.get_mut().unwrap_or_else(|e| e.into_inner());
        drop(keeper.1.take());
        let _ = keeper.0.wait();
    }
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static NEXT: AtomicU32 = AtomicU32::new(1);

/// The superuser the tests connect as.
pub const USER: &str = "billable";

/// The server of this process, started on first use.
pub fn server() -> &'static Server {
    match SERVER.get_or_init(start) {
        Ok(s) => s,
        Err(e) => panic!("could not start PostgreSQL for the tests: {e}"),
    }
}

/// A new, empty database on the test server; returns its URL.
pub fn database() -> String {
    server().database()
}

impl Server {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The folder of the server's data and socket.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The URL of database `name` on this server, for `user`.
    pub fn url(&self, user: &str, name: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{name}", self.port)
    }

    /// A new, empty database; returns its URL.
    pub fn database(&self) -> String {
        let name = format!("books_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let mut admin = self.admin();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create a test database");
        self.url(USER, &name)
    }

    /// A connection to the `postgres` database as the superuser.
    pub fn admin(&self) -> postgres::Client {
        postgres::Client::connect(&self.url(USER, "postgres"), postgres::NoTls).expect("connect to the test server")
    }

    /// Runs `psql` against `url` with `sql` on its standard input; returns
    /// its exit status, standard output and standard error.
    pub fn psql(&self, url: &str, sql: &str) -> (bool, String, String) {
        let mut child = Command::new(bin("psql").unwrap_or_else(|_| PathBuf::from("psql")))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start psql");
        child.stdin.take().expect("psql's stdin").write_all(sql.as_bytes()).expect("write to psql");
        let out = child.wait_with_output().expect("run psql");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// A program of the newest PostgreSQL installed.
fn bin(name: &str) -> Result<PathBuf, String> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("/usr/lib/postgresql: {e} (install the postgresql package)"))?
        .filter_map(|d| d.ok())
        .filter_map(|d| Some((d.file_name().to_str()?.parse::<u32>().ok()?, d.path().join("bin").join(name))))
        .filter(|(_, p)| p.exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, p)| p).ok_or_else(|| format!("no {name} under /usr/lib/postgresql/*/bin"))
}

fn output(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Runs as the `postgres` user when this process is root.
fn as_server_user(root: bool, program: &Path) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// The tests' settings: none of the server's own safety (see the module's
/// documentation), room for many connections.
const TEST_SETTINGS: &[(&str, &str)] = &[
    ("fsync", "off"),
    ("synchronous_commit", "off"),
    ("full_page_writes", "off"),
    ("max_connections", "200"),
    ("shared_buffers", "64MB"),
];

fn start() -> Result<Server, String> {
    let dir = std::env::temp_dir().join(format!("billable-pg-{}-{}", std::process::id(), free_port()?));
    launch(&dir, false, TEST_SETTINGS)
}

/// A server of its own whose data lives in `dir` and stays there when it
/// stops: made by `initdb` the first time, started again from it later.
/// `settings` are the server's (`postgres -c NAME=VALUE`), on top of
/// PostgreSQL's defaults. The server stops when the returned [`Server`] is
/// dropped, or when this process ends. Refused while another server still
/// runs on that folder.
pub fn kept(dir: &Path, settings: &[(&str, &str)]) -> Result<Server, String> {
    let pid_file = dir.join("data").join("postmaster.pid");
    if let Some(pid) =
        std::fs::read_to_string(&pid_file).ok().and_then(|t| t.lines().next()?.trim().parse::<u32>().ok())
    {
        if Path::new(&format!("/proc/{pid}")).exists() {
            return Err(format!(
                "a PostgreSQL server (pid {pid}) still runs on {}; stop it first (pg_ctl -D {} stop)",
                dir.display(),
                dir.join("data").display()
            ));
        }
    }
    launch(dir, true, settings)
}

fn launch(dir: &Path, keep: bool, settings: &[(&str, &str)]) -> Result<Server, String> {
    let root = output(Command::new("id").arg("-u"))? == "0";
    let dir = dir.to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if root {
        let uid: u32 = output(Command::new("id").args(["-u", "postgres"]))?.parse().map_err(|e| format!("{e}"))?;
        let gid: u32 = output(Command::new("id").args(["-g", "postgres"]))?.parse().map_err(|e| format!("{e}"))?;
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).map_err(|e| format!("chown {}: {e}", dir.display()))?;
    }
    let data = dir.join("data");
    if !data.join("PG_VERSION").exists() {
        let _ = std::fs::remove_dir_all(&data);
        init(root, &data)?;
    }
    let port = free_port()?;
    let postgres = bin("postgres")?;
    let settings: String = settings.iter().map(|(name, value)| format!(" -c {name}={value}")).collect();
    // The keeper: starts the server, waits until this process's end closes
    // the pipe, then stops the server fast and removes its folder (unless
    // it is kept).
    let remove = if keep { String::new() } else { format!("; rm -rf '{}'", dir.display()) };
    let script = format!(
        "'{postgres}' -D '{data}' -p {port} -k '{dir}' -c listen_addresses=127.0.0.1{settings} \
         -c ssl=on >'{dir}/server.log' 2>&1 & pid=$!; cat >/dev/null; \
         kill -INT $pid; wait $pid{remove}",
        postgres = postgres.display(),
        data = data.display(),
        dir = dir.display(),
    );
    let mut keeper = as_server_user(root, Path::new("/bin/sh"))
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("start the server: {e}"))?;
    let stdin = keeper.stdin.take().ok_or("the keeper's stdin")?;
    let server = Server { port, dir: dir.clone(), keeper: Mutex::new((keeper, Some(stdin))) };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match postgres::Client::connect(&server.url(USER, "postgres"), postgres::NoTls) {
            Ok(_) => return Ok(server),
            Err(e) if Instant::now() > deadline => {
                let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                return Err(format!("the server did not accept connections within 60 s: {e}\n{log}"));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// A new cluster in `data`: the tests' superuser, TLS with a certificate of
/// its own, passwords for every other login.
fn init(root: bool, data: &Path) -> Result<(), String> {
    output(as_server_user(root, &bin("initdb")?).arg("-D").arg(data).args([
        "-U",
        USER,
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
        "--no-instructions",
    ]))?;
    // TLS as an agency's server has it: a certificate the server made for
    // itself (as Debian's own does), so the books' connections are encrypted.
    output(Command::new("openssl").current_dir(data).args([
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "3",
        "-subj",
        "/CN=billable-test-server",
        "-keyout",
        "server.key",
        "-out",
        "server.crt",
    ]))?;
    if root {
        output(Command::new("chown").args(["postgres:postgres", "server.key", "server.crt"]).current_dir(data))?;
    }
    output(Command::new("chmod").args(["600", "server.key"]).current_dir(data))?;
    // The superuser of the tests connects without a password; every other
    // login (a team member's) must give its own, as on a real server.
    let hba = format!(
        "local all all trust\nhost all {USER} 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n\
         host all {USER} ::1/128 trust\nhost all all ::1/128 scram-sha-256\n"
    );
    std::fs::write(data.join("pg_hba.conf"), hba).map_err(|e| format!("write pg_hba.conf: {e}"))
}
