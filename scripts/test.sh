#!/usr/bin/env bash
# Runs every test: formatting, lints, unit/integration/property/validation
# tests (all crates, doctests included), the CLI tests, the library's docs
# (warnings denied) and its package (built on its own), the fuzz targets
# briefly, the web app's wasm32 build (sim-core in it: no I/O, no OS entropy),
# and the browser tests of the web app in headless Chromium.
# Installs what it needs itself: the wasm32 target, wasm-bindgen-cli (pinned),
# Debian's chromium, and the npm packages of tests/browser from its lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
cargo --version

step "format"
cargo fmt --all -- --check
cargo fmt --manifest-path examples/Cargo.toml -- --check
cargo fmt --manifest-path bench/fidelity-floor/Cargo.toml -- --check

step "lint"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p sim-web --target wasm32-unknown-unknown --locked -- -D warnings
# The second speed floor (its own workspace; timed only by scripts/speed-floor.sh):
# lints here, its argument checks with the tests.
CARGO_TARGET_DIR=target/fidelity-floor cargo clippy --locked --all-targets --manifest-path bench/fidelity-floor/Cargo.toml -- -D warnings

step "tests"
cargo test --workspace --locked 2>&1 | tee target/test-output.txt
# The second speed floor's argument checks (bench/fidelity-floor, its own workspace).
CARGO_TARGET_DIR=target/fidelity-floor cargo test --locked --manifest-path bench/fidelity-floor/Cargo.toml 2>&1 | tee -a target/test-output.txt | grep -E "^test |test result"

step "library docs (warnings denied) and the published package"
RUSTDOCFLAGS="-D warnings" cargo doc -p regionsim --no-deps --all-features --locked
# The package must carry every bundled scenario (its build script refuses to
# build without them; the verify step builds the packaged crate on its own).
listed=$(cargo package -p regionsim --list --allow-dirty --locked 2>/dev/null | grep -c '^scenarios/.*\.toml$')
have=$(ls sim-core/scenarios/*.toml | wc -l)
[ "$listed" -eq "$have" ] || { echo "the package lists $listed of $have scenarios"; exit 1; }
cargo package -p regionsim --allow-dirty --locked 2>&1 | tail -2
echo "package: $listed scenarios inside, packaged crate builds"

step "examples: a crate outside the workspace using the library (examples/)"
# Its own lock file (the workspace's versions) and the workspace's target
# directory (what its builds share with the workspace's is built once).
ex=(--manifest-path examples/Cargo.toml --locked --target-dir target)
# `cargo test` builds the programs too (optimised, as the crate's test
# profile says): its property test, then each program.
cargo test "${ex[@]}" 2>&1 | tee -a target/test-output.txt | grep -E "^test |test result"
for bin in embed_and_run step_and_observe fork compare; do
  echo "-- $bin"
  "target/debug/$bin" | tail -4
done
# The same crate for wasm32 (unoptimised: this checks that it builds).
cargo build -q "${ex[@]}" --target wasm32-unknown-unknown --bin embed_and_run --config 'profile.dev.opt-level=0'
ls -l target/wasm32-unknown-unknown/debug/embed_and_run.wasm

step "fuzz targets, 15 s each from a sample of the committed corpus (stable toolchain; scripts/fuzz.sh)"
./scripts/fuzz.sh --check 15

step "web app build"
./scripts/build-web.sh

step "browser tests (headless Debian chromium)"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd tests/browser && REGIONSIM_BIN="$PWD/../../target/debug/regionsim" node --test --test-concurrency=2 --test-reporter=spec) 2>&1 | tee target/browser-output.txt
bpass=$(grep -Eo '^ℹ pass [0-9]+' target/browser-output.txt | awk '{print $3}')
bfail=$(grep -Eo '^ℹ fail [0-9]+' target/browser-output.txt | awk '{print $3}')
echo "screenshots: artifacts/browser/"

passed=$(grep -Eo '[0-9]+ passed' target/test-output.txt | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' target/test-output.txt | awk '{s+=$1} END {print s+0}')
echo
echo "all: $((passed + ${bpass:-0})) passed, $((failed + ${bfail:-0})) failed"
