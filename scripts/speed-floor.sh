#!/usr/bin/env bash
# The speed floors, outside CI (about a minute per pair; never a test: wall
# time on a shared machine is not a pass/fail figure). Builds three release
# binaries and runs them in turn, PAIRS times, on the same model (two
# regions, 2,000 requests/s, eastus2 dies at 120 s, one hour simulated):
#
#   naive      ../shared/bench/naive-des: the plainest heap DES of the model,
#              one queue per region, a try admitted the moment it is sent;
#   fidelity   bench/fidelity-floor: the same, plus what issue #10 made the
#              simulator model (a try reaches its stamp as an event after its
#              network leg, round-robin per-instance queues, keep-alive clients);
#   regionsim  `regionsim run ../shared/bench/peer-minimal.json --quiet`.
#
# Prints each one's CPU seconds (user + system; median, min, max) and the
# median of the pairwise ratios floor / regionsim (above 1.0: regionsim is
# faster). Running them in turn keeps the ratios meaningful while the
# machine's speed drifts.
#
# Usage: scripts/speed-floor.sh [PAIRS]   (default 9)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1-9}   # (an empty argument is refused, not taken as the default)
if ! [[ $pairs =~ ^[1-9][0-9]*$ ]]; then
  echo "speed-floor.sh: PAIRS must be a whole number above 0 (got '$pairs')" >&2
  exit 2
fi
naive_manifest=../shared/bench/naive-des/Cargo.toml
scenario=../shared/bench/peer-minimal.json
for f in "$naive_manifest" "$scenario"; do
  if [[ ! -f $f ]]; then
    echo "speed-floor.sh: $f is missing (the shared speed floor lies beside the project)" >&2
    exit 2
  fi
done

echo "building release binaries (a few minutes the first time)..." >&2
cargo build --release --locked -q -p sim-cli
CARGO_TARGET_DIR=target/naive-des cargo build --release --locked -q --manifest-path "$naive_manifest"
CARGO_TARGET_DIR=target/fidelity-floor cargo build --release --locked -q --manifest-path bench/fidelity-floor/Cargo.toml

# CPU seconds of one run (bash's own `time`: nothing to install).
cpu() {
  local TIMEFORMAT='%U %S' t
  t=$({ time "$@" >/dev/null; } 2>&1)
  awk '{ printf "%.3f\n", $1 + $2 }' <<<"$t"
}

declare -a naive fid rs
for ((i = 1; i <= pairs; i++)); do
  naive+=("$(cpu target/naive-des/release/naive-des 2000 3600)")
  rs+=("$(cpu target/release/regionsim run "$scenario" --quiet)")
  fid+=("$(cpu target/fidelity-floor/release/fidelity-floor 2000 3600)")
  echo "pair $i: naive ${naive[-1]} s, fidelity ${fid[-1]} s, regionsim ${rs[-1]} s" >&2
done

# median, min and max of the arguments
stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %.3f (%.3f-%.3f)", m, v[1], v[NR] }'; }
ratios() {
  local -n a=$1
  local out=()
  for ((i = 0; i < pairs; i++)); do
    out+=("$(awk -v x="${a[$i]}" -v y="${rs[$i]}" 'BEGIN { printf "%.4f", (y > 0 ? x / y : 0) }')")
  done
  stats "${out[@]}"
}
echo "CPU seconds over $pairs runs each:"
echo "  naive-des 2000 3600          $(stats "${naive[@]}")"
echo "  fidelity-floor 2000 3600     $(stats "${fid[@]}")"
echo "  regionsim peer-minimal.json  $(stats "${rs[@]}")"
echo "pairwise ratio floor / regionsim (above 1.0: regionsim is faster):"
echo "  naive-des / regionsim        $(ratios naive)"
echo "  fidelity-floor / regionsim   $(ratios fid)"
