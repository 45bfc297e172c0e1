//! The shared data tier: a Cosmos-DB-like account with replicas in chosen
//! regions (AZURE_FACTS §5).
//!
//! A finite keyspace with Zipf popularity keeps, per key, its latest write
//! and when that write becomes visible in each replica. From that, counted
//! exactly: stale reads, read-your-writes violations of clients served in
//! another region, conflicts (concurrent writes in two regions, resolved
//! last-writer-wins, so one update is lost), and writes acknowledged in a
//! region that dies before any other replica has them (RPO).
//!
//! Faults are scheduled in advance, so the store answers from the schedule:
//! whether a replica is up, when a partition heals, when the write region
//! fails over (precomputed as a timeline). Data operations take effect when
//! the request is dispatched; the milliseconds of network and queueing before
//! it are ignored for ordering.

use crate::engine::SimRng;
use crate::scenario::{Consistency, DataTier, FailoverMode, Fault, Scenario, WriteMode};
use rand_distr::{Distribution, Exp1};

/// Walker's alias table: samples a discrete distribution over `0..n` in
/// constant time (one uniform number), exactly.
#[derive(Clone, Debug)]
pub struct AliasTable {
    /// (probability of keeping the column, its alias), packed for one cache miss.
    cols: Vec<(f64, u32)>,
}

impl AliasTable {
    /// Zipf popularity: P(key k) ∝ 1 / (k + 1)^s.
    pub fn zipf(n: u32, s: f64) -> AliasTable {
        let w: Vec<f64> = (0..n).map(|k| 1.0 / libm::pow(k as f64 + 1.0, s)).collect();
        AliasTable::new(&w)
    }

    /// A table for the given (positive) weights.
    pub fn new(weights: &[f64]) -> AliasTable {
        let n = weights.len().max(1);
        let total: f64 = weights.iter().sum();
        let mut prob: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        prob.resize(n, 1.0);
        let mut alias = vec![0u32; n];
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| prob[i] < 1.0);
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            alias[s] = l as u32;
            prob[l] -= 1.0 - prob[s];
            if prob[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        for i in large.into_iter().chain(small) {
            prob[i] = 1.0;
        }
        AliasTable {
            cols: prob.into_iter().zip(alias).collect(),
        }
    }

    /// Draws an index from a uniform number in [0, 1).
    #[inline]
    pub fn sample(&self, u: f64) -> u32 {
        let n = self.cols.len();
        let x = u * n as f64;
        let i = (x as usize).min(n - 1);
        let (p, alias) = self.cols[i];
        if x - (i as f64) < p {
            i as u32
        } else {
            alias
        }
    }
}

/// A closed interval of simulated time, µs: [start, end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Start.
    pub start: u64,
    /// End.
    pub end: u64,
}

/// What a read found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOutcome {
    /// No replica could serve it.
    pub failed: bool,
    /// Time the read added to the request, µs.
    pub latency_us: u64,
    /// The key's latest write was not yet visible where it was read.
    pub stale: bool,
    /// …and that write was this client's own, made in another region.
    pub ryw_violation: bool,
    /// The key read.
    pub key: u32,
    /// The replica that served it.
    pub replica: Option<usize>,
}

/// Why a write failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteFailure {
    /// No write region (failover under way, or manual failover waiting).
    NoWriteRegion,
    /// Strong consistency with a replica unreachable.
    StrongUnavailable,
    /// Bounded staleness: a replica would fall too far behind; throttled.
    Throttled,
    /// No replica reachable at all.
    NoReplica,
}

/// What a write did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteOutcome {
    /// Why it failed, if it did.
    pub failure: Option<WriteFailure>,
    /// Time the write added to the request, µs.
    pub latency_us: u64,
    /// It overwrote a concurrent write from another region (one update lost).
    pub conflict: bool,
    /// Acknowledged, then lost with its region: the age it had then, µs.
    pub lost_age_us: Option<u64>,
    /// Replica the write was accepted by.
    pub origin: usize,
    /// When each replica has (or would have had) it, µs.
    pub visible: [u64; 8],
}

/// The data tier at run time.
pub struct DataStore {
    /// Region index of each replica, in failover priority order.
    pub replicas: Vec<usize>,
    /// Replica index of each region, if it has one.
    pub replica_of_region: Vec<Option<usize>>,
    mode: WriteMode,
    consistency: Consistency,
    bound_us: u64,
    read_us: u64,
    write_us: u64,
    commit_mean_us: f64,
    /// RTT between regions, µs ([region × region]).
    rtt_us: Vec<u64>,
    nregions: usize,
    down: Vec<Vec<Span>>,
    partitions: Vec<(usize, usize, Span)>,
    /// (from, write replica) — None: no write region.
    write_timeline: Vec<(u64, Option<usize>)>,
    nrep: usize,
    /// Per key, `1 + nrep` words: a header (bit 0 written, bits 8–15 origin
    /// replica, bits 32–63 writer) then when each replica sees the latest
    /// write. One key's state sits in one cache line.
    keys: Vec<u64>,
    popularity: Option<AliasTable>,
    nkeys: u32,
    /// Singletons, in scenario order.
    pub singletons: Vec<SingletonState>,
}

/// When a singleton is down.
#[derive(Clone, Debug)]
pub struct SingletonState {
    /// Share of requests needing it.
    pub share: f64,
    /// The deep health check includes it.
    pub deep_check: bool,
    /// Outages of the service itself.
    own: Vec<Span>,
    /// Outage spans of its home region, then of each geo-replica region: it
    /// is down while all of them are.
    homes: Vec<Vec<Span>>,
}

fn spans_for(faults: &[Fault], pred: impl Fn(&Fault) -> bool) -> Vec<Span> {
    let mut v: Vec<Span> = faults
        .iter()
        .filter(|f| pred(f))
        .map(|f| Span {
            start: f.start().as_micros(),
            end: (f.start() + f.duration()).as_micros(),
        })
        .collect();
    v.sort_by_key(|s| s.start);
    v
}

fn covering(spans: &[Span], t: u64) -> Option<Span> {
    spans.iter().copied().find(|s| s.start <= t && t < s.end)
}

impl DataStore {
    /// Builds the store for `sc` (which must have a data tier) with the
    /// region-to-region RTT matrix in ms.
    pub fn new(sc: &Scenario, d: &DataTier, rtt_ms: &[Vec<f64>]) -> DataStore {
        let region_index = |n: &str| sc.regions.iter().position(|r| r.name == n);
        let replicas: Vec<usize> = d.replicas.iter().filter_map(|r| region_index(r)).collect();
        let nregions = sc.regions.len();
        let mut replica_of_region = vec![None; nregions];
        for (i, &r) in replicas.iter().enumerate() {
            replica_of_region[r] = Some(i);
        }
        let down: Vec<Vec<Span>> = d
            .replicas
            .iter()
            .map(|name| {
                spans_for(&sc.faults, |f| {
                    matches!(f, Fault::RegionOutage { .. } | Fault::ReplicaOutage { .. })
                        && f.region() == Some(name.as_str())
                })
            })
            .collect();
        let partitions = sc
            .faults
            .iter()
            .filter_map(|f| match f {
                Fault::Partition {
                    region,
                    other,
                    start,
                    duration,
                } => {
                    let a = d.replicas.iter().position(|r| r == region)?;
                    let b = d.replicas.iter().position(|r| r == other)?;
                    Some((
                        a,
                        b,
                        Span {
                            start: start.as_micros(),
                            end: (*start + *duration).as_micros(),
                        },
                    ))
                }
                _ => None,
            })
            .collect();
        let singletons = d
            .singletons
            .iter()
            .map(|s| {
                let own = spans_for(
                    &sc.faults,
                    |f| matches!(f, Fault::SingletonOutage { singleton, .. } if *singleton == s.name),
                );
                let homes = std::iter::once(&s.region)
                    .chain(&s.geo_replicas)
                    .map(|h| {
                        spans_for(
                            &sc.faults,
                            |f| matches!(f, Fault::RegionOutage { region, .. } if region == h),
                        )
                    })
                    .collect();
                SingletonState {
                    share: s.share,
                    deep_check: s.deep_check,
                    own,
                    homes,
                }
            })
            .collect();
        let nrep = replicas.len();
        let nkeys = d.keys.max(1);
        let rtt_us = (0..nregions * nregions)
            .map(|i| (rtt_ms[i / nregions][i % nregions] * 1000.0) as u64)
            .collect();
        let mut store = DataStore {
            replica_of_region,
            mode: d.write_mode,
            consistency: d.consistency,
            bound_us: d.staleness_bound().interval.as_micros(),
            read_us: d.read_latency.as_micros(),
            write_us: d.write_latency.as_micros(),
            commit_mean_us: d.commit_mean.as_micros() as f64,
            rtt_us,
            nregions,
            down,
            partitions,
            write_timeline: Vec::new(),
            nrep,
            keys: vec![0; nkeys as usize * (1 + nrep)],
            popularity: (d.zipf_exponent > 0.0).then(|| AliasTable::zipf(nkeys, d.zipf_exponent)),
            nkeys,
            singletons,
            replicas,
        };
        store.write_timeline = store.plan_write_region(d.failover, d.failover_delay.as_micros());
        store
    }

    /// Is replica `x` up at `t`?
    pub fn replica_up(&self, x: usize, t: u64) -> bool {
        covering(&self.down[x], t).is_none()
    }

    /// When replica `x` is next up at or after `t`.
    fn up_again(&self, x: usize, t: u64) -> u64 {
        let mut t = t;
        while let Some(s) = covering(&self.down[x], t) {
            t = s.end;
        }
        t
    }

    /// The write region's timeline: at each change, which replica accepts
    /// writes (None: none does). Precomputed from the fault schedule.
    fn plan_write_region(&self, mode: FailoverMode, delay: u64) -> Vec<(u64, Option<usize>)> {
        let mut out = vec![(0, Some(0))];
        if self.nrep == 0 {
            return vec![(0, None)];
        }
        if self.mode == WriteMode::Multi {
            return out;
        }
        let mut cur = 0usize;
        let mut t = 0u64;
        while let Some(s) = self.down[cur].iter().copied().find(|s| s.end > t) {
            let start = s.start.max(t);
            out.push((start, None));
            let promote = start + delay;
            let candidate = (0..self.nrep).find(|&x| x != cur && self.replica_up(x, promote));
            match (mode, candidate) {
                (FailoverMode::ServiceManaged, Some(c)) if promote < s.end => {
                    out.push((promote, Some(c)));
                    cur = c;
                    t = promote;
                }
                _ => {
                    out.push((s.end, Some(cur)));
                    t = s.end;
                }
            }
        }
        out
    }

    /// The replica accepting writes at `t` (single-write), if any.
    pub fn write_region_at(&self, t: u64) -> Option<usize> {
        self.write_timeline
            .iter()
            .rev()
            .find(|(from, _)| *from <= t)
            .and_then(|x| x.1)
    }

    /// Spans without a write region within [0, end).
    pub fn time_without_write_region(&self, end: u64) -> u64 {
        let mut total = 0;
        for (i, (from, w)) in self.write_timeline.iter().enumerate() {
            if w.is_none() && *from < end {
                let to = self.write_timeline.get(i + 1).map(|x| x.0).unwrap_or(end).min(end);
                total += to.saturating_sub(*from);
            }
        }
        total
    }

    fn rtt(&self, a_region: usize, b_region: usize) -> u64 {
        self.rtt_us[a_region * self.nregions + b_region]
    }

    fn partitioned(&self, a: usize, b: usize, t: u64) -> Option<u64> {
        self.partitions
            .iter()
            .filter(|(x, y, s)| ((*x == a && *y == b) || (*x == b && *y == a)) && s.start <= t && t < s.end)
            .map(|(_, _, s)| s.end)
            .max()
    }

    /// The replica that serves region `r` at `t`: its own if up, else the
    /// nearest up one (the SDK's preferred-region retry, AZURE_FACTS §5.6).
    fn serving(&self, r: usize, t: u64) -> Option<usize> {
        if let Some(x) = self.replica_of_region[r] {
            if self.replica_up(x, t) {
                return Some(x);
            }
        }
        (0..self.nrep)
            .filter(|&x| self.replica_up(x, t))
            .min_by_key(|&x| self.rtt(r, self.replicas[x]))
    }

    /// The key a uniform number `u` in [0, 1) picks (Zipf popularity, or uniform).
    #[inline]
    pub fn key_at(&self, u: f64) -> u32 {
        match &self.popularity {
            Some(t) => t.sample(u),
            None => ((u * self.nkeys as f64) as u32).min(self.nkeys - 1),
        }
    }

    /// Is singleton `i` down at `t`?
    pub fn singleton_down(&self, i: usize, t: u64) -> bool {
        let st = &self.singletons[i];
        covering(&st.own, t).is_some() || st.homes.iter().all(|h| covering(h, t).is_some())
    }

    /// A read of `key` by `client` from a stamp in region `r` at `t`.
    pub fn read(&self, r: usize, client: u32, key: u32, t: u64) -> ReadOutcome {
        let Some(x) = self.serving(r, t) else {
            return ReadOutcome {
                failed: true,
                key,
                ..Default::default()
            };
        };
        let mut latency = self.read_us;
        if Some(x) != self.replica_of_region[r] {
            latency += self.rtt(r, self.replicas[x]);
        }
        let (written, origin, writer) = self.header(key);
        if !written || self.consistency == Consistency::Strong {
            return ReadOutcome {
                latency_us: latency,
                key,
                replica: Some(x),
                ..Default::default()
            };
        }
        let stale = t < self.visible_at(key, x);
        let ryw_violation = stale && writer == client && origin != x;
        ReadOutcome {
            failed: false,
            latency_us: latency,
            stale,
            ryw_violation,
            key,
            replica: Some(x),
        }
    }

    /// What a write from region `r` at `t` would cost (µs), or why it would
    /// fail — without writing.
    pub fn write_cost(&self, r: usize, t: u64) -> Result<u64, WriteFailure> {
        let target = match self.mode {
            WriteMode::Single => match self.write_region_at(t) {
                Some(w) if self.replica_up(w, t) => w,
                _ => return Err(WriteFailure::NoWriteRegion),
            },
            WriteMode::Multi => self.serving(r, t).ok_or(WriteFailure::NoReplica)?,
        };
        let origin_region = self.replicas[target];
        let mut latency = self.write_us;
        if self.replica_of_region[r] != Some(target) {
            latency += self.rtt(r, origin_region);
        }
        if self.consistency == Consistency::Strong {
            let mut far = 0;
            for x in (0..self.nrep).filter(|&x| x != target) {
                if !self.replica_up(x, t) || self.partitioned(target, x, t).is_some() {
                    return Err(WriteFailure::StrongUnavailable);
                }
                far = far.max(self.rtt(origin_region, self.replicas[x]));
            }
            latency += 2 * far;
        }
        Ok(latency)
    }

    /// A write of `key` by `client` from a stamp in region `r` at `t`.
    /// `rng` draws the replication lags.
    pub fn write(&mut self, r: usize, client: u32, key: u32, t: u64, rng: &mut SimRng) -> WriteOutcome {
        let target = match self.mode {
            WriteMode::Single => match self.write_region_at(t) {
                Some(w) if self.replica_up(w, t) => w,
                _ => {
                    return WriteOutcome {
                        failure: Some(WriteFailure::NoWriteRegion),
                        ..Default::default()
                    }
                }
            },
            WriteMode::Multi => match self.serving(r, t) {
                Some(x) => x,
                None => {
                    return WriteOutcome {
                        failure: Some(WriteFailure::NoReplica),
                        ..Default::default()
                    }
                }
            },
        };
        let origin_region = self.replicas[target];
        let mut latency = self.write_us;
        if self.replica_of_region[r] != Some(target) {
            latency += self.rtt(r, origin_region);
        }
        let nrep = self.nrep;
        let k = key as usize;
        if self.consistency == Consistency::Strong {
            // Acknowledged after a quorum in every region: ≈ 2 × RTT to the farthest (§5.2).
            let mut far = 0;
            for x in 0..nrep {
                if x == target {
                    continue;
                }
                if !self.replica_up(x, t) || self.partitioned(target, x, t).is_some() {
                    return WriteOutcome {
                        failure: Some(WriteFailure::StrongUnavailable),
                        ..Default::default()
                    };
                }
                far = far.max(self.rtt(origin_region, self.replicas[x]));
            }
            latency += 2 * far;
            self.commit(k, client, target, |_| t);
            return WriteOutcome {
                latency_us: latency,
                origin: target,
                visible: [t; 8],
                ..Default::default()
            };
        }
        // Replication lag to each other replica: RTT/2 + commit, delayed by a
        // partition or the replica being down until it heals.
        let mut visible = [0u64; 8];
        for (x, v) in visible.iter_mut().enumerate().take(nrep) {
            if x == target {
                *v = t;
                continue;
            }
            let e: f64 = Exp1.sample(rng.inner());
            let lag = self.rtt(origin_region, self.replicas[x]) / 2 + (e * self.commit_mean_us) as u64;
            let mut from = t;
            if let Some(heal) = self.partitioned(target, x, t) {
                from = heal;
            }
            from = self.up_again(x, from);
            *v = from + lag;
        }
        if self.consistency == Consistency::BoundedStaleness
            && visible.iter().take(nrep).any(|&v| v.saturating_sub(t) > self.bound_us)
        {
            return WriteOutcome {
                failure: Some(WriteFailure::Throttled),
                ..Default::default()
            };
        }
        // RPO: does the origin die before any other replica has the write?
        let first_elsewhere = (0..nrep)
            .filter(|&x| x != target)
            .map(|x| visible[x])
            .min()
            .unwrap_or(u64::MAX);
        // With a single replica nothing replicates, and an outage makes the
        // data unavailable, not lost.
        if nrep > 1 {
            if let Some(death) = self.down[target]
                .iter()
                .map(|s| s.start)
                .find(|&s| s > t && s < first_elsewhere)
            {
                return WriteOutcome {
                    latency_us: latency,
                    origin: target,
                    lost_age_us: Some(death - t),
                    visible,
                    ..Default::default()
                };
            }
        }
        let (written, prev_origin, _) = self.header(key);
        let conflict =
            self.mode == WriteMode::Multi && written && prev_origin != target && t < self.visible_at(key, target);
        self.commit(k, client, target, |x| visible[x]);
        WriteOutcome {
            latency_us: latency,
            conflict,
            origin: target,
            visible,
            ..Default::default()
        }
    }

    fn commit(&mut self, k: usize, client: u32, origin: usize, visible: impl Fn(usize) -> u64) {
        let base = k * (1 + self.nrep);
        self.keys[base] = 1 | ((origin as u64) << 8) | ((client as u64) << 32);
        for x in 0..self.nrep {
            self.keys[base + 1 + x] = visible(x);
        }
    }

    /// (written at all, origin replica, writer) of `key`'s latest write.
    #[inline]
    fn header(&self, key: u32) -> (bool, usize, u32) {
        let h = self.keys[key as usize * (1 + self.nrep)];
        (h & 1 == 1, ((h >> 8) & 0xff) as usize, (h >> 32) as u32)
    }

    /// When replica `x` will have the latest write of `key` (µs).
    #[inline]
    pub fn visible_at(&self, key: u32, x: usize) -> u64 {
        self.keys[key as usize * (1 + self.nrep) + 1 + x]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_table_reproduces_its_weights() {
        let t = AliasTable::new(&[1.0, 2.0, 3.0, 4.0]);
        let n = 100_000;
        let mut counts = [0u32; 4];
        for i in 0..n {
            counts[t.sample((i as f64 + 0.5) / n as f64) as usize] += 1;
        }
        for (k, c) in counts.iter().enumerate() {
            let want = (k + 1) as f64 / 10.0;
            assert!((*c as f64 / n as f64 - want).abs() < 0.002, "{k}: {c}");
        }
    }

    #[test]
    fn zipf_head_has_the_harmonic_share() {
        // s = 1, n = 1000: P(key 0) = 1 / H(1000) = 1 / 7.4855.
        let t = AliasTable::zipf(1000, 1.0);
        let n = 200_000;
        let zeros = (0..n).filter(|i| t.sample((*i as f64 + 0.5) / n as f64) == 0).count();
        assert!((zeros as f64 / n as f64 - 1.0 / 7.4855).abs() < 0.002, "{zeros}");
    }
}
