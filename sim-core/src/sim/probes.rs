//! Health probes: every prober (Front Door POP, Traffic Manager monitoring
//! location, regional load balancer) probes each of its targets on its own
//! schedule. A probe is a job: it reaches the stamp, waits for a worker on an
//! instance like a user request, and its answer (or its timeout) updates the
//! prober's view when it arrives. A changed view rebuilds that POP's origin
//! table and is tracked for detection and recovery times.

use super::request::{Job, JobKind};
use super::routers::Router;
use super::{us, Ev, Sim};
use crate::model::faults::ProbeVerdict;
use crate::model::geo;
use crate::time::SimTime;

impl Sim {
    /// (probers, targets per prober, interval µs) of the router.
    pub(super) fn prober_shape(&self) -> (usize, usize, u64) {
        match &self.router {
            Router::Direct(_) => (0, 0, 1),
            Router::Dns(tm) => (tm.monitors.len(), tm.targets.len(), tm.cfg.probe_interval.as_micros()),
            Router::FrontDoor(fd) => (fd.pops.len(), fd.origins.len(), fd.cfg.probe_interval.as_micros()),
            Router::CrossRegionLb(l) => (1, l.backends.len(), l.cfg.regional_probe_interval.as_micros()),
        }
    }

    pub(super) fn on_probe(&mut self, prober: usize, target: usize) {
        let now = self.q.now();
        let (region, leg_ms, timeout, interval, active) = match &self.router {
            Router::Direct(_) => return,
            Router::Dns(tm) => {
                let r = tm.targets[target].region;
                let leg = geo::rtt_between(&self.scenario.rtt, tm.monitors[prober], self.regions[r].place);
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
                    fd.pop_up[prober] && o.enabled,
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
        let half = us(leg_ms / 2.0);
        let j = self.jobs.alloc(Job {
            kind: JobKind::Probe,
            population: prober as u16,
            target: target as u16,
            sent: now.0,
            first: now.0,
            region: region as u16,
            t_entry: now.0 + half,
            back_region: half as u32,
            deadline: now.0 + timeout,
            ..Job::blank()
        });
        self.q.schedule(SimTime(now.0 + half), Ev::Reach(j));
    }

    /// A probe reaches its stamp: what the health endpoint answers depends on
    /// the region's condition now; a served probe queues like a request.
    pub(super) fn probe_reaches(&mut self, j: u32, mut job: Job) {
        let now = self.q.now().0;
        let r = job.region as usize;
        let mut cond = self.regions[r].cond;
        // A stamp drained by hand answers its health endpoint with 503 (§8).
        cond.probe_broken |= self.regions[r].drained;
        match cond.probe(self.depth) {
            ProbeVerdict::NoAnswer => {
                self.probe_answered(&job, job.deadline, false);
                self.jobs.release(j);
            }
            ProbeVerdict::Fails => {
                self.rec.region_probe(r, now);
                self.probe_answered(&job, now + job.back_region as u64, false);
                self.jobs.release(j);
            }
            ProbeVerdict::Served => {
                self.rec.region_probe(r, now);
                self.regions[r].add_demand(self.probe_service_us);
                job.service = self.probe_service_us;
                self.admit(j, &mut job);
            }
        }
    }

    /// The probe's answer reaches its prober at `t` (at the latest its timeout).
    pub(super) fn probe_answered(&mut self, job: &Job, t: u64, ok: bool) {
        let t = t.min(job.deadline);
        self.q.schedule(
            SimTime(t),
            Ev::ProbeResult {
                prober: job.population,
                target: job.target,
                ok,
                latency_us: (t - job.sent).min(u32::MAX as u64) as u32,
            },
        );
    }

    /// A probe's result reaches its prober: the health view, and for Front
    /// Door the latency it measured, from before sending to the answer's last
    /// byte on a fresh connection (AZURE_FACTS §1.2): the setup's round trips
    /// (the probe's path models only the request's) plus the time measured.
    pub(super) fn on_probe_result(&mut self, prober: usize, target: usize, ok: bool, latency_us: u32) {
        let now = self.q.now();
        let mut changes: Vec<(usize, bool)> = Vec::new();
        let mut degraded = None;
        match &mut self.router {
            Router::Direct(_) => {}
            Router::Dns(tm) => {
                let nt = tm.targets.len();
                let r = tm.targets[target].region;
                if tm.counters[prober * nt + target].record(ok) {
                    let healthy = tm.counters[prober * nt + target].healthy();
                    changes.push((r, healthy));
                    let n = tm.monitors.len();
                    let seen_failed = (0..n).filter(|m| !tm.counters[m * nt + target].healthy()).count();
                    // How locations combine is not documented (§2): the
                    // profile's rule, an assumption the report names.
                    let now_healthy = !tm.cfg.degraded_when.degraded(seen_failed, n);
                    if tm.healthy[target] && !now_healthy {
                        degraded = Some(r);
                    }
                    tm.healthy[target] = now_healthy;
                }
            }
            Router::FrontDoor(fd) => {
                if !fd.pop_up[prober] {
                    return;
                }
                let r = fd.origins[target].region;
                let pop = &mut fd.pops[prober];
                let changed = pop.windows[target].record(ok);
                if changed {
                    changes.push((r, pop.windows[target].healthy()));
                }
                if ok {
                    let setup_ms = pop.rtt_region_ms[r] * fd.cfg.probe_handshake_round_trips as f64;
                    pop.latency[target].record(setup_ms + latency_us as f64 / 1_000.0);
                }
                if changed || ok {
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
        if let Some(r) = degraded {
            for (f, tr) in self.tracks.iter_mut().enumerate() {
                if tr.watches(&self.scenario, r) {
                    tr.router_degraded(now, self.faults_active[f]);
                }
            }
        }
    }

    pub(super) fn on_l4_poll(&mut self) {
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
}
