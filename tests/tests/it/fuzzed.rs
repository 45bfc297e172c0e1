//! Inputs kept from coverage-guided fuzzing (`scripts/fuzz.sh`), replayed
//! as its targets do: any bytes as a scenario file (`scenario_text`), or a
//! bundled scenario with a fuzzed variant `set` table (`scenario_overrides`,
//! first byte picks the scenario). None may panic; a valid one must build,
//! expand its variants and step.

use sim_core::{bundled, Scenario, SimDuration};
use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

/// Builds `sc` shortened to `secs` and runs its first `steps` events.
fn step(sc: Scenario, secs: u64, steps: u32) -> bool {
    let short = Scenario {
        duration: sc.duration.min(SimDuration::from_secs(secs)),
        ..sc
    };
    let Ok(mut sim) = sim_core::Sim::new(short) else {
        return false;
    };
    for _ in 0..steps {
        if !sim.step() {
            break;
        }
    }
    true
}

#[test]
fn fuzzed_scenario_files_never_panic() {
    let all = inputs("scenario_text");
    assert!(!all.is_empty(), "no kept inputs");
    let mut valid = 0;
    for (path, bytes) in all {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let Ok(sc) = Scenario::parse(text) else { continue };
        valid += 1;
        let expanded = sc
            .expand_variants(&[])
            .unwrap_or_else(|e| panic!("{}: variants of a valid scenario: {e}", path.display()));
        for (_, s) in expanded {
            step(s, 120, 20_000);
        }
    }
    assert!(valid > 0, "the kept inputs include valid scenarios");
}

#[test]
fn fuzzed_variant_overrides_never_panic() {
    let scenarios = bundled();
    let all = inputs("scenario_overrides");
    assert!(!all.is_empty(), "no kept inputs");
    let mut ran = 0;
    for (path, bytes) in all {
        let Some((&pick, rest)) = bytes.split_first() else {
            continue;
        };
        let Ok(set) = std::str::from_utf8(rest) else { continue };
        let base = scenarios[pick as usize % scenarios.len()].text;
        let text = format!("{base}\n[[variants]]\nname = \"fuzzed\"\nset = {set}\n");
        let Ok(sc) = Scenario::parse(&text) else { continue };
        let expanded = sc
            .expand_variants(&["fuzzed".to_string()])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (_, s) in expanded.into_iter().filter(|(n, _)| n == "fuzzed") {
            ran += step(s, 300, 50_000) as u32;
        }
    }
    assert!(ran > 0, "the kept inputs include valid variants");
}
