//! `[[faults]]`: each fault's kind, times, strengths, and what it names (regions, replicas, singletons, POPs).

use super::*;

pub(super) fn check(v: &mut V, sc: &Scenario, pops_in_use: &[String], data_replicas: &[&str], singletons: &[&str]) {
    let region_names: Vec<&str> = sc.regions.iter().map(|r| r.name.as_str()).collect();
    if sc.faults.len() > 256 {
        v.err("faults", "at most 256 scheduled faults");
    }
    for (i, f) in sc.faults.iter().enumerate() {
        let p = format!("faults[{i}]");
        if f.start() >= sc.duration {
            v.err(
                format!("{p}.start"),
                format!("{} is not inside the run (duration {})", f.start(), sc.duration),
            );
        }
        if f.duration().as_micros() == 0 {
            v.err(format!("{p}.duration"), "must be above 0");
        }
        if let Some(r) = f.region() {
            v.region_ref(format!("{p}.region"), r, &region_names);
        }
        match f {
            Fault::BrownOut { error_rate, .. } | Fault::GrayFailure { error_rate, .. } => {
                v.share(&format!("{p}.error_rate"), *error_rate)
            }
            Fault::CapacityLoss { fraction, .. } if !(*fraction > 0.0 && *fraction <= 1.0) => {
                v.err(
                    format!("{p}.fraction"),
                    format!("{fraction} must be above 0 and at most 1"),
                );
            }
            Fault::ReplicaOutage { region, .. } if !data_replicas.contains(&region.as_str()) => {
                v.err(
                    format!("{p}.region"),
                    format!("{region:?} has no data replica; replicas: {}", list(data_replicas)),
                );
            }
            Fault::Partition { region, other, .. } => {
                for (f, r) in [("region", region), ("other", other)] {
                    if !data_replicas.contains(&r.as_str()) {
                        v.err(
                            format!("{p}.{f}"),
                            format!("{r:?} has no data replica; replicas: {}", list(data_replicas)),
                        );
                    }
                }
                if region == other {
                    v.err(format!("{p}.other"), "a partition needs two different regions");
                }
            }
            Fault::SingletonOutage { singleton, .. } if !singletons.contains(&singleton.as_str()) => {
                v.err(
                    format!("{p}.singleton"),
                    format!("no singleton {singleton:?}; declared: {}", list(singletons)),
                );
            }
            Fault::PopOutage { pop, .. } => {
                if pops_in_use.is_empty() {
                    v.err(format!("{p}.kind"), "pop_outage needs routing.kind = \"anycast_l7\"");
                } else if !pops_in_use.iter().any(|x| x == pop) {
                    v.err(
                        format!("{p}.pop"),
                        format!(
                            "{pop:?} is not a POP in use; known: {}",
                            list(&geo::known_metro_names())
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}
