//! Embed and run: the headline case — eastus2 carries most of the traffic
//! behind Front Door and fails for 30 minutes — built in code, run, and its
//! summary printed.

use regionsim::scenario::{
    Autoscale, DataTier, Fault, Instances, PopulationSpec, RateProfile, RegionSpec, Routing, ServiceTime,
};
use regionsim::{simulate, Scenario, SimDuration as D};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let service = ServiceTime::lognormal(D::from_millis(40), D::from_millis(250));
    let stamp = |name, n| {
        RegionSpec::new(name, Instances::scaling(n, n, 20), service.clone()).with_autoscale(Autoscale::default())
    };
    let pop = |name, metro, rps| PopulationSpec::new(name, metro, RateProfile::constant(rps));
    let scenario = Scenario::builder("eastus2 fails behind Front Door", D::from_mins(60))
        .seed(42)
        .routing(Routing::front_door(&["eastus2", "centralus"]))
        .region(stamp("eastus2", 10))
        .region(stamp("centralus", 8))
        .population(pop("us-east", "new_york", 450.0))
        .population(pop("us-central", "chicago", 150.0))
        .population(pop("europe", "london", 150.0))
        .data(DataTier::new(&["eastus2", "centralus"]))
        .fault(Fault::region_outage("eastus2", D::from_mins(10), D::from_mins(30)))
        .build()?;
    let report = simulate(&scenario)?;
    println!("{}", report.summary_text());
    Ok(())
}
