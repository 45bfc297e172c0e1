//! Detection times against the routers' documented formulas (AZURE_FACTS §2,
//! §3, §9): for a hard region outage, every prober's detection lies within
//! the interval-based bounds, whatever the random probe phases.

use crate::{run, scenario};
use regionsim::formulas::{front_door_detection, traffic_manager_detection};
use regionsim::SimDuration;

fn two_regions(routing: &str, seed: u64) -> String {
    format!(
        r#"
name = "detect"
seed = {seed}
duration = "20m"
{routing}
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
rate = {{ kind = "constant", rps = 50 }}
clients = 200
[[faults]]
kind = "region_outage"
region = "eastus2"
start = "5m"
duration = "10m"
"#
    )
}

#[test]
fn front_door_detection_is_within_the_window_formula() {
    for (interval, size, ok) in [(30u64, 4u32, 3u32), (30, 4, 2), (100, 4, 3), (10, 5, 3)] {
        let routing = format!(
            "[routing]\nkind = \"anycast_l7\"\nprobe_interval = \"{interval}s\"\nsample_size = {size}\nsuccessful_samples = {ok}\nprobe_timeout = \"5s\"\norigins = [{{ region = \"eastus2\" }}, {{ region = \"centralus\" }}]"
        );
        let b = front_door_detection(SimDuration::from_secs(interval), size, ok, SimDuration::from_secs(5));
        for seed in 1..=3 {
            let r = run(&scenario(&two_regions(&routing, seed)));
            let f = &r.summary.faults[0];
            let first = f.time_to_detect_first_s.expect("detected");
            let all = f.time_to_detect_all_s.expect("every POP detected");
            // A probe already in flight when the region dies also fails: allow 1 s.
            assert!(
                first >= b.min.as_secs_f64() - 1.0,
                "{interval}s {size}/{ok}: first {first} < {:?}",
                b.min
            );
            assert!(
                all <= b.max.as_secs_f64(),
                "{interval}s {size}/{ok}: all {all} > {:?}",
                b.max
            );
            // With 40 POPs on random phases, the spread covers most of the window.
            assert!(all - first > 0.5 * interval as f64, "spread {first}..{all}");
        }
    }
}

#[test]
fn front_door_tier_decides_the_default_detection_window() {
    // Left to the tier's defaults (facts §1.3): classic probes every 30 s and
    // keeps an origin while 2 of 4 pass (down after 3 failures); Standard and
    // Premium every 100 s with 3 of 4 (down after 2). The timeout is stated so
    // both windows share it.
    for (tier, interval, ok) in [("classic", 30u64, 2u32), ("standard", 100, 3), ("premium", 100, 3)] {
        let routing = format!(
            "[routing]\nkind = \"anycast_l7\"\ntier = \"{tier}\"\nprobe_timeout = \"5s\"\norigins = [{{ region = \"eastus2\" }}, {{ region = \"centralus\" }}]"
        );
        let b = front_door_detection(SimDuration::from_secs(interval), 4, ok, SimDuration::from_secs(5));
        let r = run(&scenario(&two_regions(&routing, 7)));
        assert_eq!(r.router.tier.as_deref(), Some(tier));
        let f = &r.summary.faults[0];
        let first = f.time_to_detect_first_s.expect("detected");
        let all = f.time_to_detect_all_s.expect("every POP detected");
        assert!(
            first >= b.min.as_secs_f64() - 1.0,
            "{tier}: first {first} < {:?}",
            b.min
        );
        assert!(all <= b.max.as_secs_f64(), "{tier}: all {all} > {:?}", b.max);
        // The last POP needs most of the window: classic is done within 95 s,
        // Standard's last POP takes longer than classic's whole window.
        if tier == "classic" {
            assert!(all <= 95.0, "{all}");
        } else {
            assert!(all > 95.0, "{all}");
        }
    }
}

#[test]
fn traffic_manager_detection_is_within_the_documented_formula() {
    for (interval, tolerated, timeout) in [(30u64, 3u32, 10u64), (10, 0, 5), (30, 1, 5)] {
        let routing = format!(
            "[routing]\nkind = \"dns\"\nmethod = \"priority\"\nttl = \"30s\"\nprobe_interval = \"{interval}s\"\ntolerated_failures = {tolerated}\nprobe_timeout = \"{timeout}s\"\nendpoints = [{{ region = \"eastus2\" }}, {{ region = \"centralus\" }}]"
        );
        let b = traffic_manager_detection(
            SimDuration::from_secs(interval),
            tolerated,
            SimDuration::from_secs(timeout),
        );
        for seed in 1..=3 {
            let r = run(&scenario(&two_regions(&routing, seed)));
            let f = &r.summary.faults[0];
            let first = f.time_to_detect_first_s.expect("detected");
            let majority = f.time_to_detect_majority_s.expect("degraded");
            assert!(first >= b.min.as_secs_f64() - 1.0, "first {first} < {:?}", b.min);
            assert!(majority <= b.max.as_secs_f64(), "majority {majority} > {:?}", b.max);
            assert!(f.time_to_detect_all_s.unwrap() <= b.max.as_secs_f64());
        }
    }
}

#[test]
fn cross_region_lb_detection_is_regional_probe_plus_global_poll() {
    let routing = "[routing]\nkind = \"anycast_l4\"\nbackends = [\"eastus2\", \"centralus\"]";
    for seed in 1..=3 {
        let r = run(&scenario(&two_regions(routing, seed)));
        let f = &r.summary.faults[0];
        let t = f.time_to_detect_first_s.expect("detected");
        // §3: 2 consecutive failures at 15 s (each failing after a 5 s probe
        // timeout), then the global LB's next 5 s poll.
        assert!((15.0 + 5.0 - 1.0..=30.0 + 5.0 + 5.0).contains(&t), "detect {t}");
        // No DNS is involved: traffic is off the dead region right after.
        let m = f.time_to_mitigate_s.expect("mitigated");
        assert!(m <= t + 12.0, "mitigate {m} vs detect {t}");
    }
}

/// Traffic Manager marks an endpoint Degraded when enough of its monitoring
/// locations see it failed (`degraded_when`, an assumption: §2 does not say
/// how locations combine). Each location detects a hard outage at
/// U·interval + tolerated·interval + timeout after it starts, U uniform on
/// (0, 1) from its random probe phase; the endpoint is Degraded at the k-th
/// of the 8 locations' detections, k the rule's threshold. So the Degraded
/// time is exactly the first / majority / last location's detection, and
/// over seeds its mean phase part is the k-th order statistic's, k / (n + 1).
#[test]
fn traffic_manager_combines_locations_by_its_rule() {
    let (interval, tolerated, timeout) = (30.0f64, 1.0f64, 5.0f64);
    let n = 8.0f64;
    let seeds = 24u64;
    let mut mitigation = Vec::new();
    for (rule, k) in [("\"any\"", 1.0f64), ("\"majority\"", 5.0), ("\"all\"", 8.0), ("3", 3.0)] {
        let routing = format!(
            "[routing]\nkind = \"dns\"\nmethod = \"priority\"\nttl = \"20s\"\nprobe_interval = \"30s\"\ntolerated_failures = 1\nprobe_timeout = \"5s\"\ndegraded_when = {rule}\nendpoints = [{{ region = \"eastus2\" }}, {{ region = \"centralus\" }}]"
        );
        let (mut sum, mut mit) = (0.0, 0.0);
        for seed in 1..=seeds {
            // Every client honours the TTL, so that traffic does leave.
            let text = two_regions(&routing, seed).replace(
                "clients = 200",
                "clients = 200\ndns = { honour_ttl = 1.0, forever = 0.0 }",
            );
            let r = run(&scenario(&text));
            let f = &r.summary.faults[0];
            let degraded = f.time_to_degraded_s.expect("Degraded");
            let exact = match rule {
                "\"any\"" => f.time_to_detect_first_s,
                "\"majority\"" => f.time_to_detect_majority_s,
                "\"all\"" => f.time_to_detect_all_s,
                _ => Some(degraded),
            };
            assert_eq!(Some(degraded), exact, "{rule} seed {seed}");
            // The phase part, as a share of the interval (a probe already on
            // its way when the region died fails too: a few ms early at most).
            let u = (degraded - tolerated * interval - timeout) / interval;
            assert!((-0.01..1.0).contains(&u), "{rule} seed {seed}: {u}");
            sum += u;
            mit += f.time_to_mitigate_s.expect("mitigated");
        }
        let mean = sum / seeds as f64;
        let want = k / (n + 1.0);
        // Standard deviation of the k-th of n uniforms, over the seeds.
        let sd = (k * (n - k + 1.0) / ((n + 1.0).powi(2) * (n + 2.0))).sqrt() / (seeds as f64).sqrt();
        assert!(
            (mean - want).abs() < 4.0 * sd,
            "{rule}: mean {mean:.3}, order statistic {want:.3} ± {sd:.3}"
        );
        mitigation.push(mit / seeds as f64);
    }
    // Traffic leaves sooner the fewer locations it takes.
    assert!(
        mitigation[0] < mitigation[3] && mitigation[3] < mitigation[1] && mitigation[1] < mitigation[2],
        "{mitigation:?}"
    );
}
