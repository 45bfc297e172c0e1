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
//! One file per question (`q1_gateway.rs` … `q9_survivor.rs`), each with its
//! question's text and the function that answers it; `common.rs` holds what
//! they share, `headroom.rs` the search, `render.rs` the text and Markdown.
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

mod common;
mod headroom;
mod q1_gateway;
mod q2_routing;
mod q3_health;
mod q4_waf;
mod q5_sku;
mod q6_singletons;
mod q7_logging;
mod q8_second_region;
mod q9_survivor;
mod render;

use common::*;
pub use headroom::HeadroomSearch;
use q1_gateway::*;
use q2_routing::*;
use q3_health::*;
use q4_waf::*;
use q5_sku::*;
use q6_singletons::*;
use q7_logging::*;
use q8_second_region::*;
use q9_survivor::*;

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
