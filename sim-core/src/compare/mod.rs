//! Comparing designs: run variants of a scenario on the same seeds and put
//! their summary metrics side by side, each marked with which way is better.
//!
//! [`Comparison::run`] is the one call; [`Preset`] builds ready-made variant
//! sets (routing kinds, probe intervals, headroom against autoscale, data
//! consistency) and [`Metric`] names every compared number by a stable id.
//!
//! Every variant keeps its scenario's seed, so the runs share their arrivals
//! (common random numbers) and differences come from the design.
//!
//! ```
//! use regionsim::compare::{Comparison, Metric, Preset};
//! use regionsim::{Scenario, SimDuration};
//!
//! let mut base = Scenario::parse(regionsim::bundled_by_name(regionsim::HEADLINE).unwrap().text).unwrap();
//! base.duration = SimDuration::from_mins(2);
//! base.faults.clear();
//! let cmp = Comparison::run(&Preset::FrontDoorVsTrafficManager.variants(&base), 1).unwrap();
//! assert_eq!(cmp.names, ["Front Door", "Traffic Manager"]);
//! let availability = cmp.row(Metric::Availability).unwrap();
//! assert!(availability.values.iter().all(|v| v.unwrap() > 99.0));
//! println!("{}", cmp.to_text());
//! ```

mod metric;
mod preset;

pub use metric::{rows, Better, Metric, Row};
pub use preset::Preset;

use crate::metrics::report::Report;
use crate::scenario::{Scenario, ScenarioError};

/// A named variant of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Short name shown in tables and legends.
    pub name: String,
    /// The scenario to run.
    pub scenario: Scenario,
}

impl Variant {
    /// A variant named `name`.
    pub fn new(name: impl Into<String>, scenario: Scenario) -> Variant {
        Variant {
            name: name.into(),
            scenario,
        }
    }
}

/// Variants compared: one [`Row`] per [`Metric`], one value per variant (the
/// mean over its seeds, with a 95 % interval from two seeds on).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Comparison {
    /// The variants' names, in column order.
    pub names: Vec<String>,
    /// Seeds each variant ran on (its own seed, then the next ones).
    pub seeds: u32,
    /// Every metric, in [`Metric::ALL`] order.
    pub rows: Vec<Row>,
}

impl Comparison {
    /// Runs each variant on `seeds` seeds (its scenario's seed and the next
    /// `seeds − 1`, see [`seeds`]) and compares them. Runs one after the
    /// other (the library starts no threads); a caller running them in
    /// parallel builds the result with [`Comparison::of_reports`].
    pub fn run(variants: &[Variant], seeds: u32) -> Result<Comparison, ScenarioError> {
        let seeds = seeds.max(1);
        let mut runs = Vec::with_capacity(variants.len());
        for v in variants {
            let mut one = Vec::with_capacity(seeds as usize);
            for seed in self::seeds(v.scenario.seed, seeds) {
                let sc = Scenario {
                    seed,
                    ..v.scenario.clone()
                };
                one.push(crate::Sim::new(sc)?.run());
            }
            runs.push(one);
        }
        let names = variants.iter().map(|v| v.name.clone()).collect();
        Ok(Comparison::of_reports(names, &runs))
    }

    /// The comparison of runs already made: `runs[variant][seed]`.
    pub fn of_reports(names: Vec<String>, runs: &[Vec<Report>]) -> Comparison {
        let per_seed: Vec<Vec<Vec<Row>>> = runs
            .iter()
            .map(|rs| rs.iter().map(|r| rows(std::slice::from_ref(r))).collect())
            .collect();
        Comparison::of_rows(names, &per_seed)
    }

    /// The comparison from each run's own [`rows`] (`per_seed[variant][seed]`),
    /// for callers that keep a run's rows (a few hundred bytes) rather than
    /// its whole report, as a long sweep does.
    pub fn of_rows(names: Vec<String>, per_seed: &[Vec<Vec<Row>>]) -> Comparison {
        let seeds = per_seed.iter().map(Vec::len).max().unwrap_or(0) as u32;
        let rows = Metric::ALL
            .into_iter()
            .enumerate()
            .map(|(m, metric)| {
                let (values, ci95) = per_seed
                    .iter()
                    .map(|runs| {
                        let xs: Vec<f64> = runs
                            .iter()
                            .filter_map(|rows| rows.get(m)?.values.first().copied()?)
                            .collect();
                        if xs.len() < runs.len() || xs.is_empty() {
                            // Missing in some seed (e.g. never mitigated): no mean.
                            (None, None)
                        } else {
                            let (mean, ci) = mean_ci(&xs);
                            (Some(mean), ci)
                        }
                    })
                    .unzip();
                Row { metric, values, ci95 }
            })
            .collect();
        Comparison { names, seeds, rows }
    }

    /// The row of `metric` (a comparison made here has one for every metric).
    pub fn row(&self, metric: Metric) -> Option<&Row> {
        self.rows.iter().find(|r| r.metric == metric)
    }

    /// A text table: a row per metric (its label), a column per variant; a
    /// mean carries its 95 % interval (`± x`); ▲ marks the best value of a
    /// row and ▼ the worst.
    pub fn to_text(&self) -> String {
        render(&self.names, &self.rows)
    }

    /// CSV: `metric` (the id), `label`, `unit`, `better`, then per variant its
    /// value and its 95 % half-width (`NAME ci95`).
    pub fn to_csv(&self) -> String {
        let mut out = crate::metrics::csvout::CsvOut::new();
        let mut header: Vec<String> = vec!["metric".into(), "label".into(), "unit".into(), "better".into()];
        for n in &self.names {
            header.push(n.clone());
            header.push(format!("{n} ci95"));
        }
        out.row(&header);
        let num = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
        for r in &self.rows {
            let better = if r.metric.better() == Better::Higher {
                "higher"
            } else {
                "lower"
            };
            let mut row: Vec<String> = vec![
                r.metric.id().into(),
                r.metric.label().into(),
                r.metric.unit().into(),
                better.into(),
            ];
            for i in 0..self.names.len() {
                row.push(num(r.values.get(i).copied().flatten()));
                row.push(num(r.ci95.get(i).copied().flatten()));
            }
            out.row(&row);
        }
        out.finish()
    }
}

/// Student's t quantile t(0.975, df) for df = 1…30, then the normal 1.96.
fn t975(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        f64::NAN
    } else {
        T.get(df - 1).copied().unwrap_or(1.96)
    }
}

/// Mean and 95 % confidence half-width (Student's t) of `xs`.
pub fn mean_ci(xs: &[f64]) -> (f64, Option<f64>) {
    let n = xs.len();
    let mean = xs.iter().sum::<f64>() / n.max(1) as f64;
    if n < 2 {
        return (mean, None);
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    (mean, Some(t975(n - 1) * (var / n as f64).sqrt()))
}

/// The seeds of a replicated run: `seed`, `seed + 1`, … (`n` of them).
pub fn seeds(base: u64, n: u32) -> Vec<u64> {
    (0..n as u64)
        .map(|i| base.wrapping_add(i) & (i64::MAX as u64))
        .collect()
}

/// The rows as a text table: one column per variant; a mean carries its
/// 95 % interval (`± x`); ▲ marks the best value of a row and ▼ the worst.
fn render(names: &[String], rows: &[Row]) -> String {
    use std::fmt::Write as _;
    let cell = |row: &Row, i: usize| -> String {
        let v = match row.values.get(i).copied().flatten() {
            None => return crate::format::NONE.into(),
            Some(v) => v,
        };
        let digits = row.metric.decimals();
        let mut s = format!("{v:.digits$}");
        if let Some(ci) = row.ci95.get(i).copied().flatten() {
            let _ = write!(s, " ± {ci:.digits$}");
        }
        if !row.metric.unit().is_empty() {
            let _ = write!(s, " {}", row.metric.unit());
        }
        if row.best() == Some(i) {
            s.push_str(" ▲");
        } else if row.worst() == Some(i) {
            s.push_str(" ▼");
        }
        s
    };
    let width0 = rows
        .iter()
        .map(|r| r.metric.label().chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| (0..names.len()).map(|i| cell(r, i)).collect())
        .collect();
    let widths: Vec<usize> = (0..names.len())
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([names[i].chars().count()])
                .max()
                .unwrap_or(4)
        })
        .collect();
    let mut out = String::new();
    let _ = write!(out, "{:<width0$}", "metric");
    for (n, w) in names.iter().zip(&widths) {
        let _ = write!(out, "  {n:>w$}");
    }
    out.push('\n');
    for (row, c) in rows.iter().zip(&cells) {
        let pad = width0 - row.metric.label().chars().count();
        let _ = write!(out, "{}{}", row.metric.label(), " ".repeat(pad));
        for (v, w) in c.iter().zip(&widths) {
            let pad = w.saturating_sub(v.chars().count());
            let _ = write!(out, "  {}{v}", " ".repeat(pad));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimDuration;
    use crate::{bundled_by_name, simulate, HEADLINE};

    fn short_headline() -> Scenario {
        let mut sc = Scenario::parse(bundled_by_name(HEADLINE).unwrap().text).unwrap();
        sc.duration = SimDuration::from_mins(20);
        if let Some(crate::scenario::Fault::RegionOutage { start, duration, .. }) = sc.faults.first_mut() {
            *start = SimDuration::from_mins(5);
            *duration = SimDuration::from_mins(10);
        }
        sc
    }

    #[test]
    fn every_preset_gives_valid_variants_on_the_same_seed() {
        let base = short_headline();
        for p in Preset::ALL {
            let vs = p.variants(&base);
            assert!(vs.len() >= 2, "{p:?}");
            let mut stateless = base.clone();
            stateless.data = None;
            if p == Preset::Consistency {
                assert!(p.variants(&stateless).is_empty(), "no data tier, nothing to compare");
            }
            for v in &vs {
                v.scenario
                    .validate()
                    .unwrap_or_else(|e| panic!("{p:?}/{}: {e}", v.name));
                assert_eq!(v.scenario.seed, base.seed);
            }
            assert_eq!(Preset::from_id(p.id()), Some(p));
        }
    }

    #[test]
    fn faster_probes_detect_sooner_and_headroom_keeps_the_survivor_cooler() {
        let base = short_headline();
        let run = |p: Preset| {
            p.variants(&base)
                .iter()
                .map(|v| simulate(&v.scenario).unwrap())
                .collect::<Vec<_>>()
        };
        let t = rows(&run(Preset::ProbeInterval));
        let detect = t.iter().find(|r| r.metric == Metric::TimeToDetectAll).unwrap();
        assert_eq!(
            detect.best(),
            Some(0),
            "30 s probes detect before 100 s probes: {:?}",
            detect.values
        );
        let t = rows(&run(Preset::HeadroomVsAutoscale));
        let util = t.iter().find(|r| r.metric == Metric::SurvivorMinutesSaturated).unwrap();
        assert_eq!(util.best(), Some(0), "{:?}", util.values);
        let hours = t.iter().find(|r| r.metric == Metric::InstanceHours).unwrap();
        assert_eq!(
            hours.worst(),
            Some(0),
            "headroom costs more instance-hours: {:?}",
            hours.values
        );
    }

    #[test]
    fn confidence_interval_matches_a_hand_calculation() {
        // xs = 1..=5: mean 3, s = sqrt(2.5), t(0.975, 4) = 2.776 → 2.776 × sqrt(2.5 / 5) = 1.963.
        let (m, ci) = mean_ci(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(m, 3.0);
        assert!((ci.unwrap() - 1.963).abs() < 0.001);
        assert_eq!(mean_ci(&[7.0]).1, None);
    }
}
