//! Question 9: the survivor when the busiest region fails — utilisation, minutes saturated, failures during the autoscale lag, and the headroom that keeps the SLO.

use super::*;

pub(super) const Q9: &str = "When the region carrying most of the traffic fails: the survivor's utilisation over time, minutes above 100 %, requests failed during the autoscale lag, and the headroom (instances) that keeps availability above the SLO — found by searching over runs.";

/// The first whole-region loss of a region that carried traffic.
pub(super) fn region_loss(report: &Report) -> Option<(usize, &FaultSummary)> {
    report
        .summary
        .faults
        .iter()
        .enumerate()
        .filter(|(_, f)| is_region_loss(&f.kind) && f.pre_fault_share > 0.01)
        .max_by(|a, b| a.1.pre_fault_share.total_cmp(&b.1.pre_fault_share))
}

/// Buckets of the fault.
pub(super) fn fault_buckets(report: &Report, f: &FaultSummary) -> std::ops::Range<usize> {
    let bs = report.bucket_s.max(1e-9);
    let nb = report.series.time_s.len();
    let a = ((f.start_s / bs) as usize).min(nb);
    let b = ((f.end_s / bs).ceil() as usize).clamp(a, nb);
    a..b
}

/// Share of the tries sent to the `survivors` over `range` that did not fail
/// for lack of capacity (shed, or given up on while waiting). Errors capacity
/// cannot prevent — writes refused while the database has no write region, a
/// failed singleton, injected error rates — do not count against it.
pub(super) fn survivor_availability(
    report: &Report,
    survivors: &[usize],
    range: std::ops::Range<usize>,
) -> Option<f64> {
    let s = &report.series;
    let (mut tries, mut bad) = (0u64, 0u64);
    for &r in survivors {
        for b in range.clone() {
            tries += s
                .populations
                .iter()
                .map(|p| p.tries_by_region[r][b] as u64)
                .sum::<u64>();
            bad += s.regions[r].capacity_failures.get(b).copied().unwrap_or(0) as u64;
        }
    }
    (tries > 0).then(|| 1.0 - (bad.min(tries) as f64 / tries as f64))
}

pub(super) fn survivors_of(sc: &Scenario, report: &Report, failed: &str) -> Vec<usize> {
    (0..sc.regions.len())
        .filter(|&r| sc.regions[r].name != failed && report.series.regions[r].arrivals.iter().any(|&a| a > 0))
        .collect()
}

pub(super) fn q9_survivor(sc: &Scenario, report: &Report, headroom: Option<&Headroom>) -> Answer {
    let Some((_, f)) = region_loss(report) else {
        return answer(
            9,
            "Losing the busiest region",
            Q9,
            Verdict::Missing,
            "No region that carries traffic fails in the runs.".into(),
            vec![],
            vec![],
            vec!["Add a region_outage of the region carrying the most traffic, long enough for autoscale to act (30 min).".into()],
        );
    };
    let s = &report.series;
    let bs = report.bucket_s;
    let survivors = survivors_of(sc, report, &f.target);
    if survivors.is_empty() {
        return answer(
            9,
            "Losing the busiest region",
            Q9,
            Verdict::Missing,
            format!("When {} fails, no other region takes its traffic.", f.target),
            vec![],
            vec![ev(
                "availability during the fault",
                f.overall[1].availability.map_or("–".into(), pct),
            )],
            vec!["Add a second region sized to carry everything (question 8), behind a router that fails over (question 1).".into()],
        );
    }
    let mut details = Vec::new();
    let mut evidence = vec![ev(
        &format!("{} carried before the fault", f.target),
        format!(
            "{} of tries; down {:.0}–{:.0} s",
            pct(f.pre_fault_share),
            f.start_s,
            f.end_s
        ),
    )];
    let b0 = ((f.start_s / bs) as usize).min(s.time_s.len());
    let b1 = ((f.end_s / bs).ceil() as usize).min(s.time_s.len());
    for &r in &survivors {
        let rs = &s.regions[r];
        // Utilisation by minute of the fault (peak of each minute).
        let per_min = ((60.0 / bs).round() as usize).max(1);
        let mut by_minute = Vec::new();
        let mut b = b0;
        while b < b1 {
            let e = (b + per_min).min(b1);
            let m = rs.utilisation[b..e].iter().copied().fold(0.0f32, f32::max);
            by_minute.push(format!("{:.0}", m * 100.0));
            b = e;
        }
        evidence.push(ev(
            &format!("{} utilisation by minute of the fault, %", rs.name),
            by_minute.join(" "),
        ));
        // Offered load: demand against serving capacity (can exceed 100 %).
        let loads: Vec<f64> = rs.offered_load[b0..b1].iter().flatten().map(|&x| x as f64).collect();
        let over = loads.iter().filter(|&&l| l > 1.0).count();
        evidence.push(ev(
            &format!("{} offered load above 100 % of serving capacity", rs.name),
            match loads.iter().copied().reduce(f64::max) {
                Some(peak) => format!("{:.1} min (peak {})", over as f64 * bs / 60.0, pct(peak)),
                None => "no instance serving".into(),
            },
        ));
        // Autoscale lag: from the fault until the survivor's instance count peaks.
        let peak_inst = rs.instances_serving[b0..b1].iter().copied().max().unwrap_or(0);
        let at_start = rs.instances_serving.get(b0).copied().unwrap_or(0);
        let reached = (b0..b1).find(|&b| rs.instances_serving[b] == peak_inst).unwrap_or(b0);
        let lag_s = (reached - b0) as f64 * bs;
        let failed_in_lag: u64 = rs
            .capacity_failures
            .get(b0..=reached)
            .map_or(0, |v| v.iter().map(|&x| x as u64).sum());
        evidence.push(ev(
            &format!("{} instances", rs.name),
            format!("{at_start} at the fault → {peak_inst} after {lag_s:.0} s"),
        ));
        evidence.push(ev(
            &format!("tries {} failed during the autoscale lag", rs.name),
            format!("{failed_in_lag} shed or timed out waiting, from the fault until its last instance arrived"),
        ));
    }
    let base_avail = survivor_availability(report, &survivors, fault_buckets(report, f));
    evidence.push(ev(
        "tries the survivors answered without a capacity failure, during the fault",
        format!("{} (SLO {})", base_avail.map_or("–".into(), pct), pct(sc.slo)),
    ));
    if let Some(h) = &f.healthy_region_clients {
        evidence.push(ev(
            "clients already in the survivor, during the fault",
            h[1].availability.map_or("–".into(), pct),
        ));
    }
    details.push("Judged on the survivors alone: the share of tries sent to them during the fault that were not shed or given up on while waiting, against the SLO. Detection time and a database failover are not capacity's to fix (questions 3 and 6).".into());
    let mut fixes = Vec::new();
    let verdict = match headroom {
        Some(h) => {
            let names = &h.survivors;
            // By floor, smallest first (the search tries them in another order).
            let mut by_floor: Vec<&HeadroomRun> = h.runs.iter().collect();
            by_floor.sort_by_key(|r| r.extra);
            for r in by_floor {
                evidence.push(ev(
                    &format!(
                        "run with floor {}{}",
                        floors(names, &r.min_instances),
                        if h.seeds > 1 {
                            format!(" (worst of {} seeds)", h.seeds)
                        } else {
                            String::new()
                        }
                    ),
                    format!(
                        "{}{}",
                        r.availability.map_or("–".into(), pct),
                        r.monthly_cost.map_or(String::new(), |c| format!(", {c:.0} a month"))
                    ),
                ));
            }
            match h.needed_extra {
                Some(0) => Verdict::Ok,
                Some(e) => {
                    let run = h.runs.iter().find(|r| r.extra == e);
                    let base_cost = h.runs.first().and_then(|r| r.monthly_cost);
                    fixes.push(format!(
                        "Pre-provision {} (min instances) — the smallest floor that kept {} in the search ({}){}.",
                        run.map_or(format!("+{e} instances"), |r| floors(names, &r.min_instances)),
                        pct(h.slo),
                        if h.seeds > 1 {
                            format!("{} rounds × {} seeds, on every seed", h.runs.len(), h.seeds)
                        } else {
                            format!("{} runs", h.runs.len())
                        },
                        match (run.and_then(|r| r.monthly_cost), base_cost) {
                            // A floor can cost less than the run it replaces: the
                            // instances autoscale added then stayed until scale-in.
                            (Some(c), Some(b)) if c >= b => format!("; it costs {:.0} more a month", c - b),
                            (Some(c), Some(b)) => format!(
                                "; it costs {:.0} less a month than the run as written (whose autoscale overshot)",
                                b - c
                            ),
                            _ => String::new(),
                        }
                    ));
                    Verdict::Risk
                }
                None => {
                    fixes.push(format!(
                        "No floor up to the SKU cap (+{} instances) kept {}: move to a larger SKU or instance size, or add a third region.",
                        h.max_extra,
                        pct(h.slo)
                    ));
                    Verdict::Risk
                }
            }
        }
        None => match base_avail {
            Some(a) if a >= sc.slo => Verdict::Ok,
            _ => {
                fixes.push("Run the full review (it searches over runs for the headroom that keeps the SLO).".into());
                Verdict::Risk
            }
        },
    };
    let summary = match verdict {
        Verdict::Ok => format!(
            "When {} fails, the survivors keep the SLO once they carry everything.",
            f.target
        ),
        _ => format!(
            "When {} fails, the survivors fall below the SLO ({}) while autoscale catches up.",
            f.target,
            pct(sc.slo)
        ),
    };
    answer(
        9,
        "Losing the busiest region",
        Q9,
        verdict,
        summary,
        details,
        evidence,
        fixes,
    )
}

pub(super) fn floors(names: &[String], mins: &[u32]) -> String {
    names
        .iter()
        .zip(mins)
        .map(|(n, m)| format!("{n} {m}"))
        .collect::<Vec<_>>()
        .join(", ")
}
