//! Fork: warm a run up to minute 10, then try two futures from the same
//! state — eastus2 fails, or it does not — and compare what New York's
//! clients see. The fork shares everything before minute 10 exactly.

use regionsim::scenario::Fault;
use regionsim::{bundled_by_name, Report, Scenario, Sim, SimDuration, SimTime, HEADLINE};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut scenario = Scenario::parse(bundled_by_name(HEADLINE).ok_or("bundled")?.text)?;
    scenario.faults.clear();
    scenario.variants.clear();
    scenario.duration = SimDuration::from_mins(30);
    let mut calm = Sim::new(scenario)?;
    calm.run_until(SimTime::from_mins(10));
    let mut failing = calm.clone();
    failing.inject(Fault::region_outage(
        "eastus2",
        SimDuration::from_mins(10),
        SimDuration::from_mins(15),
    ))?;
    let (calm, failing) = (calm.finish(), failing.finish());
    let avail = |r: &Report| {
        r.summary
            .populations
            .iter()
            .find(|p| p.name == "us-east")
            .map_or(f64::NAN, |p| p.availability)
    };
    let first10 = |r: &Report| -> u64 { r.series.populations[0].succeeded[..600].iter().map(|&x| x as u64).sum() };
    println!(
        "us-east availability: calm {:.3} %, eastus2 failing {:.3} %",
        avail(&calm) * 100.0,
        avail(&failing) * 100.0
    );
    println!(
        "successes in the shared first 10 minutes: {} and {} (the same past)",
        first10(&calm),
        first10(&failing)
    );
    assert_eq!(first10(&calm), first10(&failing));
    Ok(())
}
