# Gatehouse: `make dev` runs it locally, `make test` proves it. Both install what is missing first.
SHELL := bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

export WRANGLER_SEND_METRICS := false
# npm's wasm-opt (binaryen 132) and esbuild must win over any system copy; cargo's bin for trunk & co.
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)

DOMAIN_SRC := $(shell find domain/src domain/data -type f) domain/Cargo.toml Cargo.toml Cargo.lock
# build.rs builds the breached-password filter from a list that package-lock.json pins
WORKER_SRC := $(DOMAIN_SRC) $(shell find functions/src -type f) functions/Cargo.toml functions/build.rs \
  package-lock.json functions/openapi.json functions/api-reference.html
APP_SRC := $(DOMAIN_SRC) $(shell find app/src style -type f 2>/dev/null) app/Cargo.toml app/index.html app/Trunk.toml app/_headers app/boot.js

WORKER_OUT := functions/build/index.js
APP_OUT := app/dist/index.html

.PHONY: help tools tools-browser build worker app dev test test-unit test-e2e lint bench bench-list bench-cron bench-enum seed-bulk clean openapi

help:
	@echo "make dev    install what is missing, build, migrate + seed a local D1, serve on http://127.0.0.1:8787"
	@echo "make test   install what is missing, build, run unit, property, API and browser tests"
	@echo "make bench  argon2id hash time inside workerd vs native"
	@echo "make bench-list  users-list page times over 100,000 accounts in one client"
	@echo "make bench-cron  one cron run over 10,000 accounts due for deletion, one purging them"
	@echo "make bench-enum  sign-in (also on older hashes) and forgot-password timing for known vs unknown accounts"
	@echo "make lint   rustfmt + clippy on native and wasm targets"
	@echo "make openapi  regenerate functions/openapi.json and api-reference.html after an API change"

tools:
	@scripts/bootstrap.sh

tools-browser:
	@scripts/bootstrap.sh --browser

build: worker app

worker: $(WORKER_OUT)
$(WORKER_OUT): $(WORKER_SRC)
	cd functions && ESBUILD_BIN=$(CURDIR)/node_modules/.bin/esbuild WASM_BINDGEN_BIN=wasm-bindgen \
	  WASM_OPT_BIN=$(CURDIR)/node_modules/.bin/wasm-opt worker-build --release
	@touch $@

app: $(APP_OUT)
$(APP_OUT): $(APP_SRC)
	cd app && CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_PANIC=abort trunk build index.html --release
	@node scripts/app-size.mjs app/dist
	@touch $@

dev: tools build
	@scripts/dev.sh

# lint last: a style slip must not hide a failing test
test: tools tools-browser build test-unit test-e2e lint

test-unit:
	cargo test --locked -p gatehouse-domain --lib
	cargo test --locked -p gatehouse-tests --lib

test-e2e:
	cargo test --locked -p gatehouse-tests --test e2e -- --test-threads 4
	node tests/workerd.mjs

lint:
	cargo fmt --all -- --check
	cargo clippy --locked -p gatehouse-domain -p gatehouse-tests --all-targets -- -D warnings
	cargo clippy --locked -p gatehouse-functions -p gatehouse-app --target wasm32-unknown-unknown -- -D warnings

# the API description and its page, from domain::api and the route table (tests check they are current)
openapi:
	cargo run -q --locked -p gatehouse-tests --bin openapi

bench: tools build
	@scripts/bench.sh

# the users list over 100,000 accounts in one client, on workerd via Miniflare (loading takes ~4 min)
bench-list: tools build
	cargo run -q -p gatehouse-tests --bin seed -- bulk 100000 > target/bulk-seed.sql
	node scripts/bench-list.mjs target/bulk-seed.sql

# one cron run over 10,000 accounts due for deletion, and one purging them (~2 min)
bench-cron: tools build
	cargo run -q -p gatehouse-tests --bin seed -- bulk 20000 > target/cron-seed.sql
	node scripts/bench-cron.mjs target/cron-seed.sql

# does the time to answer tell whether an account exists? sign-in and forgot password, 50 tries each
bench-enum: tools build
	cargo run -q -p gatehouse-tests --bin seed -- bulk 400 > target/enum-seed.sql
	node scripts/bench-enum.mjs target/enum-seed.sql

# 100,000 extra accounts in the dev company (after `make dev` ran once): shows slow queries early
seed-bulk:
	cargo run -q -p gatehouse-tests --bin seed -- bulk 100000 > .state/bulk.sql
	node_modules/.bin/wrangler d1 execute DB --local --persist-to .state/dev --file .state/bulk.sql

clean:
	rm -rf functions/build app/dist .state
