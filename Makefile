# Kabinet: `make run` and `make test` do all set-up on a fresh Debian machine with rustup,
# Node 20+ and make. Nothing is downloaded from outside the Rust, npm and Debian registries.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130

# One warm target dir outside the clone keeps rebuilds fast across clones.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/kabinet/target
NODE_BIN := $(CURDIR)/end2end/node_modules/.bin
# npm's wasm-opt (binaryen 132) must come before Debian's /usr/bin/wasm-opt, which breaks the WASM.
export PATH := $(NODE_BIN):$(HOME)/.cargo/bin:$(PATH)
export LEPTOS_SITE_ROOT := $(CURDIR)/target/site
BIN := $(CARGO_TARGET_DIR)/release/kabinet
SSR := -p app -p kabinet --features app/ssr
HYDRATE := -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown

.PHONY: help run build tools FORCE test fmt-check js-check clippy wasm-deps unit unit-dates e2e chromium pdftotext bench lighthouse clean-data

help:
	@echo "make run    — собрать и запустить на http://127.0.0.1:3000 (демо-данные загружаются один раз)"
	@echo "make test   — все проверки и тесты, включая Playwright в Chromium"
	@echo "make bench  — замеры производительности"
	@echo "make lighthouse — Lighthouse (телефон) на главных страницах"

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if ! cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)"; then \
		echo "Устанавливаем cargo-leptos $(CARGO_LEPTOS_VERSION) (≈15 минут, один раз)"; \
		cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads; \
	fi
	@if ! wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then \
		echo "Устанавливаем wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@if [ ! -x "$(NODE_BIN)/wasm-opt" ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then \
		cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; \
	fi

# Rebuild only when a source changed, so a second `make run` starts in seconds.
SOURCES := $(shell find app frontend server migrations style public -type f -not -path '*/tests/*' -not -path 'server/bench/*') Cargo.toml Cargo.lock
BUILD_STAMP := target/.release-build
ifeq ($(wildcard $(BIN)),)
$(BUILD_STAMP): FORCE
endif
$(BUILD_STAMP): $(SOURCES)
	$(MAKE) --no-print-directory tools
	cargo leptos build --release
	@# The page script is on every page: shipped minified (4.8 kB instead of 8.2 kB brotli),
	@# kept readable in public/. cargo-leptos minifies its own glue the same way.
	$(NODE_BIN)/terser public/page.js --module --compress --mangle --output $(LEPTOS_SITE_ROOT)/page.js
	@# Brotli 11 and gzip 9 beside each asset: the server never compresses a static file.
	$(BIN) precompress
	@mkdir -p target && touch $@

build: $(BUILD_STAMP)

FORCE:

run: build
	@mkdir -p data
	@$(BIN) seed-demo
	@echo "Открывайте http://127.0.0.1:3000 — письма видны на http://127.0.0.1:3000/dev/mail"
	KABINET_DEMO=$${KABINET_DEMO:-1} $(BIN) serve

fmt-check:
	cargo fmt --all -- --check

# The page script and the service worker are plain JavaScript with no build step: they must parse.
js-check:
	node --check public/page.js
	node --check public/sw.js

clippy: tools
	cargo clippy $(SSR) --all-targets -- -D warnings
	cargo clippy $(HYDRATE) -- -D warnings

# Server-only crates must never reach the browser bundle.
wasm-deps: tools
	@if cargo tree $(HYDRATE) -e normal --prefix none | grep -Eq '^(sea-orm|sqlx|sqlx-[a-z]+|argon2|tokio|axum|lettre) v'; then \
		echo "Серверные зависимости попали в WASM:"; \
		cargo tree $(HYDRATE) -e normal --prefix none | grep -E '^(sea-orm|sqlx|sqlx-[a-z]+|argon2|tokio|axum|lettre) v' | sort -u; \
		exit 1; \
	fi
	@echo "WASM: серверных зависимостей нет"

# Unit and integration tests: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set.
unit: pdftotext
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then echo "PostgreSQL: $${TEST_DATABASE_URL%%@*}@…"; else echo "TEST_DATABASE_URL не задан: тесты PostgreSQL пропускаются"; fi
	cargo test $(SSR) -- --test-threads 2

# The integration tests again with the test clock started at instants whose calendars have
# broken code before: New Year's Eve and New Year's night in Moscow, a leap day, the last
# minute of a month, and 21:30 UTC, which is already the next day in Moscow.
INSTANTS := 2026-12-31T23:30:00+03:00 2027-01-01T00:10:00+03:00 2028-02-29T12:00:00+03:00 \
	2027-04-30T23:59:00+03:00 2027-03-15T21:30:00Z
unit-dates: pdftotext
	@for at in $(INSTANTS); do \
		echo "Интеграционные тесты с часами на $$at"; \
		KABINET_TEST_NOW=$$at cargo test $(SSR) --tests -- --test-threads 2 || exit 1; \
	done

chromium:
	@if [ -z "$${CHROMIUM_PATH:-}" ] && ! [ -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else \
			echo "Нужен Chromium: sudo apt-get install -y chromium"; exit 1; \
		fi; \
	fi

# The PDF tests read their documents back with Debian's pdftotext.
pdftotext:
	@if ! command -v pdftotext >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
		else \
			echo "Нужен pdftotext: sudo apt-get install -y poppler-utils"; exit 1; \
		fi; \
	fi

e2e: build chromium
	cd end2end && KABINET_BIN=$(BIN) npx playwright test

test: tools fmt-check js-check clippy wasm-deps unit unit-dates e2e
	@echo "make test: всё прошло"

bench: build
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; else echo "Нужен wrk: sudo apt-get install -y wrk"; exit 1; fi; }
	@command -v brotli >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq brotli; fi; }
	BIN=$(BIN) bash server/bench/bench.sh

# Lighthouse 12 (mobile) on the main pages with Debian's Chromium: a measurement, not a gate.
LH_DIR := server/bench/lighthouse
lighthouse: build chromium
	@if [ ! -x "$(LH_DIR)/node_modules/.bin/lighthouse" ] || [ $(LH_DIR)/package.json -nt $(LH_DIR)/node_modules/.package-lock.json ]; then \
		cd $(LH_DIR) && npm install --no-audit --no-fund; \
	fi
	LIGHTHOUSE=$(CURDIR)/$(LH_DIR)/node_modules/.bin/lighthouse BIN=$(BIN) bash server/bench/lighthouse.sh

clean-data:
	rm -rf data
