//! The summary: availability, error budget, latency by phase, and per fault
//! the times to detect, mitigate, recover and fail back, computed from the
//! finished series and the routers' view changes.

use super::histogram::LatencyHistogram;
use super::recorder::Recorder;
use super::report::*;
use crate::scenario::{Fault, Scenario};
use crate::time::SimTime;

/// Faults (in file order, then drawn ones) whose latency is split into
/// before / during / after; later faults report availability only.
pub(crate) const PHASED_FAULTS: usize = 32;

/// What the lost-write (RPO) figures assume, stated in every report.
pub const RPO_BASIS: &str = "a clean cut: a region's replica stops at the instant its fault starts; \
the writes it acknowledged that no other replica had by then are lost (none in flight completes)";

/// Data-tier totals counted by the simulation.
#[derive(Clone, Debug, Default)]
pub(crate) struct DataTotals {
    pub configuration: String,
    pub reads: u64,
    pub stale_reads: u64,
    pub ryw_violations: u64,
    pub session_waits: u64,
    pub writes: u64,
    pub write_failures: u64,
    pub conflicts: u64,
    pub lost_writes: u64,
    pub max_lost_age_us: Option<u64>,
    pub max_lost_span_us: Option<u64>,
    pub seconds_without_write_region: f64,
    pub singleton_failures: u64,
    /// RU per read (2 under strong and bounded staleness, §5.4).
    pub read_ru: f64,
    /// Lost writes per fault (the fault whose start killed the region).
    pub lost_by_fault: Vec<u64>,
}

/// What the routers did about one fault, observed as it ran.
#[derive(Clone, Debug, Default)]
pub(crate) struct FaultTrack {
    region: Option<String>,
    /// A singleton outage hits every stamp: any region's view counts.
    all_regions: bool,
    start: Option<SimTime>,
    end: Option<SimTime>,
    first_down: Option<SimTime>,
    majority_down: Option<SimTime>,
    all_down: Option<SimTime>,
    all_up: Option<SimTime>,
    /// Traffic Manager: the endpoint's combined status became Degraded.
    degraded: Option<SimTime>,
}

impl FaultTrack {
    pub fn new(f: &Fault) -> Self {
        FaultTrack {
            region: f.region().map(str::to_string),
            all_regions: matches!(f, Fault::SingletonOutage { .. }),
            ..Default::default()
        }
    }
    /// Whether router views of `region` tell about this fault.
    pub fn watches(&self, sc: &Scenario, region: usize) -> bool {
        self.all_regions || self.region_index(sc) == Some(region)
    }
    pub fn region_index(&self, sc: &Scenario) -> Option<usize> {
        let r = self.region.as_deref()?;
        sc.regions.iter().position(|x| x.name == r)
    }
    pub fn started(&mut self, t: SimTime) {
        self.start = Some(t);
    }
    pub fn ended(&mut self, t: SimTime) {
        self.end = Some(t);
    }
    /// Traffic Manager's combined status of the region became Degraded.
    pub fn router_degraded(&mut self, t: SimTime, active: bool) {
        if active {
            self.degraded.get_or_insert(t);
        }
    }
    /// A router changed its view of the region; `share` is the share of
    /// routers that now see it healthy.
    pub fn observe(&mut self, t: SimTime, healthy: bool, share: f64, active: bool) {
        if active && !healthy {
            self.first_down.get_or_insert(t);
            if share < 0.5 {
                self.majority_down.get_or_insert(t);
            }
            if share <= 0.0 {
                self.all_down.get_or_insert(t);
            }
        }
        if !active && self.end.is_some() && self.first_down.is_some() && healthy && share >= 1.0 {
            self.all_up.get_or_insert(t);
        }
    }
}

fn latency(h: &LatencyHistogram) -> Latency {
    Latency {
        p50_ms: h.quantile_ms(0.5),
        p95_ms: h.quantile_ms(0.95),
        p99_ms: h.quantile_ms(0.99),
    }
}

fn secs_since(t: Option<SimTime>, from: f64) -> Option<f64> {
    t.map(|t| (t.as_secs_f64() - from).max(0.0))
}

pub(crate) fn build(
    sc: &Scenario,
    rec: Recorder,
    tracks: &[FaultTrack],
    instance_hours: &[f64],
    probes: u64,
    data: Option<DataTotals>,
) -> Report {
    let s = &rec.series;
    let nb = s.time_s.len();
    let bucket_s = rec.bucket_us as f64 / 1e6;
    let npop = s.populations.len();
    let nreg = s.regions.len();

    // Per-bucket totals.
    let ended_pop = |p: usize, b: usize| -> (u64, u64) {
        let ps = &s.populations[p];
        let f: u32 = ps.failed[b].iter().sum();
        (ps.succeeded[b] as u64, f as u64)
    };
    let tries_to = |r: usize, b: usize| -> u64 { s.populations.iter().map(|ps| ps.tries_by_region[r][b] as u64).sum() };
    let tries_all = |b: usize| -> u64 { s.populations.iter().map(|ps| ps.tries[b] as u64).sum() };

    let mut counts = Counts {
        probes,
        ..Default::default()
    };
    for c in &rec.counts {
        counts.offered += c.offered;
        counts.succeeded += c.succeeded;
        counts.failed += c.failed;
        counts.unfinished += c.unfinished;
        counts.tries += c.tries;
        for k in 0..FAIL_CAUSES {
            counts.failed_by_cause[k] += c.failed_by_cause[k];
        }
    }
    let avail = |ok: u64, bad: u64| {
        if ok + bad == 0 {
            1.0
        } else {
            ok as f64 / (ok + bad) as f64
        }
    };
    let mut burned = 0.0;
    for b in 0..nb {
        let (mut ok, mut bad) = (0, 0);
        for p in 0..npop {
            let (o, f) = ended_pop(p, b);
            ok += o;
            bad += f;
        }
        if ok + bad > 0 {
            burned += bad as f64 / (ok + bad) as f64 * bucket_s / 60.0;
        }
    }

    let c_ok = |p: usize| rec.counts[p].succeeded;
    let populations = (0..npop)
        .map(|p| {
            let c = rec.counts[p].clone();
            PopulationSummary {
                name: s.populations[p].name.clone(),
                availability: avail(c.succeeded, c.failed),
                counts: c,
                latency: latency(&rec.run_hist[p]),
                mean_latency_ms: (c_ok(p) > 0).then(|| rec.latency_sum_us[p] as f64 / c_ok(p) as f64 / 1e3),
            }
        })
        .collect();

    let regions = (0..nreg)
        .map(|r| {
            let rs = &s.regions[r];
            let n = rs.utilisation.len().max(1) as f64;
            RegionSummary {
                name: rs.name.clone(),
                arrivals: rs.arrivals.iter().map(|&x| x as u64).sum(),
                probes: rs.probes.iter().map(|&x| x as u64).sum(),
                peak_utilisation: rs.utilisation.iter().fold(0.0f32, |a, &b| a.max(b)) as f64,
                mean_utilisation: rs.utilisation.iter().map(|&u| u as f64).sum::<f64>() / n,
                peak_offered_load: rs.offered_load.iter().flatten().map(|&x| x as f64).reduce(f64::max),
                peak_instances: rs.instances_serving.iter().copied().max().unwrap_or(0) as u32,
                instance_hours: instance_hours.get(r).copied().unwrap_or(0.0),
            }
        })
        .collect();

    let bucket_of = |t_s: f64| -> usize { ((t_s / bucket_s) as usize).min(nb) };
    let mut faults = Vec::new();
    for (fi, f) in sc.faults.iter().enumerate() {
        let start_s = f.start().as_secs_f64();
        let end_s = (f.start() + f.duration()).as_secs_f64().min(sc.duration.as_secs_f64());
        let (b_start, b_end) = (bucket_of(start_s), bucket_of(end_s));
        let tr = &tracks[fi];
        let r = tr.region_index(sc);
        let phase_range = [0..b_start, b_start..b_end, b_end..nb];
        let pre_from = bucket_of((start_s - 300.0).max(0.0));
        let share_in = |r: usize, range: std::ops::Range<usize>, pop: Option<usize>| -> f64 {
            let (mut to, mut all) = (0u64, 0u64);
            for b in range {
                match pop {
                    Some(p) => {
                        to += s.populations[p].tries_by_region[r][b] as u64;
                        all += s.populations[p].tries[b] as u64;
                    }
                    None => {
                        to += tries_to(r, b);
                        all += tries_all(b);
                    }
                }
            }
            if all == 0 {
                0.0
            } else {
                to as f64 / all as f64
            }
        };
        let pre_fault_share = r.map(|r| share_in(r, pre_from..b_start, None)).unwrap_or(0.0);

        // Mitigation: from some bucket on, under 1 % of tries reach the region
        // until the fault ends.
        let mut time_to_mitigate_s = None;
        let mut time_to_fail_back_s = None;
        if let Some(r) = r {
            if pre_fault_share > 0.01 {
                let mut b0 = None;
                for b in (b_start..b_end).rev() {
                    let all = tries_all(b);
                    if all > 0 && tries_to(r, b) as f64 / all as f64 >= 0.01 {
                        break;
                    }
                    b0 = Some(b);
                }
                time_to_mitigate_s = b0.map(|b| (b as f64 * bucket_s - start_s).max(0.0));
                for b in b_end..nb {
                    let all = tries_all(b);
                    if all > 0 && tries_to(r, b) as f64 / all as f64 >= 0.9 * pre_fault_share {
                        time_to_fail_back_s = Some((b as f64 * bucket_s - end_s).max(0.0));
                        break;
                    }
                }
            }
        }
        let mut survivor_peak: Option<f64> = None;
        let mut survivor_peak_load: Option<f64> = None;
        let (mut saturated_buckets, mut overloaded_buckets) = (0usize, 0usize);
        for (o, rs) in s.regions.iter().enumerate() {
            if Some(o) == r || rs.arrivals.iter().all(|&a| a == 0) {
                continue;
            }
            let (mut n, mut m) = (0, 0);
            for b in b_start..b_end {
                let u = rs.utilisation[b] as f64;
                survivor_peak = Some(survivor_peak.map_or(u, |x: f64| x.max(u)));
                if u >= 0.95 {
                    n += 1;
                }
                if let Some(l) = rs.offered_load[b].map(|l| l as f64) {
                    survivor_peak_load = Some(survivor_peak_load.map_or(l, |x: f64| x.max(l)));
                    if l > 1.0 {
                        m += 1;
                    }
                }
            }
            saturated_buckets = saturated_buckets.max(n);
            overloaded_buckets = overloaded_buckets.max(m);
        }

        let phase_stats = |hist: &LatencyHistogram, pops: &[usize], range: std::ops::Range<usize>| -> PhaseStats {
            let (mut ok, mut bad) = (0u64, 0u64);
            for b in range {
                for &p in pops {
                    let (o, f) = ended_pop(p, b);
                    ok += o;
                    bad += f;
                }
            }
            PhaseStats {
                ended: ok + bad,
                availability: (ok + bad > 0).then(|| avail(ok, bad)),
                latency: latency(hist),
            }
        };
        let all_pops: Vec<usize> = (0..npop).collect();
        let empty = [
            vec![LatencyHistogram::new(); npop + 1],
            vec![LatencyHistogram::new(); npop + 1],
            vec![LatencyHistogram::new(); npop + 1],
        ];
        let hists = rec.phase_hist.get(fi).unwrap_or(&empty);
        let overall: [PhaseStats; 3] =
            std::array::from_fn(|ph| phase_stats(&hists[ph][npop], &all_pops, phase_range[ph].clone()));
        let mut impacts = Vec::new();
        let mut healthy_pops = Vec::new();
        // `p` indexes the series, the histograms and the counts alike.
        #[allow(clippy::needless_range_loop)]
        for p in 0..npop {
            let share = r.map(|r| share_in(r, pre_from..b_start, Some(p))).unwrap_or(0.0);
            let phases: [PhaseStats; 3] =
                std::array::from_fn(|ph| phase_stats(&hists[ph][p], &[p], phase_range[ph].clone()));
            let mut disrupted = 0.0;
            let mut last_bad = None;
            for b in b_start..b_end {
                let (o, f) = ended_pop(p, b);
                if o + f > 0 && avail(o, f) < 0.99 {
                    disrupted += bucket_s;
                    last_bad = Some(b);
                }
            }
            if share < 0.1 {
                healthy_pops.push(p);
            }
            impacts.push(PopulationImpact {
                name: s.populations[p].name.clone(),
                pre_fault_share: share,
                phases,
                disrupted_s: disrupted,
                outage_window_s: last_bad.map(|b| ((b + 1) as f64 * bucket_s).min(end_s) - start_s),
            });
        }
        let healthy_region_clients = (r.is_some() && !healthy_pops.is_empty()).then(|| {
            std::array::from_fn(|ph| {
                let mut h = LatencyHistogram::new();
                for &p in &healthy_pops {
                    h.merge(&hists[ph][p]);
                }
                phase_stats(&h, &healthy_pops, phase_range[ph].clone())
            })
        });
        faults.push(FaultSummary {
            kind: f.kind_name().to_string(),
            target: f.target().to_string(),
            start_s,
            end_s,
            time_to_detect_first_s: secs_since(tr.first_down, start_s),
            time_to_detect_majority_s: secs_since(tr.majority_down, start_s),
            time_to_detect_all_s: secs_since(tr.all_down, start_s),
            time_to_degraded_s: secs_since(tr.degraded, start_s),
            time_to_mitigate_s,
            time_to_recover_s: secs_since(tr.all_up, end_s),
            time_to_fail_back_s,
            pre_fault_share,
            survivor_peak_utilisation: survivor_peak,
            survivor_minutes_saturated: saturated_buckets as f64 * bucket_s / 60.0,
            survivor_peak_offered_load: survivor_peak_load,
            survivor_minutes_overloaded: overloaded_buckets as f64 * bucket_s / 60.0,
            overall,
            populations: impacts,
            healthy_region_clients,
            lost_writes: data
                .as_ref()
                .and_then(|d| d.lost_by_fault.get(fi).copied())
                .unwrap_or(0),
            write_failures: s
                .regions
                .iter()
                .map(|r| {
                    r.write_failures
                        .get(b_start..b_end)
                        .map(|w| w.iter().map(|&x| x as u64).sum::<u64>())
                        .unwrap_or(0)
                })
                .sum(),
        });
    }

    let cost = sc.cost.as_ref().map(|p| {
        const MONTH_H: f64 = 730.0;
        let run_h = (sc.duration.as_secs_f64() / 3600.0).max(1e-9);
        let scale = MONTH_H / run_h;
        let compute: f64 = sc
            .regions
            .iter()
            .zip(instance_hours)
            .map(|(r, h)| h * scale * p.instance_hour.of(r.sku))
            .sum();
        let requests_month = counts.tries as f64 * scale;
        let gateway = match sc.routing {
            crate::scenario::Routing::Direct(_) => 0.0,
            _ => p.gateway_base_month + requests_month / 1e6 * p.gateway_per_million_requests,
        };
        let database = sc.data.as_ref().map_or(0.0, |d| {
            let rate = if d.write_mode == crate::scenario::WriteMode::Multi {
                p.per_100_ru_hour_multi_write
            } else {
                p.per_100_ru_hour
            };
            p.provisioned_ru_per_second / 100.0 * d.replicas.len() as f64 * MONTH_H * rate
        });
        let egress = counts.succeeded as f64 * scale * p.response_kb / 1e6 * p.egress_per_gb;
        CostSummary {
            currency: p.currency.clone(),
            compute,
            gateway,
            database,
            egress,
            total: compute + gateway + database + egress,
        }
    });
    let mean_latency_ms =
        (counts.succeeded > 0).then(|| rec.latency_sum_us.iter().sum::<u128>() as f64 / counts.succeeded as f64 / 1e3);
    let summary = Summary {
        availability: avail(counts.succeeded, counts.failed),
        counts,
        slo: sc.slo,
        error_budget_minutes_burned: burned,
        error_budget_minutes_per_30d: (1.0 - sc.slo) * 43_200.0,
        latency: latency(&rec.run_hist[npop]),
        mean_latency_ms,
        populations,
        regions,
        faults,
        cost,
        bypass: None,
        attacks: None,
        data: data.map(|d| DataSummary {
            configuration: d.configuration,
            reads: d.reads,
            stale_reads: d.stale_reads,
            stale_read_rate: if d.reads > 0 {
                d.stale_reads as f64 / d.reads as f64
            } else {
                0.0
            },
            read_your_writes_violations: d.ryw_violations,
            session_waits: d.session_waits,
            writes: d.writes,
            write_failures: d.write_failures,
            write_availability: if d.writes > 0 {
                1.0 - d.write_failures as f64 / d.writes as f64
            } else {
                1.0
            },
            conflicts: d.conflicts,
            lost_writes: d.lost_writes,
            max_lost_write_age_s: d.max_lost_age_us.map(|u| u as f64 / 1e6),
            lost_write_span_s: d.max_lost_span_us.map(|u| u as f64 / 1e6),
            seconds_without_write_region: d.seconds_without_write_region,
            singleton_failures: d.singleton_failures,
            request_units: d.reads as f64 * d.read_ru + (d.writes - d.write_failures) as f64 * 5.0,
            rpo_basis: RPO_BASIS.to_string(),
        }),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        scenario: sc.name.clone(),
        seed: sc.seed,
        routing: sc.routing.kind_name().to_string(),
        router: crate::scenario::provenance::router_settings(sc),
        duration_s: sc.duration.as_secs_f64(),
        bucket_s,
        series: rec.series,
        summary,
    }
}
