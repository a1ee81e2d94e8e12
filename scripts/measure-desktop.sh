#!/usr/bin/env bash
# Measures the desktop app's idle memory: it starts the app under Xvfb on
# fresh books, waits until it is idle, and sums the proportional set size
# (PSS) of the app and every process it started (WebKit's web and network
# processes). Usage: scripts/measure-desktop.sh [path/to/billable-desktop] [idle seconds] [books.db]
# (fresh books when none are given; scripts/bench-desktop.sh passes realistic ones).
# Cold start to first paint is measured by the end-to-end test
# `every_main_view_on_realistic_books` (it prints it).
set -euo pipefail
cd "$(dirname "$0")/.."
app=${1:-target/debug/billable-desktop}
idle=${2:-20}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
books=${3:-$home/books.db}

BILLABLE_DB="$books" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    xvfb-run -a --server-args="-screen 0 1400x900x24" "$app" &
runner=$!
sleep "$idle"

# The app is the process running $app below xvfb-run; its descendants are WebKit's.
descendants() {
    local pid=$1 child
    echo "$pid"
    for child in $(ps -o pid= --ppid "$pid"); do descendants "$child"; done
}
app_pid=$(for p in $(descendants "$runner"); do
    if [ "$(readlink -f /proc/"$p"/exe 2>/dev/null)" = "$(readlink -f "$app")" ]; then echo "$p"; fi
done | head -n1)
if [ -z "$app_pid" ]; then
    echo "measure-desktop: the app did not start" >&2
    kill "$runner" 2>/dev/null || true
    exit 1
fi
total=0
for p in $(descendants "$app_pid"); do
    kb=$(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
    printf '%-8s %-28s %8s kB\n' "$p" "$(cat /proc/"$p"/comm 2>/dev/null)" "${kb:-0}"
    total=$((total + ${kb:-0}))
done
echo "PSS total: $((total / 1024)) MiB after ${idle} s idle"
kill "$app_pid" 2>/dev/null || true
wait "$runner" 2>/dev/null || true
