//! Property tests of the simulator's invariants over randomly generated
//! scenarios (`regionsim::testing::scenarios`, the strategies the library
//! offers its users). A failing case prints the scenario TOML, seed
//! included: that is the bug report.

use proptest::prelude::*;
use regionsim::formulas::traffic_manager_detection;
use regionsim::testing::scenarios;
use regionsim::DnsClass;
use regionsim::{Scenario, Sim, SimDuration};

fn build(text: &str) -> Scenario {
    Scenario::parse(text).unwrap_or_else(|e| panic!("generated scenario invalid: {e}\n{text}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_request_ends_exactly_once(sc in scenarios()) {
        let text = sc.to_toml();
        let r = Sim::new(sc).expect("valid").run();
        for p in &r.summary.populations {
            let c = &p.counts;
            prop_assert_eq!(c.offered, c.succeeded + c.failed + c.unfinished, "{}\n{}", p.name, text);
            prop_assert_eq!(c.failed, c.failed_by_cause.iter().sum::<u64>());
            // The series account for the same requests as the counters.
            let ps = r.series.populations.iter().find(|x| x.name == p.name).unwrap();
            prop_assert_eq!(ps.offered.iter().map(|&x| x as u64).sum::<u64>(), c.offered);
            prop_assert_eq!(ps.succeeded.iter().map(|&x| x as u64).sum::<u64>(), c.succeeded);
            prop_assert!(c.tries >= c.offered);
        }
    }

    #[test]
    fn same_seed_gives_the_same_report(sc in scenarios()) {
        let a = Sim::new(sc.clone()).expect("valid").run();
        let b = Sim::new(sc).expect("valid").run();
        prop_assert!(a == b);
    }

    #[test]
    fn a_region_never_serves_above_its_capacity(sc in scenarios()) {
        let text = sc.to_toml();
        let mut sim = Sim::new(sc.clone()).expect("valid");
        sim.enable_audit();
        while sim.step() {}
        let audit = sim.take_audit().expect("audit on");
        for (ri, intervals) in audit.service.iter().enumerate() {
            let spec = &sc.regions[ri];
            let fixed = spec.autoscale.is_none()
                && !sc.faults.iter().any(|f| f.region() == Some(spec.name.as_str()) && f.kind_name() == "capacity_loss");
            let cap = if fixed { spec.instances.initial } else { spec.instances.max.unwrap_or(6) } * spec.workers_per_instance;
            // Independent sweep over start/end points.
            let mut points: Vec<(u64, i32)> = intervals.iter().flat_map(|x| [(x.start, 1), (x.end, -1)]).collect();
            points.sort_by_key(|&(t, d)| (t, d)); // ends before starts at equal times
            let (mut cur, mut max) = (0i32, 0i32);
            for (_, d) in points {
                cur += d;
                max = max.max(cur);
            }
            prop_assert!(max as u32 <= cap, "{}: {} concurrent > capacity {}\n{}", spec.name, max, cap, text);
        }
    }

    #[test]
    fn ttl_honouring_clients_leave_a_dead_region_within_detection_plus_ttl(seed in 0u64..(i64::MAX as u64), ttl in 0u64..90, tolerated in 0u32..4, rps in 20.0f64..120.0) {
        let text = format!(r#"
name = "ttl"
seed = {seed}
duration = "12m"
[routing]
kind = "dns"
method = "weighted"
ttl = "{ttl}s"
probe_interval = "30s"
probe_timeout = "10s"
tolerated_failures = {tolerated}
endpoints = [{{ region = "eastus2", weight = 3 }}, {{ region = "centralus", weight = 1 }}]
[[regions]]
name = "eastus2"
instances = {{ initial = 4 }}
service_time = {{ kind = "exponential", mean = "20ms" }}
[[regions]]
name = "centralus"
instances = {{ initial = 4 }}
service_time = {{ kind = "exponential", mean = "20ms" }}
[[populations]]
name = "p"
location = "new_york"
rate = {{ kind = "constant", rps = {rps:.1} }}
clients = 300
keepalive = {{ enabled = false }}
dns = {{ forever = 0.05 }}
[[faults]]
kind = "region_outage"
region = "eastus2"
start = "2m"
duration = "8m"
"#);
        let sc = build(&text);
        let b = traffic_manager_detection(SimDuration::from_secs(30), tolerated, SimDuration::from_secs(10));
        let bound = (120 + ttl) as f64 + b.max.as_secs_f64() + 0.1;
        let fault_end = 600.0;
        let mut sim = Sim::new(sc).expect("valid");
        sim.enable_audit();
        while sim.step() {}
        let audit = sim.take_audit().unwrap();
        let late: Vec<f64> = audit.tries.iter()
            .filter(|(_, _, class, region)| *class == DnsClass::HonoursTtl && *region == 0)
            .map(|(t, ..)| *t as f64 / 1e6)
            .filter(|t| *t > bound && *t < fault_end)
            .collect();
        prop_assert!(late.is_empty(), "TTL-honouring tries to the dead region at {:?} (bound {bound} s)", &late[..late.len().min(5)]);
        // And the stale holders do keep going there (the bound is not vacuous).
        let stale = audit.tries.iter().filter(|(t, _, class, region)| *class == DnsClass::Forever && *region == 0 && (*t as f64 / 1e6) > bound && (*t as f64 / 1e6) < fault_end).count();
        let forever_clients_on_east = audit.tries.iter().filter(|(t, _, class, region)| *class == DnsClass::Forever && *region == 0 && (*t as f64 / 1e6) < 120.0).count();
        prop_assert!(forever_clients_on_east == 0 || stale > 0);
    }

    /// Causality: nothing in a run reads an event's outcome before it
    /// happens. The series up to a random time t is identical whether or not
    /// the faults that start after t are in the scenario (faults are the
    /// only events a run could "know" in advance: they are scheduled).
    #[test]
    fn the_series_before_t_ignores_faults_after_t(sc in scenarios(), frac in 0.05f64..0.95, before_fault in 0u64..300_000) {
        let text = sc.to_toml();
        // Half the time, t just before a fault starts: what is in flight
        // then is what a run could misjudge by reading ahead.
        let t = match sc.faults.first() {
            Some(f) if frac < 0.5 => f.start().as_micros().saturating_sub(before_fault).max(1_000_000),
            _ => (sc.duration.as_micros() as f64 * frac) as u64,
        };
        let with = Sim::new(sc.clone()).expect("valid").run();
        let without = Sim::new(crate::future_changed_after(&sc, t)).expect("valid").run();
        let n = (t / (with.bucket_s * 1e6) as u64) as usize;
        prop_assert!(
            crate::series_before(&with, n) == crate::series_before(&without, n),
            "series before {} s differ\n{}",
            t as f64 / 1e6,
            text
        );
    }
}
