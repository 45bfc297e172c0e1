//! Question 8: the second region — pairing and RTT to the first region and to each population.

use super::*;

pub(super) const Q8: &str = "The second region: pairing, RTT to the first region and to each client population.";

pub(super) fn q8_second_region(sc: &Scenario) -> Answer {
    let regions = routing_regions(sc);
    if regions.len() < 2 {
        return answer(
            8,
            "Second region",
            Q8,
            Verdict::Missing,
            format!("Only one region serves ({}).", regions.join(", ")),
            vec![],
            vec![],
            vec![format!(
                "Add a second region: {}'s pair is {} (AZURE_FACTS §6.1).",
                regions.first().map_or("the region", |r| r.as_str()),
                regions.first().and_then(|r| geo::pair_of(r)).unwrap_or("not listed")
            )],
        );
    }
    let mut details = Vec::new();
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    for (i, a) in regions.iter().enumerate() {
        for b in &regions[i + 1..] {
            let (Some(pa), Some(pb)) = (geo::region_place(a), geo::region_place(b)) else {
                continue;
            };
            let rtt = crate::model::geo::rtt_between(&sc.rtt, pa, pb);
            let paired = geo::pair_of(a) == Some(b.as_str()) || geo::pair_of(b) == Some(a.as_str());
            let source = if geo::published_rtt_ms(a, b).is_some() {
                "published, §6.2"
            } else {
                "great-circle model"
            };
            evidence.push(ev(
                &format!("{a} ↔ {b}"),
                format!(
                    "{rtt:.0} ms RTT ({source}){}",
                    if paired { ", a region pair (§6.1)" } else { "" }
                ),
            ));
            if paired {
                details.push(format!("{a} and {b} are a region pair: platform updates roll out to one at a time and one of the two is restored first in a wide outage (§6.1)."));
            } else {
                details.push(format!("{a} and {b} are not a pair: fine for an app-level design (§6.1: pairing is not required), but updates may reach both at once."));
            }
            if rtt > 100.0 {
                verdict = Verdict::Risk;
                fixes.push(format!("{a} ↔ {b} is {rtt:.0} ms: replication lags and every cross-region fallback pays it; pick a second region within ~100 ms of the first."));
            }
        }
    }
    for p in &sc.populations {
        let Some(loc) = geo::place(&p.location) else { continue };
        let v: Vec<String> = regions
            .iter()
            .filter_map(|r| {
                geo::region_place(r).map(|pr| format!("{r} {:.0} ms", crate::model::geo::rtt_between(&sc.rtt, loc, pr)))
            })
            .collect();
        evidence.push(ev(&format!("{} ({})", p.name, p.location), v.join(", ")));
    }
    let summary = match verdict {
        Verdict::Ok => format!(
            "{} serve together, close enough for replication and failover.",
            regions.join(" and ")
        ),
        _ => "The regions are far apart: replication and failover pay a long round trip.".into(),
    };
    answer(8, "Second region", Q8, verdict, summary, details, evidence, fixes)
}
