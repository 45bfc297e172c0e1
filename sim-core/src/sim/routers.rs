//! The global routers at run time — Traffic Manager's DNS answers, Front
//! Door's POPs and their origin tables, the cross-region load balancer's
//! views — and [`Sim::route`]: where a client's try goes, from the client's
//! state and the router's view at the moment it is sent.

use super::population::PopulationRt;
use super::Sim;
use crate::model::anycast::{self, OriginView};
use crate::model::clients::{DnsClass, StaleHold};
use crate::model::dns::{self, DnsTarget, ResolverCache, FOREVER};
use crate::model::geo::Place;
use crate::model::probes::{FailureCounter, LatencyAverage, ProbeWindow};
use crate::scenario::{CrossRegionLbRouting, DnsRouting, FrontDoorRouting};
use crate::time::{SimDuration, SimTime};
#[derive(Clone)]
pub(super) struct TrafficManagerRt {
    pub cfg: DnsRouting,
    pub targets: Vec<DnsTarget>,
    pub monitors: Vec<&'static Place>,
    /// [monitor × target]
    pub counters: Vec<FailureCounter>,
    /// Per target: the router's (majority) view.
    pub healthy: Vec<bool>,
}
#[derive(Clone)]
pub(super) struct FrontDoorPop {
    pub place: &'static Place,
    /// Per origin: the health window.
    pub windows: Vec<ProbeWindow>,
    /// Per origin: the latency its probes measured (ms, moving mean).
    pub latency: Vec<LatencyAverage>,
    pub table: Vec<(usize, u32)>,
    /// RTT to each region, ms.
    pub rtt_region_ms: Vec<f64>,
    /// Half of it (one way), µs.
    pub half_region_us: Vec<u64>,
}
#[derive(Clone)]
pub(super) struct FrontDoorRt {
    pub cfg: FrontDoorRouting,
    pub origins: Vec<OriginView>,
    pub pops: Vec<FrontDoorPop>,
    /// Per POP: it is up (not in a POP outage).
    pub pop_up: Vec<bool>,
}

impl FrontDoorRt {
    /// Rebuilds POP `p`'s origin table from its probes' view: their health
    /// and the latency they measured (AZURE_FACTS §1.2).
    pub fn rebuild(&mut self, p: usize) {
        let pop = &self.pops[p];
        let healthy: Vec<bool> = pop.windows.iter().map(|w| w.healthy()).collect();
        let views: Vec<OriginView> = self
            .origins
            .iter()
            .zip(&pop.latency)
            .map(|(o, l)| OriginView {
                latency_ms: l.mean_ms(),
                ..*o
            })
            .collect();
        let table = anycast::eligible(
            &views,
            &healthy,
            self.cfg.latency_sensitivity.as_millis_f64(),
            self.cfg.all_unhealthy,
        );
        self.pops[p].table = table;
    }
}
#[derive(Clone)]
pub(super) struct CrossRegionLbRt {
    pub cfg: CrossRegionLbRouting,
    pub backends: Vec<usize>,
    pub counters: Vec<FailureCounter>,
    pub global_view: Vec<bool>,
}
#[derive(Clone)]
pub(super) enum Router {
    Direct(usize),
    Dns(TrafficManagerRt),
    FrontDoor(FrontDoorRt),
    CrossRegionLb(CrossRegionLbRt),
}

/// Where a try goes and how it gets there (times in µs).
#[derive(Clone, Copy, Debug)]
pub(super) struct Route {
    /// The region whose stamp serves it.
    pub region: usize,
    /// The client's leg to its entry point (the POP, or the stamp): one round
    /// trip, and one way.
    pub entry_rtt_us: u64,
    pub entry_half_us: u64,
    /// One way from the POP to the stamp over the backbone (0 without a POP).
    pub backbone_half_us: u64,
    /// Time spent before sending (a DNS lookup).
    pub extra_us: u64,
    /// A new connection (handshake round trips first).
    pub new_conn: bool,
    /// What the client's connection goes to (region or POP index).
    pub conn_target: usize,
    /// The Front Door POP on the path.
    pub pop: Option<usize>,
}

impl Route {
    /// Straight to region `r`'s stamp from population `pop`.
    #[inline]
    pub fn to_region(pop: &PopulationRt, r: usize, new_conn: bool, extra_us: u64) -> Route {
        Route {
            region: r,
            entry_rtt_us: pop.leg_region_us[r].0,
            entry_half_us: pop.leg_region_us[r].1,
            backbone_half_us: 0,
            extra_us,
            new_conn,
            conn_target: r,
            pop: None,
        }
    }

    /// To Front Door POP `pi` (`fd`), then to region `r` over the backbone.
    #[inline]
    pub fn via_pop(pop: &PopulationRt, fd: &FrontDoorRt, pi: usize, r: usize, new_conn: bool) -> Route {
        Route {
            region: r,
            entry_rtt_us: pop.leg_pop_us[pi].0,
            entry_half_us: pop.leg_pop_us[pi].1,
            backbone_half_us: fd.pops[pi].half_region_us[r],
            extra_us: 0,
            new_conn,
            conn_target: pi,
            pop: Some(pi),
        }
    }
}

/// A leg's round trip in ms as (round trip, one way) in µs.
#[inline]
pub(super) fn leg_us(rtt_ms: f64) -> (u64, u64) {
    ((rtt_ms * 1_000.0) as u64, (rtt_ms / 2.0 * 1_000.0) as u64)
}

impl Sim {
    /// Where client `ci` of population `p` sends a try at `now`: its live
    /// keep-alive connection; else its DNS cache (or a fresh answer); or the
    /// nearest up POP and that POP's origin table; or the nearest healthy
    /// cross-region backend. None when no POP is up at all.
    pub(super) fn route(&mut self, p: usize, ci: usize, now: SimTime) -> Option<Route> {
        let pop = &mut self.populations[p];
        let live = pop.clients[ci].live_connection(now, &pop.keepalive);
        match &mut self.router {
            Router::Direct(r) => Some(Route::to_region(pop, *r, live != Some(*r), 0)),
            Router::Dns(tm) => {
                if let Some(r) = live {
                    return Some(Route::to_region(pop, r, false, 0));
                }
                let c = &mut pop.clients[ci];
                // Connections that keep failing make a client look the name
                // up again (not one that never re-resolves).
                let n = pop.dns.reresolve_after_failures;
                if n > 0 && c.conn_failures as u32 >= n && c.class != DnsClass::Forever {
                    c.cache.expires = now;
                    c.conn_failures = 0;
                }
                let (r, extra) = match c.cache.lookup(now) {
                    Some(r) => (r, 0),
                    None => {
                        let u = pop.rng_route.unit();
                        let r = dns::answer(
                            tm.cfg.method,
                            &tm.targets,
                            &tm.healthy,
                            &pop.dns_rtt_ms,
                            &pop.geo_match,
                            u,
                        );
                        let hold = match c.class {
                            DnsClass::HonoursTtl => tm.cfg.ttl,
                            DnsClass::Forever => FOREVER,
                            DnsClass::Stale => {
                                let x = StaleHold::of(&pop.dns).extra_s(pop.rng_dns.unit());
                                tm.cfg.ttl + SimDuration::from_secs_f64(x)
                            }
                        };
                        c.cache = ResolverCache {
                            region: r as u16,
                            expires: now + hold,
                        };
                        (r, tm.cfg.lookup_time.as_micros())
                    }
                };
                Some(Route::to_region(pop, r, true, extra))
            }
            Router::FrontDoor(fd) => {
                let pi = anycast::nearest_up_pop(&pop.pop_order, &fd.pop_up)?;
                let u = pop.rng_route.unit();
                let r = anycast::pick(&fd.pops[pi].table, u);
                Some(Route::via_pop(pop, fd, pi, r, live != Some(pi)))
            }
            Router::CrossRegionLb(l) => {
                if let Some(r) = live {
                    if l.backends.iter().zip(&l.global_view).any(|(b, v)| *b == r && *v) {
                        return Some(Route::to_region(pop, r, false, 0));
                    }
                }
                let mut best: Option<usize> = None;
                for (i, &b) in l.backends.iter().enumerate() {
                    if l.global_view[i] && best.is_none_or(|x| pop.rtt_region_ms[b] < pop.rtt_region_ms[x]) {
                        best = Some(b);
                    }
                }
                best.map(|r| Route::to_region(pop, r, true, 0))
            }
        }
    }
}
