//! The request path: a try is sent, reaches its stamp, is started or queued
//! on an instance, and is answered (or given up on); its outcome goes to the
//! client, which may retry. Traffic around the router (bypass) and attack
//! payloads take the same path without retries.

use super::population::Request;
use super::routers::Route;
use super::{Ev, Sim};
use crate::engine::derived_unit;
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
/// Kept to 128 bytes: handlers copy it out of the slab once.
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
    /// The key its database call uses (drawn from `op_seed` when it is sent).
    pub key: u32,
    /// DNS lookup before connecting.
    pub lookup: u32,
    /// One way, stamp → entry point.
    pub back_region: u32,
    /// One way, entry point → client.
    pub back_client: u32,
    pub client: u32,
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
    pub attempt: u16,
    /// The region's life and kill counts when it arrived (see `RegionRt`).
    pub life: u16,
    pub kill: u16,
    pub kind: JobKind,
    /// Why its answer (worked out at its start) is not a success.
    pub answer_cause: FailCause,
    pub new_conn: bool,
    /// Its database call failed.
    pub data_failed: bool,
    pub answer_ok: bool,
    /// The stamp answered with an error (counted when it leaves).
    pub served_error: bool,
    /// Waiting for a worker (its give-up timer is armed).
    pub waiting: bool,
    /// The stamp still holds it (queued, or in service awaiting `Done`).
    pub at_stamp: bool,
    /// Its client (or prober) has its outcome.
    pub concluded: bool,
    pub live: bool,
}

// Handlers copy a job out of the slab whole: it stays within 128 bytes.
const _: () = assert!(std::mem::size_of::<Job>() <= 128);

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
            key: 0,
            lookup: 0,
            back_region: 0,
            back_client: 0,
            client: 0,
            gen: 0,
            audit: 0,
            population: 0,
            target: 0,
            region: 0,
            pop: NO_POP,
            conn_target: 0,
            instance: 0,
            attempt: 0,
            life: 0,
            kill: 0,
            kind: JobKind::User,
            answer_cause: FailCause::Timeout,
            new_conn: false,
            data_failed: false,
            answer_ok: false,
            served_error: false,
            waiting: false,
            at_stamp: false,
            concluded: false,
            live: false,
        }
    }

    /// The client's request this try belongs to.
    pub fn request(&self) -> Request {
        Request {
            population: self.population,
            client: self.client,
            attempt: self.attempt as u32,
            first: SimTime(self.first),
            op_seed: self.op_seed,
            cause: FailCause::Timeout,
        }
    }
}

/// What a region keeps of a job its workers started, until its service is
/// over: what it takes to cut its busy time if the region is wiped out and,
/// for a success recorded at its start, to take it back and answer the job as
/// killed. The job itself stays in the slab until then (`owns`: the entry
/// releases it; a job waiting for its `Done` event is released there).
#[derive(Clone, Copy, Debug)]
pub(super) struct InService {
    pub end: u64,
    pub job: u32,
    /// Its success was recorded at its start and is taken back if the region
    /// becomes unreachable before `end`.
    pub tentative: bool,
    pub owns: bool,
}

impl InService {
    /// The job again, as far as answering it goes (what a killed job's
    /// answer is worked out from).
    pub fn answerable(job: &Job) -> Job {
        Job {
            end: job.end,
            answer_at: job.answer_at,
            first: job.first,
            op_seed: job.op_seed,
            deadline: job.deadline,
            t_entry: job.t_entry,
            client: job.client,
            back_client: job.back_client,
            audit: job.audit,
            attempt: job.attempt,
            population: job.population,
            pop: job.pop,
            kind: job.kind,
            region: job.region,
            ..Job::blank()
        }
    }
}

/// The jobs in flight: a slab with a free list (no allocation per request
/// once warmed up; memory is the peak number in flight).
#[derive(Clone, Default)]
pub(super) struct Jobs {
    slab: Vec<Job>,
    free: Vec<u32>,
}

impl Jobs {
    /// Stores `job` (live) in a free slot (its generation bumped).
    #[inline(always)]
    pub fn alloc(&mut self, mut job: Job) -> u32 {
        job.live = true;
        match self.free.pop() {
            Some(j) => {
                let slot = &mut self.slab[j as usize];
                job.gen = slot.gen.wrapping_add(1);
                *slot = job;
                j
            }
            None => {
                self.slab.push(job);
                (self.slab.len() - 1) as u32
            }
        }
    }

    /// A live blank job (see [`Job::blank`]) in a free slot, its generation
    /// bumped, to be filled in place.
    #[inline(always)]
    pub fn alloc_blank(&mut self) -> (u32, &mut Job) {
        let j = match self.free.pop() {
            Some(j) => j,
            None => {
                self.slab.push(Job::blank());
                (self.slab.len() - 1) as u32
            }
        };
        let slot = &mut self.slab[j as usize];
        let gen = slot.gen.wrapping_add(1);
        *slot = Job {
            gen,
            live: true,
            ..Job::blank()
        };
        (j, slot)
    }

    #[inline]
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
        let client = self.next_arrival(p);
        let pop = &mut self.populations[p];
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
        let op_seed = if self.data.is_some() { self.take_op_seed(p) } else { 0 };
        self.send(p, client, 1, now, op_seed, FailCause::Timeout);
    }

    pub(super) fn on_retry(&mut self, slot: u32) {
        let r = self.pending[slot as usize];
        self.free_pending.push(slot);
        self.send(r.population as usize, r.client, r.attempt, r.first, r.op_seed, r.cause);
    }

    /// Sends try number `attempt` of a request of client `client` (`cause`:
    /// why the previous try failed) — unless the client's circuit breaker is
    /// open, or its retry budget refuses a retry: then the request fails now.
    fn send(&mut self, p: usize, client: u32, attempt: u32, first: SimTime, op_seed: u64, cause: FailCause) {
        let now = self.q.now();
        let ci = client as usize;
        // The key is drawn from `op_seed` here rather than when a worker
        // starts the try (the same key either way), so its state can be on
        // its way into the cache by then (a first try's popularity column
        // was fetched a request ago, `Sim::take_op_seed`).
        let key = match &self.data {
            Some(d) => {
                let key = d.key_at(derived_unit(op_seed, 1));
                d.prefetch_key(key);
                key
            }
            None => 0,
        };
        if let Some(g) = &mut self.populations[p].guards {
            g.catch_up(now.0);
            if g.open(client, now.0) {
                self.rec.failed(p, now.0, FailCause::CircuitOpen);
                return;
            }
            if attempt > 1 && !g.retry_allowed(client) {
                self.rec.failed(p, now.0, cause);
                return;
            }
        }
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
                cause,
            };
            self.conclude(req, t_done, Err(FailCause::Connect), 0);
            return;
        };
        self.rec.try_sent(p, route.region, now.0);
        if let Some(a) = &mut self.audit {
            a.tries
                .push((now.0, p, self.populations[p].clients[ci].class, route.region));
        }
        let pop = &self.populations[p];
        let (handshake, deadline) = (pop.handshake, now.0 + pop.timeout_us);
        let j = self.put_on_wire(now.0, &route, handshake);
        let job = self.jobs.get_mut(j);
        job.population = p as u16;
        job.attempt = attempt as u16;
        job.client = client;
        job.first = first.0;
        job.op_seed = op_seed;
        job.key = key;
        job.deadline = deadline;
    }

    /// A new job sent at `now` along `route` (its path filled in, a user
    /// try until told otherwise): it reaches its stamp after the backbone leg.
    #[inline(always)]
    fn put_on_wire(&mut self, now: u64, route: &Route, handshake: u32) -> u32 {
        let hs = if route.new_conn {
            route.entry_rtt_us * handshake as u64
        } else {
            0
        };
        let t_entry = now + route.extra_us + hs + route.entry_half_us;
        let (j, job) = self.jobs.alloc_blank();
        job.sent = now;
        job.region = route.region as u16;
        job.pop = route.pop.map_or(NO_POP, |x| x as u16);
        job.conn_target = route.conn_target as u16;
        job.new_conn = route.new_conn;
        job.lookup = route.extra_us as u32;
        job.t_entry = t_entry;
        job.back_region = route.backbone_half_us as u32;
        job.back_client = route.entry_half_us as u32;
        let trip = t_entry + route.backbone_half_us - now;
        self.lines.push(&mut self.q, trip, Ev::Reach(j));
        j
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
        let route = Route::to_region(&self.populations[p], 0, false, 0);
        self.send_once(p, now, &route, JobKind::Bypass);
    }

    /// One try of population `p`'s outside the router's bookkeeping (bypass
    /// or attack traffic): no retries, no data call.
    fn send_once(&mut self, p: usize, now: SimTime, route: &Route, kind: JobKind) {
        let deadline = now.0 + self.populations[p].timeout_us;
        let j = self.put_on_wire(now.0, route, 0);
        let job = self.jobs.get_mut(j);
        job.kind = kind;
        job.population = p as u16;
        job.deadline = deadline;
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
                .map(|pi| Route::via_pop(pop, fd, pi, crate::model::anycast::pick(&fd.pops[pi].table, u), false)),
            _ => (0..self.regions.len())
                .filter(|&r| !self.regions[r].cond.unreachable)
                .min_by(|&a, &b| pop.rtt_region_ms[a].total_cmp(&pop.rtt_region_ms[b]))
                .map(|r| Route::to_region(pop, r, false, 0)),
        };
        let Some(route) = route else {
            self.attacks.unanswered += 1;
            return;
        };
        self.send_once(p, now, &route, JobKind::Attack);
    }

    /// `job`'s client hears `res` at `t`. `at_live_stamp`: a failure there
    /// counts against the region's capacity (shed, or given up on while
    /// waiting or being served at a stamp that did not die).
    #[inline(always)]
    pub(super) fn answer(&mut self, job: &Job, t: u64, res: Result<(), FailCause>, at_live_stamp: bool) {
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
                // A shed request's 503 may carry a Retry-After.
                let retry_after = match res {
                    Err(FailCause::Shed) => self.regions[job.region as usize].retry_after_us,
                    _ => 0,
                };
                self.conclude(job.request(), t, res, retry_after);
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
    #[inline(always)]
    pub(super) fn conclude(&mut self, req: Request, t_done: u64, res: Result<(), FailCause>, retry_after_us: u64) {
        let p = req.population as usize;
        if let Some(g) = &mut self.populations[p].guards {
            g.note(t_done, req.client, res.is_ok());
        }
        match res {
            Ok(()) => self.rec.succeeded(p, t_done, t_done - req.first.0),
            Err(cause) => self.retry_or_fail(req, t_done, cause, retry_after_us),
        }
    }

    /// A try of `req` failed at `t_done` (`cause`): the next try after a
    /// jittered backoff, or the request fails.
    #[inline(never)]
    fn retry_or_fail(&mut self, req: Request, t_done: u64, cause: FailCause, retry_after_us: u64) {
        let p = req.population as usize;
        let pop = &mut self.populations[p];
        if req.attempt < pop.attempts && t_done < self.end.0 {
            let mut wait = clients::backoff(&pop.retry, req.attempt, pop.rng_retry.unit());
            if pop.retry.honour_retry_after {
                wait = wait.max(crate::time::SimDuration(retry_after_us));
            }
            let at = SimTime(t_done) + wait;
            if at >= self.end {
                self.rec.unfinished(p);
                return;
            }
            let pending = Request {
                attempt: req.attempt + 1,
                cause,
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
