#!/usr/bin/env bash
# Fuzzes every cargo-fuzz target of fuzz/ for FUZZ_SECONDS each (default 600),
# niced and two at a time, then prints per target: seconds, executions,
# executions per second, corpus size and crashes. Needs the nightly
# toolchain; installs the pinned cargo-fuzz when it is missing.
#
#   scripts/fuzz.sh                 all targets, 10 minutes each
#   FUZZ_SECONDS=60 scripts/fuzz.sh totals amounts
#
# The growing corpus of each target is kept in fuzz/runs/<target>/corpus (the
# seeds in fuzz/corpus/<target> are only read); a crashing input lands in
# fuzz/artifacts/<target>/ and the run fails. Keep it in fuzz/regressions/ and
# its fix as a test of the crate.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

CARGO_FUZZ_VERSION=0.13.2
SECONDS_EACH=${FUZZ_SECONDS:-600}
JOBS=${FUZZ_JOBS:-2}

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: the nightly toolchain is needed: rustup toolchain install nightly" >&2
  exit 1
fi
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
if [ -n "${FUZZ_TARGET_DIR:-}" ]; then
  FUZZ_TARGET_DIR=$(realpath -m "$FUZZ_TARGET_DIR")
fi

# Targets that need the whole application (feature "app" of fuzz/Cargo.toml).
app_targets=" import_books entries settings mail "
flags() {
  local f=()
  if [[ "$app_targets" == *" $1 "* ]]; then f+=(--features app); fi
  if [ -n "${FUZZ_TARGET_DIR:-}" ]; then f+=(--target-dir "$FUZZ_TARGET_DIR"); fi
  echo "${f[@]}"
}

for t in "${targets[@]}"; do
  # shellcheck disable=SC2046
  nice -n 10 cargo +nightly fuzz build $(flags "$t") "$t"
done

run_one() {
  local t=$1 dir=runs/$1
  mkdir -p "$dir/corpus" "corpus/$t"
  # shellcheck disable=SC2046
  nice -n 10 cargo +nightly fuzz run $(flags "$t") "$t" "$dir/corpus" "corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -print_final_stats=1 -rss_limit_mb=4096 -max_len=4096 \
    >"$dir/log" 2>&1 && echo ok >"$dir/status" || echo crash >"$dir/status"
}

for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  echo "fuzz: $t for ${SECONDS_EACH}s"
  run_one "$t" &
done
wait

failed=0
printf '%-14s %8s %12s %10s %8s %s\n' target seconds execs execs/s corpus crashes
for t in "${targets[@]}"; do
  log=runs/$t/log
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' | tail -1 || true)
  secs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | awk '{print $5}' | tail -1 || true)
  corpus=$(find "runs/$t/corpus" -type f | wc -l)
  crashes=0
  if [ "$(cat "runs/$t/status")" != ok ]; then
    crashes=1
    failed=1
  fi
  rate=$(( ${execs:-0} / ( ${secs:-0} > 0 ? ${secs:-1} : 1 ) ))
  printf '%-14s %8s %12s %10s %8s %s\n' "$t" "${secs:-?}" "${execs:-?}" "$rate" "$corpus" "$crashes"
  if [ "$crashes" -ne 0 ]; then
    grep -E 'panicked at|Test unit written to' "$log" | head -3 | sed 's/^/    /'
  fi
done
exit "$failed"
