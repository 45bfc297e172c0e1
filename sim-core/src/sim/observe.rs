//! Observing and steering a run while it goes: what an embedder reads
//! between steps (the series so far, each router's view of the regions, the
//! instances of each stamp) and what it may do (inject a fault from now on;
//! an operator's actions are in `operator.rs`).
//! A run is also `Clone`: fork it at time t and try two futures.
//!
//! Everything here shows the past and the present only. The series so far
//! holds the *closed* buckets — those whose end the clock has passed —
//! which nothing that happens later can change; an injected fault is known
//! to the run from the moment it is injected, never before.

use super::routers::Router;
use super::{Ev, Sim};
use crate::metrics::recorder::Span;
use crate::metrics::report::Series;
use crate::metrics::summary::FaultTrack;
use crate::scenario::{Fault, FieldError, ScenarioError};
use crate::time::SimTime;

/// What one router (Traffic Manager, a Front Door POP, the cross-region
/// balancer) believes about each region right now.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RouterView {
    /// Who holds the view: `"traffic manager"`, `"front door POP london"`,
    /// `"cross-region balancer"`, `"direct"`.
    pub viewer: String,
    /// Each region the router routes to, and whether it sees it healthy.
    pub regions: Vec<(String, bool)>,
}

/// One stamp's size right now.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InstanceCount {
    /// The region.
    pub region: String,
    /// Instances serving.
    pub serving: u32,
    /// Instances being provisioned (autoscale has asked for them).
    pub provisioning: u32,
}

/// A running simulation's state at [`Snapshot::now`] (see
/// [`Sim::snapshot`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Snapshot {
    /// The simulated time.
    pub now: SimTime,
    /// The closed buckets so far (final: later events never change them).
    pub series: Series,
    /// Per population over the closed buckets: (name, requests offered,
    /// succeeded, failed).
    pub populations: Vec<PopulationSoFar>,
    /// Each router's view.
    pub routers: Vec<RouterView>,
    /// Each stamp's size.
    pub instances: Vec<InstanceCount>,
}

/// A population's counts over the closed buckets.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PopulationSoFar {
    /// The population.
    pub name: String,
    /// Requests it sent.
    pub offered: u64,
    /// Requests answered successfully (any try).
    pub succeeded: u64,
    /// Requests that failed after every try.
    pub failed: u64,
}

impl PopulationSoFar {
    /// Succeeded over ended (succeeded + failed); 1 before any ended.
    pub fn availability(&self) -> f64 {
        let ended = self.succeeded + self.failed;
        if ended == 0 {
            1.0
        } else {
            self.succeeded as f64 / ended as f64
        }
    }
}

impl Sim {
    /// The time series so far: the buckets the clock has passed the end of.
    pub fn series(&self) -> &Series {
        &self.rec.series
    }

    /// The series, counts, router views and instance counts now.
    pub fn snapshot(&self) -> Snapshot {
        let series = self.rec.series.clone();
        let populations = series
            .populations
            .iter()
            .map(|p| PopulationSoFar {
                name: p.name.clone(),
                offered: p.offered.iter().map(|&x| x as u64).sum(),
                succeeded: p.succeeded.iter().map(|&x| x as u64).sum(),
                failed: p.failed.iter().flatten().map(|&x| x as u64).sum(),
            })
            .collect();
        Snapshot {
            now: self.now(),
            series,
            populations,
            routers: self.router_views(),
            instances: self.instances(),
        }
    }

    /// Each stamp's instances now.
    pub fn instances(&self) -> Vec<InstanceCount> {
        self.regions
            .iter()
            .zip(&self.scenario.regions)
            .map(|(rg, spec)| InstanceCount {
                region: spec.name.clone(),
                serving: if rg.cond.down { 0 } else { rg.serving },
                provisioning: rg.provisioning,
            })
            .collect()
    }

    /// What each router believes about each region now (its probes'
    /// verdicts, not the truth).
    pub fn router_views(&self) -> Vec<RouterView> {
        let name = |r: usize| self.scenario.regions[r].name.clone();
        match &self.router {
            Router::Direct(r) => vec![RouterView {
                viewer: "direct".into(),
                regions: vec![(name(*r), true)],
            }],
            Router::Dns(tm) => vec![RouterView {
                viewer: "traffic manager".into(),
                regions: tm
                    .targets
                    .iter()
                    .zip(&tm.healthy)
                    .map(|(t, &h)| (name(t.region), h))
                    .collect(),
            }],
            Router::FrontDoor(fd) => fd
                .pops
                .iter()
                .zip(&fd.pop_up)
                .filter(|(_, &up)| up)
                .map(|(pop, _)| RouterView {
                    viewer: format!("front door POP {}", pop.place.name),
                    regions: fd
                        .origins
                        .iter()
                        .zip(&pop.windows)
                        .map(|(o, w)| (name(o.region), w.healthy()))
                        .collect(),
                })
                .collect(),
            Router::CrossRegionLb(lb) => vec![RouterView {
                viewer: "cross-region balancer".into(),
                regions: lb
                    .backends
                    .iter()
                    .zip(&lb.global_view)
                    .map(|(&r, &h)| (name(r), h))
                    .collect(),
            }],
        }
    }

    /// Adds `fault` to the run from now on: it starts at its `start` (from
    /// the start of the run), which must not be before now, and is
    /// validated against the scenario as a fault in the file would be. The
    /// run knows of it from this moment only.
    pub fn inject(&mut self, fault: Fault) -> Result<(), ScenarioError> {
        let now = self.now();
        if fault.start().as_micros() < now.as_micros() {
            return Err(ScenarioError::Invalid(vec![FieldError {
                path: format!("faults[{}].start", self.scenario.faults.len()),
                message: format!(
                    "{} is before now ({}): a fault injected into a running simulation starts now or later",
                    fault.start(),
                    crate::time::SimDuration(now.as_micros())
                ),
            }]));
        }
        let mut check = self.scenario.clone();
        check.faults.push(fault.clone());
        check.validate()?;
        let i = self.scenario.faults.len();
        self.q
            .schedule(SimTime(fault.start().as_micros()), Ev::FaultStart(i as u16));
        self.q.schedule(
            SimTime((fault.start() + fault.duration()).as_micros()),
            Ev::FaultEnd(i as u16),
        );
        self.faults_active.push(false);
        self.tracks.push(FaultTrack::new(&fault));
        self.data_totals.lost_by_fault.push(0);
        self.rec.add_span(Span {
            start_us: fault.start().as_micros(),
            end_us: (fault.start() + fault.duration()).as_micros(),
        });
        self.scenario.faults.push(fault);
        Ok(())
    }
}

impl std::fmt::Debug for Sim {
    /// The run's scenario, clock, events so far and stamps (not its queues).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("scenario", &self.scenario.name)
            .field("now", &self.now())
            .field("end", &self.end)
            .field("events", &self.events)
            .field("instances", &self.instances())
            .finish_non_exhaustive()
    }
}
