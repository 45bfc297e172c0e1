#!/usr/bin/env bash
# Builds the fuzz targets with the stable toolchain: libFuzzer (libfuzzer-sys)
# and LLVM's SanitizerCoverage flags, which stable rustc accepts; no nightly,
# no cargo-fuzz. --target keeps the flags off build scripts and proc macros.
# Binaries: fuzz/target/x86_64-unknown-linux-gnu/release/<target>.
set -euo pipefail
cd "$(dirname "$0")"
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
cargo build --release --locked --bins --target x86_64-unknown-linux-gnu
