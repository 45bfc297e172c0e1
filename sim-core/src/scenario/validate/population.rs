//! `[[populations]]`: names, places, rates (and the requests they imply against the run's limits), clients, retries, DNS behaviour and connections.

use super::*;

pub(super) fn check(v: &mut V, sc: &Scenario, limits: &Limits) {
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
}
