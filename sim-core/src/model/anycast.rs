//! Anycast routing: which POP a client reaches, and which origin a Front
//! Door POP picks (AZURE_FACTS §1.2): only healthy origins; the lowest
//! priority; those within `latency_sensitivity` of the fastest; then weighted
//! round robin. When none is healthy, Front Door fails open.

use crate::scenario::AllUnhealthy;

/// An origin as one POP sees it.
#[derive(Clone, Copy, Debug)]
pub struct OriginView {
    /// Index of the region.
    pub region: usize,
    /// Priority 1–5.
    pub priority: u32,
    /// Weight 1–1000.
    pub weight: u32,
    /// Latency the POP measured to it, ms.
    pub latency_ms: f64,
    /// Enabled in the origin group.
    pub enabled: bool,
}

/// The weighted candidates a POP routes to, as (region, cumulative weight).
/// Rebuilt only when the POP's health view changes.
pub fn eligible(
    origins: &[OriginView],
    healthy: &[bool],
    sensitivity_ms: f64,
    all_unhealthy: AllUnhealthy,
) -> Vec<(usize, u32)> {
    let any_healthy = origins.iter().zip(healthy).any(|(o, h)| o.enabled && *h);
    let cand: Vec<&OriginView> = origins
        .iter()
        .zip(healthy)
        .filter(|(o, h)| o.enabled && (**h || !any_healthy))
        .map(|(o, _)| o)
        .collect();
    let cand: Vec<&OriginView> = if !any_healthy && all_unhealthy == AllUnhealthy::AllOrigins {
        // Fail-open: round-robin across every enabled origin, ignoring priority
        // and latency (AZURE_FACTS §1.3).
        cand
    } else {
        let best_prio = cand.iter().map(|o| o.priority).min().unwrap_or(1);
        let same: Vec<&OriginView> = cand.into_iter().filter(|o| o.priority == best_prio).collect();
        let fastest = same.iter().map(|o| o.latency_ms).fold(f64::INFINITY, f64::min);
        same.into_iter()
            .filter(|o| o.latency_ms <= fastest + sensitivity_ms)
            .collect()
    };
    let mut acc = 0u32;
    cand.iter()
        .map(|o| {
            acc += if !any_healthy && all_unhealthy == AllUnhealthy::AllOrigins {
                1
            } else {
                o.weight
            };
            (o.region, acc)
        })
        .collect()
}

/// Picks from an [`eligible`] table with a uniform number in [0, 1).
#[inline]
pub fn pick(table: &[(usize, u32)], u: f64) -> usize {
    let total = table.last().map(|x| x.1).unwrap_or(0);
    let x = (u * total as f64) as u32;
    for &(r, cum) in table {
        if x < cum {
            return r;
        }
    }
    table.last().map(|x| x.0).unwrap_or(0)
}

/// The first POP in `order` (nearest first) that is up.
#[inline]
pub fn nearest_up_pop(order: &[u16], pop_up: &[bool]) -> Option<usize> {
    order.iter().map(|&p| p as usize).find(|&p| pop_up[p])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(region: usize, priority: u32, weight: u32, latency_ms: f64) -> OriginView {
        OriginView {
            region,
            priority,
            weight,
            latency_ms,
            enabled: true,
        }
    }

    #[test]
    fn latency_bucket_example_from_the_docs() {
        // §1.2: origins at 15/30/60 ms, sensitivity 30 ms → 15 and 30 are used.
        let os = [o(0, 1, 50, 15.0), o(1, 1, 50, 30.0), o(2, 1, 50, 60.0)];
        let t = eligible(&os, &[true; 3], 30.0, AllUnhealthy::AllOrigins);
        assert_eq!(t, vec![(0, 50), (1, 100)]);
    }

    #[test]
    fn priority_then_fail_open() {
        let os = [o(0, 1, 50, 10.0), o(1, 2, 50, 10.0)];
        assert_eq!(
            eligible(&os, &[true, true], 0.0, AllUnhealthy::AllOrigins),
            vec![(0, 50)]
        );
        assert_eq!(
            eligible(&os, &[false, true], 0.0, AllUnhealthy::AllOrigins),
            vec![(1, 50)]
        );
        assert_eq!(
            eligible(&os, &[false, false], 0.0, AllUnhealthy::AllOrigins),
            vec![(0, 1), (1, 2)]
        );
        assert_eq!(
            eligible(&os, &[false, false], 0.0, AllUnhealthy::HonourPriority),
            vec![(0, 50)]
        );
    }

    #[test]
    fn weights_split_traffic() {
        let os = [o(0, 1, 750, 10.0), o(1, 1, 250, 30.0)];
        let t = eligible(&os, &[true, true], 50.0, AllUnhealthy::AllOrigins);
        let n = 1000;
        let zeros = (0..n).filter(|k| pick(&t, (*k as f64 + 0.5) / n as f64) == 0).count();
        assert_eq!(zeros, 750);
    }

    #[test]
    fn nearest_pop_skips_down_ones() {
        assert_eq!(nearest_up_pop(&[2, 0, 1], &[true, true, false]), Some(0));
        assert_eq!(nearest_up_pop(&[2], &[false, false, false]), None);
    }
}
