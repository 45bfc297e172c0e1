//! Coverage-guided fuzzing of everything a scenario file reaches: the TOML
//! and JSON decoders, validation (every limit), the variants, and — for a
//! document that is valid — the simulation itself for its first events.
//! Asserted: nothing panics (debug assertions and overflow checks are on);
//! every refusal names a field or the text's position; a scenario that
//! validation accepts builds, and so does each of its variants.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::scenario_text(data);
});
