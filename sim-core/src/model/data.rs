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
//! The store learns of faults when they happen — a replica goes down or comes
//! back, a partition starts or heals, a singleton fails — and never reads the
//! fault schedule:
//! - **Replication** runs over a link per (origin, replica) pair. A working
//!   link delivers a write after RTT/2 plus an exponential commit time; a cut
//!   link (partition, or either end down) holds its writes back, and when it
//!   works again delivers its whole backlog after one such delay (assumption:
//!   the backlog drains as a batch).
//! - **Bounded staleness** throttles a write when a replica that is online
//!   has fallen behind by more than T seconds or K versions, as observed from
//!   the writes its cut link holds back (§5.2); an offline replica is left out
//!   of the bound. Writes in flight on a working link (tens of milliseconds)
//!   are not counted against K.
//! - **Strong consistency** acknowledges a write once every region in the
//!   quorum set has it (≈ 2 × RTT to the farthest, §5.2). With two regions
//!   the set is both: a cut link refuses writes. With three or more, Cosmos
//!   DB's *dynamic quorum* (§5.2; consistency-levels doc) takes unresponsive
//!   regions out of the set as long as a global majority remains (3 or 4
//!   regions: one may go; 5: two); a region out of the set takes no strong
//!   reads (the SDK retries them in the nearest region in the set, §5.6) and
//!   is added back once its link works and its backlog has arrived.
//! - **The write region** fails over when it is lost: with service-managed
//!   failover the next replica in priority order that is up is promoted
//!   `failover_delay` later unless the old one is back first (an event the
//!   simulation schedules); with manual failover writes wait for the old one.
//! - **Lost writes** are counted when their region dies: acknowledged writes
//!   there that no other replica has yet. A key whose latest version is lost
//!   reverts, everywhere, to the version the survivors hold (taken to be
//!   visible from that moment: an assumption for the rare key whose previous
//!   version was itself still in flight).

use crate::engine::SimRng;
use crate::scenario::{Consistency, DataTier, FailoverMode, Scenario, WriteMode};
use rand_distr::{Distribution, Exp1};
use std::collections::VecDeque;

/// Most replicas an account may have (the validator enforces it).
pub const MAX_REPLICAS: usize = 8;
/// "Not delivered until a cut link works again."
pub const HELD: u64 = u64::MAX;
/// Header writer of a key whose latest version was lost (no writer).
const NO_WRITER: u64 = 0xffff_ffff;
/// Header stamp of a key whose latest version was lost (no stamp's session).
const NO_STAMP: u64 = 0xff;

/// The Cosmos DB .NET SDK's session-token retry (`SessionTokenMismatchRetryPolicy`,
/// Microsoft.Azure.Cosmos v3 source, defaults): on 404/1002 it retries in
/// the same region after 5 ms, each wait ×5 up to 500 ms, for 5 s in all;
/// then the request goes to another region (AZURE_FACTS §5.6). The stamps
/// are assumed to run that SDK.
pub const SESSION_RETRY_FIRST_US: u64 = 5_000;
/// Growth of the wait between retries.
pub const SESSION_RETRY_MULTIPLIER: u64 = 5;
/// Longest wait between retries.
pub const SESSION_RETRY_MAX_US: u64 = 500_000;
/// Time spent retrying in the region before going elsewhere.
pub const SESSION_RETRY_BUDGET_US: u64 = 5_000_000;

/// The SDK's local retries for a read whose session token the replica does
/// not have yet, `until` µs after the first try (None: it never has it in
/// time): (retries, time waited) until the first retry at or after `until`,
/// or None when the budget runs out first.
pub fn session_retries(until: Option<u64>) -> Option<(u64, u64)> {
    let until = until?;
    let (mut n, mut waited, mut step) = (0u64, 0u64, SESSION_RETRY_FIRST_US);
    while waited < until {
        if waited + step > SESSION_RETRY_BUDGET_US {
            return None;
        }
        waited += step;
        n += 1;
        step = (step * SESSION_RETRY_MULTIPLIER).min(SESSION_RETRY_MAX_US);
    }
    Some((n, waited))
}

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

    /// The column a uniform number `u` in [0, 1) lands in, and `u` scaled
    /// to the columns.
    #[inline]
    fn column(&self, u: f64) -> (usize, f64) {
        let n = self.cols.len();
        let x = u * n as f64;
        ((x as usize).min(n.saturating_sub(1)), x)
    }

    /// Starts fetching the column [`AliasTable::sample`] reads for `u`.
    #[inline]
    pub fn prefetch(&self, u: f64) {
        if let Some(c) = self.cols.get(self.column(u).0) {
            crate::engine::prefetch(c);
        }
    }

    /// Draws an index from a uniform number in [0, 1).
    #[inline]
    pub fn sample(&self, u: f64) -> u32 {
        let (i, x) = self.column(u);
        let (p, alias) = self.cols[i];
        if x - (i as f64) < p {
            i as u32
        } else {
            alias
        }
    }
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
    /// Session consistency: the replica did not yet have the write this
    /// stamp's SDK last made to the key (its session token), so the SDK
    /// retried (§5.6) and paid for it; the read was not stale.
    pub session_wait: bool,
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
    /// Bounded staleness: a replica has fallen too far behind; throttled.
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
    /// Replica the write was accepted by.
    pub origin: usize,
    /// When each replica will have it as things stand, µs ([`HELD`]: held
    /// back by a cut link).
    pub visible: [u64; MAX_REPLICAS],
}

/// Writes lost with a replica that died.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loss {
    /// How many.
    pub writes: u64,
    /// Age of the oldest, µs.
    pub oldest_age_us: u64,
    /// Age of the newest, µs.
    pub newest_age_us: u64,
}

/// A change to an audited write's record: replica `replica` of the write
/// the audit holds at `record` now has it at `visible`; or (`replica` None)
/// the write was lost at `visible`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditPatch {
    /// Index of the write in the audit's data records.
    pub record: u32,
    /// The replica, or None for "lost".
    pub replica: Option<usize>,
    /// New visibility time (or the time it was lost).
    pub visible: u64,
}

/// A replication link's backlog while it is cut.
#[derive(Clone, Copy, Debug)]
struct Link {
    cut: bool,
    /// The oldest write it holds back, µs (`HELD` when none).
    oldest: u64,
    /// Writes it holds back.
    count: u64,
    /// When the backlog of its last cut has arrived, µs.
    caught_up: u64,
}

/// Writes of one origin not yet everywhere they are going: one write, or
/// (`count` > 1) a run of writes made while every link was cut.
#[derive(Clone, Copy, Debug)]
struct Pending {
    t: u64,
    /// The newest write of a run (= `t` for one write).
    last: u64,
    count: u64,
    visible: [u64; MAX_REPLICAS],
    /// Audit record of the write (`u32::MAX`: none).
    audit: u32,
}

/// A singleton's state.
#[derive(Clone, Debug)]
pub struct SingletonState {
    /// Share of requests needing it.
    pub share: f64,
    /// The deep health check includes it.
    pub deep_check: bool,
    /// Outages of the service itself under way.
    own: u32,
    /// Scenario regions of its home and geo-replicas: it is down while all
    /// of them are (a home outside the scenario never goes down).
    homes: Vec<Option<usize>>,
}

/// The data tier at run time.
#[derive(Clone)]
pub struct DataStore {
    /// Region index of each replica, in failover priority order.
    pub replicas: Vec<usize>,
    /// Replica index of each region, if it has one.
    pub replica_of_region: Vec<Option<usize>>,
    mode: WriteMode,
    consistency: Consistency,
    failover: FailoverMode,
    failover_delay_us: u64,
    bound_us: u64,
    bound_versions: u64,
    read_us: u64,
    write_us: u64,
    commit_mean_us: f64,
    /// RTT between regions, µs ([region × region]).
    rtt_us: Vec<u64>,
    nregions: usize,
    nrep: usize,
    /// Outages under way per region (region outages only: singletons' homes).
    region_down: Vec<u32>,
    /// Outages under way per replica (its region's outage or its own).
    down: Vec<u32>,
    /// Partitions under way per replica pair ([a × nrep + b], symmetric).
    cut: Vec<u32>,
    write_region: Option<usize>,
    /// The write replica that was lost, while no other has taken over.
    lost_write_region: Option<usize>,
    /// A service-managed failover came due and found no replica up.
    failover_due: bool,
    /// Strong consistency: the quorum set when the write region was lost
    /// (only those replicas have every acknowledged write).
    quorum_at_loss: Vec<bool>,
    /// Bumped when a pending failover becomes moot.
    failover_gen: u32,
    no_write_since: Option<u64>,
    no_write_total: u64,
    /// [origin × nrep + replica].
    links: Vec<Link>,
    /// Per origin, oldest first.
    pending: Vec<VecDeque<Pending>>,
    /// Per key, `1 + nrep` words: a header (bit 0 written, bits 8–15 origin
    /// replica, bits 32–63 writer) then when each replica sees the latest
    /// write. One key's state sits in one cache line.
    keys: Vec<u64>,
    /// Per key, the audit record of its latest write (only when audited).
    key_audit: Vec<u32>,
    patches: Vec<AuditPatch>,
    popularity: Option<AliasTable>,
    nkeys: u32,
    /// Singletons, in scenario order.
    pub singletons: Vec<SingletonState>,
}

/// A change of the write region the caller must act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WriteRegionChange {
    /// Nothing to do.
    #[default]
    None,
    /// The write region was lost: schedule [`DataStore::failover`] with this
    /// generation after the failover delay (service-managed failover).
    FailoverDue {
        /// Pass back to [`DataStore::failover`].
        gen: u32,
        /// After this long, µs.
        after_us: u64,
    },
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
        let singletons = d
            .singletons
            .iter()
            .map(|s| SingletonState {
                share: s.share,
                deep_check: s.deep_check,
                own: 0,
                homes: std::iter::once(&s.region)
                    .chain(&s.geo_replicas)
                    .map(|h| region_index(h))
                    .collect(),
            })
            .collect();
        let nrep = replicas.len().min(MAX_REPLICAS);
        let nkeys = d.keys.max(1);
        let rtt_us = (0..nregions * nregions)
            .map(|i| (rtt_ms[i / nregions][i % nregions] * 1000.0) as u64)
            .collect();
        let bound = d.staleness_bound();
        DataStore {
            replica_of_region,
            mode: d.write_mode,
            consistency: d.consistency,
            failover: d.failover,
            failover_delay_us: d.failover_delay.as_micros(),
            bound_us: bound.interval.as_micros(),
            bound_versions: bound.versions,
            read_us: d.read_latency.as_micros(),
            write_us: d.write_latency.as_micros(),
            commit_mean_us: d.commit_mean.as_micros() as f64,
            rtt_us,
            nregions,
            nrep,
            region_down: vec![0; nregions],
            down: vec![0; nrep],
            cut: vec![0; nrep * nrep],
            write_region: (nrep > 0).then_some(0),
            lost_write_region: None,
            failover_due: false,
            quorum_at_loss: vec![true; nrep],
            failover_gen: 0,
            no_write_since: (nrep == 0).then_some(0),
            no_write_total: 0,
            links: vec![
                Link {
                    cut: false,
                    oldest: HELD,
                    count: 0,
                    caught_up: 0,
                };
                nrep * nrep
            ],
            pending: vec![VecDeque::new(); nrep],
            keys: vec![0; nkeys as usize * (1 + nrep)],
            key_audit: Vec::new(),
            patches: Vec::new(),
            popularity: (d.zipf_exponent > 0.0).then(|| AliasTable::zipf(nkeys, d.zipf_exponent)),
            nkeys,
            singletons,
            replicas: replicas.into_iter().take(nrep).collect(),
        }
    }

    /// Keeps, from now on, the audit record of each key's latest write, so
    /// that later changes to it come out as [`AuditPatch`]es; and keeps
    /// every write apart (no batching).
    pub fn enable_audit(&mut self) {
        self.key_audit = vec![u32::MAX; self.nkeys as usize];
    }

    /// The audit patches made since the last call.
    pub fn take_patches(&mut self) -> Vec<AuditPatch> {
        std::mem::take(&mut self.patches)
    }

    /// Is replica `x` up?
    #[inline]
    pub fn replica_up(&self, x: usize) -> bool {
        self.down[x] == 0
    }

    /// The replica accepting writes (single-write), if any.
    #[cfg(test)]
    pub fn write_region(&self) -> Option<usize> {
        self.write_region
    }

    /// Time without a write region up to `now`, µs.
    pub fn time_without_write_region(&self, now: u64) -> u64 {
        self.no_write_total + self.no_write_since.map_or(0, |s| now.saturating_sub(s))
    }

    fn rtt(&self, a_region: usize, b_region: usize) -> u64 {
        self.rtt_us[a_region * self.nregions + b_region]
    }

    /// Whether the link from replica `o` to replica `x` is cut now.
    fn link_cut(&self, o: usize, x: usize) -> bool {
        self.down[o] > 0 || self.down[x] > 0 || self.cut[o * self.nrep + x] > 0
    }

    /// The replica that serves region `r`: its own if up, else the nearest up
    /// one (the SDK's preferred-region retry, AZURE_FACTS §5.6).
    fn serving(&self, r: usize) -> Option<usize> {
        if let Some(x) = self.replica_of_region[r] {
            if self.replica_up(x) {
                return Some(x);
            }
        }
        (0..self.nrep)
            .filter(|&x| self.replica_up(x))
            .min_by_key(|&x| self.rtt(r, self.replicas[x]))
    }

    /// Strong consistency: is replica `x` in the quorum set at `now`? With
    /// fewer than three regions every replica is (writes need them all);
    /// with three or more, a replica the write region cannot reach, or whose
    /// backlog has not arrived yet, is out (dynamic quorum, §5.2).
    fn in_quorum(&self, x: usize, now: u64) -> bool {
        if self.nrep < 3 {
            return true;
        }
        match self.write_region {
            None => self.replica_up(x) && self.quorum_at_loss[x],
            Some(w) => x == w || (!self.link_cut(w, x) && now >= self.links[w * self.nrep + x].caught_up),
        }
    }

    /// Regions dynamic quorum may take out of the set: all but a global
    /// majority (3 or 4 regions: 1; 5: 2), none with fewer than three.
    pub fn removable(&self) -> usize {
        if self.nrep < 3 {
            0
        } else {
            self.nrep - (self.nrep / 2 + 1)
        }
    }

    /// Starts fetching `key`'s state (one cache line) into the cache, ahead
    /// of the database call that reads or writes it.
    #[inline]
    pub fn prefetch_key(&self, key: u32) {
        if let Some(h) = self.keys.get(self.key_base(key as usize)) {
            crate::engine::prefetch(h);
        }
    }

    /// Starts fetching what [`DataStore::key_at`] reads for `u`.
    #[inline]
    pub fn prefetch_key_at(&self, u: f64) {
        if let Some(t) = &self.popularity {
            t.prefetch(u);
        }
    }

    /// The key a uniform number `u` in [0, 1) picks (Zipf popularity, or uniform).
    #[inline]
    pub fn key_at(&self, u: f64) -> u32 {
        match &self.popularity {
            Some(t) => t.sample(u),
            None => ((u * self.nkeys as f64) as u32).min(self.nkeys - 1),
        }
    }

    /// Is singleton `i` down now?
    pub fn singleton_down(&self, i: usize) -> bool {
        let st = &self.singletons[i];
        st.own > 0 || st.homes.iter().all(|h| h.is_some_and(|r| self.region_down[r] > 0))
    }

    // ----- faults, as they happen -----

    /// An outage of region `r` starts (`starting`) or ends at `now`: its
    /// replica (if any) and the singletons homed there follow.
    pub fn region_outage(&mut self, r: usize, starting: bool, now: u64, rng: &mut SimRng) -> (Loss, WriteRegionChange) {
        if starting {
            self.region_down[r] += 1;
        } else {
            self.region_down[r] = self.region_down[r].saturating_sub(1);
        }
        match self.replica_of_region[r] {
            Some(x) => self.replica_outage(x, starting, now, rng),
            None => (Loss::default(), WriteRegionChange::None),
        }
    }

    /// An outage of replica `x` (its region's or its own) starts or ends at
    /// `now`. A replica that dies loses its writes no other replica has; the
    /// write region lost starts a failover.
    pub fn replica_outage(
        &mut self,
        x: usize,
        starting: bool,
        now: u64,
        rng: &mut SimRng,
    ) -> (Loss, WriteRegionChange) {
        let mut loss = Loss::default();
        let mut change = WriteRegionChange::None;
        if starting {
            if self.down[x] == 0 && self.write_region == Some(x) {
                for y in 0..self.nrep {
                    self.quorum_at_loss[y] = self.in_quorum(y, now);
                }
            }
            self.down[x] += 1;
            if self.down[x] == 1 {
                loss = self.lose_unreplicated(x, now);
                if self.mode == WriteMode::Single && self.write_region == Some(x) {
                    self.write_region = None;
                    self.lost_write_region = Some(x);
                    self.no_write_since = Some(now);
                    self.failover_due = false;
                    self.failover_gen += 1;
                    if self.failover == FailoverMode::ServiceManaged {
                        change = WriteRegionChange::FailoverDue {
                            gen: self.failover_gen,
                            after_us: self.failover_delay_us,
                        };
                    }
                }
            }
        } else if self.down[x] > 0 {
            self.down[x] -= 1;
            // The old write region is back before a failover (or a due
            // failover finds its first replica up).
            let back = self.lost_write_region == Some(x) || (self.failover_due && self.lost_write_region.is_some());
            if self.down[x] == 0 && self.write_region.is_none() && self.mode == WriteMode::Single && back {
                self.promote(x, now);
            }
        }
        self.refresh_links(now, rng);
        (loss, change)
    }

    /// A service-managed failover comes due (the delay after the write region
    /// was lost): the first replica in priority order that is up takes writes.
    pub fn failover(&mut self, gen: u32, now: u64) {
        if gen != self.failover_gen || self.write_region.is_some() {
            return;
        }
        // Strong consistency promotes only a replica that was in the quorum
        // set (it has every acknowledged write).
        let strong = self.consistency == Consistency::Strong;
        match (0..self.nrep)
            .find(|&x| Some(x) != self.lost_write_region && self.replica_up(x) && (!strong || self.quorum_at_loss[x]))
        {
            Some(c) => self.promote(c, now),
            None => self.failover_due = true,
        }
    }

    fn promote(&mut self, x: usize, now: u64) {
        if self.consistency == Consistency::Strong && self.nrep >= 3 && self.quorum_at_loss.iter().any(|q| !q) {
            self.resync_from(x, now);
        }
        self.write_region = Some(x);
        self.quorum_at_loss.iter_mut().for_each(|q| *q = true);
        self.lost_write_region = None;
        self.failover_due = false;
        self.failover_gen += 1;
        if let Some(s) = self.no_write_since.take() {
            self.no_write_total += now.saturating_sub(s);
        }
    }

    /// Strong consistency, a new write region `x` that has every
    /// acknowledged write: replicas that were out of the quorum set get what
    /// they miss from it (one replication delay away, over a working link;
    /// otherwise when that link works again) and stay out of the set until
    /// it has arrived.
    fn resync_from(&mut self, x: usize, now: u64) {
        let n = self.nrep;
        let w = 1 + n;
        let behind: Vec<usize> = (0..n).filter(|&z| z != x && !self.quorum_at_loss[z]).collect();
        for z in behind {
            let at = if self.link_cut(x, z) {
                HELD
            } else {
                now + self.rtt(self.replicas[x], self.replicas[z]) / 2
            };
            if at != HELD {
                let link = &mut self.links[x * n + z];
                link.caught_up = link.caught_up.max(at);
            }
            for k in 0..self.nkeys as usize {
                let v = self.keys[k * w + 1 + z];
                if self.keys[k * w] & 1 == 1 && v > now && self.keys[k * w + 1 + x] <= now {
                    self.set_visible(k, z, at.min(v));
                }
            }
        }
    }

    /// A partition between the replicas in regions `a` and `b` starts or ends.
    pub fn partition(&mut self, a: usize, b: usize, starting: bool, now: u64, rng: &mut SimRng) {
        let (Some(x), Some(y)) = (self.replica_of_region[a], self.replica_of_region[b]) else {
            return;
        };
        for (p, q) in [(x, y), (y, x)] {
            let c = &mut self.cut[p * self.nrep + q];
            if starting {
                *c += 1;
            } else {
                *c = c.saturating_sub(1);
            }
        }
        self.refresh_links(now, rng);
    }

    /// An outage of singleton `i` itself starts or ends.
    pub fn singleton_outage(&mut self, i: usize, starting: bool) {
        let s = &mut self.singletons[i];
        if starting {
            s.own += 1;
        } else {
            s.own = s.own.saturating_sub(1);
        }
    }

    /// Cuts or restores the links whose state changed: a link cut now holds
    /// back what it had in flight; a link working again delivers its backlog
    /// after one replication delay (one draw per link).
    fn refresh_links(&mut self, now: u64, rng: &mut SimRng) {
        let n = self.nrep;
        let mut changed: Vec<(usize, usize, Option<u64>)> = Vec::new();
        for o in 0..n {
            for x in 0..n {
                if o == x {
                    continue;
                }
                let cut = self.link_cut(o, x);
                if cut == self.links[o * n + x].cut {
                    continue;
                }
                if cut {
                    changed.push((o, x, None));
                } else {
                    let e: f64 = Exp1.sample(rng.inner());
                    let catch =
                        now + self.rtt(self.replicas[o], self.replicas[x]) / 2 + (e * self.commit_mean_us) as u64;
                    changed.push((o, x, Some(catch)));
                }
            }
        }
        if changed.is_empty() {
            return;
        }
        for &(o, x, catch) in &changed {
            let link = &mut self.links[o * n + x];
            link.cut = catch.is_none();
            link.oldest = HELD;
            link.count = 0;
            if let Some(c) = catch {
                link.caught_up = c;
            }
            for p in self.pending[o].iter_mut() {
                match catch {
                    None if p.visible[x] > now && p.visible[x] != HELD => {
                        p.visible[x] = HELD;
                        link.oldest = link.oldest.min(p.t);
                        link.count += p.count;
                    }
                    Some(c) if p.visible[x] == HELD => p.visible[x] = c,
                    _ => {}
                }
            }
        }
        // One pass over the keys for every changed link.
        let w = 1 + n;
        for k in 0..self.nkeys as usize {
            let h = self.keys[k * w];
            if h & 1 == 0 {
                continue;
            }
            let origin = ((h >> 8) & 0xff) as usize;
            for &(o, x, catch) in &changed {
                if o != origin {
                    continue;
                }
                let v = self.keys[k * w + 1 + x];
                let new = match catch {
                    None if v > now && v != HELD => HELD,
                    Some(c) if v == HELD => c,
                    _ => continue,
                };
                self.set_visible(k, x, new);
            }
        }
    }

    /// Replica `x` died at `now`: the writes it acknowledged that no other
    /// replica has yet are lost; their keys revert to what the survivors hold.
    fn lose_unreplicated(&mut self, x: usize, now: u64) -> Loss {
        let mut loss = Loss::default();
        if self.nrep < 2 {
            // With one replica nothing replicates: an outage makes the data
            // unavailable, not lost.
            self.pending[x].clear();
            return loss;
        }
        let first_elsewhere = |p: &Pending| (0..self.nrep).filter(|&y| y != x).map(|y| p.visible[y]).min();
        for p in &self.pending[x] {
            if first_elsewhere(p).is_none_or(|f| f > now) {
                if loss.writes == 0 {
                    loss.newest_age_us = now - p.t;
                }
                loss.writes += p.count;
                loss.oldest_age_us = loss.oldest_age_us.max(now - p.t);
                loss.newest_age_us = loss.newest_age_us.min(now - p.last);
                if p.audit != u32::MAX {
                    self.patches.push(AuditPatch {
                        record: p.audit,
                        replica: None,
                        visible: now,
                    });
                }
            }
        }
        self.pending[x].clear();
        let w = 1 + self.nrep;
        for k in 0..self.nkeys as usize {
            let h = self.keys[k * w];
            if h & 1 == 0 || ((h >> 8) & 0xff) as usize != x {
                continue;
            }
            // A survivor that has the latest version (the earliest to get it).
            let holder = (0..self.nrep)
                .filter(|&y| y != x && self.keys[k * w + 1 + y] <= now)
                .min_by_key(|&y| self.keys[k * w + 1 + y]);
            match holder {
                None => {
                    // Lost: the survivors' version, visible everywhere from now
                    // (the lost write's audit record keeps its own times).
                    self.keys[k * w] = 1 | ((x as u64) << 8) | (NO_STAMP << 16) | (NO_WRITER << 32);
                    for y in 0..self.nrep {
                        self.keys[k * w + 1 + y] = now;
                    }
                    if let Some(slot) = self.key_audit.get_mut(k) {
                        *slot = u32::MAX;
                    }
                }
                Some(y) => {
                    // It lives on in `y`, which now replicates it to the others.
                    self.keys[k * w] = (h & !(0xff << 8)) | ((y as u64) << 8);
                    for z in (0..self.nrep).filter(|&z| z != x && z != y) {
                        if self.keys[k * w + 1 + z] <= now {
                            continue;
                        }
                        let at = if self.link_cut(y, z) {
                            HELD
                        } else {
                            now + self.rtt(self.replicas[y], self.replicas[z]) / 2
                        };
                        self.set_visible(k, z, at);
                    }
                }
            }
        }
        for y in 0..self.nrep {
            let link = &mut self.links[x * self.nrep + y];
            link.oldest = HELD;
            link.count = 0;
        }
        loss
    }

    /// Sets when replica `x` has key `k`'s latest write (and patches the
    /// audit record of that write, if audited).
    fn set_visible(&mut self, k: usize, x: usize, at: u64) {
        let i = self.key_base(k) + 1 + x;
        let slot = &mut self.keys[i];
        if *slot == at {
            return;
        }
        *slot = at;
        if let Some(&rec) = self.key_audit.get(k) {
            if rec != u32::MAX {
                self.patches.push(AuditPatch {
                    record: rec,
                    replica: Some(x),
                    visible: at,
                });
            }
        }
    }

    // ----- requests -----

    /// A read of `key` by `client` from a stamp in region `r` at `t`.
    pub fn read(&self, r: usize, client: u32, key: u32, t: u64) -> ReadOutcome {
        let Some(x) = self.serving(r) else {
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
        if self.consistency == Consistency::Strong {
            // A replica out of the quorum set refuses the read; the SDK
            // retries it in the nearest one in the set (§5.6).
            let mut x = x;
            if !self.in_quorum(x, t) {
                let Some(y) = (0..self.nrep)
                    .filter(|&y| self.replica_up(y) && self.in_quorum(y, t))
                    .min_by_key(|&y| self.rtt(r, self.replicas[y]))
                else {
                    return ReadOutcome {
                        failed: true,
                        key,
                        ..Default::default()
                    };
                };
                latency += self.read_us + self.rtt(r, self.replicas[y]);
                x = y;
            }
            // Counted, not assumed: a replica in the set has every
            // acknowledged write, so this stays false (the tests check it).
            let stale = written && t < self.visible_at(key, x);
            return ReadOutcome {
                latency_us: latency,
                stale,
                ryw_violation: stale && writer == client as u64 && origin != x,
                key,
                replica: Some(x),
                ..Default::default()
            };
        }
        if !written {
            return ReadOutcome {
                latency_us: latency,
                key,
                replica: Some(x),
                ..Default::default()
            };
        }
        let visible = self.visible_at(key, x);
        let stale = t < visible;
        if stale && self.consistency == Consistency::Session && self.stamp_of(key) == Some(r) {
            // This stamp's SDK made the latest write: its session token
            // asks for it and the replica answers 404/1002. The SDK retries
            // here until the replica has it (as delivery stands now), or
            // after its budget reads where the write was made (§5.6).
            let until = (visible != HELD).then(|| visible - t);
            latency += match session_retries(until) {
                Some((n, waited)) => n * self.read_us + waited,
                None if self.replica_up(origin) => {
                    SESSION_RETRY_BUDGET_US + self.read_us + self.rtt(r, self.replicas[origin])
                }
                None => {
                    return ReadOutcome {
                        failed: true,
                        key,
                        ..Default::default()
                    }
                }
            };
            return ReadOutcome {
                latency_us: latency,
                session_wait: true,
                key,
                replica: Some(x),
                ..Default::default()
            };
        }
        let ryw_violation = stale && writer == client as u64 && origin != x;
        ReadOutcome {
            failed: false,
            latency_us: latency,
            stale,
            ryw_violation,
            session_wait: false,
            key,
            replica: Some(x),
        }
    }

    /// Bounded staleness: would a write at `origin` now leave an online
    /// replica further behind than the bound?
    fn over_bound(&self, origin: usize, t: u64) -> bool {
        (0..self.nrep).any(|x| {
            let link = &self.links[origin * self.nrep + x];
            x != origin
                && self.replica_up(x)
                && link.cut
                && link.oldest != HELD
                && (t - link.oldest > self.bound_us || link.count >= self.bound_versions)
        })
    }

    /// A write of `key` by `client` from a stamp in region `r` at `t`;
    /// `audit`: the audit record it will be (if audited). `rng` draws the
    /// replication delays.
    pub fn write(
        &mut self,
        r: usize,
        client: u32,
        key: u32,
        t: u64,
        audit: Option<u32>,
        rng: &mut SimRng,
    ) -> WriteOutcome {
        let fail = |f| WriteOutcome {
            failure: Some(f),
            ..Default::default()
        };
        let target = match self.mode {
            WriteMode::Single => match self.write_region {
                Some(w) => w,
                None => return fail(WriteFailure::NoWriteRegion),
            },
            WriteMode::Multi => match self.serving(r) {
                Some(x) => x,
                None => return fail(WriteFailure::NoReplica),
            },
        };
        let origin_region = self.replicas[target];
        let mut latency = self.write_us;
        if self.replica_of_region[r] != Some(target) {
            latency += self.rtt(r, origin_region);
        }
        let n = self.nrep;
        let k = key as usize;
        if self.consistency == Consistency::Strong {
            // Acknowledged once every region in the quorum set has it: ≈ 2 ×
            // RTT to the farthest of them (§5.2). Unreachable regions leave
            // the set while a global majority remains (dynamic quorum); they
            // get the write when their link works again.
            let out = (0..n).filter(|&x| x != target && self.link_cut(target, x)).count();
            if out > self.removable() {
                return fail(WriteFailure::StrongUnavailable);
            }
            let mut far = 0;
            let mut visible = [t; MAX_REPLICAS];
            for (x, v) in visible.iter_mut().enumerate().take(n) {
                if x == target {
                    continue;
                }
                if self.link_cut(target, x) {
                    *v = HELD;
                    let link = &mut self.links[target * n + x];
                    link.oldest = link.oldest.min(t);
                    link.count += 1;
                } else {
                    far = far.max(self.rtt(origin_region, self.replicas[x]));
                }
            }
            latency += 2 * far;
            self.commit(k, client, target, r, &visible, audit);
            if out > 0 {
                self.remember(target, t, &visible, false, audit);
            }
            return WriteOutcome {
                latency_us: latency,
                origin: target,
                visible,
                ..Default::default()
            };
        }
        if self.consistency == Consistency::BoundedStaleness && self.over_bound(target, t) {
            return fail(WriteFailure::Throttled);
        }
        let mut visible = [0u64; MAX_REPLICAS];
        let mut held_everywhere = n > 1;
        for (x, v) in visible.iter_mut().enumerate().take(n) {
            if x == target {
                *v = t;
                continue;
            }
            let link = &mut self.links[target * n + x];
            if link.cut {
                *v = HELD;
                link.oldest = link.oldest.min(t);
                link.count += 1;
            } else {
                let e: f64 = Exp1.sample(rng.inner());
                *v = t + self.rtt(origin_region, self.replicas[x]) / 2 + (e * self.commit_mean_us) as u64;
                held_everywhere = false;
            }
        }
        let (written, prev_origin, _) = self.header(key);
        let conflict =
            self.mode == WriteMode::Multi && written && prev_origin != target && t < self.visible_at(key, target);
        self.commit(k, client, target, r, &visible, audit);
        if n > 1 {
            self.remember(target, t, &visible, held_everywhere, audit);
        }
        WriteOutcome {
            latency_us: latency,
            conflict,
            origin: target,
            visible,
            ..Default::default()
        }
    }

    /// Keeps a write at `origin` until every working link has delivered it
    /// (and some replica has it); a run of writes made while every link is
    /// cut is one entry (unless audited).
    fn remember(
        &mut self,
        origin: usize,
        t: u64,
        visible: &[u64; MAX_REPLICAS],
        held_everywhere: bool,
        audit: Option<u32>,
    ) {
        let n = self.nrep;
        let list = &mut self.pending[origin];
        // Forget what has reached some replica and every working link.
        while let Some(p) = list.front() {
            let somewhere = (0..n).any(|y| y != origin && p.visible[y] <= t);
            let done = (0..n).all(|y| y == origin || p.visible[y] <= t || p.visible[y] == HELD);
            if somewhere && done {
                list.pop_front();
            } else {
                break;
            }
        }
        if held_everywhere && audit.is_none() {
            if let Some(back) = list.back_mut() {
                if back.count >= 1 && (0..n).all(|y| y == origin || back.visible[y] == HELD) {
                    back.count += 1;
                    back.last = t;
                    return;
                }
            }
        }
        list.push_back(Pending {
            t,
            last: t,
            count: 1,
            visible: *visible,
            audit: audit.unwrap_or(u32::MAX),
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn commit(
        &mut self,
        k: usize,
        client: u32,
        origin: usize,
        stamp: usize,
        visible: &[u64; MAX_REPLICAS],
        audit: Option<u32>,
    ) {
        let base = self.key_base(k);
        self.keys[base] = 1 | ((origin as u64) << 8) | ((stamp as u64 & 0xff) << 16) | ((client as u64) << 32);
        self.keys[base + 1..base + 1 + self.nrep].copy_from_slice(&visible[..self.nrep]);
        if let (Some(a), Some(slot)) = (audit, self.key_audit.get_mut(k)) {
            *slot = a;
        }
    }

    /// Where key `k`'s state starts in `keys`: its header, then one word per
    /// replica.
    #[inline]
    fn key_base(&self, k: usize) -> usize {
        k * (1 + self.nrep)
    }

    /// (written at all, origin replica, writer) of `key`'s latest write.
    #[inline]
    fn header(&self, key: u32) -> (bool, usize, u64) {
        let h = self.keys[self.key_base(key as usize)];
        (h & 1 == 1, ((h >> 8) & 0xff) as usize, h >> 32)
    }

    /// The region of the stamp whose SDK made `key`'s latest write (None
    /// when it was lost).
    #[inline]
    fn stamp_of(&self, key: u32) -> Option<usize> {
        let s = (self.keys[self.key_base(key as usize)] >> 16) & 0xff;
        (s != NO_STAMP).then_some(s as usize)
    }

    /// When replica `x` will have the latest write of `key` (µs; [`HELD`]
    /// while a cut link holds it back).
    #[inline]
    pub fn visible_at(&self, key: u32, x: usize) -> u64 {
        self.keys[self.key_base(key as usize) + 1 + x]
    }

    /// Replication lag of replica `x` at `now`: the age of the oldest write
    /// made elsewhere that it does not have yet (0 when it has everything).
    pub fn lag_of(&self, x: usize, now: u64) -> u64 {
        let mut oldest = now;
        for o in (0..self.nrep).filter(|&o| o != x) {
            let link = &self.links[o * self.nrep + x];
            if link.cut && link.oldest != HELD {
                oldest = oldest.min(link.oldest);
            }
            if let Some(p) = self.pending[o]
                .iter()
                .find(|p| p.visible[x] > now && p.visible[x] != HELD)
            {
                oldest = oldest.min(p.t);
            }
        }
        now - oldest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    /// A three-replica account (eastus2, centralus, westus2) with its RTTs.
    fn store(extra: &str) -> (DataStore, SimRng) {
        let text = format!(
            r#"
name = "d"
duration = "1h"
[routing]
kind = "direct"
region = "eastus2"
[[regions]]
name = "eastus2"
instances = {{ initial = 1 }}
service_time = {{ kind = "constant", value = "1ms" }}
[[regions]]
name = "centralus"
instances = {{ initial = 1 }}
service_time = {{ kind = "constant", value = "1ms" }}
[[regions]]
name = "westus2"
instances = {{ initial = 1 }}
service_time = {{ kind = "constant", value = "1ms" }}
[data]
replicas = ["eastus2", "centralus", "westus2"]
keys = 100
zipf_exponent = 0
failover_delay = "5m"
{extra}
[[populations]]
name = "p"
location = "new_york"
rate = {{ kind = "constant", rps = 1 }}
"#
        );
        let sc = Scenario::parse(&text).expect("valid");
        let rtt = vec![vec![0.0, 36.5, 60.0], vec![36.5, 0.0, 40.0], vec![60.0, 40.0, 0.0]];
        (
            DataStore::new(&sc, sc.data.as_ref().unwrap(), &rtt),
            SimRng::stream(1, "t"),
        )
    }

    const S: u64 = 1_000_000;

    #[test]
    fn the_sdk_session_retry_schedule() {
        // 5 ms, then ×5 up to 500 ms, for 5 s (the .NET SDK's defaults).
        assert_eq!(session_retries(Some(0)), Some((0, 0)));
        assert_eq!(session_retries(Some(1)), Some((1, 5_000)));
        assert_eq!(session_retries(Some(6_000)), Some((2, 30_000)));
        assert_eq!(session_retries(Some(200_000)), Some((4, 655_000)));
        // 5 + 25 + 125 + 9 × 500 = 4,655 ms is the last retry in budget.
        assert_eq!(session_retries(Some(4_655_000)), Some((12, 4_655_000)));
        assert_eq!(session_retries(Some(4_655_001)), None);
        assert_eq!(session_retries(None), None);
    }

    #[test]
    fn session_reads_wait_for_their_stamps_own_writes_only() {
        let (mut d, mut rng) = store("");
        // A centralus stamp writes (to the write region, eastus2) and reads
        // the key back at once from its own replica, which does not have it.
        let w = d.write(1, 5, 3, S, None, &mut rng);
        assert_eq!(w.failure, None);
        let until = w.visible[1] - S;
        assert!(until > 18_000, "RTT/2 + commit: {until}");
        let r = d.read(1, 5, 3, S);
        let (n, waited) = session_retries(Some(until)).expect("within the budget");
        assert_eq!((r.stale, r.ryw_violation, r.session_wait), (false, false, true));
        assert_eq!(r.latency_us, d.read_us * (1 + n) + waited);
        // The same client through the westus2 stamp: that SDK holds no token
        // for the write, so the read is stale, and a read-your-writes
        // violation, if westus2 does not have it yet.
        let r = d.read(2, 5, 3, S);
        assert_eq!(r.stale, S < w.visible[2]);
        assert_eq!(r.ryw_violation, r.stale);
        assert!(!r.session_wait);
        // Once delivered, nobody waits.
        let later = w.visible[1].max(w.visible[2]);
        let r = d.read(1, 5, 3, later);
        assert_eq!((r.stale, r.session_wait, r.latency_us), (false, false, d.read_us));
        // Cut off from the write region: the SDK gives up after 5 s and reads
        // in eastus2 (60 ms from westus2 here).
        d.partition(0, 2, true, 10 * S, &mut rng);
        let w = d.write(2, 6, 4, 11 * S, None, &mut rng);
        assert_eq!(w.visible[2], HELD);
        let r = d.read(2, 6, 4, 11 * S);
        assert!(r.session_wait && !r.stale);
        assert_eq!(r.latency_us, d.read_us + SESSION_RETRY_BUDGET_US + d.read_us + 60_000);
    }

    #[test]
    fn strong_dynamic_quorum_by_hand() {
        // §5.2: three regions, a majority of two: one may leave the set.
        let (mut d, mut rng) = store("consistency = \"strong\"");
        assert_eq!(d.removable(), 1);
        // All reachable: 2 × the farthest RTT (westus2, 60 ms) + 5 ms write.
        let w = d.write(0, 1, 7, S, None, &mut rng);
        assert_eq!((w.failure, w.latency_us), (None, d.write_us + 120_000));
        // westus2 cut off: out of the set, the farthest is centralus.
        d.partition(0, 2, true, 2 * S, &mut rng);
        let w = d.write(0, 1, 7, 3 * S, None, &mut rng);
        assert_eq!((w.failure, w.latency_us), (None, d.write_us + 73_000));
        assert_eq!(w.visible[2], HELD);
        // A read in westus2 is refused there and served by centralus (40 ms
        // away), never stale.
        let r = d.read(2, 9, 7, 4 * S);
        assert_eq!((r.replica, r.stale), (Some(1), false));
        assert_eq!(r.latency_us, 2 * d.read_us + 40_000);
        // centralus cut off too: no majority, writes refused.
        d.partition(0, 1, true, 5 * S, &mut rng);
        assert_eq!(
            d.write(0, 1, 8, 6 * S, None, &mut rng).failure,
            Some(WriteFailure::StrongUnavailable)
        );
        // Healed: westus2 takes reads again once its backlog has arrived.
        d.partition(0, 1, false, 7 * S, &mut rng);
        d.partition(0, 2, false, 8 * S, &mut rng);
        let caught = d.visible_at(7, 2);
        assert!(caught > 8 * S && caught != HELD);
        assert_eq!(d.read(2, 9, 7, caught - 1).replica, Some(1));
        assert_eq!(d.read(2, 9, 7, caught).replica, Some(2));
    }

    #[test]
    fn a_lost_write_region_fails_over_when_the_event_comes_unless_it_is_back() {
        let (mut d, mut rng) = store("");
        let (_, change) = d.region_outage(0, true, 10 * S, &mut rng);
        assert_eq!(d.write_region(), None);
        let WriteRegionChange::FailoverDue { gen, after_us } = change else {
            panic!("service-managed failover is due: {change:?}");
        };
        assert_eq!(after_us, 300 * S);
        // Back after 100 s, before the failover: it keeps the writes.
        d.region_outage(0, false, 110 * S, &mut rng);
        assert_eq!(d.write_region(), Some(0));
        d.failover(gen, 310 * S);
        assert_eq!(d.write_region(), Some(0), "a moot failover does nothing");
        assert_eq!(d.time_without_write_region(400 * S), 100 * S);
        // Down for good: the next replica up in priority order takes over.
        let (_, change) = d.region_outage(0, true, 500 * S, &mut rng);
        let WriteRegionChange::FailoverDue { gen, .. } = change else {
            panic!()
        };
        d.failover(gen, 800 * S);
        assert_eq!(d.write_region(), Some(1));
        assert_eq!(d.time_without_write_region(900 * S), 400 * S);
    }

    #[test]
    fn manual_failover_waits_for_the_old_write_region() {
        let (mut d, mut rng) = store("failover = \"manual\"");
        let (_, change) = d.region_outage(0, true, 10 * S, &mut rng);
        assert_eq!(change, WriteRegionChange::None);
        assert_eq!(
            d.write(1, 7, 3, 20 * S, None, &mut rng).failure,
            Some(WriteFailure::NoWriteRegion)
        );
        d.region_outage(0, false, 70 * S, &mut rng);
        assert_eq!(d.write_region(), Some(0));
    }

    #[test]
    fn bounded_staleness_throttles_from_the_lag_it_observes() {
        let (mut d, mut rng) =
            store("consistency = \"bounded_staleness\"\nstaleness = { versions = 100000, interval = \"30s\" }");
        // centralus is cut off from the write region at 100 s (still online).
        d.partition(0, 1, true, 100 * S, &mut rng);
        for s in [101, 120, 130] {
            assert_eq!(
                d.write(0, 1, 5, s * S, None, &mut rng).failure,
                None,
                "{s} s: lag under 30 s"
            );
        }
        assert_eq!(
            d.write(0, 1, 5, 132 * S, None, &mut rng).failure,
            Some(WriteFailure::Throttled),
            "31 s behind the oldest held-back write"
        );
        // When it heals, the backlog is delivered and writes flow again.
        d.partition(0, 1, false, 140 * S, &mut rng);
        assert!(d.visible_at(5, 1) > 140 * S && d.visible_at(5, 1) < 141 * S);
        assert_eq!(d.write(0, 1, 6, 142 * S, None, &mut rng).failure, None);
        // An offline replica is left out of the bound.
        d.region_outage(2, true, 200 * S, &mut rng);
        assert_eq!(d.write(0, 1, 7, 300 * S, None, &mut rng).failure, None);
    }

    #[test]
    fn writes_no_other_replica_has_are_lost_when_their_region_dies() {
        let (mut d, mut rng) = store("commit_mean = \"0\"");
        // Cut eastus2 off from both others; it keeps accepting writes.
        d.partition(0, 1, true, 10 * S, &mut rng);
        d.partition(0, 2, true, 10 * S, &mut rng);
        for i in 0..5 {
            d.write(0, 1, i, (20 + i as u64) * S, None, &mut rng);
        }
        let (loss, _) = d.region_outage(0, true, 60 * S, &mut rng);
        assert_eq!(loss.writes, 5);
        assert_eq!((loss.oldest_age_us, loss.newest_age_us), (40 * S, 36 * S));
        // Their keys revert to what the survivors hold: not stale anywhere.
        let r = d.read(1, 9, 0, 61 * S);
        assert!(!r.stale && r.replica == Some(1));
    }

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
