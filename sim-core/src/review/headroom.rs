//! The headroom search behind question 9: bisection over the survivors' instance floor, one run (or one round of seeds) at a time.

use super::*;

/// Searches, one run at a time, for the smallest floor (`instances.min`
/// added to every survivor) that keeps availability at or above the SLO
/// once the survivors carry the failed region's traffic. Bisection between
/// the scenario as written and the SKU cap: about log2(cap) runs.
///
/// ```
/// use regionsim::{bundled_by_name, review::HeadroomSearch, simulate, Scenario, SimDuration};
///
/// let mut sc = Scenario::parse(bundled_by_name("survivor-underprovisioned").unwrap().text).unwrap();
/// sc.duration = SimDuration::from_mins(12);
/// let base = simulate(&sc).unwrap();
/// let mut search = HeadroomSearch::new(&sc, &base).expect("a region fails");
/// while let Some(candidate) = search.next_scenario() {
///     search.record(&simulate(&candidate).unwrap());
/// }
/// let h = search.result();
/// assert!(h.runs.len() >= 1);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct HeadroomSearch {
    base: Scenario,
    survivors: Vec<usize>,
    base_min: Vec<u32>,
    seeds: Vec<u64>,
    result: Headroom,
    /// Largest extra known to miss the SLO.
    lo: u32,
    /// Smallest extra known to keep it.
    hi: Option<u32>,
    next: Option<u32>,
}

impl HeadroomSearch {
    /// Starts a search from the scenario and its run; `None` when no region
    /// carrying traffic fails in the run.
    pub fn new(sc: &Scenario, report: &Report) -> Option<HeadroomSearch> {
        HeadroomSearch::with_seeds(sc, std::slice::from_ref(report))
    }

    /// Starts a search from the scenario's runs on several seeds (the
    /// scenario's own first): every candidate then runs on the same seeds and
    /// counts by its worst one. `None` when no region carrying traffic fails
    /// in the first run.
    pub fn with_seeds(sc: &Scenario, reports: &[Report]) -> Option<HeadroomSearch> {
        let report = reports.first()?;
        let (_, f) = region_loss(report)?;
        let survivors = survivors_of(sc, report, &f.target);
        if survivors.is_empty() {
            return None;
        }
        let base_min: Vec<u32> = survivors
            .iter()
            .map(|&r| {
                let i = &sc.regions[r].instances;
                i.min.unwrap_or(i.initial)
            })
            .collect();
        let max_extra = survivors
            .iter()
            .zip(&base_min)
            .map(|(&r, &m)| sc.regions[r].sku.max_instances().saturating_sub(m))
            .min()
            .unwrap_or(0);
        let mut s = HeadroomSearch {
            base: sc.clone(),
            result: Headroom {
                failed_region: f.target.clone(),
                survivors: survivors.iter().map(|&r| sc.regions[r].name.clone()).collect(),
                slo: sc.slo,
                max_extra,
                runs: Vec::new(),
                needed_extra: None,
                seeds: reports.len() as u32,
            },
            survivors,
            base_min,
            seeds: reports.iter().map(|r| r.seed).collect(),
            lo: 0,
            hi: None,
            next: Some(0),
        };
        s.record_runs(reports);
        Some(s)
    }

    /// The next scenario to run (on the first seed), or `None` when the
    /// search is over.
    pub fn next_scenario(&self) -> Option<Scenario> {
        self.next_scenarios().into_iter().next()
    }

    /// The next candidate on every seed of the search (empty when it is over).
    pub fn next_scenarios(&self) -> Vec<Scenario> {
        let Some(e) = self.next else { return Vec::new() };
        let c = self.candidate(e);
        self.seeds.iter().map(|&seed| Scenario { seed, ..c.clone() }).collect()
    }

    /// How many runs the search has recorded (including the scenario as written).
    pub fn runs(&self) -> usize {
        self.result.runs.len()
    }

    fn candidate(&self, extra: u32) -> Scenario {
        let mut sc = self.base.clone();
        sc.variants.clear();
        for (k, &r) in self.survivors.iter().enumerate() {
            let reg = &mut sc.regions[r];
            let cap = reg.sku.max_instances();
            let min = (self.base_min[k] + extra).min(cap);
            reg.instances.min = Some(min);
            reg.instances.initial = reg.instances.initial.max(min);
            reg.instances.max = Some(reg.instances.max.unwrap_or(cap).max(min).min(cap));
        }
        sc
    }

    /// Records the run of the scenario [`next_scenario`](Self::next_scenario) returned.
    pub fn record(&mut self, report: &Report) {
        self.record_runs(std::slice::from_ref(report));
    }

    /// Records the runs of [`next_scenarios`](Self::next_scenarios): the
    /// candidate counts by its worst seed.
    pub fn record_runs(&mut self, reports: &[Report]) {
        let Some(extra) = self.next else { return };
        let availability = reports
            .iter()
            .map(|report| {
                region_loss(report)
                    .and_then(|(_, f)| survivor_availability(report, &self.survivors, fault_buckets(report, f)))
            })
            .try_fold(1.0f64, |acc, a| a.map(|a| acc.min(a)))
            .filter(|_| !reports.is_empty());
        let mins = self
            .base_min
            .iter()
            .zip(&self.survivors)
            .map(|(&m, &r)| (m + extra).min(self.base.regions[r].sku.max_instances()))
            .collect();
        self.result.runs.push(HeadroomRun {
            extra,
            min_instances: mins,
            availability,
            monthly_cost: reports.first().and_then(|r| r.summary.cost.as_ref()).map(|c| c.total),
        });
        let ok = availability.is_some_and(|a| a >= self.base.slo);
        if ok {
            self.hi = Some(extra);
        } else {
            self.lo = extra;
        }
        self.next = match self.hi {
            // The scenario as written keeps the SLO.
            Some(0) => None,
            Some(h) if h - self.lo > 1 => Some(self.lo + (h - self.lo) / 2),
            Some(_) => None,
            // Not even the SKU cap: stop.
            None if extra >= self.result.max_extra => None,
            None => Some(self.result.max_extra),
        };
        self.result.needed_extra = self.hi;
    }

    /// What the search found so far.
    pub fn result(&self) -> Headroom {
        self.result.clone()
    }
}
