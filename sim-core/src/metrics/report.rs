//! The report: what a run produced. Serialisable with serde (JSON is the
//! interchange format between core, CLI, web and other tools); the time
//! series also export as CSV. `docs/report-schema.md` documents every field.

use serde::{Deserialize, Serialize};

/// Version of the report layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 4;

/// How many failure causes there are ([`FailCause::ALL`]).
pub const FAIL_CAUSES: usize = 6;

/// Why a request (or one try of it) failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FailCause {
    /// The client's per-try timeout ran out.
    Timeout,
    /// A new connection could not be made (refused or connect timeout).
    Connect,
    /// The stamp answered 5xx (brown-out, gray failure, request dropped after
    /// the stamp's request timeout).
    ServerError,
    /// The stamp was full and shed the request with 503.
    Shed,
    /// The gateway (Front Door) gave up on the origin: 504.
    Gateway,
    /// The client's circuit breaker was open: no try was sent.
    CircuitOpen,
}

impl FailCause {
    /// Every cause, in report order.
    pub const ALL: [FailCause; FAIL_CAUSES] = [
        FailCause::Timeout,
        FailCause::Connect,
        FailCause::ServerError,
        FailCause::Shed,
        FailCause::Gateway,
        FailCause::CircuitOpen,
    ];
    /// Index into per-cause arrays.
    pub fn index(self) -> usize {
        self as usize
    }
    /// Name as in reports.
    pub fn name(self) -> &'static str {
        match self {
            FailCause::Timeout => "timeout",
            FailCause::Connect => "connect",
            FailCause::ServerError => "server_error",
            FailCause::Shed => "shed",
            FailCause::Gateway => "gateway",
            FailCause::CircuitOpen => "circuit_open",
        }
    }
}

/// A region's actual condition in a bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegionStatus {
    /// No fault.
    Ok,
    /// A partial fault (brown-out, gray failure, capacity loss, probe failure).
    Degraded,
    /// Unreachable from the internet.
    Unreachable,
    /// Down.
    Down,
}

/// Everything a run produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Seed used.
    pub seed: u64,
    /// Routing kind (`direct`, `dns`, `anycast_l7`, `anycast_l4`).
    pub routing: String,
    /// The router's settings in this run and what each rests on
    /// (documented, sampled, assumed, or the scenario's choice).
    pub router: crate::scenario::provenance::RouterSettings,
    /// Simulated duration, seconds.
    pub duration_s: f64,
    /// Width of a time-series bucket, seconds (widened for long runs).
    pub bucket_s: f64,
    /// Per-bucket time series.
    pub series: Series,
    /// The summary.
    pub summary: Summary,
}

/// Column-oriented time series: one value per bucket in every vector.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Series {
    /// Start of each bucket, seconds.
    pub time_s: Vec<f64>,
    /// One per client population.
    pub populations: Vec<PopulationSeries>,
    /// One per region.
    pub regions: Vec<RegionSeries>,
}

/// A population's series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PopulationSeries {
    /// Population name.
    pub name: String,
    /// New requests (first tries) started in the bucket.
    pub offered: Vec<u32>,
    /// Requests that ended successfully in the bucket.
    pub succeeded: Vec<u32>,
    /// Requests that ended failed in the bucket, per cause ([`FailCause::ALL`] order).
    pub failed: Vec<[u32; FAIL_CAUSES]>,
    /// Tries sent (first tries and retries).
    pub tries: Vec<u32>,
    /// Tries sent to each region (`[region][bucket]`).
    pub tries_by_region: Vec<Vec<u32>>,
    /// End-to-end latency (first try to final answer) of successful requests
    /// ending in the bucket: median, ms (null when none).
    pub p50_ms: Vec<Option<f32>>,
    /// 95th percentile, ms.
    pub p95_ms: Vec<Option<f32>>,
    /// 99th percentile, ms.
    pub p99_ms: Vec<Option<f32>>,
}

/// A region's series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RegionSeries {
    /// Region name.
    pub name: String,
    /// User tries that reached the stamp.
    pub arrivals: Vec<u32>,
    /// Health probes that reached the stamp.
    pub probes: Vec<u32>,
    /// User requests the stamp completed.
    pub served: Vec<u32>,
    /// User requests answered with an error by the stamp (5xx, 503).
    pub errors: Vec<u32>,
    /// Instances serving at the bucket's end.
    pub instances_serving: Vec<u16>,
    /// Instances provisioning at the bucket's end.
    pub instances_provisioning: Vec<u16>,
    /// Busy share of the worker slots held in the bucket, 0–1, integrated
    /// as the work was done (a draining instance's busy workers count on
    /// both sides).
    pub utilisation: Vec<f32>,
    /// Offered load: server time brought by the requests (and probes) that
    /// reached the stamp in the bucket, over its serving capacity (worker
    /// slots in rotation × bucket length). Above 1 the stamp falls behind;
    /// null when it had no capacity at all.
    #[serde(default)]
    pub offered_load: Vec<Option<f32>>,
    /// Requests waiting for a worker at the bucket's end.
    pub queue_len: Vec<u32>,
    /// Share of routers / POPs / monitors that see the region healthy.
    pub healthy_view: Vec<f32>,
    /// The region's actual condition.
    pub status: Vec<RegionStatus>,
    /// Data reads made by the stamp (empty without a data tier).
    #[serde(default)]
    pub reads: Vec<u32>,
    /// Of those, reads that missed the key's latest write.
    #[serde(default)]
    pub stale_reads: Vec<u32>,
    /// Data writes attempted by the stamp.
    #[serde(default)]
    pub writes: Vec<u32>,
    /// Of those, writes refused (no write region, strong consistency, throttled).
    #[serde(default)]
    pub write_failures: Vec<u32>,
    /// Replication lag of this region's replica at the bucket's end: the
    /// age of the oldest write made elsewhere that it does not have yet, ms
    /// (0 when it has everything; null without a replica here).
    #[serde(default)]
    pub replication_lag_ms: Vec<Option<f32>>,
    /// Tries that reached this (live) stamp and failed for lack of capacity:
    /// shed with 503, or still waiting when the client or the gateway gave
    /// up. Counted when the try ended.
    #[serde(default)]
    pub capacity_failures: Vec<u32>,
}

/// Request counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Counts {
    /// Requests started.
    pub offered: u64,
    /// Ended successfully.
    pub succeeded: u64,
    /// Ended failed (after every retry).
    pub failed: u64,
    /// Not ended when the run stopped (in flight or waiting to retry).
    pub unfinished: u64,
    /// Tries sent, retries included.
    pub tries: u64,
    /// Health probes sent.
    pub probes: u64,
    /// Failed requests per cause ([`FailCause::ALL`] order).
    pub failed_by_cause: [u64; FAIL_CAUSES],
}

/// Latency percentiles, ms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Latency {
    /// Median.
    pub p50_ms: Option<f64>,
    /// 95th percentile.
    pub p95_ms: Option<f64>,
    /// 99th percentile.
    pub p99_ms: Option<f64>,
}

/// Availability and latency over a span of time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhaseStats {
    /// Requests that ended.
    pub ended: u64,
    /// succeeded / ended (None when nothing ended).
    pub availability: Option<f64>,
    /// Latency of successful requests.
    pub latency: Latency,
}

/// The run's summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// All populations together.
    pub counts: Counts,
    /// succeeded / (succeeded + failed).
    pub availability: f64,
    /// The scenario's objective.
    pub slo: f64,
    /// Equivalent full-outage minutes: Σ over buckets of failed share × bucket length.
    pub error_budget_minutes_burned: f64,
    /// Budget of a 30-day month at the SLO: (1 − slo) × 43,200 min.
    pub error_budget_minutes_per_30d: f64,
    /// Latency over the whole run.
    pub latency: Latency,
    /// Exact mean end-to-end latency of successful requests, ms.
    pub mean_latency_ms: Option<f64>,
    /// Per population.
    pub populations: Vec<PopulationSummary>,
    /// Per region.
    pub regions: Vec<RegionSummary>,
    /// Per fault.
    pub faults: Vec<FaultSummary>,
    /// The data tier (None without one).
    #[serde(default)]
    pub data: Option<DataSummary>,
    /// Monthly cost estimate (None without a price table).
    #[serde(default)]
    pub cost: Option<CostSummary>,
    /// Requests that skipped the router (populations' `bypass_share`).
    #[serde(default)]
    pub bypass: Option<BypassSummary>,
    /// Attack requests (populations' `attack_share`).
    #[serde(default)]
    pub attacks: Option<AttackSummary>,
}

/// Requests carrying an attack payload.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AttackSummary {
    /// Requests sent.
    pub requests: u64,
    /// Blocked at the edge by the WAF's managed rules.
    pub blocked_at_edge: u64,
    /// Reached a stamp (and took a worker there unless shed).
    pub reached_origin: u64,
    /// Found no live origin to reach.
    pub unanswered: u64,
}

/// Requests sent straight to a regional origin's own hostname, around the
/// global router (and its WAF).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BypassSummary {
    /// The region whose hostname they call (the scenario's first region).
    pub region: String,
    /// Requests sent.
    pub requests: u64,
    /// Refused with 403 by the origin lock.
    pub blocked: u64,
    /// Answered by the origin (no WAF in their path).
    pub served: u64,
    /// Failed: the region down or unreachable, shed, errors.
    pub failed: u64,
    /// Of the failed, those sent while the region was down or unreachable:
    /// a regional hostname does not fail over.
    pub failed_region_down: u64,
}

/// What the design would cost a month (730 h) at the run's average usage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CostSummary {
    /// Currency label.
    pub currency: String,
    /// Instances: instance-hours of the run scaled to a month × price per tier.
    pub compute: f64,
    /// The router: base fee + requests per month × per-million price.
    pub gateway: f64,
    /// Provisioned RU/s × replicas × 730 h × the rate (multi-write rate when it applies).
    pub database: f64,
    /// Responses per month × size × price per GB.
    pub egress: f64,
    /// Sum of the above.
    pub total: f64,
}

/// What happened to the data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DataSummary {
    /// Write mode and consistency, e.g. `single/session`.
    pub configuration: String,
    /// Reads made.
    pub reads: u64,
    /// Reads that missed the key's latest write.
    pub stale_reads: u64,
    /// stale_reads / reads.
    pub stale_read_rate: f64,
    /// Reads by a client of its own write, made in another region, that
    /// missed it: under session consistency only where the SDK returns
    /// stale data (the write went through another stamp, whose session
    /// token this stamp's SDK does not hold).
    pub read_your_writes_violations: u64,
    /// Session consistency: reads whose replica lacked the write this
    /// stamp's SDK last made to the key; the SDK retried (in the region,
    /// then where the write was made, §5.6) and returned it, paying the wait.
    #[serde(default)]
    pub session_waits: u64,
    /// Writes attempted.
    pub writes: u64,
    /// Writes refused.
    pub write_failures: u64,
    /// Writes accepted / attempted.
    pub write_availability: f64,
    /// Concurrent writes in two regions resolved last-writer-wins (one update lost each).
    pub conflicts: u64,
    /// Writes acknowledged, then lost with their region before replicating (RPO).
    pub lost_writes: u64,
    /// The oldest such write when its region died, s: how far back the
    /// survivors' data stops (the RPO seen).
    pub max_lost_write_age_s: Option<f64>,
    /// The longest stretch of write time lost in one failure, s: from the
    /// oldest to the newest lost write. Bounded staleness bounds this by T
    /// (writes are throttled once a replica is T behind), not the age.
    #[serde(default)]
    pub lost_write_span_s: Option<f64>,
    /// Time with no region accepting writes, s.
    pub seconds_without_write_region: f64,
    /// Requests failed because a singleton they need was down.
    pub singleton_failures: u64,
    /// Request units consumed: 1 RU per point read (×2 under strong and
    /// bounded staleness, which read two replicas) and 5 RU per accepted write
    /// (AZURE_FACTS §5.4, 1 KB items).
    #[serde(default)]
    pub request_units: f64,
    /// What the lost-write figures assume (a clean cut at the fault).
    #[serde(default)]
    pub rpo_basis: String,
}

/// One population over the run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PopulationSummary {
    /// Name.
    pub name: String,
    /// Counts.
    pub counts: Counts,
    /// succeeded / ended.
    pub availability: f64,
    /// Latency.
    pub latency: Latency,
    /// Exact mean end-to-end latency of successful requests, ms.
    pub mean_latency_ms: Option<f64>,
}

/// One region over the run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RegionSummary {
    /// Name.
    pub name: String,
    /// User tries that reached it.
    pub arrivals: u64,
    /// Probes that reached it.
    pub probes: u64,
    /// Peak bucket utilisation.
    pub peak_utilisation: f64,
    /// Mean utilisation.
    pub mean_utilisation: f64,
    /// Peak bucket offered load (demand ÷ serving capacity; above 1 the
    /// stamp falls behind). None when it never had capacity.
    #[serde(default)]
    pub peak_offered_load: Option<f64>,
    /// Most instances serving at once.
    pub peak_instances: u32,
    /// Instance-hours used (serving instances × time).
    pub instance_hours: f64,
}

/// What one fault did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FaultSummary {
    /// Fault kind (`region_outage`, …).
    pub kind: String,
    /// Region or POP hit.
    pub target: String,
    /// Start, seconds.
    pub start_s: f64,
    /// End, seconds.
    pub end_s: f64,
    /// Fault start → the first router/POP/monitor marks the region down, s.
    pub time_to_detect_first_s: Option<f64>,
    /// → more than half of them do (Traffic Manager's Degraded), s.
    pub time_to_detect_majority_s: Option<f64>,
    /// → all of them do, s.
    pub time_to_detect_all_s: Option<f64>,
    /// Traffic Manager only: when the endpoint's combined status became
    /// Degraded (its monitoring locations' verdicts under the profile's
    /// `degraded_when` rule), so that DNS answers leave it out. None for other
    /// routers, or if it never did.
    pub time_to_degraded_s: Option<f64>,
    /// Fault start → less than 1 % of tries still reach the region (and stay
    /// below until the fault ends), s. None: never mitigated.
    pub time_to_mitigate_s: Option<f64>,
    /// Fault end → every router sees the region healthy again ("region is back"), s.
    pub time_to_recover_s: Option<f64>,
    /// Fault end → the region carries 90 % of its pre-fault share of tries again, s.
    pub time_to_fail_back_s: Option<f64>,
    /// The region's share of tries just before the fault.
    pub pre_fault_share: f64,
    /// Highest bucket utilisation of any other region during the fault.
    pub survivor_peak_utilisation: Option<f64>,
    /// Minutes another region spent at or above 95 % utilisation during the fault.
    pub survivor_minutes_saturated: f64,
    /// Highest bucket offered load of any other region during the fault
    /// (demand ÷ serving capacity, may exceed 1).
    #[serde(default)]
    pub survivor_peak_offered_load: Option<f64>,
    /// Minutes another region's offered load was above 1 during the fault.
    #[serde(default)]
    pub survivor_minutes_overloaded: f64,
    /// All populations: before, during and after.
    pub overall: [PhaseStats; 3],
    /// Per population.
    pub populations: Vec<PopulationImpact>,
    /// Populations that sent under 10 % of their tries to the region before
    /// the fault (clients "already in the healthy region"), during vs before.
    pub healthy_region_clients: Option<[PhaseStats; 2]>,
    /// Writes lost because this fault killed their region before they replicated.
    #[serde(default)]
    pub lost_writes: u64,
    /// Writes refused while the fault lasted.
    #[serde(default)]
    pub write_failures: u64,
}

/// A population during one fault.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PopulationImpact {
    /// Name.
    pub name: String,
    /// Share of its tries that went to the faulted region before the fault.
    pub pre_fault_share: f64,
    /// Before, during, after.
    pub phases: [PhaseStats; 3],
    /// Seconds during the fault whose bucket availability was below 99 %.
    pub disrupted_s: f64,
    /// From the fault's start to the end of the last bucket during the fault
    /// with availability below 99 %: the population's outage window, s.
    pub outage_window_s: Option<f64>,
}
