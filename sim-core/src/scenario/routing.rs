//! The global router — direct, DNS (Traffic-Manager-like), anycast layer 7
//! (Front-Door-like), anycast layer 4 (cross-region-load-balancer-like) —
//! the health endpoint it probes, and RTT overrides.

use super::defaults::*;
use super::*;

/// An explicit RTT between two places, replacing the table or the model.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RttOverride {
    /// One place (region or metro name).
    pub a: String,
    /// The other place.
    pub b: String,
    /// Round-trip time.
    pub rtt: SimDuration,
}

impl RttOverride {
    /// The round-trip time between places `a` and `b` (region or metro names).
    pub fn new(a: impl Into<String>, b: impl Into<String>, rtt: SimDuration) -> RttOverride {
        RttOverride {
            a: a.into(),
            b: b.into(),
            rtt,
        }
    }
}

/// The global routing layer (one per scenario).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Routing {
    /// The single-region baseline: the hostname points straight at one stamp.
    Direct(DirectRouting),
    /// Traffic-Manager-like DNS routing.
    Dns(DnsRouting),
    /// Front-Door-like anycast layer-7 proxy.
    AnycastL7(FrontDoorRouting),
    /// Cross-region-load-balancer-like anycast layer 4.
    AnycastL4(CrossRegionLbRouting),
}

impl Routing {
    /// This router's kind.
    pub fn kind(&self) -> RoutingKind {
        match self {
            Routing::Direct(_) => RoutingKind::Direct,
            Routing::Dns(_) => RoutingKind::Dns,
            Routing::AnycastL7(_) => RoutingKind::AnycastL7,
            Routing::AnycastL4(_) => RoutingKind::AnycastL4,
        }
    }

    /// The scenario-file name of this routing kind.
    pub fn kind_name(&self) -> &'static str {
        self.kind().name()
    }
}

/// The kinds of global router, as the scenario file's `routing.kind` names
/// them.
///
/// ```
/// use regionsim::scenario::RoutingKind;
/// assert_eq!("anycast_l7".parse::<RoutingKind>(), Ok(RoutingKind::AnycastL7));
/// assert!("anycast-l7".parse::<RoutingKind>().unwrap_err().contains("anycast_l7"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RoutingKind {
    /// `direct`: one region, no router.
    Direct,
    /// `dns`: Traffic-Manager-like.
    Dns,
    /// `anycast_l7`: Front-Door-like.
    AnycastL7,
    /// `anycast_l4`: cross-region-load-balancer-like.
    AnycastL4,
}

impl RoutingKind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [RoutingKind; 4] = [
        RoutingKind::Direct,
        RoutingKind::Dns,
        RoutingKind::AnycastL7,
        RoutingKind::AnycastL4,
    ];

    /// The scenario-file name (`"anycast_l7"`).
    pub fn name(self) -> &'static str {
        match self {
            RoutingKind::Direct => "direct",
            RoutingKind::Dns => "dns",
            RoutingKind::AnycastL7 => "anycast_l7",
            RoutingKind::AnycastL4 => "anycast_l4",
        }
    }
}

impl std::fmt::Display for RoutingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for RoutingKind {
    /// A message naming the kinds there are.
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        super::kind_named(s, &RoutingKind::ALL, |k| k.name(), "routing kind")
    }
}

/// `kind = "direct"`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DirectRouting {
    /// The one region every request goes to.
    pub region: String,
}

/// Traffic Manager routing method (AZURE_FACTS §2).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DnsMethod {
    /// Lowest priority value among healthy endpoints.
    Priority,
    /// Random by weight among healthy endpoints.
    Weighted,
    /// Lowest latency from the client's resolver among healthy endpoints.
    Performance,
    /// A fixed endpoint per client location (returned even when degraded).
    Geographic,
}

/// How Traffic Manager combines its monitoring locations' verdicts into the
/// endpoint's status. Microsoft documents that probes come from many agent
/// locations and that failures are judged per probing location (AZURE_FACTS
/// §2), but not how the locations' verdicts are combined: every rule here is
/// an assumption, and the report says which one a run used.
///
/// Written as `"any"`, `"majority"`, `"all"`, or a number k (Degraded when at
/// least k locations see it failed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "MonitorRuleRepr", into = "MonitorRuleRepr")]
#[non_exhaustive]
pub enum MonitorRule {
    /// Degraded as soon as one location sees it failed.
    Any,
    /// Degraded when more than half of the locations see it failed (the default).
    Majority,
    /// Degraded only when every location sees it failed.
    All,
    /// Degraded when at least this many locations see it failed (1 ≤ k ≤ locations).
    AtLeast(u32),
}

impl MonitorRule {
    /// How many of `n` locations must see the endpoint failed for it to be Degraded.
    pub fn threshold(self, n: usize) -> usize {
        match self {
            MonitorRule::Any => 1,
            MonitorRule::Majority => n / 2 + 1,
            MonitorRule::All => n.max(1),
            MonitorRule::AtLeast(k) => (k as usize).clamp(1, n.max(1)),
        }
    }

    /// The endpoint's status from `failed` of `n` locations seeing it failed.
    pub fn degraded(self, failed: usize, n: usize) -> bool {
        failed >= self.threshold(n)
    }

    /// The rule in words, for reports.
    pub fn describe(self, n: usize) -> String {
        match self {
            MonitorRule::Any => format!("Degraded when any of the {n} monitoring locations sees it failed"),
            MonitorRule::Majority => format!(
                "Degraded when more than half ({} of {n}) of the monitoring locations see it failed",
                self.threshold(n)
            ),
            MonitorRule::All => format!("Degraded only when all {n} monitoring locations see it failed"),
            MonitorRule::AtLeast(k) => {
                format!("Degraded when at least {k} of the {n} monitoring locations see it failed")
            }
        }
    }
}

impl std::fmt::Display for MonitorRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MonitorRule::Any => f.write_str("any"),
            MonitorRule::Majority => f.write_str("majority"),
            MonitorRule::All => f.write_str("all"),
            MonitorRule::AtLeast(k) => write!(f, "{k}"),
        }
    }
}

/// How [`MonitorRule`] is written: a name or a count.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum MonitorRuleRepr {
    Count(u32),
    Name(String),
}

impl TryFrom<MonitorRuleRepr> for MonitorRule {
    type Error = String;
    fn try_from(r: MonitorRuleRepr) -> Result<Self, Self::Error> {
        match r {
            MonitorRuleRepr::Count(0) => Err("0 locations: write a count of at least 1, or \"any\"".into()),
            MonitorRuleRepr::Count(k) => Ok(MonitorRule::AtLeast(k)),
            MonitorRuleRepr::Name(n) => match n.as_str() {
                "any" => Ok(MonitorRule::Any),
                "majority" => Ok(MonitorRule::Majority),
                "all" => Ok(MonitorRule::All),
                other => match other.trim().parse::<u32>() {
                    Ok(k) if k > 0 => Ok(MonitorRule::AtLeast(k)),
                    _ => Err(format!(
                        "unknown rule {other:?}: write \"any\", \"majority\", \"all\" or a number of locations (at least 1)"
                    )),
                },
            },
        }
    }
}

impl From<MonitorRule> for MonitorRuleRepr {
    fn from(r: MonitorRule) -> Self {
        match r {
            MonitorRule::AtLeast(k) => MonitorRuleRepr::Count(k),
            other => MonitorRuleRepr::Name(other.to_string()),
        }
    }
}

/// `kind = "dns"`: Traffic-Manager-like.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DnsRouting {
    /// Routing method.
    #[serde(default = "dns_method")]
    pub method: DnsMethod,
    /// DNS TTL of the answers. AZURE_FACTS §2: no service default; samples use
    /// 30–300 s and the portal shows 60 s.
    #[serde(default = "dns_ttl")]
    pub ttl: SimDuration,
    /// Probe interval: 30 s normal or 10 s fast (AZURE_FACTS §2).
    #[serde(default = "tm_probe_interval")]
    pub probe_interval: SimDuration,
    /// Probe timeout: 5–10 s, default 10 s at a 30 s interval (AZURE_FACTS §2).
    #[serde(default = "tm_probe_timeout")]
    pub probe_timeout: SimDuration,
    /// Tolerated consecutive failures, 0–9, default 3 (AZURE_FACTS §2).
    #[serde(default = "tm_tolerated")]
    pub tolerated_failures: u32,
    /// Metros the probes come from (AZURE_FACTS §2: probes from many agent
    /// locations, failures judged per probing location).
    #[serde(default = "tm_locations")]
    pub monitoring_locations: Vec<String>,
    /// How the locations' verdicts combine into the endpoint's status. Not
    /// documented (AZURE_FACTS §2): default `"majority"`, an assumption.
    #[serde(default = "tm_degraded_when")]
    pub degraded_when: MonitorRule,
    /// Time a client spends on a DNS lookup that misses its cache
    /// (assumption: a recursive resolver hit, not in the facts sheet).
    #[serde(default = "dns_lookup_time")]
    pub lookup_time: SimDuration,
    /// The endpoints (regional stamps).
    pub endpoints: Vec<DnsEndpoint>,
}

/// A Traffic Manager endpoint.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DnsEndpoint {
    /// Region of the stamp.
    pub region: String,
    /// Priority 1–1000, unique per endpoint (AZURE_FACTS §2). Default: position.
    #[serde(default)]
    pub priority: Option<u32>,
    /// Weight 1–1000, default 1 (AZURE_FACTS §2).
    #[serde(default = "tm_weight")]
    pub weight: u32,
    /// Geographic method: populations or metros mapped here (`"*"` = world).
    #[serde(default)]
    pub geo: Vec<String>,
}

/// What Front Door does when every origin is unhealthy.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AllUnhealthy {
    /// Round-robin across all enabled origins (the documented behaviour, §1.3).
    AllOrigins,
    /// Keep honouring priority (reported for Std/Premium in a GitHub issue, §1.3).
    HonourPriority,
}

/// The Front Door product a profile is on: it decides the probe defaults
/// (AZURE_FACTS §1.3), which differ between classic and Standard/Premium.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FrontDoorTier {
    /// Standard (the current product).
    Standard,
    /// Premium: the same probing as Standard.
    Premium,
    /// Front Door (classic).
    Classic,
}

impl FrontDoorTier {
    /// The tier's name as written in a scenario.
    pub fn name(self) -> &'static str {
        match self {
            FrontDoorTier::Standard => "standard",
            FrontDoorTier::Premium => "premium",
            FrontDoorTier::Classic => "classic",
        }
    }
}

/// A tier's probe and load-balancing defaults (AZURE_FACTS §1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FrontDoorDefaults {
    /// Probe interval per POP and origin.
    pub probe_interval: SimDuration,
    /// Probes kept per POP and origin.
    pub sample_size: u32,
    /// Successful probes among them for the origin to be healthy.
    pub successful_samples: u32,
    /// Latency sensitivity (classic: additional latency).
    pub latency_sensitivity: SimDuration,
}

impl FrontDoorDefaults {
    /// The defaults of `tier`: classic's are its documented API defaults
    /// (30 s, 2 of 4, 0 ms); Standard/Premium's are what the portal and
    /// Microsoft's samples set (100 s, 3 of 4, 50 ms), as the docs state no
    /// portal default and the API's "240 s" default is rarely what runs.
    pub fn of(tier: FrontDoorTier) -> Self {
        match tier {
            FrontDoorTier::Classic => FrontDoorDefaults {
                probe_interval: afd_classic_probe_interval(),
                sample_size: afd_sample_size(),
                successful_samples: afd_classic_successful_samples(),
                latency_sensitivity: afd_classic_latency_sensitivity(),
            },
            FrontDoorTier::Standard | FrontDoorTier::Premium => FrontDoorDefaults {
                probe_interval: afd_probe_interval(),
                sample_size: afd_sample_size(),
                successful_samples: afd_successful_samples(),
                latency_sensitivity: afd_latency_sensitivity(),
            },
        }
    }
}

/// `kind = "anycast_l7"`: Front-Door-like. Probe settings left out take the
/// defaults of the profile's tier ([`FrontDoorDefaults::of`]).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(from = "FrontDoorRoutingRaw")]
#[non_exhaustive]
pub struct FrontDoorRouting {
    /// The product tier: `standard`, `premium` or `classic`. None: the
    /// design's `gateway_tier` if stated, else Standard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<FrontDoorTier>,
    /// Probe interval per POP and origin, 1–255 s: the tier's default
    /// (Standard/Premium 100 s sampled; classic 30 s, AZURE_FACTS §1.3, §9).
    pub probe_interval: SimDuration,
    /// Samples kept per POP and origin: 4 on either tier (AZURE_FACTS §1.3).
    pub sample_size: u32,
    /// Successful samples required: Standard/Premium 3 (sampled), classic 2
    /// (documented) (AZURE_FACTS §1.3).
    pub successful_samples: u32,
    /// A probe with no answer by then counts as failed. AZURE_FACTS has no probe
    /// timeout figure; the origin response timeout default (§1.4, 30 s) is used.
    pub probe_timeout: SimDuration,
    /// Latency sensitivity: Standard/Premium 50 ms (common portal value),
    /// classic 0 ms additional latency (AZURE_FACTS §1.2, §1.3). Origins are
    /// ranked by the latency their probes measure (mean of the last
    /// `sample_size` successful probes, an assumption), not by geography.
    pub latency_sensitivity: SimDuration,
    /// Round trips a probe's fresh connection costs before its request: each
    /// probe opens a new connection (AZURE_FACTS §1.2), and a TCP + TLS setup
    /// costs about 3 (§1.1, as for clients). 1 for plain-HTTP probes.
    pub probe_handshake_round_trips: u32,
    /// Origin response timeout: 30 s default, range 16–240 s (AZURE_FACTS §1.4).
    pub origin_response_timeout: SimDuration,
    /// Behaviour when all origins are unhealthy (AZURE_FACTS §1.3).
    pub all_unhealthy: AllUnhealthy,
    /// POP metros in use (default: all 40 known POP metros, §1.1).
    #[serde(default)]
    pub pops: Vec<String>,
    /// The origin group.
    pub origins: Vec<FrontDoorOrigin>,
}

impl FrontDoorRouting {
    /// The tier the profile runs on, given the design's stated tier.
    pub fn effective_tier(&self, design: Option<&Design>) -> FrontDoorTier {
        self.tier
            .or_else(|| {
                design.and_then(|d| d.gateway_tier).map(|t| match t {
                    GatewayTier::Standard => FrontDoorTier::Standard,
                    GatewayTier::Premium => FrontDoorTier::Premium,
                })
            })
            .unwrap_or(FrontDoorTier::Standard)
    }
}

/// [`FrontDoorRouting`] as written: probe settings may be left to the tier.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontDoorRoutingRaw {
    #[serde(default)]
    tier: Option<FrontDoorTier>,
    probe_interval: Option<SimDuration>,
    sample_size: Option<u32>,
    successful_samples: Option<u32>,
    #[serde(default = "afd_origin_timeout")]
    probe_timeout: SimDuration,
    latency_sensitivity: Option<SimDuration>,
    #[serde(default = "handshake_rtts")]
    probe_handshake_round_trips: u32,
    #[serde(default = "afd_origin_timeout")]
    origin_response_timeout: SimDuration,
    #[serde(default = "afd_all_unhealthy")]
    all_unhealthy: AllUnhealthy,
    #[serde(default)]
    pops: Vec<String>,
    origins: Vec<FrontDoorOrigin>,
}

impl From<FrontDoorRoutingRaw> for FrontDoorRouting {
    fn from(r: FrontDoorRoutingRaw) -> Self {
        // Standard and Premium probe alike, so the design's tier (never
        // classic) cannot change these defaults: only `tier = "classic"` does.
        let d = FrontDoorDefaults::of(r.tier.unwrap_or(FrontDoorTier::Standard));
        FrontDoorRouting {
            tier: r.tier,
            probe_interval: r.probe_interval.unwrap_or(d.probe_interval),
            sample_size: r.sample_size.unwrap_or(d.sample_size),
            successful_samples: r.successful_samples.unwrap_or(d.successful_samples),
            probe_timeout: r.probe_timeout,
            latency_sensitivity: r.latency_sensitivity.unwrap_or(d.latency_sensitivity),
            probe_handshake_round_trips: r.probe_handshake_round_trips,
            origin_response_timeout: r.origin_response_timeout,
            all_unhealthy: r.all_unhealthy,
            pops: r.pops,
            origins: r.origins,
        }
    }
}

/// A Front Door origin.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FrontDoorOrigin {
    /// Region of the stamp.
    pub region: String,
    /// Priority 1–5, default 1 (AZURE_FACTS §1.2).
    #[serde(default = "afd_priority")]
    pub priority: u32,
    /// Weight 1–1000, default 50 (AZURE_FACTS §1.2).
    #[serde(default = "afd_weight")]
    pub weight: u32,
    /// Disabled origins get no traffic and no probes.
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// `kind = "anycast_l4"`: cross-region-load-balancer-like.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CrossRegionLbRouting {
    /// The global LB polls each regional LB every 5 s (AZURE_FACTS §3).
    #[serde(default = "l4_global_interval")]
    pub global_probe_interval: SimDuration,
    /// Regional LB probe interval: 15 s default, 5 s minimum (AZURE_FACTS §3).
    #[serde(default = "l4_regional_interval")]
    pub regional_probe_interval: SimDuration,
    /// Consecutive failed regional probes that take a region out: 2 (AZURE_FACTS §3).
    #[serde(default = "l4_threshold")]
    pub probe_threshold: u32,
    /// Backend regions (each with a regional Standard LB).
    pub backends: Vec<String>,
}

/// What the health endpoint checks (AZURE_FACTS §8).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HealthDepth {
    /// Liveness: the process is up.
    Shallow,
    /// Readiness: critical dependencies are reachable too.
    Deep,
}

/// The health endpoint the router probes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct HealthEndpoint {
    /// Path, e.g. `/health/stamp` (AZURE_FACTS §8, the mission-critical reference).
    #[serde(default = "health_path")]
    pub path: String,
    /// Shallow or deep.
    #[serde(default = "health_depth")]
    pub depth: HealthDepth,
    /// Server time of one probe (shallow ≈ 1 ms; deep, with a short result
    /// cache as in the reference implementation, ≈ 10 ms; assumptions).
    #[serde(default)]
    pub service_time: Option<SimDuration>,
}

impl Default for HealthEndpoint {
    fn default() -> Self {
        HealthEndpoint {
            path: health_path(),
            depth: health_depth(),
            service_time: None,
        }
    }
}

impl Routing {
    /// A router of kind `kind` over `regions` with every setting at its
    /// documented default: what a front end offers when the user switches the
    /// routing kind. Active-active: DNS routes by performance, Front Door to
    /// the nearest origin; `direct` goes to the first region. None without a
    /// region.
    pub fn with_defaults<S: AsRef<str>>(kind: RoutingKind, regions: &[S]) -> Option<Routing> {
        let first = regions.first()?;
        Some(match kind {
            RoutingKind::Direct => Routing::direct(first.as_ref()),
            RoutingKind::Dns => Routing::traffic_manager(regions),
            RoutingKind::AnycastL7 => Routing::front_door(regions),
            RoutingKind::AnycastL4 => Routing::cross_region_lb(regions),
        })
    }

    /// Front Door (Standard) over `regions` with its documented defaults,
    /// routing to the nearest origin.
    pub fn front_door<S: AsRef<str>>(regions: &[S]) -> Routing {
        let regions: Vec<String> = regions.iter().map(|r| r.as_ref().to_string()).collect();
        Routing::AnycastL7(FrontDoorRouting {
            tier: None,
            probe_interval: afd_probe_interval(),
            sample_size: afd_sample_size(),
            successful_samples: afd_successful_samples(),
            probe_timeout: afd_origin_timeout(),
            latency_sensitivity: afd_latency_sensitivity(),
            probe_handshake_round_trips: handshake_rtts(),
            origin_response_timeout: afd_origin_timeout(),
            all_unhealthy: afd_all_unhealthy(),
            pops: Vec::new(),
            origins: regions
                .iter()
                .map(|r| FrontDoorOrigin {
                    region: r.clone(),
                    priority: afd_priority(),
                    weight: afd_weight(),
                    enabled: true,
                })
                .collect(),
        })
    }

    /// Traffic Manager over `regions` with its documented defaults, routing
    /// by performance (active-active).
    pub fn traffic_manager<S: AsRef<str>>(regions: &[S]) -> Routing {
        let regions: Vec<String> = regions.iter().map(|r| r.as_ref().to_string()).collect();
        Routing::Dns(DnsRouting {
            method: DnsMethod::Performance,
            ttl: dns_ttl(),
            probe_interval: tm_probe_interval(),
            probe_timeout: tm_probe_timeout(),
            tolerated_failures: tm_tolerated(),
            monitoring_locations: tm_locations(),
            degraded_when: tm_degraded_when(),
            lookup_time: dns_lookup_time(),
            endpoints: regions
                .iter()
                .map(|r| DnsEndpoint {
                    region: r.clone(),
                    priority: None,
                    weight: tm_weight(),
                    geo: Vec::new(),
                })
                .collect(),
        })
    }

    /// A cross-region load balancer over `regions` with its documented
    /// defaults.
    pub fn cross_region_lb<S: AsRef<str>>(regions: &[S]) -> Routing {
        Routing::AnycastL4(CrossRegionLbRouting {
            global_probe_interval: l4_global_interval(),
            regional_probe_interval: l4_regional_interval(),
            probe_threshold: l4_threshold(),
            backends: regions.iter().map(|r| r.as_ref().to_string()).collect(),
        })
    }

    /// Every request to `region`, no router (the single-region baseline).
    pub fn direct(region: impl Into<String>) -> Routing {
        Routing::Direct(DirectRouting { region: region.into() })
    }
}
