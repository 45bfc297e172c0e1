//! Compare: the headline behind Front Door against the same design behind
//! Traffic Manager, on the same seed, as a table.

use regionsim::compare::{self, Preset};
use regionsim::{bundled_by_name, simulate, Scenario, HEADLINE};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = Scenario::parse(bundled_by_name(HEADLINE).ok_or("bundled")?.text)?;
    let variants = Preset::FrontDoorVsTrafficManager.variants(&base);
    let mut names = Vec::new();
    let mut reports = Vec::new();
    for v in variants {
        names.push(v.name.clone());
        reports.push(simulate(&v.scenario)?);
    }
    print!("{}", compare::render_table(&names, &compare::table(&reports)));
    Ok(())
}
