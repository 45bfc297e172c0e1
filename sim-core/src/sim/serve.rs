//! A job at its stamp: it reaches the region (`Reach`), the region's
//! condition then decides whether it is answered at all, the front end
//! dispatches it to an instance, and a worker starts it at once or when one
//! is free (`Wake`). Its database call is made when it starts.
//!
//! A worker's time is in closed form (the stamp knows when each is free), so
//! a job that does not wait costs no event of its own. When it starts, its
//! answer is worked out as of its start: the brown-out or gray-failure error,
//! the added latency, the way back through its POP, its client's deadline.
//! Two things can still change it, and both are handled when they happen:
//! - its client (or POP, or front end) stops waiting first: then the outcome
//!   is certain and recorded at once for the time it happens;
//! - the region becomes unreachable while it is being served: a successful
//!   answer is recorded *tentatively* when the job starts, and taken back at
//!   that moment ([`Sim::kill_in_service`]); other answers wait for a `Done`
//!   event at the end of service, which checks for it.

use super::request::{InService, Job, JobKind, NO_POP};
use super::{Ev, ServiceRecord, Sim};
use crate::metrics::report::FailCause;
use crate::model::stamp::Arrive;
use crate::scenario::Dispatch;
use crate::time::SimTime;

impl Sim {
    /// A job reaches its stamp: the region's condition now decides whether
    /// it is answered at all; then the front end dispatches it.
    pub(super) fn on_reach(&mut self, j: u32) {
        let now = self.q.now().0;
        let mut job = *self.jobs.get(j);
        if job.kind == JobKind::Probe {
            self.probe_reaches(j, job);
            return;
        }
        let r = job.region as usize;
        if self.regions[r].cond.unreachable {
            let (t, cause) = self.unreachable_outcome(&job);
            match job.kind {
                JobKind::Bypass => self.bypass.failed_region_down += 1,
                JobKind::Attack => self.attacks.unanswered += 1,
                _ => {}
            }
            self.answer(&job, t, Err(cause), false);
            self.jobs.release(j);
            return;
        }
        if job.kind == JobKind::Attack {
            self.attacks.reached_origin += 1;
        }
        self.rec.region_arrival(r, now);
        let rg = &mut self.regions[r];
        job.service = rg.service.sample(&mut rg.rng, rg.request_timeout_us);
        rg.add_demand(job.service);
        self.admit(j, &mut job);
    }

    /// What a client hears from a try whose region does not answer.
    fn unreachable_outcome(&self, job: &Job) -> (u64, FailCause) {
        let (t, cause) = if job.pop != NO_POP {
            // The POP waits for the origin until its response timeout: 504.
            (
                job.t_entry + self.origin_timeout() + job.back_client as u64,
                FailCause::Gateway,
            )
        } else if job.new_conn {
            // A new connection to a dead address: connect timeout.
            let pop = &self.populations[job.population as usize];
            (
                job.sent + job.lookup as u64 + pop.connect_timeout_us,
                FailCause::Connect,
            )
        } else {
            // A kept-alive connection just hangs.
            (job.deadline, FailCause::Timeout)
        };
        if t > job.deadline {
            (job.deadline, FailCause::Timeout)
        } else {
            (t, cause)
        }
    }

    /// Front Door's origin response timeout (0 without Front Door).
    #[inline]
    pub(super) fn origin_timeout(&self) -> u64 {
        self.origin_timeout_us
    }

    /// The front end hands job `j` (`job`, which reached the stamp now) to an
    /// instance.
    #[inline]
    pub(super) fn admit(&mut self, j: u32, job: &mut Job) {
        let now = self.q.now().0;
        let r = job.region as usize;
        let rg = &mut self.regions[r];
        let u = match rg.dispatch {
            Dispatch::Random => rg.rng_dispatch.unit(),
            _ => 0.0,
        };
        let arrive = rg.stamp.arrive(now, j, u);
        job.arrived = now;
        job.life = rg.life;
        job.kill = rg.kill;
        match arrive {
            Arrive::Started(i) => self.start(j, job, i),
            Arrive::Queued(i) => {
                job.instance = i;
                job.waiting = true;
                job.at_stamp = true;
                let at = self.give_up_at(job);
                *self.jobs.get_mut(j) = *job;
                self.q.schedule(SimTime(at), Ev::GiveUp { job: j, gen: job.gen });
                self.wake_later(r, i);
            }
            Arrive::Shed => {
                let back = now + job.back_region as u64;
                if job.kind == JobKind::Probe {
                    self.probe_answered(job, back, false);
                } else {
                    self.rec.region_served(r, now, true);
                    let (t, res) = self.through_entry(job, back, Err(FailCause::Shed));
                    self.answer(job, t, res, true);
                }
                self.jobs.release(j);
            }
        }
    }

    /// Schedules the wake-up instance `i` of region `r` needs, if any.
    pub(super) fn wake_later(&mut self, r: usize, i: u16) {
        let rg = &mut self.regions[r];
        if let Some(at) = rg.stamp.wake_needed(i) {
            let life = rg.life as u32;
            self.q.schedule(
                SimTime(at),
                Ev::Wake {
                    region: r as u16,
                    instance: i,
                    life,
                },
            );
        }
    }

    /// A worker of instance `i` of region `r` is free: it starts the queued
    /// jobs it can.
    pub(super) fn on_wake(&mut self, r: usize, i: u16, life: u32) {
        let now = self.q.now().0;
        let rg = &mut self.regions[r];
        if rg.life as u32 != life || !rg.stamp.wake(i, now) {
            return;
        }
        self.start_queued(r, i, now);
    }

    /// Instance `i` of region `r` starts the queued jobs its free workers can
    /// take now, and asks to be woken for the rest.
    pub(super) fn start_queued(&mut self, r: usize, i: u16, now: u64) {
        while let Some(j) = self.regions[r].stamp.next_job(i, now) {
            let mut job = *self.jobs.get(j);
            self.start(j, &mut job, i);
        }
        self.wake_later(r, i);
    }

    /// When a waiting job's client, POP or front end stops waiting: the
    /// earliest of the client's deadline, the POP's origin response timeout
    /// and the front end's request timeout.
    #[inline]
    fn give_up_at(&self, job: &Job) -> u64 {
        let mut t = job
            .deadline
            .min(job.arrived + self.regions[job.region as usize].request_timeout_us);
        if job.pop != NO_POP {
            t = t.min(job.t_entry + self.origin_timeout());
        }
        t
    }

    /// The outcome for a job given up on at [`Self::give_up_at`]: the front
    /// end's 5xx, the POP's 504 or the client's timeout, and when the client
    /// hears it. `killed`: the region died with it inside (no front end left).
    fn given_up(&self, job: &Job, killed: bool) -> (u64, FailCause) {
        if !killed {
            let front_end = job.arrived + self.regions[job.region as usize].request_timeout_us;
            if front_end <= job.deadline && (job.pop == NO_POP || front_end < job.t_entry + self.origin_timeout()) {
                let back = front_end + job.back_region as u64;
                let (t, res) = self.through_entry(job, back, Err(FailCause::ServerError));
                return (t, res.err().unwrap_or(FailCause::ServerError));
            }
        }
        if job.pop != NO_POP {
            let t = job.t_entry + self.origin_timeout() + job.back_client as u64;
            if t <= job.deadline {
                return (t, FailCause::Gateway);
            }
        }
        (job.deadline, FailCause::Timeout)
    }

    /// An answer leaving the stamp reaches the entry point at `t_entry_back`:
    /// through a POP (which may have given up already) and back to the client
    /// (who may have given up already).
    #[inline]
    fn through_entry(&self, job: &Job, t_entry_back: u64, res: Result<(), FailCause>) -> (u64, Result<(), FailCause>) {
        if job.pop != NO_POP {
            let ot = self.origin_timeout();
            if t_entry_back.saturating_sub(job.t_entry) > ot {
                let t = job.t_entry + ot + job.back_client as u64;
                return if t > job.deadline {
                    (job.deadline, Err(FailCause::Timeout))
                } else {
                    (t, Err(FailCause::Gateway))
                };
            }
        }
        let t = t_entry_back + job.back_client as u64;
        if t > job.deadline {
            (job.deadline, Err(FailCause::Timeout))
        } else {
            (t, res)
        }
    }

    /// A worker of instance `i` starts job `j` (`job`) now: its database call
    /// is made now, and its answer is worked out as of now (see the module doc).
    #[inline]
    pub(super) fn start(&mut self, j: u32, job: &mut Job, i: u16) {
        let now = self.q.now().0;
        let r = job.region as usize;
        let mut data_us = 0;
        if job.kind == JobKind::User && self.data.is_some() {
            let gid = self.populations[job.population as usize]
                .client_base
                .saturating_add(job.client);
            let (ok, cost) = self.data_call(job.population as usize, r, gid, job.op_seed, job.key, now);
            job.data_failed = !ok;
            data_us = cost;
        }
        let rg = &mut self.regions[r];
        let end = now + (job.service + data_us).min(rg.request_timeout_us);
        rg.stamp.occupy(i, end);
        let killed_before = job.kill != rg.kill;
        job.instance = i;
        job.end = end;
        job.waiting = false;
        self.rec.busy(r, now, end);
        if let Some(a) = &mut self.audit {
            a.service[r].push(ServiceRecord {
                population: (job.kind == JobKind::User).then_some(job.population as usize),
                arrived: job.arrived,
                start: now,
                end,
            });
            job.audit = (a.service[r].len() - 1) as u32;
        }
        let (done_event, tentative) = if job.concluded {
            (false, false)
        } else if killed_before {
            // Admitted before the region became unreachable: its answer never gets out.
            job.concluded = true;
            self.answer_killed(job);
            (false, false)
        } else {
            self.settle_at_start(job, end)
        };
        // Forget what has finished: the list holds what is in service, so
        // memory does not grow with the bucket width (or the run's length).
        self.prune_in_service(r, now);
        self.regions[r].in_service.push_back(InService {
            end,
            job: j,
            tentative,
            owns: !done_event,
        });
        if done_event {
            job.at_stamp = true;
            *self.jobs.get_mut(j) = *job;
            self.q.schedule(SimTime(end), Ev::Done(j));
        } else {
            // Kept until its service is over: what a region that dies needs.
            let kept = self.jobs.get_mut(j);
            kept.end = end;
            kept.answer_at = job.answer_at;
            kept.audit = job.audit;
            kept.concluded = job.concluded;
            kept.waiting = false;
        }
    }

    /// Works out the answer of `job`, started now and served until `end`.
    /// Returns (wait for a `Done` event at `end`, recorded tentatively): an
    /// error, a slow answer or a probe waits; otherwise the outcome is
    /// recorded now, for good (its client gives up first) or tentatively (a
    /// success).
    fn settle_at_start(&mut self, job: &mut Job, end: u64) -> (bool, bool) {
        let r = job.region as usize;
        if self.give_up_at(job) < end {
            // The answer cannot come before its client (or POP, or front end)
            // stops waiting: that outcome is certain now, whatever happens next.
            job.concluded = true;
            if job.kind == JobKind::Probe {
                self.probe_answered(job, job.deadline, false);
            } else {
                let (t, cause) = self.given_up(job, false);
                self.answer(job, t, Err(cause), true);
            }
            return (false, false);
        }
        let cond = self.regions[r].cond;
        let back = end + job.back_region as u64 + cond.added_latency.as_micros();
        if job.kind == JobKind::Probe {
            job.answer_at = back;
            job.answer_ok = !self.rng_probe.chance(cond.error_rate);
            return (true, false);
        }
        let err = self.regions[r].rng.chance(cond.user_error_rate()) || job.data_failed;
        let res = if err { Err(FailCause::ServerError) } else { Ok(()) };
        let (t, res) = self.through_entry(job, back, res);
        job.answer_at = t;
        match res {
            Ok(()) => {
                job.concluded = true;
                self.rec.region_served(r, end, false);
                self.answer(job, t, Ok(()), false);
                (false, true)
            }
            Err(cause) => {
                job.answer_ok = false;
                job.answer_cause = cause;
                job.served_error = err;
                (true, false)
            }
        }
    }

    /// The end of service of a job whose answer was not settled at its start
    /// (an error, a slow answer, a probe): unless the region became
    /// unreachable meanwhile, the answer leaves as worked out then.
    pub(super) fn on_done(&mut self, j: u32) {
        let now = self.q.now().0;
        let mut job = *self.jobs.get(j);
        let r = job.region as usize;
        job.concluded = true;
        if job.kill != self.regions[r].kill {
            self.answer_killed(&job);
        } else if job.kind == JobKind::Probe {
            self.probe_answered(&job, job.answer_at, job.answer_ok);
        } else {
            self.rec.region_served(r, now, job.served_error);
            self.answer(&job, job.answer_at, Err(job.answer_cause), true);
        }
        self.jobs.release(j);
    }

    /// The region died with `job` inside: no answer ever comes.
    fn answer_killed(&mut self, job: &Job) {
        if job.kind == JobKind::Probe {
            self.probe_answered(job, job.deadline, false);
        } else {
            let (t, cause) = self.given_up(job, true);
            self.answer(job, t, Err(cause), false);
        }
    }

    /// Forgets the in-service jobs of region `r` whose service is over.
    #[inline(always)]
    pub(super) fn prune_in_service(&mut self, r: usize, now: u64) {
        let list = &mut self.regions[r].in_service;
        while let Some(x) = list.front() {
            if x.end > now {
                break;
            }
            if x.owns {
                self.jobs.release(x.job);
            }
            list.pop_front();
        }
    }

    /// Region `r` just became unreachable: the answers of the jobs it is
    /// serving never get out. Tentative successes are taken back and the
    /// jobs answered as killed (jobs waiting for `Done` find out then);
    /// `wiped`: the workers stop too.
    pub(super) fn kill_in_service(&mut self, r: usize, wiped: bool) {
        let now = self.q.now().0;
        let mut list = std::mem::take(&mut self.regions[r].in_service);
        for x in list.iter_mut().filter(|x| x.end > now) {
            let job = InService::answerable(self.jobs.get(x.job));
            if wiped {
                self.rec.unbusy(r, now, x.end);
                if let Some(a) = &mut self.audit {
                    a.service[r][job.audit as usize].end = now;
                }
            }
            if !x.tentative {
                continue;
            }
            x.tentative = false;
            self.rec.unserve(r, x.end, false);
            match job.kind {
                JobKind::User => {
                    let p = job.population as usize;
                    self.rec.unsucceed(p, job.answer_at, job.answer_at - job.first);
                }
                JobKind::Bypass => self.bypass.served -= 1,
                _ => {}
            }
            self.answer_killed(&job);
        }
        self.regions[r].in_service = list;
        self.prune_in_service(r, now);
    }

    /// A waiting job's timer: if it is still waiting (or its stamp was wiped
    /// out under it), its client, POP or front end gives up now.
    pub(super) fn on_give_up(&mut self, j: u32, gen: u32) {
        let job = *self.jobs.get(j);
        if !job.live || job.gen != gen || !job.waiting || job.concluded {
            return;
        }
        let killed = job.kill != self.regions[job.region as usize].kill;
        if job.kind == JobKind::Probe {
            self.probe_answered(&job, job.deadline, false);
        } else {
            let (t, cause) = self.given_up(&job, killed);
            self.answer(&job, t, Err(cause), !killed);
        }
        let job = self.jobs.get_mut(j);
        job.concluded = true;
        if !job.at_stamp {
            self.jobs.release(j);
        }
    }
}
