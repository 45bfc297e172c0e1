//! A region at run time: its stamp, its condition, its autoscale state, and
//! its capacity and offered demand, integrated as they change for the bucket
//! being recorded, and the jobs its workers are serving.

use super::request::InService;
use crate::engine::SimRng;
use crate::model::faults::RegionCondition;
use crate::model::geo::Place;
use crate::model::stamp::{ServiceSampler, Stamp};
use crate::scenario::{Autoscale, Dispatch};
use crate::time::SimTime;
use std::collections::VecDeque;

/// Integrals of the open bucket (busy worker-time is recorded with each
/// job's service interval instead: see `Recorder::busy`).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Work {
    /// Up to when the integrals run.
    pub last: u64,
    /// Serving capacity × time: the worker limits of the instances in rotation, µs.
    pub slots_us: u64,
    /// Server time drawn for the requests that reached the stamp (their
    /// database calls come on top: see [`RegionRt::take_work`]).
    pub demand_us: u64,
    /// Requests that reached the stamp.
    pub arrivals: u64,
}

#[derive(Clone)]
pub(super) struct RegionRt {
    pub place: &'static Place,
    pub stamp: Stamp,
    pub cond: RegionCondition,
    /// Times the stamp was wiped out (region outage), wrapping: a job
    /// admitted in an earlier life is gone.
    pub life: u16,
    /// Times the region became unreachable, wrapping: a job that arrived
    /// before the latest one never gets its answer out.
    pub kill: u16,
    /// The front end's dispatch rule.
    pub dispatch: Dispatch,
    /// `Retry-After` on the 503s it sheds, µs (0: none).
    pub retry_after_us: u64,
    /// When the stamp was last wiped out, µs.
    pub wiped_at: u64,
    pub workers: u32,
    pub request_timeout_us: u64,
    pub service: ServiceSampler,
    pub rng: SimRng,
    /// Draws the instance for the random dispatch rule (only then).
    pub rng_dispatch: SimRng,
    /// Drained by an operator: the health endpoint answers 503 (§8).
    pub drained: bool,
    pub serving: u32,
    pub provisioning: u32,
    pub min: u32,
    pub max: u32,
    pub autoscale: Option<Autoscale>,
    pub cooldown_until: SimTime,
    /// Routers/POPs/monitors that see the region healthy, of `viewers`.
    pub healthy_viewers: u32,
    pub viewers: u32,
    pub instance_seconds: f64,
    pub last_instance_change: SimTime,
    pub work: Work,
    /// Mean database time of this region's requests so far, µs (for the
    /// offered demand of a request before its call is made).
    pub data_us_sum: u64,
    pub data_calls: u64,
    /// The jobs its workers started, oldest first, until their service is
    /// over: what a region that dies takes back.
    pub in_service: VecDeque<InService>,
}

impl RegionRt {
    /// Brings the integrals up to `now` (call before the stamp's capacity changes).
    #[inline]
    pub fn advance(&mut self, now: u64) {
        let dt = now.saturating_sub(self.work.last);
        if dt > 0 {
            self.work.slots_us += self.stamp.slots() as u64 * dt;
            self.work.last = now;
        }
    }

    /// Takes the open bucket's integrals (up to `now`) and starts the next.
    /// Each request's demand counts the mean database time seen so far on
    /// top of its own server time (its call has not been made yet).
    pub fn take_work(&mut self, now: u64) -> Work {
        self.advance(now);
        let mut w = std::mem::replace(
            &mut self.work,
            Work {
                last: now,
                ..Work::default()
            },
        );
        let data = self.data_us_sum.checked_div(self.data_calls).unwrap_or(0);
        w.demand_us += w.arrivals * data;
        w
    }

    /// Server time a request (or probe) brings to the stamp.
    #[inline]
    pub fn add_demand(&mut self, service_us: u64) {
        self.work.demand_us += service_us;
        self.work.arrivals += 1;
    }

    /// Worker slots of a warming instance.
    pub fn warm_workers(&self) -> u32 {
        self.autoscale
            .as_ref()
            .map(|a| libm::ceil(self.workers as f64 * a.warmup_capacity) as u32)
            .unwrap_or(self.workers)
    }

    pub fn note_instances(&mut self, now: SimTime) {
        let dt = now.since(self.last_instance_change).as_secs_f64();
        if !self.cond.down {
            self.instance_seconds += dt * self.serving as f64;
        }
        self.last_instance_change = now;
    }
}
