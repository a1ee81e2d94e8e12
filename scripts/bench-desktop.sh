#!/usr/bin/env bash
# Measures the desktop app as a user gets it (release build):
#   1. cold start: from launching the process to the window's first
#      contentful paint and to the first view (navigation and timer) on
#      screen, over RUNS launches on realistic books (each launch a new
#      process with its own fresh config folders; the OS file cache is warm);
#   2. memory: PSS summed over the app and every process it started
#      (WebKit's web and network processes), after visiting every view and
#      IDLE seconds idle (scripts/measure-desktop.sh);
# each for three settings of the web engine (BILLABLE_WEBKIT);
#   3. the .deb package's size (`make bundle`).
# Runs under its own Xvfb display. Usage: scripts/bench-desktop.sh [RUNS] [IDLE]
set -euo pipefail
cd "$(dirname "$0")/.."
# A desktop session has a session bus (the app's single-instance guard, the
# tray and accessibility use it); without one GTK starts its own at each
# launch. Measure as a desktop runs the app.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
    exec dbus-run-session -- "$0" "$@"
fi
runs=${1:-10}
idle=${2:-60}
target=${CARGO_TARGET_DIR:-target}

# The packaged app: `make bundle` builds the release binary the .deb ships.
make --no-print-directory bundle >&2
cargo build --release -p billable-cli >&2
app="$target/release/billable-desktop"
deb=$(ls -t "$target"/release/bundle/deb/*.deb | head -n1)
cli="$target/release/billable"

work=$(mktemp -d)
xvfb_pid=
cleanup() {
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A display of our own.
for n in $(seq 90 140); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=":$n"; break; fi
done
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

# Realistic books: three clients, projects, a month of entries, two
# invoices, and a running timer (the first view shows it).
books="$work/books.db"
b() { BILLABLE_DB="$books" "$cli" "$@" >/dev/null; }
b client add "Acme GmbH" --currency EUR
b client add "Globex Ltd" --currency GBP
b client add "Initech Inc" --currency USD
b project add "Website relaunch" --client 1 --rate 120
b project add "Online shop" --client 2 --rate 95
b project add "Support" --client 3 --rate 80
for day in $(seq -w 1 28); do
    for p in 1 2 3; do
        b time add --project "$p" --date "2026-10-$day" --hours 2.5 -d "Work on day $day"
    done
done
b invoice from-time --client 1
b invoice from-time --client 2
b timer start --project 3 -d "Ticket triage"

now_ms() { date +%s%3N; }
stats() {
    python3 -c '
import statistics, sys
xs = sorted(int(x) for x in sys.argv[2:])
print(f"{sys.argv[1]}: median {statistics.median(xs):.0f} ms, min {xs[0]} ms, max {xs[-1]} ms ({len(xs)} launches)")
' "$@"
}

# RUNS launches with the WebKit settings in BILLABLE_WEBKIT (empty: as shipped).
launches() {
    local fcp_list=() view_list=() i home log start pid line fcp view
    for i in $(seq "$runs"); do
        home="$work/home$i"
        rm -rf "$home"
        mkdir -p "$home"
        log="$home/stderr"
        start=$(now_ms)
        BILLABLE_DB="$books" BILLABLE_STARTUP_TRACE=1 XDG_CONFIG_HOME="$home/config" \
            XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" "$app" 2>"$log" &
        pid=$!
        for _ in $(seq 600); do
            grep -q 'billable-desktop startup:' "$log" && break
            sleep 0.01
        done
        line=$(grep 'billable-desktop startup:' "$log" || true)
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        if [ -z "$line" ]; then
            echo "bench-desktop: launch $i did not report a first paint within 6 s" >&2
            cat "$log" >&2
            exit 1
        fi
        # The shell's own moments (process start, books open, set-up, page load).
        sed -n "s/^billable-desktop startup mark: \([a-z-]*\)=\([0-9]*\)$/\1 \2/p" "$log" |
            while read -r what ms; do echo "$what $((ms - start))"; done >>"$work/marks"
        fcp=$(sed -n 's/.*first-contentful-paint=\([0-9]*\).*/\1/p' <<<"$line")
        view=$(sed -n 's/.*first-view=\([0-9]*\).*/\1/p' <<<"$line")
        [ -n "$fcp" ] && fcp_list+=($((fcp - start)))
        view_list+=($((view - start)))
    done
    python3 -c '
import collections, statistics, sys
marks = collections.defaultdict(list)
for line in open(sys.argv[1]):
    what, ms = line.split()
    marks[what].append(int(ms))
for what, xs in marks.items():
    print(f"  launch to {what}: median {statistics.median(xs):.0f} ms (min {min(xs)}, max {max(xs)})")
' "$work/marks"
    rm -f "$work/marks"
    [ "${#fcp_list[@]}" -gt 0 ] && stats "  launch to first contentful paint" "${fcp_list[@]}"
    stats "  launch to first view on screen" "${view_list[@]}"
}

echo "== Desktop app (release), $(nproc) cores, WebKitGTK $(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo '?') under Xvfb"
# The levers compared (src-tauri/src/webkit.rs): WebKit's own defaults for a
# browser (OpenGL compositing, the web-browser cache model, page cache,
# WebGL, Web Audio); those features off but composited through OpenGL; and
# as shipped (the same, drawn on the CPU).
for setting in "webkit-defaults=gpu,cache=browser,lean=off" "lean-gpu=gpu" "shipped="; do
    name=${setting%%=*}
    export BILLABLE_WEBKIT=${setting#*=}
    echo "-- $name (BILLABLE_WEBKIT='$BILLABLE_WEBKIT')"
    launches
    # Memory after visiting every view and idling.
    echo "  $(scripts/measure-desktop.sh "$app" "$idle" "$books")"
done
unset BILLABLE_WEBKIT

# The package.
echo ".deb: $(basename "$deb") $(( $(stat -c %s "$deb") / 1024 )) KiB ($(dpkg-deb -f "$deb" Installed-Size) KiB installed)"
