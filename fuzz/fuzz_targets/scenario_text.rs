//! Coverage-guided fuzzing of everything a scenario file reaches: the TOML
//! and JSON decoders, validation (every limit), the variants, and — for a
//! document that is valid — the simulation itself for its first events.
//! Nothing may panic (debug assertions and overflow checks are on), and a
//! valid scenario must build and step.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::{Scenario, SimDuration};

/// Events simulated per valid input: enough to reach routing, stamps,
/// probes and the first faults, few enough to keep thousands of inputs a second.
const STEPS: u32 = 20_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(sc) = Scenario::parse(text) else { return };
    // Every variant expands into a valid scenario (validation promised it).
    let expanded = sc.expand_variants(&[]).expect("a valid scenario's variants expand");
    let (_, first) = &expanded[expanded.len() - 1];
    for s in [&sc, first] {
        let short = Scenario {
            duration: s.duration.min(SimDuration::from_secs(120)),
            ..s.clone()
        };
        // A shorter run of a valid scenario may be refused (a bucket longer
        // than the run, say) but never panics.
        let Ok(mut sim) = sim_core::Sim::new(short) else {
            continue;
        };
        for _ in 0..STEPS {
            if !sim.step() {
                break;
            }
        }
    }
});
