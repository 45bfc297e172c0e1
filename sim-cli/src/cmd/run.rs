//! `regionsim run`: run a scenario (a file, or the name of a bundled one) and print its summary.

use crate::{check_outputs, check_seeds, load, stream_out, write, write_with, CliError};
use regionsim::{compare, Report, Scenario, Sim, HEADLINE};
use std::path::PathBuf;

/// The arguments of `regionsim run`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON) or bundled name; default: the headline case.
    pub scenario: Option<String>,
    /// Use this seed instead of the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write the full report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the time series as CSV to this file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Print only the report's JSON to stdout (for tools).
    #[arg(long)]
    pub quiet: bool,
    /// Also run this many seeds (seed, seed+1, …) and print each summary
    /// metric's mean with its 95 % confidence interval.
    #[arg(long, default_value_t = 1)]
    pub seeds: u32,
}

/// Runs `regionsim run`.
pub fn run(args: Args) -> Result<(), CliError> {
    let Args {
        scenario,
        seed,
        json,
        csv,
        quiet,
        seeds,
    } = args;
    check_seeds(seeds)?;
    check_outputs(&[json.as_ref(), csv.as_ref()])?;
    let mut sc = load(scenario.as_deref().unwrap_or(HEADLINE))?;
    if let Some(s) = seed {
        sc.seed = s;
    }
    let sim = Sim::new(sc).map_err(|source| CliError::Scenario {
        path: "scenario".into(),
        source,
    })?;
    let report = run_with_progress(sim);
    // The JSON is streamed to its destination as it is serialised.
    let json_to = |w: &mut dyn std::io::Write| {
        serde_json::to_writer_pretty(&mut *w, &report).map_err(std::io::Error::from)?;
        w.write_all(b"\n")
    };
    if quiet {
        stream_out(json_to);
    } else {
        out!("{}", report.summary_text());
    }
    if let Some(p) = json {
        write_with(&p, json_to)?;
        if !quiet {
            outln!("\nreport written to {}", p.display());
        }
    }
    if let Some(p) = csv {
        write(&p, &report.to_csv())?;
        if !quiet {
            outln!("time series written to {}", p.display());
        }
    }
    if seeds > 1 && !quiet {
        let base = load(scenario.as_deref().unwrap_or(HEADLINE))?.with_seed(report.seed);
        let runs = vec![replicate(&base, seeds)?];
        outln!("\nover {seeds} seeds (mean ± 95 % confidence interval):");
        out!(
            "{}",
            compare::Comparison::of_reports(vec!["mean".to_string()], &runs).to_text()
        );
        if base.reliability.is_some() {
            let avail: Vec<f64> = runs[0].iter().map(|r| r.summary.availability).collect();
            let (m, ci) = compare::mean_ci(&avail);
            let ci = ci.unwrap_or(0.0);
            outln!(
                "random faults: expected downtime ≈ {:.0} ± {:.0} min per year (availability {:.4} % ± {:.4})",
                (1.0 - m) * 525_600.0,
                ci * 525_600.0,
                m * 100.0,
                ci * 100.0
            );
        }
    }
    Ok(())
}

/// Runs `sc` on `n` consecutive seeds.
fn replicate(sc: &Scenario, n: u32) -> Result<Vec<Report>, CliError> {
    check_seeds(n)?;
    compare::seeds(sc.seed, n)
        .into_iter()
        .map(|seed| {
            let s = sc.clone().with_seed(seed);
            Sim::new(s).map(|sim| sim.run()).map_err(|source| CliError::Scenario {
                path: "scenario".into(),
                source,
            })
        })
        .collect()
}

/// Runs `sim` to the end; on a terminal, with a progress bar and ETA on
/// stderr (in slices of the simulated time: the same events in the same
/// order, so the same report).
fn run_with_progress(mut sim: Sim) -> Report {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return sim.run();
    }
    const SLICES: u64 = 1000;
    let bar = indicatif::ProgressBar::new(SLICES);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {percent:>3} % of simulated time  {elapsed} elapsed, ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let end = sim.end().0;
    for k in 1..=SLICES {
        sim.run_until(regionsim::SimTime(
            end / SLICES * k + if k == SLICES { end % SLICES } else { 0 },
        ));
        bar.set_position(k);
    }
    bar.finish_and_clear();
    sim.finish()
}
