//! Default values for scenario fields: what serde gives an absent field and
//! what the constructors and the builder (`builder.rs`) fill in. Each cites
//! its source here or in the field's rustdoc in its section's file; the
//! numbers live here once.

use super::*;
use crate::time::SimDuration as D;

pub(super) fn seed() -> u64 {
    1
}
pub(super) fn bucket() -> D {
    D::from_secs(1)
}
pub(super) fn max_points() -> u32 {
    3_600
}
// AZURE_FACTS §8: mission-critical reference SLO 99.95 %.
pub(super) fn slo() -> f64 {
    0.9995
}
pub(super) fn yes() -> bool {
    true
}
pub(super) fn one() -> u32 {
    1
}
pub(super) fn half() -> f64 {
    0.5
}
// --- Traffic Manager (AZURE_FACTS §2) ---
pub(super) fn dns_method() -> DnsMethod {
    DnsMethod::Priority
}
// §2: no service default; portal shows 60 s.
pub(super) fn dns_ttl() -> D {
    D::from_secs(60)
}
// §2: normal probing interval 30 s.
pub(super) fn tm_probe_interval() -> D {
    D::from_secs(30)
}
// §2: timeout default 10 s at a 30 s interval.
pub(super) fn tm_probe_timeout() -> D {
    D::from_secs(10)
}
// §2: tolerated number of failures default 3.
pub(super) fn tm_tolerated() -> u32 {
    3
}
// §2 documents per-location judging, not how locations combine: the
// majority rule is an assumption (reported as such).
pub(super) fn tm_degraded_when() -> MonitorRule {
    MonitorRule::Majority
}
// §2: probes come from many agent locations (older FAQ: ~24 addresses).
pub(super) fn tm_locations() -> Vec<String> {
    [
        "ashburn",
        "chicago",
        "san_jose",
        "dublin",
        "amsterdam",
        "singapore",
        "tokyo",
        "sao_paulo",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}
// Assumption: a resolver round trip.
pub(super) fn dns_lookup_time() -> D {
    D::from_millis(20)
}
// §2: weight default 1.
pub(super) fn tm_weight() -> u32 {
    1
}
// --- Front Door (AZURE_FACTS §1) ---
// Standard/Premium (see `FrontDoorDefaults::of`).
// §1.3/§9: 100 s, what the portal and Microsoft's samples set (sampled; the
// API's description says 240 s; the docs state no portal default).
pub(crate) fn afd_probe_interval() -> D {
    D::from_secs(100)
}
// §1.3: sample size 4 (both tiers).
pub(crate) fn afd_sample_size() -> u32 {
    4
}
// §1.3: 3 of 4, common Std/Premium value (sampled).
pub(crate) fn afd_successful_samples() -> u32 {
    3
}
// §1.3: 50 ms common portal value (sampled).
pub(crate) fn afd_latency_sensitivity() -> D {
    D::from_millis(50)
}
// Classic: its API object defaults (§1.3, documented).
// §1.3: IntervalInSeconds default 30.
pub(crate) fn afd_classic_probe_interval() -> D {
    D::from_secs(30)
}
// §1.3: SuccessfulSamplesRequired default 2.
pub(crate) fn afd_classic_successful_samples() -> u32 {
    2
}
// §1.3: AdditionalLatencyInMilliseconds default 0.
pub(crate) fn afd_classic_latency_sensitivity() -> D {
    D::ZERO
}
// §1.4: origin response timeout default 30 s.
pub(super) fn afd_origin_timeout() -> D {
    D::from_secs(30)
}
// §1.3: the documented behaviour.
pub(super) fn afd_all_unhealthy() -> AllUnhealthy {
    AllUnhealthy::AllOrigins
}
// §1.2: priority default 1, weight default 50.
pub(super) fn afd_priority() -> u32 {
    1
}
pub(super) fn afd_weight() -> u32 {
    50
}
// --- Cross-region LB (AZURE_FACTS §3) ---
pub(super) fn l4_global_interval() -> D {
    D::from_secs(5)
}
pub(super) fn l4_regional_interval() -> D {
    D::from_secs(15)
}
pub(super) fn l4_threshold() -> u32 {
    2
}
// --- Health endpoint (AZURE_FACTS §8) ---
pub(super) fn health_path() -> String {
    "/health/stamp".to_string()
}
pub(super) fn health_depth() -> HealthDepth {
    HealthDepth::Shallow
}
// --- Regions (AZURE_FACTS §4) ---
pub(super) fn sku() -> Sku {
    Sku::PremiumV3
}
pub(super) fn workers() -> u32 {
    8
}
// §4 / IIS configuration reference: an application pool's queueLength
// defaults to 1,000; beyond it HTTP.sys answers 503 (Windows plans).
pub(super) fn queue_per_instance() -> u32 {
    1_000
}
// App Service's front end: "a simple round robin" (MSDN Magazine, Feb 2017).
pub(super) fn dispatch() -> Dispatch {
    Dispatch::RoundRobin
}
pub(super) fn request_timeout() -> D {
    D::from_secs(230)
}
// --- Autoscale (AZURE_FACTS §4.1, §4.3) ---
pub(super) fn as_metric() -> AutoscaleMetric {
    AutoscaleMetric::Utilisation
}
pub(super) fn as_window() -> D {
    D::from_mins(5)
}
pub(super) fn as_eval() -> D {
    D::from_secs(60)
}
pub(super) fn as_metric_delay() -> D {
    D::from_mins(2)
}
pub(super) fn as_out() -> f64 {
    0.70
}
pub(super) fn as_in() -> f64 {
    0.30
}
pub(super) fn as_cooldown() -> D {
    D::from_mins(5)
}
pub(super) fn as_prov_min() -> D {
    D::from_mins(1)
}
pub(super) fn as_prov_max() -> D {
    D::from_mins(3)
}
// --- Clients (AZURE_FACTS §6.3, §7) ---
pub(super) fn clients() -> u64 {
    10_000
}
pub(super) fn access_rtt() -> D {
    D::from_millis(10)
}
// §1.1: a TCP + TLS setup costs about 3–5 round trips (lower bound); also
// what a Front Door probe's fresh connection costs (§1.2).
pub(crate) fn handshake_rtts() -> u32 {
    3
}
pub(super) fn try_timeout() -> D {
    D::from_secs(10)
}
pub(super) fn connect_timeout() -> D {
    D::from_secs(5)
}
pub(super) fn attempts() -> u32 {
    3
}
pub(super) fn backoff() -> D {
    D::from_millis(200)
}
pub(super) fn multiplier() -> f64 {
    2.0
}
pub(super) fn max_backoff() -> D {
    D::from_secs(10)
}
pub(super) fn jitter() -> Jitter {
    Jitter::Full
}
// RFC 9110 §10.2.3; Azure SDK retry policies honour Retry-After.
pub(super) fn honour_retry_after() -> bool {
    true
}
// gRFC A6 (gRPC retry throttling): the example configuration's values.
pub(super) fn budget_tokens() -> f64 {
    10.0
}
pub(super) fn budget_ratio() -> f64 {
    0.1
}
// Assumption: a common circuit-breaker setting (5 failures, 30 s open).
pub(super) fn breaker_failures() -> u32 {
    5
}
pub(super) fn breaker_open_for() -> D {
    D::from_secs(30)
}
// §7.1: Flavel 2014 (TTL 20 s): ~90 % moved within 60 s, ~2 % still on the
// old target at 15 min. Fitted with Lomax extra holds (model::clients docs):
// shape 2 (chosen), scale 170 s and 13.8 % stale holders (fitted).
pub(super) fn honour_share() -> f64 {
    0.862
}
// §7.2: JVMs with a security manager cache forever; not in the fit: 0.
pub(super) fn forever_share() -> f64 {
    0.0
}
pub(super) fn stale_shape() -> f64 {
    2.0
}
pub(super) fn stale_scale() -> D {
    D::from_secs(170)
}
// Assumption: a client whose connections fail twice in a row looks its
// name up again (most HTTP stacks resolve per new connection; gRPC
// re-resolves on a failed connection). 0 = never.
pub(super) fn reresolve_after() -> u32 {
    2
}
// §7.2: Chromium closes a used idle socket after 300 s.
pub(super) fn idle_timeout() -> D {
    D::from_secs(300)
}
// §7.2: IHttpClientFactory handler lifetime 2 min.
pub(super) fn lifetime() -> Lifetime {
    Lifetime::After(D::from_mins(2))
}
// --- Data tier (AZURE_FACTS §5) ---
pub(super) fn one_f() -> f64 {
    1.0
}
// §5.3: single write region with service-managed failover is the regional HA best practice.
pub(super) fn write_mode() -> WriteMode {
    WriteMode::Single
}
// §5.2: session is the default level.
pub(super) fn consistency() -> Consistency {
    Consistency::Session
}
pub(super) fn failover_mode() -> FailoverMode {
    FailoverMode::ServiceManaged
}
// §5.3: "minutes", no published figure.
pub(super) fn failover_delay() -> D {
    D::from_mins(5)
}
pub(super) fn keys() -> u32 {
    100_000
}
pub(super) fn zipf() -> f64 {
    1.0
}
// §5.1: P50 read ≤ 4 ms, write ≤ 5 ms.
pub(super) fn read_latency() -> D {
    D::from_millis(4)
}
pub(super) fn write_latency() -> D {
    D::from_millis(5)
}
// §5.2/§9: replication lag ≈ RTT/2 + a few ms of commit.
pub(super) fn commit_mean() -> D {
    D::from_millis(5)
}
// Assumption: a read-heavy API.
pub(super) fn write_share() -> f64 {
    0.1
}
// Random faults: the user's assumptions (no facts figure).
pub(super) fn region_mttr() -> D {
    D::from_mins(60)
}
pub(super) fn pop_mttr() -> D {
    D::from_mins(10)
}
// --- Prices: illustrative examples, not live prices (Cosmos DB: AZURE_FACTS §5.4) ---
pub(super) fn currency() -> String {
    "USD".into()
}
pub(super) fn gateway_base() -> f64 {
    330.0
}
pub(super) fn gateway_per_million() -> f64 {
    1.0
}
pub(super) fn provisioned_ru() -> f64 {
    10_000.0
}
// §5.4: $0.008 per 100 RU/s per hour (single write), $0.016 with multi-region writes.
pub(super) fn ru_price() -> f64 {
    0.008
}
pub(super) fn ru_price_multi() -> f64 {
    0.016
}
pub(super) fn egress() -> f64 {
    0.087
}
pub(super) fn response_kb() -> f64 {
    4.0
}
pub(super) fn price_basic() -> f64 {
    0.075
}
pub(super) fn price_standard() -> f64 {
    0.10
}
pub(super) fn price_premium() -> f64 {
    0.30
}
pub(super) fn price_isolated() -> f64 {
    0.60
}
