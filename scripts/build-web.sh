#!/usr/bin/env bash
# Builds the browser app into dist/: sim-web compiled to wasm32, bound with
# wasm-bindgen-cli (installed at the pinned version if missing), optimised
# with wasm-opt (binaryen from npm, pinned by tests/browser's lockfile) and
# the root index.html, style.css and worker.js (the Web Worker).
set -euo pipefail
cd "$(dirname "$0")/.."
WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin in sim-web/Cargo.toml

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q "$WASM_BINDGEN_VERSION"; then
  echo "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
  # Not --locked: one locked dependency version is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if [ ! -x tests/browser/node_modules/.bin/wasm-opt ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

cargo build --profile web --locked -p sim-web --target wasm32-unknown-unknown
rm -rf dist && mkdir -p dist
wasm-bindgen --target web --no-typescript --out-name sim_web --out-dir dist target/wasm32-unknown-unknown/web/sim-web.wasm
raw=$(stat -c %s dist/sim_web_bg.wasm)
tests/browser/node_modules/.bin/wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  dist/sim_web_bg.wasm -o dist/sim_web_bg.opt.wasm
mv dist/sim_web_bg.opt.wasm dist/sim_web_bg.wasm
cp index.html style.css worker.js dist/
echo "dist/ ready: sim_web_bg.wasm $raw bytes after wasm-bindgen, $(stat -c %s dist/sim_web_bg.wasm) bytes after wasm-opt -O3 ($(gzip -c dist/sim_web_bg.wasm | wc -c) gzipped)"
