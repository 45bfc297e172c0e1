//! `[reliability]`: random faults drawn from failure rates.

use super::*;

pub(super) fn check(v: &mut V, sc: &Scenario) {
    if let Some(r) = &sc.reliability {
        let d = sc.duration.as_secs_f64();
        let npops = match &sc.routing {
            Routing::AnycastL7(f) if !f.pops.is_empty() => f.pops.len(),
            Routing::AnycastL7(_) => geo::METROS.len(),
            _ => 0,
        };
        for (field, mtbf, n) in [
            ("region_mtbf", r.region_mtbf, sc.regions.len()),
            ("pop_mtbf", r.pop_mtbf, npops),
        ] {
            if let Some(m) = mtbf {
                if m < D::from_mins(10) {
                    v.err(
                        format!("reliability.{field}"),
                        format!("{m} is too short: at least 10m"),
                    );
                } else if d / m.as_secs_f64() * n as f64 > 500.0 {
                    v.err(
                        format!("reliability.{field}"),
                        format!("{m} over {} and {n} targets would draw about {:.0} faults: the limit is 500; lengthen it or shorten the run", sc.duration, d / m.as_secs_f64() * n as f64),
                    );
                }
            }
        }
        v.range_d(
            "reliability.region_mttr",
            r.region_mttr,
            D::from_secs(1),
            D::from_secs(30 * 86_400),
            "",
        );
        v.range_d(
            "reliability.pop_mttr",
            r.pop_mttr,
            D::from_secs(1),
            D::from_secs(30 * 86_400),
            "",
        );
        if r.pop_mtbf.is_some() && npops == 0 {
            v.err("reliability.pop_mtbf", "POP outages need routing.kind = \"anycast_l7\"");
        }
    }
}
