//! Coverage-guided fuzzing of the variant path setter and of valid
//! scenarios: a bundled scenario (chosen by the first byte) with the rest of
//! the input as a variant's `set` table, so that most inputs stay close to
//! valid and reach validation's every limit and, when valid, the simulation
//! (its first events). Asserted: nothing panics; every refusal names its
//! field; a variant that validation accepts builds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::{bundled, Scenario, ScenarioError};

const STEPS: u32 = 50_000;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(set) = std::str::from_utf8(rest) else { return };
    let all = bundled();
    let base = all[pick as usize % all.len()].text;
    let text = format!("{base}\n[[variants]]\nname = \"fuzzed\"\nset = {set}\n");
    let sc = match Scenario::parse(&text) {
        Ok(sc) => sc,
        Err(ScenarioError::Invalid(errs)) => {
            for e in &errs {
                assert!(
                    !e.path.is_empty() && !e.message.is_empty(),
                    "an error without a path: {e:?}"
                );
            }
            return;
        }
        Err(_) => return,
    };
    let expanded = sc
        .expand_variants(&["fuzzed".to_string()])
        .expect("a valid scenario's variant expands");
    let Some((_, variant)) = expanded.into_iter().find(|(n, _)| n == "fuzzed") else {
        panic!("the variant is missing")
    };
    let mut sim = sim_core::Sim::new(variant).unwrap_or_else(|e| panic!("validated, then refused: {e}"));
    for _ in 0..STEPS {
        if !sim.step() {
            break;
        }
    }
});
