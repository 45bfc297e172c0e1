//! `regionsim validate`: check a scenario file and list every problem with its field path.

use crate::{load, plural, CliError};

/// The arguments of `regionsim validate`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON) or bundled name.
    pub scenario: String,
}

/// Runs `regionsim validate`.
pub fn run(args: Args) -> Result<(), CliError> {
    let Args { scenario } = args;
    let sc = load(&scenario)?;
    outln!(
        "{scenario}: valid ({} routing, {}, {}, {}, {})",
        sc.routing.kind_name(),
        plural(sc.regions.len(), "region"),
        plural(sc.populations.len(), "population"),
        plural(sc.faults.len(), "fault"),
        sc.duration
    );
    for f in &sc.faults {
        outln!("  fault: {}", f.describe());
    }
    Ok(())
}
