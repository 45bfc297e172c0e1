//! Sweeps: a scenario run over a grid of parameter values. A parameter is a
//! dotted path (as in `[[variants]]`) with a list of values —
//! `routing.probe_interval=10s,30s,100s` — or an inclusive integer range —
//! `regions.centralus.instances.initial=4..12`. The grid is the cartesian
//! product, in a fixed order, so a sweep (and any shard of it) is reproducible.

use crate::scenario::{FieldError, Scenario, ScenarioError};
use serde_json::Value;
use std::collections::BTreeMap;

/// One swept parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Dotted path into the scenario.
    pub path: String,
    /// The values it takes.
    pub values: Vec<Value>,
}

/// One point of the grid: the values set, and the scenario they give.
#[derive(Clone, Debug, PartialEq)]
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
        return Err(format!("--param {spec:?}: write path=values, e.g. routing.probe_interval=10s,30s or regions.centralus.instances.initial=4..12"));
    };
    let path = path.trim().to_string();
    let values = values.trim();
    let list: Vec<Value> = if let Some((a, b)) = values.split_once("..") {
        let (a, b) = match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
            (Ok(a), Ok(b)) if a <= b && b.checked_sub(a).is_some_and(|n| n < MAX_POINTS as i64) => (a, b),
            _ => {
                return Err(format!(
                    "--param {spec:?}: a range is two whole numbers a..b with a ≤ b (at most {MAX_POINTS} values)"
                ))
            }
        };
        (a..=b).map(Value::from).collect()
    } else {
        values.split(',').map(|v| value_of(v.trim())).collect()
    };
    if path.is_empty() || list.is_empty() || values.is_empty() {
        return Err(format!("--param {spec:?}: give a path and at least one value"));
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
            path: "--param".into(),
            message: format!("{total} points: at most {MAX_POINTS}; use fewer values"),
        }]));
    }
    let mut base = base.clone();
    base.variants.clear();
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
        let label = format!(
            "--param {}",
            values
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        match crate::variants::apply(&base, &label, &set) {
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
        assert!(e.contains("probe_interval") && e.contains("--param"), "{e}");
        let e = points(&headline(), &[parse_param("routing.probe_interval=0s,10s").unwrap()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("routing.probe_interval") && e.contains("0s"), "{e}");
    }
}
