//! The fuzz corpora (`fuzz/corpus/`, minimized by `scripts/fuzz.sh`)
//! replayed as their targets read them, with the same assertions: nothing
//! panics, every refusal names its field, what validation accepts builds,
//! a merge that succeeds is stable. `cargo test` thus keeps every input the
//! fuzzer found interesting (and any crash it found, once fixed) passing.

use sim_core::{bundled, sweep, Scenario, ScenarioError};
use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
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
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

/// Every refusal names its field (or the text's position).
fn check_refusal(path: &std::path::Path, e: &ScenarioError) {
    match e {
        ScenarioError::Invalid(errs) => {
            assert!(!errs.is_empty(), "{}: a refusal without a reason", path.display());
            for x in errs {
                assert!(!x.path.is_empty() && !x.message.is_empty(), "{}: {x:?}", path.display());
            }
        }
        other => assert!(!other.to_string().trim().is_empty(), "{}", path.display()),
    }
}

/// Builds `sc` (validation accepted it) and runs its first `steps` events.
fn build_and_step(path: &std::path::Path, sc: Scenario, steps: u32) {
    let mut sim = sim_core::Sim::new(sc).unwrap_or_else(|e| panic!("{}: validated, then refused: {e}", path.display()));
    for _ in 0..steps {
        if !sim.step() {
            break;
        }
    }
}

#[test]
fn fuzzed_scenario_files() {
    let mut valid = 0;
    for (path, bytes) in corpus("scenario_text") {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        match Scenario::parse(text) {
            Ok(sc) => {
                valid += 1;
                let expanded = sc
                    .expand_variants(&[])
                    .unwrap_or_else(|e| panic!("{}: variants of a valid scenario: {e}", path.display()));
                for (_, s) in expanded {
                    build_and_step(&path, s, 20_000);
                }
            }
            Err(e) => check_refusal(&path, &e),
        }
    }
    assert!(valid > 0, "the corpus includes valid scenarios");
}

#[test]
fn fuzzed_variant_overrides() {
    let scenarios = bundled();
    let mut ran = 0;
    for (path, bytes) in corpus("scenario_overrides") {
        let Some((&pick, rest)) = bytes.split_first() else {
            continue;
        };
        let Ok(set) = std::str::from_utf8(rest) else { continue };
        let base = scenarios[pick as usize % scenarios.len()].text;
        let text = format!("{base}\n[[variants]]\nname = \"fuzzed\"\nset = {set}\n");
        let sc = match Scenario::parse(&text) {
            Ok(sc) => sc,
            Err(e) => {
                check_refusal(&path, &e);
                continue;
            }
        };
        let expanded = sc
            .expand_variants(&["fuzzed".to_string()])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (_, s) in expanded.into_iter().filter(|(n, _)| n == "fuzzed") {
            build_and_step(&path, s, 50_000);
            ran += 1;
        }
    }
    assert!(ran > 0, "the corpus includes valid variants");
}

#[test]
fn fuzzed_sweep_parameters() {
    let scenarios = bundled();
    let mut grids = 0;
    for (path, bytes) in corpus("sweep_params") {
        let Some((&pick, rest)) = bytes.split_first() else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(rest) else { continue };
        let base = Scenario::parse(scenarios[pick as usize % scenarios.len()].text).expect("bundled");
        let params: Vec<sweep::Param> = text
            .lines()
            .take(3)
            .filter_map(|l| sweep::parse_param(l).ok())
            .collect();
        if params.is_empty() {
            continue;
        }
        match sweep::points(&base, &params) {
            Ok(points) => {
                grids += 1;
                for p in points.into_iter().take(4) {
                    build_and_step(&path, p.scenario, 1_000);
                }
            }
            Err(e) => check_refusal(&path, &e),
        }
    }
    assert!(grids > 0, "the corpus includes valid grids");
}

#[test]
fn fuzzed_merges() {
    let mut merged_ok = 0;
    for (path, bytes) in corpus("sweep_merge") {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let files: Vec<(String, String)> = text
            .split('\u{1}')
            .take(8)
            .enumerate()
            .map(|(i, t)| (format!("shard-{i}.csv"), t.to_string()))
            .collect();
        if let Ok(merged) = sweep::merge_csv(&files) {
            merged_ok += 1;
            let again = sweep::merge_csv(&[("merged.csv".to_string(), merged.clone())]);
            assert_eq!(again.as_ref(), Ok(&merged), "{}", path.display());
        }
    }
    assert!(merged_ok > 0, "the corpus includes good merges");
}
