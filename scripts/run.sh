#!/usr/bin/env bash
# Builds the `regionsim` command (release) and runs the headline scenario:
# eastus2 (75 % of traffic) fails behind Front Door and centralus must absorb
# it. Any arguments are passed to `regionsim run` (a scenario file or a
# bundled name, --seed, --json FILE, --csv FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p sim-cli
exec ./target/release/regionsim run "$@"
