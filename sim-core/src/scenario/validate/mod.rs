//! Validation: every rule a scenario must satisfy, checked all at once so the
//! user sees every problem in one go, each with its field path and what is
//! allowed.

mod cost;
mod data;
mod design;
mod fault;
mod general;
mod population;
mod region;
mod reliability;
mod routing;
mod rtt;

use super::*;
use crate::model::geo;
use crate::time::SimDuration as D;
use std::collections::BTreeSet;
use std::fmt;

/// One invalid field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FieldError {
    /// Path such as `regions[1].autoscale.cooldown`.
    pub path: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Size limits that keep a run within memory and time on a laptop or in a
/// browser tab. Scenarios beyond them are refused with a message.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Longest simulated duration.
    pub max_duration: D,
    /// Most distinct clients over all populations (each keeps a DNS cache
    /// entry and a connection).
    pub max_clients: u64,
    /// Most requests a run may generate (the expected value: each rate
    /// profile's integral over the run). Arrival candidates, drawn at each
    /// profile's peak rate within the run, are bounded at twice this.
    pub max_requests: f64,
    /// Most worker slots in one region.
    pub max_slots: u64,
    /// Most cells in the time series: (populations + regions) × buckets.
    /// The series is kept whole (and written whole), so this bounds a
    /// report's memory: about 0.6 KB a cell.
    pub max_series_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_duration: D::from_secs(7 * 24 * 3600),
            max_clients: 5_000_000,
            max_requests: 5e9,
            max_slots: 200_000,
            max_series_cells: 500_000,
        }
    }
}

struct V {
    errs: Vec<FieldError>,
}

impl V {
    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errs.push(FieldError {
            path: path.into(),
            message: message.into(),
        });
    }
    /// A name shown in reports and tables: not blank, no control characters
    /// (line breaks, tabs), at most 100 characters.
    fn name(&mut self, path: &str, name: &str) {
        if name.trim().is_empty() {
            self.err(path, "must not be empty or blank");
        } else if name.chars().any(char::is_control) {
            self.err(
                path,
                format!("{name:?} has a control character (line break, tab, …): use plain text"),
            );
        } else if name.chars().count() > MAX_NAME {
            self.err(
                path,
                format!("is {} characters long: at most {MAX_NAME}", name.chars().count()),
            );
        }
    }
    fn range_u(&mut self, path: &str, v: u64, lo: u64, hi: u64, why: &str) {
        if v < lo || v > hi {
            self.err(path, format!("{v} is out of range: must be {lo}–{hi}{why}"));
        }
    }
    fn range_d(&mut self, path: &str, v: D, lo: D, hi: D, why: &str) {
        if v < lo || v > hi {
            self.err(path, format!("{v} is out of range: must be {lo} to {hi}{why}"));
        }
    }
    /// `name` must be one of the scenario's regions.
    fn region_ref(&mut self, path: impl Into<String>, name: &str, regions: &[&str]) {
        if !regions.contains(&name) {
            self.err(
                path,
                format!("{name:?} is not one of the scenario's regions ({})", list(regions)),
            );
        }
    }
    /// `name` is an Azure region the geography knows (a stamp region or not):
    /// otherwise an error listing the known ones.
    fn known_region(&mut self, path: impl Into<String>, name: &str) -> bool {
        let known = geo::region_place(name).is_some();
        if !known {
            self.err(
                path,
                format!(
                    "unknown region {name:?}; known: {}",
                    geo::known_region_names().join(", ")
                ),
            );
        }
        known
    }
    fn share(&mut self, path: &str, v: f64) {
        if !(0.0..=1.0).contains(&v) {
            self.err(path, format!("{v} is not a share: must be between 0 and 1"));
        }
    }
    fn rate(&mut self, path: &str, v: f64) {
        if !v.is_finite() || v < 0.0 {
            self.err(
                path,
                format!("{v} is not a rate: must be a finite number ≥ 0 (requests per second)"),
            );
        }
    }
}

/// A DNS name: 1–253 characters, labels of 1–63 letters, digits and
/// hyphens (a leading `*.` allowed), not starting or ending with a hyphen.
fn hostname_ok(h: &str) -> Result<(), &'static str> {
    let body = h.strip_prefix("*.").unwrap_or(h);
    if body.is_empty() || h.len() > 253 {
        return Err("use 1–253 characters, e.g. api.contoso.com");
    }
    for label in body.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("each dot-separated label needs 1–63 characters");
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Err("labels use letters, digits and inner hyphens only");
        }
    }
    if !body.contains('.') {
        return Err("give the full name, e.g. api.contoso.com");
    }
    Ok(())
}

fn list(names: &[&str]) -> String {
    names.join(", ")
}

/// The longest name (scenario, population, singleton, variant).
const MAX_NAME: usize = 100;

/// The largest price (or size) a cost table may state: far above any real
/// one, low enough that every product the estimate takes stays finite.
const MAX_PRICE: f64 = 1e9;

/// Every problem of `sc`, in the file's order of sections, each with its
/// field path: the whole scenario, regions, populations, routing, the data
/// tier, random faults, prices, design facts, faults and RTT overrides.
pub fn validate(sc: &Scenario, limits: &Limits) -> Vec<FieldError> {
    let mut v = V { errs: Vec::new() };
    general::check(&mut v, sc, limits);
    region::check(&mut v, sc, limits);
    population::check(&mut v, sc, limits);
    let pops_in_use = routing::check(&mut v, sc);
    let (data_replicas, singletons) = data::check(&mut v, sc);
    reliability::check(&mut v, sc);
    cost::check(&mut v, sc);
    design::check(&mut v, sc);
    fault::check(&mut v, sc, &pops_in_use, &data_replicas, &singletons);
    rtt::check(&mut v, sc);
    v.errs
}
