//! `regionsim compare`: run the scenario and its `[[variants]]` on the same seed and print them

use crate::{check_outputs, check_seeds, load, write, CliError};
use regionsim::compare;
use std::path::PathBuf;

/// The arguments of `regionsim compare`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON) or bundled name.
    pub scenario: String,
    /// Only these variants (repeatable); default: all of them.
    #[arg(long = "variant", value_name = "NAME")]
    pub variants: Vec<String>,
    /// Replications per variant (seeds seed, seed+1, …).
    #[arg(long, default_value_t = 1)]
    pub seeds: u32,
    /// Write the comparison as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the comparison as CSV to this file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

/// Runs `regionsim compare`.
pub fn run(args: Args) -> Result<(), CliError> {
    let Args {
        scenario,
        variants,
        seeds,
        json,
        csv,
    } = args;
    check_seeds(seeds)?;
    check_outputs(&[json.as_ref(), csv.as_ref()])?;
    let sc = load(&scenario)?;
    let expanded = sc.expand_variants(&variants).map_err(|source| CliError::Scenario {
        path: scenario.clone(),
        source,
    })?;
    if expanded.len() < 2 {
        return Err(CliError::Usage(format!(
            "{scenario} has no [[variants]] to compare; add one, e.g.\n[[variants]]\nname = \"slow probes\"\nset = {{ \"routing.probe_interval\" = \"100s\" }}"
        )));
    }
    let names: Vec<String> = expanded.iter().map(|(n, _)| n.clone()).collect();
    let variants: Vec<compare::Variant> = expanded.into_iter().map(|(n, s)| compare::Variant::new(n, s)).collect();
    let cmp = compare::Comparison::run(&variants, seeds).map_err(|source| CliError::Scenario {
        path: scenario.clone(),
        source,
    })?;
    outln!(
        "{} — {} variants on seed {}{}",
        sc.name,
        names.len(),
        sc.seed,
        if seeds > 1 {
            format!(" (+{} more seeds; mean ± 95 % CI)", seeds - 1)
        } else {
            String::new()
        }
    );
    out!("{}", cmp.to_text());
    if let Some(p) = json {
        let doc = serde_json::json!({ "scenario": sc.name, "seeds": compare::seeds(sc.seed, seeds), "variants": cmp.names, "rows": cmp.rows });
        write(&p, &serde_json::to_string_pretty(&doc).unwrap_or_default())?;
    }
    if let Some(p) = csv {
        write(&p, &cmp.to_csv())?;
    }
    Ok(())
}
