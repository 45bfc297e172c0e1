//! `regionsim`: run, validate, list and benchmark scenarios from a terminal.
//!
//! The CLI contains no model logic: it reads files, hands the scenario to
//! `sim-core`, and prints or writes the report. Exit codes: 0 success, 2 bad
//! input (message on stderr), 1 anything else (e.g. a file that cannot be
//! written).

mod plot;

/// Writes to standard output; a closed pipe (`regionsim run | head`) ends
/// the program quietly instead of panicking like `print!`.
macro_rules! out {
    ($($arg:tt)*) => { emit(format_args!($($arg)*), false) };
}

/// [`out!`] with a newline.
macro_rules! outln {
    () => { emit(format_args!(""), true) };
    ($($arg:tt)*) => { emit(format_args!($($arg)*), true) };
}

/// Streams `fill` to standard output, ending quietly on a closed pipe like [`out!`].
fn stream_out(fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) {
    use std::io::Write;
    let mut o = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let r = fill(&mut o).and_then(|_| o.flush());
    if let Err(e) = r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

fn emit(args: std::fmt::Arguments, newline: bool) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    let r = o
        .write_fmt(args)
        .and_then(|_| if newline { o.write_all(b"\n") } else { Ok(()) });
    if let Err(e) = r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        // (stderr may be unwritable too, e.g. the same full disk: no panic.)
        let _ = writeln!(std::io::stderr(), "error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

use clap::{Parser, Subcommand};
use rayon::prelude::*;
use regionsim::compare::Metric;
use regionsim::{
    bundled, bundled_by_name, compare, sweep, Report, Scenario, ScenarioError, Sim, SimDuration, HEADLINE,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Simulate an active-active multi-region web API: replay a region failure
/// second by second and compare routing designs.
#[derive(Parser)]
#[command(name = "regionsim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario (a file, or the name of a bundled one) and print its summary.
    Run {
        /// Scenario file (TOML or JSON) or bundled name; default: the headline case.
        scenario: Option<String>,
        /// Use this seed instead of the scenario's.
        #[arg(long)]
        seed: Option<u64>,
        /// Write the full report as JSON to this file.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// Write the time series as CSV to this file.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Print only the report's JSON to stdout (for tools).
        #[arg(long)]
        quiet: bool,
        /// Also run this many seeds (seed, seed+1, …) and print each summary
        /// metric's mean with its 95 % confidence interval.
        #[arg(long, default_value_t = 1)]
        seeds: u32,
    },
    /// Run the scenario and its `[[variants]]` on the same seed and print them
    /// side by side; with --seeds N, means with 95 % confidence intervals.
    Compare {
        /// Scenario file (TOML or JSON) or bundled name.
        scenario: String,
        /// Only these variants (repeatable); default: all of them.
        #[arg(long = "variant", value_name = "NAME")]
        variants: Vec<String>,
        /// Replications per variant (seeds seed, seed+1, …).
        #[arg(long, default_value_t = 1)]
        seeds: u32,
        /// Write the comparison as JSON to this file.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// Write the comparison as CSV to this file.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
    /// Answer the design brief's nine questions for a scenario: a verdict
    /// (ok / risk / missing), the evidence from its runs and what to change.
    /// Question 9 searches over runs for the headroom that keeps the SLO.
    Review {
        /// Scenario file (TOML or JSON) or bundled name; default: the headline case.
        scenario: Option<String>,
        /// Use this seed instead of the scenario's.
        #[arg(long)]
        seed: Option<u64>,
        /// Run question 9's headroom search on this many seeds (seed, seed+1,
        /// …, in parallel): a floor must keep the SLO on every one.
        #[arg(long, default_value_t = 1)]
        seeds: u32,
        /// Markdown, for design documents.
        #[arg(long, conflicts_with = "json")]
        md: bool,
        /// JSON, for tools.
        #[arg(long)]
        json: bool,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Run the scenario over a grid of parameter values (all cores, in parallel)
    /// and write a tidy CSV: one row per point and seed.
    Sweep {
        /// Scenario file (TOML or JSON) or bundled name.
        scenario: String,
        /// path=v1,v2,… or path=a..b (repeatable; the grid is their product),
        /// e.g. routing.probe_interval=10s,30s,100s.
        #[arg(long = "param", value_name = "PATH=VALUES", required = true)]
        params: Vec<String>,
        /// Replications per point (seeds seed, seed+1, …).
        #[arg(long, default_value_t = 1)]
        seeds: u32,
        /// Write one row per point and seed to this CSV file.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Worker threads (default: every core); never more than the runs,
        /// nor than 256.
        #[arg(long)]
        threads: Option<usize>,
        /// Run only shard I of N (0-based): runs j with j mod N = I. Write each
        /// shard's rows with --csv and combine them with `regionsim merge`.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        /// Plot this summary metric (its id, as in the CSV's header, e.g.
        /// availability_pct or time_to_detect_all_s) against the parameters: a
        /// line for one, a heatmap for two.
        #[arg(long, value_name = "METRIC", requires = "svg")]
        plot: Option<String>,
        /// Where to write the plot (SVG).
        #[arg(long, value_name = "FILE", requires = "plot")]
        svg: Option<PathBuf>,
        /// Shard count, with the index taken from JOB_COMPLETION_INDEX
        /// (Kubernetes Indexed Jobs) or SLURM_ARRAY_TASK_ID (Slurm arrays).
        #[arg(long, value_name = "N", conflicts_with = "shard")]
        shards: Option<u32>,
    },
    /// Combine the CSV files of a sharded sweep into exactly the unsharded CSV.
    Merge {
        /// Where to write the combined CSV.
        output: PathBuf,
        /// The shards' CSV files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Check a scenario file and list every problem with its field path.
    Validate {
        /// Scenario file (TOML or JSON) or bundled name.
        scenario: String,
    },
    /// List the bundled scenarios and the question each answers.
    List,
    /// Measure simulation speed (simulated requests per second of wall time)
    /// and peak memory. Build with --release for meaningful numbers.
    Bench {
        /// Scenario file or bundled name; default: the headline case.
        scenario: Option<String>,
        /// Runs to time.
        #[arg(long, default_value_t = 3)]
        repeat: u32,
        /// Override the scenario's duration (e.g. "24h") to check that memory
        /// does not grow with simulated time.
        #[arg(long)]
        duration: Option<String>,
    },
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("{path}: {source}")]
    Scenario { path: String, source: ScenarioError },
    #[error("{0}")]
    Usage(String),
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Write { .. } => 1,
            _ => 2,
        }
    }
}

fn load(arg: &str) -> Result<Scenario, CliError> {
    let path = Path::new(arg);
    let (text, label) = if path.exists() {
        let t = std::fs::read_to_string(path).map_err(|source| CliError::Read {
            path: arg.to_string(),
            source,
        })?;
        (t, arg.to_string())
    } else if let Some(b) = bundled_by_name(arg.trim_end_matches(".toml")) {
        (b.text.to_string(), format!("{} (bundled)", b.name))
    } else {
        let names: Vec<&str> = bundled().iter().map(|b| b.name).collect();
        return Err(CliError::Usage(format!(
            "{arg}: no such file, and not a bundled scenario; bundled: {}",
            names.join(", ")
        )));
    };
    Scenario::parse(&text).map_err(|source| CliError::Scenario { path: label, source })
}

/// Checks, before any work, that each output can be placed: its directory
/// exists and it is not itself a directory.
fn check_outputs(paths: &[Option<&PathBuf>]) -> Result<(), CliError> {
    for p in paths.iter().flatten() {
        let fail = |why: String| CliError::Write {
            path: p.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, why),
        };
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(fail(format!("its directory {} does not exist", dir.display())));
        }
        if p.is_dir() {
            return Err(fail("it is a directory".into()));
        }
    }
    Ok(())
}

/// Writes `text` to `path` atomically: into a temporary file beside it,
/// flushed to disk, then renamed over `path`. A failed write (a full disk, a
/// file-size limit) leaves whatever was at `path` untouched and no temporary
/// file behind.
fn write(path: &Path, text: &str) -> Result<(), CliError> {
    write_with(path, |w| w.write_all(text.as_bytes()))
}

/// [`write`] for output streamed by `fill` (a report's JSON is written as it
/// is serialised, never held whole in memory).
fn write_with(path: &Path, fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Result<(), CliError> {
    let fail = |source| CliError::Write {
        path: path.display().to_string(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()
    });
    if let Err(e) = result.and_then(|_| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// The most worker threads a sweep starts, whatever `--threads` asks.
const MAX_THREADS: usize = 256;

/// Peak resident memory of this process in MiB (Linux), if known.
fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn check_seeds(n: u32) -> Result<(), CliError> {
    if (1..=1000).contains(&n) {
        Ok(())
    } else {
        Err(CliError::Usage(format!("--seeds {n}: use 1 to 1000")))
    }
}

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

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Run {
            scenario,
            seed,
            json,
            csv,
            quiet,
            seeds,
        } => {
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
        Command::Compare {
            scenario,
            variants,
            seeds,
            json,
            csv,
        } => {
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
            let variants: Vec<compare::Variant> =
                expanded.into_iter().map(|(n, s)| compare::Variant::new(n, s)).collect();
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
        Command::Merge { output, inputs } => {
            check_outputs(&[Some(&output)])?;
            merge(&output, &inputs)
        }
        Command::Sweep {
            scenario,
            params,
            seeds,
            csv,
            threads,
            shard,
            shards,
            plot,
            svg,
        } => {
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
            let mine =
                total / shard_count as usize + usize::from((total % shard_count as usize) > shard_index as usize);
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
                    let r = cmp.row(m);
                    match (r.values[0], r.ci95[0]) {
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
                        let row = cmp.row(*metric);
                        plot::PlotPoint {
                            mean: row.values[0],
                            ci: row.ci95[0],
                        }
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
        Command::Review {
            scenario,
            seed,
            seeds,
            md,
            json,
            output,
        } => {
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
        Command::Validate { scenario } => {
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
        Command::List => {
            for b in bundled() {
                let q = b.question();
                let q = q.strip_prefix("Question:").unwrap_or(&q).trim();
                outln!("{}\n    {}\n", b.name, q);
            }
            Ok(())
        }
        Command::Bench {
            scenario,
            repeat,
            duration,
        } => {
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
                eprintln!(
                    "note: this is a debug build; use `cargo run --release -p sim-cli -- bench` for real figures"
                );
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
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// "1 fault", "2 faults".
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
