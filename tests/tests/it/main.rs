//! Cross-crate tests in one binary (one module per behaviour): every bundled
//! scenario, validation against queueing theory and the routers' documented
//! detection formulas, property tests of the simulator's invariants, and
//! bad-input handling.

mod bad_input;
mod cost;
mod data;
mod detection;
mod properties;
mod review;
mod scenarios;
mod theory;
mod variants;

use sim_core::{Report, Scenario, Sim};

/// Parses a scenario or fails the test with the parser's message.
pub fn scenario(text: &str) -> Scenario {
    match Scenario::parse(text) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}"),
    }
}

/// Runs a scenario to its end.
pub fn run(sc: &Scenario) -> Report {
    Sim::new(sc.clone()).expect("valid scenario").run()
}
