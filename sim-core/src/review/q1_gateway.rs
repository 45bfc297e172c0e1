//! Question 1: the gateway for regional routing and the CNAME, DNS and TLS migration to it.

use super::*;

pub(super) const Q1: &str = "The gateway that ingresses traffic for regional routing, and how it keeps the existing CNAME: the DNS and TLS migration steps, in order, with the zero-downtime cut-over.";

pub(super) fn q1_gateway(sc: &Scenario) -> Answer {
    let d = sc.design.clone().unwrap_or_default();
    let host = d.hostname.clone().unwrap_or_else(|| "api.<domain>".into());
    let old = d
        .current_target
        .clone()
        .unwrap_or_else(|| "<app>.azurewebsites.net".into());
    let sub = host.split('.').next().unwrap_or("api").to_string();
    let mut evidence = vec![ev("hostname", host.clone()), ev("CNAME today", old.clone())];
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    if d.hostname.is_none() || d.current_target.is_none() {
        verdict = Verdict::Missing;
        fixes.push(
            "State `design.hostname` and `design.current_target` (what the CNAME points at today) so the steps name the real records."
                .into(),
        );
    }
    let (gateway, steps) = match &sc.routing {
        Routing::Direct(r) => {
            return answer(
                1,
                "Gateway, CNAME and TLS migration",
                Q1,
                Verdict::Missing,
                format!(
                    "No gateway: {host} points straight at the {} stamp, so there is nothing to route between regions.",
                    r.region
                ),
                vec![],
                evidence,
                vec![
                    "Put Azure Front Door (routing.kind = \"anycast_l7\") in front of two regional stamps; the Front Door vs Traffic Manager comparison shows it against Traffic Manager."
                        .into(),
                ],
            )
        }
        Routing::AnycastL7(f) => {
            let tier = match d.gateway_tier {
                Some(GatewayTier::Premium) => "Premium",
                Some(GatewayTier::Standard) => "Standard",
                None => "Standard or Premium",
            };
            evidence.push(ev("gateway", format!("Azure Front Door {tier}, {} origins", f.origins.len())));
            evidence.push(ev("certificate", match d.certificate {
                Certificate::Managed => "Front Door managed (DigiCert)",
                Certificate::Byo => "your own, from Key Vault",
            }));
            let cert_step = match d.certificate {
                Certificate::Managed => "Step 3: Choose the Front Door managed certificate; if the zone has CAA records, allow digicert.com. Issuance takes minutes up to about 1 h (AZURE_FACTS §1.8).".to_string(),
                Certificate::Byo => "Step 3: Put your certificate in Key Vault and grant Front Door access to it; switching certificates takes up to about 1 h (§1.8).".to_string(),
            };
            (
                format!("Azure Front Door {tier}"),
                vec![
                    format!("Step 1: Create the Front Door profile, an endpoint (<endpoint>.z01.azurefd.net), the origin group ({}) and the health probe on {}; test it on the endpoint hostname — clients still use {old}.", f.origins.iter().map(|o| o.region.as_str()).collect::<Vec<_>>().join(", "), sc.health.path),
                    format!("Step 2: Add the custom domain {host} to the profile and create the TXT record _dnsauth.{sub} with the validation token (TTL 1 h); wait for Approved — the token times out after 7 days (§1.8)."),
                    cert_step,
                    format!("Step 4: Keep {host} bound on each App Service (its asuid.{sub} TXT record) so the origins still accept the Host header, and have Front Door forward the original host (§1.8)."),
                    "Step 5: Wait for the configuration to reach every POP (3–20 min, §1.9) and check a request through each POP's path with the real host name.".to_string(),
                    format!("Step 6: Lower the CNAME's TTL ahead of time, then point {host} at <endpoint>.z01.azurefd.net. Zero downtime: until resolvers drop the old answer, {old} keeps serving with its own certificate for {host}, and new lookups reach Front Door, which already has its certificate."),
                    format!("Step 7: Once no traffic arrives at {old} directly, lock the origins to Front Door (question 4)."),
                ],
            )
        }
        Routing::Dns(t) => {
            evidence.push(ev("gateway", format!("Azure Traffic Manager ({:?} routing, TTL {})", t.method, t.ttl)));
            (
                "Azure Traffic Manager".to_string(),
                vec![
                    format!("Step 1: Bind {host} on every regional App Service (each needs its asuid.{sub} TXT record) with a certificate for {host} in each region: Traffic Manager only answers DNS, so TLS ends at the stamps (§1.8)."),
                    format!("Step 2: Create the Traffic Manager profile (<profile>.trafficmanager.net) with one endpoint per stamp ({}) and the probe path {}.", t.endpoints.iter().map(|e| e.region.as_str()).collect::<Vec<_>>().join(", "), sc.health.path),
                    format!("Step 3: Lower the TTL of {host}'s CNAME, then point it at <profile>.trafficmanager.net. Zero downtime: the old target ({old}) stays up and is one of the endpoints."),
                    "Step 4: A CNAME chain through Traffic Manager can break managed-certificate renewal on a front end behind it (§1.8); renew per region.".to_string(),
                ],
            )
        }
        Routing::AnycastL4(l) => {
            evidence.push(ev("gateway", format!("cross-region load balancer over {}", l.backends.join(", "))));
            (
                "a cross-region load balancer".to_string(),
                vec![
                    format!("Step 1: Put a Standard load balancer in each region ({}) and a cross-region load balancer with a global anycast IP in front.", l.backends.join(", ")),
                    format!("Step 2: TLS ends at the stamps (a layer-4 balancer does not terminate it): bind {host} with a certificate on each."),
                    format!("Step 3: Replace the CNAME to {old} by a CNAME to the global frontend's DNS label (or an A record to its IP), after lowering the TTL."),
                ],
            )
        }
    };
    if matches!(sc.routing, Routing::AnycastL7(_)) && host.starts_with("*.") && d.certificate == Certificate::Managed {
        verdict = worst(&[verdict, Verdict::Risk]);
        fixes.push(
            "Front Door has no managed certificates for wildcard domains (§1.8): bring your own certificate.".into(),
        );
    }
    let summary = match verdict {
        Verdict::Ok => format!("{gateway} ingresses {host}; the CNAME moves from {old} to the gateway after the domain is validated, with no downtime."),
        Verdict::Risk => format!("{gateway} ingresses {host}, but the certificate plan does not work as stated."),
        Verdict::Missing => format!("{gateway} ingresses the API; the hostname and today's CNAME target are not stated."),
    };
    answer(
        1,
        "Gateway, CNAME and TLS migration",
        Q1,
        verdict,
        summary,
        steps,
        evidence,
        fixes,
    )
}
