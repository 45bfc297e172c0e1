//! Health probes: how a prober turns probe results into a healthy/unhealthy
//! view of an origin, and the documented detection-time formulas.
//!
//! - Front Door keeps, per POP and origin, a sliding window of the last
//!   `sample_size` probe results; the origin is healthy while at least
//!   `successful_samples` of them succeeded (AZURE_FACTS §1.3).
//! - Traffic Manager counts consecutive failures per monitoring location; the
//!   endpoint is Degraded after `tolerated + 1` in a row and Online again after
//!   one success (AZURE_FACTS §2).
//! - The cross-region load balancer's regional probe works the same way with a
//!   threshold of consecutive failures (AZURE_FACTS §3).
//! - Front Door also ranks origins by the latency its probes measure, from
//!   the moment before sending to the last byte of the answer, on a fresh
//!   connection (AZURE_FACTS §1.2). How it averages is not documented: a
//!   [`LatencyAverage`] over the same last `sample_size` answers (an
//!   assumption).

use crate::time::SimDuration;

/// Front Door's per-POP, per-origin window of recent probe results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProbeWindow {
    /// Bit i set = the i-th most recent sample succeeded.
    bits: u64,
    size: u32,
    required: u32,
    healthy: bool,
}

impl ProbeWindow {
    /// A window that starts full of successes (origins start healthy).
    pub fn new(size: u32, required: u32) -> Self {
        let size = size.clamp(1, 64);
        let bits = if size == 64 { u64::MAX } else { (1u64 << size) - 1 };
        ProbeWindow {
            bits,
            size,
            required: required.clamp(1, size),
            healthy: true,
        }
    }

    /// Records a result; returns true when the healthy view changed.
    pub fn record(&mut self, ok: bool) -> bool {
        let mask = if self.size == 64 {
            u64::MAX
        } else {
            (1u64 << self.size) - 1
        };
        self.bits = ((self.bits << 1) | ok as u64) & mask;
        let now = self.bits.count_ones() >= self.required;
        let changed = now != self.healthy;
        self.healthy = now;
        changed
    }

    /// The current view.
    pub fn healthy(&self) -> bool {
        self.healthy
    }
}

/// Front Door's per-POP, per-origin latency: the mean of the last `n`
/// latencies its successful probes measured. Failed probes measure nothing.
/// The averaging is not documented (AZURE_FACTS §1.2 says only that each POP
/// "measures and maintains" the latency): the mean over the health window's
/// length is an assumption, stated in the scenario format.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencyAverage {
    samples: Vec<f64>,
    next: usize,
    sum: f64,
}

impl LatencyAverage {
    /// A window of `n` (at least 1) samples, all `initial_ms`: the POP has
    /// been probing an idle origin before the run starts.
    pub fn new(n: u32, initial_ms: f64) -> Self {
        let n = n.max(1) as usize;
        LatencyAverage {
            samples: vec![initial_ms; n],
            next: 0,
            sum: initial_ms * n as f64,
        }
    }

    /// Replaces the oldest sample with `ms`.
    pub fn record(&mut self, ms: f64) {
        self.sum += ms - self.samples[self.next];
        self.samples[self.next] = ms;
        self.next = (self.next + 1) % self.samples.len();
        // Summed from scratch once per lap so rounding never accumulates.
        if self.next == 0 {
            self.sum = self.samples.iter().sum();
        }
    }

    /// The mean of the window, ms.
    pub fn mean_ms(&self) -> f64 {
        self.sum / self.samples.len() as f64
    }
}

/// Traffic Manager's (and the L4 regional probe's) consecutive-failure counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureCounter {
    consecutive: u32,
    tolerated: u32,
    healthy: bool,
}

impl FailureCounter {
    /// Healthy, tolerating `tolerated` consecutive failures.
    pub fn new(tolerated: u32) -> Self {
        FailureCounter {
            consecutive: 0,
            tolerated,
            healthy: true,
        }
    }

    /// Records a result; returns true when the view changed.
    pub fn record(&mut self, ok: bool) -> bool {
        let before = self.healthy;
        if ok {
            self.consecutive = 0;
            self.healthy = true;
        } else {
            self.consecutive = self.consecutive.saturating_add(1);
            if self.consecutive > self.tolerated {
                self.healthy = false;
            }
        }
        before != self.healthy
    }

    /// The current view.
    pub fn healthy(&self) -> bool {
        self.healthy
    }
}

/// Bounds on the time from a hard failure to one prober marking it down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DetectionBounds {
    /// Earliest possible (the first failed probe is sent at the failure).
    pub min: SimDuration,
    /// Latest possible (it is sent one interval, less a tick, after it).
    pub max: SimDuration,
}

/// Front Door: `failures_needed = sample_size − successful + 1` failed samples
/// mark an origin down, so detection lies in
/// `[interval × (failures_needed − 1), interval × failures_needed] + timeout`
/// (AZURE_FACTS §9: "interval × (sample size − successful + 1)"), where the
/// timeout applies when the dead origin does not answer at all.
pub fn front_door_detection(
    interval: SimDuration,
    sample_size: u32,
    successful: u32,
    timeout: SimDuration,
) -> DetectionBounds {
    let need = (sample_size - successful.min(sample_size) + 1) as u64;
    DetectionBounds {
        min: interval.times(need - 1) + timeout,
        max: interval.times(need) + timeout,
    }
}

/// Traffic Manager: Degraded after `tolerated + 1` consecutive failures, so
/// detection lies in `[interval × tolerated, interval × (tolerated + 1)] +
/// timeout` (AZURE_FACTS §2: "interval × (tolerated failures + 1) (+ timeout)").
pub fn traffic_manager_detection(interval: SimDuration, tolerated: u32, timeout: SimDuration) -> DetectionBounds {
    DetectionBounds {
        min: interval.times(tolerated as u64) + timeout,
        max: interval.times(tolerated as u64 + 1) + timeout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_3_of_4_goes_down_on_the_second_failure_and_up_after_three_successes() {
        let mut w = ProbeWindow::new(4, 3);
        assert!(w.healthy());
        assert!(!w.record(false));
        assert!(w.healthy(), "one failure of four tolerated");
        assert!(w.record(false));
        assert!(!w.healthy());
        assert!(!w.record(true));
        assert!(!w.record(true));
        assert!(w.record(true), "three of the last four succeeded");
    }

    #[test]
    fn traffic_manager_degrades_after_tolerated_plus_one() {
        let mut c = FailureCounter::new(3);
        for _ in 0..3 {
            assert!(!c.record(false));
        }
        assert!(c.record(false));
        assert!(c.record(true), "one success brings it back");
    }

    #[test]
    fn documented_examples() {
        // §2 example: 30 s, 3 tolerated, 10 s timeout → degraded 100–130 s
        // ("about 90–120 s" in the doc plus the timeout).
        let b = traffic_manager_detection(SimDuration::from_secs(30), 3, SimDuration::from_secs(10));
        assert_eq!(
            (b.min, b.max),
            (SimDuration::from_secs(100), SimDuration::from_secs(130))
        );
        // §9: 100 s × (4 − 3 + 1) = 200 s.
        let b = front_door_detection(SimDuration::from_secs(100), 4, 3, SimDuration::ZERO);
        assert_eq!(b.max, SimDuration::from_secs(200));
    }

    #[test]
    fn latency_average_is_the_mean_of_the_last_n_answers() {
        let mut a = LatencyAverage::new(4, 40.0);
        assert_eq!(a.mean_ms(), 40.0);
        // A 200 ms brown-out: each answer replaces one idle sample.
        let means: Vec<f64> = (0..5)
            .map(|_| {
                a.record(240.0);
                a.mean_ms()
            })
            .collect();
        assert_eq!(means, vec![90.0, 140.0, 190.0, 240.0, 240.0]);
        a.record(40.0);
        assert_eq!(a.mean_ms(), 190.0);
        let mut one = LatencyAverage::new(0, 10.0);
        one.record(30.0);
        assert_eq!(one.mean_ms(), 30.0);
    }
}
