#!/usr/bin/env bash
# Profiles the headline run in the browser's Web Worker (headless Chromium,
# the DevTools sampling profiler attached to the worker): builds the web app
# with function names kept (target/dist-profile), runs the headline twice and
# prints the share of the second run's samples per wasm function.
#
#   scripts/profile-web.sh            # needs what scripts/build-web.sh needs
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build-web.sh >/dev/null
out=target/dist-profile
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-name sim_web --out-dir "$out" target/wasm32-unknown-unknown/web/sim-web.wasm
tests/browser/node_modules/.bin/wasm-opt -O3 -g --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals "$out/sim_web_bg.wasm" -o "$out/sim_web_bg.opt.wasm"
mv "$out/sim_web_bg.opt.wasm" "$out/sim_web_bg.wasm"
cp index.html style.css worker.js "$out/"
node tests/browser/profile-web.mjs "$out"
