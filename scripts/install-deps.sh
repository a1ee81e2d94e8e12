#!/usr/bin/env bash
# Installs what building, running and testing Billable needs and a fresh
# Debian/Ubuntu machine lacks: the Tauri system libraries, Xvfb, the Rust
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
)

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
