//! Validation: every rule a scenario must satisfy, checked all at once so the
//! user sees every problem in one go, each with its field path and what is
//! allowed.

use super::*;
use crate::model::geo;
use crate::time::SimDuration as D;
use std::collections::BTreeSet;
use std::fmt;

/// One invalid field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FieldError {
    /// Path such as `regions[1].autoscale.cooldown`.
    pub path: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Size limits that keep a run within memory and time on a laptop or in a
/// browser tab. Scenarios beyond them are refused with a message.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Longest simulated duration.
    pub max_duration: D,
    /// Most distinct clients over all populations (each keeps a DNS cache
    /// entry and a connection).
    pub max_clients: u64,
    /// Most requests a run may generate (the expected value: each rate
    /// profile's integral over the run). Arrival candidates, drawn at each
    /// profile's peak rate within the run, are bounded at twice this.
    pub max_requests: f64,
    /// Most worker slots in one region.
    pub max_slots: u64,
    /// Most cells in the time series: (populations + regions) × buckets.
    /// The series is kept whole (and written whole), so this bounds a
    /// report's memory: about 0.6 KB a cell.
    pub max_series_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_duration: D::from_secs(7 * 24 * 3600),
            max_clients: 5_000_000,
            max_requests: 5e9,
            max_slots: 200_000,
            max_series_cells: 500_000,
        }
    }
}

struct V {
    errs: Vec<FieldError>,
}

impl V {
    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errs.push(FieldError {
            path: path.into(),
            message: message.into(),
        });
    }
    /// A name shown in reports and tables: not blank, no control characters
    /// (line breaks, tabs), at most 100 characters.
    fn name(&mut self, path: &str, name: &str) {
        if name.trim().is_empty() {
            self.err(path, "must not be empty or blank");
        } else if name.chars().any(char::is_control) {
            self.err(
                path,
                format!("{name:?} has a control character (line break, tab, …): use plain text"),
            );
        } else if name.chars().count() > MAX_NAME {
            self.err(
                path,
                format!("is {} characters long: at most {MAX_NAME}", name.chars().count()),
            );
        }
    }
    fn range_u(&mut self, path: &str, v: u64, lo: u64, hi: u64, why: &str) {
        if v < lo || v > hi {
            self.err(path, format!("{v} is out of range: must be {lo}–{hi}{why}"));
        }
    }
    fn range_d(&mut self, path: &str, v: D, lo: D, hi: D, why: &str) {
        if v < lo || v > hi {
            self.err(path, format!("{v} is out of range: must be {lo} to {hi}{why}"));
        }
    }
    /// `name` must be one of the scenario's regions.
    fn region_ref(&mut self, path: impl Into<String>, name: &str, regions: &[&str]) {
        if !regions.contains(&name) {
            self.err(
                path,
                format!("{name:?} is not one of the scenario's regions ({})", list(regions)),
            );
        }
    }
    /// `name` is an Azure region the geography knows (a stamp region or not):
    /// otherwise an error listing the known ones.
    fn known_region(&mut self, path: impl Into<String>, name: &str) -> bool {
        let known = geo::region_place(name).is_some();
        if !known {
            self.err(
                path,
                format!(
                    "unknown region {name:?}; known: {}",
                    geo::known_region_names().join(", ")
                ),
            );
        }
        known
    }
    fn share(&mut self, path: &str, v: f64) {
        if !(0.0..=1.0).contains(&v) {
            self.err(path, format!("{v} is not a share: must be between 0 and 1"));
        }
    }
    fn rate(&mut self, path: &str, v: f64) {
        if !v.is_finite() || v < 0.0 {
            self.err(
                path,
                format!("{v} is not a rate: must be a finite number ≥ 0 (requests per second)"),
            );
        }
    }
}

/// A DNS name: 1–253 characters, labels of 1–63 letters, digits and
/// hyphens (a leading `*.` allowed), not starting or ending with a hyphen.
fn hostname_ok(h: &str) -> Result<(), &'static str> {
    let body = h.strip_prefix("*.").unwrap_or(h);
    if body.is_empty() || h.len() > 253 {
        return Err("use 1–253 characters, e.g. api.contoso.com");
    }
    for label in body.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("each dot-separated label needs 1–63 characters");
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Err("labels use letters, digits and inner hyphens only");
        }
    }
    if !body.contains('.') {
        return Err("give the full name, e.g. api.contoso.com");
    }
    Ok(())
}

fn list(names: &[&str]) -> String {
    names.join(", ")
}

/// The longest name (scenario, population, singleton, variant).
const MAX_NAME: usize = 100;

/// The largest price (or size) a cost table may state: far above any real
/// one, low enough that every product the estimate takes stays finite.
const MAX_PRICE: f64 = 1e9;

/// Checks `sc` and returns every problem found (empty when valid).
pub fn validate(sc: &Scenario, limits: &Limits) -> Vec<FieldError> {
    let mut v = V { errs: Vec::new() };
    v.name("name", &sc.name);
    v.range_u(
        "seed",
        sc.seed,
        0,
        i64::MAX as u64,
        " (2^63 − 1: seeds are 63-bit so that every tool reads them alike)",
    );
    v.range_d("duration", sc.duration, D::from_secs(1), limits.max_duration, "");
    if sc.bucket < D::from_millis(100) || sc.bucket > sc.duration.max(D::from_millis(100)) {
        v.err(
            "bucket",
            format!("{} is out of range: must be 100ms up to the duration", sc.bucket),
        );
    }
    v.range_u("max_points", sc.max_points as u64, 10, 100_000, "");
    {
        // As the run sizes its buckets (at most max_points of them).
        let dur = sc.duration.as_micros().max(1);
        let bucket = sc
            .bucket
            .as_micros()
            .max(dur.div_ceil(sc.max_points.max(1) as u64))
            .max(1);
        let buckets = dur.div_ceil(bucket);
        let entities = (sc.populations.len() + sc.regions.len()) as u64;
        let cells = buckets.saturating_mul(entities);
        if cells > limits.max_series_cells {
            v.err(
                "bucket",
                format!(
                    "the time series would hold {cells} cells ({entities} populations and regions × {buckets} buckets of {}): at most {}; widen `bucket` or lower `max_points`",
                    D(bucket),
                    limits.max_series_cells
                ),
            );
        }
    }
    if !(sc.slo > 0.0 && sc.slo < 1.0) {
        v.err("slo", format!("{} must be between 0 and 1, e.g. 0.9995", sc.slo));
    }

    // Regions.
    let region_names: Vec<&str> = sc.regions.iter().map(|r| r.name.as_str()).collect();
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

    // Populations.
    if sc.populations.is_empty() {
        v.err("populations", "at least one client population is required");
    }
    if sc.populations.len() > 64 {
        v.err(
            "populations",
            format!("{} populations: at most 64 are supported", sc.populations.len()),
        );
    }
    let mut total_clients: u64 = 0;
    let mut expected_requests = 0.0;
    let mut candidates = 0.0;
    let mut pop_names = BTreeSet::new();
    for (i, pspec) in sc.populations.iter().enumerate() {
        let p = format!("populations[{i}]");
        v.name(&format!("{p}.name"), &pspec.name);
        if !pop_names.insert(pspec.name.as_str()) {
            v.err(
                format!("{p}.name"),
                format!("population {:?} is listed twice", pspec.name),
            );
        }
        if geo::place(&pspec.location).is_none() {
            v.err(
                format!("{p}.location"),
                format!(
                    "unknown location {:?}; use a metro ({}) or a region name",
                    pspec.location,
                    list(&geo::known_metro_names())
                ),
            );
        }
        total_clients = total_clients.saturating_add(pspec.clients);
        if pspec.clients == 0 {
            v.err(format!("{p}.clients"), "must be at least 1");
        }
        match &pspec.rate {
            RateProfile::Constant { rps } => v.rate(&format!("{p}.rate.rps"), *rps),
            RateProfile::Steps { rps, steps } => {
                v.rate(&format!("{p}.rate.rps"), *rps);
                let mut last = D::ZERO;
                for (j, s) in steps.iter().enumerate() {
                    v.rate(&format!("{p}.rate.steps[{j}].rps"), s.rps);
                    if s.at < last {
                        v.err(format!("{p}.rate.steps[{j}].at"), "steps must be in time order");
                    }
                    last = s.at;
                }
            }
            RateProfile::Diurnal {
                mean_rps, amplitude, ..
            } => {
                v.rate(&format!("{p}.rate.mean_rps"), *mean_rps);
                v.share(&format!("{p}.rate.amplitude"), *amplitude);
            }
            RateProfile::Spike { base_rps, peak_rps, .. } => {
                v.rate(&format!("{p}.rate.base_rps"), *base_rps);
                v.rate(&format!("{p}.rate.peak_rps"), *peak_rps);
            }
        }
        // What the profile generates over the run, and the candidates its
        // arrival process draws (at the peak rate within the run: thinning).
        expected_requests += pspec.rate.expected_requests(sc.duration).max(0.0);
        candidates += pspec.rate.peak_rps_before(sc.duration).max(0.0) * sc.duration.as_secs_f64();
        v.range_d(
            &format!("{p}.timeout"),
            pspec.timeout,
            D::from_millis(10),
            D::from_secs(600),
            "",
        );
        v.range_d(
            &format!("{p}.connect_timeout"),
            pspec.connect_timeout,
            D::from_millis(10),
            D::from_secs(600),
            "",
        );
        v.range_d(
            &format!("{p}.access_rtt"),
            pspec.access_rtt,
            D::ZERO,
            D::from_secs(2),
            "",
        );
        v.range_u(
            &format!("{p}.handshake_round_trips"),
            pspec.handshake_round_trips as u64,
            0,
            10,
            "",
        );
        v.range_u(
            &format!("{p}.retry.attempts"),
            pspec.retry.attempts as u64,
            1,
            10,
            " (1 = no retry)",
        );
        if !(pspec.retry.multiplier >= 1.0 && pspec.retry.multiplier <= 10.0) {
            v.err(
                format!("{p}.retry.multiplier"),
                format!("{} must be between 1 and 10", pspec.retry.multiplier),
            );
        }
        if let Some(b) = &pspec.retry.budget {
            if !(b.max_tokens >= 1.0 && b.max_tokens <= 1000.0) {
                v.err(
                    format!("{p}.retry.budget.max_tokens"),
                    format!("{} must be between 1 and 1000 (gRPC's maxTokens range)", b.max_tokens),
                );
            }
            if !(b.token_ratio >= 0.001 && b.token_ratio <= 1.0) {
                v.err(
                    format!("{p}.retry.budget.token_ratio"),
                    format!("{} must be between 0.001 and 1", b.token_ratio),
                );
            }
        }
        if let Some(c) = &pspec.retry.circuit_breaker {
            v.range_u(
                &format!("{p}.retry.circuit_breaker.failures"),
                c.failures as u64,
                1,
                1000,
                "",
            );
            v.range_d(
                &format!("{p}.retry.circuit_breaker.open_for"),
                c.open_for,
                D::from_secs(1),
                D::from_secs(3600),
                "",
            );
        }
        v.share(&format!("{p}.dns.honour_ttl"), pspec.dns.honour_ttl);
        v.share(&format!("{p}.dns.forever"), pspec.dns.forever);
        if pspec.dns.honour_ttl + pspec.dns.forever > 1.0 + 1e-9 {
            v.err(
                format!("{p}.dns"),
                "honour_ttl + forever must not exceed 1 (the rest are stale holders)",
            );
        }
        if !(pspec.dns.stale_shape > 1.0 && pspec.dns.stale_shape <= 10.0) {
            v.err(
                format!("{p}.dns.stale_shape"),
                format!(
                    "{} must be above 1 and at most 10 (a finite mean hold; use dns.forever for clients that never re-resolve)",
                    pspec.dns.stale_shape
                ),
            );
        }
        v.range_d(
            &format!("{p}.dns.stale_scale"),
            pspec.dns.stale_scale,
            D::from_secs(1),
            D::from_mins(24 * 60),
            "",
        );
        v.range_u(
            &format!("{p}.dns.reresolve_after_failures"),
            pspec.dns.reresolve_after_failures as u64,
            0,
            100,
            " (0 = never)",
        );
        if pspec.keepalive.idle_timeout.as_micros() == 0 && pspec.keepalive.enabled {
            v.err(
                format!("{p}.keepalive.idle_timeout"),
                "must be above 0 when keep-alive is enabled",
            );
        }
    }
    if total_clients > limits.max_clients {
        v.err(
            "populations",
            format!("{total_clients} clients in all: the limit is {} (each keeps its own DNS cache and connection); lower `clients`", limits.max_clients),
        );
    }
    if expected_requests > limits.max_requests {
        v.err(
            "populations",
            format!("the rate profiles would generate about {expected_requests:.2e} requests over {}: the limit is {:.0e}; shorten `duration` or lower the rates", sc.duration, limits.max_requests),
        );
    } else if candidates > 2.0 * limits.max_requests {
        v.err(
            "populations",
            format!("the arrival processes draw candidates at each profile's peak rate within the run (thinning): about {candidates:.2e} over {}, the limit is {:.0e}; lower the peak rates (a step, a burst or amplitude × mean) or shorten `duration`", sc.duration, 2.0 * limits.max_requests),
        );
    }

    // Routing.
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

    // Data tier.
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

    // Random faults.
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

    // Prices.
    if let Some(c) = &sc.cost {
        let ih = &c.instance_hour;
        for (field, x) in [
            ("gateway_base_month", c.gateway_base_month),
            ("gateway_per_million_requests", c.gateway_per_million_requests),
            ("provisioned_ru_per_second", c.provisioned_ru_per_second),
            ("per_100_ru_hour", c.per_100_ru_hour),
            ("per_100_ru_hour_multi_write", c.per_100_ru_hour_multi_write),
            ("egress_per_gb", c.egress_per_gb),
            ("response_kb", c.response_kb),
            ("instance_hour.basic", ih.basic),
            ("instance_hour.standard", ih.standard),
            ("instance_hour.premium_v3", ih.premium_v3),
            ("instance_hour.isolated_v2", ih.isolated_v2),
        ] {
            // Bounded so that a month's cost stays a finite number.
            if !(x.is_finite() && (0.0..=MAX_PRICE).contains(&x)) {
                v.err(
                    format!("cost.{field}"),
                    format!("{x} is not a price: use a number from 0 to {MAX_PRICE:e}"),
                );
            }
        }
    }

    // Design facts for the review.
    if let Some(d) = &sc.design {
        for (field, name) in [("hostname", &d.hostname), ("current_target", &d.current_target)] {
            if let Some(h) = name {
                if let Err(why) = hostname_ok(h) {
                    v.err(format!("design.{field}"), format!("{h:?} is not a DNS name: {why}"));
                }
            }
        }
        if let Some(l) = &d.logging {
            if let Some(g) = &l.global_region {
                v.known_region("design.logging.global_region", g);
            } else if !l.per_region {
                v.err(
                    "design.logging",
                    "no workspace: set per_region = true, global_region = \"<region>\", or both",
                );
            }
        }
    }

    // Faults.
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
                    format!("{region:?} has no data replica; replicas: {}", list(&data_replicas)),
                );
            }
            Fault::Partition { region, other, .. } => {
                for (f, r) in [("region", region), ("other", other)] {
                    if !data_replicas.contains(&r.as_str()) {
                        v.err(
                            format!("{p}.{f}"),
                            format!("{r:?} has no data replica; replicas: {}", list(&data_replicas)),
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
                    format!("no singleton {singleton:?}; declared: {}", list(&singletons)),
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
    for (i, o) in sc.rtt.iter().enumerate() {
        for (field, name) in [("a", &o.a), ("b", &o.b)] {
            if geo::place(name).is_none() {
                v.err(format!("rtt[{i}].{field}"), format!("unknown place {name:?}"));
            }
        }
    }
    v.errs
}
