//! Coverage-guided fuzzing of the variant path setter and of valid
//! scenarios: a bundled scenario (chosen by the first byte) with the rest of
//! the input as a variant's `set` table, so that most inputs stay close to
//! valid and reach validation's every limit and, when valid, the simulation
//! (its first events). Asserted: nothing panics; every refusal names its
//! field; a variant that validation accepts builds.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::scenario_overrides(data);
});
