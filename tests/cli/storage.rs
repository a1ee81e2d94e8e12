//! A full disk and read-only books: a clear error with its own code
//! (`disk_full`, `read_only`), exit status 1, and nothing already saved lost;
//! once there is room (or permission) again the same command works.
//!
//! The full disk is real to SQLite: the CLI runs under a file size limit
//! (`prlimit --fsize`, with SIGXFSZ ignored so the write fails with EFBIG
//! instead of killing the process), which needs no privileges. Read-only
//! books are made with file permissions; as root (who ignores them, as on
//! CI) the CLI runs as `nobody` through `setpriv`.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::crash::check;
use crate::support::{billable_bin, Books};

const NOW: &str = "2026-07-01T09:00:00+02:00";

fn error_of(out: &Output, what: &str) -> Value {
    assert!(!out.status.success(), "{what} should have failed: {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "{what}: exit status");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: no JSON error ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["error"].clone()
}

/// Books with time, an issued invoice and a payment: what must survive.
fn saved_books() -> Books {
    let b = Books::new().at(NOW);
    b.ok(&["client", "add", "Acme GmbH", "--currency", "EUR"]);
    b.ok(&["project", "add", "Website", "--client", "Acme GmbH", "--rate", "95"]);
    for d in 1..=6 {
        b.ok(&["time", "add", "--project", "1", "--date", &format!("2026-06-0{d}"), "--hours", "2.5"]);
    }
    let inv = b.ok(&["invoice", "from-time", "--client", "Acme GmbH"]);
    let number = inv["number"].as_str().unwrap().to_string();
    b.ok(&["invoice", "mark-sent", &number]);
    b.ok(&["payment", "add", &number, "--amount", "300"]);
    b
}

fn big_toggl(path: &Path, rows: usize) {
    let mut s = String::from(
        "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)\n",
    );
    for i in 0..rows {
        let day = format!("2026-05-{:02}", 1 + i % 28);
        s.push_str(&format!(
            "Ana Lima,ana@studio.example,Client {},Project {},,A longer description of imported work item number {i},Yes,{day},09:00:00,{day},10:30:00,01:30:00,,\n",
            i % 9,
            i % 40
        ));
    }
    std::fs::write(path, s).unwrap();
}

/// The CLI under a file size limit of `bytes`, with SIGXFSZ ignored: a write
/// past the limit fails with EFBIG, as on a full disk.
fn under_size_limit(b: &Books, bytes: u64, now: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(r#"trap '' XFSZ; exec prlimit --fsize="$0" -- "$@""#)
        .arg(bytes.to_string())
        .arg(billable_bin())
        .arg("--db")
        .arg(&b.db)
        .arg("--json")
        .args(args)
        .env("BILLABLE_NOW", now)
        .env_remove("BILLABLE_DB")
        .output()
        .expect("run sh and prlimit (util-linux)")
}

#[test]
fn a_full_disk_is_reported_and_loses_nothing() {
    let b = saved_books();
    let csv = b.db.with_file_name("toggl.csv");
    big_toggl(&csv, 3000);
    let import = ["import", csv.to_str().unwrap(), "--source", "toggl"];
    let before = b.snapshot();
    for limit in [48 * 1024, 160 * 1024, 400 * 1024] {
        let what = format!("import with {limit} bytes of room");
        let e = error_of(&under_size_limit(&b, limit, NOW, &import), &what);
        assert_eq!(e["code"], "disk_full", "{what}: {e}");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains("the disk is full: nothing was saved"), "{what}: {message}");
        assert_eq!(b.snapshot(), before, "{what}: nothing written, nothing lost");
        let seen = check::books_at(&b.db, NOW, &what);
        assert_eq!((seen.entries.len(), seen.invoices.len()), (6, 1), "{what}");
    }
    // Smaller writes still fit: the books stay usable on the nearly full disk.
    let small = under_size_limit(&b, 160 * 1024, NOW, &["client", "add", "Beta Ltd"]);
    assert!(small.status.success(), "{}", String::from_utf8_lossy(&small.stdout));

    // The next day's automatic backup does not fit: the command still works,
    // the warning says why, and no partial copy is left taking the space.
    let backups = b.db.with_file_name("backups");
    let kept = std::fs::read_dir(&backups).unwrap().count();
    let next_day = under_size_limit(&b, 48 * 1024, "2026-07-02T09:00:00+02:00", &["client", "list"]);
    assert!(next_day.status.success(), "{}", String::from_utf8_lossy(&next_day.stdout));
    let warning = String::from_utf8_lossy(&next_day.stderr);
    assert!(warning.contains("the automatic backup failed") && warning.contains("the disk is full"), "{warning}");
    let left: Vec<_> = std::fs::read_dir(&backups).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), kept, "a failed backup leaves nothing behind: {left:?}");

    // With room again the same import goes through, and everything adds up.
    let done = b.ok(&import);
    assert_eq!(done["entries"].as_u64(), Some(3000));
    let seen = check::books_at(&b.db, NOW, "after the disk-full import was retried");
    assert_eq!(b.ok(&["client", "list"]).as_array().unwrap().len(), 11, "Acme, Beta and the file's nine");
    assert_eq!(seen.entries.len(), 3006);
    assert_eq!(seen.invoices[0].invoice.amount_paid.to_string(), "300.00");
}

/// Runs the CLI as someone the file permissions apply to: ourselves, or
/// `nobody` when we are root (from a copy of the binary nobody may run).
struct Restricted {
    as_nobody: bool,
    bin: PathBuf,
}

impl Restricted {
    fn new(dir: &Path) -> Restricted {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let as_nobody = std::fs::metadata(dir).unwrap().uid() == 0;
        let bin = if as_nobody {
            let bin = dir.join("billable");
            std::fs::copy(billable_bin(), &bin).unwrap();
            std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
            bin
        } else {
            billable_bin()
        };
        Restricted { as_nobody, bin }
    }

    fn command(&self, program: &Path) -> Command {
        if self.as_nobody {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn run(&self, db: &Path, args: &[&str]) -> Output {
        self.command(&self.bin)
            .arg("--db")
            .arg(db)
            .arg("--json")
            .args(args)
            .env("BILLABLE_NOW", NOW)
            .env_remove("BILLABLE_DB")
            .output()
            .expect("run billable (setpriv from util-linux when root)")
    }

    /// Whether the restricted user may write `path`: checked before any
    /// assertion, so the test cannot pass on a file that was writable.
    fn can_write(&self, path: &Path) -> bool {
        self.command(Path::new("sh")).arg("-c").arg(r#"test -w "$0""#).arg(path).status().unwrap().success()
    }

    /// Makes the books file read-only; the folder too when `folder`.
    fn lock(&self, db: &Path, folder: bool) {
        let dir = db.parent().unwrap();
        let dir_mode = match (folder, self.as_nobody) {
            (true, _) => 0o555,
            (false, true) => 0o777,
            (false, false) => 0o755,
        };
        std::fs::set_permissions(db, std::fs::Permissions::from_mode(0o444)).unwrap();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dir_mode)).unwrap();
        assert!(!self.can_write(db), "the books file could not be made read-only here");
        assert_eq!(self.can_write(dir), !folder, "the folder's permissions did not take");
    }

    fn unlock(&self, db: &Path) {
        std::fs::set_permissions(db.parent().unwrap(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(db, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[test]
fn read_only_books_are_reported_and_lose_nothing() {
    let b = saved_books();
    let before = b.snapshot();
    let who = Restricted::new(b._dir.path());
    for folder in [false, true] {
        let what = if folder { "read-only file in a read-only folder" } else { "read-only file" };
        who.lock(&b.db, folder);
        let e = error_of(&who.run(&b.db, &["client", "add", "Beta Ltd"]), what);
        assert_eq!(e["code"], "read_only", "{what}: {e}");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains("the books file is read-only: nothing was saved"), "{what}: {message}");
        let list = who.run(&b.db, &["client", "list"]);
        if folder {
            // Not even the write-ahead log can be made: reading says why too.
            assert_eq!(error_of(&list, what)["code"], "read_only", "{what}");
        } else {
            assert!(list.status.success(), "{what}: reading still works: {}", String::from_utf8_lossy(&list.stdout));
        }
        who.unlock(&b.db);
        assert_eq!(b.snapshot(), before, "{what}: nothing written, nothing lost");
        check::books_at(&b.db, NOW, what);
    }
    // Writable again: the same command works.
    b.ok(&["client", "add", "Beta Ltd"]);
    assert_eq!(b.ok(&["client", "list"]).as_array().unwrap().len(), 2);
}

/// Output sent to a full disk (`> file`) is a clear error with exit status 1,
/// and output to a reader that went away (`| head`) ends quietly: never a
/// panic.
#[test]
fn output_to_a_full_disk_or_a_closed_pipe_never_panics() {
    let b = Books::new().at(NOW);
    let rows: Vec<String> =
        (0..300).map(|i| format!("2026-06-{:02},Acme GmbH,Website,item {i},1", 1 + i % 28)).collect();
    crate::crash::import_rows(&b, &rows);
    let list = ["--json", "time", "list"];

    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let out = b.command(&list).stdout(full).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("could not write the output: the disk is full"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // More output than a pipe holds, and the reader closes its end at once.
    let mut child = b.command(&list).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !stderr.contains("panicked"), "{:?}: {stderr}", out.status);
}
