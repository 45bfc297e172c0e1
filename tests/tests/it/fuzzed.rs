//! The fuzz corpora (`fuzz/corpus/`, minimized by `scripts/fuzz.sh`)
//! replayed through the targets' own code (`fuzz/targets.rs`), assertions
//! included: `cargo test` keeps every input the fuzzer found interesting
//! (and any crash it found, once fixed) passing.

#[path = "../../../fuzz/targets.rs"]
mod targets;

use std::path::PathBuf;

/// Replays every input of `target`'s corpus through `run`; returns how many
/// got past the parser.
fn replay(target: &str, run: fn(&[u8]) -> bool) -> usize {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: empty corpus", dir.display());
    let mut valid = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let ok = std::panic::catch_unwind(|| run(&bytes))
            .unwrap_or_else(|_| panic!("{} fails its target's assertions", path.display()));
        valid += ok as usize;
    }
    valid
}

#[test]
fn fuzzed_scenario_files() {
    assert!(
        replay("scenario_text", targets::scenario_text) > 0,
        "the corpus includes valid scenarios"
    );
}

#[test]
fn fuzzed_variant_overrides() {
    assert!(
        replay("scenario_overrides", targets::scenario_overrides) > 0,
        "the corpus includes valid variants"
    );
}

#[test]
fn fuzzed_sweep_parameters() {
    assert!(
        replay("sweep_params", targets::sweep_params) > 0,
        "the corpus includes valid grids"
    );
}

#[test]
fn fuzzed_merges() {
    assert!(
        replay("sweep_merge", targets::sweep_merge) > 0,
        "the corpus includes good merges"
    );
}
