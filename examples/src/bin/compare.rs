//! Compare: the headline behind Front Door against the same design behind
//! Traffic Manager, on the same seed, as a table; then one metric by its id.

use regionsim::compare::{Comparison, Metric, Preset};
use regionsim::{bundled_by_name, Scenario, HEADLINE};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = Scenario::parse(bundled_by_name(HEADLINE).ok_or("bundled")?.text)?;
    let cmp = Comparison::run(&Preset::FrontDoorVsTrafficManager.variants(&base), 1)?;
    print!("{}", cmp.to_text());
    let detect = cmp.row(Metric::TimeToDetectAll).ok_or("every metric has a row")?;
    for (name, v) in cmp.names.iter().zip(&detect.values) {
        println!("{}: {name} {v:?}", Metric::TimeToDetectAll.id());
    }
    Ok(())
}
