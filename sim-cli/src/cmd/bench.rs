//! `regionsim bench`: measure simulation speed (simulated requests per second of wall time)

use crate::{load, CliError};
use regionsim::{Report, Sim, SimDuration, HEADLINE};
use std::time::Instant;

/// The arguments of `regionsim bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or bundled name; default: the headline case.
    pub scenario: Option<String>,
    /// Runs to time.
    #[arg(long, default_value_t = 3)]
    pub repeat: u32,
    /// Override the scenario's duration (e.g. "24h") to check that memory
    /// does not grow with simulated time.
    #[arg(long)]
    pub duration: Option<String>,
}

/// Runs `regionsim bench`.
pub fn run(args: Args) -> Result<(), CliError> {
    let Args {
        scenario,
        repeat,
        duration,
    } = args;
    if !(1..=100).contains(&repeat) {
        return Err(CliError::Usage(format!("--repeat {repeat}: use 1 to 100")));
    }
    let mut sc = load(scenario.as_deref().unwrap_or(HEADLINE))?;
    if let Some(d) = duration {
        sc.duration = d
            .parse::<SimDuration>()
            .map_err(|e| CliError::Usage(format!("--duration: {e}")))?;
        sc.faults.retain(|f| f.start() < sc.duration);
    }
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; use `cargo run --release -p sim-cli -- bench` for real figures");
    }
    let mut best = f64::INFINITY;
    let mut last: Option<Report> = None;
    for i in 0..repeat {
        let t0 = Instant::now();
        let sim = Sim::new(sc.clone()).map_err(|source| CliError::Scenario {
            path: "scenario".into(),
            source,
        })?;
        let report = sim.run();
        let dt = t0.elapsed().as_secs_f64();
        best = best.min(dt);
        let tries = report.summary.counts.tries;
        outln!(
            "run {}: {:.3} s wall, {} simulated tries, {:.2} M tries/s",
            i + 1,
            dt,
            tries,
            tries as f64 / dt / 1e6
        );
        last = Some(report);
    }
    if let Some(r) = last {
        let c = &r.summary.counts;
        outln!(
            "best: {:.3} s for {} of simulated time: {:.2} M simulated requests/s ({:.2} M tries/s), {:.0}× real time",
            best,
            SimDuration::from_secs_f64(r.duration_s),
            c.offered as f64 / best / 1e6,
            c.tries as f64 / best / 1e6,
            r.duration_s / best
        );
    }
    if let Some(m) = peak_rss_mib() {
        outln!("peak memory (VmHWM): {m:.1} MiB");
    }
    Ok(())
}

/// Peak resident memory of this process in MiB (Linux), if known.
fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
