//! Scenario files: the serde types, their documented defaults, parsing from
//! TOML or JSON, and validation that reports every error at once with its
//! field path.
//!
//! A scenario is the single source of truth for a run. Every default below
//! cites the AZURE_FACTS section it comes from (or says it is an assumption
//! where the facts sheet has no figure).

mod bundled;
mod decode;
pub(crate) use decode::value as decode_value;
mod defaults;
pub mod provenance;
mod validate;

pub use bundled::{bundled, bundled_by_name, BundledScenario, HEADLINE};
pub use validate::{FieldError, Limits};

use crate::time::{SimDuration, SimTime};
use defaults::*;
use serde::{Deserialize, Serialize};

/// A whole simulation case.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, shown in reports.
    pub name: String,
    /// The question this scenario answers.
    #[serde(default)]
    pub description: String,
    /// Run seed: same scenario and seed give the same report.
    #[serde(default = "seed")]
    pub seed: u64,
    /// Simulated time span.
    pub duration: SimDuration,
    /// Time-series bucket (default 1 s). Widened automatically so that a run
    /// never has more than `max_points` buckets: memory does not grow with
    /// the simulated duration.
    #[serde(default = "bucket")]
    pub bucket: SimDuration,
    /// Cap on the number of time-series buckets (default 3,600).
    #[serde(default = "max_points")]
    pub max_points: u32,
    /// Availability objective, e.g. 0.9995 (AZURE_FACTS §8: the mission-critical
    /// reference targets 99.95 %).
    #[serde(default = "slo")]
    pub slo: f64,
    /// The global router.
    pub routing: Routing,
    /// What the health endpoint probed by the router checks.
    #[serde(default)]
    pub health: HealthEndpoint,
    /// Regional stamps.
    pub regions: Vec<RegionSpec>,
    /// Client populations.
    pub populations: Vec<PopulationSpec>,
    /// Scheduled faults.
    #[serde(default)]
    pub faults: Vec<Fault>,
    /// Round-trip-time overrides.
    #[serde(default)]
    pub rtt: Vec<RttOverride>,
    /// The shared data tier (Cosmos-DB-like); absent: stateless stamps.
    #[serde(default)]
    pub data: Option<DataTier>,
    /// Named overrides compared against this scenario on the same seed.
    #[serde(default)]
    pub variants: Vec<crate::variants::VariantSpec>,
    /// Random faults drawn from mean times between failures and to repair.
    #[serde(default)]
    pub reliability: Option<Reliability>,
    /// A price table: the report then estimates the monthly cost of the design.
    #[serde(default)]
    pub cost: Option<PriceTable>,
    /// Design facts the runs cannot show (hostname, TLS, gateway tier, WAF,
    /// origin lock, logging), read by the design review.
    #[serde(default)]
    pub design: Option<Design>,
}

/// What the design review (`regionsim review`) needs to know beyond the
/// routing and the stamps. It does not change a run. Every field is optional:
/// an absent one is answered "missing", with what to decide.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// The public API hostname clients call, e.g. `api.contoso.com`.
    #[serde(default)]
    pub hostname: Option<String>,
    /// What that hostname's CNAME points at today, e.g.
    /// `contoso-api.azurewebsites.net` (the single-region origin).
    #[serde(default)]
    pub current_target: Option<String>,
    /// Who issues the gateway's TLS certificate (default managed).
    #[serde(default)]
    pub certificate: Certificate,
    /// Front Door tier: WAF managed rules and Private Link need Premium
    /// (AZURE_FACTS §1.6, §1.7).
    #[serde(default)]
    pub gateway_tier: Option<GatewayTier>,
    /// The web application firewall in front of the API.
    #[serde(default)]
    pub waf: Option<Waf>,
    /// How the regional origins refuse traffic that did not come through the
    /// gateway (AZURE_FACTS §1.7, §4.5).
    #[serde(default)]
    pub origin_lock: Option<OriginLock>,
    /// Where the logs go.
    #[serde(default)]
    pub logging: Option<Logging>,
}

impl Design {
    /// The origins refuse calls that did not come through Front Door: a
    /// service-tag lock (with or without the header check), or Private Link,
    /// which exists on Premium only (AZURE_FACTS §1.7).
    pub fn origins_locked(&self) -> bool {
        match self.origin_lock {
            Some(OriginLock::ServiceTag | OriginLock::ServiceTagAndHeader) => true,
            Some(OriginLock::PrivateLink) => self.gateway_tier == Some(GatewayTier::Premium),
            Some(OriginLock::None) | None => false,
        }
    }

    /// The WAF's managed rule sets are in force: asked for, on Premium (§1.6).
    pub fn managed_rules_active(&self) -> bool {
        self.waf == Some(Waf::ManagedRules) && self.gateway_tier == Some(GatewayTier::Premium)
    }
}

/// The gateway's TLS certificate.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Certificate {
    /// Issued and renewed by the gateway (DigiCert for Front Door, §1.8).
    #[default]
    Managed,
    /// Bring your own (from Key Vault).
    Byo,
}

/// Front Door tiers (AZURE_FACTS §1.6, §1.7).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum GatewayTier {
    /// Standard: WAF custom rules (incl. rate limits) only, no Private Link.
    Standard,
    /// Premium: WAF managed rule sets and bot protection, Private Link to origins.
    Premium,
}

/// The WAF policy (AZURE_FACTS §1.6).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Waf {
    /// No WAF.
    Off,
    /// Custom rules only (IP/geo filters, rate limits): what Standard offers.
    CustomRules,
    /// Managed rule sets (DRS 2.x) and bot protection: Premium only.
    ManagedRules,
}

/// Origin lock-down (AZURE_FACTS §1.7, §4.5).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OriginLock {
    /// The origins accept anyone.
    None,
    /// Access restriction to the `AzureFrontDoor.Backend` service tag only:
    /// any Front Door profile, including other tenants', still gets through.
    ServiceTag,
    /// Service tag plus the `X-Azure-FDID` header filter with this profile's ID.
    ServiceTagAndHeader,
    /// Private Link from Front Door (Premium): no public exposure at all.
    PrivateLink,
}

/// Log Analytics workspaces (AZURE_FACTS §8).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Logging {
    /// One workspace per regional stamp (shares the stamp's fate).
    #[serde(default)]
    pub per_region: bool,
    /// Region of the global workspace (for global resources, or for
    /// everything when `per_region` is false); absent: none.
    #[serde(default)]
    pub global_region: Option<String>,
}

/// Example prices (not live ones) for a monthly cost estimate. Cosmos DB's
/// rates come from AZURE_FACTS §5.4; the others are illustrative defaults to
/// replace with your own.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    /// Label of the currency (default USD).
    #[serde(default = "currency")]
    pub currency: String,
    /// Price of one instance-hour per plan tier (illustrative defaults).
    #[serde(default)]
    pub instance_hour: InstanceHourPrices,
    /// The global router's monthly base fee (illustrative: 330).
    #[serde(default = "gateway_base")]
    pub gateway_base_month: f64,
    /// Per million requests through the router (illustrative: 1.0).
    #[serde(default = "gateway_per_million")]
    pub gateway_per_million_requests: f64,
    /// Provisioned throughput per replica region, RU/s (every region gets the
    /// full amount, AZURE_FACTS §5.4).
    #[serde(default = "provisioned_ru")]
    pub provisioned_ru_per_second: f64,
    /// Per 100 RU/s per hour, single write region: 0.008 (AZURE_FACTS §5.4).
    #[serde(default = "ru_price")]
    pub per_100_ru_hour: f64,
    /// Per 100 RU/s per hour with multi-region writes: 0.016 (AZURE_FACTS §5.4).
    #[serde(default = "ru_price_multi")]
    pub per_100_ru_hour_multi_write: f64,
    /// Egress per GB (illustrative: 0.087).
    #[serde(default = "egress")]
    pub egress_per_gb: f64,
    /// Mean response size, KB (illustrative: 4).
    #[serde(default = "response_kb")]
    pub response_kb: f64,
}

/// Instance-hour prices by plan tier (illustrative defaults).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InstanceHourPrices {
    /// Basic.
    #[serde(default = "price_basic")]
    pub basic: f64,
    /// Standard.
    #[serde(default = "price_standard")]
    pub standard: f64,
    /// Premium v3.
    #[serde(default = "price_premium")]
    pub premium_v3: f64,
    /// Isolated v2.
    #[serde(default = "price_isolated")]
    pub isolated_v2: f64,
}

impl Default for InstanceHourPrices {
    fn default() -> Self {
        InstanceHourPrices {
            basic: price_basic(),
            standard: price_standard(),
            premium_v3: price_premium(),
            isolated_v2: price_isolated(),
        }
    }
}

impl InstanceHourPrices {
    /// The price of one instance-hour of `sku`.
    pub fn of(&self, sku: Sku) -> f64 {
        match sku {
            Sku::Basic => self.basic,
            Sku::Standard => self.standard,
            Sku::PremiumV3 => self.premium_v3,
            Sku::IsolatedV2 => self.isolated_v2,
        }
    }
}

/// Random outages: each region (and each Front Door POP) alternates between
/// exponential up times with mean `mtbf` and exponential down times with mean
/// `mttr`. The facts sheet has no such figures: they are the user's
/// assumptions, e.g. derived from an SLA (§8).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Reliability {
    /// Mean time between region outages (per region).
    #[serde(default)]
    pub region_mtbf: Option<SimDuration>,
    /// Mean time to repair a region.
    #[serde(default = "region_mttr")]
    pub region_mttr: SimDuration,
    /// Mean time between outages of one POP.
    #[serde(default)]
    pub pop_mtbf: Option<SimDuration>,
    /// Mean time to repair a POP.
    #[serde(default = "pop_mttr")]
    pub pop_mttr: SimDuration,
}

impl Reliability {
    /// The random faults of a run of `sc` with seed `seed` (stream
    /// `random-faults`): a pure function of the two, so runs repeat exactly.
    pub fn schedule(&self, sc: &Scenario, seed: u64) -> Vec<Fault> {
        use rand_distr::{Distribution, Exp1};
        let mut rng = crate::engine::SimRng::stream(seed, "random-faults");
        let end = sc.duration.as_secs_f64();
        let mut out = Vec::new();
        let mut draw = |mtbf: SimDuration,
                        mttr: SimDuration,
                        make: &dyn Fn(SimDuration, SimDuration) -> Fault,
                        out: &mut Vec<Fault>| {
            let mut t = 0.0;
            loop {
                let up: f64 = Exp1.sample(rng.inner());
                t += up * mtbf.as_secs_f64();
                if t >= end {
                    break;
                }
                let down: f64 = Exp1.sample(rng.inner());
                let len = (down * mttr.as_secs_f64()).max(1.0).min(end - t);
                out.push(make(SimDuration::from_secs_f64(t), SimDuration::from_secs_f64(len)));
                t += len;
            }
        };
        if let Some(mtbf) = self.region_mtbf {
            for r in &sc.regions {
                let name = r.name.clone();
                draw(
                    mtbf,
                    self.region_mttr,
                    &|start, duration| Fault::RegionOutage {
                        region: name.clone(),
                        start,
                        duration,
                    },
                    &mut out,
                );
            }
        }
        if let (Some(mtbf), Routing::AnycastL7(f)) = (self.pop_mtbf, &sc.routing) {
            let pops: Vec<String> = if f.pops.is_empty() {
                crate::model::geo::METROS.iter().map(|m| m.name.to_string()).collect()
            } else {
                f.pops.clone()
            };
            for pop in pops {
                draw(
                    mtbf,
                    self.pop_mttr,
                    &|start, duration| Fault::PopOutage {
                        pop: pop.clone(),
                        start,
                        duration,
                    },
                    &mut out,
                );
            }
        }
        out
    }
}

/// How writes are accepted (AZURE_FACTS §5.1).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WriteMode {
    /// One write region; the others are read replicas.
    Single,
    /// Every replica accepts writes; concurrent writes conflict.
    Multi,
}

/// Consistency level (AZURE_FACTS §5.2).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Consistency {
    /// Linearizable: a write is acknowledged after every region has it.
    Strong,
    /// Reads lag by at most K versions or T seconds.
    BoundedStaleness,
    /// Read-your-writes within a session (the default).
    Session,
    /// No out-of-order reads.
    ConsistentPrefix,
    /// No ordering guarantee.
    Eventual,
}

/// How the write region moves when it fails (AZURE_FACTS §5.3).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FailoverMode {
    /// The service promotes the next region by priority after a delay.
    ServiceManaged,
    /// Manual failover does not succeed during the outage: writes wait for recovery.
    Manual,
}

/// Bounds of bounded staleness (AZURE_FACTS §5.2).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StalenessBound {
    /// At most this many versions behind (multi-region minimum 100,000).
    pub versions: u64,
    /// At most this long behind (multi-region minimum 300 s).
    pub interval: SimDuration,
}

/// A component kept in one region that every stamp depends on.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Singleton {
    /// Name (`keyvault`, `registry`, `logs`, …).
    pub name: String,
    /// Its home region: it is down when that region is.
    pub region: String,
    /// Share of user requests that need it (default 1).
    #[serde(default = "one_f")]
    pub share: f64,
    /// A deep health check includes it (so its outage marks every stamp down).
    #[serde(default = "yes")]
    pub deep_check: bool,
    /// Regions holding a geo-replica it fails over to (a geo-replicated
    /// registry, a paired key vault). With replicas, a region outage takes it
    /// down only when its home and every replica region are down; a
    /// `singleton_outage` fault (the service itself failing) still does.
    #[serde(default)]
    pub geo_replicas: Vec<String>,
}

/// The shared data tier: a Cosmos-DB-like account (AZURE_FACTS §5).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DataTier {
    /// Regions with a replica, in failover priority order (the first is the
    /// write region in single-write mode).
    pub replicas: Vec<String>,
    /// Single or multi-region writes (default single, §5.3 best practice).
    #[serde(default = "write_mode")]
    pub write_mode: WriteMode,
    /// Consistency level (default session, §5.2).
    #[serde(default = "consistency")]
    pub consistency: Consistency,
    /// Bounded-staleness bounds (default the multi-region minimum, §5.2).
    #[serde(default)]
    pub staleness: Option<StalenessBound>,
    /// Service-managed or manual failover of the write region (default service-managed).
    #[serde(default = "failover_mode")]
    pub failover: FailoverMode,
    /// Write-region outage → the next region accepts writes (service-managed).
    /// AZURE_FACTS §5.3: "minutes", no published figure; 5 min assumed.
    #[serde(default = "failover_delay")]
    pub failover_delay: SimDuration,
    /// Distinct keys (documents).
    #[serde(default = "keys")]
    pub keys: u32,
    /// Zipf exponent of key popularity (0 = uniform).
    #[serde(default = "zipf")]
    pub zipf_exponent: f64,
    /// In-region point read, P50 4 ms (AZURE_FACTS §5.1).
    #[serde(default = "read_latency")]
    pub read_latency: SimDuration,
    /// In-region write, P50 5 ms (AZURE_FACTS §5.1).
    #[serde(default = "write_latency")]
    pub write_latency: SimDuration,
    /// Replication lag = RTT/2 + commit time, exponential with this mean
    /// (AZURE_FACTS §5.2/§9: "RTT/2 + a few ms").
    #[serde(default = "commit_mean")]
    pub commit_mean: SimDuration,
    /// Components left in one region.
    #[serde(default)]
    pub singletons: Vec<Singleton>,
}

impl DataTier {
    /// The staleness bound in force (the multi-region minimum by default).
    pub fn staleness_bound(&self) -> StalenessBound {
        self.staleness.clone().unwrap_or(StalenessBound {
            versions: 100_000,
            interval: SimDuration::from_secs(300),
        })
    }
}

/// An explicit RTT between two places, replacing the table or the model.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RttOverride {
    /// One place (region or metro name).
    pub a: String,
    /// The other place.
    pub b: String,
    /// Round-trip time.
    pub rtt: SimDuration,
}

/// The global routing layer (one per scenario).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
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
    /// The scenario-file name of this routing kind.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Routing::Direct(_) => "direct",
            Routing::Dns(_) => "dns",
            Routing::AnycastL7(_) => "anycast_l7",
            Routing::AnycastL4(_) => "anycast_l4",
        }
    }
}

/// `kind = "direct"`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DirectRouting {
    /// The one region every request goes to.
    pub region: String,
}

/// Traffic Manager routing method (AZURE_FACTS §2).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
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
pub enum HealthDepth {
    /// Liveness: the process is up.
    Shallow,
    /// Readiness: critical dependencies are reachable too.
    Deep,
}

/// The health endpoint the router probes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
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

/// App Service plan tiers and their instance caps (AZURE_FACTS §4.3).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Sku {
    /// Basic: at most 3 instances.
    Basic,
    /// Standard: at most 10.
    Standard,
    /// Premium v3: at most 30.
    PremiumV3,
    /// Isolated v2: at most 100.
    IsolatedV2,
}

impl Sku {
    /// The plan's maximum instance count (AZURE_FACTS §4.3).
    pub fn max_instances(self) -> u32 {
        match self {
            Sku::Basic => 3,
            Sku::Standard => 10,
            Sku::PremiumV3 => 30,
            Sku::IsolatedV2 => 100,
        }
    }
}

/// How a stamp's front end spreads requests over its instances.
///
/// App Service's front ends are layer-7 proxies that, in Microsoft's words,
/// use "a simple round robin between a set of servers allocated for a given
/// application" (Inside the Azure App Service Architecture, MSDN Magazine,
/// February 2017). No least-outstanding rule is documented for App Service,
/// so none is offered. A scale unit has several front ends, each rotating on
/// its own: the combined stream reaching an instance lies between
/// `round_robin` (one rotation) and `random`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Dispatch {
    /// One queue shared by every worker of the stamp: the ideal limit (an
    /// M/M/c queue), better than any real front end.
    Pooled,
    /// Each request to the next instance in turn (the documented rule).
    RoundRobin,
    /// Each request to an instance chosen at random.
    Random,
}

/// Instance counts of a stamp.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Instances {
    /// Instances serving at the start.
    pub initial: u32,
    /// Autoscale floor (default: `initial`).
    #[serde(default)]
    pub min: Option<u32>,
    /// Autoscale ceiling (default: the SKU cap).
    #[serde(default)]
    pub max: Option<u32>,
}

/// Server time of one request.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ServiceTime {
    /// Exponential with this mean (M/M/c validation).
    Exponential {
        /// Mean.
        mean: SimDuration,
    },
    /// Log-normal given by its median and 99th percentile.
    Lognormal {
        /// Median.
        median: SimDuration,
        /// 99th percentile (must exceed the median).
        p99: SimDuration,
    },
    /// Always the same.
    Constant {
        /// The value.
        value: SimDuration,
    },
}

impl ServiceTime {
    /// The distribution's mean.
    pub fn mean(&self) -> SimDuration {
        match self {
            ServiceTime::Exponential { mean } => *mean,
            ServiceTime::Constant { value } => *value,
            ServiceTime::Lognormal { median, p99 } => {
                let sigma = lognormal_sigma(*median, *p99);
                SimDuration::from_secs_f64(median.as_secs_f64() * libm::exp(sigma * sigma / 2.0))
            }
        }
    }
}

/// σ of a log-normal with the given median and p99 (z(0.99) = 2.326348).
pub(crate) fn lognormal_sigma(median: SimDuration, p99: SimDuration) -> f64 {
    let m = median.as_secs_f64().max(1e-9);
    let p = p99.as_secs_f64().max(m * 1.000_001);
    libm::log(p / m) / 2.326_347_874
}

/// A regional stamp.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    /// Azure region name (`eastus2`).
    pub name: String,
    /// App Service plan tier (default Premium v3).
    #[serde(default = "sku")]
    pub sku: Sku,
    /// Instance counts.
    pub instances: Instances,
    /// Concurrent requests one instance serves (assumption: 8 workers).
    #[serde(default = "workers")]
    pub workers_per_instance: u32,
    /// Server time of a request.
    pub service_time: ServiceTime,
    /// How the front end spreads requests over the instances, each of which
    /// queues its own (default `round_robin`, the rule App Service documents;
    /// see [`Dispatch`]).
    #[serde(default = "dispatch")]
    pub dispatch: Dispatch,
    /// Requests that may wait on one instance before it sheds with 503.
    /// Default 1,000: IIS's application-pool `queueLength` default, past which
    /// HTTP.sys answers 503 (Windows plans; the IIS configuration reference).
    /// Linux plans document no per-instance queue limit: the same figure is
    /// assumed there.
    #[serde(default = "queue_per_instance")]
    pub queue_limit_per_instance: u32,
    /// The front end answers 5xx for a request it has held this long (the
    /// request stays queued on its instance and is still served, its answer
    /// unread). App Service's front end gives up after 230 s (a Microsoft FAQ
    /// figure, not in the facts sheet). Server time is capped at this too.
    #[serde(default = "request_timeout")]
    pub request_timeout: SimDuration,
    /// A `Retry-After` the stamp's 503s (requests it sheds) carry. None by
    /// default: the platform's queue-full 503 sends none; an app-level load
    /// shedder can (RFC 9110 §10.2.3).
    #[serde(default)]
    pub retry_after: Option<SimDuration>,
    /// Rule-based autoscale (absent: fixed size).
    #[serde(default)]
    pub autoscale: Option<Autoscale>,
}

/// The metric autoscale watches.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AutoscaleMetric {
    /// Average worker utilisation (like CPU %), 0–1 thresholds.
    Utilisation,
    /// Requests per second per serving instance.
    RequestsPerInstance,
}

/// Azure-Monitor-style rule-based autoscale (AZURE_FACTS §4.1).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Autoscale {
    /// Metric.
    #[serde(default = "as_metric")]
    pub metric: AutoscaleMetric,
    /// Look-back window: 5 min minimum (AZURE_FACTS §4.1).
    #[serde(default = "as_window")]
    pub window: SimDuration,
    /// The autoscale job runs every 30–60 s (AZURE_FACTS §4.1): 60 s.
    #[serde(default = "as_eval")]
    pub evaluation_interval: SimDuration,
    /// Platform metrics reach autoscale 1–3 min late (AZURE_FACTS §4.1): 2 min.
    #[serde(default = "as_metric_delay")]
    pub metric_delay: SimDuration,
    /// Scale out when the metric is above this (default 0.70).
    #[serde(default = "as_out")]
    pub scale_out_above: f64,
    /// Scale in when the metric is below this (default 0.30).
    #[serde(default = "as_in")]
    pub scale_in_below: f64,
    /// Instances added per scale-out (ChangeCount, default 1).
    #[serde(default = "one")]
    pub step_out: u32,
    /// Instances removed per scale-in (default 1).
    #[serde(default = "one")]
    pub step_in: u32,
    /// No further action until this passes: portal default 5 min (AZURE_FACTS §4.1).
    #[serde(default = "as_cooldown")]
    pub cooldown: SimDuration,
    /// Provisioning lag of a new instance, uniform between these (AZURE_FACTS
    /// §4.3: no official figure; 1–3 min suggested for warm code).
    #[serde(default = "as_prov_min")]
    pub provisioning_min: SimDuration,
    /// Upper end of the provisioning lag.
    #[serde(default = "as_prov_max")]
    pub provisioning_max: SimDuration,
    /// After provisioning, the instance serves at reduced capacity this long.
    #[serde(default)]
    pub warmup: SimDuration,
    /// Capacity share during warm-up (default 0.5).
    #[serde(default = "half")]
    pub warmup_capacity: f64,
}

/// A client population.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PopulationSpec {
    /// Name, shown in reports.
    pub name: String,
    /// Metro (or region) the clients are in.
    pub location: String,
    /// Request-rate profile.
    pub rate: RateProfile,
    /// Distinct clients, each with its own DNS cache and connection.
    #[serde(default = "clients")]
    pub clients: u64,
    /// Last-mile RTT added to every path (AZURE_FACTS §6.3 assumption:
    /// broadband 5–20 ms): 10 ms.
    #[serde(default = "access_rtt")]
    pub access_rtt: SimDuration,
    /// Round trips a new connection costs (TCP + TLS: 3–5, AZURE_FACTS §1.1): 3.
    #[serde(default = "handshake_rtts")]
    pub handshake_round_trips: u32,
    /// Per-try timeout (assumption: 10 s, a typical API client setting).
    #[serde(default = "try_timeout")]
    pub timeout: SimDuration,
    /// Connect timeout for a new connection (assumption: 5 s).
    #[serde(default = "connect_timeout")]
    pub connect_timeout: SimDuration,
    /// Retry policy.
    #[serde(default)]
    pub retry: RetryPolicy,
    /// DNS cache behaviour.
    #[serde(default)]
    pub dns: DnsBehaviour,
    /// Keep-alive connection reuse.
    #[serde(default)]
    pub keepalive: KeepAlive,
    /// Share of requests that write (with a data tier; assumption: 0.1).
    #[serde(default = "write_share")]
    pub write_share: f64,
    /// Share of this population's requests that skip the router and call the
    /// first region's own hostname (clients or scripts still using
    /// `<app>.azurewebsites.net`). One try each, no retries; an origin lock
    /// (`design.origin_lock` with Front Door) refuses them with 403. Counted
    /// in `summary.bypass`, not in the population's availability. Default 0.
    #[serde(default)]
    pub bypass_share: f64,
    /// Share of this population's requests that carry an attack payload
    /// (injection attempts, scanners). Front Door's WAF with managed rules
    /// (Premium, `design.waf = "managed_rules"`) blocks them at the edge;
    /// otherwise they reach a stamp and load it. One try each; counted in
    /// `summary.attacks`, not in the population's availability. Default 0.
    #[serde(default)]
    pub attack_share: f64,
}

/// Request-rate profile of a population.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RateProfile {
    /// A constant rate.
    Constant {
        /// Requests per second.
        rps: f64,
    },
    /// Piecewise constant: `rps` from the start, then each step from its time.
    Steps {
        /// Initial rate.
        rps: f64,
        /// Later changes.
        steps: Vec<RateStep>,
    },
    /// A 24-hour cycle: mean × (1 + amplitude × cos(2π(t − peak_at)/24 h)).
    Diurnal {
        /// Mean rate.
        mean_rps: f64,
        /// Relative swing, 0–1.
        amplitude: f64,
        /// Time of the daily peak, from the start of the run.
        peak_at: SimDuration,
    },
    /// A base rate with one burst.
    Spike {
        /// Rate outside the burst.
        base_rps: f64,
        /// Rate during the burst.
        peak_rps: f64,
        /// Start of the burst.
        at: SimDuration,
        /// Length of the burst.
        duration: SimDuration,
    },
}

impl RateProfile {
    /// The highest rate the profile reaches, requests per second.
    pub fn peak_rps(&self) -> f64 {
        match self {
            RateProfile::Constant { rps } => *rps,
            RateProfile::Steps { rps, steps } => steps.iter().map(|s| s.rps).fold(*rps, f64::max),
            RateProfile::Diurnal {
                mean_rps, amplitude, ..
            } => mean_rps * (1.0 + amplitude),
            RateProfile::Spike { base_rps, peak_rps, .. } => base_rps.max(*peak_rps),
        }
    }
}

/// One change of a `steps` profile.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RateStep {
    /// When the new rate starts.
    pub at: SimDuration,
    /// The new rate.
    pub rps: f64,
}

/// Backoff jitter.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Jitter {
    /// Exactly the computed backoff.
    None,
    /// Uniform in [0, backoff].
    Full,
    /// Uniform in [backoff/2, backoff].
    Equal,
}

/// Client retry policy.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicy {
    /// Total tries including the first (1 = no retry). Default 3 (assumption).
    #[serde(default = "attempts")]
    pub attempts: u32,
    /// First backoff (default 200 ms).
    #[serde(default = "backoff")]
    pub backoff: SimDuration,
    /// Backoff multiplier per retry (default 2).
    #[serde(default = "multiplier")]
    pub multiplier: f64,
    /// Backoff ceiling (default 10 s).
    #[serde(default = "max_backoff")]
    pub max_backoff: SimDuration,
    /// Jitter (default full).
    #[serde(default = "jitter")]
    pub jitter: Jitter,
    /// Wait at least a 503's `Retry-After` before retrying (default true:
    /// Azure SDKs' and most HTTP clients' retry policies do). It matters only
    /// where a region sends one (`regions[].retry_after`).
    #[serde(default = "honour_retry_after")]
    pub honour_retry_after: bool,
    /// A retry budget (gRPC's retry throttling); absent: none.
    #[serde(default)]
    pub budget: Option<RetryBudget>,
    /// A circuit breaker; absent: none.
    #[serde(default)]
    pub circuit_breaker: Option<CircuitBreaker>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: attempts(),
            backoff: backoff(),
            multiplier: multiplier(),
            max_backoff: max_backoff(),
            jitter: jitter(),
            honour_retry_after: honour_retry_after(),
            budget: None,
            circuit_breaker: None,
        }
    }
}

/// Whose state a retry budget or circuit breaker keeps.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum GuardScope {
    /// Each client its own (a client process's channel or HTTP client).
    #[default]
    Client,
    /// One for the whole population (a shared gateway or proxy in front of it).
    Population,
}

/// A token-bucket retry budget as gRPC's retry throttling defines it (gRFC
/// A6): the bucket starts full; a failed try takes a token, a successful one
/// gives back `token_ratio`; a retry is sent only while more than half the
/// tokens are left. Otherwise the request fails with its last try's cause.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RetryBudget {
    /// Bucket size, 1–1000 (gRPC: `maxTokens`; 10 in its examples).
    #[serde(default = "budget_tokens")]
    pub max_tokens: f64,
    /// Tokens a success gives back, 0.001–1 (gRPC: `tokenRatio`; 0.1 in its examples).
    #[serde(default = "budget_ratio")]
    pub token_ratio: f64,
    /// Per client (default) or per population.
    #[serde(default)]
    pub per: GuardScope,
}

/// A circuit breaker: after `failures` failed tries in a row it opens, and
/// for `open_for` requests fail at once without a try (cause
/// `circuit_open`, never retried); then one failure opens it again, one
/// success closes it (half-open).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CircuitBreaker {
    /// Failed tries in a row that open it, 1–1000 (default 5, Polly's and
    /// resilience4j's style of threshold; an assumption).
    #[serde(default = "breaker_failures")]
    pub failures: u32,
    /// How long it stays open (default 30 s, an assumption).
    #[serde(default = "breaker_open_for")]
    pub open_for: SimDuration,
    /// Per client (default) or per population.
    #[serde(default)]
    pub per: GuardScope,
}

/// How a population's clients cache DNS answers (AZURE_FACTS §7; the fit
/// of the defaults to §7.1 is in `model::clients`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DnsBehaviour {
    /// Share of clients whose resolver and runtime honour the TTL: 0.862
    /// (fitted to §7.1's measurement).
    #[serde(default = "honour_share")]
    pub honour_ttl: f64,
    /// Share that never re-resolves (a JVM with a security manager, §7.2):
    /// 0 by default (the measurement shows a finite tail).
    #[serde(default = "forever_share")]
    pub forever: f64,
    /// The rest hold each answer for the TTL plus a Lomax extra time with
    /// this shape (> 1; default 2, chosen) …
    #[serde(default = "stale_shape")]
    pub stale_shape: f64,
    /// … and this scale (default 170 s, fitted to §7.1).
    #[serde(default = "stale_scale")]
    pub stale_scale: SimDuration,
    /// A client whose connections broke this many times in a row looks its
    /// name up again, whatever its cache says (not clients that never
    /// re-resolve). 0 = never. Default 2 (assumption).
    #[serde(default = "reresolve_after")]
    pub reresolve_after_failures: u32,
}

impl Default for DnsBehaviour {
    fn default() -> Self {
        DnsBehaviour {
            honour_ttl: honour_share(),
            forever: forever_share(),
            stale_shape: stale_shape(),
            stale_scale: stale_scale(),
            reresolve_after_failures: reresolve_after(),
        }
    }
}

/// Keep-alive connection reuse (AZURE_FACTS §7.2, §7.3).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KeepAlive {
    /// Reuse connections at all.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// An idle connection is closed after this (Chromium: 300 s for a used
    /// socket, AZURE_FACTS §7.2).
    #[serde(default = "idle_timeout")]
    pub idle_timeout: SimDuration,
    /// A connection is recycled after this (IHttpClientFactory handler lifetime
    /// 2 min, AZURE_FACTS §7.2). `"infinite"` keeps it until it breaks, as a
    /// long-lived .NET HttpClient does.
    #[serde(default = "lifetime")]
    pub lifetime: Lifetime,
}

impl Default for KeepAlive {
    fn default() -> Self {
        KeepAlive {
            enabled: true,
            idle_timeout: idle_timeout(),
            lifetime: lifetime(),
        }
    }
}

/// A duration or `"infinite"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// Never recycled.
    Infinite,
    /// Recycled after this long.
    After(SimDuration),
}

impl Serialize for Lifetime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Lifetime::Infinite => s.serialize_str("infinite"),
            Lifetime::After(d) => d.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Lifetime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "infinite" {
            Ok(Lifetime::Infinite)
        } else {
            crate::time::parse_duration(&s)
                .map(Lifetime::After)
                .map_err(|e| serde::de::Error::custom(format!("{e}, or \"infinite\"")))
        }
    }
}

/// A scheduled fault with a start and a duration.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// The whole region is down: no requests, no probes; in-flight work is lost.
    RegionOutage {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// The region is unreachable from the internet but keeps running.
    NetworkOutage {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// A share of requests (and probes) fail, and responses are slower.
    BrownOut {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
        /// Share of requests answered with 5xx, 0–1.
        error_rate: f64,
        /// Extra latency on every response.
        #[serde(default)]
        added_latency: SimDuration,
    },
    /// A share of the region's instances is lost.
    CapacityLoss {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
        /// Share of instances lost, 0–1.
        fraction: f64,
    },
    /// User requests fail but the health endpoint says 200; a deep check
    /// catches it only when the broken piece is one of its dependencies.
    GrayFailure {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
        /// Share of user requests that fail, 0–1.
        error_rate: f64,
        /// The broken piece is a dependency a deep health check includes.
        #[serde(default = "yes")]
        deep_check_detects: bool,
    },
    /// Only the health endpoint fails; user traffic is fine.
    ProbeFailure {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// The region's data replica is down (the stamp runs): reads go to another
    /// replica; if it is the write region, writes wait for failover.
    ReplicaOutage {
        /// Region.
        region: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// Replication between two regions stops, then catches up.
    Partition {
        /// One side.
        region: String,
        /// The other side.
        other: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// A singleton (key vault, registry, …) is down.
    SingletonOutage {
        /// The singleton's name.
        singleton: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
    /// A Front Door POP is down; its clients go to the next nearest POP.
    PopOutage {
        /// POP metro.
        pop: String,
        /// Start.
        start: SimDuration,
        /// Length.
        duration: SimDuration,
    },
}

impl Fault {
    /// The scenario-file name of this fault kind.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Fault::RegionOutage { .. } => "region_outage",
            Fault::NetworkOutage { .. } => "network_outage",
            Fault::BrownOut { .. } => "brown_out",
            Fault::CapacityLoss { .. } => "capacity_loss",
            Fault::GrayFailure { .. } => "gray_failure",
            Fault::ProbeFailure { .. } => "probe_failure",
            Fault::PopOutage { .. } => "pop_outage",
            Fault::ReplicaOutage { .. } => "replica_outage",
            Fault::Partition { .. } => "partition",
            Fault::SingletonOutage { .. } => "singleton_outage",
        }
    }
    /// When it starts.
    pub fn start(&self) -> SimDuration {
        match self {
            Fault::RegionOutage { start, .. }
            | Fault::NetworkOutage { start, .. }
            | Fault::BrownOut { start, .. }
            | Fault::CapacityLoss { start, .. }
            | Fault::GrayFailure { start, .. }
            | Fault::ProbeFailure { start, .. }
            | Fault::ReplicaOutage { start, .. }
            | Fault::Partition { start, .. }
            | Fault::SingletonOutage { start, .. }
            | Fault::PopOutage { start, .. } => *start,
        }
    }
    /// How long it lasts.
    pub fn duration(&self) -> SimDuration {
        match self {
            Fault::RegionOutage { duration, .. }
            | Fault::NetworkOutage { duration, .. }
            | Fault::BrownOut { duration, .. }
            | Fault::CapacityLoss { duration, .. }
            | Fault::GrayFailure { duration, .. }
            | Fault::ProbeFailure { duration, .. }
            | Fault::ReplicaOutage { duration, .. }
            | Fault::Partition { duration, .. }
            | Fault::SingletonOutage { duration, .. }
            | Fault::PopOutage { duration, .. } => *duration,
        }
    }
    /// The region it hits (None for a POP outage).
    pub fn region(&self) -> Option<&str> {
        match self {
            Fault::RegionOutage { region, .. }
            | Fault::NetworkOutage { region, .. }
            | Fault::BrownOut { region, .. }
            | Fault::CapacityLoss { region, .. }
            | Fault::GrayFailure { region, .. }
            | Fault::ProbeFailure { region, .. }
            | Fault::ReplicaOutage { region, .. }
            | Fault::Partition { region, .. } => Some(region),
            Fault::PopOutage { .. } | Fault::SingletonOutage { .. } => None,
        }
    }
    /// Moves the fault to start at `start` and last `duration`.
    pub fn set_times(&mut self, start: SimDuration, duration: SimDuration) {
        match self {
            Fault::RegionOutage {
                start: s, duration: d, ..
            }
            | Fault::NetworkOutage {
                start: s, duration: d, ..
            }
            | Fault::BrownOut {
                start: s, duration: d, ..
            }
            | Fault::CapacityLoss {
                start: s, duration: d, ..
            }
            | Fault::GrayFailure {
                start: s, duration: d, ..
            }
            | Fault::ProbeFailure {
                start: s, duration: d, ..
            }
            | Fault::ReplicaOutage {
                start: s, duration: d, ..
            }
            | Fault::Partition {
                start: s, duration: d, ..
            }
            | Fault::SingletonOutage {
                start: s, duration: d, ..
            }
            | Fault::PopOutage {
                start: s, duration: d, ..
            } => {
                *s = start;
                *d = duration;
            }
        }
    }

    /// What it hits, for reports.
    pub fn target(&self) -> &str {
        match self {
            Fault::PopOutage { pop, .. } => pop,
            Fault::SingletonOutage { singleton, .. } => singleton,
            _ => self.region().unwrap_or_default(),
        }
    }

    /// What a fault of kind `kind` (its scenario-file name) does, in one
    /// line; None for an unknown kind. Front ends show it beside the choice.
    pub fn effect(kind: &str) -> Option<&'static str> {
        Some(match kind {
            "region_outage" => "The whole region is down: no requests, no probes; work in flight is lost.",
            "network_outage" => "The region keeps running but nothing on the internet reaches it.",
            "brown_out" => "A share of requests (and probes) get 5xx, and every answer is slower by the added latency.",
            "capacity_loss" => {
                "A share of the region's instances is lost; the rest carry the load until autoscale adds more."
            }
            "gray_failure" => {
                "A share of user requests fail while the health endpoint says 200; a deep health check sees it only if the broken piece is one of its dependencies."
            }
            "probe_failure" => "Only the health endpoint fails; users are served fine, but routers may still move them away.",
            "pop_outage" => "A Front Door POP is down; its clients reach the next nearest POP.",
            "replica_outage" => {
                "The region's database replica is down: reads go to another replica; if it is the write region, writes wait for failover."
            }
            "partition" => "Replication between two regions stops, then catches up when it ends.",
            "singleton_outage" => "A single shared dependency (key vault, registry, …) is down for every region.",
            _ => return None,
        })
    }

    /// This fault in one line with its own strengths, e.g. "brown_out of
    /// eastus2 from 10:00 for 30:00: 50 % of requests get 5xx, answers
    /// 500ms slower".
    pub fn describe(&self) -> String {
        let (s, d) = (self.start(), self.duration());
        let what = match self {
            Fault::Partition { region, other, .. } => format!("{} between {region} and {other}", self.kind_name()),
            _ => format!("{} of {}", self.kind_name(), self.target()),
        };
        let strength = match self {
            Fault::BrownOut {
                error_rate,
                added_latency,
                ..
            } => {
                let mut parts = Vec::new();
                if *error_rate > 0.0 {
                    parts.push(format!("{} of requests and probes get 5xx", percent(*error_rate)));
                }
                if *added_latency > SimDuration::ZERO {
                    parts.push(format!("answers {added_latency} slower"));
                }
                if parts.is_empty() {
                    "no errors and no added latency (no effect)".to_string()
                } else {
                    parts.join(", ")
                }
            }
            Fault::CapacityLoss { fraction, .. } => format!("{} of its instances lost", percent(*fraction)),
            Fault::GrayFailure {
                error_rate,
                deep_check_detects,
                ..
            } => format!(
                "{} of user requests fail, probes say 200; a deep health check {}",
                percent(*error_rate),
                if *deep_check_detects {
                    "sees it"
                } else {
                    "does not see it"
                }
            ),
            _ => Fault::effect(self.kind_name())
                .unwrap_or_default()
                .trim_end_matches('.')
                .to_string(),
        };
        format!("{what} from {} for {d}: {strength}", SimTime(s.0))
    }
}

/// A share 0–1 as a percentage with up to two decimals ("50 %", "0.5 %").
fn percent(x: f64) -> String {
    let p = format!("{:.2}", x * 100.0);
    let p = p.trim_end_matches('0').trim_end_matches('.');
    format!("{p} %")
}

impl Routing {
    /// A router of kind `kind` (`direct`, `dns`, `anycast_l7`, `anycast_l4`)
    /// over `regions` with every setting at its documented default: what a
    /// front end offers when the user switches the routing kind. Active-active:
    /// DNS routes by performance, Front Door to the nearest origin.
    pub fn with_defaults(kind: &str, regions: &[String]) -> Option<Routing> {
        let first = regions.first()?.clone();
        Some(match kind {
            "direct" => Routing::Direct(DirectRouting { region: first }),
            "dns" => Routing::Dns(DnsRouting {
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
            }),
            "anycast_l7" => Routing::AnycastL7(FrontDoorRouting {
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
            }),
            "anycast_l4" => Routing::AnycastL4(CrossRegionLbRouting {
                global_probe_interval: l4_global_interval(),
                regional_probe_interval: l4_regional_interval(),
                probe_threshold: l4_threshold(),
                backends: regions.to_vec(),
            }),
            _ => return None,
        })
    }
}

impl Default for Autoscale {
    /// Every setting at its documented default (AZURE_FACTS §4.1, §4.3).
    fn default() -> Self {
        Autoscale {
            metric: as_metric(),
            window: as_window(),
            evaluation_interval: as_eval(),
            metric_delay: as_metric_delay(),
            scale_out_above: as_out(),
            scale_in_below: as_in(),
            step_out: one(),
            step_in: one(),
            cooldown: as_cooldown(),
            provisioning_min: as_prov_min(),
            provisioning_max: as_prov_max(),
            warmup: SimDuration::ZERO,
            warmup_capacity: half(),
        }
    }
}

impl Fault {
    /// Every fault kind's scenario-file name.
    pub const KINDS: [&'static str; 7] = [
        "region_outage",
        "network_outage",
        "brown_out",
        "capacity_loss",
        "gray_failure",
        "probe_failure",
        "pop_outage",
    ];

    /// A fault of kind `kind` on `target` (a region, or a POP metro for
    /// `pop_outage`), with partial faults at half strength: what a front end
    /// offers when the user picks a fault kind.
    pub fn with_defaults(kind: &str, target: &str, start: SimDuration, duration: SimDuration) -> Option<Fault> {
        let region = target.to_string();
        Some(match kind {
            "region_outage" => Fault::RegionOutage {
                region,
                start,
                duration,
            },
            "network_outage" => Fault::NetworkOutage {
                region,
                start,
                duration,
            },
            "brown_out" => Fault::BrownOut {
                region,
                start,
                duration,
                error_rate: 0.5,
                added_latency: SimDuration::from_millis(500),
            },
            "capacity_loss" => Fault::CapacityLoss {
                region,
                start,
                duration,
                fraction: 0.5,
            },
            "gray_failure" => Fault::GrayFailure {
                region,
                start,
                duration,
                error_rate: 0.5,
                deep_check_detects: true,
            },
            "probe_failure" => Fault::ProbeFailure {
                region,
                start,
                duration,
            },
            "pop_outage" => Fault::PopOutage {
                pop: region,
                start,
                duration,
            },
            _ => return None,
        })
    }
}

/// Why a scenario could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The text is not valid TOML/JSON or does not match the schema.
    #[error("{format} parse error: {message}")]
    Parse {
        /// `TOML` or `JSON`.
        format: &'static str,
        /// The parser's message, with line and column where known.
        message: String,
    },
    /// The scenario parsed but some fields are invalid; every error is listed.
    #[error("{} invalid field(s):\n{}", .0.len(), .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<FieldError>),
}

impl Scenario {
    /// Parses TOML and validates. A shape error (a wrong type, an unknown
    /// field or value) is reported with its field path, every one found.
    pub fn from_toml(text: &str) -> Result<Scenario, ScenarioError> {
        let sc = decode::toml(text)?;
        sc.validate()?;
        Ok(sc)
    }

    /// Parses JSON (one object) and validates, like [`Scenario::from_toml`].
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let sc = decode::json(text)?;
        sc.validate()?;
        Ok(sc)
    }

    /// Parses JSON when the text starts with `{` (after any byte-order mark
    /// and white space) or is a JSON array (refused with a message: a TOML
    /// file may start with `[table]`), TOML otherwise.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
        let json_array = || body.starts_with('[') && serde_json::from_str::<serde_json::Value>(body).is_ok();
        if body.starts_with('{') || json_array() {
            Self::from_json(text)
        } else {
            Self::from_toml(text)
        }
    }

    /// Checks every field against what is allowed, reporting all errors at
    /// once — the variants' too.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        /// The most `[[variants]]` a scenario may carry.
        const MAX_VARIANTS: usize = 64;
        let mut errs = validate::validate(self, &Limits::default());
        if self.variants.len() > MAX_VARIANTS {
            // Each is a whole scenario, validated and (in a comparison) run.
            errs.push(FieldError {
                path: "variants".into(),
                message: format!(
                    "{} variants: at most {MAX_VARIANTS} (each one is validated and run in full); split the comparison into several files, or sweep a parameter with `regionsim sweep`",
                    self.variants.len()
                ),
            });
            return Err(ScenarioError::Invalid(errs));
        }
        if errs.is_empty() && !self.variants.is_empty() {
            let mut names = std::collections::BTreeSet::new();
            for (i, v) in self.variants.iter().enumerate() {
                if v.name == "base" || !names.insert(v.name.as_str()) {
                    errs.push(FieldError {
                        path: format!("variants[{i}].name"),
                        message: format!("{:?} is taken: variant names are unique and not \"base\"", v.name),
                    });
                }
            }
            if let Err(ScenarioError::Invalid(list)) = self.expand_variants(&[]) {
                errs.extend(list);
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(ScenarioError::Invalid(errs))
        }
    }

    /// Writes the scenario as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot serialise: {e}"))
    }
}

#[cfg(test)]
mod fault_text_tests {
    use super::*;

    fn every_kind() -> Vec<Fault> {
        let (start, duration) = (SimDuration::from_secs(600), SimDuration::from_secs(1800));
        let mut v: Vec<Fault> = Fault::KINDS
            .iter()
            .filter_map(|k| Fault::with_defaults(k, "eastus2", start, duration))
            .collect();
        let region = "eastus2".to_string();
        v.push(Fault::ReplicaOutage {
            region: region.clone(),
            start,
            duration,
        });
        v.push(Fault::Partition {
            region,
            other: "centralus".into(),
            start,
            duration,
        });
        v.push(Fault::SingletonOutage {
            singleton: "keyvault".into(),
            start,
            duration,
        });
        v
    }

    #[test]
    fn every_kind_has_an_effect_and_a_description() {
        let all = every_kind();
        assert_eq!(all.len(), 10, "one fault of each kind");
        for f in &all {
            let effect = Fault::effect(f.kind_name()).unwrap_or_default();
            assert!(effect.len() > 20, "{}: no effect line", f.kind_name());
            let d = f.describe();
            assert!(d.starts_with(f.kind_name()) && d.contains("from 10:00 for 30m"), "{d}");
        }
        assert_eq!(Fault::effect("meteor"), None);
    }

    #[test]
    fn descriptions_carry_the_strengths() {
        let f = Fault::BrownOut {
            region: "eastus2".into(),
            start: SimDuration::from_secs(60),
            duration: SimDuration::from_secs(90),
            error_rate: 0.125,
            added_latency: SimDuration::from_millis(250),
        };
        assert_eq!(
            f.describe(),
            "brown_out of eastus2 from 01:00 for 1m 30s: 12.5 % of requests and probes get 5xx, answers 250ms slower"
        );
        let f = Fault::CapacityLoss {
            region: "westus".into(),
            start: SimDuration::ZERO,
            duration: SimDuration::from_secs(3600),
            fraction: 0.5,
        };
        assert!(
            f.describe().ends_with(": 50 % of its instances lost"),
            "{}",
            f.describe()
        );
    }
}
