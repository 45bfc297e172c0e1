//! Question 6: singletons — single-region dependencies and what their outage does.

use super::*;

pub(super) const Q6: &str =
    "Singletons versus per-region components, their geo-replication, and which singleton outage takes everything down.";

pub(super) fn q6_singletons(sc: &Scenario, report: &Report) -> Answer {
    let mut details = vec![format!(
        "Per region: the App Service stamps ({}).",
        sc.regions
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )];
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    let Some(d) = &sc.data else {
        return answer(
            6,
            "Singletons",
            Q6,
            Verdict::Missing,
            "No shared state or dependencies declared: the runs cannot say what a singleton outage does.".into(),
            details,
            evidence,
            vec!["Declare the data tier ([data]) and the components kept in one region (data.singletons: key vault, registry, workspace).".into()],
        );
    };
    details.push(format!(
        "Cosmos DB account: replicas in {}, {} (AZURE_FACTS §5.1).",
        d.replicas.join(", "),
        match d.write_mode {
            WriteMode::Single => "one write region",
            WriteMode::Multi => "writes in every region",
        }
    ));
    if d.replicas.len() == 1 && sc.regions.len() > 1 {
        verdict = Verdict::Risk;
        fixes.push(format!(
            "The database lives only in {}: add a replica in every stamp region (§5.1).",
            d.replicas[0]
        ));
    }
    if d.singletons.is_empty() {
        verdict = worst(&[verdict, Verdict::Missing]);
        fixes.push("List the components kept in one region (data.singletons: key vault, container registry, log workspace) — even if there are none, say so by design.".into());
    }
    for s in &d.singletons {
        let reps = if s.geo_replicas.is_empty() {
            "no geo-replica".to_string()
        } else {
            format!("geo-replicated to {}", s.geo_replicas.join(", "))
        };
        details.push(format!(
            "singleton {} in {} ({reps}); {} of requests need it{}.",
            s.name,
            s.region,
            pct(s.share),
            if s.deep_check { "; in the deep health check" } else { "" }
        ));
        if s.geo_replicas.is_empty() && s.share >= 0.5 {
            verdict = worst(&[verdict, Verdict::Risk]);
            evidence.push(ev(
                &format!("{} outage", s.name),
                format!(
                    "takes down {} of requests in every region{}",
                    pct(s.share),
                    if s.deep_check && sc.health.depth == HealthDepth::Deep {
                        ", and the deep check marks every stamp down"
                    } else {
                        ""
                    }
                ),
            ));
            fixes.push(format!(
                "{}: geo-replicate it to another stamp region (data.singletons.geo_replicas) or give each stamp its own (§8: stamps share nothing regionally).",
                s.name
            ));
        }
    }
    if let Some(ds) = &report.summary.data {
        if ds.singleton_failures > 0 {
            evidence.push(ev(
                "requests failed by a singleton in the runs",
                ds.singleton_failures.to_string(),
            ));
        }
    }
    for f in report.summary.faults.iter().filter(|f| f.kind == "singleton_outage") {
        evidence.push(ev(
            &format!("availability while {} was down", f.target),
            f.overall[1].availability.map_or("–".into(), pct),
        ));
    }
    let summary = match verdict {
        Verdict::Ok => "Every shared component survives the loss of one region.".into(),
        Verdict::Risk => "A component kept in one region takes every stamp down with it.".into(),
        Verdict::Missing => "The components kept in one region are not listed.".into(),
    };
    answer(6, "Singletons", Q6, verdict, summary, details, evidence, fixes)
}
