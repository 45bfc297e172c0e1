//! `[routing]` and `[health]`: each router kind's settings, their endpoints or origins, and the POPs in use.

use super::*;

pub(super) fn check(v: &mut V, sc: &Scenario) -> Vec<String> {
    let region_names: Vec<&str> = sc.regions.iter().map(|r| r.name.as_str()).collect();
    let mut pops_in_use: Vec<String> = Vec::new();
    match &sc.routing {
        Routing::Direct(d) => {
            v.region_ref("routing.region", &d.region, &region_names);
        }
        Routing::Dns(d) => {
            if d.probe_interval != D::from_secs(10) && d.probe_interval != D::from_secs(30) {
                v.err(
                    "routing.probe_interval",
                    format!(
                        "{} is not offered: Traffic Manager probes every 30s or 10s (AZURE_FACTS §2)",
                        d.probe_interval
                    ),
                );
            }
            let max_to = if d.probe_interval == D::from_secs(10) { 9 } else { 10 };
            v.range_d(
                "routing.probe_timeout",
                d.probe_timeout,
                D::from_secs(5),
                D::from_secs(max_to),
                &format!(" at a {} interval (AZURE_FACTS §2)", d.probe_interval),
            );
            v.range_u(
                "routing.tolerated_failures",
                d.tolerated_failures as u64,
                0,
                9,
                " (AZURE_FACTS §2)",
            );
            v.range_d("routing.ttl", d.ttl, D::ZERO, D::from_secs(2_147_483_647), "");
            if d.monitoring_locations.is_empty() {
                v.err(
                    "routing.monitoring_locations",
                    "at least one monitoring location is required",
                );
            }
            for (i, l) in d.monitoring_locations.iter().enumerate() {
                if geo::place(l).is_none() {
                    v.err(
                        format!("routing.monitoring_locations[{i}]"),
                        format!(
                            "unknown location {l:?}; known metros: {}",
                            list(&geo::known_metro_names())
                        ),
                    );
                }
            }
            if let MonitorRule::AtLeast(k) = d.degraded_when {
                let n = d.monitoring_locations.len();
                if k as usize > n {
                    v.err(
                        "routing.degraded_when",
                        format!(
                            "{k} locations, but only {n} monitoring location(s) are listed: write at most {n}, or \"all\""
                        ),
                    );
                }
            }
            if d.endpoints.is_empty() {
                v.err("routing.endpoints", "at least one endpoint is required");
            }
            let mut seen = BTreeSet::new();
            let mut prios = BTreeSet::new();
            for (i, e) in d.endpoints.iter().enumerate() {
                let p = format!("routing.endpoints[{i}]");
                v.region_ref(format!("{p}.region"), &e.region, &region_names);
                if !seen.insert(e.region.as_str()) {
                    v.err(format!("{p}.region"), "each region may be an endpoint once");
                }
                let pr = e.priority.unwrap_or(i as u32 + 1);
                v.range_u(&format!("{p}.priority"), pr as u64, 1, 1000, " (AZURE_FACTS §2)");
                if !prios.insert(pr) {
                    v.err(
                        format!("{p}.priority"),
                        format!("priority {pr} is used twice: Traffic Manager priorities are unique"),
                    );
                }
                v.range_u(&format!("{p}.weight"), e.weight as u64, 1, 1000, " (AZURE_FACTS §2)");
            }
            for (i, e) in d.endpoints.iter().enumerate() {
                for (k, g) in e.geo.iter().enumerate() {
                    let known = g == "*" || sc.populations.iter().any(|p| p.name == *g) || geo::place(g).is_some();
                    if !known {
                        v.err(
                            format!("routing.endpoints[{i}].geo[{k}]"),
                            format!("{g:?} is not a population of this scenario, a metro or a region; use one of those or \"*\" (the world)"),
                        );
                    }
                }
            }
            if d.method == DnsMethod::Geographic {
                for (i, pspec) in sc.populations.iter().enumerate() {
                    let mapped = d.endpoints.iter().any(|e| {
                        e.geo
                            .iter()
                            .any(|g| g == "*" || *g == pspec.name || *g == pspec.location)
                    });
                    if !mapped {
                        v.err(format!("populations[{i}]"), format!("population {:?} is not mapped by any endpoint's `geo` list; add its name, its location or \"*\"", pspec.name));
                    }
                }
            }
        }
        Routing::AnycastL7(f) => {
            if let (Some(t), Some(g)) = (f.tier, sc.design.as_ref().and_then(|d| d.gateway_tier)) {
                let g_name = match g {
                    GatewayTier::Standard => "standard",
                    GatewayTier::Premium => "premium",
                };
                if t.name() != g_name {
                    v.err(
                        "routing.tier",
                        format!(
                            "{:?} disagrees with design.gateway_tier {g_name:?}: state the tier once (leave routing.tier out to follow the design)",
                            t.name()
                        ),
                    );
                }
            }
            v.range_d(
                "routing.probe_interval",
                f.probe_interval,
                D::from_secs(1),
                D::from_secs(255),
                " (AZURE_FACTS §1.3)",
            );
            v.range_u("routing.sample_size", f.sample_size as u64, 1, 64, "");
            v.range_u(
                "routing.probe_handshake_round_trips",
                f.probe_handshake_round_trips as u64,
                0,
                10,
                "",
            );
            if f.successful_samples == 0 || f.successful_samples > f.sample_size {
                v.err(
                    "routing.successful_samples",
                    format!(
                        "{} must be between 1 and sample_size ({})",
                        f.successful_samples, f.sample_size
                    ),
                );
            }
            v.range_d(
                "routing.probe_timeout",
                f.probe_timeout,
                D::from_millis(100),
                D::from_secs(240),
                "",
            );
            v.range_d(
                "routing.origin_response_timeout",
                f.origin_response_timeout,
                D::from_secs(16),
                D::from_secs(240),
                " (AZURE_FACTS §1.4)",
            );
            v.range_d(
                "routing.latency_sensitivity",
                f.latency_sensitivity,
                D::ZERO,
                D::from_secs(1),
                "",
            );
            if f.origins.is_empty() {
                v.err("routing.origins", "at least one origin is required");
            }
            if !f.origins.iter().any(|o| o.enabled) {
                v.err("routing.origins", "at least one origin must be enabled");
            }
            let mut seen = BTreeSet::new();
            for (i, o) in f.origins.iter().enumerate() {
                let p = format!("routing.origins[{i}]");
                v.region_ref(format!("{p}.region"), &o.region, &region_names);
                if !seen.insert(o.region.as_str()) {
                    v.err(format!("{p}.region"), "each region may be an origin once");
                }
                v.range_u(&format!("{p}.priority"), o.priority as u64, 1, 5, " (AZURE_FACTS §1.2)");
                v.range_u(&format!("{p}.weight"), o.weight as u64, 1, 1000, " (AZURE_FACTS §1.2)");
            }
            for (i, pop) in f.pops.iter().enumerate() {
                if geo::METROS.iter().all(|m| m.name != pop) {
                    v.err(
                        format!("routing.pops[{i}]"),
                        format!("unknown POP metro {pop:?}; known: {}", list(&geo::known_metro_names())),
                    );
                }
            }
            pops_in_use = if f.pops.is_empty() {
                geo::METROS.iter().map(|m| m.name.to_string()).collect()
            } else {
                f.pops.clone()
            };
        }
        Routing::AnycastL4(l) => {
            v.range_d(
                "routing.global_probe_interval",
                l.global_probe_interval,
                D::from_secs(1),
                D::from_secs(60),
                "",
            );
            v.range_d(
                "routing.regional_probe_interval",
                l.regional_probe_interval,
                D::from_secs(5),
                D::from_secs(300),
                " (AZURE_FACTS §3: 5 s minimum)",
            );
            v.range_u("routing.probe_threshold", l.probe_threshold as u64, 1, 10, "");
            if l.backends.is_empty() {
                v.err("routing.backends", "at least one backend region is required");
            }
            for (i, b) in l.backends.iter().enumerate() {
                v.region_ref(format!("routing.backends[{i}]"), b, &region_names);
            }
        }
    }
    pops_in_use
}
