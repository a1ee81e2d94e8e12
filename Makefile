# Billable: build, run and test. `make deps` installs what a fresh
# Debian/Ubuntu machine lacks (scripts/install-deps.sh); the other targets
# call it first, and it does nothing when all is in place.

CARGO_TARGET_DIR ?= $(CURDIR)/target

.PHONY: help deps ui run test e2e cli bundle bench bench-deps

help:
	@echo "make deps    install system packages, Rust components and ui/node_modules"
	@echo "make ui      build the frontend into ui/dist"
	@echo "make run     start the desktop app"
	@echo "make test    formatting, clippy, all Rust tests, frontend checks and tests, the app end to end"
	@echo "make e2e     only the desktop end-to-end test (the real window under Xvfb)"
	@echo "make cli     build the billable command line (release)"
	@echo "make bundle  build .deb and .rpm packages of the desktop app"
	@echo "make bench   measure books at scale (a file and team books on PostgreSQL), import, PDF and Factur-X (against Chromium, wkhtmltopdf, Timewarrior) and the desktop app (results belong in BENCHMARKS.md)"
	@echo "make fuzz    fuzz the totals engine and every parser of user text (nightly; FUZZ_SECONDS=600 each)"

deps:
	@scripts/install-deps.sh

ui: deps
	cd ui && npm run build

# Without a display (a headless machine, a container), the app starts on a
# virtual one: Xvfb, which `make deps` has installed.
run: ui
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "make run: no display (DISPLAY and WAYLAND_DISPLAY are unset); starting Billable on a virtual one (Xvfb)"; \
		exec xvfb-run -a --server-args="-screen 0 1400x900x24" cargo run -p billable-desktop; \
	fi; \
	cargo run -p billable-desktop

test: ui
	cd ui && npm run check && npm test
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	scripts/check-architecture.sh
	cargo test --workspace
	@echo "the use cases again, on team books (a PostgreSQL server the suite starts):"
	BILLABLE_TEST_DB=postgres cargo test -p billable-app --test app
	@echo "e-invoice matrix on the official rule sets (tests/einvoice-rules):"
	@cat $(CARGO_TARGET_DIR)/tmp/einvoice-cii.txt $(CARGO_TARGET_DIR)/tmp/einvoice-xrechnung.txt $(CARGO_TARGET_DIR)/tmp/einvoice-ubl.txt
	$(MAKE) e2e

# The real app under Xvfb through tauri-driver + WebKitWebDriver; screenshots
# of each step land in artifacts/desktop/. The debug app is built first, with
# the command line the walks compare the window's files against.
e2e: ui
	cargo build -p billable-desktop -p billable-cli
	xvfb-run -a --server-args="-screen 0 1400x900x24" \
		cargo test -p billable-desktop --test desktop -- --ignored --test-threads=1

cli:
	cargo build -p billable-cli --release
	@echo "billable CLI: $(CARGO_TARGET_DIR)/release/billable"

bundle: ui
	npm exec --prefix ui -- tauri build --bundles deb,rpm -- --package billable-desktop
	scripts/repack-deb.sh $$(ls -t $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb | head -n1)
	@echo "packages: $(CARGO_TARGET_DIR)/release/bundle/deb/ and $(CARGO_TARGET_DIR)/release/bundle/rpm/"

bench-deps:
	@scripts/install-deps.sh --bench

bench: bench-deps
	cargo bench -p billable-docs --bench pdf
	cargo bench -p billable-docs --bench facturx
	cargo build --release -p billable-cli
	scripts/bench-html-pdf.sh
	cargo bench -p billable-app --bench books
	cargo bench -p billable-app --bench team_books
	cargo bench -p billable-app --bench import
	scripts/bench-desktop.sh

# The reliability suite alone: SIGKILL trials, concurrent writers, a full
# disk and read-only books, on books files and on team books (PostgreSQL;
# crash::team_from_time, team_concurrency) (also part of `make test`).
# RUNS=10 repeats it, each run with new kill points; BILLABLE_CRASH_SEED=<seed>
# replays one. On team books PG_TRIALS sets the kill trials (default 50) and
# PG_OPS the operations of each of the five concurrent processes (default 50):
# make reliability PG_TRIALS=500 PG_OPS=500
RUNS ?= 1
PG_TRIALS ?= 50
PG_OPS ?= 50
.PHONY: reliability
reliability:
	for run in $$(seq $(RUNS)); do \
		BILLABLE_PG_TRIALS=$(PG_TRIALS) BILLABLE_PG_OPS=$(PG_OPS) \
		cargo test -p billable-cli --test cli -- crash:: concurrency:: team_concurrency:: storage:: || exit 1; \
	done

# Fuzzing with cargo fuzz (nightly; not part of `make test`): every target of
# fuzz/ for FUZZ_SECONDS each (default 600), niced, two at a time. Findings
# land in fuzz/artifacts/; keep them in fuzz/regressions/ with a test.
.PHONY: fuzz
FUZZ_SECONDS ?= 600
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh
