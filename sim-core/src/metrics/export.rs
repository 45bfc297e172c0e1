//! Exports of a [`Report`]: the time series as CSV (one row per bucket and
//! entity) and a readable text summary for terminals.

use super::csvout::CsvOut;
use super::report::*;
use crate::format;
use std::fmt::Write as _;

/// The series CSV's columns.
const CSV_HEADER: &str = "time_s,kind,name,offered,succeeded,failed_timeout,failed_connect,failed_server_error,failed_shed,failed_gateway,failed_circuit_open,tries,p50_ms,p95_ms,p99_ms,arrivals,probes,served,errors,instances_serving,instances_provisioning,utilisation,offered_load,queue_len,healthy_view,status,reads,stale_reads,writes,write_failures,replication_lag_ms,capacity_failures";
const CSV_COLUMNS: usize = 32;

fn opt(v: Option<f32>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_default()
}

fn secs(v: Option<f64>) -> String {
    format::or_none(v.map(format::seconds))
}

fn ms(v: Option<f64>) -> String {
    format::or_none(v.map(format::millis))
}

fn pct(v: Option<f64>) -> String {
    format::or_none(v.map(format::availability))
}

impl Report {
    /// The time series as CSV: a header, then one row per bucket and
    /// population (`kind = population`) and per bucket and region
    /// (`kind = region`); columns that do not apply are empty.
    pub fn to_csv(&self) -> String {
        let s = &self.series;
        let mut out = CsvOut::new();
        out.row(CSV_HEADER.split(','));
        let n = |v: u32| v.to_string();
        let any = |v: Option<String>| v.unwrap_or_default();
        for (b, t) in s.time_s.iter().enumerate() {
            let t = t.to_string();
            for p in &s.populations {
                let f = p.failed[b];
                let mut row = vec![
                    t.clone(),
                    "population".into(),
                    p.name.clone(),
                    n(p.offered[b]),
                    n(p.succeeded[b]),
                ];
                row.extend(f.iter().map(|&x| n(x)));
                row.extend([n(p.tries[b]), opt(p.p50_ms[b]), opt(p.p95_ms[b]), opt(p.p99_ms[b])]);
                row.resize(CSV_COLUMNS, String::new());
                out.row(&row);
            }
            for r in &s.regions {
                let status = match r.status[b] {
                    RegionStatus::Ok => "ok",
                    RegionStatus::Degraded => "degraded",
                    RegionStatus::Unreachable => "unreachable",
                    RegionStatus::Down => "down",
                };
                let mut row = vec![t.clone(), "region".into(), r.name.clone()];
                row.resize(15, String::new());
                row.extend([
                    n(r.arrivals[b]),
                    n(r.probes[b]),
                    n(r.served[b]),
                    n(r.errors[b]),
                    r.instances_serving[b].to_string(),
                    r.instances_provisioning[b].to_string(),
                    format!("{:.4}", r.utilisation[b]),
                    any(r.offered_load.get(b).copied().flatten().map(|v| format!("{v:.4}"))),
                    n(r.queue_len[b]),
                    format!("{:.3}", r.healthy_view[b]),
                    status.to_string(),
                    any(r.reads.get(b).map(|v| v.to_string())),
                    any(r.stale_reads.get(b).map(|v| v.to_string())),
                    any(r.writes.get(b).map(|v| v.to_string())),
                    any(r.write_failures.get(b).map(|v| v.to_string())),
                    any(r
                        .replication_lag_ms
                        .get(b)
                        .copied()
                        .flatten()
                        .map(|v| format!("{v:.1}"))),
                    any(r.capacity_failures.get(b).map(|v| v.to_string())),
                ]);
                out.row(&row);
            }
        }
        out.finish()
    }

    /// A readable summary for a terminal.
    pub fn summary_text(&self) -> String {
        let s = &self.summary;
        let c = &s.counts;
        let mut o = String::new();
        let _ = writeln!(
            o,
            "scenario {}  (routing {}, seed {}, {:.0} min, bucket {} s)",
            self.scenario,
            self.routing,
            self.seed,
            self.duration_s / 60.0,
            self.bucket_s
        );
        if !self.router.settings.is_empty() {
            let list: Vec<String> = self
                .router
                .settings
                .iter()
                .map(|x| {
                    format!(
                        "{} {} ({})",
                        x.name.trim_start_matches("routing."),
                        x.value,
                        x.basis.name()
                    )
                })
                .collect();
            let tier = match &self.router.tier {
                Some(t) => format!(" (Front Door {t})"),
                None => String::new(),
            };
            let _ = writeln!(o, "router{tier}: {}", list.join(", "));
        }
        let _ = writeln!(
            o,
            "requests {}  succeeded {}  failed {}  unfinished {}  tries {}  probes {}",
            c.offered, c.succeeded, c.failed, c.unfinished, c.tries, c.probes
        );
        let _ = writeln!(
            o,
            "availability {}  (SLO {:.3} %)  error budget burned {:.2} min of {:.1} min per 30 days",
            pct(Some(s.availability)),
            s.slo * 100.0,
            s.error_budget_minutes_burned,
            s.error_budget_minutes_per_30d
        );
        let _ = writeln!(
            o,
            "latency p50 {} ms  p95 {} ms  p99 {} ms",
            ms(s.latency.p50_ms),
            ms(s.latency.p95_ms),
            ms(s.latency.p99_ms)
        );
        if c.failed > 0 {
            let causes: Vec<String> = FailCause::ALL
                .iter()
                .filter(|k| c.failed_by_cause[k.index()] > 0)
                .map(|k| format!("{} {}", k.name(), c.failed_by_cause[k.index()]))
                .collect();
            let _ = writeln!(o, "failures by cause: {}", causes.join(", "));
        }
        let _ = writeln!(o, "\npopulation            requests   availability    p50 ms   p99 ms");
        for p in &s.populations {
            let _ = writeln!(
                o,
                "{:<20} {:>10}   {:>12}   {:>7}  {:>7}",
                p.name,
                p.counts.offered,
                pct(Some(p.availability)),
                ms(p.latency.p50_ms),
                ms(p.latency.p99_ms)
            );
        }
        let _ = writeln!(
            o,
            "\nregion            arrivals   probes  peak util  mean util  peak inst  inst-hours"
        );
        for r in &s.regions {
            let _ = writeln!(
                o,
                "{:<16} {:>9} {:>8}  {:>8.0} %  {:>8.0} %  {:>9}  {:>10.1}",
                r.name,
                r.arrivals,
                r.probes,
                r.peak_utilisation * 100.0,
                r.mean_utilisation * 100.0,
                r.peak_instances,
                r.instance_hours
            );
        }
        if let Some(d) = &s.data {
            let _ = writeln!(o, "\ndata tier ({})", d.configuration);
            let _ = writeln!(
                o,
                "  reads {}  stale {} ({:.4} %)  read-your-writes violations {}{}",
                d.reads,
                d.stale_reads,
                d.stale_read_rate * 100.0,
                d.read_your_writes_violations,
                if d.session_waits > 0 {
                    format!(
                        "  session waits {} (the SDK retried for its own write)",
                        d.session_waits
                    )
                } else {
                    String::new()
                }
            );
            let _ = writeln!(
                o,
                "  writes {}  refused {} (write availability {})  conflicts {}  lost writes (RPO) {}{}",
                d.writes,
                d.write_failures,
                pct(Some(d.write_availability)),
                d.conflicts,
                d.lost_writes,
                d.max_lost_write_age_s
                    .map(|a| format!(", oldest {:.0} ms", a * 1e3))
                    .unwrap_or_default()
            );
            let _ = writeln!(
                o,
                "  time without a write region {:.0} s  requests failed on a singleton {}  request units {:.0}",
                d.seconds_without_write_region, d.singleton_failures, d.request_units
            );
            if d.lost_writes > 0 {
                let _ = writeln!(o, "  RPO assumes {}", d.rpo_basis);
            }
        }
        if let Some(c) = &s.cost {
            let _ = writeln!(
                o,
                "\nmonthly cost (example prices): {:.0} {}  = compute {:.0} + router {:.0} + database {:.0} + egress {:.0}",
                c.total, c.currency, c.compute, c.gateway, c.database, c.egress
            );
        }
        if let Some(a) = &s.attacks {
            let _ = writeln!(
                o,
                "\nattack requests: {} — {} blocked at the edge by WAF managed rules, {} reached a stamp, {} found none up",
                a.requests, a.blocked_at_edge, a.reached_origin, a.unanswered
            );
        }
        if let Some(b) = &s.bypass {
            let _ = writeln!(
                o,
                "\naround the router: {} requests to {}'s own hostname — {} refused by the origin lock, {} served, {} failed ({} while {} was down)",
                b.requests, b.region, b.blocked, b.served, b.failed, b.failed_region_down, b.region
            );
        }
        for f in &s.faults {
            let _ = writeln!(
                o,
                "\nfault {} on {} from {:.0} s to {:.0} s (carried {:.0} % of tries before)",
                f.kind,
                f.target,
                f.start_s,
                f.end_s,
                f.pre_fault_share * 100.0
            );
            let degraded = match f.time_to_degraded_s {
                Some(t) => format!("; Traffic Manager Degraded {}", secs(Some(t))),
                None => String::new(),
            };
            let _ = writeln!(
                o,
                "  detect: first router {}, majority {}, all {}{degraded}",
                secs(f.time_to_detect_first_s),
                secs(f.time_to_detect_majority_s),
                secs(f.time_to_detect_all_s)
            );
            let _ = writeln!(
                o,
                "  mitigate (<1 % of tries still there): {}   region back (all routers): {}   fail back (90 % of share): {}",
                secs(f.time_to_mitigate_s),
                secs(f.time_to_recover_s),
                secs(f.time_to_fail_back_s)
            );
            if f.lost_writes > 0 || f.write_failures > 0 {
                let _ = writeln!(
                    o,
                    "  data: {} writes lost with the region (RPO), {} writes refused during the fault",
                    f.lost_writes, f.write_failures
                );
            }
            if let Some(u) = f.survivor_peak_utilisation {
                let load = f.survivor_peak_offered_load.map_or(String::new(), |l| {
                    format!(
                        "; peak offered load {:.0} %, {:.1} min above 100 %",
                        l * 100.0,
                        f.survivor_minutes_overloaded
                    )
                });
                let _ = writeln!(
                    o,
                    "  survivors: peak utilisation {:.0} %, {:.1} min at ≥95 %{load}",
                    u * 100.0,
                    f.survivor_minutes_saturated
                );
            }
            let names = ["before", "during", "after"];
            for (i, ph) in f.overall.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "  {:<7} availability {:>10}  p50 {:>5} ms  p95 {:>5} ms  p99 {:>6} ms",
                    names[i],
                    pct(ph.availability),
                    ms(ph.latency.p50_ms),
                    ms(ph.latency.p95_ms),
                    ms(ph.latency.p99_ms)
                );
            }
            for p in &f.populations {
                let _ = writeln!(
                    o,
                    "  {:<18} share there {:>4.0} %  during: availability {:>10}, p99 {:>6} ms, disrupted {:>5.0} s, outage window {}",
                    p.name,
                    p.pre_fault_share * 100.0,
                    pct(p.phases[1].availability),
                    ms(p.phases[1].latency.p99_ms),
                    p.disrupted_s,
                    secs(p.outage_window_s)
                );
            }
            if let Some([before, during]) = f.healthy_region_clients.as_ref().map(|h| [h[0].clone(), h[1].clone()]) {
                let _ = writeln!(
                    o,
                    "  clients already in healthy regions: availability {} → {}, p99 {} → {} ms",
                    pct(before.availability),
                    pct(during.availability),
                    ms(before.latency.p99_ms),
                    ms(during.latency.p99_ms)
                );
            }
        }
        o
    }
}
