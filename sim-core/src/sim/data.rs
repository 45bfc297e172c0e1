//! A request's database call, made when its worker starts it: the operation
//! (read or write, which key) is drawn, the store answers with its verdicts
//! at that moment, and the call's time is added to the request's server time.

use super::{DataRecord, DataRecordOp, Ev, Sim};
use crate::engine::derived_unit;
use crate::model::data::WriteRegionChange;
use crate::scenario::Fault;
use crate::time::SimTime;

impl Sim {
    /// Makes the database call of a request of population `p` (global client
    /// id `gid`) starting now at a stamp in `region`. What the request does
    /// (read or write, which key, which singletons it needs) follows from its
    /// `op_seed`, drawn once when it arrived, so every try of it does the same;
    /// `key` is the key it picks (`key_at(derived_unit(op_seed, 1))`, drawn
    /// when the try was sent).
    /// Returns whether the call succeeded and how long it took, µs.
    pub(super) fn data_call(
        &mut self,
        p: usize,
        region: usize,
        gid: u32,
        op_seed: u64,
        key: u32,
        now: u64,
    ) -> (bool, u64) {
        let Some(store) = &mut self.data else {
            return (true, 0);
        };
        let pop = &self.populations[p];
        for i in 0..store.singletons.len() {
            let share = store.singletons[i].share;
            if store.singleton_down(i) && derived_unit(op_seed, 2 + i as u64) < share {
                self.data_totals.singleton_failures += 1;
                return (false, 0);
            }
        }
        let write = derived_unit(op_seed, 0) < pop.write_share;
        let t = &mut self.data_totals;
        if !write {
            let r = store.read(region, gid, key, now);
            if r.failed {
                return (false, 0);
            }
            t.reads += 1;
            t.stale_reads += r.stale as u64;
            t.ryw_violations += r.ryw_violation as u64;
            t.session_waits += r.session_wait as u64;
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
                        session_wait: r.session_wait,
                    },
                });
            }
            return (true, r.latency_us);
        }
        let audit = self.audit.as_ref().map(|a| a.data.len() as u32);
        let o = store.write(region, gid, key, now, audit, &mut self.rng_replication);
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
                    lost_at: None,
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
        (true, o.latency_us)
    }

    /// A fault reaches the data tier at its start or end (`starting`): a
    /// region or replica outage, a partition, a singleton outage. Writes lost
    /// with a replica are counted against fault `i`; a lost write region
    /// schedules its failover.
    pub(super) fn data_fault(&mut self, i: usize, starting: bool) {
        let now = self.q.now();
        let Some(store) = &mut self.data else { return };
        let f = &self.scenario.faults[i];
        let region_of = |n: &str| self.scenario.regions.iter().position(|r| r.name == n);
        let rng = &mut self.rng_replication;
        let (loss, change) = match f {
            Fault::RegionOutage { region, .. } => match region_of(region) {
                Some(r) => store.region_outage(r, starting, now.0, rng),
                None => Default::default(),
            },
            Fault::ReplicaOutage { region, .. } => match region_of(region).and_then(|r| store.replica_of_region[r]) {
                Some(x) => store.replica_outage(x, starting, now.0, rng),
                None => Default::default(),
            },
            Fault::Partition { region, other, .. } => {
                if let (Some(a), Some(b)) = (region_of(region), region_of(other)) {
                    store.partition(a, b, starting, now.0, rng);
                }
                Default::default()
            }
            Fault::SingletonOutage { singleton, .. } => {
                if let Some(s) = self
                    .scenario
                    .data
                    .as_ref()
                    .and_then(|d| d.singletons.iter().position(|s| s.name == *singleton))
                {
                    store.singleton_outage(s, starting);
                }
                Default::default()
            }
            _ => Default::default(),
        };
        let t = &mut self.data_totals;
        if loss.writes > 0 {
            t.lost_writes += loss.writes;
            t.max_lost_age_us = Some(t.max_lost_age_us.unwrap_or(0).max(loss.oldest_age_us));
            let span = loss.oldest_age_us - loss.newest_age_us;
            t.max_lost_span_us = Some(t.max_lost_span_us.unwrap_or(0).max(span));
            t.lost_by_fault[i] += loss.writes;
        }
        if let WriteRegionChange::FailoverDue { gen, after_us } = change {
            self.q.schedule(SimTime(now.0 + after_us), Ev::DataFailover(gen));
        }
        self.apply_data_patches();
    }

    /// A service-managed failover of the write region comes due.
    pub(super) fn on_data_failover(&mut self, gen: u32) {
        let now = self.q.now().0;
        if let Some(store) = &mut self.data {
            store.failover(gen, now);
        }
    }

    /// Carries the store's changes to audited writes into the audit.
    fn apply_data_patches(&mut self) {
        let (Some(store), Some(a)) = (&mut self.data, &mut self.audit) else {
            return;
        };
        for p in store.take_patches() {
            if let Some(DataRecord {
                op: DataRecordOp::Write { visible, lost_at, .. },
                ..
            }) = a.data.get_mut(p.record as usize)
            {
                match p.replica {
                    Some(x) => visible[x] = p.visible,
                    None => *lost_at = Some(p.visible),
                }
            }
        }
    }

    /// Marks every region whose deep check includes a singleton that is down.
    pub(super) fn refresh_singletons(&mut self) {
        let Some(store) = &self.data else { return };
        let down = (0..store.singletons.len()).any(|i| store.singletons[i].deep_check && store.singleton_down(i));
        for r in &mut self.regions {
            r.cond.singleton_down = down;
        }
    }
}
