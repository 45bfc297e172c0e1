#!/usr/bin/env bash
# Runs every test: formatting, lints, unit/integration/property/validation
# tests (all crates, doctests included), the CLI tests, and a wasm32 build of
# sim-core. Installs what it needs (the wasm32 target) itself.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
cargo --version

step "format"
cargo fmt --all -- --check

step "lint"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "sim-core builds for wasm32 (no I/O, no OS entropy)"
cargo build -p sim-core --target wasm32-unknown-unknown --locked

step "tests"
cargo test --workspace --locked 2>&1 | tee target/test-output.txt
passed=$(grep -Eo '[0-9]+ passed' target/test-output.txt | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' target/test-output.txt | awk '{s+=$1} END {print s+0}')
echo
echo "all: ${passed} passed, ${failed} failed"
