//! The request path: a try is sent, reaches its stamp, is started or queued
//! on an instance, and is answered (or given up on); its outcome goes to the
//! client, which may retry. Traffic around the router (bypass) and attack
//! payloads take the same path without retries.

use super::population::Request;
use super::routers::Route;
use super::{us, Ev, Sim};
use crate::metrics::report::FailCause;
use crate::model::clients::{self, ConnNews};
use crate::time::SimTime;

/// Marks "no POP on the path".
pub(super) const NO_POP: u16 = u16::MAX;

/// What a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum JobKind {
    /// A client's try, counted in its population.
    User,
    /// A call to the first region's own hostname, around the router.
    Bypass,
    /// An attack payload that got past the edge.
    Attack,
    /// A health probe (`population` is the prober, `target` its target).
    Probe,
}

/// One try (or probe) from the moment it is sent until its stamp is done
/// with it. Times are µs; legs and the DNS lookup fit in 32 bits (71 min).
#[derive(Clone, Copy, Debug)]
pub(super) struct Job {
    /// When the request's first try was sent (end-to-end latency).
    pub first: u64,
    pub sent: u64,
    /// Reaches its entry point: the POP, or the stamp itself.
    pub t_entry: u64,
    /// The client (or prober) stops waiting.
    pub deadline: u64,
    /// Reached the stamp.
    pub arrived: u64,
    /// Its worker is free again.
    pub end: u64,
    /// Worked out at its start: when its answer reaches the client (a
    /// probe's prober).
    pub answer_at: u64,
    /// Server time drawn when it arrived (the database call comes on top).
    pub service: u64,
    /// What the request does in the database (see `Sim::data_call`).
    pub op_seed: u64,
    /// DNS lookup before connecting.
    pub lookup: u32,
    /// One way, stamp → entry point.
    pub back_region: u32,
    /// One way, entry point → client.
    pub back_client: u32,
    pub client: u32,
    pub attempt: u32,
    pub life: u32,
    pub kill: u32,
    /// Bumped each time the slot is reused: a stale timer finds another generation.
    pub gen: u32,
    /// Index of its service interval in the audit.
    pub audit: u32,
    /// Population (prober for a probe).
    pub population: u16,
    /// Probe target index.
    pub target: u16,
    pub region: u16,
    pub pop: u16,
    pub conn_target: u16,
    pub instance: u16,
    pub kind: JobKind,
    /// Why its answer (worked out at its start) is not a success.
    pub answer_cause: FailCause,
    pub new_conn: bool,
    /// Its database call failed.
    pub data_failed: bool,
    pub answer_ok: bool,
    /// The stamp answered with an error (counted when it leaves).
    pub served_error: bool,
    /// Its success was recorded at its start and is taken back if the region
    /// becomes unreachable before `end`.
    pub tentative: bool,
    /// Waiting for a worker (its give-up timer is armed).
    pub waiting: bool,
    /// The stamp still holds it (queued or in service).
    pub at_stamp: bool,
    /// Its client (or prober) has its outcome.
    pub concluded: bool,
    pub live: bool,
}

impl Job {
    /// A job with every field zero (no POP).
    pub fn blank() -> Job {
        Job {
            first: 0,
            sent: 0,
            t_entry: 0,
            deadline: 0,
            arrived: 0,
            end: 0,
            answer_at: 0,
            service: 0,
            op_seed: 0,
            lookup: 0,
            back_region: 0,
            back_client: 0,
            client: 0,
            attempt: 0,
            life: 0,
            kill: 0,
            gen: 0,
            audit: 0,
            population: 0,
            target: 0,
            region: 0,
            pop: NO_POP,
            conn_target: 0,
            instance: 0,
            kind: JobKind::User,
            answer_cause: FailCause::Timeout,
            new_conn: false,
            data_failed: false,
            answer_ok: false,
            served_error: false,
            tentative: false,
            waiting: false,
            at_stamp: false,
            concluded: false,
            live: false,
        }
    }
}

/// The jobs in flight: a slab with a free list (no allocation per request
/// once warmed up; memory is the peak number in flight).
#[derive(Default)]
pub(super) struct Jobs {
    slab: Vec<Job>,
    free: Vec<u32>,
}

impl Jobs {
    pub fn alloc(&mut self, mut job: Job) -> u32 {
        job.live = true;
        match self.free.pop() {
            Some(j) => {
                job.gen = self.slab[j as usize].gen.wrapping_add(1);
                self.slab[j as usize] = job;
                j
            }
            None => {
                self.slab.push(job);
                (self.slab.len() - 1) as u32
            }
        }
    }

    pub fn release(&mut self, j: u32) {
        let job = &mut self.slab[j as usize];
        debug_assert!(job.live, "released twice");
        job.live = false;
        self.free.push(j);
    }

    #[inline]
    pub fn get(&self, j: u32) -> &Job {
        &self.slab[j as usize]
    }

    #[inline]
    pub fn get_mut(&mut self, j: u32) -> &mut Job {
        &mut self.slab[j as usize]
    }

    /// Populations of user tries still waiting for their answer.
    pub fn unanswered_user_tries(&self) -> impl Iterator<Item = usize> + '_ {
        self.slab
            .iter()
            .filter(|j| j.live && j.kind == JobKind::User && !j.concluded)
            .map(|j| j.population as usize)
    }
}

impl Sim {
    pub(super) fn on_arrival(&mut self, p: usize) {
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
        let op_seed = if self.data.is_some() {
            self.populations[p].rng_data.next_u64()
        } else {
            0
        };
        self.send(p, client, 1, now, op_seed);
    }

    pub(super) fn on_retry(&mut self, slot: u32) {
        let r = self.pending[slot as usize];
        self.free_pending.push(slot);
        self.send(r.population as usize, r.client, r.attempt, r.first, r.op_seed);
    }

    /// Sends try number `attempt` of a request of client `client`.
    fn send(&mut self, p: usize, client: u32, attempt: u32, first: SimTime, op_seed: u64) {
        let now = self.q.now();
        let ci = client as usize;
        let Some(route) = self.route(p, ci, now) else {
            // No POP up at all: the anycast address does not answer.
            let pop = &self.populations[p];
            let t_done = now.0 + pop.connect_timeout_us.min(pop.timeout_us);
            self.rec.try_sent_nowhere(p, now.0);
            self.populations[p].clients[ci].hear(ConnNews::Broken, SimTime(t_done));
            let req = Request {
                population: p as u16,
                client,
                attempt,
                first,
                op_seed,
            };
            self.conclude(req, t_done, Err(FailCause::Connect));
            return;
        };
        self.rec.try_sent(p, route.region, now.0);
        if let Some(a) = &mut self.audit {
            a.tries
                .push((now.0, p, self.populations[p].clients[ci].class, route.region));
        }
        let pop = &self.populations[p];
        let job = Job {
            kind: JobKind::User,
            population: p as u16,
            attempt,
            client,
            first: first.0,
            op_seed,
            deadline: now.0 + pop.timeout_us,
            ..self.path(now.0, &route, pop.handshake)
        };
        self.put_on_wire(job, &route);
    }

    /// A job's path fields for a try sent at `now` along `route`.
    fn path(&self, now: u64, route: &Route, handshake: u32) -> Job {
        let hs = if route.new_conn {
            us(route.entry_rtt_ms) * handshake as u64
        } else {
            0
        };
        Job {
            sent: now,
            region: route.region as u16,
            pop: route.pop.map_or(NO_POP, |x| x as u16),
            conn_target: route.conn_target as u16,
            new_conn: route.new_conn,
            lookup: route.extra_us as u32,
            t_entry: now + route.extra_us + hs + us(route.entry_rtt_ms / 2.0),
            back_region: us(route.backbone_rtt_ms / 2.0) as u32,
            back_client: us(route.entry_rtt_ms / 2.0) as u32,
            ..Job::blank()
        }
    }

    /// Puts a job on the wire: it reaches its stamp after the backbone leg.
    fn put_on_wire(&mut self, job: Job, route: &Route) {
        let t_region = job.t_entry + us(route.backbone_rtt_ms / 2.0);
        let j = self.jobs.alloc(job);
        self.q.schedule(SimTime(t_region), Ev::Reach(j));
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
        let route = Route {
            region: 0,
            entry_rtt_ms: self.populations[p].rtt_region_ms[0],
            backbone_rtt_ms: 0.0,
            extra_us: 0,
            new_conn: false,
            conn_target: 0,
            pop: None,
        };
        let job = Job {
            kind: JobKind::Bypass,
            population: p as u16,
            deadline: now.0 + self.populations[p].timeout_us,
            ..self.path(now.0, &route, 0)
        };
        self.put_on_wire(job, &route);
    }

    /// A request with an attack payload: blocked at the edge by WAF managed
    /// rules, else one try at the stamp the router (or, without an edge, the
    /// nearest reachable region) sends it to. It loads the stamp like any request.
    fn attack_try(&mut self, p: usize, now: SimTime) {
        self.attacks.requests += 1;
        // Drawn whether or not the WAF blocks it, so a design with and one
        // without managed rules see the same attacks (common random numbers).
        let u = self.populations[p].rng_attack.unit();
        if self.waf_blocks_attacks {
            self.attacks.blocked_at_edge += 1;
            return;
        }
        let pop = &self.populations[p];
        let route = match &self.router {
            super::routers::Router::FrontDoor(fd) => crate::model::anycast::nearest_up_pop(&pop.pop_order, &fd.pop_up)
                .map(|pi| {
                    let r = crate::model::anycast::pick(&fd.pops[pi].table, u);
                    Route {
                        region: r,
                        entry_rtt_ms: pop.rtt_pop_ms[pi],
                        backbone_rtt_ms: fd.pops[pi].rtt_region_ms[r],
                        extra_us: 0,
                        new_conn: false,
                        conn_target: pi,
                        pop: Some(pi),
                    }
                }),
            _ => (0..self.regions.len())
                .filter(|&r| !self.regions[r].cond.unreachable)
                .min_by(|&a, &b| pop.rtt_region_ms[a].total_cmp(&pop.rtt_region_ms[b]))
                .map(|r| Route {
                    region: r,
                    entry_rtt_ms: pop.rtt_region_ms[r],
                    backbone_rtt_ms: 0.0,
                    extra_us: 0,
                    new_conn: false,
                    conn_target: r,
                    pop: None,
                }),
        };
        let Some(route) = route else {
            self.attacks.unanswered += 1;
            return;
        };
        let job = Job {
            kind: JobKind::Attack,
            population: p as u16,
            deadline: now.0 + self.populations[p].timeout_us,
            ..self.path(now.0, &route, 0)
        };
        self.put_on_wire(job, &route);
    }

    /// Job `j`'s client hears `res` at `t`. `at_live_stamp`: a failure there
    /// counts against the region's capacity (shed, or given up on while
    /// waiting or being served at a stamp that did not die).
    pub(super) fn answer(&mut self, j: u32, t: u64, res: Result<(), FailCause>, at_live_stamp: bool) {
        let job = self.jobs.get_mut(j);
        job.concluded = true;
        let job = *job;
        self.answer_job(&job, t, res, at_live_stamp);
    }

    /// [`Sim::answer`] for a job by value (one no longer in the slab).
    pub(super) fn answer_job(&mut self, job: &Job, t: u64, res: Result<(), FailCause>, at_live_stamp: bool) {
        if at_live_stamp && matches!(res, Err(FailCause::Shed | FailCause::Timeout | FailCause::Gateway)) {
            self.rec.capacity_failure(job.region as usize, t);
        }
        let p = job.population as usize;
        match job.kind {
            JobKind::User => {
                // The client learns what became of its connection when the
                // answer (or its own timeout) comes, not before.
                let news = match res {
                    Err(FailCause::Timeout) | Err(FailCause::Connect) => ConnNews::Broken,
                    _ => ConnNews::Used {
                        target: job.conn_target,
                        new: job.new_conn,
                        opened: SimTime(job.sent),
                    },
                };
                self.populations[p].clients[job.client as usize].hear(news, SimTime(t));
                let req = Request {
                    population: job.population,
                    client: job.client,
                    attempt: job.attempt,
                    first: SimTime(job.first),
                    op_seed: job.op_seed,
                };
                self.conclude(req, t, res);
            }
            JobKind::Bypass => {
                if res.is_ok() {
                    self.bypass.served += 1;
                } else {
                    self.bypass.failed += 1;
                }
            }
            JobKind::Attack | JobKind::Probe => {}
        }
    }

    /// The try of request `req` ended at `t_done` with `res`: record it, or
    /// schedule the next try after a jittered backoff.
    pub(super) fn conclude(&mut self, req: Request, t_done: u64, res: Result<(), FailCause>) {
        let p = req.population as usize;
        match res {
            Ok(()) => self.rec.succeeded(p, t_done, t_done - req.first.0),
            Err(cause) => {
                let pop = &mut self.populations[p];
                if req.attempt < pop.attempts && t_done < self.end.0 {
                    let wait = clients::backoff(&pop.retry, req.attempt, pop.rng_retry.unit());
                    let at = SimTime(t_done) + wait;
                    if at >= self.end {
                        self.rec.unfinished(p);
                        return;
                    }
                    let pending = Request {
                        attempt: req.attempt + 1,
                        ..req
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
}
