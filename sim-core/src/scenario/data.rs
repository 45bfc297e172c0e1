//! The shared data tier (a Cosmos-DB-like account, AZURE_FACTS §5) and the
//! singletons every stamp depends on.

use super::defaults::*;
use super::*;

/// How writes are accepted (AZURE_FACTS §5.1).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WriteMode {
    /// One write region; the others are read replicas.
    Single,
    /// Every replica accepts writes; concurrent writes conflict.
    Multi,
}

/// Consistency level (AZURE_FACTS §5.2).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
#[non_exhaustive]
pub enum FailoverMode {
    /// The service promotes the next region by priority after a delay.
    ServiceManaged,
    /// Manual failover does not succeed during the outage: writes wait for recovery.
    Manual,
}

/// Bounds of bounded staleness (AZURE_FACTS §5.2).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct StalenessBound {
    /// At most this many versions behind (multi-region minimum 100,000).
    pub versions: u64,
    /// At most this long behind (multi-region minimum 300 s).
    pub interval: SimDuration,
}

/// A component kept in one region that every stamp depends on.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
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
#[non_exhaustive]
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
