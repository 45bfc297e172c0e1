//! The recorder: turns simulation outcomes into bucketed time series.
//!
//! Some outcomes are certain before they happen (a client that will time out
//! before its request can be answered, an answer already on its way back), so
//! they are recorded into a ring of future buckets. A bucket is final once
//! simulated time passes its end, because nothing is ever recorded in the
//! past. Work at the stamps (busy and held worker-time, serving capacity,
//! offered demand) is integrated by the simulation as it happens and handed
//! over when a bucket closes. Memory is the ring
//! plus the finished series, whose length is capped by `max_points`: it does
//! not grow with the simulated duration.

use super::histogram::LatencyHistogram;
use super::report::*;

#[derive(Clone, Default)]
struct PopCell {
    offered: u32,
    succeeded: u32,
    failed: [u32; FAIL_CAUSES],
    tries: u32,
}

#[derive(Clone, Copy, Default)]
struct RegionCell {
    arrivals: u32,
    probes: u32,
    served: u32,
    errors: u32,
    busy_us: u64,
    reads: u32,
    stale_reads: u32,
    writes: u32,
    write_failures: u32,
    capacity_failures: u32,
}

/// Values sampled at the end of a bucket, and the bucket's work integrals.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RegionGauges {
    pub serving: u16,
    pub provisioning: u16,
    pub queue_len: u32,
    pub healthy_view: f32,
    pub status: RegionStatus,
    /// Serving capacity × time, µs.
    pub slots_us: u64,
    /// Server time brought by the requests that reached the stamp, µs.
    pub demand_us: u64,
    /// The region's replica's replication lag at the bucket's end, ms (None
    /// without a replica there).
    pub replication_lag_ms: Option<f32>,
}

/// A fault's time span, for splitting latency into before/during/after.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    pub start_us: u64,
    pub end_us: u64,
}
#[derive(Clone)]
pub(crate) struct Recorder {
    pub bucket_us: u64,
    pub nbuckets: usize,
    pub end_us: u64,
    npop: usize,
    nreg: usize,
    ring_len: usize,
    hist_ring_len: usize,
    pop_ring: Vec<PopCell>,
    reg_ring: Vec<RegionCell>,
    matrix_ring: Vec<u32>,
    hist_ring: Vec<LatencyHistogram>,
    /// Next bucket to finalise.
    pub finalized: usize,
    pub series: Series,
    /// Whole-run latency per population, then all together.
    pub run_hist: Vec<LatencyHistogram>,
    /// Per fault, per phase (before/during/after), per population then all.
    pub phase_hist: Vec<[Vec<LatencyHistogram>; 3]>,
    spans: Vec<Span>,
    pub counts: Vec<Counts>,
    /// Exact sum of successful latencies per population, µs.
    pub latency_sum_us: Vec<u128>,
    /// End of the open bucket (`finalized`), µs, and its ring slots.
    open_end: u64,
    open_slot: usize,
    next_slot: usize,
    open_hist_slot: usize,
}

impl Recorder {
    /// `lookahead_us` bounds how far in the future anything is recorded;
    /// `hist_lookahead_us` how far a request's end is.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pop_names: Vec<String>,
        region_names: Vec<String>,
        bucket_us: u64,
        end_us: u64,
        lookahead_us: u64,
        hist_lookahead_us: u64,
        spans: Vec<Span>,
    ) -> Self {
        let npop = pop_names.len();
        let nreg = region_names.len();
        let nbuckets = end_us.div_ceil(bucket_us) as usize;
        let ring_len = (lookahead_us / bucket_us) as usize + 3;
        let hist_ring_len = ((hist_lookahead_us / bucket_us) as usize + 3).min(ring_len);
        let series = Series {
            time_s: Vec::with_capacity(nbuckets),
            populations: pop_names
                .into_iter()
                .map(|name| PopulationSeries {
                    name,
                    tries_by_region: vec![Vec::with_capacity(nbuckets); nreg],
                    ..Default::default()
                })
                .collect(),
            regions: region_names
                .into_iter()
                .map(|name| RegionSeries {
                    name,
                    ..Default::default()
                })
                .collect(),
        };
        let nf = spans.len();
        let mut rec = Recorder {
            bucket_us,
            nbuckets,
            end_us,
            npop,
            nreg,
            ring_len,
            hist_ring_len,
            pop_ring: vec![PopCell::default(); ring_len * npop],
            reg_ring: vec![RegionCell::default(); ring_len * nreg],
            matrix_ring: vec![0; ring_len * npop * nreg],
            hist_ring: vec![LatencyHistogram::new(); hist_ring_len * npop],
            finalized: 0,
            series,
            run_hist: vec![LatencyHistogram::new(); npop + 1],
            phase_hist: (0..nf)
                .map(|_| std::array::from_fn(|_| vec![LatencyHistogram::new(); npop + 1]))
                .collect(),
            spans,
            counts: vec![Counts::default(); npop],
            latency_sum_us: vec![0; npop],
            open_end: 0,
            open_slot: 0,
            next_slot: 0,
            open_hist_slot: 0,
        };
        rec.open();
        rec
    }

    /// A fault added while the run goes (`Sim::inject`): its phases
    /// (before, during, after) are tracked from now on, and every bucket
    /// closed so far lies before it. Beyond the tracked number, ignored.
    pub fn add_span(&mut self, span: Span) {
        if self.spans.len() >= crate::metrics::summary::PHASED_FAULTS {
            return;
        }
        let npop = self.npop;
        let mut phases: [Vec<LatencyHistogram>; 3] = std::array::from_fn(|_| vec![LatencyHistogram::new(); npop + 1]);
        phases[0] = self.run_hist.clone();
        self.phase_hist.push(phases);
        self.spans.push(span);
    }

    /// The ring slot of time `t_us`. Nearly everything lands in the open
    /// bucket or the next: those two are answered without a division.
    #[inline(always)]
    fn slot(&self, t_us: u64) -> usize {
        debug_assert!(
            t_us / self.bucket_us >= self.finalized as u64,
            "recorded into a finalised bucket"
        );
        if t_us < self.open_end {
            return self.open_slot;
        }
        if t_us < self.open_end + self.bucket_us {
            return self.next_slot;
        }
        let b = (t_us / self.bucket_us) as usize;
        let max_b = self.finalized + self.ring_len - 1;
        b.clamp(self.finalized, max_b) % self.ring_len
    }

    #[inline(always)]
    fn hist_slot(&self, t_us: u64) -> usize {
        if t_us < self.open_end {
            return self.open_hist_slot;
        }
        let b = (t_us / self.bucket_us) as usize;
        let max_b = self.finalized + self.hist_ring_len - 1;
        b.clamp(self.finalized, max_b) % self.hist_ring_len
    }

    /// Caches the open bucket's end and ring slots.
    fn open(&mut self) {
        let b = self.finalized;
        self.open_end = (b as u64 + 1) * self.bucket_us;
        self.open_slot = b % self.ring_len;
        self.next_slot = (b + 1) % self.ring_len;
        self.open_hist_slot = b % self.hist_ring_len;
    }

    #[inline(always)]
    pub fn offered(&mut self, p: usize, t_us: u64) {
        let s = self.slot(t_us);
        self.pop_ring[s * self.npop + p].offered += 1;
    }

    #[inline(always)]
    pub fn try_sent(&mut self, p: usize, region: usize, t_us: u64) {
        let s = self.slot(t_us);
        self.pop_ring[s * self.npop + p].tries += 1;
        self.matrix_ring[(s * self.npop + p) * self.nreg + region] += 1;
    }

    /// A try that never reached any region (no POP up).
    #[inline(always)]
    pub fn try_sent_nowhere(&mut self, p: usize, t_us: u64) {
        let s = self.slot(t_us);
        self.pop_ring[s * self.npop + p].tries += 1;
    }

    /// A request ended successfully at `t_us` after `latency_us`.
    #[inline(always)]
    pub fn succeeded(&mut self, p: usize, t_us: u64, latency_us: u64) {
        if t_us >= self.end_us {
            self.counts[p].unfinished += 1;
            return;
        }
        let s = self.slot(t_us);
        self.pop_ring[s * self.npop + p].succeeded += 1;
        let h = self.hist_slot(t_us);
        self.hist_ring[h * self.npop + p].record(latency_us);
        self.latency_sum_us[p] += latency_us as u128;
    }

    /// A request ended failed at `t_us`.
    #[inline(always)]
    pub fn failed(&mut self, p: usize, t_us: u64, cause: FailCause) {
        if t_us >= self.end_us {
            self.counts[p].unfinished += 1;
            return;
        }
        let s = self.slot(t_us);
        self.pop_ring[s * self.npop + p].failed[cause.index()] += 1;
    }

    /// A request whose retry falls after the end of the run.
    pub fn unfinished(&mut self, p: usize) {
        self.counts[p].unfinished += 1;
    }

    #[inline(always)]
    pub fn region_arrival(&mut self, r: usize, t_us: u64) {
        let s = self.slot(t_us);
        self.reg_ring[s * self.nreg + r].arrivals += 1;
    }

    #[inline(always)]
    pub fn region_probe(&mut self, r: usize, t_us: u64) {
        let s = self.slot(t_us);
        self.reg_ring[s * self.nreg + r].probes += 1;
    }

    #[inline(always)]
    pub fn region_served(&mut self, r: usize, t_us: u64, error: bool) {
        let s = self.slot(t_us);
        let c = &mut self.reg_ring[s * self.nreg + r];
        if error {
            c.errors += 1;
        } else {
            c.served += 1;
        }
    }

    /// A try that reached live region `r` failed for lack of capacity at `t_us`.
    #[inline(always)]
    pub fn capacity_failure(&mut self, r: usize, t_us: u64) {
        if t_us >= self.end_us {
            return;
        }
        let s = self.slot(t_us);
        self.reg_ring[s * self.nreg + r].capacity_failures += 1;
    }

    /// A read served by a stamp in region `r` (counted where the request was).
    #[inline(always)]
    pub fn data_read(&mut self, r: usize, t_us: u64, stale: bool) {
        let s = self.slot(t_us);
        let c = &mut self.reg_ring[s * self.nreg + r];
        c.reads += 1;
        c.stale_reads += stale as u32;
    }

    /// A write attempted by a stamp in region `r`.
    #[inline(always)]
    pub fn data_write(&mut self, r: usize, t_us: u64, failed: bool) {
        let s = self.slot(t_us);
        let c = &mut self.reg_ring[s * self.nreg + r];
        c.writes += 1;
        c.write_failures += failed as u32;
    }

    /// A worker of region `r` busy over [start, end), split across the buckets
    /// it spans (recorded when the job starts; a region that dies takes back
    /// the rest with [`Recorder::unbusy`]).
    #[inline(always)]
    pub fn busy(&mut self, r: usize, start: u64, end: u64) {
        if end <= self.open_end && start >= self.open_end - self.bucket_us {
            self.reg_ring[self.open_slot * self.nreg + r].busy_us += end - start;
        } else {
            self.add_busy(r, start, end, true);
        }
    }

    /// Takes back busy time over [from, end) (the region died).
    pub fn unbusy(&mut self, r: usize, from: u64, end: u64) {
        self.add_busy(r, from, end, false);
    }

    fn add_busy(&mut self, r: usize, start: u64, end: u64, add: bool) {
        let mut t = start;
        while t < end {
            let b_end = if t < self.open_end {
                self.open_end
            } else {
                (t / self.bucket_us + 1) * self.bucket_us
            };
            let e = end.min(b_end);
            let s = self.slot(t);
            let c = &mut self.reg_ring[s * self.nreg + r].busy_us;
            if add {
                *c += e - t;
            } else {
                *c = c.saturating_sub(e - t);
            }
            if (t / self.bucket_us) as usize >= self.finalized + self.ring_len - 1 {
                break; // beyond the ring: at most a request timeout away, dropped
            }
            t = e;
        }
    }

    /// Takes back a success recorded for population `p` at `t_us` (the
    /// answer never got out).
    pub fn unsucceed(&mut self, p: usize, t_us: u64, latency_us: u64) {
        if t_us >= self.end_us {
            self.counts[p].unfinished -= 1;
            return;
        }
        let s = self.slot(t_us);
        self.pop_ring[s * self.npop + p].succeeded -= 1;
        let h = self.hist_slot(t_us);
        self.hist_ring[h * self.npop + p].unrecord(latency_us);
        self.latency_sum_us[p] -= latency_us as u128;
    }

    /// Takes back an answer recorded for region `r` at `t_us`.
    pub fn unserve(&mut self, r: usize, t_us: u64, error: bool) {
        let s = self.slot(t_us);
        let c = &mut self.reg_ring[s * self.nreg + r];
        if error {
            c.errors -= 1;
        } else {
            c.served -= 1;
        }
    }

    /// Closes bucket `self.finalized` with the gauges sampled at its end.
    pub fn finalize(&mut self, gauges: &[RegionGauges]) {
        let b = self.finalized;
        if b >= self.nbuckets {
            return;
        }
        let s = b % self.ring_len;
        let hs = b % self.hist_ring_len;
        let t0 = b as u64 * self.bucket_us;
        self.series.time_s.push(t0 as f64 / 1e6);
        for p in 0..self.npop {
            let cell = std::mem::take(&mut self.pop_ring[s * self.npop + p]);
            // The run's totals are the sums of its final buckets (what ends
            // after the run is counted unfinished as it is recorded).
            let c = &mut self.counts[p];
            c.offered += cell.offered as u64;
            c.tries += cell.tries as u64;
            c.succeeded += cell.succeeded as u64;
            for (k, n) in cell.failed.iter().enumerate() {
                c.failed += *n as u64;
                c.failed_by_cause[k] += *n as u64;
            }
            let ps = &mut self.series.populations[p];
            ps.offered.push(cell.offered);
            ps.succeeded.push(cell.succeeded);
            ps.failed.push(cell.failed);
            ps.tries.push(cell.tries);
            for r in 0..self.nreg {
                let m = &mut self.matrix_ring[(s * self.npop + p) * self.nreg + r];
                ps.tries_by_region[r].push(*m);
                *m = 0;
            }
            let h = &self.hist_ring[hs * self.npop + p];
            ps.p50_ms.push(h.quantile_ms(0.50).map(|v| v as f32));
            ps.p95_ms.push(h.quantile_ms(0.95).map(|v| v as f32));
            ps.p99_ms.push(h.quantile_ms(0.99).map(|v| v as f32));
            if h.count() > 0 {
                self.run_hist[p].merge(h);
                self.run_hist[self.npop].merge(h);
                for (f, span) in self.spans.iter().enumerate() {
                    let phase = if t0 < span.start_us {
                        0
                    } else if t0 < span.end_us {
                        1
                    } else {
                        2
                    };
                    self.phase_hist[f][phase][p].merge(h);
                    self.phase_hist[f][phase][self.npop].merge(h);
                }
            }
            self.hist_ring[hs * self.npop + p].clear();
        }
        for (r, g) in gauges.iter().enumerate().take(self.nreg) {
            let cell = std::mem::take(&mut self.reg_ring[s * self.nreg + r]);
            let rs = &mut self.series.regions[r];
            rs.arrivals.push(cell.arrivals);
            rs.probes.push(cell.probes);
            rs.served.push(cell.served);
            rs.errors.push(cell.errors);
            rs.instances_serving.push(g.serving);
            rs.instances_provisioning.push(g.provisioning);
            // Busy workers above a lowered limit (a draining instance, a
            // capacity loss) can exceed the capacity for a moment: capped.
            let util = if g.slots_us > 0 {
                (cell.busy_us as f64 / g.slots_us as f64).min(1.0)
            } else if cell.busy_us > 0 {
                1.0
            } else {
                0.0
            };
            rs.utilisation.push(util as f32);
            rs.offered_load
                .push((g.slots_us > 0).then(|| (g.demand_us as f64 / g.slots_us as f64) as f32));
            rs.queue_len.push(g.queue_len);
            rs.healthy_view.push(g.healthy_view);
            rs.status.push(g.status);
            rs.reads.push(cell.reads);
            rs.stale_reads.push(cell.stale_reads);
            rs.writes.push(cell.writes);
            rs.write_failures.push(cell.write_failures);
            rs.capacity_failures.push(cell.capacity_failures);
            rs.replication_lag_ms.push(g.replication_lag_ms);
        }
        self.finalized += 1;
        self.open();
    }
}
