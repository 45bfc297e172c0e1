//! Cross-crate tests in one binary (one module per behaviour): every bundled
//! scenario, validation against queueing theory and the routers' documented
//! detection formulas, property tests of the simulator's invariants, and
//! bad-input handling.

mod bad_input;
mod cost;
mod csv_files;
mod data;
mod detection;
mod dns_hold;
mod facts;
mod fuzzed;
mod observe;
mod properties;
mod retries;
mod review;
mod routing;
mod scenarios;
mod scripts;
mod soak;
mod theory;
mod variants;

use regionsim::{Report, Scenario, Sim};

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

/// The series of `r` cut to its first `n` buckets: every per-bucket vector
/// (any array as long as the run has buckets), as JSON values.
pub fn series_before(r: &Report, n: usize) -> serde_json::Value {
    fn cut(v: &mut serde_json::Value, buckets: usize, n: usize) {
        match v {
            serde_json::Value::Array(a) => {
                if a.len() == buckets {
                    a.truncate(n);
                }
                for x in a {
                    cut(x, buckets, n);
                }
            }
            serde_json::Value::Object(o) => {
                for x in o.values_mut() {
                    cut(x, buckets, n);
                }
            }
            _ => {}
        }
    }
    let mut v = serde_json::to_value(&r.series).expect("serialisable");
    cut(&mut v, r.series.time_s.len(), n);
    v
}

/// The same scenario as far as anyone can tell at `t` µs: the faults that
/// start after `t` are gone, and those under way at `t` last longer (10 more
/// minutes). A run that reads neither a fault's start nor its end before
/// they happen produces the same series up to `t` for both.
pub fn future_changed_after(sc: &Scenario, t: u64) -> Scenario {
    let mut b = sc.clone();
    b.faults.retain(|f| f.start().as_micros() <= t);
    for f in &mut b.faults {
        if (f.start() + f.duration()).as_micros() > t {
            let (start, duration) = (f.start(), f.duration());
            f.set_times(start, duration + regionsim::SimDuration::from_mins(10));
        }
    }
    b
}
