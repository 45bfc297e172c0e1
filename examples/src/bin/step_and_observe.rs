//! Step and observe: run the bundled headline minute by minute and print
//! what an operator's dashboard would show — each population's availability
//! so far, how many Front Door POPs still send traffic to eastus2, and each
//! stamp's instances — and acts as the operator on call would: fifteen
//! minutes in, with eastus2 gone, scale centralus to 20 by hand.

use regionsim::{bundled_by_name, Action, Scenario, Sim, SimTime, HEADLINE};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = bundled_by_name(HEADLINE).ok_or("the headline is bundled")?.text;
    let mut sim = Sim::new(Scenario::parse(text)?)?;
    println!("minute  us-east avail  POPs seeing eastus2 healthy  instances (serving+provisioning)");
    for minute in (5..=60).step_by(5) {
        sim.run_until(SimTime::from_mins(minute));
        let snap = sim.snapshot();
        let east = snap.populations.iter().find(|p| p.name == "us-east").ok_or("us-east")?;
        let healthy = snap
            .routers
            .iter()
            .filter(|v| v.regions.iter().any(|(r, ok)| r == "eastus2" && *ok))
            .count();
        let sizes: Vec<String> = snap
            .instances
            .iter()
            .map(|i| format!("{} {}+{}", i.region, i.serving, i.provisioning))
            .collect();
        println!(
            "{minute:>6}  {:>12.2} %  {healthy:>14} of {:<12}  {}",
            east.availability() * 100.0,
            snap.routers.len(),
            sizes.join(", ")
        );
        if minute == 15 {
            sim.act(Action::Scale {
                region: "centralus".into(),
                instances: 20,
            })?;
            println!("        (operator: centralus scaled to 20 by hand)");
        }
    }
    let report = sim.finish();
    println!("\n{}", report.summary_text());
    Ok(())
}
