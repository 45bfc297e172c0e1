//! A client population: where it is, its request rate, and how its clients
//! retry, resolve names and keep connections.

use super::defaults::*;
use super::*;

/// A client population.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct RateStep {
    /// When the new rate starts.
    pub at: SimDuration,
    /// The new rate.
    pub rps: f64,
}

impl RateStep {
    /// The rate becomes `rps` requests per second `at` into the run.
    pub fn new(at: SimDuration, rps: f64) -> RateStep {
        RateStep { at, rps }
    }
}

/// Backoff jitter.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
