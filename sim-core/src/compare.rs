//! Comparing designs: ready-made variant sets built from one scenario
//! (routing kinds, probe intervals, headroom against autoscale) and a table
//! of summary metrics side by side, each marked with which way is better.
//!
//! Every variant keeps the base scenario's seed, so the runs share their
//! arrivals (common random numbers) and differences come from the design.

use crate::metrics::report::Report;
use crate::scenario::{Routing, RoutingKind, Scenario};
use crate::time::SimDuration;
use serde::Serialize;

/// A named variant of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Short name shown in tables and legends.
    pub name: String,
    /// The scenario to run.
    pub scenario: Scenario,
}

/// Ready-made comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Preset {
    /// Front Door (anycast L7) against Traffic Manager (DNS), defaults for both.
    FrontDoorVsTrafficManager,
    /// The router's probe interval: fast against slow (30 s vs 100 s for Front
    /// Door, 10 s vs 30 s for Traffic Manager, 5 s vs 15 s for the L4 balancer).
    ProbeInterval,
    /// Every region pre-sized to carry all traffic at 70 % utilisation
    /// ("overprovisioned", AZURE_FACTS §8), against the scenario's own sizing
    /// with autoscale.
    HeadroomVsAutoscale,
    /// The data tier's consistency: strong, session, eventual (single write
    /// region), and multi-region writes with session (AZURE_FACTS §5).
    Consistency,
}

impl Preset {
    /// Every preset, for pickers.
    pub const ALL: [Preset; 4] = [
        Preset::FrontDoorVsTrafficManager,
        Preset::ProbeInterval,
        Preset::HeadroomVsAutoscale,
        Preset::Consistency,
    ];

    /// A stable identifier (`routing`, `probe_interval`, `headroom`).
    pub fn id(self) -> &'static str {
        match self {
            Preset::FrontDoorVsTrafficManager => "routing",
            Preset::ProbeInterval => "probe_interval",
            Preset::HeadroomVsAutoscale => "headroom",
            Preset::Consistency => "consistency",
        }
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Preset::FrontDoorVsTrafficManager => "Front Door vs Traffic Manager",
            Preset::ProbeInterval => "Fast vs slow health probes",
            Preset::HeadroomVsAutoscale => "Headroom vs autoscale",
            Preset::Consistency => "Data consistency: strong, session, eventual, multi-write",
        }
    }

    /// The preset with this [`Preset::id`].
    pub fn from_id(id: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The variants of `base` this preset compares.
    pub fn variants(self, base: &Scenario) -> Vec<Variant> {
        // A preset compares designs of the scenario itself, not of its variants.
        let mut own = base.clone();
        own.variants.clear();
        let base = &own;
        let regions: Vec<String> = base.regions.iter().map(|r| r.name.clone()).collect();
        let with_routing = |kind: RoutingKind| {
            let mut s = base.clone();
            if s.routing.kind() != kind {
                if let Some(r) = Routing::with_defaults(kind, &regions) {
                    s.routing = r;
                }
            }
            s
        };
        match self {
            Preset::FrontDoorVsTrafficManager => vec![
                Variant {
                    name: "Front Door".into(),
                    scenario: with_routing(RoutingKind::AnycastL7),
                },
                Variant {
                    name: "Traffic Manager".into(),
                    scenario: with_routing(RoutingKind::Dns),
                },
            ],
            Preset::ProbeInterval => {
                let (fast, slow) = match &base.routing {
                    Routing::Dns(_) => (10, 30),
                    Routing::AnycastL4(_) => (5, 15),
                    _ => (30, 100),
                };
                let mk = |secs: u64| {
                    let mut s = if matches!(base.routing, Routing::Direct(_)) {
                        with_routing(RoutingKind::AnycastL7)
                    } else {
                        base.clone()
                    };
                    let d = SimDuration::from_secs(secs);
                    match &mut s.routing {
                        Routing::Dns(x) => {
                            x.probe_interval = d;
                            x.probe_timeout =
                                x.probe_timeout
                                    .min(SimDuration::from_secs(if secs == 10 { 9 } else { 10 }));
                        }
                        Routing::AnycastL7(x) => x.probe_interval = d,
                        Routing::AnycastL4(x) => x.regional_probe_interval = d,
                        Routing::Direct(_) => {}
                    }
                    Variant {
                        name: format!("probe every {secs} s"),
                        scenario: s,
                    }
                };
                vec![mk(fast), mk(slow)]
            }
            Preset::HeadroomVsAutoscale => {
                let mut head = base.clone();
                let total_rps: f64 = base.populations.iter().map(|p| p.rate.peak_rps()).sum();
                for r in &mut head.regions {
                    let per_instance = r.workers_per_instance as f64 / r.service_time.mean().as_secs_f64().max(1e-9);
                    let need = (total_rps / (per_instance * 0.7)).ceil() as u32;
                    let cap = r
                        .instances
                        .max
                        .unwrap_or(r.sku.max_instances())
                        .min(r.sku.max_instances());
                    r.instances.initial = need.clamp(1, cap);
                    r.instances.min = None;
                    r.instances.max = Some(cap.max(r.instances.initial));
                    r.autoscale = None;
                }
                vec![
                    Variant {
                        name: "headroom (N+1, no autoscale)".into(),
                        scenario: head,
                    },
                    Variant {
                        name: "as configured (autoscale)".into(),
                        scenario: base.clone(),
                    },
                ]
            }
            Preset::Consistency => {
                use crate::scenario::{Consistency, DataTier, WriteMode};
                let Some(data) = &base.data else { return Vec::new() };
                [
                    ("strong", WriteMode::Single, Consistency::Strong),
                    ("session", WriteMode::Single, Consistency::Session),
                    ("eventual", WriteMode::Single, Consistency::Eventual),
                    ("multi-write session", WriteMode::Multi, Consistency::Session),
                ]
                .into_iter()
                .map(|(name, mode, level)| {
                    let mut s = base.clone();
                    s.data = Some(DataTier {
                        write_mode: mode,
                        consistency: level,
                        ..data.clone()
                    });
                    Variant {
                        name: name.into(),
                        scenario: s,
                    }
                })
                .collect()
            }
        }
    }
}

/// Which way a metric is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// Higher is better (availability).
    Higher,
    /// Lower is better (times, latency, cost).
    Lower,
}

/// One metric across variants.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// What is measured.
    pub metric: &'static str,
    /// Unit for display (`%`, `s`, `ms`, `min`, `h`).
    pub unit: &'static str,
    /// One value per variant (None: not applicable or never happened); the
    /// mean over seeds for replicated runs.
    pub values: Vec<Option<f64>>,
    /// Half-width of the 95 % confidence interval of each mean (replicated
    /// runs with at least two seeds where the metric exists in each).
    pub ci95: Vec<Option<f64>>,
    /// Which way is better.
    pub better: Better,
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

/// Like [`table`], over several seeds per variant (`runs[variant][seed]`):
/// means with 95 % confidence intervals.
pub fn table_replicated(runs: &[Vec<Report>]) -> Vec<Row> {
    let per_seed: Vec<Vec<Vec<Row>>> = runs
        .iter()
        .map(|rs| rs.iter().map(|r| table(std::slice::from_ref(r))).collect())
        .collect();
    rows_replicated(&per_seed)
}

/// [`table_replicated`] from each run's own [`table`] (`per_seed[variant][seed]`),
/// for callers that keep a run's rows rather than its whole report.
pub fn rows_replicated(per_seed: &[Vec<Vec<Row>>]) -> Vec<Row> {
    let template = table(&[]);
    template
        .into_iter()
        .enumerate()
        .map(|(m, row)| {
            let (values, ci95) = per_seed
                .iter()
                .map(|seeds| {
                    let xs: Vec<f64> = seeds.iter().filter_map(|rows| rows[m].values[0]).collect();
                    if xs.len() < seeds.len() || xs.is_empty() {
                        // Missing in some seed (e.g. never mitigated): no mean.
                        (None, None)
                    } else {
                        let (mean, ci) = mean_ci(&xs);
                        (Some(mean), ci)
                    }
                })
                .unzip();
            Row { values, ci95, ..row }
        })
        .collect()
}

impl Row {
    /// Index of the best value, if the values differ.
    pub fn best(&self) -> Option<usize> {
        self.extreme(true)
    }
    /// Index of the worst value, if the values differ.
    pub fn worst(&self) -> Option<usize> {
        self.extreme(false)
    }
    fn extreme(&self, best: bool) -> Option<usize> {
        let vals: Vec<(usize, f64)> = self
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .collect();
        let (lo, hi) = vals.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, v)| {
            (a.min(*v), b.max(*v))
        });
        if vals.len() < 2 || (hi - lo).abs() <= 1e-9 * hi.abs().max(1.0) {
            return None;
        }
        let want_high = (self.better == Better::Higher) == best;
        vals.into_iter()
            .find(|(_, v)| *v == if want_high { hi } else { lo })
            .map(|(i, _)| i)
    }
}

/// The summary metrics of `reports` side by side (faults: the first one).
pub fn table(reports: &[Report]) -> Vec<Row> {
    let f = |r: &Report| r.summary.faults.first().cloned();
    let row = |metric, unit, better, get: &dyn Fn(&Report) -> Option<f64>| Row {
        metric,
        unit,
        better,
        values: reports.iter().map(get).collect(),
        ci95: vec![None; reports.len()],
    };
    vec![
        row("availability", "%", Better::Higher, &|r| {
            Some(r.summary.availability * 100.0)
        }),
        row("availability during the fault", "%", Better::Higher, &|r| {
            f(r).and_then(|f| f.overall[1].availability).map(|a| a * 100.0)
        }),
        row("failed requests", "", Better::Lower, &|r| {
            Some(r.summary.counts.failed as f64)
        }),
        row("error budget burned", "min", Better::Lower, &|r| {
            Some(r.summary.error_budget_minutes_burned)
        }),
        row("time to detect (first router)", "s", Better::Lower, &|r| {
            f(r).and_then(|f| f.time_to_detect_first_s)
        }),
        row("time to detect (all routers)", "s", Better::Lower, &|r| {
            f(r).and_then(|f| f.time_to_detect_all_s)
        }),
        row("time to Degraded (Traffic Manager)", "s", Better::Lower, &|r| {
            f(r).and_then(|f| f.time_to_degraded_s)
        }),
        row("time to mitigate (<1 % there)", "s", Better::Lower, &|r| {
            f(r).and_then(|f| f.time_to_mitigate_s)
        }),
        row("time to fail back", "s", Better::Lower, &|r| {
            f(r).and_then(|f| f.time_to_fail_back_s)
        }),
        row("p50 latency", "ms", Better::Lower, &|r| r.summary.latency.p50_ms),
        row("p99 latency", "ms", Better::Lower, &|r| r.summary.latency.p99_ms),
        row("p99 latency during the fault", "ms", Better::Lower, &|r| {
            f(r).and_then(|f| f.overall[1].latency.p99_ms)
        }),
        row("survivor peak utilisation", "%", Better::Lower, &|r| {
            f(r).and_then(|f| f.survivor_peak_utilisation).map(|u| u * 100.0)
        }),
        row("survivor minutes at ≥ 95 %", "min", Better::Lower, &|r| {
            f(r).map(|f| f.survivor_minutes_saturated)
        }),
        row("survivor peak offered load", "%", Better::Lower, &|r| {
            f(r).and_then(|f| f.survivor_peak_offered_load).map(|u| u * 100.0)
        }),
        row("stale reads", "%", Better::Lower, &|r| {
            r.summary.data.as_ref().map(|d| d.stale_read_rate * 100.0)
        }),
        row("write availability", "%", Better::Higher, &|r| {
            r.summary.data.as_ref().map(|d| d.write_availability * 100.0)
        }),
        row("lost writes (RPO)", "", Better::Lower, &|r| {
            r.summary.data.as_ref().map(|d| d.lost_writes as f64)
        }),
        row("write conflicts", "", Better::Lower, &|r| {
            r.summary.data.as_ref().map(|d| d.conflicts as f64)
        }),
        row("request units", "", Better::Lower, &|r| {
            r.summary.data.as_ref().map(|d| d.request_units)
        }),
        row("monthly cost", "", Better::Lower, &|r| {
            r.summary.cost.as_ref().map(|c| c.total)
        }),
        row("instance-hours", "h", Better::Lower, &|r| {
            Some(r.summary.regions.iter().map(|x| x.instance_hours).sum())
        }),
    ]
}

/// The rows as a text table: one column per variant; a mean carries its
/// 95 % interval (`± x`); ▲ marks the best value of a row and ▼ the worst.
pub fn render_table(names: &[String], rows: &[Row]) -> String {
    use std::fmt::Write as _;
    let cell = |row: &Row, i: usize| -> String {
        let v = match row.values.get(i).copied().flatten() {
            None => return "—".into(),
            Some(v) => v,
        };
        let digits = if row.unit == "%" {
            3
        } else if row.unit.is_empty() {
            0
        } else {
            1
        };
        let mut s = format!("{v:.digits$}");
        if let Some(ci) = row.ci95.get(i).copied().flatten() {
            let _ = write!(s, " ± {ci:.digits$}");
        }
        if !row.unit.is_empty() {
            let _ = write!(s, " {}", row.unit);
        }
        if row.best() == Some(i) {
            s.push_str(" ▲");
        } else if row.worst() == Some(i) {
            s.push_str(" ▼");
        }
        s
    };
    let width0 = rows.iter().map(|r| r.metric.chars().count()).max().unwrap_or(6).max(6);
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
        let pad = width0 - row.metric.chars().count();
        let _ = write!(out, "{}{}", row.metric, " ".repeat(pad));
        for (v, w) in c.iter().zip(&widths) {
            let pad = w.saturating_sub(v.chars().count());
            let _ = write!(out, "  {}{v}", " ".repeat(pad));
        }
        out.push('\n');
    }
    out
}

/// The rows as CSV: `metric,unit,better` then, per variant, its value and
/// its 95 % half-width.
pub fn rows_csv(names: &[String], rows: &[Row]) -> String {
    let mut out = crate::metrics::csvout::CsvOut::new();
    let mut header: Vec<String> = vec!["metric".into(), "unit".into(), "better".into()];
    for n in names {
        header.push(n.clone());
        header.push(format!("{n} ci95"));
    }
    out.row(&header);
    let num = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
    for r in rows {
        let better = if r.better == Better::Higher { "higher" } else { "lower" };
        let mut row: Vec<String> = vec![r.metric.to_string(), r.unit.to_string(), better.into()];
        for i in 0..names.len() {
            row.push(num(r.values.get(i).copied().flatten()));
            row.push(num(r.ci95.get(i).copied().flatten()));
        }
        out.row(&row);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let t = table(&run(Preset::ProbeInterval));
        let detect = t.iter().find(|r| r.metric == "time to detect (all routers)").unwrap();
        assert_eq!(
            detect.best(),
            Some(0),
            "30 s probes detect before 100 s probes: {:?}",
            detect.values
        );
        let t = table(&run(Preset::HeadroomVsAutoscale));
        let util = t.iter().find(|r| r.metric == "survivor minutes at ≥ 95 %").unwrap();
        assert_eq!(util.best(), Some(0), "{:?}", util.values);
        let hours = t.iter().find(|r| r.metric == "instance-hours").unwrap();
        assert_eq!(
            hours.worst(),
            Some(0),
            "headroom costs more instance-hours: {:?}",
            hours.values
        );
    }

    #[test]
    fn best_and_worst_follow_the_direction() {
        let r = Row {
            metric: "x",
            unit: "",
            values: vec![Some(1.0), None, Some(3.0)],
            ci95: vec![None; 3],
            better: Better::Lower,
        };
        assert_eq!((r.best(), r.worst()), (Some(0), Some(2)));
        let r = Row {
            metric: "x",
            unit: "",
            values: vec![Some(2.0), Some(2.0)],
            ci95: vec![None; 2],
            better: Better::Higher,
        };
        assert_eq!(r.best(), None);
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
