#!/usr/bin/env bash
# The arrows of DESIGN.md §1, checked: the domain is pure, the front doors
# reach the books only through billable-app, and money never touches a float.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
say() { echo "architecture: $*" >&2; fail=1; }

deps() { cargo tree -p "$1" -e normal --prefix none --format '{p}' 2>/dev/null | awk '{print $1}' | sort -u; }

core=$(deps billable-core)
for banned in tauri rusqlite libsqlite3-sys lettre keyring printpdf tokio billable-store billable-app; do
  if grep -qx "$banned" <<<"$core"; then say "billable-core depends on $banned; it must stay pure"; fi
done
if grep -rnE 'Utc::now|Local::now|SystemTime::now|Instant::now|std::fs|std::net|std::env' crates/core/src; then
  say "billable-core reads the clock, files, the network or the environment; pass them in instead"
fi

mail=$(deps billable-mail)
for banned in rusqlite libsqlite3-sys billable-store billable-app tauri; do
  if grep -qx "$banned" <<<"$mail"; then say "billable-mail depends on $banned; it knows SMTP and the keyring, not the books"; fi
done

for front in billable-cli billable-desktop; do
  direct=$(cargo tree -p "$front" -e normal --depth 1 --prefix none --format '{p}' 2>/dev/null | awk '{print $1}' | sort -u)
  for banned in rusqlite billable-store; do
    if grep -qx "$banned" <<<"$direct"; then say "$front depends on $banned directly; it must go through billable-app"; fi
  done
done
if grep -rnE '\b(prepare|execute|query_row)\(' crates/cli/src src-tauri/src 2>/dev/null; then
  say "SQL in a front door; put the operation in billable-app"
fi

# The PDF layout (crates/docs/src/pdf/) places text in points, which printpdf
# takes as f32: geometry, not money — amounts reach it as Decimal and leave as
# formatted text. Its money-free modules are the only place floats may appear.
floats=$(grep -rnE '\b(f32|f64)\b|as_f64|to_f64|\bREAL\b' crates --include=*.rs --include=*.sql \
  | grep -vE '^\S+:[0-9]+:\s*//' \
  | grep -vE '^crates/docs/src/pdf/(mod|canvas|fonts)\.rs:' || true)
if grep -rnE 'Decimal.*\b(f32|f64)\b|\b(f32|f64)\b.*Decimal|to_f32|to_f64|from_f32|from_f64' crates/docs/src/pdf/; then
  say "a Decimal meets a float in the PDF layout; format amounts as text instead"
fi
if [ -n "$floats" ]; then
  echo "$floats" >&2
  say "floats or REAL columns in the crates; money is Decimal end to end"
fi
if grep -rnE '\.round_dp\(|\.round\(\)' crates --include=*.rs; then
  say "direct round()/round_dp() (banker's rounding); money goes through round_money"
fi

if [ "$fail" -ne 0 ]; then exit 1; fi
echo "architecture: ok (core pure, front doors through billable-app, no floats near money)"
