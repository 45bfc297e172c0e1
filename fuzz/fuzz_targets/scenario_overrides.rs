//! Coverage-guided fuzzing of valid scenarios: a bundled scenario (chosen by
//! the first byte) with the rest of the input as a variant's `set` table, so
//! that most inputs stay close to valid and reach validation's every limit
//! and, when valid, the simulation (its first events). Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::{bundled, Scenario, SimDuration};

const STEPS: u32 = 50_000;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(set) = std::str::from_utf8(rest) else { return };
    let all = bundled();
    let base = all[pick as usize % all.len()].text;
    let text = format!("{base}\n[[variants]]\nname = \"fuzzed\"\nset = {set}\n");
    let Ok(sc) = Scenario::parse(&text) else { return };
    let Ok(expanded) = sc.expand_variants(&["fuzzed".to_string()]) else {
        panic!("a valid scenario's variant does not expand")
    };
    let Some((_, variant)) = expanded.into_iter().find(|(n, _)| n == "fuzzed") else {
        panic!("the variant is missing")
    };
    let short = Scenario {
        duration: variant.duration.min(SimDuration::from_secs(300)),
        ..variant
    };
    let Ok(mut sim) = sim_core::Sim::new(short) else { return };
    for _ in 0..STEPS {
        if !sim.step() {
            break;
        }
    }
});
