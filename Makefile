# Offboard: build, run, test and benchmark. Every target installs what it needs and skips what is
# already present, so a fresh machine needs only `make run` and `make test`.
#
# The machines reach only package registries (crates.io, npm, Debian), so every tool comes from
# one of them, pinned; the comment beside each pin says why it exists.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Tools installed into the project (binaryen) come first on PATH, then cargo's bin directory.
TOOLS_DIR := $(CURDIR)/tools
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

TRUNK_VERSION := 0.21.14
BINARYEN_VERSION := 132.0.0
# axe-core: the accessibility rules the browser tests inject into every screen.
AXE_VERSION := 4.14.1
# schemathesis (PyPI, into a project virtualenv): the schema fuzzer of `make fuzz`.
SCHEMATHESIS_VERSION := 4.32.5
# wasm-bindgen-cli must equal the wasm-bindgen crate the app links, so read it from Cargo.lock.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;q}' Cargo.lock)

LISTEN ?= 127.0.0.1:8080
# `make run TLS=self-signed`: HTTPS with HTTP/2 (a certificate made at start; browsers warn).
TLS ?=
SCHEME := $(if $(TLS),https,http)
DEMO_DB ?= $(CURDIR)/.tmp/demo.db
# `make run-two`: a second demo platform (the same company's other tenant) beside the first.
SECOND_LISTEN ?= 127.0.0.1:8081
SECOND_DB ?= $(CURDIR)/.tmp/demo-second.db
SERVER := $(CURDIR)/target/release/offboard-server
FUZZ_VENV := $(CURDIR)/.tmp/fuzz-venv
FUZZ_EXAMPLES ?= 100
FUZZ_DB ?= sqlite
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install install-rust-target install-trunk install-wasm-bindgen install-wasm-opt \
        install-chromium install-axe install-postgres install-brotli check-versions app server cli run run-two test test-unit test-browser \
        lint fmt bench install-schemathesis fuzz

help:
	@echo "make run    install what is missing, build, start the demo server with the app on $(LISTEN)"
	@echo "            (TLS=self-signed: over HTTPS with HTTP/2)"
	@echo "make test   every test layer: engine unit tests, server integration tests, browser tests"
	@echo "make run-two  the same with a second demo platform on $(SECOND_LISTEN) (some people on both)"
	@echo "make cli    build the offboard command line into target/release/offboard"
	@echo "make lint   cargo fmt --check and clippy -D warnings on both targets"
	@echo "make bench  benchmarks: shipped size, directory keystroke, the lockout against the runbook and the browser's floor over HTTP/1.1 and HTTP/2, faults, cold load on a phone, bulk offboarding of 500 people"
	@echo "make fuzz   schemathesis against the reference server's openapi.json (FUZZ_DB=postgres too)"

# --- installs (idempotent) ---------------------------------------------------------------------

install: install-rust-target install-trunk install-wasm-bindgen install-wasm-opt install-chromium install-axe

install-rust-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown

install-trunk:
	@trunk --version 2>/dev/null | grep -qx "trunk $(TRUNK_VERSION)" \
	  || cargo install trunk --version $(TRUNK_VERSION) --locked

# Without --locked: wasm-bindgen-cli's lock file names a crate version this registry lacks.
install-wasm-bindgen:
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "no wasm-bindgen in Cargo.lock"; exit 1; }
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# binaryen from npm into tools/, never Debian's (version 108 silently corrupts the wasm).
install-wasm-opt:
	@$(TOOLS_DIR)/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version 132" \
	  || npm install --prefix $(TOOLS_DIR) --no-audit --no-fund --no-save binaryen@$(BINARYEN_VERSION)

install-chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver; }

# axe-core from npm into its own folder under tools/ (a shared --no-save install would prune
# binaryen); the browser tests read axe.min.js from there.
install-axe:
	@grep -qs '"version": "$(AXE_VERSION)"' $(TOOLS_DIR)/axe/node_modules/axe-core/package.json \
	  || npm install --prefix $(TOOLS_DIR)/axe --no-audit --no-fund --no-save axe-core@$(AXE_VERSION)

# PostgreSQL for the server's PostgreSQL test (make test starts a throwaway cluster).
install-postgres:
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y postgresql; }

install-brotli:
	@command -v brotli >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y brotli; }

# schemathesis from PyPI into its own virtualenv under .tmp/ (git-ignored), never the system's.
install-schemathesis:
	@$(FUZZ_VENV)/bin/schemathesis --version 2>/dev/null | grep -qx "schemathesis, version $(SCHEMATHESIS_VERSION)" \
	  || { python3 -m venv $(FUZZ_VENV) \
	       && $(FUZZ_VENV)/bin/pip install --quiet --disable-pip-version-check schemathesis==$(SCHEMATHESIS_VERSION); }

# The three wasm-bindgen versions (crate, CLI, Trunk.toml) must agree or the app loads blank.
check-versions:
	@grep -q 'wasm_bindgen = "$(WASM_BINDGEN_VERSION)"' Trunk.toml \
	  || { echo "Trunk.toml [tools] wasm_bindgen must be $(WASM_BINDGEN_VERSION) (Cargo.lock)"; exit 1; }

# --- builds ------------------------------------------------------------------------------------

# Trunk runs cargo with --offline; fetch first so a changed dependency is present. The server
# sends the .br / .gz written beside each file to browsers that accept them.
app: install-rust-target install-trunk install-wasm-bindgen install-wasm-opt install-brotli check-versions
	@cargo fetch --target wasm32-unknown-unknown --quiet
	trunk build --release
	@for f in dist/*.wasm dist/*.js dist/*.css; do brotli -f -k -q 11 "$$f"; gzip -f -k -9 "$$f"; done

server:
	cargo build --release -p offboard-server

# Two platforms of one company: the app and the main demo data on $(LISTEN), and a second demo
# platform on $(SECOND_LISTEN) (`--demo-set second`: the named people are on both, others on one).
# The second allows the app's origin (CORS) and the app's page may call it (CSP connect-src), so
# Connect can be pointed at either. Ctrl-C stops both.
run-two: app server
	@mkdir -p $(dir $(DEMO_DB)) && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(SECOND_DB) $(SECOND_DB)-wal $(SECOND_DB)-shm
	@echo
	@echo "Offboard is starting on http://$(LISTEN)/ with a second demo platform on http://$(SECOND_LISTEN)"
	@echo "The demo credentials of make run work on both."
	@echo
	$(SERVER) --listen $(SECOND_LISTEN) --database sqlite://$(SECOND_DB) --demo --demo-set second \
	  --cors-origin http://$(LISTEN) & trap 'kill $$!' EXIT; \
	$(SERVER) --listen $(LISTEN) --database sqlite://$(DEMO_DB) --demo --static $(CURDIR)/dist \
	  --connect-src http://$(SECOND_LISTEN)

# The `offboard` command line (target/release/offboard).
cli:
	cargo build --release -p offboard-cli

# --- run ---------------------------------------------------------------------------------------

# A fresh demo database each run, so the demo always starts from the runbooks' state.
run: app server
	@mkdir -p $(dir $(DEMO_DB)) && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@echo
	@echo "Offboard is starting on $(SCHEME)://$(LISTEN)/"
	@echo "Demo credentials (demo data only; never use them anywhere else):"
	@echo "  Acceldata ADOC  access key demo-owner-ak   secret key demo-owner-sk   (owner)"
	@echo "                  access key demo-admin-ak   secret key demo-admin-sk   (admin)"
	@echo "  Treasure Data   API key 1/demo-owner-master (owner), 1/demo-admin-master (admin)"
	@echo "Press Ctrl-C to stop."
	@echo
	$(SERVER) --listen $(LISTEN) --database sqlite://$(DEMO_DB) --demo --static $(CURDIR)/dist \
	  $(if $(TLS),--tls $(TLS))

# --- tests -------------------------------------------------------------------------------------

# The browser tests serve dist/ (the release build) and drive Debian's Chromium via chromedriver;
# the server's PostgreSQL test gets a throwaway cluster.
test: app install-chromium install-axe install-postgres
	scripts/with-postgres.sh cargo test --workspace --no-fail-fast -- --test-threads=2

test-unit:
	cargo test -p offboard-engine

test-browser: app install-chromium install-axe
	cargo test -p offboard --test browser -- --test-threads=2

# Schema fuzzing: the tests check the cases we thought of; schemathesis generates thousands from
# openapi.json (hostile strings, wrong types, every status path, call sequences) against the
# release server on a throwaway demo database, and fails on a 5xx or any response the spec does
# not describe. FUZZ_EXAMPLES caps the fuzzing phase's cases per operation (the other phases add
# their own); FUZZ_DB=postgres runs the server on a throwaway PostgreSQL cluster, not SQLite.
fuzz: server install-schemathesis $(if $(filter postgres,$(FUZZ_DB)),install-postgres)
	FUZZ_DB=$(FUZZ_DB) $(if $(filter postgres,$(FUZZ_DB)),scripts/with-postgres.sh) \
	  scripts/fuzz.sh $(FUZZ_VENV)/bin/schemathesis --max-examples $(FUZZ_EXAMPLES)

lint: install-rust-target
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p offboard --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all

# --- benchmarks --------------------------------------------------------------------------------

bench: app server install-chromium install-brotli
	cargo run --release -p offboard --example bench
