//! Question 5: SKUs — the plan's instance cap against the survivor's peak need, and the gateway tier.

use super::*;

pub(super) const Q5: &str = "SKU changes: the plan's max instances against the survivor's peak need; the gateway tier that WAF managed rules or Private Link need.";

/// Worker time per request, seconds: the service time plus the database
/// calls it makes (reads and writes weighted by the populations' write share).
pub(super) fn worker_seconds(sc: &Scenario, region: usize) -> f64 {
    let mut s = sc.regions[region].service_time.mean().as_secs_f64();
    if let Some(d) = &sc.data {
        let total: f64 = sc.populations.iter().map(|p| p.rate.peak_rps()).sum();
        let w = if total > 0.0 {
            sc.populations
                .iter()
                .map(|p| p.rate.peak_rps() * p.write_share)
                .sum::<f64>()
                / total
        } else {
            0.0
        };
        s += (1.0 - w) * d.read_latency.as_secs_f64() + w * d.write_latency.as_secs_f64();
    }
    s
}

pub(super) fn q5_sku(sc: &Scenario, report: &Report) -> Answer {
    let total: f64 = sc.populations.iter().map(|p| p.rate.peak_rps()).sum();
    let mut details = Vec::new();
    let mut evidence = vec![ev("peak offered load, all populations", format!("{total:.0} req/s"))];
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    for (i, r) in sc.regions.iter().enumerate() {
        let per_instance = r.workers_per_instance as f64 / worker_seconds(sc, i);
        let need_full = (total / per_instance).ceil() as u32;
        let threshold = r.autoscale.as_ref().map_or(0.7, |a| a.scale_out_above).clamp(0.05, 1.0);
        let need_rule = (total / (per_instance * threshold)).ceil() as u32;
        let plan_max = r
            .instances
            .max
            .unwrap_or(r.sku.max_instances())
            .min(r.sku.max_instances());
        let measured = report.summary.regions.get(i);
        evidence.push(ev(
            &format!("{} alone at peak", r.name),
            format!(
                "needs {need_full} instances to stay under 100 % ({need_rule} at the {:.0} % scale-out threshold); plan max {plan_max} ({}, cap {})",
                threshold * 100.0,
                sku_name(r.sku),
                r.sku.max_instances()
            ),
        ));
        if let Some(m) = measured {
            evidence.push(ev(
                &format!("{} in the runs", r.name),
                format!(
                    "peak {} instances, peak utilisation {}",
                    m.peak_instances,
                    pct(m.peak_utilisation)
                ),
            ));
        }
        if sc.regions.len() > 1 && need_full > plan_max {
            verdict = worst(&[verdict, Verdict::Risk]);
            if need_full > r.sku.max_instances() {
                let bigger = [
                    crate::scenario::Sku::Standard,
                    crate::scenario::Sku::PremiumV3,
                    crate::scenario::Sku::IsolatedV2,
                ]
                .into_iter()
                .find(|s| s.max_instances() >= need_full);
                fixes.push(format!(
                    "{}: {} caps at {} instances but carrying everything needs {need_full}: {}",
                    r.name,
                    sku_name(r.sku),
                    r.sku.max_instances(),
                    bigger.map_or(
                        "split the load over more regions or scale up the instance size.".to_string(),
                        |b| format!(
                            "move to {} (up to {}, §4.3), or a larger instance size.",
                            sku_name(b),
                            b.max_instances()
                        )
                    )
                ));
            } else {
                fixes.push(format!(
                    "{}: raise instances.max from {plan_max} to at least {need_rule} (the SKU allows {}).",
                    r.name,
                    r.sku.max_instances()
                ));
            }
        }
    }
    let d = sc.design.clone().unwrap_or_default();
    if let Routing::AnycastL7(_) = sc.routing {
        let needs_premium: Vec<&str> = [
            (d.waf == Some(Waf::ManagedRules), "WAF managed rules"),
            (d.origin_lock == Some(OriginLock::PrivateLink), "Private Link"),
        ]
        .iter()
        .filter(|(b, _)| *b)
        .map(|(_, n)| *n)
        .collect();
        match d.gateway_tier {
            None => {
                verdict = worst(&[verdict, Verdict::Missing]);
                fixes.push("State `design.gateway_tier` (standard or premium).".into());
            }
            Some(GatewayTier::Standard) if !needs_premium.is_empty() => {
                verdict = worst(&[verdict, Verdict::Risk]);
                fixes.push(format!(
                    "{} need Front Door Premium (§1.6, §1.7): change the tier.",
                    needs_premium.join(" and ")
                ));
            }
            Some(t) => details.push(format!(
                "Front Door {}{}.",
                tier_name(t),
                if needs_premium.is_empty() {
                    String::new()
                } else {
                    format!(", as {} require", needs_premium.join(" and "))
                }
            )),
        }
    }
    details.push("\"Needs\" = peak load of every population ÷ (workers per instance ÷ worker time per request), the worker time including the database calls; the survivor of a region failure carries all of it.".into());
    let summary = match verdict {
        Verdict::Ok => {
            "Each plan can grow to carry all the traffic, and the gateway tier has the features asked of it.".into()
        }
        Verdict::Risk => {
            "A plan cannot grow enough to carry everything, or the gateway tier lacks a feature asked of it.".into()
        }
        Verdict::Missing => "The gateway tier is not stated.".into(),
    };
    answer(5, "SKU changes", Q5, verdict, summary, details, evidence, fixes)
}
