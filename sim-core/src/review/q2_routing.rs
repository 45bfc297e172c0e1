//! Question 2: the routing rules — method, weights, priorities — and what they did in the run.

use super::*;

pub(super) const Q2: &str =
    "The routing rules in place and why (priorities, weights, latency sensitivity), and what they did in the runs.";

pub(super) fn q2_routing(sc: &Scenario, report: &Report) -> Answer {
    let mut details = Vec::new();
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    let mut verdict = Verdict::Ok;
    match &sc.routing {
        Routing::Direct(r) => {
            return answer(
                2,
                "Routing rules",
                Q2,
                Verdict::Missing,
                format!("No routing rules: every request goes to {}.", r.region),
                vec![],
                vec![],
                vec!["Add a global router with two or more origins (see question 1).".into()],
            )
        }
        Routing::AnycastL7(f) => {
            for o in &f.origins {
                details.push(format!(
                    "origin {}: priority {}, weight {}{}",
                    o.region,
                    o.priority,
                    o.weight,
                    if o.enabled { "" } else { ", disabled" }
                ));
            }
            let prios: std::collections::BTreeSet<u32> = f.origins.iter().map(|o| o.priority).collect();
            details.push(format!(
                "{}; latency sensitivity {} — origins within that much of the fastest share traffic by weight (AZURE_FACTS §1.2).",
                if prios.len() == 1 {
                    "one priority: active-active".to_string()
                } else {
                    "several priorities: lower-priority origins are standby".to_string()
                },
                f.latency_sensitivity
            ));
        }
        Routing::Dns(t) => {
            details.push(format!("{:?} routing, TTL {} (§2).", t.method, t.ttl));
            for e in &t.endpoints {
                details.push(format!(
                    "endpoint {}: priority {}, weight {}",
                    e.region,
                    e.priority.map_or("auto".into(), |p| p.to_string()),
                    e.weight
                ));
            }
        }
        Routing::AnycastL4(l) => {
            details.push(format!(
                "clients go to the nearest healthy regional frontend among {} (§3).",
                l.backends.join(", ")
            ));
        }
    }
    // Where each population's tries went before the first fault.
    let s = &report.series;
    let nb = s.time_s.len();
    let first_fault = report
        .summary
        .faults
        .iter()
        .map(|f| f.start_s)
        .fold(f64::INFINITY, f64::min);
    let until = s.time_s.iter().position(|&t| t >= first_fault).unwrap_or(nb);
    let places: Vec<Option<&geo::Place>> = sc.regions.iter().map(|r| geo::region_place(&r.name)).collect();
    for (pi, ps) in s.populations.iter().enumerate() {
        let tot: u64 = ps.tries[..until].iter().map(|&x| x as u64).sum();
        if tot == 0 {
            continue;
        }
        let shares: Vec<f64> = ps
            .tries_by_region
            .iter()
            .map(|v| v[..until].iter().map(|&x| x as u64).sum::<u64>() as f64 / tot as f64)
            .collect();
        let text: Vec<String> = shares
            .iter()
            .enumerate()
            .filter(|(_, &x)| x >= 0.005)
            .map(|(r, &x)| format!("{} {}", s.regions[r].name, pct(x)))
            .collect();
        evidence.push(ev(&format!("{} tries (before faults)", ps.name), text.join(", ")));
        // Far routing: a quarter of the tries to a region ≥ 20 ms farther than the nearest.
        let loc = sc.populations.get(pi).and_then(|p| geo::place(&p.location));
        if let Some(loc) = loc {
            let rtts: Vec<f64> = places
                .iter()
                .map(|p| p.map_or(f64::INFINITY, |p| crate::model::geo::rtt_between(&sc.rtt, loc, p)))
                .collect();
            let best = rtts.iter().copied().fold(f64::INFINITY, f64::min);
            let far: f64 = shares
                .iter()
                .zip(&rtts)
                .filter(|(_, &r)| r - best >= 20.0)
                .map(|(x, _)| x)
                .sum();
            if far >= 0.25 {
                verdict = worst(&[verdict, Verdict::Risk]);
                reasons.push(format!("{} of {}'s tries go to a farther region", pct(far), ps.name));
                evidence.push(ev(
                    &format!("{} sent far", ps.name),
                    format!("{} of tries to a region ≥ 20 ms farther than its nearest", pct(far)),
                ));
                fixes.push(format!(
                    "{}: send clients to their nearest region (performance routing, or a latency sensitivity below the RTT gap).",
                    ps.name
                ));
            }
        }
    }
    let mut faults_seen = false;
    for f in report
        .summary
        .faults
        .iter()
        .filter(|f| should_detect(&f.kind) && f.pre_fault_share > 0.01)
    {
        faults_seen = true;
        evidence.push(ev(
            &format!("{} {} at {:.0} s: traffic moved off", f.kind, f.target, f.start_s),
            f.time_to_mitigate_s
                .map_or("never (≥ 1 % still reached it until it recovered)".into(), |m| {
                    format!("after {m:.0} s (< 1 % of tries still reaching it)")
                }),
        ));
        if f.time_to_mitigate_s.is_none() {
            verdict = worst(&[verdict, Verdict::Risk]);
            reasons.push(format!(
                "traffic kept reaching the failed {} until it recovered",
                f.target
            ));
            fixes.push(format!(
                "Traffic kept reaching the failed {} for the whole fault: {}.",
                f.target,
                match sc.routing {
                    Routing::Dns(_) => "DNS routing cannot move clients that cache answers or keep connections (AZURE_FACTS §7); Front Door moves them inside its POPs",
                    _ => "make the health check see this failure (question 3)",
                }
            ));
        }
    }
    if !faults_seen {
        details.push("No region failure in the runs: they show normal routing only.".into());
    }
    let summary = match verdict {
        Verdict::Ok => {
            "The rules send each population where intended, and traffic left the failed region in the runs.".into()
        }
        _ => sentence(&reasons),
    };
    answer(2, "Routing rules", Q2, verdict, summary, details, evidence, fixes)
}
