//! A regional stamp (App Service plan, AZURE_FACTS §4): the front end hands
//! each request to one instance by a dispatch rule; an instance serves up to
//! its worker limit at once and queues the rest in its own FIFO queue.
//!
//! The stamp is plain state with no clock. The simulation calls it in time
//! order: [`Stamp::arrive`] when a request reaches the region, [`Stamp::wake`]
//! when a worker an instance's queue waits for becomes free. Because requests
//! are offered in the order they reach the stamp, each worker can be kept in
//! closed form — the time it is next free — and a request that finds a free
//! worker starts at once with no event of its own: `start = max(arrival,
//! earliest free worker)` is exact for FCFS service in arrival order.
//!
//! Instances come and go with autoscale and faults: a new instance joins the
//! rotation with free workers; a removed one leaves the rotation and *drains*
//! (serves what is queued on it) before it is gone; a lower worker limit
//! (capacity loss, warm-up) lets busy workers finish and starts nothing new
//! until fewer than the limit are busy.

use crate::engine::FastExp;
use crate::engine::SimRng;
use crate::scenario::{Dispatch, ServiceTime};
use rand_distr::{Distribution, Exp1, StandardNormal};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Where an arriving request went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrive {
    /// A free worker of instance `.0` took it now; the caller tells the
    /// stamp when that worker is free again ([`Stamp::occupy`]).
    Started(u16),
    /// It waits in instance `.0`'s queue.
    Queued(u16),
    /// That instance's queue is full (or there is no instance): 503.
    Shed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// In the front end's rotation.
    Active,
    /// Out of the rotation, serving what is queued on it.
    Draining,
    /// Gone (its slot is reused by the next new instance).
    Gone,
}

#[derive(Clone, Debug)]
struct Instance {
    /// Worker limit now.
    limit: u32,
    /// When each worker that exists is next free (µs). More than `limit`
    /// only while busy workers above a lowered limit finish.
    workers: BinaryHeap<Reverse<u64>>,
    queue: VecDeque<u32>,
    /// A wake-up is due then (the earliest worker free while jobs wait).
    wake_at: Option<u64>,
    state: State,
    /// Serves at reduced capacity until then (µs).
    warm_until: u64,
    /// The latest time any of its workers is busy until.
    busy_until: u64,
}

impl Instance {
    fn new(warm_until: u64) -> Instance {
        Instance {
            limit: 0,
            workers: BinaryHeap::new(),
            queue: VecDeque::new(),
            wake_at: None,
            state: State::Active,
            warm_until,
            busy_until: 0,
        }
    }

    /// Whether a worker is free at `t` and the limit allows it to start
    /// something (workers above a lowered limit retire as they free).
    #[inline]
    fn has_free(&mut self, t: u64) -> bool {
        while self.workers.len() > self.limit as usize && self.workers.peek().is_some_and(|w| w.0 <= t) {
            self.workers.pop();
        }
        self.workers.peek().is_some_and(|w| w.0 <= t)
    }

    fn idle_at(&self, t: u64) -> bool {
        self.queue.is_empty() && self.busy_until <= t
    }
}

/// The stamp: its instances, their queues, and the front end's rotation.
#[derive(Clone, Debug)]
pub struct Stamp {
    dispatch: Dispatch,
    /// Requests one instance may hold waiting before it sheds.
    queue_limit: u32,
    instances: Vec<Instance>,
    /// Instances in the rotation, oldest first.
    rotation: Vec<u16>,
    next_rr: usize,
    /// Pooled rule: warm-up end of each logical instance, oldest first.
    pooled: Vec<u64>,
    queued: u32,
    slots: u32,
}

impl Stamp {
    /// An empty stamp (no instance yet).
    pub fn new(dispatch: Dispatch, queue_limit_per_instance: u32) -> Stamp {
        Stamp {
            dispatch,
            queue_limit: queue_limit_per_instance,
            instances: Vec::new(),
            rotation: Vec::new(),
            next_rr: 0,
            pooled: Vec::new(),
            queued: 0,
            slots: 0,
        }
    }

    /// Requests waiting for a worker.
    #[inline]
    pub fn queued(&self) -> u32 {
        self.queued
    }

    /// Serving capacity: the worker limits of the instances in rotation.
    #[inline]
    pub fn slots(&self) -> u32 {
        self.slots
    }

    /// Instance slots (in rotation, draining or gone): valid instance ids
    /// are below this.
    pub fn instances(&self) -> usize {
        self.instances.len()
    }

    /// Instances in the rotation (one for the pooled rule).
    #[cfg(test)]
    pub fn in_rotation(&self) -> usize {
        self.rotation.len()
    }

    fn queue_limit_of(&self) -> usize {
        match self.dispatch {
            // One shared queue: the instances' queues together.
            Dispatch::Pooled => self.queue_limit as usize * self.pooled.len().max(1),
            _ => self.queue_limit as usize,
        }
    }

    /// Offers a request (job id `job`) reaching the stamp at `t`; `u` is a
    /// uniform number in [0, 1) for the random rule.
    #[inline]
    pub fn arrive(&mut self, t: u64, job: u32, u: f64) -> Arrive {
        let n = self.rotation.len();
        if n == 0 {
            return Arrive::Shed;
        }
        let k = match self.dispatch {
            Dispatch::Pooled => 0,
            Dispatch::RoundRobin => {
                // (No division in the common case: the rotation rarely shrinks.)
                let k = if self.next_rr < n {
                    self.next_rr
                } else {
                    self.next_rr % n
                };
                self.next_rr = k + 1;
                k
            }
            Dispatch::Random => ((u * n as f64) as usize).min(n - 1),
        };
        let i = self.rotation[k];
        let limit = self.queue_limit_of();
        let inst = &mut self.instances[i as usize];
        if inst.queue.is_empty() && inst.has_free(t) {
            Arrive::Started(i)
        } else if inst.queue.len() < limit {
            inst.queue.push_back(job);
            self.queued += 1;
            Arrive::Queued(i)
        } else {
            Arrive::Shed
        }
    }

    /// The free worker of instance `i` that [`Stamp::arrive`] or
    /// [`Stamp::next_job`] found takes the job: it is busy until `end`.
    #[inline]
    pub fn occupy(&mut self, i: u16, end: u64) {
        let inst = &mut self.instances[i as usize];
        if let Some(mut w) = inst.workers.peek_mut() {
            w.0 = end;
        }
        inst.busy_until = inst.busy_until.max(end);
    }

    /// The next queued job of instance `i` that a worker free at `t` can
    /// start (the caller starts it and [`Stamp::occupy`]s the worker).
    #[inline]
    pub fn next_job(&mut self, i: u16, t: u64) -> Option<u32> {
        let inst = &mut self.instances[i as usize];
        if inst.queue.is_empty() || inst.state == State::Gone || !inst.has_free(t) {
            return None;
        }
        self.queued -= 1;
        inst.queue.pop_front()
    }

    /// When instance `i` must be woken to start its queued jobs: the time its
    /// earliest worker is free, if jobs wait and no wake-up is due yet. The
    /// caller schedules it and comes back with [`Stamp::wake`].
    #[inline]
    pub fn wake_needed(&mut self, i: u16) -> Option<u64> {
        let inst = &mut self.instances[i as usize];
        if inst.queue.is_empty() || inst.wake_at.is_some() || inst.state == State::Gone {
            return None;
        }
        // (A worker above a lowered limit only retires when it is free: the
        // wake-up then finds nothing to start and asks for the next one.)
        let at = inst.workers.peek()?.0;
        inst.wake_at = Some(at);
        Some(at)
    }

    /// A wake-up of instance `i` at `t` arrived: true if it is the one due
    /// (the caller then starts [`Stamp::next_job`]s and asks
    /// [`Stamp::wake_needed`] again).
    #[inline]
    pub fn wake(&mut self, i: u16, t: u64) -> bool {
        let Some(inst) = self.instances.get_mut(i as usize) else {
            return false;
        };
        if inst.wake_at == Some(t) {
            inst.wake_at = None;
            true
        } else {
            false
        }
    }

    /// Sets the rotation to `n` instances at `now`: new ones join and warm
    /// until `warm_until`; surplus ones (the newest first) drain.
    pub fn set_instances(&mut self, now: u64, n: usize, warm_until: u64) {
        if self.dispatch == Dispatch::Pooled {
            // One logical instance holding every worker.
            if self.instances.is_empty() {
                self.instances.push(Instance::new(0));
            }
            self.pooled.resize(n, warm_until);
            let inst = &mut self.instances[0];
            inst.state = if n > 0 { State::Active } else { State::Draining };
            if n == 0 {
                self.slots -= inst.limit.min(self.slots);
                inst.limit = 0;
            }
            self.rotation.clear();
            if n > 0 {
                self.rotation.push(0);
            }
            return;
        }
        while self.rotation.len() < n {
            let i = match self
                .instances
                .iter()
                .position(|x| x.state == State::Gone || (x.state == State::Draining && x.idle_at(now)))
            {
                Some(i) => {
                    self.instances[i] = Instance::new(warm_until);
                    i
                }
                None => {
                    self.instances.push(Instance::new(warm_until));
                    self.instances.len() - 1
                }
            };
            self.rotation.push(i as u16);
        }
        while self.rotation.len() > n {
            let Some(i) = self.rotation.pop() else { break };
            let inst = &mut self.instances[i as usize];
            self.slots -= inst.limit;
            inst.state = if inst.idle_at(now) {
                State::Gone
            } else {
                State::Draining
            };
        }
    }

    /// Sets the worker limit of each instance in rotation: `full`, or
    /// `warming` for one still warming up at `now`, then `keep` (0–1) of the
    /// total, spread evenly (capacity loss). New workers are free at once:
    /// the caller starts the queued jobs that now fit ([`Stamp::next_job`]).
    pub fn set_workers(&mut self, now: u64, full: u32, warming: u32, keep: f64) {
        let limits: Vec<u32> = if self.dispatch == Dispatch::Pooled {
            vec![self.pooled.iter().map(|&w| if w > now { warming } else { full }).sum()]
        } else {
            self.rotation
                .iter()
                .map(|&i| {
                    if self.instances[i as usize].warm_until > now {
                        warming
                    } else {
                        full
                    }
                })
                .collect()
        };
        let total: u32 = limits.iter().sum();
        let target = ((total as f64) * keep).floor() as u32;
        let mut given: Vec<u32> = limits.iter().map(|&l| ((l as f64) * keep).floor() as u32).collect();
        let mut extra = target.saturating_sub(given.iter().sum());
        for (g, &l) in given.iter_mut().zip(&limits) {
            if extra == 0 {
                break;
            }
            if *g < l {
                *g += 1;
                extra -= 1;
            }
        }
        for (k, &i) in self.rotation.iter().enumerate() {
            let inst = &mut self.instances[i as usize];
            self.slots = self.slots - inst.limit + given[k];
            inst.limit = given[k];
            while inst.workers.len() < inst.limit as usize {
                inst.workers.push(Reverse(now));
            }
        }
    }

    /// Drops everything (the region died). The jobs that were waiting go to
    /// `dropped`; those being served are the caller's to forget.
    pub fn clear(&mut self, dropped: &mut Vec<u32>) {
        for inst in &mut self.instances {
            dropped.extend(inst.queue.drain(..));
        }
        self.instances.clear();
        self.rotation.clear();
        self.next_rr = 0;
        self.pooled.clear();
        self.queued = 0;
        self.slots = 0;
    }
}

/// Draws a request's server time from the region's distribution.
#[derive(Clone, Debug)]
pub enum ServiceSampler {
    /// Exponential with this mean, µs.
    Exp(f64),
    /// Log-normal: exp(μ + σz), z standard normal (`exp` the same on every
    /// platform, see [`FastExp`]).
    LogNormal {
        /// ln of the median, µs.
        mu: f64,
        /// The spread (from the median and the p99).
        sigma: f64,
        /// The `exp` it uses.
        exp: FastExp,
    },
    /// Always this many µs.
    Const(u64),
}

impl ServiceSampler {
    /// The sampler for a scenario's service-time distribution.
    pub fn new(s: &ServiceTime) -> Self {
        match s {
            ServiceTime::Exponential { mean } => ServiceSampler::Exp(mean.as_micros() as f64),
            ServiceTime::Constant { value } => ServiceSampler::Const(value.as_micros()),
            ServiceTime::Lognormal { median, p99 } => {
                let sigma = crate::scenario::lognormal_sigma(*median, *p99);
                let mu = libm::log(median.as_micros().max(1) as f64);
                if sigma.is_finite() && sigma >= 0.0 && mu.is_finite() {
                    ServiceSampler::LogNormal {
                        mu,
                        sigma,
                        exp: FastExp::new(),
                    }
                } else {
                    ServiceSampler::Const(median.as_micros())
                }
            }
        }
    }

    /// One draw, µs, between 1 and `cap`.
    #[inline]
    pub fn sample(&self, rng: &mut SimRng, cap: u64) -> u64 {
        let v = match self {
            ServiceSampler::Exp(mean) => {
                let e: f64 = Exp1.sample(rng.inner());
                (e * mean) as u64
            }
            ServiceSampler::LogNormal { mu, sigma, exp } => {
                let z: f64 = StandardNormal.sample(rng.inner());
                exp.exp(mu + sigma * z) as u64
            }
            ServiceSampler::Const(c) => *c,
        };
        v.clamp(1, cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(d: Dispatch, n: usize, workers: u32, qlimit: u32) -> Stamp {
        let mut s = Stamp::new(d, qlimit);
        s.set_instances(0, n, 0);
        s.set_workers(0, workers, workers, 1.0);
        s
    }

    /// Offers `job` at `t`; a started one is busy for `service`.
    fn offer(s: &mut Stamp, t: u64, job: u32, service: u64) -> Arrive {
        let a = s.arrive(t, job, 0.0);
        if let Arrive::Started(i) = a {
            s.occupy(i, t + service);
        }
        a
    }

    #[test]
    fn round_robin_cycles_and_each_instance_queues_alone() {
        let mut s = stamp(Dispatch::RoundRobin, 2, 1, 10);
        assert_eq!(offer(&mut s, 0, 1, 100), Arrive::Started(0));
        assert_eq!(offer(&mut s, 1, 2, 10), Arrive::Started(1));
        assert_eq!(offer(&mut s, 2, 3, 10), Arrive::Queued(0));
        assert_eq!(offer(&mut s, 3, 4, 10), Arrive::Queued(1));
        assert_eq!((s.queued(), s.slots()), (2, 2));
        // Instance 1's worker is free at 11: it starts its own queue, not
        // instance 0's (whose worker is busy until 100).
        assert_eq!(s.wake_needed(1), Some(11));
        assert_eq!(s.wake_needed(0), Some(100));
        assert!(s.wake(1, 11));
        assert_eq!(s.next_job(1, 11), Some(4));
        assert_eq!(s.next_job(0, 11), None);
        assert_eq!(s.queued(), 1);
    }

    #[test]
    fn a_request_arriving_after_a_worker_frees_starts_at_once() {
        let mut s = stamp(Dispatch::RoundRobin, 1, 1, 10);
        assert_eq!(offer(&mut s, 0, 1, 50), Arrive::Started(0));
        // No event freed the worker: its free time is known.
        assert_eq!(offer(&mut s, 60, 2, 50), Arrive::Started(0));
        assert_eq!(offer(&mut s, 70, 3, 50), Arrive::Queued(0));
    }

    #[test]
    fn pooled_is_one_queue_for_all_workers() {
        let mut s = stamp(Dispatch::Pooled, 2, 1, 1);
        assert_eq!(s.slots(), 2);
        assert_eq!(offer(&mut s, 0, 1, 10), Arrive::Started(0));
        assert_eq!(offer(&mut s, 0, 2, 20), Arrive::Started(0));
        assert_eq!(offer(&mut s, 0, 3, 10), Arrive::Queued(0));
        assert_eq!(offer(&mut s, 0, 4, 10), Arrive::Queued(0), "two instances' queues");
        assert_eq!(offer(&mut s, 0, 5, 10), Arrive::Shed);
        assert_eq!(s.wake_needed(0), Some(10));
    }

    #[test]
    fn random_dispatch_follows_the_uniform_number() {
        let mut s = stamp(Dispatch::Random, 4, 1, 10);
        assert_eq!(s.arrive(0, 1, 0.99), Arrive::Started(3));
        s.occupy(3, 10);
        assert_eq!(s.arrive(0, 2, 0.30), Arrive::Started(1));
        s.occupy(1, 10);
        assert_eq!(s.arrive(0, 3, 0.31), Arrive::Queued(1));
    }

    #[test]
    fn full_queue_sheds_and_no_instance_sheds() {
        let mut s = stamp(Dispatch::RoundRobin, 1, 1, 1);
        offer(&mut s, 0, 1, 10);
        assert_eq!(offer(&mut s, 0, 2, 10), Arrive::Queued(0));
        assert_eq!(offer(&mut s, 0, 3, 10), Arrive::Shed);
        let mut empty = Stamp::new(Dispatch::RoundRobin, 10);
        assert_eq!(empty.arrive(0, 1, 0.0), Arrive::Shed);
    }

    #[test]
    fn a_removed_instance_serves_its_queue_then_goes() {
        let mut s = stamp(Dispatch::RoundRobin, 2, 1, 10);
        offer(&mut s, 0, 1, 10); // instance 0
        offer(&mut s, 0, 2, 10); // instance 1
        offer(&mut s, 0, 3, 10); // queued on 0
        offer(&mut s, 0, 4, 10); // queued on 1
        s.set_instances(1, 1, 0); // instance 1 leaves the rotation
        assert_eq!(s.slots(), 1);
        assert_eq!(offer(&mut s, 1, 5, 10), Arrive::Queued(0), "no new work for instance 1");
        assert_eq!(s.wake_needed(1), Some(10), "it still serves what it holds");
        assert!(s.wake(1, 10));
        assert_eq!(s.next_job(1, 10), Some(4));
        s.occupy(1, 20);
        // Busy until 20: its slot is reused only after that.
        s.set_instances(15, 2, 0);
        assert_eq!(s.in_rotation(), 2);
        s.set_workers(15, 1, 1, 1.0);
        assert_eq!(
            s.arrive(16, 6, 0.0),
            Arrive::Started(2),
            "a new instance, not the draining one"
        );
        s.occupy(2, 30);
        assert_eq!(s.arrive(16, 7, 0.0), Arrive::Queued(0));
    }

    #[test]
    fn more_workers_start_queued_requests_fewer_let_busy_ones_finish() {
        let mut s = stamp(Dispatch::RoundRobin, 1, 2, 10);
        for j in 1..=4 {
            offer(&mut s, 0, j, 100);
        }
        assert_eq!(s.queued(), 2);
        s.set_workers(5, 4, 4, 1.0);
        for j in [3, 4] {
            assert_eq!(s.next_job(0, 5), Some(j));
            s.occupy(0, 105);
        }
        assert_eq!(s.next_job(0, 5), None);
        // Capacity loss to a quarter: the four busy workers finish; only one
        // of them serves again.
        s.set_workers(10, 4, 4, 0.25);
        assert_eq!(s.slots(), 1);
        assert_eq!(offer(&mut s, 20, 5, 10), Arrive::Queued(0));
        assert_eq!(offer(&mut s, 20, 6, 10), Arrive::Queued(0));
        assert_eq!(s.wake_needed(0), Some(100));
        assert!(s.wake(0, 100));
        assert_eq!(s.next_job(0, 100), None, "the surplus workers retire as they free");
        assert_eq!(s.wake_needed(0), Some(105));
        assert!(s.wake(0, 105));
        assert_eq!(s.next_job(0, 105), Some(5));
        s.occupy(0, 200);
        assert_eq!(s.next_job(0, 105), None, "one worker only");
    }

    #[test]
    fn warming_instances_get_their_reduced_limit_and_loss_is_spread_evenly() {
        let mut s = Stamp::new(Dispatch::RoundRobin, 10);
        s.set_instances(0, 2, 0);
        s.set_instances(0, 3, 100); // the third warms until t = 100
        s.set_workers(50, 8, 4, 1.0);
        assert_eq!(s.slots(), 20);
        s.set_workers(150, 8, 4, 1.0);
        assert_eq!(s.slots(), 24);
        // floor(24 × 2/3) = 16, spread 6/5/5.
        s.set_workers(150, 8, 4, 2.0 / 3.0);
        assert_eq!(s.slots(), 16);
    }

    #[test]
    fn clear_hands_back_the_waiting_jobs() {
        let mut s = stamp(Dispatch::RoundRobin, 1, 1, 10);
        offer(&mut s, 0, 1, 10);
        offer(&mut s, 0, 2, 10);
        let mut dropped = Vec::new();
        s.clear(&mut dropped);
        assert_eq!(dropped, vec![2]);
        assert_eq!((s.queued(), s.slots(), s.in_rotation()), (0, 0, 0));
    }
}
