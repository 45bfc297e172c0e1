//! `regionsim merge`: combine the CSV files of a sharded sweep into exactly the unsharded CSV.

use crate::{check_outputs, write, CliError};
use regionsim::sweep;
use std::path::{Path, PathBuf};

/// The arguments of `regionsim merge`.
#[derive(clap::Args)]
pub struct Args {
    /// Where to write the combined CSV.
    pub output: PathBuf,
    /// The shards' CSV files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
}

/// Runs `regionsim merge`.
pub fn run(args: Args) -> Result<(), CliError> {
    let Args { output, inputs } = args;
    check_outputs(&[Some(&output)])?;
    merge(&output, &inputs)
}

/// Combines shard CSVs (see [`sweep::merge_csv`]) into `output`.
fn merge(output: &Path, inputs: &[PathBuf]) -> Result<(), CliError> {
    let mut files = Vec::with_capacity(inputs.len());
    for path in inputs {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
            path: path.display().to_string(),
            source,
        })?;
        files.push((path.display().to_string(), text));
    }
    let merged = sweep::merge_csv(&files).map_err(CliError::Usage)?;
    write(output, &merged)
}
