//! Coverage-guided fuzzing of the sweep's `--param` parser and path setter:
//! a bundled scenario (first byte) and up to three `path=values` lines.
//! Asserted: nothing panics; a refused grid names its field; every point
//! of an accepted grid validates, and its two corners build.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::sweep_params(data);
});
