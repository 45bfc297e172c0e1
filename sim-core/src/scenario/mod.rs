//! Scenario files: the serde types, their documented defaults, parsing from
//! TOML or JSON, and validation that reports every error at once with its
//! field path.
//!
//! A scenario is the single source of truth for a run. Every default cites
//! the AZURE_FACTS section it comes from (or says it is an assumption where
//! the facts sheet has no figure); the values live in `defaults.rs`, used by
//! serde for an absent field and by the constructors and the builder alike.
//!
//! One file per section of a scenario file:
//! - `routing.rs`: `[routing]`, `[health]`, `[[rtt]]`;
//! - `region.rs`: `[[regions]]` (plan tier, instances, service time,
//!   dispatch, autoscale);
//! - `population.rs`: `[[populations]]` (rate, retries, DNS, keep-alive);
//! - `fault.rs`: `[[faults]]` and `[reliability]`;
//! - `data.rs`: `[data]` and its singletons;
//! - `design.rs` and `cost.rs`: `[design]` and `[cost]`, read by the review
//!   and the cost estimate, never by the simulation;
//! - `builder.rs`: the same scenario built in code ([`ScenarioBuilder`]);
//! - `decode.rs`, `validate.rs`, `provenance.rs`, `bundled.rs`: reading a
//!   file, checking it, saying where each value came from, and the scenarios
//!   shipped with the crate.

mod builder;
mod bundled;
mod decode;
pub(crate) use decode::value as decode_value;
mod defaults;
pub mod provenance;
mod validate;

mod cost;
mod data;
mod design;
mod fault;
mod population;
mod region;
mod routing;

pub use cost::*;
pub use data::*;
pub use design::*;
pub use fault::*;
pub use population::*;
pub use region::*;
pub use routing::*;

pub use crate::variants::VariantSpec;
pub use builder::ScenarioBuilder;
pub use bundled::{bundled, bundled_by_name, BundledScenario, HEADLINE};
pub use validate::{FieldError, Limits};

use crate::time::{SimDuration, SimTime};
use defaults::*;
use serde::{Deserialize, Serialize};

/// A whole simulation case.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
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

/// The kind among `all` whose scenario-file name is `s`, or a message naming
/// them all (`what`: "routing kind", "fault kind").
fn kind_named<K: Copy>(s: &str, all: &[K], name: fn(K) -> &'static str, what: &str) -> Result<K, String> {
    all.iter().copied().find(|&k| name(k) == s).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|&k| name(k)).collect();
        format!("{s:?} is not a {what}; use one of {}", names.join(", "))
    })
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
                    "{} variants: at most {MAX_VARIANTS} (each one is validated and run in full); split the comparison into several files, or sweep the parameter that varies instead",
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
