//! Coverage-guided fuzzing of everything a scenario file reaches: the TOML
//! and JSON decoders, validation (every limit), the variants, and — for a
//! document that is valid — the simulation itself for its first events.
//! Asserted: nothing panics (debug assertions and overflow checks are on);
//! every refusal names a field or the text's position; a scenario that
//! validation accepts builds, and so does each of its variants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::{Scenario, ScenarioError};

/// Events simulated per valid input: enough to reach routing, stamps,
/// probes and the first faults, few enough to keep inputs quick.
const STEPS: u32 = 20_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sc = match Scenario::parse(text) {
        Ok(sc) => sc,
        Err(ScenarioError::Invalid(errs)) => {
            assert!(!errs.is_empty(), "a refusal without a reason");
            for e in &errs {
                assert!(
                    !e.path.is_empty() && !e.message.is_empty(),
                    "an error without a path: {e:?}"
                );
            }
            return;
        }
        Err(e) => {
            assert!(!e.to_string().trim().is_empty(), "a parse error without a message");
            return;
        }
    };
    let expanded = sc.expand_variants(&[]).expect("a valid scenario's variants expand");
    for (name, s) in expanded {
        let mut sim = sim_core::Sim::new(s).unwrap_or_else(|e| panic!("{name}: validated, then refused: {e}"));
        for _ in 0..STEPS {
            if !sim.step() {
                break;
            }
        }
    }
});
