# Billable: build, run and test. `make deps` installs what a fresh
# Debian/Ubuntu machine lacks (scripts/install-deps.sh); the other targets
# call it first, and it does nothing when all is in place.

CARGO_TARGET_DIR ?= $(CURDIR)/target

.PHONY: help deps ui run test cli bundle bench

help:
	@echo "make deps    install system packages, Rust components and ui/node_modules"
	@echo "make ui      build the frontend into ui/dist"
	@echo "make run     start the desktop app"
	@echo "make test    formatting, clippy, all Rust tests, frontend checks and tests"
	@echo "make cli     build the billable command line (release)"
	@echo "make bundle  build a .deb package of the desktop app"
	@echo "make bench   measure PDF and Factur-X rendering (results belong in BENCHMARKS.md)"

deps:
	@scripts/install-deps.sh

ui: deps
	cd ui && npm run build

run: ui
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "make run: no display (DISPLAY and WAYLAND_DISPLAY are unset)."; \
		echo "  On a headless machine, start a virtual one: xvfb-run -a make run"; \
		exit 1; \
	fi
	cargo run -p billable-desktop

test: ui
	cd ui && npm run check && npm test
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	scripts/check-architecture.sh
	cargo test --workspace

cli:
	cargo build -p billable-cli --release
	@echo "billable CLI: $(CARGO_TARGET_DIR)/release/billable"

bundle: ui
	npm exec --prefix ui -- tauri build --bundles deb -- --package billable-desktop
	@echo "deb package: $(CARGO_TARGET_DIR)/release/bundle/deb/"

bench:
	cargo bench -p billable-docs --bench pdf
	cargo bench -p billable-docs --bench facturx
