//! A private D-Bus session bus with an unlocked GNOME Keyring (Secret
//! Service) on it, as on a desktop, for the tests that keep passwords in the
//! OS keyring (the CLI's mail tests, the desktop's team books walk).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

/// A private D-Bus session bus with an unlocked GNOME Keyring (Secret
/// Service) on it, as on a desktop; torn down when dropped.
pub struct SecretService {
    bus: Child,
    pub address: String,
    pub home: tempfile::TempDir,
}

impl SecretService {
    pub fn start() -> SecretService {
        let home = tempfile::tempdir().unwrap();
        let run = home.path().join("run");
        std::fs::create_dir_all(&run).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .env("HOME", home.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start dbus-daemon (apt packages dbus, dbus-x11)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap()).read_line(&mut address).unwrap();
        let address = address.trim().to_string();
        assert!(address.starts_with("unix:"), "dbus-daemon printed {address:?}");
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_RUNTIME_DIR", &run)
            .env("XDG_DATA_HOME", home.path().join("data"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gnome-keyring-daemon (apt package gnome-keyring)");
        // The password that unlocks (creates) the login keyring.
        keyring.stdin.take().unwrap().write_all(b"keyring-unlock-pw").unwrap();
        let out = keyring.wait_with_output().unwrap();
        assert!(out.status.success(), "gnome-keyring-daemon: {}", String::from_utf8_lossy(&out.stderr));
        SecretService { bus, address, home }
    }

    /// The secret stored for (service, username), through libsecret's tool.
    pub fn lookup(&self, service: &str, username: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", service, "username", username])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("HOME", self.home.path())
            .output()
            .expect("run secret-tool (apt package libsecret-tools)");
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).to_string())
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        // gnome-keyring-daemon leaves when its bus goes away.
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
