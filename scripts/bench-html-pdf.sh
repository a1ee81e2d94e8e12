#!/usr/bin/env bash
# Billable's PDF side by side with headless Chromium (--print-to-pdf) and
# wkhtmltopdf, on the same invoices (one page, 50 pages). Run by `make bench`.
#
# 1. builds the release `billable` command line;
# 2. writes a small books file with the two invoices through it;
# 3. runs the bench `crates/docs/benches/html_pdf.rs`, which writes the same
#    invoices as HTML (same data, same fonts through @font-face), times our
#    `billable invoice pdf` process against a chromium and a wkhtmltopdf
#    process, and our in-process render against theirs, and prints ratios.
#
# A peer that is not installed is skipped with a message (make bench-deps
# installs both). BENCH_RUNS sets the runs per measurement (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -p billable-cli
bin="$target/release/billable"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
books="$work/books.db"
b() { BILLABLE_NOW="2026-01-31T09:00:00+01:00" "$bin" --db "$books" --json "$@"; }

b business set --name "Nordlicht Studio GmbH" --street "Hafenstraße 12" --postcode 20457 --city Hamburg \
  --country DE --vat-id DE123456789 --email billing@nordlicht.example --phone "+49 40 123456" \
  --iban DE89370400440532013000 --bic COBADEFFXXX --currency EUR --locale en-GB --template classic >/dev/null
b tax add "VAT 19%" --percent 19 >/dev/null
b client add "Client & Söhne <KG>" --street "Marktplatz 1" --postcode 80331 --city München --country DE >/dev/null

one=$(b invoice create --client "Client & Söhne <KG>" --tax 1 \
  --line "Design workshop and written summary|3.5|120" \
  --line "Frontend development: product pages and checkout|24.5|95" \
  --line "Stock photography licences|6|49.90|pcs" \
  --line "Hosting, 12 months|12|15.90|pcs" | jq -r .number)

lines=()
for i in $(seq 1 1065); do lines+=(--line "Support ticket #$i: analysis and fix|1.5|80"); done
long=$(b invoice create --client "Client & Söhne <KG>" --tax 1 "${lines[@]}" | jq -r .number)

for peer in chromium wkhtmltopdf; do
  command -v "$peer" >/dev/null || echo "bench-html-pdf: $peer is not installed (make bench-deps); it will be skipped"
done

BILLABLE_BIN="$bin" BILLABLE_BOOKS="$books" BILLABLE_ONE_PAGE="$one" BILLABLE_FIFTY_PAGES="$long" \
  cargo bench -p billable-docs --bench html_pdf
