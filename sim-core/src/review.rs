//! The design review: the nine questions of the design brief answered from a
//! scenario and its runs, each with a verdict ([`Verdict`]: ok, risk or
//! missing), the evidence (numbers from the runs and the facts sheet) and what
//! to change.
//!
//! The review is a pure function of a scenario and its report
//! ([`review`]). Question 9 also needs a search over runs — how many instances
//! the surviving regions need to keep the SLO once they carry everything —
//! which [`HeadroomSearch`] drives one run at a time, so the CLI can loop over
//! it and the web app can run each candidate without blocking the page.
//! [`run`] does both.
//!
//! ```
//! use regionsim::{bundled_by_name, review, Scenario, SimDuration};
//!
//! let mut sc = Scenario::parse(bundled_by_name("single-region-before").unwrap().text).unwrap();
//! sc.duration = SimDuration::from_mins(2);
//! sc.faults.clear();
//! let r = review::run(&sc).unwrap();
//! assert_eq!(r.answers.len(), 9);
//! // A single region has no gateway for regional routing.
//! assert_eq!(r.answers[0].verdict, review::Verdict::Missing);
//! ```

use crate::metrics::report::{CostSummary, FaultSummary, Report};
use crate::model::geo;
use crate::scenario::{
    Certificate, GatewayTier, HealthDepth, OriginLock, Routing, Scenario, ScenarioError, Waf, WriteMode,
};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// How a question stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// The design answers it and the runs agree.
    Ok,
    /// The design answers it, but the runs or the facts show a problem.
    Risk,
    /// The design does not answer it (or the scenario does not say).
    Missing,
}

impl Verdict {
    /// Lower-case name (`ok`, `risk`, `missing`).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Risk => "risk",
            Verdict::Missing => "missing",
        }
    }
}

/// One number or fact behind a verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Evidence {
    /// What it is.
    pub label: String,
    /// Its value, with units.
    pub value: String,
}

/// The answer to one question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Answer {
    /// 1–9, in the brief's order.
    pub number: u8,
    /// Short title.
    pub topic: String,
    /// The question as the brief asks it.
    pub question: String,
    /// How it stands.
    pub verdict: Verdict,
    /// One sentence.
    pub summary: String,
    /// The answer: findings, or steps in order.
    pub details: Vec<String>,
    /// Numbers from the runs and the facts sheet.
    pub evidence: Vec<Evidence>,
    /// What to change (empty when nothing needs to).
    pub fixes: Vec<String>,
}

/// One run of the headroom search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HeadroomRun {
    /// Instances added to each survivor's floor.
    pub extra: u32,
    /// The survivors' floors (`instances.min`) in that run.
    pub min_instances: Vec<u32>,
    /// Share of the survivors' tries without a capacity failure during the
    /// fault: the worst over the seeds.
    pub availability: Option<f64>,
    /// Monthly cost of that run's design, if the scenario has prices.
    pub monthly_cost: Option<f64>,
}

/// What the headroom search found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Headroom {
    /// The region that failed.
    pub failed_region: String,
    /// The regions that carried its traffic.
    pub survivors: Vec<String>,
    /// The objective.
    pub slo: f64,
    /// The largest extra floor the plans allow (SKU cap).
    pub max_extra: u32,
    /// Every run, in the order tried (the scenario as written first).
    pub runs: Vec<HeadroomRun>,
    /// The smallest extra floor that kept the SLO (0: as written), if any did.
    pub needed_extra: Option<u32>,
    /// Seeds each candidate ran on; a run's availability is the worst of them.
    pub seeds: u32,
}

/// Version of the review's JSON layout (`docs/report-schema.md`).
pub const REVIEW_SCHEMA_VERSION: u32 = 1;

/// The whole review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Review {
    /// [`REVIEW_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Seed of the runs.
    pub seed: u64,
    /// Routing kind.
    pub routing: String,
    /// The nine answers.
    pub answers: Vec<Answer>,
    /// Monthly cost of the design as written, if the scenario has prices.
    pub cost: Option<CostSummary>,
    /// The headroom search behind question 9, if it ran.
    pub headroom: Option<Headroom>,
}

impl Review {
    /// How many answers have each verdict: (ok, risk, missing).
    pub fn tally(&self) -> (usize, usize, usize) {
        let n = |v| self.answers.iter().filter(|a| a.verdict == v).count();
        (n(Verdict::Ok), n(Verdict::Risk), n(Verdict::Missing))
    }

    /// Readable text for a terminal.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let (ok, risk, missing) = self.tally();
        let _ = writeln!(
            o,
            "Design review: {} (seed {}, {})\n{ok} ok, {risk} risk, {missing} missing\n",
            self.scenario, self.seed, self.routing
        );
        for a in &self.answers {
            let _ = writeln!(o, "{}. {} [{}]", a.number, a.topic, a.verdict.name().to_uppercase());
            let _ = writeln!(o, "   {}", a.summary);
            for d in &a.details {
                let _ = writeln!(o, "   - {d}");
            }
            if !a.evidence.is_empty() {
                let _ = writeln!(o, "   evidence:");
                for e in &a.evidence {
                    let _ = writeln!(o, "     {}: {}", e.label, e.value);
                }
            }
            for f in &a.fixes {
                let _ = writeln!(o, "   fix: {f}");
            }
            o.push('\n');
        }
        if let Some(c) = &self.cost {
            let _ = writeln!(
                o,
                "Monthly cost (example prices): {:.0} {} = compute {:.0} + router {:.0} + database {:.0} + egress {:.0}",
                c.total, c.currency, c.compute, c.gateway, c.database, c.egress
            );
        }
        o
    }

    /// Markdown for design documents.
    pub fn to_markdown(&self) -> String {
        let mut o = String::new();
        let (ok, risk, missing) = self.tally();
        let _ = writeln!(o, "# Design review: {}\n", md(&self.scenario));
        let _ = writeln!(
            o,
            "Routing `{}`, seed {}. **{ok} ok, {risk} risk, {missing} missing.**\n",
            self.routing, self.seed
        );
        let _ = writeln!(o, "| # | Question | Verdict |\n|---|---|---|");
        for a in &self.answers {
            let _ = writeln!(o, "| {} | {} | {} |", a.number, md(&a.topic), a.verdict.name());
        }
        o.push('\n');
        for a in &self.answers {
            let _ = writeln!(o, "## {}. {} — {}\n", a.number, md(&a.topic), a.verdict.name());
            let _ = writeln!(o, "> {}\n", md(&a.question));
            let _ = writeln!(o, "{}\n", md(&a.summary));
            let numbered = a.details.iter().any(|d| d.starts_with("Step "));
            for (i, d) in a.details.iter().enumerate() {
                if numbered {
                    let _ = writeln!(o, "{}. {}", i + 1, md(d.split_once(": ").map_or(d.as_str(), |x| x.1)));
                } else {
                    let _ = writeln!(o, "- {}", md(d));
                }
            }
            if !a.details.is_empty() {
                o.push('\n');
            }
            if !a.evidence.is_empty() {
                let _ = writeln!(o, "| Evidence | Value |\n|---|---|");
                for e in &a.evidence {
                    let _ = writeln!(o, "| {} | {} |", md(&e.label), md(&e.value));
                }
                o.push('\n');
            }
            if !a.fixes.is_empty() {
                let _ = writeln!(o, "**What to change**\n");
                for f in &a.fixes {
                    let _ = writeln!(o, "- {}", md(f));
                }
                o.push('\n');
            }
        }
        if let Some(c) = &self.cost {
            let _ = writeln!(
                o,
                "## Monthly cost (example prices)\n\n| Compute | Router | Database | Egress | Total |\n|---|---|---|---|---|\n| {:.0} | {:.0} | {:.0} | {:.0} | **{:.0} {}** |",
                c.compute, c.gateway, c.database, c.egress, c.total, c.currency
            );
        }
        o
    }
}

/// Text made safe for one Markdown table cell or line: `|` escaped, line
/// breaks and other control characters as spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Reviews `scenario` from the base run's `report` and, for question 9, the
/// headroom search's result (without it, question 9 judges the run alone).
pub fn review(sc: &Scenario, report: &Report, headroom: Option<&Headroom>) -> Review {
    let answers = vec![
        q1_gateway(sc),
        q2_routing(sc, report),
        q3_health(sc, report),
        q4_waf(sc, report),
        q5_sku(sc, report),
        q6_singletons(sc, report),
        q7_logging(sc, report),
        q8_second_region(sc),
        q9_survivor(sc, report, headroom),
    ];
    Review {
        schema_version: REVIEW_SCHEMA_VERSION,
        scenario: sc.name.clone(),
        seed: sc.seed,
        routing: report.routing.clone(),
        answers,
        cost: report.summary.cost.clone(),
        headroom: headroom.cloned(),
    }
}

/// Runs `scenario`, searches for the headroom question 9 needs, and reviews it.
pub fn run(sc: &Scenario) -> Result<Review, ScenarioError> {
    run_with(sc, 1, |_| {}, |batch| batch.iter().map(crate::simulate).collect())
}

/// [`run`] on `seeds` seeds (the scenario's, then the next ones), calling
/// `progress(n)` before the `n`-th round of runs (the scenario as written is
/// round 1) and `simulate_all` to run each round — one scenario per seed, so
/// a caller with threads can run them in parallel. Questions 1–8 read the
/// run on the scenario's own seed; question 9's headroom counts each
/// candidate by its worst seed.
pub fn run_with(
    sc: &Scenario,
    seeds: u32,
    mut progress: impl FnMut(usize),
    mut simulate_all: impl FnMut(&[Scenario]) -> Result<Vec<Report>, ScenarioError>,
) -> Result<Review, ScenarioError> {
    let batch: Vec<Scenario> = crate::compare::seeds(sc.seed, seeds.max(1))
        .into_iter()
        .map(|seed| Scenario { seed, ..sc.clone() })
        .collect();
    progress(1);
    let reports = simulate_all(&batch)?;
    // `simulate_all` returns one report per scenario; run it here if not.
    let first = match reports.first() {
        Some(r) => r.clone(),
        None => crate::simulate(sc)?,
    };
    let mut search = HeadroomSearch::with_seeds(sc, &reports);
    if let Some(s) = &mut search {
        loop {
            let candidates = s.next_scenarios();
            if candidates.is_empty() {
                break;
            }
            progress(s.runs() + 1);
            s.record_runs(&simulate_all(&candidates)?);
        }
    }
    let headroom = search.map(|s| s.result());
    Ok(review(sc, &first, headroom.as_ref()))
}

// ----- helpers -----

fn ev(label: &str, value: impl Into<String>) -> Evidence {
    Evidence {
        label: label.to_string(),
        value: value.into(),
    }
}

fn pct(x: f64) -> String {
    if (0.999..1.0).contains(&x) {
        format!("{:.3} %", x * 100.0)
    } else {
        format!("{:.1} %", x * 100.0)
    }
}

fn secs(x: Option<f64>) -> String {
    x.map_or("never".to_string(), |s| format!("{s:.0} s"))
}

fn sku_name(s: crate::scenario::Sku) -> &'static str {
    use crate::scenario::Sku;
    match s {
        Sku::Basic => "Basic",
        Sku::Standard => "Standard",
        Sku::PremiumV3 => "Premium v3",
        Sku::IsolatedV2 => "Isolated v2",
    }
}

fn tier_name(t: GatewayTier) -> &'static str {
    match t {
        GatewayTier::Standard => "Standard",
        GatewayTier::Premium => "Premium",
    }
}

/// "A; b." from reasons.
fn sentence(reasons: &[String]) -> String {
    let mut t = reasons.join("; ");
    if let Some(c) = t.get(..1) {
        t = c.to_uppercase() + &t[1..];
    }
    t.push('.');
    t
}

fn worst(vs: &[Verdict]) -> Verdict {
    vs.iter().copied().max().unwrap_or(Verdict::Ok)
}

#[allow(clippy::too_many_arguments)]
fn answer(
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

fn routing_regions(sc: &Scenario) -> Vec<String> {
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
fn is_region_loss(kind: &str) -> bool {
    matches!(kind, "region_outage" | "network_outage")
}

/// Faults that should make the router take a region out.
fn should_detect(kind: &str) -> bool {
    matches!(kind, "region_outage" | "network_outage" | "brown_out" | "gray_failure")
}

/// Times the majority view of a region flipped between healthy and down.
fn view_changes(report: &Report, region: usize) -> usize {
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

// ----- 1. gateway, CNAME, TLS -----

const Q1: &str = "The gateway that ingresses traffic for regional routing, and how it keeps the existing CNAME: the DNS and TLS migration steps, in order, with the zero-downtime cut-over.";

fn q1_gateway(sc: &Scenario) -> Answer {
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
                    "Put Azure Front Door (routing.kind = \"anycast_l7\") in front of two regional stamps; `regionsim compare` shows it against Traffic Manager."
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

// ----- 2. routing rules -----

const Q2: &str =
    "The routing rules in place and why (priorities, weights, latency sensitivity), and what they did in the runs.";

fn q2_routing(sc: &Scenario, report: &Report) -> Answer {
    let mut details = Vec::new();
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    let mut verdict = Verdict::Ok;
    match &sc.routing {
        Routing::Direct(r) => {
            return answer(
                2,
                "Routing rules",
                Q2,
                Verdict::Missing,
                format!("No routing rules: every request goes to {}.", r.region),
                vec![],
                vec![],
                vec!["Add a global router with two or more origins (see question 1).".into()],
            )
        }
        Routing::AnycastL7(f) => {
            for o in &f.origins {
                details.push(format!(
                    "origin {}: priority {}, weight {}{}",
                    o.region,
                    o.priority,
                    o.weight,
                    if o.enabled { "" } else { ", disabled" }
                ));
            }
            let prios: std::collections::BTreeSet<u32> = f.origins.iter().map(|o| o.priority).collect();
            details.push(format!(
                "{}; latency sensitivity {} — origins within that much of the fastest share traffic by weight (AZURE_FACTS §1.2).",
                if prios.len() == 1 {
                    "one priority: active-active".to_string()
                } else {
                    "several priorities: lower-priority origins are standby".to_string()
                },
                f.latency_sensitivity
            ));
        }
        Routing::Dns(t) => {
            details.push(format!("{:?} routing, TTL {} (§2).", t.method, t.ttl));
            for e in &t.endpoints {
                details.push(format!(
                    "endpoint {}: priority {}, weight {}",
                    e.region,
                    e.priority.map_or("auto".into(), |p| p.to_string()),
                    e.weight
                ));
            }
        }
        Routing::AnycastL4(l) => {
            details.push(format!(
                "clients go to the nearest healthy regional frontend among {} (§3).",
                l.backends.join(", ")
            ));
        }
    }
    // Where each population's tries went before the first fault.
    let s = &report.series;
    let nb = s.time_s.len();
    let first_fault = report
        .summary
        .faults
        .iter()
        .map(|f| f.start_s)
        .fold(f64::INFINITY, f64::min);
    let until = s.time_s.iter().position(|&t| t >= first_fault).unwrap_or(nb);
    let places: Vec<Option<&geo::Place>> = sc.regions.iter().map(|r| geo::region_place(&r.name)).collect();
    for (pi, ps) in s.populations.iter().enumerate() {
        let tot: u64 = ps.tries[..until].iter().map(|&x| x as u64).sum();
        if tot == 0 {
            continue;
        }
        let shares: Vec<f64> = ps
            .tries_by_region
            .iter()
            .map(|v| v[..until].iter().map(|&x| x as u64).sum::<u64>() as f64 / tot as f64)
            .collect();
        let text: Vec<String> = shares
            .iter()
            .enumerate()
            .filter(|(_, &x)| x >= 0.005)
            .map(|(r, &x)| format!("{} {}", s.regions[r].name, pct(x)))
            .collect();
        evidence.push(ev(&format!("{} tries (before faults)", ps.name), text.join(", ")));
        // Far routing: a quarter of the tries to a region ≥ 20 ms farther than the nearest.
        let loc = sc.populations.get(pi).and_then(|p| geo::place(&p.location));
        if let Some(loc) = loc {
            let rtts: Vec<f64> = places
                .iter()
                .map(|p| p.map_or(f64::INFINITY, |p| crate::model::geo::rtt_between(&sc.rtt, loc, p)))
                .collect();
            let best = rtts.iter().copied().fold(f64::INFINITY, f64::min);
            let far: f64 = shares
                .iter()
                .zip(&rtts)
                .filter(|(_, &r)| r - best >= 20.0)
                .map(|(x, _)| x)
                .sum();
            if far >= 0.25 {
                verdict = worst(&[verdict, Verdict::Risk]);
                reasons.push(format!("{} of {}'s tries go to a farther region", pct(far), ps.name));
                evidence.push(ev(
                    &format!("{} sent far", ps.name),
                    format!("{} of tries to a region ≥ 20 ms farther than its nearest", pct(far)),
                ));
                fixes.push(format!(
                    "{}: send clients to their nearest region (performance routing, or a latency sensitivity below the RTT gap).",
                    ps.name
                ));
            }
        }
    }
    let mut faults_seen = false;
    for f in report
        .summary
        .faults
        .iter()
        .filter(|f| should_detect(&f.kind) && f.pre_fault_share > 0.01)
    {
        faults_seen = true;
        evidence.push(ev(
            &format!("{} {} at {:.0} s: traffic moved off", f.kind, f.target, f.start_s),
            f.time_to_mitigate_s
                .map_or("never (≥ 1 % still reached it until it recovered)".into(), |m| {
                    format!("after {m:.0} s (< 1 % of tries still reaching it)")
                }),
        ));
        if f.time_to_mitigate_s.is_none() {
            verdict = worst(&[verdict, Verdict::Risk]);
            reasons.push(format!(
                "traffic kept reaching the failed {} until it recovered",
                f.target
            ));
            fixes.push(format!(
                "Traffic kept reaching the failed {} for the whole fault: {}.",
                f.target,
                match sc.routing {
                    Routing::Dns(_) => "DNS routing cannot move clients that cache answers or keep connections (AZURE_FACTS §7); Front Door moves them inside its POPs",
                    _ => "make the health check see this failure (question 3)",
                }
            ));
        }
    }
    if !faults_seen {
        details.push("No region failure in the runs: they show normal routing only.".into());
    }
    let summary = match verdict {
        Verdict::Ok => {
            "The rules send each population where intended, and traffic left the failed region in the runs.".into()
        }
        _ => sentence(&reasons),
    };
    answer(2, "Routing rules", Q2, verdict, summary, details, evidence, fixes)
}

// ----- 3. health checks -----

const Q3: &str = "The health check's role: path, shallow or deep, what the probes saw; whether \"region is down\" and \"region is back\" are automated; how long each took in the runs; what prevents flapping.";

fn q3_health(sc: &Scenario, report: &Report) -> Answer {
    let h = &sc.health;
    let mut details = vec![format!(
        "Path {}, {} check ({}).",
        h.path,
        match h.depth {
            HealthDepth::Deep => "deep",
            HealthDepth::Shallow => "shallow",
        },
        match h.depth {
            HealthDepth::Deep => "the stamp and its dependencies: data replica, singletons (AZURE_FACTS §8)",
            HealthDepth::Shallow => "the process only: dependency failures stay invisible",
        }
    )];
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    let expected_max: f64;
    let (rule, anti_flap) = match &sc.routing {
        Routing::Direct(_) => {
            return answer(
                3,
                "Health checks",
                Q3,
                Verdict::Missing,
                "No router probes the stamp: \"region is down\" and \"region is back\" are a person changing DNS."
                    .into(),
                details,
                vec![],
                vec!["Add a global router that probes a stamp-level health endpoint (§8).".into()],
            )
        }
        Routing::AnycastL7(f) => {
            let b = crate::model::probes::front_door_detection(
                f.probe_interval,
                f.sample_size,
                f.successful_samples,
                f.probe_timeout,
            );
            evidence.push(ev(
                "expected detection per POP (§9)",
                format!("{:.0}–{:.0} s", b.min.as_secs_f64(), b.max.as_secs_f64()),
            ));
            expected_max = b.max.as_secs_f64();
            (
                format!(
                    "every POP probes every {}, an origin is down when fewer than {} of the last {} probes succeed (§1.3)",
                    f.probe_interval, f.successful_samples, f.sample_size
                ),
                format!(
                    "the sliding window: one lost probe does not take an origin out, and it returns only after {} good samples",
                    f.successful_samples
                ),
            )
        }
        Routing::Dns(t) => {
            let b = crate::model::probes::traffic_manager_detection(
                t.probe_interval,
                t.tolerated_failures,
                t.probe_timeout,
            );
            expected_max = b.max.as_secs_f64();
            evidence.push(ev(
                "expected detection (§2)",
                format!(
                    "{:.0}–{:.0} s, plus TTL {} and stale resolvers",
                    b.min.as_secs_f64(),
                    b.max.as_secs_f64(),
                    t.ttl
                ),
            ));
            (
                format!(
                    "{} monitoring locations probe every {}; a location sees the endpoint failed after {} consecutive failures (§2), and it is {} (assumed: §2 does not say how locations combine)",
                    t.monitoring_locations.len(),
                    t.probe_interval,
                    t.tolerated_failures + 1,
                    t.degraded_when.describe(t.monitoring_locations.len())
                ),
                format!("{} tolerated failures before Degraded", t.tolerated_failures),
            )
        }
        Routing::AnycastL4(l) => {
            expected_max = l.regional_probe_interval.as_secs_f64() * (l.probe_threshold as f64 + 1.0)
                + l.global_probe_interval.as_secs_f64();
            (
            format!(
                "regional probes every {}, {} consecutive failures take a region out; the global balancer polls every {} (§3)",
                l.regional_probe_interval, l.probe_threshold, l.global_probe_interval
            ),
            format!("{} consecutive failures needed", l.probe_threshold),
        )
        }
    };
    details.push(format!("Rule: {rule}."));
    details.push("\"Region is down\" and \"region is back\" are both automated: probing continues during the outage and the region returns when its probes pass.".into());
    details.push(format!("Flapping is held off by {anti_flap}."));
    let mut reasons: Vec<String> = Vec::new();
    let mut relevant = 0;
    for f in &report.summary.faults {
        if should_detect(&f.kind) && f.pre_fault_share > 0.01 {
            relevant += 1;
            evidence.push(ev(
                &format!("{} {}: marked down (first / majority / all)", f.kind, f.target),
                format!(
                    "{} / {} / {}",
                    secs(f.time_to_detect_first_s),
                    secs(f.time_to_detect_majority_s),
                    secs(f.time_to_detect_all_s)
                ),
            ));
            evidence.push(ev(
                &format!("{} {}: back after recovery / traffic back", f.kind, f.target),
                format!("{} / {}", secs(f.time_to_recover_s), secs(f.time_to_fail_back_s)),
            ));
            // Never, or so late (over twice the rule's worst case) that the
            // probes saw the overload the failure caused, not the failure.
            let late = f.time_to_detect_majority_s.is_none_or(|d| d > 2.0 * expected_max);
            if late {
                verdict = worst(&[verdict, Verdict::Risk]);
                reasons.push(format!(
                    "the probes were late to see the {} in {}",
                    f.kind.replace('_', " "),
                    f.target
                ));
                fixes.push(format!(
                    "The probes {} the {} in {}: {}",
                    match f.time_to_detect_majority_s {
                        None => "never saw".to_string(),
                        Some(d) => format!("took {d:.0} s (over twice the {expected_max:.0} s the rule needs) to see"),
                    },
                    f.kind.replace('_', " "),
                    f.target,
                    if h.depth == HealthDepth::Shallow {
                        "make the health endpoint deep (check the dependencies the requests need, §4.4, §8)."
                    } else {
                        "make the endpoint exercise what user requests exercise, or alert on the user error rate."
                    }
                ));
            }
        }
    }
    // A survivor marked down by some routers while it carried everything:
    // its probes waited behind user requests, and a router that sees every
    // origin down fails open (Front Door, §1.3) — back to the dead region.
    if let Some((_, f)) = region_loss(report) {
        let range = fault_buckets(report, f);
        for r in survivors_of(sc, report, &f.target) {
            let hv = &report.series.regions[r].healthy_view[range.clone()];
            let low = hv.iter().copied().fold(1.0f32, f32::min);
            if low < 1.0 {
                let n = hv.iter().filter(|&&x| x < 1.0).count();
                verdict = worst(&[verdict, Verdict::Risk]);
                reasons.push(format!(
                    "routers marked the surviving {} down while it ran hot",
                    report.series.regions[r].name
                ));
                evidence.push(ev(
                    &format!(
                        "{} marked down while it carried everything",
                        report.series.regions[r].name
                    ),
                    format!(
                        "by up to {} of routers, for {:.0} s of the fault",
                        pct(1.0 - low as f64),
                        n as f64 * report.bucket_s
                    ),
                ));
                fixes.push(format!(
                    "{}'s probes queued behind user requests while it ran hot (timed out, or refused by full queues), so routers that saw every origin down sent traffic anywhere, including the dead {}: give it headroom (question 9) or answer the health endpoint ahead of the request queue.",
                    report.series.regions[r].name, f.target
                ));
            }
        }
    }
    // Every region marked down at once: the deep check's common-cause trap.
    let s = &report.series;
    if s.regions.len() > 1 {
        let all_down = (0..s.time_s.len())
            .filter(|&b| s.regions.iter().all(|r| r.healthy_view[b] < 0.5))
            .count();
        if all_down > 0 {
            verdict = worst(&[verdict, Verdict::Risk]);
            reasons.push("the deep check marked every region down at once".into());
            evidence.push(ev(
                "every region marked down at once",
                format!("{:.0} s", all_down as f64 * report.bucket_s),
            ));
            fixes.push("A shared dependency in the deep check marked every stamp down at once: leave singletons with a replica out of the deep check, or degrade instead of failing the probe (§8).".into());
        }
    }
    for (r, rs) in s.regions.iter().enumerate() {
        let n = view_changes(report, r);
        let faults_here = report
            .summary
            .faults
            .iter()
            .filter(|f| f.target == rs.name || f.kind == "singleton_outage")
            .count();
        if n > 0 {
            evidence.push(ev(&format!("{} health view changes", rs.name), n.to_string()));
        }
        if n > 2 * faults_here + 2 {
            verdict = worst(&[verdict, Verdict::Risk]);
            reasons.push(format!("{} flapped", rs.name));
            fixes.push(format!(
                "{} flapped ({n} view changes for {faults_here} faults): require more successful samples or tolerate more failures.",
                rs.name
            ));
        }
    }
    if relevant == 0 && verdict == Verdict::Ok {
        verdict = Verdict::Missing;
        fixes.push(
            "No fault in the runs: add a region_outage (or a gray_failure) to measure detection and recovery.".into(),
        );
    }
    let summary = match verdict {
        Verdict::Ok => "Probes took the failed region out and brought it back automatically, without flapping.".into(),
        Verdict::Risk => sentence(&reasons),
        Verdict::Missing => "The rules are set, but no fault in the runs shows them working.".into(),
    };
    answer(3, "Health checks", Q3, verdict, summary, details, evidence, fixes)
}

// ----- 4. WAF and origin lock -----

const Q4: &str = "WAF and origin lock: can a client reach a regional origin directly (bypass), and what is blocked.";

fn q4_waf(sc: &Scenario, report: &Report) -> Answer {
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
fn bypass_evidence(
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
fn attack_evidence(
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

fn report_routing_name(r: &Routing) -> String {
    match r {
        Routing::Direct(_) => "direct (no router)".into(),
        Routing::Dns(_) => "DNS (Traffic Manager)".into(),
        Routing::AnycastL7(_) => "Front Door".into(),
        Routing::AnycastL4(_) => "cross-region load balancer (layer 4)".into(),
    }
}

// ----- 5. SKU -----

const Q5: &str = "SKU changes: the plan's max instances against the survivor's peak need; the gateway tier that WAF managed rules or Private Link need.";

/// Worker time per request, seconds: the service time plus the database
/// calls it makes (reads and writes weighted by the populations' write share).
fn worker_seconds(sc: &Scenario, region: usize) -> f64 {
    let mut s = sc.regions[region].service_time.mean().as_secs_f64();
    if let Some(d) = &sc.data {
        let total: f64 = sc.populations.iter().map(|p| p.rate.peak_rps()).sum();
        let w = if total > 0.0 {
            sc.populations
                .iter()
                .map(|p| p.rate.peak_rps() * p.write_share)
                .sum::<f64>()
                / total
        } else {
            0.0
        };
        s += (1.0 - w) * d.read_latency.as_secs_f64() + w * d.write_latency.as_secs_f64();
    }
    s
}

fn q5_sku(sc: &Scenario, report: &Report) -> Answer {
    let total: f64 = sc.populations.iter().map(|p| p.rate.peak_rps()).sum();
    let mut details = Vec::new();
    let mut evidence = vec![ev("peak offered load, all populations", format!("{total:.0} req/s"))];
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    for (i, r) in sc.regions.iter().enumerate() {
        let per_instance = r.workers_per_instance as f64 / worker_seconds(sc, i);
        let need_full = (total / per_instance).ceil() as u32;
        let threshold = r.autoscale.as_ref().map_or(0.7, |a| a.scale_out_above).clamp(0.05, 1.0);
        let need_rule = (total / (per_instance * threshold)).ceil() as u32;
        let plan_max = r
            .instances
            .max
            .unwrap_or(r.sku.max_instances())
            .min(r.sku.max_instances());
        let measured = report.summary.regions.get(i);
        evidence.push(ev(
            &format!("{} alone at peak", r.name),
            format!(
                "needs {need_full} instances to stay under 100 % ({need_rule} at the {:.0} % scale-out threshold); plan max {plan_max} ({}, cap {})",
                threshold * 100.0,
                sku_name(r.sku),
                r.sku.max_instances()
            ),
        ));
        if let Some(m) = measured {
            evidence.push(ev(
                &format!("{} in the runs", r.name),
                format!(
                    "peak {} instances, peak utilisation {}",
                    m.peak_instances,
                    pct(m.peak_utilisation)
                ),
            ));
        }
        if sc.regions.len() > 1 && need_full > plan_max {
            verdict = worst(&[verdict, Verdict::Risk]);
            if need_full > r.sku.max_instances() {
                let bigger = [
                    crate::scenario::Sku::Standard,
                    crate::scenario::Sku::PremiumV3,
                    crate::scenario::Sku::IsolatedV2,
                ]
                .into_iter()
                .find(|s| s.max_instances() >= need_full);
                fixes.push(format!(
                    "{}: {} caps at {} instances but carrying everything needs {need_full}: {}",
                    r.name,
                    sku_name(r.sku),
                    r.sku.max_instances(),
                    bigger.map_or(
                        "split the load over more regions or scale up the instance size.".to_string(),
                        |b| format!(
                            "move to {} (up to {}, §4.3), or a larger instance size.",
                            sku_name(b),
                            b.max_instances()
                        )
                    )
                ));
            } else {
                fixes.push(format!(
                    "{}: raise instances.max from {plan_max} to at least {need_rule} (the SKU allows {}).",
                    r.name,
                    r.sku.max_instances()
                ));
            }
        }
    }
    let d = sc.design.clone().unwrap_or_default();
    if let Routing::AnycastL7(_) = sc.routing {
        let needs_premium: Vec<&str> = [
            (d.waf == Some(Waf::ManagedRules), "WAF managed rules"),
            (d.origin_lock == Some(OriginLock::PrivateLink), "Private Link"),
        ]
        .iter()
        .filter(|(b, _)| *b)
        .map(|(_, n)| *n)
        .collect();
        match d.gateway_tier {
            None => {
                verdict = worst(&[verdict, Verdict::Missing]);
                fixes.push("State `design.gateway_tier` (standard or premium).".into());
            }
            Some(GatewayTier::Standard) if !needs_premium.is_empty() => {
                verdict = worst(&[verdict, Verdict::Risk]);
                fixes.push(format!(
                    "{} need Front Door Premium (§1.6, §1.7): change the tier.",
                    needs_premium.join(" and ")
                ));
            }
            Some(t) => details.push(format!(
                "Front Door {}{}.",
                tier_name(t),
                if needs_premium.is_empty() {
                    String::new()
                } else {
                    format!(", as {} require", needs_premium.join(" and "))
                }
            )),
        }
    }
    details.push("\"Needs\" = peak load of every population ÷ (workers per instance ÷ worker time per request), the worker time including the database calls; the survivor of a region failure carries all of it.".into());
    let summary = match verdict {
        Verdict::Ok => {
            "Each plan can grow to carry all the traffic, and the gateway tier has the features asked of it.".into()
        }
        Verdict::Risk => {
            "A plan cannot grow enough to carry everything, or the gateway tier lacks a feature asked of it.".into()
        }
        Verdict::Missing => "The gateway tier is not stated.".into(),
    };
    answer(5, "SKU changes", Q5, verdict, summary, details, evidence, fixes)
}

// ----- 6. singletons -----

const Q6: &str =
    "Singletons versus per-region components, their geo-replication, and which singleton outage takes everything down.";

fn q6_singletons(sc: &Scenario, report: &Report) -> Answer {
    let mut details = vec![format!(
        "Per region: the App Service stamps ({}).",
        sc.regions
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )];
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    let Some(d) = &sc.data else {
        return answer(
            6,
            "Singletons",
            Q6,
            Verdict::Missing,
            "No shared state or dependencies declared: the runs cannot say what a singleton outage does.".into(),
            details,
            evidence,
            vec!["Declare the data tier ([data]) and the components kept in one region (data.singletons: key vault, registry, workspace).".into()],
        );
    };
    details.push(format!(
        "Cosmos DB account: replicas in {}, {} (AZURE_FACTS §5.1).",
        d.replicas.join(", "),
        match d.write_mode {
            WriteMode::Single => "one write region",
            WriteMode::Multi => "writes in every region",
        }
    ));
    if d.replicas.len() == 1 && sc.regions.len() > 1 {
        verdict = Verdict::Risk;
        fixes.push(format!(
            "The database lives only in {}: add a replica in every stamp region (§5.1).",
            d.replicas[0]
        ));
    }
    if d.singletons.is_empty() {
        verdict = worst(&[verdict, Verdict::Missing]);
        fixes.push("List the components kept in one region (data.singletons: key vault, container registry, log workspace) — even if there are none, say so by design.".into());
    }
    for s in &d.singletons {
        let reps = if s.geo_replicas.is_empty() {
            "no geo-replica".to_string()
        } else {
            format!("geo-replicated to {}", s.geo_replicas.join(", "))
        };
        details.push(format!(
            "singleton {} in {} ({reps}); {} of requests need it{}.",
            s.name,
            s.region,
            pct(s.share),
            if s.deep_check { "; in the deep health check" } else { "" }
        ));
        if s.geo_replicas.is_empty() && s.share >= 0.5 {
            verdict = worst(&[verdict, Verdict::Risk]);
            evidence.push(ev(
                &format!("{} outage", s.name),
                format!(
                    "takes down {} of requests in every region{}",
                    pct(s.share),
                    if s.deep_check && sc.health.depth == HealthDepth::Deep {
                        ", and the deep check marks every stamp down"
                    } else {
                        ""
                    }
                ),
            ));
            fixes.push(format!(
                "{}: geo-replicate it to another stamp region (data.singletons.geo_replicas) or give each stamp its own (§8: stamps share nothing regionally).",
                s.name
            ));
        }
    }
    if let Some(ds) = &report.summary.data {
        if ds.singleton_failures > 0 {
            evidence.push(ev(
                "requests failed by a singleton in the runs",
                ds.singleton_failures.to_string(),
            ));
        }
    }
    for f in report.summary.faults.iter().filter(|f| f.kind == "singleton_outage") {
        evidence.push(ev(
            &format!("availability while {} was down", f.target),
            f.overall[1].availability.map_or("–".into(), pct),
        ));
    }
    let summary = match verdict {
        Verdict::Ok => "Every shared component survives the loss of one region.".into(),
        Verdict::Risk => "A component kept in one region takes every stamp down with it.".into(),
        Verdict::Missing => "The components kept in one region are not listed.".into(),
    };
    answer(6, "Singletons", Q6, verdict, summary, details, evidence, fixes)
}

// ----- 7. logging -----

const Q7: &str = "Logging: per-region or global workspace, and whether a region outage loses the all-up view.";

/// Seconds region `name` spent in a region outage in the runs.
fn outage_seconds(report: &Report, name: &str) -> f64 {
    report
        .summary
        .faults
        .iter()
        .filter(|f| is_region_loss(&f.kind) && f.target == name)
        .map(|f| f.end_s - f.start_s)
        .sum()
}

fn q7_logging(sc: &Scenario, report: &Report) -> Answer {
    let Some(l) = sc.design.as_ref().and_then(|d| d.logging.clone()) else {
        return answer(
            7,
            "Logging",
            Q7,
            Verdict::Missing,
            "Where the logs go is not stated.".into(),
            vec![],
            vec![],
            vec!["State `design.logging`: per_region = true (a workspace per stamp) and global_region for the global resources, queried together across workspaces (AZURE_FACTS §8).".into()],
        );
    };
    let stamps: Vec<&str> = sc.regions.iter().map(|r| r.name.as_str()).collect();
    let mut details = Vec::new();
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    if l.per_region {
        details.push(format!(
            "A workspace per stamp ({}): each shares its stamp's fate and keeps logs in-region (§8).",
            stamps.join(", ")
        ));
    }
    match (&l.global_region, l.per_region) {
        (Some(g), per) => {
            let down = outage_seconds(report, g);
            details.push(format!(
                "{} workspace in {g}{}.",
                if per { "Global" } else { "One global" },
                if stamps.contains(&g.as_str()) {
                    " — a stamp region, so it shares that stamp's fate"
                } else {
                    ""
                }
            ));
            if !per {
                verdict = Verdict::Risk;
                fixes.push(format!(
                    "Every stamp ships its logs to {g}: an outage there loses all logs and the all-up view at once. Add a workspace per stamp and keep {g} for global resources (§8)."
                ));
            }
            if down > 0.0 {
                verdict = Verdict::Risk;
                evidence.push(ev(
                    &format!("{g} down in the runs"),
                    format!(
                        "{:.0} min without the {} view",
                        down / 60.0,
                        if per { "global resources'" } else { "all-up" }
                    ),
                ));
                if per {
                    fixes.push(format!(
                        "Move the global workspace out of {g} (a region without a stamp), so the outage it should explain does not take it away."
                    ));
                }
            }
        }
        (None, _) => {
            verdict = Verdict::Risk;
            fixes.push("Global resources (Front Door, the Cosmos account) log nowhere: add a global workspace and cross-workspace queries for the all-up view (§8).".into());
        }
    }
    let summary = match verdict {
        Verdict::Ok => "Per-stamp workspaces plus a global one: a region outage loses only that stamp's logs, and the all-up view stays.".into(),
        _ => "A region outage can take the all-up view with it.".into(),
    };
    answer(7, "Logging", Q7, verdict, summary, details, evidence, fixes)
}

// ----- 8. second region -----

const Q8: &str = "The second region: pairing, RTT to the first region and to each client population.";

fn q8_second_region(sc: &Scenario) -> Answer {
    let regions = routing_regions(sc);
    if regions.len() < 2 {
        return answer(
            8,
            "Second region",
            Q8,
            Verdict::Missing,
            format!("Only one region serves ({}).", regions.join(", ")),
            vec![],
            vec![],
            vec![format!(
                "Add a second region: {}'s pair is {} (AZURE_FACTS §6.1).",
                regions.first().map_or("the region", |r| r.as_str()),
                regions.first().and_then(|r| geo::pair_of(r)).unwrap_or("not listed")
            )],
        );
    }
    let mut details = Vec::new();
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    let mut verdict = Verdict::Ok;
    for (i, a) in regions.iter().enumerate() {
        for b in &regions[i + 1..] {
            let (Some(pa), Some(pb)) = (geo::region_place(a), geo::region_place(b)) else {
                continue;
            };
            let rtt = crate::model::geo::rtt_between(&sc.rtt, pa, pb);
            let paired = geo::pair_of(a) == Some(b.as_str()) || geo::pair_of(b) == Some(a.as_str());
            let source = if geo::published_rtt_ms(a, b).is_some() {
                "published, §6.2"
            } else {
                "great-circle model"
            };
            evidence.push(ev(
                &format!("{a} ↔ {b}"),
                format!(
                    "{rtt:.0} ms RTT ({source}){}",
                    if paired { ", a region pair (§6.1)" } else { "" }
                ),
            ));
            if paired {
                details.push(format!("{a} and {b} are a region pair: platform updates roll out to one at a time and one of the two is restored first in a wide outage (§6.1)."));
            } else {
                details.push(format!("{a} and {b} are not a pair: fine for an app-level design (§6.1: pairing is not required), but updates may reach both at once."));
            }
            if rtt > 100.0 {
                verdict = Verdict::Risk;
                fixes.push(format!("{a} ↔ {b} is {rtt:.0} ms: replication lags and every cross-region fallback pays it; pick a second region within ~100 ms of the first."));
            }
        }
    }
    for p in &sc.populations {
        let Some(loc) = geo::place(&p.location) else { continue };
        let v: Vec<String> = regions
            .iter()
            .filter_map(|r| {
                geo::region_place(r).map(|pr| format!("{r} {:.0} ms", crate::model::geo::rtt_between(&sc.rtt, loc, pr)))
            })
            .collect();
        evidence.push(ev(&format!("{} ({})", p.name, p.location), v.join(", ")));
    }
    let summary = match verdict {
        Verdict::Ok => format!(
            "{} serve together, close enough for replication and failover.",
            regions.join(" and ")
        ),
        _ => "The regions are far apart: replication and failover pay a long round trip.".into(),
    };
    answer(8, "Second region", Q8, verdict, summary, details, evidence, fixes)
}

// ----- 9. the 75/25 question -----

const Q9: &str = "When the region carrying most of the traffic fails: the survivor's utilisation over time, minutes above 100 %, requests failed during the autoscale lag, and the headroom (instances) that keeps availability above the SLO — found by searching over runs.";

/// The first whole-region loss of a region that carried traffic.
fn region_loss(report: &Report) -> Option<(usize, &FaultSummary)> {
    report
        .summary
        .faults
        .iter()
        .enumerate()
        .filter(|(_, f)| is_region_loss(&f.kind) && f.pre_fault_share > 0.01)
        .max_by(|a, b| a.1.pre_fault_share.total_cmp(&b.1.pre_fault_share))
}

/// Buckets of the fault.
fn fault_buckets(report: &Report, f: &FaultSummary) -> std::ops::Range<usize> {
    let bs = report.bucket_s.max(1e-9);
    let nb = report.series.time_s.len();
    let a = ((f.start_s / bs) as usize).min(nb);
    let b = ((f.end_s / bs).ceil() as usize).clamp(a, nb);
    a..b
}

/// Share of the tries sent to the `survivors` over `range` that did not fail
/// for lack of capacity (shed, or given up on while waiting). Errors capacity
/// cannot prevent — writes refused while the database has no write region, a
/// failed singleton, injected error rates — do not count against it.
fn survivor_availability(report: &Report, survivors: &[usize], range: std::ops::Range<usize>) -> Option<f64> {
    let s = &report.series;
    let (mut tries, mut bad) = (0u64, 0u64);
    for &r in survivors {
        for b in range.clone() {
            tries += s
                .populations
                .iter()
                .map(|p| p.tries_by_region[r][b] as u64)
                .sum::<u64>();
            bad += s.regions[r].capacity_failures.get(b).copied().unwrap_or(0) as u64;
        }
    }
    (tries > 0).then(|| 1.0 - (bad.min(tries) as f64 / tries as f64))
}

fn survivors_of(sc: &Scenario, report: &Report, failed: &str) -> Vec<usize> {
    (0..sc.regions.len())
        .filter(|&r| sc.regions[r].name != failed && report.series.regions[r].arrivals.iter().any(|&a| a > 0))
        .collect()
}

fn q9_survivor(sc: &Scenario, report: &Report, headroom: Option<&Headroom>) -> Answer {
    let Some((_, f)) = region_loss(report) else {
        return answer(
            9,
            "Losing the busiest region",
            Q9,
            Verdict::Missing,
            "No region that carries traffic fails in the runs.".into(),
            vec![],
            vec![],
            vec!["Add a region_outage of the region carrying the most traffic, long enough for autoscale to act (30 min).".into()],
        );
    };
    let s = &report.series;
    let bs = report.bucket_s;
    let survivors = survivors_of(sc, report, &f.target);
    if survivors.is_empty() {
        return answer(
            9,
            "Losing the busiest region",
            Q9,
            Verdict::Missing,
            format!("When {} fails, no other region takes its traffic.", f.target),
            vec![],
            vec![ev(
                "availability during the fault",
                f.overall[1].availability.map_or("–".into(), pct),
            )],
            vec!["Add a second region sized to carry everything (question 8), behind a router that fails over (question 1).".into()],
        );
    }
    let mut details = Vec::new();
    let mut evidence = vec![ev(
        &format!("{} carried before the fault", f.target),
        format!(
            "{} of tries; down {:.0}–{:.0} s",
            pct(f.pre_fault_share),
            f.start_s,
            f.end_s
        ),
    )];
    let b0 = ((f.start_s / bs) as usize).min(s.time_s.len());
    let b1 = ((f.end_s / bs).ceil() as usize).min(s.time_s.len());
    for &r in &survivors {
        let rs = &s.regions[r];
        // Utilisation by minute of the fault (peak of each minute).
        let per_min = ((60.0 / bs).round() as usize).max(1);
        let mut by_minute = Vec::new();
        let mut b = b0;
        while b < b1 {
            let e = (b + per_min).min(b1);
            let m = rs.utilisation[b..e].iter().copied().fold(0.0f32, f32::max);
            by_minute.push(format!("{:.0}", m * 100.0));
            b = e;
        }
        evidence.push(ev(
            &format!("{} utilisation by minute of the fault, %", rs.name),
            by_minute.join(" "),
        ));
        // Offered load: demand against serving capacity (can exceed 100 %).
        let loads: Vec<f64> = rs.offered_load[b0..b1].iter().flatten().map(|&x| x as f64).collect();
        let over = loads.iter().filter(|&&l| l > 1.0).count();
        evidence.push(ev(
            &format!("{} offered load above 100 % of serving capacity", rs.name),
            match loads.iter().copied().reduce(f64::max) {
                Some(peak) => format!("{:.1} min (peak {})", over as f64 * bs / 60.0, pct(peak)),
                None => "no instance serving".into(),
            },
        ));
        // Autoscale lag: from the fault until the survivor's instance count peaks.
        let peak_inst = rs.instances_serving[b0..b1].iter().copied().max().unwrap_or(0);
        let at_start = rs.instances_serving.get(b0).copied().unwrap_or(0);
        let reached = (b0..b1).find(|&b| rs.instances_serving[b] == peak_inst).unwrap_or(b0);
        let lag_s = (reached - b0) as f64 * bs;
        let failed_in_lag: u64 = rs
            .capacity_failures
            .get(b0..=reached)
            .map_or(0, |v| v.iter().map(|&x| x as u64).sum());
        evidence.push(ev(
            &format!("{} instances", rs.name),
            format!("{at_start} at the fault → {peak_inst} after {lag_s:.0} s"),
        ));
        evidence.push(ev(
            &format!("tries {} failed during the autoscale lag", rs.name),
            format!("{failed_in_lag} shed or timed out waiting, from the fault until its last instance arrived"),
        ));
    }
    let base_avail = survivor_availability(report, &survivors, fault_buckets(report, f));
    evidence.push(ev(
        "tries the survivors answered without a capacity failure, during the fault",
        format!("{} (SLO {})", base_avail.map_or("–".into(), pct), pct(sc.slo)),
    ));
    if let Some(h) = &f.healthy_region_clients {
        evidence.push(ev(
            "clients already in the survivor, during the fault",
            h[1].availability.map_or("–".into(), pct),
        ));
    }
    details.push("Judged on the survivors alone: the share of tries sent to them during the fault that were not shed or given up on while waiting, against the SLO. Detection time and a database failover are not capacity's to fix (questions 3 and 6).".into());
    let mut fixes = Vec::new();
    let verdict = match headroom {
        Some(h) => {
            let names = &h.survivors;
            // By floor, smallest first (the search tries them in another order).
            let mut by_floor: Vec<&HeadroomRun> = h.runs.iter().collect();
            by_floor.sort_by_key(|r| r.extra);
            for r in by_floor {
                evidence.push(ev(
                    &format!(
                        "run with floor {}{}",
                        floors(names, &r.min_instances),
                        if h.seeds > 1 {
                            format!(" (worst of {} seeds)", h.seeds)
                        } else {
                            String::new()
                        }
                    ),
                    format!(
                        "{}{}",
                        r.availability.map_or("–".into(), pct),
                        r.monthly_cost.map_or(String::new(), |c| format!(", {c:.0} a month"))
                    ),
                ));
            }
            match h.needed_extra {
                Some(0) => Verdict::Ok,
                Some(e) => {
                    let run = h.runs.iter().find(|r| r.extra == e);
                    let base_cost = h.runs.first().and_then(|r| r.monthly_cost);
                    fixes.push(format!(
                        "Pre-provision {} (min instances) — the smallest floor that kept {} in the search ({}){}.",
                        run.map_or(format!("+{e} instances"), |r| floors(names, &r.min_instances)),
                        pct(h.slo),
                        if h.seeds > 1 {
                            format!("{} rounds × {} seeds, on every seed", h.runs.len(), h.seeds)
                        } else {
                            format!("{} runs", h.runs.len())
                        },
                        match (run.and_then(|r| r.monthly_cost), base_cost) {
                            // A floor can cost less than the run it replaces: the
                            // instances autoscale added then stayed until scale-in.
                            (Some(c), Some(b)) if c >= b => format!("; it costs {:.0} more a month", c - b),
                            (Some(c), Some(b)) => format!(
                                "; it costs {:.0} less a month than the run as written (whose autoscale overshot)",
                                b - c
                            ),
                            _ => String::new(),
                        }
                    ));
                    Verdict::Risk
                }
                None => {
                    fixes.push(format!(
                        "No floor up to the SKU cap (+{} instances) kept {}: move to a larger SKU or instance size, or add a third region.",
                        h.max_extra,
                        pct(h.slo)
                    ));
                    Verdict::Risk
                }
            }
        }
        None => match base_avail {
            Some(a) if a >= sc.slo => Verdict::Ok,
            _ => {
                fixes.push("Run `regionsim review` to search for the headroom that keeps the SLO.".into());
                Verdict::Risk
            }
        },
    };
    let summary = match verdict {
        Verdict::Ok => format!(
            "When {} fails, the survivors keep the SLO once they carry everything.",
            f.target
        ),
        _ => format!(
            "When {} fails, the survivors fall below the SLO ({}) while autoscale catches up.",
            f.target,
            pct(sc.slo)
        ),
    };
    answer(
        9,
        "Losing the busiest region",
        Q9,
        verdict,
        summary,
        details,
        evidence,
        fixes,
    )
}

fn floors(names: &[String], mins: &[u32]) -> String {
    names
        .iter()
        .zip(mins)
        .map(|(n, m)| format!("{n} {m}"))
        .collect::<Vec<_>>()
        .join(", ")
}

// ----- the headroom search -----

/// Searches, one run at a time, for the smallest floor (`instances.min`
/// added to every survivor) that keeps availability at or above the SLO
/// once the survivors carry the failed region's traffic. Bisection between
/// the scenario as written and the SKU cap: about log2(cap) runs.
///
/// ```
/// use regionsim::{bundled_by_name, review::HeadroomSearch, simulate, Scenario, SimDuration};
///
/// let mut sc = Scenario::parse(bundled_by_name("survivor-underprovisioned").unwrap().text).unwrap();
/// sc.duration = SimDuration::from_mins(12);
/// let base = simulate(&sc).unwrap();
/// let mut search = HeadroomSearch::new(&sc, &base).expect("a region fails");
/// while let Some(candidate) = search.next_scenario() {
///     search.record(&simulate(&candidate).unwrap());
/// }
/// let h = search.result();
/// assert!(h.runs.len() >= 1);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct HeadroomSearch {
    base: Scenario,
    survivors: Vec<usize>,
    base_min: Vec<u32>,
    seeds: Vec<u64>,
    result: Headroom,
    /// Largest extra known to miss the SLO.
    lo: u32,
    /// Smallest extra known to keep it.
    hi: Option<u32>,
    next: Option<u32>,
}

impl HeadroomSearch {
    /// Starts a search from the scenario and its run; `None` when no region
    /// carrying traffic fails in the run.
    pub fn new(sc: &Scenario, report: &Report) -> Option<HeadroomSearch> {
        HeadroomSearch::with_seeds(sc, std::slice::from_ref(report))
    }

    /// Starts a search from the scenario's runs on several seeds (the
    /// scenario's own first): every candidate then runs on the same seeds and
    /// counts by its worst one. `None` when no region carrying traffic fails
    /// in the first run.
    pub fn with_seeds(sc: &Scenario, reports: &[Report]) -> Option<HeadroomSearch> {
        let report = reports.first()?;
        let (_, f) = region_loss(report)?;
        let survivors = survivors_of(sc, report, &f.target);
        if survivors.is_empty() {
            return None;
        }
        let base_min: Vec<u32> = survivors
            .iter()
            .map(|&r| {
                let i = &sc.regions[r].instances;
                i.min.unwrap_or(i.initial)
            })
            .collect();
        let max_extra = survivors
            .iter()
            .zip(&base_min)
            .map(|(&r, &m)| sc.regions[r].sku.max_instances().saturating_sub(m))
            .min()
            .unwrap_or(0);
        let mut s = HeadroomSearch {
            base: sc.clone(),
            result: Headroom {
                failed_region: f.target.clone(),
                survivors: survivors.iter().map(|&r| sc.regions[r].name.clone()).collect(),
                slo: sc.slo,
                max_extra,
                runs: Vec::new(),
                needed_extra: None,
                seeds: reports.len() as u32,
            },
            survivors,
            base_min,
            seeds: reports.iter().map(|r| r.seed).collect(),
            lo: 0,
            hi: None,
            next: Some(0),
        };
        s.record_runs(reports);
        Some(s)
    }

    /// The next scenario to run (on the first seed), or `None` when the
    /// search is over.
    pub fn next_scenario(&self) -> Option<Scenario> {
        self.next_scenarios().into_iter().next()
    }

    /// The next candidate on every seed of the search (empty when it is over).
    pub fn next_scenarios(&self) -> Vec<Scenario> {
        let Some(e) = self.next else { return Vec::new() };
        let c = self.candidate(e);
        self.seeds.iter().map(|&seed| Scenario { seed, ..c.clone() }).collect()
    }

    /// How many runs the search has recorded (including the scenario as written).
    pub fn runs(&self) -> usize {
        self.result.runs.len()
    }

    fn candidate(&self, extra: u32) -> Scenario {
        let mut sc = self.base.clone();
        sc.variants.clear();
        for (k, &r) in self.survivors.iter().enumerate() {
            let reg = &mut sc.regions[r];
            let cap = reg.sku.max_instances();
            let min = (self.base_min[k] + extra).min(cap);
            reg.instances.min = Some(min);
            reg.instances.initial = reg.instances.initial.max(min);
            reg.instances.max = Some(reg.instances.max.unwrap_or(cap).max(min).min(cap));
        }
        sc
    }

    /// Records the run of the scenario [`next_scenario`](Self::next_scenario) returned.
    pub fn record(&mut self, report: &Report) {
        self.record_runs(std::slice::from_ref(report));
    }

    /// Records the runs of [`next_scenarios`](Self::next_scenarios): the
    /// candidate counts by its worst seed.
    pub fn record_runs(&mut self, reports: &[Report]) {
        let Some(extra) = self.next else { return };
        let availability = reports
            .iter()
            .map(|report| {
                region_loss(report)
                    .and_then(|(_, f)| survivor_availability(report, &self.survivors, fault_buckets(report, f)))
            })
            .try_fold(1.0f64, |acc, a| a.map(|a| acc.min(a)))
            .filter(|_| !reports.is_empty());
        let mins = self
            .base_min
            .iter()
            .zip(&self.survivors)
            .map(|(&m, &r)| (m + extra).min(self.base.regions[r].sku.max_instances()))
            .collect();
        self.result.runs.push(HeadroomRun {
            extra,
            min_instances: mins,
            availability,
            monthly_cost: reports.first().and_then(|r| r.summary.cost.as_ref()).map(|c| c.total),
        });
        let ok = availability.is_some_and(|a| a >= self.base.slo);
        if ok {
            self.hi = Some(extra);
        } else {
            self.lo = extra;
        }
        self.next = match self.hi {
            // The scenario as written keeps the SLO.
            Some(0) => None,
            Some(h) if h - self.lo > 1 => Some(self.lo + (h - self.lo) / 2),
            Some(_) => None,
            // Not even the SKU cap: stop.
            None if extra >= self.result.max_extra => None,
            None => Some(self.result.max_extra),
        };
        self.result.needed_extra = self.hi;
    }

    /// What the search found so far.
    pub fn result(&self) -> Headroom {
        self.result.clone()
    }
}
