//! A regional stamp: plan tier, instances, workers, service time, the front
//! end's dispatch rule, and autoscale.

use super::defaults::*;
use super::*;

/// App Service plan tiers and their instance caps (AZURE_FACTS §4.3).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
pub enum AutoscaleMetric {
    /// Average worker utilisation (like CPU %), 0–1 thresholds.
    Utilisation,
    /// Requests per second per serving instance.
    RequestsPerInstance,
}

/// Azure-Monitor-style rule-based autoscale (AZURE_FACTS §4.1).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
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
