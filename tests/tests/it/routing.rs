//! Front Door's latency routing against a hand calculation: each POP ranks
//! origins by the latency its probes measure (AZURE_FACTS §1.2), so a
//! brown-out's added latency moves traffic away within a few probe intervals
//! when it exceeds the latency sensitivity, and not at all when it does not.

use crate::{run, scenario};

/// One POP (Chicago) 20 ms from two origins; eastus2 adds `added` ms to
/// every answer (no errors) from minute 5 to minute 15. Probes every 10 s,
/// 3 of 4 (the latency mean is over the same 4 answers).
fn equidistant(sensitivity_ms: u32, added_ms: u32) -> String {
    format!(
        r#"
name = "latency-routing"
duration = "20m"
[routing]
kind = "anycast_l7"
probe_interval = "10s"
sample_size = 4
successful_samples = 3
latency_sensitivity = "{sensitivity_ms}ms"
pops = ["chicago"]
origins = [{{ region = "eastus2" }}, {{ region = "centralus" }}]
[[rtt]]
a = "chicago"
b = "eastus2"
rtt = "20ms"
[[rtt]]
a = "chicago"
b = "centralus"
rtt = "20ms"
[[regions]]
name = "eastus2"
instances = {{ initial = 8 }}
service_time = {{ kind = "constant", value = "20ms" }}
[[regions]]
name = "centralus"
instances = {{ initial = 8 }}
service_time = {{ kind = "constant", value = "20ms" }}
[[populations]]
name = "chicago"
location = "chicago"
rate = {{ kind = "constant", rps = 100 }}
clients = 500
[[faults]]
kind = "brown_out"
region = "eastus2"
start = "5m"
duration = "10m"
error_rate = 0.0
added_latency = "{added_ms}ms"
"#
    )
}

/// eastus2's share of tries in [from, to) seconds, and the tries counted.
fn share(r: &regionsim::Report, from: usize, to: usize) -> (f64, u32) {
    let p = &r.series.populations[0];
    let e: u32 = p.tries_by_region[0][from..to].iter().sum();
    let all: u32 = p.tries[from..to].iter().sum();
    (e as f64 / all.max(1) as f64, all)
}

#[test]
fn a_brown_out_beyond_the_sensitivity_loses_its_traffic_within_a_few_probes() {
    // Hand calculation: both origins measure the same idle latency. Each
    // probe to eastus2 after 5:00 measures +200 ms, so the mean of the last
    // four rises by 50 ms per probe: after the first it is 50 ms slower (still
    // inside a 50 ms sensitivity), after the second 100 ms (outside). With
    // probes every 10 s (and a 200 ms answer) eastus2 is out by 5:21 at the
    // latest, and back after two fast answers following 15:00 — by 15:31
    // (the mean is then 100 ms above, out; then 50, in: three answers).
    let r = run(&scenario(&equidistant(50, 200)));
    let (before, n) = share(&r, 60, 300);
    assert!(
        (before - 0.5).abs() < 4.0 * (0.25 / n as f64).sqrt(),
        "before {before} of {n}"
    );
    let (during, n) = share(&r, 322, 900);
    assert!(n > 50_000, "{n}");
    assert_eq!(during, 0.0, "eastus2 keeps {during} of {n} tries while 200 ms slower");
    // It still had traffic for at least one probe interval after 5:00.
    assert!(share(&r, 300, 310).0 > 0.3, "{:?}", share(&r, 300, 310));
    let (after, n) = share(&r, 932, 1200);
    assert!(
        (after - 0.5).abs() < 4.0 * (0.25 / n as f64).sqrt(),
        "after {after} of {n}"
    );
    // Until at least two fast answers came back, eastus2 stayed out.
    assert_eq!(share(&r, 900, 910).0, 0.0);
}

#[test]
fn a_brown_out_inside_the_sensitivity_keeps_the_weighted_share() {
    // 500 ms sensitivity: 200 ms slower is still "within", weights (50/50)
    // decide throughout.
    let r = run(&scenario(&equidistant(500, 200)));
    for (from, to) in [(60, 300), (330, 900), (930, 1200)] {
        let (s, n) = share(&r, from, to);
        assert!(
            (s - 0.5).abs() < 4.0 * (0.25 / n as f64).sqrt(),
            "{from}..{to}: {s} of {n}"
        );
    }
}

#[test]
fn a_hot_origin_loses_traffic_to_its_queueing() {
    // No fault. Service takes 200 ms; eastus2 has one instance (8 workers:
    // 40 req/s), centralus eight (320 req/s); 100 req/s arrive. An even split
    // would give eastus2 50 req/s, ρ = 1.25: its queue would grow without
    // bound. Its probes queue too, so the POP measures the growing wait and
    // takes eastus2 out once it is 50 ms slower, lets it back in once it has
    // drained: over the run eastus2 carries less than its capacity (40 % of
    // the load), yet some (it is back whenever it is fast).
    let text = equidistant(50, 0)
        .replace("value = \"20ms\"", "value = \"200ms\"")
        .replacen("instances = { initial = 8 }", "instances = { initial = 1 }", 1);
    let r = run(&scenario(&text));
    let (s, n) = share(&r, 60, 1200);
    assert!(n > 100_000, "{n}");
    assert!(s < 0.40 && s > 0.05, "eastus2 carries {s} of {n} tries");
    // The wait stays bounded: nobody times out, nothing is shed.
    assert_eq!(r.summary.counts.failed, 0, "{:?}", r.summary.counts);
}
