//! The `regionsim` binary: exit codes, messages, and that its reports are the
//! library's reports.

use std::process::Command;

fn regionsim(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .args(args)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The headline shortened to `minutes`, its outage from `start` for `length`
/// minutes, written to a temp file (sweeps in tests stay quick).
fn short_headline(name: &str, minutes: u32, start: u32, length: u32) -> std::path::PathBuf {
    let file = tmp(&format!("{name}.toml"));
    let text = regionsim::bundled_by_name("eastus2-fails-frontdoor")
        .unwrap()
        .text
        .replace("duration = \"60m\"", &format!("duration = \"{minutes}m\""))
        .replace(
            "start = \"10m\"\nduration = \"30m\"",
            &format!("start = \"{start}m\"\nduration = \"{length}m\""),
        );
    std::fs::write(&file, text).unwrap();
    file
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("regionsim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

#[test]
fn run_defaults_to_the_headline_and_writes_json_and_csv() {
    let (json, csv) = (tmp("r.json"), tmp("r.csv"));
    let (code, out, err) = regionsim(&["run", "--json", json.to_str().unwrap(), "--csv", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("eastus2-fails-frontdoor") && out.contains("detect: first router"),
        "{out}"
    );
    let report: sim_core_report::Report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report.scenario, "eastus2-fails-frontdoor");
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    let rows = csv_text.lines().count();
    // One header, then per bucket one row per population (5) and region (2).
    assert_eq!(rows, 1 + report.series.time_s.len() * 7);
}

/// The report as the CLI writes it, read back with the library's own types.
mod sim_core_report {
    pub use regionsim::Report;
}

#[test]
fn the_cli_report_equals_the_library_report() {
    let json = tmp("same.json");
    let (code, _, err) = regionsim(&[
        "run",
        "survivor-underprovisioned",
        "--seed",
        "7",
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let from_cli: regionsim::Report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let mut sc =
        regionsim::Scenario::parse(regionsim::bundled_by_name("survivor-underprovisioned").unwrap().text).unwrap();
    sc.seed = 7;
    let from_lib = regionsim::simulate(&sc).unwrap();
    assert!(from_cli == from_lib, "CLI and library disagree");
}

#[test]
fn bad_input_exits_2_with_the_field_on_stderr() {
    let bad = tmp("bad.toml");
    let text = regionsim::bundled_by_name("eastus2-fails-frontdoor")
        .unwrap()
        .text
        .replace("sample_size = 4", "sample_size = 0");
    std::fs::write(&bad, text).unwrap();
    let (code, out, err) = regionsim(&["validate", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("routing.sample_size"), "{err}");
    let (code, _, err) = regionsim(&["run", "/no/such/file.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no such file") && err.contains("eastus2-fails-frontdoor"),
        "{err}"
    );
}

#[test]
fn validate_and_list_cover_the_bundled_scenarios() {
    let (code, out, _) = regionsim(&["list"]);
    assert_eq!(code, 0);
    for b in regionsim::bundled() {
        assert!(out.contains(b.name), "{} not listed", b.name);
        let (code, v, err) = regionsim(&["validate", b.name]);
        assert_eq!(code, 0, "{err}");
        assert!(v.contains("valid"));
        // Each fault on its own line, with its strengths.
        let sc = regionsim::Scenario::from_toml(b.text).unwrap();
        assert_eq!(v.matches("\n  fault: ").count(), sc.faults.len(), "{v}");
        for f in &sc.faults {
            assert!(v.contains(&f.describe()), "{v}");
        }
    }
}

#[test]
fn an_unwritable_output_is_exit_1() {
    let (code, _, err) = regionsim(&[
        "run",
        "single-region-before",
        "--json",
        "/proc/definitely/not/here.json",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot write"), "{err}");
}

#[test]
fn compare_runs_the_variants_side_by_side() {
    let csv = tmp("cmp.csv");
    let (code, out, err) = regionsim(&[
        "compare",
        "eastus2-fails-frontdoor",
        "--variant",
        "probes every 100s",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("base") && out.contains("probes every 100s") && out.contains("▲"),
        "{out}"
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("metric,label,unit,better,base,base ci95,probes every 100s"),
        "{text}"
    );
    let (code, _, err) = regionsim(&["compare", "eastus2-fails-frontdoor", "--variant", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("traffic manager"), "{err}");
    let (code, _, err) = regionsim(&["compare", "single-region-before"]);
    assert_eq!(code, 2);
    assert!(err.contains("[[variants]]"), "{err}");
}

#[test]
fn sweep_writes_one_row_per_point_and_seed_whatever_the_threads() {
    let file = short_headline("short", 6, 2, 3);
    let (one, two) = (tmp("sweep1.csv"), tmp("sweep2.csv"));
    let args = |csv: &std::path::Path, threads: &str| {
        vec![
            "sweep".to_string(),
            file.to_str().unwrap().to_string(),
            "--param".into(),
            "routing.probe_interval=10s,60s".into(),
            "--seeds".into(),
            "2".into(),
            "--threads".into(),
            threads.into(),
            "--csv".into(),
            csv.to_str().unwrap().to_string(),
        ]
    };
    let a: Vec<String> = args(&one, "1");
    let (code, out, err) = regionsim(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("routing.probe_interval=10s") && out.contains("routing.probe_interval=60s"),
        "{out}"
    );
    let b: Vec<String> = args(&two, "2");
    let (code, _, err) = regionsim(&b.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    let (x, y) = (
        std::fs::read_to_string(&one).unwrap(),
        std::fs::read_to_string(&two).unwrap(),
    );
    assert_eq!(x, y, "the same rows in the same order on 1 and 2 threads");
    assert_eq!(x.lines().count(), 1 + 2 * 2);
    assert!(x.starts_with("point,seed,routing.probe_interval,availability"));
    let (code, _, err) = regionsim(&["sweep", file.to_str().unwrap(), "--param", "routing.probe_intrval=10s"]);
    assert_eq!(code, 2);
    assert!(err.contains("probe_interval"), "{err}");
    // An absurd thread count is capped at the runs (4) before any spawn.
    let c: Vec<String> = args(&tmp("sweep3.csv"), "100000");
    let (code, _, err) = regionsim(&c.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("on 4 threads"), "{err}");
    assert_eq!(std::fs::read_to_string(tmp("sweep3.csv")).unwrap(), x);
    let z: Vec<String> = args(&tmp("sweep4.csv"), "0");
    let (code, _, err) = regionsim(&z.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 2);
    assert!(err.contains("--threads"), "{err}");
}

#[test]
fn shards_run_as_separate_processes_merge_into_the_unsharded_csv() {
    let file = short_headline("shard", 4, 1, 2);
    let sweep = |csv: &std::path::Path, extra: &[&str], env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_regionsim"));
        cmd.args([
            "sweep",
            file.to_str().unwrap(),
            "--param",
            "routing.probe_interval=10s,60s",
            "--param",
        ])
        .args([
            "regions.centralus.instances.initial=8..9",
            "--seeds",
            "2",
            "--threads",
            "1",
            "--csv",
        ])
        .arg(csv)
        .args(extra)
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let whole = tmp("whole.csv");
    sweep(&whole, &[], &[]);
    // Three shards: one explicit, one as a Kubernetes Indexed Job pod, one as a Slurm array task.
    let parts = [tmp("s0.csv"), tmp("s1.csv"), tmp("s2.csv")];
    sweep(&parts[0], &["--shard", "0/3"], &[]);
    sweep(&parts[1], &["--shards", "3"], &[("JOB_COMPLETION_INDEX", "1")]);
    sweep(
        &parts[2],
        &["--shards", "3"],
        &[("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1")],
    );
    let merged = tmp("merged.csv");
    let mut args = vec!["merge", merged.to_str().unwrap()];
    // Out of order on purpose.
    for p in [&parts[2], &parts[0], &parts[1]] {
        args.push(p.to_str().unwrap());
    }
    let (code, _, err) = regionsim(&args);
    assert_eq!(code, 0, "{err}");
    let (a, b) = (std::fs::read(&whole).unwrap(), std::fs::read(&merged).unwrap());
    assert_eq!(a, b, "merged shards differ from the unsharded sweep");
    assert_eq!(String::from_utf8_lossy(&a).lines().count(), 1 + 2 * 2 * 2);
    // A shard given twice is refused, and so is a bad shard spec.
    let (code, _, err) = regionsim(&[
        "merge",
        merged.to_str().unwrap(),
        parts[0].to_str().unwrap(),
        parts[0].to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("twice"), "{err}");
    // Two of three shards: a hole in the grid.
    let (code, _, err) = regionsim(&[
        "merge",
        merged.to_str().unwrap(),
        parts[0].to_str().unwrap(),
        parts[1].to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("of its 2 seeds") && err.contains("left out"), "{err}");
    // A truncated row (two columns short).
    let text = std::fs::read_to_string(&parts[1]).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let short: Vec<&str> = lines[1].split(',').collect();
    lines[1] = short[..short.len() - 2].join(",");
    let cut = tmp("s1-cut.csv");
    std::fs::write(&cut, lines.join("\n") + "\n").unwrap();
    let (code, _, err) = regionsim(&[
        "merge",
        merged.to_str().unwrap(),
        parts[0].to_str().unwrap(),
        cut.to_str().unwrap(),
        parts[2].to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("columns"), "{err}");
    // A shard of another sweep (other parameter values for the same points).
    let other = tmp("s1-other.csv");
    std::fs::write(&other, text.replace(",10s,", ",20s,")).unwrap();
    let (code, _, err) = regionsim(&[
        "merge",
        merged.to_str().unwrap(),
        parts[0].to_str().unwrap(),
        other.to_str().unwrap(),
        parts[2].to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("different sweeps"), "{err}");
    // Every row names its sweep: its hash and grid (here 4 points × 2 seeds).
    let whole_text = String::from_utf8_lossy(&a).into_owned();
    assert!(whole_text.lines().next().unwrap().ends_with(",sweep"));
    assert!(whole_text.lines().skip(1).all(|l| l.ends_with("/4x2")), "{whole_text}");
    // The grid's last point left out entirely (a shard holding only it, say):
    // the grid size in the id shows the hole.
    let cut_tail: Vec<&str> = whole_text.lines().filter(|l| !l.starts_with("3,")).collect();
    let tail = tmp("no-last-point.csv");
    std::fs::write(&tail, cut_tail.join("\n") + "\n").unwrap();
    let (code, _, err) = regionsim(&["merge", merged.to_str().unwrap(), tail.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("point 3 has 0 of its 2 seeds") && err.contains("left out"),
        "{err}"
    );
    // A shard of the same grid run with other seeds is another sweep.
    let three = tmp("three-seeds.csv");
    let (code, _, err) = regionsim(&[
        "sweep",
        file.to_str().unwrap(),
        "--param",
        "routing.probe_interval=10s,60s",
        "--param",
        "regions.centralus.instances.initial=8..9",
        "--seeds",
        "3",
        "--threads",
        "1",
        "--shard",
        "1/3",
        "--csv",
        three.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = regionsim(&[
        "merge",
        merged.to_str().unwrap(),
        parts[0].to_str().unwrap(),
        three.to_str().unwrap(),
        parts[2].to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("two different sweeps"), "{err}");
    // An empty input.
    let empty = tmp("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let (code, _, err) = regionsim(&["merge", merged.to_str().unwrap(), empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a sweep CSV"), "{err}");
    // The good merge is still there after every refusal.
    assert_eq!(std::fs::read(&merged).unwrap(), a);
    let (code, _, err) = regionsim(&[
        "sweep",
        file.to_str().unwrap(),
        "--param",
        "seed=1",
        "--shard",
        "3/3",
        "--csv",
        "x.csv",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("0 ≤ I < N"), "{err}");
}

#[test]
fn sweep_plots_a_metric_as_svg_and_names_the_valid_metrics() {
    let file = short_headline("plot", 4, 1, 2);
    let svg = tmp("plot.svg");
    let (code, _, err) = regionsim(&[
        "sweep",
        file.to_str().unwrap(),
        "--param",
        "routing.probe_interval=10s,60s",
        "--param",
        "regions.centralus.instances.min=6..7",
        "--plot",
        "availability_during_fault_pct",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.starts_with("<svg") && text.contains("availability during the fault (%)"),
        "not a heatmap SVG"
    );
    assert!(text.matches("<rect").count() >= 4, "one cell per point");
    let (code, _, err) = regionsim(&[
        "sweep",
        file.to_str().unwrap(),
        "--param",
        "seed=1,2",
        "--plot",
        "goodness",
        "--svg",
        "x.svg",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--plot \"goodness\" is not a metric"), "{err}");
    assert!(
        err.contains("availability_pct, availability_during_fault_pct, "),
        "{err}"
    );
    assert!(err.contains("time_to_detect_all_s"), "{err}");
}

#[test]
fn review_answers_nine_questions_in_text_markdown_and_json() {
    let file = short_headline("review", 16, 2, 12);
    let path = file.to_str().unwrap();
    let (code, text, err) = regionsim(&["review", path]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("Design review: eastus2-fails-frontdoor"), "{text}");
    for n in 1..=9 {
        assert!(text.contains(&format!("\n{n}. ")), "question {n} missing:\n{text}");
    }
    let md = tmp("review.md");
    let (code, _, err) = regionsim(&["review", path, "--md", "-o", md.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("# Design review: eastus2-fails-frontdoor"));
    assert!(md.contains("| # | Question | Verdict |"));
    // JSON is the library's review of the same scenario, field for field.
    let (code, json, err) = regionsim(&["review", path, "--json"]);
    assert_eq!(code, 0, "{err}");
    let from_cli: regionsim::review::Review = serde_json::from_str(&json).unwrap();
    let sc = regionsim::Scenario::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(from_cli, regionsim::review::run(&sc).unwrap());
    // Several seeds (run in parallel): the search says so.
    let (code, json, err) = regionsim(&["review", path, "--json", "--seeds", "2"]);
    assert_eq!(code, 0, "{err}");
    let two: regionsim::review::Review = serde_json::from_str(&json).unwrap();
    assert_eq!(two.headroom.map(|h| h.seeds), Some(2));
    // Bad input: exit 2 and a message.
    let (code, _, err) = regionsim(&["review", path, "--seeds", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--seeds 0"), "{err}");
    let (code, _, err) = regionsim(&["review", "no-such-file.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file"), "{err}");
    let (code, _, err) = regionsim(&["review", path, "--md", "--json"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::process::Stdio;
    let file = short_headline("pipe", 3, 1, 1);
    let mut child = Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .args(["run", file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    // Close the reading end before the run has printed anything (`| head -0`).
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("waits");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn outputs_are_checked_before_any_work() {
    // A missing directory is found before the run: nothing is printed (the
    // run's summary would be), exit 1 names the path.
    let missing = tmp("no-such-dir").join("out.json");
    let (code, out, err) = regionsim(&["run", "single-region-before", "--json", missing.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "the run went ahead: {out}");
    assert!(err.contains("cannot write") && err.contains("does not exist"), "{err}");
    // A directory given as the output file.
    let dir = tmp("a-dir");
    std::fs::create_dir_all(&dir).unwrap();
    let (code, out, err) = regionsim(&[
        "review",
        "single-region-before",
        "--md",
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty() && err.contains("is a directory"), "{out}{err}");
}

#[test]
fn a_failed_write_leaves_the_previous_file_whole() {
    // A file-size limit of 1 KiB (SIGXFSZ ignored, so the write fails with
    // EFBIG as on a full disk): the report cannot be written, the command
    // exits 1, and the good file already there is left as it was, with no
    // temporary file beside it.
    let out = tmp("atomic.json");
    std::fs::write(&out, "GOOD").unwrap();
    let script = format!(
        "trap '' XFSZ; ulimit -f 1; exec '{}' run single-region-before --quiet --json '{}' >/dev/null 2>&1",
        env!("CARGO_BIN_EXE_regionsim"),
        out.display()
    );
    let status = Command::new("sh").args(["-c", &script]).status().expect("sh runs");
    assert_eq!(status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "GOOD");
    let dir = out.parent().unwrap();
    let leftovers: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("atomic.json") && n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Without the limit the same command replaces it with the report.
    let (code, _, _) = regionsim(&[
        "run",
        "single-region-before",
        "--quiet",
        "--json",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with('{'));
}

/// Every argument is checked before any simulation: each of these is refused
/// at once (exit 2, the flag named, what to do instead), with nothing written.
#[test]
fn arguments_are_checked_before_any_work() {
    let svg = tmp("early.svg");
    let start = std::time::Instant::now();
    let cases: [(&[&str], &str); 7] = [
        // A plot of three parameters used to fail after the whole sweep.
        (
            &[
                "sweep",
                "eastus2-fails-frontdoor",
                "--param",
                "routing.probe_interval=10s,30s",
                "--param",
                "regions.centralus.instances.initial=4,8",
                "--param",
                "regions.eastus2.instances.initial=4,8",
                "--plot",
                "availability_pct",
                "--svg",
                svg.to_str().unwrap(),
            ],
            "--plot",
        ),
        // An SVG file without a metric to plot.
        (
            &[
                "sweep",
                "eastus2-fails-frontdoor",
                "--param",
                "seed=1,2",
                "--svg",
                svg.to_str().unwrap(),
            ],
            "--plot",
        ),
        // The same parameter twice.
        (
            &[
                "sweep",
                "eastus2-fails-frontdoor",
                "--param",
                "seed=1,2",
                "--param",
                "seed=3",
            ],
            "given twice",
        ),
        // 2.5 million runs: refused before anything is built.
        (
            &[
                "sweep",
                "eastus2-fails-frontdoor",
                "--param",
                "seed=1..2500",
                "--seeds",
                "1000",
            ],
            "at most 100000",
        ),
        // Seeds out of range, before the base run.
        (&["run", "eastus2-fails-frontdoor", "--seeds", "100000"], "--seeds"),
        (&["run", "eastus2-fails-frontdoor", "--seeds", "0"], "--seeds"),
        (&["bench", "eastus2-fails-frontdoor", "--repeat", "0"], "--repeat"),
    ];
    for (args, needle) in cases {
        let (code, out, err) = regionsim(args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?} printed a result: {out}");
    }
    assert!(!svg.exists());
    // None of them ran a simulation (each run of the headline takes seconds
    // in a debug build; this is a loose bound, not a timing test).
    assert!(start.elapsed().as_secs() < 60);
}

/// A comparison's variants are bounded: each is a whole scenario to validate and run.
#[test]
fn too_many_variants_are_refused_with_the_limit() {
    let mut text = regionsim::bundled_by_name("eastus2-fails-frontdoor")
        .unwrap()
        .text
        .to_string();
    text = text.split("[[variants]]").next().unwrap().to_string();
    for i in 0..65 {
        text.push_str(&format!(
            "\n[[variants]]\nname = \"v{i}\"\nset = {{ \"routing.probe_interval\" = \"{}s\" }}\n",
            10 + i
        ));
    }
    let file = tmp("many-variants.toml");
    std::fs::write(&file, text).unwrap();
    let (code, _, err) = regionsim(&["compare", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("variants") && err.contains("at most 64"), "{err}");
}

/// A sweep over the seed itself: each point is replicated from its own base
/// seed (before, the sweep's seeds overrode it and every point was the same
/// run), and its shards merge back.
#[test]
fn a_seed_parameter_sets_each_points_seeds() {
    let file = short_headline("seeded", 3, 1, 1);
    let csv = tmp("seeded.csv");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "sweep".to_string(),
            file.to_str().unwrap().to_string(),
            "--param".into(),
            "seed=5,9".into(),
            "--seeds".into(),
            "2".into(),
            "--threads".into(),
            "1".into(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let (code, _, err) = regionsim(&refs);
        assert_eq!(code, 0, "{err}");
    };
    run(args(&["--csv", csv.to_str().unwrap()]));
    let text = std::fs::read_to_string(&csv).unwrap();
    let seeds: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(seeds, ["5", "6", "9", "10"], "{text}");
    let avail: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').nth(3).unwrap()).collect();
    assert_ne!(avail[0], avail[2], "seed 5 and seed 9 are different runs");
    let (s0, s1) = (tmp("seeded-0.csv"), tmp("seeded-1.csv"));
    run(args(&["--shard", "0/2", "--csv", s0.to_str().unwrap()]));
    run(args(&["--shard", "1/2", "--csv", s1.to_str().unwrap()]));
    let merged = tmp("seeded-merged.csv");
    let (code, _, err) = regionsim(&[
        "merge",
        merged.to_str().unwrap(),
        s1.to_str().unwrap(),
        s0.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&merged).unwrap(), text);
}

/// The heaviest report validation allows (480,000 series cells) is written
/// in bounded memory: the run fits under a 1.5 GB address-space limit and
/// the JSON, streamed to its file, is complete.
#[test]
fn the_largest_report_fits_in_bounded_memory() {
    let text = regionsim::bundled_by_name("single-region-before")
        .unwrap()
        .text
        .replace(
            "duration = \"60m\"",
            "duration = \"8000s\"\nbucket = \"100ms\"\nmax_points = 100000",
        )
        .replace("rps = 450", "rps = 1")
        .replace("rps = 150", "rps = 1")
        .replace("rps = 100", "rps = 1");
    let file = tmp("largest.toml");
    std::fs::write(&file, text).unwrap();
    let out = tmp("largest.json");
    let script = format!(
        "ulimit -v 1500000; exec '{}' run '{}' --json '{}' >/dev/null",
        env!("CARGO_BIN_EXE_regionsim"),
        file.display(),
        out.display()
    );
    let o = Command::new("sh").args(["-c", &script]).output().expect("sh runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: regionsim::Report =
        serde_json::from_reader(std::io::BufReader::new(std::fs::File::open(&out).unwrap())).expect("a whole report");
    let cells = report.series.time_s.len() * (report.series.populations.len() + report.series.regions.len());
    assert_eq!(cells, 80_000 * 6);
    let _ = std::fs::remove_file(&out);
}
