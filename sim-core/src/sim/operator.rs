//! What an operator does to a running system: scale a stamp by hand, drain
//! it from the routers and put it back ([`Action`], [`Sim::act`]). An
//! action takes effect at the simulation's current time, through the same
//! mechanisms the platform uses — new instances after the provisioning lag,
//! a drained stamp leaving the routers as fast as their probes notice — so
//! a run with an action is the run an operator would have seen.

use super::Sim;
use crate::scenario::{FieldError, ScenarioError};
use crate::time::SimDuration;

/// An operator's action on a running system (see [`Sim::act`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Scale `region`'s stamp to `instances`, as an operator does in the
    /// portal. Without autoscale the stamp gets exactly that many; with
    /// autoscale it becomes the profile's minimum (a manual count is
    /// overridden by autoscale in App Service, so the floor is what an
    /// operator sets; the maximum rises to it if lower) and autoscale may
    /// still scale out above it. New instances serve after the provisioning
    /// lag (the region's autoscale `provisioning_min`–`provisioning_max`, or
    /// the 1–3 min default, AZURE_FACTS §4.3); instances removed stop taking
    /// work at once (their requests in progress finish).
    Scale {
        /// The region.
        region: String,
        /// Instances wanted (1 to the SKU's maximum).
        instances: u32,
    },
    /// Mark `region`'s stamp unhealthy by hand, as the mission-critical
    /// reference does with a state flag (AZURE_FACTS §8): its health
    /// endpoint answers 503 from now on, so the routers take it out as fast
    /// as their probes notice; the user requests it still receives are
    /// served.
    Drain {
        /// The region.
        region: String,
    },
    /// Undo a [`Action::Drain`]: the health endpoint answers 200 again.
    Undrain {
        /// The region.
        region: String,
    },
}

impl Sim {
    /// Does `action` now. Refused, with the field and the fix, for a region
    /// the scenario lacks or an instance count the SKU cannot have; the run
    /// is unchanged then.
    ///
    /// ```
    /// use regionsim::{Action, Scenario, Sim, SimTime, bundled_by_name, HEADLINE};
    ///
    /// let mut sc = Scenario::parse(bundled_by_name(HEADLINE).unwrap().text).unwrap();
    /// sc.faults.clear();
    /// let mut sim = Sim::new(sc).unwrap();
    /// sim.run_until(SimTime::from_mins(5));
    /// sim.act(Action::Scale { region: "centralus".into(), instances: 10 }).unwrap();
    /// let centralus = |sim: &Sim| sim.instances().into_iter().find(|c| c.region == "centralus").unwrap();
    /// assert_eq!(centralus(&sim).provisioning, 2); // 8 serving, 2 on their way
    /// sim.run_until(SimTime::from_mins(9));
    /// assert_eq!(centralus(&sim).serving, 10); // ready within 1–3 min
    /// assert!(sim.act(Action::Drain { region: "westeurope".into() }).is_err());
    /// ```
    pub fn act(&mut self, action: Action) -> Result<(), ScenarioError> {
        match action {
            Action::Scale { region, instances } => {
                let r = self.region_index(&region)?;
                let spec = &self.scenario.regions[r];
                let most = spec.sku.max_instances();
                if instances == 0 || instances > most {
                    return Err(refused(
                        "instances",
                        format!(
                            "{instances} instances: a {:?} plan has 1 to {most}; pick a count in that range",
                            spec.sku
                        ),
                    ));
                }
                let now = self.q.now();
                let (lo, hi) = match &spec.autoscale {
                    Some(a) => (a.provisioning_min, a.provisioning_max),
                    None => (SimDuration::from_mins(1), SimDuration::from_mins(3)),
                };
                let autoscaled = spec.autoscale.is_some();
                let rg = &mut self.regions[r];
                rg.min = instances;
                rg.max = if autoscaled { rg.max.max(instances) } else { instances };
                let have = rg.serving + rg.provisioning;
                if instances > have {
                    self.provision(r, instances - have, lo, hi);
                } else if !autoscaled && instances < rg.serving {
                    rg.note_instances(now);
                    rg.serving = instances;
                    self.reconcile(r, 0);
                }
            }
            Action::Drain { region } => {
                let r = self.region_index(&region)?;
                self.regions[r].drained = true;
            }
            Action::Undrain { region } => {
                let r = self.region_index(&region)?;
                self.regions[r].drained = false;
            }
        }
        Ok(())
    }

    fn region_index(&self, name: &str) -> Result<usize, ScenarioError> {
        self.scenario
            .regions
            .iter()
            .position(|r| r.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = self.scenario.regions.iter().map(|r| r.name.as_str()).collect();
                refused(
                    "region",
                    format!("no region {name:?} in this scenario; it has: {}", names.join(", ")),
                )
            })
    }
}

fn refused(path: &str, message: String) -> ScenarioError {
    ScenarioError::Invalid(vec![FieldError {
        path: path.into(),
        message,
    }])
}
