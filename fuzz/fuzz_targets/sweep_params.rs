//! Coverage-guided fuzzing of the sweep's `--param` parser and path setter:
//! a bundled scenario (first byte) and up to three `path=values` lines.
//! Asserted: nothing panics; a refused grid names its field; every point of
//! an accepted grid builds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::{bundled, sweep, ScenarioError};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let all = bundled();
    let Ok(base) = sim_core::Scenario::parse(all[pick as usize % all.len()].text) else {
        panic!("a bundled scenario is invalid")
    };
    let params: Vec<sweep::Param> = text
        .lines()
        .take(3)
        .filter_map(|l| sweep::parse_param(l).ok())
        .collect();
    if params.is_empty() {
        return;
    }
    match sweep::points(&base, &params) {
        Ok(points) => {
            for p in points.into_iter().take(4) {
                if let Err(e) = sim_core::Sim::new(p.scenario) {
                    panic!("point {:?} validated, then refused: {e}", p.values);
                }
            }
        }
        Err(ScenarioError::Invalid(errs)) => {
            assert!(!errs.is_empty());
            for e in &errs {
                assert!(
                    !e.path.is_empty() && !e.message.is_empty(),
                    "an error without a path: {e:?}"
                );
            }
        }
        Err(_) => {}
    }
});
