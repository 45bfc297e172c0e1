//! `[data]`: the data tier's replicas, latencies, consistency and singletons.

use super::*;

pub(super) fn check<'a>(v: &mut V, sc: &'a Scenario) -> (Vec<&'a str>, Vec<&'a str>) {
    let region_names: Vec<&str> = sc.regions.iter().map(|r| r.name.as_str()).collect();
    let mut data_replicas: Vec<&str> = Vec::new();
    let mut singletons: Vec<&str> = Vec::new();
    if let Some(d) = &sc.data {
        if d.replicas.is_empty() {
            v.err("data.replicas", "at least one replica region is required");
        }
        for (i, r) in d.replicas.iter().enumerate() {
            v.region_ref(format!("data.replicas[{i}]"), r, &region_names);
            if data_replicas.contains(&r.as_str()) {
                v.err(format!("data.replicas[{i}]"), "each region may hold one replica");
            }
            data_replicas.push(r);
        }
        if d.replicas.len() > 8 {
            v.err("data.replicas", "at most 8 replica regions");
        }
        if d.write_mode == WriteMode::Multi && d.consistency == Consistency::Strong {
            v.err("data.consistency", "strong consistency is not allowed with multi-region writes (AZURE_FACTS §5.1); use single writes or a weaker level");
        }
        if let Some(b) = &d.staleness {
            v.range_u(
                "data.staleness.versions",
                b.versions,
                1,
                2_147_483_647,
                " (AZURE_FACTS §5.2)",
            );
            v.range_d(
                "data.staleness.interval",
                b.interval,
                D::from_secs(5),
                D::from_secs(86_400),
                " (AZURE_FACTS §5.2)",
            );
        }
        v.range_u(
            "data.keys",
            d.keys as u64,
            1,
            2_000_000,
            " (each key keeps its latest write per replica)",
        );
        if !(0.0..=5.0).contains(&d.zipf_exponent) {
            v.err(
                "data.zipf_exponent",
                format!("{} must be between 0 (uniform) and 5", d.zipf_exponent),
            );
        }
        v.range_d(
            "data.failover_delay",
            d.failover_delay,
            D::ZERO,
            D::from_secs(7 * 86_400),
            "",
        );
        v.range_d("data.read_latency", d.read_latency, D::ZERO, D::from_secs(10), "");
        v.range_d("data.write_latency", d.write_latency, D::ZERO, D::from_secs(10), "");
        v.range_d("data.commit_mean", d.commit_mean, D::ZERO, D::from_secs(600), "");
        for (i, s) in d.singletons.iter().enumerate() {
            v.known_region(format!("data.singletons[{i}].region"), &s.region);
            v.share(&format!("data.singletons[{i}].share"), s.share);
            for (j, g) in s.geo_replicas.iter().enumerate() {
                let path = format!("data.singletons[{i}].geo_replicas[{j}]");
                if v.known_region(path.clone(), g) && (*g == s.region || s.geo_replicas[..j].contains(g)) {
                    v.err(
                        path,
                        format!("{g:?} is already listed (home region or an earlier replica)"),
                    );
                }
            }
            v.name(&format!("data.singletons[{i}].name"), &s.name);
            if singletons.contains(&s.name.as_str()) {
                v.err(format!("data.singletons[{i}].name"), "singleton names must be unique");
            }
            singletons.push(&s.name);
        }
    }
    for (i, p) in sc.populations.iter().enumerate() {
        v.share(&format!("populations[{i}].write_share"), p.write_share);
        v.share(&format!("populations[{i}].bypass_share"), p.bypass_share);
        v.share(&format!("populations[{i}].attack_share"), p.attack_share);
        if p.bypass_share + p.attack_share > 1.0 {
            v.err(
                format!("populations[{i}].attack_share"),
                "bypass_share + attack_share must not exceed 1",
            );
        }
    }
    (data_replicas, singletons)
}
