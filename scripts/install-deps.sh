#!/usr/bin/env bash
# Installs what building, running and testing Billable needs and a fresh
# Debian/Ubuntu machine lacks: the Tauri system libraries, Xvfb, PostgreSQL, the Rust
# components rustfmt and clippy, and the frontend's npm packages.
# Idempotent: every step is skipped when it is already done, so `make` can
# call it before each target.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'install-deps: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        log "need root (or sudo) to run: $*"
        exit 1
    fi
}

# --- System packages (Tauri on Linux: WebKitGTK, tray, SVG, xdo; Xvfb for tests)
apt_packages=(
    libwebkit2gtk-4.1-dev
    libayatana-appindicator3-dev
    librsvg2-dev
    libxdo-dev
    build-essential
    pkg-config
    libssl-dev
    curl
    file
    xvfb
    # documents: PDF checks (qpdf), text and PNGs of PDFs (poppler-utils)
    qpdf
    poppler-utils
    imagemagick
    # tests that drive Python tools (e-invoice validators, an SMTP server)
    python3
    python3-venv
    # mail: the OS keyring on Linux (Secret Service) in a test D-Bus session
    gnome-keyring
    dbus
    dbus-x11
    libsecret-tools
    # desktop end-to-end tests: WebKitWebDriver (driven through tauri-driver)
    webkit2gtk-driver
    # the German locale the desktop walk runs the window under (generated below)
    locales
    # team books: the tests start their own PostgreSQL server (initdb into a
    # temporary folder, crates/pgtest) and run psql as a member would
    postgresql
)

# `make bench` compares Billable with the tools people use today, side by side:
# headless Chromium and wkhtmltopdf (HTML invoice to PDF) and Timewarrior
# (`timew summary`); xdotool walks the app's views for the memory figure
# (scripts/measure-desktop.sh). Installed only with --bench.
if [ "${1:-}" = "--bench" ]; then
    apt_packages+=(chromium wkhtmltopdf timewarrior hyperfine x11-utils xdotool)
fi

installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

missing=()
for package in "${apt_packages[@]}"; do
    installed "$package" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
        log "missing system packages: ${missing[*]}; install them with your package manager"
        exit 1
    fi
    log "installing system packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- Rust components used by `make test`
for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        if command -v rustup >/dev/null; then
            log "adding the Rust component $component"
            rustup component add "$component"
        else
            log "cargo lacks $component and there is no rustup to add it"
            exit 1
        fi
    fi
done

# --- The German locale (de_DE.UTF-8): the desktop walk checks the window in
# German, and WebKit offers a language only when its locale is installed.
if ! locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
    log "generating the locale de_DE.UTF-8"
    as_root localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi

# --- Python tools the tests drive (tests/python/requirements.txt) in .venv/
venv=.venv
wanted_py=$(sha256sum tests/python/requirements.txt | cut -d' ' -f1)
if [ "$(cat "$venv/.billable-deps" 2>/dev/null)" != "$wanted_py" ]; then
    log "installing the test suite's Python tools into $venv/"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/python/requirements.txt
    printf '%s\n' "$wanted_py" >"$venv/.billable-deps"
fi

# --- tauri-driver: the WebDriver bridge the desktop end-to-end tests use
tauri_driver_version=2.1.0
if ! tauri-driver --help >/dev/null 2>&1 && ! [ -x "$HOME/.cargo/bin/tauri-driver" ]; then
    log "installing tauri-driver $tauri_driver_version (cargo install)"
    cargo install tauri-driver --locked --version "$tauri_driver_version"
fi

# --- Frontend packages: installed from package-lock.json when node_modules is
# missing or package.json / package-lock.json changed since the last install.
# `npm install --no-save` rather than `npm ci`: the registry this project's
# machines reach serves only Linux builds of platform packages (rollup's,
# esbuild's, the Tauri CLI's), so the lock file lacks the other platforms'
# entries and `npm ci` refuses it. With exact versions in package.json and the
# lock file present, `npm install --no-save` installs the locked tree and
# writes neither file.
if ! command -v npm >/dev/null; then
    log "Node.js (>= 20.19) with npm is needed to build the frontend in ui/"
    exit 1
fi
stamp=ui/node_modules/.billable-deps
wanted=$(cat ui/package.json ui/package-lock.json | sha256sum | cut -d' ' -f1)
if [ ! -d ui/node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    log "installing the frontend's packages (npm install in ui/)"
    (cd ui && npm install --no-save --no-audit --no-fund)
    printf '%s\n' "$wanted" >"$stamp"
fi
