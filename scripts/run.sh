#!/usr/bin/env bash
# The main job: builds the `regionsim` command and the browser app, prints the
# headline scenario's summary from the CLI, and serves the visualizer (which
# runs the same simulator in the page) on http://127.0.0.1:${PORT:-8080}/.
# Installs what it needs itself (wasm32 target, pinned wasm-bindgen-cli, npm
# packages from the lockfile). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8080}"

cargo build --release --locked -p sim-cli
./scripts/build-web.sh

echo
echo "== CLI equivalent of what the page shows: ./target/release/regionsim run eastus2-fails-frontdoor"
./target/release/regionsim run eastus2-fails-frontdoor
echo
echo "== visualizer: http://127.0.0.1:${PORT}/   (the headline scenario runs on load; Ctrl-C to stop)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
