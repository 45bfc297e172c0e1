//! Property tests of the simulator's invariants over randomly generated
//! scenarios. A failing case prints the scenario TOML and seed: that pair is
//! the bug report.

use proptest::prelude::*;
use regionsim::model::clients::DnsClass;
use regionsim::model::probes::traffic_manager_detection;
use regionsim::{Scenario, Sim, SimDuration};

const REGIONS: [&str; 3] = ["eastus2", "centralus", "westus2"];
const METROS: [&str; 4] = ["new_york", "chicago", "seattle", "london"];

#[derive(Debug, Clone)]
struct Shape {
    seed: u64,
    routing: u8,
    dns_method: u8,
    nregions: usize,
    instances: Vec<u32>,
    workers: Vec<u32>,
    autoscale: Vec<bool>,
    pops: Vec<(usize, f64, u64, u32, bool)>,
    faults: Vec<(u8, usize, u64, u64)>,
    minutes: u64,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        0u64..(i64::MAX as u64),
        0u8..4,
        0u8..3,
        2usize..=3,
        prop::collection::vec(1u32..4, 3),
        prop::collection::vec(1u32..6, 3),
        prop::collection::vec(any::<bool>(), 3),
        prop::collection::vec((0usize..4, 5.0f64..150.0, 1u64..400, 1u32..4, any::<bool>()), 1..4),
        prop::collection::vec((0u8..6, 0usize..3, 10u64..200, 10u64..200), 0..3),
        3u64..7,
    )
        .prop_map(
            |(seed, routing, dns_method, nregions, instances, workers, autoscale, pops, faults, minutes)| Shape {
                seed,
                routing,
                dns_method,
                nregions,
                instances,
                workers,
                autoscale,
                pops,
                faults,
                minutes,
            },
        )
}

fn toml_of(s: &Shape) -> String {
    let regions = &REGIONS[..s.nregions];
    let list = regions
        .iter()
        .map(|r| format!("{{ region = \"{r}\" }}"))
        .collect::<Vec<_>>()
        .join(", ");
    let routing = match s.routing {
        0 => "kind = \"direct\"\nregion = \"eastus2\"".to_string(),
        1 => format!(
            "kind = \"dns\"\nmethod = \"{}\"\nttl = \"20s\"\nprobe_interval = \"10s\"\nprobe_timeout = \"5s\"\ntolerated_failures = 1\nendpoints = [{list}]",
            ["priority", "weighted", "performance"][s.dns_method as usize]
        ),
        2 => format!("kind = \"anycast_l7\"\nprobe_interval = \"10s\"\nprobe_timeout = \"5s\"\norigin_response_timeout = \"16s\"\npops = [\"new_york\", \"chicago\", \"seattle\", \"london\", \"dallas\"]\norigins = [{list}]"),
        _ => format!("kind = \"anycast_l4\"\nbackends = [{}]", regions.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(", ")),
    };
    let mut t = format!(
        "name = \"prop\"\nseed = {}\nduration = \"{}m\"\n[routing]\n{routing}\n",
        s.seed, s.minutes
    );
    for (i, r) in regions.iter().enumerate() {
        t += &format!(
            "[[regions]]\nname = \"{r}\"\ninstances = {{ initial = {}, max = 6 }}\nworkers_per_instance = {}\nqueue_limit_per_instance = 20\nrequest_timeout = \"3s\"\nservice_time = {{ kind = \"exponential\", mean = \"40ms\" }}\n",
            s.instances[i], s.workers[i]
        );
        if s.autoscale[i] {
            t += "[regions.autoscale]\nwindow = \"1m\"\nevaluation_interval = \"20s\"\nmetric_delay = \"10s\"\ncooldown = \"1m\"\nprovisioning_min = \"10s\"\nprovisioning_max = \"30s\"\nwarmup = \"20s\"\n";
        }
    }
    for (i, (m, rps, clients, attempts, ka)) in s.pops.iter().enumerate() {
        t += &format!(
            "[[populations]]\nname = \"p{i}\"\nlocation = \"{}\"\nrate = {{ kind = \"constant\", rps = {rps:.1} }}\nclients = {clients}\ntimeout = \"2s\"\nconnect_timeout = \"1s\"\nretry = {{ attempts = {attempts}, backoff = \"100ms\" }}\nkeepalive = {{ enabled = {ka} }}\n",
            METROS[*m]
        );
    }
    // The kinds that act on a region's stamp or network.
    let kinds: Vec<&str> = regionsim::scenario::FaultKind::ALL
        .iter()
        .filter(|k| k.acts_on_stamp())
        .map(|k| k.name())
        .collect();
    for (k, r, start, dur) in &s.faults {
        let r = REGIONS[*r % s.nregions];
        let start = (*start).min(s.minutes * 60 - 5);
        t += &format!(
            "[[faults]]\nkind = \"{}\"\nregion = \"{r}\"\nstart = \"{start}s\"\nduration = \"{dur}s\"\n",
            kinds[*k as usize]
        );
        match kinds[*k as usize] {
            "brown_out" => t += "error_rate = 0.3\nadded_latency = \"200ms\"\n",
            "capacity_loss" => t += "fraction = 0.5\n",
            "gray_failure" => t += "error_rate = 0.5\n",
            _ => {}
        }
    }
    t
}

fn build(text: &str) -> Scenario {
    Scenario::parse(text).unwrap_or_else(|e| panic!("generated scenario invalid: {e}\n{text}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_request_ends_exactly_once(s in shape()) {
        let text = toml_of(&s);
        let r = Sim::new(build(&text)).expect("valid").run();
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
    fn same_seed_gives_the_same_report(s in shape()) {
        let sc = build(&toml_of(&s));
        let a = Sim::new(sc.clone()).expect("valid").run();
        let b = Sim::new(sc).expect("valid").run();
        prop_assert!(a == b);
    }

    #[test]
    fn a_region_never_serves_above_its_capacity(s in shape()) {
        let text = toml_of(&s);
        let sc = build(&text);
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
    fn the_series_before_t_ignores_faults_after_t(s in shape(), frac in 0.05f64..0.95, before_fault in 0u64..300_000) {
        let text = toml_of(&s);
        let sc = build(&text);
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
