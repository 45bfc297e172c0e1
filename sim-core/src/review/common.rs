//! Helpers the answers share: evidence lines, number formats, verdict arithmetic, which regions a router serves.

use super::*;

pub(super) fn ev(label: &str, value: impl Into<String>) -> Evidence {
    Evidence {
        label: label.to_string(),
        value: value.into(),
    }
}

pub(super) fn pct(x: f64) -> String {
    crate::format::share(x)
}

pub(super) fn secs(x: Option<f64>) -> String {
    crate::format::or_never(x.map(crate::format::seconds))
}

pub(super) fn sku_name(s: crate::scenario::Sku) -> &'static str {
    use crate::scenario::Sku;
    match s {
        Sku::Basic => "Basic",
        Sku::Standard => "Standard",
        Sku::PremiumV3 => "Premium v3",
        Sku::IsolatedV2 => "Isolated v2",
    }
}

pub(super) fn tier_name(t: GatewayTier) -> &'static str {
    match t {
        GatewayTier::Standard => "Standard",
        GatewayTier::Premium => "Premium",
    }
}

/// "A; b." from reasons.
pub(super) fn sentence(reasons: &[String]) -> String {
    let mut t = reasons.join("; ");
    if let Some(c) = t.get(..1) {
        t = c.to_uppercase() + &t[1..];
    }
    t.push('.');
    t
}

pub(super) fn worst(vs: &[Verdict]) -> Verdict {
    vs.iter().copied().max().unwrap_or(Verdict::Ok)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn answer(
    number: u8,
    topic: &str,
    question: &str,
    verdict: Verdict,
    summary: String,
    details: Vec<String>,
    evidence: Vec<Evidence>,
    fixes: Vec<String>,
) -> Answer {
    Answer {
        number,
        topic: topic.into(),
        question: question.into(),
        verdict,
        summary,
        details,
        evidence,
        fixes,
    }
}

pub(super) fn routing_regions(sc: &Scenario) -> Vec<String> {
    match &sc.routing {
        Routing::Direct(d) => vec![d.region.clone()],
        Routing::Dns(d) => d.endpoints.iter().map(|e| e.region.clone()).collect(),
        Routing::AnycastL7(f) => f
            .origins
            .iter()
            .filter(|o| o.enabled)
            .map(|o| o.region.clone())
            .collect(),
        Routing::AnycastL4(l) => l.backends.clone(),
    }
}

/// Faults that take a whole region away from its users.
pub(super) fn is_region_loss(kind: &str) -> bool {
    matches!(kind, "region_outage" | "network_outage")
}

/// Faults that should make the router take a region out.
pub(super) fn should_detect(kind: &str) -> bool {
    matches!(kind, "region_outage" | "network_outage" | "brown_out" | "gray_failure")
}

/// Times the majority view of a region flipped between healthy and down.
pub(super) fn view_changes(report: &Report, region: usize) -> usize {
    let v = &report.series.regions[region].healthy_view;
    let mut up = true;
    let mut n = 0;
    for &x in v {
        let now_up = x >= 0.5;
        if now_up != up {
            n += 1;
            up = now_up;
        }
    }
    n
}
