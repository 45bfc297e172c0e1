//! Question 4: WAF and origin lock — whether clients can reach an origin directly, and what is blocked.

use super::*;

pub(super) const Q4: &str =
    "WAF and origin lock: can a client reach a regional origin directly (bypass), and what is blocked.";

pub(super) fn q4_waf(sc: &Scenario, report: &Report) -> Answer {
    let d = sc.design.clone().unwrap_or_default();
    let mut details = Vec::new();
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    let bypass_v = bypass_evidence(sc, report, &mut details, &mut evidence, &mut fixes, &mut reasons);
    let attack_v = attack_evidence(report, &mut evidence, &mut fixes, &mut reasons);
    let Routing::AnycastL7(_) = &sc.routing else {
        details.push("The origins are public by design: clients resolve or route straight to each stamp, so every client can reach a regional origin, and nothing sits in the path to filter it.".into());
        evidence.push(ev("router", report_routing_name(&sc.routing)));
        fixes.push("Use Front Door (WAF at the edge, origins locked to it, §1.6–§1.7), or put a WAF (Application Gateway) in front of each stamp.".into());
        return answer(
            4,
            "WAF and origin lock",
            Q4,
            Verdict::Risk,
            "No gateway in the request path: nothing to lock the origins to, no central WAF.".into(),
            details,
            evidence,
            fixes,
        );
    };
    let premium = d.gateway_tier == Some(GatewayTier::Premium);
    let lock_v = match d.origin_lock {
        None => {
            fixes.push("State `design.origin_lock`: service_tag_and_header (access restriction to AzureFrontDoor.Backend plus the X-Azure-FDID header) or private_link (Premium).".into());
            Verdict::Missing
        }
        Some(OriginLock::None) => {
            reasons.push("any client can call the origins directly, around the gateway".into());
            details.push("Bypass: anyone who finds <app>.azurewebsites.net calls the origin directly — no WAF, no rate limit, and a client pinned to a regional hostname never fails over.".into());
            fixes.push("Add an App Service access restriction for the AzureFrontDoor.Backend service tag with an X-Azure-FDID header filter set to this profile's ID (§1.7, §4.5): everything else gets HTTP 403.".into());
            Verdict::Risk
        }
        Some(OriginLock::ServiceTag) => {
            reasons.push("other tenants' Front Door profiles can still reach the origins".into());
            details.push("Partly locked: the AzureFrontDoor.Backend service tag admits every Front Door profile, including other tenants', so a bypass through someone else's profile still works.".into());
            fixes.push("Add the X-Azure-FDID header filter with this profile's ID (§1.7).".into());
            Verdict::Risk
        }
        Some(OriginLock::ServiceTagAndHeader) => {
            details.push("Locked: only requests from the AzureFrontDoor.Backend service tag carrying this profile's X-Azure-FDID reach the origins; direct calls and other profiles get HTTP 403 from the App Service front end (§4.5). Allow 168.63.129.16 and 169.254.169.254 if filtering by IP (§1.7).".into());
            Verdict::Ok
        }
        Some(OriginLock::PrivateLink) if premium => {
            details.push("Locked: Front Door reaches the origins over Private Link and the origins have no public endpoint at all (§1.7).".into());
            Verdict::Ok
        }
        Some(OriginLock::PrivateLink) => {
            reasons.push("Private Link needs Front Door Premium".into());
            details.push(
                "Private Link to the origins is Premium only (§1.7); on this tier it cannot be configured.".into(),
            );
            fixes.push("Move Front Door to Premium, or lock with the service tag plus X-Azure-FDID header.".into());
            Verdict::Risk
        }
    };
    evidence.push(ev(
        "origin lock",
        d.origin_lock.map_or("not stated", |l| match l {
            OriginLock::None => "none",
            OriginLock::ServiceTag => "service_tag",
            OriginLock::ServiceTagAndHeader => "service_tag_and_header",
            OriginLock::PrivateLink => "private_link",
        }),
    ));
    let waf_v = match d.waf {
        None => {
            fixes.push("State `design.waf`: managed_rules (Premium) or custom_rules (rate limits only).".into());
            Verdict::Missing
        }
        Some(Waf::Off) => {
            reasons.push("no WAF filters what comes through".into());
            details.push("No WAF: injection attempts and floods reach the stamps.".into());
            fixes.push("Attach a WAF policy: managed rule sets need Premium (§1.6); Standard still has custom rules and rate limits.".into());
            Verdict::Risk
        }
        Some(Waf::CustomRules) => {
            details.push("WAF custom rules: IP/geo filters and rate limits (1- or 5-minute windows, counted per Front Door server, so thresholds under ~200 req/min leak, §1.6); no managed rule set, so payload attacks are not blocked.".into());
            Verdict::Ok
        }
        Some(Waf::ManagedRules) if premium => {
            details.push("WAF managed rule sets (DRS 2.x) and bot protection block known attack payloads at the edge; custom rules add rate limits (§1.6).".into());
            Verdict::Ok
        }
        Some(Waf::ManagedRules) => {
            reasons.push("WAF managed rules need Front Door Premium".into());
            details.push("WAF managed rule sets are Premium only (§1.6): on this tier only custom rules apply.".into());
            fixes.push("Move Front Door to Premium for managed rules, or plan on custom rules only.".into());
            Verdict::Risk
        }
    };
    evidence.push(ev(
        "WAF",
        d.waf.map_or("not stated", |w| match w {
            Waf::Off => "off",
            Waf::CustomRules => "custom_rules",
            Waf::ManagedRules => "managed_rules",
        }),
    ));
    evidence.push(ev("tier", d.gateway_tier.map_or("not stated", tier_name)));
    let verdict = worst(&[lock_v, waf_v, bypass_v, attack_v]);
    let summary = match verdict {
        Verdict::Ok => "Clients cannot bypass Front Door, and the WAF filters what comes through it.".into(),
        Verdict::Risk => sentence(&reasons),
        Verdict::Missing => "The origin lock or the WAF is not stated.".into(),
    };
    answer(4, "WAF and origin lock", Q4, verdict, summary, details, evidence, fixes)
}

/// What the runs' traffic around the router did (populations' `bypass_share`).
pub(super) fn bypass_evidence(
    sc: &Scenario,
    report: &Report,
    details: &mut Vec<String>,
    evidence: &mut Vec<Evidence>,
    fixes: &mut Vec<String>,
    reasons: &mut Vec<String>,
) -> Verdict {
    let Some(b) = report.summary.bypass.as_ref().filter(|b| b.requests > 0) else {
        details.push("The runs send no traffic around the gateway (set populations[].bypass_share for clients still calling a regional hostname).".into());
        return Verdict::Ok;
    };
    let old = sc
        .design
        .as_ref()
        .and_then(|d| d.current_target.clone())
        .unwrap_or_else(|| format!("{}'s own hostname", b.region));
    evidence.push(ev(
        &format!("requests straight to {old} in the runs"),
        format!(
            "{} ({:.1} /s): {} refused by the lock, {} served past the gateway, {} failed ({} while {} was down)",
            b.requests,
            b.requests as f64 / report.duration_s.max(1e-9),
            b.blocked,
            b.served,
            b.failed,
            b.failed_region_down,
            b.region
        ),
    ));
    if b.blocked > 0 {
        reasons.push(format!("{} requests still call {old} and get 403", b.blocked));
        fixes.push(format!(
            "Clients still call {old} directly: move them to the gateway's hostname (question 1, step 7) before the lock refuses them."
        ));
    }
    if b.served + b.failed > 0 {
        reasons.push(format!(
            "{} requests reached {} around the gateway",
            b.served + b.failed,
            b.region
        ));
        fixes.push(format!(
            "Requests to {old} skip the WAF and never fail over ({} failed while {} was down): lock the origins and move those clients to the gateway.",
            b.failed_region_down, b.region
        ));
    }
    Verdict::Risk
}

/// What the runs' attack traffic did (populations' `attack_share`).
pub(super) fn attack_evidence(
    report: &Report,
    evidence: &mut Vec<Evidence>,
    fixes: &mut Vec<String>,
    reasons: &mut Vec<String>,
) -> Verdict {
    let Some(a) = report.summary.attacks.as_ref().filter(|a| a.requests > 0) else {
        return Verdict::Ok;
    };
    evidence.push(ev(
        "attack requests in the runs",
        format!(
            "{} ({:.1} /s): {} blocked at the edge, {} reached a stamp",
            a.requests,
            a.requests as f64 / report.duration_s.max(1e-9),
            a.blocked_at_edge,
            a.reached_origin
        ),
    ));
    if a.reached_origin == 0 {
        return Verdict::Ok;
    }
    reasons.push(format!("{} attack requests reached the stamps", a.reached_origin));
    fixes.push("Attack payloads reach the stamps and take their workers: WAF managed rule sets (DRS 2.x) on Front Door Premium block them at the edge (§1.6).".into());
    Verdict::Risk
}

pub(super) fn report_routing_name(r: &Routing) -> String {
    match r {
        Routing::Direct(_) => "direct (no router)".into(),
        Routing::Dns(_) => "DNS (Traffic Manager)".into(),
        Routing::AnycastL7(_) => "Front Door".into(),
        Routing::AnycastL4(_) => "cross-region load balancer (layer 4)".into(),
    }
}
