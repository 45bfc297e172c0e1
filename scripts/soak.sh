#!/usr/bin/env bash
# The soak test, outside CI (several minutes on one core): the headline for a
# week of simulated time with random region outages (MTBF 72 h, MTTR 2 h per
# region), checking that peak memory after the week is no higher than after
# the one-hour run and that the report's invariants hold (every request ends
# once; the series add up to the totals; utilisation within [0, 1]; the
# series capped). Prints both runs' requests, time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked -p regionsim-tests --test it soak -- --ignored --nocapture 2>&1 | grep -E "^soak:|test result|panicked|assert"
