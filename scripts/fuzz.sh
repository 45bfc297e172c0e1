#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, via cargo-fuzz) of everything a scenario
# file reaches: the decoders, validation, variants and, for valid inputs, the
# simulation's first events. Not part of the test command (it runs as long as
# you let it); what it finds is replayed by the tests (tests/tests/it/fuzzed.rs
# reads fuzz/regressions/).
#
#   scripts/fuzz.sh [TARGET] [SECONDS]     # default: every target, 300 s each
#
# Targets: scenario_text (any bytes as a scenario file), scenario_overrides
# (a bundled scenario plus a fuzzed variant `set` table: stays near valid).
# A crash lands in fuzz/artifacts/TARGET/; copy it into fuzz/regressions/
# (with the fix) so the tests keep it fixed. Installs what it needs itself:
# the nightly toolchain and cargo-fuzz at a pinned version.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

rustup toolchain install nightly --profile minimal >/dev/null 2>&1 || rustup toolchain install nightly --profile minimal
if ! cargo fuzz --version 2>/dev/null | grep -q "0.13.2"; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi

targets=("${1:-scenario_text}")
[ $# -eq 0 ] && targets=(scenario_text scenario_overrides)
secs="${2:-300}"
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  # The bundled scenarios seed the text fuzzer.
  [ "$t" = scenario_text ] && cp ../scenarios/*.toml "corpus/$t/"
  echo "== fuzzing $t for ${secs}s"
  cargo +nightly fuzz run "$t" "corpus/$t" -- \
    -max_total_time="$secs" -max_len=65536 -timeout=30 -rss_limit_mb=4096 2>&1 \
    | grep -E "^#[0-9]+ +(DONE|INITED)|panicked|ERROR|SUMMARY|artifact" || true
done
if [ -d artifacts ] && find artifacts -type f | grep -q .; then
  find artifacts -type f
  echo "crashes above: see fuzz/artifacts/"
  exit 1
fi
echo "no crash"
