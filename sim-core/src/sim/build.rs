//! Building a run from a validated scenario: each region's stamp, each
//! population's clients and distances, the router's runtime state, the data
//! tier, the recorder; then the first events (arrivals, probes with random
//! phases, faults, autoscale, the first tick).

use super::population::PopulationRt;
use super::region::{RegionRt, Work};
use super::request::Jobs;
use super::routers::{leg_us, CrossRegionLbRt, FrontDoorPop, FrontDoorRt, Router, TrafficManagerRt};
use super::{Ev, Sim};
use crate::engine::{DelayLines, EventQueue, SimRng, Streams};
use crate::metrics::recorder::{Recorder, Span};
use crate::metrics::report::{AttackSummary, BypassSummary};
use crate::metrics::summary::{self, DataTotals, FaultTrack};
use crate::model::anycast::OriginView;
use crate::model::arrivals::Arrivals;
use crate::model::clients::{Client, DnsClass, StaleHold};
use crate::model::data::DataStore;
use crate::model::dns::{self, DnsTarget, ResolverCache, FOREVER};
use crate::model::faults::RegionCondition;
use crate::model::geo::{self, Place};
use crate::model::guards::Guards;
use crate::model::probes::{FailureCounter, LatencyAverage, ProbeWindow};
use crate::model::stamp::{ServiceSampler, Stamp};
use crate::scenario::*;
use crate::time::{SimDuration, SimTime};
use std::collections::VecDeque;

impl Sim {
    /// Validates `scenario` and assembles the simulation at time zero.
    pub fn new(scenario: Scenario) -> Result<Sim, ScenarioError> {
        scenario.validate()?;
        let mut sc = scenario;
        // Random faults join the scheduled ones (and are reported like them).
        if let Some(r) = sc.reliability.clone() {
            let drawn = r.schedule(&sc, sc.seed);
            sc.faults.extend(drawn);
        }
        let seed = sc.seed;
        let end = SimTime(sc.duration.as_micros());
        let region_index = |name: &str| sc.regions.iter().position(|r| r.name == name).unwrap_or(0);

        // Regions.
        let mut regions = Vec::with_capacity(sc.regions.len());
        for r in &sc.regions {
            let place = geo::region_place(&r.name).unwrap_or(&geo::REGIONS[0]);
            let init = r.instances.initial;
            regions.push(RegionRt {
                place,
                stamp: Stamp::new(r.dispatch, r.queue_limit_per_instance),
                cond: RegionCondition::default(),
                life: 0,
                kill: 0,
                dispatch: r.dispatch,
                retry_after_us: r.retry_after.map_or(0, |d| d.as_micros()),
                wiped_at: 0,
                workers: r.workers_per_instance,
                request_timeout_us: r.request_timeout.as_micros(),
                service: ServiceSampler::new(&r.service_time),
                rng: SimRng::stream(seed, &format!("service/{}", r.name)),
                rng_dispatch: SimRng::stream(seed, &format!("dispatch/{}", r.name)),
                drained: false,
                serving: init,
                provisioning: 0,
                min: r.instances.min.unwrap_or(init),
                max: r.instances.max.unwrap_or(r.sku.max_instances()),
                autoscale: r.autoscale.clone(),
                cooldown_until: SimTime::ZERO,
                healthy_viewers: 1,
                viewers: 1,
                instance_seconds: 0.0,
                last_instance_change: SimTime::ZERO,
                work: Work::default(),
                in_service: VecDeque::new(),
                data_us_sum: 0,
                data_calls: 0,
            });
        }

        let depth = sc.health.depth;
        let probe_service_us = sc
            .health
            .service_time
            .unwrap_or(match depth {
                HealthDepth::Shallow => SimDuration::from_millis(1),
                HealthDepth::Deep => SimDuration::from_millis(10),
            })
            .as_micros();

        // Router.
        let router = match &sc.routing {
            Routing::Direct(d) => Router::Direct(region_index(&d.region)),
            Routing::Dns(d) => {
                let targets: Vec<DnsTarget> = d
                    .endpoints
                    .iter()
                    .enumerate()
                    .map(|(i, e)| DnsTarget {
                        region: region_index(&e.region),
                        priority: e.priority.unwrap_or(i as u32 + 1),
                        weight: e.weight,
                    })
                    .collect();
                let monitors: Vec<&'static Place> =
                    d.monitoring_locations.iter().filter_map(|m| geo::place(m)).collect();
                let n = monitors.len() * targets.len();
                Router::Dns(TrafficManagerRt {
                    cfg: d.clone(),
                    healthy: vec![true; targets.len()],
                    counters: vec![FailureCounter::new(d.tolerated_failures); n],
                    targets,
                    monitors,
                })
            }
            Routing::AnycastL7(f) => {
                let names: Vec<String> = if f.pops.is_empty() {
                    geo::METROS.iter().map(|m| m.name.to_string()).collect()
                } else {
                    f.pops.clone()
                };
                let origins: Vec<OriginView> = f
                    .origins
                    .iter()
                    .map(|o| OriginView {
                        region: region_index(&o.region),
                        priority: o.priority,
                        weight: o.weight,
                        latency_ms: 0.0,
                        enabled: o.enabled,
                    })
                    .collect();
                let pops: Vec<FrontDoorPop> = names
                    .iter()
                    .filter_map(|n| geo::place(n))
                    .map(|place| FrontDoorPop {
                        place,
                        windows: vec![ProbeWindow::new(f.sample_size, f.successful_samples); origins.len()],
                        // Before the run the POP has been probing idle
                        // origins: a fresh connection's round trips, the
                        // request's, and the health endpoint's service.
                        latency: origins
                            .iter()
                            .map(|o| {
                                let rtt = geo::rtt_between(&sc.rtt, place, regions[o.region].place);
                                let idle = rtt * (f.probe_handshake_round_trips + 1) as f64
                                    + probe_service_us as f64 / 1_000.0;
                                LatencyAverage::new(f.sample_size, idle)
                            })
                            .collect(),
                        table: Vec::new(),
                        rtt_region_ms: regions
                            .iter()
                            .map(|r| geo::rtt_between(&sc.rtt, place, r.place))
                            .collect(),
                        half_region_us: regions
                            .iter()
                            .map(|r| leg_us(geo::rtt_between(&sc.rtt, place, r.place)).1)
                            .collect(),
                    })
                    .collect();
                let mut fd = FrontDoorRt {
                    cfg: f.clone(),
                    origins,
                    pop_up: vec![true; pops.len()],
                    pops,
                };
                for p in 0..fd.pops.len() {
                    fd.rebuild(p);
                }
                Router::FrontDoor(fd)
            }
            Routing::AnycastL4(l) => {
                let backends: Vec<usize> = l.backends.iter().map(|b| region_index(b)).collect();
                Router::CrossRegionLb(CrossRegionLbRt {
                    cfg: l.clone(),
                    counters: vec![FailureCounter::new(l.probe_threshold.saturating_sub(1)); backends.len()],
                    global_view: vec![true; backends.len()],
                    backends,
                })
            }
        };

        // Populations.
        let mut populations = Vec::with_capacity(sc.populations.len());
        let mut client_base: u32 = 0;
        for p in &sc.populations {
            let place = geo::place(&p.location).unwrap_or(&geo::METROS[0]);
            let access = p.access_rtt.as_millis_f64();
            let rtt_region_ms: Vec<f64> = regions
                .iter()
                .map(|r| geo::rtt_between(&sc.rtt, place, r.place) + access)
                .collect();
            let (pop_order, rtt_pop_ms) = match &router {
                Router::FrontDoor(fd) => {
                    let rtts: Vec<f64> = fd
                        .pops
                        .iter()
                        .map(|x| geo::rtt_between(&sc.rtt, place, x.place) + access)
                        .collect();
                    let mut order: Vec<u16> = (0..fd.pops.len() as u16).collect();
                    order.sort_by(|a, b| rtts[*a as usize].total_cmp(&rtts[*b as usize]).then(a.cmp(b)));
                    (order, rtts)
                }
                _ => (Vec::new(), Vec::new()),
            };
            let (geo_match, dns_rtt_ms) = match &sc.routing {
                Routing::Dns(d) => (
                    d.endpoints
                        .iter()
                        .map(|e| e.geo.iter().any(|g| g == "*" || *g == p.name || *g == p.location))
                        .collect(),
                    d.endpoints
                        .iter()
                        .map(|e| rtt_region_ms[region_index(&e.region)])
                        .collect(),
                ),
                _ => (Vec::new(), Vec::new()),
            };
            let mut rng_dns = SimRng::stream(seed, &format!("dns/{}", p.name));
            let clients = (0..p.clients as usize)
                .map(|_| {
                    let class = DnsClass::sample(&p.dns, rng_dns.unit());
                    let cache = match &router {
                        Router::Dns(tm) => initial_answer(tm, &p.dns, class, &dns_rtt_ms, &geo_match, &mut rng_dns),
                        _ => ResolverCache::default(),
                    };
                    Client {
                        class,
                        cache,
                        ..Client::default()
                    }
                })
                .collect();
            populations.push(PopulationRt {
                timeout_us: p.timeout.as_micros(),
                connect_timeout_us: p.connect_timeout.as_micros(),
                handshake: p.handshake_round_trips,
                attempts: p.retry.attempts,
                retry: p.retry.clone(),
                guards: Guards::of(&p.retry, p.clients as usize),
                keepalive: p.keepalive.clone(),
                dns: p.dns.clone(),
                rate: p.rate.clone(),
                arrivals: Arrivals::new(&p.rate, sc.duration),
                rng_arrival: SimRng::stream(seed, &format!("arrivals/{}", p.name)),
                rng_route: SimRng::stream(seed, &format!("routing/{}", p.name)),
                rng_retry: SimRng::stream(seed, &format!("retry/{}", p.name)),
                rng_dns,
                clients,
                leg_region_us: rtt_region_ms.iter().map(|&x| leg_us(x)).collect(),
                leg_pop_us: rtt_pop_ms.iter().map(|&x| leg_us(x)).collect(),
                rtt_region_ms,
                pop_order,
                geo_match,
                dns_rtt_ms,
                write_share: p.write_share,
                rng_data: SimRng::stream(seed, &format!("data/{}", p.name)),
                ahead: None,
                next_client: 0,
                next_op_seed: 0,
                client_base,
                bypass_share: p.bypass_share,
                rng_bypass: SimRng::stream(seed, &format!("bypass/{}", p.name)),
                attack_share: p.attack_share,
                rng_attack: SimRng::stream(seed, &format!("attack/{}", p.name)),
            });
            client_base = client_base.saturating_add(p.clients as u32);
        }

        // Recorder: nothing is recorded further ahead than a request timeout
        // plus the longest client timeout.
        let bucket_us = sc
            .bucket
            .as_micros()
            .max(sc.duration.as_micros().div_ceil(sc.max_points as u64));
        let max_client = populations.iter().map(|p| p.timeout_us).max().unwrap_or(0) + 1_000_000;
        let max_req = regions.iter().map(|r| r.request_timeout_us).max().unwrap_or(0);
        // Latency before/during/after is kept for the first faults only: a
        // histogram set per fault per bucket would cost O(faults) per second.
        let spans: Vec<Span> = sc
            .faults
            .iter()
            .take(summary::PHASED_FAULTS)
            .map(|f| Span {
                start_us: f.start().as_micros(),
                end_us: (f.start() + f.duration()).as_micros(),
            })
            .collect();
        let rec = Recorder::new(
            sc.populations.iter().map(|p| p.name.clone()).collect(),
            sc.regions.iter().map(|r| r.name.clone()).collect(),
            bucket_us,
            end.0,
            2 * max_req + max_client,
            max_client,
            spans,
        );
        let tracks = sc.faults.iter().map(FaultTrack::new).collect();
        let data = sc.data.as_ref().map(|d| {
            let rtt: Vec<Vec<f64>> = regions
                .iter()
                .map(|a| {
                    regions
                        .iter()
                        .map(|b| geo::rtt_between(&sc.rtt, a.place, b.place))
                        .collect()
                })
                .collect();
            DataStore::new(&sc, d, &rtt)
        });
        // What the edge design enforces (only Front Door has an edge to lock to).
        let front_door = matches!(sc.routing, Routing::AnycastL7(_));
        let origin_locked = front_door && sc.design.as_ref().is_some_and(Design::origins_locked);
        let waf_blocks_attacks = front_door && sc.design.as_ref().is_some_and(Design::managed_rules_active);
        let data_totals = DataTotals {
            configuration: sc
                .data
                .as_ref()
                .map(|d| format!("{:?}/{:?}", d.write_mode, d.consistency).to_lowercase())
                .unwrap_or_default(),
            lost_by_fault: vec![0; sc.faults.len()],
            // §5.4: strong and bounded-staleness reads use two replicas (2× RU).
            read_ru: match sc.data.as_ref().map(|d| d.consistency) {
                Some(Consistency::Strong) | Some(Consistency::BoundedStaleness) => 2.0,
                _ => 1.0,
            },
            ..Default::default()
        };

        let mut sim = Sim {
            faults_active: vec![false; sc.faults.len()],
            tracks,
            q: EventQueue::new(),
            arrivals: Streams::default(),
            lines: DelayLines::default(),
            end,
            end_s: end.as_secs_f64(),
            regions,
            populations,
            router,
            pending: Vec::new(),
            free_pending: Vec::new(),
            rec,
            rng_probe: SimRng::stream(seed, "probes"),
            probe_service_us,
            depth,
            probes_sent: 0,
            events: 0,
            audit: None,
            data,
            data_totals,
            bypass: BypassSummary {
                region: sc.regions.first().map(|r| r.name.clone()).unwrap_or_default(),
                ..BypassSummary::default()
            },
            origin_locked,
            attacks: AttackSummary::default(),
            waf_blocks_attacks,
            rng_replication: SimRng::stream(seed, "replication"),
            jobs: Jobs::default(),
            origin_timeout_us: match &sc.routing {
                Routing::AnycastL7(f) => f.origin_response_timeout.as_micros(),
                _ => 0,
            },
            scenario: sc,
        };
        for r in 0..sim.regions.len() {
            sim.reconcile(r, 0);
        }
        sim.schedule_initial();
        Ok(sim)
    }

    pub(super) fn schedule_initial(&mut self) {
        for p in 0..self.populations.len() {
            self.schedule_first_arrival(p);
        }
        for (i, f) in self.scenario.faults.iter().enumerate() {
            self.q
                .schedule(SimTime(f.start().as_micros()), Ev::FaultStart(i as u16));
            self.q
                .schedule(SimTime((f.start() + f.duration()).as_micros()), Ev::FaultEnd(i as u16));
        }
        // Probes: every prober probes every target on its own schedule, with a
        // random phase within the first interval.
        let (probers, targets, interval) = self.prober_shape();
        for pr in 0..probers {
            for t in 0..targets {
                let phase = (self.rng_probe.unit() * interval as f64) as u64;
                self.q.schedule(
                    SimTime(phase),
                    Ev::Probe {
                        prober: pr as u16,
                        target: t as u16,
                    },
                );
            }
        }
        self.init_viewers();
        if let Router::CrossRegionLb(l) = &self.router {
            let i = l.cfg.global_probe_interval.as_micros();
            let phase = (self.rng_probe.unit() * i as f64) as u64;
            self.q.schedule(SimTime(phase), Ev::L4GlobalPoll);
        }
        for r in 0..self.regions.len() {
            if let Some(a) = &self.regions[r].autoscale {
                let first = a.evaluation_interval;
                self.q.schedule(SimTime(first.as_micros()), Ev::Autoscale(r as u16));
            }
        }
        self.q.schedule(SimTime(self.rec.bucket_us.min(self.end.0)), Ev::Tick);
    }

    pub(super) fn init_viewers(&mut self) {
        for r in &mut self.regions {
            r.viewers = 1;
            r.healthy_viewers = 1;
        }
        let mut counts = vec![0u32; self.regions.len()];
        match &self.router {
            Router::Direct(_) => {}
            Router::Dns(tm) => {
                for t in &tm.targets {
                    counts[t.region] += tm.monitors.len() as u32;
                }
            }
            Router::FrontDoor(fd) => {
                for o in fd.origins.iter().filter(|o| o.enabled) {
                    counts[o.region] += fd.pops.len() as u32;
                }
            }
            Router::CrossRegionLb(l) => {
                for &b in &l.backends {
                    counts[b] += 1;
                }
            }
        }
        for (r, c) in counts.into_iter().enumerate() {
            if c > 0 {
                self.regions[r].viewers = c;
                self.regions[r].healthy_viewers = c;
            }
        }
    }
}

/// A client's DNS answer when the run starts, in its steady state: the
/// population has been resolving long before (AZURE_FACTS §7.1's
/// measurement is of clients in that state). The answer is the router's
/// with every endpoint healthy; the time left on it is the hold's
/// equilibrium residual (uniform over the TTL for clients that honour it; see
/// `model::clients` for stale holders), so a change at any time finds the
/// population as `model::clients::share_on_old_answer` says.
fn initial_answer(
    tm: &TrafficManagerRt,
    b: &DnsBehaviour,
    class: DnsClass,
    dns_rtt_ms: &[f64],
    geo_match: &[bool],
    rng: &mut SimRng,
) -> ResolverCache {
    let region = dns::answer(
        tm.cfg.method,
        &tm.targets,
        &tm.healthy,
        dns_rtt_ms,
        geo_match,
        rng.unit(),
    );
    let ttl = tm.cfg.ttl.as_secs_f64();
    let left = match class {
        DnsClass::HonoursTtl => SimDuration::from_secs_f64(ttl * rng.unit()),
        DnsClass::Stale => SimDuration::from_secs_f64(StaleHold::of(b).residual_s(ttl, rng.unit())),
        DnsClass::Forever => FOREVER,
    };
    ResolverCache {
        region: region as u16,
        expires: SimTime::ZERO + left,
    }
}
