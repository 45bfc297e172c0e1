#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, built on the stable toolchain by
# fuzz/build.sh: no nightly, no cargo-fuzz) of everything a scenario file or
# a sweep reaches: the TOML/JSON decoders, validation, the variant and sweep
# path setters, `merge`, and the simulation's first events for valid inputs.
#
#   scripts/fuzz.sh [--check] [--runs N] [SECONDS] [TARGET...]
#
# SECONDS per target (default 300), or with --runs until N inputs have run
# (SECONDS is then the ceiling); targets default to all four:
# scenario_text, scenario_overrides, sweep_params, sweep_merge.
# Without --check, the corpus in fuzz/corpus/TARGET is grown and then
# minimized (libFuzzer -merge=1) in place: commit it. With --check (what the
# test command runs), it starts from 100 inputs of the corpus (cargo test
# replays all of them), new inputs go to a temporary folder and the committed
# corpus is left alone. Exits 1 on any crash, timeout or out-of-memory; the
# input is in fuzz/artifacts/TARGET/ — fix it, and add it to the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
runs=-1
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
if [ "${1:-}" = "--runs" ]; then
  if ! [[ "${2:-}" =~ ^[1-9][0-9]*$ ]]; then
    echo "fuzz.sh: --runs needs a count of inputs (a whole number above 0), e.g. --runs 10000000" >&2
    exit 2
  fi
  runs="$2"; shift 2
fi
secs="${1:-300}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(scenario_text scenario_overrides sweep_params sweep_merge)

./fuzz/build.sh
bin=fuzz/target/x86_64-unknown-linux-gnu/release
status=0
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  mkdir -p "fuzz/artifacts/$t"
  if [ $check -eq 1 ]; then
    # A sample of the corpus to start from (cargo test replays all of it):
    # the time goes to new mutations, not to reloading thousands of inputs.
    files=("fuzz/corpus/$t/"*)
    cp "${files[@]:0:100}" "$work/"
  else
    cp "fuzz/corpus/$t/"* "$work/"
  fi
  dirs=("$work")
  echo "== $t: ${secs}s"
  if ! "$bin/$t" -max_total_time="$secs" -runs="$runs" -max_len=65536 -timeout=30 -rss_limit_mb=4096 \
      -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 "${dirs[@]}" >"$work.log" 2>&1; then
    status=1
    grep -E "panicked|ERROR|SUMMARY|Test unit written" "$work.log" || tail -20 "$work.log"
  fi
  grep -E "^stat::number_of_executed_units|^#[0-9]+ +DONE" "$work.log" || true
  if [ $check -eq 0 ] && [ $status -eq 0 ]; then
    min=$(mktemp -d)
    "$bin/$t" -merge=1 -max_len=65536 "$min" "$work" >/dev/null 2>&1
    rm -rf "fuzz/corpus/$t" && mv "$min" "fuzz/corpus/$t"
    echo "corpus: $(ls "fuzz/corpus/$t" | wc -l) inputs, $(du -sh "fuzz/corpus/$t" | cut -f1)"
  fi
  rm -rf "$work" "$work.log"
done
[ $status -eq 0 ] && echo "no crash" || echo "CRASH: see fuzz/artifacts/"
exit $status
