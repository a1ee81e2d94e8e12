#!/usr/bin/env bash
# Measures the desktop app's memory as a user leaves it: starts the app,
# waits for its first view, visits every view of the window (Ctrl+1 … Ctrl+0,
# as a user's keys, through xdotool) unless TOUR=0, then leaves it idle and
# sums the proportional set size (PSS, /proc/PID/smaps_rollup) of the app
# and every process it started (WebKit's web and network processes).
#
# Usage: scripts/measure-desktop.sh [path/to/billable-desktop] [idle seconds] [books.db]
# Fresh books when none are given; on the display in DISPLAY when set,
# else on a virtual one (xvfb-run). scripts/bench-desktop.sh runs it for
# each WebKit setting it compares (BILLABLE_WEBKIT, passed through).
set -euo pipefail
cd "$(dirname "$0")/.."
app=${1:-target/debug/billable-desktop}
idle=${2:-60}
home=$(mktemp -d)
runner=
cleanup() {
    [ -n "$runner" ] && kill "$runner" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT
books=${3:-$home/books.db}

if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a --server-args="-screen 0 1400x900x24" "$0" "$app" "$idle" "$books"
fi

log="$home/stderr"
BILLABLE_DB="$books" BILLABLE_STARTUP_TRACE=1 XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_CACHE_HOME="$home/cache" "$app" 2>"$log" &
runner=$!
for _ in $(seq 300); do
    grep -q 'billable-desktop startup:' "$log" && break
    sleep 0.05
done
if ! grep -q 'billable-desktop startup:' "$log"; then
    echo "measure-desktop: the app showed no first view within 15 s" >&2
    cat "$log" >&2
    exit 1
fi

visited=0
if [ "${TOUR:-1}" != 0 ]; then
    window=$(xdotool search --sync --onlyvisible --name '^Billable$' | head -n1)
    xdotool windowfocus --sync "$window" 2>/dev/null || true
    # Home, Time, Clients & projects, Invoices, Recurring, Reports, Email,
    # Import & backups, Settings, then the Timer again.
    for key in 2 3 4 5 6 7 8 9 0 1; do
        xdotool key --clearmodifiers "ctrl+$key"
        visited=$((visited + 1))
        sleep 1.5
    done
fi
sleep "$idle"

descendants() {
    local pid=$1 child
    echo "$pid"
    for child in $(ps -o pid= --ppid "$pid"); do descendants "$child"; done
}
total=0
parts=()
for p in $(descendants "$runner"); do
    kb=$(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
    parts+=("$(cat /proc/"$p"/comm 2>/dev/null) $(( ${kb:-0} / 1024 ))")
    total=$((total + ${kb:-0}))
done
echo "PSS total: $((total / 1024)) MiB after $visited views and ${idle} s idle ($(IFS=,; echo "${parts[*]}" | sed 's/,/, /g'))"
