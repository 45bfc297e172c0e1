//! `regionsim sweep`: run the scenario over a grid of parameter values (all cores, in parallel)

use crate::{check_outputs, check_seeds, load, plot, write, CliError};
use rayon::prelude::*;
use regionsim::compare::Metric;
use regionsim::{compare, sweep, Scenario, Sim};
use std::path::PathBuf;
use std::time::Instant;

/// The arguments of `regionsim sweep`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON) or bundled name.
    pub scenario: String,
    /// path=v1,v2,… or path=a..b (repeatable; the grid is their product),
    /// e.g. routing.probe_interval=10s,30s,100s.
    #[arg(long = "param", value_name = "PATH=VALUES", required = true)]
    pub params: Vec<String>,
    /// Replications per point (seeds seed, seed+1, …).
    #[arg(long, default_value_t = 1)]
    pub seeds: u32,
    /// Write one row per point and seed to this CSV file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Worker threads (default: every core); never more than the runs,
    /// nor than 256.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Run only shard I of N (0-based): runs j with j mod N = I. Write each
    /// shard's rows with --csv and combine them with `regionsim merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Plot this summary metric (its id, as in the CSV's header, e.g.
    /// availability_pct or time_to_detect_all_s) against the parameters: a
    /// line for one, a heatmap for two.
    #[arg(long, value_name = "METRIC", requires = "svg")]
    pub plot: Option<String>,
    /// Where to write the plot (SVG).
    #[arg(long, value_name = "FILE", requires = "plot")]
    pub svg: Option<PathBuf>,
    /// Shard count, with the index taken from JOB_COMPLETION_INDEX
    /// (Kubernetes Indexed Jobs) or SLURM_ARRAY_TASK_ID (Slurm arrays).
    #[arg(long, value_name = "N", conflicts_with = "shard")]
    pub shards: Option<u32>,
}

/// Runs `regionsim sweep`.
pub fn run(args: Args) -> Result<(), CliError> {
    let Args {
        scenario,
        params,
        seeds,
        csv,
        threads,
        shard,
        shards,
        plot,
        svg,
    } = args;
    let plot: Option<Metric> = match &plot {
        Some(m) => Some(m.parse().map_err(|e| CliError::Usage(format!("--plot {e}")))?),
        None => None,
    };
    check_seeds(seeds)?;
    check_outputs(&[csv.as_ref(), svg.as_ref()])?;
    if plot.is_some() && params.len() > 2 {
        return Err(CliError::Usage(format!(
            "--plot draws a line for one --param or a heatmap for two; this sweep has {}: plot from its CSV instead",
            params.len()
        )));
    }
    if threads == Some(0) {
        return Err(CliError::Usage(
            "--threads must be at least 1 (leave it out for every core)".into(),
        ));
    }
    let (shard_index, shard_count) = resolve_shard(shard.as_deref(), shards)?;
    if shard_count > 1 && csv.is_none() {
        return Err(CliError::Usage(
            "a shard writes its rows with --csv FILE (one file per shard)".into(),
        ));
    }
    let sc = load(&scenario)?;
    let params = params
        .iter()
        .map(|p| sweep::parse_param(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::Usage(format!("--param {e}")))?;
    for (k, p) in params.iter().enumerate() {
        if params[..k].iter().any(|q| q.path == p.path) {
            return Err(CliError::Usage(format!(
                "--param {}: given twice; list all its values in one --param, e.g. {}=a,b,c",
                p.path, p.path
            )));
        }
    }
    let points = sweep::points(&sc, &params).map_err(|source| CliError::Scenario {
        path: scenario.clone(),
        source,
    })?;
    // Each point's seeds follow from its own base seed (a `--param
    // seed=…` sets it), so that every point is replicated alike.
    let n_seeds = seeds as usize;
    let total = points.len() * n_seeds;
    let mine = total / shard_count as usize + usize::from((total % shard_count as usize) > shard_index as usize);
    if mine > sweep::MAX_RUNS {
        return Err(CliError::Usage(format!(
            "{total} runs ({} points × {seeds} seeds){}: at most {} in one process; use fewer values or seeds, or split it with --shard I/N (at least {} shards)",
            points.len(),
            if shard_count > 1 { format!(", {mine} in this shard") } else { String::new() },
            sweep::MAX_RUNS,
            total.div_ceil(sweep::MAX_RUNS)
        )));
    }
    let seed_of = |i: usize, k: usize| compare::seeds(points[i].scenario.seed, seeds)[k];
    let jobs: Vec<(usize, u64)> = (0..total)
        .filter(|j| *j as u32 % shard_count == shard_index)
        .map(|j| (j / n_seeds, seed_of(j / n_seeds, j % n_seeds)))
        .collect();
    // More threads than runs (or than any machine here could use)
    // only costs memory: cap before spawning.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = threads.unwrap_or(cores).min(jobs.len().max(1)).min(MAX_THREADS);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CliError::Usage(format!("--threads: {e}")))?;
    let t0 = Instant::now();
    // A progress bar with ETA on a terminal; nothing when stderr is piped.
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::new(jobs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {elapsed} elapsed, ETA {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Each run is kept as its table row (a few hundred bytes), not
    // its report: memory does not grow with the series of every run.
    let reports: Vec<Vec<compare::Row>> = pool.install(|| {
        jobs.par_iter()
            .map(|&(i, seed)| {
                Sim::new(points[i].scenario.clone().with_seed(seed))
                    .map(|s| compare::rows(&[s.run()]))
                    .map_err(|source| CliError::Scenario {
                        path: scenario.clone(),
                        source,
                    })
            })
            .inspect(|_| bar.inc(1))
            .collect::<Result<Vec<_>, _>>()
    })?;
    bar.finish_and_clear();
    eprintln!(
        "{} runs ({} points × {} seeds) in {:.1} s on {} threads",
        jobs.len(),
        points.len(),
        seeds,
        t0.elapsed().as_secs_f64(),
        pool.current_num_threads()
    );
    let n = n_seeds;
    let sharded = shard_count > 1;
    if sharded {
        eprintln!("shard {shard_index}/{shard_count}: {} of the sweep's runs", jobs.len());
    }
    for (i, p) in points.iter().enumerate().filter(|_| !sharded) {
        let cmp = compare::Comparison::of_rows(Vec::new(), &[reports[i * n..(i + 1) * n].to_vec()]);
        let fmt = |m: Metric, digits: usize| {
            let (v, c) = cmp.row(m).map_or((None, None), |r| (r.values[0], r.ci95[0]));
            match (v, c) {
                (Some(v), Some(c)) => format!("{v:.digits$} ± {c:.digits$}{}", m.unit()),
                (Some(v), None) => format!("{v:.digits$}{}", m.unit()),
                _ => "—".into(),
            }
        };
        let label: Vec<String> = p
            .values
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().map(str::to_string).unwrap_or(v.to_string())))
            .collect();
        outln!(
            "{}: availability {}, detect(all) {}, mitigate {}, failed {}",
            label.join(" "),
            fmt(Metric::Availability, 3),
            fmt(Metric::TimeToDetectAll, 0),
            fmt(Metric::TimeToMitigate, 0),
            fmt(Metric::FailedRequests, 0)
        );
    }
    if let (Some(metric), Some(file)) = (&plot, &svg) {
        if sharded {
            return Err(CliError::Usage(
                "plot the merged sweep: one shard holds only part of the runs".into(),
            ));
        }
        let text = |v: &serde_json::Value| v.as_str().map(str::to_string).unwrap_or(v.to_string());
        let axes: Vec<Vec<String>> = params.iter().map(|p| p.values.iter().map(text).collect()).collect();
        let pts: Vec<plot::PlotPoint> = points
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let cmp = compare::Comparison::of_rows(Vec::new(), &[reports[i * n..(i + 1) * n].to_vec()]);
                let (mean, ci) = cmp.row(*metric).map_or((None, None), |r| (r.values[0], r.ci95[0]));
                plot::PlotPoint { mean, ci }
            })
            .collect();
        let names: Vec<String> = params.iter().map(|p| p.path.clone()).collect();
        let title = match metric.unit() {
            "" => metric.label().to_string(),
            unit => format!("{} ({unit})", metric.label()),
        };
        let svg = plot::draw(&title, &names, &axes, &pts).map_err(CliError::Usage)?;
        write(file, &svg)?;
        eprintln!("plot written to {}", file.display());
    }
    if let Some(path) = csv {
        let id = sweep_id(&sc, &params, points.len(), seeds);
        let param_names: Vec<String> = params.iter().map(|p| p.path.clone()).collect();
        let runs: Vec<sweep::SweepRun> = jobs
            .iter()
            .enumerate()
            .map(|(j, &(point, seed))| sweep::SweepRun {
                point,
                seed,
                values: points[point]
                    .values
                    .iter()
                    .map(|(_, v)| v.as_str().map(str::to_string).unwrap_or(v.to_string()))
                    .collect(),
                metrics: reports[j].iter().map(|row| row.values[0]).collect(),
            })
            .collect();
        let out = sweep::runs_csv(&param_names, &runs, &id);
        write(&path, &out)?;
    }
    Ok(())
}

/// The most worker threads a sweep starts, whatever `--threads` asks.
const MAX_THREADS: usize = 256;

/// (index, count) of this process's shard: `--shard I/N`, or `--shards N`
/// with the index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID.
fn resolve_shard(shard: Option<&str>, shards: Option<u32>) -> Result<(u32, u32), CliError> {
    let bad = |m: String| CliError::Usage(m);
    if let Some(spec) = shard {
        let parsed = spec
            .split_once('/')
            .and_then(|(i, n)| Some((i.trim().parse::<u32>().ok()?, n.trim().parse::<u32>().ok()?)));
        return match parsed {
            Some((i, n)) if n >= 1 && i < n => Ok((i, n)),
            _ => Err(bad(format!("--shard {spec:?}: write I/N with 0 ≤ I < N, e.g. 0/4"))),
        };
    }
    let Some(n) = shards else { return Ok((0, 1)) };
    if n == 0 {
        return Err(bad("--shards 0: use at least 1".into()));
    }
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.trim().parse::<u32>().ok());
    let index = env("JOB_COMPLETION_INDEX")
        .or_else(|| env("SLURM_ARRAY_TASK_ID").map(|id| id.saturating_sub(env("SLURM_ARRAY_TASK_MIN").unwrap_or(0))))
        .ok_or_else(|| {
            bad(
                "--shards: set JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm), or use --shard I/N"
                    .into(),
            )
        })?;
    if index >= n {
        return Err(bad(format!(
            "shard index {index} from the environment is not below --shards {n}"
        )));
    }
    Ok((index, n))
}

/// A sweep's identity, written in every row of its CSV (last column,
/// `sweep`): a hash of the scenario, the parameters and the seeds, then the
/// grid's size as POINTSxSEEDS — what `merge` checks shards against.
fn sweep_id(sc: &Scenario, params: &[sweep::Param], points: usize, seeds: u32) -> String {
    let mut text = serde_json::to_string(sc).unwrap_or_default();
    for p in params {
        text.push_str(&format!("\n{}={:?}", p.path, p.values));
    }
    text.push_str(&format!("\nseeds {}x{seeds}", sc.seed));
    // FNV-1a, 64 bits: stable across versions and platforms.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}/{points}x{seeds}")
}
