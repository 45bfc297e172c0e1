//! Traffic-Manager-style DNS answers and the client-side resolver cache.
//!
//! [`answer`] is a pure function of the endpoints, the router's current
//! health view and a uniform random number: which region a DNS query gets.
//! [`ResolverCache`] is one client's cached answer with its expiry.

use crate::scenario::DnsMethod;
use crate::time::SimTime;

/// One endpoint as the DNS router sees it.
#[derive(Clone, Debug)]
pub struct DnsTarget {
    /// Index of the region in the scenario.
    pub region: usize,
    /// Priority (lower wins).
    pub priority: u32,
    /// Weight.
    pub weight: u32,
}

/// The region index a query gets. `healthy[i]` is the router's view of
/// `targets[i]`; `rtt_ms[i]` the latency from the querying population;
/// `geo_match[i]` whether target i is mapped to it. When every endpoint is
/// degraded, all are treated as healthy (fail-open, AZURE_FACTS §2).
/// Geographic routing returns the mapped endpoint whatever its health.
pub fn answer(
    method: DnsMethod,
    targets: &[DnsTarget],
    healthy: &[bool],
    rtt_ms: &[f64],
    geo_match: &[bool],
    u: f64,
) -> usize {
    let any = healthy.iter().any(|h| *h);
    let ok = |i: usize| !any || healthy[i];
    match method {
        DnsMethod::Geographic => {
            let i = geo_match.iter().position(|m| *m).unwrap_or(0);
            targets[i].region
        }
        DnsMethod::Priority => {
            let best = (0..targets.len())
                .filter(|&i| ok(i))
                .min_by_key(|&i| targets[i].priority)
                .unwrap_or(0);
            targets[best].region
        }
        DnsMethod::Performance => {
            let mut best = usize::MAX;
            for i in (0..targets.len()).filter(|&i| ok(i)) {
                if best == usize::MAX || rtt_ms[i] < rtt_ms[best] {
                    best = i;
                }
            }
            targets[best.min(targets.len() - 1)].region
        }
        DnsMethod::Weighted => {
            let total: u64 = (0..targets.len())
                .filter(|&i| ok(i))
                .map(|i| targets[i].weight as u64)
                .sum();
            let mut x = u * total as f64;
            let mut last = 0;
            for i in (0..targets.len()).filter(|&i| ok(i)) {
                last = i;
                x -= targets[i].weight as f64;
                if x < 0.0 {
                    return targets[i].region;
                }
            }
            targets[last].region
        }
    }
}

/// The hold of an answer that is never given up (`DnsClass::Forever`).
pub const FOREVER: crate::time::SimDuration = crate::time::SimDuration(u64::MAX / 4);

/// One client's cached DNS answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResolverCache {
    /// Cached region index (valid only while `expires` is in the future).
    pub region: u16,
    /// When the cached answer stops being used.
    pub expires: SimTime,
}

impl ResolverCache {
    /// The cached region if the entry is still used at `now`.
    #[inline]
    pub fn lookup(&self, now: SimTime) -> Option<usize> {
        (now < self.expires).then_some(self.region as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Vec<DnsTarget> {
        vec![
            DnsTarget {
                region: 0,
                priority: 1,
                weight: 3,
            },
            DnsTarget {
                region: 1,
                priority: 2,
                weight: 1,
            },
        ]
    }

    #[test]
    fn priority_fails_over_and_fails_open() {
        let rtt = [10.0, 20.0];
        let g = [false, false];
        assert_eq!(answer(DnsMethod::Priority, &t(), &[true, true], &rtt, &g, 0.5), 0);
        assert_eq!(answer(DnsMethod::Priority, &t(), &[false, true], &rtt, &g, 0.5), 1);
        assert_eq!(
            answer(DnsMethod::Priority, &t(), &[false, false], &rtt, &g, 0.5),
            0,
            "fail-open"
        );
    }

    #[test]
    fn weighted_splits_by_weight_among_healthy() {
        let rtt = [0.0; 2];
        let g = [false; 2];
        let n = 10_000;
        let zeros = (0..n)
            .filter(|k| {
                answer(
                    DnsMethod::Weighted,
                    &t(),
                    &[true, true],
                    &rtt,
                    &g,
                    (*k as f64 + 0.5) / n as f64,
                ) == 0
            })
            .count();
        assert_eq!(zeros, 7_500);
        assert_eq!(answer(DnsMethod::Weighted, &t(), &[true, false], &rtt, &g, 0.99), 0);
    }

    #[test]
    fn performance_picks_lowest_rtt_and_geographic_ignores_health() {
        assert_eq!(
            answer(
                DnsMethod::Performance,
                &t(),
                &[true, true],
                &[30.0, 20.0],
                &[false; 2],
                0.1
            ),
            1
        );
        assert_eq!(
            answer(
                DnsMethod::Geographic,
                &t(),
                &[true, false],
                &[0.0; 2],
                &[false, true],
                0.1
            ),
            1
        );
    }

    #[test]
    fn cache_expires() {
        let c = ResolverCache {
            region: 1,
            expires: SimTime(100),
        };
        assert_eq!(c.lookup(SimTime(99)), Some(1));
        assert_eq!(c.lookup(SimTime(100)), None);
    }
}
