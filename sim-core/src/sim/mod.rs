//! The simulation: assembles the models from a validated [`Scenario`], owns
//! the clock and the event queue, and runs requests, probes, faults and
//! autoscale in time order until the end of the run.
//!
//! A request's try is a *job* that lives from the moment it is sent until
//! its stamp is done with it. It costs three events when it succeeds:
//!
//! 1. it is sent (`Arrival` for a first try, `Retry` after a backoff): the
//!    client picks its path from what it knows now (connection, DNS cache,
//!    anycast POP) — `request.rs`, `routers.rs`;
//! 2. it reaches the stamp (`Reach`): the region's condition then decides
//!    whether it is answered at all; the front end dispatches it to an
//!    instance, which starts it or queues it — `request.rs`;
//! 3. its worker finishes (`Done`): the next queued job on that instance
//!    starts; whether the region died meanwhile, whether the stamp answered
//!    with an error, and when the answer reaches the client are decided then.
//!
//! The database call is made when the worker starts the job (`data.rs`). A
//! job that waits in a queue also arms a timer (`GiveUp`) for the moment its
//! client, its Front Door POP or the stamp's front end stops waiting. Where the
//! answer's fate is already certain (the client gives up before the worker can
//! finish), the outcome is recorded at once for the future time it happens:
//! the recorder keeps a ring of future buckets. Nothing reads an event's
//! outcome before it happens: faults, failovers and recoveries are events
//! like any other.
//!
//! Probes are jobs too (`probes.rs`): they queue behind user requests on an
//! instance, so an overloaded stamp can fail its health checks. Faults,
//! autoscale, instance readiness and bucket ticks are in `control.rs`.

mod audit;
mod build;
mod control;
mod data;
mod observe;
mod operator;
mod population;
mod probes;
mod region;
mod request;
mod routers;
mod serve;

pub use audit::{Audit, DataRecord, DataRecordOp, ServiceRecord};
pub use observe::{InstanceCount, PopulationSoFar, RouterView, Snapshot};
pub use operator::Action;

use crate::engine::{DelayLines, EventQueue, SimRng, Streams};
use crate::metrics::recorder::Recorder;
use crate::metrics::report::{AttackSummary, BypassSummary, Report};
use crate::metrics::summary::{self, DataTotals, FaultTrack};
use crate::model::data::DataStore;
use crate::scenario::{HealthDepth, Scenario};
use crate::time::SimTime;
use population::{PopulationRt, Request};
use region::RegionRt;
use request::Jobs;
use routers::Router;

/// A pending event. Small and `Copy`: indices into the simulation's arenas.
#[derive(Clone, Copy, Debug)]
enum Ev {
    /// A retry (index into the pending retries).
    Retry(u32),
    /// A job reaches its stamp.
    Reach(u32),
    /// The end of service of a job whose answer was not settled at its start.
    Done(u32),
    /// A worker of an instance with queued jobs is free (if the instance is
    /// still that life of its region and still expects it).
    Wake {
        region: u16,
        instance: u16,
        life: u32,
    },
    /// A queued job's client, POP or front end stops waiting (if the job is
    /// still that generation and still waiting).
    GiveUp {
        job: u32,
        gen: u32,
    },
    /// A prober sends a probe.
    Probe {
        prober: u16,
        target: u16,
    },
    /// A probe's answer (or its timeout) reaches the prober, `latency_us`
    /// after it was sent.
    ProbeResult {
        prober: u16,
        target: u16,
        ok: bool,
        latency_us: u32,
    },
    /// The cross-region load balancer reads the regional probes' views.
    L4GlobalPoll,
    /// A service-managed failover of the write region comes due (if still
    /// that generation).
    DataFailover(u32),
    FaultStart(u16),
    FaultEnd(u16),
    Autoscale(u16),
    InstanceReady(u16),
    WarmupDone(u16),
    /// The end of a bucket: sample the gauges, close the bucket.
    Tick,
}

/// µs from fractional ms.
#[inline]
fn us(ms: f64) -> u64 {
    (ms * 1_000.0) as u64
}

/// A running simulation. Build it with [`Sim::new`], advance it with
/// [`Sim::step`] or [`Sim::run_until`], and take the report with
/// [`Sim::finish`] (or do all three with [`Sim::run`]). Between steps, read
/// it ([`Sim::snapshot`], [`Sim::router_views`], [`Sim::instances`]), add a
/// fault ([`Sim::inject`]), or clone it to fork the run: a clone continues
/// exactly as the original would (same events, same random draws).
#[derive(Clone)]
pub struct Sim {
    scenario: Scenario,
    q: EventQueue<Ev>,
    /// Each population's next arrival (half of all events), beside the queue.
    arrivals: Streams,
    /// Tries on their way to their stamps (a third of all events), beside the queue.
    lines: DelayLines<Ev>,
    end: SimTime,
    /// The end in seconds (the arrival processes' clock).
    end_s: f64,
    regions: Vec<RegionRt>,
    populations: Vec<PopulationRt>,
    router: Router,
    jobs: Jobs,
    faults_active: Vec<bool>,
    tracks: Vec<FaultTrack>,
    pending: Vec<Request>,
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
    /// Front Door's origin response timeout, µs (0 without Front Door).
    origin_timeout_us: u64,
}

impl Sim {
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
        if let Some(d) = &mut self.data {
            d.enable_audit();
        }
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

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Processes the next event. Returns false when the run is over.
    pub fn step(&mut self) -> bool {
        self.step_until(self.end)
    }

    /// Processes the next event if it is at or before `t` (and the end).
    /// Inlined into the loops that call it: the event handlers are inlined
    /// here, and a call per event would save and restore their registers.
    #[inline(always)]
    fn step_until(&mut self, t: SimTime) -> bool {
        let limit = t.min(self.end);
        // The earliest of a population's next arrival, a try reaching its
        // stamp, and the queue's next event (one order: see engine).
        let qk = self.q.peek_key().unwrap_or(u128::MAX);
        let lk = self.lines.peek().unwrap_or(u128::MAX);
        let ak = self.arrivals.peek().map_or(u128::MAX, |x| x.0);
        if ak < qk && ak < lk {
            let at = SimTime((ak >> 64) as u64);
            if at > limit {
                return false;
            }
            let Some((_, p)) = self.arrivals.peek() else {
                return false;
            };
            self.q.advance(at);
            self.events += 1;
            // (It stays at the top of the streams until on_arrival draws the
            // next one in its place.)
            self.on_arrival(p as usize);
            return true;
        }
        let ev = if lk < qk {
            if SimTime((lk >> 64) as u64) > limit {
                return false;
            }
            let Some((at, ev)) = self.lines.pop() else {
                return false;
            };
            self.q.advance(at);
            ev
        } else {
            let Some((_, ev)) = self.q.pop_until(limit) else {
                return false;
            };
            ev
        };
        self.events += 1;
        match ev {
            Ev::Retry(slot) => self.on_retry(slot),
            Ev::Reach(j) => self.on_reach(j),
            Ev::Done(j) => self.on_done(j),
            Ev::Wake { region, instance, life } => self.on_wake(region as usize, instance, life),
            Ev::GiveUp { job, gen } => self.on_give_up(job, gen),
            Ev::Probe { prober, target } => self.on_probe(prober as usize, target as usize),
            Ev::ProbeResult {
                prober,
                target,
                ok,
                latency_us,
            } => self.on_probe_result(prober as usize, target as usize, ok, latency_us),
            Ev::L4GlobalPoll => self.on_l4_poll(),
            Ev::DataFailover(gen) => self.on_data_failover(gen),
            Ev::FaultStart(i) => self.on_fault(i as usize, true),
            Ev::FaultEnd(i) => self.on_fault(i as usize, false),
            Ev::Autoscale(r) => self.on_autoscale(r as usize),
            Ev::InstanceReady(r) => self.on_instance_ready(r as usize),
            Ev::WarmupDone(r) => self.reconcile(r as usize, 0),
            Ev::Tick => self.on_tick(),
        }
        true
    }

    /// Runs every event up to and including time `t` (or the end).
    pub fn run_until(&mut self, t: SimTime) {
        while self.step_until(t) {}
    }

    /// Runs to the end and returns the report.
    pub fn run(mut self) -> Report {
        self.run_until(self.end);
        self.finish()
    }

    /// Finishes the run (whatever time it reached) and builds the report.
    pub fn finish(mut self) -> Report {
        self.run_until(self.end);
        while self.rec.finalized < self.rec.nbuckets {
            let g = self.gauges();
            self.rec.finalize(&g);
        }
        // Requests still waiting to retry, or whose try has no answer yet
        // (a mask, not a search of the free list per slot: a retry storm can
        // leave hundreds of thousands of slots).
        let mut free = vec![false; self.pending.len()];
        for &slot in &self.free_pending {
            if let Some(f) = free.get_mut(slot as usize) {
                *f = true;
            }
        }
        for (slot, req) in self.pending.iter().enumerate() {
            if !free[slot] {
                self.rec.unfinished(req.population as usize);
            }
        }
        for p in self.jobs.unanswered_user_tries() {
            self.rec.unfinished(p);
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
}
