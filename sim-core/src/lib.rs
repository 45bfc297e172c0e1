//! # regionsim: a discrete-event simulator of active-active multi-region web APIs
//!
//! Clients all over the world call one API hostname; a global router — DNS
//! (Traffic-Manager-like), anycast layer 7 (Front-Door-like) or anycast layer 4
//! (cross-region-load-balancer-like) — spreads them over regional stamps
//! (App Service plans with autoscale). This crate replays, second by second,
//! what happens to every client population when a region fails, and how the
//! traffic comes back when it recovers.
//!
//! It is pure Rust: no I/O, no clocks, no threads, and it compiles to wasm32.
//! Scenario in, report out; the same scenario and seed always give the same
//! report.
//!
//! ## Run a scenario
//!
//! A scenario is a TOML (or JSON) document; [`Scenario::parse`] reads and
//! validates it, reporting every invalid field at once with its path.
//!
//! ```
//! use regionsim::{simulate, Scenario};
//!
//! let scenario = Scenario::parse(r#"
//!     name = "two regions behind Front Door"
//!     duration = "10m"
//!
//!     [routing]
//!     kind = "anycast_l7"
//!     origins = [{ region = "eastus2" }, { region = "centralus" }]
//!
//!     [[regions]]
//!     name = "eastus2"
//!     instances = { initial = 4 }
//!     service_time = { kind = "exponential", mean = "40ms" }
//!
//!     [[regions]]
//!     name = "centralus"
//!     instances = { initial = 4 }
//!     service_time = { kind = "exponential", mean = "40ms" }
//!
//!     [[populations]]
//!     name = "us-east"
//!     location = "new_york"
//!     rate = { kind = "constant", rps = 200 }
//!
//!     [[faults]]
//!     kind = "region_outage"
//!     region = "eastus2"
//!     start = "2m"
//!     duration = "5m"
//! "#).expect("a valid scenario");
//!
//! let report = simulate(&scenario).expect("runs");
//! let fault = &report.summary.faults[0];
//! // Front Door Standard's defaults: probes every 100 s, 3 of 4 samples must
//! // pass, 30 s probe timeout: the first POP marks eastus2 down within
//! // 100 s × 2 + 30 s.
//! assert!(fault.time_to_detect_first_s.unwrap() <= 230.0);
//! println!("{}", report.summary_text());
//! ```
//!
//! ## Step through a run
//!
//! [`Sim`] can be advanced bucket by bucket, as the web app's replay does:
//!
//! ```
//! use regionsim::{Scenario, Sim, SimTime, SimDuration, bundled_by_name, HEADLINE};
//!
//! let text = bundled_by_name(HEADLINE).expect("bundled").text;
//! let mut sc = Scenario::parse(text).expect("valid");
//! sc.duration = SimDuration::from_mins(2);
//! sc.faults.clear();
//! let mut sim = Sim::new(sc).expect("valid");
//! sim.run_until(SimTime(60_000_000));
//! assert!(sim.progress() >= 0.49);
//! let report = sim.finish();
//! assert_eq!(report.series.time_s.len(), 120);
//! ```
//!
//! ## What is public
//!
//! At the root, what a run needs: [`Scenario`] (parse a file, or build one
//! with [`Scenario::builder`]), [`Sim`] (step, observe, fork, inject a fault
//! or an operator action), [`simulate`], [`Report`], [`SimTime`] /
//! [`SimDuration`] and the bundled scenarios. Then one module per job:
//!
//! - [`scenario`]: every type of the file format (routing, regions,
//!   populations, faults, data tier, design facts, costs), with constructors
//!   whose defaults cite AZURE_FACTS, and validation's [`FieldError`].
//! - [`report`]: the parts of a [`Report`]: its summary, series and facts.
//! - [`compare`]: variants side by side, by [`compare::Metric`] ids.
//! - [`sweep`]: parameter grids, their CSV and the merge of shards.
//! - [`review`]: the design brief's nine questions answered from a scenario and its runs.
//! - [`formulas`]: the model's closed forms (detection times, DNS caching).
//! - [`format`](mod@format): how percentages, seconds and clock times are written for people.
//! - [`geo`]: the Azure regions and client metros the model knows, and the RTTs between them.
//! - `testing` (feature `proptest`): strategies for seeds, faults, populations
//!   and whole scenarios, and a helper that checks a property over seeds.
//!
//! The engine (event queue, random streams), the model's components (DNS,
//! anycast, probes, stamps, autoscale, clients, data tier) and the recorder
//! are private: ARCHITECTURE.md in the repository maps them.

#![warn(missing_docs)]
// One `unsafe` block in the crate, allowed where it stands: the cache hint in
// `engine/prefetch.rs`.
#![deny(unsafe_code)]
#![warn(unnameable_types)]

pub mod compare;
mod engine;
pub mod format;
pub mod formulas;
mod metrics;
mod model;
pub mod report;
pub mod review;
pub mod scenario;
mod sim;
pub mod sweep;
#[cfg(feature = "proptest")]
pub mod testing;
mod time;
mod variants;

pub use model::geo;

pub use metrics::report::{FailCause, Report, Summary, SCHEMA_VERSION};
pub use model::clients::DnsClass;
pub use scenario::{
    bundled, bundled_by_name, BundledScenario, FieldError, Scenario, ScenarioBuilder, ScenarioError, HEADLINE,
};
pub use sim::{
    Action, Audit, DataRecord, DataRecordOp, InstanceCount, PopulationSoFar, RouterView, ServiceRecord, Sim, Snapshot,
};
pub use time::{SimDuration, SimTime};

/// Validates and runs `scenario` to the end.
pub fn simulate(scenario: &Scenario) -> Result<Report, ScenarioError> {
    Ok(Sim::new(scenario.clone())?.run())
}
