//! A request's database call, made when its worker starts it: the operation
//! (read or write, which key) is drawn, the store answers with its verdicts
//! at that moment, and the call's time is added to the request's server time.

use super::{DataRecord, DataRecordOp, Sim};
use crate::engine::derived_unit;
use crate::scenario::Fault;
use crate::time::SimTime;

impl Sim {
    /// Makes the database call of a request of population `p` (global client
    /// id `gid`) starting now at a stamp in `region`. What the request does
    /// (read or write, which key, which singletons it needs) follows from its
    /// `op_seed`, drawn once when it arrived, so every try of it does the same.
    /// Returns whether the call succeeded and how long it took, µs.
    pub(super) fn data_call(&mut self, p: usize, region: usize, gid: u32, op_seed: u64, now: u64) -> (bool, u64) {
        let Some(store) = &mut self.data else {
            return (true, 0);
        };
        let pop = &self.populations[p];
        for i in 0..store.singletons.len() {
            let share = store.singletons[i].share;
            if store.singleton_down(i, now) && derived_unit(op_seed, 2 + i as u64) < share {
                self.data_totals.singleton_failures += 1;
                return (false, 0);
            }
        }
        let write = derived_unit(op_seed, 0) < pop.write_share;
        let key = store.key_at(derived_unit(op_seed, 1));
        let t = &mut self.data_totals;
        if !write {
            let r = store.read(region, gid, key, now);
            if r.failed {
                return (false, 0);
            }
            t.reads += 1;
            t.stale_reads += r.stale as u64;
            t.ryw_violations += r.ryw_violation as u64;
            self.rec.data_read(region, now, r.stale);
            let rg = &mut self.regions[region];
            rg.data_us_sum += r.latency_us;
            rg.data_calls += 1;
            if let Some(a) = &mut self.audit {
                a.data.push(DataRecord {
                    t: now,
                    region,
                    client: gid,
                    op: DataRecordOp::Read {
                        key: r.key,
                        replica: r.replica,
                        stale: r.stale,
                        ryw_violation: r.ryw_violation,
                    },
                });
            }
            return (true, r.latency_us);
        }
        let o = store.write(region, gid, key, now, &mut self.rng_replication);
        t.writes += 1;
        self.rec.data_write(region, now, o.failure.is_some());
        if let Some(a) = &mut self.audit {
            let op = match o.failure {
                Some(_) => DataRecordOp::Refused,
                None => DataRecordOp::Write {
                    key,
                    origin: o.origin,
                    visible: o.visible[..store.replicas.len()].to_vec(),
                    conflict: o.conflict,
                    lost: o.lost_age_us.is_some(),
                },
            };
            a.data.push(DataRecord {
                t: now,
                region,
                client: gid,
                op,
            });
        }
        if o.failure.is_some() {
            t.write_failures += 1;
            return (false, 0);
        }
        let rg = &mut self.regions[region];
        rg.data_us_sum += o.latency_us;
        rg.data_calls += 1;
        t.conflicts += o.conflict as u64;
        if let Some(age) = o.lost_age_us {
            t.lost_writes += 1;
            t.max_lost_age_us = Some(t.max_lost_age_us.unwrap_or(0).max(age));
            let origin = self.scenario.regions[store.replicas[o.origin]].name.as_str();
            let death = now + age;
            if let Some(f) = self.scenario.faults.iter().position(|f| {
                matches!(f, Fault::RegionOutage { .. } | Fault::ReplicaOutage { .. })
                    && f.region() == Some(origin)
                    && f.start().as_micros() == death
            }) {
                t.lost_by_fault[f] += 1;
            }
            return (true, o.latency_us);
        }
        for x in 0..store.replicas.len() {
            if x != o.origin {
                let lag = store.visible_at(key, x).saturating_sub(now);
                self.rec.replication_lag(store.replicas[x], now, lag);
            }
        }
        (true, o.latency_us)
    }

    /// Marks every region whose deep check includes a singleton that is down.
    pub(super) fn refresh_singletons(&mut self, now: SimTime) {
        let Some(store) = &self.data else { return };
        let down =
            (0..store.singletons.len()).any(|i| store.singletons[i].deep_check && store.singleton_down(i, now.0));
        for r in &mut self.regions {
            r.cond.singleton_down = down;
        }
    }
}
