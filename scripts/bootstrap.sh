#!/usr/bin/env bash
# Installs what `make dev` / `make test` need and is missing; quick when everything is in place.
# Usage: scripts/bootstrap.sh [--browser]   (--browser also installs Chromium + ChromeDriver)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WORKER_BUILD_VERSION=0.8.7
# wasm-bindgen-cli must be exactly the wasm-bindgen in Cargo.lock
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q -- "$2"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if ! have_version worker-build "$WORKER_BUILD_VERSION"; then
  say "installing worker-build $WORKER_BUILD_VERSION (a few minutes, once)"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked
fi
if ! have_version trunk "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about ten minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# npm ci when node_modules is missing or older than the lock file
if [ ! -x node_modules/.bin/wrangler ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing wrangler, esbuild, binaryen and axe-core from npm"
  npm ci --no-audit --no-fund
fi

# schemathesis (the API fuzzer the e2e tests run) in a virtualenv of its own, pinned
SCHEMATHESIS_VERSION=4.32.5
if ! { [ -x .venv/bin/st ] && .venv/bin/st --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; }; then
  say "installing schemathesis $SCHEMATHESIS_VERSION from PyPI (into .venv)"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# crates for offline builds (trunk builds with --offline)
cargo fetch --locked >/dev/null 2>&1 || cargo fetch

if [ "${1:-}" = "--browser" ] && ! { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
  say "installing Chromium and ChromeDriver from Debian"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver >/dev/null \
    || { $SUDO apt-get update >/dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver >/dev/null; }
fi
