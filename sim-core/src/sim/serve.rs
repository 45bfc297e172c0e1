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

use super::request::{Job, JobKind, NO_POP};
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
        let job = self.jobs.get(j);
        if job.kind == JobKind::Probe {
            self.probe_reaches(j);
            return;
        }
        let r = job.region as usize;
        if self.regions[r].cond.unreachable {
            let job = *job;
            let (t, cause) = self.unreachable_outcome(&job);
            match job.kind {
                JobKind::Bypass => self.bypass.failed_region_down += 1,
                JobKind::Attack => self.attacks.unanswered += 1,
                _ => {}
            }
            self.answer(j, t, Err(cause), false);
            self.jobs.release(j);
            return;
        }
        if job.kind == JobKind::Attack {
            self.attacks.reached_origin += 1;
        }
        self.rec.region_arrival(r, now);
        let rg = &mut self.regions[r];
        let service = rg.service.sample(&mut rg.rng, rg.request_timeout_us);
        rg.add_demand(service);
        self.jobs.get_mut(j).service = service;
        self.admit(j);
    }

    /// What a client hears from a try whose region does not answer.
    fn unreachable_outcome(&self, job: &Job) -> (u64, FailCause) {
        let (t, cause) = if job.pop != NO_POP {
            // The POP waits for the origin until its response timeout: 504.
            (
                job.t_entry + self.origin_timeout() + (job.back_client as u64),
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

    /// The front end hands job `j` (which reached the stamp now) to an instance.
    pub(super) fn admit(&mut self, j: u32) {
        let now = self.q.now().0;
        let r = self.jobs.get(j).region as usize;
        let rg = &mut self.regions[r];
        let u = match self.scenario.regions[r].dispatch {
            Dispatch::Random => rg.rng_dispatch.unit(),
            _ => 0.0,
        };
        let arrive = rg.stamp.arrive(now, j, u);
        let (life, kill) = (rg.life, rg.kill);
        let job = self.jobs.get_mut(j);
        job.arrived = now;
        job.life = life;
        job.kill = kill;
        job.at_stamp = true;
        match arrive {
            Arrive::Started(i) => self.start(j, i),
            Arrive::Queued(i) => {
                job.instance = i;
                job.waiting = true;
                let job = *job;
                let at = self.give_up_at(&job);
                self.q.schedule(SimTime(at), Ev::GiveUp { job: j, gen: job.gen });
                self.wake_later(r, i);
            }
            Arrive::Shed => {
                job.at_stamp = false;
                let job = *job;
                if job.kind == JobKind::Probe {
                    self.probe_answered(&job, now + (job.back_region as u64), false);
                } else {
                    self.rec.region_served(r, now, true);
                    let (t, res) = self.through_entry(&job, now + (job.back_region as u64), Err(FailCause::Shed));
                    self.answer(j, t, res, true);
                }
                self.jobs.release(j);
            }
        }
    }

    /// Schedules the wake-up instance `i` of region `r` needs, if any.
    pub(super) fn wake_later(&mut self, r: usize, i: u16) {
        let rg = &mut self.regions[r];
        if let Some(at) = rg.stamp.wake_needed(i) {
            let life = rg.life;
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
        if rg.life != life || !rg.stamp.wake(i, now) {
            return;
        }
        while let Some(j) = self.regions[r].stamp.next_job(i, now) {
            self.start(j, i);
        }
        self.wake_later(r, i);
    }

    /// When a waiting job's client, POP or front end stops waiting: the
    /// earliest of the client's deadline, the POP's origin response timeout
    /// and the front end's request timeout.
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
        let rg = &self.regions[job.region as usize];
        let front_end = job.arrived + rg.request_timeout_us;
        if !killed
            && front_end <= job.deadline
            && (job.pop == NO_POP || front_end < job.t_entry + self.origin_timeout())
        {
            let (t, res) = self.through_entry(job, front_end + (job.back_region as u64), Err(FailCause::ServerError));
            return (t, res.err().unwrap_or(FailCause::ServerError));
        }
        if job.pop != NO_POP {
            let t = job.t_entry + self.origin_timeout() + (job.back_client as u64);
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
                let t = job.t_entry + ot + (job.back_client as u64);
                return if t > job.deadline {
                    (job.deadline, Err(FailCause::Timeout))
                } else {
                    (t, Err(FailCause::Gateway))
                };
            }
        }
        let t = t_entry_back + (job.back_client as u64);
        if t > job.deadline {
            (job.deadline, Err(FailCause::Timeout))
        } else {
            (t, res)
        }
    }

    /// A worker of instance `i` starts job `j` now: its database call is made
    /// now, and its answer is worked out as of now (see the module doc).
    pub(super) fn start(&mut self, j: u32, i: u16) {
        let now = self.q.now().0;
        let (kind, r) = {
            let job = self.jobs.get(j);
            (job.kind, job.region as usize)
        };
        let data_us = if kind == JobKind::User && self.data.is_some() {
            let job = self.jobs.get(j);
            let p = job.population as usize;
            let gid = self.populations[p].client_base.saturating_add(job.client);
            let (ok, cost) = self.data_call(p, r, gid, job.op_seed, now);
            self.jobs.get_mut(j).data_failed = !ok;
            cost
        } else {
            0
        };
        let rg = &mut self.regions[r];
        let job = self.jobs.get_mut(j);
        let end = now + (job.service + data_us).min(rg.request_timeout_us);
        rg.stamp.occupy(i, end);
        let killed_before = job.kill != rg.kill;
        job.instance = i;
        job.end = end;
        job.waiting = false;
        self.rec.busy(r, now, end);
        if let Some(a) = &mut self.audit {
            let job = self.jobs.get_mut(j);
            a.service[r].push(ServiceRecord {
                population: (job.kind == JobKind::User).then_some(job.population as usize),
                arrived: job.arrived,
                start: now,
                end,
            });
            job.audit = (a.service[r].len() - 1) as u32;
        }
        let done_event = if self.jobs.get(j).concluded {
            false
        } else if killed_before {
            // Admitted before the region became unreachable: its answer never gets out.
            self.answer_killed(j);
            false
        } else {
            self.settle_at_start(j, end)
        };
        let job = *self.jobs.get(j);
        self.regions[r].in_service.push_back(job);
        if done_event {
            self.q.schedule(SimTime(end), Ev::Done(j));
        } else {
            self.jobs.release(j);
        }
    }

    /// Works out the answer of job `j`, started now and served until `end`.
    /// Returns true when it must wait for a `Done` event at `end` (an error,
    /// a slow answer, a probe); otherwise its outcome is recorded now, for
    /// good (its client gives up first) or tentatively (a success).
    fn settle_at_start(&mut self, j: u32, end: u64) -> bool {
        let job = *self.jobs.get(j);
        let r = job.region as usize;
        if self.give_up_at(&job) < end {
            // The answer cannot come before its client (or POP, or front end)
            // stops waiting: that outcome is certain now, whatever happens next.
            if job.kind == JobKind::Probe {
                self.probe_answered(&job, job.deadline, false);
                self.jobs.get_mut(j).concluded = true;
            } else {
                let (t, cause) = self.given_up(&job, false);
                self.answer(j, t, Err(cause), true);
            }
            return false;
        }
        let cond = self.regions[r].cond;
        let back = end + (job.back_region as u64) + cond.added_latency.as_micros();
        if job.kind == JobKind::Probe {
            let ok = !self.rng_probe.chance(cond.error_rate);
            let job = self.jobs.get_mut(j);
            job.answer_at = back;
            job.answer_ok = ok;
            return true;
        }
        let err = self.regions[r].rng.chance(cond.user_error_rate()) || job.data_failed;
        let res = if err { Err(FailCause::ServerError) } else { Ok(()) };
        let (t, res) = self.through_entry(&job, back, res);
        let job = self.jobs.get_mut(j);
        job.answer_at = t;
        if res.is_ok() {
            job.tentative = true;
            self.rec.region_served(r, end, false);
            self.answer(j, t, Ok(()), false);
            false
        } else {
            job.answer_ok = false;
            job.answer_cause = res.err().unwrap_or(FailCause::ServerError);
            job.served_error = err;
            true
        }
    }

    /// The end of service of a job whose answer was not settled at its start
    /// (an error, a slow answer, a probe): unless the region became
    /// unreachable meanwhile, the answer leaves as worked out then.
    pub(super) fn on_done(&mut self, j: u32) {
        let now = self.q.now().0;
        let job = *self.jobs.get(j);
        let r = job.region as usize;
        if job.kill != self.regions[r].kill {
            self.answer_killed(j);
        } else if job.kind == JobKind::Probe {
            self.probe_answered(&job, job.answer_at, job.answer_ok);
        } else {
            self.rec.region_served(r, now, job.served_error);
            self.answer(j, job.answer_at, Err(job.answer_cause), true);
        }
        self.jobs.release(j);
    }

    /// The region died with job `j` inside: no answer ever comes.
    fn answer_killed(&mut self, j: u32) {
        self.jobs.get_mut(j).concluded = true;
        let job = *self.jobs.get(j);
        self.answer_killed_job(&job);
    }

    fn answer_killed_job(&mut self, job: &Job) {
        if job.kind == JobKind::Probe {
            self.probe_answered(job, job.deadline, false);
        } else {
            let (t, cause) = self.given_up(job, true);
            self.answer_job(job, t, Err(cause), false);
        }
    }

    /// Forgets the in-service jobs of region `r` whose service is over (at
    /// each tick: the list holds about a bucket's worth of jobs).
    pub(super) fn prune_in_service(&mut self, r: usize, now: u64) {
        let list = &mut self.regions[r].in_service;
        while list.front().is_some_and(|x| x.end <= now) {
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
        for job in list.iter_mut().filter(|x| x.end > now) {
            if wiped {
                self.rec.unbusy(r, now, job.end);
                if let Some(a) = &mut self.audit {
                    a.service[r][job.audit as usize].end = now;
                }
            }
            if !job.tentative {
                continue;
            }
            job.tentative = false;
            self.rec.unserve(r, job.end, false);
            match job.kind {
                JobKind::User => {
                    let p = job.population as usize;
                    self.rec.unsucceed(p, job.answer_at, job.answer_at - job.first);
                }
                JobKind::Bypass => self.bypass.served -= 1,
                _ => {}
            }
            self.answer_killed_job(job);
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
            self.answer(j, t, Err(cause), !killed);
        }
        let job = self.jobs.get_mut(j);
        job.concluded = true;
        if !job.at_stamp {
            self.jobs.release(j);
        }
    }
}
