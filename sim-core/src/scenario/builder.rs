//! Building a scenario in code: constructors for the specs every scenario
//! has (a stamp, a population, a service time, a rate), and
//! [`ScenarioBuilder`] for the whole. Whatever is not given takes the value
//! a scenario file gets when the field is absent — the same functions in
//! `defaults.rs`, each citing its source — so a scenario built here and the
//! same scenario read from TOML are equal (tested below).

use super::defaults::*;
use super::*;

impl ServiceTime {
    /// Exponential server time with this mean.
    pub fn exponential(mean: SimDuration) -> ServiceTime {
        ServiceTime::Exponential { mean }
    }

    /// Log-normal server time given by its median and 99th percentile.
    pub fn lognormal(median: SimDuration, p99: SimDuration) -> ServiceTime {
        ServiceTime::Lognormal { median, p99 }
    }

    /// The same server time for every request.
    pub fn constant(value: SimDuration) -> ServiceTime {
        ServiceTime::Constant { value }
    }
}

impl RateProfile {
    /// A constant rate, requests per second.
    pub fn constant(rps: f64) -> RateProfile {
        RateProfile::Constant { rps }
    }
}

impl Instances {
    /// A fixed number of instances (autoscale, if any, keeps it there).
    pub fn fixed(n: u32) -> Instances {
        Instances {
            initial: n,
            min: None,
            max: None,
        }
    }

    /// `initial` instances, autoscale between `min` and `max`.
    pub fn scaling(initial: u32, min: u32, max: u32) -> Instances {
        Instances {
            initial,
            min: Some(min),
            max: Some(max),
        }
    }
}

impl From<u32> for Instances {
    fn from(n: u32) -> Instances {
        Instances::fixed(n)
    }
}

impl RegionSpec {
    /// A stamp in region `name` with these instances (a count, or
    /// [`Instances::scaling`]) and server time; every other setting at its
    /// documented default (Premium v3, 8 workers an instance, round-robin
    /// dispatch, no autoscale).
    pub fn new(name: impl Into<String>, instances: impl Into<Instances>, service_time: ServiceTime) -> RegionSpec {
        RegionSpec {
            name: name.into(),
            sku: sku(),
            instances: instances.into(),
            workers_per_instance: workers(),
            service_time,
            dispatch: dispatch(),
            queue_limit_per_instance: queue_per_instance(),
            request_timeout: request_timeout(),
            retry_after: None,
            autoscale: None,
        }
    }

    /// With rule-based autoscale (see [`Autoscale::default`] for its
    /// documented defaults).
    pub fn with_autoscale(mut self, autoscale: Autoscale) -> RegionSpec {
        self.autoscale = Some(autoscale);
        self
    }

    /// With this plan tier.
    pub fn with_sku(mut self, sku: Sku) -> RegionSpec {
        self.sku = sku;
        self
    }

    /// With this many concurrent requests an instance.
    pub fn with_workers(mut self, workers_per_instance: u32) -> RegionSpec {
        self.workers_per_instance = workers_per_instance;
        self
    }

    /// With this dispatch rule at the front end.
    pub fn with_dispatch(mut self, dispatch: Dispatch) -> RegionSpec {
        self.dispatch = dispatch;
        self
    }
}

impl PopulationSpec {
    /// Clients in `location` (a metro or region name) sending `rate`; every
    /// other setting at its documented default (1,000 clients, 10 ms access
    /// RTT, 10 s timeout, the default retry, DNS and keep-alive behaviour).
    pub fn new(name: impl Into<String>, location: impl Into<String>, rate: RateProfile) -> PopulationSpec {
        PopulationSpec {
            name: name.into(),
            location: location.into(),
            rate,
            clients: clients(),
            access_rtt: access_rtt(),
            handshake_round_trips: handshake_rtts(),
            timeout: try_timeout(),
            connect_timeout: connect_timeout(),
            retry: RetryPolicy::default(),
            dns: DnsBehaviour::default(),
            keepalive: KeepAlive::default(),
            write_share: write_share(),
            bypass_share: 0.0,
            attack_share: 0.0,
        }
    }

    /// With this many distinct clients.
    pub fn with_clients(mut self, clients: u64) -> PopulationSpec {
        self.clients = clients;
        self
    }

    /// With this retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> PopulationSpec {
        self.retry = retry;
        self
    }
}

impl DataTier {
    /// A data tier with replicas in `replicas` (failover priority order:
    /// the first is the write region in single-write mode), every other
    /// setting at its documented default (§5: single write region, session
    /// consistency, service-managed failover).
    pub fn new<S: AsRef<str>>(replicas: &[S]) -> DataTier {
        DataTier {
            replicas: replicas.iter().map(|r| r.as_ref().to_string()).collect(),
            write_mode: write_mode(),
            consistency: consistency(),
            staleness: None,
            failover: failover_mode(),
            failover_delay: failover_delay(),
            keys: keys(),
            zipf_exponent: zipf(),
            read_latency: read_latency(),
            write_latency: write_latency(),
            commit_mean: commit_mean(),
            singletons: Vec::new(),
        }
    }
}

impl Scenario {
    /// This scenario on another seed (a replication of the same design).
    pub fn with_seed(mut self, seed: u64) -> Scenario {
        self.seed = seed;
        self
    }

    /// A builder for a scenario called `name` lasting `duration`.
    pub fn builder(name: impl Into<String>, duration: SimDuration) -> ScenarioBuilder {
        ScenarioBuilder {
            sc: Scenario {
                name: name.into(),
                description: String::new(),
                seed: seed(),
                duration,
                bucket: bucket(),
                max_points: max_points(),
                slo: slo(),
                routing: Routing::direct(""),
                health: HealthEndpoint::default(),
                regions: Vec::new(),
                populations: Vec::new(),
                faults: Vec::new(),
                rtt: Vec::new(),
                data: None,
                variants: Vec::new(),
                reliability: None,
                cost: None,
                design: None,
            },
            routing: false,
        }
    }
}

/// Builds a [`Scenario`] in code: every setting optional but the router, the
/// regions and the populations; whatever is not given takes the value a
/// scenario file gets when the field is absent. [`ScenarioBuilder::build`]
/// validates it as a file is.
///
/// ```
/// use regionsim::scenario::{Fault, PopulationSpec, RateProfile, RegionSpec, Routing, ServiceTime};
/// use regionsim::{Scenario, SimDuration as D};
///
/// let stamp = |name| RegionSpec::new(name, 4, ServiceTime::exponential(D::from_millis(40)));
/// let scenario = Scenario::builder("two regions behind Front Door", D::from_mins(10))
///     .routing(Routing::front_door(&["eastus2", "centralus"]))
///     .region(stamp("eastus2"))
///     .region(stamp("centralus"))
///     .population(PopulationSpec::new("us-east", "new_york", RateProfile::constant(200.0)))
///     .fault(Fault::region_outage("eastus2", D::from_mins(2), D::from_mins(5)))
///     .build()
///     .expect("valid");
/// assert_eq!(scenario.regions[0].workers_per_instance, 8); // the documented default
/// ```
#[derive(Clone, Debug)]
#[must_use = "call .build() to get the scenario"]
pub struct ScenarioBuilder {
    sc: Scenario,
    routing: bool,
}

impl ScenarioBuilder {
    /// What the scenario is for (shown in reports).
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.sc.description = text.into();
        self
    }

    /// The run seed (default 1).
    pub fn seed(mut self, seed: u64) -> Self {
        self.sc.seed = seed;
        self
    }

    /// The time-series bucket (default 1 s).
    pub fn bucket(mut self, bucket: SimDuration) -> Self {
        self.sc.bucket = bucket;
        self
    }

    /// The availability objective (default 0.9995, §8).
    pub fn slo(mut self, slo: f64) -> Self {
        self.sc.slo = slo;
        self
    }

    /// The global router (see [`Routing::front_door`],
    /// [`Routing::traffic_manager`], [`Routing::cross_region_lb`],
    /// [`Routing::direct`]).
    pub fn routing(mut self, routing: Routing) -> Self {
        self.sc.routing = routing;
        self.routing = true;
        self
    }

    /// What the routers' health endpoint checks (default shallow).
    pub fn health(mut self, health: HealthEndpoint) -> Self {
        self.sc.health = health;
        self
    }

    /// Adds a regional stamp.
    pub fn region(mut self, region: RegionSpec) -> Self {
        self.sc.regions.push(region);
        self
    }

    /// Adds a client population.
    pub fn population(mut self, population: PopulationSpec) -> Self {
        self.sc.populations.push(population);
        self
    }

    /// Adds a scheduled fault.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.sc.faults.push(fault);
        self
    }

    /// Sets the round trip between two places (region or metro names).
    pub fn rtt(mut self, a: impl Into<String>, b: impl Into<String>, rtt: SimDuration) -> Self {
        self.sc.rtt.push(RttOverride {
            a: a.into(),
            b: b.into(),
            rtt,
        });
        self
    }

    /// The shared data tier (see [`DataTier::new`]).
    pub fn data(mut self, data: DataTier) -> Self {
        self.sc.data = Some(data);
        self
    }

    /// Random faults from mean times between failures and to repair.
    pub fn reliability(mut self, reliability: Reliability) -> Self {
        self.sc.reliability = Some(reliability);
        self
    }

    /// A price table for the cost estimate.
    pub fn cost(mut self, cost: PriceTable) -> Self {
        self.sc.cost = Some(cost);
        self
    }

    /// Design facts for the review.
    pub fn design(mut self, design: Design) -> Self {
        self.sc.design = Some(design);
        self
    }

    /// The scenario, validated exactly as a scenario file is: every invalid
    /// field is listed with its path.
    pub fn build(self) -> Result<Scenario, ScenarioError> {
        if !self.routing {
            return Err(ScenarioError::Invalid(vec![FieldError {
                path: "routing".into(),
                message: "no router: give one with .routing(Routing::front_door(&[...])), \
                          Routing::traffic_manager, Routing::cross_region_lb or Routing::direct"
                    .into(),
            }]));
        }
        self.sc.validate()?;
        Ok(self.sc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimDuration as D;

    /// The same scenario written both ways: every default the builder fills
    /// in is what serde fills in for an absent field.
    #[test]
    fn builder_and_toml_give_equal_scenarios() {
        let text = r#"
            name = "built"
            duration = "30m"
            [routing]
            kind = "anycast_l7"
            origins = [{ region = "eastus2" }, { region = "centralus" }]
            [[regions]]
            name = "eastus2"
            instances = { initial = 10, min = 10, max = 20 }
            service_time = { kind = "lognormal", median = "40ms", p99 = "250ms" }
            autoscale = {}
            [[regions]]
            name = "centralus"
            instances = { initial = 8 }
            service_time = { kind = "exponential", mean = "40ms" }
            [[populations]]
            name = "us-east"
            location = "new_york"
            rate = { kind = "constant", rps = 450 }
            clients = 20000
            [[faults]]
            kind = "region_outage"
            region = "eastus2"
            start = "10m"
            duration = "15m"
            [data]
            replicas = ["eastus2", "centralus"]
        "#;
        let from_toml = Scenario::parse(text).expect("valid TOML");
        let built = Scenario::builder("built", D::from_mins(30))
            .routing(Routing::front_door(&["eastus2", "centralus"]))
            .region(
                RegionSpec::new(
                    "eastus2",
                    Instances::scaling(10, 10, 20),
                    ServiceTime::lognormal(D::from_millis(40), D::from_millis(250)),
                )
                .with_autoscale(Autoscale::default()),
            )
            .region(RegionSpec::new(
                "centralus",
                8,
                ServiceTime::exponential(D::from_millis(40)),
            ))
            .population(PopulationSpec::new("us-east", "new_york", RateProfile::constant(450.0)).with_clients(20_000))
            .fault(Fault::region_outage("eastus2", D::from_mins(10), D::from_mins(15)))
            .data(DataTier::new(&["eastus2", "centralus"]))
            .build()
            .expect("valid");
        assert_eq!(built, from_toml);
    }

    #[test]
    fn every_routing_kind_matches_its_file_form() {
        for kind in RoutingKind::ALL {
            let extra = match kind {
                RoutingKind::Direct => "region = \"eastus2\"".to_string(),
                RoutingKind::Dns => {
                    "method = \"performance\"\nendpoints = [{ region = \"eastus2\" }, { region = \"centralus\" }]"
                        .into()
                }
                RoutingKind::AnycastL7 => "origins = [{ region = \"eastus2\" }, { region = \"centralus\" }]".into(),
                RoutingKind::AnycastL4 => "backends = [\"eastus2\", \"centralus\"]".into(),
            };
            let text = format!(
                "name = \"r\"\nduration = \"10m\"\n[routing]\nkind = \"{kind}\"\n{extra}\n\
                 [[regions]]\nname = \"eastus2\"\ninstances = {{ initial = 2 }}\nservice_time = {{ kind = \"constant\", value = \"10ms\" }}\n\
                 [[regions]]\nname = \"centralus\"\ninstances = {{ initial = 2 }}\nservice_time = {{ kind = \"constant\", value = \"10ms\" }}\n\
                 [[populations]]\nname = \"p\"\nlocation = \"chicago\"\nrate = {{ kind = \"constant\", rps = 10 }}\n"
            );
            let from_toml = Scenario::parse(&text).unwrap_or_else(|e| panic!("{kind}: {e}"));
            let stamp = |n| RegionSpec::new(n, 2, ServiceTime::constant(D::from_millis(10)));
            let built = Scenario::builder("r", D::from_mins(10))
                .routing(Routing::with_defaults(kind, &["eastus2", "centralus"]).expect("regions given"))
                .region(stamp("eastus2"))
                .region(stamp("centralus"))
                .population(PopulationSpec::new("p", "chicago", RateProfile::constant(10.0)))
                .build()
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(built, from_toml, "{kind}");
            assert_eq!(built.routing.kind(), kind);
        }
    }

    #[test]
    fn a_builder_without_a_router_or_with_a_bad_field_names_it() {
        let stamp = RegionSpec::new("eastus2", 2, ServiceTime::constant(D::from_millis(10)));
        let pop = PopulationSpec::new("p", "chicago", RateProfile::constant(10.0));
        let err = Scenario::builder("r", D::from_mins(10))
            .region(stamp.clone())
            .population(pop.clone())
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("routing"), "{err}");
        let err = Scenario::builder("r", D::from_mins(10))
            .routing(Routing::direct("eastus2"))
            .region(stamp.with_workers(0))
            .population(pop)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("regions[0].workers_per_instance"), "{err}");
    }
}
