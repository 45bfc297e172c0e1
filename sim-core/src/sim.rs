//! The simulation: assembles the models from a validated [`Scenario`], owns
//! the clock and the event queue, and runs requests, probes, faults and
//! autoscale until the end of the run.
//!
//! Per request the work is allocation-free: one arrival event, closed-form
//! routing and queueing, and an event only when a retry is needed.

use crate::engine::{EventQueue, SimRng};
use crate::metrics::recorder::{Recorder, RegionGauges, Span};
use crate::metrics::report::{AttackSummary, BypassSummary, FailCause, RegionStatus, Report};
use crate::metrics::summary::{self, DataTotals, FaultTrack};
use crate::model::anycast::{self, OriginView};
use crate::model::autoscale::{self, Decision};
use crate::model::clients::{self, Client, DnsClass};
use crate::model::data::{DataStore, ReadOutcome};
use crate::model::dns::{self, DnsTarget, ResolverCache};
use crate::model::faults::{ProbeVerdict, RegionCondition};
use crate::model::geo::{self, Place};
use crate::model::probes::{FailureCounter, ProbeWindow};
use crate::model::stamp::{Admission, Station};
use crate::scenario::*;
use crate::time::{SimDuration, SimTime};
use rand_distr::{Distribution, Exp1, LogNormal};

/// A pending event. Small and `Copy`: indices into the simulation's arenas.
#[derive(Clone, Copy, Debug)]
enum Ev {
    Arrival(u16),
    Retry(u32),
    Probe { prober: u16, target: u16 },
    ProbeResult { prober: u16, target: u16, ok: bool },
    L4GlobalPoll,
    FaultStart(u16),
    FaultEnd(u16),
    Autoscale(u16),
    InstanceReady(u16),
    WarmupDone(u16),
    Tick,
}

#[derive(Clone, Copy)]
struct PendingRetry {
    population: u16,
    client: u32,
    attempt: u32,
    first: SimTime,
}

enum ServiceSampler {
    Exp(f64),
    LogNormal(LogNormal<f64>),
    Const(u64),
}

impl ServiceSampler {
    fn new(s: &ServiceTime) -> Self {
        match s {
            ServiceTime::Exponential { mean } => ServiceSampler::Exp(mean.as_micros() as f64),
            ServiceTime::Constant { value } => ServiceSampler::Const(value.as_micros()),
            ServiceTime::Lognormal { median, p99 } => {
                let sigma = lognormal_sigma(*median, *p99);
                let mu = libm::log(median.as_micros().max(1) as f64);
                match LogNormal::new(mu, sigma) {
                    Ok(d) => ServiceSampler::LogNormal(d),
                    Err(_) => ServiceSampler::Const(median.as_micros()),
                }
            }
        }
    }
    #[inline]
    fn sample(&self, rng: &mut SimRng, cap: u64) -> u64 {
        let v = match self {
            ServiceSampler::Exp(mean) => {
                let e: f64 = Exp1.sample(rng.inner());
                (e * mean) as u64
            }
            ServiceSampler::LogNormal(d) => d.sample(rng.inner()) as u64,
            ServiceSampler::Const(c) => *c,
        };
        v.clamp(1, cap)
    }
}

struct RegionRt {
    place: &'static Place,
    station: Station,
    cond: RegionCondition,
    /// Starts of faults that lose in-flight work (outages), sorted.
    kill_times: Vec<u64>,
    workers: u32,
    queue_per_instance: u32,
    request_timeout_us: u64,
    service: ServiceSampler,
    rng: SimRng,
    serving: u32,
    warming: u32,
    provisioning: u32,
    min: u32,
    max: u32,
    autoscale: Option<Autoscale>,
    cooldown_until: SimTime,
    /// Routers/POPs/monitors that see the region healthy, of `viewers`.
    healthy_viewers: u32,
    viewers: u32,
    instance_seconds: f64,
    last_instance_change: SimTime,
}

impl RegionRt {
    fn target_slots(&self) -> usize {
        if self.cond.down {
            return 0;
        }
        let warm_workers = self
            .autoscale
            .as_ref()
            .map(|a| libm::ceil(self.workers as f64 * a.warmup_capacity) as u32)
            .unwrap_or(self.workers);
        let full = self.serving - self.warming;
        let slots = full as f64 * self.workers as f64 + self.warming as f64 * warm_workers as f64;
        (slots * (1.0 - self.cond.capacity_lost)).floor() as usize
    }
    fn queue_limit(&self) -> usize {
        (self.queue_per_instance as usize) * (self.serving.max(1) as usize)
    }
    fn reconcile(&mut self, now: SimTime) {
        let target = self.target_slots();
        self.station.resize(now.0, target);
    }
    fn note_instances(&mut self, now: SimTime) {
        let dt = now.since(self.last_instance_change).as_secs_f64();
        if !self.cond.down {
            self.instance_seconds += dt * self.serving as f64;
        }
        self.last_instance_change = now;
    }
    /// True when an outage starts in (from, to].
    #[inline]
    fn killed_between(&self, from: u64, to: u64) -> bool {
        self.kill_times.iter().any(|&k| k > from && k <= to)
    }
}

struct PopulationRt {
    timeout_us: u64,
    connect_timeout_us: u64,
    handshake: u32,
    attempts: u32,
    retry: RetryPolicy,
    keepalive: KeepAlive,
    dns: DnsBehaviour,
    rate: RateProfile,
    lambda_max: f64,
    next_t: f64,
    rng_arrival: SimRng,
    rng_route: SimRng,
    rng_retry: SimRng,
    rng_dns: SimRng,
    clients: Vec<Client>,
    /// RTT from the clients to each region over the internet, ms (access included).
    rtt_region_ms: Vec<f64>,
    /// POPs by distance, nearest first (anycast_l7).
    pop_order: Vec<u16>,
    /// RTT to each POP, ms (access included).
    rtt_pop_ms: Vec<f64>,
    /// Per DNS endpoint: mapped to this population (geographic).
    geo_match: Vec<bool>,
    /// Per DNS endpoint: RTT from here, ms.
    dns_rtt_ms: Vec<f64>,
    /// Share of requests that write (data tier).
    write_share: f64,
    /// Draws the data operation and key of each request.
    rng_data: SimRng,
    /// Global id of this population's first client.
    client_base: u32,
    /// Share of requests that call the first region's hostname directly.
    bypass_share: f64,
    /// Draws which requests bypass the router (drawn only when the share > 0,
    /// so other streams and scenarios without bypass traffic are unchanged).
    rng_bypass: SimRng,
    /// Share of requests carrying an attack payload.
    attack_share: f64,
    /// Draws which requests attack, and where they go (only when the share > 0).
    rng_attack: SimRng,
}

/// The data operation a request makes, decided before it is queued.
#[derive(Clone, Copy, Debug)]
enum DataOp {
    None,
    Read(ReadOutcome),
    Write(u32),
    WriteRefused,
    SingletonDown,
}

impl PopulationRt {
    fn rate_at(&self, t_s: f64) -> f64 {
        match &self.rate {
            RateProfile::Constant { rps } => *rps,
            RateProfile::Steps { rps, steps } => {
                let mut r = *rps;
                for s in steps {
                    if t_s >= s.at.as_secs_f64() {
                        r = s.rps;
                    }
                }
                r
            }
            RateProfile::Diurnal {
                mean_rps,
                amplitude,
                peak_at,
            } => {
                let phase = 2.0 * core::f64::consts::PI * (t_s - peak_at.as_secs_f64()) / 86_400.0;
                mean_rps * (1.0 + amplitude * libm::cos(phase))
            }
            RateProfile::Spike {
                base_rps,
                peak_rps,
                at,
                duration,
            } => {
                let a = at.as_secs_f64();
                if t_s >= a && t_s < a + duration.as_secs_f64() {
                    *peak_rps
                } else {
                    *base_rps
                }
            }
        }
    }
}

struct TrafficManagerRt {
    cfg: DnsRouting,
    targets: Vec<DnsTarget>,
    monitors: Vec<&'static Place>,
    /// [monitor × target]
    counters: Vec<FailureCounter>,
    /// Per target: the router's (majority) view.
    healthy: Vec<bool>,
}

struct FrontDoorPop {
    place: &'static Place,
    up: bool,
    windows: Vec<ProbeWindow>,
    table: Vec<(usize, u32)>,
    /// RTT to each region, ms.
    rtt_region_ms: Vec<f64>,
}

struct FrontDoorRt {
    cfg: FrontDoorRouting,
    origins: Vec<OriginView>,
    pops: Vec<FrontDoorPop>,
}

impl FrontDoorRt {
    fn rebuild(&mut self, p: usize) {
        let pop = &self.pops[p];
        let healthy: Vec<bool> = pop.windows.iter().map(|w| w.healthy()).collect();
        let views: Vec<OriginView> = self
            .origins
            .iter()
            .map(|o| OriginView {
                latency_ms: pop.rtt_region_ms[o.region],
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

struct CrossRegionLbRt {
    cfg: CrossRegionLbRouting,
    backends: Vec<usize>,
    counters: Vec<FailureCounter>,
    global_view: Vec<bool>,
}

enum Router {
    Direct(usize),
    Dns(TrafficManagerRt),
    FrontDoor(FrontDoorRt),
    CrossRegionLb(CrossRegionLbRt),
}

/// A running simulation. Build it with [`Sim::new`], advance it with
/// [`Sim::step`] or [`Sim::run_until`], and take the report with
/// [`Sim::finish`] (or do all three with [`Sim::run`]).
pub struct Sim {
    scenario: Scenario,
    q: EventQueue<Ev>,
    end: SimTime,
    regions: Vec<RegionRt>,
    populations: Vec<PopulationRt>,
    router: Router,
    faults_active: Vec<bool>,
    tracks: Vec<FaultTrack>,
    pending: Vec<PendingRetry>,
    free_pending: Vec<u32>,
    rec: Recorder,
    rng_probe: SimRng,
    probe_service_us: u64,
    depth: HealthDepth,
    probes_sent: u64,
    events: u64,
    audit: Option<Audit>,
    data: Option<DataStore>,
    data_totals: DataTotals,
    rng_replication: SimRng,
    /// Requests around the router, and whether the origins refuse them.
    bypass: BypassSummary,
    origin_locked: bool,
    attacks: AttackSummary,
    /// Front Door Premium's WAF managed rules block attack payloads at the edge.
    waf_blocks_attacks: bool,
}

/// A record of every service interval and every try, kept only when asked
/// for with [`Sim::enable_audit`]: it grows with the run, so it is for tests
/// that check invariants against an independent computation.
#[derive(Clone, Debug, Default)]
pub struct Audit {
    /// Per region: every (start, end) µs a worker spent on a request or probe.
    pub service: Vec<Vec<(u64, u64)>>,
    /// Every try: (time µs, population, client's DNS class, region).
    pub tries: Vec<(u64, usize, DnsClass, usize)>,
    /// Every data operation of a served request, in order.
    pub data: Vec<DataRecord>,
}

/// One data operation, as the audit saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct DataRecord {
    /// When (µs).
    pub t: u64,
    /// Region of the stamp that made it.
    pub region: usize,
    /// Global client id.
    pub client: u32,
    /// What it was and what the store said.
    pub op: DataRecordOp,
}

/// A data operation's kind and the store's verdicts.
#[derive(Clone, Debug, PartialEq)]
pub enum DataRecordOp {
    /// A read of `key` served by replica `replica` (None: it failed).
    Read {
        /// Key.
        key: u32,
        /// Serving replica.
        replica: Option<usize>,
        /// The store's verdict.
        stale: bool,
        /// The store's verdict.
        ryw_violation: bool,
    },
    /// A write of `key` accepted by replica `origin`.
    Write {
        /// Key.
        key: u32,
        /// Accepting replica.
        origin: usize,
        /// When each replica has it (µs).
        visible: Vec<u64>,
        /// The store's verdict.
        conflict: bool,
        /// The store's verdict.
        lost: bool,
    },
    /// A refused write.
    Refused,
}

pub(crate) fn rtt_between(sc: &Scenario, a: &Place, b: &Place) -> f64 {
    for o in &sc.rtt {
        if (o.a == a.name && o.b == b.name) || (o.a == b.name && o.b == a.name) {
            return o.rtt.as_millis_f64();
        }
    }
    geo::rtt_ms(a, b)
}

#[inline]
fn us(ms: f64) -> u64 {
    (ms * 1_000.0) as u64
}

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
            let mut kill_times: Vec<u64> = sc
                .faults
                .iter()
                .filter(|f| {
                    matches!(f, Fault::RegionOutage { .. } | Fault::NetworkOutage { .. })
                        && f.region() == Some(r.name.as_str())
                })
                .map(|f| f.start().as_micros())
                .collect();
            kill_times.sort_unstable();
            let init = r.instances.initial;
            let mut rt = RegionRt {
                place,
                station: Station::new(0),
                cond: RegionCondition::default(),
                kill_times,
                workers: r.workers_per_instance,
                queue_per_instance: r.queue_limit_per_instance,
                request_timeout_us: r.request_timeout.as_micros(),
                service: ServiceSampler::new(&r.service_time),
                rng: SimRng::stream(seed, &format!("service/{}", r.name)),
                serving: init,
                warming: 0,
                provisioning: 0,
                min: r.instances.min.unwrap_or(init),
                max: r.instances.max.unwrap_or(r.sku.max_instances()),
                autoscale: r.autoscale.clone(),
                cooldown_until: SimTime::ZERO,
                healthy_viewers: 1,
                viewers: 1,
                instance_seconds: 0.0,
                last_instance_change: SimTime::ZERO,
            };
            rt.reconcile(SimTime::ZERO);
            regions.push(rt);
        }

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
                let pops = names
                    .iter()
                    .filter_map(|n| geo::place(n))
                    .map(|place| FrontDoorPop {
                        place,
                        up: true,
                        windows: vec![ProbeWindow::new(f.sample_size, f.successful_samples); origins.len()],
                        table: Vec::new(),
                        rtt_region_ms: regions.iter().map(|r| rtt_between(&sc, place, r.place)).collect(),
                    })
                    .collect();
                let mut fd = FrontDoorRt {
                    cfg: f.clone(),
                    origins,
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
                .map(|r| rtt_between(&sc, place, r.place) + access)
                .collect();
            let (pop_order, rtt_pop_ms) = match &router {
                Router::FrontDoor(fd) => {
                    let rtts: Vec<f64> = fd
                        .pops
                        .iter()
                        .map(|x| rtt_between(&sc, place, x.place) + access)
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
                .map(|_| Client {
                    class: DnsClass::sample(&p.dns, rng_dns.unit()),
                    ..Client::default()
                })
                .collect();
            let lambda_max = p.rate.peak_rps();
            populations.push(PopulationRt {
                timeout_us: p.timeout.as_micros(),
                connect_timeout_us: p.connect_timeout.as_micros(),
                handshake: p.handshake_round_trips,
                attempts: p.retry.attempts,
                retry: p.retry.clone(),
                keepalive: p.keepalive.clone(),
                dns: p.dns.clone(),
                rate: p.rate.clone(),
                lambda_max,
                next_t: 0.0,
                rng_arrival: SimRng::stream(seed, &format!("arrivals/{}", p.name)),
                rng_route: SimRng::stream(seed, &format!("routing/{}", p.name)),
                rng_retry: SimRng::stream(seed, &format!("retry/{}", p.name)),
                rng_dns,
                clients,
                rtt_region_ms,
                pop_order,
                rtt_pop_ms,
                geo_match,
                dns_rtt_ms,
                write_share: p.write_share,
                rng_data: SimRng::stream(seed, &format!("data/{}", p.name)),
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
                .map(|a| regions.iter().map(|b| rtt_between(&sc, a.place, b.place)).collect())
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
        let depth = sc.health.depth;
        let probe_service_us = sc
            .health
            .service_time
            .unwrap_or(match depth {
                HealthDepth::Shallow => SimDuration::from_millis(1),
                HealthDepth::Deep => SimDuration::from_millis(10),
            })
            .as_micros();

        let mut sim = Sim {
            faults_active: vec![false; sc.faults.len()],
            tracks,
            q: EventQueue::new(),
            end,
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
            scenario: sc,
        };
        sim.schedule_initial();
        Ok(sim)
    }

    fn schedule_initial(&mut self) {
        for p in 0..self.populations.len() {
            self.schedule_next_arrival(p);
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

    /// (probers, targets per prober, interval µs) of the router.
    fn prober_shape(&self) -> (usize, usize, u64) {
        match &self.router {
            Router::Direct(_) => (0, 0, 1),
            Router::Dns(tm) => (tm.monitors.len(), tm.targets.len(), tm.cfg.probe_interval.as_micros()),
            Router::FrontDoor(fd) => (fd.pops.len(), fd.origins.len(), fd.cfg.probe_interval.as_micros()),
            Router::CrossRegionLb(l) => (1, l.backends.len(), l.cfg.regional_probe_interval.as_micros()),
        }
    }

    fn init_viewers(&mut self) {
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

    fn schedule_next_arrival(&mut self, p: usize) {
        let end_s = self.end.as_secs_f64();
        let pop = &mut self.populations[p];
        if pop.lambda_max <= 0.0 {
            return;
        }
        loop {
            let e: f64 = Exp1.sample(pop.rng_arrival.inner());
            pop.next_t += e / pop.lambda_max;
            if pop.next_t >= end_s {
                return;
            }
            let accept = match pop.rate {
                RateProfile::Constant { .. } => true,
                _ => {
                    let u = pop.rng_arrival.unit();
                    u * pop.lambda_max < pop.rate_at(pop.next_t)
                }
            };
            if accept {
                let t = SimTime((pop.next_t * 1e6) as u64);
                self.q.schedule(t, Ev::Arrival(p as u16));
                return;
            }
        }
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.q.now()
    }

    /// The end of the run.
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// Share of the run simulated so far, 0–1.
    pub fn progress(&self) -> f64 {
        if self.end.0 == 0 {
            1.0
        } else {
            (self.q.now().0 as f64 / self.end.0 as f64).min(1.0)
        }
    }

    /// Events processed so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Starts recording every service interval and try (see [`Audit`]).
    pub fn enable_audit(&mut self) {
        self.audit = Some(Audit {
            service: vec![Vec::new(); self.regions.len()],
            tries: Vec::new(),
            data: Vec::new(),
        });
    }

    /// Takes the audit record collected so far.
    pub fn take_audit(&mut self) -> Option<Audit> {
        self.audit.take()
    }

    /// The data store (None without a data tier).
    pub fn data_store(&self) -> Option<&DataStore> {
        self.data.as_ref()
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Processes the next event. Returns false when the run is over.
    pub fn step(&mut self) -> bool {
        let Some(t) = self.q.peek_time() else {
            return false;
        };
        if t > self.end {
            return false;
        }
        let Some((_, ev)) = self.q.pop() else {
            return false;
        };
        self.events += 1;
        match ev {
            Ev::Arrival(p) => self.on_arrival(p as usize),
            Ev::Retry(slot) => self.on_retry(slot),
            Ev::Probe { prober, target } => self.on_probe(prober as usize, target as usize),
            Ev::ProbeResult { prober, target, ok } => self.on_probe_result(prober as usize, target as usize, ok),
            Ev::L4GlobalPoll => self.on_l4_poll(),
            Ev::FaultStart(i) => self.on_fault(i as usize, true),
            Ev::FaultEnd(i) => self.on_fault(i as usize, false),
            Ev::Autoscale(r) => self.on_autoscale(r as usize),
            Ev::InstanceReady(r) => self.on_instance_ready(r as usize),
            Ev::WarmupDone(r) => {
                let rg = &mut self.regions[r as usize];
                rg.warming = rg.warming.saturating_sub(1);
                rg.reconcile(self.q.now());
            }
            Ev::Tick => self.on_tick(),
        }
        true
    }

    /// Runs every event up to and including time `t` (or the end).
    pub fn run_until(&mut self, t: SimTime) {
        while self.q.peek_time().is_some_and(|x| x <= t && x <= self.end) {
            self.step();
        }
    }

    /// Runs to the end and returns the report.
    pub fn run(mut self) -> Report {
        while self.step() {}
        self.finish()
    }

    /// Finishes the run (whatever time it reached) and builds the report.
    pub fn finish(mut self) -> Report {
        self.run_until(self.end);
        while self.rec.finalized < self.rec.nbuckets {
            let g = self.gauges();
            self.rec.finalize(&g);
        }
        for slot in 0..self.pending.len() {
            if !self.free_pending.contains(&(slot as u32)) {
                let p = self.pending[slot].population as usize;
                self.rec.unfinished(p);
            }
        }
        let end = self.end;
        for r in &mut self.regions {
            r.note_instances(end);
        }
        let instance_hours: Vec<f64> = self.regions.iter().map(|r| r.instance_seconds / 3600.0).collect();
        let bypass = self
            .scenario
            .populations
            .iter()
            .any(|p| p.bypass_share > 0.0)
            .then(|| self.bypass.clone());
        let attacks = self
            .scenario
            .populations
            .iter()
            .any(|p| p.attack_share > 0.0)
            .then(|| self.attacks.clone());
        let mut report = summary::build(
            &self.scenario,
            self.rec,
            &self.tracks,
            &instance_hours,
            self.probes_sent,
            self.data.as_ref().map(|d| DataTotals {
                seconds_without_write_region: d.time_without_write_region(self.end.0) as f64 / 1e6,
                ..self.data_totals.clone()
            }),
        );
        report.summary.bypass = bypass;
        report.summary.attacks = attacks;
        report
    }

    // ----- requests -----

    fn on_arrival(&mut self, p: usize) {
        let now = self.q.now();
        self.schedule_next_arrival(p);
        let pop = &mut self.populations[p];
        let client = pop.rng_arrival.below(pop.clients.len() as u32);
        if pop.attack_share > 0.0 && pop.rng_attack.chance(pop.attack_share) {
            self.attack_try(p, now);
            return;
        }
        let pop = &mut self.populations[p];
        if pop.bypass_share > 0.0 && pop.rng_bypass.chance(pop.bypass_share) {
            self.bypass_try(p, now);
            return;
        }
        self.rec.offered(p, now.0);
        self.attempt(p, client, 1, now);
    }

    /// A request to the first region's own hostname, around the router: one
    /// try, no retries, no data call. It loads the stamp like any request.
    fn bypass_try(&mut self, p: usize, now: SimTime) {
        self.bypass.requests += 1;
        if self.origin_locked {
            // The App Service front end refuses it before any worker (§4.5).
            self.bypass.blocked += 1;
            return;
        }
        if self.regions[0].cond.unreachable {
            self.bypass.failed += 1;
            self.bypass.failed_region_down += 1;
            return;
        }
        let rtt_ms = self.populations[p].rtt_region_ms[0];
        let deadline = now.0 + self.populations[p].timeout_us;
        if self.one_try(0, now.0 + us(rtt_ms), us(rtt_ms / 2.0), deadline) {
            self.bypass.served += 1;
        } else {
            self.bypass.failed += 1;
        }
    }

    /// A request with an attack payload: blocked at the edge by WAF managed
    /// rules, else one try at the stamp the router (or, without an edge, the
    /// nearest live region) sends it to. It loads the stamp like any request.
    fn attack_try(&mut self, p: usize, now: SimTime) {
        self.attacks.requests += 1;
        // Drawn whether or not the WAF blocks it, so a design with and one
        // without managed rules see the same attacks (common random numbers).
        let u = self.populations[p].rng_attack.unit();
        if self.waf_blocks_attacks {
            self.attacks.blocked_at_edge += 1;
            return;
        }
        let pop = &mut self.populations[p];
        let target = match &self.router {
            Router::FrontDoor(fd) => pop
                .pop_order
                .iter()
                .map(|&x| x as usize)
                .find(|&x| fd.pops[x].up)
                .map(|pi| {
                    let r = anycast::pick(&fd.pops[pi].table, u);
                    (r, pop.rtt_pop_ms[pi] + fd.pops[pi].rtt_region_ms[r])
                }),
            _ => (0..self.regions.len())
                .filter(|&r| !self.regions[r].cond.unreachable)
                .min_by(|&a, &b| pop.rtt_region_ms[a].total_cmp(&pop.rtt_region_ms[b]))
                .map(|r| (r, pop.rtt_region_ms[r])),
        };
        let Some((r, rtt_ms)) = target.filter(|&(r, _)| !self.regions[r].cond.unreachable) else {
            self.attacks.unanswered += 1;
            return;
        };
        self.attacks.reached_origin += 1;
        let deadline = now.0 + self.populations[p].timeout_us;
        self.one_try(r, now.0 + us(rtt_ms / 2.0), us(rtt_ms / 2.0), deadline);
    }

    /// One try outside the router's bookkeeping (bypass or attack traffic)
    /// reaching live region `r` at `t_region`: queued like any request, no
    /// data call, no retry. Whether it was answered in time.
    fn one_try(&mut self, r: usize, t_region: u64, back_us: u64, deadline: u64) -> bool {
        let rg = &mut self.regions[r];
        let service = rg.service.sample(&mut rg.rng, rg.request_timeout_us);
        let qlimit = rg.queue_limit();
        let adm = rg.station.admit(t_region, service, qlimit, rg.request_timeout_us);
        self.rec.region_arrival(r, t_region);
        match adm {
            Admission::Shed => {
                self.rec.region_served(r, t_region, true);
                false
            }
            Admission::QueueTimeout => {
                let t = t_region + self.regions[r].request_timeout_us;
                self.rec.region_served(r, t, true);
                false
            }
            Admission::Served { start, end } => {
                self.rec.busy(r, start, end);
                let rg = &mut self.regions[r];
                let err = rg.killed_between(t_region, end) || rg.rng.chance(rg.cond.user_error_rate());
                self.rec.region_served(r, end, err);
                !err && end + back_us <= deadline
            }
        }
    }

    fn on_retry(&mut self, slot: u32) {
        let r = self.pending[slot as usize];
        self.free_pending.push(slot);
        self.attempt(r.population as usize, r.client, r.attempt, r.first);
    }

    /// One try of a request: route it, queue it, and decide its fate.
    fn attempt(&mut self, p: usize, client: u32, attempt: u32, first: SimTime) {
        let now = self.q.now();
        let ci = client as usize;
        let (region, entry_leg_ms, backbone_ms, extra_us, new_conn, conn_target, via_pop) = match self.route(p, ci, now)
        {
            Some(r) => r,
            None => {
                // No POP up at all: the anycast address does not answer.
                let pop = &self.populations[p];
                let t_done = now.0 + pop.connect_timeout_us.min(pop.timeout_us);
                self.rec.try_sent_nowhere(p, now.0);
                self.populations[p].clients[ci].drop_connection();
                self.conclude(p, client, attempt, first, t_done, Err(FailCause::Connect));
                return;
            }
        };
        self.rec.try_sent(p, region, now.0);
        if let Some(a) = &mut self.audit {
            a.tries.push((now.0, p, self.populations[p].clients[ci].class, region));
        }
        let pop = &self.populations[p];
        let deadline = now.0 + pop.timeout_us;
        let hs = if new_conn {
            us(entry_leg_ms) * pop.handshake as u64
        } else {
            0
        };
        let t_entry = now.0 + extra_us + hs + us(entry_leg_ms / 2.0);
        let back_to_client = us(entry_leg_ms / 2.0);
        let origin_timeout = match &self.router {
            Router::FrontDoor(fd) => Some(fd.cfg.origin_response_timeout.as_micros()),
            _ => None,
        };
        let connect_timeout = pop.connect_timeout_us;
        let rg = &self.regions[region];
        let cond = rg.cond;

        let outcome: (u64, Result<(), FailCause>) = if cond.unreachable {
            match (via_pop, new_conn) {
                // The POP waits for the origin until its response timeout: 504.
                (Some(_), _) => {
                    let t = t_entry + origin_timeout.unwrap_or(0) + back_to_client;
                    if t > deadline {
                        (deadline, Err(FailCause::Timeout))
                    } else {
                        (t, Err(FailCause::Gateway))
                    }
                }
                // A new connection to a dead address: connect timeout.
                (None, true) => {
                    let t = now.0 + extra_us + connect_timeout;
                    if t > deadline {
                        (deadline, Err(FailCause::Timeout))
                    } else {
                        (t, Err(FailCause::Connect))
                    }
                }
                // A kept-alive connection just hangs.
                (None, false) => (deadline, Err(FailCause::Timeout)),
            }
        } else {
            let t_region = t_entry + us(backbone_ms / 2.0);
            let mut died = false;
            let gid = self.populations[p].client_base.saturating_add(client);
            let (data_op, data_us) = self.plan_data(p, region, gid, now.0);
            let rg = &mut self.regions[region];
            let service = (rg.service.sample(&mut rg.rng, rg.request_timeout_us) + data_us).min(rg.request_timeout_us);
            let qlimit = rg.queue_limit();
            let adm = rg.station.admit(t_region, service, qlimit, rg.request_timeout_us);
            self.rec.region_arrival(region, t_region);
            let back = us(backbone_ms / 2.0);
            // When the entry point (POP or client) hears back, and what.
            let (t_back_at_entry, res) = match adm {
                Admission::Shed => {
                    self.rec.region_served(region, t_region, true);
                    (t_region + back, Err(FailCause::Shed))
                }
                Admission::QueueTimeout => {
                    let t = t_region + self.regions[region].request_timeout_us;
                    self.rec.region_served(region, t, true);
                    (t + back, Err(FailCause::ServerError))
                }
                Admission::Served { start, end } => {
                    self.rec.busy(region, start, end);
                    if let Some(a) = &mut self.audit {
                        a.service[region].push((start, end));
                    }
                    let rg = &mut self.regions[region];
                    if rg.killed_between(t_region, end) {
                        // The region died with the request inside: no answer.
                        died = true;
                        (u64::MAX, Err(FailCause::Timeout))
                    } else {
                        let err = rg.rng.chance(cond.user_error_rate());
                        let err = err || !self.apply_data(region, gid, data_op, now.0);
                        self.rec.region_served(region, end, err);
                        let t = end + back + cond.added_latency.as_micros();
                        (t, if err { Err(FailCause::ServerError) } else { Ok(()) })
                    }
                }
            };
            let out = match origin_timeout {
                Some(ot) if t_back_at_entry.saturating_sub(t_entry) > ot => {
                    let t = t_entry + ot + back_to_client;
                    if t > deadline {
                        (deadline, Err(FailCause::Timeout))
                    } else {
                        (t, Err(FailCause::Gateway))
                    }
                }
                _ => {
                    let t = t_back_at_entry.saturating_add(back_to_client);
                    if t > deadline {
                        (deadline, Err(FailCause::Timeout))
                    } else {
                        (t, res)
                    }
                }
            };
            // Shed, or given up on while waiting at a live stamp: capacity.
            if !died && matches!(out.1, Err(FailCause::Shed | FailCause::Timeout | FailCause::Gateway)) {
                self.rec.capacity_failure(region, out.0);
            }
            out
        };
        // The client's connection: a timeout or connect failure closes it.
        let c = &mut self.populations[p].clients[ci];
        match outcome.1 {
            Err(FailCause::Timeout) | Err(FailCause::Connect) => c.drop_connection(),
            _ => c.use_connection(conn_target, now, new_conn),
        }
        self.conclude(p, client, attempt, first, outcome.0, outcome.1);
    }

    /// Decides the request's data operation (and its cost, µs) before it is
    /// queued: the call to the database occupies the worker.
    fn plan_data(&mut self, p: usize, region: usize, gid: u32, now: u64) -> (DataOp, u64) {
        let Some(store) = &self.data else {
            return (DataOp::None, 0);
        };
        let pop = &mut self.populations[p];
        for (i, st) in store.singletons.iter().enumerate() {
            let share = &st.share;
            if store.singleton_down(i, now) && pop.rng_data.chance(*share) {
                return (DataOp::SingletonDown, 0);
            }
        }
        let write = pop.rng_data.chance(pop.write_share);
        let key = store.pick_key(&mut pop.rng_data);
        if write {
            match store.write_cost(region, now) {
                Ok(cost) => (DataOp::Write(key), cost),
                Err(_) => (DataOp::WriteRefused, 0),
            }
        } else {
            let r = store.read(region, gid, key, now);
            (DataOp::Read(r), r.latency_us)
        }
    }

    /// Carries out a served request's data operation; false if it failed.
    fn apply_data(&mut self, region: usize, gid: u32, op: DataOp, now: u64) -> bool {
        let t = &mut self.data_totals;
        match op {
            DataOp::None => true,
            DataOp::SingletonDown => {
                t.singleton_failures += 1;
                false
            }
            DataOp::Read(r) => {
                if r.failed {
                    return false;
                }
                t.reads += 1;
                t.stale_reads += r.stale as u64;
                t.ryw_violations += r.ryw_violation as u64;
                self.rec.data_read(region, now, r.stale);
                if let Some(a) = &mut self.audit {
                    a.data.push(DataRecord {
                        t: now,
                        region,
                        client: gid,
                        op: DataRecordOp::Read {
                            key: r.key,
                            replica: r.replica,
                            stale: r.stale,
                            ryw_violation: r.ryw_violation,
                        },
                    });
                }
                true
            }
            DataOp::WriteRefused => {
                t.writes += 1;
                t.write_failures += 1;
                self.rec.data_write(region, now, true);
                if let Some(a) = &mut self.audit {
                    a.data.push(DataRecord {
                        t: now,
                        region,
                        client: gid,
                        op: DataRecordOp::Refused,
                    });
                }
                false
            }
            DataOp::Write(key) => {
                let Some(store) = &mut self.data else { return true };
                let o = store.write(region, gid, key, now, &mut self.rng_replication);
                t.writes += 1;
                self.rec.data_write(region, now, o.failure.is_some());
                if let Some(a) = &mut self.audit {
                    let op = match o.failure {
                        Some(_) => DataRecordOp::Refused,
                        None => DataRecordOp::Write {
                            key,
                            origin: o.origin,
                            visible: o.visible[..store.replicas.len()].to_vec(),
                            conflict: o.conflict,
                            lost: o.lost_age_us.is_some(),
                        },
                    };
                    a.data.push(DataRecord {
                        t: now,
                        region,
                        client: gid,
                        op,
                    });
                }
                if o.failure.is_some() {
                    t.write_failures += 1;
                    return false;
                }
                t.conflicts += o.conflict as u64;
                if let Some(age) = o.lost_age_us {
                    t.lost_writes += 1;
                    t.max_lost_age_us = Some(t.max_lost_age_us.unwrap_or(0).max(age));
                    let origin = self.scenario.regions[store.replicas[o.origin]].name.as_str();
                    let death = now + age;
                    if let Some(f) = self.scenario.faults.iter().position(|f| {
                        matches!(f, Fault::RegionOutage { .. } | Fault::ReplicaOutage { .. })
                            && f.region() == Some(origin)
                            && f.start().as_micros() == death
                    }) {
                        t.lost_by_fault[f] += 1;
                    }
                    return true;
                }
                for x in 0..store.replicas.len() {
                    if x != o.origin {
                        let lag = store.visible_at(key, x).saturating_sub(now);
                        self.rec.replication_lag(store.replicas[x], now, lag);
                    }
                }
                true
            }
        }
    }

    /// Marks every region whose deep check includes a singleton that is down.
    fn refresh_singletons(&mut self, now: SimTime) {
        let Some(store) = &self.data else { return };
        let down =
            (0..store.singletons.len()).any(|i| store.singletons[i].deep_check && store.singleton_down(i, now.0));
        for r in &mut self.regions {
            r.cond.singleton_down = down;
        }
    }

    fn conclude(
        &mut self,
        p: usize,
        client: u32,
        attempt: u32,
        first: SimTime,
        t_done: u64,
        res: Result<(), FailCause>,
    ) {
        match res {
            Ok(()) => self.rec.succeeded(p, t_done, t_done - first.0),
            Err(cause) => {
                let pop = &mut self.populations[p];
                if attempt < pop.attempts && t_done < self.end.0 {
                    let wait = clients::backoff(&pop.retry, attempt, pop.rng_retry.unit());
                    let at = SimTime(t_done) + wait;
                    if at >= self.end {
                        self.rec.unfinished(p);
                        return;
                    }
                    let pending = PendingRetry {
                        population: p as u16,
                        client,
                        attempt: attempt + 1,
                        first,
                    };
                    let slot = match self.free_pending.pop() {
                        Some(s) => {
                            self.pending[s as usize] = pending;
                            s
                        }
                        None => {
                            self.pending.push(pending);
                            (self.pending.len() - 1) as u32
                        }
                    };
                    self.q.schedule(at, Ev::Retry(slot));
                } else {
                    self.rec.failed(p, t_done, cause);
                }
            }
        }
    }

    /// Where a try goes: (region, entry leg RTT ms, backbone RTT ms, extra µs
    /// before sending, new connection?, connection target, POP used).
    #[allow(clippy::type_complexity)]
    fn route(
        &mut self,
        p: usize,
        ci: usize,
        now: SimTime,
    ) -> Option<(usize, f64, f64, u64, bool, usize, Option<usize>)> {
        let pop = &mut self.populations[p];
        let live = pop.clients[ci].live_connection(now, &pop.keepalive);
        match &mut self.router {
            Router::Direct(r) => {
                let r = *r;
                Some((r, pop.rtt_region_ms[r], 0.0, 0, live != Some(r), r, None))
            }
            Router::Dns(tm) => {
                if let Some(r) = live {
                    return Some((r, pop.rtt_region_ms[r], 0.0, 0, false, r, None));
                }
                let c = &mut pop.clients[ci];
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
                            DnsClass::Forever => SimDuration(u64::MAX / 4),
                            DnsClass::Stale => {
                                let e: f64 = Exp1.sample(pop.rng_dns.inner());
                                tm.cfg.ttl + SimDuration::from_secs_f64(e * pop.dns.stale_extra_mean.as_secs_f64())
                            }
                        };
                        c.cache = ResolverCache {
                            region: r as u16,
                            expires: now + hold,
                        };
                        (r, tm.cfg.lookup_time.as_micros())
                    }
                };
                Some((r, pop.rtt_region_ms[r], 0.0, extra, true, r, None))
            }
            Router::FrontDoor(fd) => {
                let pi = pop.pop_order.iter().map(|&x| x as usize).find(|&x| fd.pops[x].up)?;
                let u = pop.rng_route.unit();
                let r = anycast::pick(&fd.pops[pi].table, u);
                Some((
                    r,
                    pop.rtt_pop_ms[pi],
                    fd.pops[pi].rtt_region_ms[r],
                    0,
                    live != Some(pi),
                    pi,
                    Some(pi),
                ))
            }
            Router::CrossRegionLb(l) => {
                if let Some(r) = live {
                    if l.backends.iter().zip(&l.global_view).any(|(b, v)| *b == r && *v) {
                        return Some((r, pop.rtt_region_ms[r], 0.0, 0, false, r, None));
                    }
                }
                let mut best: Option<usize> = None;
                for (i, &b) in l.backends.iter().enumerate() {
                    if l.global_view[i] && best.is_none_or(|x| pop.rtt_region_ms[b] < pop.rtt_region_ms[x]) {
                        best = Some(b);
                    }
                }
                let r = best?;
                Some((r, pop.rtt_region_ms[r], 0.0, 0, true, r, None))
            }
        }
    }

    // ----- probes -----

    fn on_probe(&mut self, prober: usize, target: usize) {
        let now = self.q.now();
        let (region, leg_ms, timeout, interval, active) = match &self.router {
            Router::Direct(_) => return,
            Router::Dns(tm) => {
                let r = tm.targets[target].region;
                let leg = rtt_between(&self.scenario, tm.monitors[prober], self.regions[r].place);
                (
                    r,
                    leg,
                    tm.cfg.probe_timeout.as_micros(),
                    tm.cfg.probe_interval.as_micros(),
                    true,
                )
            }
            Router::FrontDoor(fd) => {
                let o = fd.origins[target];
                let pop = &fd.pops[prober];
                (
                    o.region,
                    pop.rtt_region_ms[o.region],
                    fd.cfg.probe_timeout.as_micros(),
                    fd.cfg.probe_interval.as_micros(),
                    pop.up && o.enabled,
                )
            }
            Router::CrossRegionLb(l) => {
                let r = l.backends[target];
                let i = l.cfg.regional_probe_interval.as_micros();
                // The regional LB probes from inside the region: ~1 ms.
                (r, 1.0, i.min(5_000_000), i, true)
            }
        };
        self.q.schedule(
            SimTime(now.0 + interval),
            Ev::Probe {
                prober: prober as u16,
                target: target as u16,
            },
        );
        if !active {
            return;
        }
        self.probes_sent += 1;
        let rg = &mut self.regions[region];
        let cond = rg.cond;
        let (t, ok) = match cond.probe(self.depth) {
            ProbeVerdict::NoAnswer => (now.0 + timeout, false),
            ProbeVerdict::Fails => {
                self.rec.region_probe(region, now.0);
                (now.0 + us(leg_ms), false)
            }
            ProbeVerdict::Served => {
                let t_a = now.0 + us(leg_ms / 2.0);
                self.rec.region_probe(region, t_a);
                let qlimit = rg.queue_limit();
                match rg
                    .station
                    .admit(t_a, self.probe_service_us, qlimit, rg.request_timeout_us)
                {
                    Admission::Served { start, end } => {
                        self.rec.busy(region, start, end);
                        if let Some(a) = &mut self.audit {
                            a.service[region].push((start, end));
                        }
                        let back = end + us(leg_ms / 2.0) + cond.added_latency.as_micros();
                        if rg.killed_between(t_a, end) || back - now.0 > timeout {
                            (now.0 + timeout, false)
                        } else {
                            (back, !self.rng_probe.chance(cond.error_rate))
                        }
                    }
                    Admission::Shed => (t_a + us(leg_ms / 2.0), false),
                    Admission::QueueTimeout => (now.0 + timeout, false),
                }
            }
        };
        self.q.schedule(
            SimTime(t),
            Ev::ProbeResult {
                prober: prober as u16,
                target: target as u16,
                ok,
            },
        );
    }

    fn on_probe_result(&mut self, prober: usize, target: usize, ok: bool) {
        let now = self.q.now();
        let mut changes: Vec<(usize, bool)> = Vec::new();
        match &mut self.router {
            Router::Direct(_) => {}
            Router::Dns(tm) => {
                let nt = tm.targets.len();
                let r = tm.targets[target].region;
                if tm.counters[prober * nt + target].record(ok) {
                    let healthy = tm.counters[prober * nt + target].healthy();
                    changes.push((r, healthy));
                    let seen_ok = (0..tm.monitors.len())
                        .filter(|m| tm.counters[m * nt + target].healthy())
                        .count();
                    // Degraded when more than half of the locations see it failed.
                    tm.healthy[target] = seen_ok * 2 >= tm.monitors.len();
                }
            }
            Router::FrontDoor(fd) => {
                if !fd.pops[prober].up {
                    return;
                }
                let r = fd.origins[target].region;
                if fd.pops[prober].windows[target].record(ok) {
                    changes.push((r, fd.pops[prober].windows[target].healthy()));
                    fd.rebuild(prober);
                }
            }
            Router::CrossRegionLb(l) => {
                // The regional view; the global LB reads it at its next poll.
                l.counters[target].record(ok);
            }
        }
        for (r, healthy) in changes {
            self.view_changed(r, healthy, now);
        }
    }

    fn on_l4_poll(&mut self) {
        let now = self.q.now();
        let mut changes = Vec::new();
        if let Router::CrossRegionLb(l) = &mut self.router {
            for i in 0..l.backends.len() {
                let h = l.counters[i].healthy();
                if h != l.global_view[i] {
                    l.global_view[i] = h;
                    changes.push((l.backends[i], h));
                }
            }
            let next = l.cfg.global_probe_interval.as_micros();
            self.q.schedule(SimTime(now.0 + next), Ev::L4GlobalPoll);
        }
        for (r, h) in changes {
            self.view_changed(r, h, now);
        }
    }

    fn view_changed(&mut self, region: usize, healthy: bool, now: SimTime) {
        let rg = &mut self.regions[region];
        if healthy {
            rg.healthy_viewers = (rg.healthy_viewers + 1).min(rg.viewers);
        } else {
            rg.healthy_viewers = rg.healthy_viewers.saturating_sub(1);
        }
        let share = rg.healthy_viewers as f64 / rg.viewers.max(1) as f64;
        for (f, tr) in self.tracks.iter_mut().enumerate() {
            if tr.watches(&self.scenario, region) {
                tr.observe(now, healthy, share, self.faults_active[f]);
            }
        }
    }

    // ----- faults -----

    fn on_fault(&mut self, i: usize, starting: bool) {
        self.apply_fault(i, starting);
        self.refresh_singletons(self.q.now());
    }

    fn apply_fault(&mut self, i: usize, starting: bool) {
        let now = self.q.now();
        self.faults_active[i] = starting;
        let f = self.scenario.faults[i].clone();
        if starting {
            self.tracks[i].started(now);
        } else {
            self.tracks[i].ended(now);
        }
        if let Fault::PopOutage { pop, .. } = &f {
            if let Router::FrontDoor(fd) = &mut self.router {
                for x in fd.pops.iter_mut().filter(|x| x.place.name == pop) {
                    x.up = !starting;
                }
            }
            return;
        }
        let Some(name) = f.region() else { return };
        let Some(r) = self.scenario.regions.iter().position(|x| x.name == name) else {
            return;
        };
        let sc = &self.scenario;
        let active = &self.faults_active;
        let cond = RegionCondition::from_active(
            sc.faults
                .iter()
                .enumerate()
                .filter(|(j, g)| active[*j] && g.region() == Some(name))
                .map(|(_, g)| g),
        );
        let rg = &mut self.regions[r];
        rg.note_instances(now);
        let was_down = rg.cond.down;
        rg.cond = cond;
        if cond.down && !was_down {
            rg.station.clear();
        }
        rg.reconcile(now);
    }

    // ----- autoscale -----

    fn on_autoscale(&mut self, r: usize) {
        let now = self.q.now();
        let Some(cfg) = self.regions[r].autoscale.clone() else {
            return;
        };
        self.q.schedule(now + cfg.evaluation_interval, Ev::Autoscale(r as u16));
        if self.regions[r].cond.down {
            return;
        }
        let to = now.0.saturating_sub(cfg.metric_delay.as_micros());
        let from = to.saturating_sub(cfg.window.as_micros());
        let Some(metric) = self.window_metric(r, cfg.metric, from, to) else {
            return;
        };
        let rg = &mut self.regions[r];
        let current = rg.serving + rg.provisioning;
        match autoscale::decide(&cfg, metric, current, rg.min, rg.max, now, rg.cooldown_until) {
            Decision::Out(n) => {
                rg.provisioning += n;
                rg.cooldown_until = now + cfg.cooldown;
                for _ in 0..n {
                    let span = cfg.provisioning_max.as_micros() - cfg.provisioning_min.as_micros();
                    let lag = cfg.provisioning_min.as_micros() + (rg.rng.unit() * span as f64) as u64;
                    self.q.schedule(SimTime(now.0 + lag), Ev::InstanceReady(r as u16));
                }
            }
            Decision::In(n) => {
                rg.note_instances(now);
                rg.serving -= n;
                rg.warming = rg.warming.min(rg.serving);
                rg.cooldown_until = now + cfg.cooldown;
                rg.reconcile(now);
            }
            Decision::Hold => {}
        }
    }

    /// The autoscale metric averaged over finished buckets inside [from, to).
    fn window_metric(&self, r: usize, metric: AutoscaleMetric, from: u64, to: u64) -> Option<f64> {
        let b = self.rec.bucket_us;
        let rs = &self.rec.series.regions[r];
        let first = from.div_ceil(b) as usize;
        let last = ((to / b) as usize).min(rs.utilisation.len());
        if first >= last {
            return None;
        }
        let n = (last - first) as f64;
        Some(match metric {
            AutoscaleMetric::Utilisation => rs.utilisation[first..last].iter().map(|&u| u as f64).sum::<f64>() / n,
            AutoscaleMetric::RequestsPerInstance => {
                let mut s = 0.0;
                for i in first..last {
                    s += rs.arrivals[i] as f64 / (b as f64 / 1e6) / rs.instances_serving[i].max(1) as f64;
                }
                s / n
            }
        })
    }

    fn on_instance_ready(&mut self, r: usize) {
        let now = self.q.now();
        let rg = &mut self.regions[r];
        rg.note_instances(now);
        rg.provisioning = rg.provisioning.saturating_sub(1);
        if rg.serving < rg.max {
            rg.serving += 1;
            if let Some(a) = &rg.autoscale {
                if a.warmup.as_micros() > 0 {
                    rg.warming += 1;
                    let w = a.warmup;
                    self.q.schedule(now + w, Ev::WarmupDone(r as u16));
                }
            }
        }
        self.regions[r].reconcile(now);
    }

    // ----- buckets -----

    fn gauges(&mut self) -> Vec<RegionGauges> {
        let now = self.q.now().0;
        self.regions
            .iter_mut()
            .map(|r| RegionGauges {
                serving: if r.cond.down {
                    0
                } else {
                    r.serving.min(u16::MAX as u32) as u16
                },
                provisioning: r.provisioning.min(u16::MAX as u32) as u16,
                slots: r.station.slots() as u32,
                queue_len: r.station.queue_len(now) as u32,
                healthy_view: r.healthy_viewers as f32 / r.viewers.max(1) as f32,
                status: if r.cond.down {
                    RegionStatus::Down
                } else if r.cond.unreachable {
                    RegionStatus::Unreachable
                } else if r.cond.label() == "degraded" {
                    RegionStatus::Degraded
                } else {
                    RegionStatus::Ok
                },
            })
            .collect()
    }

    fn on_tick(&mut self) {
        let g = self.gauges();
        self.rec.finalize(&g);
        let next = (self.rec.finalized as u64 + 1) * self.rec.bucket_us;
        if self.rec.finalized < self.rec.nbuckets {
            self.q.schedule(SimTime(next.min(self.end.0)), Ev::Tick);
        }
    }
}
