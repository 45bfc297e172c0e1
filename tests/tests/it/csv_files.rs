//! Every CSV the tools write keeps its columns when names carry commas,
//! quotes and (where a name may hold one) line breaks, and reads back with
//! an independent CSV reader to the same names: the series (`run --csv`, the
//! browser's download), a comparison, a sweep and its merge. (A scenario's
//! own names refuse control characters; an embedder's variant names and a
//! sweep's values do not.)

use regionsim::compare;
use regionsim::{bundled_by_name, simulate, sweep, Scenario, SimDuration};

const AWKWARD: &str = "us, \"east\" coast";

fn read(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("well-formed CSV").iter().map(str::to_string).collect())
        .collect()
}

fn small() -> Scenario {
    let mut sc = Scenario::parse(bundled_by_name("single-region-before").expect("bundled").text).expect("valid");
    sc.duration = SimDuration::from_secs(20);
    sc.faults.clear();
    sc.populations[0].name = AWKWARD.into();
    sc.regions[0].name = "eastus2".into();
    sc.validate().expect("a name with a comma and quotes is valid");
    sc
}

#[test]
fn the_series_csv_keeps_its_columns_and_names() {
    let report = simulate(&small()).expect("runs");
    let rows = read(&report.to_csv());
    let width = rows[0].len();
    assert_eq!(width, 32);
    assert!(rows.iter().all(|r| r.len() == width), "a row of another width");
    let named: Vec<_> = rows
        .iter()
        .filter(|r| r[1] == "population" && r[2] == AWKWARD)
        .collect();
    assert_eq!(named.len(), 20, "one row of the population per 1 s bucket");
    // Plain rows are written plainly.
    assert!(report.to_csv().lines().any(|l| l.starts_with("0,region,eastus2,")));
}

#[test]
fn a_comparison_csv_keeps_variant_names() {
    let report = simulate(&small()).expect("runs");
    let names = vec!["base, as is".to_string(), "with \"headroom\"\nand more".to_string()];
    let cmp = compare::Comparison::of_reports(names, &[vec![report.clone()], vec![report]]);
    let rows = &cmp.rows;
    let table = read(&cmp.to_csv());
    assert_eq!(
        table[0],
        vec![
            "metric",
            "label",
            "unit",
            "better",
            "base, as is",
            "base, as is ci95",
            "with \"headroom\"\nand more",
            "with \"headroom\"\nand more ci95"
        ]
    );
    assert!(table.iter().all(|r| r.len() == 8));
    assert_eq!(table.len(), rows.len() + 1);
    // A row per metric, by its id, with the label that holds a comma as it is.
    let ids: Vec<&str> = table[1..].iter().map(|r| r[0].as_str()).collect();
    let want: Vec<&str> = compare::Metric::ALL.iter().map(|m| m.id()).collect();
    assert_eq!(ids, want);
    assert!(table.iter().any(|r| r[1] == "time to mitigate (<1 % there)"));
}

#[test]
fn sweep_shards_merge_back_with_quoted_values() {
    let params = vec!["populations.\"us, east\".rate".to_string(), "routing.ttl".to_string()];
    let runs: Vec<sweep::SweepRun> = (0..4)
        .map(|i| sweep::SweepRun {
            point: i / 2,
            seed: 1 + (i % 2) as u64,
            values: vec![
                format!("{{ kind = \"constant\", rps = {} }}", 100 * (i / 2 + 1)),
                "30s,\n\"then\" 60s".into(),
            ],
            metrics: compare::Metric::ALL
                .iter()
                .enumerate()
                .map(|(k, _)| (k % 3 != 1).then_some(0.99 + k as f64))
                .collect(),
        })
        .collect();
    let whole = sweep::runs_csv(&params, &runs, "00ff/2x2");
    let parsed = read(&whole);
    assert_eq!(parsed[0][2], params[0]);
    assert_eq!(parsed[0][4], "availability_pct");
    assert_eq!(parsed[1][2], "{ kind = \"constant\", rps = 100 }");
    assert_eq!(parsed[1][3], "30s,\n\"then\" 60s");
    let columns = 2 + params.len() + compare::Metric::ALL.len() + 1;
    assert!(parsed.iter().all(|r| r.len() == columns));
    // Two shards, in the wrong order: the merge gives the whole file back.
    let a = sweep::runs_csv(&params, &runs[2..], "00ff/2x2");
    let b = sweep::runs_csv(&params, &runs[..2], "00ff/2x2");
    let merged = sweep::merge_csv(&[("a.csv".into(), a.clone()), ("b.csv".into(), b)]).expect("one sweep");
    assert_eq!(merged, whole);
    // A shard left out is still found.
    let e = sweep::merge_csv(&[("a.csv".into(), a)]).unwrap_err();
    assert!(e.contains("left out"), "{e}");
}
