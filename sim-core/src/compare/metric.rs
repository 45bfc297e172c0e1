//! The summary metrics a comparison puts side by side: each with a stable
//! snake_case id (the CLI's `--plot`, CSV headers and the web table use it),
//! a label for people, a unit, which way is better, and how it is read from
//! a [`Report`].

use crate::metrics::report::Report;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Which way a metric is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// Higher is better (availability).
    Higher,
    /// Lower is better (times, latency, cost).
    Lower,
}

/// A summary metric of a run. Its [`id`](Metric::id) is stable: scripts and
/// files may rely on it; its [`label`](Metric::label) is for people and may
/// be reworded. Fault metrics read the scenario's first fault.
///
/// ```
/// use regionsim::compare::Metric;
/// let m: Metric = "time_to_detect_all_s".parse().unwrap();
/// assert_eq!(m, Metric::TimeToDetectAll);
/// assert_eq!(m.label(), "time to detect (all routers)");
/// assert!("time to detect".parse::<Metric>().unwrap_err().contains("time_to_detect_all_s"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Metric {
    /// Served ÷ all user requests over the run (%).
    Availability,
    /// Availability while the first fault is active (%).
    AvailabilityDuringFault,
    /// User requests that failed.
    FailedRequests,
    /// Error budget burned (minutes of the SLO's budget).
    ErrorBudgetBurned,
    /// From the fault's start to the first router marking the region down (s).
    TimeToDetectFirst,
    /// From the fault's start to every router marking it down (s).
    TimeToDetectAll,
    /// From the fault's start to Traffic Manager's endpoint Degraded (s).
    TimeToDegraded,
    /// From the fault's start until under 1 % of traffic still goes there (s).
    TimeToMitigate,
    /// From the fault's end until traffic is back (s).
    TimeToFailBack,
    /// Median latency of served requests (ms).
    P50Latency,
    /// 99th percentile latency (ms).
    P99Latency,
    /// 99th percentile latency while the first fault is active (ms).
    P99LatencyDuringFault,
    /// The survivors' highest busy share during the fault (%).
    SurvivorPeakUtilisation,
    /// Minutes a survivor spent at or above 95 % busy.
    SurvivorMinutesSaturated,
    /// The survivors' highest demand ÷ capacity during the fault (%).
    SurvivorPeakOfferedLoad,
    /// Reads that returned an older version than the latest write (%).
    StaleReads,
    /// Writes accepted ÷ writes attempted (%).
    WriteAvailability,
    /// Acknowledged writes lost to a region's failure (RPO).
    LostWrites,
    /// Concurrent writes to one key resolved by last-writer-wins.
    WriteConflicts,
    /// Request units consumed by the data tier.
    RequestUnits,
    /// The design's monthly cost (the scenario's currency).
    MonthlyCost,
    /// Instance-hours over the run, all regions.
    InstanceHours,
}

impl Metric {
    /// Every metric, in table order.
    pub const ALL: [Metric; 22] = [
        Metric::Availability,
        Metric::AvailabilityDuringFault,
        Metric::FailedRequests,
        Metric::ErrorBudgetBurned,
        Metric::TimeToDetectFirst,
        Metric::TimeToDetectAll,
        Metric::TimeToDegraded,
        Metric::TimeToMitigate,
        Metric::TimeToFailBack,
        Metric::P50Latency,
        Metric::P99Latency,
        Metric::P99LatencyDuringFault,
        Metric::SurvivorPeakUtilisation,
        Metric::SurvivorMinutesSaturated,
        Metric::SurvivorPeakOfferedLoad,
        Metric::StaleReads,
        Metric::WriteAvailability,
        Metric::LostWrites,
        Metric::WriteConflicts,
        Metric::RequestUnits,
        Metric::MonthlyCost,
        Metric::InstanceHours,
    ];

    /// The stable id: snake_case, ending in its unit where it has one.
    pub fn id(self) -> &'static str {
        self.spec().0
    }

    /// A label for tables and charts.
    pub fn label(self) -> &'static str {
        self.spec().1
    }

    /// The unit (`%`, `s`, `ms`, `min`, `h`; empty for counts and money).
    pub fn unit(self) -> &'static str {
        self.spec().2
    }

    /// Decimals a value is shown with: 3 for percentages (availability
    /// lives in the third), none for counts and money, 1 otherwise.
    pub fn decimals(self) -> usize {
        match self.unit() {
            "%" => 3,
            "" => 0,
            _ => 1,
        }
    }

    /// A value of this metric for people: `"99.953 %"`, `"68578"`, `"88.8 s"`.
    pub fn format(self, v: f64) -> String {
        let d = self.decimals();
        match self.unit() {
            "" => format!("{v:.d$}"),
            unit => format!("{v:.d$} {unit}"),
        }
    }

    /// Which way is better.
    pub fn better(self) -> Better {
        match self {
            Metric::Availability | Metric::AvailabilityDuringFault | Metric::WriteAvailability => Better::Higher,
            _ => Better::Lower,
        }
    }

    fn spec(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Metric::Availability => ("availability_pct", "availability", "%"),
            Metric::AvailabilityDuringFault => ("availability_during_fault_pct", "availability during the fault", "%"),
            Metric::FailedRequests => ("failed_requests", "failed requests", ""),
            Metric::ErrorBudgetBurned => ("error_budget_burned_min", "error budget burned", "min"),
            Metric::TimeToDetectFirst => ("time_to_detect_first_s", "time to detect (first router)", "s"),
            Metric::TimeToDetectAll => ("time_to_detect_all_s", "time to detect (all routers)", "s"),
            Metric::TimeToDegraded => ("time_to_degraded_s", "time to Degraded (Traffic Manager)", "s"),
            Metric::TimeToMitigate => ("time_to_mitigate_s", "time to mitigate (<1 % there)", "s"),
            Metric::TimeToFailBack => ("time_to_fail_back_s", "time to fail back", "s"),
            Metric::P50Latency => ("p50_latency_ms", "p50 latency", "ms"),
            Metric::P99Latency => ("p99_latency_ms", "p99 latency", "ms"),
            Metric::P99LatencyDuringFault => ("p99_latency_during_fault_ms", "p99 latency during the fault", "ms"),
            Metric::SurvivorPeakUtilisation => ("survivor_peak_utilisation_pct", "survivor peak utilisation", "%"),
            Metric::SurvivorMinutesSaturated => ("survivor_saturated_min", "survivor minutes at ≥ 95 %", "min"),
            Metric::SurvivorPeakOfferedLoad => ("survivor_peak_offered_load_pct", "survivor peak offered load", "%"),
            Metric::StaleReads => ("stale_reads_pct", "stale reads", "%"),
            Metric::WriteAvailability => ("write_availability_pct", "write availability", "%"),
            Metric::LostWrites => ("lost_writes", "lost writes (RPO)", ""),
            Metric::WriteConflicts => ("write_conflicts", "write conflicts", ""),
            Metric::RequestUnits => ("request_units", "request units", ""),
            Metric::MonthlyCost => ("monthly_cost", "monthly cost", ""),
            Metric::InstanceHours => ("instance_hours", "instance-hours", "h"),
        }
    }

    /// The metric's value in `r` (None: not applicable, or it never
    /// happened — e.g. a fault never mitigated, a run without a data tier).
    pub fn of(self, r: &Report) -> Option<f64> {
        let f = || r.summary.faults.first();
        let pct = |x: f64| x * 100.0;
        match self {
            Metric::Availability => Some(pct(r.summary.availability)),
            Metric::AvailabilityDuringFault => f().and_then(|f| f.overall[1].availability).map(pct),
            Metric::FailedRequests => Some(r.summary.counts.failed as f64),
            Metric::ErrorBudgetBurned => Some(r.summary.error_budget_minutes_burned),
            Metric::TimeToDetectFirst => f().and_then(|f| f.time_to_detect_first_s),
            Metric::TimeToDetectAll => f().and_then(|f| f.time_to_detect_all_s),
            Metric::TimeToDegraded => f().and_then(|f| f.time_to_degraded_s),
            Metric::TimeToMitigate => f().and_then(|f| f.time_to_mitigate_s),
            Metric::TimeToFailBack => f().and_then(|f| f.time_to_fail_back_s),
            Metric::P50Latency => r.summary.latency.p50_ms,
            Metric::P99Latency => r.summary.latency.p99_ms,
            Metric::P99LatencyDuringFault => f().and_then(|f| f.overall[1].latency.p99_ms),
            Metric::SurvivorPeakUtilisation => f().and_then(|f| f.survivor_peak_utilisation).map(pct),
            Metric::SurvivorMinutesSaturated => f().map(|f| f.survivor_minutes_saturated),
            Metric::SurvivorPeakOfferedLoad => f().and_then(|f| f.survivor_peak_offered_load).map(pct),
            Metric::StaleReads => r.summary.data.as_ref().map(|d| pct(d.stale_read_rate)),
            Metric::WriteAvailability => r.summary.data.as_ref().map(|d| pct(d.write_availability)),
            Metric::LostWrites => r.summary.data.as_ref().map(|d| d.lost_writes as f64),
            Metric::WriteConflicts => r.summary.data.as_ref().map(|d| d.conflicts as f64),
            Metric::RequestUnits => r.summary.data.as_ref().map(|d| d.request_units),
            Metric::MonthlyCost => r.summary.cost.as_ref().map(|c| c.total),
            Metric::InstanceHours => Some(r.summary.regions.iter().map(|x| x.instance_hours).sum()),
        }
    }
}

impl fmt::Display for Metric {
    /// The id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Metric {
    type Err = String;
    /// The metric with this id; the error lists every id.
    fn from_str(s: &str) -> Result<Metric, String> {
        Metric::ALL.into_iter().find(|m| m.id() == s).ok_or_else(|| {
            let ids: Vec<&str> = Metric::ALL.iter().map(|m| m.id()).collect();
            format!("{s:?} is not a metric; choose one of: {}", ids.join(", "))
        })
    }
}

impl Serialize for Metric {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One metric across the compared variants.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Row {
    /// What is measured.
    pub metric: Metric,
    /// One value per variant (None: not applicable or never happened); the
    /// mean over seeds for replicated runs.
    pub values: Vec<Option<f64>>,
    /// Half-width of the 95 % confidence interval of each mean (replicated
    /// runs with at least two seeds where the metric exists in each).
    pub ci95: Vec<Option<f64>>,
}

impl Serialize for Row {
    /// `{metric (the id), label, unit, better, values, ci95}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            metric: &'static str,
            label: &'static str,
            unit: &'static str,
            better: Better,
            values: &'a [Option<f64>],
            ci95: &'a [Option<f64>],
        }
        Out {
            metric: self.metric.id(),
            label: self.metric.label(),
            unit: self.metric.unit(),
            better: self.metric.better(),
            values: &self.values,
            ci95: &self.ci95,
        }
        .serialize(s)
    }
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
        let want_high = (self.metric.better() == Better::Higher) == best;
        vals.into_iter()
            .find(|(_, v)| *v == if want_high { hi } else { lo })
            .map(|(i, _)| i)
    }
}

/// Every metric of `reports` side by side (one run per variant), in
/// [`Metric::ALL`] order.
pub fn rows(reports: &[Report]) -> Vec<Row> {
    Metric::ALL
        .into_iter()
        .map(|metric| Row {
            metric,
            values: reports.iter().map(|r| metric.of(r)).collect(),
            ci95: vec![None; reports.len()],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_snake_case_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for m in Metric::ALL {
            let id = m.id();
            assert!(seen.insert(id), "{id} twice");
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{id}"
            );
            assert_eq!(id.parse::<Metric>(), Ok(m));
            assert_eq!(m.to_string(), id);
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, format!("{id:?}"));
            // An id names its unit, so a CSV header says what its numbers are.
            let suffix = match m.unit() {
                "%" => Some("_pct"),
                "s" => Some("_s"),
                "ms" => Some("_ms"),
                "min" => Some("_min"),
                _ => None,
            };
            if let Some(sfx) = suffix {
                assert!(id.ends_with(sfx), "{id} in {}", m.unit());
            }
        }
        assert!("availability".parse::<Metric>().is_err());
    }

    #[test]
    fn best_and_worst_follow_the_direction() {
        let r = Row {
            metric: Metric::P99Latency,
            values: vec![Some(1.0), None, Some(3.0)],
            ci95: vec![None; 3],
        };
        assert_eq!((r.best(), r.worst()), (Some(0), Some(2)));
        let r = Row {
            metric: Metric::Availability,
            values: vec![Some(2.0), Some(3.0)],
            ci95: vec![None; 2],
        };
        assert_eq!((r.best(), r.worst()), (Some(1), Some(0)));
        let r = Row {
            metric: Metric::Availability,
            values: vec![Some(2.0), Some(2.0)],
            ci95: vec![None; 2],
        };
        assert_eq!(r.best(), None);
    }
}
