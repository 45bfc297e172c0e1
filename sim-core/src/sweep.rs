//! Sweeps: a scenario run over a grid of parameter values. A parameter is a
//! dotted path (as in `[[variants]]`) with a list of values —
//! `routing.probe_interval=10s,30s,100s` — or an inclusive integer range —
//! `regions.centralus.instances.initial=4..12`. The grid is the cartesian
//! product, in a fixed order, so a sweep (and any shard of it) is reproducible.

use crate::metrics::csvout::{self, CsvOut};
use crate::scenario::{FieldError, Scenario, ScenarioError};
use serde_json::Value;
use std::collections::BTreeMap;

/// One swept parameter.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Param {
    /// Dotted path into the scenario.
    pub path: String,
    /// The values it takes.
    pub values: Vec<Value>,
}

/// One point of the grid: the values set, and the scenario they give.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Point {
    /// (path, value) for each parameter, in parameter order.
    pub values: Vec<(String, Value)>,
    /// The scenario at this point (validated).
    pub scenario: Scenario,
}

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 10_000;

/// Most runs (points × seeds) one process of a sweep carries out: at about a
/// second a run on a core, more is days of work; shard a larger sweep
/// (`--shard I/N`) over several machines.
pub const MAX_RUNS: usize = 100_000;

fn value_of(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        Value::from(i)
    } else if let Ok(f) = text.parse::<f64>() {
        Value::from(f)
    } else if text == "true" || text == "false" {
        Value::from(text == "true")
    } else {
        Value::from(text)
    }
}

/// Parses `path=v1,v2,…` or `path=a..b` (inclusive integers).
pub fn parse_param(spec: &str) -> Result<Param, String> {
    let Some((path, values)) = spec.split_once('=') else {
        return Err(format!("{spec:?}: write path=values, e.g. routing.probe_interval=10s,30s or regions.centralus.instances.initial=4..12"));
    };
    let path = path.trim().to_string();
    let values = values.trim();
    let list: Vec<Value> = if let Some((a, b)) = values.split_once("..") {
        let (a, b) = match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
            (Ok(a), Ok(b)) if a <= b && b.checked_sub(a).is_some_and(|n| n < MAX_POINTS as i64) => (a, b),
            _ => {
                return Err(format!(
                    "{spec:?}: a range is two whole numbers a..b with a ≤ b (at most {MAX_POINTS} values)"
                ))
            }
        };
        (a..=b).map(Value::from).collect()
    } else {
        values.split(',').map(|v| value_of(v.trim())).collect()
    };
    if path.is_empty() || list.is_empty() || values.is_empty() {
        return Err(format!("{spec:?}: give a path and at least one value"));
    }
    Ok(Param { path, values: list })
}

/// Every point of the grid over `params`, base seed kept. Bad paths or values
/// are reported (all of them) with the parameter they came from.
pub fn points(base: &Scenario, params: &[Param]) -> Result<Vec<Point>, ScenarioError> {
    let total: usize = params
        .iter()
        .try_fold(1usize, |n, p| n.checked_mul(p.values.len()))
        .unwrap_or(usize::MAX);
    if total > MAX_POINTS {
        return Err(ScenarioError::Invalid(vec![FieldError {
            path: "parameters".into(),
            message: format!("{total} points: at most {MAX_POINTS}; use fewer values"),
        }]));
    }
    let doc = crate::variants::document(base)?;
    let mut out = Vec::with_capacity(total);
    let mut errs: Vec<FieldError> = Vec::new();
    for i in 0..total.max(1) {
        let mut rest = i;
        let mut values = Vec::new();
        for p in params.iter().rev() {
            values.push((p.path.clone(), p.values[rest % p.values.len()].clone()));
            rest /= p.values.len();
        }
        values.reverse();
        let set: BTreeMap<String, Value> = values.iter().cloned().collect();
        let label = values
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        match crate::variants::apply_to(doc.clone(), crate::variants::Source::Point(&label), &set) {
            Ok(scenario) => out.push(Point { values, scenario }),
            Err(ScenarioError::Invalid(list)) => {
                for e in list {
                    if !errs.iter().any(|x| x.message == e.message) {
                        errs.push(e);
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(ScenarioError::Invalid(errs))
    }
}

/// Combines the CSVs of a sharded sweep (`files`: each file's name and
/// text) into exactly the unsharded sweep's CSV: one header, the rows sorted
/// by (point, seed). Refused, with a message naming the file and line: a
/// file that is not a sweep CSV, headers or sweep ids that differ (another
/// sweep), a row with the wrong number of columns, a row given twice, a
/// hole in the grid (a shard left out), parameter values that differ for a
/// point.
///
/// ```
/// let a = "point,seed,x,availability,sweep\n0,1,10s,0.99,00ff/2x1\n";
/// let b = "point,seed,x,availability,sweep\n1,1,20s,0.98,00ff/2x1\n";
/// let merged = regionsim::sweep::merge_csv(&[("b".into(), b.into()), ("a".into(), a.into())]).unwrap();
/// assert_eq!(merged, "point,seed,x,availability,sweep\n0,1,10s,0.99,00ff/2x1\n1,1,20s,0.98,00ff/2x1\n");
/// assert!(regionsim::sweep::merge_csv(&[("a".into(), a.into())]).unwrap_err().contains("left out"));
/// ```
pub fn merge_csv(files: &[(String, String)]) -> Result<String, String> {
    let mut header: Option<Vec<String>> = None;
    let mut rows: Vec<((u64, u64), Vec<String>)> = Vec::new();
    for (name, text) in files {
        let path = std::path::Path::new(name).display();
        let records = csvout::rows(text).map_err(|e| format!("{path}: not a CSV file ({e})"))?;
        let mut records = records.into_iter();
        let h = records.next().map(|r| r.1).unwrap_or_default();
        if h.len() < 3 || h[0] != "point" || h[1] != "seed" {
            return Err(format!(
                "{path}: not a sweep CSV (its first line should start with point,seed,…)"
            ));
        }
        match &header {
            None => header = Some(h.clone()),
            Some(first) if *first != h => {
                return Err(format!(
                    "{path}: its header differs from the first file's: not the same sweep"
                ))
            }
            _ => {}
        }
        let columns = h.len();
        for (line, cells) in records {
            if cells.len() != columns {
                return Err(format!(
                    "{path} line {line}: {} columns where the header has {columns}: a truncated or foreign row",
                    cells.len()
                ));
            }
            match (cells[0].parse(), cells[1].parse()) {
                (Ok(p), Ok(s)) => rows.push(((p, s), cells)),
                _ => return Err(format!("{path} line {line}: not a sweep row (point,seed,…)")),
            }
        }
    }
    let Some(header) = header else {
        return Err("nothing to merge: give the shards' CSV files".into());
    };
    if rows.is_empty() {
        return Err("the shards hold no rows".into());
    }
    // Every row carries its sweep's id (last column): one sweep, whose grid
    // size says which rows there must be.
    if header.last().map(String::as_str) != Some("sweep") {
        return Err("the shards have no sweep column (written by an older regionsim?): run the sweep again".into());
    }
    let id_of = |cells: &[String]| cells.last().cloned().unwrap_or_default();
    let id = id_of(&rows[0].1);
    if let Some(other) = rows.iter().map(|r| id_of(&r.1)).find(|x| *x != id) {
        return Err(format!(
            "rows of two different sweeps ({id} and {other}): merge the shards of one sweep (same scenario, parameters and seeds)"
        ));
    }
    let grid = id
        .split_once('/')
        .and_then(|(_, g)| g.split_once('x'))
        .and_then(|(p, s)| Some((p.parse::<u64>().ok()?, s.parse::<u64>().ok()?)));
    let grid = grid.filter(|&(p, s)| (1..=MAX_POINTS as u64).contains(&p) && (1..=1000).contains(&s));
    let Some((grid_points, grid_seeds)) = grid else {
        return Err(format!(
            "sweep id {id:?} is not HASH/POINTSxSEEDS: not a regionsim sweep CSV"
        ));
    };
    rows.sort_by_key(|r| r.0);
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!(
            "point {} seed {} appears twice: a shard was given twice?",
            w[0].0 .0, w[0].0 .1
        ));
    }
    // Every point of the grid on every seed, once: a shard left out shows
    // as a hole. The parameter columns (between seed and the first metric)
    // must agree for a point across shards: shards of different sweeps don't.
    if let Some(r) = rows.iter().find(|r| r.0 .0 >= grid_points) {
        return Err(format!(
            "point {} is outside the sweep's grid of {grid_points} points",
            r.0 .0
        ));
    }
    // Each point on each of its seeds (a point's seeds follow from its own
    // base seed, which a parameter may set), once: a shard left out shows as
    // a point with too few rows, wherever it falls in the grid.
    let mut per_point = vec![0u64; grid_points as usize];
    for r in &rows {
        per_point[r.0 .0 as usize] += 1;
    }
    if let Some((p, n)) = per_point.iter().enumerate().find(|(_, n)| **n != grid_seeds) {
        return Err(format!(
            "point {p} has {n} of its {grid_seeds} seeds ({} of {} rows): {}",
            rows.len(),
            grid_points * grid_seeds,
            if *n < grid_seeds {
                "a shard was left out?"
            } else {
                "rows of another sweep"
            }
        ));
    }
    let first_metric = crate::compare::Metric::ALL[0].id();
    let params = header.iter().position(|c| c == first_metric).unwrap_or(2);
    let values = |cells: &[String]| cells[2..params.max(2)].join(",");
    for w in rows.windows(2).filter(|w| w[0].0 .0 == w[1].0 .0) {
        if values(&w[0].1) != values(&w[1].1) {
            return Err(format!(
                "point {} has different parameter values in two shards ({} / {}): shards of different sweeps",
                w[0].0 .0,
                values(&w[0].1),
                values(&w[1].1)
            ));
        }
    }
    let mut out = CsvOut::new();
    out.row(&header);
    for (_, cells) in rows {
        out.row(&cells);
    }
    Ok(out.finish())
}

/// One run of a sweep, as its CSV row says it.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRun {
    /// Index of the grid point.
    pub point: usize,
    /// The run's seed.
    pub seed: u64,
    /// The point's parameter values, as written on the command line.
    pub values: Vec<String>,
    /// The metrics' values in [`Metric::ALL`](crate::compare::Metric::ALL)
    /// order (None where a metric does not apply).
    pub metrics: Vec<Option<f64>>,
}

/// The CSV of a sweep's runs: `point,seed`, a column per parameter (its
/// path), a column per metric (its [id](crate::compare::Metric::id), in
/// [`Metric::ALL`](crate::compare::Metric::ALL) order, as
/// [`SweepRun::metrics`] are), and `sweep`, the id `merge_csv` checks
/// (`HASH/POINTSxSEEDS`).
pub fn runs_csv(params: &[String], runs: &[SweepRun], id: &str) -> String {
    let mut out = CsvOut::new();
    let mut header = vec!["point".to_string(), "seed".into()];
    header.extend(params.iter().cloned());
    header.extend(crate::compare::Metric::ALL.iter().map(|m| m.id().to_string()));
    header.push("sweep".into());
    out.row(&header);
    for run in runs {
        let mut row = vec![run.point.to_string(), run.seed.to_string()];
        row.extend(run.values.iter().cloned());
        row.extend(run.metrics.iter().map(|m| m.map(|x| x.to_string()).unwrap_or_default()));
        row.push(id.to_string());
        out.row(&row);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{bundled_by_name, HEADLINE};

    fn headline() -> Scenario {
        Scenario::parse(bundled_by_name(HEADLINE).unwrap().text).unwrap()
    }

    #[test]
    fn grids_are_cartesian_and_ordered() {
        let a = parse_param("routing.probe_interval=10s,30s").unwrap();
        let b = parse_param("regions.centralus.instances.initial=8..10").unwrap();
        let pts = points(&headline(), &[a, b]).unwrap();
        assert_eq!(pts.len(), 6);
        assert_eq!(pts[0].values[0].1, Value::from("10s"));
        assert_eq!(pts[1].values[1].1, Value::from(9));
        assert_eq!(pts[5].scenario.regions[1].instances.initial, 10);
        assert!(pts
            .iter()
            .all(|p| p.scenario.seed == 42 && p.scenario.variants.is_empty()));
    }

    #[test]
    fn bad_params_say_what_is_valid() {
        assert!(parse_param("routing.probe_interval")
            .unwrap_err()
            .contains("path=values"));
        assert!(parse_param("x=9..3").unwrap_err().contains("a ≤ b"));
        let e = points(&headline(), &[parse_param("routing.probe_intrval=10s").unwrap()])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("probe_interval") && e.contains("point routing.probe_intrval"),
            "{e}"
        );
        assert!(!e.contains("--"), "no command-line words in the library's errors: {e}");
        let e = points(&headline(), &[parse_param("routing.probe_interval=0s,10s").unwrap()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("routing.probe_interval") && e.contains("0s"), "{e}");
    }
}
