//! Coverage-guided fuzzing of `regionsim merge` (`sweep::merge_csv`): the
//! input is up to eight shard files separated by a 0x01 byte. Asserted:
//! nothing panics; a merge that succeeds is complete and stable (merging
//! its output alone gives it back).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::sweep::merge_csv;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files: Vec<(String, String)> = text
        .split('\u{1}')
        .take(8)
        .enumerate()
        .map(|(i, t)| (format!("shard-{i}.csv"), t.to_string()))
        .collect();
    if let Ok(merged) = merge_csv(&files) {
        assert!(merged.lines().count() >= 2, "a merge with no rows: {merged:?}");
        let again = merge_csv(&[("merged.csv".to_string(), merged.clone())]);
        assert_eq!(again.as_ref(), Ok(&merged), "merging a merged file changes it");
    }
});
