//! Question 3: health checks — path, depth, what the probes saw, detection and recovery times, flapping.

use super::*;

pub(super) const Q3: &str = "The health check's role: path, shallow or deep, what the probes saw; whether \"region is down\" and \"region is back\" are automated; how long each took in the runs; what prevents flapping.";

pub(super) fn q3_health(sc: &Scenario, report: &Report) -> Answer {
    let h = &sc.health;
    let mut details = vec![format!(
        "Path {}, {} check ({}).",
        h.path,
        match h.depth {
            HealthDepth::Deep => "deep",
            HealthDepth::Shallow => "shallow",
        },
        match h.depth {
            HealthDepth::Deep => "the stamp and its dependencies: data replica, singletons (AZURE_FACTS §8)",
            HealthDepth::Shallow => "the process only: dependency failures stay invisible",
        }
    )];
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    let expected_max: f64;
    let (rule, anti_flap) = match &sc.routing {
        Routing::Direct(_) => {
            return answer(
                3,
                "Health checks",
                Q3,
                Verdict::Missing,
                "No router probes the stamp: \"region is down\" and \"region is back\" are a person changing DNS."
                    .into(),
                details,
                vec![],
                vec!["Add a global router that probes a stamp-level health endpoint (§8).".into()],
            )
        }
        Routing::AnycastL7(f) => {
            let b = crate::model::probes::front_door_detection(
                f.probe_interval,
                f.sample_size,
                f.successful_samples,
                f.probe_timeout,
            );
            evidence.push(ev(
                "expected detection per POP (§9)",
                format!("{:.0}–{:.0} s", b.min.as_secs_f64(), b.max.as_secs_f64()),
            ));
            expected_max = b.max.as_secs_f64();
            (
                format!(
                    "every POP probes every {}, an origin is down when fewer than {} of the last {} probes succeed (§1.3)",
                    f.probe_interval, f.successful_samples, f.sample_size
                ),
                format!(
                    "the sliding window: one lost probe does not take an origin out, and it returns only after {} good samples",
                    f.successful_samples
                ),
            )
        }
        Routing::Dns(t) => {
            let b = crate::model::probes::traffic_manager_detection(
                t.probe_interval,
                t.tolerated_failures,
                t.probe_timeout,
            );
            expected_max = b.max.as_secs_f64();
            evidence.push(ev(
                "expected detection (§2)",
                format!(
                    "{:.0}–{:.0} s, plus TTL {} and stale resolvers",
                    b.min.as_secs_f64(),
                    b.max.as_secs_f64(),
                    t.ttl
                ),
            ));
            (
                format!(
                    "{} monitoring locations probe every {}; a location sees the endpoint failed after {} consecutive failures (§2), and it is {} (assumed: §2 does not say how locations combine)",
                    t.monitoring_locations.len(),
                    t.probe_interval,
                    t.tolerated_failures + 1,
                    t.degraded_when.describe(t.monitoring_locations.len())
                ),
                format!("{} tolerated failures before Degraded", t.tolerated_failures),
            )
        }
        Routing::AnycastL4(l) => {
            expected_max = l.regional_probe_interval.as_secs_f64() * (l.probe_threshold as f64 + 1.0)
                + l.global_probe_interval.as_secs_f64();
            (
            format!(
                "regional probes every {}, {} consecutive failures take a region out; the global balancer polls every {} (§3)",
                l.regional_probe_interval, l.probe_threshold, l.global_probe_interval
            ),
            format!("{} consecutive failures needed", l.probe_threshold),
        )
        }
    };
    details.push(format!("Rule: {rule}."));
    details.push("\"Region is down\" and \"region is back\" are both automated: probing continues during the outage and the region returns when its probes pass.".into());
    details.push(format!("Flapping is held off by {anti_flap}."));
    let mut reasons: Vec<String> = Vec::new();
    let mut relevant = 0;
    for f in &report.summary.faults {
        if should_detect(&f.kind) && f.pre_fault_share > 0.01 {
            relevant += 1;
            evidence.push(ev(
                &format!("{} {}: marked down (first / majority / all)", f.kind, f.target),
                format!(
                    "{} / {} / {}",
                    secs(f.time_to_detect_first_s),
                    secs(f.time_to_detect_majority_s),
                    secs(f.time_to_detect_all_s)
                ),
            ));
            evidence.push(ev(
                &format!("{} {}: back after recovery / traffic back", f.kind, f.target),
                format!("{} / {}", secs(f.time_to_recover_s), secs(f.time_to_fail_back_s)),
            ));
            // Never, or so late (over twice the rule's worst case) that the
            // probes saw the overload the failure caused, not the failure.
            let late = f.time_to_detect_majority_s.is_none_or(|d| d > 2.0 * expected_max);
            if late {
                verdict = worst(&[verdict, Verdict::Risk]);
                reasons.push(format!(
                    "the probes were late to see the {} in {}",
                    f.kind.replace('_', " "),
                    f.target
                ));
                fixes.push(format!(
                    "The probes {} the {} in {}: {}",
                    match f.time_to_detect_majority_s {
                        None => "never saw".to_string(),
                        Some(d) => format!("took {d:.0} s (over twice the {expected_max:.0} s the rule needs) to see"),
                    },
                    f.kind.replace('_', " "),
                    f.target,
                    if h.depth == HealthDepth::Shallow {
                        "make the health endpoint deep (check the dependencies the requests need, §4.4, §8)."
                    } else {
                        "make the endpoint exercise what user requests exercise, or alert on the user error rate."
                    }
                ));
            }
        }
    }
    // A survivor marked down by some routers while it carried everything:
    // its probes waited behind user requests, and a router that sees every
    // origin down fails open (Front Door, §1.3) — back to the dead region.
    if let Some((_, f)) = region_loss(report) {
        let range = fault_buckets(report, f);
        for r in survivors_of(sc, report, &f.target) {
            let hv = &report.series.regions[r].healthy_view[range.clone()];
            let low = hv.iter().copied().fold(1.0f32, f32::min);
            if low < 1.0 {
                let n = hv.iter().filter(|&&x| x < 1.0).count();
                verdict = worst(&[verdict, Verdict::Risk]);
                reasons.push(format!(
                    "routers marked the surviving {} down while it ran hot",
                    report.series.regions[r].name
                ));
                evidence.push(ev(
                    &format!(
                        "{} marked down while it carried everything",
                        report.series.regions[r].name
                    ),
                    format!(
                        "by up to {} of routers, for {:.0} s of the fault",
                        pct(1.0 - low as f64),
                        n as f64 * report.bucket_s
                    ),
                ));
                fixes.push(format!(
                    "{}'s probes queued behind user requests while it ran hot (timed out, or refused by full queues), so routers that saw every origin down sent traffic anywhere, including the dead {}: give it headroom (question 9) or answer the health endpoint ahead of the request queue.",
                    report.series.regions[r].name, f.target
                ));
            }
        }
    }
    // Every region marked down at once: the deep check's common-cause trap.
    let s = &report.series;
    if s.regions.len() > 1 {
        let all_down = (0..s.time_s.len())
            .filter(|&b| s.regions.iter().all(|r| r.healthy_view[b] < 0.5))
            .count();
        if all_down > 0 {
            verdict = worst(&[verdict, Verdict::Risk]);
            reasons.push("the deep check marked every region down at once".into());
            evidence.push(ev(
                "every region marked down at once",
                format!("{:.0} s", all_down as f64 * report.bucket_s),
            ));
            fixes.push("A shared dependency in the deep check marked every stamp down at once: leave singletons with a replica out of the deep check, or degrade instead of failing the probe (§8).".into());
        }
    }
    for (r, rs) in s.regions.iter().enumerate() {
        let n = view_changes(report, r);
        let faults_here = report
            .summary
            .faults
            .iter()
            .filter(|f| f.target == rs.name || f.kind == "singleton_outage")
            .count();
        if n > 0 {
            evidence.push(ev(&format!("{} health view changes", rs.name), n.to_string()));
        }
        if n > 2 * faults_here + 2 {
            verdict = worst(&[verdict, Verdict::Risk]);
            reasons.push(format!("{} flapped", rs.name));
            fixes.push(format!(
                "{} flapped ({n} view changes for {faults_here} faults): require more successful samples or tolerate more failures.",
                rs.name
            ));
        }
    }
    if relevant == 0 && verdict == Verdict::Ok {
        verdict = Verdict::Missing;
        fixes.push(
            "No fault in the runs: add a region_outage (or a gray_failure) to measure detection and recovery.".into(),
        );
    }
    let summary = match verdict {
        Verdict::Ok => "Probes took the failed region out and brought it back automatically, without flapping.".into(),
        Verdict::Risk => sentence(&reasons),
        Verdict::Missing => "The rules are set, but no fault in the runs shows them working.".into(),
    };
    answer(3, "Health checks", Q3, verdict, summary, details, evidence, fixes)
}
