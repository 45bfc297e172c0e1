//! A mergeable log-bucket latency histogram (HDR-style: 16 linear
//! sub-buckets per power of two of microseconds, so a reported percentile is
//! within about 3 % of the true value). Recording is a few integer
//! operations: no allocation, no floating point.

use serde::{Deserialize, Serialize};

const SUB_BITS: u32 = 4;
const SUB: u64 = 1 << SUB_BITS;
/// Values up to 2^40 µs (about 12 days) are kept exactly in their bucket;
/// larger ones land in the last bucket.
const MAX_EXP: u32 = 40;
/// Number of buckets.
pub const BUCKETS: usize = (SUB + (MAX_EXP - SUB_BITS + 1) as u64 * SUB) as usize;

/// Counts of latencies in log-spaced buckets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencyHistogram {
    counts: Vec<u32>,
    total: u64,
    /// Every nonzero count lies in `lo..hi` (empty: `lo >= hi`), so that
    /// merging, clearing and quantiles touch only the buckets in use.
    #[serde(default)]
    lo: u32,
    #[serde(default = "full")]
    hi: u32,
}

/// The whole range (a histogram read without its bounds: scan everything).
fn full() -> u32 {
    BUCKETS as u32
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

#[inline(always)]
fn index(us: u64) -> usize {
    if us < SUB {
        return us as usize;
    }
    let e = 63 - us.leading_zeros();
    if e > MAX_EXP {
        return BUCKETS - 1;
    }
    let sub = (us >> (e - SUB_BITS)) & (SUB - 1);
    (SUB + (e - SUB_BITS) as u64 * SUB + sub) as usize
}

/// The [low, high) microsecond range of bucket `i`.
fn bounds(i: usize) -> (u64, u64) {
    let i = i as u64;
    if i < SUB {
        return (i, i + 1);
    }
    let e = (i - SUB) / SUB + SUB_BITS as u64;
    let sub = (i - SUB) % SUB;
    let width = 1u64 << (e - SUB_BITS as u64);
    let low = (1u64 << e) + sub * width;
    (low, low + width)
}

impl LatencyHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        LatencyHistogram {
            counts: vec![0; BUCKETS],
            total: 0,
            lo: BUCKETS as u32,
            hi: 0,
        }
    }

    /// Records one latency in microseconds.
    #[inline(always)]
    pub fn record(&mut self, us: u64) {
        let i = index(us);
        self.counts[i] += 1;
        self.total += 1;
        self.lo = self.lo.min(i as u32);
        self.hi = self.hi.max(i as u32 + 1);
    }

    /// The range of buckets that may hold counts.
    #[inline]
    fn used(&self) -> std::ops::Range<usize> {
        let hi = (self.hi as usize).min(BUCKETS);
        (self.lo as usize).min(hi)..hi
    }

    /// Takes back one value recorded with [`LatencyHistogram::record`].
    pub fn unrecord(&mut self, us: u64) {
        let c = &mut self.counts[index(us)];
        debug_assert!(*c > 0, "unrecorded a value never recorded");
        *c = c.saturating_sub(1);
        self.total = self.total.saturating_sub(1);
    }

    /// Adds every count of `other` (histograms are mergeable).
    pub fn merge(&mut self, other: &LatencyHistogram) {
        if other.total == 0 {
            return;
        }
        let r = other.used();
        for (a, b) in self.counts[r.clone()].iter_mut().zip(&other.counts[r.clone()]) {
            *a += *b;
        }
        self.total += other.total;
        self.lo = self.lo.min(r.start as u32);
        self.hi = self.hi.max(r.end as u32);
    }

    /// Empties it for reuse.
    pub fn clear(&mut self) {
        if self.total > 0 || self.lo < self.hi {
            let r = self.used();
            self.counts[r].iter_mut().for_each(|c| *c = 0);
            self.total = 0;
        }
        self.lo = BUCKETS as u32;
        self.hi = 0;
    }

    /// Number of recorded values.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The `q`-quantile (0–1) in milliseconds: the midpoint of the bucket
    /// holding it. `None` when empty.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        let r = self.used();
        for (i, c) in self.counts[r.clone()].iter().enumerate().map(|(k, c)| (k + r.start, c)) {
            seen += *c as u64;
            if seen >= rank {
                let (lo, hi) = bounds(i);
                return Some((lo + hi) as f64 / 2.0 / 1_000.0);
            }
        }
        None
    }

    /// Mean in milliseconds, from bucket midpoints. `None` when empty.
    #[cfg(test)]
    pub fn mean_ms(&self) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let mut sum = 0.0;
        let r = self.used();
        for (i, c) in self.counts[r.clone()].iter().enumerate().map(|(k, c)| (k + r.start, c)) {
            if *c > 0 {
                let (lo, hi) = bounds(i);
                sum += *c as f64 * (lo + hi) as f64 / 2.0;
            }
        }
        Some(sum / self.total as f64 / 1_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_lands_inside_its_bucket() {
        for us in [0u64, 1, 15, 16, 17, 31, 32, 1000, 12_345, 1 << 30, (1 << 40) - 1] {
            let (lo, hi) = bounds(index(us));
            assert!(lo <= us && us < hi, "{us} not in [{lo},{hi})");
        }
        assert_eq!(index(u64::MAX), BUCKETS - 1);
    }

    #[test]
    fn quantiles_are_within_bucket_precision_of_exact() {
        // Uniform 1..=100_000 µs: exact p50 = 50 ms, p99 = 99 ms.
        let mut h = LatencyHistogram::new();
        for us in 1..=100_000u64 {
            h.record(us);
        }
        let p50 = h.quantile_ms(0.5).unwrap();
        let p99 = h.quantile_ms(0.99).unwrap();
        assert!((p50 - 50.0).abs() / 50.0 < 0.035, "{p50}");
        assert!((p99 - 99.0).abs() / 99.0 < 0.035, "{p99}");
        assert!((h.mean_ms().unwrap() - 50.0).abs() < 0.5);
    }

    #[test]
    fn the_range_in_use_follows_records_merges_and_clears() {
        let mut a = LatencyHistogram::new();
        let mut b = LatencyHistogram::new();
        for us in [900u64, 1_000, 1_100] {
            a.record(us);
        }
        for us in [2_000_000u64, 3_000_000] {
            b.record(us);
        }
        let mut all = LatencyHistogram::new();
        all.merge(&a);
        all.merge(&b);
        // Quantiles over disjoint ranges: the median is 1.1 ms's bucket, the max 3 s's.
        let (lo, hi) = bounds(index(1_100));
        assert_eq!(all.quantile_ms(0.5), Some((lo + hi) as f64 / 2_000.0));
        let (lo, hi) = bounds(index(3_000_000));
        assert_eq!(all.quantile_ms(1.0), Some((lo + hi) as f64 / 2_000.0));
        // Cleared and reused, nothing of the old values is left.
        all.clear();
        assert_eq!(all.quantile_ms(0.5), None);
        all.record(5);
        assert_eq!(all.quantile_ms(1.0), Some(5.5 / 1_000.0));
        assert_eq!(all.counts.iter().map(|&c| c as u64).sum::<u64>(), 1);
    }

    #[test]
    fn merge_equals_recording_everything_in_one() {
        let (mut a, mut b, mut all) = (
            LatencyHistogram::new(),
            LatencyHistogram::new(),
            LatencyHistogram::new(),
        );
        for us in 0..5000u64 {
            let v = us * 37 % 9000;
            if us % 3 == 0 {
                a.record(v)
            } else {
                b.record(v)
            }
            all.record(v);
        }
        a.merge(&b);
        assert_eq!(a, all);
    }
}
