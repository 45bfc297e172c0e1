//! Question 7: logging — per-region or global workspace, and the all-up view during an outage.

use super::*;

pub(super) const Q7: &str =
    "Logging: per-region or global workspace, and whether a region outage loses the all-up view.";

/// Seconds region `name` spent in a region outage in the runs.
pub(super) fn outage_seconds(report: &Report, name: &str) -> f64 {
    report
        .summary
        .faults
        .iter()
        .filter(|f| is_region_loss(&f.kind) && f.target == name)
        .map(|f| f.end_s - f.start_s)
        .sum()
}

pub(super) fn q7_logging(sc: &Scenario, report: &Report) -> Answer {
    let Some(l) = sc.design.as_ref().and_then(|d| d.logging.clone()) else {
        return answer(
            7,
            "Logging",
            Q7,
            Verdict::Missing,
            "Where the logs go is not stated.".into(),
            vec![],
            vec![],
            vec!["State `design.logging`: per_region = true (a workspace per stamp) and global_region for the global resources, queried together across workspaces (AZURE_FACTS §8).".into()],
        );
    };
    let stamps: Vec<&str> = sc.regions.iter().map(|r| r.name.as_str()).collect();
    let mut details = Vec::new();
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    if l.per_region {
        details.push(format!(
            "A workspace per stamp ({}): each shares its stamp's fate and keeps logs in-region (§8).",
            stamps.join(", ")
        ));
    }
    match (&l.global_region, l.per_region) {
        (Some(g), per) => {
            let down = outage_seconds(report, g);
            details.push(format!(
                "{} workspace in {g}{}.",
                if per { "Global" } else { "One global" },
                if stamps.contains(&g.as_str()) {
                    " — a stamp region, so it shares that stamp's fate"
                } else {
                    ""
                }
            ));
            if !per {
                verdict = Verdict::Risk;
                fixes.push(format!(
                    "Every stamp ships its logs to {g}: an outage there loses all logs and the all-up view at once. Add a workspace per stamp and keep {g} for global resources (§8)."
                ));
            }
            if down > 0.0 {
                verdict = Verdict::Risk;
                evidence.push(ev(
                    &format!("{g} down in the runs"),
                    format!(
                        "{:.0} min without the {} view",
                        down / 60.0,
                        if per { "global resources'" } else { "all-up" }
                    ),
                ));
                if per {
                    fixes.push(format!(
                        "Move the global workspace out of {g} (a region without a stamp), so the outage it should explain does not take it away."
                    ));
                }
            }
        }
        (None, _) => {
            verdict = Verdict::Risk;
            fixes.push("Global resources (Front Door, the Cosmos account) log nowhere: add a global workspace and cross-workspace queries for the all-up view (§8).".into());
        }
    }
    let summary = match verdict {
        Verdict::Ok => "Per-stamp workspaces plus a global one: a region outage loses only that stamp's logs, and the all-up view stays.".into(),
        _ => "A region outage can take the all-up view with it.".into(),
    };
    answer(7, "Logging", Q7, verdict, summary, details, evidence, fixes)
}
