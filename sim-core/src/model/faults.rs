//! Faults: the condition of a region at a moment, folded from the faults
//! active then, and what a probe and a user request see under it.

use crate::scenario::{Fault, HealthDepth};
use crate::time::SimDuration;

/// A region's condition, derived from its active faults.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RegionCondition {
    /// The region is down (its work is lost).
    pub down: bool,
    /// Nothing on the internet reaches it (down or network outage).
    pub unreachable: bool,
    /// Share of user requests answered with 5xx (brown-out).
    pub error_rate: f64,
    /// Share of user requests failing while the health endpoint says 200.
    pub gray_error_rate: f64,
    /// A deep health check sees the gray failure.
    pub gray_visible_to_deep: bool,
    /// Extra response latency.
    pub added_latency: SimDuration,
    /// Share of instances lost.
    pub capacity_lost: f64,
    /// The health endpoint fails while user traffic is fine.
    pub probe_broken: bool,
    /// The region's data replica is down (a deep check sees it).
    pub replica_down: bool,
    /// A singleton that the deep check includes is down (set by the simulation).
    pub singleton_down: bool,
}

/// What a health probe sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeVerdict {
    /// No answer: the probe times out.
    NoAnswer,
    /// An answer other than 200.
    Fails,
    /// Goes to the stamp; fails only with probability `error_rate`.
    Served,
}

impl RegionCondition {
    /// Folds the faults active on `region` (given as scenario indices).
    pub fn from_active<'a>(active: impl Iterator<Item = &'a Fault>) -> Self {
        let mut c = RegionCondition::default();
        for f in active {
            match f {
                Fault::RegionOutage { .. } => {
                    c.down = true;
                    c.unreachable = true;
                }
                Fault::NetworkOutage { .. } => c.unreachable = true,
                Fault::BrownOut {
                    error_rate,
                    added_latency,
                    ..
                } => {
                    c.error_rate = 1.0 - (1.0 - c.error_rate) * (1.0 - error_rate);
                    c.added_latency = c.added_latency + *added_latency;
                }
                Fault::CapacityLoss { fraction, .. } => c.capacity_lost = c.capacity_lost.max(*fraction),
                Fault::GrayFailure {
                    error_rate,
                    deep_check_detects,
                    ..
                } => {
                    c.gray_error_rate = 1.0 - (1.0 - c.gray_error_rate) * (1.0 - error_rate);
                    c.gray_visible_to_deep |= *deep_check_detects;
                }
                Fault::ProbeFailure { .. } => c.probe_broken = true,
                Fault::ReplicaOutage { .. } => c.replica_down = true,
                Fault::PopOutage { .. } | Fault::Partition { .. } | Fault::SingletonOutage { .. } => {}
            }
        }
        c
    }

    /// What a probe of the given depth sees.
    pub fn probe(&self, depth: HealthDepth) -> ProbeVerdict {
        if self.unreachable {
            ProbeVerdict::NoAnswer
        } else if self.probe_broken
            || (depth == HealthDepth::Deep
                && ((self.gray_visible_to_deep && self.gray_error_rate > 0.0)
                    || self.replica_down
                    || self.singleton_down))
        {
            ProbeVerdict::Fails
        } else {
            ProbeVerdict::Served
        }
    }

    /// Probability that a served user request ends in 5xx.
    pub fn user_error_rate(&self) -> f64 {
        1.0 - (1.0 - self.error_rate) * (1.0 - self.gray_error_rate)
    }

    /// A short label for reports: `down`, `unreachable`, `degraded`, `ok`.
    pub fn label(&self) -> &'static str {
        if self.down {
            "down"
        } else if self.unreachable {
            "unreachable"
        } else if self.user_error_rate() > 0.0
            || self.capacity_lost > 0.0
            || self.probe_broken
            || self.replica_down
            || self.singleton_down
            || self.added_latency.as_micros() > 0
        {
            "degraded"
        } else {
            "ok"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gray(deep: bool) -> Fault {
        Fault::GrayFailure {
            region: "x".into(),
            start: SimDuration::ZERO,
            duration: SimDuration::from_secs(1),
            error_rate: 1.0,
            deep_check_detects: deep,
        }
    }

    #[test]
    fn gray_failure_fools_a_shallow_probe_but_not_a_deep_one() {
        let c = RegionCondition::from_active([gray(true)].iter());
        assert_eq!(c.probe(HealthDepth::Shallow), ProbeVerdict::Served);
        assert_eq!(c.probe(HealthDepth::Deep), ProbeVerdict::Fails);
        assert_eq!(c.user_error_rate(), 1.0);
        let c = RegionCondition::from_active([gray(false)].iter());
        assert_eq!(c.probe(HealthDepth::Deep), ProbeVerdict::Served);
    }

    #[test]
    fn outage_is_unreachable() {
        let f = Fault::RegionOutage {
            region: "x".into(),
            start: SimDuration::ZERO,
            duration: SimDuration::from_secs(1),
        };
        let c = RegionCondition::from_active([f].iter());
        assert_eq!(c.probe(HealthDepth::Shallow), ProbeVerdict::NoAnswer);
        assert_eq!(c.label(), "down");
    }
}
