//! `regionsim list`: list the bundled scenarios and the question each answers.

use crate::CliError;
use regionsim::bundled;

/// The arguments of `regionsim list` (none).
#[derive(clap::Args)]
pub struct Args {}

/// Runs `regionsim list`.
pub fn run(args: Args) -> Result<(), CliError> {
    let Args {} = args;
    for b in bundled() {
        let q = b.question();
        let q = q.strip_prefix("Question:").unwrap_or(&q).trim();
        outln!("{}\n    {}\n", b.name, q);
    }
    Ok(())
}
