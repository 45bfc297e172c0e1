//! Coverage-guided fuzzing of `regionsim merge` (`sweep::merge_csv`): the
//! input is up to eight shard files separated by a 0x01 byte. Asserted:
//! nothing panics; a merge that succeeds is complete and stable (merging
//! its output alone gives it back).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::sweep_merge(data);
});
