//! A property test of a design, with the library's strategies: the design
//! keeps every population at 90 % availability through any single-region
//! outage of up to ten minutes in a 20-minute window. proptest looks for the
//! outage and seed that break it; a failure prints them, shrunk.

use proptest::prelude::*;
use regionsim::scenario::{PopulationSpec, RateProfile, RegionSpec, Routing, ServiceTime};
use regionsim::{testing, Scenario, ScenarioBuilder, SimDuration as D};

/// Two stamps behind Front Door probing every 30 s, each able to carry all
/// the traffic.
fn design() -> ScenarioBuilder {
    let stamp = |name| RegionSpec::new(name, 6, ServiceTime::exponential(D::from_millis(40)));
    let mut routing = Routing::front_door(&["eastus2", "centralus"]);
    if let Routing::AnycastL7(fd) = &mut routing {
        fd.probe_interval = D::from_secs(30);
    }
    Scenario::builder("survivor sized for everything", D::from_mins(20))
        .routing(routing)
        .region(stamp("eastus2"))
        .region(stamp("centralus"))
        .population(PopulationSpec::new("us-east", "new_york", RateProfile::constant(150.0)))
        .population(PopulationSpec::new(
            "us-central",
            "chicago",
            RateProfile::constant(60.0),
        ))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn survives_any_single_region_outage(
        fault in testing::region_outage(&["eastus2", "centralus"], D::ZERO..D::from_mins(10), D::from_mins(1)..D::from_mins(10)),
        seed in testing::seeds(),
    ) {
        let scenario = design().fault(fault).seed(seed).build().expect("valid");
        let report = regionsim::simulate(&scenario).expect("runs");
        for p in &report.summary.populations {
            prop_assert!(p.availability >= 0.9, "{}: {:.4}", p.name, p.availability);
        }
    }
}

/// The same design on several seeds with no fault at all: every request
/// served.
#[test]
fn a_calm_day_loses_nothing() {
    let calm = design().build().expect("valid");
    testing::for_seeds(&calm, [1, 2, 3], |_seed, report| {
        for p in &report.summary.populations {
            prop_assert_eq!(p.counts.failed, 0, "{}", p.name);
        }
        Ok(())
    })
    .unwrap();
}
