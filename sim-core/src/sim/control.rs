//! Control events: faults starting and ending, autoscale decisions,
//! instances becoming ready or warm, and bucket ticks. Each changes a
//! region's condition or its stamp's instances at the moment it happens;
//! the stamp then starts whatever queued work now fits.

use super::routers::Router;
use super::{Ev, Sim};
use crate::metrics::recorder::RegionGauges;
use crate::metrics::report::RegionStatus;
use crate::model::autoscale::{self, Decision};
use crate::model::faults::RegionCondition;
use crate::scenario::{AutoscaleMetric, Fault};
use crate::time::{SimDuration, SimTime};

impl Sim {
    pub(super) fn on_fault(&mut self, i: usize, starting: bool) {
        self.apply_fault(i, starting);
        self.data_fault(i, starting);
        self.refresh_singletons();
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
                for (x, up) in fd.pops.iter().zip(fd.pop_up.iter_mut()) {
                    if x.place.name == pop {
                        *up = !starting;
                    }
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
        let was = rg.cond;
        rg.cond = cond;
        if cond.unreachable && !was.unreachable {
            // Answers still inside never get out.
            rg.kill = rg.kill.wrapping_add(1);
            self.kill_in_service(r, cond.down);
        }
        if cond.down && !was.down {
            self.wipe_out(r);
        }
        self.reconcile(r, 0);
    }

    /// The region died: its instances and everything queued on them are gone.
    fn wipe_out(&mut self, r: usize) {
        let now = self.q.now().0;
        let rg = &mut self.regions[r];
        rg.advance(now);
        rg.life = rg.life.wrapping_add(1);
        rg.wiped_at = now;
        let mut dropped = Vec::new();
        rg.stamp.clear(&mut dropped);
        for j in dropped {
            let job = self.jobs.get_mut(j);
            job.at_stamp = false;
            // A job whose client already gave up is done; the others keep
            // their give-up timer, which answers them.
            if job.concluded {
                self.jobs.release(j);
            }
        }
    }

    /// Brings region `r`'s stamp to its instance count and worker limits
    /// (new instances warm until `warm_until`, µs), and starts what fits.
    pub(super) fn reconcile(&mut self, r: usize, warm_until: u64) {
        let now = self.q.now().0;
        let rg = &mut self.regions[r];
        if rg.cond.down {
            return;
        }
        rg.advance(now);
        let (full, warm) = (rg.workers, rg.warm_workers());
        let keep = 1.0 - rg.cond.capacity_lost;
        rg.stamp.set_instances(now, rg.serving as usize, warm_until);
        rg.stamp.set_workers(now, full, warm, keep);
        // Queued jobs that now fit start; the rest wait for a worker.
        for i in 0..self.regions[r].stamp.instances() as u16 {
            self.start_queued(r, i, now);
        }
    }

    pub(super) fn on_autoscale(&mut self, r: usize) {
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
                rg.cooldown_until = now + cfg.cooldown;
                self.provision(r, n, cfg.provisioning_min, cfg.provisioning_max);
            }
            Decision::In(n) => {
                rg.note_instances(now);
                rg.serving -= n;
                rg.cooldown_until = now + cfg.cooldown;
                self.reconcile(r, 0);
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

    /// Asks for `n` more instances in region `r`: each is ready after a lag
    /// drawn uniformly from [`lo`, `hi`] (AZURE_FACTS §4.3).
    pub(super) fn provision(&mut self, r: usize, n: u32, lo: SimDuration, hi: SimDuration) {
        let now = self.q.now();
        let rg = &mut self.regions[r];
        rg.provisioning += n;
        for _ in 0..n {
            let span = hi.as_micros().saturating_sub(lo.as_micros());
            let lag = lo.as_micros() + (rg.rng.unit() * span as f64) as u64;
            self.q.schedule(SimTime(now.0 + lag), Ev::InstanceReady(r as u16));
        }
    }

    pub(super) fn on_instance_ready(&mut self, r: usize) {
        let now = self.q.now();
        let rg = &mut self.regions[r];
        rg.note_instances(now);
        rg.provisioning = rg.provisioning.saturating_sub(1);
        if rg.serving >= rg.max {
            return;
        }
        rg.serving += 1;
        let warmup = rg.autoscale.as_ref().map(|a| a.warmup).unwrap_or_default();
        if warmup.as_micros() > 0 {
            self.q.schedule(now + warmup, Ev::WarmupDone(r as u16));
        }
        self.reconcile(r, (now + warmup).0);
    }

    // ----- buckets -----

    pub(super) fn gauges(&mut self) -> Vec<RegionGauges> {
        let now = self.q.now().0;
        let bucket_end = ((self.rec.finalized as u64 + 1) * self.rec.bucket_us).min(self.end.0);
        let at = now.max(bucket_end).min(self.end.0);
        let data = self.data.as_ref();
        self.regions
            .iter_mut()
            .enumerate()
            .map(|(ri, r)| {
                let work = r.take_work(at);
                RegionGauges {
                    serving: if r.cond.down {
                        0
                    } else {
                        r.serving.min(u16::MAX as u32) as u16
                    },
                    provisioning: r.provisioning.min(u16::MAX as u32) as u16,
                    queue_len: r.stamp.queued(),
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
                    slots_us: work.slots_us,
                    demand_us: work.demand_us,
                    replication_lag_ms: data.and_then(|d| {
                        let x = d.replica_of_region[ri]?;
                        Some((d.lag_of(x, at) as f64 / 1e3) as f32)
                    }),
                }
            })
            .collect()
    }

    pub(super) fn on_tick(&mut self) {
        let now = self.q.now().0;
        for r in 0..self.regions.len() {
            self.prune_in_service(r, now);
        }
        let g = self.gauges();
        self.rec.finalize(&g);
        let next = (self.rec.finalized as u64 + 1) * self.rec.bucket_us;
        if self.rec.finalized < self.rec.nbuckets {
            self.q.schedule(SimTime(next.min(self.end.0)), Ev::Tick);
        }
    }
}
