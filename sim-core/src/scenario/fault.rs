//! Faults: the scheduled ones (outages, brown-outs, partitions, …) and the
//! random ones drawn from mean times between failures (`reliability`).

use super::defaults::*;
use super::*;

/// Random outages: each region (and each Front Door POP) alternates between
/// exponential up times with mean `mtbf` and exponential down times with mean
/// `mttr`. The facts sheet has no such figures: they are the user's
/// assumptions, e.g. derived from an SLA (§8).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Reliability {
    /// Mean time between region outages (per region).
    #[serde(default)]
    pub region_mtbf: Option<SimDuration>,
    /// Mean time to repair a region.
    #[serde(default = "region_mttr")]
    pub region_mttr: SimDuration,
    /// Mean time between outages of one POP.
    #[serde(default)]
    pub pop_mtbf: Option<SimDuration>,
    /// Mean time to repair a POP.
    #[serde(default = "pop_mttr")]
    pub pop_mttr: SimDuration,
}

impl Reliability {
    /// The random faults of a run of `sc` with seed `seed` (stream
    /// `random-faults`): a pure function of the two, so runs repeat exactly.
    pub fn schedule(&self, sc: &Scenario, seed: u64) -> Vec<Fault> {
        use rand_distr::{Distribution, Exp1};
        let mut rng = crate::engine::SimRng::stream(seed, "random-faults");
        let end = sc.duration.as_secs_f64();
        let mut out = Vec::new();
        let mut draw = |mtbf: SimDuration,
                        mttr: SimDuration,
                        make: &dyn Fn(SimDuration, SimDuration) -> Fault,
                        out: &mut Vec<Fault>| {
            let mut t = 0.0;
            loop {
                let up: f64 = Exp1.sample(rng.inner());
                t += up * mtbf.as_secs_f64();
                if t >= end {
                    break;
                }
                let down: f64 = Exp1.sample(rng.inner());
                let len = (down * mttr.as_secs_f64()).max(1.0).min(end - t);
                out.push(make(SimDuration::from_secs_f64(t), SimDuration::from_secs_f64(len)));
                t += len;
            }
        };
        if let Some(mtbf) = self.region_mtbf {
            for r in &sc.regions {
                let name = r.name.clone();
                draw(
                    mtbf,
                    self.region_mttr,
                    &|start, duration| Fault::RegionOutage {
                        region: name.clone(),
                        start,
                        duration,
                    },
                    &mut out,
                );
            }
        }
        if let (Some(mtbf), Routing::AnycastL7(f)) = (self.pop_mtbf, &sc.routing) {
            let pops: Vec<String> = if f.pops.is_empty() {
                crate::model::geo::METROS.iter().map(|m| m.name.to_string()).collect()
            } else {
                f.pops.clone()
            };
            for pop in pops {
                draw(
                    mtbf,
                    self.pop_mttr,
                    &|start, duration| Fault::PopOutage {
                        pop: pop.clone(),
                        start,
                        duration,
                    },
                    &mut out,
                );
            }
        }
        out
    }
}

/// A scheduled fault with a start and a duration.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Fault {
    /// The whole region is down: no requests, no probes; in-flight work is lost.
    RegionOutage {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// The region is unreachable from the internet but keeps running.
    NetworkOutage {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// A share of requests (and probes) fail, and responses are slower.
    BrownOut {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
        /// Share of requests answered with 5xx, 0–1.
        error_rate: f64,
        /// Extra latency on every response.
        #[serde(default)]
        added_latency: SimDuration,
    },
    /// A share of the region's instances is lost.
    CapacityLoss {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
        /// Share of instances lost, 0–1.
        fraction: f64,
    },
    /// User requests fail but the health endpoint says 200; a deep check
    /// catches it only when the broken piece is one of its dependencies.
    GrayFailure {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
        /// Share of user requests that fail, 0–1.
        error_rate: f64,
        /// The broken piece is a dependency a deep health check includes.
        #[serde(default = "yes")]
        deep_check_detects: bool,
    },
    /// Only the health endpoint fails; user traffic is fine.
    ProbeFailure {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// The region's data replica is down (the stamp runs): reads go to another
    /// replica; if it is the write region, writes wait for failover.
    ReplicaOutage {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// Replication between two regions stops, then catches up.
    Partition {
        /// One side.
        region: String,
        /// The other side.
        other: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// A singleton (key vault, registry, …) is down.
    SingletonOutage {
        /// The singleton's name.
        singleton: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// A Front Door POP is down; its clients go to the next nearest POP.
    PopOutage {
        /// POP metro.
        pop: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
}

impl Fault {
    /// The scenario-file name of this fault kind.
    pub fn kind_name(&self) -> &'static str {
        self.kind().name()
    }
    /// Its kind.
    pub fn kind(&self) -> FaultKind {
        match self {
            Fault::RegionOutage { .. } => FaultKind::RegionOutage,
            Fault::NetworkOutage { .. } => FaultKind::NetworkOutage,
            Fault::BrownOut { .. } => FaultKind::BrownOut,
            Fault::CapacityLoss { .. } => FaultKind::CapacityLoss,
            Fault::GrayFailure { .. } => FaultKind::GrayFailure,
            Fault::ProbeFailure { .. } => FaultKind::ProbeFailure,
            Fault::PopOutage { .. } => FaultKind::PopOutage,
            Fault::ReplicaOutage { .. } => FaultKind::ReplicaOutage,
            Fault::Partition { .. } => FaultKind::Partition,
            Fault::SingletonOutage { .. } => FaultKind::SingletonOutage,
        }
    }
    /// When it starts.
    pub fn start(&self) -> SimDuration {
        match self {
            Fault::RegionOutage { start, .. }
            | Fault::NetworkOutage { start, .. }
            | Fault::BrownOut { start, .. }
            | Fault::CapacityLoss { start, .. }
            | Fault::GrayFailure { start, .. }
            | Fault::ProbeFailure { start, .. }
            | Fault::ReplicaOutage { start, .. }
            | Fault::Partition { start, .. }
            | Fault::SingletonOutage { start, .. }
            | Fault::PopOutage { start, .. } => *start,
        }
    }
    /// How long it lasts.
    pub fn duration(&self) -> SimDuration {
        match self {
            Fault::RegionOutage { duration, .. }
            | Fault::NetworkOutage { duration, .. }
            | Fault::BrownOut { duration, .. }
            | Fault::CapacityLoss { duration, .. }
            | Fault::GrayFailure { duration, .. }
            | Fault::ProbeFailure { duration, .. }
            | Fault::ReplicaOutage { duration, .. }
            | Fault::Partition { duration, .. }
            | Fault::SingletonOutage { duration, .. }
            | Fault::PopOutage { duration, .. } => *duration,
        }
    }
    /// The region it hits (None for a POP outage).
    pub fn region(&self) -> Option<&str> {
        match self {
            Fault::RegionOutage { region, .. }
            | Fault::NetworkOutage { region, .. }
            | Fault::BrownOut { region, .. }
            | Fault::CapacityLoss { region, .. }
            | Fault::GrayFailure { region, .. }
            | Fault::ProbeFailure { region, .. }
            | Fault::ReplicaOutage { region, .. }
            | Fault::Partition { region, .. } => Some(region),
            Fault::PopOutage { .. } | Fault::SingletonOutage { .. } => None,
        }
    }
    /// Moves the fault to start at `start` and last `duration`.
    pub fn set_times(&mut self, start: SimDuration, duration: SimDuration) {
        match self {
            Fault::RegionOutage {
                start: s, duration: d, ..
            }
            | Fault::NetworkOutage {
                start: s, duration: d, ..
            }
            | Fault::BrownOut {
                start: s, duration: d, ..
            }
            | Fault::CapacityLoss {
                start: s, duration: d, ..
            }
            | Fault::GrayFailure {
                start: s, duration: d, ..
            }
            | Fault::ProbeFailure {
                start: s, duration: d, ..
            }
            | Fault::ReplicaOutage {
                start: s, duration: d, ..
            }
            | Fault::Partition {
                start: s, duration: d, ..
            }
            | Fault::SingletonOutage {
                start: s, duration: d, ..
            }
            | Fault::PopOutage {
                start: s, duration: d, ..
            } => {
                *s = start;
                *d = duration;
            }
        }
    }

    /// What it hits, for reports.
    pub fn target(&self) -> &str {
        match self {
            Fault::PopOutage { pop, .. } => pop,
            Fault::SingletonOutage { singleton, .. } => singleton,
            _ => self.region().unwrap_or_default(),
        }
    }

    /// This fault in one line with its own strengths, e.g. "brown_out of
    /// eastus2 from 10:00 for 30:00: 50 % of requests get 5xx, answers
    /// 500ms slower".
    pub fn describe(&self) -> String {
        let (s, d) = (self.start(), self.duration());
        let what = match self {
            Fault::Partition { region, other, .. } => format!("{} between {region} and {other}", self.kind_name()),
            _ => format!("{} of {}", self.kind_name(), self.target()),
        };
        let strength = match self {
            Fault::BrownOut {
                error_rate,
                added_latency,
                ..
            } => {
                let mut parts = Vec::new();
                if *error_rate > 0.0 {
                    parts.push(format!(
                        "{} of requests and probes get 5xx",
                        crate::format::strength(*error_rate)
                    ));
                }
                if *added_latency > SimDuration::ZERO {
                    parts.push(format!("answers {added_latency} slower"));
                }
                if parts.is_empty() {
                    "no errors and no added latency (no effect)".to_string()
                } else {
                    parts.join(", ")
                }
            }
            Fault::CapacityLoss { fraction, .. } => {
                format!("{} of its instances lost", crate::format::strength(*fraction))
            }
            Fault::GrayFailure {
                error_rate,
                deep_check_detects,
                ..
            } => format!(
                "{} of user requests fail, probes say 200; a deep health check {}",
                crate::format::strength(*error_rate),
                if *deep_check_detects {
                    "sees it"
                } else {
                    "does not see it"
                }
            ),
            _ => self.kind().effect().trim_end_matches('.').to_string(),
        };
        format!("{what} from {} for {d}: {strength}", SimTime(s.0))
    }
}

impl Fault {
    /// A fault of kind `kind` on `target` — a region; a POP metro for
    /// `pop_outage`; a singleton's name for `singleton_outage` — with partial
    /// faults at half strength: what a front end offers when the user picks a
    /// fault kind. None for `partition`, which needs two regions (build
    /// [`Fault::Partition`] itself).
    pub fn with_defaults(kind: FaultKind, target: &str, start: SimDuration, duration: SimDuration) -> Option<Fault> {
        let region = target.to_string();
        Some(match kind {
            FaultKind::RegionOutage => Fault::RegionOutage {
                region,
                start,
                duration,
            },
            FaultKind::NetworkOutage => Fault::NetworkOutage {
                region,
                start,
                duration,
            },
            FaultKind::BrownOut => Fault::BrownOut {
                region,
                start,
                duration,
                error_rate: 0.5,
                added_latency: SimDuration::from_millis(500),
            },
            FaultKind::CapacityLoss => Fault::CapacityLoss {
                region,
                start,
                duration,
                fraction: 0.5,
            },
            FaultKind::GrayFailure => Fault::GrayFailure {
                region,
                start,
                duration,
                error_rate: 0.5,
                deep_check_detects: true,
            },
            FaultKind::ProbeFailure => Fault::ProbeFailure {
                region,
                start,
                duration,
            },
            FaultKind::PopOutage => Fault::PopOutage {
                pop: region,
                start,
                duration,
            },
            FaultKind::ReplicaOutage => Fault::ReplicaOutage {
                region,
                start,
                duration,
            },
            FaultKind::SingletonOutage => Fault::SingletonOutage {
                singleton: region,
                start,
                duration,
            },
            FaultKind::Partition => return None,
        })
    }

    /// The whole of `region` down from `start` for `duration`.
    pub fn region_outage(region: impl Into<String>, start: SimDuration, duration: SimDuration) -> Fault {
        Fault::RegionOutage {
            region: region.into(),
            start,
            duration,
        }
    }
}

/// The kinds of fault, as the scenario file's `faults[].kind` names them.
///
/// ```
/// use regionsim::scenario::FaultKind;
/// assert_eq!(FaultKind::ALL.len(), 10);
/// assert_eq!("brown_out".parse::<FaultKind>(), Ok(FaultKind::BrownOut));
/// assert!("brownout".parse::<FaultKind>().unwrap_err().contains("brown_out"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FaultKind {
    /// `region_outage`.
    RegionOutage,
    /// `network_outage`.
    NetworkOutage,
    /// `brown_out`.
    BrownOut,
    /// `capacity_loss`.
    CapacityLoss,
    /// `gray_failure`.
    GrayFailure,
    /// `probe_failure`.
    ProbeFailure,
    /// `pop_outage`.
    PopOutage,
    /// `replica_outage`.
    ReplicaOutage,
    /// `partition`.
    Partition,
    /// `singleton_outage`.
    SingletonOutage,
}

impl FaultKind {
    /// Every kind.
    pub const ALL: [FaultKind; 10] = [
        FaultKind::RegionOutage,
        FaultKind::NetworkOutage,
        FaultKind::BrownOut,
        FaultKind::CapacityLoss,
        FaultKind::GrayFailure,
        FaultKind::ProbeFailure,
        FaultKind::PopOutage,
        FaultKind::ReplicaOutage,
        FaultKind::Partition,
        FaultKind::SingletonOutage,
    ];

    /// The scenario-file name (`"brown_out"`).
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::RegionOutage => "region_outage",
            FaultKind::NetworkOutage => "network_outage",
            FaultKind::BrownOut => "brown_out",
            FaultKind::CapacityLoss => "capacity_loss",
            FaultKind::GrayFailure => "gray_failure",
            FaultKind::ProbeFailure => "probe_failure",
            FaultKind::PopOutage => "pop_outage",
            FaultKind::ReplicaOutage => "replica_outage",
            FaultKind::Partition => "partition",
            FaultKind::SingletonOutage => "singleton_outage",
        }
    }

    /// What a fault of this kind does, in one line. Front ends show it
    /// beside the choice.
    pub fn effect(self) -> &'static str {
        match self {
            FaultKind::RegionOutage => "The whole region is down: no requests, no probes; work in flight is lost.",
            FaultKind::NetworkOutage => "The region keeps running but nothing on the internet reaches it.",
            FaultKind::BrownOut => "A share of requests (and probes) get 5xx, and every answer is slower by the added latency.",
            FaultKind::CapacityLoss => {
                "A share of the region's instances is lost; the rest carry the load until autoscale adds more."
            }
            FaultKind::GrayFailure => {
                "A share of user requests fail while the health endpoint says 200; a deep health check sees it only if the broken piece is one of its dependencies."
            }
            FaultKind::ProbeFailure => "Only the health endpoint fails; users are served fine, but routers may still move them away.",
            FaultKind::PopOutage => "A Front Door POP is down; its clients reach the next nearest POP.",
            FaultKind::ReplicaOutage => {
                "The region's database replica is down: reads go to another replica; if it is the write region, writes wait for failover."
            }
            FaultKind::Partition => "Replication between two regions stops, then catches up when it ends.",
            FaultKind::SingletonOutage => "A single shared dependency (key vault, registry, …) is down for every region.",
        }
    }

    /// It acts on one region's stamp or its network (not on a POP, the
    /// data tier or a singleton): the kinds a region's fault menu offers.
    pub fn acts_on_stamp(self) -> bool {
        matches!(
            self,
            FaultKind::RegionOutage
                | FaultKind::NetworkOutage
                | FaultKind::BrownOut
                | FaultKind::CapacityLoss
                | FaultKind::GrayFailure
                | FaultKind::ProbeFailure
        )
    }
}

impl std::fmt::Display for FaultKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for FaultKind {
    /// A message naming the kinds there are.
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        super::kind_named(s, &FaultKind::ALL, |k| k.name(), "fault kind")
    }
}

#[cfg(test)]
mod fault_text_tests {
    use super::*;

    fn every_kind() -> Vec<Fault> {
        let (start, duration) = (SimDuration::from_secs(600), SimDuration::from_secs(1800));
        let mut v: Vec<Fault> = FaultKind::ALL
            .iter()
            .filter_map(|&k| Fault::with_defaults(k, "eastus2", start, duration))
            .collect();
        v.push(Fault::Partition {
            region: "eastus2".into(),
            other: "centralus".into(),
            start,
            duration,
        });
        v
    }

    #[test]
    fn every_kind_has_an_effect_and_a_description() {
        let all = every_kind();
        assert_eq!(all.len(), 10, "one fault of each kind");
        for f in &all {
            assert!(f.kind().effect().len() > 20, "{}: no effect line", f.kind_name());
            assert_eq!(f.kind_name().parse::<FaultKind>(), Ok(f.kind()));
            let d = f.describe();
            assert!(d.starts_with(f.kind_name()) && d.contains("from 10:00 for 30m"), "{d}");
        }
        let kinds: std::collections::BTreeSet<FaultKind> = all.iter().map(|f| f.kind()).collect();
        assert_eq!(kinds.len(), FaultKind::ALL.len(), "every kind once");
        assert!("meteor".parse::<FaultKind>().is_err());
    }

    #[test]
    fn descriptions_carry_the_strengths() {
        let f = Fault::BrownOut {
            region: "eastus2".into(),
            start: SimDuration::from_secs(60),
            duration: SimDuration::from_secs(90),
            error_rate: 0.125,
            added_latency: SimDuration::from_millis(250),
        };
        assert_eq!(
            f.describe(),
            "brown_out of eastus2 from 01:00 for 1m 30s: 12.5 % of requests and probes get 5xx, answers 250ms slower"
        );
        let f = Fault::CapacityLoss {
            region: "westus".into(),
            start: SimDuration::ZERO,
            duration: SimDuration::from_secs(3600),
            fraction: 0.5,
        };
        assert!(
            f.describe().ends_with(": 50 % of its instances lost"),
            "{}",
            f.describe()
        );
    }
}
