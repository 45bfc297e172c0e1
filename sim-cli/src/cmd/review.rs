//! `regionsim review`: answer the design brief's nine questions for a scenario: a verdict

use crate::{check_outputs, check_seeds, load, write, CliError};
use rayon::prelude::*;
use regionsim::{Scenario, HEADLINE};
use std::path::PathBuf;

/// The arguments of `regionsim review`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON) or bundled name; default: the headline case.
    pub scenario: Option<String>,
    /// Use this seed instead of the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run question 9's headroom search on this many seeds (seed, seed+1,
    /// …, in parallel): a floor must keep the SLO on every one.
    #[arg(long, default_value_t = 1)]
    pub seeds: u32,
    /// Markdown, for design documents.
    #[arg(long, conflicts_with = "json")]
    pub md: bool,
    /// JSON, for tools.
    #[arg(long)]
    pub json: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `regionsim review`.
pub fn run(args: Args) -> Result<(), CliError> {
    let Args {
        scenario,
        seed,
        seeds,
        md,
        json,
        output,
    } = args;
    check_outputs(&[output.as_ref()])?;
    let mut sc = load(scenario.as_deref().unwrap_or(HEADLINE))?;
    if let Some(seed) = seed {
        sc.seed = seed;
    }
    let review = review_with_progress(&sc, seeds)?;
    let text = if json {
        serde_json::to_string_pretty(&review).map_err(|e| CliError::Usage(e.to_string()))? + "\n"
    } else if md {
        review.to_markdown()
    } else {
        review.to_text()
    };
    match output {
        Some(path) => write(&path, &text),
        None => {
            out!("{text}");
            Ok(())
        }
    }
}

/// The review on `seeds` seeds, each round's runs in parallel, with a line
/// per round on a terminal's stderr.
fn review_with_progress(sc: &Scenario, seeds: u32) -> Result<regionsim::review::Review, CliError> {
    use std::io::IsTerminal;
    check_seeds(seeds)?;
    let tty = std::io::stderr().is_terminal();
    regionsim::review::run_with(
        sc,
        seeds,
        |n| {
            if tty {
                eprintln!("review: round {n} of runs …");
            }
        },
        |batch| batch.par_iter().map(regionsim::simulate).collect(),
    )
    .map_err(|source| CliError::Scenario {
        path: sc.name.clone(),
        source,
    })
}
