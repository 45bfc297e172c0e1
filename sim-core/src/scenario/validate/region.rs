//! `[[regions]]`: names, instances, SKUs, service times, dispatch and autoscale.

use super::*;

pub(super) fn check(v: &mut V, sc: &Scenario, limits: &Limits) {
    if sc.regions.is_empty() {
        v.err("regions", "at least one region is required");
    }
    if sc.regions.len() > 32 {
        v.err(
            "regions",
            format!("{} regions: at most 32 are supported", sc.regions.len()),
        );
    }
    let mut seen = BTreeSet::new();
    for (i, r) in sc.regions.iter().enumerate() {
        let p = format!("regions[{i}]");
        if geo::region_place(&r.name).is_none() {
            v.err(
                format!("{p}.name"),
                format!(
                    "unknown region {:?}; known: {}",
                    r.name,
                    list(&geo::known_region_names())
                ),
            );
        }
        if !seen.insert(r.name.as_str()) {
            v.err(format!("{p}.name"), format!("region {:?} is listed twice", r.name));
        }
        let cap = r.sku.max_instances();
        let init = r.instances.initial;
        let min = r.instances.min.unwrap_or(init);
        let max = r.instances.max.unwrap_or(cap);
        if init == 0 {
            v.err(format!("{p}.instances.initial"), "must be at least 1");
        }
        if max > cap {
            v.err(
                format!("{p}.instances.max"),
                format!("{max} exceeds the {:?} plan's cap of {cap} instances (AZURE_FACTS §4.3); raise the sku or lower max", r.sku),
            );
        }
        if !(min <= init && init <= max) {
            v.err(
                format!("{p}.instances"),
                format!("need min ≤ initial ≤ max, got min {min}, initial {init}, max {max}"),
            );
        }
        v.range_u(
            &format!("{p}.workers_per_instance"),
            r.workers_per_instance as u64,
            1,
            1_000,
            "",
        );
        if (max as u64) * (r.workers_per_instance as u64) > limits.max_slots {
            v.err(
                format!("{p}.workers_per_instance"),
                format!(
                    "max instances × workers is above the limit of {} worker slots",
                    limits.max_slots
                ),
            );
        }
        match &r.service_time {
            ServiceTime::Exponential { mean } if mean.as_micros() == 0 => {
                v.err(format!("{p}.service_time.mean"), "must be above 0")
            }
            ServiceTime::Constant { value } if value.as_micros() == 0 => {
                v.err(format!("{p}.service_time.value"), "must be above 0")
            }
            ServiceTime::Lognormal { median, p99 } => {
                if median.as_micros() == 0 {
                    v.err(format!("{p}.service_time.median"), "must be above 0");
                }
                if p99 <= median {
                    v.err(
                        format!("{p}.service_time.p99"),
                        format!("{p99} must be above the median {median}"),
                    );
                }
            }
            _ => {}
        }
        v.range_u(
            &format!("{p}.queue_limit_per_instance"),
            r.queue_limit_per_instance as u64,
            0,
            100_000,
            "",
        );
        v.range_d(
            &format!("{p}.request_timeout"),
            r.request_timeout,
            D::from_millis(100),
            D::from_secs(3600),
            "",
        );
        if let Some(ra) = r.retry_after {
            v.range_d(&format!("{p}.retry_after"), ra, D::ZERO, D::from_secs(3600), "");
        }
        if let Some(a) = &r.autoscale {
            let q = format!("{p}.autoscale");
            v.range_d(
                &format!("{q}.window"),
                a.window,
                D::from_mins(1),
                D::from_secs(12 * 3600),
                " (Azure: 5 min minimum, AZURE_FACTS §4.1)",
            );
            v.range_d(
                &format!("{q}.evaluation_interval"),
                a.evaluation_interval,
                D::from_secs(10),
                D::from_mins(10),
                "",
            );
            v.range_d(
                &format!("{q}.metric_delay"),
                a.metric_delay,
                D::ZERO,
                D::from_mins(30),
                "",
            );
            v.range_d(
                &format!("{q}.cooldown"),
                a.cooldown,
                D::from_mins(1),
                D::from_secs(7 * 86_400),
                " (AZURE_FACTS §4.1: PT1M to P7D)",
            );
            if a.metric == AutoscaleMetric::Utilisation {
                v.share(&format!("{q}.scale_out_above"), a.scale_out_above);
                v.share(&format!("{q}.scale_in_below"), a.scale_in_below);
            } else {
                v.rate(&format!("{q}.scale_out_above"), a.scale_out_above);
                v.rate(&format!("{q}.scale_in_below"), a.scale_in_below);
            }
            if a.scale_in_below >= a.scale_out_above {
                v.err(
                    format!("{q}.scale_in_below"),
                    format!(
                        "{} must be below scale_out_above ({}) or the plan flaps",
                        a.scale_in_below, a.scale_out_above
                    ),
                );
            }
            v.range_u(&format!("{q}.step_out"), a.step_out as u64, 1, 100, "");
            v.range_u(&format!("{q}.step_in"), a.step_in as u64, 1, 100, "");
            if a.provisioning_min > a.provisioning_max {
                v.err(
                    format!("{q}.provisioning_min"),
                    format!(
                        "{} must not exceed provisioning_max {}",
                        a.provisioning_min, a.provisioning_max
                    ),
                );
            }
            v.range_d(
                &format!("{q}.provisioning_max"),
                a.provisioning_max,
                D::ZERO,
                D::from_mins(60),
                "",
            );
            if !(a.warmup_capacity > 0.0 && a.warmup_capacity <= 1.0) {
                v.err(
                    format!("{q}.warmup_capacity"),
                    format!("{} must be above 0 and at most 1", a.warmup_capacity),
                );
            }
        }
    }
}
